/*
 * include/kernel/gdt.h - the kernel's GDT and TSS (Intel SDM Vol. 3A,
 * 3.4.5 "Segment Descriptors", 7.2.3 "TSS Descriptor in 64-bit mode",
 * 7.7 "Task Management in 64-bit Mode").
 *
 * In long mode segments are almost gone: the GDT still has to hold a code
 * descriptor (CS, with L=1), a data descriptor (SS, DS, ES) and one TSS
 * descriptor.  The TSS no longer switches tasks; for this kernel it holds
 * only the Interrupt Stack Table (IST): up to seven known-good stacks the
 * CPU switches to for the exceptions whose IDT gate names one, whatever
 * the stack was when they struck.
 *
 * Every CPU needs its own TSS (a TSS descriptor is marked busy by `ltr`,
 * and two CPUs must not share IST stacks), hence its own GDT: struct
 * cpu_gdt holds both.  The boot CPU's lives in kernel/gdt.c; the SMP code
 * allocates one per application processor and calls gdt_init_cpu() on it.
 */
#ifndef KERNEL_GDT_H
#define KERNEL_GDT_H

#include <kernel/compiler.h>

#define GDT_KERNEL_CS		0x08
#define GDT_KERNEL_DS		0x10
#define GDT_TSS			0x18	/* 16 bytes: two GDT slots */
#define GDT_ENTRIES		5	/* null, code, data, TSS low, TSS high */

/* IST slots (1-based, as an IDT gate names them). */
#define IST_DOUBLE_FAULT	1
#define IST_NMI			2
#define IST_MACHINE_CHECK	3
#define IST_COUNT		3
/* Every CPU's IST stacks have this size (the backtrace code relies on it
 * to know where an IST stack starts). */
#define IST_STACK_SIZE		(16 * 1024)

/* The 64-bit TSS (SDM Vol. 3A, figure 7-11). */
struct tss {
	uint32_t reserved0;
	uint64_t rsp[3];	/* stacks for a change to CPL 0..2: unused */
	uint64_t reserved1;
	uint64_t ist[7];	/* IST1..IST7: top of each stack */
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;	/* beyond the limit: no I/O bitmap */
} __packed;

struct cpu_gdt {
	uint64_t entries[GDT_ENTRIES] __aligned(16);
	struct tss tss __aligned(16);
};

/*
 * Fill 'cg' (descriptors, and a TSS whose IST1..IST3 are ist_top[0..2]),
 * then load it on the calling CPU: lgdt, reload CS by a far return and
 * SS/DS/ES, ltr.  FS and GS are left alone, so a per-CPU GS base set
 * before this call survives.
 */
void gdt_init_cpu(struct cpu_gdt *cg, const uint64_t ist_top[IST_COUNT]);
/* The boot CPU: its static struct cpu_gdt and IST stacks. */
void gdt_init(void);
/* The TSS the calling CPU has loaded (found through sgdt and str). */
const struct tss *gdt_current_tss(void);

#endif
