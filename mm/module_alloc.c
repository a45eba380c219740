/*
 * mm/module_alloc.c - memory for loadable modules, and changing the
 * permissions of its pages (Linux: arch/x86/kernel/module.c module_alloc,
 * arch/x86/mm/pat/set_memory.c set_memory_ro/rw/x/nx).
 *
 * Module code is built with -mcmodel=kernel, like the kernel: it reaches
 * kernel symbols with sign-extended 32-bit displacements, so it must sit
 * within 2 GiB of the kernel's text.  MODULES_VADDR..MODULES_END is the
 * top of the address space just above the kernel image:
 *
 *   0xffffffff80000000  kernel image (_text ...)
 *   0xffffffffa0000000  MODULES_VADDR  | mod A | g | mod B | g | ...
 *   0xffffffffff000000  MODULES_END
 *
 * module_alloc() reserves a range (mm/vmap.c's first fit, with a guard
 * page after it), backs each page with a page from the buddy allocator
 * (zeroed) and maps it RW+NX.  The loader then copies sections in and
 * calls set_memory_ro() / set_memory_x() on the text and rodata pages,
 * as Linux's module_enable_ro()/module_enable_x() do.
 *
 * module_memfree() is lazy, as Linux's vfree() is (vm_free_lazy() in
 * mm/vmap.c): one TLB shootdown per purge instead of one per free.  When
 * 64 CPUs turn away 64 copies of a module at once (docs/story.md), that
 * is the difference between a few IPIs and thousands.  module_alloc()
 * purges and retries before it says the area is full; the counters
 * (module_pages) count waiting pages until the purge, so tests purge
 * before they compare.
 *
 * Simplifications: the mapping is always 4 KiB PTEs (no large pages to
 * split, unlike Linux's set_memory.c); set_memory_* accept only the
 * module area; no KASAN shadow, no randomised base.
 */
#include <kernel/errno.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include "internal.h"

uint64_t module_pages_mapped;

static struct vm_region module_region = {
	.name = "modules",
	.start = MODULES_VADDR,
	.end = MODULES_END,
	.lock = SPINLOCK_INIT("module_region.lock"),
};

void *module_alloc(size_t size)
{
	size_t npages, i;
	unsigned long va;

	if (size == 0 || size > MODULES_END - MODULES_VADDR) {
		pr_warn("module_alloc: bad size %zu\n", size);
		return NULL;
	}
	npages = DIV_ROUND_UP(size, PAGE_SIZE);
	va = vm_area_reserve(&module_region, npages * PAGE_SIZE);
	if (!va) {
		vm_unmap_aliases();
		va = vm_area_reserve(&module_region, npages * PAGE_SIZE);
	}
	if (!va) {
		pr_warn("module_alloc: no room for %zu pages in the module area\n",
			npages);
		return NULL;
	}
	for (i = 0; i < npages; i++) {
		void *page = get_zeroed_page();

		if (!page)
			goto fail_pages;
		if (map_kernel_pages(va + i * PAGE_SIZE, virt_to_phys(page), 1,
				     page_kernel_nx())) {
			free_page(page);
			goto fail_pages;
		}
	}
	__atomic_add_fetch(&module_pages_mapped, npages, __ATOMIC_RELAXED);
	return (void *)va;

fail_pages:
	pr_warn("module_alloc: out of memory after %zu of %zu pages\n", i,
		npages);
	release_kernel_pages(va, i);
	vm_area_release(&module_region, va);
	return NULL;
}

void module_memfree(void *addr)
{
	unsigned long va = (unsigned long)addr;
	size_t size;

	if (!addr)
		return;
	size = vm_area_mark_lazy(&module_region, va);
	if (!size) {
		pr_warn("module_memfree: %p was not returned by module_alloc (ignored)\n",
			addr);
		return;
	}
	vm_free_lazy(&module_region, va, va, size >> PAGE_SHIFT,
		     &module_pages_mapped);
}

void module_area_usage(struct vm_usage *u)
{
	vm_region_usage(&module_region, u);
	u->pages_mapped = READ_ONCE(module_pages_mapped);
}

static int change_module_pages(const char *who, unsigned long addr,
			       int numpages, uint64_t set, uint64_t clear)
{
	int err;

	if (numpages <= 0 || !IS_ALIGNED(addr, PAGE_SIZE) ||
	    addr < MODULES_VADDR || addr >= MODULES_END ||
	    (unsigned long)numpages > (MODULES_END - addr) >> PAGE_SHIFT) {
		pr_warn("%s: bad range %#lx, %d pages (refused)\n", who, addr,
			numpages);
		return -EINVAL;
	}
	err = change_page_attr(addr, (size_t)numpages, set, clear);
	if (err)
		pr_warn("%s: %#lx, %d pages: not all mapped (refused)\n", who,
			addr, numpages);
	return err;
}

int set_memory_ro(unsigned long addr, int numpages)
{
	return change_module_pages("set_memory_ro", addr, numpages, 0,
				   _PAGE_RW);
}

int set_memory_rw(unsigned long addr, int numpages)
{
	return change_module_pages("set_memory_rw", addr, numpages, _PAGE_RW,
				   0);
}

int set_memory_x(unsigned long addr, int numpages)
{
	return change_module_pages("set_memory_x", addr, numpages, 0,
				   _PAGE_NX);
}

int set_memory_nx(unsigned long addr, int numpages)
{
	return change_module_pages("set_memory_nx", addr, numpages, _PAGE_NX,
				   0);
}
