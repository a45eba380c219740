/*
 * modules/coretemp/coretemp.c - coretemp.ko: per-CPU temperature
 * readings, another module a PC loads once per CPU package at boot.
 *
 * Each CPU keeps a ring of its last CORETEMP_RING (444) readings in its
 * own per-CPU copy (struct coretemp_cpu: 3584 bytes per CPU).  A reading
 * is the digital thermal sensor's value in degrees C (IA32_THERM_STATUS
 * bits 22:16, below TjMax) when CPUID.6:EAX bit 0 says the CPU has one
 * and the vendor is Intel (the only case where Linux's coretemp reads
 * that MSR); otherwise no MSR is touched and the reading is the TSC, so
 * the ring still records when each sample was taken.  Under QEMU's TCG
 * there is no sensor: TSC samples.
 *
 * Simplification: TjMax is taken as 100 C (Linux's fallback) instead of
 * reading MSR_IA32_TEMPERATURE_TARGET, which not every model has.  Init
 * takes one sample per CPU; the module parameter samples=N takes more.
 *
 * coretemp.crash=1 is for the tests only (crash=module in kernel/crash.c,
 * the boot crash-module in tests/boots.py): init then writes through a NULL
 * pointer, in a function of its own, so the fault report must name a
 * function of this module and the module.
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>

#define MSR_IA32_THERM_STATUS	0x19c
#define CORETEMP_RING		444
#define CORETEMP_TJMAX		100

struct coretemp_cpu {
	uint32_t cpu;
	uint32_t has_dts;		/* 1: readings are degrees C */
	uint32_t nr_samples;		/* taken so far (ring index = n % size) */
	uint32_t last_celsius;		/* 0 without a sensor */
	uint64_t first_tsc, last_tsc;
	uint64_t ring[CORETEMP_RING];
};

static DEFINE_PER_CPU_ALIGNED(struct coretemp_cpu, coretemp_cpu);

static unsigned int samples = 1;
module_param(samples, uint, 0444);
MODULE_PARM_DESC(samples, "readings each CPU takes at load (1..444)");

static bool crash;
module_param(crash, bool, 0444);
MODULE_PARM_DESC(crash, "tests only: fault in init (a NULL pointer write)");

/* A sensor that needs time after power-up before its first reading (as
 * real hardware does); the tests use it to make a load slow. */
static unsigned int settle_ms;
module_param(settle_ms, uint, 0444);
MODULE_PARM_DESC(settle_ms, "wait this long in init before the first reading");

/* Volatile: the compiler cannot see it is NULL and drop the write. */
static int *volatile coretemp_crash_target;

/* noinline: a frame of its own, so the report's RIP names it. */
static noinline void coretemp_crash_now(void)
{
	printk(KERN_NOTICE "coretemp: crash=1: writing through a NULL pointer\n");
	*coretemp_crash_target = 1;
}

static bool cpu_has_intel_dts(void)
{
	uint32_t a, b, c, d, max_leaf;

	cpuid(0, &max_leaf, &b, &c, &d);
	/* "GenuineIntel": ebx "Genu", edx "ineI", ecx "ntel". */
	if (b != 0x756e6547 || d != 0x49656e69 || c != 0x6c65746e)
		return false;
	if (max_leaf < 6)
		return false;
	cpuid(6, &a, &b, &c, &d);
	return a & 1;
}

static void coretemp_sample(struct coretemp_cpu *ct)
{
	uint64_t value, tsc = rdtsc();

	if (ct->has_dts) {
		uint64_t status = rdmsr(MSR_IA32_THERM_STATUS);
		uint32_t below = (status >> 16) & 0x7f;

		ct->last_celsius = below < CORETEMP_TJMAX ?
				   CORETEMP_TJMAX - below : 0;
		value = ct->last_celsius;
	} else {
		value = tsc;
	}
	ct->ring[ct->nr_samples % CORETEMP_RING] = value;
	ct->nr_samples++;
	if (!ct->first_tsc)
		ct->first_tsc = tsc;
	ct->last_tsc = tsc;
}

static void coretemp_cpu_init(void *info)
{
	struct coretemp_cpu *ct = this_cpu_ptr(&coretemp_cpu);
	unsigned int n = *(unsigned int *)info;

	memset(ct, 0, sizeof(*ct));
	ct->cpu = smp_processor_id();
	ct->has_dts = cpu_has_intel_dts();
	for (unsigned int i = 0; i < n; i++)
		coretemp_sample(ct);
}

static void coretemp_cpu_exit(void *info)
{
	(void)info;
	this_cpu_write(coretemp_cpu.nr_samples, 0);
}

static int coretemp_init(void)
{
	unsigned int cpu, n = samples, bad = 0, sensors = 0;
	int ret;

	BUILD_BUG_ON(sizeof(struct coretemp_cpu) != 3584);

	if (crash)
		coretemp_crash_now();

	if (settle_ms)
		mdelay(settle_ms);
	if (n < 1 || n > CORETEMP_RING) {
		printk(KERN_ERR "coretemp: samples=%u not in 1..%u\n", n,
		       CORETEMP_RING);
		return -EINVAL;
	}
	ret = on_each_cpu(coretemp_cpu_init, &n, 1);
	if (ret)
		return ret;
	for_each_online_cpu(cpu) {
		struct coretemp_cpu *ct = per_cpu_ptr(&coretemp_cpu, cpu);

		if (ct->cpu != cpu || ct->nr_samples != n)
			bad++;
		sensors += ct->has_dts;
	}
	if (bad) {
		printk(KERN_ERR "coretemp: %u CPUs did not sample\n", bad);
		on_each_cpu(coretemp_cpu_exit, NULL, 1);
		return -EIO;
	}
	printk(KERN_INFO "coretemp: %u CPUs, %u with a thermal sensor\n",
	       num_online_cpus(), sensors);
	return 0;
}

static void coretemp_exit(void)
{
	on_each_cpu(coretemp_cpu_exit, NULL, 1);
}

module_init(coretemp_init);
module_exit(coretemp_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mkernel");
MODULE_DESCRIPTION("Per-CPU temperature readings (demo: TSC without a sensor)");
MODULE_VERSION("1.0");
