/*
 * kernel/monitor/cmd-storm.c - the monitor's experiments: the storm again
 * under any generation (storm, storm compare), its trace (trace), and the
 * in-kernel test suites (ktest).
 *
 * `storm` unloads what the storm loads and runs it again, as at boot
 * (kernel/module/storm.c, storm_run()), printing the storm line and its
 * summary in words; its options are the boot parameters' (storm=,
 * storm.rounds=, storm.jitter=, loader=) for this one run, plus cpus=N.
 * A Ctrl-C stops it between rounds.  `storm compare` runs it once per
 * generation and prints one row each.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ktest.h>
#include <kernel/ktest/baseline.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include "monitor.h"

#define STORM_MAX_ROUNDS	10000
#define STORM_MAX_JITTER_US	1000000

static const char storm_usage_cmd[] = "storm";

static bool is_generation(const char *name)
{
	for (unsigned int i = 0; i < loader_nr_generations; i++)
		if (!strcmp(loader_generations[i].name, name))
			return true;
	return false;
}

/* key=N within lo..hi, else one line naming it. */
static int uint_option(const char *word, const char *val, unsigned long lo,
		       unsigned long hi, unsigned int *out)
{
	unsigned long v;

	if (cmdline_parse_ulong(val, &v) || v < lo || v > hi) {
		mon_printf("storm: %s: want a number in %lu-%lu\n", word, lo, hi);
		return -EINVAL;
	}
	*out = (unsigned int)v;
	return 0;
}

/* The words after "storm" (or "storm compare"), into o. */
static int parse_storm_options(int argc, char **argv, int first,
			       struct storm_opts *o, bool allow_loader)
{
	*o = (struct storm_opts){ .rounds = 1, .interrupted = mon_interrupted,
				  .quiet_trace = true };
	for (int i = first; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *val;
		int err = 0;

		if (!eq || eq == argv[i])
			return mon_bad_arg(storm_usage_cmd, argv[i],
					   "not key=value");
		*eq = '\0';
		val = eq + 1;
		if (!strcmp(argv[i], "loader") && allow_loader) {
			if (!is_generation(val)) {
				mon_printf("storm: loader=%s: not a generation (loader lists them)\n",
					   val);
				return -EINVAL;
			}
			o->loader = val;
		} else if (!strcmp(argv[i], "modules")) {
			if (!*val || !strcmp(val, "off")) {
				mon_printf("storm: modules=%s: want names, a,b,c\n", val);
				return -EINVAL;
			}
			o->names = val;
		} else if (!strcmp(argv[i], "rounds")) {
			err = uint_option("rounds", val, 1, STORM_MAX_ROUNDS,
					  &o->rounds);
		} else if (!strcmp(argv[i], "jitter")) {
			err = uint_option("jitter", val, 0, STORM_MAX_JITTER_US,
					  &o->jitter_us);
		} else if (!strcmp(argv[i], "cpus")) {
			err = uint_option("cpus", val, 1, num_online_cpus(),
					  &o->cpus);
		} else {
			*eq = '=';
			return mon_bad_arg(storm_usage_cmd, argv[i],
					   "unknown option");
		}
		if (err)
			return err;
	}
	return 0;
}

static int storm_failed(int err)
{
	if (err == -ENOENT)
		mon_printf("storm: no modules to load (no etc/storm.conf, or storm=off)\n");
	else if (err)
		mon_printf("storm: %s (%d)\n", mon_errname(err), err);
	return err;
}

/* One row per generation, the storm line's figures in columns. */
static int storm_compare(int argc, char **argv)
{
	/* The monitor runs one command at a time: not 1 KiB of stack. */
	static struct storm_result res[8];
	unsigned int n = 0;
	struct storm_opts o;
	int err;

	err = parse_storm_options(argc, argv, 2, &o, false);
	if (err)
		return err;
	for (unsigned int i = 0; i < loader_nr_generations &&
	     i < ARRAY_SIZE(res); i++) {
		o.loader = loader_generations[i].name;
		err = storm_run(&o, &res[n]);
		if (err)
			return storm_failed(err);
		n++;
		if (res[n - 1].interrupted || mon_interrupted()) {
			mon_printf("storm compare: interrupted after %s (Ctrl-C)\n",
				   o.loader);
			break;
		}
	}
	mon_printf("storm compare: %u CPUs, %u round%s each\n", res[0].cpus,
		   o.rounds, o.rounds == 1 ? "" : "s");
	mon_printf("%-10s %8s %6s %6s %5s %6s %13s %13s %15s %11s %9s %10s %6s\n",
		   "loader", "requests", "loaded", "eexist", "ebusy", "failed",
		   "reserved_peak", "reserved_size", "reserved_demand",
		   "modmem_peak", "dup_bytes", "elapsed_us", "merged");
	for (unsigned int i = 0; i < n; i++)
		mon_printf("%-10s %8lu %6lu %6lu %5lu %6lu %13zu %13zu %15zu %11llu %9llu %10llu %6lu\n",
			   res[i].loader, res[i].requests, res[i].loaded,
			   res[i].eexist, res[i].ebusy, res[i].failed,
			   res[i].reserved_peak, res[i].reserved_size,
			   res[i].reserved_demand,
			   (unsigned long long)res[i].modmem_peak,
			   (unsigned long long)res[i].dup_bytes,
			   (unsigned long long)res[i].elapsed_us,
			   res[i].merged);
	return 0;
}

static int cmd_storm(int argc, char **argv)
{
	struct storm_result res;
	struct storm_opts o;
	int err;

	if (argc >= 2 && !strcmp(argv[1], "compare"))
		return storm_compare(argc, argv);
	err = parse_storm_options(argc, argv, 1, &o, true);
	if (err)
		return err;
	err = storm_run(&o, &res);
	if (err)
		return storm_failed(err);
	if (storm_trace_on())
		mon_printf("storm: trace recorded; 'trace show' prints it\n");
	return 0;
}
MONITOR_COMMAND(storm, "storm",
		"storm [compare] [loader=GEN] [modules=a,b] [rounds=K] [jitter=US] [cpus=N]",
		"unload the storm's modules and run it again (compare: every generation)",
		cmd_storm, 0, 6);

static int cmd_trace(int argc, char **argv)
{
	(void)argc;
	if (!strcmp(argv[1], "on")) {
		storm_trace_set(true);
		mon_printf("trace: on; the next storm records every step\n");
	} else if (!strcmp(argv[1], "off")) {
		storm_trace_set(false);
		mon_printf("trace: off; the buffers are freed\n");
	} else if (!strcmp(argv[1], "show")) {
		if (storm_trace_show()) {
			mon_printf("trace: nothing recorded (trace on, then storm)\n");
			return -ENOENT;
		}
	} else {
		return mon_bad_arg("trace", argv[1], "want on, off or show");
	}
	return 0;
}
MONITOR_COMMAND(trace, "trace", "trace on|off|show",
		"record the storm's steps per CPU; print the last storm's", cmd_trace, 1, 1);

/* ktest a b c: the suites named, as ktest=a,b,c would run them. */
static int cmd_ktest(int argc, char **argv)
{
	char list[256];
	size_t n = 0;

	if (argc == 1) {
		const char *name;
		bool slow;

		mon_printf("ktest: suites:");
		for (unsigned int i = 0; (name = ktest_suite_name(i, &slow)); i++)
			mon_printf(" %s%s", name, slow ? " (slow)" : "");
		mon_printf("\nktest: 'ktest all' runs them all but the slow ones\n");
		return 0;
	}
	for (int i = 1; i < argc; i++) {
		bool known = !strcmp(argv[i], "all");

		for (unsigned int s = 0; !known && ktest_suite_name(s, NULL); s++)
			known = !strcmp(ktest_suite_name(s, NULL), argv[i]);
		if (!known)
			return mon_bad_arg("ktest", argv[i],
					   "no such suite ('ktest' lists them)");
		n += snprintf(list + n, sizeof(list) - n, "%s%s",
			      i > 1 ? "," : "", argv[i]);
		if (n >= sizeof(list))
			return mon_bad_arg("ktest", argv[i], "list too long");
	}
	if (ktest_run(list)) {
		mon_printf("ktest: some cases failed\n");
		return -EIO;
	}
	return 0;
}
MONITOR_COMMAND(ktest, "ktest", "ktest [SUITE ...]",
		"run in-kernel test suites and print KTAP (none: list them)",
		cmd_ktest, 0, 11);

/*
 * leaks: the counters the leak baseline watches (include/kernel/ktest/
 * baseline.h), against a mark: taken when the monitor starts, or again
 * by `leaks mark`.  After experiments that end where they began (a storm
 * reloads the same modules), every watched counter should be back.
 */
#define MONITOR_LEAKS	(LEAK_MODULE_LOAD | LEAK_PERCPU_AREAS | LEAK_VMAP_PAGES)

static struct ktest_baseline leak_mark;
static bool leak_marked;

void monitor_leaks_mark(void)
{
	ktest_baseline_take(&leak_mark, MONITOR_LEAKS);
	leak_marked = true;
}

static int cmd_leaks(int argc, char **argv)
{
	struct ktest_baseline now;
	unsigned int changed, bit, moved = 0;
	uint64_t then, value;
	const char *name;

	if (argc == 2) {
		if (strcmp(argv[1], "mark"))
			return mon_bad_arg("leaks", argv[1], "want mark, or nothing");
		monitor_leaks_mark();
		mon_printf("leaks: marked\n");
		return 0;
	}
	if (!leak_marked)
		monitor_leaks_mark();
	changed = ktest_baseline_changed(&leak_mark, &now);
	mon_printf("%-18s %14s %14s\n", "counter", "at the mark", "now");
	for (unsigned int i = 0;
	     (name = ktest_baseline_counter(&now, i, &bit, &value)); i++) {
		if (!(bit & MONITOR_LEAKS))
			continue;
		ktest_baseline_counter(&leak_mark, i, &bit, &then);
		mon_printf("%-18s %14llu %14llu%s\n", name,
			   (unsigned long long)then, (unsigned long long)value,
			   changed & bit ? "  <- moved" : "");
		moved += !!(changed & bit);
	}
	if (moved)
		mon_printf("leaks: %u counters moved since the mark\n", moved);
	else
		mon_printf("leaks: none; every counter is back at the mark\n");
	return 0;
}
MONITOR_COMMAND(leaks, "leaks", "leaks [mark]",
		"the leak counters against the mark (taken at the monitor's start)",
		cmd_leaks, 0, 1);
