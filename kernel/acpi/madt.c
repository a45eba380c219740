/*
 * kernel/acpi/madt.c - parse the Multiple APIC Description Table (ACPI
 * 6.5, 5.2.12) into a struct madt_info: the CPUs (their local APIC IDs),
 * the local APIC address, the I/O APICs, the legacy IRQ overrides and the
 * LINT pins wired to NMI.
 *
 * Pure: no kernel globals, no printing; the same file is compiled into
 * tests/host/test_madt.c.  The glue is kernel/acpi/cpus.c.
 *
 * Every entry is bounds-checked before a byte of it is read: a length of
 * 0 (which would loop forever), an entry running past the end of the
 * table, or one shorter than its type requires stops the walk with a
 * reason; what came before is kept, so a machine with a broken last entry
 * still boots on the CPUs it has.
 *
 * A CPU is "possible" when its entry says Enabled, or Online-Capable
 * (MADT revision 5 and later; the bit was reserved before).  Entries with
 * neither flag are counted and skipped, as are duplicate APIC IDs (a CPU
 * listed both as type 0 and type 9), the xAPIC "no APIC" ID 0xff in type
 * 0 entries and 0xffffffff in type 9 entries.
 *
 * Simplifications: GIC (ARM) and other non-x86 entry types are skipped by
 * length; NMI sources (type 3) and I/O SAPICs are not kept.
 */
#include <kernel/errno.h>
#include <kernel/madt.h>
#include <kernel/string.h>

/* The smallest legal length of each type we read. */
static size_t madt_min_len(uint8_t type)
{
	switch (type) {
	case MADT_TYPE_LOCAL_APIC:	return 8;
	case MADT_TYPE_IO_APIC:		return 12;
	case MADT_TYPE_INT_OVERRIDE:	return 10;
	case MADT_TYPE_LOCAL_APIC_NMI:	return 6;
	case MADT_TYPE_LAPIC_OVERRIDE:	return 12;
	case MADT_TYPE_LOCAL_X2APIC:	return 16;
	case MADT_TYPE_LOCAL_X2APIC_NMI: return 12;
	default:			return 2;
	}
}

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

int madt_find_cpu(const struct madt_info *m, uint32_t apic_id)
{
	for (unsigned int i = 0; i < m->nr_cpus; i++)
		if (m->cpus[i].apic_id == apic_id)
			return (int)i;
	return -1;
}

static void add_cpu(struct madt_info *m, uint32_t apic_id, uint32_t uid,
		    uint32_t flags, bool x2apic_entry)
{
	bool online_capable = m->revision >= 5 &&
			      (flags & MADT_CPU_ONLINE_CAPABLE);
	struct madt_cpu *c;

	if (!(flags & MADT_CPU_ENABLED) && !online_capable) {
		m->cpus_disabled++;
		return;
	}
	if (madt_find_cpu(m, apic_id) >= 0) {
		m->cpus_duplicate++;
		return;
	}
	if (m->nr_cpus == MADT_MAX_CPUS) {
		m->cpus_dropped++;
		return;
	}
	c = &m->cpus[m->nr_cpus++];
	c->apic_id = apic_id;
	c->acpi_uid = uid;
	c->enabled = flags & MADT_CPU_ENABLED;
	c->x2apic_entry = x2apic_entry;
	if (c->enabled)
		m->nr_enabled++;
}

static void add_nmi(struct madt_info *m, uint32_t uid, uint16_t flags,
		    uint8_t lint)
{
	if (m->nr_nmis == MADT_MAX_NMIS) {
		m->others_dropped++;
		return;
	}
	m->nmis[m->nr_nmis].acpi_uid = uid;
	m->nmis[m->nr_nmis].flags = flags;
	m->nmis[m->nr_nmis].lint = lint;
	m->nr_nmis++;
}

/* Why the entry at e, with 'left' bytes of table from it, cannot be read;
 * NULL when it lies wholly inside and is long enough for its type. */
static const char *madt_entry_bad(const uint8_t *e, size_t left)
{
	if (left < 2)
		return "truncated entry header";
	if (e[1] == 0)
		return "entry of length 0";
	if (e[1] > left)
		return "entry runs past the end of the table";
	if (e[1] < madt_min_len(e[0]))
		return "entry too short for its type";
	return NULL;
}

/*
 * Linux's rule since 2024 (arch/x86/kernel/acpi/boot.c, "x86/acpi: Ignore
 * invalid x2APIC entries"): the ACPI spec describes processors with APIC
 * IDs below 255 by type 0 entries, so where the table has any usable
 * type 0 entry, a type 9 entry with an ID below 255 is taken as a
 * duplicate that firmware left in, not as another CPU.  Usable: a valid
 * ID, enabled or online-capable.  A first pass, bounded like the main
 * one; it stops at the first malformed entry, which the main pass then
 * reports.
 */
static bool madt_has_lapic_cpus(const uint8_t *t, size_t table_len,
				uint8_t revision)
{
	for (size_t off = MADT_HEADER_LEN; off < table_len;) {
		const uint8_t *e = t + off;

		if (madt_entry_bad(e, table_len - off))
			return false;
		if (e[0] == MADT_TYPE_LOCAL_APIC && e[3] != 0xff &&
		    ((get32(e + 4) & MADT_CPU_ENABLED) ||
		     (revision >= 5 && (get32(e + 4) & MADT_CPU_ONLINE_CAPABLE))))
			return true;
		off += e[1];
	}
	return false;
}

/* One entry, already known to lie inside the table and to be at least
 * madt_min_len(type) long. */
static void madt_entry(struct madt_info *m, const uint8_t *e,
		       bool has_lapic_cpus)
{
	switch (e[0]) {
	case MADT_TYPE_LOCAL_APIC:
		/* type, length, uid (1), APIC ID (1), flags (4) */
		if (e[3] == 0xff) {
			m->cpus_invalid++;
			break;
		}
		add_cpu(m, e[3], e[2], get32(e + 4), false);
		break;
	case MADT_TYPE_LOCAL_X2APIC:
		/* type, length, reserved (2), x2APIC ID (4), flags (4),
		 * uid (4) */
		if (get32(e + 4) == 0xffffffffU) {
			m->cpus_invalid++;
			break;
		}
		if (has_lapic_cpus && get32(e + 4) < 0xff) {
			m->x2apic_ignored++;
			break;
		}
		add_cpu(m, get32(e + 4), get32(e + 12), get32(e + 8), true);
		break;
	case MADT_TYPE_IO_APIC:
		/* type, length, id, reserved, address (4), GSI base (4) */
		if (m->nr_ioapics == MADT_MAX_IOAPICS) {
			m->others_dropped++;
			break;
		}
		m->ioapics[m->nr_ioapics].id = e[2];
		m->ioapics[m->nr_ioapics].address = get32(e + 4);
		m->ioapics[m->nr_ioapics].gsi_base = get32(e + 8);
		m->nr_ioapics++;
		break;
	case MADT_TYPE_INT_OVERRIDE:
		/* type, length, bus, source, GSI (4), flags (2) */
		if (m->nr_overrides == MADT_MAX_OVERRIDES) {
			m->others_dropped++;
			break;
		}
		m->overrides[m->nr_overrides].bus = e[2];
		m->overrides[m->nr_overrides].source = e[3];
		m->overrides[m->nr_overrides].gsi = get32(e + 4);
		m->overrides[m->nr_overrides].flags = get16(e + 8);
		m->nr_overrides++;
		break;
	case MADT_TYPE_LOCAL_APIC_NMI:
		/* type, length, uid (1; 0xff: all), flags (2), LINT# (1) */
		add_nmi(m, e[2] == 0xff ? MADT_NMI_ALL_CPUS : e[2],
			get16(e + 3), e[5]);
		break;
	case MADT_TYPE_LOCAL_X2APIC_NMI:
		/* type, length, flags (2), uid (4), LINT# (1), reserved (3) */
		add_nmi(m, get32(e + 4), get16(e + 2), e[8]);
		break;
	case MADT_TYPE_LAPIC_OVERRIDE:
		/* type, length, reserved (2), 64-bit address */
		m->lapic_address = get64(e + 4);
		m->lapic_overridden = true;
		break;
	default:
		m->unknown_entries++;
		break;
	}
}

int madt_parse(const void *table, size_t len, struct madt_info *out,
	       const char **why)
{
	const uint8_t *t = table;
	size_t table_len, off;
	bool has_lapic_cpus;

	memset(out, 0, sizeof(*out));
	if (len < MADT_HEADER_LEN) {
		*why = "table shorter than the MADT header";
		return -EINVAL;
	}
	table_len = get32(t + 4);
	if (table_len < MADT_HEADER_LEN || table_len > len) {
		*why = "table length field out of range";
		return -EINVAL;
	}
	out->revision = t[8];
	out->lapic_address = get32(t + 36);
	out->flags = get32(t + 40);
	has_lapic_cpus = madt_has_lapic_cpus(t, table_len, out->revision);

	for (off = MADT_HEADER_LEN; off < table_len;) {
		const uint8_t *e = t + off;
		size_t left = table_len - off;

		out->error = madt_entry_bad(e, left);
		if (out->error) {
			out->error_offset = off;
			*why = out->error;
			return -EINVAL;
		}
		madt_entry(out, e, has_lapic_cpus);
		off += e[1];
	}
	return 0;
}

unsigned int madt_usable_cpus(const struct madt_info *m, uint32_t boot_apic_id,
			      unsigned int limit, uint32_t *ids,
			      unsigned int max_ids)
{
	unsigned int n = 0;

	if (limit > max_ids)
		limit = max_ids;
	if (limit == 0)
		return 0;
	/* The boot CPU is running whatever the table says. */
	ids[n++] = boot_apic_id;
	for (unsigned int i = 0; i < m->nr_cpus && n < limit; i++) {
		if (!m->cpus[i].enabled || m->cpus[i].apic_id == boot_apic_id)
			continue;
		ids[n++] = m->cpus[i].apic_id;
	}
	return n;
}
