/*
 * include/kernel/ksyms.h - kernel symbol names for backtraces.
 *
 * tools/ksyms.sh generates a sorted table of the kernel's text symbols at
 * build time (see the Makefile's two-pass link); ksym_lookup() finds the
 * function containing an address.  A second table names the per-CPU
 * variables, by their offset in the template.
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

/* The address of the kernel text symbol called name, or 0. */
uint64_t ksym_lookup_name(const char *name);

/*
 * The kernel's per-CPU variable called name (a DEFINE_PER_CPU in the
 * image): true, with its offset from __per_cpu_start and its size (nm's,
 * or when nm gave none the distance to the next per-CPU variable or to
 * the template's end); false if no per-CPU variable has that name.
 */
bool kernel_percpu_symbol(const char *name, unsigned long *offset,
			  unsigned long *size);

/* Kernel text, then the modules' symbols (kernel/module/kallsyms.c):
 * *modname is the module's name, or NULL for the kernel. */
const char *symbol_lookup(uint64_t addr, uint64_t *offset, uint64_t *size,
			  const char **modname);

#endif
