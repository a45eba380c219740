/*
 * kernel/cmdline_test.c - KTAP suite "cmdline": the command line this
 * boot really got, as kernel_param()/kernel_flag() see it.
 *
 * The suite cannot know which line a person typed, so it checks the parsed
 * view against an independent reading of the raw text in boot_info.cmdline
 * (a plain split on spaces; test lines use no quotes).  The test boots use
 * "ktest=... poweroff isa_debug_exit", which makes the checks concrete.
 * The pure parser itself is tested on the host (tests/host/test_cmdline.c);
 * one case here runs it as compiled for the kernel.
 */
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/ktest.h>

/* Is 'word' (or 'word=...') a word of the raw command line? */
static bool raw_has_key(const char *key)
{
	size_t n = strlen(key);
	const char *p = boot_info.cmdline;

	while (*p) {
		while (*p == ' ')
			p++;
		if (!strncmp(p, key, n) && (p[n] == ' ' || p[n] == '=' ||
					    p[n] == '\0'))
			return true;
		while (*p && *p != ' ')
			p++;
	}
	return false;
}

/* We are running, so ktest= was given and names this suite or "all". */
static void test_cmdline_ktest(struct ktest *t)
{
	const char *v = kernel_param("ktest");

	KTEST_EXPECT_TRUE(t, v != NULL);
	KTEST_EXPECT_TRUE(t, v && *v);
	KTEST_EXPECT_TRUE(t, raw_has_key("ktest"));
}

static void test_cmdline_flags(struct ktest *t)
{
	static const char *const keys[] = { "poweroff", "isa_debug_exit",
					    "loglevel", "ktest" };

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		KTEST_EXPECT_EQ(t, kernel_param(keys[i]) != NULL,
				raw_has_key(keys[i]));
	KTEST_EXPECT_EQ(t, kernel_flag("poweroff"), raw_has_key("poweroff"));
	KTEST_EXPECT_FALSE(t, kernel_flag("no_such_flag_in_any_test"));
	KTEST_EXPECT_TRUE(t, kernel_param("no_such_flag_in_any_test") == NULL);
}

static void test_cmdline_ulong_default(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, kernel_param_ulong("no_such_number", 42), 42);
	KTEST_EXPECT_EQ(t, kernel_param_ulong("no_such_number", 7), 7);
	/* Given or not, loglevel= decided console_loglevel (capped at 7). */
	if (kernel_param("loglevel")) {
		unsigned long level = kernel_param_ulong("loglevel", 99);

		KTEST_EXPECT_EQ(t, level > 7 ? 7 : level, console_loglevel);
	}
}

/* The pure parser as built for the kernel (-mcmodel=kernel, no SSE). */
static void test_cmdline_parse_in_kernel(struct ktest *t)
{
	static struct cmdline cl;
	const char *err;
	unsigned long n = 0;

	KTEST_EXPECT_EQ(t, cmdline_parse(&cl, "a=1 b c=\"x y\" a=0x10K", &err),
			0);
	KTEST_EXPECT_EQ(t, cl.count, 4);
	KTEST_EXPECT_STREQ(t, cmdline_find(&cl, "b"), "");
	KTEST_EXPECT_STREQ(t, cmdline_find(&cl, "c"), "x y");
	KTEST_EXPECT_STREQ(t, cmdline_find(&cl, "a"), "0x10K");
	KTEST_EXPECT_EQ(t, cmdline_parse_ulong(cmdline_find(&cl, "a"), &n), 0);
	KTEST_EXPECT_EQ(t, n, 16 * 1024);
}

static struct ktest_case cmdline_cases[] = {
	KTEST_CASE(test_cmdline_ktest),
	KTEST_CASE(test_cmdline_flags),
	KTEST_CASE(test_cmdline_ulong_default),
	KTEST_CASE(test_cmdline_parse_in_kernel),
	{}
};
KTEST_SUITE(cmdline, cmdline_cases);
