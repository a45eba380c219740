/*
 * tests/fuzz/fuzz_fadt.c - libFuzzer target for the FADT parser
 * (acpi_fadt_parse(), kernel/acpi/tables.c), reached as the kernel
 * reaches it: walk_root() loads every table with acpi_table_load() and
 * no expected signature, and load_fadt() parses the first FACP.  The
 * input is that one table (checksum and length made good as
 * fuzz_acpi.h says).  The parser is also given tables of other
 * signatures: it must refuse them itself.
 *
 * Checked: a table it accepts is a FACP of at least the ACPI 1.0
 * length, and has a PM1a control block unless it is hardware-reduced
 * (what soft-off needs, and what the parser promises); the DSDT address
 * it gives is the X_DSDT when the table is long enough to hold one.
 */
#include <kernel/acpi.h>

#include "fuzz.h"
#include "fuzz_acpi.h"

static void fadt_table(const struct acpi_table_header *t)
{
	struct acpi_fadt_info info;
	const char *why = NULL;

	if (acpi_fadt_parse(t, &info, &why)) {
		fuzz_check(why != NULL);
		return;
	}
	fuzz_check(!memcmp(t->signature, "FACP", 4));
	fuzz_check(t->length >= 116);
	fuzz_check(info.hw_reduced || info.pm1a_cnt);
	fuzz_check(info.has_iapc_boot_arch == (t->revision >= 3));
	fuzz_check(!info.has_reset_reg || info.reset_reg.address);
	fuzz_check(!info.has_sleep_control || info.sleep_control.address);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fuzz_acpi_tables(data, size, NULL, fadt_table);
	return 0;
}
