--
-- triggers: every timing and event, WHEN, transition tables, constraint
-- triggers, FOR EACH ROW / STATEMENT, arguments, the enabled state altered
-- in place, comments, and triggers whose function or table changes.  Both
-- directions of every case.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each
-- direction, then the outcome of apply, of the re-diff and of an
-- independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix trg
\i test/regress/harness.sql

-- every timing and event, with the function created before the triggers
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int PRIMARY KEY, v text, w int);$$,
$$CREATE TABLE t (id int PRIMARY KEY, v text, w int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER b_ins BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER b_upd BEFORE UPDATE OF v, w ON t FOR EACH ROW WHEN (OLD.v IS DISTINCT FROM NEW.v) EXECUTE FUNCTION tf('a', 'b c');
CREATE TRIGGER a_del AFTER DELETE ON t FOR EACH STATEMENT EXECUTE FUNCTION tf();
CREATE TRIGGER a_trunc AFTER TRUNCATE ON t FOR EACH STATEMENT EXECUTE FUNCTION tf();
CREATE TRIGGER a_any AFTER INSERT OR UPDATE OR DELETE ON t FOR EACH ROW EXECUTE FUNCTION tf();$$);

-- transition tables and constraint triggers
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NULL; END$b$;$$,
$$CREATE TABLE t (id int);
CREATE TABLE r (id int PRIMARY KEY);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NULL; END$b$;
CREATE TRIGGER trans AFTER UPDATE ON t REFERENCING OLD TABLE AS o NEW TABLE AS n
  FOR EACH STATEMENT EXECUTE FUNCTION tf();
CREATE CONSTRAINT TRIGGER ct AFTER INSERT ON t DEFERRABLE INITIALLY DEFERRED
  FOR EACH ROW EXECUTE FUNCTION tf();
CREATE CONSTRAINT TRIGGER ct2 AFTER UPDATE ON t FROM r NOT DEFERRABLE
  FOR EACH ROW EXECUTE FUNCTION tf();$$);

-- the definition changes: drop and create
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, v text);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER y BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.id > 0) EXECUTE FUNCTION tf('1');$$,
$$CREATE TABLE t (id int, v text);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER x BEFORE INSERT OR UPDATE ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER y BEFORE UPDATE ON t FOR EACH ROW WHEN (NEW.id > 1) EXECUTE FUNCTION tf('2');$$);

-- the enabled state is altered in place, every way
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER c BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER d BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
ALTER TABLE t DISABLE TRIGGER b;
ALTER TABLE t ENABLE REPLICA TRIGGER c;
ALTER TABLE t ENABLE ALWAYS TRIGGER d;$$,
$$CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER a BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER b BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER c BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER d BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
ALTER TABLE t DISABLE TRIGGER a;
ALTER TABLE t ENABLE REPLICA TRIGGER b;
ALTER TABLE t ENABLE ALWAYS TRIGGER c;$$);

-- a trigger whose function is replaced by one of a new signature, the old
-- function dropped after the trigger stops using it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
CREATE FUNCTION audit_v1() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER audit BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit_v1();$$,
$$CREATE TABLE t (id int);
CREATE FUNCTION audit_v2() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN NEW.id := NEW.id + 1; RETURN NEW; END$b$;
CREATE TRIGGER audit BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION audit_v2();$$);

-- the trigger function's body changes (CREATE OR REPLACE: the trigger
-- stays), its comment too
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
COMMENT ON TRIGGER x ON t IS 'old';$$,
$$CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NULL; END$b$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
COMMENT ON TRIGGER x ON t IS 'new';$$);

-- the table changes in place (UNLOGGED): its trigger stays; the table
-- dropped: its trigger goes with it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
CREATE TABLE gone (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
CREATE TRIGGER y BEFORE INSERT ON gone FOR EACH ROW EXECUTE FUNCTION tf();$$,
$$CREATE UNLOGGED TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();$$);

-- a trigger on a column whose type changes, and a function of another
-- schema (stays qualified)
CREATE SCHEMA trg_ext;
CREATE FUNCTION trg_ext.tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, v int);
CREATE TRIGGER x BEFORE UPDATE OF v ON t FOR EACH ROW WHEN (NEW.v > 0) EXECUTE FUNCTION trg_ext.tf();$$,
$$CREATE TABLE t (id int, v bigint);
CREATE TRIGGER x BEFORE UPDATE OF v ON t FOR EACH ROW WHEN (NEW.v > 0) EXECUTE FUNCTION trg_ext.tf();$$);

-- the model carries triggers with their enabled state
SELECT ss_test.setup($$CREATE TABLE t (id int);$$,
$$CREATE TABLE t (id int);
CREATE FUNCTION tf() RETURNS trigger LANGUAGE plpgsql AS $b$BEGIN RETURN NEW; END$b$;
CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION tf();
ALTER TABLE t DISABLE TRIGGER x;$$);
SELECT o - 'schema' AS trigger
FROM jsonb_array_elements(schemasync.snapshot(ARRAY['trg_b'])->'objects') o
WHERE o->>'kind' = 'trigger';
CALL schemasync.apply(schemasync.snapshot(ARRAY['trg_b']), '{"schema_map": {"trg_b": "trg_a"}}');
SELECT count(*) AS left
FROM schemasync.diff(schemasync.snapshot(ARRAY['trg_b']), '{"schema_map": {"trg_b": "trg_a"}}');
-- a malformed trigger names its path
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["trg_a"],
  "objects": [{"kind": "table", "schema": "trg_a", "name": "t", "columns": [{"name": "id", "type": "int"}]},
              {"kind": "trigger", "schema": "trg_a", "name": "x", "table": "t",
               "definition": "CREATE TRIGGER x BEFORE INSERT ON other FOR EACH ROW EXECUTE FUNCTION f()"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["trg_a"],
  "objects": [{"kind": "table", "schema": "trg_a", "name": "t", "columns": [{"name": "id", "type": "int"}]},
              {"kind": "trigger", "schema": "trg_a", "name": "x", "table": "t", "enabled": "sometimes",
               "definition": "CREATE TRIGGER x BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION f()"}]}'::jsonb);

-- internal triggers (of foreign keys) are not user objects
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);$$,
$$CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p);$$);

DROP SCHEMA trg_a CASCADE;
DROP SCHEMA trg_b CASCADE;
DROP SCHEMA trg_ext CASCADE;
