/*
 * include/kernel/percpu.h - per-CPU variables, reached through %gs.
 *
 * DEFINE_PER_CPU(type, name) puts 'name' in the .data..percpu section of
 * the kernel image.  That section is only a template: setup_per_cpu_areas()
 * (mm/percpu-setup.c) copies it once per possible CPU into the first
 * per-CPU chunk, and each CPU's GS base points its %gs-relative accesses at
 * its own copy.  The names and the arithmetic are Linux's
 * (include/linux/percpu-defs.h, arch/x86/include/asm/percpu.h):
 *
 *	address of CPU c's copy of var = &var + __per_cpu_offset[c]
 *	GS base of CPU c              = __per_cpu_offset[c]
 *	this_cpu_read(var)            = one "mov %gs:var, reg"
 *
 * The template is linked at its ordinary kernel address (not at 0 as
 * Linux x86-64 long did); docs/percpu-vars.md says why.  Before
 * setup_per_cpu_areas() the GS base is 0 (boot/multiboot2.asm loads a null
 * GS), so %gs:var is the template itself: the boot CPU uses the template
 * as its per-CPU area until its unit exists, and smp_processor_id() reads
 * 0 from the first instruction of kmain.
 *
 * Simplification: no preemption yet, so this_cpu_* and raw_cpu_* are the
 * same thing; a this_cpu op is a single instruction and so cannot be split
 * by an interrupt on this CPU, but it is not atomic against other CPUs
 * (Linux's contract too).
 */
#ifndef KERNEL_PERCPU_H
#define KERNEL_PERCPU_H

#include <kernel/compiler.h>

#define PER_CPU_SECTION		".data..percpu"

#define DECLARE_PER_CPU(type, name)	extern __typeof__(type) name
#define DEFINE_PER_CPU(type, name)					\
	__section(PER_CPU_SECTION) __typeof__(type) name
/* Aligned to a cache line, so two CPUs' hot variables never share one. */
#define DEFINE_PER_CPU_ALIGNED(type, name)				\
	__section(PER_CPU_SECTION) __aligned(64) __typeof__(type) name

/* The template in the image (linker.ld). */
extern char __per_cpu_start[], __per_cpu_end[];

/* Filled by setup_per_cpu_areas(); all 0 before it (the template). */
extern unsigned long __per_cpu_offset[];

/*
 * The unit layout, as Linux's first chunk (mm/percpu.c):
 *
 *	| static (the template) | reserved (modules) | dynamic (alloc_percpu) |
 *	0                       s                    s+r                      u
 *
 * PERCPU_MODULE_RESERVE and PERCPU_DYNAMIC_RESERVE are Linux's values
 * (include/linux/percpu.h); r is PERCPU_MODULE_RESERVE unless the command
 * line says percpu.reserve=BYTES.  The per-CPU allocator (mm/percpu.c)
 * serves the reserved and dynamic regions.  The dynamic region takes
 * whatever the rounding up of the unit to a power-of-two number of pages
 * leaves.
 */
#define PERCPU_MODULE_RESERVE	(8 << 10)
#define PERCPU_DYNAMIC_RESERVE	(28 << 10)

struct pcpu_layout {
	size_t static_size;	/* s: the template, rounded to 64 bytes */
	size_t reserved_size;	/* r: percpu.reserve=, PERCPU_MODULE_RESERVE */
	size_t dyn_size;	/* d: >= PERCPU_DYNAMIC_RESERVE */
	size_t unit_size;	/* u = s + r + d, PAGE_SIZE << unit_order */
	unsigned int unit_order;
};

/* Set by setup_per_cpu_areas(). */
extern struct pcpu_layout pcpu_first_chunk_layout;
/* CPU c's unit: base + c * unit_size, in the vmap area (the units are
 * separate page blocks mapped side by side, as Linux's first chunk). */
extern void *pcpu_unit_base[];

/*
 * Pure layout arithmetic (no kernel globals; mm/percpu-layout.c).
 * pcpu_build_layout() sizes a unit for a template of 'static_size' bytes
 * and a reserved region of 'reserved_size' (a multiple of 4);
 * 0, or -1 if it cannot fit in a buddy block of 2^max_order pages.
 * pcpu_fill_offsets() sets offsets[c] = units[c] - template_start, the
 * value GS base and per_cpu_ptr() add to a template address.
 */
int pcpu_build_layout(size_t static_size, size_t reserved_size,
		      size_t page_size, unsigned int max_order,
		      struct pcpu_layout *out);
void pcpu_fill_offsets(unsigned long *offsets, void *const *units,
		       unsigned int nr, const void *template_start);

/*
 * Copy the template into a unit for each of the nr_possible CPUs, fill
 * __per_cpu_offset[], set cpu_number in each, and point the boot CPU's
 * GS base at its unit.  Prints Linux's "percpu: Embedded" line.
 */
void setup_per_cpu_areas(unsigned int nr_possible);
/* An AP's first step: point its GS base at its unit (IA32_GS_BASE). */
void percpu_init_cpu(unsigned int cpu);

#define MSR_GS_BASE		0xC0000101	/* IA32_GS_BASE */

/* ---- the per-CPU allocator (mm/percpu.c) ---------------------------- */

/*
 * As Linux: a new per-CPU area of 'size' bytes aligned to 'align' (a
 * power of two up to PAGE_SIZE; smaller than 4 counts as 4), zeroed on
 * every possible CPU.  The result is used through per_cpu_ptr(p, cpu),
 * this_cpu_ptr(p) and this_cpu_*(*p); NULL on failure, with Linux's
 * "PERCPU: allocation failed, size=S align=A, REASON" line (the first ten
 * times).  Both may sleep (they take pcpu_alloc_mutex).
 *
 * __alloc_reserved_percpu takes from the reserved chunk only, next to the
 * static area: for a module's own DEFINE_PER_CPU variables.
 */
void *__alloc_percpu(size_t size, size_t align);
void *__alloc_reserved_percpu(size_t size, size_t align);
/*
 * The same, noting who holds the area (a module's name, copied) for the
 * reserved chunk's map (pcpu_reserved_map); Linux has no such record.
 * The note goes when the area is freed.  An area whose note could not be
 * kept (no memory for it) shows as held by "?".
 */
void *__alloc_reserved_percpu_owner(size_t size, size_t align,
				    const char *owner);
#define alloc_percpu(type)						\
	((__typeof__(type) *)__alloc_percpu(sizeof(type),		\
					    __alignof__(type)))
/* Give an area back; NULL is a no-op.  Never sleeps, any context. */
void free_percpu(void *ptr);

/* The reserved chunk's use in bytes: now, the most since boot (or the
 * last reset), and its size.  The storm reports reserved_peak.  The
 * demand peak is the most bytes held plus asked for at once, counting
 * requests that were refused (the storm's reserved_demand); the same
 * reset clears both peaks. */
size_t pcpu_reserved_used(void);
size_t pcpu_reserved_peak(void);
size_t pcpu_reserved_demand_peak(void);
void pcpu_reserved_peak_reset(void);
size_t pcpu_reserved_total(void);

/* Global counters (Linux's percpu_stats), for tests and reports. */
struct pcpu_alloc_info {
	unsigned long long nr_alloc, nr_dealloc, nr_cur_alloc, nr_max_alloc;
	unsigned int nr_chunks, nr_max_chunks;
	unsigned int nr_empty_chunks;	/* dynamic chunks holding nothing */
	unsigned long nr_populated;	/* dynamic chunks' pages, all units */
	unsigned long nr_failures;	/* failed allocations, reported or not */
	size_t unit_size;		/* the distance between two units */
};
void pcpu_get_stats(struct pcpu_alloc_info *info);
/* The last failure line (without newline), "" if none yet. */
const char *pcpu_last_failure_msg(void);
/* Print everything in the layout of Linux's percpu_stats file; the
 * second only if the command line has percpu_stats. */
void pcpu_stats_show(void);
/* The same figures through print (the monitor's mon_printf). */
void pcpu_stats_print(void (*print)(const char *fmt, ...) __printf(1, 2));
int pcpu_stats_run_requested(void);	/* percpu_stats */
extern unsigned long percpu_reserve;	/* percpu.reserve=, bytes */
/* Release empty dynamic chunks but one (also done by each allocation). */
void pcpu_balance_workfn(void);

/* ---- the reserved chunk's map ----------------------------------------- */

#define PCPU_OWNER_LEN		56	/* MODULE_NAME_LEN */

/* One allocation or free run of the reserved region. */
struct pcpu_map_area {
	int offset;		/* from the unit's start (so static < offset) */
	int size;		/* bytes */
	bool used;
	char owner[PCPU_OWNER_LEN];	/* used: who holds it, or "?"; else "" */
};

/*
 * A snapshot of the reserved region [*start, *start + *size) of every
 * unit, in address order, taken under pcpu_lock: its first max areas go
 * to areas[]; returns how many there are in all (0 with no reserved
 * chunk).
 */
int pcpu_reserved_map(struct pcpu_map_area *areas, int max, int *start,
		      int *size);

/*
 * Pure (mm/percpu-map.c, host tested): a picture of a region in width
 * cells, bar[width + 1] with its NUL.  A cell covering no used byte is
 * '.'; otherwise it shows the mark of the used area holding most of its
 * bytes (the first on a tie).  The k-th used area of areas[n] (0-based,
 * in array order) has the mark pcpu_map_mark(k).  The areas must lie in
 * [start, start + size) and not overlap.
 */
char pcpu_map_mark(int k);
void pcpu_map_draw(const struct pcpu_map_area *areas, int n, int start,
		   int size, char *bar, int width);

/* For setup_per_cpu_areas (mm/percpu-setup.c): map the units side by
 * side in the vmap area (their base, or 0), then hand the reserved and
 * dynamic regions to the allocator. */
unsigned long pcpu_map_first_chunk(void *const *units, unsigned int nr,
				   size_t unit_size);
void pcpu_setup_first_chunk(const struct pcpu_layout *l, unsigned int nr,
			    unsigned long base);

/* ---- addresses ------------------------------------------------------ */

/* Add an offset to a pointer without the compiler reasoning about it. */
#define SHIFT_PERCPU_PTR(ptr, off)					\
	({								\
		unsigned long __p = (unsigned long)(ptr);		\
		__asm__("" : "+r"(__p));				\
		(__typeof__(ptr))(__p + (off));				\
	})

/* CPU c's copy of the variable whose template address is ptr. */
#define per_cpu_ptr(ptr, cpu)	SHIFT_PERCPU_PTR(ptr, __per_cpu_offset[cpu])
#define per_cpu(var, cpu)	(*per_cpu_ptr(&(var), cpu))

/* This CPU's offset is its GS base; read it from %gs:this_cpu_off. */
DECLARE_PER_CPU(unsigned long, this_cpu_off);

#define raw_cpu_ptr(ptr)						\
	SHIFT_PERCPU_PTR(ptr, this_cpu_read(this_cpu_off))
#define this_cpu_ptr(ptr)	raw_cpu_ptr(ptr)

/* ---- one-instruction accessors --------------------------------------- */

/*
 * "%gs:%[var]" with var an "m" operand names the template address
 * (absolute, a sign-extended 32-bit displacement under -mcmodel=kernel),
 * and the CPU adds the GS base.  The size suffix comes from sizeof.
 */
void __pcpu_bad_size(void);	/* never defined: a link error */

#define __pcpu_read(var, sfx, type, cons)				\
	({								\
		type __t;						\
		__asm__ __volatile__("mov" sfx " %%gs:%1, %0"		\
				     : "=" cons(__t) : "m"(var));	\
		(__typeof__(var))(unsigned long)__t;			\
	})

#define this_cpu_read(var)						\
	({								\
		__typeof__(var) __ret;					\
		switch (sizeof(var)) {					\
		case 1: __ret = __pcpu_read(var, "b", uint8_t, "q"); break; \
		case 2: __ret = __pcpu_read(var, "w", uint16_t, "r"); break; \
		case 4: __ret = __pcpu_read(var, "l", uint32_t, "r"); break; \
		case 8: __ret = __pcpu_read(var, "q", uint64_t, "r"); break; \
		default: __pcpu_bad_size(); __ret = (__typeof__(var))0;	\
		}							\
		__ret;							\
	})

/* op is mov, add or sub; val is converted to var's width first. */
#define __pcpu_op(op, var, val, sfx, type, cons)			\
	do {								\
		type __t = (type)(unsigned long)(val);			\
		__asm__ __volatile__(op sfx " %1, %%gs:%0"		\
				     : "+m"(var) : cons(__t));		\
	} while (0)

#define __this_cpu_op(op, var, val)					\
	do {								\
		switch (sizeof(var)) {					\
		case 1: __pcpu_op(op, var, val, "b", uint8_t, "qi"); break; \
		case 2: __pcpu_op(op, var, val, "w", uint16_t, "ri"); break; \
		case 4: __pcpu_op(op, var, val, "l", uint32_t, "ri"); break; \
		case 8: __pcpu_op(op, var, val, "q", uint64_t, "re"); break; \
		default: __pcpu_bad_size();				\
		}							\
	} while (0)

#define this_cpu_write(var, val)	__this_cpu_op("mov", var, val)
#define this_cpu_add(var, val)		__this_cpu_op("add", var, val)
#define this_cpu_sub(var, val)		__this_cpu_op("sub", var, val)
#define this_cpu_inc(var)		this_cpu_add(var, 1)
#define this_cpu_dec(var)		this_cpu_sub(var, 1)

#define raw_cpu_read(var)		this_cpu_read(var)
#define raw_cpu_write(var, val)		this_cpu_write(var, val)

#endif
