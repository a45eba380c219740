/*
 * tests/host/test_percpu_chunk.c - the per-CPU chunk allocator
 * (mm/percpu-chunk.c) against a brute-force model, under ASan and UBSan.
 *
 * The model keeps, per 4-byte granule, who owns it (free, hidden, or an
 * allocation's number).  After every step the chunk must agree with it:
 * no two allocations overlap, each is aligned as asked, free_bytes is
 * exact, every block hint and the chunk's hints equal what a scan of the
 * model finds (so they are never larger than the truth), an allocation
 * lands exactly on the model's first fit and fails only when the model
 * has no fit, a refused request or a bad free changes no byte of the
 * chunk, and nr_alloc - nr_dealloc == nr_cur_alloc.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../mm/percpu-chunk.c"
#include "rng.h"

#define GRAN		PCPU_MIN_ALLOC_SIZE
#define HIDDEN		(-1)
#define MAX_LIVE	8192

struct model {
	struct pcpu_chunk chunk;
	void *meta;
	size_t meta_bytes;
	int nbits;
	int *owner;		/* per granule: 0 free, HIDDEN, or id */
	int live_off[MAX_LIVE];	/* by id - 1; -1 when not live */
	int live_size[MAX_LIVE];
	int next_id;
	int nr_live;
	struct pcpu_global_stats gstats;
};


static void model_init(struct model *m, int nr_pages, int start_off,
		       int end_off)
{
	memset(m, 0, sizeof(*m));
	m->meta_bytes = pcpu_chunk_meta_bytes(nr_pages);
	m->meta = calloc(1, m->meta_bytes);
	assert_non_null(m->meta);
	pcpu_chunk_init(&m->chunk, m->meta, nr_pages, start_off, end_off);
	m->nbits = nr_pages * PCPU_BITMAP_BLOCK_BITS;
	m->owner = calloc(m->nbits, sizeof(int));
	assert_non_null(m->owner);
	for (int i = 0; i < start_off / GRAN; i++)
		m->owner[i] = HIDDEN;
	for (int i = m->nbits - end_off / GRAN; i < m->nbits; i++)
		m->owner[i] = HIDDEN;
	for (int i = 0; i < MAX_LIVE; i++)
		m->live_off[i] = -1;
	m->next_id = 1;
}

static void model_free(struct model *m)
{
	free(m->meta);
	free(m->owner);
}

/* The model's first fit for bits with alignment, or -1. */
static int model_first_fit(const struct model *m, int bits, int align_bits)
{
	for (int s = 0; s + bits <= m->nbits; s += align_bits) {
		int ok = 1;

		for (int i = s; i < s + bits; i++) {
			if (m->owner[i]) {
				ok = 0;
				break;
			}
		}
		if (ok)
			return s;
	}
	return -1;
}

/* Everything the chunk says, against the model. */
static void model_check_areas(const struct model *m);

static void model_check(const struct model *m)
{
	const struct pcpu_chunk *c = &m->chunk;
	int free_bits = 0, best = 0, first = -1, run = 0;
	int lo = c->start_offset / GRAN, hi = m->nbits - c->end_offset / GRAN;
	int last_alloc = lo, holes = 0, sum_frag = 0, max_frag = 0;
	int min_a = 0, max_a = 0;
	struct pcpu_chunk_stats st;

	for (int i = 0; i < m->nbits; i++) {
		bool used = pcpu_test_bit(c->alloc_map, i);

		assert_int_equal(used, m->owner[i] != 0);
		if (!m->owner[i]) {
			free_bits++;
			if (first < 0)
				first = i;
			run++;
			if (run > best)
				best = run;
		} else {
			run = 0;
		}
	}
	assert_int_equal(c->free_bytes, free_bits * GRAN);
	assert_int_equal(c->contig_bits, best);
	assert_int_equal(c->first_bit, first < 0 ? m->nbits : first);
	/* contig_bits_start names a free run of that length. */
	for (int i = 0; i < c->contig_bits; i++)
		assert_int_equal(m->owner[c->contig_bits_start + i], 0);

	/* Each block's hints, exactly. */
	for (int b = 0; b < c->nr_pages; b++) {
		const struct pcpu_block_md *md = &c->md_blocks[b];
		int s = b * PCPU_BITMAP_BLOCK_BITS, e = s + PCPU_BITMAP_BLOCK_BITS;
		int bbest = 0, bfirst = PCPU_BITMAP_BLOCK_BITS, left = 0, right = 0;

		run = 0;
		for (int i = s; i < e; i++) {
			if (!m->owner[i]) {
				run++;
				if (bfirst == PCPU_BITMAP_BLOCK_BITS)
					bfirst = i - s;
				if (run > bbest)
					bbest = run;
			} else {
				run = 0;
			}
		}
		right = run;
		while (s + left < e && !m->owner[s + left])
			left++;
		assert_int_equal(md->contig_hint, bbest);
		assert_int_equal(md->left_free, left);
		assert_int_equal(md->right_free, right);
		assert_int_equal(md->first_free, bfirst);
		for (int i = 0; i < md->contig_hint; i++)
			assert_int_equal(m->owner[s + md->contig_hint_start + i], 0);
	}

	/* Live allocations: in range, aligned (checked at alloc), sizes. */
	assert_int_equal(c->nr_alloc, m->nr_live);
	for (int id = 1; id < m->next_id; id++) {
		int off = m->live_off[id - 1];

		if (off < 0)
			continue;
		assert_int_equal(pcpu_chunk_alloc_size(c, off),
				 m->live_size[id - 1]);
		for (int i = 0; i < m->live_size[id - 1] / GRAN; i++)
			assert_int_equal(m->owner[off / GRAN + i], id);
	}

	/* Statistics: holes between allocations, live sizes. */
	for (int i = lo; i < hi; i++)
		if (m->owner[i] > 0)
			last_alloc = i + 1;
	run = 0;
	for (int i = lo; i <= last_alloc; i++) {
		if (i < last_alloc && !m->owner[i]) {
			run++;
			continue;
		}
		if (run) {
			holes++;
			sum_frag += run * GRAN;
			if (run * GRAN > max_frag)
				max_frag = run * GRAN;
		}
		run = 0;
	}
	for (int id = 1; id < m->next_id; id++) {
		int sz = m->live_size[id - 1];

		if (m->live_off[id - 1] < 0)
			continue;
		if (!min_a || sz < min_a)
			min_a = sz;
		if (sz > max_a)
			max_a = sz;
	}
	pcpu_chunk_get_stats(c, &st);
	assert_int_equal(st.nr_alloc, m->nr_live);
	assert_int_equal(st.free_bytes, free_bits * GRAN);
	assert_int_equal(st.contig_bytes, best * GRAN);
	assert_int_equal(st.nr_frags, holes);
	assert_int_equal(st.sum_frag, sum_frag);
	assert_int_equal(st.max_frag, max_frag);
	assert_int_equal(st.cur_min_alloc, min_a);
	assert_int_equal(st.cur_max_alloc, max_a);

	assert_int_equal(m->gstats.nr_alloc - m->gstats.nr_dealloc,
			 m->gstats.nr_cur_alloc);
	assert_int_equal(m->gstats.nr_cur_alloc, m->nr_live);
	model_check_areas(m);
}

/*
 * pcpu_chunk_next_area() against the model: the areas tile the usable
 * region with no gap; each used one is exactly one live allocation; each
 * free one is a maximal run of free granules; every live allocation is
 * met once.
 */
static void model_check_areas(const struct model *m)
{
	const struct pcpu_chunk *c = &m->chunk;
	int lo = c->start_offset / GRAN, hi = m->nbits - c->end_offset / GRAN;
	int pos = 0, expect = lo * GRAN, used = 0, steps = 0;
	struct pcpu_chunk_area a;

	while (pcpu_chunk_next_area(c, &pos, &a)) {
		int first = a.offset / GRAN, last = (a.offset + a.size) / GRAN;

		assert_true(++steps <= m->nbits);
		assert_int_equal(a.offset, expect);
		assert_true(a.size > 0);
		assert_int_equal(pos, a.offset + a.size);
		if (a.used) {
			int id = m->owner[first];

			assert_true(id > 0);
			assert_int_equal(m->live_off[id - 1], a.offset);
			assert_int_equal(m->live_size[id - 1], a.size);
			used++;
		} else {
			for (int i = first; i < last; i++)
				assert_int_equal(m->owner[i], 0);
			assert_true(first == lo || m->owner[first - 1] != 0);
			assert_true(last == hi || m->owner[last] != 0);
		}
		expect = a.offset + a.size;
	}
	assert_int_equal(expect, hi * GRAN);
	assert_int_equal(used, m->nr_live);
	/* At the end it stays at the end. */
	assert_int_equal(pcpu_chunk_next_area(c, &pos, &a), 0);
}

/* Snapshot of the whole chunk, to prove a refusal changed nothing. */
struct snapshot {
	struct pcpu_chunk chunk;
	unsigned char *meta;
};

static void snap(const struct model *m, struct snapshot *s)
{
	s->chunk = m->chunk;
	s->meta = malloc(m->meta_bytes);
	assert_non_null(s->meta);
	memcpy(s->meta, m->meta, m->meta_bytes);
}

static void snap_same(const struct model *m, struct snapshot *s)
{
	assert_memory_equal(&s->chunk, &m->chunk, sizeof(s->chunk));
	assert_memory_equal(s->meta, m->meta, m->meta_bytes);
	free(s->meta);
}

/* Allocate through the chunk and the model; returns the id or 0. */
static int do_alloc(struct model *m, size_t size, size_t align)
{
	int bits = (int)((size + GRAN - 1) / GRAN);
	int align_bits = align < GRAN ? 1 : (int)(align / GRAN);
	int want = model_first_fit(m, bits, align_bits);
	struct snapshot s;
	int off, id;

	snap(m, &s);
	off = pcpu_chunk_alloc(&m->chunk, size, align);
	if (want < 0) {
		assert_int_equal(off, -1);
		snap_same(m, &s);
		return 0;
	}
	free(s.meta);
	assert_int_equal(off, want * GRAN);
	assert_int_equal(off % align, 0);
	assert_true(m->next_id <= MAX_LIVE);
	id = m->next_id++;
	for (int i = 0; i < bits; i++) {
		assert_int_equal(m->owner[want + i], 0);	/* no overlap */
		m->owner[want + i] = id;
	}
	m->live_off[id - 1] = off;
	m->live_size[id - 1] = bits * GRAN;
	m->nr_live++;
	pcpu_stats_area_alloc(&m->gstats, size);
	return id;
}

static void do_free(struct model *m, int id)
{
	int off = m->live_off[id - 1], size = m->live_size[id - 1];

	assert_int_equal(pcpu_chunk_free(&m->chunk, off), size);
	for (int i = 0; i < size / GRAN; i++)
		m->owner[off / GRAN + i] = 0;
	m->live_off[id - 1] = -1;
	m->nr_live--;
	pcpu_stats_area_dealloc(&m->gstats);
}

static int random_live(struct model *m)
{
	int id;

	if (!m->nr_live)
		return 0;
	do {
		id = 1 + (int)(rnd() % (uint64_t)(m->next_id - 1));
	} while (m->live_off[id - 1] < 0);
	return id;
}

static size_t random_size(int max)
{
	switch (rnd() % 4) {
	case 0:
		return 1 + rnd() % 16;
	case 1:
		return 1 + rnd() % 128;
	case 2:
		return 1 + rnd() % 1024;
	default:
		return 1 + rnd() % (uint64_t)max;
	}
}

static void random_run(int nr_pages, int start_off, int end_off,
		       uint64_t seed, int steps)
{
	struct model m;

	rng_state = seed;
	model_init(&m, nr_pages, start_off, end_off);
	model_check(&m);
	for (int step = 0; step < steps && m.next_id < MAX_LIVE; step++) {
		uint64_t r = rnd() % 100;

		if (r < 55 || !m.nr_live) {
			size_t align = (size_t)1 << (rnd() % 13);	/* 1..4096 */

			do_alloc(&m, random_size(nr_pages * 4096), align);
		} else if (r < 95) {
			do_free(&m, random_live(&m));
		} else {
			/* A bad free: not the start of an allocation. */
			struct snapshot s;
			int off = (int)(rnd() % (uint64_t)(nr_pages * 4096));
			int id = m.owner[off / GRAN];

			if (id > 0 && m.live_off[id - 1] == off)
				continue;
			snap(&m, &s);
			assert_int_equal(pcpu_chunk_free(&m.chunk, off), -1);
			snap_same(&m, &s);
		}
		model_check(&m);
	}
	/* Free the rest; the chunk is as new. */
	while (m.nr_live) {
		do_free(&m, random_live(&m));
		model_check(&m);
	}
	assert_int_equal(m.chunk.free_bytes, pcpu_chunk_usable_bytes(&m.chunk));
	assert_true(pcpu_chunk_is_empty(&m.chunk));
	model_free(&m);
}

static void test_random_plain(void **state)
{
	(void)state;
	random_run(4, 0, 0, 0x9e3779b97f4a7c15ULL, 6000);
	random_run(1, 0, 0, 12345, 3000);
}

static void test_random_hidden(void **state)
{
	(void)state;
	/* The first chunk's shape: a static prefix, a reserved middle. */
	random_run(4, 0x1240, 4096 * 4 - 0x1240 - 8192, 777, 4000);
	random_run(5, 0x2340, 0, 4242, 6000);
	random_run(3, 4, 4, 99, 3000);
}

static void test_random_small_sizes(void **state)
{
	struct model m;

	(void)state;
	rng_state = 31337;
	model_init(&m, 2, 64, 0);
	for (int step = 0; step < 6000; step++) {
		if (rnd() % 3 || !m.nr_live)
			do_alloc(&m, 1 + rnd() % 24, (size_t)1 << (rnd() % 4));
		else
			do_free(&m, random_live(&m));
		model_check(&m);
	}
	model_free(&m);
}

/* Refused requests: size 0, bad alignment, too big; nothing changes. */
static void test_refusals(void **state)
{
	struct model m;
	struct snapshot s;
	size_t bad_align[] = { 0, 3, 12, 8192 };

	(void)state;
	model_init(&m, 2, 0x100, 0);
	do_alloc(&m, 100, 8);
	for (size_t i = 0; i < sizeof(bad_align) / sizeof(bad_align[0]); i++) {
		snap(&m, &s);
		assert_int_equal(pcpu_chunk_alloc(&m.chunk, 16, bad_align[i]), -1);
		snap_same(&m, &s);
	}
	snap(&m, &s);
	assert_int_equal(pcpu_chunk_alloc(&m.chunk, 0, 4), -1);
	assert_int_equal(pcpu_chunk_alloc(&m.chunk, 2 * 4096, 4), -1);
	/* hidden areas cannot be freed */
	assert_int_equal(pcpu_chunk_free(&m.chunk, 0), -1);
	assert_int_equal(pcpu_chunk_free(&m.chunk, 0x104), -1);
	snap_same(&m, &s);
	model_check(&m);
	model_free(&m);
}

/* The reserved chunk: filled exactly, then emptied three ways. */
enum order { IN_ORDER, REVERSE, INTERLEAVED };

static void fill_and_empty(enum order order, size_t size, size_t align)
{
	const int s = 0x1240, r = 8192;
	struct model m;
	int ids[8192], n = 0;

	model_init(&m, 4, s, 4 * 4096 - s - r);
	while ((ids[n] = do_alloc(&m, size, align)) != 0) {
		n++;
		model_check(&m);
	}
	/* Full: one more of the smallest size fails and changes nothing. */
	assert_int_equal(m.chunk.free_bytes, r - n * (int)size);
	if (m.chunk.free_bytes == 0)
		assert_int_equal(do_alloc(&m, 4, 4), 0);
	for (int i = 0; i < n; i++) {
		int k = order == IN_ORDER ? i : order == REVERSE ? n - 1 - i :
			(i < (n + 1) / 2 ? 2 * i : 2 * (i - (n + 1) / 2) + 1);

		do_free(&m, ids[k]);
		model_check(&m);
	}
	assert_int_equal(m.chunk.free_bytes, r);
	assert_int_equal(m.chunk.contig_bits, r / GRAN);
	model_free(&m);
}

/*
 * The free path's shortcuts (a freed area meeting a block's left_free,
 * right_free or contig_hint, or the chunk's largest run) and the
 * allocation path's (the piece left is the only run; another run as long
 * as the cut one): a chunk of three blocks filled with one size, emptied
 * in each order, and half emptied then refilled, every step checked
 * against the model.  Sizes that cross block edges included.
 */
static void free_orders_and_holes(size_t size, int start_off)
{
	for (int order = IN_ORDER; order <= INTERLEAVED + 1; order++) {
		struct model m;
		int ids[3 * 1024 + 1], n = 0;

		model_init(&m, 3, start_off, 0);
		while ((ids[n] = do_alloc(&m, size, 4)) != 0) {
			n++;
			model_check(&m);
		}
		if (order == INTERLEAVED + 1) {
			/* Every other one freed, the holes refilled. */
			for (int i = 0; i < n; i += 2) {
				do_free(&m, ids[i]);
				model_check(&m);
			}
			for (int i = 0; i < n; i += 2) {
				ids[i] = do_alloc(&m, size, 4);
				assert_int_not_equal(ids[i], 0);
				model_check(&m);
			}
		}
		for (int i = 0; i < n; i++) {
			int k = order == REVERSE ? n - 1 - i :
				order == INTERLEAVED ?
				(i < (n + 1) / 2 ? 2 * i :
				 2 * (i - (n + 1) / 2) + 1) : i;

			do_free(&m, ids[k]);
			model_check(&m);
		}
		assert_true(pcpu_chunk_is_empty(&m.chunk));
		model_free(&m);
	}
}

static void test_free_orders_and_holes(void **state)
{
	static const size_t sizes[] = { 4, 12, 64, 1000, 1028, 4100 };

	(void)state;
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		free_orders_and_holes(sizes[i], 0);
		free_orders_and_holes(sizes[i], 0x240);
	}
}

static void test_reserved_fill(void **state)
{
	(void)state;
	for (int o = IN_ORDER; o <= INTERLEAVED; o++) {
		fill_and_empty(o, 64, 64);	/* exactly 128 */
		fill_and_empty(o, 4, 4);	/* exactly 2048 */
		fill_and_empty(o, 256, 32);	/* exactly 32 */
		fill_and_empty(o, 304, 32);	/* the kvm module's size */
	}
}

/* Mixed sizes summing to the reserved size exactly. */
static void test_reserved_exact_mixed(void **state)
{
	const int s = 0x40, r = 8192;
	struct model m;
	int ids[4096], n = 0, left = r;

	(void)state;
	rng_state = 2024;
	model_init(&m, 3, s, 3 * 4096 - s - r);
	while (left) {
		int sz = 4 * (1 + (int)(rnd() % 40));

		if (sz > left)
			sz = left;
		ids[n] = do_alloc(&m, (size_t)sz, 4);
		assert_int_not_equal(ids[n], 0);
		n++;
		left -= sz;
		model_check(&m);
	}
	assert_int_equal(m.chunk.free_bytes, 0);
	assert_int_equal(do_alloc(&m, 1, 1), 0);
	for (int i = 0; i < n; i += 2)
		do_free(&m, ids[i]), model_check(&m);
	for (int i = 1; i < n; i += 2)
		do_free(&m, ids[i]), model_check(&m);
	assert_int_equal(m.chunk.free_bytes, r);
	model_free(&m);
}

/* Slots: empty chunks last, full ones first, as Linux's pcpu_slot. */
static void test_slots(void **state)
{
	struct model m;

	(void)state;
	model_init(&m, 1, 0, 0);
	assert_int_equal(pcpu_chunk_slot(&m.chunk), PCPU_NR_SLOTS - 1);
	do_alloc(&m, 4096 - 100, 4);
	assert_int_equal(pcpu_chunk_slot(&m.chunk), pcpu_size_to_slot(100));
	assert_true(pcpu_size_to_slot(100) <= pcpu_size_to_slot(64 + 36));
	assert_true(pcpu_size_to_slot(96) <= pcpu_size_to_slot(100));
	do_alloc(&m, 100, 4);
	assert_int_equal(pcpu_chunk_slot(&m.chunk), 0);
	model_free(&m);
	/* A chunk with hidden parts is never "wholly free". */
	model_init(&m, 2, 0x240, 0);
	assert_int_equal(pcpu_chunk_slot(&m.chunk),
			 pcpu_size_to_slot(2 * 4096 - 0x240));
	model_free(&m);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_plain),
		cmocka_unit_test(test_random_hidden),
		cmocka_unit_test(test_random_small_sizes),
		cmocka_unit_test(test_refusals),
		cmocka_unit_test(test_free_orders_and_holes),
		cmocka_unit_test(test_reserved_fill),
		cmocka_unit_test(test_reserved_exact_mixed),
		cmocka_unit_test(test_slots),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
