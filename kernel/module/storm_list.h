/*
 * kernel/module/storm_list.h - the storm's list of module names, read
 * from etc/storm.conf, from storm= on the command line or from the
 * monitor's storm modules=a,b (kernel/module/storm.c).  The parser is
 * pure (kernel/module/storm_list.c): tests/host/test_storm_list.c and
 * the fuzzer tests/fuzz/fuzz_storm_list.c run it on the host.
 */
#ifndef KERNEL_MODULE_STORM_LIST_H
#define KERNEL_MODULE_STORM_LIST_H

#include <kernel/compiler.h>

#define STORM_MAX_NAMES		32
#define STORM_LIST_MAX_LEN	511	/* bytes of text; buf holds its NUL */

struct storm_list {
	char buf[STORM_LIST_MAX_LEN + 1];
	const char *names[STORM_MAX_NAMES];	/* into buf */
	unsigned int count;
};

/*
 * text[0..len) (not NUL-terminated: a file of the initrd) into l: the
 * names separated by spaces, tabs, newlines or commas, '#' to the end
 * of its line a comment.  0, or -E2BIG with *why.
 */
int storm_list_parse(struct storm_list *l, const char *text, size_t len,
		     const char **why);

#endif
