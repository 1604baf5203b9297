CREATE OR REPLACE FUNCTION opvolgingen_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'opvolgingen is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE OR REPLACE FUNCTION contractwijzigingen_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'contractwijzigingen is append-only';
END;
$$ LANGUAGE plpgsql;
ALTER TABLE inburgeraars DROP COLUMN uitwissing_reden;
ALTER TABLE inburgeraars DROP COLUMN uitwissing_grond;
ALTER TABLE inburgeraars DROP COLUMN uitgewist_op;
ALTER TABLE audit_log DROP COLUMN actor_gemeenten;
ALTER TABLE audit_log DROP COLUMN actor_organisatie;
