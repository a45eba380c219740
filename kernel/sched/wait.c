/*
 * kernel/sched/wait.c - wait queues (Linux: kernel/sched/wait.c).  The
 * interface and the reason no wake-up is lost are in include/kernel/wait.h.
 *
 * The queue's spinlock orders everything: an entry is added and the
 * task's state set under it (prepare_to_wait), and a waker walks the
 * queue and wakes under it (__wake_up).  autoremove_wake_function takes a
 * woken entry off the queue, so a second wake_up() goes to someone else;
 * finish_wait() removes the entry when the waiter ended without being
 * woken (condition true at the check, or a timeout).  Exclusive waiters
 * (WQ_FLAG_EXCLUSIVE, at the tail) are woken nr at a time; the others all.
 */
#include <kernel/export.h>
#include <kernel/sched.h>
#include <kernel/wait.h>

void init_waitqueue_head(struct wait_queue_head *wq_head)
{
	spin_lock_init(&wq_head->lock, "wait_queue_head");
	INIT_LIST_HEAD(&wq_head->head);
}
EXPORT_SYMBOL(init_waitqueue_head);

unsigned int waitqueue_len(struct wait_queue_head *wq_head)
{
	struct wait_queue_entry *e;
	unsigned int n = 0;
	unsigned long flags = spin_lock_irqsave(&wq_head->lock);

	list_for_each_entry(e, &wq_head->head, entry)
		n++;
	spin_unlock_irqrestore(&wq_head->lock, flags);
	return n;
}

void add_wait_queue(struct wait_queue_head *wq_head,
		    struct wait_queue_entry *wq_entry)
{
	unsigned long flags = spin_lock_irqsave(&wq_head->lock);

	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	list_add(&wq_entry->entry, &wq_head->head);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}
EXPORT_SYMBOL(add_wait_queue);

void remove_wait_queue(struct wait_queue_head *wq_head,
		       struct wait_queue_entry *wq_entry)
{
	unsigned long flags = spin_lock_irqsave(&wq_head->lock);

	list_del_init(&wq_entry->entry);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}
EXPORT_SYMBOL(remove_wait_queue);

void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *wq_entry, int state)
{
	unsigned long flags = spin_lock_irqsave(&wq_head->lock);

	wq_entry->flags &= ~WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry))
		list_add(&wq_entry->entry, &wq_head->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}
EXPORT_SYMBOL(prepare_to_wait);

void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state)
{
	unsigned long flags = spin_lock_irqsave(&wq_head->lock);

	wq_entry->flags |= WQ_FLAG_EXCLUSIVE;
	if (list_empty(&wq_entry->entry))
		list_add_tail(&wq_entry->entry, &wq_head->head);
	set_current_state(state);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}
EXPORT_SYMBOL(prepare_to_wait_exclusive);

void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry)
{
	unsigned long flags;

	__set_current_state(TASK_RUNNING);
	/* Woken entries are already off (autoremove); skip the lock then.
	 * The careful test sees a half-done removal as "not empty". */
	if (!list_empty_careful(&wq_entry->entry)) {
		flags = spin_lock_irqsave(&wq_head->lock);
		list_del_init(&wq_entry->entry);
		spin_unlock_irqrestore(&wq_head->lock, flags);
	}
}
EXPORT_SYMBOL(finish_wait);

int default_wake_function(struct wait_queue_entry *wq_entry,
			  unsigned int mode, int flags, void *key)
{
	(void)flags;
	(void)key;
	return try_to_wake_up(wq_entry->private, mode);
}
EXPORT_SYMBOL(default_wake_function);

int autoremove_wake_function(struct wait_queue_entry *wq_entry,
			     unsigned int mode, int flags, void *key)
{
	int ret = default_wake_function(wq_entry, mode, flags, key);

	if (ret)
		list_del_init(&wq_entry->entry);
	return ret;
}
EXPORT_SYMBOL(autoremove_wake_function);

void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode,
		      int nr)
{
	struct wait_queue_entry *curr, *next;

	list_for_each_entry_safe(curr, next, &wq_head->head, entry) {
		unsigned int flags = curr->flags;
		int ret = curr->func(curr, mode, 0, NULL);

		if (ret < 0)
			break;
		if (ret && (flags & WQ_FLAG_EXCLUSIVE) && !--nr)
			break;
	}
}

void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr,
	       void *key)
{
	unsigned long flags = spin_lock_irqsave(&wq_head->lock);

	(void)key;
	__wake_up_locked(wq_head, mode, nr);
	spin_unlock_irqrestore(&wq_head->lock, flags);
}
EXPORT_SYMBOL(__wake_up);
