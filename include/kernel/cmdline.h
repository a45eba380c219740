/*
 * include/kernel/cmdline.h - the kernel command line.
 *
 * The line GRUB passes ("loader=legacy maxcpus=4 nosmp ...") is a list of
 * words separated by spaces; a word is "key=value" or a bare flag "key".
 * Double quotes let a value hold spaces: key="a b".  The parser is pure
 * (kernel/cmdline.c, tested on the host); the kernel keeps one parsed copy.
 *
 * Every key the kernel understands is declared where it is used with
 * KERNEL_PARAM(key, "what it does"); at boot, keys nobody declared are
 * reported, so a typo ("lodaer=") does not pass silently.
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

/* A key the kernel understands, with a one-line description. */
struct boot_param {
	const char *key;
	const char *help;
};

#define KERNEL_PARAM(k, h)						\
	static const struct boot_param __kparam_##k __used		\
	__section(".kernel_params") __aligned(8) = { #k, h }

#define KERNEL_PARAM_NAMED(ident, k, h)					\
	static const struct boot_param __kparam_##ident __used	\
	__section(".kernel_params") __aligned(8) = { k, h }

/* Kernel glue (kernel/params.c). */
void kernel_cmdline_init(const char *text);
void kernel_cmdline_report_unknown(void);
const char *kernel_param(const char *key);
bool kernel_flag(const char *key);
unsigned long kernel_param_ulong(const char *key, unsigned long def);
extern struct cmdline kernel_cmdline;

#endif
