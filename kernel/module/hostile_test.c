/*
 * kernel/module/hostile_test.c - KTAP suite "module_hostile": modules
 * built to be refused, loaded from the initrd one after another.
 *
 * tests/hostile/mkhostile.py made them (docs/modules.md): damaged copies
 * of one valid module - truncated, wrong class, machine or type, bad
 * string tables, sections past the end, bad indices, bad relocations -
 * and sound modules that only the loader itself can refuse (an unknown
 * symbol, an export the kernel has, an init that fails, per-CPU data
 * larger than the reserved chunk).  tools/mkinitrd.sh put them in
 * test/hostile/ with their MANIFEST, one line per file:
 *
 *	file <TAB> kocheck options <TAB> kocheck says <TAB> kernel says
 *
 * For each file (one KTAP result each) the case insmods it and checks
 * that it failed (the valid copy: loaded, then unloaded) and that what
 * the load took came back exactly: the reserved per-CPU chunk's use,
 * module-area pages, kmalloc objects, the loader's bytes in flight and
 * the module list.  The refusal's text is printed by the loader; the
 * boot test module-hostile in tests/boots.py matches it against "kernel
 * says", between the two "module_hostile:" lines printed around each
 * load.  Last, kvm still loads and unloads: the kernel went on.
 */
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/ktest.h>
#include <kernel/ktest/baseline.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/rcupdate.h>
#include "internal.h"

#define HOSTILE_DIR		"test/hostile/"
#define HOSTILE_MANIFEST	HOSTILE_DIR "MANIFEST"
#define HOSTILE_MIN_FILES	40	/* mkhostile.py makes about 60 */
#define HOSTILE_SAYS_MAX	192

/* ---- the MANIFEST, read in place in the initrd ---- */

static const char *manifest(const char **end)
{
	size_t len;
	const char *m = initrd_find(HOSTILE_MANIFEST, &len);

	*end = m ? m + len : NULL;
	return m;
}

/* The line after the one at p, or NULL at the end. */
static const char *next_line(const char *p, const char *end)
{
	while (p < end && *p != '\n')
		p++;
	return p + 1 < end ? p + 1 : NULL;
}

/*
 * Field n (from 0) of the line at p, NUL-terminated into out[size].
 * False when the line has no field n or it does not fit.
 */
static bool manifest_field(const char *p, const char *end, unsigned int n,
			   char *out, size_t size)
{
	size_t len = 0;

	for (; n; p++) {
		if (p >= end || *p == '\n')
			return false;
		if (*p == '\t')
			n--;
	}
	while (p + len < end && p[len] != '\t' && p[len] != '\n')
		len++;
	if (len >= size)
		return false;
	memcpy(out, p, len);
	out[len] = '\0';
	return true;
}

/* The parameters of test_hostile_file: each MANIFEST line, by file name. */
static const void *hostile_gen(const void *prev, char *desc)
{
	const char *end, *m = manifest(&end);
	const char *line;

	if (!m)
		return NULL;
	line = prev ? next_line(prev, end) : (m < end ? m : NULL);
	if (!line)
		return NULL;
	if (!manifest_field(line, end, 0, desc, KTEST_PARAM_DESC_SIZE))
		strlcpy(desc, "(malformed MANIFEST line)",
			KTEST_PARAM_DESC_SIZE);
	return line;
}

/* ---- the cases ---- */

/* The set is there and whole: otherwise the next case would pass empty. */
static void test_manifest(struct ktest *t)
{
	const char *end, *m = manifest(&end), *line;
	char file[KTEST_PARAM_DESC_SIZE], says[HOSTILE_SAYS_MAX];
	char path[sizeof(HOSTILE_DIR) + KTEST_PARAM_DESC_SIZE];
	unsigned int files = 0;

	if (!m) {
		ktest_fail(t, __FILE__, __LINE__, "no %s in the initrd",
			   HOSTILE_MANIFEST);
		return;
	}
	for (line = m < end ? m : NULL; line; line = next_line(line, end)) {
		files++;
		if (!manifest_field(line, end, 0, file, sizeof(file)) ||
		    !manifest_field(line, end, 3, says, sizeof(says)) ||
		    !*says) {
			ktest_fail(t, __FILE__, __LINE__,
				   "MANIFEST line %u: want 4 fields", files);
			continue;
		}
		snprintf(path, sizeof(path), HOSTILE_DIR "%s", file);
		if (!initrd_find(path, NULL))
			ktest_fail(t, __FILE__, __LINE__,
				   "%s: not in the initrd", path);
	}
	KTEST_EXPECT_TRUE(t, files >= HOSTILE_MIN_FILES);
}

/* "<module>.ko" -> "<module>" */
static void file_module_name(const char *file, char name[MODULE_NAME_LEN])
{
	char *dot;

	strlcpy(name, file, MODULE_NAME_LEN);
	dot = strrchr(name, '.');
	if (dot)
		*dot = '\0';
}

/*
 * A file that should have been refused loaded: take it out again, so
 * that the cases after this one still start from a clean list.  Damaged
 * copies call themselves "valid"; the others are named as their file.
 */
static void unload_unexpected(const char *file)
{
	char name[MODULE_NAME_LEN];

	file_module_name(file, name);
	if (delete_module(name))
		delete_module("valid");
}

static void test_hostile_file(struct ktest *t)
{
	const char *end, *line = t->param;
	char file[KTEST_PARAM_DESC_SIZE], says[HOSTILE_SAYS_MAX];
	char path[sizeof(HOSTILE_DIR) + KTEST_PARAM_DESC_SIZE];
	struct module_loader_stats before, after;
	struct ktest_baseline b;
	int err;

	if (!manifest(&end) ||
	    !manifest_field(line, end, 0, file, sizeof(file)) ||
	    !manifest_field(line, end, 3, says, sizeof(says))) {
		ktest_fail(t, __FILE__, __LINE__, "malformed MANIFEST line");
		return;
	}
	snprintf(path, sizeof(path), HOSTILE_DIR "%s", file);
	/* The storm at boot left modules holding most of the reserve. */
	delete_all_modules();
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	module_loader_stats_get(&before);
	pr_info("module_hostile: insmod %s\n", path);
	err = insmod(path, NULL);
	pr_info("module_hostile: %s: %s (%d)\n", path,
		err ? "refused" : "loaded", err);
	module_loader_stats_get(&after);

	if (!strcmp(says, "ok")) {
		/* The valid copy, "<module>.ko": it loads, and goes again. */
		char name[MODULE_NAME_LEN];

		KTEST_EXPECT_EQ(t, err, 0);
		KTEST_EXPECT_EQ(t, after.loads_ok, before.loads_ok + 1);
		file_module_name(file, name);
		if (!err)
			KTEST_EXPECT_EQ(t, delete_module(name), 0);
	} else {
		KTEST_EXPECT_TRUE(t, err < 0);
		KTEST_EXPECT_EQ(t, after.loads_failed, before.loads_failed + 1);
		KTEST_EXPECT_EQ(t, after.loads_ok, before.loads_ok);
		if (!err)
			unload_unexpected(file);
	}
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* After all that, a real module still loads and unloads cleanly. */
static void test_kernel_goes_on(struct ktest *t)
{
	struct ktest_baseline b;
	struct module *kvm;

	if (module_is_inkernel("kvm")) {
		ktest_skip(t, "kvm is loaded already");
		return;
	}
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	KTEST_EXPECT_EQ(t, modprobe("kvm"), 0);
	rcu_read_lock();
	kvm = find_module("kvm");
	KTEST_EXPECT_TRUE(t, kvm && kvm->state == MODULE_STATE_LIVE);
	rcu_read_unlock();
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

static struct ktest_case module_hostile_cases[] = {
	KTEST_CASE(test_manifest),
	KTEST_CASE_PARAM(test_hostile_file, hostile_gen),
	KTEST_CASE(test_kernel_goes_on),
	{}
};
KTEST_SUITE(module_hostile, module_hostile_cases);
