--
-- collations: CREATE COLLATION of the libc and ICU providers, deterministic
-- or not, their comments, and the columns and indexes that use them
-- (ordered after them).  A collation cannot be altered: a difference drops
-- and creates it again, with what uses it.  Both directions of every case.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each
-- direction, then the outcome of apply, of the re-diff and of an
-- independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- The round trip of each case: test/regress/harness.sql, in schemas
-- coll_a and coll_b.
\set prefix coll
\i test/regress/harness.sql

-- a libc collation and a nondeterministic ICU collation, created and dropped
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE COLLATION posix_c (provider = libc, locale = 'POSIX');
  CREATE COLLATION "Case Insensitive" (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  COMMENT ON COLLATION "Case Insensitive" IS 'ignores case'$$);

-- columns and an index that use collations of the schema come after them
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a text)$$,
$$CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  CREATE COLLATION de (provider = icu, locale = 'de');
  CREATE TABLE t (a text, b text COLLATE ci, c varchar(10) COLLATE de);
  CREATE INDEX t_a_de ON t (a COLLATE de)$$);

-- a new table whose column uses a new collation
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  CREATE TABLE u (name text COLLATE ci NOT NULL)$$);

-- a collation's comment changes in place
SELECT * FROM ss_test.rt(
$$CREATE COLLATION de (provider = icu, locale = 'de'); COMMENT ON COLLATION de IS 'old'$$,
$$CREATE COLLATION de (provider = icu, locale = 'de'); COMMENT ON COLLATION de IS 'new'$$);

-- a different locale, provider or determinism re-creates the collation
SELECT * FROM ss_test.rt(
$$CREATE COLLATION x (provider = icu, locale = 'de')$$,
$$CREATE COLLATION x (provider = icu, locale = 'fr')$$);
SELECT * FROM ss_test.rt(
$$CREATE COLLATION x (provider = libc, locale = 'C')$$,
$$CREATE COLLATION x (provider = icu, locale = 'und', deterministic = false)$$);

-- in use, it is renamed away: the columns that use it are converted in
-- place (their rows stay), an index and a view that use it are re-created,
-- the old one is dropped last
SELECT * FROM ss_test.rt(
$$CREATE COLLATION x (provider = icu, locale = 'de');
  CREATE TABLE t (id int, a text COLLATE x); CREATE INDEX t_a ON t (a)$$,
$$CREATE COLLATION x (provider = icu, locale = 'fr');
  CREATE TABLE t (id int, a text COLLATE x); CREATE INDEX t_a ON t (a)$$);

SELECT * FROM ss_test.rt(
$$CREATE COLLATION x (provider = icu, locale = 'de');
  CREATE TABLE t (id int PRIMARY KEY, a text COLLATE x DEFAULT 'a', b text);
  CREATE INDEX t_b ON t (b COLLATE x);
  CREATE VIEW v AS SELECT id, a FROM t;
  CREATE DOMAIN dn AS text COLLATE x$$,
$$CREATE COLLATION x (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
  CREATE TABLE t (id int PRIMARY KEY, a text COLLATE x DEFAULT 'a', b text);
  CREATE INDEX t_b ON t (b COLLATE x);
  CREATE VIEW v AS SELECT id, a FROM t;
  CREATE DOMAIN dn AS text COLLATE x$$);
-- the rows stay: not destructive, applied without allow_drops
CREATE SCHEMA coll_live;
CREATE SCHEMA coll_next;
CREATE COLLATION coll_live.x (provider = icu, locale = 'de');
CREATE TABLE coll_live.t (id int, a text COLLATE coll_live.x);
INSERT INTO coll_live.t VALUES (1, 'Ärger'), (2, 'arg');
CREATE COLLATION coll_next.x (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TABLE coll_next.t (id int, a text COLLATE coll_next.x);
SELECT ordinal, ddl, destructive FROM schemasync.diff('coll_live', 'coll_next') ORDER BY ordinal;
CALL schemasync.apply('coll_live', 'coll_next');
SELECT id, a FROM coll_live.t WHERE a = 'ARG' ORDER BY id;
SET client_min_messages = warning;
DROP SCHEMA coll_live, coll_next CASCADE;
RESET client_min_messages;

-- a column that switches to a collation of the schema
SELECT * FROM ss_test.rt(
$$CREATE COLLATION x (provider = icu, locale = 'de'); CREATE TABLE t (a text)$$,
$$CREATE COLLATION x (provider = icu, locale = 'de'); CREATE TABLE t (a text COLLATE x)$$);

-- the model path: a hand-written collation, and a column that uses it
-- without saying depends_on
DROP SCHEMA coll_a CASCADE;
CREATE SCHEMA coll_a;
SELECT $${
  "format": "schemasync", "version": 1, "schemas": ["coll_a"],
  "objects": [
    {"kind": "table", "schema": "coll_a", "name": "t",
     "columns": [{"name": "a", "type": "text", "collation": "zz"}]},
    {"kind": "collation", "schema": "coll_a", "name": "zz", "provider": "icu",
     "locale": "und-u-ks-level2", "nondeterministic": true, "comment": "ci"}]}$$::jsonb AS model \gset
SELECT ordinal, kind, identity, action, ddl FROM schemasync.diff(:'model'::jsonb);
CALL schemasync.apply(:'model'::jsonb);
SELECT * FROM ss_test.fingerprint('coll_a');
SELECT jsonb_pretty(o) FROM jsonb_array_elements(schemasync.snapshot(ARRAY['coll_a']) -> 'objects') o
WHERE o ->> 'kind' = 'collation';
-- an index of a hand-written model that says COLLATE comes after the
-- model's collations
SELECT ordinal, kind, identity, action, ddl FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["coll_a"],
  "objects": [
    {"kind": "table", "schema": "coll_a", "name": "t",
     "columns": [{"name": "a", "type": "text", "collation": "zz"}]},
    {"kind": "index", "schema": "coll_a", "name": "t_a_de", "table": "t",
     "definition": "CREATE INDEX t_a_de ON t (a COLLATE \"de-x\")"},
    {"kind": "collation", "schema": "coll_a", "name": "zz", "provider": "icu",
     "locale": "und-u-ks-level2", "nondeterministic": true, "comment": "ci"},
    {"kind": "collation", "schema": "coll_a", "name": "de-x", "provider": "icu", "locale": "de"}]}$$::jsonb);
SELECT * FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["coll_a"],
  "objects": [{"kind": "collation", "schema": "coll_a", "name": "zz", "provider": "icx", "locale": "de"}]}$$::jsonb);
SELECT * FROM schemasync.diff($${
  "format": "schemasync", "version": 1, "schemas": ["coll_a"],
  "objects": [{"kind": "collation", "schema": "coll_a", "name": "zz"}]}$$::jsonb);

SET client_min_messages = warning;
DROP SCHEMA coll_a, coll_b, ss_test CASCADE;
RESET client_min_messages;
