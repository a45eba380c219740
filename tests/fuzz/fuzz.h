/*
 * tests/fuzz/fuzz.h - what the libFuzzer targets in tests/fuzz/ share.
 *
 * Each target is one file, fuzz_<name>.c, built by the Makefile with
 * clang -fsanitize=fuzzer,address,undefined (-fno-sanitize-recover: a
 * UBSan report is a crash too) and run by tests/fuzz/fuzz.py.  A target
 * runs the kernel's own parser, compiled from the kernel's file (most
 * #include it, as the host unit tests do), over the fuzzer's input, and
 * checks what the parser promises about its output: a broken promise is
 * fuzz_fail(), which aborts, and libFuzzer saves the input.
 *
 * The input is first copied into a malloc'd buffer of exactly its size
 * (fuzz_copy()): libFuzzer's own buffer is larger, and ASan would not see
 * a read one byte past the end of the input.
 */
#ifndef FUZZ_H
#define FUZZ_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* A promise the parser broke: say which, and abort (a libFuzzer crash). */
#define fuzz_fail(...)							\
	do {								\
		fprintf(stderr, "%s:%d: ", __FILE__, __LINE__);		\
		fprintf(stderr, __VA_ARGS__);				\
		fputc('\n', stderr);					\
		abort();						\
	} while (0)

#define fuzz_check(cond)						\
	do {								\
		if (!(cond))						\
			fuzz_fail("check failed: %s", #cond);		\
	} while (0)

/* data[0..size) in a buffer of exactly size bytes (one byte for an empty
 * input, which is never read); NULL only when malloc fails. */
static inline uint8_t *fuzz_copy(const uint8_t *data, size_t size)
{
	uint8_t *buf = malloc(size ? size : 1);

	if (buf && size)
		memcpy(buf, data, size);
	return buf;
}

/* data[0..size) as a C string: a buffer of size + 1 bytes, NUL last
 * (an embedded NUL ends the string earlier, as it would in the kernel). */
static inline char *fuzz_string(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);

	if (s) {
		memcpy(s, data, size);
		s[size] = '\0';
	}
	return s;
}

/* Does [p, p + n) lie inside [buf, buf + size)? */
static inline int fuzz_inside(const void *buf, size_t size, const void *p,
			      size_t n)
{
	const uint8_t *b = buf, *q = p;

	return q >= b && q <= b + size && n <= (size_t)(b + size - q);
}

#endif
