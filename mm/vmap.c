/*
 * mm/vmap.c - windows onto physical memory: memremap, ioremap,
 * ioremap_wc, iounmap (Linux: arch/x86/mm/ioremap.c, kernel/iomem.c),
 * and the address-range bookkeeping the module area shares.
 *
 * Device registers and firmware tables can lie anywhere in the physical
 * address space, above 4 GiB too, and are not all in the direct map
 * (which holds RAM only).  A mapping gets a range of the vmap area
 * (VMAP_START..VMAP_END) followed by one unmapped guard page, and 4 KiB
 * PTEs with the caching the caller asked for:
 *
 *   memremap    write-back; for RAM already in the direct map (ACPI tables
 *               usually are) it returns the direct-map address and maps
 *               nothing, as Linux's memremap(MEMREMAP_WB) does
 *   ioremap     uncached (PAT entry 3: PCD|PWT), for device registers
 *   ioremap_wc  write-combining (PAT entry 1: PWT), for framebuffers
 *
 *   VMAP_START                                                 VMAP_END
 *   | area A | g | area B | g |        free        | area C | g |   ...
 *
 * Areas are a sorted singly linked list, searched first fit: a few dozen
 * mappings live at once in this kernel, so a list is enough where Linux
 * keeps a red-black tree of vmap_areas.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include "internal.h"

uint64_t vmap_pages_mapped;

struct vm_region vmap_region = {
	.name = "vmap",
	.start = VMAP_START,
	.end = VMAP_END,
	.lock = SPINLOCK_INIT("vmap_region.lock"),
};

unsigned long vm_area_reserve(struct vm_region *r, size_t size)
{
	struct vm_area *area, **link;
	unsigned long addr = r->start, flags;
	size_t need = size + PAGE_SIZE;	/* and the guard page */

	if (size == 0 || size > r->end - r->start)
		return 0;
	/* Allocated outside the lock: kmalloc takes its own. */
	area = kmalloc(sizeof(*area));
	if (!area)
		return 0;
	flags = spin_lock_irqsave(&r->lock);
	for (link = &r->areas; *link; link = &(*link)->next) {
		if ((*link)->addr - addr >= need)
			break;
		addr = (*link)->addr + (*link)->size + PAGE_SIZE;
	}
	if (!*link && r->end - addr < need) {
		spin_unlock_irqrestore(&r->lock, flags);
		kfree(area);
		return 0;
	}
	area->addr = addr;
	area->size = size;
	area->lazy = false;
	area->next = *link;
	*link = area;
	spin_unlock_irqrestore(&r->lock, flags);
	return addr;
}

size_t vm_area_release(struct vm_region *r, unsigned long addr)
{
	unsigned long flags = spin_lock_irqsave(&r->lock);
	struct vm_area *area = NULL, **link;
	size_t size = 0;

	for (link = &r->areas; *link; link = &(*link)->next) {
		if ((*link)->addr == addr) {
			area = *link;
			*link = area->next;
			size = area->size;
			break;
		}
	}
	spin_unlock_irqrestore(&r->lock, flags);
	kfree(area);
	return size;
}

size_t vm_area_size(struct vm_region *r, unsigned long addr)
{
	unsigned long flags = spin_lock_irqsave(&r->lock);
	size_t size = 0;

	for (struct vm_area *a = r->areas; a; a = a->next)
		if (a->addr == addr && !a->lazy)
			size = a->size;
	spin_unlock_irqrestore(&r->lock, flags);
	return size;
}

size_t vm_area_mark_lazy(struct vm_region *r, unsigned long addr)
{
	unsigned long flags = spin_lock_irqsave(&r->lock);
	size_t size = 0;

	for (struct vm_area *a = r->areas; a; a = a->next) {
		if (a->addr == addr && !a->lazy) {
			a->lazy = true;
			size = a->size;
		}
	}
	spin_unlock_irqrestore(&r->lock, flags);
	return size;
}

void vm_region_usage(struct vm_region *r, struct vm_usage *u)
{
	unsigned long flags = spin_lock_irqsave(&r->lock);
	unsigned long prev_end = r->start;

	u->start = r->start;
	u->end = r->end;
	u->nr_areas = u->nr_lazy = 0;
	u->bytes = u->lazy_bytes = u->largest_free = 0;
	for (struct vm_area *a = r->areas; a; a = a->next) {
		if (a->addr - prev_end > u->largest_free)
			u->largest_free = a->addr - prev_end;
		if (a->lazy) {
			u->nr_lazy++;
			u->lazy_bytes += a->size;
		} else {
			u->nr_areas++;
			u->bytes += a->size;
		}
		prev_end = a->addr + a->size + PAGE_SIZE;	/* the guard */
	}
	if (r->end - prev_end > u->largest_free)
		u->largest_free = r->end - prev_end;
	spin_unlock_irqrestore(&r->lock, flags);
}

void vmap_area_usage(struct vm_usage *u)
{
	vm_region_usage(&vmap_region, u);
	u->pages_mapped = READ_ONCE(vmap_pages_mapped);
}

/* Physical addresses the CPU can name: 52 bits at most (SDM 4.1.4). */
#define PHYS_ADDR_LIMIT		(1ULL << 52)

static void *__ioremap(uint64_t phys, size_t size, uint64_t cache,
		       const char *who)
{
	uint64_t offset = phys & ~PAGE_MASK, base = phys & PAGE_MASK;
	size_t npages;
	unsigned long va;
	int err;

	if (size == 0 || phys + size < phys || phys + size > PHYS_ADDR_LIMIT) {
		pr_warn("%s: bad range %#llx+%#zx\n", who,
			(unsigned long long)phys, size);
		return NULL;
	}
	npages = DIV_ROUND_UP(offset + size, PAGE_SIZE);
	va = vm_area_reserve(&vmap_region, npages * PAGE_SIZE);
	if (!va) {
		pr_warn("%s: no room for %zu pages in the vmap area\n", who,
			npages);
		return NULL;
	}
	err = map_kernel_pages(va, base, npages,
			       page_kernel_nx() | cache);
	if (err) {
		pr_warn("%s: mapping %#llx failed (%d)\n", who,
			(unsigned long long)phys, err);
		vm_area_release(&vmap_region, va);
		return NULL;
	}
	__atomic_add_fetch(&vmap_pages_mapped, npages, __ATOMIC_RELAXED);
	return (void *)(va + offset);
}

void *ioremap(uint64_t phys, size_t size)
{
	return __ioremap(phys, size, _PAGE_CACHE_UC, "ioremap");
}

void *ioremap_wc(uint64_t phys, size_t size)
{
	return __ioremap(phys, size, _PAGE_CACHE_WC, "ioremap_wc");
}

void *memremap(uint64_t phys, size_t size)
{
	if (phys_is_direct_mapped(phys, size))
		return phys_to_virt(phys);
	return __ioremap(phys, size, _PAGE_CACHE_WB, "memremap");
}

void iounmap(void *addr)
{
	unsigned long va = (unsigned long)addr & PAGE_MASK;
	size_t size;

	if (!addr)
		return;
	if (va >= PAGE_OFFSET && va < VMAP_START)
		return;		/* memremap's direct-map answer: nothing to do */
	if (va < VMAP_START || va >= VMAP_END) {
		pr_warn("iounmap: %p is not in the vmap area (ignored)\n", addr);
		return;
	}
	size = vm_area_size(&vmap_region, va);
	if (!size) {
		pr_warn("iounmap: %p was not mapped by ioremap (ignored)\n",
			addr);
		return;
	}
	/* Unmap and flush before the range can be handed out again. */
	unmap_kernel_pages(va, size >> PAGE_SHIFT, NULL);
	flush_tlb_kernel_range(va, va + size);
	vm_area_release(&vmap_region, va);
	__atomic_sub_fetch(&vmap_pages_mapped, size >> PAGE_SHIFT,
			   __ATOMIC_RELAXED);
}

/*
 * Unmap 'npages' pages from va on, shoot them down on every CPU, and only
 * then give them back to the page allocator: no CPU may still reach a page
 * that someone else has just been given.  In batches, so a large area is
 * one TLB-shootdown IPI per batch rather than per page.
 */
#define RELEASE_BATCH	16

void release_kernel_pages(unsigned long va, size_t npages)
{
	while (npages) {
		size_t n = MIN(npages, (size_t)RELEASE_BATCH);
		uint64_t phys[RELEASE_BATCH];

		unmap_kernel_pages(va, n, phys);
		flush_tlb_kernel_range(va, va + n * PAGE_SIZE);
		for (size_t i = 0; i < n; i++)
			if (phys[i])
				free_page(phys_to_virt(phys[i]));
		va += n * PAGE_SIZE;
		npages -= n;
	}
}

/*
 * Lazy freeing, as Linux's vfree() (mm/vmalloc.c's "lazy" vmap areas):
 * vm_free_lazy() unmaps the pages at once but does not shoot the TLB
 * down.  The pages and the address range stay reserved on a purge list -
 * no one can be given them, so a stale TLB entry on another CPU can do no
 * harm - until lazy_max_pages() of them wait; then vm_unmap_aliases()
 * flushes every CPU's TLB once for all of them and only then frees pages
 * and ranges.  Module memory (mm/module_alloc.c) and kernel stacks (below)
 * are freed this way: when 255 storm workers exit, their 255 stacks were
 * 255 shootdowns of 254 IPIs each (ten seconds of a 255-CPU boot under
 * TCG); now they are a few.
 */
struct lazy_area {
	struct lazy_area *next;
	struct vm_region *region;
	unsigned long area;	/* the vm_area to release */
	unsigned long va;	/* the first mapped page */
	size_t npages;
	uint64_t *mapped;	/* the counter to take them off */
	uint64_t phys[];
};

static struct lazy_area *lazy_list;
static size_t lazy_pages;
static DEFINE_SPINLOCK(lazy_lock);

/* Linux: 32 MiB times log2 of the CPU count; here 64 pages times it. */
static size_t lazy_max_pages(void)
{
	unsigned int cpus = num_online_cpus(), log = 1;

	while (cpus >>= 1)
		log++;
	return 64 * log;
}

void vm_unmap_aliases(void)
{
	struct lazy_area *list, *a, *next;
	unsigned long start = ~0UL, end = 0;

	spin_lock(&lazy_lock);
	list = lazy_list;
	lazy_list = NULL;
	lazy_pages = 0;
	spin_unlock(&lazy_lock);
	if (!list)
		return;
	for (a = list; a; a = a->next) {
		start = MIN(start, a->va);
		end = MAX(end, a->va + a->npages * PAGE_SIZE);
	}
	flush_tlb_kernel_range(start, end);
	for (a = list; a; a = next) {
		next = a->next;
		for (size_t i = 0; i < a->npages; i++)
			if (a->phys[i])
				free_page(phys_to_virt(a->phys[i]));
		vm_area_release(a->region, a->area);
		__atomic_sub_fetch(a->mapped, a->npages, __ATOMIC_RELAXED);
		kfree(a);
	}
}

void vm_free_lazy(struct vm_region *r, unsigned long area, unsigned long va,
		  size_t npages, uint64_t *mapped)
{
	struct lazy_area *lazy;
	bool purge;

	lazy = kmalloc(sizeof(*lazy) + npages * sizeof(lazy->phys[0]));
	if (!lazy) {
		/* No room to remember it: the eager way. */
		release_kernel_pages(va, npages);
		vm_area_release(r, area);
		__atomic_sub_fetch(mapped, npages, __ATOMIC_RELAXED);
		return;
	}
	*lazy = (struct lazy_area){ .region = r, .area = area, .va = va,
				    .npages = npages, .mapped = mapped };
	unmap_kernel_pages(va, npages, lazy->phys);
	spin_lock(&lazy_lock);
	lazy->next = lazy_list;
	lazy_list = lazy;
	lazy_pages += npages;
	purge = lazy_pages >= lazy_max_pages();
	spin_unlock(&lazy_lock);
	if (purge)
		vm_unmap_aliases();
}

/*
 * Kernel stacks with guard pages (Linux: CONFIG_VMAP_STACK).
 *
 * A stack grows down, so the page that matters is the one *below* it: the
 * area reserved is one page larger than the stack and its first page is
 * left unmapped; vm_area_reserve() leaves another unmapped page after the
 * area.  Running off either end faults at once (a #PF that cannot push its
 * frame becomes a #DF on its IST stack, which names the overflow) instead
 * of silently overwriting a neighbour.
 *
 *	va           va+4K                          va+4K+size
 *	| guard (unmapped) | stack pages, RW+NX ... | guard (unmapped) |
 */
void *kernel_stack_alloc(size_t size)
{
	size_t npages = DIV_ROUND_UP(size, PAGE_SIZE);
	unsigned long va, base;
	size_t mapped;

	if (npages == 0)
		return NULL;
	va = vm_area_reserve(&vmap_region, (npages + 1) * PAGE_SIZE);
	if (!va)
		return NULL;
	base = va + PAGE_SIZE;
	for (mapped = 0; mapped < npages; mapped++) {
		void *page = get_zeroed_page();

		if (!page ||
		    map_kernel_pages(base + mapped * PAGE_SIZE,
				     virt_to_phys(page), 1, page_kernel_nx())) {
			if (page)
				free_page(page);
			goto unwind;
		}
	}
	__atomic_add_fetch(&vmap_pages_mapped, npages, __ATOMIC_RELAXED);
	return (void *)base;

unwind:
	release_kernel_pages(base, mapped);
	vm_area_release(&vmap_region, va);
	return NULL;
}

void kernel_stack_free(void *stack)
{
	unsigned long base = (unsigned long)stack, va = base - PAGE_SIZE;
	size_t size;

	if (!stack)
		return;
	size = vm_area_mark_lazy(&vmap_region, va);
	if (!size) {
		pr_warn("kernel_stack_free: %p is not a kernel stack (ignored)\n",
			stack);
		return;
	}
	/* The guard page below was never mapped: the rest goes lazily. */
	vm_free_lazy(&vmap_region, va, base, (size >> PAGE_SHIFT) - 1,
		     &vmap_pages_mapped);
}
