/*
 * tests/host/test_percpu_layout.c - the first chunk's arithmetic
 * (mm/percpu-layout.c): unit sizing and per-CPU offsets.
 *
 * Every static size from 0 to 1 MiB (in steps) against the rules the
 * per-CPU allocator relies on: s+r+d = u, u a power-of-two number of
 * pages, d at least PERCPU_DYNAMIC_RESERVE, and the smallest such u.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/percpu-layout.c"

#define PAGE	4096UL

static void test_small_template(void **state)
{
	struct pcpu_layout l;

	(void)state;
	assert_int_equal(pcpu_build_layout(12, PERCPU_MODULE_RESERVE, PAGE, 10, &l), 0);
	assert_int_equal(l.static_size, 64);
	assert_int_equal(l.reserved_size, PERCPU_MODULE_RESERVE);
	assert_int_equal(l.unit_size, 65536);
	assert_int_equal(l.unit_order, 4);
	assert_int_equal(l.dyn_size, 65536 - 64 - PERCPU_MODULE_RESERVE);
}

static void test_rules_hold(void **state)
{
	(void)state;
	for (size_t s = 0; s <= (1UL << 20); s += 13) {
		struct pcpu_layout l;

		assert_int_equal(pcpu_build_layout(s, PERCPU_MODULE_RESERVE, PAGE, 10, &l), 0);
		assert_true(l.static_size >= s && l.static_size % 64 == 0);
		assert_int_equal(l.static_size + l.reserved_size + l.dyn_size,
				 l.unit_size);
		assert_int_equal(l.unit_size, PAGE << l.unit_order);
		assert_true(l.dyn_size >= PERCPU_DYNAMIC_RESERVE);
		/* The smallest order that fits. */
		if (l.unit_order > 0)
			assert_true((l.unit_size / 2) < l.static_size +
				    PERCPU_MODULE_RESERVE + PERCPU_DYNAMIC_RESERVE);
	}
}

static void test_too_big(void **state)
{
	struct pcpu_layout l;

	(void)state;
	assert_int_equal(pcpu_build_layout(PAGE << 10, PERCPU_MODULE_RESERVE, PAGE, 10, &l), -1);
	assert_int_equal(pcpu_build_layout((size_t)-1, PERCPU_MODULE_RESERVE, PAGE, 10, &l), -1);
	assert_int_equal(pcpu_build_layout(0, PERCPU_MODULE_RESERVE, 0, 10, &l), -1);
}

/* percpu.reserve=: any multiple of 4, 0 included; d keeps its floor. */
static void test_reserve_sizes(void **state)
{
	struct pcpu_layout l;
	size_t r[] = { 0, 4, 304, 8192, 16384, 100000 };

	(void)state;
	for (size_t i = 0; i < sizeof(r) / sizeof(r[0]); i++) {
		assert_int_equal(pcpu_build_layout(4000, r[i], PAGE, 10, &l), 0);
		assert_int_equal(l.reserved_size, r[i]);
		assert_int_equal(l.static_size + l.reserved_size + l.dyn_size,
				 l.unit_size);
		assert_true(l.dyn_size >= PERCPU_DYNAMIC_RESERVE);
	}
	assert_int_equal(pcpu_build_layout(4000, 6, PAGE, 10, &l), -1);
	assert_int_equal(pcpu_build_layout(4000, (size_t)-4, PAGE, 10, &l), -1);
}

static void test_offsets(void **state)
{
	static char template[256], units[4][1024];
	void *ptrs[4];
	unsigned long off[4];

	(void)state;
	for (int i = 0; i < 4; i++)
		ptrs[i] = units[3 - i];		/* out of address order */
	pcpu_fill_offsets(off, ptrs, 4, template);
	for (int a = 0; a < 4; a++) {
		char *var = template + 100;

		assert_ptr_equal(var + off[a], (char *)ptrs[a] + 100);
		for (int b = 0; b < 4; b++)
			assert_int_equal((long)(off[a] - off[b]),
					 (char *)ptrs[a] - (char *)ptrs[b]);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_small_template),
		cmocka_unit_test(test_rules_hold),
		cmocka_unit_test(test_too_big),
		cmocka_unit_test(test_reserve_sizes),
		cmocka_unit_test(test_offsets),
	};

	return cmocka_run_group_tests_name("percpu_layout", tests, NULL, NULL);
}
