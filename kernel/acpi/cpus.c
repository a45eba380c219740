/*
 * kernel/acpi/cpus.c - the glue around the MADT parser (kernel/acpi/
 * madt.c): find the firmware's "APIC" table, parse it once, print the
 * summary line, and pick the CPUs the kernel will start, honouring
 * maxcpus=N and nosmp as Linux does.
 *
 * Runs on the boot CPU before any other CPU is started, so the parsed
 * copy needs no lock: afterwards it is only read.
 */
#include <kernel/acpi.h>
#include <kernel/cmdline.h>
#include <kernel/madt.h>
#include <kernel/printk.h>

BOOT_PARAM_UINT(maxcpus, "maxcpus", MADT_MAX_CPUS, 0, MADT_MAX_CPUS,
		"use at most N CPUs (the boot CPU counts as one; 0 = only it)");
BOOT_PARAM_FLAG(nosmp, "nosmp", "use only the boot CPU");

static struct madt_info madt;
static bool madt_tried, madt_usable;
static uint32_t usable_ids[MADT_MAX_CPUS];
static unsigned int usable_count;

static void madt_print_summary(const struct madt_info *m)
{
	uint32_t lo = 0, hi = 0;

	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		if (i == 0 || m->cpus[i].apic_id < lo)
			lo = m->cpus[i].apic_id;
		if (i == 0 || m->cpus[i].apic_id > hi)
			hi = m->cpus[i].apic_id;
	}
	pr_info("ACPI: MADT: %u CPUs (APIC IDs %u-%u), %u IOAPIC%s, %u overrides, LAPIC at %#llx\n",
		m->nr_cpus, lo, hi, m->nr_ioapics,
		m->nr_ioapics == 1 ? "" : "s", m->nr_overrides,
		(unsigned long long)m->lapic_address);
	if (m->nr_cpus != m->nr_enabled)
		pr_info("ACPI: MADT: %u of them online-capable, not enabled\n",
			m->nr_cpus - m->nr_enabled);
	if (m->cpus_disabled || m->cpus_duplicate || m->cpus_invalid)
		pr_info("ACPI: MADT: skipped %u disabled, %u duplicate, %u invalid processor entries\n",
			m->cpus_disabled, m->cpus_duplicate, m->cpus_invalid);
	if (m->x2apic_ignored)
		pr_info("ACPI: MADT: ignored %u x2APIC entries with IDs below 255: the LAPIC entries describe those CPUs\n",
			m->x2apic_ignored);
	if (m->cpus_dropped || m->others_dropped)
		pr_warn("ACPI: MADT: %u CPUs and %u other entries beyond our limits ignored\n",
			m->cpus_dropped, m->others_dropped);
	if (m->lapic_overridden)
		pr_info("ACPI: MADT: local APIC address overridden (type 5)\n");
}

const struct madt_info *acpi_madt(void)
{
	const struct acpi_table_header *t;
	const char *why;

	if (madt_tried)
		return madt_usable ? &madt : NULL;
	madt_tried = true;
	t = acpi_find_table("APIC");
	if (!t) {
		pr_warn("ACPI: no MADT: only the boot CPU will run\n");
		return NULL;
	}
	if (madt_parse(t, t->length, &madt, &why)) {
		if (!madt.error) {
			pr_err("ACPI: MADT rejected: %s\n", why);
			return NULL;
		}
		pr_err("ACPI: MADT: %s at offset %zu; using the entries before it\n",
		       why, madt.error_offset);
	}
	madt_usable = true;
	madt_print_summary(&madt);
	return &madt;
}

void acpi_select_cpus(uint32_t boot_apic_id)
{
	const struct madt_info *m = acpi_madt();
	unsigned long limit = maxcpus;
	unsigned int possible = m ? m->nr_enabled : 1;

	if (nosmp)
		limit = 1;
	if (limit == 0)		/* maxcpus=0: Linux runs the boot CPU only */
		limit = 1;
	if (m && madt_find_cpu(m, boot_apic_id) < 0)
		pr_warn("ACPI: MADT does not list the boot CPU (APIC ID %u)\n",
			boot_apic_id);
	if (m) {
		usable_count = madt_usable_cpus(m, boot_apic_id,
						(unsigned int)MIN(limit,
							MADT_MAX_CPUS),
						usable_ids, MADT_MAX_CPUS);
	} else {
		usable_ids[0] = boot_apic_id;
		usable_count = 1;
	}
	if (usable_count < possible && nosmp)
		pr_info("smp: using %u of %u CPUs (nosmp)\n", usable_count,
			possible);
	else if (usable_count < possible)
		pr_info("smp: using %u of %u CPUs (maxcpus=%lu)\n",
			usable_count, possible, limit);
}

const uint32_t *acpi_usable_cpus(unsigned int *count)
{
	*count = usable_count;
	return usable_ids;
}
