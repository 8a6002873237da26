--
-- review: choosing changes (only, skip, kinds, pattern, mode), the database
-- guard, the drift gate (expected_fingerprint), check() and script().
-- Every refusal changes nothing: the catalog is compared before and after.
--
CREATE SCHEMA rv_live;
CREATE SCHEMA rv_next;
CREATE TABLE rv_live.a (id int PRIMARY KEY, x text, old_col int);
CREATE TABLE rv_next.a (id int PRIMARY KEY, x varchar(40), y int);
CREATE TABLE rv_next.b (id int PRIMARY KEY, a_id int REFERENCES rv_next.a);
CREATE INDEX a_x ON rv_next.a (x);

-- the catalog of rv_live, to show that refusals change nothing
CREATE FUNCTION rv_state() RETURNS text LANGUAGE sql AS $$
    SELECT schemasync.fingerprint(ARRAY['rv_live'])
$$;
SELECT rv_state() AS before \gset

SELECT ordinal, kind, identity, action, ddl, destructive, depends_on
FROM schemasync.diff('rv_live', 'rv_next') ORDER BY ordinal;

\set VERBOSITY default
-- kinds and pattern filter rows, keeping the plan's ordinals
SELECT ordinal, ddl FROM schemasync.diff('rv_live', 'rv_next', '{"kinds": ["index", "column"]}') ORDER BY ordinal;
SELECT ordinal, ddl FROM schemasync.diff('rv_live', 'rv_next', '{"pattern": "\\.b(\\.|$)"}') ORDER BY ordinal;

-- mode create: only what creates objects; here the new index depends on a
-- type change that create mode leaves out, so it is refused
SELECT ordinal, ddl FROM schemasync.diff('rv_live', 'rv_next', '{"mode": "create"}') ORDER BY ordinal;

-- only: a row that needs one left out is refused, naming both
SELECT ordinal, ddl FROM schemasync.diff('rv_live', 'rv_next', '{"only": [7]}') ORDER BY ordinal;
CALL schemasync.apply('rv_live', 'rv_next', '{"only": ["rv_live.b.b_pkey"]}');
SELECT rv_state() = :'before' AS unchanged;
SELECT * FROM schemasync.diff('rv_live', 'rv_next', '{"only": [99]}');
SELECT * FROM schemasync.diff('rv_live', 'rv_next', '{"skip": ["rv_live.nothing"]}');
SELECT * FROM schemasync.diff('rv_live', 'rv_next', '{"mode": "merge"}');
SELECT * FROM schemasync.diff('rv_live', 'rv_next', '{"only": [true]}');

-- destructive rows are refused without allow_drops, even when chosen
CALL schemasync.apply('rv_live', 'rv_next', '{"only": ["rv_live.a.old_col"]}');
SELECT rv_state() = :'before' AS unchanged;

-- the database guard
CALL schemasync.apply('rv_live', 'rv_next', '{"database": "^production$", "allow_drops": true}');
SELECT rv_state() = :'before' AS unchanged;

-- the drift gate: a stale fingerprint is refused, the right one runs
CALL schemasync.apply('rv_live', 'rv_next', '{"expected_fingerprint": "0000", "allow_drops": true}');
SELECT rv_state() = :'before' AS unchanged;

-- check() fails while they differ
SELECT schemasync.check('rv_live', 'rv_next');
\echo SQLSTATE :LAST_ERROR_SQLSTATE

-- the reviewed script (its date line varies)
SELECT regexp_replace(regexp_replace(schemasync.script('rv_live', 'rv_next'),
                      '-- generated: [^\n]*', '-- generated: (date)'),
                      '-- fingerprint of the target before: [0-9a-f]*', '-- fingerprint of the target before: (fingerprint)') AS script;

-- apply a chosen part: skip the index; what is left is exactly what was skipped
CALL schemasync.apply('rv_live', 'rv_next', jsonb_build_object(
    'skip', jsonb_build_array('rv_live.a_x'), 'allow_drops', true,
    'expected_fingerprint', :'before', 'lock_timeout', '2s', 'statement_timeout', 10000,
    'database', '^' || current_database() || '$'));
SELECT ordinal, ddl FROM schemasync.diff('rv_live', 'rv_next') ORDER BY ordinal;
-- its history row keeps the gate's snapshot as "before" (fingerprint and
-- model agree with the one reviewed) and the schema as it is now as "after"
SELECT fingerprint_before = :'before' AS before_is_reviewed,
       schemasync.model_fingerprint(before) = fingerprint_before AS before_consistent,
       fingerprint_after = rv_state() AS after_is_now,
       schemasync.model_fingerprint(after) = fingerprint_after AS after_consistent,
       before -> 'objects' <> after -> 'objects' AS changed
FROM schemasync.history WHERE 'rv_live' = ANY (schemas) ORDER BY id DESC LIMIT 1;

-- the rest, in create mode
CALL schemasync.apply('rv_live', 'rv_next', '{"mode": "create"}');
SELECT schemasync.check('rv_live', 'rv_next');

-- the inverse script from the snapshot taken before (history keeps it)
SELECT regexp_replace(regexp_replace(schemasync.script(
           (SELECT before FROM schemasync.history WHERE 'rv_live' = ANY (schemas) ORDER BY id LIMIT 1),
           '{"allow_drops": true}'),
       '-- generated: [^\n]*', '-- generated: (date)'),
       '-- fingerprint of the target before: [0-9a-f]*', '-- fingerprint of the target before: (fingerprint)') AS inverse_script;

-- timeouts must be valid settings
CALL schemasync.apply('rv_live', 'rv_next', '{"lock_timeout": "soon"}');
CALL schemasync.apply('rv_live', 'rv_next', '{"statement_timeout": true}');

-- renames are never guessed: without hints, a rename is a drop and a create
CREATE SCHEMA rn_live;
CREATE SCHEMA rn_next;
CREATE TABLE rn_live.users (id int PRIMARY KEY, fullname text, email text CONSTRAINT users_email_key UNIQUE);
CREATE TABLE rn_live.orders (id int PRIMARY KEY, user_id int REFERENCES rn_live.users);
CREATE INDEX orders_user ON rn_live.orders (user_id);
INSERT INTO rn_live.users VALUES (1, 'Ada', 'ada@example.com');
CREATE TABLE rn_next.customers (id int CONSTRAINT users_pkey PRIMARY KEY, name text, email text CONSTRAINT customers_email_key UNIQUE);
CREATE TABLE rn_next.orders (id int PRIMARY KEY, user_id int REFERENCES rn_next.customers);
CREATE INDEX orders_customer ON rn_next.orders (user_id);
SELECT ordinal, ddl, destructive FROM schemasync.diff('rn_live', 'rn_next') ORDER BY ordinal;
-- with hints: table, column, index and constraint renamed, nothing dropped
\set hints '{"renames": {"rn_live.users": "customers", "rn_live.users.fullname": "name", "rn_live.orders_user": "orders_customer", "rn_live.users.users_email_key": "customers_email_key"}}'
SELECT ordinal, kind, identity, ddl, destructive, lock FROM schemasync.diff('rn_live', 'rn_next', :'hints') ORDER BY ordinal;
-- the model path takes the same hints
SELECT count(*) AS model_rows FROM schemasync.diff(schemasync.snapshot(ARRAY['rn_next']),
    jsonb_build_object('schema_map', jsonb_build_object('rn_next', 'rn_live')) || :'hints'::jsonb);
CALL schemasync.apply('rn_live', 'rn_next', :'hints');
SELECT * FROM rn_live.customers;
SELECT count(*) AS left FROM schemasync.diff('rn_live', 'rn_next');
-- hints that do not fit are errors
SELECT * FROM schemasync.diff('rn_live', 'rn_next', '{"renames": {"rn_live.nothing": "x"}}');
SELECT * FROM schemasync.diff('rn_live', 'rn_next', '{"renames": {"rn_live.customers": "orders"}}');
SELECT * FROM schemasync.diff('rn_live', 'rn_next', '{"renames": {"other.customers": "x"}}');
SELECT * FROM schemasync.diff('rn_live', 'rn_next', '{"renames": {"rn_live.customers": 5}}');
SELECT * FROM schemasync.diff('rn_live', 'rn_next', '{"renames": {"rn_live.customers": "customers"}}');
DROP SCHEMA rn_live, rn_next CASCADE;

-- hints for the other kinds: a type, a view, a materialized view, a routine,
-- a trigger, a policy and a collation renamed, nothing re-created
CREATE SCHEMA rk_live;
CREATE SCHEMA rk_next;
SET search_path = rk_live;
CREATE COLLATION ci (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE mood AS ENUM ('sad', 'ok');
CREATE TABLE t (id int PRIMARY KEY, m mood, name text COLLATE ci);
INSERT INTO t VALUES (1, 'ok', 'Ada');
CREATE FUNCTION plus(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
CREATE VIEW v AS SELECT id, plus(id) AS next FROM t;
CREATE MATERIALIZED VIEW mv AS SELECT id FROM v;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER t_touch BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY own ON t USING (id > 0);
SET search_path = rk_next;
CREATE COLLATION nocase (provider = icu, locale = 'und-u-ks-level2', deterministic = false);
CREATE TYPE feeling AS ENUM ('sad', 'ok');
CREATE TABLE t (id int PRIMARY KEY, m feeling, name text COLLATE nocase);
CREATE FUNCTION succ(i int) RETURNS int LANGUAGE sql IMMUTABLE AS 'SELECT i + 1';
CREATE VIEW w AS SELECT id, succ(id) AS next FROM t;
CREATE MATERIALIZED VIEW mw AS SELECT id FROM w;
CREATE FUNCTION touch() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';
CREATE TRIGGER t_touched BEFORE UPDATE ON t FOR EACH ROW EXECUTE FUNCTION touch();
CREATE POLICY mine ON t USING (id > 0);
RESET search_path;
SELECT count(*) AS rows_without_hints, bool_or(destructive) AS destructive
FROM schemasync.diff('rk_live', 'rk_next');
\set khints '{"renames": {"rk_live.mood": "feeling", "rk_live.v": "w", "rk_live.mv": "mw", "rk_live.plus(integer)": "succ", "rk_live.t.t_touch": "t_touched", "rk_live.t.own": "mine", "rk_live.ci": "nocase"}}'
SELECT ordinal, kind, identity, ddl, destructive, lock FROM schemasync.diff('rk_live', 'rk_next', :'khints') ORDER BY ordinal;
CALL schemasync.apply('rk_live', 'rk_next', :'khints');
SELECT * FROM rk_live.t;
SELECT count(*) AS left FROM schemasync.diff('rk_live', 'rk_next');
-- a new name another object of the namespace holds, and a routine's key
SELECT * FROM schemasync.diff('rk_live', 'rk_next', '{"renames": {"rk_live.w": "t"}}');
SELECT * FROM schemasync.diff('rk_live', 'rk_next', '{"renames": {"rk_live.succ": "plus"}}');
SET client_min_messages = warning;
DROP SCHEMA rk_live, rk_next CASCADE;
RESET client_min_messages;

DROP FUNCTION rv_state();
DROP SCHEMA rv_live, rv_next CASCADE;
