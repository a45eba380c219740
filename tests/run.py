#!/usr/bin/python3
"""tests/run.py - the harness behind `make test`.

It runs, and counts as one test each:
  * every case of every host unit test (build/host/test_*, cmocka, under
    ASan and UBSan), read as TAP;
  * the kernel and modules build with clang, warning-free (gcc built
    them already);
  * the built modules and the initrd's lib/modules/ and etc/storm.conf
    (tests/modules_check.py);
  * the storm's host tools, trace2svg and compare, on logs whose figures
    are known (tests/tools_check.py);
  * the accelerator choice, ACCEL=tcg|kvm|auto, against a broken and a
    working KVM that tests/qemu/fake-kvm stands in for (accel_check.py);
  * QEMU boots of the hybrid image, BIOS and UEFI, from CD and USB, plus
    the bad-input boots (corrupt initrd, unknown parameter, faults): for
    each, the QEMU exit status and the serial-log lines it must show, and
    every KTAP case the kernel printed.
The boots use TCG unless --accel says otherwise; --kvm runs the KVM
boots (make test-kvm) instead, each check skipped where KVM cannot run
our image.  It prints "ok - name", "not ok - name: why" or
"ok - name # SKIP why" per test, and finally "N passed, N failed" (with
", N skipped" when any was); the exit status is 1 when anything failed.

Logs of every boot are kept in BUILD/test/<name>.log.
"""
import argparse
import concurrent.futures
import os
import pathlib
import re
import signal
import struct
import subprocess
import sys
import threading
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
sys.path.insert(0, str(ROOT / 'tests' / 'qemu'))
import accel_check  # noqa: E402
import ktap  # noqa: E402
import modules_check  # noqa: E402
import screen  # noqa: E402
import tools_check  # noqa: E402

# QEMU exit statuses (include/kernel/power.h): isa-debug-exit writes v,
# QEMU exits (v << 1) | 1.  0 means ACPI power-off really happened.
EXIT_POWEROFF = 0
EXIT_PANIC = 37


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
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         start_new_session=True, **kw)
    try:
        out, _ = p.communicate(timeout=timeout)
        return p.returncode, out.decode(errors='replace'), False
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        return None, (out or b'').decode(errors='replace'), True


# ---- host unit tests ----------------------------------------------------

def host_tests(build, report):
    exes = sorted((build / 'host').glob('test_*'))
    if not exes:
        report.add('host: unit tests exist', False, f'no {build}/host/test_* built')
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT='TAP')
    for exe in exes:
        if exe.suffix:
            continue
        rc, out, timed_out = run([str(exe)], 300, env=env)
        results = ktap.parse(out, prefix=f'host/{exe.name}/')
        for r in results:
            report.add(r.name, r.ok, r.detail)
        if timed_out:
            report.add(f'host/{exe.name}', False, 'timed out after 300 s')
        elif rc != 0 and all(r.ok for r in results):
            tail = ' | '.join(out.strip().splitlines()[-3:])
            report.add(f'host/{exe.name}', False, f'exit status {rc}: {tail}')
        elif not results:
            report.add(f'host/{exe.name}', False, 'printed no TAP results')


# ---- the module loader's core: kocheck and the fuzzer ---------------------

def kocheck_tests(build, report):
    """kocheck over every hostile module (tests/hostile/mkhostile.py): one
    line per file, and each line the one MANIFEST expects (ok for the
    valid copy and for the modules only the kernel can refuse, the
    refusal naming the check for every other)."""
    kocheck = build / 'host' / 'kocheck'
    hostile = build / 'hostile'
    manifest = hostile / 'MANIFEST'
    if not kocheck.exists() or not manifest.exists():
        report.add('kocheck: hostile modules', False, f'{kocheck} or {manifest} not built')
        return
    bad = []
    lines = [ln.split('\t') for ln in manifest.read_text().splitlines() if ln]
    for name, opts, want, _ in lines:
        path = hostile / name
        rc, out, _ = run([str(kocheck)] + opts.split() + [str(path)], 60)
        out = out.strip()
        if want == 'ok':
            good = rc == 0 and out == f'{path}: ok'
        else:
            good = (rc == 1 and out.startswith(f'{path}: error: ') and
                    want in out and len(out.splitlines()) == 1)
        if not good:
            bad.append(f'{name}: want "{want}", got (status {rc}) "{out}"')
    report.add(f'kocheck: {len(lines)} hostile modules each refused with its own reason, valid one ok',
               not bad and len(lines) > 40, '; '.join(bad[:3]) or 'too few variants')
    # Several files in one run: one line each, status 1 when any failed.
    files = [str(hostile / n) for n, _, _, _ in lines[:5]]
    rc, out, _ = run([str(kocheck), '--resolve-any'] + files, 60)
    report.add('kocheck: one line per file, non-zero status on failure',
               rc == 1 and len(out.strip().splitlines()) == len(files), f'status {rc}: {out[:200]}')


def fuzz_short(build, report, seconds=10):
    """A short libFuzzer run of tests/fuzz/fuzz_module.c (make fuzz runs
    longer), seeded with the hostile modules; any sanitizer report or
    crash fails it."""
    fuzzer = build / 'fuzz' / 'fuzz_module'
    if not fuzzer.exists():
        report.add('fuzz: module loader core', False, f'{fuzzer} not built')
        return
    corpus = build / 'fuzz' / 'corpus-test'
    corpus.mkdir(parents=True, exist_ok=True)
    seeds = sorted((build / 'hostile').glob('*.ko')) + sorted((build / 'modules').glob('*.ko'))
    for seed in seeds:
        (corpus / seed.name).write_bytes(seed.read_bytes())
    rc, out, timed_out = run([str(fuzzer), f'-max_total_time={seconds}', '-max_len=65536',
                              '-rss_limit_mb=2048', f'-artifact_prefix={build}/fuzz/',
                              str(corpus)], seconds + 120)
    m = re.search(r'Done (\d+) runs', out)
    runs = int(m.group(1)) if m else 0
    tail = ' | '.join(l for l in out.splitlines() if 'ERROR' in l or 'SUMMARY' in l)[:300]
    report.add(f'fuzz: module loader core, {seconds} s, {runs} runs, no sanitizer report',
               rc == 0 and not timed_out and runs > 0, tail or f'status {rc}')


# ---- builds -------------------------------------------------------------

def clang_build(build, report):
    rc, out, _ = run(['make', '--no-print-directory', 'kernel', 'modules',
                      'CC=clang', f'O={build}/clang'], 600, cwd=ROOT)
    tail = ' | '.join(out.strip().splitlines()[-3:])
    report.add('build: kernel and modules with clang -Wall -Wextra -Werror',
               rc == 0, tail)
    if rc == 0:
        kos = sorted((build / 'clang' / 'modules').glob('*.ko'))
        problems = [f'{ko.name}: {p}' for ko in kos
                    for p in modules_check.check_module(ko)]
        report.add('build: clang modules laid out as gcc ones',
                   kos and not problems, '; '.join(problems) or 'no .ko')


# ---- QEMU boots ---------------------------------------------------------

@dataclass
class Boot:
    name: str
    cmdline: str
    firmware: str = 'bios'
    boot: str = 'cd'
    smp: int = 2
    mem: str = '512M'
    initrd: pathlib.Path = None          # default: the built initrd
    expect_exit: int = EXIT_POWEROFF
    expect: list = field(default_factory=list)    # regexes the log must match
    reject: list = field(default_factory=list)    # regexes it must not match
    ktap: bool = False
    topology: str = None    # sockets,cores,threads
    timeout: int = None     # seconds; default by firmware and emulator
    emulator: str = 'qemu'  # or 'bochs' (x2APIC; BIOS only; no exit status)
    screen: list = None     # regexes the screen text must match (no poweroff)
    screen_until: str = 'done: halted'  # the serial line after which to read it
    check: object = None    # check(log, report, name): more than regexes


BANNER = r'^mkernel version \S+ \('
MEMORY = r'^Memory: \d+K/\d+K available \('
INITRD = r'^initrd: \d+ files, \d+ bytes$'
PERCPU = r'^percpu: Embedded \d+ pages/cpu s\d+ r\d+ d\d+ u\d+$'
POWEROFF = r'^reboot: Power down$'
# The percpu_alloc suite runs the reserved chunk dry once: Linux's line.
PERCPU_FAIL = r'^PERCPU: allocation failed, size=304 align=32, alloc from reserved chunk failed$'
STANDARD = [BANNER, MEMORY, PERCPU, INITRD, POWEROFF]
NO_FAULTS = [r'Kernel panic', r'^Call Trace:', r'WARNING at ', r'BUG: spinlock',
             r'watchdog: BUG', r'did not run the function within']
VGA_CONSOLE = r'^console: VGA text 80x25$'
XAPIC_MODE = r'^APIC: xAPIC mode at 0xfee00000, id 0$'
X2APIC_MODE = r'^APIC: x2APIC mode, id 0$'
FB_CONSOLE = r'^console: framebuffer \d+x\d+x(16|24|32) at 0x[0-9a-f]+, \d+x\d+ characters'


def crash(kind, exception, function, cmdline='', expect=(), **kw):
    """A deliberate fault: the report names it and the functions on the
    stack, and the kernel panics (QEMU status 37 through isa-debug-exit)."""
    return Boot(f'crash-{kind}', f'poweroff isa_debug_exit crash={kind}{cmdline}',
                expect_exit=EXIT_PANIC,
                expect=[exception, r'^RIP: [0-9a-f]{4}:' + function + r'\+0x[0-9a-f]+/0x[0-9a-f]+',
                        r'^Call Trace:', r'\] crash_run_requested\+', r'\] run_workloads\+', r'\] kmain\+',
                        r'CR2: [0-9a-f]{16}', r'Kernel panic - not syncing: ',
                        r'^CPU 1: stopped at RIP ', r'^smp: stopped 1 of 1 other CPUs$', *expect],
                **kw)


def hostile_check(build):
    """The boot module-hostile: for every line of the hostile MANIFEST
    (tests/hostile/mkhostile.py), between the two lines the suite
    module_hostile prints around its insmod, the kernel's refusal with
    the text the MANIFEST gives ("ok": the module loaded)."""
    manifest = build / 'hostile' / 'MANIFEST'

    def check(log, report, name):
        if not manifest.exists():
            report.add(f'{name}: hostile MANIFEST', False, f'{manifest} not built')
            return
        lines = [ln.split('\t') for ln in manifest.read_text().splitlines() if ln]
        bad = []
        for file, _, _, says in lines:
            path = f'test/hostile/{file}'
            m = re.search(rf'^module_hostile: insmod {re.escape(path)}\n(.*?)'
                          rf'^module_hostile: {re.escape(path)}: (\w+) \((-?\d+)\)$',
                          log, re.M | re.S)
            if not m:
                bad.append(f'{file}: no insmod of it in the log')
            elif says == 'ok':
                if m.group(2) != 'loaded':
                    bad.append(f'{file}: {m.group(2)} ({m.group(3)}), want it loaded')
            elif m.group(2) != 'refused':
                bad.append(f'{file}: loaded, want "{says}"')
            elif not any(says in ln for ln in m.group(1).splitlines()):
                bad.append(f'{file}: no line with "{says}" in: ' + ' | '.join(m.group(1).splitlines())[:200])
        report.add(f'{name}: {len(lines)} hostile modules, each refused with its own message '
                   '(the valid one loaded)', not bad and len(lines) >= 40,
                   '; '.join(bad[:3]) or 'too few lines in MANIFEST')
    return check


def make_initrd_variants(build):
    """Damaged copies of the real initrd, for the bad-input boots."""
    good = (build / 'initrd.cpio').read_bytes()
    out = build / 'test'
    out.mkdir(parents=True, exist_ok=True)
    truncated = out / 'initrd-truncated.cpio'
    # Cut inside the archive proper, not in cpio's zero padding after
    # the trailer (which a parser must ignore).
    truncated.write_bytes(good[:good.find(b'TRAILER!!!') // 2])
    badmagic = out / 'initrd-badmagic.cpio'
    bad = bytearray(good)
    # The second entry's magic: find it after the first header.
    second = good.find(b'070701', 6)
    bad[second:second + 6] = b'07X701'
    badmagic.write_bytes(bytes(bad))
    return truncated, badmagic


def boots(build, accel='tcg'):
    truncated, badmagic = make_initrd_variants(build)
    common = 'poweroff isa_debug_exit'
    matrix = []
    for fw in ('bios', 'uefi'):
        for medium in ('cd', 'usb'):
            console = VGA_CONSOLE if fw == 'bios' else FB_CONSOLE
            matrix.append(Boot(f'{fw}-{medium}', f'{common} ktest=all ktest_cpus=2', fw, medium,
                               expect=STANDARD + [console, PERCPU_FAIL], reject=NO_FAULTS, ktap=True))
        # What a person at the machine sees: the screen, read back through
        # QEMU's monitor and decoded (tests/qemu/screen.py).
        # VGA text has 25 rows: show only notices there, so the banner
        # is still on screen at the end.
        matrix.append(Boot(f'{fw}-screen', 'loglevel=5' if fw == 'bios' else 'loglevel=6', fw,
                           screen=[BANNER, r'^done: halted'] if fw == 'bios' else
                           [BANNER, FB_CONSOLE, INITRD, r'^done: halted']))
    # The storm's live view (kernel/module/storm.c), read once it shows:
    # a row per CPU and the reserved chunk's bar.  Jitter keeps the storm
    # going for a few seconds, and the final state stays 2 s, so the read
    # (until two agree) lands on the view, whichever moment it catches.
    matrix.append(Boot('uefi-storm-view', 'loader=legacy storm.jitter=100000', 'uefi', smp=4,
                       screen_until='storm: live view',
                       screen=[r'^storm: loader=legacy +requests \d+',
                               r'^reserved chunk \[[#.]{40}\] +\d+ of 8192 bytes, peak \d+',
                               r'^CPU0 +(idle|reading|allocating|waiting|relocating|init|done|eexist|ebusy|failed) ',
                               r'CPU3 +(idle|reading|allocating|waiting|relocating|init|done|eexist|ebusy|failed) +\w+',
                               r'bytes, peak \d+$']))
    matrix += [
        Boot('bad-initrd-truncated', common, initrd=truncated,
             expect=[BANNER, r'^initrd: corrupt archive at offset \d+: ', POWEROFF],
             reject=NO_FAULTS),
        Boot('bad-initrd-magic', common, initrd=badmagic, firmware='uefi',
             expect=[BANNER, r'^initrd: corrupt archive at offset \d+: ', POWEROFF],
             reject=NO_FAULTS),
        # A bigger reserved chunk from the command line, and the
        # statistics in Linux's percpu_stats layout at the end of boot.
        Boot('percpu-reserve-stats', f'{common} ktest=percpu_alloc,percpu percpu.reserve=16384 percpu_stats',
             smp=3, expect=[r'^percpu: Embedded \d+ pages/cpu s\d+ r16384 d\d+ u\d+$',
                            r'^Percpu Memory Statistics$', r'^  reserved_size       :        16384$',
                            r'^  nr_failed           :            1$', r'^Chunk: <- Reserved Chunk$',
                            r'^Chunk: <- First Chunk$', PERCPU_FAIL, POWEROFF],
             reject=NO_FAULTS, ktap=True),
        # A typo is reported; a dotted key is a module's (the loader warns
        # when the module loads), unless its prefix is the kernel's.
        Boot('bad-cmdline-unknown-key', f'{common} lodaer=legacy percpu.reserv=1 nosuchmod.x=1',
             expect=[r"^cmdline: unknown parameter 'lodaer' ignored$",
                     r"^cmdline: unknown parameter 'percpu.reserv' ignored$", POWEROFF],
             reject=NO_FAULTS + [r"unknown parameter 'nosuchmod\.x'"]),
        # Every hostile module refused with its own message, nothing
        # leaked (the KTAP cases check the counters), the kernel goes on.
        Boot('module-hostile', f'{common} ktest=module_hostile',
             expect=[POWEROFF, r'^module: kvm loaded '],
             reject=NO_FAULTS + [r'WARNING', r'^BUG'], ktap=True, check=hostile_check(build)),
        Boot('mem-128M', f'{common} ktest=all', mem='128M',
             expect=STANDARD, reject=NO_FAULTS, ktap=True),
        Boot('mem-3G', f'{common} ktest=all', mem='3G', firmware='uefi',
             expect=STANDARD, reject=NO_FAULTS, ktap=True),
        # Four CPUs: the MADT lists them all; maxcpus=3 limits what is used.
        Boot('smp-4', f'{common} ktest=all ktest_cpus=4 maxcpus=3', smp=4,
             expect=STANDARD + [r'^ACPI: MADT: 4 CPUs \(APIC IDs 0-3\), 1 IOAPIC, \d+ overrides, LAPIC at 0xfee00000$',
                                r'^smp: using 3 of 4 CPUs \(maxcpus=3\)$',
                                # KVM's -cpu host has an x2APIC; TCG's CPU none.
                                X2APIC_MODE if accel == 'kvm' else XAPIC_MODE,
                                r'^tsc: Detected \d+\.\d{3} MHz processor \(calibrated by (cpuid|hpet|pit)\)$'],
             reject=NO_FAULTS, ktap=True),
    ]
    # Every CPU up, at several counts, on both firmwares; sparse APIC IDs
    # from an odd topology (2 sockets x 3 cores x 2 threads: IDs 0-13).
    for n, fw, topo in [(n, fw, None) for n in (1, 3, 4, 8, 64) for fw in ('bios', 'uefi')] + \
                       [(12, 'bios', '2,3,2'), (12, 'uefi', '2,3,2')]:
        name = f'smp-{n}-{fw}' + ('-topology' if topo else '')
        matrix.append(Boot(name, f'{common} ktest=all ktest_cpus={n}', fw, smp=n, topology=topo,
                           expect=STANDARD + [rf'^smp: {n} CPUs online$', PERCPU_FAIL],
                           reject=NO_FAULTS, ktap=True))
    matrix += [
        # A CPU that never answers its IPIs is reported and skipped; the
        # others come up and the suites still pass.
        Boot('smp-dead-cpu', f'{common} ktest=smp,madt ktest_cpus=4 smp_dead_cpu=2', smp=4,
             expect=[r'^smp: CPU 2 \(APIC ID 2\) did not start after 1 SIPIs; skipped$',
                     r'^smp: 3 CPUs online$', POWEROFF],
             reject=NO_FAULTS, ktap=True),
        crash('pagefault', r'^traps: page fault \(#PF\) vector 14 error 0x2 \[write, not-present\]',
              'crash_pagefault'),
        crash('divide', r'^traps: divide error \(#DE\) vector 0', 'crash_divide', firmware='uefi'),
        crash('ud', r'^traps: invalid opcode \(#UD\) vector 6', 'crash_ud'),
        # A fault in a module's function: named, with the module, in the
        # RIP line and the Call Trace (kernel/module/kallsyms.c).
        crash('module', r'^traps: page fault \(#PF\) vector 14 error 0x2 \[write, not-present\]',
              'coretemp_crash_now', cmdline=' coretemp.crash=1 storm=off',
              expect=[r'^RIP: [0-9a-f]{4}:coretemp_crash_now\+0x[0-9a-f]+/0x[0-9a-f]+ \[coretemp\] ',
                      # coretemp_init, or its alias init_module (clang)
                      r'^ \[<[0-9a-f]{16}>\] (coretemp_\w+|init_module)\+0x[0-9a-f]+/0x[0-9a-f]+ \[coretemp\]$',
                      r'\] load_module\+', r'CR2: 0000000000000000'],
              reject=[r"unknown parameter 'crash'", r"unknown parameter 'coretemp\.crash'"]),
        Boot('crash-stack-overflow', 'poweroff isa_debug_exit crash=stack', expect_exit=EXIT_PANIC,
             expect=[r'double fault \(#DF\)', r'kernel stack overflow', r'\] crash_stack_recurse(\.\w+)*\+0x',
                     r'Kernel panic - not syncing: ']),
        # A CPU spinning with interrupts off: its buddy's watchdog names
        # it and the stuck CPU's own NMI backtrace names the function;
        # then the panic stops it, and it says where.
        Boot('crash-lockup', 'poweroff isa_debug_exit crash=lockup watchdog_thresh=2', smp=3,
             expect_exit=EXIT_PANIC,
             expect=[r'^watchdog: BUG: hard LOCKUP on CPU 1 \(Watchdog detected hard LOCKUP on cpu 1',
                     r'^NMI backtrace for cpu 1$',
                     r'^RIP: [0-9a-f]{4}:crash_lockup_spin\+0x[0-9a-f]+/0x[0-9a-f]+',
                     r'^Kernel panic - not syncing: crash: hard LOCKUP on CPU 1$',
                     r'^CPU 1: stopped at RIP crash_lockup_spin\+0x',
                     r'^smp: stopped 2 of 2 other CPUs$',
                     r'^---\[ end Kernel panic - not syncing: ']),
        # A panic stops every other CPU by NMI; each reports where it was.
        Boot('crash-panic-smp', 'poweroff isa_debug_exit crash=panic-smp', smp=4, firmware='uefi',
             expect_exit=EXIT_PANIC,
             expect=[r'^Kernel panic - not syncing: crash: panic with 4 CPUs online$',
                     r'^CPU 1: stopped at RIP \w+', r'^CPU 2: stopped at RIP \w+',
                     r'^CPU 3: stopped at RIP \w+', r'^smp: stopped 3 of 3 other CPUs$',
                     r'^---\[ end Kernel panic - not syncing: crash: panic with 4 CPUs online \]---$'],
             reject=[r'watchdog: BUG']),
        # The same in a kernel thread on another CPU: its stack is in the
        # vmap area, with its own guard page.
        Boot('crash-stack-overflow-thread', 'poweroff isa_debug_exit crash=stack-thread', smp=3,
             expect_exit=EXIT_PANIC,
             expect=[r'double fault \(#DF\) vector 8 error 0 on CPU 2',
                     r'kernel stack overflow: the guard page ffffc9', r'\] crash_stack_recurse(\.\w+)*\+0x',
                     r'Kernel panic - not syncing: ']),
        Boot('crash-int3-survives', 'poweroff isa_debug_exit crash=int3',
             expect=[r'^crash: int3 returned, #BP count 0 -> 1', POWEROFF]),
    ]
    return matrix


def qemu_failure(log):
    """What tools/run-qemu.sh said when QEMU failed under KVM (QEMU's own
    line, and the advice), or None."""
    lines = [ln[len('run-qemu: '):] for ln in log.splitlines()
             if ln.startswith(('run-qemu: QEMU failed', 'run-qemu: rerun with'))]
    return '; '.join(lines) or None


def run_screen_boot(build, b, iso, report, accel):
    name = f'qemu/{b.name}'
    try:
        log, lines = screen.boot_and_read(str(iso), b.firmware, b.boot,
                                          timeout=180 if b.firmware == 'uefi' else 90,
                                          until=b.screen_until, accel=accel,
                                          cache=str(build / 'accel'))
    except screen.ScreenError as e:
        report.add(f'{name}: screen read', False, str(e))
        return
    text = '\n'.join(line.rstrip() for line in lines)
    (build / 'test' / f'{b.name}.log').write_text(log.replace('\r', ''))
    (build / 'test' / f'{b.name}.screen').write_text(text + '\n')
    for pattern in b.screen:
        report.add(f'{name}: screen shows /{pattern}/', re.search(pattern, text, re.M) is not None,
                   f'not on screen; see {build}/test/{b.name}.screen')


def run_boot(build, b, report, accel='tcg'):
    tdir = build / 'test'
    tdir.mkdir(parents=True, exist_ok=True)
    iso = tdir / f'{b.name}.iso'
    initrd = b.initrd or build / 'initrd.cpio'
    rc, out, _ = run([str(ROOT / 'tools/mkiso.sh'), str(iso), str(build / 'kernel.elf'),
                      str(initrd), b.cmdline], 300, cwd=ROOT)
    if rc != 0:
        report.add(f'qemu/{b.name}: image', False, out.strip()[-200:])
        return
    if b.screen:
        run_screen_boot(build, b, iso, report, accel)
        iso.unlink(missing_ok=True)
        return
    # Firmware and TCG both slow down with many CPUs: a bound that grows.
    timeout = (180 if b.firmware == 'uefi' else 90) + 3 * b.smp
    env = dict(os.environ)
    env.pop('DISPLAY', None)
    env.pop('WAYLAND_DISPLAY', None)
    if b.emulator == 'bochs':
        timeout = 600
        cmd = [str(ROOT / 'tools/run-bochs.sh'), '--iso', str(iso), '--smp', str(b.smp),
               '--timeout', str(timeout - 30)]
    else:
        cmd = [str(ROOT / 'tools/run-qemu.sh'), '--iso', str(iso), '--smp', str(b.smp),
               '--mem', b.mem, '--firmware', b.firmware, '--boot', b.boot, '--debug-exit',
               '--accel', accel, '--cache', str(build / 'accel')]
        if b.topology:
            cmd += ['--topology', b.topology]
    timeout = b.timeout or timeout
    rc, log, timed_out = run(cmd, timeout, cwd=ROOT, env=env)
    log = log.replace('\r', '')
    (tdir / f'{b.name}.log').write_text(log)
    iso.unlink(missing_ok=True)
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
    for pattern in b.reject:
        m = re.search(pattern, log, re.M)
        report.add(f'{name}: log lacks /{pattern}/', m is None,
                   'found: ' + (log[m.start():m.start() + 120].splitlines()[0] if m else ''))
    if b.check:
        b.check(log, report, name)
    if b.ktap:
        results = ktap.parse(log, prefix=f'{name}/ktap/')
        if not results:
            report.add(f'{name}/ktap', False, 'no KTAP results in the log')
        for r in results:
            report.add(r.name, r.ok, r.detail)


def long_boots():
    """make test-long: what is too slow for make test."""
    common = 'poweroff isa_debug_exit'
    # The suites about CPUs themselves.  The ipi storm (every CPU calling
    # every other at once) and the thread-heavy ones (sched,
    # wait, mutex, rcu, percpu_alloc: threads on every CPU contending for
    # one lock) run up to 64 CPUs in make test; at 255 emulated CPUs on
    # two host cores they take tens of minutes of lock-holder preemption.
    suites = 'smp,madt,apic,time,percpu,spinlock,tlb,mm,exports'
    matrix = [
        # QEMU's limit without KVM.
        Boot('smp-255-bios', f'{common} ktest={suites} ktest_cpus=255', smp=255, mem='2G', timeout=600,
             expect=STANDARD + [r'^smp: 255 CPUs online$'], reject=NO_FAULTS, ktap=True),
        Boot('smp-255-uefi', f'{common} ktest={suites} ktest_cpus=255', 'uefi', smp=255, mem='2G',
             timeout=900,
             expect=STANDARD + [r'^smp: 255 CPUs online$'], reject=NO_FAULTS, ktap=True),
    ]
    # The storm at QEMU's limit: the same outcomes as at 64.
    return matrix + storm_mode_boots((255,)) + bochs_boots()


def bochs_boots():
    """x2APIC, which QEMU's TCG cannot offer: bochs with cpuid apic=x2apic."""
    return [Boot(f'bochs-x2apic-{n}', f'poweroff ktest=all ktest_cpus={n}', smp=n,
                 emulator='bochs', expect_exit=None,
                 expect=[BANNER, X2APIC_MODE, rf'^smp: {n} CPUs online$',
                         POWEROFF],
                 reject=NO_FAULTS, ktap=True)
            for n in (2, 4)]


# ---- the storm (kernel/module/storm.c, docs/story.md) ---------------------

STORM_LINE = (r'^storm: loader=(?P<mode>\w+) cpus=(?P<cpus>\d+) requests=(?P<requests>\d+) '
              r'loaded=(?P<loaded>\d+) eexist=(?P<eexist>\d+) ebusy=(?P<ebusy>\d+) '
              r'failed=(?P<failed>\d+) reserved_peak=(?P<reserved_peak>\d+) '
              r'reserved_size=(?P<reserved_size>\d+) modmem_peak=(?P<modmem_peak>\d+) '
              r'dup_bytes=(?P<dup_bytes>\d+) elapsed_us=(?P<elapsed_us>\d+)')
STORM_MODES = ('legacy', 'seed', 'unformed', 'idempotent')
STORM_CPUS = (1, 4, 8, 64)
KVM_FAIL = r'^kvm: Could not allocate 304 bytes percpu data$'


def storm_mode_boots(counts, prefix=''):
    """The storm under every loader at each CPU count in counts."""
    common = 'poweroff isa_debug_exit'
    out = []
    for mode in STORM_MODES:
        for n in counts:
            expect = [STORM_LINE, rf'^storm: loader={mode} cpus={n} ', POWEROFF]
            reject = list(NO_FAULTS)
            if mode in ('unformed', 'idempotent'):
                reject += [r'^PERCPU: allocation failed', r'Could not allocate',
                           r'^storm: .* failed=[1-9]']
            elif n >= 8:
                expect += [PERCPU_FAIL, KVM_FAIL, r' failed=[1-9]']
            out.append(Boot(f'{prefix}storm-{mode}-{n}', f'{common} loader={mode}', smp=n,
                            mem='1G' if n > 8 else '512M', expect=expect, reject=reject))
    return out


def storm_boots():
    """Every mode at 1, 4, 8 and 64 CPUs, then rounds with jitter and an
    init failure injected; storm_checks() compares the figures."""
    common = 'poweroff isa_debug_exit'
    out = storm_mode_boots(STORM_CPUS)
    for mode in ('unformed', 'idempotent'):
        out.append(Boot(f'storm-rounds-{mode}',
                        f'{common} loader={mode} storm.rounds=20 storm.jitter=200', smp=4,
                        expect=[STORM_LINE, r'^storm: round 20 of 20$',
                                r'^storm: rounds=20 leaked_rounds=0$', POWEROFF],
                        reject=NO_FAULTS + [r'^storm: round \d+ left ', r'failed=[1-9]']))
    out.append(Boot('storm-fail-init', f'{common} fail.init=kvm:2 storm=kvm_intel,kvm_intel',
                    smp=4,
                    expect=[r'^kvm: init made to fail \(fail.init\)$', r'^kvm: init failed \(error -5\)$',
                            r'^module: kvm loaded ', r'^module: kvm_intel loaded ', STORM_LINE,
                            POWEROFF],
                    reject=NO_FAULTS))
    # A load that takes 3 s: the storm says who is stuck where, and goes on.
    out.append(Boot('storm-stall', f'{common} storm=coretemp storm.stall=1 coretemp.settle_ms=3000',
                    smp=2,
                    expect=[r'^storm: no progress for 1 s; CPUs still loading:$',
                            r'^storm:   CPU \d+ at init \(coretemp\)$',
                            r'^storm:   CPU \d+ at waiting \(coretemp\)$',
                            r'^module: coretemp loaded ', STORM_LINE, r' failed=0 ', POWEROFF],
                    reject=NO_FAULTS))
    out.append(Boot('storm-fail-percpu', f'{common} fail.percpu=1 storm=kvm', smp=4,
                    expect=[r'^kvm: per-CPU allocation failed on purpose \(fail.percpu\)$',
                            KVM_FAIL, r'^module: kvm loaded ', STORM_LINE, POWEROFF],
                    reject=NO_FAULTS))
    return out


def storm_figures(build, name):
    log = build / 'test' / f'{name}.log'
    m = re.search(STORM_LINE, log.read_text(), re.M) if log.exists() else None
    if not m:
        return None
    return {k: (v if k == 'mode' else int(v)) for k, v in m.groupdict().items()}


def module_percpu_sizes(build):
    """Each demo module's .data..percpu size, from its ELF section table."""
    sizes = {}
    for ko in sorted((build / 'modules').glob('*.ko')):
        data = ko.read_bytes()
        shoff, = struct.unpack_from('<Q', data, 0x28)
        shnum, shstrndx = struct.unpack_from('<HH', data, 0x3c)
        sec = [struct.unpack_from('<IIQQQQIIQQ', data, shoff + i * 64) for i in range(shnum)]
        strtab = sec[shstrndx][4]
        for s in sec:
            name = data[strtab + s[0]:data.index(b'\0', strtab + s[0])]
            if name == b'.data..percpu':
                sizes[ko.stem] = s[5]
    return sizes


def storm_checks(build, report, prefix=''):
    """What the storm must show across CPU counts: the logs of the boots
    storm_mode_boots(STORM_CPUS, prefix) made."""
    fig = {(mode, n): storm_figures(build, f'{prefix}storm-{mode}-{n}')
           for mode in STORM_MODES for n in STORM_CPUS}
    for (mode, n), f in fig.items():
        if f is None:
            report.add(f'{prefix}storm/{mode}-{n}: storm line', False, 'no storm line in the log')
            continue
        total = f['loaded'] + f['eexist'] + f['ebusy'] + f['failed']
        report.add(f'{prefix}storm/{mode}-{n}: outcomes add up to requests', total == f['requests'],
                   f'{total} != {f["requests"]}')
        report.add(f'{prefix}storm/{mode}-{n}: requests = cpus x 4', f['requests'] == 4 * n,
                   f'{f["requests"]}')
    if any(f is None for f in fig.values()):
        return
    sizes = module_percpu_sizes(build)
    unique = sum(sizes.get(m, 0) for m in ('acpi_cpufreq', 'coretemp', 'kvm', 'kvm_intel'))
    for mode in ('unformed', 'idempotent'):
        for n in STORM_CPUS:
            f = fig[(mode, n)]
            report.add(f'{prefix}storm/{mode}-{n}: failed=0', f['failed'] == 0, str(f['failed']))
            report.add(f'{prefix}storm/{mode}-{n}: reserved_peak = sum of unique per-CPU areas ({unique})',
                       f['reserved_peak'] == unique, str(f['reserved_peak']))
    for mode in ('legacy', 'seed'):
        peaks = [fig[(mode, n)]['reserved_peak'] for n in STORM_CPUS]
        report.add(f'{prefix}storm/{mode}: failed>0 at 8 CPUs', fig[(mode, 8)]['failed'] > 0,
                   str(fig[(mode, 8)]['failed']))
        report.add(f'{prefix}storm/{mode}: reserved_peak grows with CPUs until full {peaks}',
                   peaks == sorted(peaks) and peaks[0] < peaks[2] and
                   peaks[-1] <= fig[(mode, 64)]['reserved_size'], str(peaks))
    mm = [fig[('unformed', n)]['modmem_peak'] for n in STORM_CPUS]
    dup = [fig[('unformed', n)]['dup_bytes'] for n in STORM_CPUS]
    report.add(f'{prefix}storm/unformed: modmem_peak grows with CPUs {mm}', mm[0] < mm[1] < mm[3], str(mm))
    report.add(f'{prefix}storm/unformed: dup_bytes grows with CPUs {dup}', dup[0] < dup[1] < dup[3], str(dup))
    im = [fig[('idempotent', n)]['modmem_peak'] for n in STORM_CPUS]
    idup = [fig[('idempotent', n)]['dup_bytes'] for n in STORM_CPUS]
    report.add(f'{prefix}storm/idempotent: dup_bytes=0 {idup}', idup == [0] * len(idup), str(idup))
    # Flat: at most one load per module in flight, whatever the CPUs (the
    # four modules' loads may overlap; unformed's grows 60-fold by 64).
    report.add(f'{prefix}storm/idempotent: modmem_peak flat {im}', max(im) <= 4 * im[0], str(im))


def kvm_boots():
    """make test-kvm: the boots where KVM's -cpu host differs from TCG's
    CPU: an x2APIC (the kernel switches to x2APIC mode), and real CPU
    timing for SMP and the storm."""
    common = 'poweroff isa_debug_exit'
    matrix = []
    for n, fw in ((1, 'bios'), (2, 'uefi'), (4, 'bios'), (8, 'uefi'), (16, 'bios'), (64, 'bios')):
        matrix.append(Boot(f'kvm-smp-{n}-{fw}', f'{common} ktest=all ktest_cpus={n}', fw, smp=n,
                           mem='1G' if n > 8 else '512M',
                           expect=STANDARD + [rf'^smp: {n} CPUs online$', X2APIC_MODE, PERCPU_FAIL],
                           reject=NO_FAULTS, ktap=True))
    # nox2apic: the same CPU, held in xAPIC mode.
    matrix.append(Boot('kvm-nox2apic', f'{common} ktest=smp,apic,madt ktest_cpus=4 nox2apic', smp=4,
                       expect=[BANNER, XAPIC_MODE, r'^smp: 4 CPUs online$', POWEROFF],
                       reject=NO_FAULTS, ktap=True))
    return matrix + storm_mode_boots(STORM_CPUS, prefix='kvm-')


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


def qemu_tests(build, report, jobs, which, only=None, accel='tcg'):
    chosen = {'test': lambda build: boots(build, accel) + storm_boots(),
              'long': lambda build: long_boots(),
              'bochs': lambda build: bochs_boots(),
              'kvm': lambda build: kvm_boots()}[which](build)
    if only:
        chosen = [b for b in chosen if re.search(only, b.name)]
        if not chosen:
            report.add(f'qemu: boots matching /{only}/', False, 'none')
    verdicts = {}
    if which == 'kvm':
        accel = 'kvm'
        verdicts = kvm_verdicts(build, sorted({b.firmware for b in chosen}))
    runnable = []
    for b in chosen:
        if verdicts.get(b.firmware):
            skip_boot(b, report, verdicts[b.firmware])
        else:
            runnable.append(b)
    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = [pool.submit(run_boot, build, b, report, accel) for b in runnable]
        for f in futures:
            f.result()
    return not verdicts.get('bios')


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    ap.add_argument('--host-only', action='store_true')
    ap.add_argument('--qemu-only', action='store_true')
    ap.add_argument('--long', action='store_true', help='the slow boots (255 CPUs, bochs)')
    ap.add_argument('--bochs', action='store_true', help='only the bochs x2APIC boots')
    ap.add_argument('--kvm', action='store_true',
                    help='the KVM boots (make test-kvm): skipped where KVM cannot run them')
    ap.add_argument('--accel', default='tcg', choices=('tcg', 'kvm', 'auto'),
                    help="QEMU's accelerator for the boots (tools/run-qemu.sh --accel)")
    ap.add_argument('--jobs', type=int, default=max(1, os.cpu_count() or 1))
    ap.add_argument('--boots', metavar='REGEX',
                    help='only the boots whose name matches (with --qemu-only, --long, --bochs, --kvm)')
    args = ap.parse_args()
    build = (ROOT / args.build).resolve()

    report = Report()
    if args.long or args.bochs or args.kvm:
        which = 'long' if args.long else 'bochs' if args.bochs else 'kvm'
        ran = qemu_tests(build, report, args.jobs, which, args.boots, args.accel)
        if args.kvm and (not args.boots or re.search(args.boots, 'kvm-storm-')):
            if ran:
                storm_checks(build, report, prefix='kvm-')
            else:
                report.skip('storm/kvm: the cross-count checks', 'the KVM storm boots did not run')
        return report.summary()
    if not args.qemu_only:
        host_tests(build, report)
        kocheck_tests(build, report)
        tools_check.check(build, report)
        fuzz_short(build, report)
    if not args.host_only and not args.qemu_only:
        clang_build(build, report)
    if not args.host_only:
        modules_check.check(build, report)
        if not args.boots:
            accel_check.check(build, report)
        qemu_tests(build, report, args.jobs, 'test', args.boots, args.accel)
        if not args.boots or re.search(args.boots, 'storm-'):
            storm_checks(build, report)
    return report.summary()


if __name__ == '__main__':
    sys.exit(main())
