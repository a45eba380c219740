#!/usr/bin/python3
"""tools/params_table.py - the README's table of boot parameters, made from
what the kernel itself lists.

A boot with `params` on the command line prints one line a parameter
(kernel/params.c, boot_params_run_requested()):

  params: key=watchdog_thresh type=uint default=10 value=10 accepts=a number in 0-3600 help=...

This turns those lines (with or without a timestamp) into a markdown
table sorted by key, the one between the README's `<!-- params -->`
markers:

  tools/params_table.py LOG            print the table
  tools/params_table.py LOG --readme README.md
                                       rewrite the README's table
  tools/params_table.py LOG --check README.md
                                       exit 1 (and say where) if it differs

make test runs the check on its own boot's log (tests/boots.py, boot
"params"), so the README cannot drift from the kernel.
"""
import argparse
import pathlib
import re
import sys

import klog

LINE = re.compile(r'^params: key=(?P<key>\S+) type=(?P<type>\S+) '
                  r'default=(?P<default>\S+) value=(?P<value>\S+) accepts=(?P<accepts>.*?) '
                  r'help=(?P<help>.*)$', re.M)
BEGIN = '<!-- params: tools/params_table.py writes this table from a boot with `params` -->'
END = '<!-- /params -->'


def params(log_text):
    """[{key, type, default, value, accepts, help}] from a boot log."""
    return [m.groupdict() for m in LINE.finditer(klog.untimed(log_text.replace('\r', '')))]


def table(rows):
    out = ['| key | type | default | accepts | what it does |', '|---|---|---|---|---|']
    for r in sorted(rows, key=lambda r: r['key']):
        cells = [f"`{r['key']}`", r['type'], f"`{r['default']}`", r['accepts'], r['help']]
        out.append('| ' + ' | '.join(c.replace('|', '\\|') for c in cells) + ' |')
    return '\n'.join(out) + '\n'


def readme_table(text):
    """The table between the markers, or None."""
    m = re.search(re.escape(BEGIN) + r'\n(.*?)' + re.escape(END), text, re.S)
    return m.group(1) if m else None


def differences(have, want):
    """The rows only one of the two tables has: (missing, extra)."""
    have, want = set(have.splitlines()), set(want.splitlines())
    return sorted(want - have), sorted(have - want)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('log')
    ap.add_argument('--readme', help='rewrite the table in this README')
    ap.add_argument('--check', help='compare with the table in this README')
    args = ap.parse_args()
    rows = params(pathlib.Path(args.log).read_text(errors='replace'))
    if not rows:
        print(f'params_table: no "params:" lines in {args.log} (boot with params)', file=sys.stderr)
        return 1
    want = table(rows)
    target = args.readme or args.check
    if not target:
        sys.stdout.write(want)
        return 0
    text = pathlib.Path(target).read_text()
    have = readme_table(text)
    if have is None:
        print(f'params_table: {target} has no {BEGIN} ... {END} block', file=sys.stderr)
        return 1
    if args.check:
        if have == want:
            return 0
        missing, extra = differences(have, want)
        for ln in missing:
            print(f'params_table: {target} lacks: {ln}', file=sys.stderr)
        for ln in extra:
            print(f'params_table: {target} has, the kernel not: {ln}', file=sys.stderr)
        return 1
    pathlib.Path(target).write_text(text.replace(BEGIN + '\n' + have + END, BEGIN + '\n' + want + END))
    return 0


if __name__ == '__main__':
    sys.exit(main())
