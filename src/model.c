/*-------------------------------------------------------------------------
 *
 * model.c
 *	  The in-memory model: objects keyed by kind and schema-neutral name.
 *
 * A key has the form "kind:parent.name" (or "kind:name" for objects that
 * have no parent), with names kept verbatim: the schema is left out so that
 * the objects of two schemas of different names match.  Lookups go through
 * a simplehash table, so building and matching models is linear.
 *
 * src/model.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "common/hashfn.h"
#include "utils/builtins.h"

#include "schemasync.h"

typedef struct SsObjEntry
{
	const char *key;
	SsObject   *obj;
	uint32		hash;			/* of the key: growing the table and most
								 * mismatches do not rehash or compare it */
	char		status;
} SsObjEntry;

#define SH_PREFIX ss_objhash
#define SH_ELEMENT_TYPE SsObjEntry
#define SH_KEY_TYPE const char *
#define SH_KEY key
#define SH_HASH_KEY(tb, k) string_hash(k, 0)
#define SH_EQUAL(tb, a, b) (strcmp(a, b) == 0)
#define SH_STORE_HASH
#define SH_GET_HASH(tb, a) a->hash
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

static const char *const ss_kind_keyprefix[SS_NUM_KINDS] = {
	"sequence", "table", "column", "constraint", "index", "type",
	"domain_constraint", "function", "trigger", "view", "materialized_view",
	"privilege", "default_privilege", "policy", "collation", "extension"
};

/* The number of property slots of an object of each kind. */
static const uint8 ss_kind_nslots[SS_NUM_KINDS] = {
	[SS_SEQUENCE] = SP_NUM,
	[SS_TABLE] = TP_NUM,
	[SS_COLUMN] = CP_NUM,
	[SS_CONSTRAINT] = KP_NUM,
	[SS_INDEX] = IP_NUM,
	[SS_TYPE] = TY_NUM,
	[SS_DOMCONSTRAINT] = DP_NUM,
	[SS_FUNCTION] = FP_NUM,
	[SS_TRIGGER] = GP_NUM,
	[SS_VIEW] = VP_NUM,
	[SS_MATVIEW] = VP_NUM,
	[SS_PRIVILEGE] = PV_NUM,
	[SS_DEFAULT_PRIVILEGE] = DV_NUM,
	[SS_POLICY] = PP_NUM,
	[SS_COLLATION] = LP_NUM,
	[SS_EXTENSION] = EP_NUM,
};

StaticAssertDecl(TP_NUM <= SS_MAX_PROPS && CP_NUM <= SS_MAX_PROPS &&
				 KP_NUM <= SS_MAX_PROPS && IP_NUM <= SS_MAX_PROPS &&
				 SP_NUM <= SS_MAX_PROPS && TY_NUM <= SS_MAX_PROPS &&
				 DP_NUM <= SS_MAX_PROPS && FP_NUM <= SS_MAX_PROPS &&
				 GP_NUM <= SS_MAX_PROPS && VP_NUM <= SS_MAX_PROPS &&
				 PV_NUM <= SS_MAX_PROPS && DV_NUM <= SS_MAX_PROPS &&
				 PP_NUM <= SS_MAX_PROPS && LP_NUM <= SS_MAX_PROPS &&
				 EP_NUM <= SS_MAX_PROPS,
				 "a kind has more properties than SS_MAX_PROPS");

/*
 * ss_model_create
 *		An empty model of the objects read from (or meant for) a schema.
 */
SsModel *
ss_model_create(const char *schema)
{
	SsModel    *m = palloc0(sizeof(SsModel));

	m->schema = schema ? pstrdup(schema) : NULL;
	m->hash = (struct ss_objhash_hash *) ss_objhash_create(CurrentMemoryContext, 256, NULL);
	return m;
}

/*
 * ss_make_key
 *		The schema-neutral key of an object.
 */
char *
ss_make_key(SsKind kind, const char *parent, const char *name)
{
	const char *prefix = ss_kind_keyprefix[kind];
	size_t		plen = strlen(prefix);
	size_t		parlen = parent ? strlen(parent) + 1 : 0;
	size_t		nlen = strlen(name);
	char	   *key = palloc(plen + 1 + parlen + nlen + 1);
	char	   *p = key;

	/* built by hand: a key is made for every object read, and looked up */
	memcpy(p, prefix, plen);
	p += plen;
	*p++ = ':';
	if (parent)
	{
		memcpy(p, parent, parlen - 1);
		p += parlen - 1;
		*p++ = '.';
	}
	memcpy(p, name, nlen + 1);
	return key;
}

/*
 * model_slots
 *		n zeroed property slots, carved from the model's current block of
 *		SS_SLOT_BLOCK.
 */
static char **
model_slots(SsModel *m, int n)
{
	char	  **slots;

	if (m->nslots < n)
	{
		m->slots = palloc0(SS_SLOT_BLOCK * sizeof(char *));
		m->nslots = SS_SLOT_BLOCK;
	}
	slots = m->slots;
	m->slots += n;
	m->nslots -= n;
	return slots;
}

/*
 * model_text
 *		len bytes for names, carved from the model's current block of
 *		SS_TEXT_BLOCK (a long text gets its own allocation).  The texts of
 *		an object are never freed one by one, only with the model's context:
 *		carving saves each of them a chunk header and the rounding up to a
 *		power of two of a small palloc.
 */
static char *
model_text(SsModel *m, Size len)
{
	char	   *text;

	/* the model's own context, whichever is current */
	if (len > SS_TEXT_BLOCK / 8)
		return MemoryContextAlloc(GetMemoryChunkContext(m), len);
	if (m->ntext < len)
	{
		m->text = MemoryContextAlloc(GetMemoryChunkContext(m), SS_TEXT_BLOCK);
		m->ntext = SS_TEXT_BLOCK;
	}
	text = m->text;
	m->text += len;
	m->ntext -= len;
	return text;
}

/*
 * model_reserve
 *		Grow the key table of a model to hold about n objects at once.
 */
static void
model_reserve(SsModel *m, int n)
{
	ss_objhash_hash *h = (ss_objhash_hash *) m->hash;

	/*
	 * Well under simplehash's fill factor (0.9): past about 0.75, a run of
	 * displaced keys longer than it allows makes it grow anyway.
	 */
	uint64		want = (uint64) (n / 0.7) + 1;

	if (n > 0 && want > h->size)
		ss_objhash_grow(h, want);
}

/*
 * ss_model_expect
 *		Size the key table of a model about to be filled for about n objects
 *		at once, instead of doubling it from 256 (at 10,000 tables, eleven
 *		times, each a new table and a copy of the last).
 */
void
ss_model_expect(SsModel *m, int n)
{
	/* the kinds that wait are most of the objects: sized when they enter */
	if (!m->defer)
		model_reserve(m, n);
}

/*
 * deferred_kind
 *		Whether objects of a kind wait to enter the key table of a model
 *		read from the catalog (SsModel.defer): the many sub-objects of
 *		tables, which no reader looks up by key while reading.
 */
static inline bool
deferred_kind(SsKind kind)
{
	return kind == SS_COLUMN || kind == SS_CONSTRAINT || kind == SS_INDEX;
}

/*
 * deferred_key
 *		Whether a key is of a kind that waits (deferred_kind): its prefix,
 *		as ss_object_add writes it, up to the ':'.
 */
static bool
deferred_key(const char *key)
{
	int			k;

	for (k = 0; k < SS_NUM_KINDS; k++)
	{
		size_t		len = strlen(ss_kind_keyprefix[k]);

		if (deferred_kind((SsKind) k) &&
			strncmp(key, ss_kind_keyprefix[k], len) == 0 && key[len] == ':')
			return true;
	}
	return false;
}

/*
 * model_insert
 *		Enter an object into its model's key table; a duplicate key is an
 *		internal error.
 */
static void
model_insert(SsModel *m, SsObject *obj)
{
	bool		found;
	SsObjEntry *entry = ss_objhash_insert((ss_objhash_hash *) m->hash, obj->key, &found);

	if (found)
		ereport(ERROR,
				(errcode(ERRCODE_DUPLICATE_OBJECT),
				 errmsg("duplicate %s \"%s\" in schema \"%s\"",
						ss_kind_ops[obj->kind]->name, obj->name, obj->schema)));
	entry->obj = obj;
}

/*
 * model_catch_up
 *		Enter the objects that wait (deferred_kind) into the key table of a
 *		model read from the catalog, the table sized for all its objects
 *		first.  A diff whose two sides are read alike matches their objects
 *		in step (ss_diff_models) and never looks one up: at 10,000 tables,
 *		entering the 500,000 columns, constraints and indexes of the two
 *		sides at once cost 8% of a no-op diff, most of it a cache miss each.
 */
static void
model_catch_up(SsModel *m)
{
	int			n = list_length(m->objects);
	int			i;

	model_reserve(m, n);
	for (i = m->hashed; i < n; i++)
	{
		SsObject   *obj = list_nth(m->objects, i);

		if (deferred_kind(obj->kind))
			model_insert(m, obj);
	}
	m->hashed = n;
}

/*
 * ss_model_strdup
 *		A copy of a text that an object of the model keeps as long as the
 *		model lives (a raw key, a table's column signature), carved like its
 *		names (model_text); NULL for NULL.
 */
char *
ss_model_strdup(SsModel *m, const char *text)
{
	Size		len;
	char	   *copy;

	if (text == NULL)
		return NULL;
	len = strlen(text) + 1;
	copy = model_text(m, len);
	memcpy(copy, text, len);
	return copy;
}

/*
 * ss_object_nslots
 *		The number of property slots of an object of a kind.
 */
int
ss_object_nslots(SsKind kind)
{
	Assert(kind >= 0 && kind < SS_NUM_KINDS);
	return ss_kind_nslots[kind];
}

/*
 * ss_object_copy
 *		A shallow copy of obj, outside any model's object list and hash,
 *		with property slots of its own: a copy of propsfrom's (obj's when
 *		NULL), which must be of the same kind.
 */
SsObject *
ss_object_copy(const SsObject *obj, const SsObject *propsfrom)
{
	SsObject   *copy = palloc(sizeof(SsObject));
	int			n = ss_kind_nslots[obj->kind];

	if (propsfrom == NULL)
		propsfrom = obj;
	Assert(propsfrom->kind == obj->kind);
	/* a copy carries the lists its original has once they are read */
	if (obj->model != NULL && !obj->model->linked)
		ss_model_load_deps(obj->model);
	memcpy(copy, obj, sizeof(SsObject));
	copy->props = palloc(n * sizeof(char *));
	memcpy(copy->props, propsfrom->props, n * sizeof(char *));
	return copy;
}

/*
 * ss_object_add
 *		Add a new object to a model; a duplicate key is an internal error
 *		(raised here, or for a kind that waits, model_catch_up, when it
 *		enters the key table).
 */
SsObject *
ss_object_add(SsModel *m, SsKind kind, const char *schema,
			  const char *parent, const char *name)
{
	SsObject   *obj;
	const char *prefix = ss_kind_keyprefix[kind];
	size_t		prelen = strlen(prefix);
	size_t		nlen = strlen(name) + 1;
	size_t		plen = parent ? strlen(parent) + 1 : 0;
	/* indexes live in the schema's relation namespace, not their table's */
	size_t		kplen = (kind == SS_INDEX) ? 0 : plen;
	char	   *names;
	char	   *key;

	/*
	 * A model has tens of thousands of objects: they are carved from blocks
	 * of SS_OBJECT_BLOCK (one allocation, no rounding up to a power of two),
	 * and an object's name, parent name and key are carved from a block of
	 * texts.  Objects are never freed one by one, only with the model's
	 * context.
	 */
	if (m->nfree == 0)
	{
		m->free = palloc0(SS_OBJECT_BLOCK * sizeof(SsObject));
		m->nfree = SS_OBJECT_BLOCK;
	}
	obj = m->free++;
	m->nfree--;
	/* the name is the end of the key */
	names = model_text(m, plen + prelen + 1 + kplen + nlen);
	if (parent)
		memcpy(names, parent, plen);

	/* the key, as ss_make_key builds it */
	key = names + plen;
	memcpy(key, prefix, prelen);
	key[prelen] = ':';
	if (kplen)
	{
		memcpy(key + prelen + 1, parent, kplen - 1);
		key[prelen + kplen] = '.';
	}
	memcpy(key + prelen + 1 + kplen, name, nlen);

	obj->kind = kind;
	/* most objects are of the model's own schema: share its name */
	obj->schema = (m->schema && strcmp(schema, m->schema) == 0) ? m->schema : pstrdup(schema);
	obj->name = key + prelen + 1 + kplen;
	obj->parent = parent ? names : NULL;
	obj->key = key;
	obj->props = model_slots(m, ss_kind_nslots[kind]);
	obj->model = m;

	if (!m->defer || !deferred_kind(kind))
		model_insert(m, obj);
	m->objects = lappend(m->objects, obj);
	return obj;
}

/*
 * ss_model_subset
 *		A new model of the objects of m that keep says to keep, in m's order,
 *		with their properties and their dependencies among themselves
 *		(parents and children, deps and dependents), for materializing a part
 *		of a model.  m must be linked (a model read from a document is).
 */
SsModel *
ss_model_subset(SsModel *m, bool (*keep) (SsObject *obj, void *arg), void *arg)
{
	SsModel    *sub = ss_model_create(m->schema);
	ListCell   *lc;

	Assert(m->linked);
	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		SsObject   *copy;
		SsObject	made;
		ListCell   *dc;

		if (!keep(obj, arg))
			continue;
		copy = ss_object_add(sub, obj->kind, obj->schema, obj->parent, obj->name);
		/* everything but what ss_object_add made and the links */
		made = *copy;
		memcpy(copy, obj, sizeof(SsObject));
		copy->key = made.key;
		copy->schema = made.schema;
		copy->name = made.name;
		copy->parent = made.parent;
		copy->props = made.props;
		copy->model = sub;
		copy->deps = NIL;
		copy->dependents = NIL;
		copy->children = NIL;
		copy->parentobj = NULL;
		memcpy(copy->props, obj->props, ss_kind_nslots[obj->kind] * sizeof(char *));
		foreach(dc, obj->deps)
			ss_object_add_dep(copy, ((SsDep *) lfirst(dc))->key,
							  ((SsDep *) lfirst(dc))->flags);
	}
	ss_model_link(sub);
	return sub;
}

/*
 * ss_object_lookup
 *		The object of a model with the given key, or NULL.
 */
SsObject *
ss_object_lookup(SsModel *m, const char *key)
{
	SsObjEntry *entry;

	/* a key of a kind that waits: let the objects that wait in first */
	if (m->defer && m->hashed < list_length(m->objects) && deferred_key(key))
		model_catch_up(m);
	entry = ss_objhash_lookup((ss_objhash_hash *) m->hash, key);
	return entry ? entry->obj : NULL;
}

/*
 * ss_object_add_dep
 *		Record that obj depends on the object with the given key, once.
 */
void
ss_object_add_dep(SsObject *obj, const char *key, int flags)
{
	ListCell   *lc;
	SsDep	   *dep;

	if (strcmp(obj->key, key) == 0)
		return;
	foreach(lc, obj->deps)
	{
		dep = lfirst(lc);
		if (strcmp(dep->key, key) == 0)
		{
			dep->flags &= flags;
			return;
		}
	}
	dep = palloc(sizeof(SsDep));
	dep->key = pstrdup(key);
	dep->flags = flags;
	obj->deps = lappend(obj->deps, dep);
}

/*
 * ss_object_add_dep_on
 *		Record that obj depends on the object target of the same model,
 *		once.  The dependency shares target's key, which lives as long as
 *		the model: a model of 10,000 tables records hundreds of thousands
 *		of dependencies, and a copy of each key would cost megabytes.
 */
void
ss_object_add_dep_on(SsObject *obj, SsObject *target, int flags)
{
	ListCell   *lc;
	SsDep	   *dep;

	if (target == obj)
		return;
	foreach(lc, obj->deps)
	{
		dep = lfirst(lc);
		if (dep->key == target->key || strcmp(dep->key, target->key) == 0)
		{
			dep->flags &= flags;
			return;
		}
	}
	dep = palloc(sizeof(SsDep));
	dep->key = target->key;
	dep->flags = flags;
	obj->deps = lappend(obj->deps, dep);
}

/*
 * ss_model_link_parents
 *		Fill the parent and children links once every object of the model
 *		is read.
 */
void
ss_model_link_parents(SsModel *m)
{
	ListCell   *lc;
	StringInfoData pkey;
	SsObject   *last = NULL;

	initStringInfo(&pkey);
	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		/* a domain constraint's parent is its domain */
		SsKind		pkind = obj->kind == SS_DOMCONSTRAINT ? SS_TYPE : SS_TABLE;

		if (obj->parent == NULL)
			continue;

		/*
		 * Sub-objects are read table by table: most have the parent of the
		 * object before them.  Else the parent's key is built in a buffer
		 * (not kept) and looked up.
		 */
		if (last != NULL && last->parentobj != NULL &&
			last->parentobj->kind == pkind &&
			strcmp(last->parent, obj->parent) == 0)
			obj->parentobj = last->parentobj;
		else
		{
			resetStringInfo(&pkey);
			appendStringInfo(&pkey, "%s:%s", ss_kind_keyprefix[pkind], obj->parent);
			obj->parentobj = ss_object_lookup(m, pkey.data);
		}
		/* an index may be on a materialized view */
		if (obj->parentobj == NULL && obj->kind == SS_INDEX)
		{
			resetStringInfo(&pkey);
			appendStringInfo(&pkey, "%s:%s", ss_kind_keyprefix[SS_MATVIEW], obj->parent);
			obj->parentobj = ss_object_lookup(m, pkey.data);
		}
		if (obj->parentobj)
			obj->parentobj->children = lappend(obj->parentobj->children, obj);
		last = obj;
	}
	pfree(pkey.data);
}

/*
 * ss_model_link_deps
 *		Once the dependencies of the model's objects are read: add each
 *		sub-object's dependency on its parent, and fill the dependents
 *		links.  Dependencies on objects outside the model are dropped: they
 *		exist on both sides and do not take part in ordering.
 */
void
ss_model_link_deps(SsModel *m)
{
	ListCell   *lc;

	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		ListCell   *dc;

		if (obj->parentobj)
			ss_object_add_dep_on(obj, obj->parentobj, SS_DEP_NORMAL);
		foreach(dc, obj->deps)
		{
			SsDep	   *dep = lfirst(dc);
			SsObject   *target;

			if (obj->parentobj != NULL && dep->key == obj->parentobj->key)
				target = obj->parentobj;
			else
				target = ss_object_lookup(m, dep->key);
			if (target == NULL)
			{
				obj->deps = foreach_delete_current(obj->deps, dc);
				continue;
			}
			target->dependents = lappend(target->dependents, obj);
		}
	}
	m->linked = true;
}

/*
 * ss_model_link
 *		Fill the parent, children and dependents links of a model whose
 *		objects and dependencies are all read.
 */
void
ss_model_link(SsModel *m)
{
	ss_model_link_parents(m);
	ss_model_link_deps(m);
}

/*
 * ss_cstring_cmp
 *		list_sort comparator of C strings, bytewise (as COLLATE "C").
 */
int
ss_cstring_cmp(const ListCell *a, const ListCell *b)
{
	return strcmp(lfirst(a), lfirst(b));
}

/*
 * join_names
 *		"a.b" or "a.b.c" (c NULL: two parts), allocated at its size: every
 *		change of a diff keeps its identity, and a create-all diff of 10,000
 *		tables has a quarter of a million changes (psprintf would give each
 *		128 bytes).
 */
static char *
join_names(const char *a, const char *b, const char *c)
{
	size_t		alen = strlen(a);
	size_t		blen = strlen(b);
	size_t		clen = c ? strlen(c) + 1 : 0;
	char	   *result = palloc(alen + 1 + blen + clen + 1);
	char	   *p = result;

	memcpy(p, a, alen);
	p += alen;
	*p++ = '.';
	memcpy(p, b, blen);
	p += blen;
	if (c)
	{
		*p++ = '.';
		memcpy(p, c, clen - 1);
		p += clen - 1;
	}
	*p = '\0';
	return result;
}

/*
 * ss_qualified
 *		schema.name, each part quoted as needed.
 */
char *
ss_qualified(const char *schema, const char *name)
{
	return join_names(quote_identifier(schema), quote_identifier(name), NULL);
}

/*
 * ss_identity
 *		The quoted identity of an object as if it lived in the given schema:
 *		schema.name, or schema.table.name for sub-objects that live in their
 *		table's namespace (columns, constraints).
 */
char *
ss_identity(const char *schema, SsObject *obj)
{
	/* an extension's name is database-unique: never qualified */
	if (obj->kind == SS_EXTENSION)
		return pstrdup(quote_identifier(obj->name));
	/* a routine's name is its quoted name and argument types already */
	if (obj->kind == SS_FUNCTION)
		return join_names(quote_identifier(schema), obj->name, NULL);
	if (obj->parent && (obj->kind == SS_COLUMN || obj->kind == SS_CONSTRAINT ||
						obj->kind == SS_DOMCONSTRAINT || obj->kind == SS_TRIGGER ||
						obj->kind == SS_POLICY))
		return join_names(quote_identifier(schema),
						  quote_identifier(obj->parent),
						  quote_identifier(obj->name));
	return ss_qualified(schema, obj->name);
}
