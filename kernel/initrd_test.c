/*
 * kernel/initrd_test.c - KTAP suite "initrd": the archive GRUB really
 * loaded, as initrd_init() parsed it at boot.
 *
 * tools/mkinitrd.sh always puts etc/motd (whose first line is below) and
 * the directories etc/ and lib/modules/ in the initrd, so a test boot
 * (make iso; ktest=initrd) can check real contents, not just counts.
 */
#include <kernel/initrd.h>
#include <kernel/ktest.h>

#define MOTD_FIRST_LINE \
	"This file comes from the initrd that tools/mkinitrd.sh built.\n"

static void test_initrd_loaded(struct ktest *t)
{
	struct initrd_stats st;

	initrd_get_stats(&st);
	KTEST_EXPECT_TRUE(t, st.loaded);
	KTEST_EXPECT_FALSE(t, st.corrupt);
	KTEST_EXPECT_TRUE(t, st.files >= 1);
	KTEST_EXPECT_TRUE(t, st.entries >= st.files + 2);	/* etc, lib... */
	KTEST_EXPECT_TRUE(t, st.valid_len <= st.size);
}

static void test_initrd_motd(struct ktest *t)
{
	size_t size = 0, len = sizeof(MOTD_FIRST_LINE) - 1;
	const char *motd = initrd_find("etc/motd", &size);

	KTEST_EXPECT_TRUE(t, motd != NULL);
	if (!motd)
		return;
	KTEST_EXPECT_TRUE(t, size >= len);
	if (size >= len)
		KTEST_EXPECT_EQ(t, memcmp(motd, MOTD_FIRST_LINE, len), 0);
}

/* "/etc/motd" and "./etc/motd" name the same file as "etc/motd". */
static void test_initrd_prefixes(struct ktest *t)
{
	const void *plain = initrd_find("etc/motd", NULL);

	KTEST_EXPECT_TRUE(t, plain != NULL);
	KTEST_EXPECT_TRUE(t, initrd_find("/etc/motd", NULL) == plain);
	KTEST_EXPECT_TRUE(t, initrd_find("./etc/motd", NULL) == plain);
}

static void test_initrd_missing(struct ktest *t)
{
	size_t size = 12345;

	KTEST_EXPECT_TRUE(t, initrd_find("etc/no-such-file", &size) == NULL);
	KTEST_EXPECT_EQ(t, size, 12345);	/* untouched on failure */
	KTEST_EXPECT_TRUE(t, initrd_find("", NULL) == NULL);
	KTEST_EXPECT_TRUE(t, initrd_find("etc/motd/", NULL) == NULL);
	KTEST_EXPECT_TRUE(t, initrd_find("TRAILER!!!", NULL) == NULL);
	KTEST_EXPECT_TRUE(t, initrd_find(NULL, NULL) == NULL);
}

static void test_initrd_dir_not_file(struct ktest *t)
{
	KTEST_EXPECT_TRUE(t, initrd_find("etc", NULL) == NULL);
	KTEST_EXPECT_TRUE(t, initrd_find("lib/modules", NULL) == NULL);
}

static struct ktest_case initrd_cases[] = {
	KTEST_CASE(test_initrd_loaded),
	KTEST_CASE(test_initrd_motd),
	KTEST_CASE(test_initrd_prefixes),
	KTEST_CASE(test_initrd_missing),
	KTEST_CASE(test_initrd_dir_not_file),
	{}
};
KTEST_SUITE(initrd, initrd_cases);
