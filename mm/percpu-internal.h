/*
 * mm/percpu-internal.h - the per-CPU chunk, shared by the pure allocator
 * core (mm/percpu-chunk.c), the kernel glue (mm/percpu.c), the host tests
 * (tests/host/test_percpu_chunk.c) and the benchmark (tools/percpu-bench.c).
 *
 * Linux: mm/percpu-internal.h (v4.14+, the bitmap allocator).  A chunk
 * covers one unit's worth of offsets; the same offset is used in every
 * CPU's unit.  Inside, memory is counted in 4-byte "bits"
 * (PCPU_MIN_ALLOC_SIZE), and the region is cut in blocks of one page
 * (PCPU_BITMAP_BLOCK_SIZE), each with a small summary (struct
 * pcpu_block_md) so a search skips blocks that cannot hold a request:
 *
 *   offset 0                                                  region end
 *   | hidden | ..... usable ....................... | hidden |
 *   |<-start_offset->|                              |<-end_offset->|
 *
 *   alloc_map  1 = the 4 bytes are in use (hidden parts count as used)
 *   bound_map  1 = an allocation starts here; one extra bit at the end,
 *              so an allocation ends where the next 1 (after its start) is
 *   md_blocks  per page: contig_hint (largest free run inside), its start,
 *              left_free / right_free (free bits touching each edge),
 *              first_free
 *
 * Invariants (checked after every step by the host test): the block
 * hints are exact for the block's bits; chunk->contig_bits is the length
 * of the largest free run in the chunk and contig_bits_start one such
 * run's start; first_bit is the first free bit; free_bytes counts the
 * free usable bytes; nr_alloc counts allocations, not the hidden areas.
 */
#ifndef MM_PERCPU_INTERNAL_H
#define MM_PERCPU_INTERNAL_H

#include <kernel/list.h>

#define PCPU_MIN_ALLOC_SHIFT	2
#define PCPU_MIN_ALLOC_SIZE	(1 << PCPU_MIN_ALLOC_SHIFT)
#define PCPU_BITMAP_BLOCK_SIZE	4096	/* one page */
#define PCPU_BITMAP_BLOCK_BITS	(PCPU_BITMAP_BLOCK_SIZE >> PCPU_MIN_ALLOC_SHIFT)
#define PCPU_BITS_PER_LONG	(8 * (int)sizeof(unsigned long))

/* Chunk slots by largest free run, as Linux's pcpu_slot[]; the last one
 * holds wholly empty chunks. */
#define PCPU_NR_SLOTS		24

struct pcpu_block_md {
	int contig_hint;	/* largest free run inside the block, bits */
	int contig_hint_start;	/* its start, block-relative */
	int left_free;		/* free bits at the block's start */
	int right_free;		/* free bits at its end */
	int first_free;		/* first free bit, block-relative (or BITS) */
};

struct pcpu_chunk {
	/* ---- the pure part (mm/percpu-chunk.c) ---- */
	int nr_pages;			/* region size / PCPU_BITMAP_BLOCK_SIZE */
	int start_offset;		/* hidden bytes at the start */
	int end_offset;			/* hidden bytes at the end */
	unsigned long *alloc_map;
	unsigned long *bound_map;
	struct pcpu_block_md *md_blocks;
	int free_bytes;			/* usable bytes not allocated */
	int contig_bits;		/* largest free run, bits */
	int contig_bits_start;
	int first_bit;			/* first free bit */
	int nr_alloc;			/* live allocations */
	int max_alloc_size;		/* largest ever made here, bytes */

	/* ---- the kernel glue's part (mm/percpu.c) ---- */
	struct list_head list;		/* in a pcpu_slot[] list */
	int slot;			/* which one; -1 when in none */
	void *base_addr;		/* template-space address of offset 0 */
	unsigned long vm_addr;		/* dynamic chunks: the vmap area */
	unsigned long *populated;	/* per page of the unit */
	int nr_populated;
	bool immutable;			/* first-chunk memory: never unmapped */
	bool reserved;			/* the reserved chunk */
};

/* Totals over all chunks, Linux's pcpu_stats (mm/percpu-stats.c). */
struct pcpu_global_stats {
	unsigned long long nr_alloc;	/* allocations ever made */
	unsigned long long nr_dealloc;	/* frees ever made */
	unsigned long long nr_cur_alloc; /* live: nr_alloc - nr_dealloc */
	unsigned long long nr_max_alloc; /* the most live at once */
	unsigned int nr_chunks;		/* dynamic ones, first chunk included */
	unsigned int nr_max_chunks;
	size_t min_alloc_size;		/* over all allocations ever */
	size_t max_alloc_size;
};

/* A chunk's shape, from its bitmaps (mm/percpu-stats.c chunk_map_stats). */
struct pcpu_chunk_stats {
	int nr_alloc;
	int free_bytes;
	int contig_bytes;	/* largest free run */
	int first_bit;
	int sum_frag;		/* free bytes in holes between allocations */
	int max_frag;		/* the largest hole */
	int nr_frags;		/* holes */
	int cur_min_alloc;	/* live allocations' sizes */
	int cur_max_alloc;
};

/* ---- the pure core ---- */

/* Bytes of zeroed metadata pcpu_chunk_init() needs for a region. */
size_t pcpu_chunk_meta_bytes(int nr_pages);
/*
 * Lay a chunk over 'meta' (pcpu_chunk_meta_bytes(nr_pages) zeroed bytes):
 * nr_pages pages of offsets, the first start_offset and the last
 * end_offset bytes hidden (multiples of PCPU_MIN_ALLOC_SIZE).
 */
void pcpu_chunk_init(struct pcpu_chunk *chunk, void *meta, int nr_pages,
		     int start_offset, int end_offset);
/*
 * Take 'size' bytes (rounded up to PCPU_MIN_ALLOC_SIZE) aligned to
 * 'align' (a power of two, at most PCPU_BITMAP_BLOCK_SIZE) relative to
 * offset 0; the byte offset, or -1 when nothing fits (the chunk is
 * unchanged).
 */
int pcpu_chunk_alloc(struct pcpu_chunk *chunk, size_t size, size_t align);
/* Give back the allocation starting at byte 'off'; its size in bytes, or
 * -1 (nothing changes) if no allocation starts there. */
int pcpu_chunk_free(struct pcpu_chunk *chunk, int off);
/* Bytes of the allocation starting at 'off', or -1. */
int pcpu_chunk_alloc_size(const struct pcpu_chunk *chunk, int off);
static inline bool pcpu_chunk_is_empty(const struct pcpu_chunk *chunk)
{
	return chunk->nr_alloc == 0;
}
static inline int pcpu_chunk_region_bits(const struct pcpu_chunk *chunk)
{
	return chunk->nr_pages * PCPU_BITMAP_BLOCK_BITS;
}
static inline int pcpu_chunk_usable_bytes(const struct pcpu_chunk *chunk)
{
	return chunk->nr_pages * PCPU_BITMAP_BLOCK_SIZE -
	       chunk->start_offset - chunk->end_offset;
}
void pcpu_chunk_get_stats(const struct pcpu_chunk *chunk,
			  struct pcpu_chunk_stats *st);

/* One allocation, or one maximal free run, of a chunk's usable region. */
struct pcpu_chunk_area {
	int offset;		/* bytes from the chunk's offset 0 */
	int size;		/* bytes */
	bool used;		/* an allocation (else a free run) */
};
/*
 * Walk the usable region in address order, as alternating allocations
 * and free runs (two allocations may also touch): start with *pos = 0;
 * each call fills *area with the area at byte *pos (never before
 * start_offset), moves *pos past it and returns 1; 0 at the end of the
 * usable region.  The areas tile the usable region exactly.  *pos must be
 * 0 or a value a previous call left.
 */
int pcpu_chunk_next_area(const struct pcpu_chunk *chunk, int *pos,
			 struct pcpu_chunk_area *area);

/* Which slot a chunk belongs in, and the first slot that may hold a
 * chunk able to serve 'size' bytes. */
int pcpu_chunk_slot(const struct pcpu_chunk *chunk);
int pcpu_size_to_slot(size_t size);

/* Global counters: one allocation of 'size' bytes made, one freed. */
void pcpu_stats_area_alloc(struct pcpu_global_stats *st, size_t size);
void pcpu_stats_area_dealloc(struct pcpu_global_stats *st);

/* Bitmap helpers (also used by the tests). */
static inline bool pcpu_test_bit(const unsigned long *map, int bit)
{
	return (map[bit / PCPU_BITS_PER_LONG] >>
		(bit % PCPU_BITS_PER_LONG)) & 1;
}
int pcpu_find_next_bit(const unsigned long *map, int size, int start);
int pcpu_find_next_zero_bit(const unsigned long *map, int size, int start);

#endif
