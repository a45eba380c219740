/*
 * tools/percpu-bench.c - `make bench`: the per-CPU chunk allocator
 * (mm/percpu-chunk.c, compiled in as is) timed on the host.
 *
 * The patterns are those used to evaluate Linux's bitmap allocator
 * (the v4.14 series "percpu: replace area map allocator with bitmap"):
 * one million allocations of 4, 16, 64 and 1024 bytes, then freed in
 * order, in reverse, and alternating (every other one, then the rest);
 * a half-full chunk (every other area freed) taking new requests; and the
 * cost of one allocation as a single chunk fills, in tenths.  The chunks
 * are 256 KiB units kept in Linux's slot lists, as the kernel glue does
 * (mm/percpu.c); memory itself is never touched, only the bitmaps.
 *
 * Timing, so never a pass/fail test: figures vary with the machine.  The
 * goal it shows: the cost of an operation stays flat as a chunk fills.
 * Built with -O2, without sanitizers.
 *
 * Beside each 1M pattern, the ratio to Linux's published figure: Dennis
 * Zhou's "[PATCH v2 00/23] percpu: replace percpu area map allocator
 * with bitmap allocator" (lkml, 2017-07-24), bitmap allocator, worst
 * case over the three free orders, ms for 2^20 objects: 4 B 490/70,
 * 16 B 515/75, 64 B 610/80, 1024 B 3520/200 (alloc/free); and for the
 * "second half filled" variant, freed in order: 4 B 481/67, 16 B 506/69,
 * 64 B 636/75, 1024 B 3262/147.  (The first posting, [PATCH 00/10] of
 * 2017-07-15, gave 725/70 for 4 B.)  The letters name no hardware, and
 * Linux's figures include its slot lists and page bookkeeping, so a
 * ratio says "same order or not", no more.
 */
#define _POSIX_C_SOURCE 200809L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "../mm/percpu-chunk.c"

#define UNIT_PAGES	64		/* 256 KiB chunks */
#define NR_OPS		(1 << 20)

struct bench_area {
	struct pcpu_chunk *chunk;
	int off;
};

static struct list_head slots[PCPU_NR_SLOTS];
static struct bench_area *areas;
static int nr_chunks;
static int half_filled;	/* bytes at a new chunk's end taken at once */

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void relocate(struct pcpu_chunk *c)
{
	int slot = pcpu_chunk_slot(c);

	if (slot == c->slot)
		return;
	if (c->slot >= 0)
		list_del(&c->list);
	list_add_tail(&c->list, &slots[slot]);
	c->slot = slot;
}

static struct pcpu_chunk *new_chunk(void)
{
	size_t meta = pcpu_chunk_meta_bytes(UNIT_PAGES);
	struct pcpu_chunk *c = calloc(1, sizeof(*c) + meta);

	if (!c) {
		perror("calloc");
		exit(1);
	}
	pcpu_chunk_init(c, c + 1, UNIT_PAGES, 0, 0);
	if (half_filled &&
	    (pcpu_chunk_alloc(c, UNIT_PAGES * 4096 - half_filled, 4) != 0 ||
	     pcpu_chunk_alloc(c, half_filled, 4) < 0 ||
	     pcpu_chunk_free(c, 0) < 0)) {
		fprintf(stderr, "bench: cannot fill a chunk's second half\n");
		exit(1);
	}
	c->slot = -1;
	relocate(c);
	nr_chunks++;
	return c;
}

static void reset(void)
{
	for (int s = 0; s < PCPU_NR_SLOTS; s++) {
		while (!list_empty(&slots[s])) {
			struct pcpu_chunk *c = list_first_entry(&slots[s],
						struct pcpu_chunk, list);

			list_del(&c->list);
			free(c);
		}
		INIT_LIST_HEAD(&slots[s]);
	}
	nr_chunks = 0;
}

/* The glue's search: slots that may fit, then a new chunk. */
static void bench_alloc(struct bench_area *a, size_t size, size_t align)
{
	struct pcpu_chunk *c;

	for (int s = pcpu_size_to_slot(size); s < PCPU_NR_SLOTS; s++) {
		list_for_each_entry(c, &slots[s], list) {
			int off = pcpu_chunk_alloc(c, size, align);

			if (off >= 0) {
				a->chunk = c;
				a->off = off;
				relocate(c);
				return;
			}
		}
	}
	c = new_chunk();
	a->chunk = c;
	a->off = pcpu_chunk_alloc(c, size, align);
	if (a->off < 0) {
		fprintf(stderr, "bench: an empty chunk refused %zu bytes\n", size);
		exit(1);
	}
	relocate(c);
}

static void bench_free(struct bench_area *a)
{
	if (pcpu_chunk_free(a->chunk, a->off) < 0) {
		fprintf(stderr, "bench: bad free at %d\n", a->off);
		exit(1);
	}
	relocate(a->chunk);
}

/* Linux's published figures (see the top), ms for 2^20 objects. */
struct linux_ms {
	size_t size;
	double alloc, free, half_alloc, half_free;
};

static const struct linux_ms zhou_v2[] = {
	{ 4, 490, 70, 481, 67 },
	{ 16, 515, 75, 506, 69 },
	{ 64, 610, 80, 636, 75 },
	{ 1024, 3520, 200, 3262, 147 },
};

static const struct linux_ms *linux_figures(size_t size)
{
	for (size_t i = 0; i < sizeof(zhou_v2) / sizeof(zhou_v2[0]); i++)
		if (zhou_v2[i].size == size)
			return &zhou_v2[i];
	return NULL;
}

enum order { IN_ORDER, REVERSE, ALTERNATING };
static const char *const order_name[] = { "in order", "reverse", "alternating" };

static void pattern(size_t size, enum order order)
{
	const struct linux_ms *lx;
	double t0, t1, t2;
	int n = NR_OPS;

	reset();
	t0 = now_ms();
	for (int i = 0; i < n; i++)
		bench_alloc(&areas[i], size, size < 8 ? size : 8);
	t1 = now_ms();
	if (order == IN_ORDER) {
		for (int i = 0; i < n; i++)
			bench_free(&areas[i]);
	} else if (order == REVERSE) {
		for (int i = n - 1; i >= 0; i--)
			bench_free(&areas[i]);
	} else {
		for (int i = 0; i < n; i += 2)
			bench_free(&areas[i]);
		for (int i = 1; i < n; i += 2)
			bench_free(&areas[i]);
	}
	t2 = now_ms();
	lx = linux_figures(size);
	printf("  %5zu B  free %-11s  alloc %8.1f ms (%6.1f ns/op, %4.2fx Linux)  free %8.1f ms (%6.1f ns/op, %4.2fx Linux)  chunks %d\n",
	       size, order_name[order], t1 - t0, (t1 - t0) * 1e6 / n,
	       (t1 - t0) / lx->alloc, t2 - t1, (t2 - t1) * 1e6 / n,
	       (t2 - t1) / lx->free, nr_chunks);
}

/*
 * Zhou's second pattern: every chunk already has its second half full
 * (here: one area holding it, taken as each chunk is made), then 2^20
 * allocations, freed in order.  Only the timed areas are counted.
 */
static void second_half_filled(size_t size)
{
	const struct linux_ms *lx = linux_figures(size);
	int n = NR_OPS, half = UNIT_PAGES * 4096 / 2;
	double t0, t1, t2;

	reset();
	half_filled = half;
	t0 = now_ms();
	for (int i = 0; i < n; i++)
		bench_alloc(&areas[i], size, size < 8 ? size : 8);
	t1 = now_ms();
	for (int i = 0; i < n; i++)
		bench_free(&areas[i]);
	t2 = now_ms();
	half_filled = 0;
	printf("  %5zu B  2nd half full  alloc %8.1f ms (%6.1f ns/op, %4.2fx Linux)  free %8.1f ms (%6.1f ns/op, %4.2fx Linux)  chunks %d\n",
	       size, t1 - t0, (t1 - t0) * 1e6 / n, (t1 - t0) / lx->half_alloc,
	       t2 - t1, (t2 - t1) * 1e6 / n, (t2 - t1) / lx->half_free,
	       nr_chunks);
}

/* Fill chunks, free every other area, then refill the holes. */
static void half_full(size_t size)
{
	int n = NR_OPS / 4;
	double t0, t1, t2;

	reset();
	for (int i = 0; i < n; i++)
		bench_alloc(&areas[i], size, 4);
	for (int i = 0; i < n; i += 2)
		bench_free(&areas[i]);
	t0 = now_ms();
	for (int i = 0; i < n; i += 2)
		bench_alloc(&areas[i], size, 4);
	t1 = now_ms();
	/* And churn: free one, take one, in the full chunks. */
	for (int r = 0; r < 4; r++)
		for (int i = r; i < n; i += 4) {
			bench_free(&areas[i]);
			bench_alloc(&areas[i], size, 4);
		}
	t2 = now_ms();
	printf("  %5zu B  refill %d holes %8.1f ms (%6.1f ns/op); churn %d free+alloc %8.1f ms (%6.1f ns/op)\n",
	       size, n / 2, t1 - t0, (t1 - t0) * 1e6 / (n / 2), n,
	       t2 - t1, (t2 - t1) * 1e6 / n);
}

/* One big chunk filled with 'size' allocations; ns/op per tenth. */
static void fill_curve(size_t size, int pages)
{
	size_t meta = pcpu_chunk_meta_bytes(pages);
	struct pcpu_chunk *c = calloc(1, sizeof(*c) + meta);
	int total = pages * 4096 / (int)size, done = 0;

	if (!c) {
		perror("calloc");
		exit(1);
	}
	pcpu_chunk_init(c, c + 1, pages, 0, 0);
	printf("  %5zu B in one %d KiB chunk, ns per alloc by fill:", size,
	       pages * 4);
	for (int tenth = 1; tenth <= 10; tenth++) {
		int upto = total * tenth / 10, k = upto - done;
		double t0 = now_ms();

		for (; done < upto; done++)
			if (pcpu_chunk_alloc(c, size, 4) < 0) {
				fprintf(stderr, "bench: chunk full early\n");
				exit(1);
			}
		printf(" %5.0f", (now_ms() - t0) * 1e6 / (k ? k : 1));
	}
	printf("\n");
	free(c);
}

int main(void)
{
	static const size_t sizes[] = { 4, 16, 64, 1024 };

	for (int s = 0; s < PCPU_NR_SLOTS; s++)
		INIT_LIST_HEAD(&slots[s]);
	areas = calloc(NR_OPS, sizeof(*areas));
	if (!areas) {
		perror("calloc");
		return 1;
	}
	printf("percpu-bench: mm/percpu-chunk.c, %d allocations per pattern, %d KiB chunks\n",
	       NR_OPS, UNIT_PAGES * 4);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		for (int o = IN_ORDER; o <= ALTERNATING; o++)
			pattern(sizes[i], o);
	printf("Zhou's variant, each chunk's second half full, freed in order:\n");
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
		second_half_filled(sizes[i]);
	printf("half-full chunks:\n");
	half_full(4);
	half_full(64);
	printf("cost per operation as a chunk fills (tenths 1..10):\n");
	fill_curve(4, 64);
	fill_curve(16, 64);
	fill_curve(16, 256);
	fill_curve(1024, 256);
	reset();
	free(areas);
	return 0;
}
