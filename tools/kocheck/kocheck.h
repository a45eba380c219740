/*
 * tools/kocheck/kocheck.h - run the loader's pure steps on one image.
 *
 * Shared by tools/kocheck/main.c (the command), tools/kocheck/explain.c
 * (kocheck --explain), tools/kocheck/dump.c (kocheck --dump) and
 * tests/fuzz/fuzz_module.c (the libFuzzer
 * target), so the fuzzer exercises exactly what kocheck and the kernel
 * run.
 */
#ifndef KOCHECK_H
#define KOCHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <kernel/module_elf.h>

/* Where kocheck puts a module when no kernel image is given (kocheck.c):
 * module-area-like addresses in the top 2 GiB, so -mcmodel=kernel
 * relocations fit, and dummy addresses for undefined symbols. */
#define KOCHECK_CORE_BASE	0xffffffffa0000000ULL	/* = MODULES_VADDR */
#define KOCHECK_INIT_BASE	0xffffffffb0000000ULL
#define KOCHECK_PCPU_BASE	0xffffffff82000000ULL
#define KOCHECK_SYMBOL_BASE	0xffffffff81000000ULL	/* 16 bytes apart */

/* sizeof(struct module) (include/kernel/module.h): the descriptor size
 * the kernel expects, and kocheck's default. */
size_t kocheck_this_module_size(void);

/*
 * The symbol table of a linked kernel image (build/kernel.elf), to
 * resolve a module's undefined symbols to the kernel's real addresses
 * and to find the kernel's per-CPU template (__per_cpu_start/_end).
 * The image must stay allocated while the table is used.
 */
struct kocheck_kernel {
	const Elf64_Sym *syms;
	size_t num_syms;
	const char *strtab;
	size_t strtab_size;
	uint64_t per_cpu_start, per_cpu_end;
};

/* 0, or -ENOEXEC with why[0..n) saying what is wrong with the image. */
int kocheck_kernel_read(const void *image, size_t size,
			struct kocheck_kernel *k, char *why, size_t n);
/* The value of a defined global (or weak) symbol name: 0 or -ENOENT. */
int kocheck_kernel_lookup(const struct kocheck_kernel *k, const char *name,
			  uint64_t *value);

/*
 * One module laid out, placed and with its symbols resolved, up to just
 * before relocation: what load_module() has at apply_relocations().
 */
struct kocheck_load {
	struct load_info *info;
	struct module_layout_result layout;
	struct module_sec_map *map;	/* per section */
	uint64_t *values;		/* per symbol: S */
	void *core, *init, *pcpu;	/* the buffers standing at ... */
	uint64_t core_base, init_base, pcpu_base;	/* ... these addresses */
	const struct kocheck_kernel *kernel;	/* NULL: dummies only */
	bool resolve_any;
	uint64_t next_dummy;
};

/*
 * Check, lay out, place and resolve image[0..size) into *ld (zeroed by
 * the caller except kernel and resolve_any).  With a kernel, the core
 * region stands at MODULES_VADDR and .data..percpu at the first byte of
 * the kernel's reserved per-CPU chunk (in template space: after the
 * kernel's template, rounded up to 64 as mm/percpu-layout.c does, then
 * to the module's alignment), as the first module loaded would get them;
 * without one, at the KOCHECK_* addresses.  Undefined symbols come from
 * the kernel, else (resolve_any) from the dummies.  Returns 0 or a
 * negative errno with *why set; call kocheck_load_free() either way.
 */
int kocheck_load_prepare(struct kocheck_load *ld, const void *image,
			 size_t size, size_t this_module_size,
			 const char **why);
void kocheck_load_free(struct kocheck_load *ld);

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
/* The same, resolving from a kernel image first (kocheck --kernel). */
int kocheck_image_with(const void *image, size_t size, size_t this_module_size,
		       bool resolve_any, const struct kocheck_kernel *kernel,
		       char *reason, size_t reason_size);

/*
 * kocheck --explain (explain.c): print, for every relocation the loader
 * applies (or those of one section: its name or its .rela name), the
 * type, the symbol, S, A, P, the formula, the value stored and whether it
 * fits; then apply them with the loader's own module_apply_relocations()
 * and check it stored exactly those values.  Returns 0, or a negative
 * errno with the reason in reason[0..reason_size).
 */
int kocheck_explain(const char *path, const void *image, size_t size,
		    size_t this_module_size, bool resolve_any,
		    const struct kocheck_kernel *kernel, const char *kernel_path,
		    const char *section, FILE *out, char *reason,
		    size_t reason_size);

/*
 * kocheck --dump DIR (dump.c): check, lay out, resolve and relocate the
 * module with the loader's own code, as kocheck_image_with() does, and
 * write the result into the folder dir (made if missing): the manifest
 * (every loaded section's address, every undefined symbol's value, the
 * relocation types), the relocated regions core.bin, init.bin and
 * percpu.bin, and input.ko, the image relocated.  Relocations of a type
 * the loader does not know become R_X86_64_NONE first (in input.ko too),
 * listed as unsupported.  Returns 0, or a negative errno with the reason
 * in reason[0..reason_size); refused while relocating, the folder is
 * written all the same, its manifest saying why.
 */
int kocheck_dump(const void *image, size_t size, size_t this_module_size,
		 bool resolve_any, const struct kocheck_kernel *kernel,
		 const char *dir, char *reason, size_t reason_size);

#endif
