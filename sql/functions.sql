--
-- functions: functions, procedures and aggregates (identity = name and
-- input argument types), every attribute, CREATE OR REPLACE when the
-- signature allows it, drop and create (with the dependents) when not,
-- their comments, and the functions used by defaults, CHECKs and indexes
-- ordered before them.  Both directions of every case.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each
-- direction, then the outcome of apply, of the re-diff and of an
-- independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix fn
\i test/regress/harness.sql

-- created and dropped: a function with a default, a procedure, an
-- aggregate over a function of the schema, comments on each
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$CREATE FUNCTION add1(a int, b int DEFAULT 1) RETURNS int
  LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS 'SELECT a + b';
CREATE PROCEDURE bump(INOUT x int) LANGUAGE plpgsql AS $b$BEGIN x := x + 1; END$b$;
CREATE FUNCTION acc(s int, v int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT s + v';
CREATE AGGREGATE total(int) (SFUNC = acc, STYPE = int, INITCOND = '0');
COMMENT ON FUNCTION add1(int, int) IS 'adds';
COMMENT ON PROCEDURE bump(int) IS 'bumps';
COMMENT ON AGGREGATE total(int) IS 'sums';$$);

-- overloads are separate objects: one added, one kept, one dropped
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION f(a text) RETURNS text LANGUAGE sql AS 'SELECT a';$$,
$$CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';$$);

-- body and attributes change in place: CREATE OR REPLACE
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION f(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION g(a int) RETURNS SETOF int LANGUAGE sql AS 'SELECT a';
CREATE PROCEDURE p(a int) LANGUAGE sql AS 'SELECT a';$$,
$$CREATE FUNCTION f(a int) RETURNS int LANGUAGE plpgsql STABLE STRICT SECURITY DEFINER
  LEAKPROOF PARALLEL RESTRICTED COST 50 SET search_path = pg_catalog SET work_mem = '8MB'
  AS $b$BEGIN RETURN a * 2; END$b$;
CREATE FUNCTION g(a int) RETURNS SETOF int LANGUAGE sql IMMUTABLE ROWS 10 AS 'SELECT a';
CREATE PROCEDURE p(a int) LANGUAGE sql SECURITY DEFINER AS 'SELECT a + 1';$$);

-- a default added is CREATE OR REPLACE; removed, it drops and creates
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION f(a int, b int) RETURNS int LANGUAGE sql AS 'SELECT a + b';$$,
$$CREATE FUNCTION f(a int, b int DEFAULT 2) RETURNS int LANGUAGE sql AS 'SELECT a + b';$$);

-- an argument renamed, a result type changed, OUT arguments changed, a
-- function that becomes RETURNS TABLE: drop and create
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION r(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION t(a int) RETURNS int LANGUAGE sql AS 'SELECT a';
CREATE FUNCTION o(a int, OUT x int, OUT y int) LANGUAGE sql AS 'SELECT a, a';
CREATE FUNCTION tab(a int) RETURNS SETOF int LANGUAGE sql AS 'SELECT a';$$,
$$CREATE FUNCTION r(b int) RETURNS int LANGUAGE sql AS 'SELECT b';
CREATE FUNCTION t(a int) RETURNS bigint LANGUAGE sql AS 'SELECT a::bigint';
CREATE FUNCTION o(a int, OUT x int, OUT z text) LANGUAGE sql AS 'SELECT a, a::text';
CREATE FUNCTION tab(a int) RETURNS TABLE (v int, w text) LANGUAGE sql AS 'SELECT a, a::text';$$);

-- a function used by a column default, a CHECK and an expression index,
-- created with the table in the same diff
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)';
CREATE FUNCTION dflt() RETURNS text LANGUAGE sql STABLE AS 'SELECT ''x''::text';
CREATE TABLE u (name text DEFAULT dflt() CHECK (norm(name) <> ''));
CREATE INDEX u_norm ON u (norm(name));$$);

-- the function changes its result type: its dependents (CHECK, index,
-- default) are re-created around it; the column and its data stay
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION norm(t text) RETURNS text LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)';
CREATE FUNCTION dflt() RETURNS text LANGUAGE sql STABLE AS 'SELECT ''x''::text';
CREATE TABLE u (name text DEFAULT dflt() CHECK (norm(name) <> ''));
CREATE INDEX u_norm ON u (norm(name));$$,
$$CREATE FUNCTION norm(t text) RETURNS varchar LANGUAGE sql IMMUTABLE AS 'SELECT lower(t)';
CREATE FUNCTION dflt() RETURNS varchar LANGUAGE sql STABLE AS 'SELECT ''x''::varchar';
CREATE TABLE u (name text DEFAULT dflt() CHECK (norm(name) <> ''));
CREATE INDEX u_norm ON u (norm(name));$$);

-- a SQL function whose body names a table that a later statement creates,
-- the table's default calling the function: apply runs with
-- check_function_bodies off
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$SET check_function_bodies = off;
CREATE FUNCTION next_no() RETURNS int LANGUAGE sql AS 'SELECT COALESCE(max(no), 0) + 1 FROM items';
CREATE TABLE items (no int DEFAULT next_no(), label text);
RESET check_function_bodies;$$);

-- a function returning a table's row type, and a SQL-standard body
-- (BEGIN ATOMIC) over the table: pg_depend orders them after it
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$CREATE TABLE acct (id int PRIMARY KEY, balance numeric);
CREATE FUNCTION rich() RETURNS SETOF acct LANGUAGE sql STABLE AS 'SELECT * FROM acct WHERE balance > 100';
CREATE FUNCTION total_balance() RETURNS numeric LANGUAGE sql STABLE
BEGIN ATOMIC
  SELECT sum(balance) FROM acct;
END;
CREATE FUNCTION one(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + 1;$$);

-- a SQL-standard body that changes is CREATE OR REPLACE
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION one(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + 1;$$,
$$CREATE FUNCTION one(a int) RETURNS int LANGUAGE sql IMMUTABLE RETURN a + 2;$$);

-- the table a function's row type comes from changes in place: the
-- function stays
SELECT * FROM ss_test.rt(
$$CREATE TABLE acct (id int, balance numeric);
CREATE FUNCTION rich() RETURNS SETOF acct LANGUAGE sql STABLE AS 'SELECT * FROM acct';$$,
$$CREATE UNLOGGED TABLE acct (id int, balance numeric);
CREATE FUNCTION rich() RETURNS SETOF acct LANGUAGE sql STABLE AS 'SELECT * FROM acct';$$);

-- aggregates: every option changes by drop and create; an aggregate over a
-- state function that is re-created is re-created after it
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION acc(s int, v int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT s + v';
CREATE FUNCTION fin(s int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT s';
CREATE AGGREGATE total(int) (SFUNC = acc, STYPE = int, INITCOND = '0');
CREATE AGGREGATE total2(int) (SFUNC = acc, STYPE = int, FINALFUNC = fin);
CREATE AGGREGATE cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '0');$$,
$$CREATE FUNCTION acc(s bigint, v int) RETURNS bigint LANGUAGE sql IMMUTABLE AS 'SELECT s + v';
CREATE FUNCTION fin(s int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT s';
CREATE AGGREGATE total(int) (SFUNC = acc, STYPE = bigint, INITCOND = '10');
CREATE AGGREGATE total2(int) (SFUNC = int4pl, STYPE = int, FINALFUNC = fin,
  COMBINEFUNC = int4pl, PARALLEL = SAFE, SORTOP = >);
CREATE AGGREGATE cnt(*) (SFUNC = int8inc, STYPE = int8, INITCOND = '1');$$);

-- state and final functions that pg_catalog has namesakes of
-- (numeric_accum): named unqualified, so the aggregate uses the target's
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$CREATE FUNCTION numeric_accum(numeric[], numeric) RETURNS numeric[]
  LANGUAGE sql IMMUTABLE AS 'SELECT array_append($1, $2)';
CREATE FUNCTION numeric_first(numeric[]) RETURNS numeric LANGUAGE sql IMMUTABLE AS 'SELECT $1[1]';
CREATE AGGREGATE my_agg(numeric) (SFUNC = numeric_accum, STYPE = numeric[],
  FINALFUNC = numeric_first, INITCOND = '{}');$$);

-- an ordered-set aggregate, and a moving-aggregate one
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$CREATE FUNCTION osf(s internal, v anyelement) RETURNS internal LANGUAGE internal AS 'ordered_set_transition';
CREATE AGGREGATE my_pct(float8 ORDER BY float8) (SFUNC = ordered_set_transition, STYPE = internal,
  FINALFUNC = percentile_disc_final, FINALFUNC_EXTRA);
CREATE AGGREGATE msum(int) (SFUNC = int4_avg_accum, STYPE = int8[], FINALFUNC = int8_avg, INITCOND = '{0,0}',
  MSFUNC = int4_avg_accum,
  MINVFUNC = int4_avg_accum_inv, MSTYPE = int8[], MFINALFUNC = int8_avg, MINITCOND = '{0,0}');$$);

-- comments changed and removed
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
COMMENT ON FUNCTION f() IS 'old';
COMMENT ON PROCEDURE p() IS 'gone';$$,
$$CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
CREATE PROCEDURE p() LANGUAGE sql AS 'SELECT 1';
COMMENT ON FUNCTION f() IS 'new';$$);

-- a function that becomes a procedure of the same signature
SELECT * FROM ss_test.rt(
$$CREATE FUNCTION x(a int) RETURNS void LANGUAGE sql AS 'SELECT';$$,
$$CREATE PROCEDURE x(a int) LANGUAGE sql AS 'SELECT';$$);

-- names that need quoting, and a type of another schema stays qualified
SELECT * FROM ss_test.rt(
$$SELECT 1$$,
$$CREATE FUNCTION "Odd Name"("A b" int, c pg_catalog.regclass) RETURNS "char"
  LANGUAGE sql AS 'SELECT ''x''::"char"';$$);

-- raw keys (docs/design.md, "Reading fast"): a SQL-standard body whose
-- tree is the same on both sides but whose table's column was renamed after
-- it was made prints another definition; routines over an enum of the
-- schema compare equal; COST, SET and STRICT alone are differences
SELECT * FROM ss_test.rt(
$$CREATE TYPE mood AS ENUM ('ok', 'sad');
  CREATE TABLE t (a int, b mood);
  CREATE FUNCTION first_a() RETURNS int LANGUAGE sql STABLE RETURN (SELECT min(a) FROM t);
  CREATE FUNCTION is_ok(m mood DEFAULT 'ok') RETURNS boolean LANGUAGE sql IMMUTABLE RETURN m = 'ok';
  CREATE FUNCTION f(int) RETURNS int LANGUAGE plpgsql AS 'BEGIN RETURN $1; END';$$,
$$CREATE TYPE mood AS ENUM ('ok', 'sad');
  CREATE TABLE t (a int, b mood);
  CREATE FUNCTION first_a() RETURNS int LANGUAGE sql STABLE RETURN (SELECT min(a) FROM t);
  ALTER TABLE t RENAME COLUMN a TO c;
  CREATE FUNCTION is_ok(m mood DEFAULT 'ok') RETURNS boolean LANGUAGE sql IMMUTABLE RETURN m = 'ok';
  CREATE FUNCTION f(int) RETURNS int LANGUAGE plpgsql STRICT COST 7 SET work_mem = '2MB'
    AS 'BEGIN RETURN $1; END';$$);

-- script(): a migration with routines turns check_function_bodies off
SELECT ss_test.setup($$SELECT 1$$,
$$SET check_function_bodies = off;
CREATE FUNCTION next_no() RETURNS int LANGUAGE sql AS 'SELECT COALESCE(max(no), 0) + 1 FROM items';
CREATE TABLE items (no int DEFAULT next_no());
RESET check_function_bodies;$$);
SELECT line FROM regexp_split_to_table(schemasync.script('fn_a', 'fn_b'), E'\n') AS line
WHERE line ~ '^(BEGIN|SET|COMMIT|CREATE)';

-- the model: snapshot of fn_b applied to fn_a, then nothing left
SELECT count(*) > 0 AS has_rows
FROM schemasync.diff(schemasync.snapshot(ARRAY['fn_b']), '{"schema_map": {"fn_b": "fn_a"}}');
CALL schemasync.apply(schemasync.snapshot(ARRAY['fn_b']), '{"schema_map": {"fn_b": "fn_a"}}');
SELECT count(*) AS left
FROM schemasync.diff(schemasync.snapshot(ARRAY['fn_b']), '{"schema_map": {"fn_b": "fn_a"}}');
SELECT o->>'name' AS name, o->>'routine' AS routine, o->'depends_on' AS depends_on
FROM jsonb_array_elements(schemasync.snapshot(ARRAY['fn_b'])->'objects') o
WHERE o->>'kind' = 'function';

-- a hand-written model: "int" and a CREATE FUNCTION text converge
SELECT ss_test.setup($$SELECT 1$$, $$SELECT 1$$);
CALL schemasync.apply('{"format": "schemasync", "version": 1, "schemas": ["fn_a"],
  "objects": [{"kind": "function", "schema": "fn_a", "name": "sq(int)",
               "definition": "CREATE FUNCTION sq(x int) RETURNS int LANGUAGE sql IMMUTABLE AS $$SELECT x * x$$",
               "comment": "squares"}]}'::jsonb);
SELECT fn_a.sq(7);
-- a malformed definition names its path
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["fn_a"],
  "objects": [{"kind": "function", "schema": "fn_a", "name": "sq(integer)",
               "definition": "DROP FUNCTION sq(int)"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["fn_a"],
  "objects": [{"kind": "function", "schema": "fn_a", "name": "sq(integer)",
               "definition": "CREATE FUNCTION cube(x int) RETURNS int LANGUAGE sql AS $$SELECT x$$"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["fn_a"],
  "objects": [{"kind": "function", "schema": "fn_a", "name": "sq(integer)",
               "definition": "CREATE FUNCTION sq(x int) RETURNS int LANGUAGE sql AS $$SELECT x$$; DROP TABLE t"}]}'::jsonb);

DROP SCHEMA fn_a CASCADE;
DROP SCHEMA fn_b CASCADE;
