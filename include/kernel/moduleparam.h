/*
 * include/kernel/moduleparam.h - module_param(): a module's variables
 * that the command line may set.
 *
 * module_param(name, type, perm) in module "mod" declares that the kernel
 * command line word "mod.name=value" sets the variable 'name' before the
 * module's init runs (Linux's syntax; Documentation/admin-guide/
 * kernel-parameters.rst).  Each declaration is a struct kernel_param in
 * the module's __param section, which the loader finds by name:
 *
 *	__param:  | kernel_param | kernel_param | ...   (8-aligned, 32 bytes)
 *		     .name -> "name\0" (in .rodata)
 *		     .type    PARAM_INT / PARAM_UINT / PARAM_BOOL / PARAM_CHARP
 *		     .perm    Linux's sysfs mode, kept for the record
 *		     .arg  -> the variable (in .data or .bss)
 *
 * and a "parmtype=name:type" string in .modinfo, as modinfo(8) shows.
 * The loader parses value by type: int and uint in decimal or 0x hex with
 * range checks, bool as 1/0/y/n/Y/N (and "mod.name" alone = true), charp
 * as a pointer to the command line's own copy of the text.
 *
 * Simplification: Linux's kernel_param points at an ops structure
 * (param_ops_int...) holding set/get functions; ours names the type, so
 * the loader needs no call into the module before it is relocated and
 * the format stays a plain table.  No arrays, no strings copied by size.
 */
#ifndef KERNEL_MODULEPARAM_H
#define KERNEL_MODULEPARAM_H

#include <kernel/compiler.h>

enum param_type {
	PARAM_INT = 1,		/* int */
	PARAM_UINT,		/* unsigned int */
	PARAM_BOOL,		/* bool */
	PARAM_CHARP,		/* char * */
};

struct kernel_param {
	const char *name;
	uint32_t type;		/* enum param_type */
	uint16_t perm;
	uint16_t flags;		/* 0; room for Linux's KERNEL_PARAM_FL_* */
	void *arg;
	uint64_t reserved;	/* 0 */
};

/* The C type each module_param type name stands for. */
#define __param_ctype_int	int
#define __param_ctype_uint	unsigned int
#define __param_ctype_bool	bool
#define __param_ctype_charp	char *
#define __param_enum_int	PARAM_INT
#define __param_enum_uint	PARAM_UINT
#define __param_enum_bool	PARAM_BOOL
#define __param_enum_charp	PARAM_CHARP

#ifdef MODULE
/* The macro's parameters are not called name/type/perm: those are the
 * struct's field names, which the designated initializer needs intact. */
#define module_param(var, kind, mode)					\
	_Static_assert(__builtin_types_compatible_p(__typeof__(var),	\
						    __param_ctype_##kind), \
		       "module_param " #var ": variable is not " #kind); \
	MODULE_INFO(parmtype, #var ":" #kind);				\
	static const char __param_str_##var[] = #var;			\
	static const struct kernel_param __param_##var __used		\
		__section("__param") __aligned(8) = {			\
		.name = __param_str_##var,				\
		.type = __param_enum_##kind,				\
		.perm = (mode),						\
		.arg = &(var),						\
	}
#define MODULE_PARM_DESC(name, text)	MODULE_INFO(parm, #name ":" text)
#else
/* Built into the kernel: kernel/params.c's early_param covers that. */
#define module_param(var, kind, mode)
#define MODULE_PARM_DESC(name, text)
#endif

#endif
