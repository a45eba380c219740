/*
 * mm/percpu.c - the per-CPU allocator: __alloc_percpu, __alloc_reserved_
 * percpu, free_percpu.  Shaped like Linux's mm/percpu.c (v4.14+).
 *
 * A per-CPU allocation is one offset used in every CPU's unit: the
 * caller gets a "template-space" pointer p, and CPU c's copy is at
 * p + __per_cpu_offset[c] (per_cpu_ptr, or %gs:p on CPU c itself).  For
 * that to hold in every chunk, a chunk's units are laid out exactly as
 * the first chunk's: CPU c's unit at chunk base + c * pcpu_unit_size.
 *
 *   first chunk (mm/percpu-setup.c, vmap area, always populated)
 *   | unit 0: static | reserved | dynamic | unit 1: static | reserved |...
 *             ^^^^^^   ^^^^^^^^   ^^^^^^^
 *             hidden   pcpu_reserved_chunk
 *                                 pcpu_first_chunk (static+reserved hidden)
 *
 *   dynamic chunk (pcpu_create_chunk, its own vmap area)
 *   | unit 0 ............... | unit 1 ............... | ...
 *     pages mapped on first use (pcpu_populate_chunk), in every unit
 *
 * The reserved chunk serves only __alloc_reserved_percpu (module static
 * per-CPU data, which must sit near the kernel's static area: see
 * docs/percpu.md), and those never fall back to the dynamic chunks.
 * Dynamic chunks sit in pcpu_slot[] lists by their largest free run; an
 * allocation tries the slots that may fit it, then creates a chunk.
 * The allocator inside a chunk is the pure mm/percpu-chunk.c.
 *
 * Locking, as Linux: pcpu_alloc_mutex serialises allocations, chunk
 * creation, population and release (they sleep: page allocation, TLB
 * shootdown); pcpu_lock (a spinlock, interrupts off) guards the chunk
 * bitmaps, slots and statistics.  __alloc_percpu may sleep; free_percpu
 * only takes pcpu_lock and may be called from any context.
 *
 * Simplifications admitted: an empty dynamic chunk is released (one spare
 * kept) by pcpu_balance_workfn(), which runs at the start of the next
 * allocation or when called, not from a workqueue; pages of a chunk are
 * populated but never depopulated while it lives; no atomic (GFP_NOWAIT)
 * allocations; Linux's dump_stack after the failure line is left out
 * (the test harness treats a call trace as a fault).
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/mutex.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include "internal.h"
#include "percpu-internal.h"

BOOT_PARAM_FLAG(percpu_stats, "percpu_stats", "print the per-CPU allocator's statistics at the end");

static DEFINE_MUTEX(pcpu_alloc_mutex);
static spinlock_t pcpu_lock = SPINLOCK_INIT("pcpu_lock");

static struct list_head pcpu_slot[PCPU_NR_SLOTS];
static struct pcpu_chunk *pcpu_first_chunk;	/* its dynamic region */
static struct pcpu_chunk *pcpu_reserved_chunk;	/* NULL if r = 0 */

static size_t pcpu_unit_size;
static int pcpu_unit_pages;
static unsigned int pcpu_nr_units;
static unsigned long pcpu_base_addr;	/* unit 0 of the first chunk */
static size_t pcpu_static_size, pcpu_reserved_size, pcpu_dyn_size;

/* Everything below under pcpu_lock. */
static struct pcpu_global_stats pcpu_stats;
static size_t pcpu_reserved_cur, pcpu_reserved_max;
/*
 * The demand on the reserved chunk: the bytes of the reserved requests in
 * flight (asked for, not yet granted or refused: waiting for
 * pcpu_alloc_mutex, or searching) on top of the bytes held.  A refused
 * request counts until it is refused, so the peak says how much the
 * concurrent loads wanted at once, which reserved_max, capped by the
 * chunk's size, cannot.  Invariant: pending is 0 when no reserved
 * allocation is under way, and then demand = pcpu_reserved_cur.
 */
static size_t pcpu_reserved_pending, pcpu_reserved_demand_max;
static unsigned long pcpu_nr_populated;	/* pages, all units, dynamic chunks */
static unsigned long pcpu_nr_failures;

/*
 * Linux 3.x reports the first ten failures, then says "limit reached".
 * Here each request shape (size, align) has its own ten, so that in a
 * storm the failures of the bigger modules, which come first, do not
 * hide kvm's "size=304 align=32" line; shapes beyond the table share the
 * last entry.
 */
#define PCPU_WARN_LIMIT		10
#define PCPU_WARN_SHAPES	8
static struct {
	size_t size, align;
	int left;
} pcpu_warn_shapes[PCPU_WARN_SHAPES];
static char pcpu_last_failure[128];

/*
 * Who holds each area of the reserved chunk, for the monitor's map
 * (pcpu_reserved_map): one record per live area that was given an owner,
 * kmalloc'd before pcpu_lock is taken, linked and unlinked under it,
 * freed after it is dropped.  Linux keeps no such record; the areas
 * themselves are still found from the chunk's bitmaps alone.
 */
struct pcpu_owner {
	struct list_head list;
	int offset;			/* in the reserved chunk */
	char name[PCPU_OWNER_LEN];
};
static LIST_HEAD(pcpu_reserved_owners);	/* under pcpu_lock */

/* ---- chunks and slots --------------------------------------------- */

static void pcpu_chunk_relocate(struct pcpu_chunk *chunk)
{
	int slot = pcpu_chunk_slot(chunk);

	if (chunk->reserved || slot == chunk->slot)
		return;
	if (chunk->slot >= 0)
		list_del(&chunk->list);
	list_add_tail(&chunk->list, &pcpu_slot[slot]);
	chunk->slot = slot;
}

static struct pcpu_chunk *pcpu_alloc_chunk(int start_offset, int end_offset)
{
	size_t meta = pcpu_chunk_meta_bytes(pcpu_unit_pages);
	size_t pop = sizeof(unsigned long) *
		     DIV_ROUND_UP(pcpu_unit_pages, PCPU_BITS_PER_LONG);
	struct pcpu_chunk *chunk = kzalloc(sizeof(*chunk) + meta + pop);

	if (!chunk)
		return NULL;
	pcpu_chunk_init(chunk, chunk + 1, pcpu_unit_pages, start_offset,
			end_offset);
	chunk->populated = (unsigned long *)((char *)(chunk + 1) + meta);
	chunk->slot = -1;
	INIT_LIST_HEAD(&chunk->list);
	return chunk;
}

/* Template-space address of a chunk whose unit 0 is at 'addr'. */
static void *pcpu_addr_to_ptr(unsigned long addr)
{
	return __per_cpu_start + (addr - pcpu_base_addr);
}

/* A dynamic chunk: a vmap area of one unit per CPU, nothing mapped. */
static struct pcpu_chunk *pcpu_create_chunk(void)
{
	struct pcpu_chunk *chunk = pcpu_alloc_chunk(0, 0);

	if (!chunk)
		return NULL;
	chunk->vm_addr = vm_area_reserve(&vmap_region,
					 pcpu_nr_units * pcpu_unit_size);
	if (!chunk->vm_addr) {
		kfree(chunk);
		return NULL;
	}
	chunk->base_addr = pcpu_addr_to_ptr(chunk->vm_addr);
	return chunk;
}

static unsigned long pcpu_page_va(struct pcpu_chunk *chunk, unsigned int cpu,
				  int page)
{
	return chunk->vm_addr + cpu * pcpu_unit_size + page * PAGE_SIZE;
}

/* Unmap page 'page' of units [0, nr_units), noting the physical pages
 * in phys[]; the caller flushes the TLB, then frees them. */
static void pcpu_unmap_page(struct pcpu_chunk *chunk, int page,
			    unsigned int nr_units, uint64_t *phys)
{
	for (unsigned int cpu = 0; cpu < nr_units; cpu++)
		unmap_kernel_pages(pcpu_page_va(chunk, cpu, page), 1,
				   &phys[cpu]);
}

/* Map page 'page' in every unit (pcpu_alloc_mutex held). */
static int pcpu_populate_page(struct pcpu_chunk *chunk, int page)
{
	static uint64_t phys[NR_CPUS];	/* under pcpu_alloc_mutex */
	unsigned int cpu;
	unsigned long flags;

	for (cpu = 0; cpu < pcpu_nr_units; cpu++) {
		void *p = get_zeroed_page();

		if (!p || map_kernel_pages(pcpu_page_va(chunk, cpu, page),
					   virt_to_phys(p), 1,
					   page_kernel_nx())) {
			if (p)
				free_page(p);
			goto unwind;
		}
	}
	chunk->populated[page / PCPU_BITS_PER_LONG] |=
		1UL << (page % PCPU_BITS_PER_LONG);
	chunk->nr_populated++;
	flags = spin_lock_irqsave(&pcpu_lock);
	pcpu_nr_populated += pcpu_nr_units;
	spin_unlock_irqrestore(&pcpu_lock, flags);
	return 0;

unwind:
	pcpu_unmap_page(chunk, page, cpu, phys);
	flush_tlb_kernel_range(pcpu_page_va(chunk, 0, page),
			       pcpu_page_va(chunk, pcpu_nr_units - 1, page) +
			       PAGE_SIZE);
	while (cpu--)
		if (phys[cpu])
			free_page(phys_to_virt(phys[cpu]));
	return -ENOMEM;
}

/* Make [off, off + size) backed in every unit (pcpu_alloc_mutex held). */
static int pcpu_populate_chunk(struct pcpu_chunk *chunk, int off, size_t size)
{
	int first = off / (int)PAGE_SIZE;
	int last = (off + (int)size - 1) / (int)PAGE_SIZE;

	if (chunk->immutable)
		return 0;
	for (int page = first; page <= last; page++) {
		if (pcpu_test_bit(chunk->populated, page))
			continue;
		if (pcpu_populate_page(chunk, page))
			return -ENOMEM;
	}
	return 0;
}

/* Unmap, shoot down, free (pcpu_alloc_mutex held, no spinlock, irqs on). */
static void pcpu_destroy_chunk(struct pcpu_chunk *chunk)
{
	static uint64_t phys[NR_CPUS];	/* under pcpu_alloc_mutex */
	unsigned long flags;

	for (int page = 0; page < pcpu_unit_pages; page++) {
		if (!pcpu_test_bit(chunk->populated, page))
			continue;
		pcpu_unmap_page(chunk, page, pcpu_nr_units, phys);
		flush_tlb_kernel_range(pcpu_page_va(chunk, 0, page),
				       pcpu_page_va(chunk, pcpu_nr_units - 1,
						    page) + PAGE_SIZE);
		for (unsigned int cpu = 0; cpu < pcpu_nr_units; cpu++)
			if (phys[cpu])
				free_page(phys_to_virt(phys[cpu]));
	}
	flags = spin_lock_irqsave(&pcpu_lock);
	pcpu_nr_populated -= (unsigned long)chunk->nr_populated * pcpu_nr_units;
	spin_unlock_irqrestore(&pcpu_lock, flags);
	vm_area_release(&vmap_region, chunk->vm_addr);
	kfree(chunk);
}

/*
 * Release wholly empty dynamic chunks but the first of them (a spare for
 * the next allocation), as Linux's pcpu_balance_workfn.  Takes
 * pcpu_alloc_mutex; may sleep.
 */
static void __pcpu_balance(void)
{
	struct pcpu_chunk *chunk, *next;
	struct list_head *free_head = &pcpu_slot[PCPU_NR_SLOTS - 1];
	LIST_HEAD(to_free);
	unsigned long flags;

	flags = spin_lock_irqsave(&pcpu_lock);
	list_for_each_entry_safe(chunk, next, free_head, list) {
		if (chunk->immutable ||
		    chunk == list_first_entry(free_head, struct pcpu_chunk,
					      list))
			continue;
		list_del(&chunk->list);
		list_add_tail(&chunk->list, &to_free);
		chunk->slot = -1;
		pcpu_stats.nr_chunks--;
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);
	list_for_each_entry_safe(chunk, next, &to_free, list)
		pcpu_destroy_chunk(chunk);
}

void pcpu_balance_workfn(void)
{
	mutex_lock(&pcpu_alloc_mutex);
	__pcpu_balance();
	mutex_unlock(&pcpu_alloc_mutex);
}

/* ---- allocation --------------------------------------------------- */

/* A new demand peak? (pcpu_lock held) */
static void pcpu_note_demand(void)
{
	size_t demand = pcpu_reserved_cur + pcpu_reserved_pending;

	if (demand > pcpu_reserved_demand_max)
		pcpu_reserved_demand_max = demand;
}

static void pcpu_report_failure(size_t size, size_t align, const char *err)
{
	unsigned long flags = spin_lock_irqsave(&pcpu_lock);
	unsigned int i;
	bool say, last;

	for (i = 0; i < PCPU_WARN_SHAPES - 1; i++) {
		if (!pcpu_warn_shapes[i].size) {
			pcpu_warn_shapes[i].size = size;
			pcpu_warn_shapes[i].align = align;
			pcpu_warn_shapes[i].left = PCPU_WARN_LIMIT;
		}
		if (pcpu_warn_shapes[i].size == size &&
		    pcpu_warn_shapes[i].align == align)
			break;
	}
	if (i == PCPU_WARN_SHAPES - 1 && !pcpu_warn_shapes[i].size) {
		pcpu_warn_shapes[i].size = size;	/* the shared entry */
		pcpu_warn_shapes[i].left = PCPU_WARN_LIMIT;
	}
	say = pcpu_warn_shapes[i].left > 0;
	last = say && --pcpu_warn_shapes[i].left == 0;

	pcpu_nr_failures++;
	snprintf(pcpu_last_failure, sizeof(pcpu_last_failure),
		 "PERCPU: allocation failed, size=%zu align=%zu, %s", size,
		 align, err);
	spin_unlock_irqrestore(&pcpu_lock, flags);
	if (say)
		pr_warn("PERCPU: allocation failed, size=%zu align=%zu, %s\n",
			size, align, err);
	if (last)
		pr_info("PERCPU: limit reached, disable warning\n");
}

static void *pcpu_alloc(size_t size, size_t align, bool reserved,
			const char *owner)
{
	struct pcpu_chunk *chunk = NULL, *new_chunk = NULL;
	struct pcpu_owner *note = NULL;
	const char *err;
	unsigned long flags;
	int off = -1, slot;
	size_t took, pending = 0;
	void *ptr;

	if (size == 0 || size > pcpu_unit_size || align == 0 ||
	    align > PAGE_SIZE || (align & (align - 1))) {
		pr_warn("percpu: illegal size (%zu) or align (%zu) for percpu allocation\n",
			size, align);
		return NULL;
	}
	if (align < PCPU_MIN_ALLOC_SIZE)
		align = PCPU_MIN_ALLOC_SIZE;
	if (!pcpu_first_chunk) {
		pr_warn("percpu: allocation of %zu bytes before the per-CPU areas exist\n",
			size);
		return NULL;
	}

	if (reserved && owner) {
		note = kmalloc(sizeof(*note));	/* none: the map says "?" */
		if (note)
			strlcpy(note->name, owner, sizeof(note->name));
	}

	if (reserved) {		/* in the demand from now until granted or refused */
		pending = size;
		flags = spin_lock_irqsave(&pcpu_lock);
		pcpu_reserved_pending += pending;
		pcpu_note_demand();
		spin_unlock_irqrestore(&pcpu_lock, flags);
	}

	mutex_lock(&pcpu_alloc_mutex);
	__pcpu_balance();
	flags = spin_lock_irqsave(&pcpu_lock);

	if (reserved) {
		chunk = pcpu_reserved_chunk;
		if (chunk)
			off = pcpu_chunk_alloc(chunk, size, align);
		if (off < 0) {
			err = "alloc from reserved chunk failed";
			goto fail_unlock;
		}
		goto area_found;
	}

	for (;;) {
		for (slot = pcpu_size_to_slot(size); slot < PCPU_NR_SLOTS;
		     slot++) {
			list_for_each_entry(chunk, &pcpu_slot[slot], list) {
				off = pcpu_chunk_alloc(chunk, size, align);
				if (off >= 0)
					goto area_found;
			}
		}
		if (new_chunk) {	/* an empty chunk always fits */
			err = "failed to allocate new chunk";
			goto fail_unlock;
		}
		spin_unlock_irqrestore(&pcpu_lock, flags);
		new_chunk = pcpu_create_chunk();
		if (!new_chunk) {
			err = "failed to allocate new chunk";
			goto fail_unlock_mutex;
		}
		flags = spin_lock_irqsave(&pcpu_lock);
		pcpu_chunk_relocate(new_chunk);
		pcpu_stats.nr_chunks++;
		if (pcpu_stats.nr_chunks > pcpu_stats.nr_max_chunks)
			pcpu_stats.nr_max_chunks = pcpu_stats.nr_chunks;
	}

area_found:
	pcpu_chunk_relocate(chunk);
	pcpu_stats_area_alloc(&pcpu_stats, size);
	if (reserved) {
		took = (size_t)pcpu_chunk_alloc_size(chunk, off);
		pcpu_reserved_cur += took;
		if (pcpu_reserved_cur > pcpu_reserved_max)
			pcpu_reserved_max = pcpu_reserved_cur;
		pcpu_reserved_pending -= pending;	/* now held, as took */
		pending = 0;
		pcpu_note_demand();
		if (note) {
			note->offset = off;
			list_add_tail(&note->list, &pcpu_reserved_owners);
			note = NULL;
		}
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);

	if (pcpu_populate_chunk(chunk, off, size)) {
		flags = spin_lock_irqsave(&pcpu_lock);
		pcpu_chunk_free(chunk, off);
		pcpu_stats_area_dealloc(&pcpu_stats);
		pcpu_stats.nr_alloc--;		/* it never happened */
		pcpu_stats.nr_dealloc--;
		pcpu_chunk_relocate(chunk);
		spin_unlock_irqrestore(&pcpu_lock, flags);
		err = "failed to populate";
		goto fail_unlock_mutex;
	}
	mutex_unlock(&pcpu_alloc_mutex);

	/* Every new area starts zeroed on every possible CPU. */
	ptr = (char *)chunk->base_addr + off;
	for (unsigned int cpu = 0; cpu < pcpu_nr_units; cpu++)
		memset(per_cpu_ptr((char *)ptr, cpu), 0, size);
	return ptr;

fail_unlock:
	spin_unlock_irqrestore(&pcpu_lock, flags);
fail_unlock_mutex:
	mutex_unlock(&pcpu_alloc_mutex);
	if (pending) {		/* refused: out of the demand */
		flags = spin_lock_irqsave(&pcpu_lock);
		pcpu_reserved_pending -= pending;
		spin_unlock_irqrestore(&pcpu_lock, flags);
	}
	kfree(note);
	pcpu_report_failure(size, align, err);
	return NULL;
}

void *__alloc_percpu(size_t size, size_t align)
{
	return pcpu_alloc(size, align, false, NULL);
}

void *__alloc_reserved_percpu(size_t size, size_t align)
{
	return pcpu_alloc(size, align, true, NULL);
}

void *__alloc_reserved_percpu_owner(size_t size, size_t align,
				    const char *owner)
{
	return pcpu_alloc(size, align, true, owner);
}

/* The owner record of the reserved area at off, or NULL (pcpu_lock held). */
static struct pcpu_owner *pcpu_owner_find(int off)
{
	struct pcpu_owner *note;

	list_for_each_entry(note, &pcpu_reserved_owners, list)
		if (note->offset == off)
			return note;
	return NULL;
}

/* The chunk holding template-space address ptr (pcpu_lock held). */
static struct pcpu_chunk *pcpu_chunk_addr_search(void *ptr)
{
	unsigned long off = (unsigned long)((char *)ptr - __per_cpu_start);
	struct pcpu_chunk *chunk;

	if (off < pcpu_unit_size) {
		if (pcpu_reserved_chunk &&
		    off < pcpu_static_size + pcpu_reserved_size)
			return pcpu_reserved_chunk;
		return pcpu_first_chunk;
	}
	for (int slot = 0; slot < PCPU_NR_SLOTS; slot++)
		list_for_each_entry(chunk, &pcpu_slot[slot], list)
			if ((unsigned long)((char *)ptr -
					    (char *)chunk->base_addr) <
			    pcpu_unit_size)
				return chunk;
	return NULL;
}

void free_percpu(void *ptr)
{
	struct pcpu_owner *note = NULL;
	struct pcpu_chunk *chunk;
	unsigned long flags;
	int size = -1, off = 0;

	if (!ptr)
		return;
	flags = spin_lock_irqsave(&pcpu_lock);
	chunk = pcpu_chunk_addr_search(ptr);
	if (chunk) {
		off = (int)((char *)ptr - (char *)chunk->base_addr);
		size = pcpu_chunk_free(chunk, off);
	}
	if (size >= 0) {
		pcpu_stats_area_dealloc(&pcpu_stats);
		if (chunk->reserved) {
			pcpu_reserved_cur -= (size_t)size;
			note = pcpu_owner_find(off);
			if (note)
				list_del(&note->list);
		}
		pcpu_chunk_relocate(chunk);
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);
	kfree(note);
	if (size < 0)
		pr_warn("percpu: free_percpu(%p): not a per-CPU allocation (ignored)\n",
			ptr);
}

/* ---- the first chunk ---------------------------------------------- */

unsigned long pcpu_map_first_chunk(void *const *units, unsigned int nr,
				   size_t unit_size)
{
	size_t pages = unit_size / PAGE_SIZE;
	unsigned long base = vm_area_reserve(&vmap_region, nr * unit_size);

	if (!base)
		return 0;
	for (unsigned int cpu = 0; cpu < nr; cpu++)
		if (map_kernel_pages(base + cpu * unit_size,
				     virt_to_phys(units[cpu]), pages,
				     page_kernel_nx()))
			panic("percpu: cannot map CPU %u's unit", cpu);
	return base;
}

void pcpu_setup_first_chunk(const struct pcpu_layout *l, unsigned int nr,
			    unsigned long base)
{
	size_t s = l->static_size, r = l->reserved_size;

	for (int i = 0; i < PCPU_NR_SLOTS; i++)
		INIT_LIST_HEAD(&pcpu_slot[i]);
	pcpu_unit_size = l->unit_size;
	pcpu_unit_pages = (int)(l->unit_size / PAGE_SIZE);
	pcpu_nr_units = nr;
	pcpu_base_addr = base;
	pcpu_static_size = s;
	pcpu_reserved_size = r;
	pcpu_dyn_size = l->dyn_size;

	if (r) {
		pcpu_reserved_chunk = pcpu_alloc_chunk((int)s,
						       (int)(l->unit_size - s - r));
		if (!pcpu_reserved_chunk)
			panic("percpu: no memory for the reserved chunk");
		pcpu_reserved_chunk->reserved = true;
		pcpu_reserved_chunk->immutable = true;
		pcpu_reserved_chunk->base_addr = __per_cpu_start;
	}
	pcpu_first_chunk = pcpu_alloc_chunk((int)(s + r), 0);
	if (!pcpu_first_chunk)
		panic("percpu: no memory for the first chunk");
	pcpu_first_chunk->immutable = true;
	pcpu_first_chunk->base_addr = __per_cpu_start;
	pcpu_chunk_relocate(pcpu_first_chunk);
	pcpu_stats.nr_chunks = pcpu_stats.nr_max_chunks = 1;
}

/* ---- statistics --------------------------------------------------- */

size_t pcpu_reserved_used(void)
{
	return __atomic_load_n(&pcpu_reserved_cur, __ATOMIC_RELAXED);
}

size_t pcpu_reserved_peak(void)
{
	return __atomic_load_n(&pcpu_reserved_max, __ATOMIC_RELAXED);
}

size_t pcpu_reserved_demand_peak(void)
{
	return __atomic_load_n(&pcpu_reserved_demand_max, __ATOMIC_RELAXED);
}

size_t pcpu_reserved_total(void)
{
	return pcpu_reserved_size;
}

void pcpu_reserved_peak_reset(void)
{
	unsigned long flags = spin_lock_irqsave(&pcpu_lock);

	pcpu_reserved_max = pcpu_reserved_cur;
	pcpu_reserved_demand_max = pcpu_reserved_cur + pcpu_reserved_pending;
	spin_unlock_irqrestore(&pcpu_lock, flags);
}

void pcpu_get_stats(struct pcpu_alloc_info *info)
{
	unsigned long flags = spin_lock_irqsave(&pcpu_lock);
	struct list_head *pos;

	info->nr_alloc = pcpu_stats.nr_alloc;
	info->nr_dealloc = pcpu_stats.nr_dealloc;
	info->nr_cur_alloc = pcpu_stats.nr_cur_alloc;
	info->nr_max_alloc = pcpu_stats.nr_max_alloc;
	info->nr_chunks = pcpu_stats.nr_chunks;
	info->nr_max_chunks = pcpu_stats.nr_max_chunks;
	info->nr_empty_chunks = 0;
	list_for_each(pos, &pcpu_slot[PCPU_NR_SLOTS - 1])
		info->nr_empty_chunks++;
	info->nr_populated = pcpu_nr_populated;
	info->nr_failures = pcpu_nr_failures;
	info->unit_size = pcpu_unit_size;
	spin_unlock_irqrestore(&pcpu_lock, flags);
}

const char *pcpu_last_failure_msg(void)
{
	return pcpu_last_failure;
}

typedef void (*pcpu_print_fn)(const char *fmt, ...) __printf(1, 2);

#define P(name, value)	print("  %-20s: %12lld\n", name, (long long)(value))

/* One chunk's figures, read under pcpu_lock, printed after. */
static void pcpu_chunk_show(pcpu_print_fn print, struct pcpu_chunk *chunk,
			    const char *tag)
{
	struct pcpu_chunk_stats st;
	int empty_pop_pages = 0, max_alloc_size;
	unsigned long flags = spin_lock_irqsave(&pcpu_lock);

	pcpu_chunk_get_stats(chunk, &st);
	max_alloc_size = chunk->max_alloc_size;
	/* Populated pages (of a unit) that hold nothing. */
	for (int page = 0; page < chunk->nr_pages; page++)
		if ((chunk->immutable ||
		     pcpu_test_bit(chunk->populated, page)) &&
		    chunk->md_blocks[page].contig_hint ==
			    PCPU_BITMAP_BLOCK_BITS)
			empty_pop_pages++;
	spin_unlock_irqrestore(&pcpu_lock, flags);

	print("Chunk:%s\n", tag);
	P("nr_alloc", st.nr_alloc);
	P("max_alloc_size", max_alloc_size);
	P("empty_pop_pages", empty_pop_pages);
	P("first_bit", st.first_bit);
	P("free_bytes", st.free_bytes);
	P("contig_bytes", st.contig_bytes);
	P("sum_frag", st.sum_frag);
	P("max_frag", st.max_frag);
	P("cur_min_alloc", st.cur_min_alloc);
	P("cur_max_alloc", st.cur_max_alloc);
	print("\n");
}

#define PCPU_SHOW_MAX_CHUNKS	32

/* Linux's /sys/kernel/debug/percpu_stats, through print.  Takes
 * pcpu_alloc_mutex (chunks are neither made nor released meanwhile). */
void pcpu_stats_print(pcpu_print_fn print)
{
	static const char dashes[] = "----------------------------------------";
	static struct pcpu_chunk *chunks[PCPU_SHOW_MAX_CHUNKS];
	struct pcpu_global_stats g;
	struct pcpu_chunk *chunk;
	unsigned long flags, populated, failures;
	size_t reserved_used, reserved_peak;
	int n = 0, more = 0;

	if (!pcpu_first_chunk)
		return;
	mutex_lock(&pcpu_alloc_mutex);
	flags = spin_lock_irqsave(&pcpu_lock);
	g = pcpu_stats;
	populated = pcpu_nr_populated;
	failures = pcpu_nr_failures;
	reserved_used = pcpu_reserved_cur;
	reserved_peak = pcpu_reserved_max;
	for (int slot = 0; slot < PCPU_NR_SLOTS; slot++) {
		list_for_each_entry(chunk, &pcpu_slot[slot], list) {
			if (n < PCPU_SHOW_MAX_CHUNKS)
				chunks[n++] = chunk;
			else
				more++;
		}
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);

	print("Percpu Memory Statistics\n");
	print("Allocation Info:\n");
	print("%s\n", dashes);
	P("unit_size", pcpu_unit_size);
	P("static_size", pcpu_static_size);
	P("reserved_size", pcpu_reserved_size);
	P("dyn_size", pcpu_dyn_size);
	P("atom_size", PAGE_SIZE);
	P("alloc_size", pcpu_unit_size);
	print("\n");
	print("Global Stats:\n");
	print("%s\n", dashes);
	P("nr_alloc", g.nr_alloc);
	P("nr_dealloc", g.nr_dealloc);
	P("nr_cur_alloc", g.nr_cur_alloc);
	P("nr_max_alloc", g.nr_max_alloc);
	P("nr_chunks", g.nr_chunks);
	P("nr_max_chunks", g.nr_max_chunks);
	P("min_alloc_size", g.min_alloc_size);
	P("max_alloc_size", g.max_alloc_size);
	P("nr_populated_pages", populated);
	P("reserved_used", reserved_used);
	P("reserved_peak", reserved_peak);
	P("nr_failed", failures);
	print("\n");
	print("Per Chunk Stats:\n");
	print("%s\n", dashes);
	if (pcpu_reserved_chunk)
		pcpu_chunk_show(print, pcpu_reserved_chunk, " <- Reserved Chunk");
	for (int i = 0; i < n; i++)
		pcpu_chunk_show(print, chunks[i], chunks[i] == pcpu_first_chunk ?
				" <- First Chunk" : "");
	if (more)
		print("(%d more chunks not shown)\n", more);
	mutex_unlock(&pcpu_alloc_mutex);
}

/* The log's copy: each line at KERN_INFO, as before. */
static __printf(1, 2) void pcpu_print_info(const char *fmt, ...)
{
	char line[128];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	pr_info("%s", line);
}

void pcpu_stats_show(void)
{
	pcpu_stats_print(pcpu_print_info);
}

/* ---- the reserved chunk's map ---------------------------------------- */

int pcpu_reserved_map(struct pcpu_map_area *areas, int max, int *start,
		      int *size)
{
	struct pcpu_chunk_area a;
	struct pcpu_owner *note;
	unsigned long flags;
	int pos = 0, n = 0;

	*start = (int)pcpu_static_size;
	*size = (int)pcpu_reserved_size;
	if (!pcpu_reserved_chunk)
		return 0;
	flags = spin_lock_irqsave(&pcpu_lock);
	while (pcpu_chunk_next_area(pcpu_reserved_chunk, &pos, &a)) {
		if (n < max) {
			areas[n].offset = a.offset;
			areas[n].size = a.size;
			areas[n].used = a.used;
			areas[n].owner[0] = '\0';
			if (a.used) {
				note = pcpu_owner_find(a.offset);
				strlcpy(areas[n].owner, note ? note->name : "?",
					sizeof(areas[n].owner));
			}
		}
		n++;
	}
	spin_unlock_irqrestore(&pcpu_lock, flags);
	return n;
}

int pcpu_stats_run_requested(void)
{
	if (percpu_stats)
		pcpu_stats_show();
	return 0;
}
