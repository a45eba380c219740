/*
 * kernel/module/ktest_baseline.h - what the loader's test suites compare
 * before and after a load: everything a load could leave behind.
 * Module memory is freed lazily (mm/module_alloc.c), so the pages are
 * counted after a purge.
 */
#ifndef KERNEL_MODULE_KTEST_BASELINE_H
#define KERNEL_MODULE_KTEST_BASELINE_H

#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/rcupdate.h>
#include "internal.h"

struct module_baseline {
	size_t reserved_used;		/* the reserved per-CPU chunk */
	uint64_t module_pages;		/* module-area pages */
	uint64_t kmalloc_objects;
	uint64_t modmem_in_flight;	/* the loader's own accounting */
	unsigned int modules;		/* on the module list, any state */
};

static inline void module_baseline_take(struct module_baseline *b)
{
	struct module_loader_stats ls;
	struct mm_stats st;
	struct module *mod;

	vm_unmap_aliases();
	mm_get_stats(&st);
	module_loader_stats_get(&ls);
	b->reserved_used = pcpu_reserved_used();
	b->module_pages = st.module_pages;
	b->kmalloc_objects = st.kmalloc_objects;
	b->modmem_in_flight = ls.modmem_in_flight;
	b->modules = 0;
	rcu_read_lock();
	list_for_each_entry_rcu(mod, &modules, list)
		b->modules++;
	rcu_read_unlock();
}

static inline void module_baseline_expect(struct ktest *t,
					  const struct module_baseline *b)
{
	struct module_baseline now;

	module_baseline_take(&now);
	KTEST_EXPECT_EQ(t, now.reserved_used, b->reserved_used);
	KTEST_EXPECT_EQ(t, now.module_pages, b->module_pages);
	KTEST_EXPECT_EQ(t, now.kmalloc_objects, b->kmalloc_objects);
	KTEST_EXPECT_EQ(t, now.modmem_in_flight, b->modmem_in_flight);
	KTEST_EXPECT_EQ(t, now.modules, b->modules);
}

#endif
