/*
 * tests/fuzz/fuzz_storm_list.c - libFuzzer target for the storm's list
 * of module names (kernel/module/storm_list.c): the input is the text
 * storm_get_list() hands it, the initrd's etc/storm.conf (or storm=a,b
 * from the command line, or the monitor's storm modules=a,b).
 *
 * The kernel parses each storm's list into the same static struct, so
 * the bytes behind the copy's NUL are whatever an earlier list left.
 * The harness fills the struct with a scribble before each parse ('#'
 * in the buffer, a pattern in the pointers), as a debugging allocator
 * would, and checks that the parser left all of it beyond the list's
 * NUL (the text's end, or a NUL byte in it) alone: a parser that reads past the NUL finds comments there and
 * writes over them, which no sanitizer sees inside one struct.
 *
 * Checked too: at most STORM_MAX_NAMES names, each non-empty, NUL-
 * terminated inside the copy, and holding no separator.
 */
#include <kernel/errno.h>

#include "fuzz.h"

#include "../../kernel/module/storm_list.h"

static struct storm_list list;

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *why = NULL;
	size_t used;
	int ret;

	memset(list.buf, '#', sizeof(list.buf));
	memset(list.names, 0x5a, sizeof(list.names));
	ret = storm_list_parse(&list, (const char *)data, size, &why);
	fuzz_check(ret == 0 || (ret == -E2BIG && why));
	if (size > STORM_LIST_MAX_LEN) {
		fuzz_check(ret == -E2BIG);
		return 0;
	}
	/* The text is copied whole (a NUL in it ends the list early), then
	 * a NUL, then the scribble. */
	used = strnlen((const char *)data, size);
	fuzz_check(list.buf[size] == '\0');
	for (size_t i = used + 1; i < sizeof(list.buf); i++)
		if (list.buf[i] != (i < size ? (char)data[i] : i > size ? '#' : '\0'))
			fuzz_fail("byte %zu, past the list's NUL at %zu, changed", i, used);
	fuzz_check(list.count <= STORM_MAX_NAMES);
	for (unsigned int i = 0; i < list.count; i++) {
		const char *name = list.names[i];

		fuzz_check(name >= list.buf && name < list.buf + used);
		fuzz_check(*name && name + strlen(name) <= list.buf + used);
		fuzz_check(!strpbrk(name, " \t\n,#"));
	}
	for (unsigned int i = list.count; i < STORM_MAX_NAMES; i++) {
		const uint8_t *p = (const uint8_t *)&list.names[i];

		for (size_t j = 0; j < sizeof(list.names[i]); j++)
			fuzz_check(p[j] == 0x5a);
	}
	return 0;
}
