/*
 * include/kernel/printk.h - kernel messages.
 *
 * As in Linux, a message may start with a level marker (KERN_ERR ...); the
 * level decides whether the consoles show it (loglevel= on the command
 * line).  Every call emits whole lines under one lock, so lines from
 * different CPUs never interleave.
 */
#ifndef KERNEL_PRINTK_H
#define KERNEL_PRINTK_H

#include <stdarg.h>
#include <kernel/compiler.h>

#define KERN_SOH	"\001"
#define KERN_EMERG	KERN_SOH "0"
#define KERN_ALERT	KERN_SOH "1"
#define KERN_CRIT	KERN_SOH "2"
#define KERN_ERR	KERN_SOH "3"
#define KERN_WARNING	KERN_SOH "4"
#define KERN_NOTICE	KERN_SOH "5"
#define KERN_INFO	KERN_SOH "6"
#define KERN_DEBUG	KERN_SOH "7"

#define LOGLEVEL_DEFAULT 4	/* level of a message with no marker */

int printk(const char *fmt, ...) __printf(1, 2);
int vprintk(const char *fmt, va_list ap);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/* Messages at a level above this are not shown on the consoles. */
extern int console_loglevel;

#define pr_emerg(fmt, ...)	printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...)	printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...)	printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...)	printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...)	printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...)	printk(KERN_DEBUG fmt, ##__VA_ARGS__)

/* Bytes ever stored in the log: moves whenever anybody prints. */
size_t printk_bytes_logged(void);
/* The log buffer's size: how much of the log printk_log_copy() can give. */
#define PRINTK_LOG_BUF_SIZE	(64 * 1024)
/*
 * Copy the newest min(len, bytes held) bytes of the log buffer into buf,
 * as stored: each message behind KERN_SOH and its level digit (the
 * monitor's answers and echo, written by console_write, are stored at
 * level 0), no timestamps.  Returns the bytes copied; *first (if not
 * NULL) gets the number of the first one (bytes are counted from boot,
 * as printk_bytes_logged()).  The ring's oldest record may be cut.
 */
size_t printk_log_copy(char *buf, size_t len, size_t *first);

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG_ON(cond)							\
	do {								\
		if (unlikely(cond))					\
			panic("BUG at %s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

#define WARN_ON(cond)							\
	({								\
		bool __w = !!(cond);					\
		if (unlikely(__w))					\
			pr_warn("WARNING at %s:%d: %s\n", __FILE__,	\
				__LINE__, #cond);			\
		__w;							\
	})

#endif
