--
-- ordering: the order of the statements is deterministic, follows the
-- dependencies (depends_on says which), drops free names before creates
-- take them, and foreign keys between new tables (chains, cycles,
-- self-references) come after every table and key they need.
--
-- Cases that only check the rows and the apply use ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of schemasync.diff in each direction, then the
-- outcome of apply, of the re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- The round trip of each case: test/regress/harness.sql, in schemas
-- ord_a and ord_b.
\set prefix ord
\i test/regress/harness.sql

-- A schema with something of every kind to drop, alter and create, used
-- for the determinism and depends_on checks.  B is written twice, in two
-- different statement orders (so with different OIDs and catalog order).
CREATE SCHEMA ord_t;
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
SELECT ss_test.setup((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
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
SELECT ss_test.setup((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                   (SELECT ddl FROM ord_t.cases WHERE name = 'b1'));
SELECT count(*) AS differences FROM (
  (SELECT * FROM run1 EXCEPT ALL SELECT * FROM schemasync.diff('ord_a', 'ord_b'))
  UNION ALL
  (SELECT * FROM schemasync.diff('ord_a', 'ord_b') EXCEPT ALL SELECT * FROM run1)) x;

-- the reference built in another statement order: the same rows
SELECT ss_test.setup((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                   (SELECT ddl FROM ord_t.cases WHERE name = 'b2'));
SELECT count(*) AS differences FROM (
  (SELECT * FROM run1 EXCEPT ALL SELECT * FROM schemasync.diff('ord_a', 'ord_b'))
  UNION ALL
  (SELECT * FROM schemasync.diff('ord_a', 'ord_b') EXCEPT ALL SELECT * FROM run1)) x;

-- and it applies, in both directions
SELECT * FROM ss_test.rt((SELECT ddl FROM ord_t.cases WHERE name = 'a'),
                       (SELECT ddl FROM ord_t.cases WHERE name = 'b2'));

-- a chain of foreign keys between tables created in the same diff: every
-- table, then each key, each foreign key after the key it references;
-- dropped from the end of the chain
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE d (id int PRIMARY KEY, c_id int);
  CREATE TABLE c (id int PRIMARY KEY, b_id int);
  CREATE TABLE b (id int PRIMARY KEY, a_id int);
  CREATE TABLE a (id int PRIMARY KEY);
  ALTER TABLE b ADD CONSTRAINT b_a_fkey FOREIGN KEY (a_id) REFERENCES a;
  ALTER TABLE c ADD CONSTRAINT c_b_fkey FOREIGN KEY (b_id) REFERENCES b;
  ALTER TABLE d ADD CONSTRAINT d_c_fkey FOREIGN KEY (c_id) REFERENCES c$$);

-- a new table referenced by an existing one and referencing another new one
SELECT * FROM ss_test.rt(
$$CREATE TABLE orders (id int PRIMARY KEY, customer_id int)$$,
$$CREATE TABLE regions (id int PRIMARY KEY);
  CREATE TABLE customers (id int PRIMARY KEY, region_id int REFERENCES regions);
  CREATE TABLE orders (id int PRIMARY KEY, customer_id int REFERENCES customers)$$);

-- a self-referencing foreign key on a new table
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE node (id int PRIMARY KEY, parent int REFERENCES node)$$);

-- a cycle of foreign keys between two new tables, and a self-reference:
-- the tables first, the foreign keys last
-- B<-A: x and y reference each other, so the foreign keys between them are
-- dropped first; the self-reference goes with its table.
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE x (id int PRIMARY KEY, y_id int, parent int);
  CREATE TABLE y (id int PRIMARY KEY, x_id int);
  ALTER TABLE x ADD CONSTRAINT x_y_fkey FOREIGN KEY (y_id) REFERENCES y;
  ALTER TABLE y ADD CONSTRAINT y_x_fkey FOREIGN KEY (x_id) REFERENCES x;
  ALTER TABLE x ADD CONSTRAINT x_parent_fkey FOREIGN KEY (parent) REFERENCES x$$);

-- a cycle of foreign keys added between existing tables, and removed again
SELECT * FROM ss_test.rt(
$$CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int)$$,
$$CREATE TABLE x (id int PRIMARY KEY, y_id int); CREATE TABLE y (id int PRIMARY KEY, x_id int);
  ALTER TABLE x ADD CONSTRAINT x_y_fkey FOREIGN KEY (y_id) REFERENCES y;
  ALTER TABLE y ADD CONSTRAINT y_x_fkey FOREIGN KEY (x_id) REFERENCES x$$);

-- name reuse: a table gives its name to an index
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE TABLE thing (a int)$$,
$$CREATE TABLE t (a int); CREATE INDEX thing ON t (a)$$);

-- name reuse: an index gives its name to a table that gets an index
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a)$$,
$$CREATE TABLE t (a int, b int); CREATE TABLE t_a_idx (x int); CREATE INDEX t_b_idx ON t_a_idx (x)$$);

-- name reuse: a unique index gives its name to a UNIQUE constraint
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_key ON t (a)$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE)$$);

-- name reuse: a primary key gives its name to an index of another table
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int CONSTRAINT t_pkey PRIMARY KEY); CREATE TABLE u (b int)$$,
$$CREATE TABLE t (a int NOT NULL); CREATE TABLE u (b int); CREATE INDEX t_pkey ON u (b)$$);

-- name reuse: a dropped table's primary key name is taken by a new table's
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int CONSTRAINT t_pkey PRIMARY KEY)$$,
$$CREATE TABLE t2 (a int CONSTRAINT t_pkey PRIMARY KEY)$$);

-- name reuse: a sequence gives its name to a table
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE counter$$,
$$CREATE TABLE counter (n bigint)$$);

-- name reuse: a standalone sequence gives its name to an identity
-- column's sequence, and back (DROP IDENTITY frees the name)
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE t_id_seq; CREATE TABLE t (id int NOT NULL)$$,
$$CREATE TABLE t (id int GENERATED ALWAYS AS IDENTITY)$$);

SET client_min_messages = warning;
DROP SCHEMA ord_a, ord_b, ord_t, ss_test CASCADE;
RESET client_min_messages;
