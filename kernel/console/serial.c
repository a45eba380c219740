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
 * overrides); serial_interrupt() moves the bytes into ttyS0's ring, one
 * of the console's inputs (kernel/console/input.c), and wakes its
 * readers.  Where there is no route, the readers poll the UART instead,
 * and the boot says so.
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

static uint16_t port = COM1;
static bool port_dead, port_found;

static bool tx_off;		/* serial_loopback(): output held back */
/* Under serial_input.lock: */
static bool rx_throttled;	/* the ring is full: the UART keeps the rest */
static unsigned long rx_dropped, rx_throttles;

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
 * ttyS0's drain(), under its input's lock: the bytes the UART holds into
 * the ring, while it has room.  When it is full the rest stay in the
 * UART (throttled, as Linux's tty throttles): its receive interrupt is
 * masked and RTS dropped, so a sender that honours RTS/CTS waits, and
 * QEMU's UART, whose FIFO is then full, holds back what comes after.
 * rx_unthrottle() undoes it once a reader has made room.  A byte the
 * UART itself lost (its FIFO overrun, LSR bit 1) is counted as dropped.
 */
static void rx_drain(struct console_input *in)
{
	for (;;) {
		uint8_t lsr = inb(port + UART_LSR);

		if (lsr & LSR_OE)
			rx_dropped++;
		if (!(lsr & LSR_DR))
			return;
		if (in->head - in->tail == CONSOLE_INPUT_RING) {
			if (!rx_throttled) {
				rx_throttled = true;
				rx_throttles++;
				outb(port + UART_IER, 0);
				outb(port + UART_MCR,
				     inb(port + UART_MCR) & ~MCR_RTS);
			}
			return;
		}
		console_input_put(in, (char)inb(port + UART_RBR));
	}
}

/* Under the lock, after a reader took bytes: the ring has room again. */
static void rx_unthrottle(struct console_input *in)
{
	if (!rx_throttled)
		return;
	rx_throttled = false;
	outb(port + UART_MCR, inb(port + UART_MCR) | MCR_RTS);
	if (!in->polled)
		outb(port + UART_IER, IER_RDI);	/* pending bytes interrupt again */
}

static struct console_input serial_input =
	CONSOLE_INPUT_INIT(serial_input, "ttyS0", rx_drain, rx_unthrottle);

static void serial_interrupt(struct pt_regs *regs)
{
	(void)regs;
	console_input_interrupt(&serial_input);
	apic_eoi();
}

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
	WRITE_ONCE(serial_input.polled, false);
	outb(port + UART_IER, IER_RDI);
	pr_info("serial: ttyS0 input by interrupt (IRQ %u)\n", COM1_IRQ);
}

size_t serial_read(char *buf, size_t len, long timeout)
{
	if (!port_found)
		return 0;
	return console_input_read(&serial_input, buf, len, timeout);
}

void serial_input_stats(struct serial_input_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&serial_input.lock);

	st->interrupts = serial_input.interrupts;
	st->bytes = serial_input.bytes;
	st->dropped = rx_dropped;
	st->throttled = rx_throttles;
	st->polled = serial_input.polled;
	st->present = port_found;
	spin_unlock_irqrestore(&serial_input.lock, flags);
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
