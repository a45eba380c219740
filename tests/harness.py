#!/usr/bin/python3
"""tests/harness.py - run a test, bound it in time, read its KTAP, count it.

What every part of `make test` shares: the Report that counts and prints
"ok - name" / "not ok - name: why" / "ok - name # SKIP why" and the
closing "N passed, N failed"; run(), which bounds a command in time and
kills its whole process group when it overruns; and run_boot(), which
makes one Boot of tests/boots.py into an image, boots it, and checks the
exit status, the serial log's lines (or the screen's) and every KTAP
case the kernel printed (tests/ktap.py).  tests/run.py decides what
runs.
"""
import os
import pathlib
import re
import shlex
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
sys.path.insert(0, str(ROOT / 'tests' / 'qemu'))
sys.path.insert(0, str(ROOT / 'tools'))
import klog  # noqa: E402
import ktap  # noqa: E402
import screen  # noqa: E402
import sendkeys  # noqa: E402


class Report:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.skipped = 0
        self.lock = threading.Lock()

    def add(self, name, ok, detail=''):
        with self.lock:
            if ok:
                self.passed += 1
                print(f'ok - {name}', flush=True)
            else:
                self.failed += 1
                print(f'not ok - {name}: {detail}', flush=True)

    def skip(self, name, reason):
        with self.lock:
            self.skipped += 1
            print(f'ok - {name} # SKIP {reason}', flush=True)

    def summary(self):
        """The closing line; its skip count only when something was."""
        line = f'{self.passed} passed, {self.failed} failed'
        if self.skipped:
            line += f', {self.skipped} skipped'
        print(line, flush=True)
        return 1 if self.failed else 0


def run(cmd, timeout, **kw):
    """Run cmd with a time limit; on timeout kill its whole process group
    (run-qemu.sh's QEMU, run-bochs.sh's bochs), not just the script: an
    orphaned 64-CPU QEMU would eat the host for the rest of the run."""
    # No input: a boot reads nothing typed on the terminal make test ran
    # from (QEMU's -serial stdio would pass it to the kernel).
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True, **kw)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors='replace'), False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, (out or b'').decode(errors='replace'), True


MONITOR_PROMPT = b'mkernel> '
QUIET_AT_PROMPT = 0.3   # seconds of silence after a prompt: the monitor waits


@dataclass
class Keys:
    """Raw bytes for a session, typed as they are (no Enter after them):
    at the prompt, or once the text 'when' has come since the last thing
    typed (a Ctrl-C while a command runs); delay seconds after that."""
    data: bytes
    when: str = None
    delay: float = 0


def prompted_session(cmd, entries, timeout, type_entry, stdin=subprocess.PIPE, **kw):
    """Run cmd (a boot with the monitor), and for each of entries, once
    it is time, call type_entry(p, entry, deadline) with the running
    process: True goes on, False stops typing, a string stops and is
    written into the log.  A string entry's time is when the monitor
    waits at its prompt (a prompt since the last thing typed ends the
    output, and has been quiet a moment); a Keys entry's as it says.  The
    boot then ends by itself (the last line should be poweroff) or at
    the timeout.  Returns (status or None, log, timed out)."""
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=stdin, start_new_session=True, **kw)
    out = bytearray()
    got = threading.Condition()
    last_output = [time.monotonic()]

    def pump():
        for chunk in iter(lambda: p.stdout.read1(4096), b''):
            with got:
                out.extend(chunk)
                last_output[0] = time.monotonic()
                got.notify_all()
        with got:
            got.notify_all()

    def ready(entry, typed_at):
        if isinstance(entry, Keys) and entry.when is not None:
            return entry.when.encode() in out[typed_at:]
        # A prompt since the last thing typed (its echo may be slow to
        # come), ending the output, and quiet after it.
        return out.endswith(MONITOR_PROMPT) and MONITOR_PROMPT in out[typed_at:] and \
            time.monotonic() - last_output[0] >= QUIET_AT_PROMPT
    reader = threading.Thread(target=pump, daemon=True)
    reader.start()
    deadline = time.monotonic() + timeout
    timed_out = False
    typed_at = 0
    for entry in entries:
        with got:
            while not ready(entry, typed_at) and p.poll() is None and \
                    time.monotonic() < deadline:
                got.wait(0.1)
            typed_at = len(out)
        if p.poll() is not None or time.monotonic() >= deadline:
            break
        said = type_entry(p, entry, deadline)
        if said is not True:
            if said:
                with got:
                    out.extend(f'\nharness: {said}\n'.encode())
            break
    try:
        p.wait(timeout=max(1, deadline - time.monotonic()))
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        p.wait()
        timed_out = True
    reader.join(timeout=5)
    return (None if timed_out else p.returncode), out.decode(errors='replace'), timed_out


def run_session(cmd, entries, timeout, **kw):
    """Like run(), for a boot with the monitor: each entry is typed on
    the serial line (QEMU's standard input): a string with Enter after
    it, at the prompt; a Keys entry's bytes as they are, when it says."""
    def type_serial(p, entry, deadline):
        if isinstance(entry, Keys) and entry.delay:
            time.sleep(entry.delay)
        data = entry.data if isinstance(entry, Keys) else entry.encode() + b'\r'
        try:
            p.stdin.write(data)
            p.stdin.flush()
        except BrokenPipeError:
            return False
        return True
    return prompted_session(cmd, entries, timeout, type_serial, **kw)


def run_keyboard(cmd, lines, timeout, **kw):
    """Like run_session(), with the lines typed on the PS/2 keyboard
    instead of the serial line: QEMU's QMP send-key, one keystroke at a
    time (tests/qemu/sendkeys.py), each line (its Enter written in it:
    {ret}) once the monitor's prompt has come one more time.  Every wait
    is bounded by timeout."""
    sockdir = tempfile.mkdtemp(prefix='keys-')
    sock = os.path.join(sockdir, 'qmp.sock')
    qmp = None

    def type_keys(p, line, deadline):
        nonlocal qmp
        try:
            qmp = qmp or screen.Qmp(sock, timeout=max(1, min(10, deadline - time.monotonic())))
            sendkeys.send(qmp, line)
        except (OSError, screen.ScreenError) as e:
            return f'QMP: {e}'
        return True
    try:
        return prompted_session(cmd + ['--', '-qmp', f'unix:{sock},server=on,wait=off'],
                                lines, timeout, type_keys, stdin=subprocess.DEVNULL, **kw)
    finally:
        if qmp:
            qmp.close()
        shutil.rmtree(sockdir, ignore_errors=True)


def qemu_failure(log):
    """What tools/run-qemu.sh said when QEMU failed under KVM (QEMU's own
    line, and the advice), or None."""
    lines = [ln[len('run-qemu: '):] for ln in log.splitlines()
             if ln.startswith(('run-qemu: QEMU failed', 'run-qemu: rerun with'))]
    return '; '.join(lines) or None


def run_screen_boot(build, b, iso, report, accel):
    """A boot that stays up: what its screen shows, read back through
    QEMU once the serial log reaches b.screen_until."""
    name = f'qemu/{b.name}'
    try:
        log, lines = screen.boot_and_read(str(iso), b.firmware, b.boot,
                                          timeout=b.time_limit(),
                                          until=b.screen_until, accel=accel,
                                          cache=str(build / 'accel'),
                                          linger=b.screen_linger, smp=b.smp,
                                          serial_port=b.console != 'none',
                                          display=b.display)
    except screen.ScreenError as e:
        report.add(f'{name}: screen read', False, str(e))
        return
    text = '\n'.join(line.rstrip() for line in lines)
    (build / 'test' / f'{b.name}.log').write_text(log.replace('\r', ''))
    (build / 'test' / f'{b.name}.screen').write_text(text + '\n')
    log, text = klog.untimed(log), klog.untimed(text)
    for pattern in b.screen:
        report.add(f'{name}: screen shows /{pattern}/', re.search(pattern, text, re.M) is not None,
                   f'not on screen; see {build}/test/{b.name}.screen')
    report_rejects(b, log, report, name)


def report_rejects(b, log, report, name):
    """One result for each pattern the log must not match."""
    for pattern in b.reject:
        m = re.search(pattern, log, re.M)
        report.add(f'{name}: log lacks /{pattern}/', m is None,
                   'found: ' + (log[m.start():m.start() + 120].splitlines()[0] if m else ''))


def run_boot(build, b, report, accel='tcg'):
    """One Boot: its own image (its command line is baked into GRUB's
    menu), the boot under its time bound, and a result for each check.
    The serial log stays in BUILD/test/NAME.log."""
    tdir = build / 'test'
    tdir.mkdir(parents=True, exist_ok=True)
    iso = tdir / f'{b.name}.iso'
    initrd = b.initrd or build / 'initrd.cpio'
    mkiso_env = dict(os.environ, GFXPAYLOAD=b.gfxpayload) if b.gfxpayload else None
    rc, out, _ = run([str(ROOT / 'tools/mkiso.sh'), str(iso), str(build / 'kernel.elf'),
                      str(initrd), b.cmdline], 300, cwd=ROOT, env=mkiso_env)
    if rc != 0:
        report.add(f'qemu/{b.name}: image', False, out.strip()[-200:])
        return
    if b.screen:
        run_screen_boot(build, b, iso, report, accel)
        iso.unlink(missing_ok=True)
        return
    timeout = b.time_limit()
    env = dict(os.environ)
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    if b.emulator == 'bochs':
        # Its own bound a little inside ours, so that it prints the log.
        cmd = [str(ROOT / 'tools/run-bochs.sh'), '--iso', str(iso), '--smp', str(b.smp),
               '--timeout', str(timeout - 30)]
    else:
        cmd = [str(ROOT / 'tools/run-qemu.sh'), '--iso', str(iso), '--smp', str(b.smp),
               '--mem', b.mem, '--firmware', b.firmware, '--boot', b.boot, '--debug-exit',
               '--accel', accel, '--cache', str(build / 'accel'), '--console', b.console]
        if b.topology:
            cmd += ['--topology', b.topology]
        if b.machine:
            cmd += ['--machine', b.machine]
        if b.chipset != 'q35':
            cmd += ['--chipset', b.chipset]
        if b.cpu:
            cmd += ['--cpu', b.cpu]
        if b.display != 'std':
            cmd += ['--display', b.display]
        if b.console == 'mon':
            # As make monitor runs: on a terminal (a pseudo-terminal from
            # script(1)), where a Ctrl-C could be a signal to QEMU.
            cmd = ['script', '-qefc', shlex.join(cmd), '/dev/null']
    if b.keys:
        rc, log, timed_out = run_keyboard(cmd, b.keys, timeout, cwd=ROOT, env=env)
    elif b.session:
        rc, log, timed_out = run_session(cmd, b.session, timeout, cwd=ROOT, env=env)
    else:
        rc, log, timed_out = run(cmd, timeout, cwd=ROOT, env=env)
    log = log.replace('\r', '')
    (tdir / f'{b.name}.log').write_text(log)
    iso.unlink(missing_ok=True)
    # The checks read the text after the timestamps (tools/klog.py); the
    # log kept has them.
    stamped, log = log, klog.untimed(log)
    # A boot that QEMU itself gave up (KVM failing) is named by QEMU's line.
    last = qemu_failure(log) or \
        'last line: ' + (log.strip().splitlines() or ['(no output)'])[-1][-120:]
    name = f'{b.emulator}/{b.name}'
    if timed_out:
        report.add(f'{name}: exits', False, f'timed out after {timeout} s; {last}')
    elif b.expect_exit is None:
        pass    # bochs: its exit status says nothing about the kernel
    else:
        report.add(f'{name}: exits with status {b.expect_exit}', rc == b.expect_exit,
                   f'status {rc}; {last}')
    for pattern in b.expect:
        report.add(f'{name}: log has /{pattern}/',
                   re.search(pattern, log, re.M) is not None, f'missing; {last}')
    report_rejects(b, log, report, name)
    if b.stamps is not None:
        ok, detail = stamps_as_expected(stamped, b.stamps)
        report.add(f'{name}: ' + ('every kernel line is timestamped, in order' if b.stamps
                                  else 'no line is timestamped (printk.time=0)'), ok, detail)
    if b.check:
        b.check(log, report, name)
    if b.ktap:
        results = ktap.parse(log, prefix=f'{name}/ktap/')
        if not results:
            report.add(f'{name}/ktap', False, 'no KTAP results in the log')
        for r in results:
            report.add(r.name, r.ok, r.detail)


def stamps_as_expected(log, expected):
    """(ok, detail): with expected, every line from the banner to the
    power-down has printk's timestamp (kernel/printk.c), they never go
    backwards, and the clock ran; without, no line has one."""
    lines = log.splitlines()
    if not expected:
        bad = [ln for ln in lines if klog.TIMESTAMP.match(ln)]
        return not bad, f'{len(bad)} stamped, the first: {bad[0][:80]}' if bad else ''
    first = next((i for i, ln in enumerate(lines) if 'mkernel version ' in ln), None)
    last = next((i for i in range(len(lines) - 1, -1, -1) if 'reboot: Power down' in lines[i]), None)
    if first is None or last is None:
        return False, 'no banner or no power-down line'
    kernel = [ln for ln in lines[first:last + 1] if ln.strip()]
    bare = [ln for ln in kernel if not klog.TIMESTAMP.match(ln)]
    times = [t for t, _ in klog.stamps('\n'.join(kernel))]
    back = [(a, b) for a, b in zip(times, times[1:]) if b < a]
    if bare:
        return False, f'{len(bare)} of {len(kernel)} lines lack one, the first: {bare[0][:80]}'
    if back:
        return False, f'{len(back)} go backwards, the first: {back[0][0]:.6f} then {back[0][1]:.6f}'
    return times[-1] > 0, f'{len(times)} lines, the last at {times[-1]:.6f} s'


def skip_boot(b, report, reason):
    """Every check run_boot would make of b, reported skipped."""
    name = f'{b.emulator}/{b.name}'
    report.skip(f'{name}: exits with status {b.expect_exit}', reason)
    for pattern in b.expect:
        report.skip(f'{name}: log has /{pattern}/', reason)
    for pattern in b.reject:
        report.skip(f'{name}: log lacks /{pattern}/', reason)
    if b.ktap:
        report.skip(f'{name}/ktap', reason)


def kvm_verdicts(build, firmwares):
    """{firmware: None if KVM runs our image, else why not}: one short
    boot each (tools/kvm-check.sh), not cached: this is the test."""
    iso = build / 'test' / 'kvm-check.iso'
    iso.parent.mkdir(parents=True, exist_ok=True)
    rc, out, _ = run([str(ROOT / 'tools/mkiso.sh'), str(iso), str(build / 'kernel.elf'),
                      str(build / 'initrd.cpio'), 'poweroff'], 300, cwd=ROOT)
    if rc != 0:
        return {fw: f'no image for the check: {out.strip()[-200:]}' for fw in firmwares}
    verdicts = {}
    for fw in firmwares:
        rc, out, _ = run([str(ROOT / 'tools/kvm-check.sh'), '--iso', str(iso), '--firmware', fw], 120)
        print(f'# kvm-check ({fw}): {out.strip()}', flush=True)
        verdicts[fw] = None if rc == 0 else (out.strip() or f'kvm-check status {rc}')
    iso.unlink(missing_ok=True)
    return verdicts
