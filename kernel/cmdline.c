/*
 * kernel/cmdline.c - split the command line into key[=value] words.
 *
 * Pure code over a caller-provided struct cmdline: compiled into the kernel
 * and into tests/host/test_cmdline.c.  The text is copied into cl->buf and
 * cut in place; params[] points into that copy.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/string.h>

static bool is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

int cmdline_parse(struct cmdline *cl, const char *text, const char **err)
{
	char *p;

	*err = NULL;
	cl->count = 0;
	if (strlcpy(cl->buf, text, sizeof(cl->buf)) >= sizeof(cl->buf)) {
		*err = "command line too long";
		cl->buf[0] = '\0';
		return -E2BIG;
	}

	p = cl->buf;
	for (;;) {
		char *key, *out;
		bool quoted = false, has_value = false;
		char *value = NULL;

		while (is_space(*p))
			p++;
		if (!*p)
			return 0;
		if (cl->count >= CMDLINE_MAX_PARAMS) {
			*err = "too many command line parameters";
			return -E2BIG;
		}

		/* Copy the word onto itself, dropping quotes, until an
		 * unquoted space or the end. */
		key = out = p;
		for (; *p && (quoted || !is_space(*p)); p++) {
			if (*p == '"') {
				quoted = !quoted;
				continue;
			}
			if (*p == '=' && !has_value) {
				has_value = true;
				*out++ = '\0';
				value = out;
				continue;
			}
			*out++ = *p;
		}
		if (quoted) {
			*err = "unterminated quote in command line";
			return -EINVAL;
		}
		if (*p)
			p++;
		*out = '\0';
		if (!*key) {
			*err = "command line word with an empty key";
			return -EINVAL;
		}
		cl->params[cl->count].key = key;
		cl->params[cl->count].value = value;
		cl->count++;
	}
}

const char *cmdline_find(const struct cmdline *cl, const char *key)
{
	for (int i = cl->count - 1; i >= 0; i--)
		if (!strcmp(cl->params[i].key, key))
			return cl->params[i].value ? cl->params[i].value : "";
	return NULL;
}

int cmdline_parse_ulong(const char *s, unsigned long *out)
{
	unsigned long v = 0, base = 10, digit;
	const char *p = s, *digits;

	if (!s || !*s)
		return -EINVAL;
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		base = 16;
		p += 2;
	}
	for (digits = p; *p; p++) {
		char c = *p;

		if (c >= '0' && c <= '9')
			digit = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f')
			digit = c - 'a' + 10;
		else if (base == 16 && c >= 'A' && c <= 'F')
			digit = c - 'A' + 10;
		else
			break;
		if (v > (~0UL - digit) / base)
			return -ERANGE;
		v = v * base + digit;
	}
	if (p == digits)	/* no digit at all: "", "K", "0x", "0xG" */
		return -EINVAL;
	if (*p) {
		unsigned shift;

		switch (*p) {
		case 'k': case 'K': shift = 10; break;
		case 'm': case 'M': shift = 20; break;
		case 'g': case 'G': shift = 30; break;
		default: return -EINVAL;
		}
		if (p[1])
			return -EINVAL;
		if (v > (~0UL >> shift))
			return -ERANGE;
		v <<= shift;
	}
	*out = v;
	return 0;
}
