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
DROP TRIGGER contractwijzigingen_no_update;
CREATE TRIGGER contractwijzigingen_no_update BEFORE UPDATE ON contractwijzigingen
WHEN NOT (NEW.reden IS '[uitgewist]' AND NEW.id IS OLD.id AND NEW.contract_id IS OLD.contract_id
    AND NEW.soort IS OLD.soort AND NEW.op IS OLD.op AND NEW.door IS OLD.door
    AND NEW.door_rollen IS OLD.door_rollen AND NEW.gegevens IS OLD.gegevens
    AND NEW.contract_versie IS OLD.contract_versie)
BEGIN
    SELECT RAISE(ABORT, 'contractwijzigingen is append-only');
END;
DROP TRIGGER opvolgingen_no_update;
CREATE TRIGGER opvolgingen_no_update BEFORE UPDATE ON opvolgingen
WHEN NOT (NEW.notitie IS '[uitgewist]' AND NEW.id IS OLD.id AND NEW.contract_id IS OLD.contract_id
    AND NEW.soort IS OLD.soort AND NEW.datum IS OLD.datum AND NEW.kanaal IS OLD.kanaal
    AND NEW.inspanning IS OLD.inspanning AND NEW.corrigeert IS OLD.corrigeert AND NEW.door IS OLD.door
    AND NEW.door_rollen IS OLD.door_rollen AND NEW.op IS OLD.op)
BEGIN
    SELECT RAISE(ABORT, 'opvolgingen is append-only');
END;
