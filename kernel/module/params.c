/*
 * kernel/module/params.c - a module's parameters from the kernel command
 * line (Linux: kernel/params.c, parse_args()).
 *
 * A module declares its parameters with module_param() (its __param
 * section: name, type, address).  When it loads, every command-line word
 * "<module>.<param>=value" whose prefix is the module's name sets one of
 * them, after relocation and before init (load_module()'s parse_args
 * step), and so do the load's own words (modprobe NAME param=value at
 * the monitor).  A name the module lacks is warned about and ignored; a
 * value its type cannot hold fails the load (-EINVAL), as in Linux.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
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

static const struct kernel_param *find_param(struct module *mod,
					      const char *name)
{
	for (unsigned int k = 0; k < mod->num_kp; k++)
		if (!strcmp(mod->kp[k].name, name))
			return &mod->kp[k];
	return NULL;
}

/* One "param=value" (or "param", an empty value) for mod. */
static int set_named(struct module *mod, const char *name, const char *val)
{
	const struct kernel_param *kp = find_param(mod, name);

	if (!kp) {
		pr_warn("%s: unknown parameter '%s' ignored\n", mod->name, name);
		return 0;
	}
	return set_param(mod, kp, val ? val : "");
}

/*
 * The command line's "<module>.<param>=value" words first, then the
 * load's own (uargs: "param=value param2", as modprobe(8) passes them),
 * which win where both set one.  uargs is copied to mod->args and split
 * there in place, so a charp parameter may point into it for as long as
 * the module lives.
 */
int parse_args(struct load_state *ls, const char *uargs)
{
	struct module *mod = ls->mod;
	size_t plen = strlen(mod->name);
	char *p;

	for (int i = 0; i < kernel_cmdline.count; i++) {
		const struct cmdline_param *cp = &kernel_cmdline.params[i];

		if (strncmp(cp->key, mod->name, plen) || cp->key[plen] != '.')
			continue;
		if (set_named(mod, cp->key + plen + 1, cp->value))
			return -EINVAL;
	}
	if (!uargs || !*uargs)
		return 0;
	mod->args = load_alloc_fails(ls, "arguments") ? NULL : kstrdup(uargs);
	if (!mod->args) {
		pr_err("%s: no memory for its arguments\n", mod->name);
		return -ENOMEM;
	}
	for (p = mod->args; *p;) {
		char *word, *eq;

		while (*p == ' ')
			p++;
		if (!*p)
			break;
		word = p;
		while (*p && *p != ' ')
			p++;
		if (*p)
			*p++ = '\0';
		eq = strchr(word, '=');
		if (eq)
			*eq++ = '\0';
		if (set_named(mod, word, eq))
			return -EINVAL;
	}
	return 0;
}
