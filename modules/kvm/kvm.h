/*
 * modules/kvm/kvm.h - what kvm.ko exports to the vendor modules
 * (kvm_intel.ko here; kvm_amd.ko in Linux), in the shape of Linux's
 * kvm_init()/kvm_exit() and struct kvm_x86_ops, much reduced.
 */
#ifndef MODULES_KVM_H
#define MODULES_KVM_H

#include <kernel/compiler.h>

/* A vendor's per-CPU switches, called on every online CPU in turn. */
struct kvm_vendor_ops {
	const char *name;
	/* Run on each CPU through on_each_cpu(): interrupts off. */
	int (*hardware_enable)(void);
	void (*hardware_disable)(void);
};

/* Register the vendor and enable it on every online CPU; 0 or -errno. */
int kvm_init(const struct kvm_vendor_ops *ops);
/* Disable on every CPU and forget the vendor. */
void kvm_exit(void);
/* How many CPUs the vendor is enabled on now. */
unsigned int kvm_enabled_cpus(void);
/* This CPU's CPUID vendor string, as kvm's per-CPU state recorded it. */
const char *kvm_cpu_vendor(unsigned int cpu);

#endif
