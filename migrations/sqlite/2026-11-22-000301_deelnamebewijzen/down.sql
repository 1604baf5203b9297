DROP TABLE ondertekenverzoeken;
DROP TABLE prestaties;
DROP TABLE deelnamebewijzen;
