/*
 * tools/kocheck/main.c - kocheck [--resolve-any] [--this-module-size N]
 * FILE...: check kernel modules on the host with the loader's own code.
 *
 * The descriptor (.gnu.linkonce.this_module) must be N bytes, by default
 * sizeof(struct module) as in the kernel; N = 0 accepts any non-empty one.
 * One line per file, "FILE: ok" or "FILE: error: <reason>"; the exit
 * status is 1 when any file failed (2 on a usage error).  See
 * docs/modules.md, "kocheck and fuzzing".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kocheck.h"

/* The whole file in an 8-byte aligned buffer of exactly its size. */
static void *read_file(const char *path, size_t *size, char *why, size_t n)
{
	FILE *f = fopen(path, "rb");
	void *buf = NULL;
	long len;

	if (!f) {
		snprintf(why, n, "cannot open: %s", strerror(errno));
		return NULL;
	}
	if (fseek(f, 0, SEEK_END) != 0 || (len = ftell(f)) < 0 ||
	    fseek(f, 0, SEEK_SET) != 0) {
		snprintf(why, n, "cannot seek: %s", strerror(errno));
		goto out;
	}
	buf = malloc(len ? (size_t)len : 1);
	if (!buf) {
		snprintf(why, n, "out of memory");
		goto out;
	}
	if (fread(buf, 1, (size_t)len, f) != (size_t)len) {
		snprintf(why, n, "cannot read");
		free(buf);
		buf = NULL;
		goto out;
	}
	*size = (size_t)len;
out:
	fclose(f);
	return buf;
}

static void usage(void)
{
	fprintf(stderr, "usage: kocheck [--resolve-any] [--this-module-size N] FILE...\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool resolve_any = false;
	size_t this_module_size = kocheck_this_module_size();
	int i, failed = 0, files = 0;

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--resolve-any") == 0) {
			resolve_any = true;
		} else if (strcmp(argv[i], "--this-module-size") == 0 && i + 1 < argc) {
			this_module_size = strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			usage();
		}
	}
	for (; i < argc; i++) {
		char why[256];
		size_t size = 0;
		void *image = read_file(argv[i], &size, why, sizeof(why));

		files++;
		if (image && kocheck_image(image, size, this_module_size,
					   resolve_any, why, sizeof(why)) == 0) {
			printf("%s: ok\n", argv[i]);
		} else {
			printf("%s: error: %s\n", argv[i], why);
			failed++;
		}
		free(image);
	}
	if (!files)
		usage();
	return failed ? 1 : 0;
}
