DROP TABLE aanbodmomenten;
ALTER TABLE aanbod DROP COLUMN momenten;
