/*
 * kernel/console/vga.c - the VGA text console at 0xb8000.
 *
 * A PC booted through its BIOS starts in VGA text mode 3: 80 columns by 25
 * rows, the characters held in memory at physical 0xb8000 as two bytes per
 * cell, row after row (IBM VGA Technical Reference, "alphanumeric modes"):
 *
 *   0xb8000: | char | attr | char | attr | ...   160 bytes per row
 *              byte 0: code page 437 character
 *              byte 1: colour, background (bits 4..6) and foreground (0..3)
 *
 * The blinking cursor is not in that memory: it is a cell index in the CRT
 * controller's registers 0x0e (high) and 0x0f (low), reached by writing the
 * register number to port 0x3d4 and the value to 0x3d5.
 *
 * Under UEFI there is no text mode at all and 0xb8000 may be plain RAM or
 * nothing, so this console runs only when GRUB reported EGA text, or on a
 * BIOS boot that reported no framebuffer (the standard 80x25 then).
 *
 * Like fbcon.c, the grid is kept in RAM ('cells'); a write updates it and
 * then copies out the cells that changed, so scrolling never reads the
 * (slow, uncached) video memory back.
 *
 * Simplifications: one colour (light grey on black); the few box and block
 * byte codes of font.h are translated to code page 437, any other byte
 * outside ASCII becomes '?'.
 */
#include <kernel/bootinfo.h>
#include <kernel/console.h>
#include <kernel/io.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/string.h>

#include "font.h"

#define VGA_TEXT_PHYS		0xb8000
#define VGA_TEXT_WINDOW		0x8000	/* 0xb8000..0xbffff */
#define VGA_MAX_CELLS		(VGA_TEXT_WINDOW / 2)
#define VGA_ATTR		0x07	/* light grey on black */
#define VGA_BLANK		((uint16_t)(VGA_ATTR << 8 | ' '))

#define CRTC_INDEX		0x3d4
#define CRTC_DATA		0x3d5
#define CRTC_CURSOR_START	0x0a
#define CRTC_CURSOR_END		0x0b
#define CRTC_CURSOR_HIGH	0x0e
#define CRTC_CURSOR_LOW		0x0f

struct vga_text {
	volatile uint16_t *mem;		/* the video memory, row after row */
	unsigned int cols, rows;
	unsigned int pitch_cells;	/* cells from one row to the next */
	unsigned int x, y;
	uint16_t cells[VGA_MAX_CELLS];	/* what should be on screen */
	uint16_t shown[VGA_MAX_CELLS];	/* what video memory holds */
};

static struct vga_text vga;

/* font.h byte codes to code page 437, the VGA's character set. */
static uint8_t to_cp437(unsigned char c)
{
	static const uint8_t extra[FONT_EXTRA_COUNT] = {
		[FONT_FULL_BLOCK - FONT_EXTRA_FIRST] = 0xdb,
		[FONT_LIGHT_SHADE - FONT_EXTRA_FIRST] = 0xb0,
		[FONT_MEDIUM_SHADE - FONT_EXTRA_FIRST] = 0xb1,
		[FONT_DARK_SHADE - FONT_EXTRA_FIRST] = 0xb2,
		[FONT_HLINE - FONT_EXTRA_FIRST] = 0xc4,
		[FONT_VLINE - FONT_EXTRA_FIRST] = 0xb3,
	};

	if (c >= FONT_ASCII_FIRST && c <= FONT_ASCII_LAST)
		return c;
	if (c >= FONT_EXTRA_FIRST && c < FONT_EXTRA_FIRST + FONT_EXTRA_COUNT)
		return extra[c - FONT_EXTRA_FIRST];
	return '?';
}

static void crtc_write(uint8_t reg, uint8_t val)
{
	outb(CRTC_INDEX, reg);
	outb(CRTC_DATA, val);
}

static void vga_move_cursor(void)
{
	unsigned int x = vga.x < vga.cols ? vga.x : vga.cols - 1;
	uint16_t pos = (uint16_t)(vga.y * vga.pitch_cells + x);

	crtc_write(CRTC_CURSOR_HIGH, pos >> 8);
	crtc_write(CRTC_CURSOR_LOW, pos & 0xff);
}

static void vga_new_line(void)
{
	vga.x = 0;
	if (vga.y + 1 < vga.rows) {
		vga.y++;
		return;
	}
	memmove(vga.cells, vga.cells + vga.cols,
		sizeof(uint16_t) * vga.cols * (vga.rows - 1));
	for (unsigned int i = 0; i < vga.cols; i++)
		vga.cells[vga.cols * (vga.rows - 1) + i] = VGA_BLANK;
}

static void vga_putc(unsigned char c)
{
	switch (c) {
	case '\n':
		vga_new_line();
		return;
	case '\r':
		vga.x = 0;
		return;
	case '\b':
		if (vga.x > 0)
			vga.x--;
		return;
	case '\t':
		do
			vga_putc(' ');
		while (vga.x % 8 && vga.x < vga.cols);
		return;
	}
	if (vga.x >= vga.cols)
		vga_new_line();
	vga.cells[vga.y * vga.cols + vga.x] = VGA_ATTR << 8 | to_cp437(c);
	vga.x++;
}

static void vga_flush(void)
{
	for (unsigned int row = 0; row < vga.rows; row++) {
		for (unsigned int col = 0; col < vga.cols; col++) {
			unsigned int i = row * vga.cols + col;

			if (vga.shown[i] == vga.cells[i])
				continue;
			vga.mem[row * vga.pitch_cells + col] = vga.cells[i];
			vga.shown[i] = vga.cells[i];
		}
	}
}

/* Called by printk under console_lock: must not printk. */
static void vga_write(struct console *con, const char *s, size_t len)
{
	(void)con;
	for (size_t i = 0; i < len; i++)
		vga_putc((unsigned char)s[i]);
	vga_flush();
	vga_move_cursor();
}

static struct console vga_console = {
	.name = "vga",
	.write = vga_write,
};

bool vga_text_init(void)
{
	const struct boot_framebuffer *bf = &boot_info.fb;
	uint64_t phys = VGA_TEXT_PHYS;
	unsigned int cols = 80, rows = 25, pitch = 160;

	if (boot_info.has_framebuffer) {
		if (bf->type != FB_TYPE_EGA_TEXT)
			return false;	/* a graphics mode: fbcon's */
		phys = bf->addr;
		cols = bf->width;
		rows = bf->height;
		pitch = bf->pitch;
	} else if (boot_info.efi) {
		return false;		/* UEFI: no text mode to write to */
	}
	if (cols == 0 || rows == 0 || pitch < cols * 2 || pitch % 2 ||
	    (uint64_t)pitch * rows > VGA_TEXT_WINDOW || phys < VGA_TEXT_PHYS ||
	    phys + (uint64_t)pitch * rows > VGA_TEXT_PHYS + VGA_TEXT_WINDOW) {
		pr_warn("console: EGA text %ux%u pitch %u at %#lx not used: outside the VGA text window\n",
			cols, rows, pitch, (unsigned long)phys);
		return false;
	}

	vga.mem = phys_to_virt(phys);
	vga.cols = cols;
	vga.rows = rows;
	vga.pitch_cells = pitch / 2;
	vga.x = vga.y = 0;
	for (unsigned int i = 0; i < cols * rows; i++) {
		vga.cells[i] = VGA_BLANK;
		vga.shown[i] = VGA_BLANK;
	}
	/* Clear what the BIOS and GRUB left, and show an underline cursor. */
	for (unsigned int row = 0; row < rows; row++)
		for (unsigned int col = 0; col < cols; col++)
			vga.mem[row * vga.pitch_cells + col] = VGA_BLANK;
	crtc_write(CRTC_CURSOR_START, 14);
	crtc_write(CRTC_CURSOR_END, 15);
	vga_move_cursor();

	register_console(&vga_console);
	pr_notice("console: VGA text %ux%u\n", cols, rows);
	return true;
}
