/*
 * mm/buddy.h - the buddy page allocator's pure core and struct page.
 *
 * Pure code (mm/buddy.c), shared by the kernel (mm/page_alloc.c wraps it
 * with a lock) and tests/host/test_buddy.c (which runs it on malloc'd
 * metadata, with no memory behind the page numbers at all).
 */
#ifndef MM_BUDDY_H
#define MM_BUDDY_H

#include <kernel/compiler.h>

#ifndef MAX_ORDER
#define MAX_ORDER		10
#endif

#define BUDDY_NONE		UINT32_MAX	/* end of a free list */
#define BUDDY_NO_PAGE		UINT64_MAX	/* allocation failed */

/* struct page flags */
#define PG_reserved	0x01	/* not managed: a hole, firmware, the kernel */
#define PG_buddy	0x02	/* first page of a free block; order valid */
#define PG_head		0x04	/* first page of an allocated block; order valid */
#define PG_slab		0x08	/* kmalloc: a page of small objects */
#define PG_large	0x10	/* kmalloc: first page of a large object */

/*
 * One per page frame, as Linux's struct page (much reduced).  The links
 * chain free blocks (PG_buddy) on the buddy free lists; on a PG_slab page
 * they chain the kmalloc partial list of its size class instead, as
 * Linux's page->lru serves both.  Indices, not pointers: 16 bytes a page.
 */
struct page {
	uint32_t next;		/* index into the page array, or BUDDY_NONE */
	uint32_t prev;
	uint8_t order;		/* PG_buddy / PG_head: block order */
	uint8_t flags;		/* PG_* */
	uint8_t slab_class;	/* PG_slab: kmalloc size class */
	uint8_t unused;
	uint16_t slab_inuse;	/* PG_slab: objects handed out */
	uint16_t slab_free;	/* PG_slab: offset of first free object,
				 * or SLAB_FREE_END */
};

struct buddy {
	struct page *pages;	/* npages entries, page i = pfn base_pfn + i */
	uint64_t base_pfn;
	uint64_t npages;
	uint32_t free_head[MAX_ORDER + 1];
	uint64_t nr_free[MAX_ORDER + 1];	/* blocks on each list */
	uint64_t free_pages;	/* pages in free blocks */
	uint64_t managed_pages;	/* pages ever given to buddy_add_range */
};

/* Results of buddy_free(). */
#define BUDDY_OK		0
#define BUDDY_UNMANAGED		1	/* outside the array, or reserved */
#define BUDDY_DOUBLE_FREE	2	/* inside a block that is free */
#define BUDDY_NOT_HEAD		3	/* not the first page of a block */
#define BUDDY_BAD_ORDER		4	/* order differs from the allocation */

/* Everything starts reserved; 'pages' must hold 'npages' entries. */
void buddy_init(struct buddy *b, struct page *pages, uint64_t base_pfn,
		uint64_t npages);
/* Hand the pages [start_pfn, end_pfn) to the allocator.  Returns the
 * number of pages added (pages outside the array are ignored). */
uint64_t buddy_add_range(struct buddy *b, uint64_t start_pfn,
			 uint64_t end_pfn);
/* A block of 2^order pages, aligned to 2^order pages; its first pfn, or
 * BUDDY_NO_PAGE. */
uint64_t buddy_alloc(struct buddy *b, unsigned int order);
/* Give back a block: BUDDY_OK or one of the errors above, in which case
 * nothing changed. */
int buddy_free(struct buddy *b, uint64_t pfn, unsigned int order);
/* A one-word description of a buddy_free() result. */
const char *buddy_strerror(int err);

#endif
