/*
 * include/kernel/ksyms.h - kernel symbol names for backtraces.
 *
 * tools/ksyms.sh generates a sorted table of the kernel's text symbols at
 * build time (see the Makefile's two-pass link); ksym_lookup() finds the
 * function containing an address.
 */
#ifndef KERNEL_KSYMS_H
#define KERNEL_KSYMS_H

#include <kernel/compiler.h>

/* The name of the symbol at or below addr, and addr's offset into it;
 * NULL when addr is outside the kernel's text. */
const char *ksym_lookup(uint64_t addr, uint64_t *offset);
/* The same, and the symbol's size (up to the next symbol, or the end of
 * the text): what a backtrace prints as name+offset/size. */
const char *ksym_lookup_size(uint64_t addr, uint64_t *offset, uint64_t *size);

/* Kernel text, then the modules' symbols (kernel/module/kallsyms.c):
 * *modname is the module's name, or NULL for the kernel. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset, uint64_t *size,
			  const char **modname);

#endif
