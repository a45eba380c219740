/*
 * include/kernel/initrd.h - the initial RAM disk GRUB loads with module2.
 *
 * The initrd is a cpio archive in the "newc" format (as Linux's
 * initramfs), built by tools/mkinitrd.sh.  initrd_init() finds the module
 * named "initrd.cpio" (or the first module), validates the whole archive
 * once and prints "initrd: N files, M bytes" (or why it cannot);
 * initrd_find() then returns a file's bytes.  If the archive is damaged,
 * the entries before the damage stay usable.  docs/initrd.md explains it.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <kernel/bootinfo.h>

#define INITRD_MODULE_NAME	"initrd.cpio"

void initrd_init(const struct boot_info *bi);
/*
 * The regular file at 'path' (a leading "/" or "./" is ignored): its data
 * and, when 'size' is not NULL, its size; NULL when there is no such
 * regular file (directories are not files) or no initrd.
 */
const void *initrd_find(const char *path, size_t *size);

struct cpio_entry;
/*
 * Call fn for every usable entry of the archive, in archive order, until
 * fn returns non-zero (that value is returned; else 0).  -ENOENT when
 * there is no initrd.  The entry's name and data point into the archive.
 */
int initrd_for_each(int (*fn)(const struct cpio_entry *e, void *ctx),
		    void *ctx);
/* The entry at 'path' (a leading "/" or "./" ignored), of any type:
 * true and *e filled in, or false. */
bool initrd_lookup(const char *path, struct cpio_entry *e);

/* What initrd_init() found, for tests and reports. */
struct initrd_stats {
	bool loaded;		/* a module was there */
	bool corrupt;		/* damaged: only the first valid_len bytes */
	uint64_t phys;		/* where GRUB put it */
	size_t size;		/* the module's size in bytes */
	size_t valid_len;	/* bytes that initrd_find() walks */
	unsigned int entries;	/* usable entries (files, dirs, others) */
	unsigned int files;	/* usable regular files */
};
void initrd_get_stats(struct initrd_stats *st);

#endif
