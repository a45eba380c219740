/*
 * kernel/module/symbols.c - how modules link to the kernel and to each
 * other (Linux: kernel/module/main.c's find_symbol() and resolve_symbol(),
 * kernel/module/main.c's module_use references).
 *
 * A module's undefined symbols are resolved, during simplify_symbols(),
 * against the kernel's exports (kernel/module/exports.c) and then those of
 * every formed module.  Each use of another module's export is recorded
 * as a struct module_use on both modules' lists, so that the used module
 * cannot be unloaded while its user is loaded (delete_module() refuses),
 * and a held reference (try_module_get()) keeps it too.  Before a module
 * becomes COMING, verify_export_symbols() refuses exports that would
 * shadow another.
 */
#include <kernel/errno.h>
#include <kernel/export.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/mutex.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/string.h>
#include "internal.h"

/* ---- references (Linux's module_use, ref_module) ------------------------ */

static bool already_uses(struct module *a, struct module *b)
{
	struct module_use *use;

	list_for_each_entry(use, &b->source_list, source_list)
		if (use->source == a)
			return true;
	return false;
}

/* The load ls makes uses b.  Under module_mutex. */
static int ref_module(struct load_state *ls, struct module *b)
{
	struct module *a = ls->mod;
	struct module_use *use;

	if (!b || already_uses(a, b))
		return 0;
	use = load_alloc_fails(ls, "module use") ? NULL : kmalloc(sizeof(*use));
	if (!use)
		return -ENOMEM;
	use->source = a;
	use->target = b;
	list_add(&use->source_list, &b->source_list);
	list_add(&use->target_list, &a->target_list);
	return 0;
}

/* Drop every reference mod holds.  Under module_mutex. */
void module_unload_free(struct module *mod)
{
	struct module_use *use, *tmp;

	list_for_each_entry_safe(use, tmp, &mod->target_list, target_list) {
		list_del(&use->source_list);
		list_del(&use->target_list);
		kfree(use);
	}
}

bool try_module_get(struct module *mod)
{
	bool ok = true;

	if (!mod)
		return true;
	mutex_lock(&module_mutex);
	if (mod->state == MODULE_STATE_LIVE || mod->state == MODULE_STATE_COMING)
		mod->refcnt++;
	else
		ok = false;
	mutex_unlock(&module_mutex);
	return ok;
}

void module_put(struct module *mod)
{
	if (!mod)
		return;
	mutex_lock(&module_mutex);
	mod->refcnt--;
	mutex_unlock(&module_mutex);
}

/* ---- symbols ------------------------------------------------------------ */

static const struct kernel_symbol *
search_syms(const struct kernel_symbol *syms, unsigned int n, const char *name)
{
	for (unsigned int i = 0; i < n; i++)
		if (!strcmp(syms[i].name, name))
			return &syms[i];
	return NULL;
}

/*
 * Linux's find_symbol(): the kernel's exports, then those of every module
 * that is formed (COMING or LIVE; GOING ones too, for the caller to
 * refuse).  *owner is NULL for the kernel.  Under module_mutex or RCU.
 */
static const struct kernel_symbol *find_symbol(const char *name,
					       struct module *skip,
					       struct module **owner, bool *gpl)
{
	const struct kernel_symbol *ks = find_kernel_symbol(name, gpl);
	struct module *mod;

	*owner = NULL;
	if (ks)
		return ks;
	list_for_each_entry_rcu(mod, &modules, list) {
		if (mod == skip || mod->state == MODULE_STATE_UNFORMED)
			continue;
		ks = search_syms(mod->syms, mod->num_syms, name);
		*gpl = false;
		if (!ks) {
			ks = search_syms(mod->gpl_syms, mod->num_gpl_syms, name);
			*gpl = true;
		}
		if (ks) {
			*owner = mod;
			return ks;
		}
	}
	return NULL;
}

/*
 * The resolver simplify_symbols() gives the pure core: find the symbol,
 * refuse GPL-only ones to non-GPL modules, and record the use.  An owner
 * still COMING (its init running) is waited for, as Linux's
 * resolve_symbol_wait() does.
 */
int resolve_symbol(void *ctx, const char *name, uint64_t *value)
{
	struct load_state *ls = ctx;
	const struct kernel_symbol *ks;
	struct module *owner;
	bool gpl = false;
	int err;

again:
	mutex_lock(&module_mutex);
	ks = find_symbol(name, ls->mod, &owner, &gpl);
	if (!ks) {
		err = -ENOENT;
	} else if (gpl && !ls->mod->gpl_compatible) {
		err = -EPERM;
	} else if (owner && owner->state == MODULE_STATE_GOING) {
		err = -EBUSY;
	} else if (owner && owner->state == MODULE_STATE_COMING) {
		char owner_name[MODULE_NAME_LEN];

		memcpy(owner_name, owner->name, sizeof(owner_name));
		mutex_unlock(&module_mutex);
		err = wait_finished_loading(owner_name);
		if (err)
			return err;
		goto again;
	} else {
		err = ref_module(ls, owner);
		*value = ks->value;
	}
	mutex_unlock(&module_mutex);
	return err;
}

/* Linux's verify_export_symbols(): no export may shadow another. */
int verify_export_symbols(struct module *mod)
{
	const struct { const struct kernel_symbol *syms; unsigned int n; }
	tables[] = {
		{ mod->syms, mod->num_syms },
		{ mod->gpl_syms, mod->num_gpl_syms },
	};

	for (unsigned int t = 0; t < ARRAY_SIZE(tables); t++) {
		for (unsigned int i = 0; i < tables[t].n; i++) {
			const char *name = tables[t].syms[i].name;
			struct module *owner;
			bool gpl;

			if (find_symbol(name, mod, &owner, &gpl)) {
				pr_err("%s: exports duplicate symbol %s (owned by %s)\n",
				       mod->name, name,
				       owner ? owner->name : "kernel");
				return -ENOEXEC;
			}
			for (unsigned int u = t; u < ARRAY_SIZE(tables); u++) {
				unsigned int j = u == t ? i + 1 : 0;

				for (; j < tables[u].n; j++)
					if (!strcmp(tables[u].syms[j].name, name)) {
						pr_err("%s: exports symbol %s twice\n",
						       mod->name, name);
						return -ENOEXEC;
					}
			}
		}
	}
	return 0;
}
