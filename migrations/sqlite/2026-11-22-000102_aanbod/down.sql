DROP TRIGGER aanbod_fts_update;
DROP TRIGGER aanbod_fts_delete;
DROP TRIGGER aanbod_fts_insert;
DROP TABLE aanbod_fts;
DROP TABLE aanbod_themas;
DROP TABLE aanbod_talen;
DROP TABLE aanbod;
