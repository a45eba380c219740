/*
 * include/kernel/acpi.h - ACPI tables (ACPI 6.5 specification, chapter 5).
 *
 * acpi_init() finds the RSDP (from GRUB's multiboot2 tags, else by the
 * BIOS-area scan on BIOS boots), checks every checksum, and walks the XSDT
 * (or RSDT) to find the tables the kernel uses.  The FADT gives the power
 * management registers and the DSDT the \_S5 sleep values, which is all
 * that soft-off needs.
 *
 * The second half of this header is the pure core (kernel/acpi/tables.c,
 * kernel/acpi/s5.c): parsers over buffers with no kernel globals, reached
 * through a caller-supplied map function so that tests/host/test_acpi.c
 * can feed them hand-made tables.
 */
#ifndef KERNEL_ACPI_H
#define KERNEL_ACPI_H

#include <kernel/bootinfo.h>

/* ---- the kernel's interface ------------------------------------------- */

void acpi_init(const struct boot_info *bi);
/* Find a table by signature ("APIC", "FACP", "DSDT", "HPET" ...); the
 * first valid one, or NULL if none. */
const void *acpi_find_table(const char *sig);
/* Enter S5 (soft-off).  Returns -ENODEV/-EIO if it could not. */
int acpi_power_off(void);
/* FADT RESET_REG; returns only if it did not reset (-ENODEV: none). */
int acpi_reboot(void);
/* The FADT's IA-PC boot flags on the 8042: 1 yes, 0 no, -1 not said. */
int acpi_i8042_present(void);

/* ---- table layouts (ACPI 6.5, 5.2) ------------------------------------- */

/* 5.2.5.3: the Root System Description Pointer. */
struct acpi_rsdp {
	char signature[8];		/* "RSD PTR " */
	uint8_t checksum;		/* over the first 20 bytes */
	char oem_id[6];
	uint8_t revision;		/* 0: ACPI 1.0, 2: ACPI 2.0+ */
	uint32_t rsdt_address;
	/* ACPI 2.0+ only: */
	uint32_t length;		/* of this structure: 36 */
	uint64_t xsdt_address;
	uint8_t extended_checksum;	/* over 'length' bytes */
	uint8_t reserved[3];
} __packed;

#define ACPI_RSDP_V1_LEN	20
#define ACPI_RSDP_V2_LEN	36

/* 5.2.6: the header every description table starts with. */
struct acpi_table_header {
	char signature[4];
	uint32_t length;		/* of the whole table, header in */
	uint8_t revision;
	uint8_t checksum;		/* all 'length' bytes sum to 0 */
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char asl_compiler_id[4];
	uint32_t asl_compiler_revision;
} __packed;

/* 5.2.3.2: Generic Address Structure. */
struct acpi_gas {
	uint8_t space_id;
	uint8_t bit_width;
	uint8_t bit_offset;
	uint8_t access_size;
	uint64_t address;
} __packed;

#define ACPI_SPACE_MEMORY	0
#define ACPI_SPACE_IO		1

/* No real table is anywhere near this; a larger length is corruption. */
#define ACPI_TABLE_MAX_LEN	(16U << 20)

/* ---- the pure core ----------------------------------------------------- */

/*
 * Reach 'len' bytes of physical memory at 'phys'; NULL if they cannot be
 * reached.  The kernel passes memremap(), the host tests a buffer.
 */
typedef const void *(*acpi_map_fn)(uint64_t phys, size_t len, void *ctx);

/* The byte that, added to the sum of 'len' bytes, gives 0 mod 256;
 * 0 when the bytes already sum to 0. */
uint8_t acpi_checksum(const void *buf, size_t len);

/* Check an RSDP of at most 'avail' bytes: signature, v1 checksum, and for
 * revision >= 2 the length and extended checksum.  0 or -EINVAL. */
int acpi_rsdp_validate(const void *buf, size_t avail, const char **why);

/* First valid RSDP on a 16-byte boundary in buf[0..len); -1 if none. */
long acpi_rsdp_scan(const void *buf, size_t len);

/* Check a table of at most 'avail' bytes: signature (when 'sig' is not
 * NULL), sane length, checksum.  0 or -EINVAL with a reason. */
int acpi_table_validate(const void *buf, size_t avail, const char *sig,
			const char **why);

/* Map and validate the table at 'phys' (header first, then 'length').
 * NULL with a reason on any problem. */
const struct acpi_table_header *acpi_table_load(acpi_map_fn map, void *ctx,
						uint64_t phys, const char *sig,
						const char **why);

/* The root table: the XSDT when the RSDP is v2+ and the XSDT is valid,
 * else the RSDT.  '*xsdt_why' gets the reason an XSDT was passed over
 * (NULL if it was used or there was none). */
struct acpi_root {
	const struct acpi_table_header *table;
	uint64_t phys;
	bool is_xsdt;
	size_t entries;
};
int acpi_root_load(const struct acpi_rsdp *rsdp, acpi_map_fn map, void *ctx,
		   struct acpi_root *root, const char **xsdt_why,
		   const char **why);
/* The physical address in entry i (i < root->entries). */
uint64_t acpi_root_entry(const struct acpi_root *root, size_t i);

/* What soft-off needs from the FADT (5.2.9). */
struct acpi_fadt_info {
	uint64_t dsdt;			/* X_DSDT if non-zero, or DSDT */
	uint32_t smi_cmd;		/* port; 0: no ACPI mode switch */
	uint8_t acpi_enable;		/* the value to write to SMI_CMD */
	uint16_t pm1a_cnt;		/* I/O ports; 0: absent */
	uint16_t pm1b_cnt;
	bool hw_reduced;		/* FADT flag HW_REDUCED_ACPI */
	bool has_sleep_control;		/* SLEEP_CONTROL_REG present */
	struct acpi_gas sleep_control;
	bool has_iapc_boot_arch;	/* FADT revision >= 3 */
	uint16_t iapc_boot_arch;	/* ACPI_IAPC_* below */
	bool has_reset_reg;		/* flag RESET_REG_SUP, address != 0 */
	struct acpi_gas reset_reg;
	uint8_t reset_value;
};

#define ACPI_FADT_RESET_REG_SUP	(1U << 10)
#define ACPI_FADT_HW_REDUCED	(1U << 20)
/* IA-PC boot architecture flags (5.2.9.3). */
#define ACPI_IAPC_LEGACY_DEVICES (1U << 0)
#define ACPI_IAPC_8042		(1U << 1)
#define ACPI_IAPC_NO_VGA	(1U << 2)

int acpi_fadt_parse(const struct acpi_table_header *fadt,
		    struct acpi_fadt_info *out, const char **why);

/* PM1 control register bits (4.8.3.2.1). */
#define ACPI_PM1_SCI_EN		(1U << 0)
#define ACPI_PM1_SLP_TYP_SHIFT	10
#define ACPI_PM1_SLP_TYP_MASK	(7U << 10)
#define ACPI_PM1_SLP_EN		(1U << 13)
/* Sleep control register bits, hardware-reduced ACPI (4.8.3.7). */
#define ACPI_SLEEP_TYP_SHIFT	2
#define ACPI_SLEEP_TYP_MASK	(7U << 2)
#define ACPI_SLEEP_EN		(1U << 5)

/* Find Name(\_S5, Package(){SLP_TYPa, SLP_TYPb, ...}) in AML bytes.
 * 0, -ENOENT (no _S5 object) or -EINVAL (only malformed ones). */
int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
		     uint8_t *slp_typb, const char **why);

#endif
