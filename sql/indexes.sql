--
-- indexes: indexes that no constraint owns, of every access method and
-- option, their comments, and indexes over columns that change.  Both
-- directions of every case.
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
-- idx_a and idx_b.
\set prefix idx
\i test/regress/harness.sql

-- btree_gist (contrib) for a gist index on a scalar column, in a schema of
-- its own; the default operator class needs no qualification
CREATE SCHEMA idx_ext;
CREATE EXTENSION btree_gist SCHEMA idx_ext;
CREATE FUNCTION idx_ext.norm(t text) RETURNS text
LANGUAGE sql IMMUTABLE AS 'SELECT lower(trim(t))';

-- btree: created and dropped; unique; several columns with ordering options
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b text, c timestamptz)$$,
$$CREATE TABLE t (a int, b text, c timestamptz);
  CREATE INDEX t_a_idx ON t (a);
  CREATE UNIQUE INDEX t_b_key ON t (b);
  CREATE INDEX t_c_a_idx ON t (c DESC NULLS LAST, a NULLS FIRST)$$);

-- every built-in access method: hash, gin, gist, brin, spgist
SELECT * FROM ss_test.rt(
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
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (i int); CREATE INDEX t_i_idx ON t (i)$$,
$$CREATE TABLE t (i int); CREATE INDEX t_i_idx ON t USING hash (i)$$);

-- btree_gist: gist over a scalar and a range column
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (i int, r tstzrange)$$,
$$CREATE TABLE t (i int, r tstzrange);
  CREATE INDEX t_i_r_idx ON t USING gist (i, r)$$);

-- plain <-> unique (NULLS NOT DISTINCT)
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a)$$,
$$CREATE TABLE t (a int); CREATE UNIQUE INDEX t_a_idx ON t (a) NULLS NOT DISTINCT$$);

-- partial indexes: a predicate added, a predicate changed
SELECT * FROM ss_test.rt(
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
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, status varchar(10))$$,
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status IN ('new', 'open')$$);

-- the same predicate written in both forms: no difference either way
SELECT ss_test.setup(
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status IN ('new', 'open')$$,
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status::text = ANY (ARRAY['new'::varchar, 'open'::varchar]::text[])$$);
SELECT count(*) FROM schemasync.diff('idx_a', 'idx_b');
SELECT count(*) FROM schemasync.diff('idx_b', 'idx_a');

-- but a different predicate in the other form is a difference
SELECT ss_test.setup(
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status IN ('new', 'open')$$,
$$CREATE TABLE t (a int, status varchar(10));
  CREATE INDEX t_a_idx ON t (a) WHERE status::text = ANY (ARRAY['new'::varchar, 'closed'::varchar]::text[])$$);
SELECT ordinal, action, ddl FROM schemasync.diff('idx_a', 'idx_b') ORDER BY ordinal;

-- expression indexes, a unique partial one, and one calling a function of
-- another schema (stays qualified)
SELECT * FROM ss_test.rt(
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
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a text, b int, c int, s varchar(5));
  CREATE INDEX t_idx ON t ((a || ' WHERE '), b) WHERE s IN ('x', 'y')$$,
$$CREATE TABLE t (a text, b int, c int, s varchar(5));
  CREATE INDEX t_idx ON t ((a || ' WHERE '), c) WHERE s::text = ANY (ARRAY['x'::varchar, 'y'::varchar]::text[])$$);

-- INCLUDE columns
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int, c text); CREATE INDEX t_a_idx ON t (a)$$,
$$CREATE TABLE t (a int, b int, c text); CREATE INDEX t_a_idx ON t (a) INCLUDE (b, c)$$);

-- operator classes and collations
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a text, b text, c varchar(20));
  CREATE INDEX t_a_idx ON t (a);
  CREATE INDEX t_b_idx ON t (b);
  CREATE INDEX t_c_idx ON t (c)$$,
$$CREATE TABLE t (a text, b text, c varchar(20));
  CREATE INDEX t_a_idx ON t (a text_pattern_ops);
  CREATE INDEX t_b_idx ON t (b COLLATE "C");
  CREATE INDEX t_c_idx ON t (c varchar_pattern_ops DESC)$$);

-- storage parameters
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int[]);
  CREATE INDEX t_a_idx ON t (a) WITH (fillfactor = 70);
  CREATE INDEX t_b_idx ON t USING gin (b)$$,
$$CREATE TABLE t (a int, b int[]);
  CREATE INDEX t_a_idx ON t (a) WITH (fillfactor = 90, deduplicate_items = off);
  CREATE INDEX t_b_idx ON t USING gin (b) WITH (fastupdate = off)$$);

-- index comments: added, changed, removed, on a new index
SELECT * FROM ss_test.rt(
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
SELECT * FROM ss_test.rt(
$$$$,
$$CREATE TABLE t (a int, b text);
  CREATE INDEX t_a_idx ON t (a) WHERE a > 0;
  CREATE INDEX t_b_idx ON t USING hash (b)$$);

-- indexes on a column whose type changes: PostgreSQL rebuilds them with
-- the column, nothing to do for the indexes
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b) WHERE a > 0$$,
$$CREATE TABLE t (a bigint, b int); CREATE INDEX t_a_idx ON t (a); CREATE INDEX t_b_idx ON t (b) WHERE a > 0$$);

-- an expression index whose deparsed text depends on the column type:
-- dropped before the type change, created after
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a varchar(10)); CREATE INDEX t_a_idx ON t (lower(a))$$,
$$CREATE TABLE t (a text); CREATE INDEX t_a_idx ON t (lower(a))$$);

-- an index with an operator class that the new column type lacks
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a text); CREATE INDEX t_a_idx ON t (a text_pattern_ops)$$,
$$CREATE TABLE t (a int); CREATE INDEX t_a_idx ON t (a)$$);

-- dropping a column with the indexes on it; adding it back with them
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_ab_idx ON t (a, b); CREATE INDEX t_b_idx ON t (b)$$,
$$CREATE TABLE t (a int)$$);

-- an index moves to another column under the same name
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (a)$$,
$$CREATE TABLE t (a int, b int); CREATE INDEX t_idx ON t (b)$$);

-- an index moves to another table under the same name
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE INDEX ix ON t (a)$$,
$$CREATE TABLE t (a int); CREATE TABLE u (a int); CREATE INDEX ix ON u (a)$$);

-- operator class options (the index's pg_attribute rows, which the
-- columns scan reads with the tables' when the index lies among them, as
-- t_v_idx between t and u; u_v_idx, after, is looked up on its own): a
-- different siglen re-creates the index, the same one leaves it alone
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (v tsvector, n int);
  CREATE INDEX t_v_idx ON t USING gist (v tsvector_ops (siglen = 100));
  CREATE TABLE u (v tsvector);
  CREATE INDEX u_v_idx ON u USING gist (v tsvector_ops (siglen = 100))$$,
$$CREATE TABLE t (v tsvector, n int);
  CREATE INDEX t_v_idx ON t USING gist (v tsvector_ops (siglen = 200));
  CREATE TABLE u (v tsvector);
  CREATE INDEX u_v_idx ON u USING gist (v tsvector_ops (siglen = 200))$$);
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (v tsvector, n int);
  CREATE INDEX t_v_idx ON t USING gist (v tsvector_ops (siglen = 100));
  CREATE TABLE u (v tsvector)$$,
$$CREATE TABLE t (v tsvector, n bigint);
  CREATE INDEX t_v_idx ON t USING gist (v tsvector_ops (siglen = 100));
  CREATE TABLE u (v tsvector)$$);

-- quoted names
SELECT * FROM ss_test.rt(
$$CREATE TABLE "My Table" ("Col A" int)$$,
$$CREATE TABLE "My Table" ("Col A" int);
  CREATE INDEX "My ""Index""" ON "My Table" ("Col A");
  COMMENT ON INDEX "My ""Index""" IS 'quoted'$$);

SET client_min_messages = warning;
DROP SCHEMA idx_a, idx_b, ss_test CASCADE;
DROP EXTENSION btree_gist;
DROP SCHEMA idx_ext CASCADE;
RESET client_min_messages;
