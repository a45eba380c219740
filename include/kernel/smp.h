/*
 * include/kernel/smp.h - CPU numbers and the possible/online CPU masks.
 *
 * A CPU's number (0 .. nr_cpu_ids-1, the boot CPU is 0) is the index of
 * its per-CPU unit; it is not its APIC ID.  smp_processor_id() reads the
 * per-CPU variable cpu_number with one %gs-relative load, as Linux's
 * x86 does (arch/x86/include/asm/smp.h), instead of asking the local APIC
 * and searching a table.
 *
 * The masks are plain bitmaps (Linux's struct cpumask, without the
 * variable-size machinery).  The MADT code sets the possible mask and
 * the AP start-up sets the online bits.  Updates are not atomic: they happen at boot, on one CPU.
 */
#ifndef KERNEL_SMP_H
#define KERNEL_SMP_H

#include <kernel/percpu.h>

/*
 * QEMU without KVM stops at 255 CPUs, and xAPIC IDs are 8 bits; 256 is
 * the next power of two.  x2APIC machines with more CPUs are out of scope.
 */
#define NR_CPUS			256

#define BITS_PER_LONG		64
#define CPUMASK_LONGS		(NR_CPUS / BITS_PER_LONG)

struct cpumask {
	unsigned long bits[CPUMASK_LONGS];
};

extern struct cpumask __cpu_possible_mask, __cpu_online_mask;
#define cpu_possible_mask	(&__cpu_possible_mask)
#define cpu_online_mask		(&__cpu_online_mask)

/* How many CPU numbers are in use: highest possible CPU + 1. */
extern unsigned int nr_cpu_ids;

DECLARE_PER_CPU(unsigned int, cpu_number);

static inline unsigned int smp_processor_id(void)
{
	return this_cpu_read(cpu_number);
}
#define raw_smp_processor_id()	smp_processor_id()

static inline bool cpumask_test_cpu(unsigned int cpu,
				    const struct cpumask *m)
{
	return cpu < NR_CPUS &&
	       (m->bits[cpu / BITS_PER_LONG] >> (cpu % BITS_PER_LONG)) & 1;
}

static inline void cpumask_set_cpu(unsigned int cpu, struct cpumask *m)
{
	m->bits[cpu / BITS_PER_LONG] |= 1UL << (cpu % BITS_PER_LONG);
}

/* For masks other CPUs change at the same time (cpu_online_mask). */
static inline void cpumask_set_cpu_atomic(unsigned int cpu, struct cpumask *m)
{
	__atomic_fetch_or(&m->bits[cpu / BITS_PER_LONG],
			  1UL << (cpu % BITS_PER_LONG), __ATOMIC_SEQ_CST);
}

static inline void cpumask_clear_cpu(unsigned int cpu, struct cpumask *m)
{
	m->bits[cpu / BITS_PER_LONG] &= ~(1UL << (cpu % BITS_PER_LONG));
}

/* The first set bit at or after 'cpu', or NR_CPUS. */
static inline unsigned int cpumask_next_from(unsigned int cpu,
					     const struct cpumask *m)
{
	while (cpu < NR_CPUS && !cpumask_test_cpu(cpu, m))
		cpu++;
	return cpu;
}

static inline unsigned int cpumask_weight(const struct cpumask *m)
{
	unsigned int n = 0;

	/* No popcnt: -mgeneral-regs-only builds call libgcc for it. */
	for (unsigned int i = 0; i < CPUMASK_LONGS; i++)
		for (unsigned long w = m->bits[i]; w; w &= w - 1)
			n++;
	return n;
}

#define for_each_cpu(cpu, mask)						\
	for ((cpu) = cpumask_next_from(0, mask); (cpu) < NR_CPUS;	\
	     (cpu) = cpumask_next_from((cpu) + 1, mask))
#define for_each_possible_cpu(cpu)	for_each_cpu(cpu, cpu_possible_mask)
#define for_each_online_cpu(cpu)	for_each_cpu(cpu, cpu_online_mask)

#define cpu_possible(cpu)	cpumask_test_cpu(cpu, cpu_possible_mask)
#define cpu_online(cpu)		cpumask_test_cpu(cpu, cpu_online_mask)
#define num_possible_cpus()	cpumask_weight(cpu_possible_mask)
#define num_online_cpus()	cpumask_weight(cpu_online_mask)

struct boot_info;
/* Start every usable AP (kernel/smp/smpboot.c); prints "smp: N CPUs online". */
void smp_init(const struct boot_info *bi);
/* INIT every AP early, so none spins in firmware while the BSP works. */
void smp_park_aps(void);

/* The stack each CPU started on, [lo, hi); the guard page is below lo. */
DECLARE_PER_CPU(unsigned long, cpu_stack_lo);
DECLARE_PER_CPU(unsigned long, cpu_stack_hi);
DECLARE_PER_CPU(uint32_t, cpu_apic_id);

/* Bits of ap_selfcheck: what each AP verified about itself coming up. */
#define AP_CHECK_CPU_NUMBER	(1U << 0)	/* %gs reaches its own unit */
#define AP_CHECK_TSS		(1U << 1)	/* its TSS is loaded */
#define AP_CHECK_STACK		(1U << 2)	/* on the stack it was given */
#define AP_CHECK_CR3		(1U << 3)	/* the kernel's page tables */
#define AP_CHECK_ALL		0xfU
DECLARE_PER_CPU(unsigned int, ap_selfcheck);

/* ---- cross-CPU function calls (kernel/smp/call.c) -------------------- */

typedef void (*smp_call_func_t)(void *info);

/*
 * Run func(info) on 'cpu' (directly, interrupts off, when it is this
 * CPU), on every other online CPU, or on every online CPU including this
 * one.  Remote functions run in the CALL_FUNCTION_VECTOR interrupt, with
 * interrupts off, and must not sleep.  With wait, return only once every
 * target has finished; without, once the requests are queued (info must
 * then outlive the call).  0; -EINVAL (cpu offline), -ETIMEDOUT (a target
 * did not answer within 5 s: reported), -EBUSY (called from an interrupt
 * that cut into this CPU's own call).  Call with interrupts enabled: with
 * them off it still works but is reported as a deadlock risk.
 */
int smp_call_function_single(unsigned int cpu, smp_call_func_t func,
			     void *info, int wait);
int smp_call_function(smp_call_func_t func, void *info, int wait);
int on_each_cpu(smp_call_func_t func, void *info, int wait);
/* Register the IPI handler; before any AP comes up. */
void call_function_init(void);

DECLARE_PER_CPU(unsigned long, call_function_count);
extern unsigned long smp_call_irqs_off_warnings;
extern unsigned long smp_call_timeouts;

/* ---- stopping CPUs, NMIs (kernel/smp/stop.c) ------------------------- */

struct pt_regs;
/* From panic(): NMI every other online CPU; each prints where it was
 * stopped and halts for good.  Waits (bounded) for them. */
void smp_send_stop(void);
/* Ask 'cpu' to print its registers and backtrace from an NMI (the
 * watchdog, for a CPU stuck with interrupts off).  true if it did,
 * within timeout_ms. */
bool trigger_cpu_backtrace(unsigned int cpu, unsigned int timeout_ms);
/* kernel/traps.c calls this on vector 2; true if the NMI was ours. */
bool nmi_handle(struct pt_regs *regs);
/* The CPU that is panicking, or -1. */
extern int panic_cpu;

/* ---- the hard-lockup watchdog (kernel/watchdog.c) -------------------- */

/* From every CPU's tick (kernel/time/tick.c). */
void watchdog_tick(void);
/* Hard lockups reported so far. */
unsigned long watchdog_hardlockup_count(void);
extern unsigned long watchdog_thresh;	/* watchdog_thresh=, seconds */
/* smp_dead_cpu=N (tests): CPU N plays dead; NR_CPUS when not given. */
extern unsigned long smp_dead_cpu;

#endif
