/*-------------------------------------------------------------------------
 *
 * executor.c
 *	  Compute a schema-vs-schema diff, and apply it with verification.
 *
 * apply runs the planned statements through SPI in the caller's transaction,
 * with search_path set to the target schema (the statements name objects of
 * the target schema as the reference's deparsed texts do: unqualified), then
 * reads both schemas again and diffs them.  Anything left is an error, so
 * the caller's transaction rolls back and nothing changes.  Destructive
 * statements are refused, before anything runs, unless allow_drops is set.
 *
 * src/executor.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "executor/spi.h"
#include "portability/instr_time.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/jsonb.h"

#include "schemasync.h"

/*
 * ss_compute_schema_diff
 *		The planned diff that makes schema target equal to schema reference.
 *		Must be called while connected to SPI.
 */
SsDiff *
ss_compute_schema_diff(const char *target, const char *reference, Jsonb *options)
{
	SsOptions  *opts;
	SsModel    *cur;
	SsModel    *want;
	SsDiff	   *d;

	if (target == NULL || reference == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target and reference schema names must not be NULL")));
	(void) ss_check_schema(target, "target schema");
	(void) ss_check_schema(reference, "reference schema");
	if (strcmp(target, reference) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target and reference are the same schema \"%s\"", target),
				 errhint("Name the schema to change as target and the schema it should match as reference.")));
	opts = ss_parse_options(options);
	if (!opts->ignore_unmodeled)
	{
		ss_check_unmodeled(target, "target schema");
		ss_check_unmodeled(reference, "reference schema");
	}

	cur = ss_read_schema(target);
	want = ss_read_schema(reference);
	d = ss_diff_models(cur, want, target, opts);
	ss_plan(d);
	return d;
}

/*
 * apply_error_callback
 *		Adds the statement being run to an error's context.
 */
static void
apply_error_callback(void *arg)
{
	SsChange   *c = (SsChange *) arg;

	errcontext("schemasync.apply statement %d: %s", c->ordinal, c->ddl);
}

/*
 * list_changes
 *		"1: DDL; 2: DDL" for the detail of an error, at most 20 of them.
 */
static char *
list_changes(List *changes, bool destructive_only)
{
	StringInfoData buf;
	ListCell   *lc;
	int			shown = 0;
	int			total = 0;

	initStringInfo(&buf);
	foreach(lc, changes)
	{
		SsChange   *c = lfirst(lc);

		if (destructive_only && !c->destructive)
			continue;
		total++;
		if (shown < 20)
		{
			appendStringInfo(&buf, "%s%d: %s", shown ? "\n" : "", c->ordinal, c->ddl);
			shown++;
		}
	}
	if (total > shown)
		appendStringInfo(&buf, "\n... and %d more", total - shown);
	return buf.data;
}

/*
 * refuse_destructive
 *		Refuse, before anything runs, destructive statements that were not
 *		allowed.
 */
static void
refuse_destructive(List *diffs, SsOptions *opts)
{
	ListCell   *lc;
	List	   *all = NIL;
	int			ndestructive = 0;

	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		ListCell   *cc;

		foreach(cc, d->changes)
		{
			all = lappend(all, lfirst(cc));
			if (((SsChange *) lfirst(cc))->destructive)
				ndestructive++;
		}
	}
	if (ndestructive > 0 && !opts->allow_drops)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("schemasync.apply refuses %d destructive statement%s",
						ndestructive, ndestructive == 1 ? "" : "s"),
				 errdetail("%s", list_changes(all, true)),
				 errhint("Review them with schemasync.diff(); pass '{\"allow_drops\": true}' to run them.")));
}

/*
 * run_diff
 *		Run the statements of one diff with search_path set to its target.
 */
static void
run_diff(SsDiff *d, int total)
{
	ListCell   *lc;
	int			nest = ss_push_search_path(d->target);

	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);
		ErrorContextCallback errcb;
		int			rc;

		if (d->opts->verbose)
			ereport(NOTICE,
					(errmsg("[%d/%d] %s", c->ordinal, total, c->ddl)));
		errcb.callback = apply_error_callback;
		errcb.arg = c;
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;
		rc = SPI_execute(c->ddl, false, 0);
		error_context_stack = errcb.previous;
		if (rc < 0)
			elog(ERROR, "SPI_execute failed for \"%s\": %s", c->ddl,
				 SPI_result_code_string(rc));
	}
	ss_pop_search_path(nest);
}

/*
 * record_history
 *		One row of schemasync.history for a successful apply.
 */
static void
record_history(List *diffs, List *schemas, const char *desired,
			   Jsonb *before, Jsonb *after)
{
	Oid			argtypes[5] = {TEXTARRAYOID, TEXTOID, JSONBOID, JSONBOID, TEXTARRAYOID};
	Datum		args[5];
	Datum	   *elems;
	Datum	   *stmts;
	int			nstmts = 0;
	int			i = 0;
	ListCell   *lc;

	elems = palloc(sizeof(Datum) * list_length(schemas));
	foreach(lc, schemas)
		elems[i++] = CStringGetTextDatum(lfirst(lc));
	args[0] = PointerGetDatum(construct_array(elems, i, TEXTOID, -1, false, TYPALIGN_INT));
	args[1] = CStringGetTextDatum(desired);
	args[2] = JsonbPGetDatum(before);
	args[3] = JsonbPGetDatum(after);
	foreach(lc, diffs)
		nstmts += list_length(((SsDiff *) lfirst(lc))->changes);
	stmts = palloc(sizeof(Datum) * (nstmts + 1));
	nstmts = 0;
	foreach(lc, diffs)
	{
		ListCell   *cc;

		foreach(cc, ((SsDiff *) lfirst(lc))->changes)
			stmts[nstmts++] = CStringGetTextDatum(((SsChange *) lfirst(cc))->ddl);
	}
	args[4] = PointerGetDatum(construct_array(stmts, nstmts, TEXTOID, -1, false, TYPALIGN_INT));

	if (SPI_execute_with_args("INSERT INTO schemasync.history"
							  " (schemas, desired, before, after, statements,"
							  "  fingerprint_before, fingerprint_after)"
							  " VALUES ($1, $2, $3, $4, $5,"
							  "  pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(($3 OPERATOR(pg_catalog.-) 'server_version_num')::pg_catalog.text, 'UTF8')), 'hex'),"
							  "  pg_catalog.encode(pg_catalog.sha256(pg_catalog.convert_to(($4 OPERATOR(pg_catalog.-) 'server_version_num')::pg_catalog.text, 'UTF8')), 'hex'))",
							  5, argtypes, args, NULL, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record schemasync history");
}

/*
 * ss_apply_diffs
 *		Run planned diffs, then verify with a second computation (done by
 *		recompute): anything left is an error, and the caller's transaction
 *		rolls back.  what names the desired state in messages.
 */
void
ss_apply_diffs(List *diffs, SsOptions *opts, const char *what,
			   const char *desired,
			   List *(*recompute) (void *arg), void *arg)
{
	List	   *schemas = NIL;
	Jsonb	   *before = NULL;
	ListCell   *lc;
	int			n = 0;
	int			ndestructive = 0;
	List	   *left = NIL;
	instr_time	start;
	instr_time	elapsed;
	StringInfoData targets;

	refuse_destructive(diffs, opts);

	initStringInfo(&targets);
	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		ListCell   *cc;

		n += list_length(d->changes);
		foreach(cc, d->changes)
			if (((SsChange *) lfirst(cc))->destructive)
				ndestructive++;
		appendStringInfo(&targets, "%s\"%s\"", targets.len ? ", " : "", d->target);
	}

	foreach(lc, diffs)
		schemas = lappend(schemas, (char *) ((SsDiff *) lfirst(lc))->target);
	if (!opts->no_history && n > 0)
		before = ss_snapshot(schemas, opts);

	INSTR_TIME_SET_CURRENT(start);
	foreach(lc, diffs)
		run_diff(lfirst(lc), n);
	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);

	foreach(lc, recompute(arg))
		left = list_concat(left, ((SsDiff *) lfirst(lc))->changes);
	if (left != NIL)
		ereport(ERROR,
				(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
				 errmsg("schemasync.apply could not make schema %s equal to %s",
						targets.data, what),
				 errdetail("After %d statement%s, %d difference%s remain:\n%s",
						   n, n == 1 ? "" : "s",
						   list_length(left), list_length(left) == 1 ? "" : "s",
						   list_changes(left, false)),
				 errhint("Nothing was changed. Please report this case to the schemasync developers.")));

	if (before)
		record_history(diffs, schemas, desired, before, ss_snapshot(schemas, opts));

	if (opts->verbose)
		ereport(NOTICE,
				(errmsg("schemasync: applied %d statement%s to schema %s (%d destructive) in %.3f ms; verified: no differences left",
						n, n == 1 ? "" : "s", targets.data, ndestructive,
						INSTR_TIME_GET_MILLISEC(elapsed))));
	else
		ereport(NOTICE,
				(errmsg("schemasync: applied %d statement%s to schema %s (%d destructive); verified: no differences left",
						n, n == 1 ? "" : "s", targets.data, ndestructive)));
}
