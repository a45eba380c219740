/*
 * kernel/watchdog.c - the hard-lockup detector: find a CPU that has
 * stopped taking interrupts (Linux: kernel/watchdog.c, whose hard-lockup
 * half uses a perf NMI counter; ours uses the other CPUs' ticks, as
 * Linux's "buddy" detector, kernel/watchdog_buddy.c, does).
 *
 * A CPU spinning with interrupts off takes no tick, so its tick count
 * stops.  Every CPU counts its own ticks (hrtimer_interrupts, Linux's
 * name) and once a second looks at its buddy, the next online CPU
 * (wrapping to the first):
 *
 *	CPU 0 watches 1, 1 watches 2, ..., n-1 watches 0
 *
 *	tick on CPU c:  hrtimer_interrupts[c]++
 *	every HZ ticks: count of buddy b moved?  remember when.
 *	                unmoved for watchdog_thresh s?  report once:
 *	  "watchdog: BUG: hard LOCKUP on CPU b"  and an NMI to b, which
 *	  prints its own registers and backtrace (only b knows where it is)
 *
 * The report is once per lockup: it is armed again when b's count moves.
 * hardlockup_panic on the command line panics after the report, as
 * Linux's hardlockup_panic= does.  watchdog_thresh=0 turns it off.
 *
 * Simplifications: the buddy is recomputed every second from the online
 * mask (CPUs only come online here, never go); a single CPU has no buddy
 * and no detector; times are ktime_get_ns(), so the threshold is as exact
 * as a one-second check allows.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/time.h>

#define WATCHDOG_THRESH_DEFAULT	10	/* Linux's default */
#define NMI_BACKTRACE_MS	1000

BOOT_PARAM_UINT(watchdog_thresh, "watchdog_thresh", WATCHDOG_THRESH_DEFAULT, 0, 3600,
		"seconds without a tick before a CPU is reported as a hard LOCKUP (0 = off)");
BOOT_PARAM_FLAG(hardlockup_panic, "hardlockup_panic", "panic after reporting a hard LOCKUP");

struct watchdog_buddy {
	unsigned int cpu;		/* whom this CPU watches; NR_CPUS = none */
	unsigned long last_count;	/* its hrtimer_interrupts when seen */
	uint64_t last_change_ns;	/* when that count last moved */
	bool reported;
};

static DEFINE_PER_CPU(unsigned long, hrtimer_interrupts);
static DEFINE_PER_CPU(unsigned int, watchdog_ticks);
static DEFINE_PER_CPU(struct watchdog_buddy, watchdog_buddy) = {
	.cpu = NR_CPUS,
};
static unsigned long hardlockup_count;
static long thresh_secs = -1;	/* read from the command line once */

unsigned long watchdog_hardlockup_count(void)
{
	return __atomic_load_n(&hardlockup_count, __ATOMIC_RELAXED);
}

static unsigned int next_online_cpu(unsigned int cpu)
{
	unsigned int next = cpumask_next_from(cpu + 1, cpu_online_mask);

	return next < NR_CPUS ? next : cpumask_next_from(0, cpu_online_mask);
}

static void watchdog_report(unsigned int cpu, uint64_t stuck_ns)
{
	__atomic_fetch_add(&hardlockup_count, 1, __ATOMIC_RELAXED);
	pr_emerg("watchdog: BUG: hard LOCKUP on CPU %u (Watchdog detected hard LOCKUP on cpu %u: no tick for %llu s), reported by CPU %u\n",
		 cpu, cpu, (unsigned long long)(stuck_ns / 1000000000ULL),
		 smp_processor_id());
	if (!trigger_cpu_backtrace(cpu, NMI_BACKTRACE_MS))
		pr_emerg("watchdog: CPU %u did not answer the backtrace NMI within %u ms\n",
			 cpu, NMI_BACKTRACE_MS);
	if (hardlockup_panic)
		panic("Hard LOCKUP");
}

/* From every CPU's LAPIC timer interrupt, interrupts off. */
void watchdog_tick(void)
{
	struct watchdog_buddy *b = this_cpu_ptr(&watchdog_buddy);
	unsigned int me, buddy;
	unsigned long count;
	uint64_t now;

	this_cpu_inc(hrtimer_interrupts);
	this_cpu_inc(watchdog_ticks);
	if (this_cpu_read(watchdog_ticks) % HZ || READ_ONCE(panic_cpu) >= 0)
		return;
	if (thresh_secs < 0)
		thresh_secs = (long)watchdog_thresh;
	if (thresh_secs == 0)
		return;

	me = smp_processor_id();
	buddy = next_online_cpu(me);
	now = ktime_get_ns();
	count = READ_ONCE(per_cpu(hrtimer_interrupts, buddy));
	if (buddy == me) {
		b->cpu = NR_CPUS;
		return;
	}
	if (buddy != b->cpu || count != b->last_count) {
		b->cpu = buddy;
		b->last_count = count;
		b->last_change_ns = now;
		b->reported = false;
		return;
	}
	if (b->reported ||
	    now - b->last_change_ns < (uint64_t)thresh_secs * 1000000000ULL)
		return;
	b->reported = true;
	watchdog_report(buddy, now - b->last_change_ns);
}
