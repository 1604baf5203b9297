-- The offer catalogue (R11-R14). Translatable texts are JSON objects (ISO 639-1 -> text);
-- `zoektekst` holds every language's title, description and themes, accent-folded, for search.
CREATE TABLE aanbod (
    id BIGSERIAL PRIMARY KEY,
    titel TEXT NOT NULL,
    beschrijving TEXT NOT NULL,
    titel_nl TEXT NOT NULL,
    aanbodtype TEXT NOT NULL,
    organisatie_id BIGINT REFERENCES organisaties (id),
    gemeente TEXT NOT NULL REFERENCES gemeenten (nis_code),
    adres TEXT,
    lat DOUBLE PRECISION NOT NULL,
    lon DOUBLE PRECISION NOT NULL,
    locatie_exact BOOLEAN NOT NULL,
    -- 0.1 degree grid cell of (lat, lon): lets a distance search read a few cells by index.
    geocel INTEGER NOT NULL,
    contactpersoon TEXT,
    nederlandstalige_context BOOLEAN NOT NULL,
    sociale_participatie BOOLEAN NOT NULL,
    in_groep BOOLEAN NOT NULL,
    buiten_eigen_kring BOOLEAN NOT NULL,
    duurzaam_contact BOOLEAN NOT NULL,
    ondersteuningstalen TEXT NOT NULL,
    verwachte_uren_per_week DOUBLE PRECISION,
    periode_van DATE,
    periode_tot DATE,
    capaciteit INTEGER,
    kosteloos BOOLEAN NOT NULL,
    themas TEXT NOT NULL,
    status TEXT NOT NULL,
    status_motivatie TEXT,
    afgekeurd_versie INTEGER,
    bron TEXT,
    extern_id TEXT,
    feed_hash TEXT,
    zoektekst TEXT NOT NULL,
    versie INTEGER NOT NULL DEFAULT 1,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL,
    aangemaakt_door TEXT NOT NULL
);
CREATE UNIQUE INDEX aanbod_bron_idx ON aanbod (bron, extern_id);
-- The id ends the default order (newest first, then id), so a page is read in index order.
CREATE INDEX aanbod_status_gewijzigd_idx ON aanbod (status, gewijzigd_op, id);
CREATE INDEX aanbod_gemeente_idx ON aanbod (gemeente, status, gewijzigd_op, id);
CREATE INDEX aanbod_type_idx ON aanbod (aanbodtype, status, gewijzigd_op, id);
CREATE INDEX aanbod_organisatie_idx ON aanbod (organisatie_id, status);
-- With the coordinates (and the id), a distance search counts and orders from the index alone.
CREATE INDEX aanbod_geocel_idx ON aanbod (geocel, status, lat, lon) INCLUDE (id);
CREATE INDEX aanbod_titel_idx ON aanbod (status, titel_nl);
CREATE INDEX aanbod_periode_idx ON aanbod (periode_van, periode_tot);

-- One row per support language and per theme, so those filters use an index.
CREATE TABLE aanbod_talen (
    aanbod_id BIGINT NOT NULL REFERENCES aanbod (id) ON DELETE CASCADE,
    taal TEXT NOT NULL,
    PRIMARY KEY (taal, aanbod_id)
);
CREATE INDEX aanbod_talen_aanbod_idx ON aanbod_talen (aanbod_id);
CREATE TABLE aanbod_themas (
    aanbod_id BIGINT NOT NULL REFERENCES aanbod (id) ON DELETE CASCADE,
    thema TEXT NOT NULL,
    PRIMARY KEY (thema, aanbod_id)
);
CREATE INDEX aanbod_themas_aanbod_idx ON aanbod_themas (aanbod_id);

-- Full-text search with Dutch stemming over the accent-folded search text. The vector is stored
-- (a PostgreSQL-only generated column the shared schema does not list), so ranking does not
-- re-parse every matching text.
ALTER TABLE aanbod ADD COLUMN zoekvector tsvector GENERATED ALWAYS AS (to_tsvector('dutch', zoektekst)) STORED;
CREATE INDEX aanbod_fts_idx ON aanbod USING GIN (zoekvector);
