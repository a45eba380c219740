/*
 * kernel/spinlock_test.c - KTAP suite "spinlock": ticket locks and their
 * debug checks on the boot CPU; which kind of lock the boot chose
 * (test-and-set under a hypervisor, unless spinlock.ticket), and mutual
 * exclusion with every CPU contending at once.
 *
 * Recursion is checked through spin_lock_check(), the test the real
 * spin_lock() runs before it panics, so no panic is needed to see it.
 */
#include <kernel/io.h>
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

#define X86_EFLAGS_IF	(1UL << 9)

static DEFINE_SPINLOCK(test_lock_a);
static DEFINE_SPINLOCK(test_lock_b);

static unsigned long read_flags(void)
{
	unsigned long flags = local_irq_save();

	local_irq_restore(flags);
	return flags;
}

static void test_held_count(struct ktest *t)
{
	unsigned int held = this_cpu_read(spinlocks_held);

	spin_lock(&test_lock_a);
	KTEST_EXPECT_EQ(t, this_cpu_read(spinlocks_held), held + 1);
	KTEST_EXPECT_EQ(t, test_lock_a.owner_cpu, smp_processor_id());
	KTEST_EXPECT_TRUE(t, spin_is_locked(&test_lock_a));
	spin_lock(&test_lock_b);
	KTEST_EXPECT_EQ(t, this_cpu_read(spinlocks_held), held + 2);
	spin_unlock(&test_lock_b);
	spin_unlock(&test_lock_a);
	KTEST_EXPECT_EQ(t, this_cpu_read(spinlocks_held), held);
	KTEST_EXPECT_EQ(t, test_lock_a.owner_cpu, -1);
	KTEST_EXPECT_FALSE(t, spin_is_locked(&test_lock_a));
}

static void test_ticket_order(struct ktest *t)
{
	uint16_t before = test_lock_a.owner;

	spin_lock(&test_lock_a);
	KTEST_EXPECT_EQ(t, test_lock_a.next, (uint16_t)(before + 1));
	KTEST_EXPECT_EQ(t, test_lock_a.owner, before);
	spin_unlock(&test_lock_a);
	KTEST_EXPECT_EQ(t, test_lock_a.owner, (uint16_t)(before + 1));
	KTEST_EXPECT_EQ(t, test_lock_a.next, test_lock_a.owner);
}

/* spinlock_init()'s rule, read back: CPUID's hypervisor bit decides,
 * spinlock.ticket overrides. */
static void test_mode_follows_cpuid(struct ktest *t)
{
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	KTEST_EXPECT_EQ(t, spin_unfair, (bool)(c & (1u << 31)) && !spinlock_ticket);
}

#define CONTEND_ROUNDS	100

static DEFINE_SPINLOCK(contended_lock);
static unsigned long contended_count;	/* only under contended_lock */

/* A read, a pause, a write: a lost update shows if two CPUs are ever
 * inside at once. */
static void contend(void *info)
{
	(void)info;
	for (int i = 0; i < CONTEND_ROUNDS; i++) {
		unsigned long flags = spin_lock_irqsave(&contended_lock);
		unsigned long v = READ_ONCE(contended_count);

		cpu_relax();
		WRITE_ONCE(contended_count, v + 1);
		spin_unlock_irqrestore(&contended_lock, flags);
	}
}

static void test_exclusion_all_cpus(struct ktest *t)
{
	contended_count = 0;
	KTEST_EXPECT_EQ(t, on_each_cpu(contend, NULL, 1), 0);
	KTEST_EXPECT_EQ(t, contended_count,
			(unsigned long)CONTEND_ROUNDS * num_online_cpus());
	KTEST_EXPECT_FALSE(t, spin_is_locked(&contended_lock));
}

static void test_irqsave_restores_if(struct ktest *t)
{
	unsigned long before = read_flags();
	unsigned long flags = spin_lock_irqsave(&test_lock_a);

	KTEST_EXPECT_EQ(t, flags, before);
	KTEST_EXPECT_EQ(t, read_flags() & X86_EFLAGS_IF, 0);
	spin_unlock_irqrestore(&test_lock_a, flags);
	KTEST_EXPECT_EQ(t, read_flags() & X86_EFLAGS_IF,
			before & X86_EFLAGS_IF);
	/* Nested: the inner restore must leave interrupts off. */
	flags = spin_lock_irqsave(&test_lock_a);
	{
		unsigned long inner = spin_lock_irqsave(&test_lock_b);

		KTEST_EXPECT_EQ(t, inner & X86_EFLAGS_IF, 0);
		spin_unlock_irqrestore(&test_lock_b, inner);
		KTEST_EXPECT_EQ(t, read_flags() & X86_EFLAGS_IF, 0);
	}
	spin_unlock_irqrestore(&test_lock_a, flags);
}

static void test_recursion_detected(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, spin_lock_check(&test_lock_a), SPIN_LOCK_OK);
	spin_lock(&test_lock_a);
	KTEST_EXPECT_EQ(t, spin_lock_check(&test_lock_a),
			SPIN_LOCK_RECURSION);
	KTEST_EXPECT_EQ(t, spin_lock_check(&test_lock_b), SPIN_LOCK_OK);
	KTEST_EXPECT_FALSE(t, spin_trylock(&test_lock_a));
	spin_unlock(&test_lock_a);
	KTEST_EXPECT_EQ(t, spin_lock_check(&test_lock_a), SPIN_LOCK_OK);
	KTEST_EXPECT_TRUE(t, spin_trylock(&test_lock_a));
	KTEST_EXPECT_EQ(t, spin_lock_check(&test_lock_a),
			SPIN_LOCK_RECURSION);
	spin_unlock(&test_lock_a);
}

static void test_zeroed_lock_is_free(struct ktest *t)
{
	spinlock_t zeroed;

	memset(&zeroed, 0, sizeof(zeroed));	/* owner_cpu 0 == this CPU */
	KTEST_EXPECT_EQ(t, spin_lock_check(&zeroed), SPIN_LOCK_OK);
	spin_lock(&zeroed);
	KTEST_EXPECT_EQ(t, spin_lock_check(&zeroed), SPIN_LOCK_RECURSION);
	spin_unlock(&zeroed);
	KTEST_EXPECT_EQ(t, spin_lock_check(&zeroed), SPIN_LOCK_OK);
}

static void test_might_sleep_in_lock(struct ktest *t)
{
	unsigned long reports = might_sleep_reports;

	KTEST_EXPECT_FALSE(t, __might_sleep(__FILE__, __LINE__));
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports);
	spin_lock(&test_lock_a);
	KTEST_EXPECT_TRUE(t, __might_sleep(__FILE__, __LINE__));
	might_sleep();
	spin_unlock(&test_lock_a);
	KTEST_EXPECT_EQ(t, might_sleep_reports, reports + 2);
	KTEST_EXPECT_FALSE(t, __might_sleep(__FILE__, __LINE__));
}

static struct ktest_case spinlock_cases[] = {
	KTEST_CASE(test_held_count),
	KTEST_CASE(test_ticket_order),
	KTEST_CASE(test_mode_follows_cpuid),
	KTEST_CASE(test_exclusion_all_cpus),
	KTEST_CASE(test_irqsave_restores_if),
	KTEST_CASE(test_recursion_detected),
	KTEST_CASE(test_zeroed_lock_is_free),
	KTEST_CASE(test_might_sleep_in_lock),
	{}
};
KTEST_SUITE(spinlock, spinlock_cases);
