/*-------------------------------------------------------------------------
 *
 * catalog.c
 *	  The catalog reader: builds a model of one schema from pg_catalog.
 *
 * Each object kind is read by one batched SPI query over the whole schema
 * (see the ss_read_* functions in the kind_*.c files), never by a query per
 * object, and pg_depend is read in one heap scan.  Texts of expressions and
 * definitions come from the server's own deparsers, run with search_path
 * set to the schema being read: references to objects of that schema come
 * out unqualified, so two schemas of different names compare equal, and
 * references to other schemas stay qualified.
 *
 * src/catalog.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/genam.h"
#include "access/htup_details.h"
#include "access/table.h"
#include "access/xact.h"
#include "catalog/catalog.h"
#include "catalog/dependency.h"
#include "catalog/index.h"
#include "catalog/indexing.h"
#include "catalog/namespace.h"
#include "catalog/objectaddress.h"
#include "catalog/pg_attrdef.h"
#include "catalog/pg_class.h"
#include "catalog/pg_collation.h"
#include "catalog/pg_constraint.h"
#include "catalog/pg_conversion.h"
#include "catalog/pg_depend.h"
#include "catalog/pg_description.h"
#include "catalog/pg_extension.h"
#include "catalog/pg_index.h"
#include "catalog/pg_inherits.h"
#include "catalog/pg_namespace.h"
#include "catalog/pg_opclass.h"
#include "catalog/pg_operator.h"
#include "catalog/pg_opfamily.h"
#include "catalog/pg_rewrite.h"
#include "catalog/pg_sequence.h"
#include "catalog/pg_statistic_ext.h"
#include "catalog/pg_ts_config.h"
#include "catalog/pg_ts_dict.h"
#include "catalog/pg_ts_parser.h"
#include "catalog/pg_ts_template.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#if PG_VERSION_NUM >= 140000
#include "common/cryptohash.h"
#endif
#include "common/sha2.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "rewrite/rewriteSupport.h"
#include "storage/proc.h"
#include "utils/array.h"
#include "utils/builtins.h"
#include "utils/catcache.h"
#include "utils/fmgroids.h"
#include "utils/guc.h"
#include "utils/hsearch.h"
#include "utils/lsyscache.h"
#include "utils/memutils.h"
#include "utils/rel.h"
#include "utils/relcache.h"
#include "utils/syscache.h"
#include "utils/varlena.h"

#include "schemasync.h"

/* Map from a catalog address (classid, objid, objsubid) to a model object. */
typedef struct SsAddr
{
	Oid			classid;
	Oid			objid;
	int32		objsubid;
} SsAddr;

typedef struct SsAddrEntry
{
	SsAddr		addr;
	/* in the padding after addr: 32 bytes an entry, not 40 */
	char		status;
	int16		nsubs;			/* size of subs */
	SsObject   *obj;
	SsObject  **subs;			/* of a relation: its columns by number (a
								 * hundred thousand columns are not each an
								 * entry), else NULL */
} SsAddrEntry;

StaticAssertDecl(sizeof(SsAddrEntry) <= 32, "SsAddrEntry grew past 32 bytes");

/*
 * ss_addr_hash
 *		The hash of a catalog address: its three numbers mixed by
 *		murmurhash32's finalizer, a few instructions where hash_bytes' loop
 *		over twelve bytes was most of a lookup's time besides the miss in
 *		the table (a 10,000-table no-op diff makes about 900,000 lookups
 *		and entries).
 */
static inline uint32
ss_addr_hash(const SsAddr *a)
{
	return murmurhash32(hash_combine(murmurhash32(a->objid),
									 a->classid ^ ((uint32) a->objsubid << 16)));
}

#define SH_PREFIX ss_addrhash
#define SH_ELEMENT_TYPE SsAddrEntry
#define SH_KEY_TYPE SsAddr
#define SH_KEY addr
#define SH_HASH_KEY(tb, k) ss_addr_hash(&(k))
#define SH_EQUAL(tb, a, b) (memcmp(&(a), &(b), sizeof(SsAddr)) == 0)
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/* the schema's pg_class rows by OID, for ss_rel */
typedef struct SsRelEntry
{
	Oid			oid;
	char		status;
	SsRel	   *rel;
} SsRelEntry;

#define SH_PREFIX ss_relhash
#define SH_ELEMENT_TYPE SsRelEntry
#define SH_KEY_TYPE Oid
#define SH_KEY oid
#define SH_HASH_KEY(tb, k) murmurhash32(k)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * rels_lookup
 *		The pg_class row of relation relid in a map of a schema's rows
 *		(ss_rel_map, or rows rels_keep kept), or NULL.
 */
static inline SsRel *
rels_lookup(ss_relhash_hash *map, Oid relid)
{
	SsRelEntry *e = ss_relhash_lookup(map, relid);

	return e ? e->rel : NULL;
}

/* how many catalog query plans are kept per backend */
#define SS_MAX_CACHED_PLANS 64

/*
 * Whether the readers may leave definitions to be deparsed on demand
 * (SsObject.raw): only when both sides of a diff are read from the catalog
 * and stay there, unchanged, for the whole diff.
 */
bool		ss_read_raw = false;

/* the address map of the model being read */
static ss_addrhash_hash *ss_addrmap = NULL;

/*
 * The addresses of the column defaults (pg_attrdef rows) of the model being
 * read, waiting to enter ss_addrmap (ss_register_default_addr): only
 * pg_depend rows name a default, and a diff that finds no change reads
 * none.  In the model's context; an unlinked model keeps them with its
 * address map.
 */
typedef struct SsPendingAddr
{
	Oid			objid;
	SsObject   *obj;
} SsPendingAddr;

static SsPendingAddr *ss_pending_defaults = NULL;
static int	ss_npending_defaults = 0;
static int	ss_maxpending_defaults = 0;

/*
 * The range of OIDs of each catalog that the model being read has objects
 * of (ss_register_addr), for index range scans (ss_scan_owned_begin).
 */
typedef struct SsOidRange
{
	Oid			classid;
	Oid			lo;
	Oid			hi;
	int			n;				/* addresses registered */
} SsOidRange;

#define SS_MAX_OID_RANGES 24
static SsOidRange ss_oid_ranges[SS_MAX_OID_RANGES];
static int	ss_n_oid_ranges = 0;

/*
 * An index range scan is taken over a heap scan of the whole catalog when
 * the range spans at most this many OIDs per object of the model in it:
 * objects created together have nearby OIDs (a table takes about a dozen,
 * with its row types, TOAST table, indexes and constraints), while the
 * range of a schema whose objects are spread over the OIDs of the whole
 * database (or over an OID wraparound) would cover the catalog anyway.
 */
#define SS_OID_RANGE_DENSITY 64

/* a scratch schema whose search_path also holds another schema, or NULL */
const char *ss_scratch_path_for = NULL;
const char *ss_scratch_path_also = NULL;

/* memory context the model being read lives in */
static MemoryContext ss_model_cxt = NULL;

/* scratch memory of the direct readers, reset at each ss_scratch_begin */
static MemoryContext ss_scratch_cxt = NULL;

/*
 * The pg_class rows of the schema being read (read_schema_rels), all in
 * their own context, which lives as long as the address map.
 */
static MemoryContext ss_rel_cxt = NULL;
static ss_relhash_hash *ss_rel_map = NULL;
static SsRel **ss_rel_indexes = NULL;
static int	ss_rel_nindexes = 0;
static SsRel **ss_rel_sequences = NULL;
static int	ss_rel_nsequences = 0;
static SsRel **ss_rel_tables = NULL;
static int	ss_rel_ntables = 0;
static SsRel **ss_rel_views = NULL;
static int	ss_rel_nviews = 0;
static HTAB *ss_rel_members = NULL;	/* extension members, ss_rels_members */
static bool ss_rel_members_read = false;
static TupleDesc ss_rel_indexdesc = NULL;
static bool ss_rel_conowned = false;	/* SsRel.conowned is filled */
static Oid	ss_rel_nsp = InvalidOid;	/* the schema of those rows */

/*
 * The pg_class rows of a schema as the check for unmodeled objects read
 * them (read_schema_classes), kept for the read of the same schema that
 * follows in the same command (read_schema_rels): a slot per side of a
 * diff.  A slot serves only while no command has run since (the same local
 * transaction and command ID), and empties itself when its context goes
 * (rels_kept_gone), used or not.
 */
typedef struct SsRelsKept
{
	Oid			nsp;
	LocalTransactionId lxid;
	CommandId	cid;
	MemoryContext cxt;			/* NULL when the slot is empty */
	ss_relhash_hash *map;
	SsRel	  **indexes;
	int			nindexes;
	SsRel	  **sequences;
	int			nsequences;
	SsRel	  **tables;
	int			ntables;
	SsRel	  **views;
	int			nviews;
} SsRelsKept;
static SsRelsKept ss_rels_kept[2];
static int	ss_rels_kept_next = 0;

/*
 * The pg_class rows of the two schemas of a diff, read by one scan of
 * pg_class before either schema is read (ss_read_classes_ahead) instead of
 * a scan each: read_schema_classes takes its schema's rows from here
 * instead of scanning, while no command has run since (the same local
 * transaction and command ID).  Each slot's rows are in a context of their
 * own, deleted as soon as read_schema_classes has made them SsRels; a slot
 * empties itself when it is taken, or when its context goes
 * (rels_kept_gone).
 */
typedef struct SsClassRows
{
	Oid			nsp;
	LocalTransactionId lxid;
	CommandId	cid;
	MemoryContext cxt;			/* NULL when the slot is empty */
	HeapTuple  *rows;
	int			nrows;
} SsClassRows;
static SsClassRows ss_class_rows[2];

/*
 * How many rows each schema had when they were read ahead: the slots above
 * empty themselves when the rows are taken (ss_classes_ahead_rows).
 */
typedef struct SsAheadSize
{
	Oid			nsp;
	LocalTransactionId lxid;
	CommandId	cid;
	int			nrows;
} SsAheadSize;
static SsAheadSize ss_ahead_sizes[2];

static void rels_now(LocalTransactionId *lxid, CommandId *cid);
static bool rels_still(LocalTransactionId lxid, CommandId cid);
static void rels_kept_gone(void *arg);

/*
 * ss_check_schema
 *		The OID of a schema named as target or reference, or an error when it
 *		does not exist or is not a user schema.
 */
Oid
ss_check_schema(const char *name, const char *role)
{
	Oid			nsp;

	if (name == NULL)
		ereport(ERROR,
				(errcode(ERRCODE_NULL_VALUE_NOT_ALLOWED),
				 errmsg("%s must not be NULL", role)));
	nsp = get_namespace_oid(name, true);
	if (!OidIsValid(nsp))
		ereport(ERROR,
				(errcode(ERRCODE_UNDEFINED_SCHEMA),
				 errmsg("%s \"%s\" does not exist", role, name)));
	if (IsCatalogNamespace(nsp) || IsToastNamespace(nsp) ||
		isAnyTempNamespace(nsp) || strcmp(name, "information_schema") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_NAME),
				 errmsg("%s \"%s\" is a system schema", role, name),
				 errdetail("schemasync compares and changes user schemas only.")));
	if (strcmp(name, "schemasync") == 0)
		ereport(ERROR,
				(errcode(ERRCODE_INVALID_SCHEMA_NAME),
				 errmsg("%s \"%s\" belongs to the schemasync extension", role, name),
				 errdetail("The extension's own schema is never compared or changed.")));
	return nsp;
}

/*
 * ss_push_search_path
 *		Set search_path to one schema until ss_pop_search_path; returns the
 *		GUC nest level to pop.
 */
int
ss_push_search_path(const char *schema)
{
	int			nest = NewGUCNestLevel();
	char	   *path = pstrdup(quote_identifier(schema));

	/* a scratch schema sees the extensions left in its target (normalize.c) */
	if (ss_scratch_path_for && strcmp(schema, ss_scratch_path_for) == 0)
		path = psprintf("%s, %s", path, quote_identifier(ss_scratch_path_also));
	(void) set_config_option("search_path", path,
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	return nest;
}

/*
 * ss_set_reader_gucs
 *		Settings for the catalog queries, until the GUC nest level of the
 *		enclosing ss_push_search_path is popped: no JIT (the planner's
 *		estimates of the recursive and anti-joined catalog queries cross
 *		jit_above_cost, and compiling them costs more than running them, 0.6 s
 *		a query at 1,000 tables), and enough work_mem that sorting the rows
 *		of a big schema does not spill to disk.
 */
void
ss_set_reader_gucs(void)
{
	(void) set_config_option("jit", "off",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
	(void) set_config_option("work_mem", "65536",
							 PGC_USERSET, PGC_S_SESSION,
							 GUC_ACTION_SAVE, true, 0, false);
}

/* SsLazy.props has a bit per property */
StaticAssertDecl(SS_MAX_PROPS <= 32, "SS_MAX_PROPS exceeds the bits of SsLazy.props");

/* the table whose objects ss_resolve deparsed last */
static Oid	ss_resolved_rel = InvalidOid;

/*
 * object_relid
 *		The relation whose cache entry deparsing an object builds: the table
 *		a sub-object is on, a table's or view's own; else InvalidOid.
 */
static Oid
object_relid(SsObject *obj)
{
	if (OidIsValid(obj->reloid))
		return obj->reloid;
	if (obj->kind == SS_TABLE || obj->kind == SS_VIEW || obj->kind == SS_MATVIEW)
		return obj->oid;
	return InvalidOid;
}

/*
 * ss_resolve
 *		Deparse the properties of an object that were left for later
 *		(SsObject.lazy), with search_path set to the schema it was read from
 *		as the reader had it, into the memory context of its model (where the
 *		model was built), whatever context is current.  Readers of a lazy
 *		property call it through ss_prop() and ss_aux().
 */
void
ss_resolve(SsObject *obj)
{
	const SsLazy *lazy = obj ? obj->lazy : NULL;
	MemoryContext back;
	int			nest;
	Oid			relid;

	if (lazy == NULL)
		return;
	obj->lazy = NULL;
	nest = ss_push_search_path(obj->model->schema);
	back = MemoryContextSwitchTo(GetMemoryChunkContext(obj->model));
	lazy->resolve(obj);
	MemoryContextSwitchTo(back);
	ss_pop_search_path(nest);
	obj->raw = NULL;

	/*
	 * Deparsing an expression opened the table it is on, which built the
	 * table's relation cache entry for the rest of the session: the entry
	 * of the table resolved before is let go once objects of another one
	 * come (RelationCacheInvalidateEntry: one in use is rebuilt instead).
	 * Objects are resolved table after table, so that an entry is built
	 * again only when a later kind of object comes back to its table.
	 */
	relid = object_relid(obj);
	if (OidIsValid(relid) && relid != ss_resolved_rel)
	{
		if (OidIsValid(ss_resolved_rel))
			RelationCacheInvalidateEntry(ss_resolved_rel);
		ss_resolved_rel = relid;
	}
}

/*
 * An object whose lazy properties were resolved, by its raw key, for those
 * of the same key that can share them (ss_resolve_all).
 */
typedef struct SsResolvedEntry
{
	const char *raw;
	SsObject   *obj;
	char		status;
} SsResolvedEntry;

#define SH_PREFIX ss_resolvedhash
#define SH_ELEMENT_TYPE SsResolvedEntry
#define SH_KEY raw
#include "strhash.h"

/*
 * What ss_resolve_all deparsed of a model (SsModel.resolved), by object key:
 * each object's reader (SsLazy) and raw key as they were, for a later read
 * of the same schema in the same call to take the texts of the objects
 * whose raw key did not change instead of deparsing them again.
 */
typedef struct SsLedgerEntry
{
	const char *key;
	SsObject   *obj;
	const SsLazy *lazy;
	const char *raw;
	const char *rawcols;
	char		status;
} SsLedgerEntry;

#define SH_PREFIX ss_ledger
#define SH_ELEMENT_TYPE SsLedgerEntry
#define SH_KEY key
#include "strhash.h"

/*
 * raw_keys_equal
 *		Whether two raw keys, both there, are equal, the columns of their
 *		tables (rawcols, kept once per table) included: the objects they were
 *		read with then deparse to equal texts.
 */
static bool
raw_keys_equal(const char *raw1, const char *rawcols1,
			   const char *raw2, const char *rawcols2)
{
	return raw1 != NULL && raw2 != NULL && strcmp(raw1, raw2) == 0 &&
		ss_streq(rawcols1, rawcols2);
}

/*
 * take_resolved
 *		Give obj, read with the lazy reader l, the properties l fills from
 *		the same object as an earlier read of its schema in the same call
 *		had it (its entry in earlier, that read's SsModel.resolved), when it
 *		was read by the same reader with the same raw key: its texts are
 *		what deparsing obj would give (equal raw keys, equal texts:
 *		docs/design.md, "Applying"), and they are in normal form already,
 *		as the earlier snapshot left them (ss_model_normal_texts, whose
 *		normal forms are fixed points).  True when it did.
 */
static bool
take_resolved(SsObject *obj, const SsLazy *l, ss_ledger_hash *earlier)
{
	SsLedgerEntry *e;
	int			p;

	if (earlier == NULL || obj->raw == NULL ||
		(e = ss_ledger_lookup(earlier, obj->key)) == NULL ||
		e->lazy != l || e->obj->kind != obj->kind || e->obj->lazy != NULL ||
		!raw_keys_equal(e->raw, e->rawcols, obj->raw, obj->rawcols))
		return false;
	obj->lazy = NULL;
	if (l->share != NULL)
		l->share(obj, e->obj);
	else
	{
		for (p = 0; p < ss_object_nslots(obj->kind); p++)
			if (l->props & SS_LAZY_PROP(p))
				obj->props[p] = e->obj->props[p];
		if (l->aux)
			obj->aux = e->obj->aux;
	}
	obj->raw = NULL;
	return true;
}

/*
 * ss_resolve_all
 *		Deparse every property of a model's objects still left for later,
 *		what ss_resolve would fill one object at a time, for a snapshot of a
 *		model read with raw keys, as a read without raw keys deparses: the
 *		relation cache entries deparsing builds stay, for the next snapshot
 *		of the call (ss_resolve lets each table's go once objects of another
 *		come), unless bound_caches lets them go (ss_deparse_let_go);
 *		search_path is set once; and what is a function of the raw key
 *		alone (a column default) is deparsed once per key and shared
 *		(SsLazy.share).  The catalog must be as the model was read.
 *
 *		earlier, when not NULL, is an earlier read of the same schema in the
 *		same call that went through here and was put in normal form since:
 *		an object of the same key, reader and raw key there gives its texts
 *		instead of deparsing (take_resolved), and those texts are in normal
 *		form already (an apply's snapshots before and after its statements:
 *		most objects did not change).  Without earlier, what it deparses is
 *		kept in m->resolved for such a later read; with it, nothing is kept
 *		(the snapshot after an apply's statements is the last of its call).
 */
void
ss_resolve_all(SsModel *m, SsModel *earlier)
{
	ListCell   *lc;
	MemoryContext back;
	ss_resolvedhash_hash *done;
	ss_ledger_hash *ledger;
	ss_ledger_hash *before = earlier != NULL ? earlier->resolved : NULL;
	bool		any = false;
	int			nest;
	int			ntaken = 0;
	int			nlazy = 0;

	foreach(lc, m->objects)
		if (((SsObject *) lfirst(lc))->lazy != NULL)
		{
			any = true;
			break;
		}
	if (!any)
		return;
	done = ss_resolvedhash_create(CurrentMemoryContext, 256, NULL);
	nest = ss_push_search_path(m->schema);
	back = MemoryContextSwitchTo(GetMemoryChunkContext(m));
	/* the last read of a call, resolved against an earlier one, keeps none */
	ledger = earlier == NULL ?
		ss_ledger_create(CurrentMemoryContext, 1024, NULL) : NULL;
	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		const SsLazy *l = obj->lazy;
		SsResolvedEntry *e = NULL;
		SsLedgerEntry *le;
		bool		found;

		if (l == NULL)
			continue;
		nlazy++;
		if (ledger != NULL && obj->raw != NULL)
		{
			le = ss_ledger_insert(ledger, obj->key, &found);
			le->obj = obj;
			le->lazy = l;
			le->raw = obj->raw;
			le->rawcols = obj->rawcols;
		}
		if (take_resolved(obj, l, before))
		{
			ntaken++;
			continue;
		}
		if (l->share != NULL && obj->raw != NULL)
		{
			e = ss_resolvedhash_insert(done, obj->raw, &found);
			if (found && e->obj->kind == obj->kind)
			{
				obj->lazy = NULL;
				l->share(obj, e->obj);
				obj->raw = NULL;
				continue;
			}
			if (found)
				e = NULL;		/* another kind's: deparse this one alone */
		}
		obj->lazy = NULL;
		l->resolve(obj);
		if (e != NULL)
			e->obj = obj;		/* its key is obj->raw, kept by the model */
		obj->raw = NULL;
	}
	m->resolved = ledger;
	MemoryContextSwitchTo(back);
	ss_pop_search_path(nest);
	ss_resolvedhash_destroy(done);
	if (before != NULL)
		ereport(DEBUG1,
				(errmsg_internal("schemasync: %d of the %d objects of schema \"%s\" left to deparse took their texts from the earlier snapshot",
								 ntaken, nlazy, m->schema)));
}

/*
 * ss_copy_props
 *		Give an object all the properties of another (a column taking its
 *		parent's), deparsed, so that its own lazy ones cannot overwrite them;
 *		its aux stays its own.
 */
void
ss_copy_props(SsObject *dst, SsObject *src)
{
	ss_resolve(src);
	if (dst->lazy != NULL && dst->lazy->aux)
		ss_resolve(dst);
	Assert(dst->kind == src->kind);
	memcpy(dst->props, src->props, ss_object_nslots(dst->kind) * sizeof(char *));
	dst->lazy = NULL;
	dst->raw = NULL;
}

/*
 * The server's catalog caches keep a copy of each catalog row a deparsing
 * function looked up (columns, relations, types, operators) for the rest of
 * the session: with the relation cache, a diff that deparses every object
 * of 10,000 tables (a create-all) left 220 MB in CacheMemoryContext.
 * ss_deparse empties the catalog caches (ResetCatalogCaches) whenever that
 * context grew by SS_CACHE_BUDGET bytes since it last did, so that the
 * freed entries make room for the next ones.  Nothing in the catalog
 * changed, so unlike an invalidation nobody else needs to be told.  The
 * relation cache entries of the tables whose expressions were deparsed are
 * let go table after table by ss_resolve.  At 10,000 tables a budget of
 * 8 MB took the create-all diff's backend to 450 MB, 16 MB to 462 and
 * 32 MB to 476, for the same CPU time.
 */
#define SS_CACHE_BUDGET ((Size) 16 * 1024 * 1024)
static Size ss_cache_base = 0;

/*
 * Whether bound_caches lets go of the relation cache entries deparsing
 * built, and those it built since it last did.  Set while the reference of
 * a diff against an empty target is read (ss_compute_schema_diff): that
 * read deparses every object of 10,000 tables in bulk, and kept, their
 * entries were 100 MB.  Elsewhere they stay: a second call in a session
 * reuses them (a model diff's second call took 20% longer without them).
 */
bool		ss_deparse_let_go = false;
static List *ss_deparsed_rels = NIL;	/* OIDs, in TopMemoryContext */

/*
 * bound_caches
 *		Empty the catalog caches when CacheMemoryContext grew past the
 *		budget (SS_CACHE_BUDGET); the memory allocated to the context itself,
 *		without its children, is read in constant time.
 */
static void
bound_caches(void)
{
	Size		now = MemoryContextMemAllocated(CacheMemoryContext, false);
	ListCell   *lc;

	if (now < ss_cache_base + SS_CACHE_BUDGET)
		return;
	ResetCatalogCaches();

	/*
	 * With ss_deparse_let_go, the relation cache entries that deparsing
	 * built (a table's, for the column names of its expressions) go too.
	 * One in use is rebuilt in place, the others on their next use.
	 */
	foreach(lc, ss_deparsed_rels)
		RelationCacheInvalidateEntry(lfirst_oid(lc));
	list_free(ss_deparsed_rels);
	ss_deparsed_rels = NIL;
	ss_cache_base = MemoryContextMemAllocated(CacheMemoryContext, false);
}

/*
 * ss_deparse_note_rel
 *		Note a relation that a deparsing function is about to open (the
 *		table of an expression), for bound_caches to let its cache entry go
 *		(only with ss_deparse_let_go).
 */
void
ss_deparse_note_rel(Oid relid)
{
	MemoryContext back;

	if (!ss_deparse_let_go || !OidIsValid(relid) ||
		(ss_deparsed_rels != NIL && llast_oid(ss_deparsed_rels) == relid))
		return;
	back = MemoryContextSwitchTo(TopMemoryContext);
	ss_deparsed_rels = lappend_oid(ss_deparsed_rels, relid);
	MemoryContextSwitchTo(back);
}

/*
 * ss_deparse
 *		Call one of the server's deparsing functions (pg_get_expr,
 *		pg_get_indexdef, pg_get_constraintdef, ...) as SQL does, with one or
 *		two arguments, none NULL, and return its text copied into the memory
 *		context into; NULL when it returns NULL, as these do for an object
 *		dropped concurrently (DirectFunctionCall would raise an error).  Its
 *		garbage goes with a short-lived context of its own.
 */
char *
ss_deparse(PGFunction fn, int nargs, Datum arg0, Datum arg1,
		   MemoryContext into)
{
	LOCAL_FCINFO(fcinfo, 2);
	MemoryContext tmp;
	MemoryContext back;
	Datum		result;
	char	   *str = NULL;

	Assert(nargs == 1 || nargs == 2);
	tmp = AllocSetContextCreate(CurrentMemoryContext, "schemasync deparse",
								ALLOCSET_DEFAULT_SIZES);
	back = MemoryContextSwitchTo(tmp);
	InitFunctionCallInfoData(*fcinfo, NULL, nargs, InvalidOid, NULL, NULL);
	fcinfo->args[0].value = arg0;
	fcinfo->args[0].isnull = false;
	fcinfo->args[1].value = arg1;
	fcinfo->args[1].isnull = false;
	result = (*fn) (fcinfo);
	if (!fcinfo->isnull)
	{
		MemoryContextSwitchTo(into);
		str = TextDatumGetCString(result);
	}
	MemoryContextSwitchTo(back);
	MemoryContextDelete(tmp);
	bound_caches();
	return str;
}

/*
 * ss_deparse_of
 *		ss_deparse for a text an object requires, in the current memory
 *		context: an error when the object was dropped concurrently.
 */
char *
ss_deparse_of(SsObject *obj, PGFunction fn, int nargs, Datum arg0, Datum arg1)
{
	char	   *str;

	ss_deparse_note_rel(object_relid(obj));
	str = ss_deparse(fn, nargs, arg0, arg1, CurrentMemoryContext);

	if (str == NULL)
		ss_dropped_concurrently(obj);
	return str;
}

/*
 * ss_dropped_concurrently
 *		Raise the error of an object whose catalog rows went away while it
 *		was read or deparsed: another session dropped it (or its table).
 */
void
ss_dropped_concurrently(SsObject *obj)
{
	ereport(ERROR,
			(errcode(ERRCODE_OBJECT_NOT_IN_PREREQUISITE_STATE),
			 errmsg("%s %s was dropped while it was being read",
					ss_kind_ops[obj->kind]->name,
					ss_identity(obj->model->schema, obj)),
			 errdetail("Another session dropped or changed it concurrently."),
			 errhint("Run the command again.")));
}

/*
 * ss_raw_equal
 *		Whether two objects are known equal from their catalog rows, without
 *		deparsing: both were read with raw keys, and the keys are equal
 *		(raw_keys_equal).
 */
bool
ss_raw_equal(SsObject *a, SsObject *b)
{
	return a->lazy != NULL && b->lazy != NULL &&
		raw_keys_equal(a->raw, a->rawcols, b->raw, b->rawcols);
}

/*
 * raw_number
 *		A number's decimal digits into num (MAXINT8LEN + 1 bytes), without a
 *		format string to parse (raw keys are built for every object a diff
 *		reads); returns how many.
 */
static inline int
raw_number(char *num, int64 value)
{
#if PG_VERSION_NUM >= 140000
	return pg_lltoa(value, num);
#else
	return snprintf(num, MAXINT8LEN + 1, INT64_FORMAT, value);
#endif
}

/*
 * ss_raw_append_int
 *		Append a number and a space to a raw key: what appendStringInfo's
 *		"%d " (or "%u " for an OID) appends.
 */
void
ss_raw_append_int(StringInfo buf, int64 value)
{
	char		num[MAXINT8LEN + 1];
	int			len = raw_number(num, value);

	enlargeStringInfo(buf, len + 1);
	appendBinaryStringInfoNT(buf, num, len);
	appendStringInfoChar(buf, ' ');
}

/*
 * ss_raw_append
 *		Append one part of a raw key, its length first so that parts cannot
 *		run into each other.  The parse locations of a node tree (where an
 *		expression was in the statement that created it) are left out.
 */
void
ss_raw_append(StringInfo buf, const char *part, bool nodetree)
{
	const char *p;

	if (part == NULL)
	{
		appendStringInfoString(buf, "-;");
		return;
	}
	if (!nodetree)
	{
		size_t		len = strlen(part);
		char		num[MAXINT8LEN + 1];
		int			numlen = raw_number(num, (int64) len);

		/* "length:text;", without a format string to parse */
		enlargeStringInfo(buf, numlen + len + 2);
		appendBinaryStringInfoNT(buf, num, numlen);
		appendStringInfoChar(buf, ':');
		appendBinaryStringInfoNT(buf, part, len);
		appendStringInfoChar(buf, ';');
		return;
	}
	appendStringInfoChar(buf, '{');
	p = part;
	for (;;)
	{
		const char *loc = strstr(p, ":location ");

		if (loc == NULL)
			break;
		appendBinaryStringInfo(buf, p, loc - p);
		p = loc + 10;
		if (*p == '-')
			p++;
		while (*p >= '0' && *p <= '9')
			p++;
	}
	appendStringInfoString(buf, p);
	appendStringInfoString(buf, "};");
}

/*
 * Raw keys longer than this are kept as a digest (ss_raw_key).
 */
#define SS_RAW_KEY_MAX 1024

/*
 * ss_sha256_begin, ss_sha256_update, ss_sha256_final
 *		SHA-256 of bytes given in pieces: with the server's cryptohash (an
 *		OpenSSL context, freed with the resource owner on error) from
 *		PostgreSQL 14, with its own SHA-2 before.  final writes the
 *		PG_SHA256_DIGEST_LENGTH bytes of the digest and frees the state.
 */
void *
ss_sha256_begin(void)
{
#if PG_VERSION_NUM >= 140000
	pg_cryptohash_ctx *ctx = pg_cryptohash_create(PG_SHA256);

	if (ctx == NULL || pg_cryptohash_init(ctx) < 0)
		elog(ERROR, "could not initialize a SHA-256 context");
	return ctx;
#else
	pg_sha256_ctx *ctx = palloc(sizeof(pg_sha256_ctx));

	pg_sha256_init(ctx);
	return ctx;
#endif
}

void
ss_sha256_update(void *ctx, const void *data, size_t len)
{
#if PG_VERSION_NUM >= 140000
	if (pg_cryptohash_update((pg_cryptohash_ctx *) ctx, (const uint8 *) data, len) < 0)
		elog(ERROR, "could not compute a SHA-256");
#else
	pg_sha256_update((pg_sha256_ctx *) ctx, (const uint8 *) data, len);
#endif
}

void
ss_sha256_final(void *ctx, uint8 *sum)
{
#if PG_VERSION_NUM >= 140000
	if (pg_cryptohash_final((pg_cryptohash_ctx *) ctx, sum, PG_SHA256_DIGEST_LENGTH) < 0)
		elog(ERROR, "could not compute a SHA-256");
	pg_cryptohash_free((pg_cryptohash_ctx *) ctx);
#else
	pg_sha256_final((pg_sha256_ctx *) ctx, sum);
	pfree(ctx);
#endif
}

/*
 * ss_raw_key
 *		The raw key to keep for a key built (raw, NULL for none), in the
 *		current memory context: a copy when it is short, else "\001" and
 *		the SHA-256 of it in hex.  The keys of views and SQL-standard bodies
 *		are their query trees, tens of kilobytes each (a 10,000-table model
 *		held 50 MB of them), and are only ever compared for equality
 *		(ss_raw_equal).  No key kept as it is starts with "\001", so a copy
 *		never equals a digest.
 */
char *
ss_raw_key(const char *raw)
{
	size_t		len;
	uint8		sum[PG_SHA256_DIGEST_LENGTH];
	char	   *key;
	int			i;
	void	   *ctx;

	if (raw == NULL)
		return NULL;
	len = strlen(raw);
	if (len <= SS_RAW_KEY_MAX && raw[0] != '\001')
		return pnstrdup(raw, len);
	ctx = ss_sha256_begin();
	ss_sha256_update(ctx, raw, len);
	ss_sha256_final(ctx, sum);
	key = palloc(2 + 2 * sizeof(sum));
	key[0] = '\001';
	for (i = 0; i < sizeof(sum); i++)
	{
		key[1 + 2 * i] = "0123456789abcdef"[sum[i] >> 4];
		key[2 + 2 * i] = "0123456789abcdef"[sum[i] & 0xf];
	}
	key[1 + 2 * sizeof(sum)] = '\0';
	return key;
}

/*
 * ss_tree_field
 *		For the raw key of a node tree (nodeToString's text), at a field
 *		(**p is its ':'): copy the text not copied yet (from *run) into buf,
 *		and step *p over the field's name, *run to the ':'.  A parse
 *		location is left out with its value (and *run moved past it), a
 *		typmod's value stepped over as it is (never an OID): true for those,
 *		which the caller is done with.  Else false, with the name in *f and
 *		*len for the caller to look at.
 */
bool
ss_tree_field(StringInfo buf, const char **p, const char **run,
			  const char **f, size_t *len)
{
	const char *q;

	*f = *p + 1;
	for (q = *f; *q != '\0' && *q != ' ' && *q != '(' && *q != ')' &&
		 *q != '{' && *q != '}'; q++)
		;
	*len = q - *f;
	appendBinaryStringInfo(buf, *run, *p - *run);
	*run = *p;
	*p = q;
	if (*len == 8 && memcmp(*f, "location", 8) == 0)
	{
		*p = *run = ss_tree_integer_end(*p);
		return true;
	}
	if (*len >= 6 && pg_strncasecmp(*f + *len - 6, "typmod", 6) == 0)
	{
		*p = ss_tree_integer_end(*p);
		return true;
	}
	return false;
}

/*
 * ss_type_raw
 *		Append a type's part of a raw key: a built-in type's OID as it is, a
 *		type of the schema nsp by name when search_path shows it unqualified
 *		(its OID differs between the two sides); false for any other type.
 */
bool
ss_type_raw(StringInfo buf, Oid typid, Oid nsp)
{
	HeapTuple	tup;
	Form_pg_type typ;

	if (typid < FirstNormalObjectId)
	{
		appendStringInfo(buf, " %u", typid);
		return true;
	}
	tup = SearchSysCache1(TYPEOID, ObjectIdGetDatum(typid));
	if (!HeapTupleIsValid(tup))
		return false;
	typ = (Form_pg_type) GETSTRUCT(tup);
	/* (one named as a pg_catalog type is hidden, and printed qualified) */
	if (typ->typnamespace != nsp || !TypeIsVisible(typid))
	{
		ReleaseSysCache(tup);
		return false;
	}
	appendStringInfoString(buf, " type ");
	ss_raw_append(buf, NameStr(typ->typname), false);
	ReleaseSysCache(tup);
	return true;
}

/*
 * ss_tree_raw
 *		The raw key of a stored query or expression tree (a view's _RETURN
 *		rule, a SQL routine's body or argument defaults; docs/design.md,
 *		"Reading fast"), or NULL when it must be deparsed instead: the tree
 *		without parse locations, in which each relation is self (the view
 *		itself) or a table of the schema read that search_path shows
 *		unqualified, named, with its columns (colsig: what the deparsers
 *		print of them is their names), and each type of the schema nsp is
 *		named as ss_type_raw does.  Any other OID of a user object (a
 *		view, a function of the schema, a relation or type of another
 *		schema: from FirstNormalObjectId on) and any reg* constant may print
 *		differently on the two sides, so such a tree gets no key.
 */
char *
ss_tree_raw(const char *tree, Oid self, Oid nsp)
{
	StringInfoData buf;
	const char *p = tree;
	const char *run = tree;		/* the text not copied yet, up to p */

	if (tree == NULL)
		return NULL;
	initStringInfo(&buf);
	while (*p)
	{
		char	   *e;

		if (*p == ':')
		{
			const char *f;
			size_t		len;

			if (ss_tree_field(&buf, &p, &run, &f, &len))
				continue;
			if ((len == 5 && strncmp(f, "relid", 5) == 0) ||
				(len == 10 && strncmp(f, "resorigtbl", 10) == 0))
			{
				Oid			relid = (Oid) strtoul(p, &e, 10);
				SsObject   *t;
				SsRel	   *r;

				p = e;
				if (relid < FirstNormalObjectId)
					continue;	/* a catalog: as it is */
				appendBinaryStringInfo(&buf, run, f + len - run);
				run = p;
				if (relid == self && OidIsValid(self))
					appendStringInfoString(&buf, " self");
				else if ((t = ss_model_table(relid)) != NULL && t->colsig != NULL &&
						 ((r = ss_rel(relid)) != NULL ? ss_rel_visible(r) :
						  RelationIsVisible(relid)))
				{
					appendStringInfoString(&buf, " rel ");
					ss_raw_append(&buf, t->name, false);
					ss_raw_append(&buf, t->colsig, false);
				}
				else
					return NULL;
			}
			else if ((len >= 4 && pg_strncasecmp(f + len - 4, "type", 4) == 0) ||
					 (len >= 6 && pg_strncasecmp(f + len - 6, "typeid", 6) == 0))
			{
				/* a type: a reg* constant, or one of the schema, by name */
				Oid			typid = (Oid) strtoul(p, &e, 10);

				p = e;
				if (len == 9 && strncmp(f, "consttype", 9) == 0 &&
					ss_reg_type(typid) != '\0')
					return NULL;
				appendBinaryStringInfo(&buf, run, f + len - run);
				run = p;
				if (!ss_type_raw(&buf, typid, nsp))
					return NULL;
			}
			continue;
		}
		if (!ss_tree_number(&p, tree))
			return NULL;
	}
	appendBinaryStringInfo(&buf, run, p - run);
	return buf.data;
}

/*
 * ss_pop_search_path
 *		Restore search_path as it was before ss_push_search_path.
 */
void
ss_pop_search_path(int nestlevel)
{
	AtEOXact_GUC(true, nestlevel);
}

/*
 * ss_spi_exec
 *		Run one read-only catalog query with $1 = the schema's OID.
 */
void
ss_spi_exec(const char *sql, Oid schemaoid)
{
	static const char *texts[SS_MAX_CACHED_PLANS];
	static SPIPlanPtr plans[SS_MAX_CACHED_PLANS];
	static int	nplans = 0;
	Oid			argtypes[1] = {OIDOID};
	Datum		args[1];
	SPIPlanPtr	plan = NULL;
	int			rc;
	int			i;

	args[0] = ObjectIdGetDatum(schemaoid);

	/*
	 * The catalog queries are constant texts: plan each once per backend.
	 * Every query names what it reads with pg_catalog, so the plan does not
	 * depend on search_path.
	 */
	for (i = 0; i < nplans; i++)
		if (texts[i] == sql)
			plan = plans[i];
	if (plan == NULL)
	{
		plan = SPI_prepare(sql, 1, argtypes);
		if (plan == NULL)
			elog(ERROR, "schemasync could not plan a catalog query: %s",
				 SPI_result_code_string(SPI_result));
		if (nplans < SS_MAX_CACHED_PLANS && SPI_keepplan(plan) == 0)
		{
			texts[nplans] = sql;
			plans[nplans++] = plan;
		}
	}

	/*
	 * The rows of the previous catalog query were copied into the model:
	 * free them now rather than at SPI_finish, so that the results of all
	 * the readers are not held at once.
	 */
	if (SPI_tuptable != NULL)
		SPI_freetuptable(SPI_tuptable);

	/*
	 * Not read-only: that takes a new snapshot, so that the verification
	 * after apply sees the statements just run.  In parallel mode (a read
	 * shared with a worker, parallel.c) a command cannot start: read-only,
	 * with the snapshot pushed for the read, taken after those statements.
	 */
	rc = SPI_execute_plan(plan, args, NULL, IsInParallelMode(), 0);
	if (rc != SPI_OK_SELECT)
		elog(ERROR, "schemasync catalog query failed: %s", SPI_result_code_string(rc));
	/* build what follows in the model's context */
	MemoryContextSwitchTo(ss_model_cxt);
}

/*
 * ss_spi_text
 *		Column col (1-based) of row of the last query as a C string, or NULL.
 */
char *
ss_spi_text(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	if (isnull)
		return NULL;
	return TextDatumGetCString(d);
}

/*
 * ss_spi_oid
 *		An oid column of the last query; InvalidOid when NULL.
 */
Oid
ss_spi_oid(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	return isnull ? InvalidOid : DatumGetObjectId(d);
}

/*
 * ss_spi_int
 *		An int4 column of the last query; 0 when NULL.
 */
int32
ss_spi_int(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	return isnull ? 0 : DatumGetInt32(d);
}

/*
 * ss_spi_bool
 *		A boolean column of the last query; false when NULL.
 */
bool
ss_spi_bool(int row, int col)
{
	bool		isnull;
	Datum		d = SPI_getbinval(SPI_tuptable->vals[row], SPI_tuptable->tupdesc,
								  col, &isnull);

	return isnull ? false : DatumGetBool(d);
}

/*
 * oid_range_add
 *		Widen the range of OIDs of a catalog to hold objid.
 */
static void
oid_range_add(Oid classid, Oid objid)
{
	SsOidRange *r;
	int			i;

	for (i = 0; i < ss_n_oid_ranges; i++)
		if (ss_oid_ranges[i].classid == classid)
			break;
	if (i == ss_n_oid_ranges)
	{
		if (i == SS_MAX_OID_RANGES)
			return;				/* no range: heap scans */
		ss_n_oid_ranges++;
		r = &ss_oid_ranges[i];
		r->classid = classid;
		r->lo = r->hi = objid;
		r->n = 1;
		return;
	}
	r = &ss_oid_ranges[i];
	r->lo = Min(r->lo, objid);
	r->hi = Max(r->hi, objid);
	r->n++;
}

/*
 * ss_oid_range
 *		The OIDs of catalog classid between which are all the objects of it
 *		that the model being read registered so far, when an index range
 *		scan over them pays (SS_OID_RANGE_DENSITY); else false.  None
 *		registered gives an empty range (lo > hi).
 */
bool
ss_oid_range(Oid classid, Oid *lo, Oid *hi)
{
	int			i;

	for (i = 0; i < ss_n_oid_ranges; i++)
	{
		SsOidRange *r = &ss_oid_ranges[i];

		if (r->classid != classid)
			continue;
		if ((uint64) (r->hi - r->lo) > (uint64) r->n * SS_OID_RANGE_DENSITY)
			return false;
		*lo = r->lo;
		*hi = r->hi;
		return true;
	}
	if (ss_n_oid_ranges == SS_MAX_OID_RANGES)
		return false;
	*lo = 1;
	*hi = 0;
	return true;
}

/*
 * ss_register_default_addr
 *		Remember that a column default's pg_attrdef row (its OID) stands for
 *		the column, as ss_register_addr does, but only once something asks
 *		for a default's address (defaults_catch_up): at 10,000 tables a
 *		no-op diff entered 270,000 of them into the address maps, 2% of its
 *		time, for no use.  Their range of OIDs is kept at once.
 */
void
ss_register_default_addr(Oid objid, SsObject *col)
{
	if (ss_npending_defaults == ss_maxpending_defaults)
	{
		ss_maxpending_defaults = Max(1024, 2 * ss_maxpending_defaults);
		ss_pending_defaults = ss_pending_defaults == NULL ?
			MemoryContextAlloc(ss_model_cxt,
							   ss_maxpending_defaults * sizeof(SsPendingAddr)) :
			repalloc(ss_pending_defaults,
					 ss_maxpending_defaults * sizeof(SsPendingAddr));
	}
	ss_pending_defaults[ss_npending_defaults].objid = objid;
	ss_pending_defaults[ss_npending_defaults].obj = col;
	ss_npending_defaults++;
	oid_range_add(AttrDefaultRelationId, objid);
}

/*
 * defaults_catch_up
 *		Enter the defaults' addresses that wait (ss_register_default_addr)
 *		into the address map.
 */
static void
defaults_catch_up(void)
{
	int			n = ss_npending_defaults;
	int			i;

	/* first, so that an error on the way does not enter them twice */
	ss_npending_defaults = 0;
	for (i = 0; i < n; i++)
		ss_register_addr(AttrDefaultRelationId, ss_pending_defaults[i].objid, 0,
						 ss_pending_defaults[i].obj);
}

/*
 * ss_register_addr
 *		Remember which model object a catalog address stands for, so that
 *		pg_depend rows can be mapped to model dependencies.
 */
void
ss_register_addr(Oid classid, Oid objid, int32 objsubid, SsObject *obj)
{
	SsAddr		addr;
	SsAddrEntry *e;
	bool		found;
	bool		column = (classid == RelationRelationId && objsubid > 0 &&
						  objsubid <= PG_INT16_MAX);

	memset(&addr, 0, sizeof(addr));
	addr.classid = classid;
	addr.objid = objid;
	addr.objsubid = column ? 0 : objsubid;
	e = ss_addrhash_insert(ss_addrmap, addr, &found);
	if (!found)
	{
		e->obj = NULL;
		e->nsubs = 0;
		e->subs = NULL;
		oid_range_add(classid, objid);
	}
	if (!column)
	{
		e->obj = obj;
		return;
	}

	/* a column: in its relation's entry, by number */
	if (objsubid > e->nsubs)
	{
		int			n = Max(16, e->nsubs);

		while (n < objsubid)
			n *= 2;
		n = Min(n, PG_INT16_MAX);
		if (e->subs == NULL)
			e->subs = MemoryContextAllocZero(ss_model_cxt, n * sizeof(SsObject *));
		else
		{
			e->subs = repalloc(e->subs, n * sizeof(SsObject *));
			memset(e->subs + e->nsubs, 0, (n - e->nsubs) * sizeof(SsObject *));
		}
		e->nsubs = n;
	}
	e->subs[objsubid - 1] = obj;
}

/*
 * ss_lookup_addr
 *		The model object registered for exactly this catalog address, or
 *		NULL (no fallback from a sub-object to its object).
 */
SsObject *
ss_lookup_addr(Oid classid, Oid objid, int32 objsubid)
{
	SsAddr		addr;
	SsAddrEntry *e;

	bool		column = (classid == RelationRelationId && objsubid > 0);

	if (classid == AttrDefaultRelationId && ss_npending_defaults > 0)
		defaults_catch_up();
	memset(&addr, 0, sizeof(addr));
	addr.classid = classid;
	addr.objid = objid;
	addr.objsubid = column ? 0 : objsubid;
	e = ss_addrhash_lookup(ss_addrmap, addr);
	if (e == NULL)
		return NULL;
	if (column)
		return objsubid <= e->nsubs ? e->subs[objsubid - 1] : NULL;
	return e->obj;
}

/*
 * ss_scratch_begin
 *		Switch to the readers' scratch context, emptied first, for the work
 *		of one row whose garbage must not pile up in the model (a deparser's
 *		context, the node tree it read); returns the context to switch back
 *		to, where the results are then copied.
 */
MemoryContext
ss_scratch_begin(void)
{
	if (ss_scratch_cxt == NULL)
		ss_scratch_cxt = AllocSetContextCreate(ss_model_cxt, "schemasync reader scratch",
											   ALLOCSET_DEFAULT_SIZES);
	else
		MemoryContextReset(ss_scratch_cxt);
	return MemoryContextSwitchTo(ss_scratch_cxt);
}

/*
 * ss_model_table
 *		The table of the model being read whose OID is relid, or NULL: the
 *		direct readers of sub-objects keep the rows of this schema's tables
 *		with it.
 */
SsObject *
ss_model_table(Oid relid)
{
	SsObject   *obj = ss_lookup_addr(RelationRelationId, relid, 0);

	return (obj != NULL && obj->kind == SS_TABLE) ? obj : NULL;
}

/*
 * ss_scan_begin
 *		Open a catalog and begin a heap scan of it with its catalog snapshot
 *		(which sees what the transaction ran before), keyed on one oid column
 *		when keycol is not 0.  End it with ss_scan_end.
 */
SysScanDesc
ss_scan_begin(Oid catalog, AttrNumber keycol, Oid keyval, Relation *rel)
{
	ScanKeyData key;

	/* the scan keeps its own copy of the key */
	if (keycol != 0)
		ScanKeyInit(&key, keycol, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(keyval));
	*rel = table_open(catalog, AccessShareLock);
	return systable_beginscan(*rel, InvalidOid, false, NULL,
							  keycol != 0 ? 1 : 0, keycol != 0 ? &key : NULL);
}

/*
 * How many OIDs a search-array scan (oids_scan_begin) takes at most: one
 * descent of the index each, where beyond that a heap scan of the catalog
 * costs about as much.
 */
#define SS_MAX_ARRAY_SCAN 4096

/*
 * oids_scan_begin
 *		Begin an index scan of the rows of a catalog whose oidcol, the first
 *		column of index indexid, is one of n OIDs (a search-array key: one
 *		descent of the index per OID), and when eqcol is not 0 whose oid
 *		column eqcol (the index's second) is eqval; a heap scan of the whole
 *		catalog, keyed by eqcol only, when there are more than
 *		SS_MAX_ARRAY_SCAN of them or the system indexes are not to be used
 *		(a heap scan cannot test a search-array key).  No OID: no row, and
 *		no heap scan either.  For OIDs far apart,
 *		where a range scan would read the rows of the objects between them:
 *		a schema's few views among its tables.  The caller still tests each
 *		row.
 */
static SysScanDesc
oids_scan_begin(Oid catalog, Oid indexid, AttrNumber oidcol,
				AttrNumber eqcol, Oid eqval, Datum *oids, int n, Relation *rel)
{
	ScanKeyData key[2];
	ArrayType  *arr;

	if (n > SS_MAX_ARRAY_SCAN || IgnoreSystemIndexes ||
		ReindexIsProcessingIndex(indexid))
		return ss_scan_begin(catalog, eqcol, eqval, rel);
	arr = construct_array(oids, n, OIDOID, sizeof(Oid), true, TYPALIGN_INT);
	ScanKeyEntryInitialize(&key[0], SK_SEARCHARRAY, oidcol,
						   BTEqualStrategyNumber, InvalidOid, InvalidOid,
						   F_OIDEQ, PointerGetDatum(arr));
	if (eqcol != 0)
		ScanKeyInit(&key[1], eqcol, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(eqval));
	*rel = table_open(catalog, AccessShareLock);
	return systable_beginscan(*rel, indexid, true, NULL, eqcol != 0 ? 2 : 1, key);
}

/*
 * ss_scan_owned_begin
 *		Open a catalog and begin a scan of its rows that may belong to the
 *		objects of catalog ownerclass that the model being read registered
 *		(the rows of pg_attribute of its relations, say): when their OIDs
 *		are close (ss_oid_range), the range of ownercol, the first column of
 *		index indexid, else a descent of the index per object
 *		(oids_scan_begin; the objects from the address map); and when eqcol
 *		is not 0, only
 *		rows whose oid column eqcol (the index's second) is eqval.  With the
 *		catalog snapshot, as ss_scan_begin; end it with ss_scan_end.  The
 *		caller still tests each row's owner.
 */
SysScanDesc
ss_scan_owned_begin(Oid catalog, Oid indexid, AttrNumber ownercol, Oid ownerclass,
					AttrNumber eqcol, Oid eqval, Relation *rel)
{
	Oid			lo;
	Oid			hi;
	ss_addrhash_iterator it;
	SsAddrEntry *e;
	Datum	   *oids;
	int			n = 0;

	if (ss_oid_range(ownerclass, &lo, &hi))
		return ss_scan_range_begin(catalog, indexid, ownercol, lo, hi, eqcol, eqval, rel);

	/* far apart: the OIDs registered, from the address map */
	if (ss_addrmap == NULL)
		return ss_scan_begin(catalog, eqcol, eqval, rel);
	if (ownerclass == AttrDefaultRelationId && ss_npending_defaults > 0)
		defaults_catch_up();
	oids = palloc((Min(ss_addrmap->members, SS_MAX_ARRAY_SCAN + 1) + 1) * sizeof(Datum));
	ss_addrhash_start_iterate(ss_addrmap, &it);
	while ((e = ss_addrhash_iterate(ss_addrmap, &it)) != NULL && n <= SS_MAX_ARRAY_SCAN)
		if (e->addr.classid == ownerclass && e->addr.objsubid == 0)
			oids[n++] = ObjectIdGetDatum(e->addr.objid);
	return oids_scan_begin(catalog, indexid, ownercol, eqcol, eqval, oids, n, rel);
}

/*
 * ss_scan_range_begin
 *		Open a catalog and begin an index range scan of its rows whose
 *		ownercol, the first column of index indexid, is between lo and hi,
 *		and when eqcol is not 0 whose oid column eqcol (the index's second)
 *		is eqval, with the catalog snapshot; end it with ss_scan_end.
 */
SysScanDesc
ss_scan_range_begin(Oid catalog, Oid indexid, AttrNumber ownercol, Oid lo, Oid hi,
					AttrNumber eqcol, Oid eqval, Relation *rel)
{
	ScanKeyData key[3];

	ScanKeyInit(&key[0], ownercol, BTGreaterEqualStrategyNumber, F_OIDGE,
				ObjectIdGetDatum(lo));
	ScanKeyInit(&key[1], ownercol, BTLessEqualStrategyNumber, F_OIDLE,
				ObjectIdGetDatum(hi));
	if (eqcol != 0)
		ScanKeyInit(&key[2], eqcol, BTEqualStrategyNumber, F_OIDEQ,
					ObjectIdGetDatum(eqval));
	*rel = table_open(catalog, AccessShareLock);
	return systable_beginscan(*rel, indexid, true, NULL, eqcol != 0 ? 3 : 2, key);
}

/*
 * ss_scan_end
 *		End a scan begun by ss_scan_begin (or any systable scan of rel).
 */
void
ss_scan_end(SysScanDesc scan, Relation rel)
{
	systable_endscan(scan);
	table_close(rel, AccessShareLock);
}

/*
 * ss_catalog_has_rows
 *		Whether a catalog holds any row, or any whose oid column keycol is
 *		keyval when keycol is not 0: a reader whose query could return
 *		nothing skips it, since planning the query in a new session costs
 *		more than this scan.
 */
bool
ss_catalog_has_rows(Oid catalog, AttrNumber keycol, Oid keyval)
{
	Relation	rel;
	SysScanDesc scan = ss_scan_begin(catalog, keycol, keyval, &rel);
	bool		found = HeapTupleIsValid(systable_getnext(scan));

	ss_scan_end(scan, rel);
	return found;
}

/*
 * ss_oid_hash_create
 *		A dynahash keyed by an OID (the first field of its entries, of
 *		entrysize bytes), in the current memory context.
 */
HTAB *
ss_oid_hash_create(const char *name, Size entrysize, long size)
{
	HASHCTL		ctl;

	ctl.keysize = sizeof(Oid);
	ctl.entrysize = entrysize;
	ctl.hcxt = CurrentMemoryContext;
	return hash_create(name, size, &ctl, HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
}

/*
 * ss_read_comments
 *		One heap scan of pg_description for the comments on objects of one
 *		catalog: a comment whose address is registered for an object of the
 *		given kind becomes its property prop.  Addresses registered for
 *		another kind (the index that stands for its constraint, say) are
 *		left alone.
 */
void
ss_read_comments(Oid classoid, SsKind kind, int prop)
{
	ss_read_comments_of(classoid, &kind, &prop, 1);
}

/*
 * ss_read_comments_of
 *		ss_read_comments for n kinds at once, each with its property: one
 *		scan for the comments on the relations of a schema and on their
 *		columns, instead of one per kind over the same rows (at 10,000
 *		tables, 23,000 rows a schema).
 */
void
ss_read_comments_of(Oid classoid, const SsKind *kinds, const int *props, int n)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;

	scan = ss_scan_owned_begin(DescriptionRelationId, DescriptionObjIndexId,
							   Anum_pg_description_objoid, classoid,
							   Anum_pg_description_classoid, classoid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_description ds = (Form_pg_description) GETSTRUCT(tup);
		SsObject   *obj = ss_lookup_addr(classoid, ds->objoid, ds->objsubid);
		Datum		value;
		bool		isnull;
		int			i;

		if (obj == NULL)
			continue;
		for (i = 0; i < n; i++)
			if (obj->kind == kinds[i])
				break;
		if (i == n)
			continue;
		value = heap_getattr(tup, Anum_pg_description_description,
							RelationGetDescr(rel), &isnull);
		if (!isnull)
			obj->props[props[i]] = TextDatumGetCString(value);
	}
	ss_scan_end(scan, rel);
}

/*
 * ss_depend_referencing
 *		The objects of catalog classid that depend, with deptype, on an
 *		object of catalog refclassid (the indexes that constraints own, the
 *		members of extensions): the pg_depend rows that reference refclassid,
 *		one index range of pg_depend's referenced-side index.  An OID map
 *		(ss_oid_map_get gives 0 for a depender), or NULL when there are none.
 */
HTAB *
ss_depend_referencing(Oid refclassid, Oid classid, char deptype)
{
	HTAB	   *objs = NULL;
	Relation	rel;
	SysScanDesc scan;
	ScanKeyData key;
	HeapTuple	tup;

	ScanKeyInit(&key, Anum_pg_depend_refclassid,
				BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(refclassid));
	rel = table_open(DependRelationId, AccessShareLock);
	scan = systable_beginscan(rel, DependReferenceIndexId, true, NULL, 1, &key);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend dep = (Form_pg_depend) GETSTRUCT(tup);

		if (dep->classid != classid || dep->deptype != deptype)
			continue;
		if (objs == NULL)
			objs = ss_oid_map_create("schemasync dependers", 256);
		ss_oid_map_set(objs, dep->objid, 0);
	}
	ss_scan_end(scan, rel);
	return objs;
}

/*
 * rels_oid_range
 *		The lowest and highest OID of some of the schema's relations; true
 *		when they are close enough for an index range scan over them to pay
 *		(SS_OID_RANGE_DENSITY), false too when there are none.
 */
static bool
rels_oid_range(SsRel **rels, int n, Oid *lo, Oid *hi)
{
	int			i;

	*lo = OID_MAX;
	*hi = InvalidOid;
	for (i = 0; i < n; i++)
	{
		*lo = Min(*lo, rels[i]->oid);
		*hi = Max(*hi, rels[i]->oid);
	}
	return n > 0 && (uint64) (*hi - *lo) <= (uint64) n * SS_OID_RANGE_DENSITY;
}

/*
 * ss_depend_range_begin
 *		Begin a scan of the pg_depend rows (rel, open) of the objects of
 *		catalog classid whose OIDs are between lo and hi: a range of the
 *		index on the depending object.  End it with systable_endscan.
 */
SysScanDesc
ss_depend_range_begin(Relation rel, Oid classid, Oid lo, Oid hi)
{
	ScanKeyData key[3];

	/* in the index's order: classid, then objid */
	ScanKeyInit(&key[0], Anum_pg_depend_classid,
				BTEqualStrategyNumber, F_OIDEQ, ObjectIdGetDatum(classid));
	ScanKeyInit(&key[1], Anum_pg_depend_objid,
				BTGreaterEqualStrategyNumber, F_OIDGE, ObjectIdGetDatum(lo));
	ScanKeyInit(&key[2], Anum_pg_depend_objid,
				BTLessEqualStrategyNumber, F_OIDLE, ObjectIdGetDatum(hi));
	return systable_beginscan(rel, DependDependerIndexId, true, NULL, 3, key);
}

/*
 * ss_rels_scan_begin
 *		Begin a scan of the rows of a catalog keyed by the OIDs of some of the
 *		schema's relations (oidcol, the first column of index indexid), and
 *		when eqcol is not 0 whose oid column eqcol (the index's second) is
 *		eqval: an index range scan over their OIDs when they are close
 *		(rels_oid_range), else one descent of the index per relation
 *		(oids_scan_begin).  The caller
 *		still tests each row's relation; end with ss_scan_end.
 */
SysScanDesc
ss_rels_scan_begin(Oid catalog, Oid indexid, AttrNumber oidcol,
				   AttrNumber eqcol, Oid eqval, SsRel **rels, int n, Relation *rel)
{
	Oid			lo;
	Oid			hi;
	Datum	   *oids;
	int			i;

	if (rels_oid_range(rels, n, &lo, &hi))
		return ss_scan_range_begin(catalog, indexid, oidcol, lo, hi, eqcol, eqval, rel);
	oids = palloc(Max(n, 1) * sizeof(Datum));
	for (i = 0; i < n; i++)
		oids[i] = ObjectIdGetDatum(rels[i]->oid);
	return oids_scan_begin(catalog, indexid, oidcol, eqcol, eqval, oids, n, rel);
}

/*
 * The opclass options of the index columns that the columns scan of the
 * schema read came across (ss_attoptions_note): the pg_attribute rows of
 * the relations whose OIDs are between ss_attopts_lo and ss_attopts_hi were
 * all seen, and an index there without an entry has none.
 */
typedef struct SsAttOptions
{
	Oid			relid;			/* hash key: the index */
	char	   *opts[INDEX_MAX_KEYS];	/* per column, array_out text or NULL */
} SsAttOptions;

static HTAB *ss_attopts = NULL;
static Oid	ss_attopts_lo = InvalidOid;
static Oid	ss_attopts_hi = InvalidOid;

/*
 * ss_attoptions_scanned
 *		Say that a scan of pg_attribute saw the rows of every relation whose
 *		OID is between lo and hi (none when lo > hi).
 */
void
ss_attoptions_scanned(Oid lo, Oid hi)
{
	ss_attopts_lo = lo;
	ss_attopts_hi = hi;
}

/*
 * ss_index_attoptions
 *		The opclass options of an index column from its pg_attribute row
 *		(attoptions, through array_out), in the current memory context, or
 *		NULL when it has none or the row cannot be an index column's.
 */
char *
ss_index_attoptions(HeapTuple tup, TupleDesc desc)
{
	Form_pg_attribute att = (Form_pg_attribute) GETSTRUCT(tup);
	Datum		opts;
	bool		isnull;

	if (att->attnum <= 0 || att->attnum > INDEX_MAX_KEYS || att->attisdropped)
		return NULL;
	opts = heap_getattr(tup, Anum_pg_attribute_attoptions, desc, &isnull);
	if (isnull)
		return NULL;
	/* array_out needs an FmgrInfo: not a direct call */
	return OidOutputFunctionCall(F_ARRAY_OUT, opts);
}

/*
 * ss_attoptions_note
 *		Keep the attoptions of a pg_attribute row of a relation that is not
 *		a table of the model (an index), seen by the columns scan, for
 *		ss_attoptions_get: rare, so that nothing is kept for most schemas.
 */
void
ss_attoptions_note(HeapTuple tup, TupleDesc desc)
{
	Form_pg_attribute att = (Form_pg_attribute) GETSTRUCT(tup);
	SsAttOptions *e;
	char	   *opts;
	bool		found;
	MemoryContext back = MemoryContextSwitchTo(ss_model_cxt);

	if ((opts = ss_index_attoptions(tup, desc)) != NULL)
	{
		if (ss_attopts == NULL)
			ss_attopts = ss_oid_hash_create("schemasync index attoptions",
											sizeof(SsAttOptions), 64);
		e = hash_search(ss_attopts, &att->attrelid, HASH_ENTER, &found);
		if (!found)
			memset(e->opts, 0, sizeof(e->opts));
		e->opts[att->attnum - 1] = opts;
	}
	MemoryContextSwitchTo(back);
}

/*
 * ss_attoptions_get
 *		The opclass options of an index's columns as the columns scan saw
 *		them (INDEX_MAX_KEYS texts or NULLs, or NULL when it has none), and
 *		true; false when that scan did not cover the index.
 */
bool
ss_attoptions_get(Oid indexid, char ***opts)
{
	SsAttOptions *e;

	*opts = NULL;
	if (indexid < ss_attopts_lo || indexid > ss_attopts_hi)
		return false;
	if (ss_attopts != NULL &&
		(e = hash_search(ss_attopts, &indexid, HASH_FIND, NULL)) != NULL)
		*opts = e->opts;
	return true;
}

/*
 * rels_forget
 *		Forget the pg_class rows of the schema read (read_schema_rels), and
 *		the opclass options its columns scan saw.
 */
static void
rels_forget(void)
{
	ss_attopts = NULL;
	ss_attopts_lo = ss_attopts_hi = InvalidOid;
	ss_rel_cxt = NULL;
	ss_rel_map = NULL;
	ss_rel_indexes = ss_rel_sequences = ss_rel_tables = ss_rel_views = NULL;
	ss_rel_nindexes = ss_rel_nsequences = ss_rel_ntables = ss_rel_nviews = 0;
	ss_rel_indexdesc = NULL;
	ss_rel_conowned = false;
	ss_rel_nsp = InvalidOid;
	ss_rel_members = NULL;
	ss_rel_members_read = false;
}

/*
 * rels_append
 *		Append a relation to one of the lists of read_schema_rels.
 */
static void
rels_append(SsRel ***list, int *n, int *max, SsRel *r)
{
	if (*n == *max)
	{
		*max *= 2;
		*list = repalloc(*list, *max * sizeof(SsRel *));
	}
	(*list)[(*n)++] = r;
}

/*
 * option_cmp
 *		qsort order of a view's options: bytewise, as string_agg(... ORDER
 *		BY o COLLATE "C") ordered them.
 */
static int
option_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *) a, *(char *const *) b);
}

/*
 * rel_class
 *		What ss_read_tables and ss_read_views read of a table's or a view's
 *		pg_class row: its persistence, row security flags, whether it is
 *		populated, its row type, its options (joined by ',', a view's sorted)
 *		and, for a partition, its bound's tree.
 */
static void
rel_class(SsRel *r, HeapTuple tup, TupleDesc desc)
{
	Form_pg_class cls = (Form_pg_class) GETSTRUCT(tup);
	bool		isnull;
	Datum		value;

	r->natts = cls->relnatts;
	r->persistence = cls->relpersistence;
	r->rowsecurity = cls->relrowsecurity;
	r->forcerowsecurity = cls->relforcerowsecurity;
	r->populated = cls->relispopulated;
	r->reltype = cls->reltype;
	value = heap_getattr(tup, Anum_pg_class_reloptions, desc, &isnull);
	if (!isnull)
	{
		Datum	   *elems;
		char	  **opts;
		int			nelems;
		StringInfoData buf;
		int			i;

		deconstruct_array(DatumGetArrayTypeP(value), TEXTOID, -1, false,
						  TYPALIGN_INT, &elems, NULL, &nelems);
		opts = palloc(Max(nelems, 1) * sizeof(char *));
		for (i = 0; i < nelems; i++)
			opts[i] = TextDatumGetCString(elems[i]);
		if (r->relkind == RELKIND_VIEW || r->relkind == RELKIND_MATVIEW)
			qsort(opts, nelems, sizeof(char *), option_cmp);
		initStringInfo(&buf);
		for (i = 0; i < nelems; i++)
		{
			if (i > 0)
				appendStringInfoChar(&buf, ',');
			appendStringInfoString(&buf, opts[i]);
		}
		if (nelems > 0)
			r->relopts = pstrdup(buf.data);
		pfree(buf.data);
		pfree(opts);
		pfree(elems);
	}
	if (cls->relispartition)
	{
		value = heap_getattr(tup, Anum_pg_class_relpartbound, desc, &isnull);
		if (!isnull)
			r->partbound = TextDatumGetCString(value);
	}
}

/* the capacities of the arrays read_schema_classes fills */
typedef struct SsClassMax
{
	int			indexes;
	int			sequences;
	int			tables;
	int			views;
} SsClassMax;

/*
 * class_row
 *		One pg_class row of the schema read_schema_classes reads: an SsRel in
 *		ss_rel_map and in the list of its kind.
 */
static void
class_row(HeapTuple tup, TupleDesc desc, SsClassMax *max)
{
	Form_pg_class cls = (Form_pg_class) GETSTRUCT(tup);
	SsRel	   *r = palloc0(sizeof(SsRel));
	bool		found;

	r->oid = cls->oid;
	r->relkind = cls->relkind;
	r->ispartition = cls->relispartition;
	r->typed = OidIsValid(cls->reloftype);
	r->relname = cls->relname;
	r->relam = cls->relam;
	ss_relhash_insert(ss_rel_map, r->oid, &found)->rel = r;
	if (r->relkind == RELKIND_INDEX || r->relkind == RELKIND_PARTITIONED_INDEX)
	{
		bool		isnull;
		Datum		opts = heap_getattr(tup, Anum_pg_class_reloptions, desc, &isnull);

		/* array_out needs an FmgrInfo: not a direct call */
		if (!isnull)
			r->reloptions = OidOutputFunctionCall(F_ARRAY_OUT, opts);
		rels_append(&ss_rel_indexes, &ss_rel_nindexes, &max->indexes, r);
	}
	else if (r->relkind == RELKIND_SEQUENCE)
		rels_append(&ss_rel_sequences, &ss_rel_nsequences, &max->sequences, r);
	else if (r->relkind == RELKIND_RELATION ||
			 r->relkind == RELKIND_PARTITIONED_TABLE)
	{
		rel_class(r, tup, desc);
		rels_append(&ss_rel_tables, &ss_rel_ntables, &max->tables, r);
	}
	else if (r->relkind == RELKIND_VIEW || r->relkind == RELKIND_MATVIEW)
	{
		rel_class(r, tup, desc);
		rels_append(&ss_rel_views, &ss_rel_nviews, &max->views, r);
	}
}

/*
 * class_rows_take
 *		Whether a slot of ss_class_rows holds the pg_class rows of nsp, read
 *		in the current command; if so, *taken is set to it and the slot is
 *		emptied for later readers.  The rows are the taker's, to read and
 *		then free with their context.
 */
static bool
class_rows_take(Oid nsp, SsClassRows *taken)
{
	int			i;

	for (i = 0; i < lengthof(ss_class_rows); i++)
	{
		SsClassRows *k = &ss_class_rows[i];

		if (k->cxt != NULL && k->nsp == nsp && rels_still(k->lxid, k->cid))
		{
			*taken = *k;
			k->cxt = NULL;
			return true;
		}
	}
	return false;
}

/*
 * ss_read_classes_ahead
 *		Read the pg_class rows of two schemas about to be read (the two
 *		sides of a diff) in one scan of pg_class, for read_schema_classes to
 *		take (ss_class_rows), instead of a scan of the whole catalog for
 *		each: a no-op diff of two 1,000-table schemas spent a tenth of its
 *		time in the two scans.  Each schema's rows are copied into a context
 *		of their own under the current one, which read_schema_classes
 *		deletes once it has read them: at 10,000 tables they are 33 MB,
 *		which were held to the end of the diff, and the models read after
 *		them now reuse that memory.  Nothing is read when the two are the
 *		same schema or either does not exist (the caller's checks report
 *		that).
 */
void
ss_read_classes_ahead(Oid a, Oid b)
{
	MemoryContext cxt[2];
	MemoryContext back = CurrentMemoryContext;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	LocalTransactionId lxid;
	CommandId	cid;
	int			max[2] = {256, 256};
	int			i;

	if (!OidIsValid(a) || !OidIsValid(b) || a == b)
		return;
	rels_now(&lxid, &cid);
	for (i = 0; i < 2; i++)
	{
		SsClassRows *k = &ss_class_rows[i];
		MemoryContextCallback *cb;

		cxt[i] = AllocSetContextCreate(back, "schemasync pg_class rows",
									   ALLOCSET_DEFAULT_SIZES);
		cb = MemoryContextAlloc(cxt[i], sizeof(MemoryContextCallback));
		cb->func = rels_kept_gone;
		cb->arg = cxt[i];
		MemoryContextRegisterResetCallback(cxt[i], cb);
		k->nsp = i == 0 ? a : b;
		k->lxid = lxid;
		k->cid = cid;
		k->cxt = NULL;
		k->rows = MemoryContextAlloc(cxt[i], max[i] * sizeof(HeapTuple));
		k->nrows = 0;
	}

	scan = ss_scan_begin(RelationRelationId, 0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Oid			nsp = ((Form_pg_class) GETSTRUCT(tup))->relnamespace;

		i = nsp == a ? 0 : (nsp == b ? 1 : -1);
		if (i < 0)
			continue;
		if (ss_class_rows[i].nrows == max[i])
		{
			max[i] *= 2;
			ss_class_rows[i].rows = repalloc(ss_class_rows[i].rows,
											 max[i] * sizeof(HeapTuple));
		}
		MemoryContextSwitchTo(cxt[i]);
		ss_class_rows[i].rows[ss_class_rows[i].nrows++] = heap_copytuple(tup);
		MemoryContextSwitchTo(back);
	}
	ss_scan_end(scan, rel);
	ss_class_rows[0].cxt = cxt[0];
	ss_class_rows[1].cxt = cxt[1];
	for (i = 0; i < 2; i++)
	{
		ss_ahead_sizes[i].nsp = ss_class_rows[i].nsp;
		ss_ahead_sizes[i].lxid = lxid;
		ss_ahead_sizes[i].cid = cid;
		ss_ahead_sizes[i].nrows = ss_class_rows[i].nrows;
	}
}

/*
 * ss_classes_ahead_rows
 *		How many pg_class rows ss_read_classes_ahead read of schema nsp, while
 *		no command has run since; else -1.
 */
int
ss_classes_ahead_rows(Oid nsp)
{
	int			i;

	for (i = 0; i < lengthof(ss_ahead_sizes); i++)
		if (ss_ahead_sizes[i].nsp == nsp &&
			rels_still(ss_ahead_sizes[i].lxid, ss_ahead_sizes[i].cid))
			return ss_ahead_sizes[i].nrows;
	return -1;
}

/*
 * ss_classes_ahead_forget
 *		Free the pg_class rows of schema nsp that were read ahead or kept by
 *		the check for unmodeled objects, which no read of this backend will
 *		take (a parallel worker reads that schema, parallel.c).
 */
void
ss_classes_ahead_forget(Oid nsp)
{
	int			i;

	/* deleting a context empties its slot (rels_kept_gone) */
	for (i = 0; i < lengthof(ss_class_rows); i++)
		if (ss_class_rows[i].cxt != NULL && ss_class_rows[i].nsp == nsp)
			MemoryContextDelete(ss_class_rows[i].cxt);
	for (i = 0; i < lengthof(ss_rels_kept); i++)
		if (ss_rels_kept[i].cxt != NULL && ss_rels_kept[i].nsp == nsp)
			MemoryContextDelete(ss_rels_kept[i].cxt);
}

/*
 * read_schema_classes
 *		The first part of read_schema_rels: the schema's pg_class rows, one
 *		scan of pg_class keyed by namespace (or the rows read ahead for it,
 *		ss_read_classes_ahead), into a new ss_rel_cxt (a child of
 *		ss_model_cxt), ss_rel_map and the lists of indexes, sequences,
 *		tables and views.
 */
static void
read_schema_classes(Oid nsp)
{
	MemoryContext back;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	SsClassMax	max = {64, 64, 64, 64};
	SsClassRows ahead;
	bool		taken = class_rows_take(nsp, &ahead);

	ss_rel_cxt = AllocSetContextCreate(ss_model_cxt, "schemasync schema relations",
									   ALLOCSET_DEFAULT_SIZES);
	back = MemoryContextSwitchTo(ss_rel_cxt);
	ss_rel_map = ss_relhash_create(ss_rel_cxt, 1024, NULL);
	ss_rel_indexes = palloc(max.indexes * sizeof(SsRel *));
	ss_rel_sequences = palloc(max.sequences * sizeof(SsRel *));
	ss_rel_tables = palloc(max.tables * sizeof(SsRel *));
	ss_rel_views = palloc(max.views * sizeof(SsRel *));

	if (taken)
	{
		int			i;

		rel = table_open(RelationRelationId, AccessShareLock);
		for (i = 0; i < ahead.nrows; i++)
			class_row(ahead.rows[i], RelationGetDescr(rel), &max);
		table_close(rel, AccessShareLock);
		/* an SsRel keeps nothing of its row */
		MemoryContextDelete(ahead.cxt);
	}
	else
	{
		scan = ss_scan_begin(RelationRelationId, Anum_pg_class_relnamespace, nsp, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
			class_row(tup, RelationGetDescr(rel), &max);
		ss_scan_end(scan, rel);
	}
	MemoryContextSwitchTo(back);
}

/*
 * rels_kept_gone
 *		Empty the slots of ss_rels_kept and ss_class_rows whose context is
 *		being deleted (a reset callback).
 */
static void
rels_kept_gone(void *arg)
{
	int			i;

	for (i = 0; i < lengthof(ss_rels_kept); i++)
		if (ss_rels_kept[i].cxt == (MemoryContext) arg)
			ss_rels_kept[i].cxt = NULL;
	for (i = 0; i < lengthof(ss_class_rows); i++)
		if (ss_class_rows[i].cxt == (MemoryContext) arg)
			ss_class_rows[i].cxt = NULL;
}

/*
 * rels_now
 *		The local transaction and command ID now: a statement that changes
 *		the catalog advances the command ID.
 */
static void
rels_now(LocalTransactionId *lxid, CommandId *cid)
{
#if PG_VERSION_NUM >= 170000
	*lxid = MyProc->vxid.lxid;
#else
	*lxid = MyProc->lxid;
#endif
	*cid = GetCurrentCommandId(false);
}

/*
 * rels_still
 *		Whether the local transaction and command ID are still those given:
 *		no command has run since they were taken (rels_now).
 */
static bool
rels_still(LocalTransactionId lxid, CommandId cid)
{
	LocalTransactionId nowlxid;
	CommandId	nowcid;

	rels_now(&nowlxid, &nowcid);
	return nowlxid == lxid && nowcid == cid;
}

/*
 * rels_keep
 *		Read the pg_class rows of a schema for the check for unmodeled
 *		objects and keep them for the read that follows (ss_rels_kept);
 *		returns the slot.  What ss_rel and ss_rels serve is left as it was.
 */
static SsRelsKept *
rels_keep(Oid nsp)
{
	SsRelsKept *k = &ss_rels_kept[ss_rels_kept_next];
	MemoryContext cxt = ss_rel_cxt;
	ss_relhash_hash *map = ss_rel_map;
	SsRel	  **indexes = ss_rel_indexes;
	SsRel	  **sequences = ss_rel_sequences;
	SsRel	  **tables = ss_rel_tables;
	SsRel	  **views = ss_rel_views;
	int			nindexes = ss_rel_nindexes;
	int			nsequences = ss_rel_nsequences;
	int			ntables = ss_rel_ntables;
	int			nviews = ss_rel_nviews;
	TupleDesc	indexdesc = ss_rel_indexdesc;
	HTAB	   *members = ss_rel_members;
	bool		members_read = ss_rel_members_read;
	Oid			relnsp = ss_rel_nsp;
	MemoryContextCallback *cb;

	ss_rels_kept_next = (ss_rels_kept_next + 1) % lengthof(ss_rels_kept);
	rels_forget();
	read_schema_classes(nsp);
	rels_now(&k->lxid, &k->cid);
	k->nsp = nsp;
	k->cxt = ss_rel_cxt;
	k->map = ss_rel_map;
	k->indexes = ss_rel_indexes;
	k->nindexes = ss_rel_nindexes;
	k->sequences = ss_rel_sequences;
	k->nsequences = ss_rel_nsequences;
	k->tables = ss_rel_tables;
	k->ntables = ss_rel_ntables;
	k->views = ss_rel_views;
	k->nviews = ss_rel_nviews;
	cb = MemoryContextAlloc(k->cxt, sizeof(MemoryContextCallback));
	cb->func = rels_kept_gone;
	cb->arg = k->cxt;
	MemoryContextRegisterResetCallback(k->cxt, cb);

	ss_rel_cxt = cxt;
	ss_rel_map = map;
	ss_rel_indexes = indexes;
	ss_rel_sequences = sequences;
	ss_rel_tables = tables;
	ss_rel_views = views;
	ss_rel_nindexes = nindexes;
	ss_rel_nsequences = nsequences;
	ss_rel_ntables = ntables;
	ss_rel_nviews = nviews;
	ss_rel_indexdesc = indexdesc;
	ss_rel_nsp = relnsp;
	ss_rel_members = members;
	ss_rel_members_read = members_read;
	return k;
}

/*
 * rels_adopt
 *		Take the pg_class rows of a schema the check for unmodeled objects
 *		read in the current command, if it did, as read_schema_classes would
 *		read them: their context becomes ss_rel_cxt, in ss_model_cxt.
 */
static bool
rels_adopt(Oid nsp)
{
	int			i;

	for (i = 0; i < lengthof(ss_rels_kept); i++)
	{
		SsRelsKept *k = &ss_rels_kept[i];

		if (k->cxt == NULL || k->nsp != nsp || !rels_still(k->lxid, k->cid))
			continue;
		ss_rel_cxt = k->cxt;
		ss_rel_map = k->map;
		ss_rel_indexes = k->indexes;
		ss_rel_nindexes = k->nindexes;
		ss_rel_sequences = k->sequences;
		ss_rel_nsequences = k->nsequences;
		ss_rel_tables = k->tables;
		ss_rel_ntables = k->ntables;
		ss_rel_views = k->views;
		ss_rel_nviews = k->nviews;
		MemoryContextSetParent(ss_rel_cxt, ss_model_cxt);
		k->cxt = NULL;
		return true;
	}
	return false;
}

/*
 * read_schema_rels
 *		The pg_class rows of a schema, read once for all the readers that
 *		need them (ss_rel, ss_rels): one scan of pg_class keyed by namespace
 *		(read_schema_classes; or those the check for unmodeled objects read
 *		just before, in the same command: rels_adopt),
 *		then for the indexes one heap scan of pg_index, and for the
 *		sequences one heap scan of pg_sequence and the range of pg_depend's
 *		depender index from the first sequence to the last (ownership and
 *		identity; a heap scan of pg_depend, a large catalog, would cost
 *		more).  Only what the readers use is kept.
 */
static void
read_schema_rels(Oid nsp)
{
	MemoryContext back;
	SsRelWalk	walk;
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	Oid			minoid;
	Oid			maxoid;

	if (!rels_adopt(nsp))
		read_schema_classes(nsp);
	ss_rel_nsp = nsp;
	back = MemoryContextSwitchTo(ss_rel_cxt);

	/* the indexes' pg_index rows */
	if (ss_rel_nindexes > 0)
	{
		ss_rel_walk_begin(&walk, ss_rel_indexes, ss_rel_nindexes);
		scan = ss_rels_scan_begin(IndexRelationId, IndexRelidIndexId,
								  Anum_pg_index_indexrelid, 0, InvalidOid,
								  ss_rel_indexes, ss_rel_nindexes, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			SsRel	   *r = ss_rel_walk(&walk, ((Form_pg_index) GETSTRUCT(tup))->indexrelid);

			if (r != NULL)
				r->indextup = heap_copytuple(tup);
		}
		ss_rel_indexdesc = CreateTupleDescCopy(RelationGetDescr(rel));
		ss_scan_end(scan, rel);
		ss_rel_walk_end(&walk);
	}

	if (ss_rel_nsequences == 0)
	{
		MemoryContextSwitchTo(back);
		return;
	}

	/* the sequences' parameters */
	ss_rel_walk_begin(&walk, ss_rel_sequences, ss_rel_nsequences);
	scan = ss_rels_scan_begin(SequenceRelationId, SequenceRelidIndexId,
							  Anum_pg_sequence_seqrelid, 0, InvalidOid,
							  ss_rel_sequences, ss_rel_nsequences, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_sequence seq = (Form_pg_sequence) GETSTRUCT(tup);
		SsRel	   *r = ss_rel_walk(&walk, seq->seqrelid);

		if (r == NULL)
			continue;
		r->seq = palloc(sizeof(FormData_pg_sequence));
		memcpy(r->seq, seq, sizeof(FormData_pg_sequence));
	}
	ss_scan_end(scan, rel);

	/*
	 * What the sequences depend on: a column owns them or has them as
	 * identity.  Their whole range, however far apart they are.
	 */
	(void) rels_oid_range(ss_rel_sequences, ss_rel_nsequences, &minoid, &maxoid);
	rel = table_open(DependRelationId, AccessShareLock);
	scan = ss_depend_range_begin(rel, RelationRelationId, minoid, maxoid);
	ss_rel_walk_reset(&walk);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_depend dep = (Form_pg_depend) GETSTRUCT(tup);
		bool		column = (dep->refclassid == RelationRelationId &&
							  dep->refobjsubid > 0);
		SsRel	   *r;

		if ((dep->deptype != DEPENDENCY_INTERNAL && dep->deptype != DEPENDENCY_AUTO) ||
			(r = ss_rel_walk(&walk, dep->objid)) == NULL)
			continue;
		if (dep->deptype == DEPENDENCY_INTERNAL)
		{
			r->seqinternal = true;
			if (column)
			{
				r->idrel = dep->refobjid;
				r->idatt = dep->refobjsubid;
			}
		}
		else if (column)
		{
			r->ownrel = dep->refobjid;
			r->ownatt = dep->refobjsubid;
		}
	}
	ss_scan_end(scan, rel);
	ss_rel_walk_end(&walk);
	MemoryContextSwitchTo(back);
}

/*
 * ss_rel
 *		The pg_class row of a relation of the schema being read, or NULL
 *		when it is not one.
 */
SsRel *
ss_rel(Oid relid)
{
	return ss_rel_map ? rels_lookup(ss_rel_map, relid) : NULL;
}

/*
 * rel_visible
 *		RelationIsVisible of a relation of the schema being read, from its
 *		pg_class row as read, while search_path is that schema alone (the
 *		schema is then searched after the session's temporary schema, if it
 *		has one, and pg_catalog): visible unless one of those two holds a
 *		relation of the same name, as RelationIsVisible decides.  In a new
 *		session RelationIsVisible's own lookup of the row by OID is a
 *		catalog read per relation.  -1 when search_path is not so, for the
 *		caller to ask RelationIsVisible.
 */
static int
rel_visible(SsRel *r)
{
	Oid			path[3];
	Oid			temp;
	Oid			temptoast;

	if (!OidIsValid(ss_rel_nsp) ||
		fetch_search_path_array(path, lengthof(path)) != 2 ||
		path[0] != PG_CATALOG_NAMESPACE || path[1] != ss_rel_nsp)
		return -1;
	GetTempNamespaceState(&temp, &temptoast);
	if (OidIsValid(temp) && OidIsValid(get_relname_relid(NameStr(r->relname), temp)))
		return 0;
	return !OidIsValid(get_relname_relid(NameStr(r->relname), PG_CATALOG_NAMESPACE));
}

/*
 * ss_rel_visible
 *		Whether search_path shows a relation of the schema being read
 *		unqualified (RelationIsVisible), asked once per relation: its rows
 *		are read with search_path set to that schema, all in one command.
 *		A view's tree names its table once per column it takes from it
 *		(resorigtbl), and RelationIsVisible looks the relation up in the
 *		catalog cache each time, with its first lookup of each in a new
 *		session a catalog read; rel_visible decides from the row read.
 */
bool
ss_rel_visible(SsRel *r)
{
	if (r->visible == '\0')
	{
		int			v = rel_visible(r);

		if (v < 0)
			v = RelationIsVisible(r->oid);
		r->visible = v ? 't' : 'f';
	}
	return r->visible == 't';
}

/*
 * ss_rel_constraint_owned
 *		Whether a constraint owns an index of the schema being read: true or
 *		false, or -1 when that was not read (the caller finds out itself).
 */
int
ss_rel_constraint_owned(SsRel *r)
{
	return ss_rel_conowned ? (int) r->conowned : -1;
}

/*
 * ss_rel_set_constraint_owned
 *		Say, while reading the constraints of the schema's tables, that a
 *		constraint owns index indexid (a primary key, unique or exclusion
 *		constraint's conindid: the index has an internal dependency on it);
 *		with indexid InvalidOid, that all of them were seen, so that
 *		ss_rel_constraint_owned answers.  The constraints scan tells it at no
 *		cost where pg_depend's rows of the indexes took a range scan of
 *		their own (6% of a no-op diff of two 1,000-table schemas).
 */
void
ss_rel_set_constraint_owned(Oid indexid)
{
	SsRel	   *r;

	if (!OidIsValid(indexid))
		ss_rel_conowned = true;
	else if ((r = ss_rel(indexid)) != NULL &&
			 (r->relkind == RELKIND_INDEX || r->relkind == RELKIND_PARTITIONED_INDEX))
		r->conowned = true;
}

/*
 * rel_oid_cmp
 *		qsort order of relations: by OID.
 */
static int
rel_oid_cmp(const void *a, const void *b)
{
	Oid			x = (*(SsRel *const *) a)->oid;
	Oid			y = (*(SsRel *const *) b)->oid;

	return x < y ? -1 : (x > y ? 1 : 0);
}

/*
 * ss_rel_walk_begin
 *		Prepare to find, among n relations of the schema read, the ones a
 *		scan in OID order meets (ss_rel_walk): a copy of them sorted by OID
 *		(pg_class's order often is already).  A scan over the OIDs of the
 *		schema's relations meets tens of thousands of them at 10,000 tables,
 *		and a lookup of each in the relations' hash table was a cache miss.
 */
void
ss_rel_walk_begin(SsRelWalk *w, SsRel **rels, int n)
{
	int			i;

	w->rels = palloc(Max(n, 1) * sizeof(SsRel *));
	if (n > 0)
		memcpy(w->rels, rels, n * sizeof(SsRel *));
	w->n = n;
	for (i = 1; i < n; i++)
		if (rels[i - 1]->oid > rels[i]->oid)
		{
			qsort(w->rels, n, sizeof(SsRel *), rel_oid_cmp);
			break;
		}
	ss_rel_walk_reset(w);
}

/*
 * ss_rel_walk_reset
 *		Start a walk over the same relations again, for another scan.
 */
void
ss_rel_walk_reset(SsRelWalk *w)
{
	w->pos = 0;
	w->last = InvalidOid;
}

/*
 * ss_rel_walk
 *		The relation of a walk (ss_rel_walk_begin) whose OID is relid, or
 *		NULL when it is not one of them: a step forward while the OIDs asked
 *		for rise, a binary search when one falls (a scan in another order is
 *		answered all the same).
 */
SsRel *
ss_rel_walk(SsRelWalk *w, Oid relid)
{
	int			lo;
	int			hi;

	if (relid >= w->last)
	{
		while (w->pos < w->n && w->rels[w->pos]->oid < relid)
			w->pos++;
		w->last = relid;
		return (w->pos < w->n && w->rels[w->pos]->oid == relid) ?
			w->rels[w->pos] : NULL;
	}
	lo = 0;
	hi = w->n - 1;
	while (lo <= hi)
	{
		int			mid = lo + (hi - lo) / 2;
		Oid			oid = w->rels[mid]->oid;

		if (oid == relid)
			return w->rels[mid];
		if (oid < relid)
			lo = mid + 1;
		else
			hi = mid - 1;
	}
	return NULL;
}

/*
 * ss_rel_walk_end
 *		Free what ss_rel_walk_begin allocated.
 */
void
ss_rel_walk_end(SsRelWalk *w)
{
	pfree(w->rels);
	w->rels = NULL;
}

/*
 * ss_rels
 *		The indexes (RELKIND_INDEX: partitioned ones too), the tables
 *		(RELKIND_RELATION: partitioned ones too), the views (RELKIND_VIEW:
 *		materialized ones too) or the sequences (RELKIND_SEQUENCE) of the
 *		schema being read, in pg_class's order; *n is set to their number.
 */
SsRel **
ss_rels(char relkind, int *n)
{
	if (relkind == RELKIND_INDEX)
	{
		*n = ss_rel_nindexes;
		return ss_rel_indexes;
	}
	if (relkind == RELKIND_RELATION)
	{
		*n = ss_rel_ntables;
		return ss_rel_tables;
	}
	if (relkind == RELKIND_VIEW)
	{
		*n = ss_rel_nviews;
		return ss_rel_views;
	}
	Assert(relkind == RELKIND_SEQUENCE);
	*n = ss_rel_nsequences;
	return ss_rel_sequences;
}

/*
 * rel_name_cmp
 *		qsort order of relations: by name, bytewise.
 */
static int
rel_name_cmp(const void *a, const void *b)
{
	return strcmp(NameStr((*(SsRel *const *) a)->relname),
				  NameStr((*(SsRel *const *) b)->relname));
}

/*
 * ss_rels_members
 *		The relations that are members of an extension, as an OID map
 *		(ss_extension_members), or NULL when there are none: read once per
 *		read of a schema, in the context of its pg_class rows, for all the
 *		readers that leave members out.
 */
HTAB *
ss_rels_members(void)
{
	if (!ss_rel_members_read)
	{
		MemoryContext back = MemoryContextSwitchTo(ss_rel_cxt);

		ss_rel_members = ss_extension_members(RelationRelationId);
		ss_rel_members_read = true;
		MemoryContextSwitchTo(back);
	}
	return ss_rel_members;
}

/*
 * ss_rels_modeled
 *		The relations ss_rels gives of a kind but the members of extensions,
 *		in a new array sorted by name, bytewise (as ORDER BY relname COLLATE
 *		"C" sorted them): the order the readers add them to the model in.
 *		*n is set to their number; NULL when there are none.
 */
SsRel **
ss_rels_modeled(char relkind, int *n)
{
	SsRel	  **all;
	SsRel	  **rows;
	HTAB	   *members;
	int			nall;
	int			i;

	*n = 0;
	all = ss_rels(relkind, &nall);
	if (nall == 0)
		return NULL;
	members = ss_rels_members();
	rows = palloc(nall * sizeof(SsRel *));
	for (i = 0; i < nall; i++)
		if (ss_oid_map_get(members, all[i]->oid) < 0)
			rows[(*n)++] = all[i];
	if (*n == 0)
	{
		pfree(rows);
		return NULL;
	}
	qsort(rows, *n, sizeof(SsRel *), rel_name_cmp);
	return rows;
}

/*
 * ss_rel_index_desc
 *		The tuple descriptor of pg_index, for the rows of ss_rel; NULL when
 *		the schema has no index.
 */
TupleDesc
ss_rel_index_desc(void)
{
	return ss_rel_indexdesc;
}

/*
 * lookup_addr
 *		The object a catalog address maps to; a sub-object address that is
 *		not modelled falls back to its whole object (a column to its table).
 */
static SsObject *
lookup_addr(Oid classid, Oid objid, int32 objsubid)
{
	SsObject   *obj = ss_lookup_addr(classid, objid, objsubid);

	if (obj == NULL && objsubid != 0)
		obj = ss_lookup_addr(classid, objid, 0);
	return obj;
}

/*
 * dependency_row
 *		One pg_depend row, for read_dependencies: when both its ends are
 *		objects of the model, a dependency of the model.  A row whose
 *		referenced end may be a member of one of the model's extensions
 *		(hasext) is kept in *pending, copied.
 */
static void
dependency_row(Form_pg_depend dep, bool hasext, List **pending)
{
	SsObject   *from;
	SsObject   *to;
	int			flags = SS_DEP_NORMAL;

	/*
	 * A member of an extension of the model stands for the extension: what
	 * uses the member depends on the extension.
	 */
	if (hasext && dep->deptype == DEPENDENCY_EXTENSION &&
		dep->refclassid == ExtensionRelationId &&
		(to = ss_lookup_addr(ExtensionRelationId, dep->refobjid, 0)) != NULL &&
		ss_lookup_addr(dep->classid, dep->objid, 0) == NULL)
	{
		ss_register_addr(dep->classid, dep->objid, 0, to);
		return;
	}
	if (dep->deptype != DEPENDENCY_NORMAL &&
		dep->deptype != DEPENDENCY_AUTO &&
		dep->deptype != DEPENDENCY_INTERNAL)
		return;
	from = lookup_addr(dep->classid, dep->objid, dep->objsubid);
	if (from == NULL)
		return;
	to = lookup_addr(dep->refclassid, dep->refobjid, dep->refobjsubid);
	/* maybe a member of an extension, known once the scan is done */
	if (to == NULL && hasext)
	{
		Form_pg_depend copy = palloc(sizeof(FormData_pg_depend));

		memcpy(copy, dep, sizeof(FormData_pg_depend));
		*pending = lappend(*pending, copy);
		return;
	}
	if (to == NULL || to == from)
		return;

	/*
	 * A sequence OWNED BY a column: the column's default usually needs the
	 * sequence, so for creation the ownership is a separate late step, and
	 * the edge only orders drops.
	 */
	if (from->kind == SS_SEQUENCE && to->kind == SS_COLUMN &&
		dep->deptype == DEPENDENCY_AUTO)
		flags = SS_DEP_OWNED;
	ss_object_add_dep_on(from, to, flags);
}

/*
 * read_dependencies
 *		The pg_depend rows whose both ends are objects of the model become
 *		dependencies of the model.  When the model's objects of each catalog
 *		have close OIDs (ss_oid_range), one scan of pg_depend's index on the
 *		depending object per catalog, over that catalog's range: a model
 *		holds every depending end of the rows wanted.  Else, and for a model
 *		with extensions (whose members are not registered when the scan
 *		starts), one heap scan of all of pg_depend.
 */
static void
read_dependencies(SsModel *m)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	bool		hasext = false;
	bool		ranges;
	List	   *pending = NIL;
	ListCell   *lc;
	int			i;

	/* the defaults' addresses that wait, for the rows that name them */
	defaults_catch_up();

	/* a model with extensions maps their members to them (below) */
	foreach(lc, m->objects)
		if (((SsObject *) lfirst(lc))->kind == SS_EXTENSION)
			hasext = true;

	ranges = !hasext && ss_n_oid_ranges < SS_MAX_OID_RANGES;
	for (i = 0; ranges && i < ss_n_oid_ranges; i++)
	{
		Oid			lo;
		Oid			hi;

		ranges = ss_oid_range(ss_oid_ranges[i].classid, &lo, &hi);
	}
	if (ranges)
	{
		int			n = ss_n_oid_ranges;

		/* the scans do not register addresses: the ranges stay as they are */
		rel = table_open(DependRelationId, AccessShareLock);
		for (i = 0; i < n; i++)
		{
			Oid			lo;
			Oid			hi;

			(void) ss_oid_range(ss_oid_ranges[i].classid, &lo, &hi);
			scan = ss_depend_range_begin(rel, ss_oid_ranges[i].classid, lo, hi);
			while (HeapTupleIsValid(tup = systable_getnext(scan)))
				dependency_row((Form_pg_depend) GETSTRUCT(tup), false, &pending);
			systable_endscan(scan);
		}
		table_close(rel, AccessShareLock);
		return;
	}

	scan = ss_scan_begin(DependRelationId, 0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
		dependency_row((Form_pg_depend) GETSTRUCT(tup), hasext, &pending);
	ss_scan_end(scan, rel);

	foreach(lc, pending)
	{
		Form_pg_depend dep = lfirst(lc);
		SsObject   *from = lookup_addr(dep->classid, dep->objid, dep->objsubid);
		SsObject   *to = ss_lookup_addr(dep->refclassid, dep->refobjid, 0);

		if (to != NULL && to->kind == SS_EXTENSION && to != from)
			ss_object_add_dep_on(from, to, SS_DEP_NORMAL);
	}
}

/*
 * expect_objects
 *		Size the key table of the model being read and the address map from
 *		what the schema's pg_class rows tell (read_schema_rels): about an
 *		object per relation, per column of a table and per table besides (a
 *		constraint or two), and about two addresses per such object but a
 *		column (a table's row type, a view's rule, a constraint's index);
 *		the defaults' addresses wait (ss_register_default_addr), and the map
 *		grows for them only when they enter it.  Grown by doubling from 256 and
 *		1,024 entries, at 10,000 tables they were copied eleven and eight
 *		times, each copy in memory touched anew.
 */
static void
expect_objects(SsModel *m)
{
	int			natts = 0;
	int			nrels = ss_rel_nindexes + ss_rel_nsequences + ss_rel_nviews +
		2 * ss_rel_ntables;
	int			i;
	uint64		addrs;

	for (i = 0; i < ss_rel_ntables; i++)
		natts += ss_rel_tables[i]->natts;
	ss_model_expect(m, nrels + natts);
	addrs = (uint64) ((2 * nrels) / 0.9) + 1;
	if (addrs > ss_addrmap->size)
		ss_addrhash_grow(ss_addrmap, addrs);
}

/*
 * read_relation_comments
 *		The comments on the schema's sequences, tables, columns and indexes,
 *		once all four are read: one scan of pg_description over the OIDs of
 *		its relations.  A view's (read with its rows, kind_view.c) and those
 *		registered for another kind (a constraint's index) are left alone.
 */
static void
read_relation_comments(void)
{
	static const SsKind kinds[] = {SS_SEQUENCE, SS_TABLE, SS_COLUMN, SS_INDEX};
	static const int props[] = {SP_COMMENT, TP_COMMENT, CP_COMMENT, IP_COMMENT};

	ss_read_comments_of(RelationRelationId, kinds, props, lengthof(kinds));
}

/*
 * ss_read_schema
 *		The model of one schema, read with search_path set to it.  Must be
 *		called while connected to SPI; the model is built in the memory
 *		context current at the call.
 */
SsModel *
ss_read_schema(const char *schema)
{
	MemoryContext cxt = CurrentMemoryContext;
	MemoryContext spicxt;
	SsModel    *m;
	Oid			nsp;
	int			nest;

	nsp = ss_check_schema(schema, "schema");
	m = ss_model_create(schema);
	m->defer = true;
	m->nsp_read = true;
	m->raw_read = ss_read_raw;
	m->exts_read = ss_read_exts;
	ss_model_cxt = cxt;
	/* a read that failed left them in a context since freed */
	ss_scratch_cxt = NULL;
	rels_forget();
	ss_addrmap = ss_addrhash_create(cxt, 1024, NULL);
	ss_pending_defaults = NULL;
	ss_npending_defaults = ss_maxpending_defaults = 0;
	ss_n_oid_ranges = 0;

	nest = ss_push_search_path(schema);
	ss_set_reader_gucs();
	spicxt = MemoryContextSwitchTo(cxt);

	read_schema_rels(nsp);
	expect_objects(m);

	ss_read_collations(m, nsp);
	ss_read_sequences(m, nsp);
	ss_read_tables(m, nsp);
	ss_read_columns(m, nsp);
	ss_read_constraints(m, nsp);
	ss_read_views(m, nsp);
	ss_read_indexes(m, nsp);
	read_relation_comments();
	ss_read_types(m, nsp);
	ss_read_functions(m, nsp);
	ss_read_triggers(m, nsp);
	ss_read_policies(m, nsp);
	ss_read_inherited_objects(m, nsp);
	ss_read_extensions(m, nsp);
	/* last: privileges are looked up by the addresses of all the others */
	if (ss_read_acls)
		ss_read_privileges(m, nsp);

	/*
	 * The dependencies wait until something asks for them, when the schema
	 * stays in the catalog, unchanged, for the whole diff (ss_read_raw).
	 */
	if (!ss_read_raw)
		read_dependencies(m);

	MemoryContextSwitchTo(spicxt);
	ss_pop_search_path(nest);

	if (ss_scratch_cxt != NULL)
		MemoryContextDelete(ss_scratch_cxt);
	ss_scratch_cxt = NULL;
	ss_model_link_parents(m);
	if (ss_read_raw)
	{
		m->addrmap = ss_addrmap;
		m->pending_defaults = ss_pending_defaults;
		m->npending_defaults = ss_npending_defaults;
		m->cxt = cxt;
		m->noidranges = ss_n_oid_ranges;
		m->oidranges = MemoryContextAlloc(cxt, sizeof(SsOidRange) * ss_n_oid_ranges + 1);
		memcpy(m->oidranges, ss_oid_ranges, sizeof(SsOidRange) * ss_n_oid_ranges);
	}
	else
	{
		ss_model_link_deps(m);
		ss_addrhash_destroy(ss_addrmap);
	}
	ss_addrmap = NULL;
	ss_pending_defaults = NULL;
	ss_npending_defaults = ss_maxpending_defaults = 0;
	MemoryContextDelete(ss_rel_cxt);
	rels_forget();
	return m;
}

/*
 * ss_model_load_deps
 *		Read the dependencies of a model read from the catalog whose
 *		dependencies were left for later (ss_read_schema), and fill its
 *		deps and dependents links; then its address map is freed.
 */
void
ss_model_load_deps(SsModel *m)
{
	MemoryContext back;
	MemoryContext oldmodelcxt = ss_model_cxt;

	if (m->linked)
		return;
	/* a model built otherwise (an empty one) has its lists as they are */
	if (m->addrmap == NULL)
	{
		m->linked = true;
		return;
	}
	back = MemoryContextSwitchTo(m->cxt);
	ss_model_cxt = m->cxt;
	ss_addrmap = (ss_addrhash_hash *) m->addrmap;
	ss_pending_defaults = m->pending_defaults;
	ss_npending_defaults = ss_maxpending_defaults = m->npending_defaults;
	m->npending_defaults = 0;
	/* the OID ranges are the model's, as its reading left them */
	ss_n_oid_ranges = m->noidranges;
	memcpy(ss_oid_ranges, m->oidranges, sizeof(SsOidRange) * m->noidranges);
	PG_TRY();
	{
		read_dependencies(m);
		ss_model_link_deps(m);
	}
	PG_FINALLY();
	{
		ss_addrmap = NULL;
		ss_pending_defaults = NULL;
		ss_npending_defaults = ss_maxpending_defaults = 0;
		ss_model_cxt = oldmodelcxt;
	}
	PG_END_TRY();
	ss_addrhash_destroy((ss_addrhash_hash *) m->addrmap);
	m->addrmap = NULL;
	MemoryContextSwitchTo(back);
}

/*
 * ss_model_write_unlinked
 *		Append to buf what a model read with raw keys and not linked yet
 *		keeps for reading its dependencies later (ss_model_load_deps): its
 *		address map, the defaults' addresses waiting to enter it and its
 *		OID ranges, each object by its number in the model's list
 *		(number(obj, arg)), for ss_model_read_unlinked to give the copy of
 *		the model made in another process (parallel.c).
 */
void
ss_model_write_unlinked(StringInfo buf, SsModel *m,
						int32 (*number) (SsObject *obj, void *arg), void *arg)
{
	ss_addrhash_hash *map = (ss_addrhash_hash *) m->addrmap;
	SsPendingAddr *pending = (SsPendingAddr *) m->pending_defaults;
	ss_addrhash_iterator it;
	SsAddrEntry *e;
	int32		n;
	int			i;

	Assert(!m->linked && map != NULL);
	n = map->members;
	appendBinaryStringInfo(buf, (char *) &n, sizeof(n));
	ss_addrhash_start_iterate(map, &it);
	while ((e = ss_addrhash_iterate(map, &it)) != NULL)
	{
		int32		obj = e->obj != NULL ? number(e->obj, arg) : -1;
		int32		nsubs = e->nsubs;

		appendBinaryStringInfo(buf, (char *) &e->addr, sizeof(SsAddr));
		appendBinaryStringInfo(buf, (char *) &obj, sizeof(obj));
		appendBinaryStringInfo(buf, (char *) &nsubs, sizeof(nsubs));
		for (i = 0; i < nsubs; i++)
		{
			int32		sub = e->subs[i] != NULL ? number(e->subs[i], arg) : -1;

			appendBinaryStringInfo(buf, (char *) &sub, sizeof(sub));
		}
	}
	n = m->npending_defaults;
	appendBinaryStringInfo(buf, (char *) &n, sizeof(n));
	for (i = 0; i < n; i++)
	{
		int32		obj = number(pending[i].obj, arg);

		appendBinaryStringInfo(buf, (char *) &pending[i].objid, sizeof(Oid));
		appendBinaryStringInfo(buf, (char *) &obj, sizeof(obj));
	}
	n = m->noidranges;
	appendBinaryStringInfo(buf, (char *) &n, sizeof(n));
	appendBinaryStringInfo(buf, (char *) m->oidranges, n * sizeof(SsOidRange));
}

/*
 * unlinked_int
 *		The next int32 of what ss_model_write_unlinked wrote, at *p, which it
 *		moves past; an error past end.
 */
static int32
unlinked_int(const char **p, const char *end)
{
	int32		v;

	if (end - *p < (ptrdiff_t) sizeof(v))
		elog(ERROR, "schemasync: a model's addresses end early");
	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

/*
 * unlinked_object
 *		The object of number i of objs (n of them), NULL for -1; an error
 *		for any other number out of range.
 */
static SsObject *
unlinked_object(int32 i, SsObject **objs, int n)
{
	if (i == -1)
		return NULL;
	if (i < 0 || i >= n)
		elog(ERROR, "schemasync: a model's address names object %d of %d", i, n);
	return objs[i];
}

/*
 * ss_model_read_unlinked
 *		Give model m, made of objs (its n objects in order), the state that
 *		ss_model_write_unlinked wrote at p of the model it copies, in the
 *		current memory context, which is m's; returns where that ends.
 */
const char *
ss_model_read_unlinked(const char *p, const char *end, SsModel *m,
					   SsObject **objs, int n)
{
	ss_addrhash_hash *map;
	SsPendingAddr *pending;
	int32		count;
	int			i;
	int			j;

	count = unlinked_int(&p, end);
	map = ss_addrhash_create(CurrentMemoryContext, Max(1024, count), NULL);
	for (i = 0; i < count; i++)
	{
		SsAddr		addr;
		SsAddrEntry *e;
		bool		found;
		int32		nsubs;

		if (end - p < (ptrdiff_t) sizeof(SsAddr))
			elog(ERROR, "schemasync: a model's addresses end early");
		memcpy(&addr, p, sizeof(SsAddr));
		p += sizeof(SsAddr);
		e = ss_addrhash_insert(map, addr, &found);
		e->obj = unlinked_object(unlinked_int(&p, end), objs, n);
		nsubs = unlinked_int(&p, end);
		if (nsubs < 0 || nsubs > PG_INT16_MAX)
			elog(ERROR, "schemasync: a model's address has %d columns", nsubs);
		e->nsubs = nsubs;
		e->subs = nsubs > 0 ? palloc(nsubs * sizeof(SsObject *)) : NULL;
		for (j = 0; j < nsubs; j++)
			e->subs[j] = unlinked_object(unlinked_int(&p, end), objs, n);
	}
	count = unlinked_int(&p, end);
	pending = palloc((count + 1) * sizeof(SsPendingAddr));
	for (i = 0; i < count; i++)
	{
		pending[i].objid = (Oid) unlinked_int(&p, end);
		pending[i].obj = unlinked_object(unlinked_int(&p, end), objs, n);
	}
	m->addrmap = map;
	m->pending_defaults = pending;
	m->npending_defaults = count;
	count = unlinked_int(&p, end);
	if (count < 0 || count > SS_MAX_OID_RANGES ||
		end - p < (ptrdiff_t) (count * sizeof(SsOidRange)))
		elog(ERROR, "schemasync: a model's OID ranges do not fit");
	m->oidranges = palloc(sizeof(SsOidRange) * count + 1);
	memcpy(m->oidranges, p, sizeof(SsOidRange) * count);
	m->noidranges = count;
	p += sizeof(SsOidRange) * count;
	m->cxt = CurrentMemoryContext;
	return p;
}

/*
 * unmodeled_add
 *		Remember one object that schemasync does not model: an
 *		ObjectAddress appended to *addrs (extension members are left out
 *		later).
 */
static void
unmodeled_add(List **addrs, Oid classid, Oid objid)
{
	ObjectAddress *addr = palloc(sizeof(ObjectAddress));

	addr->classId = classid;
	addr->objectId = objid;
	addr->objectSubId = 0;
	*addrs = lappend(*addrs, addr);
}

/*
 * The catalogs whose objects in a schema are all unmodeled: the catalog,
 * its namespace column and its oid column.
 */
static const struct
{
	Oid			classid;
	AttrNumber	nspcol;
	AttrNumber	oidcol;
}			unmodeled_catalogs[] =
{
	{OperatorRelationId, Anum_pg_operator_oprnamespace, Anum_pg_operator_oid},
	{OperatorClassRelationId, Anum_pg_opclass_opcnamespace, Anum_pg_opclass_oid},
	{OperatorFamilyRelationId, Anum_pg_opfamily_opfnamespace, Anum_pg_opfamily_oid},
	{ConversionRelationId, Anum_pg_conversion_connamespace, Anum_pg_conversion_oid},
	{StatisticExtRelationId, Anum_pg_statistic_ext_stxnamespace, Anum_pg_statistic_ext_oid},
	{TSConfigRelationId, Anum_pg_ts_config_cfgnamespace, Anum_pg_ts_config_oid},
	{TSDictionaryRelationId, Anum_pg_ts_dict_dictnamespace, Anum_pg_ts_dict_oid},
	{TSParserRelationId, Anum_pg_ts_parser_prsnamespace, Anum_pg_ts_parser_oid},
	{TSTemplateRelationId, Anum_pg_ts_template_tmplnamespace, Anum_pg_ts_template_oid},
};

/*
 * unmodeled_scan_namespace
 *		The objects of one catalog whose namespace column is nsp: all of them
 *		are unmodeled (operators, text search objects and the like).  A heap
 *		scan with the namespace as key; these catalogs are small.
 */
static void
unmodeled_scan_namespace(List **addrs, Oid classid, AttrNumber nspcol,
						 AttrNumber oidcol, Oid nsp)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;

	scan = ss_scan_begin(classid, nspcol, nsp, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		bool		isnull;
		Datum		oid = heap_getattr(tup, oidcol, RelationGetDescr(rel), &isnull);

		unmodeled_add(addrs, classid, DatumGetObjectId(oid));
	}
	ss_scan_end(scan, rel);
}

/*
 * unmodeled_relations
 *		Foreign tables, typed tables, tables inheriting across schemas,
 *		rules (on tables; on views and materialized views but their
 *		_RETURN rule) and column defaults of views, in nsp.  The rules and
 *		defaults come from index ranges over the OIDs of the schema's
 *		relations of those kinds (ss_rels_scan_begin), not from scans of the
 *		whole catalogs.
 */
static void
unmodeled_relations(List **addrs, Oid nsp)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;
	SsRelsKept *kept;
	ss_relhash_iterator it;
	SsRelEntry *e;
	SsRel	  **ruled;			/* tables, views, materialized views */
	int			nruled = 0;
	SsRel	  **views;
	int			nviews = 0;

	/*
	 * The schema's relations and their kinds, read as ss_read_schema reads
	 * them and kept for it (rels_keep).
	 */
	kept = rels_keep(nsp);
	ruled = palloc(Max(kept->map->members, 1) * sizeof(SsRel *));
	views = palloc(Max(kept->map->members, 1) * sizeof(SsRel *));
	ss_relhash_start_iterate(kept->map, &it);
	while ((e = ss_relhash_iterate(kept->map, &it)) != NULL)
	{
		SsRel	   *r = e->rel;

		r->unmodeled = (r->relkind == RELKIND_FOREIGN_TABLE || r->typed);
		if (r->unmodeled)
			unmodeled_add(addrs, RelationRelationId, r->oid);
		if (r->relkind == RELKIND_RELATION || r->relkind == RELKIND_VIEW ||
			r->relkind == RELKIND_MATVIEW)
			ruled[nruled++] = r;
		if (r->relkind == RELKIND_VIEW)
			views[nviews++] = r;
	}

	/* inheritance with one end in the schema and the other outside */
	scan = ss_scan_begin(InheritsRelationId, 0, InvalidOid, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_inherits inh = (Form_pg_inherits) GETSTRUCT(tup);
		SsRel	   *child = rels_lookup(kept->map, inh->inhrelid);
		SsRel	   *parent = rels_lookup(kept->map, inh->inhparent);
		SsRel	   *inside = child ? child : parent;

		/* once per table, however many such links it has */
		if ((child == NULL) == (parent == NULL) || inside->unmodeled ||
			(inside->relkind != RELKIND_RELATION &&
			 inside->relkind != RELKIND_PARTITIONED_TABLE))
			continue;
		inside->unmodeled = true;
		unmodeled_add(addrs, RelationRelationId, inside->oid);
	}
	ss_scan_end(scan, rel);

	/* rules of the schema's tables, views and materialized views */
	if (nruled > 0)
	{
		scan = ss_rels_scan_begin(RewriteRelationId, RewriteRelRulenameIndexId,
								  Anum_pg_rewrite_ev_class, 0, InvalidOid,
								  ruled, nruled, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			Form_pg_rewrite rw = (Form_pg_rewrite) GETSTRUCT(tup);
			SsRel	   *rk = rels_lookup(kept->map, rw->ev_class);

			if (rk != NULL &&
				(rk->relkind == RELKIND_RELATION ||
				 ((rk->relkind == RELKIND_VIEW || rk->relkind == RELKIND_MATVIEW) &&
				  strcmp(NameStr(rw->rulename), ViewSelectRuleName) != 0)))
				unmodeled_add(addrs, RewriteRelationId, rw->oid);
		}
		ss_scan_end(scan, rel);
	}

	/* defaults of the schema's view columns */
	if (nviews > 0)
	{
		scan = ss_rels_scan_begin(AttrDefaultRelationId, AttrDefaultIndexId,
								  Anum_pg_attrdef_adrelid, 0, InvalidOid,
								  views, nviews, &rel);
		while (HeapTupleIsValid(tup = systable_getnext(scan)))
		{
			Form_pg_attrdef ad = (Form_pg_attrdef) GETSTRUCT(tup);
			SsRel	   *rk = rels_lookup(kept->map, ad->adrelid);

			if (rk != NULL && rk->relkind == RELKIND_VIEW)
				unmodeled_add(addrs, AttrDefaultRelationId, ad->oid);
		}
		ss_scan_end(scan, rel);
	}
	pfree(ruled);
	pfree(views);
}

/*
 * unmodeled_types
 *		Types of nsp that are not modeled: base, pseudo and shell types
 *		(neither a relation's row type, nor an enum, domain, range or
 *		multirange, nor the array type of another type).
 */
static void
unmodeled_types(List **addrs, Oid nsp)
{
	Relation	rel;
	SysScanDesc scan;
	HeapTuple	tup;

	HTAB	   *arrays;
	List	   *candidates = NIL;
	ListCell   *lc;

	/* an array type is in its element type's schema, which names it */
	arrays = ss_oid_hash_create("schemasync array types", sizeof(Oid), 1024);
	scan = ss_scan_begin(TypeRelationId, Anum_pg_type_typnamespace, nsp, &rel);
	while (HeapTupleIsValid(tup = systable_getnext(scan)))
	{
		Form_pg_type typ = (Form_pg_type) GETSTRUCT(tup);

		if (OidIsValid(typ->typarray))
			(void) hash_search(arrays, &typ->typarray, HASH_ENTER, NULL);
		if (OidIsValid(typ->typrelid) || typ->typtype == TYPTYPE_MULTIRANGE ||
			typ->typtype == TYPTYPE_ENUM || typ->typtype == TYPTYPE_DOMAIN ||
			typ->typtype == TYPTYPE_RANGE)
			continue;
		candidates = lappend_oid(candidates, typ->oid);
	}
	ss_scan_end(scan, rel);
	foreach(lc, candidates)
	{
		Oid			typoid = lfirst_oid(lc);

		if (hash_search(arrays, &typoid, HASH_FIND, NULL) == NULL)
			unmodeled_add(addrs, TypeRelationId, typoid);
	}
	hash_destroy(arrays);
}

/*
 * unmodeled_desc_cmp
 *		qsort order of the descriptions, as ORDER BY would sort them.
 */
static int
unmodeled_desc_cmp(const ListCell *a, const ListCell *b)
{
	const char *x = lfirst(a);
	const char *y = lfirst(b);

	return varstr_cmp(x, strlen(x), y, strlen(y), DEFAULT_COLLATION_OID);
}

/*
 * ss_check_unmodeled
 *		Raise an error naming the objects of a schema that schemasync does
 *		not model yet, so that a clean diff never hides an object.  A scan
 *		per catalog that holds such objects, keyed by the schema where the
 *		catalog has a namespace column; extension members are left out.
 */
void
ss_check_unmodeled(const char *schema, const char *role)
{
	Oid			nsp = ss_check_schema(schema, role);
	List	   *addrs = NIL;
	List	   *descs = NIL;
	ListCell   *lc;
	StringInfoData buf;
	int			n;
	int			i;

	ss_model_cxt = CurrentMemoryContext;
	/* extensions are modeled on the model path, never between two schemas */
	if (!ss_read_exts)
		ss_check_schema_extensions(nsp, schema, role);

	unmodeled_relations(&addrs, nsp);
	unmodeled_types(&addrs, nsp);
	for (i = 0; i < lengthof(unmodeled_catalogs); i++)
		unmodeled_scan_namespace(&addrs, unmodeled_catalogs[i].classid,
								 unmodeled_catalogs[i].nspcol,
								 unmodeled_catalogs[i].oidcol, nsp);
	if (addrs == NIL)
		return;

	/* leave out extension members: each is a dependency of its extension */
	foreach(lc, addrs)
	{
		ObjectAddress *addr = lfirst(lc);
		char	   *desc;

		if (OidIsValid(getExtensionOfObject(addr->classId, addr->objectId)))
			continue;
#if PG_VERSION_NUM >= 140000
		desc = getObjectDescription(addr, true);
#else
		desc = getObjectDescription(addr);
#endif
		if (desc != NULL)
			descs = lappend(descs, desc);
	}
	n = list_length(descs);
	if (n == 0)
		return;
	list_sort(descs, unmodeled_desc_cmp);
	initStringInfo(&buf);
	i = 0;
	foreach(lc, descs)
	{
		if (i == 20)
			break;
		appendStringInfo(&buf, "%s%s", i ? "\n" : "", (char *) lfirst(lc));
		i++;
	}
	if (n > 20)
		appendStringInfo(&buf, "\n... and %d more", n - 20);
	ereport(ERROR,
			(errcode(ERRCODE_FEATURE_NOT_SUPPORTED),
			 errmsg("%s \"%s\" holds %d object%s that schemasync does not model yet",
					role, schema, n, n == 1 ? "" : "s"),
			 errdetail("%s", buf.data),
			 errhint("A diff would not show them. Pass '{\"ignore_unmodeled\": true}' to compare the rest and leave them alone.")));
}
