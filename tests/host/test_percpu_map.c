/*
 * tests/host/test_percpu_map.c - the reserved chunk's picture
 * (mm/percpu-map.c) against a brute-force count, byte by byte, under
 * ASan and UBSan; and fed from a real chunk's walk
 * (pcpu_chunk_next_area, mm/percpu-chunk.c), as the monitor feeds it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/percpu-map.c"
#include "../../mm/percpu-chunk.c"
#include "rng.h"

#define MAX_AREAS	256


/* The cell's mark by counting each byte's holder. */
static char brute_cell(const struct pcpu_map_area *a, int n, int start,
		       int size, int width, int c)
{
	long lo = start + (long)c * size / width;
	long hi = start + (long)(c + 1) * size / width;
	long count[MAX_AREAS] = { 0 };
	int best = -1, k = 0;
	char mark = '.';

	if (hi <= lo)
		hi = lo + 1;
	for (long b = lo; b < hi; b++)
		for (int i = 0; i < n; i++)
			if (a[i].used && b >= a[i].offset &&
			    b < a[i].offset + a[i].size)
				count[i]++;
	for (int i = 0; i < n; i++) {
		if (!a[i].used)
			continue;
		if (count[i] && (best < 0 || count[i] > count[best])) {
			best = i;
			mark = pcpu_map_mark(k);
		}
		k++;
	}
	return mark;
}

/* Random areas tiling [start, start + size), sizes multiples of 4. */
static int random_tiling(struct pcpu_map_area *a, int start, int size)
{
	int n = 0, off = start;

	while (off < start + size && n < MAX_AREAS) {
		int left = start + size - off;
		int len = 4 * (1 + (int)(rnd() % 64));

		if (rnd() % 8 == 0)
			len = 4 * (1 + (int)(rnd() % 512));
		if (len > left || n == MAX_AREAS - 1)
			len = left;
		a[n].offset = off;
		a[n].size = len;
		a[n].used = rnd() % 3 != 0;
		strcpy(a[n].owner, a[n].used ? "m" : "");
		off += len;
		n++;
	}
	return n;
}

static void test_against_brute_force(void **state)
{
	static struct pcpu_map_area a[MAX_AREAS];
	char bar[200];

	(void)state;
	rng_state = 0x9e3779b97f4a7c15ULL;
	for (int round = 0; round < 300; round++) {
		int start = 4 * (int)(rnd() % 4096);
		int size = 4 * (1 + (int)(rnd() % 4096));
		int width = 1 + (int)(rnd() % 120);
		int n = random_tiling(a, start, size);

		memset(bar, 'x', sizeof(bar));
		pcpu_map_draw(a, n, start, size, bar, width);
		assert_int_equal(bar[width], '\0');
		assert_int_equal((int)strlen(bar), width);
		for (int c = 0; c < width; c++)
			assert_int_equal(bar[c],
					 brute_cell(a, n, start, size, width, c));
	}
}

static void test_small_area_keeps_its_cell(void **state)
{
	/* 8192 bytes in 64 cells of 128: a 4-byte area alone in a cell. */
	struct pcpu_map_area a[] = {
		{ .offset = 1000, .size = 2304, .used = true },
		{ .offset = 3304, .size = 376, .used = false },
		{ .offset = 3680, .size = 4, .used = true },
		{ .offset = 3684, .size = 5508, .used = false },
	};
	char bar[65];

	(void)state;
	pcpu_map_draw(a, 4, 1000, 8192, bar, 64);
	assert_string_equal(bar, "AAAAAAAAAAAAAAAAAA..B"
			    "...........................................");
}

static void test_empty_and_full(void **state)
{
	struct pcpu_map_area free_all = { .offset = 0, .size = 8192 };
	struct pcpu_map_area used_all = { .offset = 0, .size = 8192, .used = true };
	char bar[41];

	(void)state;
	pcpu_map_draw(&free_all, 1, 0, 8192, bar, 40);
	assert_string_equal(bar, "........................................");
	pcpu_map_draw(&used_all, 1, 0, 8192, bar, 40);
	assert_string_equal(bar, "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
	pcpu_map_draw(NULL, 0, 0, 8192, bar, 0);
	assert_string_equal(bar, "");
}

static void test_marks(void **state)
{
	(void)state;
	assert_int_equal(pcpu_map_mark(0), 'A');
	assert_int_equal(pcpu_map_mark(25), 'Z');
	assert_int_equal(pcpu_map_mark(26), 'a');
	assert_int_equal(pcpu_map_mark(51), 'z');
	assert_int_equal(pcpu_map_mark(52), '#');
	assert_int_equal(pcpu_map_mark(1000), '#');
	assert_int_equal(pcpu_map_mark(-1), '?');
}

/* A reserved-like chunk (static hidden before, dynamic after), three
 * module-sized allocations, one freed: walked and drawn. */
static void test_from_a_chunk(void **state)
{
	struct pcpu_chunk chunk;
	struct pcpu_map_area a[8];
	struct pcpu_chunk_area ca;
	int start = 768, size = 8192, unit = 16 * 4096, pos = 0, n = 0;
	int off_a, off_b, off_c;
	void *meta = calloc(1, pcpu_chunk_meta_bytes(unit / 4096));
	char bar[65];

	(void)state;
	assert_non_null(meta);
	pcpu_chunk_init(&chunk, meta, unit / 4096, start, unit - start - size);
	off_a = pcpu_chunk_alloc(&chunk, 2304, 64);
	off_b = pcpu_chunk_alloc(&chunk, 1536, 64);
	off_c = pcpu_chunk_alloc(&chunk, 304, 32);
	assert_int_equal(off_a, 768);
	assert_int_equal(off_b, 768 + 2304);
	assert_int_equal(off_c, 768 + 2304 + 1536);
	assert_int_equal(pcpu_chunk_free(&chunk, off_b), 1536);
	while (pcpu_chunk_next_area(&chunk, &pos, &ca)) {
		assert_true(n < 8);
		a[n].offset = ca.offset;
		a[n].size = ca.size;
		a[n].used = ca.used;
		n++;
	}
	assert_int_equal(n, 4);
	assert_true(a[0].used && a[0].offset == 768 && a[0].size == 2304);
	assert_true(!a[1].used && a[1].offset == 3072 && a[1].size == 1536);
	assert_true(a[2].used && a[2].offset == 4608 && a[2].size == 304);
	assert_true(!a[3].used && a[3].offset == 4912 &&
		    a[3].offset + a[3].size == start + size);
	pcpu_map_draw(a, n, start, size, bar, 64);
	/* 128 bytes a cell: A 18 cells, free 12, B 2.4 cells -> 3, free. */
	assert_string_equal(bar, "AAAAAAAAAAAAAAAAAA............BBB"
			    "...............................");
	free(meta);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_against_brute_force),
		cmocka_unit_test(test_small_area_keeps_its_cell),
		cmocka_unit_test(test_empty_and_full),
		cmocka_unit_test(test_marks),
		cmocka_unit_test(test_from_a_chunk),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
