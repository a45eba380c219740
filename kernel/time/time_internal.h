/* kernel/time/time_internal.h - shared between the files of kernel/time. */
#ifndef KERNEL_TIME_INTERNAL_H
#define KERNEL_TIME_INTERNAL_H

#include <kernel/compiler.h>
#include <kernel/io.h>

void hpet_init(void);
void tsc_calibrate(void);
void lapic_timer_calibrate(void);

/* RDTSC after earlier loads: without the fence the CPU may read the TSC
 * before an instruction that precedes it (SDM, RDTSC). */
static inline uint64_t rdtsc_ordered(void)
{
	__asm__ __volatile__("lfence" ::: "memory");
	return rdtsc();
}

/*
 * A reference clock and the TSC read "at the same moment": the TSC is read
 * just before and just after the reference, and of a few tries the one
 * with the narrowest window is kept.  An interrupt - or, under emulation,
 * the host descheduling this virtual CPU - between the TSC and the
 * reference read would otherwise pair two instants milliseconds apart and
 * skew a 10 ms calibration by tens of percent.
 */
struct clock_pair {
	uint64_t ref;
	uint64_t tsc;		/* the middle of the window */
};

static inline struct clock_pair read_clock_pair(uint64_t (*read_ref)(void *),
						void *ctx)
{
	struct clock_pair best = { 0, 0 };
	uint64_t best_window = ~0ULL;

	for (int i = 0; i < 5; i++) {
		uint64_t t0 = rdtsc_ordered();
		uint64_t ref = read_ref(ctx);
		uint64_t t1 = rdtsc_ordered();

		if (t1 - t0 < best_window) {
			best_window = t1 - t0;
			best.ref = ref;
			best.tsc = t0 + (t1 - t0) / 2;
		}
	}
	return best;
}

/* The median of n (<= 8) measurements: one disturbed run cannot move it. */
static inline uint64_t median_u64(uint64_t *v, int n)
{
	for (int i = 1; i < n; i++)
		for (int j = i; j > 0 && v[j - 1] > v[j]; j--) {
			uint64_t x = v[j];

			v[j] = v[j - 1];
			v[j - 1] = x;
		}
	return v[n / 2];
}

#define CALIBRATE_RUNS		5

#endif
