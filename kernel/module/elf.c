/*
 * kernel/module/elf.c - check a module's ELF image and lay out its
 * sections.
 *
 * A module arrives as bytes someone else built: an ELF64 relocatable
 * object (System V gABI "Object Files"; x86-64 psABI chapter 4).  Before
 * the loader reads any field as an offset, index or size,
 * module_elf_check() proves it stays inside the image: the same checks,
 * in the same order, as Linux's elf_validity_check() and its helpers in
 * kernel/module/main.c (6.x), plus a few of its later steps
 * (module_enforce_rwx_sections(), find_pcpusec(), the .modinfo and
 * this_module checks).  Each refusal is one line naming the check and,
 * where there is one, the section or symbol index.
 *
 * module_layout() is Linux's layout_sections(): every SHF_ALLOC section
 * goes to text, read-only data or data, in the core part or (names
 * starting ".init") the init part, each part starting on a page so the
 * glue can give it its own page permissions.  .data..percpu is not laid
 * out: its size and alignment are what the per-CPU allocator is asked
 * for.
 *
 * Pure code: the image is never written; no kernel globals; compiled into
 * the kernel, tests/host/test_module_elf.c, tools/kocheck and the fuzzer.
 * Simplifications: no SHN_XINDEX (more than 65279 sections), no
 * __versions (no modversions), no ro_after_init part, alignment above a
 * page is refused instead of honoured.
 */
#include <kernel/module_elf.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/string.h>

#define THIS_MODULE_SECTION	".gnu.linkonce.this_module"
#define MODINFO_SECTION		".modinfo"
#define PERCPU_SECTION		".data..percpu"

/* Every check here refuses a malformed image, and that is -ENOEXEC. */
#define refuse(info, reason, ...) \
	module_refuse(info, reason, -ENOEXEC, __VA_ARGS__)

/* [off, off + size) inside [0, len), with no sum that can wrap. */
static bool range_ok(uint64_t off, uint64_t size, uint64_t len)
{
	return off <= len && size <= len - off;
}

static bool is_pow2(uint64_t x)
{
	return x && !(x & (x - 1));
}

static bool starts_with(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* The header: Linux's elf_validity_ehdr(). */
static int check_ehdr(struct load_info *info, const char **reason)
{
	const Elf64_Ehdr *hdr = info->hdr;

	if (info->len < sizeof(*hdr))
		return refuse(info, reason,
			      "ELF header: file is %zu bytes, smaller than the %zu-byte header",
			      info->len, sizeof(*hdr));
	if (memcmp(hdr->e_ident, ELFMAG, SELFMAG) != 0)
		return refuse(info, reason, "ELF header: bad magic (not an ELF file)");
	if (hdr->e_ident[EI_CLASS] != ELFCLASS64)
		return refuse(info, reason,
			      "ELF header: class %u is not ELFCLASS64",
			      hdr->e_ident[EI_CLASS]);
	if (hdr->e_ident[EI_DATA] != ELFDATA2LSB)
		return refuse(info, reason,
			      "ELF header: data encoding %u is not ELFDATA2LSB",
			      hdr->e_ident[EI_DATA]);
	if (hdr->e_ident[EI_VERSION] != EV_CURRENT || hdr->e_version != EV_CURRENT)
		return refuse(info, reason,
			      "ELF header: version %u/%u is not EV_CURRENT",
			      hdr->e_ident[EI_VERSION], hdr->e_version);
	if (hdr->e_type != ET_REL)
		return refuse(info, reason,
			      "ELF header: type %u is not ET_REL (a relocatable object)",
			      hdr->e_type);
	if (hdr->e_machine != EM_X86_64)
		return refuse(info, reason,
			      "ELF header: machine %u is not EM_X86_64",
			      hdr->e_machine);
	if (hdr->e_shentsize != sizeof(Elf64_Shdr))
		return refuse(info, reason,
			      "ELF header: e_shentsize %u is not %zu",
			      hdr->e_shentsize, sizeof(Elf64_Shdr));
	if (hdr->e_shnum == 0)
		return refuse(info, reason, "ELF header: no section headers");
	if (hdr->e_shnum >= SHN_LORESERVE)
		return refuse(info, reason,
			      "ELF header: %u sections (extended numbering unsupported)",
			      hdr->e_shnum);
	/* The table is read as an array of structures: it must be aligned. */
	if (hdr->e_shoff % 8)
		return refuse(info, reason,
			      "ELF header: section header table offset %#llx not 8-byte aligned",
			      (unsigned long long)hdr->e_shoff);
	if (!range_ok(hdr->e_shoff, (uint64_t)hdr->e_shnum * sizeof(Elf64_Shdr),
		      info->len))
		return refuse(info, reason,
			      "ELF header: section header table (offset %#llx, %u entries) past the end of the %zu-byte file",
			      (unsigned long long)hdr->e_shoff, hdr->e_shnum,
			      info->len);
	return 0;
}

/* Every section's bytes inside the file; sane alignment and flags. */
static int check_sections(struct load_info *info, const char **reason)
{
	unsigned int i;
	const Elf64_Shdr *s = &info->sechdrs[0];

	if (s->sh_type != SHT_NULL || s->sh_size != 0 || s->sh_addr != 0)
		return refuse(info, reason, "section 0: not an empty SHT_NULL section");

	for (i = 1; i < info->hdr->e_shnum; i++) {
		s = &info->sechdrs[i];
		if (s->sh_type != SHT_NOBITS &&
		    !range_ok(s->sh_offset, s->sh_size, info->len))
			return refuse(info, reason,
				      "section %u: offset %#llx size %#llx past the end of the %zu-byte file",
				      i, (unsigned long long)s->sh_offset,
				      (unsigned long long)s->sh_size, info->len);
		if (s->sh_addralign > 1 && !is_pow2(s->sh_addralign))
			return refuse(info, reason,
				      "section %u: alignment %llu is not a power of two",
				      i, (unsigned long long)s->sh_addralign);
		/* Linux's module_enforce_rwx_sections(). */
		if ((s->sh_flags & (SHF_WRITE | SHF_EXECINSTR)) ==
		    (SHF_WRITE | SHF_EXECINSTR))
			return refuse(info, reason,
				      "section %u: both writable and executable",
				      i);
	}
	return 0;
}

/* A string table: present, in the file and ending in NUL. */
static int check_strtab(struct load_info *info, unsigned int i,
			const char *what, const char **reason)
{
	const Elf64_Shdr *s = &info->sechdrs[i];
	const char *base = (const char *)info->hdr;

	if (s->sh_type != SHT_STRTAB)
		return refuse(info, reason, "%s (section %u): type %u is not SHT_STRTAB",
			      what, i, s->sh_type);
	if (s->sh_size == 0 || base[s->sh_offset + s->sh_size - 1] != '\0')
		return refuse(info, reason, "%s (section %u): not NUL-terminated",
			      what, i);
	return 0;
}

static int check_secstrings(struct load_info *info, const char **reason)
{
	unsigned int i, shstrndx = info->hdr->e_shstrndx;
	const Elf64_Shdr *s;
	int err;

	if (shstrndx == SHN_UNDEF || shstrndx >= info->hdr->e_shnum)
		return refuse(info, reason,
			      "e_shstrndx %u out of range (%u sections)",
			      shstrndx, info->hdr->e_shnum);
	err = check_strtab(info, shstrndx, "section name table", reason);
	if (err)
		return err;
	s = &info->sechdrs[shstrndx];
	info->secstrings = (const char *)info->hdr + s->sh_offset;
	for (i = 0; i < info->hdr->e_shnum; i++)
		if (info->sechdrs[i].sh_name >= s->sh_size)
			return refuse(info, reason,
				      "section %u: name offset %u past the name table (%llu bytes)",
				      i, info->sechdrs[i].sh_name,
				      (unsigned long long)s->sh_size);
	return 0;
}

/* Exactly one symbol table, its string table and every symbol in range. */
static int check_symtab(struct load_info *info, const char **reason)
{
	unsigned int i, shnum = info->hdr->e_shnum;
	const Elf64_Shdr *s;
	int err;

	for (i = 1; i < shnum; i++) {
		if (info->sechdrs[i].sh_type != SHT_SYMTAB)
			continue;
		if (info->index.sym)
			return refuse(info, reason,
				      "sections %u and %u: more than one symbol table",
				      info->index.sym, i);
		info->index.sym = i;
	}
	if (!info->index.sym)
		return refuse(info, reason, "no symbol table (module stripped?)");
	s = &info->sechdrs[info->index.sym];
	if (s->sh_entsize != sizeof(Elf64_Sym))
		return refuse(info, reason,
			      "symbol table (section %u): entry size %llu is not %zu",
			      info->index.sym, (unsigned long long)s->sh_entsize,
			      sizeof(Elf64_Sym));
	if (s->sh_size % sizeof(Elf64_Sym) || s->sh_offset % 8)
		return refuse(info, reason,
			      "symbol table (section %u): size or offset not a multiple of the entry",
			      info->index.sym);
	if (s->sh_size == 0)
		return refuse(info, reason, "symbol table (section %u): empty",
			      info->index.sym);
	if (s->sh_link == SHN_UNDEF || s->sh_link >= shnum)
		return refuse(info, reason,
			      "symbol table (section %u): string table link %u out of range",
			      info->index.sym, s->sh_link);
	err = check_strtab(info, s->sh_link, "symbol string table", reason);
	if (err)
		return err;
	info->index.str = s->sh_link;
	info->symtab = (const Elf64_Sym *)((const char *)info->hdr + s->sh_offset);
	info->num_syms = s->sh_size / sizeof(Elf64_Sym);
	info->strtab = (const char *)info->hdr + info->sechdrs[s->sh_link].sh_offset;
	info->strtab_size = info->sechdrs[s->sh_link].sh_size;

	/* Symbol 0 too: relocations may name it, so its index is used. */
	for (i = 0; i < info->num_syms; i++) {
		const Elf64_Sym *sym = &info->symtab[i];

		if (sym->st_name >= info->strtab_size)
			return refuse(info, reason,
				      "symbol %u: name offset %u past the string table",
				      i, sym->st_name);
		if (sym->st_shndx == SHN_UNDEF || sym->st_shndx == SHN_ABS ||
		    sym->st_shndx == SHN_COMMON)
			continue;	/* COMMON: module_simplify_symbols() */
		if (sym->st_shndx >= SHN_LORESERVE)
			return refuse(info, reason,
				      "symbol %u (%s): reserved section index %#x",
				      i, info->strtab + sym->st_name, sym->st_shndx);
		if (sym->st_shndx >= shnum)
			return refuse(info, reason,
				      "symbol %u (%s): section index %u out of range (%u sections)",
				      i, info->strtab + sym->st_name,
				      sym->st_shndx, shnum);
	}
	return 0;
}

/* Relocation sections: RELA only, linked to the symtab, aimed at a section. */
static int check_relocs(struct load_info *info, const char **reason)
{
	unsigned int i, shnum = info->hdr->e_shnum;

	for (i = 1; i < shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];

		if (s->sh_type == SHT_REL)
			return refuse(info, reason,
				      "section %u (%s): SHT_REL relocations are not used on x86-64",
				      i, module_sec_name(info, i));
		if (s->sh_type != SHT_RELA)
			continue;
		if (s->sh_entsize != sizeof(Elf64_Rela) ||
		    s->sh_size % sizeof(Elf64_Rela) || s->sh_offset % 8)
			return refuse(info, reason,
				      "section %u (%s): relocation entry size %llu is not %zu",
				      i, module_sec_name(info, i),
				      (unsigned long long)s->sh_entsize,
				      sizeof(Elf64_Rela));
		if (s->sh_link != info->index.sym)
			return refuse(info, reason,
				      "section %u (%s): relocations link to section %u, not the symbol table (%u)",
				      i, module_sec_name(info, i), s->sh_link,
				      info->index.sym);
		if (s->sh_info == SHN_UNDEF || s->sh_info >= shnum)
			return refuse(info, reason,
				      "section %u (%s): relocated section %u out of range",
				      i, module_sec_name(info, i), s->sh_info);
		if (info->sechdrs[s->sh_info].sh_type == SHT_NOBITS &&
		    (info->sechdrs[s->sh_info].sh_flags & SHF_ALLOC) &&
		    s->sh_size)
			return refuse(info, reason,
				      "section %u (%s): relocates SHT_NOBITS section %u",
				      i, module_sec_name(info, i), s->sh_info);
	}
	return 0;
}

unsigned int module_find_section(const struct load_info *info,
				 const char *name)
{
	unsigned int i;

	for (i = 1; i < info->hdr->e_shnum; i++)
		if (strcmp(module_sec_name(info, i), name) == 0)
			return i;
	return 0;
}

static int check_this_module(struct load_info *info, size_t expected,
			     const char **reason)
{
	unsigned int i = module_find_section(info, THIS_MODULE_SECTION);
	const Elf64_Shdr *s;

	if (!i)
		return refuse(info, reason,
			      "no " THIS_MODULE_SECTION " section (the module descriptor)");
	s = &info->sechdrs[i];
	if (s->sh_type != SHT_PROGBITS || !(s->sh_flags & SHF_ALLOC))
		return refuse(info, reason,
			      THIS_MODULE_SECTION " (section %u): not allocated PROGBITS", i);
	if (expected ? s->sh_size != expected : s->sh_size == 0)
		return refuse(info, reason,
			      THIS_MODULE_SECTION " (section %u): %llu bytes, expected %zu (built against another struct module?)",
			      i, (unsigned long long)s->sh_size, expected);
	info->index.mod = i;
	return 0;
}

/* .modinfo: NUL-separated "key=value" strings, one of them name=. */
static int check_modinfo(struct load_info *info, const char **reason)
{
	unsigned int i = module_find_section(info, MODINFO_SECTION);
	const Elf64_Shdr *s;
	const char *p, *end, *name = NULL;

	if (!i)
		return refuse(info, reason, "no " MODINFO_SECTION " section");
	s = &info->sechdrs[i];
	if (s->sh_type != SHT_PROGBITS || s->sh_size == 0)
		return refuse(info, reason, MODINFO_SECTION " (section %u): empty or not PROGBITS", i);
	info->modinfo = (const char *)info->hdr + s->sh_offset;
	info->modinfo_size = s->sh_size;
	end = info->modinfo + s->sh_size;
	if (end[-1] != '\0')
		return refuse(info, reason, MODINFO_SECTION " (section %u): not NUL-terminated", i);
	for (p = info->modinfo; p < end; p += strlen(p) + 1) {
		const char *eq;

		if (!*p)
			continue;	/* padding between entries */
		eq = strchr(p, '=');
		if (!eq || eq == p)
			return refuse(info, reason,
				      MODINFO_SECTION ": entry at offset %zu is not key=value",
				      (size_t)(p - info->modinfo));
		if (eq - p == 4 && strncmp(p, "name", 4) == 0)
			name = eq + 1;
	}
	if (!name || !*name)
		return refuse(info, reason, MODINFO_SECTION ": no name= entry");
	if (strlen(name) >= MODULE_NAME_LEN)
		return refuse(info, reason, MODINFO_SECTION ": name longer than %d characters",
			      MODULE_NAME_LEN - 1);
	info->index.info = i;
	info->name = name;
	return 0;
}

const char *module_get_modinfo(const struct load_info *info, const char *key)
{
	return module_next_modinfo(info, key, NULL);
}

const char *module_next_modinfo(const struct load_info *info, const char *key,
				const char *prev)
{
	const char *p, *end;
	size_t klen = strlen(key);

	if (!info->modinfo)
		return NULL;
	end = info->modinfo + info->modinfo_size;
	p = info->modinfo;
	if (prev) {
		if (prev < info->modinfo || prev >= end)
			return NULL;
		p = prev + strlen(prev) + 1;	/* past prev's entry */
	}
	for (; p < end; p += strlen(p) + 1)
		if (strncmp(p, key, klen) == 0 && p[klen] == '=')
			return p + klen + 1;
	return NULL;
}

int module_elf_check(const void *image, size_t size,
		     size_t expected_this_module_size, struct load_info *info,
		     const char **reason)
{
	unsigned int pcpu;
	int err;

	memset(info, 0, sizeof(*info));
	info->hdr = image;
	info->len = size;
	if ((uintptr_t)image % 8)
		return refuse(info, reason, "image not 8-byte aligned in memory");
	err = check_ehdr(info, reason);
	if (err)
		return err;
	info->sechdrs = (const Elf64_Shdr *)((const char *)image + info->hdr->e_shoff);
	err = check_sections(info, reason);
	if (!err)
		err = check_secstrings(info, reason);
	if (!err)
		err = check_symtab(info, reason);
	if (!err)
		err = check_relocs(info, reason);
	if (!err)
		err = check_modinfo(info, reason);
	if (!err)
		err = check_this_module(info, expected_this_module_size, reason);
	if (err)
		return err;
	/* Linux's find_pcpusec(): only an allocated one counts. */
	pcpu = module_find_section(info, PERCPU_SECTION);
	if (pcpu && (info->sechdrs[pcpu].sh_flags & SHF_ALLOC))
		info->index.pcpu = pcpu;
	return 0;
}

/* ---- layout ------------------------------------------------------------ */

/* Which part a section belongs to (Linux's masks in layout_sections()). */
int module_section_part(const struct load_info *info, unsigned int i)
{
	const Elf64_Shdr *s = &info->sechdrs[i];
	int base;

	if (!(s->sh_flags & SHF_ALLOC))
		return MOD_MEM_NONE;
	if (i == info->index.pcpu)
		return MOD_MEM_PERCPU;
	if (i == info->index.info)
		return MOD_MEM_NONE;	/* read from the image, never loaded */
	base = starts_with(module_sec_name(info, i), ".init") ?
	       MOD_INIT_TEXT : MOD_TEXT;
	if (s->sh_flags & SHF_EXECINSTR)
		return base + (MOD_TEXT - MOD_TEXT);
	if (!(s->sh_flags & SHF_WRITE))
		return base + (MOD_RODATA - MOD_TEXT);
	return base + (MOD_DATA - MOD_TEXT);
}

int module_layout(struct load_info *info, struct module_layout_result *res,
		  const char **reason)
{
	struct module_sec_place *place = res->place;
	uint64_t end[MOD_MEM_NUM_TYPES] = { 0 };
	unsigned int i;
	int t;

	memset(res, 0, sizeof(*res));
	res->place = place;
	for (i = 0; i < info->hdr->e_shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];
		uint64_t align = s->sh_addralign ? s->sh_addralign : 1;
		int part = module_section_part(info, i);

		place[i].mem = part;
		place[i].offset = 0;
		if (part == MOD_MEM_NONE)
			continue;
		if (align > PAGE_SIZE)
			return refuse(info, reason,
				      "section %u (%s): alignment %llu larger than a page",
				      i, module_sec_name(info, i),
				      (unsigned long long)align);
		if (s->sh_size > MODULE_ELF_MAX_PART)
			return refuse(info, reason,
				      "section %u (%s): %llu bytes, more than a module may have",
				      i, module_sec_name(info, i),
				      (unsigned long long)s->sh_size);
		if (part == MOD_MEM_PERCPU) {
			res->percpu_size = s->sh_size;
			res->percpu_align = align;
			continue;
		}
		/* Both terms are at most 64 MiB + a page: no wrap. */
		place[i].offset = ALIGN_UP(end[part], align);
		end[part] = place[i].offset + s->sh_size;
		if (end[part] > MODULE_ELF_MAX_PART)
			return refuse(info, reason,
				      "section %u (%s): module part larger than %lu bytes",
				      i, module_sec_name(info, i),
				      MODULE_ELF_MAX_PART);
	}
	for (t = 0; t < MOD_MEM_NUM_TYPES; t++) {
		uint64_t *region = mod_mem_is_init(t) ? &res->init_size : &res->core_size;

		res->mem[t].size = ALIGN_UP(end[t], PAGE_SIZE);
		res->mem[t].offset = *region;
		*region += res->mem[t].size;
	}
	return 0;
}

void module_place_sections(const struct load_info *info,
			   const struct module_layout_result *res,
			   uint64_t core_base, void *core_buf,
			   uint64_t init_base, void *init_buf,
			   uint64_t pcpu_addr, void *pcpu_buf,
			   struct module_sec_map *map)
{
	unsigned int i;

	for (i = 0; i < info->hdr->e_shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];
		int part = res->place[i].mem;
		uint64_t off;

		map[i].addr = 0;
		map[i].buf = NULL;
		map[i].loaded = false;
		if (part == MOD_MEM_NONE)
			continue;
		if (part == MOD_MEM_PERCPU) {
			map[i].addr = pcpu_addr;
			map[i].buf = pcpu_buf;
		} else {
			off = res->mem[part].offset + res->place[i].offset;
			if (mod_mem_is_init(part)) {
				map[i].addr = init_base + off;
				map[i].buf = (char *)init_buf + off;
			} else {
				map[i].addr = core_base + off;
				map[i].buf = (char *)core_buf + off;
			}
		}
		map[i].loaded = true;
		if (s->sh_size == 0)
			continue;
		if (s->sh_type == SHT_NOBITS)
			memset(map[i].buf, 0, s->sh_size);
		else
			memcpy(map[i].buf, (const char *)info->hdr + s->sh_offset,
			       s->sh_size);
	}
}
