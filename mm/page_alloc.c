/*
 * mm/page_alloc.c - physical pages for the rest of the kernel: the buddy
 * core (mm/buddy.c) behind a lock, handing out direct-map addresses.
 *
 * As Linux's mm/page_alloc.c: __get_free_pages(order) returns 2^order
 * contiguous pages, aligned to their size, as a kernel virtual address in
 * the direct map; free_pages() gives them back.  Mistakes (freeing an
 * address that is not a managed page, twice, or with the wrong order) are
 * reported in one line and ignored, so a buggy caller leaks instead of
 * corrupting the free lists.
 *
 * Simplifications: one zone and one lock (zone->lock); no gfp flags (we
 * never sleep or reclaim); no per-CPU page caches.
 */
#include <kernel/printk.h>
#include <kernel/string.h>
#include "internal.h"

struct buddy mem_buddy;
/* Interrupt handlers may allocate: the _irqsave forms. */
static DEFINE_SPINLOCK(zone_lock);
/* Pages handed out and not given back, counted here, under zone_lock (the
 * buddy core counts only free ones): managed = free + allocated, always. */
static uint64_t allocated_pages;

void page_alloc_init(struct page *meta, uint64_t base_pfn, uint64_t npages)
{
	buddy_init(&mem_buddy, meta, base_pfn, npages);
}

uint64_t page_alloc_add_range(uint64_t start, uint64_t end)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);
	uint64_t added = buddy_add_range(&mem_buddy, start >> PAGE_SHIFT,
					 end >> PAGE_SHIFT);

	spin_unlock_irqrestore(&zone_lock, flags);
	return added << PAGE_SHIFT;
}

/* The page frame number of a direct-map address, or UINT64_MAX. */
static uint64_t direct_map_pfn(const void *addr)
{
	uintptr_t v = (uintptr_t)addr;

	if (v < PAGE_OFFSET || v >= VMAP_START)
		return UINT64_MAX;
	return (v - PAGE_OFFSET) >> PAGE_SHIFT;
}

struct page *virt_to_page(const void *addr)
{
	uint64_t pfn = direct_map_pfn(addr);

	if (pfn == UINT64_MAX || pfn < mem_buddy.base_pfn ||
	    pfn - mem_buddy.base_pfn >= mem_buddy.npages)
		return NULL;
	return &mem_buddy.pages[pfn - mem_buddy.base_pfn];
}

void *page_address(const struct page *page)
{
	uint64_t pfn = mem_buddy.base_pfn + (uint64_t)(page - mem_buddy.pages);

	return phys_to_virt(pfn << PAGE_SHIFT);
}

void *__get_free_pages(unsigned int order)
{
	unsigned long flags;
	uint64_t pfn;

	if (order > MAX_ORDER) {
		pr_warn("page_alloc: order %u is above MAX_ORDER %u\n", order,
			MAX_ORDER);
		return NULL;
	}
	flags = spin_lock_irqsave(&zone_lock);
	pfn = buddy_alloc(&mem_buddy, order);
	if (pfn != BUDDY_NO_PAGE)
		allocated_pages += 1ULL << order;
	spin_unlock_irqrestore(&zone_lock, flags);
	if (pfn == BUDDY_NO_PAGE)
		return NULL;
	return phys_to_virt(pfn << PAGE_SHIFT);
}

void *get_zeroed_page(void)
{
	void *p = __get_free_pages(0);

	if (p)
		memset(p, 0, PAGE_SIZE);
	return p;
}

int __free_pages_checked(void *addr, unsigned int order)
{
	uint64_t pfn = direct_map_pfn(addr);
	unsigned long flags;
	int err;

	if (pfn == UINT64_MAX || !IS_ALIGNED((uintptr_t)addr, PAGE_SIZE))
		return BUDDY_UNMANAGED;
	flags = spin_lock_irqsave(&zone_lock);
	err = buddy_free(&mem_buddy, pfn, order);
	if (err == BUDDY_OK)
		allocated_pages -= 1ULL << order;
	spin_unlock_irqrestore(&zone_lock, flags);
	return err;
}

void free_pages(void *addr, unsigned int order)
{
	int err;

	if (!addr)
		return;		/* as Linux: freeing nothing is allowed */
	err = __free_pages_checked(addr, order);
	if (err != BUDDY_OK)
		pr_err("free_pages: %s: %p order %u (ignored)\n",
		       buddy_strerror(err), addr, order);
}

void free_page(void *addr)
{
	free_pages(addr, 0);
}

uint64_t nr_free_pages(void)
{
	return READ_ONCE(mem_buddy.free_pages);
}

void page_alloc_get_stats(struct page_alloc_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&zone_lock);

	st->managed_pages = mem_buddy.managed_pages;
	st->free_pages = mem_buddy.free_pages;
	st->allocated_pages = allocated_pages;
	for (unsigned int order = 0; order <= MAX_ORDER; order++)
		st->nr_free[order] = mem_buddy.nr_free[order];
	spin_unlock_irqrestore(&zone_lock, flags);
}
