/*
 * modules/kvm_intel/vmx.c - kvm_intel.ko: the Intel half of kvm, which
 * needs kvm.ko's exports (so depends=kvm, and modprobe loads kvm first).
 *
 * At init it checks every CPU for VMX (CPUID.1:ECX bit 5) into its own
 * per-CPU record, and registers with kvm through kvm_init(), which runs
 * vmx_hardware_enable() on every CPU.  It stops there: it never executes
 * VMXON (Linux's hardware_enable does), so it is harmless under QEMU's
 * TCG, which offers no VMX, and on a real PC.  Without VMX on a CPU the
 * module still loads and says so: the storm needs it to load everywhere,
 * and Linux's refusal (-EOPNOTSUPP) would hide the point of the demo.
 *
 * Parameter: kvm_intel.nested=1 (Linux's name), only recorded.
 */
#include <kernel/errno.h>
#include <kernel/io.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

#include "../kvm/kvm.h"

#define X86_FEATURE_VMX		(1U << 5)	/* CPUID.1:ECX */

/* 64 bytes, one cache line per CPU. */
struct vmx_cpu {
	uint32_t cpu;
	uint32_t vmx_supported;		/* CPUID said so on this CPU */
	uint64_t enable_tsc;		/* TSC at the last enable */
	uint64_t enables, disables;
	uint64_t reserved[4];
};

static DEFINE_PER_CPU_ALIGNED(struct vmx_cpu, vmx_cpu);

static bool nested;
module_param(nested, bool, 0444);
MODULE_PARM_DESC(nested, "allow nested virtualization (recorded only)");

static int vmx_hardware_enable(void)
{
	struct vmx_cpu *vc = this_cpu_ptr(&vmx_cpu);
	uint32_t a, b, c, d;

	cpuid(1, &a, &b, &c, &d);
	vc->cpu = smp_processor_id();
	vc->vmx_supported = !!(c & X86_FEATURE_VMX);
	vc->enable_tsc = rdtsc();
	vc->enables++;
	return 0;
}

static void vmx_hardware_disable(void)
{
	this_cpu_inc(vmx_cpu.disables);
}

static const struct kvm_vendor_ops vmx_ops = {
	.name = "kvm_intel",
	.hardware_enable = vmx_hardware_enable,
	.hardware_disable = vmx_hardware_disable,
};

static int vmx_init(void)
{
	unsigned int cpu, with_vmx = 0, online = num_online_cpus();
	int ret;

	BUILD_BUG_ON(sizeof(struct vmx_cpu) != 64);

	ret = kvm_init(&vmx_ops);
	if (ret)
		return ret;
	for_each_online_cpu(cpu)
		if (per_cpu(vmx_cpu, cpu).vmx_supported)
			with_vmx++;
	printk(KERN_INFO "kvm_intel: enabled on %u of %u CPUs (%s), VMX on %u%s\n",
	       kvm_enabled_cpus(), online, kvm_cpu_vendor(0), with_vmx,
	       nested ? ", nested" : "");
	if (kvm_enabled_cpus() != online) {
		kvm_exit();
		return -EIO;
	}
	return 0;
}

static void vmx_exit(void)
{
	kvm_exit();
}

module_init(vmx_init);
module_exit(vmx_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mkernel");
MODULE_DESCRIPTION("KVM support for Intel VMX (demo: checks, never enters VMX)");
MODULE_VERSION("1.0");
