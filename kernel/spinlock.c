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
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/time.h>

DEFINE_PER_CPU(unsigned int, spinlocks_held);

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

void spin_lock_wait(spinlock_t *lock, uint16_t ticket)
{
	uint64_t start = rdtsc(), bound = lockup_bound_ticks();
	unsigned long spins = 0;
	bool reported = false;

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket) {
		cpu_relax();
		if (reported || ++spins % 1024)
			continue;
		if (rdtsc() - start > bound) {
			__atomic_fetch_add(&spin_lockup_reports, 1,
					   __ATOMIC_RELAXED);
			pr_err("BUG: spinlock lockup suspected on CPU#%u, lock: %s, .owner_cpu: %d, waited %llu TSC ticks\n",
			       smp_processor_id(), lock_name(lock),
			       READ_ONCE(lock->owner_cpu),
			       (unsigned long long)(rdtsc() - start));
			reported = true;
		}
	}
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
