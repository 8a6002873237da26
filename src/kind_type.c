/*-------------------------------------------------------------------------
 *
 * kind_type.c
 *	  User types: enums, domains (with their CHECK constraints), composite
 *	  types and range types.
 *
 * One kind, "type", covers the four forms (property type_kind); the CHECK
 * constraints of a domain are a kind of their own, "domain_constraint", so
 * that each is added, dropped, validated and commented on by itself.
 *
 * What is altered in place:
 *	- enums: labels only added, in any position (ALTER TYPE ... ADD VALUE
 *	  ... BEFORE/AFTER, computed from the desired order);
 *	- domains: default, NOT NULL, constraints (added NOT VALID or not,
 *	  dropped, validated);
 *	- composite types: attributes dropped, appended or changing type
 *	  (unless a table column uses the type: PostgreSQL refuses to change an
 *	  attribute's type then);
 *	- comments on all of them.
 *
 * Anything else (labels removed or reordered, a domain's base type or
 * collation, a range's definition, attributes reordered) re-creates the
 * type.  A type nothing uses is dropped and created.  A type in use is
 * converted: the old type is renamed away, the new one created, every
 * column of the type (or of an array of it) converted through its text
 * form with ALTER COLUMN ... TYPE ... USING, constraints, indexes and other
 * objects that mention the type re-created, types built on it (domains,
 * composite and range types) converted the same way, and the old type
 * dropped last.  A new enum label used in the same migration (in a
 * default, a CHECK, a domain constraint, an index predicate) cannot be
 * added with ADD VALUE in the one transaction apply runs in (PostgreSQL
 * refuses to use an uncommitted label), so such an enum is re-created too.
 *
 * src/kind_type.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/indexing.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_description.h"
#include "catalog/pg_enum.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_range.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/rel.h"
#include "utils/syscache.h"

#include "schemasync.h"

static const char *const type_propnames[TY_NUM] = {
	"type_kind", "labels", "base", "collation", "default", "not_null",
	"attributes", "subtype_opclass", "canonical", "subtype_diff",
	"multirange", "attribute_comments", "comment"
};

static const char *const domconstraint_propnames[DP_NUM] = {
	"definition", "comment"
};

static char *attr_name(const char *def);
static const char *attr_rest(const char *def);
static const char *attr_find(List *defs, const char *name);

/* one type as read from pg_type, with what the other catalogs add */
typedef struct TypeRow
{
	HeapTuple	tup;			/* its pg_type row */
	text	   *defaultbin;		/* a domain's default, or NULL */
	FormData_pg_range rng;		/* a range's pg_range row */
	bool		hasrange;
	List	   *labels;			/* an enum's labels (EnumLabel *) */
	char	  **attnames;		/* a composite's attributes by number */
	int			nattnames;
	char	   *attributes;		/* TY_ATTRIBUTES */
	List	   *attrcomments;	/* attribute comments (AttrComment *) */
	char	   *comment;
} TypeRow;

/* a CHECK constraint of a domain read */
typedef struct DomConRow
{
	int			type;			/* its domain's row */
	Oid			oid;
	NameData	name;
	char	   *comment;
} DomConRow;

/* an enum label and its position */
typedef struct EnumLabel
{
	float4		sortorder;
	char	   *label;
} EnumLabel;

/* a comment on an attribute of a composite type */
typedef struct AttrComment
{
	int			attnum;
	char	   *text;
} AttrComment;

/*
 * type_row_cmp
 *		qsort order of the types read: by name, bytewise.
 */
static int
type_row_cmp(const void *a, const void *b)
{
	const TypeRow *x = a;
	const TypeRow *y = b;

	return strcmp(NameStr(((Form_pg_type) GETSTRUCT(x->tup))->typname),
				  NameStr(((Form_pg_type) GETSTRUCT(y->tup))->typname));
}

/*
 * domcon_row_cmp
 *		qsort order of the domain constraints read: by domain (whose rows
 *		are in name order), then name, bytewise.
 */
static int
domcon_row_cmp(const void *a, const void *b)
{
	const DomConRow *x = a;
	const DomConRow *y = b;

	if (x->type != y->type)
		return x->type - y->type;
	return strcmp(NameStr(x->name), NameStr(y->name));
}

/*
 * enum_label_cmp
 *		list_sort order of an enum's labels: enumsortorder.
 */
static int
enum_label_cmp(const ListCell *a, const ListCell *b)
{
	float4		x = ((EnumLabel *) lfirst(a))->sortorder;
	float4		y = ((EnumLabel *) lfirst(b))->sortorder;

	return (x > y) - (x < y);
}

/*
 * attr_comment_cmp
 *		list_sort order of a composite type's attribute comments: attnum.
 */
static int
attr_comment_cmp(const ListCell *a, const ListCell *b)
{
	return ((AttrComment *) lfirst(a))->attnum - ((AttrComment *) lfirst(b))->attnum;
}

/*
 * text_array_out
 *		The text form of a text[] of the given strings (a NULL string is a
 *		NULL element), as array_agg(...)::text gives it; NULL when there
 *		are none.
 */
static char *
text_array_out(char **strs, int n)
{
	Datum	   *elems;
	bool	   *nulls;
	int			dims[1];
	int			lbs[1];
	ArrayType  *arr;
	int			i;

	if (n == 0)
		return NULL;
	elems = palloc(n * sizeof(Datum));
	nulls = palloc(n * sizeof(bool));
	for (i = 0; i < n; i++)
	{
		nulls[i] = (strs[i] == NULL);
		elems[i] = nulls[i] ? (Datum) 0 : CStringGetTextDatum(strs[i]);
	}
	dims[0] = n;
	lbs[0] = 1;
	arr = construct_md_array(elems, nulls, 1, dims, lbs, TEXTOID, -1, false, TYPALIGN_INT);
	return OidOutputFunctionCall(F_ARRAY_OUT, PointerGetDatum(arr));
}

/*
 * schema_local_name
 *		The name of a collation or operator class as the type texts write
 *		it: unqualified when in pg_catalog or in the schema read, else
 *		qualified; NULL when its schema does not exist.
 */
static char *
schema_local_name(Oid objnsp, const char *name, Oid nsp)
{
	char	   *nspname = get_namespace_name(objnsp);

	if (nspname == NULL)
		return NULL;
	if (objnsp == PG_CATALOG_NAMESPACE || objnsp == nsp)
		return pstrdup(quote_identifier(name));
	return quote_qualified_identifier(nspname, name);
}

/*
 * collation_name
 *		The name of a collation for COLLATE, or NULL when it does not exist.
 */
static char *
collation_name(Oid coll, Oid nsp)
{
	HeapTuple	tup = SearchSysCache1(COLLOID, ObjectIdGetDatum(coll));
	Form_pg_collation form;
	char	   *result;

	if (!HeapTupleIsValid(tup))
		return NULL;
	form = (Form_pg_collation) GETSTRUCT(tup);
	result = schema_local_name(form->collnamespace, NameStr(form->collname), nsp);
	ReleaseSysCache(tup);
	return result;
}

/*
 * read_type_rows
 *		The schema's enum, domain, composite and range types that are no
 *		extension members: one scan of pg_type keyed by namespace.  A
 *		composite type is one whose relation is of relkind 'c': a table's or
 *		a view's row type (registered by their readers) is not looked up.
 */
static TypeRow *
read_type_rows(Oid nsp, int *count)
{
	HTAB	   *members = ss_extension_members(TypeRelationId);
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	TypeRow    *rows;
	int			nrows = 0;
	int			maxrows = 64;

	rows = palloc(maxrows * sizeof(TypeRow));
	scan = ss_scan_begin(TypeRelationId, Anum_pg_type_typnamespace, nsp, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_type typ = (Form_pg_type) GETSTRUCT(tup);
		TypeRow    *row;

		if (typ->typtype != TYPTYPE_ENUM && typ->typtype != TYPTYPE_DOMAIN &&
			typ->typtype != TYPTYPE_RANGE && typ->typtype != TYPTYPE_COMPOSITE)
			continue;
		if (typ->typtype == TYPTYPE_COMPOSITE &&
			(ss_lookup_addr(TypeRelationId, typ->oid, 0) != NULL ||
			 get_rel_relkind(typ->typrelid) != RELKIND_COMPOSITE_TYPE))
			continue;
		if (ss_oid_map_get(members, typ->oid) >= 0)
			continue;
		if (nrows == maxrows)
		{
			maxrows *= 2;
			rows = repalloc(rows, maxrows * sizeof(TypeRow));
		}
		row = &rows[nrows++];
		memset(row, 0, sizeof(TypeRow));
		row->tup = heap_copytuple(tup);
		if (typ->typtype == TYPTYPE_DOMAIN)
		{
			bool		isnull;
			Datum		bin = heap_getattr(tup, Anum_pg_type_typdefaultbin,
										   RelationGetDescr(rel), &isnull);

			if (!isnull)
				row->defaultbin = DatumGetTextPCopy(bin);
		}
	}
	ss_scan_end(scan, rel);
	if (members)
		hash_destroy(members);
	qsort(rows, nrows, sizeof(TypeRow), type_row_cmp);
	*count = nrows;
	return rows;
}

/*
 * read_domain_constraints
 *		The CHECK constraints of the domains read: one heap scan of
 *		pg_constraint, when there are domains.  Their comments are read with
 *		the types' (read_type_parts).
 */
static DomConRow *
read_domain_constraints(HTAB *bytype, int *count)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	DomConRow  *cons = NULL;
	int			ncons = 0;
	int			maxcons = 0;

	scan = ss_scan_begin(ConstraintRelationId, 0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_constraint con = (Form_pg_constraint) GETSTRUCT(tup);
		int			r;

		if (con->contype != CONSTRAINT_CHECK || !OidIsValid(con->contypid) ||
			(r = ss_oid_map_get(bytype, con->contypid)) < 0)
			continue;
		if (ncons == maxcons)
		{
			maxcons = Max(16, 2 * maxcons);
			cons = cons ? repalloc(cons, maxcons * sizeof(DomConRow))
				: palloc(maxcons * sizeof(DomConRow));
		}
		cons[ncons].type = r;
		cons[ncons].oid = con->oid;
		cons[ncons].name = con->conname;
		cons[ncons].comment = NULL;
		ncons++;
	}
	ss_scan_end(scan, rel);
	*count = ncons;
	return cons;
}

/* the lowest and highest OID of the objects of one catalog, for comments */
typedef struct OidSpan
{
	Oid			classoid;
	Oid			lo;
	Oid			hi;
} OidSpan;

/*
 * span_add
 *		Widen a span to an OID.
 */
static void
span_add(OidSpan *span, Oid oid)
{
	span->lo = Min(span->lo, oid);
	span->hi = Max(span->hi, oid);
}

/*
 * read_type_parts
 *		What pg_range, pg_enum, pg_attribute, pg_constraint and
 *		pg_description add to the types read: one heap scan of pg_range, of
 *		pg_enum and of pg_constraint (when there are such types), an index
 *		range of pg_attribute per composite type (a heap scan would read
 *		every table's columns), an index range of pg_description per catalog
 *		commented on (types, composite types' relations, domain constraints).  Returns
 *		the CHECK constraints of the domains, in the order of the model.
 */
static DomConRow *
read_type_parts(TypeRow *rows, int nrows, Oid nsp, int *ncons)
{
	HTAB	   *bytype = ss_oid_map_create("schemasync types", nrows);
	HTAB	   *byrel = NULL;
	HTAB	   *bycon = NULL;
	DomConRow  *cons = NULL;
	bool		ranges = false;
	bool		enums = false;
	bool		domains = false;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	OidSpan		spans[3] = {
		{TypeRelationId, OID_MAX, InvalidOid},
		{RelationRelationId, OID_MAX, InvalidOid},
		{ConstraintRelationId, OID_MAX, InvalidOid}
	};
	int			c;
	int			i;

	for (i = 0; i < nrows; i++)
	{
		Form_pg_type typ = (Form_pg_type) GETSTRUCT(rows[i].tup);

		ss_oid_map_set(bytype, typ->oid, i);
		ranges |= (typ->typtype == TYPTYPE_RANGE);
		enums |= (typ->typtype == TYPTYPE_ENUM);
		domains |= (typ->typtype == TYPTYPE_DOMAIN);
		if (typ->typtype == TYPTYPE_COMPOSITE)
		{
			if (byrel == NULL)
				byrel = ss_oid_map_create("schemasync composite types", 64);
			ss_oid_map_set(byrel, typ->typrelid, i);
		}
	}

	if (ranges)
	{
		scan = ss_scan_begin(RangeRelationId, 0, InvalidOid, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			Form_pg_range rng = (Form_pg_range) GETSTRUCT(tup);
			int			r = ss_oid_map_get(bytype, rng->rngtypid);

			if (r < 0)
				continue;
			rows[r].rng = *rng;
			rows[r].hasrange = true;
		}
		ss_scan_end(scan, rel);
	}

	if (enums)
	{
		scan = ss_scan_begin(EnumRelationId, 0, InvalidOid, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			Form_pg_enum en = (Form_pg_enum) GETSTRUCT(tup);
			int			r = ss_oid_map_get(bytype, en->enumtypid);
			EnumLabel  *l;

			if (r < 0)
				continue;
			l = palloc(sizeof(EnumLabel));
			l->sortorder = en->enumsortorder;
			l->label = pstrdup(NameStr(en->enumlabel));
			rows[r].labels = lappend(rows[r].labels, l);
		}
		ss_scan_end(scan, rel);
	}

	if (byrel != NULL)
	{
		rel = table_open(AttributeRelationId, AccessShareLock);
		for (i = 0; i < nrows; i++)
		{
			Form_pg_type typ = (Form_pg_type) GETSTRUCT(rows[i].tup);
			ScanKeyData key;
			char	  **elems = NULL;
			int			n = 0;

			if (typ->typtype != TYPTYPE_COMPOSITE)
				continue;
			ScanKeyInit(&key, Anum_pg_attribute_attrelid,
						BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(typ->typrelid));
			scan = systable_beginscan(rel, AttributeRelidNumIndexId, true, NULL, 1, &key);
			while (HeapTupleIsValid(tup = systable_getnext(scan)))
			{
				Form_pg_attribute att = (Form_pg_attribute) GETSTRUCT(tup);
				char	   *elem;

				if (att->attnum <= 0 || att->attisdropped)
					continue;
				elem = psprintf("%s %s", quote_identifier(NameStr(att->attname)),
								TextDatumGetCString(DirectFunctionCall2(format_type,
																		ObjectIdGetDatum(att->atttypid),
																		Int32GetDatum(att->atttypmod))));
				if (att->attcollation != get_typcollation(att->atttypid))
				{
					char	   *coll = collation_name(att->attcollation, nsp);

					elem = coll ? psprintf("%s COLLATE %s", elem, coll) : NULL;
				}
				if (att->attnum > rows[i].nattnames)
				{
					int			size = Max(att->attnum, 2 * rows[i].nattnames);
					char	  **names = palloc0(size * sizeof(char *));

					if (rows[i].nattnames > 0)
						memcpy(names, rows[i].attnames, rows[i].nattnames * sizeof(char *));
					rows[i].attnames = names;
					rows[i].nattnames = size;
				}
				rows[i].attnames[att->attnum - 1] = pstrdup(NameStr(att->attname));
				elems = elems ? repalloc(elems, (n + 1) * sizeof(char *)) : palloc(sizeof(char *));
				elems[n++] = elem;
			}
			systable_endscan(scan);
			rows[i].attributes = text_array_out(elems, n);
		}
		table_close(rel, AccessShareLock);
	}

	*ncons = 0;
	if (domains)
		cons = read_domain_constraints(bytype, ncons);
	if (*ncons > 0)
	{
		bycon = ss_oid_map_create("schemasync domain constraints", *ncons);
		for (i = 0; i < *ncons; i++)
			ss_oid_map_set(bycon, cons[i].oid, i);
	}

	/*
	 * Comments on the types, on the attributes of composite types and on
	 * the constraints of domains: per catalog, the range of pg_description's
	 * index from the lowest OID read to the highest, its classoid checked in
	 * the index, instead of a heap scan of every comment of the database.
	 */
	for (i = 0; i < nrows; i++)
	{
		Form_pg_type typ = (Form_pg_type) GETSTRUCT(rows[i].tup);

		span_add(&spans[0], typ->oid);
		if (typ->typtype == TYPTYPE_COMPOSITE)
			span_add(&spans[1], typ->typrelid);
	}
	for (i = 0; i < *ncons; i++)
		span_add(&spans[2], cons[i].oid);
	for (c = 0; c < lengthof(spans); c++)
	{
		if (spans[c].lo > spans[c].hi)
			continue;
		scan = ss_scan_range_begin(DescriptionRelationId, DescriptionObjIndexId,
								   Anum_pg_description_objoid, spans[c].lo, spans[c].hi,
								   Anum_pg_description_classoid, spans[c].classoid, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			Form_pg_description ds = (Form_pg_description) GETSTRUCT(tup);
			Datum		value;
			bool		isnull;
			int			r;

			if (ds->classoid == TypeRelationId && ds->objsubid == 0)
				r = ss_oid_map_get(bytype, ds->objoid);
			else if (ds->classoid == RelationRelationId && ds->objsubid > 0)
				r = ss_oid_map_get(byrel, ds->objoid);
			else if (ds->classoid == ConstraintRelationId)
				r = ss_oid_map_get(bycon, ds->objoid);
			else
				continue;
			if (r < 0)
				continue;
			value = heap_getattr(tup, Anum_pg_description_description,
								 RelationGetDescr(rel), &isnull);
			if (isnull)
				continue;
			if (ds->classoid == TypeRelationId)
				rows[r].comment = TextDatumGetCString(value);
			else if (ds->classoid == ConstraintRelationId)
				cons[r].comment = TextDatumGetCString(value);
			else if (ds->objsubid <= rows[r].nattnames &&
					 rows[r].attnames[ds->objsubid - 1] != NULL)
			{
				AttrComment *ac = palloc(sizeof(AttrComment));

				ac->attnum = ds->objsubid;
				ac->text = TextDatumGetCString(value);
				rows[r].attrcomments = lappend(rows[r].attrcomments, ac);
			}
		}
		ss_scan_end(scan, rel);
	}
	hash_destroy(bytype);
	if (byrel)
		hash_destroy(byrel);
	if (bycon)
		hash_destroy(bycon);
	if (*ncons > 1)
		qsort(cons, *ncons, sizeof(DomConRow), domcon_row_cmp);
	return cons;
}

/*
 * type_row_props
 *		The properties of one type read, with the texts of the query this
 *		reader replaced: format_type (with no typmod for a range's subtype),
 *		pg_get_expr of a domain's default, regproc names, text[] literals.
 */
static void
type_row_props(SsObject *t, TypeRow *row, Oid nsp)
{
	Form_pg_type typ = (Form_pg_type) GETSTRUCT(row->tup);
	ListCell   *lc;
	int			i;

	switch (typ->typtype)
	{
		case TYPTYPE_ENUM:
			t->props[TY_TYPE_KIND] = "enum";
			break;
		case TYPTYPE_DOMAIN:
			t->props[TY_TYPE_KIND] = "domain";
			break;
		case TYPTYPE_COMPOSITE:
			t->props[TY_TYPE_KIND] = "composite";
			break;
		default:
			t->props[TY_TYPE_KIND] = "range";
			break;
	}
	if (row->labels != NIL)
	{
		char	  **labels = palloc(list_length(row->labels) * sizeof(char *));

		list_sort(row->labels, enum_label_cmp);
		i = 0;
		foreach(lc, row->labels)
			labels[i++] = ((EnumLabel *) lfirst(lc))->label;
		t->props[TY_LABELS] = text_array_out(labels, i);
	}
	if (typ->typtype == TYPTYPE_DOMAIN)
	{
		t->props[TY_BASE] =
			TextDatumGetCString(DirectFunctionCall2(format_type,
													ObjectIdGetDatum(typ->typbasetype),
													Int32GetDatum(typ->typtypmod)));
		if (typ->typcollation != get_typcollation(typ->typbasetype))
			t->props[TY_COLLATION] = collation_name(typ->typcollation, nsp);
		if (row->defaultbin != NULL)
		{
			MemoryContext back = ss_scratch_begin();
			char	   *expr;

			expr = TextDatumGetCString(DirectFunctionCall2(pg_get_expr,
														   PointerGetDatum(row->defaultbin),
														   ObjectIdGetDatum(InvalidOid)));
			MemoryContextSwitchTo(back);
			t->props[TY_DEFAULT] = pstrdup(expr);
		}
	}
	if (typ->typnotnull)
		t->props[TY_NOT_NULL] = "true";
	t->props[TY_ATTRIBUTES] = row->attributes;
	if (row->hasrange)
	{
		Form_pg_range rng = &row->rng;
		HeapTuple	tup;

		if (typ->typtype == TYPTYPE_RANGE)
		{
			t->props[TY_BASE] = format_type_extended(rng->rngsubtype, -1,
													 FORMAT_TYPE_ALLOW_INVALID);
			if (rng->rngcollation != get_typcollation(rng->rngsubtype))
				t->props[TY_COLLATION] = collation_name(rng->rngcollation, nsp);
		}
		tup = SearchSysCache1(CLAOID, ObjectIdGetDatum(rng->rngsubopc));
		if (HeapTupleIsValid(tup))
		{
			Form_pg_opclass opc = (Form_pg_opclass) GETSTRUCT(tup);

			if (!opc->opcdefault)
				t->props[TY_OPCLASS] = schema_local_name(opc->opcnamespace,
														 NameStr(opc->opcname), nsp);
			ReleaseSysCache(tup);
		}
		if (OidIsValid(rng->rngcanonical))
			t->props[TY_CANONICAL] =
				DatumGetCString(DirectFunctionCall1(regprocout,
													ObjectIdGetDatum(rng->rngcanonical)));
		if (OidIsValid(rng->rngsubdiff))
			t->props[TY_SUBDIFF] =
				DatumGetCString(DirectFunctionCall1(regprocout,
													ObjectIdGetDatum(rng->rngsubdiff)));
#if PG_VERSION_NUM >= 140000
		tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(rng->rngmultitypid));
		if (HeapTupleIsValid(tup))
		{
			t->props[TY_MULTIRANGE] = pstrdup(NameStr(((Form_pg_type) GETSTRUCT(tup))->typname));
			ReleaseSysCache(tup);
		}
#endif
	}
	if (row->attrcomments != NIL)
	{
		char	  **comments = palloc(list_length(row->attrcomments) * sizeof(char *));

		list_sort(row->attrcomments, attr_comment_cmp);
		i = 0;
		foreach(lc, row->attrcomments)
		{
			AttrComment *ac = lfirst(lc);

			comments[i++] = psprintf("%s %s", quote_identifier(row->attnames[ac->attnum - 1]),
									 quote_literal_cstr(ac->text));
		}
		t->props[TY_ATTR_COMMENTS] = text_array_out(comments, i);
	}
	t->props[TY_COMMENT] = row->comment;
}

/*
 * ss_read_types
 *		All enum, domain, composite and range types of a schema, and the
 *		CHECK constraints of its domains, read by catalog scans
 *		(read_type_rows, read_type_parts) in the order of the query they
 *		replaced (types by name, then constraints by domain and name).
 */
void
ss_read_types(SsModel *m, Oid nsp)
{
	TypeRow    *rows;
	DomConRow  *cons = NULL;
	int			nrows;
	int			ncons = 0;
	int			i;

	rows = read_type_rows(nsp, &nrows);
	if (nrows > 0)
		cons = read_type_parts(rows, nrows, nsp, &ncons);
	for (i = 0; i < nrows; i++)
	{
		Form_pg_type typ = (Form_pg_type) GETSTRUCT(rows[i].tup);
		SsObject   *t = ss_object_add(m, SS_TYPE, m->schema, NULL, NameStr(typ->typname));

		type_row_props(t, &rows[i], nsp);
		t->oid = typ->oid;
		/* the array type, to tell columns of an array of this type */
		t->typoid = typ->typarray;
		ss_register_addr(TypeRelationId, t->oid, 0, t);
		/* what depends on the array or multirange depends on the type */
		if (OidIsValid(t->typoid))
			ss_register_addr(TypeRelationId, t->typoid, 0, t);
#if PG_VERSION_NUM >= 140000
		if (rows[i].hasrange && OidIsValid(rows[i].rng.rngmultitypid))
			ss_register_addr(TypeRelationId, rows[i].rng.rngmultitypid, 0, t);
#endif
		if (OidIsValid(typ->typrelid))
			ss_register_addr(RelationRelationId, typ->typrelid, 0, t);
	}

	for (i = 0; i < ncons; i++)
	{
		Form_pg_type typ = (Form_pg_type) GETSTRUCT(rows[cons[i].type].tup);
		SsObject   *k = ss_object_add(m, SS_DOMCONSTRAINT, m->schema,
									  NameStr(typ->typname), NameStr(cons[i].name));
		MemoryContext back = ss_scratch_begin();
		char	   *def;

		def = TextDatumGetCString(DirectFunctionCall1(pg_get_constraintdef,
													  ObjectIdGetDatum(cons[i].oid)));
		MemoryContextSwitchTo(back);
		k->props[DP_DEFINITION] = pstrdup(def);
		k->props[DP_COMMENT] = cons[i].comment;
		k->oid = cons[i].oid;
		ss_register_addr(ConstraintRelationId, k->oid, 0, k);
	}
	pfree(rows);
}

/*
 * ss_text_array_elems
 *		The elements of a text[] literal ("{a,b}") as a List of C strings
 *		(the form of array properties such as enum labels).
 */
List *
ss_text_array_elems(const char *lit)
{
	ArrayType  *arr;
	Datum	   *elems;
	bool	   *nulls;
	int			n;
	int			i;
	List	   *res = NIL;

	if (lit == NULL)
		return NIL;
	arr = DatumGetArrayTypeP(OidInputFunctionCall(F_ARRAY_IN, (char *) lit,
												   TEXTOID, -1));
	deconstruct_array(arr, TEXTOID, -1, false, TYPALIGN_INT, &elems, &nulls, &n);
	for (i = 0; i < n; i++)
		if (!nulls[i])
			res = lappend(res, TextDatumGetCString(elems[i]));
	return res;
}

/*
 * type_ref_name
 *		The unqualified type name a type text of a model refers to, into buf
 *		(true), or false: "mood", "mood[]", "\"My type\"[]", "numeric(10,2)"
 *		give mood, mood, My type and numeric; a qualified name (another
 *		schema's type) gives false.  Only used to add the dependencies a
 *		hand-written model leaves out.
 */
static bool
type_ref_name(const char *text, StringInfo buf)
{
	const char *p = text;

	if (text == NULL)
		return false;
	resetStringInfo(buf);
	if (*p == '"')
	{
		for (p++; *p; p++)
		{
			if (*p == '"')
			{
				if (p[1] != '"')
				{
					p++;
					break;
				}
				p++;
			}
			appendStringInfoChar(buf, *p);
		}
	}
	else
	{
		const char *start = p;

		while (*p && *p != '[' && *p != '(' && *p != ' ' && *p != '.')
			p++;
		appendBinaryStringInfo(buf, start, p - start);
	}
	return *p != '.' && buf->len > 0;
}

/*
 * add_type_ref
 *		A dependency of obj on the type of the model that a type text names,
 *		if any; name and key are the caller's buffers.  The dependency
 *		shares the type's key.
 */
static void
add_type_ref(SsModel *m, SsObject *obj, const char *text, StringInfo name,
			 StringInfo key)
{
	SsObject   *type;

	if (!type_ref_name(text, name))
		return;
	/* the key, as ss_make_key writes it, in a buffer */
	resetStringInfo(key);
	appendStringInfo(key, "type:%s", name->data);
	if ((type = ss_object_lookup(m, key->data)) != NULL)
		ss_object_add_dep_on(obj, type, SS_DEP_NORMAL);
}

/*
 * ss_add_type_refs
 *		Dependencies of the columns and types of a model read from JSON on
 *		the types of the model their type texts name, so that a hand-written
 *		model without "depends_on" is still created in an order that works.
 *		A column's one text is looked at without a list of it: a model of
 *		10,000 tables has 130,000 columns.
 */
void
ss_add_type_refs(SsModel *m)
{
	ListCell   *lc;
	StringInfoData name;
	StringInfoData key;

	initStringInfo(&name);
	initStringInfo(&key);

	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		ListCell   *tc;

		if (obj->kind == SS_COLUMN)
			add_type_ref(m, obj, obj->props[CP_TYPE], &name, &key);
		else if (obj->kind == SS_TYPE)
		{
			add_type_ref(m, obj, obj->props[TY_BASE], &name, &key);
			foreach(tc, ss_text_array_elems(obj->props[TY_ATTRIBUTES]))
				add_type_ref(m, obj, attr_rest(lfirst(tc)), &name, &key);
		}
	}
	pfree(name.data);
	pfree(key.data);
}

/*
 * is_kind
 *		Whether a type object is of the given form.
 */
static bool
is_kind(SsObject *t, const char *form)
{
	return ss_streq(t->props[TY_TYPE_KIND], form);
}

/*
 * type_word
 *		The word of the type's statements: DOMAIN or TYPE.
 */
static const char *
type_word(SsObject *t)
{
	return is_kind(t, "domain") ? "DOMAIN" : "TYPE";
}

/*
 * string_member
 *		Whether a list of C strings holds s.
 */
static bool
string_member(List *l, const char *s)
{
	ListCell   *lc;

	foreach(lc, l)
		if (strcmp(lfirst(lc), s) == 0)
			return true;
	return false;
}

/*
 * string_lists_equal
 *		Whether two lists of C strings are equal, element by element.
 */
static bool
string_lists_equal(List *a, List *b)
{
	ListCell   *la;
	ListCell   *lb;

	if (list_length(a) != list_length(b))
		return false;
	forboth(la, a, lb, b)
	{
		if (strcmp(lfirst(la), lfirst(lb)) != 0)
			return false;
	}
	return true;
}

/*
 * attr_name
 *		The (unquoted) name at the start of an attribute definition
 *		"name type [COLLATE c]", name quoted as an SQL identifier when needed.
 */
static char *
attr_name(const char *def)
{
	StringInfoData buf;
	const char *p = def;

	initStringInfo(&buf);
	if (*p == '"')
	{
		for (p++; *p; p++)
		{
			if (*p == '"')
			{
				if (p[1] != '"')
					break;
				p++;
			}
			appendStringInfoChar(&buf, *p);
		}
		return buf.data;
	}
	while (*p && *p != ' ')
		appendStringInfoChar(&buf, *p++);
	return buf.data;
}

/*
 * attr_rest
 *		What follows the name in an attribute definition: "type [COLLATE c]".
 */
static const char *
attr_rest(const char *def)
{
	const char *name = quote_identifier(attr_name(def));
	const char *p = def + strlen(name);

	while (*p == ' ')
		p++;
	return p;
}

/*
 * attr_find
 *		The definition of the named attribute in a list, or NULL.
 */
static const char *
attr_find(List *defs, const char *name)
{
	ListCell   *lc;

	foreach(lc, defs)
		if (strcmp(attr_name(lfirst(lc)), name) == 0)
			return lfirst(lc);
	return NULL;
}

/*
 * join_list
 *		The elements of a list joined with a separator, each passed through
 *		quote_literal_cstr when quote is set.
 */
static char *
join_list(List *l, const char *sep, bool quote)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, l)
		appendStringInfo(&buf, "%s%s", buf.len ? sep : "",
						 quote ? quote_literal_cstr(lfirst(lc)) : (char *) lfirst(lc));
	return buf.data;
}

/*
 * constraint_not_valid
 *		Whether a domain constraint is NOT VALID.
 */
static bool
constraint_not_valid(SsObject *k)
{
	const char *def = k->props[DP_DEFINITION];
	size_t		len = strlen(def);

	return len > 10 && strcmp(def + len - 10, " NOT VALID") == 0;
}

/*
 * type_create_sql
 *		The CREATE statement of a type (without a domain's constraints).
 */
static char *
type_create_sql(SsDiff *d, SsObject *t)
{
	StringInfoData buf;
	char	   *qname = ss_qualified(d->target, t->name);
	ListCell   *lc;

	initStringInfo(&buf);
	if (is_kind(t, "enum"))
		appendStringInfo(&buf, "CREATE TYPE %s AS ENUM (%s);", qname,
						 join_list(ss_text_array_elems(t->props[TY_LABELS]), ", ", true));
	else if (is_kind(t, "domain"))
	{
		appendStringInfo(&buf, "CREATE DOMAIN %s AS %s", qname, t->props[TY_BASE]);
		if (t->props[TY_COLLATION])
			appendStringInfo(&buf, " COLLATE %s", t->props[TY_COLLATION]);
		if (t->props[TY_DEFAULT])
			appendStringInfo(&buf, " DEFAULT %s", t->props[TY_DEFAULT]);
		if (t->props[TY_NOT_NULL])
			appendStringInfoString(&buf, " NOT NULL");
		foreach(lc, t->children)
		{
			SsObject   *k = lfirst(lc);

			if (k->kind == SS_DOMCONSTRAINT && !constraint_not_valid(k))
				appendStringInfo(&buf, " CONSTRAINT %s %s", quote_identifier(k->name),
								 k->props[DP_DEFINITION]);
		}
		appendStringInfoChar(&buf, ';');
	}
	else if (is_kind(t, "composite"))
		appendStringInfo(&buf, "CREATE TYPE %s AS (%s);", qname,
						 join_list(ss_text_array_elems(t->props[TY_ATTRIBUTES]), ", ", false));
	else
	{
		appendStringInfo(&buf, "CREATE TYPE %s AS RANGE (SUBTYPE = %s", qname,
						 t->props[TY_BASE]);
		if (t->props[TY_OPCLASS])
			appendStringInfo(&buf, ", SUBTYPE_OPCLASS = %s", t->props[TY_OPCLASS]);
		if (t->props[TY_COLLATION])
			appendStringInfo(&buf, ", COLLATION = %s", t->props[TY_COLLATION]);
		if (t->props[TY_CANONICAL])
			appendStringInfo(&buf, ", CANONICAL = %s", t->props[TY_CANONICAL]);
		if (t->props[TY_SUBDIFF])
			appendStringInfo(&buf, ", SUBTYPE_DIFF = %s", t->props[TY_SUBDIFF]);
		if (t->props[TY_MULTIRANGE])
			appendStringInfo(&buf, ", MULTIRANGE_TYPE_NAME = %s",
							 ss_qualified(d->target, t->props[TY_MULTIRANGE]));
		appendStringInfoString(&buf, ");");
	}
	return buf.data;
}

/*
 * type_comment
 *		COMMENT ON TYPE/DOMAIN when the comment differs.
 */
static void
type_comment(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	ss_emit_comment(d, cur, want, type_word(want), ss_qualified(d->target, want->name),
					TY_COMMENT, SS_LOCK_NONE, after);
}

/*
 * attr_comments
 *		COMMENT ON COLUMN type.attribute for the attribute comments of a
 *		composite type that differ (all of want's when cur is NULL), after
 *		the given step.
 */
static void
attr_comments(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	List	   *oldl = cur ? ss_text_array_elems(cur->props[TY_ATTR_COMMENTS]) : NIL;
	List	   *newl = ss_text_array_elems(want->props[TY_ATTR_COMMENTS]);
	List	   *attrs = ss_text_array_elems(want->props[TY_ATTRIBUTES]);
	ListCell   *lc;

	foreach(lc, attrs)
	{
		char	   *name = attr_name(lfirst(lc));
		const char *o = attr_find(oldl, name);
		const char *n = attr_find(newl, name);
		SsChange   *c;

		if (ss_streq(o ? attr_rest(o) : NULL, n ? attr_rest(n) : NULL))
			continue;
		c = ss_add_change(d, "comment", cur, want, o ? SS_ACT_ALTER : SS_ACT_CREATE,
						  psprintf("COMMENT ON COLUMN %s.%s IS %s;",
								   ss_qualified(d->target, want->name), quote_identifier(name),
								   n ? attr_rest(n) : "NULL"));
		c->late = true;
		c->reason = psprintf("comment of attribute %s %s", quote_identifier(name),
							 n ? "differs" : "removed");
		if (after)
			c->after = lappend(c->after, after);
	}
}

/*
 * domconstraint_target
 *		"ALTER DOMAIN schema.domain" of a domain constraint.
 */
static char *
domconstraint_target(SsDiff *d, SsObject *k)
{
	return psprintf("ALTER DOMAIN %s", ss_qualified(d->target, k->parent));
}

/*
 * domconstraint_emit_add
 *		ALTER DOMAIN ... ADD CONSTRAINT, and its comment.  Unless NOT VALID,
 *		it checks every value of every column of the domain.
 */
static SsChange *
domconstraint_emit_add(SsDiff *d, SsObject *want, SsAction action,
					   const char *reason, SsChange *after)
{
	SsChange   *c;

	/* a valid constraint of a domain being created is part of its CREATE */
	if (after && SS_ACT_IS_CREATE(after->action) && ss_own_change(after) &&
		after->kind == SS_TYPE && !constraint_not_valid(want))
	{
		c = ss_add_change(d, NULL, NULL, want, action, NULL);
		c->absorbed_into = after;
	}
	else
	{
		c = ss_add_change(d, NULL, NULL, want, action,
						  psprintf("%s ADD CONSTRAINT %s %s;", domconstraint_target(d, want),
								   quote_identifier(want->name), want->props[DP_DEFINITION]));
		c->reason = pstrdup(reason);
		if (after)
			c->after = lappend(c->after, after);
	}
	if (c->ddl && !constraint_not_valid(want))
	{
		c->hazards = SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL | SS_HZ_BLOCKS_WRITES;
		c->lock = SS_LOCK_SHARE;
	}
	ss_emit_comment(d, NULL, want, "CONSTRAINT",
					psprintf("%s ON DOMAIN %s", quote_identifier(want->name),
							 ss_qualified(d->target, want->parent)),
					DP_COMMENT, SS_LOCK_NONE, c);
	return c;
}

/*
 * type_emit_create
 *		Create a type, the constraints of a domain and the comments.
 */
static SsChange *
type_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action, type_create_sql(d, want));
	ListCell   *lc;

	c->reason = pstrdup(reason);
	if (want->props[TY_MULTIRANGE])
		c->takes = lappend(c->takes, want->props[TY_MULTIRANGE]);
	type_comment(d, NULL, want, c);
	attr_comments(d, NULL, want, c);
	foreach(lc, want->children)
	{
		SsObject   *k = lfirst(lc);

		if (k->kind != SS_DOMCONSTRAINT)
			continue;
		ss_kill_changes(d, k->key);
		domconstraint_emit_add(d, k, action, reason, c);
	}
	return c;
}

/*
 * type_emit_drop
 *		DROP TYPE/DOMAIN.  PostgreSQL refuses while anything uses the type;
 *		what uses it is dropped or changed first.
 */
static SsChange *
type_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, cur, NULL, action,
								  psprintf("DROP %s %s;", type_word(cur),
										   ss_qualified(d->target, cur->name)));
	ListCell   *lc;

	c->reason = pstrdup(reason);
	if (cur->props[TY_MULTIRANGE])
		c->frees = lappend(c->frees, cur->props[TY_MULTIRANGE]);
	/* its constraints go with it */
	foreach(lc, cur->children)
	{
		SsObject   *k = lfirst(lc);
		SsChange   *kc;

		if (k->kind != SS_DOMCONSTRAINT)
			continue;
		ss_kill_changes(d, k->key);
		kc = ss_add_change(d, NULL, k, NULL, action, NULL);
		kc->absorbed_into = c;
	}
	return c;
}

static void type_recreate(SsDiff *d, SsObject *cur, SsObject *want,
						  const char *reason, bool destructive);
static void range_recreate(SsDiff *d, SsObject *cur, SsObject *want,
						   const char *reason);

/*
 * ss_old_name
 *		The name an old type or collation is renamed to while its users are
 *		converted.
 */
char *
ss_old_name(const char *name)
{
	int			room = NAMEDATALEN - 1 - strlen(SS_OLD_SUFFIX);

	return psprintf("%.*s%s", room, name, SS_OLD_SUFFIX);
}

/*
 * ss_old_copy
 *		The current object as a separate object to drop later, under the key
 *		with SS_OLD_SUFFIX and the given name (its name renamed away, or its
 *		own name when it is not renamed), with no dependencies or children
 *		of its own: so that its users are not taken for dependents of a
 *		dropped object (and dropped with it).
 */
SsObject *
ss_old_copy(SsObject *cur, const char *name)
{
	SsObject   *old = ss_object_copy(cur, NULL);

	old->key = psprintf("%s%s", cur->key, SS_OLD_SUFFIX);
	old->name = (char *) name;
	old->deps = NIL;
	old->children = NIL;
	return old;
}

/*
 * convert_column
 *		ALTER TABLE ... ALTER COLUMN ... TYPE ... USING col::text::type of a
 *		column of a re-created type (or of an array of it), with its default
 *		dropped before and set again after in the same statement.  Every
 *		other step of the column comes after it.
 */
static SsChange *
convert_column(SsDiff *d, SsObject *type, SsObject *col, SsObject *wcol,
			   bool destructive)
{
	StringInfoData buf;
	const char *qcol = quote_identifier(col->name);
	bool		oftype = col->typoid == type->oid || col->typoid == type->typoid;
	SsChange   *c;
	ListCell   *lc;
	List	   *others = list_copy(ss_changes_of(d, col->key));

	bool		setdef = wcol->props[CP_DEFAULT] != NULL;

	/* a default the column's own steps set again need not be set here */
	foreach(lc, others)
	{
		SsChange   *o = lfirst(lc);

		if (o->ddl && strstr(o->ddl, " SET DEFAULT ") != NULL)
			setdef = false;
	}
	initStringInfo(&buf);
	appendStringInfo(&buf, "ALTER TABLE %s", ss_target_table(d, col));
	if (col->props[CP_DEFAULT])
		appendStringInfo(&buf, " ALTER COLUMN %s DROP DEFAULT%s", qcol,
						 oftype || setdef ? "," : "");
	if (oftype)
		appendStringInfo(&buf, " ALTER COLUMN %s TYPE %s USING %s::text::%s%s", qcol,
						 wcol->props[CP_TYPE], qcol, wcol->props[CP_TYPE],
						 setdef ? "," : "");
	if (setdef)
		appendStringInfo(&buf, " ALTER COLUMN %s SET DEFAULT %s", qcol, ss_prop(wcol, CP_DEFAULT));
	appendStringInfoChar(&buf, ';');
	if (!oftype && col->props[CP_DEFAULT] == NULL && !setdef)
		return NULL;

	c = ss_add_change(d, NULL, col, wcol, SS_ACT_ALTER, buf.data);
	c->reason = psprintf("type %s is re-created", ss_target_identity(d, type));
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
	if (oftype)
	{
		c->hazards |= SS_HZ_REWRITES_TABLE;
		if (destructive)
		{
			c->hazards |= SS_HZ_MAY_FAIL;
			c->destructive = true;
		}
	}
	ss_steps_after(others, c);
	return c;
}

/*
 * range_column
 *		Whether a column is of a range or multirange type, or of an array of
 *		one.
 */
static bool
range_column(SsObject *col)
{
	Oid			typ = col->typoid;
	Oid			elem = get_element_type(typ);

	if (OidIsValid(elem))
		typ = elem;
	return get_typtype(typ) == TYPTYPE_RANGE || get_typtype(typ) == TYPTYPE_MULTIRANGE;
}

/*
 * range_recreate
 *		Re-create a range type in use.  Renaming does not work for a range:
 *		its constructor functions keep their names and the new type's would
 *		collide.  So its columns are turned into text first, the type is
 *		dropped and created again, and the columns are converted back.
 *		Types built on the range are not re-created this way: an error says
 *		so.
 */
static void
range_recreate(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	ListCell   *lc;
	SsObject   *old;
	SsChange   *drop;
	SsChange   *create;

	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);
		SsObject   *wz = ss_object_lookup(d->want, z->key);

		if (z->kind == SS_TYPE && wz != NULL && ss_drop_of(d, z->key) == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
					 errmsg("schemasync cannot re-create range type %s while type %s is built on it",
							ss_target_identity(d, cur), ss_target_identity(d, z)),
					 errdetail("The range type changes: %s.", reason),
					 errhint("Drop or change type %s in a migration of its own first.",
							 ss_target_identity(d, z))));
	}

	/*
	 * The drop is recorded on an object of its own, so that the columns are
	 * not taken for dependents of a dropped type (and dropped with it).
	 */
	old = ss_old_copy(cur, cur->name);
	drop = type_emit_drop(d, old, SS_ACT_REPLACE_DROP, reason);
	create = type_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
	create->after = lappend(create->after, drop);

	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);
		SsObject   *wz = ss_object_lookup(d->want, z->key);
		const char *qcol;
		SsChange   *totext;
		SsChange   *back;
		List	   *others;

		if (wz == NULL || ss_drop_of(d, z->key) != NULL || z->kind == SS_TYPE ||
			z->kind == SS_TABLE)
			continue;
		if (z->kind != SS_COLUMN)
		{
			ss_kill_changes(d, z->key);
			ss_kind_ops[z->kind]->replace(d, z, wz,
										  psprintf("re-created because %s is re-created",
												   ss_target_identity(d, cur)));
			continue;
		}
		if (ss_parent_dropped(d, z) || ss_parent_created(d, wz) ||
			!ss_streq(z->props[CP_TYPE], wz->props[CP_TYPE]) || !range_column(z))
			continue;

		others = list_copy(ss_changes_of(d, z->key));
		qcol = quote_identifier(z->name);
		totext = ss_add_change(d, NULL, z, wz, SS_ACT_ALTER,
							   psprintf("ALTER TABLE %s%s ALTER COLUMN %s TYPE text USING %s::text;",
										ss_target_table(d, z),
										z->props[CP_DEFAULT] ? psprintf(" ALTER COLUMN %s DROP DEFAULT,", qcol) : "",
										qcol, qcol));
		totext->reason = psprintf("range type %s is re-created: the column holds text meanwhile",
								  ss_target_identity(d, cur));
		/* it needs nothing new, and must run before the old type goes */
		totext->nodeps = true;
		totext->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		totext->hazards = SS_HZ_ACCESS_EXCLUSIVE | SS_HZ_REWRITES_TABLE;
		back = ss_add_change(d, NULL, z, wz, SS_ACT_ALTER,
							 psprintf("ALTER TABLE %s ALTER COLUMN %s TYPE %s USING %s::%s%s;",
									  ss_target_table(d, z), qcol, wz->props[CP_TYPE],
									  qcol, wz->props[CP_TYPE],
									  wz->props[CP_DEFAULT] ? psprintf(", ALTER COLUMN %s SET DEFAULT %s", qcol, ss_prop(wz, CP_DEFAULT)) : ""));
		back->reason = psprintf("range type %s is re-created", ss_target_identity(d, cur));
		back->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		back->hazards = SS_HZ_ACCESS_EXCLUSIVE | SS_HZ_REWRITES_TABLE | SS_HZ_MAY_FAIL;
		back->destructive = true;
		back->after = lappend(back->after, totext);
		/* it needs the new type, not the old one gone */
		back->adds_only = true;
		ss_steps_after(others, back);
	}
}

/*
 * type_in_use
 *		Whether anything but the type's own constraints depends on it.
 */
static bool
type_in_use(SsObject *cur)
{
	ListCell   *lc;

	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);

		if (!(z->kind == SS_DOMCONSTRAINT && z->parentobj == cur))
			return true;
	}
	return false;
}

/*
 * type_recreate
 *		Re-create a type.  Unused: drop and create.  In use: rename the old
 *		one away, create the new one, convert or re-create everything that
 *		uses the old one, and drop it last.  destructive says whether the
 *		conversion of a column can lose (refuse) values: labels removed.
 */
static void
type_recreate(SsDiff *d, SsObject *cur, SsObject *want, const char *reason,
			  bool destructive)
{
	SsObject   *old;
	SsChange   *ren;
	SsChange   *create;
	SsChange   *drop;
	char	   *oname;
	ListCell   *lc;
	List	   *olddrops = NIL;

	/* once: a type built on two re-created types is reached twice */
	if (ss_drop_of(d, psprintf("%s%s", cur->key, SS_OLD_SUFFIX)) != NULL)
		return;
	ss_kill_changes(d, cur->key);
	if (!type_in_use(cur))
	{
		type_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
		type_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
		return;
	}

	if (is_kind(cur, "range"))
	{
		range_recreate(d, cur, want, reason);
		return;
	}

	oname = ss_old_name(cur->name);
	ren = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						psprintf("ALTER %s %s RENAME TO %s;", type_word(cur),
								 ss_qualified(d->target, cur->name), quote_identifier(oname)));
	ren->reason = psprintf("%s; the old type is renamed until its users are converted", reason);
	ren->frees = lappend(ren->frees, cur->name);
	if (cur->props[TY_MULTIRANGE])
	{
		SsChange   *mr;

		mr = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						   psprintf("ALTER TYPE %s RENAME TO %s;",
									ss_qualified(d->target, cur->props[TY_MULTIRANGE]),
									quote_identifier(ss_old_name(cur->props[TY_MULTIRANGE]))));
		mr->reason = pstrdup("the old range's multirange type is renamed with it");
		mr->after = lappend(mr->after, ren);
		mr->frees = lappend(mr->frees, cur->props[TY_MULTIRANGE]);
		ren = mr;
	}
	create = type_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
	create->after = lappend(create->after, ren);

	/* the old type, under its new name: a separate object to drop */
	old = ss_old_copy(cur, oname);
	old->props[TY_MULTIRANGE] = NULL;

	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);
		SsObject   *wz = ss_object_lookup(d->want, z->key);

		if (z->kind == SS_DOMCONSTRAINT && z->parentobj == cur)
			continue;
		if (wz == NULL || ss_drop_of(d, z->key) != NULL)
			continue;
		if (z->kind == SS_COLUMN)
		{
			if (ss_parent_dropped(d, z) || ss_parent_created(d, wz))
				continue;
			/* a column that changes type anyway is converted by its own step */
			if (!ss_streq(z->props[CP_TYPE], wz->props[CP_TYPE]))
				continue;
			convert_column(d, cur, z, wz, destructive);
		}
		else if (z->kind == SS_TYPE)
		{
			type_recreate(d, z, wz, psprintf("re-created because %s is re-created",
											 ss_target_identity(d, cur)),
						  destructive);
			drop = ss_drop_of(d, psprintf("%s%s", z->key, SS_OLD_SUFFIX));
			if (drop)
				olddrops = lappend(olddrops, drop);
		}
		else if (z->kind != SS_TABLE)
		{
			/* a table is never re-created for a type: its rows would go */
			ss_kill_changes(d, z->key);
			ss_kind_ops[z->kind]->replace(d, z, wz,
										  psprintf("re-created because %s is re-created",
												   ss_target_identity(d, cur)));
		}
	}

	drop = ss_add_change(d, NULL, old, NULL, SS_ACT_REPLACE_DROP,
						 psprintf("DROP %s %s;", type_word(cur),
								  ss_qualified(d->target, oname)));
	drop->reason = pstrdup("the old type, now unused");
	drop->after = list_concat(drop->after, olddrops);
	drop->after = lappend(drop->after, create);
}

/*
 * props_hold
 *		Whether a property of obj holds pat, its texts deparsed first when
 *		they were left for later (SsObject.lazy).
 */
static bool
props_hold(SsObject *obj, const char *pat)
{
	int			p;

	for (p = 0; p < ss_kind_ops[obj->kind]->nprops; p++)
	{
		const char *value = ss_prop(obj, p);

		if (value && strstr(value, pat) != NULL)
			return true;
	}
	return false;
}

/*
 * new_label_used
 *		Whether a label is used as a constant of the type in the desired
 *		model (a default, a CHECK, an index predicate, a view, a trigger's
 *		WHEN, a domain's default or constraint, a routine): 'label'::type,
 *		as the deparsers write it.
 *
 *		PostgreSQL records a dependency on the type of every constant of a
 *		stored expression, so only the type's dependents are searched, and
 *		the routines, whose bodies given as strings record none.  Searching
 *		every object of the model deparsed all of them: a third of a diff of
 *		10,000 tables that added an enum label, and 190 MB.
 */
static bool
new_label_used(SsDiff *d, SsObject *want, const char *label)
{
	char	   *pat = psprintf("%s::%s", quote_literal_cstr(label),
							   quote_identifier(want->name));
	ListCell   *lc;

	foreach(lc, ss_dependents(want))
		if (props_hold(lfirst(lc), pat))
			return true;
	foreach(lc, d->want->objects)
	{
		SsObject   *obj = lfirst(lc);

		if (obj->kind == SS_FUNCTION && props_hold(obj, pat))
			return true;
	}
	return false;
}

/*
 * label_in_partition_bound
 *		Whether a partition of the desired model is bound by a label of the
 *		enum want: its bound holds the quoted label and its partitioned
 *		table has a column of the type.  A bound prints its values without
 *		the type (FOR VALUES IN ('c')), so new_label_used does not find it,
 *		and re-creating the type would not help: a partition key column
 *		cannot change type.  A column of the type that is not in the key
 *		can make this say yes wrongly; it only flags the statement.
 */
static bool
label_in_partition_bound(SsDiff *d, SsObject *want, const char *label)
{
	char	   *lit = quote_literal_cstr(label);
	const char *tname = quote_identifier(want->name);
	ListCell   *lc;

	foreach(lc, d->want->objects)
	{
		SsObject   *t = lfirst(lc);
		SsObject   *parent;
		ListCell   *cc;

		if (t->kind != SS_TABLE || t->props[TP_PARTOF] == NULL ||
			t->props[TP_PARTBOUND] == NULL ||
			strstr(t->props[TP_PARTBOUND], lit) == NULL)
			continue;
		parent = ss_object_lookup(d->want, ss_make_key(SS_TABLE, NULL, t->props[TP_PARTOF]));
		if (parent == NULL)
			continue;
		foreach(cc, parent->children)
		{
			SsObject   *col = lfirst(cc);

			if (col->kind == SS_COLUMN && ss_streq(col->props[CP_TYPE], tname))
				return true;
		}
	}
	return false;
}

/*
 * enum_diff
 *		Labels only added (old ones in the same order): ADD VALUE each, in
 *		the desired order, placed after its predecessor (or before the first
 *		old label).  Otherwise, or when a new label is used in this same
 *		migration, the type is re-created.
 */
static void
enum_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	List	   *oldl = ss_text_array_elems(cur->props[TY_LABELS]);
	List	   *newl = ss_text_array_elems(want->props[TY_LABELS]);
	ListCell   *lc;
	bool		removed = false;
	bool		used = false;
	SsChange   *prev = NULL;
	int			i;

	if (ss_streq(cur->props[TY_LABELS], want->props[TY_LABELS]))
		return;
	foreach(lc, oldl)
		if (!string_member(newl, lfirst(lc)))
			removed = true;
	if (!removed)
	{
		List	   *order = NIL;

		/* the old labels must keep their order among the new ones */
		foreach(lc, newl)
			if (string_member(oldl, lfirst(lc)))
				order = lappend(order, lfirst(lc));
			else if (new_label_used(d, want, lfirst(lc)))
				used = true;
		if (!string_lists_equal(order, oldl) || used)
		{
			type_recreate(d, cur, want,
						  used ? "enum labels added and used in the same migration"
						  : "enum labels reordered", false);
			return;
		}
	}
	else
	{
		type_recreate(d, cur, want, "enum labels removed", true);
		return;
	}

	i = 0;
	foreach(lc, newl)
	{
		char	   *label = lfirst(lc);
		char	   *pos = NULL;
		SsChange   *c;

		if (!string_member(oldl, label))
		{
			if (i > 0)
				pos = psprintf(" AFTER %s", quote_literal_cstr(list_nth(newl, i - 1)));
			else if (oldl != NIL)
				pos = psprintf(" BEFORE %s", quote_literal_cstr(linitial(oldl)));
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("ALTER TYPE %s ADD VALUE %s%s;",
									   ss_qualified(d->target, want->name),
									   quote_literal_cstr(label), pos ? pos : ""));
			c->reason = psprintf("enum label %s added", quote_literal_cstr(label));
			c->adds_only = true;

			/*
			 * PostgreSQL refuses a label in the transaction that added it
			 * ("unsafe use of new value"): a partition bound by it fails the
			 * apply, which rolls back.  Said here, with the way out.
			 */
			if (label_in_partition_bound(d, want, label))
			{
				c->hazards |= SS_HZ_COMMIT_FIRST;
				c->reason = psprintf("enum label %s added; a partition bound uses it, which PostgreSQL refuses in the transaction that adds the label: apply this statement alone first (option \"only\"), then the rest; apply refuses them together, script() commits it first",
									 quote_literal_cstr(label));
			}
#if PG_VERSION_NUM < 120000
			/* before PostgreSQL 12, ADD VALUE cannot run in a transaction */
			c->transactional = false;
			c->hazards |= SS_HZ_NOT_TRANSACTIONAL;
#endif
			if (prev)
				c->after = lappend(c->after, prev);
			prev = c;
		}
		i++;
	}
}

/*
 * composite_used_by_column
 *		Whether a table column (or a column of an array) is of the type.
 */
static bool
composite_used_by_column(SsObject *cur)
{
	ListCell   *lc;

	foreach(lc, ss_dependents(cur))
	{
		SsObject   *z = lfirst(lc);

		if (z->kind == SS_COLUMN && (z->typoid == cur->oid || z->typoid == cur->typoid))
			return true;
	}
	return false;
}

/*
 * composite_diff
 *		Attributes dropped, appended or changing type, in place; attributes
 *		that would have to move are re-created with the type.
 */
static void
composite_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	List	   *oldl = ss_text_array_elems(cur->props[TY_ATTRIBUTES]);
	List	   *newl = ss_text_array_elems(want->props[TY_ATTRIBUTES]);
	List	   *keptold = NIL;
	List	   *keptnew = NIL;
	ListCell   *lc;
	bool		retype = false;
	bool		appended = false;
	char	   *qname = ss_qualified(d->target, want->name);
	SsChange   *prev = NULL;

	if (ss_streq(cur->props[TY_ATTRIBUTES], want->props[TY_ATTRIBUTES]))
		return;
	foreach(lc, oldl)
	{
		const char *w = attr_find(newl, attr_name(lfirst(lc)));

		if (w)
		{
			keptold = lappend(keptold, attr_name(lfirst(lc)));
			if (strcmp(attr_rest(w), attr_rest(lfirst(lc))) != 0)
				retype = true;
		}
	}
	/* the kept attributes must come first, in their order */
	foreach(lc, newl)
	{
		bool		old = attr_find(oldl, attr_name(lfirst(lc))) != NULL;

		if (old && appended)
			keptnew = lappend(keptnew, "?");
		else if (old)
			keptnew = lappend(keptnew, attr_name(lfirst(lc)));
		else
			appended = true;
	}
	if (!string_lists_equal(keptold, keptnew) || (retype && composite_used_by_column(cur)))
	{
		type_recreate(d, cur, want,
					  retype ? "attribute types differ and a column uses the type"
					  : "attributes are reordered", true);
		return;
	}

	foreach(lc, oldl)
	{
		const char *name = attr_name(lfirst(lc));
		const char *w = attr_find(newl, name);
		SsChange   *c;

		if (w && strcmp(attr_rest(w), attr_rest(lfirst(lc))) == 0)
			continue;
		if (w)
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("ALTER TYPE %s ALTER ATTRIBUTE %s TYPE %s;",
									   qname, quote_identifier(name), attr_rest(w)));
			c->reason = psprintf("attribute %s differs", quote_identifier(name));
		}
		else
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("ALTER TYPE %s DROP ATTRIBUTE %s;",
									   qname, quote_identifier(name)));
			c->reason = psprintf("attribute %s not in reference", quote_identifier(name));
			/* the values of the attribute in columns of the type go */
			if (composite_used_by_column(cur))
			{
				c->destructive = true;
				c->hazards = SS_HZ_DELETES_DATA;
			}
		}
		if (prev)
			c->after = lappend(c->after, prev);
		prev = c;
	}
	foreach(lc, newl)
	{
		SsChange   *c;

		if (attr_find(oldl, attr_name(lfirst(lc))))
			continue;
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("ALTER TYPE %s ADD ATTRIBUTE %s;", qname,
								   (char *) lfirst(lc)));
		c->reason = psprintf("attribute %s missing in target",
							 quote_identifier(attr_name(lfirst(lc))));
		if (prev)
			c->after = lappend(c->after, prev);
		prev = c;
	}
}

/*
 * domain_diff
 *		Default and NOT NULL in place; base type or collation re-create.
 */
static void
domain_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	char	   *alter = psprintf("ALTER DOMAIN %s", ss_qualified(d->target, want->name));
	SsChange   *c;

	if (!ss_streq(cur->props[TY_BASE], want->props[TY_BASE]) ||
		!ss_streq(cur->props[TY_COLLATION], want->props[TY_COLLATION]))
	{
		type_recreate(d, cur, want,
					  ss_streq(cur->props[TY_BASE], want->props[TY_BASE])
					  ? "domain collation differs" : "domain base type differs",
					  true);
		return;
	}
	if (!ss_streq(cur->props[TY_DEFAULT], want->props[TY_DEFAULT]))
	{
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  want->props[TY_DEFAULT]
						  ? psprintf("%s SET DEFAULT %s;", alter, want->props[TY_DEFAULT])
						  : psprintf("%s DROP DEFAULT;", alter));
		c->reason = pstrdup(want->props[TY_DEFAULT] ? "domain default differs"
							: "domain default removed");
		c->nodeps = want->props[TY_DEFAULT] == NULL;
	}
	if (!ss_streq(cur->props[TY_NOT_NULL], want->props[TY_NOT_NULL]))
	{
		if (want->props[TY_NOT_NULL])
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("%s SET NOT NULL;", alter));
			c->reason = pstrdup("domain becomes NOT NULL");
			c->hazards = SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL | SS_HZ_BLOCKS_WRITES;
			c->lock = SS_LOCK_SHARE;
		}
		else
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("%s DROP NOT NULL;", alter));
			c->reason = pstrdup("domain becomes nullable");
			c->nodeps = true;
		}
	}
}

/*
 * range_same
 *		Whether two range types are defined alike.
 */
static bool
range_same(SsObject *cur, SsObject *want)
{
	static const int props[] = {
		TY_BASE, TY_COLLATION, TY_OPCLASS, TY_CANONICAL, TY_SUBDIFF, TY_MULTIRANGE
	};
	int			i;

	for (i = 0; i < lengthof(props); i++)
		if (!ss_streq(cur->props[props[i]], want->props[props[i]]))
			return false;
	return true;
}

/*
 * type_diff
 *		Create, drop or alter a type.
 */
static void
type_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (cur == NULL)
	{
		type_emit_create(d, want, SS_ACT_CREATE, "type missing in target");
		return;
	}
	if (want == NULL)
	{
		type_emit_drop(d, cur, SS_ACT_DROP, "type not in reference");
		return;
	}
	/* already re-created with a type it is built on */
	if (ss_changes_of(d, cur->key) != NIL)
		return;
	if (!ss_streq(cur->props[TY_TYPE_KIND], want->props[TY_TYPE_KIND]))
	{
		type_recreate(d, cur, want, "type is of another kind", true);
		return;
	}
	if (is_kind(want, "enum"))
		enum_diff(d, cur, want);
	else if (is_kind(want, "domain"))
		domain_diff(d, cur, want);
	else if (is_kind(want, "composite"))
		composite_diff(d, cur, want);
	else if (!range_same(cur, want))
	{
		type_recreate(d, cur, want, "range type definition differs", true);
		return;
	}
	/* a re-created type has its comments already */
	if (ss_drop_of(d, psprintf("%s%s", cur->key, SS_OLD_SUFFIX)) == NULL &&
		ss_drop_of(d, cur->key) == NULL)
	{
		List	   *steps = ss_changes_of(d, cur->key);

		type_comment(d, cur, want, NULL);
		if (is_kind(want, "composite"))
			attr_comments(d, cur, want, steps ? llast(steps) : NULL);
	}
}

/*
 * type_replace
 *		Re-create a type, forced by a dependency.
 */
static void
type_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	type_recreate(d, cur, want, reason, true);
}

const SsKindOps ss_type_ops = {
	.name = "type",
	.nprops = TY_NUM,
	.propnames = type_propnames,
	.proptypes = "tatttbattttat",
	.diff = type_diff,
	.replace = type_replace,
	.breaks_dependents = NULL,
};

/* ---------------------------------------------------------------------
 * Domain constraints
 * ---------------------------------------------------------------------
 */

/*
 * domconstraint_drop
 *		ALTER DOMAIN ... DROP CONSTRAINT, or nothing when the domain goes.
 */
static SsChange *
domconstraint_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("%s DROP CONSTRAINT %s;", domconstraint_target(d, cur),
							   quote_identifier(cur->name)));
	c->reason = pstrdup(reason);
	c->nodeps = true;
	return c;
}

/*
 * domconstraint_diff
 *		Add, drop, validate or re-create a domain's CHECK constraint.  The
 *		constraints of a domain created or re-created by this diff come with
 *		it (type_emit_create).
 */
static void
domconstraint_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	const char *a;
	const char *b;
	size_t		la;
	size_t		lb;

	if (want && want->parentobj && ss_object_created(d, want->parentobj->key))
		return;
	if (cur && cur->parentobj && ss_changes_of(d, cur->parentobj->key) != NIL &&
		(ss_drop_of(d, cur->parentobj->key) ||
		 ss_drop_of(d, psprintf("%s%s", cur->parentobj->key, SS_OLD_SUFFIX))))
		return;
	if (cur == NULL)
	{
		domconstraint_emit_add(d, want, SS_ACT_CREATE, "domain constraint missing in target", NULL);
		return;
	}
	if (want == NULL)
	{
		domconstraint_drop(d, cur, SS_ACT_DROP, "domain constraint not in reference");
		return;
	}
	a = cur->props[DP_DEFINITION];
	b = want->props[DP_DEFINITION];
	la = strlen(a);
	lb = strlen(b);
	if (strcmp(a, b) != 0)
	{
		if (la == lb + 10 && strncmp(a, b, lb) == 0 && strcmp(a + lb, " NOT VALID") == 0)
		{
			SsChange   *c;

			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("%s VALIDATE CONSTRAINT %s;", domconstraint_target(d, want),
									   quote_identifier(want->name)));
			c->reason = pstrdup("domain constraint is validated in reference");
			c->hazards = SS_HZ_SCANS_TABLE | SS_HZ_MAY_FAIL | SS_HZ_BLOCKS_WRITES;
			c->lock = SS_LOCK_SHARE;
		}
		else
		{
			SsChange   *drop = domconstraint_drop(d, cur, SS_ACT_REPLACE_DROP,
												  "domain constraint differs");

			domconstraint_emit_add(d, want, SS_ACT_REPLACE_CREATE,
								   "domain constraint differs", drop);
			return;
		}
	}
	ss_emit_comment(d, cur, want, "CONSTRAINT",
					psprintf("%s ON DOMAIN %s", quote_identifier(want->name),
							 ss_qualified(d->target, want->parent)),
					DP_COMMENT, SS_LOCK_NONE, NULL);
}

/*
 * domconstraint_replace
 *		Drop and add a domain constraint again (forced by a dependency).
 */
static void
domconstraint_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	SsChange   *drop = domconstraint_drop(d, cur, SS_ACT_REPLACE_DROP, reason);

	domconstraint_emit_add(d, want, SS_ACT_REPLACE_CREATE, reason, drop);
}

const SsKindOps ss_domconstraint_ops = {
	.name = "domain_constraint",
	.nprops = DP_NUM,
	.propnames = domconstraint_propnames,
	.proptypes = "tt",
	.diff = domconstraint_diff,
	.replace = domconstraint_replace,
	.breaks_dependents = NULL,
};
