/*-------------------------------------------------------------------------
 *
 * differ.c
 *	  Compare two models and collect the changes that turn one into the other.
 *
 * Objects are matched by key.  For each pair the kind's diff operation
 * emits its changes (create, alter, drop, or the two halves of a replace).
 * Then the dependents of everything that is dropped, replaced or altered in
 * a way that breaks dependents (a column type change, say) are themselves
 * replaced, transitively: PostgreSQL would otherwise refuse the change, or
 * drop them with CASCADE and leave the migration short of objects.  These
 * are the edges the catalog does not record (DESIGN.md section 3).
 *
 * src/differ.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/builtins.h"

#include "schemasync.h"

typedef struct SsChgEntry
{
	const char *key;
	List	   *changes;
	char		status;
} SsChgEntry;

#define SH_PREFIX ss_chghash
#define SH_ELEMENT_TYPE SsChgEntry
#define SH_KEY key
#include "strhash.h"

const SsKindOps *const ss_kind_ops[SS_NUM_KINDS] = {
	&ss_sequence_ops,
	&ss_table_ops,
	&ss_column_ops,
	&ss_constraint_ops,
	&ss_index_ops,
	&ss_type_ops,
	&ss_domconstraint_ops,
	&ss_function_ops,
	&ss_trigger_ops,
	&ss_view_ops,
	&ss_matview_ops,
	&ss_privilege_ops,
	&ss_default_privilege_ops,
	&ss_policy_ops,
	&ss_collation_ops,
	&ss_extension_ops,
};

const char *const ss_hazard_names[SS_NUM_HAZARDS] = {
	"rewrites_table",
	"scans_table",
	"access_exclusive_lock",
	"index_build",
	"breaks_dependents",
	"not_transactional",
	"deletes_data",
	"sequence_reset",
	"blocks_writes",
	"may_fail",
	"commit_first",
};

const char *const ss_lock_names[] = {
	NULL,
	"AccessShareLock",
	"RowExclusiveLock",
	"ShareUpdateExclusiveLock",
	"ShareLock",
	"ShareRowExclusiveLock",
	"ExclusiveLock",
	"AccessExclusiveLock",
};

const char *const ss_action_names[] = {
	"create", "alter", "drop", "replace", "replace"
};

/*
 * ss_streq
 *		Equality of two property values, NULL being equal only to NULL.
 */
bool
ss_streq(const char *a, const char *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	return strcmp(a, b) == 0;
}

/*
 * ss_changes_of
 *		The live changes recorded so far for an object key.
 */
List *
ss_changes_of(SsDiff *d, const char *key)
{
	SsChgEntry *e;

	if (d->bykey == NULL)
		elog(ERROR, "schemasync: the changes of a diff whose desired side was released");
	e = ss_chghash_lookup((ss_chghash_hash *) d->bykey, key);

	return e ? e->changes : NIL;
}

/*
 * ss_steps_after
 *		Make every step of steps that is not a drop come after c: the other
 *		steps of a column, recorded before a conversion of it (a type, range
 *		or collation re-created), run on the converted column.  steps is
 *		taken by the caller (list_copy of ss_changes_of) before it adds its
 *		own steps for the column, which must not be ordered after c.
 */
void
ss_steps_after(List *steps, SsChange *c)
{
	ListCell   *lc;

	foreach(lc, steps)
	{
		SsChange   *o = lfirst(lc);

		if (!SS_ACT_IS_DROP(o->action))
			o->after = lappend(o->after, c);
	}
}

/*
 * own_change
 *		Whether a change is a statement about the object itself, not a
 *		satellite of it such as its comment.
 */
bool
ss_own_change(SsChange *c)
{
	return strcmp(c->kindname, ss_kind_ops[c->kind]->name) == 0;
}

/*
 * has_drop
 *		Whether the object with this key is dropped (or replaced).
 */
static bool
has_drop(SsDiff *d, const char *key)
{
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, key))
	{
		SsChange   *c = lfirst(lc);

		if (SS_ACT_IS_DROP(c->action) && ss_own_change(c))
			return true;
	}
	return false;
}

/*
 * has_create
 *		Whether the object with this key is created (or replaced).
 */
static bool
has_create(SsDiff *d, const char *key)
{
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, key))
	{
		SsChange   *c = lfirst(lc);

		if (SS_ACT_IS_CREATE(c->action) && ss_own_change(c))
			return true;
	}
	return false;
}

/*
 * ss_drop_of
 *		The drop (or replace-drop) statement step of an object, or NULL.
 */
SsChange *
ss_drop_of(SsDiff *d, const char *key)
{
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, key))
	{
		SsChange   *c = lfirst(lc);

		if (SS_ACT_IS_DROP(c->action) && ss_own_change(c))
			return c;
	}
	return NULL;
}

/*
 * ss_object_created
 *		Whether an object is created (or re-created) by this diff.
 */
bool
ss_object_created(SsDiff *d, const char *key)
{
	return has_create(d, key);
}

/*
 * ss_parent_created
 *		Whether the table of a sub-object is created (or re-created) by this
 *		diff, so that the sub-object comes with it.
 */
bool
ss_parent_created(SsDiff *d, SsObject *want)
{
	return want && want->parentobj && has_create(d, want->parentobj->key);
}

/*
 * ss_parent_dropped
 *		Whether the table of a sub-object is dropped (or re-created) by this
 *		diff, so that the sub-object goes with it.
 */
bool
ss_parent_dropped(SsDiff *d, SsObject *cur)
{
	return cur && cur->parentobj && has_drop(d, cur->parentobj->key);
}

/*
 * ss_target_identity
 *		The quoted identity of an object (of either side) in the target.
 */
char *
ss_target_identity(SsDiff *d, SsObject *obj)
{
	return ss_identity(d->target, obj);
}

/*
 * ss_target_table
 *		The qualified name in the target of the table an object is on, or of
 *		the object itself when it has no parent.
 */
char *
ss_target_table(SsDiff *d, SsObject *obj)
{
	return ss_qualified(d->target, obj->parent ? obj->parent : obj->name);
}

/*
 * ss_add_change
 *		Record a change of an object.  ddl NULL marks a step absorbed by the
 *		parent's statement (a column created with its table).  The caller
 *		fills the annotations.
 */
SsChange *
ss_add_change(SsDiff *d, const char *kindname, SsObject *cur, SsObject *want,
			  SsAction action, char *ddl)
{
	SsChange   *c;
	SsObject   *obj = want ? want : cur;
	SsChgEntry *e;
	bool		found;

	/*
	 * Changes are carved from blocks of SS_CHANGE_BLOCK in the diff's
	 * context (one allocation, no rounding up to a power of two), and are
	 * never freed one by one.
	 */
	if (d->nfree == 0)
	{
		d->free = MemoryContextAllocZero(GetMemoryChunkContext(d),
										 SS_CHANGE_BLOCK * sizeof(SsChange));
		d->nfree = SS_CHANGE_BLOCK;
	}
	c = d->free++;
	d->nfree--;

	c->kindname = kindname ? kindname : ss_kind_ops[obj->kind]->name;
	c->kind = obj->kind;
	c->key = obj->key;
	c->identity = ss_target_identity(d, obj);
	c->action = action;
	c->ddl = ddl;
	c->transactional = true;
	c->cur = cur;
	c->want = want;
	c->seq = d->nextseq++;
	d->changes = lappend(d->changes, c);

	e = ss_chghash_insert((ss_chghash_hash *) d->bykey, c->key, &found);
	if (!found)
		e->changes = NIL;
	e->changes = lappend(e->changes, c);
	return c;
}

/*
 * ss_emit_comment
 *		A COMMENT ON statement when the comment property differs.  It comes
 *		after the given change (the object's creation) and is never needed by
 *		other objects.  The caller says which table lock the statement takes:
 *		ShareUpdateExclusiveLock for a relation or an object that belongs to
 *		one (column, constraint, trigger, policy), none for objects that are
 *		not relations (routines, types, domain constraints, collations).
 */
void
ss_emit_comment(SsDiff *d, SsObject *cur, SsObject *want,
				const char *objtype, const char *objname, int prop,
				SsLock lock, SsChange *after)
{
	const char *oldc = cur ? cur->props[prop] : NULL;
	const char *newc = want ? want->props[prop] : NULL;
	SsChange   *c;

	if (ss_streq(oldc, newc) || want == NULL)
		return;
	c = ss_add_change(d, "comment", cur, want,
					  oldc == NULL ? SS_ACT_CREATE : (newc == NULL ? SS_ACT_DROP : SS_ACT_ALTER),
					  psprintf("COMMENT ON %s %s IS %s;", objtype, objname,
							   newc ? quote_literal_cstr(newc) : "NULL"));

	/* a comment is dropped by changing it, not by dropping the object */
	if (c->action == SS_ACT_DROP)
		c->action = SS_ACT_ALTER;
	c->late = true;
	c->lock = lock;
	c->reason = pstrdup(newc == NULL ? "comment removed" : "comment differs");
	if (after)
		c->after = lappend(c->after, after);
}

/*
 * has_own_changes
 *		Whether an object has changes other than late steps (comments).
 */
static bool
has_own_changes(SsDiff *d, const char *key)
{
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, key))
		if (!((SsChange *) lfirst(lc))->late)
			return true;
	return false;
}

/*
 * ss_kill_changes
 *		Cancel every change recorded so far for an object, before it is
 *		replaced as a whole.
 */
void
ss_kill_changes(SsDiff *d, const char *key)
{
	SsChgEntry *e = ss_chghash_lookup((ss_chghash_hash *) d->bykey, key);
	ListCell   *lc;

	if (e == NULL)
		return;
	foreach(lc, e->changes)
	{
		SsChange   *c = lfirst(lc);

		d->changes = list_delete_ptr(d->changes, c);
	}
	e->changes = NIL;
}

/*
 * fragile_for_alter
 *		Whether a dependent must be dropped and re-created when the object it
 *		depends on is altered in a way that breaks dependents (a column type
 *		change).  PostgreSQL rebuilds indexes and most constraints itself;
 *		foreign keys and generated columns we rebuild, since the other end
 *		may be changing too; triggers on the column (UPDATE OF, WHEN) we
 *		rebuild, since PostgreSQL refuses the change under them.
 */
static bool
fragile_for_alter(SsObject *dependent)
{
	switch (dependent->kind)
	{
		case SS_CONSTRAINT:
			return ss_streq(dependent->props[KP_TYPE], "f");
		case SS_COLUMN:
			return dependent->props[CP_GENERATED] != NULL;
		case SS_TRIGGER:
		case SS_VIEW:
		case SS_MATVIEW:
		case SS_POLICY:
			/* PostgreSQL refuses to change the type of a column they use */
			return true;
		default:
			return false;
	}
}

/*
 * force_replacements
 *		Replace, transitively, every dependent of what is dropped, replaced or
 *		broken, unless it is dropped anyway.
 */
static void
force_replacements(SsDiff *d)
{
	List	   *work = NIL;
	ListCell   *lc;

	/* the seeds: objects dropped or broken by the changes so far */
	foreach(lc, d->cur->objects)
	{
		SsObject   *obj = lfirst(lc);
		SsObject   *want;

		if (obj->outside)
			continue;
		want = obj->twin;
		if (has_drop(d, obj->key))
			work = lappend(work, obj);
		else if (want && ss_kind_ops[obj->kind]->breaks_dependents &&
				 ss_kind_ops[obj->kind]->breaks_dependents(d, obj, want))
			work = lappend(work, obj);
	}

	while (work != NIL)
	{
		SsObject   *obj = linitial(work);
		bool		dropped = has_drop(d, obj->key);
		ListCell   *dc;

		work = list_delete_first(work);
		foreach(dc, ss_dependents(obj))
		{
			SsObject   *dep = lfirst(dc);
			SsObject   *want = dep->twin;
			ListCell   *fc;
			bool		owned = false;

			/* a partial diff holds every dependent of what it holds */
			if (want == NULL || dep->outside || has_drop(d, dep->key))
				continue;
			foreach(fc, ss_deps(dep))
			{
				SsDep	   *dd = lfirst(fc);

				if (strcmp(dd->key, obj->key) == 0 && dd->flags == SS_DEP_OWNED)
					owned = true;
			}
			if (owned)
				continue;
			if (!dropped && !fragile_for_alter(dep))
				continue;

			/*
			 * Of an object dropped for good, a dependent that changes anyway
			 * stops using it by its own changes (a default that no longer
			 * calls the sequence; the planner runs them before the drop).
			 * One that does not change (a foreign key whose unique index
			 * goes) must be dropped first and added again.  So must a view:
			 * its CREATE OR REPLACE would come after the alters of
			 * everything it reads (the DROP NOT NULL that follows the drop
			 * of a key it relies on), and the drop after it: a cycle.
			 */
			if (dropped && obj->twin == NULL &&
				has_own_changes(d, dep->key) && dep->kind != SS_VIEW)
				continue;

			/*
			 * A column whose default calls a routine that is re-created
			 * keeps its data: only the default is dropped and set again.
			 */
			if (obj->kind == SS_FUNCTION && dep->kind == SS_COLUMN &&
				dep->props[CP_GENERATED] == NULL)
			{
				ss_function_reset_default(d, dep, want);
				continue;
			}

			ss_kill_changes(d, dep->key);
			ss_kind_ops[dep->kind]->replace(d, dep, want,
											psprintf("re-created because %s %s",
													 ss_target_identity(d, obj),
													 dropped ? "is dropped or re-created" : "changes type"));
			work = lappend(work, dep);
		}
	}
}

/*
 * ss_diff_release_want
 *		Free the desired side of a planned diff that has its own memory
 *		context (a reference schema read by ss_compute_schema_diff), once the
 *		caller needs no more of the diff than its statements: an apply,
 *		after running them, verifies with a second diff that reads both
 *		schemas again, and the 10,000-table reference held meanwhile was
 *		memory that read could not reuse.  The texts each change keeps (its
 *		statement, key, identity and reason) may be the model's own, and are
 *		copied into the current memory context first; whatever else points
 *		into the desired side is cleared (each change's object, what the
 *		planner needed, the key table, the current side's twins), and
 *		ss_changes_of refuses the diff afterwards.  Nothing when the desired
 *		side has no context of its own.
 */
void
ss_diff_release_want(SsDiff *d)
{
	ListCell   *lc;

	if (d->wantcxt == NULL)
		return;
	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);

		if (c->ddl)
			c->ddl = pstrdup(c->ddl);
		if (c->key)
			c->key = pstrdup(c->key);
		if (c->identity)
			c->identity = pstrdup(c->identity);
		if (c->reason)
			c->reason = pstrdup(c->reason);
		c->want = NULL;
		c->needs = NIL;
		c->frees = NIL;
		c->takes = NIL;
	}
	foreach(lc, d->cur->objects)
		((SsObject *) lfirst(lc))->twin = NULL;
	d->bykey = NULL;
	d->deferred = NIL;
	d->want = NULL;
	MemoryContextDelete(d->wantcxt);
	d->wantcxt = NULL;
}

/*
 * diff_create
 *		A diff from cur to want, against schema target, with no change yet.
 */
static SsDiff *
diff_create(SsModel *cur, SsModel *want, const char *target, SsOptions *opts)
{
	SsDiff	   *d = palloc0(sizeof(SsDiff));

	d->cur = cur;
	d->want = want;
	d->target = target;
	d->opts = opts;
	d->bykey = (struct ss_chghash_hash *) ss_chghash_create(CurrentMemoryContext, 256, NULL);
	return d;
}

/*
 * ss_diff_none
 *		The diff of a model with itself, against schema target: no change,
 *		without comparing every object with itself (a model found equal to
 *		its target, normalize.c).
 */
SsDiff *
ss_diff_none(SsModel *cur, const char *target, SsOptions *opts)
{
	return diff_create(cur, cur, target, opts);
}

/*
 * ss_diff_models
 *		All changes that turn cur into want, emitted against schema target.
 *		Objects marked outside (a partial model diff, normalize.c) are left
 *		out on both sides.
 */
SsDiff *
ss_diff_models(SsModel *cur, SsModel *want, const char *target, SsOptions *opts)
{
	SsDiff	   *d = diff_create(cur, want, target, opts);
	ListCell   *lc;
	int			next = 0;
	int			ncur = list_length(cur->objects);

	/*
	 * Each object of the current side gets its twin, the desired side's
	 * object of its key, once: the drops and force_replacements ask for it
	 * instead of looking it up again.  Two sides read alike list their
	 * objects in the same order, so the next current object after the last
	 * one matched is tried before the key table: at 10,000 tables, the
	 * lookups in the table's 12 MB cost 6% of a no-op diff.
	 */
	foreach(lc, cur->objects)
		((SsObject *) lfirst(lc))->twin = NULL;
	foreach(lc, want->objects)
	{
		SsObject   *w = lfirst(lc);
		SsObject   *c = NULL;

		if (next < ncur)
		{
			SsObject   *x = list_nth(cur->objects, next);

			if (strcmp(x->key, w->key) == 0)
				c = x;
		}
		if (c == NULL)
		{
			c = ss_object_lookup(cur, w->key);
			/* past one dropped object: in step again */
			if (c != NULL && next + 1 < ncur && list_nth(cur->objects, next + 1) == c)
				next++;
		}
		if (c != NULL)
		{
			c->twin = w;
			if (next < ncur && list_nth(cur->objects, next) == c)
				next++;
		}
		if (w->outside)
			continue;
		ss_kind_ops[w->kind]->diff(d, c, w);
	}

	/*
	 * Drops; sequences last, since a sequence owned by a column goes with
	 * the column's (or table's) drop.
	 */
	foreach(lc, cur->objects)
	{
		SsObject   *c = lfirst(lc);

		if (c->kind != SS_SEQUENCE && !c->outside && c->twin == NULL)
			ss_kind_ops[c->kind]->diff(d, c, NULL);
	}
	foreach(lc, cur->objects)
	{
		SsObject   *c = lfirst(lc);

		if (c->kind == SS_SEQUENCE && !c->outside && c->twin == NULL)
			ss_kind_ops[c->kind]->diff(d, c, NULL);
	}
	/* columns that follow their parents' statements, once those are known */
	ss_inherited_columns_diff(d);
	force_replacements(d);
	return d;
}
