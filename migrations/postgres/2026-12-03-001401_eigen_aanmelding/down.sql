ALTER TABLE doorverwijzingen DROP COLUMN aangemeld_door;
