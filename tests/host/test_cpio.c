/*
 * tests/host/test_cpio.c - host tests of kernel/cpio.c, the newc walker.
 *
 * Every archive is built here by a small newc writer (ar_add), so the
 * tests need no fixture files.  Buffers handed to the parser are malloc'd
 * at exactly their length, so any read past the end is an ASan error.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/cpio.c"

/* ---- a small newc writer ---------------------------------------------- */

struct ar {
	uint8_t buf[16384];
	size_t len;
};

static void ar_put(struct ar *a, const void *p, size_t n)
{
	assert_true(a->len + n <= sizeof(a->buf));
	memcpy(a->buf + a->len, p, n);
	a->len += n;
}

static void ar_pad(struct ar *a)
{
	while (a->len % 4)
		a->buf[a->len++] = 0;
}

/*
 * One entry.  'magic' is "070701" or "070702" (the checksum is computed);
 * 'upper' writes the hex digits in upper case, as Linux's gen_init_cpio.
 * Returns the offset of the entry's header.
 */
static size_t ar_add_full(struct ar *a, const char *magic, const char *name,
			  uint32_t mode, const void *data, size_t size,
			  bool upper)
{
	char hdr[CPIO_HEADER_SIZE + 1];
	size_t off = a->len;
	uint32_t check = 0;

	if (!strcmp(magic, "070702"))
		for (size_t i = 0; i < size; i++)
			check += ((const uint8_t *)data)[i];
	snprintf(hdr, sizeof(hdr),
		 upper ? "%s%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X%08X"
		       : "%s%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x%08x",
		 magic, 7u, mode, 0u, 0u, 1u, 1700000000u, (unsigned)size, 0u,
		 0u, 0u, 0u, (unsigned)strlen(name) + 1, check);
	ar_put(a, hdr, CPIO_HEADER_SIZE);
	ar_put(a, name, strlen(name) + 1);
	ar_pad(a);
	ar_put(a, data, size);
	ar_pad(a);
	return off;
}

static size_t ar_file(struct ar *a, const char *name, const char *text)
{
	return ar_add_full(a, "070701", name, CPIO_S_IFREG | 0644, text,
			   strlen(text), false);
}

static size_t ar_dir(struct ar *a, const char *name)
{
	return ar_add_full(a, "070701", name, CPIO_S_IFDIR | 0755, "", 0,
			   false);
}

static size_t ar_trailer(struct ar *a)
{
	return ar_add_full(a, "070701", CPIO_TRAILER, 0, "", 0, false);
}

/* A copy of exactly n bytes, so ASan sees any read beyond it. */
static uint8_t *dup_exact(const void *p, size_t n)
{
	uint8_t *q = malloc(n ? n : 1);

	assert_non_null(q);
	memcpy(q, p, n);
	return q;
}

/* The sample archive most tests use: names and sizes that hit every
 * padding case (name end and data end at each value mod 4). */
static void build_sample(struct ar *a)
{
	memset(a, 0, sizeof(*a));
	ar_dir(a, "./etc");
	ar_file(a, "./etc/motd", "Hello from the initrd.\n");
	ar_dir(a, "/lib");
	ar_dir(a, "lib/modules");
	ar_file(a, "a", "");
	ar_file(a, "bb", "1");
	ar_file(a, "ccc", "22");
	ar_file(a, "dddd", "333");
	ar_file(a, "eeeee", "4444");
	ar_add_full(a, "070701", "link", CPIO_S_IFLNK | 0777, "a", 1, false);
	ar_trailer(a);
}

static const char *const sample_names[] = {
	"etc", "etc/motd", "lib", "lib/modules", "a", "bb", "ccc", "dddd",
	"eeeee", "link",
};

static int scan(const void *buf, size_t n, struct cpio_summary *sum,
		struct cpio_error *err)
{
	uint8_t *copy = dup_exact(buf, n);
	int ret = cpio_scan(copy, n, sum, err);

	free(copy);
	return ret;
}

/* ---- a whole, valid archive -------------------------------------------- */

static void test_valid_walk(void **state)
{
	struct ar a;
	struct cpio_iter it;
	struct cpio_entry e;
	struct cpio_error err;
	unsigned int i = 0;
	int ret;

	(void)state;
	build_sample(&a);
	cpio_iter_init(&it, a.buf, a.len);
	while ((ret = cpio_next(&it, &e, &err)) > 0) {
		assert_true(i < ARRAY_SIZE(sample_names));
		assert_string_equal(e.name, sample_names[i]);
		assert_int_equal(e.offset % 4, 0);
		assert_int_equal(((const uint8_t *)e.data - a.buf) % 4, 0);
		i++;
	}
	assert_int_equal(ret, 0);
	assert_int_equal(i, ARRAY_SIZE(sample_names));
	/* After the trailer: 0 again, forever. */
	assert_int_equal(cpio_next(&it, &e, &err), 0);
}

static void test_valid_scan(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;

	(void)state;
	build_sample(&a);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(sum.entries, 10);
	assert_int_equal(sum.files, 6);
	assert_int_equal(sum.dirs, 3);
	assert_int_equal(sum.file_bytes, strlen("Hello from the initrd.\n") +
					 0 + 1 + 2 + 3 + 4);
	assert_int_equal(sum.valid_len, a.len);
}

/* A name twice ("./etc/motd" and "etc/motd" are one name): scan counts
 * it once per repeat and names the first pair; lookup gives the last. */
static void test_duplicate_names(void **state)
{
	struct cpio_summary sum;
	struct cpio_error err;
	struct cpio_entry e;
	size_t first, second;
	struct ar a;

	(void)state;
	memset(&a, 0, sizeof(a));
	first = ar_file(&a, "./etc/motd", "old\n");
	ar_file(&a, "bb", "1");
	second = ar_file(&a, "etc/motd", "new, longer\n");
	ar_file(&a, "bb", "2");
	ar_file(&a, "bb", "3");
	ar_trailer(&a);
	/* In place: dup_name points into the archive. */
	assert_int_equal(cpio_scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(sum.entries, 5);
	assert_int_equal(sum.duplicates, 3);
	assert_string_equal(sum.dup_name, "etc/motd");
	assert_int_equal(sum.dup_first_offset, first);
	assert_int_equal(sum.dup_offset, second);
	assert_int_equal(cpio_lookup(a.buf, a.len, "/etc/motd", &e), 1);
	assert_int_equal(e.offset, second);
	assert_memory_equal(e.data, "new, longer\n", 12);
	assert_int_equal(cpio_lookup(a.buf, a.len, "bb", &e), 1);
	assert_memory_equal(e.data, "3", 1);

	/* No name twice in the sample. */
	build_sample(&a);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(sum.duplicates, 0);
	assert_null(sum.dup_name);
}

static void test_file_contents_and_types(void **state)
{
	struct ar a;
	struct cpio_entry e;

	(void)state;
	build_sample(&a);
	assert_int_equal(cpio_lookup(a.buf, a.len, "etc/motd", &e), 1);
	assert_true(cpio_is_reg(&e));
	assert_int_equal(e.size, 23);
	assert_memory_equal(e.data, "Hello from the initrd.\n", 23);
	assert_int_equal(cpio_lookup(a.buf, a.len, "dddd", &e), 1);
	assert_int_equal(e.size, 3);
	assert_memory_equal(e.data, "333", 3);
	assert_int_equal(cpio_lookup(a.buf, a.len, "etc", &e), 1);
	assert_true(cpio_is_dir(&e));
	assert_false(cpio_is_reg(&e));
	assert_int_equal(cpio_lookup(a.buf, a.len, "link", &e), 1);
	assert_false(cpio_is_reg(&e));
	assert_false(cpio_is_dir(&e));
	/* Leading "/" and "./" in the query are ignored too. */
	assert_int_equal(cpio_lookup(a.buf, a.len, "/etc/motd", &e), 1);
	assert_int_equal(cpio_lookup(a.buf, a.len, "./lib/modules", &e), 1);
	assert_int_equal(cpio_lookup(a.buf, a.len, "etc/motdx", &e), 0);
	assert_int_equal(cpio_lookup(a.buf, a.len, "etc/mot", &e), 0);
	assert_int_equal(cpio_lookup(a.buf, a.len, CPIO_TRAILER, &e), 0);
	assert_int_equal(cpio_lookup(a.buf, a.len, "", &e), 0);
}

/*
 * A name is found by the name the walk gives it: every leading "./" and
 * "/" goes, so that stripping the name again changes nothing.  It used
 * to be one "./" and then the slashes, so "././motd" came back as
 * "./motd", which `ls` showed and `cat ./motd` could not find (the
 * lookup stripped it to "motd").  Found while writing the check in
 * tests/fuzz/fuzz_cpio.c, whose regression it is.
 */
static void test_every_leading_dot_slash(void **state)
{
	static const char *const names[] = {
		"././motd", "/./motd", ".//./motd", "//motd", "./././/motd",
	};
	struct ar a;
	struct cpio_iter it;
	struct cpio_entry e;
	struct cpio_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		memset(&a, 0, sizeof(a));
		ar_file(&a, names[i], "x");
		ar_trailer(&a);
		cpio_iter_init(&it, a.buf, a.len);
		assert_int_equal(cpio_next(&it, &e, &err), 1);
		assert_string_equal(e.name, "motd");
		assert_int_equal(cpio_lookup(a.buf, a.len, e.name, &e), 1);
		assert_int_equal(cpio_lookup(a.buf, a.len, names[i], &e), 1);
		assert_int_equal(cpio_lookup(a.buf, a.len, "./motd", &e), 1);
	}
	/* What is not a leading "./" stays: "." alone, "../", ".x". */
	memset(&a, 0, sizeof(a));
	ar_file(&a, "../up", "x");
	ar_file(&a, ".", "x");
	ar_file(&a, "./.hidden", "x");
	ar_trailer(&a);
	cpio_iter_init(&it, a.buf, a.len);
	assert_int_equal(cpio_next(&it, &e, &err), 1);
	assert_string_equal(e.name, "../up");
	assert_int_equal(cpio_next(&it, &e, &err), 1);
	assert_string_equal(e.name, ".");
	assert_int_equal(cpio_next(&it, &e, &err), 1);
	assert_string_equal(e.name, ".hidden");
}

static void test_upper_case_hex(void **state)
{
	struct ar a = { .len = 0 };
	struct cpio_entry e;
	struct cpio_summary sum;
	struct cpio_error err;

	(void)state;
	/* A size and mode with letters in them: 0x2a bytes, mode 0x81a4. */
	char data[0x2a];

	memset(data, 'z', sizeof(data));
	ar_add_full(&a, "070701", "up", CPIO_S_IFREG | 0644, data,
		    sizeof(data), true);
	ar_add_full(&a, "070701", CPIO_TRAILER, 0, "", 0, true);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(cpio_lookup(a.buf, a.len, "up", &e), 1);
	assert_int_equal(e.size, 0x2a);
	assert_int_equal(e.mode, CPIO_S_IFREG | 0644);
}

/* GNU cpio pads to 512 bytes; concatenated archives follow a trailer. */
static void test_after_trailer_ignored(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;
	size_t end;

	(void)state;
	build_sample(&a);
	end = a.len;
	memset(a.buf + a.len, 0, 512);
	a.len += 512;
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	ar_file(&a, "after", "not seen");
	memcpy(a.buf + a.len, "garbage", 7);
	a.len += 7;
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(sum.entries, 10);
	assert_int_equal(sum.valid_len, end);
}

/* ---- truncation: every length of a valid archive ------------------------ */

static void test_every_truncation(void **state)
{
	struct ar a;
	struct cpio_summary full, sum;
	struct cpio_error err;
	unsigned int last_entries = 0;
	size_t trailer_name_end;

	(void)state;
	build_sample(&a);
	assert_int_equal(scan(a.buf, a.len, &full, &err), 0);
	/* "TRAILER!!!" + NUL is 11 bytes: its header+name end 3 bytes
	 * before its padding does, and the padding may be cut. */
	trailer_name_end = a.len - 3;
	for (size_t n = 0; n <= a.len; n++) {
		int ret;

		err.reason = NULL;
		err.offset = SIZE_MAX;
		ret = scan(a.buf, n, &sum, &err);
		if (n >= trailer_name_end) {
			assert_int_equal(ret, 0);
			assert_int_equal(sum.entries, full.entries);
			continue;
		}
		/* Refused, with a reason and a place inside what was given. */
		assert_int_equal(ret, -EINVAL);
		assert_non_null(err.reason);
		assert_true(err.offset <= n);
		assert_true(sum.valid_len <= n);
		/* What was read before the cut is a prefix of the archive. */
		assert_true(sum.entries >= last_entries);
		/* All entries only once "link" (1 data byte, 3 of padding,
		 * then the trailer's header) is whole. */
		assert_true(sum.entries < full.entries ||
			    n >= trailer_name_end - CPIO_HEADER_SIZE - 11 - 3);
		last_entries = sum.entries;
		/* And a lookup over the damaged buffer stays inside it. */
		uint8_t *copy = dup_exact(a.buf, n);
		struct cpio_entry e;

		if (cpio_lookup(copy, n, "eeeee", &e)) {
			assert_int_equal(e.size, 4);
			assert_memory_equal(e.data, "4444", 4);
		}
		free(copy);
	}
}

static void test_truncated_reasons(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;
	size_t motd;

	(void)state;
	memset(&a, 0, sizeof(a));
	ar_dir(&a, "etc");
	motd = ar_file(&a, "etc/motd", "0123456789");
	ar_trailer(&a);

	/* Inside the second header. */
	assert_int_equal(scan(a.buf, motd + 50, &sum, &err), -EINVAL);
	assert_string_equal(err.reason, "truncated entry header");
	assert_int_equal(err.offset, motd);
	assert_int_equal(sum.entries, 1);
	assert_int_equal(sum.valid_len, motd);
	/* Inside its name. */
	assert_int_equal(scan(a.buf, motd + CPIO_HEADER_SIZE + 3, &sum, &err),
			 -EINVAL);
	assert_string_equal(err.reason,
			    "name runs past the end of the archive");
	assert_int_equal(err.offset, motd + CPIO_HEADER_SIZE);
	/* Inside its data (name "etc/motd" + NUL = 9: data at +120). */
	assert_int_equal(scan(a.buf, motd + 125, &sum, &err), -EINVAL);
	assert_string_equal(err.reason,
			    "file data runs past the end of the archive");
	assert_int_equal(err.offset, motd + 120);
	/* Exactly at an entry boundary, before the trailer. */
	assert_int_equal(scan(a.buf, motd, &sum, &err), -EINVAL);
	assert_string_equal(err.reason,
			    "archive ends without a TRAILER!!! entry");
	assert_int_equal(err.offset, motd);
	/* An empty buffer. */
	assert_int_equal(scan(a.buf, 0, &sum, &err), -EINVAL);
	assert_int_equal(err.offset, 0);
	assert_int_equal(sum.entries, 0);
}

/* ---- corrupt headers ----------------------------------------------------- */

static void test_bad_magic(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;
	size_t second;

	(void)state;
	memset(&a, 0, sizeof(a));
	ar_dir(&a, "etc");
	second = ar_file(&a, "x", "y");
	ar_trailer(&a);

	a.buf[0] = '1';		/* "170701" */
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_string_equal(err.reason, "bad magic (not 070701 or 070702)");
	assert_int_equal(err.offset, 0);
	assert_int_equal(sum.entries, 0);
	a.buf[0] = '0';

	memcpy(a.buf + second, "070707", 6);	/* the old "odc" format */
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_int_equal(err.offset, second);
	assert_int_equal(sum.entries, 1);
	/* The entry before the damage stays usable. */
	assert_int_equal(sum.valid_len, second);
}

static void test_bad_hex_every_field(void **state)
{
	static const char bad[] = { 'g', ' ', '-', 'x', '\0', 'G' };

	(void)state;
	for (int f = 0; f < F_COUNT; f++) {
		for (size_t b = 0; b < sizeof(bad); b++) {
			struct ar a;
			struct cpio_summary sum;
			struct cpio_error err;
			size_t pos = 6 + (size_t)f * 8 + (b % 8);

			memset(&a, 0, sizeof(a));
			ar_file(&a, "f", "data");
			ar_trailer(&a);
			a.buf[pos] = (uint8_t)bad[b];
			assert_int_equal(scan(a.buf, a.len, &sum, &err),
					 -EINVAL);
			assert_int_equal(err.offset, 6 + (size_t)f * 8);
			assert_non_null(strstr(err.reason,
					       "is not 8 hex digits"));
		}
	}
}

/* Overwrite field f of the header at 'off' with value v. */
static void set_field(struct ar *a, size_t off, int f, uint32_t v)
{
	char tmp[9];

	snprintf(tmp, sizeof(tmp), "%08x", v);
	memcpy(a->buf + off + 6 + (size_t)f * 8, tmp, 8);
}

static void test_namesize_zero_and_one(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;

	(void)state;
	memset(&a, 0, sizeof(a));
	ar_file(&a, "f", "data");
	ar_trailer(&a);
	set_field(&a, 0, F_NAMESIZE, 0);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_string_equal(err.reason, "name size is 0");
	assert_int_equal(err.offset, 6 + F_NAMESIZE * 8);

	set_field(&a, 0, F_NAMESIZE, 1);
	a.buf[CPIO_HEADER_SIZE] = '\0';
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_string_equal(err.reason, "empty name");
}

static void test_name_not_terminated(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;

	(void)state;
	memset(&a, 0, sizeof(a));
	ar_file(&a, "name", "data");
	ar_trailer(&a);
	/* The NUL where namesize says is replaced: no terminator. */
	a.buf[CPIO_HEADER_SIZE + 4] = 'X';
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_string_equal(err.reason,
			    "name is not NUL-terminated at its size");
	assert_int_equal(err.offset, CPIO_HEADER_SIZE);
	/* A NUL before the last is the name's end, the rest padding: Linux's
	 * do_name() and GNU cpio take "na" here (GNU cpio's verdict on a
	 * flipped c_namesize bit, in tests/bad_initrds.py, found that the
	 * parser once refused it). */
	a.buf[CPIO_HEADER_SIZE + 4] = '\0';
	a.buf[CPIO_HEADER_SIZE + 2] = '\0';
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(sum.entries, 1);
	assert_int_equal(cpio_lookup(a.buf, a.len, "na", &(struct cpio_entry){ 0 }), 1);
	/* A namesize one too small: the NUL is past it. */
	a.buf[CPIO_HEADER_SIZE + 2] = 'm';
	set_field(&a, 0, F_NAMESIZE, 4);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
}

static void test_huge_sizes(void **state)
{
	static const uint32_t huge[] = { 0xffffffffu, 0xfffffffcu,
					 0x80000000u, 0x10000u };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(huge); i++) {
		struct ar a;
		struct cpio_summary sum;
		struct cpio_error err;

		memset(&a, 0, sizeof(a));
		ar_file(&a, "f", "data");
		ar_trailer(&a);
		set_field(&a, 0, F_FILESIZE, huge[i]);
		assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
		assert_string_equal(err.reason,
			"file data runs past the end of the archive");

		set_field(&a, 0, F_FILESIZE, 4);
		set_field(&a, 0, F_NAMESIZE, huge[i]);
		assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
		assert_string_equal(err.reason,
				    "name runs past the end of the archive");
	}
}

static void test_missing_trailer(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;

	(void)state;
	memset(&a, 0, sizeof(a));
	ar_dir(&a, "d");
	ar_file(&a, "d/f", "abc");
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_string_equal(err.reason,
			    "archive ends without a TRAILER!!! entry");
	assert_int_equal(err.offset, a.len);
	assert_int_equal(sum.entries, 2);
	assert_int_equal(sum.files, 1);
	/* Zeros in place of a trailer are not a trailer. */
	memset(a.buf + a.len, 0, 512);
	assert_int_equal(scan(a.buf, a.len + 512, &sum, &err), -EINVAL);
	assert_int_equal(err.offset, a.len);
	/* The entries before stay usable by lookup. */
	struct cpio_entry e;

	assert_int_equal(cpio_lookup(a.buf, a.len, "d/f", &e), 1);
	assert_memory_equal(e.data, "abc", 3);
}

static void test_crc_format(void **state)
{
	struct ar a;
	struct cpio_summary sum;
	struct cpio_error err;
	size_t off, data_at;

	(void)state;
	memset(&a, 0, sizeof(a));
	off = ar_add_full(&a, "070702", "sum", CPIO_S_IFREG | 0644,
			  "\xff\xfe\x01", 3, false);
	ar_add_full(&a, "070702", CPIO_TRAILER, 0, "", 0, false);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
	assert_int_equal(sum.files, 1);

	/* One data byte changed: the sum no longer matches. */
	data_at = off + CPIO_HEADER_SIZE + 4 + 2;	/* "sum\0", padded */
	assert_int_equal(a.buf[data_at], 0xff);
	a.buf[data_at] = 0xfd;
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	assert_string_equal(err.reason, "070702 checksum mismatch");
	assert_int_equal(err.offset, off);
	a.buf[data_at] = 0xff;

	/* A wrong c_check field. */
	set_field(&a, off, F_CHECK, 0x1fd);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), -EINVAL);
	/* 070701 ignores c_check, as Linux does. */
	memcpy(a.buf + off, "070701", 6);
	assert_int_equal(scan(a.buf, a.len, &sum, &err), 0);
}

static void test_error_is_sticky(void **state)
{
	struct ar a;
	struct cpio_iter it;
	struct cpio_entry e;
	struct cpio_error err, again;

	(void)state;
	build_sample(&a);
	a.buf[0] = 'X';
	cpio_iter_init(&it, a.buf, a.len);
	assert_int_equal(cpio_next(&it, &e, &err), -EINVAL);
	assert_int_equal(cpio_next(&it, &e, &again), -EINVAL);
	assert_ptr_equal(err.reason, again.reason);
	assert_int_equal(err.offset, again.offset);
}

/* Random damage: never a crash or an out-of-bounds read (ASan), and an
 * error always points inside the buffer. */
static void test_random_damage(void **state)
{
	struct ar a, orig;
	unsigned int seed = 12345;

	(void)state;
	build_sample(&orig);
	for (int round = 0; round < 20000; round++) {
		struct cpio_summary sum;
		struct cpio_error err;
		int flips = 1 + (int)(rand_r(&seed) % 4);
		size_t n;

		a = orig;
		for (int i = 0; i < flips; i++)
			a.buf[rand_r(&seed) % a.len] =
				(uint8_t)"0123456789abcdefXx\0 "[rand_r(&seed) % 21];
		n = a.len - rand_r(&seed) % 8;
		if (scan(a.buf, n, &sum, &err)) {
			assert_true(err.offset <= n);
			assert_true(sum.valid_len <= n);
		} else {
			assert_true(sum.valid_len <= n);
		}
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_walk),
		cmocka_unit_test(test_valid_scan),
		cmocka_unit_test(test_file_contents_and_types),
		cmocka_unit_test(test_every_leading_dot_slash),
		cmocka_unit_test(test_upper_case_hex),
		cmocka_unit_test(test_after_trailer_ignored),
		cmocka_unit_test(test_every_truncation),
		cmocka_unit_test(test_truncated_reasons),
		cmocka_unit_test(test_bad_magic),
		cmocka_unit_test(test_bad_hex_every_field),
		cmocka_unit_test(test_namesize_zero_and_one),
		cmocka_unit_test(test_name_not_terminated),
		cmocka_unit_test(test_huge_sizes),
		cmocka_unit_test(test_missing_trailer),
		cmocka_unit_test(test_crc_format),
		cmocka_unit_test(test_error_is_sticky),
		cmocka_unit_test(test_random_damage),
		cmocka_unit_test(test_duplicate_names),
	};

	return cmocka_run_group_tests_name("cpio", tests, NULL, NULL);
}
