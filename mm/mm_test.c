/*
 * mm/mm_test.c - in-kernel KTAP suite "mm": the memory manager on the
 * real machine, its real page tables and its real counters.
 *
 * Run: make iso CMDLINE="poweroff isa_debug_exit ktest=mm" and boot it.
 * Each case takes a baseline first (<kernel/ktest/baseline.h>) and checks
 * that what it took came back; page-table pages made on first use of an
 * area stay (mm/paging.c never frees them), so cases that map warm up
 * once before measuring.
 */
#include <kernel/ktest.h>
#include <kernel/ktest/baseline.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include "internal.h"

extern char _text[], _etext[], _rodata[], _data[], boot_stack_guard[];

static uint64_t pte_of(unsigned long addr, unsigned int *level)
{
	uint64_t *pte = lookup_address(addr, level);

	return pte ? *pte : 0;
}

static void test_page_alloc(struct ktest *t)
{
	struct ktest_baseline b;
	void *blocks[MAX_ORDER + 1];
	unsigned char *z;

	ktest_baseline_take(&b, LEAK_FREE_PAGES);
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		blocks[o] = __get_free_pages(o);
		KTEST_EXPECT_TRUE(t, blocks[o] != NULL);
		if (!blocks[o])
			continue;
		KTEST_EXPECT_TRUE(t, IS_ALIGNED(virt_to_phys(blocks[o]),
						PAGE_SIZE << o));
		/* Usable: first and last byte of the block. */
		((volatile char *)blocks[o])[0] = (char)o;
		((volatile char *)blocks[o])[(PAGE_SIZE << o) - 1] = (char)o;
	}
	KTEST_EXPECT_TRUE(t, nr_free_pages() < b.free_pages);
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		free_pages(blocks[o], o);
	KTEST_EXPECT_NO_LEAK(t, &b);

	z = get_zeroed_page();
	KTEST_EXPECT_TRUE(t, z != NULL);
	if (z) {
		bool zero = true;

		for (size_t i = 0; i < PAGE_SIZE; i++)
			zero = zero && z[i] == 0;
		KTEST_EXPECT_TRUE(t, zero);
		free_page(z);
	}
	KTEST_EXPECT_NO_LEAK(t, &b);
	KTEST_EXPECT_TRUE(t, __get_free_pages(MAX_ORDER + 1) == NULL);
}

static void test_page_bad_free(struct ktest *t)
{
	struct ktest_baseline b;
	void *p;

	ktest_baseline_take(&b, LEAK_FREE_PAGES);
	p = __get_free_pages(1);
	KTEST_EXPECT_TRUE(t, p != NULL);
	if (!p)
		return;
	KTEST_EXPECT_EQ(t, __free_pages_checked((char *)p + PAGE_SIZE, 0),
			BUDDY_NOT_HEAD);
	KTEST_EXPECT_EQ(t, __free_pages_checked(p, 0), BUDDY_BAD_ORDER);
	KTEST_EXPECT_EQ(t, __free_pages_checked(p, 1), BUDDY_OK);
	KTEST_EXPECT_NO_LEAK(t, &b);
	KTEST_EXPECT_EQ(t, __free_pages_checked(p, 1), BUDDY_DOUBLE_FREE);
	/* Kernel image and first 1 MiB: not the allocator's. */
	KTEST_EXPECT_EQ(t, __free_pages_checked(_data, 0), BUDDY_UNMANAGED);
	KTEST_EXPECT_EQ(t, __free_pages_checked(phys_to_virt(0x1000), 0),
			BUDDY_UNMANAGED);
	KTEST_EXPECT_NO_LEAK(t, &b);
	/* The public path only prints: */
	free_pages(p, 1);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

static void test_kmalloc_classes(struct ktest *t)
{
	static const size_t sizes[] = { 1, 16, 17, 32, 33, 64, 100, 128, 129,
					256, 500, 512, 1000, 1024, 1025,
					2048, 2049, 4096, 10000, 70000 };
	void *objs[ARRAY_SIZE(sizes)];
	struct ktest_baseline b;
	struct mm_stats during;

	ktest_baseline_take(&b, LEAK_KMALLOC_OBJECTS | LEAK_KMALLOC_BYTES |
				LEAK_FREE_PAGES);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		size_t align = 16;

		while (align < sizes[i] && align < PAGE_SIZE)
			align <<= 1;
		objs[i] = kmalloc(sizes[i]);
		KTEST_EXPECT_TRUE(t, objs[i] != NULL);
		if (!objs[i])
			continue;
		KTEST_EXPECT_TRUE(t, IS_ALIGNED((uintptr_t)objs[i], align));
		for (size_t k = 0; k < sizes[i]; k++)
			((volatile char *)objs[i])[k] = (char)k;
	}
	mm_get_stats(&during);
	KTEST_EXPECT_EQ(t, during.kmalloc_objects,
			b.kmalloc_objects + ARRAY_SIZE(sizes));
	KTEST_EXPECT_TRUE(t, during.kmalloc_bytes >= b.kmalloc_bytes +
				     1 + 16 + 32 + 64 + 70000);
	/* Distinct objects: no two share a byte. */
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		for (size_t j = i + 1; j < ARRAY_SIZE(sizes); j++)
			KTEST_EXPECT_TRUE(t,
				(char *)objs[i] + sizes[i] <= (char *)objs[j] ||
				(char *)objs[j] + sizes[j] <= (char *)objs[i]);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(objs[i]);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

static void test_kmalloc_poison_and_misuse(struct ktest *t)
{
	struct ktest_baseline base;
	unsigned char *a, *b, *z;

	ktest_baseline_take(&base, LEAK_KMALLOC_OBJECTS | LEAK_KMALLOC_BYTES |
				   LEAK_FREE_PAGES);
	kfree(NULL);
	KTEST_EXPECT_TRUE(t, kmalloc(0) == NULL);
	z = kzalloc(200);
	KTEST_EXPECT_TRUE(t, z != NULL);
	if (z) {
		bool zero = true;

		for (size_t i = 0; i < 200; i++)
			zero = zero && z[i] == 0;
		KTEST_EXPECT_TRUE(t, zero);
	}
	/* Two objects of one class: after freeing one, its page stays (the
	 * other holds it) and the freed bytes are poisoned. */
	a = kmalloc(48);
	b = kmalloc(48);
	KTEST_EXPECT_TRUE(t, a && b);
	if (a && b) {
		a[10] = 0;
		kfree(a);
		KTEST_EXPECT_EQ(t, a[10], 0x6b);
		KTEST_EXPECT_EQ(t, a[63], 0x6b);
		/* Double free and a pointer into an object: reported only. */
		kfree(a);
		kfree(b + 8);
		kfree(b);
	}
	/* Not kmalloc memory at all. */
	kfree(_data);
	kfree(z);
	KTEST_EXPECT_NO_LEAK(t, &base);
}

static void test_module_alloc(struct ktest *t)
{
	struct ktest_baseline b;
	struct mm_stats now;
	unsigned long text = (unsigned long)_text, a;
	unsigned int level;
	uint64_t pte;
	char *mem;

	module_memfree(module_alloc(3 * PAGE_SIZE));	/* warm up tables */
	ktest_baseline_take(&b, LEAK_MODULE_PAGES | LEAK_FREE_PAGES);
	mem = module_alloc(3 * PAGE_SIZE + 100);
	KTEST_EXPECT_TRUE(t, mem != NULL);
	if (!mem)
		return;
	a = (unsigned long)mem;
	KTEST_EXPECT_TRUE(t, a >= MODULES_VADDR && a + 4 * PAGE_SIZE <= MODULES_END);
	/* Reachable with a signed 32-bit displacement from kernel text. */
	KTEST_EXPECT_TRUE(t, a + 4 * PAGE_SIZE - text < (1UL << 31));
	mm_get_stats(&now);
	KTEST_EXPECT_EQ(t, now.module_pages, b.module_pages + 4);
	for (int i = 0; i < 4; i++) {
		pte = pte_of(a + i * PAGE_SIZE, &level);
		KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
		KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);
		KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);
		KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());
	}
	mem[0] = 1;
	mem[4 * PAGE_SIZE - 1] = 2;
	KTEST_EXPECT_EQ(t, mem[0] + mem[4 * PAGE_SIZE - 1], 3);

	KTEST_EXPECT_EQ(t, set_memory_ro(a, 2), 0);
	KTEST_EXPECT_EQ(t, set_memory_x(a, 1), 0);
	pte = pte_of(a, &level);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_RW);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_NX);
	pte = pte_of(a + PAGE_SIZE, &level);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());
	pte = pte_of(a + 2 * PAGE_SIZE, &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, set_memory_nx(a, 1), 0);
	KTEST_EXPECT_EQ(t, set_memory_rw(a, 2), 0);
	pte = pte_of(a, &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());

	/* Refused: unaligned, outside the area, past the mapping (the
	 * guard page), no pages. */
	KTEST_EXPECT_NE(t, set_memory_ro(a + 1, 1), 0);
	KTEST_EXPECT_NE(t, set_memory_ro(text, 1), 0);
	KTEST_EXPECT_NE(t, set_memory_ro(a, 5), 0);
	KTEST_EXPECT_NE(t, set_memory_x(a, 0), 0);
	pte = pte_of(a + 3 * PAGE_SIZE, &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);	/* nothing changed */

	module_memfree(mem);
	for (int i = 0; i < 4; i++) {
		pte = pte_of(a + i * PAGE_SIZE, &level);
		KTEST_EXPECT_FALSE(t, pte & _PAGE_PRESENT);
	}
	module_memfree(mem);	/* reported, ignored */
	/* Freed lazily: the pages come back at the purge the check makes. */
	KTEST_EXPECT_NO_LEAK(t, &b);
	KTEST_EXPECT_TRUE(t, module_alloc(0) == NULL);
}

static void test_kernel_permissions(struct ktest *t)
{
	unsigned int level;
	uint64_t pte;

	pte = pte_of((unsigned long)_text, &level);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_GLOBAL);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_RW);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_NX);

	pte = pte_of((unsigned long)_rodata, &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());

	pte = pte_of((unsigned long)&boot_info, &level);	/* .bss */
	KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());

	pte = pte_of((unsigned long)_data, &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());

	/* The boot stack's guard page: not mapped. */
	pte = pte_of((unsigned long)boot_stack_guard, &level);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_PRESENT);
	pte = pte_of((unsigned long)boot_stack_guard + PAGE_SIZE, &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);

	/* The direct map: large pages, RW, NX; no identity map left. */
	pte = pte_of((unsigned long)phys_to_virt(0), &level);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);
	KTEST_EXPECT_TRUE(t, level == PG_LEVEL_2M || level == PG_LEVEL_1G);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_RW);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());
	KTEST_EXPECT_TRUE(t, lookup_address(0x200000, &level) == NULL);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_NONE);
}

static void test_ioremap(struct ktest *t)
{
	struct ktest_baseline b;
	struct mm_stats now;
	unsigned int level;
	uint64_t pte;
	void *lapic, *wc, *high, *ram;
	void *page;

	iounmap(ioremap(0xfee00000, PAGE_SIZE));	/* warm up tables */
	ktest_baseline_take(&b, LEAK_VMAP_PAGES | LEAK_FREE_PAGES |
				LEAK_KMALLOC_OBJECTS);
	lapic = ioremap(0xfee00000 + 0x30, 4);	/* unaligned: LAPIC version */
	KTEST_EXPECT_TRUE(t, lapic != NULL);
	KTEST_EXPECT_EQ(t, (uintptr_t)lapic & ~PAGE_MASK, 0x30);
	pte = pte_of((unsigned long)lapic, &level);
	KTEST_EXPECT_EQ(t, level, PG_LEVEL_4K);
	KTEST_EXPECT_TRUE(t, pte & _PAGE_PRESENT);
	KTEST_EXPECT_EQ(t, pte & _PAGE_CACHE_MASK, _PAGE_CACHE_UC);
	KTEST_EXPECT_EQ(t, pte & PTE_PFN_MASK, 0xfee00000);
	KTEST_EXPECT_EQ(t, !!(pte & _PAGE_NX), mm_nx_enabled());

	wc = ioremap_wc(0xfd000000, 3 * PAGE_SIZE);
	pte = pte_of((unsigned long)wc + 2 * PAGE_SIZE, &level);
	KTEST_EXPECT_EQ(t, pte & _PAGE_CACHE_MASK, _PAGE_CACHE_WC);
	KTEST_EXPECT_EQ(t, pte & PTE_PFN_MASK, 0xfd002000);

	/* Above 4 GiB, not RAM: a write-back window of its own. */
	high = memremap(0x40000000000ULL, PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, (unsigned long)high >= VMAP_START);
	pte = pte_of((unsigned long)high, &level);
	KTEST_EXPECT_EQ(t, pte & _PAGE_CACHE_MASK, _PAGE_CACHE_WB);
	KTEST_EXPECT_EQ(t, pte & PTE_PFN_MASK, 0x40000000000ULL);

	/* RAM: the direct map itself, nothing new mapped. */
	page = __get_free_pages(0);
	ram = page ? memremap(virt_to_phys(page), PAGE_SIZE) : NULL;
	KTEST_EXPECT_TRUE(t, ram == page);

	mm_get_stats(&now);
	KTEST_EXPECT_EQ(t, now.vmap_pages, b.vmap_pages + 1 + 3 + 1);
	iounmap(ram);
	free_page(page);
	iounmap(lapic);
	iounmap(wc);
	iounmap(high);
	pte = pte_of((unsigned long)lapic, &level);
	KTEST_EXPECT_FALSE(t, pte & _PAGE_PRESENT);
	iounmap(lapic);		/* reported, ignored */
	KTEST_EXPECT_TRUE(t, ioremap(0xfee00000, 0) == NULL);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/*
 * The leak baseline itself (kernel/ktest_baseline.c), which every case
 * above relies on: it sees what is held, only in the counters it
 * watches, and not memory that is only waiting for the lazy purge.
 */
static void test_leak_baseline(struct ktest *t)
{
	const unsigned int watched = LEAK_KMALLOC_OBJECTS | LEAK_PERCPU_AREAS |
				     LEAK_MODULE_PAGES;
	struct ktest_baseline b, now;
	uint64_t *area;
	void *obj, *page, *mem;

	ktest_baseline_take(&b, watched);
	KTEST_EXPECT_EQ(t, ktest_baseline_changed(&b, &now), 0);
	obj = kmalloc(40);
	area = alloc_percpu(uint64_t);
	page = __get_free_pages(0);		/* free pages: not watched */
	KTEST_EXPECT_TRUE(t, obj && area && page);
	KTEST_EXPECT_EQ(t, ktest_baseline_changed(&b, &now),
			LEAK_KMALLOC_OBJECTS | LEAK_PERCPU_AREAS);
	KTEST_EXPECT_EQ(t, now.kmalloc_objects, b.kmalloc_objects + 1);
	KTEST_EXPECT_EQ(t, now.percpu_areas, b.percpu_areas + 1);
	kfree(obj);
	free_percpu(area);
	KTEST_EXPECT_EQ(t, ktest_baseline_changed(&b, &now), 0);
	/* Module memory (its pages, and the kmalloc'd record of its range,
	 * mm/vmap.c) freed but not yet purged is given back by the purge
	 * the check makes first. */
	mem = module_alloc(PAGE_SIZE);
	KTEST_EXPECT_TRUE(t, mem != NULL);
	KTEST_EXPECT_EQ(t, ktest_baseline_changed(&b, &now),
			LEAK_MODULE_PAGES | LEAK_KMALLOC_OBJECTS);
	module_memfree(mem);
	KTEST_EXPECT_NO_LEAK(t, &b);
	if (page)
		free_page(page);
}

static struct ktest_case mm_cases[] = {
	KTEST_CASE(test_page_alloc),
	KTEST_CASE(test_page_bad_free),
	KTEST_CASE(test_kmalloc_classes),
	KTEST_CASE(test_kmalloc_poison_and_misuse),
	KTEST_CASE(test_module_alloc),
	KTEST_CASE(test_kernel_permissions),
	KTEST_CASE(test_ioremap),
	KTEST_CASE(test_leak_baseline),
	{}
};
KTEST_SUITE(mm, mm_cases);
