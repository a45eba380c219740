/*
 * kernel/module/exports_test.c - KTAP suite "exports": the table the
 * module loader will link modules against.
 *
 * It checks what a module build relies on: the functions the demo modules
 * call are exported with the right address, a per-CPU variable is exported
 * with its template address (so "%gs:cpu_number" in a module reaches this
 * CPU's copy), a static function is not exported, the _GPL table is told
 * apart, and no name appears twice (the loader would pick the first).
 */
#include <kernel/export.h>
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

static int exports_test_not_exported(void)
{
	return 42;
}

static void test_printk_exported(struct ktest *t)
{
	bool gpl = true;
	const struct kernel_symbol *ks = find_kernel_symbol("printk", &gpl);

	KTEST_EXPECT_TRUE(t, ks != NULL);
	if (!ks)
		return;
	KTEST_EXPECT_EQ(t, ks->value, (unsigned long)&printk);
	KTEST_EXPECT_FALSE(t, gpl);
	KTEST_EXPECT_EQ(t, strcmp(ks->name, "printk"), 0);
}

static void test_module_api_exported(struct ktest *t)
{
	static const char *const needed[] = {
		"kmalloc", "kfree", "kzalloc", "snprintf", "memcpy",
		"memset", "strlen", "on_each_cpu", "mutex_lock",
		"mutex_unlock", "__wake_up", "ktime_get_ns", "udelay",
		"__per_cpu_offset", "cpu_number", "this_cpu_off",
		"nr_cpu_ids", "__cpu_online_mask", "__cpu_possible_mask",
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(needed); i++) {
		if (!find_kernel_symbol(needed[i], NULL))
			ktest_fail(t, __FILE__, __LINE__, "%s not exported",
				   needed[i]);
	}
	KTEST_EXPECT_EQ(t, find_kernel_symbol("kmalloc", NULL)->value,
			(unsigned long)&kmalloc);
}

static void test_percpu_export_is_template(struct ktest *t)
{
	const struct kernel_symbol *ks = find_kernel_symbol("cpu_number", NULL);

	KTEST_EXPECT_TRUE(t, ks != NULL);
	if (!ks)
		return;
	/* The template address, inside .data..percpu: what %gs: adds to. */
	KTEST_EXPECT_EQ(t, ks->value, (unsigned long)&cpu_number);
	KTEST_EXPECT_TRUE(t, ks->value >= (unsigned long)__per_cpu_start &&
			     ks->value < (unsigned long)__per_cpu_end);
	/* Through the export, each CPU's copy holds that CPU's number. */
	for (unsigned int cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!cpu_possible(cpu))
			continue;
		KTEST_EXPECT_EQ(t, *(unsigned int *)(ks->value +
						     __per_cpu_offset[cpu]),
				cpu);
	}
}

static void test_static_not_exported(struct ktest *t)
{
	KTEST_EXPECT_EQ(t, exports_test_not_exported(), 42);
	KTEST_EXPECT_TRUE(t, find_kernel_symbol("exports_test_not_exported",
						NULL) == NULL);
	KTEST_EXPECT_TRUE(t, find_kernel_symbol("search_table", NULL) == NULL);
	KTEST_EXPECT_TRUE(t, find_kernel_symbol("", NULL) == NULL);
	KTEST_EXPECT_TRUE(t, find_kernel_symbol(NULL, NULL) == NULL);
	/* A prefix of an export is not that export. */
	KTEST_EXPECT_TRUE(t, find_kernel_symbol("print", NULL) == NULL);
}

static void test_gpl_table(struct ktest *t)
{
	bool gpl = false;
	const struct kernel_symbol *ks =
		find_kernel_symbol("find_kernel_symbol", &gpl);

	KTEST_EXPECT_TRUE(t, ks != NULL);
	KTEST_EXPECT_TRUE(t, gpl);
	KTEST_EXPECT_TRUE(t, (unsigned long)__stop___ksymtab_gpl >
			     (unsigned long)__start___ksymtab_gpl);
}

static void test_names_unique(struct ktest *t)
{
	const struct kernel_symbol *tables[2][2] = {
		{ __start___ksymtab, __stop___ksymtab },
		{ __start___ksymtab_gpl, __stop___ksymtab_gpl },
	};
	unsigned int n = 0;

	for (int a = 0; a < 2; a++) {
		for (const struct kernel_symbol *x = tables[a][0];
		     x < tables[a][1]; x++) {
			n++;
			if (!x->name || !x->name[0] || !x->value)
				ktest_fail(t, __FILE__, __LINE__,
					   "entry %u is empty", n);
			for (int b = a; b < 2; b++) {
				const struct kernel_symbol *y =
					b == a ? x + 1 : tables[b][0];
				for (; y < tables[b][1]; y++)
					if (strcmp(x->name, y->name) == 0)
						ktest_fail(t, __FILE__,
							   __LINE__,
							   "%s exported twice",
							   x->name);
			}
		}
	}
	KTEST_EXPECT_EQ(t, n, kernel_symbol_count());
	KTEST_EXPECT_TRUE(t, n >= 20);
}

static struct ktest_case exports_cases[] = {
	KTEST_CASE(test_printk_exported),
	KTEST_CASE(test_module_api_exported),
	KTEST_CASE(test_percpu_export_is_template),
	KTEST_CASE(test_static_not_exported),
	KTEST_CASE(test_gpl_table),
	KTEST_CASE(test_names_unique),
	{}
};
KTEST_SUITE(exports, exports_cases);
