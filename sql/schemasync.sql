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

-- A stable hash of the model of some schemas: equal models, equal hashes.
CREATE FUNCTION schemasync.fingerprint(schemas text[] DEFAULT NULL, options jsonb DEFAULT '{}')
RETURNS text
LANGUAGE sql VOLATILE
SET search_path = pg_catalog
AS $$
    SELECT encode(sha256(convert_to((schemasync.snapshot(schemas, options) - 'server_version_num')::text, 'UTF8')), 'hex')
$$;

COMMENT ON FUNCTION schemasync.fingerprint(text[], jsonb) IS
    'SHA-256 of the snapshot of the listed schemas (server version left out), hex';

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

-- Nothing here is for everyone: the extension is not trusted, and its
-- functions only do what the caller's own rights allow.
