#!/usr/bin/python3
"""tools/stackcheck.py - how much of the 16 KiB thread stack the kernel
can use: each function's frame (from the .su files that -fstack-usage
writes beside each object) and the deepest chains of calls through them.

  stackcheck.py BUILD [--root FUNC ...] [--max-frame BYTES]

The frames come from the compiler.  The calls come from the linked
kernel (objdump -d BUILD/kernel.elf): every direct `call` from one
function to another.  Calls through pointers are not in the code; the
ones that matter are added from the source: trap_dispatch() calls every
handler given to register_interrupt_handler(), the monitor's run_line()
every command (cmd_*), and a few the module loader makes on its way down
are named in INDIRECT, below.
A function that calls itself (modprobe_depth(), for each dependency) is
counted as many times as its bound lets it (RECURSION).  An interrupt
arrives on the stack of whatever it interrupts, so the deepest chain
from the interrupt entry points is reported too, as what may come on
top.

It prints the largest frames, every frame over --max-frame (1024 by
default: then the status is 1), and for each root the deepest chain
with its total, e.g.

  stack: deepest chain from storm_worker: 3520 bytes of 16384 (21%), 14 calls:
  stack:   storm_worker 48 > modprobe_request 80 > ... > vprintk 544

Standard library only (objdump from binutils).
"""
import argparse
import pathlib
import re
import subprocess
import sys

THREAD_STACK = 16384
# Calls through a pointer that the module loader makes on its way down:
# the pure core's resolver, and the wake function of a wait queue entry.
INDIRECT = {
    'module_simplify_symbols': ['resolve_symbol'],
    '__wake_up': ['autoremove_wake_function'],
}
# Recursion with a bound in the source: (function, file, the macro).
RECURSION = [('modprobe_depth', 'kernel/module/modprobe.c', 'MODPROBE_MAX_DEPTH')]
# Where the module loader's work starts: the storm's worker thread, and
# the monitor's commands (run by its own thread).
DEFAULT_ROOTS = ['storm_worker', 'monitor_thread', 'load_module']
# What an interrupt runs on the interrupted stack (kernel/entry.asm).
IRQ_ROOT = 'trap_dispatch'
# Where a function the source names is inlined when the compiler did.
INLINED_INTO = {'run_line': 'monitor_thread'}

SU_LINE = re.compile(r'^(.*?):(\d+):(\d+):(\S+)\t(\d+)\t(\S+)$')
FUNC_LINE = re.compile(r'^[0-9a-f]+ <([^>]+)>:$')
CALL_LINE = re.compile(r'\scall\s+[0-9a-f]+ <([^>+]+)(?:\+0x[0-9a-f]+)?>')


def base_name(name):
    """foo.constprop.0, foo.isra.0, foo.part.0, foo.cold -> foo."""
    return name.split('.', 1)[0]


def read_frames(build):
    """{function: (bytes, qualifiers, where)}; a name defined in several
    files (static functions) gets its largest frame."""
    frames = {}
    for su in sorted(pathlib.Path(build).rglob('*.su')):
        if 'host' in su.parts or 'fuzz' in su.parts:
            continue
        for line in su.read_text().splitlines():
            m = SU_LINE.match(line)
            if not m:
                continue
            where, fn, size, quals = f'{m.group(1)}:{m.group(2)}', m.group(4), int(m.group(5)), m.group(6)
            name = base_name(fn)
            if name not in frames or size > frames[name][0]:
                frames[name] = (size, quals, where)
    return frames


def read_calls(kernel):
    """{function: set of functions it calls directly}."""
    out = subprocess.run(['objdump', '-d', '--no-show-raw-insn', str(kernel)],
                         capture_output=True, text=True, check=True).stdout
    calls, current = {}, None
    for line in out.splitlines():
        m = FUNC_LINE.match(line)
        if m:
            current = base_name(m.group(1))
            calls.setdefault(current, set())
            continue
        m = CALL_LINE.search(line)
        if m and current:
            target = base_name(m.group(1))
            if target != current:   # recursion: counted by RECURSION's bound
                calls[current].add(target)
    for fn, targets in INDIRECT.items():
        calls.setdefault(fn, set()).update(targets)
    return calls


def source_indirect(root):
    """{caller: callees} for the calls through pointers named in the
    source: interrupt handlers and monitor commands."""
    edges = {'trap_dispatch': set(), 'run_line': set()}
    for c in sorted((root / 'kernel').rglob('*.c')) + sorted((root / 'mm').rglob('*.c')):
        if c.name.endswith('_test.c'):
            continue
        text = c.read_text()
        edges['trap_dispatch'].update(re.findall(r'register_interrupt_handler\(\s*[^,]+,\s*(\w+)', text))
        if c.parent.name == 'monitor':
            edges['run_line'].update(re.findall(r'^static int (cmd_\w+)\(', text, re.M))
    return edges


def recursion_bounds(root):
    bounds = {}
    for fn, path, macro in RECURSION:
        m = re.search(rf'#define\s+{macro}\s+(\d+)', (root / path).read_text())
        bounds[fn] = int(m.group(1)) + 1 if m else 1
    return bounds


def deepest(fn, frames, calls, bounds, memo, stack=()):
    """(bytes, [functions]) of the deepest chain from fn."""
    if fn in memo:
        return memo[fn]
    own = frames.get(fn, (0,))[0]
    best = (0, [])
    for callee in sorted(calls.get(fn, ())):
        if callee in stack:
            continue        # recursion: counted through bounds
        sub = deepest(callee, frames, calls, bounds, memo, stack + (fn,))
        if sub[0] > best[0]:
            best = sub
    times = bounds.get(fn, 1)
    result = (own * times + best[0], [fn] * times + best[1])
    memo[fn] = result
    return result


def show_chain(label, total, chain, frames):
    pct = 100 * total // THREAD_STACK
    print(f'stack: deepest chain from {label}: {total} bytes of {THREAD_STACK} ({pct}%), '
          f'{len(chain)} calls:')
    parts, seen = [], None
    for fn in chain:
        size = frames.get(fn, (0,))[0]
        if fn == seen:
            parts[-1] = (parts[-1][0], parts[-1][1], parts[-1][2] + 1)
        else:
            parts.append((fn, size, 1))
        seen = fn
    text = ' > '.join(f'{fn} {size}' + (f' x{n}' if n > 1 else '') for fn, size, n in parts)
    print(f'stack:   {text}')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('build')
    ap.add_argument('--root', action='append')
    ap.add_argument('--max-frame', type=int, default=1024)
    ap.add_argument('--top', type=int, default=8)
    args = ap.parse_args()
    build = pathlib.Path(args.build)
    frames = read_frames(build)
    if not frames:
        print(f'stack: no .su files under {build} (the kernel is built with -fstack-usage)')
        return 1
    root = pathlib.Path(__file__).resolve().parent.parent
    calls = read_calls(build / 'kernel.elf')
    for caller, callees in source_indirect(root).items():
        # run_line(), static with one caller, is inlined into it.
        if caller not in calls:
            caller = INLINED_INTO.get(caller, caller)
        calls.setdefault(caller, set()).update(callees)
    bounds = recursion_bounds(root)
    status = 0
    largest = sorted(frames.items(), key=lambda kv: -kv[1][0])
    print(f'stack: {len(frames)} functions; the largest frames: ' +
          ', '.join(f'{fn} {size} ({where})' for fn, (size, _q, where) in largest[:args.top]))
    for fn, (size, quals, where) in largest:
        if size > args.max_frame:
            print(f'stack: FAIL: {fn} ({where}) has a frame of {size} bytes, over {args.max_frame}')
            status = 1
        if 'dynamic' in quals and 'bounded' not in quals:
            print(f'stack: FAIL: {fn} ({where}) has an unbounded dynamic frame')
            status = 1
    memo = {}
    for root in args.root or DEFAULT_ROOTS:
        if root not in calls:
            print(f'stack: FAIL: no function {root} in {build}/kernel.elf')
            status = 1
            continue
        total, chain = deepest(root, frames, calls, bounds, memo)
        show_chain(root, total, chain, frames)
    if IRQ_ROOT in calls:
        total, chain = deepest(IRQ_ROOT, frames, calls, bounds, memo)
        show_chain(f'{IRQ_ROOT} (an interrupt, on top of any of those)', total, chain, frames)
    return status


if __name__ == '__main__':
    sys.exit(main())
