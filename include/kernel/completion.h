/*
 * include/kernel/completion.h - "this has happened" events (Linux:
 * include/linux/completion.h, kernel/sched/completion.c).
 *
 * A completion counts events: complete() adds one and wakes one waiter,
 * wait_for_completion() sleeps until the count is non-zero and takes one.
 * complete_all() makes it permanently done (every present and future
 * waiter passes) until reinit_completion().  Because the count is kept,
 * complete() before anyone waits is not lost - the difference from a bare
 * wake_up().
 */
#ifndef KERNEL_COMPLETION_H
#define KERNEL_COMPLETION_H

#include <kernel/wait.h>

#define COMPLETION_DONE_ALL	(~0U)	/* complete_all(): done for good */

struct completion {
	unsigned int done;
	struct wait_queue_head wait;
};

#define COMPLETION_INITIALIZER(work)					\
	{ 0, __WAIT_QUEUE_HEAD_INITIALIZER((work).wait) }
#define DECLARE_COMPLETION(work)					\
	struct completion work = COMPLETION_INITIALIZER(work)

static inline void init_completion(struct completion *x)
{
	x->done = 0;
	init_waitqueue_head(&x->wait);
}

static inline void reinit_completion(struct completion *x)
{
	x->done = 0;
}

void complete(struct completion *x);
void complete_all(struct completion *x);
void wait_for_completion(struct completion *x);
/* 0 if timeout jiffies passed first, else the jiffies left (>= 1). */
unsigned long wait_for_completion_timeout(struct completion *x,
					  unsigned long timeout);
/* Take one event if there is one, without sleeping. */
bool try_wait_for_completion(struct completion *x);
bool completion_done(struct completion *x);

#endif
