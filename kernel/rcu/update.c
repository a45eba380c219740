/*
 * kernel/rcu/update.c - grace periods for classic (non-preemptible) RCU
 * (Linux: kernel/rcu/tree.c does this at scale; kernel/rcu/tiny.c is the
 * one-CPU version).  The interface is in include/kernel/rcupdate.h.
 *
 *	CPU 1  ..reader..|  switch  |....reader'....
 *	CPU 2  ....idle (halted).............................
 *	CPU 3  ..reader........| tick, preempt_count 0 |.....
 *	caller    list_del_rcu  synchronize_rcu() ------------> kfree
 *	                        ^ snapshot           ^ every CPU moved on
 *
 * Each CPU increments its rcu_qs_count at every quiescent state; idle
 * CPUs also set rcu_in_idle while halted (an "extended" quiescent state:
 * they need not wake up to report).  A grace period is over when, for
 * every online CPU but the caller's, the count differs from the snapshot
 * taken at the start or the CPU is in idle.  The caller's own CPU is
 * quiescent by construction: it is running the caller, which is not in a
 * read section (it may sleep).
 *
 * Ordering: a reader's loads come before its CPU's count increment (the
 * increment is a sequentially consistent atomic, after the reader's
 * rcu_read_unlock); the updater reads the count with the same strength
 * before it frees.  So the free cannot overtake the reader's loads.
 *
 * Simplifications: synchronize_rcu() polls once a jiffy (a grace period
 * costs 1-2 ticks, 10-20 ms at HZ=100) instead of being woken by the
 * last CPU to report; no call_rcu() (callbacks), no expedited grace
 * periods.  Every sleep is bounded; a CPU that passes no quiescent state
 * for RCU_STALL_JIFFIES is reported (Linux's "rcu_sched detected stalls"
 * line) and the wait goes on, as it must: returning early would free
 * memory a reader is using.
 */
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/smp.h>
#include <kernel/time.h>

#define RCU_STALL_JIFFIES	(5 * HZ)

static DEFINE_PER_CPU(unsigned long, rcu_qs_count);
static DEFINE_PER_CPU(int, rcu_in_idle);
static unsigned long grace_periods, stall_warnings;

void rcu_note_context_switch(void)
{
	__atomic_fetch_add(this_cpu_ptr(&rcu_qs_count), 1, __ATOMIC_SEQ_CST);
}

void rcu_idle_enter(void)
{
	rcu_note_context_switch();
	__atomic_store_n(this_cpu_ptr(&rcu_in_idle), 1, __ATOMIC_SEQ_CST);
}

void rcu_idle_exit(void)
{
	__atomic_store_n(this_cpu_ptr(&rcu_in_idle), 0, __ATOMIC_SEQ_CST);
}

static bool cpu_quiescent_since(unsigned int cpu, unsigned long snap)
{
	return __atomic_load_n(per_cpu_ptr(&rcu_qs_count, cpu),
			       __ATOMIC_SEQ_CST) != snap ||
	       __atomic_load_n(per_cpu_ptr(&rcu_in_idle, cpu),
			       __ATOMIC_SEQ_CST);
}

/*
 * The CPUs are waited for a batch at a time, each batch's counters read
 * when its wait begins: a quiescent state after any moment since
 * synchronize_rcu() was called ends the readers that CPU had then, so a
 * later batch may take its snapshot later.  A batch of 64 keeps the
 * snapshot to 512 bytes of the caller's stack (all NR_CPUS at once was
 * 2 KiB, and the module loader calls this deep in its unwind), with no
 * allocation that could fail; the batches' waits overlap in time with
 * the other CPUs' quiescent states, so 255 CPUs cost about as much as 64.
 */
#define RCU_BATCH	64

void synchronize_rcu(void)
{
	unsigned long snapshot[RCU_BATCH], start = jiffies, warned_at = jiffies;
	unsigned int cpu, self = smp_processor_id();
	bool done;

	might_sleep();
	if (rcu_read_lock_held())
		pr_err("BUG: synchronize_rcu() inside an RCU read-side section on CPU#%u\n",
		       self);
	for (unsigned int base = 0; base < nr_cpu_ids; base += RCU_BATCH) {
		unsigned int end = base + RCU_BATCH < nr_cpu_ids ? base + RCU_BATCH : nr_cpu_ids;

		for (cpu = base; cpu < end; cpu++)
			if (cpu_online(cpu))
				snapshot[cpu - base] = __atomic_load_n(per_cpu_ptr(&rcu_qs_count, cpu),
								       __ATOMIC_SEQ_CST);
		for (;;) {
			done = true;
			for (cpu = base; cpu < end; cpu++) {
				if (!cpu_online(cpu) || cpu == self ||
				    cpu_quiescent_since(cpu, snapshot[cpu - base]))
					continue;
				done = false;
				if (jiffies - warned_at >= RCU_STALL_JIFFIES) {
					__atomic_fetch_add(&stall_warnings, 1,
							   __ATOMIC_RELAXED);
					pr_err("rcu: INFO: rcu_sched detected stalls on CPUs/tasks: { %u } (t=%lu jiffies)\n",
					       cpu, jiffies - start);
					warned_at = jiffies;
				}
				break;
			}
			if (done)
				break;
			schedule_timeout_uninterruptible(1);
		}
	}
	__atomic_fetch_add(&grace_periods, 1, __ATOMIC_RELAXED);
}

void rcu_get_stats(struct rcu_stats *st)
{
	st->grace_periods = __atomic_load_n(&grace_periods, __ATOMIC_RELAXED);
	st->stall_warnings = __atomic_load_n(&stall_warnings, __ATOMIC_RELAXED);
}
