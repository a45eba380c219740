/*
 * mm/internal.h - what the files of mm/ share and nobody else needs.
 */
#ifndef MM_INTERNAL_H
#define MM_INTERNAL_H

#include <kernel/mm.h>
#include <kernel/spinlock.h>
#include "buddy.h"
#include "memmap.h"

/* ---- page_alloc.c ------------------------------------------------ */

/* The one zone: every managed page frame, and its free lists. */
extern struct buddy mem_buddy;

void page_alloc_init(struct page *meta, uint64_t base_pfn, uint64_t npages);
uint64_t page_alloc_add_range(uint64_t start, uint64_t end);	/* bytes */
/* The struct page of a direct-map address, or NULL if it has none. */
struct page *virt_to_page(const void *addr);
void *page_address(const struct page *page);
/* buddy_free under the lock: returns the BUDDY_* result. */
int __free_pages_checked(void *addr, unsigned int order);

/* ---- paging.c ---------------------------------------------------- */

/* Pages for page tables before the switch: a bump range below 4 GiB. */
struct early_pool {
	uint64_t next;		/* physical */
	uint64_t end;
};

/* Build the kernel's page tables from 'pool' (reached through the boot
 * identity map), then switch CR3.  'ram' are the ranges to direct-map. */
void paging_init(const struct phys_range *ram, int nram,
		 struct early_pool *pool);
/* Print the direct map line. */
void paging_report(void);
/* Is [phys, phys + size) wholly inside the direct map? */
bool phys_is_direct_mapped(uint64_t phys, uint64_t size);

#define PAGE_KERNEL		(_PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | \
				 _PAGE_ACCESSED | _PAGE_DIRTY)
/* Kernel data flags with NX when the CPU has it. */
uint64_t page_kernel_nx(void);

/* Map 'npages' 4 KiB pages va -> pa with 'flags' (which must include
 * _PAGE_PRESENT), allocating page tables.  Refuses to replace a present
 * entry.  0, -ENOMEM or -EBUSY; on error nothing stays mapped. */
int map_kernel_pages(unsigned long va, uint64_t pa, size_t npages,
		     uint64_t flags);
/* Clear 'npages' 4 KiB PTEs from va (the caller flushes the TLB).  If
 * 'phys' is not NULL it receives each page's physical address (0 if it
 * was not mapped). */
void unmap_kernel_pages(unsigned long va, size_t npages, uint64_t *phys);
/* Set and clear flag bits on 'npages' present 4 KiB PTEs from va, and
 * flush.  -EINVAL, changing nothing, if any page is not so mapped. */
int change_page_attr(unsigned long va, size_t npages, uint64_t set,
		     uint64_t clear);
/* Physical address behind a 4 KiB mapping, or 0. */
uint64_t kernel_page_phys(unsigned long va);

/* ---- vmap.c: address-space windows (vmap area, module area) ------ */

struct vm_area {
	unsigned long addr;
	size_t size;		/* bytes, page multiple, without the guard */
	bool lazy;		/* freed, waiting for the lazy TLB purge */
	struct vm_area *next;	/* sorted by address */
};

struct vm_region {
	const char *name;
	unsigned long start, end;
	struct vm_area *areas;
	spinlock_t lock;
};

/* A free range of 'size' bytes (page multiple) followed by an unmapped
 * guard page, first fit; its address or 0. */
unsigned long vm_area_reserve(struct vm_region *r, size_t size);
/* Forget the area starting exactly at addr; its size, or 0 if none. */
size_t vm_area_release(struct vm_region *r, unsigned long addr);
/* The size of the area starting exactly at addr, or 0. */
size_t vm_area_size(struct vm_region *r, unsigned long addr);
/* The region's use now, read under its lock (pages_mapped is left). */
void vm_region_usage(struct vm_region *r, struct vm_usage *u);
/* Mark the (live) area at addr freed-but-still-reserved; its size, or 0
 * when there is no live area there (vm_area_size() then says 0 too). */
size_t vm_area_mark_lazy(struct vm_region *r, unsigned long addr);

/* The vmap area's bookkeeping (vmap.c); the per-CPU allocator takes its
 * chunks' areas from it too (percpu.c). */
extern struct vm_region vmap_region;

/* Unmap, shoot down on every CPU, then free (mm/vmap.c). */
void release_kernel_pages(unsigned long va, size_t npages);
/* Unmap npages from va now; shoot down, free them and release the area
 * at 'area' of r at the next purge (vm_unmap_aliases()), and only then
 * take them off *mapped. */
void vm_free_lazy(struct vm_region *r, unsigned long area, unsigned long va,
		  size_t npages, uint64_t *mapped);

/* Counters, read by mm_get_stats. */
extern uint64_t vmap_pages_mapped;
extern uint64_t module_pages_mapped;
void kmalloc_get_stats(uint64_t *objects, uint64_t *bytes);

#endif
