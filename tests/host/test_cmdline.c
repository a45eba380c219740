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
	};

	return cmocka_run_group_tests_name("cmdline", tests, NULL, NULL);
}
