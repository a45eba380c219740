/*
 * mm/paging.c - the kernel's own page tables (Intel SDM Vol. 3A, 4.5
 * "4-level paging", 4.9 "paging and memory typing", 4.10.4 "TLB
 * invalidation").
 *
 * boot/multiboot2.asm left us on boot tables: 4 GiB identity mapped and
 * the kernel's top 2 GiB window, all writable and executable.  Here we
 * build the tables the kernel keeps, and switch CR3 to them:
 *
 *   PML4[256..]  direct map: PAGE_OFFSET + phys for every RAM range of
 *                the memory map (available, ACPI, NVS) and the first
 *                1 MiB, with the largest pages that fit (1 GiB when the
 *                CPU has them, 2 MiB, else 4 KiB), RW + NX, global.
 *   PML4[402..]  vmap area (mm/vmap.c), 4 KiB pages made on demand.
 *   PML4[511]    the kernel image, 4 KiB pages, global:
 *                  .text RX, .rodata R+NX, .data/.bss RW+NX,
 *                  boot_stack_guard not mapped at all (a stack overflow
 *                  faults instead of corrupting .bss);
 *                and the module area (mm/module_alloc.c) above it.
 *
 * No identity map: after the switch a stray physical pointer faults.
 *
 * Before the switch the new tables are written through the boot identity
 * map, so their pages come from an "early pool" below 4 GiB that mm_init
 * carves out before the page allocator exists; the unused rest goes to
 * the allocator afterwards.  After the switch tables come from
 * get_zeroed_page() and are reached through the direct map.
 *
 * Caching: IA32_PAT is programmed as Linux does (arch/x86/mm/pat/
 * memtype.c, pat_bp_init): PAT0 WB, PAT1 WC, PAT2 UC-, PAT3 UC, PAT4 WB,
 * PAT5 WP, PAT6 UC-, PAT7 WT; a PTE's PWT/PCD bits pick entries 0..3.
 * NX: bit 63 is set only when EFER.NXE is on (else it is reserved and
 * would fault).
 *
 * Simplifications: page-table pages of the vmap and module areas are
 * never freed; a large page is never split (only 4 KiB mappings change
 * after boot); the direct-map alias of kernel text stays RW+NX (Linux
 * makes it read-only too).
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include "internal.h"

#define MSR_IA32_PAT		0x277
#define CR4_PGE			(1ULL << 7)
/* PAT memory types (SDM table 11-10) */
#define PAT_UC			0x00ULL
#define PAT_WC			0x01ULL
#define PAT_WT			0x04ULL
#define PAT_WP			0x05ULL
#define PAT_WB			0x06ULL
#define PAT_UC_MINUS		0x07ULL
#define PAT_ENTRY(i, t)		((t) << ((i) * 8))

#define PTRS_PER_TABLE		512
#define PGDIR_SHIFT		39
#define PUD_SHIFT		30
#define PMD_SHIFT		21
#define PUD_SIZE		(1ULL << PUD_SHIFT)
#define PMD_SIZE		(1ULL << PMD_SHIFT)
/* Flags of a table entry pointing to a lower table: the leaf decides. */
#define _PAGE_TABLE		(_PAGE_PRESENT | _PAGE_RW | _PAGE_ACCESSED)

extern char _text[], _etext[], _rodata[], _erodata[], _data[], _edata[];
extern char __bss_start[], __bss_end[], _end[];
extern char boot_stack_guard[];

static uint64_t kernel_pml4_phys;
static bool paging_live;		/* tables reached via the direct map */
static struct early_pool *early_pool;
static uint64_t nx_mask;		/* _PAGE_NX, or 0 without EFER.NXE */
static bool have_gbpages, have_pat;
static DEFINE_SPINLOCK(pgtable_lock);	/* changes to kernel tables */

/* What paging_report prints. */
static struct phys_range direct_map[MEMMAP_MAX_RANGES];
static int direct_map_count;
static uint64_t direct_map_pages[PG_LEVEL_1G + 1];
static uint64_t early_tables;

static unsigned int table_index(unsigned long va, int level)
{
	/* level 4: PML4, 3: PDPT, 2: PD, 1: PT */
	return (va >> (PAGE_SHIFT + 9 * (level - 1))) & (PTRS_PER_TABLE - 1);
}

/* A table's entries, by its physical address. */
static uint64_t *table_virt(uint64_t phys)
{
	return paging_live ? phys_to_virt(phys) : (uint64_t *)(uintptr_t)phys;
}

/* A zeroed page for a table: its physical address, or 0. */
static uint64_t alloc_table(void)
{
	uint64_t phys;

	if (!paging_live) {
		if (!early_pool || early_pool->next >= early_pool->end)
			panic("mm: early page-table pool exhausted");
		phys = early_pool->next;
		early_pool->next += PAGE_SIZE;
		early_tables++;
		memset((void *)(uintptr_t)phys, 0, PAGE_SIZE);
		return phys;
	}
	void *page = get_zeroed_page();

	return page ? virt_to_phys(page) : 0;
}

/*
 * The entry for va at 'level' (1: PTE, 2: PDE, 3: PDPTE), creating the
 * tables above it when 'create'.  NULL when a table is missing (and not
 * created, or out of memory) or a large page is in the way.
 */
static uint64_t *walk(unsigned long va, int level, bool create)
{
	uint64_t *table = table_virt(kernel_pml4_phys);

	for (int l = 4; l > level; l--) {
		uint64_t *entry = &table[table_index(va, l)];

		if (!(*entry & _PAGE_PRESENT)) {
			uint64_t phys;

			if (!create || !(phys = alloc_table()))
				return NULL;
			*entry = phys | _PAGE_TABLE;
		} else if (*entry & _PAGE_PSE) {
			return NULL;
		}
		table = table_virt(*entry & PTE_PFN_MASK);
	}
	return &table[table_index(va, level)];
}

uint64_t page_kernel_nx(void)
{
	return PAGE_KERNEL | nx_mask;
}

bool mm_nx_enabled(void)
{
	return nx_mask != 0;
}

/* The direct map of one range, largest pages first. */
static void map_direct_range(uint64_t start, uint64_t end)
{
	uint64_t flags = PAGE_KERNEL | nx_mask;

	for (uint64_t pa = start; pa < end;) {
		unsigned long va = (unsigned long)phys_to_virt(pa);
		uint64_t *entry;

		if (have_gbpages && IS_ALIGNED(pa, PUD_SIZE) &&
		    end - pa >= PUD_SIZE) {
			entry = walk(va, 3, true);
			*entry = pa | flags | _PAGE_PSE;
			direct_map_pages[PG_LEVEL_1G]++;
			pa += PUD_SIZE;
		} else if (IS_ALIGNED(pa, PMD_SIZE) && end - pa >= PMD_SIZE) {
			entry = walk(va, 2, true);
			if (!entry)	/* inside a 1 GiB page already */
				panic("mm: direct map overlap at %#llx",
				      (unsigned long long)pa);
			*entry = pa | flags | _PAGE_PSE;
			direct_map_pages[PG_LEVEL_2M]++;
			pa += PMD_SIZE;
		} else {
			entry = walk(va, 1, true);
			if (!entry)
				panic("mm: direct map overlap at %#llx",
				      (unsigned long long)pa);
			*entry = pa | flags;
			direct_map_pages[PG_LEVEL_4K]++;
			pa += PAGE_SIZE;
		}
	}
}

/* The kernel image, page by page, with the permissions of its section. */
static void map_kernel_image(void)
{
	for (unsigned long va = (unsigned long)_text; va < (unsigned long)_end;
	     va += PAGE_SIZE) {
		uint64_t flags;

		if (va == (unsigned long)boot_stack_guard)
			continue;	/* the guard page: never mapped */
		if (va < (unsigned long)_rodata)
			flags = _PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_ACCESSED;
		else if (va < (unsigned long)_data)
			flags = _PAGE_PRESENT | _PAGE_GLOBAL | _PAGE_ACCESSED |
				nx_mask;
		else
			flags = PAGE_KERNEL | nx_mask;
		*walk(va, 1, true) = (va - KERNEL_VMA) | flags;
	}
}

static void pat_init(void)
{
	if (!have_pat)
		return;	/* PWT alone then means write-through: still safe */
	wrmsr(MSR_IA32_PAT,
	      PAT_ENTRY(0, PAT_WB) | PAT_ENTRY(1, PAT_WC) |
	      PAT_ENTRY(2, PAT_UC_MINUS) | PAT_ENTRY(3, PAT_UC) |
	      PAT_ENTRY(4, PAT_WB) | PAT_ENTRY(5, PAT_WP) |
	      PAT_ENTRY(6, PAT_UC_MINUS) | PAT_ENTRY(7, PAT_WT));
	/* SDM 11.12.4: flush caches after changing memory types. */
	__asm__ __volatile__("wbinvd" ::: "memory");
}

void mm_ap_init(void)
{
	pat_init();
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_pml4_phys);
}

void paging_init(const struct phys_range *ram, int nram,
		 struct early_pool *pool)
{
	uint32_t a, b, c, d;

	cpuid(0x80000000, &a, &b, &c, &d);
	if (a >= 0x80000001) {
		cpuid(0x80000001, &a, &b, &c, &d);
		have_gbpages = d & (1u << 26);
	}
	cpuid(1, &a, &b, &c, &d);
	have_pat = d & (1u << 16);
	nx_mask = (rdmsr(MSR_EFER) & EFER_NXE) ? _PAGE_NX : 0;

	early_pool = pool;
	kernel_pml4_phys = alloc_table();
	for (int i = 0; i < nram; i++) {
		map_direct_range(ram[i].start, ram[i].end);
		direct_map[i] = ram[i];
	}
	direct_map_count = nram;
	map_kernel_image();

	pat_init();
	write_cr4(read_cr4() | CR4_PGE);
	write_cr3(kernel_pml4_phys);
	paging_live = true;
	early_pool = NULL;
}

void paging_report(void)
{
	uint64_t total = memmap_total(direct_map, direct_map_count);

	pr_info("mm: direct map %lluM at %#lx: %llu x 1G + %llu x 2M + %llu x 4K pages, NX %s, PAT %s, %llu early tables\n",
		(unsigned long long)(total >> 20), PAGE_OFFSET,
		(unsigned long long)direct_map_pages[PG_LEVEL_1G],
		(unsigned long long)direct_map_pages[PG_LEVEL_2M],
		(unsigned long long)direct_map_pages[PG_LEVEL_4K],
		nx_mask ? "on" : "off", have_pat ? "WB/WC/UC" : "absent",
		(unsigned long long)early_tables);
}

bool phys_is_direct_mapped(uint64_t phys, uint64_t size)
{
	if (size == 0 || phys + size < phys)
		return false;
	for (int i = 0; i < direct_map_count; i++)
		if (direct_map[i].start <= phys &&
		    phys + size <= direct_map[i].end)
			return true;
	return false;
}

uint64_t *lookup_address(unsigned long addr, unsigned int *level)
{
	uint64_t *table = table_virt(kernel_pml4_phys);

	*level = PG_LEVEL_NONE;
	for (int l = 4; l >= 1; l--) {
		uint64_t *entry = &table[table_index(addr, l)];

		if (l == 1 || ((*entry & _PAGE_PRESENT) &&
			       (*entry & _PAGE_PSE) && l <= 3)) {
			*level = l == 3 ? PG_LEVEL_1G :
				 l == 2 ? PG_LEVEL_2M : PG_LEVEL_4K;
			return entry;
		}
		if (!(*entry & _PAGE_PRESENT))
			return NULL;
		table = table_virt(*entry & PTE_PFN_MASK);
	}
	return NULL;
}

/* Drop [start, end) from this CPU's TLB: a page at a time, or, for
 * more than 64 pages, everything (toggling CR4.PGE flushes global
 * entries too, SDM 4.10.4.1). */
static void flush_tlb_local_range(unsigned long start, unsigned long end)
{
	if ((end - start) >> PAGE_SHIFT > 64) {
		uint64_t cr4 = read_cr4();

		write_cr4(cr4 & ~CR4_PGE);
		write_cr4(cr4);
		return;
	}
	for (unsigned long va = start & PAGE_MASK; va < end; va += PAGE_SIZE)
		invlpg(va);
}

struct flush_tlb_info {
	unsigned long start, end;
};

static void do_kernel_range_flush(void *info)
{
	const struct flush_tlb_info *f = info;

	flush_tlb_local_range(f->start, f->end);
}

/*
 * A TLB shootdown (Linux: flush_tlb_kernel_range ->
 * on_each_cpu(do_kernel_range_flush)).  Every CPU caches translations:
 * once a page is unmapped here and freed, a CPU that still holds the old
 * entry could read or write the page after its next owner got it.  So
 * every online CPU flushes, and we wait for all of them before returning
 * and before the caller frees or reuses the pages.
 *
 * Rule: call with interrupts enabled and no spinlock held.  With only
 * this CPU online (early boot) it is a local flush and any context will
 * do.  With interrupts off it still completes (the wait serves this
 * CPU's own queue, kernel/smp/call.c), but it is reported, because a CPU
 * spinning with interrupts off on a lock we hold would never answer.
 */
void flush_tlb_kernel_range(unsigned long start, unsigned long end)
{
	struct flush_tlb_info info = { start, end };

	if (end <= start)
		return;
	if (num_online_cpus() <= 1) {
		flush_tlb_local_range(start, end);
		return;
	}
	on_each_cpu(do_kernel_range_flush, &info, 1);
}

int map_kernel_pages(unsigned long va, uint64_t pa, size_t npages,
		     uint64_t flags)
{
	unsigned long flags_irq = spin_lock_irqsave(&pgtable_lock);
	int err = 0;
	size_t i;

	for (i = 0; i < npages; i++) {
		uint64_t *pte = walk(va + i * PAGE_SIZE, 1, true);

		if (!pte) {
			err = -ENOMEM;
			break;
		}
		if (*pte & _PAGE_PRESENT) {
			err = -EBUSY;
			break;
		}
		*pte = ((pa + i * PAGE_SIZE) & PTE_PFN_MASK) | flags;
	}
	/* Unwind: what we mapped is gone again. */
	while (err && i-- > 0)
		*walk(va + i * PAGE_SIZE, 1, false) = 0;
	spin_unlock_irqrestore(&pgtable_lock, flags_irq);
	if (err)
		flush_tlb_kernel_range(va, va + npages * PAGE_SIZE);
	return err;
}

void unmap_kernel_pages(unsigned long va, size_t npages, uint64_t *phys)
{
	unsigned long flags = spin_lock_irqsave(&pgtable_lock);

	for (size_t i = 0; i < npages; i++) {
		uint64_t *pte = walk(va + i * PAGE_SIZE, 1, false);
		uint64_t old = pte ? *pte : 0;

		if (phys)
			phys[i] = (old & _PAGE_PRESENT) ?
				  (old & PTE_PFN_MASK) : 0;
		if (pte)
			*pte = 0;
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
}

uint64_t kernel_page_phys(unsigned long va)
{
	unsigned long flags = spin_lock_irqsave(&pgtable_lock);
	uint64_t *pte = walk(va, 1, false);
	uint64_t phys = (pte && (*pte & _PAGE_PRESENT)) ?
			(*pte & PTE_PFN_MASK) : 0;

	spin_unlock_irqrestore(&pgtable_lock, flags);
	return phys;
}

int change_page_attr(unsigned long va, size_t npages, uint64_t set,
		     uint64_t clear)
{
	unsigned long flags = spin_lock_irqsave(&pgtable_lock);
	size_t i;

	/* Without NXE bit 63 is reserved: never set it. */
	set &= ~_PAGE_NX | nx_mask;
	for (i = 0; i < npages; i++) {
		uint64_t *pte = walk(va + i * PAGE_SIZE, 1, false);

		if (!pte || !(*pte & _PAGE_PRESENT)) {
			spin_unlock_irqrestore(&pgtable_lock, flags);
			return -EINVAL;
		}
	}
	for (i = 0; i < npages; i++) {
		uint64_t *pte = walk(va + i * PAGE_SIZE, 1, false);

		*pte = (*pte & ~clear) | set;
	}
	spin_unlock_irqrestore(&pgtable_lock, flags);
	flush_tlb_kernel_range(va, va + npages * PAGE_SIZE);
	return 0;
}
