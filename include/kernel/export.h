/*
 * include/kernel/export.h - EXPORT_SYMBOL: the symbols modules may use.
 *
 * A module is linked against the kernel at load time, and only against
 * what the kernel (or another module) chose to export.  Each export is a
 * struct kernel_symbol, the symbol's address and name, in one of two
 * sections:
 *
 *	__ksymtab	   EXPORT_SYMBOL(sym): any module may use sym
 *	__ksymtab_gpl	   EXPORT_SYMBOL_GPL(sym): only GPL-compatible ones
 *	__ksymtab_strings  the names, "sym\0" one after another
 *
 * In the kernel, linker.ld gathers the entries between __start___ksymtab
 * and __stop___ksymtab (and the _gpl pair); kernel/module/exports.c
 * searches them.  In a module (built with -DMODULE) the same sections stay
 * in the .ko, and the loader reads them as the module's own exports.
 *
 * Each entry is also a symbol named __ksymtab_<sym>, as in Linux: that is
 * how tools/modpost.py, with nm, learns which module exports what (to
 * compute depends=) without reading the sections' relocations.
 *
 * Simplification: Linux >= 4.19 stores 32-bit offsets relative to the
 * entry (CONFIG_HAVE_ARCH_PREL32_RELOCATIONS) to halve the table and to
 * need no relocation in the kernel image; we keep the older absolute form,
 * which is easier to read in a hex dump and which the loader relocates
 * with plain R_X86_64_64.
 */
#ifndef KERNEL_EXPORT_H
#define KERNEL_EXPORT_H

#include <kernel/compiler.h>

struct kernel_symbol {
	unsigned long value;	/* the symbol's address */
	const char *name;	/* into __ksymtab_strings */
};

#ifdef HOST_TEST
/* Kernel files compiled into host unit tests export nothing. */
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#else
#define __EXPORT_SYMBOL(sym, sec)					\
	extern __typeof__(sym) sym;					\
	static const char __kstrtab_##sym[] __used			\
		__section("__ksymtab_strings") __aligned(1) = #sym;	\
	static const struct kernel_symbol __ksymtab_##sym __used	\
		__section(sec) __aligned(8) = {				\
		(unsigned long)&sym, __kstrtab_##sym			\
	}

#define EXPORT_SYMBOL(sym)	__EXPORT_SYMBOL(sym, "__ksymtab")
#define EXPORT_SYMBOL_GPL(sym)	__EXPORT_SYMBOL(sym, "__ksymtab_gpl")
#endif

/* The kernel's own tables (linker.ld). */
extern const struct kernel_symbol __start___ksymtab[], __stop___ksymtab[];
extern const struct kernel_symbol __start___ksymtab_gpl[],
	__stop___ksymtab_gpl[];

/*
 * The kernel's export named 'name', or NULL.  *gpl (if gpl is not NULL)
 * says whether it is EXPORT_SYMBOL_GPL.  A linear search (about a hundred
 * entries; the loader calls it once per undefined symbol of a module):
 * kernel/module/exports.c says why that is enough.
 */
const struct kernel_symbol *find_kernel_symbol(const char *name, bool *gpl);
/* How many symbols the kernel exports (both tables). */
unsigned int kernel_symbol_count(void);

#endif
