/*
 * kernel/apic/apic_mode.c - decide between xAPIC and x2APIC mode (Intel
 * SDM Vol. 3A, 11.12.1 "Detecting and Enabling x2APIC Mode", 11.12.5
 * "x2APIC State Transitions", figure 11-27).
 *
 * IA32_APIC_BASE bit 11 (EN) enables the local APIC and bit 10 (EXTD)
 * selects x2APIC.  The legal states are disabled (0,0), xAPIC (EN) and
 * x2APIC (EN|EXTD); EXTD without EN is invalid, and x2APIC may only be
 * left through disabled, which resets the APIC.  So:
 *
 *   firmware locked x2APIC       x2APIC, always (nox2apic is ignored):
 *                                xAPIC mode is disabled in hardware and
 *                                writing it faults; from disabled, EN|EXTD
 *                                in one write (legal, figure 11-27)
 *   firmware left x2APIC on      stay in x2APIC (even with nox2apic: the
 *                                only way out is a reset of the APIC, and
 *                                firmware may have routed things through
 *                                32-bit IDs)
 *   CPUID.1:ECX[21] and no       write EN (if it was off), then EN|EXTD
 *   nox2apic
 *   otherwise                    xAPIC: write EN if it was off
 *
 * Pure, so tests/host/test_apic_mode.c proves the x2APIC paths, which
 * QEMU 7.2 under TCG cannot (it offers no x2APIC); bochs can.
 */
#include <kernel/apic.h>

static void plan_write(struct apic_mode_plan *plan, uint64_t v)
{
	plan->writes[plan->nr_writes++] = v;
}

void apic_mode_plan(uint64_t apic_base, bool cpu_has_x2apic,
		    bool x2apic_locked, bool nox2apic,
		    struct apic_mode_plan *plan)
{
	bool en = apic_base & APIC_BASE_ENABLE;
	bool extd = apic_base & APIC_BASE_EXTD;

	plan->nr_writes = 0;
	plan->forced_x2apic = false;
	plan->locked = x2apic_locked;
	if (x2apic_locked) {
		plan->mode = APIC_MODE_X2APIC;
		plan->forced_x2apic = nox2apic;
		if (!(en && extd))
			plan_write(plan, apic_base | APIC_BASE_ENABLE |
					 APIC_BASE_EXTD);
		return;
	}
	if (en && extd) {
		plan->mode = APIC_MODE_X2APIC;
		plan->forced_x2apic = nox2apic;
		return;
	}
	/* EXTD without EN is invalid: we never leave it set alone, so
	 * clear it as we enable. */
	apic_base &= ~APIC_BASE_EXTD;
	if (!en || extd) {
		apic_base |= APIC_BASE_ENABLE;
		plan_write(plan, apic_base);
	}
	if (cpu_has_x2apic && !nox2apic) {
		plan->mode = APIC_MODE_X2APIC;
		plan_write(plan, apic_base | APIC_BASE_EXTD);
	} else {
		plan->mode = APIC_MODE_XAPIC;
	}
}
