/*
 * include/kernel/ktest/threads.h - helpers the test suites that run
 * threads share (scheduling, wait queues, locking, RCU, the module loader,
 * the per-CPU allocator): start a thread pinned to a CPU, and reap one
 * without ever waiting forever (a thread that does not finish is a failed
 * test and a reported leak, not a hung boot).
 */
#ifndef KERNEL_KTEST_THREADS_H
#define KERNEL_KTEST_THREADS_H

#include <kernel/err.h>
#include <kernel/ktest.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/time.h>

#define KT_REAP_TIMEOUT		(10 * HZ)

/* Start fn(data) pinned to cpu; NULL (and the test failed) if it can't. */
static inline struct task_struct *kt_start(struct ktest *t,
					   int (*fn)(void *), void *data,
					   unsigned int cpu, const char *name)
{
	struct task_struct *k = kthread_run_on_cpu(fn, data, cpu, name);

	if (IS_ERR(k)) {
		ktest_fail(t, __FILE__, __LINE__, "kthread %s on CPU %u: %ld",
			   name, cpu, PTR_ERR(k));
		return NULL;
	}
	return k;
}

/*
 * Wait (bounded) for k's function to return, then kthread_stop() it:
 * its exit code, or -1 after failing the test if it did not finish (the
 * thread is then left alone: it still owns its stack).
 */
static inline int kt_reap(struct ktest *t, struct task_struct *k,
			  unsigned long timeout)
{
	if (!k)
		return -1;
	if (!wait_for_completion_timeout(&k->exited, timeout)) {
		ktest_fail(t, __FILE__, __LINE__,
			   "thread %s on CPU %u did not finish in %lu jiffies",
			   k->comm, k->cpu, timeout);
		return -1;
	}
	return kthread_stop(k);
}

/* Sleep until *flag becomes true or timeout jiffies pass: true if set. */
static inline bool kt_wait_flag(const volatile int *flag,
				unsigned long timeout)
{
	unsigned long end = jiffies + timeout;

	while (!*flag) {
		if ((long)(jiffies - end) >= 0)
			return false;
		schedule_timeout_uninterruptible(1);
	}
	return true;
}

/*
 * Tests that keep CPUs spinning use at most this many, spread over the
 * online ones (first and last included): 64 virtual CPUs spinning under
 * TCG on a 2-core host starve the boot running beside them in make test.
 */
#define KT_MAX_SPINNING_CPUS	4

/* Is cpu one of the (at most) max online CPUs picked, evenly spread? */
static inline bool kt_sampled_cpu(unsigned int cpu, unsigned int max)
{
	unsigned int online = num_online_cpus(), index = 0, c;

	if (online <= max)
		return cpu_online(cpu);
	for_each_online_cpu(c) {
		if (c == cpu)
			break;
		index++;
	}
	if (c != cpu)
		return false;
	/* Indices round(i * (online - 1) / (max - 1)), i = 0 .. max-1. */
	for (unsigned int i = 0; i < max; i++)
		if (index == (i * (online - 1) + (max - 1) / 2) / (max - 1))
			return true;
	return false;
}

/* The next online CPU after cpu, wrapping around. */
static inline unsigned int kt_next_online(unsigned int cpu)
{
	unsigned int next = cpumask_next_from(cpu + 1, cpu_online_mask);

	return next < NR_CPUS ? next : cpumask_next_from(0, cpu_online_mask);
}

#endif
