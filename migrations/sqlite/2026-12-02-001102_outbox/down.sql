ALTER TABLE deelnamebewijzen DROP COLUMN contact_bron;
ALTER TABLE ondertekenverzoeken DROP COLUMN naam;
ALTER TABLE ondertekenverzoeken DROP COLUMN geopend_op;
ALTER TABLE ondertekenverzoeken DROP COLUMN outbox_id;
ALTER TABLE ondertekenverzoeken DROP COLUMN email_bron;
ALTER TABLE ondertekenverzoeken DROP COLUMN email;
ALTER TABLE ondertekenverzoeken DROP COLUMN aangevraagd_rol;
DROP TABLE outbox;
