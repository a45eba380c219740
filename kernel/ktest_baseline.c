/*
 * kernel/ktest_baseline.c - the leak baseline of include/kernel/ktest/
 * baseline.h: one snapshot of every counter a piece of work could leave
 * changed, and one comparison of the watched ones.
 *
 * The counters are the ones each subsystem already keeps where it
 * allocates (mm_get_stats(), the per-CPU allocator's statistics, the
 * loader's accounting); nothing here counts on its own.  The table below
 * gives each LEAK_* bit its field and the name a failure prints.
 */
#include <kernel/ktest/baseline.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/rcupdate.h>
#include "module/internal.h"

#define LEAK_COUNTER(bit, field)					\
	{ bit, #field, offsetof(struct ktest_baseline, field) }

static const struct {
	unsigned int bit;
	const char *name;	/* the field's name */
	size_t offset;		/* of its uint64_t in the baseline */
} leak_counters[] = {
	LEAK_COUNTER(LEAK_FREE_PAGES, free_pages),
	LEAK_COUNTER(LEAK_KMALLOC_OBJECTS, kmalloc_objects),
	LEAK_COUNTER(LEAK_KMALLOC_BYTES, kmalloc_bytes),
	LEAK_COUNTER(LEAK_MODULE_PAGES, module_pages),
	LEAK_COUNTER(LEAK_VMAP_PAGES, vmap_pages),
	LEAK_COUNTER(LEAK_PERCPU_RESERVED, percpu_reserved),
	LEAK_COUNTER(LEAK_PERCPU_AREAS, percpu_areas),
	LEAK_COUNTER(LEAK_MODMEM_IN_FLIGHT, modmem_in_flight),
	LEAK_COUNTER(LEAK_MODULES, modules),
	LEAK_COUNTER(LEAK_MODULE_AREAS, module_areas),
	LEAK_COUNTER(LEAK_MODULE_WAITERS, module_waiters),
	LEAK_COUNTER(LEAK_MODULE_REFS, module_refs),
};

static uint64_t leak_counter(const struct ktest_baseline *b, unsigned int i)
{
	return *(const uint64_t *)((const char *)b + leak_counters[i].offset);
}

void ktest_baseline_take(struct ktest_baseline *b, unsigned int watched)
{
	struct module_loader_stats ls;
	struct pcpu_alloc_info pcpu;
	struct module_use *use;
	struct vm_usage area;
	struct mm_stats mm;
	struct module *mod;

	vm_unmap_aliases();
	module_area_usage(&area);
	mm_get_stats(&mm);
	pcpu_get_stats(&pcpu);
	module_loader_stats_get(&ls);
	b->watched = watched;
	b->free_pages = mm.free_pages;
	b->kmalloc_objects = mm.kmalloc_objects;
	b->kmalloc_bytes = mm.kmalloc_bytes;
	b->module_pages = mm.module_pages;
	b->vmap_pages = mm.vmap_pages;
	b->percpu_reserved = pcpu_reserved_used();
	b->percpu_areas = pcpu.nr_cur_alloc;
	b->modmem_in_flight = ls.modmem_in_flight;
	b->module_areas = area.nr_areas;
	b->module_waiters = waitqueue_len(&module_wq);
	b->modules = 0;
	b->module_refs = 0;
	mutex_lock(&module_mutex);
	list_for_each_entry(mod, &modules, list) {
		b->modules++;
		b->module_refs += (uint64_t)mod->refcnt;
		list_for_each_entry(use, &mod->target_list, target_list)
			b->module_refs++;
	}
	mutex_unlock(&module_mutex);
}

const char *ktest_baseline_counter(const struct ktest_baseline *b,
				   unsigned int i, unsigned int *bit,
				   uint64_t *value)
{
	if (i >= ARRAY_SIZE(leak_counters))
		return NULL;
	*bit = leak_counters[i].bit;
	*value = leak_counter(b, i);
	return leak_counters[i].name;
}

unsigned int ktest_baseline_changed(const struct ktest_baseline *b,
				    struct ktest_baseline *now)
{
	unsigned int changed = 0;

	ktest_baseline_take(now, b->watched);
	for (unsigned int i = 0; i < ARRAY_SIZE(leak_counters); i++)
		if ((b->watched & leak_counters[i].bit) &&
		    leak_counter(now, i) != leak_counter(b, i))
			changed |= leak_counters[i].bit;
	return changed;
}

void ktest_expect_no_leak(struct ktest *t, const char *file, int line,
			  const struct ktest_baseline *b)
{
	struct ktest_baseline now;
	unsigned int changed = ktest_baseline_changed(b, &now);

	for (unsigned int i = 0; i < ARRAY_SIZE(leak_counters); i++)
		if (changed & leak_counters[i].bit)
			ktest_fail(t, file, line,
				   "expected no leak: %s %llu at the baseline, %llu now",
				   leak_counters[i].name,
				   (unsigned long long)leak_counter(b, i),
				   (unsigned long long)leak_counter(&now, i));
}
