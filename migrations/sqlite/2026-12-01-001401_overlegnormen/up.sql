-- Issue 14, R23: each network's own meeting norms, as JSON ({"stuurgroep": {"minimum": 4},
-- "klankbordgroep": {"minimum": 1, "maximum": 2}}); NULL: the defaults. Existing rows keep
-- the defaults they were judged by.
ALTER TABLE netwerk_beheer ADD COLUMN overlegnormen TEXT;
