/*
 * mm/init.c - mm_init(): from GRUB's memory map to a working allocator,
 * the kernel's own page tables, kmalloc and the module area.
 *
 * The order is forced by what each step needs:
 *
 *   1. reservations + memory map -> free ranges     (mm/memmap.c, pure)
 *   2. carve, by bumping a free range below 4 GiB:
 *        the struct page array (16 bytes per page frame from the lowest
 *        to the highest free page) and an early pool for page tables --
 *        both must be reachable through the boot identity map
 *   3. build the page tables and switch CR3          (mm/paging.c)
 *   4. the buddy allocator gets every free range and the pool's unused
 *      pages                                         (mm/page_alloc.c)
 *   5. from here kmalloc, memremap/ioremap and module_alloc work; print
 *      Linux's "Memory:" line and the direct-map line.
 *
 * Reserved, never handed out: the first 1 MiB (BIOS data, the AP
 * trampoline later), the kernel image, GRUB's information, every boot
 * module (the initrd), the framebuffer when it lies in RAM.
 */
#include <kernel/printk.h>
#include "internal.h"

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern char __bss_start[], __bss_end[], _end[];
extern char __kernel_phys_start[], __kernel_phys_end[];

#define LOW_MEMORY_END		0x100000ULL
#define BOOT_MAP_LIMIT		(4ULL << 30)	/* boot identity map */

static struct phys_range free_ranges[MEMMAP_MAX_RANGES];
static struct phys_range ram_ranges[MEMMAP_MAX_RANGES];
static struct early_pool pool;

static int collect_reservations(const struct boot_info *bi,
				struct phys_range *res)
{
	int n = 0;

	res[n++] = (struct phys_range){ 0, LOW_MEMORY_END };
	res[n++] = (struct phys_range){ (uint64_t)__kernel_phys_start,
					(uint64_t)__kernel_phys_end };
	res[n++] = (struct phys_range){ bi->mbi_phys,
					bi->mbi_phys + bi->mbi_size };
	for (int i = 0; i < bi->module_count && i < BOOT_MODULES_MAX; i++)
		res[n++] = (struct phys_range){ bi->modules[i].start,
						bi->modules[i].end };
	if (bi->has_framebuffer)
		res[n++] = (struct phys_range){
			bi->fb.addr,
			bi->fb.addr + (uint64_t)bi->fb.pitch * bi->fb.height };
	return n;
}

/*
 * The whole first 1 MiB is direct-mapped, holes and BIOS ROM included, as
 * Linux maps the ISA range: the AP trampoline and BIOS tables live there.
 * 'r' is sorted; merge [0, 1 MiB) in front.
 */
static int add_low_memory(struct phys_range *r, int n)
{
	uint64_t end = LOW_MEMORY_END;
	int skip = 0;

	while (skip < n && r[skip].start <= end) {
		end = MAX(end, r[skip].end);
		skip++;
	}
	if (skip == 0) {
		if (n == MEMMAP_MAX_RANGES)
			panic("mm: too many RAM ranges");
		for (int i = n; i > 0; i--)
			r[i] = r[i - 1];
		n++;
		skip = 1;
	}
	r[0] = (struct phys_range){ 0, end };
	for (int i = 1; i + skip - 1 < n; i++)
		r[i] = r[i + skip - 1];
	return n - skip + 1;
}

/* Take 'bytes' (page multiple) from the start of a free range wholly
 * below the boot identity map's limit; its physical address. */
static uint64_t early_carve(uint64_t bytes, int nfree)
{
	for (int i = 0; i < nfree; i++) {
		struct phys_range *r = &free_ranges[i];
		uint64_t end = MIN(r->end, BOOT_MAP_LIMIT);

		if (r->start < end && end - r->start >= bytes) {
			uint64_t phys = r->start;

			r->start += bytes;
			return phys;
		}
	}
	panic("mm: no %llu KiB free below 4 GiB for the page array",
	      (unsigned long long)(bytes >> 10));
}

void mm_init(const struct boot_info *bi)
{
	struct phys_range res[MEMMAP_MAX_RESERVED];
	int nres, nfree, nram, ntotal;
	uint64_t total_bytes, base_pfn, end_pfn, npages, meta_bytes;
	uint64_t meta_phys, pool_pages, pool_phys;

	/* 1. What is free, what is RAM. */
	nres = collect_reservations(bi, res);
	nfree = memmap_free_ranges(bi->mmap, bi->mmap_count, res, nres,
				   free_ranges, MEMMAP_MAX_RANGES);
	if (nfree <= 0)
		panic("mm: no free memory in the boot memory map (%d, %d entries)",
		      nfree, bi->mmap_count);
	/* "Total": all available RAM, whether reserved or not (Linux's
	 * physpages). */
	ntotal = memmap_free_ranges(bi->mmap, bi->mmap_count, NULL, 0,
				    ram_ranges, MEMMAP_MAX_RANGES);
	total_bytes = ntotal > 0 ? memmap_total(ram_ranges, ntotal) : 0;
	/* The direct map: RAM types and the first 1 MiB. */
	nram = memmap_ranges(bi->mmap, bi->mmap_count, MEMMAP_RAM_TYPES, NULL,
			     0, false, ram_ranges, MEMMAP_MAX_RANGES);
	if (nram < 0)
		panic("mm: cannot compute the direct map (%d)", nram);
	nram = add_low_memory(ram_ranges, nram);

	/* 2. The page array and the early page-table pool, below 4 GiB. */
	base_pfn = free_ranges[0].start >> PAGE_SHIFT;
	end_pfn = free_ranges[nfree - 1].end >> PAGE_SHIFT;
	npages = end_pfn - base_pfn;
	if (npages >= BUDDY_NONE) {
		/* struct page links are 32-bit indices: 16 TiB of frames. */
		pr_warn("mm: only the first %u page frames are managed\n",
			BUDDY_NONE - 1);
		npages = BUDDY_NONE - 1;
	}
	meta_bytes = ALIGN_UP(npages * sizeof(struct page), PAGE_SIZE);
	meta_phys = early_carve(meta_bytes, nfree);
	/*
	 * Tables for the direct map: per range at most two page tables and
	 * two page directories at its ends and one PDPT, plus a directory
	 * per GiB in between; the kernel image needs a table per 2 MiB and
	 * a few above.  Generous: what is left goes to the allocator.
	 */
	pool_pages = 5ULL * nram + 8 +
		     (ram_ranges[nram - 1].end >> 30) +
		     ((uint64_t)((uintptr_t)_end - (uintptr_t)_text) >> 21);
	pool_phys = early_carve(pool_pages << PAGE_SHIFT, nfree);
	pool = (struct early_pool){ pool_phys,
				    pool_phys + (pool_pages << PAGE_SHIFT) };

	/* 3. Our page tables; the boot identity map is gone after this. */
	paging_init(ram_ranges, nram, &pool);

	/* 4. Every free page to the buddy allocator. */
	page_alloc_init(phys_to_virt(meta_phys), base_pfn, npages);
	for (int i = 0; i < nfree; i++)
		page_alloc_add_range(free_ranges[i].start, free_ranges[i].end);
	page_alloc_add_range(pool.next, pool.end);

	/* 5. Report, as Linux's mem_init_print_info(). */
	uint64_t avail = nr_free_pages() << PAGE_SHIFT;
	uint64_t code = (uintptr_t)_etext - (uintptr_t)_text;
	uint64_t rodata = (uintptr_t)_erodata - (uintptr_t)_rodata;
	uint64_t rwdata = (uintptr_t)_edata - (uintptr_t)_data;
	uint64_t bss = (uintptr_t)__bss_end - (uintptr_t)__bss_start;

	pr_info("Memory: %lluK/%lluK available (%lluK kernel code, %lluK rodata, %lluK rwdata, %lluK bss, %lluK reserved)\n",
		(unsigned long long)(avail >> 10),
		(unsigned long long)(total_bytes >> 10),
		(unsigned long long)(code >> 10),
		(unsigned long long)(rodata >> 10),
		(unsigned long long)(rwdata >> 10),
		(unsigned long long)(bss >> 10),
		(unsigned long long)((total_bytes - avail) >> 10));
	paging_report();
	pr_info("mm: %llu page frames from pfn %#llx, struct page array %lluK at %#llx\n",
		(unsigned long long)npages, (unsigned long long)base_pfn,
		(unsigned long long)(meta_bytes >> 10),
		(unsigned long long)meta_phys);
}

void mm_get_stats(struct mm_stats *st)
{
	st->total_pages = READ_ONCE(mem_buddy.managed_pages);
	st->free_pages = nr_free_pages();
	kmalloc_get_stats(&st->kmalloc_objects, &st->kmalloc_bytes);
	st->module_pages = READ_ONCE(module_pages_mapped);
	st->vmap_pages = READ_ONCE(vmap_pages_mapped);
}
