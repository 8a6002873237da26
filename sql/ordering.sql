--
-- ordering: the order of the statements is deterministic, follows the
-- dependencies (depends_on says which), drops free names before creates
-- take them, and foreign keys between new tables (chains, cycles,
-- self-references) come after every table and key they need.
--
-- Cases that only check the rows and the apply use ord_t.rt(A, B) (see
-- below): the exact rows of schemasync.diff in each direction, then the
-- outcome of apply, of the re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- Helpers, in schema ord_t:
--
--   ord_t.setup(a, b)   (re)creates schemas ord_a and ord_b and runs the DDL
--                       script a in ord_a and b in ord_b, each with
--                       search_path set to its own schema.
--   ord_t.fp(s)         an independent fingerprint of schema s, read straight
--                       from the catalogs: one line per table, column (by
--                       name: column order is not compared), constraint,
--                       index and sequence, with every property schemasync
--                       claims to compare.
--   ord_t.rt(a, b)      the round trip of one case.  A<-B: on fresh schemas,
--                       the rows of schemasync.diff('ord_a', 'ord_b'), then
--                       one line with the outcome of CALL schemasync.apply
--                       (with allow_drops), the row count of the diff run
--                       again, and whether the two fingerprints now agree.
--                       B<-A: the same the other way round, on fresh
--                       schemas again (left out when reverse is false).
CREATE SCHEMA ord_t;

CREATE FUNCTION ord_t.setup(a text, b text) RETURNS void
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    DROP SCHEMA IF EXISTS ord_a CASCADE;
    DROP SCHEMA IF EXISTS ord_b CASCADE;
    CREATE SCHEMA ord_a;
    CREATE SCHEMA ord_b;
    PERFORM set_config('search_path', 'ord_a', true);
    EXECUTE a;
    PERFORM set_config('search_path', 'ord_b', true);
    EXECUTE b;
END
$f$;

CREATE FUNCTION ord_t.fp(s text) RETURNS SETOF text
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

CREATE FUNCTION ord_t.rt(a text, b text, reverse boolean DEFAULT true)
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
        tgt := CASE i WHEN 1 THEN 'ord_a' ELSE 'ord_b' END;
        ref := CASE i WHEN 1 THEN 'ord_b' ELSE 'ord_a' END;
        PERFORM ord_t.setup(a, b);
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
                (SELECT '-' || f FROM ord_t.fp(tgt) f EXCEPT SELECT '-' || f FROM ord_t.fp(ref) f)
                UNION ALL
                (SELECT '+' || f FROM ord_t.fp(ref) f EXCEPT SELECT '+' || f FROM ord_t.fp(tgt) f)) q(x);
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

-- A schema with something of every kind to drop, alter and create, used
-- for the determinism and depends_on checks.  B is written twice, in two
-- different statement orders (so with different OIDs and catalog order).
CREATE TABLE ord_t.cases (name text PRIMARY KEY, ddl text);
INSERT INTO ord_t.cases VALUES
('a', $$CREATE SEQUENCE legacy_seq;
  CREATE TABLE customers (id int PRIMARY KEY, name text, legacy int DEFAULT nextval('legacy_seq'));
  CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers, total numeric(10,2));
  CREATE INDEX orders_total_idx ON orders (total);
  CREATE TABLE old_log (id int)$$),
('b1', $$CREATE TABLE regions (id int PRIMARY KEY, name text NOT NULL);
  CREATE TABLE customers (id bigint PRIMARY KEY, name text NOT NULL, region_id int REFERENCES regions);
  CREATE SEQUENCE order_no AS integer;
  CREATE TABLE orders (id bigint PRIMARY KEY, customer_id bigint REFERENCES customers,
    total numeric(12,2), no int DEFAULT nextval('order_no'));
  ALTER SEQUENCE order_no OWNED BY orders.no;
  CREATE INDEX orders_total_idx ON orders (total) WHERE total > 0;
  CREATE TABLE order_lines (order_id bigint REFERENCES orders, line int, PRIMARY KEY (order_id, line));
  COMMENT ON TABLE orders IS 'orders'$$),
('b2', $$CREATE TABLE order_lines (order_id bigint, line int);
  CREATE SEQUENCE order_no AS integer;
  CREATE TABLE orders (id bigint, customer_id bigint, total numeric(12,2), no int DEFAULT nextval('order_no'));
  CREATE TABLE customers (id bigint, name text NOT NULL, region_id int);
  CREATE TABLE regions (id int, name text NOT NULL);
  COMMENT ON TABLE orders IS 'orders';
  ALTER SEQUENCE order_no OWNED BY orders.no;
  ALTER TABLE regions ADD PRIMARY KEY (id);
  ALTER TABLE customers ADD PRIMARY KEY (id);
  ALTER TABLE orders ADD PRIMARY KEY (id);
  ALTER TABLE order_lines ADD PRIMARY KEY (order_id, line);
  ALTER TABLE order_lines ADD FOREIGN KEY (order_id) REFERENCES orders;
  ALTER TABLE orders ADD FOREIGN KEY (customer_id) REFERENCES customers;
  ALTER TABLE customers ADD FOREIGN KEY (region_id) REFERENCES regions;
  CREATE INDEX orders_total_idx ON orders (total) WHERE total > 0$$);

-- the whole diff, with depends_on
SELECT ord_t.setup((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                   (SELECT ddl FROM ord_t.cases WHERE name = 'b1'));
CREATE TEMP TABLE run1 AS SELECT * FROM schemasync.diff('ord_a', 'ord_b');
SELECT ordinal, kind, identity, action, ddl, destructive, depends_on
FROM run1 ORDER BY ordinal;

-- depends_on only names earlier rows; about half the rows must follow
-- another one
SELECT bool_and(ordinal > ALL (depends_on)) AS deps_come_first,
       count(*) FILTER (WHERE cardinality(depends_on) > 0) AS rows_with_deps
FROM run1;

-- what some rows wait for, by identity
SELECT r.ordinal, r.action, r.identity,
       array_agg(d.action || ' ' || d.identity ORDER BY d.ordinal) AS after
FROM run1 r JOIN run1 d ON d.ordinal = ANY (r.depends_on)
WHERE r.identity IN ('ord_a.orders.orders_customer_id_fkey', 'ord_a.order_no',
                     'ord_a.legacy_seq', 'ord_a.customers.customers_region_id_fkey',
                     'ord_a.orders_total_idx')
GROUP BY r.ordinal, r.action, r.identity
ORDER BY r.ordinal;

-- the same diff again: the same rows
SELECT count(*) AS differences FROM (
  (SELECT * FROM run1 EXCEPT ALL SELECT * FROM schemasync.diff('ord_a', 'ord_b'))
  UNION ALL
  (SELECT * FROM schemasync.diff('ord_a', 'ord_b') EXCEPT ALL SELECT * FROM run1)) x;

-- fresh copies of both schemas (new OIDs): the same rows
SELECT ord_t.setup((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                   (SELECT ddl FROM ord_t.cases WHERE name = 'b1'));
SELECT count(*) AS differences FROM (
  (SELECT * FROM run1 EXCEPT ALL SELECT * FROM schemasync.diff('ord_a', 'ord_b'))
  UNION ALL
  (SELECT * FROM schemasync.diff('ord_a', 'ord_b') EXCEPT ALL SELECT * FROM run1)) x;

-- the reference built in another statement order: the same rows
SELECT ord_t.setup((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                   (SELECT ddl FROM ord_t.cases WHERE name = 'b2'));
SELECT count(*) AS differences FROM (
  (SELECT * FROM run1 EXCEPT ALL SELECT * FROM schemasync.diff('ord_a', 'ord_b'))
  UNION ALL
  (SELECT * FROM schemasync.diff('ord_a', 'ord_b') EXCEPT ALL SELECT * FROM run1)) x;

-- and it applies, in both directions
SELECT * FROM ord_t.rt((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                       (SELECT ddl FROM ord_t.cases WHERE name = 'b2'));

-- a chain of foreign keys between tables created in the same diff: every
-- table, then each key, each foreign key after the key it references;
-- dropped from the end of the chain
SELECT * FROM ord_t.rt(
$$$$,
$$CREATE TABLE d (id int PRIMARY KEY, c_id int);
  CREATE TABLE c (id int PRIMARY KEY, b_id int);
  CREATE TABLE b (id int PRIMARY KEY, a_id int);
  CREATE TABLE a (id int PRIMARY KEY);
  ALTER TABLE b ADD CONSTRAINT b_a_fkey FOREIGN KEY (a_id) REFERENCES a;
  ALTER TABLE c ADD CONSTRAINT c_b_fkey FOREIGN KEY (b_id) REFERENCES b;
  ALTER TABLE d ADD CONSTRAINT d_c_fkey FOREIGN KEY (c_id) REFERENCES c$$);

-- a new table referenced by an existing one and referencing another new one
SELECT * FROM ord_t.rt(
$$CREATE TABLE orders (id int PRIMARY KEY, customer_id int)$$,
$$CREATE TABLE regions (id int PRIMARY KEY);
  CREATE TABLE customers (id int PRIMARY KEY, region_id int REFERENCES regions);
  CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers)$$);

-- a self-referencing foreign key on a new table
SELECT * FROM ord_t.rt(
$$$$,
$$CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node)$$);

-- a cycle of foreign keys between two new tables, and a self-reference:
-- the tables first, the foreign keys last
-- B<-A: x and y reference each other, so the foreign keys between them are
-- dropped first; the self-reference goes with its table.
SELECT * FROM ord_t.rt(
$$$$,
$$CREATE TABLE x (id int PRIMARY KEY, y_id int, parent int);
  CREATE TABLE y (id int PRIMARY KEY, x_id int);
  ALTER TABLE x ADD CONSTRAINT x_y_fkey FOREIGN KEY (y_id) REFERENCES y;
  ALTER TABLE y ADD CONSTRAINT y_x_fkey FOREIGN KEY (x_id) REFERENCES x;
  ALTER TABLE x ADD CONSTRAINT x_parent_fkey FOREIGN KEY (parent) REFERENCES x$$);

-- a cycle of foreign keys added between existing tables, and removed again
SELECT * FROM ord_t.rt(
$$CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int)$$,
$$CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int);
  ALTER TABLE x ADD CONSTRAINT x_y_fkey FOREIGN KEY (y_id) REFERENCES y;
  ALTER TABLE y ADD CONSTRAINT y_x_fkey FOREIGN KEY (x_id) REFERENCES x$$);

-- name reuse: a table gives its name to an index
SELECT * FROM ord_t.rt(
$$CREATE TABLE t (a int); CREATE TABLE thing (a int)$$,
$$CREATE TABLE t (a int); CREATE INDEX thing ON t (a)$$);

-- name reuse: an index gives its name to a table that gets an index
SELECT * FROM ord_t.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a)$$,
$$CREATE TABLE t (a int, b int); CREATE TABLE t_a_idx (x int); CREATE INDEX t_b_idx ON t_a_idx (x)$$);

-- name reuse: a unique index gives its name to a UNIQUE constraint
SELECT * FROM ord_t.rt(
$$CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_key ON t (a)$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE)$$);

-- name reuse: a primary key gives its name to an index of another table
SELECT * FROM ord_t.rt(
$$CREATE TABLE t (a int CONSTRAINT t_pkey PRIMARY KEY); CREATE TABLE u (b int)$$,
$$CREATE TABLE t (a int NOT NULL); CREATE TABLE u (b int); CREATE INDEX t_pkey ON u (b)$$);

-- name reuse: a dropped table's primary key name is taken by a new table's
SELECT * FROM ord_t.rt(
$$CREATE TABLE t (a int CONSTRAINT t_pkey PRIMARY KEY)$$,
$$CREATE TABLE t2 (a int CONSTRAINT t_pkey PRIMARY KEY)$$);

-- name reuse: a sequence gives its name to a table
SELECT * FROM ord_t.rt(
$$CREATE SEQUENCE counter$$,
$$CREATE TABLE counter (n bigint)$$);

-- name reuse: a standalone sequence gives its name to an identity
-- column's sequence, and back (DROP IDENTITY frees the name)
SELECT * FROM ord_t.rt(
$$CREATE SEQUENCE t_id_seq; CREATE TABLE t (id int NOT NULL)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$);

SET client_min_messages = warning;
DROP SCHEMA ord_a, ord_b, ord_t CASCADE;
RESET client_min_messages;
