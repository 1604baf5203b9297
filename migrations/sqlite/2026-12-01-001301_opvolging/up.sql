-- The trajectbegeleider's follow-up of a contract (issue 13, RULES.md R5): intake, follow-up
-- conversations, contact with a contact person, reminders, each with an effort judgement where
-- it applies. Append-only: a correction is a new entry naming the one it corrects.
CREATE TABLE opvolgingen (
    id INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL,
    contract_id BIGINT NOT NULL REFERENCES inburgeringscontracten (id),
    soort TEXT NOT NULL CHECK (soort IN ('aanmeldingsgesprek', 'intakegesprek', 'opvolgingsgesprek',
        'contactMetContactpersoon', 'schriftelijkeHerinnering', 'andere')),
    datum DATE NOT NULL,
    kanaal TEXT NOT NULL CHECK (kanaal IN ('fysiek', 'telefonisch', 'video', 'email', 'brief', 'andere')),
    notitie TEXT NOT NULL,
    inspanning TEXT CHECK (inspanning IN ('voldoende', 'onvoldoende', 'geen')),
    corrigeert BIGINT REFERENCES opvolgingen (id),
    door TEXT NOT NULL,
    door_rollen TEXT NOT NULL,
    op TIMESTAMP NOT NULL
);
CREATE INDEX opvolgingen_contract_idx ON opvolgingen (contract_id, id);

CREATE TRIGGER opvolgingen_no_update BEFORE UPDATE ON opvolgingen
BEGIN
    SELECT RAISE(ABORT, 'opvolgingen is append-only');
END;
CREATE TRIGGER opvolgingen_no_delete BEFORE DELETE ON opvolgingen
BEGIN
    SELECT RAISE(ABORT, 'opvolgingen is append-only');
END;
