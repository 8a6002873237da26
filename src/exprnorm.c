/*-------------------------------------------------------------------------
 *
 * exprnorm.c
 *	  Compare expressions in a normal form that survives a re-parse.
 *
 * PostgreSQL does not always deparse an expression to a fixed point: a
 * CHECK written "status IN ('a', 'b')" on a varchar column is stored as
 * "(status)::text = ANY ((ARRAY['a'::character varying, ...])::text[])",
 * and that text, parsed again, is stored with the casts moved inside the
 * array.  Comparing deparsed texts would then drop and re-add the
 * constraint on every run.  When two texts differ we therefore parse each
 * again in its own table's context, exactly as CREATE would (the same parse
 * analysis, coercion and collation steps), deparse the result, and repeat
 * until the text stops changing; the expressions are equal when their
 * normal forms are.  Only expressions whose texts differ pay for this.
 *
 * src/exprnorm.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/relation.h"
#include "access/xact.h"
#include "catalog/heap.h"
#include "catalog/pg_attribute.h"
#include "nodes/parsenodes.h"
#include "parser/parse_coerce.h"
#include "parser/parse_clause.h"
#include "parser/parse_collate.h"
#include "parser/parse_expr.h"
#include "parser/parse_relation.h"
#include "parser/parser.h"
#include "common/hashfn.h"
#include "utils/builtins.h"
#include "nodes/nodes.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/resowner.h"
#include "utils/ruleutils.h"

#include "schemasync.h"

/*
 * The normal forms of expressions already computed by one
 * ss_model_normal_texts call.  A default cannot name a column, so within one
 * schema its normal form depends only on its text and its column's type
 * (keyed "type typmod text"): a schema with thousands of "DEFAULT now()"
 * parses each distinct one once.  A CHECK or an index predicate is keyed by
 * its kind letter, its text and the columns of its table it may name
 * (table_normal_form); the two forms of key cannot meet.
 */
typedef struct SsNormEntry
{
	const char *key;
	char	   *normal;			/* NULL: the text does not parse */
	char		status;
} SsNormEntry;

#define SH_PREFIX ss_normhash
#define SH_ELEMENT_TYPE SsNormEntry
#define SH_KEY key
#include "strhash.h"

/*
 * reparse_once
 *		Parse one expression text in the context of a table and deparse it
 *		again.  kind is 'c' (CHECK), 'w' (index predicate), 'p' (policy
 *		USING or WITH CHECK), 'd' (default of column col) or 'g' (generation
 *		expression of column col).
 */
static char *
reparse_once(Oid relid, SsObject *col, const char *exprtext, char kind)
{
	char	   *sql = psprintf("SELECT (%s)", exprtext);
	List	   *raw;
	RawStmt    *rs;
	SelectStmt *sel;
	ResTarget  *rt;
	ParseState *pstate;
	ParseNamespaceItem *nsitem;
	Relation	rel;
	Node	   *expr;
	char	   *result;

#if PG_VERSION_NUM >= 140000
	raw = raw_parser(sql, RAW_PARSE_DEFAULT);
#else
	raw = raw_parser(sql);
#endif
	if (list_length(raw) != 1)
		elog(ERROR, "not a single expression");
	rs = linitial_node(RawStmt, raw);
	sel = (SelectStmt *) rs->stmt;
	if (!IsA(sel, SelectStmt) || list_length(sel->targetList) != 1 || sel->fromClause)
		elog(ERROR, "not a single expression");
	rt = linitial_node(ResTarget, sel->targetList);

	rel = relation_open(relid, AccessShareLock);
	pstate = make_parsestate(NULL);
	pstate->p_sourcetext = sql;
	nsitem = addRangeTableEntryForRelation(pstate, rel, AccessShareLock,
										   NULL, false, true);
	addNSItemToQuery(pstate, nsitem, true, true, true);

	switch (kind)
	{
		case 'c':
		case 'w':
			expr = transformExpr(pstate, rt->val,
								 kind == 'c' ? EXPR_KIND_CHECK_CONSTRAINT : EXPR_KIND_INDEX_PREDICATE);
			expr = coerce_to_boolean(pstate, expr, kind == 'c' ? "CHECK" : "WHERE");
			assign_expr_collations(pstate, expr);
			break;
		case 'p':
			expr = transformWhereClause(pstate, rt->val, EXPR_KIND_POLICY, "POLICY");
			assign_expr_collations(pstate, expr);
			break;
		case 'd':
		case 'g':
			expr = cookDefault(pstate, rt->val, col->typoid, col->typmod, col->name,
							   kind == 'g' ? ATTRIBUTE_GENERATED_STORED : '\0');
			break;
		default:
			elog(ERROR, "unknown expression kind %c", kind);
			expr = NULL;		/* keep compiler quiet */
	}
	relation_close(rel, AccessShareLock);

	/* deparse as pg_get_expr does, so that texts compare with the catalog's */
	result = TextDatumGetCString(DirectFunctionCall2(pg_get_expr,
													 CStringGetTextDatum(nodeToString(expr)),
													 ObjectIdGetDatum(relid)));
	free_parsestate(pstate);
	return result;
}

/*
 * Set while ss_model_normal_texts runs all its expressions in one
 * subtransaction of its own (normal_texts_batched): ss_expr_normal_form
 * then opens none per expression, and an error ends the batch.
 */
static bool ss_norm_batched = false;

/*
 * normal_form_passes
 *		reparse_once until the text stops changing (four passes at most),
 *		in work; the result in into.
 */
static char *
normal_form_passes(SsObject *obj, const char *text, char kind,
				   MemoryContext work, MemoryContext into)
{
	MemoryContext back = MemoryContextSwitchTo(work);
	char	   *prev = pstrdup(text);
	char	   *result;
	int			i;

	for (i = 0; i < 4; i++)
	{
		char	   *next = reparse_once(obj->reloid, obj, prev, kind);

		if (strcmp(next, prev) == 0)
			break;
		prev = next;
	}
	result = MemoryContextStrdup(into, prev);
	MemoryContextSwitchTo(back);
	return result;
}

/*
 * ss_expr_normal_form
 *		The fixed point of reparse_once, read with search_path set to the
 *		schema of the side the expression comes from.  NULL when the text
 *		cannot be parsed there (then it is simply "different").
 */
char *
ss_expr_normal_form(SsObject *obj, const char *text, char kind)
{
	MemoryContext oldcxt = CurrentMemoryContext;
	ResourceOwner oldowner = CurrentResourceOwner;
	MemoryContext work;
	char	   *volatile result = NULL;
	Oid			relid = obj->reloid;
	int			nest;

	if (!OidIsValid(relid))
		return NULL;

	/*
	 * The parse trees and texts of the passes go with a context of their
	 * own: a snapshot normalizes thousands of expressions, and kept they
	 * were tens of kilobytes each.
	 */
	work = AllocSetContextCreate(oldcxt, "schemasync normal form",
								 ALLOCSET_SMALL_SIZES);

	/* in a batch, an error ends the batch's subtransaction instead */
	if (ss_norm_batched)
	{
		nest = ss_push_search_path(obj->model->schema);
		result = normal_form_passes(obj, text, kind, work, oldcxt);
		ss_pop_search_path(nest);
		MemoryContextDelete(work);
		return result;
	}

	/* parse errors must not abort the caller: run in a subtransaction */
	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(work);
	nest = ss_push_search_path(obj->model->schema);
	PG_TRY();
	{
		result = normal_form_passes(obj, text, kind, work, oldcxt);
		ss_pop_search_path(nest);
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(oldcxt);
		CurrentResourceOwner = oldowner;
		MemoryContextDelete(work);
	}
	PG_CATCH();
	{
		ErrorData  *edata = ss_subxact_abort(oldcxt, oldowner);

		MemoryContextDelete(work);

		/* a cancel, a timeout or a shutdown is not "the text does not parse" */
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION)
			ReThrowError(edata);
		result = NULL;
	}
	PG_END_TRY();
	return result;
}

/*
 * ss_expr_equal
 *		Whether two expressions (of an object on the current side and one on
 *		the desired side) are the same once both are in normal form.
 */
bool
ss_expr_equal(SsDiff *d, SsObject *cur, const char *curexpr,
			  SsObject *want, const char *wantexpr, char kind)
{
	char	   *a;
	char	   *b;

	if (curexpr == NULL || wantexpr == NULL)
		return curexpr == wantexpr;
	if (strcmp(curexpr, wantexpr) == 0)
		return true;
	a = ss_expr_normal_form(cur, curexpr, kind);
	if (a == NULL)
		return false;
	b = ss_expr_normal_form(want, wantexpr, kind);
	return b != NULL && strcmp(a, b) == 0;
}

/*
 * keyed_normal_form
 *		ss_expr_normal_form of an object's expression, computed the first
 *		time its key (palloc'd, taken over) is seen in seen, else the form
 *		computed then.
 */
static char *
keyed_normal_form(ss_normhash_hash *seen, char *key, SsObject *obj,
				  const char *text, char kind)
{
	bool		found;
	SsNormEntry *e = ss_normhash_insert(seen, key, &found);

	if (!found)
		e->normal = ss_expr_normal_form(obj, text, kind);
	else
		pfree(key);
	return e->normal;
}

/*
 * default_normal_form
 *		ss_expr_normal_form of a column's default, computed once per
 *		distinct (type, typmod, text) of the model (see SsNormEntry).
 */
static char *
default_normal_form(ss_normhash_hash *seen, SsObject *col)
{
	const char *text = ss_prop(col, CP_DEFAULT);

	return keyed_normal_form(seen,
							 psprintf("%u %d %s", col->typoid, col->typmod, text),
							 col, text, 'd');
}

/*
 * table_normal_form
 *		ss_expr_normal_form of a CHECK or an index predicate (kind 'c' or
 *		'w') of a table, computed once per distinct key of the model (see
 *		SsNormEntry): the text, and the type, typmod and collation of each
 *		column of the table whose name occurs in it.  Parsed in its table,
 *		the text reads nothing else of it but those columns (a name that is
 *		no column of one table is none of another with the same key), or
 *		the table's row when the text names the table, which then makes the
 *		key the table's own.  Schemas repeat such expressions ("qty > 0",
 *		"deleted_at IS NULL") over many tables; each is parsed once.  Any
 *		other object (an index of a materialized view) is parsed alone.
 */
static char *
table_normal_form(ss_normhash_hash *seen, SsObject *obj, const char *text, char kind)
{
	SsObject   *table = obj->parentobj;
	StringInfoData key;
	ListCell   *lc;

	if (table == NULL || table->kind != SS_TABLE)
		return ss_expr_normal_form(obj, text, kind);
	initStringInfo(&key);
	appendStringInfo(&key, "%c", kind);
	ss_raw_append(&key, text, false);
	if (strstr(text, table->name) != NULL)
		ss_raw_append(&key, table->name, false);
	foreach(lc, table->children)
	{
		SsObject   *col = lfirst(lc);

		if (col->kind != SS_COLUMN || strstr(text, col->name) == NULL)
			continue;
		ss_raw_append(&key, col->name, false);
		appendStringInfo(&key, "%u %d", col->typoid, col->typmod);
		ss_raw_append(&key, ss_prop(col, CP_COLLATION), false);
	}
	return keyed_normal_form(seen, key.data, obj, text, kind);
}

/*
 * SsNormUndo
 *		A text ss_model_normal_texts replaced, to put back.
 */
typedef struct SsNormUndo
{
	char	  **slot;
	char	   *old;
} SsNormUndo;

/*
 * normal_text_set
 *		*slot = value, remembering the old text in *undo when undo is given.
 */
static void
normal_text_set(List **undo, char **slot, char *value)
{
	if (undo)
	{
		SsNormUndo *u = palloc(sizeof(SsNormUndo));

		u->slot = slot;
		u->old = *slot;
		*undo = lappend(*undo, u);
	}
	*slot = value;
}

/*
 * undo_from
 *		Put back the texts replaced by the entries of undo from the one at
 *		index from on, the last first (a slot set twice gets its first text).
 */
static void
undo_from(List *undo, int from)
{
	int			i;

	for (i = list_length(undo) - 1; i >= from; i--)
	{
		SsNormUndo *u = list_nth(undo, i);

		*u->slot = u->old;
	}
}

/*
 * ss_model_undo_normal_texts
 *		Put back the texts an ss_model_normal_texts call replaced.
 */
void
ss_model_undo_normal_texts(List *undo)
{
	undo_from(undo, 0);
}

/*
 * same_text
 *		Whether property prop of obj has the text of like's (like may be
 *		NULL: then not).
 */
static bool
same_text(SsObject *like, SsObject *obj, int prop)
{
	return like != NULL && like->kind == obj->kind &&
		ss_streq(ss_prop(like, prop), ss_prop(obj, prop));
}

static bool normal_texts_batched(SsModel *m, SsModel *like, List **undo);
static void normal_texts(SsModel *m, SsModel *like, List **undo);

/*
 * ss_model_normal_texts
 *		Replace every expression text of a model read from the catalog by its
 *		normal form, so that a snapshot applied elsewhere is stored with the
 *		very same texts (a snapshot round trip is then the identity).  Costs
 *		a parse per expression: for snapshot(), not for diff().  When undo is
 *		not NULL, what is replaced is listed there for
 *		ss_model_undo_normal_texts.
 *
 *		When like is not NULL (a model the snapshot is to be compared with),
 *		a text equal to the same property of like's object of the same key
 *		is left as it is: the comparison finds it equal either way, or calls
 *		changed an object whose model text is not in normal form, which
 *		materializes into the target's own object (the diff compares
 *		expressions in normal form), so the rows are the same.
 */
void
ss_model_normal_texts(SsModel *m, SsModel *like, List **undo)
{
	int			before = undo ? list_length(*undo) : 0;

	if (normal_texts_batched(m, like, undo))
		return;

	/*
	 * An expression did not parse: put back what the batch replaced and go
	 * again, with a subtransaction per expression.
	 */
	if (undo)
	{
		undo_from(*undo, before);
		*undo = list_truncate(*undo, before);
	}
	normal_texts(m, like, undo);
}

/*
 * normal_texts_batched
 *		normal_texts with every expression parsed in one subtransaction:
 *		after a create-all, the statements' relations are pending in the
 *		transaction, and each subtransaction's commit walked the whole list
 *		of them (AtSubCommit_smgr), one per distinct expression.  False
 *		when an expression did not parse: the subtransaction is rolled back
 *		and what was replaced stays replaced, for the caller to put back.
 */
static bool
normal_texts_batched(SsModel *m, SsModel *like, List **undo)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	volatile bool done = false;

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);
	PG_TRY();
	{
		ss_norm_batched = true;
		normal_texts(m, like, undo);
		ss_norm_batched = false;
		ReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		done = true;
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		ss_norm_batched = false;
		edata = ss_subxact_abort(cxt, owner);

		/* a cancel, a timeout or a shutdown is not "the text does not parse" */
		if (ERRCODE_TO_CATEGORY(edata->sqlerrcode) == ERRCODE_OPERATOR_INTERVENTION)
			ReThrowError(edata);
		FreeErrorData(edata);
	}
	PG_END_TRY();
	return done;
}

/*
 * normal_texts
 *		The work of ss_model_normal_texts, once.
 */
static void
normal_texts(SsModel *m, SsModel *like, List **undo)
{
	ss_normhash_hash *seen = ss_normhash_create(CurrentMemoryContext, 256, NULL);
	ListCell   *lc;

	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		SsObject   *lk = NULL;
		char	   *n;

		/* like's object, for the kinds that have expressions */
		if (like != NULL &&
			(obj->kind == SS_COLUMN || obj->kind == SS_CONSTRAINT ||
			 obj->kind == SS_POLICY || obj->kind == SS_INDEX))
			lk = ss_object_lookup(like, obj->key);

		switch (obj->kind)
		{
			case SS_COLUMN:
				if (obj->props[CP_DEFAULT] && !same_text(lk, obj, CP_DEFAULT) &&
					(n = default_normal_form(seen, obj)) != NULL)
					normal_text_set(undo, &obj->props[CP_DEFAULT], n);
				if (obj->props[CP_GENERATED] && !same_text(lk, obj, CP_GENERATED) &&
					(n = ss_expr_normal_form(obj, ss_prop(obj, CP_GENERATED), 'g')) != NULL)
					normal_text_set(undo, &obj->props[CP_GENERATED], n);
				break;
			case SS_CONSTRAINT:
				if (same_text(lk, obj, KP_DEFINITION))
					break;
				if (ss_aux(obj) && ss_streq(obj->props[KP_TYPE], "c") &&
					(n = table_normal_form(seen, obj, obj->aux, 'c')) != NULL &&
					strcmp(n, obj->aux) != 0)
				{
					const char *def = ss_prop(obj, KP_DEFINITION);
					size_t		pre = strlen("CHECK (");
					size_t		len = strlen(obj->aux);

					/* CHECK (expr)[ NO INHERIT][ NOT VALID] */
					if (strncmp(def, "CHECK (", pre) == 0 &&
						strncmp(def + pre, obj->aux, len) == 0)
					{
						normal_text_set(undo, &obj->props[KP_DEFINITION],
									 psprintf("CHECK (%s%s", n, def + pre + len));
						normal_text_set(undo, &obj->aux, n);
					}
				}
				break;
			case SS_POLICY:
				if (obj->props[PP_USING] && !same_text(lk, obj, PP_USING) &&
					(n = ss_expr_normal_form(obj, obj->props[PP_USING], 'p')) != NULL)
					normal_text_set(undo, &obj->props[PP_USING], n);
				if (obj->props[PP_WITH_CHECK] && !same_text(lk, obj, PP_WITH_CHECK) &&
					(n = ss_expr_normal_form(obj, obj->props[PP_WITH_CHECK], 'p')) != NULL)
					normal_text_set(undo, &obj->props[PP_WITH_CHECK], n);
				break;
			case SS_INDEX:
				if (same_text(lk, obj, IP_DEFINITION))
					break;
				if (ss_aux(obj) && (n = table_normal_form(seen, obj, obj->aux, 'w')) != NULL &&
					strcmp(n, obj->aux) != 0)
				{
					const char *def = ss_prop(obj, IP_DEFINITION);
					const char *w = strstr(def, " WHERE ");

					if (w && strcmp(w + 7, obj->aux) == 0)
					{
						normal_text_set(undo, &obj->props[IP_DEFINITION],
									 psprintf("%.*s WHERE %s", (int) (w - def), def, n));
						normal_text_set(undo, &obj->aux, n);
					}
				}
				break;
			default:
				break;
		}
	}
}
