/*
 * kernel/cpio.c - walk a cpio "newc" archive held in a buffer.
 *
 * The format (GNU cpio's -H newc, the one Linux's initramfs reads; see
 * Linux Documentation/driver-api/early-userspace/buffer-format.rst and
 * init/initramfs.c): each entry is
 *
 *	header (110 bytes) | name (namesize bytes, NUL included) | pad to 4
 *	data (filesize bytes)                                    | pad to 4
 *
 * and the header is the magic "070701" (or "070702": the same, plus a
 * checksum of the data) followed by 13 fields, each 8 hexadecimal digits.
 * The entry named "TRAILER!!!" ends the archive; whatever follows it
 * (GNU cpio pads to 512 bytes, concatenated archives) is not looked at.
 *
 * Every field comes from a file someone built, so nothing is trusted: each
 * digit is checked, each size is compared with what is left of the buffer
 * before it is added to an offset (no sum can wrap), and a damaged archive
 * gives a one-line reason and the byte offset of the damage.
 *
 * Pure code: no kernel globals, compiled into the kernel and into
 * tests/host/test_cpio.c.  Simplifications: hard links (several entries
 * sharing an inode, the data only in the last one) are not merged, and
 * device numbers, owners and times are read but not used.
 */
#include <kernel/cpio.h>
#include <kernel/errno.h>
#include <kernel/string.h>

/* Field numbers: where each 8-digit field sits after the 6-byte magic. */
enum cpio_field {
	F_INO, F_MODE, F_UID, F_GID, F_NLINK, F_MTIME, F_FILESIZE,
	F_DEVMAJOR, F_DEVMINOR, F_RDEVMAJOR, F_RDEVMINOR, F_NAMESIZE, F_CHECK,
	F_COUNT
};

/* One reason per field, so the message names the field that is bad. */
static const char *const bad_field[F_COUNT] = {
	"c_ino is not 8 hex digits", "c_mode is not 8 hex digits",
	"c_uid is not 8 hex digits", "c_gid is not 8 hex digits",
	"c_nlink is not 8 hex digits", "c_mtime is not 8 hex digits",
	"c_filesize is not 8 hex digits", "c_devmajor is not 8 hex digits",
	"c_devminor is not 8 hex digits", "c_rdevmajor is not 8 hex digits",
	"c_rdevminor is not 8 hex digits", "c_namesize is not 8 hex digits",
	"c_check is not 8 hex digits",
};

#define MAGIC_LEN	6
#define FIELD_LEN	8

static size_t field_offset(enum cpio_field f)
{
	return MAGIC_LEN + (size_t)f * FIELD_LEN;
}

static int hex_digit(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Eight hex digits, exactly: no spaces, no sign, no "0x". */
static bool parse_hex8(const uint8_t *p, uint32_t *out)
{
	uint32_t v = 0;

	for (int i = 0; i < FIELD_LEN; i++) {
		int d = hex_digit(p[i]);

		if (d < 0)
			return false;
		v = v << 4 | (uint32_t)d;
	}
	*out = v;
	return true;
}

static int cpio_fail(struct cpio_iter *it, struct cpio_error *err,
		const char *reason, size_t offset)
{
	it->failed = true;
	it->error.reason = reason;
	it->error.offset = offset;
	*err = it->error;
	return -EINVAL;
}

/* Round up to 4 without wrapping: false if it would pass SIZE_MAX. */
static bool pad4(size_t x, size_t *out)
{
	if (x > SIZE_MAX - 3)
		return false;
	*out = ALIGN_UP(x, (size_t)4);
	return true;
}

/* Every leading "./" and "/", in any order: so a name the walk gives
 * is found again by a lookup of that same name, which is stripped too. */
static const char *strip_name(const char *name)
{
	for (;;) {
		if (name[0] == '.' && name[1] == '/')
			name += 2;
		else if (name[0] == '/')
			name++;
		else
			return name;
	}
}

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t size)
{
	memset(it, 0, sizeof(*it));
	it->buf = buf;
	it->size = size;
}

int cpio_next(struct cpio_iter *it, struct cpio_entry *e,
	      struct cpio_error *err)
{
	const uint8_t *h;
	uint32_t fields[F_COUNT];
	size_t off = it->off, left, name_end, data_start, data_end, next;
	bool with_check;
	const char *name;

	if (it->failed) {
		*err = it->error;
		return -EINVAL;
	}
	if (it->done)
		return 0;

	if (off == it->size)
		return cpio_fail(it, err, "archive ends without a TRAILER!!! entry",
			    off);
	if (off > it->size)	/* the last entry lost its padding */
		return cpio_fail(it, err, "truncated entry padding", it->size);
	if (it->size - off < CPIO_HEADER_SIZE)
		return cpio_fail(it, err, "truncated entry header", off);
	h = it->buf + off;
	left = it->size - off;

	if (!memcmp(h, "070701", MAGIC_LEN))
		with_check = false;
	else if (!memcmp(h, "070702", MAGIC_LEN))
		with_check = true;
	else
		return cpio_fail(it, err, "bad magic (not 070701 or 070702)", off);

	for (int f = 0; f < F_COUNT; f++)
		if (!parse_hex8(h + field_offset(f), &fields[f]))
			return cpio_fail(it, err, bad_field[f],
				    off + field_offset(f));

	/* The name: namesize counts its NUL, which must be the last byte. */
	if (fields[F_NAMESIZE] == 0)
		return cpio_fail(it, err, "name size is 0",
			    off + field_offset(F_NAMESIZE));
	if (fields[F_NAMESIZE] > left - CPIO_HEADER_SIZE)
		return cpio_fail(it, err, "name runs past the end of the archive",
			    off + CPIO_HEADER_SIZE);
	/* As Linux's do_name(): the last byte must be the NUL; the name is
	 * what comes before the first one (more NULs before the last are
	 * padding GNU cpio and Linux both accept). */
	name = (const char *)h + CPIO_HEADER_SIZE;
	if (name[fields[F_NAMESIZE] - 1] != '\0')
		return cpio_fail(it, err, "name is not NUL-terminated at its size",
			    off + CPIO_HEADER_SIZE);
	if (name[0] == '\0')
		return cpio_fail(it, err, "empty name", off + CPIO_HEADER_SIZE);

	/* The data, after the header and name padded to 4. */
	name_end = off + CPIO_HEADER_SIZE + fields[F_NAMESIZE];
	if (!pad4(name_end, &data_start))
		return cpio_fail(it, err, "entry too large", off);
	if (data_start > it->size) {
		/* Only an empty entry may lose its padding at the very end. */
		if (fields[F_FILESIZE])
			return cpio_fail(it, err,
				    "file data runs past the end of the archive",
				    name_end);
		data_start = it->size;
	} else if (fields[F_FILESIZE] > it->size - data_start) {
		return cpio_fail(it, err,
			    "file data runs past the end of the archive",
			    data_start);
	}
	data_end = data_start + fields[F_FILESIZE];

	if (with_check) {
		uint32_t sum = 0;

		for (size_t i = data_start; i < data_end; i++)
			sum += it->buf[i];
		if (sum != fields[F_CHECK])
			return cpio_fail(it, err, "070702 checksum mismatch", off);
	}

	if (!strcmp(name, CPIO_TRAILER)) {
		it->done = true;
		it->off = data_end;
		return 0;
	}
	if (!pad4(data_end, &next))
		return cpio_fail(it, err, "entry too large", off);

	e->name = strip_name(name);
	e->data = it->buf + data_start;
	e->size = fields[F_FILESIZE];
	e->mode = fields[F_MODE];
	e->ino = fields[F_INO];
	e->nlink = fields[F_NLINK];
	e->mtime = fields[F_MTIME];
	e->offset = off;
	it->off = next;
	return 1;
}

/* The first entry before e (in buf's first e->offset bytes) named as e
 * is: its offset, or SIZE_MAX. */
static size_t earlier_namesake(const void *buf, const struct cpio_entry *e)
{
	struct cpio_iter it;
	struct cpio_entry o;
	struct cpio_error err;

	cpio_iter_init(&it, buf, e->offset);
	while (cpio_next(&it, &o, &err) > 0)
		if (!strcmp(o.name, e->name))
			return o.offset;
	return SIZE_MAX;
}

int cpio_scan(const void *buf, size_t size, struct cpio_summary *sum,
	      struct cpio_error *err)
{
	struct cpio_iter it;
	struct cpio_entry e;
	size_t first;
	int ret;

	memset(sum, 0, sizeof(*sum));
	cpio_iter_init(&it, buf, size);
	while ((ret = cpio_next(&it, &e, err)) > 0) {
		sum->entries++;
		first = earlier_namesake(buf, &e);
		if (first != SIZE_MAX && !sum->duplicates++) {
			sum->dup_name = e.name;
			sum->dup_offset = e.offset;
			sum->dup_first_offset = first;
		}
		if (cpio_is_reg(&e)) {
			sum->files++;
			sum->file_bytes += e.size;
		} else if (cpio_is_dir(&e)) {
			sum->dirs++;
		}
		/* The data's end; the padding after it may be missing. */
		sum->valid_len = (size_t)((const uint8_t *)e.data - it.buf) +
				 e.size;
	}
	if (ret == 0)
		sum->valid_len = it.off;
	return ret;
}

int cpio_lookup(const void *buf, size_t size, const char *path,
		struct cpio_entry *e)
{
	struct cpio_iter it;
	struct cpio_error err;

	struct cpio_entry cur;
	int found = 0;

	path = strip_name(path);
	cpio_iter_init(&it, buf, size);
	while (cpio_next(&it, &cur, &err) > 0)
		if (!strcmp(cur.name, path)) {
			*e = cur;
			found = 1;
		}
	return found;
}
