-- The offer catalogue (R11-R14). Translatable texts are JSON objects (ISO 639-1 -> text);
-- `zoektekst` holds every language's title, description and themes, accent-folded, for search.
CREATE TABLE aanbod (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    titel TEXT NOT NULL,
    beschrijving TEXT NOT NULL,
    titel_nl TEXT NOT NULL,
    aanbodtype TEXT NOT NULL,
    organisatie_id INTEGER REFERENCES organisaties (id),
    gemeente TEXT NOT NULL REFERENCES gemeenten (nis_code),
    adres TEXT,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL,
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
    verwachte_uren_per_week DOUBLE,
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
-- With the coordinates, a distance search counts and orders from the index alone.
CREATE INDEX aanbod_geocel_idx ON aanbod (geocel, status, lat, lon);
CREATE INDEX aanbod_titel_idx ON aanbod (status, titel_nl);
CREATE INDEX aanbod_periode_idx ON aanbod (periode_van, periode_tot);

-- One row per support language and per theme, so those filters use an index.
CREATE TABLE aanbod_talen (
    aanbod_id INTEGER NOT NULL REFERENCES aanbod (id) ON DELETE CASCADE,
    taal TEXT NOT NULL,
    PRIMARY KEY (taal, aanbod_id)
);
CREATE INDEX aanbod_talen_aanbod_idx ON aanbod_talen (aanbod_id);
CREATE TABLE aanbod_themas (
    aanbod_id INTEGER NOT NULL REFERENCES aanbod (id) ON DELETE CASCADE,
    thema TEXT NOT NULL,
    PRIMARY KEY (thema, aanbod_id)
);
CREATE INDEX aanbod_themas_aanbod_idx ON aanbod_themas (aanbod_id);

-- Full-text search: an external-content FTS5 table kept in sync by triggers. Diacritics are
-- removed by the tokenizer; queries add prefix matching, a stand-in for Dutch stemming.
CREATE VIRTUAL TABLE aanbod_fts USING fts5(
    zoektekst, content = 'aanbod', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER aanbod_fts_insert AFTER INSERT ON aanbod BEGIN
    INSERT INTO aanbod_fts (rowid, zoektekst) VALUES (new.id, new.zoektekst);
END;
CREATE TRIGGER aanbod_fts_delete AFTER DELETE ON aanbod BEGIN
    INSERT INTO aanbod_fts (aanbod_fts, rowid, zoektekst) VALUES ('delete', old.id, old.zoektekst);
END;
CREATE TRIGGER aanbod_fts_update AFTER UPDATE OF zoektekst ON aanbod BEGIN
    INSERT INTO aanbod_fts (aanbod_fts, rowid, zoektekst) VALUES ('delete', old.id, old.zoektekst);
    INSERT INTO aanbod_fts (rowid, zoektekst) VALUES (new.id, new.zoektekst);
END;
