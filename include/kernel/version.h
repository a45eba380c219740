/* include/kernel/version.h - the name and version in the boot banner. */
#ifndef KERNEL_VERSION_H
#define KERNEL_VERSION_H

#define KERNEL_NAME	"mkernel"
#define KERNEL_VERSION	"0.1.0"

#if defined(__clang__)
#define KERNEL_COMPILER	"clang " __clang_version__
#else
#define KERNEL_COMPILER	"gcc " __VERSION__
#endif

#ifndef KERNEL_BUILD
#define KERNEL_BUILD	"1"
#endif

#endif
