/*
 * kernel/monitor/monitor.c - the interactive monitor: a prompt on every
 * console, lines edited by kernel/monitor/line.c, and the commands of
 * kernel/monitor/cmd-*.c to ask the running kernel things.
 *
 * It is the last of kmain's workloads (kernel/main.c).  It starts when
 * the command line says `monitor`, and also when it does not say
 * `poweroff`: that is how a real PC boots from the USB stick, and the
 * person at it gets a prompt under the storm's results instead of a
 * halted machine.  It runs as a kernel thread of its own, "monitor", on
 * the boot CPU (where the serial and keyboard interrupts arrive): it
 * reads what console_read() brings (kernel/console/input.c: the serial
 * line and the keyboard as one stream), feeds the editor, and runs each
 * finished line.  kmain waits for it.  `exit` ends the thread, and the
 * run ends as it would have (power-off with `poweroff` on the command
 * line, else the results stay on screen); `poweroff` and `reboot` act at
 * once.
 *
 * A command that fails says so in one line and returns; what it took it
 * has given back (each command unwinds its own), and the next prompt
 * comes.  monitor.h says what a command is.
 */
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/line.h>
#include <kernel/module.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "monitor.h"

BOOT_PARAM_FLAG(monitor, "monitor",
		"after the boot workloads, a command prompt (also without poweroff)");

#define MONITOR_PROMPT	"mkernel> "
#define HELP_COLUMN	36	/* help: the usages' width */

static bool leave;

void mon_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

const char *mon_errname(int err)
{
	const char *name = errname(err);

	return name ? name : "error";
}

int mon_report(const char *what, const char *name, int err)
{
	if (err)
		mon_printf("%s: %s: %s (%d)\n", what, name, mon_errname(err), err);
	else
		mon_printf("%s: %s: done\n", what, name);
	return err;
}

/* The linker's table of every MONITOR_COMMAND(). */
static size_t nr_commands(void)
{
	return (size_t)(__monitor_cmds_end - __monitor_cmds_start);
}

static const struct monitor_cmd *find_command(const char *name)
{
	return mon_find_command(__monitor_cmds_start, nr_commands(), name);
}

int mon_bad_arg(const char *cmd, const char *arg, const char *why)
{
	const struct monitor_cmd *c = find_command(cmd);

	mon_printf("%s: %s: %s\n", cmd, arg, why);
	if (c)
		mon_printf("usage: %s\n", c->usage);
	return -EINVAL;
}

bool mon_interrupted(void)
{
	return console_interrupted();
}

/* ---- the commands that are the monitor's own --------------------------- */

/* The command whose name comes first after last, alphabetically. */
static const struct monitor_cmd *next_by_name(const char *last)
{
	const struct monitor_cmd *best = NULL;

	for_each_monitor_cmd(c)
		if (strcmp(c->name, last) > 0 &&
		    (!best || strcmp(c->name, best->name) < 0))
			best = c;
	return best;
}

static int cmd_help(int argc, char **argv)
{
	const struct monitor_cmd *c;

	if (argc == 2) {
		c = find_command(argv[1]);
		if (!c) {
			mon_printf("help: no command '%s'\n", argv[1]);
			return -ENOENT;
		}
		mon_printf("usage: %s\n  %s\n", c->usage, c->help);
		return 0;
	}
	/* By name: the section's order is the linker's, not the reader's. */
	for (const char *last = ""; (c = next_by_name(last)); last = c->name)
		if (strlen(c->usage) > HELP_COLUMN)
			mon_printf("  %s\n  %-*s %s\n", c->usage, HELP_COLUMN,
				   "", c->help);
		else
			mon_printf("  %-*s %s\n", HELP_COLUMN, c->usage, c->help);
	return 0;
}
MONITOR_COMMAND(help, "help", "help [CMD]",
		"the commands, or one command's usage", cmd_help, 0, 1);

static int cmd_exit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	leave = true;
	return 0;
}
MONITOR_COMMAND(exit, "exit", "exit",
		"leave the monitor; the run ends as the command line says", cmd_exit, 0, 0);

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	machine_power_off();
	qemu_debug_exit(QEMU_EXIT_PASS);
	return -EIO;	/* still here: the power-off failed */
}
MONITOR_COMMAND(poweroff, "poweroff", "poweroff",
		"switch the machine off now", cmd_poweroff, 0, 0);

static int cmd_reboot(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	machine_restart();
}
MONITOR_COMMAND(reboot, "reboot", "reboot",
		"reset the machine now", cmd_reboot, 0, 0);

/* ---- lines in, commands out -------------------------------------------- */

/* Module names that start with a prefix, copied (the list may change). */
static struct {
	const char *prefix;
	size_t len, n, max;
	const char **cands;
	char names[LINE_MAX_CANDIDATES][MODULE_NAME_LEN];
} matches;

static void match_module(struct module *mod, void *ctx)
{
	(void)ctx;
	if (matches.n == matches.max || strncmp(mod->name, matches.prefix, matches.len))
		return;
	strlcpy(matches.names[matches.n], mod->name, MODULE_NAME_LEN);
	matches.cands[matches.n] = matches.names[matches.n];
	matches.n++;
}

/* Tab: command names for the first word, module names after it. */
static size_t tab_complete(void *ctx, const char *line, size_t len,
			   const char **cands, size_t max)
{
	size_t word = len;

	(void)ctx;
	while (word && line[word - 1] != ' ')
		word--;
	if (!word)
		return mon_complete_command(__monitor_cmds_start, nr_commands(),
					    line, len, cands, max);
	matches.prefix = line + word;
	matches.len = len - word;
	matches.n = 0;
	matches.max = MIN(max, (size_t)LINE_MAX_CANDIDATES);
	matches.cands = cands;
	for_each_module(match_module, NULL);
	return matches.n;
}

static void echo(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	console_write(s, len);
}

static void run_line(char *line)
{
	char *argv[MONITOR_MAX_ARGS + 1];
	const struct monitor_cmd *c;
	int argc;

	switch (mon_parse_line(line, __monitor_cmds_start, nr_commands(),
			       &argc, argv, &c)) {
	case MON_LINE_EMPTY:
		return;
	case MON_LINE_TOO_MANY:
		mon_printf("monitor: more than %d words\n", MONITOR_MAX_ARGS);
		return;
	case MON_LINE_UNKNOWN:
		mon_printf("monitor: unknown command '%s' (help lists them)\n", argv[0]);
		return;
	case MON_LINE_USAGE:
		mon_printf("usage: %s\n", c->usage);
		return;
	case MON_LINE_RUN:
		break;
	}
	console_interrupted();		/* a Ctrl-C typed before counts not */
	c->run(argc, argv);
}

static int monitor_thread(void *data)
{
	static struct line_editor ed;

	(void)data;
	/* The mark `leaks` compares with: from here, not counting this
	 * thread's own stack. */
	monitor_leaks_mark();
	line_init(&ed, MONITOR_PROMPT, echo, tab_complete, NULL);
	mon_printf("%s", MONITOR_PROMPT);
	while (!leave) {
		char in[32];
		size_t n = console_read(in, sizeof(in), HZ);

		for (size_t i = 0; i < n && !leave; i++) {
			enum line_event ev = line_feed(&ed, in[i]);

			if (ev == LINE_DONE)
				run_line(ed.buf);
			if (ev != LINE_NONE && !leave)
				mon_printf("%s", MONITOR_PROMPT);
		}
	}
	return 0;
}

int monitor_run_requested(void)
{
	struct task_struct *k;
	char inputs[64];

	if (!monitor && poweroff)
		return 0;
	if (!console_inputs(inputs, sizeof(inputs))) {
		pr_warn("monitor: no input (no serial line and no keyboard)\n");
		return 0;
	}
	leave = false;
	/* Said before the thread starts, so that the prompt comes last. */
	pr_notice("monitor: input from %s; 'help' lists the commands, 'exit' leaves\n",
		  inputs);
	k = kthread_run_on_cpu(monitor_thread, NULL, 0, "monitor");
	if (IS_ERR(k)) {
		pr_err("monitor: no thread (%ld)\n", PTR_ERR(k));
		return 0;
	}
	/* A person may take hours: wake once a second, only to wait on. */
	while (!wait_for_completion_timeout(&k->exited, HZ))
		;
	kthread_stop(k);
	return 0;
}
