/*
 * kernel/monitor/monitor.h - what a monitor command is, for the files
 * that define them (kernel/monitor/cmd-*.c) and the loop that runs them
 * (kernel/monitor/monitor.c).
 *
 * A command gets argc/argv (the line's words; argv[0] is its name),
 * prints its answer with mon_printf() (to every console whatever the
 * log level, through console_write(); the log ring keeps it too, at
 * level 0, so dmesg shows the conversation) and returns 0 or a
 * negative errno.  The loop checks the number of words against
 * min_args..max_args (after the name) before it runs one, and prints the
 * usage line when they do not fit; a command that finds a word wrong
 * says which in one line and returns -EINVAL (mon_bad_arg()).
 *
 * MONITOR_COMMAND() puts the description in the .monitor_cmds section,
 * which the linker gathers (linker.ld); `help` lists them by name.
 */
#ifndef KERNEL_MONITOR_H
#define KERNEL_MONITOR_H

#include <kernel/compiler.h>

struct monitor_cmd {
	const char *name;
	const char *usage;
	const char *help;
	int (*run)(int argc, char **argv);
	int min_args, max_args;		/* words after the name */
};

#define MONITOR_COMMAND(ident, ...)					\
	static const struct monitor_cmd __mcmd_##ident __used		\
	__section(".monitor_cmds") __aligned(8) = { __VA_ARGS__ }

extern const struct monitor_cmd __monitor_cmds_start[], __monitor_cmds_end[];
#define for_each_monitor_cmd(c)						\
	for (const struct monitor_cmd *c = __monitor_cmds_start;	\
	     c < __monitor_cmds_end; c++)

void mon_printf(const char *fmt, ...) __printf(1, 2);
/* "what: arg: why", then the command's usage; returns -EINVAL. */
int mon_bad_arg(const char *cmd, const char *arg, const char *why);
/* "what: name: done", or "what: name: EBUSY (-16)"; returns err. */
int mon_report(const char *what, const char *name, int err);
/* "EBUSY" or "error" (errname() without a NULL). */
const char *mon_errname(int err);
/* A Ctrl-C since the command started (console_interrupted())? */
bool mon_interrupted(void);
/* The leak counters' mark, which `leaks` compares with (cmd-storm.c). */
void monitor_leaks_mark(void);

/* ---- the pure part (kernel/monitor/parse.c) ----------------------------- */

#define MONITOR_MAX_ARGS	12	/* words in a line, the name included */

enum mon_line {
	MON_LINE_EMPTY,		/* no words */
	MON_LINE_TOO_MANY,	/* more than MONITOR_MAX_ARGS words */
	MON_LINE_UNKNOWN,	/* argv[0] names no command */
	MON_LINE_USAGE,		/* the command, but not that many words */
	MON_LINE_RUN,		/* the command, with words it takes */
};

/* The command called name in cmds[0..nr_cmds), or NULL. */
const struct monitor_cmd *mon_find_command(const struct monitor_cmd *cmds,
					   size_t nr_cmds, const char *name);
/*
 * Split line in place at spaces into argv[0..*argc) (argv holds
 * MONITOR_MAX_ARGS + 1 pointers; argv[*argc] is NULL) and find its
 * command (*cmd, or NULL) and whether it takes that many words.
 */
enum mon_line mon_parse_line(char *line, const struct monitor_cmd *cmds,
			     size_t nr_cmds, int *argc, char **argv,
			     const struct monitor_cmd **cmd);
/* Tab on the first word: up to max names in cmds that start with
 * prefix[0..len), into cands; how many. */
size_t mon_complete_command(const struct monitor_cmd *cmds, size_t nr_cmds,
			    const char *prefix, size_t len, const char **cands,
			    size_t max);
/* A path typed to ls as the initrd names it: "/etc/" -> "etc", "./" or
 * "/" -> "" (the whole archive); into dst[size] (cut to fit). */
void mon_initrd_path(char *dst, size_t size, const char *path);
/* argv[first..argc) joined by spaces into buf[size] (a load's "p=v p2=v2"):
 * buf, or NULL when there are none, or (*too_long) they do not fit. */
const char *mon_join_words(int argc, char **argv, int first, char *buf,
			   size_t size, bool *too_long);

#endif
