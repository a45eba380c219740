/*
 * kernel/initrd.c - the initial RAM disk: find it, check it, serve files.
 *
 * GRUB loads build/initrd.cpio as a multiboot2 module (boot/grub.cfg:
 * "module2 /boot/initrd.cpio initrd.cpio"), and kmain copies the module's
 * physical start and end into boot_info.modules[].  The archive lies in
 * RAM, so it is reached through the direct map (phys_to_virt).
 *
 * The archive is walked once, here, with the pure parser in kernel/cpio.c:
 * either it is whole ("initrd: N files, M bytes", a line scripts read) or
 * the damage is reported, on one line, with its offset, and the entries
 * before it stay usable.  A name that appears twice is said on one line
 * too; lookups give the last, as Linux's initramfs (which unpacks each
 * over the one before) does.  The boot goes on in every case.  Lookups walk the archive again
 * (it holds a handful of files; a table would be kmalloc'd for no gain).
 *
 * Simplification: the archive is read where GRUB left it and never
 * copied; the memory manager must keep those pages out of its free lists
 * (it knows them from boot_info.modules[]).
 */
#include <kernel/cpio.h>
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>

static const void *initrd_base;
static struct initrd_stats initrd_stats;

static const struct boot_module *find_module(const struct boot_info *bi)
{
	for (int i = 0; i < bi->module_count; i++)
		if (!strcmp(bi->modules[i].name, INITRD_MODULE_NAME))
			return &bi->modules[i];
	return bi->module_count > 0 ? &bi->modules[0] : NULL;
}

void initrd_init(const struct boot_info *bi)
{
	const struct boot_module *mod = find_module(bi);
	struct cpio_summary sum;
	struct cpio_error err;
	size_t size;

	if (!mod) {
		pr_info("initrd: none loaded\n");
		return;
	}
	size = (size_t)(mod->end - mod->start);
	initrd_stats.loaded = true;
	initrd_stats.phys = mod->start;
	initrd_stats.size = size;
	initrd_base = phys_to_virt(mod->start);

	if (cpio_scan(initrd_base, size, &sum, &err)) {
		pr_err("initrd: corrupt archive at offset %zu: %s; the %u entries (%u files) before it stay usable\n",
		       err.offset, err.reason, sum.entries, sum.files);
		initrd_stats.corrupt = true;
	} else {
		pr_info("initrd: %u files, %zu bytes\n", sum.files, size);
	}
	if (sum.duplicates)
		pr_warn("initrd: %s is in the archive twice (at offsets %zu and %zu; %u names repeat in all): the last is used, as Linux's initramfs does\n",
			sum.dup_name, sum.dup_first_offset, sum.dup_offset,
			sum.duplicates);
	initrd_stats.valid_len = sum.valid_len;
	initrd_stats.entries = sum.entries;
	initrd_stats.files = sum.files;
}

const void *initrd_find(const char *path, size_t *size)
{
	struct cpio_entry e;

	if (!initrd_base || !path)
		return NULL;
	if (!cpio_lookup(initrd_base, initrd_stats.valid_len, path, &e) ||
	    !cpio_is_reg(&e))
		return NULL;
	if (size)
		*size = e.size;
	return e.data;
}

void initrd_get_stats(struct initrd_stats *st)
{
	*st = initrd_stats;
}

int initrd_for_each(int (*fn)(const struct cpio_entry *e, void *ctx),
		    void *ctx)
{
	struct cpio_error err;
	struct cpio_entry e;
	struct cpio_iter it;
	int ret;

	if (!initrd_base)
		return -ENOENT;
	/* Only the first valid_len bytes: a damaged tail ends the walk. */
	cpio_iter_init(&it, initrd_base, initrd_stats.valid_len);
	while (cpio_next(&it, &e, &err) == 1) {
		ret = fn(&e, ctx);
		if (ret)
			return ret;
	}
	return 0;
}

bool initrd_lookup(const char *path, struct cpio_entry *e)
{
	return initrd_base && path &&
	       cpio_lookup(initrd_base, initrd_stats.valid_len, path, e);
}
