/*-------------------------------------------------------------------------
 *
 * kind_index.c
 *	  Indexes that do not belong to a constraint, on tables and on
 *	  materialized views.
 *
 * pg_get_indexdef() always qualifies the indexed table with its schema,
 * whatever search_path says, so the reader removes that one qualifier to
 * get a schema-neutral definition, and the emitter puts the target schema
 * back.  Everything else in the definition (access method, columns and
 * expressions, opclasses, collations, INCLUDE, predicate, storage
 * parameters) is compared as the server deparses it; a predicate whose text
 * differs is compared in normal form.  Any difference re-creates the index.
 *
 * src/kind_index.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/htup_details.h"
#include "catalog/pg_class.h"
#include "catalog/pg_index.h"
#include "executor/spi.h"
#include "nodes/parsenodes.h"
#include "parser/parser.h"
#include "utils/builtins.h"
#include "utils/syscache.h"

#include "schemasync.h"

static const char *const index_propnames[IP_NUM] = {
	"definition", "comment"
};

/*
 * index_prefix_len
 *		The length of "CREATE [UNIQUE ]INDEX name ON [ONLY ]" in a definition
 *		of the named index, or -1 when it does not start so.
 */
static int
index_prefix_len(const char *def, const char *name)
{
	const char *qname = quote_identifier(name);
	const char *p = def;

	if (strncmp(p, "CREATE ", 7) != 0)
		return -1;
	p += 7;
	if (strncmp(p, "UNIQUE ", 7) == 0)
		p += 7;
	if (strncmp(p, "INDEX ", 6) != 0)
		return -1;
	p += 6;
	if (strncmp(p, qname, strlen(qname)) != 0)
		return -1;
	p += strlen(qname);
	if (strncmp(p, " ON ", 4) != 0)
		return -1;
	p += 4;
	if (strncmp(p, "ONLY ", 5) == 0)
		p += 5;
	return p - def;
}

/*
 * neutral_definition
 *		The definition with the table's schema qualifier removed.
 */
static char *
neutral_definition(const char *def, const char *name, const char *schema)
{
	int			pre = index_prefix_len(def, name);
	const char *qs = quote_identifier(schema);
	size_t		qslen = strlen(qs);

	if (pre < 0 || strncmp(def + pre, qs, qslen) != 0 || def[pre + qslen] != '.')
		return pstrdup(def);
	return psprintf("%.*s%s", pre, def, def + pre + qslen + 1);
}

/*
 * The columns of the index reader's query but the first ones: comment, OIDs.
 * The definition and the predicate are either deparsed (INDEX_DEPARSED) or
 * left for later (INDEX_RAW): then the query returns the catalog row they
 * come from instead.  That row holds every input of pg_get_indexdef(): the
 * table's name and kind (ONLY), pg_index's flags and per-column arrays
 * (attribute numbers, opclasses, collations, options), the access method,
 * reloptions, the node trees of the expressions and predicate (columns by
 * number, built-in functions and operators by OID: a schema-local object
 * referenced has a different OID on each side) and the name, type and
 * collation of every column of the table, so that the columns the numbers
 * stand for are the same.
 */
#define INDEX_QUERY(DEF, PRED) \
	"SELECT ic.relname::pg_catalog.text, tc.relname::pg_catalog.text," \
	DEF ", ds.description, i.indexrelid, i.indrelid, " PRED \
	" FROM pg_catalog.pg_index i" \
	" JOIN pg_catalog.pg_class ic ON ic.oid = i.indexrelid" \
	" JOIN pg_catalog.pg_class tc ON tc.oid = i.indrelid" \
	" LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = i.indexrelid" \
	"  AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass" \
	"  AND ds.objsubid = 0" \
	" WHERE tc.relnamespace = $1 AND tc.relkind IN ('r', 'p', 'm')" \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_inherits ii" \
	"  WHERE ii.inhrelid = i.indexrelid)" \
	" AND " SS_NOT_EXTENSION_MEMBER("tc.oid") \
	" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend cd" \
	"  WHERE cd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass" \
	"  AND cd.objid = i.indexrelid" \
	"  AND cd.refclassid = 'pg_catalog.pg_constraint'::pg_catalog.regclass" \
	"  AND cd.deptype = 'i')" \
	" ORDER BY ic.relname COLLATE \"C\""

#if PG_VERSION_NUM >= 150000
#define INDEX_NULLS_NOT_DISTINCT " i.indnullsnotdistinct,"
#else
#define INDEX_NULLS_NOT_DISTINCT
#endif

#define INDEX_DEPARSED \
	INDEX_QUERY(" pg_catalog.pg_get_indexdef(i.indexrelid)", \
				"CASE WHEN i.indpred IS NOT NULL THEN pg_catalog.pg_get_expr(i.indpred, i.indrelid) END," \
				" NULL, NULL")

#define INDEX_RAW \
	INDEX_QUERY(" ROW(tc.relkind, i.indisunique," \
				INDEX_NULLS_NOT_DISTINCT " i.indnatts, i.indnkeyatts, i.indkey," \
				" i.indclass, i.indcollation, i.indoption, ic.relam, ic.reloptions," \
				" (SELECT pg_catalog.array_agg(a.attoptions::pg_catalog.text ORDER BY a.attnum)" \
				"  FROM pg_catalog.pg_attribute a WHERE a.attrelid = i.indexrelid))::pg_catalog.text", \
				"NULL, i.indexprs::pg_catalog.text, i.indpred::pg_catalog.text")

/*
 * index_raw
 *		The raw key of an index (see INDEX_QUERY) from row i of the query, or
 *		NULL when its table's columns are not known (a materialized view's).
 */
static char *
index_raw(SsModel *m, uint64 i)
{
	SsObject   *t = ss_lookup_addr(RelationRelationId, ss_spi_oid(i, 6), 0);
	StringInfoData buf;

	if (t == NULL || t->kind != SS_TABLE || t->colsig == NULL)
		return NULL;
	initStringInfo(&buf);
	ss_raw_append(&buf, t->name, false);
	ss_raw_append(&buf, ss_spi_text(i, 3), false);
	ss_raw_append(&buf, ss_spi_text(i, 8), true);
	ss_raw_append(&buf, ss_spi_text(i, 9), true);
	appendStringInfoString(&buf, t->colsig);
	return buf.data;
}

/*
 * index_resolve
 *		Deparse an index read with a raw key (SsObject.resolve).
 */
static void
index_resolve(SsObject *ix)
{
	HeapTuple	tup;
	Datum		pred;
	bool		isnull;

	ix->props[IP_DEFINITION] =
		neutral_definition(TextDatumGetCString(DirectFunctionCall1(pg_get_indexdef,
																   ObjectIdGetDatum(ix->oid))),
						   ix->name, ix->model->schema);
	tup = SearchSysCache1(INDEXRELID, ObjectIdGetDatum(ix->oid));
	if (!HeapTupleIsValid(tup))
		elog(ERROR, "cache lookup failed for index %u", ix->oid);
	pred = SysCacheGetAttr(INDEXRELID, tup, Anum_pg_index_indpred, &isnull);
	if (!isnull)
		ix->aux = TextDatumGetCString(DirectFunctionCall2(pg_get_expr, pred,
														  ObjectIdGetDatum(ix->reloid)));
	ReleaseSysCache(tup);
}

/*
 * ss_read_indexes
 *		All indexes of a schema's tables that no constraint owns.
 */
void
ss_read_indexes(SsModel *m, Oid nsp)
{
	bool		raw = ss_read_raw;
	uint64		i;

	ss_spi_exec(raw ? INDEX_RAW : INDEX_DEPARSED, nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *name = ss_spi_text(i, 1);
		SsObject   *ix = ss_object_add(m, SS_INDEX, m->schema, ss_spi_text(i, 2), name);

		ix->props[IP_COMMENT] = ss_spi_text(i, 4);
		ix->oid = ss_spi_oid(i, 5);
		ix->reloid = ss_spi_oid(i, 6);
		ix->aux = ss_spi_text(i, 7);
		if (!raw)
			ix->props[IP_DEFINITION] = neutral_definition(ss_spi_text(i, 3), name, m->schema);
		else if ((ix->raw = index_raw(m, i)) != NULL)
			ix->resolve = index_resolve;
		else
			index_resolve(ix);
		ss_register_addr(RelationRelationId, ix->oid, 0, ix);
	}
}

/*
 * ss_parse_index_definition
 *		Parse a CREATE INDEX text as written in a model: it must be one
 *		CREATE INDEX statement.  Returns its index name, its table's name and
 *		schema (NULL when unqualified), and the offset of the table's name in
 *		the text.  A syntax error is raised as is.
 */
bool
ss_parse_index_definition(const char *def, char **idxname, char **relname,
						  char **schemaname, int *reloffset)
{
	List	   *raw;
	IndexStmt  *stmt;

#if PG_VERSION_NUM >= 140000
	raw = raw_parser(def, RAW_PARSE_DEFAULT);
#else
	raw = raw_parser(def);
#endif
	if (list_length(raw) != 1 || !IsA(linitial_node(RawStmt, raw)->stmt, IndexStmt))
		return false;
	stmt = (IndexStmt *) linitial_node(RawStmt, raw)->stmt;
	*idxname = stmt->idxname;
	*relname = stmt->relation->relname;
	*schemaname = stmt->relation->schemaname;
	*reloffset = stmt->relation->location;
	return stmt->idxname != NULL && stmt->relation->location >= 0;
}

/*
 * index_create_sql
 *		The desired definition with the target schema on the table.
 */
static char *
index_create_sql(SsDiff *d, SsObject *want)
{
	const char *def = want->props[IP_DEFINITION];
	int			pre = index_prefix_len(def, want->name);

	if (pre < 0)
	{
		/* as written in a model: find the table's name by parsing */
		char	   *idxname;
		char	   *relname;
		char	   *schemaname;

		if (!ss_parse_index_definition(def, &idxname, &relname, &schemaname, &pre) ||
			schemaname != NULL)
			elog(ERROR, "unexpected index definition: %s", def);
	}
	/* on a partitioned table, without ONLY: every partition gets the index */
	if (pre >= 5 && strncmp(def + pre - 5, "ONLY ", 5) == 0)
		return psprintf("%.*s%s.%s;", pre - 5, def, quote_identifier(d->target), def + pre);
	return psprintf("%.*s%s.%s;", pre, def, quote_identifier(d->target), def + pre);
}

/*
 * predicate_start
 *		Where " WHERE <predicate>" starts in a definition that ends with it,
 *		or NULL.
 */
static const char *
predicate_start(const char *def, const char *pred)
{
	size_t		dlen = strlen(def);
	size_t		plen = strlen(pred) + strlen(" WHERE ");

	if (dlen < plen || strncmp(def + dlen - plen, " WHERE ", 7) != 0 ||
		strcmp(def + dlen - plen + 7, pred) != 0)
		return NULL;
	return def + dlen - plen;
}

/*
 * same_index
 *		Whether two index definitions are equal, the predicates compared in
 *		normal form when the texts differ.
 */
static bool
same_index(SsDiff *d, SsObject *cur, SsObject *want)
{
	const char *a;
	const char *b;
	const char *wa;
	const char *wb;

	if (ss_raw_equal(cur, want))
		return true;
	ss_resolve(cur);
	ss_resolve(want);
	a = cur->props[IP_DEFINITION];
	b = want->props[IP_DEFINITION];
	if (strcmp(a, b) == 0)
		return true;
	if (cur->aux == NULL || want->aux == NULL)
		return false;
	/* the same text but for the predicate, which ends it */
	wa = predicate_start(a, cur->aux);
	wb = predicate_start(b, want->aux);
	if (wa == NULL || wb == NULL || wa - a != wb - b || strncmp(a, b, wa - a) != 0)
		return false;
	return ss_expr_equal(d, cur, cur->aux, want, want->aux, 'w');
}

/*
 * index_emit_create
 *		CREATE INDEX on the target table.
 */
static void
index_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c;

	ss_resolve(want);
	c = ss_add_change(d, NULL, NULL, want, action, index_create_sql(d, want));

	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_SHARE;
	c->hazards = SS_HZ_INDEX_BUILD | SS_HZ_BLOCKS_WRITES;
	if (!ss_parent_created(d, want))
		c->hazards |= SS_HZ_SCANS_TABLE;
	if (strncmp(want->props[IP_DEFINITION], "CREATE UNIQUE", 13) == 0)
		c->hazards |= SS_HZ_MAY_FAIL;
	ss_emit_comment(d, NULL, want, "INDEX", ss_qualified(d->target, want->name),
					IP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
}

/*
 * index_emit_drop
 *		DROP INDEX, or nothing when the table goes.
 */
static void
index_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;

	if (ss_parent_dropped(d, cur))
	{
		(void) ss_add_change(d, NULL, cur, NULL, action, NULL);
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("DROP INDEX %s;", ss_qualified(d->target, cur->name)));
	c->reason = pstrdup(reason);
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
	c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
}

/*
 * index_replace
 *		Drop and create an index again.
 */
static void
index_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	index_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	index_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * index_diff
 *		Create, drop or replace an index.
 */
static void
index_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (cur == NULL)
		index_emit_create(d, want, SS_ACT_CREATE, "index missing in target");
	else if (want == NULL)
		index_emit_drop(d, cur, SS_ACT_DROP, "index not in reference");
	else if (!same_index(d, cur, want))
		index_replace(d, cur, want, "definition differs");
	else
		ss_emit_comment(d, cur, want, "INDEX", ss_qualified(d->target, want->name),
						IP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
}

const SsKindOps ss_index_ops = {
	.name = "index",
	.nprops = IP_NUM,
	.propnames = index_propnames,
	.proptypes = "tt",
	.diff = index_diff,
	.replace = index_replace,
	.breaks_dependents = NULL,
};
