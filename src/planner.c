/*-------------------------------------------------------------------------
 *
 * planner.c
 *	  Order the changes of a diff along both models' dependencies.
 *
 * The changes form one graph.  Its edges:
 *
 *	- a create or alter of X comes after the creates and alters of what X
 *	  depends on in the desired model (except "late" steps such as comments
 *	  and OWNED BY, which nothing needs);
 *	- a drop of X, and an alter of X, come after the drops of what depends
 *	  on X in the current model, and a drop of X after every other change of
 *	  those dependents (the one that removes a default's use of a sequence);
 *	- the drop half of a replace comes before anything else done to the
 *	  same object, and a drop that frees a relation name comes before the
 *	  create that takes it;
 *	- steps of one object keep the order their emitter gave them.
 *
 * A step with no statement (a column created by its table's CREATE TABLE)
 * stands for its parent's statement.  The graph is sorted with Kahn's
 * algorithm; among the ready changes, drops come first, then alters, then
 * creates, then by kind and identity, so that the order is deterministic.
 * A cycle is an error naming the changes in it.
 *
 * src/planner.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "lib/binaryheap.h"
#include "utils/builtins.h"

#include "schemasync.h"

typedef struct SsNameEntry
{
	const char *name;
	List	   *drops;
	char		status;
} SsNameEntry;

#define SH_PREFIX ss_namehash
#define SH_ELEMENT_TYPE SsNameEntry
#define SH_KEY name
#include "strhash.h"

/*
 * rep
 *		The change that carries a step's statement: itself, or for a step
 *		absorbed by its table, the table's statement in the same direction.
 */
static SsChange *
rep(SsDiff *d, SsChange *c)
{
	SsObject   *obj;
	ListCell   *lc;

	if (c->ddl != NULL)
		return c;
	if (c->absorbed_into)
		return rep(d, c->absorbed_into);
	obj = c->want ? c->want : c->cur;
	if (obj->parentobj == NULL)
		return NULL;
	foreach(lc, ss_changes_of(d, obj->parentobj->key))
	{
		SsChange   *p = lfirst(lc);

		if (p->ddl == NULL || !ss_own_change(p))
			continue;
		if (SS_ACT_IS_DROP(c->action) ? SS_ACT_IS_DROP(p->action) : SS_ACT_IS_CREATE(p->action))
			return p;
	}
	return NULL;
}

/*
 * add_edge
 *		a must come before b (through their representatives).
 */
static void
add_edge(SsDiff *d, SsChange *a, SsChange *b)
{
	a = rep(d, a);
	b = rep(d, b);
	if (a == NULL || b == NULL || a == b)
		return;
	if (list_member_ptr(b->preds, a))
		return;
	b->preds = lappend(b->preds, a);
	a->out = lappend(a->out, b);
	b->nin++;
}

/*
 * relation_name
 *		The name a change's object takes in the schema's relation namespace,
 *		or NULL when it takes none.
 */
static const char *
relation_name(SsChange *c)
{
	SsObject   *obj = c->want ? c->want : c->cur;

	if (strcmp(c->kindname, "comment") == 0)
		return NULL;
	switch (obj->kind)
	{
		case SS_TABLE:
		case SS_INDEX:
		case SS_SEQUENCE:
		case SS_VIEW:
		case SS_MATVIEW:
			return obj->name;
		case SS_TYPE:
			/* pg_type names: shared with the row types of relations */
			return obj->name;
		case SS_CONSTRAINT:
			return strchr("pux", obj->props[KP_TYPE][0]) ? obj->name : NULL;
		default:
			return NULL;
	}
}

/*
 * owned_dep
 *		Whether obj depends on key only as a sequence owned by a column.
 */
static bool
owned_dep(SsObject *obj, const char *key)
{
	ListCell   *lc;

	foreach(lc, ss_deps(obj))
	{
		SsDep	   *dep = lfirst(lc);

		if (strcmp(dep->key, key) == 0)
			return dep->flags == SS_DEP_OWNED;
	}
	return false;
}

/*
 * change_class
 *		Drops first, alters next, creates last, when nothing else decides.
 */
static int
change_class(SsChange *c)
{
	if (SS_ACT_IS_DROP(c->action))
		return 0;
	return c->action == SS_ACT_ALTER ? 1 : 2;
}

/*
 * change_cmp
 *		binaryheap comparator: the change that should come first is the
 *		"largest".
 */
static int
change_cmp(Datum a, Datum b, void *arg)
{
	SsChange   *x = (SsChange *) DatumGetPointer(a);
	SsChange   *y = (SsChange *) DatumGetPointer(b);
	int			cx = change_class(x);
	int			cy = change_class(y);
	int			kx;
	int			ky;
	int			r;

	if (cx != cy)
		return cy - cx;
	kx = cx == 0 ? SS_NUM_KINDS - x->kind : x->kind;
	ky = cy == 0 ? SS_NUM_KINDS - y->kind : y->kind;
	if (kx != ky)
		return ky - kx;
	r = strcmp(y->identity, x->identity);
	if (r != 0)
		return r;
	return y->seq - x->seq;
}

/*
 * build_edges
 *		All edges of the graph, as described at the top of the file.
 */
static void
build_edges(SsDiff *d)
{
	ss_namehash_hash *names = ss_namehash_create(CurrentMemoryContext, 64, NULL);
	ListCell   *lc;

	/* changes that free a relation name: drops, and DROP IDENTITY */
	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);
		const char *name = relation_name(c);
		List	   *freed = list_copy(c->frees);
		ListCell   *fc;

		if (name && SS_ACT_IS_DROP(c->action))
			freed = lappend(freed, (char *) name);
		foreach(fc, freed)
		{
			bool		found;
			SsNameEntry *e = ss_namehash_insert(names, lfirst(fc), &found);

			if (!found)
				e->drops = NIL;
			e->drops = lappend(e->drops, c);
		}
	}

	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);
		ListCell   *ac;

		foreach(ac, c->after)
			add_edge(d, lfirst(ac), c);

		if (!SS_ACT_IS_DROP(c->action) && !c->nodeps)
		{
			List	   *keys = list_copy(c->needs);

			foreach(ac, ss_deps(c->want))
			{
				SsDep	   *dep = lfirst(ac);

				if (dep->flags != SS_DEP_OWNED)
					keys = lappend(keys, dep->key);
			}
			foreach(ac, keys)
			{
				ListCell   *pc;

				foreach(pc, ss_changes_of(d, lfirst(ac)))
				{
					SsChange   *p = lfirst(pc);

					if (!p->late && !SS_ACT_IS_DROP(p->action))
						add_edge(d, p, c);
				}
			}
		}

		if (c->cur && (SS_ACT_IS_DROP(c->action) || c->action == SS_ACT_ALTER))
		{
			foreach(ac, ss_dependents(c->cur))
			{
				SsObject   *z = lfirst(ac);
				ListCell   *qc;

				/* a sequence owned by an altered column is not in its way */
				if (c->action == SS_ACT_ALTER && owned_dep(z, c->cur->key))
					continue;
				foreach(qc, ss_changes_of(d, z->key))
				{
					SsChange   *q = lfirst(qc);

					if (SS_ACT_IS_DROP(q->action) ||
						(SS_ACT_IS_DROP(c->action) && q->action == SS_ACT_ALTER &&
						 !q->adds_only))
						add_edge(d, q, c);
				}
			}
		}

		if (SS_ACT_IS_DROP(c->action))
		{
			ListCell   *sc;

			foreach(sc, ss_changes_of(d, c->key))
			{
				SsChange   *s = lfirst(sc);

				if (!SS_ACT_IS_DROP(s->action))
					add_edge(d, c, s);
			}
		}
		else
		{
			List	   *taken = list_copy(c->takes);

			if (SS_ACT_IS_CREATE(c->action) && relation_name(c))
				taken = lappend(taken, (char *) relation_name(c));
			foreach(ac, taken)
			{
				SsNameEntry *e = ss_namehash_lookup(names, lfirst(ac));
				ListCell   *ec;

				if (e)
					foreach(ec, e->drops)
						add_edge(d, lfirst(ec), c);
			}
		}
	}
}

/*
 * ss_plan
 *		Sort the changes of a diff and number the statements 1..n; steps
 *		without a statement are left out of d->changes.
 */
void
ss_plan(SsDiff *d)
{
	List	   *nodes = NIL;
	List	   *sorted = NIL;
	binaryheap *heap;
	ListCell   *lc;
	int			ordinal = 0;

	build_edges(d);

	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);

		if (c->ddl != NULL)
			nodes = lappend(nodes, c);
	}
	if (nodes == NIL)
	{
		d->changes = NIL;
		return;
	}

	heap = binaryheap_allocate(list_length(nodes), change_cmp, NULL);
	foreach(lc, nodes)
	{
		SsChange   *c = lfirst(lc);

		if (c->nin == 0)
			binaryheap_add_unordered(heap, PointerGetDatum(c));
	}
	binaryheap_build(heap);
	while (!binaryheap_empty(heap))
	{
		SsChange   *c = (SsChange *) DatumGetPointer(binaryheap_remove_first(heap));
		ListCell   *oc;

		c->ordinal = ++ordinal;
		sorted = lappend(sorted, c);
		foreach(oc, c->out)
		{
			SsChange   *n = lfirst(oc);

			if (--n->nin == 0)
				binaryheap_add(heap, PointerGetDatum(n));
		}
	}

	if (list_length(sorted) != list_length(nodes))
	{
		StringInfoData buf;
		int			shown = 0;

		initStringInfo(&buf);
		foreach(lc, nodes)
		{
			SsChange   *c = lfirst(lc);

			if (c->ordinal != 0 || shown >= 10)
				continue;
			appendStringInfo(&buf, "%s%s %s %s", shown ? "; " : "",
							 ss_action_names[c->action], c->kindname, c->identity);
			shown++;
		}
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_OBJECT_DEFINITION),
				 errmsg("schemasync cannot order the changes: they depend on each other in a cycle"),
				 errdetail("Changes in or after the cycle: %s.", buf.data)));
	}
	d->changes = sorted;
}
