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
 */
#include <kernel/cmdline.h>
#include <kernel/ktest.h>
#include <kernel/string.h>

KERNEL_PARAM(ktest, "run in-kernel test suites: all, or a comma-separated list");

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

/* Is 'name' in the comma-separated list (or is the list "all")? */
static bool selected(const char *list, const char *name)
{
	size_t n = strlen(name);

	if (!strcmp(list, "all"))
		return true;
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

int ktest_run_requested(void)
{
	const char *list = kernel_param("ktest");
	int nsuites = 0, suite_no = 0;
	int passed = 0, failed = 0, skipped = 0;

	if (!list || !*list)
		return 0;
	for (const struct ktest_suite *s = __ktest_suites_start;
	     s < __ktest_suites_end; s++)
		nsuites += selected(list, s->name);

	printk(KERN_INFO "KTAP version 1\n1..%d\n", nsuites);
	for (const struct ktest_suite *s = __ktest_suites_start;
	     s < __ktest_suites_end; s++) {
		int ncases = 0, suite_failed = 0;

		if (!selected(list, s->name))
			continue;
		while (s->cases[ncases].run)
			ncases++;
		printk(KERN_INFO "    KTAP version 1\n    # Subtest: %s\n    1..%d\n",
		       s->name, ncases);
		for (int i = 0; i < ncases; i++) {
			struct ktest t = { .name = s->cases[i].name };

			s->cases[i].run(&t);
			if (t.failed) {
				failed++;
				suite_failed++;
				printk(KERN_INFO "    not ok %d %s\n", i + 1, t.name);
			} else if (t.skipped) {
				skipped++;
				printk(KERN_INFO "    ok %d %s # SKIP %s\n", i + 1,
				       t.name, t.skip_reason);
			} else {
				passed++;
				printk(KERN_INFO "    ok %d %s\n", i + 1, t.name);
			}
		}
		printk(KERN_INFO "%s %d %s\n", suite_failed ? "not ok" : "ok",
		       ++suite_no, s->name);
	}
	printk(KERN_INFO "# ktest: %d passed, %d failed, %d skipped\n", passed,
	       failed, skipped);
	return failed ? -1 : 0;
}
