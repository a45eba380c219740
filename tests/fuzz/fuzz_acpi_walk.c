/*
 * tests/fuzz/fuzz_acpi_walk.c - libFuzzer target for the whole walk of
 * the ACPI tables, the parts of kernel/acpi/tables.c the single-table
 * targets do not reach: the RSDP scan and checks, the RSDT or XSDT, and
 * every address in it, as acpi_init() follows them.
 *
 * The input is physical memory from address 0: the BIOS area the RSDP
 * is searched in, and the tables wherever the pointers in it lead (an
 * address past the input cannot be mapped, as memremap() of a hole would
 * fail).  The walk is acpi_init()'s, with the printing left out (the glue
 * in kernel/acpi/acpi.c is not pure; its order is kept here):
 *
 *   acpi_rsdp_scan() over the input (bios_find_rsdp()), the RSDP copied
 *   out as find_rsdp() does; acpi_root_load(); for each entry,
 *   acpi_root_entry() and acpi_table_load() (walk_root()); the first
 *   FACP through acpi_fadt_parse(), then its DSDT (load_fadt(),
 *   load_dsdt()); the kept DSDT, else SSDTs, through acpi_aml_find_s5()
 *   (find_s5()); the first APIC through madt_parse() (acpi_madt()).
 *
 * Checksums: the harness makes good the RSDP's two at every 16-byte
 * boundary holding "RSD PTR ", and a table's when the map function is
 * asked for a table's whole length (acpi_table_load()'s second map):
 * the fuzzer could not find them, and they guard nothing the other
 * checks do not.  Overlapping tables can break each other's, as in a
 * firmware that lies.
 *
 * Checked: every table the walk keeps lies inside the input, has the
 * signature asked for and sums to 0, and the root's entry count fits
 * its length.
 */
#include <kernel/acpi.h>
#include <kernel/errno.h>
#include <kernel/madt.h>

#include "fuzz.h"

#define MAX_TABLES	64	/* ACPI_MAX_TABLES (kernel/acpi/internal.h) */

struct memory {
	uint8_t *buf;
	size_t size;
};

static struct madt_info madt;

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static const void *map(uint64_t phys, size_t len, void *ctx)
{
	struct memory *mem = ctx;
	uint8_t *t;

	if (phys > mem->size || len > mem->size - phys)
		return NULL;
	t = mem->buf + phys;
	if (len >= sizeof(struct acpi_table_header) && get32(t + 4) == len) {
		t[9] = 0;
		t[9] = acpi_checksum(t, len);
	}
	return t;
}

static void fix_rsdps(uint8_t *buf, size_t size)
{
	for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= size; off += 16) {
		uint8_t *r = buf + off;
		uint32_t len;

		if (memcmp(r, "RSD PTR ", 8))
			continue;
		r[8] = 0;
		r[8] = acpi_checksum(r, ACPI_RSDP_V1_LEN);
		if (r[15] < 2 || size - off < ACPI_RSDP_V2_LEN)
			continue;
		len = get32(r + 20);
		if (len >= ACPI_RSDP_V2_LEN && len <= size - off) {
			r[32] = 0;
			r[32] = acpi_checksum(r, len);
		}
	}
}

static void check_table(const struct memory *mem,
			const struct acpi_table_header *t, const char *sig)
{
	const uint8_t *p = (const uint8_t *)t;

	fuzz_check(p >= mem->buf && t->length >= sizeof(*t) &&
		   t->length <= mem->size - (size_t)(p - mem->buf));
	fuzz_check(!acpi_checksum(t, t->length));
	fuzz_check(!sig || !memcmp(t->signature, sig, 4));
}

static void walk(struct memory *mem, const struct acpi_rsdp *rsdp)
{
	const struct acpi_table_header *tables[MAX_TABLES];
	const struct acpi_table_header *t, *dsdt;
	const char *xsdt_why = NULL, *why = NULL;
	struct acpi_root root;
	struct acpi_fadt_info fadt;
	bool have_fadt = false, have_madt = false;
	uint8_t a, b;
	int kept = 0, err = -ENOENT;

	if (acpi_root_load(rsdp, map, mem, &root, &xsdt_why, &why)) {
		fuzz_check(why != NULL);
		return;
	}
	check_table(mem, root.table, root.is_xsdt ? "XSDT" : "RSDT");
	fuzz_check(root.entries * (root.is_xsdt ? 8 : 4) ==
		   root.table->length - sizeof(*root.table));
	fuzz_check(acpi_root_entry(&root, root.entries) == 0);
	for (size_t i = 0; i < root.entries; i++) {
		uint64_t phys = acpi_root_entry(&root, i);

		t = acpi_table_load(map, mem, phys, NULL, &why);
		if (!t)
			continue;
		check_table(mem, t, NULL);
		if (kept < MAX_TABLES)
			tables[kept++] = t;
		if (!memcmp(t->signature, "FACP", 4) && !have_fadt &&
		    !acpi_fadt_parse(t, &fadt, &why)) {
			have_fadt = true;
			dsdt = acpi_table_load(map, mem, fadt.dsdt, "DSDT", &why);
			if (dsdt) {
				check_table(mem, dsdt, "DSDT");
				if (kept < MAX_TABLES)
					tables[kept++] = dsdt;
			}
		}
		if (!memcmp(t->signature, "APIC", 4) && !have_madt) {
			have_madt = true;
			madt_parse(t, t->length, &madt, &why);
		}
	}
	/* find_s5(): the DSDTs first, then the SSDTs. */
	for (int pass = 0; pass < 2; pass++)
		for (int i = 0; i < kept && err; i++) {
			t = tables[i];
			if (memcmp(t->signature, pass ? "SSDT" : "DSDT", 4))
				continue;
			err = acpi_aml_find_s5((const uint8_t *)(t + 1),
					       t->length - sizeof(*t), &a, &b,
					       &why);
			fuzz_check(err || (a <= 7 && b <= 7));
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct memory mem = { .size = size };
	struct acpi_rsdp rsdp;
	const char *why;
	long off;

	mem.buf = fuzz_copy(data, size);
	if (!mem.buf)
		return 0;
	fix_rsdps(mem.buf, size);
	off = acpi_rsdp_scan(mem.buf, size);
	if (off >= 0) {
		const struct acpi_rsdp *r = (const void *)(mem.buf + off);
		size_t len = r->revision >= 2 ? ACPI_RSDP_V2_LEN : ACPI_RSDP_V1_LEN;

		fuzz_check(off % 16 == 0 && (size_t)off + len <= size);
		fuzz_check(!acpi_rsdp_validate(r, size - (size_t)off, &why));
		memset(&rsdp, 0, sizeof(rsdp));
		memcpy(&rsdp, r, len);
		walk(&mem, &rsdp);
	}
	free(mem.buf);
	return 0;
}
