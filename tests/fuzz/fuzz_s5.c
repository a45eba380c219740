/*
 * tests/fuzz/fuzz_s5.c - libFuzzer target for the \_S5 scan over AML
 * (acpi_aml_find_s5(), kernel/acpi/s5.c), reached as the kernel reaches
 * it: find_s5() (kernel/acpi/acpi.c) scans the body of each DSDT, then
 * of each SSDT, that acpi_table_load() accepted.  The input is one such
 * table (checksum and length made good as fuzz_acpi.h says); the scan is
 * given its bytes after the header, in a buffer of exactly their length.
 *
 * Checked: 0 comes with two 3-bit values, anything else is -ENOENT or
 * -EINVAL with a reason.
 */
#include <kernel/acpi.h>
#include <kernel/errno.h>

#include "fuzz.h"
#include "fuzz_acpi.h"

static void s5_table(const struct acpi_table_header *t)
{
	size_t len = t->length - sizeof(*t);
	uint8_t *aml = fuzz_copy((const uint8_t *)(t + 1), len);
	uint8_t a = 0xff, b = 0xff;
	const char *why = NULL;
	int ret;

	if (!aml)
		return;
	ret = acpi_aml_find_s5(aml, len, &a, &b, &why);
	if (ret == 0) {
		fuzz_check(a <= 7 && b <= 7);
	} else {
		fuzz_check(ret == -ENOENT || ret == -EINVAL);
		fuzz_check(why != NULL);
	}
	free(aml);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* find_s5() takes only these two; the harness asks for neither, so
	 * that an SSDT seed and a DSDT seed both get through. */
	if (size >= 4 && memcmp(data, "DSDT", 4) && memcmp(data, "SSDT", 4))
		return 0;
	fuzz_acpi_tables(data, size, NULL, s5_table);
	return 0;
}
