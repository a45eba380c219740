/*
 * kernel/ktest.c - run the in-kernel test suites and print KTAP.
 *
 * The linker gathers every KTEST_SUITE() into .ktest_suites; this file
 * walks them in link order.  Output (KTAP version 1, as Linux's KUnit):
 *
 *	KTAP version 1
 *	1..2
 *	    KTAP version 1
 *	    # Subtest: cmdline
 *	    1..3
 *	    ok 1 test_flags
 *	    # test_values: expected ... at kernel/cmdline_test.c:40
 *	    not ok 2 test_values
 *	    ok 3 test_quotes # SKIP no quotes today
 *	ok 1 cmdline
 *	...
 *	# ktest: 5 passed, 1 failed, 1 skipped
 *
 * A parameterised case (KTEST_CASE_PARAM) is a subtest of its own, one
 * result per parameter, as KUnit prints it:
 *
 *	        KTAP version 1
 *	        # Subtest: test_file
 *	        1..2
 *	        ok 1 a.ko
 *	        ok 2 b.ko
 *	    ok 4 test_file
 *
 * The totals count each parameter, not the case around them.
 */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/smp.h>
#include <kernel/string.h>

BOOT_PARAM_STRING(ktest_list, "ktest", NULL, NULL, NULL,
		  "run in-kernel test suites: all, or a comma-separated list");
BOOT_PARAM_UINT(ktest_cpus, "ktest_cpus", 0, 0, NR_CPUS,
		"tests: the number of CPUs the machine was given (0: unknown)");

extern const struct ktest_suite __ktest_suites_start[];
extern const struct ktest_suite __ktest_suites_end[];

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printk(KERN_ERR "        # %s: %s at %s:%d\n", t->name, msg, file, line);
	t->failed = true;
}

void ktest_skip(struct ktest *t, const char *reason)
{
	t->skipped = true;
	t->skip_reason = reason;
}

/* Is the suite named in the comma-separated list (or is the list "all",
 * and the suite not a slow one)? */
static bool selected(const char *list, const struct ktest_suite *s)
{
	const char *name = s->name;
	size_t n = strlen(name);

	if (!strcmp(list, "all"))
		return !s->slow;
	for (const char *p = list; *p;) {
		const char *end = strchr(p, ',');
		size_t len = end ? (size_t)(end - p) : strlen(p);

		if (len == n && !strncmp(p, name, n))
			return true;
		if (!end)
			break;
		p = end + 1;
	}
	return false;
}

struct ktest_totals {
	int passed, failed, skipped;
};

/* One result line; counted in the totals. */
static void ktest_report(const struct ktest *t, const char *indent, int n,
			 struct ktest_totals *tot)
{
	if (t->failed) {
		tot->failed++;
		printk(KERN_INFO "%snot ok %d %s\n", indent, n, t->name);
	} else if (t->skipped) {
		tot->skipped++;
		printk(KERN_INFO "%sok %d %s # SKIP %s\n", indent, n, t->name,
		       t->skip_reason);
	} else {
		tot->passed++;
		printk(KERN_INFO "%sok %d %s\n", indent, n, t->name);
	}
}

/*
 * Run a parameterised case once per parameter.  The generator is walked
 * once first to print the plan, so a run that stops half way shows.  The
 * case fails when any parameter does; it is skipped when it has none.
 */
static void ktest_run_params(const struct ktest_case *c, struct ktest *t,
			     struct ktest_totals *tot)
{
	char desc[KTEST_PARAM_DESC_SIZE] = "";
	const void *p;
	int n = 0, i = 0;

	for (p = c->gen_params(NULL, desc); p; p = c->gen_params(p, desc))
		n++;
	printk(KERN_INFO "        KTAP version 1\n        # Subtest: %s\n        1..%d\n",
	       c->name, n);
	for (p = c->gen_params(NULL, desc); p && i < n;
	     p = c->gen_params(p, desc)) {
		struct ktest pt = { .name = desc, .param = p };

		c->run(&pt);
		ktest_report(&pt, "        ", ++i, tot);
		t->failed |= pt.failed;
	}
	if (!n)
		ktest_skip(t, "no parameters");
}

const char *ktest_suite_name(unsigned int i, bool *slow)
{
	const struct ktest_suite *s = __ktest_suites_start + i;

	if (s >= __ktest_suites_end)
		return NULL;
	if (slow)
		*slow = s->slow;
	return s->name;
}

int ktest_run_requested(void)
{
	if (!ktest_list || !*ktest_list)
		return 0;
	return ktest_run(ktest_list);
}

int ktest_run(const char *list)
{
	int nsuites = 0, suite_no = 0;
	struct ktest_totals tot = { 0 };

	for (const struct ktest_suite *s = __ktest_suites_start;
	     s < __ktest_suites_end; s++)
		nsuites += selected(list, s);

	printk(KERN_INFO "KTAP version 1\n1..%d\n", nsuites);
	for (const struct ktest_suite *s = __ktest_suites_start;
	     s < __ktest_suites_end; s++) {
		int ncases = 0, suite_failed = 0;

		if (!selected(list, s))
			continue;
		while (s->cases[ncases].run)
			ncases++;
		printk(KERN_INFO "    KTAP version 1\n    # Subtest: %s\n    1..%d\n",
		       s->name, ncases);
		for (int i = 0; i < ncases; i++) {
			const struct ktest_case *c = &s->cases[i];
			struct ktest t = { .name = c->name };
			struct ktest_totals uncounted = { 0 }, *counts = &tot;

			if (c->gen_params) {
				ktest_run_params(c, &t, &tot);
				/* Its parameters are counted already (unless it
				 * had none: then it counts as one skip). */
				if (!t.skipped)
					counts = &uncounted;
			} else {
				c->run(&t);
			}
			ktest_report(&t, "    ", i + 1, counts);
			suite_failed += t.failed;
		}
		printk(KERN_INFO "%s %d %s\n", suite_failed ? "not ok" : "ok",
		       ++suite_no, s->name);
	}
	printk(KERN_INFO "# ktest: %d passed, %d failed, %d skipped\n",
	       tot.passed, tot.failed, tot.skipped);
	return tot.failed ? -1 : 0;
}
