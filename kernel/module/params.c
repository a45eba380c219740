/*
 * kernel/module/params.c - a module's parameters from the kernel command
 * line (Linux: kernel/params.c, parse_args()).
 *
 * A module declares its parameters with module_param() (its __param
 * section: name, type, address).  When it loads, every command-line word
 * "<module>.<param>=value" whose prefix is the module's name sets one of
 * them, after relocation and before init (load_module()'s parse_args
 * step).  A name the module lacks is warned about and ignored; a value
 * its type cannot hold fails the load (-EINVAL), as in Linux.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/module.h>
#include <kernel/moduleparam.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include "internal.h"

/* "<module>.<param>=value" words, for the module's __param table. */
static int set_param(struct module *mod, const struct kernel_param *kp,
		     const char *val)
{
	unsigned long u;
	bool neg = false;

	switch (kp->type) {
	case PARAM_BOOL:
		if (!*val || !strcmp(val, "1") || !strcmp(val, "y") ||
		    !strcmp(val, "Y"))
			*(bool *)kp->arg = true;
		else if (!strcmp(val, "0") || !strcmp(val, "n") ||
			 !strcmp(val, "N"))
			*(bool *)kp->arg = false;
		else
			goto bad;
		return 0;
	case PARAM_CHARP:
		*(const char **)kp->arg = val;
		return 0;
	case PARAM_INT:
		if (*val == '-') {
			neg = true;
			val++;
		}
		if (cmdline_parse_ulong(val, &u) ||
		    u > (neg ? 0x80000000UL : 0x7fffffffUL))
			goto bad;
		*(int *)kp->arg = neg ? (int)-(long)u : (int)u;
		return 0;
	case PARAM_UINT:
		if (cmdline_parse_ulong(val, &u) || u > 0xffffffffUL)
			goto bad;
		*(unsigned int *)kp->arg = (unsigned int)u;
		return 0;
	}
	pr_err("%s: parameter %s has unknown type %u\n", mod->name, kp->name,
	       kp->type);
	return -EINVAL;
bad:
	pr_err("%s: invalid value '%s' for parameter %s\n", mod->name, val,
	       kp->name);
	return -EINVAL;
}

int parse_args(struct module *mod)
{
	size_t plen = strlen(mod->name);

	for (int i = 0; i < kernel_cmdline.count; i++) {
		const struct cmdline_param *p = &kernel_cmdline.params[i];
		const struct kernel_param *kp = NULL;

		if (strncmp(p->key, mod->name, plen) || p->key[plen] != '.')
			continue;
		for (unsigned int k = 0; k < mod->num_kp; k++)
			if (!strcmp(mod->kp[k].name, p->key + plen + 1))
				kp = &mod->kp[k];
		if (!kp) {
			pr_warn("%s: unknown parameter '%s' ignored\n",
				mod->name, p->key + plen + 1);
			continue;
		}
		if (set_param(mod, kp, p->value ? p->value : ""))
			return -EINVAL;
	}
	return 0;
}
