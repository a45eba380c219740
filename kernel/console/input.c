/*
 * kernel/console/input.c - what a person types, from wherever it comes,
 * read as one stream.
 *
 * Each input driver (the serial line, the PS/2 keyboard) keeps its own
 * ring, filled by its interrupt handler, and registers a struct
 * console_input whose read() takes what the ring holds without waiting.
 * console_read() waits for any of them on one wait queue, which every
 * driver's handler wakes (console_input_wake()).  A driver without an
 * interrupt route says so in polled(); while one does, console_read()
 * looks once a tick instead of sleeping until woken, and calls its
 * poll() to move what the hardware holds into the ring.
 *
 * Ctrl-C is also noticed as it arrives, not only when read: a driver
 * passes each byte to console_input_saw(), and a long command (the
 * monitor's storm) asks console_interrupted() between its rounds.
 */
#include <kernel/console.h>
#include <kernel/printk.h>
#include <kernel/sched.h>
#include <kernel/time.h>
#include <kernel/wait.h>

#define CTRL_C	0x03

static struct console_input *inputs;
static DECLARE_WAIT_QUEUE_HEAD(input_wq);
static bool ctrl_c_seen;

void register_console_input(struct console_input *in)
{
	in->next = inputs;
	inputs = in;
}

void console_input_wake(void)
{
	wake_up_all(&input_wq);
}

void console_input_saw(char c)
{
	if (c == CTRL_C)
		WRITE_ONCE(ctrl_c_seen, true);
}

/* Drivers without an interrupt: move what their hardware holds now. */
static bool poll_inputs(void)
{
	bool polled = false;

	for (struct console_input *in = inputs; in; in = in->next)
		if (in->polled && in->polled()) {
			in->poll();
			polled = true;
		}
	return polled;
}

static size_t take(char *buf, size_t len)
{
	size_t n = 0;

	for (struct console_input *in = inputs; in && n < len; in = in->next)
		n += in->read(buf + n, len - n);
	return n;
}

size_t console_read(char *buf, size_t len, long timeout)
{
	size_t n = 0;

	if (!len)
		return 0;
	if (!poll_inputs()) {
		/* Every source has an interrupt, whose handler wakes us;
		 * the condition is tested after prepare_to_wait(), so a
		 * byte that arrives in between is not missed. */
		wait_event_timeout(input_wq, (n = take(buf, len)) != 0,
				   timeout);
		return n;
	}
	for (;;) {
		n = take(buf, len);
		if (n || timeout-- <= 0)
			return n;
		schedule_timeout_uninterruptible(1);
		poll_inputs();
	}
}

bool console_interrupted(void)
{
	poll_inputs();
	return __atomic_exchange_n(&ctrl_c_seen, false, __ATOMIC_RELAXED);
}

unsigned int console_inputs(char *names, size_t size)
{
	unsigned int count = 0;
	size_t n = 0;

	if (size)
		names[0] = '\0';
	for (struct console_input *in = inputs; in; in = in->next, count++)
		if (n < size)
			n += snprintf(names + n, size - n, "%s%s%s", count ? ", " : "",
				      in->name, in->polled && in->polled() ?
				      " (polled)" : "");
	return count;
}
