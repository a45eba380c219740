/*
 * mm/percpu-map.c - a picture of the reserved per-CPU region: which
 * module holds which bytes.  The monitor's `percpu` draws it from the
 * snapshot pcpu_reserved_map() takes (mm/percpu.c); this part is pure C
 * (no locks, no globals), so tests/host/test_percpu_map.c runs it too.
 *
 * The region is cut into 'width' cells of size/width bytes each (the
 * last ones take the rounding).  Each used area gets a mark, A..Z then
 * a..z then '#', in address order; a cell shows the mark of the area
 * that holds most of its bytes, or '.' when none of its bytes is held:
 *
 *   region  | acpi_cpufreq (A) | coretemp (B) | kvm (C) |  free   |
 *   bar     AAAAAAAAAAAAAAAAAAABBBBBBBBBBBBBBBCCCCCC.................
 *
 * So a small area never disappears from the picture unless a bigger
 * one shares its only cell: the rows under the bar list every area
 * with its exact offsets.
 */
#include <kernel/percpu.h>

char pcpu_map_mark(int k)
{
	if (k < 0)
		return '?';
	if (k < 26)
		return (char)('A' + k);
	if (k < 52)
		return (char)('a' + k - 26);
	return '#';
}

/* Bytes of [lo, hi) that area a covers. */
static long overlap(const struct pcpu_map_area *a, long lo, long hi)
{
	long s = a->offset > lo ? a->offset : lo;
	long e = (long)a->offset + a->size < hi ? (long)a->offset + a->size : hi;

	return e > s ? e - s : 0;
}

void pcpu_map_draw(const struct pcpu_map_area *areas, int n, int start,
		   int size, char *bar, int width)
{
	for (int c = 0; c < width; c++) {
		long lo = start + (long)c * size / width;
		long hi = start + (long)(c + 1) * size / width;
		long best = 0;
		int used = 0;

		if (hi <= lo)
			hi = lo + 1;	/* more cells than bytes */
		bar[c] = '.';
		for (int i = 0; i < n; i++) {
			long got;

			if (!areas[i].used)
				continue;
			got = overlap(&areas[i], lo, hi);
			if (got > best) {
				best = got;
				bar[c] = pcpu_map_mark(used);
			}
			used++;
		}
	}
	if (width >= 0)
		bar[width] = '\0';
}
