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
 *	storm.jitter=<us>	(set by the storm, module_set_jitter()) a
 *				random delay before each step of a load:
 *				fault_inject_delay(), called by the loader
 *				where a step begins
 */
#include <kernel/cmdline.h>
#include <kernel/io.h>
#include <kernel/percpu.h>
#include <kernel/sched.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "internal.h"

/* fail.init=<module>:<n>, parsed once at boot by take_fail_init(). */
static char fail_init_module[MODULE_NAME_LEN];
static unsigned long fail_init_times;

static bool take_fail_init(const char *spec)
{
	const char *colon = strchr(spec, ':');
	size_t len = colon ? (size_t)(colon - spec) : 0;

	if (!len || len >= sizeof(fail_init_module) ||
	    cmdline_parse_ulong(colon + 1, &fail_init_times))
		return false;
	memcpy(fail_init_module, spec, len);
	fail_init_module[len] = '\0';
	return true;
}

BOOT_PARAM_STRING(fail_init, "fail.init", NULL, take_fail_init, "<module>:<n>",
		  "that module's init fails its first n times");
BOOT_PARAM_UINT(fail_percpu, "fail.percpu", 0, 0, 1000000,
		"the nth reserved per-CPU allocation of a load fails (0 = none)");

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
