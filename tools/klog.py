#!/usr/bin/python3
"""tools/klog.py - the kernel's log lines as the tools and tests read them.

kernel/printk.c puts Linux's timestamp before each line a message begins,
"[    1.234567] " (seconds and microseconds since kmain), unless the
command line says printk.time=0.  The output contract is the text after
it: every reader takes a line with or without the stamp.  Standard
library only.
"""
import re

# A timestamp at the start of a line: Linux's and ours (seconds padded to
# five places, then six digits; wider seconds after 99999 s), behind the
# level marker where the line has one (the monitor's dmesg, as Linux's
# dmesg -r: "<6>[    0.123456] percpu: ...").
TIMESTAMP = re.compile(r'^(<\d>)?\[\s*\d+\.\d{6}\] ', re.M)


def untimed(text):
    """text with the timestamp taken off the start of every line (a
    level marker before it stays)."""
    return TIMESTAMP.sub(r'\1', text)


def stamps(text):
    """[(seconds, line without its stamp)] for each stamped line."""
    out = []
    for line in text.splitlines():
        m = TIMESTAMP.match(line)
        if m:
            stamp = m.group(0)[len(m.group(1) or ''):]
            out.append((float(stamp.strip()[1:-1]), line[m.end():]))
    return out
