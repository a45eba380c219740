/*
 * kernel/params.c - the kernel's one parsed command line, and its typed
 * boot parameters.
 *
 * kernel_cmdline_init() parses the line GRUB gave, then gives every
 * parameter declared with BOOT_PARAM_*() (include/kernel/cmdline.h) its
 * value, once: the default when the key is absent, the parsed and
 * range-checked value when it is given, and the default again (with one
 * line saying why, after the banner) when the value does not fit.  The
 * rest of the kernel reads the variables.
 */
#include <kernel/cmdline.h>
#include <kernel/printk.h>
#include <kernel/string.h>

struct cmdline kernel_cmdline;

extern const struct boot_param __kernel_params_start[];
extern const struct boot_param __kernel_params_end[];

#define for_each_boot_param(p) \
	for (const struct boot_param *p = __kernel_params_start; \
	     p < __kernel_params_end; p++)

BOOT_PARAM_UINT(loglevel, "loglevel", 7, 0, 7,
		"console log level (messages above it are not shown)");
BOOT_PARAM_FLAG(params, "params", "list every boot parameter, its default and its value, at the end");

/* Values that did not fit, reported once the banner is out. */
#define MAX_BAD_VALUES	8
static const struct boot_param *bad_values[MAX_BAD_VALUES];
static unsigned int nr_bad_values;

void kernel_cmdline_init(const char *text)
{
	const char *err;

	if (cmdline_parse(&kernel_cmdline, text, &err))
		pr_err("cmdline: %s; ignoring the rest of it\n", err);
	for_each_boot_param(p) {
		const char *value = cmdline_find(&kernel_cmdline, p->key);

		if (!boot_param_parse(p, value, p->var))
			continue;
		boot_param_parse(p, NULL, p->var);	/* the default */
		if (nr_bad_values < MAX_BAD_VALUES)
			bad_values[nr_bad_values++] = p;
	}
	console_loglevel = (int)loglevel;
}

static const struct boot_param *find_param(const char *key)
{
	for_each_boot_param(p)
		if (!strcmp(p->key, key))
			return p;
	return NULL;
}

/* Does a declared key start with the first len characters of key? */
static bool is_declared_prefix(const char *key, size_t len)
{
	for_each_boot_param(p)
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
	char accepts[96], def[32];

	for (unsigned int i = 0; i < nr_bad_values; i++) {
		const struct boot_param *p = bad_values[i];

		boot_param_accepts(p, accepts, sizeof(accepts));
		boot_param_format(p, false, def, sizeof(def));
		pr_warn("cmdline: %s=%s: want %s; using %s\n", p->key,
			cmdline_find(&kernel_cmdline, p->key), accepts, def);
	}
	for (int i = 0; i < kernel_cmdline.count; i++) {
		const char *key = kernel_cmdline.params[i].key;
		const char *dot = strchr(key, '.');

		if (find_param(key))
			continue;
		if (dot && !is_declared_prefix(key, (size_t)(dot - key) + 1))
			continue;
		pr_warn("cmdline: unknown parameter '%s' ignored\n", key);
	}
}

bool boot_param_given(const void *var)
{
	for_each_boot_param(p)
		if (p->var == var)
			return cmdline_find(&kernel_cmdline, p->key) != NULL;
	return false;
}

/*
 * One line a parameter, in link order:
 *   params: key=watchdog_thresh type=uint default=10 value=2 accepts=a number in 0-3600 help=...
 * tools/params_table.py turns these lines into the README's table.
 */
void boot_params_print(void)
{
	char def[48], now[48], accepts[96];

	for_each_boot_param(p) {
		boot_param_format(p, false, def, sizeof(def));
		boot_param_format(p, true, now, sizeof(now));
		boot_param_accepts(p, accepts, sizeof(accepts));
		pr_info("params: key=%s type=%s default=%s value=%s accepts=%s help=%s\n",
			p->key, boot_param_type_name(p), def, now, accepts,
			p->help);
	}
}

int boot_params_run_requested(void)
{
	if (params)
		boot_params_print();
	return 0;
}
