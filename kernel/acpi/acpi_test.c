/*
 * kernel/acpi/acpi_test.c - KTAP suite "acpi": the tables acpi_init()
 * found on this machine are there and sound, and soft-off has what it
 * needs.  Run with ktest=acpi.  Under QEMU (q35 or pc) every case must
 * pass; on a machine without ACPI they fail, which is the point.
 */
#include <kernel/ktest.h>
#include "internal.h"

static void expect_valid_table(struct ktest *t, const char *sig)
{
	const struct acpi_table_header *h = acpi_find_table(sig);
	const char *why = NULL;

	KTEST_EXPECT_TRUE(t, h != NULL);
	if (!h)
		return;
	KTEST_EXPECT_TRUE(t, !memcmp(h->signature, sig, 4));
	KTEST_EXPECT_EQ(t, acpi_table_validate(h, h->length, sig, &why), 0);
	KTEST_EXPECT_EQ(t, acpi_checksum(h, h->length), 0);
}

static void test_rsdp_valid(struct ktest *t)
{
	const char *why;
	size_t len = acpi_state.rsdp.revision >= 2 ? ACPI_RSDP_V2_LEN
						   : ACPI_RSDP_V1_LEN;

	KTEST_EXPECT_TRUE(t, acpi_state.have_rsdp);
	KTEST_EXPECT_EQ(t, acpi_rsdp_validate(&acpi_state.rsdp, len, &why), 0);
	KTEST_EXPECT_TRUE(t, acpi_state.root.table != NULL);
	KTEST_EXPECT_EQ(t, acpi_state.rejected, 0);
}

static void test_facp_found_and_valid(struct ktest *t)
{
	expect_valid_table(t, "FACP");
}

static void test_apic_found_and_valid(struct ktest *t)
{
	expect_valid_table(t, "APIC");
}

static void test_find_unknown_table_is_null(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, acpi_find_table("ZZZZ") == NULL);
}

static void test_dsdt_has_s5(struct ktest *t)
{
	const struct acpi_table_header *dsdt = acpi_find_table("DSDT");
	const char *why = NULL;
	uint8_t a = 0xff, b = 0xff;

	expect_valid_table(t, "DSDT");
	if (!dsdt)
		return;
	KTEST_EXPECT_EQ(t, acpi_aml_find_s5((const uint8_t *)(dsdt + 1),
					    dsdt->length - sizeof(*dsdt), &a,
					    &b, &why), 0);
	KTEST_EXPECT_TRUE(t, a <= 7 && b <= 7);
	/* What init kept for power-off is what the DSDT says. */
	KTEST_EXPECT_TRUE(t, acpi_state.have_s5);
	KTEST_EXPECT_EQ(t, acpi_state.slp_typa, a);
	KTEST_EXPECT_EQ(t, acpi_state.slp_typb, b);
}

static void test_pm1a_control_port(struct ktest *t)
{
	const struct acpi_table_header *facp = acpi_find_table("FACP");
	struct acpi_fadt_info info;
	uint64_t dsdt_phys = 0;
	const char *why;

	KTEST_EXPECT_TRUE(t, acpi_state.have_fadt);
	KTEST_EXPECT_NE(t, acpi_state.fadt.pm1a_cnt, 0);
	if (!facp)
		return;
	/* Parsing again gives the same answer as at boot. */
	KTEST_EXPECT_EQ(t, acpi_fadt_parse(facp, &info, &why), 0);
	KTEST_EXPECT_EQ(t, info.pm1a_cnt, acpi_state.fadt.pm1a_cnt);
	/* The DSDT kept is the one the FADT points to. */
	for (int i = 0; i < acpi_state.table_count; i++)
		if (!memcmp(acpi_state.tables[i].hdr->signature, "DSDT", 4))
			dsdt_phys = acpi_state.tables[i].phys;
	KTEST_EXPECT_NE(t, info.dsdt, 0);
	KTEST_EXPECT_EQ(t, dsdt_phys, info.dsdt);
}

static struct ktest_case acpi_cases[] = {
	KTEST_CASE(test_rsdp_valid),
	KTEST_CASE(test_facp_found_and_valid),
	KTEST_CASE(test_apic_found_and_valid),
	KTEST_CASE(test_find_unknown_table_is_null),
	KTEST_CASE(test_dsdt_has_s5),
	KTEST_CASE(test_pm1a_control_port),
	{}
};
KTEST_SUITE(acpi, acpi_cases);
