/*
 * kernel/sched/completion.c - completions (Linux: kernel/sched/
 * completion.c), built on a wait queue and a count; see
 * include/kernel/completion.h.
 *
 * The count and the queue share the queue's lock, so complete() and a
 * waiter's test-then-sleep cannot interleave badly: the waiter queues
 * itself and sets its state under the lock, tests done, and only then
 * drops the lock and sleeps; complete() raises done and wakes under it.
 * Waiters are exclusive, so complete() wakes exactly one.
 */
#include <kernel/completion.h>
#include <kernel/sched.h>

void complete(struct completion *x)
{
	unsigned long flags = spin_lock_irqsave(&x->wait.lock);

	if (x->done != COMPLETION_DONE_ALL)
		x->done++;
	__wake_up_locked(&x->wait, TASK_NORMAL, 1);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

void complete_all(struct completion *x)
{
	unsigned long flags = spin_lock_irqsave(&x->wait.lock);

	x->done = COMPLETION_DONE_ALL;
	__wake_up_locked(&x->wait, TASK_NORMAL, 0);
	spin_unlock_irqrestore(&x->wait.lock, flags);
}

/* Linux's do_wait_for_common, with the queue lock held on entry/exit. */
static long do_wait_for_common(struct completion *x, long timeout)
{
	if (!x->done) {
		DEFINE_WAIT(wait);

		wait.flags |= WQ_FLAG_EXCLUSIVE;
		do {
			/* A wake-up took us off; queue again to go on. */
			if (list_empty(&wait.entry))
				list_add_tail(&wait.entry, &x->wait.head);
			__set_current_state(TASK_UNINTERRUPTIBLE);
			spin_unlock(&x->wait.lock);
			local_irq_enable();
			timeout = schedule_timeout(timeout);
			local_irq_disable();
			spin_lock(&x->wait.lock);
		} while (!x->done && timeout);
		if (!list_empty(&wait.entry))
			list_del_init(&wait.entry);
		__set_current_state(TASK_RUNNING);
		if (!x->done)
			return timeout;
	}
	if (x->done != COMPLETION_DONE_ALL)
		x->done--;
	return timeout ? timeout : 1;
}

static long wait_for_common(struct completion *x, long timeout)
{
	unsigned long flags;

	might_sleep();
	flags = spin_lock_irqsave(&x->wait.lock);
	timeout = do_wait_for_common(x, timeout);
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return timeout;
}

void wait_for_completion(struct completion *x)
{
	wait_for_common(x, MAX_SCHEDULE_TIMEOUT);
}

unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout)
{
	if ((long)timeout < 0)
		timeout = MAX_SCHEDULE_TIMEOUT;
	return wait_for_common(x, (long)timeout);
}

bool try_wait_for_completion(struct completion *x)
{
	unsigned long flags;
	bool ret = false;

	flags = spin_lock_irqsave(&x->wait.lock);
	if (x->done) {
		if (x->done != COMPLETION_DONE_ALL)
			x->done--;
		ret = true;
	}
	spin_unlock_irqrestore(&x->wait.lock, flags);
	return ret;
}

bool completion_done(struct completion *x)
{
	return READ_ONCE(x->done) != 0;
}
