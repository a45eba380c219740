/*
 * include/kernel/ktest/baseline.h - "baseline before, expect no leak
 * after": the one way the mm, per-CPU, scheduler and module suites, and
 * the storm's rounds, check that what some work took came back.
 *
 * A baseline is a snapshot of the kernel's leak counters, taken with the
 * set of counters the caller expects to come back (LEAK_* bits):
 *
 *	struct ktest_baseline b;
 *
 *	ktest_baseline_take(&b, LEAK_KMALLOC_OBJECTS | LEAK_FREE_PAGES);
 *	... work that must give back what it took ...
 *	KTEST_EXPECT_NO_LEAK(t, &b);
 *
 * Every counter is read (b.free_pages and the others can be compared by
 * hand mid-way, "4 module pages more"); only the watched ones are
 * checked.  A suite watches what its work can promise: page-table pages
 * made on first use stay (mm/paging.c never frees them), so a module load
 * watches module pages, not free pages.  Freed module memory is given
 * back lazily (mm/module_alloc.c), so both the snapshot and the check
 * first purge it with vm_unmap_aliases(): what is left is what leaked.
 *
 * Outside a test case (the storm, kernel/module/storm.c),
 * ktest_baseline_changed() says which watched counters moved and leaves
 * the report to the caller.
 */
#ifndef KERNEL_KTEST_BASELINE_H
#define KERNEL_KTEST_BASELINE_H

#include <kernel/ktest.h>

/* The counters a baseline can watch, one bit each (kernel/ktest_baseline.c
 * gives each its field in struct ktest_baseline and its name). */
enum {
	LEAK_FREE_PAGES		= 1U << 0,
	LEAK_KMALLOC_OBJECTS	= 1U << 1,
	LEAK_KMALLOC_BYTES	= 1U << 2,
	LEAK_MODULE_PAGES	= 1U << 3,
	LEAK_VMAP_PAGES		= 1U << 4,
	LEAK_PERCPU_RESERVED	= 1U << 5,
	LEAK_PERCPU_AREAS	= 1U << 6,
	LEAK_MODMEM_IN_FLIGHT	= 1U << 7,
	LEAK_MODULES		= 1U << 8,
	LEAK_MODULE_AREAS	= 1U << 9,
	LEAK_MODULE_WAITERS	= 1U << 10,
	LEAK_MODULE_REFS	= 1U << 11,
};

/* Everything a module load could leave behind (the module suites). */
#define LEAK_MODULE_LOAD						\
	(LEAK_PERCPU_RESERVED | LEAK_MODULE_PAGES | LEAK_KMALLOC_OBJECTS | \
	 LEAK_MODMEM_IN_FLIGHT | LEAK_MODULES | LEAK_MODULE_AREAS |	\
	 LEAK_MODULE_WAITERS | LEAK_MODULE_REFS)

struct ktest_baseline {
	unsigned int watched;		/* LEAK_* bits: what is checked */
	uint64_t free_pages;		/* in the page allocator */
	uint64_t kmalloc_objects;	/* kmalloc'd, not yet freed */
	uint64_t kmalloc_bytes;		/* what those objects occupy */
	uint64_t module_pages;		/* module-area pages mapped */
	uint64_t vmap_pages;		/* memremap/ioremap pages mapped */
	uint64_t percpu_reserved;	/* bytes used in the reserved chunk */
	uint64_t percpu_areas;		/* per-CPU allocations live */
	uint64_t modmem_in_flight;	/* the loader's bytes in flight */
	uint64_t modules;		/* on the module list, any state */
	uint64_t module_areas;		/* module-area ranges reserved */
	uint64_t module_waiters;	/* tasks asleep on module_wq */
	uint64_t module_refs;		/* module references and uses held */
};

/* Purge lazily freed module memory, then read every counter into b. */
void ktest_baseline_take(struct ktest_baseline *b, unsigned int watched);

/*
 * Take a new snapshot into now (same watched set) and return the LEAK_*
 * bits of the watched counters that differ from b: 0 when nothing leaked.
 */
unsigned int ktest_baseline_changed(const struct ktest_baseline *b,
				    struct ktest_baseline *now);

/* The i-th counter of b: its name, LEAK_* bit and value; NULL past the
 * last (the monitor's `leaks` prints them all). */
const char *ktest_baseline_counter(const struct ktest_baseline *b,
				   unsigned int i, unsigned int *bit,
				   uint64_t *value);

/* Fail t with one line per watched counter that did not come back. */
void ktest_expect_no_leak(struct ktest *t, const char *file, int line,
			  const struct ktest_baseline *b);

#define KTEST_EXPECT_NO_LEAK(t, b)					\
	ktest_expect_no_leak(t, __FILE__, __LINE__, b)

#endif
