/*
 * kernel/acpi/s5.c - find the \_S5 sleep values in AML bytes (ACPI 6.5,
 * 7.4.2 "\_Sx (System States)", 20.2 "AML Grammar Definition").
 *
 * To switch a PC off, the OS writes a 3-bit SLP_TYP value into the PM1
 * control register.  Which value means "soft-off" is chipset-specific, so
 * the firmware says it in the DSDT, as AML byte code, usually compiled from
 *
 *	Name (_S5, Package (0x04) { 0x05, 0x05, Zero, Zero })
 *
 * which is the bytes
 *
 *	08           NameOp
 *	5F 53 35 5F  "_S5_"
 *	12           PackageOp
 *	08           PkgLength: 8 bytes from here to the package's end
 *	04           NumElements
 *	0A 05        BytePrefix 5: SLP_TYPa
 *	0A 05        BytePrefix 5: SLP_TYPb
 *	00 00        ZeroOp, ZeroOp: reserved elements
 *
 * This is a pragmatic scan, not an AML interpreter: it looks for the name
 * "_S5_" right after a NameOp (0x08, optionally with a root prefix '\'),
 * and decodes the package that follows.  It works on real firmware because
 * \_S5 is, in practice, always a static Name with literal integers (the
 * spec requires the object to exist and every OS reads it as data; vendors
 * write it the same way iasl's templates do).  What it cannot do: an _S5
 * built by a Method, integers taken from other named objects, or choosing
 * between two _S5 definitions behind an If() (it takes the first valid
 * one).  Linux uses the full ACPICA interpreter; a teaching kernel does
 * not need one to power off.
 *
 * Every byte read is checked against the end of the buffer and the end of
 * the package.  Pure code: tests/host/test_acpi.c feeds it damaged AML
 * under ASan.
 */
#include <kernel/acpi.h>
#include <kernel/errno.h>
#include <kernel/string.h>

#define AML_ZERO_OP		0x00
#define AML_ONE_OP		0x01
#define AML_NAME_OP		0x08
#define AML_BYTE_PREFIX		0x0a
#define AML_WORD_PREFIX		0x0b
#define AML_DWORD_PREFIX	0x0c
#define AML_QWORD_PREFIX	0x0e
#define AML_PACKAGE_OP		0x12
#define AML_ROOT_CHAR		'\\'

/* One integer element at aml[*pos], not reading at or beyond 'end'. */
static int aml_integer(const uint8_t *aml, size_t *pos, size_t end,
		       uint64_t *val, const char **why)
{
	size_t p = *pos, size;

	if (p >= end) {
		*why = "_S5 package ends before its second element";
		return -EINVAL;
	}
	switch (aml[p]) {
	case AML_ZERO_OP:
		*val = 0;
		*pos = p + 1;
		return 0;
	case AML_ONE_OP:
		*val = 1;
		*pos = p + 1;
		return 0;
	case AML_BYTE_PREFIX:
		size = 1;
		break;
	case AML_WORD_PREFIX:
		size = 2;
		break;
	case AML_DWORD_PREFIX:
		size = 4;
		break;
	case AML_QWORD_PREFIX:
		size = 8;
		break;
	default:
		*why = "_S5 element is not a literal integer";
		return -EINVAL;
	}
	if (size > end - p - 1) {
		*why = "_S5 integer runs past the end of the package";
		return -EINVAL;
	}
	*val = 0;
	for (size_t i = 0; i < size; i++)
		*val |= (uint64_t)aml[p + 1 + i] << (8 * i);
	*pos = p + 1 + size;
	return 0;
}

/*
 * The package at aml[pos] (just after the name).  PkgLength (20.2.4): the
 * top two bits of the lead byte count the bytes that follow it (0-3); with
 * none, the low 6 bits are the length; otherwise the low 4 bits are the
 * least significant nibble and each following byte adds 8 more bits.  The
 * length counts the PkgLength bytes themselves and everything after them
 * up to the package's end.
 */
static int aml_s5_package(const uint8_t *aml, size_t len, size_t pos,
			  uint8_t *slp_typa, uint8_t *slp_typb,
			  const char **why)
{
	size_t pkg_start, end, nbytes, pkg_len;
	uint64_t a, b;
	unsigned int count;

	if (pos >= len || aml[pos] != AML_PACKAGE_OP) {
		*why = "_S5 is not a Package";
		return -EINVAL;
	}
	pkg_start = ++pos;
	if (pos >= len) {
		*why = "_S5 package has no PkgLength";
		return -EINVAL;
	}
	nbytes = aml[pos] >> 6;
	if (nbytes == 0) {
		pkg_len = aml[pos] & 0x3f;
	} else {
		if (nbytes > len - pos - 1) {
			*why = "_S5 PkgLength runs past the end";
			return -EINVAL;
		}
		pkg_len = aml[pos] & 0x0f;
		for (size_t i = 1; i <= nbytes; i++)
			pkg_len |= (size_t)aml[pos + i] << (4 + 8 * (i - 1));
	}
	/* At least the PkgLength bytes and NumElements. */
	if (pkg_len < nbytes + 2) {
		*why = "_S5 PkgLength too small";
		return -EINVAL;
	}
	if (pkg_len > len - pkg_start) {
		*why = "_S5 package runs past the end of the table";
		return -EINVAL;
	}
	end = pkg_start + pkg_len;
	pos = pkg_start + nbytes + 1;
	count = aml[pos++];
	if (count == 0) {
		*why = "_S5 package is empty";
		return -EINVAL;
	}
	if (aml_integer(aml, &pos, end, &a, why))
		return -EINVAL;
	if (count == 1) {
		/* An old form: both values in one integer (as ACPICA reads
		 * it: SLP_TYPa in bits 0-7, SLP_TYPb in bits 8-15). */
		b = (a >> 8) & 0xff;
		a &= 0xff;
	} else if (aml_integer(aml, &pos, end, &b, why)) {
		return -EINVAL;
	}
	if (a > 7 || b > 7) {
		*why = "_S5 SLP_TYP value does not fit in 3 bits";
		return -EINVAL;
	}
	*slp_typa = (uint8_t)a;
	*slp_typb = (uint8_t)b;
	return 0;
}

int acpi_aml_find_s5(const uint8_t *aml, size_t len, uint8_t *slp_typa,
		     uint8_t *slp_typb, const char **why)
{
	bool malformed = false;
	const char *first_why = NULL;

	for (size_t i = 1; i + 4 <= len; i++) {
		size_t op;

		if (memcmp(aml + i, "_S5_", 4))
			continue;
		/* NameOp, then the name, perhaps from the root: \_S5_. */
		op = i - 1;
		if (aml[op] == AML_ROOT_CHAR) {
			if (op == 0)
				continue;
			op--;
		}
		if (aml[op] != AML_NAME_OP)
			continue;	/* a use of _S5, not its definition */
		if (!aml_s5_package(aml, len, i + 4, slp_typa, slp_typb, why))
			return 0;
		if (!malformed)
			first_why = *why;
		malformed = true;
	}
	if (malformed) {
		*why = first_why;
		return -EINVAL;
	}
	*why = "no _S5 object";
	return -ENOENT;
}
