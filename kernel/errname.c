/*
 * kernel/errname.c - an errno's name, as Linux's errname() (lib/errname.c)
 * gives it: "EBUSY" for -16 or 16.  For messages a person reads: "rmmod:
 * kvm: EBUSY (-16)" says more than the number alone.
 */
#include <kernel/compiler.h>
#include <kernel/errno.h>

#define E(name) [name] = #name

static const char *const names[] = {
	E(EPERM), E(ENOENT), E(EIO), E(E2BIG), E(ENOEXEC), E(EAGAIN),
	E(ENOMEM), E(EFAULT), E(EBUSY), E(EEXIST), E(ENODEV), E(EINVAL),
	E(ENOSPC), E(ERANGE), E(ENOSYS), E(ELOOP), E(ETIMEDOUT),
};

const char *errname(int err)
{
	unsigned int e = err < 0 ? 0U - (unsigned int)err : (unsigned int)err;

	if (e < ARRAY_SIZE(names) && names[e])
		return names[e];
	return NULL;
}
