--
-- sequences: standalone sequences (identity sequences belong to their
-- column, see columns.sql) with every option, OWNED BY, their use in column
-- defaults, comments.  Both directions of every case unless noted.
--
-- Each case is one call of seq_t.rt(A, B) (see below): the exact rows of
-- schemasync.diff in each direction, then the outcome of apply, of the
-- re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- Helpers, in schema seq_t:
--
--   seq_t.setup(a, b)   (re)creates schemas seq_a and seq_b and runs the DDL
--                       script a in seq_a and b in seq_b, each with
--                       search_path set to its own schema.
--   seq_t.fp(s)         an independent fingerprint of schema s, read straight
--                       from the catalogs: one line per table, column (by
--                       name: column order is not compared), constraint,
--                       index and sequence, with every property schemasync
--                       claims to compare.
--   seq_t.rt(a, b)      the round trip of one case.  A<-B: on fresh schemas,
--                       the rows of schemasync.diff('seq_a', 'seq_b'), then
--                       one line with the outcome of CALL schemasync.apply
--                       (with allow_drops), the row count of the diff run
--                       again, and whether the two fingerprints now agree.
--                       B<-A: the same the other way round, on fresh
--                       schemas again (left out when reverse is false).
CREATE SCHEMA seq_t;

CREATE FUNCTION seq_t.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    DROP SCHEMA IF EXISTS seq_a CASCADE;
    DROP SCHEMA IF EXISTS seq_b CASCADE;
    CREATE SCHEMA seq_a;
    CREATE SCHEMA seq_b;
    PERFORM set_config('search_path', 'seq_a', true);
    EXECUTE a;
    PERFORM set_config('search_path', 'seq_b', true);
    EXECUTE b;
END
$f$;

CREATE FUNCTION seq_t.fp(s text) RETURNS SETOF text
LANGUAGE plpgsql SET search_path = pg_catalog
AS $f$
DECLARE
    nsp oid := (SELECT oid FROM pg_namespace WHERE nspname = s);
BEGIN
    -- deparse with search_path = s, as schemasync does, so both sides read alike
    PERFORM set_config('search_path', quote_ident(s), true);
    RETURN QUERY
    SELECT format('table %s persistence=%s options=%s comment=%s',
                  c.relname, c.relpersistence, c.reloptions,
                  obj_description(c.oid, 'pg_class'))
    FROM pg_class c WHERE c.relnamespace = nsp AND c.relkind = 'r'
    UNION ALL
    SELECT format('column %s.%s %s collate=%s not_null=%s default=%s identity=%s generated=%s seq=%s comment=%s',
                  c.relname, a.attname, format_type(a.atttypid, a.atttypmod),
                  CASE WHEN a.attcollation <> t.typcollation THEN a.attcollation::regcollation::text END,
                  a.attnotnull, pg_get_expr(ad.adbin, ad.adrelid),
                  nullif(a.attidentity, ''), nullif(a.attgenerated, ''),
                  (SELECT format('%s %s %s %s %s %s %s %s', sc.relname, sq.seqtypid::regtype,
                                 sq.seqstart, sq.seqincrement, sq.seqmin, sq.seqmax,
                                 sq.seqcache, sq.seqcycle)
                   FROM pg_depend dp JOIN pg_sequence sq ON sq.seqrelid = dp.objid
                   JOIN pg_class sc ON sc.oid = sq.seqrelid
                   WHERE dp.refobjid = c.oid AND dp.refobjsubid = a.attnum
                   AND dp.classid = 'pg_class'::regclass AND dp.deptype = 'i'),
                  col_description(c.oid, a.attnum))
    FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid
    JOIN pg_type t ON t.oid = a.atttypid
    LEFT JOIN pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
    WHERE c.relnamespace = nsp AND c.relkind = 'r' AND a.attnum > 0 AND NOT a.attisdropped
    UNION ALL
    SELECT format('constraint %s.%s %s comment=%s', c.relname, co.conname,
                  pg_get_constraintdef(co.oid), obj_description(co.oid, 'pg_constraint'))
    FROM pg_constraint co JOIN pg_class c ON c.oid = co.conrelid
    WHERE c.relnamespace = nsp
    UNION ALL
    -- every index, constraint indexes included (their storage parameters)
    SELECT format('index %s comment=%s',
                  replace(pg_get_indexdef(i.indexrelid), ' ON ' || quote_ident(s) || '.', ' ON '),
                  obj_description(i.indexrelid, 'pg_class'))
    FROM pg_index i JOIN pg_class c ON c.oid = i.indrelid
    WHERE c.relnamespace = nsp
    UNION ALL
    SELECT format('sequence %s %s %s %s %s %s %s %s owned_by=%s comment=%s',
                  c.relname, sq.seqtypid::regtype, sq.seqstart, sq.seqincrement,
                  sq.seqmin, sq.seqmax, sq.seqcache, sq.seqcycle,
                  (SELECT tc.relname || '.' || ta.attname FROM pg_depend dp
                   JOIN pg_class tc ON tc.oid = dp.refobjid
                   JOIN pg_attribute ta ON ta.attrelid = dp.refobjid AND ta.attnum = dp.refobjsubid
                   WHERE dp.objid = c.oid AND dp.classid = 'pg_class'::regclass
                   AND dp.refclassid = 'pg_class'::regclass AND dp.deptype = 'a'),
                  obj_description(c.oid, 'pg_class'))
    FROM pg_class c JOIN pg_sequence sq ON sq.seqrelid = c.oid
    WHERE c.relnamespace = nsp
    AND NOT EXISTS (SELECT 1 FROM pg_depend dp WHERE dp.objid = c.oid
                    AND dp.classid = 'pg_class'::regclass AND dp.deptype = 'i');
END
$f$;

CREATE FUNCTION seq_t.rt(a text, b text, reverse boolean DEFAULT true)
RETURNS TABLE (dir text, n int, kind text, identity text, action text, ddl text,
               destructive boolean, hazards text[], lock text)
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
DECLARE
    r record;
    tgt text;
    ref text;
    msg text;
    det text;
    ctx text;
    fpdiff text;
BEGIN
    FOR i IN 1..CASE WHEN reverse THEN 2 ELSE 1 END LOOP
        dir := CASE i WHEN 1 THEN 'A<-B' ELSE 'B<-A' END;
        tgt := CASE i WHEN 1 THEN 'seq_a' ELSE 'seq_b' END;
        ref := CASE i WHEN 1 THEN 'seq_b' ELSE 'seq_a' END;
        PERFORM seq_t.setup(a, b);
        FOR r IN SELECT * FROM schemasync.diff(tgt, ref) d ORDER BY d.ordinal LOOP
            n := r.ordinal; kind := r.kind; identity := r.identity;
            action := r.action; ddl := r.ddl; destructive := r.destructive;
            hazards := r.hazards; lock := r.lock;
            RETURN NEXT;
        END LOOP;
        n := NULL; kind := NULL; identity := NULL; action := NULL;
        destructive := NULL; hazards := NULL; lock := NULL;
        BEGIN
            CALL schemasync.apply(tgt, ref, '{"allow_drops": true}');
            SELECT string_agg(x, '; ' ORDER BY x) INTO fpdiff FROM (
                (SELECT '-' || f FROM seq_t.fp(tgt) f EXCEPT SELECT '-' || f FROM seq_t.fp(ref) f)
                UNION ALL
                (SELECT '+' || f FROM seq_t.fp(ref) f EXCEPT SELECT '+' || f FROM seq_t.fp(tgt) f)) q(x);
            ddl := format('applied; re-diff: %s rows; %s',
                          (SELECT count(*) FROM schemasync.diff(tgt, ref)),
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

-- a standalone sequence with every option: created and dropped
SELECT * FROM seq_t.rt(
$$$$,
$$CREATE SEQUENCE s AS integer START WITH 100 INCREMENT BY 10 MINVALUE 50 MAXVALUE 100000 CACHE 5 CYCLE$$);

-- all defaults: every option is spelled out
SELECT * FROM seq_t.rt(
$$$$,
$$CREATE SEQUENCE s$$);

-- option changes, one per sequence: START, INCREMENT (descending), MAXVALUE,
-- CACHE, CYCLE, AS (with the bound that follows the type)
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE SEQUENCE s3; CREATE SEQUENCE s4 CACHE 10;
  CREATE SEQUENCE s5 CYCLE; CREATE SEQUENCE s6 AS smallint; CREATE SEQUENCE s7 MAXVALUE 1000$$,
$$CREATE SEQUENCE s1 START WITH 5; CREATE SEQUENCE s2 INCREMENT BY -1 MAXVALUE 1 START 1;
  CREATE SEQUENCE s3 MAXVALUE 500; CREATE SEQUENCE s4 CACHE 1; CREATE SEQUENCE s5 NO CYCLE;
  CREATE SEQUENCE s6 AS bigint; CREATE SEQUENCE s7$$);

-- bounds that exclude the current value need a RESTART at the new start:
-- harmless on a sequence never used, sequence_reset (destructive) on one
-- that was
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE s$$,
$$CREATE SEQUENCE s MINVALUE 10 START 10$$);
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE s; SELECT nextval('s')$$,
$$CREATE SEQUENCE s MINVALUE 10 START 10$$);
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE s$$,
$$CREATE SEQUENCE s MAXVALUE 0 INCREMENT -1 START 0$$);

-- the current value is kept across option changes
SELECT seq_t.setup($$CREATE SEQUENCE s INCREMENT BY 1; SELECT nextval('s'); SELECT nextval('s')$$,
                   $$CREATE SEQUENCE s INCREMENT BY 5 CACHE 3$$);
CALL schemasync.apply('seq_a', 'seq_b');
SELECT last_value, is_called FROM seq_a.s;
SELECT nextval('seq_a.s');

-- OWNED BY: set, changed, removed
SELECT * FROM seq_t.rt(
$$CREATE TABLE t (a int, b int); CREATE SEQUENCE s1; CREATE SEQUENCE s2 OWNED BY t.a$$,
$$CREATE TABLE t (a int, b int); CREATE SEQUENCE s1 OWNED BY t.a; CREATE SEQUENCE s2 OWNED BY t.b$$);

-- a sequence owned by a column that is dropped: the sequence goes first
SELECT * FROM seq_t.rt(
$$CREATE TABLE t (id int, x int); CREATE SEQUENCE s OWNED BY t.x$$,
$$CREATE TABLE t (id int)$$);

-- a sequence used by the default of a column of a new table, and OWNED BY
-- that column: the sequence before the table, the ownership after it.
-- Dropping the table drops the sequence it owns: no DROP SEQUENCE of its own
SELECT * FROM seq_t.rt(
$$$$,
$$CREATE SEQUENCE t_id_seq AS integer;
  CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'), v text);
  ALTER SEQUENCE t_id_seq OWNED BY t.id$$);

-- the same for a new serial column of an existing table; dropping the
-- column drops its sequence
SELECT * FROM seq_t.rt(
$$CREATE TABLE t (v text)$$,
$$CREATE TABLE t (v text, id serial)$$);

-- defaults that start or stop using a sequence
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE TABLE t (a bigint, b bigint DEFAULT nextval('s2'))$$,
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE TABLE t (a bigint DEFAULT nextval('s1'), b bigint)$$);

-- a default moves to a new sequence that replaces the old one: create,
-- switch the default, then drop
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE old_seq; CREATE TABLE t (a bigint DEFAULT nextval('old_seq'))$$,
$$CREATE SEQUENCE new_seq; CREATE TABLE t (a bigint DEFAULT nextval('new_seq'))$$);

-- a sequence of another schema in a default stays qualified
CREATE SCHEMA seq_ext;
CREATE SEQUENCE seq_ext.shared;
SELECT * FROM seq_t.rt(
$$CREATE TABLE t (a bigint)$$,
$$CREATE TABLE t (a bigint DEFAULT nextval('seq_ext.shared'))$$);

-- sequence comments: added, removed, on a new sequence
SELECT * FROM seq_t.rt(
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; COMMENT ON SEQUENCE s1 IS 'one'$$,
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE SEQUENCE s3;
  COMMENT ON SEQUENCE s2 IS 'two'; COMMENT ON SEQUENCE s3 IS 'it''s three'$$);

-- quoted names: a new sequence in an existing column's default, owned by
-- the column, with a comment
SELECT * FROM seq_t.rt(
$$CREATE TABLE "T" ("Id" int)$$,
$$CREATE SEQUENCE "My Seq" AS smallint;
  CREATE TABLE "T" ("Id" int DEFAULT nextval('"My Seq"'));
  ALTER SEQUENCE "My Seq" OWNED BY "T"."Id";
  COMMENT ON SEQUENCE "My Seq" IS 'quoted'$$);

SET client_min_messages = warning;
DROP SCHEMA seq_a, seq_b, seq_t, seq_ext CASCADE;
RESET client_min_messages;
