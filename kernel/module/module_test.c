/*
 * kernel/module/module_test.c - KTAP suite "module": the loader on the
 * demo modules from the initrd.
 *
 * Each case starts from no demo module loaded and ends there, and checks
 * that what the loads took came back exactly: the reserved per-CPU
 * chunk's use, module-area pages, kmalloc objects, the loader's own
 * accounting and the module list (LEAK_MODULE_LOAD, the leak baseline of
 * <kernel/ktest/baseline.h>).
 */
#include <kernel/errno.h>
#include <kernel/initrd.h>
#include <kernel/ksyms.h>
#include <kernel/ktest.h>
#include <kernel/ktest/baseline.h>
#include <kernel/ktest/threads.h>
#include <kernel/mm.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/rcupdate.h>
#include <kernel/smp.h>
#include "internal.h"

static const char *const demo_modules[] = {
	"kvm", "kvm_intel", "acpi_cpufreq", "coretemp",
};

/* From no module loaded (the storm at boot left some), checking that
 * every one could go. */
static void unload_all(struct ktest *t)
{
	struct module *mod;

	delete_all_modules();
	rcu_read_lock();
	list_for_each_entry_rcu(mod, &modules, list)
		ktest_fail(t, __FILE__, __LINE__, "%s is still loaded",
			   mod->name);
	rcu_read_unlock();
}

static struct module *live_module(const char *name)
{
	struct module *mod;

	rcu_read_lock();
	mod = find_module(name);
	if (mod && mod->state != MODULE_STATE_LIVE)
		mod = NULL;
	rcu_read_unlock();
	return mod;
}

/* From no module loaded: a baseline, then kvm alone; NULL (and the test
 * failed) when it is not LIVE. */
static struct module *load_kvm_alone(struct ktest *t, struct ktest_baseline *b)
{
	struct module *kvm;

	unload_all(t);
	ktest_baseline_take(b, LEAK_MODULE_LOAD);
	KTEST_EXPECT_EQ(t, modprobe("kvm"), 0);
	kvm = live_module("kvm");
	KTEST_EXPECT_TRUE(t, kvm != NULL);
	return kvm;
}

static void test_load_all(struct ktest *t)
{
	struct ktest_baseline b;

	unload_all(t);
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	for (unsigned int i = 0; i < ARRAY_SIZE(demo_modules); i++) {
		int err = modprobe(demo_modules[i]);

		/* kvm_intel may have pulled kvm in already: -EEXIST. */
		if (err && !(err == -EEXIST && i == 0))
			ktest_fail(t, __FILE__, __LINE__, "modprobe(%s) = %d",
				   demo_modules[i], err);
		KTEST_EXPECT_TRUE(t, live_module(demo_modules[i]) != NULL);
	}
	KTEST_EXPECT_EQ(t, modprobe("kvm"), -EEXIST);
	unload_all(t);
	for (unsigned int i = 0; i < ARRAY_SIZE(demo_modules); i++)
		KTEST_EXPECT_TRUE(t, find_module_all(demo_modules[i], true) == NULL);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* kvm's struct kvm_cpu starts with the CPU number its init wrote there. */
static void test_percpu_every_cpu(struct ktest *t)
{
	struct ktest_baseline b;
	struct module *kvm;
	size_t used;
	uint64_t var;
	unsigned int cpu;

	kvm = load_kvm_alone(t, &b);
	if (!kvm)
		return;
	used = pcpu_reserved_used() - b.percpu_reserved;
	KTEST_EXPECT_EQ(t, kvm->percpu_size, 304);
	KTEST_EXPECT_EQ(t, kvm->percpu_align, 32);
	KTEST_EXPECT_TRUE(t, used >= 304 && used < 304 + 32);
	var = module_kallsyms_lookup_name(kvm, "kvm_cpu");
	KTEST_EXPECT_EQ(t, var, (uint64_t)(uintptr_t)kvm->percpu);
	for_each_online_cpu(cpu) {
		const uint32_t *p = per_cpu_ptr((const uint32_t *)(uintptr_t)var,
						cpu);

		if (*p != cpu)
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %u's kvm_cpu.cpu is %u", cpu, *p);
	}
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/*
 * modules/percpu_ptr: percpu_ptr_self = &percpu_ptr_target, both static
 * per-CPU variables, so the value comes from a relocation inside
 * .data..percpu (Linux skipped those until 570db4b39f53).  On every CPU
 * the copy must hold the template address of percpu_ptr_target (not
 * NULL: the relocation was applied before percpu_modcopy(); not one
 * CPU's copy: a per-CPU pointer is the same everywhere), and following
 * it on that CPU, as the module's init did through %gs, must reach that
 * CPU's own percpu_ptr_target.  Loaded first, the module's area is the
 * reserved chunk's first bytes, where kocheck --explain --kernel puts
 * .data..percpu.
 */
static void test_percpu_ptr(struct ktest *t)
{
	struct ktest_baseline b;
	struct module *mod;
	uint64_t target, self, reserved;
	unsigned int cpu;

	unload_all(t);
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	KTEST_EXPECT_EQ(t, modprobe("percpu_ptr"), 0);
	mod = live_module("percpu_ptr");
	KTEST_EXPECT_TRUE(t, mod != NULL);
	if (!mod)
		return;
	target = module_kallsyms_lookup_name(mod, "percpu_ptr_target");
	self = module_kallsyms_lookup_name(mod, "percpu_ptr_self");
	KTEST_EXPECT_TRUE(t, target != 0 && self != 0);
	reserved = ALIGN_UP((uint64_t)(uintptr_t)__per_cpu_start +
			    ALIGN_UP((uint64_t)(__per_cpu_end - __per_cpu_start), 64),
			    (uint64_t)mod->percpu_align);
	KTEST_EXPECT_EQ(t, (uint64_t)(uintptr_t)mod->percpu, reserved);
	for_each_online_cpu(cpu) {
		int *const *p = per_cpu_ptr((int *const *)(uintptr_t)self, cpu);
		const int *mine;

		if ((uint64_t)(uintptr_t)*p != target) {
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %u: percpu_ptr_self = %p, want %p", cpu,
				   (void *)*p, (void *)(uintptr_t)target);
			continue;
		}
		mine = per_cpu_ptr(*p, cpu);
		if (mine != per_cpu_ptr((const int *)(uintptr_t)target, cpu) ||
		    *mine != 0x5000 + (int)cpu)
			ktest_fail(t, __FILE__, __LINE__,
				   "CPU %u: percpu_ptr_target reads %#x, want %#x",
				   cpu, *mine, 0x5000 + cpu);
	}
	KTEST_EXPECT_EQ(t, delete_module("percpu_ptr"), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* kvm_intel links against kvm's exports, and kvm counts it on every CPU. */
static void test_exports_across_modules(struct ktest *t)
{
	struct module *kvm, *vmx;
	struct module_use *use;
	unsigned int (*enabled_cpus)(void);
	struct ktest_baseline b;

	unload_all(t);
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	KTEST_EXPECT_EQ(t, modprobe("kvm_intel"), 0);
	kvm = live_module("kvm");
	vmx = live_module("kvm_intel");
	KTEST_EXPECT_TRUE(t, kvm && vmx);
	if (!kvm || !vmx)
		goto out;
	KTEST_EXPECT_FALSE(t, list_empty(&kvm->source_list));
	use = list_first_entry(&kvm->source_list, struct module_use,
			       source_list);
	KTEST_EXPECT_TRUE(t, use->source == vmx && use->target == kvm);
	KTEST_EXPECT_TRUE(t, list_empty(&vmx->source_list));
	enabled_cpus = (unsigned int (*)(void))(uintptr_t)
		module_kallsyms_lookup_name(kvm, "kvm_enabled_cpus");
	KTEST_EXPECT_TRUE(t, enabled_cpus != NULL);
	if (enabled_cpus)
		KTEST_EXPECT_EQ(t, enabled_cpus(), num_online_cpus());
	/* kvm is in use: it cannot go first. */
	KTEST_EXPECT_EQ(t, delete_module("kvm"), -EBUSY);
	KTEST_EXPECT_TRUE(t, live_module("kvm") != NULL);
	KTEST_EXPECT_EQ(t, delete_module("kvm_intel"), 0);
	KTEST_EXPECT_TRUE(t, list_empty(&kvm->source_list));
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_EQ(t, delete_module("kvm"), -ENOENT);
out:
	unload_all(t);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* A reference (try_module_get) keeps a module in; module_put lets go. */
static void test_reference_held(struct ktest *t)
{
	struct ktest_baseline b;
	struct module *kvm;

	kvm = load_kvm_alone(t, &b);
	if (!kvm)
		return;
	KTEST_EXPECT_TRUE(t, try_module_get(kvm));
	KTEST_EXPECT_EQ(t, delete_module("kvm"), -EBUSY);
	KTEST_EXPECT_TRUE(t, live_module("kvm") == kvm);
	module_put(kvm);
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* A second load of a LIVE module: -EEXIST, and nothing kept. */
static void test_second_load_eexist(struct ktest *t)
{
	struct module_loader_stats before, after;
	struct ktest_baseline b, loaded;

	unload_all(t);
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	KTEST_EXPECT_EQ(t, insmod("lib/modules/kvm.ko", NULL), 0);
	ktest_baseline_take(&loaded, LEAK_MODULE_LOAD);
	module_loader_stats_get(&before);
	KTEST_EXPECT_EQ(t, insmod("lib/modules/kvm.ko", NULL), -EEXIST);
	module_loader_stats_get(&after);
	KTEST_EXPECT_NO_LEAK(t, &loaded);
	KTEST_EXPECT_EQ(t, after.loads_failed, before.loads_failed + 1);
	KTEST_EXPECT_TRUE(t, after.dup_bytes > before.dup_bytes);
	KTEST_EXPECT_EQ(t, after.modmem_in_flight, before.modmem_in_flight);
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* ---- two CPUs load kvm at the same moment ---- */

static volatile int race_go;
static int race_result[2];

static int race_thread(void *data)
{
	int *result = data;

	while (!READ_ONCE(race_go))
		cpu_relax();
	*result = insmod("lib/modules/kvm.ko", NULL);
	return 0;
}

static void test_concurrent_load(struct ktest *t)
{
	unsigned int cpus[2] = { 0, kt_next_online(0) };
	struct task_struct *k[2];
	struct ktest_baseline b;
	size_t peak;

	if (cpus[1] == cpus[0]) {
		ktest_skip(t, "needs two CPUs");
		return;
	}
	unload_all(t);
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	race_go = 0;
	pcpu_reserved_peak_reset();
	for (int i = 0; i < 2; i++)
		k[i] = kt_start(t, race_thread, &race_result[i], cpus[i],
				"kvm_race");
	WRITE_ONCE(race_go, 1);
	for (int i = 0; i < 2; i++)
		kt_reap(t, k[i], KT_REAP_TIMEOUT * 3);
	peak = pcpu_reserved_peak() - b.percpu_reserved;
	/* One loads, one finds it: -EEXIST (after waiting, if it came second
	 * while the first was UNFORMED or COMING). */
	KTEST_EXPECT_EQ(t, race_result[0] + race_result[1], -EEXIST);
	KTEST_EXPECT_TRUE(t, race_result[0] == 0 || race_result[1] == 0);
	/* One reserved allocation only: kvm's 304 bytes (plus alignment). */
	if (!loader_generation()->percpu_before_unique)
		KTEST_EXPECT_TRUE(t, peak >= 304 && peak < 2 * 304);
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/* An address inside a module's function names it, and the module. */
static void test_symbol_in_module(struct ktest *t)
{
	struct ktest_baseline b;
	struct module *kvm;
	const char *name, *mod = NULL;
	uint64_t addr, off, size;

	kvm = load_kvm_alone(t, &b);
	if (!kvm)
		return;
	addr = module_kallsyms_lookup_name(kvm, "kvm_init");
	KTEST_EXPECT_TRUE(t, addr != 0);
	name = symbol_lookup(addr + 5, &off, &size, &mod);
	KTEST_EXPECT_STREQ(t, name ? name : "(none)", "kvm_init");
	KTEST_EXPECT_STREQ(t, mod ? mod : "(none)", "kvm");
	KTEST_EXPECT_EQ(t, off, 5);
	KTEST_EXPECT_TRUE(t, size > 5);
	/* Text is read-only and executable, data not executable. */
	{
		unsigned int level;
		uint64_t *pte = lookup_address(addr, &level);

		KTEST_EXPECT_TRUE(t, pte && (*pte & _PAGE_PRESENT));
		if (pte) {
			KTEST_EXPECT_FALSE(t, *pte & _PAGE_RW);
			KTEST_EXPECT_FALSE(t, *pte & _PAGE_NX);
		}
		pte = lookup_address((unsigned long)kvm, &level);
		KTEST_EXPECT_TRUE(t, pte && (*pte & _PAGE_RW));
		if (pte && mm_nx_enabled())
			KTEST_EXPECT_TRUE(t, *pte & _PAGE_NX);
	}
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	KTEST_EXPECT_TRUE(t, symbol_lookup(addr + 5, &off, &size, &mod) == NULL);
}

/*
 * The generations table, and switching at run time: each row's bits as
 * docs/story.md tells them, no switch while a load is in flight, and
 * kvm loading and unloading under each row in turn, leaving nothing.
 */
static void test_generation_switch(struct ktest *t)
{
	static const struct { const char *name; bool early, late, merge; } want[] = {
		{ "legacy", true, true, false },
		{ "seed", true, false, false },
		{ "unformed", false, false, false },
		{ "idempotent", false, false, true },
	};
	const struct loader_generation *was = loader_generation();
	struct ktest_baseline b;

	KTEST_EXPECT_EQ(t, loader_nr_generations, ARRAY_SIZE(want));
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		const struct loader_generation *gen = loader_generation_find(want[i].name);

		KTEST_EXPECT_TRUE(t, gen == &loader_generations[i]);
		if (!gen)
			continue;
		KTEST_EXPECT_EQ(t, gen->percpu_before_unique, want[i].early);
		KTEST_EXPECT_EQ(t, gen->unique_late, want[i].late);
		KTEST_EXPECT_EQ(t, gen->merge_requests, want[i].merge);
	}
	KTEST_EXPECT_TRUE(t, loader_generation_find("nosuch") == NULL);
	KTEST_EXPECT_EQ(t, loader_generation_switch("nosuch"), -EINVAL);
	KTEST_EXPECT_TRUE(t, loader_generation() == was);

	/* A load in flight holds the generation it started with. */
	KTEST_EXPECT_TRUE(t, loader_begin() == was);
	KTEST_EXPECT_EQ(t, loader_generation_switch("legacy"), -EBUSY);
	KTEST_EXPECT_TRUE(t, loader_generation() == was);
	loader_end();

	unload_all(t);
	ktest_baseline_take(&b, LEAK_MODULE_LOAD);
	for (unsigned int i = 0; i < ARRAY_SIZE(want); i++) {
		KTEST_EXPECT_EQ(t, loader_generation_switch(want[i].name), 0);
		KTEST_EXPECT_TRUE(t, loader_generation() == &loader_generations[i]);
		KTEST_EXPECT_EQ(t, modprobe("kvm"), 0);
		KTEST_EXPECT_TRUE(t, live_module("kvm") != NULL);
		KTEST_EXPECT_EQ(t, modprobe("kvm"), -EEXIST);
		KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);
	}
	KTEST_EXPECT_EQ(t, loader_generation_switch(was->name), 0);
	KTEST_EXPECT_NO_LEAK(t, &b);
}

/*
 * Linux's module statistics (kernel/module/stats.c), each counted where
 * it happens: a load, a duplicate (after module memory: "Load"), a file
 * the ELF checks refuse (before it: becoming), an empty one (the copy:
 * our kread).
 */
static void test_stats(struct ktest *t)
{
	struct mod_stats a, b;
	struct module *kvm;
	unsigned int reasons, reasons0;
	unsigned long dups0;
	size_t bad_len = 0;
	uint64_t kvm_size = 0;

	unload_all(t);
	dups0 = mod_stat_dup_count("kvm", &reasons0);
	mod_stats_get(&a);
	KTEST_EXPECT_EQ(t, insmod("lib/modules/kvm.ko", NULL), 0);
	mod_stats_get(&b);
	kvm = live_module("kvm");
	if (kvm)
		kvm_size = kvm->core_layout.size;
	KTEST_EXPECT_EQ(t, b.modcount, a.modcount + 1);
	KTEST_EXPECT_TRUE(t, b.total_mod_size - a.total_mod_size >= kvm_size);
	KTEST_EXPECT_TRUE(t, b.total_text_size > a.total_text_size);
	KTEST_EXPECT_TRUE(t, b.total_text_size - a.total_text_size <
			      b.total_mod_size - a.total_mod_size);
	KTEST_EXPECT_EQ(t, b.failed_load_modules, a.failed_load_modules);

	a = b;
	KTEST_EXPECT_EQ(t, insmod("lib/modules/kvm.ko", NULL), -EEXIST);
	mod_stats_get(&b);
	KTEST_EXPECT_EQ(t, b.modcount, a.modcount);
	KTEST_EXPECT_EQ(t, b.failed_load_modules, a.failed_load_modules + 1);
	KTEST_EXPECT_TRUE(t, b.invalid_mod_bytes - a.invalid_mod_bytes >= kvm_size);
	KTEST_EXPECT_EQ(t, b.failed_becoming, a.failed_becoming);
	KTEST_EXPECT_EQ(t, b.failed_kreads, a.failed_kreads);
	KTEST_EXPECT_EQ(t, mod_stat_dup_count("kvm", &reasons), dups0 + 1);
	KTEST_EXPECT_TRUE(t, reasons & (1u << FAIL_DUP_MOD_LOAD));
	KTEST_EXPECT_EQ(t, delete_module("kvm"), 0);

	a = b;
	initrd_find("test/hostile/bad-magic.ko", &bad_len);
	KTEST_EXPECT_TRUE(t, bad_len > 0);
	KTEST_EXPECT_EQ(t, insmod("test/hostile/bad-magic.ko", NULL), -ENOEXEC);
	mod_stats_get(&b);
	KTEST_EXPECT_EQ(t, b.failed_becoming, a.failed_becoming + 1);
	KTEST_EXPECT_EQ(t, b.invalid_becoming_bytes - a.invalid_becoming_bytes, bad_len);
	KTEST_EXPECT_EQ(t, b.failed_load_modules, a.failed_load_modules + 1);

	a = b;
	KTEST_EXPECT_EQ(t, insmod("test/hostile/truncated-0.ko", NULL), -ENOEXEC);
	mod_stats_get(&b);
	KTEST_EXPECT_EQ(t, b.failed_kreads, a.failed_kreads + 1);
	KTEST_EXPECT_EQ(t, b.invalid_kread_bytes, a.invalid_kread_bytes);
	KTEST_EXPECT_EQ(t, b.failed_becoming, a.failed_becoming);
	KTEST_EXPECT_EQ(t, b.failed_load_modules, a.failed_load_modules + 1);
}

static struct ktest_case module_cases[] = {
	KTEST_CASE(test_load_all),
	KTEST_CASE(test_percpu_every_cpu),
	KTEST_CASE(test_percpu_ptr),
	KTEST_CASE(test_exports_across_modules),
	KTEST_CASE(test_reference_held),
	KTEST_CASE(test_second_load_eexist),
	KTEST_CASE(test_concurrent_load),
	KTEST_CASE(test_symbol_in_module),
	KTEST_CASE(test_generation_switch),
	KTEST_CASE(test_stats),
	{}
};
KTEST_SUITE(module, module_cases);
