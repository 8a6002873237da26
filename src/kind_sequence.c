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

#include "catalog/pg_class.h"
#include "miscadmin.h"
#include "utils/acl.h"
#include "executor/spi.h"
#include "catalog/pg_type.h"
#include "utils/array.h"
#include "utils/builtins.h"

#include "schemasync.h"

static const char *const sequence_propnames[SP_NUM] = {
	"type", "start", "increment", "minvalue", "maxvalue", "cache", "cycle",
	"owned_by", "comment"
};

/*
 * ss_read_sequences
 *		All sequences of a schema that are not identity sequences.
 */
void
ss_read_sequences(SsModel *m, Oid nsp)
{
	uint64		i;

	ss_spi_exec("SELECT c.relname::pg_catalog.text,"
				" pg_catalog.format_type(s.seqtypid, NULL),"
				" s.seqstart::pg_catalog.text, s.seqincrement::pg_catalog.text,"
				" s.seqmin::pg_catalog.text, s.seqmax::pg_catalog.text,"
				" s.seqcache::pg_catalog.text, CASE WHEN s.seqcycle THEN 'true' END,"
				" (SELECT pg_catalog.quote_ident(tc.relname) || '.' || pg_catalog.quote_ident(a.attname)"
				"   FROM pg_catalog.pg_depend od"
				"   JOIN pg_catalog.pg_class tc ON tc.oid = od.refobjid"
				"   JOIN pg_catalog.pg_attribute a ON a.attrelid = od.refobjid AND a.attnum = od.refobjsubid"
				"   WHERE od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
				"   AND od.objid = c.oid AND od.refobjsubid > 0 AND od.deptype = 'a'"
				"   AND od.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass),"
				" ds.description, c.oid,"
				" (SELECT ARRAY[tc.relname::pg_catalog.text, a.attname::pg_catalog.text]"
				"   FROM pg_catalog.pg_depend od"
				"   JOIN pg_catalog.pg_class tc ON tc.oid = od.refobjid"
				"   JOIN pg_catalog.pg_attribute a ON a.attrelid = od.refobjid AND a.attnum = od.refobjsubid"
				"   WHERE od.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
				"   AND od.objid = c.oid AND od.refobjsubid > 0 AND od.deptype = 'a'"
				"   AND od.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass)"
				" FROM pg_catalog.pg_class c"
				" JOIN pg_catalog.pg_sequence s ON s.seqrelid = c.oid"
				" LEFT JOIN pg_catalog.pg_description ds ON ds.objoid = c.oid"
				"  AND ds.classoid = 'pg_catalog.pg_class'::pg_catalog.regclass"
				"  AND ds.objsubid = 0"
				" WHERE c.relnamespace = $1 AND c.relkind = 'S'"
				" AND " SS_NOT_EXTENSION_MEMBER("c.oid")
				" AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend idd"
				"  WHERE idd.classid = 'pg_catalog.pg_class'::pg_catalog.regclass"
				"  AND idd.objid = c.oid AND idd.deptype = 'i')"
				" ORDER BY c.relname COLLATE \"C\"", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		SsObject   *s = ss_object_add(m, SS_SEQUENCE, m->schema, NULL,
									  ss_spi_text(i, 1));
		int			p;

		for (p = SP_TYPE; p <= SP_COMMENT; p++)
			s->props[p] = ss_spi_text(i, p + 2);
		s->oid = ss_spi_oid(i, 11);
		s->seqoid = s->oid;
		if (s->props[SP_OWNED_BY])
		{
			bool		isnull;
			Datum		arr = SPI_getbinval(SPI_tuptable->vals[i], SPI_tuptable->tupdesc,
											12, &isnull);
			Datum	   *elems;
			int			nelems;

			deconstruct_array(DatumGetArrayTypeP(arr), TEXTOID, -1, false,
							  TYPALIGN_INT, &elems, NULL, &nelems);
			/* the owning column's key, for ordering the OWNED BY step */
			s->aux = ss_make_key(SS_COLUMN, TextDatumGetCString(elems[0]),
								 TextDatumGetCString(elems[1]));
		}
		ss_register_addr(RelationRelationId, s->oid, 0, s);
	}
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

	if (obj->seqvalue_read || !OidIsValid(obj->seqoid))
		return obj->seqvalue;
	obj->seqvalue_read = true;
	/* as has_sequence_privilege(seq, 'SELECT,USAGE') */
	if (pg_class_aclcheck(obj->seqoid, GetUserId(), ACL_SELECT | ACL_USAGE) != ACLCHECK_OK)
		return NULL;
	InitFunctionCallInfoData(*fcinfo, NULL, 1, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = ObjectIdGetDatum(obj->seqoid);
	fcinfo->args[0].isnull = false;
	value = pg_sequence_last_value(fcinfo);
	if (!fcinfo->isnull)
		obj->seqvalue = psprintf(INT64_FORMAT, DatumGetInt64(value));
	return obj->seqvalue;
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
