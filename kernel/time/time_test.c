/*
 * kernel/time/time_test.c - KTAP suite "time": the clock never goes back,
 * a delay lasts at least as long as asked by a clock other than the TSC
 * it is made of (the HPET, else PIT channel 2), and the tick advances
 * jiffies while interrupts are on.  Correctness only: no speed figures.
 */
#include <kernel/io.h>
#include <kernel/ktest.h>
#include <kernel/time.h>

static void test_ktime_monotonic(struct ktest *t)
{
	uint64_t prev = ktime_get_ns(), now;
	int backwards = 0;

	KTEST_EXPECT_NE(t, tsc_khz(), 0);
	for (int i = 0; i < 100000; i++) {
		now = ktime_get_ns();
		if (now < prev)
			backwards++;
		prev = now;
	}
	KTEST_EXPECT_EQ(t, backwards, 0);
	KTEST_EXPECT_TRUE(t, prev > 0);
}

static void test_udelay_10ms_by_other_clock(struct ktest *t)
{
	if (hpet_available()) {
		uint64_t h0 = hpet_read_counter(), h1, ns;

		udelay(10000);
		h1 = hpet_read_counter();
		ns = ((h1 - h0) & hpet_counter_mask()) * hpet_period_fs() /
		     1000000ULL;
		KTEST_EXPECT_TRUE(t, ns >= 10000000ULL);
	} else {
		/* The PIT runs out after 10 ms: it must have by now. */
		pit_oneshot_start(10000);
		KTEST_EXPECT_FALSE(t, pit_oneshot_expired());
		udelay(10000);
		KTEST_EXPECT_TRUE(t, pit_oneshot_expired());
	}
}

static void test_jiffies_advance(struct ktest *t)
{
	unsigned long flags = local_irq_save();
	unsigned long j0;

	local_irq_enable();
	KTEST_EXPECT_NE(t, lapic_timer_ticks_per_jiffy(), 0);
	j0 = jiffies;
	/* Two ticks are 20 ms at HZ=100.  Wait up to 2 s for them: an
	 * emulated CPU the host did not run for a while loses ticks (they
	 * coalesce), and this checks that ticks come, not how fast. */
	for (int ms = 0; ms < 2000 && jiffies - j0 < 2; ms++)
		udelay(1000);
	KTEST_EXPECT_TRUE(t, jiffies - j0 >= 2);
	local_irq_restore(flags);
}

static struct ktest_case time_cases[] = {
	KTEST_CASE(test_ktime_monotonic),
	KTEST_CASE(test_udelay_10ms_by_other_clock),
	KTEST_CASE(test_jiffies_advance),
	{}
};
KTEST_SUITE(time, time_cases);
