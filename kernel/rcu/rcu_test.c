/*
 * kernel/rcu/rcu_test.c - KTAP suite "rcu".
 *
 * The one property that matters: synchronize_rcu() does not return while
 * a reader that was inside its read section when it was called is still
 * there.  Readers on other online CPUs (up to 8, spread out) enter, say so, and spin (no
 * sleeping: classic RCU) for a while; the updater calls synchronize_rcu()
 * once all are in, and checks that every reader had left - with a
 * timestamp taken before its rcu_read_unlock() - when it returned.
 *
 * Then the real pattern: readers on up to 8 other CPUs walk a list under
 * rcu_read_lock() while the updater deletes elements with list_del_rcu(),
 * waits for a grace period and poisons (then frees) them.  A reader that
 * ever meets a poisoned element proves a grace period was too short.
 */
#include <kernel/ktest/threads.h>
#include <kernel/mm.h>
#include <kernel/rcupdate.h>

#define READER_SPIN_US	30000

struct reader {
	volatile int inside;
	volatile int go;
	volatile int *calling;	/* the updater is calling synchronize_rcu */
	uint64_t left_ns;	/* taken just before rcu_read_unlock() */
};

/*
 * One read section: enter, wait (bounded) until the updater is about to
 * call synchronize_rcu(), then stay READER_SPIN_US longer, so the call
 * surely begins while we are inside.
 */
static void read_section(struct reader *r)
{
	uint64_t give_up = ktime_get_ns() + 5 * NSEC_PER_SEC;

	rcu_read_lock();
	WRITE_ONCE(r->inside, 1);
	while (!READ_ONCE(*r->calling) && ktime_get_ns() < give_up)
		cpu_relax();
	udelay(READER_SPIN_US);
	r->left_ns = ktime_get_ns();
	WRITE_ONCE(r->inside, 0);
	rcu_read_unlock();
}

static int reader_fn(void *data)
{
	struct reader *r = data;

	if (!kt_wait_flag(&r->go, 10 * HZ))
		return -1;
	read_section(r);
	return 0;
}

static void test_synchronize_waits_for_readers(struct ktest *t)
{
	struct reader *r = kzalloc(NR_CPUS * sizeof(*r));
	struct task_struct **k = kzalloc(NR_CPUS * sizeof(*k));
	unsigned int cpu, self = smp_processor_id(), readers = 0;
	unsigned long end = jiffies + 5 * HZ;
	uint64_t returned;
	volatile int calling = 0;
	bool all_in;

	if (!r || !k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second CPU for the reader");
		goto out;
	}
	for_each_online_cpu(cpu) {
		if (cpu == self || !kt_sampled_cpu(cpu, 2 * KT_MAX_SPINNING_CPUS))
			continue;
		r[cpu].calling = &calling;
		k[cpu] = kt_start(t, reader_fn, &r[cpu], cpu, "reader");
		readers++;
	}
	for_each_online_cpu(cpu)
		if (k[cpu])
			WRITE_ONCE(r[cpu].go, 1);
	/* Wait (bounded) until every reader is inside: they stay until we
	 * say we are calling. */
	do {
		all_in = true;
		for_each_online_cpu(cpu)
			if (k[cpu] && !READ_ONCE(r[cpu].inside))
				all_in = false;
		if (!all_in)
			schedule_timeout_uninterruptible(1);
	} while (!all_in && (long)(jiffies - end) < 0);
	KTEST_EXPECT_TRUE(t, all_in);

	WRITE_ONCE(calling, 1);
	synchronize_rcu();
	returned = ktime_get_ns();
	for_each_online_cpu(cpu) {
		if (!k[cpu])
			continue;
		if (READ_ONCE(r[cpu].inside) || !r[cpu].left_ns ||
		    r[cpu].left_ns > returned)
			ktest_fail(t, __FILE__, __LINE__,
				   "synchronize_rcu returned while the reader on CPU %u was inside (left %llu, returned %llu)",
				   cpu, (unsigned long long)r[cpu].left_ns,
				   (unsigned long long)returned);
	}
	for_each_online_cpu(cpu)
		if (k[cpu])
			KTEST_EXPECT_EQ(t, kt_reap(t, k[cpu], KT_REAP_TIMEOUT), 0);
out:
	kfree(r);
	kfree(k);
}

/* The updater on another CPU, the reader on ours (kmain's CPU). */
static int updater_fn(void *data)
{
	struct reader *r = data;

	if (!kt_wait_flag(&r->inside, 5 * HZ))
		return -1;
	WRITE_ONCE(*r->calling, 1);
	synchronize_rcu();
	/* r->left_ns is set before the reader leaves: 0 here is a failure. */
	return r->left_ns && !READ_ONCE(r->inside) ? 0 : 1;
}

static void test_synchronize_from_another_cpu(struct ktest *t)
{
	volatile int calling = 0;
	struct reader r = { .calling = &calling };
	struct task_struct *k;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second CPU for the updater");
		return;
	}
	k = kt_start(t, updater_fn, &r, kt_next_online(smp_processor_id()),
		     "updater");
	if (!k)
		return;
	read_section(&r);
	KTEST_EXPECT_TRUE(t, calling);
	KTEST_EXPECT_EQ(t, kt_reap(t, k, KT_REAP_TIMEOUT), 0);
}

/* ---- list_del_rcu + synchronize_rcu + free --------------------------- */

#define ELEM_ALIVE	0x600dUL
#define ELEM_DEAD	0xdeadUL
#define NR_ELEMS	16

struct elem {
	struct list_head list;
	unsigned long magic;
	int value;
};

static LIST_HEAD(rcu_test_list);
static volatile int walkers_stop;
static int walker_saw_dead;

static int walker_fn(void *data)
{
	unsigned long *walks = data;
	struct elem *e;

	while (!READ_ONCE(walkers_stop)) {
		rcu_read_lock();
		list_for_each_entry_rcu(e, &rcu_test_list, list) {
			if (READ_ONCE(e->magic) != ELEM_ALIVE)
				__atomic_fetch_add(&walker_saw_dead, 1,
						   __ATOMIC_RELAXED);
			udelay(50);	/* hold the section open */
		}
		rcu_read_unlock();
		(*walks)++;
		/* Yield now and then: a switch is a quiescent state. */
		if (*walks % 4 == 0)
			schedule_timeout_uninterruptible(1);
	}
	return 0;
}

static void test_list_del_rcu_then_free(struct ktest *t)
{
	struct elem *elems[NR_ELEMS];
	unsigned long *walks = kzalloc(NR_CPUS * sizeof(*walks));
	struct task_struct **k = kzalloc(NR_CPUS * sizeof(*k));
	struct rcu_stats before, after;
	unsigned int cpu, self = smp_processor_id();

	if (!walks || !k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	INIT_LIST_HEAD(&rcu_test_list);
	for (int i = 0; i < NR_ELEMS; i++) {
		elems[i] = kzalloc(sizeof(*elems[i]));
		if (!elems[i]) {
			ktest_fail(t, __FILE__, __LINE__, "no memory");
			while (i--)
				kfree(elems[i]);
			goto out;
		}
		elems[i]->magic = ELEM_ALIVE;
		elems[i]->value = i;
		list_add_tail_rcu(&elems[i]->list, &rcu_test_list);
	}
	walkers_stop = 0;
	walker_saw_dead = 0;
	rcu_get_stats(&before);
	for_each_online_cpu(cpu)
		if (cpu != self &&
		    kt_sampled_cpu(cpu, 2 * KT_MAX_SPINNING_CPUS))
			k[cpu] = kt_start(t, walker_fn, &walks[cpu], cpu, "walker");
	/* Every walker under way before the first delete: a walker that
	 * starts late (a busy host can hold a vCPU back for a while) would
	 * see nothing deleted.  Bounded, asleep a tick at a time. */
	for (int ticks = 0; ticks < 5 * HZ; ticks++) {
		bool all = true;

		for_each_online_cpu(cpu)
			if (k[cpu] && !READ_ONCE(walks[cpu]))
				all = false;
		if (all)
			break;
		schedule_timeout_uninterruptible(1);
	}

	/* Delete every element, each followed by a grace period and the
	 * poison a free would leave. */
	for (int i = 0; i < NR_ELEMS; i++) {
		list_del_rcu(&elems[i]->list);
		synchronize_rcu();
		WRITE_ONCE(elems[i]->magic, ELEM_DEAD);
	}
	rcu_get_stats(&after);
	WRITE_ONCE(walkers_stop, 1);
	for_each_online_cpu(cpu)
		if (k[cpu])
			KTEST_EXPECT_EQ(t, kt_reap(t, k[cpu], KT_REAP_TIMEOUT), 0);
	for (int i = 0; i < NR_ELEMS; i++)
		kfree(elems[i]);
	KTEST_EXPECT_EQ(t, walker_saw_dead, 0);
	KTEST_EXPECT_TRUE(t, list_empty(&rcu_test_list));
	KTEST_EXPECT_EQ(t, after.grace_periods - before.grace_periods,
			NR_ELEMS);
	KTEST_EXPECT_EQ(t, after.stall_warnings, before.stall_warnings);
	for_each_online_cpu(cpu)
		if (k[cpu] && !walks[cpu])
			ktest_fail(t, __FILE__, __LINE__,
				   "walker on CPU %u never finished a walk", cpu);
out:
	kfree(walks);
	kfree(k);
}

/* A grace period with every CPU idle ends (a bound, not a speed check:
 * idle CPUs must count as quiescent, or this would wait for ever); a
 * reader may not sleep. */
static void test_grace_period_idle_cpus(struct ktest *t)
{
	unsigned long t0 = jiffies;

	synchronize_rcu();
	KTEST_EXPECT_TRUE(t, jiffies - t0 < 10 * HZ);
	rcu_read_lock();
	KTEST_EXPECT_TRUE(t, rcu_read_lock_held());
	KTEST_EXPECT_FALSE(t, preemptible());
	rcu_read_unlock();
	KTEST_EXPECT_FALSE(t, rcu_read_lock_held());
}

static struct ktest_case rcu_cases[] = {
	KTEST_CASE(test_synchronize_waits_for_readers),
	KTEST_CASE(test_synchronize_from_another_cpu),
	KTEST_CASE(test_list_del_rcu_then_free),
	KTEST_CASE(test_grace_period_idle_cpus),
	{}
};
KTEST_SUITE(rcu, rcu_cases);
