DROP TABLE doorverwijzingen;
DROP TABLE aanbod_plaatsen;
