/*
 * include/kernel/apic.h - the local APIC (Intel SDM Vol. 3A, chapter 11
 * "Advanced Programmable Interrupt Controller (APIC)") and the legacy
 * 8259 PICs it replaces.
 *
 * Each CPU has a local APIC: it takes interrupts for its CPU (timer,
 * IPIs from other CPUs) and sends IPIs.  It runs in one of two modes:
 *
 *   xAPIC   registers are 4 KiB of memory at the address the MADT gives
 *           (0xfee00000), 16 bytes apart; 8-bit APIC IDs.
 *   x2APIC  registers are MSRs 0x800 + (offset >> 4); 32-bit APIC IDs;
 *           the ICR is one 64-bit write.
 *
 * apic_read()/apic_write()/apic_icr_write()/apic_id()/apic_eoi() hide the
 * mode: callers use the xAPIC register offsets below in both.
 */
#ifndef KERNEL_APIC_H
#define KERNEL_APIC_H

#include <kernel/compiler.h>

/* IA32_APIC_BASE (SDM 11.4.4, 11.12.1). */
#define MSR_IA32_APICBASE		0x1b
#define APIC_BASE_BSP			(1ULL << 8)
#define APIC_BASE_EXTD			(1ULL << 10)	/* x2APIC mode */
#define APIC_BASE_ENABLE		(1ULL << 11)
#define APIC_BASE_ADDR_MASK		0x000ffffffffff000ULL
#define X2APIC_MSR_BASE			0x800
#define CPUID1_ECX_X2APIC		(1U << 21)

/* Register offsets (xAPIC memory offsets; SDM table 11-1). */
#define APIC_ID		0x20
#define APIC_LVR	0x30	/* version */
#define APIC_TASKPRI	0x80
#define APIC_EOI	0xb0
#define APIC_LDR	0xd0
#define APIC_SPIV	0xf0	/* spurious interrupt vector */
#define  APIC_SPIV_APIC_ENABLED	(1U << 8)
#define APIC_ESR	0x280	/* error status */
#define APIC_ICR	0x300	/* interrupt command, low half */
#define APIC_ICR2	0x310	/* high half (xAPIC destination) */
#define  APIC_DM_FIXED		(0U << 8)
#define  APIC_DM_NMI		(4U << 8)
#define  APIC_DM_INIT		(5U << 8)
#define  APIC_DM_STARTUP	(6U << 8)
#define  APIC_ICR_BUSY		(1U << 12)	/* delivery status, xAPIC */
#define  APIC_INT_ASSERT	(1U << 14)
#define  APIC_INT_LEVELTRIG	(1U << 15)
#define  APIC_DEST_SELF		(1U << 18)	/* shorthand */
#define  APIC_DEST_ALLBUT	(3U << 18)
#define APIC_LVTT	0x320	/* timer */
#define  APIC_LVT_TIMER_PERIODIC (1U << 17)
#define APIC_LVT0	0x350	/* LINT0 */
#define APIC_LVT1	0x360	/* LINT1 */
#define APIC_LVTERR	0x370
#define  APIC_LVT_MASKED	(1U << 16)
#define APIC_TMICT	0x380	/* timer initial count */
#define APIC_TMCCT	0x390	/* timer current count */
#define APIC_TDCR	0x3e0	/* timer divide configuration */
#define  APIC_TDR_DIV_16	0x3

/* Vectors, high to low priority, Linux's names and numbers. */
#define SPURIOUS_APIC_VECTOR	0xff
#define ERROR_APIC_VECTOR	0xfe
#define LOCAL_TIMER_VECTOR	0xec
/* Inter-processor interrupts (Linux's numbers where it has them). */
#define RESCHEDULE_VECTOR	0xfd	/* kernel/sched: run the scheduler */
#define CALL_FUNCTION_VECTOR	0xfc	/* kernel/smp/call.c: run a function */
/* The legacy PICs are remapped here, masked, so a stray IRQ cannot
 * land on an exception vector. */
#define PIC_MASTER_VECTOR	0x20
#define PIC_SLAVE_VECTOR	0x28

enum apic_mode {
	APIC_MODE_XAPIC,
	APIC_MODE_X2APIC,
};

/*
 * The pure decision (kernel/apic/apic_mode.c, host tested): given the
 * IA32_APIC_BASE value firmware left, whether CPUID offers x2APIC,
 * whether firmware locked the APIC in x2APIC mode (IA32_XAPIC_DISABLE_
 * STATUS, below), and whether nox2apic was given, which mode to run in
 * and the MSR values to write, in order (0, 1 or 2 of them; the SDM's
 * state machine, figure 11-27, forbids going from x2APIC straight to
 * xAPIC, and going from disabled straight to x2APIC is done as EN then
 * EN|EXTD, except when locked: then xAPIC mode would fault, so EN|EXTD
 * at once).
 */
struct apic_mode_plan {
	enum apic_mode mode;
	unsigned int nr_writes;
	uint64_t writes[2];
	bool forced_x2apic;	/* nox2apic ignored: firmware had it on */
	bool locked;		/* firmware locked x2APIC: xAPIC would fault */
};
void apic_mode_plan(uint64_t apic_base, bool cpu_has_x2apic,
		    bool x2apic_locked, bool nox2apic,
		    struct apic_mode_plan *plan);

/* IA32_ARCH_CAPABILITIES bit 21: IA32_XAPIC_DISABLE_STATUS exists; its
 * bit 0: firmware disabled xAPIC mode for good (Intel, since about
 * 2022; Linux: x2apic_hw_locked()). */
#define MSR_IA32_ARCH_CAPABILITIES	0x10a
#define ARCH_CAP_XAPIC_DISABLE		(1ULL << 21)
#define MSR_IA32_XAPIC_DISABLE_STATUS	0xbd
#define LEGACY_XAPIC_DISABLED		(1ULL << 0)

/* ---- kernel interface (kernel/apic/lapic.c) ----------------------------- */

/* Boot CPU: mask the 8259s, pick the mode, enable the local APIC, find the
 * CPUs in the MADT.  Interrupts stay off. */
void apic_init(void);
/* An application processor: switch itself to the boot CPU's mode and
 * enable its local APIC. */
void lapic_init_ap(void);

enum apic_mode apic_mode(void);
uint32_t apic_read(uint32_t reg);
void apic_write(uint32_t reg, uint32_t val);
/* Send an IPI: 'low' is the ICR low word (vector, delivery mode, level,
 * shorthand), 'dest' the physical APIC ID.  In xAPIC mode waits (bounded)
 * for the delivery status to clear: 0, or -ETIMEDOUT. */
int apic_icr_write(uint32_t low, uint32_t dest);
uint32_t apic_id(void);
void apic_eoi(void);

/* Send a fixed/INIT/STARTUP IPI to one CPU by APIC ID. */
int apic_send_ipi(uint32_t dest_apic_id, uint8_t vector);
int apic_send_init(uint32_t dest_apic_id);
int apic_send_startup(uint32_t dest_apic_id, uint8_t page);
/* A fixed IPI to the calling CPU through the "self" shorthand. */
int apic_send_ipi_self(uint8_t vector);
/* A fixed IPI to all other CPUs through the "all but self" shorthand. */
int apic_send_ipi_allbutself(uint8_t vector);

/* Counters, for tests. */
unsigned long apic_spurious_count(void);
unsigned long apic_error_count(void);

/* The CPU's initial APIC ID per CPUID (leaf 0xb when there, else 1). */
uint32_t cpuid_initial_apic_id(void);

#endif
