/*-------------------------------------------------------------------------
 *
 * kind_table.c
 *	  Tables and their columns: reading, comparing and emitting DDL.
 *
 * A table is created with all its columns in one CREATE TABLE; constraints
 * and indexes follow as statements of their own, so that foreign keys can
 * be ordered after every table they reference.  Columns of an existing
 * table are added, dropped and altered in place: type (with USING when no
 * assignment cast exists), collation, default, NOT NULL, identity and its
 * sequence options.  A change of generation expression re-creates the
 * column, since PostgreSQL 15 cannot alter it.  Column order is not
 * compared: ADD COLUMN appends, and reordering would rewrite the table.
 *
 * src/kind_table.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/transam.h"
#include "catalog/dependency.h"
#include "catalog/namespace.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_class.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "nodes/nodeFuncs.h"
#include "optimizer/optimizer.h"
#include "parser/parse_coerce.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "schemasync.h"

static const char *const table_propnames[TP_NUM] = {
	"unlogged", "reloptions", "comment", "partition_by", "partition_of",
	"partition_bound", "inherits", "row_security", "force_row_security"
};

static const char *const column_propnames[CP_NUM] = {
	"type", "collation", "not_null", "default", "identity",
	"identity_options", "generated", "comment", "inherited"
};

/* a table's parents, from pg_inherits (table_parents_read) */
typedef struct TableParents
{
	Oid			child;			/* hash key */
	List	   *parents;		/* of InhRow *, by inhseqno */
} TableParents;

/* one pg_inherits row */
typedef struct InhRow
{
	Oid			parent;
	int32		seqno;
} InhRow;

/*
 * inh_row_cmp
 *		list_sort order of a table's parents: as INHERITS lists them.
 */
static int
inh_row_cmp(const ListCell *a, const ListCell *b)
{
	int32		x = ((InhRow *) lfirst(a))->seqno;
	int32		y = ((InhRow *) lfirst(b))->seqno;

	return (x > y) - (x < y);
}

/*
 * table_parents_read
 *		The parents of each table of the schema (ss_rel), by child: one heap
 *		scan of pg_inherits.  NULL when no table of the schema has one.
 */
static HTAB *
table_parents_read(void)
{
	HTAB	   *parents = NULL;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	HASH_SEQ_STATUS seq;
	TableParents *tp;

	scan = ss_scan_begin(InheritsRelationId, 0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_inherits inh = (Form_pg_inherits) GETSTRUCT(tup);
		SsRel	   *child = ss_rel(inh->inhrelid);
		InhRow	   *row;
		bool		found;

		if (child == NULL || (child->relkind != RELKIND_RELATION &&
							  child->relkind != RELKIND_PARTITIONED_TABLE))
			continue;
		if (parents == NULL)
			parents = ss_oid_hash_create("schemasync table parents",
										 sizeof(TableParents), 64);
		tp = hash_search(parents, &inh->inhrelid, HASH_ENTER, &found);
		if (!found)
			tp->parents = NIL;
		row = palloc(sizeof(InhRow));
		row->parent = inh->inhparent;
		row->seqno = inh->inhseqno;
		tp->parents = lappend(tp->parents, row);
	}
	ss_scan_end(scan, rel);
	if (parents != NULL)
	{
		hash_seq_init(&seq, parents);
		while ((tp = hash_seq_search(&seq)) != NULL)
			list_sort(tp->parents, inh_row_cmp);
	}
	return parents;
}

/*
 * parent_name
 *		The name of a parent table: of the schema's pg_class rows (ss_rel),
 *		or looked up when it is in another schema.
 */
static char *
parent_name(Oid relid)
{
	SsRel	   *r = ss_rel(relid);

	return r ? pstrdup(NameStr(r->relname)) : get_rel_name(relid);
}

/*
 * ss_read_tables
 *		All ordinary and partitioned tables of a schema that are not
 *		extension members, from the schema's pg_class rows as ss_read_schema
 *		read them (ss_rels), their parents from one scan of pg_inherits
 *		(when it has rows); the partition key and bound deparsed.  Their
 *		comments come later, with the other relations' (ss_read_schema).
 *		Ordered by name, bytewise.
 */
void
ss_read_tables(SsModel *m, Oid nsp)
{
	HTAB	   *parents = NULL;
	SsRel	  **rows;
	int			nrows;
	int			i;

	rows = ss_rels_modeled(RELKIND_RELATION, &nrows);
	if (nrows == 0)
		return;
	if (ss_catalog_has_rows(InheritsRelationId, 0, InvalidOid))
		parents = table_parents_read();

	for (i = 0; i < nrows; i++)
	{
		SsRel	   *r = rows[i];
		SsObject   *t = ss_object_add(m, SS_TABLE, m->schema, NULL,
									  NameStr(r->relname));
		TableParents *tp = parents ?
			hash_search(parents, &r->oid, HASH_FIND, NULL) : NULL;

		t->oid = r->oid;
		t->reloid = t->oid;
		if (r->persistence == RELPERSISTENCE_UNLOGGED)
			t->props[TP_UNLOGGED] = "true";
		/* the pg_class rows go when the schema is read */
		if (r->relopts != NULL)
			t->props[TP_RELOPTIONS] = pstrdup(r->relopts);
		if (r->relkind == RELKIND_PARTITIONED_TABLE)
			t->props[TP_PARTKEY] = ss_deparse(pg_get_partkeydef, 1,
											  ObjectIdGetDatum(r->oid), (Datum) 0,
											  CurrentMemoryContext);
		if (r->ispartition)
		{
			if (tp != NULL)
				t->props[TP_PARTOF] =
					parent_name(((InhRow *) linitial(tp->parents))->parent);
			if (r->partbound != NULL)
				t->props[TP_PARTBOUND] =
					ss_deparse(pg_get_expr, 2, CStringGetTextDatum(r->partbound),
							   ObjectIdGetDatum(r->oid), CurrentMemoryContext);
		}
		else if (tp != NULL)
		{
			StringInfoData buf;
			ListCell   *lc;

			initStringInfo(&buf);
			foreach(lc, tp->parents)
				appendStringInfo(&buf, "%s%s", foreach_current_index(lc) ? ", " : "",
								 quote_identifier(parent_name(((InhRow *) lfirst(lc))->parent)));
			t->props[TP_INHERITS] = pstrdup(buf.data);
			pfree(buf.data);
		}
		if (r->rowsecurity)
			t->props[TP_ROW_SECURITY] = "true";
		if (r->forcerowsecurity)
			t->props[TP_FORCE_ROW_SECURITY] = "true";
		ss_register_addr(RelationRelationId, t->oid, 0, t);
		ss_register_addr(TypeRelationId, r->reltype, 0, t);
	}
	pfree(rows);
	if (parents)
		hash_destroy(parents);
}

/* one column as read from pg_attribute, before it becomes a model object */
typedef struct SsAttRow
{
	SsObject   *table;
	FormData_pg_attribute att;
} SsAttRow;

/*
 * att_row_cmp
 *		qsort order of the columns read: by table name (bytewise, as the
 *		tables were read) and column number.
 */
static int
att_row_cmp(const void *a, const void *b)
{
	const SsAttRow *x = a;
	const SsAttRow *y = b;
	int			c;

	if (x->table != y->table)
	{
		c = strcmp(x->table->name, y->table->name);
		if (c != 0)
			return c;
	}
	return (int) x->att.attnum - (int) y->att.attnum;
}

/* a type's text as format_type gives it, for one (type, typmod) */
typedef struct SsTypeText
{
	Oid			typid;			/* hash key: typid and typmod */
	int32		typmod;
	char	   *text;
} SsTypeText;

/*
 * column_type_text
 *		format_type(typid, typmod), computed once per pair in a read: a
 *		schema of 10,000 tables has a hundred thousand columns of a few
 *		dozen types.  The columns share the text, which lives in the
 *		model's context.
 */
static char *
column_type_text(HTAB *cache, Oid typid, int32 typmod)
{
	SsTypeText	key;
	SsTypeText *entry;
	bool		found;

	memset(&key, 0, sizeof(key));
	key.typid = typid;
	key.typmod = typmod;
	entry = hash_search(cache, &key, HASH_ENTER, &found);
	if (!found)
	{
		MemoryContext back = ss_scratch_begin();
		Datum		type = DirectFunctionCall2(format_type, ObjectIdGetDatum(typid),
											   Int32GetDatum(typmod));

		MemoryContextSwitchTo(back);
		entry->text = TextDatumGetCString(type);
	}
	return entry->text;
}

/*
 * column_collation
 *		The collation of a column when it is not its type's, as it is
 *		written after COLLATE: unqualified when in pg_catalog or in the
 *		schema being read.
 */
static char *
column_collation(Form_pg_attribute att, Oid nsp)
{
	HeapTuple	tup;
	Form_pg_collation coll;
	char	   *result;

	if (!OidIsValid(att->attcollation) ||
		att->attcollation == get_typcollation(att->atttypid))
		return NULL;
	tup = SearchSysCache1(COLLOID, ObjectIdGetDatum(att->attcollation));
	if (!HeapTupleIsValid(tup))
		return NULL;
	coll = (Form_pg_collation) GETSTRUCT(tup);
	if (coll->collnamespace == PG_CATALOG_NAMESPACE || coll->collnamespace == nsp)
		result = pstrdup(quote_identifier(NameStr(coll->collname)));
	else
		result = quote_qualified_identifier(get_namespace_name(coll->collnamespace),
											NameStr(coll->collname));
	ReleaseSysCache(tup);
	return result;
}

/*
 * column_resolve
 *		Deparse the default or generation expression of a column read with a
 *		raw key (ss_column_lazy, ss_default_lazy): its pg_attrdef row, found
 *		by the table and the column number, through pg_get_expr as the
 *		reader does.
 *		For a default, whether it calls a volatile function is decided here
 *		too (ADD COLUMN's hazards ask, through ss_prop).
 */
static void
column_resolve(SsObject *col)
{
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key[2];
	HeapTuple	tup;
	Datum		adbin;
	bool		isnull = true;
	bool		generated = col->props[CP_GENERATED] != NULL;
	Oid			exprrel = col->reloid;
	char	   *expr;

	ScanKeyInit(&key[0], Anum_pg_attrdef_adrelid, BTEqualStrategyNumber,
				F_OIDEQ, ObjectIdGetDatum(col->reloid));
	ScanKeyInit(&key[1], Anum_pg_attrdef_adnum, BTEqualStrategyNumber,
				F_INT2EQ, Int16GetDatum(col->position));
	rel = table_open(AttrDefaultRelationId, AccessShareLock);
	scan = systable_beginscan(rel, AttrDefaultIndexId, true, NULL, 2, key);
	tup = systable_getnext(scan);
	adbin = HeapTupleIsValid(tup) ?
		heap_getattr(tup, Anum_pg_attrdef_adbin, RelationGetDescr(rel), &isnull) :
		(Datum) 0;
	if (!HeapTupleIsValid(tup) || isnull)
		ss_dropped_concurrently(col);
	if (!generated)
	{
		MemoryContext tmp = AllocSetContextCreate(CurrentMemoryContext,
												  "schemasync default",
												  ALLOCSET_SMALL_SIZES);
		MemoryContext back = MemoryContextSwitchTo(tmp);
		Node	   *node = stringToNode(TextDatumGetCString(adbin));

		/* as read_column_defaults does: a default names no column */
		if (!contain_var_clause(node))
			exprrel = InvalidOid;
		col->volatile_default = contain_volatile_functions(node);
		MemoryContextSwitchTo(back);
		MemoryContextDelete(tmp);
	}
	expr = ss_deparse_of(col, pg_get_expr, 2, adbin, ObjectIdGetDatum(exprrel));
	if (generated)
		col->props[CP_GENERATED] = expr;
	else
		col->props[CP_DEFAULT] = expr;
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
}

/*
 * default_share
 *		SsLazy share callback of a default read with a raw key: a default
 *		names no column (read_column_defaults), so its text and volatility
 *		are those of any default of the same key.
 */
static void
default_share(SsObject *col, SsObject *like)
{
	col->props[CP_DEFAULT] = like->props[CP_DEFAULT];
	col->volatile_default = like->volatile_default;
}

/* a generation expression read with a raw key: CP_GENERATED waits */
const SsLazy ss_column_lazy = {
	column_resolve, SS_LAZY_PROP(CP_GENERATED), false, NULL
};

/* a default read with a raw key: CP_DEFAULT waits (and volatile_default) */
const SsLazy ss_default_lazy = {
	column_resolve, SS_LAZY_PROP(CP_DEFAULT), false, default_share
};

/*
 * generated_raw
 *		The raw key of a generation expression (docs/design.md, "Reading
 *		fast"), or NULL when it is deparsed on reading: its node tree
 *		without parse locations.  With the table's columns (rawcols), it
 *		holds everything pg_get_expr() prints.  Deparsing it would open the
 *		table and build its relcache entry, which costs more than the rest
 *		of the table's reading.
 */
static char *
generated_raw(SsObject *col, const char *adbin)
{
	SsObject   *t;
	StringInfoData buf;

	if (!ss_read_raw || (t = ss_model_table(col->reloid)) == NULL || t->colsig == NULL)
		return NULL;
	initStringInfo(&buf);
	appendStringInfoString(&buf, "g ");
	ss_raw_append(&buf, adbin, true);
	col->rawcols = t->colsig;
	return buf.data;
}

/*
 * ss_reg_type
 *		Whether a type is one of the reg* types, whose constants hold an OID
 *		and print a name ('s'); 'a' for their array types; else '\0'.
 */
char
ss_reg_type(Oid typid)
{
	switch (typid)
	{
		case REGPROCOID:
		case REGPROCEDUREOID:
		case REGOPEROID:
		case REGOPERATOROID:
		case REGCLASSOID:
		case REGTYPEOID:
		case REGCONFIGOID:
		case REGDICTIONARYOID:
		case REGNAMESPACEOID:
		case REGROLEOID:
#if PG_VERSION_NUM >= 130000
		case REGCOLLATIONOID:
#endif
			return 's';
		case REGPROCARRAYOID:
		case REGPROCEDUREARRAYOID:
		case REGOPERARRAYOID:
		case REGOPERATORARRAYOID:
		case REGCLASSARRAYOID:
		case REGTYPEARRAYOID:
		case REGCONFIGARRAYOID:
		case REGDICTIONARYARRAYOID:
		case REGNAMESPACEARRAYOID:
		case REGROLEARRAYOID:
#if PG_VERSION_NUM >= 130000
		case REGCOLLATIONARRAYOID:
#endif
			return 'a';
		default:
			return '\0';
	}
}

/*
 * local_enum_name
 *		The name of an enum type of the schema read that search_path shows
 *		unqualified (format_type prints it so on either side), or NULL.
 */
static char *
local_enum_name(Oid typid, Oid nsp)
{
	HeapTuple	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	Form_pg_type typ;
	char	   *result = NULL;

	if (!HeapTupleIsValid(tup))
		return NULL;
	typ = (Form_pg_type) GETSTRUCT(tup);
	if (typ->typnamespace == nsp && typ->typtype == TYPTYPE_ENUM &&
		TypeIsVisible(typid))
		result = pstrdup(NameStr(typ->typname));
	ReleaseSysCache(tup);
	return result;
}

/*
 * const_oid
 *		The OID a by-value constant's bytes hold (":constvalue 4 [ b0 ... ]"
 *		as outDatum prints it, the Datum's bytes in memory order), with *end
 *		after the closing bracket; InvalidOid when it is not such a list.
 */
static Oid
const_oid(const char *p, const char **end)
{
	Datum		d = (Datum) 0;
	char		bytes[sizeof(Datum)];
	char	   *e;
	int			i;

	(void) strtol(p, &e, 10);
	p = e;
	while (*p == ' ')
		p++;
	if (*p != '[')
		return InvalidOid;
	p++;
	for (i = 0; i < (int) sizeof(Datum); i++)
	{
		bytes[i] = (char) strtol(p, &e, 10);
		if (e == p)
			return InvalidOid;
		p = e;
	}
	while (*p == ' ')
		p++;
	if (*p != ']')
		return InvalidOid;
	*end = p + 1;
	memcpy(&d, bytes, sizeof(Datum));
	return DatumGetObjectId(d);
}

/*
 * default_raw
 *		The raw key of a default (docs/design.md, "Reading fast"), or NULL
 *		when it is deparsed on reading: its node tree without parse
 *		locations, in which what pg_get_expr() prints by the name of an
 *		object of the schema read is that name instead of the OID, which
 *		differs between the two sides: an enum constant (its type and
 *		label) and a regclass constant of a relation of the schema, when
 *		search_path shows the name unqualified.  Any other OID of a user
 *		object (a number from FirstNormalObjectId on, outside typmods, or a
 *		reg* constant's value) may print differently on the two sides for
 *		the same OID (an object of one of the two schemas), so such a
 *		default gets no key.  A default names no column: no rawcols.
 */
static char *
default_raw(const char *adbin, Oid nsp)
{
	StringInfoData buf;
	const char *p = adbin;
	const char *run = adbin;	/* the text not copied yet, up to p */
	Oid			consttype = InvalidOid;
	char	   *enumname = NULL;

	initStringInfo(&buf);
	appendStringInfoString(&buf, "d ");
	while (*p)
	{
		char	   *e;

		if (*p == ':')
		{
			const char *f;
			size_t		len;

			/* parse locations left out, typmods as they are */
			if (ss_tree_field(&buf, &p, &run, &f, &len))
				continue;
			if (len == 9 && strncmp(f, "consttype", 9) == 0)
			{
				consttype = (Oid) strtoul(p, &e, 10);
				p = e;
				enumname = NULL;
				if (consttype >= FirstNormalObjectId &&
					(enumname = local_enum_name(consttype, nsp)) == NULL)
					return NULL;
				if (enumname != NULL)
				{
					appendStringInfoString(&buf, ":consttype enum ");
					ss_raw_append(&buf, enumname, false);
					run = p;
				}
			}
			else if (len == 10 && strncmp(f, "constvalue", 10) == 0 &&
					 (enumname != NULL || ss_reg_type(consttype) != '\0'))
			{
				const char *end = NULL;
				Oid			v;

				while (*p == ' ')
					p++;
				if (*p == '<')
					continue;	/* NULL */
				if (ss_reg_type(consttype) == 'a')
					return NULL;
				v = const_oid(p, &end);
				if (end == NULL)
					return NULL;
				p = end;
				if (v < FirstNormalObjectId && enumname == NULL)
					continue;	/* a built-in object: as it is */
				appendStringInfoString(&buf, ":constvalue ");
				run = p;
				if (enumname != NULL)
				{
					HeapTuple	tup = SearchSysCache1(ENUMOID, ObjectIdGetDatum(v));

					if (!HeapTupleIsValid(tup))
						return NULL;
					appendStringInfoString(&buf, "label ");
					ss_raw_append(&buf, NameStr(((Form_pg_enum) GETSTRUCT(tup))->enumlabel),
								  false);
					ReleaseSysCache(tup);
				}
				else
				{
					SsRel	   *r = consttype == REGCLASSOID ? ss_rel(v) : NULL;

					if (r == NULL || !ss_rel_visible(r))
						return NULL;
					appendStringInfoString(&buf, "rel ");
					ss_raw_append(&buf, NameStr(r->relname), false);
				}
			}
			continue;
		}
		/* any other number: an OID of a user object gets no key */
		if (!ss_tree_number(&p, adbin))
			return NULL;
	}
	appendBinaryStringInfo(&buf, run, p - run);
	return buf.data;
}

/*
 * A default's raw key, kept once for all the defaults that have it; when
 * the defaults are deparsed on reading, the text the first of them was
 * deparsed to, for the others.
 */
typedef struct DefaultKey
{
	const char *key;			/* hash key: the text */
	char	   *text;			/* deparsed, or NULL (raw keys, or not yet) */
	bool		volatile_default;	/* with text: it calls a volatile
									 * function */
} DefaultKey;

/*
 * default_key_hash
 *		dynahash hash of a DefaultKey: of its text.
 */
static uint32
default_key_hash(const void *key, Size keysize)
{
	return string_hash(*(const char *const *) key, 0);
}

/*
 * default_key_match
 *		dynahash comparison of two DefaultKeys: of their texts.
 */
static int
default_key_match(const void *a, const void *b, Size keysize)
{
	return strcmp(*(const char *const *) a, *(const char *const *) b);
}

/*
 * The parse locations in a stored node tree (nodeToString writes each as
 * " :location N"; inside a string token a space is escaped, so the text
 * cannot occur there).
 */
#define LOCATION_FIELD " :location "

/*
 * after_location
 *		The end of the location field at loc (LOCATION_FIELD, then its
 *		value).
 */
static inline const char *
after_location(const char *loc)
{
	return ss_tree_integer_end(loc + strlen(LOCATION_FIELD));
}

/*
 * tree_hash
 *		The hash of a stored node tree's text, its parse locations left out:
 *		of each run of text between them.
 */
static uint32
tree_hash(const char *tree)
{
	uint32		h = 0;
	const char *p = tree;
	const char *loc;

	while ((loc = strstr(p, LOCATION_FIELD)) != NULL)
	{
		h = hash_combine(h, hash_bytes((const unsigned char *) p, loc - p));
		p = after_location(loc);
	}
	return hash_combine(h, hash_bytes((const unsigned char *) p, strlen(p)));
}

/*
 * tree_equal
 *		Whether two stored node trees' texts are the same but for their
 *		parse locations.
 */
static bool
tree_equal(const char *a, const char *b)
{
	for (;;)
	{
		const char *la = strstr(a, LOCATION_FIELD);
		const char *lb = strstr(b, LOCATION_FIELD);
		size_t		na = la ? la - a : strlen(a);
		size_t		nb = lb ? lb - b : strlen(b);

		if (na != nb || memcmp(a, b, na) != 0)
			return false;
		if (la == NULL || lb == NULL)
			return la == lb;
		a = after_location(la);
		b = after_location(lb);
	}
}

/*
 * A default's stored node tree, as pg_attrdef holds it, and the raw key
 * default_raw made of it (NULL when it has none).  A schema's defaults are
 * few trees once their parse locations are left out, which neither the raw
 * key nor what pg_get_expr() prints depends on (at 10,000 tables 66,886
 * defaults are 12,445 distinct texts, 1,414 without their locations: the
 * location of DEFAULT 0 is where the column happens to be in its CREATE
 * TABLE), so each is walked once per read; the key depends on nothing else
 * that changes during one read (the schema, search_path, the catalog).
 */
typedef struct DefaultTree
{
	const char *tree;			/* hash key: adbin's text, the first seen */
	DefaultKey *dk;				/* its key's entry, or NULL: no raw key */
	uint32		hash;			/* tree_hash of tree */
	char		status;			/* simplehash */
} DefaultTree;

#define SH_PREFIX ss_deftree
#define SH_ELEMENT_TYPE DefaultTree
#define SH_KEY_TYPE const char *
#define SH_KEY tree
#define SH_HASH_KEY(tb, k) tree_hash(k)
#define SH_EQUAL(tb, a, b) tree_equal(a, b)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) a->hash
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * default_key
 *		The entry of keys for a default whose stored tree is bintext, or NULL
 *		when it has no raw key: each distinct tree (parse locations aside)
 *		is walked (default_raw) the first time only, trees remembering it
 *		(its first text, copied into the table's context).  A new key is
 *		copied into cxt.
 */
static DefaultKey *
default_key(ss_deftree_hash *trees, HTAB *keys, const char *bintext, Oid nsp,
			MemoryContext cxt)
{
	bool		found;
	DefaultTree *dt = ss_deftree_insert(trees, bintext, &found);
	char	   *raw;

	if (found)
		return dt->dk;
	dt->tree = MemoryContextStrdup(trees->ctx, bintext);
	dt->dk = NULL;
	if ((raw = default_raw(bintext, nsp)) != NULL)
	{
		dt->dk = hash_search(keys, &raw, HASH_ENTER, &found);
		if (!found)
		{
			dt->dk->key = MemoryContextStrdup(cxt, raw);
			dt->dk->text = NULL;
			dt->dk->volatile_default = false;
		}
	}
	return dt->dk;
}

/*
 * read_column_defaults
 *		One heap scan of pg_attrdef: the defaults and generation expressions
 *		of the columns read, deparsed by pg_get_expr; with raw keys, a
 *		generation expression that names columns and a default whose key
 *		can be exact (default_raw) are deparsed on demand.  Without them, a
 *		default that has such a key is deparsed once per key: defaults of
 *		equal keys have equal texts, and a schema's thousands of defaults
 *		are a few hundred texts (0, now(), true) that pg_get_expr would
 *		parse and print again each time.
 */
static void
read_column_defaults(Oid nsp)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	HASHCTL		ctl;
	HTAB	   *keys;
	MemoryContext treecxt;
	ss_deftree_hash *trees;

	/*
	 * The raw keys are node trees of hundreds of bytes, and most defaults
	 * are a few texts (0, now(), '{}'): each key is kept once.
	 */
	ctl.keysize = sizeof(char *);
	ctl.entrysize = sizeof(DefaultKey);
	ctl.hash = default_key_hash;
	ctl.match = default_key_match;
	ctl.hcxt = CurrentMemoryContext;
	keys = hash_create("schemasync default keys", 256, &ctl,
					   HASH_ELEM | HASH_FUNCTION | HASH_COMPARE | HASH_CONTEXT);
	treecxt = AllocSetContextCreate(CurrentMemoryContext,
									"schemasync default trees",
									ALLOCSET_DEFAULT_SIZES);
	trees = ss_deftree_create(treecxt, 1024, NULL);
	scan = ss_scan_owned_begin(AttrDefaultRelationId, AttrDefaultIndexId,
							   Anum_pg_attrdef_adrelid, RelationRelationId,
							   0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_attrdef ad = (Form_pg_attrdef) GETSTRUCT(tup);
		SsObject   *col = ss_lookup_addr(RelationRelationId, ad->adrelid, ad->adnum);
		Datum		adbin;
		bool		isnull;
		char	   *bintext;
		char	   *expr;
		char	   *raw;
		bool		volatile_default;
		Node	   *node;
		Oid			exprrel;
		MemoryContext back;
		MemoryContext scratch;
		DefaultKey *dk;

		if (col == NULL || col->kind != SS_COLUMN)
			continue;
		adbin = heap_getattr(tup, Anum_pg_attrdef_adbin, RelationGetDescr(rel), &isnull);
		if (isnull)
			continue;
		back = ss_scratch_begin();
		scratch = CurrentMemoryContext;
		bintext = TextDatumGetCString(adbin);

		/*
		 * A default whose key is exact waits, volatility and all; without
		 * raw keys, it takes the text of the first default of its key.
		 */
		dk = col->props[CP_GENERATED] == NULL ?
			default_key(trees, keys, bintext, nsp, back) : NULL;
		if (dk != NULL)
		{
			MemoryContextSwitchTo(back);
			if (ss_read_raw)
			{
				col->raw = (char *) dk->key;
				col->lazy = &ss_default_lazy;
				/* a marker until resolved: the column has a default */
				col->props[CP_DEFAULT] = "";
				ss_register_default_addr(ad->oid, col);
				continue;
			}
			if (dk->text != NULL)
			{
				col->props[CP_DEFAULT] = pstrdup(dk->text);
				col->volatile_default = dk->volatile_default;
				ss_register_default_addr(ad->oid, col);
				continue;
			}
			MemoryContextSwitchTo(scratch);
		}
		node = stringToNode(bintext);

		/*
		 * A default names no column, and pg_get_expr needs the table (and
		 * opens it, building its relcache entry) only to name columns: an
		 * expression without one is deparsed the same with no table.
		 */
		exprrel = contain_var_clause(node) ? ad->adrelid : InvalidOid;
		raw = NULL;
		expr = NULL;
		if (col->props[CP_GENERATED] != NULL && OidIsValid(exprrel))
			raw = generated_raw(col, bintext);
		if (raw == NULL)
			expr = ss_deparse_of(col, pg_get_expr, 2, adbin,
								 ObjectIdGetDatum(exprrel));
		volatile_default = col->props[CP_GENERATED] == NULL &&
			contain_volatile_functions(node);
		MemoryContextSwitchTo(back);
		if (raw != NULL)
		{
			/* CP_GENERATED keeps its marker "" until resolved */
			col->raw = pstrdup(raw);
			col->lazy = &ss_column_lazy;
		}
		else if (col->props[CP_GENERATED] != NULL)
			col->props[CP_GENERATED] = pstrdup(expr);
		else
			col->props[CP_DEFAULT] = pstrdup(expr);
		col->volatile_default = volatile_default;
		if (dk != NULL)
		{
			dk->text = col->props[CP_DEFAULT];
			dk->volatile_default = volatile_default;
		}
		ss_register_default_addr(ad->oid, col);
	}
	ss_scan_end(scan, rel);
	hash_destroy(keys);
	MemoryContextDelete(treecxt);
}

/*
 * int8_text
 *		A 64-bit integer as text, allocated at its size.
 */
static char *
int8_text(int64 value)
{
	char		buf[MAXINT8LEN + 1];

	snprintf(buf, sizeof(buf), INT64_FORMAT, value);
	return pstrdup(buf);
}

/*
 * read_identity_sequences
 *		The sequences behind the identity columns read, from the schema's
 *		sequences as ss_read_schema read them (ss_rels: their internal
 *		dependencies on columns and their pg_sequence rows; an identity
 *		sequence lives in its table's schema, which PostgreSQL keeps so),
 *		instead of two syscache lookups per column.
 */
static void
read_identity_sequences(void)
{
	int			n;
	SsRel	  **seqs = ss_rels(RELKIND_SEQUENCE, &n);
	int			i;

	for (i = 0; i < n; i++)
	{
		SsRel	   *r = seqs[i];
		Form_pg_sequence seq = r->seq;
		SsObject   *col;

		if (!OidIsValid(r->idrel))
			continue;
		col = ss_lookup_addr(RelationRelationId, r->idrel, r->idatt);
		if (col == NULL || col->kind != SS_COLUMN || col->props[CP_IDENTITY] == NULL)
			continue;
		col->seqoid = r->oid;
		/* its name: not compared, but it takes a name of the schema */
		col->aux = pstrdup(NameStr(r->relname));
		if (seq == NULL)
			continue;
		col->props[CP_IDENTITY_OPTIONS] =
			psprintf("START WITH " INT64_FORMAT " INCREMENT BY " INT64_FORMAT
					 " MINVALUE " INT64_FORMAT " MAXVALUE " INT64_FORMAT
					 " CACHE " INT64_FORMAT "%s",
					 seq->seqstart, seq->seqincrement, seq->seqmin, seq->seqmax,
					 seq->seqcache, seq->seqcycle ? " CYCLE" : " NO CYCLE");
		/* at their size: psprintf starts at 128 bytes */
		col->seqnums = palloc0(sizeof(SsSeqNumbers));
		col->seqnums->start = int8_text(seq->seqstart);
		col->seqnums->min = int8_text(seq->seqmin);
		col->seqnums->max = int8_text(seq->seqmax);
	}
}

/*
 * ss_read_columns
 *		All columns of the tables of a schema: one heap scan of pg_attribute
 *		keeps the rows of the tables read (so extension members and other
 *		schemas are left out with them), then one scan of pg_attrdef (their
 *		comments come later, with the relations', ss_read_schema); identity
 *		sequences come from the schema's
 *		sequences as ss_read_schema read them.  Types come from format_type,
 *		defaults from pg_get_expr, as with a query, without the executor's
 *		joins over whole catalogs.
 */
void
ss_read_columns(SsModel *m, Oid nsp)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	SsAttRow   *rows;
	int			nrows = 0;
	int			maxrows = 16;
	bool		identity = false;
	StringInfoData sig;
	HASHCTL		ctl;
	HTAB	   *types;
	SsRel	  **tables;
	int			ntables;
	int			i;
	Oid			lo;
	Oid			hi;
	Oid			lastrel = InvalidOid;
	SsObject   *lasttable = NULL;
	SsRel	  **rels;
	int			nrels;
	SsRelWalk	indexes;

	/*
	 * The rows kept are at most the tables' relnatts: the array is made that
	 * large at once.  Grown by doubling, at 10,000 tables it was twice the
	 * 15 MB it needs, and the call paid for every page of both copies.
	 */
	tables = ss_rels(RELKIND_RELATION, &ntables);
	rels = ss_rels(RELKIND_INDEX, &nrels);
	ss_rel_walk_begin(&indexes, rels, nrels);
	for (i = 0; i < ntables; i++)
		maxrows += tables[i]->natts;

	ctl.keysize = offsetof(SsTypeText, text);
	ctl.entrysize = sizeof(SsTypeText);
	ctl.hcxt = CurrentMemoryContext;
	types = hash_create("schemasync column types", 64, &ctl,
						HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	rows = palloc(maxrows * sizeof(SsAttRow));

	/*
	 * The scan passes over the rows of the indexes among the tables too:
	 * their opclass options are kept for the indexes' raw keys (kind_index.c)
	 * instead of a lookup per index.
	 */
	if (ss_oid_range(RelationRelationId, &lo, &hi))
	{
		ScanKeyData key[3];

		/*
		 * The range of the schema's relations, without the rows of system
		 * columns (six of a table's seventeen in the benchmark's schemas):
		 * the index tells them apart, so their heap rows are not fetched.
		 */
		ss_attoptions_scanned(lo, hi);
		ScanKeyInit(&key[0], Anum_pg_attribute_attrelid, BTGreaterEqualStrategyNumber,
					F_OIDGE, ObjectIdGetDatum(lo));
		ScanKeyInit(&key[1], Anum_pg_attribute_attrelid, BTLessEqualStrategyNumber,
					F_OIDLE, ObjectIdGetDatum(hi));
		ScanKeyInit(&key[2], Anum_pg_attribute_attnum, BTGreaterStrategyNumber,
					F_INT2GT, Int16GetDatum(0));
		rel = table_open(AttributeRelationId, AccessShareLock);
		scan = systable_beginscan(rel, AttributeRelidNumIndexId, true, NULL, 3, key);
	}
	else
	{
		ss_attoptions_scanned(OID_MAX, InvalidOid);	/* the tables' rows only */
		scan = ss_scan_owned_begin(AttributeRelationId, AttributeRelidNumIndexId,
								   Anum_pg_attribute_attrelid, RelationRelationId,
								   0, InvalidOid, &rel);
	}
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_attribute att = (Form_pg_attribute) GETSTRUCT(tup);
		SsObject   *t;

		if (att->attnum <= 0 || att->attisdropped)
			continue;
		/*
		 * The rows come by relation: look each up once, and an index's rows
		 * (most of the range) not in the address map at all.
		 */
		if (att->attrelid != lastrel)
		{
			lastrel = att->attrelid;
			lasttable = ss_rel_walk(&indexes, lastrel) != NULL ?
				NULL : ss_model_table(lastrel);
		}
		if ((t = lasttable) == NULL)
		{
			ss_attoptions_note(tup, RelationGetDescr(rel));
			continue;
		}
		if (nrows == maxrows)
		{
			maxrows *= 2;
			rows = repalloc(rows, maxrows * sizeof(SsAttRow));
		}
		rows[nrows].table = t;
		memcpy(&rows[nrows].att, att, ATTRIBUTE_FIXED_PART_SIZE);
		nrows++;
	}
	ss_scan_end(scan, rel);
	ss_rel_walk_end(&indexes);
	qsort(rows, nrows, sizeof(SsAttRow), att_row_cmp);

	initStringInfo(&sig);
	for (i = 0; i < nrows; i++)
	{
		Form_pg_attribute att = &rows[i].att;
		SsObject   *t = rows[i].table;
		SsObject   *col = ss_object_add(m, SS_COLUMN, m->schema, t->name,
										NameStr(att->attname));

		col->position = att->attnum;
		col->props[CP_TYPE] = column_type_text(types, att->atttypid, att->atttypmod);
		col->props[CP_COLLATION] = column_collation(att, nsp);
		if (att->attnotnull)
			col->props[CP_NOT_NULL] = "true";
		if (att->attidentity == ATTRIBUTE_IDENTITY_ALWAYS)
			col->props[CP_IDENTITY] = "always";
		else if (att->attidentity == ATTRIBUTE_IDENTITY_BY_DEFAULT)
			col->props[CP_IDENTITY] = "by default";
		identity |= (col->props[CP_IDENTITY] != NULL);
		/* a marker until read_column_defaults reads the expression */
		if (att->attgenerated != '\0')
			col->props[CP_GENERATED] = "";
		if (att->attinhcount > 0)
			col->props[CP_INHERITED] = att->attislocal ? "merged" : "inherited";
		col->reloid = att->attrelid;
		col->typoid = att->atttypid;
		col->typmod = att->atttypmod;
		ss_register_addr(RelationRelationId, col->reloid, col->position, col);

		/*
		 * For raw keys of the table's indexes (kind_index.c): the number,
		 * name, type and collation of each column, in order.
		 */
		if (ss_read_raw)
		{
			if (i == 0 || rows[i - 1].table != t)
				resetStringInfo(&sig);
			ss_raw_append_int(&sig, att->attnum);
			ss_raw_append(&sig, col->name, false);
			ss_raw_append(&sig, col->props[CP_TYPE], false);
			ss_raw_append(&sig, col->props[CP_COLLATION], false);
			if (i + 1 == nrows || rows[i + 1].table != t)
				t->colsig = ss_model_strdup(m, sig.data);
		}
	}
	pfree(sig.data);
	pfree(rows);
	hash_destroy(types);

	read_column_defaults(nsp);
	if (identity)
		read_identity_sequences();
}

/*
 * column_definition
 *		The text of a column for CREATE TABLE or ADD COLUMN, allocated at its
 *		size: a StringInfo's buffer is 1 kB, and a create-all diff of 10,000
 *		tables writes a hundred thousand column definitions.
 */
static char *
column_definition(SsObject *col)
{
	StringInfoData buf;
	char	   *result;

	initStringInfo(&buf);
	appendStringInfo(&buf, "%s %s", quote_identifier(col->name), col->props[CP_TYPE]);
	if (col->props[CP_COLLATION])
		appendStringInfo(&buf, " COLLATE %s", col->props[CP_COLLATION]);
	if (col->props[CP_GENERATED])
		appendStringInfo(&buf, " GENERATED ALWAYS AS (%s) STORED",
						 ss_prop(col, CP_GENERATED));
	if (col->props[CP_IDENTITY])
		appendStringInfo(&buf, " GENERATED %s AS IDENTITY%s%s%s",
						 strcmp(col->props[CP_IDENTITY], "always") == 0 ? "ALWAYS" : "BY DEFAULT",
						 col->props[CP_IDENTITY_OPTIONS] ? " (" : "",
						 col->props[CP_IDENTITY_OPTIONS] ? col->props[CP_IDENTITY_OPTIONS] : "",
						 col->props[CP_IDENTITY_OPTIONS] ? ")" : "");
	if (col->props[CP_DEFAULT])
		appendStringInfo(&buf, " DEFAULT %s", ss_prop(col, CP_DEFAULT));
	if (col->props[CP_NOT_NULL])
		appendStringInfoString(&buf, " NOT NULL");
	result = pnstrdup(buf.data, buf.len);
	pfree(buf.data);
	return result;
}

/*
 * column_position_cmp
 *		list_sort comparator: columns by their number.
 */
static int
column_position_cmp(const ListCell *a, const ListCell *b)
{
	SsObject   *x = lfirst(a);
	SsObject   *y = lfirst(b);

	return x->position - y->position;
}

/*
 * table_create_sql
 *		CREATE TABLE with every column of the desired table, in order.
 */
static char *
table_create_sql(SsDiff *d, SsObject *t)
{
	StringInfoData buf;
	List	   *cols = NIL;
	ListCell   *lc;
	bool		first = true;
	char	   *coldef;

	foreach(lc, t->children)
	{
		SsObject   *child = lfirst(lc);

		if (child->kind == SS_COLUMN)
			cols = lappend(cols, child);
	}
	list_sort(cols, column_position_cmp);
	if (t->props[TP_PARTOF])
		return ss_partition_create_sql(d, t, cols);

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE %sTABLE %s (",
					 t->props[TP_UNLOGGED] != NULL ? "UNLOGGED " : "",
					 ss_qualified(d->target, t->name));
	foreach(lc, cols)
	{
		if (!ss_column_in_create(lfirst(lc)))
			continue;
		coldef = column_definition(lfirst(lc));
		appendStringInfo(&buf, "%s\n    %s", first ? "" : ",", coldef);
		pfree(coldef);
		first = false;
	}
	appendStringInfoString(&buf, first ? ")" : "\n)");
	appendStringInfoString(&buf, ss_table_create_clauses(d, t));
	if (t->props[TP_RELOPTIONS])
		appendStringInfo(&buf, " WITH (%s)", t->props[TP_RELOPTIONS]);
	appendStringInfoChar(&buf, ';');
	return buf.data;
}

/*
 * table_row_security
 *		ENABLE/DISABLE and FORCE/NO FORCE ROW LEVEL SECURITY where the flags
 *		differ (cur NULL: a table just created, flags all off), after the
 *		given step.  Both take AccessExclusiveLock on the table.
 */
static void
table_row_security(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	static const struct
	{
		int			prop;
		const char *on;
		const char *off;
	}			flags[] = {
		{TP_ROW_SECURITY, "ENABLE", "DISABLE"},
		{TP_FORCE_ROW_SECURITY, "FORCE", "NO FORCE"},
	};
	int			i;

	for (i = 0; i < lengthof(flags); i++)
	{
		const char *oldv = cur ? cur->props[flags[i].prop] : NULL;
		const char *newv = want->props[flags[i].prop];
		SsChange   *c;

		if (ss_streq(oldv, newv))
			continue;
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("ALTER TABLE %s %s ROW LEVEL SECURITY;",
								   ss_qualified(d->target, want->name),
								   newv ? flags[i].on : flags[i].off));
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		if (cur)
			c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
		c->reason = pstrdup(i == 0 ? "row level security differs"
							: "forced row level security differs");
		/*
		 * After a CREATE TABLE, nothing needs the flags first: the columns
		 * created by that statement must not wait for them.
		 */
		if (after)
		{
			c->after = lappend(c->after, after);
			c->late = true;
		}
	}
}

/*
 * table_emit_create
 *		Create a table, its row level security flags and its comments
 *		(column comments included).
 */
static void
table_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action,
								  table_create_sql(d, want));

	c->reason = pstrdup(reason);
	ss_table_create_needs(d, c, want);
	table_row_security(d, NULL, want, c);
	ss_emit_comment(d, NULL, want, "TABLE", ss_qualified(d->target, want->name),
					TP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
}

/*
 * table_emit_drop
 *		Drop a table, and with it its rows.
 */
static void
table_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *parentdrop = ss_partition_drop_absorber(d, cur);
	SsChange   *c = ss_add_change(d, NULL, cur, NULL, action,
								  parentdrop ? NULL :
								  psprintf("DROP TABLE %s;",
										   ss_qualified(d->target, cur->name)));

	/* a partition goes with its partitioned table */
	c->absorbed_into = parentdrop;
	c->destructive = true;
	c->hazards = SS_HZ_DELETES_DATA | SS_HZ_ACCESS_EXCLUSIVE;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
}

/*
 * ss_reloption_names
 *		The option names of a reloptions text "a=1,b=2".
 */
List *
ss_reloption_names(const char *opts)
{
	List	   *names = NIL;
	char	   *copy;
	char	   *tok;
	char	   *save;

	if (opts == NULL)
		return NIL;
	copy = pstrdup(opts);
	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		char	   *eq = strchr(tok, '=');

		if (eq)
			*eq = '\0';
		names = lappend(names, pstrdup(tok));
	}
	return names;
}

/*
 * reloption_lock
 *		The lock of SET/RESET (storage parameters): PostgreSQL 15 takes
 *		ShareUpdateExclusiveLock for every table parameter but
 *		user_catalog_table, which needs AccessExclusiveLock.
 */
static void
reloption_lock(SsChange *c, const char *opts)
{
	if (strstr(opts, "user_catalog_table") != NULL)
	{
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	}
	else
		c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
}

static void table_replace(SsDiff *d, SsObject *cur, SsObject *want,
						  const char *reason);

/*
 * table_diff
 *		Create, drop or alter a table.
 */
static void
table_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	char	   *qname;
	const char *reason;

	if (cur == NULL)
	{
		table_emit_create(d, want, SS_ACT_CREATE, "table missing in target");
		return;
	}
	if (want == NULL)
	{
		table_emit_drop(d, cur, SS_ACT_DROP, "table not in reference");
		return;
	}

	if ((reason = ss_partition_table_diff(d, cur, want)) != NULL)
	{
		table_replace(d, cur, want, reason);
		return;
	}
	qname = ss_qualified(d->target, want->name);
	if (!ss_streq(cur->props[TP_UNLOGGED], want->props[TP_UNLOGGED]))
	{
		SsChange   *c;

		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("ALTER TABLE %s SET %s;", qname,
								   want->props[TP_UNLOGGED] != NULL ? "UNLOGGED" : "LOGGED"));
		c->hazards = SS_HZ_REWRITES_TABLE | SS_HZ_ACCESS_EXCLUSIVE;
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		c->reason = pstrdup("persistence differs");
	}
	if (!ss_streq(cur->props[TP_RELOPTIONS], want->props[TP_RELOPTIONS]))
	{
		List	   *oldnames = ss_reloption_names(cur->props[TP_RELOPTIONS]);
		List	   *newnames = ss_reloption_names(want->props[TP_RELOPTIONS]);
		StringInfoData reset;
		ListCell   *lc;
		SsChange   *c;

		initStringInfo(&reset);
		foreach(lc, oldnames)
		{
			char	   *name = lfirst(lc);
			ListCell   *nc;
			bool		kept = false;

			foreach(nc, newnames)
				if (strcmp(name, lfirst(nc)) == 0)
					kept = true;
			if (!kept)
				appendStringInfo(&reset, "%s%s", reset.len ? ", " : "", name);
		}
		if (reset.len)
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("ALTER TABLE %s RESET (%s);", qname, reset.data));
			reloption_lock(c, reset.data);
			c->reason = pstrdup("storage parameters differ");
		}
		if (want->props[TP_RELOPTIONS])
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("ALTER TABLE %s SET (%s);", qname,
									   want->props[TP_RELOPTIONS]));
			reloption_lock(c, want->props[TP_RELOPTIONS]);
			c->reason = pstrdup("storage parameters differ");
		}
	}
	table_row_security(d, cur, want, NULL);
	ss_emit_comment(d, cur, want, "TABLE", qname, TP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
}

/*
 * table_replace
 *		Drop and re-create a table (only ever forced: it loses the rows).
 */
static void
table_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	table_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	table_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

const SsKindOps ss_table_ops = {
	.name = "table",
	.nprops = TP_NUM,
	.propnames = table_propnames,
	.proptypes = "bttttttbb",
	.diff = table_diff,
	.replace = table_replace,
	.breaks_dependents = NULL,
};

/* ---------------------------------------------------------------------
 * Columns
 * ---------------------------------------------------------------------
 */

/*
 * type_change_is_widening
 *		Whether a type change keeps every value: a longer varchar, a wider
 *		integer, more numeric digits, a conversion to text.  Anything else
 *		counts as possibly losing data.
 */
static bool
type_change_is_widening(Oid oldtyp, int32 oldmod, Oid newtyp, int32 newmod)
{
	if (oldtyp == newtyp)
	{
		if (newmod < 0)
			return true;
		if (oldmod < 0)
			return false;
		if (oldtyp == NUMERICOID)
		{
			int			oldprec = ((oldmod - VARHDRSZ) >> 16) & 0xffff;
			int			oldscale = (oldmod - VARHDRSZ) & 0xffff;
			int			newprec = ((newmod - VARHDRSZ) >> 16) & 0xffff;
			int			newscale = (newmod - VARHDRSZ) & 0xffff;

			return newscale >= oldscale && newprec - newscale >= oldprec - oldscale;
		}
		return newmod >= oldmod;
	}
	if (newtyp == TEXTOID)
		return true;
	if (newtyp == VARCHAROID && newmod < 0)
		return oldtyp == TEXTOID || oldtyp == BPCHAROID;
	switch (oldtyp)
	{
		case INT2OID:
			return newtyp == INT4OID || newtyp == INT8OID ||
				(newtyp == NUMERICOID && newmod < 0) || newtyp == FLOAT4OID ||
				newtyp == FLOAT8OID;
		case INT4OID:
			return newtyp == INT8OID || (newtyp == NUMERICOID && newmod < 0) ||
				newtyp == FLOAT8OID;
		case INT8OID:
			return newtyp == NUMERICOID && newmod < 0;
		case FLOAT4OID:
			return newtyp == FLOAT8OID;
		case VARCHAROID:
		case BPCHAROID:
			return newtyp == TEXTOID;
		case JSONOID:
			return false;
		case TIMESTAMPOID:
			return newtyp == TIMESTAMPTZOID;
		default:
			return false;
	}
}

/*
 * type_change_rewrites
 *		Whether ALTER COLUMN TYPE rewrites the table: it does unless the old
 *		values are binary compatible with the new type and no length check
 *		can fail.
 */
static bool
type_change_rewrites(Oid oldtyp, int32 oldmod, Oid newtyp, int32 newmod)
{
	if (!IsBinaryCoercible(oldtyp, newtyp))
		return true;
	if (newmod < 0)
		return false;
	if (oldtyp != newtyp || oldmod < 0)
		return true;
	if (oldtyp == NUMERICOID)
	{
		/* more precision at the same scale is free, any scale change is not */
		return ((oldmod - VARHDRSZ) & 0xffff) != ((newmod - VARHDRSZ) & 0xffff) ||
			newmod < oldmod;
	}
	return newmod < oldmod;
}

/*
 * enum_or_array
 *		Whether a type is an enum or an array of one: no cast leads to or
 *		from it but through text.
 */
static bool
enum_or_array(Oid typ)
{
	Oid			elem = get_element_type(typ);

	return get_typtype(OidIsValid(elem) ? elem : typ) == TYPTYPE_ENUM;
}

/*
 * column_alter
 *		Add one ALTER TABLE ... ALTER COLUMN step, after the previous step of
 *		the same column so that the steps keep their logical order.
 */
static SsChange *
column_alter(SsDiff *d, SsObject *cur, SsObject *want, SsChange *prev,
			 const char *action, const char *reason, uint32 hazards)
{
	SsChange   *c;
	static const char *const removals[] = {
		"DROP EXPRESSION", "DROP IDENTITY", "DROP DEFAULT", "SET NOT NULL",
		"DROP NOT NULL"
	};
	int			i;

	c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
					  psprintf("ALTER TABLE %s ALTER COLUMN %s %s;",
							   ss_target_table(d, want), quote_identifier(want->name),
							   action));
	c->hazards = hazards | SS_HZ_ACCESS_EXCLUSIVE;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
	if (prev)
		c->after = lappend(c->after, prev);
	/* steps that only take something away need nothing created first */
	for (i = 0; i < lengthof(removals); i++)
		if (strcmp(action, removals[i]) == 0)
			c->nodeps = true;
	return c;
}

/*
 * identity_option_changes
 *		"SET INCREMENT BY 2 SET CACHE 10 ..." for the identity sequence
 *		options that differ between two canonical option strings.
 */
static char *
identity_option_changes(const char *oldopts, const char *newopts)
{
	static const char *const names[] = {
		"START WITH", "INCREMENT BY", "MINVALUE", "MAXVALUE", "CACHE"
	};
	StringInfoData buf;
	int			i;

	initStringInfo(&buf);
	for (i = 0; i < lengthof(names); i++)
	{
		const char *o = strstr(oldopts, names[i]);
		const char *n = strstr(newopts, names[i]);
		int			olen;
		int			nlen;

		if (o == NULL || n == NULL)
			continue;
		o += strlen(names[i]) + 1;
		n += strlen(names[i]) + 1;
		olen = strcspn(o, " ");
		nlen = strcspn(n, " ");
		if (olen != nlen || strncmp(o, n, olen) != 0)
			appendStringInfo(&buf, "%sSET %s %.*s", buf.len ? " " : "",
							 names[i], nlen, n);
	}
	if ((strstr(oldopts, "NO CYCLE") == NULL) != (strstr(newopts, "NO CYCLE") == NULL))
		appendStringInfo(&buf, "%sSET %s", buf.len ? " " : "",
						 strstr(newopts, "NO CYCLE") ? "NO CYCLE" : "CYCLE");
	return buf.data;
}

/*
 * column_emit_add
 *		ADD COLUMN on an existing table, or nothing when the table is being
 *		created with the column in it.
 */
static SsChange *
column_emit_add(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_created(d, want))
	{
		c = ss_add_change(d, NULL, NULL, want, action, NULL);
		return c;
	}
	c = ss_add_change(d, NULL, NULL, want, action,
					  psprintf("ALTER TABLE %s ADD COLUMN %s;",
							   ss_target_table(d, want), column_definition(want)));
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
	/* a lazy default's volatility is decided when it is deparsed */
	if (want->props[CP_DEFAULT] != NULL)
		(void) ss_prop(want, CP_DEFAULT);
	if (want->volatile_default || want->props[CP_IDENTITY] || want->props[CP_GENERATED])
		c->hazards |= SS_HZ_REWRITES_TABLE;
	if (want->props[CP_NOT_NULL] && !want->props[CP_DEFAULT] &&
		!want->props[CP_IDENTITY] && !want->props[CP_GENERATED])
		c->hazards |= SS_HZ_MAY_FAIL;
	return c;
}

/*
 * column_emit_drop
 *		DROP COLUMN, or nothing when the table is dropped with it.
 */
static void
column_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur))
	{
		c = ss_add_change(d, NULL, cur, NULL, action, NULL);
		if (cur->aux)
			c->frees = lappend(c->frees, cur->aux);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("ALTER TABLE %s DROP COLUMN %s;",
							   ss_target_table(d, cur), quote_identifier(cur->name)));
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	c->reason = pstrdup(reason);
	if (cur->aux)
		c->frees = lappend(c->frees, cur->aux);

	/* a stored generated column holds nothing that cannot be computed again */
	if (cur->props[CP_GENERATED] == NULL)
	{
		c->destructive = true;
		c->hazards |= SS_HZ_DELETES_DATA;
	}
}

/*
 * column_comment
 *		COMMENT ON COLUMN for a column, after the given step.
 */
static void
column_comment(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	/* the common case, an equal comment, without building the name */
	if (want == NULL ||
		ss_streq(cur ? cur->props[CP_COMMENT] : NULL, want->props[CP_COMMENT]))
		return;
	ss_emit_comment(d, cur, want, "COLUMN",
					psprintf("%s.%s", ss_target_table(d, want), quote_identifier(want->name)),
					CP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, after);
}

/*
 * column_type_changes
 *		Whether type or collation differ, which means ALTER COLUMN TYPE.
 */
static bool
column_type_changes(SsObject *cur, SsObject *want)
{
	return !ss_streq(cur->props[CP_TYPE], want->props[CP_TYPE]) ||
		!ss_streq(cur->props[CP_COLLATION], want->props[CP_COLLATION]);
}

/*
 * column_needs_recreate
 *		Whether the column must be dropped and added again: a generation
 *		expression cannot be changed in place, nor can a plain column become
 *		a generated one.  A generated column that becomes plain keeps its
 *		values with DROP EXPRESSION.
 */
static bool
column_needs_recreate(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (want->props[CP_GENERATED] == NULL)
		return false;
	if (cur->props[CP_GENERATED] == NULL)
		return true;
	/* equal catalog rows: equal expressions, and neither is deparsed */
	if (ss_raw_equal(cur, want))
		return false;
	return !ss_expr_equal(d, cur, ss_prop(cur, CP_GENERATED),
						  want, ss_prop(want, CP_GENERATED), 'g');
}

/*
 * column_replace
 *		Drop and add a column again.
 */
static void
column_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	SsChange   *add;

	column_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	add = column_emit_add(d, want, SS_ACT_REPLACE_CREATE, reason);
	column_comment(d, NULL, want, add);
}

/*
 * column_diff_own
 *		Create, drop or alter a column, step by step.
 */
static void
column_diff_own(SsDiff *d, SsObject *cur, SsObject *want)
{
	SsChange   *prev = NULL;
	bool		typechange;
	bool		defchange;
	bool		keepdefault;
	const char *oldid;
	const char *newid;

	if (cur == NULL)
	{
		SsChange   *add = column_emit_add(d, want, SS_ACT_CREATE, "column missing in target");

		column_comment(d, NULL, want, add);
		return;
	}
	if (want == NULL)
	{
		column_emit_drop(d, cur, SS_ACT_DROP, "column not in reference");
		return;
	}
	if (column_needs_recreate(d, cur, want))
	{
		column_replace(d, cur, want,
					   cur->props[CP_GENERATED] ? "generation expression differs"
					   : "column becomes a generated column");
		return;
	}

	typechange = column_type_changes(cur, want);
	/* equal catalog rows: equal defaults (or none), and neither is deparsed */
	if (ss_raw_equal(cur, want))
		defchange = false;
	else
	{
		const char *cdef = ss_prop(cur, CP_DEFAULT);
		const char *wdef = ss_prop(want, CP_DEFAULT);

		defchange = !ss_streq(cdef, wdef) &&
			!(cdef && wdef && ss_expr_equal(d, cur, cdef, want, wdef, 'd'));
	}

	/*
	 * ALTER COLUMN TYPE converts the default itself when it can; it need not
	 * be dropped and set again when it does not change and casts.
	 */
	keepdefault = typechange && !defchange && cur->props[CP_DEFAULT] &&
		OidIsValid(cur->typoid) && OidIsValid(want->typoid) &&
		can_coerce_type(1, &cur->typoid, &want->typoid, COERCION_ASSIGNMENT) &&
		strstr(ss_prop(cur, CP_DEFAULT), "nextval(") == NULL;
	oldid = cur->props[CP_IDENTITY];
	newid = want->props[CP_IDENTITY];

	/* generated column becoming a plain one keeps its values */
	if (cur->props[CP_GENERATED] && want->props[CP_GENERATED] == NULL)
		prev = column_alter(d, cur, want, prev, "DROP EXPRESSION",
							"column is no longer generated", 0);

	/* identity goes first, so that a default can take its place */
	if (oldid && newid == NULL)
	{
		prev = column_alter(d, cur, want, prev, "DROP IDENTITY",
							"identity removed", 0);
		if (cur->aux)
			prev->frees = lappend(prev->frees, cur->aux);
	}
	else if (oldid && newid && strcmp(oldid, newid) != 0)
		prev = column_alter(d, cur, want, prev,
							strcmp(newid, "always") == 0 ? "SET GENERATED ALWAYS" : "SET GENERATED BY DEFAULT",
							"identity kind differs", 0);

	/* an old default is dropped before a type change that it could block */
	if (cur->props[CP_DEFAULT] && !keepdefault &&
		(want->props[CP_DEFAULT] == NULL || (defchange && typechange) ||
		 (typechange && want->props[CP_DEFAULT])))
		prev = column_alter(d, cur, want, prev, "DROP DEFAULT",
							want->props[CP_DEFAULT] ? "default is set again after the type change" : "default removed",
							0);

	if (typechange)
	{
		StringInfoData act;
		uint32		hz = 0;
		SsChange   *c;
		bool		widening;

		initStringInfo(&act);
		appendStringInfo(&act, "TYPE %s", want->props[CP_TYPE]);
		if (want->props[CP_COLLATION])
			appendStringInfo(&act, " COLLATE %s", want->props[CP_COLLATION]);
		else if (cur->props[CP_COLLATION])
			appendStringInfoString(&act, " COLLATE pg_catalog.\"default\"");
		if (OidIsValid(cur->typoid) && OidIsValid(want->typoid) &&
			cur->typoid != want->typoid &&
			!can_coerce_type(1, &cur->typoid, &want->typoid, COERCION_ASSIGNMENT))
		{
			/* from or to an enum: through text, no cast exists */
			appendStringInfo(&act, " USING %s::%s%s", quote_identifier(want->name),
							 enum_or_array(cur->typoid) ||
							 (enum_or_array(want->typoid) &&
							  TypeCategory(cur->typoid) != TYPCATEGORY_STRING) ? "text::" : "",
							 want->props[CP_TYPE]);
			hz |= SS_HZ_MAY_FAIL;
		}
		widening = type_change_is_widening(cur->typoid, cur->typmod,
										   want->typoid, want->typmod);
		if (type_change_rewrites(cur->typoid, cur->typmod, want->typoid, want->typmod))
			hz |= SS_HZ_REWRITES_TABLE;

		/* a narrowing fails on values that do not fit, or loses them */
		if (!widening && cur->props[CP_TYPE] && !ss_streq(cur->props[CP_TYPE], want->props[CP_TYPE]))
			hz |= SS_HZ_DELETES_DATA | SS_HZ_MAY_FAIL;
		c = column_alter(d, cur, want, prev, act.data,
						 psprintf("type %s becomes %s", cur->props[CP_TYPE], want->props[CP_TYPE]),
						 hz);
		c->destructive = (hz & SS_HZ_DELETES_DATA) != 0;
		prev = c;
	}

	if (want->props[CP_DEFAULT] && !keepdefault &&
		(defchange || (typechange && cur->props[CP_DEFAULT])))
		prev = column_alter(d, cur, want, prev,
							psprintf("SET DEFAULT %s", ss_prop(want, CP_DEFAULT)),
							"default differs", 0);

	if (!ss_streq(cur->props[CP_NOT_NULL], want->props[CP_NOT_NULL]))
	{
		if (want->props[CP_NOT_NULL])
			prev = column_alter(d, cur, want, prev, "SET NOT NULL", "column becomes NOT NULL",
								SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL);
		else if (!(oldid && newid))
			prev = column_alter(d, cur, want, prev, "DROP NOT NULL", "column becomes nullable", 0);
	}

	if (oldid == NULL && newid)
	{
		/*
		 * The new identity sequence starts afresh: on a column that held
		 * values (a serial column, typically), new rows can collide.
		 */
		prev = column_alter(d, cur, want, prev,
							psprintf("ADD GENERATED %s AS IDENTITY%s%s%s",
									 strcmp(newid, "always") == 0 ? "ALWAYS" : "BY DEFAULT",
									 want->props[CP_IDENTITY_OPTIONS] ? " (" : "",
									 want->props[CP_IDENTITY_OPTIONS] ? want->props[CP_IDENTITY_OPTIONS] : "",
									 want->props[CP_IDENTITY_OPTIONS] ? ")" : ""),
							"column becomes an identity column",
							SS_HZ_SEQUENCE_RESET);
		/* its sequence takes the reference's name: after the old one goes */
		if (want->aux)
			prev->takes = lappend(prev->takes, want->aux);
		prev->adds_only = true;
	}
	else if (oldid && newid &&
			 !ss_streq(cur->props[CP_IDENTITY_OPTIONS], want->props[CP_IDENTITY_OPTIONS]))
	{
		char	   *sets = identity_option_changes(cur->props[CP_IDENTITY_OPTIONS],
												   want->props[CP_IDENTITY_OPTIONS]);

		if (sets[0])
		{
			uint32		hz = 0;
			char	   *restart = ss_sequence_restart(ss_object_seqvalue(cur),
													  ss_seqnum(cur, start),
													  ss_seqnum(want, min),
													  ss_seqnum(want, max),
													  ss_seqnum(want, start), &hz);

			prev = column_alter(d, cur, want, prev,
								restart ? psprintf("%s RESTART WITH %s", sets, restart) : sets,
								"identity sequence options differ", hz);
			prev->destructive = (hz & SS_HZ_SEQUENCE_RESET) != 0;
		}
	}

	column_comment(d, cur, want, NULL);
}

/*
 * column_diff
 *		Diff a column; an inherited one once its parents' are (see
 *		kind_partition.c).
 */
static void
column_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (!ss_inherited_column_defer(d, cur, want))
		column_diff_own(d, cur, want);
}

/*
 * column_breaks_dependents
 *		A type or collation change breaks foreign keys and generated columns
 *		that use the column.
 */
static bool
column_breaks_dependents(SsDiff *d, SsObject *cur, SsObject *want)
{
	return column_type_changes(cur, want);
}

const SsKindOps ss_column_ops = {
	.name = "column",
	.nprops = CP_NUM,
	.propnames = column_propnames,
	.proptypes = "ttbtttttt",
	.diff = column_diff,
	.replace = column_replace,
	.breaks_dependents = column_breaks_dependents,
};
