/*
 * mm/percpu-chunk.c - the allocator inside one per-CPU chunk: Linux's
 * bitmap allocator (mm/percpu.c since v4.14, Dennis Zhou's rewrite).
 *
 * Pure C over the chunk's bitmaps: no locks, no pages, no printing, no
 * kernel globals.  The kernel compiles it (the glue is mm/percpu.c, which
 * holds pcpu_lock around every call); tests/host/test_percpu_chunk.c and
 * tools/percpu-bench.c include it directly.
 *
 * The picture and the invariants are in mm/percpu-internal.h.  In short:
 * one bit per 4 bytes in alloc_map, a bit where each allocation starts
 * in bound_map, and per page a block summary:
 *
 *   block:      | used | free free | used used | free free free free |
 *   left_free = 0                         right_free = 4
 *   contig_hint = 4 (at 5), first_free = 1
 *
 * Finding room for n bits with alignment a (pcpu_find_block_fit):
 * walk the blocks from the block holding chunk->first_bit; a free run
 * that crosses a block edge is carried from one block's right_free into
 * the next block's left_free; a block is searched inside only when its
 * contig_hint says n bits can be there.  Full blocks cost one comparison.
 *
 * After a change the hints are kept exact, rescanning as little as
 * possible.  A free touches only the blocks its bits lie in: the ends of
 * the merged free run come from those blocks' hints (left_free,
 * right_free, contig_hint) or a scan bounded by the block, and the run
 * is carried across block edges through the neighbours' edge hints, so
 * its cost does not depend on the order of the frees
 * (pcpu_block_update_free, pcpu_chunk_extend_run).  An allocation that
 * cuts a block's or the chunk's largest run first tries what is cheap:
 * the piece left is the only run, or another run as long as the old one
 * is found after the cut; only then is the block rescanned
 * (pcpu_block_refresh: 1024 bits) or the block summaries walked
 * (pcpu_chunk_refresh_hint).  Linux >= 5.4 keeps a "scan hint" per
 * block for the same purpose, and lets the chunk's hint fall short by
 * up to a block after a free; we keep every hint exact instead.
 *
 * Simplification admitted: offsets and sizes are ints (a chunk is far
 * below 2 GiB).
 */
#include "percpu-internal.h"

#define BLOCK_BITS	PCPU_BITMAP_BLOCK_BITS
#define BPL		PCPU_BITS_PER_LONG

/* ---- bitmaps ------------------------------------------------------ */

static void set_bits(unsigned long *map, int start, int nr)
{
	for (int i = start; i < start + nr; ) {
		if (i % BPL == 0 && nr - (i - start) >= BPL) {
			map[i / BPL] = ~0UL;
			i += BPL;
		} else {
			map[i / BPL] |= 1UL << (i % BPL);
			i++;
		}
	}
}

static void clear_bits(unsigned long *map, int start, int nr)
{
	for (int i = start; i < start + nr; ) {
		if (i % BPL == 0 && nr - (i - start) >= BPL) {
			map[i / BPL] = 0;
			i += BPL;
		} else {
			map[i / BPL] &= ~(1UL << (i % BPL));
			i++;
		}
	}
}

static void set_bit1(unsigned long *map, int bit)
{
	map[bit / BPL] |= 1UL << (bit % BPL);
}

/* The first set bit in [start, size), or size. */
int pcpu_find_next_bit(const unsigned long *map, int size, int start)
{
	while (start < size) {
		unsigned long w = map[start / BPL] >> (start % BPL);

		if (w) {
			start += __builtin_ctzl(w);
			return start < size ? start : size;
		}
		start = (start / BPL + 1) * BPL;
	}
	return size;
}

/* The first clear bit in [start, size), or size. */
int pcpu_find_next_zero_bit(const unsigned long *map, int size, int start)
{
	while (start < size) {
		unsigned long w = ~map[start / BPL] >> (start % BPL);

		if (w) {
			start += __builtin_ctzl(w);
			return start < size ? start : size;
		}
		start = (start / BPL + 1) * BPL;
	}
	return size;
}

/* The last set bit in [0, before), or -1. */
static int find_prev_bit(const unsigned long *map, int before)
{
	int i = before - 1;

	while (i >= 0) {
		unsigned long w = map[i / BPL];
		int sh = BPL - 1 - (i % BPL);

		w <<= sh;	/* bit i to the top */
		if (w)
			return i - __builtin_clzl(w);
		i = (i / BPL) * BPL - 1;
	}
	return -1;
}

/* The last set bit in [lo, before), or lo - 1. */
static int find_prev_bit_bounded(const unsigned long *map, int lo, int before)
{
	int i = before - 1;

	while (i >= lo) {
		unsigned long w = map[i / BPL];
		int sh = BPL - 1 - (i % BPL);

		w <<= sh;	/* bit i to the top */
		if (w) {
			i -= __builtin_clzl(w);
			return i >= lo ? i : lo - 1;
		}
		i = (i / BPL) * BPL - 1;
	}
	return lo - 1;
}

/* ---- block and chunk hints ----------------------------------------- */

/* Recompute one block's summary from its bits. */
static void pcpu_block_refresh(struct pcpu_chunk *chunk, int index)
{
	struct pcpu_block_md *b = &chunk->md_blocks[index];
	int start = index * BLOCK_BITS, end = start + BLOCK_BITS;
	int rs, re;

	b->contig_hint = 0;
	b->contig_hint_start = 0;
	b->left_free = 0;
	b->right_free = 0;
	b->first_free = BLOCK_BITS;
	for (rs = pcpu_find_next_zero_bit(chunk->alloc_map, end, start);
	     rs < end;
	     rs = pcpu_find_next_zero_bit(chunk->alloc_map, end, re)) {
		re = pcpu_find_next_bit(chunk->alloc_map, end, rs);
		if (b->first_free == BLOCK_BITS)
			b->first_free = rs - start;
		if (rs == start)
			b->left_free = re - rs;
		if (re == end)
			b->right_free = re - rs;
		if (re - rs > b->contig_hint) {
			b->contig_hint = re - rs;
			b->contig_hint_start = rs - start;
		}
	}
}

/* The chunk's largest free run, from the block summaries alone. */
static void pcpu_chunk_refresh_hint(struct pcpu_chunk *chunk)
{
	int run_start = -1, run_len = 0;

	chunk->contig_bits = 0;
	chunk->contig_bits_start = 0;
	for (int i = 0; i < chunk->nr_pages; i++) {
		const struct pcpu_block_md *b = &chunk->md_blocks[i];
		int bstart = i * BLOCK_BITS;

		/* A run carried in from the left ends (or goes on) here. */
		if (run_len && b->left_free) {
			run_len += b->left_free;
		} else if (run_len == 0 && b->left_free) {
			run_start = bstart;
			run_len = b->left_free;
		}
		if (run_len > chunk->contig_bits) {
			chunk->contig_bits = run_len;
			chunk->contig_bits_start = run_start;
		}
		if (b->contig_hint > chunk->contig_bits) {
			chunk->contig_bits = b->contig_hint;
			chunk->contig_bits_start = bstart + b->contig_hint_start;
		}
		if (b->left_free == BLOCK_BITS)
			continue;	/* wholly free: the run goes on */
		run_len = b->right_free;
		run_start = bstart + BLOCK_BITS - b->right_free;
	}
}

/* The start of the first free run of at least 'want' bits that begins
 * in [from, end) and ends by end, or -1. */
static int block_find_run(const struct pcpu_chunk *chunk, int from, int end,
			  int want)
{
	int rs, re;

	for (rs = pcpu_find_next_zero_bit(chunk->alloc_map, end, from);
	     rs + want <= end;
	     rs = pcpu_find_next_zero_bit(chunk->alloc_map, end, re)) {
		re = pcpu_find_next_bit(chunk->alloc_map, end, rs);
		if (re - rs >= want)
			return rs;
	}
	return -1;
}

static bool runs_overlap(int a, int alen, int b, int blen)
{
	return a < b + blen && b < a + alen;
}

/*
 * Bits [start, start + nr) were just allocated (Linux's
 * pcpu_block_update_hint_alloc): a block whose largest run was cut is
 * rescanned; in the others only the edges and first_free can move.
 */
static void pcpu_block_update_alloc(struct pcpu_chunk *chunk, int start,
				    int nr)
{
	int first = start / BLOCK_BITS, last = (start + nr - 1) / BLOCK_BITS;

	for (int i = first; i <= last; i++) {
		struct pcpu_block_md *b = &chunk->md_blocks[i];
		int bstart = i * BLOCK_BITS, bend = bstart + BLOCK_BITS;
		int s = start > bstart ? start : bstart;
		int e = start + nr < bend ? start + nr : bend;

		int cut = runs_overlap(s, e - s, bstart + b->contig_hint_start,
				       b->contig_hint);
		int at_first = s == bstart + b->first_free;
		int hs = bstart + b->contig_hint_start;
		int he = hs + b->contig_hint;

		if (s < bstart + b->left_free)
			b->left_free = s - bstart;
		if (e > bend - b->right_free)
			b->right_free = bend - e;
		if (at_first)
			b->first_free = pcpu_find_next_zero_bit(chunk->alloc_map,
								bend, e) -
					bstart;
		if (!cut)
			continue;
		/* The largest run was cut.  Taken from the front of the
		 * block's last run, what is left of it is the only run. */
		if (at_first && he == bend) {
			b->contig_hint = bend - e;
			b->contig_hint_start = e - bstart;
			continue;
		}
		/* Another run as long as the old largest is the largest
		 * still (the common case when filling holes). */
		hs = block_find_run(chunk, e, bend, b->contig_hint);
		if (hs >= 0)
			b->contig_hint_start = hs - bstart;
		else
			pcpu_block_refresh(chunk, i);
	}
}

/*
 * Bits [bit, bit + bits) were just freed (Linux's
 * pcpu_block_update_hint_free).  Only the blocks they touch change, and
 * in each the freed bits join one free run, which can only make that
 * block's hints larger.  The run's ends are found from the hints the
 * blocks had before the free where they tell (the freed bits meet the
 * block's left_free, right_free or contig_hint), and by a scan that
 * never leaves the block where they do not: a free costs the same in
 * whatever order areas are freed.  *rs and *re return the free run of
 * the chunk now holding the bits, for the chunk's hint.
 */
static void pcpu_block_update_free(struct pcpu_chunk *chunk, int bit,
				   int bits, int *rs, int *re)
{
	int first = bit / BLOCK_BITS, last = (bit + bits - 1) / BLOCK_BITS;
	struct pcpu_block_md *fb = &chunk->md_blocks[first];
	struct pcpu_block_md *lb = &chunk->md_blocks[last];
	int fstart = first * BLOCK_BITS, lstart = last * BLOCK_BITS;
	int end = bit + bits, s, e;

	/* Where the run starts, inside the first block. */
	if (bit - fstart <= fb->left_free)
		s = fstart;
	else if (fb->contig_hint &&
		 bit - fstart == fb->contig_hint_start + fb->contig_hint)
		s = fstart + fb->contig_hint_start;
	else
		s = find_prev_bit_bounded(chunk->alloc_map, fstart, bit) + 1;
	/* Where it ends, inside the last block. */
	if (lstart + BLOCK_BITS - end <= lb->right_free)
		e = lstart + BLOCK_BITS;
	else if (lb->contig_hint && end - lstart == lb->contig_hint_start)
		e = lstart + lb->contig_hint_start + lb->contig_hint;
	else
		e = pcpu_find_next_bit(chunk->alloc_map, lstart + BLOCK_BITS,
				       end);

	for (int i = first; i <= last; i++) {
		struct pcpu_block_md *b = &chunk->md_blocks[i];
		int bstart = i * BLOCK_BITS, bend = bstart + BLOCK_BITS;
		int bs = s > bstart ? s : bstart, be = e < bend ? e : bend;

		if (be - bs > b->contig_hint) {
			b->contig_hint = be - bs;
			b->contig_hint_start = bs - bstart;
		}
		if (bs - bstart < b->first_free)
			b->first_free = bs - bstart;
		if (bs == bstart)
			b->left_free = be - bs;
		if (be == bend)
			b->right_free = be - bs;
	}
	*rs = s;
	*re = e;
}

/*
 * Freed bits [bit, end) lie in the free run [*rs, *re) of their blocks;
 * where that reaches a block edge, carry it on through the neighbouring
 * blocks' edge hints (a wholly free block passes it on).  The chunk's
 * largest run before the free is a maximal run: when it ends at bit or
 * starts at end, it is the run's other part, and no walk is needed.
 */
static void pcpu_chunk_extend_run(const struct pcpu_chunk *chunk, int bit,
				  int end, int *rs, int *re)
{
	int cs = chunk->contig_bits_start, ce = cs + chunk->contig_bits;
	int i;

	if (chunk->contig_bits && ce == bit)
		*rs = cs;
	for (i = *rs / BLOCK_BITS - 1; *rs % BLOCK_BITS == 0 && i >= 0; i--) {
		int f = chunk->md_blocks[i].right_free;

		*rs -= f;
		if (f != BLOCK_BITS)
			break;
	}
	if (chunk->contig_bits && cs == end)
		*re = ce;
	for (i = *re / BLOCK_BITS; *re % BLOCK_BITS == 0 && i < chunk->nr_pages;
	     i++) {
		int f = chunk->md_blocks[i].left_free;

		*re += f;
		if (f != BLOCK_BITS)
			break;
	}
}

/*
 * The first free run of at least 'want' bits found walking the block
 * summaries from block 'from', or -1.  A run reaching into 'from' from
 * the left is measured from the block's start only; when 'want' is the
 * largest length any run can have, a run measured that long cannot have
 * been cut short, so its start is right.
 */
static int pcpu_chunk_find_run(const struct pcpu_chunk *chunk, int from,
			       int want)
{
	int run_start = 0, run_len = 0;

	for (int i = from; i < chunk->nr_pages; i++) {
		const struct pcpu_block_md *b = &chunk->md_blocks[i];
		int bstart = i * BLOCK_BITS;

		if (!run_len)
			run_start = bstart;
		run_len += b->left_free;
		if (run_len >= want)
			return run_start;
		if (b->contig_hint >= want)
			return bstart + b->contig_hint_start;
		if (b->left_free == BLOCK_BITS)
			continue;
		run_len = b->right_free;
		run_start = bstart + BLOCK_BITS - b->right_free;
	}
	return -1;
}

/*
 * An allocation of [start, start + bits) cut the chunk's largest run
 * [cs, ce), leaving a piece on either side.  When the free bits outside
 * the run are fewer than the larger piece, that piece is the largest run
 * (filling an empty chunk); when another run as long as the old one is
 * found, it is (filling holes); else the block summaries are walked.
 */
static void pcpu_chunk_update_cut(struct pcpu_chunk *chunk, int start,
				  int bits)
{
	int cs = chunk->contig_bits_start, ce = cs + chunk->contig_bits;
	int left = start - cs, right = ce - (start + bits);
	int outside = (chunk->free_bytes >> PCPU_MIN_ALLOC_SHIFT) - left -
		      right;
	int found;

	if (outside <= left || outside <= right) {
		chunk->contig_bits = left >= right ? left : right;
		chunk->contig_bits_start = left >= right ? cs : start + bits;
		return;
	}
	found = pcpu_chunk_find_run(chunk, start / BLOCK_BITS,
				    chunk->contig_bits);
	if (found >= 0)
		chunk->contig_bits_start = found;
	else
		pcpu_chunk_refresh_hint(chunk);
}

/* ---- set up ---------------------------------------------------------- */

static int map_longs(int bits)
{
	return (bits + BPL - 1) / BPL;
}

size_t pcpu_chunk_meta_bytes(int nr_pages)
{
	int bits = nr_pages * BLOCK_BITS;

	return sizeof(unsigned long) * (map_longs(bits) + map_longs(bits + 1)) +
	       sizeof(struct pcpu_block_md) * nr_pages;
}

/* Mark [start, start + nr) used as one hidden area (not an allocation). */
static void pcpu_hide(struct pcpu_chunk *chunk, int start, int nr)
{
	set_bits(chunk->alloc_map, start, nr);
	set_bit1(chunk->bound_map, start);
	set_bit1(chunk->bound_map, start + nr);
}

void pcpu_chunk_init(struct pcpu_chunk *chunk, void *meta, int nr_pages,
		     int start_offset, int end_offset)
{
	int bits = nr_pages * BLOCK_BITS;
	unsigned long *m = meta;

	chunk->nr_pages = nr_pages;
	chunk->start_offset = start_offset;
	chunk->end_offset = end_offset;
	chunk->alloc_map = m;
	chunk->bound_map = m + map_longs(bits);
	chunk->md_blocks = (struct pcpu_block_md *)(chunk->bound_map +
						    map_longs(bits + 1));
	chunk->nr_alloc = 0;
	chunk->max_alloc_size = 0;
	/* The end of the region always ends whatever is before it. */
	set_bit1(chunk->bound_map, bits);
	if (start_offset)
		pcpu_hide(chunk, 0, start_offset >> PCPU_MIN_ALLOC_SHIFT);
	if (end_offset)
		pcpu_hide(chunk, bits - (end_offset >> PCPU_MIN_ALLOC_SHIFT),
			  end_offset >> PCPU_MIN_ALLOC_SHIFT);
	chunk->free_bytes = pcpu_chunk_usable_bytes(chunk);
	for (int i = 0; i < nr_pages; i++)
		pcpu_block_refresh(chunk, i);
	pcpu_chunk_refresh_hint(chunk);
	chunk->first_bit = pcpu_find_next_zero_bit(chunk->alloc_map, bits, 0);
}

/* ---- allocation ------------------------------------------------------ */

/* Does an aligned run of 'bits' fit in the free run [rs, re)? */
static int fit_in_run(int rs, int re, int bits, int align_bits)
{
	int s = (rs + align_bits - 1) & ~(align_bits - 1);

	return s + bits <= re ? s : -1;
}

/* The first bit of the first aligned free run of 'bits', or -1. */
static int pcpu_find_block_fit(struct pcpu_chunk *chunk, int bits,
			       int align_bits)
{
	int nbits = pcpu_chunk_region_bits(chunk);
	int carry_start = -1;	/* a free run reaching the current block */
	int i, s;

	for (i = chunk->first_bit / BLOCK_BITS; i < chunk->nr_pages; i++) {
		const struct pcpu_block_md *b = &chunk->md_blocks[i];
		int bstart = i * BLOCK_BITS, bend = bstart + BLOCK_BITS;

		if (carry_start >= 0) {
			s = fit_in_run(carry_start, bstart + b->left_free, bits,
				       align_bits);
			if (s >= 0)
				return s;
		}
		if (b->contig_hint >= bits) {
			int rs, re;

			for (rs = pcpu_find_next_zero_bit(chunk->alloc_map,
							  bend,
							  bstart + b->first_free);
			     rs < bend;
			     rs = pcpu_find_next_zero_bit(chunk->alloc_map,
							  bend, re)) {
				/* Look no further than the fit needs: a
				 * scan to the run's end would cost the
				 * whole free tail of the chunk. */
				int need = ((rs + align_bits - 1) &
					    ~(align_bits - 1)) + bits;

				re = pcpu_find_next_bit(chunk->alloc_map,
							need < nbits ? need :
							nbits, rs);
				s = fit_in_run(rs, re, bits, align_bits);
				if (s >= 0)
					return s;
			}
		}
		if (b->left_free == BLOCK_BITS) {
			if (carry_start < 0)
				carry_start = bstart;
		} else if (b->right_free) {
			carry_start = bend - b->right_free;
		} else {
			carry_start = -1;
		}
	}
	if (carry_start >= 0)
		return fit_in_run(carry_start, nbits, bits, align_bits);
	return -1;
}

int pcpu_chunk_alloc(struct pcpu_chunk *chunk, size_t size, size_t align)
{
	int bits, align_bits, start, nbits = pcpu_chunk_region_bits(chunk);

	if (size == 0 || size > (size_t)chunk->free_bytes || align == 0 ||
	    (align & (align - 1)) || align > PCPU_BITMAP_BLOCK_SIZE)
		return -1;
	bits = (int)((size + PCPU_MIN_ALLOC_SIZE - 1) >> PCPU_MIN_ALLOC_SHIFT);
	align_bits = align < PCPU_MIN_ALLOC_SIZE ?
		1 : (int)(align >> PCPU_MIN_ALLOC_SHIFT);
	if (bits > chunk->contig_bits)
		return -1;
	start = pcpu_find_block_fit(chunk, bits, align_bits);
	if (start < 0)
		return -1;

	/* Bounds: ours at both ends, none inside (free runs may keep stale
	 * bound bits; an allocation clears them from its interior). */
	set_bits(chunk->alloc_map, start, bits);
	set_bit1(chunk->bound_map, start);
	clear_bits(chunk->bound_map, start + 1, bits - 1);
	set_bit1(chunk->bound_map, start + bits);
	chunk->free_bytes -= bits << PCPU_MIN_ALLOC_SHIFT;
	chunk->nr_alloc++;
	if ((bits << PCPU_MIN_ALLOC_SHIFT) > chunk->max_alloc_size)
		chunk->max_alloc_size = bits << PCPU_MIN_ALLOC_SHIFT;

	pcpu_block_update_alloc(chunk, start, bits);
	if (start == chunk->first_bit)
		chunk->first_bit = pcpu_find_next_zero_bit(chunk->alloc_map,
							   nbits, start + bits);
	/* Other runs only shrank: the largest changes only if cut. */
	if (runs_overlap(start, bits, chunk->contig_bits_start,
			 chunk->contig_bits))
		pcpu_chunk_update_cut(chunk, start, bits);
	return start << PCPU_MIN_ALLOC_SHIFT;
}

int pcpu_chunk_alloc_size(const struct pcpu_chunk *chunk, int off)
{
	int nbits = pcpu_chunk_region_bits(chunk), bit, end;

	if (off < chunk->start_offset || off % PCPU_MIN_ALLOC_SIZE ||
	    off >= chunk->nr_pages * PCPU_BITMAP_BLOCK_SIZE - chunk->end_offset)
		return -1;
	bit = off >> PCPU_MIN_ALLOC_SHIFT;
	if (!pcpu_test_bit(chunk->bound_map, bit) ||
	    !pcpu_test_bit(chunk->alloc_map, bit))
		return -1;
	end = pcpu_find_next_bit(chunk->bound_map, nbits + 1, bit + 1);
	return (end - bit) << PCPU_MIN_ALLOC_SHIFT;
}

int pcpu_chunk_free(struct pcpu_chunk *chunk, int off)
{
	int size = pcpu_chunk_alloc_size(chunk, off);
	int bit, bits, rs, re;

	if (size < 0)
		return -1;
	bit = off >> PCPU_MIN_ALLOC_SHIFT;
	bits = size >> PCPU_MIN_ALLOC_SHIFT;

	/* The bound bits stay: harmless in a free run (see alloc). */
	clear_bits(chunk->alloc_map, bit, bits);
	chunk->free_bytes += size;
	chunk->nr_alloc--;

	if (bit < chunk->first_bit)
		chunk->first_bit = bit;
	/* The merged free run [rs, re); runs only grow when memory is freed,
	 * so each block it touches and the chunk need no rescan. */
	pcpu_block_update_free(chunk, bit, bits, &rs, &re);
	pcpu_chunk_extend_run(chunk, bit, bit + bits, &rs, &re);
	if (re - rs > chunk->contig_bits) {
		chunk->contig_bits = re - rs;
		chunk->contig_bits_start = rs;
	}
	return size;
}

/* ---- slots and statistics --------------------------------------------- */

static int fls_size(size_t v)
{
	int n = 0;

	while (v) {
		n++;
		v >>= 1;
	}
	return n;
}

int pcpu_size_to_slot(size_t size)
{
	int slot = fls_size(size);

	return slot < PCPU_NR_SLOTS - 2 ? slot : PCPU_NR_SLOTS - 2;
}

/* The last slot is for wholly free chunks, those a balance may release;
 * a chunk with hidden parts (the first chunk) never is one. */
int pcpu_chunk_slot(const struct pcpu_chunk *chunk)
{
	if (pcpu_chunk_is_empty(chunk) && !chunk->start_offset &&
	    !chunk->end_offset)
		return PCPU_NR_SLOTS - 1;
	return pcpu_size_to_slot((size_t)chunk->contig_bits
				 << PCPU_MIN_ALLOC_SHIFT);
}

void pcpu_stats_area_alloc(struct pcpu_global_stats *st, size_t size)
{
	st->nr_alloc++;
	st->nr_cur_alloc++;
	if (st->nr_cur_alloc > st->nr_max_alloc)
		st->nr_max_alloc = st->nr_cur_alloc;
	if (st->min_alloc_size == 0 || size < st->min_alloc_size)
		st->min_alloc_size = size;
	if (size > st->max_alloc_size)
		st->max_alloc_size = size;
}

void pcpu_stats_area_dealloc(struct pcpu_global_stats *st)
{
	st->nr_dealloc++;
	st->nr_cur_alloc--;
}

/*
 * Linux's chunk_map_stats (mm/percpu-stats.c): walk the usable region up
 * to the end of the last allocation as alternating areas and free runs.
 * sum_frag and max_frag are the holes *between* allocations (the free
 * tail is not fragmentation).
 */
void pcpu_chunk_get_stats(const struct pcpu_chunk *chunk,
			  struct pcpu_chunk_stats *st)
{
	int nbits = pcpu_chunk_region_bits(chunk);
	int lo = chunk->start_offset >> PCPU_MIN_ALLOC_SHIFT;
	int hi = nbits - (chunk->end_offset >> PCPU_MIN_ALLOC_SHIFT);
	int last_alloc = find_prev_bit(chunk->alloc_map, hi) + 1;
	int bit = lo;

	st->nr_alloc = chunk->nr_alloc;
	st->free_bytes = chunk->free_bytes;
	st->contig_bytes = chunk->contig_bits << PCPU_MIN_ALLOC_SHIFT;
	st->first_bit = chunk->first_bit;
	st->sum_frag = 0;
	st->max_frag = 0;
	st->nr_frags = 0;
	st->cur_min_alloc = 0;
	st->cur_max_alloc = 0;
	if (last_alloc < lo)
		last_alloc = lo;
	while (bit < last_alloc) {
		int end, bytes;

		if (pcpu_test_bit(chunk->alloc_map, bit)) {
			end = pcpu_find_next_bit(chunk->bound_map, nbits + 1,
						 bit + 1);
			bytes = (end - bit) << PCPU_MIN_ALLOC_SHIFT;
			if (st->cur_min_alloc == 0 || bytes < st->cur_min_alloc)
				st->cur_min_alloc = bytes;
			if (bytes > st->cur_max_alloc)
				st->cur_max_alloc = bytes;
		} else {
			end = pcpu_find_next_bit(chunk->alloc_map, last_alloc,
						 bit);
			bytes = (end - bit) << PCPU_MIN_ALLOC_SHIFT;
			st->nr_frags++;
			st->sum_frag += bytes;
			if (bytes > st->max_frag)
				st->max_frag = bytes;
		}
		bit = end;
	}
}

int pcpu_chunk_next_area(const struct pcpu_chunk *chunk, int *pos,
			 struct pcpu_chunk_area *area)
{
	int nbits = pcpu_chunk_region_bits(chunk);
	int lo = chunk->start_offset >> PCPU_MIN_ALLOC_SHIFT;
	int hi = nbits - (chunk->end_offset >> PCPU_MIN_ALLOC_SHIFT);
	int bit = *pos >> PCPU_MIN_ALLOC_SHIFT, end;

	if (bit < lo)
		bit = lo;
	if (bit >= hi)
		return 0;
	area->used = pcpu_test_bit(chunk->alloc_map, bit);
	if (area->used)		/* an allocation ends at the next bound */
		end = pcpu_find_next_bit(chunk->bound_map, nbits + 1, bit + 1);
	else			/* a free run at the next used bit */
		end = pcpu_find_next_bit(chunk->alloc_map, hi, bit);
	if (end > hi)
		end = hi;
	area->offset = bit << PCPU_MIN_ALLOC_SHIFT;
	area->size = (end - bit) << PCPU_MIN_ALLOC_SHIFT;
	*pos = end << PCPU_MIN_ALLOC_SHIFT;
	return 1;
}
