-- The transactional outbox (issue 11): a message is written in the same transaction as the
-- change that causes it, and a worker in the API process delivers it with retries. Claims are
-- leases (`geclaimd_tot`): a conditional UPDATE takes a row, so two instances never send one
-- message at once, and a crashed sender's lease runs out so nothing is lost.
-- `inhoud` (JSON: the text and HTML bodies) can hold a signing link: it is cleared once the
-- message is delivered or given up.
CREATE TABLE outbox (
    id BIGSERIAL PRIMARY KEY,
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
CREATE INDEX outbox_te_verzenden_idx ON outbox (volgende_poging) WHERE status = 'teVerzenden';

-- Who asked for a signing link, where it went and what happened to it (issue 11, R8).
ALTER TABLE ondertekenverzoeken ADD COLUMN aangevraagd_rol TEXT;
ALTER TABLE ondertekenverzoeken ADD COLUMN email TEXT;
ALTER TABLE ondertekenverzoeken ADD COLUMN email_bron TEXT CHECK (email_bron IN ('aanbod', 'organisatie', 'ingevoerd'));
ALTER TABLE ondertekenverzoeken ADD COLUMN outbox_id BIGINT REFERENCES outbox (id);
ALTER TABLE ondertekenverzoeken ADD COLUMN geopend_op TIMESTAMP;
ALTER TABLE ondertekenverzoeken ADD COLUMN naam TEXT;

-- Where a proof's contact person comes from: the offer or the organisation's own account
-- (confirmed by the organisation), or typed by the newcomer or case worker (unconfirmed).
ALTER TABLE deelnamebewijzen ADD COLUMN contact_bron TEXT NOT NULL DEFAULT 'ingevoerd'
    CHECK (contact_bron IN ('aanbod', 'organisatie', 'ingevoerd'));
