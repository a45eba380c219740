/*
 * kernel/crash.c - fault on purpose, to see (and test) the exception
 * reports of kernel/traps.c.
 *
 *	crash=divide     divide by zero                      #DE
 *	crash=pagefault  write to an unmapped address        #PF
 *	crash=ud         the ud2 instruction                 #UD
 *	crash=gp         read a non-canonical address        #GP
 *	crash=int3       a breakpoint: survived, counted     #BP
 *	crash=stack      unbounded recursion on the boot stack until it
 *	                 runs into boot_stack_guard          #PF -> #DF
 *	crash=stack-thread  the same in a kernel thread on the last CPU,
 *	                 whose stack has a guard page in the vmap area
 *	crash=doublefault  push onto an unmapped stack         #PF -> #DF
 *	crash=lockup     another CPU spins with interrupts off: the
 *	                 watchdog reports it and its backtrace, then panic
 *	crash=panic-smp  panic with every CPU up: each other CPU is stopped
 *	                 by an NMI and says where it was
 *	crash=module     modprobe coretemp, whose init faults when the
 *	                 command line also says coretemp.crash=1: the
 *	                 report names the module's function and the module
 *
 * kmain() calls crash_run_requested() once, after everything else and
 * just before machine_finish().  Every function here is noinline so it
 * has a frame of its own and shows in the Call Trace.
 *
 * crash=stack needs the guard page unmapped (mm/paging.c does it); the
 * recursion checks where it is, and if it ever gets within 512 bytes of
 * the guard's bottom without a fault it stops and says the guard is
 * mapped, rather than trampling the .bss below the stack.
 */
#include <kernel/cmdline.h>
#include <kernel/io.h>
#include <kernel/err.h>
#include <kernel/module.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/smp.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include <kernel/traps.h>


/* A hole in the address space: above the direct map (which would need
 * 32 TiB of RAM to reach it), below the vmap area; never mapped. */
#define CRASH_UNMAPPED_ADDR	0xffffa00000000000UL
/* Not canonical (bits 63..47 differ): any access is a #GP. */
#define CRASH_NONCANONICAL_ADDR	0x8000000000000000UL


extern char boot_stack_guard[];

/* Through a volatile, so the compiler cannot see the value coming. */
static volatile uint64_t crash_operand;

static noinline void crash_divide(void)
{
	uint32_t divisor = (uint32_t)crash_operand;	/* 0 */
	uint32_t quotient = 1;

	__asm__ __volatile__("xorl %%edx, %%edx\n\tdivl %1"
			     : "+a"(quotient) : "r"(divisor) : "rdx");
	pr_err("crash: 1 / 0 = %u and no fault\n", quotient);
}

static noinline void crash_pagefault(void)
{
	volatile uint64_t *p =
		(volatile uint64_t *)(crash_operand + CRASH_UNMAPPED_ADDR);

	*p = 0x2a;
	pr_err("crash: wrote to %p and no fault\n", (void *)p);
}

static noinline void crash_ud(void)
{
	__asm__ __volatile__("ud2");
	pr_err("crash: ud2 and no fault\n");
}

static noinline void crash_gp(void)
{
	volatile uint64_t *p =
		(volatile uint64_t *)(crash_operand + CRASH_NONCANONICAL_ADDR);

	pr_err("crash: read %#lx from %p and no fault\n",
	       (unsigned long)*p, (void *)p);
}

static noinline void crash_int3(void)
{
	unsigned long before = traps_int3_count();

	__asm__ __volatile__("int3");
	pr_notice("crash: int3 returned, #BP count %lu -> %lu\n", before,
		  traps_int3_count());
	dump_stack();
}

/* Returns only when it got near the guard's bottom with no fault. */
static noinline unsigned long crash_stack_recurse(unsigned long depth)
{
	volatile uint8_t pad[64];
	uint64_t sp = (uintptr_t)__builtin_frame_address(0);

	/* cpu_stack_lo: the bottom of the stack this CPU runs on now (the
	 * scheduler keeps it up to date); the guard page is just below. */
	if (sp < this_cpu_read(cpu_stack_lo) + 512) {
		pr_emerg("crash: %lu frames deep the stack is at %#lx, at its guard page, and nothing faulted\n",
			 depth, (unsigned long)sp);
		return depth;
	}
	pad[0] = (uint8_t)depth;
	/* Use pad after the call, so this is no tail call. */
	return crash_stack_recurse(depth + 1) + pad[0];
}

static noinline void crash_stack(void)
{
	crash_stack_recurse(0);
	panic("crash: the stack guard page is mapped: an overflow would go unnoticed");
}

static int crash_stack_thread_fn(void *data)
{
	(void)data;
	crash_stack();
	return 0;
}

static noinline void crash_stack_thread(void)
{
	unsigned int cpu, last = 0;

	for_each_online_cpu(cpu)
		last = cpu;
	if (IS_ERR(kthread_run_on_cpu(crash_stack_thread_fn, NULL, last,
					      "crash-stack")))
		panic("crash: could not start the overflowing thread");
	/* The overflow panics the machine long before this ends. */
	schedule_timeout_uninterruptible(5 * HZ);
	panic("crash: the thread's stack overflow went unnoticed");
}

/*
 * A #PF whose delivery faults again (the CPU cannot push the exception
 * frame: RSP points at unmapped memory) becomes a #DF, which only works
 * because its gate switches to the IST1 stack.  crash=stack ends the same
 * way once the guard page is unmapped; this shows it on any page tables.
 */
static noinline void crash_doublefault(void)
{
	__asm__ __volatile__("movq %0, %%rsp\n\t"
			     "pushq $0"
			     : : "r"(crash_operand + CRASH_UNMAPPED_ADDR + 0x1000)
			     : "memory");
	pr_err("crash: pushed onto an unmapped stack and no fault\n");
}

/* Runs in the function-call IPI on another CPU: interrupts are off, and
 * stay off for ever.  Only an NMI gets in. */
static noinline void crash_lockup_spin(void *info)
{
	(void)info;
	pr_notice("crash: CPU %u spinning with interrupts off\n",
		  smp_processor_id());
	for (;;)
		cpu_relax();
}

static noinline void crash_lockup(void)
{
	unsigned long thresh = watchdog_thresh;
	unsigned long before = watchdog_hardlockup_count();
	unsigned int target = cpumask_next_from(1, cpu_online_mask);
	uint64_t start;

	if (target >= NR_CPUS || !thresh) {
		pr_err("crash: lockup needs a second CPU and the watchdog on; ignored\n");
		return;
	}
	if (smp_call_function_single(target, crash_lockup_spin, NULL, 0)) {
		pr_err("crash: could not send the lockup to CPU %u\n", target);
		return;
	}
	/* Wait for the watchdog, a few seconds past its threshold. */
	start = ktime_get_ns();
	while (watchdog_hardlockup_count() == before &&
	       ktime_get_ns() - start < (thresh + 5) * 1000000000ULL)
		mdelay(10);
	if (watchdog_hardlockup_count() == before) {
		pr_err("crash: no hard LOCKUP reported for CPU %u within %lu s\n",
		       target, thresh + 5);
		return;
	}
	panic("crash: hard LOCKUP on CPU %u", target);
}

/* The fault is the module's own (modules/coretemp, coretemp.crash=1). */
static noinline void crash_module(void)
{
	int err;

	/* A module's parameter: the loader reads it, the line holds it. */
	if (!cmdline_find(&kernel_cmdline, "coretemp.crash"))
		pr_warn("crash: module faults only with coretemp.crash=1 on the command line\n");
	err = modprobe("coretemp");
	pr_err("crash: modprobe coretemp returned %d and no fault\n", err);
}

static noinline void crash_panic_smp(void)
{
	panic("crash: panic with %u CPUs online", num_online_cpus());
}

static const struct {
	const char *kind;
	void (*fn)(void);
} crash_kinds[] = {
	{ "divide", crash_divide },
	{ "pagefault", crash_pagefault },
	{ "ud", crash_ud },
	{ "gp", crash_gp },
	{ "int3", crash_int3 },
	{ "stack", crash_stack },
	{ "stack-thread", crash_stack_thread },
	{ "doublefault", crash_doublefault },
	{ "lockup", crash_lockup },
	{ "panic-smp", crash_panic_smp },
	{ "module", crash_module },
};

static int crash_find(const char *kind)
{
	for (size_t i = 0; i < ARRAY_SIZE(crash_kinds); i++)
		if (!strcmp(kind, crash_kinds[i].kind))
			return (int)i;
	return -1;
}

static bool known_crash(const char *kind)
{
	return crash_find(kind) >= 0;
}

BOOT_PARAM_STRING(crash_kind, "crash", NULL, known_crash,
		  "divide|pagefault|ud|gp|int3|stack|stack-thread|doublefault|lockup|panic-smp|module",
		  "fault on purpose after boot, to show the reports");

/* crash= was checked at boot (known_crash()): a kind, or nothing. */
noinline int crash_run_requested(void)
{
	int i;

	if (!crash_kind)
		return 0;
	i = crash_find(crash_kind);
	pr_notice("crash: triggering '%s' as the command line asks\n",
		  crash_kind);
	crash_kinds[i].fn();
	return 0;
}
