/*
 * kernel/console/fbcon.c - text on a linear framebuffer.
 *
 * Under UEFI there is no VGA text mode: GRUB asks the firmware's Graphics
 * Output Protocol for a mode and hands us a framebuffer (multiboot2 spec,
 * 3.6.12 "Framebuffer info"): a block of memory where pixel (x, y) lies at
 * addr + y * pitch + x * bytes_per_pixel, its colour made of red, green and
 * blue fields at the bit positions and widths GRUB reports.  The console
 * draws each character from an 8x16 font (font.h) into that memory.
 *
 *   addr ->  +--------------- pitch bytes ----------------+
 *            | pixel 0 | pixel 1 | ... | pixel width-1 |pad|   row 0
 *            +---------+---------+-----+---------------+---+
 *            | ...                                         |   row 1 ...
 *
 *   32 bpp (GOP's usual):  xxxxxxxx rrrrrrrr gggggggg bbbbbbbb
 *   16 bpp (5:6:5):                          rrrrrggg gggbbbbb
 *
 * Reading a framebuffer back is very slow on real hardware (it sits behind
 * PCI and is mapped write-combining), so the console keeps the text grid
 * in RAM twice: what should be on screen, and what is.  Scrolling moves
 * the first in RAM; a flush redraws only the cells that differ.
 *
 * The drawing core (fb_*, fbcon_setup/putc/flush) works on any buffer and
 * is tested by kernel/console/console_test.c on buffers in RAM; the glue
 * at the end maps the real framebuffer and registers the console.
 *
 * Simplifications: one colour pair for the log (light grey on black; the
 * storm view's panel, console_panel_text(), has its own), no cursor, no
 * indexed-colour modes; cells that do not fill a whole 8x16 at the right
 * and bottom edges stay blank.
 */
#include <kernel/bootinfo.h>
#include <kernel/console.h>
#include <kernel/mm.h>
#include <kernel/printk.h>
#include <kernel/spinlock.h>
#include <kernel/string.h>

#include "fbcon.h"
#include "font.h"

/* ---- the drawing core: pure, over any buffer ------------------------- */

static bool field_ok(uint8_t pos, uint8_t size, unsigned int bits)
{
	return size > 0 && size <= 16 && pos + size <= bits;
}

const char *fb_check(const struct boot_framebuffer *bf)
{
	unsigned int bytes = bf->bpp / 8;

	if (bf->type == FB_TYPE_INDEXED)
		return "indexed colour is not supported";
	if (bf->type != FB_TYPE_RGB)
		return "not a direct-colour framebuffer";
	if (bf->bpp != 16 && bf->bpp != 24 && bf->bpp != 32)
		return "unsupported bits per pixel";
	if (bf->addr == 0)
		return "address is zero";
	if (bf->width < 8 || bf->height < 16)
		return "smaller than one character";
	if (bf->width > 16384 || bf->height > 16384)
		return "implausibly large";
	if (bf->pitch < (uint64_t)bf->width * bytes)
		return "pitch is smaller than a row of pixels";
	if (!field_ok(bf->red_pos, bf->red_size, bf->bpp) ||
	    !field_ok(bf->green_pos, bf->green_size, bf->bpp) ||
	    !field_ok(bf->blue_pos, bf->blue_size, bf->bpp))
		return "a colour field lies outside the pixel";
	return NULL;
}

void fb_surface_from_boot(struct fb_surface *s,
			  const struct boot_framebuffer *bf, uint8_t *base)
{
	s->base = base;
	s->pitch = bf->pitch;
	s->width = bf->width;
	s->height = bf->height;
	s->bytes_per_pixel = bf->bpp / 8;
	s->red_pos = bf->red_pos;
	s->red_size = bf->red_size;
	s->green_pos = bf->green_pos;
	s->green_size = bf->green_size;
	s->blue_pos = bf->blue_pos;
	s->blue_size = bf->blue_size;
}

/* Scale an 8-bit channel to 'size' bits and move it to 'pos'. */
static uint32_t pack_field(uint8_t v, uint8_t pos, uint8_t size)
{
	uint32_t scaled;

	if (size == 0)
		return 0;
	if (size >= 8)
		scaled = (uint32_t)v << (size - 8);
	else
		scaled = (uint32_t)v >> (8 - size);
	return scaled << pos;
}

uint32_t fb_pack_colour(const struct fb_surface *s, uint8_t r, uint8_t g,
			uint8_t b)
{
	return pack_field(r, s->red_pos, s->red_size) |
	       pack_field(g, s->green_pos, s->green_size) |
	       pack_field(b, s->blue_pos, s->blue_size);
}

static uint8_t *pixel_at(const struct fb_surface *s, uint32_t x, uint32_t y)
{
	return s->base + (size_t)y * s->pitch + (size_t)x * s->bytes_per_pixel;
}

/* Little-endian, as x86 stores it: byte 0 holds bits 0..7. */
static void store_pixel(uint8_t *p, unsigned int bytes, uint32_t pixel)
{
	switch (bytes) {
	case 4:
		*(uint32_t *)p = pixel;
		break;
	case 3:
		p[0] = (uint8_t)pixel;
		p[1] = (uint8_t)(pixel >> 8);
		p[2] = (uint8_t)(pixel >> 16);
		break;
	case 2:
		*(uint16_t *)p = (uint16_t)pixel;
		break;
	}
}

void fb_put_pixel(const struct fb_surface *s, uint32_t x, uint32_t y,
		  uint32_t pixel)
{
	store_pixel(pixel_at(s, x, y), s->bytes_per_pixel, pixel);
}

uint32_t fb_get_pixel(const struct fb_surface *s, uint32_t x, uint32_t y)
{
	const uint8_t *p = pixel_at(s, x, y);

	switch (s->bytes_per_pixel) {
	case 4:
		return *(const uint32_t *)p;
	case 3:
		return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16;
	case 2:
		return *(const uint16_t *)p;
	}
	return 0;
}

void fbcon_draw_cell(const struct fb_surface *s, unsigned int col,
		     unsigned int row, unsigned char c, uint32_t fg, uint32_t bg)
{
	const uint8_t *glyph = font_glyph(c);
	unsigned int bytes = s->bytes_per_pixel;

	for (unsigned int y = 0; y < FONT_HEIGHT; y++) {
		uint8_t *p = pixel_at(s, col * FONT_WIDTH, row * FONT_HEIGHT + y);
		uint8_t bits = glyph[y];

		for (unsigned int x = 0; x < FONT_WIDTH; x++, p += bytes)
			store_pixel(p, bytes, bits & (0x80 >> x) ? fg : bg);
	}
}

void fbcon_setup(struct fbcon *fc, const struct fb_surface *s,
		 unsigned char *text, unsigned char *shown)
{
	memset(fc, 0, sizeof(*fc));
	fc->fb = *s;
	fc->cols = fbcon_cols(s);
	fc->rows = fbcon_rows(s);
	fc->text = text;
	fc->shown = shown;
	fc->fg = fb_pack_colour(s, 0xaa, 0xaa, 0xaa);
	fc->bg = fb_pack_colour(s, 0x00, 0x00, 0x00);

	/* Whatever was there (GRUB's menu, the firmware's logo) goes. */
	for (uint32_t y = 0; y < s->height; y++)
		for (uint32_t x = 0; x < s->width; x++)
			fb_put_pixel(s, x, y, fc->bg);
	memset(text, ' ', (size_t)fc->cols * fc->rows);
	memset(shown, ' ', (size_t)fc->cols * fc->rows);
}

static void scroll_up(struct fbcon *fc)
{
	size_t line = fc->cols;

	memmove(fc->text, fc->text + line, line * (fc->rows - 1));
	memset(fc->text + line * (fc->rows - 1), ' ', line);
}

static void new_line(struct fbcon *fc)
{
	fc->x = 0;
	if (fc->y + 1 < fc->rows)
		fc->y++;
	else
		scroll_up(fc);
}

void fbcon_putc(struct fbcon *fc, unsigned char c)
{
	switch (c) {
	case '\n':
		new_line(fc);
		return;
	case '\r':
		fc->x = 0;
		return;
	case '\b':
		if (fc->x > 0)
			fc->x--;
		return;
	case '\t':
		do
			fbcon_putc(fc, ' ');
		while (fc->x % 8 && fc->x < fc->cols);
		return;
	}
	/* A full line wraps only when the next character comes, so a line of
	 * exactly 'cols' characters followed by '\n' does not leave a blank. */
	if (fc->x >= fc->cols)
		new_line(fc);
	fc->text[(size_t)fc->y * fc->cols + fc->x] = c;
	fc->x++;
}

void fbcon_flush(struct fbcon *fc)
{
	for (unsigned int row = 0; row < fc->rows; row++) {
		size_t base = (size_t)row * fc->cols;

		for (unsigned int col = 0; col < fc->cols; col++) {
			unsigned char c = fc->text[base + col];

			if (fc->shown[base + col] == c)
				continue;
			fbcon_draw_cell(&fc->fb, col, row, c, fc->fg, fc->bg);
			fc->shown[base + col] = c;
			fc->cells_drawn++;
		}
	}
}

void fbcon_puts(struct fbcon *fc, const char *s, size_t len)
{
	for (size_t i = 0; i < len; i++)
		fbcon_putc(fc, (unsigned char)s[i]);
	fbcon_flush(fc);
}

/* ---- the glue: the boot framebuffer as a console --------------------- */

static struct fbcon fb_console_state;
static bool fb_console_up;

/*
 * The live panel (console_panel_*): while it is open the log goes on
 * filling its grid but is not drawn, and the panel owns the pixels; on
 * close every cell is drawn again.  fb_lock orders the two writers
 * (printk's, under console_lock, and the panel's).
 */
static DEFINE_SPINLOCK(fb_lock);
static bool fb_panel_open;

/* Called by printk under console_lock: must not printk. */
static void fbcon_write(struct console *con, const char *s, size_t len)
{
	unsigned long flags;

	(void)con;
	flags = spin_lock_irqsave(&fb_lock);
	if (fb_panel_open) {
		for (size_t i = 0; i < len; i++)
			fbcon_putc(&fb_console_state, (unsigned char)s[i]);
	} else {
		fbcon_puts(&fb_console_state, s, len);
	}
	spin_unlock_irqrestore(&fb_lock, flags);
}

static const uint8_t panel_rgb[PANEL_NR_COLOURS][3] = {
	[PANEL_GREY] = { 0xaa, 0xaa, 0xaa },
	[PANEL_WHITE] = { 0xff, 0xff, 0xff },
	[PANEL_CYAN] = { 0x55, 0xff, 0xff },
	[PANEL_YELLOW] = { 0xff, 0xff, 0x55 },
	[PANEL_MAGENTA] = { 0xff, 0x55, 0xff },
	[PANEL_BLUE] = { 0x55, 0x55, 0xff },
	[PANEL_GREEN] = { 0x55, 0xff, 0x55 },
	[PANEL_RED] = { 0xff, 0x55, 0x55 },
	[PANEL_BROWN] = { 0xaa, 0x55, 0x00 },
};

bool console_panel_open(unsigned int *cols, unsigned int *rows)
{
	struct fbcon *fc = &fb_console_state;
	unsigned long flags;

	if (!fb_console_up)
		return false;
	flags = spin_lock_irqsave(&fb_lock);
	fb_panel_open = true;
	for (unsigned int r = 0; r < fc->rows; r++)
		for (unsigned int c = 0; c < fc->cols; c++)
			fbcon_draw_cell(&fc->fb, c, r, ' ', fc->fg, fc->bg);
	spin_unlock_irqrestore(&fb_lock, flags);
	*cols = fc->cols;
	*rows = fc->rows;
	return true;
}

void console_panel_text(unsigned int row, unsigned int col, const char *text,
			enum panel_colour colour, bool inverse)
{
	struct fbcon *fc = &fb_console_state;
	const uint8_t *rgb = panel_rgb[colour < PANEL_NR_COLOURS ? colour : 0];
	uint32_t fg = fb_pack_colour(&fc->fb, rgb[0], rgb[1], rgb[2]);
	unsigned long flags;

	if (!fb_panel_open || row >= fc->rows)
		return;
	flags = spin_lock_irqsave(&fb_lock);
	for (; *text && col < fc->cols; text++, col++)
		fbcon_draw_cell(&fc->fb, col, row, (unsigned char)*text,
				inverse ? fc->bg : fg, inverse ? fg : fc->bg);
	spin_unlock_irqrestore(&fb_lock, flags);
}

void console_panel_close(void)
{
	struct fbcon *fc = &fb_console_state;
	unsigned long flags;

	if (!fb_panel_open)
		return;
	flags = spin_lock_irqsave(&fb_lock);
	fb_panel_open = false;
	/* Nothing on screen is the log's any more: draw every cell. */
	memset(fc->shown, 0, (size_t)fc->cols * fc->rows);
	fbcon_flush(fc);
	spin_unlock_irqrestore(&fb_lock, flags);
}

static struct console fb_console = {
	.name = "fbcon",
	.write = fbcon_write,
};

bool fbcon_init(void)
{
	const struct boot_framebuffer *bf = &boot_info.fb;
	struct fb_surface surface;
	const char *why;
	unsigned char *grids;
	size_t cells, size;
	uint8_t *base;

	if (!boot_info.has_framebuffer || bf->type == FB_TYPE_EGA_TEXT)
		return false;	/* nothing for us; VGA text may take it */
	why = fb_check(bf);
	if (why) {
		pr_warn("console: framebuffer %ux%ux%u type %u at %#lx not used: %s\n",
			bf->width, bf->height, bf->bpp, bf->type,
			(unsigned long)bf->addr, why);
		return false;
	}

	size = (size_t)bf->pitch * bf->height;
	base = ioremap_wc(bf->addr, size);
	if (!base) {
		pr_err("console: cannot map the framebuffer at %#lx (%zu bytes)\n",
		       (unsigned long)bf->addr, size);
		return false;
	}
	fb_surface_from_boot(&surface, bf, base);
	cells = (size_t)fbcon_cols(&surface) * fbcon_rows(&surface);
	grids = kmalloc(2 * cells);
	if (!grids) {
		pr_err("console: no memory for a %zu-cell text grid\n", cells);
		goto err_unmap;
	}

	fbcon_setup(&fb_console_state, &surface, grids, grids + cells);
	register_console(&fb_console);
	fb_console_up = true;
	pr_notice("console: framebuffer %ux%ux%u at %#lx, %ux%u characters, pitch %u\n",
		bf->width, bf->height, bf->bpp, (unsigned long)bf->addr,
		fb_console_state.cols, fb_console_state.rows, bf->pitch);
	return true;

err_unmap:
	iounmap(base);
	return false;
}
