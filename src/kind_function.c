/*-------------------------------------------------------------------------
 *
 * kind_function.c
 *	  Functions, procedures and aggregates ("routines").
 *
 * A routine is identified by its name and its input argument types, so
 * overloads are separate objects: the key's name is
 * quote_ident(proname) || '(' || oidvectortypes(proargtypes) || ')', read
 * with search_path set to the schema, so that types of the schema come out
 * unqualified and two schemas compare equal.
 *
 * The definition of a function or procedure is pg_get_functiondef() with
 * the one qualifier it always writes (the routine's own schema) removed; it
 * holds every attribute (language, body, volatility, strictness, SECURITY
 * DEFINER, LEAKPROOF, PARALLEL, COST, ROWS, SUPPORT, SET, WINDOW, argument
 * names, modes and defaults, the result), so two routines are equal when
 * their definitions are.  An aggregate's CREATE AGGREGATE is built from
 * pg_aggregate by the reader's query.
 *
 * A routine that differs is changed with CREATE OR REPLACE when PostgreSQL
 * allows it: same kind, same result type, same argument names, modes and
 * types (OUT arguments included), and no parameter default removed.
 * Otherwise (and always for aggregates) it is dropped and created again, and
 * the differ re-creates what depends on it (CHECK constraints, indexes,
 * triggers, other routines; a column default is dropped and set again).
 *
 * Bodies are created with check_function_bodies off (see executor.c), so a
 * SQL function may name a table created later in the same migration: the
 * references inside a body are not recorded in pg_depend.
 *
 * src/kind_function.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_proc.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/array.h"
#include "utils/fmgroids.h"
#include "utils/fmgrprotos.h"
#include "utils/memutils.h"

#include "schemasync.h"

/*
 * SQL text of the name of an aggregate's support function (a pg_proc OID
 * column): unqualified when it is of the schema read ($1) or of pg_catalog,
 * else qualified.  Not regproc: that qualifies a function of the schema
 * whenever pg_catalog has one of the same name (numeric_accum), which would
 * tie the aggregate to the schema it was read from.  CREATE AGGREGATE
 * finds the function by its name and the aggregate's argument types.
 */
#define SS_AGG_FUNC(col) \
	"(SELECT CASE WHEN fp.pronamespace IN ($1, 'pg_catalog'::pg_catalog.regnamespace)" \
	" THEN pg_catalog.quote_ident(fp.proname)" \
	" ELSE pg_catalog.quote_ident(fpn.nspname) || '.' || pg_catalog.quote_ident(fp.proname) END" \
	" FROM pg_catalog.pg_proc fp JOIN pg_catalog.pg_namespace fpn ON fpn.oid = fp.pronamespace" \
	" WHERE fp.oid = " col ")"

static const char *const function_propnames[FP_NUM] = {
	"routine", "definition", "comment"
};

/* the statement prefixes a definition starts with, before the name */
static const char *const routine_prefixes[] = {
	"CREATE OR REPLACE FUNCTION ",
	"CREATE OR REPLACE PROCEDURE ",
	"CREATE OR REPLACE AGGREGATE ",
	"CREATE FUNCTION ",
	"CREATE PROCEDURE ",
	"CREATE AGGREGATE ",
};

/*
 * ss_routine_prefix_len
 *		The length of the "CREATE [OR REPLACE] FUNCTION|PROCEDURE|AGGREGATE "
 *		a definition starts with, or -1.
 */
int
ss_routine_prefix_len(const char *def)
{
	int			i;

	for (i = 0; i < lengthof(routine_prefixes); i++)
		if (strncmp(def, routine_prefixes[i], strlen(routine_prefixes[i])) == 0)
			return strlen(routine_prefixes[i]);
	return -1;
}

/*
 * ss_routine_of_definition
 *		"function", "procedure" or "aggregate", from a definition's prefix.
 */
const char *
ss_routine_of_definition(const char *def)
{
	int			pre = ss_routine_prefix_len(def);

	if (pre >= 10 && strncmp(def + pre - 10, "PROCEDURE ", 10) == 0)
		return "procedure";
	if (pre >= 10 && strncmp(def + pre - 10, "AGGREGATE ", 10) == 0)
		return "aggregate";
	return "function";
}

/*
 * ss_parse_routine_definition
 *		Parse a routine definition as written in a model: it must be one
 *		CREATE FUNCTION, PROCEDURE or AGGREGATE statement.  Returns the name
 *		it creates, or NULL when the statement is of another kind or its
 *		name is qualified.  A syntax error is raised as is.
 */
char *
ss_parse_routine_definition(const char *def)
{
	List	   *raw;
	Node	   *stmt;
	List	   *names = NIL;

#if PG_VERSION_NUM >= 140000
	raw = raw_parser(def, RAW_PARSE_DEFAULT);
#else
	raw = raw_parser(def);
#endif
	if (list_length(raw) != 1)
		return NULL;
	stmt = linitial_node(RawStmt, raw)->stmt;
	if (IsA(stmt, CreateFunctionStmt))
		names = ((CreateFunctionStmt *) stmt)->funcname;
	else if (IsA(stmt, DefineStmt) && ((DefineStmt *) stmt)->kind == OBJECT_AGGREGATE)
		names = ((DefineStmt *) stmt)->defnames;
	if (list_length(names) != 1)
		return NULL;
	return strVal(linitial(names));
}

/*
 * neutral_definition
 *		A definition with the routine's own schema qualifier removed and
 *		without the trailing newline pg_get_functiondef() writes.
 */
static char *
neutral_definition(const char *def, const char *schema)
{
	int			pre = ss_routine_prefix_len(def);
	const char *qs = quote_identifier(schema);
	size_t		qslen = strlen(qs);
	char	   *res;
	size_t		len;

	if (pre >= 0 && strncmp(def + pre, qs, qslen) == 0 && def[pre + qslen] == '.')
		res = psprintf("%.*s%s", pre, def, def + pre + qslen + 1);
	else
		res = pstrdup(def);
	len = strlen(res);
	while (len > 0 && (res[len - 1] == '\n' || res[len - 1] == ' '))
		res[--len] = '\0';
	return res;
}

/*
 * routine_definition
 *		The definition of a function or procedure as the reader keeps it
 *		(neutral_definition of pg_get_functiondef).
 */
static char *
routine_definition(SsObject *f, const char *schema)
{
	return neutral_definition(ss_deparse_of(f, pg_get_functiondef, 1,
											ObjectIdGetDatum(f->oid), (Datum) 0),
							  schema);
}

/*
 * routine_resolve
 *		SsLazy callback: the definition of a routine read with a raw key.
 */
static void
routine_resolve(SsObject *f)
{
	f->props[FP_DEFINITION] = routine_definition(f, f->model->schema);
}

/* a routine read with a raw key: FP_DEFINITION waits */
const SsLazy ss_routine_lazy = {
	routine_resolve, SS_LAZY_PROP(FP_DEFINITION), false, NULL
};

/*
 * proc_oids
 *		The OIDs of an oid[] column of a pg_proc row (proallargtypes,
 *		protrftypes), or false when it is NULL.
 */
static bool
proc_oids(HeapTuple tup, TupleDesc desc, AttrNumber attnum, Oid **oids, int *n)
{
	bool		isnull;
	Datum		value = heap_getattr(tup, attnum, desc, &isnull);
	ArrayType  *arr;

	if (isnull)
		return false;
	arr = DatumGetArrayTypeP(value);
	*oids = (Oid *) ARR_DATA_PTR(arr);
	*n = ARR_NDIM(arr) > 0 ? ARR_DIMS(arr)[0] : 0;
	return true;
}

/*
 * types_raw
 *		Append a list of types to a raw key as ss_type_raw keys each (a type
 *		of another schema refuses: false), ended by ';'.
 */
static bool
types_raw(StringInfo buf, const Oid *types, int n, Oid nsp)
{
	int			i;

	for (i = 0; i < n; i++)
		if (!ss_type_raw(buf, types[i], nsp))
			return false;
	appendStringInfoChar(buf, ';');
	return true;
}

/*
 * proc_types_raw
 *		types_raw of an oid[] column of a pg_proc row; "-;" when it is NULL.
 */
static bool
proc_types_raw(StringInfo buf, HeapTuple tup, TupleDesc desc, AttrNumber attnum,
			   Oid nsp)
{
	Oid		   *types;
	int			n;

	if (!proc_oids(tup, desc, attnum, &types, &n))
	{
		appendStringInfoString(buf, "-;");
		return true;
	}
	return types_raw(buf, types, n, nsp);
}

/*
 * proc_text
 *		A text or array column of a pg_proc row as text (arrays through
 *		array_out), or NULL.
 */
static char *
proc_text(HeapTuple tup, TupleDesc desc, AttrNumber attnum, bool array)
{
	bool		isnull;
	Datum		value = heap_getattr(tup, attnum, desc, &isnull);

	if (isnull)
		return NULL;
	/* array_out needs an FmgrInfo: not a direct call */
	return array ? OidOutputFunctionCall(F_ARRAY_OUT, value) : TextDatumGetCString(value);
}

/*
 * routine_raw
 *		The raw key of a function or procedure (docs/design.md, "Reading
 *		fast") from its pg_proc row, or NULL when its definition is
 *		deparsed on reading: everything of the row that pg_get_functiondef()
 *		prints besides its name and schema, with the types of the schema
 *		named; trees as ss_tree_raw keys them.  A user-defined support
 *		function, a type of another schema, or a tree without a key gives
 *		none.
 */
static char *
routine_raw(HeapTuple tup, TupleDesc desc, Oid nsp)
{
	Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tup);
	StringInfoData buf;
	char	   *tree;

	/* a user-defined support function may be named otherwise on each side */
	if (proc->prosupport >= FirstNormalObjectId)
		return NULL;
	initStringInfo(&buf);

	/* attributes: language, cost, rows, flags, support, library, settings */
	appendStringInfo(&buf, "%u|%.9g|%.9g|%d|%d|%d|%d|%c|%c|%c|%d|%d|%u|",
					 proc->prolang, proc->procost, proc->prorows,
					 (int) proc->prosecdef, (int) proc->proleakproof,
					 (int) proc->proisstrict, (int) proc->proretset,
					 proc->provolatile, proc->proparallel, proc->prokind,
					 (int) proc->pronargs, (int) proc->pronargdefaults,
					 proc->prosupport);
	ss_raw_append(&buf, proc_text(tup, desc, Anum_pg_proc_probin, false), false);
	ss_raw_append(&buf, proc_text(tup, desc, Anum_pg_proc_proconfig, true), false);

	/* the types: result, variadic, arguments, all arguments, transforms */
	if (!types_raw(&buf, &proc->prorettype, 1, nsp) ||
		!types_raw(&buf, &proc->provariadic, 1, nsp) ||
		!types_raw(&buf, proc->proargtypes.values, proc->proargtypes.dim1, nsp) ||
		!proc_types_raw(&buf, tup, desc, Anum_pg_proc_proallargtypes, nsp) ||
		!proc_types_raw(&buf, tup, desc, Anum_pg_proc_protrftypes, nsp))
		return NULL;

	/* argument modes and names, defaults, source, SQL-standard body */
	ss_raw_append(&buf, proc_text(tup, desc, Anum_pg_proc_proargmodes, true), false);
	ss_raw_append(&buf, proc_text(tup, desc, Anum_pg_proc_proargnames, true), false);
	tree = proc_text(tup, desc, Anum_pg_proc_proargdefaults, false);
	if (tree != NULL && (tree = ss_tree_raw(tree, InvalidOid, nsp)) == NULL)
		return NULL;
	ss_raw_append(&buf, tree, false);
	ss_raw_append(&buf, proc_text(tup, desc, Anum_pg_proc_prosrc, false), false);
#if PG_VERSION_NUM >= 140000
	tree = proc_text(tup, desc, Anum_pg_proc_prosqlbody, false);
	if (tree != NULL && (tree = ss_tree_raw(tree, InvalidOid, nsp)) == NULL)
		return NULL;
	ss_raw_append(&buf, tree, false);
#endif
	return buf.data;
}

/*
 * routine_shape
 *		What CREATE OR REPLACE must keep of a function or procedure (aux):
 *		its kind, result, argument modes and names, and the types of all its
 *		arguments, joined by '|' (the ones it lacks left out).
 */
static char *
routine_shape(SsObject *f, HeapTuple tup, TupleDesc desc)
{
	Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tup);
	StringInfoData buf;
	char	   *result;
	char	   *text;
	Oid		   *types;
	int			ntypes;
	int			i;

	initStringInfo(&buf);
	appendStringInfoChar(&buf, proc->prokind);
	/* NULL for a procedure */
	result = ss_deparse(pg_get_function_result, 1, ObjectIdGetDatum(f->oid),
						(Datum) 0, CurrentMemoryContext);
	if (result != NULL)
		appendStringInfo(&buf, "|%s", result);
	if ((text = proc_text(tup, desc, Anum_pg_proc_proargmodes, true)) != NULL)
		appendStringInfo(&buf, "|%s", text);
	if ((text = proc_text(tup, desc, Anum_pg_proc_proargnames, true)) != NULL)
		appendStringInfo(&buf, "|%s", text);
	if (!proc_oids(tup, desc, Anum_pg_proc_proallargtypes, &types, &ntypes))
	{
		types = proc->proargtypes.values;
		ntypes = proc->proargtypes.dim1;
	}
	for (i = 0; i < ntypes; i++)
		appendStringInfo(&buf, "%c%s", i ? ',' : '|',
						 format_type_extended(types[i], -1, FORMAT_TYPE_ALLOW_INVALID));
	return buf.data;
}

/*
 * The definitions of the aggregates of a schema (read_aggregates): a query
 * of its own, run only when the schema has aggregates, since planning the
 * subqueries that name the support functions cost a tenth of a diff of 100
 * tables in a new session.
 */
#define AGGREGATES_SQL \
	"SELECT p.oid," \
	"  'CREATE AGGREGATE ' || pg_catalog.quote_ident(p.proname) || '(' ||" \
	"  CASE WHEN p.pronargs = 0 THEN '*'" \
	"   ELSE pg_catalog.pg_get_function_arguments(p.oid) END || ') (' ||" \
	"  pg_catalog.concat_ws(', '," \
	"   'SFUNC = ' || " SS_AGG_FUNC("a.aggtransfn") "," \
	"   'STYPE = ' || pg_catalog.format_type(a.aggtranstype, NULL)," \
	"   CASE WHEN a.aggtransspace <> 0 THEN 'SSPACE = ' || a.aggtransspace END," \
	"   CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC = ' || " SS_AGG_FUNC("a.aggfinalfn") " END," \
	"   CASE WHEN a.aggfinalextra THEN 'FINALFUNC_EXTRA' END," \
	"   CASE WHEN a.aggfinalfn <> 0 THEN 'FINALFUNC_MODIFY = ' ||" \
	"    CASE a.aggfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE'" \
	"    ELSE 'READ_WRITE' END END," \
	"   CASE WHEN a.aggcombinefn <> 0 THEN 'COMBINEFUNC = ' || " SS_AGG_FUNC("a.aggcombinefn") " END," \
	"   CASE WHEN a.aggserialfn <> 0 THEN 'SERIALFUNC = ' || " SS_AGG_FUNC("a.aggserialfn") " END," \
	"   CASE WHEN a.aggdeserialfn <> 0 THEN 'DESERIALFUNC = ' || " SS_AGG_FUNC("a.aggdeserialfn") " END," \
	"   CASE WHEN a.agginitval IS NOT NULL THEN 'INITCOND = ' || pg_catalog.quote_literal(a.agginitval) END," \
	"   CASE WHEN a.aggmtransfn <> 0 THEN 'MSFUNC = ' || " SS_AGG_FUNC("a.aggmtransfn") " END," \
	"   CASE WHEN a.aggminvtransfn <> 0 THEN 'MINVFUNC = ' || " SS_AGG_FUNC("a.aggminvtransfn") " END," \
	"   CASE WHEN a.aggmtranstype <> 0 THEN 'MSTYPE = ' || pg_catalog.format_type(a.aggmtranstype, NULL) END," \
	"   CASE WHEN a.aggmtransspace <> 0 THEN 'MSSPACE = ' || a.aggmtransspace END," \
	"   CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC = ' || " SS_AGG_FUNC("a.aggmfinalfn") " END," \
	"   CASE WHEN a.aggmfinalextra THEN 'MFINALFUNC_EXTRA' END," \
	"   CASE WHEN a.aggmfinalfn <> 0 THEN 'MFINALFUNC_MODIFY = ' ||" \
	"    CASE a.aggmfinalmodify WHEN 'r' THEN 'READ_ONLY' WHEN 's' THEN 'SHAREABLE'" \
	"    ELSE 'READ_WRITE' END END," \
	"   CASE WHEN a.aggminitval IS NOT NULL THEN 'MINITCOND = ' || pg_catalog.quote_literal(a.aggminitval) END," \
	"   CASE WHEN a.aggsortop <> 0 THEN (SELECT 'SORTOP = ' ||" \
	"    CASE WHEN op.oprnamespace = $1 THEN op.oprname::pg_catalog.text" \
	"    ELSE 'OPERATOR(' || pg_catalog.quote_ident(opn.nspname) || '.' || op.oprname || ')' END" \
	"    FROM pg_catalog.pg_operator op" \
	"    JOIN pg_catalog.pg_namespace opn ON opn.oid = op.oprnamespace" \
	"    WHERE op.oid = a.aggsortop) END," \
	"   CASE p.proparallel WHEN 's' THEN 'PARALLEL = SAFE'" \
	"    WHEN 'r' THEN 'PARALLEL = RESTRICTED' END," \
	"   CASE WHEN a.aggkind = 'h' THEN 'HYPOTHETICAL' END) || ')'" \
	" FROM pg_catalog.pg_proc p" \
	" JOIN pg_catalog.pg_aggregate a ON a.aggfnoid = p.oid" \
	" WHERE p.pronamespace = $1"

/* an aggregate's definition, by its OID */
typedef struct AggregateDef
{
	Oid			oid;			/* hash key */
	char	   *definition;
} AggregateDef;

/*
 * read_aggregates
 *		The definitions of the aggregates of a schema (AGGREGATES_SQL) by
 *		OID, or NULL when it has none (any: the schema's routines read
 *		include an aggregate).
 */
static HTAB *
read_aggregates(Oid nsp, bool any)
{
	HTAB	   *defs;
	uint64		i;

	if (!any)
		return NULL;
	ss_spi_exec(AGGREGATES_SQL, nsp);
	defs = ss_oid_hash_create("schemasync aggregates", sizeof(AggregateDef), 64);
	for (i = 0; i < SPI_processed; i++)
	{
		Oid			oid = ss_spi_oid(i, 1);
		AggregateDef *a = hash_search(defs, &oid, HASH_ENTER, NULL);

		a->definition = ss_spi_text(i, 2);
	}
	return defs;
}

/* a routine of the schema, as read from pg_proc */
typedef struct RoutineRow
{
	HeapTuple	tup;			/* a copy of its row */
	char	   *name;			/* name(argument types), its key's name */
	bool		skip;			/* an extension's member, or owned */
} RoutineRow;

/*
 * routine_row_cmp
 *		qsort order of the routines read: by name, then argument types,
 *		bytewise.
 */
static int
routine_row_cmp(const void *a, const void *b)
{
	const RoutineRow *x = a;
	const RoutineRow *y = b;
	int			c = strcmp(NameStr(((Form_pg_proc) GETSTRUCT(x->tup))->proname),
						   NameStr(((Form_pg_proc) GETSTRUCT(y->tup))->proname));

	return c != 0 ? c : strcmp(x->name, y->name);
}

/*
 * routines_owned
 *		Mark the routines read that belong to an extension or that another
 *		object owns (the constructors of a range type): those with an 'e' or
 *		'i' pg_depend row, from the index range of pg_depend over their OIDs.
 */
static void
routines_owned(RoutineRow *rows, int nrows)
{
	HTAB	   *byoid;
	Oid			lo = OID_MAX;
	Oid			hi = InvalidOid;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	int			i;

	if (nrows == 0)
		return;
	byoid = ss_oid_map_create("schemasync routines", nrows);
	for (i = 0; i < nrows; i++)
	{
		Oid			oid = ((Form_pg_proc) GETSTRUCT(rows[i].tup))->oid;

		ss_oid_map_set(byoid, oid, i);
		lo = Min(lo, oid);
		hi = Max(hi, oid);
	}
	rel = table_open(DependRelationId, AccessShareLock);
	scan = ss_depend_range_begin(rel, ProcedureRelationId, lo, hi);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend dep = (Form_pg_depend) GETSTRUCT(tup);
		int			row;

		if ((dep->deptype == DEPENDENCY_EXTENSION || dep->deptype == DEPENDENCY_INTERNAL) &&
			(row = ss_oid_map_get(byoid, dep->objid)) >= 0)
			rows[row].skip = true;
	}
	ss_scan_end(scan, rel);
	hash_destroy(byoid);
}

/*
 * ss_read_functions
 *		All functions, procedures and aggregates of a schema: one heap scan
 *		of pg_proc keyed by the schema, one range of pg_depend over their
 *		OIDs (routines_owned), their comments (ss_read_comments), and a
 *		query for the definitions of aggregates when there are some
 *		(read_aggregates).  Routines that belong to an extension, or that
 *		another object owns, are left out.  With raw keys (ss_read_raw), the
 *		definition of a function or procedure whose row has one
 *		(routine_raw) is deparsed only when asked for.
 *
 *		The rows read and the work on each routine are in contexts of their
 *		own: only the objects and their texts stay in the model.  Kept there,
 *		the copies of the rows, the raw keys' parts and the texts' buffers
 *		were some 10 kB a routine, 54 MB for the two sides of a
 *		10,000-table diff.
 */
void
ss_read_functions(SsModel *m, Oid nsp)
{
	MemoryContext modelcxt = CurrentMemoryContext;
	MemoryContext rowcxt;
	MemoryContext one;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	TupleDesc	desc;
	RoutineRow *rows;
	int			nrows = 0;
	int			maxrows = 64;
	bool		anyagg = false;
	HTAB	   *aggregates;
	int			i;

	rowcxt = AllocSetContextCreate(modelcxt, "schemasync routine rows",
								   ALLOCSET_DEFAULT_SIZES);
	one = AllocSetContextCreate(rowcxt, "schemasync routine",
								ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(rowcxt);
	rows = palloc(maxrows * sizeof(RoutineRow));
	scan = ss_scan_begin(ProcedureRelationId, Anum_pg_proc_pronamespace, nsp, &rel);
	desc = RelationGetDescr(rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(tup);
		char	   *types = text_to_cstring(DatumGetTextPP(
												 DirectFunctionCall1(oidvectortypes,
																	 PointerGetDatum(&proc->proargtypes))));

		if (nrows == maxrows)
		{
			maxrows *= 2;
			rows = repalloc(rows, maxrows * sizeof(RoutineRow));
		}
		rows[nrows].tup = heap_copytuple(tup);
		rows[nrows].name = psprintf("%s(%s)", quote_identifier(NameStr(proc->proname)), types);
		rows[nrows].skip = false;
		nrows++;
		pfree(types);
	}
	systable_endscan(scan);
	MemoryContextSwitchTo(modelcxt);
	routines_owned(rows, nrows);
	qsort(rows, nrows, sizeof(RoutineRow), routine_row_cmp);
	for (i = 0; i < nrows; i++)
		if (!rows[i].skip && ((Form_pg_proc) GETSTRUCT(rows[i].tup))->prokind == PROKIND_AGGREGATE)
			anyagg = true;
	aggregates = read_aggregates(nsp, anyagg);

	for (i = 0; i < nrows; i++)
	{
		Form_pg_proc proc = (Form_pg_proc) GETSTRUCT(rows[i].tup);
		SsObject   *f;
		char	   *raw = NULL;
		char	   *def = NULL;
		char	   *shape = NULL;

		if (rows[i].skip)
			continue;
		f = ss_object_add(m, SS_FUNCTION, m->schema, NULL, rows[i].name);
		f->props[FP_ROUTINE] = proc->prokind == PROKIND_PROCEDURE ? "procedure" :
			proc->prokind == PROKIND_AGGREGATE ? "aggregate" : "function";
		f->oid = proc->oid;

		/* the texts are made in one, then copied into the model */
		MemoryContextReset(one);
		MemoryContextSwitchTo(one);
		if (proc->prokind == PROKIND_AGGREGATE)
		{
			AggregateDef *a = aggregates ?
				hash_search(aggregates, &f->oid, HASH_FIND, NULL) : NULL;

			if (a == NULL)
				ss_dropped_concurrently(f);
			def = neutral_definition(a->definition, m->schema);
		}
		else if (!ss_read_raw || (raw = routine_raw(rows[i].tup, desc, nsp)) == NULL)
			def = routine_definition(f, m->schema);
		/* what CREATE OR REPLACE must keep: kind, result, arguments */
		if (proc->prokind != PROKIND_AGGREGATE)
			shape = routine_shape(f, rows[i].tup, desc);
		MemoryContextSwitchTo(modelcxt);
		if (raw != NULL)
		{
			/* a SQL-standard body's tree is long: the key's digest is kept */
			f->raw = ss_raw_key(raw);
			f->lazy = &ss_routine_lazy;
		}
		if (def != NULL)
			f->props[FP_DEFINITION] = pstrdup(def);
		if (shape != NULL)
			f->aux = pstrdup(shape);
		/* how many defaults: CREATE OR REPLACE cannot remove one */
		f->position = proc->pronargdefaults;
		ss_register_addr(ProcedureRelationId, f->oid, 0, f);
	}
	table_close(rel, AccessShareLock);
	if (aggregates)
		hash_destroy(aggregates);
	MemoryContextDelete(rowcxt);
	ss_read_comments(ProcedureRelationId, SS_FUNCTION, FP_COMMENT);
}

/*
 * ss_routine_word
 *		FUNCTION, PROCEDURE or AGGREGATE, for DROP, COMMENT and RENAME.
 */
const char *
ss_routine_word(SsObject *obj)
{
	if (ss_streq(obj->props[FP_ROUTINE], "procedure"))
		return "PROCEDURE";
	if (ss_streq(obj->props[FP_ROUTINE], "aggregate"))
		return "AGGREGATE";
	return "FUNCTION";
}

/*
 * ss_routine_signature
 *		The routine's name and argument types, qualified with the target
 *		schema, as DROP and COMMENT take it; an aggregate of no arguments is
 *		written name(*).
 */
char *
ss_routine_signature(SsDiff *d, SsObject *obj)
{
	size_t		len = strlen(obj->name);

	if (ss_streq(obj->props[FP_ROUTINE], "aggregate") && len >= 2 &&
		strcmp(obj->name + len - 2, "()") == 0)
		return psprintf("%s.%.*s(*)", quote_identifier(d->target),
						(int) (len - 2), obj->name);
	return psprintf("%s.%s", quote_identifier(d->target), obj->name);
}

/*
 * function_create_sql
 *		The desired definition with the target schema on the routine's name.
 */
static char *
function_create_sql(SsDiff *d, SsObject *want)
{
	const char *def = ss_prop(want, FP_DEFINITION);
	int			pre = ss_routine_prefix_len(def);

	if (pre < 0)
		elog(ERROR, "unexpected routine definition: %s", def);
	return psprintf("%.*s%s.%s;", pre, def, quote_identifier(d->target), def + pre);
}

/*
 * function_comment
 *		COMMENT ON FUNCTION/PROCEDURE/AGGREGATE when it differs.
 */
static void
function_comment(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	/* a comment on a routine takes no table lock */
	ss_emit_comment(d, cur, want, ss_routine_word(want), ss_routine_signature(d, want),
					FP_COMMENT, SS_LOCK_NONE, after);
}

/*
 * function_emit_create
 *		CREATE [OR REPLACE] of a routine, then its comment.
 */
static void
function_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action,
								  function_create_sql(d, want));

	c->reason = pstrdup(reason);
	function_comment(d, NULL, want, c);
}

/*
 * function_emit_drop
 *		DROP FUNCTION/PROCEDURE/AGGREGATE.  No data goes with it; what
 *		depends on it is re-created by the differ.
 */
static void
function_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, cur, NULL, action,
								  psprintf("DROP %s %s;", ss_routine_word(cur),
										   ss_routine_signature(d, cur)));

	c->reason = pstrdup(reason);
}

/*
 * function_replace
 *		Drop and create a routine again.
 */
static void
function_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	function_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	function_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * replace_refusal
 *		Why CREATE OR REPLACE cannot turn cur into want, or NULL when it can.
 */
static const char *
replace_refusal(SsObject *cur, SsObject *want)
{
	if (!ss_streq(cur->props[FP_ROUTINE], want->props[FP_ROUTINE]))
		return "routine kind differs";
	if (ss_streq(want->props[FP_ROUTINE], "aggregate"))
		return "aggregate definition differs";
	if (cur->aux == NULL || want->aux == NULL || !ss_streq(cur->aux, want->aux))
		return "result type or argument names, modes or types differ";
	if (want->position < cur->position)
		return "argument defaults removed";
	return NULL;
}

/*
 * function_diff
 *		Create, drop, replace in place or re-create a routine.
 */
static void
function_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	const char *refusal;

	if (cur == NULL)
	{
		function_emit_create(d, want, SS_ACT_CREATE,
							 psprintf("%s missing in target", want->props[FP_ROUTINE]));
		return;
	}
	if (want == NULL)
	{
		function_emit_drop(d, cur, SS_ACT_DROP,
						   psprintf("%s not in reference", cur->props[FP_ROUTINE]));
		return;
	}
	if (ss_raw_equal(cur, want) ||
		ss_streq(ss_prop(cur, FP_DEFINITION), ss_prop(want, FP_DEFINITION)))
	{
		function_comment(d, cur, want, NULL);
		return;
	}
	refusal = replace_refusal(cur, want);
	if (refusal != NULL)
	{
		function_replace(d, cur, want, refusal);
		return;
	}
	{
		SsChange   *c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
									  function_create_sql(d, want));

		c->reason = psprintf("%s definition differs", want->props[FP_ROUTINE]);
		function_comment(d, cur, want, c);
	}
}

const SsKindOps ss_function_ops = {
	.name = "function",
	.nprops = FP_NUM,
	.propnames = function_propnames,
	.proptypes = "ttt",
	.diff = function_diff,
	.replace = function_replace,
	.breaks_dependents = NULL,
};

/*
 * ss_function_reset_default
 *		A column whose default calls a routine that is dropped and created
 *		again: drop the default before, set it again after (the column and
 *		its data stay).  A SET DEFAULT the column has anyway comes after the
 *		routine's creation by its dependencies, and is told not to be in the
 *		way of the drop.
 */
void
ss_function_reset_default(SsDiff *d, SsObject *col, SsObject *want)
{
	ListCell   *lc;
	bool		has_set = false;
	SsChange   *c;

	foreach(lc, ss_changes_of(d, col->key))
	{
		SsChange   *o = lfirst(lc);

		if (o->ddl == NULL)
			continue;
		if (strstr(o->ddl, " DROP DEFAULT;") != NULL && o->kind == SS_COLUMN)
			return;				/* done already, for another routine */
		if (strstr(o->ddl, " SET DEFAULT ") != NULL && o->kind == SS_COLUMN)
		{
			o->adds_only = true;
			has_set = true;
		}
	}
	c = ss_add_change(d, NULL, col, want, SS_ACT_ALTER,
					  psprintf("ALTER TABLE %s ALTER COLUMN %s DROP DEFAULT;",
							   ss_target_table(d, col), quote_identifier(col->name)));
	c->nodeps = true;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = pstrdup("default calls a routine that is re-created");
	if (has_set || want->props[CP_DEFAULT] == NULL)
		return;
	c = ss_add_change(d, NULL, col, want, SS_ACT_ALTER,
					  psprintf("ALTER TABLE %s ALTER COLUMN %s SET DEFAULT %s;",
							   ss_target_table(d, want), quote_identifier(want->name),
							   ss_prop(want, CP_DEFAULT)));
	c->adds_only = true;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = pstrdup("default calls a routine that is re-created");
}
