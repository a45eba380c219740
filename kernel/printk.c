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
 *
 * Panic and NMI mode.  A CPU stopped by an NMI (kernel/smp/stop.c) may
 * have been inside printk, holding console_lock, and will never let it
 * go; an NMI may even cut into printk on its own CPU.  So once panic()
 * has begun, and in any NMI, console_lock is taken with a bounded wait
 * (console_lock_bounded): our own lock is never waited for, another
 * CPU's for at most CONSOLE_BUST_MS; then the text is written without
 * the lock.  In panic mode a lock that timed out stays "busted": later
 * messages do not wait again.  The stopped CPUs still print one at a time
 * under their own lock, and the panicking CPU is silent meanwhile, so
 * lines do not interleave in practice.
 *
 * Timestamps.  As Linux's printk.time, each line a message begins is
 * prefixed "[    1.234567] ": seconds and microseconds since kmain, on
 * the calibrated TSC (ktime_get_ns(); 0.000000 until tsc_init()).  The
 * time is read under console_lock, so the stamps in the log never go
 * backwards.  It goes into log_buf with the text, so a late console's
 * replay and the monitor's dmesg show the same stamps.  A message that
 * continues an unfinished line (no '\n' yet) gets none, nor does
 * console_write(), the monitor's own answers, which are not messages.
 * printk.time=0 turns the stamps off.
 */
#include <kernel/cmdline.h>
#include <kernel/export.h>
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>
#include <kernel/power.h>
#include <kernel/smp.h>
#include <kernel/time.h>
#include <kernel/traps.h>

#define LOG_BUF_SIZE	PRINTK_LOG_BUF_SIZE
#define PRINTK_MAX	512

int console_loglevel = 7;	/* show everything but pr_debug by default */

static DEFINE_SPINLOCK(console_lock);
static struct console *consoles;
static char log_buf[LOG_BUF_SIZE];
static size_t log_head;		/* total bytes ever logged */
static bool log_line_open;	/* the last text did not end its line */

BOOT_PARAM_UINT(printk_time, "printk.time", 1, 0, 1,
		"a [seconds.microseconds] timestamp on each message line (0: none)");

#define CONSOLE_BUST_MS		100
#define CONSOLE_BUST_SPINS	(1UL << 24)	/* if time is not running */

int panic_cpu = -1;
static bool console_lock_busted;

/*
 * Take console_lock, interrupts already off (flags: as they were before).
 * Returns whether it was taken (the caller unlocks only then); false
 * means "write without it".
 */
static bool console_lock_bounded(unsigned long flags)
{
	uint64_t start;

	if (likely(READ_ONCE(panic_cpu) < 0 && !in_nmi())) {
		/* Wait with interrupts as the caller had them: when 255
		 * CPUs print at once, a CPU can wait its turn for seconds,
		 * and with interrupts off it would miss its ticks (the
		 * watchdog calls that a hard lockup).  A waiter holds
		 * nothing, so an interrupt that prints meanwhile just
		 * waits too. */
		while (!spin_trylock(&console_lock)) {
			local_irq_restore(flags);
			while (spin_is_locked(&console_lock))
				cpu_relax();
			local_irq_disable();
		}
		return true;
	}
	if (READ_ONCE(console_lock_busted))
		return false;
	/* Cut into our own printk: waiting would be for ever. */
	if (spin_is_locked(&console_lock) &&
	    READ_ONCE(console_lock.owner_cpu) == (int)smp_processor_id())
		return false;
	start = ktime_get_ns();
	for (unsigned long spins = 0; spins < CONSOLE_BUST_SPINS; spins++) {
		if (spin_trylock(&console_lock))
			return true;
		if (ktime_get_ns() - start > CONSOLE_BUST_MS * 1000000ULL)
			break;
		cpu_relax();
	}
	if (READ_ONCE(panic_cpu) >= 0)
		WRITE_ONCE(console_lock_busted, true);
	return false;
}

static void log_put(char c)
{
	log_buf[log_head++ % LOG_BUF_SIZE] = c;
}

static void log_level(int level)
{
	log_put(KERN_SOH[0]);
	log_put((char)('0' + level));
}

static void log_text(const char *s, size_t len, bool show)
{
	for (size_t i = 0; i < len; i++)
		log_put(s[i]);
	if (!show)
		return;
	for (struct console *c = consoles; c; c = c->next)
		c->write(c, s, len);
}

/* "[    1.234567] ": Linux's format (seconds padded to five places). */
static size_t format_time(char *buf, size_t size)
{
	uint64_t ns = ktime_get_ns();

	return (size_t)snprintf(buf, size, "[%5llu.%06llu] ",
				(unsigned long long)(ns / NSEC_PER_SEC),
				(unsigned long long)(ns % NSEC_PER_SEC / 1000));
}

size_t printk_bytes_logged(void)
{
	return READ_ONCE(log_head);
}

/*
 * A reader's copy of the ring (the monitor's dmesg), taken whole under
 * console_lock: no CPU can print meanwhile, so the copy is one moment of
 * the log, and nothing printed later - the reader's own output
 * included, which goes into the ring too - can overwrite it while it is
 * read.  Records are copied as stored, with their level markers.
 */
size_t printk_log_copy(char *buf, size_t len, size_t *first)
{
	unsigned long flags = spin_lock_irqsave(&console_lock);
	size_t held = MIN(log_head, (size_t)LOG_BUF_SIZE), n = MIN(held, len);
	size_t start = log_head - n;

	for (size_t i = 0; i < n; i++)
		buf[i] = log_buf[(start + i) % LOG_BUF_SIZE];
	spin_unlock_irqrestore(&console_lock, flags);
	if (first)
		*first = start;
	return n;
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

/*
 * Store in log_buf and show on the consoles if the level allows, as one
 * unit under console_lock (bounded in panic and NMI context), each line
 * the text begins behind a timestamp if 'stamped' and printk.time.
 */
static void log_and_emit(int level, const char *s, size_t len, bool stamped)
{
	unsigned long flags = local_irq_save();
	bool locked = console_lock_bounded(flags);
	bool show = level <= console_loglevel;
	char stamp[32];
	size_t stamp_len = 0;

	if (stamped && printk_time)
		stamp_len = format_time(stamp, sizeof(stamp));
	log_level(level);
	while (len) {
		const char *nl = memchr(s, '\n', len);
		size_t n = nl ? (size_t)(nl - s) + 1 : len;

		if (stamp_len && !log_line_open)
			log_text(stamp, stamp_len, show);
		log_text(s, n, show);
		log_line_open = s[n - 1] != '\n';
		s += n;
		len -= n;
	}
	if (locked)
		spin_unlock(&console_lock);
	local_irq_restore(flags);
}

void console_write(const char *s, size_t len)
{
	log_and_emit(0, s, len, false);
}

int vprintk(const char *fmt, va_list ap)
{
	char buf[PRINTK_MAX];
	int level = LOGLEVEL_DEFAULT;
	int len;

	if (fmt[0] == KERN_SOH[0] && fmt[1] >= '0' && fmt[1] <= '7') {
		level = fmt[1] - '0';
		fmt += 2;
	}
	len = vsnprintf(buf, sizeof(buf), fmt, ap);
	if (len >= (int)sizeof(buf)) {
		len = sizeof(buf) - 1;
		buf[len - 1] = '\n';	/* truncated: still end the line */
	}

	log_and_emit(level, buf, len, true);
	return len;
}
EXPORT_SYMBOL(vprintk);

int printk(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintk(fmt, ap);
	va_end(ap);
	return n;
}
EXPORT_SYMBOL(printk);

/*
 * One CPU panics; a second one that panics meanwhile just stops (the
 * first will NMI it and it reports where it was, as Linux's
 * panic_smp_self_stop()).  The panicking CPU stops the others, and each
 * prints its state, before the machine halts.
 */
void panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int me = (int)smp_processor_id(), old = -1;

	local_irq_disable();
	if (!__atomic_compare_exchange_n(&panic_cpu, &old, me, false,
					 __ATOMIC_SEQ_CST, __ATOMIC_SEQ_CST)) {
		if (old != me)
			for (;;)
				halt();		/* wait for the stop NMI */
		pr_emerg("Kernel panic while panicking on CPU %d\n", me);
		machine_panic_halt();
	}
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_emerg("Kernel panic - not syncing: %s\n", buf);
	smp_send_stop();
	pr_emerg("---[ end Kernel panic - not syncing: %s ]---\n", buf);
	machine_panic_halt();
}
EXPORT_SYMBOL(panic);
