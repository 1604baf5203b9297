DROP FUNCTION IF EXISTS prestaties_vergrendeld CASCADE;
DROP TABLE ondertekenverzoeken;
DROP TABLE prestaties;
DROP TABLE deelnamebewijzen;
