/*
 * schemasync install script.
 *
 * Creates the public API of the extension in schema schemasync: the row type
 * that diff() returns and the SQL-callable entry points implemented in C.
 * Everything runs with the caller's rights (SECURITY INVOKER, the default).
 */

\echo Use "CREATE EXTENSION schemasync" to load this file. \quit

-- One statement of a migration, as returned by schemasync.diff().
CREATE TYPE schemasync.change AS (
    ordinal         integer,    -- 1..n, the order in which the statements apply
    kind            text,       -- object kind: table, column, constraint, ...
    identity        text,       -- qualified, quoted identity in the target
    action          text,       -- create, alter, drop, replace
    ddl             text,       -- one complete SQL statement ending in ';'
    destructive     boolean,    -- true when the statement can lose data
    hazards         text[],     -- documented vocabulary, see docs/hazards.md
    lock            text,       -- strongest table lock taken, or NULL
    transactional   boolean,    -- false when it cannot run in a transaction
    depends_on      integer[],  -- ordinals of the rows this one must follow
    reason          text        -- why the statement is there, in words
);

COMMENT ON TYPE schemasync.change IS
    'One statement of a schemasync migration: what it does, in what order, with what risk';

-- Schema against a reference schema in the same database.
CREATE FUNCTION schemasync.diff(target text, reference text, options jsonb DEFAULT '{}')
RETURNS SETOF schemasync.change
AS 'MODULE_PATHNAME', 'schemasync_diff_schema'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION schemasync.diff(text, text, jsonb) IS
    'Statements that make schema target equal to schema reference, in an order that applies';

CREATE PROCEDURE schemasync.apply(target text, reference text, options jsonb DEFAULT '{}')
AS 'MODULE_PATHNAME', 'schemasync_apply_schema'
LANGUAGE C;

COMMENT ON PROCEDURE schemasync.apply(text, text, jsonb) IS
    'Runs schemasync.diff(target, reference) in the caller''s transaction, then verifies that nothing is left';

-- The current database against a JSONB model.
CREATE FUNCTION schemasync.snapshot(schemas text[] DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS jsonb
AS 'MODULE_PATHNAME', 'schemasync_snapshot'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION schemasync.snapshot(text[], jsonb) IS
    'The model of the listed schemas (or of the whole database) as JSONB';

CREATE FUNCTION schemasync.diff(model jsonb, options jsonb DEFAULT '{}')
RETURNS SETOF schemasync.change
AS 'MODULE_PATHNAME', 'schemasync_diff_model'
LANGUAGE C VOLATILE;

COMMENT ON FUNCTION schemasync.diff(jsonb, jsonb) IS
    'Statements that make the current database equal to a schemasync model';

CREATE PROCEDURE schemasync.apply(model jsonb, options jsonb DEFAULT '{}')
AS 'MODULE_PATHNAME', 'schemasync_apply_model'
LANGUAGE C;

COMMENT ON PROCEDURE schemasync.apply(jsonb, jsonb) IS
    'Runs schemasync.diff(model) in the caller''s transaction, then verifies that nothing is left';

-- A stable hash of a model: equal models, equal hashes, whatever the schema
-- names (each object's schema is replaced by its place in "schemas"), the
-- server version, and the order of columns (which diff does not compare).
CREATE FUNCTION schemasync.model_fingerprint(model jsonb)
RETURNS text
AS 'MODULE_PATHNAME', 'schemasync_model_fingerprint'
LANGUAGE C IMMUTABLE STRICT;

COMMENT ON FUNCTION schemasync.model_fingerprint(jsonb) IS
    'SHA-256 (hex) of a model, schema names and server version left out';

CREATE FUNCTION schemasync.fingerprint(schemas text[] DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS text
LANGUAGE sql VOLATILE
SET search_path = pg_catalog
AS $$
    SELECT schemasync.model_fingerprint(schemasync.snapshot(schemas, options))
$$;

COMMENT ON FUNCTION schemasync.fingerprint(text[], jsonb) IS
    'The model_fingerprint of the snapshot of the listed schemas';

-- One row per successful apply, unless told not to ("history": false).
-- Rolling a sync back: CALL schemasync.apply((SELECT before FROM schemasync.history WHERE id = ...), '{"allow_drops": true}').
CREATE TABLE schemasync.history (
    id                  bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    applied_at          timestamptz NOT NULL DEFAULT now(),
    applied_by          text NOT NULL DEFAULT current_user,
    database            text NOT NULL DEFAULT current_database(),
    schemas             text[] NOT NULL,
    desired             text NOT NULL,
    before              jsonb NOT NULL,
    after               jsonb NOT NULL,
    statements          text[] NOT NULL,
    fingerprint_before  text NOT NULL,
    fingerprint_after   text NOT NULL
);

COMMENT ON TABLE schemasync.history IS
    'One row per successful schemasync.apply: the models before and after, and the statements run';

-- The two models of a row are megabytes at a thousand tables: lz4 stores
-- them about twice as fast as the default pglz, and smaller, where the
-- server has it (PostgreSQL 14 on, built with lz4); else the default stays.
DO $$
BEGIN
    EXECUTE 'ALTER TABLE schemasync.history'
            ' ALTER COLUMN before SET COMPRESSION lz4,'
            ' ALTER COLUMN after SET COMPRESSION lz4';
EXCEPTION WHEN feature_not_supported OR syntax_error THEN
    NULL;
END
$$;

SELECT pg_catalog.pg_extension_config_dump('schemasync.history', '');

-- Roll a sync back: apply the model recorded before it.
CREATE PROCEDURE schemasync.rollback(history_id bigint, options jsonb DEFAULT '{}')
LANGUAGE plpgsql
AS $$
DECLARE
    model jsonb;
BEGIN
    SELECT h.before INTO model FROM schemasync.history h WHERE h.id = history_id;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'schemasync history row % does not exist', history_id
            USING ERRCODE = 'no_data_found',
                  HINT = 'SELECT id, applied_at, schemas FROM schemasync.history ORDER BY id DESC;';
    END IF;
    CALL schemasync.apply(model, options);
END
$$;

COMMENT ON PROCEDURE schemasync.rollback(bigint, jsonb) IS
    'Applies the model recorded before the apply of a schemasync.history row';

-- apply runs with the caller's rights, so every caller records its row
GRANT SELECT, INSERT ON schemasync.history TO PUBLIC;
GRANT USAGE ON SCHEMA schemasync TO PUBLIC;

-- CI check: silent when in sync, else an error whose detail lists the
-- differences, so psql -v ON_ERROR_STOP=1 fails a pipeline.
CREATE FUNCTION schemasync.check_rows(rows schemasync.change[], what text)
RETURNS void
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    n integer := coalesce(array_length(rows, 1), 0);
    detail text;
BEGIN
    IF n = 0 THEN
        RETURN;
    END IF;
    SELECT string_agg(format('%s: %s', r.ordinal, r.ddl), E'\n' ORDER BY r.ordinal)
    INTO detail FROM unnest(rows) r;
    RAISE EXCEPTION 'schemasync.check: % differs by % statement%', what, n, CASE WHEN n = 1 THEN '' ELSE 's' END
        USING ERRCODE = 'object_not_in_prerequisite_state',
              DETAIL = detail,
              HINT = 'Review with schemasync.diff(), sync with CALL schemasync.apply().';
END
$$;

COMMENT ON FUNCTION schemasync.check_rows(schemasync.change[], text) IS
    'Internal: the error of schemasync.check()';

CREATE FUNCTION schemasync."check"(target text, reference text, options jsonb DEFAULT '{}')
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog
AS $$
    SELECT schemasync.check_rows(ARRAY(SELECT d FROM schemasync.diff(target, reference, options) d ORDER BY d.ordinal),
                                 format('schema %I (against %I)', target, reference))
$$;

COMMENT ON FUNCTION schemasync."check"(text, text, jsonb) IS
    'Raises an error listing the differences unless schema target equals schema reference';

CREATE FUNCTION schemasync."check"(model jsonb, options jsonb DEFAULT '{}')
RETURNS void
LANGUAGE sql
SET search_path = pg_catalog
AS $$
    SELECT schemasync.check_rows(ARRAY(SELECT d FROM schemasync.diff(model, options) d ORDER BY d.ordinal),
                                 'the database (against the model)')
$$;

COMMENT ON FUNCTION schemasync."check"(jsonb, jsonb) IS
    'Raises an error listing the differences unless the database matches the model';

-- A reviewable migration script, for psql -v ON_ERROR_STOP=1 -f.
CREATE FUNCTION schemasync.script_text(rows schemasync.change[], source text, targets text[], fingerprint text)
RETURNS text
LANGUAGE plpgsql
SET search_path = pg_catalog
AS $$
DECLARE
    r schemasync.change;
    out text;
    path text := NULL;
    t text;
    late text := '';
BEGIN
    out := format(E'-- schemasync migration script\n'
                  '-- source: %s\n'
                  '-- target: schema %s of database %s\n'
                  '-- fingerprint of the target before: %s\n'
                  '-- generated: %s\n'
                  '-- statements: %s\n'
                  '-- Run it with: psql -v ON_ERROR_STOP=1 -f this_file\n\n',
                  source, array_to_string(targets, ', '), quote_ident(current_database()),
                  fingerprint, to_char(now() AT TIME ZONE 'UTC', 'YYYY-MM-DD HH24:MI:SS "UTC"'),
                  coalesce(array_length(rows, 1), 0));
    -- a statement the others need committed (an enum label a new partition
    -- is bound by) runs first, in a transaction of its own
    FOREACH r IN ARRAY coalesce(rows, '{}') LOOP
        CONTINUE WHEN NOT 'commit_first' = ANY (r.hazards);
        out := out || format(E'-- [%s] %s %s %s; hazards: %s\n'
                             '-- committed before the others: %s\n'
                             'BEGIN;\n',
                             r.ordinal, r.action, r.kind, r.identity,
                             array_to_string(r.hazards, ', '), r.reason);
        FOREACH t IN ARRAY targets LOOP
            IF starts_with(r.identity, quote_ident(t) || '.') THEN
                out := out || format(E'SET LOCAL search_path = %I;\n', t);
            END IF;
        END LOOP;
        out := out || format(E'%s\nCOMMIT;\n\n', r.ddl);
    END LOOP;
    out := out || E'BEGIN;\n';
    -- routine bodies are checked by the verification, not while creating
    -- them: a SQL function may name a table created later (as apply does)
    IF EXISTS (SELECT 1 FROM unnest(rows) x WHERE x.kind = 'function') THEN
        out := out || E'SET LOCAL check_function_bodies = off;\n';
    END IF;
    FOREACH r IN ARRAY coalesce(rows, '{}') LOOP
        CONTINUE WHEN 'commit_first' = ANY (r.hazards);
        -- the statements name objects of their target schema unqualified
        FOREACH t IN ARRAY targets LOOP
            IF starts_with(r.identity, quote_ident(t) || '.') AND path IS DISTINCT FROM t THEN
                path := t;
                out := out || format(E'SET LOCAL search_path = %I;\n', t);
            END IF;
        END LOOP;
        IF r.transactional THEN
            out := out || format(E'\n-- [%s] %s %s %s%s%s%s\n%s\n',
                                 r.ordinal, r.action, r.kind, r.identity,
                                 CASE WHEN r.destructive THEN '; DESTRUCTIVE' ELSE '' END,
                                 CASE WHEN cardinality(r.hazards) > 0 THEN '; hazards: ' || array_to_string(r.hazards, ', ') ELSE '' END,
                                 CASE WHEN r.lock IS NOT NULL THEN '; lock: ' || r.lock ELSE '' END,
                                 r.ddl);
        ELSE
            late := late || format(E'\n-- [%s] %s %s %s\n-- WARNING: cannot run inside a transaction block\n%s\n',
                                   r.ordinal, r.action, r.kind, r.identity, r.ddl);
        END IF;
    END LOOP;
    RETURN out || E'\nCOMMIT;\n' || late;
END
$$;

COMMENT ON FUNCTION schemasync.script_text(schemasync.change[], text, text[], text) IS
    'Internal: the text of schemasync.script()';

CREATE FUNCTION schemasync.script(target text, reference text, options jsonb DEFAULT '{}')
RETURNS text
LANGUAGE sql
SET search_path = pg_catalog
AS $$
    SELECT schemasync.script_text(ARRAY(SELECT d FROM schemasync.diff(target, reference, options) d ORDER BY d.ordinal),
                                  format('schema %I', reference), ARRAY[target],
                                  schemasync.fingerprint(ARRAY[target], options - ARRAY['allow_drops', 'only', 'skip', 'kinds', 'pattern', 'mode', 'database', 'lock_timeout', 'statement_timeout', 'expected_fingerprint', 'history', 'verbose', 'schema_map']))
$$;

COMMENT ON FUNCTION schemasync.script(text, text, jsonb) IS
    'The migration from schema target to schema reference as one reviewable script';

CREATE FUNCTION schemasync.script(model jsonb, options jsonb DEFAULT '{}')
RETURNS text
LANGUAGE sql
SET search_path = pg_catalog
AS $$
    WITH targets AS (
        SELECT array_agg(coalesce(options -> 'schema_map' ->> s, s) ORDER BY o) AS t
        FROM jsonb_array_elements_text(model -> 'schemas') WITH ORDINALITY AS x(s, o)
    )
    SELECT schemasync.script_text(ARRAY(SELECT d FROM schemasync.diff(model, options) d ORDER BY d.ordinal),
                                  'a model', targets.t,
                                  schemasync.fingerprint(targets.t, options - ARRAY['allow_drops', 'only', 'skip', 'kinds', 'pattern', 'mode', 'database', 'lock_timeout', 'statement_timeout', 'expected_fingerprint', 'history', 'verbose', 'schema_map']))
    FROM targets
$$;

COMMENT ON FUNCTION schemasync.script(jsonb, jsonb) IS
    'The migration from the database to a model as one reviewable script (from a snapshot taken before: the inverse)';

-- Nothing here is for everyone: the extension is not trusted, and its
-- functions only do what the caller's own rights allow.
