#!/usr/bin/python3
"""tests/run.py - the harness behind `make test`.

It runs, and counts as one test each:
  * every case of every host unit test (build/host/test_*, cmocka, under
    ASan and UBSan), read as TAP; kocheck over the hostile modules;
    acpicheck over real machines' ACPI tables and hostile ones; a short
    fuzzing run (tests/host_check.py);
  * the relocation oracle: GNU ld links the built and hostile modules
    (and a dozen of Debian's, when its package is cached) at the
    addresses the loader gave them, and every loaded byte must be the
    loader's (tests/oracle_check.py, tools/ldoracle.py);
  * acpicheck's reading of every corpus machine against ACPICA's iasl
    (tests/acpi_check.py; skipped without ../shared/acpi-corpus);
  * the kernel and modules build with clang, warning-free (gcc built
    them already; tests/clang_check.py);
  * the built modules and the initrd's lib/modules/ and etc/storm.conf
    (tests/modules_check.py);
  * the storm's host tools, trace2svg and compare, on logs whose figures
    are known (tests/tools_check.py);
  * the accelerator choice, ACCEL=tcg|kvm|auto, against a broken and a
    working KVM that tests/qemu/fake-kvm stands in for (accel_check.py);
  * QEMU boots of the hybrid image, BIOS and UEFI, from CD and USB, plus
    the bad-input boots (corrupt initrd, unknown parameter, faults): for
    each, the QEMU exit status and the serial-log lines it must show, and
    every KTAP case the kernel printed (the catalogue: tests/boots.py;
    the runner: tests/harness.py);
  * the storm under every loader generation and CPU count, and what its
    figures must show across them (tests/storm_checks.py);
  * with --long only: Debian's Linux 6.1 beside ours at 8 CPUs, the same
    outcomes of the kvm storm (tests/linux_check.py; it fetches packages);
    and, as --real alone (make test-real), the relocation oracle over
    every module of Debian's linux-image package (fetched).
  * the README and every docs/*.md against the code: paths, functions
    and symbols, make targets and variables, command-line keys, quoted
    kernel output (tests/docs_check.py; last, so that the serial logs of
    this run's boots count as real logs).
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
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
import accel_check  # noqa: E402
import acpi_check  # noqa: E402
import boots  # noqa: E402
import clang_check  # noqa: E402
import docs_check  # noqa: E402
import host_check  # noqa: E402
import linux_check  # noqa: E402
import modules_check  # noqa: E402
import oracle_check  # noqa: E402
import tools_check  # noqa: E402
from harness import Report, kvm_verdicts, run_boot, skip_boot  # noqa: E402
from storm_checks import STORM_CPUS, storm_boots, storm_checks, storm_mode_boots  # noqa: E402


def target_boots(build, which, accel):
    """The boots each target runs: make test, test-long, test-bochs,
    test-kvm."""
    if which == 'test':
        return boots.boots(build, accel) + storm_boots()
    if which == 'long':
        # The storm at QEMU's limit: the same outcomes as at 64.
        return boots.long_boots(build) + storm_mode_boots((255,)) + boots.bochs_boots()
    if which == 'bochs':
        return boots.bochs_boots()
    return boots.kvm_boots() + storm_mode_boots(STORM_CPUS, prefix='kvm-')


def qemu_tests(build, report, jobs, which, only=None, accel='tcg'):
    """Run a target's boots (those matching only), jobs at a time.  Under
    --kvm, a short boot per firmware first: where KVM cannot run our
    image, that firmware's boots are reported skipped.  Returns whether
    the BIOS boots ran."""
    chosen = target_boots(build, which, accel)
    if only:
        chosen = [b for b in chosen if re.search(only, b.name)]
        # make test-long's Linux comparison and relocation oracle are no
        # boots of this list.
        if not chosen and not (which == 'long' and (re.search(only, 'linux-compare') or
                                                    re.search(only, 'reloc-oracle'))):
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
    ap.add_argument('--real', action='store_true',
                    help="only the relocation oracle over every module of Debian's linux-image")
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
    if args.real:
        oracle_check.check_real(build, report)
        return report.summary()
    if args.long or args.bochs or args.kvm:
        which = 'long' if args.long else 'bochs' if args.bochs else 'kvm'
        ran = qemu_tests(build, report, args.jobs, which, args.boots, args.accel)
        if args.long and (not args.boots or re.search(args.boots, 'linux-compare')):
            linux_check.check(build, report)
        if args.long and (not args.boots or re.search(args.boots, 'reloc-oracle')):
            oracle_check.check_real(build, report)
        if args.kvm and (not args.boots or re.search(args.boots, 'kvm-storm-')):
            if ran:
                storm_checks(build, report, prefix='kvm-')
            else:
                report.skip('storm/kvm: the cross-count checks', 'the KVM storm boots did not run')
        return report.summary()
    if not args.qemu_only:
        host_check.host_tests(build, report)
        host_check.kocheck_tests(build, report)
        host_check.kocheck_explain_tests(build, report)
        oracle_check.check(build, report)
        host_check.acpicheck_tests(build, report)
        host_check.stack_tests(build, report)
        # Without the corpus, acpicheck_tests' one skip has said so.
        if acpi_check.CORPUS.is_dir():
            acpi_check.check(build, report)
        tools_check.check(build, report)
        host_check.fuzz_tests(build, report)
    if not args.host_only and not args.qemu_only:
        clang_check.check(build, report)
    if not args.host_only:
        modules_check.check(build, report)
        if not args.boots:
            accel_check.check(build, report)
        qemu_tests(build, report, args.jobs, 'test', args.boots, args.accel)
        if not args.boots or re.search(args.boots, 'storm-'):
            storm_checks(build, report)
    # The docs last, and only in the whole run: quoted output may be
    # matched by the serial logs this run's boots just wrote.
    if not args.qemu_only and not args.host_only:
        docs_check.check(build, report)
    return report.summary()


if __name__ == '__main__':
    sys.exit(main())
