/*
 * include/kernel/cpio.h - walk a cpio archive in the "newc" format.
 *
 * The format is the one Linux's initramfs uses (Documentation/
 * driver-api/early-userspace/buffer-format.rst) and GNU cpio writes with
 * -H newc: per entry a 110-byte ASCII header, the name, the data, with
 * the header+name and the data each padded to a multiple of 4 bytes; an
 * entry named "TRAILER!!!" ends the archive.  kernel/cpio.c is pure C over
 * a buffer: it never reads outside [buf, buf + size) and reports damage as
 * a reason and a byte offset.  docs/initrd.md draws the header.
 */
#ifndef KERNEL_CPIO_H
#define KERNEL_CPIO_H

#include <kernel/compiler.h>

#define CPIO_HEADER_SIZE	110	/* 6 magic + 13 fields of 8 hex digits */
#define CPIO_TRAILER		"TRAILER!!!"

/* File types in the mode field (the POSIX st_mode bits). */
#define CPIO_S_IFMT		0170000
#define CPIO_S_IFDIR		0040000
#define CPIO_S_IFREG		0100000
#define CPIO_S_IFLNK		0120000

struct cpio_entry {
	const char *name;	/* NUL-terminated, leading "./" or "/" cut */
	const void *data;
	size_t size;		/* filesize */
	uint32_t mode;
	uint32_t ino;
	uint32_t nlink;
	uint32_t mtime;
	size_t offset;		/* where this entry's header starts */
};

static inline bool cpio_is_reg(const struct cpio_entry *e)
{
	return (e->mode & CPIO_S_IFMT) == CPIO_S_IFREG;
}

static inline bool cpio_is_dir(const struct cpio_entry *e)
{
	return (e->mode & CPIO_S_IFMT) == CPIO_S_IFDIR;
}

/* Why an archive was refused, and where (a byte offset into it). */
struct cpio_error {
	const char *reason;
	size_t offset;
};

struct cpio_iter {
	const uint8_t *buf;
	size_t size;
	size_t off;		/* the next header; may pass size by padding */
	bool done;		/* the trailer was seen */
	bool failed;		/* damage was found: 'error' says where */
	struct cpio_error error;
};

void cpio_iter_init(struct cpio_iter *it, const void *buf, size_t size);

/*
 * The next entry: 1 with *e filled in; 0 at the trailer (and every call
 * after it); -EINVAL with *err filled in when the archive is damaged
 * (the iterator stays failed: calling again repeats the error).
 */
int cpio_next(struct cpio_iter *it, struct cpio_entry *e,
	      struct cpio_error *err);

/* What a whole walk found. */
struct cpio_summary {
	unsigned int entries;	/* every entry before the trailer */
	unsigned int files;	/* regular files among them */
	unsigned int dirs;
	size_t valid_len;	/* bytes up to the end of the last good entry */
	size_t file_bytes;	/* sum of the regular files' sizes */
	/* Entries whose name an earlier entry has (cpio_lookup() gives the
	 * last, as Linux's initramfs keeps the last it unpacks), and the
	 * first such pair: the name and both entries' offsets. */
	unsigned int duplicates;
	const char *dup_name;
	size_t dup_offset, dup_first_offset;
};

/*
 * Walk the whole archive once.  0 when it is intact up to its trailer;
 * -EINVAL with *err otherwise.  *sum counts the good entries either way,
 * so a caller can keep using the first valid_len bytes.
 */
int cpio_scan(const void *buf, size_t size, struct cpio_summary *sum,
	      struct cpio_error *err);

/*
 * Find 'path' (leading "/" or "./" ignored) among the entries in the first
 * 'size' bytes; stops quietly at damage.  1 and *e filled (the last entry
 * of that name, when there are several), or 0.
 */
int cpio_lookup(const void *buf, size_t size, const char *path,
		struct cpio_entry *e);

#endif
