/*
 * kernel/module/exports.c - the kernel's exported symbols, by name.
 *
 * EXPORT_SYMBOL(sym) (include/kernel/export.h) puts a struct
 * kernel_symbol { address, name } in __ksymtab (or __ksymtab_gpl), and
 * linker.ld gathers each section between a __start_ and a __stop_ symbol.
 * The loader asks find_kernel_symbol() for every undefined symbol of a
 * module it links (Linux: find_symbol() over the kernel and the modules'
 * tables, kernel/module/main.c).
 *
 * Linux sorts the tables at build time (scripts/mod/modpost and
 * CONFIG_MODULE_REL_CRCS era: sorted by the linker's SORT()) and searches
 * them with bsearch().  We search linearly: the kernel exports about a
 * hundred symbols and a demo module has a few dozen undefined ones, a few
 * thousand string compares per load, which is nothing beside copying the
 * file.  Uniqueness, which a sorted table would make easy to check at
 * build time, is checked by the "exports" KTAP suite instead.
 */
#include <kernel/export.h>
#include <kernel/string.h>

static const struct kernel_symbol *
search_table(const struct kernel_symbol *start,
	     const struct kernel_symbol *stop, const char *name)
{
	for (const struct kernel_symbol *ks = start; ks < stop; ks++)
		if (strcmp(ks->name, name) == 0)
			return ks;
	return NULL;
}

const struct kernel_symbol *find_kernel_symbol(const char *name, bool *gpl)
{
	const struct kernel_symbol *ks;

	if (!name)
		return NULL;
	ks = search_table(__start___ksymtab, __stop___ksymtab, name);
	if (ks) {
		if (gpl)
			*gpl = false;
		return ks;
	}
	ks = search_table(__start___ksymtab_gpl, __stop___ksymtab_gpl, name);
	if (ks && gpl)
		*gpl = true;
	return ks;
}

unsigned int kernel_symbol_count(void)
{
	return (unsigned int)((__stop___ksymtab - __start___ksymtab) +
			      (__stop___ksymtab_gpl - __start___ksymtab_gpl));
}
EXPORT_SYMBOL_GPL(find_kernel_symbol);
EXPORT_SYMBOL_GPL(kernel_symbol_count);
