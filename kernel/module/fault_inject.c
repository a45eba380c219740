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
 */
#include <kernel/cmdline.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include "internal.h"

KERNEL_PARAM_NAMED(fail_init, "fail.init", "<module>:<n>: that module's init fails its first n times");
KERNEL_PARAM_NAMED(fail_percpu, "fail.percpu", "<n>: the nth reserved per-CPU allocation of a load fails");

static DEFINE_SPINLOCK(inject_lock);
static unsigned long init_failures_done, percpu_allocs_seen;

bool should_fail_init(const char *name)
{
	const char *spec = kernel_param("fail.init"), *colon;
	unsigned long n;
	bool fail = false;

	if (!spec || !(colon = strchr(spec, ':')))
		return false;
	if ((size_t)(colon - spec) != strlen(name) ||
	    strncmp(spec, name, (size_t)(colon - spec)) ||
	    cmdline_parse_ulong(colon + 1, &n))
		return false;
	spin_lock(&inject_lock);
	if (init_failures_done < n) {
		init_failures_done++;
		fail = true;
	}
	spin_unlock(&inject_lock);
	return fail;
}

bool should_fail_percpu(void)
{
	unsigned long n = kernel_param_ulong("fail.percpu", 0);
	bool fail;

	if (!n)
		return false;
	spin_lock(&inject_lock);
	fail = ++percpu_allocs_seen == n;
	spin_unlock(&inject_lock);
	return fail;
}
