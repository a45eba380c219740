/*
 * kernel/traps_test.c - KTAP suite "traps": the symbol table, the IDT and
 * GDT as the CPU sees them (sidt/sgdt/str), int3 surviving, the interrupt
 * handler registry, and the guarded load the backtrace uses.
 *
 * Run: make iso CMDLINE="poweroff isa_debug_exit ktest=traps"
 */
#include <kernel/errno.h>
#include <kernel/gdt.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/traps.h>

#define TEST_VECTOR	0xf0

struct table_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

extern void kmain(uint32_t magic, uint64_t mbi_phys);
extern const uint64_t isr_stub_table[NR_VECTORS];
extern int probe_read_u64(const uint64_t *addr, uint64_t *out);
extern char boot_stack_guard[];

static volatile unsigned long test_vector_hits;

static void test_kmain_symbol(struct ktest *t)
{
	uint64_t off = 99;

	KTEST_EXPECT_STREQ(t, ksym_lookup((uintptr_t)kmain, &off), "kmain");
	KTEST_EXPECT_EQ(t, off, 0);
}

static void test_inside_function(struct ktest *t)
{
	uint64_t start = (uintptr_t)trap_init, off = 0, size = 0;
	const char *name = ksym_lookup_size(start, &off, &size);

	KTEST_EXPECT_STREQ(t, name, "trap_init");
	KTEST_EXPECT_TRUE(t, size > 8);
	KTEST_EXPECT_STREQ(t, ksym_lookup(start + 7, &off), "trap_init");
	KTEST_EXPECT_EQ(t, off, 7);
	KTEST_EXPECT_STREQ(t, ksym_lookup(start + size - 1, &off),
			   "trap_init");
	KTEST_EXPECT_EQ(t, off, size - 1);
	/* One past the end is the next symbol, not trap_init. */
	name = ksym_lookup(start + size, &off);
	KTEST_EXPECT_TRUE(t, name && strcmp(name, "trap_init"));
	KTEST_EXPECT_EQ(t, off, 0);
}

static void test_outside_text(struct ktest *t)
{
	uint64_t off;

	KTEST_EXPECT_TRUE(t, ksym_lookup(0, &off) == NULL);
	KTEST_EXPECT_TRUE(t, ksym_lookup((uintptr_t)&test_vector_hits,
					 &off) == NULL);
	KTEST_EXPECT_TRUE(t, ksym_lookup((uintptr_t)isr_stub_table,
					 &off) == NULL);
	KTEST_EXPECT_TRUE(t, ksym_lookup(~0UL, &off) == NULL);
}

static void test_int3_returns(struct ktest *t)
{
	unsigned long before = traps_int3_count();

	__asm__ __volatile__("int3" ::: "memory");
	KTEST_EXPECT_EQ(t, traps_int3_count(), before + 1);
	__asm__ __volatile__("int3" ::: "memory");
	KTEST_EXPECT_EQ(t, traps_int3_count(), before + 2);
}

static void test_idt_exceptions(struct ktest *t)
{
	struct table_ptr p;

	__asm__ __volatile__("sidt %0" : "=m"(p));
	KTEST_EXPECT_EQ(t, p.limit, NR_VECTORS * 16 - 1);
	for (unsigned v = 0; v < NR_VECTORS; v++) {
		const uint64_t *gate = (const uint64_t *)(p.base + v * 16);
		uint64_t offset = (gate[0] & 0xffff) |
				  ((gate[0] >> 32) & 0xffff0000) |
				  (gate[1] << 32);
		unsigned selector = (gate[0] >> 16) & 0xffff;
		unsigned ist = (gate[0] >> 32) & 7;
		unsigned attr = (gate[0] >> 40) & 0xff;
		unsigned want_ist = v == 2 ? IST_NMI : v == 8 ?
				    IST_DOUBLE_FAULT : v == 18 ?
				    IST_MACHINE_CHECK : 0;

		if (attr != 0x8e || selector != GDT_KERNEL_CS ||
		    ist != want_ist || offset != isr_stub_table[v]) {
			ktest_fail(t, __FILE__, __LINE__,
				   "gate %u: attr %#x selector %#x ist %u offset %#lx",
				   v, attr, selector, ist,
				   (unsigned long)offset);
			return;
		}
	}
}

static void test_gdt_tss(struct ktest *t)
{
	struct table_ptr p;
	uint16_t tr;
	const uint64_t *slot;
	const struct tss *tss = gdt_current_tss();
	uint64_t base, limit;

	__asm__ __volatile__("sgdt %0" : "=m"(p));
	__asm__ __volatile__("str %0" : "=r"(tr));
	KTEST_EXPECT_EQ(t, tr, GDT_TSS);
	KTEST_EXPECT_EQ(t, p.limit, GDT_ENTRIES * 8 - 1);
	slot = (const uint64_t *)(p.base + GDT_TSS);
	/* Busy 64-bit TSS (type 0xb, set by ltr), present, DPL 0. */
	KTEST_EXPECT_EQ(t, (slot[0] >> 40) & 0xff, 0x8b);
	base = ((slot[0] >> 16) & 0xffffff) | ((slot[0] >> 56) << 24) |
	       (slot[1] << 32);
	limit = (slot[0] & 0xffff) | (((slot[0] >> 48) & 0xf) << 16);
	KTEST_EXPECT_EQ(t, base, (uintptr_t)tss);
	KTEST_EXPECT_EQ(t, limit, sizeof(struct tss) - 1);
	KTEST_EXPECT_EQ(t, sizeof(struct tss), 104);
	for (int i = 0; tss && i < IST_COUNT; i++) {
		KTEST_EXPECT_TRUE(t, tss->ist[i] >= KERNEL_VMA);
		KTEST_EXPECT_TRUE(t, IS_ALIGNED(tss->ist[i], 16));
	}
	/* The code and data segments in use are ours. */
	uint16_t cs, ss;

	__asm__ __volatile__("mov %%cs, %0; mov %%ss, %1" : "=r"(cs), "=r"(ss));
	KTEST_EXPECT_EQ(t, cs, GDT_KERNEL_CS);
	KTEST_EXPECT_EQ(t, ss, GDT_KERNEL_DS);
}

static void count_test_vector(struct pt_regs *regs)
{
	if (regs->vector == TEST_VECTOR)
		test_vector_hits++;
}

static void test_register_handler(struct ktest *t)
{
	unsigned long hits = test_vector_hits;
	unsigned long spurious;

	KTEST_EXPECT_EQ(t, register_interrupt_handler(14, count_test_vector),
			-EINVAL);
	KTEST_EXPECT_EQ(t, register_interrupt_handler(256, count_test_vector),
			-EINVAL);
	KTEST_EXPECT_EQ(t, register_interrupt_handler(TEST_VECTOR,
						      count_test_vector), 0);
	KTEST_EXPECT_EQ(t, register_interrupt_handler(TEST_VECTOR,
						      count_test_vector),
			-EBUSY);
	__asm__ __volatile__("int %0" : : "i"(TEST_VECTOR) : "memory");
	KTEST_EXPECT_EQ(t, test_vector_hits, hits + 1);
	KTEST_EXPECT_EQ(t, unregister_interrupt_handler(TEST_VECTOR,
							count_test_vector), 0);
	/* Now nobody owns it: spurious, counted, and we come back. */
	spurious = traps_spurious_count();
	__asm__ __volatile__("int %0" : : "i"(TEST_VECTOR) : "memory");
	KTEST_EXPECT_EQ(t, test_vector_hits, hits + 1);
	KTEST_EXPECT_EQ(t, traps_spurious_count(), spurious + 1);
}

static void test_probe_read(struct ktest *t)
{
	static const uint64_t word = 0x1122334455667788;
	uint64_t out = 0;

	KTEST_EXPECT_EQ(t, probe_read_u64(&word, &out), 0);
	KTEST_EXPECT_EQ(t, out, word);
	out = 7;
	/* Unmapped and non-canonical: the fault is fixed up, not fatal. */
	KTEST_EXPECT_EQ(t, probe_read_u64((const uint64_t *)
					  0xffffa00000000000UL, &out),
			-EFAULT);
	KTEST_EXPECT_EQ(t, probe_read_u64((const uint64_t *)
					  0x8000000000000000UL, &out),
			-EFAULT);
	KTEST_EXPECT_EQ(t, out, 7);
}

static void test_stack_guard_hit(struct ktest *t)
{
	uint64_t guard = (uintptr_t)boot_stack_guard;

	KTEST_EXPECT_TRUE(t, stack_guard_hit(guard));
	KTEST_EXPECT_TRUE(t, stack_guard_hit(guard + PAGE_SIZE - 8));
	KTEST_EXPECT_TRUE(t, stack_guard_hit(guard + PAGE_SIZE));
	KTEST_EXPECT_FALSE(t, stack_guard_hit(guard + PAGE_SIZE + 8));
	KTEST_EXPECT_FALSE(t, stack_guard_hit(guard - 8));
	KTEST_EXPECT_FALSE(t, stack_guard_hit((uintptr_t)
					      __builtin_frame_address(0)));
}

static struct ktest_case traps_cases[] = {
	KTEST_CASE(test_kmain_symbol),
	KTEST_CASE(test_inside_function),
	KTEST_CASE(test_outside_text),
	KTEST_CASE(test_int3_returns),
	KTEST_CASE(test_idt_exceptions),
	KTEST_CASE(test_gdt_tss),
	KTEST_CASE(test_register_handler),
	KTEST_CASE(test_probe_read),
	KTEST_CASE(test_stack_guard_hit),
	{},
};
KTEST_SUITE(traps, traps_cases);
