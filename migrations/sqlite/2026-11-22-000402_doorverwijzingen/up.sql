-- Referrals of newcomers to offers, with capacity and a waiting list (issue 6).
--
-- aanbod_plaatsen keeps, per offer with referrals, how many places are taken (referrals in
-- 'voorgesteld' or 'gestart'). Every referral write on an offer first locks its row here
-- (UPDATE ... SET slot = slot + 1), then claims a place with one conditional statement
-- (UPDATE ... SET bezet = bezet + 1 WHERE bezet < capaciteit): one row changed = place taken,
-- none = waiting list. That holds under concurrent requests on both backends: PostgreSQL
-- serialises the writers on the row lock, SQLite on its database write lock.
CREATE TABLE aanbod_plaatsen (
    aanbod_id BIGINT PRIMARY KEY NOT NULL REFERENCES aanbod (id),
    bezet INTEGER NOT NULL DEFAULT 0 CHECK (bezet >= 0),
    slot BIGINT NOT NULL DEFAULT 0
);

CREATE TABLE doorverwijzingen (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    contract_id BIGINT NOT NULL REFERENCES inburgeringscontracten (id),
    aanbod_id BIGINT NOT NULL REFERENCES aanbod (id),
    status TEXT NOT NULL CHECK (status IN ('voorgesteld', 'wachtlijst', 'gestart', 'afgerond', 'afgebroken')),
    warme_overdracht BOOLEAN NOT NULL,
    warme_overdracht_notitie TEXT,
    toeleider_naam TEXT,
    toeleider_contact TEXT,
    reden_afgebroken TEXT,
    plaats_toegekend_op TIMESTAMP,
    gestart_op DATE,
    afgerond_op DATE,
    afgebroken_op DATE,
    versie BIGINT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL,
    CHECK (status <> 'afgebroken' OR reden_afgebroken IS NOT NULL)
);
-- One referral in progress per contract and offer.
CREATE UNIQUE INDEX doorverwijzingen_open_uq ON doorverwijzingen (contract_id, aanbod_id)
    WHERE status IN ('voorgesteld', 'wachtlijst', 'gestart');
-- The waiting list of an offer in order (first come, first served) and the places taken.
CREATE INDEX doorverwijzingen_aanbod_idx ON doorverwijzingen (aanbod_id, status, id);
CREATE INDEX doorverwijzingen_contract_idx ON doorverwijzingen (contract_id);
