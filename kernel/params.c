/*
 * kernel/params.c - the kernel's one parsed command line.
 *
 * kernel_cmdline_init() parses the line GRUB gave; the rest of the kernel
 * asks kernel_param()/kernel_flag().  Keys are declared with KERNEL_PARAM()
 * into the .kernel_params section, which the linker gathers between
 * __kernel_params_start and __kernel_params_end.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/string.h>

struct cmdline kernel_cmdline;

extern const struct boot_param __kernel_params_start[];
extern const struct boot_param __kernel_params_end[];

KERNEL_PARAM(loglevel, "console log level, 0-7 (messages above it are not shown)");

void kernel_cmdline_init(const char *text)
{
	const char *err;

	if (cmdline_parse(&kernel_cmdline, text, &err))
		pr_err("cmdline: %s; ignoring the rest of it\n", err);
	console_loglevel = (int)kernel_param_ulong("loglevel",
						   (unsigned long)console_loglevel);
	if (console_loglevel > 7)
		console_loglevel = 7;
}

static bool is_declared(const char *key)
{
	for (const struct boot_param *p = __kernel_params_start;
	     p < __kernel_params_end; p++)
		if (!strcmp(p->key, key))
			return true;
	return false;
}

/* Does a declared key start with the first len characters of key? */
static bool is_declared_prefix(const char *key, size_t len)
{
	for (const struct boot_param *p = __kernel_params_start;
	     p < __kernel_params_end; p++)
		if (!strncmp(p->key, key, len))
			return true;
	return false;
}

/*
 * A dotted key "mod.param" is a module's parameter (include/kernel/
 * moduleparam.h): the loader's parse_args() reads it when mod loads and
 * warns there about a name mod does not have, so it is not ours to
 * report - as in Linux, which leaves dotted words to the modules.  Unless
 * the prefix is one the kernel declares keys under ("percpu." for
 * percpu.reserve): a typo such as percpu.reserv= is still caught.
 */
void kernel_cmdline_report_unknown(void)
{
	for (int i = 0; i < kernel_cmdline.count; i++) {
		const char *key = kernel_cmdline.params[i].key;
		const char *dot = strchr(key, '.');

		if (is_declared(key))
			continue;
		if (dot && !is_declared_prefix(key, (size_t)(dot - key) + 1))
			continue;
		pr_warn("cmdline: unknown parameter '%s' ignored\n", key);
	}
}

const char *kernel_param(const char *key)
{
	return cmdline_find(&kernel_cmdline, key);
}

bool kernel_flag(const char *key)
{
	const char *v = kernel_param(key);

	return v && (!*v || !strcmp(v, "1") || !strcmp(v, "on") ||
		     !strcmp(v, "yes") || !strcmp(v, "true"));
}

unsigned long kernel_param_ulong(const char *key, unsigned long def)
{
	const char *v = kernel_param(key);
	unsigned long n;

	if (!v)
		return def;
	if (cmdline_parse_ulong(v, &n)) {
		pr_err("cmdline: %s=%s is not a number; using %lu\n", key, v,
		       def);
		return def;
	}
	return n;
}
