DROP INDEX aanbod_type_idx;
CREATE INDEX aanbod_type_idx ON aanbod (aanbodtype, status, gewijzigd_op, id);
DROP INDEX aanbod_gemeente_idx;
CREATE INDEX aanbod_gemeente_idx ON aanbod (gemeente, status, gewijzigd_op, id);
CREATE INDEX aanbod_periode_idx ON aanbod (periode_van, periode_tot);
CREATE INDEX aanbod_status_gewijzigd_idx ON aanbod (status, gewijzigd_op, id);
DROP INDEX aanbod_katalogus_idx;
