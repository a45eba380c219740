/*
 * kernel/cmdline_test.c - KTAP suite "cmdline": the command line this
 * boot really got, as the typed boot parameters see it.
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
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/power.h>
#include <kernel/printk.h>

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

/* Run from the boot, ktest= was given and names this suite or "all"
 * (the monitor's `ktest cmdline` runs it without). */
static void test_cmdline_ktest(struct ktest *t)
{
	if (!raw_has_key("ktest")) {
		ktest_skip(t, "run without ktest= on the command line");
		return;
	}
	KTEST_EXPECT_TRUE(t, ktest_list != NULL);
	KTEST_EXPECT_TRUE(t, ktest_list && *ktest_list);
	KTEST_EXPECT_TRUE(t, boot_param_given(&ktest_list));
	KTEST_EXPECT_TRUE(t, raw_has_key("ktest"));
}

static void test_cmdline_flags(struct ktest *t)
{
	static const struct { const char *key; const void *var; } keys[] = {
		{ "poweroff", &poweroff },
		{ "isa_debug_exit", &isa_debug_exit },
		{ "loglevel", &loglevel },
		{ "ktest", &ktest_list },
	};
	static int not_a_param;

	for (size_t i = 0; i < ARRAY_SIZE(keys); i++)
		KTEST_EXPECT_EQ(t, boot_param_given(keys[i].var),
				raw_has_key(keys[i].key));
	KTEST_EXPECT_EQ(t, poweroff, raw_has_key("poweroff"));
	KTEST_EXPECT_FALSE(t, boot_param_given(&not_a_param));
	KTEST_EXPECT_TRUE(t, cmdline_find(&kernel_cmdline, "no_such_flag_in_any_test") == NULL);
}

static void test_cmdline_ulong_default(struct ktest *t)
{
	static unsigned long n;
	const struct boot_param p = {
		.key = "no_such_number", .type = BOOT_PARAM_UINT, .var = &n,
		.def = 42, .min = 0, .max = 100,
	};
	struct boot_param q = p;

	KTEST_EXPECT_EQ(t, boot_param_parse(&p, NULL, &n), 0);
	KTEST_EXPECT_EQ(t, n, 42);
	q.def = 7;
	KTEST_EXPECT_EQ(t, boot_param_parse(&q, NULL, &n), 0);
	KTEST_EXPECT_EQ(t, n, 7);
	/* Given or not, loglevel= decided console_loglevel (0-7). */
	KTEST_EXPECT_EQ(t, loglevel, console_loglevel);
}

/* Values checked once at boot: what does not fit leaves the default. */
static void test_cmdline_typed_values(struct ktest *t)
{
	static unsigned long n;
	static bool flag;
	const struct boot_param num = {
		.key = "n", .type = BOOT_PARAM_UINT, .var = &n,
		.def = 10, .min = 1, .max = 60,
	};
	const struct boot_param f = {
		.key = "f", .type = BOOT_PARAM_FLAG, .var = &flag,
	};

	n = 5;
	KTEST_EXPECT_EQ(t, boot_param_parse(&num, "61", &n), -EINVAL);
	KTEST_EXPECT_EQ(t, boot_param_parse(&num, "0", &n), -EINVAL);
	KTEST_EXPECT_EQ(t, boot_param_parse(&num, "abc", &n), -EINVAL);
	KTEST_EXPECT_EQ(t, n, 5);
	KTEST_EXPECT_EQ(t, boot_param_parse(&num, "60", &n), 0);
	KTEST_EXPECT_EQ(t, n, 60);
	KTEST_EXPECT_EQ(t, boot_param_parse(&f, "", &flag), 0);
	KTEST_EXPECT_TRUE(t, flag);
	KTEST_EXPECT_EQ(t, boot_param_parse(&f, "off", &flag), 0);
	KTEST_EXPECT_FALSE(t, flag);
	KTEST_EXPECT_EQ(t, boot_param_parse(&f, "maybe", &flag), -EINVAL);
	KTEST_EXPECT_FALSE(t, flag);
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
	KTEST_CASE(test_cmdline_typed_values),
	KTEST_CASE(test_cmdline_parse_in_kernel),
	{}
};
KTEST_SUITE(cmdline, cmdline_cases);
