/*
 * modules/hello/hello.c - hello.ko: the smallest module that does
 * something on every CPU, the example of docs/write-a-module.md.
 *
 * It keeps one counter per CPU (DEFINE_PER_CPU: a copy in every CPU's
 * unit of the reserved per-CPU chunk, reached through %gs), has every
 * CPU bump its own copy at once (on_each_cpu()), then reads all the
 * copies from one CPU (per_cpu()) and prints what it found.  Its exit
 * does the same backwards.  Not in etc/storm.conf: the storm loads it
 * only when asked (storm=hello, or modprobe hello at the monitor).
 */
#include <kernel/module.h>
#include <kernel/percpu.h>
#include <kernel/printk.h>
#include <kernel/smp.h>

/* 8 bytes in .data..percpu: the reserved chunk holds one copy per CPU. */
static DEFINE_PER_CPU(unsigned long, hello_count);

/* Runs on every online CPU, each on its own copy: no lock needed. */
static void hello_bump(void *info)
{
	(void)info;
	this_cpu_inc(hello_count);
}

static void hello_clear(void *info)
{
	(void)info;
	this_cpu_write(hello_count, 0);
}

static int hello_init(void)
{
	unsigned int cpu, counted = 0;
	int ret;

	ret = on_each_cpu(hello_bump, NULL, 1);	/* 1: wait for all */
	if (ret)
		return ret;		/* a failed init: the module never loads */
	for_each_online_cpu(cpu)
		counted += per_cpu(hello_count, cpu);
	printk(KERN_INFO "hello: %u CPUs said hello (count %u)\n",
	       num_online_cpus(), counted);
	return 0;
}

static void hello_exit(void)
{
	on_each_cpu(hello_clear, NULL, 1);
	printk(KERN_INFO "hello: goodbye\n");
}

module_init(hello_init);
module_exit(hello_exit);

MODULE_LICENSE("GPL");
MODULE_AUTHOR("mkernel");
MODULE_DESCRIPTION("Hello from every CPU (docs/write-a-module.md)");
MODULE_VERSION("1.0");
