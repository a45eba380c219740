/*
 * tests/host/test_apic_mode.c - host unit tests for the xAPIC/x2APIC mode
 * decision (kernel/apic/apic_mode.c).  QEMU 7.2 TCG has no x2APIC, so
 * these are the proof of the x2APIC paths short of bochs or a real PC.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/apic/apic_mode.c"

#define BASE	(0xfee00000ULL | APIC_BASE_BSP)
#define EN	APIC_BASE_ENABLE
#define EXTD	APIC_BASE_EXTD

/* No plan ever writes a value with EXTD but not EN, nor clears EN while
 * EXTD is set, nor goes x2APIC -> xAPIC. */
static void check_legal(uint64_t from, const struct apic_mode_plan *p)
{
	uint64_t prev = from;

	for (unsigned int i = 0; i < p->nr_writes; i++) {
		uint64_t w = p->writes[i];

		assert_false((w & EXTD) && !(w & EN));
		if ((prev & EXTD) && (prev & EN))
			assert_true((w & EXTD) && (w & EN));
		assert_int_equal(w & APIC_BASE_ADDR_MASK,
				 from & APIC_BASE_ADDR_MASK);
		assert_int_equal(w & APIC_BASE_BSP, from & APIC_BASE_BSP);
		prev = w;
	}
}

static void test_xapic_only_cpu(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EN, false, false, false, &p);
	check_legal(BASE | EN, &p);
	assert_int_equal(p.mode, APIC_MODE_XAPIC);
	assert_int_equal(p.nr_writes, 0);

	apic_mode_plan(BASE, false, false, false, &p);	/* disabled by firmware */
	check_legal(BASE, &p);
	assert_int_equal(p.mode, APIC_MODE_XAPIC);
	assert_int_equal(p.nr_writes, 1);
	assert_int_equal(p.writes[0], BASE | EN);
}

static void test_x2apic_available_is_used(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EN, true, false, false, &p);
	check_legal(BASE | EN, &p);
	assert_int_equal(p.mode, APIC_MODE_X2APIC);
	assert_int_equal(p.nr_writes, 1);
	assert_int_equal(p.writes[0], BASE | EN | EXTD);

	/* From disabled: EN first, then EXTD. */
	apic_mode_plan(BASE, true, false, false, &p);
	check_legal(BASE, &p);
	assert_int_equal(p.nr_writes, 2);
	assert_int_equal(p.writes[0], BASE | EN);
	assert_int_equal(p.writes[1], BASE | EN | EXTD);
}

static void test_nox2apic(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EN, true, false, true, &p);
	check_legal(BASE | EN, &p);
	assert_int_equal(p.mode, APIC_MODE_XAPIC);
	assert_int_equal(p.nr_writes, 0);
	assert_false(p.forced_x2apic);
}

static void test_firmware_x2apic_stays(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EN | EXTD, true, false, true, &p);
	check_legal(BASE | EN | EXTD, &p);
	assert_int_equal(p.mode, APIC_MODE_X2APIC);
	assert_int_equal(p.nr_writes, 0);
	assert_true(p.forced_x2apic);

	apic_mode_plan(BASE | EN | EXTD, true, false, false, &p);
	assert_int_equal(p.mode, APIC_MODE_X2APIC);
	assert_false(p.forced_x2apic);
}

static void test_invalid_extd_without_en(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EXTD, false, false, false, &p);
	check_legal(BASE | EXTD, &p);
	assert_int_equal(p.mode, APIC_MODE_XAPIC);
	assert_int_equal(p.nr_writes, 1);
	assert_int_equal(p.writes[0], BASE | EN);
}

/* Firmware locked x2APIC (IA32_XAPIC_DISABLE_STATUS): never an xAPIC
 * state, whatever nox2apic says, and from disabled straight to x2APIC. */
static void test_locked_x2apic(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EN | EXTD, true, true, false, &p);
	check_legal(BASE | EN | EXTD, &p);
	assert_int_equal(p.mode, APIC_MODE_X2APIC);
	assert_int_equal(p.nr_writes, 0);
	assert_true(p.locked);
	assert_false(p.forced_x2apic);

	apic_mode_plan(BASE | EN | EXTD, true, true, true, &p);
	assert_int_equal(p.mode, APIC_MODE_X2APIC);
	assert_int_equal(p.nr_writes, 0);
	assert_true(p.forced_x2apic);

	for (uint64_t from = BASE; from <= (BASE | EN | EXTD); from += EXTD) {
		apic_mode_plan(from, true, true, true, &p);
		check_legal(from, &p);
		assert_int_equal(p.mode, APIC_MODE_X2APIC);
		for (unsigned int i = 0; i < p.nr_writes; i++)
			assert_true((p.writes[i] & EN) && (p.writes[i] & EXTD));
		assert_int_equal(p.nr_writes, (from & EN) && (from & EXTD) ? 0 : 1);
	}
}

static void test_unlocked_flag_clear(void **state)
{
	struct apic_mode_plan p;

	(void)state;
	apic_mode_plan(BASE | EN, true, false, false, &p);
	assert_false(p.locked);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_xapic_only_cpu),
		cmocka_unit_test(test_x2apic_available_is_used),
		cmocka_unit_test(test_nox2apic),
		cmocka_unit_test(test_locked_x2apic),
		cmocka_unit_test(test_unlocked_flag_clear),
		cmocka_unit_test(test_firmware_x2apic_stays),
		cmocka_unit_test(test_invalid_extd_without_en),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
