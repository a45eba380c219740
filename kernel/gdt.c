/*
 * kernel/gdt.c - the kernel's own GDT and TSS, with IST stacks.
 *
 * The GDT boot/multiboot2.asm loaded lives in the low boot section and has
 * no TSS.  This file replaces it with one in the kernel image:
 *
 *	0x00  null
 *	0x08  kernel code: 64-bit (L=1), DPL 0
 *	0x10  kernel data: writable, DPL 0
 *	0x18  64-bit TSS descriptor (16 bytes, two slots)
 *
 * and a TSS whose Interrupt Stack Table points the exceptions that must
 * not trust the current stack at stacks of their own: IST1 for #DF (a
 * kernel stack overflow faults again while pushing the #PF frame; only a
 * fresh stack lets us report it), IST2 for NMI and IST3 for #MC (both can
 * arrive anywhere, even on the first instruction of an entry stub).
 *
 * Per CPU: a TSS cannot be shared (ltr marks its descriptor busy; the IST
 * stacks would be trampled), so each CPU gets a struct cpu_gdt and its
 * own IST stacks.  For now only the boot CPU exists and its instance and
 * stacks are static here; the SMP code calls gdt_init_cpu() on each
 * application processor with memory it allocates.
 *
 * Spec: Intel SDM Vol. 3A 3.4.5 (descriptors), 7.2.3 (TSS descriptor in
 * 64-bit mode), 7.7 (64-bit TSS), 6.14.5 (IST).
 * Simplifications: no user mode, so no user segments and no RSP0; no I/O
 * permission bitmap.
 */
#include <kernel/gdt.h>
#include <kernel/string.h>

/* Access byte and flags of the flat code and data descriptors. */
#define DESC_KERNEL_CODE	0x00AF9A000000FFFFULL	/* P, S, exec/read, L */
#define DESC_KERNEL_DATA	0x00CF92000000FFFFULL	/* P, S, read/write */
#define TSS_TYPE_AVAILABLE	0x9
#define DESC_PRESENT		(1ULL << 47)

struct gdt_ptr {
	uint16_t limit;
	uint64_t base;
} __packed;

static struct cpu_gdt boot_cpu_gdt;
static uint8_t boot_ist_stacks[IST_COUNT][IST_STACK_SIZE] __aligned(16);

/* The two GDT slots of a 64-bit TSS descriptor (SDM figure 7-4). */
static void set_tss_descriptor(uint64_t *slot, const struct tss *tss)
{
	uint64_t base = (uintptr_t)tss;
	uint64_t limit = sizeof(*tss) - 1;

	slot[0] = (limit & 0xffff) | ((base & 0xffffff) << 16) |
		  ((uint64_t)TSS_TYPE_AVAILABLE << 40) | DESC_PRESENT |
		  (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	slot[1] = base >> 32;
}

static void load_gdt(const struct cpu_gdt *cg)
{
	struct gdt_ptr ptr = {
		.limit = sizeof(cg->entries) - 1,
		.base = (uintptr_t)cg->entries,
	};

	/*
	 * CS can only change by a far transfer: push the new selector and
	 * the address of the next instruction, and "return" to them.
	 */
	__asm__ __volatile__("lgdt %0\n\t"
			     "pushq %1\n\t"
			     "leaq 1f(%%rip), %%rax\n\t"
			     "pushq %%rax\n\t"
			     "lretq\n"
			     "1:\n\t"
			     "movw %w2, %%ds\n\t"
			     "movw %w2, %%es\n\t"
			     "movw %w2, %%ss\n\t"
			     :
			     : "m"(ptr), "i"(GDT_KERNEL_CS), "r"(GDT_KERNEL_DS)
			     : "rax", "memory");
	__asm__ __volatile__("ltr %w0" : : "r"(GDT_TSS) : "memory");
}

void gdt_init_cpu(struct cpu_gdt *cg, const uint64_t ist_top[IST_COUNT])
{
	memset(cg, 0, sizeof(*cg));
	cg->entries[GDT_KERNEL_CS / 8] = DESC_KERNEL_CODE;
	cg->entries[GDT_KERNEL_DS / 8] = DESC_KERNEL_DATA;
	set_tss_descriptor(&cg->entries[GDT_TSS / 8], &cg->tss);
	for (int i = 0; i < IST_COUNT; i++)
		cg->tss.ist[i] = ist_top[i];
	cg->tss.iomap_base = sizeof(cg->tss);
	load_gdt(cg);
}

void gdt_init(void)
{
	uint64_t tops[IST_COUNT];

	for (int i = 0; i < IST_COUNT; i++)
		tops[i] = (uintptr_t)&boot_ist_stacks[i][IST_STACK_SIZE];
	gdt_init_cpu(&boot_cpu_gdt, tops);
}

const struct tss *gdt_current_tss(void)
{
	struct gdt_ptr ptr;
	uint16_t sel;
	const uint64_t *slot;
	uint64_t base;

	__asm__ __volatile__("sgdt %0" : "=m"(ptr));
	__asm__ __volatile__("str %0" : "=r"(sel));
	if (!sel || sel + 15u > ptr.limit)
		return NULL;
	slot = (const uint64_t *)(ptr.base + sel);
	base = ((slot[0] >> 16) & 0xffffff) | (((slot[0] >> 56) & 0xff) << 24) |
	       (slot[1] << 32);
	return (const struct tss *)base;
}
