/*
 * include/kernel/mutex.h - sleeping locks (Linux: include/linux/mutex.h,
 * kernel/locking/mutex.c).
 *
 * A mutex is held by one task; others that want it sleep on its wait list
 * instead of spinning, so the holder may itself sleep (allocate memory,
 * wait for I/O or another CPU) while holding it.  That is why Linux's
 * module loader serialises on module_mutex and not on a spinlock.
 *
 * Rules (checked, as Linux's CONFIG_DEBUG_MUTEXES does):
 *   - only from a context that may sleep: might_sleep();
 *   - the owner unlocks: mutex_unlock() by another task is reported
 *     ("DEBUG_LOCKS_WARN_ON") and ignored;
 *   - locking a mutex you hold is a certain deadlock: reported, panic.
 *
 * Unlocking hands the mutex straight to the first waiter (FIFO), so a
 * waiter cannot be starved by tasks that keep re-taking it.
 */
#ifndef KERNEL_MUTEX_H
#define KERNEL_MUTEX_H

#include <kernel/list.h>
#include <kernel/spinlock.h>

struct task_struct;

struct mutex {
	struct task_struct *owner;	/* NULL when free */
	spinlock_t wait_lock;
	struct list_head wait_list;
	const char *name;
};

#define __MUTEX_INITIALIZER(lockname) {					\
	.owner = NULL,							\
	.wait_lock = SPINLOCK_INIT(#lockname ".wait_lock"),		\
	.wait_list = LIST_HEAD_INIT((lockname).wait_list),		\
	.name = #lockname }
#define DEFINE_MUTEX(mutexname)						\
	struct mutex mutexname = __MUTEX_INITIALIZER(mutexname)

void __mutex_init(struct mutex *lock, const char *name);
#define mutex_init(lock)	__mutex_init(lock, #lock)

void mutex_lock(struct mutex *lock);
/* 1 if taken, 0 if someone holds it (never sleeps). */
int mutex_trylock(struct mutex *lock);
void mutex_unlock(struct mutex *lock);

static inline bool mutex_is_locked(struct mutex *lock)
{
	return READ_ONCE(lock->owner) != NULL;
}

/* Reports of an unlock by a task that was not the owner. */
extern unsigned long mutex_owner_reports;

#endif
