/*-------------------------------------------------------------------------
 *
 * select.c
 *	  Choosing which changes of a planned diff to show and apply.
 *
 * Options "only" and "skip" (ordinals or identities from a reviewed diff),
 * "kinds" (row kinds to keep), "pattern" (a regular expression on
 * identities) and "mode": "create" (only what creates objects, never alter
 * or drop) leave rows out.  A kept row that needs a row left out (a direct
 * dependency of the plan) is an error that names both: applying it alone
 * would fail or do something else than reviewed.  Ordinals stay those of
 * the full plan, so they match the review.
 *
 * src/select.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_collation.h"
#include "utils/builtins.h"

#include "schemasync.h"

/*
 * listed
 *		Whether a change is named in an only/skip list, by ordinal or by
 *		identity; marks the entries used.
 */
static bool
listed(List *items, bool *used, SsChange *c)
{
	ListCell   *lc;
	char	   *ord = psprintf("%d", c->ordinal);
	bool		hit = false;
	int			i = 0;

	foreach(lc, items)
	{
		if (strcmp(lfirst(lc), ord) == 0 || strcmp(lfirst(lc), c->identity) == 0)
		{
			used[i] = true;
			hit = true;
		}
		i++;
	}
	return hit;
}

/*
 * check_all_used
 *		Every entry of only/skip must match a row: a typo must not silently
 *		select nothing.
 */
static void
check_all_used(const char *key, List *items, bool *used)
{
	ListCell   *lc;
	int			i = 0;

	foreach(lc, items)
	{
		if (!used[i])
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("schemasync option \"%s\": \"%s\" matches no row of the diff",
							key, (char *) lfirst(lc)),
					 errhint("Name rows by the ordinal or identity schemasync.diff() shows.")));
		i++;
	}
}

/*
 * ss_select_changes
 *		Mark and remove the changes the options leave out; returns them.
 */
List *
ss_select_changes(List *diffs, SsOptions *opts)
{
	List	   *left_out = NIL;
	bool	   *only_used = palloc0(sizeof(bool) * (list_length(opts->only) + 1));
	bool	   *skip_used = palloc0(sizeof(bool) * (list_length(opts->skip) + 1));
	bool		any = false;
	ListCell   *lc;

	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		ListCell   *cc;

		foreach(cc, d->changes)
		{
			SsChange   *c = lfirst(cc);
			bool		keep = true;

			if (opts->only && !listed(opts->only, only_used, c))
				keep = false;
			if (opts->skip && listed(opts->skip, skip_used, c))
				keep = false;
			if (opts->kinds)
			{
				ListCell   *kc;
				bool		found = false;

				foreach(kc, opts->kinds)
					if (strcmp(lfirst(kc), c->kindname) == 0)
						found = true;
				keep &= found;
			}
			if (opts->pattern &&
				!DatumGetBool(DirectFunctionCall2Coll(textregexeq, C_COLLATION_OID,
													  CStringGetTextDatum(c->identity),
													  CStringGetTextDatum(opts->pattern))))
				keep = false;
			if (opts->mode_create)
			{
				/* creates, and the steps that complete a created object */
				SsObject   *obj = c->want ? c->want : c->cur;

				if (SS_ACT_IS_DROP(c->action) || c->want == NULL ||
					!(ss_object_created(d, c->key) ||
					  (obj->parentobj && ss_object_created(d, obj->parentobj->key))))
					keep = false;
			}
			c->skipped = !keep;
			any |= !keep;
		}
	}
	/* the plan after the renames assumes them done */
	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		ListCell   *cc;
		bool		rename_left_out = false;
		bool		other_kept = false;

		foreach(cc, d->changes)
		{
			SsChange   *c = lfirst(cc);
			bool		is_rename = c->reason && strstr(c->reason, "as the renames option asks");

			if (is_rename && c->skipped)
				rename_left_out = true;
			else if (!is_rename && !c->skipped)
				other_kept = true;
		}
		if (rename_left_out && other_kept)
			ereport(ERROR,
					(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
					 errmsg("schemasync: the renames asked for lead the plan and cannot be left out"),
					 errhint("Drop the hint from \"renames\" instead.")));
	}
	if (opts->only)
		check_all_used("only", opts->only, only_used);
	if (opts->skip)
		check_all_used("skip", opts->skip, skip_used);
	if (!any)
		return NIL;

	/* a kept change must not need one left out */
	foreach(lc, diffs)
	{
		SsDiff	   *d = lfirst(lc);
		ListCell   *cc;
		List	   *kept = NIL;

		foreach(cc, d->changes)
		{
			SsChange   *c = lfirst(cc);
			ListCell   *pc;

			if (c->skipped)
			{
				left_out = lappend(left_out, c);
				continue;
			}
			foreach(pc, c->preds)
			{
				SsChange   *p = lfirst(pc);

				if (p->skipped)
					ereport(ERROR,
							(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
							 errmsg("schemasync: change %d needs change %d, which is left out",
									c->ordinal, p->ordinal),
							 errdetail("%d: %s\n%d: %s", c->ordinal, c->ddl, p->ordinal, p->ddl),
							 errhint("Select change %d too, or leave change %d out.",
									 p->ordinal, c->ordinal)));
			}
			kept = lappend(kept, c);
		}
		d->changes = kept;
	}
	return left_out;
}
