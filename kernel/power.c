/*
 * kernel/power.c - how a run ends.
 *
 * A person at a real PC reads the screen, so by default the kernel does
 * not switch the machine off when it is done: it says so and halts.  The
 * command line asks for more:
 *   poweroff        ACPI soft-off (S5) at the end, as `make run` and the
 *                   tests ask;
 *   isa_debug_exit  under QEMU, report pass/fail/panic through the
 *                   isa-debug-exit device (port 0xf4) so the test harness
 *                   gets a status without parsing anything.
 */
#include <kernel/acpi.h>
#include <kernel/cmdline.h>
#include <kernel/io.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/time.h>

#define QEMU_DEBUG_EXIT_PORT	0xf4

BOOT_PARAM_FLAG(poweroff, "poweroff", "power the machine off (ACPI S5) when the run ends");
BOOT_PARAM_FLAG(isa_debug_exit, "isa_debug_exit", "QEMU only: report the result through isa-debug-exit");

void qemu_debug_exit(int code)
{
	if (isa_debug_exit)
		outl(QEMU_DEBUG_EXIT_PORT, (uint32_t)code);
}

static void __noreturn halt_forever(void)
{
	for (;;) {
		local_irq_disable();
		halt();
	}
}

void machine_panic_halt(void)
{
	qemu_debug_exit(QEMU_EXIT_PANIC);
	halt_forever();
}

void machine_power_off(void)
{
	int err;

	pr_notice("reboot: Power down\n");
	err = acpi_power_off();
	pr_err("reboot: ACPI power-off failed (%d)\n", err);
}

/*
 * Reset, in Linux's order for a PC (arch/x86/kernel/reboot.c): the ACPI
 * reset register, then the 8042's reset line, then the PCI reset
 * control register at 0xCF9, and when nothing has worked a triple fault:
 * an empty IDT, then an exception, which the CPU cannot deliver.
 */
#define I8042_STATUS		0x64
#define I8042_STATUS_IBF	0x02	/* the controller has not read our last byte */
#define I8042_CMD_PULSE_RESET	0xfe
#define PCI_RESET_CONTROL	0xcf9
#define CF9_SYS_RST		0x02
#define CF9_RST_CPU		0x04

static void kbd_pulse_reset(void)
{
	for (int i = 0; i < 10; i++) {
		for (int spin = 0; spin < 1000; spin++) {
			if (!(inb(I8042_STATUS) & I8042_STATUS_IBF))
				break;
			udelay(10);
		}
		outb(I8042_STATUS, I8042_CMD_PULSE_RESET);
		mdelay(50);
	}
}

void machine_restart(void)
{
	struct { uint16_t limit; uint64_t base; } __packed no_idt = { 0, 0 };

	pr_notice("reboot: Restarting system\n");
	acpi_reboot();
	local_irq_disable();
	kbd_pulse_reset();
	outb(PCI_RESET_CONTROL, CF9_SYS_RST);
	udelay(50);
	outb(PCI_RESET_CONTROL, CF9_SYS_RST | CF9_RST_CPU);
	mdelay(100);
	pr_err("reboot: no reset worked; triple fault\n");
	asm volatile("lidt %0; int3" : : "m"(no_idt));
	halt_forever();
}

void machine_finish(bool tests_failed)
{
	if (tests_failed) {
		pr_err("done: some in-kernel tests failed\n");
		qemu_debug_exit(QEMU_EXIT_FAIL);
	}
	if (poweroff) {
		machine_power_off();
		qemu_debug_exit(tests_failed ? QEMU_EXIT_FAIL : QEMU_EXIT_PASS);
	}
	pr_notice("done: halted; the results stay on screen (boot with 'poweroff' to switch off)\n");
	/*
	 * Not halt_forever(): with interrupts off this CPU's tick would stop,
	 * and the other CPUs' watchdog would report it as a hard LOCKUP ten
	 * seconds later, over the results.  kmain sleeps for good instead;
	 * this CPU's idle task runs, ticking, with interrupts on.
	 */
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		schedule();
	}
}
