/*
 * kernel/apic/ioapic_route.c - from an ISA IRQ to an I/O APIC pin and its
 * redirection entry (include/kernel/ioapic.h tells the story).
 *
 * Pure: the MADT as parsed (kernel/acpi/madt.c) and each I/O APIC's pin
 * count in, a route out; tests/host/test_ioapic.c runs it on made-up and
 * real machines' tables.
 *
 * The override's flags are the MPS INTI flags (ACPI table 5.26): bits 0-1
 * polarity, 00 "as the bus" (ISA: active high), 01 high, 11 low; bits 2-3
 * trigger, 00 "as the bus" (ISA: edge), 01 edge, 11 level.  10 is
 * reserved in both: read as the bus default, as Linux does.
 */
#include <kernel/errno.h>
#include <kernel/ioapic.h>
#include <kernel/madt.h>

#define ISA_IRQS		16
#define INTI_POLARITY(f)	((f) & 3)
#define INTI_TRIGGER(f)		(((f) >> 2) & 3)
#define INTI_ACTIVE_LOW		3
#define INTI_LEVEL		3

int ioapic_isa_route(const struct madt_info *m, const unsigned int *nr_pins,
		     unsigned int irq, struct ioapic_route *r)
{
	if (irq >= ISA_IRQS)
		return -EINVAL;
	r->gsi = irq;
	r->active_low = false;
	r->level = false;
	r->overridden = false;
	for (unsigned int i = 0; i < m->nr_overrides; i++) {
		const struct madt_override *o = &m->overrides[i];

		if (o->bus != 0 || o->source != irq)
			continue;
		r->gsi = o->gsi;
		r->active_low = INTI_POLARITY(o->flags) == INTI_ACTIVE_LOW;
		r->level = INTI_TRIGGER(o->flags) == INTI_LEVEL;
		r->overridden = true;
		break;
	}
	for (unsigned int i = 0; i < m->nr_ioapics; i++) {
		uint32_t base = m->ioapics[i].gsi_base;

		if (r->gsi >= base && r->gsi - base < nr_pins[i]) {
			r->ioapic = i;
			r->pin = r->gsi - base;
			return 0;
		}
	}
	return -ENODEV;
}

uint64_t ioapic_rte(const struct ioapic_route *r, uint8_t vector,
		    uint8_t dest_apic_id, bool masked)
{
	uint64_t rte = vector;		/* delivery mode 000: fixed */

	if (r->active_low)
		rte |= IOAPIC_RTE_ACTIVE_LOW;
	if (r->level)
		rte |= IOAPIC_RTE_LEVEL;
	if (masked)
		rte |= IOAPIC_RTE_MASKED;
	return rte | (uint64_t)dest_apic_id << 56;	/* physical mode */
}
