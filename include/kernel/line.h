/*
 * include/kernel/line.h - the monitor's line editor: bytes typed on the
 * serial line or the keyboard in, an edited line out.
 *
 * Pure (kernel/monitor/line.c, tested on the host by
 * tests/host/test_line.c): the editor keeps the line and its history,
 * says what to echo through a callback, and asks a callback for Tab's
 * completions.  One editor serves every input; what reads the bytes is
 * the caller's business.
 *
 *	printable ASCII		inserted at the end (echoed)
 *	Enter (CR, LF, CR LF)	the line is done: LINE_DONE, into history
 *	Backspace, DEL		the last character goes
 *	Ctrl-U			the whole line goes
 *	Ctrl-C			the line is cancelled: LINE_CANCEL
 *	Up, Down (ESC [ A/B,	walk the history of the last 16 lines
 *	  ESC O A/B)
 *	Tab			complete the last word: alone, the common
 *				prefix; several, the list is shown
 *	anything else		dropped: other control characters, bytes
 *				>= 0x80, escape sequences not listed above
 *
 * A line holds at most LINE_MAX_LEN characters.  Typing past that is
 * refused, not truncated: the rest of the line is swallowed and, at
 * Enter, one message says so and the line is dropped (LINE_CANCEL).
 */
#ifndef KERNEL_LINE_H
#define KERNEL_LINE_H

#include <kernel/compiler.h>

#define LINE_MAX_LEN	255
#define LINE_HISTORY	16
#define LINE_MAX_CANDIDATES 64

enum line_event {
	LINE_NONE,	/* keep feeding */
	LINE_DONE,	/* ed->buf holds a finished line */
	LINE_CANCEL,	/* Ctrl-C, or a line that was too long */
};

struct line_editor {
	const char *prompt;		/* redrawn after a completion list */
	/* Where echo goes (every console, for the monitor). */
	void (*echo)(void *ctx, const char *s, size_t len);
	/* Tab: up to max names that the word being typed could become,
	 * into cands; returns how many (optional). */
	size_t (*complete)(void *ctx, const char *line, size_t len,
			   const char **cands, size_t max);
	void *ctx;

	char buf[LINE_MAX_LEN + 1];	/* NUL-terminated */
	size_t len;
	bool too_long;			/* swallowing until Enter */
	bool finished;			/* the next byte starts a new line */
	bool after_cr;			/* an LF now ends nothing */
	enum { ESC_NONE, ESC_START, ESC_CSI, ESC_SS3 } esc;

	char history[LINE_HISTORY][LINE_MAX_LEN + 1];
	unsigned int nr_history;	/* lines kept, <= LINE_HISTORY */
	unsigned int history_head;	/* slot the next line goes to */
	unsigned int browsing;		/* 0: the new line; n: n lines back */
	char draft[LINE_MAX_LEN + 1];	/* the new line while browsing */
};

/* A fresh editor (history empty) with these callbacks. */
void line_init(struct line_editor *ed, const char *prompt,
	       void (*echo)(void *, const char *, size_t),
	       size_t (*complete)(void *, const char *, size_t, const char **,
				  size_t),
	       void *ctx);
/* One byte of input. */
enum line_event line_feed(struct line_editor *ed, char c);
/* Start the next line (after LINE_DONE or LINE_CANCEL): buf empty. */
void line_reset(struct line_editor *ed);
/* The nth most recent history line (1: the last), or NULL. */
const char *line_history(const struct line_editor *ed, unsigned int n);

/* The monitor (kernel/monitor/monitor.c): with `monitor` on the command
 * line, a prompt on ttyS0 until `exit`; kmain's last workload. */
int monitor_run_requested(void);

#endif
