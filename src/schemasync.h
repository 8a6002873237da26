/*-------------------------------------------------------------------------
 *
 * schemasync.h
 *	  Shared declarations of the schemasync extension.
 *
 * The pipeline (see DESIGN.md section 3) is:
 *
 *	catalog reader -> model -> differ -> changes -> planner -> rows/executor
 *
 * A model (SsModel) is a set of objects (SsObject), each identified by its
 * kind and a schema-neutral key, carrying a fixed array of text properties
 * defined per kind and the keys of the objects it depends on.  The differ
 * compares two models property by property and asks each kind's emitter for
 * the statements (SsChange) that turn one into the other; the planner orders
 * the changes along both models' dependencies.
 *
 * src/schemasync.h
 *
 *-------------------------------------------------------------------------
 */
#ifndef SCHEMASYNC_H
#define SCHEMASYNC_H

#include "postgres.h"

#include "access/genam.h"
#include "access/transam.h"
#include "fmgr.h"
#include "lib/stringinfo.h"
#include "nodes/pg_list.h"
#include "utils/jsonb.h"
#include "utils/resowner.h"

/*
 * Object kinds, in the order used to break ties when planning: an object of
 * an earlier kind is created before one of a later kind when nothing else
 * decides.
 */
typedef enum SsKind
{
	SS_SEQUENCE = 0,
	SS_TABLE,
	SS_COLUMN,
	SS_CONSTRAINT,
	SS_INDEX,
	SS_TYPE,					/* enum, domain, composite and range types */
	SS_DOMCONSTRAINT,			/* CHECK constraint of a domain */
	SS_FUNCTION,				/* functions, procedures, aggregates */
	SS_TRIGGER,
	SS_VIEW,
	SS_MATVIEW,
	SS_PRIVILEGE,				/* ACL and owner of a modeled object */
	SS_DEFAULT_PRIVILEGE,		/* ALTER DEFAULT PRIVILEGES IN SCHEMA */
	SS_POLICY,
	SS_COLLATION,
	SS_EXTENSION,				/* database scope, in the model path only */
	SS_NUM_KINDS
} SsKind;

/* Properties of each kind: indexes into SsObject.props. */
typedef enum SsTableProp
{
	TP_UNLOGGED = 0,			/* "true" or NULL */
	TP_RELOPTIONS,				/* array text of reloptions, or NULL */
	TP_COMMENT,
	TP_PARTKEY,					/* pg_get_partkeydef() of a partitioned table */
	TP_PARTOF,					/* name of the parent of a partition */
	TP_PARTBOUND,				/* pg_get_expr(relpartbound): FOR VALUES/DEFAULT */
	TP_INHERITS,				/* quoted parents of an INHERITS child, ", " */
	TP_ROW_SECURITY,			/* "true" or NULL: ENABLE ROW LEVEL SECURITY */
	TP_FORCE_ROW_SECURITY,		/* "true" or NULL: FORCE ROW LEVEL SECURITY */
	TP_NUM
} SsTableProp;

typedef enum SsColumnProp
{
	CP_TYPE = 0,				/* format_type(atttypid, atttypmod) */
	CP_COLLATION,				/* collation name when not the type's */
	CP_NOT_NULL,				/* "true" or NULL */
	CP_DEFAULT,					/* pg_get_expr of the default */
	CP_IDENTITY,				/* "always", "by default" or NULL */
	CP_IDENTITY_OPTIONS,		/* sequence options of the identity */
	CP_GENERATED,				/* expression of a stored generated column */
	CP_COMMENT,
	CP_INHERITED,				/* "inherited", "merged" (also local) or NULL */
	CP_NUM
} SsColumnProp;

typedef enum SsConstraintProp
{
	KP_TYPE = 0,				/* "p", "u", "c", "f", "x" */
	KP_DEFINITION,				/* pg_get_constraintdef() */
	KP_COMMENT,
	KP_NUM
} SsConstraintProp;

typedef enum SsIndexProp
{
	IP_DEFINITION = 0,			/* pg_get_indexdef() without own qualifier */
	IP_COMMENT,
	IP_NUM
} SsIndexProp;

typedef enum SsSequenceProp
{
	SP_TYPE = 0,
	SP_START,
	SP_INCREMENT,
	SP_MIN,
	SP_MAX,
	SP_CACHE,
	SP_CYCLE,
	SP_OWNED_BY,				/* "table.column" (neutral), or NULL */
	SP_COMMENT,
	SP_NUM
} SsSequenceProp;

typedef enum SsTypeProp
{
	TY_TYPE_KIND = 0,			/* "enum", "domain", "composite", "range" */
	TY_LABELS,					/* enum: text[] literal of the labels */
	TY_BASE,					/* domain: base type; range: subtype */
	TY_COLLATION,				/* domain, range: collation when not default */
	TY_DEFAULT,					/* domain: pg_get_expr of the default */
	TY_NOT_NULL,				/* domain: "true" or NULL */
	TY_ATTRIBUTES,				/* composite: text[] of "name type [COLLATE c]" */
	TY_OPCLASS,					/* range: subtype opclass when not default */
	TY_CANONICAL,				/* range: canonical function */
	TY_SUBDIFF,					/* range: subtype_diff function */
	TY_MULTIRANGE,				/* range: multirange type name */
	TY_ATTR_COMMENTS,			/* composite: text[] of "name 'comment'" */
	TY_COMMENT,
	TY_NUM
} SsTypeProp;

typedef enum SsDomConstraintProp
{
	DP_DEFINITION = 0,			/* pg_get_constraintdef() */
	DP_COMMENT,
	DP_NUM
} SsDomConstraintProp;

typedef enum SsFunctionProp
{
	FP_ROUTINE = 0,				/* "function", "procedure" or "aggregate" */
	FP_DEFINITION,				/* CREATE statement, own schema removed */
	FP_COMMENT,
	FP_NUM
} SsFunctionProp;

typedef enum SsTriggerProp
{
	GP_DEFINITION = 0,			/* pg_get_triggerdef(oid, true) */
	GP_ENABLED,					/* "disabled", "replica", "always" or NULL */
	GP_COMMENT,
	GP_NUM
} SsTriggerProp;

/* Views and materialized views (the last property only for the latter). */
typedef enum SsViewProp
{
	VP_DEFINITION = 0,			/* pg_get_viewdef(), without the final ';' */
	VP_OPTIONS,					/* sorted reloptions "a=1,b=2", or NULL */
	VP_COMMENT,
	VP_COLUMN_COMMENTS,			/* jsonb text {"column": "comment"} */
	VP_NO_DATA,					/* "true" when not populated, or NULL */
	VP_NUM
} SsViewProp;


/*
 * Privileges of one object (kind_privilege.c): its key is "privilege:" and
 * the key of the object it is about ("privilege:schema" for the schema).
 */
typedef enum SsPrivilegeProp
{
	PV_OBJTYPE = 0,				/* TABLE, SEQUENCE, VIEW, FUNCTION, TYPE, ... */
	PV_OBJNAME,					/* quoted name in the schema, or NULL */
	PV_COLUMN,					/* quoted column name, or NULL */
	PV_ACL,						/* "grantee=PRIV,PRIV*;..." or NULL (none) */
	PV_OWNER,					/* quoted owner role, or NULL (columns) */
	PV_NUM
} SsPrivilegeProp;

typedef enum SsDefaultPrivilegeProp
{
	DV_ROLE = 0,				/* quoted role (FOR ROLE) */
	DV_OBJTYPE,					/* TABLES, SEQUENCES, FUNCTIONS, TYPES */
	DV_ACL,						/* as PV_ACL */
	DV_NUM
} SsDefaultPrivilegeProp;


typedef enum SsPolicyProp
{
	PP_COMMAND = 0,				/* "ALL", "SELECT", "INSERT", "UPDATE", "DELETE" */
	PP_RESTRICTIVE,				/* "true" or NULL (permissive) */
	PP_ROLES,					/* "PUBLIC" or quoted role names, ", " between */
	PP_USING,					/* pg_get_expr(polqual), or NULL */
	PP_WITH_CHECK,				/* pg_get_expr(polwithcheck), or NULL */
	PP_COMMENT,
	PP_NUM
} SsPolicyProp;

typedef enum SsCollationProp
{
	LP_PROVIDER = 0,			/* "libc", "icu" (or "builtin", 17+) */
	LP_LOCALE,					/* ICU (builtin) locale, or NULL */
	LP_LC_COLLATE,				/* libc: LC_COLLATE, or NULL */
	LP_LC_CTYPE,				/* libc: LC_CTYPE, or NULL */
	LP_NONDETERMINISTIC,		/* "true" or NULL */
	LP_COMMENT,
	LP_NUM
} SsCollationProp;

/*
 * Extensions (kind_extension.c).  aux is "prepared" on an extension of a
 * JSON model that the normalizer created or moved to its target.
 */
typedef enum SsExtensionProp
{
	EP_VERSION = 0,				/* extversion; NULL in a model: any version */
	EP_NUM
} SsExtensionProp;

/* no kind has more properties (model.c checks; SsLazy.props has 32 bits) */
#define SS_MAX_PROPS 16

/* A dependency of an object on another object of the same model. */
#define SS_DEP_NORMAL	0
#define SS_DEP_OWNED	1		/* sequence OWNED BY column: only for drops */

typedef struct SsDep
{
	char	   *key;			/* key of the referenced object */
	int			flags;
} SsDep;

struct SsModel;

struct SsObject;

/*
 * What a reader left undeparsed on an object (SsObject.lazy): the function
 * that deparses it and the properties that function fills.  One constant
 * per reader, so the properties named are always those its function fills.
 * Until filled, such a property is NULL, or for a column's generation
 * expression the marker "" (a column is known generated without deparsing
 * it): whether it is set may be tested on props[] directly, its text must be
 * read with ss_prop() (ss_aux() for aux).
 */
typedef struct SsLazy
{
	void		(*resolve) (struct SsObject *obj);
	uint32		props;			/* SS_LAZY_PROP(p) of each property filled */
	bool		aux;			/* aux is filled too */

	/*
	 * When what resolve fills is a function of the raw key alone, whatever
	 * the object (a column default names no column): give obj what resolve
	 * gave like, an object of the same raw key, instead (ss_resolve_all).
	 * NULL for the others.
	 */
	void		(*share) (struct SsObject *obj, struct SsObject *like);
} SsLazy;

#define SS_LAZY_PROP(p)		(((uint32) 1) << (p))

/* the readers' SsLazy constants, each kind's own (parallel.c lists them) */
extern const SsLazy ss_column_lazy;
extern const SsLazy ss_default_lazy;
extern const SsLazy ss_constraint_lazy;
extern const SsLazy ss_index_lazy;
extern const SsLazy ss_view_lazy;
extern const SsLazy ss_routine_lazy;

/*
 * One object of a model.  A model holds tens of thousands of them, so the
 * fields are ordered to leave no padding, and the property slots are an
 * array of the kind's own length (ss_object_nslots), not of the longest.
 */
typedef struct SsObject
{
	SsKind		kind;
	int			position;		/* column number, for create order */
	Oid			oid;			/* catalog OID on its side, or InvalidOid */
	Oid			reloid;			/* OID of the table a sub-object is on */
	Oid			typoid;			/* column type, for USING decisions */
	int32		typmod;
	Oid			seqoid;			/* sequence whose numbers seqnums holds */
	bool		volatile_default;	/* default calls a volatile function */
	bool		seqvalue_read;	/* last value looked up (ss_object_seqvalue) */
	bool		outside;		/* left out of a partial model diff: the
								 * model holds it as it is (normalize.c) */
	char	   *key;			/* "kind:schema.parent.name", unique */
	char	   *schema;			/* schema name on this side */
	char	   *name;			/* own name (column name for columns) */
	char	   *parent;			/* table name for sub-objects, else NULL */
	char	  **props;			/* ss_object_nslots(kind) property slots */
	struct SsSeqNumbers *seqnums;	/* of a sequence or an identity, or NULL */
	char	   *aux;			/* kind-private text (CHECK expression) */

	/*
	 * Deparse on demand (docs/design.md, "Reading fast"): when lazy is set,
	 * the properties it names were not deparsed on reading; raw is the
	 * catalog row they come from, and two objects of equal raw have equal
	 * such properties.  Read them with ss_prop() and ss_aux(), which fill
	 * them first (ss_resolve() calls lazy->resolve once).
	 */
	char	   *raw;
	const struct SsLazy *lazy;
	char	   *colsig;		/* a table's columns, for its indexes' raw */
	const char *rawcols;		/* the colsig of the table raw is about, a
								 * part of the key kept once per table */
	List	   *deps;			/* SsDep * */
	List	   *dependents;		/* SsObject * on the same side, reverse deps */
	struct SsObject *twin;		/* during ss_diff_models, of an object of the
								 * current side: the desired side's object
								 * of its key, or NULL */
	List	   *children;		/* columns, constraints, indexes of a table */
	struct SsObject *parentobj;
	struct SsModel *model;
} SsObject;

/*
 * The numbers of a sequence or of an identity column's sequence, as texts:
 * the last value when used (ss_object_seqvalue), and an identity's start,
 * minimum and maximum.  Kept apart from SsObject, since few objects have
 * them: four pointers in each of the 400,000 objects of a 10,000-table diff
 * were 13 MB.
 */
typedef struct SsSeqNumbers
{
	char	   *value;
	char	   *start;
	char	   *min;
	char	   *max;
} SsSeqNumbers;

/* the number of an SsSeqNumbers field of an object, or NULL */
#define ss_seqnum(obj, field) ((obj)->seqnums ? (obj)->seqnums->field : NULL)

/* A side of a diff: the objects of one or more schemas. */
typedef struct SsModel
{
	char	   *schema;			/* the schema this side was read from */
	List	   *objects;		/* SsObject *, in reading order */
	struct ss_objhash_hash *hash;	/* key -> SsObject */
	bool		defer;			/* columns, constraints and indexes wait to
								 * enter hash until a key of theirs is
								 * looked up (ss_object_lookup) */
	int			hashed;			/* with defer: how many of objects did */
	SsObject   *free;			/* the rest of the block objects are carved */
	int			nfree;			/* from (ss_object_add) */
	char	  **slots;			/* the rest of the block property slots */
	int			nslots;			/* are carved from */
	char	   *text;			/* the rest of the block keys and names */
	Size		ntext;			/* are carved from */

	/*
	 * Dependencies read on demand (docs/design.md, "Reading fast"): a model
	 * read from the catalog keeps its address map, and the deps and
	 * dependents of its objects are filled the first time any is asked for
	 * (ss_deps, ss_dependents).  A diff that finds no change never reads
	 * them.
	 */
	bool		linked;			/* deps and dependents are filled */
	bool		nsp_read;		/* read from the catalog (ss_read_schema) */
	bool		raw_read;		/* with raw keys (ss_read_raw) */
	bool		exts_read;		/* and with its extensions (ss_read_exts) */
	void	   *addrmap;		/* the address map of an unlinked model */
	void	   *pending_defaults;	/* and its defaults' addresses not in it
									 * yet (ss_register_default_addr) */
	int			npending_defaults;
	void	   *oidranges;		/* and the OID ranges of its catalogs */
	int			noidranges;
	MemoryContext cxt;			/* where an unlinked model was read */
	void	   *resolved;		/* what ss_resolve_all deparsed, by key,
								 * for a later read of the schema */
} SsModel;

/* objects, property slots and bytes of names allocated at once */
#define SS_OBJECT_BLOCK 64
#define SS_CHANGE_BLOCK 64
#define SS_SLOT_BLOCK 1024
#define SS_TEXT_BLOCK 16384

/* Hazard flags, see docs/hazards.md; names in ss_hazard_names. */
#define SS_HZ_REWRITES_TABLE		(1 << 0)
#define SS_HZ_SCANS_TABLE			(1 << 1)
#define SS_HZ_ACCESS_EXCLUSIVE		(1 << 2)
#define SS_HZ_INDEX_BUILD			(1 << 3)
#define SS_HZ_BREAKS_DEPENDENTS		(1 << 4)
#define SS_HZ_NOT_TRANSACTIONAL		(1 << 5)
#define SS_HZ_DELETES_DATA			(1 << 6)
#define SS_HZ_SEQUENCE_RESET		(1 << 7)
#define SS_HZ_BLOCKS_WRITES			(1 << 8)
#define SS_HZ_MAY_FAIL				(1 << 9)
#define SS_HZ_COMMIT_FIRST			(1 << 10)
#define SS_NUM_HAZARDS				11

/* Table-level locks, weakest first; names in ss_lock_names. */
typedef enum SsLock
{
	SS_LOCK_NONE = 0,
	SS_LOCK_ACCESS_SHARE,
	SS_LOCK_ROW_EXCLUSIVE,
	SS_LOCK_SHARE_UPDATE_EXCLUSIVE,
	SS_LOCK_SHARE,
	SS_LOCK_SHARE_ROW_EXCLUSIVE,
	SS_LOCK_EXCLUSIVE,
	SS_LOCK_ACCESS_EXCLUSIVE
} SsLock;

/* Change actions; names in ss_action_names. */
typedef enum SsAction
{
	SS_ACT_CREATE = 0,
	SS_ACT_ALTER,
	SS_ACT_DROP,
	SS_ACT_REPLACE_DROP,		/* drop half of a replace */
	SS_ACT_REPLACE_CREATE		/* create half of a replace */
} SsAction;

#define SS_ACT_IS_CREATE(a) ((a) == SS_ACT_CREATE || (a) == SS_ACT_REPLACE_CREATE)
#define SS_ACT_IS_DROP(a) ((a) == SS_ACT_DROP || (a) == SS_ACT_REPLACE_DROP)

/* One statement of a migration (or a step with no statement). */
typedef struct SsChange
{
	int			ordinal;		/* assigned by the planner, 1..n */
	const char *kindname;		/* "table", "column", "comment", ... */
	SsKind		kind;
	char	   *key;			/* key of the object it changes */
	char	   *identity;		/* qualified, quoted identity in the target */
	SsAction	action;
	char	   *ddl;			/* NULL for a step absorbed by its parent */
	bool		destructive;
	uint32		hazards;
	SsLock		lock;
	bool		transactional;
	bool		late;			/* not a prerequisite of dependents */
	bool		nodeps;			/* a removal step: needs nothing created */
	char	   *reason;
	SsObject   *cur;			/* object on the current side, or NULL */
	SsObject   *want;			/* object on the desired side, or NULL */
	List	   *after;			/* SsChange * that must come first */
	List	   *needs;			/* keys of desired objects needed first */
	List	   *frees;			/* relation names it frees besides its own */
	List	   *takes;			/* relation names it takes besides its own */
	bool		adds_only;		/* only adds: never needed before a drop */
	struct SsChange *absorbed_into; /* statement that does this step too */
	bool		skipped;		/* left out by only/skip/kinds/pattern/mode */
	/* planner work space */
	int			seq;			/* creation order, for stable ties */
	int			nin;
	List	   *out;
	List	   *preds;
} SsChange;

/* Options of diff/apply, parsed from JSONB. */
typedef struct SsOptions
{
	bool		allow_drops;
	bool		verbose;
	bool		ignore_unmodeled;
	List	   *schema_map;		/* pairs: model schema, target schema */
	bool		no_history;		/* "history": false */
	bool		mode_create;	/* "mode": "create" */
	List	   *only;			/* ordinals (as text) and identities */
	List	   *skip;
	List	   *kinds;			/* kind names of rows to keep */
	char	   *pattern;		/* regular expression on identities */
	char	   *database;		/* regular expression on the database name */
	char	   *lock_timeout;
	char	   *statement_timeout;
	char	   *expected_fingerprint;
	List	   *renames;		/* pairs: current identity, new name */
	bool		privileges;		/* compare ACLs and default privileges */
	bool		materialize_all;	/* "materialize": "all" (normalize.c) */
	bool		owners;			/* compare owners */
	bool		extension_versions; /* compare extension versions */
} SsOptions;

/* The state of one diff: both models, the options and the changes. */
typedef struct SsDiff
{
	SsModel    *cur;			/* the database as it is (target) */
	SsModel    *want;			/* the desired state (reference) */
	const char *target;			/* schema name DDL is emitted for */
	SsOptions  *opts;
	List	   *changes;		/* SsChange *, in creation order */
	struct ss_chghash_hash *bykey;	/* key -> List of SsChange */
	int			nextseq;
	List	   *deferred;		/* inherited columns: (cur, want) pairs */
	SsChange   *free;			/* the rest of the block changes are carved */
	int			nfree;			/* from (ss_add_change) */
	MemoryContext wantcxt;		/* want's own context, when it has one
								 * (ss_diff_release_want), or NULL */
} SsDiff;

/* Per-kind operations; each kind_*.c file fills one of these. */
typedef struct SsKindOps
{
	const char *name;			/* kind name in rows and models */
	int			nprops;
	const char *const *propnames;
	const char *proptypes;		/* per property: 't'ext, 'b'oolean, 'n'umber */
	/* emit the changes to go from cur to want; either may be NULL */
	void		(*diff) (SsDiff *d, SsObject *cur, SsObject *want);
	/* emit a drop and re-create of an object forced by a dependency */
	void		(*replace) (SsDiff *d, SsObject *cur, SsObject *want,
							const char *reason);
	/* does this change to cur break objects that depend on it? */
	bool		(*breaks_dependents) (SsDiff *d, SsObject *cur, SsObject *want);
} SsKindOps;

extern const SsKindOps ss_table_ops;
extern const SsKindOps ss_column_ops;
extern const SsKindOps ss_constraint_ops;
extern const SsKindOps ss_index_ops;
extern const SsKindOps ss_sequence_ops;
extern const SsKindOps ss_type_ops;
extern const SsKindOps ss_domconstraint_ops;
extern const SsKindOps ss_function_ops;
extern const SsKindOps ss_trigger_ops;
extern const SsKindOps ss_view_ops;
extern const SsKindOps ss_matview_ops;
extern const SsKindOps ss_privilege_ops;
extern const SsKindOps ss_default_privilege_ops;
extern const SsKindOps ss_policy_ops;
extern const SsKindOps ss_collation_ops;
extern const SsKindOps ss_extension_ops;
extern const SsKindOps *const ss_kind_ops[SS_NUM_KINDS];

extern const char *const ss_hazard_names[SS_NUM_HAZARDS];
extern const char *const ss_lock_names[];
extern const char *const ss_action_names[];

/* options.c */
extern SsOptions *ss_parse_options(Jsonb *options);

/* model.c */
extern SsModel *ss_model_create(const char *schema);
extern char *ss_model_strdup(SsModel *m, const char *text);
extern void ss_model_expect(SsModel *m, int n);
extern SsObject *ss_object_add(SsModel *m, SsKind kind, const char *schema,
							   const char *parent, const char *name);
extern SsObject *ss_object_lookup(SsModel *m, const char *key);
extern int	ss_object_nslots(SsKind kind);
extern SsObject *ss_object_copy(const SsObject *obj, const SsObject *propsfrom);
extern char *ss_make_key(SsKind kind, const char *parent, const char *name);
extern void ss_object_add_dep(SsObject *obj, const char *key, int flags);
extern void ss_object_add_dep_on(SsObject *obj, SsObject *target, int flags);
extern void ss_model_link(SsModel *m);
extern SsModel *ss_model_subset(SsModel *m, bool (*keep) (SsObject *obj, void *arg),
								void *arg);
extern void ss_model_link_parents(SsModel *m);
extern void ss_model_link_deps(SsModel *m);
extern void ss_model_load_deps(SsModel *m);
extern void ss_model_write_unlinked(StringInfo buf, SsModel *m,
									int32 (*number) (SsObject *obj, void *arg),
									void *arg);
extern const char *ss_model_read_unlinked(const char *p, const char *end,
										  SsModel *m, SsObject **objs, int n);
extern int	ss_classes_ahead_rows(Oid nsp);
extern void ss_classes_ahead_forget(Oid nsp);

/*
 * ss_deps, ss_dependents
 *		The dependencies of an object, and the objects of its side that
 *		depend on it: read first if its model has not read them yet.
 */
static inline List *
ss_deps(SsObject *obj)
{
	if (obj->model != NULL && !obj->model->linked)
		ss_model_load_deps(obj->model);
	return obj->deps;
}

static inline List *
ss_dependents(SsObject *obj)
{
	if (obj->model != NULL && !obj->model->linked)
		ss_model_load_deps(obj->model);
	return obj->dependents;
}
extern int	ss_cstring_cmp(const ListCell *a, const ListCell *b);
extern char *ss_qualified(const char *schema, const char *name);
extern char *ss_identity(const char *schema, SsObject *obj);

/*
 * SQL fragment: true when the object of the given catalog and OID is not an
 * extension's member.  Members are found from the extension's side (pg_depend
 * rows referencing pg_extension, an index range of a few rows per extension),
 * hashed once per query: a NOT EXISTS became an anti join that read all of
 * pg_depend in every catalog query, 15 ms a query at 1,000 tables.
 */
#define SS_NOT_EXTENSION_MEMBER_OF(catalog, oidexpr) \
	oidexpr " NOT IN (SELECT e.objid FROM pg_catalog.pg_depend e" \
	" WHERE e.refclassid = 'pg_catalog.pg_extension'::pg_catalog.regclass" \
	" AND e.classid = '" catalog "'::pg_catalog.regclass AND e.deptype = 'e')"

/* the same for a pg_class row */
#define SS_NOT_EXTENSION_MEMBER(oidexpr) \
	SS_NOT_EXTENSION_MEMBER_OF("pg_catalog.pg_class", oidexpr)

/* catalog.c */
extern Oid	ss_check_schema(const char *name, const char *role);
extern SsModel *ss_read_schema(const char *schema);
extern void ss_check_unmodeled(const char *schema, const char *role);
extern void ss_read_classes_ahead(Oid a, Oid b);
extern const char *ss_scratch_path_for;
extern const char *ss_scratch_path_also;
extern int	ss_push_search_path(const char *schema);
extern void ss_pop_search_path(int nestlevel);
extern void ss_set_reader_gucs(void);
extern bool ss_read_raw;
extern void ss_resolve(SsObject *obj);
extern void ss_resolve_all(SsModel *m, SsModel *earlier);
extern char *ss_deparse(PGFunction fn, int nargs, Datum arg0, Datum arg1,
						MemoryContext into);
extern char *ss_deparse_of(SsObject *obj, PGFunction fn, int nargs,
						   Datum arg0, Datum arg1);
extern void ss_deparse_note_rel(Oid relid);
extern bool ss_deparse_let_go;
#if PG_VERSION_NUM >= 180000
extern pg_noreturn void ss_dropped_concurrently(SsObject *obj);
#else
extern void ss_dropped_concurrently(SsObject *obj) pg_attribute_noreturn();
#endif
extern void ss_copy_props(SsObject *dst, SsObject *src);

/*
 * ss_prop_is_lazy
 *		Whether a property of an object is still left for later.
 */
static inline bool
ss_prop_is_lazy(const SsObject *obj, int prop)
{
	return obj->lazy != NULL && (obj->lazy->props & SS_LAZY_PROP(prop)) != 0;
}

/*
 * ss_prop
 *		A property of an object, deparsed first when its reader left it for
 *		later (SsObject.lazy): the only way to read the text of a property
 *		that may be lazy.  An object whose raw key is compared instead
 *		(ss_raw_equal) is not deparsed.
 */
static inline char *
ss_prop(SsObject *obj, int prop)
{
	if (ss_prop_is_lazy(obj, prop))
		ss_resolve(obj);
	return obj->props[prop];
}

/*
 * ss_set_prop
 *		Set a property of an object, its lazy properties deparsed first when
 *		it is one of them, so that they cannot overwrite it later.
 */
static inline void
ss_set_prop(SsObject *obj, int prop, char *value)
{
	if (ss_prop_is_lazy(obj, prop))
		ss_resolve(obj);
	obj->props[prop] = value;
}

/*
 * ss_aux
 *		An object's aux text, deparsed first when its reader left it for
 *		later (a CHECK's expression, an index's predicate).
 */
static inline char *
ss_aux(SsObject *obj)
{
	if (obj->lazy != NULL && obj->lazy->aux)
		ss_resolve(obj);
	return obj->aux;
}
extern bool ss_raw_equal(SsObject *a, SsObject *b);
extern char ss_reg_type(Oid typid);
extern bool ss_type_raw(StringInfo buf, Oid typid, Oid nsp);
extern char *ss_tree_raw(const char *tree, Oid self, Oid nsp);

/*
 * ss_tree_integer_end
 *		Where strtol(s, &end, 10) would end: past the white space, sign and
 *		digits of an integer, or s itself when none follows.  The readers of
 *		raw keys step over a location or typmod in every few fields of a
 *		node tree's text, and need only its end; so does the memo of
 *		defaults' trees (kind_table.c), which leaves locations out.
 */
static inline const char *
ss_tree_integer_end(const char *s)
{
	const char *q = s;

	while (*q == ' ' || (*q >= '\t' && *q <= '\r'))
		q++;
	if (*q == '-' || *q == '+')
		q++;
	if (*q < '0' || *q > '9')
		return s;
	while (*q >= '0' && *q <= '9')
		q++;
	return q;
}

/*
 * ss_tree_number
 *		Step over one character of a node tree's text (start is its
 *		beginning), or over a whole number when one begins there, and then
 *		over all that follows up to the next field name or number, which
 *		the callers would only step over one character at a time: false
 *		when that number may be the OID of a user object (from
 *		FirstNormalObjectId on), which a raw key cannot hold.  Inline, and
 *		reading the number itself: called once per character from another
 *		file, it was a tenth of the reading of a no-op diff.
 */
static inline bool
ss_tree_number(const char **p, const char *start)
{
	const char *q = *p;

	if (*q >= '0' && *q <= '9' && (q == start || q[-1] == ' ' || q[-1] == '('))
	{
		uint64		v = 0;

		/* as strtol would read it; only whether it is that large matters */
		for (; *q >= '0' && *q <= '9'; q++)
			if (v < FirstNormalObjectId)
				v = v * 10 + (*q - '0');
		if (v >= FirstNormalObjectId)
			return false;
	}
	else
		q++;
	while (*q != '\0' && *q != ':' &&
		   !(*q >= '0' && *q <= '9' && (q[-1] == ' ' || q[-1] == '(')))
		q++;
	*p = q;
	return true;
}

extern bool ss_tree_field(StringInfo buf, const char **p, const char **run,
						  const char **f, size_t *len);
extern void ss_raw_append(StringInfo buf, const char *part, bool nodetree);
extern void ss_raw_append_int(StringInfo buf, int64 value);
extern Datum *ss_spi_row(int row, int natts, bool *nulls);
extern char *ss_spi_text(int row, int col);
extern Oid	ss_spi_oid(int row, int col);
extern int32 ss_spi_int(int row, int col);
extern bool ss_spi_bool(int row, int col);
extern void ss_spi_exec(const char *sql, Oid schemaoid);
extern void ss_register_addr(Oid classid, Oid objid, int32 objsubid,
							 SsObject *obj);
extern SsObject *ss_model_table(Oid relid);
extern bool ss_catalog_has_rows(Oid catalog, AttrNumber keycol, Oid keyval);
extern bool ss_oid_range(Oid classid, Oid *lo, Oid *hi);
extern char *ss_raw_key(const char *raw);
extern void *ss_sha256_begin(void);
extern void ss_sha256_update(void *ctx, const void *data, size_t len);
extern void ss_sha256_final(void *ctx, uint8 *sum);
extern SysScanDesc ss_depend_range_begin(Relation rel, Oid classid, Oid lo, Oid hi);
extern void ss_attoptions_scanned(Oid lo, Oid hi);
extern char *ss_index_attoptions(HeapTuple tup, TupleDesc desc);
extern void ss_attoptions_note(HeapTuple tup, TupleDesc desc);
extern bool ss_attoptions_get(Oid indexid, char ***opts);
extern SysScanDesc ss_scan_begin(Oid catalog, AttrNumber keycol, Oid keyval,
								 Relation *rel);
extern SysScanDesc ss_scan_owned_begin(Oid catalog, Oid indexid, AttrNumber ownercol,
										Oid ownerclass, AttrNumber eqcol, Oid eqval,
										Relation *rel);
extern SysScanDesc ss_scan_range_begin(Oid catalog, Oid indexid, AttrNumber ownercol,
									   Oid lo, Oid hi, AttrNumber eqcol, Oid eqval,
									   Relation *rel);
extern void ss_scan_end(SysScanDesc scan, Relation rel);
extern MemoryContext ss_scratch_begin(void);
extern void ss_read_comments(Oid classoid, SsKind kind, int prop);
extern void ss_read_comments_of(Oid classoid, const SsKind *kinds,
								const int *props, int n);
extern struct HTAB *ss_depend_referencing(Oid refclassid, Oid classid,
										  char deptype);

/*
 * One pg_class row of the schema being read, as the readers need it: all
 * of them are read once at the start of ss_read_schema (see ss_rel) and
 * kept until its end.  The fields from reloptions on are of indexes or of
 * sequences only.
 */
typedef struct SsRel
{
	Oid			oid;
	char		relkind;
	bool		ispartition;
	bool		typed;			/* OF a composite type (reloftype) */
	NameData	relname;
	Oid			relam;
	char	   *reloptions;		/* an index's, as array_out prints them */
	struct HeapTupleData *indextup; /* an index's pg_index row, or NULL */
	struct FormData_pg_sequence *seq;	/* a sequence's pg_sequence row */
	bool		seqinternal;	/* a sequence depends internally on something */
	Oid			idrel;			/* the column a sequence is the identity of */
	int32		idatt;
	Oid			ownrel;			/* the column that owns a sequence (AUTO) */
	int32		ownatt;
	bool		conowned;		/* a constraint owns an index (INTERNAL) */
	char		visible;		/* ss_rel_visible: 't', 'f', or '\0' when
								 * not asked yet */
	bool		unmodeled;		/* listed as an object not modeled
								 * (unmodeled_relations) */
	/* of a table or a view, for ss_read_tables and ss_read_views */
	int16		natts;			/* relnatts: its columns, dropped ones too */
	char		persistence;	/* relpersistence */
	bool		rowsecurity;	/* relrowsecurity */
	bool		forcerowsecurity;	/* relforcerowsecurity */
	bool		populated;		/* relispopulated */
	Oid			reltype;		/* its row type */
	char	   *relopts;		/* reloptions joined by ',' (a view's sorted),
								 * or NULL */
	char	   *partbound;		/* a partition's relpartbound tree, or NULL */
} SsRel;
extern SsRel *ss_rel(Oid relid);

/* some relations of the schema read, met by a scan in OID order */
typedef struct SsRelWalk
{
	SsRel	  **rels;			/* sorted by OID */
	int			n;
	int			pos;			/* the first not below the last OID asked */
	Oid			last;
} SsRelWalk;
extern void ss_rel_walk_begin(SsRelWalk *w, SsRel **rels, int n);
extern void ss_rel_walk_reset(SsRelWalk *w);
extern SsRel *ss_rel_walk(SsRelWalk *w, Oid relid);
extern void ss_rel_walk_end(SsRelWalk *w);
extern void ss_register_default_addr(Oid objid, SsObject *col);
extern bool ss_rel_visible(SsRel *r);
extern int	ss_rel_constraint_owned(SsRel *r);
extern void ss_rel_set_constraint_owned(Oid indexid);
extern SsRel **ss_rels(char relkind, int *n);
extern SsRel **ss_rels_modeled(char relkind, int *n);
extern struct HTAB *ss_rels_members(void);
extern SysScanDesc ss_rels_scan_begin(Oid catalog, Oid indexid, AttrNumber oidcol,
									  AttrNumber eqcol, Oid eqval, SsRel **rels, int n,
									  Relation *rel);
extern struct TupleDescData *ss_rel_index_desc(void);
extern char *ss_index_raw(SsRel *rel, SsObject *owner);
extern void ss_read_tables(SsModel *m, Oid nsp);
extern void ss_read_columns(SsModel *m, Oid nsp);
extern void ss_read_constraints(SsModel *m, Oid nsp);
extern void ss_read_indexes(SsModel *m, Oid nsp);
extern void ss_read_sequences(SsModel *m, Oid nsp);
extern void ss_read_types(SsModel *m, Oid nsp);
extern void ss_read_functions(SsModel *m, Oid nsp);
extern void ss_read_triggers(SsModel *m, Oid nsp);

/* kind_function.c */
extern int	ss_routine_prefix_len(const char *def);
extern char *ss_parse_routine_definition(const char *def);
extern const char *ss_routine_of_definition(const char *def);
extern char *ss_routine_signature(struct SsDiff *d, SsObject *obj);
extern const char *ss_routine_word(SsObject *obj);

/* the suffix of an object renamed away while its users are converted */
#define SS_OLD_SUFFIX "_ss_old"
extern char *ss_old_name(const char *name);
extern SsObject *ss_old_copy(SsObject *cur, const char *name);
extern void ss_function_reset_default(struct SsDiff *d, SsObject *col,
									  SsObject *want);

/* kind_trigger.c */
extern int	ss_trigger_table_offset(const char *def, const char *name,
									const char *table);
extern void ss_read_views(SsModel *m, Oid nsp);

/* kind_table.c */
extern List *ss_reloption_names(const char *opts);
extern SsObject *ss_lookup_addr(Oid classid, Oid objid, int32 objsubid);

/* kind_privilege.c */
extern bool ss_read_acls;
extern void ss_read_privileges(SsModel *m, Oid nsp);
extern void ss_read_policies(SsModel *m, Oid nsp);
extern void ss_read_collations(SsModel *m, Oid nsp);

/* kind_extension.c */
extern bool ss_read_exts;
extern List *ss_model_extensions;
extern void ss_read_extensions(SsModel *m, Oid nsp);
extern bool ss_schema_has_extensions(Oid nsp);
extern void ss_check_schema_extensions(Oid nsp, const char *schema,
									   const char *role);
extern List *ss_extensions_prepare(List *models, SsOptions *opts);
extern void ss_extensions_undo(List *undo);
extern List *ss_extensions_to_scratch(SsModel *jm, const char *scratch,
									  bool *left);
extern void ss_extensions_back(List *moved, const char *target);
extern void ss_extensions_hoist(List *diffs);
extern void ss_extensions_carry_over(SsModel *norm, SsModel *jm);

/* kind_index.c */
extern bool ss_parse_index_definition(const char *def, char **idxname,
									  char **relname, char **schemaname,
									  int *reloffset);

/* kind_type.c */
extern List *ss_text_array_elems(const char *lit);
extern void ss_add_type_refs(SsModel *m);

/* exprnorm.c */
extern char *ss_expr_normal_form(SsObject *obj, const char *text, char kind);
extern void ss_model_normal_texts(SsModel *m, SsModel *like, List **undo);
extern void ss_model_undo_normal_texts(List *undo);
extern bool ss_expr_equal(SsDiff *d, SsObject *cur, const char *curexpr,
						  SsObject *want, const char *wantexpr, char kind);

/* differ.c */
extern SsDiff *ss_diff_none(SsModel *cur, const char *target, SsOptions *opts);
extern SsDiff *ss_diff_models(SsModel *cur, SsModel *want, const char *target,
							  SsOptions *opts);
extern SsChange *ss_add_change(SsDiff *d, const char *kindname, SsObject *cur,
							   SsObject *want, SsAction action, char *ddl);
extern List *ss_changes_of(SsDiff *d, const char *key);
extern void ss_diff_release_want(SsDiff *d);
extern void ss_steps_after(List *steps, SsChange *c);
extern bool ss_streq(const char *a, const char *b);
extern bool ss_own_change(SsChange *c);
extern bool ss_parent_created(SsDiff *d, SsObject *want);
extern bool ss_parent_dropped(SsDiff *d, SsObject *cur);
extern SsChange *ss_drop_of(SsDiff *d, const char *key);
extern void ss_kill_changes(SsDiff *d, const char *key);
extern char *ss_target_identity(SsDiff *d, SsObject *obj);
extern char *ss_target_table(SsDiff *d, SsObject *obj);
extern void ss_emit_comment(SsDiff *d, SsObject *cur, SsObject *want,
							const char *objtype, const char *objname,
							int prop, SsLock lock, SsChange *after);

/* hugemem.c */
extern void ss_hugemem_begin(MemoryContext cxt);
extern void ss_hugemem_define_setting(void);

/* parallel.c */
typedef struct SsParallelRead SsParallelRead;
extern void ss_parallel_define_setting(void);
extern SsParallelRead *ss_parallel_read_begin(const char *reference, Oid nsp,
											  Oid tnsp);
extern bool ss_parallel_read_working(SsParallelRead *pr);
extern SsModel *ss_parallel_read_end(SsParallelRead *pr);

extern void ss_deparse_ahead_begin(const char *schema, int size);
extern void ss_deparse_ahead_end(void);
extern void ss_deparse_ahead_abandon(void);
extern bool ss_index_deparsed_ahead(Oid oid, char **def, char **pred);
extern void ss_index_texts(Oid oid, char **def, char **pred);
/* the kinds of objects whose texts a worker deparses ahead (parallel.c) */
#define SS_AHEAD_CHECK	'c'
#define SS_AHEAD_VIEW	'v'
#define SS_AHEAD_INDEX	'i'
extern bool ss_check_deparsed_ahead(Oid oid, Oid relid, char **def, char **expr);
extern bool ss_view_deparsed_ahead(Oid oid, char **def);
extern void ss_deparse_ahead_passed(char kind);
extern void ss_check_texts(Oid oid, char **def, char **expr);
extern void ss_view_texts(Oid oid, char **def, char **none);

/* schemasync.c */
extern Jsonb *ss_snapshot(List *schemas, SsOptions *opts);
extern Jsonb *ss_snapshot_of_reads(List *diffs, List *earlier);

/* json_model.c */
extern Jsonb *ss_models_to_jsonb(List *models);
extern bool ss_models_are_document(List *models, Jsonb *doc);
extern List *ss_models_from_jsonb(Jsonb *model);
extern Datum schemasync_model_fingerprint(PG_FUNCTION_ARGS);
extern List *ss_model_changed_keys(Jsonb *model, SsModel *cur, List **quiet);
extern bool ss_jsonb_same_fields(JsonbContainer *a, JsonbContainer *b,
								 const char *const *except);
extern const char *ss_map_schema(SsOptions *opts, const char *schema);

/* normalize.c */
extern List *ss_compute_model_diffs(Jsonb *model, SsOptions *opts);
extern SsModel *ss_empty_model(const char *schema);
extern void ss_subxact_end(MemoryContext cxt, ResourceOwner owner);
extern ErrorData *ss_subxact_abort(MemoryContext cxt, ResourceOwner owner);

/* kind_partition.c */
extern void ss_read_inherited_objects(SsModel *m, Oid nsp);
extern char *ss_partition_create_sql(SsDiff *d, SsObject *t, List *cols);
extern char *ss_table_create_clauses(SsDiff *d, SsObject *t);
extern void ss_table_create_needs(SsDiff *d, SsChange *c, SsObject *t);
extern bool ss_column_in_create(SsObject *col);
extern const char *ss_partition_table_diff(SsDiff *d, SsObject *cur,
										   SsObject *want);
extern SsChange *ss_partition_drop_absorber(SsDiff *d, SsObject *cur);
extern bool ss_constraint_kept_by_link(SsDiff *d, SsObject *cur);
extern bool ss_inherited_column_defer(SsDiff *d, SsObject *cur, SsObject *want);
extern void ss_inherited_columns_diff(SsDiff *d);
/* kind_policy.c */
extern char *ss_policy_roles_text(const char *roles);

/* kind_sequence.c */
typedef struct SsOidMapEntry
{
	Oid			oid;			/* hash key */
	int			row;
} SsOidMapEntry;
extern struct HTAB *ss_oid_map_create(const char *name, long size);
extern struct HTAB *ss_oid_hash_create(const char *name, Size entrysize, long size);
extern void ss_oid_map_set(struct HTAB *map, Oid oid, int row);
extern int	ss_oid_map_get(struct HTAB *map, Oid oid);
extern struct HTAB *ss_extension_members(Oid classid);
extern const char *ss_object_seqvalue(SsObject *obj);
extern char *ss_sequence_restart(const char *lastvalue, const char *oldstart,
								 const char *newmin, const char *newmax,
								 const char *newstart, uint32 *hazards);

/* rename.c */
extern List *ss_rename_changes(SsDiff *d, SsModel *cur, List *renames);
extern SsDiff *ss_diff_with_renames(const char *target, SsModel *cur,
									SsModel *want, SsOptions *opts);

/* select.c */
extern List *ss_select_changes(List *diffs, SsOptions *opts);
extern bool ss_object_created(SsDiff *d, const char *key);

/* planner.c */
extern void ss_plan(SsDiff *d);

/* executor.c */
extern SsDiff *ss_compute_schema_diff(const char *target, const char *reference,
									  Jsonb *options, bool verifying);
extern void ss_apply_diffs(List *diffs, List *left_out, SsOptions *opts,
						   const char *what, const char *desired,
						   List *(*recompute) (void *arg), void *arg);

#endif							/* SCHEMASYNC_H */
