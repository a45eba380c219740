/*
 * modules/percpu_ptr/percpu_ptr.c - percpu_ptr.ko: a static per-CPU
 * pointer initialised to the address of another per-CPU variable.
 *
 *	static DEFINE_PER_CPU(int, percpu_ptr_target);
 *	static DEFINE_PER_CPU(int *, percpu_ptr_self) = &percpu_ptr_target;
 *
 * The initialiser is not a constant the compiler can write: it leaves an
 * R_X86_64_64 relocation inside .data..percpu itself (.rela.data..percpu,
 * `readelf -rW build/modules/percpu_ptr.ko`).  The loader must apply it to
 * the per-CPU *template* before percpu_modcopy() copies the template to
 * every CPU (kernel/module/main.c); Linux did not until 2025 (570db4b39f53,
 * docs/modules.md), and the pointer stayed NULL.
 *
 * The right value is the template-space address of percpu_ptr_target, the
 * same on every CPU: like &var anywhere, a per-CPU pointer that each CPU
 * turns into its own copy with this_cpu_ptr() (%gs) or per_cpu_ptr().  It
 * is not CPU 0's copy: the copy only makes each CPU's percpu_ptr_self
 * equal, and the GS base makes it point to that CPU's own int.
 *
 * At init every CPU follows its own pointer through %gs and writes its
 * number plus PERCPU_PTR_MAGIC there; the KTAP case module_percpu_ptr
 * (kernel/module/module_test.c) checks both on every online CPU.  Not in
 * the storm (modules/storm.conf).
 */
#include <kernel/errno.h>
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

#define PERCPU_PTR_MAGIC	0x5000

static DEFINE_PER_CPU(int, percpu_ptr_target);
static DEFINE_PER_CPU(int *, percpu_ptr_self) = &percpu_ptr_target;

static void percpu_ptr_fill(void *info)
{
	int *mine = this_cpu_ptr(this_cpu_read(percpu_ptr_self));

	(void)info;
	*mine = PERCPU_PTR_MAGIC + (int)smp_processor_id();
}

static int percpu_ptr_init(void)
{
	if (!this_cpu_read(percpu_ptr_self)) {
		printk(KERN_ERR "percpu_ptr: percpu_ptr_self is NULL: .rela.data..percpu not applied\n");
		return -EINVAL;
	}
	on_each_cpu(percpu_ptr_fill, NULL, 1);
	printk(KERN_INFO "percpu_ptr: percpu_ptr_self = %p on this CPU (template address of percpu_ptr_target)\n",
	       (void *)this_cpu_read(percpu_ptr_self));
	return 0;
}

static void percpu_ptr_exit(void)
{
}

module_init(percpu_ptr_init);
module_exit(percpu_ptr_exit);
MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("a static per-CPU pointer to another per-CPU variable");
