/*
 * tests/fuzz/fuzz_madt.c - libFuzzer target for the MADT parser
 * (kernel/acpi/madt.c), reached as the kernel reaches it: the input is
 * one table, loaded and checked by acpi_table_load() (tables.c; the
 * checksum and length made good as fuzz_acpi.h says), then
 * madt_parse(t, t->length) as acpi_madt() (kernel/acpi/cpus.c) calls it,
 * then madt_usable_cpus() as acpi_select_cpus() does, with the limits
 * maxcpus= can give.
 *
 * Also madt_parse() straight over the raw input, unchecked, with the
 * input's size as the length it may read: the parser checks the
 * header's length against it itself, and tools/acpicheck calls it so.
 *
 * Checked: what madt.h promises.  The counts stay within the arrays,
 * an error offset lies inside the table, no APIC ID is kept twice (nor
 * 0xff from a type 0 entry, nor 0xffffffff), and the usable list starts
 * with the boot CPU, holds no ID twice and no more than its limit.
 */
#include <kernel/acpi.h>
#include <kernel/madt.h>

#include "fuzz.h"
#include "fuzz_acpi.h"

static struct madt_info madt;
static uint32_t ids[MADT_MAX_CPUS];

static void check_madt(const struct madt_info *m, int ret, size_t len,
		       const char *why)
{
	fuzz_check(m->nr_cpus <= MADT_MAX_CPUS);
	fuzz_check(m->nr_enabled <= m->nr_cpus);
	fuzz_check(m->nr_ioapics <= MADT_MAX_IOAPICS);
	fuzz_check(m->nr_overrides <= MADT_MAX_OVERRIDES);
	fuzz_check(m->nr_nmis <= MADT_MAX_NMIS);
	if (ret) {
		fuzz_check(why != NULL);
		if (m->error)
			fuzz_check(m->error_offset >= MADT_HEADER_LEN &&
				   m->error_offset < len);
	} else {
		fuzz_check(!m->error);
	}
	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		const struct madt_cpu *c = &m->cpus[i];

		fuzz_check(c->apic_id != 0xffffffffU);
		fuzz_check(c->x2apic_entry || c->apic_id < 0xff);
		fuzz_check(madt_find_cpu(m, c->apic_id) == (int)i);
	}
}

static void check_usable(const struct madt_info *m, uint32_t boot,
			 unsigned int limit)
{
	unsigned int n = madt_usable_cpus(m, boot, limit, ids, MADT_MAX_CPUS);

	fuzz_check(n <= limit && n <= MADT_MAX_CPUS);
	fuzz_check(limit == 0 || (n >= 1 && ids[0] == boot));
	/* Each ID once: the boot CPU first, the rest unique in the MADT. */
	for (unsigned int i = 1; i < n; i++) {
		fuzz_check(ids[i] != boot);
		fuzz_check(madt_find_cpu(m, ids[i]) >= 0);
		fuzz_check(m->cpus[madt_find_cpu(m, ids[i])].enabled);
	}
}

static void madt_table(const struct acpi_table_header *t)
{
	const char *why = NULL;
	int ret = madt_parse(t, t->length, &madt, &why);
	uint32_t boot = madt.nr_cpus ? madt.cpus[0].apic_id : 0;

	check_madt(&madt, ret, t->length, why);
	/* acpi_madt() keeps a table whose walk stopped on a broken entry. */
	if (ret && !madt.error)
		return;
	/* The boot CPU as firmware lists it, and one the MADT lacks. */
	check_usable(&madt, boot, MADT_MAX_CPUS);
	check_usable(&madt, boot, 1);
	check_usable(&madt, boot, 3);
	check_usable(&madt, 0xfe, 8);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *raw = fuzz_copy(data, size);
	const char *why = NULL;
	int ret;

	if (!raw)
		return 0;
	ret = madt_parse(raw, size, &madt, &why);
	check_madt(&madt, ret, size, why);
	free(raw);
	fuzz_acpi_tables(data, size, "APIC", madt_table);
	return 0;
}
