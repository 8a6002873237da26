/*-------------------------------------------------------------------------
 *
 * kind_trigger.c
 *	  Triggers on the relations of a schema.
 *
 * The definition is pg_get_triggerdef(oid, true): in its pretty form the
 * server qualifies the table (and the function) only when search_path does
 * not find it, and the reader runs with search_path set to the schema, so
 * the text is schema-neutral.  It holds the timing, the events (UPDATE OF
 * columns), the table, FROM, DEFERRABLE / INITIALLY, REFERENCING transition
 * tables, FOR EACH ROW / STATEMENT, WHEN, the function and its arguments;
 * any difference drops and creates the trigger.  The emitter qualifies the
 * table with the target schema.  The enabled state (tgenabled) is a
 * property of its own, changed in place with ALTER TABLE ... ENABLE /
 * DISABLE / ENABLE REPLICA / ENABLE ALWAYS TRIGGER.
 *
 * Internal triggers (those of foreign keys) are not user objects, and the
 * clones of a partitioned table's trigger on its partitions (tgparentid set)
 * come with the parent's trigger.  A trigger's relation is found through
 * pg_depend, so a trigger on any relation kind of the model (a view's
 * INSTEAD OF trigger) follows its relation.
 *
 * src/kind_trigger.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_trigger.h"
#include "commands/trigger.h"
#include "utils/builtins.h"
#include "utils/hsearch.h"

#include "schemasync.h"

static const char *const trigger_propnames[GP_NUM] = {
	"definition", "enabled", "comment"
};

/* a trigger as read from pg_trigger, before it becomes a model object */
typedef struct TriggerRow
{
	SsRel	   *rel;
	Oid			oid;
	NameData	name;
	char		enabled;
} TriggerRow;

/*
 * trigger_row_cmp
 *		qsort order of the triggers read: by relation name, then trigger
 *		name, bytewise.
 */
static int
trigger_row_cmp(const void *a, const void *b)
{
	const TriggerRow *x = a;
	const TriggerRow *y = b;
	int			c = strcmp(NameStr(x->rel->relname), NameStr(y->rel->relname));

	return c != 0 ? c : strcmp(NameStr(x->name), NameStr(y->name));
}

/*
 * ss_read_triggers
 *		All user triggers of the tables and views of a schema (not those a
 *		constraint or a partitioned table's trigger made, nor those of
 *		extension members): one scan of pg_trigger over the OIDs of the
 *		schema's tables and views (ss_rels_scan_begin), ordered by relation and
 *		trigger name, bytewise; definitions from pg_get_triggerdef(oid,
 *		true), comments from pg_description.
 */
void
ss_read_triggers(SsModel *m, Oid nsp)
{
	SsRel	  **tables;
	SsRel	  **views;
	SsRel	  **rels;
	int			ntables;
	int			nviews;
	HTAB	   *members = ss_rels_members();
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	TriggerRow *rows;
	int			nrows = 0;
	int			maxrows = 64;
	int			i;

	tables = ss_rels(RELKIND_RELATION, &ntables);
	views = ss_rels(RELKIND_VIEW, &nviews);
	if (ntables + nviews == 0)
		return;
	rels = palloc((ntables + nviews) * sizeof(SsRel *));
	memcpy(rels, tables, ntables * sizeof(SsRel *));
	memcpy(rels + ntables, views, nviews * sizeof(SsRel *));
	rows = palloc(maxrows * sizeof(TriggerRow));
	scan = ss_rels_scan_begin(TriggerRelationId, TriggerRelidNameIndexId,
							  Anum_pg_trigger_tgrelid, 0, InvalidOid,
							  rels, ntables + nviews, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_trigger tg = (Form_pg_trigger) GETSTRUCT(tup);
		SsRel	   *r;

		if (tg->tgisinternal ||
#if PG_VERSION_NUM >= 130000
			OidIsValid(tg->tgparentid) ||
#endif
			(r = ss_rel(tg->tgrelid)) == NULL ||
			(r->relkind != RELKIND_RELATION && r->relkind != RELKIND_PARTITIONED_TABLE &&
			 r->relkind != RELKIND_VIEW && r->relkind != RELKIND_MATVIEW) ||
			ss_oid_map_get(members, r->oid) >= 0)
			continue;
		if (nrows == maxrows)
		{
			maxrows *= 2;
			rows = repalloc(rows, maxrows * sizeof(TriggerRow));
		}
		rows[nrows].rel = r;
		rows[nrows].oid = tg->oid;
		rows[nrows].name = tg->tgname;
		rows[nrows].enabled = tg->tgenabled;
		nrows++;
	}
	ss_scan_end(scan, rel);
	pfree(rels);
	qsort(rows, nrows, sizeof(TriggerRow), trigger_row_cmp);

	for (i = 0; i < nrows; i++)
	{
		TriggerRow *row = &rows[i];
		SsObject   *t = ss_object_add(m, SS_TRIGGER, m->schema,
									  NameStr(row->rel->relname), NameStr(row->name));

		t->oid = row->oid;
		t->reloid = row->rel->oid;
		t->props[GP_DEFINITION] = ss_deparse_of(t, pg_get_triggerdef_ext, 2,
												ObjectIdGetDatum(t->oid),
												BoolGetDatum(true));
		if (row->enabled == TRIGGER_DISABLED)
			t->props[GP_ENABLED] = "disabled";
		else if (row->enabled == TRIGGER_FIRES_ON_REPLICA)
			t->props[GP_ENABLED] = "replica";
		else if (row->enabled == TRIGGER_FIRES_ALWAYS)
			t->props[GP_ENABLED] = "always";
		ss_register_addr(TriggerRelationId, t->oid, 0, t);
	}
	pfree(rows);
	if (nrows > 0)
		ss_read_comments(TriggerRelationId, SS_TRIGGER, GP_COMMENT);
}

/*
 * ss_trigger_table_offset
 *		Where the table's name starts in a trigger definition of the named
 *		trigger on the named table ("CREATE [CONSTRAINT] TRIGGER name ...
 *		ON table ..."), or -1.
 */
int
ss_trigger_table_offset(const char *def, const char *name, const char *table)
{
	const char *p = def;
	char	   *on;
	const char *hit;

	if (strncmp(p, "CREATE ", 7) != 0)
		return -1;
	p += 7;
	if (strncmp(p, "OR REPLACE ", 11) == 0)
		p += 11;
	if (strncmp(p, "CONSTRAINT ", 11) == 0)
		p += 11;
	if (strncmp(p, "TRIGGER ", 8) != 0)
		return -1;
	p += 8;
	if (strncmp(p, quote_identifier(name), strlen(quote_identifier(name))) != 0)
		return -1;
	p += strlen(quote_identifier(name));
	on = psprintf(" ON %s ", quote_identifier(table));
	hit = strstr(p, on);
	if (hit == NULL)
		return -1;
	return hit - def + 4;
}

/*
 * trigger_create_sql
 *		The desired definition with the target schema on the table.
 */
static char *
trigger_create_sql(SsDiff *d, SsObject *want)
{
	const char *def = want->props[GP_DEFINITION];
	int			off = ss_trigger_table_offset(def, want->name, want->parent);

	if (off < 0)
		elog(ERROR, "unexpected trigger definition: %s", def);
	return psprintf("%.*s%s.%s;", off, def, quote_identifier(d->target), def + off);
}

/*
 * trigger_enable
 *		ALTER TABLE ... ENABLE/DISABLE ... TRIGGER for the enabled state.
 */
static void
trigger_enable(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	const char *state = want->props[GP_ENABLED];
	const char *clause;
	SsChange   *c;

	if (state == NULL)
		clause = "ENABLE";
	else if (strcmp(state, "disabled") == 0)
		clause = "DISABLE";
	else if (strcmp(state, "replica") == 0)
		clause = "ENABLE REPLICA";
	else
		clause = "ENABLE ALWAYS";
	c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
					  psprintf("ALTER TABLE %s %s TRIGGER %s;",
							   ss_target_table(d, want), clause,
							   quote_identifier(want->name)));
	c->lock = SS_LOCK_SHARE_ROW_EXCLUSIVE;
	c->hazards = SS_HZ_BLOCKS_WRITES;
	c->reason = pstrdup(cur ? "trigger enabled state differs" : "trigger is not enabled by default");
	if (after)
		c->after = lappend(c->after, after);
}

/*
 * trigger_emit_create
 *		CREATE TRIGGER, its enabled state when not the default, its comment.
 */
static void
trigger_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action, trigger_create_sql(d, want));

	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_SHARE_ROW_EXCLUSIVE;
	c->hazards = SS_HZ_BLOCKS_WRITES;
	if (want->props[GP_ENABLED])
		trigger_enable(d, NULL, want, c);
	ss_emit_comment(d, NULL, want, "TRIGGER",
					psprintf("%s ON %s", quote_identifier(want->name),
							 ss_target_table(d, want)),
					GP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
}

/*
 * trigger_emit_drop
 *		DROP TRIGGER, or nothing when its table goes.
 */
static void
trigger_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur))
	{
		(void) ss_add_change(d, NULL, cur, NULL, action, NULL);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("DROP TRIGGER %s ON %s;", quote_identifier(cur->name),
							   ss_target_table(d, cur)));
	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
}

/*
 * trigger_replace
 *		Drop and create a trigger again.
 */
static void
trigger_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	trigger_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	trigger_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * trigger_diff
 *		Create, drop, re-create or enable/disable a trigger.
 */
static void
trigger_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (cur == NULL)
		trigger_emit_create(d, want, SS_ACT_CREATE, "trigger missing in target");
	else if (want == NULL)
		trigger_emit_drop(d, cur, SS_ACT_DROP, "trigger not in reference");
	else if (!ss_streq(cur->props[GP_DEFINITION], want->props[GP_DEFINITION]))
		trigger_replace(d, cur, want, "definition differs");
	else
	{
		if (!ss_streq(cur->props[GP_ENABLED], want->props[GP_ENABLED]))
			trigger_enable(d, cur, want, NULL);
		ss_emit_comment(d, cur, want, "TRIGGER",
						psprintf("%s ON %s", quote_identifier(want->name),
								 ss_target_table(d, want)),
						GP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
	}
}

const SsKindOps ss_trigger_ops = {
	.name = "trigger",
	.nprops = GP_NUM,
	.propnames = trigger_propnames,
	.proptypes = "ttt",
	.diff = trigger_diff,
	.replace = trigger_replace,
	.breaks_dependents = NULL,
};
