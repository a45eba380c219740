/*
 * include/kernel/ktest.h - in-kernel test suites that print KTAP.
 *
 * The format is the one Linux's KUnit prints (Documentation/dev-tools/
 * ktap.rst): a "KTAP version 1" line, a plan "1..N", then one
 * "ok N name" / "not ok N name" per test, with each suite's cases indented
 * as a subtest.  tests/run.py parses it from the serial log.
 *
 * A suite is declared beside the code it tests:
 *
 *	static void test_thing(struct ktest *t)
 *	{
 *		KTEST_EXPECT_EQ(t, thing(2), 4);
 *	}
 *	static struct ktest_case thing_cases[] = { KTEST_CASE(test_thing), {} };
 *	KTEST_SUITE(thing, thing_cases);
 *
 * A case can run once per parameter, as KUnit's KUNIT_CASE_PARAM: the
 * generator gives the parameter after prev (NULL asks for the first) and
 * writes its name into desc, or returns NULL when there are no more.
 * Each parameter is a result of its own, one level deeper in the KTAP:
 *
 *	static const void *gen(const void *prev, char *desc);
 *	static void test_one(struct ktest *t) { use(t->param); }
 *	... KTEST_CASE_PARAM(test_one, gen) ...
 *
 * Suites run when the command line says ktest=all or ktest=name,name.
 */
#ifndef KERNEL_KTEST_H
#define KERNEL_KTEST_H

#include <kernel/compiler.h>
#include <kernel/printk.h>
#include <kernel/string.h>

struct ktest {
	const char *name;
	bool failed;
	bool skipped;
	const char *skip_reason;
	const void *param;	/* KTEST_CASE_PARAM: this run's parameter */
};

#define KTEST_PARAM_DESC_SIZE	128

struct ktest_case {
	const char *name;
	void (*run)(struct ktest *t);
	const void *(*gen_params)(const void *prev, char *desc);
};

struct ktest_suite {
	const char *name;
	struct ktest_case *cases;
	bool slow;		/* KTEST_SUITE_SLOW: not in ktest=all */
};

#define KTEST_CASE(fn)	{ .name = #fn, .run = fn }
#define KTEST_CASE_PARAM(fn, gen)					\
	{ .name = #fn, .run = fn, .gen_params = gen }

#define KTEST_SUITE(n, c)						\
	static const struct ktest_suite __ktest_suite_##n __used	\
	__section(".ktest_suites") __aligned(8) = { #n, c, false }

/*
 * A suite that takes seconds (KUnit marks such cases speed=slow): it runs
 * when named (ktest=fail_alloc, its own boot in make test), not with
 * ktest=all, which every multi-CPU boot runs.
 */
#define KTEST_SUITE_SLOW(n, c)						\
	static const struct ktest_suite __ktest_suite_##n __used	\
	__section(".ktest_suites") __aligned(8) = { #n, c, true }

void ktest_fail(struct ktest *t, const char *file, int line, const char *fmt,
		...) __printf(4, 5);
void ktest_skip(struct ktest *t, const char *reason);

#define KTEST_EXPECT_TRUE(t, cond)					\
	do {								\
		if (!(cond))						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s", #cond);		\
	} while (0)

#define KTEST_EXPECT_FALSE(t, cond)	KTEST_EXPECT_TRUE(t, !(cond))

#define KTEST_EXPECT_EQ(t, a, b)					\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a != __b)						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s == %s, got %lld != %lld", \
				   #a, #b, __a, __b);			\
	} while (0)

#define KTEST_EXPECT_NE(t, a, b)					\
	do {								\
		long long __a = (long long)(a), __b = (long long)(b);	\
		if (__a == __b)						\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s != %s, both %lld",	\
				   #a, #b, __a);			\
	} while (0)

#define KTEST_EXPECT_STREQ(t, a, b)					\
	do {								\
		const char *__a = (a), *__b = (b);			\
		if (!__a || !__b || strcmp(__a, __b))			\
			ktest_fail(t, __FILE__, __LINE__,		\
				   "expected %s == %s, got \"%s\" != \"%s\"", \
				   #a, #b, __a ? __a : "(null)",	\
				   __b ? __b : "(null)");		\
	} while (0)

/*
 * Run the suites the command line names (ktest=all | ktest=a,b).
 * Returns 0 when nothing was asked or all passed, -1 if any case failed.
 */
int ktest_run_requested(void);
/* The suites in list ("all" or "a,b"), as one KTAP document; -1 when a
 * case failed.  ktest_suite_name(i, slow): the i-th suite, NULL past the
 * end, and (slow not NULL) whether it is a slow one. */
int ktest_run(const char *list);
const char *ktest_suite_name(unsigned int i, bool *slow);
/* ktest_cpus=N: the CPUs the test boot gave the machine (0: not said). */
extern unsigned long ktest_cpus;
extern const char *ktest_list;		/* ktest= */

#endif
