/*
 * kernel/time/tick.c - the periodic tick from the local APIC timer (Intel
 * SDM Vol. 3A, 11.5.4 "APIC Timer"), and time_init(), which brings up
 * the rest of kernel/time once tsc_init() has the clock.
 *
 * The APIC timer counts down from an initial count at the bus (or core
 * crystal) clock divided by a power of two; its rate is not known, so it
 * is measured against the already calibrated TSC: start it at
 * 0xffffffff, wait 10 ms with udelay(), see how far it went, each end
 * read paired tightly with the TSC (read_clock_pair()), five times, and
 * take the median: under emulation one run in a few is disturbed.  In
 * periodic mode it then reloads itself every HZ-th of a second and
 * interrupts on LOCAL_TIMER_VECTOR; the boot CPU's handler counts jiffies.
 *
 * Order: tsc_init() (the HPET as a reference, the TSC) early, then in
 * time_init() the APIC timer, and only then sti: apic_init() has masked
 * the PICs and registered the spurious vector, and the timer handler is registered before the timer
 * starts, so no interrupt can arrive at a vector nobody handles.
 *
 * Simplifications: periodic mode only (no TSC-deadline, no tickless);
 * every CPU uses the boot CPU's calibration.
 */
#include <kernel/apic.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/traps.h>
#include "time_internal.h"

#define LAPIC_CALIBRATE_USECS	10000

volatile unsigned long jiffies;
static uint32_t ticks_per_jiffy;
static uint32_t boot_cpu_apic_id;

uint32_t lapic_timer_ticks_per_jiffy(void)
{
	return ticks_per_jiffy;
}

static void lapic_timer_interrupt(struct pt_regs *regs)
{
	(void)regs;
	/* One CPU keeps the count, as Linux's do_timer() does. */
	if (apic_id() == boot_cpu_apic_id)
		jiffies++;
	watchdog_tick();	/* kernel/watchdog.c: is our buddy ticking? */
	scheduler_tick();
	apic_eoi();
}

static uint64_t read_tmcct(void *ctx)
{
	(void)ctx;
	return apic_read(APIC_TMCCT);
}

/* One run: APIC timer ticks (at /16) per second, against the TSC. */
static uint64_t lapic_timer_measure_once(void)
{
	struct clock_pair p0, p1;

	apic_write(APIC_TMICT, 0xffffffff);
	p0 = read_clock_pair(read_tmcct, NULL);
	udelay(LAPIC_CALIBRATE_USECS);
	p1 = read_clock_pair(read_tmcct, NULL);
	apic_write(APIC_TMICT, 0);
	if (p1.ref == 0 || p1.ref >= p0.ref || p1.tsc <= p0.tsc)
		return 0;	/* ran out, or did not move */
	return (p0.ref - p1.ref) * (tsc_khz() * 1000) / (p1.tsc - p0.tsc);
}

void lapic_timer_calibrate(void)
{
	uint64_t runs[CALIBRATE_RUNS], per_sec;

	if (!tsc_khz()) {
		pr_err("APIC timer: no calibrated TSC to measure it by\n");
		return;
	}
	apic_write(APIC_LVTT, APIC_LVT_MASKED | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	for (int i = 0; i < CALIBRATE_RUNS; i++)
		runs[i] = lapic_timer_measure_once();
	per_sec = median_u64(runs, CALIBRATE_RUNS);
	if (per_sec < HZ) {
		pr_err("APIC timer: unusable (%llu ticks a second at /16)\n",
		       (unsigned long long)per_sec);
		return;
	}
	ticks_per_jiffy = (uint32_t)(per_sec / HZ);
	pr_info("APIC timer: %llu.%03llu MHz at /16, %u ticks per jiffy (HZ=%u)\n",
		(unsigned long long)(per_sec / 1000000),
		(unsigned long long)(per_sec / 1000 % 1000), ticks_per_jiffy,
		HZ);
}

void lapic_timer_start(void)
{
	if (!ticks_per_jiffy)
		return;
	apic_write(APIC_TDCR, APIC_TDR_DIV_16);
	apic_write(APIC_LVTT, APIC_LVT_TIMER_PERIODIC | LOCAL_TIMER_VECTOR);
	apic_write(APIC_TMICT, ticks_per_jiffy);
}

void time_init(void)
{
	lapic_timer_calibrate();
	boot_cpu_apic_id = apic_id();
	if (register_interrupt_handler(LOCAL_TIMER_VECTOR,
				       lapic_timer_interrupt)) {
		pr_err("APIC timer: vector %#x taken; no tick\n",
		       LOCAL_TIMER_VECTOR);
		ticks_per_jiffy = 0;
	}
	lapic_timer_start();
	/* PICs masked, handlers registered: interrupts can come now. */
	local_irq_enable();
}
