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
bool vga_text_init(void);
bool fbcon_init(void);

/* Raw write to every console, bypassing levels (panic, backtraces). */
void console_write(const char *s, size_t len);

#endif
