/*
 * kernel/module/fault_inject.c - make the loader fail on purpose, to
 * prove that every failure unwinds and that waiters wake (Linux has a
 * general framework for this, lib/fault-inject.c; two counters do here).
 *
 *	fail.init=<module>:<n>	that module's init fails (-EIO) its first n
 *				times; a namesake waiting for it must wake,
 *				retry, and one of them load it
 *	fail.percpu=<n>		the nth reserved per-CPU allocation made by
 *				a load fails, as if the chunk were full
 *	fail.alloc=<module>:<k>	the next load of that module fails its kth
 *				allocation (Linux's failslab and
 *				fail_page_alloc, aimed): every allocation a
 *				load makes asks load_alloc_fails() first,
 *				so k = 1, 2, ... tries each failure point
 *				(kernel/module/fail_alloc_test.c does)
 *	storm.jitter=<us>	(set by the storm, module_set_jitter()) a
 *				random delay before each step of a load:
 *				fault_inject_delay(), called by the loader
 *				where a step begins
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "internal.h"

/* "<module>:<n>" into name[MODULE_NAME_LEN] and *n. */
static bool take_module_count(const char *spec, char *name, unsigned long *n)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : 0;

	if (!len || len >= MODULE_NAME_LEN || cmdline_parse_ulong(colon + 1, n))
		return false;
	memcpy(name, spec, len);
	name[len] = '\0';
	return true;
}

/* fail.init=<module>:<n>, parsed once at boot by take_fail_init(). */
static char fail_init_module[MODULE_NAME_LEN];
static unsigned long fail_init_times;

static bool take_fail_init(const char *spec)
{
	return take_module_count(spec, fail_init_module, &fail_init_times);
}

static bool take_fail_alloc(const char *spec);

BOOT_PARAM_STRING(fail_init, "fail.init", NULL, take_fail_init, "<module>:<n>",
		  "that module's init fails its first n times");
BOOT_PARAM_UINT(fail_percpu, "fail.percpu", 0, 0, 1000000,
		"the nth reserved per-CPU allocation of a load fails (0 = none)");
BOOT_PARAM_STRING(fail_alloc, "fail.alloc", NULL, take_fail_alloc, "<module>:<k>",
		  "the next load of that module fails its kth allocation");

static DEFINE_SPINLOCK(inject_lock);
static unsigned long init_failures_done, percpu_allocs_seen;

bool should_fail_init(const char *name)
{
	bool fail = false;

	if (!fail_init_times || strcmp(name, fail_init_module))
		return false;
	spin_lock(&inject_lock);
	if (init_failures_done < fail_init_times) {
		init_failures_done++;
		fail = true;
	}
	spin_unlock(&inject_lock);
	return fail;
}

/* The storm's soak arms these at run time, a round at a time. */
void fail_init_arm(const char *name, unsigned int times)
{
	spin_lock(&inject_lock);
	strlcpy(fail_init_module, name, sizeof(fail_init_module));
	fail_init_times = times;
	init_failures_done = 0;
	spin_unlock(&inject_lock);
}

void fail_percpu_arm(unsigned int nth)
{
	spin_lock(&inject_lock);
	fail_percpu = nth;
	percpu_allocs_seen = 0;
	spin_unlock(&inject_lock);
}

bool should_fail_percpu(void)
{
	bool fail;

	if (!fail_percpu)
		return false;
	spin_lock(&inject_lock);
	fail = ++percpu_allocs_seen == fail_percpu;
	spin_unlock(&inject_lock);
	return fail;
}

/*
 * fail.alloc.  One load at a time is the target: the first load_module()
 * of the armed name after fail_alloc_arm() (or the boot parameter) claims
 * it, in load_state_new(), so loads of the same module on other CPUs at
 * the same moment go on unharmed.  The target's struct load_state counts
 * its own allocations (allocs) and fails the one numbered fail_at; while
 * it runs only it writes the result below, and fail_alloc_end() closes
 * it for fail_alloc_result().  k = 0 arms a load that only counts.
 */
static char fail_alloc_module[MODULE_NAME_LEN];
static unsigned long fail_alloc_k;
static bool fail_alloc_armed, fail_alloc_ended;
static struct fail_alloc_result fail_alloc_last;

static bool take_fail_alloc(const char *spec)
{
	fail_alloc_armed = take_module_count(spec, fail_alloc_module,
					     &fail_alloc_k) &&
			   fail_alloc_k <= ~0u;
	return fail_alloc_armed;
}

void fail_alloc_disarm(void)
{
	spin_lock(&inject_lock);
	fail_alloc_armed = false;
	spin_unlock(&inject_lock);
}

void fail_alloc_arm(const char *name, unsigned int k)
{
	spin_lock(&inject_lock);
	strlcpy(fail_alloc_module, name, sizeof(fail_alloc_module));
	fail_alloc_k = k;
	fail_alloc_armed = true;
	fail_alloc_ended = false;
	spin_unlock(&inject_lock);
}

bool fail_alloc_result(struct fail_alloc_result *r)
{
	bool ended;

	spin_lock(&inject_lock);
	ended = fail_alloc_ended;
	*r = fail_alloc_last;
	spin_unlock(&inject_lock);
	return ended;
}

/* The target's failure point, or 0 for any other load. */
static unsigned int fail_alloc_claim(const char *path)
{
	char name[MODULE_NAME_LEN];
	unsigned int fail_at = 0;

	if (!READ_ONCE(fail_alloc_armed))
		return 0;
	module_name_from_path(name, sizeof(name), path);
	spin_lock(&inject_lock);
	if (fail_alloc_armed && !strcmp(name, fail_alloc_module)) {
		fail_alloc_armed = false;
		fail_at = fail_alloc_k ? (unsigned int)fail_alloc_k : ~0u;
		memset(&fail_alloc_last, 0, sizeof(fail_alloc_last));
	}
	spin_unlock(&inject_lock);
	return fail_at;
}

static void fail_alloc_record(unsigned int allocs, int err)
{
	spin_lock(&inject_lock);
	fail_alloc_last.allocs = allocs;
	fail_alloc_last.err = err;
	fail_alloc_ended = true;
	spin_unlock(&inject_lock);
}

/* The load's first allocation is its own state: counted here. */
struct load_state *load_state_new(const char *path)
{
	unsigned int fail_at = fail_alloc_claim(path);
	struct load_state *ls = fail_at == 1 ? NULL : kzalloc(sizeof(*ls));

	if (fail_at)
		fail_alloc_last.what[0] = "load state";
	if (!ls) {
		if (fail_at)
			fail_alloc_record(1, -ENOMEM);
		pr_err("%s: no memory to begin a load\n", path);
		return NULL;
	}
	ls->path = path;
	ls->fail_at = fail_at;
	ls->allocs = 1;
	return ls;
}

bool load_alloc_fails(struct load_state *ls, const char *what)
{
	if (!ls->fail_at)
		return false;
	if (ls->allocs < FAIL_ALLOC_MAX_POINTS)
		fail_alloc_last.what[ls->allocs] = what;
	return ++ls->allocs == ls->fail_at;
}

void fail_alloc_end(const struct load_state *ls, int err)
{
	if (ls->fail_at)
		fail_alloc_record(ls->allocs, err);
}

/*
 * storm.jitter: a random busy delay of up to jitter_us where a step of a
 * load begins, from a per-CPU xorshift generator seeded by the TSC, to
 * shake the interleavings of concurrent loads.
 */
static unsigned long jitter_us;
static DEFINE_PER_CPU(uint64_t, jitter_state);

void module_set_jitter(unsigned long us)
{
	jitter_us = us;
}

void fault_inject_delay(void)
{
	uint64_t x;

	if (!jitter_us)
		return;
	preempt_disable();
	x = this_cpu_read(jitter_state);
	if (!x)
		x = rdtsc() | 1;
	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	this_cpu_write(jitter_state, x);
	preempt_enable();
	udelay(x % (jitter_us + 1));
}
