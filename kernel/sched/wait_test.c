/*
 * kernel/sched/wait_test.c - KTAP suites "wait" and "completion".
 *
 * The ping-pong: on every online CPU c, a thread pair (c, next online
 * CPU) passes a turn counter back and forth with wait_event_timeout() and
 * wake_up().  A lost wake-up would leave one side asleep with the turn
 * already its own; it then wakes only when the timeout runs out, so a
 * wait that used up more than half its time counts as a lost wake-up
 * and fails the test (and no test can hang).
 */
#include <kernel/ktest/threads.h>
#include <kernel/mm.h>
#include <kernel/string.h>

#define PING_TIMEOUT	(10 * HZ)	/* half of it: no host stall is that long */

struct ping_pong {
	struct wait_queue_head wq[2];
	volatile unsigned long turn;	/* even: side 0 plays, odd: side 1 */
	unsigned long rounds;
	int side_fail[2];		/* timeouts or suspected lost wake-ups */
	struct ping_side {
		struct ping_pong *pp;
		int side;
	} sides[2];
};

static int ping_fn(void *data)
{
	struct ping_side *ps = data;
	struct ping_pong *pp = ps->pp;
	int me = ps->side, other = !ps->side;

	for (unsigned long i = 0; i < pp->rounds; i++) {
		unsigned long want = 2 * i + me;
		long left = wait_event_timeout(pp->wq[me],
					       READ_ONCE(pp->turn) == want,
					       PING_TIMEOUT);

		if (left == 0 || left < PING_TIMEOUT / 2) {
			pp->side_fail[me]++;
			if (left == 0)
				break;
		}
		WRITE_ONCE(pp->turn, want + 1);
		wake_up(&pp->wq[other]);
	}
	return 0;
}

static void test_ping_pong_no_lost_wakeup(struct ktest *t)
{
	unsigned int cpu, first = cpumask_next_from(0, cpu_online_mask);
	struct ping_pong *pp = kzalloc(NR_CPUS * sizeof(*pp));
	struct task_struct **k = kzalloc(2 * NR_CPUS * sizeof(*k));

	if (!pp || !k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	for_each_online_cpu(cpu) {
		struct ping_pong *p = &pp[cpu];

		init_waitqueue_head(&p->wq[0]);
		init_waitqueue_head(&p->wq[1]);
		/* The first pair plays 2000 rounds, the others 200: every
		 * CPU takes part; a round trip costs about 2.5 ms of host
		 * time under TCG, so more would only slow the boot. */
		p->rounds = cpu == first ? 2000 : 200;
		for (int s = 0; s < 2; s++) {
			p->sides[s].pp = p;
			p->sides[s].side = s;
		}
		k[2 * cpu] = kt_start(t, ping_fn, &p->sides[0], cpu, "ping");
		k[2 * cpu + 1] = kt_start(t, ping_fn, &p->sides[1],
					  kt_next_online(cpu), "pong");
	}
	for_each_online_cpu(cpu) {
		kt_reap(t, k[2 * cpu], 120 * HZ);
		kt_reap(t, k[2 * cpu + 1], 120 * HZ);
		if (pp[cpu].turn != 2 * pp[cpu].rounds || pp[cpu].side_fail[0] ||
		    pp[cpu].side_fail[1])
			ktest_fail(t, __FILE__, __LINE__,
				   "pair CPU %u/%u: turn %lu of %lu, slow or lost wake-ups %d/%d",
				   cpu, kt_next_online(cpu), pp[cpu].turn,
				   2 * pp[cpu].rounds, pp[cpu].side_fail[0],
				   pp[cpu].side_fail[1]);
	}
out:
	kfree(pp);
	kfree(k);
}

/* wait_event_timeout with a condition that never comes true. */
struct timeout_check {
	long ret_false, ret_true;
	unsigned long waited;
};

static int timeout_fn(void *data)
{
	struct timeout_check *tc = data;
	DECLARE_WAIT_QUEUE_HEAD(wq);
	int never = 0;
	unsigned long t0 = jiffies;

	tc->ret_false = wait_event_timeout(wq, READ_ONCE(never), 5);
	tc->waited = jiffies - t0;
	tc->ret_true = wait_event_timeout(wq, 1, 5);
	return 0;
}

static void test_wait_event_timeout_times_out(struct ktest *t)
{
	struct timeout_check *tc = kzalloc(NR_CPUS * sizeof(*tc));
	struct task_struct **k = kzalloc(NR_CPUS * sizeof(*k));
	unsigned int cpu;

	if (!tc || !k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	for_each_online_cpu(cpu)
		k[cpu] = kt_start(t, timeout_fn, &tc[cpu], cpu, "timeout");
	for_each_online_cpu(cpu) {
		kt_reap(t, k[cpu], KT_REAP_TIMEOUT);
		KTEST_EXPECT_EQ(t, tc[cpu].ret_false, 0);
		KTEST_EXPECT_TRUE(t, tc[cpu].waited >= 4);
		KTEST_EXPECT_EQ(t, tc[cpu].ret_true, 5);
	}
out:
	kfree(tc);
	kfree(k);
}

/* Many sleepers on one queue, on every CPU; one wake_up_all. */
static DECLARE_WAIT_QUEUE_HEAD(all_wq);
static volatile int all_go;
static volatile int all_waiting;

static int all_fn(void *data)
{
	(void)data;
	__atomic_fetch_add(&all_waiting, 1, __ATOMIC_SEQ_CST);
	return wait_event_timeout(all_wq, READ_ONCE(all_go), 10 * HZ) ? 0 : -1;
}

static void test_wake_up_all(struct ktest *t)
{
	struct task_struct **k = kzalloc(NR_CPUS * sizeof(*k));
	unsigned int cpu, n = 0;
	unsigned long end = jiffies + 5 * HZ;

	if (!k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		return;
	}
	all_go = 0;
	all_waiting = 0;
	/* At most 16 sleepers: 64 virtual CPUs on a 2-core host spinning
	 * on one ticket lock would trip the lockup report, not a bug. */
	for_each_online_cpu(cpu) {
		if (n == 16)
			break;
		k[cpu] = kt_start(t, all_fn, NULL, cpu, "waitall");
		n++;
	}
	while (READ_ONCE(all_waiting) < (int)n && (long)(jiffies - end) < 0)
		schedule_timeout_uninterruptible(1);
	schedule_timeout_uninterruptible(2);	/* let them reach the sleep */
	WRITE_ONCE(all_go, 1);
	wake_up_all(&all_wq);
	for_each_online_cpu(cpu)
		if (k[cpu])
			KTEST_EXPECT_EQ(t, kt_reap(t, k[cpu], KT_REAP_TIMEOUT), 0);
	KTEST_EXPECT_FALSE(t, waitqueue_active(&all_wq));
	kfree(k);
}

static struct ktest_case wait_cases[] = {
	KTEST_CASE(test_ping_pong_no_lost_wakeup),
	KTEST_CASE(test_wait_event_timeout_times_out),
	KTEST_CASE(test_wake_up_all),
	{}
};
KTEST_SUITE(wait, wait_cases);

/* ---- completion ------------------------------------------------------- */

static void test_complete_before_wait(struct ktest *t)
{
	DECLARE_COMPLETION(done);

	complete(&done);
	KTEST_EXPECT_TRUE(t, completion_done(&done));
	KTEST_EXPECT_TRUE(t, wait_for_completion_timeout(&done, HZ) > 0);
	/* The one event was taken: a second wait times out. */
	KTEST_EXPECT_EQ(t, wait_for_completion_timeout(&done, 3), 0);
	KTEST_EXPECT_FALSE(t, try_wait_for_completion(&done));
}

struct comp_pair {
	struct completion *go;
	struct completion done;
};

static int comp_fn(void *data)
{
	struct comp_pair *cp = data;

	if (!wait_for_completion_timeout(cp->go, 10 * HZ))
		return -1;
	complete(&cp->done);
	return 0;
}

/* A waiter on every CPU: complete_all releases all, and stays done. */
static void test_complete_all_every_cpu(struct ktest *t)
{
	DECLARE_COMPLETION(go);
	struct comp_pair *cp = kzalloc(NR_CPUS * sizeof(*cp));
	struct task_struct **k = kzalloc(NR_CPUS * sizeof(*k));
	unsigned int cpu;

	if (!cp || !k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		goto out;
	}
	for_each_online_cpu(cpu) {
		cp[cpu].go = &go;
		init_completion(&cp[cpu].done);
		k[cpu] = kt_start(t, comp_fn, &cp[cpu], cpu, "compl");
	}
	schedule_timeout_uninterruptible(2);
	complete_all(&go);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_TRUE(t, wait_for_completion_timeout(&cp[cpu].done,
								 10 * HZ));
		KTEST_EXPECT_EQ(t, kt_reap(t, k[cpu], KT_REAP_TIMEOUT), 0);
	}
	KTEST_EXPECT_TRUE(t, wait_for_completion_timeout(&go, 1) > 0);
out:
	kfree(cp);
	kfree(k);
}

/* complete() releases exactly one of two sleeping waiters. */
static void test_complete_wakes_one(struct ktest *t)
{
	DECLARE_COMPLETION(go);
	struct comp_pair cp[2];
	struct task_struct *k[2];
	unsigned int cpu = kt_next_online(0);

	for (int i = 0; i < 2; i++) {
		cp[i].go = &go;
		init_completion(&cp[i].done);
		k[i] = kt_start(t, comp_fn, &cp[i], cpu, "one");
	}
	schedule_timeout_uninterruptible(5);
	complete(&go);
	schedule_timeout_uninterruptible(10);
	KTEST_EXPECT_EQ(t, completion_done(&cp[0].done) +
			   completion_done(&cp[1].done), 1);
	complete(&go);
	for (int i = 0; i < 2; i++) {
		KTEST_EXPECT_TRUE(t, wait_for_completion_timeout(&cp[i].done,
								 10 * HZ));
		KTEST_EXPECT_EQ(t, kt_reap(t, k[i], KT_REAP_TIMEOUT), 0);
	}
}

static struct ktest_case completion_cases[] = {
	KTEST_CASE(test_complete_before_wait),
	KTEST_CASE(test_complete_all_every_cpu),
	KTEST_CASE(test_complete_wakes_one),
	{}
};
KTEST_SUITE(completion, completion_cases);
