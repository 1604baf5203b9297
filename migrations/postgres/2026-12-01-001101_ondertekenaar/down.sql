ALTER TABLE deelnamebewijzen DROP COLUMN ondertekend_sub;
