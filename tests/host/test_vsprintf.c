/*
 * tests/host/test_vsprintf.c - host tests of kernel/vsprintf.c, checked
 * against the host C library's snprintf, which is the specification
 * (C11 7.21.6.1) for every format the kernel supports.
 *
 * The kernel's functions are renamed on the way in (kvsnprintf,
 * ksnprintf) so the test can call both.  %p differs on purpose: the
 * kernel always prints 0x and 16 digits.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <limits.h>
#include <cmocka.h>

#define vsnprintf kvsnprintf
#define snprintf ksnprintf
#include "../../kernel/vsprintf.c"
#undef vsnprintf
#undef snprintf

static int mismatches;

static void compare(const char *fmt, const char *what, const char *kbuf,
		    int kret, const char *hbuf, int hret)
{
	if (kret == hret && !strcmp(kbuf, hbuf))
		return;
	if (mismatches++ < 20)
		print_message("mismatch: format \"%s\" (%s): kernel \"%s\" (%d), "
			      "libc \"%s\" (%d)\n", fmt, what, kbuf, kret, hbuf,
			      hret);
}

/* Call both with the same arguments and compare output and length. */
#define BOTH(what, fmt, ...)						\
	do {								\
		char __k[512], __h[512];				\
		int __kr = ksnprintf(__k, sizeof(__k), fmt, __VA_ARGS__); \
		int __hr = snprintf(__h, sizeof(__h), fmt, __VA_ARGS__); \
		compare(fmt, what, __k, __kr, __h, __hr);		\
	} while (0)

/* The same, with 0, 1 or 2 '*' arguments in front of the value. */
#define BOTH_STARS(stars, w, p, fmt, v)					\
	do {								\
		if ((stars) == 0)					\
			BOTH("", fmt, v);				\
		else if ((stars) == 1)					\
			BOTH("star", fmt, (w) ? (w) : (p), v);		\
		else							\
			BOTH("stars", fmt, w, p, v);			\
	} while (0)

#pragma GCC diagnostic ignored "-Wformat-nonliteral"
#pragma GCC diagnostic ignored "-Wformat"
#pragma GCC diagnostic ignored "-Wformat-extra-args"
#ifndef __clang__
#pragma GCC diagnostic ignored "-Wformat-truncation"
#endif

static const char *const lengths[] = { "hh", "h", "", "l", "ll", "z", "t" };
static const char convs[] = "diuxXo";
static const char *const widths[] = { "", "1", "12", "*" };
static const char *const precisions[] = { "", ".", ".0", ".5", ".*" };
static const int star_widths[] = { 5, -7, 0 };
static const int star_precisions[] = { 3, -1, 0 };

static const long long values[] = {
	0, 1, -1, 7, -42, 255, 256, -129, 65535, 65536, INT_MAX, INT_MIN,
	123456789, (long long)UINT_MAX, 1234567890123LL, LLONG_MAX, LLONG_MIN,
	-9876543210LL,
};

/* One value through one format, passed as the type its length names. */
static void check_value(const char *fmt, int length, int stars, int w,
			int p, long long v)
{
	switch (length) {
	case 0: case 1: case 2:		/* hh, h, none: promoted to int */
		BOTH_STARS(stars, w, p, fmt, (int)v);
		break;
	case 3:
		BOTH_STARS(stars, w, p, fmt, (long)v);
		break;
	case 4:
		BOTH_STARS(stars, w, p, fmt, v);
		break;
	case 5:
		BOTH_STARS(stars, w, p, fmt, (size_t)v);
		break;
	default:
		BOTH_STARS(stars, w, p, fmt, (ptrdiff_t)v);
		break;
	}
}

/* Every flag set x width x precision x length x conversion x value. */
static void test_integers_exhaustive(void **state)
{
	static const char flag_chars[] = "-0+ #";
	char fmt[32];
	long checked = 0;

	(void)state;
	mismatches = 0;
	for (int flags = 0; flags < 32; flags++)
	for (size_t wi = 0; wi < ARRAY_SIZE(widths); wi++)
	for (size_t pi = 0; pi < ARRAY_SIZE(precisions); pi++)
	for (size_t li = 0; li < ARRAY_SIZE(lengths); li++)
	for (size_t ci = 0; ci < sizeof(convs) - 1; ci++) {
		int n = 0, stars = (widths[wi][0] == '*') +
				   (strchr(precisions[pi], '*') != NULL);

		fmt[n++] = '%';
		for (int f = 0; f < 5; f++)
			if (flags & (1 << f))
				fmt[n++] = flag_chars[f];
		n += sprintf(fmt + n, "%s%s%s%c", widths[wi], precisions[pi],
			     lengths[li], convs[ci]);
		for (size_t vi = 0; vi < ARRAY_SIZE(values); vi++) {
			for (size_t s = 0; s < (stars ? 3 : 1); s++) {
				int w = widths[wi][0] == '*' ?
					star_widths[s] : 0;
				int p = strchr(precisions[pi], '*') ?
					star_precisions[s] : 0;

				check_value(fmt, (int)li, stars, w, p,
					    values[vi]);
				checked++;
			}
		}
	}
	print_message("%ld integer conversions compared\n", checked);
	assert_int_equal(mismatches, 0);
}

static void test_named_cases(void **state)
{
	(void)state;
	mismatches = 0;
	BOTH("", "%d", INT_MIN);
	BOTH("", "%lld", LLONG_MIN);
	BOTH("", "%lli", LLONG_MAX);
	BOTH("", "%llu", ULLONG_MAX);
	BOTH("", "%llx", ULLONG_MAX);
	BOTH("", "%#llo", ULLONG_MAX);
	BOTH("", "%ld|%lu", LONG_MIN, ULONG_MAX);
	BOTH("", "%zu %zd %zx", SIZE_MAX, (ptrdiff_t)-5, (size_t)0xabc);
	BOTH("", "%td", PTRDIFF_MIN);
	BOTH("", "%hhd %hhu %hd %hu", 200, 300, 40000, 70000);
	BOTH("", "%08.3d|%-8.3x|%+.0d|% .0d", 5, 0x1f, 0, 0);
	BOTH("", "%#x %#X %#o %#.0o %#.3o %#5o %#08o", 0, 0xab, 8, 0, 8, 8,
	     8);
	BOTH("", "%#.0x|%#.0o|%.0u", 0, 0, 0);
	BOTH("", "[%5c][%-5c][%c]", 'a', 'b', '%');
	BOTH("", "[%s][%10s][%-10s][%.3s][%10.2s][%-*.*s]", "hello", "hi",
	     "hi", "hello", "hello", 6, 2, "abcdef");
	BOTH("", "[%*s][%*s]", -4, "x", 0, "y");
	BOTH("", "%s", "");
	BOTH("", "100%% %d%%", 5);
	BOTH("", "no conversions at all%s", "");
	BOTH("", "%d %s %u %c %x", -3, "mixed", 3u, 'Z', 255);
	assert_int_equal(mismatches, 0);
}

static void test_pointer(void **state)
{
	char k[64], h[64];
	int kr;
	void *ptrs[] = { NULL, (void *)0x1, (void *)0xffff800000001000UL,
			 (void *)&mismatches, (void *)UINTPTR_MAX };

	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(ptrs); i++) {
		kr = ksnprintf(k, sizeof(k), "%p", ptrs[i]);
		snprintf(h, sizeof(h), "0x%016lx", (unsigned long)ptrs[i]);
		assert_string_equal(k, h);
		assert_int_equal(kr, 18);
	}
	kr = ksnprintf(k, sizeof(k), "[%p]", (void *)0xabc);
	assert_string_equal(k, "[0x0000000000000abc]");
}

/* Every buffer size from 0 up: the same bytes and return value as libc. */
static void test_truncation(void **state)
{
	(void)state;
	mismatches = 0;
	for (size_t size = 0; size <= 48; size++) {
		char k[64], h[64];
		int kr, hr;

		memset(k, '#', sizeof(k));
		memset(h, '#', sizeof(h));
		kr = ksnprintf(k, size, "%s=%d|%-10s|%08x|%lld", "key", -17,
			       "left", 0xbeef, LLONG_MIN);
		hr = snprintf(h, size, "%s=%d|%-10s|%08x|%lld", "key", -17,
			      "left", 0xbeef, LLONG_MIN);
		assert_int_equal(kr, hr);
		/* Byte for byte, including what lies past the NUL. */
		assert_memory_equal(k, h, sizeof(k));
	}
	/* Size 0 writes nothing, even through NULL. */
	assert_int_equal(ksnprintf(NULL, 0, "%d", 12345), 5);
}

static void test_long_output(void **state)
{
	static char big[5000], hbig[5000];
	int kr, hr;

	(void)state;
	kr = ksnprintf(big, sizeof(big), "%4000d|%s", 7, "end");
	hr = snprintf(hbig, sizeof(hbig), "%4000d|%s", 7, "end");
	assert_int_equal(kr, hr);
	assert_string_equal(big, hbig);
	/* Cut short: the return value still counts everything. */
	kr = ksnprintf(big, 100, "%4000d|%s", 7, "end");
	assert_int_equal(kr, 4004);
	assert_int_equal(strlen(big), 99);
}

/* The kernel's own choices, where C leaves it undefined. */
static void test_kernel_specifics(void **state)
{
	char k[64];

	(void)state;
	assert_int_equal(ksnprintf(k, sizeof(k), "abc%"), 3);
	assert_string_equal(k, "abc");
	ksnprintf(k, sizeof(k), "%s", (char *)NULL);
	assert_string_equal(k, "(null)");
	ksnprintf(k, sizeof(k), "%q%d", 4);
	assert_string_equal(k, "%q4");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_integers_exhaustive),
		cmocka_unit_test(test_named_cases),
		cmocka_unit_test(test_pointer),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_long_output),
		cmocka_unit_test(test_kernel_specifics),
	};

	return cmocka_run_group_tests_name("vsprintf", tests, NULL, NULL);
}
