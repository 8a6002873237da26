--
-- policies: row level security flags of tables (ENABLE / FORCE) and
-- policies (command, permissive or restrictive, roles, USING, WITH CHECK,
-- comments), altered in place where ALTER POLICY can, re-created where it
-- cannot, and ordered along what their expressions use.  Both directions
-- of every case.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each
-- direction, then the outcome of apply, of the re-diff and of an
-- independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
DROP ROLE IF EXISTS regress_pol_reader;
DROP ROLE IF EXISTS "Regress Pol Writer";
CREATE ROLE regress_pol_reader;
CREATE ROLE "Regress Pol Writer";
RESET client_min_messages;

-- The round trip of each case: test/regress/harness.sql, in schemas
-- pol_a and pol_b.
\set prefix pol
\i test/regress/harness.sql

-- a schema outside the comparison, with a table policies look into
CREATE SCHEMA pol_ext;
CREATE TABLE pol_ext.tenants (id int PRIMARY KEY, owner name);

-- ENABLE ROW LEVEL SECURITY on an existing table, and DISABLE back
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int)$$,
$$CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY$$);

-- FORCE ROW LEVEL SECURITY alone, and with ENABLE
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY$$,
$$CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  ALTER TABLE t FORCE ROW LEVEL SECURITY$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int)$$,
$$CREATE TABLE t (a int); ALTER TABLE t FORCE ROW LEVEL SECURITY$$);

-- a new table with row level security and policies of every command,
-- permissive and restrictive, for PUBLIC and for roles, with quoted names
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE users (id int PRIMARY KEY, tenant_id int NOT NULL, role text, owner name);
  ALTER TABLE users ENABLE ROW LEVEL SECURITY;
  ALTER TABLE users FORCE ROW LEVEL SECURITY;
  CREATE POLICY "select" ON users FOR SELECT USING (true);
  CREATE POLICY "UserPolicy" ON users FOR ALL TO PUBLIC
    USING (tenant_id = current_setting('app.current_tenant')::integer);
  CREATE POLICY "my-policy" ON users FOR INSERT TO regress_pol_reader, "Regress Pol Writer"
    WITH CHECK (role = 'user');
  CREATE POLICY upd ON users FOR UPDATE TO regress_pol_reader
    USING (owner = current_user) WITH CHECK (owner = current_user AND tenant_id > 0);
  CREATE POLICY del ON users FOR DELETE USING (owner = session_user);
  CREATE POLICY only_mine ON users AS RESTRICTIVE USING (owner = current_user)$$);

-- policies added to and dropped from an existing table
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text); ALTER TABLE t ENABLE ROW LEVEL SECURITY$$,
$$CREATE TABLE t (a int, b text); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  CREATE POLICY p1 ON t USING (a > 0);
  CREATE POLICY p2 ON t FOR INSERT WITH CHECK (b IS NOT NULL)$$);

-- ALTER POLICY in place: USING, WITH CHECK, roles, and all of them
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text);
  CREATE POLICY p ON t USING (a = 1) WITH CHECK (b <> '')$$,
$$CREATE TABLE t (a int, b text);
  CREATE POLICY p ON t USING (a = 2) WITH CHECK (b <> '')$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text);
  CREATE POLICY p ON t FOR UPDATE USING (a = 1) WITH CHECK (b <> '')$$,
$$CREATE TABLE t (a int, b text);
  CREATE POLICY p ON t FOR UPDATE USING (a = 1) WITH CHECK (b <> 'x')$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int);
  CREATE POLICY p ON t TO PUBLIC USING (a = 1)$$,
$$CREATE TABLE t (a int);
  CREATE POLICY p ON t TO "Regress Pol Writer", regress_pol_reader USING (a = 1)$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text);
  CREATE POLICY p ON t TO regress_pol_reader USING (a = 1)$$,
$$CREATE TABLE t (a int, b text);
  CREATE POLICY p ON t USING (a = 1 OR b = current_user) WITH CHECK (a > 0)$$);

-- what ALTER POLICY cannot do: the command, permissive to restrictive, and
-- removing an expression re-create the policy
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE POLICY p ON t FOR ALL USING (a = 1)$$,
$$CREATE TABLE t (a int); CREATE POLICY p ON t FOR SELECT USING (a = 1)$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1)$$,
$$CREATE TABLE t (a int); CREATE POLICY p ON t AS RESTRICTIVE USING (a = 1)$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1) WITH CHECK (a > 0)$$,
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1)$$);

-- a policy that looks into another table of the schema: created after it,
-- dropped before it
SELECT * FROM ss_test.rt(
$$CREATE TABLE orders (id int, user_id int)$$,
$$CREATE TABLE users (id int PRIMARY KEY, name text);
  CREATE TABLE orders (id int, user_id int);
  ALTER TABLE orders ENABLE ROW LEVEL SECURITY;
  CREATE POLICY orders_user_access ON orders FOR SELECT
    USING (user_id IN (SELECT id FROM users WHERE name = current_user))$$);

-- a policy that looks into another schema's table stays qualified
SELECT * FROM ss_test.rt(
$$CREATE TABLE docs (id int, tenant int)$$,
$$CREATE TABLE docs (id int, tenant int);
  CREATE POLICY tenant_owner ON docs
    USING (EXISTS (SELECT 1 FROM pol_ext.tenants x WHERE x.id = tenant AND x.owner = current_user))$$);

-- comments on policies: added, changed, removed
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1)$$,
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1);
  COMMENT ON POLICY p ON t IS 'only ones'$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1);
  COMMENT ON POLICY p ON t IS 'old'$$,
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a = 1);
  COMMENT ON POLICY p ON t IS 'it''s new'$$);

-- a column type change under a policy that uses it: PostgreSQL refuses to
-- alter the column while the policy exists, so the policy is re-created
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text); CREATE POLICY p ON t USING (a > 0)$$,
$$CREATE TABLE t (a bigint, b text); CREATE POLICY p ON t USING (a > 0)$$);

-- a column dropped that the policy used: the policy changes first
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text); CREATE POLICY p ON t USING (b = current_user)$$,
$$CREATE TABLE t (a int); CREATE POLICY p ON t USING (a > 0)$$);

-- the same policy, unchanged: no rows
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a varchar(10)); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  CREATE POLICY p ON t USING (a IN ('x', 'y'))$$,
$$CREATE TABLE t (a varchar(10)); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  CREATE POLICY p ON t USING (a IN ('x', 'y'))$$, false);

-- a table dropped with its policies: the policies go with it
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  CREATE POLICY p ON t USING (a = 1); COMMENT ON POLICY p ON t IS 'c'$$,
$$$$);

-- the model path: a snapshot carries the flags and policies, and a
-- hand-written model (lower-case command, unsorted roles) converges
SELECT * FROM ss_test.rt($$$$, $$CREATE TABLE t (a int, owner name);
  ALTER TABLE t ENABLE ROW LEVEL SECURITY;
  CREATE POLICY p ON t AS RESTRICTIVE FOR UPDATE TO regress_pol_reader
    USING (owner = current_user) WITH CHECK (a > 0);
  COMMENT ON POLICY p ON t IS 'restrictive'$$, false);
SELECT jsonb_pretty(o) FROM jsonb_array_elements(schemasync.snapshot(ARRAY['pol_b']) -> 'objects') o
WHERE o ->> 'kind' = 'policy' OR o ->> 'name' = 't';
DROP SCHEMA pol_a CASCADE;
CREATE SCHEMA pol_a;
SELECT $${
  "format": "schemasync", "version": 1, "schemas": ["pol_a"],
  "objects": [
    {"kind": "table", "schema": "pol_a", "name": "t", "row_security": true,
     "columns": [{"name": "a", "type": "int"}]},
    {"kind": "policy", "schema": "pol_a", "name": "p", "table": "t",
     "command": "select", "roles": "\"Regress Pol Writer\", REGRESS_POL_READER",
     "using": "a > 0"}]}$$::jsonb AS model \gset
SELECT ordinal, kind, identity, action, ddl FROM schemasync.diff(:'model'::jsonb);
CALL schemasync.apply(:'model'::jsonb);
SELECT * FROM ss_test.fingerprint('pol_a');

-- model errors name the path
SELECT * FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["pol_a"],
  "objects": [
    {"kind": "table", "schema": "pol_a", "name": "t", "columns": [{"name": "a", "type": "int"}]},
    {"kind": "policy", "schema": "pol_a", "name": "p", "table": "t", "command": "TRUNCATE"}]}$$::jsonb);
SELECT * FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["pol_a"],
  "objects": [
    {"kind": "table", "schema": "pol_a", "name": "t", "columns": [{"name": "a", "type": "int"}]},
    {"kind": "policy", "schema": "pol_a", "name": "p", "table": "t", "roles": "a b"}]}$$::jsonb);
SELECT * FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["pol_a"],
  "objects": [
    {"kind": "table", "schema": "pol_a", "name": "t", "columns": [{"name": "a", "type": "int"}]},
    {"kind": "policy", "schema": "pol_a", "name": "p", "using": "true"}]}$$::jsonb);
SELECT * FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["pol_a"],
  "objects": [
    {"kind": "table", "schema": "pol_a", "name": "t", "columns": [{"name": "a", "type": "int"}]},
    {"kind": "policy", "schema": "pol_a", "name": "p", "table": "t",
     "using": "true) WITH CHECK (true); DROP TABLE t; --"}]}$$::jsonb);

SET client_min_messages = warning;
DROP SCHEMA pol_a, pol_b, pol_ext, ss_test CASCADE;
DROP ROLE regress_pol_reader;
DROP ROLE "Regress Pol Writer";
RESET client_min_messages;
