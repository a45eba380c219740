/*
 * kernel/sched/core.c - run queues, the context switch, preemption and
 * idle (Linux: kernel/sched/core.c, kernel/sched/idle.c,
 * arch/x86/entry/entry_64.S __switch_to_asm); threads are created and
 * stopped in kernel/sched/kthread.c.
 *
 * One run queue per CPU:
 *
 *	runqueues[cpu]: lock | curr -> task A (running)
 *	                     | queue: B <-> C <-> D     (ready, round robin)
 *	                     | timers: E (sleeping in schedule_timeout)
 *	                     | idle -> swapper/cpu     (when queue is empty)
 *
 * __schedule() runs with interrupts off and the rq lock held: it puts the
 * previous task back at the tail of the queue (if it is still runnable),
 * takes the head, and __switch_to_asm() swaps stacks.  The rq lock stays
 * held across the switch and is released by the task we switched to, in
 * finish_task_switch() (so a waker on another CPU, which takes the same
 * lock, never sees a task half switched out).  A new thread's first
 * "return" from the switch lands in ret_from_kthread, which does the same
 * release before calling the thread function.
 *
 * What a switched-out task leaves on its own stack (top is higher):
 *
 *	... its calls down to schedule() or, if preempted, the interrupt
 *	    frame (struct pt_regs) and trap_dispatch() ...
 *	return address into __schedule
 *	rbp rbx r12 r13 r14 r15       <- task->thread_sp
 *
 * Only callee-saved registers are saved: the switch is a function call,
 * so the compiler has already saved the rest where it needed them (an
 * interrupted task's other registers are in its pt_regs).  No FPU state:
 * the kernel is built with -mgeneral-regs-only.
 *
 * Preemption from an interrupt (irqentry_exit_cond_resched, called by
 * trap_dispatch after the handler): the interrupted task's registers are
 * in the pt_regs on its own stack; switching away leaves them there, and
 * when the task is picked again it returns through trap_dispatch and
 * isr_common's iretq as if the interrupt had just ended.  That only works
 * because every task has its own stack.
 *
 * Simplifications: no load balancing or migration (a task's CPU is fixed
 * at creation); one priority, one-tick round-robin slices; no signals.
 */
#include <kernel/export.h>
#include <kernel/apic.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/ksyms.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/traps.h>
#include "sched.h"

#define X86_EFLAGS_IF		0x200
/* Ticks a task runs before another ready task on its CPU gets a turn. */
#define SCHED_SLICE_TICKS	1

struct rq {
	spinlock_t lock;
	struct task_struct *curr;
	struct task_struct *idle;
	struct list_head queue;		/* ready tasks, not running */
	unsigned int nr_queued;
	struct list_head timers;	/* tasks in schedule_timeout() */
	unsigned int slice_ticks;	/* ticks curr has run this turn */
	unsigned long nr_switches;
	unsigned long nr_preemptions;
	bool ready;			/* this CPU schedules */
};

static DEFINE_PER_CPU_ALIGNED(struct rq, runqueues);
DEFINE_PER_CPU(int, __preempt_count);
EXPORT_SYMBOL(__preempt_count);
DEFINE_PER_CPU(int, sched_need_resched);
EXPORT_SYMBOL(sched_need_resched);

/* The boot context: kmain, on the boot stack, CPU 0's first task.  Every
 * CPU's current_task starts here (the per-CPU template) until the CPU
 * sets its own. */
extern char boot_stack_guard[], boot_stack_top[];
static struct task_struct init_task = {
	.__state = TASK_RUNNING,
	.cpu = 0,
	.pinned = true,
	.on_rq = 1,
	.on_cpu = 1,
	.comm = "kmain",
};
DEFINE_PER_CPU(struct task_struct *, current_task) = &init_task;
EXPORT_SYMBOL(current_task);

static unsigned long atomic_sleep_reports;

#define cpu_rq(cpu)	per_cpu_ptr(&runqueues, cpu)
#define this_rq()	this_cpu_ptr(&runqueues)

/* ---- the context switch --------------------------------------------- */

/*
 * struct task_struct *__switch_to_asm(prev, next): save prev's
 * callee-saved registers on its stack and its RSP in prev->thread_sp,
 * load next's, pop its registers and return on its stack.  The value
 * returned (in next's context) is prev: the task we came from.
 */
struct task_struct *__switch_to_asm(struct task_struct *prev,
				    struct task_struct *next);
BUILD_BUG_ON(offsetof(struct task_struct, thread_sp) != 0);

__asm__(
	".text\n"
	".globl __switch_to_asm\n"
	".type __switch_to_asm, @function\n"
	"__switch_to_asm:\n"
	"	pushq %rbp\n"
	"	pushq %rbx\n"
	"	pushq %r12\n"
	"	pushq %r13\n"
	"	pushq %r14\n"
	"	pushq %r15\n"
	"	movq %rsp, (%rdi)\n"	/* prev->thread_sp */
	"	movq (%rsi), %rsp\n"	/* next->thread_sp */
	"	popq %r15\n"
	"	popq %r14\n"
	"	popq %r13\n"
	"	popq %r12\n"
	"	popq %rbx\n"
	"	popq %rbp\n"
	"	movq %rdi, %rax\n"
	"	ret\n"
	".size __switch_to_asm, . - __switch_to_asm\n"
	/*
	 * A new thread's first return from __switch_to_asm comes here, with
	 * RSP 8 below its stack top, where a 0 return address ends the frame
	 * chain.  Push a 0 frame pointer (realigning RSP to 16), release the
	 * rq lock as finish_task_switch does, then run the thread.
	 */
	".globl ret_from_kthread\n"
	".type ret_from_kthread, @function\n"
	"ret_from_kthread:\n"
	"	pushq $0\n"
	"	movq %rsp, %rbp\n"
	"	movq %rax, %rdi\n"
	"	call schedule_tail\n"
	"	call kthread_entry\n"
	"	ud2\n"
	".size ret_from_kthread, . - ret_from_kthread\n");


/* ---- run queue helpers (rq->lock held) ------------------------------- */

static void enqueue_task(struct rq *rq, struct task_struct *p)
{
	list_add_tail(&p->run_list, &rq->queue);
	rq->nr_queued++;
}

static struct task_struct *pick_next_task(struct rq *rq)
{
	struct task_struct *next;

	if (list_empty(&rq->queue))
		return rq->idle;
	next = list_first_entry(&rq->queue, struct task_struct, run_list);
	list_del_init(&next->run_list);
	rq->nr_queued--;
	return next;
}

/* Ask 'cpu' to run schedule() soon: a flag, and an IPI if it is not us. */
static void resched_cpu(unsigned int cpu)
{
	WRITE_ONCE(per_cpu(sched_need_resched, cpu), 1);
	if (cpu != smp_processor_id())
		apic_send_ipi(per_cpu(cpu_apic_id, cpu), RESCHEDULE_VECTOR);
}

/* ---- switching -------------------------------------------------------- */

/* The second half of a switch, in the task switched to. */
static void finish_task_switch(struct task_struct *prev)
{
	struct rq *rq = this_rq();

	if (prev != current)
		__atomic_store_n(&prev->on_cpu, 0, __ATOMIC_RELEASE);
	spin_unlock(&rq->lock);
	preempt_enable_no_resched();
}

/* A new thread's first C code (from ret_from_kthread). */
__used void schedule_tail(struct task_struct *prev)
{
	/* A new thread holds only the rq lock, with preemption off once. */
	this_cpu_write(__preempt_count, 1);
	this_cpu_write(spinlocks_held, 1);
	finish_task_switch(prev);
	local_irq_enable();
}

/*
 * Pick the next task and switch to it.  Interrupts off.  'preempt': the
 * task is being preempted, not going to sleep, so it stays runnable
 * whatever its state says (it may be between set_current_state() and
 * schedule(); it will get there when it runs again).
 */
void __schedule(bool preempt)
{
	struct rq *rq = this_rq();
	struct task_struct *prev = current, *next;
	int saved_preempt;
	unsigned int saved_locks;

	preempt_disable();
	spin_lock(&rq->lock);
	/* Normally 1 and 1.  Kept in this frame, so a task that schedules
	 * while atomic (reported by schedule()) gets its own counts back and
	 * does not hand them to the next task. */
	saved_preempt = preempt_count();
	saved_locks = this_cpu_read(spinlocks_held);
	this_cpu_write(sched_need_resched, 0);
	rq->slice_ticks = 0;

	if (!preempt && READ_ONCE(prev->__state) != TASK_RUNNING) {
		prev->on_rq = 0;	/* asleep (or dead) */
	} else if (prev != rq->idle) {
		enqueue_task(rq, prev);
	}
	next = pick_next_task(rq);
	/* A context switch is a quiescent state for RCU: no reader can be
	 * running here (readers disable preemption). */
	rcu_note_context_switch();
	/* Leaving idle, perhaps by preemption at an interrupt's return
	 * (rcu_idle_exit() in the idle loop then runs only later). */
	rcu_idle_exit();

	if (next != prev) {
		rq->curr = next;
		rq->nr_switches++;
		if (preempt)
			rq->nr_preemptions++, prev->nivcsw++;
		else
			prev->nvcsw++;
		next->on_cpu = 1;
		this_cpu_write(current_task, next);
		/* The stack this CPU now runs on: backtraces stay on it, and
		 * a fault in its guard page is named a stack overflow. */
		this_cpu_write(cpu_stack_lo, (unsigned long)next->stack);
		this_cpu_write(cpu_stack_hi,
			       (unsigned long)next->stack + next->stack_size);
		prev = __switch_to_asm(prev, next);
		this_cpu_write(__preempt_count, saved_preempt);
		this_cpu_write(spinlocks_held, saved_locks);
	}
	finish_task_switch(prev);
}

bool preemptible(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags));
	return !preempt_count() && !this_cpu_read(spinlocks_held) &&
	       (flags & X86_EFLAGS_IF);
}

void schedule(void)
{
	unsigned long flags;

	if (!this_rq()->ready)
		return;		/* before this CPU schedules: a busy wait */
	if (unlikely(preempt_count() || this_cpu_read(spinlocks_held))) {
		__atomic_fetch_add(&atomic_sleep_reports, 1, __ATOMIC_RELAXED);
		unsigned long caller = (unsigned long)__builtin_return_address(0);
		uint64_t off = 0;
		const char *sym = ksym_lookup(caller, &off);

		pr_err("BUG: scheduling while atomic: %s/%u, preempt_count %d, spinlocks held %u, called from %s+%#lx\n",
		       current->comm, smp_processor_id(), preempt_count(),
		       this_cpu_read(spinlocks_held), sym ? sym : "?",
		       (unsigned long)off);
	}
	flags = local_irq_save();
	__schedule(false);
	local_irq_restore(flags);
}
EXPORT_SYMBOL(schedule);

/* preempt_enable() reached 0 with a switch pending. */
void preempt_schedule(void)
{
	unsigned long flags;

	if (!this_rq()->ready || !preemptible())
		return;
	flags = local_irq_save();
	do {
		__schedule(true);
	} while (need_resched());
	local_irq_restore(flags);
}
EXPORT_SYMBOL(preempt_schedule);

/* Interrupts are off (an interrupt gate) and stay off until iretq. */
void irqentry_exit_cond_resched(struct pt_regs *regs)
{
	if (!need_resched() || !(regs->rflags & X86_EFLAGS_IF) ||
	    preempt_count() || this_cpu_read(spinlocks_held) ||
	    !this_rq()->ready)
		return;
	do {
		__schedule(true);
	} while (need_resched());
}

void yield(void)
{
	__set_current_state(TASK_RUNNING);
	schedule();
}
EXPORT_SYMBOL(yield);

void cond_resched(void)
{
	if (need_resched() && preemptible())
		schedule();
}
EXPORT_SYMBOL(cond_resched);

/* ---- waking ----------------------------------------------------------- */

/* rq->lock held.  Returns true when the CPU should be asked to switch. */
static bool ttwu_locked(struct rq *rq, struct task_struct *p,
			unsigned int state)
{
	if (!(READ_ONCE(p->__state) & state))
		return false;
	WRITE_ONCE(p->__state, TASK_RUNNING);
	if (p->on_rq)
		return false;	/* still running, or preempted: queued */
	p->on_rq = 1;
	enqueue_task(rq, p);
	return true;
}

int try_to_wake_up(struct task_struct *p, unsigned int state)
{
	struct rq *rq = cpu_rq(p->cpu);
	unsigned long flags;
	bool resched, woke;

	flags = spin_lock_irqsave(&rq->lock);
	woke = READ_ONCE(p->__state) & state;
	resched = ttwu_locked(rq, p, state);
	spin_unlock_irqrestore(&rq->lock, flags);
	if (resched)
		resched_cpu(p->cpu);
	return woke;
}

int wake_up_process(struct task_struct *p)
{
	return try_to_wake_up(p, TASK_NORMAL);
}
EXPORT_SYMBOL(wake_up_process);

/* ---- timeouts --------------------------------------------------------- */

/*
 * The simplest correct timer: each run queue keeps the tasks sleeping in
 * schedule_timeout(), and every tick on that CPU wakes those whose time
 * has come.  A task's CPU never changes, so its timer is always on the
 * CPU it sleeps on, under the same lock as its run queue.
 */
long schedule_timeout(long timeout)
{
	struct task_struct *p = current;
	struct rq *rq = this_rq();
	unsigned long flags, expires;
	long left;

	if (timeout == MAX_SCHEDULE_TIMEOUT) {
		schedule();
		return timeout;
	}
	if (timeout < 0) {
		pr_err("schedule_timeout: wrong timeout value %lx\n",
		       (unsigned long)timeout);
		__set_current_state(TASK_RUNNING);
		return 0;
	}
	expires = jiffies + timeout;
	flags = spin_lock_irqsave(&rq->lock);
	p->timer_expires = expires;
	list_add_tail(&p->timer_list, &rq->timers);
	spin_unlock_irqrestore(&rq->lock, flags);

	schedule();

	flags = spin_lock_irqsave(&rq->lock);
	if (!list_empty(&p->timer_list))
		list_del_init(&p->timer_list);
	spin_unlock_irqrestore(&rq->lock, flags);
	left = (long)(expires - jiffies);
	return left < 0 ? 0 : left;
}
EXPORT_SYMBOL(schedule_timeout);

long schedule_timeout_uninterruptible(long timeout)
{
	set_current_state(TASK_UNINTERRUPTIBLE);
	return schedule_timeout(timeout);
}
EXPORT_SYMBOL(schedule_timeout_uninterruptible);

/* The timer interrupt, on every CPU (kernel/time/tick.c). */
void scheduler_tick(void)
{
	struct rq *rq = this_rq();
	struct task_struct *p, *n;
	bool resched = false;

	if (!rq->ready)
		return;
	/* Not in a read-side section (they disable preemption), so this
	 * CPU is in a quiescent state right now. */
	if (!preempt_count())
		rcu_note_context_switch();

	spin_lock(&rq->lock);
	list_for_each_entry_safe(p, n, &rq->timers, timer_list) {
		if ((long)(jiffies - p->timer_expires) < 0)
			continue;
		list_del_init(&p->timer_list);
		resched |= ttwu_locked(rq, p, TASK_NORMAL);
	}
	if (rq->curr == rq->idle) {
		resched |= rq->nr_queued > 0;
	} else if (rq->nr_queued && ++rq->slice_ticks >= SCHED_SLICE_TICKS) {
		resched = true;		/* round robin: the slice is over */
	}
	spin_unlock(&rq->lock);
	if (resched)
		this_cpu_write(sched_need_resched, 1);
}

/* RESCHEDULE_VECTOR: the sender set our need_resched; trap_dispatch's
 * call to irqentry_exit_cond_resched() does the rest. */
static void reschedule_interrupt(struct pt_regs *regs)
{
	(void)regs;
	apic_eoi();
}

/* ---- idle ------------------------------------------------------------- */

/*
 * Halt until an interrupt, unless there is work.  Interrupts are turned
 * off for the test so a wake-up cannot slip in between the test and the
 * hlt; "sti; hlt" takes no interrupt between the two (sti's one-
 * instruction shadow), so the hlt is ended by any interrupt that arrives.
 */
static void __noreturn do_idle(void)
{
	for (;;) {
		local_irq_disable();
		if (need_resched()) {
			local_irq_enable();
			schedule();
			continue;
		}
		rcu_idle_enter();
		__asm__ __volatile__("sti; hlt" ::: "memory");
		rcu_idle_exit();
	}
}

static int idle_thread_fn(void *unused)
{
	(void)unused;
	do_idle();
}

void __noreturn cpu_startup_entry(void)
{
	unsigned int cpu = smp_processor_id();
	struct rq *rq = this_rq();
	struct task_struct *idle = kzalloc(sizeof(*idle));

	if (!idle) {
		pr_err("sched: no memory for CPU %u's idle task; it only halts\n",
		       cpu);
		local_irq_enable();
		for (;;)
			halt();
	}
	/* This context - the AP's start-up stack - becomes swapper/cpu. */
	idle->__state = TASK_RUNNING;
	idle->cpu = cpu;
	idle->pinned = true;
	idle->on_rq = 1;
	idle->on_cpu = 1;
	INIT_LIST_HEAD(&idle->run_list);
	INIT_LIST_HEAD(&idle->timer_list);
	init_completion(&idle->exited);
	snprintf(idle->comm, sizeof(idle->comm), "swapper/%u", cpu);
	idle->stack = (void *)this_cpu_read(cpu_stack_lo);
	idle->stack_size = this_cpu_read(cpu_stack_hi) -
			   this_cpu_read(cpu_stack_lo);

	local_irq_disable();
	spin_lock(&rq->lock);
	rq->curr = rq->idle = idle;
	this_cpu_write(current_task, idle);
	WRITE_ONCE(rq->ready, true);
	/* Threads may have been queued here while we came up. */
	this_cpu_write(sched_need_resched, rq->nr_queued > 0);
	spin_unlock(&rq->lock);
	local_irq_enable();
	do_idle();
}

/* ---- set-up and counters ------------------------------------------------ */

void sched_init(void)
{
	unsigned int cpu;
	struct task_struct *idle;
	struct rq *rq;

	for_each_possible_cpu(cpu) {
		rq = cpu_rq(cpu);
		spin_lock_init(&rq->lock, "rq->lock");
		INIT_LIST_HEAD(&rq->queue);
		INIT_LIST_HEAD(&rq->timers);
		rq->nr_queued = 0;
		rq->ready = false;
	}
	/* The boot context becomes CPU 0's first task, "kmain". */
	init_task.stack = boot_stack_guard + PAGE_SIZE;
	init_task.stack_size = boot_stack_top - (boot_stack_guard + PAGE_SIZE);
	INIT_LIST_HEAD(&init_task.run_list);
	INIT_LIST_HEAD(&init_task.timer_list);
	init_completion(&init_task.exited);
	this_cpu_write(current_task, &init_task);

	/* CPU 0's idle task is a thread of its own: kmain must go on. */
	idle = task_alloc(idle_thread_fn, NULL, 0, "swapper/0");
	if (!idle)
		panic("sched: no memory for the idle task");
	idle->__state = TASK_RUNNING;
	idle->pinned = true;
	idle->on_rq = 1;

	if (register_interrupt_handler(RESCHEDULE_VECTOR, reschedule_interrupt))
		pr_err("sched: vector %#x taken; remote wake-ups wait for a tick\n",
		       RESCHEDULE_VECTOR);

	rq = this_rq();
	local_irq_disable();
	rq->curr = &init_task;
	rq->idle = idle;
	WRITE_ONCE(rq->ready, true);
	local_irq_enable();
	pr_info("sched: round-robin run queue per CPU, HZ=%u slices, %u KiB thread stacks\n",
		HZ, THREAD_SIZE / 1024);
}

void sched_get_stats(struct sched_stats *st)
{
	unsigned int cpu;

	memset(st, 0, sizeof(*st));
	sched_thread_counts(&st->threads_created, &st->threads_freed);
	st->atomic_sleep_reports =
		__atomic_load_n(&atomic_sleep_reports, __ATOMIC_RELAXED);
	for_each_possible_cpu(cpu) {
		st->context_switches += READ_ONCE(cpu_rq(cpu)->nr_switches);
		st->preemptions += READ_ONCE(cpu_rq(cpu)->nr_preemptions);
	}
}

bool sched_rq_initialized(unsigned int cpu)
{
	return cpu_rq(cpu)->lock.name != NULL;
}

unsigned long sched_cpu_switches(unsigned int cpu)
{
	return READ_ONCE(cpu_rq(cpu)->nr_switches);
}
