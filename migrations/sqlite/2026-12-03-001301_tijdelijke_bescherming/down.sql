ALTER TABLE inburgeraars DROP COLUMN voortrajecten;
ALTER TABLE inburgeraars DROP COLUMN tijdelijke_bescherming_sinds;
