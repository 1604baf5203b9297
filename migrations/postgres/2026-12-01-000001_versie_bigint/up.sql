-- One integer type for every document version: `versie` (and the version an offer was rejected
-- at) becomes BIGINT like on every other versioned table, so the code reads it as i64 everywhere.
ALTER TABLE aanbod ALTER COLUMN versie TYPE BIGINT, ALTER COLUMN afgekeurd_versie TYPE BIGINT;
ALTER TABLE organisaties ALTER COLUMN versie TYPE BIGINT;
