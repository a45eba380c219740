#!/usr/bin/python3
"""tools/pf2font.py - turn GRUB's PFF2 font into the kernel's 8x16 font.

GRUB ships Unifont as /usr/share/grub/unicode.pf2 (package grub-common).
The framebuffer console needs a bitmap for every character it draws, and
the screen test (tests/qemu/screen.py) needs the very same bitmaps to read
the screen back, so both take them from here.

PFF2 (GRUB's docs, "PFF2 Font File Format") is a list of sections, each a
4-byte ASCII name, a 4-byte big-endian length and the data:

    FILE "PFF2"  NAME  FAMI  WEIG  SLAN  PTSZ  MAXW  MAXH  ASCE  DESC
    CHIX  (9 bytes per character: code point u32, flags u8, offset u32,
           sorted by code point; offset is from the start of the file)
    DATA  (length 0xffffffff: runs to the end of the file)

A glyph, at its offset: width u16, height u16, x offset s16, y offset s16,
device width s16 (all big-endian), then width*height bits, row after row,
most significant bit first, rows NOT padded to a byte.  The y offset is
from the baseline up to the glyph's bottom row; the baseline lies ASCE
pixels below the top of the cell.

Byte codes of the kernel font (kept in step with kernel/console/font.h):
0x20..0x7e are ASCII; 0x80.. are the box and block characters in EXTRA.
Any other byte is drawn as the replacement glyph (U+FFFD).

Usage: pf2font.py FONT.pf2 OUT.c       write the C table
       pf2font.py FONT.pf2 --show TEXT print TEXT's glyphs as # and .
Standard library only.
"""
import os
import struct
import sys

FONT_WIDTH = 8
FONT_HEIGHT = 16
ASCII_FIRST = 0x20
ASCII_LAST = 0x7e
EXTRA_FIRST = 0x80
# Byte code EXTRA_FIRST + i draws EXTRA[i].  Order is part of the ABI
# (kernel/console/font.h names them).
EXTRA = [0x2588, 0x2591, 0x2592, 0x2593, 0x2500, 0x2502]
REPLACEMENT = 0xfffd


class FontError(Exception):
    pass


def _sections(data):
    """Yield (name, offset, length) for each section until DATA."""
    off = 0
    while off + 8 <= len(data):
        name = data[off:off + 4].decode('ascii', 'replace')
        (length,) = struct.unpack('>I', data[off + 4:off + 8])
        yield name, off + 8, length
        if name == 'DATA':
            return
        if off + 8 + length > len(data):
            raise FontError('section %s at %d runs past the end of the file'
                            % (name, off))
        off += 8 + length
    raise FontError('no DATA section')


class Pff2Font:
    def __init__(self, path):
        try:
            with open(path, 'rb') as f:
                self.data = f.read()
        except OSError as e:
            raise FontError('%s: %s' % (path, e.strerror))
        self.path = path
        self.index = {}
        self.ascent = self.descent = None
        if self.data[:12] != b'FILE\0\0\0\4PFF2':
            raise FontError('%s: not a PFF2 font (no FILE/PFF2 header)' % path)
        for name, off, length in _sections(self.data):
            body = self.data[off:off + length]
            if name == 'ASCE':
                (self.ascent,) = struct.unpack('>H', body)
            elif name == 'DESC':
                (self.descent,) = struct.unpack('>H', body)
            elif name == 'CHIX':
                if length % 9:
                    raise FontError('%s: CHIX length %d is not a multiple '
                                    'of 9' % (path, length))
                for i in range(0, length, 9):
                    cp, _flags, goff = struct.unpack('>IBI', body[i:i + 9])
                    self.index[cp] = goff
        if self.ascent is None or self.descent is None or not self.index:
            raise FontError('%s: ASCE, DESC or CHIX missing' % path)
        if self.ascent + self.descent != FONT_HEIGHT:
            raise FontError('%s: ascent %d + descent %d is not %d pixels'
                            % (path, self.ascent, self.descent, FONT_HEIGHT))

    def cell(self, cp):
        """The glyph for code point cp as FONT_HEIGHT row bytes (bit 7 =
        leftmost pixel), placed in an 8x16 cell; None if not in the font."""
        goff = self.index.get(cp)
        if goff is None:
            return None
        if goff + 10 > len(self.data):
            raise FontError('U+%04X: glyph offset %d is outside the file'
                            % (cp, goff))
        w, h, xoff, yoff, _dwidth = struct.unpack(
            '>HHhhh', self.data[goff:goff + 10])
        nbytes = (w * h + 7) // 8
        bits = self.data[goff + 10:goff + 10 + nbytes]
        if len(bits) != nbytes:
            raise FontError('U+%04X: bitmap runs past the end' % cp)
        top = self.ascent - (yoff + h)
        rows = [0] * FONT_HEIGHT
        for y in range(h):
            for x in range(w):
                n = y * w + x
                if not bits[n // 8] & (0x80 >> (n % 8)):
                    continue
                cx, cy = xoff + x, top + y
                if not (0 <= cx < FONT_WIDTH and 0 <= cy < FONT_HEIGHT):
                    raise FontError('U+%04X: pixel (%d,%d) is outside the '
                                    '8x16 cell' % (cp, cx, cy))
                rows[cy] |= 0x80 >> cx
        return bytes(rows)


def kernel_glyphs(path):
    """{byte code: 16 row bytes} for every byte code the kernel font has,
    plus the key 'replacement'.  Used by tests/qemu/screen.py too."""
    font = Pff2Font(path)
    table = {}
    wanted = [(c, c) for c in range(ASCII_FIRST, ASCII_LAST + 1)]
    wanted += [(EXTRA_FIRST + i, cp) for i, cp in enumerate(EXTRA)]
    wanted += [('replacement', REPLACEMENT)]
    for code, cp in wanted:
        cell = font.cell(cp)
        if cell is None:
            raise FontError('%s has no glyph for U+%04X' % (path, cp))
        table[code] = cell
    return table


def byte_to_unicode(code):
    """The character a kernel font byte code stands for."""
    if ASCII_FIRST <= code <= ASCII_LAST:
        return chr(code)
    if EXTRA_FIRST <= code < EXTRA_FIRST + len(EXTRA):
        return chr(EXTRA[code - EXTRA_FIRST])
    return chr(REPLACEMENT)


def _c_rows(cell):
    return ', '.join('0x%02x' % b for b in cell)


def write_c(path, table, out):
    lines = [
        '/* Generated by tools/pf2font.py from %s: do not edit. */' % path,
        '#include "font.h"',
        '',
        '/* ASCII 0x%02x..0x%02x, one row byte per line of pixels, bit 7 on'
        ' the left. */' % (ASCII_FIRST, ASCII_LAST),
        'const uint8_t font_ascii[FONT_ASCII_COUNT][FONT_HEIGHT] = {',
    ]
    for c in range(ASCII_FIRST, ASCII_LAST + 1):
        lines.append('\t{ %s }, /* %r */' % (_c_rows(table[c]), chr(c)))
    lines += ['};', '',
              '/* Byte codes 0x%02x.. (see font.h). */' % EXTRA_FIRST,
              'const uint8_t font_extra[FONT_EXTRA_COUNT][FONT_HEIGHT] = {']
    for i, cp in enumerate(EXTRA):
        lines.append('\t{ %s }, /* U+%04X */'
                     % (_c_rows(table[EXTRA_FIRST + i]), cp))
    lines += ['};', '',
              '/* U+%04X, for any byte the font has no glyph for. */'
              % REPLACEMENT,
              'const uint8_t font_replacement[FONT_HEIGHT] = { %s };'
              % _c_rows(table['replacement']), '']
    out.write('\n'.join(lines))


def main(argv):
    if len(argv) == 4 and argv[2] == '--show':
        table = kernel_glyphs(argv[1])
        for ch in argv[3]:
            code = ord(ch)
            if code in EXTRA:
                code = EXTRA_FIRST + EXTRA.index(code)
            cell = table.get(code, table['replacement'])
            print('%r' % ch)
            for row in cell:
                print(''.join('#' if row & (0x80 >> x) else '.'
                              for x in range(FONT_WIDTH)))
        return 0
    if len(argv) != 3:
        sys.stderr.write('usage: pf2font.py FONT.pf2 OUT.c | '
                         'FONT.pf2 --show TEXT\n')
        return 2
    table = kernel_glyphs(argv[1])
    tmp = argv[2] + '.tmp'
    with open(tmp, 'w') as out:
        write_c(argv[1], table, out)
    os.replace(tmp, argv[2])
    return 0


if __name__ == '__main__':
    try:
        sys.exit(main(sys.argv))
    except FontError as e:
        sys.stderr.write('pf2font: %s\n' % e)
        sys.exit(1)
