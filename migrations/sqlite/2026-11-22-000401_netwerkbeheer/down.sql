DROP TABLE netwerk_acties;
DROP TABLE netwerk_overleg_deelnemers;
DROP TABLE netwerk_overleggen;
DROP TABLE netwerk_partners;
DROP TABLE netwerk_medewerkers;
DROP TABLE netwerk_beheer;
