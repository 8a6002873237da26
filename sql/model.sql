--
-- model: snapshot() writes a stable, schema-neutral JSONB model; diff() and
-- apply() take it (or a hand-written one) through the same pipeline, with
-- schema_map; bad models get a clear error naming the JSON path.
--
CREATE SCHEMA mdl_src;
CREATE SCHEMA mdl_dst;
SET search_path = mdl_src;
CREATE SEQUENCE invoice_no AS integer START 1000 INCREMENT 10;
CREATE TABLE users (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    email text NOT NULL UNIQUE,
    "Display Name" varchar(50) COLLATE "C",
    created timestamptz NOT NULL DEFAULT now()
);
CREATE TABLE orders (
    id serial PRIMARY KEY,
    user_id bigint REFERENCES users (id) ON DELETE CASCADE,
    invoice int DEFAULT nextval('invoice_no'),
    status varchar(10) CHECK (status IN ('new', 'paid')),
    total numeric(10, 2) GENERATED ALWAYS AS (0) STORED
);
CREATE INDEX orders_open ON orders (user_id) WHERE status = 'new';
COMMENT ON TABLE users IS 'people';
COMMENT ON COLUMN users.email IS 'unique login';
RESET search_path;

-- the model, in full
SELECT jsonb_pretty(schemasync.snapshot(ARRAY['mdl_src']) - 'server_version_num');

-- deterministic: two snapshots are byte-identical
SELECT jsonb_pretty(schemasync.snapshot(ARRAY['mdl_src'])) =
       jsonb_pretty(schemasync.snapshot(ARRAY['mdl_src'])) AS stable;

-- the model of mdl_src applied to mdl_dst: diff, apply, empty re-diff
SELECT ordinal, kind, identity, action, ddl
FROM schemasync.diff(schemasync.snapshot(ARRAY['mdl_src']), '{"schema_map": {"mdl_src": "mdl_dst"}}')
ORDER BY ordinal;
CALL schemasync.apply(schemasync.snapshot(ARRAY['mdl_src']), '{"schema_map": {"mdl_src": "mdl_dst"}}');
SELECT count(*) AS left FROM schemasync.diff(schemasync.snapshot(ARRAY['mdl_src']), '{"schema_map": {"mdl_src": "mdl_dst"}}');
SELECT count(*) AS left_schema_path FROM schemasync.diff('mdl_dst', 'mdl_src');

-- round trip: the snapshot of mdl_dst is the snapshot of mdl_src, but for
-- the schema name
SELECT replace(schemasync.snapshot(ARRAY['mdl_dst'])::text, '"mdl_dst"', '"mdl_src"') =
       schemasync.snapshot(ARRAY['mdl_src'])::text AS same_model;

-- no scratch schema is left behind
SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'schemasync\_model\_%';

-- a model given as a literal needs its type: two untyped literals would
-- call diff(target text, reference text)
-- a hand-written model, spelled as people write it, converges
CREATE SCHEMA mdl_hand;
\set hand '{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [ {"kind": "table", "schema": "app", "name": "accounts", "columns": [ {"name": "id", "type": "int", "identity": "always"}, {"name": "name", "type": "varchar(20)", "not_null": true}, {"name": "plan", "type": "text", "default": "''free''"}, {"name": "since", "type": "timestamptz", "default": "now()"} ]}, {"kind": "constraint", "schema": "app", "table": "accounts", "name": "accounts_pkey", "definition": "primary key (id)"}, {"kind": "constraint", "schema": "app", "table": "accounts", "name": "plan_ok", "definition": "check (plan in (''free'', ''pro''))"}, {"kind": "index", "schema": "app", "table": "accounts", "name": "accounts_name", "definition": "create index accounts_name on accounts (lower(name))"} ]}'
SELECT ordinal, ddl FROM schemasync.diff(:'hand'::jsonb, '{"schema_map": {"app": "mdl_hand"}}') ORDER BY ordinal;
CALL schemasync.apply(:'hand'::jsonb, '{"schema_map": {"app": "mdl_hand"}}');
SELECT count(*) AS left FROM schemasync.diff(:'hand'::jsonb, '{"schema_map": {"app": "mdl_hand"}}');

-- a model with an object removed drops it (with allow_drops)
SELECT ordinal, action, ddl, destructive
FROM schemasync.diff(jsonb_set(:'hand'::jsonb, '{objects}', (:'hand'::jsonb -> 'objects') - 3),
                     '{"schema_map": {"app": "mdl_hand"}}')
ORDER BY ordinal;

-- history: every successful apply leaves a row; rolling back a sync is
-- applying the row's "before" model
CREATE SCHEMA mdl_hist;
CREATE TABLE mdl_hist.t (a int);
CREATE SCHEMA mdl_hist_v2;
CREATE TABLE mdl_hist_v2.t (a bigint, b text NOT NULL DEFAULT 'x');
CREATE TABLE mdl_hist_v2.u (id int PRIMARY KEY);
SELECT schemasync.fingerprint(ARRAY['mdl_hist']) AS fp_v1 \gset
CALL schemasync.apply('mdl_hist', 'mdl_hist_v2');
SELECT schemas, desired, applied_by = current_user AS by_me, statements,
       fingerprint_before = :'fp_v1' AS before_is_v1,
       fingerprint_after = schemasync.fingerprint(ARRAY['mdl_hist']) AS after_is_now,
       before -> 'objects' -> 0 -> 'columns' AS before_columns
FROM schemasync.history ORDER BY id DESC LIMIT 1;
SELECT id AS hist_id, before AS hist_before FROM schemasync.history ORDER BY id DESC LIMIT 1 \gset
-- the rollback drops what the sync added: destructive, so allow_drops
CALL schemasync.rollback(:hist_id);
CALL schemasync.rollback(:hist_id, '{"allow_drops": true}');
SELECT schemasync.fingerprint(ARRAY['mdl_hist']) = :'fp_v1' AS rolled_back;
SELECT desired, statements FROM schemasync.history ORDER BY id DESC LIMIT 1;
-- the same with the model itself, from psql
CALL schemasync.apply('mdl_hist', 'mdl_hist_v2', '{"history": false}');
CALL schemasync.apply(:'hist_before'::jsonb, '{"allow_drops": true, "history": false}');
SELECT schemasync.fingerprint(ARRAY['mdl_hist']) = :'fp_v1' AS rolled_back_again;
-- "history": false left no row
SELECT max(id) = :hist_id + 1 AS one_row_since FROM schemasync.history;
CALL schemasync.rollback(-1);
DROP SCHEMA mdl_hist, mdl_hist_v2 CASCADE;

-- each history snapshot must be what snapshot() gives then: on the model
-- path they are made from the targets as the apply read them (its diff's
-- read, its verification's), on the schema path read again; indexes, CHECKs,
-- defaults, views and routines included, expressions in normal form (this
-- IN list of a varchar CHECK is stored otherwise than it reads back: u's,
-- written so in both schemas, is never re-created, so its text in the
-- catalog stays the one that is not in normal form), and the table renamed
-- by hints (that diff renames what it read); w's defaults, two of each, are
-- deparsed once per text on the schema path
CREATE SCHEMA mdl_snap;
CREATE SCHEMA mdl_snap_v2;
SET search_path = mdl_snap;
CREATE TYPE mood AS ENUM ('ok', 'sad');
CREATE TABLE t (id int PRIMARY KEY, s varchar(10) CHECK (s IN ('a', 'b')),
                m mood DEFAULT 'ok', n int DEFAULT 0);
CREATE INDEX t_n ON t (n) WHERE n > 0;
CREATE VIEW v AS SELECT id, s FROM t;
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN x + 1;
CREATE TABLE u (k varchar(5) CHECK (k IN ('x', 'y')));
CREATE TABLE w (a int DEFAULT 0, b int DEFAULT 0, c timestamptz DEFAULT now(),
                d timestamptz DEFAULT now());
SET search_path = mdl_snap_v2;
CREATE TYPE mood AS ENUM ('ok', 'sad', 'glad');
CREATE TABLE t (id int PRIMARY KEY, s varchar(10) CHECK (s IN ('a', 'b', 'c')),
                m mood DEFAULT 'glad', n bigint DEFAULT 1);
CREATE INDEX t_n ON t (n) WHERE n > 1;
CREATE VIEW v AS SELECT id, s, m FROM t;
CREATE FUNCTION f(x int) RETURNS int LANGUAGE sql RETURN x + 2;
CREATE TABLE u (k varchar(5) CHECK (k IN ('x', 'y')));
CREATE TABLE w (a int DEFAULT 0, b int DEFAULT 0, c timestamptz DEFAULT now(),
                d timestamptz DEFAULT now());
RESET search_path;
SELECT schemasync.snapshot(ARRAY['mdl_snap']) AS snap_v1 \gset
CALL schemasync.apply('mdl_snap', 'mdl_snap_v2', '{"allow_drops": true}');
SELECT before = :'snap_v1'::jsonb AS before_is_snapshot,
       after = schemasync.snapshot(ARRAY['mdl_snap']) AS after_is_snapshot,
       after <> before AS changed
FROM schemasync.history ORDER BY id DESC LIMIT 1;
-- back through the model
SELECT schemasync.snapshot(ARRAY['mdl_snap']) AS snap_v2 \gset
CALL schemasync.apply(:'snap_v1'::jsonb, '{"allow_drops": true}');
SELECT before = :'snap_v2'::jsonb AS before_is_snapshot,
       after = :'snap_v1'::jsonb AS after_is_v1
FROM schemasync.history ORDER BY id DESC LIMIT 1;
-- a rename by hints
ALTER TABLE mdl_snap_v2.t RENAME TO t2;
CALL schemasync.apply('mdl_snap', 'mdl_snap_v2',
                      '{"allow_drops": true, "renames": {"mdl_snap.t": "t2"}}');
SELECT before = :'snap_v1'::jsonb AS before_is_snapshot,
       after = schemasync.snapshot(ARRAY['mdl_snap']) AS after_is_snapshot,
       statements[1] AS first_statement
FROM schemasync.history ORDER BY id DESC LIMIT 1;
DROP SCHEMA mdl_snap, mdl_snap_v2 CASCADE;

-- the snapshot after an apply takes, from the one before, the texts of the
-- objects whose raw keys did not change (the DEBUG line counts them: q's
-- CHECK, index and default, w's defaults); a partition's default, changed
-- through its parent's, is deparsed again though the diff never did
CREATE SCHEMA mdl_led;
CREATE SCHEMA mdl_led_v2;
CREATE TABLE mdl_led.p (k int, v int DEFAULT 1, w text DEFAULT 'a') PARTITION BY RANGE (k);
CREATE TABLE mdl_led.p_1 PARTITION OF mdl_led.p FOR VALUES FROM (0) TO (10);
CREATE TABLE mdl_led.q (id int PRIMARY KEY, n int CHECK (n > 0), s text DEFAULT 'x');
CREATE INDEX q_n ON mdl_led.q (n) WHERE n < 100;
CREATE TABLE mdl_led_v2.p (k int, v int DEFAULT 2, w text DEFAULT 'a') PARTITION BY RANGE (k);
CREATE TABLE mdl_led_v2.p_1 PARTITION OF mdl_led_v2.p FOR VALUES FROM (0) TO (10);
CREATE TABLE mdl_led_v2.q (id int PRIMARY KEY, n int CHECK (n > 0), s text DEFAULT 'x');
CREATE INDEX q_n ON mdl_led_v2.q (n) WHERE n < 100;
SET client_min_messages = debug1;
CALL schemasync.apply('mdl_led', 'mdl_led_v2', '{"allow_drops": true}');
RESET client_min_messages;
SELECT after = schemasync.snapshot(ARRAY['mdl_led']) AS after_is_snapshot,
       jsonb_path_query_first(after, '$.objects[*] ? (@.name == "p_1").columns[*] ? (@.name == "v").default') AS p_1_v
FROM schemasync.history ORDER BY id DESC LIMIT 1;
DROP SCHEMA mdl_led, mdl_led_v2 CASCADE;

\set VERBOSITY default
-- bad models: each a clear error naming the path; nothing is applied
SELECT * FROM schemasync.diff('[]'::jsonb);
SELECT * FROM schemasync.diff('{"format": "pg_dump", "version": 1}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 99, "schemas": [], "objects": []}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "objects": []}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [], "extra": 1}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app", "app"], "objects": []}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "gizmo", "schema": "app", "name": "x"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "other", "name": "x"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": 7}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": "t", "columns": [{"name": "a"}]}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": "t", "columns": [{"name": "a", "type": "int", "not_null": "yes"}]}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": "t"}, {"kind": "table", "schema": "app", "name": "t"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": "t", "depends_on": ["table:nowhere"]}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "index", "schema": "app", "table": "nowhere", "name": "i", "definition": "CREATE INDEX i ON nowhere (a)"}]}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": "t", "columns": [{"name": "a", "type": "int); DROP TABLE mdl_src.users; --"}]}]}'::jsonb, '{"schema_map": {"app": "mdl_hand"}}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "index", "schema": "app", "table": "t", "name": "i", "definition": "CREATE INDEX i ON t (a); DROP TABLE mdl_src.users"}, {"kind": "table", "schema": "app", "name": "t", "columns": [{"name": "a", "type": "int"}]}]}'::jsonb, '{"schema_map": {"app": "mdl_hand"}}');
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["x\"; DROP TABLE mdl_src.users; --"], "objects": []}'::jsonb);
SELECT * FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": []}'::jsonb, '{"schema_map": {"app": 5}}');
SELECT * FROM schemasync.diff(NULL::jsonb);
-- an identifier that needs quoting is just a name
SELECT ddl FROM schemasync.diff('{"format": "schemasync", "version": 1, "schemas": ["app"], "objects": [{"kind": "table", "schema": "app", "name": "x\"; DROP TABLE mdl_src.users; --", "columns": [{"name": "Odd \"col\"", "type": "int"}]}]}'::jsonb, '{"schema_map": {"app": "mdl_hand"}}') ORDER BY ordinal;
SELECT to_regclass('mdl_src.users') IS NOT NULL AS users_intact;

-- a model that equals a snapshot of its targets is not materialized, nor
-- parsed (the DEBUG line says so); any difference, in keys or in texts, is
-- materialized
CREATE SCHEMA mdl_fast;
CREATE TABLE mdl_fast.items (id int PRIMARY KEY, amount numeric DEFAULT 0, note text);
CREATE INDEX items_note ON mdl_fast.items (note) WHERE note IS NOT NULL;
COMMENT ON TABLE mdl_fast.items IS 'stock';
SELECT schemasync.snapshot(ARRAY['mdl_fast']) AS fast_model \gset
SET client_min_messages = debug1;
SELECT count(*) AS unchanged FROM schemasync.diff(:'fast_model'::jsonb);
-- another server version is not a difference by itself
SELECT count(*) AS unchanged FROM schemasync.diff(jsonb_set(:'fast_model'::jsonb, '{server_version_num}', '1'));
RESET client_min_messages;
-- rename hints always take the materialized path, which checks them
SELECT count(*) FROM schemasync.diff(:'fast_model'::jsonb, '{"renames": {"mdl_fast.nothing": "x"}}');
ALTER TABLE mdl_fast.items ALTER COLUMN amount SET DEFAULT 1;
COMMENT ON TABLE mdl_fast.items IS 'stock!';
SELECT ddl FROM schemasync.diff(:'fast_model'::jsonb) ORDER BY ordinal;
ALTER TABLE mdl_fast.items ADD COLUMN extra int;
SELECT ddl FROM schemasync.diff(:'fast_model'::jsonb, '{"allow_drops": true}') ORDER BY ordinal;
CALL schemasync.apply(:'fast_model'::jsonb, '{"allow_drops": true, "history": false}');
SET client_min_messages = debug1;
SELECT count(*) AS left FROM schemasync.diff(:'fast_model'::jsonb);
RESET client_min_messages;
-- as many objects as the model, one of them under another name
ALTER INDEX mdl_fast.items_note RENAME TO items_note2;
SELECT ddl FROM schemasync.diff(:'fast_model'::jsonb, '{"allow_drops": true}') ORDER BY ordinal;
DROP SCHEMA mdl_fast CASCADE;
-- an expression the snapshot writes in normal form where the target's text
-- is not (an IN list on a varchar column): the model is parsed, that
-- expression parsed again, and found equal, still not materialized
CREATE SCHEMA mdl_norm;
CREATE TABLE mdl_norm.t (s varchar(10) CHECK (s IN ('a', 'b')));
SELECT schemasync.snapshot(ARRAY['mdl_norm']) AS norm_model \gset
SELECT (SELECT d ->> 'definition' FROM jsonb_array_elements(:'norm_model'::jsonb -> 'objects') d
        WHERE d ->> 'kind' = 'constraint') <>
       (SELECT pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = 'mdl_norm.t'::regclass)
       AS normal_form_differs;
SET client_min_messages = debug1;
SELECT count(*) AS unchanged FROM schemasync.diff(:'norm_model'::jsonb);
RESET client_min_messages;
-- the same expressions on two tables, over columns of the same name and
-- type: a snapshot parses each once, and writes its normal form for both
-- (t's name is in "text": its key is its own, as a table named in its text)
CREATE TABLE mdl_norm.alpha (s varchar(10) CHECK (s IN ('a', 'b')));
CREATE TABLE mdl_norm.beta (s varchar(10) CHECK (s IN ('a', 'b')));
CREATE INDEX alpha_s ON mdl_norm.alpha (s) WHERE s IN ('x', 'y');
CREATE INDEX beta_s ON mdl_norm.beta (s) WHERE s IN ('x', 'y');
SELECT d ->> 'table' AS "table", d ->> 'name' AS name, d ->> 'definition' AS definition
FROM jsonb_array_elements(schemasync.snapshot(ARRAY['mdl_norm']) -> 'objects') d
WHERE d ->> 'kind' IN ('constraint', 'index') ORDER BY 1, 2;
DROP SCHEMA mdl_norm CASCADE;

-- a model that changes a few of its objects: only they are materialized, with
-- what depends on them and what they need (a table whose column changes gets
-- that column, not the others: t4.n without t4.id and t4.v), and the rows are
-- those of materializing all of it.  An object whose comment alone changes
-- (t2, t5.v) is compared without its table's objects and its dependents,
-- unless another change reaches it (child_v, over child.amount)
CREATE SCHEMA mdl_part;
SELECT format('CREATE TABLE mdl_part.t%s (id int PRIMARY KEY, v int, n bigint DEFAULT 0)', i)
FROM generate_series(1, 12) i \gexec
CREATE TABLE mdl_part.child (id int PRIMARY KEY, t1_id int REFERENCES mdl_part.t1, amount int);
CREATE INDEX child_amount ON mdl_part.child (amount);
CREATE VIEW mdl_part.child_v AS SELECT id, amount FROM mdl_part.child;
BEGIN;
DROP VIEW mdl_part.child_v;
ALTER TABLE mdl_part.child ALTER COLUMN amount TYPE bigint;
CREATE VIEW mdl_part.child_v AS SELECT id, amount FROM mdl_part.child;
COMMENT ON TABLE mdl_part.t2 IS 'second';
COMMENT ON COLUMN mdl_part.t5.v IS 'fifth';
COMMENT ON VIEW mdl_part.child_v IS 'amounts';
ALTER TABLE mdl_part.t4 ALTER COLUMN n SET DEFAULT 5;
CREATE TABLE mdl_part.t13 (id int PRIMARY KEY, t3_id int REFERENCES mdl_part.t3);
DROP TABLE mdl_part.t12;
SELECT schemasync.snapshot(ARRAY['mdl_part']) AS part_model \gset
ROLLBACK;
SET client_min_messages = debug1;
SELECT count(*) FROM schemasync.diff(:'part_model'::jsonb, '{"allow_drops": true}');
RESET client_min_messages;
SELECT ordinal, action, identity, ddl, depends_on
FROM schemasync.diff(:'part_model'::jsonb, '{"allow_drops": true}') ORDER BY ordinal;
SELECT (SELECT array_agg(d ORDER BY ordinal)
        FROM schemasync.diff(:'part_model'::jsonb, '{"allow_drops": true}') d) =
       (SELECT array_agg(d ORDER BY ordinal)
        FROM schemasync.diff(:'part_model'::jsonb, '{"allow_drops": true, "materialize": "all"}') d)
       AS same_rows;
-- the same through schema_map, into a copy of the schema under another name
-- (the element's "schema" is left out of the comparison)
CREATE SCHEMA mdl_part2;
SELECT format('CREATE TABLE mdl_part2.t%s (id int PRIMARY KEY, v int, n bigint DEFAULT 0)', i)
FROM generate_series(1, 12) i \gexec
CREATE TABLE mdl_part2.child (id int PRIMARY KEY, t1_id int REFERENCES mdl_part2.t1, amount int);
CREATE INDEX child_amount ON mdl_part2.child (amount);
CREATE VIEW mdl_part2.child_v AS SELECT id, amount FROM mdl_part2.child;
SELECT (SELECT array_agg(d ORDER BY ordinal)
        FROM schemasync.diff(:'part_model'::jsonb, '{"allow_drops": true, "schema_map": {"mdl_part": "mdl_part2"}}') d) =
       (SELECT array_agg(d ORDER BY ordinal)
        FROM schemasync.diff(:'part_model'::jsonb, '{"allow_drops": true, "schema_map": {"mdl_part": "mdl_part2"}, "materialize": "all"}') d)
       AS same_rows_mapped;
-- apply, and its verification, converge
CALL schemasync.apply(:'part_model'::jsonb, '{"allow_drops": true, "history": false}');
SELECT count(*) AS left FROM schemasync.diff(:'part_model'::jsonb);
-- a new view the model gives no depends_on: materializing it alone fails, so
-- all of the model is materialized, with the same rows
SELECT jsonb_set(:'part_model'::jsonb, '{objects}', (:'part_model'::jsonb -> 'objects') ||
       '[{"kind": "view", "schema": "mdl_part", "name": "t5_v", "definition": " SELECT t5.id FROM t5;"}]')
       AS hand_model \gset
SELECT ordinal, ddl FROM schemasync.diff(:'hand_model'::jsonb) ORDER BY ordinal;
SELECT (SELECT array_agg(d ORDER BY ordinal) FROM schemasync.diff(:'hand_model'::jsonb) d) =
       (SELECT array_agg(d ORDER BY ordinal) FROM schemasync.diff(:'hand_model'::jsonb, '{"materialize": "all"}') d)
       AS same_rows_hand;
SELECT schemasync.diff(:'hand_model'::jsonb, '{"materialize": "sometimes"}');
DROP SCHEMA mdl_part, mdl_part2 CASCADE;

-- an enum that only gains a label (and a comment) is compared without what
-- uses it: its columns and their tables are not materialized (the DEBUG1 line
-- counts what is), and its rows are ALTER TYPE ... ADD VALUE and the COMMENT
-- ON TYPE.  When the new label is used in
-- the same migration (a default changed to it), the diff re-creates the type
-- with what uses it, so what uses it is compared after all.  In both cases the
-- rows are those of materializing all of the model
CREATE SCHEMA mdl_enum;
CREATE TYPE mdl_enum.mood AS ENUM ('sad', 'ok');
CREATE SCHEMA mdl_enum_src;
CREATE TYPE mdl_enum_src.mood AS ENUM ('sad', 'ok', 'happy');
COMMENT ON TYPE mdl_enum_src.mood IS 'how it went';
SELECT format('CREATE TABLE %s.t%s (id int PRIMARY KEY, m %s.mood DEFAULT ''ok'')', s, i, s)
FROM generate_series(1, 6) i, unnest(ARRAY['mdl_enum', 'mdl_enum_src']) s \gexec
SELECT schemasync.snapshot(ARRAY['mdl_enum_src']) AS enum_model \gset
ALTER TABLE mdl_enum_src.t1 ALTER COLUMN m SET DEFAULT 'happy';
SELECT schemasync.snapshot(ARRAY['mdl_enum_src']) AS enum_used_model \gset
SET client_min_messages = debug1;
SELECT count(*) FROM schemasync.diff(:'enum_model'::jsonb, '{"schema_map": {"mdl_enum_src": "mdl_enum"}}');
RESET client_min_messages;
SELECT ordinal, action, ddl
FROM schemasync.diff(:'enum_model'::jsonb, '{"schema_map": {"mdl_enum_src": "mdl_enum"}}') ORDER BY ordinal;
-- (without leaving the uses out, the re-created type's columns would be missing)
SELECT ordinal, action, identity
FROM schemasync.diff(:'enum_used_model'::jsonb, '{"schema_map": {"mdl_enum_src": "mdl_enum"}}') ORDER BY ordinal;
SELECT m.name,
       (SELECT array_agg(d ORDER BY ordinal)
        FROM schemasync.diff(m.model, '{"schema_map": {"mdl_enum_src": "mdl_enum"}}') d) =
       (SELECT array_agg(d ORDER BY ordinal)
        FROM schemasync.diff(m.model, '{"schema_map": {"mdl_enum_src": "mdl_enum"}, "materialize": "all"}') d)
       AS same_rows
FROM (VALUES ('label added', :'enum_model'::jsonb), ('label added and used', :'enum_used_model'::jsonb)) m(name, model);
-- apply, and its verification, converge
CALL schemasync.apply(:'enum_model'::jsonb, '{"schema_map": {"mdl_enum_src": "mdl_enum"}, "history": false}');
SELECT count(*) AS left FROM schemasync.diff(:'enum_model'::jsonb, '{"schema_map": {"mdl_enum_src": "mdl_enum"}}');
DROP SCHEMA mdl_enum, mdl_enum_src CASCADE;

-- model_fingerprint: column order and schema names left out, anything else in
CREATE SCHEMA mdl_fp;
CREATE TABLE mdl_fp.t (a int, b text, c numeric);
SELECT schemasync.snapshot(ARRAY['mdl_fp']) AS fp_model \gset
SELECT schemasync.model_fingerprint(:'fp_model'::jsonb) = schemasync.fingerprint(ARRAY['mdl_fp']) AS same_as_fingerprint,
       schemasync.model_fingerprint(:'fp_model'::jsonb) =
       schemasync.model_fingerprint(jsonb_set(:'fp_model'::jsonb, '{objects,0,columns}',
           (SELECT jsonb_agg(c ORDER BY c ->> 'name' DESC) FROM jsonb_array_elements(:'fp_model'::jsonb #> '{objects,0,columns}') c)))
           AS column_order_left_out,
       schemasync.model_fingerprint(:'fp_model'::jsonb) =
       schemasync.model_fingerprint(replace(:'fp_model', '"mdl_fp"', '"other"')::jsonb) AS schema_name_left_out,
       schemasync.model_fingerprint(:'fp_model'::jsonb) <>
       schemasync.model_fingerprint(replace(:'fp_model', '"numeric"', '"bigint"')::jsonb) AS type_counted;
-- a document of another shape is hashed (or refused) as ever
SELECT schemasync.model_fingerprint('{}'::jsonb);
\set VERBOSITY terse
SELECT schemasync.model_fingerprint('{"objects": [1]}'::jsonb) IS NOT NULL;
\set VERBOSITY default
DROP SCHEMA mdl_fp CASCADE;

-- model_fingerprint writes the text it hashes without building the document
-- SQL built: the same hash as the SQL it replaced, on a snapshot with texts
-- to escape and on documents of unusual values
CREATE FUNCTION pg_temp.fingerprint_by_sql(jsonb) RETURNS text LANGUAGE sql AS $fp$
SELECT pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(pg_catalog.jsonb_build_object(
  'version', $1 OPERATOR(pg_catalog.->) 'version',
  'schemas', pg_catalog.jsonb_array_length($1 OPERATOR(pg_catalog.->) 'schemas'),
  'objects', coalesce((
   SELECT pg_catalog.jsonb_agg((o OPERATOR(pg_catalog.-) 'schema' OPERATOR(pg_catalog.-) 'columns')
     OPERATOR(pg_catalog.||) pg_catalog.jsonb_build_object('schema',
      (SELECT n FROM pg_catalog.jsonb_array_elements_text($1 OPERATOR(pg_catalog.->) 'schemas')
        WITH ORDINALITY x(s, n) WHERE s OPERATOR(pg_catalog.=) (o OPERATOR(pg_catalog.->>) 'schema')))
     OPERATOR(pg_catalog.||) CASE WHEN o OPERATOR(pg_catalog.?) 'columns'
      THEN pg_catalog.jsonb_build_object('columns',
       (SELECT coalesce(pg_catalog.jsonb_agg(c ORDER BY (c OPERATOR(pg_catalog.->>) 'name') COLLATE "C"),
                        '[]'::pg_catalog.jsonb)
        FROM pg_catalog.jsonb_array_elements(o OPERATOR(pg_catalog.->) 'columns') c))
      ELSE '{}'::pg_catalog.jsonb END
    ORDER BY i)
   FROM pg_catalog.jsonb_array_elements($1 OPERATOR(pg_catalog.->) 'objects') WITH ORDINALITY e(o, i)),
   '[]'::pg_catalog.jsonb))::pg_catalog.text, 'UTF8')), 'hex')
$fp$;
CREATE SCHEMA mdl_fp2;
CREATE TYPE mdl_fp2.mood AS ENUM ('ok', 'it''s "fine"', E'tab\there', 'é€😀');
CREATE TABLE mdl_fp2.t (id int PRIMARY KEY, "Weird ""name""" text DEFAULT E'a\\b\n"c"',
    m mdl_fp2.mood, z numeric(10, 2) CHECK (z > 1.50), b boolean DEFAULT true);
CREATE INDEX ON mdl_fp2.t (lower("Weird ""name""")) WHERE b;
CREATE VIEW mdl_fp2.v AS SELECT id, '😀'::text AS smile FROM mdl_fp2.t;
CREATE FUNCTION mdl_fp2.f(x text) RETURNS text LANGUAGE sql AS $$ SELECT x || E'\\' || '"' $$;
COMMENT ON TABLE mdl_fp2.t IS E'line one\nline two \u00e9';
SELECT schemasync.snapshot(ARRAY['mdl_fp2']) AS fp2_model \gset
SELECT d.name, schemasync.model_fingerprint(d.doc) = pg_temp.fingerprint_by_sql(d.doc) AS same_as_sql
FROM (VALUES ('snapshot', :'fp2_model'::jsonb),
             ('no schemas, version an object',
              '{"version": {"b": [1, 2.50, 1e3], "a": null}, "objects": [{"kind": "x", "name": "n"}]}'::jsonb),
             ('schema not listed, empty columns',
              '{"version": 1, "schemas": ["s"], "objects": [{"schema": "other", "columns": [], "zz": true, "a": false}]}'::jsonb),
             ('keys of every length, columns to sort',
              '{"version": 1, "schemas": ["s", "t"], "objects": [{"schema": "t", "kind": "table", "name": "q", "columns": [{"name": "b", "x": -0.0}, {"name": "B"}, {"name": "a", "type": "int"}], "abcdefg": 1, "abcdef": [{}], "abcdefgh": "\u00e9 \"q\" \\ \t"}, {"schema": "s"}]}'::jsonb),
             ('no objects', '{"version": 2, "schemas": []}'::jsonb),
             ('empty', '{}'::jsonb),
             -- about 160 kB of text: hashed in several pieces, not one
             ('2,000 objects',
              (SELECT jsonb_build_object('version', 1, 'schemas', jsonb_build_array('s'),
                  'objects', jsonb_agg(jsonb_build_object('schema', 's', 'kind', 'table',
                      'name', 't' || i, 'comment', repeat('c', i % 100)) ORDER BY i))
               FROM generate_series(1, 2000) i))) d(name, doc);
DROP SCHEMA mdl_fp2 CASCADE;

-- snapshot arguments
SELECT schemasync.snapshot(ARRAY['mdl_src', 'mdl_src']);
SELECT schemasync.snapshot(ARRAY['nope']);
SELECT schemasync.snapshot(ARRAY[NULL]);

DROP SCHEMA mdl_src, mdl_dst, mdl_hand CASCADE;
