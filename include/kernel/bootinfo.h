/*
 * include/kernel/bootinfo.h - what the boot loader told us, copied out.
 *
 * kernel/multiboot2.c reads GRUB's multiboot2 information once, early, and
 * copies everything the kernel needs into struct boot_info, so that GRUB's
 * memory can be reused and nothing later depends on its layout.
 */
#ifndef KERNEL_BOOTINFO_H
#define KERNEL_BOOTINFO_H

#include <kernel/compiler.h>

#define BOOT_MMAP_MAX		256
#define BOOT_MODULES_MAX	16
#define BOOT_CMDLINE_MAX	1024

/* Memory map types, as in the multiboot2 spec (3.6.8) and ACPI E820. */
#define MEM_AVAILABLE		1
#define MEM_RESERVED		2
#define MEM_ACPI_RECLAIMABLE	3
#define MEM_NVS			4
#define MEM_BADRAM		5

struct mem_region {
	uint64_t base;
	uint64_t len;
	uint32_t type;
};

struct boot_module {
	uint64_t start;		/* physical, inclusive */
	uint64_t end;		/* physical, exclusive */
	char name[64];		/* the module's command line (its file name) */
};

#define FB_TYPE_INDEXED		0
#define FB_TYPE_RGB		1
#define FB_TYPE_EGA_TEXT	2

struct boot_framebuffer {
	uint64_t addr;		/* physical */
	uint32_t pitch;		/* bytes per row */
	uint32_t width;		/* pixels, or characters for EGA text */
	uint32_t height;
	uint8_t bpp;
	uint8_t type;		/* FB_TYPE_* */
	uint8_t red_pos, red_size, green_pos, green_size, blue_pos, blue_size;
};

struct boot_info {
	char cmdline[BOOT_CMDLINE_MAX];
	char loader_name[64];
	struct mem_region mmap[BOOT_MMAP_MAX];
	int mmap_count;
	struct boot_module modules[BOOT_MODULES_MAX];
	int module_count;
	bool has_framebuffer;
	struct boot_framebuffer fb;
	uint8_t rsdp[36];	/* a copy of the ACPI RSDP (v1: 20 bytes) */
	uint32_t rsdp_len;	/* 0: GRUB gave none */
	bool efi;		/* booted through UEFI (EFI system table tag) */
	uint64_t efi_system_table;
	uint64_t mbi_phys;	/* where GRUB's information itself lies */
	uint32_t mbi_size;
	uint32_t skipped_tags;	/* malformed or unknown tags */
};

extern struct boot_info boot_info;

/*
 * Parse a multiboot2 information structure of at most 'avail' bytes.
 * Returns 0, or -EINVAL with 'err' set to a one-line reason; on error the
 * fields parsed so far are kept.  Pure: no kernel globals.
 */
int mb2_parse(const void *mbi, size_t avail, struct boot_info *out,
	      const char **err);

#endif
