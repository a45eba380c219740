/*
 * tests/host/test_memmap.c - memory map to free ranges (mm/memmap.c).
 *
 * Hand-written maps with the awkward shapes firmware produces (overlaps,
 * unsorted, unaligned, zero-length, a length running past 2^64), then
 * random maps checked against a byte-by-byte model: a page is free iff
 * every byte in it is covered by an available entry, by no entry of
 * another type and by no reservation.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/memmap.c"

#define KiB(x)	((uint64_t)(x) << 10)
#define MiB(x)	((uint64_t)(x) << 20)

static struct phys_range out[MEMMAP_MAX_RANGES];

static void test_qemu_like_map(void **state)
{
	/* Unsorted, with an unaligned end and a reserved hole. */
	struct mem_region map[] = {
		{ MiB(1), MiB(511) - KiB(128), MEM_AVAILABLE },
		{ 0, KiB(639), MEM_AVAILABLE },		/* ends mid-page */
		{ KiB(639), KiB(1), MEM_RESERVED },
		{ KiB(960), KiB(64), MEM_RESERVED },
		{ MiB(512) - KiB(128), KiB(128), MEM_RESERVED },
		{ 0xfffc0000, KiB(256), MEM_RESERVED },
	};
	struct phys_range res[] = {
		{ 0, MiB(1) },				/* low memory */
		{ MiB(2), MiB(2) + KiB(700) + 5 },	/* kernel, odd end */
		{ MiB(8), MiB(9) },			/* initrd */
	};
	int n;

	(void)state;
	n = memmap_free_ranges(map, 6, res, 3, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].start, MiB(1));
	assert_int_equal(out[0].end, MiB(2));
	assert_int_equal(out[1].start, MiB(2) + KiB(704));
	assert_int_equal(out[1].end, MiB(8));
	assert_int_equal(out[2].start, MiB(9));
	assert_int_equal(out[2].end, MiB(512) - KiB(128));
	assert_int_equal(memmap_total(out, n),
			 MiB(1) + MiB(6) - KiB(704) + MiB(503) - KiB(128));
}

static void test_overlap_other_type_wins(void **state)
{
	struct mem_region map[] = {
		{ 0x10000, 0x10000, MEM_AVAILABLE },
		{ 0x14000, 0x2000, MEM_ACPI_RECLAIMABLE },	/* inside */
		{ 0x18000, 0x20000, MEM_AVAILABLE },		/* overlaps */
		{ 0x30000, 0x0, MEM_RESERVED },		/* zero length */
		{ 0x1f000, 0x800, MEM_BADRAM },		/* half a page */
	};
	int n;

	(void)state;
	n = memmap_free_ranges(map, 5, NULL, 0, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 3);
	assert_int_equal(out[0].start, 0x10000);
	assert_int_equal(out[0].end, 0x14000);
	assert_int_equal(out[1].start, 0x16000);
	assert_int_equal(out[1].end, 0x1f000);
	assert_int_equal(out[2].start, 0x20000);	/* rest of bad page out */
	assert_int_equal(out[2].end, 0x38000);
}

static void test_direct_map_outward(void **state)
{
	/* RAM types, outward: ACPI counts, partial pages grow. */
	struct mem_region map[] = {
		{ 0, 0x9fc00, MEM_AVAILABLE },
		{ 0x100000, 0x1000000, MEM_AVAILABLE },
		{ 0x1100000, 0x1234, MEM_ACPI_RECLAIMABLE },
		{ 0x1101234, 0x100, MEM_NVS },
		{ 0xfee00000, 0x1000, MEM_RESERVED },
	};
	int n;

	(void)state;
	n = memmap_ranges(map, 5, MEMMAP_RAM_TYPES, NULL, 0, false, out,
			  MEMMAP_MAX_RANGES);
	assert_int_equal(n, 2);
	assert_int_equal(out[0].start, 0);
	assert_int_equal(out[0].end, 0xa0000);
	assert_int_equal(out[1].start, 0x100000);
	assert_int_equal(out[1].end, 0x1102000);
}

static void test_wrap_and_limits(void **state)
{
	struct mem_region map[] = {
		{ 0xfffffffffff00000ULL, 0x200000, MEM_AVAILABLE },
		{ 0x1000, 0x1000, MEM_AVAILABLE },
		{ 0x3000, 0x1000, MEM_AVAILABLE },
		{ 0x5000, 0x1000, MEM_AVAILABLE },
	};
	struct phys_range bad = { 0x10, 0x5 };	/* end < start: ignored */
	int n;

	(void)state;
	n = memmap_free_ranges(map, 4, &bad, 1, out, MEMMAP_MAX_RANGES);
	assert_int_equal(n, 4);
	assert_int_equal(out[3].start, 0xfffffffffff00000ULL);
	assert_int_equal(out[3].end, 0xfffffffffffff000ULL);
	assert_int_equal(memmap_free_ranges(map, 4, NULL, 0, out, 2),
			 -ENOSPC);
	assert_int_equal(memmap_free_ranges(map, -1, NULL, 0, out, 2),
			 -EINVAL);
	assert_int_equal(memmap_free_ranges(map, 0, NULL, 0, out, 2), 0);
}

/* ---- random maps against a byte model ---------------------------- */

#define SPACE	KiB(64)
#define PG	4096

static uint8_t byte_state[SPACE];	/* bit 0 available, 1 other, 2 reserved */

static void check_random(unsigned int seed)
{
	struct mem_region map[40];
	struct phys_range res[MEMMAP_MAX_RESERVED];
	int count = rand() % 40, nres = rand() % 6;
	bool inward = rand() % 2;
	int n;

	(void)seed;
	memset(byte_state, 0, sizeof(byte_state));
	for (int i = 0; i < count; i++) {
		uint64_t base = (uint64_t)rand() % SPACE;
		uint64_t len = (uint64_t)rand() % (SPACE / 4);

		if (rand() % 3 == 0)	/* sometimes page aligned */
			base &= ~(uint64_t)(PG - 1), len &= ~(uint64_t)(PG - 1);
		if (base + len > SPACE)
			len = SPACE - base;
		map[i] = (struct mem_region){ base, len,
			(uint32_t)(rand() % 3 ? MEM_AVAILABLE :
				   1 + rand() % 6) };
		for (uint64_t k = base; k < base + len; k++)
			byte_state[k] |= map[i].type == MEM_AVAILABLE ? 1 : 2;
	}
	for (int i = 0; i < nres; i++) {
		uint64_t s = (uint64_t)rand() % SPACE;
		uint64_t e = s + (uint64_t)rand() % (SPACE / 8);

		if (e > SPACE)
			e = SPACE;
		res[i] = (struct phys_range){ s, e };
		for (uint64_t k = s; k < e; k++)
			byte_state[k] |= 4;
	}
	n = memmap_ranges(map, count, MEMMAP_TYPE(MEM_AVAILABLE), res, nres,
			  inward, out, MEMMAP_MAX_RANGES);
	assert_true(n >= 0);
	for (int i = 0; i < n; i++) {
		assert_true(out[i].start < out[i].end);
		assert_int_equal(out[i].start % PG, 0);
		assert_int_equal(out[i].end % PG, 0);
		if (i > 0)	/* sorted, disjoint and not touching */
			assert_true(out[i - 1].end < out[i].start);
	}
	for (uint64_t page = 0; page < SPACE; page += PG) {
		bool all = true, any = false, in_result = false;

		for (uint64_t k = page; k < page + PG; k++) {
			bool w = byte_state[k] == 1;

			all = all && w;
			any = any || w;
		}
		for (int i = 0; i < n; i++)
			if (out[i].start <= page && page < out[i].end)
				in_result = true;
		assert_int_equal(in_result, inward ? all : any);
	}
}

static void test_random_maps(void **state)
{
	(void)state;
	srand(12345);
	for (unsigned int i = 0; i < 3000; i++)
		check_random(i);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_qemu_like_map),
		cmocka_unit_test(test_overlap_other_type_wins),
		cmocka_unit_test(test_direct_map_outward),
		cmocka_unit_test(test_wrap_and_limits),
		cmocka_unit_test(test_random_maps),
	};

	return cmocka_run_group_tests_name("memmap", tests, NULL, NULL);
}
