/*
 * kernel/console/console_test.c - KTAP suite "console": the framebuffer
 * console's drawing core, on small framebuffers made in RAM.
 *
 * Nothing here touches the screen: each test builds a struct fb_surface
 * over a kmalloc'd buffer (with a pitch wider than a row, and a guard byte
 * pattern in the padding), draws into it with the same code the real
 * console uses, and reads the pixels back.  Run with ktest=console.
 */
#include <kernel/ktest.h>
#include <kernel/mm.h>
#include <kernel/string.h>

#include "fbcon.h"
#include "font.h"

#define GUARD	0x5a	/* fills the pitch padding: must never change */
#define PAD	12	/* bytes of padding after each row */

/* A w x h surface of 'bytes' per pixel, 8:8:8 or 5:6:5, in RAM. */
static bool make_surface(struct fb_surface *s, uint32_t w, uint32_t h,
			 uint8_t bytes)
{
	memset(s, 0, sizeof(*s));
	s->width = w;
	s->height = h;
	s->bytes_per_pixel = bytes;
	s->pitch = w * bytes + PAD;
	if (bytes == 2) {
		s->red_pos = 11, s->red_size = 5;
		s->green_pos = 5, s->green_size = 6;
		s->blue_pos = 0, s->blue_size = 5;
	} else {
		s->red_pos = 16, s->red_size = 8;
		s->green_pos = 8, s->green_size = 8;
		s->blue_pos = 0, s->blue_size = 8;
	}
	s->base = kmalloc((size_t)s->pitch * h);
	if (!s->base)
		return false;
	memset(s->base, GUARD, (size_t)s->pitch * h);
	return true;
}

static bool padding_intact(const struct fb_surface *s)
{
	for (uint32_t y = 0; y < s->height; y++)
		for (uint32_t i = s->width * s->bytes_per_pixel; i < s->pitch; i++)
			if (s->base[(size_t)y * s->pitch + i] != GUARD)
				return false;
	return true;
}

/* Does the cell at (col, row) show glyph c in fg on bg, pixel for pixel? */
static bool cell_shows(const struct fb_surface *s, unsigned int col,
		       unsigned int row, unsigned char c, uint32_t fg,
		       uint32_t bg)
{
	const uint8_t *glyph = font_glyph(c);

	for (unsigned int y = 0; y < FONT_HEIGHT; y++) {
		for (unsigned int x = 0; x < FONT_WIDTH; x++) {
			uint32_t want = glyph[y] & (0x80 >> x) ? fg : bg;

			if (fb_get_pixel(s, col * FONT_WIDTH + x,
					 row * FONT_HEIGHT + y) != want)
				return false;
		}
	}
	return true;
}

static void test_pack_colour(struct ktest *t)
{
	struct fb_surface s = {
		.bytes_per_pixel = 4,
		.red_pos = 16, .red_size = 8,
		.green_pos = 8, .green_size = 8,
		.blue_pos = 0, .blue_size = 8,
	};

	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0x12, 0x34, 0x56), 0x123456);
	/* BGR order, as some GOP modes report. */
	s.red_pos = 0;
	s.blue_pos = 16;
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0x12, 0x34, 0x56), 0x563412);
	/* 5:6:5: channels keep their top bits. */
	s.bytes_per_pixel = 2;
	s.red_pos = 11, s.red_size = 5;
	s.green_pos = 5, s.green_size = 6;
	s.blue_pos = 0, s.blue_size = 5;
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0xff, 0, 0), 0xf800);
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0, 0xff, 0), 0x07e0);
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0, 0, 0xff), 0x001f);
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0x80, 0x80, 0x80),
			0x10 << 11 | 0x20 << 5 | 0x10);
	/* 10-bit channels (30-bit colour): scaled up, not truncated. */
	s.red_pos = 20, s.red_size = 10;
	s.green_pos = 10, s.green_size = 10;
	s.blue_pos = 0, s.blue_size = 10;
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0xff, 0, 1), 0x3fcU << 20 | 4);
	KTEST_EXPECT_EQ(t, fb_pack_colour(&s, 0, 0, 0), 0);
}

static bool glyph_blank(const uint8_t *g)
{
	for (int y = 0; y < FONT_HEIGHT; y++)
		if (g[y])
			return false;
	return true;
}

static void test_glyph_lookup(struct ktest *t)
{
	const uint8_t *a = font_glyph('A');
	const uint8_t *block = font_glyph(FONT_FULL_BLOCK);
	int hline_rows = 0;

	KTEST_EXPECT_FALSE(t, glyph_blank(a));
	KTEST_EXPECT_TRUE(t, glyph_blank(font_glyph(' ')));
	KTEST_EXPECT_TRUE(t, memcmp(a, font_glyph('B'), FONT_HEIGHT) != 0);
	/* Bytes the font has no glyph for: the replacement, itself not blank. */
	KTEST_EXPECT_TRUE(t, font_glyph(0x01) == font_replacement);
	KTEST_EXPECT_TRUE(t, font_glyph(0x7f) == font_replacement);
	KTEST_EXPECT_TRUE(t, font_glyph(0xff) == font_replacement);
	KTEST_EXPECT_TRUE(t, font_glyph(FONT_VLINE + 1) == font_replacement);
	KTEST_EXPECT_FALSE(t, glyph_blank(font_replacement));
	/* The block characters are what they say. */
	for (int y = 0; y < FONT_HEIGHT; y++) {
		KTEST_EXPECT_EQ(t, block[y], 0xff);
		hline_rows += font_glyph(FONT_HLINE)[y] != 0;
	}
	KTEST_EXPECT_EQ(t, hline_rows, 1);
	KTEST_EXPECT_FALSE(t, glyph_blank(font_glyph(FONT_LIGHT_SHADE)));
	KTEST_EXPECT_TRUE(t, memcmp(font_glyph(FONT_LIGHT_SHADE),
				    font_glyph(FONT_DARK_SHADE), FONT_HEIGHT));
}

static void test_fb_check(struct ktest *t)
{
	const struct boot_framebuffer good = {
		.addr = 0xc0000000, .pitch = 4096, .width = 1024,
		.height = 768, .bpp = 32, .type = FB_TYPE_RGB,
		.red_pos = 16, .red_size = 8, .green_pos = 8,
		.green_size = 8, .blue_pos = 0, .blue_size = 8,
	};
	struct boot_framebuffer bf;

	KTEST_EXPECT_TRUE(t, fb_check(&good) == NULL);
	bf = good, bf.bpp = 24, bf.pitch = 3072;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) == NULL);
	bf = good, bf.width = 0;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.height = 15;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.pitch = 4092;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.bpp = 8;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.type = FB_TYPE_INDEXED;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.red_pos = 28;	/* 28 + 8 > 32 bits */
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.green_size = 0;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
	bf = good, bf.addr = 0;
	KTEST_EXPECT_TRUE(t, fb_check(&bf) != NULL);
}

/* One glyph at every supported depth, into a buffer with padded rows. */
static void test_draw_cell(struct ktest *t)
{
	static const uint8_t depths[] = { 4, 3, 2 };

	for (unsigned int i = 0; i < ARRAY_SIZE(depths); i++) {
		struct fb_surface s;
		uint32_t fg, bg;

		if (!make_surface(&s, 24, 32, depths[i])) {
			ktest_fail(t, __FILE__, __LINE__, "kmalloc failed");
			return;
		}
		fg = fb_pack_colour(&s, 0xaa, 0xbb, 0xcc);
		bg = fb_pack_colour(&s, 0x11, 0x22, 0x33);
		fbcon_draw_cell(&s, 1, 1, 'A', fg, bg);
		KTEST_EXPECT_TRUE(t, cell_shows(&s, 1, 1, 'A', fg, bg));
		KTEST_EXPECT_FALSE(t, cell_shows(&s, 1, 1, 'B', fg, bg));
		/* Neighbouring cells and the row padding are untouched. */
		KTEST_EXPECT_EQ(t, s.base[0], GUARD);
		KTEST_EXPECT_EQ(t, s.base[(size_t)16 * s.pitch +
					  16 * s.bytes_per_pixel], GUARD);
		KTEST_EXPECT_TRUE(t, padding_intact(&s));
		kfree(s.base);
	}
}

static unsigned char grid_at(const struct fbcon *fc, unsigned int col,
			     unsigned int row)
{
	return fc->text[row * fc->cols + col];
}

static bool row_is(const struct fbcon *fc, unsigned int row, const char *s)
{
	size_t n = strlen(s);

	for (unsigned int col = 0; col < fc->cols; col++)
		if (grid_at(fc, col, row) != (col < n ? (unsigned char)s[col] : ' '))
			return false;
	return true;
}

/* 43x40 pixels: 5 whole columns, 2 whole rows; the rest stays blank. */
static void test_grid(struct ktest *t)
{
	struct fb_surface s;
	struct fbcon fc;
	unsigned char *grids;

	if (!make_surface(&s, 43, 40, 4))
		goto nomem;
	grids = kmalloc(2 * 5 * 2);
	if (!grids) {
		kfree(s.base);
		goto nomem;
	}
	fbcon_setup(&fc, &s, grids, grids + 10);
	KTEST_EXPECT_EQ(t, fc.cols, 5);
	KTEST_EXPECT_EQ(t, fc.rows, 2);
	KTEST_EXPECT_TRUE(t, padding_intact(&s));

	/* A line of exactly five wraps only when the sixth comes. */
	fbcon_puts(&fc, "abcde", 5);
	KTEST_EXPECT_EQ(t, fc.y, 0);
	fbcon_puts(&fc, "f", 1);
	KTEST_EXPECT_TRUE(t, row_is(&fc, 0, "abcde"));
	KTEST_EXPECT_TRUE(t, row_is(&fc, 1, "f"));
	/* Carriage return and backspace move without erasing. */
	fbcon_puts(&fc, "\rxy\bz", 5);
	KTEST_EXPECT_TRUE(t, row_is(&fc, 1, "xz"));
	/* Tab goes to the next multiple of 8, clipped at the line end. */
	fbcon_puts(&fc, "\r\t", 2);
	KTEST_EXPECT_EQ(t, fc.x, 5);
	KTEST_EXPECT_TRUE(t, row_is(&fc, 1, ""));

	/* The pixels agree with the grid, including the last column. */
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 4, 0, 'e', fc.fg, fc.bg));
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 0, 1, ' ', fc.fg, fc.bg));
	/* Pixels outside the whole cells were painted background, once. */
	KTEST_EXPECT_EQ(t, fb_get_pixel(&s, 42, 39), fc.bg);
	KTEST_EXPECT_TRUE(t, padding_intact(&s));
	kfree(grids);
	kfree(s.base);
	return;
nomem:
	ktest_fail(t, __FILE__, __LINE__, "kmalloc failed");
}

static void test_scroll(struct ktest *t)
{
	struct fb_surface s;
	struct fbcon fc;
	unsigned char *grids;
	unsigned long before;

	if (!make_surface(&s, 32, 48, 2))	/* 4 x 3 cells, 5:6:5 */
		goto nomem;
	grids = kmalloc(2 * 4 * 3);
	if (!grids) {
		kfree(s.base);
		goto nomem;
	}
	fbcon_setup(&fc, &s, grids, grids + 12);

	fbcon_puts(&fc, "1\n2\n3\n4", 7);
	KTEST_EXPECT_TRUE(t, row_is(&fc, 0, "2"));
	KTEST_EXPECT_TRUE(t, row_is(&fc, 1, "3"));
	KTEST_EXPECT_TRUE(t, row_is(&fc, 2, "4"));
	KTEST_EXPECT_EQ(t, fc.y, 2);
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 0, 0, '2', fc.fg, fc.bg));
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 0, 2, '4', fc.fg, fc.bg));
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 1, 0, ' ', fc.fg, fc.bg));
	/* The three writes were one flush: only three cells drawn. */
	KTEST_EXPECT_EQ(t, fc.cells_drawn, 3);

	/* One more character: one more cell, nothing else redrawn. */
	before = fc.cells_drawn;
	fbcon_puts(&fc, "x", 1);
	KTEST_EXPECT_EQ(t, fc.cells_drawn - before, 1);

	/* A newline on the last row scrolls; five cells change. */
	before = fc.cells_drawn;
	fbcon_puts(&fc, "\n", 1);
	KTEST_EXPECT_TRUE(t, row_is(&fc, 0, "3"));
	KTEST_EXPECT_TRUE(t, row_is(&fc, 1, "4x"));
	KTEST_EXPECT_TRUE(t, row_is(&fc, 2, ""));
	KTEST_EXPECT_EQ(t, fc.cells_drawn - before, 5);
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 1, 1, 'x', fc.fg, fc.bg));
	KTEST_EXPECT_TRUE(t, cell_shows(&s, 0, 2, ' ', fc.fg, fc.bg));
	KTEST_EXPECT_TRUE(t, padding_intact(&s));
	kfree(grids);
	kfree(s.base);
	return;
nomem:
	ktest_fail(t, __FILE__, __LINE__, "kmalloc failed");
}

static struct ktest_case console_cases[] = {
	KTEST_CASE(test_pack_colour),
	KTEST_CASE(test_glyph_lookup),
	KTEST_CASE(test_fb_check),
	KTEST_CASE(test_draw_cell),
	KTEST_CASE(test_grid),
	KTEST_CASE(test_scroll),
	{},
};
KTEST_SUITE(console, console_cases);
