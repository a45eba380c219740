#!/usr/bin/python3
"""tests/host_check.py - the pure C cores, run on the host: no emulator.

  * every case of every host unit test (BUILD/host/test_*, cmocka, under
    ASan and UBSan), read as TAP;
  * kocheck over every hostile module (tests/hostile/mkhostile.py), each
    refused with the reason its MANIFEST gives;
  * a short libFuzzer run of the module loader's core.

Run alone: tests/host_check.py [BUILD]; tests/run.py calls each.
"""
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
import ktap  # noqa: E402
from harness import Report, run  # noqa: E402


def host_tests(build, report):
    """The binary of each tests/host/test_*.c: a binary whose source is
    gone (renamed, removed) is not run, and one not built is a failure."""
    sources = sorted((ROOT / 'tests' / 'host').glob('test_*.c'))
    if not sources:
        report.add('host: unit tests exist', False, 'no tests/host/test_*.c')
    env = dict(os.environ, CMOCKA_MESSAGE_OUTPUT='TAP')
    for exe in (build / 'host' / src.stem for src in sources):
        if not exe.exists():
            report.add(f'host/{exe.name}', False, f'{exe} not built')
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


if __name__ == '__main__':
    r = Report()
    build = (ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve()
    host_tests(build, r)
    kocheck_tests(build, r)
    fuzz_short(build, r)
    sys.exit(r.summary())
