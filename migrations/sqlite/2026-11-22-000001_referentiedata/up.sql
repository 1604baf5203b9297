-- Reference data: the 18 regional networks and the 304 municipalities (285 Flemish + 19 Brussels),
-- filled idempotently at start-up from the CSV files embedded in the binary (src/refdata).
CREATE TABLE regionale_netwerken (
    code TEXT PRIMARY KEY NOT NULL,
    naam TEXT NOT NULL,
    soort TEXT NOT NULL,
    nis_code TEXT,
    trekker TEXT,
    trekker_zekerheid TEXT,
    trekker_bron TEXT,
    opmerking TEXT
);

CREATE TABLE gemeenten (
    nis_code TEXT PRIMARY KEY NOT NULL,
    naam TEXT NOT NULL,
    zoeknaam TEXT NOT NULL,
    gewest TEXT NOT NULL,
    provincie TEXT,
    referentieregio TEXT,
    referentieregio_code TEXT,
    regionaal_netwerk_code TEXT NOT NULL REFERENCES regionale_netwerken (code),
    postcodes TEXT NOT NULL,
    lat DOUBLE NOT NULL,
    lon DOUBLE NOT NULL
);
CREATE INDEX gemeenten_netwerk_idx ON gemeenten (regionaal_netwerk_code);
CREATE INDEX gemeenten_provincie_idx ON gemeenten (provincie);

-- Municipalities merged on 2025-01-01: old NIS code -> new one, so old codes still resolve.
CREATE TABLE gemeente_fusies (
    old_nis TEXT PRIMARY KEY NOT NULL,
    old_naam TEXT NOT NULL,
    new_nis TEXT NOT NULL REFERENCES gemeenten (nis_code)
);
