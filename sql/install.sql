--
-- install: the extension installs and drops cleanly, its API surface is
-- exactly what is intended, and the update path is in place.
--
SET client_min_messages = warning;
DROP EXTENSION IF EXISTS schemasync;
RESET client_min_messages;
CREATE EXTENSION schemasync;

-- the API surface: any change here must be deliberate
\dx+ schemasync

SELECT extname, extversion, extrelocatable, nspname
FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace
WHERE extname = 'schemasync';

-- the columns of schemasync.change, in the contract's order
SELECT attnum, attname, format_type(atttypid, atttypmod)
FROM pg_attribute
WHERE attrelid = 'schemasync.change'::regclass AND attnum > 0
ORDER BY attnum;

-- everything runs with the caller's rights
SELECT p.proname, pg_get_function_identity_arguments(p.oid) AS args,
       p.prokind, p.prosecdef, p.provolatile
FROM pg_proc p
WHERE p.pronamespace = 'schemasync'::regnamespace
ORDER BY 1, 2;

-- not trusted: only a superuser may create it
SELECT trusted, superuser FROM pg_available_extension_versions
WHERE name = 'schemasync';

-- every entry point answers (sql/model.sql tests the model path in depth)
SELECT schemasync.snapshot(ARRAY[]::text[]) - 'server_version_num' AS empty_model;
SELECT count(*) FROM schemasync.diff('err', 'err2');
SELECT * FROM schemasync.diff('{}'::jsonb);
CALL schemasync.apply('{}'::jsonb);

-- the models of the history are stored with lz4 where the server has it
SELECT attname, attcompression = CASE
           WHEN EXISTS (SELECT FROM pg_settings WHERE name = 'default_toast_compression'
                                                  AND 'lz4' = ANY (enumvals))
           THEN 'l' ELSE '' END AS compression_as_expected,
       attcompression
FROM pg_attribute
WHERE attrelid = 'schemasync.history'::regclass AND attname IN ('before', 'after')
ORDER BY attname;

-- the setting schemasync.huge_pages (docs/api.md, "Settings"): on by
-- default; without it a diff gives the same rows, and after a call that
-- failed the next one runs as before
SHOW schemasync.huge_pages;
CREATE SCHEMA hp1;
CREATE SCHEMA hp2;
CREATE TABLE hp2.t (id int PRIMARY KEY, note text DEFAULT 'x' CHECK (note <> ''));
CREATE INDEX ON hp2.t (lower(note));
CREATE TEMP TABLE hp_on AS SELECT ordinal, ddl FROM schemasync.diff('hp1', 'hp2');
SELECT * FROM hp_on ORDER BY ordinal;
SET schemasync.huge_pages = off;
SELECT count(*) AS differing_rows
FROM ((SELECT ordinal, ddl FROM schemasync.diff('hp1', 'hp2') EXCEPT SELECT * FROM hp_on)
      UNION ALL
      (SELECT * FROM hp_on EXCEPT SELECT ordinal, ddl FROM schemasync.diff('hp1', 'hp2'))) AS x;
RESET schemasync.huge_pages;
SELECT count(*) FROM schemasync.diff('hp1', 'no_such_schema');
SELECT count(*) AS rows_after_error FROM schemasync.diff('hp1', 'hp2');
-- the prefix is the extension's: a misspelt setting is an error
SET schemasync.hugepages = off;
-- pg_class has no index by namespace: a diff of two schemas reads both
-- schemas' rows in one scan of it, for the check for objects not modeled and
-- for the read, not one scan per side (a no-op diff: nothing else scans it)
CREATE SCHEMA hp3;
CREATE TABLE hp3.t (id int PRIMARY KEY, note text DEFAULT 'x' CHECK (note <> ''));
CREATE INDEX ON hp3.t (lower(note));
BEGIN;
SELECT seq_scan AS scans FROM pg_stat_xact_sys_tables WHERE relname = 'pg_class' \gset
SELECT count(*) AS rows FROM schemasync.diff('hp3', 'hp2');
SELECT seq_scan - :scans AS pg_class_scans
FROM pg_stat_xact_sys_tables WHERE relname = 'pg_class' \gset
SELECT :pg_class_scans AS pg_class_scans;
SELECT count(*) AS rows FROM schemasync.diff('hp3', 'hp2', '{"ignore_unmodeled": true}');
SELECT seq_scan - :scans - :pg_class_scans AS pg_class_scans_without_check
FROM pg_stat_xact_sys_tables WHERE relname = 'pg_class';
ROLLBACK;
DROP SCHEMA hp1, hp2, hp3 CASCADE;

-- the update path: updating to the installed version is a no-op
ALTER EXTENSION schemasync UPDATE;
SELECT extversion FROM pg_extension WHERE extname = 'schemasync';

-- drops cleanly and comes back.  PostgreSQL creates the schema named in the
-- control file but does not drop it with the extension: it is left empty.
DROP EXTENSION schemasync;
SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
        WHERE n.nspname = 'schemasync')
     + (SELECT count(*) FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
        WHERE n.nspname = 'schemasync')
     + (SELECT count(*) FROM pg_proc p JOIN pg_namespace n ON n.oid = p.pronamespace
        WHERE n.nspname = 'schemasync') AS objects_left;
DROP SCHEMA schemasync;
CREATE EXTENSION schemasync;
SELECT count(*) FROM pg_proc WHERE pronamespace = 'schemasync'::regnamespace;
