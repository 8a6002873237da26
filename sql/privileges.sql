--
-- privileges: the opt-in options "privileges" (GRANT/REVOKE on the schema,
-- tables, columns, sequences, and ALTER DEFAULT PRIVILEGES IN SCHEMA, with
-- grant options) and "owners" (ALTER ... OWNER TO).  Both directions of
-- every case unless noted.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql), here with the options of ss_test.options.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
DROP ROLE IF EXISTS regress_prv_reader, regress_prv_writer, regress_prv_owner;
CREATE ROLE regress_prv_reader;
CREATE ROLE regress_prv_writer;
CREATE ROLE regress_prv_owner;
RESET client_min_messages;

\set prefix prv
\i test/regress/harness.sql
SET ss_test.options = '{"privileges": true, "owners": true}';

-- table privileges: added, removed, with and without grant option
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
  GRANT SELECT, INSERT ON t TO regress_prv_reader$$,
$$CREATE TABLE t (id int);
  GRANT SELECT ON t TO regress_prv_reader WITH GRANT OPTION;
  GRANT UPDATE, DELETE ON t TO regress_prv_writer$$);

-- only the grant option differs
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int);
  GRANT SELECT ON t TO regress_prv_reader WITH GRANT OPTION$$,
$$CREATE TABLE t (id int);
  GRANT SELECT ON t TO regress_prv_reader$$);

-- an explicit ACL equal to the owner's defaults is no difference
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int);
  GRANT SELECT ON t TO regress_prv_reader;
  REVOKE SELECT ON t FROM regress_prv_reader$$);

-- PUBLIC
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int);
  GRANT SELECT ON t TO PUBLIC$$);

-- the owner's own rights are granted back, never revoked
SELECT count(*) FROM ss_test.rt(
$$CREATE TABLE t (id int);
  REVOKE TRUNCATE ON t FROM CURRENT_USER$$,
$$CREATE TABLE t (id int)$$, false) WHERE ddl LIKE 'GRANT TRUNCATE ON TABLE prv_a.t TO %';
SELECT ss_test.setup(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int);
  REVOKE TRUNCATE ON t FROM CURRENT_USER$$);
SELECT count(*) FROM schemasync.diff('prv_a', 'prv_b', '{"privileges": true}');

-- column privileges; a table-level REVOKE also takes the column's, so the
-- column's GRANT comes after it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, c text);
  GRANT UPDATE ON t TO regress_prv_writer$$,
$$CREATE TABLE t (id int, c text);
  GRANT UPDATE (c) ON t TO regress_prv_writer;
  GRANT SELECT (id, c) ON t TO regress_prv_reader$$);

SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, c text);
  GRANT SELECT, UPDATE ON t TO regress_prv_writer;
  GRANT UPDATE (c) ON t TO regress_prv_writer$$,
$$CREATE TABLE t (id int, c text);
  GRANT SELECT ON t TO regress_prv_writer;
  GRANT UPDATE (c) ON t TO regress_prv_writer$$);

-- sequences
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s$$,
$$CREATE SEQUENCE s;
  GRANT USAGE, SELECT ON SEQUENCE s TO regress_prv_reader$$);

-- new objects get their privileges after their creation; a dropped one
-- takes them along (no REVOKE)
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE t (id serial, c text);
  GRANT SELECT ON t TO regress_prv_reader;
  GRANT UPDATE (c) ON t TO regress_prv_writer;
  GRANT USAGE ON SEQUENCE t_id_seq TO regress_prv_writer$$);

-- a range type's privileges (its multirange type is not a second object)
SELECT * FROM ss_test.rt(
$$CREATE TYPE r1 AS RANGE (subtype = int4)$$,
$$CREATE TYPE r1 AS RANGE (subtype = int4);
  GRANT USAGE ON TYPE r1 TO regress_prv_reader$$);

-- the schema itself (the two schemas have different names)
SELECT * FROM ss_test.rt(
$x$DO $$ BEGIN EXECUTE format('GRANT USAGE ON SCHEMA %I TO regress_prv_writer', current_schema()); END $$$x$,
$x$DO $$ BEGIN EXECUTE format('GRANT USAGE, CREATE ON SCHEMA %I TO regress_prv_reader', current_schema()); END $$$x$);

-- default privileges of the schema
SELECT * FROM ss_test.rt(
$x$DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE regress_prv_writer IN SCHEMA %I GRANT SELECT ON TABLES TO regress_prv_reader', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE regress_prv_writer IN SCHEMA %I GRANT USAGE ON SEQUENCES TO regress_prv_reader', current_schema()); END $$$x$,
$x$DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE regress_prv_writer IN SCHEMA %I GRANT SELECT, INSERT ON TABLES TO regress_prv_reader WITH GRANT OPTION', current_schema());
  EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE regress_prv_owner IN SCHEMA %I GRANT EXECUTE ON FUNCTIONS TO regress_prv_writer', current_schema()); END $$$x$);

-- a table created under default privileges that the desired state revokes
SELECT * FROM ss_test.rt(
$x$DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, UPDATE ON TABLES TO regress_prv_reader', current_schema()); END $$$x$,
$x$DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, UPDATE ON TABLES TO regress_prv_reader', current_schema()); END $$;
  CREATE TABLE secrets (id int);
  REVOKE SELECT ON secrets FROM regress_prv_reader$x$);

-- owners: tables, sequences, the schema
SELECT * FROM ss_test.rt(
$x$CREATE TABLE t (id int); CREATE SEQUENCE s$x$,
$x$CREATE TABLE t (id int); CREATE SEQUENCE s;
  GRANT SELECT ON t TO regress_prv_reader;
  ALTER TABLE t OWNER TO regress_prv_owner;
  ALTER SEQUENCE s OWNER TO regress_prv_owner;
  DO $$ BEGIN EXECUTE format('ALTER SCHEMA %I OWNER TO regress_prv_owner', current_schema()); END $$$x$, false);

-- a serial's sequence follows its table's owner
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id serial)$$,
$$CREATE TABLE t (id serial);
  ALTER TABLE t OWNER TO regress_prv_owner$$, false);

-- without "owners", different owners are no difference, and the owner's
-- own rights are compared as the owner's, whoever that is: nothing to do
SELECT ss_test.setup(
$$CREATE TABLE t (id int); GRANT SELECT ON t TO regress_prv_reader$$,
$$CREATE TABLE t (id int); GRANT SELECT ON t TO regress_prv_reader;
  ALTER TABLE t OWNER TO regress_prv_owner$$);
SELECT count(*) FROM schemasync.diff('prv_a', 'prv_b', '{"privileges": true}');
SELECT ddl FROM schemasync.diff('prv_a', 'prv_b', '{"owners": true}');

-- identity sequences: their privileges belong to their column (keyed by
-- table and column, whatever the sequence is called on each side); the rows
-- name the target's sequence
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v int)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v int);
  GRANT USAGE, SELECT ON SEQUENCE t_id_seq TO regress_prv_reader;
  GRANT UPDATE ON SEQUENCE t_id_seq TO regress_prv_writer WITH GRANT OPTION$$);

-- a new table: after its CREATE TABLE, on the name PostgreSQL gives
SELECT * FROM ss_test.rt(
$$CREATE TABLE u (v int)$$,
$$CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, v int);
  GRANT USAGE ON SEQUENCE t_id_seq TO regress_prv_reader WITH GRANT OPTION$$);

-- a column that becomes an identity: after its ADD GENERATED; one that
-- stops being one takes its sequence's privileges along
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int NOT NULL, v int)$$,
$$CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY, v int);
  GRANT SELECT ON SEQUENCE t_id_seq TO regress_prv_reader$$);

-- the sequences are named differently on the two sides
SELECT * FROM ss_test.rt(
$$CREATE TABLE t_id_seq (x int);
  CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v int);
  DROP TABLE t_id_seq$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v int);
  GRANT SELECT ON SEQUENCE t_id_seq TO regress_prv_reader$$);

-- a new identity sequence gets the caller's default privileges on
-- sequences, which the desired state revokes
SELECT * FROM ss_test.rt(
$x$DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON SEQUENCES TO regress_prv_reader', current_schema()); END $$$x$,
$x$DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT ON SEQUENCES TO regress_prv_reader', current_schema()); END $$;
  CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);
  REVOKE SELECT ON SEQUENCE t_id_seq FROM regress_prv_reader$x$);

-- an identity sequence follows its table's owner: no row of its own
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);
  GRANT SELECT ON SEQUENCE t_id_seq TO regress_prv_reader;
  ALTER TABLE t OWNER TO regress_prv_owner$$, false);

-- without the option, nothing is compared
SELECT ss_test.setup(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY);
  GRANT SELECT ON SEQUENCE t_id_seq TO regress_prv_reader$$);
SELECT count(*) FROM schemasync.diff('prv_a', 'prv_b');
SELECT ddl FROM schemasync.diff('prv_a', 'prv_b', '{"privileges": true}');

-- a model's identity sequence privileges must name an identity column
SELECT count(*) FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["prv_b"],
  "objects": [{"kind": "table", "schema": "prv_b", "name": "t", "columns": [{"name": "id", "type": "integer"}]},
              {"kind": "privilege", "schema": "prv_b", "name": "identity:t.id", "object_type": "IDENTITY SEQUENCE",
               "object_name": "t_id_seq", "acl": "regress_prv_reader=SELECT", "depends_on": ["column:t.id"]}]}'::jsonb,
  '{"privileges": true, "allow_drops": true, "schema_map": {"prv_b": "prv_a"}}'::jsonb);
SELECT count(*) FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["prv_b"],
  "objects": [{"kind": "table", "schema": "prv_b", "name": "t", "columns": [{"name": "id", "type": "integer", "not_null": true, "identity": "always"}]},
              {"kind": "privilege", "schema": "prv_b", "name": "t_id_seq", "object_type": "IDENTITY SEQUENCE",
               "object_name": "t_id_seq", "acl": "regress_prv_reader=SELECT"}]}'::jsonb,
  '{"privileges": true, "allow_drops": true, "schema_map": {"prv_b": "prv_a"}}'::jsonb);

-- off by default: privileges are neither compared nor reported
SELECT ss_test.setup(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int); GRANT SELECT ON t TO regress_prv_reader$$);
SELECT count(*) FROM schemasync.diff('prv_a', 'prv_b');

-- the model path: a snapshot with privileges, applied to the other schema
-- (an identity sequence's keyed by its table and column)
SELECT ss_test.setup(
$x$CREATE TABLE t (id int NOT NULL, c text)$x$,
$x$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, c text); GRANT SELECT ON t TO regress_prv_reader;
  GRANT UPDATE (c) ON t TO regress_prv_writer WITH GRANT OPTION;
  GRANT SELECT ON SEQUENCE t_id_seq TO regress_prv_reader;
  DO $$ BEGIN EXECUTE format('ALTER DEFAULT PRIVILEGES FOR ROLE regress_prv_owner IN SCHEMA %I GRANT SELECT ON TABLES TO regress_prv_reader', current_schema()); END $$$x$);
SELECT o - 'owner' FROM jsonb_path_query(schemasync.snapshot(ARRAY['prv_b'], '{"privileges": true}'),
                        '$.objects[*] ? (@.kind like_regex "privilege")') o;
SELECT ddl FROM schemasync.diff(schemasync.snapshot(ARRAY['prv_b'], '{"privileges": true}'),
                                '{"privileges": true, "schema_map": {"prv_b": "prv_a"}}');
CALL schemasync.apply(schemasync.snapshot(ARRAY['prv_b'], '{"privileges": true}'),
                      '{"privileges": true, "schema_map": {"prv_b": "prv_a"}}');
SELECT count(*) FROM schemasync.diff('prv_a', 'prv_b', '{"privileges": true}');

-- a malformed privilege list in a model
SELECT count(*) FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["prv_b"],
  "objects": [{"kind": "table", "schema": "prv_b", "name": "t", "columns": [{"name": "id", "type": "integer"}]},
              {"kind": "privilege", "schema": "prv_b", "name": "table:t", "object_type": "TABLE",
               "object_name": "t", "acl": "regress_prv_reader=SELEKT", "depends_on": ["table:t"]}]}'::jsonb,
  '{"privileges": true, "allow_drops": true, "schema_map": {"prv_b": "prv_a"}}'::jsonb);

-- option values are checked
SELECT count(*) FROM schemasync.diff('prv_a', 'prv_b', '{"privileges": 1}');

SET client_min_messages = warning;
RESET ss_test.options;
DROP SCHEMA prv_a, prv_b CASCADE;
DROP ROLE regress_prv_reader, regress_prv_writer, regress_prv_owner;
