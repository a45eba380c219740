/*
 * tests/host/test_keymap.c - host unit tests for the scan code decoder
 * (kernel/console/keymap.c): letters, digits and punctuation with Shift
 * and Caps Lock, Ctrl and Alt, Enter, Backspace, Tab, Escape, the E0
 * keys (arrows, right Ctrl, keypad Enter and /), the keypad with and
 * without Num Lock, typematic repeats, the Pause sequence, unknown codes
 * and the keyboard's replies; the decoder feeding the line editor; and
 * random key presses against a model keyboard written here from the
 * scan code tables, plus random bytes against the decoder's invariants.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "../../kernel/console/keymap.c"
#include "../../kernel/monitor/line.c"

static struct keymap_state km;
static char got[1 << 20];
static size_t got_len;
static unsigned long unknown;

static int setup(void **state)
{
	(void)state;
	keymap_init(&km);
	got_len = 0;
	got[0] = '\0';
	unknown = 0;
	return 0;
}

/* Feed n codes; what they sent is appended to got. */
static void feed_codes(const uint8_t *codes, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char out[KEYMAP_MAX_OUT + 8];
		int r;

		memset(out, 0x55, sizeof(out));
		r = keymap_feed(&km, codes[i], out);
		if (r == KEYMAP_UNKNOWN) {
			unknown++;
			continue;
		}
		assert_in_range(r, 0, KEYMAP_MAX_OUT);
		/* Nothing written past what it says it wrote. */
		for (size_t j = (size_t)r; j < sizeof(out); j++)
			assert_int_equal((unsigned char)out[j], 0x55);
		assert_true(got_len + (size_t)r < sizeof(got));
		memcpy(got + got_len, out, (size_t)r);
		got_len += (size_t)r;
		got[got_len] = '\0';
	}
}

#define FEED(...)							\
	do {								\
		const uint8_t __c[] = { __VA_ARGS__ };			\
		feed_codes(__c, sizeof(__c));				\
	} while (0)

/* Press and release, set 1: make, then make | 0x80. */
#define TAP(code)	FEED(code, (code) | 0x80)

#define LSHIFT		0x2a
#define RSHIFT		0x36
#define LCTRL		0x1d
#define LALT		0x38
#define CAPS		0x3a
#define NUMLOCK		0x45
#define KEY_A		0x1e
#define KEY_C		0x2e
#define KEY_U		0x16

static void test_letters_and_shift(void **state)
{
	(void)state;
	TAP(KEY_A);
	FEED(LSHIFT, KEY_A, KEY_A | 0x80, LSHIFT | 0x80);
	FEED(RSHIFT, 0x30, 0xb0, RSHIFT | 0x80);		/* B */
	/* Both Shifts down, one let go: still shifted. */
	FEED(LSHIFT, RSHIFT, LSHIFT | 0x80, 0x2e, 0xae, RSHIFT | 0x80);
	TAP(0x2c);						/* z */
	assert_string_equal(got, "aABCz");
	assert_int_equal(km.held, 0);
	assert_int_equal(unknown, 0);
}

/* The non-letter keys, plain and shifted, from the spec's table. */
static const struct {
	uint8_t code;
	char plain, shifted;
} punctuation[] = {
	{ 0x02, '1', '!' }, { 0x03, '2', '@' }, { 0x04, '3', '#' },
	{ 0x05, '4', '$' }, { 0x06, '5', '%' }, { 0x07, '6', '^' },
	{ 0x08, '7', '&' }, { 0x09, '8', '*' }, { 0x0a, '9', '(' },
	{ 0x0b, '0', ')' }, { 0x0c, '-', '_' }, { 0x0d, '=', '+' },
	{ 0x1a, '[', '{' }, { 0x1b, ']', '}' }, { 0x27, ';', ':' },
	{ 0x28, '\'', '"' }, { 0x29, '`', '~' }, { 0x2b, '\\', '|' },
	{ 0x33, ',', '<' }, { 0x34, '.', '>' }, { 0x35, '/', '?' },
	{ 0x39, ' ', ' ' },
};

static void test_digits_and_punctuation(void **state)
{
	(void)state;
	for (size_t i = 0; i < ARRAY_SIZE(punctuation); i++) {
		got_len = 0;
		TAP(punctuation[i].code);
		FEED(LSHIFT, punctuation[i].code, punctuation[i].code | 0x80,
		     LSHIFT | 0x80);
		assert_int_equal(got_len, 2);
		assert_int_equal(got[0], punctuation[i].plain);
		assert_int_equal(got[1], punctuation[i].shifted);
	}
	/* Caps Lock leaves them alone. */
	TAP(CAPS);
	got_len = 0;
	TAP(0x02);
	TAP(0x0c);
	got[got_len] = '\0';
	assert_string_equal(got, "1-");
}

static void test_caps_lock(void **state)
{
	(void)state;
	assert_int_equal(keymap_leds(&km), KEYMAP_LED_NUM);
	TAP(CAPS);
	assert_int_equal(keymap_leds(&km), KEYMAP_LED_NUM | KEYMAP_LED_CAPS);
	TAP(KEY_A);
	FEED(LSHIFT, KEY_A, KEY_A | 0x80, LSHIFT | 0x80);	/* Shift undoes it */
	/* Held down, Caps Lock repeats: it toggles once. */
	FEED(CAPS, CAPS, CAPS | 0x80);
	TAP(KEY_A);
	assert_string_equal(got, "Aaa");
	assert_int_equal(keymap_leds(&km), KEYMAP_LED_NUM);
}

static void test_ctrl(void **state)
{
	(void)state;
	FEED(LCTRL, KEY_C, KEY_C | 0x80, LCTRL | 0x80);
	FEED(LCTRL, KEY_U, KEY_U | 0x80, LCTRL | 0x80);
	/* Right Ctrl: E0 1D. */
	FEED(0xe0, 0x1d, KEY_C, KEY_C | 0x80, 0xe0, 0x9d);
	/* Ctrl with Shift: still the control character. */
	FEED(LCTRL, LSHIFT, KEY_A, KEY_A | 0x80, LSHIFT | 0x80, LCTRL | 0x80);
	/* Ctrl-[ is ESC; Ctrl with a digit sends the digit. */
	FEED(LCTRL, 0x1a, 0x9a, 0x02, 0x82, LCTRL | 0x80);
	TAP(KEY_C);
	assert_int_equal(got_len, 7);
	assert_memory_equal(got, "\x03\x15\x03\x01\x1b" "1c", 7);
	assert_int_equal(km.held, 0);
}

static void test_alt_sends_esc_first(void **state)
{
	(void)state;
	FEED(LALT, 0x2d, 0xad, LALT | 0x80);		/* Alt-x */
	FEED(0xe0, 0x38, 0x2d, 0xad, 0xe0, 0xb8);	/* AltGr-x */
	TAP(0x2d);
	assert_string_equal(got, "\x1bx\x1bxx");
}

static void test_enter_backspace_tab_escape(void **state)
{
	(void)state;
	TAP(0x1c);			/* Enter */
	FEED(0xe0, 0x1c, 0xe0, 0x9c);	/* keypad Enter */
	TAP(0x0e);			/* Backspace */
	TAP(0x0f);			/* Tab */
	TAP(0x01);			/* Escape */
	FEED(0xe0, 0x35, 0xe0, 0xb5);	/* keypad / */
	TAP(0x37);			/* keypad * */
	assert_string_equal(got, "\r\r\x7f\t\x1b/*");
}

static void test_arrows_and_navigation(void **state)
{
	(void)state;
	FEED(0xe0, 0x48, 0xe0, 0xc8);	/* up */
	FEED(0xe0, 0x50, 0xe0, 0xd0);	/* down */
	FEED(0xe0, 0x4d, 0xe0, 0xcd);	/* right */
	FEED(0xe0, 0x4b, 0xe0, 0xcb);	/* left */
	FEED(0xe0, 0x47, 0xe0, 0x4f, 0xe0, 0x52, 0xe0, 0x53, 0xe0, 0x49,
	     0xe0, 0x51);		/* Home End Insert Delete PgUp PgDn */
	assert_string_equal(got, "\x1b[A\x1b[B\x1b[C\x1b[D"
				 "\x1b[H\x1b[F\x1b[2~\x1b[3~\x1b[5~\x1b[6~");
}

/* With Shift held, a keyboard wraps an arrow in a fake Shift release and
 * press (E0 AA ... E0 2A): Shift must stay what is really held. */
static void test_fake_shifts_ignored(void **state)
{
	(void)state;
	FEED(LSHIFT, 0xe0, 0xaa, 0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x2a);
	TAP(KEY_A);
	FEED(LSHIFT | 0x80);
	/* Print Screen: E0 2A E0 37, released E0 B7 E0 AA. */
	FEED(0xe0, 0x2a, 0xe0, 0x37, 0xe0, 0xb7, 0xe0, 0xaa);
	TAP(KEY_A);
	assert_string_equal(got, "\x1b[AAa");
	assert_int_equal(km.held, 0);
	assert_int_equal(unknown, 0);
}

static void test_keypad_and_num_lock(void **state)
{
	(void)state;
	for (uint8_t code = 0x47; code <= 0x53; code++)
		TAP(code);
	assert_string_equal(got, "789-456+1230.");
	TAP(NUMLOCK);
	assert_int_equal(keymap_leds(&km), 0);
	got_len = 0;
	TAP(0x48);		/* 8: up */
	TAP(0x4c);		/* 5: nothing */
	TAP(0x4a);		/* - stays */
	TAP(0x53);		/* .: Delete */
	got[got_len] = '\0';
	assert_string_equal(got, "\x1b[A-\x1b[3~");
	FEED(NUMLOCK, NUMLOCK, NUMLOCK | 0x80);	/* held: one toggle */
	assert_int_equal(keymap_leds(&km), KEYMAP_LED_NUM);
}

/* Typematic repeat: a held key sends its make code again and again. */
static void test_repeat(void **state)
{
	(void)state;
	FEED(KEY_A, KEY_A, KEY_A, KEY_A | 0x80);
	FEED(LSHIFT, LSHIFT, LSHIFT, 0x30, 0x30, 0xb0, LSHIFT | 0x80);
	FEED(0xe0, 0x48, 0xe0, 0x48, 0xe0, 0xc8);
	assert_string_equal(got, "aaaBB\x1b[A\x1b[A");
}

/* Pause sends E1 1D 45 E1 9D C5: the 1D must not become Ctrl. */
static void test_pause_skipped_whole(void **state)
{
	(void)state;
	FEED(0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5);
	TAP(KEY_C);
	assert_string_equal(got, "c");
	assert_int_equal(km.held, 0);
	assert_int_equal(keymap_leds(&km), KEYMAP_LED_NUM);	/* 45: not Num Lock */
	/* Ctrl + Pause is Break: E0 46 E0 C6. */
	FEED(LCTRL, 0xe0, 0x46, 0xe0, 0xc6, LCTRL | 0x80);
	assert_string_equal(got, "c");
	assert_int_equal(unknown, 0);
}

static void test_unknown_codes_counted_and_dropped(void **state)
{
	char out[KEYMAP_MAX_OUT];

	(void)state;
	FEED(0xe0, 0x10, 0xe0, 0x90);	/* previous track */
	FEED(0x59, 0xd9);		/* nothing there in set 1 */
	FEED(0xe0, 0x02);
	assert_int_equal(unknown, 5);
	assert_int_equal(got_len, 0);
	/* An unknown code after E0 does not leave the prefix behind. */
	assert_int_equal(keymap_feed(&km, 0xe0, out), 0);
	assert_int_equal(keymap_feed(&km, 0x10, out), KEYMAP_UNKNOWN);
	TAP(0x48);
	assert_string_equal(got, "8");
}

/* ACK, resend, echo, errors: not keys.  0xAA is left Shift's release
 * (as well as the keyboard's self-test passed): it must release. */
static void test_replies_are_not_keys(void **state)
{
	(void)state;
	FEED(0xfa, 0xfe, 0xee, 0x00, 0xff, 0xfc, 0xfd);
	FEED(LSHIFT, 0xfa, KEY_A, 0x9e, 0xaa);
	TAP(KEY_A);
	assert_string_equal(got, "Aa");
	assert_int_equal(unknown, 0);
}

/* The decoder's bytes into the line editor: what a person types at the
 * keyboard becomes the monitor's line. */
static void editor_echo(void *ctx, const char *s, size_t len)
{
	(void)ctx;
	(void)s;
	(void)len;
}

static void test_into_the_line_editor(void **state)
{
	static struct line_editor ed;
	enum line_event ev = LINE_NONE;

	(void)state;
	line_init(&ed, "mkernel> ", editor_echo, NULL, NULL);
	/* l s m o x, Backspace, d, Enter */
	FEED(0x26, 0xa6, 0x1f, 0x9f, 0x32, 0xb2, 0x18, 0x98, 0x2d, 0xad,
	     0x0e, 0x8e, 0x20, 0xa0, 0x1c, 0x9c);
	for (size_t i = 0; i < got_len; i++)
		ev = line_feed(&ed, got[i]);
	assert_int_equal(ev, LINE_DONE);
	assert_string_equal(ed.buf, "lsmod");
	/* Up recalls it; keypad Enter runs it again. */
	got_len = 0;
	FEED(0xe0, 0x48, 0xe0, 0xc8, 0xe0, 0x1c, 0xe0, 0x9c);
	for (size_t i = 0; i < got_len; i++)
		ev = line_feed(&ed, got[i]);
	assert_int_equal(ev, LINE_DONE);
	assert_string_equal(ed.buf, "lsmod");
	/* Ctrl-C cancels. */
	got_len = 0;
	FEED(0x2d, 0xad, LCTRL, KEY_C, KEY_C | 0x80, LCTRL | 0x80);
	for (size_t i = 0; i < got_len; i++)
		ev = line_feed(&ed, got[i]);
	assert_int_equal(ev, LINE_CANCEL);
}

/*
 * The model: a keyboard written from the scan code tables, independent
 * of the decoder's.  Random presses (a held key pressed again is a
 * typematic repeat), releases, Pause, unknown keys and the keyboard's
 * ACKs are turned into set 1 bytes and fed; the model says what a
 * terminal should have received.
 */
enum model_kind { M_CHAR, M_BYTE, M_SEQ, M_KEYPAD, M_MOD, M_CAPS, M_NUM, M_SILENT };

static const struct model_key {
	uint8_t code;
	bool e0;
	enum model_kind kind;
	const char *sends;	/* CHAR: plain and shifted; SEQ, BYTE: bytes;
				 * KEYPAD: with Num Lock, then without */
	uint8_t mod;
} model_keys[] = {
	{ 0x1e, 0, M_CHAR, "aA", 0 }, { 0x30, 0, M_CHAR, "bB", 0 }, { 0x2e, 0, M_CHAR, "cC", 0 },
	{ 0x20, 0, M_CHAR, "dD", 0 }, { 0x12, 0, M_CHAR, "eE", 0 }, { 0x21, 0, M_CHAR, "fF", 0 },
	{ 0x22, 0, M_CHAR, "gG", 0 }, { 0x23, 0, M_CHAR, "hH", 0 }, { 0x17, 0, M_CHAR, "iI", 0 },
	{ 0x24, 0, M_CHAR, "jJ", 0 }, { 0x25, 0, M_CHAR, "kK", 0 }, { 0x26, 0, M_CHAR, "lL", 0 },
	{ 0x32, 0, M_CHAR, "mM", 0 }, { 0x31, 0, M_CHAR, "nN", 0 }, { 0x18, 0, M_CHAR, "oO", 0 },
	{ 0x19, 0, M_CHAR, "pP", 0 }, { 0x10, 0, M_CHAR, "qQ", 0 }, { 0x13, 0, M_CHAR, "rR", 0 },
	{ 0x1f, 0, M_CHAR, "sS", 0 }, { 0x14, 0, M_CHAR, "tT", 0 }, { 0x16, 0, M_CHAR, "uU", 0 },
	{ 0x2f, 0, M_CHAR, "vV", 0 }, { 0x11, 0, M_CHAR, "wW", 0 }, { 0x2d, 0, M_CHAR, "xX", 0 },
	{ 0x15, 0, M_CHAR, "yY", 0 }, { 0x2c, 0, M_CHAR, "zZ", 0 },
	{ 0x02, 0, M_CHAR, "1!", 0 }, { 0x03, 0, M_CHAR, "2@", 0 }, { 0x07, 0, M_CHAR, "6^", 0 },
	{ 0x0b, 0, M_CHAR, "0)", 0 }, { 0x0c, 0, M_CHAR, "-_", 0 }, { 0x0d, 0, M_CHAR, "=+", 0 },
	{ 0x1a, 0, M_CHAR, "[{", 0 }, { 0x2b, 0, M_CHAR, "\\|", 0 }, { 0x28, 0, M_CHAR, "'\"", 0 },
	{ 0x35, 0, M_CHAR, "/?", 0 }, { 0x39, 0, M_CHAR, "  ", 0 },
	{ 0x1c, 0, M_BYTE, "\r", 0 }, { 0x0e, 0, M_BYTE, "\x7f", 0 }, { 0x0f, 0, M_BYTE, "\t", 0 },
	{ 0x01, 0, M_BYTE, "\x1b", 0 }, { 0x1c, 1, M_BYTE, "\r", 0 }, { 0x35, 1, M_BYTE, "/", 0 },
	{ 0x48, 1, M_SEQ, "\x1b[A", 0 }, { 0x50, 1, M_SEQ, "\x1b[B", 0 },
	{ 0x4d, 1, M_SEQ, "\x1b[C", 0 }, { 0x4b, 1, M_SEQ, "\x1b[D", 0 },
	{ 0x53, 1, M_SEQ, "\x1b[3~", 0 },
	{ 0x48, 0, M_KEYPAD, "8\x1b[A", 0 }, { 0x4f, 0, M_KEYPAD, "1\x1b[F", 0 },
	{ 0x52, 0, M_KEYPAD, "0\x1b[2~", 0 }, { 0x4c, 0, M_KEYPAD, "5", 0 },
	{ 0x2a, 0, M_MOD, NULL, KEYMAP_LSHIFT }, { 0x36, 0, M_MOD, NULL, KEYMAP_RSHIFT },
	{ 0x1d, 0, M_MOD, NULL, KEYMAP_LCTRL }, { 0x1d, 1, M_MOD, NULL, KEYMAP_RCTRL },
	{ 0x38, 0, M_MOD, NULL, KEYMAP_LALT }, { 0x38, 1, M_MOD, NULL, KEYMAP_RALT },
	{ 0x3a, 0, M_CAPS, NULL, 0 }, { 0x45, 0, M_NUM, NULL, 0 },
	{ 0x3b, 0, M_SILENT, NULL, 0 }, { 0x58, 0, M_SILENT, NULL, 0 }, { 0x5b, 1, M_SILENT, NULL, 0 },
};
#define NR_MODEL_KEYS	ARRAY_SIZE(model_keys)

struct model {
	bool down[NR_MODEL_KEYS];
	bool caps, num;
	char want[1 << 20];
	size_t len;
};

static bool model_held(const struct model *m, uint8_t mods)
{
	for (size_t k = 0; k < NR_MODEL_KEYS; k++)
		if (m->down[k] && model_keys[k].kind == M_MOD && (model_keys[k].mod & mods))
			return true;
	return false;
}

static void model_send(struct model *m, const char *s, size_t n)
{
	assert_true(m->len + n < sizeof(m->want));
	memcpy(m->want + m->len, s, n);
	m->len += n;
}

static void model_char(struct model *m, char c)
{
	if (model_held(m, KEYMAP_CTRL)) {
		if (c >= 'a' && c <= 'z')
			c = (char)(c - 'a' + 'A');
		if (c == ' ')
			c = '@';
		if (strchr("@ABCDEFGHIJKLMNOPQRSTUVWXYZ[\\]^_", c))
			c = (char)(c - '@');
	}
	if (model_held(m, KEYMAP_ALT))
		model_send(m, "\x1b", 1);
	model_send(m, &c, 1);
}

static void model_press(struct model *m, size_t k)
{
	const struct model_key *key = &model_keys[k];
	bool was_down = m->down[k];
	bool shift;
	char c;

	m->down[k] = true;
	switch (key->kind) {
	case M_CHAR:
		shift = model_held(m, KEYMAP_SHIFT);
		c = key->sends[0];
		if (c >= 'a' && c <= 'z' && m->caps)
			shift = !shift;
		model_char(m, key->sends[shift]);
		break;
	case M_BYTE:
	case M_SEQ:
		model_send(m, key->sends, strlen(key->sends));
		break;
	case M_KEYPAD:
		if (m->num)
			model_char(m, key->sends[0]);
		else
			model_send(m, key->sends + 1, strlen(key->sends + 1));
		break;
	case M_CAPS:
		m->caps ^= !was_down;
		break;
	case M_NUM:
		m->num ^= !was_down;
		break;
	case M_MOD:
	case M_SILENT:
		break;
	}
}

static size_t put_code(uint8_t *codes, size_t n, const struct model_key *key, bool up)
{
	if (key->e0)
		codes[n++] = 0xe0;
	codes[n++] = key->code | (up ? 0x80 : 0);
	return n;
}

static void test_random_presses_against_model(void **state)
{
	static struct model m;
	unsigned int seed = 20240611;
	unsigned long want_unknown = 0;

	(void)state;
	srand(seed);
	m.num = true;
	for (int step = 0; step < 200000; step++) {
		uint8_t codes[8];
		size_t n = 0, k = (size_t)rand() % NR_MODEL_KEYS;
		int what = rand() % 100;

		if (what < 50) {
			n = put_code(codes, n, &model_keys[k], false);
			model_press(&m, k);
		} else if (what < 94) {
			/* Let a held key go, else the one picked. */
			for (size_t j = 0; j < NR_MODEL_KEYS; j++)
				if (m.down[(k + j) % NR_MODEL_KEYS]) {
					k = (k + j) % NR_MODEL_KEYS;
					break;
				}
			n = put_code(codes, n, &model_keys[k], true);
			m.down[k] = false;
		} else if (what < 96) {
			static const uint8_t pause[] = { 0xe1, 0x1d, 0x45, 0xe1, 0x9d, 0xc5 };

			memcpy(codes, pause, sizeof(pause));
			n = sizeof(pause);
		} else if (what < 98) {
			codes[n++] = 0xe0;	/* a multimedia key: unknown */
			codes[n++] = (uint8_t)(0x10 | (rand() % 2 ? 0x80 : 0));
			want_unknown++;
		} else {
			codes[n++] = 0xfa;	/* an ACK */
		}
		feed_codes(codes, n);
		assert_int_equal(got_len, m.len);
	}
	if (got_len != m.len || memcmp(got, m.want, m.len))
		fail_msg("seed %u: the decoder sent other bytes than the model", seed);
	assert_int_equal(unknown, want_unknown);
	assert_int_equal(keymap_leds(&km), (m.caps ? KEYMAP_LED_CAPS : 0) |
					   (m.num ? KEYMAP_LED_NUM : 0));
	/* Some of everything really happened. */
	assert_true(m.len > 50000);
	assert_true(memchr(m.want, 0x03, m.len) && memchr(m.want, 'Q', m.len));
}

/* Any bytes at all: within bounds, ASCII only, and once every modifier
 * is released nothing stays held. */
static void test_random_bytes_invariants(void **state)
{
	static const uint8_t release_all[] = {
		0x00, 0x00,	/* past any rest of a Pause sequence */
		0xaa, 0xb6, 0x9d, 0xb8, 0xe0, 0x9d, 0xe0, 0xb8,
	};
	unsigned int seed = 7;

	(void)state;
	srand(seed);
	for (int round = 0; round < 1000; round++) {
		for (int i = 0; i < 100; i++) {
			uint8_t code = (uint8_t)rand();
			struct keymap_state before = km;
			char out[KEYMAP_MAX_OUT];
			int r = keymap_feed(&km, code, out);

			assert_in_range(r + 1, 0, KEYMAP_MAX_OUT + 1);
			for (int j = 0; j < r; j++)
				assert_true((unsigned char)out[j] < 0x80);
			if (r == KEYMAP_UNKNOWN) {
				/* Nothing changes but the prefix is spent. */
				assert_int_equal(km.held, before.held);
				assert_int_equal(km.caps_lock, before.caps_lock);
				assert_int_equal(km.num_lock, before.num_lock);
				assert_false(km.e0);
			}
			assert_in_range(km.e1_skip, 0, E1_SEQ_REST);
		}
		feed_codes(release_all, sizeof(release_all));
		assert_int_equal(km.held, 0);
		got_len = 0;
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup(test_letters_and_shift, setup),
		cmocka_unit_test_setup(test_digits_and_punctuation, setup),
		cmocka_unit_test_setup(test_caps_lock, setup),
		cmocka_unit_test_setup(test_ctrl, setup),
		cmocka_unit_test_setup(test_alt_sends_esc_first, setup),
		cmocka_unit_test_setup(test_enter_backspace_tab_escape, setup),
		cmocka_unit_test_setup(test_arrows_and_navigation, setup),
		cmocka_unit_test_setup(test_fake_shifts_ignored, setup),
		cmocka_unit_test_setup(test_keypad_and_num_lock, setup),
		cmocka_unit_test_setup(test_repeat, setup),
		cmocka_unit_test_setup(test_pause_skipped_whole, setup),
		cmocka_unit_test_setup(test_unknown_codes_counted_and_dropped, setup),
		cmocka_unit_test_setup(test_replies_are_not_keys, setup),
		cmocka_unit_test_setup(test_into_the_line_editor, setup),
		cmocka_unit_test_setup(test_random_presses_against_model, setup),
		cmocka_unit_test_setup(test_random_bytes_invariants, setup),
	};

	return cmocka_run_group_tests_name("keymap", tests, NULL, NULL);
}
