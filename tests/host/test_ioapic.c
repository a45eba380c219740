/*
 * tests/host/test_ioapic.c - host unit tests for the ISA IRQ -> I/O APIC
 * pin routing and the redirection entries (kernel/apic/ioapic_route.c).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <kernel/errno.h>
#include "../../kernel/apic/ioapic_route.c"

static struct madt_info m;

/* QEMU's q35: one I/O APIC at GSI 0 with 24 pins; IRQ 0 -> GSI 2, and
 * IRQs 5, 9, 10, 11 level and active high (the PCI ones). */
static void qemu_q35(void)
{
	static const struct madt_override o[] = {
		{ 0, 0, 2, 0x0 }, { 0, 5, 5, 0xd }, { 0, 9, 9, 0xd },
		{ 0, 10, 10, 0xd }, { 0, 11, 11, 0xd },
	};

	memset(&m, 0, sizeof(m));
	m.nr_ioapics = 1;
	m.ioapics[0] = (struct madt_ioapic){ 0, 0xfec00000, 0 };
	m.nr_overrides = sizeof(o) / sizeof(o[0]);
	memcpy(m.overrides, o, sizeof(o));
}

static void test_no_override(void **state)
{
	const unsigned int pins[] = { 24 };
	struct ioapic_route r;

	(void)state;
	qemu_q35();
	assert_int_equal(ioapic_isa_route(&m, pins, 4, &r), 0);
	assert_int_equal(r.gsi, 4);
	assert_int_equal(r.ioapic, 0);
	assert_int_equal(r.pin, 4);
	assert_false(r.active_low);
	assert_false(r.level);
	assert_false(r.overridden);
}

static void test_override_gsi_and_flags(void **state)
{
	const unsigned int pins[] = { 24 };
	struct ioapic_route r;

	(void)state;
	qemu_q35();
	assert_int_equal(ioapic_isa_route(&m, pins, 0, &r), 0);
	assert_int_equal(r.gsi, 2);
	assert_int_equal(r.pin, 2);
	assert_true(r.overridden);
	assert_false(r.level);
	assert_int_equal(ioapic_isa_route(&m, pins, 9, &r), 0);
	assert_true(r.level);
	assert_false(r.active_low);
	/* Active low, level: flags 0xf. */
	m.overrides[2].flags = 0xf;
	assert_int_equal(ioapic_isa_route(&m, pins, 9, &r), 0);
	assert_true(r.active_low);
	assert_true(r.level);
	/* Reserved encodings (10) read as the ISA default. */
	m.overrides[2].flags = 0xa;
	assert_int_equal(ioapic_isa_route(&m, pins, 9, &r), 0);
	assert_false(r.active_low);
	assert_false(r.level);
	/* An override for another bus is not ISA's. */
	m.overrides[0].bus = 1;
	assert_int_equal(ioapic_isa_route(&m, pins, 0, &r), 0);
	assert_int_equal(r.gsi, 0);
}

static void test_second_ioapic(void **state)
{
	const unsigned int pins[] = { 24, 32 };
	struct ioapic_route r;

	(void)state;
	qemu_q35();
	m.nr_ioapics = 2;
	m.ioapics[1] = (struct madt_ioapic){ 1, 0xfec01000, 24 };
	m.overrides[0].gsi = 30;	/* IRQ 0 wired to the second one */
	assert_int_equal(ioapic_isa_route(&m, pins, 0, &r), 0);
	assert_int_equal(r.ioapic, 1);
	assert_int_equal(r.pin, 6);
}

static void test_unroutable(void **state)
{
	const unsigned int pins[] = { 24 };
	const unsigned int unread[] = { 0 };
	struct ioapic_route r;

	(void)state;
	qemu_q35();
	assert_int_equal(ioapic_isa_route(&m, pins, 16, &r), -EINVAL);
	m.overrides[0].gsi = 24;	/* past the only I/O APIC */
	assert_int_equal(ioapic_isa_route(&m, pins, 0, &r), -ENODEV);
	assert_int_equal(ioapic_isa_route(&m, unread, 4, &r), -ENODEV);
	m.nr_ioapics = 0;
	assert_int_equal(ioapic_isa_route(&m, pins, 4, &r), -ENODEV);
}

static void test_rte_bits(void **state)
{
	struct ioapic_route r = { .gsi = 9, .active_low = true, .level = true };

	(void)state;
	assert_int_equal(ioapic_rte(&r, 0x39, 3, false),
			 0x39 | (1u << 13) | (1u << 15) | (3ULL << 56));
	r.active_low = r.level = false;
	assert_int_equal(ioapic_rte(&r, 0x34, 0, true), 0x34 | (1u << 16));
	assert_int_equal(ioapic_rte(&r, 0x34, 0xff, false) >> 56, 0xff);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_no_override),
		cmocka_unit_test(test_override_gsi_and_flags),
		cmocka_unit_test(test_second_ioapic),
		cmocka_unit_test(test_unroutable),
		cmocka_unit_test(test_rte_bits),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
