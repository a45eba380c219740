/*
 * include/kernel/rcupdate.h - read-copy update, the classic
 * non-preemptible kind (Linux: include/linux/rcupdate.h, the "Classic
 * RCU" of 2.6 and today's CONFIG_PREEMPT_RCU=n; kernel/rcu/update.c here).
 *
 * Readers of an RCU-protected structure (the module list) take no lock:
 * rcu_read_lock() only disables preemption, so a reader runs to
 * rcu_read_unlock() without leaving its CPU and must not sleep.  A writer
 * (holding its own lock, module_mutex) unlinks an element with
 * list_del_rcu(), calls synchronize_rcu() and only then frees it.
 *
 * synchronize_rcu() waits for a grace period: every other online CPU
 * has passed a quiescent state - a point where it cannot be inside a
 * read-side section - after the call began.  Quiescent states are a
 * context switch, the idle loop, and a tick that finds preemption enabled.
 * Each CPU counts them (rcu_qs_count); synchronize_rcu() takes a
 * snapshot of the counters and sleeps a tick at a time until each CPU's
 * count has moved or the CPU is halted in idle.  A reader present when
 * the call began has then finished, so nothing can still hold a pointer
 * to the element.  docs/sync.md draws the picture.
 */
#ifndef KERNEL_RCUPDATE_H
#define KERNEL_RCUPDATE_H

#include <kernel/list.h>
#include <kernel/sched.h>

#define rcu_read_lock()		preempt_disable()
#define rcu_read_unlock()	preempt_enable()

/* Within a read section (the tests and checks use it). */
static inline bool rcu_read_lock_held(void)
{
	return preempt_count() > 0;
}

/* Wait for a grace period.  Sleeps: not from a read section or atomic. */
void synchronize_rcu(void);

/* The scheduler's hooks (kernel/sched/core.c). */
void rcu_note_context_switch(void);
void rcu_idle_enter(void);
void rcu_idle_exit(void);

/* Counters: grace periods completed, stall warnings printed. */
struct rcu_stats {
	unsigned long grace_periods;
	unsigned long stall_warnings;
};
void rcu_get_stats(struct rcu_stats *st);

#endif
