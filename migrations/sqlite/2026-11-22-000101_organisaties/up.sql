-- Organisations that offer activities (aanbieders): associations, companies, local governments.
CREATE TABLE organisaties (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    naam TEXT NOT NULL,
    kbo_nummer TEXT,
    soort TEXT NOT NULL,
    gemeente TEXT NOT NULL REFERENCES gemeenten (nis_code),
    adres TEXT,
    email TEXT,
    telefoon TEXT,
    website TEXT,
    versie INTEGER NOT NULL DEFAULT 1,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX organisaties_kbo_idx ON organisaties (kbo_nummer);
CREATE INDEX organisaties_gemeente_idx ON organisaties (gemeente);
CREATE INDEX organisaties_naam_idx ON organisaties (naam);
