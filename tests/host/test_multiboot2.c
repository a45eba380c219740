/*
 * tests/host/test_multiboot2.c - host tests of kernel/multiboot2.c's
 * mb2_parse() on hand-built tag lists (Multiboot2 spec 3.6), whole and
 * damaged.  Each buffer is malloc'd at exactly its size: ASan sees any
 * read past it.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/multiboot2.c"

/* ---- building boot information ------------------------------------------ */

struct mbi {
	uint8_t buf[8192] __aligned(8);
	size_t len;
};

static void mbi_start(struct mbi *m)
{
	memset(m, 0, sizeof(*m));
	m->len = 8;	/* total_size, reserved: filled by mbi_finish */
}

static void put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
}

static void put64(uint8_t *p, uint64_t v)
{
	memcpy(p, &v, 8);
}

/* A tag of 'size' bytes (header included), payload copied; returns it. */
static uint8_t *mbi_tag(struct mbi *m, uint32_t type, uint32_t size,
			const void *payload, size_t payload_len)
{
	uint8_t *t = m->buf + m->len;

	assert_true(m->len + ALIGN_UP((size_t)size, 8) + 8 <= sizeof(m->buf));
	put32(t, type);
	put32(t + 4, size);
	if (payload_len)
		memcpy(t + 8, payload, payload_len);
	m->len += ALIGN_UP((size_t)size, 8);
	return t;
}

static void mbi_string(struct mbi *m, uint32_t type, const char *s)
{
	mbi_tag(m, type, 8 + (uint32_t)strlen(s) + 1, s, strlen(s) + 1);
}

static void mbi_module(struct mbi *m, uint32_t start, uint32_t end,
		       const char *name)
{
	uint8_t payload[256];
	size_t n = strlen(name) + 1;

	put32(payload, start);
	put32(payload + 4, end);
	memcpy(payload + 8, name, n);
	mbi_tag(m, MB2_TAG_MODULE, 16 + (uint32_t)n, payload, 8 + n);
}

static void mbi_end(struct mbi *m)
{
	mbi_tag(m, MB2_TAG_END, 8, NULL, 0);
	put32(m->buf, (uint32_t)m->len);
}

/* Parse a copy of exactly 'avail' bytes. */
static int parse(const struct mbi *m, size_t avail, struct boot_info *bi,
		 const char **err)
{
	uint8_t *copy = malloc(avail ? avail : 1);
	int ret;

	assert_non_null(copy);
	memcpy(copy, m->buf, avail < m->len ? avail : m->len);
	if (avail > m->len)
		memset(copy + m->len, 0, avail - m->len);
	memset(bi, 0, sizeof(*bi));
	ret = mb2_parse(copy, avail, bi, err);
	free(copy);
	return ret;
}

static struct boot_info bi;

/* ---- whole information ---------------------------------------------------- */

static void test_minimal(void **state)
{
	struct mbi m;
	const char *err = "x";

	(void)state;
	mbi_start(&m);
	mbi_end(&m);
	assert_int_equal(m.len, 16);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_null(err);
	assert_int_equal(bi.mbi_size, 16);
	assert_string_equal(bi.cmdline, "");
	assert_int_equal(bi.module_count, 0);
	assert_int_equal(bi.mmap_count, 0);
	assert_false(bi.has_framebuffer);
	assert_int_equal(bi.rsdp_len, 0);
}

static void test_cmdline_and_loader(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_string(&m, MB2_TAG_CMDLINE, "ktest=all poweroff");
	mbi_tag(&m, 999, 12, "abcd", 4);	/* unknown: skipped */
	mbi_string(&m, MB2_TAG_LOADER, "GRUB 2.06");
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_string_equal(bi.cmdline, "ktest=all poweroff");
	assert_string_equal(bi.loader_name, "GRUB 2.06");
}

static void test_cmdline_unterminated_and_long(void **state)
{
	static char longline[3000];
	struct mbi m;
	const char *err;

	(void)state;
	/* No NUL inside the tag: the copy stops at the tag's end. */
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_CMDLINE, 8 + 5, "abcdeXYZ", 8);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_string_equal(bi.cmdline, "abcde");

	/* Longer than BOOT_CMDLINE_MAX: cut, still terminated. */
	memset(longline, 'q', sizeof(longline) - 1);
	mbi_start(&m);
	mbi_string(&m, MB2_TAG_CMDLINE, longline);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(strlen(bi.cmdline), BOOT_CMDLINE_MAX - 1);
}

static void test_modules(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_module(&m, 0x200000, 0x200400, "initrd.cpio");
	mbi_module(&m, 0x300000, 0x300000, "");	/* empty, no name */
	mbi_tag(&m, MB2_TAG_MODULE, 12, "\0\0\0\0", 4);	/* too small */
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.module_count, 2);
	assert_int_equal(bi.modules[0].start, 0x200000);
	assert_int_equal(bi.modules[0].end, 0x200400);
	assert_string_equal(bi.modules[0].name, "initrd.cpio");
	assert_string_equal(bi.modules[1].name, "");
	assert_int_equal(bi.skipped_tags, 1);
}

static void test_too_many_modules(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	for (int i = 0; i < BOOT_MODULES_MAX + 3; i++)
		mbi_module(&m, 0x1000u * (unsigned)i, 0x1000u * (unsigned)i + 1,
			   "m");
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.module_count, BOOT_MODULES_MAX);
	assert_int_equal(bi.skipped_tags, 3);
}

static void test_module_backwards(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_module(&m, 0x1000, 0x2000, "good");
	mbi_module(&m, 0x5000, 0x4000, "bad");
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
	assert_string_equal(err, "module ends before it starts");
	assert_int_equal(bi.module_count, 1);	/* the good one kept */
}

static uint8_t *mbi_mmap(struct mbi *m, uint32_t entry_size, int n)
{
	uint8_t payload[1024] = { 0 };

	put32(payload, entry_size);
	put32(payload + 4, 0);
	for (int i = 0; i < n; i++) {
		uint8_t *e = payload + 8 + (size_t)i * entry_size;

		put64(e, 0x100000ULL * (uint64_t)(i + 1));
		put64(e + 8, 0x1000ULL * (uint64_t)(i + 1));
		put32(e + 16, (uint32_t)(i % 5) + 1);
	}
	return mbi_tag(m, MB2_TAG_MMAP, 16 + entry_size * (uint32_t)n,
		       payload, 8 + entry_size * (size_t)n);
}

static void test_mmap(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_mmap(&m, 24, 3);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.mmap_count, 3);
	assert_int_equal(bi.mmap[2].base, 0x300000);
	assert_int_equal(bi.mmap[2].len, 0x3000);
	assert_int_equal(bi.mmap[2].type, 3);

	/* A bigger entry (a later spec version): the extra bytes skipped. */
	mbi_start(&m);
	mbi_mmap(&m, 32, 4);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.mmap_count, 4);
	assert_int_equal(bi.mmap[3].base, 0x400000);
	assert_int_equal(bi.mmap[3].type, 4);
}

static void test_mmap_bad(void **state)
{
	static const uint32_t bad_sizes[] = { 0, 8, 20, 28 };
	struct mbi m;
	const char *err;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(bad_sizes); i++) {
		mbi_start(&m);
		mbi_mmap(&m, 24, 2);
		put32(m.buf + 8 + 8, bad_sizes[i]);
		mbi_end(&m);
		assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
		assert_string_equal(err,
			"memory map entry size is not a multiple of 8 >= 24");
	}
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_MMAP, 12, "\x18\0\0\0", 4);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
	assert_string_equal(err, "memory map tag too small");
}

/* An entry size so large that offset + size wraps a 32-bit sum. */
static void test_mmap_huge_entry_size(void **state)
{
	static const uint32_t huge[] = { 0xfffffff8u, 0xffffffe8u, 0x80000000u };
	struct mbi m;
	const char *err;

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(huge); i++) {
		mbi_start(&m);
		mbi_mmap(&m, 24, 2);
		put32(m.buf + 8 + 8, huge[i]);
		mbi_end(&m);
		assert_int_equal(parse(&m, m.len, &bi, &err), 0);
		assert_int_equal(bi.mmap_count, 0);

		/* A tag with no entries, last before the end tag: a
		 * wrapped sum would read past the buffer (ASan). */
		mbi_start(&m);
		mbi_mmap(&m, huge[i], 0);
		mbi_end(&m);
		assert_int_equal(parse(&m, m.len, &bi, &err), 0);
		assert_int_equal(bi.mmap_count, 0);
	}
}

static void test_mmap_overflow_table(void **state)
{
	static struct mbi m;
	const char *err;

	(void)state;
	/* 300 entries in several tags: the table keeps BOOT_MMAP_MAX. */
	mbi_start(&m);
	for (int i = 0; i < 10; i++)
		mbi_mmap(&m, 24, 30);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.mmap_count, BOOT_MMAP_MAX);
	assert_true(bi.skipped_tags >= 1);
}

static void test_framebuffer(void **state)
{
	uint8_t fb[32] = { 0 };
	struct mbi m;
	const char *err;

	(void)state;
	put64(fb, 0xfd000000);
	put32(fb + 8, 4096);
	put32(fb + 12, 1024);
	put32(fb + 16, 768);
	fb[20] = 32;
	fb[21] = FB_TYPE_RGB;
	fb[24] = 16; fb[25] = 8; fb[26] = 8; fb[27] = 8; fb[28] = 0; fb[29] = 8;
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_FRAMEBUFFER, 8 + 30, fb, 30);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_true(bi.has_framebuffer);
	assert_int_equal(bi.fb.addr, 0xfd000000);
	assert_int_equal(bi.fb.pitch, 4096);
	assert_int_equal(bi.fb.width, 1024);
	assert_int_equal(bi.fb.height, 768);
	assert_int_equal(bi.fb.bpp, 32);
	assert_int_equal(bi.fb.red_pos, 16);
	assert_int_equal(bi.fb.green_pos, 8);
	assert_int_equal(bi.fb.blue_size, 8);

	/* EGA text: no colour fields needed. */
	fb[21] = FB_TYPE_EGA_TEXT;
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_FRAMEBUFFER, 8 + 24, fb, 24);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_true(bi.has_framebuffer);
	assert_int_equal(bi.fb.type, FB_TYPE_EGA_TEXT);

	/* RGB without room for its colour fields: not used. */
	fb[21] = FB_TYPE_RGB;
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_FRAMEBUFFER, 8 + 24, fb, 24);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_false(bi.has_framebuffer);

	/* Too small for even the common part. */
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_FRAMEBUFFER, 8 + 16, fb, 16);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_false(bi.has_framebuffer);
}

static void test_efi(void **state)
{
	uint8_t p[8];
	struct mbi m;
	const char *err;

	(void)state;
	put64(p, 0x7f9e0018);
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_EFI64, 16, p, 8);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_true(bi.efi);
	assert_int_equal(bi.efi_system_table, 0x7f9e0018);
}

static void acpi_tag(struct mbi *m, uint32_t type, uint8_t fill, uint32_t len)
{
	uint8_t rsdp[36];

	memset(rsdp, fill, sizeof(rsdp));
	memcpy(rsdp, "RSD PTR ", 8);
	mbi_tag(m, type, 8 + len, rsdp, len);
}

static void test_acpi_preference(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	/* Old only: the 20-byte v1 RSDP. */
	mbi_start(&m);
	acpi_tag(&m, MB2_TAG_ACPI_OLD, 1, 20);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.rsdp_len, 20);
	assert_memory_equal(bi.rsdp, "RSD PTR ", 8);
	assert_int_equal(bi.rsdp[19], 1);

	/* New before old: the new one is kept. */
	mbi_start(&m);
	acpi_tag(&m, MB2_TAG_ACPI_NEW, 2, 36);
	acpi_tag(&m, MB2_TAG_ACPI_OLD, 1, 20);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp[35], 2);

	/* Old before new: the new one replaces it. */
	mbi_start(&m);
	acpi_tag(&m, MB2_TAG_ACPI_OLD, 1, 20);
	acpi_tag(&m, MB2_TAG_ACPI_NEW, 2, 36);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.rsdp_len, 36);
	assert_int_equal(bi.rsdp[19], 2);

	/* A longer payload is cut to the copy's size. */
	mbi_start(&m);
	mbi_tag(&m, MB2_TAG_ACPI_NEW, 8 + 40, m.buf, 0);
	mbi_end(&m);
	assert_int_equal(parse(&m, m.len, &bi, &err), 0);
	assert_int_equal(bi.rsdp_len, sizeof(bi.rsdp));
}

/* ---- damaged information -------------------------------------------------- */

static void test_short_buffer(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_end(&m);
	for (size_t n = 0; n < 16; n++) {
		assert_int_equal(parse(&m, n, &bi, &err), -EINVAL);
		assert_string_equal(err,
				    "boot information shorter than its header");
	}
}

static void test_total_size_out_of_range(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_string(&m, MB2_TAG_CMDLINE, "x");
	mbi_end(&m);
	/* total_size larger than what is there. */
	assert_int_equal(parse(&m, m.len - 8, &bi, &err), -EINVAL);
	assert_string_equal(err, "boot information total_size out of range");
	put32(m.buf, 0xffffffffu);
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
	put32(m.buf, 8);
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
}

static void test_tag_size_too_small(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	for (uint32_t size = 0; size < 8; size++) {
		mbi_start(&m);
		mbi_string(&m, MB2_TAG_CMDLINE, "first");
		put32(m.buf + m.len, MB2_TAG_LOADER);
		put32(m.buf + m.len + 4, size);
		m.len += 8;
		mbi_end(&m);
		assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
		assert_string_equal(err,
				    "boot information tag size out of range");
		assert_string_equal(bi.cmdline, "first");	/* kept */
	}
}

static void test_tag_past_total(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_string(&m, MB2_TAG_CMDLINE, "abc");
	mbi_end(&m);
	put32(m.buf + 8 + 4, 0x1000);	/* the cmdline tag claims 4 KiB */
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
	assert_string_equal(err, "boot information tag size out of range");
	put32(m.buf + 8 + 4, 0xfffffff9u);	/* wraps when aligned */
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
}

static void test_missing_end_tag(void **state)
{
	struct mbi m;
	const char *err;

	(void)state;
	mbi_start(&m);
	mbi_string(&m, MB2_TAG_CMDLINE, "no end");
	mbi_string(&m, MB2_TAG_LOADER, "x");
	put32(m.buf, (uint32_t)m.len);
	assert_int_equal(parse(&m, m.len, &bi, &err), -EINVAL);
	assert_string_equal(err, "boot information has no end tag");
	assert_string_equal(bi.cmdline, "no end");
}

/* Every total_size from 16 to the whole: refused or parsed, never a read
 * past the buffer. */
static void test_every_truncation(void **state)
{
	static struct mbi full;
	uint8_t fb[30] = { 0 };
	const char *err;

	(void)state;
	mbi_start(&full);
	mbi_string(&full, MB2_TAG_CMDLINE, "ktest=all poweroff");
	mbi_string(&full, MB2_TAG_LOADER, "GRUB");
	mbi_module(&full, 0x200000, 0x201000, "initrd.cpio");
	mbi_mmap(&full, 24, 5);
	fb[13] = FB_TYPE_RGB;
	mbi_tag(&full, MB2_TAG_FRAMEBUFFER, 8 + 30, fb, 30);
	acpi_tag(&full, MB2_TAG_ACPI_NEW, 3, 36);
	mbi_end(&full);
	for (size_t n = 16; n <= full.len; n++) {
		struct mbi m = full;
		int ret;

		put32(m.buf, (uint32_t)n);
		ret = parse(&m, n, &bi, &err);
		if (n == full.len)
			assert_int_equal(ret, 0);
		else
			assert_int_equal(ret, -EINVAL);
		if (ret)
			assert_non_null(err);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_minimal),
		cmocka_unit_test(test_cmdline_and_loader),
		cmocka_unit_test(test_cmdline_unterminated_and_long),
		cmocka_unit_test(test_modules),
		cmocka_unit_test(test_too_many_modules),
		cmocka_unit_test(test_module_backwards),
		cmocka_unit_test(test_mmap),
		cmocka_unit_test(test_mmap_bad),
		cmocka_unit_test(test_mmap_huge_entry_size),
		cmocka_unit_test(test_mmap_overflow_table),
		cmocka_unit_test(test_framebuffer),
		cmocka_unit_test(test_efi),
		cmocka_unit_test(test_acpi_preference),
		cmocka_unit_test(test_short_buffer),
		cmocka_unit_test(test_total_size_out_of_range),
		cmocka_unit_test(test_tag_size_too_small),
		cmocka_unit_test(test_tag_past_total),
		cmocka_unit_test(test_missing_end_tag),
		cmocka_unit_test(test_every_truncation),
	};

	return cmocka_run_group_tests_name("multiboot2", tests, NULL, NULL);
}
