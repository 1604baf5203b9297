DROP TABLE contractwijzigingen;
DROP TABLE inburgeringscontracten;
