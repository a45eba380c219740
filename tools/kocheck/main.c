/*
 * tools/kocheck/main.c - check kernel modules on the host with the
 * loader's own code:
 *
 *	kocheck [--resolve-any] [--this-module-size N] [--kernel ELF] FILE...
 *	kocheck --explain [options] FILE [SECTION]
 *	kocheck --dump DIR [options] FILE
 *
 * The descriptor (.gnu.linkonce.this_module) must be N bytes, by default
 * sizeof(struct module) as in the kernel; N = 0 accepts any non-empty one.
 * --kernel resolves undefined symbols from a linked kernel's symbol table
 * and puts .data..percpu where that kernel's reserved per-CPU chunk
 * starts.  One line per file, "FILE: ok" or "FILE: error: <reason>"; the
 * exit status is 1 when any file failed (2 on a usage error).
 *
 * --explain prints the arithmetic of each relocation of FILE (or of one
 * SECTION, named as the target, .text, or as the relocation section,
 * .rela.text) and checks the loader stores the same values (explain.c).
 *
 * --dump DIR relocates FILE as the loader does and writes the result and
 * the layout into DIR, for tools/ldoracle.py to compare with GNU ld's
 * link of the same file (dump.c).
 * See docs/modules.md, "kocheck and fuzzing", "A worked example" and
 * "GNU ld as an oracle".
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
	fprintf(stderr,
		"usage: kocheck [--resolve-any] [--this-module-size N] [--kernel ELF] FILE...\n"
		"       kocheck --explain [--resolve-any] [--this-module-size N] [--kernel ELF] FILE [SECTION]\n"
		"       kocheck --dump DIR [--resolve-any] [--this-module-size N] [--kernel ELF] FILE\n");
	exit(2);
}

int main(int argc, char **argv)
{
	bool resolve_any = false, explain = false;
	size_t this_module_size = kocheck_this_module_size();
	const char *kernel_path = NULL, *dump_dir = NULL;
	struct kocheck_kernel kernel;
	void *kernel_image = NULL;
	int i, failed = 0;
	char why[256];

	for (i = 1; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "--resolve-any") == 0) {
			resolve_any = true;
		} else if (strcmp(argv[i], "--explain") == 0) {
			explain = true;
		} else if (strcmp(argv[i], "--this-module-size") == 0 && i + 1 < argc) {
			this_module_size = strtoul(argv[++i], NULL, 0);
		} else if (strcmp(argv[i], "--dump") == 0 && i + 1 < argc) {
			dump_dir = argv[++i];
		} else if (strcmp(argv[i], "--kernel") == 0 && i + 1 < argc) {
			kernel_path = argv[++i];
		} else if (strcmp(argv[i], "--") == 0) {
			i++;
			break;
		} else {
			usage();
		}
	}
	if (i >= argc || (explain && argc - i > 2) ||
	    (dump_dir && (explain || argc - i != 1)))
		usage();
	if (kernel_path) {
		size_t size = 0;

		kernel_image = read_file(kernel_path, &size, why, sizeof(why));
		if (!kernel_image ||
		    kocheck_kernel_read(kernel_image, size, &kernel, why, sizeof(why))) {
			fprintf(stderr, "kocheck: %s: %s\n", kernel_path, why);
			return 2;
		}
	}
	for (; i < argc; i++) {
		size_t size = 0;
		void *image = read_file(argv[i], &size, why, sizeof(why));
		int err = image ? 0 : -EIO;

		if (!err && explain)
			err = kocheck_explain(argv[i], image, size, this_module_size,
					      resolve_any, kernel_path ? &kernel : NULL,
					      kernel_path, i + 1 < argc ? argv[i + 1] : NULL,
					      stdout, why, sizeof(why));
		else if (!err && dump_dir)
			err = kocheck_dump(image, size, this_module_size,
					   resolve_any, kernel_path ? &kernel : NULL,
					   dump_dir, why, sizeof(why));
		else if (!err)
			err = kocheck_image_with(image, size, this_module_size,
						 resolve_any, kernel_path ? &kernel : NULL,
						 why, sizeof(why));
		if (!err && !explain)
			printf("%s: ok\n", argv[i]);
		else if (err)
			printf("%s: error: %s\n", argv[i], why);
		failed += err != 0;
		free(image);
		if (explain)
			break;
	}
	free(kernel_image);
	return failed ? 1 : 0;
}
