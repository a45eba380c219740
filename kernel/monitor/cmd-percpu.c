/*
 * kernel/monitor/cmd-percpu.c - the monitor's per-CPU commands:
 *
 *   percpu                  Linux's percpu_stats figures (mm/percpu.c),
 *                           then the reserved chunk's map: which module
 *                           holds which bytes (mm/percpu-map.c draws it)
 *   percpu addr SYM [CPU]   the %gs walk for one per-CPU variable of the
 *                           kernel or of a loaded module, on each online
 *                           CPU or on one
 *
 * The walk is done by each CPU itself: an IPI (smp_call_function_single)
 * has the CPU read its own IA32_GS_BASE and load the variable through
 * %gs, as this_cpu_read() does, so the value shown is what that CPU's
 * code sees.  docs/monitor.md explains the numbers.
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/ksyms.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include "monitor.h"

#define MAP_WIDTH	64	/* cells in the reserved chunk's bar */
#define MAP_MAX_ROWS	48	/* areas listed under it; the rest counted */

/* ---- percpu: the statistics and the reserved chunk's map --------------- */

static void percpu_map_show(void)
{
	struct pcpu_map_area *areas;
	int n, max, start, size, used_bytes = 0, nr_used = 0, k = 0;
	char bar[MAP_WIDTH + 1];

	n = pcpu_reserved_map(NULL, 0, &start, &size);
	if (!size) {
		mon_printf("percpu: no reserved chunk (percpu.reserve=0)\n");
		return;
	}
	/* Room for a few loads meanwhile; any more are counted, not drawn. */
	max = n + 16;
	areas = kmalloc(sizeof(*areas) * (size_t)max);
	if (!areas) {
		mon_printf("percpu: no memory for the map of %d areas\n", n);
		return;
	}
	n = pcpu_reserved_map(areas, max, &start, &size);
	if (n > max) {
		mon_printf("percpu: the map changed while read: %d areas, %d shown\n",
			   n, max);
		n = max;
	}
	pcpu_map_draw(areas, n, start, size, bar, MAP_WIDTH);
	mon_printf("Reserved chunk: offsets %d-%d of every unit (%d bytes), %d bytes a cell\n",
		   start, start + size - 1, size, size / MAP_WIDTH);
	mon_printf("  [%s]\n", bar);
	mon_printf("  %-4s %-13s %6s  %s\n", "mark", "offsets", "bytes", "owner");
	for (int i = 0; i < n; i++) {
		const struct pcpu_map_area *a = &areas[i];

		if (i < MAP_MAX_ROWS)
			mon_printf("  %-4c %6d-%-6d %6d  %s\n",
				   a->used ? pcpu_map_mark(k) : '.', a->offset,
				   a->offset + a->size - 1, a->size,
				   a->used ? a->owner : "(free)");
		if (a->used) {
			used_bytes += a->size;
			nr_used++;
			k++;
		}
	}
	if (n > MAP_MAX_ROWS)
		mon_printf("  ... %d more areas not listed\n", n - MAP_MAX_ROWS);
	mon_printf("Reserved chunk: %d bytes in %d areas held, %d bytes free\n",
		   used_bytes, nr_used, size - used_bytes);
	kfree(areas);
}

/* ---- percpu addr: one variable, through each CPU's GS base ------------- */

struct gs_probe {
	unsigned long disp;	/* in: the %gs: displacement (template address) */
	unsigned long gs_base;	/* out: the CPU's IA32_GS_BASE */
	uint64_t value;		/* out: 8 bytes at %gs:disp */
};

/* On the CPU itself, interrupts off: what this_cpu_read() would do. */
static void gs_probe_fn(void *info)
{
	struct gs_probe *p = info;
	uint64_t v;

	p->gs_base = rdmsr(MSR_GS_BASE);
	__asm__ __volatile__("movq %%gs:(%1), %0" : "=r"(v) : "r"(p->disp)
			     : "memory");
	p->value = v;
}

/* The variable called name: its template address and size, and whose it
 * is; 0, or -ENOENT / -EINVAL having said why in one line. */
static int percpu_find_symbol(const char *name, unsigned long *disp,
			      unsigned long *size, char *owner, size_t len)
{
	unsigned long offset;
	int err;

	if (kernel_percpu_symbol(name, &offset, size)) {
		*disp = (unsigned long)__per_cpu_start + offset;
		strlcpy(owner, "kernel", len);
		return 0;
	}
	err = module_percpu_symbol(name, owner, len, disp, size);
	if (!err)
		return 0;
	if (err == -EINVAL)
		mon_printf("percpu: %s: a symbol of module %s, but not in its per-CPU area: not a per-CPU variable\n",
			   name, owner);
	else if (ksym_lookup_name(name))
		mon_printf("percpu: %s: a function of the kernel, not a per-CPU variable\n",
			   name);
	else
		mon_printf("percpu: %s: no per-CPU variable of that name in the kernel or a loaded module\n",
			   name);
	return err;
}

static void percpu_addr_row(unsigned int cpu, unsigned long disp,
			    unsigned long size)
{
	struct gs_probe p = { .disp = disp };
	unsigned int bytes = size < 8 ? (unsigned int)size : 8;
	uint64_t value;
	int err;

	err = smp_call_function_single(cpu, gs_probe_fn, &p, 1);
	if (err) {
		mon_printf("%3u  did not answer (%s)\n", cpu, mon_errname(err));
		return;
	}
	value = bytes < 8 ? p.value & ((1ULL << (8 * bytes)) - 1) : p.value;
	mon_printf("%3u  0x%016lx 0x%016lx 0x%0*llx\n", cpu, p.gs_base,
		   p.gs_base + disp, (int)(2 * bytes),
		   (unsigned long long)value);
}

static int percpu_addr(int argc, char **argv)
{
	unsigned long disp, size, cpu = 0;
	char owner[MODULE_NAME_LEN];
	unsigned int c;

	if (argc < 3)
		return mon_bad_arg("percpu", "addr", "which SYMBOL?");
	if (argc == 4) {
		if (cmdline_parse_ulong(argv[3], &cpu))
			return mon_bad_arg("percpu", argv[3], "not a CPU number");
		if (cpu >= NR_CPUS || !cpu_online(cpu)) {
			mon_printf("percpu: CPU %s is not online (%u online)\n",
				   argv[3], num_online_cpus());
			return -EINVAL;
		}
	}
	if (percpu_find_symbol(argv[2], &disp, &size, owner, sizeof(owner)))
		return -ENOENT;
	mon_printf("percpu: %s (%s): %lu bytes at offset 0x%lx of each unit; %%gs:0x%lx\n",
		   argv[2], owner, size,
		   disp - (unsigned long)__per_cpu_start, disp);
	mon_printf("percpu: address = GS base + 0x%lx; value = the first %lu bytes there, read through %%gs by that CPU\n",
		   disp, size < 8 ? size : 8UL);
	mon_printf("CPU  GS base            address            value\n");
	if (argc == 4) {
		percpu_addr_row((unsigned int)cpu, disp, size);
		return 0;
	}
	for_each_online_cpu(c)
		percpu_addr_row(c, disp, size);
	return 0;
}

static int cmd_percpu(int argc, char **argv)
{
	if (argc == 1) {
		pcpu_stats_print(mon_printf);
		percpu_map_show();
		return 0;
	}
	if (!strcmp(argv[1], "addr"))
		return percpu_addr(argc, argv);
	return mon_bad_arg("percpu", argv[1], "not a subcommand (addr)");
}
MONITOR_COMMAND(percpu, "percpu", "percpu [addr SYMBOL [CPU]]",
		"per-CPU figures and map, or a variable's %gs walk",
		cmd_percpu, 0, 3);
