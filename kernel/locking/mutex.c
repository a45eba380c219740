/*
 * kernel/locking/mutex.c - the sleeping lock of include/kernel/mutex.h
 * (Linux: kernel/locking/mutex.c, without the optimistic spinning and the
 * lock-free fast path: every operation takes wait_lock, a spinlock that
 * guards owner and wait_list).
 *
 *	mutex: owner = A | wait_list: B -> C
 *	A: mutex_unlock()  -> owner = B (handed over), B woken
 *	B: wakes in mutex_lock(), sees owner == B, returns holding it
 *
 * A waiter queues itself, sets TASK_UNINTERRUPTIBLE and re-tests under
 * wait_lock before sleeping; the unlocker changes owner and wakes under
 * the same lock, so the hand-over cannot be missed (the wait-queue
 * argument of include/kernel/wait.h).
 */
#include <kernel/export.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/traps.h>

struct mutex_waiter {
	struct list_head list;
	struct task_struct *task;
};

unsigned long mutex_owner_reports;

void __mutex_init(struct mutex *lock, const char *name)
{
	lock->owner = NULL;
	spin_lock_init(&lock->wait_lock, name);
	INIT_LIST_HEAD(&lock->wait_list);
	lock->name = name;
}
EXPORT_SYMBOL(__mutex_init);

void mutex_lock(struct mutex *lock)
{
	struct task_struct *self = current;
	struct mutex_waiter waiter;
	unsigned long flags;

	might_sleep();
	flags = spin_lock_irqsave(&lock->wait_lock);
	if (!lock->owner) {
		WRITE_ONCE(lock->owner, self);
		spin_unlock_irqrestore(&lock->wait_lock, flags);
		return;
	}
	if (lock->owner == self) {
		spin_unlock_irqrestore(&lock->wait_lock, flags);
		pr_emerg("BUG: mutex recursion: %s/%u already holds %s\n",
			 self->comm, smp_processor_id(), lock->name);
		panic("mutex recursion on %s", lock->name);
	}
	waiter.task = self;
	list_add_tail(&waiter.list, &lock->wait_list);
	for (;;) {
		set_current_state(TASK_UNINTERRUPTIBLE);
		if (lock->owner == self)	/* handed over by the unlocker */
			break;
		spin_unlock_irqrestore(&lock->wait_lock, flags);
		schedule();
		flags = spin_lock_irqsave(&lock->wait_lock);
	}
	__set_current_state(TASK_RUNNING);
	spin_unlock_irqrestore(&lock->wait_lock, flags);
}
EXPORT_SYMBOL(mutex_lock);

int mutex_trylock(struct mutex *lock)
{
	unsigned long flags = spin_lock_irqsave(&lock->wait_lock);
	int taken = 0;

	if (!lock->owner) {
		WRITE_ONCE(lock->owner, current);
		taken = 1;
	}
	spin_unlock_irqrestore(&lock->wait_lock, flags);
	return taken;
}
EXPORT_SYMBOL(mutex_trylock);

void mutex_unlock(struct mutex *lock)
{
	struct task_struct *self = current, *next = NULL;
	struct mutex_waiter *waiter;
	unsigned long flags;

	flags = spin_lock_irqsave(&lock->wait_lock);
	if (lock->owner != self) {
		struct task_struct *owner = lock->owner;

		spin_unlock_irqrestore(&lock->wait_lock, flags);
		__atomic_fetch_add(&mutex_owner_reports, 1, __ATOMIC_RELAXED);
		pr_err("DEBUG_LOCKS_WARN_ON(__owner_task(owner) != current): %s unlocked by %s/%u, owner %s\n",
		       lock->name, self->comm, smp_processor_id(),
		       owner ? owner->comm : "(none)");
		return;
	}
	if (!list_empty(&lock->wait_list)) {
		waiter = list_first_entry(&lock->wait_list, struct mutex_waiter,
					  list);
		list_del(&waiter->list);
		next = waiter->task;
	}
	WRITE_ONCE(lock->owner, next);
	/* Woken under wait_lock: the waiter's stack (and so 'waiter') stays
	 * valid until it sees owner == itself, which needs this lock. */
	if (next)
		wake_up_process(next);
	spin_unlock_irqrestore(&lock->wait_lock, flags);
}
EXPORT_SYMBOL(mutex_unlock);
