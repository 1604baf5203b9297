-- Newcomers (inburgeraars): personal data (R15), visible to their trajectbegeleider, admins and
-- themselves. `trajectbegeleider` is the `sub` of the case worker whose caseload they are in;
-- `gebruiker_id` the `sub` the person logs in with. The INSZ is optional and unique (R17).
CREATE TABLE inburgeraars (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    dossiernummer TEXT NOT NULL,
    voornaam TEXT NOT NULL,
    achternaam TEXT NOT NULL,
    geboortedatum DATE NOT NULL,
    rijksregisternummer TEXT,
    contacttaal TEXT NOT NULL,
    gemeente TEXT NOT NULL REFERENCES gemeenten (nis_code),
    statuut TEXT NOT NULL CHECK (statuut IN ('verplicht', 'rechthebbend')),
    email TEXT,
    telefoon TEXT,
    adres TEXT,
    gebruiker_id TEXT,
    kbi_sync_status TEXT NOT NULL,
    trajectbegeleider TEXT NOT NULL,
    versie BIGINT NOT NULL DEFAULT 1,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE UNIQUE INDEX inburgeraars_dossiernummer_uq ON inburgeraars (dossiernummer);
CREATE UNIQUE INDEX inburgeraars_rijksregisternummer_uq ON inburgeraars (rijksregisternummer);
CREATE UNIQUE INDEX inburgeraars_gebruiker_id_uq ON inburgeraars (gebruiker_id);
CREATE INDEX inburgeraars_trajectbegeleider_idx ON inburgeraars (trajectbegeleider);
CREATE INDEX inburgeraars_gemeente_idx ON inburgeraars (gemeente, achternaam, voornaam);
