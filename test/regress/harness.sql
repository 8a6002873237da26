\set ECHO none
--
-- test/regress/harness.sql: the round trip of the pg_regress suites.
--
-- A suite sets the psql variable "prefix" and includes this file from the
-- repository root (where pg_regress runs psql):
--
--   \set prefix idx
--   \i test/regress/harness.sql
--
-- Its cases then run in schemas <prefix>_a and <prefix>_b, through these
-- functions of schema ss_test (test/lib/fingerprint.sql adds the
-- fingerprint):
--
--   ss_test.setup(a, b)   (re)creates schemas <prefix>_a and <prefix>_b and
--                         runs the DDL script a in the first and b in the
--                         second, each with search_path set to its own
--                         schema.
--   ss_test.fingerprint(s)  an independent fingerprint of schema s, read
--                         straight from the catalogs, with every property
--                         schemasync claims to compare.
--   ss_test.rt(a, b [, reverse])  the round trip of one case.  A<-B: on
--                         fresh schemas, the rows of schemasync.diff(
--                         '<prefix>_a', '<prefix>_b'), then one line with the
--                         outcome of CALL schemasync.apply (with allow_drops),
--                         the row count of the diff run again, and whether
--                         the two fingerprints now agree.  B<-A: the same
--                         the other way round, on fresh schemas again (left
--                         out when reverse is false).
--
-- A suite may set ss_test.options (e.g. SET ss_test.options =
-- '{"privileges": true}') to pass options to every diff and apply of rt.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
\i test/lib/fingerprint.sql
SET client_min_messages = warning;
SET ss_test.prefix = :'prefix';
RESET client_min_messages;

CREATE OR REPLACE FUNCTION ss_test.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
DECLARE
    pfx text := current_setting('ss_test.prefix');
BEGIN
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', pfx || '_a');
    EXECUTE format('DROP SCHEMA IF EXISTS %I CASCADE', pfx || '_b');
    EXECUTE format('CREATE SCHEMA %I', pfx || '_a');
    EXECUTE format('CREATE SCHEMA %I', pfx || '_b');
    PERFORM set_config('search_path', quote_ident(pfx || '_a'), true);
    EXECUTE a;
    PERFORM set_config('search_path', quote_ident(pfx || '_b'), true);
    EXECUTE b;
END
$f$;

CREATE OR REPLACE FUNCTION ss_test.rt(a text, b text, reverse boolean DEFAULT true)
RETURNS TABLE (dir text, n int, kind text, identity text, action text, ddl text,
               destructive boolean, hazards text[], lock text)
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
DECLARE
    pfx text := current_setting('ss_test.prefix');
    r record;
    tgt text;
    ref text;
    msg text;
    det text;
    ctx text;
    fpdiff text;
    opts jsonb := COALESCE(NULLIF(current_setting('ss_test.options', true), ''), '{}')::jsonb;
BEGIN
    FOR i IN 1..CASE WHEN reverse THEN 2 ELSE 1 END LOOP
        dir := CASE i WHEN 1 THEN 'A<-B' ELSE 'B<-A' END;
        tgt := pfx || CASE i WHEN 1 THEN '_a' ELSE '_b' END;
        ref := pfx || CASE i WHEN 1 THEN '_b' ELSE '_a' END;
        PERFORM ss_test.setup(a, b);
        FOR r IN SELECT * FROM schemasync.diff(tgt, ref, opts) d ORDER BY d.ordinal LOOP
            n := r.ordinal; kind := r.kind; identity := r.identity;
            action := r.action; ddl := r.ddl; destructive := r.destructive;
            hazards := r.hazards; lock := r.lock;
            RETURN NEXT;
        END LOOP;
        n := NULL; kind := NULL; identity := NULL; action := NULL;
        destructive := NULL; hazards := NULL; lock := NULL;
        BEGIN
            CALL schemasync.apply(tgt, ref, '{"allow_drops": true}'::jsonb || opts);
            SELECT string_agg(x, '; ' ORDER BY x) INTO fpdiff
              FROM ss_test.fingerprint_diff(tgt, ref) x;
            ddl := format('applied; re-diff: %s rows; %s',
                          (SELECT count(*) FROM schemasync.diff(tgt, ref, opts)),
                          coalesce('catalogs DIFFER: ' || fpdiff, 'catalogs equal'));
        EXCEPTION WHEN OTHERS THEN
            GET STACKED DIAGNOSTICS msg = MESSAGE_TEXT, det = PG_EXCEPTION_DETAIL,
                                    ctx = PG_EXCEPTION_CONTEXT;
            ddl := format('APPLY FAILED: %s %s %s', msg, det, ctx);
        END;
        RETURN NEXT;
    END LOOP;
END
$f$;

\pset format unaligned
\pset footer off
\set ECHO all
