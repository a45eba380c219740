/*
 * tools/kocheck/kocheck.c - the loader's pure steps, as the kernel's
 * load_module() runs them, on the host: module_elf_check(),
 * module_layout(), module_place_sections(), module_simplify_symbols(),
 * module_apply_relocations() (kernel/module/elf.c, reloc.c).
 *
 * Module memory is a calloc'd buffer standing at the addresses a module
 * would get in the kernel's module area (MODULES_VADDR, in the top 2 GiB
 * so -mcmodel=kernel relocations fit), and the per-CPU base an address
 * nearby, or with a kernel image (kocheck --kernel) the start of that
 * kernel's reserved per-CPU chunk.  Undefined symbols come from the
 * kernel image's symbol table, or get distinct dummy addresses in the
 * kernel's text range when resolve_any is set.
 */
#include <errno.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/module.h>

#include "kocheck.h"
#include "../../kernel/module/elf.c"
#include "../../kernel/module/reloc.c"

/* mm/percpu-layout.c: the static area is rounded up to this. */
#define KOCHECK_PCPU_STATIC_ALIGN	64

int kocheck_kernel_read(const void *image, size_t size,
			struct kocheck_kernel *k, char *why, size_t n)
{
	const Elf64_Ehdr *hdr = image;
	const Elf64_Shdr *sh, *symtab = NULL, *strtab;
	unsigned int i;

	memset(k, 0, sizeof(*k));
	if (size < sizeof(*hdr) || memcmp(hdr->e_ident, ELFMAG, SELFMAG) != 0 ||
	    hdr->e_ident[EI_CLASS] != ELFCLASS64 ||
	    hdr->e_shentsize != sizeof(Elf64_Shdr) || hdr->e_shoff > size ||
	    (size - hdr->e_shoff) / sizeof(Elf64_Shdr) < hdr->e_shnum) {
		snprintf(why, n, "not an ELF64 image with a section table");
		return -ENOEXEC;
	}
	sh = (const Elf64_Shdr *)((const char *)image + hdr->e_shoff);
	for (i = 0; i < hdr->e_shnum; i++)
		if (sh[i].sh_type == SHT_SYMTAB)
			symtab = &sh[i];
	if (!symtab || symtab->sh_link >= hdr->e_shnum) {
		snprintf(why, n, "no symbol table (stripped?)");
		return -ENOEXEC;
	}
	strtab = &sh[symtab->sh_link];
	if (symtab->sh_offset > size || symtab->sh_size > size - symtab->sh_offset ||
	    strtab->sh_offset > size || strtab->sh_size > size - strtab->sh_offset ||
	    strtab->sh_size == 0 || symtab->sh_offset % 8) {
		snprintf(why, n, "symbol or string table outside the file");
		return -ENOEXEC;
	}
	k->syms = (const Elf64_Sym *)((const char *)image + symtab->sh_offset);
	k->num_syms = symtab->sh_size / sizeof(Elf64_Sym);
	k->strtab = (const char *)image + strtab->sh_offset;
	k->strtab_size = strtab->sh_size;
	if (k->strtab[k->strtab_size - 1] != '\0') {
		snprintf(why, n, "string table not NUL-terminated");
		return -ENOEXEC;
	}
	if (kocheck_kernel_lookup(k, "__per_cpu_start", &k->per_cpu_start) ||
	    kocheck_kernel_lookup(k, "__per_cpu_end", &k->per_cpu_end) ||
	    k->per_cpu_end < k->per_cpu_start) {
		snprintf(why, n, "no __per_cpu_start/__per_cpu_end: not our kernel?");
		return -ENOEXEC;
	}
	return 0;
}

int kocheck_kernel_lookup(const struct kocheck_kernel *k, const char *name,
			  uint64_t *value)
{
	size_t i;

	for (i = 1; i < k->num_syms; i++) {
		const Elf64_Sym *s = &k->syms[i];
		unsigned int bind = ELF64_ST_BIND(s->st_info);

		if (s->st_shndx == SHN_UNDEF || s->st_name >= k->strtab_size ||
		    (bind != STB_GLOBAL && bind != STB_WEAK))
			continue;
		if (strcmp(k->strtab + s->st_name, name) == 0) {
			*value = s->st_value;
			return 0;
		}
	}
	return -ENOENT;
}

static int resolve(void *ctx, const char *name, uint64_t *value)
{
	struct kocheck_load *ld = ctx;

	if (ld->kernel && kocheck_kernel_lookup(ld->kernel, name, value) == 0)
		return 0;
	if (!ld->resolve_any)
		return -ENOENT;
	*value = KOCHECK_SYMBOL_BASE + ld->next_dummy;
	ld->next_dummy = (ld->next_dummy + 16) % (16UL << 20);
	return 0;
}

size_t kocheck_this_module_size(void)
{
	/* The same header the kernel and the modules compile against; the
	 * host's x86-64 ABI lays the struct out as the kernel's does. */
	return sizeof(struct module);
}

int kocheck_load_prepare(struct kocheck_load *ld, const void *image,
			 size_t size, size_t this_module_size,
			 const char **why)
{
	struct load_info *info;
	int err;

	*why = "out of memory";
	info = ld->info = calloc(1, sizeof(*info));
	if (!info)
		return -ENOMEM;
	err = module_elf_check(image, size, this_module_size, info, why);
	if (err)
		return err;
	*why = "out of memory";
	ld->layout.place = calloc(info->hdr->e_shnum, sizeof(*ld->layout.place));
	ld->map = calloc(info->hdr->e_shnum, sizeof(*ld->map));
	ld->values = calloc(info->num_syms, sizeof(*ld->values));
	if (!ld->layout.place || !ld->map || !ld->values)
		return -ENOMEM;
	err = module_layout(info, &ld->layout, why);
	if (err)
		return err;
	*why = "out of memory";
	ld->core = calloc(1, ld->layout.core_size + 1);
	ld->init = calloc(1, ld->layout.init_size + 1);
	ld->pcpu = calloc(1, ld->layout.percpu_size + 1);
	if (!ld->core || !ld->init || !ld->pcpu)
		return -ENOMEM;
	ld->core_base = KOCHECK_CORE_BASE;
	ld->init_base = KOCHECK_INIT_BASE;
	ld->pcpu_base = KOCHECK_PCPU_BASE;
	if (ld->kernel) {
		uint64_t reserved = ld->kernel->per_cpu_start +
			ALIGN_UP(ld->kernel->per_cpu_end - ld->kernel->per_cpu_start,
				 (uint64_t)KOCHECK_PCPU_STATIC_ALIGN);

		ld->pcpu_base = ld->layout.percpu_align ?
			ALIGN_UP(reserved, ld->layout.percpu_align) : reserved;
	}
	module_place_sections(info, &ld->layout, ld->core_base, ld->core,
			      ld->init_base, ld->init, ld->pcpu_base, ld->pcpu,
			      ld->map);
	return module_simplify_symbols(info, ld->map, resolve, ld, ld->values,
				       why);
}

void kocheck_load_free(struct kocheck_load *ld)
{
	free(ld->pcpu);
	free(ld->init);
	free(ld->core);
	free(ld->values);
	free(ld->map);
	free(ld->layout.place);
	free(ld->info);
	ld->info = NULL;
}

int kocheck_image_with(const void *image, size_t size, size_t this_module_size,
		       bool resolve_any, const struct kocheck_kernel *kernel,
		       char *reason, size_t reason_size)
{
	struct kocheck_load ld = { .kernel = kernel, .resolve_any = resolve_any };
	const char *why;
	int err;

	err = kocheck_load_prepare(&ld, image, size, this_module_size, &why);
	if (!err)
		err = module_apply_relocations(ld.info, ld.map, ld.values, &why);
	/* why may point into the load_info: copy it before freeing. */
	if (err)
		snprintf(reason, reason_size, "%s", why);
	kocheck_load_free(&ld);
	return err;
}

int kocheck_image(const void *image, size_t size, size_t this_module_size,
		  bool resolve_any, char *reason, size_t reason_size)
{
	return kocheck_image_with(image, size, this_module_size, resolve_any,
				  NULL, reason, reason_size);
}
