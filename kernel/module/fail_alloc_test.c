/*
 * kernel/module/fail_alloc_test.c - KTAP suite "fail_alloc": every
 * allocation a load makes, failed in turn (fail.alloc, fault_inject.c),
 * as Linux's failslab and fail_page_alloc find unwind bugs, but
 * exhaustively.
 *
 * For each demo module and each loader generation: one load that only
 * counts its allocations (n: its state, the file copy, the tables,
 * module memory, the per-CPU template and area, a reference to each
 * module it uses, kallsyms, its arguments), then for k = 1 .. n a load
 * whose kth allocation fails.  Each must return -ENOMEM with one line in
 * the log that names the module, every counter of the leak baseline must
 * be back (module pages and areas, the reserved chunk, kmalloc objects,
 * the loader's bytes in flight, the module list, module_wq's waiters,
 * references), and a normal load next must work.  Then the same points
 * again while other CPUs load the same module at the same moment: the
 * failing load may be UNFORMED in the list, or the request the others
 * joined, when it unwinds.  The last case prints the totals:
 *
 *	fail_alloc: 57 failure points x 4 generations tried, alone and
 *	with 4 CPUs loading the same module at once (220 of 228 reached
 *	there): 0 leaks
 *
 * (a raced point is not reached when the armed load meets its namesake
 * in the list first and ends with -EEXIST before its kth allocation).
 */
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/ktest/baseline.h>
#include <kernel/ktest/threads.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/string.h>
#include "internal.h"

/* The demo modules, with what each load needs: a module it uses loaded
 * first, and arguments (so that their copy is a failure point too). */
static const struct fail_target {
	const char *name, *uses, *args;
} targets[] = {
	{ "hello", NULL, NULL },
	{ "kvm", NULL, NULL },
	{ "kvm_intel", "kvm", "nested=1" },
	{ "acpi_cpufreq", NULL, NULL },
	{ "coretemp", NULL, "samples=2" },
	{ "percpu_ptr", NULL, NULL },
};

/* What every case adds up, for the summary. */
static unsigned int points_tried, points_raced, points_reached, leaks, racers;

static void path_of(const struct fail_target *m, char *path, size_t size)
{
	snprintf(path, size, "lib/modules/%s.ko", m->name);
}

/* Nothing loaded but what m uses; false (and the test failed) if not. */
static bool prepare(struct ktest *t, const struct fail_target *m)
{
	delete_all_modules();
	if (m->uses && modprobe(m->uses) != 0) {
		ktest_fail(t, __FILE__, __LINE__, "modprobe(%s) failed", m->uses);
		return false;
	}
	return true;
}

/* On the list in any state (module_is_inkernel() asks for LIVE or
 * COMING): an UNFORMED or GOING entry left behind counts too. */
static bool is_loaded(const char *name)
{
	bool there;

	rcu_read_lock();
	there = find_module_all(name, true) != NULL;
	rcu_read_unlock();
	return there;
}

/*
 * The log's lines since byte mark (printk_bytes_logged()), and how many
 * of them name who.  ~0u when the ring no longer holds them all.
 */
static unsigned int lines_since(size_t mark, const char *who,
				unsigned int *naming)
{
	static char buf[2048];
	size_t first, n = printk_log_copy(buf, sizeof(buf) - 1, &first);
	unsigned int lines = 0;
	char *p, *nl;

	*naming = 0;
	if (mark < first)
		return ~0u;
	buf[n] = '\0';
	for (p = buf + (mark - first); *p; p = nl + 1) {
		nl = strchr(p, '\n');
		if (nl)
			*nl = '\0';
		lines++;
		if (strstr(p, who))
			(*naming)++;
		if (!nl)
			break;
	}
	return lines;
}

/* Each failure counts once in the summary, however many checks it fails. */
static void expect_no_leak(struct ktest *t, const struct ktest_baseline *b,
			   const char *what, unsigned int k)
{
	struct ktest_baseline now;

	if (!ktest_baseline_changed(b, &now))
		return;
	leaks++;
	ktest_fail(t, __FILE__, __LINE__, "%s: failing allocation %u leaked", what, k);
	KTEST_EXPECT_NO_LEAK(t, b);	/* one line per counter */
}

/* A normal load, then its unload, leaving the baseline. */
static void load_and_unload(struct ktest *t, const struct fail_target *m,
			    const struct ktest_baseline *b, unsigned int k)
{
	char path[64];

	path_of(m, path, sizeof(path));
	KTEST_EXPECT_EQ(t, insmod(path, m->args), 0);
	KTEST_EXPECT_EQ(t, delete_module(m->name), 0);
	expect_no_leak(t, b, m->name, k);
}

/* The allocations of one load of m, by a load armed with k = 0. */
static unsigned int count_allocations(struct ktest *t, const struct fail_target *m,
				      struct fail_alloc_result *r)
{
	char path[64];

	path_of(m, path, sizeof(path));
	fail_alloc_arm(m->name, 0);
	KTEST_EXPECT_EQ(t, insmod(path, m->args), 0);
	KTEST_EXPECT_TRUE(t, fail_alloc_result(r));
	KTEST_EXPECT_EQ(t, r->err, 0);
	KTEST_EXPECT_EQ(t, delete_module(m->name), 0);
	return r->allocs;
}

/* Fail allocation k of a load of m, alone. */
static void try_point(struct ktest *t, const struct fail_target *m,
		      const struct ktest_baseline *b, unsigned int k)
{
	struct fail_alloc_result r;
	unsigned int lines, naming;
	char path[64];
	size_t mark;
	int err;

	path_of(m, path, sizeof(path));
	fail_alloc_arm(m->name, k);
	mark = printk_bytes_logged();
	err = insmod(path, m->args);
	lines = lines_since(mark, m->name, &naming);
	if (err != -ENOMEM)
		ktest_fail(t, __FILE__, __LINE__, "%s, allocation %u failed: load gave %d, not -ENOMEM",
			   m->name, k, err);
	if (lines != 1 || naming != 1)
		ktest_fail(t, __FILE__, __LINE__, "%s, allocation %u failed: %u lines in the log (%u naming it), not one",
			   m->name, k, lines, naming);
	KTEST_EXPECT_TRUE(t, fail_alloc_result(&r));
	KTEST_EXPECT_EQ(t, r.allocs, k);
	KTEST_EXPECT_EQ(t, r.err, -ENOMEM);
	expect_no_leak(t, b, m->name, k);
	load_and_unload(t, m, b, k);
	points_tried++;
}

/* ---- with other CPUs loading the same module ---- */

#define RACERS	KT_MAX_SPINNING_CPUS

static struct race {
	const struct fail_target *m;
	volatile int go;
	int result[RACERS];
} race;

static int race_thread(void *data)
{
	int *result = data;
	char path[64];

	path_of(race.m, path, sizeof(path));
	while (!READ_ONCE(race.go))
		cpu_relax();
	*result = insmod(path, race.m->args);
	return 0;
}

/*
 * Fail allocation k of whichever load of m comes first, while loads of
 * m start on up to RACERS CPUs at once.  The one armed fails with
 * -ENOMEM if it gets that far: it may also meet another's module in the
 * list first and end with -EEXIST (or load m, if its k is past the
 * namesake check and it won).  Under loader=idempotent the requests
 * that joined it share its outcome.  Whatever happened, m is loaded at
 * most once, and once it is unloaded nothing is left.
 */
static void try_point_raced(struct ktest *t, const struct fail_target *m,
			    const struct ktest_baseline *b, unsigned int k)
{
	struct task_struct *threads[RACERS] = { NULL };
	unsigned int n = 0, loaded = 0, nomem = 0, cpu;
	struct fail_alloc_result r;

	race.m = m;
	race.go = 0;
	fail_alloc_arm(m->name, k);
	for_each_online_cpu(cpu) {
		if (n == RACERS || !kt_sampled_cpu(cpu, RACERS))
			continue;
		race.result[n] = 1;
		threads[n] = kt_start(t, race_thread, &race.result[n], cpu, "fail_race");
		n++;
	}
	WRITE_ONCE(race.go, 1);
	for (unsigned int i = 0; i < n; i++) {
		int r;

		kt_reap(t, threads[i], KT_REAP_TIMEOUT * 3);
		r = race.result[i];
		loaded += r == 0;
		nomem += r == -ENOMEM;
		if (r != 0 && r != -ENOMEM && r != -EEXIST)
			ktest_fail(t, __FILE__, __LINE__, "%s, allocation %u failed, racing: a load gave %d",
				   m->name, k, r);
	}
	KTEST_EXPECT_TRUE(t, fail_alloc_result(&r));
	KTEST_EXPECT_TRUE(t, r.allocs <= k);
	if (r.allocs == k) {
		KTEST_EXPECT_EQ(t, r.err, -ENOMEM);
		KTEST_EXPECT_TRUE(t, nomem >= 1);
		points_reached++;
	} else if (r.err == -ENOMEM) {
		/* legacy and seed take a reserved per-CPU area before the
		 * name check, so a namesake's duplicates can run the
		 * reserved chunk dry before the failure point: the bug
		 * that the unformed generation fixed. */
		const char *last = r.allocs <= FAIL_ALLOC_MAX_POINTS ?
				   r.what[r.allocs - 1] : NULL;

		if (!loader_generation()->percpu_before_unique ||
		    !last || strcmp(last, "per-CPU area"))
			ktest_fail(t, __FILE__, __LINE__, "%s, allocation %u failed, racing: its load ended with -ENOMEM at allocation %u (%s)",
				   m->name, k, r.allocs, last ? last : "?");
	} else if (r.err != 0 && r.err != -EEXIST) {
		ktest_fail(t, __FILE__, __LINE__, "%s, allocation %u failed, racing: its load gave %d before it",
			   m->name, k, r.err);
	}
	/* Merged requests each return the one load's 0. */
	if (!loader_generation()->merge_requests)
		KTEST_EXPECT_TRUE(t, loaded <= 1);
	KTEST_EXPECT_EQ(t, is_loaded(m->name), loaded > 0);
	if (loaded)
		KTEST_EXPECT_EQ(t, delete_module(m->name), 0);
	expect_no_leak(t, b, m->name, k);
	load_and_unload(t, m, b, k);
	racers = n;
	points_raced++;
}

/* Every failure point of every target under the current generation. */
static void every_point(struct ktest *t, bool raced)
{
	for (unsigned int i = 0; i < ARRAY_SIZE(targets); i++) {
		const struct fail_target *m = &targets[i];
		struct fail_alloc_result r;
		struct ktest_baseline b;
		unsigned int n;

		if (!prepare(t, m))
			continue;
		ktest_baseline_take(&b, LEAK_MODULE_LOAD);
		n = count_allocations(t, m, &r);
		/* Its state, the copy, three tables, module memory, kallsyms
		 * at least. */
		if (n < 7)
			ktest_fail(t, __FILE__, __LINE__, "%s: a load made %u allocations", m->name, n);
		expect_no_leak(t, &b, m->name, 0);
		for (unsigned int k = 1; k <= n; k++) {
			if (raced)
				try_point_raced(t, m, &b, k);
			else
				try_point(t, m, &b, k);
		}
	}
	delete_all_modules();
}

/* One case per generation, alone then raced, each switching to it. */
static void under_generation(struct ktest *t, const char *name)
{
	const struct loader_generation *was = loader_generation();

	if (loader_generation_switch(name)) {
		ktest_fail(t, __FILE__, __LINE__, "cannot switch to loader=%s", name);
		return;
	}
	every_point(t, false);
	if (num_online_cpus() > 1)
		every_point(t, true);
	loader_generation_switch(was->name);
}

static void test_legacy(struct ktest *t)
{
	under_generation(t, "legacy");
}

static void test_seed(struct ktest *t)
{
	under_generation(t, "seed");
}

static void test_unformed(struct ktest *t)
{
	under_generation(t, "unformed");
}

static void test_idempotent(struct ktest *t)
{
	under_generation(t, "idempotent");
}

/*
 * What each target's load allocates, in order, named; and the two ends:
 * hello (no arguments, nothing it uses) and kvm_intel (both), whose
 * points must be hello's and those two.  (No demo module has init
 * sections, so none has init memory.)
 */
static const char *const hello_points[] = {
	"load state", "file copy", "section places", "section map",
	"symbol values", "core memory", "per-CPU template", "per-CPU area",
	"kallsyms",
};
static const char *const kvm_intel_more[] = { "module use", "arguments" };

static bool has_point(const struct fail_alloc_result *r, const char *what)
{
	for (unsigned int i = 0; i < r->allocs && i < FAIL_ALLOC_MAX_POINTS; i++)
		if (r->what[i] && !strcmp(r->what[i], what))
			return true;
	return false;
}

static void test_points_named(struct ktest *t)
{
	/* Cases run one at a time: static, not 2 KiB of stack. */
	static struct fail_alloc_result r[ARRAY_SIZE(targets)];
	static char list[512];

	for (unsigned int i = 0; i < ARRAY_SIZE(targets); i++) {
		size_t len = 0;

		memset(&r[i], 0, sizeof(r[i]));
		if (!prepare(t, &targets[i]))
			continue;
		count_allocations(t, &targets[i], &r[i]);
		for (unsigned int j = 0; j < r[i].allocs && j < FAIL_ALLOC_MAX_POINTS; j++)
			len += snprintf(list + len, len < sizeof(list) ? sizeof(list) - len : 0,
					"%s%s", j ? ", " : "", r[i].what[j] ? r[i].what[j] : "?");
		pr_info("fail_alloc: a load of %s makes %u allocations: %s\n",
			targets[i].name, r[i].allocs, list);
	}
	delete_all_modules();
	KTEST_EXPECT_EQ(t, r[0].allocs, ARRAY_SIZE(hello_points));
	for (unsigned int j = 0; j < ARRAY_SIZE(hello_points) && j < r[0].allocs; j++)
		KTEST_EXPECT_STREQ(t, r[0].what[j] ? r[0].what[j] : "?", hello_points[j]);
	KTEST_EXPECT_EQ(t, r[2].allocs, ARRAY_SIZE(hello_points) + ARRAY_SIZE(kvm_intel_more));
	for (unsigned int j = 0; j < ARRAY_SIZE(hello_points); j++)
		KTEST_EXPECT_TRUE(t, has_point(&r[2], hello_points[j]));
	for (unsigned int j = 0; j < ARRAY_SIZE(kvm_intel_more); j++)
		KTEST_EXPECT_TRUE(t, has_point(&r[2], kvm_intel_more[j]));
}

static void test_summary(struct ktest *t)
{
	unsigned int gens = loader_nr_generations;

	KTEST_EXPECT_TRUE(t, points_tried > 0);
	KTEST_EXPECT_EQ(t, points_tried % gens, 0);
	if (points_raced)
		KTEST_EXPECT_EQ(t, points_raced, points_tried);
	pr_info("fail_alloc: %u failure points x %u generations tried, alone and with %u CPUs loading the same module at once (%u of %u reached there): %u leaks\n",
		points_tried / gens, gens, racers, points_reached, points_raced, leaks);
	KTEST_EXPECT_EQ(t, leaks, 0);
}

static struct ktest_case fail_alloc_cases[] = {
	KTEST_CASE(test_points_named),
	KTEST_CASE(test_legacy),
	KTEST_CASE(test_seed),
	KTEST_CASE(test_unformed),
	KTEST_CASE(test_idempotent),
	KTEST_CASE(test_summary),
	{}
};
KTEST_SUITE_SLOW(fail_alloc, fail_alloc_cases);
