--
-- constraints: PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE, with their
-- options, validation, comments, and the changes around them that force a
-- constraint to be re-created.  Both directions of every case.
--
-- Each case is one call of ss_test.rt(A, B) (see
-- test/regress/harness.sql): the exact rows of
-- schemasync.diff in each direction, then the outcome of apply, of the
-- re-diff and of an independent catalog comparison.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

-- The round trip of each case: test/regress/harness.sql, in schemas
-- con_a and con_b.
\set prefix con
\i test/regress/harness.sql

-- objects of another schema, used by both sides
CREATE SCHEMA con_ext;
CREATE FUNCTION con_ext.is_even(i int) RETURNS boolean
LANGUAGE sql IMMUTABLE AS 'SELECT i % 2 = 0';
CREATE TABLE con_ext.parent (id int PRIMARY KEY);

-- PRIMARY KEY: added (with the column's NOT NULL), dropped (and the column
-- nullable again, after the key is gone)
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int)$$,
$$CREATE TABLE t (id int PRIMARY KEY)$$);

-- PRIMARY KEY options: INCLUDE, DEFERRABLE INITIALLY DEFERRED
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int NOT NULL, v text, CONSTRAINT t_pkey PRIMARY KEY (id))$$,
$$CREATE TABLE t (id int NOT NULL, v text, CONSTRAINT t_pkey PRIMARY KEY (id) INCLUDE (v) DEFERRABLE INITIALLY DEFERRED)$$);

-- UNIQUE: added, dropped, and its options: NULLS NOT DISTINCT, DEFERRABLE,
-- INCLUDE
SELECT * FROM ss_test.rt(
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
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE)$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_key UNIQUE WITH (fillfactor = 70))$$);
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE t (a int CONSTRAINT t_pkey PRIMARY KEY WITH (fillfactor = 70))$$);

-- CHECK: added, dropped, changed, NO INHERIT
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int, c int,
  CONSTRAINT t_a_check CHECK (a > 0),
  CONSTRAINT t_b_check CHECK (b > 0))$$,
$$CREATE TABLE t (a int, b int, c int,
  CONSTRAINT t_a_check CHECK (a > 1),
  CONSTRAINT t_b_check CHECK (b > 0) NO INHERIT,
  CONSTRAINT t_c_check CHECK (c IS NULL OR c < a))$$);

-- CHECK NOT VALID: validated in place; back to NOT VALID only by adding it
-- again
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); INSERT INTO t VALUES (1);
  ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0) NOT VALID$$,
$$CREATE TABLE t (a int); INSERT INTO t VALUES (1);
  ALTER TABLE t ADD CONSTRAINT t_a_check CHECK (a > 0)$$);

-- CHECK calling a function of another schema: stays qualified
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int)$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (con_ext.is_even(a)))$$);

-- the convergence trap: IN (...) on a varchar column.  PostgreSQL stores
-- the re-parse of the reference's text in another form (the casts move into
-- the array), so the stored texts differ ("catalogs DIFFER" in A<-B is
-- expected here); schemasync compares normal forms, so the re-diff is empty.
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (status varchar(10))$$,
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$);

-- the same constraint written in both forms: no difference either way
SELECT ss_test.setup(
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$,
$$CREATE TABLE t (status varchar(10));
  ALTER TABLE t ADD CONSTRAINT t_status_check CHECK (status::text = ANY (ARRAY['a'::varchar, 'b'::varchar]::text[]))$$);
SELECT count(*) FROM schemasync.diff('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_b', 'con_a');

-- apply, then diff twice and apply again: nothing more to do
SELECT ss_test.setup($$CREATE TABLE t (status varchar(10))$$,
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$);
CALL schemasync.apply('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_a', 'con_b');
SELECT count(*) FROM schemasync.diff('con_b', 'con_a');
CALL schemasync.apply('con_a', 'con_b');

-- the column under such a CHECK changes type: the CHECK is dropped before
-- and added after, in the form of the new type (B<-A ends with the other
-- stored form of the IN list, as above)
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (status varchar(10) CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$,
$$CREATE TABLE t (status text CONSTRAINT t_status_check CHECK (status IN ('a', 'b')))$$);

-- FOREIGN KEY: added, dropped; ON DELETE / ON UPDATE actions, MATCH FULL,
-- DEFERRABLE INITIALLY DEFERRED
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int PRIMARY KEY, k int, UNIQUE (id, k));
  CREATE TABLE c (id int, pid int, pk int)$$,
$$CREATE TABLE p (id int PRIMARY KEY, k int, UNIQUE (id, k));
  CREATE TABLE c (id int, pid int, pk int,
    CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p (id) ON DELETE CASCADE ON UPDATE SET NULL,
    CONSTRAINT c_pid_pk_fkey FOREIGN KEY (pid, pk) REFERENCES p (id, k) MATCH FULL DEFERRABLE INITIALLY DEFERRED)$$);

-- FOREIGN KEY options change: ON DELETE SET NULL (column list), SET DEFAULT,
-- RESTRICT, DEFERRABLE
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int, k int, PRIMARY KEY (id, k));
  CREATE TABLE c (pid int, pk int DEFAULT 0,
    CONSTRAINT c_fkey FOREIGN KEY (pid, pk) REFERENCES p (id, k),
    CONSTRAINT c_fkey2 FOREIGN KEY (pid, pk) REFERENCES p (id, k) ON UPDATE RESTRICT)$$,
$$CREATE TABLE p (id int, k int, PRIMARY KEY (id, k));
  CREATE TABLE c (pid int, pk int DEFAULT 0,
    CONSTRAINT c_fkey FOREIGN KEY (pid, pk) REFERENCES p (id, k) ON DELETE SET NULL (pk) DEFERRABLE,
    CONSTRAINT c_fkey2 FOREIGN KEY (pid, pk) REFERENCES p (id, k) ON UPDATE SET DEFAULT)$$);

-- FOREIGN KEY NOT VALID: validated in place
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);
  ALTER TABLE c ADD CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p NOT VALID$$,
$$CREATE TABLE p (id int PRIMARY KEY); CREATE TABLE c (pid int);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1);
  ALTER TABLE c ADD CONSTRAINT c_pid_fkey FOREIGN KEY (pid) REFERENCES p$$);

-- a FOREIGN KEY to a table of another schema: stays qualified
SELECT * FROM ss_test.rt(
$$CREATE TABLE c (pid int)$$,
$$CREATE TABLE c (pid int REFERENCES con_ext.parent)$$);

-- a FOREIGN KEY to a table created in the same diff: after the table and
-- its key
SELECT * FROM ss_test.rt(
$$CREATE TABLE c (id int, pid int)$$,
$$CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (id int, pid int REFERENCES p)$$);

-- a FOREIGN KEY to a UNIQUE constraint that is replaced: dropped before,
-- added after
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (code text, CONSTRAINT p_code_key UNIQUE (code));
  CREATE TABLE c (code text REFERENCES p (code))$$,
$$CREATE TABLE p (code text, CONSTRAINT p_code_key UNIQUE NULLS NOT DISTINCT (code));
  CREATE TABLE c (code text REFERENCES p (code))$$);

-- a UNIQUE constraint becomes a PRIMARY KEY of the same name under a
-- FOREIGN KEY
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int NOT NULL CONSTRAINT p_key UNIQUE); CREATE TABLE c (pid int REFERENCES p (id))$$,
$$CREATE TABLE p (id int CONSTRAINT p_key PRIMARY KEY); CREATE TABLE c (pid int REFERENCES p (id))$$);

-- a column type change under a FOREIGN KEY, on both ends
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (pid int REFERENCES p);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)$$,
$$CREATE TABLE p (id bigint PRIMARY KEY);
  CREATE TABLE c (pid bigint REFERENCES p);
  INSERT INTO p VALUES (1); INSERT INTO c VALUES (1)$$);

-- only the referenced column changes type
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int PRIMARY KEY);
  CREATE TABLE c (pid bigint REFERENCES p)$$,
$$CREATE TABLE p (id bigint PRIMARY KEY);
  CREATE TABLE c (pid bigint REFERENCES p)$$);

-- the PRIMARY KEY moves to other columns while a FOREIGN KEY references it
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int, region int, CONSTRAINT p_pkey PRIMARY KEY (id));
  CREATE TABLE c (pid int, region int, CONSTRAINT c_fkey FOREIGN KEY (pid) REFERENCES p (id))$$,
$$CREATE TABLE p (id int, region int, CONSTRAINT p_pkey PRIMARY KEY (id, region));
  CREATE TABLE c (pid int, region int, CONSTRAINT c_fkey FOREIGN KEY (pid, region) REFERENCES p (id, region))$$);

-- the PRIMARY KEY moves to another column, and the FOREIGN KEY (same text)
-- now relies on a UNIQUE constraint on the old key column
-- In B<-A, p_id_key (which c_pid_fkey depends on) is dropped for good while
-- the text of c_pid_fkey does not change: c_pid_fkey is dropped first and
-- added again once p_pkey (id) exists.
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int CONSTRAINT p_pkey PRIMARY KEY, code text NOT NULL CONSTRAINT p_code_key UNIQUE);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$,
$$CREATE TABLE p (id int NOT NULL CONSTRAINT p_id_key UNIQUE, code text CONSTRAINT p_pkey PRIMARY KEY);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$);

-- the same with a plain UNIQUE index instead of the UNIQUE constraint
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int CONSTRAINT p_pkey PRIMARY KEY, code text NOT NULL);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$,
$$CREATE TABLE p (id int NOT NULL, code text CONSTRAINT p_pkey PRIMARY KEY);
  CREATE UNIQUE INDEX p_id_idx ON p (id);
  CREATE TABLE c (pid int CONSTRAINT c_pid_fkey REFERENCES p (id))$$);

-- dropping a key column together with its constraints and the FOREIGN KEY
-- of another table that references it
SELECT * FROM ss_test.rt(
$$CREATE TABLE p (id int, code int CONSTRAINT p_code_key UNIQUE CHECK (code > 0));
  CREATE TABLE c (x int, pcode int CONSTRAINT c_pcode_fkey REFERENCES p (code))$$,
$$CREATE TABLE p (id int); CREATE TABLE c (x int, pcode int)$$);

-- EXCLUDE constraints (built-in gist operator classes), with a predicate,
-- DEFERRABLE and storage parameters
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (r int4range, b box)$$,
$$CREATE TABLE t (r int4range, b box,
  CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&) WITH (fillfactor = 70),
  CONSTRAINT t_b_excl EXCLUDE USING gist (b WITH &&) WHERE (NOT isempty(r)) DEFERRABLE)$$);

-- constraint comments: added, removed
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (a > 0), b int CONSTRAINT t_b_key UNIQUE);
  COMMENT ON CONSTRAINT t_a_check ON t IS 'positive'$$,
$$CREATE TABLE t (a int CONSTRAINT t_a_check CHECK (a > 0), b int CONSTRAINT t_b_key UNIQUE);
  COMMENT ON CONSTRAINT t_b_key ON t IS 'b is unique'$$);

-- a new constraint with its comment, on quoted names
SELECT * FROM ss_test.rt(
$$CREATE TABLE "T t" ("A" int)$$,
$$CREATE TABLE "T t" ("A" int CONSTRAINT "A ""pos""" CHECK ("A" > 0));
  COMMENT ON CONSTRAINT "A ""pos""" ON "T t" IS 'it''s positive'$$);

-- Raw keys (docs/design.md, "Reading fast"): a schema-vs-schema diff compares
-- CHECK, PRIMARY KEY, UNIQUE and FOREIGN KEY constraints by keys built from
-- their catalog rows and deparses only those whose keys differ.  In each case
-- below, every constraint differs from its namesake on the other side in
-- one thing only that pg_get_constraintdef() prints: each must be
-- re-created (or validated), and the apply must converge.
CREATE FUNCTION ss_test.keys(a text, b text) RETURNS SETOF text
LANGUAGE plpgsql SET client_min_messages = warning SET search_path = pg_catalog
AS $f$
BEGIN
    PERFORM ss_test.setup(a, b);
    RETURN QUERY SELECT d.action || ' ' || d.identity || ': ' || d.ddl
        FROM schemasync.diff('con_a', 'con_b') d ORDER BY d.ordinal;
    CALL schemasync.apply('con_a', 'con_b', '{"allow_drops": true}');
    RETURN QUERY SELECT format('applied; re-diff: %s rows',
                               (SELECT count(*) FROM schemasync.diff('con_a', 'con_b')));
END
$f$;
CREATE TABLE con_ext.p (id int PRIMARY KEY);

-- PRIMARY KEY and UNIQUE: other columns, column order, constraint type,
-- INCLUDE (added, other column), NULLS NOT DISTINCT, WITH (fillfactor),
-- DEFERRABLE, INITIALLY DEFERRED
SELECT * FROM ss_test.keys(
$$CREATE TABLE t1 (a int, b int, CONSTRAINT k1 PRIMARY KEY (a));
  CREATE TABLE t2 (a int, b int, CONSTRAINT k2 PRIMARY KEY (a, b));
  CREATE TABLE t3 (a int NOT NULL, CONSTRAINT k3 UNIQUE (a));
  CREATE TABLE t4 (a int, b int, c int, CONSTRAINT k4 UNIQUE (a),
    CONSTRAINT k4b UNIQUE (b) INCLUDE (a));
  CREATE TABLE t5 (a int, CONSTRAINT k5 UNIQUE (a));
  CREATE TABLE t6 (a int, CONSTRAINT k6 UNIQUE (a) WITH (fillfactor = 70));
  CREATE TABLE t7 (a int, CONSTRAINT k7 PRIMARY KEY (a));
  CREATE TABLE t8 (a int, CONSTRAINT k8 UNIQUE (a));
  CREATE TABLE t9 (a int, CONSTRAINT k9 UNIQUE (a) DEFERRABLE)$$,
$$CREATE TABLE t1 (a int, b int, CONSTRAINT k1 PRIMARY KEY (b));
  CREATE TABLE t2 (a int, b int, CONSTRAINT k2 PRIMARY KEY (b, a));
  CREATE TABLE t3 (a int NOT NULL, CONSTRAINT k3 PRIMARY KEY (a));
  CREATE TABLE t4 (a int, b int, c int, CONSTRAINT k4 UNIQUE (a) INCLUDE (b),
    CONSTRAINT k4b UNIQUE (b) INCLUDE (c));
  CREATE TABLE t5 (a int, CONSTRAINT k5 UNIQUE NULLS NOT DISTINCT (a));
  CREATE TABLE t6 (a int, CONSTRAINT k6 UNIQUE (a) WITH (fillfactor = 80));
  CREATE TABLE t7 (a int, CONSTRAINT k7 PRIMARY KEY (a) WITH (fillfactor = 70));
  CREATE TABLE t8 (a int, CONSTRAINT k8 UNIQUE (a) DEFERRABLE);
  CREATE TABLE t9 (a int, CONSTRAINT k9 UNIQUE (a) DEFERRABLE INITIALLY DEFERRED)$$);

-- a key's column (or INCLUDE column) of the same number but another name
SELECT * FROM ss_test.keys(
$$CREATE TABLE t1 (a int, b int, CONSTRAINT k1 UNIQUE (a));
  CREATE TABLE t2 (a int, b int, c int, CONSTRAINT k2 UNIQUE (a) INCLUDE (b))$$,
$$CREATE TABLE t1 (b int, a int, CONSTRAINT k1 UNIQUE (b));
  CREATE TABLE t2 (a int, c int, b int, CONSTRAINT k2 UNIQUE (a) INCLUDE (c))$$);

-- FOREIGN KEY: another referenced column, another table, a table of
-- another schema of the same name, ON DELETE, ON UPDATE, MATCH FULL,
-- ON DELETE SET NULL (columns), DEFERRABLE, INITIALLY DEFERRED, NOT VALID
SELECT * FROM ss_test.keys(
$$CREATE TABLE p (id int UNIQUE, k int UNIQUE, UNIQUE (id, k));
  CREATE TABLE q (id int PRIMARY KEY);
  CREATE TABLE c (x int, y int,
    CONSTRAINT f1 FOREIGN KEY (x) REFERENCES p (id),
    CONSTRAINT f2 FOREIGN KEY (x) REFERENCES p (id),
    CONSTRAINT f3 FOREIGN KEY (x) REFERENCES q (id),
    CONSTRAINT f4 FOREIGN KEY (x) REFERENCES p (id),
    CONSTRAINT f5 FOREIGN KEY (x) REFERENCES p (id),
    CONSTRAINT f6 FOREIGN KEY (x, y) REFERENCES p (id, k),
    CONSTRAINT f7 FOREIGN KEY (x, y) REFERENCES p (id, k) ON DELETE SET NULL,
    CONSTRAINT f8 FOREIGN KEY (x, y) REFERENCES p (id, k) ON DELETE SET NULL (x),
    CONSTRAINT f9 FOREIGN KEY (x) REFERENCES p (id),
    CONSTRAINT f10 FOREIGN KEY (x) REFERENCES p (id) DEFERRABLE);
  ALTER TABLE c ADD CONSTRAINT f11 FOREIGN KEY (y) REFERENCES p (id) NOT VALID$$,
$$CREATE TABLE p (id int UNIQUE, k int UNIQUE, UNIQUE (id, k));
  CREATE TABLE q (id int PRIMARY KEY);
  CREATE TABLE c (x int, y int,
    CONSTRAINT f1 FOREIGN KEY (x) REFERENCES p (k),
    CONSTRAINT f2 FOREIGN KEY (x) REFERENCES q (id),
    CONSTRAINT f3 FOREIGN KEY (x) REFERENCES con_ext.p (id),
    CONSTRAINT f4 FOREIGN KEY (x) REFERENCES p (id) ON DELETE CASCADE,
    CONSTRAINT f5 FOREIGN KEY (x) REFERENCES p (id) ON UPDATE SET NULL,
    CONSTRAINT f6 FOREIGN KEY (x, y) REFERENCES p (id, k) MATCH FULL,
    CONSTRAINT f7 FOREIGN KEY (x, y) REFERENCES p (id, k) ON DELETE SET NULL (y),
    CONSTRAINT f8 FOREIGN KEY (x, y) REFERENCES p (id, k) ON DELETE SET NULL (y),
    CONSTRAINT f9 FOREIGN KEY (x) REFERENCES p (id) DEFERRABLE,
    CONSTRAINT f10 FOREIGN KEY (x) REFERENCES p (id) DEFERRABLE INITIALLY DEFERRED,
    CONSTRAINT f11 FOREIGN KEY (y) REFERENCES p (id))$$);

-- FOREIGN KEY: a referencing or referenced column of the same number but
-- another name; a table of this schema and one of another schema of the
-- same name
SELECT * FROM ss_test.keys(
$$CREATE TABLE p (id int PRIMARY KEY, k int UNIQUE);
  CREATE TABLE c (x int, y int, CONSTRAINT f1 FOREIGN KEY (x) REFERENCES p (id));
  CREATE TABLE d (x int, CONSTRAINT f2 FOREIGN KEY (x) REFERENCES p (id));
  CREATE TABLE e (x int, CONSTRAINT f3 FOREIGN KEY (x) REFERENCES con_ext.p (id))$$,
$$CREATE TABLE p (id int PRIMARY KEY, k int UNIQUE);
  CREATE TABLE c (y int, x int, CONSTRAINT f1 FOREIGN KEY (y) REFERENCES p (id));
  CREATE TABLE d (x int, CONSTRAINT f2 FOREIGN KEY (x) REFERENCES p (k));
  CREATE TABLE e (x int, CONSTRAINT f3 FOREIGN KEY (x) REFERENCES p (id))$$);

-- CHECK: another expression, NO INHERIT, NOT VALID (validated in place), a
-- column of the same number but another name, and a column of another type
-- under the same CHECK text (the CHECK stays)
SELECT * FROM ss_test.keys(
$$CREATE TABLE t1 (a int CONSTRAINT c1 CHECK (a > 0));
  CREATE TABLE t2 (a int CONSTRAINT c2 CHECK (a > 0));
  CREATE TABLE t3 (a int);
  ALTER TABLE t3 ADD CONSTRAINT c3 CHECK (a > 0) NOT VALID;
  CREATE TABLE t4 (a int, b int, CONSTRAINT c4 CHECK (a > 0));
  CREATE TABLE t5 (a int CONSTRAINT c5 CHECK (a IS NOT NULL))$$,
$$CREATE TABLE t1 (a int CONSTRAINT c1 CHECK (a > 1));
  CREATE TABLE t2 (a int CONSTRAINT c2 CHECK (a > 0) NO INHERIT);
  CREATE TABLE t3 (a int CONSTRAINT c3 CHECK (a > 0));
  CREATE TABLE t4 (b int, a int, CONSTRAINT c4 CHECK (b > 0));
  CREATE TABLE t5 (a bigint CONSTRAINT c5 CHECK (a IS NOT NULL))$$);


-- EXCLUDE constraints read with raw keys (docs/design.md, "Reading fast"):
-- one unchanged, one per part of the key that differs (operator, opclass,
-- collation, predicate, storage parameters, INCLUDE, deferrability), one
-- whose column moved (its number differs, its name does not), and one on a
-- btree
SELECT * FROM ss_test.rt(
$$CREATE TABLE e1 (id int, t text, r int4range, s int4range,
    CONSTRAINT x_same EXCLUDE USING gist (r WITH &&),
    CONSTRAINT x_op EXCLUDE USING gist (s WITH &&),
    CONSTRAINT x_class EXCLUDE USING btree (t WITH =),
    CONSTRAINT x_coll EXCLUDE USING btree (t WITH =),
    CONSTRAINT x_pred EXCLUDE USING gist (r WITH &&) WHERE (id > 0),
    CONSTRAINT x_opts EXCLUDE USING gist (s WITH &&) WITH (fillfactor = 70),
    CONSTRAINT x_incl EXCLUDE USING gist (r WITH &&) INCLUDE (id),
    CONSTRAINT x_defer EXCLUDE USING gist (s WITH &&) DEFERRABLE);
  CREATE TABLE e2 (a int, r int4range, CONSTRAINT x_moved EXCLUDE USING gist (r WITH &&));
  CREATE TABLE e3 (r int4range, CONSTRAINT x_btree EXCLUDE USING btree (r WITH =))$$,
$$CREATE TABLE e1 (id int, t text, r int4range, s int4range,
    CONSTRAINT x_same EXCLUDE USING gist (r WITH &&),
    CONSTRAINT x_op EXCLUDE USING gist (s WITH -|-),
    CONSTRAINT x_class EXCLUDE USING btree (t text_pattern_ops WITH =),
    CONSTRAINT x_coll EXCLUDE USING btree (t COLLATE "C" WITH =),
    CONSTRAINT x_pred EXCLUDE USING gist (r WITH &&) WHERE (id > 1),
    CONSTRAINT x_opts EXCLUDE USING gist (s WITH &&) WITH (fillfactor = 80),
    CONSTRAINT x_incl EXCLUDE USING gist (r WITH &&) INCLUDE (t),
    CONSTRAINT x_defer EXCLUDE USING gist (s WITH &&) DEFERRABLE INITIALLY DEFERRED);
  CREATE TABLE e2 (r int4range, a int, CONSTRAINT x_moved EXCLUDE USING gist (r WITH &&));
  CREATE TABLE e3 (r int4range, CONSTRAINT x_btree EXCLUDE USING btree (r WITH =))$$);

SET client_min_messages = warning;
DROP SCHEMA con_a, con_b, ss_test, con_ext CASCADE;
RESET client_min_messages;
