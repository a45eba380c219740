/*
 * tests/host/test_module_reloc.c - host tests of kernel/module/reloc.c:
 * the x86-64 RELA arithmetic and symbol resolution, on hand-made entries.
 *
 * One target section of 16 bytes at a kernel-like address, one RELA
 * entry, one symbol whose value the test chooses: each relocation type
 * at and just past each edge of its range, the bounds and index checks,
 * and module_simplify_symbols()'s cases (undefined, weak, SHN_COMMON,
 * SHN_ABS, per-CPU).
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/module/reloc.c"

#define PLACE	0xffffffffa0001000ULL	/* where .text lives */

/* Section 0 null, 1 .text, 2 .rela.text, 3 .data..percpu, 4 .symtab. */
static const char shstr[] = "\0.text\0.rela.text\0.data..percpu\0.symtab";
static const char strtab[] = "\0x\0printk\0weak_thing\0missing\0pcpu_var\0tentative";

struct image {
	Elf64_Ehdr hdr;
	Elf64_Rela rela;
};

struct fixture {
	struct image *img;
	Elf64_Shdr sechdrs[5];
	Elf64_Sym syms[7];
	struct load_info info;
	struct module_sec_map map[5];
	uint64_t values[7];
	uint8_t text[16];
	uint8_t pcpu[64];
};

static struct fixture *fx_new(void)
{
	struct fixture *f = calloc(1, sizeof(*f));

	f->img = calloc(1, sizeof(*f->img));
	f->img->hdr.e_shnum = 5;
	f->sechdrs[1] = (Elf64_Shdr){ .sh_name = 1, .sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_EXECINSTR, .sh_size = 16 };
	f->sechdrs[2] = (Elf64_Shdr){ .sh_name = 7, .sh_type = SHT_RELA,
		.sh_offset = offsetof(struct image, rela),
		.sh_size = sizeof(Elf64_Rela), .sh_link = 4, .sh_info = 1,
		.sh_entsize = sizeof(Elf64_Rela) };
	f->sechdrs[3] = (Elf64_Shdr){ .sh_name = 18, .sh_type = SHT_PROGBITS,
		.sh_flags = SHF_ALLOC | SHF_WRITE, .sh_size = 64 };
	f->sechdrs[4] = (Elf64_Shdr){ .sh_name = 32, .sh_type = SHT_SYMTAB };
	f->syms[1] = (Elf64_Sym){ .st_name = 1, .st_shndx = SHN_ABS };
	f->syms[2] = (Elf64_Sym){ .st_name = 3, .st_shndx = SHN_UNDEF,
		.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_FUNC) };
	f->syms[3] = (Elf64_Sym){ .st_name = 10, .st_shndx = SHN_UNDEF,
		.st_info = ELF64_ST_INFO(STB_WEAK, STT_NOTYPE) };
	f->syms[4] = (Elf64_Sym){ .st_name = 21, .st_shndx = SHN_UNDEF,
		.st_info = ELF64_ST_INFO(STB_GLOBAL, STT_NOTYPE) };
	f->syms[5] = (Elf64_Sym){ .st_name = 29, .st_shndx = 3, .st_value = 0x18 };
	f->syms[6] = (Elf64_Sym){ .st_name = 38, .st_shndx = SHN_COMMON };
	f->info.hdr = &f->img->hdr;
	f->info.sechdrs = f->sechdrs;
	f->info.secstrings = shstr;
	f->info.strtab = strtab;
	f->info.strtab_size = sizeof(strtab);
	f->info.symtab = f->syms;
	f->info.num_syms = 2;		/* 0 and "x": the relocation tests */
	f->info.name = "m";
	f->map[1] = (struct module_sec_map){ PLACE, f->text, true };
	f->map[3] = (struct module_sec_map){ 0xffffffff82000040ULL, f->pcpu, true };
	return f;
}

static void fx_free(struct fixture *f)
{
	free(f->img);
	free(f);
}

/* Apply one relocation of 'type' at 'off', symbol x = S, addend A. */
static int reloc1(struct fixture *f, uint64_t type, uint64_t off,
		  uint64_t S, int64_t A, const char **reason)
{
	f->img->rela = (Elf64_Rela){ off, ELF64_R_INFO(1, type), A };
	f->values[1] = S;
	memset(f->text, 0, sizeof(f->text));
	return apply_relocate_add(&f->info, 2, f->map, f->values, reason);
}

static uint64_t read_le(const uint8_t *p, int width)
{
	uint64_t v = 0;

	memcpy(&v, p, width);
	return v;
}

static bool zero_bytes(const uint8_t *p, size_t from, size_t to)
{
	for (; from < to; from++)
		if (p[from])
			return false;
	return true;
}

/* The relocation fits and writes 'want' (width bytes) at offset 4. */
static void expect_ok(uint64_t type, uint64_t S, int64_t A, uint64_t want, int width)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;

	assert_int_equal(reloc1(f, type, 4, S, A, &reason), 0);
	assert_true(read_le(f->text + 4, width) == want);
	assert_true(zero_bytes(f->text, 4 + width, 16));	/* no spill */
	assert_true(zero_bytes(f->text, 0, 4));
	fx_free(f);
}

static void expect_overflow(uint64_t type, const char *name, uint64_t S, int64_t A)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;
	char want[64];

	assert_int_equal(reloc1(f, type, 4, S, A, &reason), -ENOEXEC);
	snprintf(want, sizeof(want), "m: overflow in relocation type %s val", name);
	assert_non_null(strstr(reason, want));
	assert_true(zero_bytes(f->text, 0, 16));
	fx_free(f);
}

static void test_r64(void **state)
{
	(void)state;
	expect_ok(R_X86_64_64, 0x1122334455667788ULL, 8, 0x1122334455667790ULL, 8);
	expect_ok(R_X86_64_64, 0xffffffffffffffffULL, 1, 0, 8);	/* wraps, as the CPU */
}

static void test_r32_zero_extension(void **state)
{
	(void)state;
	expect_ok(R_X86_64_32, 0xfffffff0, 0xf, 0xffffffff, 4);
	expect_ok(R_X86_64_32, 0, 0, 0, 4);
	expect_overflow(R_X86_64_32, "R_X86_64_32", 0xfffffff0, 0x10);
	/* A kernel address does not survive zero-extension. */
	expect_overflow(R_X86_64_32, "R_X86_64_32", 0xffffffff80000000ULL, 0);
	expect_overflow(R_X86_64_32, "R_X86_64_32", 0, -1);
}

static void test_r32s_sign_extension(void **state)
{
	(void)state;
	expect_ok(R_X86_64_32S, 0xffffffff80000000ULL, 0, 0x80000000, 4);
	expect_ok(R_X86_64_32S, 0x7fffffff, 0, 0x7fffffff, 4);
	expect_ok(R_X86_64_32S, 0xffffffffa0000000ULL, 0x10, 0xa0000010, 4);
	expect_overflow(R_X86_64_32S, "R_X86_64_32S", 0x7fffffff, 1);
	expect_overflow(R_X86_64_32S, "R_X86_64_32S", 0xffffffff80000000ULL, -1);
	expect_overflow(R_X86_64_32S, "R_X86_64_32S", 0xffff888000000000ULL, 0);
}

static void test_pc32_and_plt32(void **state)
{
	uint64_t P = PLACE + 4;

	(void)state;
	expect_ok(R_X86_64_PC32, P + 0x100, -4, 0xfc, 4);
	expect_ok(R_X86_64_PC32, P + 0x7fffffff, 0, 0x7fffffff, 4);
	expect_ok(R_X86_64_PC32, P - 0x80000000ULL, 0, 0x80000000, 4);
	expect_overflow(R_X86_64_PC32, "R_X86_64_PC32", P + 0x80000000ULL, 0);
	expect_overflow(R_X86_64_PC32, "R_X86_64_PC32", P - 0x80000001ULL, 0);
	expect_ok(R_X86_64_PLT32, P - 0x1000, -4, (uint32_t)-0x1004, 4);
	expect_overflow(R_X86_64_PLT32, "R_X86_64_PLT32", 0xffff888000000000ULL, -4);
}

static void test_pc64_and_none(void **state)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;

	(void)state;
	expect_ok(R_X86_64_PC64, 0x1000, 0, 0x1000 - (PLACE + 4), 8);
	expect_ok(R_X86_64_PC64, PLACE + 4, 0, 0, 8);
	assert_int_equal(reloc1(f, R_X86_64_NONE, 1000, 5, 5, &reason), 0);
	assert_true(zero_bytes(f->text, 0, 16));
	fx_free(f);
}

static void test_unknown_type(void **state)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;

	(void)state;
	assert_int_equal(reloc1(f, 9, 4, 0, 0, &reason), -ENOEXEC);
	assert_string_equal(reason, "m: Unknown rela relocation type 9 in section 2 (.rela.text)");
	assert_int_equal(reloc1(f, 0xffffffff, 4, 0, 0, &reason), -ENOEXEC);
	assert_non_null(strstr(reason, "type 4294967295"));
	fx_free(f);
}

static void test_offset_bounds(void **state)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;

	(void)state;
	assert_int_equal(reloc1(f, R_X86_64_64, 8, 1, 0, &reason), 0);
	assert_true(read_le(f->text + 8, 8) == 1);
	assert_int_equal(reloc1(f, R_X86_64_64, 9, 1, 0, &reason), -ENOEXEC);
	assert_non_null(strstr(reason, "m: R_X86_64_64 relocation 0 at offset 0x9 outside section 1 (.text, 16 bytes)"));
	assert_int_equal(reloc1(f, R_X86_64_32S, 12, 1, 0, &reason), 0);
	assert_int_equal(reloc1(f, R_X86_64_32S, 13, 1, 0, &reason), -ENOEXEC);
	/* An offset that would wrap when the width is added. */
	assert_int_equal(reloc1(f, R_X86_64_PC32, UINT64_MAX - 1, 1, 0, &reason), -ENOEXEC);
	assert_non_null(strstr(reason, "outside section 1"));
	fx_free(f);
}

static void test_symbol_index_and_refill(void **state)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;

	(void)state;
	f->img->rela = (Elf64_Rela){ 0, ELF64_R_INFO(2, R_X86_64_64), 0 };
	assert_int_equal(apply_relocate_add(&f->info, 2, f->map, f->values, &reason), -ENOEXEC);
	assert_non_null(strstr(reason, "symbol index 2 out of range"));
	/* A hole that is already filled: applied twice, refused (as Linux). */
	assert_int_equal(reloc1(f, R_X86_64_64, 0, 7, 0, &reason), 0);
	assert_int_equal(apply_relocate_add(&f->info, 2, f->map, f->values, &reason), -ENOEXEC);
	assert_non_null(strstr(reason, "existing value is nonzero"));
	fx_free(f);
}

static int resolve_printk(void *ctx, const char *name, uint64_t *value)
{
	(*(int *)ctx)++;
	if (strcmp(name, "printk") != 0)
		return -ENOENT;
	*value = 0xffffffff81234560ULL;
	return 0;
}

static void test_simplify_symbols(void **state)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;
	int calls = 0;

	(void)state;
	f->syms[1].st_value = 0x42;
	f->info.num_syms = 4;	/* x (ABS), printk, weak_thing */
	assert_int_equal(module_simplify_symbols(&f->info, f->map, resolve_printk,
						 &calls, f->values, &reason), 0);
	assert_true(f->values[1] == 0x42);
	assert_true(f->values[2] == 0xffffffff81234560ULL);
	assert_true(f->values[3] == 0);		/* weak, unresolved */
	assert_int_equal(calls, 2);

	f->info.num_syms = 5;	/* + missing */
	assert_int_equal(module_simplify_symbols(&f->info, f->map, resolve_printk,
						 &calls, f->values, &reason), -ENOENT);
	assert_string_equal(reason, "m: Unknown symbol missing");

	f->syms[4].st_shndx = 1;	/* now defined in .text */
	f->syms[4].st_value = 8;
	f->info.num_syms = 6;	/* + the per-CPU one */
	assert_int_equal(module_simplify_symbols(&f->info, f->map, resolve_printk,
						 &calls, f->values, &reason), 0);
	assert_true(f->values[4] == PLACE + 8);
	assert_true(f->values[5] == 0xffffffff82000040ULL + 0x18);

	f->info.num_syms = 7;	/* + SHN_COMMON */
	assert_int_equal(module_simplify_symbols(&f->info, f->map, resolve_printk,
						 &calls, f->values, &reason), -ENOEXEC);
	assert_non_null(strstr(reason, "m: please compile with -fno-common (symbol tentative"));
	fx_free(f);
}

/* A relocation inside .data..percpu patches the template buffer. */
static void test_percpu_relocation(void **state)
{
	struct fixture *f = fx_new();
	const char *reason = NULL;
	int calls = 0;

	(void)state;
	f->info.num_syms = 6;
	f->syms[4].st_shndx = 1;
	f->sechdrs[2].sh_info = 3;
	f->img->rela = (Elf64_Rela){ 0x20, ELF64_R_INFO(5, R_X86_64_64), 0 };
	assert_int_equal(module_simplify_symbols(&f->info, f->map, resolve_printk,
						 &calls, f->values, &reason), 0);
	assert_int_equal(module_apply_relocations(&f->info, f->map, f->values, &reason), 0);
	assert_true(read_le(f->pcpu + 0x20, 8) == 0xffffffff82000040ULL + 0x18);
	/* Not loaded: skipped, as for debug sections. */
	memset(f->pcpu, 0, sizeof(f->pcpu));
	f->map[3].loaded = false;
	assert_int_equal(module_apply_relocations(&f->info, f->map, f->values, &reason), 0);
	assert_true(read_le(f->pcpu + 0x20, 8) == 0);
	fx_free(f);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_r64),
		cmocka_unit_test(test_r32_zero_extension),
		cmocka_unit_test(test_r32s_sign_extension),
		cmocka_unit_test(test_pc32_and_plt32),
		cmocka_unit_test(test_pc64_and_none),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_offset_bounds),
		cmocka_unit_test(test_symbol_index_and_refill),
		cmocka_unit_test(test_simplify_symbols),
		cmocka_unit_test(test_percpu_relocation),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
