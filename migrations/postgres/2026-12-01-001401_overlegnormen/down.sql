ALTER TABLE netwerk_beheer DROP COLUMN overlegnormen;
