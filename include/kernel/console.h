/*
 * include/kernel/console.h - where printk's text goes.
 *
 * Each console driver (serial, VGA text, framebuffer) registers a struct
 * console; printk writes every line to each registered one, in order.
 */
#ifndef KERNEL_CONSOLE_H
#define KERNEL_CONSOLE_H

#include <kernel/compiler.h>
#include <kernel/spinlock.h>
#include <kernel/wait.h>

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
#define SERIAL_RX_FIFO	16	/* the 16550's receive FIFO, in bytes */
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
 * driver's struct console_input is its ring of received bytes, filled by
 * its drain() under the input's lock: from the interrupt handler
 * (console_input_interrupt()), and while the driver has no interrupt
 * route (polled), by every reader once a tick.  drain() moves what the
 * hardware holds with console_input_put(), which says when the ring is
 * full; taken() (or NULL) hears that a reader made room.  The lock also
 * guards the driver's own state that drain() touches.
 */
#define CONSOLE_INPUT_RING	256	/* bytes a ring holds (a power of two) */
struct console_input {
	const char *name;
	void (*drain)(struct console_input *in);
	void (*taken)(struct console_input *in);
	bool polled;			/* no interrupt: drained once a tick */
	spinlock_t lock;
	struct wait_queue_head wq;	/* readers of this input alone */
	unsigned int head, tail;	/* bytes ever, modulo 2^32 */
	unsigned long interrupts;	/* console_input_interrupt() calls */
	unsigned long bytes;		/* into the ring */
	char ring[CONSOLE_INPUT_RING];
	struct console_input *next;
};
#define CONSOLE_INPUT_INIT(var, label, drain_fn, taken_fn) {		\
	.name = (label), .drain = (drain_fn), .taken = (taken_fn),	\
	.polled = true, .lock = SPINLOCK_INIT(label),			\
	.wq = __WAIT_QUEUE_HEAD_INITIALIZER((var).wq) }
void register_console_input(struct console_input *in);
/* Under in->lock (drain): one byte into the ring; false when it is full. */
bool console_input_put(struct console_input *in, char c);
/* In the driver's interrupt handler: drain under the lock, wake readers. */
void console_input_interrupt(struct console_input *in);
/* From one input alone, waiting up to timeout ticks for the first byte
 * (the drivers' serial_read() and i8042_read(), for their tests). */
size_t console_input_read(struct console_input *in, char *buf, size_t len,
			  long timeout);
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
