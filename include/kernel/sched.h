/*
 * include/kernel/sched.h - kernel threads and the scheduler (Linux:
 * include/linux/sched.h, kernel/sched/core.c, kernel/kthread.c).
 *
 * Every thread of control is a struct task_struct with its own kernel
 * stack.  Each CPU has a run queue (struct rq, per-CPU, its own spinlock)
 * holding the tasks that are ready to run there, served round robin; the
 * one running now is rq->curr, read cheaply as `current` (a per-CPU
 * pointer, as Linux x86's current_task).  When nothing is ready the CPU
 * runs its idle task ("swapper/N"), which halts until an interrupt.
 *
 * A task changes CPU never: kthread_create_on_cpu() pins it to one,
 * kthread_create() places it on a CPU round robin and it stays there.  So
 * smp_processor_id() is stable for a task, and per-CPU data it reaches is
 * always its own CPU's.  (No load balancing: a simplification.)
 *
 * A switch happens in three ways:
 *   - a task sleeps: sets its state (TASK_UNINTERRUPTIBLE...) and calls
 *     schedule(); wake_up_process() makes it TASK_RUNNING and queues it;
 *   - a task yields: yield(), or schedule() while TASK_RUNNING;
 *   - preemption: the tick (scheduler_tick) or a wake-up sets the CPU's
 *     need_resched, and the return from the interrupt switches, if the
 *     interrupted code was preemptible (preempt_count 0, no spinlock held,
 *     interrupts on).  See docs/sync.md for the stack pictures.
 *
 * Preemption is disabled by preempt_disable() (a per-CPU count, as
 * Linux's x86 __preempt_count), by holding any spinlock (the per-CPU
 * spinlocks_held count of include/kernel/spinlock.h) and by interrupts
 * being off.  rcu_read_lock() is preempt_disable().
 */
#ifndef KERNEL_SCHED_H
#define KERNEL_SCHED_H

#include <kernel/compiler.h>
#include <kernel/list.h>
#include <kernel/percpu.h>
#include <kernel/spinlock.h>

/* Task states (Linux's values). */
#define TASK_RUNNING		0x0000
#define TASK_INTERRUPTIBLE	0x0001
#define TASK_UNINTERRUPTIBLE	0x0002
#define TASK_DEAD		0x0080
#define TASK_NORMAL		(TASK_INTERRUPTIBLE | TASK_UNINTERRUPTIBLE)

#define TASK_COMM_LEN		16
#define THREAD_SIZE		(16 * 1024)	/* a kthread's stack */
#define MAX_SCHEDULE_TIMEOUT	((long)(~0UL >> 1))

#include <kernel/completion.h>

struct task_struct {
	/* Saved RSP while switched out; first, for __switch_to_asm. */
	unsigned long thread_sp;
	volatile unsigned int __state;
	unsigned int cpu;		/* the CPU it runs on, for life */
	bool pinned;			/* asked for that CPU */
	int on_rq;			/* runnable: queued or running */
	int on_cpu;			/* registers live on a CPU now */
	struct list_head run_list;	/* rq->queue */
	/* schedule_timeout(): on rq->timers until timer_expires. */
	struct list_head timer_list;
	unsigned long timer_expires;
	void *stack;			/* lowest address; NULL: not ours */
	unsigned long stack_size;
	int (*threadfn)(void *data);
	void *data;
	int exit_code;
	bool should_stop;		/* kthread_stop() was called */
	struct completion exited;	/* the thread function returned */
	unsigned long nvcsw, nivcsw;	/* voluntary/involuntary switches */
	char comm[TASK_COMM_LEN];
};

DECLARE_PER_CPU(struct task_struct *, current_task);

static inline struct task_struct *get_current(void)
{
	return this_cpu_read(current_task);
}
#define current		get_current()

/* Store the state with a full barrier (Linux's smp_store_mb): a waker's
 * later test of the state is ordered against our test of the condition. */
#define set_current_state(state)					\
	__atomic_store_n(&current->__state, (state), __ATOMIC_SEQ_CST)
#define __set_current_state(state)	WRITE_ONCE(current->__state, (state))

/* ---- preemption ------------------------------------------------------ */

DECLARE_PER_CPU(int, __preempt_count);
DECLARE_PER_CPU(int, sched_need_resched);

static inline int preempt_count(void)
{
	return this_cpu_read(__preempt_count);
}

static inline bool need_resched(void)
{
	return this_cpu_read(sched_need_resched) != 0;
}

void preempt_schedule(void);

#define preempt_disable()						\
	do {								\
		this_cpu_inc(__preempt_count);				\
		barrier();						\
	} while (0)

#define preempt_enable_no_resched()					\
	do {								\
		barrier();						\
		this_cpu_dec(__preempt_count);				\
	} while (0)

#define preempt_enable()						\
	do {								\
		preempt_enable_no_resched();				\
		if (unlikely(!preempt_count() && need_resched()))	\
			preempt_schedule();				\
	} while (0)

/* Can this context sleep?  (For checks, not for choosing behaviour.) */
bool preemptible(void);

/* ---- the scheduler ----------------------------------------------------- */

/* Boot CPU, after setup_per_cpu_areas(): run queues for every possible
 * CPU, the boot context becomes task "kmain" on CPU 0, CPU 0's idle task. */
void sched_init(void);
/* An AP, at the end of its start-up: become this CPU's idle task. */
void cpu_startup_entry(void) __noreturn;

void schedule(void);
/* Sleep (in the state already set) for up to timeout jiffies: 0 if the
 * time ran out, else the jiffies left.  MAX_SCHEDULE_TIMEOUT: no limit. */
long schedule_timeout(long timeout);
long schedule_timeout_uninterruptible(long timeout);
void yield(void);
/* Switch if this CPU was asked to (a cheap preemption point). */
void cond_resched(void);

/* Make a sleeping task runnable: 1 if it was sleeping in one of 'state'. */
int try_to_wake_up(struct task_struct *p, unsigned int state);
int wake_up_process(struct task_struct *p);

/* From the timer interrupt, on every CPU (kernel/time/tick.c). */
void scheduler_tick(void);
struct pt_regs;
/* From trap_dispatch() after an interrupt handler: preempt if asked. */
void irqentry_exit_cond_resched(struct pt_regs *regs);

/* ---- kernel threads --------------------------------------------------- */

/*
 * A new thread that will run threadfn(data) on 'cpu', pinned there.  It
 * starts when woken (wake_up_process); kthread_run does both.  The name
 * is copied.  ERR_PTR(-EINVAL) for an offline CPU, -ENOMEM.
 * Every thread must be reaped with kthread_stop(), which frees it.
 */
struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data),
					  void *data, unsigned int cpu,
					  const char *name);
/* The same on a CPU picked round robin among the online ones. */
struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *name);
struct task_struct *kthread_run_on_cpu(int (*threadfn)(void *data),
				       void *data, unsigned int cpu,
				       const char *name);
struct task_struct *kthread_run(int (*threadfn)(void *data), void *data,
				const char *name);
/* Ask the thread to stop (kthread_should_stop() turns true), wake it,
 * wait for it to finish; free it.  Returns threadfn's result. */
int kthread_stop(struct task_struct *k);
bool kthread_should_stop(void);
/* End the calling thread now with 'code' (as if threadfn returned it). */
void kthread_exit(int code) __noreturn;

/* Counters, for tests and reports. */
struct sched_stats {
	unsigned long threads_created;
	unsigned long threads_freed;	/* reaped, stack and struct freed */
	unsigned long context_switches;	/* all CPUs */
	unsigned long preemptions;	/* switches forced at interrupt return */
	unsigned long atomic_sleep_reports;	/* "scheduling while atomic" */
};
void sched_get_stats(struct sched_stats *st);
/* Switches this CPU has done. */
unsigned long sched_cpu_switches(unsigned int cpu);

#endif
