/*-------------------------------------------------------------------------
 *
 * kind_view.c
 *	  Views and materialized views.
 *
 * Both are read by one query.  A definition is pg_get_viewdef() run with
 * search_path set to the side's schema, so references to the schema's own
 * objects come out unqualified and two schemas of different names compare
 * equal; the reader drops its leading blank and trailing semicolon.  View
 * options (security_barrier, security_invoker, check_option) and a
 * materialized view's storage parameters are reloptions, kept sorted.
 *
 * A view whose definition or options change is altered in place with
 * CREATE OR REPLACE VIEW when PostgreSQL allows it: the current columns
 * kept in order with the same names, types, typmods and collations, new
 * ones only appended.  Otherwise it is dropped and created again, and the
 * differ re-creates everything that depends on it (views on it,
 * materialized views, their indexes).  A materialized view is re-created
 * whenever its definition changes; its indexes are re-created with it.
 * Whether it is populated (WITH DATA or WITH NO DATA) is a property of its
 * own: a change of it alone is a REFRESH, and a creation says which.
 *
 * Comments on the relation and on its columns are compared; the column
 * comments are a JSON object (column name -> comment) in one property.
 *
 * src/kind_view.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "catalog/indexing.h"
#include "catalog/pg_attribute.h"
#include "catalog/pg_class.h"
#include "catalog/pg_description.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_type.h"
#include "rewrite/rewriteSupport.h"
#include "utils/builtins.h"
#include "utils/fmgrprotos.h"
#include "utils/jsonb.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/snapmgr.h"

#include "schemasync.h"

static const char *const view_propnames[VP_NUM] = {
	"definition", "options", "comment", "column_comments", "no_data"
};

/*
 * view_definition
 *		pg_get_viewdef() of a view as the reader keeps it: its leading
 *		blanks and its final semicolon (and what follows) left out.  A
 *		worker may have deparsed it ahead (parallel.c).
 */
static char *
view_definition(SsObject *v)
{
	char	   *def;
	char	   *end;

	if (ss_view_deparsed_ahead(v->oid, &def))
		def = pstrdup(def);
	else
	{
		/*
		 * pg_get_viewdef reads the rule through SPI, with the active
		 * snapshot: take one that sees what the transaction ran so far (the
		 * statements of an apply, before its verifying diff), as the
		 * reader's query would.
		 */
		PushActiveSnapshot(GetTransactionSnapshot());
		def = ss_deparse_of(v, pg_get_viewdef, 1, ObjectIdGetDatum(v->oid), (Datum) 0);
		PopActiveSnapshot();
	}

	while (*def == ' ')
		def++;
	end = def + strlen(def);
	while (end > def && isspace((unsigned char) end[-1]))
		end--;
	if (end > def && end[-1] == ';')
		*--end = '\0';
	else
		def = pstrdup(def);
	return def;
}

/*
 * ss_view_texts
 *		What a parallel worker deparses ahead of a read of a view
 *		(parallel.c): its pg_get_viewdef(), as view_definition gets it but
 *		with the active snapshot (the worker's is the backend's), in the
 *		current memory context; NULL when the view is gone.  *none is set
 *		to NULL: a view has one text.
 */
void
ss_view_texts(Oid oid, char **def, char **none)
{
	*none = NULL;
	*def = ss_deparse(pg_get_viewdef, 1, ObjectIdGetDatum(oid), (Datum) 0,
					  CurrentMemoryContext);
}

/*
 * view_resolve
 *		SsLazy callback: the definition of a view read with a raw key.
 */
static void
view_resolve(SsObject *v)
{
	v->props[VP_DEFINITION] = view_definition(v);
}

/* a view read with a raw key: VP_DEFINITION waits */
const SsLazy ss_view_lazy = {
	view_resolve, SS_LAZY_PROP(VP_DEFINITION), false, NULL
};

/* what ss_read_views gathers of a view before it becomes a model object */
typedef struct ViewRow
{
	Oid			oid;			/* hash key */
	SsRel	   *rel;
	Oid			rule;			/* its _RETURN rule */
	char	   *tree;			/* the rule's query tree */
	char	   *comment;
	StringInfoData columns;		/* the column signature: name type [COLLATE] */
	JsonbParseState *comments;	/* the column comments, when there are */
	char	  **attnames;			/* by attnum, for the column comments */
	int			natts;
} ViewRow;

/*
 * view_rules
 *		The _RETURN rule of each view (its OID and query tree): one index
 *		range scan of pg_rewrite over the views' OIDs (ss_rels_scan_begin).
 */
static void
view_rules(HTAB *rows, SsRel **rels, int n)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;

	scan = ss_rels_scan_begin(RewriteRelationId, RewriteRelRulenameIndexId,
							  Anum_pg_rewrite_ev_class, 0, InvalidOid, rels, n, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_rewrite rw = (Form_pg_rewrite) GETSTRUCT(tup);
		ViewRow    *v = hash_search(rows, &rw->ev_class, HASH_FIND, NULL);
		bool		isnull;
		Datum		action;

		if (v == NULL || strcmp(NameStr(rw->rulename), ViewSelectRuleName) != 0)
			continue;
		v->rule = rw->oid;
		if (ss_read_raw)
		{
			action = heap_getattr(tup, Anum_pg_rewrite_ev_action,
								  RelationGetDescr(rel), &isnull);
			if (!isnull)
				v->tree = TextDatumGetCString(action);
		}
	}
	ss_scan_end(scan, rel);
}

/*
 * view_columns
 *		The columns of each view, in order: its column signature (name, type
 *		as format_type prints it, COLLATE when not the type's) and the names
 *		the column comments are keyed by.  One scan of pg_attribute over the
 *		views' OIDs (ss_rels_scan_begin).
 */
static void
view_columns(HTAB *rows, SsRel **rels, int n)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;

	scan = ss_rels_scan_begin(AttributeRelationId, AttributeRelidNumIndexId,
							  Anum_pg_attribute_attrelid, 0, InvalidOid, rels, n, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_attribute att = (Form_pg_attribute) GETSTRUCT(tup);
		ViewRow    *v;
		char	   *type;

		if (att->attnum <= 0 || att->attisdropped ||
			(v = hash_search(rows, &att->attrelid, HASH_FIND, NULL)) == NULL)
			continue;
		if (v->columns.data == NULL)
			initStringInfo(&v->columns);
		else
			appendStringInfoChar(&v->columns, '\n');
		type = TextDatumGetCString(DirectFunctionCall2(format_type,
													   ObjectIdGetDatum(att->atttypid),
													   Int32GetDatum(att->atttypmod)));
		appendStringInfo(&v->columns, "%s %s", quote_identifier(NameStr(att->attname)), type);
		if (att->attcollation != get_typcollation(att->atttypid))
			appendStringInfo(&v->columns, " COLLATE %s",
							 DatumGetCString(DirectFunctionCall1(regcollationout,
																 ObjectIdGetDatum(att->attcollation))));
		if (att->attnum > v->natts)
		{
			int			n = Max(att->attnum, 2 * v->natts);

			if (v->attnames == NULL)
				v->attnames = palloc0(n * sizeof(char *));
			else
			{
				v->attnames = repalloc(v->attnames, n * sizeof(char *));
				memset(v->attnames + v->natts, 0, (n - v->natts) * sizeof(char *));
			}
			v->natts = n;
		}
		v->attnames[att->attnum - 1] = pstrdup(NameStr(att->attname));
	}
	ss_scan_end(scan, rel);
}

/*
 * read_view_comments
 *		The comments on each view and on its columns: one scan of
 *		pg_description over the views' OIDs (ss_rels_scan_begin).  A column's
 *		comment is keyed by its name in a JSON object, as jsonb_object_agg
 *		builds it.
 */
static void
read_view_comments(HTAB *rows, SsRel **rels, int n)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;

	scan = ss_rels_scan_begin(DescriptionRelationId, DescriptionObjIndexId,
							  Anum_pg_description_objoid, Anum_pg_description_classoid,
							  RelationRelationId, rels, n, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_description ds = (Form_pg_description) GETSTRUCT(tup);
		ViewRow    *v = hash_search(rows, &ds->objoid, HASH_FIND, NULL);
		bool		isnull;
		Datum		value;
		JsonbValue	jv;

		if (v == NULL || ds->classoid != RelationRelationId)
			continue;
		value = heap_getattr(tup, Anum_pg_description_description,
							 RelationGetDescr(rel), &isnull);
		if (isnull)
			continue;
		if (ds->objsubid == 0)
		{
			v->comment = TextDatumGetCString(value);
			continue;
		}
		if (ds->objsubid > v->natts || v->attnames[ds->objsubid - 1] == NULL)
			continue;			/* a dropped column's */
		if (v->comments == NULL)
			(void) pushJsonbValue(&v->comments, WJB_BEGIN_OBJECT, NULL);
		jv.type = jbvString;
		jv.val.string.val = v->attnames[ds->objsubid - 1];
		jv.val.string.len = strlen(jv.val.string.val);
		(void) pushJsonbValue(&v->comments, WJB_KEY, &jv);
		jv.val.string.val = TextDatumGetCString(value);
		jv.val.string.len = strlen(jv.val.string.val);
		(void) pushJsonbValue(&v->comments, WJB_VALUE, &jv);
	}
	ss_scan_end(scan, rel);
}

/*
 * ss_read_views
 *		All views and materialized views of a schema that are not extension
 *		members, from the schema's pg_class rows as ss_read_schema read them
 *		(ss_rels), with scans of pg_rewrite, pg_attribute and pg_description
 *		over their OIDs (index ranges when they are close); ordered by name, bytewise.  The
 *		definition is pg_get_viewdef's (view_definition); with raw keys
 *		(ss_read_raw), a definition whose query tree has a raw key
 *		(ss_tree_raw) is deparsed only when asked for.
 */
void
ss_read_views(SsModel *m, Oid nsp)
{
	MemoryContext modelcxt = CurrentMemoryContext;
	MemoryContext rowcxt;
	SsRel	  **rels;
	HTAB	   *rows;
	ViewRow   **sorted;
	int			nrows;
	int			i;

	rels = ss_rels_modeled(RELKIND_VIEW, &nrows);
	if (nrows == 0)
		return;

	/*
	 * The rows read are in a context of their own, and what the objects keep
	 * of them is copied: the rules' trees alone are some 10 kB a view.
	 */
	rowcxt = AllocSetContextCreate(modelcxt, "schemasync view rows",
								   ALLOCSET_DEFAULT_SIZES);
	MemoryContextSwitchTo(rowcxt);
	rows = ss_oid_hash_create("schemasync views", sizeof(ViewRow), nrows);
	sorted = palloc(nrows * sizeof(ViewRow *));
	for (i = 0; i < nrows; i++)
	{
		ViewRow    *v = hash_search(rows, &rels[i]->oid, HASH_ENTER, NULL);

		memset((char *) v + sizeof(Oid), 0, sizeof(ViewRow) - sizeof(Oid));
		v->rel = rels[i];
		sorted[i] = v;
	}
	view_rules(rows, rels, nrows);
	view_columns(rows, rels, nrows);
	read_view_comments(rows, rels, nrows);
	pfree(rels);
	MemoryContextSwitchTo(modelcxt);

	for (i = 0; i < nrows; i++)
	{
		ViewRow    *row = sorted[i];
		bool		matview = (row->rel->relkind == RELKIND_MATVIEW);
		SsObject   *v = ss_object_add(m, matview ? SS_MATVIEW : SS_VIEW,
									  m->schema, NULL, NameStr(row->rel->relname));
		char	   *tree;

		v->oid = row->rel->oid;
		MemoryContextSwitchTo(rowcxt);
		tree = (ss_read_raw && row->tree != NULL) ?
			ss_tree_raw(row->tree, v->oid, nsp) : NULL;
		MemoryContextSwitchTo(modelcxt);
		if (tree != NULL)
		{
			/* a query tree's key is long: its digest is kept */
			v->raw = ss_raw_key(tree);
			v->lazy = &ss_view_lazy;
		}
		else
			v->props[VP_DEFINITION] = view_definition(v);
		/* the pg_class rows go when the schema is read */
		if (row->rel->relopts != NULL)
			v->props[VP_OPTIONS] = pstrdup(row->rel->relopts);
		if (row->comment != NULL)
			v->props[VP_COMMENT] = pstrdup(row->comment);
		if (row->comments != NULL)
		{
			JsonbValue *obj;
			Jsonb	   *jb;

			MemoryContextSwitchTo(rowcxt);
			obj = pushJsonbValue(&row->comments, WJB_END_OBJECT, NULL);
			jb = JsonbValueToJsonb(obj);
			MemoryContextSwitchTo(modelcxt);
			v->props[VP_COLUMN_COMMENTS] = JsonbToCString(NULL, &jb->root, VARSIZE(jb));
		}
		/* the column signature, for the CREATE OR REPLACE decision */
		v->aux = row->columns.data ? pstrdup(row->columns.data) : NULL;
		if (matview && !row->rel->populated)
			v->props[VP_NO_DATA] = pstrdup("true");

		/*
		 * What depends on the view names its relation, its row type (a
		 * function returning it) or its columns; what the view depends on
		 * is recorded for its _RETURN rule.
		 */
		ss_register_addr(RelationRelationId, v->oid, 0, v);
		ss_register_addr(TypeRelationId, row->rel->reltype, 0, v);
		ss_register_addr(RewriteRelationId, row->rule, 0, v);
	}
	MemoryContextDelete(rowcxt);
	/* a worker deparsing views ahead leaves them */
	ss_deparse_ahead_passed(SS_AHEAD_VIEW);
}

/*
 * same_definition
 *		Whether two views have the same definition: the same raw key, or
 *		the same text.
 */
static bool
same_definition(SsObject *cur, SsObject *want)
{
	return ss_raw_equal(cur, want) ||
		ss_streq(ss_prop(cur, VP_DEFINITION), ss_prop(want, VP_DEFINITION));
}

/*
 * view_word
 *		"VIEW" or "MATERIALIZED VIEW", for statements.
 */
static const char *
view_word(SsObject *v)
{
	return v->kind == SS_MATVIEW ? "MATERIALIZED VIEW" : "VIEW";
}

/*
 * view_create_sql
 *		CREATE [OR REPLACE] [MATERIALIZED] VIEW with options, definition and,
 *		for a materialized view, WITH [NO] DATA.
 */
static char *
view_create_sql(SsDiff *d, SsObject *want, bool or_replace)
{
	StringInfoData buf;

	initStringInfo(&buf);
	appendStringInfo(&buf, "CREATE %s%s %s", or_replace ? "OR REPLACE " : "",
					 view_word(want), ss_qualified(d->target, want->name));
	if (want->props[VP_OPTIONS])
		appendStringInfo(&buf, " WITH (%s)", want->props[VP_OPTIONS]);
	appendStringInfo(&buf, " AS\n%s", ss_prop(want, VP_DEFINITION));
	if (want->kind == SS_MATVIEW)
		appendStringInfoString(&buf, want->props[VP_NO_DATA] ? "\nWITH NO DATA" : "\nWITH DATA");
	appendStringInfoChar(&buf, ';');
	return buf.data;
}

/*
 * comments_jsonb
 *		The column comments property as a jsonb object, or NULL.
 */
static Jsonb *
comments_jsonb(SsObject *v)
{
	if (v == NULL || v->props[VP_COLUMN_COMMENTS] == NULL)
		return NULL;
	return DatumGetJsonbP(DirectFunctionCall1(jsonb_in,
											  CStringGetDatum(v->props[VP_COLUMN_COMMENTS])));
}

/*
 * comment_of
 *		The comment of a column in a column comments object, or NULL.
 */
static char *
comment_of(Jsonb *comments, const char *col)
{
	JsonbValue *v;

	if (comments == NULL)
		return NULL;
	v = getKeyJsonValueFromContainer(&comments->root, col, strlen(col), NULL);
	if (v == NULL || v->type != jbvString)
		return NULL;
	return pnstrdup(v->val.string.val, v->val.string.len);
}

/*
 * column_comment
 *		COMMENT ON COLUMN of a view's column, a late step.
 */
static void
column_comment(SsDiff *d, SsObject *cur, SsObject *want, const char *col,
			   const char *oldc, const char *newc, SsChange *after)
{
	char	   *colname = psprintf("%s.%s", ss_qualified(d->target, want->name),
								   quote_identifier(col));
	SsChange   *c;

	c = ss_add_change(d, "comment", cur, want,
					  oldc == NULL ? SS_ACT_CREATE : SS_ACT_ALTER,
					  psprintf("COMMENT ON COLUMN %s IS %s;", colname,
							   newc ? quote_literal_cstr(newc) : "NULL"));
	c->identity = colname;
	c->late = true;
	c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
	c->reason = pstrdup(newc == NULL ? "column comment removed" : "column comment differs");
	if (after)
		c->after = lappend(c->after, after);
}

/*
 * column_comments
 *		The column comments of want that differ from cur's (cur NULL: a
 *		view just created), and the removal of those it no longer has.
 */
static void
column_comments(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	Jsonb	   *oldj = comments_jsonb(cur);
	Jsonb	   *newj = comments_jsonb(want);
	JsonbIterator *it;
	JsonbValue	v;
	JsonbIteratorToken tok;
	char	   *key = NULL;

	if (ss_streq(cur ? cur->props[VP_COLUMN_COMMENTS] : NULL,
				 want->props[VP_COLUMN_COMMENTS]))
		return;
	if (newj)
	{
		it = JsonbIteratorInit(&newj->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok == WJB_KEY)
				key = pnstrdup(v.val.string.val, v.val.string.len);
			else if (tok == WJB_VALUE && key && v.type == jbvString)
			{
				char	   *newc = pnstrdup(v.val.string.val, v.val.string.len);
				char	   *oldc = comment_of(oldj, key);

				if (!ss_streq(oldc, newc))
					column_comment(d, cur, want, key, oldc, newc, after);
			}
		}
	}
	if (oldj)
	{
		it = JsonbIteratorInit(&oldj->root);
		while ((tok = JsonbIteratorNext(&it, &v, true)) != WJB_DONE)
		{
			if (tok == WJB_KEY)
			{
				key = pnstrdup(v.val.string.val, v.val.string.len);
				if (comment_of(newj, key) == NULL)
					column_comment(d, cur, want, key, comment_of(oldj, key), NULL, after);
			}
		}
	}
}

/*
 * view_comments
 *		The comment on the view and on its columns.
 */
static void
view_comments(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	ss_emit_comment(d, cur, want, view_word(want), ss_qualified(d->target, want->name),
					VP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, after);
	column_comments(d, cur, want, after);
}

/*
 * view_emit_create
 *		Create a view or materialized view, then its comments.
 */
static void
view_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action,
								  view_create_sql(d, want, false));

	c->reason = pstrdup(reason);
	if (want->kind == SS_MATVIEW && want->props[VP_NO_DATA] == NULL)
		c->hazards = SS_HZ_SCANS_TABLE;
	view_comments(d, NULL, want, c);
}

/*
 * view_emit_drop
 *		Drop a view or materialized view: no data is lost that cannot be
 *		computed again.
 */
static void
view_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, cur, NULL, action,
								  psprintf("DROP %s %s;", view_word(cur),
										   ss_qualified(d->target, cur->name)));

	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
}

/*
 * view_replace
 *		Drop and create again.
 */
static void
view_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	view_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	view_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * columns_compatible
 *		Whether CREATE OR REPLACE VIEW can turn cur into want: the current
 *		columns are the first columns of want, same names, types, typmods
 *		and collations.
 */
static bool
columns_compatible(SsObject *cur, SsObject *want)
{
	size_t		len;

	if (cur->aux == NULL || want->aux == NULL)
		return false;
	len = strlen(cur->aux);
	return strncmp(cur->aux, want->aux, len) == 0 &&
		(want->aux[len] == '\0' || want->aux[len] == '\n');
}

/*
 * matview_alter
 *		Storage parameters and populated state of a materialized view whose
 *		definition is unchanged.
 */
static void
matview_alter(SsDiff *d, SsObject *cur, SsObject *want)
{
	char	   *qname = ss_qualified(d->target, want->name);
	SsChange   *c;

	if (!ss_streq(cur->props[VP_OPTIONS], want->props[VP_OPTIONS]))
	{
		List	   *newnames = ss_reloption_names(want->props[VP_OPTIONS]);
		StringInfoData reset;
		ListCell   *lc;

		initStringInfo(&reset);
		foreach(lc, ss_reloption_names(cur->props[VP_OPTIONS]))
		{
			char	   *name = lfirst(lc);
			ListCell   *nc;
			bool		kept = false;

			foreach(nc, newnames)
				kept |= strcmp(name, lfirst(nc)) == 0;
			if (!kept)
				appendStringInfo(&reset, "%s%s", reset.len ? ", " : "", name);
		}
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("ALTER MATERIALIZED VIEW %s %s (%s);", qname,
								   reset.len ? "RESET" : "SET",
								   reset.len ? reset.data : want->props[VP_OPTIONS]));
		c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
		c->reason = pstrdup("storage parameters differ");
		if (reset.len && want->props[VP_OPTIONS])
		{
			c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
							  psprintf("ALTER MATERIALIZED VIEW %s SET (%s);", qname,
									   want->props[VP_OPTIONS]));
			c->lock = SS_LOCK_SHARE_UPDATE_EXCLUSIVE;
			c->reason = pstrdup("storage parameters differ");
		}
	}
	if (!ss_streq(cur->props[VP_NO_DATA], want->props[VP_NO_DATA]))
	{
		bool		nodata = want->props[VP_NO_DATA] != NULL;

		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  psprintf("REFRESH MATERIALIZED VIEW %s%s;", qname,
								   nodata ? " WITH NO DATA" : ""));
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		c->hazards = SS_HZ_ACCESS_EXCLUSIVE | (nodata ? 0 : SS_HZ_SCANS_TABLE);
		c->reason = pstrdup(nodata ? "reference is not populated (WITH NO DATA)"
							: "reference is populated (WITH DATA)");
	}
}

/*
 * view_diff
 *		Create, drop, replace or alter a view or materialized view.
 */
static void
view_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	const char *word = want ? (want->kind == SS_MATVIEW ? "materialized view" : "view") : NULL;

	if (cur == NULL)
	{
		view_emit_create(d, want, SS_ACT_CREATE, psprintf("%s missing in target", word));
		return;
	}
	if (want == NULL)
	{
		view_emit_drop(d, cur, SS_ACT_DROP,
					   cur->kind == SS_MATVIEW ? "materialized view not in reference"
					   : "view not in reference");
		return;
	}
	if (want->kind == SS_MATVIEW)
	{
		if (!same_definition(cur, want))
		{
			view_replace(d, cur, want, "definition differs");
			return;
		}
		matview_alter(d, cur, want);
	}
	else if (!same_definition(cur, want) ||
			 !ss_streq(cur->props[VP_OPTIONS], want->props[VP_OPTIONS]))
	{
		SsChange   *c;

		if (!columns_compatible(cur, want))
		{
			view_replace(d, cur, want,
						 "columns differ: CREATE OR REPLACE VIEW cannot drop, rename or retype them");
			return;
		}
		/* OR REPLACE also replaces the options: all of them are given */
		c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
						  view_create_sql(d, want, true));
		c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
		c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
		c->reason = pstrdup(same_definition(cur, want)
							? "options differ" : "definition differs");
	}
	view_comments(d, cur, want, NULL);
}

const SsKindOps ss_view_ops = {
	.name = "view",
	.nprops = VP_NO_DATA,
	.propnames = view_propnames,
	.proptypes = "ttto",
	.diff = view_diff,
	.replace = view_replace,
	.breaks_dependents = NULL,
};

const SsKindOps ss_matview_ops = {
	.name = "materialized_view",
	.nprops = VP_NUM,
	.propnames = view_propnames,
	.proptypes = "ttto" "b",
	.diff = view_diff,
	.replace = view_replace,
	.breaks_dependents = NULL,
};
