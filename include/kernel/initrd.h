/*
 * include/kernel/initrd.h - the initial RAM disk GRUB loads with module2.
 *
 * The initrd is a cpio archive in the "newc" format (as Linux's
 * initramfs).  initrd_init() parses it once and prints
 * "initrd: N files, M bytes"; initrd_find() then returns a file's bytes.
 */
#ifndef KERNEL_INITRD_H
#define KERNEL_INITRD_H

#include <kernel/bootinfo.h>

void initrd_init(const struct boot_info *bi);
/* The file at 'path' (no leading slash): its data and size, or NULL. */
const void *initrd_find(const char *path, size_t *size);

#endif
