--# schemasync user guide
--
--: One section per workflow people bring from other tools. Every command
--: below is run by the test suite (sql/guide.sql) and the output shown is
--: the real output; docs/guide.md is rendered from it by
--: test/guide/render.sh.
--
--## 0. Setting the scene
--: A live schema `shop` at version 1, and the desired version 2 built from
--: DDL files into a scratch schema `shop_next`.
CREATE SCHEMA shop;
CREATE TABLE shop.customers (id int PRIMARY KEY, email text NOT NULL, legacy text);
CREATE TABLE shop.orders (id int PRIMARY KEY, customer_id int REFERENCES shop.customers, total numeric(8,2));
INSERT INTO shop.customers VALUES (1, 'ada@example.com', 'x');
CREATE SCHEMA shop_next;
CREATE TABLE shop_next.customers (id int PRIMARY KEY, email text NOT NULL UNIQUE, created timestamptz NOT NULL DEFAULT now());
CREATE TABLE shop_next.orders (id int PRIMARY KEY, customer_id int REFERENCES shop_next.customers, total numeric(10,2) CHECK (total >= 0));
CREATE INDEX orders_customer ON shop_next.orders (customer_id);
--
--## 1. Review, choose, apply, verify (MySQL Workbench "Synchronize Model")
--: The differences, one statement per row, in an order that applies, each
--: saying whether it loses data and what it locks:
SELECT ordinal AS "#", action, identity, destructive AS loses_data, lock, ddl
FROM schemasync.diff('shop', 'shop_next') ORDER BY ordinal;
--: Choose what to apply by ordinal or identity: `only` takes just these
--: rows (a row that needs one left out is refused, naming it), `skip`
--: leaves rows out. Here, the index first:
CALL schemasync.apply('shop', 'shop_next', '{"only": ["shop.orders_customer"]}');
--: Apply everything but the column drop, and verify: what is left is
--: exactly what was left out.
CALL schemasync.apply('shop', 'shop_next', '{"skip": ["shop.customers.legacy"]}');
SELECT ordinal, ddl, destructive FROM schemasync.diff('shop', 'shop_next');
--
--## 2. Modes and guards (Sequelize `sync()`)
--: `sync()` creates what is missing; `sync({alter: true})` alters too; it
--: never drops unless asked; `match` refuses the wrong database.
--: schemasync: `mode` `create` or `alter` (the default), drops only with
--: `allow_drops`, and `database`, a regular expression on the database name.
CALL schemasync.apply('shop', 'shop_next', '{"allow_drops": true, "database": "^prod_"}');
CALL schemasync.apply('shop', 'shop_next');
CALL schemasync.apply('shop', 'shop_next', '{"allow_drops": true, "database": "^contrib_regression$"}');
SELECT count(*) AS differences FROM schemasync.diff('shop', 'shop_next');
--
--## 3. Promotion from dev to prod, with a drift gate (Bytebase, pg-schema-diff)
--: Take the model of the reviewed version (in real life: in the dev database,
--: saved to a file with `psql -XAtc "SELECT schemasync.snapshot(ARRAY['shop'])" > v3.json`).
ALTER TABLE shop_next.customers ADD COLUMN phone text;
SELECT schemasync.snapshot(ARRAY['shop_next']) AS v3 \gset
--: In prod: review against the model, and note the fingerprint of what was
--: reviewed.
SELECT ordinal, ddl FROM schemasync.diff(:'v3'::jsonb, '{"schema_map": {"shop_next": "shop"}}');
SELECT schemasync.fingerprint(ARRAY['shop']) AS reviewed \gset
--: Meanwhile someone changes prod by hand:
CREATE INDEX customers_email_lower ON shop.customers (lower(email));
--: The apply with the reviewed fingerprint refuses, changing nothing. It
--: locks the tables it will change before it compares, so nothing can slip
--: in between.
CALL schemasync.apply(:'v3'::jsonb, jsonb_build_object('schema_map', '{"shop_next": "shop"}'::jsonb, 'expected_fingerprint', :'reviewed', 'lock_timeout', '5s'));
--: Review again (the hand-made index is now in the plan, as a drop) and apply.
SELECT ordinal, ddl, destructive FROM schemasync.diff(:'v3'::jsonb, '{"schema_map": {"shop_next": "shop"}}');
SELECT schemasync.fingerprint(ARRAY['shop']) AS reviewed \gset
CALL schemasync.apply(:'v3'::jsonb, jsonb_build_object('schema_map', '{"shop_next": "shop"}'::jsonb, 'expected_fingerprint', :'reviewed'));
--
--## 4. One model, many tenants (schema per tenant)
--: `schema_map` sends the model's schema to each tenant's; one `DO` block
--: syncs them all in one transaction (or run one `CALL` per tenant from psql
--: to commit tenant by tenant).
CREATE SCHEMA tenant_1;
CREATE SCHEMA tenant_2;
CREATE TABLE tenant_2.customers (id int PRIMARY KEY);
DO $$
DECLARE
    m jsonb := schemasync.snapshot(ARRAY['shop']);
    t text;
BEGIN
    FOR t IN SELECT nspname FROM pg_namespace WHERE nspname LIKE 'tenant\_%' ORDER BY 1 LOOP
        CALL schemasync.apply(m, jsonb_build_object('schema_map', jsonb_build_object('shop', t), 'allow_drops', true));
    END LOOP;
END
$$;
SELECT t, schemasync.fingerprint(ARRAY[t]) = schemasync.fingerprint(ARRAY['tenant_1']) AS same_as_tenant_1
FROM unnest(ARRAY['tenant_1', 'tenant_2']) t;
--
--## 5. Migrations with rollback (ORM migrations)
--: Every apply is recorded in `schemasync.history`: the models before and
--: after and the statements run.
ALTER TABLE shop_next.orders ADD COLUMN note text;
CALL schemasync.apply('shop', 'shop_next');
SELECT id AS last_sync, desired, statements FROM schemasync.history ORDER BY id DESC LIMIT 1 \gset
SELECT :'desired' AS desired, :'statements' AS statements;
--: The script of that migration, and of its inverse, for review or for
--: running with `psql -1 -f`:
SELECT regexp_replace(schemasync.script((SELECT before FROM schemasync.history WHERE id = :last_sync), '{"allow_drops": true}'),
                      '-- (generated|fingerprint[^:]*): [^\n]*\n', '', 'g') AS inverse;
--: Roll it back:
CALL schemasync.rollback(:last_sync, '{"allow_drops": true}');
SELECT count(*) AS columns_named_note FROM information_schema.columns WHERE table_schema = 'shop' AND column_name = 'note';
--
--## 6. A drift check in CI
--: `check()` is silent when the database matches, and otherwise fails with
--: the differences, so `psql -v ON_ERROR_STOP=1 -c "SELECT schemasync.check(...)"`
--: fails the pipeline:
SELECT schemasync.check(:'v3'::jsonb, '{"schema_map": {"shop_next": "shop"}}');
SELECT schemasync.check('shop', 'shop_next');
--
DROP SCHEMA shop, shop_next, tenant_1, tenant_2 CASCADE;
