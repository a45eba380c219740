/*
 * tests/fuzz/fuzz_acpi.h - a fuzzer input as an ACPI table, for the
 * targets over kernel/acpi/ (fuzz_madt.c, fuzz_fadt.c, fuzz_s5.c).
 *
 * The input is one table: the 36-byte header (ACPI 6.5, 5.2.6) and its
 * body.  The kernel believes no field of a table before
 * acpi_table_load() has checked its signature, length and checksum, so
 * a target reaches the parsers only through it, as the kernel does
 * (kernel/acpi/acpi.c, walk_root(): the table "mapped" at a physical
 * address, header first, then its whole length).
 *
 * Two things a mutation almost never gets right would stop nearly every
 * input at that check, so the harness makes them good, and says so:
 *
 *   - the checksum (byte 9): recomputed over the header's length, when
 *     that length lies within the input;
 *   - the length (bytes 4-7): a mutation that inserts or removes a byte
 *     leaves it wrong.  So each input is tried twice: as it is (the
 *     length the fuzzer wrote, which may be shorter or longer than the
 *     input, and which acpi_table_load() and the parsers must then
 *     handle) and, when that length is not the input's size, once more
 *     with the length set to the size.
 *
 * The map function hands out bytes of the exact-size copy only, so a
 * table reaching past the input is refused the way memremap() would
 * fail.  A table it accepts is copied once more into a buffer of exactly
 * its length before a parser sees it: a parser reading past the table's
 * own length (into what follows it in memory) reads past a malloc'd
 * buffer, an ASan report.
 */
#ifndef FUZZ_ACPI_H
#define FUZZ_ACPI_H

#include <kernel/acpi.h>

#include "fuzz.h"

/* Where the table "lies"; not 0, which acpi_table_load() refuses. */
#define FUZZ_ACPI_PHYS	0x7ffe0000ULL

struct fuzz_acpi_mem {
	const uint8_t *buf;
	size_t size;
};

static const void *fuzz_acpi_map(uint64_t phys, size_t len, void *ctx)
{
	const struct fuzz_acpi_mem *mem = ctx;

	if (phys < FUZZ_ACPI_PHYS || phys - FUZZ_ACPI_PHYS > mem->size ||
	    len > mem->size - (phys - FUZZ_ACPI_PHYS))
		return NULL;
	return mem->buf + (phys - FUZZ_ACPI_PHYS);
}

static uint32_t fuzz_acpi_length(const uint8_t *t)
{
	return (uint32_t)t[4] | (uint32_t)t[5] << 8 | (uint32_t)t[6] << 16 |
	       (uint32_t)t[7] << 24;
}

/* Make the checksum good over the length the header gives, if it can. */
static void fuzz_acpi_fix_checksum(uint8_t *t, size_t size)
{
	uint32_t len = fuzz_acpi_length(t);

	if (len < sizeof(struct acpi_table_header) || len > size)
		return;
	t[9] = 0;
	t[9] = acpi_checksum(t, len);
}

/*
 * Run fn on each table acpi_table_load() accepts among the variants of
 * data[0..size) above (a copy of exactly t->length bytes); sig as the
 * kernel asks (NULL: any signature).
 */
static void fuzz_acpi_tables(const uint8_t *data, size_t size, const char *sig,
			     void (*fn)(const struct acpi_table_header *t))
{
	struct acpi_table_header *table;
	struct fuzz_acpi_mem mem = { .size = size };
	const struct acpi_table_header *t;
	const char *why;
	uint8_t *buf;

	if (size < sizeof(struct acpi_table_header))
		return;
	buf = fuzz_copy(data, size);
	if (!buf)
		return;
	mem.buf = buf;
	for (int pass = 0; pass < 2; pass++) {
		if (pass == 1) {
			if (fuzz_acpi_length(buf) == size ||
			    size > ACPI_TABLE_MAX_LEN)
				break;
			buf[4] = (uint8_t)size;
			buf[5] = (uint8_t)(size >> 8);
			buf[6] = (uint8_t)(size >> 16);
			buf[7] = (uint8_t)(size >> 24);
		}
		fuzz_acpi_fix_checksum(buf, size);
		why = NULL;
		t = acpi_table_load(fuzz_acpi_map, &mem, FUZZ_ACPI_PHYS, sig,
				    &why);
		if (!t) {
			fuzz_check(why != NULL);
			continue;
		}
		/* What acpi_table_load() promises about what it returns. */
		fuzz_check(t->length >= sizeof(*t) && t->length <= size);
		fuzz_check(!acpi_checksum(t, t->length));
		fuzz_check(!sig || !memcmp(t->signature, sig, 4));
		table = (struct acpi_table_header *)fuzz_copy((const uint8_t *)t,
							      t->length);
		if (!table)
			break;
		fn(table);
		free(table);
	}
	free(buf);
}

#endif
