DROP TABLE aanbod_themas;
DROP TABLE aanbod_talen;
DROP TABLE aanbod;
