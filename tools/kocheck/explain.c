/*
 * tools/kocheck/explain.c - kocheck --explain: the arithmetic of every
 * relocation of a module, with the numbers kocheck's layout gives.
 *
 * For each hole (x86-64 psABI section 4.4): the type, the symbol, S (its
 * final value), A (the addend), P (the hole's final address), the formula
 * (S + A, or S + A - P for the PC-relative types), the bytes stored and
 * whether they hold the value: a 32-bit field keeps the low 32 bits, and
 * the CPU sign-extends them back (32S, PC32) or zero-extends them (32).
 *
 * The arithmetic here is written apart from kernel/module/reloc.c on
 * purpose; after printing, the loader's own module_apply_relocations()
 * runs on the same buffers and every value is compared with what it
 * stored, so the explanation cannot drift from the loader.  A test
 * compares both with GNU ld (tests/host_check.py, kocheck_explain_tests).
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "kocheck.h"

struct explained {
	const char *where;	/* target section's name */
	uint64_t off;
	const void *loc;	/* where the loader will store it */
	unsigned int width;
	uint64_t value;
};

/* What readelf shows as the symbol: a section symbol by its section. */
static const char *symbol_name(const struct load_info *info, uint64_t symi)
{
	const Elf64_Sym *sym = &info->symtab[symi];

	if (symi == 0)
		return "(no symbol)";
	if (ELF64_ST_TYPE(sym->st_info) == STT_SECTION &&
	    sym->st_shndx != SHN_UNDEF && sym->st_shndx < info->hdr->e_shnum)
		return module_sec_name(info, sym->st_shndx);
	return info->strtab + sym->st_name;
}

/* "+0x13", "-0x4": an addend or a displacement as the signed number it is. */
static const char *signed_hex(int64_t v, char *buf, size_t n)
{
	uint64_t mag = v < 0 ? -(uint64_t)v : (uint64_t)v;

	snprintf(buf, n, "%c0x%" PRIx64, v < 0 ? '-' : '+', mag);
	return buf;
}

static void print_layout(FILE *out, const char *path,
			 const struct kocheck_load *ld, const char *kernel_path)
{
	const struct load_info *info = ld->info;
	unsigned int i;

	fprintf(out, "%s: module %s, relocated as kocheck lays it out:\n", path,
		info->name ? info->name : "(no name)");
	fprintf(out, "  core (text, rodata, data) at 0x%" PRIx64 ": MODULES_VADDR, the first address of the module area\n",
		ld->core_base);
	fprintf(out, "  init at 0x%" PRIx64 ": kocheck's stand-in for the init region\n",
		ld->init_base);
	if (ld->kernel)
		fprintf(out, "  .data..percpu at 0x%" PRIx64 ": the reserved per-CPU chunk's first byte in %s "
			"(__per_cpu_start 0x%" PRIx64 " + the static area, %" PRIu64 " bytes rounded up to 64), "
			"as the first module loaded gets it; CPU c's copy is this + __per_cpu_offset[c]\n",
			ld->pcpu_base, kernel_path, ld->kernel->per_cpu_start,
			ld->kernel->per_cpu_end - ld->kernel->per_cpu_start);
	else
		fprintf(out, "  .data..percpu at 0x%" PRIx64 ": kocheck's stand-in for the module's per-CPU base "
			"(give --kernel build/kernel.elf for the kernel's real one)\n",
			ld->pcpu_base);
	fprintf(out, "  undefined symbols: %s%s\n",
		ld->kernel ? "the kernel image's symbol table" : "",
		ld->resolve_any ? (ld->kernel ? ", the rest dummy addresses from 0xffffffff81000000"
				  : "dummy addresses from 0xffffffff81000000, 16 bytes apart") : "");
	for (i = 1; i < info->hdr->e_shnum; i++)
		if (ld->map[i].loaded)
			fprintf(out, "section %s 0x%" PRIx64 " %" PRIu64 "\n",
				module_sec_name(info, i), ld->map[i].addr,
				info->sechdrs[i].sh_size);
	for (i = 1; i < info->num_syms; i++) {
		const Elf64_Sym *sym = &info->symtab[i];
		uint64_t v;

		if (sym->st_shndx != SHN_UNDEF || !info->strtab[sym->st_name])
			continue;
		fprintf(out, "symbol %s 0x%" PRIx64 " %s\n", info->strtab + sym->st_name,
			ld->values[i],
			ld->kernel && kocheck_kernel_lookup(ld->kernel,
					info->strtab + sym->st_name, &v) == 0 ? "kernel" :
			ld->values[i] ? "dummy" : "weak-unresolved");
	}
}

/*
 * Print one relocation; fill *e with what the loader must store.  Returns
 * false when the value does not fit (the loader will refuse the module).
 */
static bool explain_one(FILE *out, const struct kocheck_load *ld,
			unsigned int target, const Elf64_Rela *r,
			struct explained *e)
{
	const struct load_info *info = ld->info;
	uint64_t type = ELF64_R_TYPE(r->r_info), symi = ELF64_R_SYM(r->r_info);
	uint64_t S = symi < info->num_syms ? ld->values[symi] : 0;
	uint64_t A = (uint64_t)r->r_addend;
	uint64_t P = ld->map[target].addr + r->r_offset;
	const char *name = module_rela_type_name(type), *formula;
	uint64_t value;
	bool pc, fits;
	char a[24], d[24];

	e->where = module_sec_name(info, target);
	e->off = r->r_offset;
	e->loc = (const char *)ld->map[target].buf + r->r_offset;
	e->width = 0;
	fprintf(out, "%s+0x%" PRIx64 ": ", e->where, e->off);
	if (!name) {
		fprintf(out, "type %" PRIu64 ": unknown, the loader refuses it\n", type);
		return false;
	}
	if (type == R_X86_64_NONE) {
		fprintf(out, "%s: nothing to do\n", name);
		return true;
	}
	if (symi >= info->num_syms) {
		fprintf(out, "%s symbol %" PRIu64 ": out of range\n", name, symi);
		return false;
	}
	pc = type == R_X86_64_PC32 || type == R_X86_64_PLT32 ||
	     type == R_X86_64_PC64;
	value = pc ? S + A - P : S + A;
	formula = pc ? "S+A-P" : "S+A";
	fprintf(out, "%s %s  S=0x%" PRIx64 " A=%s P=0x%" PRIx64 "  %s = 0x%" PRIx64,
		name, symbol_name(info, symi), S, signed_hex((int64_t)A, a, sizeof(a)),
		P, formula, value);
	if (pc)
		fprintf(out, " (%s)", signed_hex((int64_t)value, d, sizeof(d)));
	e->value = value;
	switch (type) {
	case R_X86_64_64:
	case R_X86_64_PC64:
		e->width = 8;
		fprintf(out, "  stored 0x%" PRIx64 " (8 bytes)\n", value);
		return true;
	case R_X86_64_32:
		e->width = 4;
		fits = value <= UINT32_MAX;
		fprintf(out, "  stored 0x%08" PRIx64 ": %s (zero-extends to 0x%" PRIx64 ")\n",
			value & UINT32_MAX, fits ? "fits" : "DOES NOT FIT",
			value & UINT32_MAX);
		return fits;
	default:		/* 32S, PC32, PLT32: sign-extended */
		e->width = 4;
		/* In [-2^31, 2^31) exactly when adding 2^31 lands in 32 bits. */
		fits = value + 0x80000000ULL <= UINT32_MAX;
		fprintf(out, "  stored 0x%08" PRIx64 ": %s (sign-extends to 0x%" PRIx64 "%s)\n",
			value & UINT32_MAX, fits ? "fits" : "DOES NOT FIT",
			(uint64_t)(int64_t)(int32_t)(uint32_t)value,
			fits ? (pc ? " = S+A-P" : " = S+A") : ", not the value");
		return fits;
	}
}

int kocheck_explain(const char *path, const void *image, size_t size,
		    size_t this_module_size, bool resolve_any,
		    const struct kocheck_kernel *kernel, const char *kernel_path,
		    const char *section, FILE *out, char *reason, size_t reason_size)
{
	struct kocheck_load ld = { .kernel = kernel, .resolve_any = resolve_any };
	struct explained *ex = NULL;
	const struct load_info *info;
	size_t n = 0, total = 0, i;
	unsigned int s;
	bool all_fit = true;
	const char *why;
	int err;

	err = kocheck_load_prepare(&ld, image, size, this_module_size, &why);
	if (err)
		goto out;
	info = ld.info;
	for (s = 1; s < info->hdr->e_shnum; s++)
		if (info->sechdrs[s].sh_type == SHT_RELA)
			total += info->sechdrs[s].sh_size / sizeof(Elf64_Rela);
	err = -ENOMEM;
	why = "out of memory";
	ex = calloc(total + 1, sizeof(*ex));
	if (!ex)
		goto out;
	print_layout(out, path, &ld, kernel_path);
	for (s = 1; s < info->hdr->e_shnum; s++) {
		const Elf64_Shdr *rs = &info->sechdrs[s];
		const Elf64_Rela *rel;
		uint64_t count, j;

		/* The ones the loader applies (module_apply_relocations()). */
		if (rs->sh_type != SHT_RELA || !ld.map[rs->sh_info].loaded)
			continue;
		if (section && strcmp(section, module_sec_name(info, s)) != 0 &&
		    strcmp(section, module_sec_name(info, rs->sh_info)) != 0)
			continue;
		rel = (const Elf64_Rela *)((const char *)info->hdr + rs->sh_offset);
		count = rs->sh_size / sizeof(*rel);
		fprintf(out, "relocations %s -> %s: %" PRIu64 "\n",
			module_sec_name(info, s),
			module_sec_name(info, rs->sh_info), count);
		for (j = 0; j < count; j++)
			all_fit &= explain_one(out, &ld, rs->sh_info, &rel[j], &ex[n++]);
	}
	if (section && n == 0) {
		err = -ENOENT;
		snprintf(reason, reason_size,
			 "no relocations the loader applies in section %s", section);
		goto out_free;
	}
	/* The loader itself, on the same buffers. */
	err = module_apply_relocations(ld.info, ld.map, ld.values, &why);
	if (err) {
		if (all_fit)
			snprintf(reason, reason_size,
				 "the loader refused what explain says fits: %s", why);
		else
			snprintf(reason, reason_size, "the loader refuses it too: %s", why);
		goto out_free;
	}
	if (!all_fit) {
		err = -EPROTO;
		snprintf(reason, reason_size,
			 "the loader accepted a value explain says does not fit");
		goto out_free;
	}
	for (i = 0; i < n; i++) {
		uint64_t stored = 0, want = ex[i].value;

		if (!ex[i].width)
			continue;
		memcpy(&stored, ex[i].loc, ex[i].width);
		if (ex[i].width == 4)
			want &= UINT32_MAX;
		if (stored != want) {
			err = -EPROTO;
			snprintf(reason, reason_size,
				 "at %s+0x%" PRIx64 " the loader stored 0x%" PRIx64 ", explain says 0x%" PRIx64,
				 ex[i].where, ex[i].off, stored, want);
			goto out_free;
		}
	}
	fprintf(out, "%s: %zu relocation%s explained; the loader's apply_relocate_add() stored the same values\n",
		path, n, n == 1 ? "" : "s");
out_free:
	free(ex);
	kocheck_load_free(&ld);
	return err;
out:
	if (err)
		snprintf(reason, reason_size, "%s", why);
	free(ex);
	kocheck_load_free(&ld);
	return err;
}
