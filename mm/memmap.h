/*
 * mm/memmap.h - turning the firmware's memory map into page ranges.
 *
 * Pure code (mm/memmap.c), shared by the kernel and tests/host/test_memmap.c.
 */
#ifndef MM_MEMMAP_H
#define MM_MEMMAP_H

#include <kernel/bootinfo.h>

/* A physical range [start, end), end exclusive. */
struct phys_range {
	uint64_t start;
	uint64_t end;
};

/* Most reservations mm_init makes: kernel, GRUB info, low 1 MiB,
 * framebuffer, and one per boot module. */
#define MEMMAP_MAX_RESERVED	(8 + BOOT_MODULES_MAX)
/* Most ranges a computation can produce: each map entry and reservation
 * can split one range into two. */
#define MEMMAP_MAX_RANGES	(BOOT_MMAP_MAX + MEMMAP_MAX_RESERVED + 1)

#define MEMMAP_TYPE(t)		(1u << (t))
#define MEMMAP_RAM_TYPES	(MEMMAP_TYPE(MEM_AVAILABLE) |		\
				 MEMMAP_TYPE(MEM_ACPI_RECLAIMABLE) |	\
				 MEMMAP_TYPE(MEM_NVS))

/*
 * Compute the parts of physical memory that some map entry of a type in
 * 'want_types' (a mask of MEMMAP_TYPE bits) covers and that no entry of any
 * other type, and no range in 'reserved', covers.  Zero-length entries are
 * ignored; entries running past 2^64 are clipped.  Adjacent pieces are
 * merged, then aligned to pages: shrunk inward (start up, end down) when
 * 'inward' (free memory: never hand out a partial page), grown outward
 * otherwise (the direct map: a partial page is still mapped whole).
 * Ranges that become empty are dropped; grown ranges that then touch or
 * overlap are merged.  The result is sorted.
 *
 * Returns the number of ranges written to 'out', or -ENOSPC when more than
 * 'max_out' would be needed, or -EINVAL for a count out of bounds.
 */
int memmap_ranges(const struct mem_region *map, int count, uint32_t want_types,
		  const struct phys_range *reserved, int nreserved, bool inward,
		  struct phys_range *out, int max_out);

/* The free page ranges: MEM_AVAILABLE minus everything else, inward. */
int memmap_free_ranges(const struct mem_region *map, int count,
		       const struct phys_range *reserved, int nreserved,
		       struct phys_range *out, int max_out);

/* Sum of the lengths of 'n' ranges, in bytes. */
uint64_t memmap_total(const struct phys_range *r, int n);

#endif
