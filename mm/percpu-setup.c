/*
 * mm/percpu-setup.c - the first per-CPU chunk: one copy of the
 * .data..percpu template per possible CPU, and GS base pointing at it.
 *
 * Linux: mm/percpu.c (pcpu_embed_first_chunk) and arch/x86/kernel/
 * setup_percpu.c (setup_per_cpu_areas).  The layout arithmetic is pure
 * and lives in mm/percpu-layout.c; this file is the glue: page
 * allocation, copying, the GS base MSR (Intel SDM vol. 3A, 3.4.4
 * "Segment Loading Instructions in IA-32e Mode": IA32_GS_BASE, 0xC0000101).
 *
 * Until setup_per_cpu_areas() runs, GS base is 0 and the boot CPU's
 * %gs-relative accesses land on the template itself (see percpu.h).  The
 * copy is taken with interrupts off right before GS base moves, so what
 * the boot CPU wrote there so far (a lock depth of 0 - no lock is held
 * here) is what every CPU starts with.
 *
 * The units are side by side at a fixed distance (the unit size), as the
 * per-CPU allocator needs: each is its own buddy block (255 units of
 * 64 KiB would not fit one 4 MiB block), mapped into one range of the
 * vmap area, unit c at base + c * unit_size, as Linux's
 * pcpu_page_first_chunk does.  The allocator (mm/percpu.c) then hands
 * out the reserved region (percpu.reserve=, default 8 KiB) and the
 * dynamic one.  No NUMA grouping.
 *
 * Only the template is copied.  The rest of each unit is not written at
 * boot: pcpu_alloc() zeroes every area it hands out, in every unit, so
 * nobody can read what the pages held before.  At 255 CPUs that is 700
 * bytes a unit instead of 64 KiB; under QEMU's TCG the full fill took 1.5
 * to 2.7 s of bring-up (docs/smp.md, "Many CPUs").
 */
#include <kernel/cmdline.h>
#include <kernel/export.h>
#include <kernel/io.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>

unsigned long __per_cpu_offset[NR_CPUS];
EXPORT_SYMBOL(__per_cpu_offset);
void *pcpu_unit_base[NR_CPUS];
struct pcpu_layout pcpu_first_chunk_layout;

/* The boot CPU is possible and online before anything is set up. */
struct cpumask __cpu_possible_mask = { .bits = { 1 } };
EXPORT_SYMBOL(__cpu_possible_mask);
struct cpumask __cpu_online_mask = { .bits = { 1 } };
EXPORT_SYMBOL(__cpu_online_mask);
unsigned int nr_cpu_ids = 1;
EXPORT_SYMBOL(nr_cpu_ids);

BOOT_PARAM_UINT(percpu_reserve, "percpu.reserve", PERCPU_MODULE_RESERVE, 0, 1UL << 20,
		"bytes of the reserved per-CPU chunk for modules (rounded up to 4)");

/* The reserved size from the command line (checked at boot), aligned. */
static size_t pcpu_reserve_param(void)
{
	return ALIGN_UP(percpu_reserve, 4UL);
}

DEFINE_PER_CPU(unsigned int, cpu_number);
EXPORT_SYMBOL(cpu_number);
DEFINE_PER_CPU(unsigned long, this_cpu_off);
EXPORT_SYMBOL(this_cpu_off);

void percpu_init_cpu(unsigned int cpu)
{
	wrmsr(MSR_GS_BASE, __per_cpu_offset[cpu]);
}

void setup_per_cpu_areas(unsigned int nr_possible)
{
	struct pcpu_layout *l = &pcpu_first_chunk_layout;
	size_t template_size = (size_t)(__per_cpu_end - __per_cpu_start);
	unsigned int nr = nr_possible, cpu;
	/* Once, at boot, on the BSP: not 2 KiB of its stack. */
	static void *blocks[NR_CPUS];
	unsigned long flags, base;

	if (nr == 0 || nr > NR_CPUS) {
		pr_err("percpu: %u possible CPUs is out of range 1..%u, using %u\n",
		       nr_possible, NR_CPUS, nr ? NR_CPUS : 1);
		nr = nr ? NR_CPUS : 1;
	}
	if (pcpu_build_layout(template_size, pcpu_reserve_param(), PAGE_SIZE,
			      MAX_ORDER, l))
		panic("percpu: static area of %zu bytes does not fit a unit",
		      template_size);

	for (cpu = 0; cpu < nr; cpu++) {
		void *unit = __get_free_pages(l->unit_order);

		if (!unit) {
			if (cpu == 0)
				panic("percpu: no memory for the boot CPU's unit");
			pr_err("percpu: no memory for CPU %u's unit (%zu bytes), only %u CPUs possible\n",
			       cpu, l->unit_size, cpu);
			break;
		}
		blocks[cpu] = unit;
	}
	nr = cpu;
	base = pcpu_map_first_chunk(blocks, nr, l->unit_size);
	if (!base)
		panic("percpu: no vmap space for %u units of %zu bytes", nr,
		      l->unit_size);
	for (cpu = 0; cpu < nr; cpu++)
		pcpu_unit_base[cpu] = (char *)base + cpu * l->unit_size;

	flags = local_irq_save();
	pcpu_fill_offsets(__per_cpu_offset, pcpu_unit_base, nr,
			  __per_cpu_start);
	for (cpu = 0; cpu < nr; cpu++) {
		char *unit = pcpu_unit_base[cpu];

		memcpy(unit, __per_cpu_start, template_size);
		per_cpu(cpu_number, cpu) = cpu;
		per_cpu(this_cpu_off, cpu) = __per_cpu_offset[cpu];
		cpumask_set_cpu(cpu, cpu_possible_mask);
	}
	nr_cpu_ids = nr;
	percpu_init_cpu(0);
	local_irq_restore(flags);

	pr_info("percpu: Embedded %zu pages/cpu s%zu r%zu d%zu u%zu\n",
		l->unit_size / PAGE_SIZE, l->static_size, l->reserved_size,
		l->dyn_size, l->unit_size);
	pcpu_setup_first_chunk(l, nr, base);
}
