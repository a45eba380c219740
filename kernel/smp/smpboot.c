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
 *   3. for every AP, a stack with guard pages and its GDT/TSS and IST
 *      stacks; then the trampoline's parameter block, once: the tables
 *      of APIC IDs and stacks in which each AP finds itself;
 *   4. smpboot=parallel (the default, as Linux 6.5's "x86/smpboot:
 *      parallel CPU bringup"): a STARTUP IPI to every AP without waiting
 *      for any, 200 us, a second one to those that have not said they
 *      started, then one wait, with one timeout, for all to be online.
 *      smpboot=serial: one AP at a time, SIPI, 200 us, a second SIPI only
 *      if needed, and a wait for that AP, as Linux did before 6.5.
 *      Either way an AP that never answers is named and skipped; the
 *      others still come up.
 *
 * The AP's side: boot/trampoline.asm looks its APIC ID up to learn its
 * CPU number and stack; ap_start() then loads the kernel's page tables,
 * its own GDT, TSS and IDT, its GS base (per-CPU variables) and its local
 * APIC, takes the boot CPU's timer calibration, and marks itself online.
 *
 * The waits sleep: the boot CPU polls once a tick from
 * schedule_timeout_uninterruptible(), halted in between, so under an
 * emulator with more virtual CPUs than host cores it does not take the
 * host's time from the APs it waits for.
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
/* One bound for the whole parallel wait: generous for TCG, where 255
 * emulated CPUs share the host's cores. */
#define SMPBOOT_WAIT_MS(aps)	(2000 + 20 * (aps))
#define TRAMPOLINE_MAGIC	0x504d5254	/* 'TRMP', boot/trampoline.asm */
#define TRAMPOLINE_PARAMS	16		/* offset of the block */
#define LOW_MEMORY_END		0x9f000		/* below the EBDA */

/* boot/trampoline.asm's parameter block, byte for byte. */
struct trampoline_params {
	uint64_t cr3;
	uint64_t efer;
	uint64_t entry;
	uint64_t apicids;	/* const uint32_t *: CPU number -> APIC ID */
	uint64_t stacks;	/* uint64_t *: initial RSP, 0: not to start */
	uint64_t started;	/* uint8_t *: each AP sets its own byte */
	uint32_t count;
	uint32_t magic;
};
/* No padding anywhere: the assembler's layout is the natural one. */
BUILD_BUG_ON(sizeof(struct trampoline_params) != 56);
BUILD_BUG_ON(offsetof(struct trampoline_params, count) != 48);

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

static bool smpboot_serial;

static bool smpboot_take(const char *value)
{
	if (strcmp(value, "parallel") && strcmp(value, "serial"))
		return false;
	smpboot_serial = !strcmp(value, "serial");
	return true;
}
BOOT_PARAM_STRING(smpboot_mode, "smpboot", "parallel", smpboot_take,
		  "parallel|serial",
		  "wake the APs all at once (Linux 6.5), or one after another");

static struct cpu_gdt *ap_gdt[NR_CPUS];
/* The trampoline's tables, indexed by CPU number (params->stacks and
 * params->started point here). */
static uint64_t ap_stack_top[NR_CPUS];
static uint8_t ap_started[NR_CPUS];
static void *ap_stack[NR_CPUS];
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
static int prepare_cpu(unsigned int cpu)
{
	size_t gdt_size = PAGE_SIZE + IST_COUNT * AP_IST_STACK_SIZE;
	void *stack = kernel_stack_alloc(KERNEL_STACK_SIZE);

	if (!stack)
		return -ENOMEM;
	/* One allocation: the GDT/TSS page, then the IST stacks above it. */
	ap_gdt[cpu] = __get_free_pages(3);
	BUILD_BUG_ON(sizeof(struct cpu_gdt) > PAGE_SIZE);
	if (!ap_gdt[cpu] || (PAGE_SIZE << 3) < gdt_size) {
		kernel_stack_free(stack);
		return -ENOMEM;
	}
	memset(ap_gdt[cpu], 0, sizeof(struct cpu_gdt));
	per_cpu(cpu_stack_lo, cpu) = (unsigned long)stack;
	per_cpu(cpu_stack_hi, cpu) = (unsigned long)stack + KERNEL_STACK_SIZE;
	ap_stack[cpu] = stack;
	ap_stack_top[cpu] = (uint64_t)stack + KERNEL_STACK_SIZE;
	return 0;
}

/* An AP that never started: what prepare_cpu() gave it, back. */
static void unprepare_cpu(unsigned int cpu)
{
	ap_stack_top[cpu] = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	kernel_stack_free(ap_stack[cpu]);
	ap_stack[cpu] = NULL;
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

/* Check 'cond' once a tick, asleep between, for at most 'ms'. */
#define sleep_until(cond, ms)						\
	({								\
		uint64_t __end = ktime_get_ns() + (ms) * 1000000ULL;	\
		while (!(cond) && ktime_get_ns() < __end)		\
			schedule_timeout_uninterruptible(1);		\
		(bool)(cond);						\
	})

static int send_startup(unsigned int cpu, uint32_t apicid)
{
	if (is_dead_cpu(cpu))
		return 0;	/* it plays deaf: nothing is sent */
	return apic_send_startup(apicid, (uint8_t)(trampoline_phys >> PAGE_SHIFT));
}

/* The block every AP reads: set once, before the first SIPI. */
static void trampoline_params_set(const uint32_t *apicids, unsigned int count)
{
	build_trampoline_tables();
	params->cr3 = trampoline_phys + PAGE_SIZE;
	params->efer = rdmsr(MSR_EFER) & ~(1ULL << 10);	/* LMA is read-only */
	params->entry = (uint64_t)ap_start;
	params->apicids = (uint64_t)apicids;
	params->stacks = (uint64_t)ap_stack_top;
	params->started = (uint64_t)ap_started;
	params->count = count;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
}

/* What became of an AP that was sent its SIPIs: 0 online, or named. */
static int ap_outcome(unsigned int cpu, uint32_t apicid, unsigned int sipis)
{
	if (cpu_online(cpu))
		return 0;
	if (!READ_ONCE(ap_started[cpu])) {
		pr_err("smp: CPU %u (APIC ID %u) did not start after %u SIPIs; skipped\n",
		       cpu, apicid, sipis);
		return -ETIMEDOUT;
	}
	/* It runs, but somewhere between trampoline and C it stopped: it
	 * may still use its stack, so that is never freed. */
	pr_err("smp: CPU %u (APIC ID %u) started but never came online; skipped\n",
	       cpu, apicid);
	return -EBUSY;
}

/*
 * STARTUP, as the SDM's example: at least 10 ms after INIT (sent to all
 * APs at once by smp_park_aps()), 200 us after each SIPI.  Modern CPUs
 * start on the first SIPI; the second is for those that miss it, and is
 * only sent if the AP has not said it started.  A SIPI that reaches a
 * CPU already running is ignored by it.
 */
static int wake_cpu_serial(unsigned int cpu, uint32_t apicid)
{
	unsigned int sipis = 1;

	if (send_startup(cpu, apicid))
		return -EIO;
	if (!wait_until(READ_ONCE(ap_started[cpu]), 200)) {
		sipis++;
		if (send_startup(cpu, apicid))
			return -EIO;
	}
	/* TCG is slow to schedule a new vCPU: generous bounds. */
	if (sleep_until(READ_ONCE(ap_started[cpu]), 1000))
		sleep_until(cpu_online(cpu), 5000);
	return ap_outcome(cpu, apicid, sipis);
}

/* After its wait: whether CPU 'cpu' is online (err 0).  One that never
 * started gets its memory back; one that started but stopped keeps it
 * (-EBUSY: it may still run on its stack). */
static bool ap_settle(unsigned int cpu, int err)
{
	if (!err)
		return true;
	if (err != -EBUSY)
		unprepare_cpu(cpu);
	return false;
}

/* Every AP with a stack at once; the number online. */
static unsigned int wake_cpus_parallel(const uint32_t *apicids,
				       unsigned int count)
{
	unsigned int asked = 0, online = 0, cpu;

	for (cpu = 1; cpu < count; cpu++)
		if (ap_stack[cpu] && !send_startup(cpu, apicids[cpu]))
			asked++;
	udelay(200);
	for (cpu = 1; cpu < count; cpu++)
		if (ap_stack[cpu] && !READ_ONCE(ap_started[cpu]))
			send_startup(cpu, apicids[cpu]);
	/* One wait for all of them, with one bound. */
	sleep_until(num_online_cpus() == asked + 1, SMPBOOT_WAIT_MS(asked));
	for (cpu = 1; cpu < count; cpu++)
		if (ap_stack[cpu] &&
		    ap_settle(cpu, ap_outcome(cpu, apicids[cpu], 2)))
			online++;
	return online;
}

void smp_init(const struct boot_info *bi)
{
	unsigned int count, online = 1, asked = 0;
	const uint32_t *apicids = acpi_usable_cpus(&count);
	uint64_t t0 = 0;

	bsp_cr3 = read_cr3();
	/* The boot CPU: the stack boot/multiboot2.asm gave it. */
	this_cpu_write(cpu_stack_lo, (unsigned long)boot_stack_guard + PAGE_SIZE);
	this_cpu_write(cpu_stack_hi, (unsigned long)boot_stack_top);
	this_cpu_write(cpu_apic_id, apic_id());

	if (count > 1 && trampoline_setup(bi)) {
		if (!aps_parked)
			smp_park_aps();
		/* Everything each AP needs, before any runs. */
		for (unsigned int cpu = 1; cpu < count; cpu++) {
			if (!cpu_possible(cpu))
				continue;	/* no per-CPU unit for it */
			if (prepare_cpu(cpu))
				pr_err("smp: no memory to start CPU %u\n", cpu);
			else
				asked++;
		}
		/* After the allocations: they may have added a top-level
		 * entry (the vmap area) the trampoline's tables must copy. */
		trampoline_params_set(apicids, count);
		/* The SDM's 10 ms from INIT to SIPI: tsc_init() alone takes
		 * longer, but say it rather than rely on it. */
		mdelay(10);
		t0 = ktime_get_ns();
		if (!smpboot_serial) {
			online += wake_cpus_parallel(apicids, count);
		} else {
			for (unsigned int cpu = 1; cpu < count; cpu++)
				if (ap_stack[cpu] &&
				    ap_settle(cpu, wake_cpu_serial(cpu, apicids[cpu])))
					online++;
		}
	}
	if (asked) {
		uint64_t us = (ktime_get_ns() - t0) / 1000;

		pr_info("smpboot: %u of %u APs online in %llu.%llu ms (%s)\n",
			online - 1, asked, (unsigned long long)(us / 1000),
			(unsigned long long)(us % 1000 / 100),
			smpboot_serial ? "serial" : "parallel");
	}
	pr_info("smp: Brought up 1 node, %u CPU%s\n", online,
		online == 1 ? "" : "s");
	printk(KERN_NOTICE "smp: %u CPUs online\n", num_online_cpus());
}
