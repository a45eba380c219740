#!/usr/bin/python3
"""tests/linux_check.py - make test-long's comparison with the real Linux.

Runs tools/compare-linux.py at 8 CPUs (make compare-linux's driver:
Debian's Linux 6.1 and ours, each CPU asking for kvm at once, in the same
QEMU) and checks that the outcomes agree: each kernel loaded kvm once and
refused the other 7 requests with EEXIST, as Linux 6.1 does (it waits for
the first load while that one is UNFORMED or COMING, then finds it LIVE),
and both boot lines give the same reserved per-CPU size.  The figures of
time are not checked: they are the benchmark's, not the test's.

It fetches Debian's packages (apt-get download, cached under
BUILD/compare-linux/debs/), so it is in make test-long only; where they
cannot be fetched the check fails with the tool's one line.
"""
import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
from harness import run  # noqa: E402

CPUS = 8
# A fetch (600 s at most), two images, and two boots under their bounds.
TIMEOUT = 1500


def check(build, report):
    name = f'linux-compare/{CPUS}'
    out = build / 'compare-linux' / f'test-smp{CPUS}.json'
    out.unlink(missing_ok=True)
    rc, log, timed_out = run([sys.executable, str(ROOT / 'tools/compare-linux.py'),
                              '--build', str(build), '--cpus', str(CPUS), '--json', str(out)],
                             TIMEOUT, cwd=ROOT)
    last = (log.strip().splitlines() or ['(no output)'])[-1][-200:]
    if timed_out or not out.exists():
        why = f'timed out after {TIMEOUT} s' if timed_out else f'status {rc}'
        report.add(f'{name}: tools/compare-linux.py ran', False, f'{why}; {last}')
        return
    rows = {r['kernel']: r for r in json.loads(out.read_text())['rows']}
    want = {'loaded': 1, 'eexist': CPUS - 1, 'ebusy': 0, 'failed': 0}
    outcomes = {}
    for kernel, title in (('linux', 'Linux 6.1'), ('ours', 'ours (loader=unformed)')):
        r = rows.get(kernel, {})
        report.add(f'{name}: {title} gave its outcomes', not r.get('problem') and 'loaded' in r,
                   r.get('problem', 'no row'))
        outcomes[kernel] = {key: r.get(key) for key in want}
        report.add(f'{name}: {title} loaded kvm once and refused {CPUS - 1} with EEXIST',
                   outcomes[kernel] == want, f'{outcomes[kernel]}')
    report.add(f'{name}: the same outcomes under both', outcomes['linux'] == outcomes['ours'],
               f'Linux {outcomes["linux"]}, ours {outcomes["ours"]}')
    reserved = {k: rows.get(k, {}).get('reserved') for k in ('linux', 'ours')}
    report.add(f'{name}: the same reserved per-CPU size in both percpu: lines',
               reserved['linux'] is not None and reserved['linux'] == reserved['ours'],
               f'Linux r{reserved["linux"]}, ours r{reserved["ours"]}')
