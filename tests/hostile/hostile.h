/*
 * tests/hostile/hostile.h - the module descriptor, written by hand.
 *
 * A module built in modules/ gets its struct module from the <name>.mod.c
 * that tools/modpost.py writes.  modpost reads the built kernel's exports
 * and refuses a module with an unknown symbol or an export the kernel
 * already has, which is exactly what some hostile modules are for; and
 * the hostile set must build without a kernel, for the host tests.  So
 * each file in tests/hostile/ ends with HOSTILE_MODULE(name), after its
 * module_init() and module_exit(), which says what modpost would:
 * .modinfo's name= and the descriptor in .gnu.linkonce.this_module.
 */
#ifndef TESTS_HOSTILE_H
#define TESTS_HOSTILE_H

#include <kernel/module.h>

#define HOSTILE_MODULE(modname)						\
	MODULE_INFO(name, #modname);					\
	struct module __this_module __used				\
		__section(".gnu.linkonce.this_module") = {		\
		.name = #modname,					\
		.init = init_module,					\
		.exit = cleanup_module,					\
	}

#endif
