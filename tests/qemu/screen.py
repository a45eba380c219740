#!/usr/bin/python3
"""tests/qemu/screen.py - read the text on a QEMU guest's screen.

The serial log shows what printk said; this shows what a person at the
machine would see, so a test can check that the screen consoles work.
It asks QEMU, through its QMP socket (-qmp unix:PATH,server=on,wait=off),
for what the screen holds and decodes it:

  VGA text   80x25 cells of two bytes at 0xb8000, saved from guest
             memory (the `pmemsave` command): a code page 437 character
             and a colour byte (kernel/console/vga.c).
  framebuffer  the picture the graphics card shows (the `screendump`
             command: the card's own scan-out, with its own width, depth
             and pitch, as RGB), not the memory the kernel wrote: so a
             kernel that took the wrong pitch shows sheared text and
             fails.  The console sits at the top left (a mode smaller
             than the card's, as SeaBIOS offers on bochs-display, leaves
             a border).  Each 8x16 cell is matched exactly against the
             same font the kernel was built with (tools/pf2font.py reads
             GRUB's unicode.pf2).  The background is black, which is 0 in
             any colour layout, so "pixel != 0" is "ink".

Which of the two, and where, comes from the kernel's own serial lines:
  console: VGA text 80x25
  console: framebuffer 1024x768x32 at 0xc0000000, 128x48 characters, pitch 4096

Run the kernel WITHOUT 'poweroff' so it halts with its text on screen.

As a module:  read_screen(qmp_socket_path, serial_log_text) -> list[str]
              boot_and_read(iso, firmware='bios', boot='cd') -> (serial, lines)
As a command:
  screen.py --qmp /tmp/q.sock --serial serial.log    read a running QEMU
  screen.py --iso build/mkernel.iso [--firmware uefi] [--boot usb]
                                                      boot, read, quit
Standard library only.
"""
import argparse
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(os.path.dirname(HERE))
sys.path.insert(0, os.path.join(ROOT, 'tools'))
import pf2font  # noqa: E402  (tools/pf2font.py: the kernel's font)

DEFAULT_FONT = os.environ.get('FONT_PF2', '/usr/share/grub/unicode.pf2')
VGA_TEXT_PHYS = 0xb8000

VGA_RE = re.compile(r'console: VGA text (\d+)x(\d+)')
FB_RE = re.compile(r'console: framebuffer (\d+)x(\d+)x\d+ at ')


class ScreenError(Exception):
    pass


class Qmp:
    """A minimal QMP client: one command at a time, events skipped."""

    def __init__(self, path, timeout=10.0):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self.sock.settimeout(timeout)
        deadline = time.monotonic() + timeout
        while True:
            try:
                self.sock.connect(path)
                break
            except (FileNotFoundError, ConnectionRefusedError):
                if time.monotonic() > deadline:
                    raise ScreenError('no QMP socket at %s' % path)
                time.sleep(0.1)
        self.buf = b''
        self._read()                    # the greeting
        self.command('qmp_capabilities')

    def _read(self):
        while b'\n' not in self.buf:
            chunk = self.sock.recv(65536)
            if not chunk:
                raise ScreenError('QMP connection closed')
            self.buf += chunk
        line, self.buf = self.buf.split(b'\n', 1)
        return json.loads(line)

    def command(self, name, **args):
        msg = {'execute': name}
        if args:
            msg['arguments'] = args
        self.sock.sendall(json.dumps(msg).encode() + b'\n')
        while True:
            reply = self._read()
            if 'return' in reply:
                return reply['return']
            if 'error' in reply:
                raise ScreenError('QMP %s: %s' % (name, reply['error']))
            # anything else is an asynchronous event: skip it

    def close(self):
        self.sock.close()


def pmemsave(qmp, addr, size):
    """Guest physical memory [addr, addr + size) as bytes."""
    fd, path = tempfile.mkstemp(prefix='screen-', suffix='.bin')
    os.close(fd)
    try:
        qmp.command('pmemsave', val=addr, size=size, filename=path)
        with open(path, 'rb') as f:
            data = f.read()
    finally:
        os.unlink(path)
    if len(data) != size:
        raise ScreenError('pmemsave gave %d bytes, not %d' % (len(data), size))
    return data


def screendump(qmp):
    """What the display shows: (width, height, RGB bytes, 3 per pixel)."""
    fd, path = tempfile.mkstemp(prefix='screen-', suffix='.ppm')
    os.close(fd)
    try:
        qmp.command('screendump', filename=path)
        with open(path, 'rb') as f:
            data = f.read()
    finally:
        os.unlink(path)
    # A binary PPM: "P6", width, height, maximum value, each after white
    # space, then one byte of white space and the pixels.
    fields = data.split(maxsplit=4)
    if len(fields) < 5 or fields[0] != b'P6' or fields[3] != b'255':
        raise ScreenError('screendump is not an 8-bit binary PPM')
    w, h = int(fields[1]), int(fields[2])
    pixels = data[len(data) - w * h * 3:]
    if len(pixels) != w * h * 3:
        raise ScreenError('screendump holds %d bytes, not %dx%d pixels' % (len(data), w, h))
    return w, h, pixels


def decode_vga_text(data, cols, rows):
    lines = []
    for r in range(rows):
        row = data[r * cols * 2:(r + 1) * cols * 2:2]
        text = bytes(b if b else 0x20 for b in row).decode('cp437')
        lines.append(text.rstrip())
    return lines


_glyph_cache = {}


def glyph_table(font_path=DEFAULT_FONT):
    """{16 row bytes: character} for every glyph of the kernel font."""
    if font_path not in _glyph_cache:
        table = {}
        for code, cell in pf2font.kernel_glyphs(font_path).items():
            ch = ('\ufffd' if code == 'replacement'
                  else pf2font.byte_to_unicode(code))
            table.setdefault(cell, ch)   # first wins: ' ' before others
        _glyph_cache[font_path] = table
    return _glyph_cache[font_path]


def decode_framebuffer(rgb, width, height, stride, font_path=DEFAULT_FONT,
                       unknown='?'):
    """Text of an fbcon screen of width x height pixels at the top left of
    a picture of 3-byte pixels, stride bytes a row: each 8x16 cell
    matched against the font."""
    table = glyph_table(font_path)
    fw, fh = pf2font.FONT_WIDTH, pf2font.FONT_HEIGHT
    lines = []
    for r in range(height // fh):
        chars = []
        for c in range(width // fw):
            cell = bytearray(fh)
            for y in range(fh):
                off = (r * fh + y) * stride + c * fw * 3
                px = rgb[off:off + fw * 3]
                cell[y] = sum(0x80 >> x for x in range(fw) if any(px[x * 3:x * 3 + 3]))
            chars.append(table.get(bytes(cell), unknown))
        lines.append(''.join(chars).rstrip())
    return lines


def screen_geometry(serial_log_text):
    """('vga', cols, rows) or ('fb', width, height) from the log."""
    m = FB_RE.search(serial_log_text)
    if m:
        return ('fb', int(m.group(1)), int(m.group(2)))
    m = VGA_RE.search(serial_log_text)
    if m:
        return ('vga', int(m.group(1)), int(m.group(2)))
    raise ScreenError('the serial log names no screen console '
                      '(no "console: VGA text" or "console: framebuffer" line)')


def read_screen(qmp_socket_path, serial_log_text, font_path=DEFAULT_FONT):
    """The screen's text, one string per row, trailing blanks removed."""
    geo = screen_geometry(serial_log_text)
    qmp = Qmp(qmp_socket_path)
    try:
        if geo[0] == 'vga':
            _, cols, rows = geo
            data = pmemsave(qmp, VGA_TEXT_PHYS, cols * rows * 2)
            return decode_vga_text(data, cols, rows)
        _, w, h = geo
        dw, dh, pixels = screendump(qmp)
        if dw < w or dh < h:
            raise ScreenError('the display shows %dx%d, less than the console\'s %dx%d'
                              % (dw, dh, w, h))
        return decode_framebuffer(pixels, w, h, dw * 3, font_path)
    finally:
        qmp.close()


# With no serial port there is no log to say where the screen is: a BIOS
# boot's screen is VGA text (boot/grub.cfg keeps it).
NO_SERIAL_GEOMETRY = 'console: VGA text 80x25'


def boot_and_read(iso, firmware='bios', boot='cd', timeout=120,
                  font_path=DEFAULT_FONT, extra_args=(), until='done: halted',
                  accel='tcg', cache=None, linger=0, smp=4, serial_port=True,
                  display='std'):
    """Boot 'iso' (built without 'poweroff'), wait for the serial line
    'until' (by default: the kernel halted) and then linger seconds more,
    read the screen and quit QEMU.  Returns (serial log, screen lines).
    accel, cache, smp and display go to tools/run-qemu.sh's --accel,
    --cache, --smp and --display.  Without serial_port the PC has none (BIOS only): the screen
    is read every second until 'until' shows on it."""
    sockdir = tempfile.mkdtemp(prefix='screen-')
    sock = os.path.join(sockdir, 'qmp.sock')
    cmd = [os.path.join(ROOT, 'tools', 'run-qemu.sh'), '--iso', iso,
           '--firmware', firmware, '--boot', boot, '--accel', accel,
           '--smp', str(smp), '--display', display]
    if not serial_port:
        cmd += ['--console', 'none']
    if cache:
        cmd += ['--cache', cache]
    cmd += ['--',
           '-qmp', 'unix:%s,server=on,wait=off' % sock] + list(extra_args)
    # A session of its own, so a kill reaches QEMU and not only the script.
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            start_new_session=True)
    serial = []

    def pump():
        for chunk in iter(lambda: proc.stdout.read1(4096), b''):
            serial.append(chunk.decode('utf-8', 'replace'))
    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    try:
        deadline = time.monotonic() + timeout

        def arrived():
            if serial_port:
                return until in ''.join(serial)
            try:
                shown = read_screen(sock, NO_SERIAL_GEOMETRY, font_path)
            except (ScreenError, OSError):
                return False    # QMP not listening yet
            return any(until.strip() in line for line in shown)
        while not arrived():
            if proc.poll() is not None:
                reader.join(timeout=2)
                said = [ln for ln in ''.join(serial).splitlines()
                        if ln.startswith('run-qemu: ') and 'accelerator' not in ln]
                raise ScreenError('QEMU exited (%d) before "%s"%s'
                                  % (proc.returncode, until,
                                     ''.join('; ' + ln[10:] for ln in said)))
            if time.monotonic() > deadline:
                raise ScreenError('no "%s" within %d s' % (until, timeout))
            time.sleep(0.2 if serial_port else 1)
        if linger:
            time.sleep(linger)
            if proc.poll() is not None:
                raise ScreenError('QEMU exited (%d) while lingering %d s after "%s"'
                                  % (proc.returncode, linger, until))
        log = ''.join(serial) if serial_port else NO_SERIAL_GEOMETRY + '\n' + ''.join(serial)
        # The serial console is written before the screen: wait until two
        # reads agree, so the last line has been drawn too.
        lines = read_screen(sock, log, font_path)
        for _ in range(20):
            time.sleep(0.3)
            again = read_screen(sock, log, font_path)
            if again == lines:
                break
            lines = again
        return log, lines
    finally:
        try:
            q = Qmp(sock, timeout=2)
            q.command('quit')
            q.close()
        except (ScreenError, OSError):
            pass
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()
        reader.join(timeout=2)
        try:
            os.unlink(sock)
        except OSError:
            pass
        os.rmdir(sockdir)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--qmp', help='QMP socket of a running QEMU')
    ap.add_argument('--serial', help='file holding its serial log')
    ap.add_argument('--iso', help='boot this image and read its screen')
    ap.add_argument('--firmware', default='bios', choices=('bios', 'uefi'))
    ap.add_argument('--boot', default='cd', choices=('cd', 'usb'))
    ap.add_argument('--font', default=DEFAULT_FONT)
    ap.add_argument('--timeout', type=int, default=120)
    ap.add_argument('--accel', default='tcg', choices=('tcg', 'kvm', 'auto'))
    args = ap.parse_args()
    try:
        if args.iso:
            _, lines = boot_and_read(args.iso, args.firmware, args.boot,
                                     args.timeout, args.font, accel=args.accel)
        elif args.qmp and args.serial:
            with open(args.serial, errors='replace') as f:
                lines = read_screen(args.qmp, f.read(), args.font)
        else:
            ap.error('give --iso, or --qmp and --serial')
    except (ScreenError, pf2font.FontError, OSError) as e:
        sys.stderr.write('screen: %s\n' % e)
        return 1
    width = max([len(line) for line in lines] + [1])
    print('+' + '-' * width + '+')
    for line in lines:
        print('|' + line.ljust(width) + '|')
    print('+' + '-' * width + '+')
    return 0


if __name__ == '__main__':
    sys.exit(main())
