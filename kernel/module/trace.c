/*
 * kernel/module/trace.c - what each CPU's loader is doing, now and over
 * time.
 *
 * module_note_step() keeps, per CPU, the step its current load is at and
 * the module's name: the storm's live view draws a row per CPU from it.
 * With trace=1 on the command line every step and event is also recorded,
 * with a timestamp and the reserved per-CPU chunk's use at that instant,
 * in a buffer per CPU (no lock shared between CPUs: a CPU writes only its
 * own, with preemption off), and module_trace_dump() prints them merged
 * in time order over serial:
 *
 *	trace: begin loader=unformed cpus=8 reserved_size=8192 events=412
 *	trace: <ns> <cpu> <event> <module> <arg> <reserved_used>
 *	...
 *	trace: end events=412 dropped=0
 *
 * <ns> counts from the storm's barrier release (module_trace_start());
 * <event> is a step (reading, allocating, waiting, relocating, init, done,
 * eexist, ebusy, failed) or one of request, outcome, listed, state,
 * wait_end, modmem_alloc, percpu_alloc, percpu_free; <arg> is bytes for
 * the allocations, the errno for outcome and wait_end, the state's name
 * for state, and 0 otherwise.  tools/trace2svg.py draws it; the format is
 * documented in docs/story.md.  A full buffer drops the newest events and
 * counts them.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "internal.h"

BOOT_PARAM_FLAG(trace, "trace", "record the module loader's steps per CPU and print them at the end");

#define TRACE_EVENTS_PER_CPU	2048
#define TRACE_NAME_LEN		24

struct trace_event {
	uint64_t t_ns;
	uint32_t reserved_used;
	uint16_t event;		/* enum module_event */
	uint16_t step;		/* for MODULE_EV_STEP */
	long arg;
	char name[TRACE_NAME_LEN];
};

struct trace_buffer {
	struct trace_event *ev;
	unsigned int count;
	unsigned int dropped;
	unsigned int next;	/* the merge's cursor, at dump time */
};

static struct trace_buffer *trace_bufs;	/* [nr_cpu_ids] */
static bool trace_on;
static uint64_t trace_t0;

struct cpu_step {
	enum module_step step;
	char name[TRACE_NAME_LEN];
};
static DEFINE_PER_CPU(struct cpu_step, cpu_step);

static const char *const step_names[MODULE_NR_STEPS] = {
	[MODULE_STEP_IDLE] = "idle",
	[MODULE_STEP_READING] = "reading",
	[MODULE_STEP_ALLOCATING] = "allocating",
	[MODULE_STEP_WAITING] = "waiting",
	[MODULE_STEP_RELOCATING] = "relocating",
	[MODULE_STEP_INIT] = "init",
	[MODULE_STEP_DONE] = "done",
	[MODULE_STEP_EEXIST] = "eexist",
	[MODULE_STEP_EBUSY] = "ebusy",
	[MODULE_STEP_FAILED] = "failed",
};

static const char *const event_names[MODULE_NR_EVENTS] = {
	[MODULE_EV_STEP] = "step",
	[MODULE_EV_REQUEST] = "request",
	[MODULE_EV_OUTCOME] = "outcome",
	[MODULE_EV_LISTED] = "listed",
	[MODULE_EV_STATE] = "state",
	[MODULE_EV_WAIT_END] = "wait_end",
	[MODULE_EV_MODMEM_ALLOC] = "modmem_alloc",
	[MODULE_EV_PERCPU_ALLOC] = "percpu_alloc",
	[MODULE_EV_PERCPU_FREE] = "percpu_free",
};

static const char *const state_names[] = {
	[MODULE_STATE_LIVE] = "LIVE",
	[MODULE_STATE_COMING] = "COMING",
	[MODULE_STATE_GOING] = "GOING",
	[MODULE_STATE_UNFORMED] = "UNFORMED",
};

const char *module_step_name(enum module_step step)
{
	return step < MODULE_NR_STEPS ? step_names[step] : "?";
}

static void record(enum module_event ev, enum module_step step,
		   const char *name, long arg)
{
	struct trace_buffer *tb;
	struct trace_event *e;

	if (!trace_on)
		return;
	preempt_disable();
	tb = &trace_bufs[smp_processor_id()];
	if (tb->count == TRACE_EVENTS_PER_CPU) {
		tb->dropped++;
	} else {
		e = &tb->ev[tb->count++];
		e->t_ns = ktime_get_ns();
		e->reserved_used = (uint32_t)pcpu_reserved_used();
		e->event = (uint16_t)ev;
		e->step = (uint16_t)step;
		e->arg = arg;
		module_name_from_path(e->name, sizeof(e->name), name ? name : "-");
	}
	preempt_enable();
}

void module_note_step(const char *name, enum module_step step)
{
	struct cpu_step *cs;

	preempt_disable();
	cs = this_cpu_ptr(&cpu_step);
	cs->step = step;
	module_name_from_path(cs->name, sizeof(cs->name), name ? name : "-");
	preempt_enable();
	record(MODULE_EV_STEP, step, name, 0);
}

void module_note_event(enum module_event ev, const char *name, long arg)
{
	record(ev, MODULE_STEP_IDLE, name, arg);
}

enum module_step module_cpu_step(unsigned int cpu, char *name, size_t len)
{
	const struct cpu_step *cs = per_cpu_ptr(&cpu_step, cpu);

	if (name && len)
		strlcpy(name, cs->name, len);
	return READ_ONCE(cs->step);
}

bool module_trace_enabled(void)
{
	return trace;
}

/* At run time (the monitor's trace on|off): off frees the buffers. */
void module_trace_set(bool on)
{
	trace = on;
	if (!on)
		module_trace_free();
}

unsigned int module_trace_events(void)
{
	unsigned int cpu, total = 0;

	if (!trace_bufs)
		return 0;
	for_each_possible_cpu(cpu)
		total += trace_bufs[cpu].count;
	return total;
}

/* Buffers for every possible CPU; events count from now. */
int module_trace_start(void)
{
	unsigned int cpu;

	if (!module_trace_enabled())
		return 0;
	if (!trace_bufs) {
		trace_bufs = kzalloc(nr_cpu_ids * sizeof(*trace_bufs));
		if (!trace_bufs)
			goto nomem;
		for_each_possible_cpu(cpu) {
			trace_bufs[cpu].ev = kmalloc(TRACE_EVENTS_PER_CPU *
						     sizeof(struct trace_event));
			if (!trace_bufs[cpu].ev)
				goto nomem;
		}
	}
	for_each_possible_cpu(cpu) {
		trace_bufs[cpu].count = 0;
		trace_bufs[cpu].dropped = 0;
	}
	trace_t0 = ktime_get_ns();
	trace_on = true;
	return 0;
nomem:
	pr_err("trace: no memory for %u CPUs' buffers; not tracing\n",
	       nr_cpu_ids);
	module_trace_free();
	return -ENOMEM;
}

void module_trace_stop(void)
{
	trace_on = false;
}

void module_trace_free(void)
{
	unsigned int cpu;

	trace_on = false;
	if (!trace_bufs)
		return;
	for_each_possible_cpu(cpu)
		kfree(trace_bufs[cpu].ev);
	kfree(trace_bufs);
	trace_bufs = NULL;
}

static void print_event(unsigned int cpu, const struct trace_event *e)
{
	const char *what = event_names[e->event];
	char arg[16];

	if (e->event == MODULE_EV_STEP)
		what = module_step_name((enum module_step)e->step);
	if (e->event == MODULE_EV_STATE && e->arg >= 0 &&
	    e->arg < (long)ARRAY_SIZE(state_names))
		strlcpy(arg, state_names[e->arg], sizeof(arg));
	else
		snprintf(arg, sizeof(arg), "%ld", e->arg);
	pr_info("trace: %llu %u %s %s %s %u\n",
		(unsigned long long)(e->t_ns > trace_t0 ? e->t_ns - trace_t0 : 0),
		cpu, what, e->name,
		arg, e->reserved_used);
}

/* Every CPU's events, merged by time (each buffer is already in order). */
void module_trace_dump(const char *mode, unsigned int cpus,
		       size_t reserved_size)
{
	unsigned int cpu, total = 0, dropped = 0;

	if (!trace_bufs)
		return;
	trace_on = false;
	for_each_possible_cpu(cpu) {
		trace_bufs[cpu].next = 0;
		total += trace_bufs[cpu].count;
		dropped += trace_bufs[cpu].dropped;
	}
	pr_info("trace: begin loader=%s cpus=%u reserved_size=%zu events=%u\n",
		mode, cpus, reserved_size, total);
	for (unsigned int n = 0; n < total; n++) {
		unsigned int best = nr_cpu_ids;
		uint64_t best_t = ~0ULL;

		for_each_possible_cpu(cpu) {
			struct trace_buffer *tb = &trace_bufs[cpu];

			if (tb->next < tb->count &&
			    tb->ev[tb->next].t_ns < best_t) {
				best = cpu;
				best_t = tb->ev[tb->next].t_ns;
			}
		}
		print_event(best, &trace_bufs[best].ev[trace_bufs[best].next++]);
	}
	pr_info("trace: end events=%u dropped=%u\n", total, dropped);
}
