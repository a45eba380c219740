/*
 * kernel/cmdline.c - split the command line into key[=value] words, and
 * turn a value into its parameter's type.
 *
 * Pure code over a caller-provided struct cmdline: compiled into the kernel
 * and into tests/host/test_cmdline.c.  The text is copied into cl->buf and
 * cut in place; params[] points into that copy.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/string.h>
#ifdef HOST_TEST
#include <stdio.h>
#else
#include <kernel/printk.h>
#endif

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

/* ---- typed values (struct boot_param) ---------------------------------- */

static const char *const flag_true[] = { "", "1", "on", "yes", "y", "true" };
static const char *const flag_false[] = { "0", "off", "no", "n", "false" };

static bool one_of(const char *s, const char *const *words, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(s, words[i]))
			return true;
	return false;
}

int boot_param_parse(const struct boot_param *p, const char *value, void *out)
{
	unsigned long n;

	switch (p->type) {
	case BOOT_PARAM_FLAG:
		if (!value || one_of(value, flag_false, ARRAY_SIZE(flag_false)))
			*(bool *)out = false;
		else if (one_of(value, flag_true, ARRAY_SIZE(flag_true)))
			*(bool *)out = true;
		else
			return -EINVAL;
		return 0;
	case BOOT_PARAM_UINT:
		if (!value) {
			n = p->def;
		} else if (cmdline_parse_ulong(value, &n) || n < p->min ||
			   n > p->max) {
			return -EINVAL;
		}
		*(unsigned long *)out = n;
		return 0;
	case BOOT_PARAM_STRING:
		if (!value) {
			*(const char **)out = p->def_str;
			return 0;
		}
		if (p->take && !p->take(value))
			return -EINVAL;
		*(const char **)out = value;
		return 0;
	}
	return -EINVAL;
}

void boot_param_accepts(const struct boot_param *p, char *buf, size_t size)
{
	switch (p->type) {
	case BOOT_PARAM_FLAG:
		strlcpy(buf, "a flag: key alone, or =1|0|on|off|yes|no|true|false",
			size);
		return;
	case BOOT_PARAM_UINT:
		snprintf(buf, size, "a number in %lu-%lu", p->min, p->max);
		return;
	case BOOT_PARAM_STRING:
		if (p->choices)
			snprintf(buf, size, "%s", p->choices);
		else
			strlcpy(buf, "any text", size);
		return;
	}
	buf[0] = '\0';
}

void boot_param_format(const struct boot_param *p, bool current, char *buf,
		       size_t size)
{
	const char *s;

	switch (p->type) {
	case BOOT_PARAM_FLAG:
		strlcpy(buf, current && *(const bool *)p->var ? "on" : "off", size);
		return;
	case BOOT_PARAM_UINT:
		snprintf(buf, size, "%lu",
			 current ? *(const unsigned long *)p->var : p->def);
		return;
	case BOOT_PARAM_STRING:
		s = current ? *(const char *const *)p->var : p->def_str;
		strlcpy(buf, s ? s : "none", size);
		return;
	}
	buf[0] = '\0';
}

const char *boot_param_type_name(const struct boot_param *p)
{
	static const char *const names[] = {
		[BOOT_PARAM_FLAG] = "flag",
		[BOOT_PARAM_UINT] = "uint",
		[BOOT_PARAM_STRING] = "string",
	};

	return (unsigned int)p->type < ARRAY_SIZE(names) ? names[p->type] : "?";
}
