/*
 * mm/percpu-layout.c - the arithmetic of the first per-CPU chunk.
 *
 * Pure C over numbers and pointers, no kernel globals, so that
 * tests/host/test_percpu_layout.c compiles it on the host.  The glue that
 * allocates, copies and loads GS base is mm/percpu-setup.c.
 *
 * One unit per CPU, Linux's embedded first chunk (mm/percpu.c,
 * pcpu_embed_first_chunk):
 *
 *	| static (template) | reserved | dynamic ..................... |
 *	0                   s          s+r                             u
 *
 * u is a power-of-two number of pages (one buddy block per unit), and the
 * dynamic region takes the slack, so d >= PERCPU_DYNAMIC_RESERVE.
 */
#include <kernel/percpu.h>

#define PCPU_STATIC_ALIGN	64

int pcpu_build_layout(size_t static_size, size_t reserved_size,
		      size_t page_size, unsigned int max_order,
		      struct pcpu_layout *out)
{
	size_t s = ALIGN_UP(static_size, (size_t)PCPU_STATIC_ALIGN);
	size_t need = s + reserved_size + PERCPU_DYNAMIC_RESERVE;
	unsigned int order = 0;

	if (page_size == 0 || static_size > need || reserved_size > need ||
	    reserved_size % 4)	/* overflow, or not whole 4-byte words */
		return -1;
	while ((page_size << order) < need) {
		if (order == max_order)
			return -1;
		order++;
	}
	out->static_size = s;
	out->reserved_size = reserved_size;
	out->unit_order = order;
	out->unit_size = page_size << order;
	out->dyn_size = out->unit_size - s - reserved_size;
	return 0;
}

void pcpu_fill_offsets(unsigned long *offsets, void *const *units,
		       unsigned int nr, const void *template_start)
{
	for (unsigned int cpu = 0; cpu < nr; cpu++)
		offsets[cpu] = (unsigned long)units[cpu] -
			       (unsigned long)template_start;
}
