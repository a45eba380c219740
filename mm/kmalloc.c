/*
 * mm/kmalloc.c - small objects: kmalloc, kzalloc, kfree.
 *
 * A slab allocator in the manner of Linux's SLUB, much reduced.  Requests
 * up to 2048 bytes are rounded up to a power of two (16, 32, ... 2048,
 * Linux's kmalloc-16 ... kmalloc-2k caches); each size class carves whole
 * pages into objects of its size.  Bigger requests get whole pages from
 * the buddy allocator.  The bookkeeping lives in the struct page of each
 * page (mm/buddy.h), so an object carries no header and kfree() finds the
 * class from the address alone:
 *
 *   struct page (PG_slab, slab_class 2 = 64 bytes, slab_inuse 3)
 *        |
 *   page [obj 0 used][obj 1 free]->[obj 3 free]->end [obj 2 used] ...
 *                       ^slab_free      (a free object holds the offset of
 *                                        the next free one in its first
 *                                        two bytes; the rest is poison)
 *
 * A class keeps a list of its "partial" pages (some objects free, linked
 * through page->next/prev).  A page whose objects are all in use is on no
 * list; one whose objects are all free goes back to the buddy allocator,
 * so memory returns when the objects do.
 *
 * Debugging, always on because it is cheap here: freed objects are
 * filled with POISON_FREE (0x6b, as Linux) and checked when handed out
 * again (a write after free is reported); kfree() of an object that is
 * already on its page's free list is reported as a double free; kfree()
 * of an address that kmalloc did not return is reported.  Each report is
 * one line and the bad call is ignored.
 *
 * The lock.  One kmalloc_lock guards the classes' lists, and is held
 * only for the list work: the poison check of a new object, the poison
 * written over a freed one, a new slab page's carving and the return of
 * an empty one to the buddy allocator all happen outside it, and big
 * requests (whole pages, as Linux's kmalloc_large()) never take it.  When
 * 255 CPUs load modules at once (the storm) every one of them allocates;
 * the shorter the hold, the less the others spin.  The counters are
 * atomic, so the page path can keep them without the lock.
 *
 * Simplifications: one lock for all classes (no per-CPU slabs), kmalloc(0)
 * returns NULL (Linux returns ZERO_SIZE_PTR), no alignment beyond the
 * object's size.
 */
#include <kernel/export.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include "internal.h"

#define KMALLOC_MIN_SHIFT	4		/* 16 bytes */
#define KMALLOC_MAX_SHIFT	11		/* 2048 bytes */
#define KMALLOC_CLASSES		(KMALLOC_MAX_SHIFT - KMALLOC_MIN_SHIFT + 1)
#define SLAB_FREE_END		0xffff
#define POISON_FREE		0x6b

static DEFINE_SPINLOCK(kmalloc_lock);
static uint32_t partial[KMALLOC_CLASSES] = {	/* page index lists */
	[0 ... KMALLOC_CLASSES - 1] = BUDDY_NONE,
};
/* Atomic: the page path and the counters' readers take no lock. */
static uint64_t kmalloc_objects, kmalloc_bytes;
static uint64_t kmalloc_slab_pages;	/* pages carved into objects now */

static void count(uint64_t *counter, int64_t delta)
{
	__atomic_fetch_add(counter, (uint64_t)delta, __ATOMIC_RELAXED);
}

static size_t class_size(unsigned int class)
{
	return (size_t)1 << (class + KMALLOC_MIN_SHIFT);
}

static unsigned int size_class(size_t size)
{
	unsigned int class = 0;

	while (class_size(class) < size)
		class++;
	return class;
}

static unsigned int pages_order(size_t size)
{
	unsigned int order = 0;

	while ((PAGE_SIZE << order) < size)
		order++;
	return order;
}

static uint32_t page_index(const struct page *page)
{
	return (uint32_t)(page - mem_buddy.pages);
}

static void partial_add(unsigned int class, struct page *page)
{
	uint32_t idx = page_index(page);

	page->prev = BUDDY_NONE;
	page->next = partial[class];
	if (page->next != BUDDY_NONE)
		mem_buddy.pages[page->next].prev = idx;
	partial[class] = idx;
}

static void partial_del(unsigned int class, struct page *page)
{
	if (page->prev != BUDDY_NONE)
		mem_buddy.pages[page->prev].next = page->next;
	else
		partial[class] = page->next;
	if (page->next != BUDDY_NONE)
		mem_buddy.pages[page->next].prev = page->prev;
	page->next = page->prev = BUDDY_NONE;
}

/* Free objects store the next free offset in their first two bytes. */
static uint16_t *free_link(void *obj)
{
	return (uint16_t *)obj;
}

/* A new slab page, every object free and poisoned (no lock needed: the
 * page is no one else's until partial_add()). */
static struct page *new_slab(unsigned int class)
{
	size_t size = class_size(class);
	char *base = __get_free_pages(0);
	struct page *page;

	if (!base)
		return NULL;
	memset(base, POISON_FREE, PAGE_SIZE);
	for (size_t off = 0; off < PAGE_SIZE; off += size)
		*free_link(base + off) = off + size < PAGE_SIZE ?
					 (uint16_t)(off + size) : SLAB_FREE_END;
	page = virt_to_page(base);
	count(&kmalloc_slab_pages, 1);
	page->flags |= PG_slab;
	page->slab_class = (uint8_t)class;
	page->slab_inuse = 0;
	page->slab_free = 0;
	return page;
}

/* Every byte after the free link still POISON_FREE: eight at a time
 * (objects are at least 16 bytes, aligned to their size). */
static void check_poison(const char *obj, size_t size)
{
	const uint64_t poison = 0x0101010101010101ULL * POISON_FREE;
	size_t i = sizeof(uint16_t);

	for (; i < sizeof(uint64_t); i++)
		if ((uint8_t)obj[i] != POISON_FREE)
			goto bad;
	for (; i < size; i += sizeof(uint64_t))
		if (*(const uint64_t *)(obj + i) != poison)
			goto bad;
	return;
bad:
	while ((uint8_t)obj[i] == POISON_FREE)
		i++;
	pr_err("kmalloc: object %p (size %zu) was written after free (byte %zu is %#x)\n",
	       obj, size, i, (uint8_t)obj[i]);
}

/* An object of the class off its first partial page (kmalloc_lock held),
 * or NULL when the class has none. */
static void *slab_take(unsigned int class)
{
	struct page *page;
	char *obj;

	if (partial[class] == BUDDY_NONE)
		return NULL;
	page = &mem_buddy.pages[partial[class]];
	obj = (char *)page_address(page) + page->slab_free;
	page->slab_free = *free_link(obj);
	page->slab_inuse++;
	if (page->slab_free == SLAB_FREE_END)
		partial_del(class, page);	/* now full */
	return obj;
}

static void *slab_alloc(unsigned int class)
{
	unsigned long flags = spin_lock_irqsave(&kmalloc_lock);
	char *obj = slab_take(class);
	struct page *page;

	spin_unlock_irqrestore(&kmalloc_lock, flags);
	if (!obj) {
		/* A page carved outside the lock; another CPU may have
		 * freed an object meanwhile, which is fine: both get used. */
		page = new_slab(class);
		if (!page)
			return NULL;
		flags = spin_lock_irqsave(&kmalloc_lock);
		partial_add(class, page);
		obj = slab_take(class);
		spin_unlock_irqrestore(&kmalloc_lock, flags);
	}
	check_poison(obj, class_size(class));	/* ours now: no lock */
	return obj;
}

void *kmalloc(size_t size)
{
	void *p;
	size_t got;

	if (size == 0)
		return NULL;
	if (size > (PAGE_SIZE << MAX_ORDER)) {
		pr_warn("kmalloc: %zu bytes is more than the largest block\n",
			size);
		return NULL;
	}
	if (size <= class_size(KMALLOC_CLASSES - 1)) {
		unsigned int class = size_class(size);

		p = slab_alloc(class);
		got = class_size(class);
	} else {
		unsigned int order = pages_order(size);

		p = __get_free_pages(order);
		if (p)
			virt_to_page(p)->flags |= PG_large;
		got = PAGE_SIZE << order;
	}
	if (p) {
		count(&kmalloc_objects, 1);
		count(&kmalloc_bytes, (int64_t)got);
	}
	return p;
}
EXPORT_SYMBOL(kmalloc);

void *kzalloc(size_t size)
{
	void *p = kmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}
EXPORT_SYMBOL(kzalloc);

char *kstrdup(const char *s)
{
	size_t len = strlen(s) + 1;
	char *p = kmalloc(len);

	if (p)
		memcpy(p, s, len);
	return p;
}

/*
 * Back on its page's free list (kmalloc_lock held, the object already
 * poisoned but for its link).  Returns the page when that was its last
 * object, for the caller to give back after unlocking; else NULL.
 */
static void *slab_free(struct page *page, void *ptr)
{
	unsigned int class = page->slab_class;
	size_t size = class_size(class);
	char *base = page_address(page);
	size_t off = (size_t)((char *)ptr - base);
	bool was_full = page->slab_free == SLAB_FREE_END;

	for (uint16_t f = page->slab_free; f != SLAB_FREE_END;
	     f = *free_link(base + f)) {
		if (f == off) {
			pr_err("kfree: double free of %p (size %zu) (ignored)\n",
			       ptr, size);
			return NULL;
		}
	}
	*free_link(ptr) = page->slab_free;
	page->slab_free = (uint16_t)off;
	page->slab_inuse--;
	count(&kmalloc_objects, -1);
	count(&kmalloc_bytes, -(int64_t)size);
	if (page->slab_inuse == 0) {
		/* All free: the page goes back to the buddy allocator. */
		if (!was_full)
			partial_del(class, page);
		page->flags &= ~PG_slab;
		count(&kmalloc_slab_pages, -1);
		return base;
	}
	if (was_full)
		partial_add(class, page);
	return NULL;
}

void kfree(const void *ptr)
{
	struct page *page;
	unsigned long flags;
	void *empty;
	size_t size;

	if (!ptr)
		return;
	page = virt_to_page(ptr);
	/* An object the caller owns: its page stays a slab page while it
	 * lives, so what kind of memory it is can be read without the lock. */
	if (page && (page->flags & PG_slab)) {
		size = class_size(page->slab_class);
		if ((uintptr_t)ptr % size) {
			pr_err("kfree: %p is inside a %zu-byte object, not its start (ignored)\n",
			       ptr, size);
			return;
		}
		/* Poison first, outside the lock: for a double free the
		 * bytes were poison already, and the link is left alone. */
		memset((char *)ptr + sizeof(uint16_t), POISON_FREE,
		       size - sizeof(uint16_t));
		flags = spin_lock_irqsave(&kmalloc_lock);
		empty = slab_free(page, (void *)ptr);
		spin_unlock_irqrestore(&kmalloc_lock, flags);
		if (empty)
			free_pages(empty, 0);
	} else if (page && (page->flags & PG_large) &&
		   (page->flags & PG_head) &&
		   IS_ALIGNED((uintptr_t)ptr, PAGE_SIZE)) {
		unsigned int order = page->order;

		page->flags &= ~PG_large;
		count(&kmalloc_objects, -1);
		count(&kmalloc_bytes, -(int64_t)(PAGE_SIZE << order));
		free_pages((void *)ptr, order);
	} else {
		pr_err("kfree: %p was not returned by kmalloc, or is already freed (ignored)\n",
		       ptr);
	}
}
EXPORT_SYMBOL(kfree);

void kmalloc_get_stats(uint64_t *objects, uint64_t *bytes)
{
	*objects = __atomic_load_n(&kmalloc_objects, __ATOMIC_RELAXED);
	*bytes = __atomic_load_n(&kmalloc_bytes, __ATOMIC_RELAXED);
}

uint64_t kmalloc_nr_slab_pages(void)
{
	return __atomic_load_n(&kmalloc_slab_pages, __ATOMIC_RELAXED);
}
