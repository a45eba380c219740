/*
 * kernel/acpi/madt_test.c - KTAP suite "madt": the firmware's MADT as
 * parsed on this machine.  The harness boots QEMU with --smp 2 (and one
 * boot with --smp 4); ktest_cpus=N on the command line tells the suite how
 * many CPUs to expect; without it the suite only checks there is at
 * least one.
 */
#include <kernel/apic.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/madt.h>

static void test_cpu_count_matches_machine(struct ktest *t)
{
	const struct madt_info *m = acpi_madt();
	unsigned long want = ktest_cpus;

	KTEST_EXPECT_TRUE(t, m != NULL);
	if (!m)
		return;
	KTEST_EXPECT_TRUE(t, m->nr_cpus >= 1);
	if (want)
		KTEST_EXPECT_EQ(t, m->nr_enabled, want);
	KTEST_EXPECT_TRUE(t, m->error == NULL);
}

static void test_lapic_address(struct ktest *t)
{
	const struct madt_info *m = acpi_madt();

	KTEST_EXPECT_TRUE(t, m != NULL);
	if (m)
		KTEST_EXPECT_EQ(t, m->lapic_address, 0xfee00000ULL);
}

static void test_boot_cpu_listed_first_in_usable(struct ktest *t)
{
	const struct madt_info *m = acpi_madt();
	unsigned int n;
	const uint32_t *ids = acpi_usable_cpus(&n);

	KTEST_EXPECT_TRUE(t, m != NULL);
	if (!m)
		return;
	KTEST_EXPECT_TRUE(t, madt_find_cpu(m, apic_id()) >= 0);
	KTEST_EXPECT_TRUE(t, n >= 1);
	if (n)
		KTEST_EXPECT_EQ(t, ids[0], apic_id());
	KTEST_EXPECT_TRUE(t, n <= m->nr_enabled);
}

static struct ktest_case madt_cases[] = {
	KTEST_CASE(test_cpu_count_matches_machine),
	KTEST_CASE(test_lapic_address),
	KTEST_CASE(test_boot_cpu_listed_first_in_usable),
	{}
};
KTEST_SUITE(madt, madt_cases);
