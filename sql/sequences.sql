--
-- sequences: standalone sequences (identity sequences belong to their
-- column, see columns.sql) with every option, OWNED BY, their use in column
-- defaults, comments.  Both directions of every case unless noted.
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
-- seq_a and seq_b.
\set prefix seq
\i test/regress/harness.sql

-- a standalone sequence with every option: created and dropped
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE SEQUENCE s AS integer START WITH 100 INCREMENT BY 10 MINVALUE 50 MAXVALUE 100000 CACHE 5 CYCLE$$);

-- all defaults: every option is spelled out
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE SEQUENCE s$$);

-- option changes, one per sequence: START, INCREMENT (descending), MAXVALUE,
-- CACHE, CYCLE, AS (with the bound that follows the type)
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE SEQUENCE s3; CREATE SEQUENCE s4 CACHE 10;
  CREATE SEQUENCE s5 CYCLE; CREATE SEQUENCE s6 AS smallint; CREATE SEQUENCE s7 MAXVALUE 1000$$,
$$CREATE SEQUENCE s1 START WITH 5; CREATE SEQUENCE s2 INCREMENT BY -1 MAXVALUE 1 START 1;
  CREATE SEQUENCE s3 MAXVALUE 500; CREATE SEQUENCE s4 CACHE 1; CREATE SEQUENCE s5 NO CYCLE;
  CREATE SEQUENCE s6 AS bigint; CREATE SEQUENCE s7$$);

-- bounds that exclude the current value need a RESTART at the new start:
-- harmless on a sequence never used, sequence_reset (destructive) on one
-- that was
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s$$,
$$CREATE SEQUENCE s MINVALUE 10 START 10$$);
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s; SELECT nextval('s')$$,
$$CREATE SEQUENCE s MINVALUE 10 START 10$$);
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s$$,
$$CREATE SEQUENCE s MAXVALUE 0 INCREMENT -1 START 0$$);

-- the current value is kept across option changes
SELECT ss_test.setup($$CREATE SEQUENCE s INCREMENT BY 1; SELECT nextval('s'); SELECT nextval('s')$$,
                   $$CREATE SEQUENCE s INCREMENT BY 5 CACHE 3$$);
CALL schemasync.apply('seq_a', 'seq_b');
SELECT last_value, is_called FROM seq_a.s;
SELECT nextval('seq_a.s');

-- OWNED BY: set, changed, removed
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int); CREATE SEQUENCE s1; CREATE SEQUENCE s2 OWNED BY t.a$$,
$$CREATE TABLE t (a int, b int); CREATE SEQUENCE s1 OWNED BY t.a; CREATE SEQUENCE s2 OWNED BY t.b$$);

-- a sequence owned by a column that is dropped: the sequence goes first
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (id int, x int); CREATE SEQUENCE s OWNED BY t.x$$,
$$CREATE TABLE t (id int)$$);

-- a sequence used by the default of a column of a new table, and OWNED BY
-- that column: the sequence before the table, the ownership after it.
-- Dropping the table drops the sequence it owns: no DROP SEQUENCE of its own
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE SEQUENCE t_id_seq AS integer;
  CREATE TABLE t (id integer NOT NULL DEFAULT nextval('t_id_seq'), v text);
  ALTER SEQUENCE t_id_seq OWNED BY t.id$$);

-- the same for a new serial column of an existing table; dropping the
-- column drops its sequence
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (v text)$$,
$$CREATE TABLE t (v text, id serial)$$);

-- defaults that start or stop using a sequence
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE TABLE t (a bigint, b bigint DEFAULT nextval('s2'))$$,
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE TABLE t (a bigint DEFAULT nextval('s1'), b bigint)$$);

-- a default moves to a new sequence that replaces the old one: create,
-- switch the default, then drop
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE old_seq; CREATE TABLE t (a bigint DEFAULT nextval('old_seq'))$$,
$$CREATE SEQUENCE new_seq; CREATE TABLE t (a bigint DEFAULT nextval('new_seq'))$$);

-- a sequence of another schema in a default stays qualified
CREATE SCHEMA seq_ext;
CREATE SEQUENCE seq_ext.shared;
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a bigint)$$,
$$CREATE TABLE t (a bigint DEFAULT nextval('seq_ext.shared'))$$);

-- sequence comments: added, removed, on a new sequence
SELECT * FROM ss_test.rt(
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; COMMENT ON SEQUENCE s1 IS 'one'$$,
$$CREATE SEQUENCE s1; CREATE SEQUENCE s2; CREATE SEQUENCE s3;
  COMMENT ON SEQUENCE s2 IS 'two'; COMMENT ON SEQUENCE s3 IS 'it''s three'$$);

-- quoted names: a new sequence in an existing column's default, owned by
-- the column, with a comment
SELECT * FROM ss_test.rt(
$$CREATE TABLE "T" ("Id" int)$$,
$$CREATE SEQUENCE "My Seq" AS smallint;
  CREATE TABLE "T" ("Id" int DEFAULT nextval('"My Seq"'));
  ALTER SEQUENCE "My Seq" OWNED BY "T"."Id";
  COMMENT ON SEQUENCE "My Seq" IS 'quoted'$$);

SET client_min_messages = warning;
DROP SCHEMA seq_a, seq_b, ss_test, seq_ext CASCADE;
RESET client_min_messages;
