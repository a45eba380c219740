/*
 * tools/kocheck/dump.c - kocheck --dump DIR: a module relocated by the
 * loader's own code, written out for an oracle to compare.
 *
 * kocheck lays the module out, places it and resolves its symbols as it
 * always does (kocheck_load_prepare(): module_layout(),
 * module_place_sections(), module_simplify_symbols()), relocates it with
 * module_apply_relocations(), and writes into DIR:
 *
 *	manifest	what an independent linker needs to do the same link:
 *			each loaded section's index, region, address, size
 *			and name; each undefined symbol's value; the
 *			relocation types and how many of each
 *	core.bin	the core region (text, rodata, data) after relocation
 *	init.bin	the init region
 *	percpu.bin	the per-CPU template (.data..percpu), relocated
 *	input.ko	the image the loader was given
 *
 * tools/ldoracle.py links input.ko with GNU ld at the manifest's
 * addresses and compares ld's bytes with these (docs/modules.md, "GNU ld
 * as an oracle").
 *
 * One liberty is taken with the image: a relocation of a type the loader
 * does not know is turned into R_X86_64_NONE before the loader runs, and
 * counted on an "unsupported" line, so that the rest of the module can
 * still be compared (the kernel refuses such a module whole).  input.ko
 * is the image after that change, so ld sees the same relocations.
 *
 * A module the loader refuses while relocating (a value that does not
 * fit, a hole outside its section) still gets its manifest, with a
 * "refused" line, so that the oracle can tell whether ld refuses it too.
 * One refused before (a malformed image, an unknown symbol) gets none.
 *
 * Manifest lines, fields separated by one space, a name always last and
 * written with \xNN for bytes outside '!'..'~' and for '\':
 *
 *	kocheck-dump 1
 *	module NAME
 *	region core|init|percpu 0xADDR SIZE FILE
 *	input FILE
 *	section INDEX core|init|percpu 0xADDR SIZE SH_TYPE NAME
 *	undefined 0xVALUE NAME
 *	relocations TYPE COUNT TYPENAME		(applied by the loader)
 *	unsupported TYPE COUNT			(turned into R_X86_64_NONE)
 *	refused REASON
 */
#include <errno.h>
#include <inttypes.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "kocheck.h"

/* How many relocations of one type a module has. */
struct type_count {
	uint64_t type;
	uint64_t count;
};

struct type_counts {
	struct type_count *at;
	size_t n, cap;
};

static int count_type(struct type_counts *tc, uint64_t type)
{
	size_t i;

	for (i = 0; i < tc->n; i++)
		if (tc->at[i].type == type) {
			tc->at[i].count++;
			return 0;
		}
	if (tc->n == tc->cap) {
		size_t cap = tc->cap ? 2 * tc->cap : 16;
		struct type_count *at = realloc(tc->at, cap * sizeof(*at));

		if (!at)
			return -ENOMEM;
		tc->at = at;
		tc->cap = cap;
	}
	tc->at[tc->n].type = type;
	tc->at[tc->n].count = 1;
	tc->n++;
	return 0;
}

static int by_type(const void *a, const void *b)
{
	const struct type_count *x = a, *y = b;

	return x->type < y->type ? -1 : x->type > y->type;
}

/*
 * Count the relocations of every section the loader applies, by type,
 * and turn those of a type it does not know into R_X86_64_NONE (copy is
 * the image ld->info reads, ours to change).
 */
static int neutralise_unknown(struct kocheck_load *ld, void *copy,
			      struct type_counts *known,
			      struct type_counts *unknown)
{
	const struct load_info *info = ld->info;
	unsigned int s;

	for (s = 1; s < info->hdr->e_shnum; s++) {
		const Elf64_Shdr *rs = &info->sechdrs[s];
		Elf64_Rela *rel;
		uint64_t n, j;

		if (rs->sh_type != SHT_RELA || !ld->map[rs->sh_info].loaded)
			continue;
		rel = (Elf64_Rela *)((char *)copy + rs->sh_offset);
		n = rs->sh_size / sizeof(*rel);
		for (j = 0; j < n; j++) {
			uint64_t type = ELF64_R_TYPE(rel[j].r_info);

			if (module_rela_type_name(type)) {
				if (count_type(known, type))
					return -ENOMEM;
				continue;
			}
			if (count_type(unknown, type))
				return -ENOMEM;
			rel[j].r_info = ELF64_R_INFO(ELF64_R_SYM(rel[j].r_info),
						     R_X86_64_NONE);
		}
	}
	/* (qsort() may not be given the NULL of an empty list.) */
	if (known->n > 1)
		qsort(known->at, known->n, sizeof(*known->at), by_type);
	if (unknown->n > 1)
		qsort(unknown->at, unknown->n, sizeof(*unknown->at), by_type);
	return 0;
}

/* A name as the manifest writes it: one field, whatever its bytes. */
static void put_name(FILE *f, const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c <= ' ' || c > '~' || c == '\\')
			fprintf(f, "\\x%02x", c);
		else
			fputc(c, f);
	}
}

static int write_file(const char *dir, const char *name, const void *buf,
		      size_t size)
{
	char path[PATH_MAX];
	FILE *f;
	int err = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f)
		return -errno;
	if (size && fwrite(buf, 1, size, f) != size)
		err = -EIO;
	if (fclose(f) != 0 && !err)
		err = -EIO;
	return err;
}

static const char *region_of(const struct kocheck_load *ld, unsigned int i)
{
	int part = ld->layout.place[i].mem;

	if (part == MOD_MEM_PERCPU)
		return "percpu";
	return mod_mem_is_init(part) ? "init" : "core";
}

static int write_manifest(const char *dir, const struct kocheck_load *ld,
			  const struct type_counts *known,
			  const struct type_counts *unknown,
			  const char *refused)
{
	const struct load_info *info = ld->info;
	char path[PATH_MAX];
	unsigned int i;
	size_t t;
	FILE *f;

	snprintf(path, sizeof(path), "%s/manifest", dir);
	f = fopen(path, "w");
	if (!f)
		return -errno;
	fprintf(f, "kocheck-dump 1\nmodule ");
	put_name(f, info->name);
	fprintf(f, "\nregion core 0x%" PRIx64 " %" PRIu64 " core.bin\n",
		ld->core_base, ld->layout.core_size);
	fprintf(f, "region init 0x%" PRIx64 " %" PRIu64 " init.bin\n",
		ld->init_base, ld->layout.init_size);
	fprintf(f, "region percpu 0x%" PRIx64 " %" PRIu64 " percpu.bin\n",
		ld->pcpu_base, ld->layout.percpu_size);
	fprintf(f, "input input.ko\n");
	for (i = 1; i < info->hdr->e_shnum; i++) {
		if (!ld->map[i].loaded)
			continue;
		fprintf(f, "section %u %s 0x%" PRIx64 " %" PRIu64 " %u ", i,
			region_of(ld, i), ld->map[i].addr,
			info->sechdrs[i].sh_size, info->sechdrs[i].sh_type);
		put_name(f, module_sec_name(info, i));
		fputc('\n', f);
	}
	for (i = 1; i < info->num_syms; i++) {
		const Elf64_Sym *sym = &info->symtab[i];

		if (sym->st_shndx != SHN_UNDEF || !info->strtab[sym->st_name])
			continue;
		fprintf(f, "undefined 0x%" PRIx64 " ", ld->values[i]);
		put_name(f, info->strtab + sym->st_name);
		fputc('\n', f);
	}
	for (t = 0; t < known->n; t++)
		fprintf(f, "relocations %" PRIu64 " %" PRIu64 " %s\n",
			known->at[t].type, known->at[t].count,
			module_rela_type_name(known->at[t].type));
	for (t = 0; t < unknown->n; t++)
		fprintf(f, "unsupported %" PRIu64 " %" PRIu64 "\n",
			unknown->at[t].type, unknown->at[t].count);
	if (refused)
		fprintf(f, "refused %s\n", refused);
	return fclose(f) == 0 ? 0 : -EIO;
}

int kocheck_dump(const void *image, size_t size, size_t this_module_size,
		 bool resolve_any, const struct kocheck_kernel *kernel,
		 const char *dir, char *reason, size_t reason_size)
{
	struct kocheck_load ld = { .kernel = kernel, .resolve_any = resolve_any };
	struct type_counts known = { 0 }, unknown = { 0 };
	char refused[256] = "";
	const char *why;
	void *copy;
	int err, relocated;

	copy = malloc(size ? size : 1);	/* malloc's alignment: 16 */
	if (!copy) {
		snprintf(reason, reason_size, "out of memory");
		return -ENOMEM;
	}
	memcpy(copy, image, size);
	err = kocheck_load_prepare(&ld, copy, size, this_module_size, &why);
	if (err) {
		snprintf(reason, reason_size, "%s", why);
		goto out;
	}
	err = neutralise_unknown(&ld, copy, &known, &unknown);
	if (err) {
		snprintf(reason, reason_size, "out of memory");
		goto out;
	}
	relocated = module_apply_relocations(ld.info, ld.map, ld.values, &why);
	/* why may point into the load_info: copy it now. */
	if (relocated)
		snprintf(refused, sizeof(refused), "%s", why);
	if (mkdir(dir, 0777) != 0 && errno != EEXIST) {
		err = -errno;
		snprintf(reason, reason_size, "cannot make %s: %s", dir,
			 strerror(errno));
		goto out;
	}
	err = write_file(dir, "input.ko", copy, size);
	if (!err)
		err = write_file(dir, "core.bin", ld.core, ld.layout.core_size);
	if (!err)
		err = write_file(dir, "init.bin", ld.init, ld.layout.init_size);
	if (!err)
		err = write_file(dir, "percpu.bin", ld.pcpu, ld.layout.percpu_size);
	if (!err)
		err = write_manifest(dir, &ld, &known, &unknown,
				     relocated ? refused : NULL);
	if (err) {
		snprintf(reason, reason_size, "cannot write into %s: %s", dir,
			 strerror(-err));
		goto out;
	}
	err = relocated;
	if (err)
		snprintf(reason, reason_size, "%s", refused);
out:
	free(unknown.at);
	free(known.at);
	kocheck_load_free(&ld);
	free(copy);
	return err;
}
