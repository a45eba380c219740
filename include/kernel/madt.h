/*
 * include/kernel/madt.h - the Multiple APIC Description Table (ACPI 6.5,
 * 5.2.12): where the CPUs, their local APICs and the I/O APICs are.
 *
 * The table ("APIC") is the ACPI header, the local APIC address (4 bytes),
 * flags (4 bytes), then a list of entries, each starting with a type byte
 * and a length byte.  kernel/acpi/madt.c is the pure parser (host tested in
 * tests/host/test_madt.c); kernel/acpi/cpus.c is the glue that parses the
 * firmware's table once, prints the summary and applies maxcpus= / nosmp.
 */
#ifndef KERNEL_MADT_H
#define KERNEL_MADT_H

#include <kernel/compiler.h>

/* Entry types (ACPI 6.5, table 5.21) that we read. */
#define MADT_TYPE_LOCAL_APIC		0
#define MADT_TYPE_IO_APIC		1
#define MADT_TYPE_INT_OVERRIDE		2
#define MADT_TYPE_LOCAL_APIC_NMI	4
#define MADT_TYPE_LAPIC_OVERRIDE	5
#define MADT_TYPE_LOCAL_X2APIC		9
#define MADT_TYPE_LOCAL_X2APIC_NMI	0xa

/* Processor entry flags (table 5.24). */
#define MADT_CPU_ENABLED		(1U << 0)
#define MADT_CPU_ONLINE_CAPABLE		(1U << 1)	/* MADT revision >= 5 */

/* MADT flags (table 5.20): the 8259 PICs are present (and must be masked
 * before the APICs are used). */
#define MADT_PCAT_COMPAT		(1U << 0)

/* The fixed part after the ACPI header. */
#define MADT_HEADER_LEN			44

/* Limits of what we keep; more is counted in *_dropped, never overrun. */
#define MADT_MAX_CPUS			1024
#define MADT_MAX_IOAPICS		16
#define MADT_MAX_OVERRIDES		32
#define MADT_MAX_NMIS			32

/* Uid meaning "every processor" in a LAPIC NMI entry. */
#define MADT_NMI_ALL_CPUS		0xffffffffU

struct madt_cpu {
	uint32_t apic_id;	/* xAPIC: 0..0xfe; x2APIC: 0..0xfffffffe */
	uint32_t acpi_uid;
	bool enabled;		/* false: online-capable, may be added later */
	bool x2apic_entry;	/* came from a type 9 entry */
};

struct madt_ioapic {
	uint8_t id;
	uint32_t address;
	uint32_t gsi_base;
};

/* A legacy IRQ that is wired to a different GSI, or with other polarity
 * or trigger mode, than the ISA default (table 5.26). */
struct madt_override {
	uint8_t bus;		/* 0: ISA */
	uint8_t source;		/* the ISA IRQ */
	uint32_t gsi;
	uint16_t flags;		/* MPS INTI flags: polarity, trigger */
};

/* Which LINT pin of which CPU's local APIC is wired to NMI. */
struct madt_nmi {
	uint32_t acpi_uid;	/* MADT_NMI_ALL_CPUS for all */
	uint16_t flags;
	uint8_t lint;		/* 0 or 1 */
};

struct madt_info {
	uint64_t lapic_address;		/* after any type 5 override */
	bool lapic_overridden;
	uint32_t flags;			/* MADT_PCAT_COMPAT */
	uint8_t revision;

	unsigned int nr_cpus;		/* possible: enabled or online-capable */
	unsigned int nr_enabled;
	struct madt_cpu cpus[MADT_MAX_CPUS];
	unsigned int cpus_disabled;	/* neither flag: never usable */
	unsigned int cpus_duplicate;	/* APIC ID seen before: skipped */
	unsigned int cpus_invalid;	/* APIC ID 0xff (type 0) or ~0 (type 9) */
	unsigned int x2apic_ignored;	/* type 9 with an ID below 255 where
					 * valid type 0 entries exist */
	unsigned int cpus_dropped;	/* beyond MADT_MAX_CPUS */

	unsigned int nr_ioapics;
	struct madt_ioapic ioapics[MADT_MAX_IOAPICS];
	unsigned int nr_overrides;
	struct madt_override overrides[MADT_MAX_OVERRIDES];
	unsigned int nr_nmis;
	struct madt_nmi nmis[MADT_MAX_NMIS];
	unsigned int others_dropped;	/* IOAPICs, overrides, NMIs not kept */
	unsigned int unknown_entries;	/* types we skip by their length */

	/* Set when the walk stopped on a broken entry; what came before is
	 * kept. */
	const char *error;
	size_t error_offset;
};

/*
 * Parse the MADT 'table' of 'len' bytes (the header's length must not
 * exceed it).  0 when every entry was sound; -EINVAL with *why when the
 * table is too short to hold the fixed part (out is then empty) or an
 * entry is broken (out holds what came before, and out->error says why).
 */
int madt_parse(const void *table, size_t len, struct madt_info *out,
	       const char **why);

/* Index of the CPU with this APIC ID in m->cpus, or -1. */
int madt_find_cpu(const struct madt_info *m, uint32_t apic_id);

/*
 * The CPUs the kernel will use: the boot CPU first, then the other
 * enabled CPUs in MADT order, at most 'limit' in all (maxcpus=; nosmp is
 * limit 1) and at most 'max_ids'.  Online-capable CPUs that are not
 * enabled are left out (no hot-plug).  Returns the number written.
 */
unsigned int madt_usable_cpus(const struct madt_info *m, uint32_t boot_apic_id,
			      unsigned int limit, uint32_t *ids,
			      unsigned int max_ids);

/* ---- kernel glue (kernel/acpi/cpus.c) ---------------------------------- */

/* The firmware's MADT, parsed on the first call (on the boot CPU, before
 * any other CPU runs) and the summary printed; NULL when there is none or
 * it is too short to use. */
const struct madt_info *acpi_madt(void);

/* The APIC IDs of the CPUs the kernel will start (boot CPU first), after
 * maxcpus= and nosmp; *count gets how many.  Only valid after
 * apic_init(), which knows the boot CPU's APIC ID. */
const uint32_t *acpi_usable_cpus(unsigned int *count);
/* Called by apic_init() with the boot CPU's APIC ID. */
void acpi_select_cpus(uint32_t boot_apic_id);
/* maxcpus= and nosmp (kernel/acpi/cpus.c). */
extern unsigned long maxcpus;
extern bool nosmp;

#endif
