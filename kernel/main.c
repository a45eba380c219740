/*
 * kernel/main.c - kmain(), the table of contents of the kernel.
 *
 * boot/multiboot2.asm arrives here in 64-bit mode on the boot stack, with
 * the boot page tables (first 4 GiB identity mapped, kernel in the top
 * 2 GiB).  Each line below brings up one piece; the order matters and the
 * comments say why.
 */
#include <kernel/acpi.h>
#include <kernel/apic.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/initrd.h>
#include <kernel/ioapic.h>
#include <kernel/line.h>
#include <kernel/ktest.h>
#include <kernel/madt.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/traps.h>
#include <kernel/version.h>

#define MULTIBOOT2_BOOTLOADER_MAGIC 0x36d76289

struct boot_info boot_info;

/*
 * Copy GRUB's information out while the boot identity map still reaches
 * it.  Without it we cannot know where memory is, so a bad magic stops.
 */
static void boot_info_init(uint32_t magic, uint64_t mbi_phys)
{
	const char *err;
	uint32_t total;

	if (magic != MULTIBOOT2_BOOTLOADER_MAGIC)
		panic("boot: not started by a multiboot2 loader (magic %#x)",
		      magic);
	if (mbi_phys == 0 || mbi_phys >= (4ULL << 30) - 16)
		panic("boot: boot information at %#lx is out of reach",
		      (unsigned long)mbi_phys);
	boot_info.mbi_phys = mbi_phys;
	memcpy(&total, (const void *)mbi_phys, sizeof(total));
	if (mb2_parse((const void *)mbi_phys, total, &boot_info, &err))
		pr_err("boot: multiboot2 information: %s (using what came before)\n",
		       err);
}

static unsigned int usable_cpu_count(void)
{
	unsigned int count;

	acpi_usable_cpus(&count);
	return count ? count : 1;
}

/*
 * Stage two of kmain(): what the command line asks for, in this order,
 * each a function named <what>_run_requested() that does nothing unless
 * asked and returns < 0 when something it checked failed.  The storm
 * comes first, on the freshly booted machine (it runs unless storm=off);
 * the tests after it, on what the storm left; the statistics then count
 * both; a crash, which does not come back; and the monitor, in place of
 * the wait at the end, until its `exit`.
 */
static const struct {
	const char *what;
	int (*run)(void);
} workloads[] = {
	{ "storm= (every CPU loads the same modules, as udev did)", storm_run_requested },
	{ "ktest= (in-kernel KTAP suites)", ktest_run_requested },
	{ "percpu_stats (the per-CPU allocator's figures)", pcpu_stats_run_requested },
	{ "module_stats (the loader's figures, Linux's names)", mod_stats_run_requested },
	{ "params (every boot parameter: default and value)", boot_params_run_requested },
	{ "crash= (fault on purpose, to show the reports)", crash_run_requested },
	{ "monitor (a command prompt on the serial line)", monitor_run_requested },
};

/* True when any of them failed: machine_finish() reports it. */
static noinline bool run_workloads(void)
{
	bool failed = false;

	for (size_t i = 0; i < ARRAY_SIZE(workloads); i++)
		if (workloads[i].run() < 0)
			failed = true;
	return failed;
}

/*
 * How long bring-up took, phase by phase: the TSC at the end of each
 * (it counts from power-on; the clock that turns cycles into time is
 * calibrated only half-way, in tsc_init(), so cycles are kept and
 * converted at the end).  One line, after the last phase:
 *
 *	boot: bring-up 166.4 ms from kmain: early 1.0, memory 28.6, ...
 */
#define BOOT_PHASES_MAX	16

static struct {
	const char *what;
	uint64_t tsc;
} boot_phases[BOOT_PHASES_MAX];
static unsigned int nr_boot_phases;
static uint64_t boot_tsc;

static void boot_phase(const char *what)
{
	if (nr_boot_phases < BOOT_PHASES_MAX) {
		boot_phases[nr_boot_phases].what = what;
		boot_phases[nr_boot_phases].tsc = tsc_read();
		nr_boot_phases++;
	}
}

/* Tenths of a millisecond, as "12.3". */
static int fmt_ms(char *buf, size_t size, uint64_t cycles)
{
	uint64_t us = tsc_cycles_to_ns(cycles) / 1000;

	return snprintf(buf, size, "%llu.%llu", (unsigned long long)(us / 1000),
			(unsigned long long)(us % 1000 / 100));
}

static void boot_phases_report(void)
{
	char line[400], total[24];
	uint64_t prev = boot_tsc;
	size_t n = 0;

	for (unsigned int i = 0; i < nr_boot_phases && n < sizeof(line); i++) {
		n += snprintf(line + n, sizeof(line) - n, "%s%s ", i ? ", " : "",
			      boot_phases[i].what);
		if (n < sizeof(line))
			n += fmt_ms(line + n, sizeof(line) - n,
				    boot_phases[i].tsc - prev);
		prev = boot_phases[i].tsc;
	}
	fmt_ms(total, sizeof(total), prev - boot_tsc);
	/* At debug level, which the default loglevel=7 shows: loglevel=6
	 * keeps it off a crowded screen (the UEFI one has no row left). */
	pr_debug("boot: bring-up %s ms from kmain: %s (ms)\n", total, line);
}

void kmain(uint32_t magic, uint64_t mbi_phys)
{
	boot_tsc = tsc_mark_boot();	/* time zero, for printk's timestamps */
	/* The serial port first: the earliest place anything can be said. */
	serial_init();
	/* GRUB's tags, copied before anything can overwrite them. */
	boot_info_init(magic, mbi_phys);
	/* The command line decides log level and much of what follows. */
	kernel_cmdline_init(boot_info.cmdline);
	boot_phase("early");

	printk(KERN_NOTICE "%s version %s (%s) #%s\n", KERNEL_NAME,
	       KERNEL_VERSION, KERNEL_COMPILER, KERNEL_BUILD);
	pr_info("boot: loader '%s', %s firmware, cmdline '%s'\n",
		boot_info.loader_name[0] ? boot_info.loader_name : "unknown",
		boot_info.efi ? "UEFI" : "BIOS", boot_info.cmdline);
	kernel_cmdline_report_unknown();
	/* Fair or test-and-set spinlocks: before any other CPU runs. */
	spinlock_init();

	/* Exceptions next, so a mistake in what follows is reported. */
	trap_init();

	/* Physical pages, our own page tables, kmalloc, the module area. */
	mm_init(&boot_info);
	boot_phase("memory");

	/* Screens: needs the framebuffer mapped, so after mm_init. */
	if (!fbcon_init())
		vga_text_init();
	boot_phase("screens");

	/* ACPI tables: for power-off now, for the CPUs later. */
	acpi_init(&boot_info);
	boot_phase("ACPI");

	/* PICs masked, local APIC on; reads the CPU list from the MADT. */
	apic_init();
	/* Every I/O APIC pin masked; then the serial line's IRQ 4 routed,
	 * so typed characters arrive as interrupts. */
	ioapic_init();
	serial_input_init();
	/* The PS/2 keyboard: probed with timeouts, IRQ 1 routed likewise. */
	i8042_init();
	/* Every AP to "wait for SIPI" now, not spinning in firmware. */
	smp_park_aps();
	boot_phase("APIC");
	/* The clock: the TSC measured against the HPET (or the PIT), with
	 * the APs parked so they do not slow the measuring.  From here on
	 * log lines carry the time since kmain. */
	tsc_init();
	boot_phase("TSC");
	/* A per-CPU unit for each CPU the MADT lists (and maxcpus= allows),
	 * and the boot CPU's GS base.  Until now the boot CPU has used the
	 * static template itself (GS base 0). */
	setup_per_cpu_areas(usable_cpu_count());
	boot_phase("per-CPU");
	/* APIC timer calibrated, HZ tick started, interrupts on. */
	time_init();
	boot_phase("timer");
	/* The function-call IPI handler, before any CPU can be sent one. */
	call_function_init();
	/* Run queues; kmain becomes CPU 0's first thread.  Before the APs:
	 * each ends its start-up in the scheduler (cpu_startup_entry). */
	sched_init();
	/* Wake the other CPUs: needs udelay, the APIC and per-CPU units. */
	smp_init(&boot_info);
	boot_phase("APs");

	/* The initrd GRUB loaded as a module. */
	initrd_init(&boot_info);
	boot_phase("initrd");
	/* The module loader's generation (loader=), before any load. */
	module_loader_init();

	/* Bring-up is over: how long it took; the rest is what the
	 * command line asks for. */
	boot_phases_report();
	machine_finish(run_workloads());
}
