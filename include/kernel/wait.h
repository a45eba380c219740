/*
 * include/kernel/wait.h - wait queues (Linux: include/linux/wait.h,
 * kernel/sched/wait.c).
 *
 * A wait queue is a list of sleeping tasks behind a spinlock.  A task that
 * must wait for a condition puts an entry on the queue, marks itself as
 * sleeping, checks the condition once more and only then calls schedule();
 * whoever makes the condition true calls wake_up() after doing so.  This
 * order - prepare, check, schedule - is what makes a wake-up impossible to
 * lose (docs/sync.md, "Wait queues"):
 *
 *	waiter                              waker
 *	prepare_to_wait(): on the queue,
 *	  state = TASK_UNINTERRUPTIBLE
 *	if (cond) break;                    cond = true;
 *	schedule();                         wake_up(): state = TASK_RUNNING
 *
 * If the waker runs before the check, the check sees cond.  If it runs
 * after it, the waiter is already on the queue, so the wake-up finds it and
 * sets it running again, and schedule() keeps it on the run queue (or puts
 * it back).  Either way the waiter does not sleep through the event.
 *
 * wait_event(wq, cond) and wait_event_timeout(wq, cond, jiffies) wrap that
 * loop, as Linux's do.  wait_event_timeout returns 0 if the time ran out
 * with cond still false, otherwise the jiffies left (at least 1).
 *
 * The macros use current, schedule() and TASK_*: include <kernel/sched.h>
 * (which includes this file) where they are used.
 *
 * Simplification: no signals, so TASK_INTERRUPTIBLE sleeps are never
 * interrupted; the _interruptible forms are not provided.
 */
#ifndef KERNEL_WAIT_H
#define KERNEL_WAIT_H

#include <kernel/list.h>
#include <kernel/spinlock.h>

struct task_struct;
struct wait_queue_entry;

typedef int (*wait_queue_func_t)(struct wait_queue_entry *wq_entry,
				 unsigned int mode, int flags, void *key);

#define WQ_FLAG_EXCLUSIVE	0x01	/* wake_up() wakes only one of these */

struct wait_queue_entry {
	unsigned int flags;
	struct task_struct *private;	/* the sleeping task */
	wait_queue_func_t func;
	struct list_head entry;
};

struct wait_queue_head {
	spinlock_t lock;
	struct list_head head;
};
typedef struct wait_queue_head wait_queue_head_t;

#define __WAIT_QUEUE_HEAD_INITIALIZER(name) {				\
	.lock = SPINLOCK_INIT(#name),					\
	.head = LIST_HEAD_INIT((name).head) }
#define DECLARE_WAIT_QUEUE_HEAD(name)					\
	struct wait_queue_head name = __WAIT_QUEUE_HEAD_INITIALIZER(name)

void init_waitqueue_head(struct wait_queue_head *wq_head);

int default_wake_function(struct wait_queue_entry *wq_entry,
			  unsigned int mode, int flags, void *key);
int autoremove_wake_function(struct wait_queue_entry *wq_entry,
			     unsigned int mode, int flags, void *key);

/* An on-stack entry for the current task, removed when it is woken. */
#define DEFINE_WAIT(name)						\
	struct wait_queue_entry name = {				\
		.private = current,					\
		.func = autoremove_wake_function,			\
		.entry = LIST_HEAD_INIT((name).entry),			\
	}

void add_wait_queue(struct wait_queue_head *wq_head,
		    struct wait_queue_entry *wq_entry);
void remove_wait_queue(struct wait_queue_head *wq_head,
		       struct wait_queue_entry *wq_entry);

/* Queue the entry (if it is not queued yet) and set the task's state. */
void prepare_to_wait(struct wait_queue_head *wq_head,
		     struct wait_queue_entry *wq_entry, int state);
void prepare_to_wait_exclusive(struct wait_queue_head *wq_head,
			       struct wait_queue_entry *wq_entry, int state);
/* Running again, and off the queue. */
void finish_wait(struct wait_queue_head *wq_head,
		 struct wait_queue_entry *wq_entry);

/* Wake every non-exclusive waiter and up to nr exclusive ones (0: all). */
void __wake_up(struct wait_queue_head *wq_head, unsigned int mode, int nr,
	       void *key);
/* The same, with wq_head->lock already held. */
void __wake_up_locked(struct wait_queue_head *wq_head, unsigned int mode,
		      int nr);

#define wake_up(x)		__wake_up(x, TASK_NORMAL, 1, NULL)
#define wake_up_nr(x, nr)	__wake_up(x, TASK_NORMAL, nr, NULL)
#define wake_up_all(x)		__wake_up(x, TASK_NORMAL, 0, NULL)

/* Is anybody waiting?  (The caller orders it against its condition.) */
static inline bool waitqueue_active(struct wait_queue_head *wq_head)
{
	return !list_empty(&wq_head->head);
}

/* How many are waiting now (the leak baseline's module_wq waiters). */
unsigned int waitqueue_len(struct wait_queue_head *wq_head);

/* Sleep until condition is true.  May not be called in atomic context. */
#define wait_event(wq_head, condition)					\
	do {								\
		might_sleep();						\
		if (condition)						\
			break;						\
		DEFINE_WAIT(__wait);					\
		for (;;) {						\
			prepare_to_wait(&(wq_head), &__wait,		\
					TASK_UNINTERRUPTIBLE);		\
			if (condition)					\
				break;					\
			schedule();					\
		}							\
		finish_wait(&(wq_head), &__wait);			\
	} while (0)

/*
 * Linux's ___wait_cond_timeout: the condition decides, except that a
 * true condition found just as the time ran out still counts (ret 1).
 */
#define ___wait_cond_timeout(condition, ret)				\
	({								\
		bool __cond = (condition);				\
		if (__cond && !(ret))					\
			(ret) = 1;					\
		__cond || !(ret);					\
	})

/* Sleep until condition or timeout jiffies: 0 on timeout, else left. */
#define wait_event_timeout(wq_head, condition, timeout)			\
	({								\
		long __ret = (timeout);					\
		might_sleep();						\
		if (!___wait_cond_timeout(condition, __ret)) {		\
			DEFINE_WAIT(__wait);				\
			for (;;) {					\
				prepare_to_wait(&(wq_head), &__wait,	\
						TASK_UNINTERRUPTIBLE);	\
				if (___wait_cond_timeout(condition, __ret)) \
					break;				\
				__ret = schedule_timeout(__ret);	\
			}						\
			finish_wait(&(wq_head), &__wait);		\
		}							\
		__ret;							\
	})

#endif
