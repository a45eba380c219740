/*
 * include/kernel/spinlock.h - ticket spinlocks with debug checks.
 *
 * A ticket lock hands the lock out in arrival order: each CPU takes the next
 * ticket and spins until "now serving" reaches it, so no CPU starves.  The
 * _irqsave forms also disable interrupts on this CPU, for locks that an
 * interrupt handler may take.
 *
 * Under a hypervisor (CPUID says so) the locks are test-and-set instead,
 * as Linux's virt_spin_lock() makes them: a waiter takes the lock when
 * it sees it free, in no order.  A fair lock must be handed to one
 * particular waiter, and when the host has descheduled that virtual CPU
 * every other waiter spins until the host runs it again.  With 255
 * emulated CPUs on two host cores, taking turns, that is every handover.
 * spinlock.ticket keeps the fair locks anyway (kernel/spinlock.c).
 *
 * Debug checks, always on (Linux's CONFIG_DEBUG_SPINLOCK and
 * CONFIG_DEBUG_ATOMIC_SLEEP, kernel/locking/spinlock_debug.c):
 *   - the owner CPU is recorded in the lock;
 *   - taking a lock this CPU already holds is a certain deadlock: one line
 *     naming the lock and its owner, then panic;
 *   - each CPU counts the spinlocks it holds (per-CPU spinlocks_held, the
 *     part of Linux's preempt_count that locks raise), and might_sleep()
 *     reports a call that may sleep while that count is not zero;
 *   - a wait longer than SPIN_LOCKUP_SECONDS is
 *     reported as a suspected deadlock (lock name, owner CPU), then the
 *     wait goes on.
 * The slow paths are in kernel/spinlock.c.  smp_processor_id() works from
 * the first instruction of the kernel (see include/kernel/percpu.h), so
 * these checks do too.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/compiler.h>
#include <kernel/io.h>
#include <kernel/smp.h>

typedef struct spinlock {
	volatile uint16_t next;		/* next ticket to hand out */
	volatile uint16_t owner;	/* ticket now allowed in */
	int owner_cpu;			/* -1 when free; for debug reports */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n)	{ .next = 0, .owner = 0, .owner_cpu = -1, .name = (n) }
#define DEFINE_SPINLOCK(x)	spinlock_t x = SPINLOCK_INIT(#x)

/* Spinlocks this CPU holds now. */
DECLARE_PER_CPU(unsigned int, spinlocks_held);

/*
 * The lockup bound: a wait this long is reported.  Far longer than any
 * lock in this kernel is held; long because an emulated machine with many
 * CPUs on few host cores can leave a lock holder unscheduled for seconds
 * (lock-holder preemption).  Before the TSC is calibrated the bound is
 * SPIN_LOCKUP_TSC ticks instead (about 11 s at 3 GHz).
 */
#define SPIN_LOCKUP_SECONDS	30
#define SPIN_LOCKUP_TSC		(1ULL << 35)

enum spin_lock_verdict {
	SPIN_LOCK_OK,
	SPIN_LOCK_RECURSION,	/* this CPU already holds it */
};

static inline void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->next = 0;
	lock->owner = 0;
	lock->owner_cpu = -1;
	lock->name = name;
}

/*
 * What spin_lock() would find, without taking the lock or panicking: the
 * check it runs first, and the hook the spinlock tests use.  Only the
 * holder writes its own number into owner_cpu, so reading ours there
 * while the lock is taken means we hold it.  (The "taken" test keeps a
 * zero-filled lock that missed spin_lock_init, owner_cpu 0, from looking
 * held by CPU 0.)
 */
static inline enum spin_lock_verdict spin_lock_check(const spinlock_t *lock)
{
	if (READ_ONCE(lock->owner_cpu) == (int)smp_processor_id() &&
	    READ_ONCE(lock->next) != READ_ONCE(lock->owner))
		return SPIN_LOCK_RECURSION;
	return SPIN_LOCK_OK;
}

void spin_bug_recursion(spinlock_t *lock) __noreturn;
void spin_lock_wait(spinlock_t *lock, uint16_t ticket);
void spin_lock_unfair_wait(spinlock_t *lock);

/* Test-and-set, not tickets (spinlock_init(), once, before the APs);
 * spinlock.ticket on the command line keeps tickets. */
extern bool spin_unfair;
extern bool spinlock_ticket;
void spinlock_init(void);

/* The lock, if it is free now: "now serving" is the next ticket. */
static inline bool spin_try_take(spinlock_t *lock)
{
	uint16_t serving = __atomic_load_n(&lock->owner, __ATOMIC_RELAXED);
	uint16_t expected = serving;

	return __atomic_compare_exchange_n(&lock->next, &expected,
					   (uint16_t)(serving + 1), false,
					   __ATOMIC_ACQUIRE, __ATOMIC_RELAXED);
}

static inline void spin_acquired(spinlock_t *lock)
{
	WRITE_ONCE(lock->owner_cpu, (int)smp_processor_id());
	this_cpu_inc(spinlocks_held);
}

static inline void spin_lock(spinlock_t *lock)
{
	uint16_t ticket;

	if (unlikely(spin_lock_check(lock) != SPIN_LOCK_OK))
		spin_bug_recursion(lock);
	if (spin_unfair) {
		if (unlikely(!spin_try_take(lock)))
			spin_lock_unfair_wait(lock);
	} else {
		ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);
		if (unlikely(__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) !=
			     ticket))
			spin_lock_wait(lock, ticket);
	}
	spin_acquired(lock);
}

/* Take the lock only if it is free now; true when taken. */
static inline bool spin_trylock(spinlock_t *lock)
{
	if (!spin_try_take(lock))
		return false;
	spin_acquired(lock);
	return true;
}

static inline void spin_unlock(spinlock_t *lock)
{
	WRITE_ONCE(lock->owner_cpu, -1);
	this_cpu_dec(spinlocks_held);
	__atomic_store_n(&lock->owner, (uint16_t)(lock->owner + 1),
			 __ATOMIC_RELEASE);
}

static inline bool spin_is_locked(spinlock_t *lock)
{
	return READ_ONCE(lock->next) != READ_ONCE(lock->owner);
}

static inline unsigned long spin_lock_irqsave(spinlock_t *lock)
{
	unsigned long flags = local_irq_save();

	spin_lock(lock);
	return flags;
}

static inline void spin_unlock_irqrestore(spinlock_t *lock,
					  unsigned long flags)
{
	spin_unlock(lock);
	local_irq_restore(flags);
}

/*
 * Say so if sleeping here would be a bug: with a spinlock held, another
 * task on this CPU could spin forever on it.  Returns true when it
 * reported (the tests use that); the kernel goes on.
 */
bool __might_sleep(const char *file, int line);
#define might_sleep()	((void)__might_sleep(__FILE__, __LINE__))

/* Reports so far, of each kind (for tests and counters). */
extern unsigned long might_sleep_reports;
extern unsigned long spin_lockup_reports;

#endif
