/*
 * tests/host/test_module_elf.c - host tests of kernel/module/elf.c (the
 * ELF checks and the layout) and of the whole pure pipeline kocheck runs.
 *
 * The inputs are real objects: HOSTILE_DIR (build/hostile, made by
 * tests/hostile/mkhostile.py from tests/hostile/ sources compiled with the
 * kernel's module flags) holds the valid module, one damaged copy per
 * check, the modules only the kernel can refuse, and a MANIFEST saying
 * what kocheck must answer for each.  The descriptor size is
 * sizeof(struct module), as the kernel's (THIS_MODULE_SIZE).  Every image
 * is handed over in a malloc'd buffer of exactly its size, so any read
 * past the end is an ASan error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../tools/kocheck/kocheck.c"

#define THIS_MODULE_SIZE	sizeof(struct module)

#ifndef HOSTILE_DIR
#error "build with -DHOSTILE_DIR=... (the Makefile does)"
#endif

static void *load(const char *name, size_t *size)
{
	char path[512];
	FILE *f;
	void *buf;
	long len;

	snprintf(path, sizeof(path), "%s/%s", HOSTILE_DIR, name);
	f = fopen(path, "rb");
	assert_non_null(f);
	assert_int_equal(fseek(f, 0, SEEK_END), 0);
	len = ftell(f);
	assert_true(len >= 0);
	rewind(f);
	buf = malloc(len ? len : 1);
	assert_non_null(buf);
	assert_int_equal(fread(buf, 1, len, f), (size_t)len);
	fclose(f);
	*size = len;
	return buf;
}

static unsigned int find(const struct load_info *info, const char *name)
{
	unsigned int i;

	for (i = 1; i < info->hdr->e_shnum; i++)
		if (strcmp(info->secstrings + info->sechdrs[i].sh_name, name) == 0)
			return i;
	fail_msg("no section %s", name);
	return 0;
}

static void test_valid_accepted(void **state)
{
	struct load_info info;
	const char *reason = NULL;
	char want[64];
	size_t size;
	void *image = load("valid.ko", &size);

	(void)state;
	assert_int_equal(module_elf_check(image, size, THIS_MODULE_SIZE, &info,
					  &reason), 0);
	assert_string_equal(info.name, "valid");
	assert_string_equal(module_get_modinfo(&info, "license"), "GPL");
	assert_null(module_get_modinfo(&info, "lic"));
	assert_int_equal(info.index.mod, find(&info, ".gnu.linkonce.this_module"));
	assert_int_equal(info.index.info, find(&info, ".modinfo"));
	assert_int_equal(info.index.pcpu, find(&info, ".data..percpu"));
	assert_int_equal(info.index.sym, find(&info, ".symtab"));
	assert_int_equal(info.index.str, find(&info, ".strtab"));
	/* Any non-empty descriptor when the size is not given; not a wrong one. */
	assert_int_equal(module_elf_check(image, size, 0, &info, &reason), 0);
	assert_int_equal(module_elf_check(image, size, THIS_MODULE_SIZE + 8, &info,
					  &reason), -ENOEXEC);
	snprintf(want, sizeof(want), "%zu bytes, expected %zu", THIS_MODULE_SIZE,
		 THIS_MODULE_SIZE + 8);
	assert_non_null(strstr(reason, want));
	assert_int_equal(kocheck_this_module_size(), THIS_MODULE_SIZE);
	free(image);
}

/* Every prefix of the valid file is refused, and nothing reads past it. */
static void test_every_truncation_refused(void **state)
{
	struct load_info info;
	const char *reason;
	size_t size, cut;
	uint8_t *image = load("valid.ko", &size);

	(void)state;
	for (cut = 0; cut < size; cut++) {
		uint8_t *copy = malloc(cut ? cut : 1);
		char why[256];

		memcpy(copy, image, cut);
		reason = NULL;
		assert_int_equal(module_elf_check(copy, cut, THIS_MODULE_SIZE,
						  &info, &reason), -ENOEXEC);
		assert_non_null(reason);
		assert_int_not_equal(kocheck_image(copy, cut, THIS_MODULE_SIZE,
						   true, why, sizeof(why)), 0);
		free(copy);
	}
	free(image);
}

static void test_layout(void **state)
{
	struct load_info info;
	struct module_layout_result l;
	struct module_sec_place place[64];
	const char *reason = NULL;
	size_t size;
	void *image = load("valid.ko", &size);
	int t;

	(void)state;
	assert_int_equal(module_elf_check(image, size, THIS_MODULE_SIZE, &info,
					  &reason), 0);
	assert_true(info.hdr->e_shnum <= 64);
	l.place = place;
	assert_int_equal(module_layout(&info, &l, &reason), 0);
	/* 38 longs aligned to 32 plus a pointer: the per-CPU request. */
	assert_int_equal(l.percpu_size, info.sechdrs[info.index.pcpu].sh_size);
	assert_true(l.percpu_size >= 304 + 8);
	assert_int_equal(l.percpu_align, 32);
	assert_int_equal(place[info.index.pcpu].mem, MOD_MEM_PERCPU);
	assert_int_equal(place[info.index.info].mem, MOD_MEM_NONE);
	assert_int_equal(place[find(&info, ".comment")].mem, MOD_MEM_NONE);
	assert_int_equal(place[find(&info, ".text")].mem, MOD_TEXT);
	assert_int_equal(place[find(&info, ".init.text")].mem, MOD_INIT_TEXT);
	assert_int_equal(place[find(&info, ".rodata")].mem, MOD_RODATA);
	assert_int_equal(place[find(&info, ".bss")].mem, MOD_DATA);
	assert_int_equal(place[info.index.mod].mem, MOD_DATA);
	/* Parts page-aligned and packed: core text | rodata | data, then init. */
	assert_int_equal(l.mem[MOD_TEXT].offset, 0);
	assert_int_equal(l.mem[MOD_RODATA].offset, l.mem[MOD_TEXT].size);
	assert_int_equal(l.mem[MOD_DATA].offset, l.mem[MOD_RODATA].offset + l.mem[MOD_RODATA].size);
	assert_int_equal(l.core_size, l.mem[MOD_DATA].offset + l.mem[MOD_DATA].size);
	assert_int_equal(l.mem[MOD_INIT_TEXT].offset, 0);
	assert_int_equal(l.mem[MOD_INIT_TEXT].size, 4096);
	for (t = 0; t < MOD_MEM_NUM_TYPES; t++)
		assert_int_equal(l.mem[t].size % 4096, 0);
	assert_true(l.mem[MOD_DATA].size >= 4096);	/* descriptor + bss */
	/* Each placed section honours its alignment and fits in its part. */
	for (unsigned int i = 0; i < info.hdr->e_shnum; i++) {
		const Elf64_Shdr *s = &info.sechdrs[i];

		if (place[i].mem < 0)
			continue;
		if (s->sh_addralign > 1)
			assert_int_equal(place[i].offset % s->sh_addralign, 0);
		assert_true(place[i].offset + s->sh_size <= l.mem[place[i].mem].size);
	}
	free(image);
}

static int resolve_fixed(void *ctx, const char *name, uint64_t *value)
{
	(void)ctx;
	if (strcmp(name, "printk") == 0)
		*value = 0xffffffff81000100ULL;
	else if (strcmp(name, "nr_cpu_ids") == 0)
		*value = 0xffffffff82000800ULL;
	else
		return -ENOENT;
	return 0;
}

/* The real object, relocated: the per-CPU pointer and a call to printk. */
static void test_relocate_valid(void **state)
{
	struct load_info info;
	struct module_layout_result l;
	struct module_sec_place place[64];
	struct module_sec_map map[64];
	uint64_t values[64], v = 0;
	const char *reason = NULL;
	size_t size;
	void *image = load("valid.ko", &size);
	uint8_t *core, *init, *pcpu;
	unsigned int self = 0, counter = 0, i, pcpu_sec;
	const uint64_t pcpu_base = 0xffffffff82400040ULL;

	(void)state;
	assert_int_equal(module_elf_check(image, size, THIS_MODULE_SIZE, &info,
					  &reason), 0);
	assert_true(info.num_syms <= 64);
	l.place = place;
	assert_int_equal(module_layout(&info, &l, &reason), 0);
	core = calloc(1, l.core_size);
	init = calloc(1, l.init_size);
	pcpu = calloc(1, l.percpu_size);
	module_place_sections(&info, &l, 0xffffffffa0000000ULL, core,
			      0xffffffffa0100000ULL, init, pcpu_base, pcpu, map);
	assert_int_equal(module_simplify_symbols(&info, map, resolve_fixed, NULL,
						 values, &reason), 0);
	assert_int_equal(module_apply_relocations(&info, map, values, &reason), 0);
	pcpu_sec = info.index.pcpu;
	for (i = 1; i < info.num_syms; i++) {
		const char *n = info.strtab + info.symtab[i].st_name;

		if (strcmp(n, "valid_self") == 0)
			self = i;
		if (strcmp(n, "valid_counter") == 0)
			counter = i;
	}
	assert_true(self && counter);
	assert_int_equal(info.symtab[counter].st_shndx, pcpu_sec);
	/* Per-CPU symbols resolve to the per-CPU base ... */
	assert_true(values[counter] == pcpu_base + info.symtab[counter].st_value);
	/* ... and valid_self = &valid_counter[0] was applied to the template. */
	memcpy(&v, pcpu + info.symtab[self].st_value, 8);
	assert_true(v == values[counter]);
	free(pcpu);
	free(init);
	free(core);
	free(image);
}

/*
 * Each hostile module gets the answer MANIFEST names for kocheck: its
 * refusal, or ok for the valid one and those only the kernel refuses.
 * Lines are "file\topts\tkocheck-says\tkernel-says"; opts may be empty.
 */
static void test_hostile_manifest(void **state)
{
	char path[512], line[512];
	FILE *m;
	int count = 0;

	(void)state;
	snprintf(path, sizeof(path), "%s/MANIFEST", HOSTILE_DIR);
	m = fopen(path, "r");
	assert_non_null(m);
	while (fgets(line, sizeof(line), m)) {
		char *rest = line, *name, *opts, *want, *kernel, why[256];
		size_t size, this_size = THIS_MODULE_SIZE;
		const char *sz;
		void *image;
		bool any;
		int err;

		line[strcspn(line, "\n")] = '\0';
		name = strsep(&rest, "\t");
		opts = strsep(&rest, "\t");
		want = strsep(&rest, "\t");
		kernel = strsep(&rest, "\t");
		if (!opts || !want || !kernel || !*name || !*want || !*kernel)
			fail_msg("MANIFEST line %d: want 4 tab-separated fields",
				 count + 1);
		any = strstr(opts, "--resolve-any") != NULL;
		sz = strstr(opts, "--this-module-size ");
		if (sz)
			this_size = strtoul(sz + strlen("--this-module-size "), NULL, 0);
		image = load(name, &size);
		err = kocheck_image(image, size, this_size, any, why, sizeof(why));
		if (strcmp(want, "ok") == 0) {
			if (err)
				fail_msg("%s: refused: %s", name, why);
		} else if (!err || !strstr(why, want)) {
			fail_msg("%s: want \"%s\", got %d \"%s\"", name, want, err,
				 err ? why : "");
		}
		free(image);
		count++;
	}
	fclose(m);
	assert_true(count > 40);
}

/* Keys that repeat (parm=, parmtype=), one after another; not a key
 * that is only a prefix of another; a stray prev ends the walk. */
static void test_next_modinfo(void **state)
{
	static const char modinfo[] = "parmtype=a:int\0name=m\0parm=a:the a\0"
				      "\0parmtypes=x\0parmtype=b:bool\0parm=b:\0";
	struct load_info info;
	const char *v;

	(void)state;
	memset(&info, 0, sizeof(info));
	assert_null(module_next_modinfo(&info, "parm", NULL));
	info.modinfo = modinfo;
	info.modinfo_size = sizeof(modinfo);
	v = module_next_modinfo(&info, "parmtype", NULL);
	assert_string_equal(v, "a:int");
	v = module_next_modinfo(&info, "parmtype", v);
	assert_string_equal(v, "b:bool");
	assert_null(module_next_modinfo(&info, "parmtype", v));
	v = module_next_modinfo(&info, "parm", NULL);
	assert_string_equal(v, "a:the a");
	v = module_next_modinfo(&info, "parm", v);
	assert_string_equal(v, "b:");
	assert_null(module_next_modinfo(&info, "parm", v));
	assert_string_equal(module_get_modinfo(&info, "name"), "m");
	assert_null(module_next_modinfo(&info, "parm", "elsewhere"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_accepted),
		cmocka_unit_test(test_every_truncation_refused),
		cmocka_unit_test(test_layout),
		cmocka_unit_test(test_relocate_valid),
		cmocka_unit_test(test_hostile_manifest),
		cmocka_unit_test(test_next_modinfo),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
