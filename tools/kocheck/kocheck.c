/*
 * tools/kocheck/kocheck.c - the loader's pure steps, as the kernel's
 * load_module() runs them, on the host: module_elf_check(),
 * module_layout(), module_place_sections(), module_simplify_symbols(),
 * module_apply_relocations() (kernel/module/elf.c, reloc.c).
 *
 * Module memory is a calloc'd buffer standing at the addresses a module
 * would get in the kernel's module area (MODULES_VADDR-like, in the top
 * 2 GiB so -mcmodel=kernel relocations fit), and the per-CPU base an
 * address nearby.  Unresolved symbols get distinct dummy addresses in the
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

#define DUMMY_CORE_BASE		0xffffffffa0000000ULL
#define DUMMY_INIT_BASE		0xffffffffb0000000ULL
#define DUMMY_PCPU_BASE		0xffffffff82000000ULL
#define DUMMY_SYMBOL_BASE	0xffffffff81000000ULL

struct resolver {
	bool resolve_any;
	uint64_t next;
};

static int resolve_dummy(void *ctx, const char *name, uint64_t *value)
{
	struct resolver *r = ctx;

	(void)name;
	if (!r->resolve_any)
		return -ENOENT;
	*value = DUMMY_SYMBOL_BASE + r->next;
	r->next = (r->next + 16) % (16UL << 20);
	return 0;
}

size_t kocheck_this_module_size(void)
{
	/* The same header the kernel and the modules compile against; the
	 * host's x86-64 ABI lays the struct out as the kernel's does. */
	return sizeof(struct module);
}

int kocheck_image(const void *image, size_t size, size_t this_module_size,
		  bool resolve_any, char *reason, size_t reason_size)
{
	struct load_info *info = calloc(1, sizeof(*info));
	struct module_layout_result layout;
	struct module_sec_map *map = NULL;
	struct resolver res = { .resolve_any = resolve_any };
	void *core = NULL, *init = NULL, *pcpu = NULL;
	uint64_t *values = NULL;
	const char *why = "out of memory";
	int err = -ENOMEM;

	if (!info)
		goto out;
	err = module_elf_check(image, size, this_module_size, info, &why);
	if (err)
		goto out;
	err = -ENOMEM;
	why = "out of memory";
	layout.place = calloc(info->hdr->e_shnum, sizeof(*layout.place));
	map = calloc(info->hdr->e_shnum, sizeof(*map));
	values = calloc(info->num_syms, sizeof(*values));
	if (!layout.place || !map || !values)
		goto out_layout;
	err = module_layout(info, &layout, &why);
	if (err)
		goto out_layout;
	err = -ENOMEM;
	core = calloc(1, layout.core_size + 1);
	init = calloc(1, layout.init_size + 1);
	pcpu = calloc(1, layout.percpu_size + 1);
	if (!core || !init || !pcpu)
		goto out_mem;
	module_place_sections(info, &layout, DUMMY_CORE_BASE, core,
			      DUMMY_INIT_BASE, init, DUMMY_PCPU_BASE, pcpu, map);
	err = module_simplify_symbols(info, map, resolve_dummy, &res, values, &why);
	if (!err)
		err = module_apply_relocations(info, map, values, &why);
out_mem:
	free(pcpu);
	free(init);
	free(core);
out_layout:
	free(values);
	free(map);
	free(layout.place);
out:
	if (err)
		snprintf(reason, reason_size, "%s", why);
	free(info);
	return err;
}
