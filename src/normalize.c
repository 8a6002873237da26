/*-------------------------------------------------------------------------
 *
 * normalize.c
 *	  Diff the database against a JSONB model, through the catalog.
 *
 * A model may come from snapshot() or be written by a person or an ORM
 * ("int", "varchar(20)", "now()"): its texts are not in the server's
 * canonical form.  So the model is materialized: inside an internal
 * subtransaction, each of its schemas is created as a scratch schema from
 * the model's own CREATE statements (the same emitter as always, so the
 * planner orders them), read back with the catalog reader, and diffed
 * against the target schema; then the subtransaction is rolled back and
 * nothing of it remains.  The model and catalog paths therefore share one
 * pipeline, and a hand-written model converges: what apply creates is what
 * the scratch schema held.
 *
 * Model texts reach the server only here, one statement at a time, each
 * parsed first and refused unless it is a single statement of the kind the
 * emitter writes (CREATE TABLE, ALTER TABLE, CREATE INDEX, CREATE/ALTER
 * SEQUENCE, CREATE TYPE, CREATE/ALTER DOMAIN, CREATE FUNCTION/PROCEDURE/AGGREGATE,
 * CREATE TRIGGER, CREATE/ALTER POLICY, CREATE COLLATION, COMMENT): a type like
 * "int); DROP TABLE x; --" cannot smuggle a
 * second statement in.
 *
 * Extensions are not materialized (one exists once per database): first
 * every extension of the model is made to exist in its target schema
 * (created or moved, for references from other schemas of the model), and
 * while a model schema is materialized and read the extensions so created
 * or moved are moved into its scratch schema (those installed in the target
 * already stay there, and the scratch schema's search_path holds the target
 * too); once all are read, the extensions are put back as they were and the
 * targets are read and diffed (kind_extension.c).
 * Their version is carried over from the model.
 *
 * src/normalize.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/xact.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/resowner.h"

#include "schemasync.h"

/*
 * ss_empty_model
 *		A model of a schema with nothing in it.
 */
SsModel *
ss_empty_model(const char *schema)
{
	return ss_model_create(schema);
}

/*
 * check_statement
 *		Refuse a statement that is not a single statement of the kinds the
 *		emitter writes.
 */
static void
check_statement(const char *sql, SsChange *c, const char *shown)
{
	MemoryContext cxt = CurrentMemoryContext;
	List	   *volatile raw = NIL;
	Node	   *stmt;

	/* a syntax error is the model's: report it as such, without a cursor */
	PG_TRY();
	{
#if PG_VERSION_NUM >= 140000
		raw = raw_parser(sql, RAW_PARSE_DEFAULT);
#else
		raw = raw_parser(sql);
#endif
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid schemasync model: the texts of %s %s do not parse: %s",
						c->kindname, c->identity, edata->message),
				 errdetail("Statement: %s", shown)));
	}
	PG_END_TRY();
	if (list_length(raw) == 1)
	{
		stmt = linitial_node(RawStmt, raw)->stmt;
		switch (nodeTag(stmt))
		{
			case T_CreateStmt:
			case T_AlterTableStmt:
			case T_IndexStmt:
			case T_CreateSeqStmt:
			case T_AlterSeqStmt:
			case T_CommentStmt:
			case T_CreateEnumStmt:
			case T_CreateDomainStmt:
			case T_AlterDomainStmt:
			case T_CompositeTypeStmt:
			case T_CreateRangeStmt:
			case T_CreateFunctionStmt:
			case T_CreateTrigStmt:
			case T_GrantStmt:
			case T_AlterDefaultPrivilegesStmt:
			case T_AlterOwnerStmt:
			case T_CreatePolicyStmt:
			case T_AlterPolicyStmt:
				return;
			case T_DefineStmt:
				if (((DefineStmt *) stmt)->kind == OBJECT_AGGREGATE ||
					((DefineStmt *) stmt)->kind == OBJECT_COLLATION)
					return;
				break;
			case T_ViewStmt:
				return;
			case T_CreateTableAsStmt:
				/* a materialized view, never populated here (see below) */
				if (((CreateTableAsStmt *) stmt)->objtype == OBJECT_MATVIEW &&
					((CreateTableAsStmt *) stmt)->into->skipData)
					return;
				break;
			default:
				break;
		}
	}
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid schemasync model: the texts of %s %s do not make one %s statement",
					c->kindname, c->identity, c->kindname),
			 errdetail("Statement: %s", shown),
			 errhint("Types, expressions and definitions in a model are SQL fragments of one object each.")));
}

/*
 * unscratch
 *		A text with the scratch schema's qualifier replaced by the model's
 *		schema, for messages.
 */
static char *
unscratch(const char *text, const char *scratch, const char *schema)
{
	StringInfoData buf;
	char	   *from = psprintf("%s.", quote_identifier(scratch));
	char	   *to = psprintf("%s.", quote_identifier(schema));
	const char *p = text;
	const char *hit;

	initStringInfo(&buf);
	while ((hit = strstr(p, from)) != NULL)
	{
		appendBinaryStringInfo(&buf, p, hit - p);
		appendStringInfoString(&buf, to);
		p = hit + strlen(from);
	}
	appendStringInfoString(&buf, p);
	return buf.data;
}

/*
 * materialize_error_callback
 *		Names the model object being materialized in an error's context.
 */
static void
materialize_error_callback(void *arg)
{
	SsChange   *c = (SsChange *) arg;

	errcontext("materializing model %s %s", c->kindname, c->identity);
}

/*
 * materialize
 *		Create the objects of a model in an (empty) scratch schema.
 */
static void
materialize(SsModel *jm, const char *scratch, SsOptions *opts)
{
	SsDiff	   *d = ss_diff_models(ss_empty_model(scratch), jm, scratch, opts);
	ListCell   *lc;
	int			nest;

	ss_plan(d);
	nest = ss_push_search_path(scratch);
	/* as apply does (executor.c): bodies may name objects created later */
	(void) set_config_option("check_function_bodies", "off", PGC_USERSET,
							 PGC_S_SESSION, GUC_ACTION_SAVE, true, 0, false);
	foreach(lc, d->changes)
	{
		SsChange   *c = lfirst(lc);
		ErrorContextCallback errcb;

		/* the extensions are there already (ss_extensions_to_scratch) */
		if (c->kind == SS_EXTENSION)
			continue;
		/* messages speak of the model's schema, not of the scratch one */
		c->identity = unscratch(c->identity, scratch, jm->schema);
		c->reason = unscratch(c->ddl, scratch, jm->schema);

		errcb.callback = materialize_error_callback;
		errcb.arg = c;
		errcb.previous = error_context_stack;
		error_context_stack = &errcb;
		/*
		 * A materialized view is created WITH NO DATA: its query is not run
		 * on the model's behalf; its populated state is the model's (see
		 * diff_in_scratch).
		 */
		if (c->kind == SS_MATVIEW && SS_ACT_IS_CREATE(c->action) &&
			strcmp(c->kindname, "materialized_view") == 0 &&
			c->want->props[VP_NO_DATA] == NULL)
			c->ddl = psprintf("%.*s\nWITH NO DATA;",
							  (int) (strlen(c->ddl) - strlen("\nWITH DATA;")), c->ddl);
		check_statement(c->ddl, c, c->reason);
		if (SPI_execute(c->ddl, false, 0) < 0)
			elog(ERROR, "SPI_execute failed for \"%s\"", c->ddl);
		error_context_stack = errcb.previous;
	}
	ss_pop_search_path(nest);
}

static List *diff_in_scratch(List *models, SsOptions *opts);

/*
 * ss_compute_model_diffs
 *		One planned diff per schema of the model, against the schema it maps
 *		to; ordinals run on across the diffs.  Must be called while connected
 *		to SPI; everything it creates is gone when it returns.
 */
List *
ss_compute_model_diffs(Jsonb *model, SsOptions *opts)
{
	MemoryContext cxt = CurrentMemoryContext;
	ResourceOwner owner = CurrentResourceOwner;
	List	   *models = ss_models_from_jsonb(model);
	List	   *volatile diffs = NIL;
	ListCell   *lc;

	/* extensions are modeled on this path; note those the model holds */
	ss_read_exts = true;
	ss_model_extensions = NIL;
	foreach(lc, models)
	{
		ListCell   *oc;

		foreach(oc, ((SsModel *) lfirst(lc))->objects)
			if (((SsObject *) lfirst(oc))->kind == SS_EXTENSION)
				ss_model_extensions = lappend(ss_model_extensions,
											  ((SsObject *) lfirst(oc))->name);
	}

	/* check the targets before creating anything */
	foreach(lc, models)
	{
		SsModel    *jm = lfirst(lc);
		const char *target = ss_map_schema(opts, jm->schema);

		(void) ss_check_schema(target, "target schema");
		if (!opts->ignore_unmodeled)
			ss_check_unmodeled(target, "target schema");
	}

	BeginInternalSubTransaction(NULL);
	MemoryContextSwitchTo(cxt);

	/*
	 * An error must not escape with the subtransaction open: roll it back
	 * first, as PL/pgSQL does, then throw the error on.
	 */
	PG_TRY();
	{
		diffs = diff_in_scratch(models, opts);
	}
	PG_CATCH();
	{
		ErrorData  *edata;

		MemoryContextSwitchTo(cxt);
		edata = CopyErrorData();
		FlushErrorState();
		ss_scratch_path_for = NULL;
		RollbackAndReleaseCurrentSubTransaction();
		MemoryContextSwitchTo(cxt);
		CurrentResourceOwner = owner;
		ReThrowError(edata);
	}
	PG_END_TRY();

	RollbackAndReleaseCurrentSubTransaction();
	MemoryContextSwitchTo(cxt);
	CurrentResourceOwner = owner;
	return diffs;
}

/*
 * diff_in_scratch
 *		The diffs of each model schema, materialized into a scratch schema,
 *		against its target.
 */
static List *
diff_in_scratch(List *models, SsOptions *opts)
{
	List	   *diffs = NIL;
	List	   *norms = NIL;
	List	   *undo;
	ListCell   *lc;
	ListCell   *nc;
	int			offset = 0;
	int			n = 0;

	/* first every model schema is materialized and read back */
	undo = ss_extensions_prepare(models, opts);
	foreach(lc, models)
	{
		SsModel    *jm = lfirst(lc);
		const char *target = ss_map_schema(opts, jm->schema);
		char	   *scratch = psprintf("schemasync_model_%d_%d", MyProcPid, n++);
		SsModel    *norm;
		ListCell   *cc;
		List	   *moved;
		bool		left;

		if (SPI_execute(psprintf("CREATE SCHEMA %s", quote_identifier(scratch)), false, 0) < 0)
			elog(ERROR, "could not create scratch schema \"%s\"", scratch);
		moved = ss_extensions_to_scratch(jm, scratch, &left);
		if (left)
		{
			ss_scratch_path_for = scratch;
			ss_scratch_path_also = target;
		}
		materialize(jm, scratch, opts);
		norm = ss_read_schema(scratch);
		ss_scratch_path_for = NULL;
		ss_extensions_back(moved, target);
		ss_extensions_carry_over(norm, jm);
		foreach(cc, norm->objects)
		{
			SsObject   *mv = lfirst(cc);
			SsObject   *mj = ss_object_lookup(jm, mv->key);

			if (mv->kind == SS_MATVIEW && mj != NULL)
				mv->props[VP_NO_DATA] = mj->props[VP_NO_DATA];
		}
		norms = lappend(norms, norm);
	}
	/* then the extensions are as they were, and each target is diffed */
	ss_extensions_undo(undo);
	forboth(lc, models, nc, norms)
	{
		SsModel    *jm = lfirst(lc);
		SsModel    *norm = lfirst(nc);
		const char *target = ss_map_schema(opts, jm->schema);
		SsModel    *cur;
		SsDiff	   *d;
		ListCell   *cc;

		cur = ss_read_schema(target);
		if (opts->renames)
			d = ss_diff_with_renames(target, cur, norm, opts);
		else
		{
			d = ss_diff_models(cur, norm, target, opts);
			ss_plan(d);
		}
		foreach(cc, d->changes)
			((SsChange *) lfirst(cc))->ordinal += offset;
		offset += list_length(d->changes);
		diffs = lappend(diffs, d);
	}
	ss_extensions_hoist(diffs);
	return diffs;
}
