/*
 * kernel/acpi/acpi.c - find the ACPI tables at boot and switch the machine
 * off (ACPI 6.5: 5.2.5 finding the RSDP, 4.8.3 PM1 control, 7.4.2 \_S5,
 * 16.1.7 "Transitioning from the Working to the Soft Off State").
 *
 * The glue around the pure core (tables.c, s5.c): it decides where to
 * look, maps memory with memremap(), prints one line per table as Linux
 * does, keeps the list for acpi_find_table(), and does the port I/O of
 * soft-off.  Everything power-off needs (the PM1 ports, the \_S5 values)
 * is worked out here at boot, so shutdown parses nothing.
 *
 * Simplifications: no AML interpreter (so no _PTS/_GTS methods run before
 * sleeping, which QEMU and most PCs do not need for S5), no FACS, no
 * wake-status handling, and at most ACPI_MAX_TABLES tables.
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>
#include <kernel/time.h>
#include "internal.h"

struct acpi_state acpi_state;

/*
 * Waits are bounds, polled with udelay(): on the calibrated TSC once
 * tsc_init() has run, on port 0x80 writes (about 1 us each) before.
 * Power-off gets longer than a chipset needs, because under emulation the
 * write to PM1_CNT only asks the emulator's main loop to stop, and on a
 * loaded host that can take a while.
 */
#define ACPI_ENABLE_WAIT_US	1000000
#define ACPI_POWEROFF_WAIT_MS	5000

static const void *acpi_map(uint64_t phys, size_t len, void *ctx)
{
	(void)ctx;
	return memremap(phys, len);
}

/* Firmware strings: up to n characters, stop at NUL, '?' for the rest. */
static void fix_string(char *dst, const char *src, size_t n)
{
	size_t i;

	for (i = 0; i < n && src[i]; i++)
		dst[i] = (src[i] >= 0x20 && src[i] < 0x7f) ? src[i] : '?';
	dst[i] = '\0';
}

/*
 * As Linux prints it:
 * ACPI: FACP 0x000000007FFE18B4 0000F4 (v03 BOCHS  BXPC     00000001 BXPC 00000001)
 */
static void print_table(uint64_t phys, const struct acpi_table_header *t)
{
	char sig[5], oem[7], oem_table[9], asl[5];

	fix_string(sig, t->signature, 4);
	fix_string(oem, t->oem_id, 6);
	fix_string(oem_table, t->oem_table_id, 8);
	fix_string(asl, t->asl_compiler_id, 4);
	pr_info("ACPI: %-4s 0x%016llX %06X (v%02u %-6s %-8s %08X %-4s %08X)\n",
		sig, (unsigned long long)phys, t->length, t->revision, oem,
		oem_table, t->oem_revision, asl, t->asl_compiler_revision);
}

static void print_rsdp(void)
{
	const struct acpi_rsdp *r = &acpi_state.rsdp;
	char oem[7];

	fix_string(oem, r->oem_id, 6);
	if (acpi_state.rsdp_phys)
		pr_info("ACPI: RSDP 0x%016llX %06X (v%02u %-6s)\n",
			(unsigned long long)acpi_state.rsdp_phys,
			r->revision >= 2 ? r->length : ACPI_RSDP_V1_LEN,
			r->revision, oem);
	else
		pr_info("ACPI: RSDP (boot loader's copy) %06X (v%02u %-6s)\n",
			r->revision >= 2 ? r->length : ACPI_RSDP_V1_LEN,
			r->revision, oem);
}

/* ---- finding the RSDP --------------------------------------------------- */

/* Scan [base, base+len) of low memory for a valid RSDP; 0 if none. */
static uint64_t scan_area(uint64_t base, size_t len)
{
	const uint8_t *p = acpi_map(base, len, NULL);
	long off;

	if (!p)
		return 0;
	off = acpi_rsdp_scan(p, len);
	return off < 0 ? 0 : base + (uint64_t)off;
}

/*
 * 5.2.5.1: on BIOS systems the RSDP is in the first KiB of the Extended
 * BIOS Data Area (whose segment is the word at 0x40E) or in the BIOS
 * read-only area 0xE0000-0xFFFFF.
 */
static uint64_t bios_find_rsdp(void)
{
	const uint16_t *ebda_seg = acpi_map(0x40e, 2, NULL);
	uint64_t found = 0, ebda;

	if (ebda_seg) {
		ebda = (uint64_t)*ebda_seg << 4;
		if (ebda >= 0x80000 && ebda < 0xa0000)
			found = scan_area(ebda, 1024);
	}
	if (!found)
		found = scan_area(0xe0000, 0x20000);
	return found;
}

/*
 * Under UEFI the RSDP is named in the EFI system table's configuration
 * table (UEFI 2.10, 4.6) under the ACPI 2.0 or 1.0 GUID.  We only need it
 * to print where GRUB's copy came from.
 */
static const uint8_t efi_acpi20_guid[16] = {
	0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
	0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
static const uint8_t efi_acpi10_guid[16] = {
	0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
	0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
#define EFI_SYSTEM_TABLE_SIGNATURE	0x5453595320494249ULL /* "IBI SYST" */
#define EFI_ST_NR_TABLES		104
#define EFI_ST_TABLES			112
#define EFI_CONFIG_ENTRY_LEN		24
#define EFI_MAX_CONFIG_TABLES		256

static uint64_t efi_find_rsdp(uint64_t systab_phys)
{
	const uint8_t *st, *ct;
	uint64_t sig, n, tables;

	if (!systab_phys)
		return 0;
	st = acpi_map(systab_phys, EFI_ST_TABLES + 8, NULL);
	if (!st)
		return 0;
	memcpy(&sig, st, 8);
	memcpy(&n, st + EFI_ST_NR_TABLES, 8);
	memcpy(&tables, st + EFI_ST_TABLES, 8);
	if (sig != EFI_SYSTEM_TABLE_SIGNATURE || !tables ||
	    n > EFI_MAX_CONFIG_TABLES)
		return 0;
	ct = acpi_map(tables, n * EFI_CONFIG_ENTRY_LEN, NULL);
	if (!ct)
		return 0;
	for (uint64_t i = 0; i < n; i++) {
		const uint8_t *e = ct + i * EFI_CONFIG_ENTRY_LEN;
		const uint8_t *rsdp;
		uint64_t phys;

		if (memcmp(e, efi_acpi20_guid, 16) &&
		    memcmp(e, efi_acpi10_guid, 16))
			continue;
		memcpy(&phys, e + 16, 8);
		rsdp = phys ? acpi_map(phys, ACPI_RSDP_V1_LEN, NULL) : NULL;
		if (rsdp && !memcmp(rsdp, &acpi_state.rsdp, ACPI_RSDP_V1_LEN))
			return phys;
	}
	return 0;
}

/* GRUB's copy first (it is what the firmware handed over); the BIOS-area
 * scan only on BIOS boots, since under UEFI those areas hold nothing
 * meaningful. */
static bool find_rsdp(const struct boot_info *bi)
{
	const char *why;

	if (bi->rsdp_len) {
		if (!acpi_rsdp_validate(bi->rsdp, bi->rsdp_len, &why)) {
			memset(&acpi_state.rsdp, 0, sizeof(acpi_state.rsdp));
			memcpy(&acpi_state.rsdp, bi->rsdp,
			       MIN(bi->rsdp_len, sizeof(acpi_state.rsdp)));
			/* Where the original lies, for the table line. */
			if (bi->efi) {
				acpi_state.rsdp_phys =
					efi_find_rsdp(bi->efi_system_table);
			} else {
				uint64_t phys = bios_find_rsdp();
				const void *p = phys ? acpi_map(phys,
					ACPI_RSDP_V1_LEN, NULL) : NULL;

				if (p && !memcmp(p, bi->rsdp, ACPI_RSDP_V1_LEN))
					acpi_state.rsdp_phys = phys;
			}
			return true;
		}
		pr_err("ACPI: boot loader's RSDP rejected: %s\n", why);
	}
	if (!bi->efi) {
		uint64_t phys = bios_find_rsdp();
		const void *p = phys ? acpi_map(phys, ACPI_RSDP_V2_LEN, NULL)
				     : NULL;

		if (p) {
			const struct acpi_rsdp *r = p;
			size_t len = r->revision >= 2 ? ACPI_RSDP_V2_LEN
						      : ACPI_RSDP_V1_LEN;

			memset(&acpi_state.rsdp, 0, sizeof(acpi_state.rsdp));
			memcpy(&acpi_state.rsdp, p, len);
			acpi_state.rsdp_phys = phys;
			return true;
		}
	}
	return false;
}

/* ---- the tables ---------------------------------------------------------- */

static void keep_table(uint64_t phys, const struct acpi_table_header *t)
{
	if (acpi_state.table_count == ACPI_MAX_TABLES) {
		pr_warn("ACPI: more than %d tables; %.4s at 0x%llx not kept\n",
			ACPI_MAX_TABLES, t->signature,
			(unsigned long long)phys);
		return;
	}
	acpi_state.tables[acpi_state.table_count].phys = phys;
	acpi_state.tables[acpi_state.table_count].hdr = t;
	acpi_state.table_count++;
}

static void reject_table(uint64_t phys, const char *what, const char *why)
{
	pr_err("ACPI: %s at 0x%016llX rejected: %s\n", what,
	       (unsigned long long)phys, why);
	acpi_state.rejected++;
}

/* The name of a table we could not load, for the message: its signature
 * if at least the header can be read. */
static void table_name(uint64_t phys, char *name)
{
	const struct acpi_table_header *t;

	t = phys ? acpi_map(phys, sizeof(*t), NULL) : NULL;
	if (t)
		fix_string(name, t->signature, 4);
	else
		strlcpy(name, "table", 5);
}

static void load_dsdt(void)
{
	const struct acpi_table_header *t;
	const char *why;

	t = acpi_table_load(acpi_map, NULL, acpi_state.fadt.dsdt, "DSDT",
			    &why);
	if (!t) {
		reject_table(acpi_state.fadt.dsdt, "DSDT", why);
		return;
	}
	print_table(acpi_state.fadt.dsdt, t);
	keep_table(acpi_state.fadt.dsdt, t);
}

static void load_fadt(uint64_t phys, const struct acpi_table_header *t)
{
	const char *why;

	if (acpi_state.have_fadt)
		return;		/* the first FADT wins, as in ACPICA */
	if (acpi_fadt_parse(t, &acpi_state.fadt, &why)) {
		pr_err("ACPI: FACP at 0x%016llX unusable: %s\n",
		       (unsigned long long)phys, why);
		return;
	}
	acpi_state.have_fadt = true;
	load_dsdt();
}

static void walk_root(void)
{
	struct acpi_root *root = &acpi_state.root;

	print_table(root->phys, root->table);
	for (size_t i = 0; i < root->entries; i++) {
		uint64_t phys = acpi_root_entry(root, i);
		const struct acpi_table_header *t;
		const char *why;
		char name[5];

		t = acpi_table_load(acpi_map, NULL, phys, NULL, &why);
		if (!t) {
			table_name(phys, name);
			reject_table(phys, name, why);
			continue;
		}
		print_table(phys, t);
		keep_table(phys, t);
		if (!memcmp(t->signature, "FACP", 4))
			load_fadt(phys, t);
	}
}

/* \_S5 from the DSDT, else from an SSDT. */
static void find_s5(void)
{
	const char *why = "no DSDT or SSDT";
	int err = -ENOENT;

	for (int i = 0; i < acpi_state.table_count && err; i++) {
		const struct acpi_table_header *t = acpi_state.tables[i].hdr;

		if (memcmp(t->signature, "DSDT", 4))
			continue;
		err = acpi_aml_find_s5((const uint8_t *)(t + 1),
				       t->length - sizeof(*t),
				       &acpi_state.slp_typa,
				       &acpi_state.slp_typb, &why);
	}
	for (int i = 0; i < acpi_state.table_count && err; i++) {
		const struct acpi_table_header *t = acpi_state.tables[i].hdr;

		if (memcmp(t->signature, "SSDT", 4))
			continue;
		err = acpi_aml_find_s5((const uint8_t *)(t + 1),
				       t->length - sizeof(*t),
				       &acpi_state.slp_typa,
				       &acpi_state.slp_typb, &why);
	}
	if (err) {
		pr_warn("ACPI: \\_S5 not usable (%s); no soft-off\n", why);
		return;
	}
	acpi_state.have_s5 = true;
}

static void power_info(void)
{
	struct acpi_fadt_info *f = &acpi_state.fadt;

	if (!acpi_state.have_fadt) {
		pr_warn("ACPI: no usable FADT; no soft-off\n");
		return;
	}
	find_s5();
	if (!acpi_state.have_s5)
		return;
	if (f->hw_reduced) {
		if (!f->has_sleep_control) {
			pr_warn("ACPI: hardware-reduced without SLEEP_CONTROL_REG; no soft-off\n");
			acpi_state.have_s5 = false;
			return;
		}
		if (f->sleep_control.space_id == ACPI_SPACE_MEMORY)
			acpi_state.sleep_control_mmio =
				ioremap(f->sleep_control.address, 1);
		pr_info("ACPI: PM: S5 SLP_TYP=%u via SLEEP_CONTROL_REG %s 0x%llx (hardware-reduced)\n",
			acpi_state.slp_typa,
			f->sleep_control.space_id == ACPI_SPACE_IO ? "port"
								   : "memory",
			(unsigned long long)f->sleep_control.address);
		return;
	}
	pr_info("ACPI: PM: S5 SLP_TYPa=%u SLP_TYPb=%u PM1a_CNT=0x%x PM1b_CNT=0x%x SMI_CMD=0x%x ACPI_ENABLE=0x%x\n",
		acpi_state.slp_typa, acpi_state.slp_typb, f->pm1a_cnt,
		f->pm1b_cnt, f->smi_cmd, f->acpi_enable);
}

void acpi_init(const struct boot_info *bi)
{
	const char *xsdt_why, *why;

	if (!find_rsdp(bi)) {
		pr_warn("ACPI: no RSDP found; power-off and SMP discovery unavailable\n");
		return;
	}
	acpi_state.have_rsdp = true;
	print_rsdp();
	if (acpi_root_load(&acpi_state.rsdp, acpi_map, NULL, &acpi_state.root,
			   &xsdt_why, &why)) {
		pr_err("ACPI: no usable root table (%s); power-off and SMP discovery unavailable\n",
		       why);
		return;
	}
	if (xsdt_why)
		pr_err("ACPI: XSDT at 0x%016llX rejected: %s; using the RSDT\n",
		       (unsigned long long)acpi_state.rsdp.xsdt_address,
		       xsdt_why);
	walk_root();
	power_info();
}

const void *acpi_find_table(const char *sig)
{
	for (int i = 0; i < acpi_state.table_count; i++)
		if (!memcmp(acpi_state.tables[i].hdr->signature, sig, 4))
			return acpi_state.tables[i].hdr;
	return NULL;
}

/* ---- soft-off ----------------------------------------------------------- */

/*
 * 16.3.1: at boot a PC may still be in legacy (SMM-owned) mode, with
 * SCI_EN clear; the OS asks for ACPI mode by writing ACPI_ENABLE to
 * SMI_CMD and waits for the firmware to set SCI_EN.
 */
static void acpi_enable_mode(void)
{
	const struct acpi_fadt_info *f = &acpi_state.fadt;

	if (inw(f->pm1a_cnt) & ACPI_PM1_SCI_EN)
		return;
	if (!f->smi_cmd || !f->acpi_enable || f->smi_cmd > 0xffff) {
		pr_warn("ACPI: SCI_EN clear and no SMI_CMD to set it; trying anyway\n");
		return;
	}
	outb((uint16_t)f->smi_cmd, f->acpi_enable);
	for (int i = 0; i < ACPI_ENABLE_WAIT_US; i++) {
		if (inw(f->pm1a_cnt) & ACPI_PM1_SCI_EN) {
			pr_info("ACPI: legacy mode: wrote 0x%x to SMI_CMD 0x%x, SCI_EN set after %d polls\n",
				f->acpi_enable, f->smi_cmd, i);
			return;
		}
		udelay(1);
	}
	pr_warn("ACPI: firmware did not set SCI_EN within ~1 s; trying anyway\n");
}

/* 4.8.3.2.1: SLP_TYP first, then SLP_EN, keeping the other bits. */
static void pm1_sleep(void)
{
	const struct acpi_fadt_info *f = &acpi_state.fadt;
	uint16_t a, b = 0;

	a = inw(f->pm1a_cnt) & ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
	a |= (uint16_t)(acpi_state.slp_typa << ACPI_PM1_SLP_TYP_SHIFT);
	if (f->pm1b_cnt) {
		b = inw(f->pm1b_cnt) &
		    ~(ACPI_PM1_SLP_TYP_MASK | ACPI_PM1_SLP_EN);
		b |= (uint16_t)(acpi_state.slp_typb << ACPI_PM1_SLP_TYP_SHIFT);
	}
	outw(f->pm1a_cnt, a);
	if (f->pm1b_cnt)
		outw(f->pm1b_cnt, b);
	outw(f->pm1a_cnt, a | ACPI_PM1_SLP_EN);
	if (f->pm1b_cnt)
		outw(f->pm1b_cnt, b | ACPI_PM1_SLP_EN);
}

/* 4.8.3.7: hardware-reduced ACPI has one byte-wide sleep control register. */
static int sleep_control_sleep(void)
{
	const struct acpi_gas *g = &acpi_state.fadt.sleep_control;
	uint8_t v = (uint8_t)(((acpi_state.slp_typa << ACPI_SLEEP_TYP_SHIFT) &
			       ACPI_SLEEP_TYP_MASK) | ACPI_SLEEP_EN);

	if (g->space_id == ACPI_SPACE_IO && g->address <= 0xffff) {
		outb((uint16_t)g->address, v);
		return 0;
	}
	if (g->space_id == ACPI_SPACE_MEMORY && acpi_state.sleep_control_mmio) {
		*acpi_state.sleep_control_mmio = v;
		return 0;
	}
	pr_err("ACPI: SLEEP_CONTROL_REG in address space %u is not supported\n",
	       g->space_id);
	return -ENODEV;
}

int acpi_power_off(void)
{
	if (!acpi_state.have_rsdp || !acpi_state.have_fadt ||
	    !acpi_state.have_s5) {
		pr_err("ACPI: soft-off unavailable (%s)\n",
		       !acpi_state.have_rsdp ? "no RSDP" :
		       !acpi_state.have_fadt ? "no usable FADT" :
					       "no usable \\_S5");
		return -ENODEV;
	}
	local_irq_disable();
	if (acpi_state.fadt.hw_reduced) {
		int err = sleep_control_sleep();

		if (err)
			return err;
	} else {
		acpi_enable_mode();
		pm1_sleep();
	}
	/* The machine should be off now; give the chipset time to do it. */
	mdelay(ACPI_POWEROFF_WAIT_MS);
	pr_err("ACPI: still running %d ms after entering S5\n",
	       ACPI_POWEROFF_WAIT_MS);
	return -EIO;
}

/* ---- reset and the legacy devices --------------------------------------- */

/* 4.8.3.6: RESET_VALUE written to RESET_REG resets the machine.  Only the
 * I/O space form is done here (QEMU's and most PCs' 0xCF9); power.c tries
 * the next ways when this one is missing or does nothing. */
int acpi_reboot(void)
{
	const struct acpi_fadt_info *f = &acpi_state.fadt;

	if (!acpi_state.have_fadt || !f->has_reset_reg)
		return -ENODEV;
	if (f->reset_reg.space_id != ACPI_SPACE_IO ||
	    f->reset_reg.address > 0xffff) {
		pr_warn("ACPI: RESET_REG in address space %u is not supported\n",
			f->reset_reg.space_id);
		return -ENODEV;
	}
	pr_info("ACPI: reset: writing 0x%x to port 0x%llx\n", f->reset_value,
		(unsigned long long)f->reset_reg.address);
	outb((uint16_t)f->reset_reg.address, f->reset_value);
	mdelay(100);
	return -EIO;
}

/* What the FADT's IA-PC boot flags say of an 8042 keyboard controller:
 * 1 present, 0 absent, -1 the FADT does not say (revision < 3, or none). */
int acpi_i8042_present(void)
{
	if (!acpi_state.have_fadt || !acpi_state.fadt.has_iapc_boot_arch)
		return -1;
	return !!(acpi_state.fadt.iapc_boot_arch & ACPI_IAPC_8042);
}
