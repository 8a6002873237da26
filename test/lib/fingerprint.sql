-- test/lib/fingerprint.sql: a schema-neutral text fingerprint of the
-- objects of one schema that schemasync models, read straight from pg_catalog
-- (independent of schemasync's own catalog reader).  Shared by the
-- pg_regress suites (test/regress/harness.sql) and the conformance runner.
--
-- Creates schema ss_test (when missing) and
--
--   ss_test.fingerprint(s text) RETURNS SETOF text
--
-- one sorted line per fact of schema s, and
--
--   ss_test.fingerprint_diff(a text, b text) RETURNS SETOF text
--
-- where the fingerprints of schemas a and b differ: each line of a's that b
-- lacks as "-line", each of b's that a lacks as "+line" (as many times as
-- it is missing), sorted; no rows when the two schemas are equal.  The function deparses with
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
--   type        enum labels in order; domain base type, collation, default,
--               NOT NULL; composite attributes in order (type, collation);
--               range subtype, opclass, collation, canonical, subdiff,
--               multirange
--   domain constraint  domain, name, pg_get_constraintdef
--   routine     name(argument types), pg_get_functiondef without its own
--               schema qualifier; an aggregate's pg_aggregate fields
--   trigger     table, name, tgenabled, pretty pg_get_triggerdef
--   view        views and materialized views: name, relkind, reloptions
--               (sorted), relispopulated, pg_get_viewdef; indexes on
--               materialized views
--   privilege   the ACL of the schema, of each relation (an identity
--               sequence under its table and column, whatever its name),
--               column (with an ACL), routine and type: (grantee, privilege, grantable)
--               sets, a NULL ACL read as its owner's defaults (acldefault)
--               and the owner's own entries as (owner)
--   owner       of the schema, each relation, routine and type
--   default privilege  each pg_default_acl row of the schema
--   partitioning  partition key; parent and bound of each partition;
--               parents of each inheritance child, in order
--   rls         table, ENABLE and FORCE ROW LEVEL SECURITY flags (when set)
--   policy      table, name, command, permissive, roles, USING, WITH CHECK
--   collation   name, provider, lc_collate, lc_ctype, ICU locale,
--               deterministic
--   extension   name, version (of those installed in the schema)
--   comment     on every object above that can have one (relations,
--               columns and composite attributes, constraints of tables and
--               domains, types, routines, triggers, policies, collations)
--
-- A new object kind adds its facts here, as one more branch of "lines".

SET client_min_messages = warning;
CREATE SCHEMA IF NOT EXISTS ss_test;
RESET client_min_messages;

-- ss_test.acl_text(acl, owner): an ACL as its sorted (grantee=privilege,
-- * when grantable) set; PUBLIC for grantee 0 and "(owner)" for the given
-- owner's own entries, so that the text does not depend on who owns the
-- object; '-' for an empty ACL
CREATE OR REPLACE FUNCTION ss_test.acl_text(acl pg_catalog.aclitem[], owner oid) RETURNS text
LANGUAGE sql STABLE SET search_path = pg_catalog
AS $acl$
    SELECT COALESCE(pg_catalog.string_agg(e.line, ',' ORDER BY e.line COLLATE "C"), '-')
    FROM (SELECT pg_catalog.format('%s=%s%s',
                     CASE WHEN x.grantee = 0 THEN 'PUBLIC'
                          WHEN x.grantee = owner THEN '(owner)'
                          ELSE pg_catalog.pg_get_userbyid(x.grantee)::text END,
                     x.privilege_type,
                     CASE WHEN pg_catalog.bool_or(x.is_grantable) THEN '*' ELSE '' END) AS line
          FROM pg_catalog.aclexplode(acl) x
          GROUP BY x.grantee, x.privilege_type) e
$acl$;

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
    -- a routine's name, qualified unless it is of the schema (regproc
    -- would qualify one of the schema that pg_catalog has a namesake of)
    pn(oid, name) AS (
        SELECT p.oid,
               CASE WHEN p.pronamespace = nsp THEN '' ELSE pg_catalog.quote_ident(n.nspname) || '.' END
               || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')'
        FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
    ),
    -- privileges and owners: every object that has an ACL (NULL read as the
    -- owner's defaults, acldefault), the owner's own entries written as
    -- (owner) so that the ACL line does not depend on who owns the object
    acl_object(what, name, owner, acl) AS (
        SELECT 'schema', '-', n.nspowner, COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner))
        FROM pg_catalog.pg_namespace n WHERE n.oid = nsp
        UNION ALL
        -- an identity sequence by its column, whatever it is called
        SELECT CASE WHEN ia.attname IS NOT NULL THEN 'identity sequence'
                    WHEN c.relkind = 'S' THEN 'sequence' ELSE 'relation' END,
               CASE WHEN ia.attname IS NOT NULL
                    THEN pg_catalog.quote_ident(it.relname) || '.' || pg_catalog.quote_ident(ia.attname)
                    ELSE pg_catalog.quote_ident(c.relname) END,
               c.relowner,
               COALESCE(c.relacl, pg_catalog.acldefault(CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::"char", c.relowner))
        FROM pg_catalog.pg_class c
        LEFT JOIN identity_seq i ON i.seqid = c.oid
        LEFT JOIN pg_catalog.pg_class it ON it.oid = i.relid
        LEFT JOIN pg_catalog.pg_attribute ia ON ia.attrelid = i.relid AND ia.attnum = i.attnum
        WHERE c.relnamespace = nsp AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')
        UNION ALL
        SELECT 'column', pg_catalog.quote_ident(c.relname) || '.' || pg_catalog.quote_ident(a.attname),
               c.relowner, a.attacl
        FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = nsp AND a.attnum > 0 AND NOT a.attisdropped AND a.attacl IS NOT NULL
        UNION ALL
        SELECT 'routine', p.oid::pg_catalog.regprocedure::text, p.proowner,
               COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner))
        FROM pg_catalog.pg_proc p WHERE p.pronamespace = nsp
        UNION ALL
        SELECT 'type', pg_catalog.format_type(t.oid, NULL), t.typowner,
               COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner))
        FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid
        WHERE t.typnamespace = nsp AND (t.typrelid = 0 OR tc.relkind = 'c')
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type el WHERE el.typarray = t.oid)
    ),
    -- every object of the schema that can carry a comment, with the label
    -- its comment line is written under
    named(classoid, objoid, objsubid, label) AS (
        SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, 0,
               CASE WHEN c.relkind IN ('i', 'I') THEN 'index'
                    WHEN c.relkind = 'S' THEN 'sequence'
                    WHEN c.relkind IN ('v', 'm') THEN 'view'
                    ELSE 'table' END || ' ' || pg_catalog.quote_ident(c.relname)
        FROM pg_catalog.pg_class c
        WHERE c.relnamespace = nsp AND c.relkind IN ('r', 'p', 'i', 'I', 'S', 'v', 'm')
        UNION ALL
        SELECT 'pg_catalog.pg_class'::pg_catalog.regclass, c.oid, a.attnum,
               'column ' || pg_catalog.quote_ident(c.relname) || '.' || pg_catalog.quote_ident(a.attname)
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
        WHERE c.relnamespace = nsp AND c.relkind IN ('r', 'p', 'v', 'm', 'c')
          AND a.attnum > 0 AND NOT a.attisdropped
        UNION ALL
        SELECT 'pg_catalog.pg_constraint'::pg_catalog.regclass, k.oid, 0,
               'constraint ' || pg_catalog.quote_ident(COALESCE(c.relname, t.typname))
               || '.' || pg_catalog.quote_ident(k.conname)
        FROM pg_catalog.pg_constraint k
        LEFT JOIN pg_catalog.pg_class c ON c.oid = k.conrelid
        LEFT JOIN pg_catalog.pg_type t ON t.oid = k.contypid
        WHERE k.connamespace = nsp
        UNION ALL
        SELECT 'pg_catalog.pg_type'::pg_catalog.regclass, t.oid, 0, 'type ' || pg_catalog.quote_ident(t.typname)
        FROM pg_catalog.pg_type t WHERE t.typnamespace = nsp
        UNION ALL
        SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass, p.oid, 0,
               'routine ' || pg_catalog.quote_ident(p.proname) || '(' || pg_catalog.oidvectortypes(p.proargtypes) || ')'
        FROM pg_catalog.pg_proc p WHERE p.pronamespace = nsp
        UNION ALL
        SELECT 'pg_catalog.pg_trigger'::pg_catalog.regclass, tg.oid, 0,
               'trigger ' || pg_catalog.quote_ident(c.relname) || '.' || pg_catalog.quote_ident(tg.tgname)
        FROM pg_catalog.pg_trigger tg JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
        WHERE c.relnamespace = nsp
        UNION ALL
        SELECT 'pg_catalog.pg_policy'::pg_catalog.regclass, p.oid, 0,
               'policy ' || pg_catalog.quote_ident(c.relname) || '.' || pg_catalog.quote_ident(p.polname)
        FROM pg_catalog.pg_policy p JOIN pg_catalog.pg_class c ON c.oid = p.polrelid
        WHERE c.relnamespace = nsp
        UNION ALL
        SELECT 'pg_catalog.pg_collation'::pg_catalog.regclass, co.oid, 0,
               'collation ' || pg_catalog.quote_ident(co.collname)
        FROM pg_catalog.pg_collation co WHERE co.collnamespace = nsp
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

        -- user types: enums (labels in order), domains (base type, collation,
        -- default, NOT NULL, CHECK constraints with validation), composite
        -- types (attributes in order with type and collation), range types
        -- (subtype, opclass, collation, canonical, subdiff, multirange)
        UNION ALL
        SELECT pg_catalog.format('type %s %s', pg_catalog.quote_ident(t.typname),
                   CASE t.typtype
                   WHEN 'e' THEN 'enum ' || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.quote_literal(e.enumlabel), ',' ORDER BY e.enumsortorder)
                                                      FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid), '')
                   WHEN 'd' THEN pg_catalog.format('domain base=%s collation=%s default=%s notnull=%s',
                                     pg_catalog.format_type(t.typbasetype, t.typtypmod),
                                     t.typcollation::regcollation, COALESCE(pg_catalog.pg_get_expr(t.typdefaultbin, 0), '-'),
                                     t.typnotnull)
                   WHEN 'c' THEN 'composite ' || COALESCE((SELECT pg_catalog.string_agg(pg_catalog.format('%s %s %s', pg_catalog.quote_ident(a.attname),
                                                                   pg_catalog.format_type(a.atttypid, a.atttypmod), a.attcollation::regcollation), ',' ORDER BY a.attnum)
                                                           FROM pg_catalog.pg_attribute a WHERE a.attrelid = t.typrelid AND a.attnum > 0 AND NOT a.attisdropped), '')
                   ELSE (SELECT pg_catalog.format('range subtype=%s opclass=%s collation=%s canonical=%s subdiff=%s multirange=%s',
                                    pg_catalog.format_type(r.rngsubtype, NULL), (SELECT oc.opcname FROM pg_catalog.pg_opclass oc WHERE oc.oid = r.rngsubopc),
                                    r.rngcollation, r.rngcanonical, r.rngsubdiff, r.rngmultitypid::regtype)
                         FROM pg_catalog.pg_range r WHERE r.rngtypid = t.oid)
                   END)
        FROM pg_catalog.pg_type t
        LEFT JOIN pg_catalog.pg_class c ON c.oid = t.typrelid
        WHERE t.typnamespace = nsp AND (t.typtype IN ('e', 'd', 'r') OR c.relkind = 'c')
        UNION ALL
        SELECT pg_catalog.format('domain constraint %s.%s %s', pg_catalog.quote_ident(t.typname),
                   pg_catalog.quote_ident(k.conname), pg_catalog.pg_get_constraintdef(k.oid))
        FROM pg_catalog.pg_type t
        JOIN pg_catalog.pg_constraint k ON k.contypid = t.oid
        WHERE t.typnamespace = nsp
        -- routines: functions and procedures by pg_get_functiondef (its own
        -- schema qualifier removed), aggregates by their pg_aggregate row;
        -- extension members and routines another object owns left out
        UNION ALL
        SELECT pg_catalog.format('routine %s(%s) %s',
                   pg_catalog.quote_ident(p.proname), pg_catalog.oidvectortypes(p.proargtypes),
                   CASE WHEN p.prokind = 'a' THEN
                       pg_catalog.format('aggregate kind=%s args=%s sfunc=%s stype=%s sspace=%s final=%s'
                                         ' finalextra=%s finalmodify=%s combine=%s serial=%s deserial=%s'
                                         ' init=%s msfunc=%s minvfunc=%s mstype=%s mfinal=%s minit=%s'
                                         ' sortop=%s parallel=%s',
                           ag.aggkind, pg_catalog.pg_get_function_arguments(p.oid),
                           (SELECT pn.name FROM pn WHERE pn.oid = ag.aggtransfn), ag.aggtranstype::regtype, ag.aggtransspace,
                           (SELECT pn.name FROM pn WHERE pn.oid = ag.aggfinalfn), ag.aggfinalextra, ag.aggfinalmodify,
                           (SELECT pn.name FROM pn WHERE pn.oid = ag.aggcombinefn), (SELECT pn.name FROM pn WHERE pn.oid = ag.aggserialfn),
                           (SELECT pn.name FROM pn WHERE pn.oid = ag.aggdeserialfn), ag.agginitval, (SELECT pn.name FROM pn WHERE pn.oid = ag.aggmtransfn),
                           (SELECT pn.name FROM pn WHERE pn.oid = ag.aggminvtransfn), ag.aggmtranstype::regtype,
                           (SELECT pn.name FROM pn WHERE pn.oid = ag.aggmfinalfn), ag.aggminitval, ag.aggsortop::regoperator,
                           p.proparallel)
                   ELSE pg_catalog.replace(pg_catalog.pg_get_functiondef(p.oid),
                           ' ' || pg_catalog.quote_ident(s) || '.' || pg_catalog.quote_ident(p.proname) || '(',
                           ' ' || pg_catalog.quote_ident(p.proname) || '(')
                   END)
        FROM pg_catalog.pg_proc p
        LEFT JOIN pg_catalog.pg_aggregate ag ON ag.aggfnoid = p.oid
        WHERE p.pronamespace = nsp
          AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend e
                          WHERE e.classid = 'pg_catalog.pg_proc'::regclass AND e.objid = p.oid
                            AND e.deptype IN ('e', 'i'))

        -- triggers: user triggers (not internal, not partition clones),
        -- pretty pg_get_triggerdef (unqualified in its own schema), tgenabled
        UNION ALL
        SELECT pg_catalog.format('trigger %s.%s enabled=%s %s',
                   pg_catalog.quote_ident(c.relname), pg_catalog.quote_ident(tg.tgname),
                   tg.tgenabled, pg_catalog.pg_get_triggerdef(tg.oid, true))
        FROM pg_catalog.pg_trigger tg
        JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
        WHERE c.relnamespace = nsp AND NOT tg.tgisinternal AND tg.tgparentid = 0

        -- views and materialized views (kind_view.c)
        UNION ALL
        SELECT pg_catalog.format('view %s kind=%s options=%s populated=%s %s',
                   pg_catalog.quote_ident(c.relname), c.relkind,
                   COALESCE((SELECT pg_catalog.string_agg(o, ',' ORDER BY o COLLATE "C")
                             FROM pg_catalog.unnest(c.reloptions) o), ''),
                   c.relispopulated, pg_catalog.pg_get_viewdef(c.oid))
        FROM pg_catalog.pg_class c
        WHERE c.relnamespace = nsp AND c.relkind IN ('v', 'm')
        UNION ALL
        SELECT pg_catalog.format('index %s on materialized view %s valid=%s %s',
                   pg_catalog.quote_ident(ic.relname), pg_catalog.quote_ident(c.relname),
                   i.indisvalid,
                   pg_catalog.replace(pg_catalog.pg_get_indexdef(i.indexrelid),
                       ' ON ' || pg_catalog.quote_ident(s) || '.', ' ON '))
        FROM pg_catalog.pg_class c
        JOIN pg_catalog.pg_index i ON i.indrelid = c.oid
        JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid
        WHERE c.relnamespace = nsp AND c.relkind = 'm'
        -- privileges (ACLs; a NULL ACL is its owner's defaults), by object
        UNION ALL
        SELECT pg_catalog.format('privilege %s %s acl=%s', o.what, o.name, ss_test.acl_text(o.acl, o.owner))
        FROM acl_object o

        -- owners (not of columns: a column has its table's)
        UNION ALL
        SELECT pg_catalog.format('owner %s %s = %s', o.what, o.name, pg_catalog.pg_get_userbyid(o.owner))
        FROM acl_object o WHERE o.what <> 'column'

        -- default privileges of the schema (FOR ROLE r IN SCHEMA s)
        UNION ALL
        SELECT pg_catalog.format('default privilege for %s on %s acl=%s',
                   pg_catalog.pg_get_userbyid(d.defaclrole), d.defaclobjtype,
                   ss_test.acl_text(d.defaclacl, NULL))
        FROM pg_catalog.pg_default_acl d WHERE d.defaclnamespace = nsp
        -- partitioning and inheritance: the partition key, each partition's
        -- parent and bound, each inheritance child's parents (in order)
        UNION ALL
        SELECT pg_catalog.format('partitioning %s key=%s',
                   pg_catalog.quote_ident(t.relname), pg_catalog.pg_get_partkeydef(t.oid))
        FROM tab t WHERE t.relkind = 'p'
        UNION ALL
        SELECT pg_catalog.format('inherits %s %s %s %s',
                   pg_catalog.quote_ident(t.relname),
                   CASE WHEN c.relispartition THEN 'partition of' ELSE 'child of' END,
                   pg_catalog.quote_ident(pc.relname),
                   CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid)
                        ELSE '#' || i.inhseqno END)
        FROM tab t
        JOIN pg_catalog.pg_class c ON c.oid = t.oid
        JOIN pg_catalog.pg_inherits i ON i.inhrelid = t.oid
        JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
        -- row level security (tables) and policies: flags, command,
        -- permissive, roles (PUBLIC or names, sorted), USING, WITH CHECK
        UNION ALL
        SELECT pg_catalog.format('rls %s enabled=%s forced=%s',
                   pg_catalog.quote_ident(t.relname), c.relrowsecurity, c.relforcerowsecurity)
        FROM tab t
        JOIN pg_catalog.pg_class c ON c.oid = t.oid
        WHERE c.relrowsecurity OR c.relforcerowsecurity
        UNION ALL
        SELECT pg_catalog.format('policy %s.%s cmd=%s permissive=%s roles=%s using=%s check=%s',
                   pg_catalog.quote_ident(t.relname), pg_catalog.quote_ident(p.polname),
                   p.polcmd, p.polpermissive,
                   (SELECT pg_catalog.string_agg(rn, ',' ORDER BY rn COLLATE "C")
                    FROM pg_catalog.unnest(p.polroles) r,
                         LATERAL (SELECT CASE WHEN r = 0 THEN 'PUBLIC' ELSE r::regrole::text END) x(rn)),
                   COALESCE(pg_catalog.pg_get_expr(p.polqual, p.polrelid), '-'),
                   COALESCE(pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid), '-'))
        FROM tab t
        JOIN pg_catalog.pg_policy p ON p.polrelid = t.oid

        -- collations: provider, locale (libc: lc_collate and lc_ctype; icu:
        -- the ICU locale), deterministic
        UNION ALL
        SELECT pg_catalog.format('collation %s provider=%s collate=%s ctype=%s locale=%s deterministic=%s',
                   pg_catalog.quote_ident(co.collname), co.collprovider,
                   COALESCE(co.collcollate, '-'), COALESCE(co.collctype, '-'),
                   COALESCE(pg_catalog.to_jsonb(co) ->> 'colliculocale',
                            pg_catalog.to_jsonb(co) ->> 'colllocale', '-'),
                   co.collisdeterministic)
        FROM pg_catalog.pg_collation co
        WHERE co.collnamespace = nsp

        -- extensions: name and version of those installed in the schema
        -- (not schemasync)
        UNION ALL
        SELECT pg_catalog.format('extension %s version=%s',
                   pg_catalog.quote_ident(x.extname), x.extversion)
        FROM pg_catalog.pg_extension x
        WHERE x.extnamespace = nsp AND x.extname <> 'schemasync'

        -- comments, on every object of "named"
        UNION ALL
        SELECT pg_catalog.format('comment %s = %L', n.label, d.description)
        FROM named n
        JOIN pg_catalog.pg_description d
          ON d.classoid = n.classoid AND d.objoid = n.objoid AND d.objsubid = n.objsubid
    )
    SELECT line FROM lines ORDER BY line COLLATE "C";
END
$fingerprint$;

CREATE OR REPLACE FUNCTION ss_test.fingerprint_diff(a text, b text) RETURNS SETOF text
LANGUAGE sql STABLE
AS $fingerprint_diff$
    WITH fa AS MATERIALIZED (SELECT f FROM ss_test.fingerprint(a) f),
         fb AS MATERIALIZED (SELECT f FROM ss_test.fingerprint(b) f)
    SELECT x FROM (
        (SELECT '-' || f FROM fa EXCEPT ALL SELECT '-' || f FROM fb)
        UNION ALL
        (SELECT '+' || f FROM fb EXCEPT ALL SELECT '+' || f FROM fa)) q(x)
    ORDER BY x COLLATE "C"
$fingerprint_diff$;
