/*
 * kernel/apic/apic_test.c - KTAP suite "apic": the mode we run in is the
 * one IA32_APIC_BASE says, the APIC ID register agrees with CPUID, and an
 * IPI really interrupts: a fixed IPI to ourselves (by shorthand and by
 * our own APIC ID) reaches a registered handler.
 */
#include <kernel/apic.h>
#include <kernel/io.h>
#include <kernel/ktest.h>
#include <kernel/time.h>
#include <kernel/traps.h>

#define APIC_TEST_VECTOR	0xf1

static volatile unsigned long test_ipi_count;

static void test_ipi_handler(struct pt_regs *regs)
{
	(void)regs;
	test_ipi_count++;
	apic_eoi();
}

static void test_mode_matches_msr(struct ktest *t)
{
	uint64_t base = rdmsr(MSR_IA32_APICBASE);

	KTEST_EXPECT_TRUE(t, base & APIC_BASE_ENABLE);
	KTEST_EXPECT_EQ(t, !!(base & APIC_BASE_EXTD),
			apic_mode() == APIC_MODE_X2APIC);
	KTEST_EXPECT_TRUE(t, apic_read(APIC_SPIV) & APIC_SPIV_APIC_ENABLED);
}

static void test_id_matches_cpuid(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, apic_id(), cpuid_initial_apic_id());
}

/* Wait, interrupts on, for the count to reach 'want' (bounded). */
static bool wait_for_count(unsigned long want)
{
	for (int i = 0; i < 100000 && test_ipi_count < want; i++)
		udelay(1);
	return test_ipi_count >= want;
}

static void test_self_ipi_delivered(struct ktest *t)
{
	unsigned long flags;

	KTEST_EXPECT_EQ(t, register_interrupt_handler(APIC_TEST_VECTOR,
						      test_ipi_handler), 0);
	test_ipi_count = 0;
	flags = local_irq_save();
	KTEST_EXPECT_EQ(t, apic_send_ipi_self(APIC_TEST_VECTOR), 0);
	/* With interrupts off, nothing may run yet. */
	KTEST_EXPECT_EQ(t, test_ipi_count, 0);
	local_irq_enable();
	KTEST_EXPECT_TRUE(t, wait_for_count(1));
	KTEST_EXPECT_EQ(t, apic_send_ipi(apic_id(), APIC_TEST_VECTOR), 0);
	KTEST_EXPECT_TRUE(t, wait_for_count(2));
	local_irq_restore(flags);
	KTEST_EXPECT_EQ(t, test_ipi_count, 2);
	KTEST_EXPECT_EQ(t, unregister_interrupt_handler(APIC_TEST_VECTOR,
							test_ipi_handler), 0);
	KTEST_EXPECT_EQ(t, apic_error_count(), 0);
}

static struct ktest_case apic_cases[] = {
	KTEST_CASE(test_mode_matches_msr),
	KTEST_CASE(test_id_matches_cpuid),
	KTEST_CASE(test_self_ipi_delivered),
	{}
};
KTEST_SUITE(apic, apic_cases);
