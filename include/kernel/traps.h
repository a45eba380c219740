/*
 * include/kernel/traps.h - CPU exceptions (Intel SDM Vol. 3A, chapter 6).
 */
#ifndef KERNEL_TRAPS_H
#define KERNEL_TRAPS_H

#include <kernel/compiler.h>

/* The registers saved on entry to every exception and interrupt. */
struct pt_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	/* pushed by the CPU */
	uint64_t rip, cs, rflags, rsp, ss;
};

void trap_init(void);
/* Print a backtrace from a frame pointer, with symbol names. */
void dump_stack_from(uint64_t rip, uint64_t rbp);
void dump_stack(void);

#endif
