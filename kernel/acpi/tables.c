/*
 * kernel/acpi/tables.c - check and walk the ACPI description tables
 * (ACPI 6.5 specification, 5.2.5 RSDP, 5.2.6 header, 5.2.7 RSDT,
 * 5.2.8 XSDT, 5.2.9 FADT).
 *
 * Firmware tables are input like any other: a length can be garbage, a
 * checksum can be wrong, a pointer can lead nowhere.  So nothing here
 * reads a byte it has not first been given through the map function, and
 * every table is checked (signature, length, checksum) before a field of
 * it is believed.
 *
 * Pure code: no kernel globals, no I/O.  The kernel glue (acpi.c) passes
 * memremap() as the map function; tests/host/test_acpi.c passes a buffer.
 *
 * Simplifications: the FADT is read only for what soft-off needs; the
 * FACS (which has no checksum) is not looked at.
 */
#include <kernel/acpi.h>
#include <kernel/errno.h>
#include <kernel/string.h>

static uint16_t get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint64_t get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

uint8_t acpi_checksum(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	uint8_t sum = 0;

	while (len--)
		sum += *p++;
	return (uint8_t)-sum;
}

int acpi_rsdp_validate(const void *buf, size_t avail, const char **why)
{
	const struct acpi_rsdp *rsdp = buf;

	if (avail < ACPI_RSDP_V1_LEN) {
		*why = "RSDP shorter than 20 bytes";
		return -EINVAL;
	}
	if (memcmp(rsdp->signature, "RSD PTR ", 8)) {
		*why = "RSDP signature is not 'RSD PTR '";
		return -EINVAL;
	}
	if (acpi_checksum(buf, ACPI_RSDP_V1_LEN)) {
		*why = "RSDP checksum (first 20 bytes) is wrong";
		return -EINVAL;
	}
	if (rsdp->revision < 2)
		return 0;
	/* ACPI 2.0+: the extended part must be there and add up too. */
	if (avail < ACPI_RSDP_V2_LEN) {
		*why = "RSDP revision 2+ but shorter than 36 bytes";
		return -EINVAL;
	}
	if (rsdp->length < ACPI_RSDP_V2_LEN || rsdp->length > avail) {
		*why = "RSDP length out of range";
		return -EINVAL;
	}
	if (acpi_checksum(buf, rsdp->length)) {
		*why = "RSDP extended checksum is wrong";
		return -EINVAL;
	}
	return 0;
}

long acpi_rsdp_scan(const void *buf, size_t len)
{
	const uint8_t *p = buf;
	const char *why;

	/* 5.2.5.1: the RSDP sits on a 16-byte boundary. */
	for (size_t off = 0; off + ACPI_RSDP_V1_LEN <= len; off += 16) {
		if (memcmp(p + off, "RSD PTR ", 8))
			continue;
		if (!acpi_rsdp_validate(p + off, len - off, &why))
			return (long)off;
	}
	return -1;
}

/* Signatures are four printable characters: anything else is not a table. */
static bool signature_ok(const char *s)
{
	for (int i = 0; i < 4; i++)
		if (s[i] < 0x20 || s[i] > 0x7e)
			return false;
	return true;
}

int acpi_table_validate(const void *buf, size_t avail, const char *sig,
			const char **why)
{
	const struct acpi_table_header *hdr = buf;

	if (avail < sizeof(*hdr)) {
		*why = "shorter than a table header";
		return -EINVAL;
	}
	if (!signature_ok(hdr->signature)) {
		*why = "signature is not printable";
		return -EINVAL;
	}
	if (sig && memcmp(hdr->signature, sig, 4)) {
		*why = "unexpected signature";
		return -EINVAL;
	}
	if (hdr->length < sizeof(*hdr) || hdr->length > ACPI_TABLE_MAX_LEN) {
		*why = "length out of range";
		return -EINVAL;
	}
	if (hdr->length > avail) {
		*why = "truncated: length runs past the mapped bytes";
		return -EINVAL;
	}
	if (acpi_checksum(buf, hdr->length)) {
		*why = "bad checksum";
		return -EINVAL;
	}
	return 0;
}

const struct acpi_table_header *acpi_table_load(acpi_map_fn map, void *ctx,
						uint64_t phys, const char *sig,
						const char **why)
{
	const struct acpi_table_header *hdr;
	uint32_t length;

	if (!phys) {
		*why = "null address";
		return NULL;
	}
	hdr = map(phys, sizeof(*hdr), ctx);
	if (!hdr) {
		*why = "cannot map the header";
		return NULL;
	}
	length = hdr->length;
	if (length < sizeof(*hdr) || length > ACPI_TABLE_MAX_LEN) {
		*why = "length out of range";
		return NULL;
	}
	hdr = map(phys, length, ctx);
	if (!hdr) {
		*why = "cannot map the whole table";
		return NULL;
	}
	if (acpi_table_validate(hdr, length, sig, why))
		return NULL;
	return hdr;
}

static int root_try(acpi_map_fn map, void *ctx, uint64_t phys, bool is_xsdt,
		    struct acpi_root *root, const char **why)
{
	const struct acpi_table_header *t;
	size_t entry_size = is_xsdt ? 8 : 4;

	t = acpi_table_load(map, ctx, phys, is_xsdt ? "XSDT" : "RSDT", why);
	if (!t)
		return -EINVAL;
	if ((t->length - sizeof(*t)) % entry_size) {
		*why = "length is not a whole number of entries";
		return -EINVAL;
	}
	root->table = t;
	root->phys = phys;
	root->is_xsdt = is_xsdt;
	root->entries = (t->length - sizeof(*t)) / entry_size;
	return 0;
}

int acpi_root_load(const struct acpi_rsdp *rsdp, acpi_map_fn map, void *ctx,
		   struct acpi_root *root, const char **xsdt_why,
		   const char **why)
{
	*xsdt_why = NULL;
	/* 5.2.5.3: an ACPI 2.0+ OS uses the XSDT when there is one. */
	if (rsdp->revision >= 2 && rsdp->xsdt_address) {
		if (!root_try(map, ctx, rsdp->xsdt_address, true, root,
			      xsdt_why))
			return 0;
	}
	if (!rsdp->rsdt_address) {
		*why = *xsdt_why ? *xsdt_why : "RSDP gives no RSDT or XSDT";
		return -EINVAL;
	}
	return root_try(map, ctx, rsdp->rsdt_address, false, root, why);
}

uint64_t acpi_root_entry(const struct acpi_root *root, size_t i)
{
	const uint8_t *base = (const uint8_t *)root->table +
			      sizeof(struct acpi_table_header);

	if (i >= root->entries)
		return 0;
	if (root->is_xsdt)
		return get64(base + 8 * i);
	return get32(base + 4 * i);
}

/* FADT field offsets (ACPI 6.5, table 5.9). */
#define FADT_DSDT		40
#define FADT_SMI_CMD		48
#define FADT_ACPI_ENABLE	52
#define FADT_PM1A_CNT_BLK	64
#define FADT_PM1B_CNT_BLK	68
#define FADT_PM1_CNT_LEN	89
#define FADT_IAPC_BOOT_ARCH	109	/* ACPI 2.0 (FADT revision 3) on */
#define FADT_FLAGS		112
#define FADT_RESET_REG		116
#define FADT_RESET_VALUE	128
#define FADT_X_DSDT		140
#define FADT_X_PM1A_CNT_BLK	172
#define FADT_X_PM1B_CNT_BLK	184
#define FADT_SLEEP_CONTROL_REG	244
#define FADT_V1_LEN		116	/* ACPI 1.0 ends after Flags */
#define GAS_LEN			12

static void get_gas(const uint8_t *p, struct acpi_gas *gas)
{
	gas->space_id = p[0];
	gas->bit_width = p[1];
	gas->bit_offset = p[2];
	gas->access_size = p[3];
	gas->address = get64(p + 4);
}

/*
 * A PM1 control block: the 64-bit GAS when it is there, non-zero and in
 * I/O space, else the 32-bit port number.  Ports are 16 bits on x86.
 */
static int pm1_cnt_port(const uint8_t *f, uint32_t len, size_t x_off,
			size_t legacy_off, uint16_t *port, const char **why)
{
	uint64_t addr = get32(f + legacy_off);

	if (len >= x_off + GAS_LEN) {
		struct acpi_gas gas;

		get_gas(f + x_off, &gas);
		if (gas.address && gas.space_id == ACPI_SPACE_IO)
			addr = gas.address;
	}
	if (addr > 0xffff) {
		*why = "PM1 control block is beyond the I/O port range";
		return -EINVAL;
	}
	*port = (uint16_t)addr;
	return 0;
}

int acpi_fadt_parse(const struct acpi_table_header *fadt,
		    struct acpi_fadt_info *out, const char **why)
{
	const uint8_t *f = (const uint8_t *)fadt;
	uint32_t len = fadt->length;

	memset(out, 0, sizeof(*out));
	if (memcmp(fadt->signature, "FACP", 4)) {
		*why = "not a FADT (signature is not FACP)";
		return -EINVAL;
	}
	if (len < FADT_V1_LEN) {
		*why = "FADT shorter than the ACPI 1.0 layout (116 bytes)";
		return -EINVAL;
	}
	out->dsdt = get32(f + FADT_DSDT);
	if (len >= FADT_X_DSDT + 8 && get64(f + FADT_X_DSDT))
		out->dsdt = get64(f + FADT_X_DSDT);
	out->smi_cmd = get32(f + FADT_SMI_CMD);
	out->acpi_enable = f[FADT_ACPI_ENABLE];
	out->hw_reduced = get32(f + FADT_FLAGS) & ACPI_FADT_HW_REDUCED;
	/* Revision 1 had reserved bytes where the boot flags are now. */
	if (fadt->revision >= 3) {
		out->has_iapc_boot_arch = true;
		out->iapc_boot_arch = get16(f + FADT_IAPC_BOOT_ARCH);
	}
	if ((get32(f + FADT_FLAGS) & ACPI_FADT_RESET_REG_SUP) &&
	    len >= FADT_RESET_VALUE + 1) {
		get_gas(f + FADT_RESET_REG, &out->reset_reg);
		out->reset_value = f[FADT_RESET_VALUE];
		out->has_reset_reg = out->reset_reg.address != 0;
	}
	if (len >= FADT_SLEEP_CONTROL_REG + GAS_LEN) {
		get_gas(f + FADT_SLEEP_CONTROL_REG, &out->sleep_control);
		out->has_sleep_control = out->sleep_control.address != 0;
	}
	if (pm1_cnt_port(f, len, FADT_X_PM1A_CNT_BLK, FADT_PM1A_CNT_BLK,
			 &out->pm1a_cnt, why) ||
	    pm1_cnt_port(f, len, FADT_X_PM1B_CNT_BLK, FADT_PM1B_CNT_BLK,
			 &out->pm1b_cnt, why))
		return -EINVAL;
	/* 4.8.3.2: the control block is at least two bytes when present. */
	if (out->pm1a_cnt && f[FADT_PM1_CNT_LEN] < 2) {
		*why = "PM1_CNT_LEN is less than 2";
		return -EINVAL;
	}
	if (!out->hw_reduced && !out->pm1a_cnt) {
		*why = "no PM1a control block (and not hardware-reduced)";
		return -EINVAL;
	}
	return 0;
}
