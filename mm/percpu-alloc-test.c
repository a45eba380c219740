/*
 * mm/percpu-alloc-test.c - KTAP suite "percpu_alloc": the per-CPU allocator
 * (mm/percpu.c) in the running kernel, on every CPU.
 *
 * Unit distances, this_cpu_* against per_cpu_ptr from threads pinned to
 * each CPU, concurrent alloc/free from all CPUs with exact counters,
 * exhausting the reserved chunk (Linux's failure line, dynamic allocations
 * untouched), and a dynamic chunk created when needed and released when
 * empty.  The pure chunk allocator has its own host test
 * (tests/host/test_percpu_chunk.c).
 */
#include <kernel/ktest.h>
#include <kernel/ktest/baseline.h>
#include <kernel/ktest/threads.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>

static const char reserved_failure[] =
	"PERCPU: allocation failed, size=304 align=32, alloc from reserved chunk failed";

static bool all_zero(const void *p, size_t size)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < size; i++)
		if (b[i])
			return false;
	return true;
}

/* per_cpu_ptr(p, a) - per_cpu_ptr(p, b) is (a - b) units, in every
 * kind of chunk, and a new area is zero on every CPU. */
static void test_unit_distance(struct ktest *t)
{
	struct pcpu_alloc_info info;
	uint64_t *dyn = alloc_percpu(uint64_t);
	char *res = __alloc_reserved_percpu(24, 8);
	unsigned int a, b;

	pcpu_get_stats(&info);
	KTEST_EXPECT_TRUE(t, dyn != NULL);
	KTEST_EXPECT_TRUE(t, res != NULL);
	if (!dyn || !res)
		goto out;
	for_each_possible_cpu(a) {
		KTEST_EXPECT_EQ(t, *per_cpu_ptr(dyn, a), 0);
		KTEST_EXPECT_TRUE(t, all_zero(per_cpu_ptr(res, a), 24));
		KTEST_EXPECT_EQ(t, (unsigned long)per_cpu_ptr(dyn, a) % 8, 0);
		for_each_possible_cpu(b) {
			long d = ((long)a - (long)b) * (long)info.unit_size;

			KTEST_EXPECT_EQ(t, (char *)per_cpu_ptr(dyn, a) -
					   (char *)per_cpu_ptr(dyn, b), d);
			KTEST_EXPECT_EQ(t, per_cpu_ptr(res, a) -
					   per_cpu_ptr(res, b), d);
		}
	}
out:
	free_percpu(dyn);
	free_percpu(res);
}

/* A freed area comes back zeroed everywhere; alignment is kept. */
static void test_zeroed_again(struct ktest *t)
{
	char *p = __alloc_percpu(256, 64), *q;
	unsigned int c;

	KTEST_EXPECT_TRUE(t, p != NULL);
	if (!p)
		return;
	for_each_possible_cpu(c)
		memset(per_cpu_ptr(p, c), 0xa5, 256);
	free_percpu(p);
	q = __alloc_percpu(256, 64);
	KTEST_EXPECT_TRUE(t, q != NULL);
	if (!q)
		return;
	for_each_possible_cpu(c) {
		KTEST_EXPECT_TRUE(t, all_zero(per_cpu_ptr(q, c), 256));
		KTEST_EXPECT_EQ(t, (unsigned long)per_cpu_ptr(q, c) % 64, 0);
	}
	free_percpu(q);
}

/* Refusals and no-ops change no counter. */
static void test_refusals(struct ktest *t)
{
	struct pcpu_alloc_info before, after;
	uint32_t *p = alloc_percpu(uint32_t);

	KTEST_EXPECT_TRUE(t, p != NULL);
	pcpu_get_stats(&before);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(0, 4) == NULL);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(8, 3) == NULL);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(8, 2 * PAGE_SIZE) == NULL);
	KTEST_EXPECT_TRUE(t, __alloc_percpu(before.unit_size + 1, 4) == NULL);
	free_percpu(NULL);
	if (p)
		free_percpu((char *)p + 4);	/* not an allocation's start */
	pcpu_get_stats(&after);
	KTEST_EXPECT_EQ(t, after.nr_alloc, before.nr_alloc);
	KTEST_EXPECT_EQ(t, after.nr_dealloc, before.nr_dealloc);
	KTEST_EXPECT_EQ(t, after.nr_failures, before.nr_failures);
	free_percpu(p);
}

/* ---- this_cpu vs per_cpu_ptr, on every CPU ---- */

struct marker_args {
	uint32_t *word;
	uint64_t *wide;
};

static int marker_thread(void *data)
{
	struct marker_args *m = data;
	unsigned int cpu = smp_processor_id();

	this_cpu_write(*m->word, 0x1000 + cpu);
	this_cpu_add(*m->word, 5);
	*this_cpu_ptr(m->wide) = 0xabcd000000000000ULL | cpu;
	return this_cpu_read(*m->word) == 0x1005 + cpu ? 0 : 1;
}

static void test_this_cpu_vs_per_cpu_ptr(struct ktest *t)
{
	static struct task_struct *threads[NR_CPUS];
	struct marker_args m = { alloc_percpu(uint32_t), alloc_percpu(uint64_t) };
	unsigned int c;

	KTEST_EXPECT_TRUE(t, m.word && m.wide);
	if (!m.word || !m.wide)
		goto out;
	for_each_online_cpu(c)
		threads[c] = kt_start(t, marker_thread, &m, c, "pcpu_marker");
	for_each_online_cpu(c)
		KTEST_EXPECT_EQ(t, kt_reap(t, threads[c], KT_REAP_TIMEOUT), 0);
	for_each_possible_cpu(c) {
		if (cpu_online(c)) {
			KTEST_EXPECT_EQ(t, *per_cpu_ptr(m.word, c), 0x1005 + c);
			KTEST_EXPECT_EQ(t, *per_cpu_ptr(m.wide, c),
					0xabcd000000000000ULL | c);
		} else {
			KTEST_EXPECT_EQ(t, *per_cpu_ptr(m.word, c), 0);
		}
	}
out:
	free_percpu(m.word);
	free_percpu(m.wide);
}

/* ---- concurrent alloc/free from all CPUs ---- */

#define STRESS_ROUNDS	40
#define STRESS_LIVE	6

struct stress_result {
	unsigned long allocs;
	unsigned long bad;	/* corrupted or misaligned areas seen */
};

static struct stress_result stress_results[NR_CPUS];

static bool stress_check(unsigned char *p, size_t size, unsigned char v)
{
	unsigned char *mine = this_cpu_ptr(p), *cpu0 = per_cpu_ptr(p, 0);

	for (size_t i = 0; i < size; i++)
		if (mine[i] != v || cpu0[i] != v)
			return false;
	return true;
}

static int stress_thread(void *data)
{
	unsigned int cpu = smp_processor_id();
	struct stress_result *r = &stress_results[cpu];
	unsigned char *live[STRESS_LIVE] = { NULL };
	size_t sizes[STRESS_LIVE] = { 0 };
	unsigned char vals[STRESS_LIVE] = { 0 };
	uint32_t seed = 2654435761u * (cpu + 1);

	(void)data;
	for (int round = 0; round < STRESS_ROUNDS; round++) {
		int slot = round % STRESS_LIVE;
		size_t size, align;
		bool reserved;

		if (live[slot]) {
			if (!stress_check(live[slot], sizes[slot], vals[slot]))
				r->bad++;
			free_percpu(live[slot]);
			live[slot] = NULL;
		}
		seed = seed * 1103515245u + 12345u;
		size = 4 + (seed >> 8) % 253;
		align = 1UL << ((seed >> 20) % 7);
		reserved = slot == 0;	/* at most one reserved at a time */
		if (reserved)
			size = 16;
		live[slot] = reserved ? __alloc_reserved_percpu(size, align) :
					__alloc_percpu(size, align);
		if (!live[slot]) {
			r->bad++;
			continue;
		}
		r->allocs++;
		if ((unsigned long)this_cpu_ptr(live[slot]) % align ||
		    !all_zero(this_cpu_ptr(live[slot]), size))
			r->bad++;
		/* Our CPU's copy and CPU 0's: an area given to two threads
		 * at once would show in CPU 0's unit. */
		vals[slot] = (unsigned char)(cpu * 31 + round + 1);
		memset(this_cpu_ptr(live[slot]), vals[slot], size);
		memset(per_cpu_ptr(live[slot], 0), vals[slot], size);
		sizes[slot] = size;
		if (round % 8 == 7)
			yield();
	}
	for (int slot = 0; slot < STRESS_LIVE; slot++) {
		if (!live[slot])
			continue;
		if (!stress_check(live[slot], sizes[slot], vals[slot]))
			r->bad++;
		free_percpu(live[slot]);
	}
	return 0;
}

static void test_concurrent(struct ktest *t)
{
	static struct task_struct *threads[NR_CPUS];
	struct pcpu_alloc_info before, after;
	struct ktest_baseline b;
	unsigned long allocs = 0, bad = 0;
	size_t room = pcpu_reserved_total() - pcpu_reserved_used();
	size_t need = num_online_cpus() * 128UL;	/* 16 B, aligned up to 64 */
	unsigned int c;

	/* Each thread keeps one reserved area live: the loaded modules (a
	 * storm's, say) may have left too little of the chunk for that. */
	if (room < need) {
		static char why[96];

		snprintf(why, sizeof(why), "the reserved chunk has %zu bytes free, the test wants %zu",
			 room, need);
		ktest_skip(t, why);
		return;
	}
	memset(stress_results, 0, sizeof(stress_results));
	ktest_baseline_take(&b, LEAK_PERCPU_RESERVED | LEAK_PERCPU_AREAS);
	pcpu_get_stats(&before);
	for_each_online_cpu(c)
		threads[c] = kt_start(t, stress_thread, NULL, c, "pcpu_stress");
	for_each_online_cpu(c)
		KTEST_EXPECT_EQ(t, kt_reap(t, threads[c], 6 * KT_REAP_TIMEOUT), 0);
	for_each_online_cpu(c) {
		allocs += stress_results[c].allocs;
		bad += stress_results[c].bad;
	}
	pcpu_get_stats(&after);
	KTEST_EXPECT_EQ(t, bad, 0);
	KTEST_EXPECT_EQ(t, allocs, (unsigned long)num_online_cpus() * STRESS_ROUNDS);
	KTEST_EXPECT_EQ(t, after.nr_alloc - before.nr_alloc, allocs);
	KTEST_EXPECT_EQ(t, after.nr_dealloc - before.nr_dealloc, allocs);
	KTEST_EXPECT_EQ(t, after.nr_alloc - after.nr_dealloc, after.nr_cur_alloc);
	KTEST_EXPECT_EQ(t, after.nr_failures, before.nr_failures);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* ---- the reserved chunk runs out ---- */

static void test_reserved_exhaustion(struct ktest *t)
{
	size_t total = pcpu_reserved_total(), used0;
	unsigned int cap = (unsigned int)(total / 304) + 2, n = 0, c;
	struct pcpu_alloc_info before, after;
	struct ktest_baseline b;
	void **ptrs;
	uint64_t *dyn;
	void *more;

	/* The reserved chunk only: dyn is still held at the check. */
	ktest_baseline_take(&b, LEAK_PERCPU_RESERVED);
	used0 = b.percpu_reserved;
	ptrs = kzalloc(cap * sizeof(void *));
	dyn = alloc_percpu(uint64_t);
	KTEST_EXPECT_TRUE(t, ptrs && dyn);
	if (!ptrs || !dyn)
		goto out;
	for_each_possible_cpu(c)
		*per_cpu_ptr(dyn, c) = 0x5a5a0000 + c;
	pcpu_get_stats(&before);
	/* The kvm module's 304 bytes, as in the 2013 reports. */
	while (n < cap && (ptrs[n] = __alloc_reserved_percpu(304, 32)) != NULL)
		n++;
	pcpu_get_stats(&after);
	KTEST_EXPECT_TRUE(t, n < cap);		/* it did run out */
	KTEST_EXPECT_EQ(t, after.nr_failures, before.nr_failures + 1);
	KTEST_EXPECT_EQ(t, strcmp(pcpu_last_failure_msg(), reserved_failure), 0);
	KTEST_EXPECT_EQ(t, pcpu_reserved_used(), used0 + n * 304);
	/* From empty (the static area ends 64-byte aligned), each takes 304
	 * bytes and the next starts 16 later, on a 32-byte boundary. */
	if (used0 == 0)
		KTEST_EXPECT_EQ(t, n, total >= 304 ? (total - 304) / 320 + 1 : 0);
	KTEST_EXPECT_TRUE(t, pcpu_reserved_peak() >= pcpu_reserved_used());
	/* The dynamic side does not notice. */
	more = __alloc_percpu(304, 32);
	KTEST_EXPECT_TRUE(t, more != NULL);
	for_each_possible_cpu(c)
		KTEST_EXPECT_EQ(t, *per_cpu_ptr(dyn, c), 0x5a5a0000 + c);
	free_percpu(more);
	for (unsigned int i = 0; i < n; i++)
		free_percpu(ptrs[i]);
	KTEST_EXPECT_NO_LEAK(t, &b);
	KTEST_EXPECT_TRUE(t, pcpu_reserved_peak() >= used0 + n * 304);
	/* Leave the peak as the rest of the boot found it. */
	pcpu_reserved_peak_reset();
	KTEST_EXPECT_EQ(t, pcpu_reserved_peak(), used0);
out:
	free_percpu(dyn);
	kfree(ptrs);
}

/* ---- a dynamic chunk comes and goes ---- */

#define CHUNK_TEST_MAX	160

static void test_chunk_create_release(struct ktest *t)
{
	static void *ptrs[CHUNK_TEST_MAX];
	struct pcpu_alloc_info info0, full, end;
	struct ktest_baseline b;
	unsigned int n = 0, c;

	pcpu_balance_workfn();
	ktest_baseline_take(&b, LEAK_PERCPU_AREAS);
	pcpu_get_stats(&info0);
	KTEST_EXPECT_TRUE(t, info0.nr_empty_chunks <= 1);
	/* Whole pages until two chunks more than we started with exist. */
	for (;;) {
		struct pcpu_alloc_info now;

		pcpu_get_stats(&now);
		if (now.nr_chunks >= info0.nr_chunks + 2 || n == CHUNK_TEST_MAX)
			break;
		ptrs[n] = __alloc_percpu(PAGE_SIZE, PAGE_SIZE);
		if (!ptrs[n])
			break;
		n++;
	}
	pcpu_get_stats(&full);
	KTEST_EXPECT_EQ(t, full.nr_chunks, info0.nr_chunks + 2);
	KTEST_EXPECT_TRUE(t, full.nr_populated > info0.nr_populated);
	/* Every CPU's copy of every page is there and distinct. */
	for (unsigned int i = 0; i < n; i++) {
		for_each_possible_cpu(c) {
			unsigned char *p = per_cpu_ptr((unsigned char *)ptrs[i], c);

			KTEST_EXPECT_TRUE(t, p[0] == 0 && p[PAGE_SIZE - 1] == 0);
			p[0] = (unsigned char)i;
			p[PAGE_SIZE - 1] = (unsigned char)c;
		}
	}
	for (unsigned int i = 0; i < n; i++) {
		for_each_possible_cpu(c) {
			unsigned char *p = per_cpu_ptr((unsigned char *)ptrs[i], c);

			KTEST_EXPECT_TRUE(t, p[0] == (unsigned char)i &&
					     p[PAGE_SIZE - 1] == (unsigned char)c);
		}
		free_percpu(ptrs[i]);
	}
	pcpu_balance_workfn();
	pcpu_get_stats(&end);
	/* One empty chunk kept as a spare, the others released. */
	KTEST_EXPECT_EQ(t, end.nr_empty_chunks, 1);
	KTEST_EXPECT_EQ(t, end.nr_chunks,
			info0.nr_chunks + 1 - info0.nr_empty_chunks);
	KTEST_EXPECT_TRUE(t, end.nr_populated < full.nr_populated);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

static struct ktest_case percpu_alloc_cases[] = {
	KTEST_CASE(test_unit_distance),
	KTEST_CASE(test_zeroed_again),
	KTEST_CASE(test_refusals),
	KTEST_CASE(test_this_cpu_vs_per_cpu_ptr),
	KTEST_CASE(test_concurrent),
	KTEST_CASE(test_reserved_exhaustion),
	KTEST_CASE(test_chunk_create_release),
	{}
};
KTEST_SUITE(percpu_alloc, percpu_alloc_cases);
