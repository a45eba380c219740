/*
 * tests/host/test_madt.c - host unit tests for the MADT parser
 * (kernel/acpi/madt.c), with cmocka under ASan and UBSan.
 *
 * Each table is assembled entry by entry in a builder, then copied into a
 * heap block of exactly its length, so a read one byte past the end is an
 * ASan error rather than a silent pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/acpi/madt.c"

struct builder {
	uint8_t buf[8192];
	size_t len;
};

static void put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static void begin(struct builder *b, uint8_t revision, uint32_t lapic)
{
	memset(b, 0, sizeof(*b));
	memcpy(b->buf, "APIC", 4);
	b->buf[8] = revision;
	put32(b->buf + 36, lapic);
	put32(b->buf + 40, MADT_PCAT_COMPAT);
	b->len = MADT_HEADER_LEN;
}

static uint8_t *entry(struct builder *b, uint8_t type, uint8_t len)
{
	uint8_t *e = b->buf + b->len;

	e[0] = type;
	e[1] = len;
	b->len += len;
	return e;
}

static void lapic(struct builder *b, uint8_t uid, uint8_t id, uint32_t flags)
{
	uint8_t *e = entry(b, MADT_TYPE_LOCAL_APIC, 8);

	e[2] = uid;
	e[3] = id;
	put32(e + 4, flags);
}

static void x2apic(struct builder *b, uint32_t id, uint32_t flags, uint32_t uid)
{
	uint8_t *e = entry(b, MADT_TYPE_LOCAL_X2APIC, 16);

	put32(e + 4, id);
	put32(e + 8, flags);
	put32(e + 12, uid);
}

/* Seal the length field and parse a copy of exactly that many bytes
 * (or 'avail' bytes when non-zero, to test a length field that lies). */
static int parse(struct builder *b, size_t avail, struct madt_info *m,
		 const char **why)
{
	size_t n = avail ? avail : b->len;
	uint8_t *copy = malloc(n);
	int ret;

	put32(b->buf + 4, (uint32_t)b->len);
	memcpy(copy, b->buf, n);
	ret = madt_parse(copy, n, m, why);
	free(copy);
	return ret;
}

static struct madt_info info;

static void test_qemu_like_table(void **state)
{
	struct builder b;
	const char *why = NULL;
	uint8_t *e;

	(void)state;
	begin(&b, 3, 0xfee00000);
	for (int i = 0; i < 4; i++)
		lapic(&b, (uint8_t)i, (uint8_t)i, MADT_CPU_ENABLED);
	e = entry(&b, MADT_TYPE_IO_APIC, 12);
	e[2] = 0;
	put32(e + 4, 0xfec00000);
	put32(e + 8, 0);
	for (int i = 0; i < 5; i++) {
		e = entry(&b, MADT_TYPE_INT_OVERRIDE, 10);
		e[3] = (uint8_t)(i == 0 ? 0 : i + 4);
		put32(e + 4, i == 0 ? 2 : (uint32_t)i + 4);
		put16(e + 8, 0xd);
	}
	e = entry(&b, MADT_TYPE_LOCAL_APIC_NMI, 6);
	e[2] = 0xff;
	put16(e + 3, 0);
	e[5] = 1;

	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_null(info.error);
	assert_int_equal(info.lapic_address, 0xfee00000);
	assert_false(info.lapic_overridden);
	assert_int_equal(info.flags, MADT_PCAT_COMPAT);
	assert_int_equal(info.nr_cpus, 4);
	assert_int_equal(info.nr_enabled, 4);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(info.cpus[i].apic_id, i);
		assert_true(info.cpus[i].enabled);
		assert_false(info.cpus[i].x2apic_entry);
	}
	assert_int_equal(info.nr_ioapics, 1);
	assert_int_equal(info.ioapics[0].address, 0xfec00000);
	assert_int_equal(info.nr_overrides, 5);
	assert_int_equal(info.overrides[0].source, 0);
	assert_int_equal(info.overrides[0].gsi, 2);
	assert_int_equal(info.overrides[1].flags, 0xd);
	assert_int_equal(info.nr_nmis, 1);
	assert_int_equal(info.nmis[0].acpi_uid, MADT_NMI_ALL_CPUS);
	assert_int_equal(info.nmis[0].lint, 1);
}

static void test_x2apic_sparse_large_ids(void **state)
{
	static const uint32_t ids[] = { 0, 0x100, 0x12345, 0xfffffffe };
	struct builder b;
	const char *why = NULL;
	uint8_t *e;

	(void)state;
	begin(&b, 4, 0xfee00000);
	for (unsigned int i = 0; i < 4; i++)
		x2apic(&b, ids[i], MADT_CPU_ENABLED, 100 + i);
	x2apic(&b, 0xffffffff, MADT_CPU_ENABLED, 9);	/* invalid */
	e = entry(&b, MADT_TYPE_LOCAL_X2APIC_NMI, 12);
	put16(e + 2, 5);
	put32(e + 4, 101);
	e[8] = 1;

	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 4);
	assert_int_equal(info.cpus_invalid, 1);
	for (unsigned int i = 0; i < 4; i++) {
		assert_int_equal(info.cpus[i].apic_id, ids[i]);
		assert_int_equal(info.cpus[i].acpi_uid, 100 + i);
		assert_true(info.cpus[i].x2apic_entry);
	}
	assert_int_equal(madt_find_cpu(&info, 0xfffffffe), 3);
	assert_int_equal(madt_find_cpu(&info, 7), -1);
	assert_int_equal(info.nr_nmis, 1);
	assert_int_equal(info.nmis[0].acpi_uid, 101);
	assert_int_equal(info.nmis[0].flags, 5);
	assert_int_equal(info.nmis[0].lint, 1);
}

/* Linux's 2024 rule: with usable type 0 entries, type 9 entries below
 * 255 are the same CPUs again; 255 and up are CPUs of their own.  Without
 * usable type 0 entries (only an invalid or disabled one), type 9 counts. */
static void test_x2apic_below_255_with_lapics(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 4, 0xfee00000);
	x2apic(&b, 1, MADT_CPU_ENABLED, 11);	/* before the LAPICs, too */
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	lapic(&b, 1, 1, MADT_CPU_ENABLED);
	x2apic(&b, 0, MADT_CPU_ENABLED, 10);
	x2apic(&b, 300, MADT_CPU_ENABLED, 12);
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 3);
	assert_int_equal(info.x2apic_ignored, 2);
	assert_int_equal(info.cpus_duplicate, 0);
	assert_int_equal(info.cpus[2].apic_id, 300);
	assert_true(info.cpus[2].x2apic_entry);

	begin(&b, 4, 0xfee00000);
	lapic(&b, 0, 0xff, MADT_CPU_ENABLED);	/* invalid */
	lapic(&b, 1, 3, 0);			/* disabled */
	x2apic(&b, 0, MADT_CPU_ENABLED, 10);
	x2apic(&b, 1, MADT_CPU_ENABLED, 11);
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.x2apic_ignored, 0);
	assert_true(info.cpus[0].x2apic_entry);
}

static void test_flags_disabled_and_online_capable(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	/* Revision 5: the Online-Capable bit means something. */
	begin(&b, 5, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	lapic(&b, 1, 1, 0);				/* not usable */
	lapic(&b, 2, 2, MADT_CPU_ONLINE_CAPABLE);	/* possible later */
	x2apic(&b, 0x300, MADT_CPU_ONLINE_CAPABLE, 3);
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 3);
	assert_int_equal(info.nr_enabled, 1);
	assert_int_equal(info.cpus_disabled, 1);
	assert_false(info.cpus[1].enabled);
	assert_int_equal(info.cpus[1].apic_id, 2);
	assert_int_equal(info.cpus[2].apic_id, 0x300);

	/* Revision 4: bit 1 is reserved and must be ignored. */
	begin(&b, 4, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	lapic(&b, 2, 2, MADT_CPU_ONLINE_CAPABLE);
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 1);
	assert_int_equal(info.cpus_disabled, 1);
}

static void test_duplicates_and_id_ff(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 3, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	lapic(&b, 1, 1, MADT_CPU_ENABLED);
	lapic(&b, 2, 1, MADT_CPU_ENABLED);		/* duplicate */
	x2apic(&b, 0, MADT_CPU_ENABLED, 0);		/* same CPU as type 9 */
	lapic(&b, 3, 0xff, MADT_CPU_ENABLED);		/* "no APIC" */
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, 2);
	assert_int_equal(info.cpus_duplicate, 1);
	assert_int_equal(info.x2apic_ignored, 1);	/* Linux's 2024 rule */
	assert_int_equal(info.cpus_invalid, 1);
}

static void test_lapic_override_and_unknown(void **state)
{
	struct builder b;
	const char *why = NULL;
	uint8_t *e;

	(void)state;
	begin(&b, 3, 0xfee00000);
	e = entry(&b, 0x7f, 7);				/* unknown: skipped */
	e[2] = 1;
	e = entry(&b, MADT_TYPE_LAPIC_OVERRIDE, 12);
	put64(e + 4, 0x1234fee00000ULL);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_true(info.lapic_overridden);
	assert_int_equal(info.lapic_address, 0x1234fee00000ULL);
	assert_int_equal(info.unknown_entries, 1);
	assert_int_equal(info.nr_cpus, 1);
}

static void test_several_ioapics(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 3, 0xfee00000);
	for (int i = 0; i < MADT_MAX_IOAPICS + 2; i++) {
		uint8_t *e = entry(&b, MADT_TYPE_IO_APIC, 12);

		e[2] = (uint8_t)i;
		put32(e + 4, 0xfec00000 + 0x1000 * (uint32_t)i);
		put32(e + 8, 24 * (uint32_t)i);
	}
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_ioapics, MADT_MAX_IOAPICS);
	assert_int_equal(info.others_dropped, 2);
	assert_int_equal(info.ioapics[3].gsi_base, 72);
	assert_int_equal(info.ioapics[3].address, 0xfec03000);
}

static void test_zero_length_entry_stops(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 3, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	entry(&b, MADT_TYPE_LOCAL_APIC, 0);
	b.len += 8;	/* room that must not be walked */
	assert_int_equal(parse(&b, 0, &info, &why), -EINVAL);
	assert_string_equal(why, "entry of length 0");
	assert_int_equal(info.error_offset, MADT_HEADER_LEN + 8);
	assert_int_equal(info.nr_cpus, 1);	/* what came before is kept */
}

static void test_entry_past_end_stops(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 3, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	x2apic(&b, 5, MADT_CPU_ENABLED, 5);
	b.len -= 4;	/* the table ends inside the x2APIC entry */
	assert_int_equal(parse(&b, 0, &info, &why), -EINVAL);
	assert_string_equal(why, "entry runs past the end of the table");
	assert_int_equal(info.nr_cpus, 1);

	/* One lone byte at the end: not even a type and a length. */
	begin(&b, 3, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	b.buf[b.len++] = MADT_TYPE_LOCAL_APIC;
	assert_int_equal(parse(&b, 0, &info, &why), -EINVAL);
	assert_string_equal(why, "truncated entry header");

	/* An entry shorter than its type. */
	begin(&b, 3, 0xfee00000);
	entry(&b, MADT_TYPE_LOCAL_X2APIC, 8);
	assert_int_equal(parse(&b, 0, &info, &why), -EINVAL);
	assert_string_equal(why, "entry too short for its type");
}

static void test_bad_header(void **state)
{
	struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 3, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	/* The length field claims more than the buffer holds. */
	assert_int_equal(parse(&b, b.len - 1, &info, &why), -EINVAL);
	assert_string_equal(why, "table length field out of range");
	assert_int_equal(info.nr_cpus, 0);
	assert_int_equal(madt_parse(b.buf, 20, &info, &why), -EINVAL);
	assert_string_equal(why, "table shorter than the MADT header");
}

static void test_too_many_cpus_dropped(void **state)
{
	static struct builder b;
	const char *why = NULL;

	(void)state;
	begin(&b, 3, 0xfee00000);
	for (uint32_t i = 0; i < MADT_MAX_CPUS + 3; i++) {
		if (b.len + 16 > sizeof(b.buf))
			break;
		x2apic(&b, i * 2, MADT_CPU_ENABLED, i);
	}
	/* 8192 bytes hold (8192 - 44) / 16 = 509 entries: fewer than the
	 * limit, so all kept; the limit itself is checked below. */
	assert_int_equal(parse(&b, 0, &info, &why), 0);
	assert_int_equal(info.nr_cpus, (sizeof(b.buf) - MADT_HEADER_LEN) / 16);
	assert_int_equal(info.cpus[500].apic_id, 1000);

	/* Fill the array directly and add one more. */
	info.nr_cpus = MADT_MAX_CPUS;
	add_cpu(&info, 0x7fffffff, 1, MADT_CPU_ENABLED, true);
	assert_int_equal(info.nr_cpus, MADT_MAX_CPUS);
	assert_int_equal(info.cpus_dropped, 1);
}

static void test_usable_cpus(void **state)
{
	struct builder b;
	const char *why = NULL;
	uint32_t ids[8];

	(void)state;
	begin(&b, 5, 0xfee00000);
	lapic(&b, 0, 0, MADT_CPU_ENABLED);
	lapic(&b, 1, 2, MADT_CPU_ENABLED);
	lapic(&b, 2, 4, MADT_CPU_ONLINE_CAPABLE);	/* not started */
	lapic(&b, 3, 6, MADT_CPU_ENABLED);
	assert_int_equal(parse(&b, 0, &info, &why), 0);

	/* Boot CPU first even when it is not first in the table. */
	assert_int_equal(madt_usable_cpus(&info, 2, 8, ids, 8), 3);
	assert_int_equal(ids[0], 2);
	assert_int_equal(ids[1], 0);
	assert_int_equal(ids[2], 6);
	/* maxcpus=2 */
	assert_int_equal(madt_usable_cpus(&info, 0, 2, ids, 8), 2);
	assert_int_equal(ids[1], 2);
	/* nosmp */
	assert_int_equal(madt_usable_cpus(&info, 6, 1, ids, 8), 1);
	assert_int_equal(ids[0], 6);
	/* the array limit wins over a larger maxcpus */
	assert_int_equal(madt_usable_cpus(&info, 0, 100, ids, 2), 2);
	assert_int_equal(madt_usable_cpus(&info, 0, 0, ids, 8), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_like_table),
		cmocka_unit_test(test_x2apic_sparse_large_ids),
		cmocka_unit_test(test_x2apic_below_255_with_lapics),
		cmocka_unit_test(test_flags_disabled_and_online_capable),
		cmocka_unit_test(test_duplicates_and_id_ff),
		cmocka_unit_test(test_lapic_override_and_unknown),
		cmocka_unit_test(test_several_ioapics),
		cmocka_unit_test(test_zero_length_entry_stops),
		cmocka_unit_test(test_entry_past_end_stops),
		cmocka_unit_test(test_bad_header),
		cmocka_unit_test(test_too_many_cpus_dropped),
		cmocka_unit_test(test_usable_cpus),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
