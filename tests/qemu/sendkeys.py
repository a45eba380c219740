#!/usr/bin/python3
"""tests/qemu/sendkeys.py - type on a running QEMU's PS/2 keyboard, through
its QMP socket (-qmp unix:PATH,server=on,wait=off) and QMP's send-key.

  sendkeys.py --qmp /tmp/q.sock 'lsmox{backspace}d{ret}'

A character is its key, with Shift for capitals and for _ and :; a
{name} is a key by QEMU's QKeyCode name and {a-b} keys held together:
{backspace}, {up}, {kp_enter}, {caps_lock}, {ctrl_r-c}.  As a module
(tests/harness.py): chords(text) and send(qmp, text).
"""
import argparse
import os
import re
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import screen  # noqa: E402

# The characters that are not their own key's name.
QCODES = {' ': ['spc'], '-': ['minus'], '_': ['shift', 'minus'], '.': ['dot'],
          ',': ['comma'], '/': ['slash'], '=': ['equal'], ';': ['semicolon'],
          ':': ['shift', 'semicolon']}
# How long QEMU holds each key down, and the pause after it: QEMU keeps
# at most 50 keyboard events queued and drops what comes beyond.
KEY_HOLD_MS = 20
KEY_GAP_S = 0.08


def chords(text):
    """One list of QKeyCode names (pressed in order, released in reverse)
    per keystroke of text."""
    out = []
    for m in re.finditer(r'\{([\w-]+)\}|(.)', text, re.S):
        c = m.group(2)
        if m.group(1):
            out.append(m.group(1).split('-'))
        elif c in QCODES:
            out.append(QCODES[c])
        elif c.isascii() and c.isupper():
            out.append(['shift', c.lower()])
        elif c.isascii() and c.isalnum():
            out.append([c])
        else:
            raise ValueError(f'no QEMU key for {c!r} in {text!r}')
    return out


def send(qmp, text):
    """Type text, one keystroke at a time (screen.Qmp raises ScreenError
    on a refused key, OSError when QEMU is gone)."""
    for chord in chords(text):
        qmp.command('send-key', keys=[{'type': 'qcode', 'data': k} for k in chord],
                    **{'hold-time': KEY_HOLD_MS})
        time.sleep(KEY_GAP_S)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--qmp', required=True, help="QEMU's QMP socket")
    ap.add_argument('text', nargs='+', help='what to type ({ret} for Enter)')
    args = ap.parse_args()
    qmp = screen.Qmp(args.qmp)
    try:
        for text in args.text:
            send(qmp, text)
    finally:
        qmp.close()
    return 0


if __name__ == '__main__':
    sys.exit(main())
