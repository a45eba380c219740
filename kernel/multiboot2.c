/*
 * kernel/multiboot2.c - read GRUB's boot information (Multiboot2
 * specification, section 3.6 "Boot information format").
 *
 * The information is a header { total_size, reserved } followed by tags
 * { type, size, payload }, each starting on an 8-byte boundary, ended by a
 * tag of type 0.  Firmware and boot loaders have bugs, so every size is
 * checked against what is left before anything is read, and a tag that
 * does not fit ends the walk with a reason instead of a wild read.
 *
 * Pure code: no kernel globals; tests/host/test_multiboot2.c feeds it
 * hand-made and damaged buffers.
 */
#include <kernel/bootinfo.h>
#include <kernel/errno.h>
#include <kernel/string.h>

#define MB2_TAG_END		0
#define MB2_TAG_CMDLINE		1
#define MB2_TAG_LOADER		2
#define MB2_TAG_MODULE		3
#define MB2_TAG_MMAP		6
#define MB2_TAG_FRAMEBUFFER	8
#define MB2_TAG_EFI64		12
#define MB2_TAG_ACPI_OLD	14
#define MB2_TAG_ACPI_NEW	15

static uint32_t get32(const uint8_t *p)
{
	uint32_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

static uint64_t get64(const uint8_t *p)
{
	uint64_t v;

	memcpy(&v, p, sizeof(v));
	return v;
}

/* Copy a string payload of 'len' bytes that may lack its terminator. */
static void copy_string(char *dst, size_t dst_size, const uint8_t *src,
			size_t len)
{
	size_t n = strnlen((const char *)src, len);

	if (n >= dst_size)
		n = dst_size - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

static int parse_mmap(const uint8_t *p, uint32_t size, struct boot_info *bi,
		      const char **err)
{
	uint32_t entry_size;

	if (size < 16) {
		*err = "memory map tag too small";
		return -EINVAL;
	}
	entry_size = get32(p + 8);
	if (entry_size < 24 || entry_size % 8) {
		*err = "memory map entry size is not a multiple of 8 >= 24";
		return -EINVAL;
	}
	/* Compare what is left, not off + entry_size: a huge entry_size
	 * would wrap the sum and pass the test. */
	for (uint32_t off = 16; size - off >= entry_size; off += entry_size) {
		struct mem_region *r;

		if (bi->mmap_count >= BOOT_MMAP_MAX) {
			bi->skipped_tags++;
			break;
		}
		r = &bi->mmap[bi->mmap_count++];
		r->base = get64(p + off);
		r->len = get64(p + off + 8);
		r->type = get32(p + off + 16);
	}
	return 0;
}

static void parse_framebuffer(const uint8_t *p, uint32_t size,
			      struct boot_info *bi)
{
	struct boot_framebuffer *fb = &bi->fb;

	if (size < 31)
		return;
	fb->addr = get64(p + 8);
	fb->pitch = get32(p + 16);
	fb->width = get32(p + 20);
	fb->height = get32(p + 24);
	fb->bpp = p[28];
	fb->type = p[29];
	if (fb->type == FB_TYPE_RGB) {
		if (size < 38)
			return;
		fb->red_pos = p[32];
		fb->red_size = p[33];
		fb->green_pos = p[34];
		fb->green_size = p[35];
		fb->blue_pos = p[36];
		fb->blue_size = p[37];
	}
	bi->has_framebuffer = true;
}

int mb2_parse(const void *mbi, size_t avail, struct boot_info *bi,
	      const char **err)
{
	const uint8_t *base = mbi;
	uint32_t total;
	size_t off = 8;
	bool have_new_rsdp = false;

	*err = NULL;
	if (avail < 16) {
		*err = "boot information shorter than its header";
		return -EINVAL;
	}
	total = get32(base);
	if (total < 16 || total > avail) {
		*err = "boot information total_size out of range";
		return -EINVAL;
	}
	bi->mbi_size = total;

	while (off + 8 <= total) {
		const uint8_t *p = base + off;
		uint32_t type = get32(p), size = get32(p + 4);

		if (type == MB2_TAG_END)
			return 0;
		if (size < 8 || size > total - off) {
			*err = "boot information tag size out of range";
			return -EINVAL;
		}

		switch (type) {
		case MB2_TAG_CMDLINE:
			copy_string(bi->cmdline, sizeof(bi->cmdline), p + 8,
				    size - 8);
			break;
		case MB2_TAG_LOADER:
			copy_string(bi->loader_name, sizeof(bi->loader_name),
				    p + 8, size - 8);
			break;
		case MB2_TAG_MODULE: {
			struct boot_module *m;

			if (size < 16 || bi->module_count >= BOOT_MODULES_MAX) {
				bi->skipped_tags++;
				break;
			}
			m = &bi->modules[bi->module_count++];
			m->start = get32(p + 8);
			m->end = get32(p + 12);
			copy_string(m->name, sizeof(m->name), p + 16, size - 16);
			if (m->end < m->start) {
				*err = "module ends before it starts";
				bi->module_count--;
				return -EINVAL;
			}
			break;
		}
		case MB2_TAG_MMAP:
			if (parse_mmap(p, size, bi, err))
				return -EINVAL;
			break;
		case MB2_TAG_FRAMEBUFFER:
			parse_framebuffer(p, size, bi);
			break;
		case MB2_TAG_EFI64:
			if (size >= 16) {
				bi->efi = true;
				bi->efi_system_table = get64(p + 8);
			}
			break;
		case MB2_TAG_ACPI_NEW:
		case MB2_TAG_ACPI_OLD: {
			uint32_t len = size - 8;

			/* Prefer the ACPI 2.0+ RSDP, whatever the tag order. */
			if (type == MB2_TAG_ACPI_OLD && have_new_rsdp)
				break;
			if (len > sizeof(bi->rsdp))
				len = sizeof(bi->rsdp);
			memcpy(bi->rsdp, p + 8, len);
			bi->rsdp_len = len;
			have_new_rsdp = type == MB2_TAG_ACPI_NEW;
			break;
		}
		default:
			break;
		}
		off += ALIGN_UP((size_t)size, 8);
	}
	*err = "boot information has no end tag";
	return -EINVAL;
}
