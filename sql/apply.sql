--
-- apply: the guard on destructive statements, the caller's transaction,
-- the NOTICE summary, the verbose option, and a failure in the middle.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- app_t.setup(a, b) (re)creates schemas app_a and app_b from two DDL
-- scripts, each run with search_path set to its own schema.
CREATE SCHEMA app_t;
CREATE FUNCTION app_t.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    DROP SCHEMA IF EXISTS app_a CASCADE;
    DROP SCHEMA IF EXISTS app_b CASCADE;
    CREATE SCHEMA app_a;
    CREATE SCHEMA app_b;
    PERFORM set_config('search_path', 'app_a', true);
    EXECUTE a;
    PERFORM set_config('search_path', 'app_b', true);
    EXECUTE b;
END
$f$;

-- app_t.cols(s) lists the columns of schema s: a cheap view of the catalog
CREATE FUNCTION app_t.cols(s text) RETURNS TABLE (tbl name, col name, typ text, not_null boolean)
LANGUAGE sql STABLE
AS $f$
    SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod), a.attnotnull
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = s)
    AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    ORDER BY 1, 2
$f$;

SELECT app_t.setup(
$$CREATE TABLE t (id int, legacy text, n int);
  CREATE TABLE old_stuff (x int);
  INSERT INTO t VALUES (1, 'keep me', NULL);
  INSERT INTO old_stuff VALUES (42)$$,
$$CREATE TABLE t (id bigint, n int, added text DEFAULT 'new')$$);

SELECT ordinal, kind, identity, action, ddl, destructive, hazards, lock
FROM schemasync.diff('app_a', 'app_b') ORDER BY ordinal;

-- without allow_drops: refused before anything runs, naming the rows
CALL schemasync.apply('app_a', 'app_b');
CALL schemasync.apply('app_a', 'app_b', '{"allow_drops": false}');
-- nothing changed
SELECT * FROM app_t.cols('app_a');
SELECT * FROM app_a.t;
SELECT * FROM app_a.old_stuff;
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');

-- inside an explicit transaction, then ROLLBACK: nothing changed
SHOW search_path;
BEGIN;
CALL schemasync.apply('app_a', 'app_b', '{"allow_drops": true}');
-- the caller's transaction sees the result, and search_path is as it was
SHOW search_path;
SELECT * FROM app_t.cols('app_a');
SELECT * FROM app_a.t;
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');
ROLLBACK;
SELECT * FROM app_t.cols('app_a');
SELECT * FROM app_a.t;
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');

-- with allow_drops, committed: the NOTICE summary counts the statements
CALL schemasync.apply('app_a', 'app_b', '{"allow_drops": true}');
SELECT * FROM app_t.cols('app_a');
SELECT * FROM app_a.t;
SELECT to_regclass('app_a.old_stuff');
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');
SELECT count(*) FROM schemasync.diff('app_b', 'app_a');

-- nothing to do: zero statements, still verified
CALL schemasync.apply('app_a', 'app_b');

-- a single statement: singular wording
SELECT app_t.setup($$CREATE TABLE t (a int)$$, $$CREATE TABLE t (a int, b int)$$);
CALL schemasync.apply('app_a', 'app_b');

-- failure in the middle: SET NOT NULL on a column holding NULLs.  The
-- error names the statement; the statements before it are undone.
SELECT app_t.setup(
$$CREATE TABLE t (a int, b int); INSERT INTO t VALUES (1, NULL)$$,
$$CREATE TABLE t (a bigint, b int NOT NULL, c text); CREATE INDEX t_a_idx ON t (a)$$);
SELECT ordinal, ddl FROM schemasync.diff('app_a', 'app_b') ORDER BY ordinal;
CALL schemasync.apply('app_a', 'app_b');
SELECT * FROM app_t.cols('app_a');
SELECT to_regclass('app_a.t_a_idx');
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');

-- the same failure inside a transaction with a savepoint: the caller can
-- roll back to the savepoint and go on; search_path is as it was
BEGIN;
SAVEPOINT before_apply;
CALL schemasync.apply('app_a', 'app_b');
ROLLBACK TO SAVEPOINT before_apply;
SHOW search_path;
SELECT * FROM app_t.cols('app_a');
COMMIT;

-- verbose: a NOTICE per statement, before it runs; here the failing one
-- is the last NOTICE before the error
CALL schemasync.apply('app_a', 'app_b', '{"verbose": true}');

-- verbose on success: one NOTICE per statement and the summary, which
-- carries the time taken (so only the SQLSTATEs are shown here)
UPDATE app_a.t SET b = 0;
\set VERBOSITY sqlstate
CALL schemasync.apply('app_a', 'app_b', '{"verbose": true}');
\set VERBOSITY default
SELECT * FROM app_t.cols('app_a');
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');

-- verbose and allow_drops together, with a destructive row
SELECT app_t.setup($$CREATE TABLE t (a int, b int)$$, $$CREATE TABLE t (a int)$$);
\set VERBOSITY sqlstate
CALL schemasync.apply('app_a', 'app_b', '{"verbose": true, "allow_drops": true}');
\set VERBOSITY default
SELECT * FROM app_t.cols('app_a');

-- the reference schema is never changed by apply
SELECT * FROM app_t.cols('app_b');

-- schema names that need quoting, on both sides
CREATE SCHEMA "App A";
CREATE SCHEMA "App B";
SET search_path = "App B";
CREATE SEQUENCE s;
CREATE TABLE p (id int PRIMARY KEY DEFAULT nextval('s'), "Name" text);
ALTER SEQUENCE s OWNED BY p.id;
CREATE TABLE c (pid int REFERENCES p, v text COLLATE "C");
CREATE INDEX c_idx ON c (lower(v)) WHERE pid > 0;
COMMENT ON INDEX c_idx IS 'lower v';
COMMENT ON COLUMN p."Name" IS 'name';
RESET search_path;
SELECT ordinal, ddl FROM schemasync.diff('App A', 'App B') ORDER BY ordinal;
CALL schemasync.apply('App A', 'App B');
SELECT count(*) FROM schemasync.diff('App A', 'App B');
SELECT count(*) FROM schemasync.diff('App B', 'App A');
-- and back to nothing
DROP TABLE "App B".c, "App B".p;
SELECT ordinal, ddl FROM schemasync.diff('App A', 'App B') ORDER BY ordinal;
CALL schemasync.apply('App A', 'App B', '{"allow_drops": true}');
SELECT count(*) FROM pg_class WHERE relnamespace = '"App A"'::regnamespace;

-- a refused apply over every kind changes nothing: an enum label removed,
-- a column and a table dropped, a view and a materialized view, a routine
-- overload replaced, a policy and row level security removed
\set ECHO none
\i test/lib/fingerprint.sql
\set ECHO all
SELECT app_t.setup(
$$CREATE TYPE mood AS ENUM ('sad', 'ok', 'happy');
  CREATE TABLE p (id int PRIMARY KEY, m mood, note text);
  INSERT INTO p VALUES (1, 'ok', 'kept');
  CREATE VIEW pv AS SELECT id, m FROM p;
  CREATE FUNCTION f(i int) RETURNS int LANGUAGE sql AS 'SELECT i + 1';
  CREATE TABLE gone (x int);
  INSERT INTO gone VALUES (7);
  CREATE MATERIALIZED VIEW gm AS SELECT x FROM gone;
  ALTER TABLE p ENABLE ROW LEVEL SECURITY;
  CREATE POLICY pp ON p USING (id > 0);
  COMMENT ON TYPE mood IS 'feelings'$$,
$$CREATE TYPE mood AS ENUM ('sad', 'ok');
  CREATE TABLE p (id int PRIMARY KEY, m mood);
  CREATE VIEW pv AS SELECT id, m FROM p WHERE id > 1;
  CREATE FUNCTION f(i bigint) RETURNS bigint LANGUAGE sql AS 'SELECT i + 2'$$);
CREATE TABLE app_t.before AS SELECT * FROM ss_test.fingerprint('app_a') AS f(line);
SELECT ordinal, kind, identity, action, destructive
FROM schemasync.diff('app_a', 'app_b') ORDER BY ordinal;
CALL schemasync.apply('app_a', 'app_b');
-- the same catalog, the same data
(SELECT line FROM app_t.before EXCEPT ALL SELECT * FROM ss_test.fingerprint('app_a'))
UNION ALL
(SELECT * FROM ss_test.fingerprint('app_a') EXCEPT ALL SELECT line FROM app_t.before);
SELECT count(*) AS fingerprint_lines FROM app_t.before;
SELECT * FROM app_a.p;
SELECT * FROM app_a.gone;
SELECT * FROM app_a.gm;
-- with allow_drops it applies and verifies
BEGIN;
CALL schemasync.apply('app_a', 'app_b', '{"allow_drops": true}');
SELECT count(*) FROM schemasync.diff('app_a', 'app_b');
(SELECT * FROM ss_test.fingerprint('app_a') EXCEPT ALL SELECT * FROM ss_test.fingerprint('app_b'))
UNION ALL
(SELECT * FROM ss_test.fingerprint('app_b') EXCEPT ALL SELECT * FROM ss_test.fingerprint('app_a'));
ROLLBACK;

SET client_min_messages = warning;
DROP SCHEMA app_a, app_b, app_t, ss_test, "App A", "App B" CASCADE;
RESET client_min_messages;
