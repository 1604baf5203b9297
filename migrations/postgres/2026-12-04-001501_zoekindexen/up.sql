-- Every filter of `GET /v1/aanbod` counts from an index (issue 15). The catalogue index replaces
-- (status, gewijzigd_op, id): same key, so the default order still pages in index order, and it
-- carries the columns of the yes/no criteria and the period, so counting them under a status is an
-- index-only scan instead of a sequential scan of the whole table. Kept narrow (municipality, type
-- and organisation have their own indexes): a range over most of the catalogue must stay cheaper
-- than reading the table. Not partial: the search binds the status as a parameter, and a generic
-- plan cannot prove `status = $1` implies a partial index's `status = 'gepubliceerd'`; led by
-- status, one index serves the public catalogue and staff searches with `status=` alike.
CREATE INDEX aanbod_katalogus_idx ON aanbod (status, gewijzigd_op, id) INCLUDE (
    nederlandstalige_context, sociale_participatie, in_groep, buiten_eigen_kring, duurzaam_contact,
    kosteloos, periode_van, periode_tot
);
DROP INDEX aanbod_status_gewijzigd_idx;
-- `beschikbaarOp` is `periode_van IS NULL OR …`: no range of this index; the catalogue index
-- holds both dates instead.
DROP INDEX aanbod_periode_idx;
-- A municipality or a type with criteria or a date (scenario c: type + nederlandstaligeContext)
-- also counts from its own index alone.
DROP INDEX aanbod_gemeente_idx;
CREATE INDEX aanbod_gemeente_idx ON aanbod (gemeente, status, gewijzigd_op, id) INCLUDE (
    nederlandstalige_context, sociale_participatie, in_groep, buiten_eigen_kring, duurzaam_contact, kosteloos, periode_van, periode_tot
);
DROP INDEX aanbod_type_idx;
CREATE INDEX aanbod_type_idx ON aanbod (aanbodtype, status, gewijzigd_op, id) INCLUDE (
    nederlandstalige_context, sociale_participatie, in_groep, buiten_eigen_kring, duurzaam_contact, kosteloos, periode_van, periode_tot
);
