--
-- extensions: a database-scope kind, modeled on the model path only.  A
-- model holds the extensions installed in its schemas (name, version); the
-- objects that belong to an extension are never compared as user objects,
-- and user objects that use them depend on the extension.  Between two
-- schemas of one database (which share each extension) an extension in a
-- compared schema is an error, unless ignore_unmodeled.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix ext
\i test/regress/harness.sql

-- an extension outside the compared schemas: its objects are not the
-- schemas' objects, and columns of its types compare as any column
CREATE SCHEMA ext_lib;
CREATE EXTENSION btree_gist SCHEMA ext_lib;
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a ext_lib.gbtreekey4)$$,
$$CREATE TABLE t (a ext_lib.gbtreekey4, b ext_lib.gbtreekey8)$$);

-- schema path: an extension installed in a compared schema is named, with
-- why it cannot be compared there and what to do
SELECT ss_test.setup($$CREATE TABLE t (a int)$$, $$CREATE TABLE t (a int)$$);
ALTER EXTENSION btree_gist SET SCHEMA ext_b;
SELECT * FROM schemasync.diff('ext_a', 'ext_b');
-- ignore_unmodeled compares the rest; the extension's functions, types and
-- operators in ext_b are not user objects of ext_b
SELECT count(*) FROM schemasync.diff('ext_a', 'ext_b', '{"ignore_unmodeled": true}');
-- and an apply to that schema records snapshots that hold the extension,
-- as snapshot() does: the schema path's reads have no extensions, so a
-- target that holds one is read again for the history row
ALTER TABLE ext_a.t ADD COLUMN b int;
CALL schemasync.apply('ext_b', 'ext_a', '{"ignore_unmodeled": true}');
SELECT before -> 'objects' @> '[{"kind": "extension", "name": "btree_gist"}]' AS before_has_extension,
       after = schemasync.snapshot(ARRAY['ext_b']) AS after_is_snapshot
FROM schemasync.history ORDER BY id DESC LIMIT 1;

SET client_min_messages = warning;
DROP EXTENSION btree_gist;
DROP SCHEMA ext_a, ext_b, ext_lib CASCADE;
RESET client_min_messages;

-- model path helpers: the rows of a model diff, and schema ext_m's
-- independent fingerprint as one text
CREATE FUNCTION ss_test.mdiff(m jsonb, o jsonb DEFAULT '{}')
RETURNS TABLE (n int, kind text, identity text, action text, ddl text,
               destructive boolean, hazards text[], lock text)
LANGUAGE sql AS $$
    SELECT ordinal, kind, identity, action, ddl, destructive, hazards, lock
    FROM schemasync.diff(m, o) ORDER BY ordinal
$$;
CREATE FUNCTION ss_test.fp() RETURNS text LANGUAGE sql AS $$
    SELECT string_agg(f, E'\n') FROM ss_test.fingerprint('ext_m') f
$$;
CREATE SCHEMA ext_m;

-- state v1: two extensions, a table with a column of an extension type, a
-- gin index with hstore's default opclass and one with pg_trgm's opclass
SET search_path = ext_m;
CREATE EXTENSION hstore SCHEMA ext_m;
CREATE EXTENSION pg_trgm SCHEMA ext_m;
CREATE TABLE t (id int, h hstore, s text);
CREATE INDEX t_h ON t USING gin (h);
CREATE INDEX t_s ON t USING gin (s gin_trgm_ops);
RESET search_path;
SELECT schemasync.snapshot(ARRAY['ext_m']) AS m1 \gset
SELECT ss_test.fp() AS fp1 \gset
-- the snapshot: extensions by name and version; what uses them depends on them
SELECT jsonb_pretty(jsonb_path_query_array(:'m1'::jsonb,
    '$.objects[*] ? (@.kind == "extension" || @.kind == "index")'));
-- state v0: nothing
DROP TABLE ext_m.t;
DROP EXTENSION hstore, pg_trgm;
SELECT schemasync.snapshot(ARRAY['ext_m']) AS m0 \gset
SELECT ss_test.fp() AS fp0 \gset

-- v0 -> v1: CREATE EXTENSION first, then what uses it
SELECT * FROM ss_test.mdiff(:'m1');
CALL schemasync.apply(:'m1');
SELECT count(*) AS left FROM schemasync.diff(:'m1');
SELECT ss_test.fp() = :'fp1' AS catalogs_equal;

-- v1 -> v0: the table (with its column and indexes) goes first, then
-- DROP EXTENSION (destructive, without CASCADE)
SELECT * FROM ss_test.mdiff(:'m0');
-- refused without allow_drops, and nothing changes
CALL schemasync.apply(:'m0');
SELECT ss_test.fp() = :'fp1' AS unchanged;
CALL schemasync.apply(:'m0'::jsonb, '{"allow_drops": true}');
SELECT count(*) AS left FROM schemasync.diff(:'m0');
SELECT ss_test.fp() = :'fp0' AS catalogs_equal;

-- a required extension: cube is created before earthdistance, which
-- requires it, and dropped after it
CREATE EXTENSION cube SCHEMA ext_m;
CREATE EXTENSION earthdistance SCHEMA ext_m;
SELECT schemasync.snapshot(ARRAY['ext_m']) AS mreq \gset
DROP EXTENSION earthdistance, cube;
SELECT * FROM ss_test.mdiff(:'mreq');
CALL schemasync.apply(:'mreq');
SELECT count(*) AS left FROM schemasync.diff(:'mreq');
SELECT * FROM ss_test.mdiff(:'m0');
CALL schemasync.apply(:'m0'::jsonb, '{"allow_drops": true}');
SELECT count(*) AS left FROM schemasync.diff(:'m0');
SELECT ss_test.fp() = :'fp0' AS catalogs_equal;

-- move: a relocatable extension installed in another schema is moved with
-- SET SCHEMA, not dropped and created (the model covers both schemas)
CREATE SCHEMA ext_m2;
CREATE EXTENSION hstore SCHEMA ext_m2;
SELECT schemasync.snapshot(ARRAY['ext_m', 'ext_m2']) AS mmove \gset
ALTER EXTENSION hstore SET SCHEMA ext_m;
SELECT * FROM ss_test.mdiff(:'mmove');
CALL schemasync.apply(:'mmove');
SELECT count(*) AS left FROM schemasync.diff(:'mmove');
SELECT extnamespace::regnamespace FROM pg_extension WHERE extname = 'hstore';
-- and back: the model of ext_m alone wants hstore in ext_m
SELECT * FROM ss_test.mdiff(:'m1');
DROP EXTENSION hstore;
DROP SCHEMA ext_m2;

-- a model of two schemas: a table in one uses an extension of the other;
-- the extension is created before the diffs of all schemas, and dropped
-- after them
CREATE SCHEMA ext_app;
CREATE EXTENSION hstore SCHEMA ext_m;
CREATE TABLE ext_app.t (id int, h ext_m.hstore);
CREATE INDEX t_h ON ext_app.t USING gin (h);
SELECT schemasync.snapshot(ARRAY['ext_app', 'ext_m']) AS mx \gset
SELECT ss_test.fp() AS fpx \gset
DROP TABLE ext_app.t;
DROP EXTENSION hstore;
SELECT * FROM ss_test.mdiff(:'mx');
CALL schemasync.apply(:'mx');
SELECT count(*) AS left FROM schemasync.diff(:'mx');
SELECT ss_test.fp() = :'fpx' AS catalogs_equal;
SELECT * FROM ss_test.mdiff('{"format": "schemasync", "version": 1,
  "schemas": ["ext_app", "ext_m"], "objects": []}');
CALL schemasync.apply('{"format": "schemasync", "version": 1,
  "schemas": ["ext_app", "ext_m"], "objects": []}'::jsonb, '{"allow_drops": true}');
SELECT ss_test.fp() = :'fp0' AS catalogs_equal;
DROP SCHEMA ext_app;

-- versions: compared only with extension_versions
CREATE EXTENSION hstore SCHEMA ext_m VERSION '1.7';
SELECT schemasync.snapshot(ARRAY['ext_m']) AS m17 \gset
SELECT ss_test.fp() AS fp17 \gset
ALTER EXTENSION hstore UPDATE TO '1.8';
SELECT schemasync.snapshot(ARRAY['ext_m']) AS m18 \gset
SELECT ss_test.fp() AS fp18 \gset
-- silent by default
SELECT count(*) FROM schemasync.diff(:'m17');
-- reported when asked; there is no way down from 1.8 to 1.7
SELECT * FROM ss_test.mdiff(:'m17'::jsonb, '{"extension_versions": true}');
-- created at the model's version when asked
DROP EXTENSION hstore;
SELECT * FROM ss_test.mdiff(:'m17'::jsonb, '{"extension_versions": true}');
CALL schemasync.apply(:'m17'::jsonb, '{"extension_versions": true}');
SELECT count(*) AS left FROM schemasync.diff(:'m17'::jsonb, '{"extension_versions": true}');
SELECT ss_test.fp() = :'fp17' AS catalogs_equal;
-- updated to the model's version when asked
SELECT count(*) FROM schemasync.diff(:'m18');
SELECT * FROM ss_test.mdiff(:'m18'::jsonb, '{"extension_versions": true}');
CALL schemasync.apply(:'m18'::jsonb, '{"extension_versions": true}');
SELECT count(*) AS left FROM schemasync.diff(:'m18'::jsonb, '{"extension_versions": true}');
SELECT ss_test.fp() = :'fp18' AS catalogs_equal;
DROP EXTENSION hstore;

-- a hand-written model (normalized in a scratch schema): a column of an
-- extension's type, the extension without a version
SELECT $${"format": "schemasync", "version": 1, "schemas": ["ext_m"],
  "objects": [
    {"kind": "extension", "schema": "ext_m", "name": "citext"},
    {"kind": "table", "schema": "ext_m", "name": "u",
     "columns": [{"name": "email", "type": "citext", "not_null": true}]},
    {"kind": "index", "schema": "ext_m", "name": "u_email", "table": "u",
     "definition": "CREATE UNIQUE INDEX u_email ON u (email)"}]}$$ AS mhand \gset
SELECT * FROM ss_test.mdiff(:'mhand');
CALL schemasync.apply(:'mhand');
SELECT count(*) AS left FROM schemasync.diff(:'mhand');
SELECT count(*) AS left FROM schemasync.diff(:'mhand'::jsonb, '{"extension_versions": true}');
CALL schemasync.apply(:'m0'::jsonb, '{"allow_drops": true}');
SELECT ss_test.fp() = :'fp0' AS catalogs_equal;

-- a caller who does not own an extension installed where the model wants
-- it: diff and apply of a model that leaves it alone need no ownership
SET client_min_messages = warning;
DROP ROLE IF EXISTS regress_ext_user;
RESET client_min_messages;
CREATE ROLE regress_ext_user;
DO $$ BEGIN EXECUTE format('GRANT CREATE ON DATABASE %I TO regress_ext_user', current_database()); END $$;
GRANT USAGE ON SCHEMA schemasync TO regress_ext_user;
GRANT ALL ON ALL TABLES IN SCHEMA schemasync TO regress_ext_user;
GRANT ALL ON SCHEMA ext_m TO regress_ext_user;
CREATE EXTENSION hstore SCHEMA ext_m;
SET ROLE regress_ext_user;
CREATE TABLE ext_m.t (id int, h ext_m.hstore);
SELECT schemasync.snapshot(ARRAY['ext_m']) AS mown \gset
ALTER TABLE ext_m.t ADD COLUMN h2 ext_m.hstore;
SELECT ordinal, kind, identity, action, ddl FROM schemasync.diff(:'mown');
CALL schemasync.apply(:'mown'::jsonb, '{"allow_drops": true}');
SELECT count(*) AS left FROM schemasync.diff(:'mown');
DROP TABLE ext_m.t;
RESET ROLE;
DROP EXTENSION hstore;
DO $$ BEGIN EXECUTE format('REVOKE CREATE ON DATABASE %I FROM regress_ext_user', current_database()); END $$;
REVOKE ALL ON ALL TABLES IN SCHEMA schemasync FROM regress_ext_user;
REVOKE ALL ON SCHEMA schemasync, ext_m FROM regress_ext_user;
DROP ROLE regress_ext_user;

-- the model reader's checks
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ext_m"],
  "objects": [{"kind": "extension", "schema": "ext_m", "name": "citext", "table": "t"}]}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ext_m"],
  "objects": [{"kind": "extension", "schema": "ext_m", "name": "citext", "version": 1.6}]}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ext_m"],
  "objects": [{"kind": "extension", "schema": "ext_m", "name": "citext", "relocatable": true}]}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ext_m", "public"],
  "objects": [{"kind": "extension", "schema": "ext_m", "name": "citext"},
              {"kind": "extension", "schema": "public", "name": "citext"}]}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["ext_m"],
  "objects": [{"kind": "extension", "schema": "ext_m", "name": "no_such_extension"}]}');
SELECT * FROM schemasync.diff(:'m0'::jsonb, '{"extension_versions": "yes"}');

SET client_min_messages = warning;
DROP SCHEMA ext_m, ss_test CASCADE;
RESET client_min_messages;
