/*-------------------------------------------------------------------------
 *
 * kind_extension.c
 *	  Extensions: reading, comparing and emitting DDL (model path only).
 *
 * An extension is a database-scope object: it exists once per database,
 * installed in one schema (extnamespace).  A model covering schemas S holds
 * the extensions installed in a schema of S; its identity is its name, its
 * property its version (compared only with the option extension_versions).
 * Whether it is relocatable is a fact of its control file, read from the
 * catalog on the current side, never a property of the model.  The objects
 * that belong to an extension (pg_depend deptype 'e') are never read as user
 * objects; a user object that depends on one of them depends on the
 * extension (catalog.c maps the members to it during its one pg_depend
 * scan), so user objects are created after CREATE EXTENSION and dropped
 * before DROP EXTENSION.
 *
 * Both sides of a schema-vs-schema diff live in one database, which holds
 * one copy of each extension: extensions cannot be compared there, and one
 * installed in a compared schema is reported (ss_check_schema_extensions)
 * unless ignore_unmodeled.  The reader runs only on the model path
 * (snapshot, diff and apply of a model), which sets ss_read_exts.
 *
 * Neither comments nor privileges nor owners of extensions are compared: an
 * extension's comment comes from its control file, and its ACL-less
 * ownership is its installer's.
 *
 * src/kind_extension.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_type.h"
#include "commands/extension.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"

#include "schemasync.h"

static const char *const extension_propnames[EP_NUM] = {
	"version"
};

/* whether the catalog reader models extensions (the model path) */
bool		ss_read_exts = false;

/* names of the extensions the whole model being diffed holds */
List	   *ss_model_extensions = NIL;

/*
 * ss_read_extensions
 *		The extensions installed in a schema, in one query; nothing unless
 *		on the model path.
 */
void
ss_read_extensions(SsModel *m, Oid nsp)
{
	uint64		i;

	if (!ss_read_exts)
		return;
	ss_spi_exec("SELECT e.extname::pg_catalog.text, e.extversion, e.oid"
				" FROM pg_catalog.pg_extension e"
				" WHERE e.extnamespace = $1 AND e.extname <> 'schemasync'"
				" ORDER BY e.extname COLLATE \"C\"", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		SsObject   *ext = ss_object_add(m, SS_EXTENSION, m->schema, NULL,
										ss_spi_text(i, 1));

		ext->props[EP_VERSION] = ss_spi_text(i, 2);
		ext->oid = ss_spi_oid(i, 3);
		ss_register_addr(ExtensionRelationId, ext->oid, 0, ext);
	}
}

/*
 * schema_extensions
 *		The names of the extensions installed in a schema, but schemasync
 *		itself when but_self, in pg_extension's order.
 */
static List *
schema_extensions(Oid nsp, bool but_self)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	List	   *names = NIL;

	scan = ss_scan_begin(ExtensionRelationId, Anum_pg_extension_extnamespace, nsp, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		const char *name = NameStr(((Form_pg_extension) GETSTRUCT(tup))->extname);

		if (!but_self || strcmp(name, "schemasync") != 0)
			names = lappend(names, pstrdup(name));
	}
	ss_scan_end(scan, rel);
	return names;
}

/*
 * ss_check_schema_extensions
 *		On the schema-vs-schema path: an error naming the extensions
 *		installed in a compared schema, which cannot be compared there.
 */
void
ss_check_schema_extensions(Oid nsp, const char *schema, const char *role)
{
	List	   *names = schema_extensions(nsp, false);
	ListCell   *lc;
	StringInfoData buf;

	if (names == NIL)
		return;
	list_sort(names, ss_cstring_cmp);
	initStringInfo(&buf);
	foreach(lc, names)
		appendStringInfo(&buf, "%s%s", foreach_current_index(lc) ? ", " : "",
						 quote_identifier(lfirst(lc)));
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s \"%s\" holds extension%s %s, which a diff of two schemas cannot compare",
					role, schema, list_length(names) == 1 ? "" : "s", buf.data),
			 errdetail("Extensions are database-scope: both schemas of this diff share the database's one copy of each extension, so schemasync compares extensions only against a model."),
			 errhint("Take a snapshot of the reference database with schemasync.snapshot() and diff against it, or pass '{\"ignore_unmodeled\": true}' to compare the rest and leave the extension alone.")));
}

/*
 * ss_schema_has_extensions
 *		Whether any extension but schemasync is installed in a schema: a read
 *		of it without ss_read_exts then lacks what a model of it holds.
 */
bool
ss_schema_has_extensions(Oid nsp)
{
	return schema_extensions(nsp, true) != NIL;
}

/*
 * extension_facts
 *		Of an installed extension: whether it can be moved with SET SCHEMA,
 *		and (when asked) its schema's name and its version.  One index scan
 *		of pg_extension (PostgreSQL 15 does not export its own lookups).
 */
static bool
extension_facts(Oid extoid, char **nspname, char **version)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;
	bool		result = false;

	rel = table_open(ExtensionRelationId, AccessShareLock);
	ScanKeyInit(&key, Anum_pg_extension_oid, BTEqualStrategyNumber, F_OIDEQ,
				ObjectIdGetDatum(extoid));
	scan = systable_beginscan(rel, ExtensionOidIndexId, true, NULL, 1, &key);
	tup = systable_getnext(scan);
	if (HeapTupleIsValid(tup))
	{
		Form_pg_extension ext = (Form_pg_extension) GETSTRUCT(tup);
		bool		isnull;
		Datum		v;

		result = ext->extrelocatable;
		if (nspname)
		{
			*nspname = get_namespace_name(ext->extnamespace);
			if (*nspname == NULL)
				*nspname = pstrdup("?");
		}
		if (version)
		{
			v = heap_getattr(tup, Anum_pg_extension_extversion,
							 RelationGetDescr(rel), &isnull);
			*version = isnull ? NULL : TextDatumGetCString(v);
		}
	}
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
	return result;
}

/*
 * check_update_path
 *		An error, at diff time, when the extension has no update path from
 *		its installed version to the wanted one.
 */
static void
check_update_path(const char *name, const char *from, const char *to)
{
	Oid			argtypes[3] = {NAMEOID, TEXTOID, TEXTOID};
	Datum		args[3];

	args[0] = DirectFunctionCall1(namein, CStringGetDatum(name));
	args[1] = CStringGetTextDatum(from);
	args[2] = CStringGetTextDatum(to);
	if (SPI_execute_with_args("SELECT 1 FROM pg_catalog.pg_extension_update_paths($1)"
							  " WHERE source = $2 AND target = $3 AND path IS NOT NULL",
							  3, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not look up the update paths of extension \"%s\"", name);
	if (SPI_processed == 0)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("extension %s cannot be updated from version %s to version %s",
						quote_identifier(name), quote_literal_cstr(from), quote_literal_cstr(to)),
				 errdetail("This server has no update path between those versions (pg_extension_update_paths)."),
				 errhint("Install the version the model names, change the model's version, or leave out the option extension_versions.")));
}

/*
 * emit_update
 *		ALTER EXTENSION ... UPDATE TO when versions are compared and differ.
 */
static void
emit_update(SsDiff *d, SsObject *cur, SsObject *want, const char *curversion,
			SsChange *after)
{
	const char *v = want->props[EP_VERSION];
	SsChange   *c;

	if (!d->opts->extension_versions || v == NULL || ss_streq(curversion, v))
		return;
	check_update_path(want->name, curversion, v);
	c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
					  psprintf("ALTER EXTENSION %s UPDATE TO %s;",
							   quote_identifier(want->name), quote_literal_cstr(v)));
	c->reason = psprintf("version %s differs from %s", curversion, v);
	if (after)
		c->after = lappend(c->after, after);
}

static void emit_create(SsDiff *d, SsObject *want, SsAction action,
						const char *reason);

/*
 * extension_create
 *		CREATE EXTENSION in the target schema; or, when the extension is
 *		installed in another schema of the database, ALTER EXTENSION ... SET
 *		SCHEMA (an extension exists once per database).
 */
static void
extension_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	Oid			extoid = get_extension_oid(want->name, true);
	SsChange   *c;

	if (OidIsValid(extoid))
	{
		char	   *nspname;
		char	   *version;
		bool		relocatable = extension_facts(extoid, &nspname, &version);

		if (strcmp(nspname, d->target) == 0)
			return;
		if (!relocatable)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("extension %s is installed in schema %s and cannot be moved to schema %s",
							quote_identifier(want->name), quote_identifier(nspname),
							quote_identifier(d->target)),
					 errdetail("The extension is not relocatable; an extension exists once per database."),
					 errhint("Drop the extension and apply again, or name schema %s for it in the model.",
							 quote_identifier(nspname))));
		c = ss_add_change(d, NULL, NULL, want, SS_ACT_ALTER,
						  psprintf("ALTER EXTENSION %s SET SCHEMA %s;",
								   quote_identifier(want->name), quote_identifier(d->target)));
		c->reason = psprintf("extension installed in schema %s", nspname);
		emit_update(d, NULL, want, version, c);
		return;
	}
	emit_create(d, want, action, reason);
}

/*
 * emit_create
 *		CREATE EXTENSION ... WITH SCHEMA the target (at the model's version
 *		when versions are compared).
 */
static void
emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	StringInfoData buf;
	SsChange   *c;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE EXTENSION %s WITH SCHEMA %s",
					 quote_identifier(want->name), quote_identifier(d->target));
	if (d->opts->extension_versions && want->props[EP_VERSION])
		appendStringInfo(&buf, " VERSION %s", quote_literal_cstr(want->props[EP_VERSION]));
	appendStringInfoChar(&buf, ';');
	c = ss_add_change(d, NULL, NULL, want, action, buf.data);
	c->reason = pstrdup(reason);
}

/*
 * extension_drop
 *		DROP EXTENSION, without CASCADE: it fails rather than drop user
 *		objects that use the extension (their drops are ordered first).
 */
static void
extension_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, cur, NULL, action,
								  psprintf("DROP EXTENSION %s;", quote_identifier(cur->name)));

	c->destructive = true;
	c->hazards = SS_HZ_DELETES_DATA;
	c->reason = pstrdup(reason);
}

/*
 * extension_replace
 *		Drop and create an extension again (forced by a dependency; an
 *		extension depends on nothing of a user schema, so only in theory).
 */
static void
extension_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	extension_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * extension_diff
 *		Create (or move here), drop, or update an extension.
 */
static void
extension_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (cur == NULL)
	{
		extension_create(d, want, SS_ACT_CREATE, "extension missing in target");
		return;
	}
	if (want == NULL)
	{
		/* wanted in another schema of the model: that schema's diff moves it */
		ListCell   *lc;

		foreach(lc, ss_model_extensions)
			if (strcmp(lfirst(lc), cur->name) == 0)
				return;
		extension_drop(d, cur, SS_ACT_DROP, "extension not in model");
		return;
	}
	emit_update(d, cur, want, cur->props[EP_VERSION], NULL);
}

/*
 * run_quietly
 *		Run one statement of the normalizer with notices (what a CASCADE
 *		takes along) kept from the client.
 */
static void
run_quietly(const char *sql)
{
	int			nest = NewGUCNestLevel();

	(void) set_config_option("client_min_messages", "warning", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (SPI_execute(sql, false, 0) < 0)
		elog(ERROR, "could not run \"%s\"", sql);
	AtEOXact_GUC(true, nest);
}

/*
 * ss_extensions_prepare
 *		Before any schema of a model is materialized (inside normalize.c's
 *		subtransaction, rolled back): every extension of the model is made
 *		to exist in the target schema its model schema maps to, created
 *		there when not installed, moved there when installed elsewhere, so
 *		that objects of other model schemas that name it qualified find it.
 *		Returns pairs of name and former schema (NULL when created) for
 *		ss_extensions_undo.
 */
List *
ss_extensions_prepare(List *models, SsOptions *opts)
{
	List	   *undo = NIL;
	ListCell   *mc;

	foreach(mc, models)
	{
		SsModel    *jm = lfirst(mc);
		const char *target = ss_map_schema(opts, jm->schema);
		ListCell   *lc;

		foreach(lc, jm->objects)
		{
			SsObject   *ext = lfirst(lc);
			Oid			extoid;
			char	   *nspname;

			if (ext->kind != SS_EXTENSION)
				continue;
			extoid = get_extension_oid(ext->name, true);
			if (!OidIsValid(extoid))
			{
				if (!extension_file_exists(ext->name))
					ereport(ERROR,
							(errcode(ERRCODE_UNDEFINED_OBJECT),
							 errmsg("extension %s of the model is not available on this server",
									quote_identifier(ext->name)),
							 errhint("Install its package on the server, or leave it out of the model.")));
				run_quietly(psprintf("CREATE EXTENSION %s WITH SCHEMA %s",
									 quote_identifier(ext->name), quote_identifier(target)));
				ext->aux = pstrdup("prepared");
				undo = lappend(undo, pstrdup(ext->name));
				undo = lappend(undo, NULL);
				continue;
			}
			(void) extension_facts(extoid, &nspname, NULL);
			if (strcmp(nspname, target) == 0)
				continue;
			run_quietly(psprintf("ALTER EXTENSION %s SET SCHEMA %s",
								 quote_identifier(ext->name), quote_identifier(target)));
			ext->aux = pstrdup("prepared");
			undo = lappend(undo, pstrdup(ext->name));
			undo = lappend(undo, nspname);
		}
	}
	return undo;
}

/*
 * ss_extensions_undo
 *		Once every model schema is read: the extensions that
 *		ss_extensions_prepare created are dropped (with what uses them in
 *		the scratch schemas), those it moved go back, so that the diffs see
 *		the database as it is.
 */
void
ss_extensions_undo(List *undo)
{
	ListCell   *lc;

	for (lc = list_head(undo); lc; lc = lnext(undo, lnext(undo, lc)))
	{
		const char *schema = lfirst(lnext(undo, lc));

		if (schema == NULL)
			run_quietly(psprintf("DROP EXTENSION IF EXISTS %s CASCADE",
								 quote_identifier(lfirst(lc))));
		else
			run_quietly(psprintf("ALTER EXTENSION %s SET SCHEMA %s",
								 quote_identifier(lfirst(lc)), quote_identifier(schema)));
	}
}

/*
 * ss_extensions_to_scratch
 *		While a model schema is materialized and read, the extensions that
 *		ss_extensions_prepare created or moved live in its scratch schema:
 *		its objects find the extensions' types, functions and operator
 *		classes under the unqualified names the model uses, and the catalog
 *		reader maps what uses them to the extension, so that they are
 *		created after it.  Those installed in the target already stay there
 *		(moving them would need their ownership, for a diff that changes
 *		nothing about them), and so do those that are not relocatable (then
 *		only ss_extensions_hoist orders their creation): *left says so, and
 *		the scratch schema's search_path then holds the target too.  Returns
 *		the names moved, for ss_extensions_back.
 */
List *
ss_extensions_to_scratch(SsModel *jm, const char *scratch, bool *left)
{
	List	   *moved = NIL;
	ListCell   *lc;

	*left = false;
	foreach(lc, jm->objects)
	{
		SsObject   *ext = lfirst(lc);
		Oid			extoid;
		char	   *nspname;

		if (ext->kind != SS_EXTENSION)
			continue;
		if (ext->aux == NULL)
		{
			*left = true;
			continue;
		}
		extoid = get_extension_oid(ext->name, false);
		if (!extension_facts(extoid, &nspname, NULL))
		{
			*left = true;
			continue;
		}
		run_quietly(psprintf("ALTER EXTENSION %s SET SCHEMA %s",
							 quote_identifier(ext->name), quote_identifier(scratch)));
		moved = lappend(moved, ext->name);
	}
	return moved;
}

/*
 * ss_extensions_back
 *		Move the extensions ss_extensions_to_scratch moved to the target
 *		schema again.
 */
void
ss_extensions_back(List *moved, const char *target)
{
	ListCell   *lc;

	foreach(lc, moved)
		run_quietly(psprintf("ALTER EXTENSION %s SET SCHEMA %s",
							 quote_identifier(lfirst(lc)), quote_identifier(target)));
}

/*
 * ss_extensions_hoist
 *		An extension depends on nothing of a user schema, so its creation,
 *		move and update go first of all, before the objects of any schema
 *		that use it, and its drop last, after them: the diffs of the schemas
 *		of a model run one after the other, and an edge from a user object
 *		to an extension is only known when the extension was in the scratch
 *		schema.  The planner's order among the extensions is kept (one that
 *		requires another comes after it).  Ordinals are numbered again.
 */
void
ss_extensions_hoist(List *diffs)
{
	List	   *first = NIL;
	List	   *last = NIL;
	ListCell   *lc;
	int			n = 0;

	if (diffs == NIL)
		return;
	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		List	   *rest = NIL;
		ListCell   *cc;

		foreach(cc, d->changes)
		{
			SsChange   *c = lfirst(cc);

			if (c->kind != SS_EXTENSION)
				rest = lappend(rest, c);
			else if (SS_ACT_IS_DROP(c->action))
				last = lappend(last, c);
			else
				first = lappend(first, c);
		}
		d->changes = rest;
	}
	((SsDiff *) linitial(diffs))->changes =
		list_concat(first, ((SsDiff *) linitial(diffs))->changes);
	((SsDiff *) llast(diffs))->changes =
		list_concat(((SsDiff *) llast(diffs))->changes, last);
	foreach(lc, diffs)
	{
		ListCell   *cc;

		foreach(cc, ((SsDiff *) lfirst(lc))->changes)
			((SsChange *) lfirst(cc))->ordinal = ++n;
	}
}

/*
 * ss_extensions_carry_over
 *		The extensions of a normalized model are the model's, with the
 *		model's version (or none): they need no normalization, and a scratch
 *		copy has whatever version the server installs by default.
 */
void
ss_extensions_carry_over(SsModel *norm, SsModel *jm)
{
	ListCell   *lc;

	foreach(lc, jm->objects)
	{
		SsObject   *mj = lfirst(lc);
		SsObject   *ext;

		if (mj->kind != SS_EXTENSION)
			continue;
		/* one left in the target was not read with the scratch schema */
		ext = ss_object_lookup(norm, mj->key);
		if (ext == NULL)
			ext = ss_object_add(norm, SS_EXTENSION, norm->schema, NULL, mj->name);
		ext->props[EP_VERSION] = mj->props[EP_VERSION];
	}
}

const SsKindOps ss_extension_ops = {
	.name = "extension",
	.nprops = EP_NUM,
	.propnames = extension_propnames,
	.proptypes = "t",
	.diff = extension_diff,
	.replace = extension_replace,
	.breaks_dependents = NULL,
};
