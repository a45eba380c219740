#!/usr/bin/python3
"""tests/tools_check.py - the storm's host tools on logs whose figures are
known: tools/stormlog.py's parsers, tools/trace2svg.py and
tools/compare.py (make trace, make compare).

  * tests/tools/storm-legacy-3.log, written by hand in the kernel's
    formats (and read again with the serial port's CR LF line ends):
    the storm line's keys, the trace's events, each CPU's steps and how
    long each lasted, the failure, the reserved chunk's curve;
  * trace2svg draws it: an SVG and a PNG are written;
  * a trace cut short or without its storm line is noticed, a log with
    no trace refused;
  * compare reads storm lines of several modes and CPU counts (written
    here) and a log without one: the rows, their order, the markdown
    table, the pictures, and the exit status;
  * compare-linux (make compare-linux), without its boots: the
    initramfs it writes, as GNU cpio lists and extracts it (the console
    a character device 5,1, the init script), the figures it reads from
    real logs of both kernels (tests/tools/compare-linux-smp8-*.log), and
    its verdict on outcomes that agree and that do not.

Run alone: tests/tools_check.py [BUILD]; tests/run.py calls check().  Needs
python3-matplotlib for the pictures (tools/deps.sh); a few seconds.
"""
import contextlib
import importlib.util
import io
import pathlib
import re
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import stormlog  # noqa: E402

SAMPLE = ROOT / 'tests' / 'tools' / 'storm-legacy-3.log'

# What the sample says, worked out by hand.
SAMPLE_STORM = {'loader': 'legacy', 'cpus': 3, 'requests': 6, 'loaded': 2,
                'eexist': 2, 'ebusy': 1, 'failed': 1, 'reserved_peak': 8192,
                'reserved_size': 8192, 'modmem_peak': 212992,
                'dup_bytes': 163840, 'elapsed_us': 157, 'merged': 0}
# CPU 2: acpi_cpufreq fails to get its per-CPU area, then kvm finds the
# first copy COMING and gives up with -EBUSY.
SAMPLE_CPU2 = [('reading', 'acpi_cpufreq', 2100, 60000),
               ('allocating', 'acpi_cpufreq', 60000, 63000),
               ('failed', 'acpi_cpufreq', 63000, 64000),
               ('reading', 'kvm', 95500, 129000),
               ('allocating', 'kvm', 129000, 132000),
               ('waiting', 'kvm', 132000, 143000),
               ('ebusy', 'kvm', 143000, 144000)]


class Checks:
    """Collects (name, ok, detail) for a Report, or prints them alone."""

    def __init__(self, report):
        self.report = report

    def add(self, name, ok, detail=''):
        self.report.add(f'tools: {name}', bool(ok), detail)


def quiet(fn, *args):
    """Run a tool's main() without its chatter; (status, stdout+stderr)."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        try:
            status = fn(*args)
        except SystemExit as e:
            status = e.code
    return status, out.getvalue()


def check_parsers(c):
    text = SAMPLE.read_text()
    for name, log in (('LF', text), ('CR LF', text.replace('\n', '\r\n'))):
        storm = stormlog.parse_storm(log)
        c.add(f'stormlog: storm line of the sample ({name}) has its 13 keys and values',
              storm == SAMPLE_STORM, f'got {storm}')
        trace = stormlog.parse_trace(log)
        ok = (trace is not None and trace.mode == 'legacy' and trace.cpus == 3 and
              trace.reserved_size == 8192 and len(trace.events) == 66 and
              trace.end == {'events': 66, 'dropped': 0} and not trace.problems())
        c.add(f'stormlog: trace of the sample ({name}): 66 events, 3 CPUs, whole', ok,
              f'got {trace and (trace.begin, trace.end, len(trace.events), trace.problems())}')
    trace = stormlog.parse_trace(text)
    first = trace.events[0]
    state = [e.arg for e in trace.events if e.event == 'state' and e.module == 'kvm']
    outcome = [e.arg for e in trace.events if e.event == 'outcome' and e.cpu == 1]
    c.add('stormlog: event fields (ns, cpu, name, module, arg, reserved_used)',
          (first.ns, first.cpu, first.event, first.module, first.arg, first.reserved_used) ==
          (1000, 0, 'request', 'acpi_cpufreq', 0, 0) and
          state == ['UNFORMED', 'COMING', 'LIVE'] and outcome == [-17, -17],
          f'first {first}, kvm states {state}, CPU 1 outcomes {outcome}')
    cpu2 = [(s.step, s.module, s.start_ns, s.end_ns)
            for s in stormlog.segments(trace) if s.cpu == 2]
    c.add('stormlog: a step lasts until the CPU\'s next one; idle is not drawn',
          cpu2 == SAMPLE_CPU2, f'CPU 2: {cpu2}')
    segs = stormlog.segments(trace)
    last = max((s for s in segs if s.cpu == 1), key=lambda s: s.start_ns)
    c.add('stormlog: every CPU has its steps; the last one ends with the trace',
          {s.cpu for s in segs} == {0, 1, 2} and trace.end_ns == 156000 and
          (last.step, last.end_ns) == ('eexist', 156000),
          f'cpus {sorted({s.cpu for s in segs})}, end {trace.end_ns}, CPU 1 last {last}')
    failed = [(e.ns, e.cpu, e.module) for e in stormlog.failures(trace)]
    c.add('stormlog: the failed load is marked', failed == [(63000, 2, 'acpi_cpufreq')],
          f'got {failed}')
    curve = stormlog.reserved_curve(trace)
    c.add('stormlog: reserved chunk curve: 0 -> 4 KiB -> full 8 KiB -> 4400 bytes at the end',
          trace.reserved_peak == 8192 and curve[0] == (1000, 0) and
          curve[1] == (53000, 4096) and curve[2] == (57000, 8192) and curve[-1][1] == 4400,
          f'peak {trace.reserved_peak}, curve {curve}')

    # A log cut inside the trace, after the storm line was lost: noticed.
    cut = text[:text.index('trace: 90000')]
    trace = stormlog.parse_trace(cut)
    problems = trace.problems() if trace else []
    c.add('stormlog: a trace cut short is noticed, the storm line missing is None',
          stormlog.parse_storm(cut) is None and len(problems) == 2 and
          'no "trace: end"' in problems[0] and 'begin says 66 events, log has 30' in problems[1],
          f'problems {problems}')
    noise = ('storm: 3 CPUs, loader=legacy, modules kvm\n'
             '[    1.234] storm: loader=seed cpus=2 failed=0\n'
             'Call Trace:\n trace: no memory for 4 CPUs\' buffers; not tracing\n')
    c.add('stormlog: only key=value storm lines count, prefixes allowed; no trace -> None',
          stormlog.parse_storm(noise) == {'loader': 'seed', 'cpus': 2, 'failed': 0} and
          stormlog.parse_trace(noise) is None, f'got {stormlog.parse_storm(noise)}')
    # The whole line, as the boot tests want it (tests/storm_checks.py):
    # every key of the contract, in order; the sample's has one more.
    line = next(ln for ln in text.splitlines() if ln.startswith('storm: loader='))
    short = line.replace(' ebusy=1', '')
    c.add('stormlog: STORM_LINE and whole() take the sample\'s storm line, not one short of a key',
          re.search(stormlog.STORM_LINE, text, re.M) and stormlog.whole(stormlog.parse_storm(text)) and
          not re.search(stormlog.STORM_LINE, short, re.M) and
          not stormlog.whole(stormlog.parse_storm(short)) and
          not stormlog.whole(stormlog.parse_storm(noise)), f'pattern {stormlog.STORM_LINE}')


def check_trace2svg(c, out):
    try:
        import trace2svg
        import matplotlib  # noqa: F401
    except ImportError as e:
        c.add('trace2svg: draws the sample', False, f'{e}: install python3-matplotlib (make deps)')
        return
    prefix = out / 'trace-sample'
    for suffix in ('.svg', '.png'):
        prefix.with_name(prefix.name + suffix).unlink(missing_ok=True)
    status, said = quiet(trace2svg.main, [str(SAMPLE), str(prefix)])
    svg = prefix.with_name(prefix.name + '.svg')
    png = prefix.with_name(prefix.name + '.png')
    svg_text = svg.read_text() if svg.exists() else ''
    c.add('trace2svg: the sample gives an SVG and a PNG',
          status == 0 and '<svg' in svg_text and 'loader=legacy, 3 CPUs' in svg_text and
          png.exists() and png.read_bytes()[:8] == b'\x89PNG\r\n\x1a\n',
          f'status {status}: {said.strip()[-200:]}')
    empty = out / 'no-trace.log'
    empty.write_text('smp: 2 CPUs online\nreboot: Power down\n')
    status, said = quiet(trace2svg.main, [str(empty), str(out / 'no-trace')])
    c.add('trace2svg: a log without a trace is refused, saying why',
          status == 1 and 'no trace events (boot with trace=1)' in said, f'status {status}: {said}')


def storm_line(mode, cpus, failed, reserved_peak, modmem_peak):
    return (f'storm: loader={mode} cpus={cpus} requests={4 * cpus} loaded=4 '
            f'eexist={4 * cpus - 4 - failed} ebusy=0 failed={failed} '
            f'reserved_peak={reserved_peak} reserved_size=8192 modmem_peak={modmem_peak} '
            f'dup_bytes={modmem_peak - 1000} elapsed_us={100 * cpus}')


def check_compare(c, out):
    try:
        import compare
        import matplotlib  # noqa: F401
    except ImportError as e:
        c.add('compare: tables and draws runs', False, f'{e}: install python3-matplotlib (make deps)')
        return
    logs = out / 'compare'
    logs.mkdir(parents=True, exist_ok=True)
    for f in logs.glob('*.log'):
        f.unlink()
    paths = []
    for mode in ('idempotent', 'unformed', 'legacy'):     # not in order
        for cpus in (4, 1, 2):
            failed = cpus - 1 if mode == 'legacy' else 0
            peak = 8192 if failed else 7024
            modmem = 1000 if mode == 'idempotent' else 1000 * cpus
            extra = ' merged=3' if mode == 'idempotent' else ''
            path = logs / f'{mode}-smp{cpus}.log'
            path.write_text(f'smp: {cpus} CPUs online\r\n'
                            f'{storm_line(mode, cpus, failed, peak, modmem)}{extra}\r\n')
            paths.append(path)
    crashed = logs / 'seed-smp8.log'
    crashed.write_text('smp: 8 CPUs online\nKernel panic - not syncing: oops\n')
    paths.append(crashed)

    runs = compare.load_runs(paths)
    order = [(r['mode'], r['cpus']) for r in runs]
    want = [(m, n) for m in ('legacy', 'seed', 'unformed', 'idempotent')
            for n in (1, 2, 4, 8) if m == 'seed' and n == 8 or m != 'seed' and n != 8]
    legacy4 = runs[2]
    c.add('compare: runs by generation then CPUs; figures from the storm line',
          order == want and legacy4['failed'] == 3 and legacy4['reserved_peak'] == 8192 and
          legacy4['modmem_peak'] == 4000 and runs[3].get('missing') == 'no storm line',
          f'order {order}; legacy-4 {legacy4}')

    prefix = out / 'compare-sample'
    status, said = quiet(compare.main, ['--out', str(prefix)] + [str(p) for p in paths])
    md = prefix.with_name(prefix.name + '.md')
    table = md.read_text() if md.exists() else ''
    rows = [ln for ln in table.splitlines() if ln.startswith('| ')]
    header = ('| mode | cpus | requests | loaded | eexist | ebusy | failed | reserved_peak | '
              'reserved_size | modmem_peak | dup_bytes | elapsed_us | merged |')
    c.add('compare: markdown table, header and one row per log, a crashed boot named',
          rows and rows[0] == header and len(rows) == 1 + len(paths) and
          '| legacy | 4 | 16 | 4 | 9 | 0 | 3 | 8192 | 8192 | 4000 | 3000 | 400 |  |' in rows and
          any(r.startswith('| seed | 8 | no storm line: see ') for r in rows),
          f'{md}: {rows[:2]}')
    svg = prefix.with_name(prefix.name + '.svg')
    png = prefix.with_name(prefix.name + '.png')
    c.add('compare: SVG and PNG written; status 1 for the boot without a storm line',
          status == 1 and svg.exists() and '<svg' in svg.read_text() and png.exists() and
          'seed-smp8.log: no storm line' in said, f'status {status}: {said.strip()[-200:]}')


def load_compare_linux():
    """tools/compare-linux.py as a module (its name has a hyphen)."""
    spec = importlib.util.spec_from_file_location('compare_linux', ROOT / 'tools' / 'compare-linux.py')
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def check_compare_linux(c, out):
    cl = load_compare_linux()
    archive = out / 'compare-linux-initramfs.cpio'
    archive.write_bytes(cl.linux_initramfs(b'busybox', b'irqbypass', b'kvm'))
    listing = subprocess.run(['cpio', '-itv', '--quiet'], stdin=archive.open('rb'),
                             capture_output=True, text=True, timeout=30)
    rows = {ln.split()[-1]: ln for ln in listing.stdout.splitlines() if ln.split()}
    console = rows.get('dev/console', '')
    c.add('compare-linux: its initramfs, as GNU cpio lists it: the console a character device 5,1',
          listing.returncode == 0 and console.startswith('c') and re.search(r'\b5,\s*1\b', console) and
          {'init', 'bin/busybox', 'lib/modules/kvm.ko', 'lib/modules/irqbypass.ko',
           'dev/null', 'dev/kmsg'} <= set(rows),
          f'status {listing.returncode}: {listing.stderr.strip()[-200:]} {sorted(rows)}')
    init = subprocess.run(['cpio', '-i', '--quiet', '--to-stdout', 'init'], stdin=archive.open('rb'),
                          capture_output=True, timeout=30)
    c.add('compare-linux: its init script comes out of the archive as written',
          init.returncode == 0 and init.stdout == cl.INIT.encode(), f'status {init.returncode}')

    # Real logs, cut from real boots at 8 CPUs.
    linux = cl.figures('linux', (ROOT / 'tests/tools/compare-linux-smp8-linux.log').read_text())
    ours = cl.figures('ours', (ROOT / 'tests/tools/compare-linux-smp8-ours.log').read_text())
    want = {'requests': 8, 'loaded': 1, 'eexist': 7, 'ebusy': 0, 'failed': 0}
    c.add('compare-linux: outcomes and storm time from both kernels\' logs',
          linux and ours and all(linux[k] == v and ours[k] == v for k, v in want.items()) and
          linux['storm_us'] > 0 and ours['storm_us'] > 0, f'Linux {linux}, ours {ours}')
    c.add('compare-linux: no figures from a log without an outcome line',
          cl.figures('linux', 'Kernel panic - not syncing: oops\n') is None and
          cl.figures('ours', 'smp: 8 CPUs online\n') is None)
    row = dict(want, cpus=8)
    same = cl.agreement([dict(row, kernel='linux'), dict(row, kernel='ours')])
    differ = cl.agreement([dict(row, kernel='linux'), dict(row, kernel='ours', eexist=6, failed=1)])
    c.add('compare-linux: outcomes that agree are the same, others differ',
          [v[:2] for v in same] == [(8, True)] and [v[:2] for v in differ] == [(8, False)],
          f'{same} {differ}')


def check(build, report):
    out = pathlib.Path(build) / 'test' / 'tools'
    out.mkdir(parents=True, exist_ok=True)
    c = Checks(report)
    check_parsers(c)
    check_trace2svg(c, out)
    check_compare(c, out)
    check_compare_linux(c, out)


class _Print:
    def __init__(self):
        self.failed = 0

    def add(self, name, ok, detail=''):
        print(f'ok - {name}' if ok else f'not ok - {name}: {detail}', flush=True)
        self.failed += not ok


if __name__ == '__main__':
    r = _Print()
    check(sys.argv[1] if len(sys.argv) > 1 else ROOT / 'build', r)
    sys.exit(1 if r.failed else 0)
