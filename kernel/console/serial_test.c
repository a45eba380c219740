/*
 * kernel/console/serial_test.c - KTAP suite "serial": input on ttyS0.
 *
 * The UART's loopback mode turns what is sent into what is received,
 * through the same receive interrupt a typed byte raises: so the whole
 * path (the 16550, IRQ 4, the I/O APIC's route with the MADT's
 * overrides, serial_interrupt(), the ring, serial_read()) runs without a
 * person at the keyboard.  The console's output is held back meanwhile;
 * nothing here prints until loopback is off again.
 */
#include <kernel/console.h>
#include <kernel/ioapic.h>
#include <kernel/ktest.h>
#include <kernel/string.h>
#include <kernel/time.h>

static const char probe[] = "mkernel loopback 0123456789\n";

/* Read what comes back within about a second. */
static size_t read_back(char *buf, size_t len)
{
	size_t n = 0;

	for (int tries = 0; n < len && tries < 10; tries++)
		n += serial_read(buf + n, len - n, HZ / 10);
	return n;
}

static void test_input_routed(struct ktest *t)
{
	struct serial_input_stats st;

	serial_input_stats(&st);
	if (!st.present) {
		ktest_skip(t, "no 16550 at COM1");
		return;
	}
	/* QEMU's q35 has an I/O APIC and COM1 on ISA IRQ 4; noapic (or a
	 * machine without a route) leaves the input polled. */
	KTEST_EXPECT_EQ(t, st.polled, noapic);
}

static void test_loopback_by_interrupt(struct ktest *t)
{
	struct serial_input_stats before, after;
	char got[sizeof(probe)] = "";
	size_t n, sent = 0;

	serial_input_stats(&before);
	if (!before.present) {
		ktest_skip(t, "no 16550 at COM1");
		return;
	}
	serial_loopback(true);
	/* A look after each byte: polled, the 16-byte receive FIFO would
	 * overflow before anyone read it. */
	n = 0;
	for (size_t i = 0; i < sizeof(probe) - 1; i++) {
		sent += serial_send_raw(probe[i]);
		n += serial_read(got + n, sizeof(probe) - 1 - n, 0);
	}
	n += read_back(got + n, sizeof(probe) - 1 - n);
	serial_loopback(false);
	serial_input_stats(&after);

	KTEST_EXPECT_EQ(t, sent, sizeof(probe) - 1);
	KTEST_EXPECT_EQ(t, n, sizeof(probe) - 1);
	KTEST_EXPECT_TRUE(t, !memcmp(got, probe, sizeof(probe) - 1));
	KTEST_EXPECT_EQ(t, after.bytes - before.bytes, sizeof(probe) - 1);
	KTEST_EXPECT_EQ(t, after.dropped, before.dropped);
	if (!before.polled)
		KTEST_EXPECT_TRUE(t, after.interrupts > before.interrupts);
}

/*
 * More than the ring holds, with nobody reading: the ring fills, input
 * is throttled (the UART keeps the next 16 bytes in its FIFO, its
 * interrupt masked), and once read, every byte comes back in order and
 * none was lost.  By interrupt only: polled, nobody moves the bytes
 * while nobody reads.
 */
static void test_full_ring_throttles(struct ktest *t)
{
	enum { TOTAL = CONSOLE_INPUT_RING + SERIAL_RX_FIFO };
	struct serial_input_stats before, after;
	static char got[TOTAL];
	size_t n = 0, sent = 0, bad = 0;

	serial_input_stats(&before);
	if (!before.present || before.polled) {
		ktest_skip(t, before.present ? "input is polled" : "no 16550 at COM1");
		return;
	}
	serial_loopback(true);
	for (size_t i = 0; i < TOTAL; i++) {
		sent += serial_send_raw((char)('a' + i % 26));
		/* Time for the interrupt to take it, as typing would give. */
		udelay(200);
	}
	n = read_back(got, TOTAL);
	serial_loopback(false);
	serial_input_stats(&after);
	for (size_t i = 0; i < n; i++)
		bad += got[i] != (char)('a' + i % 26);

	KTEST_EXPECT_EQ(t, sent, TOTAL);
	KTEST_EXPECT_EQ(t, n, TOTAL);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, after.throttled - before.throttled, 1);
	KTEST_EXPECT_EQ(t, after.dropped, before.dropped);
}

/* Nothing sent, nothing read: serial_read() comes back empty-handed
 * once its timeout is over (a hang would stop the suite), and a timeout
 * of 0 only looks. */
static void test_read_times_out(struct ktest *t)
{
	struct serial_input_stats before, after;
	char c = 0;

	serial_input_stats(&before);
	KTEST_EXPECT_EQ(t, serial_read(&c, 1, HZ / 20), 0);
	KTEST_EXPECT_EQ(t, serial_read(&c, 1, 0), 0);
	serial_input_stats(&after);
	KTEST_EXPECT_EQ(t, c, 0);
	KTEST_EXPECT_EQ(t, after.bytes, before.bytes);
}

static struct ktest_case serial_cases[] = {
	KTEST_CASE(test_input_routed),
	KTEST_CASE(test_loopback_by_interrupt),
	KTEST_CASE(test_full_ring_throttles),
	KTEST_CASE(test_read_times_out),
	{}
};
KTEST_SUITE(serial, serial_cases);
