--
-- constraints: PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE, with their
-- options, validation, comments, and the changes around them that force a
-- constraint to be re-created.  Both directions of every case.
--
-- Each case is one call of con_t.rt(A, B) (see below): the exact rows of
-- schemasync.diff in each direction, then the outcome of apply, of the
-- re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- Helpers, in schema con_t:
--
--   con_t.setup(a, b)   (re)creates schemas con_a and con_b and runs the DDL
--                       script a in con_a and b in con_b, each with
--                       search_path set to its own schema.
--   con_t.fp(s)         an independent fingerprint of schema s, read straight
--                       from the catalogs: one line per table, column (by
--                       name: column order is not compared), constraint,
--                       index and sequence, with every property schemasync
--                       claims to compare.
--   con_t.rt(a, b)      the round trip of one case.  A<-B: on fresh schemas,
--                       the rows of schemasync.diff('con_a', 'con_b'), then
--                       one line with the outcome of CALL schemasync.apply
--                       (with allow_drops), the row count of the diff run
--                       again, and whether the two fingerprints now agree.
--                       B<-A: the same the other way round, on fresh
--                       schemas again (left out when reverse is false).
CREATE SCHEMA con_t;

CREATE FUNCTION con_t.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    DROP SCHEMA IF EXISTS con_a CASCADE;
    DROP SCHEMA IF EXISTS con_b CASCADE;
    CREATE SCHEMA con_a;
    CREATE SCHEMA con_b;
    PERFORM set_config('search_path', 'con_a', true);
    EXECUTE a;
    PERFORM set_config('search_path', 'con_b', true);
    EXECUTE b;
END
$f$;

CREATE FUNCTION con_t.fp(s text) RETURNS SETOF text
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

CREATE FUNCTION con_t.rt(a text, b text, reverse boolean DEFAULT true)
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
        tgt := CASE i WHEN 1 THEN 'con_a' ELSE 'con_b' END;
        ref := CASE i WHEN 1 THEN 'con_b' ELSE 'con_a' END;
        PERFORM con_t.setup(a, b);
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
                (SELECT '-' || f FROM con_t.fp(tgt) f EXCEPT SELECT '-' || f FROM con_t.fp(ref) f)
                UNION ALL
                (SELECT '+' || f FROM con_t.fp(ref) f EXCEPT SELECT '+' || f FROM con_t.fp(tgt) f)) q(x);
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

-- objects of another schema, used by both sides
CREATE SCHEMA con_ext;
CREATE FUNCTION con_ext.is_even(i int) RETURNS boolean
LANGUAGE sql IMMUTABLE AS 'SELECT i % 2 = 0';
CREATE TABLE con_ext.parent (id int PRIMARY KEY);

-- PRIMARY KEY: added (with the column's NOT NULL), dropped (and the column
-- nullable again, after the key is gone)
SELECT * FROM con_t.rt(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int PRIMARY KEY)$$);

-- PRIMARY KEY options: INCLUDE, DEFERRABLE INITIALLY DEFERRED
SELECT * FROM con_t.rt(
$$CREATE TABLE t (id int NOT NULL, v text, CONSTRAINT t_pkey PRIMARY KEY (id))$$,
$$CREATE TABLE t (id int NOT NULL, v text, CONSTRAINT t_pkey PRIMARY KEY (id) INCLUDE (v) DEFERRABLE INITIALLY DEFERRED)$$);

-- UNIQUE: added, dropped, and its options: NULLS NOT DISTINCT, DEFERRABLE,
-- INCLUDE
SELECT * FROM con_t.rt(
$$CREATE TABLE t (a int, b int, c int, d int,
  CONSTRAINT t_b_key UNIQUE (b),
  CONSTRAINT t_c_key UNIQUE (c),
  CONSTRAINT t_d_key UNIQUE (d) INCLUDE (a))$$,
$$CREATE TABLE t (a int, b int, c int, d int,
  CONSTRAINT t_a_key UNIQUE (a),
  CONSTRAINT t_b_key UNIQUE NULLS NOT DISTINCT (b),
  CONSTRAINT t_c_key UNIQUE (c) DEFERRABLE,
  CONSTRAINT t_d_key UNIQUE (d) INCLUDE (a, b))$$);

-- storage parameters of the index of a PRIMARY KEY or UNIQUE constraint
-- (WITH (fillfactor = 70)): pg_get_constraintdef() leaves them out for these
-- two constraint types, so schemasync puts them back; a new table gets its
-- key with them.  (EXCLUDE keeps them.)
SELECT * FROM con_t.rt(
$$CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE)$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE WITH (fillfactor = 70))$$);
SELECT * FROM con_t.rt(
$$$$,
$$CREATE TABLE t (a int CONSTRAINT t_pkey PRIMARY KEY WITH (fillfactor = 70))$$);

-- CHECK: added, dropped, changed, NO INHERIT
SELECT * FROM con_t.rt(
$$CREATE TABLE t (a int, b int, c int,
  CONSTRAINT t_a_check CHECK (a > 0),
  CONSTRAINT t_b_check CHECK (b > 0))$$,
$$CREATE TABLE t (a int, b int, c int,
  CONSTRAINT t_a_check CHECK (a > 1),
  CONSTRAINT t_b_check CHECK (b > 0) NO INHERIT,
  CONSTRAINT t_c_check CHECK (c IS NULL OR c < a))$$);

-- CHECK NOT VALID: validated in place; back to NOT VALID only by adding it
-- again
SELECT * FROM con_t.rt(
$$CREATE TABLE t (a int); INSERT INTO t VALUES (1);
  ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID$$,
$$CREATE TABLE t (a int); INSERT INTO t VALUES (1);
  ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)$$);

-- CHECK calling a function of another schema: stays qualified
SELECT * FROM con_t.rt(
$$CREATE TABLE t (a int)$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (con_ext.is_even(a)))$$);

-- the convergence trap: IN (...) on a varchar column.  PostgreSQL stores
-- the re-parse of the reference's text in another form (the casts move into
-- the array), so the stored texts differ ("catalogs DIFFER" in A<-B is
-- expected here); schemasync compares normal forms, so the re-diff is empty.
SELECT * FROM con_t.rt(
$$CREATE TABLE t (status varchar(10))$$,
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$);

-- the same constraint written in both forms: no difference either way
SELECT con_t.setup(
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$,
$$CREATE TABLE t (status varchar(10));
  ALTER TABLE t ADD CONSTRAINT t_status_check CHECK (status::text = ANY (ARRAY['a'::varchar, 'b'::varchar]::text[]))$$);
SELECT count(*) FROM schemasync.diff('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_b', 'con_a');

-- apply, then diff twice and apply again: nothing more to do
SELECT con_t.setup($$CREATE TABLE t (status varchar(10))$$,
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$);
CALL schemasync.apply('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_b', 'con_a');
CALL schemasync.apply('con_a', 'con_b');

-- the column under such a CHECK changes type: the CHECK is dropped before
-- and added after, in the form of the new type (B<-A ends with the other
-- stored form of the IN list, as above)
SELECT * FROM con_t.rt(
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$,
$$CREATE TABLE t (status text CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$);

-- FOREIGN KEY: added, dropped; ON DELETE / ON UPDATE actions, MATCH FULL,
-- DEFERRABLE INITIALLY DEFERRED
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int PRIMARY KEY, k int, UNIQUE (id, k));
  CREATE TABLE c (id int, pid int, pk int)$$,
$$CREATE TABLE p (id int PRIMARY KEY, k int, UNIQUE (id, k));
  CREATE TABLE c (id int, pid int, pk int,
    CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT c_pid_pk_fkey FOREIGN KEY (pid, pk) REFERENCES p (id, k) MATCH FULL DEFERRABLE INITIALLY DEFERRED)$$);

-- FOREIGN KEY options change: ON DELETE SET NULL (column list), SET DEFAULT,
-- RESTRICT, DEFERRABLE
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int, k int, PRIMARY KEY (id, k));
  CREATE TABLE c (pid int, pk int DEFAULT 0,
    CONSTRAINT c_fkey FOREIGN KEY (pid, pk) REFERENCES p (id, k),
    CONSTRAINT c_fkey2 FOREIGN KEY (pid, pk) REFERENCES p (id, k) ON UPDATE RESTRICT)$$,
$$CREATE TABLE p (id int, k int, PRIMARY KEY (id, k));
  CREATE TABLE c (pid int, pk int DEFAULT 0,
    CONSTRAINT c_fkey FOREIGN KEY (pid, pk) REFERENCES p (id, k) ON DELETE SET NULL (pk) DEFERRABLE,
    CONSTRAINT c_fkey2 FOREIGN KEY (pid, pk) REFERENCES p (id, k) ON UPDATE SET DEFAULT)$$);

-- FOREIGN KEY NOT VALID: validated in place
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);
  ALTER TABLE c ADD CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p NOT VALID$$,
$$CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);
  ALTER TABLE c ADD CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p$$);

-- a FOREIGN KEY to a table of another schema: stays qualified
SELECT * FROM con_t.rt(
$$CREATE TABLE c (pid int)$$,
$$CREATE TABLE c (pid int REFERENCES con_ext.parent)$$);

-- a FOREIGN KEY to a table created in the same diff: after the table and
-- its key
SELECT * FROM con_t.rt(
$$CREATE TABLE c (id int, pid int)$$,
$$CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (id int, pid int REFERENCES p)$$);

-- a FOREIGN KEY to a UNIQUE constraint that is replaced: dropped before,
-- added after
SELECT * FROM con_t.rt(
$$CREATE TABLE p (code text, CONSTRAINT p_code_key UNIQUE (code));
  CREATE TABLE c (code text REFERENCES p (code))$$,
$$CREATE TABLE p (code text, CONSTRAINT p_code_key UNIQUE NULLS NOT DISTINCT (code));
  CREATE TABLE c (code text REFERENCES p (code))$$);

-- a UNIQUE constraint becomes a PRIMARY KEY of the same name under a
-- FOREIGN KEY
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int NOT NULL CONSTRAINT p_key UNIQUE); CREATE TABLE c (pid int REFERENCES p (id))$$,
$$CREATE TABLE p (id int CONSTRAINT p_key PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p (id))$$);

-- a column type change under a FOREIGN KEY, on both ends
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (pid int REFERENCES p);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)$$,
$$CREATE TABLE p (id bigint PRIMARY KEY);
  CREATE TABLE c (pid bigint REFERENCES p);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)$$);

-- only the referenced column changes type
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (pid bigint REFERENCES p)$$,
$$CREATE TABLE p (id bigint PRIMARY KEY);
  CREATE TABLE c (pid bigint REFERENCES p)$$);

-- the PRIMARY KEY moves to other columns while a FOREIGN KEY references it
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int, region int, CONSTRAINT p_pkey PRIMARY KEY (id));
  CREATE TABLE c (pid int, region int, CONSTRAINT c_fkey FOREIGN KEY (pid) REFERENCES p (id))$$,
$$CREATE TABLE p (id int, region int, CONSTRAINT p_pkey PRIMARY KEY (id, region));
  CREATE TABLE c (pid int, region int, CONSTRAINT c_fkey FOREIGN KEY (pid, region) REFERENCES p (id, region))$$);

-- the PRIMARY KEY moves to another column, and the FOREIGN KEY (same text)
-- now relies on a UNIQUE constraint on the old key column
-- In B<-A, p_id_key (which c_pid_fkey depends on) is dropped for good while
-- the text of c_pid_fkey does not change: c_pid_fkey is dropped first and
-- added again once p_pkey (id) exists.
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int CONSTRAINT p_pkey PRIMARY KEY, code text NOT NULL CONSTRAINT p_code_key UNIQUE);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$,
$$CREATE TABLE p (id int NOT NULL CONSTRAINT p_id_key UNIQUE, code text CONSTRAINT p_pkey PRIMARY KEY);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$);

-- the same with a plain UNIQUE index instead of the UNIQUE constraint
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int CONSTRAINT p_pkey PRIMARY KEY, code text NOT NULL);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$,
$$CREATE TABLE p (id int NOT NULL, code text CONSTRAINT p_pkey PRIMARY KEY);
  CREATE UNIQUE INDEX p_id_idx ON p (id);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$);

-- dropping a key column together with its constraints and the FOREIGN KEY
-- of another table that references it
SELECT * FROM con_t.rt(
$$CREATE TABLE p (id int, code int CONSTRAINT p_code_key UNIQUE CHECK (code > 0));
  CREATE TABLE c (x int, pcode int CONSTRAINT c_pcode_fkey REFERENCES p (code))$$,
$$CREATE TABLE p (id int); CREATE TABLE c (x int, pcode int)$$);

-- EXCLUDE constraints (built-in gist operator classes), with a predicate,
-- DEFERRABLE and storage parameters
SELECT * FROM con_t.rt(
$$CREATE TABLE t (r int4range, b box)$$,
$$CREATE TABLE t (r int4range, b box,
  CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&) WITH (fillfactor = 70),
  CONSTRAINT t_b_excl EXCLUDE USING gist (b WITH &&) WHERE (NOT isempty(r)) DEFERRABLE)$$);

-- constraint comments: added, removed
SELECT * FROM con_t.rt(
$$CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (a > 0), b int CONSTRAINT t_b_key UNIQUE);
  COMMENT ON CONSTRAINT t_a_check ON t IS 'positive'$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (a > 0), b int CONSTRAINT t_b_key UNIQUE);
  COMMENT ON CONSTRAINT t_b_key ON t IS 'b is unique'$$);

-- a new constraint with its comment, on quoted names
SELECT * FROM con_t.rt(
$$CREATE TABLE "T t" ("A" int)$$,
$$CREATE TABLE "T t" ("A" int CONSTRAINT "A ""pos""" CHECK ("A" > 0));
  COMMENT ON CONSTRAINT "A ""pos""" ON "T t" IS 'it''s positive'$$);

SET client_min_messages = warning;
DROP SCHEMA con_a, con_b, con_t, con_ext CASCADE;
RESET client_min_messages;
