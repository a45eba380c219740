/*
 * include/kernel/keymap.h - PS/2 scan code set 1 into the bytes a
 * terminal would send, for the line editor (include/kernel/line.h).
 *
 * Pure (kernel/console/keymap.c, tested on the host by
 * tests/host/test_keymap.c): no hardware, no globals; all it knows is in
 * one struct keymap_state, fed one byte at a time.
 *
 * Scan code set 1 (what the i8042 delivers once it translates, and what
 * the IBM PC/XT keyboard sent): a key's make code when pressed, again at
 * the typematic rate while held, and make | 0x80 (its break code) when
 * released.  Keys added with the 101-key keyboard (arrows, right Ctrl,
 * keypad Enter) send 0xE0 first; Pause sends E1 1D 45 E1 9D C5 at once
 * and nothing when released.
 *
 *	letters, digits,	US layout, Shift (either), Caps Lock (letters
 *	  punctuation		  only; Shift undoes it)
 *	Ctrl + letter		0x01 - 0x1a (Ctrl-C 0x03, Ctrl-U 0x15); Ctrl
 *				  with @ [ \ ] ^ _ gives 0x00, 0x1b - 0x1f
 *	Alt + character		ESC, then the character (a terminal's Meta)
 *	Enter, keypad Enter	'\r'
 *	Backspace		0x7f (DEL, as a Linux console sends)
 *	Tab, Escape		'\t', 0x1b
 *	arrows			ESC [ A (up), B (down), C (right), D (left)
 *	Home, End		ESC [ H, ESC [ F
 *	Insert, Delete,		ESC [ 2 ~, 3 ~, 5 ~, 6 ~ (VT220)
 *	  Page Up, Page Down
 *	keypad			digits and '.' with Num Lock on (the start),
 *				  the navigation keys above with it off;
 *				  / * - + always
 *	F1-F12, Scroll Lock,	known, nothing sent
 *	  Windows keys, Menu,
 *	  Print Screen, Pause
 *
 * A code no row lists (a multimedia key, say) is unknown: keymap_feed()
 * says so and it changes nothing.  The keyboard's own replies (ACK 0xFA,
 * resend 0xFE, echo 0xEE, errors 0x00 and 0xFF, failed self-test 0xFC
 * and 0xFD) are not keys either: nothing sent, nothing counted.
 */
#ifndef KERNEL_KEYMAP_H
#define KERNEL_KEYMAP_H

#include <kernel/compiler.h>

/* The most one code sends: ESC [ 3 ~. */
#define KEYMAP_MAX_OUT	4
/* keymap_feed()'s answer for a code it does not know. */
#define KEYMAP_UNKNOWN	(-1)

/* Modifier keys held now (keymap_state.held). */
#define KEYMAP_LSHIFT	0x01
#define KEYMAP_RSHIFT	0x02
#define KEYMAP_LCTRL	0x04
#define KEYMAP_RCTRL	0x08
#define KEYMAP_LALT	0x10
#define KEYMAP_RALT	0x20
#define KEYMAP_SHIFT	(KEYMAP_LSHIFT | KEYMAP_RSHIFT)
#define KEYMAP_CTRL	(KEYMAP_LCTRL | KEYMAP_RCTRL)
#define KEYMAP_ALT	(KEYMAP_LALT | KEYMAP_RALT)

/* The keyboard's LEDs, in the bit order of its command 0xED. */
#define KEYMAP_LED_SCROLL	0x01
#define KEYMAP_LED_NUM		0x02
#define KEYMAP_LED_CAPS		0x04

struct keymap_state {
	uint8_t held;		/* KEYMAP_LSHIFT ... */
	bool caps_lock;
	bool num_lock;
	bool caps_down;		/* Caps Lock held: its repeats do not toggle */
	bool num_down;
	bool e0;		/* the last byte was the prefix 0xE0 */
	uint8_t e1_skip;	/* bytes of an E1 sequence still to come */
};

/* Nothing held, Caps Lock off, Num Lock on (as a PC's BIOS leaves it). */
void keymap_init(struct keymap_state *km);
/*
 * One byte from the keyboard.  Returns how many bytes it wrote to out
 * (0 for a prefix, a release, a modifier, a key that sends nothing), or
 * KEYMAP_UNKNOWN for a code it does not know (out untouched).
 */
int keymap_feed(struct keymap_state *km, uint8_t code,
		char out[KEYMAP_MAX_OUT]);
/* What the lock keys' LEDs should show (KEYMAP_LED_*). */
uint8_t keymap_leds(const struct keymap_state *km);

#endif
