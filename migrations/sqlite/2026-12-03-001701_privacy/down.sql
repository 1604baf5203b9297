DROP TRIGGER opvolgingen_no_update;
CREATE TRIGGER opvolgingen_no_update BEFORE UPDATE ON opvolgingen
BEGIN
    SELECT RAISE(ABORT, 'opvolgingen is append-only');
END;
DROP TRIGGER contractwijzigingen_no_update;
CREATE TRIGGER contractwijzigingen_no_update BEFORE UPDATE ON contractwijzigingen
BEGIN
    SELECT RAISE(ABORT, 'contractwijzigingen is append-only');
END;
ALTER TABLE inburgeraars DROP COLUMN uitwissing_reden;
ALTER TABLE inburgeraars DROP COLUMN uitwissing_grond;
ALTER TABLE inburgeraars DROP COLUMN uitgewist_op;
ALTER TABLE audit_log DROP COLUMN actor_gemeenten;
ALTER TABLE audit_log DROP COLUMN actor_organisatie;
