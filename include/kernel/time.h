/*
 * include/kernel/time.h - clocks and delays: the TSC as the clock, the
 * HPET or the PIT to measure it against, and the local APIC timer for a
 * periodic tick.
 *
 * tsc_init() (kernel/time/tsc.c) calibrates the TSC, the clock of
 * everything after it; time_init() (kernel/time/tick.c) calibrates the
 * LAPIC timer against the TSC, starts the HZ tick on the boot CPU and
 * enables interrupts there.
 */
#ifndef KERNEL_TIME_H
#define KERNEL_TIME_H

#include <kernel/compiler.h>

#define HZ		100
#define NSEC_PER_SEC	1000000000ULL
#define NSEC_PER_USEC	1000ULL
#define USEC_PER_SEC	1000000ULL

/* kmain's first step: the TSC now is time zero (returned, in cycles). */
uint64_t tsc_mark_boot(void);
/* Boot CPU, after acpi_init() (the HPET's address): the HPET found, the
 * TSC calibrated.  From here on ktime_get_ns() and printk's timestamps
 * run. */
void tsc_init(void);
/* Boot CPU, after tsc_init() and apic_init(): the APIC timer calibrated,
 * the tick started, sti. */
void time_init(void);

/* The TSC frequency found at boot (0 before tsc_init()), and which clock
 * it was measured by: "cpuid", "hpet" or "pit". */
uint64_t tsc_khz(void);
/* The TSC now, serialised; cycles in ns once calibrated (0 before), for
 * timing what ran before the clock was (kmain's boot phases). */
uint64_t tsc_read(void);
uint64_t tsc_cycles_to_ns(uint64_t cycles);
const char *tsc_calibration_source(void);

/* Nanoseconds since kmain began (tsc_mark_boot()); 0 until tsc_init()
 * has calibrated the clock.  Monotonic on one CPU, and across CPUs when
 * their TSCs agree (invariant TSC, not checked yet). */
uint64_t ktime_get_ns(void);

/* Busy-wait at least this long (on the TSC; before tsc_init() on port
 * 0x80 writes, about 1 us each). */
void udelay(unsigned long usecs);
void ndelay(unsigned long nsecs);
void mdelay(unsigned long msecs);

/* Ticks of the boot CPU's LAPIC timer since it started (HZ a second). */
extern volatile unsigned long jiffies;

/* Start this CPU's periodic LAPIC timer at HZ (the boot CPU in
 * time_init(); APs later).  The count is the boot CPU's calibration. */
void lapic_timer_start(void);
uint32_t lapic_timer_ticks_per_jiffy(void);

/* The HPET (kernel/time/hpet.c), when the ACPI table names one. */
bool hpet_available(void);
uint64_t hpet_read_counter(void);
uint32_t hpet_period_fs(void);	/* femtoseconds per counter tick */
uint64_t hpet_counter_mask(void);	/* ~0 or 0xffffffff (32-bit) */

/* The PIT's channel 2 as a one-shot: start a count of 'usecs' (at most
 * 54925), then ask whether it has run out (kernel/time/pit.c). */
void pit_oneshot_start(unsigned int usecs);
bool pit_oneshot_expired(void);

#endif
