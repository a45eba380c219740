/*
 * kernel/acpi/internal.h - what acpi_init() found, shared by the glue
 * (acpi.c) and its in-kernel tests (acpi_test.c).  Not for other
 * subsystems: they use acpi_find_table().
 */
#ifndef KERNEL_ACPI_INTERNAL_H
#define KERNEL_ACPI_INTERNAL_H

#include <kernel/acpi.h>

#define ACPI_MAX_TABLES		64

struct acpi_table_entry {
	uint64_t phys;
	const struct acpi_table_header *hdr;
};

struct acpi_state {
	bool have_rsdp;
	struct acpi_rsdp rsdp;		/* our copy, validated */
	uint64_t rsdp_phys;		/* where it lies; 0 if not known */
	struct acpi_root root;
	struct acpi_table_entry tables[ACPI_MAX_TABLES];
	int table_count;		/* valid tables kept */
	int rejected;			/* tables refused */
	bool have_fadt;
	struct acpi_fadt_info fadt;
	bool have_s5;
	uint8_t slp_typa, slp_typb;
	/* Hardware-reduced, memory space: the register, mapped at init. */
	volatile uint8_t *sleep_control_mmio;
};

extern struct acpi_state acpi_state;

#endif
