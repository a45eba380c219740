#!/usr/bin/python3
"""tools/bench-smp.py - how the kernel scales with CPUs: make bench-smp.

A benchmark, not a test: it prints figures and passes no judgement.  For
each CPU count it boots the same kernel and initrd once per loader
generation (each its own image, tools/mkiso.sh; the command line is
"poweroff isa_debug_exit loader=MODE"), one boot at a time so that no two
share the host's cores, and reads from each:

  * wall: seconds from QEMU's start to its exit after power-off, measured
    here (firmware and GRUB included: about 1 s on SeaBIOS, more at many
    CPUs);
  * bring-up: the kernel's own "boot: bring-up N ms from kmain" line
    (kernel/main.c);
  * elapsed_us: the storm line's figure (tools/stormlog.py).

Then once more at the largest count with smpboot=serial (the unformed
loader), the wall time of the old one-AP-at-a-time bring-up beside the
parallel one.  It writes a Markdown table on standard output and, with
--out, to a file, headed by the date and the host it ran on.

  tools/bench-smp.py --build build [--cpus 1,8,64,255] [--out FILE]
"""
import argparse
import datetime
import os
import pathlib
import platform
import re
import subprocess
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import klog  # noqa: E402
import stormlog  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
BRINGUP = re.compile(r'^boot: bring-up (\d+\.\d) ms from kmain: (.*) \(ms\)$', re.M)
APS = re.compile(r'^smpboot: (\d+) of (\d+) APs online in (\d+\.\d) ms \((\w+)\)$', re.M)
ONLINE = re.compile(r'^smp: (\d+) CPUs online$', re.M)


def host():
    """The host's CPU model and count, and QEMU's version."""
    model = 'unknown CPU'
    try:
        for line in open('/proc/cpuinfo'):
            if line.startswith('model name'):
                model = line.split(':', 1)[1].strip()
                break
    except OSError:
        pass
    qemu = subprocess.run(['qemu-system-x86_64', '--version'], capture_output=True, text=True)
    version = (qemu.stdout.splitlines() or ['QEMU ?'])[0]
    return f'{model}, {os.cpu_count()} host CPUs, {platform.system()} {platform.release()}; {version}'


def boot(build, name, cmdline, cpus, accel):
    """One boot: (wall seconds, untimed log), the log kept beside."""
    out = build / 'bench-smp'
    out.mkdir(parents=True, exist_ok=True)
    iso = out / f'{name}.iso'
    subprocess.run([str(ROOT / 'tools/mkiso.sh'), str(iso), str(build / 'kernel.elf'),
                    str(build / 'initrd.cpio'), cmdline], check=True, cwd=ROOT)
    mem = '2G' if cpus > 64 else '1G'
    cmd = [str(ROOT / 'tools/run-qemu.sh'), '--iso', str(iso), '--smp', str(cpus), '--mem', mem,
           '--debug-exit', '--accel', accel, '--cache', str(build / 'accel')]
    env = {k: v for k, v in os.environ.items() if k not in ('DISPLAY', 'WAYLAND_DISPLAY')}
    start = time.monotonic()
    try:
        p = subprocess.run(cmd, capture_output=True, text=True, errors='replace', timeout=900,
                           cwd=ROOT, env=env)
        text = p.stdout + p.stderr
    except subprocess.TimeoutExpired as e:
        text = (e.stdout or b'').decode(errors='replace') + '\nbench-smp: timed out\n'
    wall = time.monotonic() - start
    text = text.replace('\r', '')
    (out / f'{name}.log').write_text(text)
    iso.unlink(missing_ok=True)
    return wall, klog.untimed(text)


def figures(wall, log):
    """{'wall', 'bringup', 'elapsed_us', 'online', 'aps_ms'}: None where the log lacks it."""
    storm = stormlog.parse_storm(log) or {}
    b, a, o = BRINGUP.search(log), APS.search(log), ONLINE.search(log)
    return {'wall': wall, 'bringup': float(b.group(1)) if b else None,
            'elapsed_us': storm.get('elapsed_us'), 'online': int(o.group(1)) if o else None,
            'aps_ms': float(a.group(3)) if a else None}


def cell(v, fmt):
    return '?' if v is None else fmt.format(v)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--cpus', default='1,8,64,255')
    ap.add_argument('--accel', default='tcg')
    ap.add_argument('--out')
    args = ap.parse_args(argv)
    build = pathlib.Path(args.build).resolve()
    counts = [int(n) for n in args.cpus.split(',')]
    rows = []
    for n in counts:
        runs = {}
        for mode in stormlog.MODES:
            wall, log = boot(build, f'{mode}-smp{n}', f'poweroff isa_debug_exit loader={mode}', n, args.accel)
            runs[mode] = figures(wall, log)
            f = runs[mode]
            print(f'bench-smp: {n} CPUs, loader={mode}: wall {wall:.1f} s, bring-up '
                  f'{cell(f["bringup"], "{:.1f}")} ms, APs {cell(f["aps_ms"], "{:.1f}")} ms, '
                  f'elapsed_us {cell(f["elapsed_us"], "{}")}, {cell(f["online"], "{}")} online',
                  file=sys.stderr, flush=True)
        rows.append((n, runs))
    n = counts[-1]
    wall, log = boot(build, f'serial-smp{n}', 'poweroff isa_debug_exit loader=unformed smpboot=serial',
                     n, args.accel)
    serial = figures(wall, log)
    print(f'bench-smp: {n} CPUs, smpboot=serial: wall {wall:.1f} s, bring-up '
          f'{cell(serial["bringup"], "{:.1f}")} ms', file=sys.stderr, flush=True)

    lines = [f'`make bench-smp`, {datetime.date.today().isoformat()}, TCG unless said otherwise; '
             f'{host()}.', '',
             '| CPUs | wall (s) | bring-up (ms) | APs (ms) | ' +
             ' | '.join(f'{m} elapsed_us (wall s)' for m in stormlog.MODES) +
             f' | wall at {n}, smpboot=serial (s) |',
             '|' + '---|' * (5 + len(stormlog.MODES))]
    for count, runs in rows:
        u = runs['unformed']
        last = cell(serial['wall'], '{:.1f}') + f' (bring-up {cell(serial["bringup"], "{:.0f}")} ms)' \
            if count == n else ''
        lines.append(f'| {count} | {u["wall"]:.1f} | {cell(u["bringup"], "{:.1f}")} | '
                     f'{cell(u["aps_ms"], "{:.1f}")} | ' +
                     ' | '.join(f'{cell(runs[m]["elapsed_us"], "{:,}")} ({runs[m]["wall"]:.1f})'
                                for m in stormlog.MODES) + f' | {last} |')
    lines += ['', 'wall, bring-up and APs are the unformed loader\'s boot; the generations\' walls '
              'are in parentheses.  Logs: ' + str(build / 'bench-smp') + '.']
    table = '\n'.join(lines) + '\n'
    print(table)
    if args.out:
        pathlib.Path(args.out).write_text(table)
    return 0


if __name__ == '__main__':
    sys.exit(main())
