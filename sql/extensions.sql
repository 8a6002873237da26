--
-- extensions: not modeled yet.  An extension installed in a compared
-- schema is reported as unmodeled (coverage honesty), unless
-- ignore_unmodeled; the objects that belong to an extension are never
-- compared as user objects, wherever the extension lives.
--
SET client_min_messages = warning;
CREATE EXTENSION IF NOT EXISTS schemasync;
RESET client_min_messages;

\set prefix ext
\i test/regress/harness.sql

-- an extension outside the compared schemas: its objects are not the
-- schemas' objects, and columns of its types compare as any column
CREATE SCHEMA ext_lib;
CREATE EXTENSION btree_gist SCHEMA ext_lib;
SELECT * FROM ss_test.rt(
$$CREATE TABLE t (a ext_lib.gbtreekey4)$$,
$$CREATE TABLE t (a ext_lib.gbtreekey4, b ext_lib.gbtreekey8)$$);

-- an extension installed in a compared schema is named as unmodeled
SELECT ss_test.setup($$CREATE TABLE t (a int)$$, $$CREATE TABLE t (a int)$$);
ALTER EXTENSION btree_gist SET SCHEMA ext_b;
SELECT * FROM schemasync.diff('ext_a', 'ext_b');
-- ignore_unmodeled compares the rest; the extension's functions, types and
-- operators in ext_b are not user objects of ext_b
SELECT count(*) FROM schemasync.diff('ext_a', 'ext_b', '{"ignore_unmodeled": true}');

SET client_min_messages = warning;
DROP EXTENSION btree_gist;
DROP SCHEMA ext_a, ext_b, ext_lib, ss_test CASCADE;
RESET client_min_messages;
