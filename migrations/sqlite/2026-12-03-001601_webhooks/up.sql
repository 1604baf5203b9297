-- Webhooks (issue 16): an admin's subscription to events, and their deliveries as outbox rows
-- (`soort = 'webhook'`), written with the event in the transaction of the change, so a
-- delivery is never lost and the outbox's leases deliver it once with several instances.
-- `geheim` is the signing secret (Standard Webhooks, `whsec_…`): needed to sign, so it is kept.
PRAGMA foreign_keys = OFF;
BEGIN;
CREATE TABLE webhooks (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    url TEXT NOT NULL,
    -- JSON list of event types; NULL: every type.
    gebeurtenissen TEXT,
    -- JSON `{gemeenten, organisatie, trajectbegeleider}`; NULL: every event.
    scope TEXT,
    geheim TEXT NOT NULL,
    omschrijving TEXT,
    actief BOOLEAN NOT NULL DEFAULT TRUE,
    aangemaakt_door TEXT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    versie BIGINT NOT NULL DEFAULT 1
);

-- SQLite cannot change a CHECK: the outbox is rebuilt with 'webhook' allowed, as SQLite
-- documents it (foreign keys off, new table, copy, drop, rename), so
-- `ondertekenverzoeken.outbox_id REFERENCES outbox` keeps pointing at the outbox.
CREATE TABLE outbox_nieuw (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    soort TEXT NOT NULL CHECK (soort IN ('mail', 'webhook')),
    ontvanger TEXT NOT NULL,
    onderwerp TEXT NOT NULL,
    inhoud TEXT,
    status TEXT NOT NULL CHECK (status IN ('teVerzenden', 'verzonden', 'mislukt')),
    pogingen INTEGER NOT NULL DEFAULT 0,
    volgende_poging TIMESTAMP NOT NULL,
    geclaimd_tot TIMESTAMP,
    geclaimd_door TEXT,
    laatste_fout TEXT,
    bericht_id TEXT,
    aangemaakt_op TIMESTAMP NOT NULL,
    afgehandeld_op TIMESTAMP,
    webhook_id BIGINT REFERENCES webhooks (id),
    gebeurtenis_id BIGINT,
    laatste_status INTEGER
);
INSERT INTO outbox_nieuw (id, soort, ontvanger, onderwerp, inhoud, status, pogingen, volgende_poging, geclaimd_tot,
                          geclaimd_door, laatste_fout, bericht_id, aangemaakt_op, afgehandeld_op)
    SELECT id, soort, ontvanger, onderwerp, inhoud, status, pogingen, volgende_poging, geclaimd_tot,
           geclaimd_door, laatste_fout, bericht_id, aangemaakt_op, afgehandeld_op FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_nieuw RENAME TO outbox;
CREATE INDEX outbox_te_verzenden_idx ON outbox (volgende_poging) WHERE status = 'teVerzenden';
CREATE INDEX outbox_webhook_idx ON outbox (webhook_id, id) WHERE webhook_id IS NOT NULL;
COMMIT;
PRAGMA foreign_keys = ON;
