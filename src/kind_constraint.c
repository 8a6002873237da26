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
 * They are read by one heap scan of pg_constraint, not by SQL: the server's
 * deparsers are called directly, and the rows join the model sorted by
 * table and constraint name, bytewise.
 *
 * src/kind_constraint.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/pg_class.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

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

/* one constraint of the schema, as the scan of pg_constraint found it */
typedef struct ConRow
{
	SsObject   *table;			/* its table, in the model being read */
	char	   *name;
	char	   *type;
	char	   *def;			/* pg_get_constraintdef(), WITH options */
	char	   *check;			/* the expression of a CHECK constraint */
	Oid			oid;
	Oid			indid;			/* the index of a key or exclusion constraint */
	char	   *raw;			/* a CHECK's raw key, when not deparsed yet */
} ConRow;

/*
 * deparse_call
 *		Call one of the server's deparsing functions (pg_get_constraintdef,
 *		pg_get_expr) as SQL does, and return its text in the memory context
 *		into; NULL when it returns NULL, as for an object dropped
 *		concurrently.  Its garbage stays in the current memory context.
 */
static char *
deparse_call(PGFunction fn, int nargs, Datum arg0, Datum arg1,
			 MemoryContext into)
{
	LOCAL_FCINFO(fcinfo, 2);
	Datum		result;
	MemoryContext old;
	char	   *str;

	InitFunctionCallInfoData(*fcinfo, NULL, nargs, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg0;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = arg1;
	fcinfo->args[1].isnull = false;
	result = (*fn) (fcinfo);
	if (fcinfo->isnull)
		return NULL;
	old = MemoryContextSwitchTo(into);
	str = TextDatumGetCString(result);
	MemoryContextSwitchTo(old);
	return str;
}

/*
 * index_options
 *		The storage parameters of an index, as array_to_string(reloptions,
 *		', ') gives them; NULL when it has none.
 */
static char *
index_options(Oid indid)
{
	HeapTuple	tup;
	Datum		value;
	bool		isnull;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	StringInfoData buf;

	tup = SearchSysCache1(RELOID, ObjectIdGetDatum(indid));
	if (!HeapTupleIsValid(tup))
		return NULL;
	value = SysCacheGetAttr(RELOID, tup, Anum_pg_class_reloptions, &isnull);
	if (isnull)
	{
		ReleaseSysCache(tup);
		return NULL;
	}
	deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false,
					  TYPALIGN_INT, &elems, &nulls, &n);
	initStringInfo(&buf);
	for (i = 0; i < n; i++)
	{
		/* array_to_string() without a null string skips NULL elements */
		if (nulls[i])
			continue;
		if (buf.len > 0)
			appendStringInfoString(&buf, ", ");
		appendStringInfoString(&buf, TextDatumGetCString(elems[i]));
	}
	ReleaseSysCache(tup);
	return buf.data;
}

/*
 * check_raw
 *		The raw key of a CHECK constraint (docs/design.md, "Reading fast"),
 *		or NULL when its table's columns are not known: its flags, the node
 *		tree of its expression without parse locations (columns by number,
 *		built-in functions and operators by OID; a schema-local object
 *		referenced has a different OID on each side), and the number, name,
 *		type and collation of every column of its table.  Everything
 *		pg_get_constraintdef() prints for a CHECK comes from these.
 */
static char *
check_raw(Form_pg_constraint co, SsObject *table, HeapTuple tup, TupleDesc desc)
{
	StringInfoData buf;
	Datum		bin;
	bool		isnull;

	if (!ss_read_raw || table->colsig == NULL)
		return NULL;
	bin = heap_getattr(tup, Anum_pg_constraint_conbin, desc, &isnull);
	if (isnull)
		return NULL;
	initStringInfo(&buf);
	appendStringInfo(&buf, "c %d %d ", (int) co->convalidated, (int) co->connoinherit);
	ss_raw_append(&buf, TextDatumGetCString(bin), true);
	return buf.data;
}

/*
 * check_resolve
 *		Deparse a CHECK constraint read with a raw key (SsObject.resolve):
 *		its definition and its expression, as the reader does.
 */
static void
check_resolve(SsObject *k)
{
	MemoryContext into = CurrentMemoryContext;
	MemoryContext tmp = AllocSetContextCreate(into, "schemasync check",
											  ALLOCSET_SMALL_SIZES);
	HeapTuple	tup;
	Datum		bin;
	bool		isnull;

	MemoryContextSwitchTo(tmp);
	k->props[KP_DEFINITION] = deparse_call(pg_get_constraintdef, 1,
										   ObjectIdGetDatum(k->oid), (Datum) 0, into);
	tup = SearchSysCache1(CONSTROID, ObjectIdGetDatum(k->oid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for constraint %u", k->oid);
	bin = SysCacheGetAttr(CONSTROID, tup, Anum_pg_constraint_conbin, &isnull);
	if (!isnull)
		k->aux = deparse_call(pg_get_expr, 2, bin, ObjectIdGetDatum(k->reloid), into);
	ReleaseSysCache(tup);
	MemoryContextSwitchTo(into);
	MemoryContextDelete(tmp);
	if (k->props[KP_DEFINITION] == NULL)
		elog(ERROR, "constraint %u has no definition", k->oid);
}

/*
 * conrow_cmp
 *		qsort order of constraints: by table name, then by name, bytewise
 *		as COLLATE "C" sorts, the order in which they join the model.
 */
static int
conrow_cmp(const void *a, const void *b)
{
	const ConRow *x = (const ConRow *) a;
	const ConRow *y = (const ConRow *) b;
	int			c = strcmp(x->table->name, y->table->name);

	return c != 0 ? c : strcmp(x->name, y->name);
}

/*
 * ss_read_constraints
 *		All constraints of the tables of a schema, in one heap scan of
 *		pg_constraint.  A row is kept when its table was read into the model
 *		(so it is in this schema and no extension member) and the
 *		constraint is the table's own: neither inherited nor cloned from a
 *		partitioned parent.  Definitions come from the server's own
 *		pg_get_constraintdef() and pg_get_expr(), with search_path set to the
 *		schema by ss_read_schema; the model's texts are allocated in the
 *		memory context current at the call, the model's.
 */
void
ss_read_constraints(SsModel *m, Oid nsp)
{
	MemoryContext modelcxt = CurrentMemoryContext;
	MemoryContext scratch;
	MemoryContext rowcxt;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	ConRow	   *rows;
	int			nrows = 0;
	int			maxrows = 256;
	int			i;

	(void) nsp;					/* the tables of the model stand for it */

	/* the rows until they are sorted, and the garbage of deparsing one */
	scratch = AllocSetContextCreate(modelcxt, "schemasync constraint rows",
									ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(scratch, "schemasync constraint row",
								   ALLOCSET_DEFAULT_SIZES);
	rows = MemoryContextAlloc(scratch, maxrows * sizeof(ConRow));

	scan = ss_scan_begin(ConstraintRelationId, 0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_constraint co = (Form_pg_constraint) GETSTRUCT(tup);
		SsObject   *table;
		ConRow	   *row;
		char	   *def;
		char	   *raw;
		char	   *opts = NULL;

		if (co->contype != CONSTRAINT_PRIMARY &&
			co->contype != CONSTRAINT_UNIQUE &&
			co->contype != CONSTRAINT_CHECK &&
			co->contype != CONSTRAINT_FOREIGN &&
			co->contype != CONSTRAINT_EXCLUSION)
			continue;
		if (OidIsValid(co->conparentid) || co->coninhcount != 0)
			continue;
		table = ss_model_table(co->conrelid);
		if (table == NULL)
			continue;

		MemoryContextSwitchTo(rowcxt);
		raw = (co->contype == CONSTRAINT_CHECK) ?
			check_raw(co, table, tup, RelationGetDescr(rel)) : NULL;
		if (raw != NULL)
			def = "";			/* deparsed on demand */
		else
			def = deparse_call(pg_get_constraintdef, 1,
							   ObjectIdGetDatum(co->oid), (Datum) 0, rowcxt);
		if (def == NULL)
		{
			/* dropped concurrently */
			MemoryContextSwitchTo(modelcxt);
			MemoryContextReset(rowcxt);
			continue;
		}
		if (nrows == maxrows)
		{
			maxrows *= 2;
			rows = repalloc_huge(rows, maxrows * sizeof(ConRow));
		}
		row = &rows[nrows++];
		row->table = table;
		row->name = MemoryContextStrdup(scratch, NameStr(co->conname));
		row->type = MemoryContextAlloc(modelcxt, 2);
		row->type[0] = co->contype;
		row->type[1] = '\0';
		row->oid = co->oid;
		row->indid = co->conindid;
		row->check = NULL;
		row->raw = raw ? MemoryContextStrdup(modelcxt, raw) : NULL;
		if (co->contype == CONSTRAINT_CHECK && raw == NULL)
		{
			Datum		bin;
			bool		isnull;

			bin = heap_getattr(tup, Anum_pg_constraint_conbin,
							   RelationGetDescr(rel), &isnull);
			if (!isnull)
				row->check = deparse_call(pg_get_expr, 2, bin,
										  ObjectIdGetDatum(co->conrelid),
										  modelcxt);
		}
		if ((co->contype == CONSTRAINT_PRIMARY ||
			 co->contype == CONSTRAINT_UNIQUE) && OidIsValid(co->conindid))
			opts = index_options(co->conindid);
		MemoryContextSwitchTo(modelcxt);
		if (raw != NULL)
			row->def = NULL;
		else
		{
			row->def = with_index_options(def, opts);
			if (row->def == def)
				row->def = pstrdup(def);
		}
		MemoryContextReset(rowcxt);
	}
	ss_scan_end(scan, rel);

	/* the model keeps them by table and name, as COLLATE "C" sorts */
	qsort(rows, nrows, sizeof(ConRow), conrow_cmp);
	for (i = 0; i < nrows; i++)
	{
		ConRow	   *row = &rows[i];
		SsObject   *k = ss_object_add(m, SS_CONSTRAINT, m->schema,
									  row->table->name, row->name);

		k->props[KP_TYPE] = row->type;
		k->props[KP_DEFINITION] = row->def;
		k->aux = row->check;
		k->oid = row->oid;
		k->reloid = row->table->oid;
		if (row->raw != NULL)
		{
			k->raw = row->raw;
			k->rawcols = row->table->colsig;
			k->resolve = check_resolve;
		}
		ss_register_addr(ConstraintRelationId, k->oid, 0, k);
		/* the index behind a key or exclusion constraint stands for it */
		if (strchr("pux", row->type[0]) && OidIsValid(row->indid))
			ss_register_addr(RelationRelationId, row->indid, 0, k);
	}
	MemoryContextDelete(scratch);

	ss_read_comments(ConstraintRelationId, SS_CONSTRAINT, KP_COMMENT);
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
	ss_resolve(cur);
	ss_resolve(want);
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
	/* equal catalog rows: only the comment may differ */
	if (cur != NULL && want != NULL && ss_raw_equal(cur, want))
	{
		if (!ss_streq(cur->props[KP_COMMENT], want->props[KP_COMMENT]))
			ss_emit_comment(d, cur, want, "CONSTRAINT",
							psprintf("%s ON %s", quote_identifier(want->name),
									 ss_target_table(d, want)),
							KP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
		return;
	}
	if (cur != NULL)
		ss_resolve(cur);
	if (want != NULL)
		ss_resolve(want);
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
