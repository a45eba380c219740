/*
 * kernel/module/storm_list.c - split the storm's list of module names
 * (kernel/module/storm_list.h says where it comes from).
 *
 * Pure: no kernel globals, no printing (storm.c prints *why).  The list
 * is copied into l->buf and cut there in place; l->names points into the
 * copy.
 */
#include <kernel/errno.h>
#include <kernel/string.h>
#include "storm_list.h"

static bool is_separator(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == ',';
}

int storm_list_parse(struct storm_list *l, const char *text, size_t len,
		     const char **why)
{
	char *p, *end;

	if (len > STORM_LIST_MAX_LEN) {
		*why = "list longer than " __stringify(STORM_LIST_MAX_LEN) " bytes";
		return -E2BIG;
	}
	memcpy(l->buf, text, len);
	l->buf[len] = '\0';
	l->count = 0;
	/* Comments become spaces, up to their newline.  A comment may end
	 * the text without one: then the loop stops at the NUL, and must
	 * not step over it (into an earlier list's bytes, or past buf). */
	for (p = l->buf; *p; p++) {
		if (*p != '#')
			continue;
		while (*p && *p != '\n')
			*p++ = ' ';
		if (!*p)
			break;
	}
	for (p = l->buf; *p; p = end) {
		while (is_separator(*p))
			p++;
		if (!*p)
			break;
		end = p;
		while (*end && !is_separator(*end))
			end++;
		if (*end)
			*end++ = '\0';
		if (l->count == STORM_MAX_NAMES) {
			*why = "more than " __stringify(STORM_MAX_NAMES) " names";
			return -E2BIG;
		}
		l->names[l->count++] = p;
	}
	return 0;
}
