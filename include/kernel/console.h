/*
 * include/kernel/console.h - where printk's text goes.
 *
 * Each console driver (serial, VGA text, framebuffer) registers a struct
 * console; printk writes every line to each registered one, in order.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/compiler.h>

struct console {
	const char *name;
	void (*write)(struct console *con, const char *s, size_t len);
	struct console *next;
};

void register_console(struct console *con);

/* Drivers, each probing for its hardware; false when there is none. */
bool serial_init(void);
/* Input from ttyS0 (kernel/console/serial.c): by IRQ 4 through the I/O
 * APIC, else polled.  serial_read() waits up to timeout ticks for a byte
 * and returns how many it copied (0: none came). */
void serial_input_init(void);
#define SERIAL_RX_RING	256	/* bytes the ring holds (a power of two) */
#define SERIAL_RX_FIFO	16	/* and the 16550's receive FIFO */
size_t serial_read(char *buf, size_t len, long timeout);
struct serial_input_stats {
	unsigned long interrupts;	/* serial_interrupt() calls */
	unsigned long bytes;		/* into the ring */
	unsigned long dropped;		/* lost by the UART (FIFO overrun) */
	unsigned long throttled;	/* times the ring filled: input held back */
	bool polled;			/* no interrupt route */
	bool present;			/* a 16550 answered at boot */
};
void serial_input_stats(struct serial_input_stats *st);
/* Tests: the UART in loopback (output held back), one byte out raw. */
void serial_loopback(bool on);
bool serial_send_raw(char c);
/* The PS/2 keyboard (kernel/console/i8042.c): probed with timeouts,
 * then an input by IRQ 1 through the I/O APIC, else polled. */
void i8042_init(void);
struct i8042_stats {
	unsigned long interrupts;	/* i8042_interrupt() calls */
	unsigned long scancodes;	/* bytes from the keyboard */
	unsigned long bytes;		/* what they decoded to, into the ring */
	unsigned long dropped;		/* the ring was full */
	unsigned long unknown;		/* scan codes the keymap does not know */
	bool present;			/* a controller passed its self-test */
	bool keyboard;			/* registered as an input */
	bool polled;			/* no interrupt route */
	bool translated;		/* set 2 -> set 1 by the controller */
	uint8_t self_test, port_test;	/* their answers (0x55, 0x00) */
	uint8_t ctr;			/* the configuration byte we wrote */
};
void i8042_input_stats(struct i8042_stats *st);
/* Tests: decoded bytes, waiting up to timeout ticks for the first; the
 * controller's configuration now; a byte as if the keyboard sent it. */
size_t i8042_read(char *buf, size_t len, long timeout);
int i8042_read_config(uint8_t *ctr);
bool i8042_send_as_keyboard(uint8_t code);
/*
 * Input, from every driver as one stream (kernel/console/input.c).  A
 * driver fills its own ring from its interrupt handler, passing each
 * byte to console_input_saw() and then calling console_input_wake().
 * read() takes what the ring holds without waiting; polled() is true
 * when the driver has no interrupt, and then poll() moves what the
 * hardware holds into the ring (console_read() calls it once a tick).
 */
struct console_input {
	const char *name;
	size_t (*read)(char *buf, size_t len);
	bool (*polled)(void);
	void (*poll)(void);
	struct console_input *next;
};
void register_console_input(struct console_input *in);
void console_input_saw(char c);
void console_input_wake(void);
/* Up to len bytes from any source, waiting up to timeout ticks for the
 * first (0: none came). */
size_t console_read(char *buf, size_t len, long timeout);
/* Did a Ctrl-C arrive since the last call?  (A long command's check.) */
bool console_interrupted(void);
/* How many sources; their names ("ttyS0, i8042 (polled)") in names. */
unsigned int console_inputs(char *names, size_t size);
bool vga_text_init(void);
bool fbcon_init(void);

/*
 * A live panel over the whole framebuffer console (kernel/console/
 * fbcon.c), for the storm's view: while it is open the log keeps its
 * text but is not drawn; closing it draws the log again.  false (and
 * nothing happens) without a framebuffer console.
 */
enum panel_colour {
	PANEL_GREY, PANEL_WHITE, PANEL_CYAN, PANEL_YELLOW, PANEL_MAGENTA,
	PANEL_BLUE, PANEL_GREEN, PANEL_RED, PANEL_BROWN, PANEL_NR_COLOURS,
};
bool console_panel_open(unsigned int *cols, unsigned int *rows);
void console_panel_text(unsigned int row, unsigned int col, const char *text,
			enum panel_colour colour, bool inverse);
void console_panel_close(void);

/* Raw write to every console, bypassing levels (panic, backtraces). */
void console_write(const char *s, size_t len);

#endif
