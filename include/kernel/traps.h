/*
 * include/kernel/traps.h - CPU exceptions and interrupt vectors (Intel SDM
 * Vol. 3A, chapter 6 "Interrupt and Exception Handling").
 *
 * Vectors 0..31 are the CPU's exceptions: kernel/traps.c reports each one
 * (name, registers, a backtrace with symbol names) and panics, except #BP
 * (int3), which is counted and survived.  Vectors 32..255 belong to
 * whoever registers a handler (the local APIC timer, IPIs); an
 * unregistered one is reported once as spurious.
 */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include <kernel/compiler.h>
#include <kernel/percpu.h>

/*
 * The registers saved on entry to every exception and interrupt, in the
 * order kernel/entry.asm pushes them (lowest address first).
 */
struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;	/* error_code 0 when the CPU has none */
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

#define NR_VECTORS		256
#define FIRST_EXTERNAL_VECTOR	32

/* Exception vectors (SDM table 6-1), Linux's X86_TRAP_* numbers. */
#define X86_TRAP_DE	0	/* divide error */
#define X86_TRAP_DB	1	/* debug */
#define X86_TRAP_NMI	2	/* non-maskable interrupt */
#define X86_TRAP_BP	3	/* breakpoint (int3) */
#define X86_TRAP_OF	4	/* overflow */
#define X86_TRAP_BR	5	/* bound range exceeded */
#define X86_TRAP_UD	6	/* invalid opcode */
#define X86_TRAP_NM	7	/* device not available */
#define X86_TRAP_DF	8	/* double fault */
#define X86_TRAP_TS	10	/* invalid TSS */
#define X86_TRAP_NP	11	/* segment not present */
#define X86_TRAP_SS	12	/* stack-segment fault */
#define X86_TRAP_GP	13	/* general protection */
#define X86_TRAP_PF	14	/* page fault */
#define X86_TRAP_MF	16	/* x87 floating-point error */
#define X86_TRAP_AC	17	/* alignment check */
#define X86_TRAP_MC	18	/* machine check */
#define X86_TRAP_XF	19	/* SIMD floating-point */
#define X86_TRAP_VE	20	/* virtualization exception */
#define X86_TRAP_CP	21	/* control protection */

/* Build the GDT/TSS and the IDT, and load both on the boot CPU. */
void trap_init(void);
/* Load the (shared) IDT on the calling CPU: for application processors,
 * after gdt_init_cpu() gave them their own GDT and TSS. */
void idt_load(void);

/*
 * Vectors 32..255.  fn runs with interrupts off, on the interrupted stack;
 * it must acknowledge its interrupt itself (APIC EOI).  0, -EINVAL for a
 * vector out of range or a NULL fn, -EBUSY when the vector is taken.
 */
int register_interrupt_handler(unsigned vector, void (*fn)(struct pt_regs *));
/* 0, or -EINVAL when fn is not the handler registered for the vector. */
int unregister_interrupt_handler(unsigned vector,
				 void (*fn)(struct pt_regs *));

/* Counters, for tests and reports. */
unsigned long traps_int3_count(void);		/* #BP survived */
unsigned long traps_spurious_count(void);	/* unregistered vectors */

/* Registers, control registers and the Call Trace of an interrupted
 * context (the fatal-exception report's body; NMI backtraces). */
void show_regs(const struct pt_regs *regs);

/* NMIs being handled on this CPU now (kernel/traps.c). */
DECLARE_PER_CPU(unsigned int, nmi_depth);
static inline bool in_nmi(void)
{
	return this_cpu_read(nmi_depth) != 0;
}

/* Print a backtrace from a frame pointer, with symbol names. */
void dump_stack_from(uint64_t rip, uint64_t rbp);
void dump_stack(void);

/* Is addr (a fault address or stack pointer) in the boot CPU's stack
 * guard page, or the word just above it?  The #DF report uses it. */
bool stack_guard_hit(uint64_t addr);

/* kernel/crash.c: fault on purpose when the command line says crash=. */
int crash_run_requested(void);

#endif
