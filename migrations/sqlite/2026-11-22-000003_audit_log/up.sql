-- Who read or changed which record, when, under which trace id (R15). Append-only: the API has
-- no operation that changes it, and the triggers refuse it at the database too.
CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    at TIMESTAMP NOT NULL,
    actor TEXT NOT NULL,
    actor_roles TEXT NOT NULL,
    action TEXT NOT NULL,
    resource_type TEXT NOT NULL,
    resource_id TEXT NOT NULL,
    trace_id TEXT NOT NULL,
    details TEXT
);
CREATE INDEX audit_log_resource_idx ON audit_log (resource_type, resource_id, at);
CREATE INDEX audit_log_actor_idx ON audit_log (actor, at);
CREATE INDEX audit_log_at_idx ON audit_log (at);

CREATE TRIGGER audit_log_no_update BEFORE UPDATE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
CREATE TRIGGER audit_log_no_delete BEFORE DELETE ON audit_log
BEGIN
    SELECT RAISE(ABORT, 'audit_log is append-only');
END;
