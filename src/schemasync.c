/*-------------------------------------------------------------------------
 *
 * schemasync.c
 *	  SQL-callable entry points of the schemasync extension.
 *
 * Each entry point sets up a memory context for the work, connects to SPI,
 * runs the pipeline (catalog reader, differ, planner, and for apply the
 * executor) and returns rows or nothing.  The model (JSONB) variants are
 * declared with their final signatures and not implemented yet: they raise
 * feature_not_supported rather than return anything made up.
 *
 * src/schemasync.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_type.h"
#include "executor/spi.h"
#include "fmgr.h"
#include "funcapi.h"
#include "miscadmin.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"
#include "utils/memutils.h"
#include "utils/tuplestore.h"

#include "schemasync.h"

PG_MODULE_MAGIC;

PG_FUNCTION_INFO_V1(schemasync_diff_schema);
PG_FUNCTION_INFO_V1(schemasync_apply_schema);
PG_FUNCTION_INFO_V1(schemasync_snapshot);
PG_FUNCTION_INFO_V1(schemasync_diff_model);
PG_FUNCTION_INFO_V1(schemasync_apply_model);

#define CHANGE_NATTS 11

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
	ListCell   *lc;

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

	work = AllocSetContextCreate(callercxt, "schemasync diff", ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(work);

	d = ss_compute_schema_diff(target, reference, options);
	foreach(lc, d->changes)
		tuplestore_puttuple(store, change_tuple(tupdesc, lfirst(lc)));

	SPI_finish();
	MemoryContextSwitchTo(callercxt);
	MemoryContextDelete(work);

	rsinfo->returnMode = SFRM_Materialize;
	rsinfo->setResult = store;
	rsinfo->setDesc = tupdesc;
	return (Datum) 0;
}

/*
 * schemasync_apply_schema
 *		CALL apply(target text, reference text, options jsonb)
 */
Datum
schemasync_apply_schema(PG_FUNCTION_ARGS)
{
	char	   *target = text_arg(fcinfo, 0);
	char	   *reference = text_arg(fcinfo, 1);
	Jsonb	   *options = jsonb_arg(fcinfo, 2);
	MemoryContext callercxt = CurrentMemoryContext;
	MemoryContext work;
	SsDiff	   *d;

	work = AllocSetContextCreate(callercxt, "schemasync apply", ALLOCSET_DEFAULT_SIZES);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(work);

	d = ss_compute_schema_diff(target, reference, options);
	ss_apply_diff(d, target, reference, options);

	SPI_finish();
	MemoryContextSwitchTo(callercxt);
	MemoryContextDelete(work);
	PG_RETURN_VOID();
}

/*
 * not_yet
 *		The error of an entry point whose issue has not landed yet.
 */
static void
not_yet(const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s is not implemented yet", what),
			 errdetail("This version of schemasync compares two schemas of one database only."),
			 errhint("Use schemasync.diff(target text, reference text) and CALL schemasync.apply(target text, reference text).")));
}

/*
 * schemasync_snapshot
 *		snapshot(schemas text[], options jsonb) RETURNS jsonb
 */
Datum
schemasync_snapshot(PG_FUNCTION_ARGS)
{
	not_yet("schemasync.snapshot()");
	PG_RETURN_NULL();
}

/*
 * schemasync_diff_model
 *		diff(model jsonb, options jsonb) RETURNS SETOF change
 */
Datum
schemasync_diff_model(PG_FUNCTION_ARGS)
{
	not_yet("schemasync.diff(model jsonb)");
	PG_RETURN_NULL();
}

/*
 * schemasync_apply_model
 *		CALL apply(model jsonb, options jsonb)
 */
Datum
schemasync_apply_model(PG_FUNCTION_ARGS)
{
	not_yet("schemasync.apply(model jsonb)");
	PG_RETURN_VOID();
}
