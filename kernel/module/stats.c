/*
 * kernel/module/stats.c - what module loading cost, by the names of
 * Linux's kernel/module/stats.c (6.4, Luis Chamberlain's, written to
 * find the memory that duplicate loads waste on many-CPU machines).
 *
 * Every byte a load allocates goes through the allocate-and-account
 * helpers below (load_kmalloc/load_kzalloc, load_module_alloc, and their
 * frees), so it is counted where it happens and no step pairs an
 * allocation with an accounting call of its own.  When the load ends, mod_stat_load_end()
 * files its bytes under the stage at which it failed, or under the
 * module's size when it loaded:
 *
 *	stage it failed at		count			bytes
 *	the file copy (our kread)	failed_kreads		invalid_kread_bytes
 *	the ELF checks, layout		failed_becoming		invalid_becoming_bytes
 *	  (before module memory)
 *	after module memory: the	failed_load_modules	invalid_mod_bytes
 *	  name taken, relocation,	  (counts every
 *	  init failing ...		  failed load)
 *	loaded				modcount		total_mod_size,
 *								total_text_size
 *
 * The bytes of a failed load are all it allocated: the copy, module
 * memory, the per-CPU template, kallsyms, and its per-CPU area times
 * every possible CPU.  A load that failed because its name was taken,
 * or was found loaded before it read anything (loader=idempotent's
 * early check), is also kept on dup_failed_modules, with the stage:
 * "Becoming" (before any allocation) or "Load" (after).
 *
 * The storm's modmem_peak and dup_bytes come from here too:
 * module_loader_stats_get() gives the bytes loads hold right now, their
 * peak, and the sums above since module_loader_stats_reset().
 */
#include <kernel/cmdline.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include "internal.h"

BOOT_PARAM_FLAG(module_stats, "module_stats", "print the module loader's statistics (Linux's names) at the end");

static DEFINE_SPINLOCK(stats_lock);

/* Linux's counters, since boot: struct mod_stats (module.h) names them. */
static struct mod_stats stats;

/* Ours: bytes held by loads not yet over, and their peak since reset. */
static uint64_t modmem_in_flight, modmem_peak;
/* The sums at the last reset, for the storm's per-round figures. */
static uint64_t wasted_at_reset;
static unsigned int modcount_at_reset, failed_at_reset;

/*
 * Linux's dup_failed_modules is a list of kmalloc'd entries.  Ours is a
 * table: the loader's leak checks count kmalloc objects around a failed
 * load, and the names that fail are few (the storm has four).
 */
#define DUP_FAILED_MAX	64
struct mod_fail_load {
	char name[MODULE_NAME_LEN];
	unsigned long count;
	unsigned int dup_fail_mask;	/* 1 << enum fail_dup_mod_reason */
};
static struct mod_fail_load dup_failed_modules[DUP_FAILED_MAX];
static unsigned int nr_dup_failed, dup_failed_dropped;

/* ---- allocate and account -------------------------------------------- */

static void account(struct load_state *ls, size_t bytes)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);

	ls->bytes_allocated += bytes;
	ls->bytes_held += bytes;
	modmem_in_flight += bytes;
	if (modmem_in_flight > modmem_peak)
		modmem_peak = modmem_in_flight;
	spin_unlock_irqrestore(&stats_lock, flags);
}

static void unaccount(struct load_state *ls, size_t bytes)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);

	ls->bytes_held -= bytes;
	modmem_in_flight -= bytes;
	spin_unlock_irqrestore(&stats_lock, flags);
}

/* For what is filled whole at once (the file copy, kallsyms). */
void *load_kmalloc(struct load_state *ls, size_t bytes, const char *what)
{
	void *p = load_alloc_fails(ls, what) ? NULL : kmalloc(bytes);

	if (p)
		account(ls, bytes);
	return p;
}

void *load_kzalloc(struct load_state *ls, size_t bytes, const char *what)
{
	void *p = load_kmalloc(ls, bytes, what);

	if (p)
		memset(p, 0, bytes);
	return p;
}

void load_kfree(struct load_state *ls, const void *p, size_t bytes)
{
	if (!p)
		return;
	kfree(p);
	unaccount(ls, bytes);
}

void *load_module_alloc(struct load_state *ls, size_t bytes, const char *what)
{
	void *p = load_alloc_fails(ls, what) ? NULL : module_alloc(bytes);

	if (p)
		account(ls, bytes);
	return p;
}

void load_module_memfree(struct load_state *ls, void *p, size_t bytes)
{
	if (!p)
		return;
	module_memfree(p);
	unaccount(ls, bytes);
}

/* The per-CPU area is not module memory (not in modmem_peak), but a
 * failed load wasted it on every CPU.  Only this load's own count: no
 * global figure moves, so no lock. */
void load_account_percpu(struct load_state *ls, size_t size)
{
	ls->bytes_allocated += size * nr_cpu_ids;
}

/* ---- the end of a load -------------------------------------------------- */

void mod_stat_load_end(struct load_state *ls, int err)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);

	/* What it still holds is a LIVE module's now, or freed. */
	modmem_in_flight -= ls->bytes_held;
	ls->bytes_held = 0;
	if (!err) {
		const struct module *mod = ls->mod;

		stats.modcount++;
		stats.total_mod_size += ls->layout.core_size + ls->layout.init_size;
		stats.total_text_size += mod->core_layout.text_size +
				   ls->layout.mem[MOD_INIT_TEXT].size;
	} else {
		stats.failed_load_modules++;
		if (!ls->copy_len) {
			stats.failed_kreads++;
			stats.invalid_kread_bytes += ls->bytes_allocated;
		} else if (!ls->mod) {
			stats.failed_becoming++;
			stats.invalid_becoming_bytes += ls->bytes_allocated;
		} else {
			stats.invalid_mod_bytes += ls->bytes_allocated;
		}
	}
	spin_unlock_irqrestore(&stats_lock, flags);
}

/* Under stats_lock. */
static struct mod_fail_load *dup_failed_find(const char *name)
{
	for (unsigned int i = 0; i < nr_dup_failed; i++)
		if (!strcmp(dup_failed_modules[i].name, name))
			return &dup_failed_modules[i];
	return NULL;
}

void mod_stat_dup_failed(const char *name, enum fail_dup_mod_reason reason)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);
	struct mod_fail_load *f = dup_failed_find(name);

	if (!f && nr_dup_failed < DUP_FAILED_MAX) {
		f = &dup_failed_modules[nr_dup_failed++];
		strlcpy(f->name, name, sizeof(f->name));
	}
	if (f) {
		f->count++;
		f->dup_fail_mask |= 1u << reason;
	} else {
		dup_failed_dropped++;
	}
	spin_unlock_irqrestore(&stats_lock, flags);
}

/* ---- reading them -------------------------------------------------------- */

void mod_stats_get(struct mod_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);

	*st = stats;
	spin_unlock_irqrestore(&stats_lock, flags);
}

unsigned long mod_stat_dup_count(const char *name, unsigned int *mask)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);
	const struct mod_fail_load *f = dup_failed_find(name);
	unsigned long count = f ? f->count : 0;

	*mask = f ? f->dup_fail_mask : 0;
	spin_unlock_irqrestore(&stats_lock, flags);
	return count;
}

static uint64_t wasted(void)
{
	return stats.invalid_kread_bytes + stats.invalid_becoming_bytes +
	       stats.invalid_mod_bytes;
}

void module_loader_stats_get(struct module_loader_stats *st)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);

	st->modmem_in_flight = modmem_in_flight;
	st->modmem_peak = modmem_peak;
	st->dup_bytes = wasted() - wasted_at_reset;
	st->loads_ok = stats.modcount - modcount_at_reset;
	st->loads_failed = stats.failed_load_modules - failed_at_reset;
	spin_unlock_irqrestore(&stats_lock, flags);
}

void module_loader_stats_reset(void)
{
	unsigned long flags = spin_lock_irqsave(&stats_lock);

	modmem_peak = modmem_in_flight;
	wasted_at_reset = wasted();
	modcount_at_reset = stats.modcount;
	failed_at_reset = stats.failed_load_modules;
	spin_unlock_irqrestore(&stats_lock, flags);
}

/*
 * module_stats on the command line: the counters at the end of the run,
 * in the shape of Linux's /sys/kernel/debug/modules/stats (its lines
 * named by the variables), then the duplicates.
 */
void mod_stats_print(void)
{
	static const char *const reason[] = {
		[FAIL_DUP_MOD_BECOMING] = "Becoming",
		[FAIL_DUP_MOD_LOAD] = "Load",
	};
	struct mod_stats st;
	unsigned long flags;

	mod_stats_get(&st);
	pr_info("Module Statistics\n");
	pr_info("  modcount               : %12u\n", st.modcount);
	pr_info("  failed_kreads          : %12u\n", st.failed_kreads);
	pr_info("  failed_becoming        : %12u\n", st.failed_becoming);
	pr_info("  failed_load_modules    : %12u\n", st.failed_load_modules);
	pr_info("  total_mod_size         : %12llu\n", (unsigned long long)st.total_mod_size);
	pr_info("  total_text_size        : %12llu\n", (unsigned long long)st.total_text_size);
	pr_info("  invalid_kread_bytes    : %12llu\n", (unsigned long long)st.invalid_kread_bytes);
	pr_info("  invalid_becoming_bytes : %12llu\n", (unsigned long long)st.invalid_becoming_bytes);
	pr_info("  invalid_mod_bytes      : %12llu\n", (unsigned long long)st.invalid_mod_bytes);
	pr_info("Duplicate failed modules:\n");
	/* At the end of the run: nothing loads, the lock is not contended. */
	flags = spin_lock_irqsave(&stats_lock);
	for (unsigned int i = 0; i < nr_dup_failed; i++) {
		const struct mod_fail_load *f = &dup_failed_modules[i];
		unsigned int m = f->dup_fail_mask;

		pr_info("  %-24s count %-8lu %s%s%s\n", f->name, f->count,
			m & (1u << FAIL_DUP_MOD_BECOMING) ? reason[FAIL_DUP_MOD_BECOMING] : "",
			m == 3 ? "," : "",
			m & (1u << FAIL_DUP_MOD_LOAD) ? reason[FAIL_DUP_MOD_LOAD] : "");
	}
	if (dup_failed_dropped)
		pr_info("  (%u more failures of other names not kept)\n",
			dup_failed_dropped);
	spin_unlock_irqrestore(&stats_lock, flags);
}

int mod_stats_run_requested(void)
{
	if (module_stats)
		mod_stats_print();
	return 0;
}
