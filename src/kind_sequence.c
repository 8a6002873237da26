/*-------------------------------------------------------------------------
 *
 * kind_sequence.c
 *	  Standalone sequences (identity sequences belong to their column).
 *
 * A sequence is created without OWNED BY, and the ownership is set by a
 * separate, late step: the column that owns a serial sequence usually has
 * the sequence in its default, so the sequence must exist before the table
 * and the ownership can only be set after it.  Options are altered in place
 * with ALTER SEQUENCE; the sequence's current value is never touched.
 *
 * src/kind_sequence.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "catalog/dependency.h"
#include "catalog/indexing.h"
#include "catalog/pg_class.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_sequence.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "utils/builtins.h"
#include "utils/fmgroids.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"

#include "schemasync.h"

static const char *const sequence_propnames[SP_NUM] = {
	"type", "start", "increment", "minvalue", "maxvalue", "cache", "cycle",
	"owned_by", "comment"
};

/*
 * ss_oid_map_create
 *		A map from OIDs to row numbers of a reader (dynahash, in the current
 *		memory context).
 */
HTAB *
ss_oid_map_create(const char *name, long size)
{
	return ss_oid_hash_create(name, sizeof(SsOidMapEntry), size);
}

/*
 * ss_oid_map_set
 *		Map oid to row.
 */
void
ss_oid_map_set(HTAB *map, Oid oid, int row)
{
	SsOidMapEntry *e = hash_search(map, &oid, HASH_ENTER, NULL);

	e->row = row;
}

/*
 * ss_oid_map_get
 *		The row oid maps to, or -1 (also when there is no map).
 */
int
ss_oid_map_get(HTAB *map, Oid oid)
{
	SsOidMapEntry *e;

	if (map == NULL)
		return -1;
	e = hash_search(map, &oid, HASH_FIND, NULL);
	return e ? e->row : -1;
}

/*
 * ss_extension_members
 *		The objects of one catalog that are members of an extension, as an
 *		OID map, or NULL when there are none: the pg_depend rows that
 *		reference pg_extension, an index range of a few rows per extension
 *		(what SS_NOT_EXTENSION_MEMBER_OF reads).
 */
HTAB *
ss_extension_members(Oid classid)
{
	return ss_depend_referencing(ExtensionRelationId, classid, DEPENDENCY_EXTENSION);
}

/*
 * ss_read_sequences
 *		All sequences of a schema that are not identity sequences nor
 *		extension members, from the schema's pg_class rows as
 *		ss_read_schema read them with their pg_sequence rows and what they
 *		depend on (ss_rel: ownership; an internal dependency marks an
 *		identity sequence); their comments come later, with the other
 *		relations' (ss_read_schema).  The name of an owning
 *		column is a syscache lookup per owned sequence (a heap scan of
 *		pg_attribute costs more).  The texts are those of the query this
 *		replaced (format_type with no typmod, int8 out), the order its ORDER
 *		BY relname COLLATE "C".
 */
void
ss_read_sequences(SsModel *m, Oid nsp)
{
	SsRel	  **rows;
	int			nrows;
	int			i;

	rows = ss_rels_modeled(RELKIND_SEQUENCE, &nrows);
	if (nrows == 0)
		return;
	for (i = 0; i < nrows; i++)
	{
		SsRel	   *row = rows[i];
		Form_pg_sequence seq = row->seq;
		SsObject   *s;

		if (seq == NULL || row->seqinternal)
			continue;
		s = ss_object_add(m, SS_SEQUENCE, m->schema, NULL, NameStr(row->relname));
		s->props[SP_TYPE] = format_type_extended(seq->seqtypid, -1,
												 FORMAT_TYPE_ALLOW_INVALID);
		s->props[SP_START] = psprintf(INT64_FORMAT, seq->seqstart);
		s->props[SP_INCREMENT] = psprintf(INT64_FORMAT, seq->seqincrement);
		s->props[SP_MIN] = psprintf(INT64_FORMAT, seq->seqmin);
		s->props[SP_MAX] = psprintf(INT64_FORMAT, seq->seqmax);
		s->props[SP_CACHE] = psprintf(INT64_FORMAT, seq->seqcache);
		if (seq->seqcycle)
			s->props[SP_CYCLE] = "true";
		if (OidIsValid(row->ownrel))
		{
			/* PostgreSQL keeps a sequence in the schema of its owner */
			SsRel	   *owner = ss_rel(row->ownrel);
			char	   *relname;
			char	   *attname = get_attname(row->ownrel, row->ownatt, true);

			if (owner != NULL &&
				(owner->relkind == RELKIND_RELATION ||
				 owner->relkind == RELKIND_PARTITIONED_TABLE ||
				 owner->relkind == RELKIND_FOREIGN_TABLE ||
				 owner->relkind == RELKIND_VIEW))
				relname = pstrdup(NameStr(owner->relname));
			else
				relname = get_rel_name(row->ownrel);
			if (relname != NULL && attname != NULL)
			{
				s->props[SP_OWNED_BY] = psprintf("%s.%s", quote_identifier(relname),
												 quote_identifier(attname));
				/* the owning column's key, for ordering the OWNED BY step */
				s->aux = ss_make_key(SS_COLUMN, relname, attname);
			}
		}
		s->oid = row->oid;
		s->seqoid = s->oid;
		ss_register_addr(RelationRelationId, s->oid, 0, s);
	}
	pfree(rows);
}

/*
 * ss_object_seqvalue
 *		The last value of a sequence, or of an identity column's sequence, as
 *		text; NULL when it was never used, the user may not read it, or the
 *		object has no sequence on the catalog.  Looked up when first asked
 *		for (only a change of bounds needs it), so that reading a schema does
 *		not open every sequence.  Only asked of the current side, which is
 *		read from the catalog and exists for the whole diff.
 */
const char *
ss_object_seqvalue(SsObject *obj)
{
	LOCAL_FCINFO(fcinfo, 1);
	Datum		value;
	MemoryContext back;

	if (obj->seqvalue_read || !OidIsValid(obj->seqoid))
		return ss_seqnum(obj, value);
	obj->seqvalue_read = true;
	/* as has_sequence_privilege(seq, 'SELECT,USAGE') */
	if (pg_class_aclcheck(obj->seqoid, GetUserId(), ACL_SELECT | ACL_USAGE) != ACLCHECK_OK)
		return NULL;
	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = ObjectIdGetDatum(obj->seqoid);
	fcinfo->args[0].isnull = false;
	value = pg_sequence_last_value(fcinfo);
	if (fcinfo->isnull)
		return NULL;
	/* in the model's context: it lives as long as the object */
	back = MemoryContextSwitchTo(GetMemoryChunkContext(obj->model));
	if (obj->seqnums == NULL)
		obj->seqnums = palloc0(sizeof(SsSeqNumbers));
	obj->seqnums->value = psprintf(INT64_FORMAT, DatumGetInt64(value));
	MemoryContextSwitchTo(back);
	return obj->seqnums->value;
}

/*
 * ss_sequence_restart
 *		ALTER SEQUENCE refuses bounds that exclude the sequence's value: the
 *		start of a sequence never used, else its last value.  Then it must
 *		restart, at the new start: the start value to use, or NULL when no
 *		restart is needed.  Restarting a used sequence loses its place, so
 *		that sets the sequence_reset hazard.
 */
char *
ss_sequence_restart(const char *lastvalue, const char *oldstart,
					const char *newmin, const char *newmax, const char *newstart,
					uint32 *hazards)
{
	const char *current = lastvalue ? lastvalue : oldstart;
	long long	v;

	if (current == NULL || newmin == NULL || newmax == NULL || newstart == NULL)
		return NULL;
	v = strtoll(current, NULL, 10);
	if (v >= strtoll(newmin, NULL, 10) && v <= strtoll(newmax, NULL, 10))
		return NULL;
	if (lastvalue)
		*hazards |= SS_HZ_SEQUENCE_RESET;
	return pstrdup(newstart);
}

/*
 * sequence_options
 *		The options clause for the properties that differ from cur (all of
 *		them when cur is NULL).
 */
static char *
sequence_options(SsObject *cur, SsObject *want)
{
	static const char *const words[] = {
		[SP_TYPE] = "AS",
		[SP_START] = "START WITH",
		[SP_INCREMENT] = "INCREMENT BY",
		[SP_MIN] = "MINVALUE",
		[SP_MAX] = "MAXVALUE",
		[SP_CACHE] = "CACHE",
	};
	StringInfoData buf;
	int			p;

	initStringInfo(&buf);
	for (p = SP_TYPE; p <= SP_CACHE; p++)
		if (cur == NULL || !ss_streq(cur->props[p], want->props[p]))
			appendStringInfo(&buf, " %s %s", words[p], want->props[p]);
	if (cur == NULL || !ss_streq(cur->props[SP_CYCLE], want->props[SP_CYCLE]))
		appendStringInfoString(&buf, want->props[SP_CYCLE] ? " CYCLE" : " NO CYCLE");
	return buf.data;
}

/*
 * sequence_owner
 *		ALTER SEQUENCE ... OWNED BY, a late step after the owning column.
 */
static void
sequence_owner(SsDiff *d, SsObject *cur, SsObject *want, SsChange *after)
{
	const char *owner = want->props[SP_OWNED_BY];
	SsChange   *c;

	c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
					  psprintf("ALTER SEQUENCE %s OWNED BY %s;",
							   ss_qualified(d->target, want->name),
							   owner ? psprintf("%s.%s", quote_identifier(d->target), owner) : "NONE"));
	c->late = true;
	c->lock = SS_LOCK_SHARE_ROW_EXCLUSIVE;
	c->reason = pstrdup(owner ? "sequence is owned by a column" : "sequence ownership removed");
	if (after)
		c->after = lappend(c->after, after);
	if (owner && want->aux)
		c->needs = lappend(c->needs, want->aux);
}

/*
 * sequence_emit_create
 *		CREATE SEQUENCE with every option, then ownership and comment.
 */
static void
sequence_emit_create(SsDiff *d, SsObject *want, SsAction action, const char *reason)
{
	SsChange   *c = ss_add_change(d, NULL, NULL, want, action,
								  psprintf("CREATE SEQUENCE %s%s;",
										   ss_qualified(d->target, want->name),
										   sequence_options(NULL, want)));

	c->reason = pstrdup(reason);
	if (want->props[SP_OWNED_BY])
		sequence_owner(d, NULL, want, c);
	ss_emit_comment(d, NULL, want, "SEQUENCE", ss_qualified(d->target, want->name),
					SP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, c);
}

/*
 * sequence_emit_drop
 *		DROP SEQUENCE: loses its current value.
 */
static void
sequence_emit_drop(SsDiff *d, SsObject *cur, SsAction action, const char *reason)
{
	SsChange   *c;
	SsChange   *owner = cur->aux ? ss_drop_of(d, cur->aux) : NULL;

	/* a sequence owned by a column that is dropped goes with it */
	if (owner && action == SS_ACT_DROP)
	{
		c = ss_add_change(d, NULL, cur, NULL, action, NULL);
		c->absorbed_into = owner;
		return;
	}
	c = ss_add_change(d, NULL, cur, NULL, action,
					  psprintf("DROP SEQUENCE %s;", ss_qualified(d->target, cur->name)));

	c->reason = pstrdup(reason);
	c->destructive = true;
	c->hazards = SS_HZ_SEQUENCE_RESET | SS_HZ_ACCESS_EXCLUSIVE;
	c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
}

/*
 * sequence_replace
 *		Drop and create a sequence again (forced by a dependency).
 */
static void
sequence_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	sequence_emit_drop(d, cur, SS_ACT_REPLACE_DROP, reason);
	sequence_emit_create(d, want, SS_ACT_REPLACE_CREATE, reason);
}

/*
 * sequence_diff
 *		Create, drop or alter a sequence.
 */
static void
sequence_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	char	   *opts;

	if (cur == NULL)
	{
		sequence_emit_create(d, want, SS_ACT_CREATE, "sequence missing in target");
		return;
	}
	if (want == NULL)
	{
		sequence_emit_drop(d, cur, SS_ACT_DROP, "sequence not in reference");
		return;
	}
	opts = sequence_options(cur, want);
	if (opts[0])
	{
		uint32		hz = 0;
		char	   *restart = ss_sequence_restart(ss_object_seqvalue(cur), cur->props[SP_START],
												  want->props[SP_MIN], want->props[SP_MAX],
												  want->props[SP_START], &hz);
		SsChange   *c = ss_add_change(d, NULL, cur, want, SS_ACT_ALTER,
									  psprintf("ALTER SEQUENCE %s%s%s;",
											   ss_qualified(d->target, want->name), opts,
											   restart ? psprintf(" RESTART WITH %s", restart) : ""));

		c->reason = pstrdup("sequence options differ");
		c->lock = SS_LOCK_SHARE_ROW_EXCLUSIVE;
		c->hazards = hz;
		c->destructive = (hz & SS_HZ_SEQUENCE_RESET) != 0;
	}
	if (!ss_streq(cur->props[SP_OWNED_BY], want->props[SP_OWNED_BY]))
		sequence_owner(d, cur, want, NULL);
	ss_emit_comment(d, cur, want, "SEQUENCE", ss_qualified(d->target, want->name),
					SP_COMMENT, SS_LOCK_SHARE_UPDATE_EXCLUSIVE, NULL);
}

const SsKindOps ss_sequence_ops = {
	.name = "sequence",
	.nprops = SP_NUM,
	.propnames = sequence_propnames,
	.proptypes = "tnnnnnbtt",
	.diff = sequence_diff,
	.replace = sequence_replace,
	.breaks_dependents = NULL,
};
