-- Inburgeringscontracten (R1-R6). The PNT and its vrijstelling, the three other pillars, the
-- term and the status live on the contract; every change after signing is also appended to
-- contractwijzigingen in the same transaction, so the history explains the current state.
CREATE TABLE inburgeringscontracten (
    id BIGSERIAL PRIMARY KEY,
    inburgeraar_id BIGINT NOT NULL REFERENCES inburgeraars (id),
    trajectbegeleider TEXT NOT NULL,
    ondertekend_op DATE NOT NULL,
    termijn_einde DATE NOT NULL,
    statuut TEXT NOT NULL CHECK (statuut IN ('verplicht', 'rechthebbend')),
    pnt_opgenomen BOOLEAN NOT NULL,
    pnt_vereiste_uren INTEGER NOT NULL,
    vrijstelling_reden TEXT,
    vrijstelling_bewijs TEXT,
    vrijstelling_details TEXT,
    -- JSON: {"breuk": 0.5, "arbeidsovereenkomsten": [{"van": "…", "tot": "…"}]} for reason `werk`.
    vrijstelling_tewerkstelling TEXT,
    vrijstelling_toegekend_op DATE,
    pijler_maatschappelijke_orientatie TEXT NOT NULL,
    pijler_nederlands TEXT NOT NULL,
    pijler_werk TEXT NOT NULL,
    status TEXT NOT NULL CHECK (status IN ('lopend', 'verlengd', 'voltooid', 'stopgezet')),
    attest_uitgereikt_op DATE,
    stopgezet_op DATE,
    sanctie_categorie INTEGER,
    sanctie_bedrag_cent BIGINT,
    sanctie_opgelegd_op DATE,
    sanctie_termijn_einde DATE,
    versie BIGINT NOT NULL DEFAULT 1,
    aangemaakt_op TIMESTAMP NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL,
    CHECK (termijn_einde > ondertekend_op)
);
-- One running contract per newcomer; the API answers 409 with the running one's href first,
-- this index makes it hold under concurrent requests too.
CREATE UNIQUE INDEX inburgeringscontracten_lopend_uq ON inburgeringscontracten (inburgeraar_id)
    WHERE status IN ('lopend', 'verlengd');
CREATE INDEX inburgeringscontracten_inburgeraar_idx ON inburgeringscontracten (inburgeraar_id);
CREATE INDEX inburgeringscontracten_tb_idx ON inburgeringscontracten (trajectbegeleider, termijn_einde);

-- The append-only history of contract changes (who, when, what, why).
CREATE TABLE contractwijzigingen (
    id BIGSERIAL PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES inburgeringscontracten (id),
    soort TEXT NOT NULL,
    op TIMESTAMP NOT NULL,
    door TEXT NOT NULL,
    door_rollen TEXT NOT NULL,
    reden TEXT,
    -- JSON of the change's own fields (new term, pillar and status, fine, …).
    gegevens TEXT NOT NULL,
    contract_versie BIGINT NOT NULL
);
CREATE INDEX contractwijzigingen_contract_idx ON contractwijzigingen (contract_id, id);

CREATE FUNCTION contractwijzigingen_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'contractwijzigingen is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER contractwijzigingen_append_only BEFORE UPDATE OR DELETE ON contractwijzigingen
    FOR EACH ROW EXECUTE FUNCTION contractwijzigingen_append_only();
