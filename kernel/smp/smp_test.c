/*
 * kernel/smp/smp_test.c - KTAP suite "smp": did every CPU come up right?
 *
 * The harness boots with ktest_cpus=N (the CPUs it gave QEMU); every one
 * must be online, with its own APIC ID, its own per-CPU unit, its own
 * stack with an unmapped guard page below, and the checks it made on
 * itself on the way up (ap_selfcheck) all passed.
 */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/madt.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>

static void test_all_cpus_online(struct ktest *t)
{
	unsigned long want = ktest_cpus;
	unsigned int usable, dead = 0;

	acpi_usable_cpus(&usable);
	/* smp_dead_cpu=N plays a CPU that never answers: one fewer. */
	if (smp_dead_cpu < usable)
		dead = 1;
	KTEST_EXPECT_EQ(t, num_online_cpus(), usable - dead);
	if (want && !boot_param_given(&maxcpus) && !nosmp)
		KTEST_EXPECT_EQ(t, num_online_cpus(), want - dead);
	KTEST_EXPECT_TRUE(t, cpu_online(0));
	KTEST_EXPECT_EQ(t, smp_processor_id(), 0);
}

static void test_apic_ids_match_madt(struct ktest *t)
{
	unsigned int usable, cpu;
	const uint32_t *ids = acpi_usable_cpus(&usable);

	for_each_online_cpu(cpu) {
		KTEST_EXPECT_TRUE(t, cpu < usable);
		if (cpu < usable)
			KTEST_EXPECT_EQ(t, per_cpu(cpu_apic_id, cpu), ids[cpu]);
	}
}

static void test_ap_selfchecks(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		if (cpu == 0)
			continue;
		KTEST_EXPECT_EQ(t, per_cpu(ap_selfcheck, cpu), AP_CHECK_ALL);
		KTEST_EXPECT_EQ(t, per_cpu(cpu_number, cpu), cpu);
	}
}

static bool mapped(unsigned long addr)
{
	unsigned int level;
	uint64_t *entry = lookup_address(addr, &level);

	return entry && (*entry & _PAGE_PRESENT);
}

static void test_stacks_have_guards(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		unsigned long lo = per_cpu(cpu_stack_lo, cpu);
		unsigned long hi = per_cpu(cpu_stack_hi, cpu);

		KTEST_EXPECT_TRUE(t, lo && hi > lo);
		/* The page below every stack is unmapped; the stack is not. */
		KTEST_EXPECT_FALSE(t, mapped(lo - PAGE_SIZE));
		KTEST_EXPECT_TRUE(t, mapped(lo));
		KTEST_EXPECT_TRUE(t, mapped(hi - 8));
	}
}

static void test_units_distinct(struct ktest *t)
{
	unsigned int a, b;

	for_each_online_cpu(a)
		for_each_online_cpu(b)
			if (a < b)
				KTEST_EXPECT_NE(t, __per_cpu_offset[a],
						__per_cpu_offset[b]);
}

static struct ktest_case smp_cases[] = {
	KTEST_CASE(test_all_cpus_online),
	KTEST_CASE(test_apic_ids_match_madt),
	KTEST_CASE(test_ap_selfchecks),
	KTEST_CASE(test_stacks_have_guards),
	KTEST_CASE(test_units_distinct),
	{},
};
KTEST_SUITE(smp, smp_cases);
