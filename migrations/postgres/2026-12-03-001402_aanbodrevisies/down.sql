DROP TABLE aanbodrevisies;
