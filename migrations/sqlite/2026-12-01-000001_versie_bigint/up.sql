-- One integer type for every document version (see the PostgreSQL migration of the same name).
-- SQLite's INTEGER already holds 64 bits: nothing to change.
SELECT 1;
