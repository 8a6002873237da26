-- test/lib/fingerprint.sql: a schema-neutral text fingerprint of the
-- objects of one schema that schemasync models, read straight from pg_catalog
-- (independent of schemasync's own catalog reader).  Shared by the
-- pg_regress suites (test/regress/harness.sql) and the conformance runner.
--
-- Creates schema ss_test (when missing) and
--
--   ss_test.fingerprint(s text) RETURNS SETOF text
--
-- one sorted line per fact of schema s.  The function deparses with
-- search_path set to s only (restored when it returns): the server's
-- deparsers (pg_get_expr, pg_get_constraintdef, pg_get_indexdef, regclass
-- output) then write references to objects of the schema unqualified, so
-- the fingerprints of two schemas holding the same objects are equal text.
-- References to other schemas stay qualified.  The only schema name the
-- deparsers still write is the table of an index definition ("ON
-- schema.table"): removed.
--
-- The facts:
--   table       name, relkind, relpersistence, reloptions (sorted)
--   column      table, name, format_type, collation (when not the type's),
--               attnotnull, default (pg_get_expr), attidentity with the
--               identity sequence's parameters, attgenerated
--               (column ORDER, attnum, is deliberately not part of it; nor
--               attoptions, where this server keeps a random pg_attver=N)
--   constraint  table, name, pg_get_constraintdef
--   index       name, table, pg_get_indexdef, indisvalid (only indexes that
--               no PRIMARY KEY / UNIQUE / EXCLUDE constraint owns)
--   sequence    name, all pg_sequence parameters, relpersistence, OWNED BY
--               (identity sequences appear in their column instead)
--   comment     on each of the above (constraint indexes included)
--   rls         table, ENABLE and FORCE ROW LEVEL SECURITY flags (when set)
--   policy      table, name, command, permissive, roles, USING, WITH CHECK,
--               comment
--   collation   name, provider, lc_collate, lc_ctype, ICU locale,
--               deterministic, comment
--
-- A new object kind adds its facts here, as one more branch of "lines".

SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS ss_test;
RESET client_min_messages;

CREATE OR REPLACE FUNCTION ss_test.fingerprint(s text) RETURNS SETOF text
LANGUAGE plpgsql STABLE SET search_path = pg_catalog
AS $fingerprint$
DECLARE
    nsp oid := (SELECT oid FROM pg_catalog.pg_namespace WHERE nspname = s);
BEGIN
    IF nsp IS NULL THEN
        RAISE EXCEPTION 'schema "%" does not exist', s;
    END IF;
    -- local to this call: the SET clause restores search_path on return
    PERFORM pg_catalog.set_config('search_path', pg_catalog.quote_ident(s), true);
    RETURN QUERY
    WITH
    tab AS (
        SELECT c.oid, c.relname, c.relkind, c.relpersistence, c.reloptions
        FROM pg_catalog.pg_class c
        WHERE c.relnamespace = nsp AND c.relkind IN ('r', 'p')
    ),
    identity_seq AS (
        SELECT d.objid AS seqid, d.refobjid AS relid, d.refobjsubid AS attnum
        FROM pg_catalog.pg_depend d
        WHERE d.classid = 'pg_catalog.pg_class'::regclass
          AND d.refclassid = 'pg_catalog.pg_class'::regclass
          AND d.deptype = 'i' AND d.refobjsubid > 0
    ),
    seqparams AS (
        SELECT s.seqrelid,
               pg_catalog.format('type=%s start=%s increment=%s min=%s max=%s cache=%s cycle=%s',
                                 s.seqtypid::regtype, s.seqstart, s.seqincrement,
                                 s.seqmin, s.seqmax, s.seqcache, s.seqcycle) AS params
        FROM pg_catalog.pg_sequence s
    ),
    lines(line) AS (
        -- tables
        SELECT pg_catalog.format('table %s kind=%s persistence=%s options=%s',
                   pg_catalog.quote_ident(t.relname), t.relkind, t.relpersistence,
                   COALESCE((SELECT pg_catalog.string_agg(o, ',' ORDER BY o COLLATE "C")
                             FROM pg_catalog.unnest(t.reloptions) o), ''))
        FROM tab t

        -- columns
        UNION ALL
        SELECT pg_catalog.format('column %s.%s type=%s%s notnull=%s default=%s identity=%s%s generated=%s',
                   pg_catalog.quote_ident(t.relname), pg_catalog.quote_ident(a.attname),
                   pg_catalog.format_type(a.atttypid, a.atttypmod),
                   CASE WHEN a.attcollation <> ty.typcollation
                        THEN ' collate=' || a.attcollation::regcollation::text ELSE '' END,
                   a.attnotnull,
                   COALESCE(pg_catalog.pg_get_expr(ad.adbin, ad.adrelid), '-'),
                   COALESCE(NULLIF(a.attidentity, ''), '-'),
                   COALESCE(' (' || (SELECT sp.params FROM identity_seq i
                                     JOIN seqparams sp ON sp.seqrelid = i.seqid
                                     WHERE i.relid = a.attrelid AND i.attnum = a.attnum) || ')', ''),
                   COALESCE(NULLIF(a.attgenerated, ''), '-'))
        FROM tab t
        JOIN pg_catalog.pg_attribute a ON a.attrelid = t.oid
        JOIN pg_catalog.pg_type ty ON ty.oid = a.atttypid
        LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = a.attrelid AND ad.adnum = a.attnum
        WHERE a.attnum > 0 AND NOT a.attisdropped

        -- constraints
        UNION ALL
        SELECT pg_catalog.format('constraint %s.%s %s',
                   pg_catalog.quote_ident(t.relname), pg_catalog.quote_ident(k.conname),
                   pg_catalog.pg_get_constraintdef(k.oid))
        FROM tab t
        JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid

        -- indexes that no constraint owns
        UNION ALL
        SELECT pg_catalog.format('index %s on %s valid=%s %s',
                   pg_catalog.quote_ident(ic.relname), pg_catalog.quote_ident(t.relname),
                   i.indisvalid,
                   pg_catalog.replace(pg_catalog.replace(pg_catalog.pg_get_indexdef(i.indexrelid),
                       ' ON ONLY ' || pg_catalog.quote_ident(s) || '.', ' ON ONLY '),
                       ' ON ' || pg_catalog.quote_ident(s) || '.', ' ON '))
        FROM tab t
        JOIN pg_catalog.pg_index i ON i.indrelid = t.oid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k
                          WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid
                            AND k.contype IN ('p', 'u', 'x'))

        -- standalone sequences (identity sequences are part of their column)
        UNION ALL
        SELECT pg_catalog.format('sequence %s %s persistence=%s owned_by=%s',
                   pg_catalog.quote_ident(c.relname), sp.params, c.relpersistence,
                   COALESCE((SELECT pg_catalog.quote_ident(oc.relname) || '.' || pg_catalog.quote_ident(oa.attname)
                             FROM pg_catalog.pg_depend d
                             JOIN pg_catalog.pg_class oc ON oc.oid = d.refobjid
                             JOIN pg_catalog.pg_attribute oa ON oa.attrelid = d.refobjid AND oa.attnum = d.refobjsubid
                             WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid
                               AND d.refclassid = 'pg_catalog.pg_class'::regclass
                               AND d.deptype = 'a' AND d.refobjsubid > 0), '-'))
        FROM pg_catalog.pg_class c
        JOIN seqparams sp ON sp.seqrelid = c.oid
        WHERE c.relnamespace = nsp AND c.relkind = 'S'
          AND NOT EXISTS (SELECT 1 FROM identity_seq i WHERE i.seqid = c.oid)

        -- comments on tables, indexes, sequences (relations of the schema) and columns
        UNION ALL
        SELECT pg_catalog.format('comment %s %s%s = %L',
                   CASE WHEN d.objsubid <> 0 THEN 'column'
                        WHEN c.relkind = 'i' THEN 'index'
                        WHEN c.relkind = 'S' THEN 'sequence'
                        ELSE 'table' END,
                   pg_catalog.quote_ident(c.relname),
                   CASE WHEN d.objsubid <> 0 THEN '.' || pg_catalog.quote_ident(a.attname) ELSE '' END,
                   d.description)
        FROM pg_catalog.pg_description d
        JOIN pg_catalog.pg_class c ON c.oid = d.objoid
        LEFT JOIN pg_catalog.pg_attribute a ON a.attrelid = d.objoid AND a.attnum = d.objsubid
        WHERE d.classoid = 'pg_catalog.pg_class'::regclass
          AND c.relnamespace = nsp
          AND c.relkind IN ('r', 'p', 'i', 'I', 'S')

        -- comments on constraints
        UNION ALL
        SELECT pg_catalog.format('comment constraint %s.%s = %L',
                   pg_catalog.quote_ident(t.relname), pg_catalog.quote_ident(k.conname),
                   d.description)
        FROM tab t
        JOIN pg_catalog.pg_constraint k ON k.conrelid = t.oid
        JOIN pg_catalog.pg_description d
          ON d.classoid = 'pg_catalog.pg_constraint'::regclass AND d.objoid = k.oid

        -- row level security (tables) and policies: flags, command,
        -- permissive, roles (PUBLIC or names, sorted), USING, WITH CHECK,
        -- comment
        UNION ALL
        SELECT pg_catalog.format('rls %s enabled=%s forced=%s',
                   pg_catalog.quote_ident(t.relname), c.relrowsecurity, c.relforcerowsecurity)
        FROM tab t
        JOIN pg_catalog.pg_class c ON c.oid = t.oid
        WHERE c.relrowsecurity OR c.relforcerowsecurity
        UNION ALL
        SELECT pg_catalog.format('policy %s.%s cmd=%s permissive=%s roles=%s using=%s check=%s comment=%L',
                   pg_catalog.quote_ident(t.relname), pg_catalog.quote_ident(p.polname),
                   p.polcmd, p.polpermissive,
                   (SELECT pg_catalog.string_agg(rn, ',' ORDER BY rn COLLATE "C")
                    FROM pg_catalog.unnest(p.polroles) r,
                         LATERAL (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END) x(rn)),
                   COALESCE(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '-'),
                   COALESCE(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '-'),
                   (SELECT d.description FROM pg_catalog.pg_description d
                    WHERE d.classoid = 'pg_catalog.pg_policy'::regclass AND d.objoid = p.oid))
        FROM tab t
        JOIN pg_catalog.pg_policy p ON p.polrelid = t.oid

        -- collations: provider, locale (libc: lc_collate and lc_ctype; icu:
        -- the ICU locale), deterministic; comments on collations
        UNION ALL
        SELECT pg_catalog.format('collation %s provider=%s collate=%s ctype=%s locale=%s deterministic=%s comment=%L',
                   pg_catalog.quote_ident(co.collname), co.collprovider,
                   COALESCE(co.collcollate, '-'), COALESCE(co.collctype, '-'),
                   COALESCE(pg_catalog.to_jsonb(co) ->> 'colliculocale',
                            pg_catalog.to_jsonb(co) ->> 'colllocale', '-'),
                   co.collisdeterministic,
                   (SELECT d.description FROM pg_catalog.pg_description d
                    WHERE d.classoid = 'pg_catalog.pg_collation'::regclass AND d.objoid = co.oid))
        FROM pg_catalog.pg_collation co
        WHERE co.collnamespace = nsp
    )
    SELECT line FROM lines ORDER BY line COLLATE "C";
END
$fingerprint$;
