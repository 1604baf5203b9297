-- Events (issue 16): every state change another system acts on, written in the transaction of
-- the change. Readers page by (tx, id): on PostgreSQL `tx` is the writing transaction's id and
-- a reader only sees events of transactions older than its snapshot's xmin, so an event that
-- commits late can never fall behind a cursor (gap-free); SQLite serialises writers, so `tx` is
-- 0 and the id alone is the commit order. No personal data: ids, the type and the scope.
CREATE TABLE gebeurtenissen (
    id BIGSERIAL PRIMARY KEY,
    tx BIGINT NOT NULL DEFAULT (pg_current_xact_id()::text::bigint),
    type TEXT NOT NULL,
    resource TEXT NOT NULL,
    resource_id BIGINT NOT NULL,
    versie BIGINT,
    op TIMESTAMP NOT NULL,
    gemeente TEXT,
    organisatie_id BIGINT,
    trajectbegeleider TEXT,
    verwijzingen TEXT NOT NULL DEFAULT '{}'
);
CREATE INDEX gebeurtenissen_volgorde_idx ON gebeurtenissen (tx, id);
CREATE INDEX gebeurtenissen_op_idx ON gebeurtenissen (op);
CREATE INDEX gebeurtenissen_tb_idx ON gebeurtenissen (trajectbegeleider, tx, id);
CREATE INDEX gebeurtenissen_org_idx ON gebeurtenissen (organisatie_id, tx, id);
CREATE INDEX gebeurtenissen_gemeente_idx ON gebeurtenissen (gemeente, tx, id);
