/*
 * tests/hostile/valid.c - a small, real module: the seed
 * tests/hostile/mkhostile.py damages into the hostile modules.
 *
 * It is built with the kernel's module flags against the real module ABI
 * (include/kernel/module.h), so valid.ko really loads in the kernel and
 * each damaged copy is refused for its own damage, not for being a
 * stand-in.  It has what the loader's checks look at: a
 * .gnu.linkonce.this_module descriptor of sizeof(struct module) bytes, a
 * .modinfo with name= and license=, text in .text and .init.text,
 * per-CPU data in .data..percpu, and relocations of the kinds a module
 * has: PLT32 calls, PC32 and 32S references, 64-bit pointers (in the
 * descriptor), and a pointer inside .data..percpu.  It uses only kernel
 * exports (printk, nr_cpu_ids), so it links against the kernel alone.
 *
 * The descriptor comes from HOSTILE_MODULE() (hostile.h says why not
 * from tools/modpost.py).  mkhostile.py finds the names valid_use,
 * valid_bss, valid_counter and valid_self in the symbol table: keep them.
 */
#include <kernel/printk.h>
#include "hostile.h"

extern unsigned int nr_cpu_ids;

__attribute__((section(".data..percpu"), aligned(32)))
unsigned long valid_counter[38];	/* 304 bytes, like kvm */

/* A pointer held in per-CPU data: relocated inside .data..percpu. */
__attribute__((section(".data..percpu")))
unsigned long *valid_self = &valid_counter[0];

static const char *const messages[] = { "valid: hello\n", "valid: bye\n" };
static int table[4] = { 1, 2, 3, 4 };
int valid_bss;

int valid_use(int i)
{
	/* An absolute 32S reference to the table (mcmodel=kernel), and a
	 * PC32 one to valid_bss. */
	return table[i & 3] + valid_bss;
}

__attribute__((section(".init.text"), used))
int valid_init(void)
{
	printk(KERN_INFO "%s", messages[0]);
	/* Uses an imported variable; the result is always >= 0. */
	return valid_use((int)nr_cpu_ids) < 0 ? -1 : 0;
}

__attribute__((used))
void valid_exit(void)
{
	printk(KERN_INFO "%s", messages[1]);
}

module_init(valid_init);
module_exit(valid_exit);

MODULE_LICENSE("GPL");
MODULE_DESCRIPTION("seed for hostile modules");
HOSTILE_MODULE(valid);
