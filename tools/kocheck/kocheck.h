/*
 * tools/kocheck/kocheck.h - run the loader's pure steps on one image.
 *
 * Shared by tools/kocheck/main.c (the command) and tests/fuzz/fuzz_module.c
 * (the libFuzzer target), so the fuzzer exercises exactly what kocheck
 * and the kernel run.
 */
#ifndef KOCHECK_H
#define KOCHECK_H

#include <stdbool.h>
#include <stddef.h>

/* sizeof(struct module) (include/kernel/module.h): the descriptor size
 * the kernel expects, and kocheck's default. */
size_t kocheck_this_module_size(void);

/*
 * Check, lay out, resolve and relocate the module image[0..size) (which
 * must be 8-byte aligned).  this_module_size 0 accepts any non-empty
 * descriptor.  With resolve_any, every undefined symbol gets a dummy
 * address in the kernel's top 2 GiB; without it, any undefined (non-weak)
 * symbol is an error.  Returns 0, or a negative errno with the reason
 * copied into reason[0..reason_size).
 */
int kocheck_image(const void *image, size_t size, size_t this_module_size,
		  bool resolve_any, char *reason, size_t reason_size);

#endif
