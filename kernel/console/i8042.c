/*
 * kernel/console/i8042.c - the PS/2 keyboard, through the 8042 keyboard
 * controller: the console's second input, beside ttyS0.
 *
 * The 8042 was a microcontroller on the IBM PC/AT's board; today the
 * chipset or the embedded controller plays it, and on many PCs without
 * a PS/2 socket the firmware plays it for a USB keyboard ("legacy USB
 * support"), until an OS takes the USB controller over.  Two ports:
 *
 *	0x60  data: read, a byte from the keyboard or a command's answer;
 *	      written, a byte for the keyboard or a command's parameter
 *	0x64  read: status (bit 0: a byte waits at 0x60; bit 1: the
 *	      controller has not taken our last byte yet; bit 5: the byte
 *	      is from port 2, the mouse); written: a controller command
 *
 * The probe (i8042_init(), once, interrupts off and before the timer,
 * so every wait is a counted loop of udelay(); none is unbounded):
 *
 *   1. Flush the output buffer.  Reading a port nobody answers gives
 *      0xff, whose bit 0 says "a byte waits" for ever: after 16 bytes
 *      (the most a controller holds) the flush gives up, and a machine
 *      without an 8042 gets one line, "i8042: no controller".
 *   2. Disable both ports (0xAD, 0xA7), so what the keyboard sends does
 *      not mix with the answers; flush again.
 *   3. The configuration byte (0x20 reads it, 0x60 writes it): both
 *      interrupts off while we work.
 *   4. Self-test (0xAA: 0x55 is a pass), the configuration written
 *      again (the test resets it on some chips), port 1 test (0xAB:
 *      0x00 is a pass).
 *   5. Port 1 on and translation on (configuration bit 6): the keyboard
 *      speaks scan code set 2, and the controller turns it into set 1,
 *      the IBM PC/XT's codes that kernel/console/keymap.c decodes.  The
 *      byte is read back: a controller that does not keep bit 6 (some
 *      do not), or the command line's i8042.direct, asks the keyboard
 *      for set 1 itself (0xF0 0x01) and checks it (0xF0 0x00).  A
 *      keyboard that refuses as well gets no input: decoding set 2 is
 *      left undone.
 *   6. The keyboard: reset (0xFF: ACK, then 0xAA once its own self-test
 *      passed), typematic delay and rate (0xF3: 500 ms, 20.7 a second:
 *      held keys repeat their make code, and so their character), the
 *      Num Lock LED (0xED), scanning on (0xF4).
 *   7. IRQ 1, as for ttyS0 (kernel/console/serial.c): the handler on
 *      vector ISA_IRQ_VECTOR(1), the I/O APIC's route with the MADT's
 *      overrides, then the port 1 interrupt bit in the configuration.
 *      Without a route the input is polled, once a tick, and the boot
 *      says so.
 *
 * The FADT's IA-PC boot flags (acpi_i8042_present()) say whether the
 * machine has an 8042.  It is advice only: firmware gets it wrong both
 * ways (a flag left clear on a laptop with a working keyboard; a flag
 * set where the 8042 was removed), so the probe always runs, and the
 * boot line names the FADT where the two disagree.
 *
 * i8042_interrupt() reads every byte the controller holds, feeds each
 * to the decoder and puts what it sends in a ring that the console's
 * input (kernel/console/input.c) reads; the lock keys' LEDs follow
 * their state, one command at a time, from the same handler.
 *
 * References: IBM PC/AT Technical Reference (1984), "Keyboard
 * Controller"; IBM PS/2 Hardware Interface Technical Reference,
 * "Keyboard and Auxiliary Device Controller"; Microsoft's "Keyboard
 * Scan Code Specification" 1.3a for the keyboard's commands.
 */
#include <kernel/acpi.h>
#include <kernel/apic.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/ioapic.h>
#include <kernel/keymap.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>
#include <kernel/traps.h>
#include <kernel/wait.h>

#define I8042_DATA		0x60
#define I8042_STATUS		0x64	/* read */
#define I8042_COMMAND		0x64	/* written */

#define STR_OBF			0x01	/* a byte waits at 0x60 */
#define STR_IBF			0x02	/* ours not taken yet */
#define STR_AUXDATA		0x20	/* it is from port 2 */

#define CMD_CTR_READ		0x20
#define CMD_CTR_WRITE		0x60
#define CMD_AUX_DISABLE		0xa7
#define CMD_SELF_TEST		0xaa
#define CMD_KBD_TEST		0xab
#define CMD_KBD_DISABLE		0xad
#define CMD_KBD_ENABLE		0xae
#define CMD_WRITE_KBD_OUTPUT	0xd2	/* as if the keyboard sent it */

#define CTR_KBDINT		0x01	/* IRQ 1 when port 1 has a byte */
#define CTR_AUXINT		0x02	/* IRQ 12 when port 2 has one */
#define CTR_KBDDIS		0x10	/* port 1's clock held off */
#define CTR_AUXDIS		0x20
#define CTR_XLATE		0x40	/* set 2 translated to set 1 */

#define SELF_TEST_PASSED	0x55
#define PORT_TEST_PASSED	0x00

#define KBD_SET_LEDS		0xed
#define KBD_SCAN_CODE_SET	0xf0
#define KBD_TYPEMATIC		0xf3
#define KBD_ENABLE_SCANNING	0xf4
#define KBD_RESET		0xff
#define KBD_ACK			0xfa
#define KBD_RESEND		0xfe
#define KBD_BAT_PASSED		0xaa	/* its self-test passed */
#define KBD_SEND_TRIES		3

/* 0xF3's byte: bits 6-5 the delay (01: 500 ms), bits 4-0 the rate
 * (0x04: 20.7 characters a second). */
#define TYPEMATIC		0x24
#define TYPEMATIC_TEXT		"repeat 20.7/s after 500 ms"

#define KBD_IRQ			1
#define POLL_US			50
/* The waits: an answer from the controller (as long as Linux waits); a
 * keyboard's self-test after reset (up to about 750 ms); the LED bytes
 * the interrupt handler sends (short).  A flush reads at most what a
 * controller holds, and one interrupt at most DRAIN_LIMIT bytes, so a
 * status bit stuck at 1 cannot hold the CPU. */
#define CTL_TIMEOUT_US		500000
#define RESET_TIMEOUT_US	1000000
#define LED_WRITE_TIMEOUT_US	1000
#define FLUSH_LIMIT		16
#define DRAIN_LIMIT		64
#define LED_FAILURES_MAX	3

BOOT_PARAM_FLAG(i8042_direct, "i8042.direct",
		"PS/2 keyboard: no translation by the 8042; the keyboard is "
		"put in scan code set 1 (Linux's i8042.direct)");

/* What the keyboard sent, decoded: one of the console's inputs
 * (kernel/console/input.c), filled by rx_drain() from i8042_interrupt()
 * (or, polled, by its readers).  Its lock (rx_lock below) also guards
 * the counters, the decoder, the LEDs and every exchange with the
 * controller once the keyboard is registered. */
static void rx_drain(struct console_input *in);
static struct console_input i8042_input =
	CONSOLE_INPUT_INIT(i8042_input, "i8042", rx_drain, NULL);
#define rx_lock (i8042_input.lock)
static struct i8042_stats rx_stats;
static struct keymap_state keymap;

/* The LEDs, under rx_lock: 0xED sent, its ACK awaited; then the LED
 * byte sent, its ACK awaited; then what they show is what we sent. */
static enum { LEDS_IDLE, LEDS_COMMAND_SENT, LEDS_VALUE_SENT } leds_step;
static uint8_t leds_shown, leds_sending;
static unsigned int leds_failures;

/* ---- the controller, polled ---------------------------------------- */

/* Until the controller can take a byte (the input buffer is empty). */
static bool wait_write(unsigned long timeout_us)
{
	for (unsigned long us = 0; us < timeout_us; us += POLL_US) {
		if (!(inb(I8042_STATUS) & STR_IBF))
			return true;
		udelay(POLL_US);
	}
	return false;
}

/* Until a byte from the controller or port 1 waits (a mouse's: dropped). */
static bool read_byte(uint8_t *byte, unsigned long timeout_us)
{
	for (unsigned long us = 0; us < timeout_us; us += POLL_US) {
		uint8_t status = inb(I8042_STATUS);

		if (status & STR_OBF) {
			*byte = inb(I8042_DATA);
			if (!(status & STR_AUXDATA))
				return true;
			continue;
		}
		udelay(POLL_US);
	}
	return false;
}

/* Everything the controller holds; false if it never empties. */
static bool flush(void)
{
	for (int n = 0; n < FLUSH_LIMIT; n++) {
		if (!(inb(I8042_STATUS) & STR_OBF))
			return true;
		inb(I8042_DATA);
		udelay(POLL_US);
	}
	return false;
}

/* A controller command; its answer in *reply when reply is not NULL. */
static int ctl_command(uint8_t cmd, uint8_t *reply)
{
	if (!wait_write(CTL_TIMEOUT_US))
		return -ETIMEDOUT;
	outb(I8042_COMMAND, cmd);
	if (reply && !read_byte(reply, CTL_TIMEOUT_US))
		return -ETIMEDOUT;
	return 0;
}

/* A controller command with one parameter byte. */
static int ctl_command_param(uint8_t cmd, uint8_t param)
{
	if (!wait_write(CTL_TIMEOUT_US))
		return -ETIMEDOUT;
	outb(I8042_COMMAND, cmd);
	if (!wait_write(CTL_TIMEOUT_US))
		return -ETIMEDOUT;
	outb(I8042_DATA, param);
	return 0;
}

static int ctr_write(uint8_t ctr)
{
	return ctl_command_param(CMD_CTR_WRITE, ctr);
}

/* A byte to the keyboard: 0 once it ACKs, -EIO if it refuses (after
 * KBD_SEND_TRIES resends), -ETIMEDOUT if it says nothing. */
static int kbd_send(uint8_t byte)
{
	for (int tries = 0; tries < KBD_SEND_TRIES; tries++) {
		uint8_t reply;

		if (!wait_write(CTL_TIMEOUT_US))
			return -ETIMEDOUT;
		outb(I8042_DATA, byte);
		if (!read_byte(&reply, CTL_TIMEOUT_US))
			return -ETIMEDOUT;
		if (reply == KBD_ACK)
			return 0;
		if (reply != KBD_RESEND)
			return -EIO;
	}
	return -EIO;
}

static int kbd_send_param(uint8_t cmd, uint8_t param)
{
	int err = kbd_send(cmd);

	return err ? err : kbd_send(param);
}

/*
 * Steps 1 to 5: 0 with the controller ready and *ctr its configuration
 * (port 1 on, interrupts off), -ENODEV when nothing answers (and nothing
 * printed: the caller's line says so), -EIO after a line saying what
 * failed.
 */
static int controller_probe(uint8_t *ctr)
{
	uint8_t reply;

	if (!flush())
		return -ENODEV;
	if (ctl_command(CMD_KBD_DISABLE, NULL) ||
	    ctl_command(CMD_AUX_DISABLE, NULL))
		return -ENODEV;
	if (!flush())
		return -ENODEV;
	if (ctl_command(CMD_CTR_READ, ctr))
		return -ENODEV;
	*ctr &= (uint8_t)~(CTR_KBDINT | CTR_AUXINT | CTR_XLATE);
	*ctr |= CTR_KBDDIS | CTR_AUXDIS;
	if (ctr_write(*ctr))
		return -ENODEV;

	if (ctl_command(CMD_SELF_TEST, &reply))
		return -ENODEV;
	if (reply != SELF_TEST_PASSED) {
		pr_err("i8042: controller self-test failed (0x%02x, want 0x%02x); no keyboard\n",
		       reply, SELF_TEST_PASSED);
		return -EIO;
	}
	rx_stats.self_test = reply;
	if (ctr_write(*ctr) || ctl_command(CMD_KBD_TEST, &reply))
		return -ENODEV;
	rx_stats.port_test = reply;
	if (reply != PORT_TEST_PASSED) {
		pr_err("i8042: port 1 test failed (0x%02x, want 0x%02x); no keyboard\n",
		       reply, PORT_TEST_PASSED);
		return -EIO;
	}

	*ctr &= (uint8_t)~CTR_KBDDIS;
	if (!i8042_direct)
		*ctr |= CTR_XLATE;
	if (ctr_write(*ctr) || ctl_command(CMD_CTR_READ, &reply))
		return -ENODEV;
	rx_stats.translated = reply & CTR_XLATE;
	*ctr = reply;
	return 0;
}

/* Step 6.  How the keyboard came up, in words, for the boot line; NULL
 * when it cannot give us set 1 (then it is of no use to us). */
static const char *keyboard_init(void)
{
	uint8_t reply;
	int err;

	if (ctl_command(CMD_KBD_ENABLE, NULL))
		return NULL;
	err = kbd_send(KBD_RESET);
	if (!err && (!read_byte(&reply, RESET_TIMEOUT_US) ||
		     reply != KBD_BAT_PASSED))
		err = -EIO;
	if (err)
		pr_warn("i8042: port 1: the keyboard did not pass its reset (error %d); reading it anyway\n",
			err);
	if (!rx_stats.translated) {
		/* Set 1 from the keyboard itself, and asked back. */
		if (kbd_send_param(KBD_SCAN_CODE_SET, 1) ||
		    kbd_send_param(KBD_SCAN_CODE_SET, 0) ||
		    !read_byte(&reply, CTL_TIMEOUT_US) || reply != 1) {
			pr_err("i8042: the controller does not translate%s and the keyboard refuses scan code set 1; no keyboard input\n",
			       i8042_direct ? " (i8042.direct)" : "");
			return NULL;
		}
	}
	if (kbd_send_param(KBD_TYPEMATIC, TYPEMATIC))
		pr_warn("i8042: the keyboard refused its typematic rate; its own default stays\n");
	leds_shown = keymap_leds(&keymap);
	if (kbd_send_param(KBD_SET_LEDS, leds_shown))
		leds_shown = 0;
	kbd_send(KBD_ENABLE_SCANNING);
	flush();
	if (rx_stats.translated)
		return "scan code set 2, translated to set 1 by the controller";
	if (i8042_direct)
		return "scan code set 1 (i8042.direct: the controller does not translate)";
	return "scan code set 1 (the controller would not translate)";
}

/* ---- input, from the interrupt (or the poll) ------------------------ */

/* Under rx_lock, from the handler: a byte to the keyboard if the
 * controller takes it soon. */
static bool kbd_write_nowait(uint8_t byte)
{
	if (!wait_write(LED_WRITE_TIMEOUT_US))
		return false;
	outb(I8042_DATA, byte);
	return true;
}

/* An answer to the LED commands, taken here; false: not one of ours. */
static bool leds_reply(uint8_t code)
{
	if (leds_step == LEDS_IDLE || (code != KBD_ACK && code != KBD_RESEND))
		return false;
	if (code == KBD_RESEND) {
		leds_failures++;
		leds_step = LEDS_IDLE;
	} else if (leds_step == LEDS_COMMAND_SENT) {
		leds_step = kbd_write_nowait(leds_sending) ? LEDS_VALUE_SENT :
							     LEDS_IDLE;
	} else {
		leds_shown = leds_sending;
		leds_step = LEDS_IDLE;
	}
	return true;
}

/* The LEDs behind the lock keys' state: one command under way at most,
 * and a keyboard that keeps refusing is left alone. */
static void leds_update(void)
{
	uint8_t want = keymap_leds(&keymap);

	if (leds_step != LEDS_IDLE || want == leds_shown ||
	    leds_failures >= LED_FAILURES_MAX)
		return;
	leds_sending = want;
	if (kbd_write_nowait(KBD_SET_LEDS))
		leds_step = LEDS_COMMAND_SENT;
	else
		leds_failures++;
}

static void rx_decode(struct console_input *in, uint8_t code)
{
	char out[KEYMAP_MAX_OUT];
	int n = keymap_feed(&keymap, code, out);

	if (n == KEYMAP_UNKNOWN) {
		rx_stats.unknown++;
		return;
	}
	for (int i = 0; i < n; i++)
		if (!console_input_put(in, out[i]))
			rx_stats.dropped++;	/* nobody reads: the oldest stay */
}

/* The input's drain(), under rx_lock: every byte the controller holds. */
static void rx_drain(struct console_input *in)
{
	for (int n = 0; n < DRAIN_LIMIT; n++) {
		uint8_t status = inb(I8042_STATUS), code;

		if (!(status & STR_OBF))
			break;
		code = inb(I8042_DATA);
		if (status & STR_AUXDATA)
			continue;	/* a mouse: not ours */
		rx_stats.scancodes++;
		if (!leds_reply(code))
			rx_decode(in, code);
	}
	leds_update();
}

static void i8042_interrupt(struct pt_regs *regs)
{
	(void)regs;
	console_input_interrupt(&i8042_input);
	apic_eoi();
}

void i8042_init(void)
{
	int fadt = acpi_i8042_present();
	const char *how;
	uint8_t ctr;
	int err;

	keymap_init(&keymap);
	err = controller_probe(&ctr);
	if (err == -ENODEV)
		pr_info("i8042: no controller%s\n",
			fadt == 1 ? " (the FADT says there is one)" : "");
	if (err)
		return;
	rx_stats.present = true;
	/* The details at debug level, which the default loglevel=7 shows
	 * and loglevel=6 keeps off a crowded screen; a FADT that says
	 * otherwise is worth a warning. */
	if (fadt == 0)
		pr_warn("i8042: controller at 0x60/0x64: self-test passed, port 1 passed (the FADT says there is none)\n");
	else
		pr_debug("i8042: controller at 0x60/0x64: self-test passed, port 1 passed\n");
	how = keyboard_init();
	if (!how)
		return;
	pr_debug("i8042: keyboard on port 1: %s, " TYPEMATIC_TEXT "\n", how);

	err = register_interrupt_handler(ISA_IRQ_VECTOR(KBD_IRQ),
					 i8042_interrupt);
	if (!err)
		err = ioapic_route_isa_irq(KBD_IRQ);
	if (!err) {
		ctr |= CTR_KBDINT;
		err = ctr_write(ctr);
	}
	rx_stats.ctr = ctr;
	rx_stats.keyboard = true;
	/* After ttyS0: console_inputs() lists the newest first. */
	register_console_input(&i8042_input);
	if (err) {
		pr_warn("i8042: no interrupt route for the keyboard (IRQ %u, error %d); input is polled\n",
			KBD_IRQ, err);
		return;
	}
	WRITE_ONCE(i8042_input.polled, false);
	pr_info("i8042: keyboard input by interrupt (IRQ %u), configuration 0x%02x\n",
		KBD_IRQ, ctr);
}

/* ---- for the tests and reports -------------------------------------- */

void i8042_input_stats(struct i8042_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&rx_lock);

	*st = rx_stats;
	st->interrupts = i8042_input.interrupts;
	st->bytes = i8042_input.bytes;
	st->polled = i8042_input.polled;
	spin_unlock_irqrestore(&rx_lock, flags);
}

size_t i8042_read(char *buf, size_t len, long timeout)
{
	if (!rx_stats.keyboard)
		return 0;
	return console_input_read(&i8042_input, buf, len, timeout);
}

/*
 * The configuration byte as the controller has it now.  Its answer
 * would raise IRQ 1: under rx_lock the handler (on whichever CPU) waits
 * for us, then finds nothing.
 */
int i8042_read_config(uint8_t *ctr)
{
	unsigned long flags;
	int err;

	if (!rx_stats.present)
		return -ENODEV;
	flags = spin_lock_irqsave(&rx_lock);
	err = ctl_command(CMD_CTR_READ, ctr);
	spin_unlock_irqrestore(&rx_lock, flags);
	return err;
}

/*
 * One byte into the controller's output buffer as if the keyboard had
 * sent it (command 0xD2), then wait until the handler (or the poll) has
 * read it: the whole input path, with nobody at the keyboard.  QEMU does
 * not translate such a byte; some real controllers may.
 */
bool i8042_send_as_keyboard(uint8_t code)
{
	unsigned long flags, before;
	int err;

	if (!rx_stats.keyboard)
		return false;
	flags = spin_lock_irqsave(&rx_lock);
	before = rx_stats.scancodes;
	err = ctl_command_param(CMD_WRITE_KBD_OUTPUT, code);
	spin_unlock_irqrestore(&rx_lock, flags);
	for (unsigned long us = 0; !err && us < CTL_TIMEOUT_US; us += POLL_US) {
		if (READ_ONCE(i8042_input.polled)) {
			flags = spin_lock_irqsave(&rx_lock);
			rx_drain(&i8042_input);
			spin_unlock_irqrestore(&rx_lock, flags);
		}
		if (READ_ONCE(rx_stats.scancodes) != before)
			return true;
		udelay(POLL_US);
	}
	return false;
}
