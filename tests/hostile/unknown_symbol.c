/*
 * tests/hostile/unknown_symbol.c - a module that calls a function nobody
 * exports.  The ELF is sound; only the kernel's symbol lookup can refuse
 * it: "unknown_symbol: Unknown symbol hostile_no_such_symbol", and
 * everything the load took so far goes back.
 */
#include "hostile.h"

extern void hostile_no_such_symbol(void);

static int unknown_symbol_init(void)
{
	hostile_no_such_symbol();
	return 0;
}

static void unknown_symbol_exit(void)
{
}

module_init(unknown_symbol_init);
module_exit(unknown_symbol_exit);
MODULE_LICENSE("GPL");
HOSTILE_MODULE(unknown_symbol);
