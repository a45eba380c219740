/*
 * mm/memmap.c - from the boot loader's memory map to free page ranges.
 *
 * The multiboot2 memory map tag (Multiboot2 spec 3.6.8), like the BIOS
 * E820 table it usually comes from (ACPI 6.5 chapter 15), is a list of
 * (base, length, type) entries with no promise of order, alignment or
 * disjointness: entries may overlap, repeat, have zero length, or end in
 * the middle of a page.  Linux sanitizes it in arch/x86/kernel/e820.c
 * (e820__update_table): where entries overlap, the "worse" type wins.  We
 * keep the rule simple and safe: anything that is not of a wanted type
 * wins over a wanted type, and a reservation (the kernel image, GRUB's
 * information, the initrd, the first 1 MiB, the framebuffer) wins over
 * everything.
 *
 * Method: every entry and reservation contributes its two end points;
 * sorted, they cut the address line into elementary intervals, inside each
 * of which "covered by a wanted entry / by another entry / by a
 * reservation" cannot change.  Each interval is judged by scanning all
 * entries: O(n^2) for n <= a few hundred, run once at boot.  That is
 * slower than Linux's sweep but obviously correct, which is what a
 * brute-force-tested pure core wants.
 *
 * Pure C: no kernel globals; compiled into tests/host/test_memmap.c.
 */
#include <kernel/errno.h>
#include "memmap.h"

#define MEMMAP_MAX_POINTS	(2 * (BOOT_MMAP_MAX + MEMMAP_MAX_RESERVED))

/* Page arithmetic, local so this file does not need mm.h. */
#define MM_PAGE_SIZE		4096ULL

static uint64_t region_end(const struct mem_region *r)
{
	/* base + len may wrap: clip at the top of the address space. */
	return r->len > UINT64_MAX - r->base ? UINT64_MAX : r->base + r->len;
}

static void sort_points(uint64_t *p, int n)
{
	/* Insertion sort: n is small and this runs once. */
	for (int i = 1; i < n; i++) {
		uint64_t v = p[i];
		int j = i - 1;

		while (j >= 0 && p[j] > v) {
			p[j + 1] = p[j];
			j--;
		}
		p[j + 1] = v;
	}
}

/* Is the interval [a, b) (no entry boundary inside) in the result? */
static bool interval_wanted(const struct mem_region *map, int count,
			    uint32_t want_types,
			    const struct phys_range *reserved, int nreserved,
			    uint64_t a, uint64_t b)
{
	bool wanted = false;

	for (int i = 0; i < nreserved; i++)
		if (reserved[i].start < reserved[i].end &&
		    reserved[i].start < b && reserved[i].end > a)
			return false;
	for (int i = 0; i < count; i++) {
		const struct mem_region *r = &map[i];

		if (r->len == 0 || r->base >= b || region_end(r) <= a)
			continue;
		if (r->type < 32 && (want_types & MEMMAP_TYPE(r->type)))
			wanted = true;
		else
			return false;	/* another type wins */
	}
	return wanted;
}

int memmap_ranges(const struct mem_region *map, int count, uint32_t want_types,
		  const struct phys_range *reserved, int nreserved, bool inward,
		  struct phys_range *out, int max_out)
{
	/* Static, not on the stack: 9 KiB is too much for a boot stack and
	 * this runs once, before there is any concurrency. */
	static uint64_t points[MEMMAP_MAX_POINTS];
	int npoints = 0, nout = 0;

	if (count < 0 || count > BOOT_MMAP_MAX || nreserved < 0 ||
	    nreserved > MEMMAP_MAX_RESERVED || max_out < 0)
		return -EINVAL;

	for (int i = 0; i < count; i++) {
		if (map[i].len == 0)
			continue;
		points[npoints++] = map[i].base;
		points[npoints++] = region_end(&map[i]);
	}
	for (int i = 0; i < nreserved; i++) {
		if (reserved[i].end <= reserved[i].start)
			continue;
		points[npoints++] = reserved[i].start;
		points[npoints++] = reserved[i].end;
	}
	sort_points(points, npoints);

	for (int i = 0; i + 1 < npoints; i++) {
		uint64_t a = points[i], b = points[i + 1];

		if (a == b || !interval_wanted(map, count, want_types,
					       reserved, nreserved, a, b))
			continue;
		if (nout > 0 && out[nout - 1].end == a) {
			out[nout - 1].end = b;	/* extend the last range */
			continue;
		}
		if (nout == max_out)
			return -ENOSPC;
		out[nout].start = a;
		out[nout].end = b;
		nout++;
	}

	/* Page alignment; then drop empty ranges and merge touching ones. */
	int n = 0;

	for (int i = 0; i < nout; i++) {
		uint64_t s = out[i].start, e = out[i].end;

		if (inward) {
			s = s > UINT64_MAX - (MM_PAGE_SIZE - 1) ?
				UINT64_MAX & ~(MM_PAGE_SIZE - 1) :
				(s + MM_PAGE_SIZE - 1) & ~(MM_PAGE_SIZE - 1);
			e &= ~(MM_PAGE_SIZE - 1);
		} else {
			s &= ~(MM_PAGE_SIZE - 1);
			if (e & (MM_PAGE_SIZE - 1))
				e = e > UINT64_MAX - (MM_PAGE_SIZE - 1) ?
					UINT64_MAX & ~(MM_PAGE_SIZE - 1) :
					(e + MM_PAGE_SIZE - 1) &
						~(MM_PAGE_SIZE - 1);
		}
		if (s >= e)
			continue;
		if (n > 0 && out[n - 1].end >= s) {
			if (e > out[n - 1].end)
				out[n - 1].end = e;
			continue;
		}
		out[n].start = s;
		out[n].end = e;
		n++;
	}
	return n;
}

int memmap_free_ranges(const struct mem_region *map, int count,
		       const struct phys_range *reserved, int nreserved,
		       struct phys_range *out, int max_out)
{
	return memmap_ranges(map, count, MEMMAP_TYPE(MEM_AVAILABLE), reserved,
			     nreserved, true, out, max_out);
}

uint64_t memmap_total(const struct phys_range *r, int n)
{
	uint64_t sum = 0;

	for (int i = 0; i < n; i++)
		sum += r[i].end - r[i].start;
	return sum;
}
