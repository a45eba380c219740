/*
 * kernel/vsprintf.c - formatted output into a buffer.
 *
 * Supports what the kernel uses: flags '-' '0' '+' ' ' '#', a width and a
 * precision (numbers or '*'), length modifiers hh h l ll z t, and the
 * conversions d i u x X o c s p %.  "%p" prints a pointer as 0x followed by
 * 16 hex digits.  Output is always NUL-terminated when size > 0; the return
 * value is the length the whole result would have had, as in C99.
 *
 * Pure code: compiled into the kernel and into tests/host/test_vsprintf.c.
 */
#include <kernel/export.h>
#include <stdarg.h>
#include <kernel/compiler.h>

struct outbuf {
	char *buf;
	size_t size;
	size_t len;
};

static void out_char(struct outbuf *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct outbuf *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

#define F_LEFT	1
#define F_ZERO	2
#define F_PLUS	4
#define F_SPACE	8
#define F_ALT	16
#define F_UPPER	32

static void out_number(struct outbuf *o, unsigned long long v, bool negative,
		       unsigned base, int flags, int width, int precision)
{
	const char *digits = (flags & F_UPPER) ? "0123456789ABCDEF"
					       : "0123456789abcdef";
	char tmp[24];
	int n = 0;
	char sign = 0;
	const char *prefix = "";
	int prefix_len = 0, zeros, pad;

	if (negative)
		sign = '-';
	else if (flags & F_PLUS)
		sign = '+';
	else if (flags & F_SPACE)
		sign = ' ';

	if ((flags & F_ALT) && v && base == 16) {
		prefix = (flags & F_UPPER) ? "0X" : "0x";
		prefix_len = 2;
	}

	if (v == 0 && precision != 0)
		tmp[n++] = '0';
	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}

	zeros = precision > n ? precision - n : 0;
	/* '#' with 'o' raises the precision just enough that the first
	 * digit is a 0 (C11 7.21.6.1p6): "%#o" of 8 is "010", "%#.3o" of 8
	 * is "010" too, and "%#.0o" of 0 is "0". */
	if ((flags & F_ALT) && base == 8 && !zeros &&
	    (n == 0 || tmp[n - 1] != '0'))
		zeros = 1;
	pad = width - n - zeros - prefix_len - (sign ? 1 : 0);
	if ((flags & F_ZERO) && !(flags & F_LEFT) && precision < 0) {
		zeros += pad > 0 ? pad : 0;
		pad = 0;
	}

	if (!(flags & F_LEFT))
		out_pad(o, ' ', pad);
	if (sign)
		out_char(o, sign);
	while (prefix_len--)
		out_char(o, *prefix++);
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (flags & F_LEFT)
		out_pad(o, ' ', pad);
}

static int parse_int(const char **fmt, va_list *ap)
{
	int v = 0;

	if (**fmt == '*') {
		(*fmt)++;
		return va_arg(*ap, int);
	}
	while (**fmt >= '0' && **fmt <= '9')
		v = v * 10 + (*(*fmt)++ - '0');
	return v;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list args)
{
	struct outbuf o = { buf, size, 0 };
	va_list ap;

	va_copy(ap, args);
	for (; *fmt; fmt++) {
		int flags = 0, width = 0, precision = -1, length = 0;
		unsigned long long uv;
		long long sv;
		unsigned base;

		if (*fmt != '%') {
			out_char(&o, *fmt);
			continue;
		}
		fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				flags |= F_LEFT;
			else if (*fmt == '0')
				flags |= F_ZERO;
			else if (*fmt == '+')
				flags |= F_PLUS;
			else if (*fmt == ' ')
				flags |= F_SPACE;
			else if (*fmt == '#')
				flags |= F_ALT;
			else
				break;
		}
		width = parse_int(&fmt, &ap);
		if (width < 0) {
			flags |= F_LEFT;
			width = -width;
		}
		if (*fmt == '.') {
			fmt++;
			precision = parse_int(&fmt, &ap);
			if (precision < 0)
				precision = -1;
		}

		/* length: 1 = char, 2 = short, 3 = long, 4 = long long,
		 * 5 = size_t, 6 = ptrdiff_t */
		if (*fmt == 'h') {
			length = 2;
			if (*++fmt == 'h') {
				length = 1;
				fmt++;
			}
		} else if (*fmt == 'l') {
			length = 3;
			if (*++fmt == 'l') {
				length = 4;
				fmt++;
			}
		} else if (*fmt == 'z') {
			length = 5;
			fmt++;
		} else if (*fmt == 't') {
			length = 6;
			fmt++;
		}

		switch (*fmt) {
		case 'd':
		case 'i':
			switch (length) {
			case 1: sv = (signed char)va_arg(ap, int); break;
			case 2: sv = (short)va_arg(ap, int); break;
			case 3: sv = va_arg(ap, long); break;
			case 4: sv = va_arg(ap, long long); break;
			case 5: sv = (long long)va_arg(ap, size_t); break;
			case 6: sv = va_arg(ap, ptrdiff_t); break;
			default: sv = va_arg(ap, int); break;
			}
			uv = sv < 0 ? 0ULL - (unsigned long long)sv
				    : (unsigned long long)sv;
			out_number(&o, uv, sv < 0, 10, flags, width, precision);
			break;
		case 'u':
		case 'x':
		case 'X':
		case 'o':
			switch (length) {
			case 1: uv = (unsigned char)va_arg(ap, unsigned); break;
			case 2: uv = (unsigned short)va_arg(ap, unsigned); break;
			case 3: uv = va_arg(ap, unsigned long); break;
			case 4: uv = va_arg(ap, unsigned long long); break;
			case 5: uv = va_arg(ap, size_t); break;
			case 6: uv = (unsigned long long)va_arg(ap, ptrdiff_t); break;
			default: uv = va_arg(ap, unsigned); break;
			}
			base = *fmt == 'u' ? 10 : *fmt == 'o' ? 8 : 16;
			if (*fmt == 'X')
				flags |= F_UPPER;
			out_number(&o, uv, false, base, flags & ~(F_PLUS | F_SPACE),
				   width, precision);
			break;
		case 'p':
			uv = (uintptr_t)va_arg(ap, void *);
			out_char(&o, '0');
			out_char(&o, 'x');
			out_number(&o, uv, false, 16, F_ZERO, 16, -1);
			break;
		case 'c': {
			char c = (char)va_arg(ap, int);

			if (!(flags & F_LEFT))
				out_pad(&o, ' ', width - 1);
			out_char(&o, c);
			if (flags & F_LEFT)
				out_pad(&o, ' ', width - 1);
			break;
		}
		case 's': {
			const char *s = va_arg(ap, const char *);
			int n = 0;

			if (!s)
				s = "(null)";
			while (s[n] && (precision < 0 || n < precision))
				n++;
			if (!(flags & F_LEFT))
				out_pad(&o, ' ', width - n);
			for (int i = 0; i < n; i++)
				out_char(&o, s[i]);
			if (flags & F_LEFT)
				out_pad(&o, ' ', width - n);
			break;
		}
		case '%':
			out_char(&o, '%');
			break;
		case '\0':
			fmt--;	/* a lone '%' at the end: stop cleanly */
			break;
		default:
			out_char(&o, '%');
			out_char(&o, *fmt);
			break;
		}
	}
	va_end(ap);

	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}
EXPORT_SYMBOL(vsnprintf);

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(snprintf);
