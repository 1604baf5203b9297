-- When an offer takes place (R30, issue 14). `aanbod.momenten` holds the schedule as the client
-- wrote it (a JSON array, like `themas`); `aanbodmomenten` holds one row per moment for search:
-- the day of the week (of a dated session too, derived from its date) and the times as minutes
-- after midnight, so the `weekdag` and `dagdeel` filters and the `weekdag` facet read an index.
ALTER TABLE aanbod ADD COLUMN momenten TEXT NOT NULL DEFAULT '[]';
CREATE TABLE aanbodmomenten (
    aanbod_id INTEGER NOT NULL REFERENCES aanbod (id) ON DELETE CASCADE,
    volgnummer INTEGER NOT NULL,
    -- `wekelijks` (a weekly slot) or `datum` (a dated session)
    soort TEXT NOT NULL CHECK (soort IN ('wekelijks', 'datum')),
    weekdag TEXT NOT NULL,
    datum DATE,
    van INTEGER NOT NULL,
    tot INTEGER NOT NULL,
    geldig_van DATE,
    geldig_tot DATE,
    PRIMARY KEY (aanbod_id, volgnummer),
    CHECK (van >= 0 AND tot <= 1440 AND van < tot)
);
-- `weekdag` (with or without `dagdeel`): the day, then the overlap with the part of the day.
CREATE INDEX aanbodmomenten_weekdag_idx ON aanbodmomenten (weekdag, van, tot, aanbod_id);
-- `dagdeel` alone: a part that starts at midnight is `van < end`, one that ends at midnight `tot > start`.
CREATE INDEX aanbodmomenten_van_idx ON aanbodmomenten (van, tot, aanbod_id);
CREATE INDEX aanbodmomenten_tot_idx ON aanbodmomenten (tot, van, aanbod_id);
