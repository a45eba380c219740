/*
 * tests/host/test_storm_list.c - host tests of kernel/module/storm_list.c,
 * the storm's list of module names: separators, comments, limits, and
 * (found by tests/fuzz/fuzz_storm_list.c) a comment that ends the text
 * without a newline, which used to send the comment loop past the NUL
 * into whatever the struct held from an earlier list.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/module/storm_list.c"

static struct storm_list l;

static int parse(const char *text, const char **why)
{
	return storm_list_parse(&l, text, strlen(text), why);
}

static void test_names(void **state)
{
	const char *why = NULL;

	(void)state;
	assert_int_equal(parse("# the storm\nkvm\tkvm_intel, coretemp,,x\n\nkvm # again\nkvm",
			       &why), 0);
	assert_int_equal(l.count, 6);
	assert_string_equal(l.names[0], "kvm");
	assert_string_equal(l.names[1], "kvm_intel");
	assert_string_equal(l.names[2], "coretemp");
	assert_string_equal(l.names[3], "x");
	assert_string_equal(l.names[4], "kvm");
	assert_string_equal(l.names[5], "kvm");
	assert_int_equal(parse("", &why), 0);
	assert_int_equal(l.count, 0);
	assert_int_equal(parse(" ,\t\n# only a comment", &why), 0);
	assert_int_equal(l.count, 0);
}

static void test_limits(void **state)
{
	char text[STORM_LIST_MAX_LEN + 2];
	const char *why = NULL;
	size_t n = 0;

	(void)state;
	for (int i = 0; i < STORM_MAX_NAMES; i++)
		n += snprintf(text + n, sizeof(text) - n, "m%d ", i);
	assert_int_equal(parse(text, &why), 0);
	assert_int_equal(l.count, STORM_MAX_NAMES);
	snprintf(text + n, sizeof(text) - n, "one_more");
	assert_int_equal(parse(text, &why), -E2BIG);
	assert_string_equal(why, "more than 32 names");
	memset(text, 'a', STORM_LIST_MAX_LEN);
	text[STORM_LIST_MAX_LEN] = '\0';
	assert_int_equal(parse(text, &why), 0);
	assert_int_equal(l.count, 1);
	text[STORM_LIST_MAX_LEN] = 'a';
	text[STORM_LIST_MAX_LEN + 1] = '\0';
	assert_int_equal(parse(text, &why), -E2BIG);
	assert_string_equal(why, "list longer than 511 bytes");
}

/* The bytes behind the copy's NUL are an earlier list's: a '#' there
 * must stay, and so must everything up to the struct's end. */
static void test_comment_at_the_end(void **state)
{
	struct storm_list before;
	const char *why = NULL;
	char full[STORM_LIST_MAX_LEN + 1];

	(void)state;
	memset(l.buf, '#', sizeof(l.buf));
	assert_int_equal(parse("kvm #x", &why), 0);
	assert_int_equal(l.count, 1);
	assert_string_equal(l.names[0], "kvm");
	for (size_t i = strlen("kvm #x") + 1; i < sizeof(l.buf); i++)
		assert_int_equal(l.buf[i], '#');
	/* The longest text, a comment last: nothing past buf is touched. */
	memset(full, 'k', sizeof(full));
	full[STORM_LIST_MAX_LEN - 2] = '#';
	full[STORM_LIST_MAX_LEN] = '\0';
	memset(l.names, 0x23, sizeof(l.names));
	memcpy(&before, &l, sizeof(l));
	assert_int_equal(parse(full, &why), 0);
	assert_int_equal(l.count, 1);
	assert_int_equal(strlen(l.names[0]), STORM_LIST_MAX_LEN - 2);
	assert_memory_equal(&l.names[1], &before.names[1],
			    sizeof(l.names) - sizeof(l.names[0]));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_limits),
		cmocka_unit_test(test_comment_at_the_end),
	};

	return cmocka_run_group_tests_name("storm_list", tests, NULL, NULL);
}
