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
static uint32_t partial[KMALLOC_CLASSES];	/* page index lists */
static bool kmalloc_ready;
static uint64_t kmalloc_objects, kmalloc_bytes;
static uint64_t kmalloc_slab_pages;	/* pages carved into objects now */

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

static void kmalloc_init_once(void)
{
	for (unsigned int c = 0; c < KMALLOC_CLASSES; c++)
		partial[c] = BUDDY_NONE;
	kmalloc_ready = true;
}

/* Free objects store the next free offset in their first two bytes. */
static uint16_t *free_link(void *obj)
{
	return (uint16_t *)obj;
}

/* A new slab page, every object free and poisoned. */
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
	kmalloc_slab_pages++;
	page->flags |= PG_slab;
	page->slab_class = (uint8_t)class;
	page->slab_inuse = 0;
	page->slab_free = 0;
	return page;
}

static void check_poison(const char *obj, size_t size)
{
	for (size_t i = sizeof(uint16_t); i < size; i++) {
		if ((uint8_t)obj[i] != POISON_FREE) {
			pr_err("kmalloc: object %p (size %zu) was written after free (byte %zu is %#x)\n",
			       obj, size, i, (uint8_t)obj[i]);
			return;
		}
	}
}

static void *slab_alloc(unsigned int class)
{
	size_t size = class_size(class);
	struct page *page;
	char *obj;

	if (partial[class] != BUDDY_NONE) {
		page = &mem_buddy.pages[partial[class]];
	} else {
		page = new_slab(class);
		if (!page)
			return NULL;
		partial_add(class, page);
	}
	obj = (char *)page_address(page) + page->slab_free;
	page->slab_free = *free_link(obj);
	page->slab_inuse++;
	if (page->slab_free == SLAB_FREE_END)
		partial_del(class, page);	/* now full */
	check_poison(obj, size);
	return obj;
}

void *kmalloc(size_t size)
{
	unsigned long flags;
	void *p = NULL;
	size_t got;

	if (size == 0)
		return NULL;
	if (size > (PAGE_SIZE << MAX_ORDER)) {
		pr_warn("kmalloc: %zu bytes is more than the largest block\n",
			size);
		return NULL;
	}
	flags = spin_lock_irqsave(&kmalloc_lock);
	if (!kmalloc_ready)
		kmalloc_init_once();
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
		kmalloc_objects++;
		kmalloc_bytes += got;
	}
	spin_unlock_irqrestore(&kmalloc_lock, flags);
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

static void slab_free(struct page *page, void *ptr)
{
	unsigned int class = page->slab_class;
	size_t size = class_size(class);
	char *base = page_address(page);
	size_t off = (size_t)((char *)ptr - base);
	bool was_full = page->slab_free == SLAB_FREE_END;

	if (off % size) {
		pr_err("kfree: %p is inside a %zu-byte object, not its start (ignored)\n",
		       ptr, size);
		return;
	}
	for (uint16_t f = page->slab_free; f != SLAB_FREE_END;
	     f = *free_link(base + f)) {
		if (f == off) {
			pr_err("kfree: double free of %p (size %zu) (ignored)\n",
			       ptr, size);
			return;
		}
	}
	memset(ptr, POISON_FREE, size);
	*free_link(ptr) = page->slab_free;
	page->slab_free = (uint16_t)off;
	page->slab_inuse--;
	kmalloc_objects--;
	kmalloc_bytes -= size;
	if (page->slab_inuse == 0) {
		/* All free: the page goes back to the buddy allocator. */
		if (!was_full)
			partial_del(class, page);
		page->flags &= ~PG_slab;
		kmalloc_slab_pages--;
		free_pages(base, 0);
	} else if (was_full) {
		partial_add(class, page);
	}
}

void kfree(const void *ptr)
{
	struct page *page;
	unsigned long flags;

	if (!ptr)
		return;
	flags = spin_lock_irqsave(&kmalloc_lock);
	page = virt_to_page(ptr);
	if (page && (page->flags & PG_slab)) {
		slab_free(page, (void *)ptr);
	} else if (page && (page->flags & PG_large) &&
		   (page->flags & PG_head) &&
		   IS_ALIGNED((uintptr_t)ptr, PAGE_SIZE)) {
		unsigned int order = page->order;

		page->flags &= ~PG_large;
		kmalloc_objects--;
		kmalloc_bytes -= PAGE_SIZE << order;
		free_pages((void *)ptr, order);
	} else {
		pr_err("kfree: %p was not returned by kmalloc, or is already freed (ignored)\n",
		       ptr);
	}
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}
EXPORT_SYMBOL(kfree);

void kmalloc_get_stats(uint64_t *objects, uint64_t *bytes)
{
	unsigned long flags = spin_lock_irqsave(&kmalloc_lock);

	*objects = kmalloc_objects;
	*bytes = kmalloc_bytes;
	spin_unlock_irqrestore(&kmalloc_lock, flags);
}

uint64_t kmalloc_nr_slab_pages(void)
{
	unsigned long flags = spin_lock_irqsave(&kmalloc_lock);
	uint64_t pages = kmalloc_slab_pages;

	spin_unlock_irqrestore(&kmalloc_lock, flags);
	return pages;
}
