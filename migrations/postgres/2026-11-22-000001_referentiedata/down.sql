DROP TABLE gemeente_fusies;
DROP TABLE gemeenten;
DROP TABLE regionale_netwerken;
