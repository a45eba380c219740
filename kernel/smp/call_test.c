/*
 * kernel/smp/call_test.c - KTAP suites "ipi" (cross-CPU function calls,
 * kernel/smp/call.c) and "tlb" (the TLB shootdown of
 * flush_tlb_kernel_range(), mm/paging.c).
 *
 * ipi: on_each_cpu() runs a function exactly once on every online CPU;
 * smp_call_function_single() runs on its target; wait=0 calls finish
 * (bounded poll); every CPU calling on_each_cpu() at the same time, many
 * rounds (20; fewer above 12 CPUs), neither deadlocks nor loses or doubles a call; a call with
 * interrupts off completes and is reported.
 *
 * tlb: a page in the vmap area that every CPU has read (so every TLB may
 * hold it) is freed through kernel_stack_free() and the lazy frees
 * purged (vm_unmap_aliases()); then every CPU reads it again through
 * probe_read_u64(), which returns -EFAULT instead of crashing, and every
 * one must fault.  Without the shootdown the other
 * CPUs would read the freed page through their stale entries.
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/smp.h>
#include <kernel/time.h>

#define POLL_MS		5000
/* Rounds per CPU: 20, fewer at high CPU counts (n * n calls a round). */
#define STORM_ROUNDS(n)	((n) <= 12 ? 20U : 256U / (n) < 4 ? 4U : 256U / (n))

extern int probe_read_u64(const uint64_t *addr, uint64_t *out);

static unsigned long hits[NR_CPUS];

static void count_hit(void *info)
{
	(void)info;
	__atomic_fetch_add(&hits[smp_processor_id()], 1, __ATOMIC_RELAXED);
}

static void clear_hits(void)
{
	memset(hits, 0, sizeof(hits));
}

/* Every online CPU has exactly 'want' hits, every other CPU none. */
static void expect_hits(struct ktest *t, unsigned long want)
{
	for (unsigned int cpu = 0; cpu < NR_CPUS; cpu++) {
		unsigned long got = __atomic_load_n(&hits[cpu],
						    __ATOMIC_RELAXED);

		if (got != (cpu_online(cpu) ? want : 0))
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %u ran the function %lu times, expected %lu",
				   cpu, got, cpu_online(cpu) ? want : 0);
	}
}

static bool poll_until(unsigned long *counter, unsigned long want)
{
	uint64_t start = ktime_get_ns();

	while (__atomic_load_n(counter, __ATOMIC_ACQUIRE) < want) {
		if (ktime_get_ns() - start > POLL_MS * 1000000ULL)
			return false;
		cpu_relax();
	}
	return true;
}

static void test_on_each_cpu_once(struct ktest *t)
{
	clear_hits();
	KTEST_EXPECT_EQ(t, on_each_cpu(count_hit, NULL, 1), 0);
	expect_hits(t, 1);
}

static unsigned int ran_on;

static void record_cpu(void *info)
{
	(void)info;
	__atomic_store_n(&ran_on, smp_processor_id(), __ATOMIC_RELEASE);
}

static void test_single_runs_on_target(struct ktest *t)
{
	unsigned int cpu;

	for_each_online_cpu(cpu) {
		ran_on = NR_CPUS;
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, record_cpu,
							    NULL, 1), 0);
		KTEST_EXPECT_EQ(t, __atomic_load_n(&ran_on, __ATOMIC_ACQUIRE),
				cpu);
	}
	KTEST_EXPECT_EQ(t, smp_call_function_single(NR_CPUS, record_cpu,
						    NULL, 1), -EINVAL);
}

static unsigned long async_done;

static void async_hit(void *info)
{
	(void)info;
	__atomic_fetch_add(&async_done, 1, __ATOMIC_RELEASE);
}

static void test_nowait_completes(struct ktest *t)
{
	unsigned int cpu, n = num_online_cpus();

	async_done = 0;
	/* One at a time to each CPU: each call reuses the caller's slot. */
	for_each_online_cpu(cpu)
		KTEST_EXPECT_EQ(t, smp_call_function_single(cpu, async_hit,
							    NULL, 0), 0);
	KTEST_EXPECT_TRUE(t, poll_until(&async_done, n));
	/* All others at once, then this one: n - 1 + 1 more. */
	KTEST_EXPECT_EQ(t, smp_call_function(async_hit, NULL, 0), 0);
	KTEST_EXPECT_TRUE(t, poll_until(&async_done, 2 * n - 1));
	KTEST_EXPECT_EQ(t, on_each_cpu(async_hit, NULL, 0), 0);
	KTEST_EXPECT_TRUE(t, poll_until(&async_done, 3 * n - 1));
}

/*
 * Every other CPU, from inside the IPI that started it (interrupts back
 * on, so it is an ordinary caller), and this CPU, each call
 * on_each_cpu() STORM_ROUNDS times at once.
 */
static unsigned long storm_finished;
static int storm_errors;
static unsigned int storm_rounds;

static void storm(void *info)
{
	(void)info;
	local_irq_enable();
	for (unsigned int i = 0; i < storm_rounds; i++)
		if (on_each_cpu(count_hit, NULL, 1))
			__atomic_fetch_add(&storm_errors, 1, __ATOMIC_RELAXED);
	local_irq_disable();
	__atomic_fetch_add(&storm_finished, 1, __ATOMIC_RELEASE);
}

static void test_concurrent_storm(struct ktest *t)
{
	unsigned int n = num_online_cpus();

	clear_hits();
	storm_finished = 0;
	storm_errors = 0;
	storm_rounds = STORM_ROUNDS(n);
	KTEST_EXPECT_EQ(t, smp_call_function(storm, NULL, 0), 0);
	storm(NULL);
	local_irq_enable();	/* storm() left them off, as an IPI would */
	KTEST_EXPECT_TRUE(t, poll_until(&storm_finished, n));
	KTEST_EXPECT_EQ(t, storm_errors, 0);
	/* n callers, each reaching all n CPUs, storm_rounds times. */
	expect_hits(t, (unsigned long)n * storm_rounds);
}

static void test_irqs_off_reported(struct ktest *t)
{
	unsigned long before = smp_call_irqs_off_warnings;

	if (num_online_cpus() < 2) {
		ktest_skip(t, "needs a second CPU");
		return;
	}
	clear_hits();
	local_irq_disable();
	KTEST_EXPECT_EQ(t, on_each_cpu(count_hit, NULL, 1), 0);
	local_irq_enable();
	expect_hits(t, 1);
	KTEST_EXPECT_EQ(t, smp_call_irqs_off_warnings, before + 1);
}

static struct ktest_case ipi_cases[] = {
	KTEST_CASE(test_on_each_cpu_once),
	KTEST_CASE(test_single_runs_on_target),
	KTEST_CASE(test_nowait_completes),
	KTEST_CASE(test_concurrent_storm),
	KTEST_CASE(test_irqs_off_reported),
	{},
};
KTEST_SUITE(ipi, ipi_cases);

/* ---- tlb ------------------------------------------------------------ */

#define TLB_MAGIC	0x746c6273686f6f74ULL	/* "tlbshoot" */

static const uint64_t *probe_addr;
static int probe_result[NR_CPUS];
static uint64_t probe_value[NR_CPUS];

static void probe_page(void *info)
{
	unsigned int cpu = smp_processor_id();

	(void)info;
	probe_result[cpu] = probe_read_u64(probe_addr, &probe_value[cpu]);
}

static void test_unmapped_page_faults_everywhere(struct ktest *t)
{
	uint64_t *page = kernel_stack_alloc(PAGE_SIZE);
	unsigned int cpu;

	KTEST_EXPECT_TRUE(t, page != NULL);
	if (!page)
		return;
	*page = TLB_MAGIC;
	probe_addr = page;

	/* Every CPU reads it: now it may be in every TLB. */
	memset(probe_result, 0x7f, sizeof(probe_result));
	KTEST_EXPECT_EQ(t, on_each_cpu(probe_page, NULL, 1), 0);
	for_each_online_cpu(cpu) {
		KTEST_EXPECT_EQ(t, probe_result[cpu], 0);
		KTEST_EXPECT_EQ(t, probe_value[cpu], TLB_MAGIC);
	}

	/* Freed lazily, as Linux's vfree(): unmapped now, shot down at the
	 * purge, which is the shootdown under test. */
	kernel_stack_free(page);
	vm_unmap_aliases();

	/* Every CPU must now fault on it. */
	memset(probe_result, 0x7f, sizeof(probe_result));
	KTEST_EXPECT_EQ(t, on_each_cpu(probe_page, NULL, 1), 0);
	for_each_online_cpu(cpu)
		if (probe_result[cpu] != -EFAULT)
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %u read the freed page (result %d, value %#llx): stale TLB entry",
				   cpu, probe_result[cpu],
				   (unsigned long long)probe_value[cpu]);
}

static struct ktest_case tlb_cases[] = {
	KTEST_CASE(test_unmapped_page_faults_everywhere),
	{},
};
KTEST_SUITE(tlb, tlb_cases);
