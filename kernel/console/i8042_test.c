/*
 * kernel/console/i8042_test.c - KTAP suite "i8042": the PS/2 keyboard.
 *
 * The controller's command 0xD2 puts a byte in its output buffer as if
 * the keyboard had sent it, and raises IRQ 1 for it as for a key: so the
 * whole path (the 8042, IRQ 1, the I/O APIC's route, i8042_interrupt(),
 * the scan code decoder, the ring, i8042_read()) runs with nobody at
 * the keyboard.  The bytes are set 1 codes: QEMU does not translate what
 * 0xD2 writes.  Skipped where the boot found no controller.
 */
#include <kernel/console.h>
#include <kernel/ioapic.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/time.h>

#define CTR_KBDINT	0x01
#define CTR_AUXINT	0x02
#define CTR_KBDDIS	0x10
#define CTR_XLATE	0x40

static bool no_keyboard(struct ktest *t, struct i8042_stats *st)
{
	i8042_input_stats(st);
	if (!st->keyboard) {
		ktest_skip(t, st->present ? "no keyboard on the i8042" : "no i8042");
		return true;
	}
	return false;
}

static void test_controller_answered(struct ktest *t)
{
	struct i8042_stats st;

	if (no_keyboard(t, &st))
		return;
	KTEST_EXPECT_EQ(t, st.self_test, 0x55);
	KTEST_EXPECT_EQ(t, st.port_test, 0x00);
	/* QEMU's q35 has an I/O APIC and the 8042 on ISA IRQ 1. */
	KTEST_EXPECT_EQ(t, st.polled, noapic);
}

/* What the controller holds now is what the probe wrote: port 1 on,
 * its interrupt on unless polled, port 2's off, translation on (QEMU
 * keeps bit 6) unless i8042.direct. */
static void test_config_byte(struct ktest *t)
{
	struct i8042_stats st;
	uint8_t ctr = 0;

	if (no_keyboard(t, &st))
		return;
	KTEST_EXPECT_EQ(t, i8042_read_config(&ctr), 0);
	KTEST_EXPECT_EQ(t, ctr, st.ctr);
	KTEST_EXPECT_EQ(t, !!(ctr & CTR_KBDINT), !st.polled);
	KTEST_EXPECT_EQ(t, ctr & (CTR_AUXINT | CTR_KBDDIS), 0);
	KTEST_EXPECT_EQ(t, !!(ctr & CTR_XLATE), st.translated);
}

/* m, Shift k, a held (three makes, one break), up, an unknown key,
 * Enter: what the line editor should get, and the counters. */
static const uint8_t typed[] = {
	0x32, 0xb2,			/* m */
	0x2a, 0x25, 0xa5, 0xaa,		/* Shift + k */
	0x1e, 0x1e, 0x1e, 0x9e,		/* a, repeated by the typematic */
	0xe0, 0x48, 0xe0, 0xc8,		/* up */
	0xe0, 0x10, 0xe0, 0x90,		/* previous track: unknown */
	0x1c, 0x9c,			/* Enter */
};
static const char decoded[] = "mKaaa\x1b[A\r";

static void test_keys_through_irq1(struct ktest *t)
{
	struct i8042_stats before, after;
	char got[sizeof(decoded) + 8] = "";
	size_t sent = 0, n = 0;

	if (no_keyboard(t, &before))
		return;
	for (size_t i = 0; i < sizeof(typed); i++)
		sent += i8042_send_as_keyboard(typed[i]);
	for (int tries = 0; tries < 10 && n < sizeof(decoded) - 1; tries++)
		n += i8042_read(got + n, sizeof(got) - 1 - n, HZ / 10);
	i8042_input_stats(&after);

	KTEST_EXPECT_EQ(t, sent, sizeof(typed));
	KTEST_EXPECT_EQ(t, n, sizeof(decoded) - 1);
	KTEST_EXPECT_TRUE(t, !memcmp(got, decoded, sizeof(decoded) - 1));
	KTEST_EXPECT_EQ(t, after.scancodes - before.scancodes, sizeof(typed));
	KTEST_EXPECT_EQ(t, after.bytes - before.bytes, sizeof(decoded) - 1);
	KTEST_EXPECT_EQ(t, after.unknown - before.unknown, 2);
	KTEST_EXPECT_EQ(t, after.dropped, before.dropped);
	if (!before.polled)
		KTEST_EXPECT_TRUE(t, after.interrupts - before.interrupts >=
					     sizeof(typed));
	/* The counters, for a person reading the log. */
	printk(KERN_INFO "        # i8042: interrupts %lu, scan codes %lu, bytes %lu, dropped %lu, unknown %lu%s\n",
	       after.interrupts, after.scancodes, after.bytes, after.dropped,
	       after.unknown, after.polled ? " (polled)" : "");
}

/* Nothing typed: i8042_read() gives up after its timeout. */
static void test_read_times_out(struct ktest *t)
{
	struct i8042_stats before, after;
	char c = 0;

	if (no_keyboard(t, &before))
		return;
	KTEST_EXPECT_EQ(t, i8042_read(&c, 1, HZ / 20), 0);
	KTEST_EXPECT_EQ(t, i8042_read(&c, 1, 0), 0);
	i8042_input_stats(&after);
	KTEST_EXPECT_EQ(t, c, 0);
	KTEST_EXPECT_EQ(t, after.bytes, before.bytes);
}

static struct ktest_case i8042_cases[] = {
	KTEST_CASE(test_controller_answered),
	KTEST_CASE(test_config_byte),
	KTEST_CASE(test_keys_through_irq1),
	KTEST_CASE(test_read_times_out),
	{}
};
KTEST_SUITE(i8042, i8042_cases);
