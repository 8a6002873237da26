/*-------------------------------------------------------------------------
 *
 * kind_privilege.c
 *	  Opt-in privileges (GRANT/REVOKE, ALTER DEFAULT PRIVILEGES) and owners.
 *
 * Environments legitimately differ in roles, so none of this is read or
 * compared unless the options "privileges" or "owners" ask for it (the
 * reader runs only then: ss_read_acls, set by ss_parse_options).
 *
 * A privilege object stands for the privileges and the owner of one object
 * of the model: the compared schema itself, a relation (table, sequence,
 * view, ... whatever kind of relation the model holds), a column, a
 * function, a type.  It is keyed by the key of that object, found through
 * its catalog address (ss_lookup_addr), so it works for every kind that
 * registers its addresses, and it depends on it: created after it, gone
 * with its drop without a REVOKE.  Its ACL is the parsed ACL, as a set of
 * (grantee, privilege, grantable): a NULL ACL stands for the owner's
 * defaults (acldefault), so NULL and an explicit equal ACL compare equal;
 * the grantor is not compared (statements run as the caller).  The owner's
 * own entries are written with the grantee "(owner)", so that two objects of
 * different owners compare equal when their owners hold the same rights,
 * and they are only ever granted, never revoked: a migration never strips
 * the owner's own rights.
 *
 * The sequence of an identity column is not an object of the model: its
 * privileges belong to its column.  Their privilege object (object type
 * IDENTITY SEQUENCE) is named "identity:table.column" and depends on the
 * column, whatever the sequence is called on each side; object_name holds
 * the sequence's name on its side.  The statements name the target's
 * sequence: its current one, or for a column that becomes an identity (or
 * is created), the name the desired side holds, which is the name
 * PostgreSQL gives it (table_column_seq, unless that is taken).
 *
 * The text form of an ACL, in models and property values, is
 *
 *		grantee=PRIV,PRIV*;grantee=PRIV
 *
 * grantees sorted, each a quoted role name, PUBLIC or (owner); "*" marks a
 * privilege held WITH GRANT OPTION.
 *
 * Default privileges (pg_default_acl rows of the schema, FOR ROLE r IN
 * SCHEMA s ... ON TABLES/SEQUENCES/FUNCTIONS/TYPES) are objects of their own
 * kind, keyed by role and object type.  An object created by the migration
 * receives, from PostgreSQL, the default privileges of its creator (the
 * caller): the differ revokes those the desired state lacks, whichever side's
 * default privileges were in force when the object was created.
 *
 * src/kind_privilege.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "catalog/pg_class.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_proc.h"
#include "catalog/pg_type.h"
#include "commands/defrem.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "utils/builtins.h"

#include "schemasync.h"

/* whether the catalog reader models privileges and owners (options.c) */
bool		ss_read_acls = false;

static const char *const privilege_propnames[PV_NUM] = {
	"object_type", "object_name", "column", "acl", "owner"
};

static const char *const default_privilege_propnames[DV_NUM] = {
	"role", "object_type", "acl"
};

/* the grantee that stands for the object's owner */
#define OWNER_TOKEN "(owner)"

/* the object type and name prefix of an identity sequence's privileges */
#define IDENTITY_OBJTYPE "IDENTITY SEQUENCE"
#define IDENTITY_PREFIX "identity:"

/* One entry of an ACL: a privilege held by a grantee. */
typedef struct AclEntry
{
	char	   *grantee;		/* quoted role, PUBLIC or OWNER_TOKEN */
	char	   *priv;			/* SELECT, USAGE, ... */
	bool		grantable;
} AclEntry;

/*
 * What each object type of a privilege object is: the word of ALTER ... OWNER
 * TO, the word of GRANT ... ON, the object type of ALTER DEFAULT PRIVILEGES
 * that applies to it, and the privileges its owner holds by default
 * (acldefault), also held by PUBLIC when public is set.
 */
typedef struct ObjTypeInfo
{
	const char *objtype;
	const char *grant_word;
	const char *default_word;
	const char *owner_privs;
	bool		public;
} ObjTypeInfo;

#if PG_VERSION_NUM >= 170000
#define TABLE_PRIVS "DELETE,INSERT,MAINTAIN,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE"
#else
#define TABLE_PRIVS "DELETE,INSERT,REFERENCES,SELECT,TRIGGER,TRUNCATE,UPDATE"
#endif

static const ObjTypeInfo objtypes[] = {
	{"TABLE", "TABLE", "TABLES", TABLE_PRIVS, false},
	{"VIEW", "TABLE", "TABLES", TABLE_PRIVS, false},
	{"MATERIALIZED VIEW", "TABLE", "TABLES", TABLE_PRIVS, false},
	{"FOREIGN TABLE", "TABLE", "TABLES", TABLE_PRIVS, false},
	{"SEQUENCE", "SEQUENCE", "SEQUENCES", "SELECT,UPDATE,USAGE", false},
	{IDENTITY_OBJTYPE, "SEQUENCE", "SEQUENCES", "SELECT,UPDATE,USAGE", false},
	{"FUNCTION", "FUNCTION", "FUNCTIONS", "EXECUTE", true},
	{"AGGREGATE", "FUNCTION", "FUNCTIONS", "EXECUTE", true},
	{"PROCEDURE", "PROCEDURE", "FUNCTIONS", "EXECUTE", true},
	{"TYPE", "TYPE", "TYPES", "USAGE", true},
	{"DOMAIN", "TYPE", "TYPES", "USAGE", true},
	{"SCHEMA", "SCHEMA", NULL, "CREATE,USAGE", false},
	{"COLUMN", "TABLE", NULL, "", false},
};

static const char *const default_objtypes[] = {
	"TABLES", "SEQUENCES", "FUNCTIONS", "TYPES", "SCHEMAS"
};

static const char *const privilege_words[] = {
	"SELECT", "INSERT", "UPDATE", "DELETE", "TRUNCATE", "REFERENCES",
	"TRIGGER", "EXECUTE", "USAGE", "CREATE", "CONNECT", "TEMPORARY",
	"MAINTAIN", "SET", "ALTER SYSTEM"
};

/*
 * The text form of an ACL of (grantee, privilege, grantable) entries, one
 * line per grantee; owner is the OID whose entries become "(owner)".  Rows
 * of several grantors are merged.
 */
#define SS_ACL_TEXT(acl, owner) \
	"(SELECT pg_catalog.string_agg(z.g || '=' || z.p, ';' ORDER BY z.g COLLATE \"C\")" \
	" FROM (SELECT y.g, pg_catalog.string_agg(y.pt || CASE WHEN y.gr THEN '*' ELSE '' END," \
	"  ',' ORDER BY y.pt COLLATE \"C\") AS p" \
	"  FROM (SELECT CASE WHEN x.grantee = 0 THEN 'PUBLIC'" \
	"   WHEN x.grantee = " owner " THEN '" OWNER_TOKEN "'" \
	"   ELSE pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(x.grantee)) END AS g," \
	"   x.privilege_type AS pt, pg_catalog.bool_or(x.is_grantable) AS gr" \
	"   FROM pg_catalog.aclexplode(" acl ") x GROUP BY 1, 2) y" \
	"  GROUP BY y.g) z)"

/*
 * ss_read_privileges
 *		The privilege objects of a schema (the schema itself and every object
 *		of the model that has privileges), and its default privileges: two
 *		queries.  Must run after every other reader: objects are matched by
 *		their registered catalog addresses.
 */
void
ss_read_privileges(SsModel *m, Oid nsp)
{
	uint64		i;

	ss_spi_exec("SELECT u.classid, u.objid, u.subid, u.objtype, u.objname, u.colname,"
				" " SS_ACL_TEXT("u.acl", "u.owner") ","
				" pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(u.owner)), u.relid,"
				" u.idrel, u.idatt"
				" FROM ("
				" SELECT 'pg_catalog.pg_namespace'::pg_catalog.regclass::pg_catalog.oid AS classid,"
				"  n.oid AS objid, 0 AS subid, 'SCHEMA' AS objtype, NULL::pg_catalog.text AS objname,"
				"  NULL::pg_catalog.text AS colname, n.nspowner AS owner,"
				"  COALESCE(n.nspacl, pg_catalog.acldefault('n', n.nspowner)) AS acl, 0 AS ord,"
				"  0::pg_catalog.oid AS relid, 0::pg_catalog.oid AS idrel, 0::pg_catalog.int4 AS idatt"
				"  FROM pg_catalog.pg_namespace n WHERE n.oid = $1"
				" UNION ALL"
				" SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, c.oid, 0,"
				"  CASE c.relkind WHEN 'S' THEN 'SEQUENCE' WHEN 'v' THEN 'VIEW'"
				"   WHEN 'm' THEN 'MATERIALIZED VIEW' WHEN 'f' THEN 'FOREIGN TABLE' ELSE 'TABLE' END,"
				"  pg_catalog.quote_ident(c.relname), NULL, c.relowner,"
				"  COALESCE(c.relacl, pg_catalog.acldefault("
				"   CASE WHEN c.relkind = 'S' THEN 's' ELSE 'r' END::\"char\", c.relowner)), 1, 0::pg_catalog.oid,"
				"  COALESCE(id.refobjid, 0), COALESCE(id.refobjsubid, 0)"
				"  FROM pg_catalog.pg_class c"
				"  LEFT JOIN pg_catalog.pg_depend id ON c.relkind = 'S'"
				"   AND id.classid = 'pg_catalog.pg_class'::pg_catalog.regclass AND id.objid = c.oid"
				"   AND id.refclassid = 'pg_catalog.pg_class'::pg_catalog.regclass"
				"   AND id.refobjsubid > 0 AND id.deptype = 'i'"
				"  WHERE c.relnamespace = $1 AND c.relkind IN ('r', 'p', 'S', 'v', 'm', 'f')"
				" UNION ALL"
				" SELECT 'pg_catalog.pg_class'::pg_catalog.regclass::pg_catalog.oid, a.attrelid,"
				"  a.attnum::pg_catalog.int4, 'COLUMN', pg_catalog.quote_ident(c.relname),"
				"  pg_catalog.quote_ident(a.attname), c.relowner, a.attacl, 2, 0::pg_catalog.oid, 0, 0"
				"  FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_class c ON c.oid = a.attrelid"
				"  WHERE c.relnamespace = $1 AND a.attnum > 0 AND NOT a.attisdropped"
				"  AND a.attacl IS NOT NULL"
				" UNION ALL"
				" SELECT 'pg_catalog.pg_proc'::pg_catalog.regclass::pg_catalog.oid, p.oid, 0,"
				"  CASE p.prokind WHEN 'p' THEN 'PROCEDURE' WHEN 'a' THEN 'AGGREGATE' ELSE 'FUNCTION' END,"
				"  pg_catalog.quote_ident(p.proname) || '(' ||"
				"  pg_catalog.pg_get_function_identity_arguments(p.oid) || ')', NULL, p.proowner,"
				"  COALESCE(p.proacl, pg_catalog.acldefault('f', p.proowner)), 3, 0::pg_catalog.oid, 0, 0"
				"  FROM pg_catalog.pg_proc p WHERE p.pronamespace = $1"
				" UNION ALL"
				" SELECT 'pg_catalog.pg_type'::pg_catalog.regclass::pg_catalog.oid, t.oid, 0,"
				"  CASE t.typtype WHEN 'd' THEN 'DOMAIN' ELSE 'TYPE' END,"
				"  pg_catalog.quote_ident(t.typname), NULL, t.typowner,"
				"  COALESCE(t.typacl, pg_catalog.acldefault('T', t.typowner)), 4, t.typrelid, 0, 0"
				"  FROM pg_catalog.pg_type t LEFT JOIN pg_catalog.pg_class tc ON tc.oid = t.typrelid"
				"  WHERE t.typnamespace = $1 AND (t.typrelid = 0 OR tc.relkind = 'c')"
				/* a multirange stands for its range type: not a second object */
				"  AND t.typtype <> 'm'"
				"  AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_type el WHERE el.typarray = t.oid)"
				" ) u ORDER BY u.ord, u.objname COLLATE \"C\", u.subid", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		Oid			classid = ss_spi_oid(i, 1);
		SsObject   *target = NULL;
		SsObject   *obj;
		bool		identity = false;
		int			p;

		if (classid != NamespaceRelationId)
		{
			int32		subid = ss_spi_int(i, 3);

			target = ss_lookup_addr(classid, ss_spi_oid(i, 2), subid);
			/* a composite type may be registered as its relation instead */
			if (target == NULL && OidIsValid(ss_spi_oid(i, 9)))
				target = ss_lookup_addr(RelationRelationId, ss_spi_oid(i, 9), 0);
			/* an identity sequence: its privileges are its column's */
			if (target == NULL && OidIsValid(ss_spi_oid(i, 10)))
			{
				target = ss_lookup_addr(RelationRelationId, ss_spi_oid(i, 10),
										ss_spi_int(i, 11));
				identity = target && target->kind == SS_COLUMN;
				if (!identity)
					target = NULL;
			}
			/* not modeled (yet), or an extension's: left alone */
			if (target == NULL || (subid != 0 && target->kind != SS_COLUMN))
				continue;
		}
		obj = ss_object_add(m, SS_PRIVILEGE, m->schema, NULL,
							identity ? psprintf("%s%s.%s", IDENTITY_PREFIX,
												target->parent, target->name) :
							target ? target->key : "schema");
		for (p = PV_OBJTYPE; p < PV_NUM; p++)
			obj->props[p] = ss_spi_text(i, p + 4);
		if (identity)
			obj->props[PV_OBJTYPE] = pstrdup(IDENTITY_OBJTYPE);
		if (target)
			ss_object_add_dep(obj, target->key, SS_DEP_NORMAL);
	}

	ss_spi_exec("SELECT pg_catalog.quote_ident(pg_catalog.pg_get_userbyid(d.defaclrole)),"
				" CASE d.defaclobjtype WHEN 'r' THEN 'TABLES' WHEN 'S' THEN 'SEQUENCES'"
				"  WHEN 'f' THEN 'FUNCTIONS' WHEN 'T' THEN 'TYPES' ELSE 'SCHEMAS' END,"
				" " SS_ACL_TEXT("d.defaclacl", "NULL::pg_catalog.oid")
				" FROM pg_catalog.pg_default_acl d WHERE d.defaclnamespace = $1"
				" ORDER BY d.defaclrole, d.defaclobjtype", nsp);
	for (i = 0; i < SPI_processed; i++)
	{
		char	   *role = ss_spi_text(i, 1);
		char	   *objtype = ss_spi_text(i, 2);
		SsObject   *obj = ss_object_add(m, SS_DEFAULT_PRIVILEGE, m->schema, NULL,
										psprintf("%s %s", role, objtype));

		obj->props[DV_ROLE] = role;
		obj->props[DV_OBJTYPE] = objtype;
		obj->props[DV_ACL] = ss_spi_text(i, 3);
	}
}

/* ---------------------------------------------------------------------
 * ACL texts
 * ---------------------------------------------------------------------
 */

/*
 * bad_acl
 *		The error for an ACL text (or role) that does not parse.
 */
static void
bad_acl(const char *text, const char *what)
{
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid privilege list \"%s\": %s", text, what),
			 errhint("Write grantee=PRIVILEGE,PRIVILEGE*;grantee=... with quoted role names, PUBLIC or (owner); \"*\" marks WITH GRANT OPTION.")));
}

/*
 * parse_role
 *		A role name at *p, quoted ("...") or not, up to one of the stop
 *		characters; returns it quoted as an identifier (PUBLIC and (owner)
 *		as they are) and advances *p.
 */
static char *
parse_role(const char **p, const char *stops, const char *text)
{
	StringInfoData buf;
	const char *s = *p;

	initStringInfo(&buf);
	if (*s == '"')
	{
		s++;
		for (;;)
		{
			if (*s == '\0')
				bad_acl(text, "unterminated quoted role name");
			if (*s == '"' && s[1] == '"')
			{
				appendStringInfoChar(&buf, '"');
				s += 2;
				continue;
			}
			if (*s == '"')
			{
				s++;
				break;
			}
			appendStringInfoChar(&buf, *s++);
		}
		*p = s;
		if (buf.len == 0)
			bad_acl(text, "empty role name");
		return pstrdup(quote_identifier(buf.data));
	}
	while (*s && strchr(stops, *s) == NULL)
		appendStringInfoChar(&buf, *s++);
	*p = s;
	if (buf.len == 0)
		bad_acl(text, "empty role name");
	if (strcmp(buf.data, OWNER_TOKEN) == 0)
		return buf.data;
	if (pg_strcasecmp(buf.data, "public") == 0)
		return pstrdup("PUBLIC");
	if (strlen(buf.data) >= NAMEDATALEN)
		bad_acl(text, "role name too long");
	return pstrdup(quote_identifier(buf.data));
}

/*
 * check_privilege_word
 *		A privilege keyword in upper case, or an error.
 */
static char *
check_privilege_word(const char *word, const char *text)
{
	char	   *up = pstrdup(word);
	char	   *c;
	int			i;

	for (c = up; *c; c++)
		*c = pg_toupper((unsigned char) *c);
	for (i = 0; i < lengthof(privilege_words); i++)
		if (strcmp(up, privilege_words[i]) == 0)
			return up;
	bad_acl(text, psprintf("unknown privilege \"%s\"", word));
	return NULL;
}

/*
 * parse_acl
 *		The entries of an ACL text (NULL: none).
 */
static List *
parse_acl(const char *text)
{
	List	   *entries = NIL;
	const char *p = text;

	if (text == NULL)
		return NIL;
	while (*p)
	{
		char	   *grantee = parse_role(&p, "=", text);

		if (*p != '=')
			bad_acl(text, "expected \"=\" after a grantee");
		p++;
		for (;;)
		{
			const char *start = p;
			AclEntry   *e = palloc0(sizeof(AclEntry));
			int			len;

			while (*p && *p != ',' && *p != ';')
				p++;
			len = p - start;
			if (len > 0 && start[len - 1] == '*')
			{
				e->grantable = true;
				len--;
			}
			if (len == 0)
				bad_acl(text, "empty privilege");
			e->grantee = grantee;
			e->priv = check_privilege_word(pnstrdup(start, len), text);
			entries = lappend(entries, e);
			if (*p != ',')
				break;
			p++;
		}
		if (*p == ';')
			p++;
	}
	return entries;
}

/*
 * find_entry
 *		The entry of a grantee and privilege, or NULL.
 */
static AclEntry *
find_entry(List *entries, const char *grantee, const char *priv)
{
	ListCell   *lc;

	foreach(lc, entries)
	{
		AclEntry   *e = lfirst(lc);

		if (strcmp(e->grantee, grantee) == 0 && strcmp(e->priv, priv) == 0)
			return e;
	}
	return NULL;
}

/*
 * add_entries
 *		Entries for a grantee from a comma-separated list of privileges.
 */
static List *
add_entries(List *entries, const char *grantee, const char *privs)
{
	char	   *copy = pstrdup(privs);
	char	   *tok;
	char	   *save = NULL;

	for (tok = strtok_r(copy, ",", &save); tok; tok = strtok_r(NULL, ",", &save))
	{
		AclEntry   *e = palloc0(sizeof(AclEntry));

		e->grantee = pstrdup(grantee);
		e->priv = tok;
		entries = lappend(entries, e);
	}
	return entries;
}

/* ---------------------------------------------------------------------
 * Differ
 * ---------------------------------------------------------------------
 */

/*
 * objtype_info
 *		What an object type of a privilege object is, or an error.
 */
static const ObjTypeInfo *
objtype_info(const char *objtype)
{
	int			i;

	for (i = 0; objtype && i < lengthof(objtypes); i++)
		if (strcmp(objtypes[i].objtype, objtype) == 0)
			return &objtypes[i];
	ereport(ERROR,
			(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
			 errmsg("invalid privilege object type \"%s\"", objtype ? objtype : "(null)"),
			 errhint("Object types are TABLE, VIEW, MATERIALIZED VIEW, FOREIGN TABLE, SEQUENCE, IDENTITY SEQUENCE, FUNCTION, AGGREGATE, PROCEDURE, TYPE, DOMAIN, SCHEMA and COLUMN.")));
	return NULL;
}

/*
 * current_role_name
 *		The caller's role, quoted: the owner of what the migration creates.
 */
static char *
current_role_name(void)
{
	return pstrdup(quote_identifier(GetUserNameFromId(GetUserId(), false)));
}

/*
 * is_identity
 *		Whether a privilege object is about an identity column's sequence.
 */
static bool
is_identity(SsObject *obj)
{
	return obj->props[PV_OBJTYPE] != NULL &&
		strcmp(obj->props[PV_OBJTYPE], IDENTITY_OBJTYPE) == 0;
}

/*
 * subject_key
 *		The key of the object a privilege object is about: its name, or for
 *		an identity sequence ("identity:table.column") its column's.
 */
static char *
subject_key(SsObject *obj)
{
	size_t		len = strlen(IDENTITY_PREFIX);

	if (!is_identity(obj))
		return obj->name;
	if (strncmp(obj->name, IDENTITY_PREFIX, len) != 0 || obj->name[len] == '\0')
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("privilege object \"%s\" of an identity sequence is not named after its column",
						obj->name),
				 errhint("Name it identity:table.column (unquoted names).")));
	return ss_make_key(SS_COLUMN, NULL, obj->name + len);
}

/*
 * identity_sequence
 *		The quoted name, in the target, of the sequence of an identity
 *		column: the current one, unless the sequence is created by this diff
 *		(fresh); then the desired side's, which is the name PostgreSQL gives
 *		it, or, when the model leaves it out, what PostgreSQL would call it
 *		(table_column_seq).
 */
static char *
identity_sequence(SsDiff *d, SsObject *cur, SsObject *want, bool fresh)
{
	SsObject   *col;

	if (!fresh && cur && cur->props[PV_OBJNAME])
		return cur->props[PV_OBJNAME];
	if (want && want->props[PV_OBJNAME])
		return want->props[PV_OBJNAME];
	col = ss_object_lookup(d->want, subject_key(want ? want : cur));
	if (col == NULL)
		col = ss_object_lookup(d->cur, subject_key(want ? want : cur));
	if (col == NULL || col->parent == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("privilege object \"%s\" names no column", (want ? want : cur)->name)));
	return pstrdup(quote_identifier(makeObjectName(col->parent, col->name, "seq")));
}

/*
 * object_name
 *		The qualified name of a privilege object's object in the target (the
 *		table of a column).
 */
static char *
object_name(SsDiff *d, SsObject *obj)
{
	if (strcmp(obj->props[PV_OBJTYPE], "SCHEMA") == 0)
		return pstrdup(quote_identifier(d->target));
	if (obj->props[PV_OBJNAME] == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("privilege object \"%s\" has no object_name", obj->name)));
	return psprintf("%s.%s", quote_identifier(d->target), obj->props[PV_OBJNAME]);
}

/*
 * privilege_identity
 *		The identity of a privilege object's rows: its object's.
 */
static char *
privilege_identity(SsDiff *d, SsObject *obj)
{
	if (strcmp(obj->props[PV_OBJTYPE], "COLUMN") == 0)
	{
		if (obj->props[PV_COLUMN] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("column privilege object \"%s\" has no column", obj->name)));
		return psprintf("%s.%s", object_name(d, obj), obj->props[PV_COLUMN]);
	}
	return object_name(d, obj);
}

/*
 * target_recreated
 *		Whether the object a privilege object is about is created, or
 *		re-created, by this diff: it then starts from its defaults.
 */
static bool
target_recreated(SsDiff *d, SsObject *cur, SsObject *want)
{
	SsObject   *obj = want ? want : cur;
	char	   *key = subject_key(obj);
	SsObject   *curobj;

	if (strcmp(obj->name, "schema") == 0)
		return cur == NULL;
	curobj = ss_object_lookup(d->cur, key);
	/* an identity sequence is created with its column, or with its identity */
	if (is_identity(obj) && curobj && curobj->props[CP_IDENTITY] == NULL)
		return true;
	return ss_object_created(d, key) || curobj == NULL;
}

/*
 * default_entries
 *		The entries an object of this type gets from the default privileges
 *		of its creator (the caller) in either model: what a new object may
 *		hold besides its owner's defaults.
 */
static List *
default_entries(SsDiff *d, const ObjTypeInfo *info)
{
	List	   *entries = NIL;
	char	   *me = current_role_name();
	SsModel    *models[2] = {d->cur, d->want};
	int			i;

	if (info->default_word == NULL)
		return NIL;
	for (i = 0; i < 2; i++)
	{
		SsObject   *dp = ss_object_lookup(models[i],
										  ss_make_key(SS_DEFAULT_PRIVILEGE, NULL,
													  psprintf("%s %s", me, info->default_word)));

		if (dp)
			entries = list_concat(entries, parse_acl(dp->props[DV_ACL]));
	}
	return entries;
}

/*
 * table_revoked
 *		The entries of a column that a REVOKE on its table removes: a
 *		table-level REVOKE takes the same privilege off every column.
 */
static List *
table_revoked(SsDiff *d, SsObject *obj, char **tablekey)
{
	SsObject   *col = ss_object_lookup(d->want, obj->name);
	SsObject   *tcur;
	SsObject   *twant;
	List	   *curacl;
	List	   *wantacl;
	List	   *gone = NIL;
	ListCell   *lc;

	if (col == NULL)
		col = ss_object_lookup(d->cur, obj->name);
	if (col == NULL || col->parent == NULL)
		return NIL;
	*tablekey = ss_make_key(SS_PRIVILEGE, NULL, ss_make_key(SS_TABLE, NULL, col->parent));
	tcur = ss_object_lookup(d->cur, *tablekey);
	twant = ss_object_lookup(d->want, *tablekey);
	if (tcur == NULL || twant == NULL)
		return NIL;
	curacl = parse_acl(tcur->props[PV_ACL]);
	wantacl = parse_acl(twant->props[PV_ACL]);
	foreach(lc, curacl)
	{
		AclEntry   *e = lfirst(lc);

		if (find_entry(wantacl, e->grantee, e->priv) == NULL)
			gone = lappend(gone, e);
	}
	return gone;
}

/*
 * privilege_list
 *		"SELECT, UPDATE" or, for a column, "SELECT (c), UPDATE (c)".
 */
static char *
privilege_list(List *privs, const char *column)
{
	StringInfoData buf;
	ListCell   *lc;

	initStringInfo(&buf);
	foreach(lc, privs)
	{
		appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", (char *) lfirst(lc));
		if (column)
			appendStringInfo(&buf, " (%s)", column);
	}
	return buf.data;
}

/*
 * add_step
 *		One statement of a privilege object, after the previous one.
 */
static SsChange *
add_step(SsDiff *d, const char *kindname, SsObject *cur, SsObject *want,
		 SsAction action, char *ddl, char *identity, char *reason,
		 SsChange **prev)
{
	SsChange   *c = ss_add_change(d, kindname, cur, want, action, ddl);

	c->identity = identity;
	c->reason = reason;
	/* revoking what goes away needs nothing created first */
	c->nodeps = (want == NULL);
	if (*prev)
		c->after = lappend(c->after, *prev);
	*prev = c;
	return c;
}

/*
 * emit_acl_diff
 *		The REVOKE and GRANT statements, grouped per grantee, that turn the
 *		entries cur into want.  maybe holds entries the object may hold
 *		besides cur (a new object's default privileges): revoked when want
 *		lacks them.  Each statement is "[prefix ]GRANT/REVOKE privileges ON
 *		on TO/FROM grantee".
 */
static void
emit_acl_diff(SsDiff *d, const char *kindname, SsObject *cur, SsObject *want,
			  List *curacl, List *maybe, List *wantacl, const char *column,
			  const char *ownername, const char *prefix, const char *on,
			  char *identity, SsChange **prev, List *needs)
{
	List	   *grantees = NIL;
	ListCell   *lc;
	ListCell   *gc;

	foreach(lc, list_concat(list_concat(list_copy(curacl), maybe), wantacl))
	{
		AclEntry   *e = lfirst(lc);
		ListCell   *xc;
		bool		seen = false;

		foreach(xc, grantees)
			if (strcmp(lfirst(xc), e->grantee) == 0)
				seen = true;
		if (!seen)
			grantees = lappend(grantees, e->grantee);
	}
	list_sort(grantees, ss_cstring_cmp);
	foreach(gc, grantees)
	{
		const char *g = lfirst(gc);
		bool		isowner = strcmp(g, OWNER_TOKEN) == 0;
		const char *role = isowner ? ownername : g;
		List	   *revoke_go = NIL;
		List	   *revoke = NIL;
		List	   *grant = NIL;
		List	   *grant_go = NIL;
		List	   *lists[4];
		const char *verbs[4] = {"REVOKE GRANT OPTION FOR", "REVOKE", "GRANT", "GRANT"};
		int			i;

		if (role == NULL)
			bad_acl(OWNER_TOKEN, "default privileges name their grantees");

		foreach(lc, curacl)
		{
			AclEntry   *e = lfirst(lc);
			AclEntry   *w;

			if (strcmp(e->grantee, g) != 0 || isowner)
				continue;
			w = find_entry(wantacl, g, e->priv);
			if (w == NULL)
				revoke = list_append_unique(revoke, makeString(e->priv));
			else if (e->grantable && !w->grantable)
				revoke_go = list_append_unique(revoke_go, makeString(e->priv));
		}
		foreach(lc, maybe)
		{
			AclEntry   *e = lfirst(lc);

			if (strcmp(e->grantee, g) != 0 || isowner)
				continue;
			if (find_entry(wantacl, g, e->priv) == NULL)
				revoke = list_append_unique(revoke, makeString(e->priv));
		}
		foreach(lc, wantacl)
		{
			AclEntry   *w = lfirst(lc);
			AclEntry   *e;

			if (strcmp(w->grantee, g) != 0)
				continue;
			e = find_entry(curacl, g, w->priv);
			if (w->grantable && (e == NULL || !e->grantable))
				grant_go = list_append_unique(grant_go, makeString(w->priv));
			else if (e == NULL)
				grant = list_append_unique(grant, makeString(w->priv));
		}
		lists[0] = revoke_go;
		lists[1] = revoke;
		lists[2] = grant;
		lists[3] = grant_go;
		for (i = 0; i < 4; i++)
		{
			List	   *privs = NIL;
			SsChange   *c;

			if (lists[i] == NIL)
				continue;
			foreach(lc, lists[i])
				privs = lappend(privs, strVal(lfirst(lc)));
			list_sort(privs, ss_cstring_cmp);
			c = add_step(d, kindname, cur, want,
						 i < 2 ? SS_ACT_ALTER : SS_ACT_CREATE,
						 psprintf("%s%s %s ON %s %s %s%s;", prefix, verbs[i],
								  privilege_list(privs, column), on,
								  i < 2 ? "FROM" : "TO", role,
								  i == 3 ? " WITH GRANT OPTION" : ""),
						 identity,
						 psprintf("%s%s %s %s", i == 0 ? "grant option for " : "",
								  privilege_list(privs, NULL),
								  i < 2 ? "revoked from" : (i == 3 ? "granted with grant option to" : "granted to"),
								  isowner ? "the owner" : g),
						 prev);
			c->needs = list_copy(needs);
		}
	}
}

/*
 * privilege_emit
 *		The owner change and the GRANT/REVOKE statements of one object.
 *		fresh: the object is created (or re-created) by this diff, so it
 *		starts with its owner's defaults and its creator's default
 *		privileges, not with cur.
 */
static void
privilege_emit(SsDiff *d, SsObject *cur, SsObject *want, bool fresh)
{
	SsObject   *obj = want ? want : cur;
	const ObjTypeInfo *info = objtype_info(obj->props[PV_OBJTYPE]);
	bool		iscolumn = strcmp(info->objtype, "COLUMN") == 0;
	char	   *name;
	char	   *identity;
	char	   *ownername;
	SsChange   *prev = NULL;
	List	   *curacl;
	List	   *maybe = NIL;
	List	   *wantacl;
	List	   *needs = NIL;

	if (is_identity(obj))
		name = psprintf("%s.%s", quote_identifier(d->target),
						identity_sequence(d, cur, want, fresh));
	else
		name = object_name(d, obj);
	identity = iscolumn ? privilege_identity(d, obj) : name;
	ownername = fresh ? current_role_name() :
		(cur && cur->props[PV_OWNER] ? cur->props[PV_OWNER] : current_role_name());

	/* an identity sequence follows its table's owner */
	if (d->opts->owners && want && !iscolumn && !is_identity(want) &&
		want->props[PV_OWNER] && strcmp(ownername, want->props[PV_OWNER]) != 0)
	{
		SsObject   *t = ss_object_lookup(d->want, want->name);
		SsChange   *c;

		/* a sequence owned by a column follows its table's owner */
		if (!(t && t->kind == SS_SEQUENCE && t->props[SP_OWNED_BY]))
		{
			c = add_step(d, "owner", cur, want, SS_ACT_ALTER,
						 psprintf("ALTER %s %s OWNER TO %s;", info->objtype,
								  name, want->props[PV_OWNER]),
						 identity, psprintf("owner differs (%s)", want->props[PV_OWNER]),
						 &prev);
			if (strcmp(info->grant_word, "TABLE") == 0 ||
				strcmp(info->objtype, "SEQUENCE") == 0)
			{
				c->lock = SS_LOCK_ACCESS_EXCLUSIVE;
				c->hazards = SS_HZ_ACCESS_EXCLUSIVE;
			}
			ownername = want->props[PV_OWNER];
		}
	}
	if (!d->opts->privileges)
		return;

	if (fresh)
	{
		curacl = NIL;
		if (!iscolumn)
		{
			curacl = add_entries(NIL, OWNER_TOKEN, info->owner_privs);
			if (info->public)
				curacl = add_entries(curacl, "PUBLIC", info->owner_privs);
		}
		maybe = default_entries(d, info);
	}
	else
		curacl = cur ? parse_acl(cur->props[PV_ACL]) : NIL;
	wantacl = want ? parse_acl(want->props[PV_ACL]) : NIL;

	if (iscolumn)
	{
		char	   *tablekey = NULL;
		List	   *gone = table_revoked(d, obj, &tablekey);
		List	   *kept = NIL;
		ListCell   *lc;

		/* what the table's REVOKE takes off the column first */
		foreach(lc, curacl)
		{
			AclEntry   *e = lfirst(lc);

			if (find_entry(gone, e->grantee, e->priv) == NULL)
				kept = lappend(kept, e);
		}
		curacl = kept;
		if (tablekey)
			needs = list_make1(tablekey);
	}

	emit_acl_diff(d, NULL, cur, want, curacl, maybe, wantacl,
				  iscolumn ? obj->props[PV_COLUMN] : NULL, ownername, "",
				  psprintf("%s %s", info->grant_word, name),
				  identity, &prev, needs);
}

/*
 * privilege_diff
 *		The owner and the privileges of an object, when asked for.
 */
static void
privilege_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	if (!d->opts->privileges && !d->opts->owners)
		return;
	if (want == NULL)
	{
		char	   *key = subject_key(cur);
		SsObject   *wobj = ss_object_lookup(d->want, key);

		/* the object goes away (or is re-created): its privileges with it */
		if (strcmp(cur->name, "schema") != 0 &&
			(wobj == NULL || ss_object_created(d, key)))
			return;
		/* so does an identity sequence with its identity */
		if (is_identity(cur) && wobj->props[CP_IDENTITY] == NULL)
			return;
		privilege_emit(d, cur, NULL, false);
		return;
	}
	if (is_identity(want))
	{
		SsObject   *col = ss_object_lookup(d->want, subject_key(want));

		if (col == NULL || col->kind != SS_COLUMN || col->props[CP_IDENTITY] == NULL)
			ereport(ERROR,
					(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
					 errmsg("privilege object \"%s\" is about the sequence of an identity column, but the model has no such identity column",
							want->name),
					 errhint("Name it identity:table.column after an identity column of the model, or leave it out.")));
	}
	privilege_emit(d, cur, want, target_recreated(d, cur, want));
}

/*
 * privilege_replace
 *		The privileges of an object re-created because of a dependency.
 */
static void
privilege_replace(SsDiff *d, SsObject *cur, SsObject *want, const char *reason)
{
	if (!d->opts->privileges && !d->opts->owners)
		return;
	privilege_emit(d, cur, want, true);
}

const SsKindOps ss_privilege_ops = {
	.name = "privilege",
	.nprops = PV_NUM,
	.propnames = privilege_propnames,
	.proptypes = "ttttt",
	.diff = privilege_diff,
	.replace = privilege_replace,
	.breaks_dependents = NULL,
};

/*
 * default_privilege_diff
 *		The default privileges of a role for one object type in the schema.
 */
static void
default_privilege_diff(SsDiff *d, SsObject *cur, SsObject *want)
{
	SsObject   *obj = want ? want : cur;
	const char *rolep = obj->props[DV_ROLE];
	char	   *role;
	SsChange   *prev = NULL;
	int			i;

	if (!d->opts->privileges)
		return;
	if (rolep == NULL)
		bad_acl("", "a default privilege needs a role");
	role = parse_role(&rolep, "", obj->props[DV_ROLE]);
	if (strcmp(role, "PUBLIC") == 0 || strcmp(role, OWNER_TOKEN) == 0)
		bad_acl(obj->props[DV_ROLE], "default privileges belong to a role");
	for (i = 0; i < lengthof(default_objtypes); i++)
		if (obj->props[DV_OBJTYPE] && strcmp(obj->props[DV_OBJTYPE], default_objtypes[i]) == 0)
			break;
	if (i == lengthof(default_objtypes))
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_PARAMETER_VALUE),
				 errmsg("invalid default privilege object type \"%s\"",
						obj->props[DV_OBJTYPE] ? obj->props[DV_OBJTYPE] : "(null)"),
				 errhint("Object types are TABLES, SEQUENCES, FUNCTIONS, TYPES and SCHEMAS.")));
	emit_acl_diff(d, NULL, cur, want,
				  cur ? parse_acl(cur->props[DV_ACL]) : NIL, NIL,
				  want ? parse_acl(want->props[DV_ACL]) : NIL, NULL, NULL,
				  psprintf("ALTER DEFAULT PRIVILEGES FOR ROLE %s IN SCHEMA %s ",
						   role, quote_identifier(d->target)),
				  default_objtypes[i],
				  psprintf("%s FOR ROLE %s ON %s", quote_identifier(d->target), role,
						   default_objtypes[i]),
				  &prev, NIL);
}

/*
 * default_privilege_replace
 *		Default privileges are never re-created by a dependency.
 */
static void
default_privilege_replace(SsDiff *d, SsObject *cur, SsObject *want,
						  const char *reason)
{
	default_privilege_diff(d, cur, want);
}

const SsKindOps ss_default_privilege_ops = {
	.name = "default_privilege",
	.nprops = DV_NUM,
	.propnames = default_privilege_propnames,
	.proptypes = "ttt",
	.diff = default_privilege_diff,
	.replace = default_privilege_replace,
	.breaks_dependents = NULL,
};
