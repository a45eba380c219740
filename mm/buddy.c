/*
 * mm/buddy.c - the binary buddy allocator (Knowlton 1965; Knuth TAOCP vol.
 * 1, 2.5), the core of Linux's mm/page_alloc.c.
 *
 * Free memory is kept as blocks of 2^order pages (order 0..MAX_ORDER),
 * each aligned to its own size, one doubly linked free list per order.
 * A block's "buddy" is the other half of the block of the next order up:
 * pfn ^ (1 << order).  Allocating takes the smallest free block big
 * enough and splits it, putting the unused halves back on the lower
 * lists; freeing merges a block with its buddy for as long as the buddy is
 * free and whole, as Linux's __free_one_page() does.
 *
 *   order 2 block at pfn 8:   [ 8  9 10 11 ]
 *   alloc order 0 -> split:   [ 8  9 ][10 11]    [10 11] to list 1
 *                             [8][9]             [9] to list 0, [8] out
 *   free pfn 8 -> 8^1 = 9 free, merge -> [8 9]; 8^2 = 10 free -> [8..11]
 *
 * Invariants (checked by tests/host/test_buddy.c against a model):
 *   - a page is PG_buddy iff it heads a block on free list 'order';
 *   - a page is PG_head iff it heads an allocated block of 'order';
 *   - two free buddies of the same order never both sit on a list;
 *   - free_pages is the sum over lists of nr_free[o] << o.
 * Pages inside a block (not its head) have neither flag.
 *
 * Mistakes by callers are detected, not trusted: freeing a page the
 * allocator does not manage, a page inside a free block (a double free),
 * a page inside an allocated block, or with the wrong order, returns an
 * error and changes nothing.  The glue prints the line.
 *
 * Simplifications: one zone (no DMA/DMA32/NORMAL), no per-CPU page lists,
 * no migrate types.  Pure C over the caller's struct page array.
 */
#include "buddy.h"

static struct page *pfn_page(struct buddy *b, uint64_t pfn)
{
	return &b->pages[pfn - b->base_pfn];
}

static bool pfn_valid(const struct buddy *b, uint64_t pfn)
{
	return pfn >= b->base_pfn && pfn - b->base_pfn < b->npages;
}

static void list_add(struct buddy *b, uint64_t pfn, unsigned int order)
{
	uint32_t idx = (uint32_t)(pfn - b->base_pfn);
	struct page *p = &b->pages[idx];

	p->prev = BUDDY_NONE;
	p->next = b->free_head[order];
	if (p->next != BUDDY_NONE)
		b->pages[p->next].prev = idx;
	b->free_head[order] = idx;
	p->order = (uint8_t)order;
	p->flags = PG_buddy;
	b->nr_free[order]++;
	b->free_pages += 1ULL << order;
}

static void list_del(struct buddy *b, uint64_t pfn, unsigned int order)
{
	struct page *p = pfn_page(b, pfn);

	if (p->prev != BUDDY_NONE)
		b->pages[p->prev].next = p->next;
	else
		b->free_head[order] = p->next;
	if (p->next != BUDDY_NONE)
		b->pages[p->next].prev = p->prev;
	p->next = p->prev = BUDDY_NONE;
	p->flags = 0;
	b->nr_free[order]--;
	b->free_pages -= 1ULL << order;
}

void buddy_init(struct buddy *b, struct page *pages, uint64_t base_pfn,
		uint64_t npages)
{
	b->pages = pages;
	b->base_pfn = base_pfn;
	b->npages = npages;
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		b->free_head[o] = BUDDY_NONE;
		b->nr_free[o] = 0;
	}
	b->free_pages = 0;
	b->managed_pages = 0;
	for (uint64_t i = 0; i < npages; i++) {
		pages[i] = (struct page){ .next = BUDDY_NONE,
					  .prev = BUDDY_NONE,
					  .flags = PG_reserved };
	}
}

/* Put a block on the lists, merging with free buddies: no checks. */
static void free_block(struct buddy *b, uint64_t pfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		uint64_t buddy = pfn ^ (1ULL << order);
		struct page *bp;

		if (!pfn_valid(b, buddy))
			break;
		bp = pfn_page(b, buddy);
		if (!(bp->flags & PG_buddy) || bp->order != order)
			break;
		list_del(b, buddy, order);
		pfn &= ~(1ULL << order);	/* the merged block's head */
		order++;
	}
	list_add(b, pfn, order);
}

uint64_t buddy_add_range(struct buddy *b, uint64_t start_pfn,
			 uint64_t end_pfn)
{
	uint64_t added = 0;

	if (start_pfn < b->base_pfn)
		start_pfn = b->base_pfn;
	if (end_pfn > b->base_pfn + b->npages)
		end_pfn = b->base_pfn + b->npages;
	for (uint64_t pfn = start_pfn; pfn < end_pfn;) {
		struct page *p = pfn_page(b, pfn);

		if (!(p->flags & PG_reserved)) {
			pfn++;		/* already managed: not twice */
			continue;
		}
		p->flags = 0;
		free_block(b, pfn, 0);
		pfn++;
		added++;
	}
	b->managed_pages += added;
	return added;
}

uint64_t buddy_alloc(struct buddy *b, unsigned int order)
{
	unsigned int o = order;
	uint64_t pfn;

	if (order > MAX_ORDER)
		return BUDDY_NO_PAGE;
	while (o <= MAX_ORDER && b->free_head[o] == BUDDY_NONE)
		o++;
	if (o > MAX_ORDER)
		return BUDDY_NO_PAGE;
	pfn = b->base_pfn + b->free_head[o];
	list_del(b, pfn, o);
	/* Split: keep the lower half, free the upper half, until small. */
	while (o > order) {
		o--;
		list_add(b, pfn + (1ULL << o), o);
	}
	pfn_page(b, pfn)->flags = PG_head;
	pfn_page(b, pfn)->order = (uint8_t)order;
	return pfn;
}

/* Is pfn inside (or at the head of) a block on a free list? */
static bool pfn_in_free_block(struct buddy *b, uint64_t pfn)
{
	for (unsigned int o = 0; o <= MAX_ORDER; o++) {
		uint64_t head = pfn & ~((1ULL << o) - 1);
		struct page *p;

		if (!pfn_valid(b, head))
			break;
		p = pfn_page(b, head);
		if ((p->flags & PG_buddy) && p->order >= o)
			return true;
	}
	return false;
}

int buddy_free(struct buddy *b, uint64_t pfn, unsigned int order)
{
	struct page *p;

	if (!pfn_valid(b, pfn) || order > MAX_ORDER ||
	    (pfn_page(b, pfn)->flags & PG_reserved))
		return BUDDY_UNMANAGED;
	if (pfn_in_free_block(b, pfn))
		return BUDDY_DOUBLE_FREE;
	p = pfn_page(b, pfn);
	if (!(p->flags & PG_head))
		return BUDDY_NOT_HEAD;
	if (p->order != order)
		return BUDDY_BAD_ORDER;
	p->flags = 0;
	free_block(b, pfn, order);
	return BUDDY_OK;
}

const char *buddy_strerror(int err)
{
	switch (err) {
	case BUDDY_OK:
		return "ok";
	case BUDDY_UNMANAGED:
		return "page not managed by the allocator";
	case BUDDY_DOUBLE_FREE:
		return "double free";
	case BUDDY_NOT_HEAD:
		return "not the start of an allocated block";
	case BUDDY_BAD_ORDER:
		return "order differs from the allocation";
	}
	return "unknown error";
}
