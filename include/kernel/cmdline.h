/*
 * include/kernel/cmdline.h - the kernel command line.
 *
 * The line GRUB passes ("loader=legacy maxcpus=4 nosmp ...") is a list of
 * words separated by spaces; a word is "key=value" or a bare flag "key".
 * Double quotes let a value hold spaces: key="a b".  The parser is pure
 * (kernel/cmdline.c, tested on the host); the kernel keeps one parsed copy.
 *
 * Every key the kernel understands is declared once, typed, where it is
 * used (BOOT_PARAM_*, below); at boot, keys nobody declared are reported,
 * so a typo ("lodaer=") does not pass silently.
 */
#ifndef KERNEL_CMDLINE_H
#define KERNEL_CMDLINE_H

#include <kernel/compiler.h>

#define CMDLINE_MAX_LEN		1024
#define CMDLINE_MAX_PARAMS	64

struct cmdline_param {
	const char *key;
	const char *value;	/* NULL for a bare flag */
};

struct cmdline {
	char buf[CMDLINE_MAX_LEN];
	struct cmdline_param params[CMDLINE_MAX_PARAMS];
	int count;
};

/* Parse 'text' into 'cl'.  0, or -E2BIG/-EINVAL with a one-line reason. */
int cmdline_parse(struct cmdline *cl, const char *text, const char **err);
/* The value of the last 'key' given; "" for a flag; NULL when absent. */
const char *cmdline_find(const struct cmdline *cl, const char *key);
/* Parse an unsigned number with optional K/M/G suffix (0x for hex). */
int cmdline_parse_ulong(const char *s, unsigned long *out);

/*
 * A boot parameter: declared once, in the file that owns it, with its
 * variable, type, default, bounds and one line of help (the shape of
 * Linux's core_param()).  kernel_cmdline_init() parses every value once
 * and range-checks it; a bad one is reported in one line naming the key,
 * the value and what is accepted, and the default is kept.
 *
 *	BOOT_PARAM_FLAG(poweroff, "poweroff", "help");
 *		bool poweroff: true for "poweroff", poweroff=1|on|yes|true
 *	BOOT_PARAM_UINT(watchdog_thresh, "watchdog_thresh", 10, 0, 60, "help");
 *		unsigned long, default 10, in [0, 60], K/M/G suffixes
 *	BOOT_PARAM_STRING(crash_kind, "crash", NULL, NULL, NULL, "help");
 *		const char *, as given (default NULL); the two NULLs are
 *		an optional bool take(const char *value), which checks the
 *		value and keeps what it means (false refuses it), and the
 *		text naming what take() accepts, for the messages
 *
 * Each defines the variable (not static: a header may share it) and puts
 * its description in the .kernel_params section, which the linker
 * gathers between __kernel_params_start and __kernel_params_end.
 */
enum boot_param_type {
	BOOT_PARAM_FLAG,
	BOOT_PARAM_UINT,
	BOOT_PARAM_STRING,
};

struct boot_param {
	const char *key;
	const char *help;
	enum boot_param_type type;
	void *var;			/* bool, unsigned long or const char * */
	unsigned long def, min, max;	/* UINT */
	const char *def_str;		/* STRING: the default, or NULL */
	bool (*take)(const char *value);	/* STRING: check and keep, or false */
	const char *choices;		/* STRING: what take() accepts */
};

#define __BOOT_PARAM(ident, ...)					\
	static const struct boot_param __bparam_##ident __used		\
	__section(".kernel_params") __aligned(8) = { __VA_ARGS__ }

#define BOOT_PARAM_FLAG(v, k, h)					\
	bool v;								\
	__BOOT_PARAM(v, .key = k, .help = h, .type = BOOT_PARAM_FLAG,	\
		     .var = &v)

#define BOOT_PARAM_UINT(v, k, d, lo, hi, h)				\
	unsigned long v = d;						\
	__BOOT_PARAM(v, .key = k, .help = h, .type = BOOT_PARAM_UINT,	\
		     .var = &v, .def = d, .min = lo, .max = hi)

#define BOOT_PARAM_STRING(v, k, d, tk, ch, h)				\
	const char *v = d;						\
	__BOOT_PARAM(v, .key = k, .help = h, .type = BOOT_PARAM_STRING,	\
		     .var = &v, .def_str = d, .take = tk, .choices = ch)

/*
 * The pure part (kernel/cmdline.c, tested on the host): the value given
 * for p (NULL: absent) into the variable's type at out.  0, or -EINVAL
 * when the value does not fit, out unchanged.
 */
int boot_param_parse(const struct boot_param *p, const char *value, void *out);
/* What p accepts, for messages and listings: "0-60", "a flag ...". */
void boot_param_accepts(const struct boot_param *p, char *buf, size_t size);
/* p's default, or its current value, as text. */
void boot_param_format(const struct boot_param *p, bool current, char *buf,
		       size_t size);
const char *boot_param_type_name(const struct boot_param *p);

/* Kernel glue (kernel/params.c). */
void kernel_cmdline_init(const char *text);
/* After the banner: bad values, and keys nobody declared. */
void kernel_cmdline_report_unknown(void);
/* Was the key of the parameter whose variable is var on the line? */
bool boot_param_given(const void *var);
/* Every parameter: key, type, default, value, help (params=1). */
int boot_params_run_requested(void);
void boot_params_print(void);
/* The parsed line itself: module parameters ("mod.param") are read
 * from it by the loader, which owns them (cmdline_find()). */
extern struct cmdline kernel_cmdline;
extern unsigned long loglevel;		/* loglevel= */

#endif
