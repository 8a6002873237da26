/*-------------------------------------------------------------------------
 *
 * kind_policy.c
 *	  Row-level security policies: reading, comparing and emitting DDL.
 *
 * A policy lives in its table's namespace, like a constraint: its key is
 * "policy:table.name" and its identity schema.table.name.  Compared are the
 * command (ALL, SELECT, INSERT, UPDATE, DELETE), permissive or restrictive,
 * the roles (PUBLIC, or role names sorted bytewise and quoted), the USING
 * and WITH CHECK expressions as pg_get_expr deparses them with search_path
 * set to the side's schema (references to other schemas stay qualified),
 * and the comment.  Roles are database-global: they are named, never
 * created; a role that does not exist makes the statement fail, which is
 * the user's to fix.
 *
 * ALTER POLICY changes the roles and the expressions in place; the command
 * and permissive/restrictive cannot be altered, and an expression cannot be
 * removed, so those changes drop and create the policy again.  A policy
 * depends (pg_depend) on the columns, tables and functions its expressions
 * use, so it is created after them and dropped before them; PostgreSQL
 * refuses to change the type of a column a policy uses, so such a change
 * re-creates the policy (differ.c, fragile_for_alter).
 *
 * The table flags ENABLE/FORCE ROW LEVEL SECURITY are table properties
 * (kind_table.c).
 *
 * src/kind_policy.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_policy.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/varlena.h"

#include "schemasync.h"

static const char *const policy_propnames[PP_NUM] = {
	"command", "restrictive", "roles", "using", "with_check", "comment"
};

/*
 * ss_read_policies
 *		All policies on the tables of a schema that the model holds, in one
 *		query.
 */
void
ss_read_policies(SsModel *m, Oid nsp)
{
	uint64		i;

	/* most databases have no policy at all */
	if (!ss_catalog_has_rows(PolicyRelationId, 0, InvalidOid))
		return;
	ss_spi_exec("SELECT c.relname::pg_catalog.text, p.polname::pg_catalog.text,"
				" CASE p.polcmd WHEN 'r' THEN 'SELECT' WHEN 'a' THEN 'INSERT'"
				"  WHEN 'w' THEN 'UPDATE' WHEN 'd' THEN 'DELETE' ELSE 'ALL' END,"
				" CASE WHEN NOT p.polpermissive THEN 'true' END,"
				" (SELECT pg_catalog.string_agg(r.name, ', ' ORDER BY r.name COLLATE \"C\")"
				"   FROM (SELECT CASE WHEN u.role = 0 THEN 'PUBLIC'"
				"    ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(u.role)) END AS name"
				"    FROM pg_catalog.unnest(p.polroles) u(role)) r),"
				" pg_catalog.pg_get_expr(p.polqual, p.polrelid),"
				" pg_catalog.pg_get_expr(p.polwithcheck, p.polrelid),"
				" ds.description, p.oid, p.polrelid"
				" FROM pg_catalog.pg_policy p"
				" JOIN pg_catalog.pg_class c ON c.oid = p.polrelid"
				" LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = p.oid"
				"  AND ds.classoid = 'pg_catalog.pg_policy'::pg_catalog.regclass"
				"  AND ds.objsubid = 0"
				" WHERE c.relnamespace = $1 AND " SS_NOT_EXTENSION_MEMBER("c.oid")
				" ORDER BY c.relname COLLATE \"C\", p.polname COLLATE \"C\"", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *table = ss_spi_text(i, 1);
		SsObject   *po;

		/* only policies of tables the model holds (other kinds: unmodeled) */
		if (ss_object_lookup(m, ss_make_key(SS_TABLE, NULL, table)) == NULL)
			continue;
		po = ss_object_add(m, SS_POLICY, m->schema, table, ss_spi_text(i, 2));
		po->props[PP_COMMAND] = ss_spi_text(i, 3);
		po->props[PP_RESTRICTIVE] = ss_spi_text(i, 4);
		po->props[PP_ROLES] = ss_spi_text(i, 5);
		po->props[PP_USING] = ss_spi_text(i, 6);
		po->props[PP_WITH_CHECK] = ss_spi_text(i, 7);
		po->props[PP_COMMENT] = ss_spi_text(i, 8);
		po->oid = ss_spi_oid(i, 9);
		po->reloid = ss_spi_oid(i, 10);
		ss_register_addr(PolicyRelationId, po->oid, 0, po);
	}
}

/*
 * ss_policy_roles_text
 *		The canonical roles text of a roles list written in a model: names
 *		separated by commas, each an SQL identifier (quoted when needed),
 *		PUBLIC for every role.  Returns the names sorted and quoted, joined
 *		by ", ", or NULL when the text is not such a list.
 */
char *
ss_policy_roles_text(const char *roles)
{
	char	   *raw = pstrdup(roles);
	List	   *names;
	List	   *quoted = NIL;
	ListCell   *lc;
	StringInfoData buf;

	if (!SplitIdentifierString(raw, ',', &names) || names == NIL)
		return NULL;
	foreach(lc, names)
	{
		char	   *name = lfirst(lc);

		/* an unquoted PUBLIC comes out folded to lower case */
		if (strcmp(name, "public") == 0)
			return pstrdup("PUBLIC");
		quoted = lappend(quoted, pstrdup(quote_identifier(name)));
	}
	list_sort(quoted, ss_cstring_cmp);
	initStringInfo(&buf);
	foreach(lc, quoted)
		appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(lc));
	return buf.data;
}

/*
 * policy_on
 *		"name ON schema.table" of a policy in the target.
 */
static char *
policy_on(SsDiff *d, SsObject *po)
{
	return psprintf("%s ON %s", quote_identifier(po->name), ss_target_table(d, po));
}

/*
 * policy_create_sql
 *		CREATE POLICY with every clause of the desired policy.
 */
static char *
policy_create_sql(SsDiff *d, SsObject *want)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE POLICY %s", policy_on(d, want));
	if (want->props[PP_RESTRICTIVE])
		appendStringInfoString(&buf, " AS RESTRICTIVE");
	appendStringInfo(&buf, " FOR %s TO %s",
					 want->props[PP_COMMAND] ? want->props[PP_COMMAND] : "ALL",
					 want->props[PP_ROLES] ? want->props[PP_ROLES] : "PUBLIC");
	if (want->props[PP_USING])
		appendStringInfo(&buf, " USING (%s)", want->props[PP_USING]);
	if (want->props[PP_WITH_CHECK])
		appendStringInfo(&buf, " WITH CHECK (%s)", want->props[PP_WITH_CHECK]);
	appendStringInfoChar(&buf, ';');
	return buf.data;
}

/*
 * policy_annotate
 *		The lock of every policy statement (AccessExclusiveLock on the
 *		table); a hazard only when the table exists already.
 */
static void
policy_annotate(SsDiff *d, SsChange *c, SsObject *obj, const char *reason)
{
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	if (!(SS_ACT_IS_CREATE(c->action) && ss_parent_created(d, obj)))
		c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
}

/*
 * policy_comment
 *		COMMENT ON POLICY, after the given step.
 */
static void
policy_comment(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	ss_emit_comment(d, cur, want, "POLICY", policy_on(d, want), PP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, after);
}

/*
 * policy_emit_create
 *		CREATE POLICY and its comment.
 */
static void
policy_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action,
								  policy_create_sql(d, want));

	policy_annotate(d, c, want, reason);
	policy_comment(d, NULL, want, c);
}

/*
 * policy_emit_drop
 *		DROP POLICY, or nothing when the table goes.
 */
static void
policy_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur))
	{
		(void) ss_add_change(d, NULL, cur, NULL, action, NULL);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("DROP POLICY %s;", policy_on(d, cur)));
	policy_annotate(d, c, cur, reason);
}

/*
 * policy_replace
 *		Drop and create a policy again.
 */
static void
policy_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	policy_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	policy_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * policy_diff
 *		Create, drop, alter in place or replace a policy.
 */
static void
policy_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	bool		usingdiff;
	bool		checkdiff;
	bool		rolesdiff;
	StringInfoData buf;
	SsChange   *c;

	if (cur == NULL)
	{
		policy_emit_create(d, want, SS_ACT_CREATE, "policy missing in target");
		return;
	}
	if (want == NULL)
	{
		policy_emit_drop(d, cur, SS_ACT_DROP, "policy not in reference");
		return;
	}
	if (!ss_streq(cur->props[PP_COMMAND], want->props[PP_COMMAND]))
	{
		policy_replace(d, cur, want, "command differs");
		return;
	}
	if (!ss_streq(cur->props[PP_RESTRICTIVE], want->props[PP_RESTRICTIVE]))
	{
		policy_replace(d, cur, want, "permissive or restrictive differs");
		return;
	}
	usingdiff = !ss_expr_equal(d, cur, cur->props[PP_USING],
							   want, want->props[PP_USING], 'p');
	checkdiff = !ss_expr_equal(d, cur, cur->props[PP_WITH_CHECK],
							   want, want->props[PP_WITH_CHECK], 'p');
	rolesdiff = !ss_streq(cur->props[PP_ROLES], want->props[PP_ROLES]);

	/* ALTER POLICY can set an expression, never remove one */
	if ((usingdiff && want->props[PP_USING] == NULL) ||
		(checkdiff && want->props[PP_WITH_CHECK] == NULL))
	{
		policy_replace(d, cur, want,
					   usingdiff && want->props[PP_USING] == NULL ?
					   "USING expression removed" : "WITH CHECK expression removed");
		return;
	}
	if (usingdiff || checkdiff || rolesdiff)
	{
		initStringInfo(&buf);
		appendStringInfo(&buf, "ALTER POLICY %s", policy_on(d, want));
		if (rolesdiff)
			appendStringInfo(&buf, " TO %s",
							 want->props[PP_ROLES] ? want->props[PP_ROLES] : "PUBLIC");
		if (usingdiff)
			appendStringInfo(&buf, " USING (%s)", want->props[PP_USING]);
		if (checkdiff)
			appendStringInfo(&buf, " WITH CHECK (%s)", want->props[PP_WITH_CHECK]);
		appendStringInfoChar(&buf, ';');
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER, buf.data);
		policy_annotate(d, c, want,
						psprintf("%s%s%s%s%s differ",
								 rolesdiff ? "roles" : "",
								 rolesdiff && (usingdiff || checkdiff) ? ", " : "",
								 usingdiff ? "USING" : "",
								 usingdiff && checkdiff ? ", " : "",
								 checkdiff ? "WITH CHECK" : ""));
	}
	policy_comment(d, cur, want, NULL);
}

const SsKindOps ss_policy_ops = {
	.name = "policy",
	.nprops = PP_NUM,
	.propnames = policy_propnames,
	.proptypes = "tbtttt",
	.diff = policy_diff,
	.replace = policy_replace,
	.breaks_dependents = NULL,
};
