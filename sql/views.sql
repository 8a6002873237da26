--
-- views: views and materialized views, their options, populated state,
-- comments (on them and on their columns), indexes on materialized views,
-- and the dependency cases: a column type change under a view and a view on
-- that view, a view that depends on a primary key, a view chain whose middle
-- view changes incompatibly, a materialized view over a view that is
-- re-created, a table swapped for a view of the same name and back, a
-- column dropped that a view uses.  Both directions of every case.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each
-- direction, then the outcome of apply, of the re-diff and of an
-- independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix vw
\i test/regress/harness.sql

-- a view created and dropped, with comments on it and on a column
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int PRIMARY KEY, name text)$$,
$$CREATE TABLE t (id int PRIMARY KEY, name text);
  CREATE VIEW v AS SELECT id, upper(name) AS uname FROM t WHERE id > 0;
  COMMENT ON VIEW v IS 'positive ids';
  COMMENT ON COLUMN v.uname IS 'name, upper case'$$);

-- CREATE OR REPLACE: a new definition that keeps the columns and appends
-- one; options (security_barrier, security_invoker, check_option) set and
-- removed with it; a view on the view is left alone.  Backwards the column
-- goes: the view is re-created, and the view on it with it.
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int PRIMARY KEY, name text, n int);
  CREATE VIEW v AS SELECT id, name FROM t;
  CREATE VIEW w AS SELECT id FROM v$$,
$$CREATE TABLE t (id int PRIMARY KEY, name text, n int);
  CREATE VIEW v WITH (security_barrier, security_invoker) AS
    SELECT id, name, n FROM t WHERE n > 0 WITH LOCAL CHECK OPTION;
  CREATE VIEW w AS SELECT id FROM v$$);

-- options alone, and CASCADED CHECK OPTION
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, n int);
  CREATE VIEW v WITH (security_barrier = false) AS SELECT id, n FROM t$$,
$$CREATE TABLE t (id int, n int);
  CREATE VIEW v AS SELECT id, n FROM t WITH CASCADED CHECK OPTION$$);

-- comments only: a view comment changed, a column comment added, one removed
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int);
  CREATE VIEW v AS SELECT a, b FROM t;
  COMMENT ON VIEW v IS 'old';
  COMMENT ON COLUMN v.a IS 'column a'$$,
$$CREATE TABLE t (a int, b int);
  CREATE VIEW v AS SELECT a, b FROM t;
  COMMENT ON VIEW v IS 'new';
  COMMENT ON COLUMN v.b IS 'column b'$$);

-- quoted names everywhere
SELECT * FROM ss_test.rt(
$$CREATE TABLE "Order" ("Id" int, "Some Value" text)$$,
$$CREATE TABLE "Order" ("Id" int, "Some Value" text);
  CREATE VIEW "My View" AS SELECT "Id", "Some Value" AS "Odd ""Name""" FROM "Order";
  COMMENT ON COLUMN "My View"."Odd ""Name""" IS 'it''s odd';
  CREATE MATERIALIZED VIEW "Mat View" AS SELECT "Id" FROM "My View" WITH NO DATA;
  CREATE INDEX "Mat Idx" ON "Mat View" ("Id")$$);

-- a column type change under a view and a view on that view: both are
-- dropped before the ALTER and created again after it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int PRIMARY KEY, amount numeric(10,2), note text);
  CREATE VIEW v AS SELECT id, amount FROM t;
  CREATE VIEW w AS SELECT id, amount * 2 AS twice FROM v$$,
$$CREATE TABLE t (id int PRIMARY KEY, amount numeric(12,2), note text);
  CREATE VIEW v AS SELECT id, amount FROM t;
  CREATE VIEW w AS SELECT id, amount * 2 AS twice FROM v$$);

-- a view that depends on a primary key (GROUP BY id lets it use the other
-- columns): the key is re-created under a new name, so the view is dropped
-- first and created again after
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int CONSTRAINT t_pkey PRIMARY KEY, name text, n int);
  CREATE VIEW v AS SELECT id, name, sum(n) AS total FROM t GROUP BY id$$,
$$CREATE TABLE t (id int CONSTRAINT t_key PRIMARY KEY, name text, n int);
  CREATE VIEW v AS SELECT id, name, sum(n) AS total FROM t GROUP BY id$$);

-- the key goes, and the view no longer relies on it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int PRIMARY KEY, name text, n int);
  CREATE VIEW v AS SELECT id, name, sum(n) AS total FROM t GROUP BY id$$,
$$CREATE TABLE t (id int, name text, n int);
  CREATE VIEW v AS SELECT id, name, sum(n) AS total FROM t GROUP BY id, name$$);

-- a view chain whose middle view changes incompatibly (a column's type):
-- the last view and a materialized view over the middle one, with its
-- index, are re-created around it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, n int);
  CREATE VIEW v1 AS SELECT id, n FROM t;
  CREATE VIEW v2 AS SELECT id, n FROM v1;
  CREATE VIEW v3 AS SELECT id FROM v2 WHERE n > 1;
  CREATE MATERIALIZED VIEW m AS SELECT id, n FROM v2;
  CREATE UNIQUE INDEX m_id ON m (id)$$,
$$CREATE TABLE t (id int, n int);
  CREATE VIEW v1 AS SELECT id, n FROM t;
  CREATE VIEW v2 AS SELECT id, n::bigint AS n FROM v1;
  CREATE VIEW v3 AS SELECT id FROM v2 WHERE n > 1;
  CREATE MATERIALIZED VIEW m AS SELECT id, n FROM v2;
  CREATE UNIQUE INDEX m_id ON m (id)$$);

-- a materialized view: WITH NO DATA and WITH DATA are kept apart (a
-- REFRESH when only that differs), storage parameters set and reset, a
-- comment on it and one of its columns, an index added
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, n int);
  CREATE MATERIALIZED VIEW m WITH (fillfactor = 70, autovacuum_enabled = false) AS
    SELECT id, n FROM t WITH NO DATA$$,
$$CREATE TABLE t (id int, n int);
  CREATE MATERIALIZED VIEW m WITH (fillfactor = 80) AS SELECT id, n FROM t;
  CREATE INDEX m_n ON m (n);
  COMMENT ON MATERIALIZED VIEW m IS 'summary';
  COMMENT ON COLUMN m.n IS 'the n'$$);

-- a materialized view's definition changes: it is re-created, populated
-- as the reference is, and its index is created again
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, n int);
  CREATE MATERIALIZED VIEW m AS SELECT id, n FROM t;
  CREATE UNIQUE INDEX m_id ON m (id)$$,
$$CREATE TABLE t (id int, n int);
  CREATE MATERIALIZED VIEW m AS SELECT id, n + 1 AS n FROM t WITH NO DATA;
  CREATE UNIQUE INDEX m_id ON m (id)$$);

-- a table swapped for a view of the same name (and back), with a view on
-- it: the drop frees the name before the create takes it
SELECT * FROM ss_test.rt(
$$CREATE TABLE base (id int, n int);
  CREATE TABLE s (id int, n int);
  CREATE VIEW on_s AS SELECT id FROM s$$,
$$CREATE TABLE base (id int, n int);
  CREATE VIEW s AS SELECT id, n FROM base;
  CREATE VIEW on_s AS SELECT id FROM s$$);

-- a materialized view swapped for a view of the same name (and back)
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
  CREATE MATERIALIZED VIEW x AS SELECT id FROM t$$,
$$CREATE TABLE t (id int);
  CREATE VIEW x AS SELECT id FROM t$$);

-- a column dropped that a view used in its WHERE clause: the view is
-- dropped first, then the column, then the view is created again
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, flag boolean);
  CREATE VIEW v AS SELECT id FROM t WHERE flag$$,
$$CREATE TABLE t (id int);
  CREATE VIEW v AS SELECT id FROM t$$);

-- a column dropped that a view returned: the view is re-created without it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, extra text);
  CREATE VIEW v AS SELECT id, extra FROM t$$,
$$CREATE TABLE t (id int);
  CREATE VIEW v AS SELECT id FROM t$$);

-- a table dropped with the views on it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
  CREATE VIEW v AS SELECT id FROM t;
  CREATE MATERIALIZED VIEW m AS SELECT id FROM v$$,
$$SELECT 1$$);

-- a view that references another schema stays qualified
CREATE SCHEMA vw_other;
CREATE TABLE vw_other.lookup (code text PRIMARY KEY);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (code text)$$,
$$CREATE TABLE t (code text);
  CREATE VIEW v AS SELECT t.code FROM t JOIN vw_other.lookup l USING (code)$$);

-- the model path: a snapshot of one side, applied to the other
SELECT ss_test.setup(
$$CREATE TABLE t (id int PRIMARY KEY, n int);
  CREATE VIEW v AS SELECT id FROM t$$,
$$CREATE TABLE t (id int PRIMARY KEY, n int);
  CREATE VIEW v WITH (security_barrier) AS SELECT id, n FROM t;
  COMMENT ON COLUMN v.n IS 'n';
  CREATE MATERIALIZED VIEW m AS SELECT id, n FROM v WITH NO DATA;
  CREATE INDEX m_n ON m (n)$$);
SELECT jsonb_pretty(o) FROM jsonb_array_elements(schemasync.snapshot(ARRAY['vw_b']) -> 'objects') o
WHERE o ->> 'kind' IN ('view', 'materialized_view') OR o ->> 'table' = 'm';
SELECT ordinal, kind, identity, action, ddl
FROM schemasync.diff(schemasync.snapshot(ARRAY['vw_b']), '{"schema_map": {"vw_b": "vw_a"}}');
CALL schemasync.apply(schemasync.snapshot(ARRAY['vw_b']), '{"schema_map": {"vw_b": "vw_a"}, "allow_drops": true}');
SELECT count(*) AS rediff FROM schemasync.diff('vw_a', 'vw_b');
SELECT (SELECT array_agg(f) FROM ss_test.fingerprint('vw_a') f)
     = (SELECT array_agg(f) FROM ss_test.fingerprint('vw_b') f) AS catalogs_equal;

-- a hand-written model: texts normalized through the scratch schema, and
-- checked input
SELECT ordinal, kind, identity, action, ddl
FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["vw_a"], "objects": [
  {"kind": "table", "schema": "vw_a", "name": "t", "columns": [{"name": "id", "type": "int"}]},
  {"kind": "view", "schema": "vw_a", "name": "v", "definition": "select id from t",
   "column_comments": {"id": "the id"}, "depends_on": ["table:t"]}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["vw_a"], "objects": [
  {"kind": "view", "schema": "vw_a", "name": "v", "definition": "select 1",
   "column_comments": {"id": 3}}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["vw_a"], "objects": [
  {"kind": "view", "schema": "vw_a", "name": "v", "definition": "select 1; drop table t"}]}'::jsonb);

-- raw keys (docs/design.md, "Reading fast"): a view whose query tree is the
-- same on both sides but whose table's column was renamed after it was
-- made prints another definition, and is replaced; views over an enum of
-- the schema, a function of it and a regclass constant compare as texts
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('ok', 'sad');
  CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 * 2;
  CREATE TABLE t (a int, b mood);
  CREATE VIEW v AS SELECT a, b FROM t;
  CREATE VIEW w AS SELECT b, twice(a) AS a2, 't'::regclass AS r FROM t WHERE b = 'ok'$$,
$$CREATE TYPE mood AS ENUM ('ok', 'sad');
  CREATE FUNCTION twice(int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 * 2;
  CREATE TABLE t (a int, b mood);
  CREATE VIEW v AS SELECT a, b FROM t;
  CREATE VIEW w AS SELECT b, twice(a) AS a2, 't'::regclass AS r FROM t WHERE b = 'ok';
  DROP VIEW w;
  ALTER TABLE t RENAME COLUMN a TO c;
  CREATE VIEW w AS SELECT b, twice(c) AS a2, 't'::regclass AS r FROM t WHERE b = 'ok'$$);

-- a table of the schema named as a relation searched before it, which
-- hides it: one of pg_catalog's (pg_type), or a temporary table of the
-- session (shadow); printed qualified, so a view over it and a regclass
-- default naming it differ between the two schemas, where the same over a
-- visible table do not (each relation's visibility is asked once per read)
CREATE TEMP TABLE shadow (id int);
SELECT r.* FROM (VALUES ('pg_type'), ('shadow')) AS hidden(name),
LATERAL ss_test.rt(format(
$$CREATE TABLE %1$s (id int); CREATE TABLE t (id int);
  CREATE TABLE d (a regclass DEFAULT 'vw_a.%1$s', b regclass DEFAULT 't');
  CREATE VIEW v AS SELECT p.id FROM vw_a.%1$s p JOIN t USING (id)$$, hidden.name), format(
$$CREATE TABLE %1$s (id int); CREATE TABLE t (id int);
  CREATE TABLE d (a regclass DEFAULT 'vw_b.%1$s', b regclass DEFAULT 't');
  CREATE VIEW v AS SELECT p.id FROM vw_b.%1$s p JOIN t USING (id)$$, hidden.name)) AS r;
DROP TABLE pg_temp.shadow;

-- a view and a default calling a function of one of the two schemas print
-- it qualified on the other side only: the same OID, different texts (a
-- raw key that stepped over the OIDs of a node tree would call them equal)
SELECT ss_test.setup(
$$CREATE FUNCTION f(int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 + 1;
  CREATE TABLE t (a int DEFAULT f(0));
  CREATE VIEW v AS SELECT f(a) AS b FROM t$$,
$$CREATE FUNCTION f(int) RETURNS int LANGUAGE sql IMMUTABLE RETURN $1 + 1;
  CREATE TABLE t (a int DEFAULT vw_a.f(0));
  CREATE VIEW v AS SELECT vw_a.f(a) AS b FROM t$$);
SELECT ddl FROM schemasync.diff('vw_a', 'vw_b');
SELECT ddl FROM schemasync.diff('vw_b', 'vw_a');

-- objects far apart (two views and two functions with a hundred tables
-- between them): the readers look up their rows with one index descent
-- per object (docs/design.md, "Reading fast"); the column comments of the
-- second view and the comments of the second view and function differ
SELECT * FROM ss_test.rt(
$$CREATE VIEW v1 AS SELECT 1 AS x;
  CREATE FUNCTION f1() RETURNS int LANGUAGE sql RETURN 1;
  DO $d$ BEGIN FOR i IN 1..100 LOOP EXECUTE format('CREATE TABLE t%s (a int)', i); END LOOP; END $d$;
  CREATE VIEW v2 AS SELECT 2 AS y;
  CREATE FUNCTION f2() RETURNS int LANGUAGE sql RETURN 2;
  COMMENT ON VIEW v2 IS 'two';
  COMMENT ON COLUMN v2.y IS 'why';
  COMMENT ON FUNCTION f2() IS 'two'$$,
$$CREATE VIEW v1 AS SELECT 1 AS x;
  CREATE FUNCTION f1() RETURNS int LANGUAGE sql RETURN 1;
  DO $d$ BEGIN FOR i IN 1..100 LOOP EXECUTE format('CREATE TABLE t%s (a int)', i); END LOOP; END $d$;
  CREATE VIEW v2 AS SELECT 2 AS y;
  CREATE FUNCTION f2() RETURNS int LANGUAGE sql RETURN 2;
  COMMENT ON VIEW v2 IS 'deux';
  COMMENT ON COLUMN v2.y IS 'pourquoi';
  COMMENT ON FUNCTION f2() IS 'deux'$$);

-- rules on views and defaults on view columns are not modeled: reported
SELECT ss_test.setup(
$$CREATE TABLE t (id int);
  CREATE VIEW v AS SELECT id FROM t;
  ALTER VIEW v ALTER COLUMN id SET DEFAULT 1;
  CREATE RULE r AS ON DELETE TO v DO INSTEAD NOTHING$$, $$SELECT 1$$);
SELECT * FROM schemasync.diff('vw_a', 'vw_b');

DROP SCHEMA vw_a, vw_b, vw_other CASCADE;
