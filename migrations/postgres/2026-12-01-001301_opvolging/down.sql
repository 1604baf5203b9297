DROP TRIGGER opvolgingen_append_only ON opvolgingen;
DROP FUNCTION opvolgingen_append_only();
DROP TABLE opvolgingen;
