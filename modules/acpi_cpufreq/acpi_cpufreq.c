/*
 * modules/acpi_cpufreq/acpi_cpufreq.c - acpi_cpufreq.ko: a per-CPU
 * frequency table, the kind of driver every PC loads at boot.
 *
 * Linux's acpi-cpufreq reads the P-states from each CPU's ACPI _PSS
 * object and switches them through MSR_IA32_PERF_CTL.  We do neither: we
 * have no AML interpreter, and writing PERF_CTL is not harmless.  Each
 * CPU builds its own table of P-states on itself (on_each_cpu), from the
 * frequencies CPUID leaf 0x16 reports (base and maximum MHz) or, where
 * that leaf is missing (QEMU's TCG), from the TSC's measured frequency:
 * the maximum, then 100 MHz steps down to 800 MHz.
 *
 * The table has room for 508 states in every CPU's copy, 4 KiB per CPU:
 * Linux sizes it from _PSS at run time; a fixed size keeps it in the
 * module's static per-CPU data, which is what the storm demo measures
 * (modules/README.md has the arithmetic).
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>

#define CPUFREQ_TABLE_MAX	508
#define CPUFREQ_MIN_KHZ		800000
#define CPUFREQ_STEP_KHZ	100000

/* Linux's struct cpufreq_frequency_table, without the flags. */
struct cpufreq_frequency_table {
	uint32_t driver_data;		/* the P-state number */
	uint32_t frequency;		/* kHz */
};

struct acpi_cpufreq_data {
	uint32_t cpu;
	uint32_t nr_states;
	uint32_t cur_state;
	uint32_t max_khz;
	uint64_t transitions;
	uint64_t built_tsc;		/* TSC when the table was built */
	struct cpufreq_frequency_table table[CPUFREQ_TABLE_MAX];
};

static DEFINE_PER_CPU_ALIGNED(struct acpi_cpufreq_data, acfreq_data);

static unsigned int acpi_cpufreq_ok;

/* The highest frequency this CPU reports, in kHz. */
static uint32_t cpu_max_khz(void)
{
	uint32_t a, b, c, d, max_leaf;

	cpuid(0, &max_leaf, &b, &c, &d);
	if (max_leaf >= 0x16) {
		cpuid(0x16, &a, &b, &c, &d);
		if ((b & 0xffff) != 0)
			return (b & 0xffff) * 1000;	/* max MHz */
		if ((a & 0xffff) != 0)
			return (a & 0xffff) * 1000;	/* base MHz */
	}
	return (uint32_t)tsc_khz();
}

static void acpi_cpufreq_cpu_init(void *info)
{
	struct acpi_cpufreq_data *data = this_cpu_ptr(&acfreq_data);
	uint32_t khz = cpu_max_khz(), n = 0;

	(void)info;
	memset(data, 0, sizeof(*data));
	data->cpu = smp_processor_id();
	data->max_khz = khz;
	do {
		data->table[n].driver_data = n;
		data->table[n].frequency = khz;
		n++;
		khz -= khz > CPUFREQ_STEP_KHZ ? CPUFREQ_STEP_KHZ : khz;
	} while (khz >= CPUFREQ_MIN_KHZ && n < CPUFREQ_TABLE_MAX);
	data->nr_states = n;
	data->cur_state = 0;
	data->built_tsc = rdtsc();
	if (data->max_khz)
		__atomic_fetch_add(&acpi_cpufreq_ok, 1, __ATOMIC_RELAXED);
}

static void acpi_cpufreq_cpu_exit(void *info)
{
	struct acpi_cpufreq_data *data = this_cpu_ptr(&acfreq_data);

	(void)info;
	data->nr_states = 0;
	data->transitions = 0;
}

static int acpi_cpufreq_init(void)
{
	unsigned int online = num_online_cpus();
	int ret;

	BUILD_BUG_ON(sizeof(struct acpi_cpufreq_data) != 4096);

	acpi_cpufreq_ok = 0;
	ret = on_each_cpu(acpi_cpufreq_cpu_init, NULL, 1);
	if (ret)
		return ret;
	if (acpi_cpufreq_ok != online) {
		printk(KERN_ERR "acpi_cpufreq: no frequency known on %u of %u CPUs\n",
		       online - acpi_cpufreq_ok, online);
		on_each_cpu(acpi_cpufreq_cpu_exit, NULL, 1);
		return -ENODEV;
	}
	printk(KERN_INFO "acpi_cpufreq: %u CPUs, %u P-states from %u MHz\n",
	       online, per_cpu(acfreq_data, 0).nr_states,
	       per_cpu(acfreq_data, 0).max_khz / 1000);
	return 0;
}

static void acpi_cpufreq_exit(void)
{
	on_each_cpu(acpi_cpufreq_cpu_exit, NULL, 1);
}

module_init(acpi_cpufreq_init);
module_exit(acpi_cpufreq_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mkernel");
MODULE_DESCRIPTION("ACPI processor P-states driver (demo: tables only)");
MODULE_VERSION("1.0");
