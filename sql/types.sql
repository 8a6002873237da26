--
-- types: user types -- enums, domains (with their CHECK constraints),
-- composite types and range types -- created, dropped, altered in place or
-- re-created with their users converted; comments on them and on domain
-- constraints; their place in the order of a migration.
--
-- Each case is one call of ss_test.rt(A, B) (see test/regress/harness.sql):
-- the exact rows of schemasync.diff in each direction, then the outcome of
-- apply, of the re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix ty
\i test/regress/harness.sql

-- enums: created and dropped, with a comment; labels that need quoting
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TYPE mood AS ENUM ('a', 'b c', 'it''s', 'back\slash'); COMMENT ON TYPE mood IS 'feelings'$$);

-- labels only added, at the front, in the middle and at the end: ADD VALUE
-- in place (the reverse removes labels of an unused type: drop and create)
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('b', 'd')$$,
$$CREATE TYPE mood AS ENUM ('a0', 'a', 'b', 'c', 'd', 'e')$$);

-- a label added to a type in use: in place; removed: the type is re-created
-- and its columns converted, which fails on rows holding the label (destructive)
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (id int, m mood NOT NULL DEFAULT 'a');
  INSERT INTO t VALUES (1, 'b')$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE t (id int, m mood NOT NULL DEFAULT 'a');
  INSERT INTO t VALUES (1, 'b')$$);

-- a new label used in the same migration (a default, a CHECK): ADD VALUE
-- could not be used in apply's one transaction, so the type is re-created
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (id int, m mood DEFAULT 'a');
  INSERT INTO t VALUES (1, 'b')$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'new'); CREATE TABLE t (id int, m mood DEFAULT 'new' CHECK (m <> 'a'));
  INSERT INTO t VALUES (1, 'b')$$, false);

-- a new label used by a domain constraint of a domain over the enum
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE DOMAIN dm AS mood; CREATE TABLE t (m dm)$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE DOMAIN dm AS mood CONSTRAINT not_c CHECK (VALUE <> 'c');
  CREATE TABLE t (m dm)$$, false);

-- a new label used only where the differ deparses on demand: an index
-- predicate, a view, a trigger's WHEN, a SQL function with a string
-- body (which records no dependency on the type); each is re-created
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (id int, m mood)$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE t (id int, m mood);
  CREATE INDEX t_c ON t (id) WHERE m = 'c'$$, false);
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (id int, m mood)$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE t (id int, m mood);
  CREATE VIEW v AS SELECT id FROM t WHERE m = 'c'$$, false);
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE TABLE t (id int, m mood);
  CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END'$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE t (id int, m mood);
  CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
  CREATE TRIGGER t_c BEFORE INSERT ON t FOR EACH ROW WHEN (NEW.m = 'c') EXECUTE FUNCTION tf()$$, false);
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b')$$,
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c');
  CREATE FUNCTION happy() RETURNS mood LANGUAGE sql AS 'SELECT ''c''::mood'$$, false);

-- labels reordered and removed under a column with a default, a CHECK, a
-- partial index, an array column and rows: renamed away, re-created,
-- columns converted through text, dependents re-created, old type dropped
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b', 'c'); CREATE TABLE t (id int, m mood DEFAULT 'a', ms mood[], CHECK (m <> 'c'));
  CREATE INDEX ti ON t (m) WHERE m <> 'b'; INSERT INTO t VALUES (1, 'a', '{a,b}')$$,
$$CREATE TYPE mood AS ENUM ('b', 'a', 'd'); CREATE TABLE t (id int, m mood DEFAULT 'b', ms mood[], CHECK (m <> 'd'));
  CREATE INDEX ti ON t (m) WHERE m <> 'b'$$);

-- a column switched from one enum type to another goes through text
SELECT * FROM ss_test.rt(
$$CREATE TYPE e1 AS ENUM ('x', 'y'); CREATE TYPE e2 AS ENUM ('x', 'y', 'z');
  CREATE TABLE t (c e1 DEFAULT 'x'); INSERT INTO t VALUES ('y')$$,
$$CREATE TYPE e1 AS ENUM ('x', 'y'); CREATE TYPE e2 AS ENUM ('x', 'y', 'z');
  CREATE TABLE t (c e2 DEFAULT 'x'); INSERT INTO t VALUES ('y')$$);

-- the same for arrays of enums
SELECT * FROM ss_test.rt(
$$CREATE TYPE e1 AS ENUM ('x', 'y'); CREATE TYPE e2 AS ENUM ('x', 'y', 'z');
  CREATE TABLE t (c e1[]); INSERT INTO t VALUES ('{y,x}')$$,
$$CREATE TYPE e1 AS ENUM ('x', 'y'); CREATE TYPE e2 AS ENUM ('x', 'y', 'z');
  CREATE TABLE t (c e2[]); INSERT INTO t VALUES ('{y,x}')$$);

-- domains: every property, CHECK constraints (one NOT VALID, one calling a
-- built-in function), comments on the domain and on a constraint
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE DOMAIN email AS varchar(200) COLLATE "C" DEFAULT 'x@example.com' NOT NULL
    CONSTRAINT has_at CHECK (VALUE LIKE '%@%') CONSTRAINT short CHECK (length(VALUE) < 100);
  ALTER DOMAIN email ADD CONSTRAINT lower_only CHECK (VALUE = lower(VALUE)) NOT VALID;
  COMMENT ON DOMAIN email IS 'an address'; COMMENT ON CONSTRAINT has_at ON DOMAIN email IS 'needs an at sign';
  CREATE TABLE users (id int, mail email)$$);

-- domains altered in place: default, NOT NULL, constraints added, dropped
-- and changed, comments
SELECT * FROM ss_test.rt(
$$CREATE DOMAIN rating AS integer CONSTRAINT lo CHECK (VALUE >= 1) CONSTRAINT hi CHECK (VALUE <= 5);
  CREATE TABLE r (v rating); INSERT INTO r VALUES (3)$$,
$$CREATE DOMAIN rating AS integer DEFAULT 3 NOT NULL CONSTRAINT hi CHECK (VALUE <= 10) CONSTRAINT pos CHECK (VALUE > 0);
  COMMENT ON DOMAIN rating IS 'stars'; COMMENT ON CONSTRAINT pos ON DOMAIN rating IS 'positive';
  CREATE TABLE r (v rating); INSERT INTO r VALUES (3)$$);

-- a NOT VALID domain constraint validated in place
SELECT * FROM ss_test.rt(
$$CREATE DOMAIN rating AS integer; ALTER DOMAIN rating ADD CONSTRAINT lo CHECK (VALUE >= 1) NOT VALID$$,
$$CREATE DOMAIN rating AS integer CONSTRAINT lo CHECK (VALUE >= 1)$$, false);

-- a domain's base type changes under a column: re-created, column converted
SELECT * FROM ss_test.rt(
$$CREATE DOMAIN code AS varchar(10) CHECK (VALUE <> ''); CREATE TABLE t (c code DEFAULT 'a'); INSERT INTO t VALUES ('abc')$$,
$$CREATE DOMAIN code AS text CHECK (VALUE <> ''); CREATE TABLE t (c code DEFAULT 'a'); INSERT INTO t VALUES ('abc')$$);

-- an enum under a domain under a column: the domain is re-created with it
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE DOMAIN dm AS mood CHECK (VALUE IS NOT NULL);
  CREATE TABLE t (m dm, n mood); INSERT INTO t VALUES ('a', 'b')$$,
$$CREATE TYPE mood AS ENUM ('b', 'a'); CREATE DOMAIN dm AS mood CHECK (VALUE IS NOT NULL);
  CREATE TABLE t (m dm, n mood); INSERT INTO t VALUES ('a', 'b')$$);

-- a domain over a table's row type, and a table that uses it: order
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE base (a int); CREATE DOMAIN d AS base; CREATE TABLE uses (dcol d)$$);

-- composite types: created with a comment and an enum attribute (the enum first)
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TYPE status AS ENUM ('on', 'off'); CREATE TYPE rec AS (id integer, s status, note text COLLATE "C");
  COMMENT ON TYPE rec IS 'a record'$$);

-- attributes dropped, changing type and appended, in place; attribute comments
SELECT * FROM ss_test.rt(
$$CREATE TYPE rec AS (id integer, gone text, note text); COMMENT ON COLUMN rec.id IS 'old'; COMMENT ON COLUMN rec.note IS 'n'$$,
$$CREATE TYPE rec AS (id bigint, note text COLLATE "C", extra numeric(10,2));
  COMMENT ON COLUMN rec.id IS 'the id'; COMMENT ON COLUMN rec.extra IS 'it''s new'$$);

-- attributes appended and dropped under a column that uses the type: in
-- place; reordered: re-created and the column converted
SELECT * FROM ss_test.rt(
$$CREATE TYPE rec AS (a integer, b text); CREATE TABLE t (r rec)$$,
$$CREATE TYPE rec AS (a integer, c date); CREATE TABLE t (r rec)$$);
SELECT * FROM ss_test.rt(
$$CREATE TYPE rec AS (a integer, b text); CREATE TABLE t (r rec); INSERT INTO t VALUES (ROW(1, '2'))$$,
$$CREATE TYPE rec AS (b text, a integer); CREATE TABLE t (r rec); INSERT INTO t VALUES (ROW('1', 2))$$, false);

-- a composite type takes a table's name: the table goes first
SELECT * FROM ss_test.rt(
$$CREATE TABLE thing (a int)$$,
$$CREATE TYPE thing AS (a int)$$);

-- range types: created with options, and a multirange name
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TYPE floatrange AS RANGE (SUBTYPE = float8, SUBTYPE_DIFF = float8mi);
  CREATE TYPE textrange AS RANGE (SUBTYPE = text, COLLATION = "C", MULTIRANGE_TYPE_NAME = textranges);
  COMMENT ON TYPE floatrange IS 'floats'$$);

-- a range's subtype changes under a column: re-created, column converted
SELECT * FROM ss_test.rt(
$$CREATE TYPE r AS RANGE (SUBTYPE = int4); CREATE TABLE t (x r, y r_multirange); INSERT INTO t VALUES ('[1,5)', '{[1,2)}')$$,
$$CREATE TYPE r AS RANGE (SUBTYPE = int8); CREATE TABLE t (x r, y r_multirange); INSERT INTO t VALUES ('[1,5)', '{[1,2)}')$$);

-- an enum and a domain become each other (another kind: re-created)
SELECT * FROM ss_test.rt(
$$CREATE TYPE "Odd ""name""" AS ENUM ('x')$$,
$$CREATE DOMAIN "Odd ""name""" AS text$$);

-- a type in the model path: snapshot, diff and apply against a fresh schema
SELECT ss_test.setup($$$$,
$$CREATE TYPE mood AS ENUM ('a', 'b'); CREATE DOMAIN pos AS int DEFAULT 1 CONSTRAINT p CHECK (VALUE > 0);
  COMMENT ON CONSTRAINT p ON DOMAIN pos IS 'positive';
  CREATE TYPE rec AS (m mood, p pos); CREATE TYPE ir AS RANGE (SUBTYPE = int4);
  CREATE TABLE t (id int, m mood[], r rec, x ir)$$);
SELECT jsonb_pretty(o) FROM jsonb_array_elements(schemasync.snapshot(ARRAY['ty_b']) -> 'objects') o
 WHERE o ->> 'kind' IN ('type', 'domain_constraint');
SELECT kind, identity, action, ddl FROM schemasync.diff(
  schemasync.snapshot(ARRAY['ty_b']), '{"schema_map": {"ty_b": "ty_a"}}');
CALL schemasync.apply(schemasync.snapshot(ARRAY['ty_b']), '{"schema_map": {"ty_b": "ty_a"}}');
SELECT count(*) FROM schemasync.diff('ty_a', 'ty_b');

-- a hand-written model: the fields checked
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ty_a"],
  "objects": [{"kind": "type", "schema": "ty_a", "name": "e", "type_kind": "enum", "base": "int"}]}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ty_a"],
  "objects": [{"kind": "type", "schema": "ty_a", "name": "e", "type_kind": "enum", "labels": "a"}]}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ty_a"],
  "objects": [{"kind": "domain_constraint", "schema": "ty_a", "name": "c", "domain": "nope", "definition": "CHECK (VALUE > 0)"}]}');
SELECT kind, identity, action, ddl FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ty_a"],
  "objects": [{"kind": "type", "schema": "ty_a", "name": "e", "type_kind": "enum", "labels": ["x", "y"]},
              {"kind": "type", "schema": "ty_a", "name": "d", "type_kind": "domain", "base": "int4", "not_null": true},
              {"kind": "domain_constraint", "schema": "ty_a", "name": "c", "domain": "d", "definition": "check (value > 0)"}]}');

-- a hand-written model without depends_on: the types still come first
SELECT ss_test.setup($$$$, $$$$);
SELECT kind, identity, action, ddl FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ty_a"],
  "objects": [{"kind": "table", "schema": "ty_a", "name": "t", "columns": [{"name": "m", "type": "\"My mood\"[]"}, {"name": "d", "type": "dd"}]},
              {"kind": "type", "schema": "ty_a", "name": "My mood", "type_kind": "enum", "labels": ["x"]},
              {"kind": "type", "schema": "ty_a", "name": "dd", "type_kind": "domain", "base": "cc"},
              {"kind": "type", "schema": "ty_a", "name": "cc", "type_kind": "composite", "attributes": ["a \"My mood\"", "b numeric(4,1)"]}]}');

-- a new label that a new partition is bound by: PostgreSQL refuses the
-- label in the transaction that adds it, so the ADD VALUE row says so
-- (commit_first, and the reason gives the way out) and apply refuses it with
-- the others before running anything; applying it alone first, then the
-- rest, converges
SELECT $$CREATE TYPE region AS ENUM ('eu', 'us');
  CREATE TABLE sales (r region NOT NULL, amount int) PARTITION BY LIST (r);
  CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('eu')$$ AS sales_v1,
$$CREATE TYPE region AS ENUM ('eu', 'us', 'apac');
  CREATE TABLE sales (r region NOT NULL, amount int) PARTITION BY LIST (r);
  CREATE TABLE sales_eu PARTITION OF sales FOR VALUES IN ('eu');
  CREATE TABLE sales_apac PARTITION OF sales FOR VALUES IN ('apac')$$ AS sales_v2 \gset
SELECT ss_test.setup(:'sales_v1', :'sales_v2');
SELECT ordinal, kind, identity, ddl, hazards, reason FROM schemasync.diff('ty_a', 'ty_b');
CALL schemasync.apply('ty_a', 'ty_b');
-- refused before anything ran: both rows are still to do
SELECT count(*) FROM schemasync.diff('ty_a', 'ty_b');
CALL schemasync.apply('ty_a', 'ty_b', '{"only": ["1"]}');
CALL schemasync.apply('ty_a', 'ty_b');
SELECT count(*) FROM schemasync.diff('ty_a', 'ty_b');
-- script() commits the label in a transaction of its own before the others:
-- the script runs as written, and the schemas are then equal
SELECT ss_test.setup(:'sales_v1', :'sales_v2');
SELECT schemasync.script('ty_a', 'ty_b') AS script \gset
SELECT regexp_replace(:'script', '-- (generated|fingerprint)[^\n]*\n', '', 'g') AS script;
:script
SELECT count(*) FROM schemasync.diff('ty_a', 'ty_b');

-- typed tables are not modeled: reported, never silently treated as plain tables
SELECT ss_test.setup($$$$, $$CREATE TYPE rec AS (a int); CREATE TABLE typed OF rec$$);
SELECT count(*) FROM schemasync.diff('ty_a', 'ty_b');
