-- Management of the regional organisation networks (issue 6): who leads the network and with
-- which mandate, its subsidy, staff and partner organisations, its meetings and its action
-- plan. The networks themselves are reference data (regionale_netwerken); a network without
-- a row in netwerk_beheer simply has nothing recorded yet (version 1).
CREATE TABLE netwerk_beheer (
    netwerk_code TEXT PRIMARY KEY NOT NULL REFERENCES regionale_netwerken (code),
    trekker_organisatie_id BIGINT REFERENCES organisaties (id),
    trekker_naam TEXT,
    trekker_mandaat TEXT,
    subsidie_bedrag_cent BIGINT,
    subsidie_van DATE,
    subsidie_tot DATE,
    subsidie_financier TEXT,
    versie BIGINT NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL,
    gewijzigd_door TEXT NOT NULL,
    CHECK (subsidie_bedrag_cent IS NULL OR subsidie_bedrag_cent > 0),
    CHECK (subsidie_tot IS NULL OR subsidie_van IS NULL OR subsidie_tot >= subsidie_van)
);

-- The network's staff, in the order the network lists them.
CREATE TABLE netwerk_medewerkers (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    netwerk_code TEXT NOT NULL REFERENCES regionale_netwerken (code),
    volgorde INTEGER NOT NULL,
    rol TEXT NOT NULL CHECK (rol IN ('netwerkcoach', 'regiocoordinator')),
    naam TEXT NOT NULL,
    email TEXT,
    telefoon TEXT
);
CREATE INDEX netwerk_medewerkers_netwerk_idx ON netwerk_medewerkers (netwerk_code, volgorde);

-- Partner organisations of a network.
CREATE TABLE netwerk_partners (
    netwerk_code TEXT NOT NULL REFERENCES regionale_netwerken (code),
    organisatie_id BIGINT NOT NULL REFERENCES organisaties (id),
    rol TEXT,
    PRIMARY KEY (netwerk_code, organisatie_id)
);

-- Meetings: stuurgroep (norm: at least 4 a year), klankbordgroep (1-2 a year), werkgroep.
CREATE TABLE netwerk_overleggen (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    netwerk_code TEXT NOT NULL REFERENCES regionale_netwerken (code),
    soort TEXT NOT NULL CHECK (soort IN ('stuurgroep', 'klankbordgroep', 'werkgroep')),
    datum DATE NOT NULL,
    onderwerp TEXT NOT NULL,
    verslag TEXT,
    versie BIGINT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX netwerk_overleggen_netwerk_idx ON netwerk_overleggen (netwerk_code, datum);

-- The organisations that took part in a meeting.
CREATE TABLE netwerk_overleg_deelnemers (
    overleg_id BIGINT NOT NULL REFERENCES netwerk_overleggen (id) ON DELETE CASCADE,
    organisatie_id BIGINT NOT NULL REFERENCES organisaties (id),
    PRIMARY KEY (overleg_id, organisatie_id)
);

-- The action plan.
CREATE TABLE netwerk_acties (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    netwerk_code TEXT NOT NULL REFERENCES regionale_netwerken (code),
    titel TEXT NOT NULL,
    beschrijving TEXT,
    status TEXT NOT NULL CHECK (status IN ('gepland', 'lopend', 'afgerond', 'geschrapt')),
    deadline DATE,
    trekker TEXT,
    versie BIGINT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX netwerk_acties_netwerk_idx ON netwerk_acties (netwerk_code, status, deadline);
