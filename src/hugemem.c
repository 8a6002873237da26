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
 * frees all but the last (and has glibc give back the pages their headers
 * touched), and marks the heap up to their end.  The last one
 * stays allocated above the freed range, so that glibc does not give the
 * range back to the system, until the call's memory context goes, normally
 * or on error (hugemem_release, which also takes the mark off, so that
 * khugepaged leaves the idle session's heap alone).  malloc then serves the
 * call's memory context blocks from the marked span.  Nothing is touched
 * on the way: the range takes address space, not memory, and what the call
 * touches of it is returned with the rest (malloc_trim, schemasync.c).
 * The 2 MB ranges that blocks of the session (or of earlier calls) keep
 * partly in memory are made huge pages again first (collapse_partial):
 * otherwise a second call would fault them in by 4 kB pages.
 *
 * Only with glibc on Linux, and not when the system's transparent huge
 * pages are "never" (nothing to gain), when memory overcommit is strict
 * (vm.overcommit_memory = 2: the range would count against the commit
 * limit), or when the setting schemasync.huge_pages is off; nor for a call
 * that the size of pg_class says will need more than HUGEMEM_MAX_PARTS
 * blocks, whose fresh huge pages cost more than ordinary ones
 * (ss_hugemem_begin).
 *
 * src/hugemem.c
 *
 *-------------------------------------------------------------------------
 */
#include "postgres.h"

#if defined(__GLIBC__) && defined(__linux__)
#include <malloc.h>
#include <sys/mman.h>
#include <unistd.h>
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

/* Linux 6.1's MADV_COLLAPSE; older kernels refuse it (EINVAL), harmlessly */
#ifndef MADV_COLLAPSE
#define MADV_COLLAPSE 25
#endif

/* a block glibc maps, whose free raises its threshold (at most 32 MB) */
#define HUGEMEM_RAISE	((Size) 32 * 1024 * 1024 - 64 * 1024)
/* the blocks taken from the heap, under that threshold, besides the kept one */
#define HUGEMEM_PART	((Size) 30 * 1024 * 1024)
#define HUGEMEM_MAX_PARTS 16
/* bytes of a call's memory per byte of pg_class, about (see region_parts) */
#define HUGEMEM_PER_CLASS_BYTE 40
#define HUGEMEM_PAGE	((uintptr_t) 2 * 1024 * 1024)
/*
 * The most 2 MB ranges collapse_partial makes huge pages in one call: each
 * becomes wholly resident, and the free holes between a range's live blocks
 * are often too small for the large blocks a big call asks for, so beyond a
 * few ranges the memory it adds goes unused (a second diff of two
 * 10,000-table schemas peaked 22 MB higher with no bound, the same with 16).
 */
#define HUGEMEM_MAX_COLLAPSE 16
/* the widest span of the heap that collapse_partial looks at */
#define HUGEMEM_MAX_SPAN ((uintptr_t) 4 * 1024 * 1024 * 1024)

/* whether the system can give huge pages: -1 not looked at yet */
static int	hugemem_usable = -1;

/* the block kept above the marked range during a call, or NULL */
static void *hugemem_guard = NULL;

/* the span of the heap marked for huge pages during a call, or 0 and 0 */
static uintptr_t hugemem_lo = 0;
static uintptr_t hugemem_hi = 0;

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
 *		of pg_class.  At least one block; more than HUGEMEM_MAX_PARTS (480 MB
 *		of address space) means a call too large for huge pages (see
 *		ss_hugemem_begin).
 */
static int
region_parts(void)
{
	Relation	rel = table_open(RelationRelationId, AccessShareLock);
	uint64		want = (uint64) RelationGetNumberOfBlocks(rel) * BLCKSZ *
		HUGEMEM_PER_CLASS_BYTE;
	uint64		parts = (want + HUGEMEM_PART - 1) / HUGEMEM_PART;

	table_close(rel, AccessShareLock);
	return (int) Max(1, Min(HUGEMEM_MAX_PARTS + 1, parts));
}

/*
 * heap_start
 *		Where glibc's heap begins: its end less the bytes malloc took from the
 *		system for it (one range, as long as the break could grow).
 */
static uintptr_t
heap_start(void)
{
	struct mallinfo2 mi = mallinfo2();

	return (uintptr_t) sbrk(0) - mi.arena;
}

/*
 * collapse_partial
 *		Have the kernel put one huge page each under the 2 MB ranges of the
 *		marked span [lo, hi) that are partly in memory.
 *
 * After a call, malloc_trim gives back the free pages of the heap, but the
 * blocks that outlive the call (the catalog caches it filled) stay where
 * they are, and a 2 MB range that holds one keeps a table of 4 kB pages:
 * the next call would fault that range in by 4 kB pages (4,800 faults in
 * the second no-op diff of two 1,000-table schemas in a session, 2,900 in
 * the first).  MADV_COLLAPSE (Linux 6.1) makes such a range one huge page
 * again, copying what is there; mincore tells the ranges partly in memory
 * from those wholly in (nothing to gain) and wholly out (refused by the
 * kernel).  The lowest HUGEMEM_MAX_COLLAPSE such ranges, where the
 * session's oldest blocks are.  Failures (older kernels, no free huge page)
 * leave the range as it was.
 */
static void
collapse_partial(uintptr_t lo, uintptr_t hi)
{
	size_t		pagesize = (size_t) sysconf(_SC_PAGESIZE);
	size_t		per_range = HUGEMEM_PAGE / pagesize;
	unsigned char *vec;
	uintptr_t	range;
	int			left = HUGEMEM_MAX_COLLAPSE;

	if (per_range <= 1)
		return;
	/* malloc, not palloc: nothing here may raise an error (see the caller) */
	vec = malloc((hi - lo) / pagesize);
	if (vec != NULL && mincore((void *) lo, hi - lo, vec) == 0)
	{
		for (range = lo; range < hi && left > 0; range += HUGEMEM_PAGE)
		{
			unsigned char *v = vec + (range - lo) / pagesize;
			size_t		in = 0;
			size_t		i;

			for (i = 0; i < per_range; i++)
				in += v[i] & 1;
			if (in > 0 && in < per_range)
			{
				(void) madvise((void *) range, HUGEMEM_PAGE, MADV_COLLAPSE);
				left--;
			}
		}
	}
	free(vec);
}

/*
 * hugemem_release
 *		Memory context callback: free the block kept above the marked span,
 *		so that the span can be given back to the system, and take the mark
 *		off (MADV_NOHUGEPAGE): marked, the ranges where a few blocks outlive
 *		the call would be collapsed into huge pages by khugepaged while the
 *		session idles (an idle backend grew from 5 to 19 MB in 90 s after a
 *		no-op diff of 1,000 tables).
 */
static void
hugemem_release(void *arg)
{
	if (hugemem_hi > hugemem_lo)
		(void) madvise((void *) hugemem_lo, hugemem_hi - hugemem_lo, MADV_NOHUGEPAGE);
	hugemem_lo = hugemem_hi = 0;
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
	uintptr_t	lo = UINTPTR_MAX;
	uintptr_t	hi = 0;
	uintptr_t	heap;
	int			nparts;
	int			i;

	if (!ss_huge_pages || hugemem_guard != NULL || !system_usable())
		return;

	/*
	 * Not for a large call.  A fresh huge page is cheap when the kernel has
	 * a 2 MB block freed just before (by the previous call, or by a session
	 * that just ended), dear when the block was idle: on a virtual machine
	 * that hands free memory back to its host after about two seconds
	 * (Linux's free page reporting), touching such memory cost 1.5 to 2.6
	 * ms per MB in 2 MB pages against 0.4 in 4 kB pages (docs/benchmarks.md,
	 * "Seventeenth round").  A call that needs hundreds of megabytes lasts
	 * seconds and gets mostly idle blocks: with huge pages the first no-op
	 * diff of two 10,000-table schemas in a session took 2.1 s, without
	 * 1.6 s, while at 1,000 tables huge pages still saved a tenth.
	 */
	nparts = region_parts();
	if (nparts > HUGEMEM_MAX_PARTS)
		return;
	/* before the blocks: from here on, nothing may raise an error */
	cb = MemoryContextAlloc(cxt, sizeof(MemoryContextCallback));

	/* volatile: a compiler may drop a malloc whose block is only freed */
	raise = malloc(HUGEMEM_RAISE);
	free(raise);
	for (i = 0; i <= nparts; i++)
	{
		parts[i] = malloc(HUGEMEM_PART);
		if (parts[i] == NULL)
			break;
		lo = Min(lo, (uintptr_t) parts[i]);
		hi = Max(hi, (uintptr_t) parts[i] + HUGEMEM_PART);
	}
	if (i <= nparts)
	{
		/* out of memory: ordinary pages, as without huge pages */
		while (--i >= 0)
			free(parts[i]);
		pfree(cb);
		return;
	}

	/*
	 * The span to mark: from the start of the heap, where the blocks of the
	 * session and of earlier calls are, when the heap is one range, else
	 * the blocks just taken.
	 */
	heap = heap_start();
	if (heap < lo && hi - heap <= HUGEMEM_MAX_SPAN)
		lo = heap;
	lo = TYPEALIGN(HUGEMEM_PAGE, lo);
	hi = TYPEALIGN_DOWN(HUGEMEM_PAGE, hi);

	/*
	 * Free the blocks, and have glibc give back the pages of the freed
	 * span that taking and freeing them touched (each block's header, 30 MB
	 * apart): partly in memory, each such 2 MB range would be collapsed
	 * below, a huge page zeroed for a header, and most calls never reach
	 * them (a no-op diff of two 1,000-table schemas uses the first 30 MB).
	 */
	hugemem_guard = parts[nparts];
	for (i = nparts - 1; i >= 0; i--)
		free(parts[i]);
	(void) malloc_trim(0);

	if (hi > lo && hi - lo <= HUGEMEM_MAX_SPAN)
	{
		/* a failure leaves ordinary pages, as before */
		(void) madvise((void *) lo, hi - lo, MADV_HUGEPAGE);
		hugemem_lo = lo;
		hugemem_hi = hi;
		/* not the range of the guard's header: nothing is allocated there */
		collapse_partial(lo, Min(hi, TYPEALIGN_DOWN(HUGEMEM_PAGE,
												   (uintptr_t) hugemem_guard)));
	}

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
							 "\"madvise\" or \"always\" and memory overcommit is not strict, and not "
							 "for a call that the size of pg_class says will need more than 480 MB.",
							 &ss_huge_pages,
							 true,
							 PGC_USERSET,
							 0,
							 NULL, NULL, NULL);
}
