/*-------------------------------------------------------------------------
 *
 * rename.c
 *	  Renames, from explicit hints only.
 *
 * schemasync never guesses a rename: a table dropped and a table created
 * stay a drop and a create.  The option "renames" names them instead:
 * {"app.users.fullname": "name", "app.accounts": "customers"}, keys being
 * identities in the target as diff() shows them: schema.name for tables,
 * sequences, indexes, views, materialized views, types and collations;
 * schema.table.name for columns, constraints, triggers and policies;
 * schema.name(argument types) for routines; the value is the new bare name.
 *
 * The hinted renames are run inside an internal subtransaction, the target
 * is read again and diffed, and the subtransaction is rolled back: so the
 * server itself rewrites every text that names a renamed object (foreign
 * keys, index definitions, defaults), and nothing is replaced for a mere
 * change of name.  The rename statements then lead the plan.
 *
 * src/rename.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/resowner.h"
#include "utils/varlena.h"

#include "schemasync.h"

/*
 * bad_hint
 *		The error for a rename hint that cannot be used.
 */
static void
bad_hint(const char *key, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("schemasync rename \"%s\": %s", key, what),
			 errhint("Keys of \"renames\" are identities in the target as schemasync.diff() shows them: schema.name for tables, sequences, indexes, views, types and collations; schema.table.name for columns, constraints, triggers and policies; schema.name(argument types) for routines.")));
}

/*
 * rename_change
 *		The change that renames one object of the current model.
 */
static SsChange *
rename_change(SsDiff *d, SsObject *obj, const char *newname, const char *key)
{
	SsChange   *c = palloc0(sizeof(SsChange));
	const char *qt = ss_qualified(d->target, obj->parent ? obj->parent : obj->name);

	c->kind = obj->kind;
	c->kindname = ss_kind_ops[obj->kind]->name;
	c->key = obj->key;
	c->identity = ss_target_identity(d, obj);
	c->action = SS_ACT_ALTER;
	c->transactional = true;
	c->cur = obj;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = psprintf("renamed to %s as the renames option asks", quote_identifier(newname));
	switch (obj->kind)
	{
		case SS_TABLE:
			c->ddl = psprintf("ALTER TABLE %s RENAME TO %s;", qt, quote_identifier(newname));
			break;
		case SS_SEQUENCE:
			c->ddl = psprintf("ALTER SEQUENCE %s RENAME TO %s;", qt, quote_identifier(newname));
			break;
		case SS_VIEW:
			c->ddl = psprintf("ALTER VIEW %s RENAME TO %s;", qt, quote_identifier(newname));
			break;
		case SS_MATVIEW:
			c->ddl = psprintf("ALTER MATERIALIZED VIEW %s RENAME TO %s;", qt,
							  quote_identifier(newname));
			break;
		case SS_INDEX:
			c->ddl = psprintf("ALTER INDEX %s RENAME TO %s;",
							  ss_qualified(d->target, obj->name), quote_identifier(newname));
			c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
			c->hazards = 0;
			break;
		case SS_COLUMN:
			c->ddl = psprintf("ALTER TABLE %s RENAME COLUMN %s TO %s;", qt,
							  quote_identifier(obj->name), quote_identifier(newname));
			break;
		case SS_CONSTRAINT:
			c->ddl = psprintf("ALTER TABLE %s RENAME CONSTRAINT %s TO %s;", qt,
							  quote_identifier(obj->name), quote_identifier(newname));
			break;
		case SS_TRIGGER:
			c->ddl = psprintf("ALTER TRIGGER %s ON %s RENAME TO %s;",
							  quote_identifier(obj->name), qt, quote_identifier(newname));
			break;
		case SS_POLICY:
			c->ddl = psprintf("ALTER POLICY %s ON %s RENAME TO %s;",
							  quote_identifier(obj->name), qt, quote_identifier(newname));
			break;

			/* objects that are not relations: no table lock */
		case SS_TYPE:
			c->ddl = psprintf("ALTER %s %s RENAME TO %s;",
							  ss_streq(obj->props[TY_TYPE_KIND], "domain") ? "DOMAIN" : "TYPE",
							  qt, quote_identifier(newname));
			c->lock = SS_LOCK_NONE;
			c->hazards = 0;
			break;
		case SS_FUNCTION:
			c->ddl = psprintf("ALTER %s %s RENAME TO %s;", ss_routine_word(obj),
							  ss_routine_signature(d, obj), quote_identifier(newname));
			c->lock = SS_LOCK_NONE;
			c->hazards = 0;
			break;
		case SS_COLLATION:
			c->ddl = psprintf("ALTER COLLATION %s RENAME TO %s;", qt, quote_identifier(newname));
			c->lock = SS_LOCK_NONE;
			c->hazards = 0;
			break;
		default:
			bad_hint(key, "objects of this kind cannot be renamed");
	}
	return c;
}

/*
 * find_hinted
 *		The object of the current model whose identity in the target, as
 *		diff() shows it, is the hint's key.  One pass over the model per hint.
 */
static SsObject *
find_hinted(SsDiff *d, SsModel *cur, const char *key)
{
	SsObject   *obj = NULL;
	ListCell   *lc;
	const char *qschema = quote_identifier(d->target);
	size_t		qlen = strlen(qschema);

	if (strncmp(key, qschema, qlen) != 0 || key[qlen] != '.')
		bad_hint(key, psprintf("the object is not in the target schema \"%s\"", d->target));
	foreach(lc, cur->objects)
	{
		SsObject   *o = lfirst(lc);

		/* the kinds that have no statement of their own cannot be renamed */
		if (o->kind == SS_DOMCONSTRAINT || o->kind == SS_PRIVILEGE ||
			o->kind == SS_DEFAULT_PRIVILEGE)
			continue;
		if (strcmp(ss_target_identity(d, o), key) != 0)
			continue;
		if (obj != NULL)
			bad_hint(key, psprintf("both a %s and a %s have this name; rename one of them by hand",
								   ss_kind_ops[obj->kind]->name, ss_kind_ops[o->kind]->name));
		obj = o;
	}
	if (obj == NULL)
		bad_hint(key, "no such object in the target");
	return obj;
}

/*
 * is_relation
 *		Whether objects of a kind are relations, which share one namespace.
 */
static bool
is_relation(SsKind kind)
{
	return kind == SS_TABLE || kind == SS_SEQUENCE || kind == SS_INDEX ||
		kind == SS_VIEW || kind == SS_MATVIEW;
}

/*
 * renamed_key
 *		The key the object would have under its new name: a routine keeps its
 *		argument types, an index is keyed without its table.
 */
static char *
renamed_key(SsObject *obj, const char *newname)
{
	if (obj->kind == SS_FUNCTION)
	{
		const char *args = strchr(obj->name, '(');

		return ss_make_key(obj->kind, obj->parent,
						   psprintf("%s%s", quote_identifier(newname), args ? args : ""));
	}
	return ss_make_key(obj->kind, obj->kind == SS_INDEX ? NULL : obj->parent, newname);
}

/*
 * ss_rename_changes
 *		The rename statements of the "renames" option, checked against the
 *		current model.
 */
List *
ss_rename_changes(SsDiff *d, SsModel *cur, List *renames)
{
	List	   *changes = NIL;
	ListCell   *lc;

	for (lc = list_head(renames); lc; lc = lnext(renames, lnext(renames, lc)))
	{
		const char *key = lfirst(lc);
		const char *newname = lfirst(lnext(renames, lc));
		SsObject   *obj = find_hinted(d, cur, key);
		SsKind		kind = obj->kind;

		if (strlen(newname) >= NAMEDATALEN)
			bad_hint(key, psprintf("the new name is longer than %d bytes", NAMEDATALEN - 1));
		if (strcmp(renamed_key(obj, newname), obj->key) == 0)
			bad_hint(key, "the new name is the current one");
		if (ss_object_lookup(cur, renamed_key(obj, newname)))
			bad_hint(key, psprintf("the target already has a %s named \"%s\"",
								   ss_kind_ops[kind]->name, newname));
		if (is_relation(kind))
		{
			/* relations share one namespace */
			static const SsKind rels[] = {SS_TABLE, SS_SEQUENCE, SS_INDEX, SS_VIEW, SS_MATVIEW};
			int			i;

			for (i = 0; i < lengthof(rels); i++)
				if (ss_object_lookup(cur, ss_make_key(rels[i], NULL, newname)))
					bad_hint(key, psprintf("the target already has a %s named \"%s\"",
										   ss_kind_ops[rels[i]]->name, newname));
		}
		/* objects of a table first: they name their table as it is */
		if (kind == SS_COLUMN || kind == SS_CONSTRAINT || kind == SS_TRIGGER ||
			kind == SS_POLICY)
			changes = lcons(rename_change(d, obj, newname, key), changes);
		else
			changes = lappend(changes, rename_change(d, obj, newname, key));
	}
	return changes;
}

/*
 * ss_diff_with_renames
 *		Run the renames in a subtransaction, read the target again, diff and
 *		plan, roll back, and put the renames first.  Must be called while
 *		connected to SPI.
 */
SsDiff *
ss_diff_with_renames(const char *target, SsModel *cur, SsModel *want, SsOptions *opts)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	SsDiff	   *probe = ss_diff_models(ss_model_create(target), ss_model_create(target), target, opts);
	List	   *renames = ss_rename_changes(probe, cur, opts->renames);
	SsDiff	   *volatile d = NULL;
	ListCell   *lc;
	int			n = 0;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		int			nest = ss_push_search_path(target);
		SsModel    *renamed;

		foreach(lc, renames)
			if (SPI_execute(((SsChange *) lfirst(lc))->ddl, false, 0) < 0)
				elog(ERROR, "could not run \"%s\"", ((SsChange *) lfirst(lc))->ddl);
		ss_pop_search_path(nest);
		renamed = ss_read_schema(target);
		d = ss_diff_models(renamed, want, target, opts);
		ss_plan(d);
	}
	PG_CATCH();
	{
		ReThrowError(ss_subxact_abort(cxt, owner));
	}
	PG_END_TRY();
	ss_subxact_end(cxt, owner);

	/* the renames lead; the rest follows in its planned order */
	foreach(lc, renames)
		((SsChange *) lfirst(lc))->ordinal = ++n;
	foreach(lc, d->changes)
		((SsChange *) lfirst(lc))->ordinal += n;
	d->changes = list_concat(renames, d->changes);
	return d;
}
