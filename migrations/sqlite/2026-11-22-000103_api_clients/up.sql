-- Machine clients (municipal IT systems) using the OAuth2 client-credentials grant. The secret
-- is stored only as an argon2 hash (PHC string).
CREATE TABLE api_clients (
    client_id TEXT PRIMARY KEY NOT NULL,
    naam TEXT NOT NULL,
    rol TEXT NOT NULL,
    gemeenten TEXT NOT NULL,
    secret_hash TEXT NOT NULL,
    actief BOOLEAN NOT NULL,
    aangemaakt_op TIMESTAMP NOT NULL,
    aangemaakt_door TEXT NOT NULL,
    laatst_gebruikt_op TIMESTAMP
);
