-- Responses to POST requests that carried an Idempotency-Key, per caller, kept for 24 hours so a
-- retried request gets the first response again instead of creating a second resource.
CREATE TABLE idempotency_keys (
    caller TEXT NOT NULL,
    idempotency_key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    -- NULL while the first request is still being processed.
    status INTEGER,
    response_headers TEXT,
    response_body TEXT,
    created_at TIMESTAMP NOT NULL,
    PRIMARY KEY (caller, idempotency_key)
);
CREATE INDEX idempotency_keys_created_idx ON idempotency_keys (created_at);
