/*-------------------------------------------------------------------------
 *
 * kind_constraint.c
 *	  Table constraints: PRIMARY KEY, UNIQUE, CHECK, FOREIGN KEY, EXCLUDE.
 *
 * A constraint is compared by its pg_get_constraintdef() text, CHECK
 * expressions through their normal form (exprnorm.c).  A constraint that
 * only lacks validation is validated in place; any other difference drops
 * and adds it again, and the differ re-creates the foreign keys that depend
 * on a replaced key.  Constraints are added by statements of their own
 * after CREATE TABLE, so that foreign keys can follow every table they
 * reference, and go away silently with their table.
 *
 * src/kind_constraint.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "executor/spi.h"
#include "utils/builtins.h"

#include "schemasync.h"

static const char *const constraint_propnames[KP_NUM] = {
	"type", "definition", "comment"
};

#define NOT_VALID_SUFFIX " NOT VALID"

/*
 * with_index_options
 *		pg_get_constraintdef() leaves out the storage parameters of the index
 *		of a PRIMARY KEY or UNIQUE constraint: put them back, where ADD
 *		CONSTRAINT takes them (before DEFERRABLE).
 */
static char *
with_index_options(char *def, const char *opts)
{
	char	   *defer;

	if (opts == NULL || opts[0] == '\0')
		return def;
	defer = strstr(def, " DEFERRABLE");
	if (defer == NULL)
		defer = strstr(def, " NOT DEFERRABLE");
	if (defer == NULL)
		return psprintf("%s WITH (%s)", def, opts);
	return psprintf("%.*s WITH (%s)%s", (int) (defer - def), def, opts, defer);
}

/*
 * ss_read_constraints
 *		All constraints of the tables of a schema, in one query.
 */
void
ss_read_constraints(SsModel *m, Oid nsp)
{
	uint64		i;

	ss_spi_exec("SELECT cl.relname::pg_catalog.text, co.conname::pg_catalog.text,"
				" co.contype::pg_catalog.text, pg_catalog.pg_get_constraintdef(co.oid),"
				" CASE WHEN co.contype = 'c' THEN pg_catalog.pg_get_expr(co.conbin, co.conrelid) END,"
				" ds.description, co.oid, co.conrelid, co.conindid,"
				" CASE WHEN co.contype IN ('p', 'u') THEN"
				"  pg_catalog.array_to_string(ic.reloptions, ', ') END"
				" FROM pg_catalog.pg_constraint co"
				" JOIN pg_catalog.pg_class cl ON cl.oid = co.conrelid"
				" LEFT JOIN pg_catalog.pg_class ic ON ic.oid = co.conindid"
				" LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = co.oid"
				"  AND ds.classoid = 'pg_catalog.pg_constraint'::pg_catalog.regclass"
				" WHERE cl.relnamespace = $1 AND cl.relkind IN ('r', 'p')"
				" AND co.contype IN ('p', 'u', 'c', 'f', 'x')"
				" AND co.conparentid = 0 AND co.coninhcount = 0"
				" AND " SS_NOT_EXTENSION_MEMBER("cl.oid")
				" ORDER BY cl.relname COLLATE \"C\", co.conname COLLATE \"C\"", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		SsObject   *k;
		char	   *type = ss_spi_text(i, 3);

		if (ss_spi_text(i, 4) == NULL)
			continue;			/* dropped concurrently */
		k = ss_object_add(m, SS_CONSTRAINT, m->schema,
						  ss_spi_text(i, 1), ss_spi_text(i, 2));

		k->props[KP_TYPE] = type;
		k->props[KP_DEFINITION] = with_index_options(ss_spi_text(i, 4), ss_spi_text(i, 10));
		k->aux = ss_spi_text(i, 5);
		k->props[KP_COMMENT] = ss_spi_text(i, 6);
		k->oid = ss_spi_oid(i, 7);
		k->reloid = ss_spi_oid(i, 8);
		ss_register_addr(ConstraintRelationId, k->oid, 0, k);
		/* the index behind a key or exclusion constraint stands for it */
		if (strchr("pux", type[0]) && OidIsValid(ss_spi_oid(i, 9)))
			ss_register_addr(RelationRelationId, ss_spi_oid(i, 9), 0, k);
	}
}

/*
 * is_not_valid
 *		Whether a definition ends in NOT VALID.
 */
static bool
is_not_valid(const char *def)
{
	size_t		len = strlen(def);
	size_t		slen = strlen(NOT_VALID_SUFFIX);

	return len > slen && strcmp(def + len - slen, NOT_VALID_SUFFIX) == 0;
}

/*
 * strip_not_valid
 *		A definition without its NOT VALID suffix.
 */
static char *
strip_not_valid(const char *def)
{
	if (is_not_valid(def))
		return pnstrdup(def, strlen(def) - strlen(NOT_VALID_SUFFIX));
	return pstrdup(def);
}

/*
 * same_definition
 *		Whether two constraints are the same but maybe for validation.
 */
static bool
same_definition(SsDiff *d, SsObject *cur, SsObject *want)
{
	char	   *a = strip_not_valid(cur->props[KP_DEFINITION]);
	char	   *b = strip_not_valid(want->props[KP_DEFINITION]);

	if (!ss_streq(cur->props[KP_TYPE], want->props[KP_TYPE]))
		return false;
	if (strcmp(a, b) == 0)
		return true;
	if (cur->props[KP_TYPE][0] == 'c' && cur->aux && want->aux)
	{
		/* the same flags around possibly differently deparsed expressions */
		bool		a_noinh = strstr(a, ") NO INHERIT") != NULL;
		bool		b_noinh = strstr(b, ") NO INHERIT") != NULL;

		return a_noinh == b_noinh &&
			ss_expr_equal(d, cur, cur->aux, want, want->aux, 'c');
	}
	return false;
}

/*
 * constraint_emit_add
 *		ALTER TABLE ... ADD CONSTRAINT, with the lock and hazards of its kind.
 */
static SsChange *
constraint_emit_add(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	char		type = want->props[KP_TYPE][0];
	bool		notvalid = is_not_valid(want->props[KP_DEFINITION]);
	bool		newtable = ss_parent_created(d, want);
	SsChange   *c;

	c = ss_add_change(d, NULL, NULL, want, action,
					  psprintf("ALTER TABLE %s ADD CONSTRAINT %s %s;",
							   ss_target_table(d, want), quote_identifier(want->name),
							   want->props[KP_DEFINITION]));
	c->reason = pstrdup(reason);
	if (type == 'f')
	{
		/* both the table and the referenced table */
		c->lock = SS_LOCK_SHARE_ROW_EXCLUSIVE;
		c->hazards = SS_HZ_BLOCKS_WRITES;
	}
	else
	{
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	}
	if (strchr("pux", type))
		c->hazards |= SS_HZ_INDEX_BUILD;
	if (!notvalid && !newtable)
		c->hazards |= SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
	ss_emit_comment(d, NULL, want, "CONSTRAINT",
					psprintf("%s ON %s", quote_identifier(want->name), ss_target_table(d, want)),
					KP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
	return c;
}

/*
 * referenced_dropped_table
 *		The other table, dropped by this diff, that a foreign key references;
 *		NULL when there is none.
 */
static SsObject *
referenced_dropped_table(SsDiff *d, SsObject *fk)
{
	ListCell   *lc;

	if (!ss_streq(fk->props[KP_TYPE], "f"))
		return NULL;
	foreach(lc, fk->deps)
	{
		SsObject   *ref = ss_object_lookup(d->cur, ((SsDep *) lfirst(lc))->key);
		SsObject   *table = ref ? (ref->kind == SS_TABLE ? ref : ref->parentobj) : NULL;

		if (table && table != fk->parentobj && ss_drop_of(d, table->key))
			return table;
	}
	return NULL;
}

/*
 * reaches
 *		Whether table from reaches table to through foreign keys of tables
 *		that are dropped; seen guards against going round.
 */
static bool
reaches(SsDiff *d, SsObject *from, SsObject *to, List **seen)
{
	ListCell   *lc;

	if (from == to)
		return true;
	if (list_member_ptr(*seen, from))
		return false;
	*seen = lappend(*seen, from);
	foreach(lc, from->children)
	{
		SsObject   *next = lfirst(lc);

		if (next->kind == SS_CONSTRAINT &&
			(next = referenced_dropped_table(d, next)) != NULL &&
			reaches(d, next, to, seen))
			return true;
	}
	return false;
}

/*
 * references_dropped_table
 *		Whether a foreign key of a dropped table must be dropped on its own,
 *		first: when the table it references, dropped too, reaches back to
 *		its own table by foreign keys.  Tables that reference each other
 *		cannot be dropped one after the other; a chain can, and then the
 *		keys go with their tables.
 */
static bool
references_dropped_table(SsDiff *d, SsObject *cur)
{
	SsObject   *target = referenced_dropped_table(d, cur);
	List	   *seen = NIL;

	return target != NULL && reaches(d, target, cur->parentobj, &seen);
}

/*
 * constraint_emit_drop
 *		ALTER TABLE ... DROP CONSTRAINT, or nothing when the table goes.
 */
static void
constraint_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur) && !references_dropped_table(d, cur))
	{
		(void) ss_add_change(d, NULL, cur, NULL, action, NULL);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("ALTER TABLE %s DROP CONSTRAINT %s;",
							   ss_target_table(d, cur), quote_identifier(cur->name)));
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
}

/*
 * constraint_replace
 *		Drop a constraint and add it again.
 */
static void
constraint_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	constraint_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	(void) constraint_emit_add(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * constraint_diff
 *		Create, drop, validate or replace a constraint.
 */
static void
constraint_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (cur == NULL)
	{
		(void) constraint_emit_add(d, want, SS_ACT_CREATE, "constraint missing in target");
		return;
	}
	if (want == NULL)
	{
		/* merged into the new parent's by ATTACH PARTITION or INHERIT */
		if (ss_constraint_kept_by_link(d, cur))
			return;
		constraint_emit_drop(d, cur, SS_ACT_DROP, "constraint not in reference");
		return;
	}
	if (!same_definition(d, cur, want))
	{
		constraint_replace(d, cur, want, "definition differs");
		return;
	}
	if (is_not_valid(cur->props[KP_DEFINITION]) != is_not_valid(want->props[KP_DEFINITION]))
	{
		SsChange   *c;

		if (is_not_valid(want->props[KP_DEFINITION]))
		{
			/* there is no way back to NOT VALID but to add it again */
			constraint_replace(d, cur, want, "constraint is NOT VALID in reference");
			return;
		}
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("ALTER TABLE %s VALIDATE CONSTRAINT %s;",
								   ss_target_table(d, want), quote_identifier(want->name)));
		c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
		c->hazards = SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
		c->reason = pstrdup("constraint is validated in reference");
	}
	ss_emit_comment(d, cur, want, "CONSTRAINT",
					psprintf("%s ON %s", quote_identifier(want->name), ss_target_table(d, want)),
					KP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
}

const SsKindOps ss_constraint_ops = {
	.name = "constraint",
	.nprops = KP_NUM,
	.propnames = constraint_propnames,
	.proptypes = "ttt",
	.diff = constraint_diff,
	.replace = constraint_replace,
	.breaks_dependents = NULL,
};
