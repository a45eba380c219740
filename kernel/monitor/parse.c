/*
 * kernel/monitor/parse.c - what the monitor makes of a typed line before
 * any command runs: the words, the command they name, whether it takes
 * that many, Tab's command names; and the two ways commands read their
 * words as text (a path in the initrd, a load's parameters).
 *
 * Pure: no console, no kernel globals; the table of commands is passed
 * in (the kernel's is the .monitor_cmds section, monitor.c).  Compiled
 * into the kernel and into tests/host/test_monitor_parse.c and the
 * fuzzer tests/fuzz/fuzz_monitor.c, which types random bytes into the
 * line editor (line.c) and parses every line it finishes.
 */
#include <kernel/string.h>
#ifdef HOST_TEST
#include <stdio.h>
#else
#include <kernel/printk.h>
#endif
#include "monitor.h"

const struct monitor_cmd *mon_find_command(const struct monitor_cmd *cmds,
					   size_t nr_cmds, const char *name)
{
	for (size_t i = 0; i < nr_cmds; i++)
		if (!strcmp(cmds[i].name, name))
			return &cmds[i];
	return NULL;
}

enum mon_line mon_parse_line(char *line, const struct monitor_cmd *cmds,
			     size_t nr_cmds, int *argc, char **argv,
			     const struct monitor_cmd **cmd)
{
	int n = 0;

	*cmd = NULL;
	for (char *p = line; *p;) {
		while (*p == ' ')
			*p++ = '\0';
		if (!*p)
			break;
		if (n == MONITOR_MAX_ARGS) {
			*argc = n;
			return MON_LINE_TOO_MANY;
		}
		argv[n++] = p;
		while (*p && *p != ' ')
			p++;
	}
	argv[n] = NULL;
	*argc = n;
	if (!n)
		return MON_LINE_EMPTY;
	*cmd = mon_find_command(cmds, nr_cmds, argv[0]);
	if (!*cmd)
		return MON_LINE_UNKNOWN;
	if (n - 1 < (*cmd)->min_args || n - 1 > (*cmd)->max_args)
		return MON_LINE_USAGE;
	return MON_LINE_RUN;
}

size_t mon_complete_command(const struct monitor_cmd *cmds, size_t nr_cmds,
			    const char *prefix, size_t len, const char **cands,
			    size_t max)
{
	size_t n = 0;

	for (size_t i = 0; i < nr_cmds && n < max; i++)
		if (!strncmp(cmds[i].name, prefix, len))
			cands[n++] = cmds[i].name;
	return n;
}

void mon_initrd_path(char *dst, size_t size, const char *path)
{
	size_t n;

	while (*path == '/' || (path[0] == '.' && path[1] == '/'))
		path += *path == '/' ? 1 : 2;
	if (!strcmp(path, "."))
		path = "";
	strlcpy(dst, path, size);
	n = strlen(dst);
	while (n && dst[n - 1] == '/')
		dst[--n] = '\0';
}

const char *mon_join_words(int argc, char **argv, int first, char *buf,
			   size_t size, bool *too_long)
{
	size_t n = 0;

	*too_long = false;
	if (first >= argc)
		return NULL;
	buf[0] = '\0';
	for (int i = first; i < argc; i++) {
		n += snprintf(buf + n, size - n, "%s%s", i > first ? " " : "",
			      argv[i]);
		if (n >= size) {
			*too_long = true;
			return NULL;
		}
	}
	return buf;
}
