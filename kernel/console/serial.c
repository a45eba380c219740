/*
 * kernel/serial.c - the 16550 UART console on COM1.
 *
 * Many PCs, and most laptops, have no COM1 at all; reading a missing port
 * returns 0xff and waiting for "transmitter empty" would spin for ever.  So
 * serial_init() first probes: the scratch register must hold a value, and
 * in loopback mode a byte sent must come back.  Only then is the console
 * registered.  Every wait for the transmitter is bounded; a port that stops
 * draining is dropped rather than allowed to hang the kernel.
 *
 * Input: the UART raises IRQ 4 when a byte has arrived (IER bit 0, with
 * the receive FIFO's trigger at one byte, and OUT2 set: on a PC that bit
 * connects the UART's interrupt to the line).  The I/O APIC routes IRQ 4
 * to the boot CPU (kernel/apic/io_apic.c, honouring the MADT's
 * overrides); serial_interrupt() moves the bytes into a ring and wakes
 * serial_read().  Where there is no route, serial_read() polls the UART
 * instead, and the boot says so.
 *
 * Register map: PC16550D datasheet, section 8.
 */
#include <kernel/apic.h>
#include <kernel/console.h>
#include <kernel/io.h>
#include <kernel/ioapic.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/traps.h>
#include <kernel/wait.h>

#define COM1		0x3F8
#define UART_THR	0	/* transmit holding (write) */
#define UART_RBR	0	/* receive buffer (read) */
#define UART_IER	1
#define UART_DLL	0	/* divisor latch, with LCR.DLAB */
#define UART_DLM	1
#define UART_FCR	2
#define UART_LCR	3
#define UART_MCR	4
#define UART_LSR	5
#define UART_SCR	7
#define LSR_DR		0x01	/* a received byte is waiting */
#define LSR_OE		0x02	/* overrun: the FIFO was full, a byte lost */
#define LSR_THRE	0x20	/* transmit holding register empty */
#define IER_RDI		0x01	/* interrupt when a byte has arrived */
#define FCR_ON_TRIGGER1	0x07	/* FIFOs on and cleared, RX trigger 1 byte */
#define MCR_NORMAL	0x0F	/* DTR, RTS, OUT1, OUT2 */
#define MCR_LOOP	0x10
#define MCR_RTS		0x02	/* request to send: we can take more */
#define COM1_IRQ	4
#define TX_SPIN_LIMIT	100000
#define RX_RING		SERIAL_RX_RING

static uint16_t port = COM1;
static bool port_dead, port_found;

/* Received bytes: written by serial_interrupt() (or the poll), read by
 * serial_read(); head and tail count bytes ever, modulo 2^32. */
static char rx_ring[RX_RING];
static unsigned int rx_head, rx_tail;
static DEFINE_SPINLOCK(rx_lock);
static DECLARE_WAIT_QUEUE_HEAD(rx_wq);
static bool rx_polled = true;	/* until serial_input_init() routes IRQ 4 */
static bool tx_off;		/* serial_loopback(): output held back */
static bool rx_throttled;	/* the ring is full: the UART keeps the rest */
static struct serial_input_stats rx_stats;

static void serial_putc(char c)
{
	unsigned spins = 0;

	while (!(inb(port + UART_LSR) & LSR_THRE)) {
		if (++spins > TX_SPIN_LIMIT) {
			port_dead = true;
			return;
		}
		cpu_relax();
	}
	outb(port + UART_THR, (uint8_t)c);
}

static void serial_write(struct console *con, const char *s, size_t len)
{
	(void)con;
	if (READ_ONCE(tx_off))
		return;
	for (size_t i = 0; i < len && !port_dead; i++) {
		if (s[i] == '\n')
			serial_putc('\r');
		serial_putc(s[i]);
	}
}

static struct console serial_console = {
	.name = "ttyS0",
	.write = serial_write,
};

static bool uart_probe(uint16_t base)
{
	outb(base + UART_SCR, 0xAE);
	if (inb(base + UART_SCR) != 0xAE)
		return false;

	outb(base + UART_IER, 0x00);	/* no interrupts: we poll */
	outb(base + UART_LCR, 0x80);	/* DLAB on */
	outb(base + UART_DLL, 0x01);	/* 115200 baud */
	outb(base + UART_DLM, 0x00);
	outb(base + UART_LCR, 0x03);	/* 8N1, DLAB off */
	outb(base + UART_FCR, 0xC7);	/* FIFOs on and cleared */
	outb(base + UART_MCR, 0x1E);	/* loopback, to test the chip */
	outb(base + UART_THR, 0xAE);
	for (int i = 0; i < 1000 && !(inb(base + UART_LSR) & 1); i++)
		io_delay();
	if (inb(base + UART_RBR) != 0xAE)
		return false;
	outb(base + UART_MCR, 0x0F);	/* normal: DTR, RTS, OUT1, OUT2 */
	return true;
}

bool serial_init(void)
{
	if (!uart_probe(COM1))
		return false;
	port = COM1;
	port_found = true;
	register_console(&serial_console);
	return true;
}

/*
 * Under rx_lock: the bytes the UART holds into the ring, while it has
 * room.  When it is full the rest stay in the UART (throttled, as
 * Linux's tty throttles): its receive interrupt is masked and RTS
 * dropped, so a sender that honours RTS/CTS waits, and QEMU's UART,
 * whose FIFO is then full, holds back what comes after.  rx_take()
 * unthrottles once there is room.  A byte the UART itself lost (its
 * FIFO overrun, LSR bit 1) is counted as dropped.
 */
static void rx_drain(void)
{
	for (;;) {
		uint8_t lsr = inb(port + UART_LSR);
		char c;

		if (lsr & LSR_OE)
			rx_stats.dropped++;
		if (!(lsr & LSR_DR))
			return;
		if (rx_head - rx_tail == RX_RING) {
			if (!rx_throttled) {
				rx_throttled = true;
				rx_stats.throttled++;
				outb(port + UART_IER, 0);
				outb(port + UART_MCR,
				     inb(port + UART_MCR) & ~MCR_RTS);
			}
			return;
		}
		c = (char)inb(port + UART_RBR);
		rx_ring[rx_head++ % RX_RING] = c;
		rx_stats.bytes++;
		console_input_saw(c);
	}
}

/* Under rx_lock, after taking bytes: the ring has room again. */
static void rx_unthrottle(void)
{
	if (!rx_throttled || rx_head - rx_tail == RX_RING)
		return;
	rx_throttled = false;
	outb(port + UART_MCR, inb(port + UART_MCR) | MCR_RTS);
	if (!rx_polled)
		outb(port + UART_IER, IER_RDI);	/* pending bytes interrupt again */
}

static void serial_interrupt(struct pt_regs *regs)
{
	(void)regs;
	spin_lock(&rx_lock);
	rx_stats.interrupts++;
	rx_drain();
	spin_unlock(&rx_lock);
	apic_eoi();
	wake_up_all(&rx_wq);
	console_input_wake();
}

static struct console_input serial_input;	/* below, with its functions */

void serial_input_init(void)
{
	int err;

	if (!port_found)
		return;
	register_console_input(&serial_input);
	outb(port + UART_FCR, FCR_ON_TRIGGER1);
	err = register_interrupt_handler(ISA_IRQ_VECTOR(COM1_IRQ), serial_interrupt);
	if (!err)
		err = ioapic_route_isa_irq(COM1_IRQ);
	if (err) {
		pr_warn("serial: no interrupt route for ttyS0 (IRQ %u, error %d); input is polled\n",
			COM1_IRQ, err);
		return;
	}
	WRITE_ONCE(rx_polled, false);
	outb(port + UART_IER, IER_RDI);
	pr_info("serial: ttyS0 input by interrupt (IRQ %u)\n", COM1_IRQ);
}

static bool rx_ready(void)
{
	unsigned long flags;
	bool ready;

	flags = spin_lock_irqsave(&rx_lock);
	if (READ_ONCE(rx_polled))
		rx_drain();
	ready = rx_head != rx_tail;
	spin_unlock_irqrestore(&rx_lock, flags);
	return ready;
}

/* What the ring holds, up to len, without waiting. */
static size_t rx_take(char *buf, size_t len)
{
	unsigned long flags;
	size_t n = 0;

	flags = spin_lock_irqsave(&rx_lock);
	while (n < len && rx_tail != rx_head)
		buf[n++] = rx_ring[rx_tail++ % RX_RING];
	if (n)
		rx_unthrottle();
	spin_unlock_irqrestore(&rx_lock, flags);
	return n;
}

size_t serial_read(char *buf, size_t len, long timeout)
{
	if (!port_found || !len)
		return 0;
	if (READ_ONCE(rx_polled)) {
		/* No interrupt: look once a tick. */
		while (!rx_ready() && timeout-- > 0)
			schedule_timeout_uninterruptible(1);
	} else {
		wait_event_timeout(rx_wq, rx_ready(), timeout);
	}
	return rx_take(buf, len);
}

/* ttyS0 as one of the console's inputs (kernel/console/input.c). */
static bool rx_is_polled(void)
{
	return READ_ONCE(rx_polled);
}

static void rx_poll(void)
{
	rx_ready();
}

static struct console_input serial_input = {
	.name = "ttyS0",
	.read = rx_take,
	.polled = rx_is_polled,
	.poll = rx_poll,
};

void serial_input_stats(struct serial_input_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&rx_lock);

	*st = rx_stats;
	st->polled = rx_polled;
	st->present = port_found;
	spin_unlock_irqrestore(&rx_lock, flags);
}

/*
 * Loopback, for the tests: what is sent comes back as input, through the
 * same interrupt as a typed byte, and nothing reaches the wire.  The
 * console's output is held back meanwhile (it would loop back too).
 */
void serial_loopback(bool on)
{
	if (!port_found)
		return;
	if (on) {
		WRITE_ONCE(tx_off, true);
		outb(port + UART_MCR, MCR_NORMAL | MCR_LOOP);
	} else {
		outb(port + UART_MCR, MCR_NORMAL);
		WRITE_ONCE(tx_off, false);
	}
}

bool serial_send_raw(char c)
{
	if (!port_found || port_dead)
		return false;
	serial_putc(c);
	return !port_dead;
}
