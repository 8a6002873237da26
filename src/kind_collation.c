/*-------------------------------------------------------------------------
 *
 * kind_collation.c
 *	  Collations of a schema: reading, comparing and emitting DDL.
 *
 * Compared are the provider (libc or icu), the locale (lc_collate and
 * lc_ctype for libc, the ICU locale for icu), whether the collation is
 * deterministic, and the comment.  The collation's version (collversion)
 * is the library's, not the user's, and is never compared.  PostgreSQL
 * cannot alter any of these, so a difference creates the collation again.
 * An unused one is dropped and created.  One in use is renamed away, the
 * new one is created under its name, the columns that use it are converted
 * in place (ALTER COLUMN ... TYPE ... COLLATE: their rows stay, their
 * indexes are rebuilt), whatever else uses it (indexes, views, types) is
 * re-created, and the old one is dropped last.  Columns and indexes that
 * use a collation of the schema depend on it (pg_depend), so they are
 * created after it and dropped before it.
 *
 * src/kind_collation.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "schemasync.h"

static const char *const collation_propnames[LP_NUM] = {
	"provider", "locale", "lc_collate", "lc_ctype", "nondeterministic", "comment"
};

/*
 * The ICU locale column: colliculocale in PostgreSQL 15 and 16, colllocale
 * (shared with the builtin provider) from 17 on; before 15 an ICU
 * collation keeps its locale in collcollate.
 */
#if PG_VERSION_NUM >= 170000
#define SS_COLL_LOCALE "co.colllocale"
#elif PG_VERSION_NUM >= 150000
#define SS_COLL_LOCALE "co.colliculocale"
#else
#define SS_COLL_LOCALE "co.collcollate"
#endif

/*
 * ss_read_collations
 *		All collations of a schema, in one query, when pg_collation has any
 *		row of the schema.
 */
void
ss_read_collations(SsModel *m, Oid nsp)
{
	uint64		i;

	if (!ss_catalog_has_rows(CollationRelationId, Anum_pg_collation_collnamespace, nsp))
		return;
	ss_spi_exec("SELECT co.collname::pg_catalog.text,"
				" CASE co.collprovider WHEN 'i' THEN 'icu' WHEN 'b' THEN 'builtin'"
				"  WHEN 'c' THEN 'libc' ELSE 'default' END,"
				" CASE WHEN co.collprovider <> 'c' THEN " SS_COLL_LOCALE "::pg_catalog.text END,"
				" CASE WHEN co.collprovider = 'c' THEN co.collcollate::pg_catalog.text END,"
				" CASE WHEN co.collprovider = 'c' THEN co.collctype::pg_catalog.text END,"
				" CASE WHEN NOT co.collisdeterministic THEN 'true' END,"
				" ds.description, co.oid"
				" FROM pg_catalog.pg_collation co"
				" LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = co.oid"
				"  AND ds.classoid = 'pg_catalog.pg_collation'::pg_catalog.regclass"
				"  AND ds.objsubid = 0"
				" WHERE co.collnamespace = $1"
				" AND " SS_NOT_EXTENSION_MEMBER_OF("pg_catalog.pg_collation", "co.oid")
				" ORDER BY co.collname COLLATE \"C\"", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		SsObject   *co = ss_object_add(m, SS_COLLATION, m->schema, NULL,
									   ss_spi_text(i, 1));

		co->props[LP_PROVIDER] = ss_spi_text(i, 2);
		co->props[LP_LOCALE] = ss_spi_text(i, 3);
		co->props[LP_LC_COLLATE] = ss_spi_text(i, 4);
		co->props[LP_LC_CTYPE] = ss_spi_text(i, 5);
		co->props[LP_NONDETERMINISTIC] = ss_spi_text(i, 6);
		co->props[LP_COMMENT] = ss_spi_text(i, 7);
		co->oid = ss_spi_oid(i, 8);
		ss_register_addr(CollationRelationId, co->oid, 0, co);
	}
}

/*
 * collation_create_sql
 *		CREATE COLLATION with the desired provider and locale.
 */
static char *
collation_create_sql(SsDiff *d, SsObject *want)
{
	StringInfoData buf;
	const char *provider = want->props[LP_PROVIDER] ? want->props[LP_PROVIDER] : "libc";

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE COLLATION %s (provider = %s",
					 ss_qualified(d->target, want->name), quote_identifier(provider));
	if (want->props[LP_LOCALE])
		appendStringInfo(&buf, ", locale = %s", quote_literal_cstr(want->props[LP_LOCALE]));
	if (want->props[LP_LC_COLLATE])
		appendStringInfo(&buf, ", lc_collate = %s", quote_literal_cstr(want->props[LP_LC_COLLATE]));
	if (want->props[LP_LC_CTYPE])
		appendStringInfo(&buf, ", lc_ctype = %s", quote_literal_cstr(want->props[LP_LC_CTYPE]));
	if (want->props[LP_NONDETERMINISTIC])
		appendStringInfoString(&buf, ", deterministic = false");
	appendStringInfoString(&buf, ");");
	return buf.data;
}

/*
 * collation_emit_create
 *		CREATE COLLATION and its comment; returns the CREATE.
 */
static SsChange *
collation_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action,
								  collation_create_sql(d, want));

	c->reason = pstrdup(reason);
	ss_emit_comment(d, NULL, want, "COLLATION", ss_qualified(d->target, want->name),
					LP_COMMENT, SS_LOCK_NONE, c);
	return c;
}

/*
 * collation_emit_drop
 *		DROP COLLATION.
 */
static void
collation_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, cur, NULL, action,
								  psprintf("DROP COLLATION %s;",
										   ss_qualified(d->target, cur->name)));

	c->reason = pstrdup(reason);
}

/*
 * collation_convert_column
 *		ALTER COLUMN ... TYPE ... COLLATE of a column of a re-created
 *		collation: the same type, so the rows stay and only the column's
 *		indexes are rebuilt.  The column's other steps come after it.
 */
static SsChange *
collation_convert_column(SsDiff *d, SsObject *coll, SsObject *col, SsObject *wcol)
{
	SsChange   *c;
	ListCell   *lc;
	List	   *others = list_copy(ss_changes_of(d, col->key));

	c = ss_add_change(d, NULL, col, wcol, SS_ACT_ALTER,
					  psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s COLLATE %s;",
							   ss_target_table(d, col), quote_identifier(col->name),
							   wcol->props[CP_TYPE], wcol->props[CP_COLLATION]));
	c->reason = psprintf("collation %s is re-created", ss_target_identity(d, coll));
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	/* its indexes that are not re-created anyway are rebuilt by it */
	foreach(lc, ss_dependents(col))
		if (((SsObject *) lfirst(lc))->kind == SS_INDEX &&
			ss_drop_of(d, ((SsObject *) lfirst(lc))->key) == NULL)
			c->hazards |= SS_HZ_INDEX_BUILD | SS_HZ_BLOCKS_WRITES;
	ss_steps_after(others, c);
	return c;
}

/*
 * collation_replace
 *		Create a collation again.  Unused: drop and create.  In use: rename
 *		the old one away, create the new one, convert the columns and
 *		re-create the other objects that use the old one, and drop it last.
 */
static void
collation_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	SsObject   *old;
	SsChange   *ren;
	SsChange   *create;
	SsChange   *drop;
	List	   *steps = NIL;
	char	   *oname;
	ListCell   *lc;

	ss_kill_changes(d, cur->key);
	if (ss_dependents(cur) == NIL)
	{
		collation_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
		collation_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
		return;
	}

	oname = ss_old_name(cur->name);
	ren = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						psprintf("ALTER COLLATION %s RENAME TO %s;",
								 ss_qualified(d->target, cur->name), quote_identifier(oname)));
	ren->reason = psprintf("%s; the old collation is renamed until its users are converted",
						   reason);
	create = collation_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
	create->after = lappend(create->after, ren);

	/* first what is re-created (indexes, views, types), then the columns */
	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);
		SsObject   *wz = ss_object_lookup(d->want, z->key);

		if (wz == NULL || ss_drop_of(d, z->key) != NULL ||
			z->kind == SS_COLUMN || z->kind == SS_TABLE)
			continue;
		ss_kill_changes(d, z->key);
		ss_kind_ops[z->kind]->replace(d, z, wz,
									  psprintf("re-created because %s is re-created",
											   ss_target_identity(d, cur)));
	}
	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);
		SsObject   *wz = ss_object_lookup(d->want, z->key);

		if (wz == NULL || ss_drop_of(d, z->key) != NULL || z->kind != SS_COLUMN ||
			ss_parent_dropped(d, z) || ss_parent_created(d, wz))
			continue;
		/* a column whose type or collation changes anyway has its own step */
		if (!ss_streq(z->props[CP_TYPE], wz->props[CP_TYPE]) ||
			!ss_streq(z->props[CP_COLLATION], wz->props[CP_COLLATION]))
			continue;
		steps = lappend(steps, collation_convert_column(d, cur, z, wz));
	}

	/* the old collation, under its new name: a separate object to drop */
	old = ss_old_copy(cur, oname);
	drop = ss_add_change(d, NULL, old, NULL, SS_ACT_REPLACE_DROP,
						 psprintf("DROP COLLATION %s;", ss_qualified(d->target, oname)));
	drop->reason = pstrdup("the old collation, now unused");
	drop->after = list_concat(steps, list_make1(create));
}

/*
 * collation_diff
 *		Create, drop or replace a collation; its comment in place.
 */
static void
collation_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	int			p;

	if (cur == NULL)
	{
		collation_emit_create(d, want, SS_ACT_CREATE, "collation missing in target");
		return;
	}
	if (want == NULL)
	{
		collation_emit_drop(d, cur, SS_ACT_DROP, "collation not in reference");
		return;
	}
	for (p = 0; p < LP_COMMENT; p++)
	{
		if (!ss_streq(cur->props[p], want->props[p]))
		{
			collation_replace(d, cur, want,
							  psprintf("%s differs", collation_propnames[p]));
			return;
		}
	}
	ss_emit_comment(d, cur, want, "COLLATION", ss_qualified(d->target, want->name),
					LP_COMMENT, SS_LOCK_NONE, NULL);
}

const SsKindOps ss_collation_ops = {
	.name = "collation",
	.nprops = LP_NUM,
	.propnames = collation_propnames,
	.proptypes = "ttttbt",
	.diff = collation_diff,
	.replace = collation_replace,
	.breaks_dependents = NULL,
};
