-- Webhooks (issue 16): an admin's subscription to events, and their deliveries as outbox rows
-- (`soort = 'webhook'`), written with the event in the transaction of the change, so a
-- delivery is never lost and the outbox's leases deliver it once with several instances.
-- `geheim` is the signing secret (Standard Webhooks, `whsec_…`): needed to sign, so it is kept.
CREATE TABLE webhooks (
    id BIGSERIAL PRIMARY KEY,
    url TEXT NOT NULL,
    gebeurtenissen TEXT,
    scope TEXT,
    geheim TEXT NOT NULL,
    omschrijving TEXT,
    actief BOOLEAN NOT NULL DEFAULT TRUE,
    aangemaakt_door TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    versie BIGINT NOT NULL DEFAULT 1
);
ALTER TABLE outbox DROP CONSTRAINT outbox_soort_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_soort_check CHECK (soort IN ('mail', 'webhook'));
ALTER TABLE outbox ADD COLUMN webhook_id BIGINT REFERENCES webhooks (id);
ALTER TABLE outbox ADD COLUMN gebeurtenis_id BIGINT;
ALTER TABLE outbox ADD COLUMN laatste_status INTEGER;
CREATE INDEX outbox_webhook_idx ON outbox (webhook_id, id) WHERE webhook_id IS NOT NULL;
