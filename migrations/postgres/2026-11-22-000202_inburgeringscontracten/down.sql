DROP TABLE contractwijzigingen;
DROP FUNCTION contractwijzigingen_append_only();
DROP TABLE inburgeringscontracten;
