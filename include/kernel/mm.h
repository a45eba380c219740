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

/* Windows onto physical memory outside RAM (mm/vmap.c).  memremap is
 * write-back, for firmware tables; ioremap is uncached, for device
 * registers; ioremap_wc is write-combining, for framebuffers. */
void *memremap(uint64_t phys, size_t size);
void *ioremap(uint64_t phys, size_t size);
void *ioremap_wc(uint64_t phys, size_t size);
void iounmap(void *addr);

/* The module area (mm/module_alloc.c), as arch/x86/kernel/module.c:
 * page-granular, RW+NX when allocated; set_memory_* change permissions of
 * whole pages afterwards. */
void *module_alloc(size_t size);
void module_memfree(void *addr);
int set_memory_ro(unsigned long addr, int numpages);
int set_memory_rw(unsigned long addr, int numpages);
int set_memory_x(unsigned long addr, int numpages);
int set_memory_nx(unsigned long addr, int numpages);

/* Counters, for tests and reports: what is in use now. */
struct mm_stats {
	uint64_t total_pages;		/* managed by the page allocator */
	uint64_t free_pages;
	uint64_t kmalloc_objects;	/* kmalloc'd and not yet freed */
	uint64_t kmalloc_bytes;		/* their requested sizes */
	uint64_t module_pages;		/* module area pages in use */
	uint64_t vmap_pages;		/* memremap/ioremap pages mapped */
};
void mm_get_stats(struct mm_stats *st);

#endif
