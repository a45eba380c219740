/*
 * kernel/smp/smpboot.c - waking the other CPUs (Linux: arch/x86/kernel/
 * smpboot.c).
 *
 * At power-on only the bootstrap processor (BSP) runs; the others, the
 * application processors (APs), wait for an INIT IPI and then a STARTUP
 * IPI (SIPI) whose vector names the page where they begin, in real mode
 * (Intel SDM Vol. 3A, 10.4.4 "MP Initialization Example").  smp_init():
 *
 *   1. picks a free page below 1 MiB and copies boot/trampoline.asm there,
 *      with page tables (three more low pages) that map that page at its
 *      own address and the kernel's half of the address space;
 *   2. smp_park_aps(), called early, has sent every AP the MADT lists
 *      (kernel/acpi/cpus.c, boot CPU first) an INIT: each waits for its
 *      SIPI without using the host's CPU; 10 ms later:
 *   3. one AP at a time: a stack with guard pages, its GDT/TSS and IST
 *      stacks, the trampoline's parameter block, then SIPI, 200 us, and a
 *      second SIPI only if the AP has not yet said it started;
 *   4. waits, with a timeout, for the AP to mark itself online.  An AP that
 *      never answers is reported and skipped; the others still come up.
 *
 * The AP's side is ap_start(): the kernel's page tables, its own GDT, TSS
 * and IDT, its GS base (per-CPU variables), its local APIC, online.
 */
#include <kernel/apic.h>
#include <kernel/bootinfo.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/gdt.h>
#include <kernel/io.h>
#include <kernel/madt.h>
#include <kernel/mm.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/traps.h>

#define KERNEL_STACK_SIZE	(16 * 1024)
#define AP_IST_STACK_SIZE	(8 * 1024)
#define TRAMPOLINE_PAGES	4	/* code, PML4, PDPT, PD */
#define TRAMPOLINE_MAGIC	0x504d5254	/* 'TRMP', boot/trampoline.asm */
#define TRAMPOLINE_PARAMS	16		/* offset of the block */
#define LOW_MEMORY_END		0x9f000		/* below the EBDA */

/* boot/trampoline.asm's parameter block, byte for byte. */
struct trampoline_params {
	uint64_t cr3;
	uint64_t efer;
	uint64_t stack;
	uint64_t entry;
	uint64_t cpu;
	uint32_t started;
	uint32_t magic;
};
/* No padding anywhere: the assembler's layout is the natural one. */
BUILD_BUG_ON(sizeof(struct trampoline_params) != 48);
BUILD_BUG_ON(offsetof(struct trampoline_params, started) != 40);

extern const uint8_t _binary_trampoline_bin_start[];
extern const uint8_t _binary_trampoline_bin_end[];
extern char boot_stack_guard[], boot_stack_top[];

/* The stack each CPU started on: for backtraces and the guard check. */
DEFINE_PER_CPU(unsigned long, cpu_stack_lo);
DEFINE_PER_CPU(unsigned long, cpu_stack_hi);
/* Its hardware APIC ID, as Linux's x86_cpu_to_apicid. */
DEFINE_PER_CPU(uint32_t, cpu_apic_id);
/* What each AP checked about itself on the way up (smp_test.c reads it). */
DEFINE_PER_CPU(unsigned int, ap_selfcheck);

BOOT_PARAM_UINT(smp_dead_cpu, "smp_dead_cpu", NR_CPUS, 0, NR_CPUS,
		"tests: CPU N plays one that never answers, no IPIs sent to it (256: none)");

static struct cpu_gdt *ap_gdt[NR_CPUS];
static uint64_t bsp_cr3;
static uint64_t trampoline_phys;
static struct trampoline_params *params;

/*
 * A run of TRAMPOLINE_PAGES available pages below 1 MiB (above the real
 * mode IVT and BIOS data in page 0).  mm reserves all of the first MiB
 * from the page allocator, so these pages belong to us alone.
 */
static uint64_t find_low_pages(const struct boot_info *bi)
{
	for (int i = 0; i < bi->mmap_count; i++) {
		const struct mem_region *r = &bi->mmap[i];
		uint64_t start = ALIGN_UP(MAX(r->base, (uint64_t)PAGE_SIZE),
					  PAGE_SIZE);
		uint64_t end = MIN(r->base + r->len, (uint64_t)LOW_MEMORY_END);

		if (r->type != MEM_AVAILABLE || start >= end)
			continue;
		if (end - start >= TRAMPOLINE_PAGES * PAGE_SIZE)
			return start;
	}
	return 0;
}

/*
 * The trampoline's page tables: the kernel's upper half (PML4 entries
 * 256..511, shared with the kernel's own tables), plus one 2 MiB identity
 * page over the first 2 MiB so the trampoline can keep running the moment
 * paging comes on.  All of it lies below 1 MiB, so a 32-bit CR3 reaches it.
 */
static void build_trampoline_tables(void)
{
	uint64_t *pml4 = phys_to_virt(trampoline_phys + PAGE_SIZE);
	uint64_t *pdpt = phys_to_virt(trampoline_phys + 2 * PAGE_SIZE);
	uint64_t *pd = phys_to_virt(trampoline_phys + 3 * PAGE_SIZE);
	const uint64_t *kernel_pml4 = phys_to_virt(read_cr3() & PAGE_MASK);

	memset(pml4, 0, PAGE_SIZE);
	memset(pdpt, 0, PAGE_SIZE);
	memset(pd, 0, PAGE_SIZE);
	/* Copied again before each AP: the kernel may have grown a new
	 * top-level entry (the vmap area, say) since the last one. */
	memcpy(&pml4[256], &kernel_pml4[256], 256 * sizeof(uint64_t));
	pml4[0] = (trampoline_phys + 2 * PAGE_SIZE) | _PAGE_PRESENT | _PAGE_RW;
	pdpt[0] = (trampoline_phys + 3 * PAGE_SIZE) | _PAGE_PRESENT | _PAGE_RW;
	pd[0] = 0 | _PAGE_PRESENT | _PAGE_RW | _PAGE_PSE;
}

static bool trampoline_setup(const struct boot_info *bi)
{
	size_t size = _binary_trampoline_bin_end - _binary_trampoline_bin_start;

	trampoline_phys = find_low_pages(bi);
	if (!trampoline_phys) {
		pr_err("smp: no free memory below 1 MiB for the AP trampoline\n");
		return false;
	}
	if (size > PAGE_SIZE) {
		pr_err("smp: the AP trampoline (%zu bytes) exceeds a page\n",
		       size);
		return false;
	}
	memcpy(phys_to_virt(trampoline_phys), _binary_trampoline_bin_start,
	       size);
	params = phys_to_virt(trampoline_phys + TRAMPOLINE_PARAMS);
	if (READ_ONCE(params->magic) != TRAMPOLINE_MAGIC) {
		pr_err("smp: trampoline parameter block mismatch (magic %#x)\n",
		       params->magic);
		return false;
	}
	return true;
}

/*
 * Facts an AP can only check from the inside, kept for the smp test
 * suite: per-CPU variables reach its own unit, its TSS is loaded, and it
 * runs on the stack it was given, in the kernel's address space.
 */
static void ap_record_selfcheck(unsigned int cpu)
{
	unsigned int ok = 0;
	uint16_t tr;
	unsigned long sp = (unsigned long)__builtin_frame_address(0);

	if (smp_processor_id() == cpu)
		ok |= AP_CHECK_CPU_NUMBER;
	__asm__ __volatile__("str %0" : "=r"(tr));
	if (tr == GDT_TSS)
		ok |= AP_CHECK_TSS;
	if (sp >= this_cpu_read(cpu_stack_lo) && sp < this_cpu_read(cpu_stack_hi))
		ok |= AP_CHECK_STACK;
	if (read_cr3() == bsp_cr3)
		ok |= AP_CHECK_CR3;
	this_cpu_write(ap_selfcheck, ok);
}

/* The AP's first C code, on its own stack, with the trampoline's tables. */
static void __noreturn ap_start(unsigned int cpu)
{
	uint64_t ist[IST_COUNT];
	const uint8_t *ist_base = (const uint8_t *)ap_gdt[cpu] + PAGE_SIZE;

	mm_ap_init();			/* the kernel's CR3, PAT, PGE */
	for (int i = 0; i < IST_COUNT; i++)
		ist[i] = (uintptr_t)ist_base + (i + 1) * AP_IST_STACK_SIZE;
	gdt_init_cpu(ap_gdt[cpu], ist);	/* own GDT and TSS */
	idt_load();			/* the shared IDT */
	percpu_init_cpu(cpu);		/* GS base: per-CPU variables work */
	lapic_init_ap();		/* same APIC mode as the BSP */
	this_cpu_write(cpu_apic_id, apic_id());
	ap_record_selfcheck(cpu);
	lapic_timer_start();		/* this CPU's own tick */

	/* Online last: the BSP waits for this, and may then use the CPU. */
	cpumask_set_cpu_atomic(cpu, cpu_online_mask);

	/* This context becomes the CPU's idle task; threads run from here. */
	cpu_startup_entry();
}

/* Allocate what one AP needs before it runs: stack, GDT/TSS, IST stacks. */
static int prepare_cpu(unsigned int cpu, void **stack)
{
	size_t gdt_size = PAGE_SIZE + IST_COUNT * AP_IST_STACK_SIZE;

	*stack = kernel_stack_alloc(KERNEL_STACK_SIZE);
	if (!*stack)
		return -ENOMEM;
	/* One allocation: the GDT/TSS page, then the IST stacks above it. */
	ap_gdt[cpu] = __get_free_pages(3);
	BUILD_BUG_ON(sizeof(struct cpu_gdt) > PAGE_SIZE);
	if (!ap_gdt[cpu] || (PAGE_SIZE << 3) < gdt_size) {
		kernel_stack_free(*stack);
		*stack = NULL;
		return -ENOMEM;
	}
	memset(ap_gdt[cpu], 0, sizeof(struct cpu_gdt));
	per_cpu(cpu_stack_lo, cpu) = (unsigned long)*stack;
	per_cpu(cpu_stack_hi, cpu) = (unsigned long)*stack + KERNEL_STACK_SIZE;
	return 0;
}

static void unprepare_cpu(unsigned int cpu, void *stack)
{
	kernel_stack_free(stack);
	free_pages(ap_gdt[cpu], 3);
	ap_gdt[cpu] = NULL;
	per_cpu(cpu_stack_lo, cpu) = 0;
	per_cpu(cpu_stack_hi, cpu) = 0;
}

/* A CPU that ignores INIT and SIPI, as broken or disabled ones do: the
 * timeouts must catch it (smp_dead_cpu=N, for the tests). */
static bool is_dead_cpu(unsigned int cpu)
{
	return smp_dead_cpu == cpu;
}

static bool aps_parked;

/*
 * INIT to every AP the MADT lists, as early as the APIC allows (kmain
 * calls this right after apic_init(), before time is calibrated): an AP
 * in "wait for SIPI" uses no host CPU, where firmware such as OVMF leaves
 * its APs spinning - with 255 emulated CPUs on two host cores that slows
 * the calibration loops by minutes and skews what they measure.
 */
void smp_park_aps(void)
{
	unsigned int count;
	const uint32_t *apicids = acpi_usable_cpus(&count);

	for (unsigned int cpu = 1; cpu < count; cpu++)
		if (!is_dead_cpu(cpu) && apic_send_init(apicids[cpu]))
			pr_err("smp: INIT to APIC ID %u not delivered\n",
			       apicids[cpu]);
	aps_parked = true;
}

/* Poll 'cond' every 10 us for at most 'usecs'; true if it came true. */
#define wait_until(cond, usecs)						\
	({								\
		unsigned long __left = (usecs);				\
		while (!(cond) && __left >= 10) {			\
			udelay(10);					\
			__left -= 10;					\
		}							\
		(bool)(cond);						\
	})

/*
 * STARTUP, as the SDM's example: at least 10 ms after INIT (sent to all
 * APs at once by smp_init()), 200 us after each SIPI.  Modern CPUs start
 * on the first SIPI; the second is for those that miss it, and is only
 * sent if the AP has not said it started.
 */
static int wake_cpu(unsigned int cpu, uint32_t apicid, void *stack)
{
	unsigned int sipis = 1;

	build_trampoline_tables();
	params->cr3 = trampoline_phys + PAGE_SIZE;
	params->efer = rdmsr(MSR_EFER) & ~(1ULL << 10);	/* LMA is read-only */
	params->stack = (uint64_t)stack + KERNEL_STACK_SIZE;
	params->entry = (uint64_t)ap_start;
	params->cpu = cpu;
	WRITE_ONCE(params->started, 0);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);

	if (is_dead_cpu(cpu))
		goto wait;

	if (apic_send_startup(apicid, (uint8_t)(trampoline_phys >> PAGE_SHIFT)))
		return -EIO;
	if (!wait_until(READ_ONCE(params->started), 200)) {
		sipis++;
		if (apic_send_startup(apicid,
				      (uint8_t)(trampoline_phys >> PAGE_SHIFT)))
			return -EIO;
	}
wait:
	/* TCG is slow to schedule a new vCPU: a generous bound. */
	if (!wait_until(READ_ONCE(params->started), 1000000)) {
		pr_err("smp: CPU %u (APIC ID %u) did not start after %u SIPIs; skipped\n",
		       cpu, apicid, sipis);
		return -ETIMEDOUT;
	}
	if (!wait_until(cpu_online(cpu), 5000000)) {
		/* It runs, but somewhere between trampoline and C it stopped:
		 * it may still use its stack, so that is never freed. */
		pr_err("smp: CPU %u (APIC ID %u) started but never came online; skipped\n",
		       cpu, apicid);
		return -EBUSY;
	}
	return 0;
}

void smp_init(const struct boot_info *bi)
{
	unsigned int count, online = 1;
	const uint32_t *apicids = acpi_usable_cpus(&count);

	bsp_cr3 = read_cr3();
	/* The boot CPU: the stack boot/multiboot2.asm gave it. */
	this_cpu_write(cpu_stack_lo, (unsigned long)boot_stack_guard + PAGE_SIZE);
	this_cpu_write(cpu_stack_hi, (unsigned long)boot_stack_top);
	this_cpu_write(cpu_apic_id, apic_id());

	if (count > 1 && trampoline_setup(bi)) {
		if (!aps_parked)
			smp_park_aps();
		/* The SDM's 10 ms from INIT to SIPI: tsc_init() alone takes
		 * longer, but say it rather than rely on it. */
		mdelay(10);
		for (unsigned int cpu = 1; cpu < count; cpu++) {
			void *stack;
			int err;

			if (!cpu_possible(cpu))
				continue;	/* no per-CPU unit for it */
			err = prepare_cpu(cpu, &stack);
			if (err) {
				pr_err("smp: no memory to start CPU %u\n", cpu);
				continue;
			}
			err = wake_cpu(cpu, apicids[cpu], stack);
			if (err == -EBUSY)
				continue;	/* its memory stays in use */
			if (err) {
				unprepare_cpu(cpu, stack);
				continue;
			}
			online++;
		}
	}
	pr_info("smp: Brought up 1 node, %u CPU%s\n", online,
		online == 1 ? "" : "s");
	printk(KERN_NOTICE "smp: %u CPUs online\n", num_online_cpus());
}
