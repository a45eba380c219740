/*
 * kernel/console/font.h - the 8x16 bitmap font the framebuffer console
 * draws with.
 *
 * The bitmaps are not written by hand: tools/pf2font.py reads GRUB's
 * Unifont (/usr/share/grub/unicode.pf2) at build time and writes
 * $(O)/font.c.  Each glyph is FONT_HEIGHT bytes, one per pixel row from the
 * top; bit 7 of a byte is the leftmost pixel.
 *
 * The console works in bytes, not Unicode, so a few characters beyond
 * ASCII get byte codes of their own (for the bars the module storm draws):
 *
 *	byte   code point  glyph          VGA text (code page 437)
 *	0x20..0x7e         ASCII          the same byte
 *	0x80   U+2588      full block     0xdb
 *	0x81   U+2591      light shade    0xb0
 *	0x82   U+2592      medium shade   0xb1
 *	0x83   U+2593      dark shade     0xb2
 *	0x84   U+2500      line, across   0xc4
 *	0x85   U+2502      line, down     0xb3
 *
 * Every other byte is drawn as U+FFFD, the replacement character.  The
 * same table lives in tools/pf2font.py (EXTRA), which tests/qemu/screen.py
 * uses to read the screen back; keep the two in step.
 */
#ifndef KERNEL_CONSOLE_FONT_H
#define KERNEL_CONSOLE_FONT_H

#include <stdint.h>

#define FONT_WIDTH		8
#define FONT_HEIGHT		16

#define FONT_ASCII_FIRST	0x20
#define FONT_ASCII_LAST		0x7e
#define FONT_ASCII_COUNT	(FONT_ASCII_LAST - FONT_ASCII_FIRST + 1)

#define FONT_FULL_BLOCK		0x80
#define FONT_LIGHT_SHADE	0x81
#define FONT_MEDIUM_SHADE	0x82
#define FONT_DARK_SHADE		0x83
#define FONT_HLINE		0x84
#define FONT_VLINE		0x85
#define FONT_EXTRA_FIRST	FONT_FULL_BLOCK
#define FONT_EXTRA_COUNT	6

extern const uint8_t font_ascii[FONT_ASCII_COUNT][FONT_HEIGHT];
extern const uint8_t font_extra[FONT_EXTRA_COUNT][FONT_HEIGHT];
extern const uint8_t font_replacement[FONT_HEIGHT];

/* The bitmap for byte code c: never NULL (the replacement if unknown). */
static inline const uint8_t *font_glyph(unsigned char c)
{
	if (c >= FONT_ASCII_FIRST && c <= FONT_ASCII_LAST)
		return font_ascii[c - FONT_ASCII_FIRST];
	if (c >= FONT_EXTRA_FIRST && c < FONT_EXTRA_FIRST + FONT_EXTRA_COUNT)
		return font_extra[c - FONT_EXTRA_FIRST];
	return font_replacement;
}

#endif
