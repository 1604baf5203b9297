DROP TABLE organisaties;
