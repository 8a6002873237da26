-- test/conformance/unsupported.sql: the object kinds that schemasync does not
-- model yet and that are present in the given schemas.
--
-- Usage: psql -v schemas=s_old,s_new -At -f unsupported.sql
-- Prints one kind per line (sorted, distinct); no output means the schemas
-- hold only what the engine models (tables, columns, constraints, indexes,
-- sequences, comments).  The conformance runner skips a case that prints
-- anything, and names the kinds in the skip reason.
--
-- This is THE list of unmodeled kinds, read from the catalog after loading
-- (never by grepping SQL).  When the engine learns a kind, delete its block
-- below (each block is one "UNION ALL SELECT ..." with its comment) and let
-- the corpus tell whether the kind really works.

WITH sch AS (
    SELECT n.oid, n.nspname, n.nspowner, n.nspacl
    FROM pg_catalog.pg_namespace n
    WHERE n.nspname = ANY (pg_catalog.string_to_array(:'schemas', ','))
),
rel AS (
    SELECT c.* FROM pg_catalog.pg_class c WHERE c.relnamespace IN (SELECT oid FROM sch)
),
found(kind) AS (
    SELECT NULL::text WHERE false

    -- views
    UNION ALL SELECT 'view' FROM rel WHERE relkind = 'v'

    -- materialized views
    UNION ALL SELECT 'materialized view' FROM rel WHERE relkind = 'm'

    -- foreign tables
    UNION ALL SELECT 'foreign table' FROM rel WHERE relkind = 'f'

    -- partitioned tables and partitions
    UNION ALL SELECT 'partitioned table' FROM rel WHERE relkind = 'p'
    UNION ALL SELECT 'partition' FROM rel WHERE relispartition

    -- table inheritance (partitions excluded: reported above)
    UNION ALL SELECT 'inheritance' FROM pg_catalog.pg_inherits i
        JOIN rel ON rel.oid = i.inhrelid WHERE NOT rel.relispartition

    -- typed tables (CREATE TABLE ... OF type)
    UNION ALL SELECT 'typed table' FROM rel WHERE reloftype <> 0

    -- user triggers (not the internal ones of foreign keys)
    UNION ALL SELECT 'trigger' FROM pg_catalog.pg_trigger t
        JOIN rel ON rel.oid = t.tgrelid WHERE NOT t.tgisinternal

    -- rules (the _RETURN rule of a view is part of the view)
    UNION ALL SELECT 'rule' FROM pg_catalog.pg_rewrite r
        JOIN rel ON rel.oid = r.ev_class WHERE r.rulename <> '_RETURN'

    -- functions, procedures, aggregates
    UNION ALL SELECT CASE p.prokind WHEN 'p' THEN 'procedure'
                                    WHEN 'a' THEN 'aggregate'
                                    ELSE 'function' END
        FROM pg_catalog.pg_proc p WHERE p.pronamespace IN (SELECT oid FROM sch)

    -- user types: everything but the row types of relations that are not
    -- composite types, and arrays (an array comes with its element type,
    -- which is reported itself)
    UNION ALL SELECT CASE t.typtype WHEN 'e' THEN 'enum type'
                                    WHEN 'd' THEN 'domain'
                                    WHEN 'c' THEN 'composite type'
                                    WHEN 'r' THEN 'range type'
                                    WHEN 'm' THEN 'range type'
                                    ELSE 'base type' END
        FROM pg_catalog.pg_type t
        LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
        WHERE t.typnamespace IN (SELECT oid FROM sch)
          AND (t.typrelid = 0 OR tc.relkind = 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)

    -- privileges: ACLs on the schemas and their objects, default privileges
    UNION ALL SELECT 'privileges' FROM sch WHERE nspacl IS NOT NULL
    UNION ALL SELECT 'privileges' FROM rel WHERE relacl IS NOT NULL
    UNION ALL SELECT 'privileges' FROM pg_catalog.pg_attribute a
        JOIN rel ON rel.oid = a.attrelid WHERE a.attacl IS NOT NULL
    UNION ALL SELECT 'privileges' FROM pg_catalog.pg_proc p
        WHERE p.pronamespace IN (SELECT oid FROM sch) AND p.proacl IS NOT NULL
    UNION ALL SELECT 'privileges' FROM pg_catalog.pg_type t
        WHERE t.typnamespace IN (SELECT oid FROM sch) AND t.typacl IS NOT NULL
    UNION ALL SELECT 'default privileges' FROM pg_catalog.pg_default_acl d
        WHERE d.defaclnamespace = 0 OR d.defaclnamespace IN (SELECT oid FROM sch)

    -- owners: relations, functions or types not owned by the schema's owner
    UNION ALL SELECT 'owner' FROM rel JOIN sch ON sch.oid = rel.relnamespace
        WHERE rel.relowner <> sch.nspowner
    UNION ALL SELECT 'owner' FROM pg_catalog.pg_proc p JOIN sch ON sch.oid = p.pronamespace
        WHERE p.proowner <> sch.nspowner
    UNION ALL SELECT 'owner' FROM pg_catalog.pg_type t JOIN sch ON sch.oid = t.typnamespace
        WHERE t.typowner <> sch.nspowner

    -- extensions installed into the schemas
    UNION ALL SELECT 'extension' FROM pg_catalog.pg_extension x
        WHERE x.extnamespace IN (SELECT oid FROM sch)

    -- operators, operator classes and families
    UNION ALL SELECT 'operator' FROM pg_catalog.pg_operator o
        WHERE o.oprnamespace IN (SELECT oid FROM sch)
    UNION ALL SELECT 'operator class' FROM pg_catalog.pg_opclass o
        WHERE o.opcnamespace IN (SELECT oid FROM sch)
    UNION ALL SELECT 'operator family' FROM pg_catalog.pg_opfamily o
        WHERE o.opfnamespace IN (SELECT oid FROM sch)

    -- text search objects and conversions
    UNION ALL SELECT 'text search configuration' FROM pg_catalog.pg_ts_config o
        WHERE o.cfgnamespace IN (SELECT oid FROM sch)
    UNION ALL SELECT 'text search dictionary' FROM pg_catalog.pg_ts_dict o
        WHERE o.dictnamespace IN (SELECT oid FROM sch)
    UNION ALL SELECT 'conversion' FROM pg_catalog.pg_conversion o
        WHERE o.connamespace IN (SELECT oid FROM sch)

    -- extended statistics
    UNION ALL SELECT 'statistics' FROM pg_catalog.pg_statistic_ext s
        WHERE s.stxnamespace IN (SELECT oid FROM sch)

    -- publications of the schemas or their tables
    UNION ALL SELECT 'publication' FROM pg_catalog.pg_publication_rel p
        JOIN rel ON rel.oid = p.prrelid
    UNION ALL SELECT 'publication' FROM pg_catalog.pg_publication_namespace p
        WHERE p.pnnspid IN (SELECT oid FROM sch)

    -- event triggers (database-wide)
    UNION ALL SELECT 'event trigger' FROM pg_catalog.pg_event_trigger
)
SELECT DISTINCT kind FROM found ORDER BY kind;
