/*
 * tools/acpicheck/acpicheck.c - the kernel's pure ACPI code run on the
 * host over a real machine's tables, as `acpixtract -a` writes them: one
 * folder per machine holding apic.dat (MADT), facp.dat (FADT), dsdt.dat
 * and ssdt.dat or ssdt1.dat, ssdt2.dat, ...
 *
 *	acpicheck FOLDER...
 *
 * prints one line per folder, "FOLDER: ok key=value ..." with what the
 * kernel would make of that machine, or "FOLDER: error: <reason>", and
 * exits 1 when any folder had an error.  The keys, in order:
 *
 *	lapic_ids=	enabled type 0 entries' APIC IDs, raw (0xff and
 *			duplicates in)
 *	x2apic_ids=	the same for type 9 entries
 *	cpus=		what madt_usable_cpus() gives, the boot CPU being
 *			the first enabled CPU madt_parse() kept
 *	ioapics=	id@0xaddress/gsi_base
 *	overrides=	irq>gsi
 *	hw_reduced=	FADT flag HW_REDUCED_ACPI
 *	ps2=		IA-PC boot flag "8042" (none: FADT revision < 3)
 *	pm1a_cnt=	the I/O port acpi_fadt_parse() chose (none: absent)
 *	sleep_control=	SLEEP_CONTROL_REG's address (none: absent)
 *	s5= s5_from=	acpi_aml_find_s5() over the DSDT, then each SSDT
 *
 * and, only when there is something to say, madt_dropped= (entries
 * beyond the parser's limits) and rejected= (the SSDTs
 * acpi_table_validate() refused, which the kernel would not keep either,
 * each as file:reason with the spaces turned into '_', so that every
 * value stays one word).
 *
 * The parsing is kernel/acpi/tables.c, madt.c and s5.c, compiled
 * unchanged; this file only reads files and prints.  Every file is
 * capped at ACPI_TABLE_MAX_LEN and checked by acpi_table_validate()
 * before any parser sees it, exactly as acpi_table_load() does in the
 * kernel, so a hostile folder gets an error line, never a crash.
 */
#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <kernel/acpi.h>
#include <kernel/madt.h>

/* More SSDTs than this is no machine we know (the corpus has at most a
 * few dozen); the rest are ignored rather than read without end. */
#define ACPICHECK_MAX_SSDTS	256

/* One table file, read whole and validated. */
struct table_file {
	uint8_t *data;
	size_t size;
};

/* A line being built: text appended with a bound, never overrun. */
struct line {
	char *buf;
	size_t len, cap;
	bool failed;		/* out of memory */
};

static __printf(2, 3) void line_add(struct line *l, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (l->failed)
		return;
	for (;;) {
		va_start(ap, fmt);
		n = vsnprintf(l->buf + l->len, l->cap - l->len, fmt, ap);
		va_end(ap);
		if (n < 0) {
			l->failed = true;
			return;
		}
		if ((size_t)n < l->cap - l->len) {
			l->len += (size_t)n;
			return;
		}
		char *bigger = realloc(l->buf, l->cap * 2 + (size_t)n);

		if (!bigger) {
			l->failed = true;
			return;
		}
		l->buf = bigger;
		l->cap = l->cap * 2 + (size_t)n;
	}
}

/*
 * Read FOLDER/NAME whole, at most ACPI_TABLE_MAX_LEN bytes, and validate
 * it as a table with signature SIG.  0, or -1 with the reason in why.
 */
static int table_read(const char *folder, const char *name, const char *sig,
		      struct table_file *t, char *why, size_t why_len)
{
	char path[4096];
	const char *reason;
	FILE *f;
	size_t got, cap = 0;

	t->data = NULL;
	t->size = 0;
	if ((size_t)snprintf(path, sizeof(path), "%s/%s", folder, name) >=
	    sizeof(path)) {
		snprintf(why, why_len, "%s: path too long", name);
		return -1;
	}
	f = fopen(path, "rb");
	if (!f) {
		snprintf(why, why_len, "%s: %s", name, strerror(errno));
		return -1;
	}
	/* Grow the buffer as the file turns out longer, up to one byte
	 * past the cap, which is how a file too large is told apart. */
	for (got = 0;;) {
		size_t want = cap ? cap * 2 : 64 * 1024;
		uint8_t *bigger;

		if (want > ACPI_TABLE_MAX_LEN + 1)
			want = ACPI_TABLE_MAX_LEN + 1;
		bigger = realloc(t->data, want);
		if (!bigger) {
			snprintf(why, why_len, "%s: out of memory", name);
			goto fail;
		}
		t->data = bigger;
		cap = want;
		got += fread(t->data + got, 1, cap - got, f);
		if (ferror(f)) {
			snprintf(why, why_len, "%s: read error", name);
			goto fail;
		}
		if (got < cap)
			break;
		if (cap > ACPI_TABLE_MAX_LEN) {
			snprintf(why, why_len, "%s: larger than %u bytes",
				 name, ACPI_TABLE_MAX_LEN);
			goto fail;
		}
	}
	fclose(f);
	t->size = got;
	if (acpi_table_validate(t->data, t->size, sig, &reason)) {
		snprintf(why, why_len, "%s: %s", name, reason);
		free(t->data);
		t->data = NULL;
		return -1;
	}
	return 0;
fail:
	fclose(f);
	free(t->data);
	t->data = NULL;
	return -1;
}

static uint32_t get32(const uint8_t *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

/*
 * The raw enabled processor entries of one type (0 or 9), in table
 * order, as the firmware wrote them.  Only called after madt_parse()
 * returned 0, so every entry is known to lie inside the table and to be
 * long enough for its type.
 */
static void madt_raw_ids(struct line *l, const uint8_t *madt, uint8_t type)
{
	uint32_t len = get32(madt + 4);
	bool first = true;

	for (size_t off = MADT_HEADER_LEN; off + 2 <= len; off += madt[off + 1]) {
		const uint8_t *e = madt + off;
		uint32_t id, flags;

		if (e[0] != type)
			continue;
		if (type == MADT_TYPE_LOCAL_APIC) {
			id = e[3];
			flags = get32(e + 4);
		} else {
			id = get32(e + 4);
			flags = get32(e + 8);
		}
		if (!(flags & MADT_CPU_ENABLED))
			continue;
		line_add(l, "%s%u", first ? "" : ",", id);
		first = false;
	}
}

static void madt_keys(struct line *l, const struct table_file *apic,
		      const struct madt_info *m)
{
	static uint32_t ids[MADT_MAX_CPUS];
	unsigned int n = 0;

	line_add(l, " lapic_ids=");
	madt_raw_ids(l, apic->data, MADT_TYPE_LOCAL_APIC);
	line_add(l, " x2apic_ids=");
	madt_raw_ids(l, apic->data, MADT_TYPE_LOCAL_X2APIC);

	/* The kernel's boot CPU is the one it runs on; on a real machine
	 * the firmware lists that one first, so take the first enabled. */
	for (unsigned int i = 0; i < m->nr_cpus; i++) {
		if (m->cpus[i].enabled) {
			n = madt_usable_cpus(m, m->cpus[i].apic_id,
					     MADT_MAX_CPUS, ids, MADT_MAX_CPUS);
			break;
		}
	}
	line_add(l, " cpus=");
	for (unsigned int i = 0; i < n; i++)
		line_add(l, "%s%u", i ? "," : "", ids[i]);

	line_add(l, " ioapics=");
	for (unsigned int i = 0; i < m->nr_ioapics; i++)
		line_add(l, "%s%u@%#x/%u", i ? "," : "", m->ioapics[i].id,
			 m->ioapics[i].address, m->ioapics[i].gsi_base);
	line_add(l, " overrides=");
	for (unsigned int i = 0; i < m->nr_overrides; i++)
		line_add(l, "%s%u>%u", i ? "," : "", m->overrides[i].source,
			 m->overrides[i].gsi);
}

static void fadt_keys(struct line *l, const struct acpi_fadt_info *f)
{
	line_add(l, " hw_reduced=%d", f->hw_reduced ? 1 : 0);
	if (f->has_iapc_boot_arch)
		line_add(l, " ps2=%d",
			 f->iapc_boot_arch & ACPI_IAPC_8042 ? 1 : 0);
	else
		line_add(l, " ps2=none");
	if (f->pm1a_cnt)
		line_add(l, " pm1a_cnt=%#x", f->pm1a_cnt);
	else
		line_add(l, " pm1a_cnt=none");
	if (f->has_sleep_control)
		line_add(l, " sleep_control=%#llx",
			 (unsigned long long)f->sleep_control.address);
	else
		line_add(l, " sleep_control=none");
}

/* "ssdt.dat" is 0 (acpixtract's name when there is only one), "ssdtN.dat"
 * is N; -1 for any other name. */
static long ssdt_number(const char *name)
{
	char *end;
	long n;

	if (strncmp(name, "ssdt", 4))
		return -1;
	if (!strcmp(name + 4, ".dat"))
		return 0;
	if (name[4] < '1' || name[4] > '9')
		return -1;
	errno = 0;
	n = strtol(name + 4, &end, 10);
	if (errno || strcmp(end, ".dat") || n > 100000)
		return -1;
	return n;
}

static int cmp_long(const void *a, const void *b)
{
	long x = *(const long *)a, y = *(const long *)b;

	return (x > y) - (x < y);
}

/* \_S5 as acpi.c's find_s5() looks for it: the DSDT, then each SSDT in
 * order; SSDTs that fail validation are listed in rejected=. */
static void s5_keys(struct line *l, const char *folder,
		    const struct table_file *dsdt)
{
	static long numbers[ACPICHECK_MAX_SSDTS];
	size_t count = 0;
	struct line rejected = { 0 };
	uint8_t a = 0, b = 0;
	const char *reason;
	char from[32] = "none";
	bool found;
	DIR *dir;

	found = !acpi_aml_find_s5(dsdt->data + sizeof(struct acpi_table_header),
				  get32(dsdt->data + 4) -
					sizeof(struct acpi_table_header),
				  &a, &b, &reason);
	if (found)
		strcpy(from, "dsdt");

	dir = opendir(folder);
	if (dir) {
		struct dirent *d;

		while ((d = readdir(dir)) && count < ACPICHECK_MAX_SSDTS) {
			long n = ssdt_number(d->d_name);

			if (n >= 0)
				numbers[count++] = n;
		}
		closedir(dir);
	}
	qsort(numbers, count, sizeof(numbers[0]), cmp_long);

	rejected.cap = 64;
	rejected.buf = malloc(rejected.cap);
	rejected.failed = !rejected.buf;
	for (size_t i = 0; i < count; i++) {
		char name[32], why[256];
		struct table_file ssdt;

		if (numbers[i])
			snprintf(name, sizeof(name), "ssdt%ld.dat", numbers[i]);
		else
			snprintf(name, sizeof(name), "ssdt.dat");
		if (table_read(folder, name, "SSDT", &ssdt, why, sizeof(why))) {
			/* One word: "ssdt1.dat:bad_checksum". */
			for (char *p = why; *p; p++) {
				if (*p == ':' && p[1] == ' ')
					memmove(p + 1, p + 2, strlen(p + 2) + 1);
				else if (*p == ' ')
					*p = '_';
			}
			line_add(&rejected, "%s%s", rejected.len ? "," : "",
				 why);
			continue;
		}
		if (!found &&
		    !acpi_aml_find_s5(ssdt.data +
					      sizeof(struct acpi_table_header),
				      get32(ssdt.data + 4) -
					      sizeof(struct acpi_table_header),
				      &a, &b, &reason)) {
			found = true;
			snprintf(from, sizeof(from), "%.*s",
				 (int)(strlen(name) - 4), name);
		}
		free(ssdt.data);
	}
	if (found)
		line_add(l, " s5=%u,%u", a, b);
	else
		line_add(l, " s5=none");
	line_add(l, " s5_from=%s", from);
	if (rejected.len)
		line_add(l, " rejected=%s", rejected.buf);
	free(rejected.buf);
}

/* One folder: its line on stdout; 0 when ok. */
static int check_folder(const char *folder)
{
	static struct madt_info madt;
	struct table_file apic = { 0 }, facp = { 0 }, dsdt = { 0 };
	struct acpi_fadt_info fadt;
	struct line l = { 0 };
	const char *reason;
	char why[512];
	int ret = -1;

	if (table_read(folder, "apic.dat", "APIC", &apic, why, sizeof(why)))
		goto out;
	if (madt_parse(apic.data, apic.size, &madt, &reason)) {
		if (madt.error)
			snprintf(why, sizeof(why), "apic.dat: %s at offset %zu",
				 reason, madt.error_offset);
		else
			snprintf(why, sizeof(why), "apic.dat: %s", reason);
		goto out;
	}
	if (table_read(folder, "facp.dat", "FACP", &facp, why, sizeof(why)))
		goto out;
	if (acpi_fadt_parse((const struct acpi_table_header *)facp.data, &fadt,
			    &reason)) {
		snprintf(why, sizeof(why), "facp.dat: %s", reason);
		goto out;
	}
	if (table_read(folder, "dsdt.dat", "DSDT", &dsdt, why, sizeof(why)))
		goto out;

	l.cap = 256;
	l.buf = malloc(l.cap);
	if (!l.buf) {
		snprintf(why, sizeof(why), "out of memory");
		goto out;
	}
	madt_keys(&l, &apic, &madt);
	fadt_keys(&l, &fadt);
	s5_keys(&l, folder, &dsdt);
	if (madt.cpus_dropped || madt.others_dropped)
		line_add(&l, " madt_dropped=%u",
			 madt.cpus_dropped + madt.others_dropped);
	if (l.failed) {
		snprintf(why, sizeof(why), "out of memory");
		goto out;
	}
	ret = 0;
out:
	if (ret)
		printf("%s: error: %s\n", folder, why);
	else
		printf("%s: ok%s\n", folder, l.buf);
	free(l.buf);
	free(dsdt.data);
	free(facp.data);
	free(apic.data);
	return ret;
}

int main(int argc, char **argv)
{
	int status = 0;

	if (argc < 2) {
		fprintf(stderr, "usage: %s FOLDER...\n", argv[0]);
		return 2;
	}
	for (int i = 1; i < argc; i++)
		if (check_folder(argv[i]))
			status = 1;
	return status;
}
