/*
 * tests/host/test_monitor_parse.c - host tests of kernel/monitor/parse.c:
 * a typed line split into words and matched to a command, Tab's command
 * names, ls's paths and a load's joined parameters.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/monitor/parse.c"

static const struct monitor_cmd cmds[] = {
	{ .name = "help", .usage = "help [CMD]", .min_args = 0, .max_args = 1 },
	{ .name = "lsmod", .usage = "lsmod", .min_args = 0, .max_args = 0 },
	{ .name = "ls", .usage = "ls [DIR]", .min_args = 0, .max_args = 1 },
	{ .name = "modprobe", .usage = "modprobe NAME", .min_args = 1,
	  .max_args = 11 },
	{ .name = "modinfo", .usage = "modinfo NAME", .min_args = 1,
	  .max_args = 1 },
};
#define NR_CMDS	(sizeof(cmds) / sizeof(cmds[0]))

static enum mon_line parse(const char *text, int *argc, char **argv,
			   const struct monitor_cmd **cmd, char *line)
{
	strcpy(line, text);
	return mon_parse_line(line, cmds, NR_CMDS, argc, argv, cmd);
}

static void test_words(void **state)
{
	char line[300], *argv[MONITOR_MAX_ARGS + 1];
	const struct monitor_cmd *cmd;
	int argc;

	(void)state;
	assert_int_equal(parse("", &argc, argv, &cmd, line), MON_LINE_EMPTY);
	assert_int_equal(argc, 0);
	assert_null(cmd);
	assert_int_equal(parse("    ", &argc, argv, &cmd, line), MON_LINE_EMPTY);
	assert_int_equal(parse("  modprobe   kvm  nested=1 ", &argc, argv, &cmd,
			       line), MON_LINE_RUN);
	assert_int_equal(argc, 3);
	assert_string_equal(argv[0], "modprobe");
	assert_string_equal(argv[1], "kvm");
	assert_string_equal(argv[2], "nested=1");
	assert_null(argv[3]);
	assert_ptr_equal(cmd, &cmds[3]);
	/* Only a space separates words (a tab is part of one). */
	assert_int_equal(parse("ls\tx", &argc, argv, &cmd, line),
			 MON_LINE_UNKNOWN);
	assert_int_equal(argc, 1);
}

static void test_lookup_and_arity(void **state)
{
	char line[300], *argv[MONITOR_MAX_ARGS + 1];
	const struct monitor_cmd *cmd;
	int argc;

	(void)state;
	assert_int_equal(parse("lsm", &argc, argv, &cmd, line), MON_LINE_UNKNOWN);
	assert_null(cmd);
	assert_int_equal(parse("lsmod x", &argc, argv, &cmd, line), MON_LINE_USAGE);
	assert_ptr_equal(cmd, &cmds[1]);
	assert_int_equal(parse("modinfo", &argc, argv, &cmd, line), MON_LINE_USAGE);
	assert_int_equal(parse("modinfo kvm", &argc, argv, &cmd, line), MON_LINE_RUN);
	/* Twelve words fit, the thirteenth does not. */
	assert_int_equal(parse("modprobe a b c d e f g h i j k", &argc, argv,
			       &cmd, line), MON_LINE_RUN);
	assert_int_equal(argc, 12);
	assert_int_equal(parse("modprobe a b c d e f g h i j k l", &argc, argv,
			       &cmd, line), MON_LINE_TOO_MANY);
	assert_int_equal(argc, MONITOR_MAX_ARGS);
}

static void test_complete(void **state)
{
	const char *cands[8];

	(void)state;
	assert_int_equal(mon_complete_command(cmds, NR_CMDS, "ls", 2, cands, 8), 2);
	assert_string_equal(cands[0], "lsmod");
	assert_string_equal(cands[1], "ls");
	assert_int_equal(mon_complete_command(cmds, NR_CMDS, "mod", 3, cands, 8), 2);
	assert_int_equal(mon_complete_command(cmds, NR_CMDS, "mod", 3, cands, 1), 1);
	assert_int_equal(mon_complete_command(cmds, NR_CMDS, "", 0, cands, 8), 5);
	assert_int_equal(mon_complete_command(cmds, NR_CMDS, "x", 1, cands, 8), 0);
}

static void test_initrd_path(void **state)
{
	static const char *const cases[][2] = {
		{ "", "" }, { "/", "" }, { "./", "" }, { ".", "" },
		{ "/etc/", "etc" }, { "etc", "etc" }, { "./lib/modules//", "lib/modules" },
		{ "//./etc", "etc" }, { "..", ".." }, { "a/./b", "a/./b" },
	};
	char dst[16];

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		mon_initrd_path(dst, sizeof(dst), cases[i][0]);
		assert_string_equal(dst, cases[i][1]);
	}
	mon_initrd_path(dst, 4, "/abcdef");
	assert_string_equal(dst, "abc");
}

static void test_join_words(void **state)
{
	char *argv[] = { "insmod", "a.ko", "p=1", "q=two", NULL };
	char buf[16];
	bool too_long;

	(void)state;
	assert_null(mon_join_words(2, argv, 2, buf, sizeof(buf), &too_long));
	assert_false(too_long);
	assert_string_equal(mon_join_words(4, argv, 2, buf, sizeof(buf), &too_long),
			    "p=1 q=two");
	assert_false(too_long);
	/* "p=1 q=two" is 9 characters: a buffer of 9 has no room for its
	 * NUL, one of 10 has. */
	assert_null(mon_join_words(4, argv, 2, buf, 9, &too_long));
	assert_true(too_long);
	assert_non_null(mon_join_words(4, argv, 2, buf, 10, &too_long));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_words),
		cmocka_unit_test(test_lookup_and_arity),
		cmocka_unit_test(test_complete),
		cmocka_unit_test(test_initrd_path),
		cmocka_unit_test(test_join_words),
	};

	return cmocka_run_group_tests_name("monitor_parse", tests, NULL, NULL);
}
