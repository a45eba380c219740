#!/usr/bin/python3
"""tests/accel_check.py - the accelerator choice (ACCEL=tcg|kvm|auto) on
any host, with or without a working KVM.

A host whose /dev/kvm is present but broken is the case that matters
(QEMU prints "KVM internal error" and the guest sits paused), and a test
host may have no KVM at all, or a working one.  So the tests put
tests/qemu/fake-kvm/qemu-system-x86_64 first in PATH and point KVM_DEV at
a file of their own: under "-accel kvm" that QEMU behaves as the broken
host does (FAKE_KVM=broken) or as a working one (FAKE_KVM=works: TCG
underneath); without it, it is the real QEMU.  What is checked:

  * ACCEL=kvm on a broken host fails at once (not at a timeout) with
    QEMU's line and the advice "rerun with ACCEL=tcg", status 4;
  * ACCEL=auto there chooses TCG, says why, boots, and caches the
    verdict (a second run boots nothing under KVM);
  * on a working KVM, auto chooses KVM; when KVM then fails a boot, the
    cached verdict becomes TCG;
  * no KVM device: auto says so and chooses TCG; ACCEL=kvm fails at once;
  * the harness (tests/run.py) and the screen reader name the failure
    and the advice; make test-kvm's path reports its checks skipped.

Run alone: tests/accel_check.py [BUILD]; tests/run.py calls check().
"""
import os
import pathlib
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
FAKE = ROOT / 'tests' / 'qemu' / 'fake-kvm'
RUN_QEMU = ROOT / 'tools' / 'run-qemu.sh'
ADVICE = 'run-qemu: rerun with ACCEL=tcg'
INTERNAL = 'KVM internal error. Suberror: 1'
# A bound, not a timing: a failure that waited for it was not fast.
BOUND = 60


def fake_env(tmp, mode, device=True):
    env = dict(os.environ, PATH=f'{FAKE}:{os.environ["PATH"]}', FAKE_KVM=mode,
               FAKE_KVM_LOG=str(tmp / 'kvm-starts'))
    env['KVM_DEV'] = str(tmp / 'kvm') if device else str(tmp / 'no-such-kvm')
    for var in ('DISPLAY', 'WAYLAND_DISPLAY'):
        env.pop(var, None)
    return env


def run(cmd, env):
    """(status or None when the bound ended it, output)."""
    try:
        p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, env=env, timeout=BOUND, cwd=ROOT)
        return p.returncode, p.stdout.decode(errors='replace')
    except subprocess.TimeoutExpired as e:
        return None, (e.stdout or b'').decode(errors='replace')


def kvm_starts(tmp):
    log = tmp / 'kvm-starts'
    return len(log.read_text().splitlines()) if log.exists() else 0


def qemu(tmp, iso, accel, mode, cache, device=True):
    return run([str(RUN_QEMU), '--iso', str(iso), '--accel', accel, '--cache', str(cache),
                '--smp', '1', '--debug-exit'], fake_env(tmp, mode, device))


def line_with(out, start):
    return next((ln for ln in out.splitlines() if ln.startswith(start)), None)


def check(build, report):
    tmp = pathlib.Path(tempfile.mkdtemp(prefix='accel-'))
    try:
        (tmp / 'kvm').touch()
        iso = tmp / 'accel.iso'
        p = subprocess.run([str(ROOT / 'tools/mkiso.sh'), str(iso), str(build / 'kernel.elf'),
                            str(build / 'initrd.cpio'), 'poweroff storm=off'],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, cwd=ROOT)
        if p.returncode != 0:
            report.add('accel: an image to boot', False, p.stdout.decode(errors='replace')[-200:])
            return
        broken_host(tmp, iso, report)
        working_host(tmp, iso, report)
        no_device(tmp, iso, report)
        harness(tmp, build, report)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


def broken_host(tmp, iso, report):
    status, out = qemu(tmp, iso, 'kvm', 'broken', tmp / 'cache-broken')
    report.add('accel: ACCEL=kvm on a broken KVM fails at once, status 4, with QEMU\'s line and the advice',
               status == 4 and f'run-qemu: QEMU failed under KVM: {INTERNAL}' in out
               and out.rstrip().endswith(ADVICE),
               f'status {status}: {out.strip()[-300:]}')

    cache = tmp / 'cache-auto'
    status, out = qemu(tmp, iso, 'auto', 'broken', cache)
    said = line_with(out, 'run-qemu: accelerator ')
    report.add('accel: ACCEL=auto on a broken KVM chooses tcg and says why, and the boot powers off',
               status == 0 and said == 'run-qemu: accelerator tcg (ACCEL=auto: KVM failed its check '
               f'boot (bios): {INTERNAL})' and 'reboot: Power down' in out,
               f'status {status}: {said}')
    before = kvm_starts(tmp)
    status, out = qemu(tmp, iso, 'auto', 'broken', cache)
    said = line_with(out, 'run-qemu: accelerator ') or ''
    report.add('accel: the verdict is cached: the next auto run starts nothing under KVM',
               status == 0 and said.startswith('run-qemu: accelerator tcg (') and
               f'(cached in {cache}/kvm-' in said and kvm_starts(tmp) == before,
               f'status {status}, {kvm_starts(tmp) - before} KVM starts: {said}')


def working_host(tmp, iso, report):
    cache = tmp / 'cache-works'
    before = kvm_starts(tmp)
    status, out = qemu(tmp, iso, 'auto', 'works', cache)
    said = line_with(out, 'run-qemu: accelerator ') or ''
    report.add('accel: ACCEL=auto on a working KVM chooses kvm (one check boot, then the boot)',
               status == 0 and said.startswith("run-qemu: accelerator kvm (ACCEL=auto: KVM reached "
                                               "the kernel's banner in ")
               and kvm_starts(tmp) - before == 2 and 'reboot: Power down' in out,
               f'status {status}, {kvm_starts(tmp) - before} KVM starts: {said}')
    # The host breaks after the check: the failure is named and the
    # verdict rewritten, so the next auto run uses TCG.
    status, out = qemu(tmp, iso, 'auto', 'broken', cache)
    verdicts = list(cache.glob('kvm-*-bios'))
    first = verdicts[0].read_text().splitlines()[0] if verdicts else ''
    report.add('accel: KVM chosen by auto then failing: the advice, and the cached verdict becomes tcg',
               status == 4 and out.rstrip().endswith(ADVICE) and
               first == f'tcg: KVM failed a boot: {INTERNAL}',
               f'status {status}, verdict "{first}"')
    status, out = qemu(tmp, iso, 'auto', 'works', cache)
    said = line_with(out, 'run-qemu: accelerator ') or ''
    report.add('accel: ... and the next auto run chooses tcg',
               status == 0 and said.startswith('run-qemu: accelerator tcg (ACCEL=auto: KVM failed a boot'),
               f'status {status}: {said}')


def no_device(tmp, iso, report):
    status, out = qemu(tmp, iso, 'auto', 'works', tmp / 'cache-none', device=False)
    said = line_with(out, 'run-qemu: accelerator ') or ''
    report.add('accel: no KVM device: auto chooses tcg and says so',
               status == 0 and said == f'run-qemu: accelerator tcg (ACCEL=auto: this host has no '
               f'{tmp}/no-such-kvm)', f'status {status}: {said}')
    before = kvm_starts(tmp)
    status, out = qemu(tmp, iso, 'kvm', 'works', tmp / 'cache-none', device=False)
    report.add('accel: no KVM device: ACCEL=kvm fails at once with the advice, starting nothing',
               status == 4 and out.rstrip().endswith(ADVICE) and kvm_starts(tmp) == before,
               f'status {status}: {out.strip()[-200:]}')


def harness(tmp, build, report):
    """tests/run.py itself under the broken KVM."""
    harness = [sys.executable, str(ROOT / 'tests' / 'run.py'), '--build', str(build), '--jobs', '1']
    env = fake_env(tmp, 'broken')
    status, out = run(harness + ['--qemu-only', '--accel', 'kvm', '--boots', '^(bios-cd|bios-screen)$'],
                      env)
    boot = line_with(out, 'not ok - qemu/bios-cd: exits with status 0: ') or ''
    screen = line_with(out, 'not ok - qemu/bios-screen: screen read: ') or ''
    report.add('accel: the harness names a KVM failure with QEMU\'s line and the advice, at once',
               status == 1 and boot.endswith(f'status 4; QEMU failed under KVM: '
                                             f'{INTERNAL}; rerun with ACCEL=tcg'),
               f'status {status}: "{boot}"')
    report.add('accel: so does the screen reader',
               screen.endswith(f'QEMU failed under KVM: {INTERNAL}; rerun with ACCEL=tcg'),
               f'"{screen}"')
    status, out = run(harness + ['--kvm', '--boots', '^kvm-smp-1-bios$'], env)
    skips = [ln for ln in out.splitlines() if ln.startswith('ok - qemu/kvm-smp-1-bios')
             and ln.endswith(f'# SKIP tcg: KVM failed its check boot (bios): {INTERNAL}')]
    last = (out.strip().splitlines() or [''])[-1]
    report.add('accel: make test-kvm on a broken KVM: every check skipped with the reason',
               status == 0 and len(skips) > 5 and last == f'0 passed, 0 failed, {len(skips)} skipped',
               f'status {status}, {len(skips)} skips, last line "{last}"')


if __name__ == '__main__':
    sys.path.insert(0, str(ROOT / 'tests'))
    from harness import Report  # noqa: E402
    r = Report()
    check((ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve(), r)
    sys.exit(r.summary())
