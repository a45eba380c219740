/* include/kernel/errno.h - error numbers, the same values as Linux's. */
#ifndef KERNEL_ERRNO_H
#define KERNEL_ERRNO_H

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define E2BIG		7
#define ENOEXEC		8
#define EAGAIN		11
#define ENOMEM		12
#define EFAULT		14
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define ERANGE		34
#define ENOSYS		38
#define ELOOP		40
#define ETIMEDOUT	110

/* "EBUSY" for -EBUSY or EBUSY; NULL for a number without a name here
 * (kernel/errname.c, after Linux's lib/errname.c). */
const char *errname(int err);

#endif
