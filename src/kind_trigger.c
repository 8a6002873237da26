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

#include "catalog/pg_trigger.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "schemasync.h"

static const char *const trigger_propnames[GP_NUM] = {
	"definition", "enabled", "comment"
};

/*
 * ss_read_triggers
 *		All user triggers of the relations of a schema, in one query.
 */
void
ss_read_triggers(SsModel *m, Oid nsp)
{
	uint64		i;

	ss_spi_exec("SELECT c.relname::pg_catalog.text, t.tgname::pg_catalog.text,"
				" pg_catalog.pg_get_triggerdef(t.oid, true),"
				" CASE t.tgenabled WHEN 'D' THEN 'disabled' WHEN 'R' THEN 'replica'"
				"  WHEN 'A' THEN 'always' END,"
				" ds.description, t.oid, t.tgrelid"
				" FROM pg_catalog.pg_trigger t"
				" JOIN pg_catalog.pg_class c ON c.oid = t.tgrelid"
				" LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = t.oid"
				"  AND ds.classoid = 'pg_catalog.pg_trigger'::pg_catalog.regclass"
				"  AND ds.objsubid = 0"
				" WHERE c.relnamespace = $1 AND NOT t.tgisinternal"
#if PG_VERSION_NUM >= 130000
				" AND t.tgparentid = 0"
#endif
				" AND " SS_NOT_EXTENSION_MEMBER("c.oid")
				" ORDER BY c.relname COLLATE \"C\", t.tgname COLLATE \"C\"", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		SsObject   *t = ss_object_add(m, SS_TRIGGER, m->schema, ss_spi_text(i, 1),
									  ss_spi_text(i, 2));

		t->props[GP_DEFINITION] = ss_spi_text(i, 3);
		t->props[GP_ENABLED] = ss_spi_text(i, 4);
		t->props[GP_COMMENT] = ss_spi_text(i, 5);
		t->oid = ss_spi_oid(i, 6);
		t->reloid = ss_spi_oid(i, 7);
		ss_register_addr(TriggerRelationId, t->oid, 0, t);
	}
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
