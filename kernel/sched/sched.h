/*
 * kernel/sched/sched.h - what the scheduler's files share (Linux:
 * kernel/sched/sched.h): core.c has the run queues and the switch,
 * kthread.c makes and frees the threads.
 */
#ifndef KERNEL_SCHED_SCHED_H
#define KERNEL_SCHED_SCHED_H

#include <kernel/compiler.h>

struct task_struct;

/* The first frame of a new thread: what __switch_to_asm pops. */
struct inactive_task_frame {
	unsigned long r15, r14, r13, r12, rbx, rbp;
	unsigned long ret_addr;		/* ret_from_kthread */
	unsigned long end_of_chain;	/* 0: the backtrace stops */
};

/* core.c */
void ret_from_kthread(void);		/* a new thread's first return */
void __schedule(bool preempt);		/* interrupts off */
bool sched_rq_initialized(unsigned int cpu);

/* kthread.c: a thread asleep on cpu (sched_init() makes the idle ones). */
struct task_struct *task_alloc(int (*threadfn)(void *data), void *data,
			       unsigned int cpu, const char *name);
void sched_thread_counts(unsigned long *created, unsigned long *freed);

#endif
