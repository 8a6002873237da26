--
-- columns: tables and their columns, both directions of every case.
--
-- Each case is one call of col_t.rt(A, B) (see below): the exact rows of
-- schemasync.diff in each direction, then the outcome of apply, of the
-- re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- Helpers, in schema col_t:
--
--   col_t.setup(a, b)   (re)creates schemas col_a and col_b and runs the DDL
--                       script a in col_a and b in col_b, each with
--                       search_path set to its own schema.
--   col_t.fp(s)         an independent fingerprint of schema s, read straight
--                       from the catalogs: one line per table, column (by
--                       name: column order is not compared), constraint,
--                       index and sequence, with every property schemasync
--                       claims to compare.
--   col_t.rt(a, b)      the round trip of one case.  A<-B: on fresh schemas,
--                       the rows of schemasync.diff('col_a', 'col_b'), then
--                       one line with the outcome of CALL schemasync.apply
--                       (with allow_drops), the row count of the diff run
--                       again, and whether the two fingerprints now agree.
--                       B<-A: the same the other way round, on fresh
--                       schemas again (left out when reverse is false).
CREATE SCHEMA col_t;

CREATE FUNCTION col_t.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    DROP SCHEMA IF EXISTS col_a CASCADE;
    DROP SCHEMA IF EXISTS col_b CASCADE;
    CREATE SCHEMA col_a;
    CREATE SCHEMA col_b;
    PERFORM set_config('search_path', 'col_a', true);
    EXECUTE a;
    PERFORM set_config('search_path', 'col_b', true);
    EXECUTE b;
END
$f$;

CREATE FUNCTION col_t.fp(s text) RETURNS SETOF text
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

CREATE FUNCTION col_t.rt(a text, b text, reverse boolean DEFAULT true)
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
        tgt := CASE i WHEN 1 THEN 'col_a' ELSE 'col_b' END;
        ref := CASE i WHEN 1 THEN 'col_b' ELSE 'col_a' END;
        PERFORM col_t.setup(a, b);
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
                (SELECT '-' || f FROM col_t.fp(tgt) f EXCEPT SELECT '-' || f FROM col_t.fp(ref) f)
                UNION ALL
                (SELECT '+' || f FROM col_t.fp(ref) f EXCEPT SELECT '+' || f FROM col_t.fp(tgt) f)) q(x);
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

-- a type of another schema, for a column type change
CREATE SCHEMA col_ext;
CREATE TYPE col_ext.mood AS ENUM ('sad', 'ok', 'happy');

-- add and drop a plain column, with data in the table
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int); INSERT INTO t VALUES (1)$$,
$$CREATE TABLE t (id int, note text); INSERT INTO t VALUES (1, 'x')$$);

-- add a NOT NULL column with a constant default, and one with a volatile
-- default (which rewrites the table)
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int, n int NOT NULL DEFAULT 0, ts timestamptz DEFAULT clock_timestamp())$$);

-- add a NOT NULL column without a default: fails if the table has rows
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int, n int NOT NULL)$$);

-- add an identity column to an existing table
SELECT * FROM col_t.rt(
$$CREATE TABLE t (v text); INSERT INTO t VALUES ('x')$$,
$$CREATE TABLE t (v text, id bigint GENERATED ALWAYS AS IDENTITY); INSERT INTO t (v) VALUES ('x')$$);

-- type change with an assignment cast: integer <-> bigint
-- bigint -> integer fails on out-of-range values (PostgreSQL raises, it
-- does not truncate): destructive and may_fail.
SELECT * FROM col_t.rt(
$$CREATE TABLE t (c int); INSERT INTO t VALUES (1)$$,
$$CREATE TABLE t (c bigint); INSERT INTO t VALUES (1)$$);

-- no assignment cast from text to integer: USING; back to text needs none
SELECT * FROM col_t.rt(
$$CREATE TABLE t (c text); INSERT INTO t VALUES ('42')$$,
$$CREATE TABLE t (c integer); INSERT INTO t VALUES (42)$$);

-- integer <-> boolean: explicit casts only, USING both ways
SELECT * FROM col_t.rt(
$$CREATE TABLE t (c integer); INSERT INTO t VALUES (1)$$,
$$CREATE TABLE t (c boolean); INSERT INTO t VALUES (true)$$);

-- text <-> jsonb
SELECT * FROM col_t.rt(
$$CREATE TABLE t (c text); INSERT INTO t VALUES ('{"a": 1}')$$,
$$CREATE TABLE t (c jsonb); INSERT INTO t VALUES ('{"a": 1}')$$);

-- text <-> an enum of another schema, with a default that must be dropped
-- around the type change
SELECT * FROM col_t.rt(
$$CREATE TABLE t (m text DEFAULT 'ok'); INSERT INTO t VALUES ('sad')$$,
$$CREATE TABLE t (m col_ext.mood DEFAULT 'ok'); INSERT INTO t VALUES ('sad')$$);

-- typmod: varchar(10) widened to varchar(20) is safe, narrowing is
-- destructive and rewrites
-- The widening neither rewrites nor scans the table (relfilenode and
-- seq_scan unchanged); the same for varchar(n) -> text/varchar and
-- numeric(10,2) -> numeric(12,2) below.
SELECT * FROM col_t.rt(
$$CREATE TABLE t (c varchar(10))$$,
$$CREATE TABLE t (c varchar(20))$$);

-- typmod: numeric(10,2) <-> numeric(12,2) (more digits, same scale);
-- numeric(10,2) <-> numeric(10,4) (the scale changes: rewrites; fewer
-- integer digits can fail, a smaller scale rounds)
SELECT * FROM col_t.rt(
$$CREATE TABLE t (p numeric(10,2), s numeric(10,2))$$,
$$CREATE TABLE t (p numeric(12,2), s numeric(10,4))$$);

-- varchar(10) <-> text, varchar(10) <-> varchar without a length
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a varchar(10), b varchar(10))$$,
$$CREATE TABLE t (a text, b varchar)$$);

-- collation: set, change, back to the type's default
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a text, b text COLLATE "C")$$,
$$CREATE TABLE t (a text COLLATE "C", b text COLLATE "POSIX")$$);

-- defaults: set, drop, change
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, b int DEFAULT 1, c text DEFAULT 'x')$$,
$$CREATE TABLE t (a int DEFAULT 0, b int, c text DEFAULT 'y')$$);

-- type change of columns with defaults: dropped before, set again after
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int DEFAULT 7, b text DEFAULT '5', c text DEFAULT 'x')$$,
$$CREATE TABLE t (a bigint DEFAULT 7, b int DEFAULT 5, c varchar(5) DEFAULT 'x')$$);

-- NOT NULL: set and drop
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int NOT NULL, b int); INSERT INTO t VALUES (1, 1)$$,
$$CREATE TABLE t (a int, b int NOT NULL); INSERT INTO t VALUES (1, 1)$$);

-- identity: added to a NOT NULL column; dropped (NOT NULL stays)
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int NOT NULL)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$);

-- identity: added to a column that is nullable today (SET NOT NULL first);
-- dropped, and the column nullable again
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id bigint); INSERT INTO t VALUES (1)$$,
$$CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY)$$);

-- identity: ALWAYS <-> BY DEFAULT
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$,
$$CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY)$$);

-- identity: sequence options
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (START WITH 100 INCREMENT BY 5 MAXVALUE 100000 CACHE 20 CYCLE))$$);

-- identity: a MINVALUE above the sequence's current value needs a RESTART
-- (ALTER refuses bounds that exclude the value); on a used sequence that
-- loses its place: sequence_reset, destructive
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (MINVALUE 10 START WITH 10))$$);
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY, v text); INSERT INTO t (v) VALUES ('x')$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (MINVALUE 10 START WITH 10), v text)$$);

-- identity: kind, options and the column type together
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY (INCREMENT BY 2))$$,
$$CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY (INCREMENT BY 3))$$);

-- identity <-> a plain default
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id int GENERATED BY DEFAULT AS IDENTITY)$$,
$$CREATE TABLE t (id int NOT NULL DEFAULT 0)$$);

-- stored generated column: added (rewrites), dropped (not destructive: the
-- values can be computed again)
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int); INSERT INTO t VALUES (2)$$,
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED); INSERT INTO t VALUES (2)$$);

-- stored generated column: the expression changes (drop and add again)
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED)$$,
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 3) STORED)$$);

-- stored generated column -> plain column: DROP EXPRESSION keeps the
-- values; plain -> generated drops the column's values
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a + 1) STORED); INSERT INTO t VALUES (1)$$,
$$CREATE TABLE t (a int, g int); INSERT INTO t VALUES (1, 2)$$);

-- the base column of a stored generated column changes type: the
-- generated column is dropped before and added after
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, g bigint GENERATED ALWAYS AS (a * 2) STORED); INSERT INTO t VALUES (1)$$,
$$CREATE TABLE t (a bigint, g bigint GENERATED ALWAYS AS (a * 2) STORED); INSERT INTO t VALUES (1)$$);

-- both the base and the generated column change type
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED)$$,
$$CREATE TABLE t (a numeric, g numeric GENERATED ALWAYS AS (a * 2) STORED)$$);

-- a generated column that is re-created takes its index, CHECK and comment
-- along
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 2) STORED CONSTRAINT t_g_check CHECK (g >= 0));
  CREATE INDEX t_g_idx ON t (g); COMMENT ON COLUMN t.g IS 'twice a'$$,
$$CREATE TABLE t (a int, g int GENERATED ALWAYS AS (a * 3) STORED CONSTRAINT t_g_check CHECK (g >= 0));
  CREATE INDEX t_g_idx ON t (g); COMMENT ON COLUMN t.g IS 'twice a'$$);

-- serial column <-> bigint identity column
-- A<-B: the serial's sequence t_id_seq is dropped before ADD GENERATED, so
-- the identity's sequence takes the name t_id_seq, as in the reference.
SELECT * FROM col_t.rt(
$$CREATE TABLE t (id serial, v text); INSERT INTO t (v) VALUES ('x')$$,
$$CREATE TABLE t (id bigint GENERATED BY DEFAULT AS IDENTITY, v text); INSERT INTO t (v) VALUES ('x')$$);

-- UNLOGGED <-> LOGGED
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int)$$,
$$CREATE UNLOGGED TABLE t (a int)$$);

-- storage parameters: set, change, reset
-- SET (...) and RESET (...) of these parameters (fillfactor,
-- autovacuum_enabled, toast_tuple_target) take ShareUpdateExclusiveLock in
-- PostgreSQL 15 (checked in pg_locks).
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int) WITH (fillfactor = 70, autovacuum_enabled = false)$$,
$$CREATE TABLE t (a int) WITH (fillfactor = 80, toast_tuple_target = 256)$$);

SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int)$$,
$$CREATE TABLE t (a int) WITH (fillfactor = 50)$$);

-- comments on tables and columns: add, change, remove
SELECT * FROM col_t.rt(
$$CREATE TABLE t (a int, b int, c int);
  COMMENT ON TABLE t IS 'old table';
  COMMENT ON COLUMN t.a IS 'old a';
  COMMENT ON COLUMN t.b IS 'b''s comment'$$,
$$CREATE TABLE t (a int, b int, c int);
  COMMENT ON TABLE t IS 'new table';
  COMMENT ON COLUMN t.a IS 'new a';
  COMMENT ON COLUMN t.c IS E'it''s c,\nwith a backslash \\ and a newline'$$);

-- a new table: every column in CREATE TABLE, comments after it
SELECT * FROM col_t.rt(
$$$$,
$$CREATE TABLE t (a int, b text NOT NULL DEFAULT 'x') WITH (fillfactor = 90);
  COMMENT ON TABLE t IS 'table t';
  COMMENT ON COLUMN t.b IS 'column b'$$);

SELECT * FROM col_t.rt(
$$$$,
$$CREATE UNLOGGED TABLE "Mixed Case" ("Id" int GENERATED ALWAYS AS IDENTITY (START WITH 10),
  "select" text COLLATE "C", "a""b" int GENERATED ALWAYS AS ("Id" + 1) STORED);
  CREATE TABLE empty ()$$);

-- quoted identifiers: mixed case, spaces, quotes, keywords
SELECT * FROM col_t.rt(
$$CREATE TABLE "Mixed Case" ("Id" int, "with space" text, "quote""d" int)$$,
$$CREATE TABLE "Mixed Case" ("Id" bigint NOT NULL, "with space" text DEFAULT 'it''s',
  "quote""d" int, "new ""col""" int, "order" int);
  COMMENT ON COLUMN "Mixed Case"."with space" IS 'a "quoted" comment'$$);

SET client_min_messages = warning;
DROP SCHEMA col_a, col_b, col_t, col_ext CASCADE;
RESET client_min_messages;
