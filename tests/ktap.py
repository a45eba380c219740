"""tests/ktap.py - parse KTAP (and TAP) text into test results.

KTAP (Linux, Documentation/dev-tools/ktap.rst) is TAP with nesting: a
"KTAP version 1" header, a plan "1..N", result lines "ok N name" or
"not ok N name [# SKIP reason]", and subtests indented by four spaces,
introduced by "# Subtest: name".  cmocka's TAP output (CMOCKA_MESSAGE_OUTPUT
=TAP) is the flat case, so the host tests use the same parser.

parse() returns a list of Result for the leaves (test cases), named
"suite/case", plus a failed Result for every plan that does not match the
number of results that followed: a suite that died half way through must
not look like a pass.
"""
import re
from dataclasses import dataclass

RESULT_RE = re.compile(r'^(not ok|ok)\s+(\d+)\s*(?:-\s*)?([^#]*?)\s*(?:#\s*(.*))?$')
PLAN_RE = re.compile(r'^1\.\.(\d+)\s*$')
SUBTEST_RE = re.compile(r'^#\s*Subtest:\s*(\S+)')


@dataclass
class Result:
    name: str
    ok: bool
    skipped: bool = False
    detail: str = ''


class _Frame:
    def __init__(self):
        self.name = ''
        self.planned = None
        self.seen = 0


def parse(text, prefix=''):
    results = []
    frames = []
    diags = []

    def plan_check(frame, label):
        if frame.planned is not None and frame.planned != frame.seen:
            results.append(Result(f'{prefix}{label}/plan', False, False,
                                  f'planned {frame.planned} results, saw {frame.seen}'))

    for raw in text.splitlines():
        line = raw.replace('\r', '').rstrip()
        body = line.lstrip(' ')
        if not body:
            continue
        depth = (len(line) - len(body)) // 4
        if body.startswith(('KTAP version', 'TAP version')):
            del frames[depth:]
            while len(frames) <= depth:
                frames.append(_Frame())
            continue
        if not frames:
            frames.append(_Frame())
        m = SUBTEST_RE.match(body)
        if m:
            while len(frames) <= depth:
                frames.append(_Frame())
            frames[depth].name = m.group(1)
            continue
        m = PLAN_RE.match(body)
        if m:
            while len(frames) <= depth:
                frames.append(_Frame())
            frames[depth].planned = int(m.group(1))
            continue
        if body.startswith('#'):
            diags.append(body.lstrip('#').strip())
            continue
        m = RESULT_RE.match(body)
        if not m or depth >= len(frames):
            continue
        ok = m.group(1) == 'ok'
        skipped = (m.group(4) or '').strip().upper().startswith('SKIP')
        name = m.group(3).strip()
        frames[depth].seen += 1
        child = frames[depth + 1] if len(frames) > depth + 1 else None
        if child is not None and (child.seen or child.planned):
            plan_check(child, '/'.join(f.name for f in frames[1:depth + 2] if f.name) or name)
            del frames[depth + 1:]
            continue
        del frames[depth + 1:]
        path = '/'.join(f.name for f in frames[1:depth + 1] if f.name)
        results.append(Result(f'{prefix}{path + "/" if path else ""}{name}', ok, skipped,
                              '; '.join(diags[-3:]) if not ok else ''))
        diags = []
    if frames:
        plan_check(frames[0], 'ktap')
    return results


if __name__ == '__main__':
    import sys
    for r in parse(sys.stdin.read()):
        print(('ok' if r.ok else 'not ok'), r.name, r.detail)
