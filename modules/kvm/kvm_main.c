/*
 * modules/kvm/kvm_main.c - kvm.ko: the generic half of a hypervisor, the
 * module whose 304 bytes of per-CPU data ran Fedora's reserved per-CPU
 * chunk dry in 2013 (docs/story.md).
 *
 * It keeps a struct kvm_cpu of exactly 304 bytes per CPU, aligned to 32
 * (the "size=304 align=32" of the bug report), fills every CPU's copy on
 * that CPU through on_each_cpu() at init, and exports kvm_init()/kvm_exit()
 * for the vendor module (kvm_intel.ko) to switch virtualisation on and off
 * on every CPU, counting in each CPU's copy.
 *
 * Simplification: Linux's kvm does its per-CPU work in hardware_enable_all()
 * when the first VM is created; with no VMs here, the vendor's registration
 * plays that part.  Nothing touches VMX itself: that is kvm_intel's job.
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>
#include <kernel/string.h>

#include "kvm.h"

#define KVM_MAX_VCPUS_PER_CPU	32

/* One CPU's view, filled on that CPU. */
struct kvm_cpu {
	uint32_t cpu;			/* smp_processor_id() when filled */
	uint32_t apic_id;		/* CPUID.1:EBX[31:24] */
	uint64_t tsc_at_init;		/* this CPU's TSC when filled */
	uint32_t cpuid1_ecx;		/* feature flags (VMX is ecx bit 5) */
	uint32_t cpuid1_edx;
	char vendor[16];		/* "GenuineIntel\0", CPUID.0 */
	uint64_t hardware_enabled;	/* vendor enables minus disables */
	/* vCPU ids last run on this CPU (Linux's loaded_vmcss_on_cpu). */
	uint64_t vcpu_last[KVM_MAX_VCPUS_PER_CPU];
};

/*
 * The type is 304 bytes; the variable is aligned to 32, so the section
 * .data..percpu of kvm.ko is 304 bytes with sh_addralign 32 (an aligned
 * type would round its size up to 320).
 */
static DEFINE_PER_CPU(struct kvm_cpu, kvm_cpu) __aligned(32);

static const struct kvm_vendor_ops *kvm_vendor;
static unsigned int kvm_cpus_prepared;

static void kvm_prepare_cpu(void *info)
{
	struct kvm_cpu *kc = this_cpu_ptr(&kvm_cpu);
	uint32_t a, b, c, d;

	(void)info;
	memset(kc, 0, sizeof(*kc));
	kc->cpu = smp_processor_id();
	cpuid(0, &a, &b, &c, &d);
	memcpy(&kc->vendor[0], &b, 4);
	memcpy(&kc->vendor[4], &d, 4);
	memcpy(&kc->vendor[8], &c, 4);
	cpuid(1, &a, &b, &c, &d);
	kc->apic_id = b >> 24;
	kc->cpuid1_ecx = c;
	kc->cpuid1_edx = d;
	kc->tsc_at_init = rdtsc();
	for (unsigned int i = 0; i < KVM_MAX_VCPUS_PER_CPU; i++)
		kc->vcpu_last[i] = ~0ULL;	/* no vCPU ran here */
	__atomic_fetch_add(&kvm_cpus_prepared, 1, __ATOMIC_RELAXED);
}

static void kvm_enable_cpu(void *info)
{
	int *failures = info;

	if (kvm_vendor->hardware_enable() == 0)
		this_cpu_inc(kvm_cpu.hardware_enabled);
	else
		__atomic_fetch_add(failures, 1, __ATOMIC_RELAXED);
}

static void kvm_disable_cpu(void *info)
{
	(void)info;
	if (this_cpu_read(kvm_cpu.hardware_enabled)) {
		kvm_vendor->hardware_disable();
		this_cpu_dec(kvm_cpu.hardware_enabled);
	}
}

int kvm_init(const struct kvm_vendor_ops *ops)
{
	int failures = 0, ret;

	if (kvm_vendor) {
		printk(KERN_ERR "kvm: already using vendor %s\n",
		       kvm_vendor->name);
		return -EEXIST;
	}
	kvm_vendor = ops;
	ret = on_each_cpu(kvm_enable_cpu, &failures, 1);
	if (ret || failures) {
		printk(KERN_ERR "kvm: enabling %s failed on %d CPUs (%d)\n",
		       ops->name, failures, ret);
		on_each_cpu(kvm_disable_cpu, NULL, 1);
		kvm_vendor = NULL;
		return ret ? ret : -EIO;
	}
	return 0;
}
EXPORT_SYMBOL_GPL(kvm_init);

void kvm_exit(void)
{
	if (!kvm_vendor)
		return;
	on_each_cpu(kvm_disable_cpu, NULL, 1);
	kvm_vendor = NULL;
}
EXPORT_SYMBOL_GPL(kvm_exit);

unsigned int kvm_enabled_cpus(void)
{
	unsigned int cpu, n = 0;

	for_each_online_cpu(cpu)
		if (per_cpu(kvm_cpu, cpu).hardware_enabled)
			n++;
	return n;
}
EXPORT_SYMBOL_GPL(kvm_enabled_cpus);

const char *kvm_cpu_vendor(unsigned int cpu)
{
	if (cpu >= nr_cpu_ids || !cpu_possible(cpu))
		return NULL;
	return per_cpu(kvm_cpu, cpu).vendor;
}
EXPORT_SYMBOL_GPL(kvm_cpu_vendor);

static int kvm_module_init(void)
{
	unsigned int cpu, online = num_online_cpus(), bad = 0;
	int ret;

	BUILD_BUG_ON(sizeof(struct kvm_cpu) != 304);

	kvm_cpus_prepared = 0;
	ret = on_each_cpu(kvm_prepare_cpu, NULL, 1);
	if (ret) {
		printk(KERN_ERR "kvm: on_each_cpu failed: %d\n", ret);
		return ret;
	}
	/* Every online CPU filled its own copy, and only its own. */
	for_each_online_cpu(cpu)
		if (per_cpu(kvm_cpu, cpu).cpu != cpu)
			bad++;
	if (bad || kvm_cpus_prepared != online) {
		printk(KERN_ERR "kvm: per-CPU state wrong on %u of %u CPUs\n",
		       bad ? bad : online - kvm_cpus_prepared, online);
		return -EIO;
	}
	printk(KERN_INFO "kvm: %u CPUs prepared, %zu bytes of per-CPU state each\n",
	       online, sizeof(struct kvm_cpu));
	return 0;
}

static void kvm_module_exit(void)
{
	kvm_exit();
}

module_init(kvm_module_init);
module_exit(kvm_module_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mkernel");
MODULE_DESCRIPTION("Kernel-based Virtual Machine: the generic half (demo)");
MODULE_VERSION("1.0");
