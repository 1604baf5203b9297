DROP TRIGGER opvolgingen_no_delete;
DROP TRIGGER opvolgingen_no_update;
DROP TABLE opvolgingen;
