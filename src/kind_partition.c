/*-------------------------------------------------------------------------
 *
 * kind_partition.c
 *	  Partitioned tables, partitions and INHERITS children.
 *
 * These are tables (kind "table") with a few more properties: the partition
 * key of a partitioned table (pg_get_partkeydef), the parent and bound of a
 * partition (pg_get_expr of relpartbound), the parents of a classic
 * inheritance child.  This file holds what is particular to them:
 *
 *	- CREATE TABLE ... PARTITION BY / PARTITION OF ... FOR VALUES / INHERITS;
 *	- a partition key change, or a table becoming (or ceasing to be)
 *	  partitioned, replaces the table; its partitions go with it (DROP TABLE
 *	  drops them) and are created again;
 *	- a partition that moves to another parent or bound is detached and
 *	  attached again, keeping its rows; an INHERITS child gains or loses a
 *	  parent with INHERIT / NO INHERIT;
 *	- inherited columns.  PostgreSQL propagates ADD/DROP COLUMN, type
 *	  changes, defaults and NOT NULL from a parent to its children, so a
 *	  child's column is compared against what it will be once its parent's
 *	  statements have run, not against what it is now; those comparisons
 *	  are deferred until every other object is diffed (ss_inherited_columns_diff)
 *	  and come after the parent's statements.
 *
 * Indexes, constraints (and triggers) that PostgreSQL clones onto partitions
 * are left out by the readers (pg_inherits of indexes, conparentid,
 * coninhcount), so they are never emitted twice.
 *
 * src/kind_partition.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_constraint.h"
#include "catalog/pg_inherits.h"
#include "executor/spi.h"
#include "utils/builtins.h"
#include "utils/varlena.h"

#include "schemasync.h"

/* reasons that mark the link changes of a child, see link_change */
#define RS_DETACH	"partition is detached from its current parent"
#define RS_ATTACH	"partition is attached to its parent in reference"
#define RS_NOINH	"table no longer inherits from this parent in reference"
#define RS_INH		"table inherits from this parent in reference"
#define RS_PARENT_CHECK "the new parent's CHECK constraint must be on the table before"
#define RS_DETACHED_COPY "copy of the parent's index or constraint that DETACH PARTITION leaves"

static List *parent_checks(SsModel *m, const char *parent);

/* set while the deferred inherited columns are being diffed */
static bool ss_diffing_deferred = false;

/*
 * table_parents
 *		The names of the parents of a table: its partitioned table, or the
 *		tables it INHERITS from.
 */
static List *
table_parents(SsObject *t)
{
	List	   *names = NIL;

	if (t == NULL)
		return NIL;
	if (t->props[TP_PARTOF])
		return list_make1(t->props[TP_PARTOF]);
	if (t->props[TP_INHERITS])
	{
		char	   *copy = pstrdup(t->props[TP_INHERITS]);

		if (!SplitIdentifierString(copy, ',', &names))
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("invalid list of parent tables of table \"%s\": %s",
							t->name, t->props[TP_INHERITS])));
	}
	return names;
}

/*
 * name_member
 *		Whether a list of names holds a name.
 */
static bool
name_member(List *names, const char *name)
{
	ListCell   *lc;

	foreach(lc, names)
		if (strcmp(lfirst(lc), name) == 0)
			return true;
	return false;
}

/*
 * ss_read_inherited_objects
 *		What the readers leave out because a table has it from its parents:
 *		the constraints PostgreSQL cloned onto partitions (conparentid) and
 *		inherited CHECK constraints, and the partitions' indexes attached to
 *		a parent index.  In one query.  A clone's catalog address stands for
 *		the foreign key it was cloned from on the same table (the piece of a
 *		foreign key that references one partition), so that the foreign key
 *		depends on that partition.  A partition's list of such objects (in its aux, as lines
 *		"c name" / "i name") is what DETACH PARTITION (NO INHERIT: the CHECK
 *		constraints) leaves on it as its own.
 */
void
ss_read_inherited_objects(SsModel *m, Oid nsp)
{
	uint64		i;

	/*
	 * Each of these comes from a partition or an inheritance child (a
	 * constraint references a partitioned table through clones on the
	 * referencing table too, so the children need not be in this schema):
	 * none while pg_inherits is empty.
	 */
	if (!ss_catalog_has_rows(InheritsRelationId, 0, InvalidOid))
		return;
	ss_spi_exec("WITH RECURSIVE up(oid, root) AS ("
				" SELECT co.oid, co.oid FROM pg_catalog.pg_constraint co"
				"  WHERE co.conparentid = 0 AND co.connamespace = $1"
				" UNION ALL SELECT co.oid, up.root FROM pg_catalog.pg_constraint co"
				"  JOIN up ON co.conparentid = up.oid)"
				" SELECT 'c', tc.relname::pg_catalog.text, co.conname::pg_catalog.text,"
				"  co.oid, rt.relname::pg_catalog.text, r.conname::pg_catalog.text,"
				"  tc.relispartition"
				" FROM pg_catalog.pg_constraint co"
				" JOIN pg_catalog.pg_class tc ON tc.oid = co.conrelid"
				" LEFT JOIN up ON up.oid = co.oid AND up.root <> co.oid"
				" LEFT JOIN pg_catalog.pg_constraint r ON r.oid = up.root"
				"  AND r.conrelid = co.conrelid"
				" LEFT JOIN pg_catalog.pg_class rt ON rt.oid = r.conrelid"
				" WHERE tc.relnamespace = $1 AND tc.relkind IN ('r', 'p')"
				" AND (co.conparentid <> 0 OR co.coninhcount > 0)"
				/*
				 * The same again, from the index on conparentid and the
				 * children's constraints: no scan of all constraints.
				 */
				" AND co.oid IN (SELECT c2.oid FROM pg_catalog.pg_constraint c2"
				"  WHERE c2.conparentid > 0::pg_catalog.oid"
				"  UNION ALL SELECT c3.oid FROM pg_catalog.pg_constraint c3"
				"  JOIN pg_catalog.pg_inherits ih ON c3.conrelid = ih.inhrelid"
				"  WHERE c3.coninhcount > 0)"
				" UNION ALL"
				" SELECT 'i', tc.relname::pg_catalog.text, ic.relname::pg_catalog.text,"
				"  NULL, NULL, NULL, tc.relispartition"
				" FROM pg_catalog.pg_index i"
				" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid"
				" JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid"
				" WHERE tc.relnamespace = $1 AND tc.relkind IN ('r', 'p')"
				" AND EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ii"
				"  WHERE ii.inhrelid = i.indexrelid)"
				" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint k"
				"  WHERE k.conindid = i.indexrelid AND k.conrelid = i.indrelid)"
				" ORDER BY 2, 1, 3", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *what = ss_spi_text(i, 1);
		SsObject   *t = ss_object_lookup(m, ss_make_key(SS_TABLE, NULL, ss_spi_text(i, 2)));
		char	   *roottable = ss_spi_text(i, 5);

		if (roottable)
		{
			SsObject   *root = ss_object_lookup(m, ss_make_key(SS_CONSTRAINT, roottable,
															   ss_spi_text(i, 6)));

			if (root)
				ss_register_addr(ConstraintRelationId, ss_spi_oid(i, 4), 0, root);
		}
		/* what stays on the table when it is detached or disinherited */
		if (t)
			t->aux = psprintf("%s%s %s\n", t->aux ? t->aux : "", what,
							  ss_spi_text(i, 3));
	}
}

/*
 * ss_table_create_clauses
 *		What follows the column list of CREATE TABLE for an INHERITS child
 *		or a partitioned table: " INHERITS (...)", " PARTITION BY ...".
 */
char *
ss_table_create_clauses(SsDiff *d, SsObject *t)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	if (t->props[TP_INHERITS])
	{
		appendStringInfoString(&buf, " INHERITS (");
		foreach(lc, table_parents(t))
			appendStringInfo(&buf, "%s%s", foreach_current_index(lc) ? ", " : "",
							 ss_qualified(d->target, lfirst(lc)));
		appendStringInfoChar(&buf, ')');
	}
	if (t->props[TP_PARTKEY])
		appendStringInfo(&buf, " PARTITION BY %s", t->props[TP_PARTKEY]);
	return buf.data;
}

/*
 * ss_column_in_create
 *		Whether CREATE TABLE lists a column: not when it only comes from the
 *		parents (a partition's columns all do).
 */
bool
ss_column_in_create(SsObject *col)
{
	return !ss_streq(col->props[CP_INHERITED], "inherited");
}

/*
 * parent_column
 *		The column of the same name of the first parent of a child table
 *		that has one, in a model; NULL when none does.
 */
static SsObject *
parent_column(SsModel *m, SsObject *table, const char *colname)
{
	ListCell   *lc;

	foreach(lc, table_parents(table))
	{
		SsObject   *col = ss_object_lookup(m, ss_make_key(SS_COLUMN, lfirst(lc), colname));

		if (col)
			return col;
	}
	return NULL;
}

/*
 * ss_partition_create_sql
 *		CREATE TABLE ... PARTITION OF parent FOR VALUES ...: the columns come
 *		from the parent; a column whose default or NOT NULL differs from the
 *		parent's says so WITH OPTIONS.
 */
char *
ss_partition_create_sql(SsDiff *d, SsObject *t, List *cols)
{
	StringInfoData buf;
	ListCell   *lc;
	int			n = 0;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE %sTABLE %s PARTITION OF %s",
					 t->props[TP_UNLOGGED] != NULL ? "UNLOGGED " : "",
					 ss_qualified(d->target, t->name),
					 ss_qualified(d->target, t->props[TP_PARTOF]));
	foreach(lc, cols)
	{
		SsObject   *col = lfirst(lc);
		SsObject   *pcol = parent_column(t->model, t, col->name);
		const char *pdef = pcol ? ss_prop(pcol, CP_DEFAULT) : NULL;
		const char *def = ss_prop(col, CP_DEFAULT);
		bool		pnotnull = pcol && pcol->props[CP_NOT_NULL];
		bool		defdiff = !ss_streq(pdef, def);
		bool		nndiff = col->props[CP_NOT_NULL] && !pnotnull;

		if (!defdiff && !nndiff)
			continue;
		appendStringInfo(&buf, "%s\n    %s WITH OPTIONS", n++ ? "," : " (",
						 quote_identifier(col->name));
		if (defdiff)
			appendStringInfo(&buf, " DEFAULT %s",
							 def ? def : "NULL");
		if (nndiff)
			appendStringInfoString(&buf, " NOT NULL");
	}
	if (n)
		appendStringInfoString(&buf, "\n)");
	appendStringInfo(&buf, " %s", t->props[TP_PARTBOUND] ? t->props[TP_PARTBOUND] : "DEFAULT");
	if (t->props[TP_PARTKEY])
		appendStringInfo(&buf, " PARTITION BY %s", t->props[TP_PARTKEY]);
	if (t->props[TP_RELOPTIONS])
		appendStringInfo(&buf, " WITH (%s)", t->props[TP_RELOPTIONS]);
	appendStringInfoChar(&buf, ';');
	return buf.data;
}

/*
 * has_default_partition
 *		Whether a partitioned table of the current side has a default
 *		partition that stays.
 */
static bool
has_default_partition(SsDiff *d, const char *parent)
{
	ListCell   *lc;

	foreach(lc, d->cur->objects)
	{
		SsObject   *t = lfirst(lc);

		if (t->kind == SS_TABLE && ss_streq(t->props[TP_PARTOF], parent) &&
			(t->props[TP_PARTBOUND] == NULL || strcmp(t->props[TP_PARTBOUND], "DEFAULT") == 0) &&
			ss_drop_of(d, t->key) == NULL)
			return true;
	}
	return false;
}

/*
 * ss_table_create_needs
 *		The parents a created table needs first, also when the model did not
 *		come from the catalog (a hand-written model has no pg_depend), and
 *		the locks it takes on them: a new partition takes AccessExclusiveLock
 *		on its partitioned table and scans an existing default partition for
 *		rows of its bound; a new INHERITS child takes ShareUpdateExclusiveLock
 *		on its parents.
 */
void
ss_table_create_needs(SsDiff *d, SsChange *c, SsObject *t)
{
	ListCell   *lc;

	foreach(lc, table_parents(t))
	{
		char	   *pkey = ss_make_key(SS_TABLE, NULL, lfirst(lc));

		c->needs = lappend(c->needs, pkey);
		if (ss_object_lookup(d->cur, pkey) == NULL || ss_drop_of(d, pkey) != NULL)
			continue;
		if (t->props[TP_PARTOF])
		{
			c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
			c->hazards |= SS_HZ_ACCESS_EXCLUSIVE;
			if (has_default_partition(d, lfirst(lc)))
				c->hazards |= SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
		}
		else if (c->lock < SS_LOCK_SHARE_UPDATE_EXCLUSIVE)
			c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
	}
}

/*
 * link_change
 *		A change that attaches (attach true) or detaches a child from a
 *		parent.
 */
static SsChange *
link_change(SsDiff *d, SsObject *cur, SsObject *want, const char *ddl,
			const char *reason, SsChange *after)
{
	SsChange   *c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER, pstrdup(ddl));

	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	if (after)
		c->after = lappend(c->after, after);
	return c;
}

/*
 * find_links
 *		The changes of a table that attach it to parents (attach true) or
 *		detach it from them.
 */
static List *
find_links(SsDiff *d, const char *tablekey, bool attach)
{
	List	   *found = NIL;
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, tablekey))
	{
		SsChange   *c = lfirst(lc);

		if (c->reason == NULL)
			continue;
		if (attach ? (strcmp(c->reason, RS_ATTACH) == 0 || strcmp(c->reason, RS_INH) == 0)
			: (strcmp(c->reason, RS_DETACH) == 0 || strcmp(c->reason, RS_NOINH) == 0))
			found = lappend(found, c);
	}
	return found;
}

/*
 * drop_detached_copies
 *		DETACH PARTITION leaves the partition's copies of the parent's
 *		indexes and constraints on it as its own: drop them, so that the
 *		table ends up with what the reference gives it (its own indexes and
 *		keys are created again, under the same names when so).
 */
static SsChange *
drop_detached_copies(SsDiff *d, SsObject *cur, SsObject *want,
					 const char *parent, SsChange *last)
{
	char	   *copy;
	char	   *line;
	char	   *save;

	if (cur->aux == NULL)
		return last;
	copy = pstrdup(cur->aux);
	for (line = strtok_r(copy, "\n", &save); line; line = strtok_r(NULL, "\n", &save))
	{
		char	   *name = line + 2;
		SsChange   *c;

		/* NO INHERIT: the CHECK constraints of that parent only */
		if (parent)
		{
			ListCell   *kc;
			bool		found = false;

			foreach(kc, parent_checks(d->cur, parent))
				if (strcmp(((SsObject *) lfirst(kc))->name, name) == 0)
					found = true;
			if (!found || line[0] != 'c')
				continue;
		}

		c = link_change(d, cur, want,
						line[0] == 'i' ?
						psprintf("DROP INDEX %s;", ss_qualified(d->target, name)) :
						psprintf("ALTER TABLE %s DROP CONSTRAINT %s;",
								 ss_qualified(d->target, cur->name), quote_identifier(name)),
						RS_DETACHED_COPY, last);
		c->frees = lappend(c->frees, pstrdup(name));
		c->nodeps = true;
		last = c;
	}
	return last;
}

/*
 * parent_checks
 *		The CHECK constraints of a parent table of a model that its children
 *		inherit.
 */
static List *
parent_checks(SsModel *m, const char *parent)
{
	SsObject   *p = ss_object_lookup(m, ss_make_key(SS_TABLE, NULL, parent));
	List	   *found = NIL;
	ListCell   *lc;

	if (p == NULL)
		return NIL;
	foreach(lc, p->children)
	{
		SsObject   *o = lfirst(lc);

		if (o->kind != SS_CONSTRAINT || o->props[KP_TYPE][0] != 'c')
			continue;
		if (strstr(ss_prop(o, KP_DEFINITION), ") NO INHERIT") == NULL)
			found = lappend(found, o);
	}
	return found;
}

/*
 * add_parent_checks
 *		ATTACH PARTITION and INHERIT require the table to have every CHECK
 *		constraint its new parent passes on (they are then merged): add the
 *		ones it lacks first.  One it has of the same name is kept (see
 *		ss_constraint_kept_by_link).
 */
static SsChange *
add_parent_checks(SsDiff *d, SsObject *cur, SsObject *want, const char *parent,
				  SsChange *last)
{
	ListCell   *lc;

	foreach(lc, parent_checks(d->want, parent))
	{
		SsObject   *k = lfirst(lc);

		if (ss_object_lookup(d->cur, ss_make_key(SS_CONSTRAINT, cur->name, k->name)))
			continue;
		last = link_change(d, cur, want,
						   psprintf("ALTER TABLE %s ADD CONSTRAINT %s %s;",
									ss_qualified(d->target, want->name),
									quote_identifier(k->name), ss_prop(k, KP_DEFINITION)),
						   RS_PARENT_CHECK, last);
		last->hazards |= SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
	}
	return last;
}

/*
 * ss_constraint_kept_by_link
 *		Whether a CHECK constraint of a table that is attached to (or starts
 *		inheriting from) a parent with a CHECK constraint of the same name is
 *		kept: PostgreSQL merges it into the inherited one, which the model
 *		then holds on the parent only.
 */
bool
ss_constraint_kept_by_link(SsDiff *d, SsObject *cur)
{
	SsObject   *wtable;
	ListCell   *lc;

	if (cur->props[KP_TYPE][0] != 'c' || cur->parentobj == NULL ||
		find_links(d, cur->parentobj->key, true) == NIL)
		return false;
	wtable = ss_object_lookup(d->want, cur->parentobj->key);
	foreach(lc, table_parents(wtable))
	{
		ListCell   *kc;

		foreach(kc, parent_checks(d->want, lfirst(lc)))
			if (strcmp(((SsObject *) lfirst(kc))->name, cur->name) == 0)
				return true;
	}
	return false;
}

/*
 * parent_has_indexes
 *		Whether a partitioned table has indexes (or keys) that ATTACH
 *		PARTITION builds on the partition when it lacks a matching one.
 */
static bool
parent_has_indexes(SsModel *m, const char *parent)
{
	SsObject   *p = ss_object_lookup(m, ss_make_key(SS_TABLE, NULL, parent));
	ListCell   *lc;

	if (p == NULL)
		return false;
	foreach(lc, p->children)
	{
		SsObject   *o = lfirst(lc);

		if (o->kind == SS_INDEX ||
			(o->kind == SS_CONSTRAINT && strchr("pux", o->props[KP_TYPE][0])))
			return true;
	}
	return false;
}

/*
 * ss_partition_table_diff
 *		The partitioning and inheritance part of altering a table.  Returns
 *		the reason when the table must be replaced instead (its partition
 *		key changes); else emits DETACH/ATTACH PARTITION and NO INHERIT/
 *		INHERIT as needed and returns NULL.
 */
const char *
ss_partition_table_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	const char *qname = ss_qualified(d->target, want->name);
	SsChange   *last = NULL;
	List	   *oldinh;
	List	   *newinh;
	ListCell   *lc;

	if (!ss_streq(cur->props[TP_PARTKEY], want->props[TP_PARTKEY]))
	{
		if (cur->props[TP_PARTKEY] == NULL)
			return "table becomes partitioned";
		if (want->props[TP_PARTKEY] == NULL)
			return "table is no longer partitioned";
		return psprintf("partition key %s becomes %s",
						cur->props[TP_PARTKEY], want->props[TP_PARTKEY]);
	}

	/* classic inheritance: parents removed, then parents added */
	oldinh = cur->props[TP_INHERITS] ? table_parents(cur) : NIL;
	newinh = want->props[TP_INHERITS] ? table_parents(want) : NIL;
	foreach(lc, oldinh)
	{
		if (name_member(newinh, lfirst(lc)))
			continue;
		last = link_change(d, cur, want,
						   psprintf("ALTER TABLE %s NO INHERIT %s;", qname,
									ss_qualified(d->target, lfirst(lc))),
						   RS_NOINH, last);
		last = drop_detached_copies(d, cur, want, lfirst(lc), last);
	}

	/* a partition that changes parent or bound: detach, then attach */
	if (cur->props[TP_PARTOF] &&
		(!ss_streq(cur->props[TP_PARTOF], want->props[TP_PARTOF]) ||
		 !ss_streq(cur->props[TP_PARTBOUND], want->props[TP_PARTBOUND])))
	{
		last = link_change(d, cur, want,
						   psprintf("ALTER TABLE %s DETACH PARTITION %s;",
									ss_qualified(d->target, cur->props[TP_PARTOF]), qname),
						   RS_DETACH, last);
		/* DETACH takes AccessExclusiveLock on the parent too */
		last->nodeps = true;
		last = drop_detached_copies(d, cur, want, NULL, last);
	}
	if (want->props[TP_PARTOF] &&
		(!ss_streq(cur->props[TP_PARTOF], want->props[TP_PARTOF]) ||
		 !ss_streq(cur->props[TP_PARTBOUND], want->props[TP_PARTBOUND])))
	{
		last = add_parent_checks(d, cur, want, want->props[TP_PARTOF], last);
		last = link_change(d, cur, want,
						   psprintf("ALTER TABLE %s ATTACH PARTITION %s %s;",
									ss_qualified(d->target, want->props[TP_PARTOF]), qname,
									want->props[TP_PARTBOUND] ? want->props[TP_PARTBOUND] : "DEFAULT"),
						   RS_ATTACH, last);

		/*
		 * ShareUpdateExclusiveLock on the parent, AccessExclusiveLock on the
		 * table attached (and on a default partition, which is scanned for
		 * rows of the new bound); the table is scanned unless a CHECK
		 * constraint proves its rows fit the bound.
		 */
		last->hazards |= SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL;
		if (parent_has_indexes(d->want, want->props[TP_PARTOF]))
			last->hazards |= SS_HZ_INDEX_BUILD;
		last->needs = lappend(last->needs, ss_make_key(SS_TABLE, NULL, want->props[TP_PARTOF]));
	}

	foreach(lc, newinh)
	{
		if (name_member(oldinh, lfirst(lc)))
			continue;
		last = add_parent_checks(d, cur, want, lfirst(lc), last);
		last = link_change(d, cur, want,
						   psprintf("ALTER TABLE %s INHERIT %s;", qname,
									ss_qualified(d->target, lfirst(lc))),
						   RS_INH, last);
		last->needs = lappend(last->needs, ss_make_key(SS_TABLE, NULL, lfirst(lc)));
	}
	return NULL;
}

/*
 * ss_partition_drop_absorber
 *		The drop of the partitioned table that drops a partition with it, or
 *		NULL.
 */
SsChange *
ss_partition_drop_absorber(SsDiff *d, SsObject *cur)
{
	if (cur->props[TP_PARTOF] == NULL)
		return NULL;
	return ss_drop_of(d, ss_make_key(SS_TABLE, NULL, cur->props[TP_PARTOF]));
}

/*
 * ss_inherited_column_defer
 *		Put off the comparison of a column that is inherited on either side
 *		until every parent column is diffed; true when deferred.
 */
bool
ss_inherited_column_defer(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (ss_diffing_deferred)
		return false;
	if ((cur == NULL || cur->props[CP_INHERITED] == NULL) &&
		(want == NULL || want->props[CP_INHERITED] == NULL))
		return false;
	d->deferred = lappend(d->deferred, list_make2(cur, want));
	return true;
}

/*
 * inheritance_depth
 *		How many levels of parents a table has in a model (bounded).
 */
static int
inheritance_depth(SsModel *m, SsObject *t, int limit)
{
	int			depth = 0;
	ListCell   *lc;

	if (t == NULL || limit <= 0)
		return 0;
	foreach(lc, table_parents(t))
	{
		SsObject   *p = ss_object_lookup(m, ss_make_key(SS_TABLE, NULL, lfirst(lc)));
		int			pd = 1 + inheritance_depth(m, p, limit - 1);

		depth = Max(depth, pd);
	}
	return depth;
}

/*
 * changes_with
 *		The statements among the changes of a key whose DDL holds a text.
 */
static bool
changes_with(SsDiff *d, const char *key, const char *text)
{
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, key))
	{
		SsChange   *c = lfirst(lc);

		if (c->ddl && strstr(c->ddl, text))
			return true;
	}
	return false;
}

/*
 * statements_of
 *		The changes with a statement of a key.
 */
static List *
statements_of(SsDiff *d, const char *key)
{
	List	   *found = NIL;
	ListCell   *lc;

	foreach(lc, ss_changes_of(d, key))
		if (((SsChange *) lfirst(lc))->ddl)
			found = lappend(found, lfirst(lc));
	return found;
}

/*
 * inherited_column_diff
 *		Diff one inherited column, against what it will be once its parent's
 *		statements have run (PostgreSQL propagates them to the children).
 */
static void
inherited_column_diff(SsDiff *d, SsObject *cur, SsObject *want,
					  void (*coldiff) (SsDiff *d, SsObject *cur, SsObject *want))
{
	const char *tablekey = (want ? want : cur)->parentobj->key;
	SsObject   *ctable = ss_object_lookup(d->cur, tablekey);
	SsObject   *wtable = ss_object_lookup(d->want, tablekey);
	List	   *before = NIL;	/* changes the column's must follow */
	List	   *ahead = NIL;	/* changes that must follow the column's */
	List	   *staying = NIL;
	ListCell   *lc;
	SsObject   *eff = NULL;
	int			first = list_length(d->changes);

	/*
	 * The effective column below is a copy: its generation expression, when
	 * left for later, is deparsed from the same catalog row on demand, or
	 * first when it is overwritten (ss_set_prop, ss_copy_props).
	 */

	/* parents the child has on both sides, and that stay */
	if (ctable && wtable)
		foreach(lc, table_parents(ctable))
			if (name_member(table_parents(wtable), lfirst(lc)) &&
				ss_drop_of(d, ss_make_key(SS_TABLE, NULL, lfirst(lc))) == NULL)
				staying = lappend(staying, lfirst(lc));

	if (want == NULL)
	{
		if (!ss_parent_dropped(d, cur))
		{
			foreach(lc, staying)
			{
				SsChange   *pdrop = ss_drop_of(d, ss_make_key(SS_COLUMN, lfirst(lc), cur->name));

				if (pdrop && ss_streq(cur->props[CP_INHERITED], "inherited"))
				{
					/* the parent's DROP COLUMN drops it here too */
					SsChange   *c = ss_add_change(d, NULL, cur, NULL, SS_ACT_DROP, NULL);

					c->absorbed_into = pdrop;
					return;
				}
			}
			before = find_links(d, tablekey, false);
		}
		coldiff(d, cur, NULL);
	}
	else if (cur == NULL)
	{
		if (ss_parent_created(d, want))
		{
			coldiff(d, NULL, want);
			/* an INHERITS child takes an inherited column's settings from its parent */
			if (wtable->props[TP_PARTOF] == NULL &&
				ss_streq(want->props[CP_INHERITED], "inherited"))
			{
				SsObject   *pcol = parent_column(d->want, wtable, want->name);

				if (pcol)
				{
					eff = ss_object_copy(want, NULL);
					ss_set_prop(eff, CP_DEFAULT, ss_prop(pcol, CP_DEFAULT));
					eff->props[CP_NOT_NULL] = pcol->props[CP_NOT_NULL];
					before = list_concat(before, statements_of(d, pcol->key));
					before = list_concat(before, statements_of(d, wtable->key));
				}
			}
		}
		else
		{
			SsObject   *pcol = NULL;

			foreach(lc, staying)
			{
				char	   *pkey = ss_make_key(SS_COLUMN, lfirst(lc), want->name);

				if (ss_object_lookup(d->cur, pkey) == NULL && ss_object_created(d, pkey))
					pcol = ss_object_lookup(d->want, pkey);
			}
			if (pcol)
			{
				/* the parent's ADD COLUMN adds it here too, as the parent's */
				SsChange   *c = ss_add_change(d, NULL, NULL, want, SS_ACT_CREATE, NULL);
				ListCell   *pc;

				foreach(pc, ss_changes_of(d, pcol->key))
					if (SS_ACT_IS_CREATE(((SsChange *) lfirst(pc))->action) &&
						((SsChange *) lfirst(pc))->ddl)
						c->absorbed_into = lfirst(pc);
				eff = ss_object_copy(want, NULL);
				ss_copy_props(eff, pcol);
				eff->props[CP_COMMENT] = NULL;
				eff->props[CP_INHERITED] = want->props[CP_INHERITED];
				before = statements_of(d, pcol->key);
				first = list_length(d->changes);
			}
			else
			{
				/* added to the table before it is attached to its parent */
				ahead = find_links(d, tablekey, true);
				coldiff(d, NULL, want);
			}
		}
	}
	else
	{
		SsObject   *pcol = NULL;

		eff = ss_object_copy(cur, NULL);
		foreach(lc, staying)
		{
			SsObject   *p = ss_object_lookup(d->want, ss_make_key(SS_COLUMN, lfirst(lc), want->name));

			if (p && ss_object_lookup(d->cur, p->key))
			{
				pcol = p;
				break;
			}
		}
		if (pcol)
		{
			/* the parent's statements set these for its children */
			eff->props[CP_TYPE] = want->props[CP_TYPE];
			eff->props[CP_COLLATION] = want->props[CP_COLLATION];
			ss_set_prop(eff, CP_GENERATED, ss_prop(want, CP_GENERATED));
			eff->props[CP_IDENTITY] = want->props[CP_IDENTITY];
			eff->props[CP_IDENTITY_OPTIONS] = want->props[CP_IDENTITY_OPTIONS];
			eff->typoid = want->typoid;
			eff->typmod = want->typmod;
			if (changes_with(d, pcol->key, " DEFAULT"))
				ss_set_prop(eff, CP_DEFAULT, ss_prop(pcol, CP_DEFAULT));
			if (changes_with(d, pcol->key, " NOT NULL"))
				eff->props[CP_NOT_NULL] = pcol->props[CP_NOT_NULL];
			before = statements_of(d, pcol->key);
		}
		else
		{
			/* own changes: after a detach, before an attach */
			before = find_links(d, tablekey, false);
			ahead = find_links(d, tablekey, true);
		}
	}

	if (eff)
		coldiff(d, eff, want);

	for_each_from(lc, d->changes, first)
	{
		SsChange   *c = lfirst(lc);
		ListCell   *bc;

		if (c->ddl == NULL)
			continue;
		foreach(bc, before)
			if (lfirst(bc) != c)
				c->after = lappend(c->after, lfirst(bc));
		foreach(bc, ahead)
			((SsChange *) lfirst(bc))->after =
				lappend(((SsChange *) lfirst(bc))->after, c);
	}
}

/* a deferred column and the inheritance depth of its table */
typedef struct SsDeferred
{
	SsObject   *cur;
	SsObject   *want;
	int			depth;
} SsDeferred;

/*
 * deferred_depth_cmp
 *		list_sort comparator: columns of shallower tables first, else in the
 *		order they were deferred.
 */
static int
deferred_depth_cmp(const ListCell *a, const ListCell *b)
{
	SsDeferred *x = lfirst(a);
	SsDeferred *y = lfirst(b);

	return x->depth - y->depth;
}

/*
 * ss_inherited_columns_diff
 *		Diff the deferred inherited columns, parents before children.
 */
void
ss_inherited_columns_diff(SsDiff *d)
{
	List	   *pairs = NIL;
	ListCell   *lc;

	foreach(lc, d->deferred)
	{
		List	   *pair = lfirst(lc);
		SsDeferred *p = palloc(sizeof(SsDeferred));

		p->cur = linitial(pair);
		p->want = lsecond(pair);
		p->depth = p->want ? inheritance_depth(d->want, p->want->parentobj, 32)
			: inheritance_depth(d->cur, p->cur->parentobj, 32);
		pairs = lappend(pairs, p);
	}
	d->deferred = NIL;
	list_sort(pairs, deferred_depth_cmp);
	ss_diffing_deferred = true;
	PG_TRY();
	{
		foreach(lc, pairs)
		{
			SsDeferred *p = lfirst(lc);

			inherited_column_diff(d, p->cur, p->want, ss_kind_ops[SS_COLUMN]->diff);
		}
	}
	PG_FINALLY();
	{
		ss_diffing_deferred = false;
	}
	PG_END_TRY();
}
