/*-------------------------------------------------------------------------
 *
 * hugemem.c
 *	  Transparent huge pages for the memory of one call.
 *
 * A diff of 1,000 tables allocates 50 to 150 MB, and in a new session each
 * 4 kB page of it is touched for the first time: a page fault each, 11,000
 * to 39,000 of them, which on a virtual machine cost several microseconds
 * each (on the machine of docs/benchmarks.md, a quarter of the CPU time of
 * a no-op diff in a new session).  Linux backs the ranges that a process
 * marks with madvise(MADV_HUGEPAGE) with 2 MB pages when its transparent
 * huge pages are "madvise" (or "always"): one fault per 2 MB instead.
 *
 * The memory of a call comes from glibc's malloc through memory contexts,
 * so ss_hugemem_begin prepares the part of the heap that malloc serves the
 * call from.  It has glibc raise its mmap threshold (glibc raises it to
 * the size of a large block freed, up to 32 MB, so that blocks under it are
 * taken from the heap), takes blocks under the threshold from the heap (as
 * many as the size of pg_class says the call may need, region_parts),
 * marks them, and frees all but the last.  That one stays allocated
 * above the freed range, so that glibc does not give the range back to the
 * system, until the call's memory context goes, normally or on error
 * (hugemem_release).  malloc then serves the call's memory context blocks
 * from the marked range.  Nothing is touched on the way: the range takes
 * address space, not memory, and what the call touches of it is returned
 * with the rest (malloc_trim, schemasync.c).
 *
 * Only with glibc on Linux, and not when the system's transparent huge
 * pages are "never" (nothing to gain), when memory overcommit is strict
 * (vm.overcommit_memory = 2: the range would count against the commit
 * limit), or when the setting schemasync.huge_pages is off.
 *
 * src/hugemem.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#if defined(__GLIBC__) && defined(__linux__)
#include <sys/mman.h>
#endif

#include "access/table.h"
#include "catalog/pg_class.h"
#include "storage/bufmgr.h"
#include "storage/fd.h"
#include "utils/guc.h"
#include "utils/memutils.h"

#include "schemasync.h"

/* the setting schemasync.huge_pages */
static bool ss_huge_pages = true;

#if defined(__GLIBC__) && defined(__linux__) && defined(MADV_HUGEPAGE)
#define SS_HUGEMEM 1

/* a block glibc maps, whose free raises its threshold (at most 32 MB) */
#define HUGEMEM_RAISE	((Size) 32 * 1024 * 1024 - 64 * 1024)
/* the blocks taken from the heap, under that threshold, besides the kept one */
#define HUGEMEM_PART	((Size) 30 * 1024 * 1024)
#define HUGEMEM_MAX_PARTS 16
/* bytes of a call's memory per byte of pg_class, about (see region_parts) */
#define HUGEMEM_PER_CLASS_BYTE 40
#define HUGEMEM_PAGE	((uintptr_t) 2 * 1024 * 1024)

/* whether the system can give huge pages: -1 not looked at yet */
static int	hugemem_usable = -1;

/* the block kept above the marked range during a call, or NULL */
static void *hugemem_guard = NULL;

/*
 * first_line
 *		The first line of a small system file into buf, or false when it
 *		cannot be read.
 */
static bool
first_line(const char *path, char *buf, int len)
{
	FILE	   *f = AllocateFile(path, "r");
	bool		ok;

	if (f == NULL)
		return false;
	ok = fgets(buf, len, f) != NULL;
	FreeFile(f);
	return ok;
}

/*
 * system_usable
 *		Whether transparent huge pages can be asked for, and address space
 *		taken without counting against a strict commit limit; looked at once
 *		per session.
 */
static bool
system_usable(void)
{
	if (hugemem_usable < 0)
	{
		char		buf[256];

		hugemem_usable =
			first_line("/sys/kernel/mm/transparent_hugepage/enabled", buf, sizeof(buf)) &&
			strstr(buf, "[never]") == NULL &&
			!(first_line("/proc/sys/vm/overcommit_memory", buf, sizeof(buf)) &&
			  buf[0] == '2');
	}
	return hugemem_usable == 1;
}

/*
 * region_parts
 *		How many blocks to mark: a call's memory grows with the schemas it
 *		reads, which the size of pg_class bounds.  A diff of the model of a
 *		1,000-table schema in a database whose pg_class takes 4 MB allocated
 *		150 MB; a no-op diff of two 10,000-table schemas, 380 MB with 40 MB
 *		of pg_class.  At least one block, at most HUGEMEM_MAX_PARTS (480 MB
 *		of address space).
 */
static int
region_parts(void)
{
	Relation	rel = table_open(RelationRelationId, AccessShareLock);
	uint64		want = (uint64) RelationGetNumberOfBlocks(rel) * BLCKSZ *
		HUGEMEM_PER_CLASS_BYTE;
	uint64		parts = (want + HUGEMEM_PART - 1) / HUGEMEM_PART;

	table_close(rel, AccessShareLock);
	return (int) Max(1, Min(HUGEMEM_MAX_PARTS, parts));
}

/*
 * hugemem_release
 *		Memory context callback: free the block kept above the marked range,
 *		so that the range can be given back to the system.
 */
static void
hugemem_release(void *arg)
{
	free(hugemem_guard);
	hugemem_guard = NULL;
}
#endif							/* SS_HUGEMEM */

/*
 * ss_hugemem_begin
 *		Prepare huge pages for the memory a call allocates from now until
 *		the memory context cxt is reset or deleted (see the file's header).
 *		Does nothing where that is not possible or not wanted, or during
 *		another such call.
 */
void
ss_hugemem_begin(MemoryContext cxt)
{
#ifdef SS_HUGEMEM
	void	   *volatile raise;
	void	   *volatile parts[HUGEMEM_MAX_PARTS + 1];
	MemoryContextCallback *cb;
	int			nparts;
	int			i;

	if (!ss_huge_pages || hugemem_guard != NULL || !system_usable())
		return;
	nparts = region_parts();
	cb = MemoryContextAlloc(cxt, sizeof(MemoryContextCallback));

	/* volatile: a compiler may drop a malloc whose block is only freed */
	raise = malloc(HUGEMEM_RAISE);
	free(raise);
	for (i = 0; i <= nparts; i++)
		parts[i] = malloc(HUGEMEM_PART);
	for (i = 0; i < nparts; i++)
	{
		uintptr_t	lo = TYPEALIGN(HUGEMEM_PAGE, (uintptr_t) parts[i]);
		uintptr_t	hi = TYPEALIGN_DOWN(HUGEMEM_PAGE, (uintptr_t) parts[i] + HUGEMEM_PART);

		/* a failure leaves ordinary pages, as before */
		if (parts[i] != NULL && hi > lo)
			(void) madvise((void *) lo, hi - lo, MADV_HUGEPAGE);
	}
	hugemem_guard = parts[nparts];
	for (i = nparts - 1; i >= 0; i--)
		free(parts[i]);

	cb->func = hugemem_release;
	cb->arg = NULL;
	MemoryContextRegisterResetCallback(cxt, cb);
#endif
}

/*
 * ss_hugemem_define_setting
 *		Define schemasync.huge_pages (called from _PG_init).
 */
void
ss_hugemem_define_setting(void)
{
	DefineCustomBoolVariable("schemasync.huge_pages",
							 "Lets schemasync ask for transparent huge pages for the memory of a call.",
							 "In a new session, most of a diff's memory is touched for the first time; "
							 "with transparent huge pages that is one page fault per 2 MB instead of per 4 kB. "
							 "Has an effect only on Linux with glibc, when transparent huge pages are "
							 "\"madvise\" or \"always\" and memory overcommit is not strict.",
							 &ss_huge_pages,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}
