/*-------------------------------------------------------------------------
 *
 * schemasync.c
 *	  SQL-callable entry points of the schemasync extension.
 *
 * Each entry point sets up a memory context for the work, connects to SPI,
 * runs the pipeline (catalog reader, differ, planner, and for apply the
 * executor) and returns rows or nothing; the model (JSONB) variants go
 * through the normalizer (normalize.c) into the same pipeline.
 *
 * src/schemasync.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#ifdef __GLIBC__
#include <malloc.h>
#endif

#include "access/htup_details.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/datum.h"
#include "utils/guc.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "schemasync.h"

PG_MODULE_MAGIC;

void		_PG_init(void);

PG_FUNCTION_INFO_V1(schemasync_diff_schema);
PG_FUNCTION_INFO_V1(schemasync_apply_schema);
PG_FUNCTION_INFO_V1(schemasync_snapshot);
PG_FUNCTION_INFO_V1(schemasync_diff_model);
PG_FUNCTION_INFO_V1(schemasync_apply_model);

#define CHANGE_NATTS 11

/*
 * _PG_init
 *		Module load: define the extension's settings.
 */
void
_PG_init(void)
{
	ss_hugemem_define_setting();
	ss_parallel_define_setting();
#if PG_VERSION_NUM >= 150000
	MarkGUCPrefixReserved("schemasync");
#else
	EmitWarningsOnPlaceholders("schemasync");
#endif
}

/*
 * text_arg
 *		A text argument as a C string, NULL for SQL NULL.
 */
static char *
text_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : text_to_cstring(PG_GETARG_TEXT_PP(n));
}

/*
 * jsonb_arg
 *		A jsonb argument, NULL for SQL NULL.
 */
static Jsonb *
jsonb_arg(FunctionCallInfo fcinfo, int n)
{
	return PG_ARGISNULL(n) ? NULL : PG_GETARG_JSONB_P(n);
}

/*
 * change_tuple
 *		One schemasync.change row.
 */
static HeapTuple
change_tuple(TupleDesc tupdesc, SsChange *c)
{
	Datum		values[CHANGE_NATTS];
	bool		nulls[CHANGE_NATTS];
	Datum		hz[SS_NUM_HAZARDS];
	int			nhz = 0;
	Datum	   *deps;
	int			ndeps = 0;
	int			i;
	ListCell   *lc;

	memset(nulls, 0, sizeof(nulls));
	for (i = 0; i < SS_NUM_HAZARDS; i++)
		if (c->hazards & (1 << i))
			hz[nhz++] = CStringGetTextDatum(ss_hazard_names[i]);
	deps = palloc(sizeof(Datum) * (list_length(c->preds) + 1));
	foreach(lc, c->preds)
		deps[ndeps++] = Int32GetDatum(((SsChange *) lfirst(lc))->ordinal);

	values[0] = Int32GetDatum(c->ordinal);
	values[1] = CStringGetTextDatum(c->kindname);
	values[2] = CStringGetTextDatum(c->identity);
	values[3] = CStringGetTextDatum(ss_action_names[c->action]);
	values[4] = CStringGetTextDatum(c->ddl);
	values[5] = BoolGetDatum(c->destructive);
	values[6] = PointerGetDatum(construct_array(hz, nhz, TEXTOID, -1, false, TYPALIGN_INT));
	if (c->lock == SS_LOCK_NONE)
		nulls[7] = true;
	else
		values[7] = CStringGetTextDatum(ss_lock_names[c->lock]);
	values[8] = BoolGetDatum(c->transactional);
	values[9] = PointerGetDatum(construct_array(deps, ndeps, INT4OID, 4, true, TYPALIGN_INT));
	if (c->reason)
		values[10] = CStringGetTextDatum(c->reason);
	else
		nulls[10] = true;
	return heap_form_tuple(tupdesc, values, nulls);
}

/*
 * put_changes
 *		Append the rows of some changes to a result.  Each row is built in a
 *		context emptied after the tuplestore has copied it: a create-all diff
 *		of 10,000 tables has about 90,000 rows.
 */
static void
put_changes(Tuplestorestate *store, TupleDesc tupdesc, List *changes)
{
	MemoryContext rowcxt = AllocSetContextCreate(CurrentMemoryContext,
												 "schemasync row",
												 ALLOCSET_DEFAULT_SIZES);
	MemoryContext oldcxt = MemoryContextSwitchTo(rowcxt);
	ListCell   *lc;

	foreach(lc, changes)
	{
		tuplestore_puttuple(store, change_tuple(tupdesc, lfirst(lc)));
		MemoryContextReset(rowcxt);
	}
	MemoryContextSwitchTo(oldcxt);
	MemoryContextDelete(rowcxt);
}

/*
 * begin_work / end_work
 *		A memory context for one call, and an SPI connection.
 */
static MemoryContext
begin_work(const char *name)
{
	MemoryContext work = AllocSetContextCreate(CurrentMemoryContext, "schemasync",
											   ALLOCSET_DEFAULT_SIZES);

	MemoryContextSetIdentifier(work, name);
	ss_hugemem_begin(work);

	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(work);
	return work;
}

static void
end_work(MemoryContext callercxt, MemoryContext work)
{
	SPI_finish();
	MemoryContextSwitchTo(callercxt);
	MemoryContextDelete(work);

	/*
	 * The models of a big schema take hundreds of megabytes, freed above;
	 * glibc keeps freed memory for the process unless asked: give it back
	 * to the system, so that a session that ran one diff does not keep it.
	 */
#ifdef __GLIBC__
	(void) malloc_trim(0);
#endif
}

/*
 * schemasync_diff_schema
 *		diff(target text, reference text, options jsonb) RETURNS SETOF change
 */
Datum
schemasync_diff_schema(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	char	   *target = text_arg(fcinfo, 0);
	char	   *reference = text_arg(fcinfo, 1);
	Jsonb	   *options = jsonb_arg(fcinfo, 2);
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext work;
	MemoryContext oldcxt;
	SsDiff	   *d;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("schemasync.diff must be called in a context that accepts a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");

	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(oldcxt);

	work = begin_work("schemasync diff");
	d = ss_compute_schema_diff(target, reference, options, false);
	(void) ss_select_changes(list_make1(d), d->opts);
	put_changes(store, tupdesc, d->changes);
	end_work(callercxt, work);

	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}

/*
 * Arguments of a recomputation, for the verification after apply.
 */
typedef struct SsRecompute
{
	const char *target;
	const char *reference;
	Jsonb	   *options;
	Jsonb	   *model;
	SsOptions  *opts;
} SsRecompute;

/*
 * recompute_schema
 *		The schema-vs-schema diff again.
 */
static List *
recompute_schema(void *arg)
{
	SsRecompute *r = arg;

	return list_make1(ss_compute_schema_diff(r->target, r->reference, r->options, true));
}

/*
 * recompute_model
 *		The model diffs again.
 */
static List *
recompute_model(void *arg)
{
	SsRecompute *r = arg;

	return ss_compute_model_diffs(r->model, r->opts);
}

/*
 * schemasync_apply_schema
 *		CALL apply(target text, reference text, options jsonb)
 */
Datum
schemasync_apply_schema(PG_FUNCTION_ARGS)
{
	SsRecompute r;
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext work;
	SsDiff	   *d;

	r.target = text_arg(fcinfo, 0);
	r.reference = text_arg(fcinfo, 1);
	r.options = jsonb_arg(fcinfo, 2);
	work = begin_work("schemasync apply");
	d = ss_compute_schema_diff(r.target, r.reference, r.options, false);
	ss_apply_diffs(list_make1(d), ss_select_changes(list_make1(d), d->opts), d->opts,
				   psprintf("\"%s\"", r.reference),
				   psprintf("schema %s", r.reference), recompute_schema, &r);
	end_work(callercxt, work);
	PG_RETURN_VOID();
}

/*
 * user_schemas
 *		Every schema of the database that snapshot(NULL) covers: not a
 *		system schema, not schemasync's, not an extension's.
 */
static List *
user_schemas(void)
{
	List	   *names = NIL;
	uint64		i;

	if (SPI_execute("SELECT n.nspname::pg_catalog.text FROM pg_catalog.pg_namespace n"
					" WHERE n.nspname !~ '^pg_' AND n.nspname <> 'information_schema'"
					" AND n.nspname <> 'schemasync'"
					" AND " SS_NOT_EXTENSION_MEMBER_OF("pg_catalog.pg_namespace", "n.oid")
					" ORDER BY n.nspname::pg_catalog.text COLLATE \"C\"", true, 0) != SPI_OK_SELECT)
		elog(ERROR, "could not list schemas");
	for (i = 0; i < SPI_processed; i++)
		names = lappend(names, SPI_getvalue(SPI_tuptable->vals[i], SPI_tuptable->tupdesc, 1));
	return names;
}

/*
 * ss_snapshot
 *		The model document of some schemas, expression texts in normal form,
 *		in the current memory context.  Must be called while connected to
 *		SPI.  The models read, with their normal forms, are made in a
 *		context of their own, deleted once the document is copied out: an
 *		apply that records its history takes two snapshots, and the models
 *		they left behind until the end of the call were memory the reads
 *		after them could not reuse.
 */
Jsonb *
ss_snapshot(List *schemas, SsOptions *opts)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext work;
	List	   *models = NIL;
	ListCell   *lc;
	bool		saved = ss_read_exts;
	Jsonb	   *doc;
	Jsonb	   *result;

	work = AllocSetContextCreate(cxt, "schemasync snapshot", ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(work);

	/* a model holds the extensions of its schemas */
	ss_read_exts = true;
	foreach(lc, schemas)
	{
		SsModel    *m;

		if (!opts->ignore_unmodeled)
			ss_check_unmodeled(lfirst(lc), "schema");
		m = ss_read_schema(lfirst(lc));
		ss_model_normal_texts(m, NULL, NULL);
		models = lappend(models, m);
	}
	ss_read_exts = saved;
	doc = ss_models_to_jsonb(models);
	MemoryContextSwitchTo(cxt);
	result = DatumGetJsonbP(datumCopy(JsonbPGetDatum(doc), false, -1));
	MemoryContextDelete(work);
	return result;
}

/*
 * ss_snapshot_of_reads
 *		What ss_snapshot gives of the target schemas of some diffs, made from
 *		the targets as the diffs read them instead of reading them again, or
 *		NULL when a target cannot give it: not read from the catalog, read
 *		without its extensions (the schema-vs-schema path reads none) while
 *		the schema holds some, or renamed by the diff (rename hints rename
 *		the objects read).  What a read with raw keys left for later is
 *		deparsed here (ss_resolve_all).  The catalog must not have changed
 *		since the targets were read, and the diffs must be done with them:
 *		their expressions are put in normal form here.
 *
 *		earlier, when not NIL, holds diffs whose targets went through here
 *		before in the same call (an apply's snapshot before its statements,
 *		for the one after): a target's objects whose raw keys did not change
 *		since take their texts, in normal form, from there instead of being
 *		deparsed and put in normal form again (ss_resolve_all).
 */
Jsonb *
ss_snapshot_of_reads(List *diffs, List *earlier)
{
	List	   *models = NIL;
	ListCell   *lc;

	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		SsModel    *m = d->cur;

		if (m == NULL || !m->nsp_read ||
			strcmp(m->schema, d->target) != 0 || d->opts->renames != NIL ||
			(!m->exts_read &&
			 ss_schema_has_extensions(get_namespace_oid(m->schema, false))))
			return NULL;
		models = lappend(models, m);
	}
	foreach(lc, models)
	{
		SsModel    *m = lfirst(lc);
		SsModel    *before = NULL;
		ListCell   *ec;

		foreach(ec, earlier)
		{
			SsModel    *e = ((SsDiff *) lfirst(ec))->cur;

			if (e != NULL && e != m && e->resolved != NULL &&
				strcmp(e->schema, m->schema) == 0)
				before = e;
		}
		ss_resolve_all(m, before);
		ss_model_normal_texts(m, before, NULL);
	}
	return ss_models_to_jsonb(models);
}

/*
 * schemasync_snapshot
 *		snapshot(schemas text[], options jsonb) RETURNS jsonb
 */
Datum
schemasync_snapshot(PG_FUNCTION_ARGS)
{
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext work;
	SsOptions  *opts;
	List	   *names = NIL;
	ListCell   *lc;
	Jsonb	   *result;

	work = begin_work("schemasync snapshot");
	opts = ss_parse_options(jsonb_arg(fcinfo, 1));
	if (PG_ARGISNULL(0))
		names = user_schemas();
	else
	{
		ArrayType  *arr = PG_GETARG_ARRAYTYPE_P(0);
		Datum	   *elems;
		bool	   *nulls;
		int			n;
		int			i;

		deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
		for (i = 0; i < n; i++)
		{
			char	   *name;

			if (nulls[i])
				ereport(ERROR,
						(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
						 errmsg("schema names must not be NULL")));
			name = TextDatumGetCString(elems[i]);
			foreach(lc, names)
				if (strcmp(lfirst(lc), name) == 0)
					ereport(ERROR,
							(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
							 errmsg("schema \"%s\" is listed twice", name)));
			names = lappend(names, name);
		}
	}
	result = ss_snapshot(names, opts);

	/* the result outlives the work context */
	MemoryContextSwitchTo(callercxt);
	result = (Jsonb *) DatumGetPointer(datumCopy(PointerGetDatum(result), false, -1));
	MemoryContextSwitchTo(work);
	end_work(callercxt, work);
	PG_RETURN_JSONB_P(result);
}

/*
 * schemasync_diff_model
 *		diff(model jsonb, options jsonb) RETURNS SETOF change
 */
Datum
schemasync_diff_model(PG_FUNCTION_ARGS)
{
	ReturnSetInfo *rsinfo = (ReturnSetInfo *) fcinfo->resultinfo;
	Jsonb	   *model = jsonb_arg(fcinfo, 0);
	Jsonb	   *options = jsonb_arg(fcinfo, 1);
	TupleDesc	tupdesc;
	Tuplestorestate *store;
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext work;
	MemoryContext oldcxt;
	ListCell   *lc;
	SsOptions  *opts;
	List	   *diffs;

	if (rsinfo == NULL || !IsA(rsinfo, ReturnSetInfo) ||
		!(rsinfo->allowedModes & SFRM_Materialize))
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("schemasync.diff must be called in a context that accepts a set")));
	if (get_call_result_type(fcinfo, NULL, &tupdesc) != TYPEFUNC_COMPOSITE)
		elog(ERROR, "return type must be a row type");
	oldcxt = MemoryContextSwitchTo(rsinfo->econtext->ecxt_per_query_memory);
	tupdesc = CreateTupleDescCopy(tupdesc);
	store = tuplestore_begin_heap(true, false, work_mem);
	MemoryContextSwitchTo(oldcxt);

	work = begin_work("schemasync diff");
	opts = ss_parse_options(options);
	diffs = ss_compute_model_diffs(model, opts);
	(void) ss_select_changes(diffs, opts);
	foreach(lc, diffs)
		put_changes(store, tupdesc, ((SsDiff *) lfirst(lc))->changes);
	end_work(callercxt, work);

	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}

/*
 * schemasync_apply_model
 *		CALL apply(model jsonb, options jsonb)
 */
Datum
schemasync_apply_model(PG_FUNCTION_ARGS)
{
	SsRecompute r;
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext work;
	List	   *diffs;

	memset(&r, 0, sizeof(r));
	r.model = jsonb_arg(fcinfo, 0);
	work = begin_work("schemasync apply");
	r.opts = ss_parse_options(jsonb_arg(fcinfo, 1));
	diffs = ss_compute_model_diffs(r.model, r.opts);
	/* the verification finds the renames done */
	r.opts->renames = NIL;
	ss_apply_diffs(diffs, ss_select_changes(diffs, r.opts), r.opts, "the model", "model",
				   recompute_model, &r);
	end_work(callercxt, work);
	PG_RETURN_VOID();
}
