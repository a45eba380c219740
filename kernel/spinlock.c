/*
 * kernel/spinlock.c - the slow and reporting paths of spinlocks.
 *
 * The fast paths are inline in include/kernel/spinlock.h.  The messages
 * follow Linux's kernel/locking/spinlock_debug.c ("BUG: spinlock
 * recursion", "BUG: spinlock lockup suspected") and kernel/sched/core.c
 * ("BUG: sleeping function called from invalid context").
 *
 * The lockup bound is SPIN_LOCKUP_SECONDS of TSC time once the TSC is
 * calibrated (kernel/time/tsc.c), a count of ticks before.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>

DEFINE_PER_CPU(unsigned int, spinlocks_held);

bool spin_unfair;
BOOT_PARAM_FLAG(spinlock_ticket, "spinlock.ticket",
		"fair ticket spinlocks even under a hypervisor (default there: test-and-set)");

/* CPUID leaf 1, ECX bit 31: set by hypervisors, clear on bare metal. */
static bool cpu_has_hypervisor(void)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	return c & (1u << 31);
}

/*
 * Which locks, decided once in kmain right after the command line, while
 * only the boot CPU runs and no lock is contended.  Linux decides the
 * same way (native_pv_lock_init(): virt_spin_lock_key is on when
 * X86_FEATURE_HYPERVISOR is).
 */
void spinlock_init(void)
{
	spin_unfair = cpu_has_hypervisor() && !spinlock_ticket;
	pr_info("spinlock: %s\n", spin_unfair ?
		"test-and-set, under a hypervisor (as Linux's virt_spin_lock)" :
		"ticket (fair)");
}

unsigned long might_sleep_reports;
unsigned long spin_lockup_reports;

static const char *lock_name(const spinlock_t *lock)
{
	return lock->name ? lock->name : "(unnamed)";
}

void spin_bug_recursion(spinlock_t *lock)
{
	unsigned int cpu = smp_processor_id();

	/*
	 * We hold it and are about to panic.  Let it go first: the lock may
	 * be printk's own console_lock, and the report must get out.
	 */
	spin_unlock(lock);
	pr_emerg("BUG: spinlock recursion on CPU#%u, lock: %s, .owner_cpu: %u\n",
		 cpu, lock_name(lock), cpu);
	panic("spinlock recursion on %s", lock_name(lock));
}

static uint64_t lockup_bound_ticks(void)
{
	uint64_t khz = tsc_khz();

	return khz ? khz * 1000 * SPIN_LOCKUP_SECONDS : SPIN_LOCKUP_TSC;
}

/* A wait in progress: reported once, when it passes the bound. */
struct spin_wait {
	uint64_t start, bound;
	unsigned long spins;
	bool reported;
};

static void spin_wait_start(struct spin_wait *w)
{
	*w = (struct spin_wait){ rdtsc(), lockup_bound_ticks(), 0, false };
}

static void spin_wait_step(spinlock_t *lock, struct spin_wait *w)
{
	cpu_relax();
	if (w->reported || ++w->spins % 1024)
		return;
	if (rdtsc() - w->start > w->bound) {
		__atomic_fetch_add(&spin_lockup_reports, 1, __ATOMIC_RELAXED);
		pr_err("BUG: spinlock lockup suspected on CPU#%u, lock: %s, .owner_cpu: %d, waited %llu TSC ticks\n",
		       smp_processor_id(), lock_name(lock),
		       READ_ONCE(lock->owner_cpu),
		       (unsigned long long)(rdtsc() - w->start));
		w->reported = true;
	}
}

void spin_lock_wait(spinlock_t *lock, uint16_t ticket)
{
	struct spin_wait w;

	spin_wait_start(&w);
	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		spin_wait_step(lock, &w);
}

/* Test-and-set: watch it with plain reads (no bus-locked writes while it
 * is held), and try when it looks free. */
void spin_lock_unfair_wait(spinlock_t *lock)
{
	struct spin_wait w;

	spin_wait_start(&w);
	do {
		while (spin_is_locked(lock))
			spin_wait_step(lock, &w);
	} while (!spin_try_take(lock));
}

bool __might_sleep(const char *file, int line)
{
	unsigned int held = this_cpu_read(spinlocks_held);

	if (held == 0)
		return false;
	__atomic_fetch_add(&might_sleep_reports, 1, __ATOMIC_RELAXED);
	pr_err("BUG: sleeping function called from invalid context at %s:%d\n",
	       file, line);
	pr_err("in_atomic(): 1, spinlocks held: %u, CPU#%u\n", held,
	       smp_processor_id());
	return true;
}
