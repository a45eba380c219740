/*
 * kernel/monitor/cmd-system.c - the monitor's commands about the machine
 * and the kernel as a whole: params (every boot parameter), cpus (each
 * online CPU, asked itself), mem (what the allocators count), dmesg (the
 * log buffer), ls and cat (the initrd), inputs (the serial line and the
 * keyboard).
 *
 * Every figure is read from where it is counted (include/kernel/mm.h says
 * which counter is whose); none is derived to make a sum come out.
 */
#include <kernel/apic.h>
#include <kernel/cmdline.h>
#include <kernel/console.h>
#include <kernel/cpio.h>
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/io.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/power.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include "monitor.h"

static int cmd_params(int argc, char **argv)
{
	(void)argc;
	(void)argv;
	boot_params_print();
	return 0;
}
MONITOR_COMMAND(params, "params", "params",
		"every boot parameter: type, default, value", cmd_params, 0, 0);

/* ---- cpus ---------------------------------------------------------------- */

/* What a CPU says about itself, from an IPI (interrupts off, on it). */
struct cpu_probe {
	uint32_t apic_id;
	bool x2apic;
	unsigned long gs_base;
	char comm[TASK_COMM_LEN];	/* the task the IPI interrupted */
};

static void cpu_probe_fn(void *info)
{
	struct cpu_probe *p = info;

	p->apic_id = apic_id();
	p->x2apic = rdmsr(MSR_IA32_APICBASE) & APIC_BASE_EXTD;
	p->gs_base = rdmsr(MSR_GS_BASE);
	strlcpy(p->comm, current->comm, sizeof(p->comm));
}

static int cmd_cpus(int argc, char **argv)
{
	unsigned int cpu;

	(void)argc;
	(void)argv;
	mon_printf("CPU  APIC ID  mode    per-CPU offset      GS base             current\n");
	for_each_online_cpu(cpu) {
		struct cpu_probe p;
		int err = smp_call_function_single(cpu, cpu_probe_fn, &p, 1);

		if (err) {
			mon_printf("%3u  did not answer (%s)\n", cpu,
				   mon_errname(err));
			continue;
		}
		mon_printf("%3u  %7u  %-6s  0x%016lx  0x%016lx  %s%s\n", cpu,
			   p.apic_id, p.x2apic ? "x2APIC" : "xAPIC",
			   __per_cpu_offset[cpu], p.gs_base, p.comm,
			   p.gs_base == __per_cpu_offset[cpu] ? "" :
			   "  (GS base differs from the offset!)");
	}
	return 0;
}
MONITOR_COMMAND(cpus, "cpus", "cpus",
		"each online CPU: APIC, per-CPU offset, thread",
		cmd_cpus, 0, 0);

/* ---- mem ----------------------------------------------------------------- */

/* pages: what the area's own counter says (mm.h's struct vm_usage). */
static void mem_region(const char *name, const char *pages,
		       const struct vm_usage *u)
{
	mon_printf("mem: %s areas=%lu bytes=%zu lazy_areas=%lu lazy_bytes=%zu %s=%llu largest_free=%zu range=0x%lx-0x%lx\n",
		   name, u->nr_areas, u->bytes, u->nr_lazy, u->lazy_bytes,
		   pages, (unsigned long long)u->pages_mapped, u->largest_free,
		   u->start, u->end);
}

static int cmd_mem(int argc, char **argv)
{
	struct page_alloc_stats pa;
	struct vm_usage vmap, mods;
	struct mm_stats mm;
	char orders[160];
	size_t n = 0;

	(void)argc;
	(void)argv;
	page_alloc_get_stats(&pa);
	mm_get_stats(&mm);
	vmap_area_usage(&vmap);
	module_area_usage(&mods);

	mon_printf("mem: pages total=%llu free=%llu used=%llu (4 KiB pages; used counted as handed out)\n",
		   (unsigned long long)pa.managed_pages,
		   (unsigned long long)pa.free_pages,
		   (unsigned long long)pa.allocated_pages);
	for (unsigned int o = 0; o <= MAX_ORDER && n < sizeof(orders); o++)
		n += snprintf(orders + n, sizeof(orders) - n, " %u:%llu", o,
			      (unsigned long long)pa.nr_free[o]);
	mon_printf("mem: free blocks by order (order:blocks):%s\n", orders);
	mon_printf("mem: kmalloc objects=%llu bytes=%llu slab_pages=%llu\n",
		   (unsigned long long)mm.kmalloc_objects,
		   (unsigned long long)mm.kmalloc_bytes,
		   (unsigned long long)kmalloc_nr_slab_pages());
	mem_region("vmap", "ioremap_stack_pages", &vmap);
	mem_region("modules", "pages", &mods);
	return 0;
}
MONITOR_COMMAND(mem, "mem", "mem",
		"pages, kmalloc, the vmap and module areas",
		cmd_mem, 0, 0);

/* ---- dmesg --------------------------------------------------------------- */

/* Text out in pieces of at most a line buffer (mon_printf's is 256). */
struct outbuf {
	char buf[200];
	size_t len;
};

static void out_flush(struct outbuf *o)
{
	if (o->len)
		mon_printf("%.*s", (int)o->len, o->buf);
	o->len = 0;
}

static void out_char(struct outbuf *o, char c)
{
	o->buf[o->len++] = c;
	if (c == '\n' || o->len == sizeof(o->buf))
		out_flush(o);
}

/*
 * Print log[from, len) with each line behind "<L>", L the level of the
 * message it belongs to (the last marker before it: '?' when the cut
 * oldest record's marker is gone).  Markers inside a line are dropped.
 */
static void dmesg_print(const char *log, size_t len, size_t from)
{
	struct outbuf o = { .len = 0 };
	bool line_start = true;
	char level = '?';

	for (size_t i = 0; i < from; i++)
		if (log[i] == KERN_SOH[0] && i + 1 < len)
			level = log[i + 1];
	for (size_t i = from; i < len; i++) {
		char c = log[i];

		if (c == KERN_SOH[0]) {
			if (i + 1 < len)
				level = log[++i];
			continue;
		}
		if (line_start) {
			out_char(&o, '<');
			out_char(&o, level);
			out_char(&o, '>');
		}
		out_char(&o, c);
		line_start = c == '\n';
	}
	if (!line_start)
		out_char(&o, '\n');
	out_flush(&o);
}

static int cmd_dmesg(int argc, char **argv)
{
	unsigned long want = 0;
	size_t len, first, from;
	char *log;

	if (argc == 2 && (cmdline_parse_ulong(argv[1], &want) || !want))
		return mon_bad_arg("dmesg", argv[1], "not a number of lines (1 or more)");
	log = kmalloc(PRINTK_LOG_BUF_SIZE);
	if (!log) {
		mon_printf("dmesg: no memory for a copy of the log (%d bytes)\n",
			   PRINTK_LOG_BUF_SIZE);
		return -ENOMEM;
	}
	len = printk_log_copy(log, PRINTK_LOG_BUF_SIZE, &first);
	from = 0;
	if (want) {
		/* Back from the end over 'want' line ends (a last line
		 * without one counts as a line). */
		unsigned long lines = 0;

		from = len;
		if (from && log[from - 1] == '\n')
			from--;
		while (from > 0) {
			if (log[from - 1] == '\n' && ++lines == want)
				break;
			from--;
		}
	}
	if (!want && first)
		mon_printf("dmesg: the oldest %zu bytes of the log are gone (the buffer holds %d)\n",
			   first, PRINTK_LOG_BUF_SIZE);
	dmesg_print(log, len, from);
	kfree(log);
	return 0;
}
MONITOR_COMMAND(dmesg, "dmesg", "dmesg [LINES]",
		"the kernel log buffer (all, or its last LINES)",
		cmd_dmesg, 0, 1);

/* ---- ls, cat: the initrd ------------------------------------------------ */

struct ls_walk {
	const char *dir;
	size_t len;
	unsigned int entries;
	size_t bytes;
	bool dir_seen;		/* dir itself is a directory entry */
};

static char entry_type(const struct cpio_entry *e)
{
	switch (e->mode & CPIO_S_IFMT) {
	case CPIO_S_IFREG:	return '-';
	case CPIO_S_IFDIR:	return 'd';
	case CPIO_S_IFLNK:	return 'l';
	}
	return '?';
}

static int ls_one(const struct cpio_entry *e, void *ctx)
{
	struct ls_walk *w = ctx;

	if (w->len && cpio_is_dir(e) && !strcmp(e->name, w->dir))
		w->dir_seen = true;
	if (w->len && (strncmp(e->name, w->dir, w->len) ||
		       e->name[w->len] != '/') &&
	    !(strcmp(e->name, w->dir) == 0 && !cpio_is_dir(e)))
		return 0;
	mon_printf("%c %8zu  %s\n", entry_type(e), e->size, e->name);
	w->entries++;
	if (cpio_is_reg(e))
		w->bytes += e->size;
	return 0;
}

static int cmd_ls(int argc, char **argv)
{
	char dir[128];
	struct ls_walk w = { .dir = dir };

	mon_initrd_path(dir, sizeof(dir), argc == 2 ? argv[1] : "");
	w.len = strlen(dir);
	if (initrd_for_each(ls_one, &w) == -ENOENT) {
		mon_printf("ls: no initrd\n");
		return -ENOENT;
	}
	if (!w.entries && w.dir_seen) {
		mon_printf("ls: %s: an empty directory\n", argv[1]);
		return 0;
	}
	if (!w.entries) {
		mon_printf("ls: %s: no such file or directory in the initrd\n",
			   argc == 2 ? argv[1] : "/");
		return -ENOENT;
	}
	mon_printf("ls: %u entries, %zu bytes in files\n", w.entries, w.bytes);
	return 0;
}
MONITOR_COMMAND(ls, "ls", "ls [DIR]",
		"the initrd's entries (those under DIR)",
		cmd_ls, 0, 1);

#define CAT_MAX_BYTES	(16 * 1024)	/* more is cut, and said */

/* Text is what a terminal shows as it is: no NUL, no control bytes but
 * tab, newline, carriage return and form feed. */
static bool is_text(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((p[i] < 0x20 && p[i] != '\t' && p[i] != '\n' &&
		     p[i] != '\r' && p[i] != '\f') || p[i] == 0x7f)
			return false;
	return true;
}

static int cmd_cat(int argc, char **argv)
{
	struct cpio_entry e;
	struct outbuf o = { .len = 0 };
	const unsigned char *p;
	size_t shown;

	(void)argc;
	if (!initrd_lookup(argv[1], &e)) {
		mon_printf("cat: %s: no such file in the initrd\n", argv[1]);
		return -ENOENT;
	}
	if (cpio_is_dir(&e)) {
		mon_printf("cat: %s: is a directory (ls %s lists it)\n", argv[1],
			   argv[1]);
		return -EINVAL;
	}
	if (!cpio_is_reg(&e)) {
		mon_printf("cat: %s: not a regular file\n", argv[1]);
		return -EINVAL;
	}
	p = e.data;
	if (!is_text(p, e.size)) {
		bool elf = e.size >= 4 && !memcmp(p, "\177ELF", 4);

		mon_printf("cat: %s: binary file%s, %zu bytes: not shown%s\n",
			   argv[1], elf ? " (ELF)" : "", e.size,
			   elf ? " (modinfo describes a module)" : "");
		return -EINVAL;
	}
	shown = MIN(e.size, (size_t)CAT_MAX_BYTES);
	for (size_t i = 0; i < shown; i++)
		out_char(&o, (char)p[i]);
	if (shown && p[shown - 1] != '\n')
		out_char(&o, '\n');
	out_flush(&o);
	if (shown < e.size)
		mon_printf("cat: %s: %zu more bytes not shown (at most %d are)\n",
			   argv[1], e.size - shown, CAT_MAX_BYTES);
	return 0;
}
MONITOR_COMMAND(cat, "cat", "cat FILE",
		"a text file of the initrd (binary refused)",
		cmd_cat, 1, 1);

/* Where typed input comes from, and what each driver counted. */
static int cmd_inputs(int argc, char **argv)
{
	struct serial_input_stats ser;
	struct i8042_stats kbd;

	(void)argc;
	(void)argv;
	serial_input_stats(&ser);
	i8042_input_stats(&kbd);
	if (ser.present)
		mon_printf("ttyS0: %s, interrupts=%lu bytes=%lu dropped=%lu throttled=%lu\n",
			   ser.polled ? "polled" : "by interrupt (IRQ 4)",
			   ser.interrupts, ser.bytes, ser.dropped, ser.throttled);
	else
		mon_printf("ttyS0: no 16550 at COM1\n");
	if (kbd.keyboard)
		mon_printf("i8042: %s, scan code set 1 %s, interrupts=%lu scancodes=%lu bytes=%lu dropped=%lu unknown=%lu\n",
			   kbd.polled ? "polled" : "by interrupt (IRQ 1)",
			   kbd.translated ? "translated by the controller" :
					    "from the keyboard",
			   kbd.interrupts, kbd.scancodes, kbd.bytes,
			   kbd.dropped, kbd.unknown);
	else
		mon_printf("i8042: %s\n", kbd.present ? "no keyboard" : "no controller");
	return 0;
}
MONITOR_COMMAND(inputs, "inputs", "inputs",
		"the serial line and the PS/2 keyboard: how input arrives, counters",
		cmd_inputs, 0, 0);
