/*
 * kernel/module/storm.c - every CPU loads the same modules at the same
 * moment, as systemd-udevd did at boot in 2013 (one `modprobe kvm` per
 * CPU device), and the kernel reports what that cost (docs/story.md).
 *
 *	storm_run_requested()
 *	  one worker thread per online CPU, pinned; all wait at a barrier
 *	  release: each worker, for each name in the list, modprobe_request()
 *	  and counts the outcome: loaded, -EEXIST, -EBUSY or failed
 *	  the boot CPU watches: a storm that stops making progress is
 *	  reported (which CPU, which step), never silently hung
 *	  then one line, the storm line tools/stormlog.py parses:
 *
 *	storm: loader=MODE cpus=N requests=R loaded=L eexist=E ebusy=B
 *	       failed=F reserved_peak=B reserved_size=B modmem_peak=B
 *	       dup_bytes=B elapsed_us=US merged=M reserved_demand=B
 *
 * (on one line).  Every figure is counted where it happens: outcomes by
 * the workers, reserved_peak and reserved_demand (the most bytes held
 * plus asked for at once, refused requests included: what the loads
 * wanted, which reserved_peak, capped by the chunk, cannot show) by the
 * per-CPU allocator (mm/percpu.c),
 * modmem_peak and dup_bytes by load_module()'s accounting, elapsed_us
 * from the barrier's release to the last outcome.  merged counts the
 * requests loader=idempotent answered with another request's result; one
 * whose result was success is counted under eexist (the module was there
 * when it returned: it loaded nothing).
 *
 * The list is etc/storm.conf from the initrd (names separated by spaces
 * or lines, '#' comments; a name may appear twice: udev asked for some
 * modules twice per CPU), or storm=a,b,c; storm=off skips the storm.
 * storm.rounds=K loads and unloads everything K times and checks after
 * each round that the reserved chunk and module memory are back to their
 * baseline; storm.jitter=US puts random delays of up to US microseconds
 * between the loader's steps (kernel/module/trace.c applies them).
 * storm.soak makes the rounds a soak: each under the next generation in
 * turn, with a fault armed at random (storm.seed) - fail.init, fail.percpu
 * or fail.alloc on a module of the list, or none - every counter of the
 * leak baseline checked after each, the outcomes checked to add up, and
 * one line at the end (storm_soak_report()).
 *
 * While it runs, a framebuffer console (a UEFI boot, a real PC from USB)
 * shows it live: a row per CPU with its current step, coloured, and a
 * bar for the reserved chunk's fill (view_draw(), ten times a second).
 */
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/err.h>
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/io.h>
#include <kernel/ktest/baseline.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/rcupdate.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/wait.h>
#include "internal.h"
#include "storm_list.h"

#define STORM_STALL_SECONDS	30	/* no outcome for this long: report */

BOOT_PARAM_STRING(storm_names, "storm", NULL, NULL, NULL,
		  "modules every CPU loads at once (a,b,c), or off; default etc/storm.conf");
BOOT_PARAM_UINT(storm_rounds, "storm.rounds", 1, 1, 10000,
		"load and unload everything this many times");
BOOT_PARAM_UINT(storm_jitter, "storm.jitter", 0, 0, 1000000,
		"random delays of up to this many us between loader steps");
BOOT_PARAM_UINT(storm_stall, "storm.stall", STORM_STALL_SECONDS, 1, 3600,
		"seconds without an outcome before the storm reports who is stuck");
BOOT_PARAM_FLAG(storm_soak, "storm.soak",
		"rounds under each generation in turn, a random fault armed in each, every counter checked");
BOOT_PARAM_UINT(storm_seed, "storm.seed", 1, 1, 1000000000,
		"the soak's random faults come from this seed");
						/* (storm.stall= overrides) */
#define STORM_GIVE_UP_SECONDS	600	/* and stop waiting after this */

struct storm_counts {
	unsigned long requests, loaded, eexist, ebusy, failed, merged;
};

static struct storm_list storm_list;
static struct storm_counts counts;
static DEFINE_SPINLOCK(counts_lock);
static volatile int storm_ready, storm_go;
/* The barrier's waiters sleep here: a spinning one would take the host's
 * time from the workers still starting, under an emulator with more
 * CPUs than host cores. */
static DECLARE_WAIT_QUEUE_HEAD(storm_go_wq);
static uint64_t storm_t0, storm_t_last;
static unsigned long storm_progress;

/* The list, or one line saying why not (storm_list.c). */
static int parse_list(struct storm_list *l, const char *text, size_t len)
{
	const char *why;
	int err = storm_list_parse(l, text, len, &why);

	if (err)
		pr_err("storm: list refused: %s\n", why);
	return err;
}

/* names: "a,b,c", else storm= from the command line, else the initrd's
 * etc/storm.conf.  -ENOENT: no list (storm=off, or nothing to read). */
static int storm_get_list(struct storm_list *l, const char *names)
{
	const char *s = names ? names : storm_names;
	const void *conf;
	size_t len;

	if (s && !strcmp(s, "off"))
		return -ENOENT;
	if (s && *s)
		return parse_list(l, s, strlen(s));
	conf = initrd_find("etc/storm.conf", &len);
	if (!conf) {
		pr_info("storm: no etc/storm.conf in the initrd and no storm=; skipped\n");
		return -ENOENT;
	}
	return parse_list(l, conf, len);
}

static void count_outcome(const char *name, int err, bool merged)
{
	enum module_step step;
	unsigned long flags;

	flags = spin_lock_irqsave(&counts_lock);
	counts.requests++;
	if (merged)
		counts.merged++;
	if (err == 0 && !merged) {
		counts.loaded++;
		step = MODULE_STEP_DONE;
	} else if (err == 0 || err == -EEXIST) {
		counts.eexist++;
		step = MODULE_STEP_EEXIST;
	} else if (err == -EBUSY) {
		counts.ebusy++;
		step = MODULE_STEP_EBUSY;
	} else {
		counts.failed++;
		step = MODULE_STEP_FAILED;
	}
	storm_t_last = ktime_get_ns();
	storm_progress++;
	spin_unlock_irqrestore(&counts_lock, flags);
	module_note_event(MODULE_EV_OUTCOME, name, err);
	module_note_step(name, step);
}

static int storm_worker(void *data)
{
	(void)data;
	__atomic_fetch_add(&storm_ready, 1, __ATOMIC_RELAXED);
	wait_event(storm_go_wq, READ_ONCE(storm_go));
	for (unsigned int i = 0; i < storm_list.count; i++) {
		const char *name = storm_list.names[i];
		struct modprobe_outcome out;
		int err;

		module_note_event(MODULE_EV_REQUEST, name, 0);
		err = modprobe_request(name, &out);
		if (err && err != -EEXIST && err != -EBUSY)
			pr_err("storm: CPU %u: modprobe %s failed (error %d)\n",
			       smp_processor_id(), name, err);
		count_outcome(name, err, out.merged);
	}
	return 0;
}

/* Which CPU is at which step, when the storm stops moving. */
static void report_stall(struct task_struct **workers, unsigned int seconds)
{
	unsigned int cpu;

	pr_err("storm: no progress for %u s; CPUs still loading:\n", seconds);
	for_each_online_cpu(cpu) {
		char name[32];
		enum module_step step;

		if (!workers[cpu] || completion_done(&workers[cpu]->exited))
			continue;
		step = module_cpu_step(cpu, name, sizeof(name));
		pr_err("storm:   CPU %u at %s (%s)\n", cpu,
		       module_step_name(step), name);
	}
}

/* ---- the live view: a row per CPU on the framebuffer ---- */

#define VIEW_CELL	28		/* "CPU12  relocating kvm_intel " */
#define VIEW_BAR	40

static const enum panel_colour step_colour[MODULE_NR_STEPS] = {
	[MODULE_STEP_IDLE] = PANEL_GREY,
	[MODULE_STEP_READING] = PANEL_CYAN,
	[MODULE_STEP_ALLOCATING] = PANEL_YELLOW,
	[MODULE_STEP_WAITING] = PANEL_MAGENTA,
	[MODULE_STEP_RELOCATING] = PANEL_BLUE,
	[MODULE_STEP_INIT] = PANEL_WHITE,
	[MODULE_STEP_DONE] = PANEL_GREEN,
	[MODULE_STEP_EEXIST] = PANEL_GREY,
	[MODULE_STEP_EBUSY] = PANEL_BROWN,
	[MODULE_STEP_FAILED] = PANEL_RED,
};

static bool view_on;
static unsigned int view_cols, view_rows;

/*
 * Redraw: a title, the reserved chunk's fill as a bar, then each online
 * CPU's step and module in columns (kernel/module/trace.c keeps them).
 */
static void view_draw(void)
{
	size_t used = pcpu_reserved_used(), size = pcpu_reserved_total();
	unsigned int per_row = view_cols / VIEW_CELL, i = 0, cpu, fill;
	char line[160], bar[VIEW_BAR + 1];

	if (!view_on || !per_row)
		return;
	snprintf(line, sizeof(line),
		 "storm: loader=%s  requests %lu  loaded %lu  eexist %lu  failed %lu   ",
		 loader_generation()->name, READ_ONCE(counts.requests),
		 READ_ONCE(counts.loaded), READ_ONCE(counts.eexist),
		 READ_ONCE(counts.failed));
	console_panel_text(0, 0, line, PANEL_WHITE, false);
	fill = size ? (unsigned int)(used * VIEW_BAR / size) : 0;
	for (unsigned int b = 0; b < VIEW_BAR; b++)
		bar[b] = b < fill ? '#' : '.';
	bar[VIEW_BAR] = '\0';
	snprintf(line, sizeof(line),
		 "reserved chunk [%s] %5zu of %zu bytes, peak %zu ", bar, used,
		 size, pcpu_reserved_peak());
	console_panel_text(1, 0, line, fill >= VIEW_BAR ? PANEL_RED :
			   PANEL_YELLOW, false);
	for_each_online_cpu(cpu) {
		unsigned int row = 3 + i / per_row, col = (i % per_row) * VIEW_CELL;
		enum module_step step;
		char name[16];

		i++;
		if (row >= view_rows)
			break;
		step = module_cpu_step(cpu, name, sizeof(name));
		snprintf(line, sizeof(line), "CPU%-3u %-10s %-9.9s", cpu,
			 module_step_name(step), name);
		console_panel_text(row, col, line, step_colour[step], false);
	}
}

static void view_open(void)
{
	view_on = console_panel_open(&view_cols, &view_rows);
	if (view_on)
		pr_info("storm: live view on the framebuffer (%ux%u)\n",
			view_cols, view_rows);
	view_draw();
}

static void view_close(void)
{
	if (view_on)
		console_panel_close();
	view_on = false;
}

/* Wait for every worker, watching for progress.  false: gave up. */
static bool storm_wait(struct task_struct **workers)
{
	unsigned long last_progress = ~0UL, stalled = 0, waited = 0;
	unsigned long stall_s = storm_stall;
	unsigned int cpu;

	/* Ticks of a tenth of a second: the view redraws at each. */
	for_each_online_cpu(cpu) {
		while (workers[cpu] &&
		       !wait_for_completion_timeout(&workers[cpu]->exited,
						    HZ / 10)) {
			unsigned long p = READ_ONCE(storm_progress);

			view_draw();
			waited++;
			stalled = p == last_progress ? stalled + 1 : 0;
			last_progress = p;
			if (stalled == stall_s * 10)
				report_stall(workers, (unsigned int)stall_s);
			if (waited >= STORM_GIVE_UP_SECONDS * 10) {
				report_stall(workers,
					     (unsigned int)(stalled / 10));
				pr_err("storm: giving up after %d s\n",
				       STORM_GIVE_UP_SECONDS);
				return false;
			}
		}
	}
	view_draw();
	for_each_online_cpu(cpu)
		if (workers[cpu])
			kthread_stop(workers[cpu]);
	return true;
}

/*
 * The storm line: the one place it is printed.  Its keys are a contract
 * (tools/stormlog.py's STORM_KEYS reads them, in this order; keys may be
 * added at the end, never renamed):
 *   loader cpus requests loaded eexist ebusy failed reserved_peak
 *   reserved_size modmem_peak dup_bytes elapsed_us, then merged,
 *   reserved_demand.
 */
static void storm_print_line(const struct storm_result *r)
{
	pr_info("storm: loader=%s cpus=%u requests=%lu loaded=%lu eexist=%lu ebusy=%lu failed=%lu reserved_peak=%zu reserved_size=%zu modmem_peak=%llu dup_bytes=%llu elapsed_us=%llu merged=%lu reserved_demand=%zu\n",
		r->loader, r->cpus, r->requests, r->loaded, r->eexist,
		r->ebusy, r->failed, r->reserved_peak, r->reserved_size,
		(unsigned long long)r->modmem_peak,
		(unsigned long long)r->dup_bytes,
		(unsigned long long)r->elapsed_us, r->merged,
		r->reserved_demand);
}

/*
 * The same in words, for a person at the screen: under legacy at 8 CPUs
 * the failure lines scroll the storm line off a 25-line screen, so these
 * three come last, as notices (shown at loglevel=5 too).
 */
static void storm_print_summary(const struct storm_result *r)
{
	const struct loader_generation *gen = loader_generation();

	pr_notice("storm: in words: the %s loader (Linux %s): %s\n",
		  gen->name, gen->linux_versions, gen->summary);
	pr_notice("storm: in words: %lu requests from %u CPUs: %lu loaded, %lu found it loaded, %lu found it going, %lu failed\n",
		  r->requests, r->cpus, r->loaded, r->eexist, r->ebusy,
		  r->failed);
	pr_notice("storm: in words: the reserved per-CPU chunk peaked at %zu of %zu bytes%s\n",
		  r->reserved_peak, r->reserved_size,
		  r->reserved_peak >= r->reserved_size ? " (full)" : "");
}

/* One round: a worker on each of the first o->cpus online CPUs (0:
 * all), the barrier, the wait, then the figures into *res. */
static int storm_round(unsigned int round, const struct storm_opts *o,
		       struct storm_result *res)
{
	static struct task_struct *workers[NR_CPUS];
	struct module_loader_stats st;
	unsigned int cpu, cpus = 0;

	memset(&counts, 0, sizeof(counts));
	memset(workers, 0, sizeof(workers));
	storm_ready = 0;
	storm_go = 0;
	storm_progress = 0;
	module_loader_stats_reset();
	pcpu_reserved_peak_reset();

	for_each_online_cpu(cpu) {
		if (o->cpus && cpus == o->cpus)
			break;
		workers[cpu] = kthread_create_on_cpu(storm_worker, NULL, cpu,
						     "storm");
		if (IS_ERR(workers[cpu])) {
			pr_err("storm: no worker for CPU %u (%ld)\n", cpu,
			       PTR_ERR(workers[cpu]));
			workers[cpu] = NULL;
			continue;
		}
		cpus++;
		wake_up_process(workers[cpu]);
	}
	/* The barrier: everybody at the line, then go. */
	for (unsigned int i = 0; READ_ONCE(storm_ready) < (int)cpus; i++) {
		if (i == 10 * HZ) {
			pr_err("storm: only %d of %u workers started in 10 s\n",
			       storm_ready, cpus);
			break;
		}
		schedule_timeout_uninterruptible(1);
	}
	storm_t0 = ktime_get_ns();
	storm_t_last = storm_t0;
	module_trace_start();
	view_open();
	WRITE_ONCE(storm_go, 1);
	wake_up_all(&storm_go_wq);

	if (!storm_wait(workers)) {
		view_close();
		return -ETIMEDOUT;
	}
	/* A moment to read the final state before the log comes back. */
	if (view_on)
		schedule_timeout_uninterruptible(2 * HZ);
	view_close();
	module_trace_stop();
	module_loader_stats_get(&st);

	*res = (struct storm_result){
		.loader = loader_generation()->name,
		.cpus = cpus,
		.rounds_run = round + 1,
		.requests = counts.requests, .loaded = counts.loaded,
		.eexist = counts.eexist, .ebusy = counts.ebusy,
		.failed = counts.failed, .merged = counts.merged,
		.reserved_peak = pcpu_reserved_peak(),
		.reserved_size = pcpu_reserved_total(),
		.reserved_demand = pcpu_reserved_demand_peak(),
		.modmem_peak = st.modmem_peak, .dup_bytes = st.dup_bytes,
		.elapsed_us = (storm_t_last - storm_t0) / 1000,
	};
	if (o->rounds > 1)
		pr_info("storm: round %u of %u\n", round + 1, o->rounds);
	storm_print_line(res);
	if (!o->soak)
		storm_print_summary(res);
	if (module_trace_enabled() && !o->quiet_trace)
		module_trace_dump(res->loader, res->cpus, res->reserved_size);
	return 0;
}

/* What each round must give back once every module is unloaded:
 * everything a load could keep (the leak baseline's module counters). */
#define STORM_ROUND_LEAKS	LEAK_MODULE_LOAD

/* One line naming each counter a round did not give back. */
static void storm_report_leak(unsigned int round, const struct ktest_baseline *b,
			      const struct ktest_baseline *now, unsigned int changed)
{
	char text[256];
	size_t len = 0;
	uint64_t was, is;
	unsigned int bit;
	const char *name;

	for (unsigned int i = 0; (name = ktest_baseline_counter(b, i, &bit, &was)); i++) {
		if (!(changed & bit))
			continue;
		ktest_baseline_counter(now, i, &bit, &is);
		len += snprintf(text + len, len < sizeof(text) ? sizeof(text) - len : 0,
				"%s%s %llu -> %llu", len ? ", " : "", name,
				(unsigned long long)was, (unsigned long long)is);
	}
	pr_err("storm: round %u left %s\n", round, text);
}

/* ---- the soak ----------------------------------------------------------- */

enum soak_fault { SOAK_NONE, SOAK_INIT, SOAK_PERCPU, SOAK_ALLOC, SOAK_NR_FAULTS };

static const char *const soak_fault_name[SOAK_NR_FAULTS] = {
	"none", "fail.init", "fail.percpu", "fail.alloc",
};

struct soak {
	uint64_t rng;			/* xorshift64, from storm.seed */
	unsigned int faults[SOAK_NR_FAULTS];
	unsigned int bad_rounds;	/* outcomes that did not add up */
	unsigned long requests, failed;
	size_t reserved_peak, reserved_demand;
	uint64_t modmem_peak, t0;
};

static uint64_t soak_next(struct soak *s)
{
	s->rng ^= s->rng << 13;
	s->rng ^= s->rng >> 7;
	s->rng ^= s->rng << 17;
	return s->rng;
}

/* Round r's generation, and a fault at random on a module of the list:
 * fail.init once or twice, the nth reserved per-CPU allocation of the
 * round, or the kth allocation of one load (past its last: none). */
static enum soak_fault soak_arm(struct soak *s, unsigned int round,
				const struct storm_list *l, unsigned int cpus)
{
	uint64_t x = soak_next(s);
	enum soak_fault f = (enum soak_fault)(x % SOAK_NR_FAULTS);
	const char *name = l->names[(x >> 8) % l->count];
	unsigned int n = (unsigned int)(x >> 16);

	loader_generation_switch(loader_generations[round % loader_nr_generations].name);
	if (f == SOAK_INIT)
		fail_init_arm(name, 1 + n % 2);
	else if (f == SOAK_PERCPU)
		fail_percpu_arm(1 + n % (cpus * l->count));
	else if (f == SOAK_ALLOC)
		fail_alloc_arm(name, 1 + n % 12);
	s->faults[f]++;
	return f;
}

static void soak_disarm(void)
{
	fail_init_arm("", 0);
	fail_percpu_arm(0);
	fail_alloc_disarm();
}

/* A round's outcomes add up, and one without a fault under a generation
 * that takes the per-CPU area only for a unique module fails nothing. */
static void soak_check(struct soak *s, unsigned int round, enum soak_fault f,
		       const struct storm_result *r)
{
	bool fair = !loader_generation()->percpu_before_unique;

	s->requests += r->requests;
	s->failed += r->failed;
	if (r->reserved_peak > s->reserved_peak)
		s->reserved_peak = r->reserved_peak;
	if (r->reserved_demand > s->reserved_demand)
		s->reserved_demand = r->reserved_demand;
	if (r->modmem_peak > s->modmem_peak)
		s->modmem_peak = r->modmem_peak;
	if (r->loaded + r->eexist + r->ebusy + r->failed != r->requests ||
	    (f == SOAK_NONE && fair && r->failed)) {
		s->bad_rounds++;
		pr_err("storm: soak round %u (loader=%s, %s): %lu requests, %lu loaded, %lu eexist, %lu ebusy, %lu failed\n",
		       round, r->loader, soak_fault_name[f], r->requests,
		       r->loaded, r->eexist, r->ebusy, r->failed);
	}
}

static void storm_soak_report(const struct soak *s, unsigned int rounds,
			      unsigned int cpus, unsigned int leaks)
{
	uint64_t us = (ktime_get_ns() - s->t0) / 1000;

	pr_info("storm: soak: %u rounds at %u CPUs, the %u generations in turn, seed %lu: %u fail.init, %u fail.percpu, %u fail.alloc, %u none; %lu requests, %lu failed; peaks: reserved %zu of %zu bytes, demand %zu, modmem %llu bytes; %llu.%01llu s, %llu.%02llu rounds/s; bad_rounds=%u leaked_rounds=%u\n",
		rounds, cpus, loader_nr_generations, storm_seed,
		s->faults[SOAK_INIT], s->faults[SOAK_PERCPU],
		s->faults[SOAK_ALLOC], s->faults[SOAK_NONE], s->requests,
		s->failed, s->reserved_peak, pcpu_reserved_total(),
		s->reserved_demand, (unsigned long long)s->modmem_peak,
		(unsigned long long)(us / 1000000),
		(unsigned long long)(us / 100000 % 10),
		(unsigned long long)(us ? rounds * 1000000ULL / us : 0),
		(unsigned long long)(us ? rounds * 100000000ULL / us % 100 : 0),
		s->bad_rounds, leaks);
}

/*
 * Unload what the storm loads (modprobe -r of each name, last first, so
 * that users go before what they use), so that it starts from the same
 * state as at boot.  A module that cannot go (another, outside the list,
 * uses it) stops the storm before it starts.
 */
static int storm_unload(const struct storm_list *l)
{
	for (unsigned int i = l->count; i-- > 0;)
		if (module_is_inkernel(l->names[i]))
			modprobe_remove(l->names[i]);
	for (unsigned int i = 0; i < l->count; i++) {
		bool there;

		rcu_read_lock();
		there = find_module(l->names[i]) != NULL;
		rcu_read_unlock();
		if (there) {
			pr_err("storm: %s cannot be unloaded first; not storming\n",
			       l->names[i]);
			return -EBUSY;
		}
	}
	return 0;
}

static struct storm_result storm_last;	/* what `trace show` names */

int storm_run(const struct storm_opts *o, struct storm_result *res)
{
	const struct loader_generation *was = loader_generation();
	struct soak soak = { .rng = storm_seed * 0x9e3779b97f4a7c15ULL };
	struct ktest_baseline before, after;
	unsigned int leaks = 0, changed;
	int err;

	memset(res, 0, sizeof(*res));
	err = storm_get_list(&storm_list, o->names);
	if (err || !storm_list.count)
		return err ? err : -ENOENT;
	err = storm_unload(&storm_list);
	if (err)
		return err;
	if (o->loader) {
		err = loader_generation_switch(o->loader);
		if (err)
			return err;
	}
	module_set_jitter(o->jitter_us);
	/* The trace buffers first, so that the baseline includes them. */
	module_trace_start();
	ktest_baseline_take(&before, STORM_ROUND_LEAKS);
	soak.t0 = ktime_get_ns();
	for (unsigned int r = 0; r < o->rounds; r++) {
		enum soak_fault f = SOAK_NONE;

		if (o->soak)
			f = soak_arm(&soak, r, &storm_list,
				     o->cpus ? o->cpus : num_online_cpus());
		err = storm_round(r, o, res);
		if (o->soak) {
			soak_disarm();
			if (!err)
				soak_check(&soak, r + 1, f, res);
		}
		/* The soak checks after its last round too; a storm leaves
		 * the modules of its last round loaded. */
		if (err || (r + 1 == o->rounds && !o->soak))
			break;
		/* Stopped here, the modules stay, as after the last round. */
		if (o->interrupted && o->interrupted()) {
			res->interrupted = true;
			pr_notice("storm: interrupted after round %u of %u (Ctrl-C)\n",
				  r + 1, o->rounds);
			break;
		}
		delete_all_modules();
		changed = ktest_baseline_changed(&before, &after);
		if (changed) {
			leaks++;
			storm_report_leak(r + 1, &before, &after, changed);
		}
	}
	if (o->rounds > 1)
		pr_info("storm: rounds=%u leaked_rounds=%u\n", res->rounds_run,
			leaks);
	if (o->soak)
		storm_soak_report(&soak, res->rounds_run, res->cpus, leaks);
	storm_last = *res;
	/* A quiet trace is kept for `trace show`; the next storm reuses it. */
	if (!o->quiet_trace)
		module_trace_free();
	module_set_jitter(0);
	if (o->loader || o->soak)
		loader_generation_switch(was->name);
	return err;
}

int storm_trace_show(void)
{
	if (!storm_last.loader || !module_trace_events())
		return -ENOENT;
	module_trace_dump(storm_last.loader, storm_last.cpus,
			  storm_last.reserved_size);
	return 0;
}

int storm_run_requested(void)
{
	const struct storm_opts o = {
		.rounds = (unsigned int)storm_rounds,
		.jitter_us = (unsigned int)storm_jitter,
		.soak = storm_soak,
	};
	struct storm_result res;

	/* No list is not a failure, and a storm that hung has said so. */
	storm_run(&o, &res);
	return 0;
}

void storm_trace_set(bool on)
{
	module_trace_set(on);
}

bool storm_trace_on(void)
{
	return module_trace_enabled();
}
