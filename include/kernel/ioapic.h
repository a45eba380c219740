/*
 * include/kernel/ioapic.h - the I/O APIC: where a device's interrupt line
 * becomes a message to a CPU's local APIC (Intel 82093AA I/O APIC data
 * sheet; ACPI 6.5 section 5.2.12.5 and 5.2.12.8 for the MADT entries).
 *
 * An ISA device raises "IRQ n" (COM1: 4).  The MADT says which I/O APIC
 * input, a Global System Interrupt, carries it: GSI n unless an Interrupt
 * Source Override says otherwise (QEMU and most PCs send IRQ 0, the PIT,
 * to GSI 2), and with the ISA default polarity and trigger (active high,
 * edge) unless the override's flags say otherwise.  Each I/O APIC serves
 * the GSIs from its gsi_base up, one redirection entry (RTE) a pin.
 */
#ifndef KERNEL_IOAPIC_H
#define KERNEL_IOAPIC_H

#include <kernel/compiler.h>

struct madt_info;

/* The vector an ISA IRQ is delivered on: 0x30 + irq (the PIC's own
 * 0x20-0x2f stay for its spurious interrupts while it is masked). */
#define ISA_IRQ_VECTOR(irq)	(0x30 + (irq))

struct ioapic_route {
	uint32_t gsi;
	unsigned int ioapic;		/* index into madt_info.ioapics */
	unsigned int pin;		/* its redirection entry */
	bool active_low;
	bool level;
	bool overridden;		/* an Interrupt Source Override said so */
};

/*
 * Pure (kernel/apic/ioapic_route.c, tested on the host): ISA IRQ irq
 * through the MADT's overrides to a GSI and that GSI to an I/O APIC pin.
 * nr_pins[i] is m->ioapics[i]'s redirection entries (its version
 * register says; 0 for one that could not be read).  0, or -ENODEV when
 * no I/O APIC serves the GSI, -EINVAL for an IRQ that is not ISA's.
 */
int ioapic_isa_route(const struct madt_info *m, const unsigned int *nr_pins,
		     unsigned int irq, struct ioapic_route *r);
/* The 64-bit redirection entry: fixed delivery, physical destination. */
uint64_t ioapic_rte(const struct ioapic_route *r, uint8_t vector,
		    uint8_t dest_apic_id, bool masked);

#define IOAPIC_RTE_MASKED	(1ULL << 16)
#define IOAPIC_RTE_LEVEL	(1ULL << 15)
#define IOAPIC_RTE_ACTIVE_LOW	(1ULL << 13)

/* Kernel glue (kernel/apic/io_apic.c). */
void ioapic_init(void);		/* map them, mask every pin */
extern bool noapic;		/* noapic: leave them alone */
/* Deliver ISA IRQ irq to the boot CPU on ISA_IRQ_VECTOR(irq). */
int ioapic_route_isa_irq(unsigned int irq);

#endif
