/*
 * kernel/console/fbcon.h - the framebuffer console's drawing core, shared
 * by kernel/console/fbcon.c and its tests (kernel/console/console_test.c).
 *
 * Nothing here knows where the pixels live: struct fb_surface describes
 * any buffer laid out like a framebuffer (the real one, or a kmalloc'd
 * block in a test), and struct fbcon is a text grid drawn onto one.
 */
#ifndef KERNEL_CONSOLE_FBCON_H
#define KERNEL_CONSOLE_FBCON_H

#include <kernel/bootinfo.h>
#include <kernel/compiler.h>

/* A block of pixels: 'pitch' bytes from one row to the next. */
struct fb_surface {
	uint8_t *base;
	uint32_t pitch;
	uint32_t width, height;		/* pixels */
	uint8_t bytes_per_pixel;	/* 2, 3 or 4 */
	uint8_t red_pos, red_size;	/* bit position and width of each */
	uint8_t green_pos, green_size;	/* colour field within a pixel */
	uint8_t blue_pos, blue_size;
};

/*
 * A text grid on a surface.  'text' is what the screen should show,
 * 'shown' what the pixels show now: writing changes only 'text', and
 * fbcon_flush() draws the cells where the two differ.  So scrolling is a
 * memmove in RAM and the framebuffer is only ever written, never read.
 */
struct fbcon {
	struct fb_surface fb;
	unsigned int cols, rows;
	unsigned int x, y;		/* cursor: next cell to write */
	unsigned char *text;		/* cols * rows bytes, row after row */
	unsigned char *shown;
	uint32_t fg, bg;		/* packed pixel values */
	unsigned long cells_drawn;	/* for tests: work done by flushes */
};

/* NULL when the boot framebuffer can carry a console, else the reason. */
const char *fb_check(const struct boot_framebuffer *bf);

/* Fill a surface's geometry and colour layout from the boot framebuffer. */
void fb_surface_from_boot(struct fb_surface *s,
			  const struct boot_framebuffer *bf, uint8_t *base);

/* The pixel value for an 8-bit-per-channel colour, in the surface's layout. */
uint32_t fb_pack_colour(const struct fb_surface *s, uint8_t r, uint8_t g,
			uint8_t b);

void fb_put_pixel(const struct fb_surface *s, uint32_t x, uint32_t y,
		  uint32_t pixel);
uint32_t fb_get_pixel(const struct fb_surface *s, uint32_t x, uint32_t y);

/* Draw byte code c (font.h) in the cell at (col, row). */
void fbcon_draw_cell(const struct fb_surface *s, unsigned int col,
		     unsigned int row, unsigned char c, uint32_t fg, uint32_t bg);

/* Grid size for a surface: whole 8x16 cells only. */
static inline unsigned int fbcon_cols(const struct fb_surface *s)
{
	return s->width / 8;
}

static inline unsigned int fbcon_rows(const struct fb_surface *s)
{
	return s->height / 16;
}

/*
 * Start a console on 's' with grid buffers of fbcon_cols * fbcon_rows
 * bytes each; paints the whole surface in the background colour.
 */
void fbcon_setup(struct fbcon *fc, const struct fb_surface *s,
		 unsigned char *text, unsigned char *shown);

/* Put characters into the grid ('\n', '\r', '\t', '\b' are understood). */
void fbcon_putc(struct fbcon *fc, unsigned char c);
void fbcon_flush(struct fbcon *fc);
void fbcon_puts(struct fbcon *fc, const char *s, size_t len);

#endif
