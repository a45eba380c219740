/*
 * kernel/module/reloc.c - resolve a module's symbols and apply its x86-64
 * relocations.
 *
 * A relocatable object leaves holes in its code and data: "put the
 * address of printk here, minus the address of this spot".  Each hole is
 * an Elf64_Rela (x86-64 psABI section 4.4): r_offset says where in the
 * target section, r_info which symbol (S) and which formula, r_addend the
 * constant A; P is the final address of the hole itself.
 *
 *	type		width	value		check
 *	R_X86_64_64	8	S + A		-
 *	R_X86_64_32	4	S + A		fits when zero-extended
 *	R_X86_64_32S	4	S + A		fits when sign-extended
 *	R_X86_64_PC32	4	S + A - P	fits when sign-extended
 *	R_X86_64_PLT32	4	S + A - P	(no PLT in a kernel: as PC32)
 *	R_X86_64_PC64	8	S + A - P	-
 *
 * module_simplify_symbols() is Linux's simplify_symbols()
 * (kernel/module/main.c): it turns every symbol into a final value once.
 * apply_relocate_add() is Linux's arch/x86/kernel/module.c function of the
 * same name, with what Linux does not check: the hole is inside its
 * section, the symbol index is in range, a 32-bit zero-extended value
 * really fits.  Relocations inside .data..percpu are applied too, to the
 * template the caller then copies to every CPU (Linux skipped them until
 * 2025, since the per-CPU section lost SHF_ALLOC before relocation).
 *
 * Pure code: the caller gives, per section, its final address and a
 * writable buffer of its contents (struct module_sec_map); nothing here
 * knows where module memory is.  Values are computed in uint64_t, where
 * wrapping is defined, and checked before they are stored.
 */
#include <kernel/module_elf.h>
#include <kernel/errno.h>
#include <kernel/string.h>

static const char *mod_name(const struct load_info *info)
{
	return info->name ? info->name : "module";
}

static const char *sym_name(const struct load_info *info, unsigned int i)
{
	return info->strtab + info->symtab[i].st_name;
}

/* Why a resolver refused a symbol it found (module_resolve_fn's errors). */
static const char *resolve_error(int err)
{
	switch (err) {
	case -EPERM:
		return "GPL-only, and the module's license is not GPL-compatible";
	case -EBUSY:
		return "the module exporting it is going away";
	case -ETIMEDOUT:
		return "the module exporting it is still loading after "
		       __stringify(MODULE_WAIT_SECONDS) " s";
	case -ENOMEM:
		return "out of memory for the reference";
	default:
		return "refused by the resolver";
	}
}

int module_simplify_symbols(struct load_info *info,
			    const struct module_sec_map *map,
			    module_resolve_fn resolve, void *ctx,
			    uint64_t *values, const char **reason)
{
	unsigned int i;
	int err;

	values[0] = 0;
	for (i = 1; i < info->num_syms; i++) {
		const Elf64_Sym *sym = &info->symtab[i];
		const char *name = sym_name(info, i);

		switch (sym->st_shndx) {
		case SHN_COMMON:
			/* Linux's words: a tentative definition has no home. */
			return module_refuse(info, reason, -ENOEXEC,
				    "%s: please compile with -fno-common (symbol %s is SHN_COMMON)",
				    mod_name(info), name);
		case SHN_ABS:
			values[i] = sym->st_value;
			break;
		case SHN_UNDEF:
			values[i] = 0;
			if (!*name)
				break;
			err = resolve(ctx, name, &values[i]);
			if (err == 0)
				break;
			if (err != -ENOENT)
				return module_refuse(info, reason, err,
					    "%s: cannot use symbol %s: %s",
					    mod_name(info), name,
					    resolve_error(err));
			if (ELF64_ST_BIND(sym->st_info) == STB_WEAK) {
				values[i] = 0;
				break;
			}
			return module_refuse(info, reason, -ENOENT,
				    "%s: Unknown symbol %s", mod_name(info), name);
		default:
			/* Per-CPU symbols: map[pcpu].addr is the per-CPU base. */
			values[i] = map[sym->st_shndx].addr + sym->st_value;
			break;
		}
	}
	return 0;
}

const char *module_rela_type_name(uint64_t type)
{
	switch (type) {
	case R_X86_64_NONE:	return "R_X86_64_NONE";
	case R_X86_64_64:	return "R_X86_64_64";
	case R_X86_64_PC32:	return "R_X86_64_PC32";
	case R_X86_64_PLT32:	return "R_X86_64_PLT32";
	case R_X86_64_32:	return "R_X86_64_32";
	case R_X86_64_32S:	return "R_X86_64_32S";
	case R_X86_64_PC64:	return "R_X86_64_PC64";
	default:		return NULL;
	}
}

int apply_relocate_add(struct load_info *info, unsigned int relsec,
		       const struct module_sec_map *map, const uint64_t *values,
		       const char **reason)
{
	const Elf64_Shdr *rs = &info->sechdrs[relsec];
	unsigned int target = rs->sh_info;
	const Elf64_Shdr *ts = &info->sechdrs[target];
	const Elf64_Rela *rel = (const Elf64_Rela *)((const char *)info->hdr +
						     rs->sh_offset);
	uint64_t n = rs->sh_size / sizeof(*rel), i;

	for (i = 0; i < n; i++) {
		uint64_t type = ELF64_R_TYPE(rel[i].r_info);
		uint64_t symi = ELF64_R_SYM(rel[i].r_info);
		uint64_t off = rel[i].r_offset, val, place, old = 0;
		unsigned int width;
		char *loc;

		switch (type) {
		case R_X86_64_NONE:
			continue;
		case R_X86_64_64:
		case R_X86_64_PC64:
			width = 8;
			break;
		case R_X86_64_32:
		case R_X86_64_32S:
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			width = 4;
			break;
		default:
			return module_refuse(info, reason, -ENOEXEC,
				    "%s: Unknown rela relocation type %llu in section %u (%s)",
				    mod_name(info), (unsigned long long)type,
				    relsec, module_sec_name(info, relsec));
		}
		if (off > ts->sh_size || width > ts->sh_size - off)
			return module_refuse(info, reason, -ENOEXEC,
				    "%s: %s relocation %llu at offset %#llx outside section %u (%s, %llu bytes)",
				    mod_name(info), module_rela_type_name(type) ?: "unknown",
				    (unsigned long long)i, (unsigned long long)off,
				    target, module_sec_name(info, target),
				    (unsigned long long)ts->sh_size);
		if (symi >= info->num_syms)
			return module_refuse(info, reason, -ENOEXEC,
				    "%s: relocation %llu in section %u (%s): symbol index %llu out of range",
				    mod_name(info), (unsigned long long)i,
				    relsec, module_sec_name(info, relsec),
				    (unsigned long long)symi);
		if (info->symtab[symi].st_shndx != SHN_UNDEF &&
		    info->symtab[symi].st_shndx < SHN_LORESERVE &&
		    !map[info->symtab[symi].st_shndx].loaded)
			return module_refuse(info, reason, -ENOEXEC,
				    "%s: relocation %llu in section %u (%s) refers to unloaded section %u",
				    mod_name(info), (unsigned long long)i,
				    relsec, module_sec_name(info, relsec),
				    info->symtab[symi].st_shndx);

		loc = (char *)map[target].buf + off;
		place = map[target].addr + off;
		val = values[symi] + (uint64_t)rel[i].r_addend;
		memcpy(&old, loc, width);
		/* As Linux: a hole already filled means a second application. */
		if (old != 0)
			return module_refuse(info, reason, -ENOEXEC,
				    "%s: %s relocation at %s+%#llx: existing value is nonzero",
				    mod_name(info), module_rela_type_name(type) ?: "unknown",
				    module_sec_name(info, target),
				    (unsigned long long)off);

		switch (type) {
		case R_X86_64_32:
			if (val != (uint32_t)val)
				goto overflow;
			break;
		case R_X86_64_32S:
			if ((int64_t)val != (int32_t)(uint32_t)val)
				goto overflow;
			break;
		case R_X86_64_PC32:
		case R_X86_64_PLT32:
			val -= place;
			if ((int64_t)val != (int32_t)(uint32_t)val)
				goto overflow;
			break;
		case R_X86_64_PC64:
			val -= place;
			break;
		}
		memcpy(loc, &val, width);	/* little-endian: the low bytes */
		continue;
overflow:
		return module_refuse(info, reason, -ENOEXEC,
			    "%s: overflow in relocation type %s val %#llx at %s+%#llx (not compiled with -mcmodel=kernel?)",
			    mod_name(info), module_rela_type_name(type) ?: "unknown",
			    (unsigned long long)val,
			    module_sec_name(info, target),
			    (unsigned long long)off);
	}
	return 0;
}

int module_apply_relocations(struct load_info *info,
			     const struct module_sec_map *map,
			     const uint64_t *values, const char **reason)
{
	unsigned int i;
	int err;

	for (i = 1; i < info->hdr->e_shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];

		/* Not loaded (debug info): nothing to patch, as Linux. */
		if (s->sh_type != SHT_RELA || !map[s->sh_info].loaded)
			continue;
		err = apply_relocate_add(info, i, map, values, reason);
		if (err)
			return err;
	}
	return 0;
}
