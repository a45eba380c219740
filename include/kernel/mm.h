/*
 * include/kernel/mm.h - memory: physical pages, the kernel's address space,
 * kmalloc, and the module area.
 *
 * The virtual address space (x86-64, 4-level paging):
 *
 *   0x0000000000000000 .. user half: unused by this kernel, unmapped
 *   0xffff800000000000 .. direct map: all of physical memory, RW+NX
 *                         (phys_to_virt / virt_to_phys)
 *   0xffffffff80000000 .. the kernel image (text RX, rodata R, data RW+NX)
 *   0xffffffffa0000000 .. module area, up to 0xffffffffff000000: module
 *                         memory, within +-2 GiB of the kernel's text
 */
#ifndef KERNEL_MM_H
#define KERNEL_MM_H

#include <kernel/bootinfo.h>

#define PAGE_SHIFT		12
#define PAGE_SIZE		(1UL << PAGE_SHIFT)
#define PAGE_MASK		(~(PAGE_SIZE - 1))

#define PAGE_OFFSET		0xffff800000000000UL
#define KERNEL_VMA		0xffffffff80000000UL
#define MODULES_VADDR		0xffffffffa0000000UL
#define MODULES_END		0xffffffffff000000UL

static inline void *phys_to_virt(uint64_t phys)
{
	return (void *)(phys + PAGE_OFFSET);
}

static inline uint64_t virt_to_phys(const void *virt)
{
	uintptr_t v = (uintptr_t)virt;

	return v >= KERNEL_VMA ? v - KERNEL_VMA : v - PAGE_OFFSET;
}

void mm_init(const struct boot_info *bi);

#endif
