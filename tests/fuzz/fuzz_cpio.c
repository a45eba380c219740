/*
 * tests/fuzz/fuzz_cpio.c - libFuzzer target for the initrd's cpio
 * "newc" walker (kernel/cpio.c), as kernel/initrd.c uses it: the input
 * is the archive GRUB loaded; cpio_scan() walks it once (initrd_init()),
 * then lookups walk its first valid_len bytes again (initrd_find(),
 * the monitor's ls and cat).
 *
 * Checked, beyond ASan's eye on every byte: each entry's name and data
 * lie inside the archive, its name is NUL-terminated there, the walk
 * with cpio_next() agrees with cpio_scan()'s summary, an error's offset
 * lies inside the archive, and each name found is found again by
 * cpio_lookup() in the first valid_len bytes, as the kernel will look
 * for it.
 */
#include "fuzz.h"

#include "../../kernel/cpio.c"

static void check_entry(const uint8_t *buf, size_t size,
			const struct cpio_entry *e)
{
	size_t name_len;

	fuzz_check(e->offset + CPIO_HEADER_SIZE <= size);
	fuzz_check(fuzz_inside(buf, size, e->name, 1));
	name_len = strnlen(e->name, (size_t)(buf + size - (const uint8_t *)e->name));
	fuzz_check(fuzz_inside(buf, size, e->name, name_len + 1));
	fuzz_check(fuzz_inside(buf, size, e->data, e->size));
	fuzz_check((const uint8_t *)e->data >= (const uint8_t *)e->name + name_len);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *buf = fuzz_copy(data, size);
	struct cpio_summary sum;
	struct cpio_error err = { 0 };
	struct cpio_iter it;
	struct cpio_entry e, found;
	unsigned int entries = 0, files = 0;
	int ret, ret2;

	if (!buf)
		return 0;
	ret = cpio_scan(buf, size, &sum, &err);
	fuzz_check(ret == 0 || ret == -EINVAL);
	fuzz_check(sum.valid_len <= size);
	if (ret) {
		fuzz_check(err.reason != NULL);
		fuzz_check(err.offset <= size);
	}

	cpio_iter_init(&it, buf, size);
	while ((ret2 = cpio_next(&it, &e, &err)) > 0) {
		check_entry(buf, size, &e);
		entries++;
		files += cpio_is_reg(&e);
		/* initrd_find(): a lookup in the valid part finds this name
		 * (here or at a later entry of the same name: the last wins,
		 * as in Linux's initramfs, and the scan counted the repeat).
		 * Each lookup walks the archive again: the first 32 entries. */
		if (entries > 32)
			continue;
		fuzz_check(cpio_lookup(buf, sum.valid_len, e.name, &found) == 1);
		fuzz_check(!strcmp(found.name, e.name));
		fuzz_check(found.offset >= e.offset);
		fuzz_check(found.offset == e.offset || sum.duplicates > 0);
	}
	fuzz_check(ret2 == ret);
	fuzz_check(entries == sum.entries && files == sum.files);
	/* A failed iterator stays failed, and says the same again. */
	if (ret) {
		struct cpio_error again;

		fuzz_check(cpio_next(&it, &e, &again) == -EINVAL);
		fuzz_check(again.offset == err.offset);
	}

	/* What the kernel itself asks for. */
	cpio_lookup(buf, sum.valid_len, "etc/storm.conf", &found);
	cpio_lookup(buf, sum.valid_len, "/lib/modules/kvm.ko", &found);
	cpio_lookup(buf, sum.valid_len, "./test/hostile/MANIFEST", &found);
	free(buf);
	return 0;
}
