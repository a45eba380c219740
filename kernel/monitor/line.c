/*
 * kernel/monitor/line.c - the line editor of include/kernel/line.h.
 *
 * Pure: no console, no locks; what to show goes to ed->echo.  The screen
 * is assumed to be a terminal that understands backspace as "cursor one
 * left" (VT100 and our own consoles do), so erasing a character is
 * "\b \b"; nothing else of a terminal's language is spoken.
 *
 * History is a ring of LINE_HISTORY lines.  Up copies an older line into
 * the buffer (the line being typed is kept as the draft), Down a newer
 * one, and past the newest the draft comes back.  An empty line and a
 * repeat of the last one are not added (bash's ignoredups).
 */
#include <kernel/line.h>
#include <kernel/string.h>

#define CTRL(c)		((c) & 0x1f)
#define ESC		0x1b
#define DEL		0x7f

static const char too_long_msg[] =
	"\r\nline too long: at most " __stringify(LINE_MAX_LEN) " characters; ignored\r\n";

static void echo(struct line_editor *ed, const char *s, size_t len)
{
	if (ed->echo && len)
		ed->echo(ed->ctx, s, len);
}

static void echo_str(struct line_editor *ed, const char *s)
{
	echo(ed, s, strlen(s));
}

void line_reset(struct line_editor *ed)
{
	ed->buf[0] = '\0';
	ed->len = 0;
	ed->too_long = false;
	ed->esc = ESC_NONE;
	ed->browsing = 0;
	ed->finished = false;
}

void line_init(struct line_editor *ed, const char *prompt,
	       void (*echo_fn)(void *, const char *, size_t),
	       size_t (*complete)(void *, const char *, size_t, const char **,
				  size_t),
	       void *ctx)
{
	memset(ed, 0, sizeof(*ed));
	ed->prompt = prompt;
	ed->echo = echo_fn;
	ed->complete = complete;
	ed->ctx = ctx;
	line_reset(ed);
}

const char *line_history(const struct line_editor *ed, unsigned int n)
{
	if (n == 0 || n > ed->nr_history)
		return NULL;
	return ed->history[(ed->history_head + LINE_HISTORY - n) % LINE_HISTORY];
}

static void history_add(struct line_editor *ed)
{
	const char *last = line_history(ed, 1);

	if (!ed->len || (last && !strcmp(last, ed->buf)))
		return;
	memcpy(ed->history[ed->history_head], ed->buf, ed->len + 1);
	ed->history_head = (ed->history_head + 1) % LINE_HISTORY;
	if (ed->nr_history < LINE_HISTORY)
		ed->nr_history++;
}

static void erase_chars(struct line_editor *ed, size_t n)
{
	while (n--)
		echo_str(ed, "\b \b");
}

/* Show s in place of the line on screen and in the buffer. */
static void replace_line(struct line_editor *ed, const char *s)
{
	erase_chars(ed, ed->len);
	ed->len = strlen(s);
	memcpy(ed->buf, s, ed->len + 1);
	echo(ed, ed->buf, ed->len);
}

static void history_walk(struct line_editor *ed, bool older)
{
	unsigned int to = ed->browsing + (older ? 1 : -1);

	if (older ? to > ed->nr_history : ed->browsing == 0)
		return;
	if (ed->browsing == 0)
		memcpy(ed->draft, ed->buf, ed->len + 1);
	ed->browsing = to;
	replace_line(ed, to ? line_history(ed, to) : ed->draft);
}

/* All of s, or (past LINE_MAX_LEN) nothing, and the line refused. */
static void insert(struct line_editor *ed, const char *s, size_t n)
{
	if (n > LINE_MAX_LEN - ed->len) {
		ed->too_long = true;
		return;
	}
	memcpy(ed->buf + ed->len, s, n);
	ed->len += n;
	ed->buf[ed->len] = '\0';
	echo(ed, s, n);
}

/*
 * Tab: the word being typed is what follows the last space.  One
 * candidate: completed, and a space after it.  Several: as far as they
 * agree; if that adds nothing, they are listed and the line redrawn.
 */
static void complete(struct line_editor *ed)
{
	const char *cands[LINE_MAX_CANDIDATES];
	size_t n, word = ed->len, common;

	if (!ed->complete)
		return;
	while (word && ed->buf[word - 1] != ' ')
		word--;
	n = ed->complete(ed->ctx, ed->buf, ed->len, cands, LINE_MAX_CANDIDATES);
	if (n > LINE_MAX_CANDIDATES)
		n = LINE_MAX_CANDIDATES;
	if (!n)
		return;
	common = strlen(cands[0]);
	for (size_t i = 1; i < n; i++) {
		size_t j = 0;

		while (j < common && cands[i][j] == cands[0][j])
			j++;
		common = j;
	}
	if (common > ed->len - word) {
		insert(ed, cands[0] + (ed->len - word), common - (ed->len - word));
		if (n == 1)
			insert(ed, " ", 1);
		return;
	}
	if (n == 1) {
		insert(ed, " ", 1);
		return;
	}
	echo_str(ed, "\r\n");
	for (size_t i = 0; i < n; i++) {
		echo_str(ed, cands[i]);
		echo_str(ed, i + 1 < n ? "  " : "\r\n");
	}
	if (ed->prompt)
		echo_str(ed, ed->prompt);
	echo(ed, ed->buf, ed->len);
}

/* The byte after ESC, or after ESC [ / ESC O. */
static void escape(struct line_editor *ed, unsigned char c)
{
	switch (ed->esc) {
	case ESC_START:
		ed->esc = c == '[' ? ESC_CSI : c == 'O' ? ESC_SS3 : ESC_NONE;
		return;
	case ESC_CSI:
		/* Parameters and intermediates (ESC [ 1 ; 5 A): read past;
		 * then the final byte, as after ESC O. */
		if (c >= 0x20 && c <= 0x3f)
			return;
		/* fall through */
	case ESC_SS3:
		ed->esc = ESC_NONE;
		/* A line past the limit is being swallowed: the arrows are
		 * too, as Backspace and Tab are (a history line put in its
		 * place would still be refused at Enter). */
		if (ed->too_long)
			return;
		if (c == 'A')
			history_walk(ed, true);
		else if (c == 'B')
			history_walk(ed, false);
		return;	/* left, right, the rest: dropped */
	case ESC_NONE:
		return;
	}
}

enum line_event line_feed(struct line_editor *ed, char ch)
{
	unsigned char c = (unsigned char)ch;
	bool after_cr = ed->after_cr;

	if (ed->finished)
		line_reset(ed);
	ed->after_cr = c == '\r';
	/* A control character ends an escape sequence and counts itself. */
	if (ed->esc != ESC_NONE && c < 0x20)
		ed->esc = ESC_NONE;
	if (ed->esc != ESC_NONE) {
		escape(ed, c);
		return LINE_NONE;
	}
	switch (c) {
	case '\n':
		if (after_cr)
			return LINE_NONE;	/* the LF of a CR LF */
		/* fall through */
	case '\r':
		ed->finished = true;
		if (ed->too_long) {
			echo_str(ed, too_long_msg);
			return LINE_CANCEL;
		}
		echo_str(ed, "\r\n");
		history_add(ed);
		return LINE_DONE;
	case CTRL('C'):
		echo_str(ed, "^C\r\n");
		ed->finished = true;
		return LINE_CANCEL;
	case CTRL('U'):
		erase_chars(ed, ed->len);
		ed->len = 0;
		ed->buf[0] = '\0';
		ed->too_long = false;
		return LINE_NONE;
	case '\b':
	case DEL:
		if (ed->len && !ed->too_long) {
			ed->buf[--ed->len] = '\0';
			erase_chars(ed, 1);
		}
		return LINE_NONE;
	case '\t':
		if (!ed->too_long)
			complete(ed);
		return LINE_NONE;
	case ESC:
		ed->esc = ESC_START;
		return LINE_NONE;
	}
	if (c < 0x20 || c >= DEL || ed->too_long)
		return LINE_NONE;
	insert(ed, &ch, 1);
	return LINE_NONE;
}
