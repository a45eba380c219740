#!/usr/bin/python3
"""tests/tools_check.py - the storm's host tools on logs whose figures are
known: tools/stormlog.py's parsers, tools/trace2svg.py and
tools/compare.py (make trace, make compare).

  * tests/tools/storm-legacy-3.log, the serial log of a real boot
    (loader=legacy trace=1 at 3 CPUs; read again with the serial port's
    CR LF line ends): the storm line's keys, the trace's events, each
    CPU's steps and how long each lasted, the failures, the reserved
    chunk's curve;
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
import klog  # noqa: E402
import stormlog  # noqa: E402

SAMPLE = ROOT / 'tests' / 'tools' / 'storm-legacy-3.log'
# A real log: lines 26-201 of the serial log of `make trace SMP=4
# LOADER=legacy` (the percpu: boot line to "trace: end"), CR LF made LF.
REAL = ROOT / 'tests' / 'tools' / 'trace-legacy-4.log'

# What the sample says, read off its lines by hand (not by stormlog).
SAMPLE_STORM = {'loader': 'legacy', 'cpus': 3, 'requests': 12, 'loaded': 3,
                'eexist': 4, 'ebusy': 0, 'failed': 5, 'reserved_peak': 8192,
                'reserved_size': 8192, 'modmem_peak': 75120,
                'dup_bytes': 171706, 'elapsed_us': 203728, 'merged': 0}
# CPU 0: CPUs 1 and 2 took the reserve's 8 KiB for acpi_cpufreq while it
# allocated, so each of its four requests fails in "allocating".
SAMPLE_CPU0 = [('reading', 'acpi_cpufreq', 31806155, 43400021),
               ('allocating', 'acpi_cpufreq', 43400021, 129975315),
               ('failed', 'acpi_cpufreq', 129975315, 130202338),
               ('reading', 'coretemp', 130202338, 130282969),
               ('allocating', 'coretemp', 130282969, 132805095),
               ('failed', 'coretemp', 132805095, 133197508),
               ('reading', 'kvm', 133197508, 133245347),
               ('allocating', 'kvm', 133245347, 135628745),
               ('failed', 'kvm_intel', 135628745, 136035845),
               ('reading', 'kvm', 136035845, 136294738),
               ('allocating', 'kvm', 136294738, 138788050),
               ('failed', 'kvm_intel', 138788050, 203716826)]
SAMPLE_END_NS = 203716826
SAMPLE_FAILED = [(129975315, 0, 'acpi_cpufreq'), (132805095, 0, 'coretemp'),
                 (135628745, 0, 'kvm_intel'), (138788050, 0, 'kvm_intel'),
                 (158349445, 2, 'coretemp')]


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
              trace.reserved_size == 8192 and len(trace.events) == 101 and
              trace.end == {'events': 101, 'dropped': 0} and not trace.problems())
        c.add(f'stormlog: trace of the sample ({name}): 101 events, 3 CPUs, whole', ok,
              f'got {trace and (trace.begin, trace.end, len(trace.events), trace.problems())}')
    trace = stormlog.parse_trace(text)
    first = trace.events[0]
    state = [e.arg for e in trace.events if e.event == 'state' and e.module == 'kvm']
    states = {e.arg for e in trace.events if e.event == 'state'}
    outcome = [e.arg for e in trace.events if e.event == 'outcome' and e.cpu == 1]
    c.add('stormlog: event fields (ns, cpu, name, module, arg, reserved_used); '
          'legacy has no UNFORMED state',
          (first.ns, first.cpu, first.event, first.module, first.arg, first.reserved_used) ==
          (293826, 1, 'request', 'acpi_cpufreq', 0, 0) and
          state == ['COMING', 'LIVE'] and states == {'COMING', 'LIVE'} and
          outcome == [-17, 0, 0, -17],
          f'first {first}, kvm states {state}, all {states}, CPU 1 outcomes {outcome}')
    cpu0 = [(s.step, s.module, s.start_ns, s.end_ns)
            for s in stormlog.segments(trace) if s.cpu == 0]
    c.add('stormlog: a step lasts until the CPU\'s next one, the last until the trace ends',
          cpu0 == SAMPLE_CPU0, f'CPU 0: {cpu0}')
    segs = stormlog.segments(trace)
    last = max((s for s in segs if s.cpu == 1), key=lambda s: s.start_ns)
    c.add('stormlog: every CPU has its steps; the last one ends with the trace',
          {s.cpu for s in segs} == {0, 1, 2} and trace.end_ns == SAMPLE_END_NS and
          (last.step, last.start_ns, last.end_ns) == ('eexist', 198954589, SAMPLE_END_NS),
          f'cpus {sorted({s.cpu for s in segs})}, end {trace.end_ns}, CPU 1 last {last}')
    failed = [(e.ns, e.cpu, e.module) for e in stormlog.failures(trace)]
    c.add('stormlog: the five failed loads are marked', failed == SAMPLE_FAILED,
          f'got {failed}')
    curve = stormlog.reserved_curve(trace)
    c.add('stormlog: reserved chunk curve: 0 -> full 8 KiB -> 4 KiB -> 8048 bytes at the end',
          trace.reserved_peak == 8192 and curve[0] == (293826, 0) and
          curve[1] == (126561001, 8192) and curve[2] == (157615815, 4096) and
          curve[-1] == (203636376, 8048),
          f'peak {trace.reserved_peak}, curve {curve}')

    # A log cut inside the trace, and without the storm line before it:
    # noticed.
    cut = text[text.index('trace: begin'):text.index('trace: 146762232')]
    trace = stormlog.parse_trace(cut)
    problems = trace.problems() if trace else []
    c.add('stormlog: a trace cut short is noticed, the storm line missing is None',
          stormlog.parse_storm(cut) is None and len(problems) == 2 and
          'no "trace: end"' in problems[0] and 'begin says 101 events, log has 36' in problems[1],
          f'problems {problems}')
    noise = ('storm: 3 CPUs, loader=legacy, modules kvm\n'
             '[    1.234] storm: loader=seed cpus=2 failed=0\n'
             'Call Trace:\n trace: no memory for 4 CPUs\' buffers; not tracing\n')
    c.add('stormlog: only key=value storm lines count, prefixes allowed; no trace -> None',
          stormlog.parse_storm(noise) == {'loader': 'seed', 'cpus': 2, 'failed': 0} and
          stormlog.parse_trace(noise) is None, f'got {stormlog.parse_storm(noise)}')
    # The whole line, as the boot tests want it (tests/storm_checks.py):
    # every key of the contract, in order.  The legacy sample's line is
    # one key short (it was cut before reserved_demand came); the 4-CPU
    # trace's is whole.
    real = REAL.read_text()
    line = next(ln for ln in real.splitlines() if ln.startswith('storm: loader='))
    short = line.replace(' ebusy=0', '')
    c.add('stormlog: STORM_LINE and whole() take a real storm line, not one short of a key',
          re.search(stormlog.STORM_LINE, real, re.M) and stormlog.whole(stormlog.parse_storm(real)) and
          stormlog.parse_storm(real)['reserved_demand'] == 12288 and
          not re.search(stormlog.STORM_LINE, short, re.M) and
          not stormlog.whole(stormlog.parse_storm(short)) and
          not stormlog.whole(stormlog.parse_storm(text)) and
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


def check_timeline(c, out):
    """tools/timeline.py on the real log: the figures below were read off
    that log by hand (awk over its trace lines)."""
    import timeline
    trace = stormlog.parse_trace(REAL.read_text())
    order, states = timeline.module_states(trace)
    acpi = [(st, a, b) for m, st, a, b in states if m == 'acpi_cpufreq']
    c.add('timeline: module states from listed/state events (legacy lists late)',
          order == ['acpi_cpufreq', 'coretemp', 'kvm', 'kvm_intel'] and
          acpi == [('UNFORMED', 290765131, 344768480), ('COMING', 344768480, 403053488),
                   ('LIVE', 403053488, trace.end_ns)],
          f'order {order}, acpi_cpufreq {acpi}')
    first = timeline.first_unformed(trace)
    c.add('timeline: the first UNFORMED module, who listed it, who waited meanwhile',
          first == ('acpi_cpufreq', 0, 290765131, 344768480, []), f'got {first}')
    phases = timeline.allocating_phases(trace)
    cpu1 = [(m, ph, a, b) for cpu, m, ph, a, b in phases if cpu == 1][:2]
    totals = timeline.phase_totals(trace)
    c.add('timeline: allocating cut at modmem_alloc; refused until the failed step',
          cpu1 == [('acpi_cpufreq', 'module memory', 156996796, 340163801),
                   ('acpi_cpufreq', 'per-CPU refused', 340163801, 465965984)] and
          totals['per-CPU refused'][0] == 8 and totals['per-CPU granted'][0] == 7 and
          'to the name check' not in totals, f'CPU 1 {cpu1}, totals {totals}')
    try:
        import matplotlib  # noqa: F401
    except ImportError as e:
        c.add('timeline: draws the real log', False, f'{e}: install python3-matplotlib (make deps)')
        return
    prefix = out / 'timeline-legacy-4'
    status, said = quiet(timeline.main, [str(REAL), str(prefix)])
    svg = prefix.with_name(prefix.name + '.svg')
    c.add('timeline: the real log gives an SVG and a PNG, and the phase report',
          status == 0 and svg.exists() and '<svg' in svg.read_text() and
          prefix.with_name(prefix.name + '.png').exists() and
          re.search(r'per-CPU refused +8 x', said), f'status {status}: {said}')
    empty = out / 'no-trace.log'
    empty.write_text('storm: loader=legacy cpus=1\n')
    status, said = quiet(timeline.main, [str(empty), str(out / 'no-trace-timeline')])
    c.add('timeline: a log without a trace is refused, saying why',
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
              'reserved_size | modmem_peak | dup_bytes | elapsed_us | merged | reserved_demand |')
    c.add('compare: markdown table, header and one row per log, a crashed boot named',
          rows and rows[0] == header and len(rows) == 1 + len(paths) and
          '| legacy | 4 | 16 | 4 | 9 | 0 | 3 | 8192 | 8192 | 4000 | 3000 | 400 |  |  |' in rows and
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


def check_klog(c):
    """printk's timestamps (kernel/printk.c): taken off by klog.untimed()
    wherever a reader wants the contract's text, and checked in order by
    the harness's stamps_as_expected()."""
    import harness
    real = REAL.read_text()
    stamped = ''.join(f'[{12345 + i // 10:5d}.{i % 10 * 100001:06d}] {ln}\n'
                      for i, ln in enumerate(real.splitlines()))
    c.add('klog: a stamped log, untimed, is the log; its storm line is whole',
          klog.untimed(stamped) == real and re.search(stormlog.STORM_LINE, klog.untimed(stamped), re.M) and
          stormlog.parse_storm(stamped) == stormlog.parse_storm(real) and
          len(stormlog.parse_trace(stamped).events) == len(stormlog.parse_trace(real).events))
    odd = ('<6>[    0.123456] percpu: x\n[    1.234] not a stamp\n'
           '[100000.000001] wide\n  [    1.000000] indented\n')
    c.add('klog: the stamp behind a level marker goes, the marker stays; only Linux\'s format is a stamp',
          klog.untimed(odd) == '<6>percpu: x\n[    1.234] not a stamp\nwide\n  [    1.000000] indented\n' and
          klog.stamps(odd) == [(0.123456, 'percpu: x'), (100000.000001, 'wide')], repr(klog.untimed(odd)))
    good = ('SeaBIOS\n[    0.000000] mkernel version 0.1\n[    0.000000] a\n\n'
            '[    0.250000] b\n[    0.250000] reboot: Power down\nafter\n')
    results = [harness.stamps_as_expected(good, True),
               harness.stamps_as_expected(good.replace('[    0.000000] a', 'a'), True),
               harness.stamps_as_expected(good.replace('0.250000] b', '0.000001] b').replace(
                   '0.250000] r', '0.000000] r'), True),
               harness.stamps_as_expected(good.replace('0.250000', '0.000000'), True),
               harness.stamps_as_expected(klog.untimed(good), False),
               harness.stamps_as_expected(good, False)]
    c.add('harness: timestamps on every kernel line, in order, the clock running; or none at all',
          [ok for ok, _ in results] == [True, False, False, False, True, False],
          str(results))


def check(build, report):
    out = pathlib.Path(build) / 'test' / 'tools'
    out.mkdir(parents=True, exist_ok=True)
    c = Checks(report)
    check_klog(c)
    check_parsers(c)
    check_trace2svg(c, out)
    check_timeline(c, out)
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
