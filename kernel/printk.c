/*
 * kernel/printk.c - kernel messages to every console, and the log buffer.
 *
 * printk() formats the message on the caller's stack, then takes
 * console_lock (with interrupts off) and hands the complete text to each
 * console, so a line from one CPU is never cut by a line from another.
 * Every message also goes into log_buf, a ring of the most recent text; a
 * console registered late (the framebuffer comes up after the memory
 * manager) is first given what the ring holds, so it shows the whole boot.
 * Each message is stored behind its level marker (KERN_SOH and a digit),
 * so that replay shows a late console only what loglevel= lets through.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/power.h>

#define LOG_BUF_SIZE	(64 * 1024)
#define PRINTK_MAX	1024

int console_loglevel = 7;	/* show everything but pr_debug by default */

static DEFINE_SPINLOCK(console_lock);
static struct console *consoles;
static char log_buf[LOG_BUF_SIZE];
static size_t log_head;		/* total bytes ever logged */

static void log_put(char c)
{
	log_buf[log_head++ % LOG_BUF_SIZE] = c;
}

static void log_store(int level, const char *s, size_t len)
{
	log_put(KERN_SOH[0]);
	log_put((char)('0' + level));
	for (size_t i = 0; i < len; i++)
		log_put(s[i]);
}

static void emit(const char *s, size_t len)
{
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
}

void register_console(struct console *con)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t start = log_head > LOG_BUF_SIZE ? log_head - LOG_BUF_SIZE : 0;
	int level = 0;

	/* Replay what was said before this console existed.  After a wrap
	 * the oldest record is cut: its text is shown under level 0 until
	 * the next marker, a partial line at worst. */
	for (size_t i = start; i < log_head; i++) {
		char c = log_buf[i % LOG_BUF_SIZE];

		if (c == KERN_SOH[0] && i + 1 < log_head) {
			level = log_buf[++i % LOG_BUF_SIZE] - '0';
			continue;
		}
		if (level <= console_loglevel)
			con->write(con, &c, 1);
	}
	con->next = NULL;
	if (!consoles) {
		consoles = con;
	} else {
		struct console *last = consoles;

		while (last->next)
			last = last->next;
		last->next = con;
	}
	spin_unlock_irqrestore(&console_lock, flags);
}

void console_write(const char *s, size_t len)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);

	log_store(0, s, len);
	emit(s, len);
	spin_unlock_irqrestore(&console_lock, flags);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_MAX];
	int level = LOGLEVEL_DEFAULT;
	int len;
	unsigned long flags;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf)) {
		len = sizeof(buf) - 1;
		buf[len - 1] = '\n';	/* truncated: still end the line */
	}

	flags = spin_lock_irqsave(&console_lock);
	log_store(level, buf, len);
	if (level <= console_loglevel)
		emit(buf, len);
	spin_unlock_irqrestore(&console_lock, flags);
	return len;
}

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}

void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	local_irq_disable();
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	machine_panic_halt();
}
