/*
 * test/bench/generate.sql: a deterministic generator of realistic schemas
 * for the schemasync benchmark, and a mutation mode.
 *
 * Load it into a database with psql (it needs nothing but PostgreSQL):
 *
 *     psql -d DB -f test/bench/generate.sql
 *
 * It creates (or replaces) the schema schemasync_bench with:
 *
 *   CALL schemasync_bench.generate(schema, n, seed DEFAULT 1,
 *                                  with_unmodeled DEFAULT false,
 *                                  batch DEFAULT 500);
 *       Fills schema `schema` (created if missing, else it must hold no
 *       relation, like a fresh database's public) with n tables; the
 *       same (n, seed, with_unmodeled) always gives the same schema, whatever
 *       the schema's name.  Commits every `batch` tables, so call it outside
 *       a transaction block (plain psql autocommit); use batch => 0 to run
 *       it in the caller's transaction instead.
 *
 *   CALL schemasync_bench.mutate(schema, seed, pct DEFAULT 1.0);
 *       Changes about pct% of the schema's objects (tables, columns,
 *       constraints, indexes, sequences), in varied ways chosen by seed:
 *       add/drop/retype columns, defaults, NOT NULL, identity kind,
 *       add/drop/redefine indexes, CHECK, UNIQUE and FK constraints,
 *       comments, sequences, new and dropped tables.  Each change is
 *       logged in schemasync_bench.mutation_log; above 1%, where a table is
 *       chosen more than once, a change that names what an earlier one took
 *       away (or made already) is logged with kind 'skipped'.
 *
 *   schemasync_bench.object_count(schema) -> bigint
 *       The number of objects the mutation percentage is taken of.
 *
 * Every table i (named t00001 ... with the width of n) has:
 *   - an identity primary key (ALWAYS, or BY DEFAULT for one table in 5,
 *     some with sequence options);
 *   - mixed column types: varchar, text, numeric, integer, boolean,
 *     timestamptz, plus 0 to 12 of jsonb, uuid, date, smallint, double
 *     precision, bytea, text[], inet, interval, char(3), timestamp(3),
 *     varying by table; defaults (constants, now(), arrays) and NOT NULL;
 *   - one table in 4: a stored generated column;
 *   - one table in 10: a standalone sequence used by a column default;
 *   - one table in 3: a UNIQUE constraint; one in 40: an EXCLUDE constraint
 *     (gist over a range);
 *   - one CHECK constraint (five variants), and in one table in 5 a second
 *     one added NOT VALID;
 *   - a FOREIGN KEY to an earlier table (every table but the first), with
 *     varied ON DELETE and deferrability;
 *   - two secondary indexes: a plain one (varied columns, order, method)
 *     and a partial or expression one;
 *   - a comment on the table and on one or two columns.
 *
 * with_unmodeled => true (the name is historical: these kinds are modeled
 * now, and run.sh turns it on unless --tables-only) adds, in proportion:
 * per 25 tables an enum used by a column of those tables; per 10 tables a
 * view joining a table to its parent, a SQL function (SQL-standard body)
 * and a PL/pgSQL function (unqualified table names, so two schemas of
 * different names hold equal bodies); per 20 tables a trigger (with its
 * PL/pgSQL trigger function).  Mutations then also touch views, functions,
 * enums and triggers.
 *
 * Determinism comes from hashtextextended(), never from random(), so each
 * property of each object depends on (seed, object, property) only.
 */

\set ON_ERROR_STOP 1
SET client_min_messages = warning;

DROP SCHEMA IF EXISTS schemasync_bench CASCADE;
CREATE SCHEMA schemasync_bench;
COMMENT ON SCHEMA schemasync_bench IS 'schemasync benchmark: schema generator and mutator (test/bench/generate.sql)';

-- A deterministic pseudo-random integer in [0, m) for (seed, i, salt).
CREATE FUNCTION schemasync_bench.r(seed int, i int, salt text, m int)
RETURNS int
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT ((hashtextextended(salt || ':' || i, seed) & 2147483647) % m)::int $$;

-- The name of table i in a schema of n tables: t001 .. t100, t00001 ...
CREATE FUNCTION schemasync_bench.tname(i int, n int)
RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE
AS $$ SELECT 't' || lpad(i::text, greatest(3, length(n::text)), '0') $$;

-- Extra columns: each table gets each of these with probability 1/3.
CREATE FUNCTION schemasync_bench.extra_columns()
RETURNS TABLE (k int, col text, decl text)
LANGUAGE sql IMMUTABLE
AS $$
    VALUES
        (1,  'note',         'text'),
        (2,  'payload',      'jsonb NOT NULL DEFAULT ''{}''::jsonb'),
        (3,  'external_ref', 'uuid'),
        (4,  'due_on',       'date'),
        (5,  'priority',     'smallint NOT NULL DEFAULT 0'),
        (6,  'ratio',        'double precision'),
        (7,  'blob',         'bytea'),
        (8,  'tags',         'text[] DEFAULT ''{}''::text[]'),
        (9,  'client_ip',    'inet'),
        (10, 'duration',     'interval DEFAULT ''00:05:00''::interval'),
        (11, 'currency',     'character(3) NOT NULL DEFAULT ''EUR''::bpchar'),
        (12, 'updated_at',   'timestamp(3) without time zone')
$$;

/*
 * The statements that create table i (of n) in schema s, in order.  The
 * table's FK points to an earlier table, so creating tables in order of i
 * always works.  Statements qualify every name with the schema.
 */
CREATE FUNCTION schemasync_bench.table_ddl(s text, i int, n int, seed int,
                                           with_unmodeled boolean DEFAULT false,
                                           tab text DEFAULT NULL, parent_tab text DEFAULT NULL)
RETURNS text[]
LANGUAGE plpgsql STABLE
AS $fn$
DECLARE
    R constant text := 'schemasync_bench';
    t text := coalesce(tab, schemasync_bench.tname(i, n));
    qt text := format('%I.%I', s, t);
    stmts text[] := '{}';
    cols text[] := '{}';
    cons text[] := '{}';
    e record;
    parent int;
    x int;
    g int;
    has_code_unique boolean := false;
    extras text[] := '{}';
BEGIN
    -- a standalone sequence for one table in 10, used by a default below
    IF i % 10 = 0 THEN
        stmts := stmts || format('CREATE SEQUENCE %I.%I AS bigint INCREMENT BY %s START WITH %s CACHE %s',
                                 s, t || '_seq_no', 1 + schemasync_bench.r(seed, i, 'seqinc', 3),
                                 1 + 1000 * schemasync_bench.r(seed, i, 'seqstart', 5),
                                 1 + 19 * schemasync_bench.r(seed, i, 'seqcache', 2));
    END IF;
    -- an enum per 25 tables (unmodeled kinds)
    IF with_unmodeled AND tab IS NULL AND (i - 1) % 25 = 0 THEN
        stmts := stmts || format('CREATE TYPE %I.%I AS ENUM (''new'', ''active'', ''suspended'', ''archived'')',
                                 s, 'status_' || ((i - 1) / 25 + 1));
    END IF;

    -- identity primary key
    x := schemasync_bench.r(seed, i, 'ident', 10);
    cols := cols || CASE
        WHEN x < 2 THEN 'id bigint GENERATED BY DEFAULT AS IDENTITY'
        WHEN x = 2 THEN 'id bigint GENERATED ALWAYS AS IDENTITY (START WITH 1000 INCREMENT BY 10)'
        WHEN x = 3 THEN 'id integer GENERATED ALWAYS AS IDENTITY'
        ELSE 'id bigint GENERATED ALWAYS AS IDENTITY' END;
    cons := cons || format('CONSTRAINT %I PRIMARY KEY (id)', t || '_pkey');

    IF i > 1 THEN
        cols := cols || 'parent_id bigint'::text;
    END IF;
    cols := cols || format('name character varying(%s) NOT NULL',
                           (ARRAY[40, 80, 120, 200])[1 + schemasync_bench.r(seed, i, 'namelen', 4)]);
    cols := cols || CASE schemasync_bench.r(seed, i, 'codetype', 3)
        WHEN 0 THEN 'code text' WHEN 1 THEN 'code character varying(32)' ELSE 'code text COLLATE "C"' END;
    cols := cols || format('amount numeric(%s,2) NOT NULL DEFAULT 0',
                           (ARRAY[10, 12, 14])[1 + schemasync_bench.r(seed, i, 'amountp', 3)]);
    cols := cols || CASE schemasync_bench.r(seed, i, 'qty', 3)
        WHEN 0 THEN 'qty integer NOT NULL DEFAULT 1' WHEN 1 THEN 'qty integer DEFAULT 1' ELSE 'qty integer' END;
    cols := cols || 'active boolean NOT NULL DEFAULT true'::text;
    cols := cols || 'created_at timestamp with time zone NOT NULL DEFAULT now()'::text;
    FOR e IN SELECT * FROM schemasync_bench.extra_columns() ORDER BY k LOOP
        IF schemasync_bench.r(seed, i, 'extra' || e.k, 3) = 0 THEN
            cols := cols || (e.col || ' ' || e.decl);
            extras := extras || e.col;
        END IF;
    END LOOP;
    IF schemasync_bench.r(seed, i, 'generated', 4) = 0 THEN
        cols := cols || 'total numeric GENERATED ALWAYS AS (amount * coalesce(qty, 0)) STORED'::text;
    END IF;
    IF i % 10 = 0 THEN
        cols := cols || format('seq_no bigint NOT NULL DEFAULT nextval(%L::regclass)',
                               format('%I.%I', s, t || '_seq_no'));
    END IF;
    IF with_unmodeled AND tab IS NULL THEN
        cols := cols || format('status %I.%I NOT NULL DEFAULT ''new''', s, 'status_' || ((i - 1) / 25 + 1));
    END IF;

    -- CHECK constraints
    cons := cons || format('CONSTRAINT %I CHECK (%s)', t || '_check',
        (ARRAY['amount >= 0', 'qty > 0', 'length(name::text) > 0',
               'amount >= 0 AND coalesce(qty, 0) >= 0',
               'created_at > ''2000-01-01 00:00:00+00''::timestamptz'])
        [1 + schemasync_bench.r(seed, i, 'check', 5)]);
    -- UNIQUE
    x := schemasync_bench.r(seed, i, 'unique', 6);
    IF x = 0 THEN
        cons := cons || format('CONSTRAINT %I UNIQUE (code)', t || '_code_key');
        has_code_unique := true;
    ELSIF x = 1 AND i > 1 THEN
        cons := cons || format('CONSTRAINT %I UNIQUE (parent_id, name)', t || '_parent_id_name_key');
    END IF;
    -- EXCLUDE (gist over a range): one table in 40
    IF schemasync_bench.r(seed, i, 'exclude', 40) = 0 THEN
        cols := cols || 'during tstzrange'::text;
        cons := cons || format('CONSTRAINT %I EXCLUDE USING gist (during WITH &&)', t || '_during_excl');
    END IF;
    -- FOREIGN KEY to an earlier table
    IF i > 1 THEN
        parent := 1 + schemasync_bench.r(seed, i, 'parent', least(i - 1, 50)) + greatest(0, i - 51);
        IF schemasync_bench.r(seed, i, 'parentfar', 4) = 0 THEN
            parent := 1 + schemasync_bench.r(seed, i, 'parentany', i - 1);
        END IF;
        cons := cons || format('CONSTRAINT %I FOREIGN KEY (parent_id) REFERENCES %I.%I (id)%s',
            t || '_parent_id_fkey', s, coalesce(parent_tab, schemasync_bench.tname(parent, n)),
            (ARRAY['', ' ON DELETE CASCADE', ' ON DELETE SET NULL', ' ON UPDATE CASCADE',
                   ' DEFERRABLE INITIALLY DEFERRED'])[1 + schemasync_bench.r(seed, i, 'fkaction', 5)]);
    END IF;

    stmts := stmts || format(E'CREATE TABLE %s (\n    %s\n)', qt,
                             array_to_string(cols || cons, E',\n    '));

    -- a second CHECK, added NOT VALID (as on a live table), one table in 5
    IF schemasync_bench.r(seed, i, 'check2', 5) = 0 THEN
        stmts := stmts || format('ALTER TABLE %s ADD CONSTRAINT %I CHECK (code IS NULL OR code <> '''') NOT VALID',
                                 qt, t || '_code_check');
    END IF;

    -- secondary index 1: plain
    stmts := stmts || CASE schemasync_bench.r(seed, i, 'idx1', 6)
        WHEN 0 THEN format('CREATE INDEX %I ON %s (name)', t || '_name_idx', qt)
        WHEN 1 THEN format('CREATE INDEX %I ON %s (created_at DESC)', t || '_created_at_idx', qt)
        WHEN 2 THEN format('CREATE INDEX %I ON %s (active, created_at)', t || '_active_created_at_idx', qt)
        WHEN 3 THEN format('CREATE INDEX %I ON %s USING hash (code)', t || '_code_idx', qt)
        WHEN 4 THEN format('CREATE INDEX %I ON %s USING brin (created_at)', t || '_created_at_idx', qt)
        ELSE format('CREATE INDEX %I ON %s (name, amount) INCLUDE (qty)', t || '_name_amount_idx', qt) END;
    -- secondary index 2: partial or on an expression
    stmts := stmts || CASE schemasync_bench.r(seed, i, 'idx2', 6)
        WHEN 0 THEN format('CREATE INDEX %I ON %s (lower((name)::text))', t || '_lower_name_idx', qt)
        WHEN 1 THEN format('CREATE INDEX %I ON %s (created_at) WHERE active', t || '_active_idx', qt)
        WHEN 2 THEN format('CREATE INDEX %I ON %s (amount) WHERE amount > 0::numeric', t || '_positive_idx', qt)
        WHEN 3 THEN format('CREATE INDEX %I ON %s (upper(code)) WHERE code IS NOT NULL', t || '_upper_code_idx', qt)
        WHEN 4 THEN CASE WHEN has_code_unique
                         THEN format('CREATE INDEX %I ON %s (abs(amount))', t || '_abs_amount_idx', qt)
                         ELSE format('CREATE UNIQUE INDEX %I ON %s (code) WHERE active', t || '_code_active_key', qt) END
        ELSE format('CREATE INDEX %I ON %s ((amount * 100::numeric), id)', t || '_amount_expr_idx', qt) END;
    -- a GIN index where there is a tags or payload column, one time in 2
    IF 'tags' = ANY (extras) AND schemasync_bench.r(seed, i, 'gin', 2) = 0 THEN
        stmts := stmts || format('CREATE INDEX %I ON %s USING gin (tags)', t || '_tags_idx', qt);
    ELSIF 'payload' = ANY (extras) AND schemasync_bench.r(seed, i, 'gin', 2) = 0 THEN
        stmts := stmts || format('CREATE INDEX %I ON %s USING gin (payload jsonb_path_ops)', t || '_payload_idx', qt);
    END IF;
    IF i % 10 = 0 AND schemasync_bench.r(seed, i, 'seqowned', 2) = 0 THEN
        stmts := stmts || format('ALTER SEQUENCE %I.%I OWNED BY %s.seq_no', s, t || '_seq_no', qt);
    END IF;

    -- comments
    stmts := stmts || format('COMMENT ON TABLE %s IS %L', qt,
        (ARRAY['Customer accounts', 'Orders placed by customers', 'Line items', 'Audit trail',
               'Inventory per warehouse', 'Invoices', 'Shipments', 'Product catalogue'])
        [1 + schemasync_bench.r(seed, i, 'tcomment', 8)] || ' (' || t || ')');
    stmts := stmts || format('COMMENT ON COLUMN %s.name IS %L', qt, 'Display name, ' || t);
    IF schemasync_bench.r(seed, i, 'ccomment', 3) = 0 THEN
        stmts := stmts || format('COMMENT ON COLUMN %s.amount IS %L', qt, 'Amount in the table''s currency');
    END IF;

    -- unmodeled kinds: views, SQL and PL/pgSQL functions, triggers
    IF with_unmodeled AND tab IS NULL THEN
        IF i > 1 AND i % 10 = 5 THEN
            stmts := stmts || format(
                'CREATE VIEW %I.%I AS SELECT c.id, c.name, c.amount, p.name AS parent_name '
                'FROM %s c LEFT JOIN %I.%I p ON p.id = c.parent_id WHERE c.active',
                s, 'v_' || t, qt, s, schemasync_bench.tname(parent, n));
        END IF;
        IF i % 10 = 3 THEN
            stmts := stmts || format(
                'CREATE FUNCTION %I.%I(p_id bigint) RETURNS numeric LANGUAGE sql STABLE '
                'RETURN (SELECT amount FROM %s WHERE id = p_id)', s, t || '_amount', qt);
        END IF;
        IF i % 10 = 7 THEN
            stmts := stmts || format(
                'CREATE FUNCTION %I.%I(p_name text, p_limit integer DEFAULT 10) RETURNS SETOF bigint '
                'LANGUAGE plpgsql STABLE AS $b$ BEGIN RETURN QUERY SELECT id FROM %I '
                'WHERE name = p_name ORDER BY id LIMIT p_limit; END $b$', s, t || '_find', t);
        END IF;
        IF i % 20 = 9 THEN
            stmts := stmts || format(
                'CREATE FUNCTION %I.%I() RETURNS trigger LANGUAGE plpgsql AS $b$ BEGIN '
                'IF NEW.amount < 0 THEN RAISE EXCEPTION ''negative amount''; END IF; RETURN NEW; END $b$',
                s, t || '_guard');
            stmts := stmts || format(
                'CREATE TRIGGER %I BEFORE INSERT OR UPDATE ON %s FOR EACH ROW EXECUTE FUNCTION %I.%I()',
                t || '_guard', qt, s, t || '_guard');
        END IF;
    END IF;
    RETURN stmts;
END
$fn$;

CREATE PROCEDURE schemasync_bench.generate(s text, n int, seed int DEFAULT 1,
                                           with_unmodeled boolean DEFAULT false,
                                           batch int DEFAULT 500)
LANGUAGE plpgsql
AS $fn$
DECLARE
    stmt text;
BEGIN
    IF n < 1 THEN
        RAISE EXCEPTION 'n must be at least 1';
    END IF;
    IF to_regnamespace(quote_ident(s)) IS NULL THEN
        EXECUTE format('CREATE SCHEMA %I', s);
    ELSIF EXISTS (SELECT FROM pg_class c WHERE c.relnamespace = to_regnamespace(quote_ident(s))) THEN
        RAISE EXCEPTION 'schema % is not empty', s;
    END IF;
    FOR i IN 1 .. n LOOP
        FOREACH stmt IN ARRAY schemasync_bench.table_ddl(s, i, n, seed, with_unmodeled) LOOP
            EXECUTE stmt;
        END LOOP;
        IF batch > 0 AND i % batch = 0 THEN
            COMMIT;
        END IF;
    END LOOP;
END
$fn$;

COMMENT ON PROCEDURE schemasync_bench.generate(text, int, int, boolean, int) IS
    'Creates schema s with n tables, deterministically from (n, seed, with_unmodeled)';

CREATE FUNCTION schemasync_bench.object_count(s text)
RETURNS bigint
LANGUAGE sql STABLE
AS $$
    SELECT (SELECT count(*) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = s AND c.relkind IN ('r', 'p', 'i', 'S', 'v', 'm'))
         + (SELECT count(*) FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
                JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = s AND c.relkind IN ('r', 'p') AND a.attnum > 0 AND NOT a.attisdropped)
         + (SELECT count(*) FROM pg_constraint k JOIN pg_namespace n ON n.oid = k.connamespace
            WHERE n.nspname = s AND k.contype IN ('c', 'f', 'x'))
$$;

CREATE TABLE schemasync_bench.mutation_log (
    schema_name text NOT NULL,
    seq int NOT NULL,
    tab text NOT NULL,
    kind text NOT NULL,
    detail text NOT NULL
);

/*
 * Changes about pct% of the objects of schema s (as counted by
 * object_count) in varied ways chosen by seed: one change per chosen
 * table, drops of tables last.  Runs in one transaction.
 */
CREATE PROCEDURE schemasync_bench.mutate(s text, seed int, pct numeric DEFAULT 1.0)
LANGUAGE plpgsql
SET client_min_messages = warning
AS $fn$
DECLARE
    kinds constant text[] := ARRAY[
        'add_column', 'drop_column', 'alter_type', 'set_default', 'drop_default',
        'set_not_null', 'drop_not_null', 'add_index', 'drop_index', 'redefine_index',
        'change_check', 'drop_fk', 'add_fk', 'change_fk', 'add_unique', 'comment',
        'drop_comment', 'identity', 'sequence', 'new_table', 'drop_table',
        'view', 'function', 'enum', 'trigger'];
    nk int;
    total int;
    n int;
    k int := 0;
    tabs text[];
    t text;
    qt text;
    kind text;
    detail text;
    pick int;
    col text;
    idx text;
    con text;
    other text;
    has_unmodeled boolean;
    stmt text;
    drops text[] := '{}';
BEGIN
    total := greatest(1, round(schemasync_bench.object_count(s) * pct / 100.0));
    SELECT array_agg(c.relname ORDER BY schemasync_bench.r(seed, 0, c.relname, 1000000007), c.relname)
      INTO tabs
      FROM pg_class c JOIN pg_namespace ns ON ns.oid = c.relnamespace
     WHERE ns.nspname = s AND c.relkind = 'r' AND c.relname ~ '^t[0-9]+$';
    n := coalesce(array_length(tabs, 1), 0);
    IF n = 0 THEN
        RAISE EXCEPTION 'schema % has no generated tables', s;
    END IF;
    has_unmodeled := EXISTS (SELECT FROM pg_type ty JOIN pg_namespace ns ON ns.oid = ty.typnamespace
                             WHERE ns.nspname = s AND ty.typtype = 'e');
    nk := CASE WHEN has_unmodeled THEN array_length(kinds, 1) ELSE array_length(kinds, 1) - 4 END;
    DELETE FROM schemasync_bench.mutation_log WHERE schema_name = s;

    FOR m IN 1 .. total LOOP
        t := tabs[1 + (m - 1) % n];
        qt := format('%I.%I', s, t);
        kind := kinds[1 + schemasync_bench.r(seed, m, 'kind', nk)];
        detail := NULL;
        stmt := NULL;
        pick := schemasync_bench.r(seed, m, 'pick', 1000);

        IF kind = 'add_column' THEN
            col := 'added_' || m;
            detail := (ARRAY['text', 'integer DEFAULT 0', 'boolean NOT NULL DEFAULT false',
                             'timestamp with time zone', 'numeric(8,3)', 'jsonb'])[1 + pick % 6];
            stmt := format('ALTER TABLE %s ADD COLUMN %I %s', qt, col, detail);
            detail := col || ' ' || detail;
        ELSIF kind = 'drop_column' THEN
            -- an extra column, else code (used by no view)
            SELECT a.attname INTO col FROM pg_attribute a
             WHERE a.attrelid = qt::regclass AND a.attnum > 0 AND NOT a.attisdropped
               AND a.attname IN (SELECT e.col FROM schemasync_bench.extra_columns() e)
             ORDER BY a.attnum LIMIT 1;
            col := coalesce(col, 'code');
            stmt := format('ALTER TABLE %s DROP COLUMN %I CASCADE', qt, col);
            detail := col;
        ELSIF kind = 'alter_type' THEN
            -- amount and qty feed the generated column total; views use name and amount
            CASE pick % 4
                WHEN 0 THEN col := 'qty'; detail := 'bigint';
                WHEN 1 THEN col := 'code'; detail := 'character varying(64)';
                WHEN 2 THEN col := 'amount'; detail := 'numeric(16,4)';
                ELSE col := 'name'; detail := 'text';
            END CASE;
            IF (col IN ('amount', 'qty') AND EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = qt::regclass
                                                     AND a.attname = 'total' AND NOT a.attisdropped))
               OR (col IN ('amount', 'name') AND has_unmodeled) THEN
                col := 'code'; detail := 'character varying(64)';
            END IF;
            stmt := format('ALTER TABLE %s ALTER COLUMN %I TYPE %s', qt, col, detail);
            detail := col || ' ' || detail;
        ELSIF kind = 'set_default' THEN
            CASE pick % 3
                WHEN 0 THEN stmt := format('ALTER TABLE %s ALTER COLUMN qty SET DEFAULT 5', qt); detail := 'qty 5';
                WHEN 1 THEN stmt := format('ALTER TABLE %s ALTER COLUMN active SET DEFAULT false', qt); detail := 'active false';
                ELSE stmt := format('ALTER TABLE %s ALTER COLUMN code SET DEFAULT %L', qt, 'C-' || m); detail := 'code';
            END CASE;
        ELSIF kind = 'drop_default' THEN
            col := (ARRAY['amount', 'active', 'created_at'])[1 + pick % 3];
            stmt := format('ALTER TABLE %s ALTER COLUMN %I DROP DEFAULT', qt, col);
            detail := col;
        ELSIF kind = 'set_not_null' THEN
            col := (ARRAY['code', 'qty'])[1 + pick % 2];
            stmt := format('ALTER TABLE %s ALTER COLUMN %I SET NOT NULL', qt, col);
            detail := col;
        ELSIF kind = 'drop_not_null' THEN
            col := (ARRAY['name', 'amount', 'created_at'])[1 + pick % 3];
            stmt := format('ALTER TABLE %s ALTER COLUMN %I DROP NOT NULL', qt, col);
            detail := col;
        ELSIF kind = 'add_index' THEN
            idx := t || '_added_' || m || '_idx';
            stmt := format((ARRAY['CREATE INDEX %I ON %s (qty)',
                                  'CREATE INDEX %I ON %s (code, created_at DESC)',
                                  'CREATE INDEX %I ON %s (created_at) WHERE NOT active',
                                  'CREATE UNIQUE INDEX %I ON %s (id, name)'])[1 + pick % 4], idx, qt);
            detail := idx;
        ELSIF kind IN ('drop_index', 'redefine_index') THEN
            SELECT ic.relname INTO idx FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
             WHERE x.indrelid = qt::regclass
               AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid)
             ORDER BY ic.relname LIMIT 1 OFFSET pick % 2;
            IF idx IS NULL THEN
                SELECT ic.relname INTO idx FROM pg_index x JOIN pg_class ic ON ic.oid = x.indexrelid
                 WHERE x.indrelid = qt::regclass
                   AND NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conindid = x.indexrelid)
                 ORDER BY ic.relname LIMIT 1;
            END IF;
            IF idx IS NULL THEN
                kind := 'comment';
            ELSIF kind = 'drop_index' THEN
                stmt := format('DROP INDEX %I.%I', s, idx);
                detail := idx;
            ELSE
                stmt := format('DROP INDEX %I.%I; CREATE INDEX %I ON %s (name) WHERE amount > %s',
                               s, idx, idx, qt, pick);
                detail := idx || ' now partial on name';
            END IF;
        ELSIF kind = 'change_check' THEN
            con := t || '_check';
            stmt := format('ALTER TABLE %s DROP CONSTRAINT %I; ALTER TABLE %s ADD CONSTRAINT %I CHECK (%s)',
                           qt, con, qt, con,
                           (ARRAY['amount >= 0 AND amount < 1000000', 'created_at > ''2010-01-01 00:00:00+00''::timestamptz',
                                  'length(name::text) > 1'])[1 + pick % 3]);
            detail := con;
        ELSIF kind IN ('drop_fk', 'change_fk') THEN
            con := t || '_parent_id_fkey';
            IF NOT EXISTS (SELECT FROM pg_constraint k WHERE k.conrelid = qt::regclass AND k.conname = con) THEN
                kind := 'comment';
            ELSIF kind = 'drop_fk' THEN
                stmt := format('ALTER TABLE %s DROP CONSTRAINT %I', qt, con);
                detail := con;
            ELSE
                SELECT format('%I.%I', ns.nspname, pc.relname) INTO other
                  FROM pg_constraint k JOIN pg_class pc ON pc.oid = k.confrelid
                  JOIN pg_namespace ns ON ns.oid = pc.relnamespace
                 WHERE k.conrelid = qt::regclass AND k.conname = con;
                stmt := format('ALTER TABLE %s DROP CONSTRAINT %I; ALTER TABLE %s ADD CONSTRAINT %I '
                               'FOREIGN KEY (parent_id) REFERENCES %s (id) ON DELETE RESTRICT',
                               qt, con, qt, con, other);
                detail := con || ' on delete restrict';
            END IF;
        ELSIF kind = 'add_fk' THEN
            other := tabs[1 + (m + 1 + pick) % n];
            IF other = t THEN
                other := tabs[1 + m % n];
            END IF;
            col := 'ref_' || m;
            stmt := format('ALTER TABLE %s ADD COLUMN %I bigint; ALTER TABLE %s ADD CONSTRAINT %I '
                           'FOREIGN KEY (%I) REFERENCES %I.%I (id)',
                           qt, col, qt, t || '_' || col || '_fkey', col, s, other);
            detail := col || ' -> ' || other;
        ELSIF kind = 'add_unique' THEN
            con := t || '_uq_' || m;
            stmt := format('ALTER TABLE %s ADD CONSTRAINT %I UNIQUE (id, created_at)', qt, con);
            detail := con;
        ELSIF kind = 'identity' THEN
            IF pick % 2 = 0 THEN
                stmt := format('ALTER TABLE %s ALTER COLUMN id SET INCREMENT BY 7', qt);
                detail := 'increment 7';
            ELSIF EXISTS (SELECT FROM pg_attribute a WHERE a.attrelid = qt::regclass
                          AND a.attname = 'id' AND a.attidentity = 'a') THEN
                stmt := format('ALTER TABLE %s ALTER COLUMN id SET GENERATED BY DEFAULT', qt);
                detail := 'by default';
            ELSE
                stmt := format('ALTER TABLE %s ALTER COLUMN id SET GENERATED ALWAYS', qt);
                detail := 'always';
            END IF;
        ELSIF kind = 'sequence' THEN
            IF pick % 2 = 0 AND to_regclass(format('%I.%I', s, t || '_seq_no')) IS NOT NULL THEN
                stmt := format('ALTER SEQUENCE %I.%I INCREMENT BY 50 MAXVALUE 900000000', s, t || '_seq_no');
                detail := t || '_seq_no altered';
            ELSE
                stmt := format('CREATE SEQUENCE %I.%I START WITH %s', s, 'added_seq_' || m, 10 + pick);
                detail := 'added_seq_' || m;
            END IF;
        ELSIF kind = 'new_table' THEN
            other := 'tnew' || lpad(m::text, 5, '0');
            -- a table like the generated ones, its FK to a table of the schema
            SELECT string_agg(x, '; ') INTO stmt
              FROM unnest(schemasync_bench.table_ddl(s, 1000000 + m, 1000000, seed, false,
                                                     other, tabs[1 + (m + 7) % n])) AS x;
            detail := other;
        ELSIF kind = 'drop_table' THEN
            drops := drops || qt;
            detail := t;
        ELSIF kind = 'view' THEN
            SELECT format('%I.%I', ns.nspname, c.relname) INTO other FROM pg_class c
              JOIN pg_namespace ns ON ns.oid = c.relnamespace
             WHERE ns.nspname = s AND c.relkind = 'v'
               -- not one an earlier mutation changed already
               AND pg_get_viewdef(c.oid) NOT LIKE '%LIMIT 1000%'
             ORDER BY schemasync_bench.r(seed, m, c.relname, 1000) LIMIT 1;
            IF other IS NULL THEN kind := 'comment';
            ELSE
                SELECT format('CREATE OR REPLACE VIEW %s AS %s', other,
                              rtrim(pg_get_viewdef(other::regclass), ';') || ' LIMIT 1000') INTO stmt;
                detail := other;
            END IF;
        ELSIF kind = 'function' THEN
            SELECT p.oid::regprocedure::text INTO other FROM pg_proc p
              JOIN pg_namespace ns ON ns.oid = p.pronamespace
             WHERE ns.nspname = s AND p.prorettype <> 'trigger'::regtype
             ORDER BY schemasync_bench.r(seed, m, p.proname, 1000) LIMIT 1;
            IF other IS NULL THEN kind := 'comment';
            ELSE
                stmt := format('ALTER FUNCTION %s COST 500', other);
                detail := other;
            END IF;
        ELSIF kind = 'enum' THEN
            SELECT format('%I.%I', ns.nspname, ty.typname) INTO other FROM pg_type ty
              JOIN pg_namespace ns ON ns.oid = ty.typnamespace
             WHERE ns.nspname = s AND ty.typtype = 'e'
             ORDER BY schemasync_bench.r(seed, m, ty.typname, 1000) LIMIT 1;
            IF other IS NULL THEN kind := 'comment';
            ELSE
                stmt := format('ALTER TYPE %s ADD VALUE IF NOT EXISTS %L', other, 'added_' || m);
                detail := other;
            END IF;
        ELSIF kind = 'trigger' THEN
            SELECT format('DROP TRIGGER %I ON %I.%I', tg.tgname, ns.nspname, c.relname) INTO stmt
              FROM pg_trigger tg JOIN pg_class c ON c.oid = tg.tgrelid
              JOIN pg_namespace ns ON ns.oid = c.relnamespace
             WHERE ns.nspname = s AND NOT tg.tgisinternal
             ORDER BY schemasync_bench.r(seed, m, tg.tgname, 1000) LIMIT 1;
            IF stmt IS NULL THEN kind := 'comment'; ELSE detail := stmt; END IF;
        ELSIF kind = 'drop_comment' THEN
            stmt := format('COMMENT ON TABLE %s IS NULL', qt);
            detail := t;
        END IF;

        IF kind = 'comment' THEN
            IF pick % 2 = 0 THEN
                stmt := format('COMMENT ON TABLE %s IS %L', qt, 'Changed by mutation ' || m);
            ELSE
                stmt := format('COMMENT ON COLUMN %s.code IS %L', qt, 'Code, changed by mutation ' || m);
            END IF;
            detail := coalesce(detail, t);
        END IF;

        -- above 1%, a table is chosen again and an earlier change may have
        -- taken away (or already made) what this one names: logged as skipped
        BEGIN
            IF stmt IS NOT NULL THEN
                EXECUTE stmt;
            END IF;
        EXCEPTION WHEN undefined_column OR undefined_object OR undefined_table
                    OR duplicate_column OR duplicate_object OR duplicate_table THEN
            detail := kind || ': ' || SQLERRM;
            kind := 'skipped';
        END;
        INSERT INTO schemasync_bench.mutation_log VALUES (s, m, t, kind, coalesce(detail, ''));
    END LOOP;

    FOREACH qt IN ARRAY drops LOOP
        IF to_regclass(qt) IS NOT NULL THEN
            EXECUTE format('DROP TABLE %s CASCADE', qt);
        END IF;
    END LOOP;
END
$fn$;

COMMENT ON PROCEDURE schemasync_bench.mutate(text, int, numeric) IS
    'Changes about pct% of the objects of schema s, in ways chosen by seed (logged in mutation_log)';

RESET client_min_messages;
