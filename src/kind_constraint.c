/*-------------------------------------------------------------------------
 *
 * kind_constraint.c
 *	  Table constraints: PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE.
 *
 * A constraint is compared by its pg_get_constraintdef() text, CHECK
 * expressions through their normal form (exprnorm.c).  A constraint that
 * only lacks validation is validated in place; any other difference drops
 * and adds it again, and the differ re-creates the foreign keys that depend
 * on a replaced key.  Constraints are added by statements of their own
 * after CREATE TABLE, so that foreign keys can follow every table they
 * reference, and go away silently with their table.
 *
 * They are read by one heap scan of pg_constraint, not by SQL: the server's
 * deparsers are called directly, and the rows join the model sorted by
 * table and constraint name, bytewise.  In a diff of two schemas, every
 * constraint gets a raw key instead when it can be exact (docs/design.md,
 * "Reading fast") and are deparsed only when their keys
 * differ or a statement needs their text.
 *
 * src/kind_constraint.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/transam.h"
#include "catalog/namespace.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_index.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "schemasync.h"

static const char *const constraint_propnames[KP_NUM] = {
	"type", "definition", "comment"
};

#define NOT_VALID_SUFFIX " NOT VALID"

/*
 * with_index_options
 *		pg_get_constraintdef() leaves out the storage parameters of the index
 *		of a PRIMARY KEY or UNIQUE constraint: put them back, where ADD
 *		CONSTRAINT takes them (before DEFERRABLE).
 */
static char *
with_index_options(char *def, const char *opts)
{
	char	   *defer;

	if (opts == NULL || opts[0] == '\0')
		return def;
	defer = strstr(def, " DEFERRABLE");
	if (defer == NULL)
		defer = strstr(def, " NOT DEFERRABLE");
	if (defer == NULL)
		return psprintf("%s WITH (%s)", def, opts);
	return psprintf("%.*s WITH (%s)%s", (int) (defer - def), def, opts, defer);
}

/* one constraint of the schema, as the scan of pg_constraint found it */
typedef struct ConRow
{
	SsObject   *table;			/* its table, in the model being read */
	char	   *name;			/* NULL once dropped concurrently */
	char	   *type;
	char	   *def;			/* pg_get_constraintdef(), WITH options */
	char	   *check;			/* the expression of a CHECK constraint */
	Oid			oid;
	Oid			indid;			/* the index of a key or exclusion constraint */
	char	   *raw;			/* its raw key, when not deparsed yet */
	int			nkeys;			/* a key's columns, while its raw key waits
								 * for the index's part (-1 when it does not) */
} ConRow;

/* the index of a PRIMARY KEY or UNIQUE constraint, for its raw key */
typedef struct ConIndex
{
	Oid			indid;			/* hash key */
	bool		have_index;		/* its pg_index row was read */
	bool		have_class;		/* its pg_class row was read */
	bool		nullsnotdistinct;
	int			natts;
	int16	   *attnums;		/* indkey, natts of them */
	char	   *reloptions;		/* array_out of reloptions, or NULL */
} ConIndex;

/*
 * index_options
 *		The storage parameters of an index, as array_to_string(reloptions,
 *		', ') gives them; NULL when it has none.
 */
static char *
index_options(Oid indid)
{
	HeapTuple	tup;
	Datum		value;
	bool		isnull;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	StringInfoData buf;

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(indid));
	if (!HeapTupleIsValid(tup))
		return NULL;
	value = SysCacheGetAttr(RELOID, tup, Anum_pg_class_reloptions, &isnull);
	if (isnull)
	{
		ReleaseSysCache(tup);
		return NULL;
	}
	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false,
					  TYPALIGN_INT, &elems, &nulls, &n);
	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		/* array_to_string() without a null string skips NULL elements */
		if (nulls[i])
			continue;
		if (buf.len > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, TextDatumGetCString(elems[i]));
	}
	ReleaseSysCache(tup);
	return buf.data;
}

/*
 * constraint_definition
 *		The definition of a constraint as the model keeps it: its
 *		pg_get_constraintdef() text, with the storage parameters of a key's
 *		index put back.  NULL when the constraint was dropped concurrently.
 *		Allocated, with the deparser's garbage, in the current memory context.
 */
static char *
constraint_definition(Oid oid, char contype, Oid indid)
{
	char	   *def = ss_deparse(pg_get_constraintdef, 1, ObjectIdGetDatum(oid),
								 (Datum) 0, CurrentMemoryContext);

	if (def != NULL &&
		(contype == CONSTRAINT_PRIMARY || contype == CONSTRAINT_UNIQUE) &&
		OidIsValid(indid))
		def = with_index_options(def, index_options(indid));
	return def;
}

/*
 * ss_check_texts
 *		The texts the reader keeps of a CHECK constraint read without a raw
 *		key: its definition (constraint_definition) and the pg_get_expr() of
 *		its expression, in the current memory context; *def is NULL when the
 *		constraint, or its table, is gone (dropped concurrently).  Also what
 *		a parallel worker deparses ahead of a read (parallel.c).
 */
void
ss_check_texts(Oid oid, char **def, char **expr)
{
	HeapTuple	tup;
	Datum		d;
	bool		isnull;

	*def = *expr = NULL;
	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(oid));
	if (!HeapTupleIsValid(tup))
		return;
	*def = constraint_definition(oid, CONSTRAINT_CHECK, InvalidOid);
	d = SysCacheGetAttr(CONSTROID, tup, Anum_pg_constraint_conbin, &isnull);
	if (*def != NULL && !isnull)
		*expr = ss_deparse(pg_get_expr, 2, d,
						   ObjectIdGetDatum(((Form_pg_constraint) GETSTRUCT(tup))->conrelid),
						   CurrentMemoryContext);
	ReleaseSysCache(tup);
}

/*
 * check_raw
 *		The raw key of a CHECK constraint (docs/design.md, "Reading fast"),
 *		or NULL when its table's columns are not known: its flags, the node
 *		tree of its expression without parse locations (columns by number,
 *		built-in functions and operators by OID; a schema-local object
 *		referenced has a different OID on each side), and the number, name,
 *		type and collation of every column of its table.  Everything
 *		pg_get_constraintdef() prints for a CHECK comes from these.
 */
static char *
check_raw(Form_pg_constraint co, SsObject *table, HeapTuple tup, TupleDesc desc)
{
	StringInfoData buf;
	Datum		bin;
	bool		isnull;

	if (table->colsig == NULL)
		return NULL;
	bin = heap_getattr(tup, Anum_pg_constraint_conbin, desc, &isnull);
	if (isnull)
		return NULL;
	initStringInfo(&buf);
	appendStringInfo(&buf, "c %d %d ", (int) co->convalidated, (int) co->connoinherit);
	ss_raw_append(&buf, TextDatumGetCString(bin), true);
	return buf.data;
}

/*
 * column_name
 *		The name of column attnum of relation relid: from the model when the
 *		relation is a table of the schema being read (its columns are all
 *		registered), else looked up.  NULL when there is none.
 */
static const char *
column_name(Oid relid, int attnum)
{
	SsObject   *col = ss_lookup_addr(RelationRelationId, relid, attnum);

	if (col != NULL && col->kind == SS_COLUMN)
		return col->name;
	if (attnum <= 0 || ss_model_table(relid) != NULL)
		return NULL;
	return get_attname(relid, (AttrNumber) attnum, true);
}

/*
 * append_column_names
 *		Append to a raw key the names of the columns of an int2[] of
 *		pg_constraint (conkey, confkey, confdelsetcols), as
 *		pg_get_constraintdef() prints them; returns how many, or -1 when a
 *		name is not known.
 */
static int
append_column_names(StringInfo buf, Datum arr, Oid relid)
{
	Datum	   *elems;
	int			n;
	int			i;

	deconstruct_array(DatumGetArrayTypeP(arr), INT2OID, sizeof(int16), true,
					  TYPALIGN_SHORT, &elems, NULL, &n);
	appendStringInfo(buf, "(%d ", n);
	for (i = 0; i < n; i++)
	{
		const char *name = column_name(relid, DatumGetInt16(elems[i]));

		if (name == NULL)
			return -1;
		ss_raw_append(buf, name, false);
	}
	appendStringInfoChar(buf, ')');
	return n;
}

/*
 * append_flags
 *		The flags that pg_get_constraintdef() prints after any constraint's
 *		own part: DEFERRABLE, INITIALLY DEFERRED, NOT VALID (and, where the
 *		server has them, NOT ENFORCED).
 */
static void
append_flags(StringInfo buf, Form_pg_constraint co)
{
	appendStringInfo(buf, "%c %d %d %d", co->contype, (int) co->condeferrable,
					 (int) co->condeferred, (int) co->convalidated);
#if PG_VERSION_NUM >= 170000
	appendStringInfo(buf, " %d", (int) co->conperiod);
#endif
#if PG_VERSION_NUM >= 180000
	appendStringInfo(buf, " %d", (int) co->conenforced);
#endif
	appendStringInfoChar(buf, ' ');
}

/*
 * key_raw
 *		The first part of the raw key of a PRIMARY KEY or UNIQUE constraint,
 *		or NULL: its flags and the names of its columns (conkey), whose
 *		number goes to *nkeys.  key_raw_index appends the part its index
 *		holds (INCLUDE, NULLS NOT DISTINCT, storage parameters).
 */
static char *
key_raw(Form_pg_constraint co, HeapTuple tup, TupleDesc desc, int *nkeys)
{
	StringInfoData buf;
	Datum		conkey;
	bool		isnull;

	conkey = heap_getattr(tup, Anum_pg_constraint_conkey, desc, &isnull);
	if (isnull || !OidIsValid(co->conindid))
		return NULL;
	initStringInfo(&buf);
	append_flags(&buf, co);
	if ((*nkeys = append_column_names(&buf, conkey, co->conrelid)) < 0)
		return NULL;
	return buf.data;
}

/*
 * key_raw_index
 *		Complete the raw key of a PRIMARY KEY or UNIQUE constraint with what
 *		pg_get_constraintdef() and with_index_options() print from its index:
 *		the INCLUDE columns (the index's columns after the constraint's),
 *		NULLS NOT DISTINCT and the storage parameters.  NULL when the index
 *		was not read or a column is not known.
 */
static char *
key_raw_index(const char *raw, int nkeys, ConIndex *ix, Oid relid)
{
	StringInfoData buf;
	int			j;

	if (ix == NULL || !ix->have_index || !ix->have_class || ix->natts < nkeys)
		return NULL;
	initStringInfo(&buf);
	appendStringInfo(&buf, "%s I%d %d (", raw, ix->natts - nkeys,
					 (int) ix->nullsnotdistinct);
	for (j = nkeys; j < ix->natts; j++)
	{
		const char *name = column_name(relid, ix->attnums[j]);

		if (name == NULL)
			return NULL;
		ss_raw_append(&buf, name, false);
	}
	appendStringInfoString(&buf, ") ");
	ss_raw_append(&buf, ix->reloptions, false);
	return buf.data;
}

/*
 * key_indexes
 *		Read the indexes of the keys whose raw keys wait for them (the
 *		entries of ixs): their columns and flags from their pg_index rows,
 *		their storage parameters from their pg_class rows, both as
 *		ss_read_schema read them for the schema (ss_rel: an index is in its
 *		table's schema), instead of a syscache lookup for each.
 */
static void
key_indexes(HTAB *ixs)
{
	HASH_SEQ_STATUS seq;
	ConIndex   *ix;

	hash_seq_init(&seq, ixs);
	while ((ix = hash_seq_search(&seq)) != NULL)
	{
		SsRel	   *r = ss_rel(ix->indid);
		Form_pg_index idx;

		if (r == NULL ||
			(r->relkind != RELKIND_INDEX && r->relkind != RELKIND_PARTITIONED_INDEX))
			continue;
		ix->reloptions = r->reloptions;
		ix->have_class = true;
		if (r->indextup == NULL)
			continue;
		idx = (Form_pg_index) GETSTRUCT(r->indextup);
		ix->natts = idx->indnatts;
		ix->attnums = palloc(sizeof(int16) * Max(idx->indnatts, 1));
		memcpy(ix->attnums, idx->indkey.values, sizeof(int16) * idx->indnatts);
#if PG_VERSION_NUM >= 150000
		ix->nullsnotdistinct = idx->indnullsnotdistinct;
#endif
		ix->have_index = true;
	}
}

/*
 * fk_raw
 *		The raw key of a FOREIGN KEY constraint, or NULL: everything
 *		pg_get_constraintdef() prints for it.  Its columns, the referenced
 *		table and columns by name (the table relative to the constraint's
 *		schema: the two sides of a diff are different schemas, so never by
 *		OID), MATCH, ON UPDATE, ON DELETE and its columns, and the flags.
 *		A referenced table of this schema is printed unqualified only when
 *		nothing earlier in search_path (pg_catalog, the session's temporary
 *		schema) hides its name; a name that may be hidden gets no key.
 */
static char *
fk_raw(Form_pg_constraint co, HeapTuple tup, TupleDesc desc, Oid nsp)
{
	StringInfoData buf;
	SsObject   *ref = ss_model_table(co->confrelid);
	const char *relname;
	const char *nspname = NULL;
	Datum		d;
	bool		isnull;
	Oid			tempnsp;
	Oid			temptoast;

	/* the normalizer's scratch schema has a second schema in search_path */
	if (ss_scratch_path_for != NULL)
		return NULL;
	if (ref != NULL)
		relname = ref->name;
	else
	{
		Oid			refnsp = get_rel_namespace(co->confrelid);

		relname = get_rel_name(co->confrelid);
		if (relname == NULL || !OidIsValid(refnsp))
			return NULL;
		if (refnsp != nsp)
		{
			nspname = get_namespace_name(refnsp);
			if (nspname == NULL || refnsp == PG_CATALOG_NAMESPACE ||
				isAnyTempNamespace(refnsp))
				return NULL;
		}
	}
	if (nspname == NULL)
	{
		if (strncmp(relname, "pg_", 3) == 0)
			return NULL;
		GetTempNamespaceState(&tempnsp, &temptoast);
		if (OidIsValid(tempnsp) && OidIsValid(get_relname_relid(relname, tempnsp)))
			return NULL;
	}

	initStringInfo(&buf);
	append_flags(&buf, co);
	appendStringInfo(&buf, "%c %c %c ", co->confmatchtype, co->confupdtype,
					 co->confdeltype);
	d = heap_getattr(tup, Anum_pg_constraint_conkey, desc, &isnull);
	if (isnull || append_column_names(&buf, d, co->conrelid) < 0)
		return NULL;
	ss_raw_append(&buf, nspname, false);
	ss_raw_append(&buf, relname, false);
	d = heap_getattr(tup, Anum_pg_constraint_confkey, desc, &isnull);
	if (isnull || append_column_names(&buf, d, co->confrelid) < 0)
		return NULL;
#if PG_VERSION_NUM >= 150000
	d = heap_getattr(tup, Anum_pg_constraint_confdelsetcols, desc, &isnull);
	if (isnull)
		appendStringInfoChar(&buf, '-');
	else if (append_column_names(&buf, d, co->conrelid) < 0)
		return NULL;
#endif
	return buf.data;
}

/*
 * exclusion_raw
 *		The raw key of an EXCLUDE constraint, or NULL: pg_get_constraintdef()
 *		prints its index's definition (access method, columns and
 *		expressions, opclasses, collations, INCLUDE, storage parameters,
 *		predicate) with the constraint's operators, then DEFERRABLE and
 *		INITIALLY DEFERRED.  So the key is the index's (ss_index_raw, whose
 *		trees name columns by number: with the table's columns, rawcols),
 *		conexclop and the flags, read from the rows instead of opening the
 *		table (the relcache entry the deparser builds).  An operator of a
 *		user schema may be one of the two compared schemas', which prints
 *		qualified on one side only for the same OID: no key.
 */
static char *
exclusion_raw(Form_pg_constraint co, SsObject *table, HeapTuple tup, TupleDesc desc)
{
	SsRel	   *ir = OidIsValid(co->conindid) ? ss_rel(co->conindid) : NULL;
	char	   *ixraw;
	Datum		d;
	bool		isnull;
	ArrayType  *arr;
	Oid		   *ops;
	int			n;
	int			i;
	StringInfoData buf;

	if (ir == NULL || (ixraw = ss_index_raw(ir, table)) == NULL)
		return NULL;
	d = heap_getattr(tup, Anum_pg_constraint_conexclop, desc, &isnull);
	if (isnull)
		return NULL;
	arr = DatumGetArrayTypeP(d);
	if (ARR_NDIM(arr) != 1 || ARR_HASNULL(arr) || ARR_ELEMTYPE(arr) != OIDOID)
		return NULL;
	n = ARR_DIMS(arr)[0];
	ops = (Oid *) ARR_DATA_PTR(arr);
	initStringInfo(&buf);
	appendStringInfo(&buf, "x %d %d %d (", (int) co->condeferrable,
					 (int) co->condeferred, (int) co->convalidated);
	for (i = 0; i < n; i++)
	{
		if (ops[i] >= FirstNormalObjectId)
			return NULL;
		appendStringInfo(&buf, "%u ", ops[i]);
	}
	appendStringInfoString(&buf, ") ");
	appendStringInfoString(&buf, ixraw);
	return buf.data;
}

/*
 * constraint_resolve
 *		Deparse a constraint read with a raw key (ss_constraint_lazy): its
 *		definition and, for a CHECK, its expression, as the reader does.
 */
static void
constraint_resolve(SsObject *k)
{
	HeapTuple	tup;
	Form_pg_constraint co;
	Datum		bin;
	bool		isnull;

	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(k->oid));
	if (!HeapTupleIsValid(tup))
		ss_dropped_concurrently(k);
	co = (Form_pg_constraint) GETSTRUCT(tup);
	ss_deparse_note_rel(co->conrelid);
	k->props[KP_DEFINITION] = constraint_definition(k->oid, co->contype, co->conindid);
	if (k->props[KP_DEFINITION] == NULL)
		ss_dropped_concurrently(k);
	if (co->contype == CONSTRAINT_CHECK)
	{
		bin = SysCacheGetAttr(CONSTROID, tup, Anum_pg_constraint_conbin, &isnull);
		if (!isnull)
			k->aux = ss_deparse_of(k, pg_get_expr, 2, bin, ObjectIdGetDatum(k->reloid));
	}
	ReleaseSysCache(tup);
}

/* a constraint read with a raw key: its definition and CHECK expression wait */
const SsLazy ss_constraint_lazy = {
	constraint_resolve, SS_LAZY_PROP(KP_DEFINITION), true, NULL
};

/*
 * conrow_cmp
 *		qsort order of constraints: by table name, then by name, bytewise
 *		as COLLATE "C" sorts, the order in which they join the model.
 */
static int
conrow_cmp(const void *a, const void *b)
{
	const ConRow *x = (const ConRow *) a;
	const ConRow *y = (const ConRow *) b;
	int			c = strcmp(x->table->name, y->table->name);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/*
 * conrow_deparse
 *		Deparse a row read without a raw key (or whose raw key could not be
 *		completed) into the model's memory context; the row is marked
 *		dropped (name NULL) when the constraint was dropped concurrently.
 */
static void
conrow_deparse(ConRow *row, MemoryContext modelcxt, MemoryContext rowcxt)
{
	MemoryContext back = MemoryContextSwitchTo(rowcxt);
	char	   *def;

	ss_deparse_note_rel(row->table->oid);
	def = constraint_definition(row->oid, row->type[0], row->indid);

	row->raw = NULL;
	row->def = def ? MemoryContextStrdup(modelcxt, def) : NULL;
	if (def == NULL)
		row->name = NULL;
	MemoryContextSwitchTo(back);
	MemoryContextReset(rowcxt);
}

/*
 * contype_text
 *		The type of a constraint read, as its KP_TYPE text: one of the
 *		static "p", "u", "c", "f", "x" (not an allocation per constraint).
 */
static char *
contype_text(char contype)
{
	switch (contype)
	{
		case CONSTRAINT_PRIMARY:
			return "p";
		case CONSTRAINT_UNIQUE:
			return "u";
		case CONSTRAINT_CHECK:
			return "c";
		case CONSTRAINT_FOREIGN:
			return "f";
		case CONSTRAINT_EXCLUSION:
			return "x";
	}
	elog(ERROR, "unexpected constraint type \"%c\"", contype);
	return NULL;				/* keep compiler quiet */
}

/*
 * ss_read_constraints
 *		All constraints of the tables of a schema, in one heap scan of
 *		pg_constraint.  A row is kept when its table was read into the model
 *		(so it is in this schema and no extension member) and the
 *		constraint is the table's own: neither inherited nor cloned from a
 *		partitioned parent.  Definitions come from the server's own
 *		pg_get_constraintdef() and pg_get_expr(), with search_path set to the
 *		schema by ss_read_schema; with raw keys (ss_read_raw), CHECK, PRIMARY
 *		KEY, UNIQUE, FOREIGN KEY and EXCLUDE constraints are deparsed on
 *		demand, the
 *		keys' indexes read in bulk (key_indexes).  The model's texts are
 *		allocated in the memory context current at the call, the model's.
 */
void
ss_read_constraints(SsModel *m, Oid nsp)
{
	MemoryContext modelcxt = CurrentMemoryContext;
	MemoryContext scratch;
	MemoryContext rowcxt;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	ConRow	   *rows;
	int			nrows = 0;
	int			maxrows = 256;
	int			nkept = 0;
	HTAB	   *ixs = NULL;
	int			i;

	/* the rows until they are sorted, and the garbage of deparsing one */
	scratch = AllocSetContextCreate(modelcxt, "schemasync constraint rows",
									ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(scratch, "schemasync constraint row",
								   ALLOCSET_DEFAULT_SIZES);
	rows = MemoryContextAlloc(scratch, maxrows * sizeof(ConRow));

	scan = ss_scan_owned_begin(ConstraintRelationId, ConstraintRelidTypidNameIndexId,
							   Anum_pg_constraint_conrelid, RelationRelationId,
							   0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_constraint co = (Form_pg_constraint) GETSTRUCT(tup);
		TupleDesc	desc = RelationGetDescr(rel);
		SsObject   *table;
		ConRow	   *row;
		char	   *raw = NULL;
		char	   *def;
		char	   *check;
		int			nkeys = -1;

		/* before the filters: a partition's key owns its index too */
		if ((co->contype == CONSTRAINT_PRIMARY || co->contype == CONSTRAINT_UNIQUE ||
			 co->contype == CONSTRAINT_EXCLUSION) && OidIsValid(co->conindid))
			ss_rel_set_constraint_owned(co->conindid);
		if (co->contype != CONSTRAINT_PRIMARY &&
			co->contype != CONSTRAINT_UNIQUE &&
			co->contype != CONSTRAINT_CHECK &&
			co->contype != CONSTRAINT_FOREIGN &&
			co->contype != CONSTRAINT_EXCLUSION)
			continue;
		if (OidIsValid(co->conparentid) || co->coninhcount != 0)
			continue;
		table = ss_model_table(co->conrelid);
		if (table == NULL)
			continue;

		if (nrows == maxrows)
		{
			maxrows *= 2;
			rows = repalloc_huge(rows, maxrows * sizeof(ConRow));
		}
		row = &rows[nrows++];
		row->table = table;
		row->name = MemoryContextStrdup(scratch, NameStr(co->conname));
		row->type = contype_text(co->contype);
		row->oid = co->oid;
		row->indid = co->conindid;
		row->def = NULL;
		row->check = NULL;

		MemoryContextSwitchTo(rowcxt);
		if (ss_read_raw && co->contype == CONSTRAINT_CHECK)
			raw = check_raw(co, table, tup, desc);
		else if (ss_read_raw && co->contype == CONSTRAINT_FOREIGN)
			raw = fk_raw(co, tup, desc, nsp);
		else if (ss_read_raw && co->contype == CONSTRAINT_EXCLUSION)
			raw = exclusion_raw(co, table, tup, desc);
		else if (ss_read_raw)
			raw = key_raw(co, tup, desc, &nkeys);
		/* a key's first part waits for its index's, in scratch */
		row->nkeys = raw ? nkeys : -1;
		row->raw = raw == NULL ? NULL : nkeys >= 0 ?
			MemoryContextStrdup(scratch, raw) : ss_model_strdup(m, raw);
		MemoryContextSwitchTo(modelcxt);
		MemoryContextReset(rowcxt);

		if (row->raw == NULL && co->contype == CONSTRAINT_CHECK &&
			ss_check_deparsed_ahead(co->oid, co->conrelid, &def, &check))
		{
			/* a worker deparsed both texts (parallel.c): copied out */
			row->def = MemoryContextStrdup(modelcxt, def);
			row->check = check != NULL ? MemoryContextStrdup(modelcxt, check) : NULL;
		}
		else if (row->raw == NULL)
		{
			conrow_deparse(row, modelcxt, rowcxt);
			if (row->name == NULL)
			{
				nrows--;
				continue;
			}
		}
		if (row->raw == NULL && co->contype == CONSTRAINT_CHECK && row->check == NULL)
		{
			Datum		bin;
			bool		isnull;

			bin = heap_getattr(tup, Anum_pg_constraint_conbin, desc, &isnull);
			if (!isnull)
			{
				row->check = ss_deparse(pg_get_expr, 2, bin,
										ObjectIdGetDatum(co->conrelid), modelcxt);
			}
		}
		if (row->nkeys >= 0)
		{
			/* its index's part comes after the scan */
			if (ixs == NULL)
			{
				MemoryContext back = MemoryContextSwitchTo(scratch);

				ixs = ss_oid_hash_create("schemasync key indexes", sizeof(ConIndex), 1024);
				MemoryContextSwitchTo(back);
			}
			(void) hash_search(ixs, &row->indid, HASH_ENTER, NULL);
			nkept++;
		}
	}
	ss_scan_end(scan, rel);
	/* every constraint of the schema's tables was seen */
	ss_rel_set_constraint_owned(InvalidOid);
	/* a worker deparsing CHECK constraints ahead leaves them */
	ss_deparse_ahead_passed(SS_AHEAD_CHECK);

	/* the keys' raw keys, completed from their indexes */
	if (nkept > 0)
	{
		HASH_SEQ_STATUS seq;
		ConIndex   *ix;
		char	   *raw;

		hash_seq_init(&seq, ixs);
		while ((ix = hash_seq_search(&seq)) != NULL)
		{
			ix->have_index = ix->have_class = ix->nullsnotdistinct = false;
			ix->natts = 0;
			ix->attnums = NULL;
			ix->reloptions = NULL;
		}
		MemoryContextSwitchTo(scratch);
		key_indexes(ixs);
		for (i = 0; i < nrows; i++)
		{
			ConRow	   *row = &rows[i];

			if (row->nkeys < 0)
				continue;
			MemoryContextSwitchTo(rowcxt);
			raw = key_raw_index(row->raw, row->nkeys,
								hash_search(ixs, &row->indid, HASH_FIND, NULL),
								row->table->oid);
			row->raw = ss_model_strdup(m, raw);
			MemoryContextReset(rowcxt);
			if (row->raw == NULL)
				conrow_deparse(row, modelcxt, rowcxt);
		}
		MemoryContextSwitchTo(modelcxt);
	}

	/* the model keeps them by table and name, as COLLATE "C" sorts */
	for (i = 0; i < nrows; i++)
	{
		/* the keys dropped while their indexes were read go */
		if (rows[i].name == NULL)
			rows[i--] = rows[--nrows];
	}
	qsort(rows, nrows, sizeof(ConRow), conrow_cmp);
	for (i = 0; i < nrows; i++)
	{
		ConRow	   *row = &rows[i];
		SsObject   *k = ss_object_add(m, SS_CONSTRAINT, m->schema,
									  row->table->name, row->name);

		k->props[KP_TYPE] = row->type;
		k->props[KP_DEFINITION] = row->def;
		k->aux = row->check;
		k->oid = row->oid;
		k->reloid = row->table->oid;
		if (row->raw != NULL)
		{
			k->raw = row->raw;
			/* a CHECK's and an EXCLUDE's node trees name columns by number */
			if (row->type[0] == CONSTRAINT_CHECK ||
				row->type[0] == CONSTRAINT_EXCLUSION)
				k->rawcols = row->table->colsig;
			k->lazy = &ss_constraint_lazy;
		}
		ss_register_addr(ConstraintRelationId, k->oid, 0, k);
		/* the index behind a key or exclusion constraint stands for it */
		if (strchr("pux", row->type[0]) && OidIsValid(row->indid))
			ss_register_addr(RelationRelationId, row->indid, 0, k);
	}
	MemoryContextDelete(scratch);

	ss_read_comments(ConstraintRelationId, SS_CONSTRAINT, KP_COMMENT);
}

/*
 * is_not_valid
 *		Whether a definition ends in NOT VALID.
 */
static bool
is_not_valid(const char *def)
{
	size_t		len = strlen(def);
	size_t		slen = strlen(NOT_VALID_SUFFIX);

	return len > slen && strcmp(def + len - slen, NOT_VALID_SUFFIX) == 0;
}

/*
 * strip_not_valid
 *		A definition without its NOT VALID suffix.
 */
static char *
strip_not_valid(const char *def)
{
	if (is_not_valid(def))
		return pnstrdup(def, strlen(def) - strlen(NOT_VALID_SUFFIX));
	return pstrdup(def);
}

/*
 * same_definition
 *		Whether two constraints are the same but maybe for validation.
 */
static bool
same_definition(SsDiff *d, SsObject *cur, SsObject *want)
{
	char	   *a = strip_not_valid(ss_prop(cur, KP_DEFINITION));
	char	   *b = strip_not_valid(ss_prop(want, KP_DEFINITION));

	if (!ss_streq(cur->props[KP_TYPE], want->props[KP_TYPE]))
		return false;
	if (strcmp(a, b) == 0)
		return true;
	if (cur->props[KP_TYPE][0] == 'c' && ss_aux(cur) && ss_aux(want))
	{
		/* the same flags around possibly differently deparsed expressions */
		bool		a_noinh = strstr(a, ") NO INHERIT") != NULL;
		bool		b_noinh = strstr(b, ") NO INHERIT") != NULL;

		return a_noinh == b_noinh &&
			ss_expr_equal(d, cur, cur->aux, want, want->aux, 'c');
	}
	return false;
}

/*
 * constraint_emit_add
 *		ALTER TABLE ... ADD CONSTRAINT, with the lock and hazards of its kind.
 */
static SsChange *
constraint_emit_add(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	char		type = want->props[KP_TYPE][0];
	bool		notvalid = is_not_valid(ss_prop(want, KP_DEFINITION));
	bool		newtable = ss_parent_created(d, want);
	SsChange   *c;

	c = ss_add_change(d, NULL, NULL, want, action,
					  psprintf("ALTER TABLE %s ADD CONSTRAINT %s %s;",
							   ss_target_table(d, want), quote_identifier(want->name),
							   ss_prop(want, KP_DEFINITION)));
	c->reason = pstrdup(reason);
	if (type == 'f')
	{
		/* both the table and the referenced table */
		c->lock = SS_LOCK_SHARE_ROW_EXCLUSIVE;
		c->hazards = SS_HZ_BLOCKS_WRITES;
	}
	else
	{
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	}
	if (strchr("pux", type))
		c->hazards |= SS_HZ_INDEX_BUILD;
	if (!notvalid && !newtable)
		c->hazards |= SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
	ss_emit_comment(d, NULL, want, "CONSTRAINT",
					psprintf("%s ON %s", quote_identifier(want->name), ss_target_table(d, want)),
					KP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
	return c;
}

/*
 * referenced_dropped_table
 *		The other table, dropped by this diff, that a foreign key references;
 *		NULL when there is none.
 */
static SsObject *
referenced_dropped_table(SsDiff *d, SsObject *fk)
{
	ListCell   *lc;

	if (!ss_streq(fk->props[KP_TYPE], "f"))
		return NULL;
	foreach(lc, ss_deps(fk))
	{
		SsObject   *ref = ss_object_lookup(d->cur, ((SsDep *) lfirst(lc))->key);
		SsObject   *table = ref ? (ref->kind == SS_TABLE ? ref : ref->parentobj) : NULL;

		if (table && table != fk->parentobj && ss_drop_of(d, table->key))
			return table;
	}
	return NULL;
}

/*
 * reaches
 *		Whether table from reaches table to through foreign keys of tables
 *		that are dropped; seen guards against going round.
 */
static bool
reaches(SsDiff *d, SsObject *from, SsObject *to, List **seen)
{
	ListCell   *lc;

	if (from == to)
		return true;
	if (list_member_ptr(*seen, from))
		return false;
	*seen = lappend(*seen, from);
	foreach(lc, from->children)
	{
		SsObject   *next = lfirst(lc);

		if (next->kind == SS_CONSTRAINT &&
			(next = referenced_dropped_table(d, next)) != NULL &&
			reaches(d, next, to, seen))
			return true;
	}
	return false;
}

/*
 * references_dropped_table
 *		Whether a foreign key of a dropped table must be dropped on its own,
 *		first: when the table it references, dropped too, reaches back to
 *		its own table by foreign keys.  Tables that reference each other
 *		cannot be dropped one after the other; a chain can, and then the
 *		keys go with their tables.
 */
static bool
references_dropped_table(SsDiff *d, SsObject *cur)
{
	SsObject   *target = referenced_dropped_table(d, cur);
	List	   *seen = NIL;

	return target != NULL && reaches(d, target, cur->parentobj, &seen);
}

/*
 * constraint_emit_drop
 *		ALTER TABLE ... DROP CONSTRAINT, or nothing when the table goes.
 */
static void
constraint_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur) && !references_dropped_table(d, cur))
	{
		(void) ss_add_change(d, NULL, cur, NULL, action, NULL);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("ALTER TABLE %s DROP CONSTRAINT %s;",
							   ss_target_table(d, cur), quote_identifier(cur->name)));
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
}

/*
 * constraint_replace
 *		Drop a constraint and add it again.
 */
static void
constraint_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	constraint_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	(void) constraint_emit_add(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * constraint_diff
 *		Create, drop, validate or replace a constraint.
 */
static void
constraint_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	/* equal catalog rows: only the comment may differ */
	if (cur != NULL && want != NULL && ss_raw_equal(cur, want))
	{
		if (!ss_streq(cur->props[KP_COMMENT], want->props[KP_COMMENT]))
			ss_emit_comment(d, cur, want, "CONSTRAINT",
							psprintf("%s ON %s", quote_identifier(want->name),
									 ss_target_table(d, want)),
							KP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
		return;
	}
	if (cur == NULL)
	{
		(void) constraint_emit_add(d, want, SS_ACT_CREATE, "constraint missing in target");
		return;
	}
	if (want == NULL)
	{
		/* merged into the new parent's by ATTACH PARTITION or INHERIT */
		if (ss_constraint_kept_by_link(d, cur))
			return;
		constraint_emit_drop(d, cur, SS_ACT_DROP, "constraint not in reference");
		return;
	}
	if (!same_definition(d, cur, want))
	{
		constraint_replace(d, cur, want, "definition differs");
		return;
	}
	if (is_not_valid(ss_prop(cur, KP_DEFINITION)) !=
		is_not_valid(ss_prop(want, KP_DEFINITION)))
	{
		SsChange   *c;

		if (is_not_valid(ss_prop(want, KP_DEFINITION)))
		{
			/* there is no way back to NOT VALID but to add it again */
			constraint_replace(d, cur, want, "constraint is NOT VALID in reference");
			return;
		}
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;",
								   ss_target_table(d, want), quote_identifier(want->name)));
		c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
		c->hazards = SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
		c->reason = pstrdup("constraint is validated in reference");
	}
	ss_emit_comment(d, cur, want, "CONSTRAINT",
					psprintf("%s ON %s", quote_identifier(want->name), ss_target_table(d, want)),
					KP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
}

const SsKindOps ss_constraint_ops = {
	.name = "constraint",
	.nprops = KP_NUM,
	.propnames = constraint_propnames,
	.proptypes = "ttt",
	.diff = constraint_diff,
	.replace = constraint_replace,
	.breaks_dependents = NULL,
};
