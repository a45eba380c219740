/*
 * tests/host/test_acpi.c - host unit tests for the ACPI pure core
 * (kernel/acpi/tables.c, kernel/acpi/s5.c), with cmocka under ASan and
 * UBSan.
 *
 * Tables are built by hand in a buffer that plays physical memory at
 * FAKE_BASE; the map function refuses anything outside it, so a length
 * running past the end is seen as it would be in the kernel.  AML for the
 * \_S5 scan is copied into a heap block of exactly its size, so a read
 * one byte too far is an ASan error, not a silent pass.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/acpi/tables.c"
#include "../../kernel/acpi/s5.c"

#define FAKE_BASE	0x100000ULL
#define FAKE_SIZE	0x4000

static uint8_t fake_mem[FAKE_SIZE];

static const void *fake_map(uint64_t phys, size_t len, void *ctx)
{
	(void)ctx;
	if (phys < FAKE_BASE || len > FAKE_SIZE ||
	    phys - FAKE_BASE > FAKE_SIZE - len)
		return NULL;
	return fake_mem + (phys - FAKE_BASE);
}

static uint8_t *at(uint64_t phys)
{
	return fake_mem + (phys - FAKE_BASE);
}

static void put32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

/* A header with the checksum left to seal(). */
static void put_header(uint8_t *p, const char *sig, uint32_t len, uint8_t rev)
{
	memcpy(p, sig, 4);
	put32(p + 4, len);
	p[8] = rev;
	p[9] = 0;
	memcpy(p + 10, "MKTEST", 6);
	memcpy(p + 16, "TESTTBL ", 8);
	put32(p + 24, 1);
	memcpy(p + 28, "MKTC", 4);
	put32(p + 32, 1);
}

static void seal(uint8_t *p)
{
	uint32_t len;

	memcpy(&len, p + 4, 4);
	p[9] = 0;
	p[9] = acpi_checksum(p, len);
}

static void put_rsdp(uint8_t *p, uint8_t rev, uint32_t rsdt, uint64_t xsdt)
{
	memset(p, 0, ACPI_RSDP_V2_LEN);
	memcpy(p, "RSD PTR ", 8);
	memcpy(p + 9, "MKTEST", 6);
	p[15] = rev;
	put32(p + 16, rsdt);
	if (rev >= 2) {
		put32(p + 20, ACPI_RSDP_V2_LEN);
		put64(p + 24, xsdt);
	}
	p[8] = acpi_checksum(p, ACPI_RSDP_V1_LEN);
	if (rev >= 2)
		p[32] = acpi_checksum(p, ACPI_RSDP_V2_LEN);
}

/* ---- checksums and the RSDP ------------------------------------------- */

static void test_checksum(void **state)
{
	uint8_t b[4] = { 1, 2, 3, 0 };

	(void)state;
	assert_int_equal(acpi_checksum(b, 3), 0xfa);
	b[3] = 0xfa;
	assert_int_equal(acpi_checksum(b, 4), 0);
	assert_int_equal(acpi_checksum(b, 0), 0);
}

static void test_rsdp_good(void **state)
{
	uint8_t r[ACPI_RSDP_V2_LEN];
	const char *why = NULL;

	(void)state;
	put_rsdp(r, 0, 0x1000, 0);
	assert_int_equal(acpi_rsdp_validate(r, ACPI_RSDP_V1_LEN, &why), 0);
	put_rsdp(r, 2, 0x1000, 0x2000);
	assert_int_equal(acpi_rsdp_validate(r, sizeof(r), &why), 0);
}

static void test_rsdp_bad(void **state)
{
	uint8_t r[ACPI_RSDP_V2_LEN];
	const char *why = NULL;

	(void)state;
	/* Signature. */
	put_rsdp(r, 2, 0x1000, 0x2000);
	r[0] = 'X';
	assert_int_equal(acpi_rsdp_validate(r, sizeof(r), &why), -EINVAL);
	/* v1 checksum over the first 20 bytes. */
	put_rsdp(r, 0, 0x1000, 0);
	r[8]++;
	assert_int_equal(acpi_rsdp_validate(r, sizeof(r), &why), -EINVAL);
	assert_string_equal(why, "RSDP checksum (first 20 bytes) is wrong");
	/* Extended checksum: corrupt a byte past 20, fix the v1 sum. */
	put_rsdp(r, 2, 0x1000, 0x2000);
	r[24]++;
	assert_int_equal(acpi_rsdp_validate(r, sizeof(r), &why), -EINVAL);
	assert_string_equal(why, "RSDP extended checksum is wrong");
	/* Revision 2 but only 20 bytes given. */
	put_rsdp(r, 2, 0x1000, 0x2000);
	assert_int_equal(acpi_rsdp_validate(r, ACPI_RSDP_V1_LEN, &why),
			 -EINVAL);
	/* Length larger than what is there. */
	put_rsdp(r, 2, 0x1000, 0x2000);
	put32(r + 20, 200);
	r[8] = 0;
	r[8] = acpi_checksum(r, ACPI_RSDP_V1_LEN);
	assert_int_equal(acpi_rsdp_validate(r, sizeof(r), &why), -EINVAL);
	assert_string_equal(why, "RSDP length out of range");
	/* Too short for anything. */
	assert_int_equal(acpi_rsdp_validate(r, 19, &why), -EINVAL);
}

static void test_rsdp_scan(void **state)
{
	uint8_t *area = calloc(1, 256);

	(void)state;
	assert_non_null(area);
	assert_int_equal(acpi_rsdp_scan(area, 256), -1);
	/* A bad one at 16, a misaligned good one at 40, a good one at 64. */
	put_rsdp(area + 16, 0, 0x1000, 0);
	area[16 + 8]++;
	put_rsdp(area + 40, 0, 0x1000, 0);
	put_rsdp(area + 64, 2, 0x1000, 0x2000);
	assert_int_equal(acpi_rsdp_scan(area, 256), 64);
	/* One cut short by the end of the area is not read past it. */
	assert_int_equal(acpi_rsdp_scan(area, 64 + 19), -1);
	free(area);
}

/* ---- table headers ----------------------------------------------------- */

static void test_table_validate(void **state)
{
	uint8_t t[64];
	const char *why = NULL;

	(void)state;
	put_header(t, "APIC", sizeof(t), 1);
	memset(t + 36, 0x5a, sizeof(t) - 36);
	seal(t);
	assert_int_equal(acpi_table_validate(t, sizeof(t), "APIC", &why), 0);
	assert_int_equal(acpi_table_validate(t, sizeof(t), NULL, &why), 0);
	assert_int_equal(acpi_table_validate(t, sizeof(t), "FACP", &why),
			 -EINVAL);
	assert_string_equal(why, "unexpected signature");
	/* Truncated: the length says 64, only 63 are there. */
	assert_int_equal(acpi_table_validate(t, 63, NULL, &why), -EINVAL);
	assert_string_equal(why, "truncated: length runs past the mapped bytes");
	assert_int_equal(acpi_table_validate(t, 20, NULL, &why), -EINVAL);
	/* Bad checksum. */
	t[50] ^= 1;
	assert_int_equal(acpi_table_validate(t, sizeof(t), NULL, &why),
			 -EINVAL);
	assert_string_equal(why, "bad checksum");
	/* Length smaller than a header. */
	put_header(t, "APIC", 10, 1);
	seal(t);
	assert_int_equal(acpi_table_validate(t, sizeof(t), NULL, &why),
			 -EINVAL);
	assert_string_equal(why, "length out of range");
	/* Length absurdly large. */
	put_header(t, "APIC", 0xfffffff0, 1);
	assert_int_equal(acpi_table_validate(t, sizeof(t), NULL, &why),
			 -EINVAL);
	/* A signature that is not text. */
	put_header(t, "AP\x01C", sizeof(t), 1);
	seal(t);
	assert_int_equal(acpi_table_validate(t, sizeof(t), NULL, &why),
			 -EINVAL);
}

static void test_table_load_truncated(void **state)
{
	uint64_t phys = FAKE_BASE + FAKE_SIZE - 40;
	const char *why = NULL;

	(void)state;
	/* A header claiming 100 bytes where only 40 remain in memory. */
	put_header(at(phys), "SSDT", 100, 2);
	assert_null(acpi_table_load(fake_map, NULL, phys, NULL, &why));
	assert_string_equal(why, "cannot map the whole table");
	assert_null(acpi_table_load(fake_map, NULL, 0, NULL, &why));
	assert_null(acpi_table_load(fake_map, NULL, FAKE_BASE + FAKE_SIZE,
				    NULL, &why));
	assert_string_equal(why, "cannot map the header");
}

/* ---- the root table and the FADT --------------------------------------- */

#define RSDT_AT		(FAKE_BASE + 0x100)
#define XSDT_AT		(FAKE_BASE + 0x200)
#define FADT_AT		(FAKE_BASE + 0x300)
#define APIC_AT		(FAKE_BASE + 0x500)
#define DSDT_AT		(FAKE_BASE + 0x600)
#define DSDT2_AT	(FAKE_BASE + 0x800)

static const uint8_t qemu_s5[] = {
	0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x04, 0x00, 0x00, 0x00, 0x00,
};
static const uint8_t byte_s5[] = {
	0x10, 0x05, '\\', 0x00,		/* a Scope op, for company */
	0x08, '_', 'S', '5', '_', 0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x06,
	0x00, 0x00,
};

static void put_dsdt(uint64_t phys, const uint8_t *aml, size_t len)
{
	put_header(at(phys), "DSDT", (uint32_t)(36 + len), 2);
	memcpy(at(phys) + 36, aml, len);
	seal(at(phys));
}

/* A FADT of 'len' bytes (116, 244 or 276) with the legacy fields set. */
static void put_fadt(uint64_t phys, uint32_t len, uint32_t dsdt,
		     uint32_t pm1a, uint32_t pm1b)
{
	uint8_t *f = at(phys);

	memset(f, 0, len);
	put_header(f, "FACP", len, len >= 244 ? 5 : 1);
	put32(f + 40, dsdt);
	put32(f + 48, 0xb2);
	f[52] = 0x02;
	put32(f + 64, pm1a);
	put32(f + 68, pm1b);
	f[89] = 2;
	seal(f);
}

static void put_gas(uint8_t *p, uint8_t space, uint64_t addr)
{
	memset(p, 0, 12);
	p[0] = space;
	p[1] = 16;
	p[3] = 2;
	put64(p + 4, addr);
}

/* RSDT -> {FADT, APIC}, XSDT -> {FADT, APIC, DSDT2} (to tell them apart). */
static void build_tables(void)
{
	uint8_t *r = at(RSDT_AT), *x = at(XSDT_AT), *apic = at(APIC_AT);

	memset(fake_mem, 0, sizeof(fake_mem));
	put_header(r, "RSDT", 36 + 8, 1);
	put32(r + 36, (uint32_t)FADT_AT);
	put32(r + 40, (uint32_t)APIC_AT);
	seal(r);
	put_header(x, "XSDT", 36 + 24, 1);
	put64(x + 36, FADT_AT);
	put64(x + 44, APIC_AT);
	put64(x + 52, DSDT2_AT);
	seal(x);
	put_header(apic, "APIC", 44, 1);
	seal(apic);
	put_fadt(FADT_AT, 244, (uint32_t)DSDT_AT, 0x604, 0);
	put_dsdt(DSDT_AT, qemu_s5, sizeof(qemu_s5));
	put_dsdt(DSDT2_AT, byte_s5, sizeof(byte_s5));
}

static void test_root_xsdt_preferred(void **state)
{
	struct acpi_rsdp rsdp;
	struct acpi_root root;
	const char *xwhy, *why;

	(void)state;
	build_tables();
	put_rsdp((uint8_t *)&rsdp, 2, (uint32_t)RSDT_AT, XSDT_AT);
	assert_int_equal(acpi_root_load(&rsdp, fake_map, NULL, &root, &xwhy,
					&why), 0);
	assert_null(xwhy);
	assert_true(root.is_xsdt);
	assert_int_equal(root.phys, XSDT_AT);
	assert_int_equal(root.entries, 3);
	assert_int_equal(acpi_root_entry(&root, 0), FADT_AT);
	assert_int_equal(acpi_root_entry(&root, 2), DSDT2_AT);
	assert_int_equal(acpi_root_entry(&root, 3), 0);
}

static void test_root_rsdt_when_v1(void **state)
{
	struct acpi_rsdp rsdp;
	struct acpi_root root;
	const char *xwhy, *why;

	(void)state;
	build_tables();
	put_rsdp((uint8_t *)&rsdp, 0, (uint32_t)RSDT_AT, 0);
	assert_int_equal(acpi_root_load(&rsdp, fake_map, NULL, &root, &xwhy,
					&why), 0);
	assert_false(root.is_xsdt);
	assert_int_equal(root.entries, 2);
	assert_int_equal(acpi_root_entry(&root, 1), APIC_AT);
}

static void test_root_bad_xsdt_falls_back(void **state)
{
	struct acpi_rsdp rsdp;
	struct acpi_root root;
	const char *xwhy, *why;

	(void)state;
	build_tables();
	at(XSDT_AT)[40] ^= 0xff;		/* break its checksum */
	put_rsdp((uint8_t *)&rsdp, 2, (uint32_t)RSDT_AT, XSDT_AT);
	assert_int_equal(acpi_root_load(&rsdp, fake_map, NULL, &root, &xwhy,
					&why), 0);
	assert_non_null(xwhy);
	assert_string_equal(xwhy, "bad checksum");
	assert_false(root.is_xsdt);
	/* And with the RSDT broken too, nothing. */
	at(RSDT_AT)[37] ^= 0xff;
	assert_int_equal(acpi_root_load(&rsdp, fake_map, NULL, &root, &xwhy,
					&why), -EINVAL);
}

static void test_root_ragged_xsdt(void **state)
{
	struct acpi_rsdp rsdp;
	struct acpi_root root;
	const char *xwhy, *why;

	(void)state;
	build_tables();
	put_header(at(XSDT_AT), "XSDT", 36 + 12, 1);	/* 1.5 entries */
	seal(at(XSDT_AT));
	put_rsdp((uint8_t *)&rsdp, 2, 0, XSDT_AT);
	assert_int_equal(acpi_root_load(&rsdp, fake_map, NULL, &root, &xwhy,
					&why), -EINVAL);
	assert_string_equal(why, "length is not a whole number of entries");
}

static void test_fadt_legacy_fields(void **state)
{
	struct acpi_fadt_info info;
	const char *why = NULL;

	(void)state;
	build_tables();
	/* ACPI 1.0 layout: 116 bytes, no X_ fields at all. */
	put_fadt(FADT_AT, 116, 0x7000, 0x404, 0x408);
	assert_int_equal(acpi_fadt_parse((const void *)at(FADT_AT), &info,
					 &why), 0);
	assert_int_equal(info.dsdt, 0x7000);
	assert_int_equal(info.pm1a_cnt, 0x404);
	assert_int_equal(info.pm1b_cnt, 0x408);
	assert_int_equal(info.smi_cmd, 0xb2);
	assert_int_equal(info.acpi_enable, 2);
	assert_false(info.hw_reduced);
	assert_false(info.has_sleep_control);
	/* Shorter than 116: refused. */
	put_fadt(FADT_AT, 100, 0x7000, 0x404, 0);
	assert_int_equal(acpi_fadt_parse((const void *)at(FADT_AT), &info,
					 &why), -EINVAL);
}

static void test_fadt_x_fields(void **state)
{
	struct acpi_fadt_info info;
	const char *why = NULL;
	uint8_t *f = at(FADT_AT);

	(void)state;
	build_tables();
	put_fadt(FADT_AT, 244, 0x7000, 0x404, 0);
	put64(f + 140, 0x123456789ULL);			/* X_DSDT */
	put_gas(f + 172, ACPI_SPACE_IO, 0x1804);	/* X_PM1a_CNT */
	put_gas(f + 184, ACPI_SPACE_MEMORY, 0xfed00000);/* X_PM1b: memory */
	seal(f);
	assert_int_equal(acpi_fadt_parse((const void *)f, &info, &why), 0);
	assert_int_equal(info.dsdt, 0x123456789ULL);
	assert_int_equal(info.pm1a_cnt, 0x1804);
	assert_int_equal(info.pm1b_cnt, 0);	/* memory GAS: legacy (0) */
	/* X_ fields zero: the 32-bit ones. */
	memset(f + 140, 0, 8);
	memset(f + 172, 0, 12);
	seal(f);
	assert_int_equal(acpi_fadt_parse((const void *)f, &info, &why), 0);
	assert_int_equal(info.dsdt, 0x7000);
	assert_int_equal(info.pm1a_cnt, 0x404);
	/* A port number that is not one. */
	put_gas(f + 172, ACPI_SPACE_IO, 0x10000);
	seal(f);
	assert_int_equal(acpi_fadt_parse((const void *)f, &info, &why),
			 -EINVAL);
	/* No PM1a at all on a full-hardware machine. */
	put_fadt(FADT_AT, 244, 0x7000, 0, 0);
	assert_int_equal(acpi_fadt_parse((const void *)f, &info, &why),
			 -EINVAL);
	/* Not a FADT. */
	put_header(f, "APIC", 244, 1);
	assert_int_equal(acpi_fadt_parse((const void *)f, &info, &why),
			 -EINVAL);
}

static void test_fadt_hw_reduced(void **state)
{
	struct acpi_fadt_info info;
	const char *why = NULL;
	uint8_t *f = at(FADT_AT);

	(void)state;
	build_tables();
	put_fadt(FADT_AT, 276, 0x7000, 0, 0);
	put32(f + 112, ACPI_FADT_HW_REDUCED);
	put_gas(f + 244, ACPI_SPACE_IO, 0x3c0);
	seal(f);
	assert_int_equal(acpi_fadt_parse((const void *)f, &info, &why), 0);
	assert_true(info.hw_reduced);
	assert_true(info.has_sleep_control);
	assert_int_equal(info.sleep_control.space_id, ACPI_SPACE_IO);
	assert_int_equal(info.sleep_control.address, 0x3c0);
	assert_int_equal(info.pm1a_cnt, 0);
}

/* The whole chain, as acpi_init() walks it: RSDP -> XSDT -> FADT -> DSDT. */
static void test_chain_to_s5(void **state)
{
	struct acpi_rsdp rsdp;
	struct acpi_root root;
	struct acpi_fadt_info info;
	const struct acpi_table_header *t, *dsdt;
	const char *xwhy, *why;
	uint8_t a = 9, b = 9;

	(void)state;
	build_tables();
	put_rsdp((uint8_t *)&rsdp, 2, (uint32_t)RSDT_AT, XSDT_AT);
	assert_int_equal(acpi_root_load(&rsdp, fake_map, NULL, &root, &xwhy,
					&why), 0);
	t = acpi_table_load(fake_map, NULL, acpi_root_entry(&root, 0), NULL,
			    &why);
	assert_non_null(t);
	assert_memory_equal(t->signature, "FACP", 4);
	assert_int_equal(acpi_fadt_parse(t, &info, &why), 0);
	dsdt = acpi_table_load(fake_map, NULL, info.dsdt, "DSDT", &why);
	assert_non_null(dsdt);
	assert_int_equal(acpi_aml_find_s5((const uint8_t *)(dsdt + 1),
					  dsdt->length - 36, &a, &b, &why), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	/* The other DSDT-signed table the XSDT lists has different values. */
	dsdt = acpi_table_load(fake_map, NULL, acpi_root_entry(&root, 2),
			       "DSDT", &why);
	assert_non_null(dsdt);
	assert_int_equal(acpi_aml_find_s5((const uint8_t *)(dsdt + 1),
					  dsdt->length - 36, &a, &b, &why), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 6);
	/* A DSDT with a bad checksum is refused. */
	at(DSDT_AT)[40] ^= 1;
	assert_null(acpi_table_load(fake_map, NULL, info.dsdt, "DSDT", &why));
	assert_string_equal(why, "bad checksum");
}

/* ---- \_S5 in AML -------------------------------------------------------- */

/* Run the scan on an exact-size heap copy, so ASan sees any overread. */
static int s5(const uint8_t *aml, size_t len, uint8_t *a, uint8_t *b,
	      const char **why)
{
	uint8_t *copy = malloc(len ? len : 1);
	int err;

	assert_non_null(copy);
	memcpy(copy, aml, len);
	*a = *b = 0xee;
	err = acpi_aml_find_s5(copy, len, a, b, why);
	free(copy);
	return err;
}

#define S5(arr, a, b, why)	s5(arr, sizeof(arr), a, b, why)

static void test_s5_encodings(void **state)
{
	uint8_t a, b;
	const char *why;
	static const uint8_t zero_one[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x00,
	};
	static const uint8_t word_dword[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02,
		0x0b, 0x07, 0x00, 0x0c, 0x03, 0x00, 0x00, 0x00,
	};
	static const uint8_t root_prefix[] = {
		0xa0, 0x08, 0x08, '\\', '_', 'S', '5', '_', 0x12, 0x06, 0x04,
		0x0a, 0x07, 0x0a, 0x07, 0x00, 0x00,
	};

	(void)state;
	assert_int_equal(S5(qemu_s5, &a, &b, &why), 0);
	assert_int_equal(a, 0);
	assert_int_equal(b, 0);
	assert_int_equal(S5(byte_s5, &a, &b, &why), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 6);
	assert_int_equal(S5(zero_one, &a, &b, &why), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 0);
	assert_int_equal(S5(word_dword, &a, &b, &why), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 3);
	assert_int_equal(S5(root_prefix, &a, &b, &why), 0);
	assert_int_equal(a, 7);
	assert_int_equal(b, 7);
}

/* PkgLength of 2, 3 and 4 bytes: pad the package with ZeroOp elements.
 * A longer encoding than needed is legal (the high bytes are zero). */
static void test_s5_multibyte_pkglength(void **state)
{
	static const struct {
		size_t pkg_len, nbytes;
	} cases[] = {
		{ 0x50, 2 }, { 0xfff, 2 }, { 0x1234, 3 }, { 0x12345, 4 },
		{ 0x60, 4 },
	};

	(void)state;
	for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
		size_t pkg_len = cases[k].pkg_len, nbytes = cases[k].nbytes;
		size_t len = 6 + pkg_len;
		uint8_t *aml = calloc(1, len), *p = aml;
		uint8_t a, b;
		const char *why;

		assert_non_null(aml);
		memcpy(p, "\x08_S5_\x12", 6);
		p += 6;
		p[0] = (uint8_t)(((nbytes - 1) << 6) | (pkg_len & 0x0f));
		for (size_t i = 1; i < nbytes; i++)
			p[i] = (uint8_t)(pkg_len >> (4 + 8 * (i - 1)));
		p += nbytes;
		*p++ = 0xff;			/* NumElements */
		*p++ = 0x0a;
		*p++ = 3;
		*p++ = 0x0a;
		*p++ = 4;			/* the rest are ZeroOps */
		assert_int_equal(s5(aml, len, &a, &b, &why), 0);
		assert_int_equal(a, 3);
		assert_int_equal(b, 4);
		/* One byte less and the package runs past the end. */
		assert_int_equal(s5(aml, len - 1, &a, &b, &why), -EINVAL);
		assert_string_equal(why,
				    "_S5 package runs past the end of the table");
		free(aml);
	}
}

static void test_s5_one_element(void **state)
{
	uint8_t a, b;
	const char *why;
	static const uint8_t packed[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x01, 0x0b, 0x05, 0x07,
	};

	(void)state;
	assert_int_equal(S5(packed, &a, &b, &why), 0);
	assert_int_equal(a, 5);
	assert_int_equal(b, 7);
}

static void test_s5_malformed(void **state)
{
	uint8_t a, b;
	const char *why;
	/* The package says 0x20 bytes; the table ends long before. */
	static const uint8_t past_end[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x20, 0x04, 0x0a, 0x05,
	};
	/* Inside the package, a WordPrefix needing two more bytes. */
	static const uint8_t int_past_pkg[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x05, 0x02, 0x0a, 0x05, 0x0b,
		0x01, 0x00,
	};
	/* A 3-byte PkgLength cut off by the end. */
	static const uint8_t pkglen_cut[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x80, 0x01,
	};
	/* Name then nothing. */
	static const uint8_t name_only[] = { 0x08, '_', 'S', '5', '_' };
	/* Not a package. */
	static const uint8_t not_pkg[] = {
		0x08, '_', 'S', '5', '_', 0x0a, 0x05,
	};
	/* Elements that are names, not literals. */
	static const uint8_t named[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x0a, 0x02,
		'S', 'L', 'P', 'A', 'S', 'L', 'P', 'B',
	};
	/* A SLP_TYP that does not fit 3 bits. */
	static const uint8_t too_big[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x06, 0x02, 0x0a, 0x08, 0x0a,
		0x00,
	};
	static const uint8_t empty[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x02, 0x00,
	};
	static const uint8_t pkglen_tiny[] = {
		0x08, '_', 'S', '5', '_', 0x12, 0x01, 0x02, 0x00, 0x00,
	};

	(void)state;
	assert_int_equal(S5(past_end, &a, &b, &why), -EINVAL);
	assert_string_equal(why, "_S5 package runs past the end of the table");
	assert_int_equal(S5(int_past_pkg, &a, &b, &why), -EINVAL);
	assert_string_equal(why, "_S5 integer runs past the end of the package");
	assert_int_equal(S5(pkglen_cut, &a, &b, &why), -EINVAL);
	assert_int_equal(S5(name_only, &a, &b, &why), -EINVAL);
	assert_int_equal(S5(not_pkg, &a, &b, &why), -EINVAL);
	assert_string_equal(why, "_S5 is not a Package");
	assert_int_equal(S5(named, &a, &b, &why), -EINVAL);
	assert_string_equal(why, "_S5 element is not a literal integer");
	assert_int_equal(S5(too_big, &a, &b, &why), -EINVAL);
	assert_int_equal(S5(empty, &a, &b, &why), -EINVAL);
	assert_int_equal(S5(pkglen_tiny, &a, &b, &why), -EINVAL);
	/* Nothing was written on failure. */
	assert_int_equal(a, 0xee);
	assert_int_equal(b, 0xee);
	/* Every prefix of a good package: refused or found, never overread. */
	for (size_t n = 0; n < sizeof(byte_s5); n++) {
		int err = s5(byte_s5, n, &a, &b, &why);

		assert_true(err == -EINVAL || err == -ENOENT);
	}
}

static void test_s5_absent_or_referenced(void **state)
{
	uint8_t a, b;
	const char *why;
	/* _S5_ used, not defined (a Return(_S5_) say), then _S4_ defined. */
	static const uint8_t ref_only[] = {
		0xa4, '_', 'S', '5', '_', 0x08, '_', 'S', '4', '_', 0x12, 0x04,
		0x02, 0x00, 0x00,
	};
	/* A malformed definition then a good one: the good one wins. */
	static const uint8_t bad_then_good[] = {
		0x08, '_', 'S', '5', '_', 0x0a, 0x05,
		0x08, '_', 'S', '5', '_', 0x12, 0x04, 0x02, 0x01, 0x01,
	};
	static const uint8_t at_start[] = { '_', 'S', '5', '_', 0x12, 0x04,
					    0x02, 0x01, 0x01 };

	(void)state;
	assert_int_equal(S5(ref_only, &a, &b, &why), -ENOENT);
	assert_string_equal(why, "no _S5 object");
	assert_int_equal(s5(ref_only, 0, &a, &b, &why), -ENOENT);
	assert_int_equal(S5(at_start, &a, &b, &why), -ENOENT);
	assert_int_equal(S5(bad_then_good, &a, &b, &why), 0);
	assert_int_equal(a, 1);
	assert_int_equal(b, 1);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_checksum),
		cmocka_unit_test(test_rsdp_good),
		cmocka_unit_test(test_rsdp_bad),
		cmocka_unit_test(test_rsdp_scan),
		cmocka_unit_test(test_table_validate),
		cmocka_unit_test(test_table_load_truncated),
		cmocka_unit_test(test_root_xsdt_preferred),
		cmocka_unit_test(test_root_rsdt_when_v1),
		cmocka_unit_test(test_root_bad_xsdt_falls_back),
		cmocka_unit_test(test_root_ragged_xsdt),
		cmocka_unit_test(test_fadt_legacy_fields),
		cmocka_unit_test(test_fadt_x_fields),
		cmocka_unit_test(test_fadt_hw_reduced),
		cmocka_unit_test(test_chain_to_s5),
		cmocka_unit_test(test_s5_encodings),
		cmocka_unit_test(test_s5_multibyte_pkglength),
		cmocka_unit_test(test_s5_one_element),
		cmocka_unit_test(test_s5_malformed),
		cmocka_unit_test(test_s5_absent_or_referenced),
	};

	return cmocka_run_group_tests_name("acpi", tests, NULL, NULL);
}
