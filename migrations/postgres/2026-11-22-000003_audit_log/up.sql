-- Who read or changed which record, when, under which trace id (R15). Append-only: the API has
-- no operation that changes it, and the trigger refuses it at the database too.
CREATE TABLE audit_log (
    id BIGSERIAL PRIMARY KEY,
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

CREATE FUNCTION audit_log_append_only() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'audit_log is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
    FOR EACH ROW EXECUTE FUNCTION audit_log_append_only();
