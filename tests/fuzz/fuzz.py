#!/usr/bin/python3
"""tests/fuzz/fuzz.py - run the libFuzzer targets of tests/fuzz/ (built by
the Makefile as BUILD/fuzz/fuzz_<target>), with their seeds, and report.

    fuzz.py [--build BUILD] run (--runs N | --seconds S) [--fresh]
            [--table] [--jobs J] TARGET...
    fuzz.py [--build BUILD] replay TARGET...
    fuzz.py [--build BUILD] seeds TARGET...

run     fuzzes each target for N executions or S seconds (make fuzz,
        make fuzz-long) in BUILD/fuzz/corpus/<target>/, which starts
        from the seeds (--fresh: only the seeds; else what earlier runs
        grew is kept).  One line per target: executions, executions a
        second, coverage (libFuzzer's cov:, edges of the instrumented
        code), corpus size, crashes; --table adds one table of them all
        at the end.  A crash (a sanitizer report, a failed check, a
        timeout, an out-of-memory or a leak) is copied to
        tests/fuzz/regressions/<target>/ and the target started again
        on its corpus for what is left of its runs or time, up to
        MAX_CRASHES crashes.  Exit status 1 when any target crashed.
replay  runs every saved regression input once (make test does, through
        host_check.py): one line each.
seeds   only makes the corpus folders (fresh): what a run would start
        from.

The seeds: tests/fuzz/corpus/<target>/ (committed, tests/fuzz/mkseeds.py
writes them), plus inputs added at run time and never committed: every
built and hostile module (module), our real initrd (cpio), the storm's
list modules/storm.conf (storm_list), the real
machines' tables of ../shared/acpi-corpus when it is there (madt, fadt,
s5: the tables themselves, and for s5 the stretch of each DSDT and SSDT
around its _S5_ in a table of its own, since whole DSDTs are larger than
the inputs the s5 target takes; acpi_walk: each machine's tables laid
out in one memory image behind an RSDP, acpi_image()).
"""
import argparse
import concurrent.futures
import hashlib
import pathlib
import re
import shutil
import struct
import subprocess
import sys
import time
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
SEEDS = ROOT / 'tests' / 'fuzz' / 'corpus'
REGRESSIONS = ROOT / 'tests' / 'fuzz' / 'regressions'
ACPI_CORPUS = ROOT.parent / 'shared' / 'acpi-corpus'
MAX_CRASHES = 8
TIMEOUT = 10            # seconds one input may take: longer is a hang
RSS_LIMIT_MB = 2048

# The targets, and the longest input each takes (libFuzzer's -max_len):
# about the size of the real thing, so that time goes to its structure.
MAX_LEN = {
    'module': 65536,     # our modules are 2-10 KB; hostile ones too
    'cpio': 32768,       # a few entries of the initrd
    'cmdline': 2048,     # the kernel keeps 1023 characters
    'multiboot2': 8192,  # GRUB's is 1-2 KB
    'madt': 8192,        # the corpus's largest is 898 bytes
    'fadt': 1024,        # 116 to 276 bytes
    's5': 4096,          # windows around _S5_, small SSDTs
    'monitor': 512,      # a few lines typed (one is at most 255)
    'storm_list': 1024,  # the list holds 511 bytes
    'acpi_walk': 16384,  # RSDP, XSDT, RSDT, FADT, MADT, a cut DSDT ...
}
S5_WINDOW = 1024         # AML bytes taken before and after each _S5_


def targets():
    """Every tests/fuzz/fuzz_<target>.c, sorted."""
    return sorted(p.stem[len('fuzz_'):] for p in (ROOT / 'tests' / 'fuzz').glob('fuzz_*.c'))


# ---- seeds ------------------------------------------------------------------

def acpi_header(sig, body, revision=2):
    """body behind an ACPI header with its checksum made good."""
    t = bytearray(sig + struct.pack('<IBB6s8sI4sI', 36 + len(body), revision, 0,
                                    b'MKERNL', b'FUZZCUT', 1, b'MKRN', 1) + body)
    t[9] = -sum(t) & 0xff
    return bytes(t)


def acpi_image(fadt, dsdt, others, revision=2, rsdt=True, xsdt=True):
    """Physical memory from address 0 as fuzz_acpi_walk.c takes it: an
    RSDP at 16 (revision 0 or 2), an XSDT and/or an RSDT listing the FADT
    and the others, the FADT's DSDT and X_DSDT pointing at dsdt; every
    table at a 16-byte boundary, every checksum good."""
    def fix(t):
        t = bytearray(t)
        t[9] = 0
        t[9] = -sum(t) & 0xff
        return bytes(t)

    listed = [fadt] + list(others)
    base = 64
    sizes = [(36 + 8 * len(listed)) if xsdt else 0, (36 + 4 * len(listed)) if rsdt else 0]
    at, off = [], base + sum(-(-n // 16) * 16 for n in sizes)
    for t in listed + [dsdt]:
        at.append(off)
        off += -(-len(t) // 16) * 16
    fadt = bytearray(fadt)
    struct.pack_into('<I', fadt, 40, at[-1])
    if len(fadt) >= 148:
        struct.pack_into('<Q', fadt, 140, at[-1])
    listed[0] = fix(fadt)
    x = acpi_header(b'XSDT', b''.join(struct.pack('<Q', a) for a in at[:-1]), 1)
    r = acpi_header(b'RSDT', b''.join(struct.pack('<I', a) for a in at[:-1]), 1)
    xsdt_at = base
    rsdt_at = base + (-(-sizes[0] // 16) * 16)
    rsdp = bytearray(b'RSD PTR \0MKERNL' + bytes([revision]) +
                     struct.pack('<I', rsdt_at if rsdt else 0))
    rsdp[8] = -sum(rsdp) & 0xff
    if revision >= 2:
        rsdp += struct.pack('<IQB3s', 36, xsdt_at if xsdt else 0, 0, b'\0\0\0')
        rsdp[32] = -sum(rsdp) & 0xff
    image = bytearray(off)
    image[16:16 + len(rsdp)] = rsdp
    if xsdt:
        image[xsdt_at:xsdt_at + len(x)] = x
    if rsdt:
        image[rsdt_at:rsdt_at + len(r)] = r
    for a, t in zip(at, listed + [dsdt]):
        image[a:a + len(t)] = t
    return bytes(image)


def s5_cut(data, window=S5_WINDOW):
    """A DSDT or SSDT cut to the AML around its first _S5_ (or its
    first bytes), behind a header of its own."""
    at = data.find(b'_S5_', 36)
    at = 36 if at < 0 else at
    return acpi_header(data[:4], data[max(36, at - window):at + window])


def newc_entries(data):
    """(offset, end, name) of each entry of a newc archive, up to and
    including its trailer; stops quietly at damage."""
    out, off = [], 0
    while off + 110 <= len(data) and data[off:off + 5] == b'07070':
        try:
            size, namesize = int(data[off + 54:off + 62], 16), int(data[off + 94:off + 102], 16)
        except ValueError:
            break
        name = data[off + 110:off + 110 + namesize - 1]
        start = off + 110 + namesize
        start += -start % 4
        end = start + size
        end += -end % 4
        out.append((off, end, name))
        if name == b'TRAILER!!!':
            break
        off = end
    return out


def runtime_seeds(build, target):
    """(name, bytes) of the inputs added at run time."""
    if target == 'module':
        for ko in sorted((build / 'hostile').glob('*.ko')) + sorted((build / 'modules').glob('*.ko')):
            yield f'{ko.parent.name}-{ko.name}', ko.read_bytes()
    elif target == 'cpio':
        initrd = build / 'initrd.cpio'
        if initrd.exists():
            data = initrd.read_bytes()
            entries = newc_entries(data)
            # The real archive's first entries that fit, then its own
            # trailer: whole, and as many as the input may hold.
            if entries and entries[-1][2] == b'TRAILER!!!':
                trailer = data[entries[-1][0]:entries[-1][1]]
                head = [e for e in entries[:-1] if e[1] + len(trailer) <= MAX_LEN['cpio']]
                for n in (1, 4, len(head)):
                    if 0 < n <= len(head):
                        yield f'initrd-first-{n}', data[:head[n - 1][1]] + trailer
            yield 'initrd-head', data[:MAX_LEN['cpio']]
    elif target == 'acpi_walk' and ACPI_CORPUS.is_dir():
        # Each machine's tables in one memory image: its FADT, MADT,
        # HPET, MCFG and small SSDTs, its DSDT cut around _S5_.
        for machine in sorted(p.parent for p in ACPI_CORPUS.rglob('apic.dat')):
            tag = hashlib.sha1(str(machine.relative_to(ACPI_CORPUS)).encode()).hexdigest()[:8]
            files = {f.name: f.read_bytes() for f in machine.glob('*.dat')}
            if 'facp.dat' not in files or 'dsdt.dat' not in files:
                continue
            others = [files[n] for n in ('apic.dat', 'hpet.dat', 'mcfg.dat') if n in files]
            others += [d for n, d in sorted(files.items()) if n.startswith('ssdt') and len(d) <= 1024][:4]
            dsdt = files['dsdt.dat']
            image = acpi_image(files['facp.dat'], dsdt if len(dsdt) <= 4096 else s5_cut(dsdt, 512),
                               others)
            if len(image) <= MAX_LEN['acpi_walk']:
                yield f'acpi-{tag}-image', image
    elif target == 'storm_list':
        yield 'storm.conf', (ROOT / 'modules' / 'storm.conf').read_bytes()
    elif target in ('madt', 'fadt', 's5') and ACPI_CORPUS.is_dir():
        names = {'madt': ['apic.dat'], 'fadt': ['facp.dat'], 's5': ['dsdt.dat', 'ssdt*.dat']}[target]
        for machine in sorted(p.parent for p in ACPI_CORPUS.rglob('apic.dat')):
            tag = hashlib.sha1(str(machine.relative_to(ACPI_CORPUS)).encode()).hexdigest()[:8]
            for pattern in names:
                for f in sorted(machine.glob(pattern)):
                    data = f.read_bytes()
                    if target != 's5' or len(data) <= MAX_LEN['s5']:
                        yield f'acpi-{tag}-{f.name}', data
                    if target == 's5':
                        for m in re.finditer(rb'_S5_', data[36:]):
                            at = 36 + m.start()
                            cut = data[max(36, at - S5_WINDOW):at + S5_WINDOW]
                            yield f'acpi-{tag}-{f.stem}-s5-{at}', acpi_header(data[:4], cut)


def make_corpus(build, target, corpus, fresh):
    """The folder libFuzzer starts from: the seeds in; with fresh, only
    them.  Returns the number of seeds."""
    if fresh and corpus.exists():
        shutil.rmtree(corpus)
    corpus.mkdir(parents=True, exist_ok=True)
    n = 0
    for seed in sorted((SEEDS / target).glob('*')):
        shutil.copy(seed, corpus / seed.name)
        n += 1
    for name, data in runtime_seeds(build, target):
        (corpus / name).write_bytes(data)
        n += 1
    return n


# ---- running ------------------------------------------------------------------

STATUS = re.compile(r'^#(\d+)\s+(\w+)\s+cov: (\d+) ft: (\d+) corp: (\d+)/(\S+)', re.M)
ARTIFACT = re.compile(r'Test unit written to (\S+)')


@dataclass
class Result:
    target: str
    seeds: int = 0
    runs: int = 0
    seconds: float = 0.0
    cov: int = 0
    features: int = 0
    corpus: int = 0
    crashes: list = field(default_factory=list)   # (kind, saved path, first line)
    repeats: int = 0                                # a crash found again: stopped
    failed: str = ''                                # the fuzzer did not run right

    @property
    def exec_per_sec(self):
        return int(self.runs / self.seconds) if self.seconds else 0

    def line(self):
        what = ', '.join(f'{k} {pathlib.Path(p).name}' for k, p, _ in self.crashes) or 'none'
        return (f'fuzz: {self.target}: {self.runs} runs in {self.seconds:.0f} s, '
                f'{self.exec_per_sec} exec/s, cov {self.cov}, corpus {self.corpus} '
                f'(from {self.seeds} seeds), crashes {len(self.crashes)}: {what}'
                + (' (then found again: stopped)' if self.repeats else '')
                + (f'; FAILED: {self.failed}' if self.failed else ''))


def fuzzer_args(target, artifacts):
    return [f'-max_len={MAX_LEN.get(target, 4096)}', f'-timeout={TIMEOUT}',
            f'-rss_limit_mb={RSS_LIMIT_MB}', f'-artifact_prefix={artifacts}/',
            '-print_final_stats=1']


def crash_summary(out):
    """The first line that says what went wrong."""
    for pattern in (r'(?m)^tests/fuzz/\S+\.c:\d+: .*', r'ERROR: AddressSanitizer: .*',
                    r'(?m)^.*runtime error: .*',
                    r'ERROR: libFuzzer: .*', r'ERROR: LeakSanitizer: .*', r'SUMMARY: .*'):
        m = re.search(pattern, out)
        if m:
            return m.group(0)[:200]
    return 'no reason found in the output'


FRAME = re.compile(r'#\d+ 0x[0-9a-f]+ in (\S+) (/\S+?:\d+)')


def crash_where(out):
    """The first frame of the stack in our own code: 'function file:line'."""
    for func, where in FRAME.findall(out):
        if where.startswith(str(ROOT) + '/') and '/tests/fuzz/' not in where:
            return f'{func} {where[len(str(ROOT)) + 1:]}'
    for func, where in FRAME.findall(out):
        if where.startswith(str(ROOT) + '/'):
            return f'{func} {where[len(str(ROOT)) + 1:]}'
    return ''


def fuzz(build, target, runs=None, seconds=None, fresh=False, corpus=None, save=True,
         log=None):
    """Fuzz target for runs executions or seconds seconds; the Result."""
    exe = build / 'fuzz' / f'fuzz_{target}'
    res = Result(target)
    if not exe.exists():
        res.failed = f'{exe} not built'
        return res
    corpus = corpus or build / 'fuzz' / 'corpus' / target
    artifacts = build / 'fuzz' / 'artifacts' / target
    artifacts.mkdir(parents=True, exist_ok=True)
    res.seeds = make_corpus(build, target, corpus, fresh)
    seen = set()
    start = time.monotonic()
    while len(res.crashes) < MAX_CRASHES:
        left_runs = runs - res.runs if runs else None
        left_time = seconds - (time.monotonic() - start) if seconds else None
        if (left_runs is not None and left_runs <= 0) or (left_time is not None and left_time < 1):
            break
        args = [str(exe)] + fuzzer_args(target, artifacts)
        args += [f'-runs={left_runs}'] if left_runs else [f'-max_total_time={int(left_time)}']
        before = set(artifacts.iterdir())
        p = subprocess.run(args + [str(corpus)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                           stdin=subprocess.DEVNULL, timeout=(left_time or 36000) + 600)
        out = p.stdout.decode(errors='replace')
        if log:
            with open(log, 'a') as f:
                f.write(out)
        status = STATUS.findall(out)
        m = re.search(r'stat::number_of_executed_units: (\d+)', out)
        done = int(m.group(1)) if m else (int(status[-1][0]) if status else 0)
        res.runs += done
        if status:
            res.cov, res.features, res.corpus = int(status[-1][2]), int(status[-1][3]), int(status[-1][4])
        new = sorted(set(artifacts.iterdir()) - before)
        if p.returncode == 0:
            break
        if not new:
            res.failed = f'status {p.returncode} and no input saved: {crash_summary(out)}'
            break
        # One crash is one input; the same failure again (the same line
        # at the same place) means the fuzzer keeps finding that one
        # bug: it is not saved twice, and the target stops there.
        why = crash_summary(out)
        where = crash_where(out)
        signature = (re.sub(r'0x[0-9a-f]+|\d+', 'N', why), where)
        if signature in seen:
            res.repeats += 1
            break
        seen.add(signature)
        for a in new:
            kind = a.name.split('-')[0]
            saved = a
            if save:
                dest = REGRESSIONS / target
                dest.mkdir(parents=True, exist_ok=True)
                saved = dest / a.name
                shutil.copy(a, saved)
            res.crashes.append((kind, str(saved), why + (f' (in {where})' if where else '')))
        if done == 0:   # crashed on the corpus itself: running again repeats it
            break
    res.seconds = time.monotonic() - start
    return res


def replay(build, target):
    """Every saved regression input of target, run once: (path, ok, detail)."""
    exe = build / 'fuzz' / f'fuzz_{target}'
    out = []
    for f in sorted((REGRESSIONS / target).glob('*')):
        if f.name.startswith('.') or f.suffix == '.md':
            continue
        if not exe.exists():
            out.append((f, False, f'{exe} not built'))
            continue
        p = subprocess.run([str(exe), f'-timeout={TIMEOUT}', f'-rss_limit_mb={RSS_LIMIT_MB}', str(f)],
                           stdout=subprocess.PIPE, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                           timeout=TIMEOUT + 60)
        text = p.stdout.decode(errors='replace')
        out.append((f, p.returncode == 0, '' if p.returncode == 0 else
                    f'status {p.returncode}: {crash_summary(text)}'))
    return out


def table(results):
    """The figures of every target, one row each."""
    lines = [f'fuzz-long: {"target":<11} {"runs":>10} {"seconds":>7} {"exec/s":>7} '
             f'{"cov":>5} {"corpus":>6} {"seeds":>5} {"crashes":>7}']
    for r in results:
        lines.append(f'fuzz-long: {r.target:<11} {r.runs:>10} {r.seconds:>7.0f} '
                     f'{r.exec_per_sec:>7} {r.cov:>5} {r.corpus:>6} {r.seeds:>5} '
                     f'{len(r.crashes):>7}')
    return '\n'.join(lines)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--build', default='build')
    sub = ap.add_subparsers(dest='cmd', required=True)
    r = sub.add_parser('run')
    how = r.add_mutually_exclusive_group(required=True)
    how.add_argument('--runs', type=int)
    how.add_argument('--seconds', type=int)
    r.add_argument('--fresh', action='store_true', help='start from the seeds alone')
    r.add_argument('--table', action='store_true', help='a table of every target at the end')
    r.add_argument('--jobs', type=int, default=1, help='targets fuzzed at once')
    r.add_argument('targets', nargs='+')
    for name in ('replay', 'seeds'):
        sub.add_parser(name).add_argument('targets', nargs='+')
    args = ap.parse_args()
    build = (ROOT / args.build).resolve()
    unknown = [t for t in args.targets if t not in targets()]
    if unknown:
        print(f'fuzz: no target {", ".join(unknown)} (there are: {" ".join(targets())})',
              file=sys.stderr)
        return 2
    if args.cmd == 'seeds':
        for t in args.targets:
            n = make_corpus(build, t, build / 'fuzz' / 'corpus' / t, True)
            print(f'fuzz: {t}: {n} seeds in {build / "fuzz" / "corpus" / t}')
        return 0
    if args.cmd == 'replay':
        bad = 0
        for t in args.targets:
            for f, ok, detail in replay(build, t):
                print(f'fuzz: {t}: replay {f.relative_to(ROOT)}: {"ok" if ok else detail}')
                bad += not ok
        return 1 if bad else 0
    how = f'{args.runs} runs' if args.runs else f'{args.seconds} s'
    print(f'fuzz: {" ".join(args.targets)}: {how} each, {args.jobs} at a time'
          f'{", from the seeds alone" if args.fresh else ""}; '
          f'ACPI tables from {ACPI_CORPUS if ACPI_CORPUS.is_dir() else "nowhere (no corpus)"}',
          flush=True)
    (build / 'fuzz').mkdir(parents=True, exist_ok=True)

    def one(t):
        log = build / 'fuzz' / f'{t}.log'
        log.write_text('')
        res = fuzz(build, t, args.runs, args.seconds, args.fresh, log=log)
        print(res.line(), flush=True)
        for kind, saved, why in res.crashes:
            print(f'fuzz: {t}: {kind}: {why}; saved as {saved}', flush=True)
        return res

    start = time.monotonic()
    with concurrent.futures.ThreadPoolExecutor(max_workers=max(1, args.jobs)) as pool:
        results = list(pool.map(one, args.targets))
    if args.table:
        print(table(results))
        print(f'fuzz-long: {sum(r.runs for r in results)} runs in '
              f'{time.monotonic() - start:.0f} s of wall time, '
              f'{sum(len(r.crashes) for r in results)} crashes')
    return 1 if any(r.crashes or r.failed for r in results) else 0


if __name__ == '__main__':
    sys.exit(main())
