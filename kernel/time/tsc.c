/*
 * kernel/time/tsc.c - the time stamp counter as the kernel's clock (Intel
 * SDM Vol. 3B, 18.17 "Time-Stamp Counter"; CPUID leaves 0x15 and 0x16 in
 * Vol. 2A).
 *
 * The TSC counts at a fixed rate on every CPU made this century, but that
 * rate is not written anywhere reliable, so it is measured, in this order:
 *
 *   cpuid  leaf 0x15 gives the TSC/crystal ratio and (usually) the
 *          crystal's frequency; where the crystal field is 0, leaf 0x16's
 *          base frequency is the TSC's frequency.  No measuring needed.
 *   hpet   count TSC cycles over 10 ms of the HPET's main counter.
 *   pit    count TSC cycles until PIT channel 2 runs out 10 ms later.
 *
 * Each wait is bounded by a count of polls, so a clock that never moves
 * makes calibration fail with a message rather than hang.  Without any,
 * the kernel goes on with no clock (udelay falls back to port writes).
 *
 * Simplifications: calibrated once, on the boot CPU; TSCs on other CPUs
 * are assumed to agree (true with an invariant TSC, which QEMU and modern
 * PCs have; not checked yet); no refinement later in boot.
 */
#include <kernel/export.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/time.h>
#include "time_internal.h"

#define CALIBRATE_USECS		10000
/* Reference-clock reads before giving up: each read takes at least tens
 * of nanoseconds, so 10 ms needs far fewer than this. */
#define CALIBRATE_MAX_POLLS	50000000UL

static uint64_t tsc_hz;
static uint64_t tsc_at_boot;
static const char *tsc_source = "none";

uint64_t tsc_khz(void)
{
	return tsc_hz / 1000;
}
EXPORT_SYMBOL(tsc_khz);

const char *tsc_calibration_source(void)
{
	return tsc_source;
}

static uint64_t calibrate_cpuid(void)
{
	uint32_t max, denom, numer, crystal_hz, d, base_mhz, b, c;

	cpuid(0, &max, &b, &c, &d);
	if (max < 0x15)
		return 0;
	cpuid(0x15, &denom, &numer, &crystal_hz, &d);
	if (!denom || !numer)
		return 0;
	if (crystal_hz)
		return (uint64_t)crystal_hz * numer / denom;
	if (max < 0x16)
		return 0;
	cpuid(0x16, &base_mhz, &b, &c, &d);
	return (uint64_t)(base_mhz & 0xffff) * 1000000ULL;
}

static uint64_t read_hpet(void *ctx)
{
	(void)ctx;
	return hpet_read_counter();
}

/* One run: TSC cycles per second over CALIBRATE_USECS of HPET time. */
static uint64_t calibrate_hpet_once(void)
{
	uint64_t mask = hpet_counter_mask(), ns;
	uint64_t target = CALIBRATE_USECS * 1000000000ULL / hpet_period_fs();
	unsigned long polls = 0;
	struct clock_pair p0, p1;

	p0 = read_clock_pair(read_hpet, NULL);
	while (((hpet_read_counter() - p0.ref) & mask) < target) {
		if (++polls == CALIBRATE_MAX_POLLS) {
			pr_err("tsc: HPET counter does not advance\n");
			return 0;
		}
	}
	p1 = read_clock_pair(read_hpet, NULL);
	ns = ((p1.ref - p0.ref) & mask) * hpet_period_fs() / 1000000ULL;
	return ns ? (p1.tsc - p0.tsc) * NSEC_PER_SEC / ns : 0;
}

static uint64_t calibrate_hpet(void)
{
	uint64_t runs[CALIBRATE_RUNS];

	for (int i = 0; i < CALIBRATE_RUNS; i++)
		if (!(runs[i] = calibrate_hpet_once()))
			return 0;
	return median_u64(runs, CALIBRATE_RUNS);
}

static uint64_t calibrate_pit(void)
{
	unsigned long polls = 0;
	uint64_t t0, t1;

	pit_oneshot_start(CALIBRATE_USECS);
	t0 = rdtsc_ordered();
	while (!pit_oneshot_expired()) {
		if (++polls == CALIBRATE_MAX_POLLS) {
			pr_err("tsc: PIT channel 2 never ran out\n");
			return 0;
		}
	}
	t1 = rdtsc_ordered();
	return (t1 - t0) * (USEC_PER_SEC / CALIBRATE_USECS);
}

void tsc_calibrate(void)
{
	uint64_t hz;

	if ((hz = calibrate_cpuid()))
		tsc_source = "cpuid";
	else if (hpet_available() && (hz = calibrate_hpet()))
		tsc_source = "hpet";
	else if ((hz = calibrate_pit()))
		tsc_source = "pit";
	if (!hz) {
		pr_err("tsc: could not calibrate: no clock, delays are rough\n");
		return;
	}
	tsc_hz = hz;
	pr_info("tsc: Detected %llu.%03llu MHz processor (calibrated by %s)\n",
		(unsigned long long)(hz / 1000000),
		(unsigned long long)(hz / 1000 % 1000), tsc_source);
}

/* cycles * 10^9 / hz without overflowing: split into whole seconds and
 * the rest (the rest is below hz, so rest * 10^9 fits up to 18 GHz). */
static uint64_t cycles_to_ns(uint64_t cycles)
{
	return cycles / tsc_hz * NSEC_PER_SEC +
	       cycles % tsc_hz * NSEC_PER_SEC / tsc_hz;
}

uint64_t tsc_mark_boot(void)
{
	tsc_at_boot = rdtsc_ordered();
	return tsc_at_boot;
}

void tsc_init(void)
{
	hpet_init();
	tsc_calibrate();
}

uint64_t tsc_read(void)
{
	return rdtsc_ordered();
}

uint64_t tsc_cycles_to_ns(uint64_t cycles)
{
	return READ_ONCE(tsc_hz) ? cycles_to_ns(cycles) : 0;
}

uint64_t ktime_get_ns(void)
{
	uint64_t hz = READ_ONCE(tsc_hz);

	if (!hz)
		return 0;
	return cycles_to_ns(rdtsc_ordered() - tsc_at_boot);
}
EXPORT_SYMBOL(ktime_get_ns);

void ndelay(unsigned long nsecs)
{
	uint64_t start = rdtsc_ordered(), cycles;

	if (!tsc_hz) {
		/* No clock yet: port 0x80 writes, about 1 us each. */
		for (unsigned long i = 0; i < nsecs / 1000 + 1; i++)
			io_delay();
		return;
	}
	cycles = nsecs / NSEC_PER_SEC * tsc_hz +
		 nsecs % NSEC_PER_SEC * tsc_hz / NSEC_PER_SEC + 1;
	while (rdtsc_ordered() - start < cycles)
		cpu_relax();
}
EXPORT_SYMBOL(ndelay);

void udelay(unsigned long usecs)
{
	while (usecs > 1000000) {
		ndelay(1000000000UL);
		usecs -= 1000000;
	}
	ndelay(usecs * 1000);
}
EXPORT_SYMBOL(udelay);

void mdelay(unsigned long msecs)
{
	while (msecs--)
		udelay(1000);
}
EXPORT_SYMBOL(mdelay);
