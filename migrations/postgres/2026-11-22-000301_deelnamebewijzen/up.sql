-- Deelnamebewijzen (R7-R10): proofs of participation. One proof holds the hours of one
-- aanbodtype at one organisation / contact person for one contract; its lines (prestaties) are
-- stored in quarter hours, so sums are exact. Text copies of the activity and organisation name
-- keep a proof readable when the offer it links to is removed.
CREATE TABLE deelnamebewijzen (
    id BIGSERIAL PRIMARY KEY,
    contract_id BIGINT NOT NULL REFERENCES inburgeringscontracten (id),
    aanbod_id BIGINT REFERENCES aanbod (id) ON DELETE SET NULL,
    activiteit TEXT NOT NULL,
    organisatie_id BIGINT REFERENCES organisaties (id),
    organisatie_naam TEXT NOT NULL,
    aanbodtype TEXT NOT NULL CHECK (aanbodtype IN
        ('buddyproject', 'kennismakingsstage', 'vrijwilligerswerk', 'praattafel', 'vrijetijd', 'andere')),
    contact_naam TEXT NOT NULL,
    contact_email TEXT,
    contact_telefoon TEXT,
    status TEXT NOT NULL CHECK (status IN
        ('concept', 'teOndertekenen', 'ondertekend', 'geweigerd', 'goedgekeurd', 'afgekeurd')),
    ondertekend_door TEXT,
    ondertekend_op TIMESTAMP,
    ondertekend_via TEXT CHECK (ondertekend_via IN ('account', 'link')),
    geweigerd_door TEXT,
    geweigerd_op TIMESTAMP,
    geweigerd_via TEXT CHECK (geweigerd_via IN ('account', 'link')),
    weigering_motivatie TEXT,
    beoordeeld_door TEXT,
    beoordeeld_op TIMESTAMP,
    beoordeling TEXT CHECK (beoordeling IN ('goedgekeurd', 'afgekeurd')),
    beoordeling_motivatie TEXT,
    versie BIGINT NOT NULL DEFAULT 1,
    aangemaakt_op TIMESTAMP NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    gewijzigd_op TIMESTAMP NOT NULL
);
CREATE INDEX deelnamebewijzen_contract_idx ON deelnamebewijzen (contract_id, aanbodtype, status);
CREATE INDEX deelnamebewijzen_organisatie_idx ON deelnamebewijzen (organisatie_id, status);

-- The hours per day of a proof; one line per day (R10), 1 to 48 quarter hours (0.25 to 12 h).
CREATE TABLE prestaties (
    id BIGSERIAL PRIMARY KEY,
    bewijs_id BIGINT NOT NULL REFERENCES deelnamebewijzen (id),
    datum DATE NOT NULL,
    kwartieren INTEGER NOT NULL CHECK (kwartieren BETWEEN 1 AND 48),
    omschrijving TEXT
);
CREATE UNIQUE INDEX prestaties_bewijs_datum_uq ON prestaties (bewijs_id, datum);

-- One-time signing links. Only the SHA-256 of the token is stored; `bewijs_versie` ties the link
-- to the proof's content when it was made (a later change makes it outdated).
CREATE TABLE ondertekenverzoeken (
    id BIGSERIAL PRIMARY KEY,
    bewijs_id BIGINT NOT NULL REFERENCES deelnamebewijzen (id),
    token_hash TEXT NOT NULL,
    bewijs_versie BIGINT NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    verloopt_op TIMESTAMP NOT NULL,
    gebruikt_op TIMESTAMP,
    beslissing TEXT CHECK (beslissing IN ('ondertekenen', 'weigeren'))
);
CREATE UNIQUE INDEX ondertekenverzoeken_token_uq ON ondertekenverzoeken (token_hash);
CREATE INDEX ondertekenverzoeken_bewijs_idx ON ondertekenverzoeken (bewijs_id);

-- A signed or approved proof is immutable: its lines cannot change, also not by hand.
CREATE FUNCTION prestaties_vergrendeld() RETURNS trigger AS $$
DECLARE
    bewijs BIGINT;
BEGIN
    IF TG_OP = 'INSERT' THEN bewijs := NEW.bewijs_id; ELSE bewijs := OLD.bewijs_id; END IF;
    IF (SELECT status FROM deelnamebewijzen WHERE id = bewijs) IN ('ondertekend', 'goedgekeurd') THEN
        RAISE EXCEPTION 'the lines of a signed proof cannot change';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER prestaties_vergrendeld BEFORE INSERT OR UPDATE OR DELETE ON prestaties
    FOR EACH ROW EXECUTE FUNCTION prestaties_vergrendeld();
