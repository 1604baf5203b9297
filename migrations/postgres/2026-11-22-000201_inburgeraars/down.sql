DROP TABLE inburgeraars;
