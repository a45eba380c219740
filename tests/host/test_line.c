/*
 * tests/host/test_line.c - host unit tests for the monitor's line editor
 * (kernel/monitor/line.c): editing keys, Enter in its three spellings,
 * history, Tab completion, escape sequences, the length limit, and
 * random bytes against a model of what the line must be.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/monitor/line.c"

static struct line_editor ed;
static char screen[1 << 16];
static size_t screen_len;

static void to_screen(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	assert_true(screen_len + len < sizeof(screen));
	memcpy(screen + screen_len, s, len);
	screen_len += len;
	screen[screen_len] = '\0';
}

static const char *const words[] = {
	"help", "lsmod", "loader", "modprobe", "modinfo", "modstats", "rmmod",
};

/* Names that start with the word being typed (after the last space). */
static size_t complete_words(void *ctx, const char *line, size_t len,
			     const char **cands, size_t max)
{
	size_t word = len, n = 0;

	(void)ctx;
	while (word && line[word - 1] != ' ')
		word--;
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]) && n < max; i++)
		if (!strncmp(words[i], line + word, len - word))
			cands[n++] = words[i];
	return n;
}

static int setup(void **state)
{
	(void)state;
	line_init(&ed, "mkernel> ", to_screen, complete_words, NULL);
	screen_len = 0;
	screen[0] = '\0';
	return 0;
}

/* Feed s; the last event. */
static enum line_event feed(const char *s)
{
	enum line_event ev = LINE_NONE;

	for (; *s; s++)
		ev = line_feed(&ed, *s);
	return ev;
}

static void test_plain_line(void **state)
{
	(void)state;
	assert_int_equal(feed("lsmod"), LINE_NONE);
	assert_string_equal(ed.buf, "lsmod");
	assert_int_equal(feed("\r"), LINE_DONE);
	assert_string_equal(ed.buf, "lsmod");
	assert_string_equal(screen, "lsmod\r\n");
}

static void test_enter_spellings(void **state)
{
	(void)state;
	/* CR LF is one Enter, LF alone is one, CR alone is one. */
	assert_int_equal(feed("a\r"), LINE_DONE);
	assert_int_equal(line_feed(&ed, '\n'), LINE_NONE);
	assert_int_equal(feed("b\n"), LINE_DONE);
	assert_string_equal(ed.buf, "b");
	assert_int_equal(feed("c\r"), LINE_DONE);
	assert_string_equal(ed.buf, "c");
	/* An empty line is a line too (the monitor prompts again). */
	assert_int_equal(feed("\r"), LINE_DONE);
	assert_string_equal(ed.buf, "");
}

static void test_editing_keys(void **state)
{
	(void)state;
	feed("lsmx\b");
	assert_string_equal(ed.buf, "lsm");
	feed("od\x7f\x7f" "od");
	assert_string_equal(ed.buf, "lsmod");
	assert_string_equal(screen, "lsmx\b \bod\b \b\b \bod");
	feed("\x15");			/* Ctrl-U */
	assert_string_equal(ed.buf, "");
	feed("\b\b");			/* nothing left to erase */
	assert_int_equal(ed.len, 0);
	feed("help");
	assert_int_equal(line_feed(&ed, 0x03), LINE_CANCEL);	/* Ctrl-C */
	assert_int_equal(feed("x\r"), LINE_DONE);
	assert_string_equal(ed.buf, "x");
	assert_null(line_history(&ed, 2));	/* the cancelled line is not kept */
}

static void test_dropped_bytes(void **state)
{
	(void)state;
	feed("a\x01\x02\x07\x0e" "b\x80\xff\xc3\xa9" "c");
	assert_string_equal(ed.buf, "abc");
	/* Escape sequences we do not know, and left/right, vanish whole. */
	feed("\x1b[C\x1b[D\x1b[1;5C\x1b[3~\x1bOP\x1bx" "d");
	assert_string_equal(ed.buf, "abcd");
	/* A control character inside a sequence ends it and counts. */
	assert_int_equal(feed("\x1b[\r"), LINE_DONE);
	assert_string_equal(ed.buf, "abcd");
}

static void test_history(void **state)
{
	(void)state;
	feed("one\rtwo\rtwo\rthree\r\r");	/* a repeat and an empty line */
	assert_string_equal(line_history(&ed, 1), "three");
	assert_string_equal(line_history(&ed, 2), "two");
	assert_string_equal(line_history(&ed, 3), "one");
	assert_null(line_history(&ed, 4));
	feed("dra");
	feed("\x1b[A");
	assert_string_equal(ed.buf, "three");
	feed("\x1bOA\x1b[A\x1b[A\x1b[A");	/* past the oldest: stays */
	assert_string_equal(ed.buf, "one");
	feed("\x1b[B");
	assert_string_equal(ed.buf, "two");
	feed("\x1b[B\x1b[B\x1b[B");		/* back to the draft */
	assert_string_equal(ed.buf, "dra");
	feed("\x1b[A!");			/* edit a recalled line */
	assert_int_equal(feed("\r"), LINE_DONE);
	assert_string_equal(ed.buf, "three!");
	assert_string_equal(line_history(&ed, 1), "three!");
}

static void test_history_ring(void **state)
{
	char line[16];

	(void)state;
	for (int i = 0; i < LINE_HISTORY + 5; i++) {
		snprintf(line, sizeof(line), "cmd%d\r", i);
		feed(line);
	}
	assert_string_equal(line_history(&ed, 1), "cmd20");
	assert_string_equal(line_history(&ed, LINE_HISTORY), "cmd5");
	assert_null(line_history(&ed, LINE_HISTORY + 1));
}

static void test_completion(void **state)
{
	(void)state;
	feed("ls\t");
	assert_string_equal(ed.buf, "lsmod ");
	feed("\x15mod\t");			/* the common prefix, no more */
	assert_string_equal(ed.buf, "mod");
	screen_len = 0;
	feed("\t");				/* ambiguous: the list, redrawn */
	assert_string_equal(screen, "\r\nmodprobe  modinfo  modstats\r\nmkernel> mod");
	feed("p\t");
	assert_string_equal(ed.buf, "modprobe ");
	feed("rm\t");				/* the word after the space */
	assert_string_equal(ed.buf, "modprobe rmmod ");
	feed("\x15zzz\t");			/* nothing: nothing happens */
	assert_string_equal(ed.buf, "zzz");
}

static void test_too_long(void **state)
{
	char big[LINE_MAX_LEN + 10];

	(void)state;
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[LINE_MAX_LEN] = '\0';
	feed(big);				/* exactly the limit: fine */
	assert_int_equal(ed.len, LINE_MAX_LEN);
	assert_int_equal(feed("\r"), LINE_DONE);
	screen_len = 0;
	big[LINE_MAX_LEN] = 'y';
	feed(big);				/* one over: refused */
	assert_int_equal(ed.len, LINE_MAX_LEN);
	assert_null(strchr(ed.buf, 'y'));
	assert_int_equal(feed("\r"), LINE_CANCEL);
	assert_non_null(strstr(screen, "line too long: at most 255 characters; ignored"));
	assert_int_equal(feed("ok\r"), LINE_DONE);	/* the next line is fine */
	assert_string_equal(ed.buf, "ok");
	/* While the rest is swallowed, so are the arrows (found by
	 * tests/fuzz/fuzz_monitor.c: Up put "ok" in the buffer and on the
	 * screen, and Enter still refused it as too long). */
	feed(big);
	screen_len = 0;
	feed("\x1b[A\x1bOA\x1b[B");
	assert_int_equal(ed.len, LINE_MAX_LEN);
	assert_null(strchr(ed.buf, 'y'));
	assert_int_equal(screen_len, 0);
	assert_int_equal(feed("\r"), LINE_CANCEL);
	assert_int_equal(feed("\x1b[A"), LINE_NONE);	/* and after it, history */
	assert_string_equal(ed.buf, "ok");
}

/*
 * Random bytes: the line is always NUL-terminated, within the limit,
 * printable ASCII only; Enter says DONE or CANCEL; nothing crashes.
 */
static void test_random_bytes(void **state)
{
	unsigned int seed = 12345;

	(void)state;
	for (int i = 0; i < 200000; i++) {
		enum line_event ev;

		seed = seed * 1103515245u + 12345u;
		if (screen_len > sizeof(screen) / 2)
			screen_len = 0;
		ev = line_feed(&ed, (char)(seed >> 16));
		assert_true(ed.len <= LINE_MAX_LEN);
		assert_int_equal(strlen(ed.buf), ed.len);
		for (size_t j = 0; j < ed.len; j++)
			assert_true(ed.buf[j] >= 0x20 && ed.buf[j] < 0x7f);
		if (ev != LINE_NONE)
			assert_true(ev == LINE_DONE || ev == LINE_CANCEL);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_plain_line, setup),
		cmocka_unit_test_setup(test_enter_spellings, setup),
		cmocka_unit_test_setup(test_editing_keys, setup),
		cmocka_unit_test_setup(test_dropped_bytes, setup),
		cmocka_unit_test_setup(test_history, setup),
		cmocka_unit_test_setup(test_history_ring, setup),
		cmocka_unit_test_setup(test_completion, setup),
		cmocka_unit_test_setup(test_too_long, setup),
		cmocka_unit_test_setup(test_random_bytes, setup),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
