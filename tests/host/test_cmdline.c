/*
 * tests/host/test_cmdline.c - host tests of kernel/cmdline.c: splitting
 * the command line into key[=value] words and parsing numbers.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <cmocka.h>

#include <kernel/string.h>
#include <kernel/errno.h>

#include "../../kernel/cmdline.c"

static struct cmdline cl;

static void test_empty(void **state)
{
	const char *err = "x";

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "", &err), 0);
	assert_null(err);
	assert_int_equal(cl.count, 0);
	assert_int_equal(cmdline_parse(&cl, "  \t \n ", &err), 0);
	assert_int_equal(cl.count, 0);
	assert_null(cmdline_find(&cl, "x"));
}

static void test_flags_and_values(void **state)
{
	const char *err;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "  poweroff loader=legacy\tnosmp "
					    "maxcpus=4 empty= ", &err), 0);
	assert_int_equal(cl.count, 5);
	assert_string_equal(cl.params[0].key, "poweroff");
	assert_null(cl.params[0].value);
	assert_string_equal(cmdline_find(&cl, "poweroff"), "");
	assert_string_equal(cmdline_find(&cl, "loader"), "legacy");
	assert_string_equal(cmdline_find(&cl, "nosmp"), "");
	assert_string_equal(cmdline_find(&cl, "maxcpus"), "4");
	/* "empty=" has a value, the empty string, not a flag's NULL. */
	assert_non_null(cl.params[4].value);
	assert_string_equal(cmdline_find(&cl, "empty"), "");
	assert_null(cmdline_find(&cl, "loade"));
	assert_null(cmdline_find(&cl, "loaderx"));
	/* The value may hold '=' after the first. */
	assert_int_equal(cmdline_parse(&cl, "a=b=c", &err), 0);
	assert_string_equal(cmdline_find(&cl, "a"), "b=c");
}

static void test_quotes(void **state)
{
	const char *err;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "msg=\"hello world\" x "
					    "p=a\"b c\"d \"q=r s\"", &err), 0);
	assert_int_equal(cl.count, 4);
	assert_string_equal(cmdline_find(&cl, "msg"), "hello world");
	assert_string_equal(cmdline_find(&cl, "x"), "");
	assert_string_equal(cmdline_find(&cl, "p"), "ab cd");
	assert_string_equal(cmdline_find(&cl, "q"), "r s");
	assert_int_equal(cmdline_parse(&cl, "e=\"\"", &err), 0);
	assert_string_equal(cmdline_find(&cl, "e"), "");

	assert_int_equal(cmdline_parse(&cl, "a=1 b=\"open", &err), -EINVAL);
	assert_string_equal(err, "unterminated quote in command line");
}

static void test_last_one_wins(void **state)
{
	const char *err;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "loader=legacy x loader=seed "
					    "loader=idempotent", &err), 0);
	assert_string_equal(cmdline_find(&cl, "loader"), "idempotent");
	assert_int_equal(cmdline_parse(&cl, "v=1 v", &err), 0);
	assert_string_equal(cmdline_find(&cl, "v"), "");
}

static void test_empty_key(void **state)
{
	const char *err;

	(void)state;
	assert_int_equal(cmdline_parse(&cl, "a =b", &err), -EINVAL);
	assert_string_equal(err, "command line word with an empty key");
	assert_int_equal(cmdline_parse(&cl, "\"\"", &err), -EINVAL);
}

static void test_too_many(void **state)
{
	char text[CMDLINE_MAX_LEN];
	const char *err;
	size_t len = 0;

	(void)state;
	for (int i = 0; i < CMDLINE_MAX_PARAMS; i++)
		len += (size_t)snprintf(text + len, sizeof(text) - len,
					"k%d=%d ", i, i);
	assert_int_equal(cmdline_parse(&cl, text, &err), 0);
	assert_int_equal(cl.count, CMDLINE_MAX_PARAMS);
	assert_string_equal(cmdline_find(&cl, "k63"), "63");

	snprintf(text + len, sizeof(text) - len, "one_more");
	assert_int_equal(cmdline_parse(&cl, text, &err), -E2BIG);
	assert_string_equal(err, "too many command line parameters");
	/* The words before it are kept. */
	assert_int_equal(cl.count, CMDLINE_MAX_PARAMS);
	assert_string_equal(cmdline_find(&cl, "k0"), "0");
}

static void test_too_long(void **state)
{
	char text[CMDLINE_MAX_LEN + 2];
	const char *err;

	(void)state;
	/* 1023 characters fit (with the NUL), 1024 do not. */
	memset(text, 'a', CMDLINE_MAX_LEN - 1);
	text[CMDLINE_MAX_LEN - 1] = '\0';
	assert_int_equal(cmdline_parse(&cl, text, &err), 0);
	assert_int_equal(cl.count, 1);
	assert_int_equal(strlen(cl.params[0].key), CMDLINE_MAX_LEN - 1);

	memset(text, 'a', CMDLINE_MAX_LEN);
	text[CMDLINE_MAX_LEN] = '\0';
	assert_int_equal(cmdline_parse(&cl, text, &err), -E2BIG);
	assert_string_equal(err, "command line too long");
	assert_int_equal(cl.count, 0);
	assert_null(cmdline_find(&cl, "a"));
}

static int parse_ul(const char *s, unsigned long *v)
{
	*v = 0xdeadbeef;
	return cmdline_parse_ulong(s, v);
}

static void test_ulong(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(parse_ul("0", &v), 0);
	assert_int_equal(v, 0);
	assert_int_equal(parse_ul("42", &v), 0);
	assert_int_equal(v, 42);
	assert_int_equal(parse_ul("007", &v), 0);	/* decimal, not octal */
	assert_int_equal(v, 7);
	assert_int_equal(parse_ul("0x1F", &v), 0);
	assert_int_equal(v, 0x1f);
	assert_int_equal(parse_ul("0Xabcdef", &v), 0);
	assert_int_equal(v, 0xabcdef);
	assert_int_equal(parse_ul("18446744073709551615", &v), 0);
	assert_int_equal(v, ULONG_MAX);
	assert_int_equal(parse_ul("0xffffffffffffffff", &v), 0);
	assert_int_equal(v, ULONG_MAX);
}

static void test_ulong_suffixes(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(parse_ul("4K", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_ul("4k", &v), 0);
	assert_int_equal(v, 4096);
	assert_int_equal(parse_ul("512M", &v), 0);
	assert_int_equal(v, 512UL << 20);
	assert_int_equal(parse_ul("2g", &v), 0);
	assert_int_equal(v, 2UL << 30);
	assert_int_equal(parse_ul("0x10M", &v), 0);
	assert_int_equal(v, 16UL << 20);
	assert_int_equal(parse_ul("0K", &v), 0);
	assert_int_equal(v, 0);
	/* The largest that fits, and one more. */
	assert_int_equal(parse_ul("17179869183G", &v), 0);
	assert_int_equal(v, (ULONG_MAX >> 30) << 30);
	assert_int_equal(parse_ul("17179869184G", &v), -ERANGE);
}

static void test_ulong_bad(void **state)
{
	static const char *const bad[] = {
		"", "-1", "+1", " 1", "1 ", "abc", "0x", "0xg", "12a", "1KB",
		"1T", "K", "0xK", "0xM", "1.5", "1e3", "0x-1",
	};
	unsigned long v;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad); i++) {
		if (parse_ul(bad[i], &v) != -EINVAL)
			fail_msg("\"%s\" was accepted as %lu", bad[i], v);
		/* A refused value leaves *out alone. */
		assert_int_equal(v, 0xdeadbeef);
	}
	assert_int_equal(cmdline_parse_ulong(NULL, &v), -EINVAL);
}

static void test_ulong_overflow(void **state)
{
	unsigned long v;

	(void)state;
	assert_int_equal(parse_ul("18446744073709551616", &v), -ERANGE);
	assert_int_equal(parse_ul("99999999999999999999999", &v), -ERANGE);
	assert_int_equal(parse_ul("0x10000000000000000", &v), -ERANGE);
	assert_int_equal(v, 0xdeadbeef);
}

/* ---- typed boot parameters: boot_param_parse() and its texts ---------- */

static bool take_even_length(const char *v)
{
	return strlen(v) % 2 == 0;
}

static void test_param_flag(void **state)
{
	static bool f = true;
	const struct boot_param p = { .key = "f", .type = BOOT_PARAM_FLAG, .var = &f };
	static const char *const yes[] = { "", "1", "on", "yes", "y", "true" };
	static const char *const no[] = { "0", "off", "no", "n", "false" };

	(void)state;
	assert_int_equal(boot_param_parse(&p, NULL, &f), 0);
	assert_false(f);
	for (size_t i = 0; i < sizeof(yes) / sizeof(yes[0]); i++) {
		f = false;
		assert_int_equal(boot_param_parse(&p, yes[i], &f), 0);
		assert_true(f);
	}
	for (size_t i = 0; i < sizeof(no) / sizeof(no[0]); i++) {
		f = true;
		assert_int_equal(boot_param_parse(&p, no[i], &f), 0);
		assert_false(f);
	}
	f = true;
	assert_int_equal(boot_param_parse(&p, "maybe", &f), -EINVAL);
	assert_int_equal(boot_param_parse(&p, "2", &f), -EINVAL);
	assert_true(f);	/* unchanged */
}

static void test_param_uint(void **state)
{
	static unsigned long n;
	const struct boot_param p = {
		.key = "n", .type = BOOT_PARAM_UINT, .var = &n,
		.def = 10, .min = 2, .max = 4096,
	};
	char buf[64];

	(void)state;
	assert_int_equal(boot_param_parse(&p, NULL, &n), 0);
	assert_int_equal(n, 10);
	assert_int_equal(boot_param_parse(&p, "2", &n), 0);
	assert_int_equal(n, 2);
	assert_int_equal(boot_param_parse(&p, "4K", &n), 0);
	assert_int_equal(n, 4096);
	assert_int_equal(boot_param_parse(&p, "0x10", &n), 0);
	assert_int_equal(n, 16);
	/* Below, above, not a number, empty: refused, n as it was. */
	assert_int_equal(boot_param_parse(&p, "1", &n), -EINVAL);
	assert_int_equal(boot_param_parse(&p, "4097", &n), -EINVAL);
	assert_int_equal(boot_param_parse(&p, "ten", &n), -EINVAL);
	assert_int_equal(boot_param_parse(&p, "", &n), -EINVAL);
	assert_int_equal(boot_param_parse(&p, "99999999999999999999999", &n), -EINVAL);
	assert_int_equal(n, 16);
	boot_param_accepts(&p, buf, sizeof(buf));
	assert_string_equal(buf, "a number in 2-4096");
	boot_param_format(&p, false, buf, sizeof(buf));
	assert_string_equal(buf, "10");
	boot_param_format(&p, true, buf, sizeof(buf));
	assert_string_equal(buf, "16");
	assert_string_equal(boot_param_type_name(&p), "uint");
}

static void test_param_string(void **state)
{
	static const char *s;
	const struct boot_param free_text = {
		.key = "s", .type = BOOT_PARAM_STRING, .var = &s, .def_str = "dflt",
	};
	const struct boot_param checked = {
		.key = "c", .type = BOOT_PARAM_STRING, .var = &s,
		.take = take_even_length, .choices = "text of even length",
	};
	char buf[64];

	(void)state;
	assert_int_equal(boot_param_parse(&free_text, NULL, &s), 0);
	assert_string_equal(s, "dflt");
	assert_int_equal(boot_param_parse(&free_text, "a b", &s), 0);
	assert_string_equal(s, "a b");
	assert_int_equal(boot_param_parse(&checked, "ab", &s), 0);
	assert_string_equal(s, "ab");
	assert_int_equal(boot_param_parse(&checked, "abc", &s), -EINVAL);
	assert_string_equal(s, "ab");
	assert_int_equal(boot_param_parse(&checked, NULL, &s), 0);
	assert_null(s);
	boot_param_format(&checked, true, buf, sizeof(buf));
	assert_string_equal(buf, "none");
	boot_param_accepts(&checked, buf, sizeof(buf));
	assert_string_equal(buf, "text of even length");
	boot_param_accepts(&free_text, buf, sizeof(buf));
	assert_string_equal(buf, "any text");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_flags_and_values),
		cmocka_unit_test(test_quotes),
		cmocka_unit_test(test_last_one_wins),
		cmocka_unit_test(test_empty_key),
		cmocka_unit_test(test_too_many),
		cmocka_unit_test(test_too_long),
		cmocka_unit_test(test_ulong),
		cmocka_unit_test(test_ulong_suffixes),
		cmocka_unit_test(test_ulong_bad),
		cmocka_unit_test(test_ulong_overflow),
		cmocka_unit_test(test_param_flag),
		cmocka_unit_test(test_param_uint),
		cmocka_unit_test(test_param_string),
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
