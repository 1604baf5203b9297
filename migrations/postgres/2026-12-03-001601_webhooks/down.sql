DROP INDEX outbox_webhook_idx;
DELETE FROM outbox WHERE soort = 'webhook';
ALTER TABLE outbox DROP COLUMN laatste_status;
ALTER TABLE outbox DROP COLUMN gebeurtenis_id;
ALTER TABLE outbox DROP COLUMN webhook_id;
ALTER TABLE outbox DROP CONSTRAINT outbox_soort_check;
ALTER TABLE outbox ADD CONSTRAINT outbox_soort_check CHECK (soort IN ('mail'));
DROP TABLE webhooks;
