/*
 * kernel/apic/lapic.c - the local APIC and the legacy PICs (Intel SDM
 * Vol. 3A, chapter 11: 11.4 enabling, 11.6 issuing IPIs, 11.9 spurious
 * interrupt, 11.12 x2APIC; the 8259A data sheet for the PIC).
 *
 * apic_init() on the boot CPU:
 *   1. remaps the two 8259 PICs to vectors 0x20-0x2f and masks all 16
 *      lines: their reset vectors (8-15) are CPU exceptions, so a stray
 *      timer IRQ would look like a double fault;
 *   2. picks xAPIC or x2APIC (apic_mode_plan() in apic_mode.c) and
 *      writes IA32_APIC_BASE accordingly;
 *   3. maps the xAPIC registers with ioremap() (uncached) when needed;
 *   4. enables the local APIC (lapic_setup()): spurious vector 0xff with
 *      the software-enable bit, LINT0 masked (the PICs are silent), LINT1
 *      as NMI, an error vector;
 *   5. tells the MADT glue the boot CPU's APIC ID so it can choose the
 *      CPUs to start.
 * Interrupts stay off; time_init() turns them on.
 *
 * Simplifications: physical destination mode only; the MADT's LAPIC NMI
 * entries are not applied (LINT1 is NMI on every CPU, as on every PC we
 * know); no I/O APIC yet (nothing uses a device interrupt).  QEMU 7.2's
 * TCG offers no x2APIC, so the x2APIC paths run under bochs or real
 * hardware only; their decision logic is host tested.
 */
#include <kernel/apic.h>
#include <kernel/cmdline.h>
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/madt.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/traps.h>

BOOT_PARAM_FLAG(nox2apic, "nox2apic", "use the local APIC in xAPIC mode even if x2APIC is offered");

/* 8259A ports and initialisation words. */
#define PIC1_CMD	0x20
#define PIC1_DATA	0x21
#define PIC2_CMD	0xa0
#define PIC2_DATA	0xa1
#define ICW1_INIT_ICW4	0x11	/* edge, cascade, ICW4 follows */
#define ICW4_8086	0x01

/* In xAPIC mode, how many polls of the delivery status before giving up:
 * delivery takes well under a microsecond on hardware, and each poll is
 * an uncached read, so this is generous (and does not need a timer). */
#define ICR_BUSY_POLLS	1000000

static enum apic_mode mode;
static volatile uint32_t *xapic_regs;
static uint64_t xapic_phys;
static unsigned long spurious_count, error_count;

enum apic_mode apic_mode(void)
{
	return mode;
}

uint32_t apic_read(uint32_t reg)
{
	if (mode == APIC_MODE_X2APIC)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (reg >> 4));
	return xapic_regs[reg / 4];
}

void apic_write(uint32_t reg, uint32_t val)
{
	if (mode == APIC_MODE_X2APIC)
		wrmsr(X2APIC_MSR_BASE + (reg >> 4), val);
	else
		xapic_regs[reg / 4] = val;
}

uint32_t apic_id(void)
{
	if (mode == APIC_MODE_X2APIC)
		return (uint32_t)rdmsr(X2APIC_MSR_BASE + (APIC_ID >> 4));
	return xapic_regs[APIC_ID / 4] >> 24;
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

int apic_icr_write(uint32_t low, uint32_t dest)
{
	unsigned long flags = local_irq_save();
	int ret = 0;

	if (mode == APIC_MODE_X2APIC) {
		/* One 64-bit write; no delivery status to wait for. The
		 * fence orders earlier stores before the IPI (SDM 11.12.3:
		 * x2APIC MSR writes are not serializing). */
		__asm__ __volatile__("mfence" ::: "memory");
		wrmsr(X2APIC_MSR_BASE + (APIC_ICR >> 4),
		      (uint64_t)dest << 32 | low);
	} else {
		int polls = ICR_BUSY_POLLS;

		xapic_regs[APIC_ICR2 / 4] = dest << 24;
		xapic_regs[APIC_ICR / 4] = low;
		while (xapic_regs[APIC_ICR / 4] & APIC_ICR_BUSY) {
			if (--polls == 0) {
				ret = -ETIMEDOUT;
				break;
			}
			cpu_relax();
		}
	}
	local_irq_restore(flags);
	if (ret)
		pr_err("APIC: IPI %#x to APIC ID %u not delivered (timeout)\n",
		       low, dest);
	return ret;
}

int apic_send_ipi(uint32_t dest_apic_id, uint8_t vector)
{
	return apic_icr_write(APIC_DM_FIXED | APIC_INT_ASSERT | vector,
			      dest_apic_id);
}

int apic_send_ipi_self(uint8_t vector)
{
	return apic_icr_write(APIC_DEST_SELF | APIC_DM_FIXED |
			      APIC_INT_ASSERT | vector, 0);
}

/*
 * A fixed IPI to every other CPU through the "all excluding self"
 * shorthand: one ICR write instead of one per target.  CPUs the kernel
 * did not start sit in wait-for-SIPI, where a fixed IPI is not taken.
 */
int apic_send_ipi_allbutself(uint8_t vector)
{
	return apic_icr_write(APIC_DEST_ALLBUT | APIC_DM_FIXED |
			      APIC_INT_ASSERT | vector, 0);
}

/* INIT, level-triggered assert (SDM 11.6.1; the de-assert form is only
 * for Pentium and P6 and is not sent). */
int apic_send_init(uint32_t dest_apic_id)
{
	return apic_icr_write(APIC_DM_INIT | APIC_INT_LEVELTRIG |
			      APIC_INT_ASSERT, dest_apic_id);
}

/* STARTUP: the AP starts in real mode at page * 4 KiB. */
int apic_send_startup(uint32_t dest_apic_id, uint8_t page)
{
	return apic_icr_write(APIC_DM_STARTUP | page, dest_apic_id);
}

uint32_t cpuid_initial_apic_id(void)
{
	uint32_t a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
	if (a >= 0xb) {
		cpuid_count(0xb, 0, &a, &b, &c, &d);
		if (b != 0)	/* leaf 0xb implemented */
			return d;
	}
	cpuid(1, &a, &b, &c, &d);
	return b >> 24;
}

unsigned long apic_spurious_count(void)
{
	return READ_ONCE(spurious_count);
}

unsigned long apic_error_count(void)
{
	return READ_ONCE(error_count);
}

/* SDM 11.9: a spurious interrupt is not in service, so no EOI. */
static void spurious_handler(struct pt_regs *regs)
{
	(void)regs;
	__atomic_fetch_add(&spurious_count, 1, __ATOMIC_RELAXED);
}

/* SDM 11.5.3: write ESR to latch the errors, read them, acknowledge. */
static void error_handler(struct pt_regs *regs)
{
	uint32_t esr;

	(void)regs;
	apic_write(APIC_ESR, 0);
	esr = apic_read(APIC_ESR);
	__atomic_fetch_add(&error_count, 1, __ATOMIC_RELAXED);
	apic_eoi();
	pr_err("APIC: error interrupt on APIC ID %u, ESR %#x\n", apic_id(),
	       esr);
}

/* Remap the 8259s away from the exception vectors and mask every line. */
static void pic_remap_and_mask(void)
{
	outb(PIC1_DATA, 0xff);
	outb(PIC2_DATA, 0xff);
	outb(PIC1_CMD, ICW1_INIT_ICW4);
	io_delay();
	outb(PIC2_CMD, ICW1_INIT_ICW4);
	io_delay();
	outb(PIC1_DATA, PIC_MASTER_VECTOR);	/* ICW2: vector base */
	io_delay();
	outb(PIC2_DATA, PIC_SLAVE_VECTOR);
	io_delay();
	outb(PIC1_DATA, 1 << 2);		/* ICW3: slave on IRQ2 */
	io_delay();
	outb(PIC2_DATA, 2);			/* ICW3: cascade identity */
	io_delay();
	outb(PIC1_DATA, ICW4_8086);
	io_delay();
	outb(PIC2_DATA, ICW4_8086);
	io_delay();
	outb(PIC1_DATA, 0xff);			/* OCW1: mask all */
	outb(PIC2_DATA, 0xff);
}

/*
 * Did firmware lock this CPU in x2APIC mode?  IA32_ARCH_CAPABILITIES
 * (present when CPUID.(7,0):EDX[29] says so) bit 21 says whether
 * IA32_XAPIC_DISABLE_STATUS exists; its bit 0 says xAPIC mode is
 * disabled, and writing it would fault (Linux: x2apic_hw_locked()).
 */
static bool x2apic_hw_locked(void)
{
	uint32_t a, b, c, d;

	cpuid(0, &a, &b, &c, &d);
	if (a < 7)
		return false;
	cpuid_count(7, 0, &a, &b, &c, &d);
	if (!(d & (1u << 29)))
		return false;
	if (!(rdmsr(MSR_IA32_ARCH_CAPABILITIES) & ARCH_CAP_XAPIC_DISABLE))
		return false;
	return rdmsr(MSR_IA32_XAPIC_DISABLE_STATUS) & LEGACY_XAPIC_DISABLED;
}

/* Choose and enter a mode on this CPU; x2APIC only if 'x2apic_allowed'
 * (or locked by firmware).  Returns the mode the CPU is now in. */
static enum apic_mode apic_switch_mode(bool x2apic_allowed, bool *forced,
				       bool *locked)
{
	uint32_t a, b, c, d;
	struct apic_mode_plan plan;
	uint64_t base = rdmsr(MSR_IA32_APICBASE);

	cpuid(1, &a, &b, &c, &d);
	apic_mode_plan(base, c & CPUID1_ECX_X2APIC, x2apic_hw_locked(),
		       !x2apic_allowed, &plan);
	for (unsigned int i = 0; i < plan.nr_writes; i++)
		wrmsr(MSR_IA32_APICBASE, plan.writes[i]);
	*forced = plan.forced_x2apic;
	*locked = plan.locked;
	return plan.mode;
}

/* Program this CPU's local APIC: the same on every CPU. */
static void lapic_setup(void)
{
	apic_write(APIC_TASKPRI, 0);			/* accept all */
	apic_write(APIC_LVTT, APIC_LVT_MASKED);		/* time_init() */
	apic_write(APIC_LVT0, APIC_LVT_MASKED);		/* PICs masked */
	apic_write(APIC_LVT1, APIC_DM_NMI);
	apic_write(APIC_LVTERR, ERROR_APIC_VECTOR);
	apic_write(APIC_ESR, 0);			/* clear old errors */
	apic_write(APIC_ESR, 0);
	apic_write(APIC_SPIV, APIC_SPIV_APIC_ENABLED | SPURIOUS_APIC_VECTOR);
	apic_eoi();					/* nothing left over */
}

void apic_init(void)
{
	const struct madt_info *madt = acpi_madt();
	bool forced, locked;
	uint64_t base;

	pic_remap_and_mask();

	/* The boot CPU decides the mode for all. */
	mode = apic_switch_mode(!nox2apic, &forced, &locked);
	if (locked)
		pr_info("APIC: x2APIC locked by firmware (IA32_XAPIC_DISABLE_STATUS); staying in x2APIC\n");
	if (forced)
		pr_warn("APIC: nox2apic ignored: firmware left x2APIC on\n");
	base = rdmsr(MSR_IA32_APICBASE);

	if (mode == APIC_MODE_XAPIC) {
		xapic_phys = madt ? madt->lapic_address
				  : (base & APIC_BASE_ADDR_MASK);
		if (madt && xapic_phys != (base & APIC_BASE_ADDR_MASK))
			pr_warn("APIC: MADT says LAPIC at %#llx, IA32_APIC_BASE says %#llx; using the MADT\n",
				(unsigned long long)xapic_phys,
				(unsigned long long)(base & APIC_BASE_ADDR_MASK));
		xapic_regs = ioremap(xapic_phys, PAGE_SIZE);
		if (!xapic_regs)
			panic("APIC: cannot map the local APIC at %#llx",
			      (unsigned long long)xapic_phys);
	}

	if (register_interrupt_handler(SPURIOUS_APIC_VECTOR,
				       spurious_handler) ||
	    register_interrupt_handler(ERROR_APIC_VECTOR, error_handler))
		pr_err("APIC: spurious/error vectors already taken\n");
	lapic_setup();

	if (mode == APIC_MODE_X2APIC)
		pr_info("APIC: x2APIC mode, id %u\n", apic_id());
	else
		pr_info("APIC: xAPIC mode at %#llx, id %u\n",
			(unsigned long long)xapic_phys, apic_id());

	acpi_select_cpus(apic_id());
}

/*
 * An AP follows the boot CPU.  If its firmware left it in x2APIC while the
 * boot CPU runs xAPIC, it cannot follow (leaving x2APIC resets the APIC);
 * it says so and goes on in x2APIC mode, which the accessors cannot serve
 * per CPU, so this is reported as an error.
 */
void lapic_init_ap(void)
{
	bool forced, locked;

	if (apic_switch_mode(mode == APIC_MODE_X2APIC, &forced, &locked) != mode)
		pr_err("APIC: CPU with APIC ID %u left in x2APIC by firmware while the boot CPU uses xAPIC\n",
		       cpuid_initial_apic_id());
	lapic_setup();
}
