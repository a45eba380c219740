/*
 * kernel/sched/sched_test.c - KTAP suite "sched": threads run where they
 * are pinned, the tick preempts a busy thread, and a finished thread gives
 * back everything it took.  Every CPU online takes part.
 */
#include <kernel/ktest/baseline.h>
#include <kernel/ktest/threads.h>
#include <kernel/mm.h>
#include <kernel/string.h>

#define PIN_CHECKS	50

struct pin_check {
	unsigned int want;
	int wrong;		/* times smp_processor_id() != want */
	int wrong_task_cpu;	/* current->cpu != want */
};

static int pin_fn(void *data)
{
	struct pin_check *pc = data;

	for (int i = 0; i < PIN_CHECKS; i++) {
		if (smp_processor_id() != pc->want)
			pc->wrong++;
		if (current->cpu != pc->want)
			pc->wrong_task_cpu++;
		/* Switch away and back: still here? */
		if (i % 10 == 9)
			schedule_timeout_uninterruptible(1);
		else
			yield();
	}
	return (int)pc->want + 1000;
}

static void test_threads_run_on_their_cpu(struct ktest *t)
{
	struct task_struct **k = kzalloc(NR_CPUS * sizeof(*k));
	struct pin_check *pc = kzalloc(NR_CPUS * sizeof(*pc));
	unsigned int cpu;

	if (!k || !pc) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	for_each_online_cpu(cpu) {
		pc[cpu].want = cpu;
		k[cpu] = kt_start(t, pin_fn, &pc[cpu], cpu, "pin");
	}
	for_each_online_cpu(cpu) {
		int ret = kt_reap(t, k[cpu], KT_REAP_TIMEOUT);

		KTEST_EXPECT_EQ(t, ret, (int)cpu + 1000);
		KTEST_EXPECT_EQ(t, pc[cpu].wrong, 0);
		KTEST_EXPECT_EQ(t, pc[cpu].wrong_task_cpu, 0);
	}
out:
	kfree(k);
	kfree(pc);
}

/* Two threads per CPU that never yield: only the tick can share the CPU.
 * On up to KT_MAX_SPINNING_CPUS CPUs, first and last among them. */
struct busy {
	volatile unsigned long count;
	volatile int *stop;
	unsigned long preempted;	/* nivcsw when it stopped */
};

static int busy_fn(void *data)
{
	struct busy *b = data;

	while (!READ_ONCE(*b->stop))
		b->count++;
	b->preempted = current->nivcsw;
	return 0;
}

static void test_busy_threads_share_a_cpu(struct ktest *t)
{
	struct task_struct **k = kzalloc(2 * NR_CPUS * sizeof(*k));
	struct busy *b = kzalloc(2 * NR_CPUS * sizeof(*b));
	struct sched_stats before, after;
	volatile int stop = 0;
	unsigned long end = jiffies + 10 * HZ;
	unsigned int cpu;
	bool all_moved;

	if (!k || !b) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	sched_get_stats(&before);
	for_each_online_cpu(cpu) {
		if (!kt_sampled_cpu(cpu, KT_MAX_SPINNING_CPUS))
			continue;
		for (int j = 0; j < 2; j++) {
			b[2 * cpu + j].stop = &stop;
			k[2 * cpu + j] = kt_start(t, busy_fn, &b[2 * cpu + j],
						  cpu, "busy");
		}
	}
	/* Both threads of every pair must count and be preempted: neither
	 * gives the CPU away by itself, so only the tick can take it.  Wait
	 * for both preemptions, not just both counts: the second thread
	 * starts counting when the first is preempted, and is preempted
	 * itself only a tick later. */
	do {
		schedule_timeout_uninterruptible(2);
		all_moved = true;
		for_each_online_cpu(cpu)
			for (int j = 0; j < 2; j++)
				if (k[2 * cpu + j])
					all_moved &= b[2 * cpu + j].count &&
						     READ_ONCE(k[2 * cpu + j]->nivcsw);
	} while (!all_moved && (long)(jiffies - end) < 0);
	WRITE_ONCE(stop, 1);
	for_each_online_cpu(cpu) {
		if (!k[2 * cpu])
			continue;
		for (int j = 0; j < 2; j++) {
			struct busy *bj = &b[2 * cpu + j];

			kt_reap(t, k[2 * cpu + j], KT_REAP_TIMEOUT);
			if (!bj->count || !bj->preempted)
				ktest_fail(t, __FILE__, __LINE__,
					   "CPU %u busy thread %d: count %lu, preempted %lu times",
					   cpu, j, bj->count, bj->preempted);
		}
	}
	sched_get_stats(&after);
	KTEST_EXPECT_TRUE(t, after.preemptions > before.preemptions);
out:
	kfree(k);
	kfree(b);
}

static int exit_fn(void *data)
{
	return (int)(unsigned long)data * 3;
}

/* N threads made and finished: stacks, structs and counters come back.
 * Four a CPU, at most 128: each freed stack is a TLB shootdown to every
 * CPU, which at 255 emulated CPUs costs seconds apiece. */
static void test_threads_exit_and_free(struct ktest *t)
{
	unsigned int n = MIN(4 * num_online_cpus(), 128u), cpu = 0;
	struct task_struct **k;
	struct ktest_baseline b;
	struct sched_stats before, after;

	if (n > 256)
		n = 256;
	k = kzalloc(n * sizeof(*k));
	if (!k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		return;
	}
	ktest_baseline_take(&b, LEAK_VMAP_PAGES | LEAK_KMALLOC_OBJECTS);
	sched_get_stats(&before);
	for (unsigned int i = 0; i < n; i++) {
		cpu = kt_next_online(cpu);
		k[i] = kt_start(t, exit_fn, (void *)(unsigned long)i, cpu,
				"exit");
	}
	for (unsigned int i = 0; i < n; i++)
		KTEST_EXPECT_EQ(t, kt_reap(t, k[i], KT_REAP_TIMEOUT), 3 * i);
	KTEST_EXPECT_NO_LEAK(t, &b);
	sched_get_stats(&after);
	KTEST_EXPECT_EQ(t, after.threads_created - before.threads_created, n);
	KTEST_EXPECT_EQ(t, after.threads_freed - before.threads_freed, n);
	kfree(k);
}

/* kthread_stop() wakes a thread waiting for it and collects its code. */
static int stoppable_fn(void *data)
{
	volatile int *started = data;

	*started = 1;
	while (!kthread_should_stop())
		schedule_timeout_uninterruptible(HZ);
	return 42;
}

static void test_kthread_stop(struct ktest *t)
{
	volatile int started = 0;
	unsigned int cpu = kt_next_online(0);
	struct task_struct *k = kt_start(t, stoppable_fn, (void *)&started,
					 cpu, "stoppable");
	unsigned long t0 = jiffies;

	if (!k)
		return;
	KTEST_EXPECT_TRUE(t, kt_wait_flag(&started, 5 * HZ));
	/* It sleeps a whole second at a time: the wake-up must cut it short. */
	KTEST_EXPECT_EQ(t, kthread_stop(k), 42);
	KTEST_EXPECT_TRUE(t, jiffies - t0 < HZ / 2 + 5 * HZ);
}

/* Sleeping with a spinlock held is reported, not silently done. */
static void test_schedule_while_atomic_reported(struct ktest *t)
{
	struct sched_stats before, after;
	unsigned int self = smp_processor_id();
	struct task_struct *k;
	int count_after_yield;

	sched_get_stats(&before);
	/* Something ready on this CPU, so the bad yield really switches. */
	k = kt_start(t, exit_fn, (void *)1UL, self, "other");
	preempt_disable();
	yield();
	/* Our count came back with us; the other thread did not take it. */
	count_after_yield = preempt_count();
	preempt_enable();
	sched_get_stats(&after);
	KTEST_EXPECT_EQ(t, count_after_yield, 1);
	KTEST_EXPECT_EQ(t, preempt_count(), 0);
	KTEST_EXPECT_EQ(t, after.atomic_sleep_reports,
			before.atomic_sleep_reports + 1);
	KTEST_EXPECT_TRUE(t, after.context_switches > before.context_switches);
	KTEST_EXPECT_EQ(t, kt_reap(t, k, KT_REAP_TIMEOUT), 3);
}

static struct ktest_case sched_cases[] = {
	KTEST_CASE(test_threads_run_on_their_cpu),
	KTEST_CASE(test_busy_threads_share_a_cpu),
	KTEST_CASE(test_threads_exit_and_free),
	KTEST_CASE(test_kthread_stop),
	KTEST_CASE(test_schedule_while_atomic_reported),
	{}
};
KTEST_SUITE(sched, sched_cases);
