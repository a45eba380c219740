/*
 * include/kernel/acpi.h - ACPI tables (ACPI 6.5 specification, chapter 5).
 *
 * acpi_init() finds the RSDP (from GRUB's multiboot2 tags, else by the
 * BIOS-area scan on BIOS boots), checks every checksum, and walks the XSDT
 * (or RSDT) to find the tables the kernel uses.  The FADT gives the power
 * management registers and the DSDT the \_S5 sleep values, which is all
 * that soft-off needs.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <kernel/bootinfo.h>

void acpi_init(const struct boot_info *bi);
/* Find a table by signature ("APIC", "FACP", "HPET" ...); NULL if none. */
const void *acpi_find_table(const char *sig);
/* Enter S5 (soft-off).  Returns -ENODEV/-EIO if it could not. */
int acpi_power_off(void);

#endif
