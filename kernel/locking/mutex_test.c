/*
 * kernel/locking/mutex_test.c - KTAP suite "mutex".
 *
 * Exclusion: two threads on every online CPU add to one counter under
 * one mutex, and inside the critical section they yield or sleep on
 * purpose, so waiters really pile up and the lock really passes between
 * CPUs and between tasks of one CPU.  The total must be exact, and a
 * separate in-section count must never see two holders.
 */
#include <kernel/ktest/threads.h>
#include <kernel/mm.h>
#include <kernel/mutex.h>

/* Fewer rounds with many CPUs: TCG runs 64 virtual CPUs on a few host
 * cores, and the mutex's wait_lock is one ticket lock for all of them. */
#define MUTEX_ITERS	(num_online_cpus() <= 8 ? 40 : 10)

static DEFINE_MUTEX(test_mutex);
static unsigned long shared_counter;
static int in_section, two_owners, wrong_owner;

static int mutex_fn(void *data)
{
	(void)data;
	for (int i = 0; i < MUTEX_ITERS; i++) {
		unsigned long v;

		mutex_lock(&test_mutex);
		if (__atomic_fetch_add(&in_section, 1, __ATOMIC_SEQ_CST))
			__atomic_fetch_add(&two_owners, 1, __ATOMIC_SEQ_CST);
		if (READ_ONCE(test_mutex.owner) != current)
			__atomic_fetch_add(&wrong_owner, 1, __ATOMIC_SEQ_CST);
		v = READ_ONCE(shared_counter);
		/* Give everyone else the chance to break in. */
		if (i == 0)
			schedule_timeout_uninterruptible(1);
		else
			yield();
		WRITE_ONCE(shared_counter, v + 1);
		__atomic_fetch_sub(&in_section, 1, __ATOMIC_SEQ_CST);
		mutex_unlock(&test_mutex);
	}
	return 0;
}

static void test_mutex_exclusion_every_cpu(struct ktest *t)
{
	struct task_struct **k = kzalloc(2 * NR_CPUS * sizeof(*k));
	unsigned int cpu, n = 0;

	if (!k) {
		ktest_fail(t, __FILE__, __LINE__, "no memory");
		return;
	}
	shared_counter = 0;
	two_owners = wrong_owner = 0;
	for_each_online_cpu(cpu) {
		k[2 * cpu] = kt_start(t, mutex_fn, NULL, cpu, "mutex");
		k[2 * cpu + 1] = kt_start(t, mutex_fn, NULL, cpu, "mutex");
		n += 2;
	}
	for_each_online_cpu(cpu) {
		kt_reap(t, k[2 * cpu], 60 * HZ);
		kt_reap(t, k[2 * cpu + 1], 60 * HZ);
	}
	KTEST_EXPECT_EQ(t, shared_counter, (unsigned long)n * MUTEX_ITERS);
	KTEST_EXPECT_EQ(t, two_owners, 0);
	KTEST_EXPECT_EQ(t, wrong_owner, 0);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&test_mutex));
	kfree(k);
}

/* A holder on another CPU: trylock fails, then succeeds once it is free. */
struct holder {
	struct mutex *m;
	volatile int locked;
	volatile int release;
};

static int holder_fn(void *data)
{
	struct holder *h = data;

	mutex_lock(h->m);
	h->locked = 1;
	kt_wait_flag(&h->release, 10 * HZ);
	mutex_unlock(h->m);
	return 0;
}

static void test_trylock_and_owner(struct ktest *t)
{
	struct mutex m;
	struct holder h = { .m = &m };
	struct task_struct *k;
	unsigned long reports = mutex_owner_reports;

	mutex_init(&m);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
	k = kt_start(t, holder_fn, &h, kt_next_online(0), "holder");
	if (!k)
		return;
	KTEST_EXPECT_TRUE(t, kt_wait_flag(&h.locked, 5 * HZ));
	KTEST_EXPECT_TRUE(t, mutex_is_locked(&m));
	KTEST_EXPECT_TRUE(t, m.owner == k);
	KTEST_EXPECT_EQ(t, mutex_trylock(&m), 0);
	/* Not ours: reported, and the lock stays with its owner. */
	mutex_unlock(&m);
	KTEST_EXPECT_EQ(t, mutex_owner_reports, reports + 1);
	KTEST_EXPECT_TRUE(t, m.owner == k);
	h.release = 1;
	KTEST_EXPECT_EQ(t, kt_reap(t, k, KT_REAP_TIMEOUT), 0);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
	KTEST_EXPECT_EQ(t, mutex_trylock(&m), 1);
	KTEST_EXPECT_TRUE(t, m.owner == current);
	mutex_unlock(&m);
	KTEST_EXPECT_EQ(t, mutex_owner_reports, reports + 1);
}

/* A sleeping waiter is handed the lock when the holder lets go. */
static void test_waiter_gets_lock(struct ktest *t)
{
	struct mutex m;
	struct holder h = { .m = &m, .release = 1 };
	struct task_struct *k;

	mutex_init(&m);
	mutex_lock(&m);
	k = kt_start(t, holder_fn, &h, kt_next_online(0), "waiter");
	if (!k) {
		mutex_unlock(&m);
		return;
	}
	schedule_timeout_uninterruptible(5);
	KTEST_EXPECT_EQ(t, h.locked, 0);	/* still waiting for us */
	mutex_unlock(&m);
	KTEST_EXPECT_TRUE(t, kt_wait_flag(&h.locked, 5 * HZ));
	KTEST_EXPECT_EQ(t, kt_reap(t, k, KT_REAP_TIMEOUT), 0);
	KTEST_EXPECT_FALSE(t, mutex_is_locked(&m));
}

static struct ktest_case mutex_cases[] = {
	KTEST_CASE(test_mutex_exclusion_every_cpu),
	KTEST_CASE(test_trylock_and_owner),
	KTEST_CASE(test_waiter_gets_lock),
	{}
};
KTEST_SUITE(mutex, mutex_cases);
