-- Moderation that never hides a published offer (issue 14): an organisation's change to a
-- published offer is stored here as a proposed revision (`voorstel`: the offer as the client
-- wrote it, JSON) while the offer stays published as it was. The municipality approves it (the
-- proposal becomes the offer) or rejects it with a motivation. At most one open revision per
-- offer: a new change replaces it. Decided revisions stay, so the organisation sees why.
CREATE TABLE aanbodrevisies (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    aanbod_id BIGINT NOT NULL REFERENCES aanbod (id),
    status TEXT NOT NULL CHECK (status IN ('open', 'goedgekeurd', 'afgekeurd')),
    voorstel TEXT NOT NULL,
    basis_versie BIGINT NOT NULL,
    voorgesteld_door TEXT NOT NULL,
    voorgesteld_op TIMESTAMP NOT NULL,
    motivatie TEXT,
    beoordeeld_door TEXT,
    beoordeeld_op TIMESTAMP,
    CHECK (status <> 'afgekeurd' OR motivatie IS NOT NULL)
);
CREATE UNIQUE INDEX aanbodrevisies_open_uq ON aanbodrevisies (aanbod_id) WHERE status = 'open';
CREATE INDEX aanbodrevisies_aanbod_idx ON aanbodrevisies (aanbod_id, id);
