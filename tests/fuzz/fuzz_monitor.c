/*
 * tests/fuzz/fuzz_monitor.c - libFuzzer target for the monitor's input
 * path: the line editor (kernel/monitor/line.c) and what the monitor
 * makes of a finished line (kernel/monitor/parse.c), compiled unchanged.
 *
 * The input is what arrives on the serial line or from the keyboard,
 * byte after byte, as monitor_thread() feeds it to line_feed(): keys,
 * Enter in its three spellings, Backspace, Ctrl-C and Ctrl-U, escape
 * sequences (the arrows walk the history), Tab, and any other byte.
 * Each finished line is split and matched against the kernel's table
 * of commands, as run_line() does, and for the commands that read their
 * words as text, those words go through mon_initrd_path() (ls) and
 * mon_join_words() (modprobe, insmod) as the commands do.
 *
 * Host shims: the table of commands is every MONITOR_COMMAND() in
 * kernel/monitor/ (monitor.c and each cmd-*.c), read out of the sources
 * at build time by tests/fuzz/monitor_cmds.py (the kernel's is gathered
 * by its linker script); Tab after the first word completes module names, and the
 * names here stand in for the loaded modules that tab_complete() asks
 * the module list for; echo is counted, not shown.
 *
 * Checked: the line stays NUL-terminated at its length and within
 * LINE_MAX_LEN, holds only printable ASCII, the history holds only such
 * lines; what the echo leaves on the terminal is the prompt and the
 * line, after every byte; a line past the limit stays as it was until
 * it ends; and a parsed line's words are non-empty, space-free, within
 * the line and as many as the command takes.
 */
#include <kernel/line.h>

#include "fuzz.h"
#include "../../kernel/monitor/monitor.h"

#include "monitor_cmds.h"

#define NR_CMDS	(sizeof(fuzz_monitor_cmds) / sizeof(fuzz_monitor_cmds[0]))

static const char *const module_names[] = {
	"kvm", "kvm_intel", "hello", "coretemp", "acpi_cpufreq", "percpu_ptr",
};

#define PROMPT	"mkernel> "

static struct line_editor ed;

/*
 * The terminal the echo goes to, as line.c assumes it (a VT100, our
 * consoles): its current line and cursor.  CR goes to column 0, LF to a
 * new, empty line, backspace one column left; a printable byte is
 * written at the cursor, which moves right.  The editor echoes nothing
 * else.
 */
static struct {
	char cols[1024];
	size_t cursor, used;	/* used: columns ever written on the line */
} term;

static void term_put(const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (c == '\r') {
			term.cursor = 0;
		} else if (c == '\n') {
			term.cursor = term.used = 0;
		} else if (c == '\b') {
			if (term.cursor)
				term.cursor--;
		} else {
			fuzz_check(c >= 0x20 && c < 0x7f);
			fuzz_check(term.cursor < sizeof(term.cols));
			term.cols[term.cursor++] = (char)c;
			if (term.cursor > term.used)
				term.used = term.cursor;
		}
	}
}

static void echo(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	fuzz_check(s != NULL && len > 0);
	term_put(s, len);
}

/* What the person sees is the prompt and the line, the cursor after it,
 * and blanks where erased characters were. */
static void check_screen(void)
{
	size_t plen = strlen(PROMPT);

	fuzz_check(term.cursor == plen + ed.len);
	fuzz_check(!memcmp(term.cols, PROMPT, plen));
	fuzz_check(!memcmp(term.cols + plen, ed.buf, ed.len));
	for (size_t i = term.cursor; i < term.used; i++)
		fuzz_check(term.cols[i] == ' ');
}

/* tab_complete()'s shape (monitor.c): commands for the first word,
 * module names after it. */
static size_t complete(void *ctx, const char *line, size_t len,
		       const char **cands, size_t max)
{
	size_t word = len, n = 0;

	(void)ctx;
	fuzz_check(len <= LINE_MAX_LEN && strlen(line) == len);
	while (word && line[word - 1] != ' ')
		word--;
	if (!word)
		return mon_complete_command(fuzz_monitor_cmds, NR_CMDS, line,
					    len, cands, max);
	for (size_t i = 0; i < ARRAY_SIZE(module_names) && n < max; i++)
		if (!strncmp(module_names[i], line + word, len - word))
			cands[n++] = module_names[i];
	return n;
}

static void check_text(const char *s, size_t max)
{
	size_t len = strnlen(s, max + 1);

	fuzz_check(len <= max);
	for (size_t i = 0; i < len; i++)
		fuzz_check(s[i] >= 0x20 && s[i] < 0x7f);
}

static void check_editor(void)
{
	fuzz_check(ed.len <= LINE_MAX_LEN);
	fuzz_check(strlen(ed.buf) == ed.len);
	check_text(ed.buf, LINE_MAX_LEN);
	fuzz_check(ed.nr_history <= LINE_HISTORY);
	fuzz_check(ed.history_head < LINE_HISTORY);
	fuzz_check(ed.browsing <= ed.nr_history);
	for (unsigned int n = 1; n <= ed.nr_history; n++) {
		const char *h = line_history(&ed, n);

		fuzz_check(h != NULL && *h);
		check_text(h, LINE_MAX_LEN);
	}
	fuzz_check(line_history(&ed, ed.nr_history + 1) == NULL);
}

/* run_line(), up to where the command would run. */
static void run_line(const char *text)
{
	size_t len = strlen(text);
	char *line = (char *)fuzz_copy((const uint8_t *)text, len + 1);
	char *argv[MONITOR_MAX_ARGS + 1], dir[128], params[200];
	const struct monitor_cmd *cmd;
	enum mon_line kind;
	bool too_long;
	int argc;

	if (!line)
		return;
	kind = mon_parse_line(line, fuzz_monitor_cmds, NR_CMDS, &argc, argv,
			      &cmd);
	fuzz_check(argc >= 0 && argc <= MONITOR_MAX_ARGS);
	for (int i = 0; i < argc; i++) {
		fuzz_check(argv[i] >= line && argv[i] < line + len);
		fuzz_check(*argv[i] && !strchr(argv[i], ' '));
	}
	switch (kind) {
	case MON_LINE_EMPTY:
		fuzz_check(argc == 0 && !cmd);
		break;
	case MON_LINE_TOO_MANY:
		fuzz_check(argc == MONITOR_MAX_ARGS);
		break;
	case MON_LINE_UNKNOWN:
		fuzz_check(argc > 0 && !cmd);
		break;
	case MON_LINE_USAGE:
	case MON_LINE_RUN:
		fuzz_check(argc > 0 && cmd && !strcmp(cmd->name, argv[0]));
		fuzz_check(argv[argc] == NULL);
		fuzz_check((kind == MON_LINE_RUN) ==
			   (argc - 1 >= cmd->min_args && argc - 1 <= cmd->max_args));
		break;
	}
	if (kind == MON_LINE_RUN && !strcmp(cmd->name, "ls")) {
		mon_initrd_path(dir, sizeof(dir), argc == 2 ? argv[1] : "");
		fuzz_check(strlen(dir) < sizeof(dir));
		fuzz_check(dir[0] != '/' && (!*dir || dir[strlen(dir) - 1] != '/'));
	}
	if (kind == MON_LINE_RUN && (!strcmp(cmd->name, "modprobe") ||
				     !strcmp(cmd->name, "insmod"))) {
		const char *p = mon_join_words(argc, argv, 2, params,
					       sizeof(params), &too_long);

		fuzz_check(!p || (p == params && strlen(p) < sizeof(params)));
		fuzz_check(!too_long || !p);
		fuzz_check(p || too_long || argc <= 2);
	}
	free(line);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char swallowing[LINE_MAX_LEN + 1];

	memset(&term, 0, sizeof(term));
	line_init(&ed, PROMPT, echo, complete, NULL);
	term_put(PROMPT, strlen(PROMPT));	/* monitor_thread() */
	for (size_t i = 0; i < size; i++) {
		bool was_too_long = ed.too_long && !ed.finished;
		enum line_event ev;

		if (was_too_long)
			memcpy(swallowing, ed.buf, ed.len + 1);
		ev = line_feed(&ed, (char)data[i]);
		if (ev == LINE_DONE)
			run_line(ed.buf);
		/* The buffer after every byte; all of it, the history's 16
		 * lines too, at the end. */
		fuzz_check(ed.len <= LINE_MAX_LEN && ed.buf[ed.len] == '\0');
		/* line.h: past LINE_MAX_LEN "the rest of the line is
		 * swallowed" until Enter (or Ctrl-C, or Ctrl-U, which
		 * starts the line again). */
		if (was_too_long && ev == LINE_NONE && ed.too_long)
			fuzz_check(!strcmp(swallowing, ed.buf));
		if (ev != LINE_NONE)
			term_put(PROMPT, strlen(PROMPT));	/* the next prompt */
		else
			check_screen();
	}
	check_editor();
	return 0;
}
