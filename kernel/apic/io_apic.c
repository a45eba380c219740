/*
 * kernel/apic/io_apic.c - the I/O APICs the MADT lists: mapped, every pin
 * masked at boot, and an ISA IRQ routed to the boot CPU when a driver
 * asks (82093AA I/O APIC data sheet, section 3; Linux:
 * arch/x86/kernel/apic/io_apic.c).
 *
 * Two registers in MMIO: IOREGSEL (offset 0x00) selects an internal
 * register, IOWIN (0x10) reads or writes it.  Register 1 is the version,
 * whose bits 16-23 are the last redirection entry's number; entry n is
 * registers 0x10 + 2n (low half) and 0x11 + 2n (high half: the
 * destination APIC ID in bits 24-31).  The select-then-access pair is not
 * atomic, hence ioapic_lock.
 *
 * The firmware may leave pins routed (the PIT, often); masking them all
 * first means only what a driver of ours asked for arrives.  Simplified:
 * edge-triggered ISA interrupts only, delivered to the boot CPU, and only
 * while its APIC ID fits the entry's 8-bit destination (no interrupt
 * remapping).
 */
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/ioapic.h>
#include <kernel/madt.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/spinlock.h>

#define IOREGSEL	0x00
#define IOWIN		0x10
#define IOAPIC_VER	0x01
#define IOAPIC_RTE(n)	(0x10 + 2 * (n))

BOOT_PARAM_FLAG(noapic, "noapic", "leave the I/O APICs alone: no device interrupts (serial input is polled)");

static volatile uint32_t *ioapic_regs[MADT_MAX_IOAPICS];
static unsigned int ioapic_pins[MADT_MAX_IOAPICS];
static DEFINE_SPINLOCK(ioapic_lock);

static uint32_t ioapic_read(unsigned int i, uint32_t reg)
{
	ioapic_regs[i][IOREGSEL / 4] = reg;
	return ioapic_regs[i][IOWIN / 4];
}

static void ioapic_write(unsigned int i, uint32_t reg, uint32_t value)
{
	ioapic_regs[i][IOREGSEL / 4] = reg;
	ioapic_regs[i][IOWIN / 4] = value;
}

/* High half first: the entry is unmasked only once it is whole. */
static void ioapic_write_rte(unsigned int i, unsigned int pin, uint64_t rte)
{
	ioapic_write(i, IOAPIC_RTE(pin) + 1, (uint32_t)(rte >> 32));
	ioapic_write(i, IOAPIC_RTE(pin), (uint32_t)rte);
}

void ioapic_init(void)
{
	const struct madt_info *m = acpi_madt();
	unsigned long flags;

	if (noapic) {
		pr_info("IOAPIC: not used (noapic)\n");
		return;
	}
	if (!m || !m->nr_ioapics) {
		pr_warn("IOAPIC: none in the MADT; device interrupts are not routed\n");
		return;
	}
	for (unsigned int i = 0; i < m->nr_ioapics; i++) {
		const struct madt_ioapic *io = &m->ioapics[i];
		uint32_t ver;

		ioapic_regs[i] = ioremap(io->address, PAGE_SIZE);
		if (!ioapic_regs[i]) {
			pr_err("IOAPIC[%u]: cannot map %#x; its pins stay as the firmware left them\n",
			       i, io->address);
			continue;
		}
		flags = spin_lock_irqsave(&ioapic_lock);
		ver = ioapic_read(i, IOAPIC_VER);
		ioapic_pins[i] = ((ver >> 16) & 0xff) + 1;
		for (unsigned int pin = 0; pin < ioapic_pins[i]; pin++)
			ioapic_write_rte(i, pin, IOAPIC_RTE_MASKED);
		spin_unlock_irqrestore(&ioapic_lock, flags);
		pr_info("IOAPIC[%u]: apic_id %u, version %#x, address %#x, GSI %u-%u, all masked\n",
			i, io->id, ver & 0xff, io->address, io->gsi_base,
			io->gsi_base + ioapic_pins[i] - 1);
	}
}

int ioapic_route_isa_irq(unsigned int irq)
{
	const struct madt_info *m = acpi_madt();
	uint32_t dest = per_cpu(cpu_apic_id, 0);
	struct ioapic_route r;
	unsigned long flags;
	int err;

	if (!m)
		return -ENODEV;
	err = ioapic_isa_route(m, ioapic_pins, irq, &r);
	if (err)
		return err;
	if (dest > 0xff)
		return -ERANGE;	/* would need interrupt remapping */
	flags = spin_lock_irqsave(&ioapic_lock);
	ioapic_write_rte(r.ioapic, r.pin,
			 ioapic_rte(&r, ISA_IRQ_VECTOR(irq), (uint8_t)dest, false));
	spin_unlock_irqrestore(&ioapic_lock, flags);
	pr_info("IOAPIC: ISA IRQ %u -> GSI %u%s (%s, active %s) -> vector %#x on APIC ID %u\n",
		irq, r.gsi, r.overridden ? " (override)" : "",
		r.level ? "level" : "edge", r.active_low ? "low" : "high",
		ISA_IRQ_VECTOR(irq), dest);
	return 0;
}
