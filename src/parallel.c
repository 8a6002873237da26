/*-------------------------------------------------------------------------
 *
 * parallel.c
 *	  Reading the reference schema of a diff in a parallel worker; and
 *	  deparsing a model diff's target indexes in one (at the end).
 *
 * A no-op diff of two 10,000-table schemas spent most of its time reading
 * the two schemas from the catalog, one after the other, on one core.  When
 * both schemas are large, a parallel worker reads the reference while the
 * backend checks both schemas for unmodeled objects and reads the target;
 * the worker then sends its model through a shared-memory queue, in parts,
 * and the backend makes its own copy of each part as it comes.
 *
 * The worker is one of the server's parallel workers (access/parallel.h):
 * it runs in the backend's transaction, with its snapshot and its settings,
 * so it reads the catalog exactly as the backend would, including what the
 * transaction did before (the statements of an apply, for the verifying
 * diff).  The backend pushes a new active snapshot first, so that catalog
 * queries run through SPI (which cannot start a command in parallel mode,
 * and so run read-only on both sides) see those statements too.  An error
 * in the worker is raised in the backend; a worker that cannot be started
 * leaves the backend to read the reference itself.
 *
 * The copy holds everything the read left on the model: the objects with
 * their fields, properties and raw keys, what is deparsed on demand (an
 * SsLazy, sent as its number in ss_lazies), and what loading the
 * dependencies later needs (ss_model_write_unlinked).  The texts are not
 * copied again: they stay in the messages received, which live as long as
 * the model.  The copy is made by ss_object_add in the order of the
 * worker's list, so it is the model the backend would have read, object
 * for object; a build with SS_CHECK_PARALLEL_READ reads the reference in
 * the backend too and compares the two, dependencies included
 * (test/selfcheck/run.sh).
 *
 * src/parallel.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#include "access/parallel.h"
#include "access/xact.h"
#include "catalog/namespace.h"
#include "catalog/pg_type.h"
#include "common/hashfn.h"
#include "executor/spi.h"
#include "miscadmin.h"
#include "port/atomics.h"
#include "storage/proc.h"
#include "storage/shm_mq.h"
#include "storage/shm_toc.h"
#include "utils/guc.h"
#include "utils/memutils.h"
#include "utils/snapmgr.h"

#include "schemasync.h"

/* the keys of the parallel context's table of contents */
#define SS_PARALLEL_KEY_FIXED	UINT64CONST(0x5353000000000001)
#define SS_PARALLEL_KEY_QUEUE	UINT64CONST(0x5353000000000002)

/*
 * The queue the worker writes its model into: the model of a 10,000-table
 * schema is about 65 MB, and the worker waits for the backend to take each
 * part, so the queue need not hold it all.
 */
#define SS_PARALLEL_QUEUE_SIZE	(4 * 1024 * 1024)

/* about the size of each message of objects */
#define SS_PARALLEL_CHUNK		(1024 * 1024)

/* in the header and at the end of a model sent */
#define SS_PARALLEL_MAGIC		0x53534d31	/* "SSM1" */

/*
 * A read of the reference in a worker is tried when both schemas have at
 * least this many relations (pg_class rows); -1 never (the setting
 * schemasync.parallel_read_relations).
 */
static int	ss_parallel_read_relations = 2000;

/* What the worker is told. */
typedef struct SsParallelFixed
{
	char		schema[NAMEDATALEN];
	bool		read_exts;
	bool		read_acls;
	uint32		nlazies;		/* length of the backend's ss_lazies */
} SsParallelFixed;

/* A read of a schema in a worker, begun (ss_parallel_read_begin). */
struct SsParallelRead
{
	ParallelContext *pcxt;
	shm_mq_handle *mqh;
	char	   *schema;
};

/*
 * The SsLazy constants, by number: a pointer means nothing in another
 * process, which may have loaded the library at another address.
 */
static const SsLazy *const ss_lazies[] = {
	&ss_column_lazy,
	&ss_default_lazy,
	&ss_constraint_lazy,
	&ss_index_lazy,
	&ss_view_lazy,
	&ss_routine_lazy
};

PGDLLEXPORT void ss_parallel_read_main(dsm_segment *seg, shm_toc *toc);

/*
 * ss_parallel_define_setting
 *		Define schemasync.parallel_read_relations (from _PG_init).
 */
void
ss_parallel_define_setting(void)
{
	DefineCustomIntVariable("schemasync.parallel_read_relations",
							"Size from which a parallel worker reads the reference schema of a diff.",
							"When the two schemas of a schema-to-schema diff (diff, apply, check, script) "
							"each have at least this many relations (tables, indexes, sequences, views, "
							"TOAST tables), a parallel worker reads the reference while the backend "
							"reads the target; when a model (diff, apply, check, script of a model) has "
							"at least this many objects, a worker deparses the target's indexes while "
							"the backend reads the rest of it. -1 never starts one.",
							&ss_parallel_read_relations,
							2000, -1, INT_MAX,
							PGC_USERSET,
							0,
							NULL, NULL, NULL);
}

/*
 * put_int, put_str
 *		Append a number, or a text with its length (-1 for NULL) and its
 *		terminating zero, to a model being written.
 */
static inline void
put_int(StringInfo buf, int32 v)
{
	appendBinaryStringInfo(buf, (char *) &v, sizeof(v));
}

static inline void
put_str(StringInfo buf, const char *s)
{
	int32		len = s != NULL ? (int32) strlen(s) : -1;

	put_int(buf, len);
	if (s != NULL)
		appendBinaryStringInfo(buf, s, len + 1);
}

/*
 * get_int, peek_int, get_str
 *		The next number or text of a model received, at *p, which they move
 *		past (peek_int does not); a text points into the message.  An error
 *		past end.
 */
static inline int32
get_int(const char **p, const char *end)
{
	int32		v;

	if (end - *p < (ptrdiff_t) sizeof(v))
		elog(ERROR, "schemasync: the model read by a parallel worker ends early");
	memcpy(&v, *p, sizeof(v));
	*p += sizeof(v);
	return v;
}

static inline int32
peek_int(const char *p, const char *end)
{
	return get_int(&p, end);
}

static inline char *
get_str(const char **p, const char *end)
{
	int32		len = get_int(p, end);
	char	   *s;

	if (len == -1)
		return NULL;
	if (len < 0 || end - *p < (ptrdiff_t) len + 1 || (*p)[len] != '\0')
		elog(ERROR, "schemasync: the model read by a parallel worker has a broken text");
	s = (char *) *p;
	*p += len + 1;
	return s;
}

/*
 * The number of each object of a model being written, by its address; and
 * of each table's column signature (SsObject.colsig), which the raw keys of
 * its indexes and constraints share (SsObject.rawcols): written once.
 */
typedef struct SsPtrNumber
{
	const void *ptr;
	char		status;
	int32		number;
} SsPtrNumber;

/* an address's bits above the alignment of an allocation, mixed */
static inline uint32
ptr_hash(const void *p)
{
	uint64		v = (uint64) (uintptr_t) p;

	return murmurhash32((uint32) (v >> 3) ^ (uint32) (v >> 35));
}

#define SH_PREFIX ss_ptrnum
#define SH_ELEMENT_TYPE SsPtrNumber
#define SH_KEY_TYPE const void *
#define SH_KEY ptr
#define SH_HASH_KEY(tb, k) ptr_hash(k)
#define SH_EQUAL(tb, a, b) ((a) == (b))
#define SH_SCOPE static inline
#define SH_DECLARE
#define SH_DEFINE
#include "lib/simplehash.h"

/*
 * object_number
 *		ss_model_write_unlinked callback: an object's number in its model's
 *		list.
 */
static int32
object_number(SsObject *obj, void *arg)
{
	SsPtrNumber *e = ss_ptrnum_lookup((ss_ptrnum_hash *) arg, obj);

	if (e == NULL)
		elog(ERROR, "schemasync: an address of the model names an object not in it");
	return e->number;
}

/*
 * lazy_number
 *		The number of an SsLazy in ss_lazies, -1 for NULL.
 */
static int32
lazy_number(const SsLazy *lazy)
{
	int			i;

	if (lazy == NULL)
		return -1;
	for (i = 0; i < lengthof(ss_lazies); i++)
		if (ss_lazies[i] == lazy)
			return i;
	elog(ERROR, "schemasync: an object is deparsed on demand by an unknown reader");
	return -1;					/* keep compiler quiet */
}

/* the kinds of message the worker sends, in this order */
#define SS_MSG_HEADER	1		/* the model's own fields */
#define SS_MSG_OBJECTS	2		/* some objects, whole (repeated) */
#define SS_MSG_ADDRS	3		/* what loading the dependencies needs */

/* What the worker keeps while it writes its model. */
typedef struct SsModelWriter
{
	SsModel    *m;
	ss_ptrnum_hash *numbers;	/* each object's number */
	ss_ptrnum_hash *colsigs;	/* each column signature's object */
	int32		n;				/* objects written so far */
} SsModelWriter;

/*
 * write_object
 *		One object, as read_object takes it.
 */
static void
write_object(StringInfo buf, SsModelWriter *w, SsObject *obj)
{
	SsPtrNumber *e;
	bool		found;
	int			nslots = ss_object_nslots(obj->kind);
	int			i;
	ListCell   *dc;

	e = ss_ptrnum_insert(w->numbers, obj, &found);
	e->number = w->n;

	put_int(buf, obj->kind);
	/* the model's own schema (most objects) as -2 */
	if (obj->schema == w->m->schema)
		put_int(buf, -2);
	else
		put_str(buf, obj->schema);
	put_str(buf, obj->parent);
	put_str(buf, obj->name);
	put_int(buf, obj->position);
	put_int(buf, (int32) obj->oid);
	put_int(buf, (int32) obj->reloid);
	put_int(buf, (int32) obj->typoid);
	put_int(buf, obj->typmod);
	put_int(buf, (int32) obj->seqoid);
	put_int(buf, (obj->volatile_default ? 1 : 0) |
			(obj->seqvalue_read ? 2 : 0) |
			(obj->outside ? 4 : 0) |
			(obj->seqnums != NULL ? 8 : 0));
	for (i = 0; i < nslots; i++)
		put_str(buf, obj->props[i]);
	if (obj->seqnums != NULL)
	{
		put_str(buf, obj->seqnums->value);
		put_str(buf, obj->seqnums->start);
		put_str(buf, obj->seqnums->min);
		put_str(buf, obj->seqnums->max);
	}
	put_str(buf, obj->aux);
	put_str(buf, obj->raw);
	put_int(buf, lazy_number(obj->lazy));
	put_str(buf, obj->colsig);
	if (obj->colsig != NULL)
	{
		e = ss_ptrnum_insert(w->colsigs, obj->colsig, &found);
		if (!found)
			e->number = w->n;
	}
	/* a column signature written before: -2 and its object's number */
	if (obj->rawcols != NULL &&
		(e = ss_ptrnum_lookup(w->colsigs, obj->rawcols)) != NULL)
	{
		put_int(buf, -2);
		put_int(buf, e->number);
	}
	else
		put_str(buf, obj->rawcols);
	put_int(buf, list_length(obj->deps));
	foreach(dc, obj->deps)
	{
		put_str(buf, ((SsDep *) lfirst(dc))->key);
		put_int(buf, ((SsDep *) lfirst(dc))->flags);
	}
	w->n++;
}

/* What the backend keeps while it reads a model sent. */
typedef struct SsModelReader
{
	SsModel    *m;
	SsObject  **objs;			/* the objects by number */
	int32		nobjects;		/* as many as the header says */
	int32		n;				/* read so far */
	bool		done;			/* its last message came */
} SsModelReader;

/*
 * read_object
 *		The next object of a model received, at *p, which it moves past.
 */
static void
read_object(const char **p, const char *end, SsModelReader *r)
{
	SsModel    *m = r->m;
	SsKind		kind = (SsKind) get_int(p, end);
	char	   *schema;
	char	   *parent;
	char	   *name;
	SsObject   *obj;
	int			nslots;
	int			j;
	int32		flags;
	int32		ndeps;
	int32		lazy;

	if (r->n >= r->nobjects)
		elog(ERROR, "schemasync: the parallel worker sent more objects than it said");
	if ((int) kind < 0 || (int) kind >= SS_NUM_KINDS)
		elog(ERROR, "schemasync: the parallel worker sent an object of kind %d", (int) kind);
	if (peek_int(*p, end) == -2)
	{
		(void) get_int(p, end);
		schema = m->schema;
	}
	else
		schema = get_str(p, end);
	parent = get_str(p, end);
	name = get_str(p, end);
	if (schema == NULL || name == NULL)
		elog(ERROR, "schemasync: the parallel worker sent an object without a name");
	obj = ss_object_add(m, kind, schema, parent, name);
	r->objs[r->n] = obj;
	obj->position = get_int(p, end);
	obj->oid = (Oid) get_int(p, end);
	obj->reloid = (Oid) get_int(p, end);
	obj->typoid = (Oid) get_int(p, end);
	obj->typmod = get_int(p, end);
	obj->seqoid = (Oid) get_int(p, end);
	flags = get_int(p, end);
	obj->volatile_default = (flags & 1) != 0;
	obj->seqvalue_read = (flags & 2) != 0;
	obj->outside = (flags & 4) != 0;
	nslots = ss_object_nslots(kind);
	for (j = 0; j < nslots; j++)
		obj->props[j] = get_str(p, end);
	if (flags & 8)
	{
		obj->seqnums = palloc(sizeof(SsSeqNumbers));
		obj->seqnums->value = get_str(p, end);
		obj->seqnums->start = get_str(p, end);
		obj->seqnums->min = get_str(p, end);
		obj->seqnums->max = get_str(p, end);
	}
	obj->aux = get_str(p, end);
	obj->raw = get_str(p, end);
	lazy = get_int(p, end);
	if (lazy < -1 || lazy >= (int32) lengthof(ss_lazies))
		elog(ERROR, "schemasync: the parallel worker sent reader %d", lazy);
	obj->lazy = lazy >= 0 ? ss_lazies[lazy] : NULL;
	obj->colsig = get_str(p, end);
	if (peek_int(*p, end) == -2)
	{
		int32		owner;

		(void) get_int(p, end);
		owner = get_int(p, end);
		/* an object before this one, or this one */
		if (owner < 0 || owner > r->n || r->objs[owner]->colsig == NULL)
			elog(ERROR, "schemasync: the parallel worker sent the columns of object %d", owner);
		obj->rawcols = r->objs[owner]->colsig;
	}
	else
		obj->rawcols = get_str(p, end);
	ndeps = get_int(p, end);
	for (j = 0; j < ndeps; j++)
	{
		char	   *key = get_str(p, end);

		if (key == NULL)
			elog(ERROR, "schemasync: the parallel worker sent a dependency without a key");
		ss_object_add_dep(obj, key, get_int(p, end));
	}
	r->n++;
}

/*
 * read_message
 *		Take one message of the worker, copied into the current memory
 *		context (the model's texts stay there).
 */
static void
read_message(SsModelReader *r, const void *data, Size len)
{
	char	   *copy = MemoryContextAllocHuge(CurrentMemoryContext, len);
	const char *p = copy;
	const char *end = copy + len;
	int32		kind;
	int32		flags;
	int32		n;

	memcpy(copy, data, len);
	kind = get_int(&p, end);
	if (r->done || (r->m == NULL) != (kind == SS_MSG_HEADER))
		elog(ERROR, "schemasync: the parallel worker sent message %d out of order", kind);
	switch (kind)
	{
		case SS_MSG_HEADER:
			if (get_int(&p, end) != SS_PARALLEL_MAGIC)
				elog(ERROR, "schemasync: the parallel worker sent no header");
			r->m = ss_model_create(get_str(&p, end));
			r->m->defer = true;
			r->m->nsp_read = true;
			flags = get_int(&p, end);
			r->m->raw_read = (flags & 1) != 0;
			r->m->exts_read = (flags & 2) != 0;
			r->nobjects = get_int(&p, end);
			if (r->nobjects < 0)
				elog(ERROR, "schemasync: the parallel worker sent %d objects", r->nobjects);
			r->objs = MemoryContextAllocHuge(CurrentMemoryContext,
											 (r->nobjects + 1) * sizeof(SsObject *));
			break;
		case SS_MSG_OBJECTS:
			n = get_int(&p, end);
			while (n-- > 0)
				read_object(&p, end, r);
			break;
		case SS_MSG_ADDRS:
			if (r->n != r->nobjects)
				elog(ERROR, "schemasync: the parallel worker sent %d of %d objects",
					 r->n, r->nobjects);
			ss_model_link_parents(r->m);
			p = ss_model_read_unlinked(p, end, r->m, r->objs, r->n);
			if (get_int(&p, end) != SS_PARALLEL_MAGIC)
				elog(ERROR, "schemasync: the parallel worker sent no end");
			r->done = true;
			break;
		default:
			elog(ERROR, "schemasync: the parallel worker sent message %d", kind);
	}
	if (p != end)
		elog(ERROR, "schemasync: a message of the parallel worker does not end where it should");
}

/*
 * send_message
 *		Send the message in buf, whole.
 */
static void
send_message(shm_mq_handle *mqh, StringInfo buf)
{
	shm_mq_result res;

#if PG_VERSION_NUM >= 150000
	res = shm_mq_send(mqh, buf->len, buf->data, false, true);
#else
	res = shm_mq_send(mqh, buf->len, buf->data, false);
#endif
	if (res != SHM_MQ_SUCCESS)
		ereport(ERROR,
				(errcode(ERRCODE_INTERNAL_ERROR),
				 errmsg("schemasync: could not send the model to the backend")));
}

/*
 * launch_worker
 *		Enter parallel mode, with a new active snapshot (what SPI reads in
 *		parallel mode is read with it), and launch one worker at entry, a
 *		function of this library, with a copy of fixed (size bytes) and a
 *		queue of queue_size bytes that the backend receives from (*mqh, NULL
 *		when no shared memory segment could be made).
 */
static ParallelContext *
launch_worker(const char *entry, const void *fixed, Size size, Size queue_size,
			  shm_mq_handle **mqh)
{
	ParallelContext *pcxt;
	shm_mq	   *mq;

	PushActiveSnapshot(GetTransactionSnapshot());
	EnterParallelMode();
	pcxt = CreateParallelContext("schemasync", entry, 1);
	shm_toc_estimate_chunk(&pcxt->estimator, size);
	shm_toc_estimate_chunk(&pcxt->estimator, queue_size);
	shm_toc_estimate_keys(&pcxt->estimator, 2);
	InitializeParallelDSM(pcxt);
	*mqh = NULL;
	if (pcxt->seg != NULL)
	{
		shm_toc_insert(pcxt->toc, SS_PARALLEL_KEY_FIXED,
					   memcpy(shm_toc_allocate(pcxt->toc, size), fixed, size));
		mq = shm_mq_create(shm_toc_allocate(pcxt->toc, queue_size), queue_size);
		shm_toc_insert(pcxt->toc, SS_PARALLEL_KEY_QUEUE, mq);
		shm_mq_set_receiver(mq, MyProc);
		*mqh = shm_mq_attach(mq, pcxt->seg, NULL);
		LaunchParallelWorkers(pcxt);
		if (pcxt->nworkers_launched > 0)
			shm_mq_set_handle(*mqh, pcxt->worker[0].bgwhandle);
	}
	return pcxt;
}

/*
 * attach_queue
 *		In a worker launched by launch_worker: what it was told (*fixed), and
 *		the handle of the queue it sends into.
 */
static shm_mq_handle *
attach_queue(dsm_segment *seg, shm_toc *toc, void **fixed)
{
	shm_mq	   *mq = shm_toc_lookup(toc, SS_PARALLEL_KEY_QUEUE, false);

	*fixed = shm_toc_lookup(toc, SS_PARALLEL_KEY_FIXED, false);
	shm_mq_set_sender(mq, MyProc);
	return shm_mq_attach(mq, seg, NULL);
}

/*
 * ss_parallel_read_main
 *		The worker's entry point: read the schema it is told with raw keys,
 *		as ss_compute_schema_diff would, and send the model: its header,
 *		its objects in parts of about SS_PARALLEL_CHUNK bytes, which the
 *		backend makes its objects of while the next part is written, and
 *		the state for loading its dependencies.
 */
void
ss_parallel_read_main(dsm_segment *seg, shm_toc *toc)
{
	SsParallelFixed *fixed;
	shm_mq_handle *mqh = attach_queue(seg, toc, (void **) &fixed);
	MemoryContext cxt;
	MemoryContext back;
	SsModel    *m;
	SsModelWriter w;
	StringInfoData buf;
	ListCell   *lc;
	int32		count = 0;

	if (fixed->nlazies != lengthof(ss_lazies))
		elog(ERROR, "schemasync: the parallel worker loaded another build of the library");

	cxt = AllocSetContextCreate(CurrentMemoryContext, "schemasync parallel read",
								ALLOCSET_DEFAULT_SIZES);

	/*
	 * The worker is a new process: every page of its model is a fresh one,
	 * as a new session's are, so it takes huge pages under the same rule as
	 * the backend's call (hugemem.c).  Without them its read took 1.5 to 2
	 * times as long as the backend's own and the worker was no gain below
	 * about 10,000 tables.
	 */
	ss_hugemem_begin(cxt);
	back = MemoryContextSwitchTo(cxt);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(cxt);
	ss_read_raw = true;
	ss_read_exts = fixed->read_exts;
	ss_read_acls = fixed->read_acls;
	m = ss_read_schema(fixed->schema);

	w.m = m;
	w.numbers = ss_ptrnum_create(cxt, list_length(m->objects) + 1, NULL);
	w.colsigs = ss_ptrnum_create(cxt, 1024, NULL);
	w.n = 0;
	initStringInfo(&buf);
	enlargeStringInfo(&buf, SS_PARALLEL_CHUNK + 64 * 1024);

	put_int(&buf, SS_MSG_HEADER);
	put_int(&buf, SS_PARALLEL_MAGIC);
	put_str(&buf, m->schema);
	put_int(&buf, (m->raw_read ? 1 : 0) | (m->exts_read ? 2 : 0));
	put_int(&buf, list_length(m->objects));
	send_message(mqh, &buf);

	foreach(lc, m->objects)
	{
		if (count == 0)
		{
			resetStringInfo(&buf);
			put_int(&buf, SS_MSG_OBJECTS);
			put_int(&buf, 0);	/* how many, set when sent */
		}
		write_object(&buf, &w, lfirst(lc));
		count++;
		if (buf.len >= SS_PARALLEL_CHUNK || lnext(m->objects, lc) == NULL)
		{
			memcpy(buf.data + sizeof(int32), &count, sizeof(int32));
			send_message(mqh, &buf);
			count = 0;
		}
	}

	resetStringInfo(&buf);
	put_int(&buf, SS_MSG_ADDRS);
	ss_model_write_unlinked(&buf, m, object_number, w.numbers);
	put_int(&buf, SS_PARALLEL_MAGIC);
	send_message(mqh, &buf);

	SPI_finish();
	MemoryContextSwitchTo(back);
	MemoryContextDelete(cxt);
	shm_mq_detach(mqh);
}

#ifdef SS_CHECK_PARALLEL_READ
/*
 * objects_text
 *		The objects of a model as write_object writes them, and for each its
 *		dependencies and dependents by key (which loads them).
 */
static StringInfo
objects_text(SsModel *m)
{
	StringInfo	buf = makeStringInfo();
	SsModelWriter w;
	ListCell   *lc;

	w.m = m;
	w.numbers = ss_ptrnum_create(CurrentMemoryContext, 1024, NULL);
	w.colsigs = ss_ptrnum_create(CurrentMemoryContext, 1024, NULL);
	w.n = 0;
	foreach(lc, m->objects)
		write_object(buf, &w, lfirst(lc));
	foreach(lc, m->objects)
	{
		SsObject   *obj = lfirst(lc);
		ListCell   *dc;

		appendStringInfo(buf, "%s:", obj->key);
		foreach(dc, ss_deps(obj))
			appendStringInfo(buf, " %s/%d", ((SsDep *) lfirst(dc))->key,
							 ((SsDep *) lfirst(dc))->flags);
		appendStringInfoString(buf, " <-");
		foreach(dc, ss_dependents(obj))
			appendStringInfo(buf, " %s", ((SsObject *) lfirst(dc))->key);
		appendStringInfoChar(buf, '\n');
	}
	return buf;
}

/*
 * check_parallel_read
 *		Read schema again in this backend and compare its model with m, the
 *		worker's, object for object, dependencies included: an error when
 *		they differ.  The two models' dependencies are loaded on the way.
 */
static void
check_parallel_read(SsModel *m, const char *schema)
{
	MemoryContext cxt = AllocSetContextCreate(CurrentMemoryContext,
											  "schemasync parallel read check",
											  ALLOCSET_DEFAULT_SIZES);
	MemoryContext back = MemoryContextSwitchTo(cxt);
	bool		raw = ss_read_raw;
	SsModel    *local;
	StringInfo	a;
	StringInfo	b;

	/* as the worker reads: with raw keys */
	ss_read_raw = true;
	local = ss_read_schema(schema);
	ss_read_raw = raw;
	a = objects_text(local);
	b = objects_text(m);
	if (a->len != b->len || memcmp(a->data, b->data, a->len) != 0)
		elog(ERROR, "schemasync: the model a parallel worker read of schema \"%s\" differs from this backend's",
			 schema);
	ereport(LOG_SERVER_ONLY,
			(errmsg_internal("schemasync: the model a parallel worker read of schema \"%s\" is the same (%d objects)",
							 schema, list_length(m->objects))));
	MemoryContextSwitchTo(back);
	MemoryContextDelete(cxt);
}
#endif

/*
 * ss_parallel_read_begin
 *		Start a worker reading schema reference (nsp), while the caller
 *		reads target (tnsp), when both are large enough and a worker can be
 *		had; NULL when not tried.  Both schemas' pg_class rows must have
 *		been read ahead (ss_read_classes_ahead).  Leaves the backend in
 *		parallel mode, with a new active snapshot, until
 *		ss_parallel_read_end.
 */
SsParallelRead *
ss_parallel_read_begin(const char *reference, Oid nsp, Oid tnsp)
{
	SsParallelRead *pr;
	SsParallelFixed fixed;
	int			nref = ss_classes_ahead_rows(nsp);
	int			ntarget = ss_classes_ahead_rows(tnsp);

	if (ss_parallel_read_relations < 0 || nref < ss_parallel_read_relations ||
		ntarget < ss_parallel_read_relations ||
		IsInParallelMode() || max_parallel_workers == 0 ||
		strlen(reference) >= NAMEDATALEN)
		return NULL;

	memset(&fixed, 0, sizeof(fixed));
	strlcpy(fixed.schema, reference, NAMEDATALEN);
	fixed.read_exts = ss_read_exts;
	fixed.read_acls = ss_read_acls;
	fixed.nlazies = lengthof(ss_lazies);
	pr = palloc0(sizeof(SsParallelRead));
	pr->schema = pstrdup(reference);
	pr->pcxt = launch_worker("ss_parallel_read_main", &fixed, sizeof(fixed),
							 SS_PARALLEL_QUEUE_SIZE, &pr->mqh);
	return pr;
}

/*
 * ss_parallel_read_working
 *		Whether a worker was started for a read begun.
 */
bool
ss_parallel_read_working(SsParallelRead *pr)
{
	return pr->pcxt->nworkers_launched > 0;
}

/*
 * ss_parallel_read_end
 *		The model of the schema a worker was started on, made in the current
 *		memory context (read by the backend itself when no worker started);
 *		the backend leaves parallel mode and its snapshot.
 */
SsModel *
ss_parallel_read_end(SsParallelRead *pr)
{
	ParallelContext *pcxt = pr->pcxt;
	SsModel    *m;

	if (pcxt->nworkers_launched > 0)
	{
		SsModelReader r;

		memset(&r, 0, sizeof(r));
		for (;;)
		{
			Size		n;
			void	   *data;
			shm_mq_result res = shm_mq_receive(pr->mqh, &n, &data, false);

			if (res == SHM_MQ_DETACHED)
				break;
			if (res != SHM_MQ_SUCCESS)
				elog(ERROR, "schemasync: could not receive the model from the parallel worker");
			read_message(&r, data, n);
		}
		/* an error of the worker is raised here */
		WaitForParallelWorkersToFinish(pcxt);
		if (!r.done)
			elog(ERROR, "schemasync: the parallel worker stopped before the end of the model");
		m = r.m;
		pfree(r.objs);
#ifdef SS_CHECK_PARALLEL_READ
		check_parallel_read(m, pr->schema);
#endif
		ereport(DEBUG2,
				(errmsg_internal("schemasync: a parallel worker read schema \"%s\" (%d objects)",
								 pr->schema, r.n)));
	}
	else
		m = ss_read_schema(pr->schema);
	DestroyParallelContext(pcxt);
	ExitParallelMode();
	PopActiveSnapshot();
	return m;
}

/*
 * Deparsing ahead of a read.
 *
 * A read with every text deparsed (the target of a model diff) spends most
 * of its time in the server's deparsers and the catalog lookups they make:
 * pg_get_indexdef, pg_get_constraintdef and pg_get_viewdef, and the
 * relation cache entries the deparsers of expressions build for their
 * tables' column names.  A parallel worker deparses, with the reader's
 * search path and settings, the texts of the schema's CHECK constraints
 * (definition and expression), views and indexes (definition and
 * predicate), phase by phase in the order the backend reads them
 * (ss_read_schema), and sends them; meanwhile the backend reads.
 *
 * The two share the work rather than the backend waiting.  The worker
 * goes table by table from the last OID, each table's CHECK constraints
 * with its indexes (the deparsers of both build that table's relation cache
 * entry: one process builds it), while the backend's scan of pg_constraint
 * goes from the first; then the views, from the last name; then the
 * indexes of the tables it did not reach, from the last name.  The backend
 * takes an object's texts only when they have arrived
 * (ss_check_deparsed_ahead, ss_view_deparsed_ahead,
 * ss_index_deparsed_ahead), deparsing the others itself, and tells the
 * worker in the shared segment the last table whose CHECK constraints it
 * deparsed (SsAheadFixed.at: the worker's first phase stops there) and
 * each phase it has read (ss_deparse_ahead_passed: the worker leaves it).
 * So they meet wherever the worker's start and speed put that: on the
 * benchmark's schemas the worker sent 918 of 1,196 CHECK constraints, all
 * 100 views and 2,184 of 2,277 indexes at 1,000 tables, and 6,383 of
 * 12,107, 894 of 1,000 and 17,282 of 22,780 at 10,000.  Other texts (keys,
 * foreign keys, defaults, functions, triggers) are left to the backend.
 *
 * The worker runs in the backend's transaction, with its snapshot and
 * settings, so its texts are the backend's own; a build with
 * SS_CHECK_PARALLEL_READ waits for every text of the worker, deparses it
 * again in the backend and compares.
 */

#define SS_AHEAD_QUEUE_SIZE	(4 * 1024 * 1024)
#define SS_AHEAD_CHUNK		(4 * 1024)

/* What the worker is told, and what the backend tells it on the way. */
typedef struct SsAheadFixed
{
	char		schema[NAMEDATALEN];
	Oid			nsp;
	pg_atomic_uint32 passed;	/* the last phase the backend has read */
	pg_atomic_uint32 at;		/* the last table whose CHECK constraints
								 * the backend deparsed itself */
} SsAheadFixed;

/*
 * The phases of the read that the kinds of objects whose texts are
 * deparsed ahead (SS_AHEAD_CHECK, ...) are in, in the reader's order
 * (ss_read_schema).
 */
#define SS_AHEAD_PHASE_CHECK	1
#define SS_AHEAD_PHASE_VIEW		2
#define SS_AHEAD_PHASE_INDEX	3

/* the part of a list of objects deparsed ahead that lists indexes */
#define SS_AHEAD_INDEX_LIST \
	"SELECT i.indrelid, ascii(" CppAsString2(SS_AHEAD_INDEX) "), i.indexrelid, c.relname" \
	" FROM pg_catalog.pg_index i" \
	" JOIN pg_catalog.pg_class c ON c.oid = i.indexrelid" \
	" WHERE c.relnamespace = $1 AND NOT c.relispartition" \
	" AND NOT EXISTS (SELECT FROM pg_catalog.pg_constraint k" \
	" WHERE k.conindid = i.indexrelid AND k.contype IN ('p', 'u', 'x'))"

/* Which object's texts: the key of the hash of texts received. */
typedef struct SsAheadKey
{
	Oid			oid;
	int32		kind;			/* SS_AHEAD_CHECK, _VIEW or _INDEX */
} SsAheadKey;

/*
 * The texts of one object received: a CHECK constraint's definition and
 * expression, a view's definition, or an index's definition and predicate.
 */
typedef struct SsAheadEntry
{
	SsAheadKey	key;			/* hash key */
	char	   *def;
	char	   *pred;
} SsAheadEntry;


/* The deparsing ahead begun (ss_deparse_ahead_begin), if any. */
typedef struct SsDeparseAhead
{
	ParallelContext *pcxt;
	shm_mq_handle *mqh;
	MemoryContext cxt;			/* the messages and the hash */
	HTAB	   *texts;
	SsAheadFixed *shared;		/* what the worker was told, in the segment */
	bool		done;			/* the worker sent all it will */
	int			nreceived;
	int			ntaken;
	int			nkind[3];		/* of them CHECKs, views, indexes */
	int			nkind_taken[3];
	char	   *schema;
} SsDeparseAhead;

static SsDeparseAhead *ss_ahead = NULL;

/* the transaction of ss_ahead: one left by an error is never looked at */
static LocalTransactionId ss_ahead_lxid = InvalidLocalTransactionId;

PGDLLEXPORT void ss_deparse_ahead_main(dsm_segment *seg, shm_toc *toc);

/*
 * kind_texts
 *		The texts the reader keeps of an object of a kind deparsed ahead,
 *		in the current memory context (ss_check_texts, ss_view_texts,
 *		ss_index_texts); *def NULL when it is gone.
 */
static void
kind_texts(int32 kind, Oid oid, char **def, char **pred)
{
	if (kind == SS_AHEAD_CHECK)
		ss_check_texts(oid, def, pred);
	else if (kind == SS_AHEAD_VIEW)
		ss_view_texts(oid, def, pred);
	else
		ss_index_texts(oid, def, pred);
}

/*
 * ahead_send
 *		Deparse the objects a catalog query lists (its columns: the table,
 *		the kind, SS_AHEAD_CHECK, _VIEW or _INDEX as a number, and the
 *		object's OID; its parameters the schema's OID and, when nargs is 2,
 *		arg2) as the reader would, and send their texts in messages of about
 *		SS_AHEAD_CHUNK bytes; until the backend has read phase, and with
 *		by_table, until the table is one whose CHECK constraints the backend
 *		has reached (SsAheadFixed.at).  Returns the table it stopped at
 *		(those up to it are left), InvalidOid when it went to the end,
 *		OID_MAX when the backend had read the phase before it began.
 */
static Oid
ahead_send(shm_mq_handle *mqh, MemoryContext rowcxt, const char *sql,
		   SsAheadFixed *fixed, int nargs, Oid arg2, int phase, bool by_table)
{
	Oid			argtypes[2] = {OIDOID, OIDOID};
	Datum		args[2];
	uint64		i;
	SPITupleTable *tt;
	StringInfoData buf;
	Oid			stopped = InvalidOid;

	if (pg_atomic_read_u32(&fixed->passed) >= (uint32) phase)
		return OID_MAX;
	args[0] = ObjectIdGetDatum(fixed->nsp);
	args[1] = ObjectIdGetDatum(arg2);
	if (SPI_execute_with_args(sql, nargs, argtypes, args, NULL, true, 0) != SPI_OK_SELECT)
		elog(ERROR, "schemasync: could not list the objects to deparse ahead");
	tt = SPI_tuptable;
	initStringInfo(&buf);
	for (i = 0; i < SPI_processed; i++)
	{
		bool		isnull;
		Oid			relid = DatumGetObjectId(SPI_getbinval(tt->vals[i], tt->tupdesc, 1, &isnull));
		int32		kind = DatumGetInt32(SPI_getbinval(tt->vals[i], tt->tupdesc, 2, &isnull));
		Oid			oid = DatumGetObjectId(SPI_getbinval(tt->vals[i], tt->tupdesc, 3, &isnull));
		MemoryContext back;
		char	   *def;
		char	   *pred;

		CHECK_FOR_INTERRUPTS();
		if (pg_atomic_read_u32(&fixed->passed) >= (uint32) phase ||
			(by_table && relid <= pg_atomic_read_u32(&fixed->at)))
		{
			stopped = relid;
			break;
		}
		back = MemoryContextSwitchTo(rowcxt);
		kind_texts(kind, oid, &def, &pred);
		MemoryContextSwitchTo(back);
		if (def != NULL)
		{
			put_int(&buf, kind);
			put_int(&buf, (int32) oid);
			put_str(&buf, def);
			put_str(&buf, pred);
		}
		MemoryContextReset(rowcxt);
		if (buf.len >= SS_AHEAD_CHUNK)
		{
			send_message(mqh, &buf);
			resetStringInfo(&buf);
		}
	}
	if (buf.len > 0)
		send_message(mqh, &buf);
	pfree(buf.data);
	SPI_freetuptable(tt);
	return stopped;
}

/*
 * ss_deparse_ahead_main
 *		The worker's entry point: deparse texts of the schema's CHECK
 *		constraints, views and indexes, with the reader's search path and
 *		settings, each phase until the backend has read it, and send them.
 */
void
ss_deparse_ahead_main(dsm_segment *seg, shm_toc *toc)
{
	SsAheadFixed *fixed;
	shm_mq_handle *mqh = attach_queue(seg, toc, (void **) &fixed);
	MemoryContext cxt;
	MemoryContext rowcxt;
	MemoryContext back;
	Oid			stopped;
	int			nest;

	cxt = AllocSetContextCreate(CurrentMemoryContext, "schemasync deparse ahead",
								ALLOCSET_DEFAULT_SIZES);
	rowcxt = AllocSetContextCreate(cxt, "schemasync deparse ahead row",
								   ALLOCSET_DEFAULT_SIZES);
	back = MemoryContextSwitchTo(cxt);
	if (SPI_connect() != SPI_OK_CONNECT)
		elog(ERROR, "SPI_connect failed");
	MemoryContextSwitchTo(cxt);
	nest = ss_push_search_path(fixed->schema);
	ss_set_reader_gucs();

	/*
	 * Table by table from the last (the backend's scan of pg_constraint
	 * goes by its index on conrelid, contypid, conname), each table's own
	 * CHECK constraints and its indexes that no constraint owns and that
	 * are no partition: they build the same relation cache entry, the
	 * table's.  Until the tables whose CHECK constraints the backend
	 * reached.
	 */
	stopped = ahead_send(mqh, rowcxt,
						 "SELECT k.conrelid, ascii(" CppAsString2(SS_AHEAD_CHECK) "), k.oid, k.conname"
						 " FROM pg_catalog.pg_constraint k"
						 " JOIN pg_catalog.pg_class c ON c.oid = k.conrelid"
						 " WHERE c.relnamespace = $1 AND k.contype = 'c'"
						 " AND k.conparentid = 0 AND k.coninhcount = 0"
						 " UNION ALL " SS_AHEAD_INDEX_LIST
						 " ORDER BY 1 DESC, 2, 4 DESC",
						 fixed, 1, InvalidOid, SS_AHEAD_PHASE_CHECK, true);

	/* views and materialized views, by name from the last */
	(void) ahead_send(mqh, rowcxt,
					  "SELECT c.oid, ascii(" CppAsString2(SS_AHEAD_VIEW) "), c.oid FROM pg_catalog.pg_class c"
					  " WHERE c.relnamespace = $1 AND c.relkind IN ('v', 'm')"
					  " ORDER BY c.relname DESC",
					  fixed, 1, InvalidOid, SS_AHEAD_PHASE_VIEW, false);

	/* the indexes of the tables it did not reach, by name from the last */
	if (OidIsValid(stopped))
		(void) ahead_send(mqh, rowcxt,
						  SS_AHEAD_INDEX_LIST " AND i.indrelid <= $2"
						  " ORDER BY c.relname DESC",
						  fixed, 2, stopped, SS_AHEAD_PHASE_INDEX, false);

	ss_pop_search_path(nest);
	SPI_finish();
	MemoryContextSwitchTo(back);
	MemoryContextDelete(cxt);
	shm_mq_detach(mqh);
}

/*
 * ss_deparse_ahead_begin
 *		Start a worker deparsing the indexes of schema that a read of it
 *		with every text deparsed is about to need, when size (the objects of
 *		the model the read is for) reaches the setting
 *		schemasync.parallel_read_relations, the schema exists and a worker
 *		can be had.  Leaves the backend in parallel mode, with a new active
 *		snapshot, until ss_deparse_ahead_end.
 */
void
ss_deparse_ahead_begin(const char *schema, int size)
{
	SsDeparseAhead *da;
	SsAheadFixed fixed;
	HASHCTL		ctl;

	/* one left by an error: its context went with the (sub)transaction */
	ss_ahead = NULL;
	if (ss_parallel_read_relations < 0 || size < ss_parallel_read_relations ||
		IsInParallelMode() || max_parallel_workers == 0 || ss_read_raw ||
		strlen(schema) >= NAMEDATALEN)
		return;
	memset(&fixed, 0, sizeof(fixed));
	fixed.nsp = get_namespace_oid(schema, true);
	if (!OidIsValid(fixed.nsp))
		return;					/* the read raises the error */
	strlcpy(fixed.schema, schema, NAMEDATALEN);
	pg_atomic_init_u32(&fixed.passed, 0);
	pg_atomic_init_u32(&fixed.at, InvalidOid);
	da = palloc0(sizeof(SsDeparseAhead));
	da->schema = pstrdup(schema);
	da->cxt = AllocSetContextCreate(CurrentMemoryContext, "schemasync texts deparsed ahead",
									ALLOCSET_DEFAULT_SIZES);
	memset(&ctl, 0, sizeof(ctl));
	ctl.keysize = sizeof(SsAheadKey);
	ctl.entrysize = sizeof(SsAheadEntry);
	ctl.hcxt = da->cxt;
	da->texts = hash_create("schemasync texts deparsed ahead", 1024, &ctl,
							HASH_ELEM | HASH_BLOBS | HASH_CONTEXT);
	da->pcxt = launch_worker("ss_deparse_ahead_main", &fixed, sizeof(fixed),
							 SS_AHEAD_QUEUE_SIZE, &da->mqh);
	da->done = da->pcxt->nworkers_launched == 0;
	if (!da->done)
		da->shared = shm_toc_lookup(da->pcxt->toc, SS_PARALLEL_KEY_FIXED, false);
	ss_ahead = da;
	ss_ahead_lxid = MyProc->lxid;
}

/*
 * kind_slot
 *		The index of a kind of texts deparsed ahead in the counts, -1 for
 *		none.
 */
static int
kind_slot(int32 kind)
{
	switch (kind)
	{
		case SS_AHEAD_CHECK:
			return 0;
		case SS_AHEAD_VIEW:
			return 1;
		case SS_AHEAD_INDEX:
			return 2;
	}
	return -1;
}

/*
 * ahead_receive
 *		Take the next message of the worker into the hash of texts, waiting
 *		for it unless nowait; false when there is none (the worker has sent
 *		all it will, or with nowait, nothing has arrived).
 */
static bool
ahead_receive(SsDeparseAhead *da, bool nowait)
{
	Size		n;
	void	   *data;
	char	   *copy;
	const char *p;
	const char *end;
	shm_mq_result res;

	if (da->done)
		return false;
	res = shm_mq_receive(da->mqh, &n, &data, nowait);
	if (res == SHM_MQ_WOULD_BLOCK)
		return false;
	if (res == SHM_MQ_DETACHED)
	{
		da->done = true;
		return false;
	}
	if (res != SHM_MQ_SUCCESS)
		elog(ERROR, "schemasync: could not receive texts from the parallel worker");
	copy = MemoryContextAlloc(da->cxt, n);
	memcpy(copy, data, n);
	p = copy;
	end = copy + n;
	while (p < end)
	{
		SsAheadKey	key;
		SsAheadEntry *e;

		memset(&key, 0, sizeof(key));
		key.kind = get_int(&p, end);
		key.oid = (Oid) get_int(&p, end);
		if (kind_slot(key.kind) < 0)
			elog(ERROR, "schemasync: the parallel worker sent texts of kind %d", key.kind);
		e = hash_search(da->texts, &key, HASH_ENTER, NULL);
		e->def = get_str(&p, end);
		e->pred = get_str(&p, end);
		da->nreceived++;
		da->nkind[kind_slot(key.kind)]++;
	}
	return true;
}

/*
 * ahead_take
 *		The texts a worker deparsed of an object of the read, into *def and
 *		*pred, when they have arrived; false when not (the backend deparses
 *		them itself: the worker goes the other way round), or when no worker
 *		deparses ahead.  They live until ss_deparse_ahead_end: the caller
 *		copies them.
 */
static bool
ahead_take(int32 kind, Oid oid, Oid relid, char **def, char **pred)
{
	SsDeparseAhead *da = ss_ahead;
	SsAheadEntry *e;
	SsAheadKey	key;

	if (da == NULL || ss_ahead_lxid != MyProc->lxid)
		return false;
	memset(&key, 0, sizeof(key));
	key.kind = kind;
	key.oid = oid;
	while (ahead_receive(da, true))
		;
	e = hash_search(da->texts, &key, HASH_FIND, NULL);
#ifdef SS_CHECK_PARALLEL_READ
	/* the check waits for the worker, to compare all it deparses */
	while (e == NULL && ahead_receive(da, false))
		e = hash_search(da->texts, &key, HASH_FIND, NULL);
#endif
	if (e == NULL)
	{
		/* the backend deparses its table's texts: the worker stops there */
		if (kind == SS_AHEAD_CHECK && da->shared != NULL &&
			relid > pg_atomic_read_u32(&da->shared->at))
			pg_atomic_write_u32(&da->shared->at, relid);
		return false;
	}
	*def = e->def;
	*pred = e->pred;
	da->ntaken++;
	da->nkind_taken[kind_slot(kind)]++;
#ifdef SS_CHECK_PARALLEL_READ
	{
		char	   *a;
		char	   *b;

		kind_texts(kind, oid, &a, &b);
		if (a == NULL || strcmp(a, e->def) != 0 || (b == NULL) != (e->pred == NULL) ||
			(b != NULL && strcmp(b, e->pred) != 0))
			elog(ERROR, "schemasync: the texts a parallel worker deparsed of %s %u differ from this backend's",
				 kind == SS_AHEAD_INDEX ? "index" : kind == SS_AHEAD_VIEW ? "view" : "constraint",
				 oid);
	}
#endif
	return true;
}

/*
 * ss_check_deparsed_ahead, ss_view_deparsed_ahead, ss_index_deparsed_ahead
 *		The texts a worker deparsed of a CHECK constraint of the read, of
 *		table relid (ss_check_texts), of a view (ss_view_texts) or of an
 *		index (ss_index_texts), when they have arrived (ahead_take); false
 *		when the backend is to deparse them.  They live until
 *		ss_deparse_ahead_end: the caller copies them.
 */
bool
ss_check_deparsed_ahead(Oid oid, Oid relid, char **def, char **expr)
{
	return ahead_take(SS_AHEAD_CHECK, oid, relid, def, expr);
}

bool
ss_view_deparsed_ahead(Oid oid, char **def)
{
	char	   *none;

	return ahead_take(SS_AHEAD_VIEW, oid, InvalidOid, def, &none);
}

bool
ss_index_deparsed_ahead(Oid oid, char **def, char **pred)
{
	return ahead_take(SS_AHEAD_INDEX, oid, InvalidOid, def, pred);
}

/*
 * ss_deparse_ahead_passed
 *		Tell the worker deparsing ahead, if any, that the backend has read
 *		the objects of a kind (SS_AHEAD_CHECK after the constraints, _VIEW,
 *		_INDEX): it leaves their phase, and those before, for the next.
 */
void
ss_deparse_ahead_passed(char kind)
{
	SsDeparseAhead *da = ss_ahead;
	uint32		phase = kind == SS_AHEAD_CHECK ? SS_AHEAD_PHASE_CHECK :
		kind == SS_AHEAD_VIEW ? SS_AHEAD_PHASE_VIEW : SS_AHEAD_PHASE_INDEX;

	if (da == NULL || ss_ahead_lxid != MyProc->lxid || da->shared == NULL)
		return;
	if (pg_atomic_read_u32(&da->shared->passed) < phase)
		pg_atomic_write_u32(&da->shared->passed, phase);
}

/*
 * ss_deparse_ahead_end
 *		End the deparsing ahead begun, if any: the worker's texts not taken
 *		are dropped, an error of the worker is raised, and the backend
 *		leaves parallel mode and its snapshot.
 */
void
ss_deparse_ahead_end(void)
{
	SsDeparseAhead *da = ss_ahead;

	ss_ahead = NULL;
	if (da == NULL || ss_ahead_lxid != MyProc->lxid)
		return;
	if (da->pcxt->nworkers_launched > 0)
	{
		/*
		 * Whatever it is at, nothing more is needed: it stops at its next
		 * object.  It is let finish rather than stopped, so that its error,
		 * if any, is raised.
		 */
		if (da->shared != NULL)
			pg_atomic_write_u32(&da->shared->passed, SS_AHEAD_PHASE_INDEX);
		while (ahead_receive(da, false))
			;
		WaitForParallelWorkersToFinish(da->pcxt);
	}
#ifdef SS_CHECK_PARALLEL_READ
	if (da->ntaken > 0)
		ereport(LOG_SERVER_ONLY,
				(errmsg_internal("schemasync: the texts a parallel worker deparsed ahead of schema \"%s\" are the same (taken: %d of %d CHECK constraints, %d of %d views, %d of %d indexes)",
								 da->schema,
								 da->nkind_taken[0], da->nkind[0],
								 da->nkind_taken[1], da->nkind[1],
								 da->nkind_taken[2], da->nkind[2])));
#endif
	ereport(DEBUG2,
			(errmsg_internal("schemasync: a parallel worker deparsed ahead of schema \"%s\" %d CHECK constraints, %d views, %d indexes; %d, %d, %d taken",
							 da->schema, da->nkind[0], da->nkind[1], da->nkind[2],
							 da->nkind_taken[0], da->nkind_taken[1], da->nkind_taken[2])));
	DestroyParallelContext(da->pcxt);
	ExitParallelMode();
	PopActiveSnapshot();
	MemoryContextDelete(da->cxt);
	pfree(da->schema);
	pfree(da);
}

/*
 * ss_deparse_ahead_abandon
 *		Forget the deparsing ahead on an error: the (sub)transaction's abort
 *		stops the worker and leaves parallel mode.
 */
void
ss_deparse_ahead_abandon(void)
{
	ss_ahead = NULL;
}
