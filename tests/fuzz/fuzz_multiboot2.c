/*
 * tests/fuzz/fuzz_multiboot2.c - libFuzzer target for the multiboot2
 * boot information parser (kernel/multiboot2.c), as kmain() uses it:
 * the input is the information GRUB left (total_size, reserved, the
 * tags); mb2_parse() copies it into a zeroed struct boot_info, given
 * the total size as what it may read (kernel/main.c reads total_size
 * first and maps that much).  Then what the kernel does next with the
 * copy: the RSDP GRUB passed goes through acpi_rsdp_validate()
 * (kernel/acpi/tables.c), as find_rsdp() does.
 *
 * The RSDP is checked twice: as GRUB's tag gave it, and with its two
 * checksums made good (a mutation almost never gets them right), so
 * that the revision and length checks behind them are reached too.
 *
 * The harness tries two sizes: the input's own, and the total_size the
 * input claims when that is smaller (the kernel's case: avail is
 * total_size), each in a buffer of exactly that many bytes.
 *
 * Checked: the counts stay within their arrays, every string copied out
 * is NUL-terminated within its array, a module does not end before it
 * starts, the RSDP copy is at most 36 bytes, and an error has a reason.
 */
#include <kernel/acpi.h>

#include "fuzz.h"

#include "../../kernel/multiboot2.c"

static struct boot_info bi;

static void check_string(const char *s, size_t size)
{
	fuzz_check(memchr(s, '\0', size) != NULL);
}

/* acpi_rsdp_validate() over a copy of exactly len bytes; with fix, the
 * checksum over the first 20 bytes (offset 8) and, for revision 2 and
 * on, the extended one over its length (offset 32) made good first. */
static void check_rsdp(const uint8_t *p, size_t len, bool fix)
{
	uint8_t *rsdp = fuzz_copy(p, len);
	const char *why = NULL;
	uint32_t ext_len;

	if (!rsdp)
		return;
	if (fix && len >= ACPI_RSDP_V1_LEN) {
		rsdp[8] = 0;
		rsdp[8] = acpi_checksum(rsdp, ACPI_RSDP_V1_LEN);
		ext_len = len >= 24 ? get32(rsdp + 20) : 0;
		if (rsdp[15] >= 2 && len >= ACPI_RSDP_V2_LEN &&
		    ext_len >= ACPI_RSDP_V2_LEN && ext_len <= len) {
			rsdp[32] = 0;
			rsdp[32] = acpi_checksum(rsdp, ext_len);
		}
	}
	if (acpi_rsdp_validate(rsdp, len, &why))
		fuzz_check(why != NULL);
	else
		fuzz_check(!memcmp(rsdp, "RSD PTR ", 8));
	free(rsdp);
}

static void parse(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	const char *err = NULL;
	int ret;

	if (!buf)
		return;
	memset(&bi, 0, sizeof(bi));
	ret = mb2_parse(buf, size, &bi, &err);
	fuzz_check(ret == 0 || ret == -EINVAL);
	fuzz_check(ret == 0 ? err == NULL : err != NULL);
	fuzz_check(bi.mmap_count >= 0 && bi.mmap_count <= BOOT_MMAP_MAX);
	fuzz_check(bi.module_count >= 0 && bi.module_count <= BOOT_MODULES_MAX);
	fuzz_check(bi.mbi_size <= size);
	fuzz_check(bi.rsdp_len <= sizeof(bi.rsdp));
	check_string(bi.cmdline, sizeof(bi.cmdline));
	check_string(bi.loader_name, sizeof(bi.loader_name));
	for (int i = 0; i < bi.module_count; i++) {
		check_string(bi.modules[i].name, sizeof(bi.modules[i].name));
		fuzz_check(bi.modules[i].end >= bi.modules[i].start);
	}
	if (bi.rsdp_len) {
		check_rsdp(bi.rsdp, bi.rsdp_len, false);
		check_rsdp(bi.rsdp, bi.rsdp_len, true);
	}
	free(buf);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint32_t total;

	parse(data, size);
	if (size >= 4) {
		total = get32(data);
		if (total < size)
			parse(data, total);
	}
	return 0;
}
