/*
 * kernel/monitor/cmd-modinfo.c - modinfo NAME|PATH: what a module file
 * says about itself, read from the initrd without loading it, as
 * modinfo(8) reads a .ko in user space.
 *
 * NAME means lib/modules/NAME.ko (modprobe's place); anything with a '/'
 * or ending in ".ko" is a path in the initrd.  The file is copied into
 * an 8-aligned buffer and checked by the loader's pure core
 * (module_elf_check, kernel/module/elf.c), exactly as modprobe's
 * read_depends() does; then:
 *
 *   filename, and every .modinfo entry in its order (name, license,
 *   depends, ...) as modinfo(8) prints them;
 *   parm: NAME:DESCRIPTION (TYPE), one a parameter, from parm= and
 *   parmtype= (include/kernel/moduleparam.h writes both);
 *   sections: the bytes of the sections going to each part of module
 *   memory (module_section_part: the loader's own sorting), bss apart;
 *   memory: the page-rounded sizes load_module() would allocate
 *   (module_layout);
 *   percpu: the .data..percpu size and alignment, the bytes each CPU's
 *   reserved chunk would give it.
 */
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/module_elf.h>
#include <kernel/string.h>
#include "monitor.h"

#define MODINFO_PATH_MAX	96

/* "nested:allow nested ..." -> the part before ':' in name[len]. */
static const char *param_name(char *name, size_t len, const char *entry)
{
	const char *colon = strchr(entry, ':');
	size_t n = colon ? (size_t)(colon - entry) : strlen(entry);

	if (n >= len)
		n = len - 1;
	memcpy(name, entry, n);
	name[n] = '\0';
	return name;
}

/* The parm= description of parameter name, or NULL. */
static const char *param_desc(const struct load_info *info, const char *name)
{
	size_t n = strlen(name);

	for (const char *p = module_next_modinfo(info, "parm", NULL); p;
	     p = module_next_modinfo(info, "parm", p))
		if (!strncmp(p, name, n) && p[n] == ':')
			return p + n + 1;
	return NULL;
}

static void modinfo_params(const struct load_info *info)
{
	char name[MODULE_NAME_LEN];

	for (const char *t = module_next_modinfo(info, "parmtype", NULL); t;
	     t = module_next_modinfo(info, "parmtype", t)) {
		const char *type = strchr(t, ':'), *desc;

		param_name(name, sizeof(name), t);
		desc = param_desc(info, name);
		mon_printf("%-16s%s:%s (%s)\n", "parm:", name,
			   desc ? desc : "", type ? type + 1 : "?");
	}
}

/* Every .modinfo entry but the parameters', in the file's order. */
static void modinfo_entries(const struct load_info *info)
{
	const char *end = info->modinfo + info->modinfo_size;

	for (const char *p = info->modinfo; p < end; p += strlen(p) + 1) {
		const char *eq = strchr(p, '=');
		char key[24];
		size_t n;

		if (!*p || !eq)
			continue;	/* padding (the checks refuse the rest) */
		n = MIN((size_t)(eq - p), sizeof(key) - 2);
		if ((n == 4 && !strncmp(p, "parm", 4)) ||
		    (n == 8 && !strncmp(p, "parmtype", 8)))
			continue;
		memcpy(key, p, n);
		key[n] = ':';
		key[n + 1] = '\0';
		mon_printf("%-16s%s\n", key, eq + 1);
	}
}

static void modinfo_sections(const struct load_info *info)
{
	uint64_t text = 0, rodata = 0, data = 0, bss = 0, init = 0;

	for (unsigned int i = 1; i < info->hdr->e_shnum; i++) {
		const Elf64_Shdr *s = &info->sechdrs[i];
		int part = module_section_part(info, i);

		if (part == MOD_TEXT)
			text += s->sh_size;
		else if (part == MOD_RODATA)
			rodata += s->sh_size;
		else if (part == MOD_DATA && s->sh_type == SHT_NOBITS)
			bss += s->sh_size;
		else if (part == MOD_DATA)
			data += s->sh_size;
		else if (mod_mem_is_init(part))
			init += s->sh_size;
	}
	mon_printf("%-16stext=%llu rodata=%llu data=%llu bss=%llu init=%llu (bytes)\n",
		   "sections:", (unsigned long long)text,
		   (unsigned long long)rodata, (unsigned long long)data,
		   (unsigned long long)bss, (unsigned long long)init);
}

static int modinfo_layout(struct load_info *info)
{
	struct module_layout_result res;
	const char *reason;
	int err;

	res.place = kmalloc(sizeof(*res.place) * info->hdr->e_shnum);
	if (!res.place)
		return -ENOMEM;
	err = module_layout(info, &res, &reason);
	if (err) {
		mon_printf("modinfo: %s: %s\n", info->name, reason);
	} else {
		mon_printf("%-16score=%llu init=%llu (bytes of module memory a load allocates, in pages)\n",
			   "memory:", (unsigned long long)res.core_size,
			   (unsigned long long)res.init_size);
		if (res.percpu_size)
			mon_printf("%-16s%llu bytes, align %llu (on every CPU, from the reserved chunk)\n",
				   "percpu:", (unsigned long long)res.percpu_size,
				   (unsigned long long)res.percpu_align);
		else
			mon_printf("%-16snone\n", "percpu:");
	}
	kfree(res.place);
	return err;
}

static int cmd_modinfo(int argc, char **argv)
{
	const char *arg = argv[1], *reason;
	char path[MODINFO_PATH_MAX];
	struct load_info *info;
	size_t len, n = strlen(arg);
	const void *file;
	void *copy;
	int err;

	(void)argc;
	if (strchr(arg, '/') || (n > 3 && !strcmp(arg + n - 3, ".ko"))) {
		if (strlcpy(path, arg, sizeof(path)) >= sizeof(path))
			return mon_bad_arg("modinfo", arg, "path too long");
	} else if (n >= MODULE_NAME_LEN) {
		return mon_bad_arg("modinfo", arg, "too long for a module name");
	} else {
		snprintf(path, sizeof(path), "lib/modules/%s.ko", arg);
	}
	file = initrd_find(path, &len);
	if (!file) {
		mon_printf("modinfo: ERROR: Module %s not found (no %s in the initrd).\n",
			   arg, path);
		return -ENOENT;
	}
	info = kmalloc(sizeof(*info));
	copy = kmalloc(len ? len : 1);
	err = -ENOMEM;
	if (!info || !copy) {
		mon_printf("modinfo: %s: no memory for a copy (%zu bytes)\n",
			   path, len);
		goto out;
	}
	memcpy(copy, file, len);
	err = module_elf_check(copy, len, sizeof(struct module), info, &reason);
	if (err) {
		mon_printf("modinfo: %s: not a module this kernel loads: %s\n",
			   path, reason);
		goto out;
	}
	mon_printf("%-16s%s (%zu bytes)\n", "filename:", path, len);
	modinfo_entries(info);
	modinfo_params(info);
	modinfo_sections(info);
	err = modinfo_layout(info);
out:
	kfree(copy);
	kfree(info);
	return err;
}
MONITOR_COMMAND(modinfo, "modinfo", "modinfo NAME|PATH",
		"what a module file says (read, not loaded)",
		cmd_modinfo, 1, 1);
