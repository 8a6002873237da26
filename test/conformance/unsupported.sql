-- test/conformance/unsupported.sql: the object kinds that schemasync does not
-- model yet and that are present in the given schemas.
--
-- Usage: psql -v schemas=s_old,s_new -At -f unsupported.sql
-- Prints one kind per line (sorted, distinct); no output means the schemas
-- hold only what the engine models (tables, columns, constraints, indexes,
-- sequences, views, materialized views, comments).  The conformance runner skips a case that prints
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

    -- defaults on view columns (ALTER VIEW ... ALTER COLUMN ... SET DEFAULT)
    UNION ALL SELECT 'view column default' FROM pg_catalog.pg_attrdef ad
        JOIN rel ON rel.oid = ad.adrelid WHERE rel.relkind = 'v'

    -- foreign tables
    UNION ALL SELECT 'foreign table' FROM rel WHERE relkind = 'f'

    -- partitions and inheritance children of a parent in another schema
    UNION ALL SELECT 'cross-schema inheritance' FROM pg_catalog.pg_inherits i
        JOIN rel ON rel.oid = i.inhrelid
        JOIN pg_catalog.pg_class p ON p.oid = i.inhparent
        WHERE p.relnamespace <> rel.relnamespace AND rel.relkind IN ('r', 'p')

    -- typed tables (CREATE TABLE ... OF type)
    UNION ALL SELECT 'typed table' FROM rel WHERE reloftype <> 0


    -- rules (the _RETURN rule of a view is part of the view)
    UNION ALL SELECT 'rule' FROM pg_catalog.pg_rewrite r
        JOIN rel ON rel.oid = r.ev_class WHERE r.rulename <> '_RETURN'

    -- user types that are not enums, domains, composite or range types
    -- (base and shell types); arrays come with their element type
    UNION ALL SELECT 'base type'
        FROM pg_catalog.pg_type t
        WHERE t.typnamespace IN (SELECT oid FROM sch)
          AND t.typtype NOT IN ('e', 'd', 'c', 'r', 'm')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type e WHERE e.typarray = t.oid)

    -- privileges and owners are modeled (options "privileges" and
    -- "owners", which the runner passes); what is not: default privileges
    -- of a whole database (not of a schema)
    UNION ALL SELECT 'global default privileges' FROM pg_catalog.pg_default_acl d
        WHERE d.defaclnamespace = 0

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
