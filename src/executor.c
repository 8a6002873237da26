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
#include "miscadmin.h"
#include "commands/dbcommands.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "storage/proc.h"
#include "utils/memutils.h"
#include "utils/timeout.h"
#include "utils/jsonb.h"

#include "schemasync.h"

/*
 * ss_compute_schema_diff
 *		The planned diff that makes schema target equal to schema reference.
 *		Must be called while connected to SPI.  When verifying an apply,
 *		rename hints are already done and are ignored.
 */
SsDiff *
ss_compute_schema_diff(const char *target, const char *reference, Jsonb *options,
					   bool verifying)
{
	SsOptions  *opts;
	SsModel    *cur;
	SsModel    *want;
	SsDiff	   *d;
	MemoryContext wantcxt;
	MemoryContext back;
	SsParallelRead *volatile pr = NULL;
	Oid			tnsp;
	Oid			rnsp;

	if (target == NULL || reference == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("target and reference schema names must not be NULL")));
	tnsp = ss_check_schema(target, "target schema");
	rnsp = ss_check_schema(reference, "reference schema");
	if (strcmp(target, reference) == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("target and reference are the same schema \"%s\"", target),
				 errhint("Name the schema to change as target and the schema it should match as reference.")));
	opts = ss_parse_options(options);

	/* both sides' pg_class rows, in one scan of pg_class */
	ss_read_classes_ahead(tnsp, rnsp);

	/* the verification after apply finds the renames done */
	if (verifying)
		opts->renames = NIL;

	/*
	 * The reference has a context of its own, for an apply to free once its
	 * statements ran (ss_diff_release_want).
	 */
	wantcxt = AllocSetContextCreate(CurrentMemoryContext, "schemasync reference model",
									ALLOCSET_DEFAULT_SIZES);

	/* both sides stay in the catalog, unchanged, while they are diffed */
	ss_read_raw = (opts->renames == NIL);
	PG_TRY();
	{
		/*
		 * Two large schemas: a parallel worker reads the reference while
		 * this backend checks both for unmodeled objects and reads the
		 * target (parallel.c); an error in either check stops the worker
		 * with the rest of the transaction.  The reference is then read
		 * with raw keys even when the target turns out to hold nothing
		 * modeled (its relations all ignored as unmodeled): its texts are
		 * deparsed on demand, to the same rows.
		 */
		pr = ss_read_raw ? ss_parallel_read_begin(reference, rnsp, tnsp) : NULL;
		if (!opts->ignore_unmodeled)
		{
			int			nest = NewGUCNestLevel();

			ss_set_reader_gucs();
			ss_check_unmodeled(target, "target schema");
			ss_check_unmodeled(reference, "reference schema");
			AtEOXact_GUC(true, nest);
		}
		/* the reference's pg_class rows are the worker's to read */
		if (pr != NULL && ss_parallel_read_working(pr))
			ss_classes_ahead_forget(rnsp);
		cur = ss_read_schema(target);

		/*
		 * Raw keys tell equal objects apart without deparsing them; against
		 * an empty target nothing is equal, every object of the reference is
		 * created and so deparsed, and deparsing them all as they are read
		 * costs less than one at a time afterwards (docs/benchmarks.md,
		 * "Thirteenth round").  The relation cache entries that builds are
		 * let go as it goes (ss_deparse_let_go).
		 */
		if (cur->objects == NIL)
		{
			ss_read_raw = false;
			ss_deparse_let_go = true;
		}
		back = MemoryContextSwitchTo(wantcxt);
		want = pr != NULL ? ss_parallel_read_end(pr) : ss_read_schema(reference);
		MemoryContextSwitchTo(back);
	}
	PG_FINALLY();
	{
		ss_read_raw = false;
		ss_deparse_let_go = false;
	}
	PG_END_TRY();
	if (opts->renames)
		return ss_diff_with_renames(target, cur, want, opts);
	d = ss_diff_models(cur, want, target, opts);
	d->wantcxt = wantcxt;
	ss_plan(d);

	/*
	 * A diff without changes never needed the dependencies.  One with
	 * changes has them read now, before any of its DDL can run, should
	 * anything after ask for them.
	 */
	if (d->changes != NIL)
	{
		ss_model_load_deps(cur);
		ss_model_load_deps(want);
	}
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
 * refuse_commit_first
 *		Refuse, before anything runs, a statement that must be committed
 *		before the others (hazard commit_first: an enum label a new
 *		partition is bound by) when others are to run with it: they would
 *		fail in the same transaction, after the work before them.
 */
static void
refuse_commit_first(List *diffs)
{
	ListCell   *lc;
	SsChange   *first = NULL;
	int			n = 0;

	foreach(lc, diffs)
	{
		ListCell   *cc;

		foreach(cc, ((SsDiff *) lfirst(lc))->changes)
		{
			SsChange   *c = lfirst(cc);

			if ((c->hazards & SS_HZ_COMMIT_FIRST) == 0)
				n++;
			else if (first == NULL)
				first = c;
		}
	}
	if (first != NULL && n > 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("schemasync.apply cannot run statement %d with the others in one transaction",
						first->ordinal),
				 errdetail("%d: %s (%s)", first->ordinal, first->ddl, first->reason),
				 errhint("Apply it alone first with '{\"only\": [\"%d\"]}' and commit, then apply the rest.",
						 first->ordinal)));
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
		/* statement_timeout is armed per top-level query: arm it per statement */
		if (d->opts->statement_timeout && StatementTimeout > 0)
			enable_timeout_after(STATEMENT_TIMEOUT, StatementTimeout);
		rc = SPI_execute(c->ddl, false, 0);
		if (d->opts->statement_timeout && StatementTimeout > 0)
			disable_timeout(STATEMENT_TIMEOUT, false);
		error_context_stack = errcb.previous;
		if (rc < 0)
			elog(ERROR, "SPI_execute failed for \"%s\": %s", c->ddl,
				 SPI_result_code_string(rc));
	}
	ss_pop_search_path(nest);
}

/*
 * check_database
 *		The "database" option: the current database's name must match it.
 */
static void
check_database(SsOptions *opts)
{
	Oid			argtypes[1] = {TEXTOID};
	Datum		args[1];
	bool		isnull;

	if (opts->database == NULL)
		return;
	args[0] = CStringGetTextDatum(opts->database);
	if (SPI_execute_with_args("SELECT pg_catalog.current_database() OPERATOR(pg_catalog.~) $1",
							  1, argtypes, args, NULL, true, 1) != SPI_OK_SELECT)
		elog(ERROR, "could not check the database name");
	if (!DatumGetBool(SPI_getbinval(SPI_tuptable->vals[0], SPI_tuptable->tupdesc, 1, &isnull)))
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("schemasync.apply refuses to run in database \"%s\"", get_database_name(MyDatabaseId)),
				 errdetail("The \"database\" option asks for a database whose name matches \"%s\".",
						   opts->database)));
}

/*
 * lock_tables
 *		Take, before looking at anything, the strongest lock each existing
 *		table will need, in a fixed order.
 */
static void
lock_tables(List *diffs)
{
	ListCell   *lc;

	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		List	   *names = NIL;
		List	   *modes = NIL;
		ListCell   *cc;
		ListCell   *mc;

		foreach(cc, d->changes)
		{
			SsChange   *c = lfirst(cc);
			SsObject   *obj = c->cur ? c->cur : c->want;
			const char *table;
			ListCell   *nc;
			bool		found = false;

			if (c->lock == SS_LOCK_NONE || obj == NULL)
				continue;
			table = (obj->kind == SS_TABLE) ? obj->name : obj->parent;
			if (table == NULL ||
				ss_object_lookup(d->cur, ss_make_key(SS_TABLE, NULL, table)) == NULL)
				continue;
			forboth(nc, names, mc, modes)
			{
				if (strcmp(lfirst(nc), table) == 0)
				{
					if (lfirst_int(mc) < (int) c->lock)
						lfirst_int(mc) = c->lock;
					found = true;
				}
			}
			if (!found)
			{
				names = lappend(names, (char *) table);
				modes = lappend_int(modes, c->lock);
			}
		}
		forboth(cc, names, mc, modes)
		{
			static const char *const lockmodes[] = {
				NULL, "ACCESS SHARE", "ROW EXCLUSIVE", "SHARE UPDATE EXCLUSIVE",
				"SHARE", "SHARE ROW EXCLUSIVE", "EXCLUSIVE", "ACCESS EXCLUSIVE"
			};

			if (SPI_execute(psprintf("LOCK TABLE %s IN %s MODE",
									 ss_qualified(d->target, lfirst(cc)),
									 lockmodes[lfirst_int(mc)]), false, 0) < 0)
				elog(ERROR, "could not lock table \"%s\"", (char *) lfirst(cc));
		}
	}
}

/*
 * check_fingerprint
 *		The drift gate: the targets' model must still be the one reviewed.
 *		Returns the snapshot it took, which is the targets' model as the
 *		statements find it (the tables are locked already): the history row
 *		records it as "before" instead of taking the same snapshot again.
 */
static Jsonb *
check_fingerprint(List *schemas, SsOptions *opts)
{
	Jsonb	   *snap = ss_snapshot(schemas, opts);
	char	   *now;

	now = TextDatumGetCString(DirectFunctionCall1(schemasync_model_fingerprint,
												  JsonbPGetDatum(snap)));
	if (strcmp(now, opts->expected_fingerprint) != 0)
		ereport(ERROR,
				(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
				 errmsg("schemasync.apply refuses: the database changed since the diff was reviewed"),
				 errdetail("Expected fingerprint %s, found %s.", opts->expected_fingerprint, now),
				 errhint("Review schemasync.diff() again and pass the new schemasync.fingerprint().")));
	return snap;
}

/*
 * record_history
 *		One row of schemasync.history for a successful apply; fingerprint is
 *		before's when known already (the drift gate computed it), else NULL.
 */
static void
record_history(List *diffs, List *schemas, const char *desired,
			   Jsonb *before, const char *fingerprint, Jsonb *after)
{
	Oid			argtypes[6] = {TEXTARRAYOID, TEXTOID, JSONBOID, JSONBOID, TEXTARRAYOID, TEXTOID};
	Datum		args[6];
	char		nulls[6] = {' ', ' ', ' ', ' ', ' ', ' '};
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
	if (fingerprint != NULL)
		args[5] = CStringGetTextDatum(fingerprint);
	else
		nulls[5] = 'n';

	if (SPI_execute_with_args("INSERT INTO schemasync.history"
							  " (schemas, desired, before, after, statements,"
							  "  fingerprint_before, fingerprint_after)"
							  " VALUES ($1, $2, $3, $4, $5,"
							  "  coalesce($6, schemasync.model_fingerprint($3)),"
							  "  schemasync.model_fingerprint($4))",
							  6, argtypes, args, nulls, false, 0) != SPI_OK_INSERT)
		elog(ERROR, "could not record schemasync history");
}

/*
 * reads_snapshot
 *		The snapshot of the targets of some diffs, from the targets as the
 *		diffs read them when they can give it (ss_snapshot_of_reads), else
 *		read again.  The catalog must be as the diffs read it.  earlier:
 *		diffs of the same targets whose snapshot was taken so before, in the
 *		same call, or NIL (ss_snapshot_of_reads).
 */
static Jsonb *
reads_snapshot(List *diffs, List *earlier, List *schemas, SsOptions *opts)
{
	Jsonb	   *snap = ss_snapshot_of_reads(diffs, earlier);

#ifdef SS_CHECK_READS_SNAPSHOT
	{
		Jsonb	   *fresh = ss_snapshot(schemas, opts);
		char	   *a = snap ? JsonbToCString(NULL, &snap->root, VARSIZE(snap)) : NULL;
		char	   *b = JsonbToCString(NULL, &fresh->root, VARSIZE(fresh));

		if (a != NULL && strcmp(a, b) != 0)
			elog(ERROR, "schemasync: snapshot of reads differs:\n%s\n---\n%s", a, b);
		/* to the server's log only: the regression outputs stay the same */
		ereport(LOG_SERVER_ONLY,
				(errmsg_internal("schemasync: snapshot of reads %s",
								 a ? "same" : "not available")));
	}
#endif
	return snap != NULL ? snap : ss_snapshot(schemas, opts);
}

/*
 * locks_taken
 *		"3 AccessExclusiveLock, 1 ShareLock": how many statements took each
 *		table lock, strongest first.
 */
static char *
locks_taken(List *diffs)
{
	int			counts[SS_LOCK_ACCESS_EXCLUSIVE + 1] = {0};
	StringInfoData buf;
	ListCell   *lc;
	int			l;

	foreach(lc, diffs)
	{
		ListCell   *cc;

		foreach(cc, ((SsDiff *) lfirst(lc))->changes)
			counts[((SsChange *) lfirst(cc))->lock]++;
	}
	initStringInfo(&buf);
	for (l = SS_LOCK_ACCESS_EXCLUSIVE; l > SS_LOCK_NONE; l--)
		if (counts[l] > 0)
			appendStringInfo(&buf, "%s%d %s", buf.len ? ", " : "", counts[l], ss_lock_names[l]);
	if (buf.len == 0)
		appendStringInfoString(&buf, "none on existing tables");
	return buf.data;
}

/*
 * ss_apply_diffs
 *		Run planned diffs, then verify with a second computation (done by
 *		recompute): anything left is an error, and the caller's transaction
 *		rolls back.  what names the desired state in messages.
 */
void
ss_apply_diffs(List *diffs, List *left_out, SsOptions *opts,
			   const char *what, const char *desired,
			   List *(*recompute) (void *arg), void *arg)
{
	int			nest;
	List	   *schemas = NIL;
	Jsonb	   *gate = NULL;
	Jsonb	   *before = NULL;
	ListCell   *lc;
	int			n = 0;
	int			ndestructive = 0;
	List	   *left = NIL;
	List	   *rediffs;
	instr_time	start;
	instr_time	elapsed;
	StringInfoData targets;

	refuse_destructive(diffs, opts);
	refuse_commit_first(diffs);

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
	check_database(opts);

	/* timeouts hold for this apply only */
	nest = NewGUCNestLevel();
	if (opts->lock_timeout)
		(void) set_config_option("lock_timeout", opts->lock_timeout, PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	if (opts->statement_timeout)
		(void) set_config_option("statement_timeout", opts->statement_timeout, PGC_USERSET,
								 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);

	/*
	 * Routine bodies are not checked while the statements run, as pg_dump
	 * does: a SQL function may name a table created later in the same
	 * migration (pg_depend does not record a body's references, so nothing
	 * orders them).  The verification below still compares every routine.
	 */
	(void) set_config_option("check_function_bodies", "off", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);

	/* the drift gate: lock first, then look, so nothing can change between */
	if (opts->expected_fingerprint)
	{
		lock_tables(diffs);
		gate = check_fingerprint(schemas, opts);
	}
	if (!opts->no_history && n > 0)
		before = gate != NULL ? gate : reads_snapshot(diffs, NIL, schemas, opts);

	INSTR_TIME_SET_CURRENT(start);
	foreach(lc, diffs)
		run_diff(lfirst(lc), n);
	INSTR_TIME_SET_CURRENT(elapsed);
	INSTR_TIME_SUBTRACT(elapsed, start);
	AtEOXact_GUC(true, nest);

	/* the desired sides are done with: their memory serves the verification */
	foreach(lc, diffs)
		ss_diff_release_want(lfirst(lc));

	/* what is left must be exactly what was left out on purpose */
	rediffs = recompute(arg);
	foreach(lc, rediffs)
	{
		ListCell   *cc;

		foreach(cc, ((SsDiff *) lfirst(lc))->changes)
		{
			SsChange   *c = lfirst(cc);
			ListCell   *sc;
			bool		expected = false;

			foreach(sc, left_out)
				if (strcmp(((SsChange *) lfirst(sc))->ddl, c->ddl) == 0)
					expected = true;
			if (!expected)
				left = lappend(left, c);
		}
	}
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

	/* and the verification's, before the snapshot after is written */
	foreach(lc, rediffs)
		ss_diff_release_want(lfirst(lc));

	if (before)
		record_history(diffs, schemas, desired, before,
					   gate != NULL ? opts->expected_fingerprint : NULL,
					   reads_snapshot(rediffs, diffs, schemas, opts));

	if (left_out != NIL)
		ereport(NOTICE,
				(errmsg("schemasync: applied %d statement%s to schema %s (%d destructive), %d left out as asked; verified: nothing else differs",
						n, n == 1 ? "" : "s", targets.data, ndestructive, list_length(left_out))));
	else if (opts->verbose)
		ereport(NOTICE,
				(errmsg("schemasync: applied %d statement%s to schema %s (%d destructive) in %.3f ms; verified: no differences left",
						n, n == 1 ? "" : "s", targets.data, ndestructive,
						INSTR_TIME_GET_MILLISEC(elapsed)),
				 errdetail("Locks taken: %s.", locks_taken(diffs))));
	else
		ereport(NOTICE,
				(errmsg("schemasync: applied %d statement%s to schema %s (%d destructive); verified: no differences left",
						n, n == 1 ? "" : "s", targets.data, ndestructive)));
}
