/*
 * kernel/ksyms.c - address to symbol name, for backtraces (Linux's
 * kallsyms, much simplified).
 *
 * The table is generated at build time by tools/ksyms.sh from `nm -n` of a
 * first link of the kernel (Makefile: the two-pass link), and lives in
 * .rodata_ksyms, the last thing in rodata, so filling it in moves no code:
 *
 *	ksym_count                  n
 *	ksym_addrs[n + 1]           ascending text addresses (a 0 at the end)
 *	ksym_name_offsets[n + 1]    where each name starts in ksym_names
 *	ksym_names[]                "name\0name\0..."
 *
 * ksym_lookup() is a binary search for the last symbol at or below the
 * address.  A symbol's size is the distance to the next symbol with a
 * higher address (or to _etext for the last).
 * symbol_lookup() adds the modules: an address in module memory is looked
 * up in that module's own table (kernel/module/kallsyms.c).
 * The per-CPU table (kpcpu_*) names the variables of .data..percpu by
 * their offset from __per_cpu_start, for the monitor's `percpu addr`;
 * names are looked up by a linear search (a few dozen of them).
 * Simplifications: text symbols and per-CPU variables of the kernel
 * image only (no other data); several names at one address show the
 * first in nm order.
 */
#include <kernel/ksyms.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/string.h>

extern const unsigned long ksym_count;
extern const uint64_t ksym_addrs[];
extern const uint32_t ksym_name_offsets[];
extern const char ksym_names[];
extern const char _text[], _etext[];
extern const unsigned long kpcpu_count;
extern const uint32_t kpcpu_offsets[];
extern const uint32_t kpcpu_sizes[];
extern const uint32_t kpcpu_name_offsets[];
extern const char kpcpu_names[];
extern char __per_cpu_start[], __per_cpu_end[];

const char *ksym_lookup_size(uint64_t addr, uint64_t *offset, uint64_t *size)
{
	unsigned long lo = 0, hi = ksym_count, i, next;

	if (addr < (uintptr_t)_text || addr >= (uintptr_t)_etext ||
	    !ksym_count || addr < ksym_addrs[0])
		return NULL;
	/* Invariant: ksym_addrs[lo] <= addr, and addr < ksym_addrs[hi]
	 * (hi == count standing for the end of the text). */
	while (hi - lo > 1) {
		unsigned long mid = lo + (hi - lo) / 2;

		if (ksym_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	/* Aliases: prefer the first name at this address. */
	i = lo;
	while (i > 0 && ksym_addrs[i - 1] == ksym_addrs[lo])
		i--;
	next = lo + 1;
	if (offset)
		*offset = addr - ksym_addrs[i];
	if (size)
		*size = (next < ksym_count ? ksym_addrs[next]
					   : (uintptr_t)_etext) - ksym_addrs[i];
	return &ksym_names[ksym_name_offsets[i]];
}

const char *ksym_lookup(uint64_t addr, uint64_t *offset)
{
	return ksym_lookup_size(addr, offset, NULL);
}

const char *symbol_lookup(uint64_t addr, uint64_t *offset, uint64_t *size,
			  const char **modname)
{
	const char *name = ksym_lookup_size(addr, offset, size);

	*modname = NULL;
	if (name)
		return name;
	return module_address_lookup(addr, offset, size, modname);
}

uint64_t ksym_lookup_name(const char *name)
{
	for (unsigned long i = 0; i < ksym_count; i++)
		if (!strcmp(&ksym_names[ksym_name_offsets[i]], name))
			return ksym_addrs[i];
	return 0;
}

bool kernel_percpu_symbol(const char *name, unsigned long *offset,
			  unsigned long *size)
{
	unsigned long template = (unsigned long)(__per_cpu_end - __per_cpu_start);

	for (unsigned long i = 0; i < kpcpu_count; i++) {
		if (strcmp(&kpcpu_names[kpcpu_name_offsets[i]], name))
			continue;
		*offset = kpcpu_offsets[i];
		*size = kpcpu_sizes[i];
		if (*size)
			return true;
		/* No size from nm: up to the next variable, or the end. */
		*size = template - kpcpu_offsets[i];
		for (unsigned long j = i + 1; j < kpcpu_count; j++) {
			if (kpcpu_offsets[j] > kpcpu_offsets[i]) {
				*size = kpcpu_offsets[j] - kpcpu_offsets[i];
				break;
			}
		}
		return true;
	}
	return false;
}
