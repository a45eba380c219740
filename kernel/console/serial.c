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
 * Register map: PC16550D datasheet, section 8.
 */
#include <kernel/console.h>
#include <kernel/io.h>

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
#define LSR_THRE	0x20	/* transmit holding register empty */
#define TX_SPIN_LIMIT	100000

static uint16_t port = COM1;
static bool port_dead;

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
	register_console(&serial_console);
	return true;
}
