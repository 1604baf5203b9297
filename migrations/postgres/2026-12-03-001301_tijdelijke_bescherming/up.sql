-- R1 (issue 13): temporary protection (Ukrainian refugees, always rechthebbend) and the
-- voortrajecten the agency organises since March 2022 outside the inburgeringstraject: no
-- contract, no PNT, no hours. The voortrajecten are a JSON list (begin, einde, onderdelen).
ALTER TABLE inburgeraars ADD COLUMN tijdelijke_bescherming_sinds DATE;
ALTER TABLE inburgeraars ADD COLUMN voortrajecten TEXT NOT NULL DEFAULT '[]';
