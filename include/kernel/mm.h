/*
 * include/kernel/mm.h - memory: physical pages, the kernel's address space,
 * kmalloc, and the module area.
 *
 * The virtual address space (x86-64, 4-level paging):
 *
 *   0x0000000000000000 .. user half: unused by this kernel, unmapped
 *   0xffff800000000000 .. direct map: RAM (and the first 1 MiB, and ACPI
 *                         memory) at PAGE_OFFSET + phys, RW+NX
 *                         (phys_to_virt / virt_to_phys)
 *   0xffffc90000000000 .. vmap area: memremap()/ioremap() windows onto
 *                         firmware tables and device registers
 *   0xffffffff80000000 .. the kernel image (text RX, rodata R+NX,
 *                         data and bss RW+NX)
 *   0xffffffffa0000000 .. module area, up to 0xffffffffff000000: module
 *                         memory, within +-2 GiB of the kernel's text so
 *                         -mcmodel=kernel code reaches it
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel/bootinfo.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))
#define MAX_ORDER		10	/* largest block: 2^10 pages = 4 MiB */

#define PAGE_OFFSET		0xffff800000000000UL
#define VMAP_START		0xffffc90000000000UL
#define VMAP_END		0xffffe90000000000UL
#define KERNEL_VMA		0xffffffff80000000UL
#define MODULES_VADDR		0xffffffffa0000000UL
#define MODULES_END		0xffffffffff000000UL

static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(phys + PAGE_OFFSET);
}

static inline uint64_t virt_to_phys(const void *virt)
{
	uintptr_t v = (uintptr_t)virt;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PAGE_OFFSET;
}

/* Bring up everything below, in order; prints the memory summary. */
void mm_init(const struct boot_info *bi);

/* Physical pages (mm/page_alloc.c): 2^order contiguous pages, in the
 * direct map.  NULL when there is no block that large. */
void *__get_free_pages(unsigned int order);
void *get_zeroed_page(void);
void free_pages(void *addr, unsigned int order);
void free_page(void *addr);

/* Small objects (mm/kmalloc.c). */
void *kmalloc(size_t size);
void *kzalloc(size_t size);
void kfree(const void *ptr);
char *kstrdup(const char *s);	/* NULL when out of memory */

/* Windows onto physical memory outside RAM (mm/vmap.c).  memremap is
 * write-back, for firmware tables; ioremap is uncached, for device
 * registers; ioremap_wc is write-combining, for framebuffers. */
void *memremap(uint64_t phys, size_t size);
void *ioremap(uint64_t phys, size_t size);
void *ioremap_wc(uint64_t phys, size_t size);
void iounmap(void *addr);

/* Kernel stacks (mm/vmap.c) in the vmap area, with an unmapped guard
 * page below and above; returns the lowest mapped address. */
void *kernel_stack_alloc(size_t size);
void kernel_stack_free(void *stack);

/* The module area (mm/module_alloc.c), as arch/x86/kernel/module.c:
 * page-granular, RW+NX when allocated; set_memory_* change permissions of
 * whole pages afterwards. */
void *module_alloc(size_t size);
void module_memfree(void *addr);
/* Flush the TLB for every lazily freed area (module memory, kernel
 * stacks), then free them (Linux's name; the frees defer to it). */
void vm_unmap_aliases(void);
int set_memory_ro(unsigned long addr, int numpages);
int set_memory_rw(unsigned long addr, int numpages);
int set_memory_x(unsigned long addr, int numpages);
int set_memory_nx(unsigned long addr, int numpages);

/* Counters, for tests and reports: what is in use now. */
struct mm_stats {
	uint64_t total_pages;		/* managed by the page allocator */
	uint64_t free_pages;
	uint64_t kmalloc_objects;	/* kmalloc'd and not yet freed */
	uint64_t kmalloc_bytes;		/* bytes handed out for them: the
					 * size class, or whole pages */
	uint64_t module_pages;		/* module area pages in use */
	uint64_t vmap_pages;		/* memremap/ioremap pages mapped */
};
void mm_get_stats(struct mm_stats *st);

/* The page allocator, read at one moment under its lock: managed_pages =
 * free_pages + allocated_pages (the last counted in mm/page_alloc.c). */
struct page_alloc_stats {
	uint64_t managed_pages;
	uint64_t free_pages;
	uint64_t allocated_pages;
	uint64_t nr_free[MAX_ORDER + 1];	/* free blocks of each order */
};
void page_alloc_get_stats(struct page_alloc_stats *st);
/* Pages kmalloc has carved into small objects now (mm/kmalloc.c). */
uint64_t kmalloc_nr_slab_pages(void);

/* An address range's use (the vmap area, the module area), from its list
 * of areas: live ones, ones freed lazily but still reserved (the module
 * area's purge list), the largest free gap (guard pages excluded). */
struct vm_usage {
	unsigned long start, end;
	unsigned long nr_areas, nr_lazy;
	size_t bytes, lazy_bytes;	/* reserved, without guard pages */
	size_t largest_free;
	/* The area's page counter: for the vmap area the pages of
	 * ioremap/memremap windows and kernel stacks (per-CPU chunks map
	 * theirs uncounted; their areas are in bytes); for the module area
	 * module_alloc()'s pages, lazily freed ones until the purge. */
	uint64_t pages_mapped;
};
void vmap_area_usage(struct vm_usage *u);
void module_area_usage(struct vm_usage *u);

/*
 * Page-table entries (Intel SDM Vol. 3A, 4.5, tables 4-15 to 4-20), with
 * Linux's names.  PWT/PCD select the PAT entry (4.9.2): mm/paging.c
 * programs IA32_PAT as Linux does, so entry 0 is write-back, entry 1
 * (PWT) write-combining, entry 3 (PWT|PCD) uncached.
 */
#define _PAGE_PRESENT		(1ULL << 0)
#define _PAGE_RW		(1ULL << 1)
#define _PAGE_USER		(1ULL << 2)
#define _PAGE_PWT		(1ULL << 3)
#define _PAGE_PCD		(1ULL << 4)
#define _PAGE_ACCESSED		(1ULL << 5)
#define _PAGE_DIRTY		(1ULL << 6)
#define _PAGE_PSE		(1ULL << 7)	/* a 2 MiB or 1 GiB page */
#define _PAGE_GLOBAL		(1ULL << 8)
#define _PAGE_NX		(1ULL << 63)
#define PTE_PFN_MASK		0x000ffffffffff000ULL
#define PTE_FLAGS_MASK		(~PTE_PFN_MASK)

#define _PAGE_CACHE_WB		0ULL
#define _PAGE_CACHE_WC		_PAGE_PWT
#define _PAGE_CACHE_UC		(_PAGE_PWT | _PAGE_PCD)
#define _PAGE_CACHE_MASK	(_PAGE_PWT | _PAGE_PCD)

/* Levels of a mapping, as Linux's enum pg_level. */
enum pg_level {
	PG_LEVEL_NONE,
	PG_LEVEL_4K,
	PG_LEVEL_2M,
	PG_LEVEL_1G,
};

/*
 * The entry that maps a kernel virtual address in the kernel's page
 * tables, and its level: a PTE (4K), or a PDE / PDPTE with _PAGE_PSE.
 * The entry may be not present (check _PAGE_PRESENT).  NULL, level
 * PG_LEVEL_NONE, when no table reaches that far.  For tests and reports;
 * do not write through it (use set_memory_*).
 */
uint64_t *lookup_address(unsigned long addr, unsigned int *level);

/* Does EFER.NXE let page tables forbid execution?  (When not, no _PAGE_NX
 * bit is ever set, and nothing is non-executable.) */
bool mm_nx_enabled(void);

/*
 * Drop stale TLB entries for kernel addresses [start, end) after a
 * mapping changed, on every online CPU, and wait until all have (a TLB
 * shootdown; Linux: flush_tlb_kernel_range -> on_each_cpu(
 * do_kernel_range_flush)).  Call it after unmapping and before freeing
 * or reusing the pages, with interrupts enabled and no spinlock held
 * (mm/paging.c says why).
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end);

/*
 * For application processors as they come up: the same IA32_PAT, CR4.PGE
 * and the kernel's page tables as the boot CPU (call before anything uses
 * a mapping made after mm_init).
 */
void mm_ap_init(void);

/* Free pages right now (the buddy allocator's count). */
uint64_t nr_free_pages(void);

#endif
