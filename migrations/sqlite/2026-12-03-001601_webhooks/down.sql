PRAGMA foreign_keys = OFF;
BEGIN;
DELETE FROM outbox WHERE soort = 'webhook';
CREATE TABLE outbox_oud (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    soort TEXT NOT NULL CHECK (soort IN ('mail')),
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
    afgehandeld_op TIMESTAMP
);
INSERT INTO outbox_oud SELECT id, soort, ontvanger, onderwerp, inhoud, status, pogingen, volgende_poging, geclaimd_tot,
    geclaimd_door, laatste_fout, bericht_id, aangemaakt_op, afgehandeld_op FROM outbox;
DROP TABLE outbox;
ALTER TABLE outbox_oud RENAME TO outbox;
CREATE INDEX outbox_te_verzenden_idx ON outbox (volgende_poging) WHERE status = 'teVerzenden';
DROP TABLE webhooks;
COMMIT;
PRAGMA foreign_keys = ON;
