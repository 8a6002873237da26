/*-------------------------------------------------------------------------
 *
 * kind_index.c
 *	  Indexes that do not belong to a constraint, on tables and on
 *	  materialized views.
 *
 * pg_get_indexdef() always qualifies the indexed table with its schema,
 * whatever search_path says, so the reader removes that one qualifier to
 * get a schema-neutral definition, and the emitter puts the target schema
 * back.  Everything else in the definition (access method, columns and
 * expressions, opclasses, collations, INCLUDE, predicate, storage
 * parameters) is compared as the server deparses it; a predicate whose text
 * differs is compared in normal form.  Any difference re-creates the index.
 *
 * src/kind_index.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/tableam.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_index.h"
#include "executor/tuptable.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"
#include "utils/syscache.h"

#include "schemasync.h"

static const char *const index_propnames[IP_NUM] = {
	"definition", "comment"
};

/*
 * index_prefix_len
 *		The length of "CREATE [UNIQUE ]INDEX name ON [ONLY ]" in a definition
 *		of the named index, or -1 when it does not start so.
 */
static int
index_prefix_len(const char *def, const char *name)
{
	const char *qname = quote_identifier(name);
	const char *p = def;

	if (strncmp(p, "CREATE ", 7) != 0)
		return -1;
	p += 7;
	if (strncmp(p, "UNIQUE ", 7) == 0)
		p += 7;
	if (strncmp(p, "INDEX ", 6) != 0)
		return -1;
	p += 6;
	if (strncmp(p, qname, strlen(qname)) != 0)
		return -1;
	p += strlen(qname);
	if (strncmp(p, " ON ", 4) != 0)
		return -1;
	p += 4;
	if (strncmp(p, "ONLY ", 5) == 0)
		p += 5;
	return p - def;
}

/*
 * neutral_definition
 *		The definition with the table's schema qualifier removed.
 */
static char *
neutral_definition(const char *def, const char *name, const char *schema)
{
	int			pre = index_prefix_len(def, name);
	const char *qs = quote_identifier(schema);
	size_t		qslen = strlen(qs);

	if (pre < 0 || strncmp(def + pre, qs, qslen) != 0 || def[pre + qslen] != '.')
		return pstrdup(def);
	return psprintf("%.*s%s", pre, def, def + pre + qslen + 1);
}

/* one index kept by the reader, before it becomes a model object */
typedef struct SsIndexRow
{
	SsRel	   *rel;			/* its pg_class and pg_index rows */
	SsObject   *owner;			/* its table or materialized view */
	char	  **attoptions;		/* per column, opclass options, or NULL */
} SsIndexRow;

/*
 * index_attoptions
 *		For raw keys: the opclass options of the indexes' columns (their
 *		pg_attribute rows' attoptions, rarely set).  Those the columns scan
 *		came across are known (ss_attoptions_get); for the others, one scan
 *		of pg_attribute's index on (attrelid, attnum), restarted at each
 *		index: the rows of those indexes only, where a heap scan reads the
 *		whole catalog, every schema's columns.
 */
static void
index_attoptions(SsIndexRow *rows, int nrows)
{
	Relation	rel = NULL;
	Relation	irel = NULL;
	Snapshot	snap = NULL;
	IndexScanDesc scan = NULL;
	TupleTableSlot *slot = NULL;
	ScanKeyData key;
	int			i;

	for (i = 0; i < nrows; i++)
	{
		SsIndexRow *row = &rows[i];
		char	  **seen;

		if (ss_attoptions_get(row->rel->oid, &seen))
		{
			if (seen != NULL)
			{
				row->attoptions = palloc(INDEX_MAX_KEYS * sizeof(char *));
				memcpy(row->attoptions, seen, INDEX_MAX_KEYS * sizeof(char *));
			}
			continue;
		}
		if (scan == NULL)
		{
			rel = table_open(AttributeRelationId, AccessShareLock);
			irel = index_open(AttributeRelidNumIndexId, AccessShareLock);
			snap = RegisterSnapshot(GetCatalogSnapshot(AttributeRelationId));
			scan = index_beginscan(rel, irel, snap, 1, 0);
			slot = table_slot_create(rel, NULL);
		}

		/* the key names the index's first column, attrelid */
		ScanKeyInit(&key, 1, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(row->rel->oid));
		index_rescan(scan, &key, 1, NULL, 0);
		while (index_getnext_slot(scan, ForwardScanDirection, slot))
		{
			bool		shouldfree;
			HeapTuple	tup = ExecFetchSlotHeapTuple(slot, false, &shouldfree);
			char	   *opts = ss_index_attoptions(tup, RelationGetDescr(rel));

			if (opts == NULL)
				continue;
			if (row->attoptions == NULL)
				row->attoptions = palloc0(INDEX_MAX_KEYS * sizeof(char *));
			row->attoptions[((Form_pg_attribute) GETSTRUCT(tup))->attnum - 1] = opts;
		}
	}
	if (scan == NULL)
		return;
	ExecDropSingleTupleTableSlot(slot);
	index_endscan(scan);
	UnregisterSnapshot(snap);
	index_close(irel, AccessShareLock);
	table_close(rel, AccessShareLock);
}

/*
 * index_row_cmp
 *		qsort order of the indexes read: by name, bytewise.
 */
static int
index_row_cmp(const void *a, const void *b)
{
	const SsIndexRow *x = a;
	const SsIndexRow *y = b;

	return strcmp(NameStr(x->rel->relname), NameStr(y->rel->relname));
}

/*
 * index_raw
 *		The raw key of an index, or NULL when its table's columns are not
 *		known (a materialized view's).  It holds every input of
 *		pg_get_indexdef(): the table's name and kind (ONLY), pg_index's flags
 *		and per-column arrays (attribute numbers, opclasses, collations,
 *		options), the access method, reloptions and opclass options, the
 *		node trees of the expressions and predicate (columns by number,
 *		built-in functions and operators by OID: a schema-local object
 *		referenced has a different OID on each side) and the number, name,
 *		type and collation of every column of the table, so that the columns
 *		the numbers stand for are the same.
 */
static char *
index_raw(SsIndexRow *row, TupleDesc desc)
{
	Form_pg_index idx = (Form_pg_index) GETSTRUCT(row->rel->indextup);
	SsObject   *t = row->owner;
	StringInfoData buf;
	static const int arrays[] = {
		Anum_pg_index_indclass, Anum_pg_index_indcollation, Anum_pg_index_indoption
	};
	static const int trees[] = {Anum_pg_index_indexprs, Anum_pg_index_indpred};
	int			i;
	int			k;

	if (t->kind != SS_TABLE || t->colsig == NULL)
		return NULL;
	initStringInfo(&buf);
	ss_raw_append(&buf, t->name, false);
	appendStringInfo(&buf, "%c %d %d %d %d %u (",
					 t->props[TP_PARTKEY] ? 'p' : 'r', (int) idx->indisunique,
#if PG_VERSION_NUM >= 150000
					 (int) idx->indnullsnotdistinct,
#else
					 0,
#endif
					 (int) idx->indnatts, (int) idx->indnkeyatts, row->rel->relam);
	for (k = 0; k < idx->indnatts; k++)
	{
		const char *opts = row->attoptions ? row->attoptions[k] : NULL;

		ss_raw_append_int(&buf, idx->indkey.values[k]);
		ss_raw_append(&buf, opts, false);
	}
	appendStringInfoChar(&buf, ')');
	for (i = 0; i < lengthof(arrays); i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(row->rel->indextup, arrays[i], desc, &isnull);

		/* the vectors' values as numbers, without their output functions */
		if (isnull)
			appendStringInfoString(&buf, "-;");
		else if (arrays[i] == Anum_pg_index_indoption)
		{
			int2vector *v = (int2vector *) DatumGetPointer(d);

			for (k = 0; k < v->dim1; k++)
				ss_raw_append_int(&buf, v->values[k]);
			appendStringInfoChar(&buf, ';');
		}
		else
		{
			oidvector  *v = (oidvector *) DatumGetPointer(d);

			for (k = 0; k < v->dim1; k++)
				ss_raw_append_int(&buf, v->values[k]);
			appendStringInfoChar(&buf, ';');
		}
	}
	ss_raw_append(&buf, row->rel->reloptions, false);
	for (i = 0; i < lengthof(trees); i++)
	{
		bool		isnull;
		Datum		d = heap_getattr(row->rel->indextup, trees[i], desc, &isnull);

		ss_raw_append(&buf, isnull ? NULL : TextDatumGetCString(d), true);
	}
	return buf.data;
}

/*
 * ss_index_raw
 *		The raw key of an index of the schema read (index_raw), with its
 *		opclass options, for the reader of another kind: the index of an
 *		EXCLUDE constraint, whose definition is the index's.  NULL when its
 *		table's columns are not known.
 */
char *
ss_index_raw(SsRel *rel, SsObject *owner)
{
	SsIndexRow	row;

	if (rel->indextup == NULL)
		return NULL;
	row.rel = rel;
	row.owner = owner;
	row.attoptions = NULL;
	index_attoptions(&row, 1);
	return index_raw(&row, ss_rel_index_desc());
}

/*
 * index_resolve
 *		Deparse an index read with a raw key (ss_index_lazy), or on reading
 *		when it has none: its definition and its predicate.
 */
static void
index_resolve(SsObject *ix)
{
	char	   *def;
	char	   *pred;

	if (ss_index_deparsed_ahead(ix->oid, &def, &pred))
	{
		/* a worker deparsed them (parallel.c): copied out of its messages */
		def = pstrdup(def);
		pred = pred != NULL ? pstrdup(pred) : NULL;
	}
	else
	{
		ss_deparse_note_rel(ix->reloid);
		ss_index_texts(ix->oid, &def, &pred);
		if (def == NULL)
			ss_dropped_concurrently(ix);
	}
	ix->aux = pred;
	ix->props[IP_DEFINITION] = neutral_definition(def, ix->name, ix->model->schema);
	pfree(def);
}

/* an index read with a raw key: its definition and predicate wait */
const SsLazy ss_index_lazy = {
	index_resolve, SS_LAZY_PROP(IP_DEFINITION), true, NULL
};

/*
 * ss_index_texts
 *		The texts index_resolve keeps of an index: its pg_get_indexdef() and
 *		its predicate, in the current memory context; *def is NULL when the
 *		index, or its table, is gone (dropped concurrently).  Also what a
 *		parallel worker deparses ahead of a read (parallel.c).
 */
void
ss_index_texts(Oid oid, char **def, char **pred)
{
	HeapTuple	tup;
	Datum		d;
	bool		isnull;

	*def = *pred = NULL;
	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(oid));
	if (!HeapTupleIsValid(tup))
		return;
	*def = ss_deparse(pg_get_indexdef, 1, ObjectIdGetDatum(oid), (Datum) 0,
					  CurrentMemoryContext);
	d = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indpred, &isnull);
	if (*def != NULL && !isnull)
	{
		*pred = ss_deparse(pg_get_expr, 2, d,
						   ObjectIdGetDatum(((Form_pg_index) GETSTRUCT(tup))->indrelid),
						   CurrentMemoryContext);
		if (*pred == NULL)
			*def = NULL;
	}
	ReleaseSysCache(tup);
}

/*
 * ss_read_indexes
 *		All indexes of a schema's tables and materialized views that no
 *		constraint owns and that are not a partition of another index: the
 *		schema's indexes with their pg_index rows as ss_read_schema read them
 *		(ss_rels), those of the relations read kept (so extension members
 *		are left out with them); the indexes that constraints own as the
 *		scan of the schema's constraints saw them (ss_rel_constraint_owned,
 *		ss_read_constraints runs first), or, when it did not run, from
 *		pg_depend's rows that reference constraints.
 *		Sorted by name.  With raw keys
 *		(ss_read_raw), definitions are deparsed on demand.
 */
void
ss_read_indexes(SsModel *m, Oid nsp)
{
	HTAB	   *owned = NULL;
	int			nrels;
	SsRel	  **rels = ss_rels(RELKIND_INDEX, &nrels);
	SsIndexRow *rows;
	int			nrows = 0;
	int			i;

	/* seen by the constraints scan, unless it did not run */
	if (nrels > 0 && ss_rel_constraint_owned(rels[0]) < 0)
		owned = ss_depend_referencing(ConstraintRelationId, RelationRelationId,
									  DEPENDENCY_INTERNAL);
	rows = palloc(Max(nrels, 1) * sizeof(SsIndexRow));
	for (i = 0; i < nrels; i++)
	{
		SsRel	   *ir = rels[i];
		SsObject   *owner;

		if (ir->indextup == NULL || ir->ispartition ||
			(owned ? ss_oid_map_get(owned, ir->oid) >= 0 :
			 ss_rel_constraint_owned(ir) > 0))
			continue;
		owner = ss_lookup_addr(RelationRelationId,
							   ((Form_pg_index) GETSTRUCT(ir->indextup))->indrelid, 0);
		if (owner == NULL || (owner->kind != SS_TABLE && owner->kind != SS_MATVIEW))
			continue;
		rows[nrows].rel = ir;
		rows[nrows].owner = owner;
		rows[nrows].attoptions = NULL;
		nrows++;
	}
	if (owned)
		hash_destroy(owned);
	qsort(rows, nrows, sizeof(SsIndexRow), index_row_cmp);
	if (ss_read_raw && nrows > 0)
		index_attoptions(rows, nrows);

	for (i = 0; i < nrows; i++)
	{
		SsObject   *ix = ss_object_add(m, SS_INDEX, m->schema, rows[i].owner->name,
									   NameStr(rows[i].rel->relname));

		ix->oid = rows[i].rel->oid;
		ix->reloid = rows[i].owner->oid;
		ss_register_addr(RelationRelationId, ix->oid, 0, ix);
		if (ss_read_raw)
		{
			/* built in scratch: the key is kept, not its buffer and parts */
			MemoryContext back = ss_scratch_begin();
			char	   *raw = index_raw(&rows[i], ss_rel_index_desc());

			MemoryContextSwitchTo(back);
			ix->raw = ss_model_strdup(m, raw);
		}
		if (ix->raw != NULL)
		{
			ix->rawcols = rows[i].owner->colsig;
			ix->lazy = &ss_index_lazy;
		}
		else
			index_resolve(ix);
	}
	pfree(rows);
	/* a worker deparsing indexes ahead may stop */
	ss_deparse_ahead_passed(SS_AHEAD_INDEX);
}

/*
 * ss_parse_index_definition
 *		Parse a CREATE INDEX text as written in a model: it must be one
 *		CREATE INDEX statement.  Returns its index name, its table's name and
 *		schema (NULL when unqualified), and the offset of the table's name in
 *		the text.  A syntax error is raised as is.
 */
bool
ss_parse_index_definition(const char *def, char **idxname, char **relname,
						  char **schemaname, int *reloffset)
{
	List	   *raw;
	IndexStmt  *stmt;

#if PG_VERSION_NUM >= 140000
	raw = raw_parser(def, RAW_PARSE_DEFAULT);
#else
	raw = raw_parser(def);
#endif
	if (list_length(raw) != 1 || !IsA(linitial_node(RawStmt, raw)->stmt, IndexStmt))
		return false;
	stmt = (IndexStmt *) linitial_node(RawStmt, raw)->stmt;
	*idxname = stmt->idxname;
	*relname = stmt->relation->relname;
	*schemaname = stmt->relation->schemaname;
	*reloffset = stmt->relation->location;
	return stmt->idxname != NULL && stmt->relation->location >= 0;
}

/*
 * index_create_sql
 *		The desired definition with the target schema on the table.
 */
static char *
index_create_sql(SsDiff *d, SsObject *want)
{
	const char *def = ss_prop(want, IP_DEFINITION);
	int			pre = index_prefix_len(def, want->name);

	if (pre < 0)
	{
		/* as written in a model: find the table's name by parsing */
		char	   *idxname;
		char	   *relname;
		char	   *schemaname;

		if (!ss_parse_index_definition(def, &idxname, &relname, &schemaname, &pre) ||
			schemaname != NULL)
			elog(ERROR, "unexpected index definition: %s", def);
	}
	/* on a partitioned table, without ONLY: every partition gets the index */
	if (pre >= 5 && strncmp(def + pre - 5, "ONLY ", 5) == 0)
		return psprintf("%.*s%s.%s;", pre - 5, def, quote_identifier(d->target), def + pre);
	return psprintf("%.*s%s.%s;", pre, def, quote_identifier(d->target), def + pre);
}

/*
 * predicate_start
 *		Where " WHERE <predicate>" starts in a definition that ends with it,
 *		or NULL.
 */
static const char *
predicate_start(const char *def, const char *pred)
{
	size_t		dlen = strlen(def);
	size_t		plen = strlen(pred) + strlen(" WHERE ");

	if (dlen < plen || strncmp(def + dlen - plen, " WHERE ", 7) != 0 ||
		strcmp(def + dlen - plen + 7, pred) != 0)
		return NULL;
	return def + dlen - plen;
}

/*
 * same_index
 *		Whether two index definitions are equal, the predicates compared in
 *		normal form when the texts differ.
 */
static bool
same_index(SsDiff *d, SsObject *cur, SsObject *want)
{
	const char *a;
	const char *b;
	const char *wa;
	const char *wb;

	if (ss_raw_equal(cur, want))
		return true;
	a = ss_prop(cur, IP_DEFINITION);
	b = ss_prop(want, IP_DEFINITION);
	if (strcmp(a, b) == 0)
		return true;
	if (ss_aux(cur) == NULL || ss_aux(want) == NULL)
		return false;
	/* the same text but for the predicate, which ends it */
	wa = predicate_start(a, cur->aux);
	wb = predicate_start(b, want->aux);
	if (wa == NULL || wb == NULL || wa - a != wb - b || strncmp(a, b, wa - a) != 0)
		return false;
	return ss_expr_equal(d, cur, cur->aux, want, want->aux, 'w');
}

/*
 * index_emit_create
 *		CREATE INDEX on the target table.
 */
static void
index_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c;

	c = ss_add_change(d, NULL, NULL, want, action, index_create_sql(d, want));

	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_SHARE;
	c->hazards = SS_HZ_INDEX_BUILD | SS_HZ_BLOCKS_WRITES;
	if (!ss_parent_created(d, want))
		c->hazards |= SS_HZ_SCANS_TABLE;
	if (strncmp(ss_prop(want, IP_DEFINITION), "CREATE UNIQUE", 13) == 0)
		c->hazards |= SS_HZ_MAY_FAIL;
	ss_emit_comment(d, NULL, want, "INDEX", ss_qualified(d->target, want->name),
					IP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
}

/*
 * index_emit_drop
 *		DROP INDEX, or nothing when the table goes.
 */
static void
index_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur))
	{
		(void) ss_add_change(d, NULL, cur, NULL, action, NULL);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("DROP INDEX %s;", ss_qualified(d->target, cur->name)));
	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
}

/*
 * index_replace
 *		Drop and create an index again.
 */
static void
index_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	index_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	index_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * index_diff
 *		Create, drop or replace an index.
 */
static void
index_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (cur == NULL)
		index_emit_create(d, want, SS_ACT_CREATE, "index missing in target");
	else if (want == NULL)
		index_emit_drop(d, cur, SS_ACT_DROP, "index not in reference");
	else if (!same_index(d, cur, want))
		index_replace(d, cur, want, "definition differs");
	else if (!ss_streq(cur->props[IP_COMMENT], want->props[IP_COMMENT]))
		ss_emit_comment(d, cur, want, "INDEX", ss_qualified(d->target, want->name),
						IP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
}

const SsKindOps ss_index_ops = {
	.name = "index",
	.nprops = IP_NUM,
	.propnames = index_propnames,
	.proptypes = "tt",
	.diff = index_diff,
	.replace = index_replace,
	.breaks_dependents = NULL,
};
