#!/usr/bin/python3
"""tests/oracle_check.py - the loader's relocations against GNU ld's, byte
for byte (tools/ldoracle.py; docs/modules.md, "GNU ld as an oracle").

In make test and make test-host (check()):
  * every built module, at kocheck's stand-in addresses and at the
    kernel's (--kernel BUILD/kernel.elf): compared, no difference;
  * every hostile module (tests/hostile/mkhostile.py): those the loader
    relocates are compared with no difference (reloc-type-unknown.ko's
    GOTPCREL counted as unsupported, the rest of it compared); those it
    refuses while relocating are refused by ld too (reloc-32s-overflow.ko:
    "relocation truncated to fit"); the rest are not comparable (refused
    before relocation); none makes kocheck or ld fail otherwise;
  * a copy of a module in which two loaded sections have one name: still
    compared, section by section;
  * the oracle can fail: the loader's result with one relocated byte and
    one copied byte changed gives exactly those two differences, each
    with its section, offset and relocation (or "no relocation");
  * a dozen real modules of Debian's linux-image (ldoracle.SAMPLE), when
    the package is already in BUILD/compare-linux/debs/ (make test-real
    or make compare-linux fetched it); otherwise one skip saying so.

In make test-real and make test-long (check_real()): every module of the
package, fetched if it is not there; the figures also go to
BUILD/reloc-oracle/linux.json.

Run alone: tests/oracle_check.py [BUILD] [--real].
"""
import json
import pathlib
import shutil
import struct
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
sys.path.insert(0, str(ROOT / 'tools'))
import debfetch  # noqa: E402
import ldoracle  # noqa: E402
from harness import Report, run  # noqa: E402

JOBS = 2


def figures(totals):
    """'6 modules, 201 relocations, ... 0 differences; ...': the summary
    line without its 'reloc-oracle: ' and without the time it took (no
    timing in a test's name)."""
    return totals.summary(seconds=False).split(': ', 1)[1]


def problems(totals, states=('different', 'error')):
    """The first few lines saying what went wrong, for a failure."""
    out = []
    for r in totals.results:
        if r.state in states:
            out += [f'{r.label}: {d}' for d in r.differences] or [f'{r.label}: {r.state}: {r.reason}']
    return '; '.join(out[:3])


def compared(totals, count, what, report):
    """All count modules compared with no difference."""
    f = totals.figures()
    report.add(f'reloc-oracle: {what}: {figures(totals)}',
               f['modules'] == count > 0 and f['differences'] == 0 and f['relocations'] > 0 and
               not f['errors'] and not f['unsupported'],
               problems(totals) or f'{f["modules"]} of {count} compared')


def built_modules(build, kocheck, report):
    kos = sorted((build / 'modules').glob('*.ko'))
    kernel = build / 'kernel.elf'
    if not kos or not kernel.exists():
        report.add('reloc-oracle: the built modules', False,
                   f'no {build}/modules/*.ko or {kernel} (make kernel modules)')
        return
    for layout, opts in (("kocheck's addresses", []), ("the kernel's addresses", ['--kernel', str(kernel)])):
        work = build / 'reloc-oracle' / 'test-modules'
        shutil.rmtree(work, ignore_errors=True)
        totals = ldoracle.check_all([(ko, ko.name) for ko in kos], kocheck, ['--resolve-any'] + opts,
                                    work, JOBS)
        compared(totals, len(kos), f'the {len(kos)} built modules at {layout}', report)


def hostile_modules(build, kocheck, report):
    kos = sorted((build / 'hostile').glob('*.ko'))
    if not kos:
        report.add('reloc-oracle: the hostile modules', False, f'no {build}/hostile/*.ko')
        return
    work = build / 'reloc-oracle' / 'test-hostile'
    shutil.rmtree(work, ignore_errors=True)
    totals = ldoracle.check_all([(ko, ko.name) for ko in kos], kocheck, ['--resolve-any'], work, JOBS)
    by = {r.label: r for r in totals.results}
    f = totals.figures()
    unknown = by.get('reloc-type-unknown.ko')
    report.add(f'reloc-oracle: the {len(kos)} hostile modules: {figures(totals)}',
               f['differences'] == 0 and not f['errors'] and f['modules'] >= 5 and
               by.get('valid.ko') and by['valid.ko'].state == 'same' and
               unknown and unknown.state == 'same' and dict(unknown.unsupported) == {9: 1} and
               f['unsupported'] == {'R_X86_64_GOTPCREL': {'relocations': 1, 'modules': 1}},
               problems(totals) or f'{f}')
    overflow = by.get('reloc-32s-overflow.ko')
    report.add('reloc-oracle: reloc-32s-overflow.ko: the loader refuses the 32S overflow, '
               'and ld refuses it too',
               overflow and overflow.state == 'both refused' and
               'relocation truncated to fit: R_X86_64_32S' in overflow.reason and
               'overflow in relocation type R_X86_64_32S' in overflow.reason,
               overflow and f'{overflow.state}: {overflow.reason} {overflow.differences}')


def rename(data, index, like):
    """data with section index named as section like is."""
    out = bytearray(data)
    shoff, = struct.unpack_from('<Q', data, 0x28)
    name, = struct.unpack_from('<I', data, shoff + like * 64)
    struct.pack_into('<I', out, shoff + index * 64, name)
    return bytes(out)


def same_names(build, kocheck, report):
    """Two loaded sections of one name: a linker script could not tell
    them apart; the oracle's renamed copy can.  The second read-only
    section of kvm_intel.ko (.rodata.str1.1 from gcc, __param from clang)
    is given the first one's name."""
    ko = build / 'modules' / 'kvm_intel.ko'
    if not ko.exists():
        report.add('reloc-oracle: two sections of one name', False, f'no {ko}')
        return
    data = ko.read_bytes()
    readonly = [s for s in ldoracle.sections(data) if s.flags & 0x7 == ldoracle.SHF_ALLOC and
                s.name != '.modinfo' and s.size]
    if len(readonly) < 2:
        report.add('reloc-oracle: two sections of one name', False,
                   f'{ko.name} has {len(readonly)} read-only sections, not two')
        return
    first, second = readonly[:2]
    work = build / 'reloc-oracle' / 'test-names'
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    twin = work / 'kvm_intel-twins.ko'
    twin.write_bytes(rename(data, second.index, first.index))
    r = ldoracle.check_module(twin, twin.name, kocheck, ['--resolve-any'], work / 'dump')
    man = ldoracle.Manifest((work / 'dump' / 'manifest').read_text()) \
        if (work / 'dump' / 'manifest').exists() else None
    twins = [s for s in man.sections if s[5] == first.name] if man else []
    report.add(f'reloc-oracle: kvm_intel.ko with {second.name} renamed {first.name}: two loaded '
               f'sections of one name, each compared ({r.bytes} bytes, {r.relocations} relocations)',
               r.state == 'same' and len(twins) == 2 and r.relocations > 0,
               f'{r.state}: {r.reason} {r.differences[:2]}, {len(twins)} sections named {first.name}')


def tampered(build, kocheck, report):
    """The loader's bytes with one hole and one copied byte changed: the
    oracle must name both, and nothing else."""
    ko = build / 'modules' / 'kvm.ko'
    work = build / 'reloc-oracle' / 'test-tampered'
    shutil.rmtree(work, ignore_errors=True)
    rc, out, _ = run([str(kocheck), '--dump', str(work), '--resolve-any', str(ko)], 60)
    if rc != 0:
        report.add('reloc-oracle: the oracle sees a changed byte', False, f'kocheck: {out.strip()[-200:]}')
        return
    man = ldoracle.Manifest((work / 'manifest').read_text())
    data = (work / 'input.ko').read_bytes()
    secs = ldoracle.sections(data)
    text = next(s for s in man.sections if s[5] == '.text')
    rels = ldoracle.relocations(data, secs, {text[0]})[text[0]]
    off, kind, _, _ = next(r for r in rels if r[1] == 2)     # the first PC32 in .text
    holes = {o + k for o, t, _, _ in rels for k in range(ldoracle.WIDTH.get(t, 0))}
    plain = next(o for o in range(text[3]) if o not in holes)
    base = man.regions['core'][0]
    core = bytearray((work / 'core.bin').read_bytes())
    for o in (off + 1, plain):
        core[text[2] - base + o] ^= 0x40
    (work / 'core.bin').write_bytes(core)
    r = ldoracle.oracle('kvm.ko (tampered)', work)
    want = [f'.text+{off:#x}: R_X86_64_PC32 ', f'.text+{plain:#x}: no relocation, 1 byte:']
    report.add(f'reloc-oracle: the oracle sees a changed byte: kvm.ko with .text+{off + 1:#x} '
               f'(in a PC32 hole) and .text+{plain:#x} (copied) changed gives those two differences',
               r.state == 'different' and len(r.differences) == 2 and
               all(d.startswith(w) for d, w in zip(sorted(r.differences), sorted(want))),
               f'{r.state}: {r.differences[:4]}')


def real_sample(build, kocheck, report):
    cache = build / 'compare-linux' / 'debs'
    have = debfetch.cached(debfetch.META_PACKAGE, cache)
    name = f'reloc-oracle: {len(ldoracle.SAMPLE)} modules of Debian\'s linux-image'
    if have is None:
        report.skip(name, f'the package is not in {cache} (make test-real fetches it)')
        return
    package, version, deb = have
    try:
        modules = ldoracle.sample_modules(deb)
    except debfetch.Failure as e:
        report.add(name, False, str(e))
        return
    work = build / 'reloc-oracle' / 'test-linux-sample'
    shutil.rmtree(work, ignore_errors=True)
    totals = ldoracle.check_all(modules, kocheck,
                                ['--resolve-any', '--this-module-size', '0'], work, JOBS)
    print(totals.summary(), flush=True)
    compared(totals, len(ldoracle.SAMPLE), f'{len(ldoracle.SAMPLE)} modules of {package} {version}',
             report)


def check(build, report):
    kocheck = build / 'host' / 'kocheck'
    if not kocheck.exists():
        report.add('reloc-oracle: kocheck built', False, f'{kocheck} not built')
        return
    built_modules(build, kocheck, report)
    hostile_modules(build, kocheck, report)
    same_names(build, kocheck, report)
    tampered(build, kocheck, report)
    real_sample(build, kocheck, report)


def check_real(build, report):
    """make test-real: every module of the package (fetched if missing)."""
    kocheck = build / 'host' / 'kocheck'
    if not kocheck.exists():
        report.add('reloc-oracle: kocheck built', False, f'{kocheck} not built')
        return
    work = build / 'reloc-oracle' / 'linux'
    shutil.rmtree(work, ignore_errors=True)
    try:
        modules = ldoracle.linux_modules(build, sample=False)
        totals = ldoracle.check_all(modules, kocheck, ['--resolve-any', '--this-module-size', '0'],
                                    work, JOBS)
    except debfetch.Failure as e:
        report.add('reloc-oracle: every module of Debian\'s linux-image', False, str(e))
        return
    totals.report()
    f = totals.figures()
    (build / 'reloc-oracle' / 'linux.json').write_text(json.dumps(f, indent=1) + '\n')
    count = len(totals.results)
    report.add(f'reloc-oracle: every module of Debian\'s linux-image: {figures(totals)}',
               count > 1000 and f['modules'] == count and f['differences'] == 0 and not f['errors'],
               problems(totals, ('different', 'error', 'not comparable', 'both refused')) or
               f'{f["modules"]} of {count} compared')


if __name__ == '__main__':
    args = [a for a in sys.argv[1:] if not a.startswith('--')]
    r = Report()
    build = (ROOT / (args[0] if args else 'build')).resolve()
    (check_real if '--real' in sys.argv else check)(build, r)
    sys.exit(r.summary())
