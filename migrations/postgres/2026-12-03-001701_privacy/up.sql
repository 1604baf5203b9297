-- Issue 17: a newcomer's own data. The audit log records, from now on, the organisation and
-- municipalities the caller's token was scoped to, so a newcomer can see which organisation or
-- municipality consulted their file (`GET /v1/inburgeraars/{id}/raadplegingen`). Entries made
-- before this migration have neither (the role and, for the municipal list, the NIS code in
-- `details` still show). Adding columns is no UPDATE: the append-only triggers stay as they are.
ALTER TABLE audit_log ADD COLUMN actor_organisatie BIGINT;
ALTER TABLE audit_log ADD COLUMN actor_gemeenten TEXT;

-- Retention and the right to erasure: when and why a newcomer's identifying fields were
-- replaced by a pseudonym (`bewaartermijn`: the daily job; `verzoek`: an admin, with a reason).
ALTER TABLE inburgeraars ADD COLUMN uitgewist_op TIMESTAMP;
ALTER TABLE inburgeraars ADD COLUMN uitwissing_grond TEXT CHECK (uitwissing_grond IN ('bewaartermijn', 'verzoek'));
ALTER TABLE inburgeraars ADD COLUMN uitwissing_reden TEXT;

-- Contract changes and follow-up entries stay append-only, with one exception (R27): erasing
-- a newcomer replaces the free text (a change's reason, an entry's note) by '[uitgewist]' and
-- touches nothing else. Any other UPDATE, and every DELETE, is still refused.
CREATE OR REPLACE FUNCTION contractwijzigingen_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.reden = '[uitgewist]'
        AND (NEW.id, NEW.contract_id, NEW.soort, NEW.op, NEW.door, NEW.door_rollen, NEW.gegevens, NEW.contract_versie)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.contract_id, OLD.soort, OLD.op, OLD.door, OLD.door_rollen, OLD.gegevens, OLD.contract_versie)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'contractwijzigingen is append-only';
END;
$$ LANGUAGE plpgsql;

CREATE OR REPLACE FUNCTION opvolgingen_append_only() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND NEW.notitie = '[uitgewist]'
        AND (NEW.id, NEW.contract_id, NEW.soort, NEW.datum, NEW.kanaal, NEW.inspanning, NEW.corrigeert, NEW.door,
             NEW.door_rollen, NEW.op)
            IS NOT DISTINCT FROM
            (OLD.id, OLD.contract_id, OLD.soort, OLD.datum, OLD.kanaal, OLD.inspanning, OLD.corrigeert, OLD.door,
             OLD.door_rollen, OLD.op)
    THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION 'opvolgingen is append-only';
END;
$$ LANGUAGE plpgsql;
