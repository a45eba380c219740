/*
 * kernel/module/kallsyms.c - a module's own symbols, kept for backtraces
 * (Linux: kernel/module/kallsyms.c, add_kallsyms and
 * module_address_lookup).
 *
 * The .ko's symbol table goes away with the file copy, so at load the
 * symbols that name something the module loaded (functions and objects in
 * module memory, and per-CPU variables at their per-CPU address, which
 * tests look up by name) are copied into one allocation:
 *
 *	| Elf64_Sym[n], st_value = final address | "name\0name\0..." |
 *
 * and mod->symtab / num_symtab / strtab point at it.  A fault's RIP in
 * the module area is looked up here (kernel/ksyms.c asks), under RCU like
 * every other walker of the module list.  An address in init memory
 * stops matching once that memory is freed (init_layout.base is cleared
 * first).  module_percpu_symbol() finds a per-CPU variable by name, for
 * the monitor's `percpu addr`.
 */
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/string.h>
#include "internal.h"

static bool keep_symbol(const struct load_state *ls, const Elf64_Sym *sym)
{
	unsigned int type = ELF64_ST_TYPE(sym->st_info);
	unsigned int shndx = sym->st_shndx;

	if (!sym->st_name || !ls->info.strtab[sym->st_name])
		return false;
	if (type != STT_FUNC && type != STT_OBJECT && type != STT_NOTYPE)
		return false;
	if (shndx == SHN_UNDEF || shndx >= ls->info.hdr->e_shnum)
		return false;
	return ls->map[shndx].loaded;
}

int module_add_kallsyms(struct load_state *ls)
{
	const struct load_info *info = &ls->info;
	size_t nsyms = 0, strsize = 0, size;
	Elf64_Sym *syms;
	char *str;
	unsigned int i;

	for (i = 1; i < info->num_syms; i++) {
		if (!keep_symbol(ls, &info->symtab[i]))
			continue;
		nsyms++;
		strsize += strlen(info->strtab + info->symtab[i].st_name) + 1;
	}
	if (!nsyms)
		return 0;
	size = nsyms * sizeof(*syms) + strsize;
	syms = load_kmalloc(ls, size, "kallsyms");
	if (!syms) {
		pr_err("%s: no memory for its symbol table (%zu bytes)\n",
		       ls->mod->name, size);
		return -ENOMEM;
	}
	ls->kallsyms_size = size;
	str = (char *)(syms + nsyms);
	nsyms = 0;
	strsize = 0;
	for (i = 1; i < info->num_syms; i++) {
		const Elf64_Sym *src = &info->symtab[i];
		const char *name = info->strtab + src->st_name;
		size_t len = strlen(name) + 1;

		if (!keep_symbol(ls, src))
			continue;
		syms[nsyms] = *src;
		syms[nsyms].st_value = ls->values[i];
		syms[nsyms].st_name = (uint32_t)strsize;
		memcpy(str + strsize, name, len);
		strsize += len;
		nsyms++;
	}
	ls->mod->symtab = syms;
	ls->mod->num_symtab = (unsigned int)nsyms;
	ls->mod->strtab = str;
	return 0;
}

static void forget_kallsyms(struct module *mod)
{
	mod->symtab = NULL;
	mod->num_symtab = 0;
	mod->strtab = NULL;
}

void module_free_kallsyms(struct module *mod)
{
	kfree(mod->symtab);
	forget_kallsyms(mod);
}

/* A load failing: its copy goes, counted back (a no-op before the copy). */
void module_unwind_kallsyms(struct load_state *ls)
{
	if (!ls->kallsyms_size)
		return;
	load_kfree(ls, ls->mod->symtab, ls->kallsyms_size);
	forget_kallsyms(ls->mod);
	ls->kallsyms_size = 0;
}

static bool within(uint64_t addr, const struct module_layout *l)
{
	uint64_t base = (uint64_t)(uintptr_t)READ_ONCE(l->base);

	return base && addr >= base && addr < base + l->size;
}

static bool within_module(uint64_t addr, const struct module *mod)
{
	return within(addr, &mod->core_layout) ||
	       within(addr, &mod->init_layout);
}

/*
 * The symbol at or below addr in one module: the closest start, its size
 * from st_size or, when that is 0, the distance to the next symbol.
 */
static const char *lookup_in(const struct module *mod, uint64_t addr,
			     uint64_t *offset, uint64_t *size)
{
	const Elf64_Sym *syms = mod->symtab, *best = NULL;
	uint64_t next = ~0ULL;

	for (unsigned int i = 0; i < mod->num_symtab; i++) {
		uint64_t v = syms[i].st_value;

		if (v <= addr && within_module(v, mod) &&
		    (!best || v > best->st_value))
			best = &syms[i];
	}
	if (!best)
		return NULL;
	for (unsigned int i = 0; i < mod->num_symtab; i++)
		if (syms[i].st_value > best->st_value && syms[i].st_value < next)
			next = syms[i].st_value;
	if (offset)
		*offset = addr - best->st_value;
	if (size)
		*size = best->st_size ? best->st_size
		      : next != ~0ULL ? next - best->st_value : 0;
	return mod->strtab + best->st_name;
}

const char *module_address_lookup(uint64_t addr, uint64_t *offset,
				  uint64_t *size, const char **modname)
{
	const char *name = NULL;
	struct module *mod;

	rcu_read_lock();
	list_for_each_entry_rcu(mod, &modules, list) {
		if (mod->state == MODULE_STATE_UNFORMED)
			continue;
		if (!within_module(addr, mod))
			continue;
		name = lookup_in(mod, addr, offset, size);
		if (name && modname)
			*modname = mod->name;
		break;
	}
	rcu_read_unlock();
	return name;
}

uint64_t module_kallsyms_lookup_name(struct module *mod, const char *name)
{
	const Elf64_Sym *syms = mod->symtab;

	for (unsigned int i = 0; i < mod->num_symtab; i++)
		if (!strcmp(mod->strtab + syms[i].st_name, name))
			return syms[i].st_value;
	return 0;
}

int module_percpu_symbol(const char *name, char *modname, size_t len,
			 unsigned long *addr, unsigned long *size)
{
	int err = -ENOENT;
	struct module *mod;

	rcu_read_lock();
	list_for_each_entry_rcu(mod, &modules, list) {
		const Elf64_Sym *syms = mod->symtab;
		unsigned long base = (unsigned long)mod->percpu;

		if (READ_ONCE(mod->state) == MODULE_STATE_UNFORMED)
			continue;
		for (unsigned int i = 0; i < mod->num_symtab; i++) {
			unsigned long v = syms[i].st_value;

			if (strcmp(mod->strtab + syms[i].st_name, name))
				continue;
			strlcpy(modname, mod->name, len);
			if (!base || v < base || v >= base + mod->percpu_size) {
				err = -EINVAL;	/* keep looking: another may */
				continue;
			}
			*addr = v;
			*size = syms[i].st_size ? syms[i].st_size
						: base + mod->percpu_size - v;
			err = 0;
			goto out;
		}
	}
out:
	rcu_read_unlock();
	return err;
}
