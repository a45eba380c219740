/*
 * kernel/string.c - the C library string functions, freestanding.
 *
 * The compiler may itself emit calls to memcpy, memset, memmove and memcmp
 * (for struct copies and the like), so these must exist even if no source
 * file calls them.  Plain loops, except memcpy and memset: they move
 * most bytes, and are string instructions (below).
 */
#include <kernel/export.h>
#include <kernel/string.h>

/*
 * memcpy and memset as string instructions, eight bytes a step (`rep
 * movsq`, `rep stosq`) and the rest by bytes, as Linux's x86-64 ones
 * are on CPUs without fast byte strings.  Under QEMU's TCG every store is
 * emulated: a byte loop (or `rep stosb`) made filling 64 per-CPU units
 * of 64 KiB take 0.57 s of the boot at 64 CPUs; eight bytes a store, 0.27
 * s (kmain's "boot: bring-up" line).  The direction flag is clear: the
 * entry code clears it, and the ABI wants it clear at every call.
 */
void *memcpy(void *dst, const void *src, size_t n)
{
	size_t words = n / 8, bytes = n % 8;
	void *d = dst;

	asm volatile("rep movsq\n\tmov %[bytes], %%rcx\n\trep movsb"
		     : "+D"(d), "+S"(src), "+c"(words)
		     : [bytes] "r"(bytes) : "memory");
	return dst;
}
EXPORT_SYMBOL(memcpy);

void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d < s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}
EXPORT_SYMBOL(memmove);

void *memset(void *dst, int c, size_t n)
{
	uint64_t pattern = 0x0101010101010101ULL * (unsigned char)c;
	size_t words = n / 8, bytes = n % 8;
	void *d = dst;

	asm volatile("rep stosq\n\tmov %[bytes], %%rcx\n\trep stosb"
		     : "+D"(d), "+c"(words)
		     : "a"(pattern), [bytes] "r"(bytes) : "memory");
	return dst;
}
EXPORT_SYMBOL(memset);

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}
EXPORT_SYMBOL(memcmp);

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}
EXPORT_SYMBOL(memchr);

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}
EXPORT_SYMBOL(strlen);

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}
EXPORT_SYMBOL(strnlen);

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}
EXPORT_SYMBOL(strcmp);

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}
EXPORT_SYMBOL(strncmp);

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}
EXPORT_SYMBOL(strchr);

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}
EXPORT_SYMBOL(strrchr);

char *strstr(const char *haystack, const char *needle)
{
	size_t n = strlen(needle);

	for (; *haystack; haystack++)
		if (!strncmp(haystack, needle, n))
			return (char *)haystack;
	return n ? NULL : (char *)haystack;
}
EXPORT_SYMBOL(strstr);

size_t strlcpy(char *dst, const char *src, size_t size)
{
	return kernel_strlcpy(dst, src, size);
}
EXPORT_SYMBOL(strlcpy);
