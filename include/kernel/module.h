/*
 * include/kernel/module.h - the module ABI: what a module's source says
 * about itself, and the struct module the kernel keeps for each one.
 *
 * A module is an ELF relocatable object (<name>.ko, built by
 * modules/Makefile.rules and tools/modpost.py; docs/modules.md).  Its C
 * source uses, as in Linux:
 *
 *	module_init(fn)		int fn(void), run once the module is linked;
 *				non-zero fails the load
 *	module_exit(fn)		void fn(void), run by delete_module()
 *	MODULE_LICENSE("GPL")	and MODULE_AUTHOR, MODULE_DESCRIPTION,
 *				MODULE_VERSION: "key=value\0" strings in
 *				the .modinfo section
 *	module_param(v, int, 0444)	(include/kernel/moduleparam.h)
 *	EXPORT_SYMBOL(sym)	(include/kernel/export.h)
 *	DEFINE_PER_CPU(t, v)	(include/kernel/percpu.h): lands in the
 *				module's .data..percpu
 *	THIS_MODULE		the module's own struct module
 *
 * How init and exit reach the loader.  Linux's way, which we keep:
 * module_init(fn) makes init_module an alias of fn, module_exit(fn) makes
 * cleanup_module an alias of fn, and the build (tools/modpost.py) writes a
 * small <name>.mod.c per module that defines
 *
 *	struct module __this_module __section(".gnu.linkonce.this_module")
 *		= { .name = "<name>", .init = init_module,
 *		    .exit = cleanup_module };
 *
 * so the descriptor carries the name and two pointers that the loader's
 * relocation pass fills in like any other.  The aliases give the entry
 * points one fixed name whatever the author called them (the symbol table
 * and a backtrace show both), and generating the descriptor at build time
 * means a source file cannot get the name wrong.  The loader finds the
 * section, checks its size is sizeof(struct module), and copies it into
 * the struct module it keeps (Linux's "mod = (void *)info->sechdrs[
 * info->index.mod].sh_addr").
 *
 * The #ifdef MODULE split: the same headers compile into the kernel, where
 * module_init() has no loader to call it and .modinfo would only waste
 * space, so there the info macros vanish.  THIS_MODULE is NULL in the
 * kernel (Linux's convention: "owned by the kernel itself").
 */
#ifndef KERNEL_MODULE_H
#define KERNEL_MODULE_H

#include <kernel/compiler.h>
#include <kernel/export.h>
#include <kernel/list.h>
#include <kernel/moduleparam.h>

/* Linux's value: 64 - sizeof(unsigned long), so name + state fit a line. */
#define MODULE_NAME_LEN		56

/*
 * The states, in Linux's order (include/linux/module.h): LIVE is 0, so a
 * zeroed struct is not mistaken for a module being set up.
 *
 *	UNFORMED  in the list only so that a second load of the same name
 *		  waits (the 3.8/3.11 fix); not yet linked: invisible to
 *		  symbol lookups and list walkers
 *	COMING    linked, exports visible, init running
 *	LIVE      init returned 0
 *	GOING     exit running or init failed; about to leave the list
 */
enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};

/*
 * Where one part (core or init) of a module lives once laid out: one
 * allocation from the module area, text first, then read-only data, then
 * writable data, each boundary page-aligned so the three can be mapped
 * RX, R and RW (Linux's struct module_layout before 6.4).
 */
struct module_layout {
	void *base;		/* start of the allocation */
	unsigned int size;	/* whole allocation, a multiple of PAGE_SIZE */
	unsigned int text_size;	/* [base, base+text_size): RX */
	unsigned int ro_size;	/* [text_size, ro_size): R, NX */
				/* [ro_size, size): RW, NX */
};

/* "source uses target": one per dependency edge (Linux's module_use). */
struct module_use {
	struct list_head source_list;	/* on target->source_list */
	struct list_head target_list;	/* on source->target_list */
	struct module *source, *target;
};

struct module {
	enum module_state state;

	/* On the global module list (kernel/module/main.c's 'modules'). */
	struct list_head list;

	/* From .gnu.linkonce.this_module: set by tools/modpost.py. */
	char name[MODULE_NAME_LEN];

	/* Exported symbols: the module's __ksymtab and __ksymtab_gpl. */
	const struct kernel_symbol *syms;
	unsigned int num_syms;
	const struct kernel_symbol *gpl_syms;
	unsigned int num_gpl_syms;

	/* Parameters: the module's __param section. */
	const struct kernel_param *kp;
	unsigned int num_kp;

	/* GPL-compatible license (MODULE_LICENSE): may use _GPL exports. */
	bool gpl_compatible;

	/* init_module / cleanup_module (NULL if the module has none). */
	int (*init)(void);
	void (*exit)(void);

	/* Module memory: core stays while loaded; init is freed after init. */
	struct module_layout core_layout;
	struct module_layout init_layout;

	/*
	 * Per-CPU area: from the reserved chunk, percpu_size bytes aligned
	 * to percpu_align (the module's .data..percpu); CPU c's copy is at
	 * per_cpu_ptr(percpu, c).  NULL when the module has no per-CPU data.
	 */
	void *percpu;
	unsigned int percpu_size;
	unsigned int percpu_align;

	/* The module's own symbol table, for backtraces (kallsyms). */
	const void *symtab;		/* Elf64_Sym[num_symtab] */
	unsigned int num_symtab;
	const char *strtab;

	/*
	 * References: modules that use this one are on source_list, the
	 * ones this uses on target_list.  refcnt counts users besides the
	 * module_use links (try_module_get); delete_module refuses while
	 * either is non-empty.
	 */
	struct list_head source_list;
	struct list_head target_list;
	int refcnt;

	/* The parameters given with the load (modprobe NAME p=v), copied:
	 * a charp parameter points into it.  Freed with the module. */
	char *args;

	/*
	 * Room for the loader to grow without changing the .ko's layout;
	 * it also makes the struct 320 bytes, so that readelf's size of
	 * .gnu.linkonce.this_module is not kvm's per-CPU 304 by chance.
	 */
	unsigned long reserved[5];
};

#ifdef MODULE
extern struct module __this_module;
#define THIS_MODULE	(&__this_module)
#else
#define THIS_MODULE	((struct module *)0)
#endif

/* ---- the module's self-description ------------------------------------ */

#define __MODULE_CAT2(a, b)	a##b
#define __MODULE_CAT(a, b)	__MODULE_CAT2(a, b)
#define __UNIQUE_ID(prefix)	__MODULE_CAT(__UNIQUE_ID_##prefix, __COUNTER__)

#ifdef MODULE
/* One "tag=info\0" string in .modinfo, byte-aligned: no padding between. */
#define MODULE_INFO(tag, info)						\
	static const char __UNIQUE_ID(tag)[] __used			\
		__section(".modinfo") __aligned(1) = #tag "=" info

/* Linux's aliases: the loader's __this_module names these two. */
#define module_init(initfn)						\
	static inline __unused __typeof__(initfn) *__inittest(void)		\
	{ return initfn; }						\
	int init_module(void) __attribute__((alias(#initfn)))
#define module_exit(exitfn)						\
	static inline __unused __typeof__(exitfn) *__exittest(void)		\
	{ return exitfn; }						\
	void cleanup_module(void) __attribute__((alias(#exitfn)))
#else
#define MODULE_INFO(tag, info)
#define module_init(initfn)
#define module_exit(exitfn)
#endif

/*
 * The licenses Linux treats as GPL-compatible (license_is_gpl_compatible
 * in include/linux/license.h): only those may use EXPORT_SYMBOL_GPL.
 */
static inline bool license_is_gpl_compatible(const char *license)
{
	static const char *const gpl[] = {
		"GPL", "GPL v2", "GPL and additional rights", "Dual BSD/GPL",
		"Dual MIT/GPL", "Dual MPL/GPL",
	};

	for (unsigned int i = 0; i < sizeof(gpl) / sizeof(gpl[0]); i++) {
		const char *a = gpl[i], *b = license;

		while (*a && *a == *b) {
			a++;
			b++;
		}
		if (!*a && !*b)
			return true;
	}
	return false;
}

#define MODULE_LICENSE(text)	MODULE_INFO(license, text)
#define MODULE_AUTHOR(text)	MODULE_INFO(author, text)
#define MODULE_DESCRIPTION(text) MODULE_INFO(description, text)
#define MODULE_VERSION(text)	MODULE_INFO(version, text)
#define MODULE_ALIAS(text)	MODULE_INFO(alias, text)

/* ---- the loader (kernel/module/) ----------------------------------------- */

/*
 * The four generations of load_module() (docs/story.md), one row each of
 * loader_generations[] (kernel/module/generation.c): the order of its
 * steps, as policy bits that load_module() and modprobe read.
 */
struct loader_generation {
	const char *name;		/* loader=legacy|seed|unformed|idempotent */
	const char *linux_versions;	/* "3.11 - 6.4" */
	const char *summary;		/* one line, for people */
	/* The per-CPU area is allocated with module memory, before the
	 * name is known to be unique (so every duplicate holds one). */
	bool percpu_before_unique;
	/* The name is checked only after relocation (Linux <= 3.7). */
	bool unique_late;
	/* Concurrent requests for one file are merged before reading it. */
	bool merge_requests;
};

extern const struct loader_generation loader_generations[];
extern const unsigned int loader_nr_generations;
const struct loader_generation *loader_generation_find(const char *name);
/* The generation new loads use. */
const struct loader_generation *loader_generation(void);
/* Use another from now on: -EINVAL for an unknown name, -EBUSY while
 * any load is in flight. */
int loader_generation_switch(const char *name);
/* A load holds its generation from begin to end (no switch meanwhile). */
const struct loader_generation *loader_begin(void);
void loader_end(void);
void module_loader_init(void);	/* reads loader= */

struct mutex;
struct wait_queue_head;
extern struct mutex module_mutex;
extern struct wait_queue_head module_wq;

/* Under module_mutex or rcu_read_lock(). */
struct module *find_module_all(const char *name, bool even_unformed);
/* fn for every module on the list, holding module_mutex (lsmod). */
void for_each_module(void (*fn)(struct module *mod, void *ctx), void *ctx);
struct module *find_module(const char *name);

/* uargs: "p=v p2" for the module's parameters, or NULL. */
int load_module(const void *file, size_t len, const char *path,
		const char *uargs);
int delete_module(const char *name);
/* Every module that can go, users first (kernel/module/main.c). */
void delete_all_modules(void);
/*
 * lib/modules/<name>.ko from the initrd, after its depends= (modprobe.c).
 * Like `modprobe --first-time`: -EEXIST when the module is already in
 * the kernel (LIVE or COMING); dependencies already there are skipped.
 */
int modprobe(const char *name);
/* With parameters for the module itself ("p=v p2=v2"; NULL: none). */
int modprobe_args(const char *name, const char *uargs);
struct modprobe_outcome {
	bool merged;	/* loader=idempotent: the result is another request's */
};
int modprobe_request(const char *name, struct modprobe_outcome *out);
/* Is the module LIVE or COMING (libkmod's module_is_inkernel)? */
bool module_is_inkernel(const char *name);
/* One file from the initrd, by path, with parameters (or NULL). */
int insmod(const char *path, const char *uargs);
/* modprobe -r: unload name and the modules it used that are now unused. */
int modprobe_remove(const char *name);

bool try_module_get(struct module *mod);
void module_put(struct module *mod);

/*
 * What loads cost, counted where they allocate (kernel/module/stats.c):
 * Linux's counters by Linux's names, since boot ...
 */
struct mod_stats {
	uint64_t total_mod_size;	/* module memory of every module loaded */
	uint64_t total_text_size;	/* of which text */
	uint64_t invalid_kread_bytes;	/* allocated by loads that failed at ... */
	uint64_t invalid_becoming_bytes; /* ... the copy, the checks, or */
	uint64_t invalid_mod_bytes;	/* ... after module memory */
	unsigned int modcount;		/* loads that succeeded */
	unsigned int failed_kreads, failed_becoming;
	unsigned int failed_load_modules; /* every load that failed */
};
void mod_stats_get(struct mod_stats *st);
void mod_stats_print(void);
int mod_stats_run_requested(void);	/* module_stats: print them */
enum fail_dup_mod_reason {
	FAIL_DUP_MOD_BECOMING,		/* found loaded before any allocation */
	FAIL_DUP_MOD_LOAD,		/* the name taken, after allocating */
};
/* dup_failed_modules: how often name failed as a duplicate, and how. */
unsigned long mod_stat_dup_count(const char *name, unsigned int *reasons);

/* ... and the storm's view: now, the peak and the sums since reset. */
struct module_loader_stats {
	uint64_t modmem_in_flight;	/* bytes held by loads not yet over */
	uint64_t modmem_peak;		/* its highest value since reset */
	uint64_t dup_bytes;		/* the invalid_*_bytes since reset */
	uint64_t loads_ok, loads_failed; /* modcount, failed_load_modules */
};
void module_loader_stats_get(struct module_loader_stats *st);
void module_loader_stats_reset(void);

/*
 * Every CPU loads the same modules at once (kernel/module/storm.c).
 * storm_run_requested() is the boot's storm, from the command line;
 * storm_run() is the monitor's: the modules in names (NULL: the boot's
 * list), unloaded first, under generation loader (NULL: the current
 * one, which is restored afterwards), on the first cpus online CPUs (0:
 * all), rounds times with jitter_us; interrupted() is asked between
 * rounds (Ctrl-C).  The figures of its last round go to *res.
 */
struct storm_opts {
	const char *names;
	const char *loader;
	unsigned int cpus, rounds, jitter_us;
	bool (*interrupted)(void);
	bool quiet_trace;	/* record with trace on, but do not print */
	bool soak;		/* storm.soak (kernel/module/storm.c) */
};
struct storm_result {
	const char *loader;
	unsigned int cpus, rounds_run;
	unsigned long requests, loaded, eexist, ebusy, failed, merged;
	size_t reserved_peak, reserved_size, reserved_demand;
	uint64_t modmem_peak, dup_bytes, elapsed_us;
	bool interrupted;
};
int storm_run_requested(void);
int storm_run(const struct storm_opts *o, struct storm_result *res);
/* The trace (trace=1) at run time; the last storm's, merged in time
 * order (-ENOENT: none recorded). */
void storm_trace_set(bool on);
bool storm_trace_on(void);
int storm_trace_show(void);

/* A module's symbol at addr, for backtraces: name, offset, size and the
 * module's name; NULL when addr is in no module (kallsyms.c). */
const char *module_address_lookup(uint64_t addr, uint64_t *offset,
				  uint64_t *size, const char **modname);
/* A module's own symbol by name (0 if absent), for tests. */
uint64_t module_kallsyms_lookup_name(struct module *mod, const char *name);
/*
 * A per-CPU variable called name in a module on the list (not UNFORMED):
 * 0, with the module's name in modname[len], the variable's template-
 * space address (inside mod->percpu .. + percpu_size: %gs:addr reaches
 * it) and its size (st_size, or up to the end of the module's area);
 * -EINVAL when a module has a symbol of that name that is not per-CPU
 * (modname says which); -ENOENT when no module has one (kallsyms.c).
 */
int module_percpu_symbol(const char *name, char *modname, size_t len,
			 unsigned long *addr, unsigned long *size);

#endif
