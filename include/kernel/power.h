/* include/kernel/power.h - the end of a run: power off, halt, QEMU exit. */
#ifndef KERNEL_POWER_H
#define KERNEL_POWER_H

#include <kernel/compiler.h>

/*
 * QEMU's isa-debug-exit device (iobase 0xf4): writing v makes QEMU exit
 * with status (v << 1) | 1.  Used only when the command line says
 * "isa_debug_exit", so real machines never see the port write.
 */
#define QEMU_EXIT_PASS		0x10	/* QEMU exit status 33 */
#define QEMU_EXIT_FAIL		0x11	/* QEMU exit status 35 */
#define QEMU_EXIT_PANIC		0x12	/* QEMU exit status 37 */

void qemu_debug_exit(int code);
extern bool poweroff, isa_debug_exit;	/* the command line's flags */

/* ACPI S5 soft-off; returns only if it did not work. */
void machine_power_off(void);
/* Reset the machine: ACPI, 8042, 0xCF9, triple fault; does not return. */
void machine_restart(void) __noreturn;
/* After a panic: tell QEMU if asked, then stop this CPU for good. */
void machine_panic_halt(void) __noreturn;
/* The end of kmain: power off when asked, else leave the screen readable. */
void machine_finish(bool tests_failed) __noreturn;

#endif
