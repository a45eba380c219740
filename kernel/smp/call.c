/*
 * kernel/smp/call.c - run a function on other CPUs: smp_call_function(),
 * smp_call_function_single(), on_each_cpu() (Linux: kernel/smp.c), over
 * the CALL_FUNCTION_VECTOR IPI (Intel SDM Vol. 3A, 11.6 "Issuing
 * Interprocessor Interrupts").
 *
 * The queues.  Every CPU owns one request slot (struct call_request: the
 * function, its argument, how many targets still owe an answer) and every
 * CPU has an inbox, a bitmap with one bit per *caller* CPU:
 *
 *	caller 3                          target 1
 *	call_slot[3] = {func, info,       call_inbox[1]: ...0001000
 *	                wait, remaining}                      bit 3 ^
 *	   1. fill the slot               3. IPI 0xfc: take the inbox with
 *	   2. set bit 3 in each target's     one atomic and-not per bit;
 *	      inbox, send the IPI            for each bit c run call_slot[c]
 *	   4. wait for remaining == 0     5. decrement call_slot[c].remaining
 *
 * No lock anywhere: a caller writes only its own slot, sets bits with
 * atomic OR, and a target takes each bit with an atomic AND-NOT, so each
 * request is taken exactly once however many CPUs call at the same time.
 * A caller has one slot, so it has one request in flight: a new call
 * first waits (bounded) for the previous one to be released (Linux's
 * csd_lock()).  With wait=0 a target releases the slot *before* running
 * the function (it copies func/info first), with wait=1 after, as
 * Linux's csd_unlock() does; so a function sent with wait=0 may itself
 * run as long as it likes without blocking its caller's next call.
 *
 * No deadlock when CPUs call each other at once, even with interrupts
 * off: a caller that waits runs its own inbox in its wait loop, so two
 * CPUs waiting on each other both make progress.  Calling with interrupts
 * off is still reported (Linux WARNs): a CPU spinning on a lock with
 * interrupts off that the caller holds would never answer.  Every wait is
 * bounded by CALL_TIMEOUT_MS: "smp: CPU n did not run the function within
 * N ms" and -ETIMEDOUT.  On a timeout the caller takes its bit back from
 * the target's inbox if it is still there; if the target already took it
 * the function may still run later (the slot stays busy until it does).
 *
 * Simplifications: one request in flight per CPU (Linux has a per-CPU
 * csd per target); a call from inside a function being run for another
 * CPU's request works (the slot is separate) but a call from an interrupt
 * that interrupted this CPU's own call is refused with -EBUSY.
 */
#include <kernel/export.h>
#include <kernel/apic.h>
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/traps.h>

/*
 * 5 s, plus 250 ms per online CPU: when every CPU calls every other at
 * once (64 CPUs freeing module memory in a storm, each shootdown an
 * on_each_cpu), the work is quadratic, and under emulation on a couple
 * of host cores it takes seconds without anything being wrong.
 */
#define CALL_TIMEOUT_MS		(5000 + 250 * num_online_cpus())

struct call_request {
	smp_call_func_t func;
	void *info;
	bool wait;
	unsigned int remaining;		/* targets that still owe an answer */
	struct cpumask targets;		/* whom the last request went to */
	bool busy;			/* a call is being set up or waited on */
};

static DEFINE_PER_CPU_ALIGNED(struct call_request, call_slot);
static DEFINE_PER_CPU_ALIGNED(struct cpumask, call_inbox);
/* Functions this CPU ran for others (tests, reports). */
DEFINE_PER_CPU(unsigned long, call_function_count);

unsigned long smp_call_irqs_off_warnings;
unsigned long smp_call_timeouts;

/*
 * Run every request in this CPU's inbox.  Any context, interrupts off.
 * Requests are taken one bit at a time, not a word at once: a function
 * that runs long and takes interrupts (or waits on calls of its own,
 * serving this inbox meanwhile) must not sit on requests it has taken
 * but not run, or their callers would wait on it.
 */
static void flush_call_queue(void)
{
	struct cpumask *inbox = this_cpu_ptr(&call_inbox);

	for (unsigned int w = 0; w < CPUMASK_LONGS; w++) {
		unsigned long bits;

		while ((bits = READ_ONCE(inbox->bits[w])) != 0) {
			unsigned long bit = bits & -bits;
			unsigned int caller = w * BITS_PER_LONG +
					      __builtin_ctzl(bits);
			struct call_request *req;
			smp_call_func_t func;
			void *info;
			bool wait;

			if (!(__atomic_fetch_and(&inbox->bits[w], ~bit,
						 __ATOMIC_ACQ_REL) & bit))
				continue;	/* a nested flush took it */
			req = per_cpu_ptr(&call_slot, caller);
			func = READ_ONCE(req->func);
			info = READ_ONCE(req->info);
			wait = READ_ONCE(req->wait);
			if (!wait)
				__atomic_fetch_sub(&req->remaining, 1,
						   __ATOMIC_RELEASE);
			func(info);
			this_cpu_inc(call_function_count);
			if (wait)
				__atomic_fetch_sub(&req->remaining, 1,
						   __ATOMIC_RELEASE);
		}
	}
}

/* CALL_FUNCTION_VECTOR.  EOI first, as Linux's sysvec_call_function does:
 * a function that enables interrupts may then take the next IPI. */
static void call_function_interrupt(struct pt_regs *regs)
{
	(void)regs;
	apic_eoi();
	flush_call_queue();
}

void call_function_init(void)
{
	if (register_interrupt_handler(CALL_FUNCTION_VECTOR,
				       call_function_interrupt))
		pr_err("smp: vector %#x taken; no cross-CPU function calls\n",
		       CALL_FUNCTION_VECTOR);
}

static bool irqs_disabled(void)
{
	unsigned long flags;

	__asm__ __volatile__("pushfq; popq %0" : "=r"(flags));
	return !(flags & (1UL << 9));
}

/* Wait for our slot's targets, serving our own inbox meanwhile. */
static int wait_for_slot(struct call_request *req)
{
	const struct cpumask *to = &req->targets;
	uint64_t start = ktime_get_ns();
	unsigned int me = smp_processor_id(), cpu, timeout_ms = CALL_TIMEOUT_MS;
	int ret = 0;

	while (__atomic_load_n(&req->remaining, __ATOMIC_ACQUIRE)) {
		unsigned long flags = local_irq_save();

		flush_call_queue();
		local_irq_restore(flags);
		cpu_relax();
		if (ktime_get_ns() - start < timeout_ms * 1000000ULL)
			continue;
		/* Take back the requests nobody took; name who failed. */
		for_each_cpu(cpu, to) {
			unsigned long bit = 1UL << (me % BITS_PER_LONG);
			unsigned long *word =
				&per_cpu(call_inbox, cpu).bits[me / BITS_PER_LONG];

			if (__atomic_fetch_and(word, ~bit, __ATOMIC_ACQ_REL) &
			    bit) {
				__atomic_fetch_sub(&req->remaining, 1,
						   __ATOMIC_RELEASE);
				pr_err("smp: CPU %u did not run the function within %u ms\n",
				       cpu, timeout_ms);
			}
		}
		if (__atomic_load_n(&req->remaining, __ATOMIC_ACQUIRE))
			pr_err("smp: CPU %u: a function sent to other CPUs is still running after %u ms\n",
			       me, timeout_ms);
		__atomic_fetch_add(&smp_call_timeouts, 1, __ATOMIC_RELAXED);
		ret = -ETIMEDOUT;
		break;
	}
	return ret;
}

/*
 * Queue func(info) on every CPU in 'to' (never this one) and send the
 * IPIs; with run_here, run it on this CPU too (interrupts off) while they
 * work; with wait, then wait for all.  0, -ETIMEDOUT, -EBUSY.
 */
static int call_function_many(const struct cpumask *to, smp_call_func_t func,
			      void *info, bool wait, bool run_here)
{
	struct call_request *req = this_cpu_ptr(&call_slot);
	unsigned int me = smp_processor_id(), cpu;
	unsigned long flags;
	bool all_others;
	int ret = 0;

	if (cpumask_weight(to) == 0)
		goto local;
	if (irqs_disabled()) {
		__atomic_fetch_add(&smp_call_irqs_off_warnings, 1,
				   __ATOMIC_RELAXED);
		pr_warn("smp: cross-CPU call with interrupts disabled on CPU %u (deadlock risk); serving this CPU's queue while waiting\n",
			me);
	}
	flags = local_irq_save();
	if (req->busy) {
		local_irq_restore(flags);
		pr_err("smp: CPU %u: cross-CPU call from an interrupt during this CPU's own call; refused\n",
		       me);
		return -EBUSY;
	}
	req->busy = true;
	local_irq_restore(flags);

	/* The previous request (wait=0, or timed out) must be released. */
	if (__atomic_load_n(&req->remaining, __ATOMIC_ACQUIRE) &&
	    wait_for_slot(req)) {
		req->busy = false;
		return -ETIMEDOUT;
	}
	req->func = func;
	req->info = info;
	req->wait = wait;
	req->targets = *to;
	__atomic_store_n(&req->remaining, cpumask_weight(to),
			 __ATOMIC_RELEASE);
	/*
	 * Every other online CPU (on_each_cpu, TLB shootdowns): fill all
	 * inboxes, then one "all but self" IPI, as Linux does when every
	 * CPU is online.  With 64 CPUs freeing module memory at once that
	 * is 64 ICR writes instead of 4032.
	 */
	all_others = cpumask_weight(to) + 1 == num_online_cpus() &&
		     !cpumask_test_cpu(me, to);
	for_each_cpu(cpu, to) {
		unsigned long *word =
			&per_cpu(call_inbox, cpu).bits[me / BITS_PER_LONG];

		__atomic_fetch_or(word, 1UL << (me % BITS_PER_LONG),
				  __ATOMIC_SEQ_CST);
		if (all_others)
			continue;
		/* An interrupt here must not write the ICR halfway. */
		flags = local_irq_save();
		apic_send_ipi(per_cpu(cpu_apic_id, cpu), CALL_FUNCTION_VECTOR);
		local_irq_restore(flags);
	}
	if (all_others) {
		flags = local_irq_save();
		apic_send_ipi_allbutself(CALL_FUNCTION_VECTOR);
		local_irq_restore(flags);
	}
	if (run_here) {
		flags = local_irq_save();
		func(info);
		local_irq_restore(flags);
	}
	if (wait)
		ret = wait_for_slot(req);
	req->busy = false;
	return ret;

local:
	if (run_here) {
		flags = local_irq_save();
		func(info);
		local_irq_restore(flags);
	}
	return 0;
}

int smp_call_function_single(unsigned int cpu, smp_call_func_t func,
			     void *info, int wait)
{
	struct cpumask to = { 0 };

	if (cpu >= NR_CPUS || !cpu_online(cpu))
		return -EINVAL;
	if (cpu == smp_processor_id())
		return call_function_many(&to, func, info, wait, true);
	cpumask_set_cpu(cpu, &to);
	return call_function_many(&to, func, info, wait, false);
}
EXPORT_SYMBOL(smp_call_function_single);

/* The online CPUs but this one. */
static void others(struct cpumask *to)
{
	unsigned int me = smp_processor_id();

	for (unsigned int w = 0; w < CPUMASK_LONGS; w++)
		to->bits[w] = READ_ONCE(cpu_online_mask->bits[w]);
	cpumask_clear_cpu(me, to);
}

int smp_call_function(smp_call_func_t func, void *info, int wait)
{
	struct cpumask to;

	others(&to);
	return call_function_many(&to, func, info, wait, false);
}
EXPORT_SYMBOL(smp_call_function);

int on_each_cpu(smp_call_func_t func, void *info, int wait)
{
	struct cpumask to;

	others(&to);
	return call_function_many(&to, func, info, wait, true);
}
EXPORT_SYMBOL(on_each_cpu);
