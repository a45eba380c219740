/*
 * tests/fuzz/fuzz_module.c - libFuzzer target for the module loader's
 * pure core: module_elf_check(), module_layout(), symbol resolution and
 * relocation, through kocheck_image() (tools/kocheck/kocheck.c), i.e.
 * exactly what `kocheck --resolve-any` runs.
 *
 * Built by `make fuzz` with clang -fsanitize=fuzzer,address,undefined;
 * any out-of-bounds read, wrap or crash stops the run with the input
 * saved as crash-<sha1>.  The input is copied into a malloc'd buffer of
 * exactly its size (8-byte aligned, as the kernel's copy of a module is),
 * so one byte too far is an ASan report.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "../../tools/kocheck/kocheck.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char reason[256];
	void *image = malloc(size ? size : 1);

	if (!image)
		return 0;
	memcpy(image, data, size);
	/* Both resolver modes, and both descriptor-size modes. */
	kocheck_image(image, size, 0, true, reason, sizeof(reason));
	kocheck_image(image, size, kocheck_this_module_size(), false, reason,
		      sizeof(reason));
	free(image);
	return 0;
}
