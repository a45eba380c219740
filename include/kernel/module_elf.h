/*
 * include/kernel/module_elf.h - the pure core of the module loader:
 * checking a module's ELF image, laying out its sections, resolving its
 * symbols and applying its x86-64 relocations.
 *
 * Everything here is pure C over buffers (kernel/module/elf.c and
 * kernel/module/reloc.c): no kernel globals, no allocation, no printing.
 * The same files are compiled into the kernel (load_module()'s glue),
 * into the host tests, into tools/kocheck and into the fuzzer.  Failures
 * return a negative errno and set *reason to one line naming the check
 * that failed; the line lives in the load_info (or is a constant), so it
 * stays valid as long as the load_info does.  module_refuse() formats it.
 *
 * The shapes follow Linux's kernel/module/internal.h (struct load_info)
 * and kernel/module/main.c (elf_validity_check, layout_sections,
 * simplify_symbols, apply_relocations).  docs/modules.md walks through
 * them.
 */
#ifndef KERNEL_MODULE_ELF_H
#define KERNEL_MODULE_ELF_H

#include <stdarg.h>
#include <kernel/compiler.h>
#include <kernel/elf.h>
#ifdef HOST_TEST
#include <stdio.h>
#else
#include <kernel/printk.h>
#endif

/* No real module comes near this; it keeps all sums far from overflow. */
#define MODULE_ELF_MAX_PART	(64UL << 20)

/* One module load's view of its ELF image (Linux's struct load_info). */
struct load_info {
	const char *name;		/* the "name=" value in .modinfo */
	const Elf64_Ehdr *hdr;
	size_t len;
	const Elf64_Shdr *sechdrs;
	const char *secstrings;		/* section names (.shstrtab) */
	const char *strtab;		/* symbol names */
	size_t strtab_size;
	const Elf64_Sym *symtab;
	unsigned int num_syms;
	const char *modinfo;		/* .modinfo's "key=value\0" entries */
	size_t modinfo_size;
	struct {
		unsigned int sym, str, mod, info, pcpu;	/* 0: absent */
	} index;
	char reason_buf[192];		/* the last refusal, when formatted */
};

/*
 * How elf.c and reloc.c refuse: format the line into info->reason_buf,
 * point *reason at it and return err.
 */
static inline __printf(4, 5) int module_refuse(struct load_info *info,
					       const char **reason, int err,
					       const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(info->reason_buf, sizeof(info->reason_buf), fmt, ap);
	va_end(ap);
	*reason = info->reason_buf;
	return err;
}

/* Section i's name: the loader checked it lies inside .shstrtab. */
static inline const char *module_sec_name(const struct load_info *info,
					  unsigned int i)
{
	return info->secstrings + info->sechdrs[i].sh_name;
}

/* The parts of module memory (Linux's enum mod_mem_type, minus ro_after_init). */
enum mod_mem_type {
	MOD_TEXT,		/* SHF_EXECINSTR: mapped read-only, executable */
	MOD_RODATA,		/* SHF_ALLOC, !SHF_WRITE: read-only, NX */
	MOD_DATA,		/* SHF_WRITE (PROGBITS and NOBITS): RW, NX */
	MOD_INIT_TEXT,		/* the same three for ".init*" sections, */
	MOD_INIT_RODATA,	/* freed after the module's init has run */
	MOD_INIT_DATA,
	MOD_MEM_NUM_TYPES,
	MOD_MEM_NONE = -1,	/* not loaded (debug info, .modinfo, ...) */
	MOD_MEM_PERCPU = -2,	/* .data..percpu: goes to the per-CPU area */
};

static inline bool mod_mem_is_init(int type)
{
	return type >= MOD_INIT_TEXT && type < MOD_MEM_NUM_TYPES;
}

/* Where one section goes: which part, at what offset in it. */
struct module_sec_place {
	int mem;			/* enum mod_mem_type */
	uint64_t offset;
};

/*
 * The result of module_layout().  The core parts are laid out one after
 * the other, each starting on a page, in one region of core_size bytes
 * (text at 0); the init parts likewise in a region of init_size bytes.
 * mem[t].offset is the part's offset in its region, mem[t].size its size
 * rounded up to a page.  The caller gives 'place', an array of
 * hdr->e_shnum entries, which module_layout() fills.
 */
struct module_layout_result {
	struct {
		uint64_t offset;
		uint64_t size;
	} mem[MOD_MEM_NUM_TYPES];
	uint64_t core_size;
	uint64_t init_size;
	uint64_t percpu_size;		/* 0 when the module has no per-CPU data */
	uint64_t percpu_align;
	struct module_sec_place *place;
};

/*
 * Where each section lives once loaded: 'addr' is its final address (for
 * .data..percpu, the module's per-CPU base), 'buf' a writable buffer with
 * its contents that relocation patches (module memory itself, or for
 * .data..percpu the template copied to every CPU afterwards).  Sections
 * not loaded have loaded == false.
 */
struct module_sec_map {
	uint64_t addr;
	void *buf;
	bool loaded;
};

/*
 * Resolve an undefined symbol: return 0 and set *value, -ENOENT when no
 * one exports it, or another negative errno when the symbol exists but
 * may not be used (-EPERM: GPL-only; -EBUSY: its owner is going away;
 * -ETIMEDOUT: its owner did not finish loading in MODULE_WAIT_SECONDS;
 * -ENOMEM).
 */
#define MODULE_WAIT_SECONDS	30	/* Linux's resolve_symbol_wait() bound */
typedef int (*module_resolve_fn)(void *ctx, const char *name, uint64_t *value);

int module_elf_check(const void *image, size_t size,
		     size_t expected_this_module_size, struct load_info *info,
		     const char **reason);

int module_layout(struct load_info *info, struct module_layout_result *res,
		  const char **reason);

/*
 * Fill map[e_shnum] from a layout: core_base/init_base are the final
 * addresses of the two regions and core_buf/init_buf writable buffers of
 * core_size/init_size bytes; pcpu_addr and pcpu_buf (percpu_size bytes)
 * the same for .data..percpu.  Copies every loaded section's contents
 * (zeroes for SHT_NOBITS) into its buffer.
 */
void module_place_sections(const struct load_info *info,
			   const struct module_layout_result *res,
			   uint64_t core_base, void *core_buf,
			   uint64_t init_base, void *init_buf,
			   uint64_t pcpu_addr, void *pcpu_buf,
			   struct module_sec_map *map);

/*
 * Linux's simplify_symbols(): values[num_syms] gets each symbol's final
 * value: resolve() for undefined ones (weak ones left unresolved are 0),
 * st_value for SHN_ABS, map[shndx].addr + st_value otherwise (per-CPU
 * symbols thus land at the per-CPU base).  SHN_COMMON is refused.
 */
int module_simplify_symbols(struct load_info *info,
			    const struct module_sec_map *map,
			    module_resolve_fn resolve, void *ctx,
			    uint64_t *values, const char **reason);

/* Apply one SHT_RELA section (index relsec); Linux's name and job. */
int apply_relocate_add(struct load_info *info, unsigned int relsec,
		       const struct module_sec_map *map, const uint64_t *values,
		       const char **reason);

/* Every RELA section whose target is loaded (the others are skipped). */
/* "R_X86_64_PC32" for the types the loader applies; NULL for others. */
const char *module_rela_type_name(uint64_t type);
int module_apply_relocations(struct load_info *info,
			     const struct module_sec_map *map,
			     const uint64_t *values, const char **reason);

/* The index of the section called name, or 0 when there is none. */
unsigned int module_find_section(const struct load_info *info,
				 const char *name);

/* The value of "key=" in .modinfo, or NULL. */
const char *module_get_modinfo(const struct load_info *info, const char *key);
/*
 * The next "key=" value after the one prev points at (NULL: the first),
 * or NULL: for keys that repeat, as parm= and parmtype= do (Linux's
 * get_next_modinfo()).
 */
const char *module_next_modinfo(const struct load_info *info, const char *key,
				const char *prev);

/* Which part of module memory section i goes to (enum mod_mem_type, or
 * MOD_MEM_NONE / MOD_MEM_PERCPU), as module_layout() places it. */
int module_section_part(const struct load_info *info, unsigned int i);

#endif
