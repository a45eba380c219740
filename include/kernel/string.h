/* include/kernel/string.h - the C string functions the kernel provides. */
#ifndef KERNEL_STRING_H
#define KERNEL_STRING_H

#include <kernel/compiler.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);
char *strrchr(const char *s, int c);
char *strstr(const char *haystack, const char *needle);

/*
 * strlcpy()'s body: kernel/string.c exports it as strlcpy, and host builds
 * whose C library has none take it from here (below).
 */
static inline size_t kernel_strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}

#ifdef HOST_TEST
/*
 * On the host (the tests, tools/kocheck, the fuzzer, the benchmark) the
 * functions above are the C library's, and glibc has strlcpy only from
 * 2.38 on.
 */
#include <string.h>
#if __GLIBC__ == 2 && __GLIBC_MINOR__ < 38
#define strlcpy(dst, src, size)	kernel_strlcpy(dst, src, size)
#endif
#endif

#endif
