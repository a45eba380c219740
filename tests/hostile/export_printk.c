/*
 * tests/hostile/export_printk.c - a module that exports printk, a name
 * the kernel exports already.  Linked, it would shadow the kernel's for
 * every module loaded after it; verify_export_symbols() refuses it:
 * "export_printk: exports duplicate symbol printk (owned by kernel)".
 */
#include "hostile.h"

int printk(const char *fmt, ...);

int printk(const char *fmt, ...)
{
	(void)fmt;
	return 0;
}
EXPORT_SYMBOL(printk);

static int export_printk_init(void)
{
	return 0;
}

static void export_printk_exit(void)
{
}

module_init(export_printk_init);
module_exit(export_printk_exit);
MODULE_LICENSE("GPL");
HOSTILE_MODULE(export_printk);
