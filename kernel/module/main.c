/*
 * kernel/module/main.c - load_module(): from the bytes of a .ko to a
 * running module, and delete_module() back (Linux: kernel/module/main.c).
 *
 * One load is a straight sequence of named steps, as in Linux, each a
 * function of its own:
 *
 *	copy_module()		the file into memory the load owns
 *	elf_validity_check()	module_elf_check(): every offset and index
 *	layout_and_allocate()	module_layout(), module memory, sections
 *				copied in (move_module), the descriptor found
 *	add_unformed_module()	into the list as UNFORMED: from here a
 *				second load of the same name waits or fails
 *	percpu_modalloc()	the per-CPU area, from the reserved chunk
 *	simplify_symbols()	every symbol's final value
 *	apply_relocations()	patch the code and data (and the per-CPU
 *				template)
 *	percpu_modcopy()	the template to every possible CPU
 *	complete_formation()	under module_mutex: verify_export_symbols(),
 *				pages made RX / R / RW+NX, state COMING
 *	parse_args()		"<module>.<param>=value" from the command line,
 *				then the load's own "param=value" words
 *	do_init_module()	init, state LIVE, init memory freed,
 *				wake_up_all(&module_wq)
 *
 * Where percpu_modalloc() and add_unformed_module() go is what the four
 * loader generations of docs/story.md differ in: load_module() reads it
 * from the generation's row (struct loader_generation, in
 * kernel/module/generation.c), which it holds for the whole load.
 *
 * The list and the states.  'modules' is an RCU list: writers hold
 * module_mutex, readers (symbol lookups, backtraces) only rcu_read_lock().
 * A module enters as UNFORMED (invisible to everyone but add_unformed_
 * module(), so its half-linked exports are never used), becomes COMING
 * in complete_formation(), LIVE after its init, GOING when init fails or
 * delete_module() runs; it leaves with list_del_rcu(), wake_up_all() for
 * those waiting on its name, and synchronize_rcu() before its memory -
 * which holds the struct module itself - is freed.
 *
 * Every failure unwinds the steps done so far in reverse, through the
 * labels at the end of load_module().  Next door: the generations
 * (generation.c), linking (symbols.c), module parameters (params.c),
 * what loads cost (stats.c: every allocation of a load goes through its
 * load_kmalloc()/load_module_alloc()), and fault injection
 * (fault_inject.c: fail.init, fail.percpu, storm.jitter's delays).
 */
#include <kernel/errno.h>
#include <kernel/export.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "internal.h"

LIST_HEAD(modules);
DEFINE_MUTEX(module_mutex);
DECLARE_WAIT_QUEUE_HEAD(module_wq);

/* ---- the list ----------------------------------------------------------- */

/* Under module_mutex or rcu_read_lock(). */
struct module *find_module_all(const char *name, bool even_unformed)
{
	struct module *mod;

	list_for_each_entry_rcu(mod, &modules, list) {
		if (!even_unformed && mod->state == MODULE_STATE_UNFORMED)
			continue;
		if (!strcmp(mod->name, name))
			return mod;
	}
	return NULL;
}

struct module *find_module(const char *name)
{
	return find_module_all(name, false);
}

void for_each_module(void (*fn)(struct module *mod, void *ctx), void *ctx)
{
	struct module *mod;

	mutex_lock(&module_mutex);
	list_for_each_entry(mod, &modules, list)
		fn(mod, ctx);
	mutex_unlock(&module_mutex);
}

/* Linux's finished_loading(), lockless: the list is read under RCU and
 * the state read once, so the wait_event condition never sleeps. */
static bool finished_loading(const char *name)
{
	struct module *mod;
	bool done;

	rcu_read_lock();
	mod = find_module_all(name, true);
	done = !mod || READ_ONCE(mod->state) == MODULE_STATE_LIVE ||
	       READ_ONCE(mod->state) == MODULE_STATE_GOING;
	rcu_read_unlock();
	return done;
}

int wait_finished_loading(const char *name)
{
	long left = wait_event_timeout(module_wq, finished_loading(name),
				       MODULE_WAIT_SECONDS * HZ);

	if (!left) {
		pr_err("%s: still loading after %d s; giving up\n", name,
		       MODULE_WAIT_SECONDS);
		return -ETIMEDOUT;
	}
	return 0;
}

/*
 * Insert mod as UNFORMED unless its name is taken.  A namesake still
 * loading (UNFORMED or COMING) may yet fail, so wait for it to finish
 * and look again; a LIVE one means -EEXIST, a GOING one -EBUSY.
 */
static int add_unformed_module(struct module *mod)
{
	struct module *old;
	int err;

again:
	mutex_lock(&module_mutex);
	old = find_module_all(mod->name, true);
	if (old) {
		if (old->state == MODULE_STATE_UNFORMED ||
		    old->state == MODULE_STATE_COMING) {
			mutex_unlock(&module_mutex);
			fault_inject_delay();
			module_note_step(mod->name, MODULE_STEP_WAITING);
			err = wait_finished_loading(mod->name);
			if (err)
				return err;
			goto again;
		}
		err = old->state == MODULE_STATE_GOING ? -EBUSY : -EEXIST;
		mutex_unlock(&module_mutex);
		mod_stat_dup_failed(mod->name, FAIL_DUP_MOD_LOAD);
		return err;
	}
	mod->state = MODULE_STATE_UNFORMED;
	list_add_rcu(&mod->list, &modules);
	mutex_unlock(&module_mutex);
	module_note_event(MODULE_EV_LISTED, mod->name, 0);
	return 0;
}

/*
 * Out of the list, waiters told, readers gone: then memory may go.  A
 * module that never went in (init_descriptor() left its list head
 * pointing at itself: legacy lists it late) has nothing to undo.
 */
static void module_unlink(struct module *mod)
{
	if (list_empty(&mod->list))
		return;
	mutex_lock(&module_mutex);
	list_del_rcu(&mod->list);
	mutex_unlock(&module_mutex);
	wake_up_all(&module_wq);
	synchronize_rcu();
}

/* ---- the steps ------------------------------------------------------------ */

static int copy_module(struct load_state *ls, const void *file, size_t len)
{
	if (!len) {
		pr_err("%s: empty file\n", ls->path);
		return -ENOEXEC;
	}
	ls->copy = load_kmalloc(ls, len, "file copy");
	if (!ls->copy) {
		pr_err("%s: no memory for a %zu-byte copy\n", ls->path, len);
		return -ENOMEM;
	}
	memcpy(ls->copy, file, len);
	ls->copy_len = len;
	return 0;
}

static void free_copy(struct load_state *ls)
{
	load_kfree(ls, ls->copy, ls->copy_len);
	ls->copy = NULL;
}

static int elf_validity_check(struct load_state *ls)
{
	const char *reason;
	int err = module_elf_check(ls->copy, ls->copy_len,
				   sizeof(struct module), &ls->info, &reason);

	if (err)
		pr_err("%s: %s\n", ls->path, reason);
	return err;
}

/* Linux's percpu_modalloc(): from the reserved chunk, only.  The area is
 * noted as this module's, for the monitor's map of the reserved chunk. */
static int percpu_modalloc(struct load_state *ls)
{
	struct module *mod = ls->mod;
	size_t size = ls->layout.percpu_size;

	if (!size)
		return 0;
	if (should_fail_percpu())
		pr_warn("%s: per-CPU allocation failed on purpose (fail.percpu)\n",
			mod->name);
	else if (!load_alloc_fails(ls, "per-CPU area"))
		mod->percpu = __alloc_reserved_percpu_owner(size,
							    ls->layout.percpu_align,
							    mod->name);
	if (!mod->percpu) {
		pr_warn("%s: Could not allocate %zu bytes percpu data\n",
			mod->name, size);
		return -ENOMEM;
	}
	mod->percpu_size = (unsigned int)size;
	mod->percpu_align = (unsigned int)ls->layout.percpu_align;
	load_account_percpu(ls, size);
	module_note_event(MODULE_EV_PERCPU_ALLOC, mod->name, size);
	ls->map[ls->info.index.pcpu].addr = (uint64_t)(uintptr_t)mod->percpu;
	return 0;
}

static void percpu_modfree(struct load_state *ls)
{
	struct module *mod = ls->mod;

	if (!mod->percpu)
		return;
	free_percpu(mod->percpu);
	module_note_event(MODULE_EV_PERCPU_FREE, mod->name, mod->percpu_size);
	mod->percpu = NULL;
}

/* The relocated template, to every possible CPU's copy. */
static void percpu_modcopy(struct load_state *ls)
{
	struct module *mod = ls->mod;
	unsigned int cpu;

	if (!mod->percpu)
		return;
	for_each_possible_cpu(cpu)
		memcpy(per_cpu_ptr(mod->percpu, cpu), ls->pcpu_template,
		       mod->percpu_size);
}

/* A table section of the module (exports, parameters), with its count. */
static int find_table(struct load_state *ls, const char *secname,
		      size_t entsize, const void **table, unsigned int *count)
{
	unsigned int i = module_find_section(&ls->info, secname);
	const Elf64_Shdr *s;

	*table = NULL;
	*count = 0;
	if (!i)
		return 0;
	s = &ls->info.sechdrs[i];
	if (!ls->map[i].loaded || s->sh_size % entsize ||
	    (s->sh_size && s->sh_addralign < 8)) {
		pr_err("%s: section %s: %llu bytes, not %zu-byte entries 8-aligned in module memory\n",
		       ls->path, secname, (unsigned long long)s->sh_size, entsize);
		return -ENOEXEC;
	}
	*table = (const void *)(uintptr_t)ls->map[i].addr;
	*count = (unsigned int)(s->sh_size / entsize);
	return 0;
}

/* The kernel's fields of the descriptor, which the file leaves zero. */
static void init_descriptor(struct load_state *ls)
{
	struct module *mod = ls->mod;
	const char *license = module_get_modinfo(&ls->info, "license");

	mod->state = MODULE_STATE_UNFORMED;
	INIT_LIST_HEAD(&mod->list);
	INIT_LIST_HEAD(&mod->source_list);
	INIT_LIST_HEAD(&mod->target_list);
	mod->refcnt = 0;
	mod->percpu = NULL;
	mod->percpu_size = 0;
	mod->percpu_align = 0;
	mod->args = NULL;
	mod->symtab = NULL;
	mod->num_symtab = 0;
	mod->strtab = NULL;
	mod->name[MODULE_NAME_LEN - 1] = '\0';
	mod->gpl_compatible = license && license_is_gpl_compatible(license);
	mod->core_layout.base = ls->core;
	mod->core_layout.size = (unsigned int)ls->layout.core_size;
	mod->core_layout.text_size = (unsigned int)ls->layout.mem[MOD_TEXT].size;
	mod->core_layout.ro_size = (unsigned int)(ls->layout.mem[MOD_TEXT].size +
						  ls->layout.mem[MOD_RODATA].size);
	mod->init_layout.base = ls->init;
	mod->init_layout.size = (unsigned int)ls->layout.init_size;
	mod->init_layout.text_size =
		(unsigned int)ls->layout.mem[MOD_INIT_TEXT].size;
	mod->init_layout.ro_size =
		(unsigned int)(ls->layout.mem[MOD_INIT_TEXT].size +
			       ls->layout.mem[MOD_INIT_RODATA].size);
}

/* What only the load needs: the tables and the per-CPU template. */
static void free_scratch(struct load_state *ls)
{
	load_kfree(ls, ls->pcpu_template, ls->layout.percpu_size);
	kfree(ls->values);
	kfree(ls->map);
	kfree(ls->layout.place);
	ls->pcpu_template = NULL;
	ls->values = NULL;
	ls->map = NULL;
	ls->layout.place = NULL;
}

static void free_module_memory(struct load_state *ls)
{
	load_module_memfree(ls, ls->init, ls->layout.init_size);
	load_module_memfree(ls, ls->core, ls->layout.core_size);
	ls->init = NULL;
	ls->core = NULL;
	free_scratch(ls);
}

/* A zeroed table of n entries for the load: its scratch (free_scratch()). */
static void *load_table(struct load_state *ls, size_t n, size_t size,
			const char *what)
{
	return load_alloc_fails(ls, what) ? NULL : kzalloc(n * size);
}

/*
 * Lay the sections out, allocate module memory and copy them in (Linux's
 * layout_sections + move_module), and find the descriptor there.  On
 * failure it frees what it took itself.
 */
static int layout_and_allocate(struct load_state *ls)
{
	struct load_info *info = &ls->info;
	unsigned int nsec = info->hdr->e_shnum;
	const char *reason;
	int err = -ENOMEM;

	if (!(ls->layout.place = load_table(ls, nsec, sizeof(*ls->layout.place),
					    "section places")) ||
	    !(ls->map = load_table(ls, nsec, sizeof(*ls->map), "section map")) ||
	    !(ls->values = load_table(ls, info->num_syms, sizeof(*ls->values),
				      "symbol values"))) {
		pr_err("%s: no memory for the load's tables (%u sections, %u symbols)\n",
		       ls->path, nsec, info->num_syms);
		goto fail;
	}
	err = module_layout(info, &ls->layout, &reason);
	if (err) {
		pr_err("%s: %s\n", ls->path, reason);
		goto fail;
	}
	err = -ENOMEM;
	ls->core = load_module_alloc(ls, ls->layout.core_size, "core memory");
	if (ls->core && ls->layout.init_size)
		ls->init = load_module_alloc(ls, ls->layout.init_size, "init memory");
	if (!ls->core || (ls->layout.init_size && !ls->init)) {
		pr_err("%s: out of module memory (%llu bytes)\n", ls->path,
		       (unsigned long long)(ls->layout.core_size +
					    ls->layout.init_size));
		goto fail;
	}
	if (ls->layout.percpu_size) {
		ls->pcpu_template = load_kzalloc(ls, ls->layout.percpu_size,
						  "per-CPU template");
		if (!ls->pcpu_template) {
			pr_err("%s: no memory for its %zu-byte per-CPU template\n",
			       ls->path, ls->layout.percpu_size);
			goto fail;
		}
	}
	module_note_event(MODULE_EV_MODMEM_ALLOC, info->name,
			  ls->layout.core_size + ls->layout.init_size);
	/* The per-CPU base is filled in by percpu_modalloc(). */
	module_place_sections(info, &ls->layout,
			      (uint64_t)(uintptr_t)ls->core, ls->core,
			      (uint64_t)(uintptr_t)ls->init, ls->init,
			      0, ls->pcpu_template, ls->map);
	ls->mod = ls->map[info->index.mod].buf;
	init_descriptor(ls);
	return 0;
fail:
	free_module_memory(ls);
	ls->mod = NULL;
	return err;
}

static int simplify_symbols(struct load_state *ls)
{
	const char *reason;
	int err = module_simplify_symbols(&ls->info, ls->map, resolve_symbol,
					  ls, ls->values, &reason);

	if (err)
		pr_err("%s\n", reason);
	return err;
}

static int apply_relocations(struct load_state *ls)
{
	const char *reason;
	int err = module_apply_relocations(&ls->info, ls->map, ls->values,
					   &reason);

	if (err)
		pr_err("%s\n", reason);
	return err;
}

/* The exports, parameters and entry points, once relocated. */
static int find_module_tables(struct load_state *ls)
{
	struct module *mod = ls->mod;
	const void *t;
	int err;

	err = find_table(ls, "__ksymtab", sizeof(struct kernel_symbol), &t,
			 &mod->num_syms);
	mod->syms = t;
	if (!err)
		err = find_table(ls, "__ksymtab_gpl",
				 sizeof(struct kernel_symbol), &t,
				 &mod->num_gpl_syms);
	mod->gpl_syms = t;
	if (!err)
		err = find_table(ls, "__param", sizeof(struct kernel_param), &t,
				 &mod->num_kp);
	mod->kp = t;
	return err;
}

/* Linux's module_enable_ro/nx/x: text RX, rodata R, data RW (all NX). */
static void module_enable_permissions(const struct module_layout *l)
{
	unsigned long base = (unsigned long)l->base;

	if (!base)
		return;
	if (l->ro_size)
		set_memory_ro(base, (int)(l->ro_size / PAGE_SIZE));
	if (l->text_size)
		set_memory_x(base, (int)(l->text_size / PAGE_SIZE));
}

static int complete_formation(struct load_state *ls)
{
	struct module *mod = ls->mod;
	int err;

	mutex_lock(&module_mutex);
	err = verify_export_symbols(mod);
	if (err)
		goto out;
	module_enable_permissions(&mod->core_layout);
	module_enable_permissions(&mod->init_layout);
	mod->state = MODULE_STATE_COMING;
	module_note_event(MODULE_EV_STATE, mod->name, MODULE_STATE_COMING);
out:
	mutex_unlock(&module_mutex);
	return err;
}

/* Init memory goes once nobody can be looking at its symbols. */
static void free_init_memory(struct load_state *ls)
{
	struct module *mod = ls->mod;

	if (!ls->init)
		return;
	mutex_lock(&module_mutex);
	mod->init_layout.base = NULL;
	mod->init_layout.size = 0;
	mutex_unlock(&module_mutex);
	synchronize_rcu();
	load_module_memfree(ls, ls->init, ls->layout.init_size);
	ls->init = NULL;
}

static int do_init_module(struct load_state *ls)
{
	struct module *mod = ls->mod;
	int ret = 0;

	fault_inject_delay();
	module_note_step(mod->name, MODULE_STEP_INIT);
	if (should_fail_init(mod->name)) {
		pr_warn("%s: init made to fail (fail.init)\n", mod->name);
		ret = -EIO;
	} else if (mod->init) {
		ret = module_call_init(mod);
	}
	if (ret < 0) {
		pr_err("%s: init failed (error %d)\n", mod->name, ret);
		return ret;	/* load_module() unwinds: GOING, unlink */
	}
	if (ret > 0)
		pr_warn("%s: init suspiciously returned %d, it should follow 0/-E convention\n",
			mod->name, ret);
	mutex_lock(&module_mutex);
	mod->state = MODULE_STATE_LIVE;
	mutex_unlock(&module_mutex);
	module_note_event(MODULE_EV_STATE, mod->name, MODULE_STATE_LIVE);
	free_init_memory(ls);
	wake_up_all(&module_wq);
	return 0;
}

/*
 * The module's init, through the pointer the relocations filled in.  A
 * function of its own, so that a fault in init reads, in the backtrace,
 * the module's function, then module_call_init, then load_module.
 */
noinline int module_call_init(struct module *mod)
{
	return mod->init();
}

/* ---- load_module ---------------------------------------------------------- */

/* The end of a load, however it went: its figures filed, its state freed. */
static void load_state_free(struct load_state *ls, int err)
{
	mod_stat_load_end(ls, err);
	fail_alloc_end(ls, err);
	loader_end();
	kfree(ls);
}

/*
 * Load one module from the file's bytes; path names it in messages.
 * 0 when the module is LIVE, or a negative errno: -EEXIST (already
 * LIVE), -EBUSY (going away), -ENOEXEC (a bad file), -ENOENT (unknown
 * symbol), -ENOMEM (module memory or per-CPU area), init's own error.
 */
int load_module(const void *file, size_t len, const char *path,
		const char *uargs)
{
	const struct loader_generation *gen;
	struct load_state *ls;
	int err;

	ls = load_state_new(path);
	if (!ls)
		return -ENOMEM;
	gen = loader_begin();

	fault_inject_delay();
	module_note_step(path, MODULE_STEP_READING);
	err = copy_module(ls, file, len);
	if (err)
		goto free_copy;
	err = elf_validity_check(ls);
	if (err)
		goto free_copy;

	fault_inject_delay();
	module_note_step(ls->info.name, MODULE_STEP_ALLOCATING);
	err = layout_and_allocate(ls);
	if (err)
		goto free_copy;
	if (gen->percpu_before_unique) {
		/* legacy, seed: every duplicate holds a reserved area */
		err = percpu_modalloc(ls);
		if (err)
			goto free_module;
	}
	if (!gen->unique_late) {
		err = add_unformed_module(ls->mod);
		if (err)
			goto free_module;
	}
	if (!gen->percpu_before_unique) {
		/* unformed, idempotent: only a unique module gets one */
		fault_inject_delay();
		module_note_step(ls->mod->name, MODULE_STEP_ALLOCATING);
		err = percpu_modalloc(ls);
		if (err)
			goto unlink;
	}

	fault_inject_delay();
	module_note_step(ls->mod->name, MODULE_STEP_RELOCATING);
	err = simplify_symbols(ls);
	if (err)
		goto free_uses;
	err = apply_relocations(ls);
	if (err)
		goto free_uses;
	err = find_module_tables(ls);
	if (err)
		goto free_uses;
	err = module_add_kallsyms(ls);
	if (err)
		goto free_uses;
	percpu_modcopy(ls);
	if (gen->unique_late) {
		/* legacy: the name is checked only now, holding it all */
		err = add_unformed_module(ls->mod);
		if (err)
			goto free_uses;
	}

	err = complete_formation(ls);
	if (err)
		goto free_uses;
	err = parse_args(ls, uargs);
	if (err)
		goto going;

	free_copy(ls);
	err = do_init_module(ls);
	if (err)
		goto going;
	pr_info("module: %s loaded (%u bytes core, %u bytes per-CPU)\n",
		ls->mod->name, ls->mod->core_layout.size, ls->mod->percpu_size);
	free_scratch(ls);
	load_state_free(ls, 0);
	return 0;

	/* The unwind, in the reverse order of the steps above.  Symbols are
	 * freed with the memory: once formed, the module was visible to
	 * backtraces, which read them under RCU only. */
going:
	mutex_lock(&module_mutex);
	ls->mod->state = MODULE_STATE_GOING;
	mutex_unlock(&module_mutex);
	module_note_event(MODULE_EV_STATE, ls->mod->name, MODULE_STATE_GOING);
free_uses:
	mutex_lock(&module_mutex);
	module_unload_free(ls->mod);
	mutex_unlock(&module_mutex);
unlink:
	module_unlink(ls->mod);
free_module:
	kfree(ls->mod->args);
	module_unwind_kallsyms(ls);
	percpu_modfree(ls);
	free_module_memory(ls);
free_copy:
	if (ls->copy)
		free_copy(ls);
	load_state_free(ls, err);
	return err;
}

/* ---- delete_module -------------------------------------------------------- */

/*
 * Unload a LIVE module nobody uses: GOING, its exit, out of the list, a
 * grace period, then its per-CPU area and memory go (Linux's
 * delete_module syscall and free_module()).
 */
int delete_module(const char *name)
{
	struct module_use *use;
	struct module *mod;
	void *core;
	int err = 0;

	mutex_lock(&module_mutex);
	mod = find_module(name);
	if (!mod) {
		err = -ENOENT;
	} else if (mod->state != MODULE_STATE_LIVE) {
		err = -EBUSY;	/* still loading, or already going */
	} else if (!list_empty(&mod->source_list)) {
		use = list_first_entry(&mod->source_list, struct module_use,
				       source_list);
		pr_err("delete_module: %s is in use by %s\n", name,
		       use->source->name);
		err = -EBUSY;
	} else if (mod->refcnt) {
		pr_err("delete_module: %s has %d references\n", name,
		       mod->refcnt);
		err = -EBUSY;
	} else {
		mod->state = MODULE_STATE_GOING;
	}
	mutex_unlock(&module_mutex);
	if (err)
		return err;
	module_note_event(MODULE_EV_STATE, mod->name, MODULE_STATE_GOING);

	if (mod->exit)
		mod->exit();
	mutex_lock(&module_mutex);
	module_unload_free(mod);
	mutex_unlock(&module_mutex);
	module_unlink(mod);
	module_free_kallsyms(mod);
	if (mod->percpu) {
		module_note_event(MODULE_EV_PERCPU_FREE, mod->name,
				  mod->percpu_size);
		free_percpu(mod->percpu);
	}
	/* The descriptor lives in core memory: nothing of mod after this. */
	core = mod->core_layout.base;
	kfree(mod->args);
	pr_info("module: %s unloaded\n", name);
	module_memfree(core);
	return 0;
}

/* Unload every LIVE module nobody uses, users before what they use,
 * until none is left that can go (the storm's rounds, the tests). */
void delete_all_modules(void)
{
	bool progress = true;

	while (progress) {
		char name[MODULE_NAME_LEN] = "";
		struct module *mod;

		mutex_lock(&module_mutex);
		list_for_each_entry(mod, &modules, list) {
			if (mod->state == MODULE_STATE_LIVE &&
			    list_empty(&mod->source_list) && !mod->refcnt) {
				memcpy(name, mod->name, sizeof(name));
				break;
			}
		}
		mutex_unlock(&module_mutex);
		progress = name[0] && delete_module(name) == 0;
	}
}
