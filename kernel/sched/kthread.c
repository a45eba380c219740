/*
 * kernel/sched/kthread.c - kernel threads: created asleep on a CPU with a
 * stack of their own, started by wake_up_process(), stopped and freed by
 * kthread_stop() (Linux: kernel/kthread.c).
 *
 * A new thread's stack holds one struct inactive_task_frame, what
 * __switch_to_asm() pops when the thread is first switched to: zero
 * callee-saved registers and a return into ret_from_kthread
 * (kernel/sched/core.c), which releases the run-queue lock and calls
 * kthread_entry() here.  The stack is in the vmap area with a guard page
 * below it (kernel_stack_alloc()), so an overflow faults at once.
 */
#include <kernel/completion.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include "sched.h"

static unsigned long threads_created, threads_freed;
static unsigned int next_cpu_rr;

void sched_thread_counts(unsigned long *created, unsigned long *freed)
{
	*created = __atomic_load_n(&threads_created, __ATOMIC_RELAXED);
	*freed = __atomic_load_n(&threads_freed, __ATOMIC_RELAXED);
}

__used __noreturn void kthread_entry(void)
{
	struct task_struct *p = current;

	kthread_exit(p->threadfn(p->data));
}

void __noreturn kthread_exit(int code)
{
	struct task_struct *p = current;

	p->exit_code = code;
	complete_all(&p->exited);	/* every waiter, kthread_stop() too */
	/* Interrupts off: not preempted between the state and the switch.
	 * Once switched out the task never runs again; kthread_stop() frees
	 * its stack when on_cpu has dropped (its last use of the stack). */
	local_irq_disable();
	__set_current_state(TASK_DEAD);
	__schedule(false);
	panic("sched: dead task %s ran again", p->comm);
}

struct task_struct *task_alloc(int (*threadfn)(void *data), void *data,
			       unsigned int cpu, const char *name)
{
	struct task_struct *p = kzalloc(sizeof(*p));
	struct inactive_task_frame *frame;

	if (!p)
		return NULL;
	p->stack = kernel_stack_alloc(THREAD_SIZE);
	if (!p->stack) {
		kfree(p);
		return NULL;
	}
	p->stack_size = THREAD_SIZE;
	p->threadfn = threadfn;
	p->data = data;
	p->cpu = cpu;
	/* Asleep until wake_up_process(), as Linux's new kthreads. */
	p->__state = TASK_UNINTERRUPTIBLE;
	INIT_LIST_HEAD(&p->run_list);
	INIT_LIST_HEAD(&p->timer_list);
	init_completion(&p->exited);
	strlcpy(p->comm, name, sizeof(p->comm));

	frame = (struct inactive_task_frame *)((char *)p->stack + THREAD_SIZE) - 1;
	memset(frame, 0, sizeof(*frame));
	frame->ret_addr = (unsigned long)ret_from_kthread;
	p->thread_sp = (unsigned long)frame;
	__atomic_fetch_add(&threads_created, 1, __ATOMIC_RELAXED);
	return p;
}

static void task_free(struct task_struct *p)
{
	/* Unmapped now and shot down on every CPU at the next lazy purge
	 * (vm_unmap_aliases()), before the pages can be reused: no CPU that
	 * ran or woke this thread keeps a stale TLB entry for its stack. */
	kernel_stack_free(p->stack);
	kfree(p);
	__atomic_fetch_add(&threads_freed, 1, __ATOMIC_RELAXED);
}

struct task_struct *kthread_create_on_cpu(int (*threadfn)(void *data),
					  void *data, unsigned int cpu,
					  const char *name)
{
	struct task_struct *p;

	if (cpu >= NR_CPUS || !cpu_online(cpu) || !sched_rq_initialized(cpu)) {
		pr_err("kthread: %s: CPU %u is not online\n", name, cpu);
		return ERR_PTR(-EINVAL);
	}
	p = task_alloc(threadfn, data, cpu, name);
	if (!p)
		return ERR_PTR(-ENOMEM);
	p->pinned = true;
	return p;
}

struct task_struct *kthread_create(int (*threadfn)(void *data), void *data,
				   const char *name)
{
	unsigned int n = __atomic_fetch_add(&next_cpu_rr, 1, __ATOMIC_RELAXED);
	unsigned int online = num_online_cpus(), cpu;
	struct task_struct *p;

	n %= online ? online : 1;
	for_each_online_cpu(cpu)
		if (n-- == 0)
			break;
	p = kthread_create_on_cpu(threadfn, data, cpu, name);
	if (!IS_ERR(p))
		p->pinned = false;
	return p;
}

struct task_struct *kthread_run_on_cpu(int (*threadfn)(void *data),
				       void *data, unsigned int cpu,
				       const char *name)
{
	struct task_struct *p = kthread_create_on_cpu(threadfn, data, cpu, name);

	if (!IS_ERR(p))
		wake_up_process(p);
	return p;
}

struct task_struct *kthread_run(int (*threadfn)(void *data), void *data,
				const char *name)
{
	struct task_struct *p = kthread_create(threadfn, data, name);

	if (!IS_ERR(p))
		wake_up_process(p);
	return p;
}

bool kthread_should_stop(void)
{
	return READ_ONCE(current->should_stop);
}

int kthread_stop(struct task_struct *k)
{
	int ret;

	might_sleep();
	WRITE_ONCE(k->should_stop, true);
	wake_up_process(k);
	wait_for_completion(&k->exited);
	/* Dead and off its CPU: nothing uses the stack any more. */
	while (READ_ONCE(k->__state) != TASK_DEAD ||
	       __atomic_load_n(&k->on_cpu, __ATOMIC_ACQUIRE))
		schedule_timeout_uninterruptible(1);
	ret = k->exit_code;
	task_free(k);
	return ret;
}
