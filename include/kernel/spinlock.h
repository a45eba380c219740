/*
 * include/kernel/spinlock.h - ticket spinlocks.
 *
 * A ticket lock hands the lock out in arrival order: each CPU takes the next
 * ticket and spins until "now serving" reaches it, so no CPU starves.  The
 * _irqsave forms also disable interrupts on this CPU, for locks that an
 * interrupt handler may take.  The owner is recorded for debugging.
 */
#ifndef KERNEL_SPINLOCK_H
#define KERNEL_SPINLOCK_H

#include <kernel/compiler.h>
#include <kernel/io.h>

typedef struct spinlock {
	volatile uint16_t next;		/* next ticket to hand out */
	volatile uint16_t owner;	/* ticket now allowed in */
	int owner_cpu;			/* -1 when free; for debug reports */
	const char *name;
} spinlock_t;

#define SPINLOCK_INIT(n)	{ .next = 0, .owner = 0, .owner_cpu = -1, .name = (n) }
#define DEFINE_SPINLOCK(x)	spinlock_t x = SPINLOCK_INIT(#x)

static inline void spin_lock_init(spinlock_t *lock, const char *name)
{
	lock->next = 0;
	lock->owner = 0;
	lock->owner_cpu = -1;
	lock->name = name;
}

static inline void spin_lock(spinlock_t *lock)
{
	uint16_t ticket = __atomic_fetch_add(&lock->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&lock->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(spinlock_t *lock)
{
	lock->owner_cpu = -1;
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

#endif
