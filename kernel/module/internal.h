/*
 * kernel/module/internal.h - what the loader's files share (Linux:
 * kernel/module/internal.h).
 *
 * struct load_state is one load in flight: the pure core's struct
 * load_info (include/kernel/module_elf.h) plus what the kernel glue
 * allocates for it.  Every field that owns memory is freed by exactly
 * one unwind label in load_module() (kernel/module/main.c).
 */
#ifndef KERNEL_MODULE_INTERNAL_H
#define KERNEL_MODULE_INTERNAL_H

#include <kernel/module.h>
#include <kernel/module_elf.h>
#include <kernel/mutex.h>
#include <kernel/wait.h>

struct load_state {
	struct load_info info;		/* the pure core's view of the image */
	const char *path;		/* for messages: "lib/modules/kvm.ko" */
	void *copy;			/* the file, copied (copy_module()) */
	size_t copy_len;
	struct module_layout_result layout;
	struct module_sec_map *map;	/* e_shnum entries */
	uint64_t *values;		/* num_syms final symbol values */
	void *pcpu_template;		/* .data..percpu, relocated here first */
	struct module *mod;		/* in core memory (this_module section) */
	void *core, *init;		/* module_alloc()'d parts, or NULL */
	/* What this load allocated, for the storm's accounting: bytes
	 * allocated in all, and bytes it holds right now. */
	size_t bytes_allocated;
	size_t bytes_held;
	size_t kallsyms_size;		/* module_add_kallsyms()'s copy */
	/* fail.alloc: the allocation to fail (0: none), and how many this
	 * load has made, itself first (fault_inject.c). */
	unsigned int fail_at, allocs;
};

extern struct list_head modules;

int module_call_init(struct module *mod);
/* Wait until the module called name is LIVE, GOING or gone (main.c). */
int wait_finished_loading(const char *name);

/* Linking (kernel/module/symbols.c): resolve_symbol() is the pure core's
 * resolver; the other two run under module_mutex. */
int resolve_symbol(void *ctx, const char *name, uint64_t *value);
int verify_export_symbols(struct module *mod);
void module_unload_free(struct module *mod);

/* "<module>.<param>=value" from the command line (kernel/module/params.c). */
int parse_args(struct load_state *ls, const char *uargs);

/* "lib/modules/kvm.ko" -> "kvm" in dst[size] (kernel/module/modprobe.c). */
const char *module_name_from_path(char *dst, size_t size, const char *path);

/* Fault injection (kernel/module/fault_inject.c): fail.init=<mod>:<n>
 * fails that module's init its first n times; fail.percpu=<n> fails the
 * nth reserved per-CPU allocation a load makes. */
bool should_fail_init(const char *name);
bool should_fail_percpu(void);
/* The same, armed at run time (the storm's soak); 0 disarms. */
void fail_init_arm(const char *name, unsigned int times);
void fail_percpu_arm(unsigned int nth);
/*
 * fail.alloc=<mod>:<k>: the next load of mod fails its kth allocation.
 * load_state_new() begins a load (its state is its first allocation);
 * every other allocation of the load asks load_alloc_fails(ls, what)
 * first, what naming it ("file copy"), and fails if told;
 * fail_alloc_end() closes the count with the load's outcome.
 */
struct load_state *load_state_new(const char *path);
bool load_alloc_fails(struct load_state *ls, const char *what);
void fail_alloc_end(const struct load_state *ls, int err);

/* The armed load, once it ended: how it went, each allocation it made. */
#define FAIL_ALLOC_MAX_POINTS	32
struct fail_alloc_result {
	int err;			/* what load_module() returned */
	unsigned int allocs;		/* allocations made, the failed one too */
	const char *what[FAIL_ALLOC_MAX_POINTS];	/* the first ones, named */
};
/* Arm it from a test: the next load of name fails its kth allocation
 * (k = 0: none, the load only counts them). */
void fail_alloc_arm(const char *name, unsigned int k);
void fail_alloc_disarm(void);
/* Has the armed load ended?  If so, *r says how. */
bool fail_alloc_result(struct fail_alloc_result *r);
/* storm.jitter's random delay, where a step of a load begins. */
void fault_inject_delay(void);
void module_set_jitter(unsigned long us);	/* storm.jitter */

/*
 * What each CPU's loader is doing (the storm's live view) and the trace
 * (kernel/module/trace.c; docs/story.md documents the format).
 */
enum module_step {
	MODULE_STEP_IDLE,
	MODULE_STEP_READING,	/* copying the file, checking the ELF */
	MODULE_STEP_ALLOCATING,	/* module memory, per-CPU area */
	MODULE_STEP_WAITING,	/* for a namesake, or a merged request */
	MODULE_STEP_RELOCATING,	/* symbols and relocations */
	MODULE_STEP_INIT,	/* the module's init */
	MODULE_STEP_DONE,	/* outcomes: loaded */
	MODULE_STEP_EEXIST,
	MODULE_STEP_EBUSY,
	MODULE_STEP_FAILED,
	MODULE_NR_STEPS,
};

enum module_event {
	MODULE_EV_STEP,		/* arg: enum module_step */
	MODULE_EV_REQUEST,	/* a modprobe() begins */
	MODULE_EV_OUTCOME,	/* arg: 0 or -errno */
	MODULE_EV_LISTED,	/* inserted into the module list as UNFORMED */
	MODULE_EV_STATE,	/* arg: the new enum module_state */
	MODULE_EV_WAIT_END,	/* arg: 0 or -errno */
	MODULE_EV_MODMEM_ALLOC,	/* arg: bytes of module memory */
	MODULE_EV_PERCPU_ALLOC,	/* arg: bytes per CPU, reserved chunk */
	MODULE_EV_PERCPU_FREE,
	MODULE_NR_EVENTS,
};

const char *module_step_name(enum module_step step);
void module_note_step(const char *name, enum module_step step);
void module_note_event(enum module_event ev, const char *name, long arg);
/* CPU cpu's current step, and its module's name into name[len]. */
enum module_step module_cpu_step(unsigned int cpu, char *name, size_t len);
bool module_trace_enabled(void);	/* trace=1 */
void module_trace_set(bool on);		/* off frees the buffers */
unsigned int module_trace_events(void);	/* recorded since the last start */
int module_trace_start(void);		/* buffers ready, time zero now */
void module_trace_stop(void);
/* cpus: the storm's (its workers ran on CPUs 0 .. cpus-1). */
void module_trace_dump(const char *mode, unsigned int cpus,
		       size_t reserved_size);
void module_trace_free(void);

/* Module symbol tables for backtraces (kernel/module/kallsyms.c). */
int module_add_kallsyms(struct load_state *ls);
void module_free_kallsyms(struct module *mod);
void module_unwind_kallsyms(struct load_state *ls);

/*
 * A load's memory, allocated and counted in one call (kernel/module/
 * stats.c): kmalloc'd tables and copies, module memory, and the per-CPU
 * area's bytes on every CPU; then the load's end, filed by stage.
 */
void *load_kmalloc(struct load_state *ls, size_t bytes, const char *what);
void *load_kzalloc(struct load_state *ls, size_t bytes, const char *what);
void load_kfree(struct load_state *ls, const void *p, size_t bytes);
void *load_module_alloc(struct load_state *ls, size_t bytes,
			const char *what);
void load_module_memfree(struct load_state *ls, void *p, size_t bytes);
void load_account_percpu(struct load_state *ls, size_t size);
void mod_stat_load_end(struct load_state *ls, int err);
void mod_stat_dup_failed(const char *name, enum fail_dup_mod_reason reason);

#endif
