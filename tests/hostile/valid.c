/*
 * tests/hostile/valid.c - a small, valid module-shaped object: the seed
 * tests/hostile/mkhostile.py damages into the hostile modules.
 *
 * It is built with the kernel's module flags but deliberately without
 * include/kernel/module.h (the module ABI), so it depends only on what
 * the ELF checks look at: a .gnu.linkonce.this_module descriptor, a
 * .modinfo with name=, text in .text and .init.text, per-CPU data in
 * .data..percpu, and relocations of the kinds a module has: PLT32/PC32
 * calls and references, 32S absolute addresses, 64-bit pointers, and a
 * pointer inside .data..percpu.
 */
extern int printk(const char *fmt, ...);
extern unsigned long jiffies;

/* The descriptor: its size is what the loader compares with struct module. */
__attribute__((section(".gnu.linkonce.this_module"), used))
char hostile_this_module[1024];

__attribute__((section(".modinfo"), used))
static const char modinfo[] = "license=GPL\0name=valid\0description=seed for hostile modules";

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
	/* An absolute 32S reference to the table (mcmodel=kernel). */
	return table[i & 3] + valid_bss;
}

__attribute__((section(".init.text"), used))
int valid_init(void)
{
	printk(messages[0]);
	return valid_use((int)jiffies);
}

__attribute__((used))
void valid_exit(void)
{
	printk(messages[1]);
}
