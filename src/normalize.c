/*-------------------------------------------------------------------------
 *
 * normalize.c
 *	  Diff the database against a JSONB model, through the catalog.
 *
 * A model may come from snapshot() or be written by a person or an ORM
 * ("int", "varchar(20)", "now()"): its texts are not in the server's
 * canonical form.  So the model is materialized: inside an internal
 * subtransaction, each of its schemas is created as a scratch schema from
 * the model's own CREATE statements (the same emitter as always, so the
 * planner orders them), read back with the catalog reader, and diffed
 * against the target schema; then the subtransaction is rolled back and
 * nothing of it remains.  The model and catalog paths therefore share one
 * pipeline, and a hand-written model converges: what apply creates is what
 * the scratch schema held.
 *
 * Model texts reach the server only here, one statement at a time, each
 * parsed first and refused unless it is a single statement of the kind the
 * emitter writes (CREATE TABLE, ALTER TABLE, CREATE INDEX, CREATE/ALTER
 * SEQUENCE, CREATE TYPE, CREATE/ALTER DOMAIN, CREATE FUNCTION/PROCEDURE/AGGREGATE,
 * CREATE TRIGGER, CREATE/ALTER POLICY, CREATE COLLATION, COMMENT): a type like
 * "int); DROP TABLE x; --" cannot smuggle a
 * second statement in.
 *
 * Extensions are not materialized (one exists once per database): first
 * every extension of the model is made to exist in its target schema
 * (created or moved, for references from other schemas of the model), and
 * while a model schema is materialized and read the extensions so created
 * or moved are moved into its scratch schema (those installed in the target
 * already stay there, and the scratch schema's search_path holds the target
 * too); once all are read, the extensions are put back as they were and the
 * targets are read and diffed (kind_extension.c).
 * Their version is carried over from the model.
 *
 * src/normalize.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "catalog/namespace.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "schemasync.h"

/*
 * ss_subxact_end
 *		Roll back the internal subtransaction begun in cxt under owner, and
 *		make them current again.
 */
void
ss_subxact_end(MemoryContext cxt, ResourceOwner owner)
{
	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
}

/*
 * ss_subxact_abort
 *		In the PG_CATCH block of such a subtransaction: the error, copied
 *		into cxt, once the subtransaction is rolled back (ss_subxact_end).
 *		An error must not escape with the subtransaction open: roll it back
 *		first, as PL/pgSQL does, then throw the error on, or not.
 */
ErrorData *
ss_subxact_abort(MemoryContext cxt, ResourceOwner owner)
{
	ErrorData  *edata;

	MemoryContextSwitchTo(cxt);
	edata = CopyErrorData();
	FlushErrorState();
	ss_subxact_end(cxt, owner);
	return edata;
}

/*
 * ss_empty_model
 *		A model of a schema with nothing in it.
 */
SsModel *
ss_empty_model(const char *schema)
{
	return ss_model_create(schema);
}

/*
 * check_statement
 *		Refuse a statement that is not a single statement of the kinds the
 *		emitter writes.
 */
static void
check_statement(const char *sql, SsChange *c, const char *shown)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *volatile raw = NIL;
	Node	   *stmt;

	/* a syntax error is the model's: report it as such, without a cursor */
	PG_TRY();
	{
#if PG_VERSION_NUM >= 140000
		raw = raw_parser(sql, RAW_PARSE_DEFAULT);
#else
		raw = raw_parser(sql);
#endif
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid schemasync model: the texts of %s %s do not parse: %s",
						c->kindname, c->identity, edata->message),
				 errdetail("Statement: %s", shown)));
	}
	PG_END_TRY();
	if (list_length(raw) == 1)
	{
		stmt = linitial_node(RawStmt, raw)->stmt;
		switch (nodeTag(stmt))
		{
			case T_CreateStmt:
			case T_AlterTableStmt:
			case T_IndexStmt:
			case T_CreateSeqStmt:
			case T_AlterSeqStmt:
			case T_CommentStmt:
			case T_CreateEnumStmt:
			case T_CreateDomainStmt:
			case T_AlterDomainStmt:
			case T_CompositeTypeStmt:
			case T_CreateRangeStmt:
			case T_CreateFunctionStmt:
			case T_CreateTrigStmt:
			case T_GrantStmt:
			case T_AlterDefaultPrivilegesStmt:
			case T_AlterOwnerStmt:
			case T_CreatePolicyStmt:
			case T_AlterPolicyStmt:
				return;
			case T_DefineStmt:
				if (((DefineStmt *) stmt)->kind == OBJECT_AGGREGATE ||
					((DefineStmt *) stmt)->kind == OBJECT_COLLATION)
					return;
				break;
			case T_ViewStmt:
				return;
			case T_CreateTableAsStmt:
				/* a materialized view, never populated here (see below) */
				if (((CreateTableAsStmt *) stmt)->objtype == OBJECT_MATVIEW &&
					((CreateTableAsStmt *) stmt)->into->skipData)
					return;
				break;
			default:
				break;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid schemasync model: the texts of %s %s do not make one %s statement",
					c->kindname, c->identity, c->kindname),
			 errdetail("Statement: %s", shown),
			 errhint("Types, expressions and definitions in a model are SQL fragments of one object each.")));
}

/*
 * unscratch
 *		A text with the scratch schema's qualifier replaced by the model's
 *		schema, for messages.
 */
static char *
unscratch(const char *text, const char *scratch, const char *schema)
{
	StringInfoData buf;
	char	   *from = psprintf("%s.", quote_identifier(scratch));
	char	   *to = psprintf("%s.", quote_identifier(schema));
	const char *p = text;
	const char *hit;

	initStringInfo(&buf);
	while ((hit = strstr(p, from)) != NULL)
	{
		appendBinaryStringInfo(&buf, p, hit - p);
		appendStringInfoString(&buf, to);
		p = hit + strlen(from);
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/*
 * materialize_error_callback
 *		Names the model object being materialized in an error's context.
 */
static void
materialize_error_callback(void *arg)
{
	SsChange   *c = (SsChange *) arg;

	errcontext("materializing model %s %s", c->kindname, c->identity);
}

/*
 * materialize
 *		Create the objects of a model in an (empty) scratch schema.
 */
static void
materialize(SsModel *jm, const char *scratch, SsOptions *opts)
{
	SsDiff	   *d = ss_diff_models(ss_empty_model(scratch), jm, scratch, opts);
	ListCell   *lc;
	int			nest;

	ss_plan(d);
	nest = ss_push_search_path(scratch);
	/* as apply does (executor.c): bodies may name objects created later */
	(void) set_config_option("check_function_bodies", "off", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);
		ErrorContextCallback errcb;

		/* the extensions are there already (ss_extensions_to_scratch) */
		if (c->kind == SS_EXTENSION)
			continue;
		/* messages speak of the model's schema, not of the scratch one */
		c->identity = unscratch(c->identity, scratch, jm->schema);
		c->reason = unscratch(c->ddl, scratch, jm->schema);

		errcb.callback = materialize_error_callback;
		errcb.arg = c;
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;
		/*
		 * A materialized view is created WITH NO DATA: its query is not run
		 * on the model's behalf; its populated state is the model's (see
		 * diff_in_scratch).
		 */
		if (c->kind == SS_MATVIEW && SS_ACT_IS_CREATE(c->action) &&
			strcmp(c->kindname, "materialized_view") == 0 &&
			c->want->props[VP_NO_DATA] == NULL)
			c->ddl = psprintf("%.*s\nWITH NO DATA;",
							  (int) (strlen(c->ddl) - strlen("\nWITH DATA;")), c->ddl);
		check_statement(c->ddl, c, c->reason);
		if (SPI_execute(c->ddl, false, 0) < 0)
			elog(ERROR, "SPI_execute failed for \"%s\"", c->ddl);
		error_context_stack = errcb.previous;
	}
	ss_pop_search_path(nest);
}

static List *diff_in_scratch(List *models, List *reads, SsOptions *opts);
static List *changes_only_try(SsModel *jm, SsModel *cur, List *changed,
							  List *quiet, SsOptions *opts, bool enums, bool *retry);

/*
 * A model document of more top-level objects than this is large: its
 * targets are read letting go of the relation cache entries the deparsers
 * build (read_target).  The benchmark's 10,000-table schema has 74,000 such
 * objects, its 1,000-table one 7,400.
 */
#define SS_LARGE_MODEL_OBJECTS 20000

/* the objects of the model of the current call (ss_compute_model_diffs) */
static int	ss_model_objects = 0;

/*
 * read_target
 *		A target schema of the model, read with every text deparsed.  For a
 *		large model, the relation cache entries the deparsers build for the
 *		column names of expressions are let go as the read goes
 *		(ss_deparse_let_go): kept, they were 54 MB of the 469 MB private peak
 *		of the model diff of the 1% mutations at 10,000 tables, for 5 to 10%
 *		of its time (docs/benchmarks.md, "Twenty-second round").  A smaller
 *		model keeps them, for the speed of the session's next call.
 */
static SsModel *
read_target(const char *schema)
{
	SsModel    *volatile cur = NULL;

	/* a worker deparses ahead of the read (parallel.c) */
	ss_deparse_ahead_begin(schema, ss_model_objects);
	ss_deparse_let_go = ss_model_objects > SS_LARGE_MODEL_OBJECTS;
	PG_TRY();
	{
		cur = ss_read_schema(schema);
	}
	PG_CATCH();
	{
		ss_deparse_let_go = false;
		ss_deparse_ahead_abandon();
		PG_RE_THROW();
	}
	PG_END_TRY();
	ss_deparse_let_go = false;
	ss_deparse_ahead_end();
	return cur;
}

/*
 * A set of object keys (changes_only).
 */
typedef struct SsKeyEntry
{
	const char *key;
	char		status;
} SsKeyEntry;

#define SH_PREFIX ss_keyset
#define SH_ELEMENT_TYPE SsKeyEntry
#define SH_KEY key
#include "strhash.h"

/*
 * in_hierarchy
 *		Whether an object is a partitioned table, a partition or an
 *		INHERITS child.
 */
static bool
in_hierarchy(SsObject *obj)
{
	return obj->kind == SS_TABLE &&
		(obj->props[TP_PARTKEY] || obj->props[TP_PARTOF] || obj->props[TP_INHERITS]);
}

/*
 * changes_allowed
 *		Whether the model may be diffed by materializing only what differs
 *		from a snapshot of its target (changes_only): one schema, without
 *		renames, compared privileges, extensions, partitions or inheritance
 *		(whose objects the differ relates by more than dependencies), unless
 *		the caller asked for "materialize": "all".
 */
static bool
changes_allowed(List *models, SsOptions *opts)
{
	SsModel    *jm;
	ListCell   *lc;

	if (opts->materialize_all || opts->renames != NIL || opts->privileges ||
		list_length(models) != 1 || ss_model_extensions != NIL)
		return false;
	jm = linitial(models);
	foreach(lc, jm->objects)
	{
		SsObject   *obj = lfirst(lc);

		if (obj->kind == SS_PRIVILEGE || obj->kind == SS_DEFAULT_PRIVILEGE ||
			in_hierarchy(obj))
			return false;
	}
	return true;
}

/*
 * keyset_add
 *		Add a key to a set; when it is new, also to *work.
 */
static void
keyset_add(ss_keyset_hash *set, const char *key, List **work)
{
	bool		found;

	(void) ss_keyset_insert(set, key, &found);
	if (!found)
		*work = lappend(*work, (char *) key);
}

/*
 * keep_made
 *		ss_model_subset callback: the objects to materialize.
 */
static bool
keep_made(SsObject *obj, void *arg)
{
	return ss_keyset_lookup((ss_keyset_hash *) arg, obj->key) != NULL;
}

/*
 * support_plain
 *		The model to materialize, with what no compared object depends on
 *		taken off the objects that are not compared: such an object is made
 *		only because a compared one needs it (the table and columns a
 *		foreign key references, those a view reads), and the texts of the
 *		compared objects do not depend on its comment (the property named
 *		"comment" of any kind) or on a column's identity.  Each comment is a
 *		statement of its own, and each identity a sequence with its file: at
 *		1,000 tables the 1% mutations made 153 tables that are not compared,
 *		for 17 that are.
 */
static SsModel *
support_plain(SsModel *sub, ss_keyset_hash *inside)
{
	ListCell   *lc;

	foreach(lc, sub->objects)
	{
		SsObject   *obj = lfirst(lc);
		const SsKindOps *ops = ss_kind_ops[obj->kind];
		int			i;

		if (ss_keyset_lookup(inside, obj->key) != NULL)
			continue;
		for (i = 0; i < ops->nprops; i++)
			if (strcmp(ops->propnames[i], "comment") == 0)
				obj->props[i] = NULL;
		if (obj->kind == SS_COLUMN)
		{
			obj->props[CP_IDENTITY] = NULL;
			obj->props[CP_IDENTITY_OPTIONS] = NULL;
		}
	}
	return sub;
}

/*
 * labels_added_only
 *		Whether the enum of key is, in the model, the target's enum with
 *		labels added and nothing else changed but its comment: the diff then
 *		alters it in place (ALTER TYPE ... ADD VALUE, kind_type.c) unless a
 *		new label is used in the same migration, and whatever uses the type
 *		is left as it is.  changes_only then leaves out the type's
 *		dependents (each column of the type, and its table, would otherwise
 *		be materialized) and checks the diff's actions afterwards.
 */
static bool
labels_added_only(SsModel *cur, SsModel *jm, const char *key)
{
	SsObject   *c = ss_object_lookup(cur, key);
	SsObject   *w = ss_object_lookup(jm, key);
	List	   *oldl;
	List	   *newl;
	ListCell   *oc;
	ListCell   *nc;
	int			p;

	if (c == NULL || w == NULL || c->kind != SS_TYPE || w->kind != SS_TYPE ||
		!ss_streq(c->props[TY_TYPE_KIND], "enum") ||
		!ss_streq(w->props[TY_TYPE_KIND], "enum"))
		return false;
	for (p = 0; p < TY_NUM; p++)
		if (p != TY_LABELS && p != TY_COMMENT &&
			!ss_streq(ss_prop(c, p), ss_prop(w, p)))
			return false;
	if (c->props[TY_LABELS] == NULL || w->props[TY_LABELS] == NULL)
		return false;
	oldl = ss_text_array_elems(c->props[TY_LABELS]);
	newl = ss_text_array_elems(w->props[TY_LABELS]);

	/* the old labels, in their order, among the new ones */
	oc = list_head(oldl);
	foreach(nc, newl)
		if (oc != NULL && strcmp(lfirst(oc), lfirst(nc)) == 0)
			oc = lnext(oldl, oc);
	return oc == NULL;
}

/*
 * altered_only
 *		Whether every change of the diff to the objects of keys alters them
 *		in place or sets their comments (no drop, create or replace of the
 *		objects themselves).
 */
static bool
altered_only(SsDiff *d, List *keys)
{
	ListCell   *lc;
	ListCell   *cc;

	foreach(lc, keys)
		foreach(cc, ss_changes_of(d, lfirst(lc)))
		{
			SsChange   *c = lfirst(cc);

			if (c->action != SS_ACT_ALTER && strcmp(c->kindname, "comment") != 0)
				return false;
		}
	return true;
}

/*
 * changes_only
 *		The diff of a one-schema model against its target cur (read, as
 *		read), when changed holds the keys of the objects whose element in
 *		the model differs from what snapshot() writes of cur (or that only one
 *		of them holds): NIL when that is not worth it or did not work, for
 *		the caller to materialize the whole model.
 *
 *		An element equal to the snapshot's materializes into cur's object
 *		itself (the round trip of a snapshot is the identity), so only these
 *		are compared ("inside"): the changed objects (a table when its own
 *		fields differ, a column when its own do); all objects of a changed
 *		table; and, transitively, whatever depends on any of them on either
 *		side, which a change may force to be re-created.  What is
 *		materialized in the scratch schema is what is inside and is in the
 *		model, with what it needs to be created: its dependencies and parent,
 *		transitively; a table with all its columns when it is inside or
 *		something depends on it whole, else with the columns that are inside
 *		or that something needs (columns are matched by name and their order
 *		is not compared, so the numbers they get in the scratch schema do
 *		not matter).
 *		Everything else is marked outside, on both sides, and the differ
 *		leaves it out.
 */
static List *
changes_only(SsModel *jm, SsModel *cur, List *changed, List *quiet, SsOptions *opts)
{
	bool		retry = false;
	List	   *diffs = changes_only_try(jm, cur, changed, quiet, opts, true, &retry);

	if (retry)
		diffs = changes_only_try(jm, cur, changed, quiet, opts, false, &retry);
	return diffs;
}

/*
 * changes_only_try
 *		changes_only, once.  With enums set, the dependents of an enum that
 *		only gains labels (labels_added_only) are left out of what is
 *		compared; when the diff then does more to such an enum than alter it
 *		(a new label is used in the same migration, and the type is
 *		re-created with its dependents), nothing is returned and *retry is
 *		set, for the caller to try again without leaving them out.
 */
static List *
changes_only_try(SsModel *jm, SsModel *cur, List *changed, List *quiet,
				 SsOptions *opts, bool enums, bool *retry)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	ss_keyset_hash *inside = ss_keyset_create(cxt, 1024, NULL);
	ss_keyset_hash *made = ss_keyset_create(cxt, 1024, NULL);
	ss_keyset_hash *whole = ss_keyset_create(cxt, 256, NULL);
	ss_keyset_hash *alone = ss_keyset_create(cxt, 16, NULL);
	ss_keyset_hash *comments = ss_keyset_create(cxt, 64, NULL);
	List	   *work = NIL;
	List	   *tables = NIL;
	List	   *enumkeys = NIL;
	List	   *unused = NIL;
	SsModel    *sides[2] = {cur, jm};
	SsDiff	   *volatile d = NULL;
	volatile bool recreated = false;
	ListCell   *lc;
	int			nmade = 0;

	*retry = false;

	/* the target's partitions and INHERITS children, as the model's */
	foreach(lc, cur->objects)
		if (in_hierarchy(lfirst(lc)))
			return NIL;

	/* enums that only gain labels: compared without their dependents */
	foreach(lc, changed)
		if (enums && labels_added_only(cur, jm, lfirst(lc)))
			keyset_add(alone, lfirst(lc), &enumkeys);

	/*
	 * What is compared: the changes, their tables' objects, dependents; an
	 * object whose comment alone changed is compared without its table's
	 * objects or its dependents (a COMMENT statement re-creates nothing),
	 * unless another change reaches it.
	 */
	foreach(lc, quiet)
		keyset_add(comments, lfirst(lc), &unused);
	foreach(lc, changed)
		if (ss_keyset_lookup(comments, lfirst(lc)) == NULL)
			keyset_add(inside, lfirst(lc), &work);
	while (work != NIL)
	{
		char	   *key = linitial(work);
		int			i;

		work = list_delete_first(work);
		for (i = 0; i < 2; i++)
		{
			SsObject   *obj = ss_object_lookup(sides[i], key);
			ListCell   *dc;

			if (obj == NULL)
				continue;
			if (obj->kind == SS_TABLE)
				foreach(dc, obj->children)
					keyset_add(inside, ((SsObject *) lfirst(dc))->key, &work);
			if (ss_keyset_lookup(alone, key) != NULL)
				continue;
			foreach(dc, ss_dependents(obj))
				keyset_add(inside, ((SsObject *) lfirst(dc))->key, &work);
		}
	}
	foreach(lc, quiet)
		keyset_add(inside, lfirst(lc), &unused);

	/*
	 * What is materialized: what of it the model holds, and what that needs.
	 * A table gets all its columns when it is inside or something depends
	 * on it as a whole (a view's whole-row reference); else only those that
	 * are inside or that something needs.
	 */
	foreach(lc, jm->objects)
	{
		SsObject   *obj = lfirst(lc);

		if (ss_keyset_lookup(inside, obj->key) == NULL)
			continue;
		keyset_add(made, obj->key, &work);
		if (obj->kind == SS_TABLE)
			keyset_add(whole, obj->key, &tables);
	}
	while (work != NIL || tables != NIL)
	{
		SsObject   *obj;
		ListCell   *dc;

		if (tables != NIL)
		{
			/* a table made whole: all its columns */
			obj = ss_object_lookup(jm, linitial(tables));
			tables = list_delete_first(tables);
			keyset_add(made, obj->key, &work);
			foreach(dc, obj->children)
				if (((SsObject *) lfirst(dc))->kind == SS_COLUMN)
					keyset_add(made, ((SsObject *) lfirst(dc))->key, &work);
			continue;
		}
		obj = ss_object_lookup(jm, linitial(work));
		work = list_delete_first(work);
		nmade++;
		if (obj->parentobj)
			keyset_add(made, obj->parentobj->key, &work);
		foreach(dc, ss_deps(obj))
		{
			SsObject   *target = ss_object_lookup(jm, ((SsDep *) lfirst(dc))->key);

			if (target == NULL || target == obj->parentobj)
				continue;
			keyset_add(made, target->key, &work);
			if (target->kind == SS_TABLE)
				keyset_add(whole, target->key, &tables);
		}
	}

	/* about as much to create as the whole model: create the whole model */
	if (nmade > list_length(jm->objects) / 2)
		return NIL;

	foreach(lc, cur->objects)
		((SsObject *) lfirst(lc))->outside =
			ss_keyset_lookup(inside, ((SsObject *) lfirst(lc))->key) == NULL;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		char	   *scratch = psprintf("schemasync_model_%d_0", MyProcPid);
		SsModel    *norm;

		if (SPI_execute(psprintf("CREATE SCHEMA %s", quote_identifier(scratch)), false, 0) < 0)
			elog(ERROR, "could not create scratch schema \"%s\"", scratch);
		materialize(support_plain(ss_model_subset(jm, keep_made, made), inside),
					scratch, opts);
		norm = ss_read_schema(scratch);
		foreach(lc, norm->objects)
		{
			SsObject   *mv = lfirst(lc);
			SsObject   *mj;

			mv->outside = ss_keyset_lookup(inside, mv->key) == NULL;
			if (mv->kind == SS_MATVIEW && (mj = ss_object_lookup(jm, mv->key)) != NULL)
				mv->props[VP_NO_DATA] = mj->props[VP_NO_DATA];
		}
		d = ss_diff_models(cur, norm, ss_map_schema(opts, jm->schema), opts);
		if (!altered_only(d, enumkeys))
		{
			recreated = true;
			elog(ERROR, "an enum that gains labels is re-created");
		}
		ss_plan(d);
	}
	PG_CATCH();
	{
		ErrorData  *edata = ss_subxact_abort(cxt, owner);

		if (recreated)
		{
			/* its dependents were left out: compare them too */
			foreach(lc, cur->objects)
				((SsObject *) lfirst(lc))->outside = false;
			*retry = true;
			return NIL;
		}

		/* a cancel or a timeout is the user's; else the whole model tells */
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION)
			ReThrowError(edata);
		ereport(DEBUG1,
				(errmsg_internal("schemasync: materializing the changes of the model failed (%s); materializing all of it",
								 edata->message)));
		foreach(lc, cur->objects)
			((SsObject *) lfirst(lc))->outside = false;
		return NIL;
	}
	PG_END_TRY();
	ss_subxact_end(cxt, owner);
	ereport(DEBUG1,
			(errmsg_internal("schemasync: %d of the model's %d objects differ from a snapshot of the target; %d compared, %d materialized",
							 list_length(changed), list_length(jm->objects),
							 (int) inside->members,
							 nmade)));
	return list_make1(d);
}

/*
 * check_target
 *		A model's target schema must exist and, unless the options say to
 *		ignore them, hold no object of a kind not modeled.
 */
static void
check_target(const char *target, SsOptions *opts)
{
	(void) ss_check_schema(target, "target schema");
	if (!opts->ignore_unmodeled)
		ss_check_unmodeled(target, "target schema");
}

/*
 * empty_diffs
 *		One empty planned diff per target read, for a model that is a
 *		snapshot of them; parsed says whether the model was read into
 *		objects first (the DEBUG1 message tells the two shortcuts apart).
 */
static List *
empty_diffs(List *curs, SsOptions *opts, bool parsed)
{
	List	   *diffs = NIL;
	ListCell   *cc;

	ereport(DEBUG1,
			(errmsg_internal("schemasync: the model equals a snapshot of its %d target schema%s; nothing materialized%s",
							 list_length(curs), list_length(curs) == 1 ? "" : "s",
							 parsed ? "" : " or parsed")));
	foreach(cc, curs)
	{
		SsModel    *cur = lfirst(cc);
		SsDiff	   *d = ss_diff_none(cur, cur->schema, opts);

		ss_plan(d);
		diffs = lappend(diffs, d);
	}
	return diffs;
}

/*
 * snapshot_shortcut
 *		Before the model is parsed: one empty diff per schema when the model
 *		is, field for field, what snapshot() writes of its target schemas
 *		with every expression in the text it is deparsed to, or NIL.  Such a
 *		model is valid, and would materialize into the targets themselves
 *		(as in model_shortcuts, with every text equal to the target's), so
 *		it need not be read into objects: a model in daily use (a check
 *		that a database still matches the snapshot it was built from) is
 *		one.  Tried only when every schema of the document exists and maps
 *		to itself, without renames; the targets read are left in *reads for
 *		model_shortcuts, and they are compared with the model only when it
 *		holds as many objects as they do, object by object without writing
 *		their snapshot (ss_models_are_document).
 */
static List *
snapshot_shortcut(Jsonb *model, SsOptions *opts, List **reads)
{
	JsonbValue *schemas;
	JsonbValue *objects;
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	List	   *names = NIL;
	List	   *curs = NIL;
	ListCell   *lc;
	int			nobjects = 0;

	*reads = NIL;
	if (model == NULL || opts->renames != NIL || !JB_ROOT_IS_OBJECT(model))
		return NIL;
	schemas = getKeyJsonValueFromContainer(&model->root, "schemas", strlen("schemas"), NULL);
	objects = getKeyJsonValueFromContainer(&model->root, "objects", strlen("objects"), NULL);
	if (schemas == NULL || schemas->type != jbvBinary ||
		!JsonContainerIsArray(schemas->val.binary.data) ||
		objects == NULL || objects->type != jbvBinary ||
		!JsonContainerIsArray(objects->val.binary.data))
		return NIL;
	it = JsonbIteratorInit(schemas->val.binary.data);
	while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
	{
		char	   *name;

		if (tok != WJB_ELEM)
			continue;
		if (v.type != jbvString)
			return NIL;
		name = pnstrdup(v.val.string.val, v.val.string.len);
		foreach(lc, names)
			if (strcmp(lfirst(lc), name) == 0)
				return NIL;		/* invalid: listed twice */
		if (strcmp(ss_map_schema(opts, name), name) != 0 ||
			!OidIsValid(get_namespace_oid(name, true)))
			return NIL;
		names = lappend(names, name);
	}
	if (names == NIL)
		return NIL;

	/* the checks and reads of the targets, as the model's path makes them */
	ss_read_exts = true;
	ss_model_extensions = NIL;
	foreach(lc, names)
		check_target(lfirst(lc), opts);
	foreach(lc, names)
	{
		SsModel    *cur = read_target(lfirst(lc));
		ListCell   *oc;

		foreach(oc, cur->objects)
			if (((SsObject *) lfirst(oc))->kind != SS_COLUMN)
				nobjects++;
		curs = lappend(curs, cur);
	}
	*reads = curs;
	if (nobjects != JsonContainerSize(objects->val.binary.data))
		return NIL;
	if (!ss_models_are_document(curs, model))
		return NIL;
	return empty_diffs(curs, opts, false);
}

/*
 * model_shortcuts
 *		Diffs of the model computed without materializing all of it, or NIL.
 *
 *		When the model is exactly what snapshot() gives of its target schemas
 *		now (server version aside), one empty diff per schema: materializing
 *		it would give back the targets themselves, since a snapshot's round
 *		trip is the identity (docs/design.md, "The model path").  Else, when
 *		changes_allowed, the diff of its changes only (changes_only).
 *
 *		When NIL, the targets' models read on the way are in *reads, as read,
 *		for diff_in_scratch to use instead of reading them again; when *reads
 *		is not NIL on entry, they are the targets read already
 *		(snapshot_shortcut).  The check costs a snapshot of the targets,
 *		except for a model that differs in its objects' keys (anything added,
 *		dropped or renamed) and cannot take changes_only; when changes_only
 *		is allowed (one schema), the snapshot is not written as a document:
 *		each object of the target is compared with the model's element of
 *		its key (ss_model_changed_keys), and no object that differs is the
 *		same answer as equal documents.
 */
static List *
model_shortcuts(Jsonb *model, List *models, SsOptions *opts, List **reads)
{
	List	   *curs = *reads;
	List	   *undo = NIL;
	ListCell   *lc;
	ListCell   *cc;
	bool		same_keys = true;
	bool		identity = true;
	bool		changes = changes_allowed(models, opts);

	if (opts->renames != NIL)
		return NIL;
	foreach(lc, models)
	{
		SsModel    *jm = lfirst(lc);

		if (strcmp(ss_map_schema(opts, jm->schema), jm->schema) != 0)
			identity = false;
	}
	if (!identity && !changes)
		return NIL;

	/* the same objects, by key: a cheap test that most changes fail */
	if (curs == NIL)
	{
		foreach(lc, models)
		{
			SsModel    *jm = lfirst(lc);

			curs = lappend(curs, read_target(ss_map_schema(opts, jm->schema)));
		}
		*reads = curs;
	}
	forboth(lc, models, cc, curs)
	{
		SsModel    *jm = lfirst(lc);
		SsModel    *cur = lfirst(cc);
		ListCell   *oc;

		if (list_length(cur->objects) != list_length(jm->objects))
			same_keys = false;
		else
			foreach(oc, cur->objects)
				if (ss_object_lookup(jm, ((SsObject *) lfirst(oc))->key) == NULL)
				{
					same_keys = false;
					break;
				}
		if (!same_keys)
			break;
	}
	if (!same_keys && !changes)
		return NIL;

	/* then the whole document, as snapshot() writes it */
	forboth(lc, models, cc, curs)
		ss_model_normal_texts(lfirst(cc), lfirst(lc), &undo);
	if (changes)
	{
		/*
		 * One schema: compared object by object, without writing the
		 * target's document.  No object that differs is the document that
		 * snapshot() would write (the objects' order aside, which does not
		 * matter).
		 */
		List	   *quiet;
		List	   *changed = ss_model_changed_keys(model, linitial(curs), &quiet);

		if (identity && same_keys && changed == NIL)
			return empty_diffs(curs, opts, true);
		/* the targets as read again, for what follows */
		ss_model_undo_normal_texts(undo);
		return changes_only(linitial(models), linitial(curs), changed, quiet, opts);
	}
	if (identity && same_keys && ss_models_are_document(curs, model))
		return empty_diffs(curs, opts, true);
	ss_model_undo_normal_texts(undo);
	return NIL;
}

/*
 * model_size
 *		The number of top-level objects of a model document, 0 when it has
 *		no array of them (ss_models_from_jsonb tells what is wrong).
 */
static int
model_size(Jsonb *model)
{
	JsonbValue *objects;

	if (model == NULL || !JB_ROOT_IS_OBJECT(model) || JB_ROOT_IS_SCALAR(model))
		return 0;
	objects = getKeyJsonValueFromContainer(&model->root, "objects",
										   strlen("objects"), NULL);
	if (objects == NULL || objects->type != jbvBinary ||
		!JsonContainerIsArray(objects->val.binary.data))
		return 0;
	return JsonContainerSize(objects->val.binary.data);
}

/*
 * ss_compute_model_diffs
 *		One planned diff per schema of the model, against the schema it maps
 *		to; ordinals run on across the diffs.  Must be called while connected
 *		to SPI; everything it creates is gone when it returns.
 */
List *
ss_compute_model_diffs(Jsonb *model, SsOptions *opts)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	List	   *models;
	List	   *volatile diffs = NIL;
	List	   *reads;
	List	   *volatile targets;
	ListCell   *lc;

	ss_model_objects = model_size(model);
	/* a snapshot of its targets as they are: nothing to parse */
	diffs = snapshot_shortcut(model, opts, &reads);
	if (diffs != NIL)
		return diffs;
	models = ss_models_from_jsonb(model);

	/* extensions are modeled on this path; note those the model holds */
	ss_read_exts = true;
	ss_model_extensions = NIL;
	foreach(lc, models)
	{
		ListCell   *oc;

		foreach(oc, ((SsModel *) lfirst(lc))->objects)
			if (((SsObject *) lfirst(oc))->kind == SS_EXTENSION)
				ss_model_extensions = lappend(ss_model_extensions,
											  ((SsObject *) lfirst(oc))->name);
	}

	/* check the targets before creating anything (unless checked and read) */
	foreach(lc, reads == NIL ? models : NIL)
		check_target(ss_map_schema(opts, ((SsModel *) lfirst(lc))->schema), opts);

	/* a current snapshot of its targets, or one that changes a few objects */
	diffs = model_shortcuts(model, models, opts, &reads);
	if (diffs != NIL)
		return diffs;
	/* reads are of the targets before any extension is touched */
	targets = ss_model_extensions != NIL ? NIL : reads;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);

	PG_TRY();
	{
		diffs = diff_in_scratch(models, targets, opts);
	}
	PG_CATCH();
	{
		ss_scratch_path_for = NULL;
		ReThrowError(ss_subxact_abort(cxt, owner));
	}
	PG_END_TRY();
	ss_subxact_end(cxt, owner);
	return diffs;
}

/*
 * diff_in_scratch
 *		The diffs of each model schema, materialized into a scratch schema,
 *		against its target; reads, when not NIL, holds the targets' models
 *		read already (model_shortcuts).
 */
static List *
diff_in_scratch(List *models, List *reads, SsOptions *opts)
{
	List	   *diffs = NIL;
	List	   *norms = NIL;
	List	   *undo;
	ListCell   *lc;
	ListCell   *nc;
	int			offset = 0;
	int			n = 0;

	/* first every model schema is materialized and read back */
	undo = ss_extensions_prepare(models, opts);
	foreach(lc, models)
	{
		SsModel    *jm = lfirst(lc);
		const char *target = ss_map_schema(opts, jm->schema);
		char	   *scratch = psprintf("schemasync_model_%d_%d", MyProcPid, n++);
		SsModel    *norm;
		ListCell   *cc;
		List	   *moved;
		bool		left;

		if (SPI_execute(psprintf("CREATE SCHEMA %s", quote_identifier(scratch)), false, 0) < 0)
			elog(ERROR, "could not create scratch schema \"%s\"", scratch);
		moved = ss_extensions_to_scratch(jm, scratch, &left);
		if (left)
		{
			ss_scratch_path_for = scratch;
			ss_scratch_path_also = target;
		}
		materialize(jm, scratch, opts);
		norm = ss_read_schema(scratch);
		ss_scratch_path_for = NULL;
		ss_extensions_back(moved, target);
		ss_extensions_carry_over(norm, jm);
		foreach(cc, norm->objects)
		{
			SsObject   *mv = lfirst(cc);
			SsObject   *mj = ss_object_lookup(jm, mv->key);

			if (mv->kind == SS_MATVIEW && mj != NULL)
				mv->props[VP_NO_DATA] = mj->props[VP_NO_DATA];
		}
		norms = lappend(norms, norm);
	}
	/* then the extensions are as they were, and each target is diffed */
	ss_extensions_undo(undo);
	forboth(lc, models, nc, norms)
	{
		SsModel    *jm = lfirst(lc);
		SsModel    *norm = lfirst(nc);
		const char *target = ss_map_schema(opts, jm->schema);
		SsModel    *cur;
		SsDiff	   *d;
		ListCell   *cc;

		cur = reads != NIL ? list_nth(reads, foreach_current_index(lc)) :
			read_target(target);
		if (opts->renames)
			d = ss_diff_with_renames(target, cur, norm, opts);
		else
		{
			d = ss_diff_models(cur, norm, target, opts);
			ss_plan(d);
		}
		foreach(cc, d->changes)
			((SsChange *) lfirst(cc))->ordinal += offset;
		offset += list_length(d->changes);
		diffs = lappend(diffs, d);
	}
	ss_extensions_hoist(diffs);
	return diffs;
}
