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

#endif
