--
-- indexes: indexes that no constraint owns, of every access method and
-- option, their comments, and indexes over columns that change.  Both
-- directions of every case.
--
-- Each case is one call of idx_t.rt(A, B) (see below): the exact rows of
-- schemasync.diff in each direction, then the outcome of apply, of the
-- re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- Helpers, in schema idx_t:
--
--   idx_t.setup(a, b)   (re)creates schemas idx_a and idx_b and runs the DDL
--                       script a in idx_a and b in idx_b, each with
--                       search_path set to its own schema.
--   idx_t.fp(s)         an independent fingerprint of schema s, read straight
--                       from the catalogs: one line per table, column (by
--                       name: column order is not compared), constraint,
--                       index and sequence, with every property schemasync
--                       claims to compare.
--   idx_t.rt(a, b)      the round trip of one case.  A<-B: on fresh schemas,
--                       the rows of schemasync.diff('idx_a', 'idx_b'), then
--                       one line with the outcome of CALL schemasync.apply
--                       (with allow_drops), the row count of the diff run
--                       again, and whether the two fingerprints now agree.
--                       B<-A: the same the other way round, on fresh
--                       schemas again (left out when reverse is false).
CREATE SCHEMA idx_t;

CREATE FUNCTION idx_t.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    DROP SCHEMA IF EXISTS idx_a CASCADE;
    DROP SCHEMA IF EXISTS idx_b CASCADE;
    CREATE SCHEMA idx_a;
    CREATE SCHEMA idx_b;
    PERFORM set_config('search_path', 'idx_a', true);
    EXECUTE a;
    PERFORM set_config('search_path', 'idx_b', true);
    EXECUTE b;
END
$f$;

CREATE FUNCTION idx_t.fp(s text) RETURNS SETOF text
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

CREATE FUNCTION idx_t.rt(a text, b text, reverse boolean DEFAULT true)
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
        tgt := CASE i WHEN 1 THEN 'idx_a' ELSE 'idx_b' END;
        ref := CASE i WHEN 1 THEN 'idx_b' ELSE 'idx_a' END;
        PERFORM idx_t.setup(a, b);
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
                (SELECT '-' || f FROM idx_t.fp(tgt) f EXCEPT SELECT '-' || f FROM idx_t.fp(ref) f)
                UNION ALL
                (SELECT '+' || f FROM idx_t.fp(ref) f EXCEPT SELECT '+' || f FROM idx_t.fp(tgt) f)) q(x);
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

-- btree_gist (contrib) for a gist index on a scalar column, in a schema of
-- its own; the default operator class needs no qualification
CREATE SCHEMA idx_ext;
CREATE EXTENSION btree_gist SCHEMA idx_ext;
CREATE FUNCTION idx_ext.norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS 'SELECT lower(trim(t))';

-- btree: created and dropped; unique; several columns with ordering options
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b text, c timestamptz)$$,
$$CREATE TABLE t (a int, b text, c timestamptz);
  CREATE INDEX t_a_idx ON t (a);
  CREATE UNIQUE INDEX t_b_key ON t (b);
  CREATE INDEX t_c_a_idx ON t (c DESC NULLS LAST, a NULLS FIRST)$$);

-- every built-in access method: hash, gin, gist, brin, spgist
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (i int, arr int[], doc jsonb, b box, r int4range, ts timestamptz, p point, s text)$$,
$$CREATE TABLE t (i int, arr int[], doc jsonb, b box, r int4range, ts timestamptz, p point, s text);
  CREATE INDEX t_i_hash ON t USING hash (i);
  CREATE INDEX t_arr_gin ON t USING gin (arr);
  CREATE INDEX t_doc_gin ON t USING gin (doc jsonb_path_ops);
  CREATE INDEX t_b_gist ON t USING gist (b);
  CREATE INDEX t_r_gist ON t USING gist (r);
  CREATE INDEX t_ts_brin ON t USING brin (ts) WITH (pages_per_range = 32);
  CREATE INDEX t_p_spgist ON t USING spgist (p);
  CREATE INDEX t_s_spgist ON t USING spgist (s)$$);

-- the access method changes
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (i int); CREATE INDEX t_i_idx ON t (i)$$,
$$CREATE TABLE t (i int); CREATE INDEX t_i_idx ON t USING hash (i)$$);

-- btree_gist: gist over a scalar and a range column
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (i int, r tstzrange)$$,
$$CREATE TABLE t (i int, r tstzrange);
  CREATE INDEX t_i_r_idx ON t USING gist (i, r)$$);

-- plain <-> unique (NULLS NOT DISTINCT)
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a)$$,
$$CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_idx ON t (a) NULLS NOT DISTINCT$$);

-- partial indexes: a predicate added, a predicate changed
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int);
  CREATE INDEX t_a_idx ON t (a);
  CREATE INDEX t_b_idx ON t (b) WHERE b > 0$$,
$$CREATE TABLE t (a int, b int);
  CREATE INDEX t_a_idx ON t (a) WHERE a IS NOT NULL;
  CREATE INDEX t_b_idx ON t (b) WHERE b > 10$$);

-- a partial index with IN (...) on a varchar column converges.  PostgreSQL
-- stores the re-parse of the reference's predicate in another form, so the
-- stored texts differ ("catalogs DIFFER" in A<-B is expected here);
-- schemasync compares normal forms, so the re-diff is empty.
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, status varchar(10))$$,
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status IN ('new', 'open')$$);

-- the same predicate written in both forms: no difference either way
SELECT idx_t.setup(
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status IN ('new', 'open')$$,
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status::text = ANY (ARRAY['new'::varchar, 'open'::varchar]::text[])$$);
SELECT count(*) FROM schemasync.diff('idx_a', 'idx_b');
SELECT count(*) FROM schemasync.diff('idx_b', 'idx_a');

-- but a different predicate in the other form is a difference
SELECT idx_t.setup(
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status IN ('new', 'open')$$,
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status::text = ANY (ARRAY['new'::varchar, 'closed'::varchar]::text[])$$);
SELECT ordinal, action, ddl FROM schemasync.diff('idx_a', 'idx_b') ORDER BY ordinal;

-- expression indexes, a unique partial one, and one calling a function of
-- another schema (stays qualified)
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a text, b int, c int);
  CREATE INDEX t_lower_idx ON t (lower(a))$$,
$$CREATE TABLE t (a text, b int, c int);
  CREATE INDEX t_lower_idx ON t (lower(a), (b + c));
  CREATE UNIQUE INDEX t_upper_key ON t (upper(a)) WHERE b > 0;
  CREATE INDEX t_norm_idx ON t (idx_ext.norm(a))$$);

-- a string literal containing " WHERE " in a key expression, and predicates
-- whose texts differ: the key columns after it (b here, c in the reference)
-- are still compared.  ("catalogs DIFFER" in B<-A is the IN (...) trap: the
-- same predicate stored in another form.)
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a text, b int, c int, s varchar(5));
  CREATE INDEX t_idx ON t ((a || ' WHERE '), b) WHERE s IN ('x', 'y')$$,
$$CREATE TABLE t (a text, b int, c int, s varchar(5));
  CREATE INDEX t_idx ON t ((a || ' WHERE '), c) WHERE s::text = ANY (ARRAY['x'::varchar, 'y'::varchar]::text[])$$);

-- INCLUDE columns
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int, c text); CREATE INDEX t_a_idx ON t (a)$$,
$$CREATE TABLE t (a int, b int, c text); CREATE INDEX t_a_idx ON t (a) INCLUDE (b, c)$$);

-- operator classes and collations
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a text, b text, c varchar(20));
  CREATE INDEX t_a_idx ON t (a);
  CREATE INDEX t_b_idx ON t (b);
  CREATE INDEX t_c_idx ON t (c)$$,
$$CREATE TABLE t (a text, b text, c varchar(20));
  CREATE INDEX t_a_idx ON t (a text_pattern_ops);
  CREATE INDEX t_b_idx ON t (b COLLATE "C");
  CREATE INDEX t_c_idx ON t (c varchar_pattern_ops DESC)$$);

-- storage parameters
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int[]);
  CREATE INDEX t_a_idx ON t (a) WITH (fillfactor = 70);
  CREATE INDEX t_b_idx ON t USING gin (b)$$,
$$CREATE TABLE t (a int, b int[]);
  CREATE INDEX t_a_idx ON t (a) WITH (fillfactor = 90, deduplicate_items = off);
  CREATE INDEX t_b_idx ON t USING gin (b) WITH (fastupdate = off)$$);

-- index comments: added, changed, removed, on a new index
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int);
  CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b);
  COMMENT ON INDEX t_a_idx IS 'old'$$,
$$CREATE TABLE t (a int, b int);
  CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b);
  CREATE INDEX t_ab_idx ON t (a, b);
  COMMENT ON INDEX t_a_idx IS 'new';
  COMMENT ON INDEX t_b_idx IS 'it''s b';
  COMMENT ON INDEX t_ab_idx IS 'both'$$);

-- indexes of a new table: no scans_table hazard, the table is empty
SELECT * FROM idx_t.rt(
$$$$,
$$CREATE TABLE t (a int, b text);
  CREATE INDEX t_a_idx ON t (a) WHERE a > 0;
  CREATE INDEX t_b_idx ON t USING hash (b)$$);

-- indexes on a column whose type changes: PostgreSQL rebuilds them with
-- the column, nothing to do for the indexes
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b) WHERE a > 0$$,
$$CREATE TABLE t (a bigint, b int); CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b) WHERE a > 0$$);

-- an expression index whose deparsed text depends on the column type:
-- dropped before the type change, created after
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a varchar(10)); CREATE INDEX t_a_idx ON t (lower(a))$$,
$$CREATE TABLE t (a text); CREATE INDEX t_a_idx ON t (lower(a))$$);

-- an index with an operator class that the new column type lacks
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a text); CREATE INDEX t_a_idx ON t (a text_pattern_ops)$$,
$$CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a)$$);

-- dropping a column with the indexes on it; adding it back with them
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_ab_idx ON t (a, b); CREATE INDEX t_b_idx ON t (b)$$,
$$CREATE TABLE t (a int)$$);

-- an index moves to another column under the same name
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (a)$$,
$$CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (b)$$);

-- an index moves to another table under the same name
SELECT * FROM idx_t.rt(
$$CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE INDEX ix ON t (a)$$,
$$CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE INDEX ix ON u (a)$$);

-- quoted names
SELECT * FROM idx_t.rt(
$$CREATE TABLE "My Table" ("Col A" int)$$,
$$CREATE TABLE "My Table" ("Col A" int);
  CREATE INDEX "My ""Index""" ON "My Table" ("Col A");
  COMMENT ON INDEX "My ""Index""" IS 'quoted'$$);

SET client_min_messages = warning;
DROP SCHEMA idx_a, idx_b, idx_t CASCADE;
DROP EXTENSION btree_gist;
DROP SCHEMA idx_ext CASCADE;
RESET client_min_messages;
