/*
 * kernel/console/input.c - what a person types, from wherever it comes,
 * read as one stream.
 *
 * Each input driver (the serial line, the PS/2 keyboard) has a struct
 * console_input: a ring of received bytes and the driver's drain(),
 * which moves what its hardware holds into the ring.  The driver's
 * interrupt handler calls console_input_interrupt(), which drains under
 * the input's lock and wakes the readers; a driver without an interrupt
 * route stays polled, and then every reader drains it once a tick.
 *
 * console_read() waits for any input on one wait queue, which every
 * interrupt wakes, and takes from every ring: that is what the monitor
 * reads, so the serial line and the keyboard type into the same line.
 * console_input_read() reads one input alone (the drivers' own tests).
 *
 * Ctrl-C is noticed as it arrives, not only when read: console_input_put()
 * looks at each byte, and a long command (the monitor's storm) asks
 * console_interrupted() between its rounds.
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

bool console_input_put(struct console_input *in, char c)
{
	if (in->head - in->tail == CONSOLE_INPUT_RING)
		return false;
	in->ring[in->head++ % CONSOLE_INPUT_RING] = c;
	in->bytes++;
	if (c == CTRL_C)
		WRITE_ONCE(ctrl_c_seen, true);
	return true;
}

void console_input_interrupt(struct console_input *in)
{
	spin_lock(&in->lock);
	in->interrupts++;
	in->drain(in);
	spin_unlock(&in->lock);
	wake_up_all(&in->wq);
	wake_up_all(&input_wq);
}

/* Does the ring hold a byte?  A polled input is drained first. */
static bool input_ready(struct console_input *in)
{
	unsigned long flags;
	bool ready;

	flags = spin_lock_irqsave(&in->lock);
	if (READ_ONCE(in->polled))
		in->drain(in);
	ready = in->head != in->tail;
	spin_unlock_irqrestore(&in->lock, flags);
	return ready;
}

/* What the ring holds, up to len, without waiting. */
static size_t input_take(struct console_input *in, char *buf, size_t len)
{
	unsigned long flags;
	size_t n = 0;

	flags = spin_lock_irqsave(&in->lock);
	while (n < len && in->tail != in->head)
		buf[n++] = in->ring[in->tail++ % CONSOLE_INPUT_RING];
	if (n && in->taken)
		in->taken(in);
	spin_unlock_irqrestore(&in->lock, flags);
	return n;
}

size_t console_input_read(struct console_input *in, char *buf, size_t len,
			  long timeout)
{
	if (!len)
		return 0;
	if (READ_ONCE(in->polled)) {
		/* No interrupt: look once a tick. */
		while (!input_ready(in) && timeout-- > 0)
			schedule_timeout_uninterruptible(1);
	} else {
		wait_event_timeout(in->wq, input_ready(in), timeout);
	}
	return input_take(in, buf, len);
}

/* Drain every polled input; true if there is one. */
static bool poll_inputs(void)
{
	bool polled = false;

	for (struct console_input *in = inputs; in; in = in->next)
		if (READ_ONCE(in->polled)) {
			input_ready(in);
			polled = true;
		}
	return polled;
}

static size_t take_all(char *buf, size_t len)
{
	size_t n = 0;

	for (struct console_input *in = inputs; in && n < len; in = in->next)
		n += input_take(in, buf + n, len - n);
	return n;
}

size_t console_read(char *buf, size_t len, long timeout)
{
	size_t n = 0;

	if (!len)
		return 0;
	if (!poll_inputs()) {
		/* Every input has an interrupt, whose handler wakes us;
		 * the condition is tested after prepare_to_wait(), so a
		 * byte that arrives in between is not missed. */
		wait_event_timeout(input_wq, (n = take_all(buf, len)) != 0,
				   timeout);
		return n;
	}
	for (;;) {
		n = take_all(buf, len);
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
				      in->name, READ_ONCE(in->polled) ?
				      " (polled)" : "");
	return count;
}
