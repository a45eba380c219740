/*
 * include/kernel/err.h - an error number carried in a pointer (Linux:
 * include/linux/err.h).  The top 4095 addresses are never valid kernel
 * objects, so a function that returns a pointer can return -errno there.
 */
#ifndef KERNEL_ERR_H
#define KERNEL_ERR_H

#include <kernel/compiler.h>

#define MAX_ERRNO	4095

static inline void *ERR_PTR(long error)
{
	return (void *)error;
}

static inline long PTR_ERR(const void *ptr)
{
	return (long)ptr;
}

static inline bool IS_ERR(const void *ptr)
{
	return (unsigned long)ptr >= (unsigned long)-MAX_ERRNO;
}

#endif
