/*
 * kernel/monitor/monitor.c - the interactive monitor: a prompt on the
 * serial line, lines edited by kernel/monitor/line.c, and a table of
 * commands to ask the running kernel things.
 *
 * `monitor` on the command line runs it as the last of kmain's
 * workloads (kernel/main.c), in kmain's own thread: it reads what
 * console_read() brings (the serial line and the keyboard, by interrupt
 * where they are routed), feeds the editor, and runs each finished line.  `exit` leaves it, and the run
 * ends as it would have (power-off with `poweroff` on the command line,
 * else the results stay on screen); the command `poweroff` switches the
 * machine off at once.
 *
 * A command gets argc/argv (words split at spaces), prints its answer
 * to every console (not into the kernel log: it is a conversation, not
 * an event) and returns 0 or a negative errno, which the monitor names.
 * Bad arguments get the command's usage line.
 */
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/errno.h>
#include <kernel/line.h>
#include <kernel/module.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/time.h>

BOOT_PARAM_FLAG(monitor, "monitor", "after the boot workloads, a command prompt on the serial line");

#define MONITOR_PROMPT	"mkernel> "
#define MONITOR_MAX_ARGS 8

struct monitor_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(int argc, char **argv);
	int min_args, max_args;		/* after the name */
};

static int cmd_help(int argc, char **argv);
static bool leave;

static void __printf(1, 2) mon_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

static const char *errno_name(int err)
{
	static const struct { int err; const char *name; } names[] = {
		{ EPERM, "EPERM" }, { ENOENT, "ENOENT" }, { EIO, "EIO" },
		{ ENOEXEC, "ENOEXEC" }, { ENOMEM, "ENOMEM" }, { EBUSY, "EBUSY" },
		{ EEXIST, "EEXIST" }, { ENODEV, "ENODEV" }, { EINVAL, "EINVAL" },
		{ ENOSPC, "ENOSPC" }, { ERANGE, "ERANGE" }, { ETIMEDOUT, "ETIMEDOUT" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(names); i++)
		if (names[i].err == -err)
			return names[i].name;
	return "error";
}

/* ---- the commands ------------------------------------------------------ */

static const char *state_name(enum module_state s)
{
	switch (s) {
	case MODULE_STATE_LIVE:		return "Live";
	case MODULE_STATE_COMING:	return "Loading";
	case MODULE_STATE_GOING:	return "Unloading";
	case MODULE_STATE_UNFORMED:	return "Unformed";
	}
	return "?";
}

/* One row of Linux's /proc/modules: name size refcount users state
 * address (the users being the modules that use this one). */
static void lsmod_row(struct module *mod, void *ctx)
{
	char users[64] = "";
	struct module_use *use;
	size_t n = 0;

	(void)ctx;
	list_for_each_entry(use, &mod->source_list, source_list)
		if (n < sizeof(users))
			n += snprintf(users + n, sizeof(users) - n, "%s,",
				      use->source->name);
	mon_printf("%-16s %8u %3d %-24s %-9s 0x%016lx\n", mod->name,
		   mod->core_layout.size, mod->refcnt, n ? users : "-",
		   state_name(mod->state), (unsigned long)mod->core_layout.base);
}

static int cmd_lsmod(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mon_printf("%-16s %8s %3s %-24s %-9s %s\n", "Module", "Size", "Ref",
		   "Used by", "State", "Address");
	for_each_module(lsmod_row, NULL);
	return 0;
}

static int report(const char *what, const char *name, int err)
{
	if (err)
		mon_printf("%s: %s: %s (%d)\n", what, name, errno_name(err), err);
	else
		mon_printf("%s: %s: done\n", what, name);
	return err;
}

static int cmd_modprobe(int argc, char **argv)
{
	(void)argc;
	return report("modprobe", argv[1], modprobe(argv[1]));
}

static int cmd_insmod(int argc, char **argv)
{
	(void)argc;
	return report("insmod", argv[1], insmod(argv[1]));
}

static int cmd_rmmod(int argc, char **argv)
{
	(void)argc;
	return report("rmmod", argv[1], delete_module(argv[1]));
}

static int cmd_loader(int argc, char **argv)
{
	const struct loader_generation *gen;
	int err;

	if (argc == 2) {
		err = loader_generation_switch(argv[1]);
		if (err == -EINVAL) {
			mon_printf("loader: '%s' is not a generation:", argv[1]);
			for (unsigned int i = 0; i < loader_nr_generations; i++)
				mon_printf(" %s", loader_generations[i].name);
			mon_printf("\n");
			return err;
		}
		if (err) {
			mon_printf("loader: a load is in flight; try again (%s)\n",
				   errno_name(err));
			return err;
		}
	}
	gen = loader_generation();
	mon_printf("loader: %s (Linux %s): %s\n", gen->name,
		   gen->linux_versions, gen->summary);
	return 0;
}

static int cmd_modstats(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	mod_stats_print();
	return 0;
}

static int cmd_params(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	boot_params_print();
	return 0;
}

static int cmd_exit(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	leave = true;
	return 0;
}

static int cmd_poweroff(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	machine_power_off();
	qemu_debug_exit(QEMU_EXIT_PASS);
	return -EIO;	/* still here: the power-off failed */
}

static const struct monitor_cmd commands[] = {
	{ "help", "help [CMD]", "the commands, or one command's usage", cmd_help, 0, 1 },
	{ "lsmod", "lsmod", "the modules, as Linux's /proc/modules shows them", cmd_lsmod, 0, 0 },
	{ "modprobe", "modprobe NAME", "load NAME (and what it uses) from lib/modules/", cmd_modprobe, 1, 1 },
	{ "insmod", "insmod PATH", "load one file of the initrd", cmd_insmod, 1, 1 },
	{ "rmmod", "rmmod NAME", "unload NAME (not while another module uses it)", cmd_rmmod, 1, 1 },
	{ "loader", "loader [GEN]", "show, or switch, the loader generation", cmd_loader, 0, 1 },
	{ "modstats", "modstats", "Linux's module statistics, by Linux's names", cmd_modstats, 0, 0 },
	{ "params", "params", "every boot parameter: type, default, value", cmd_params, 0, 0 },
	{ "exit", "exit", "leave the monitor; the run ends as the command line says", cmd_exit, 0, 0 },
	{ "poweroff", "poweroff", "switch the machine off now", cmd_poweroff, 0, 0 },
};
static const unsigned int nr_commands = ARRAY_SIZE(commands);

static const struct monitor_cmd *find_command(const char *name)
{
	for (unsigned int i = 0; i < nr_commands; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
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
	for (unsigned int i = 0; i < nr_commands; i++)
		mon_printf("  %-22s %s\n", commands[i].usage, commands[i].help);
	return 0;
}

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
static size_t complete(void *ctx, const char *line, size_t len,
		       const char **cands, size_t max)
{
	size_t word = len, n = 0;

	(void)ctx;
	while (word && line[word - 1] != ' ')
		word--;
	if (!word) {
		for (unsigned int i = 0; i < nr_commands && n < max; i++)
			if (!strncmp(commands[i].name, line, len))
				cands[n++] = commands[i].name;
		return n;
	}
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
	int argc = 0;

	for (char *p = line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (argc == MONITOR_MAX_ARGS) {
			mon_printf("monitor: more than %d words\n", MONITOR_MAX_ARGS);
			return;
		}
		argv[argc++] = p;
		while (*p && *p != ' ')
			p++;
	}
	if (!argc)
		return;
	c = find_command(argv[0]);
	if (!c) {
		mon_printf("monitor: unknown command '%s' (help lists them)\n", argv[0]);
		return;
	}
	if (argc - 1 < c->min_args || argc - 1 > c->max_args) {
		mon_printf("usage: %s\n", c->usage);
		return;
	}
	c->run(argc, argv);
}

int monitor_run_requested(void)
{
	static struct line_editor ed;
	char inputs[64];

	if (!monitor)
		return 0;
	if (!console_inputs(inputs, sizeof(inputs))) {
		pr_warn("monitor: no input (no serial line and no keyboard)\n");
		return 0;
	}
	pr_notice("monitor: input from %s; 'help' lists the commands, 'exit' leaves\n",
		  inputs);
	line_init(&ed, MONITOR_PROMPT, echo, complete, NULL);
	leave = false;
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
