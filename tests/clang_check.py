#!/usr/bin/python3
"""tests/clang_check.py - the kernel and modules build with clang too,
warning-free (-Wall -Wextra -Werror: the Makefile's flags), and clang's
modules are laid out as gcc's (tests/modules_check.py's checks).  gcc
built them already; this builds again into BUILD/clang.

Run alone: tests/clang_check.py [BUILD]; tests/run.py calls check().
"""
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
import modules_check  # noqa: E402
from harness import Report, run  # noqa: E402


def check(build, report):
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


if __name__ == '__main__':
    r = Report()
    check((ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve(), r)
    sys.exit(r.summary())
