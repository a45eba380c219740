#!/usr/bin/python3
"""tests/host_check.py - the pure C cores, run on the host: no emulator.

  * every case of every host unit test (BUILD/host/test_*, cmocka, under
    ASan and UBSan), read as TAP;
  * kocheck over every hostile module (tests/hostile/mkhostile.py), each
    refused with the reason its MANIFEST gives;
  * kocheck --explain over every built module: its arithmetic redone
    here, the loader's own relocation of the same file (kocheck checks it
    stored the same values) and GNU ld, linking the same file at the same
    addresses, all agree; the worked example quoted in docs/modules.md is
    what the command prints today;
  * acpicheck (the kernel's ACPI parsers) over every machine of
    ../shared/acpi-corpus, with the corpus's figures, and over damaged
    tables made here;
  * a short run of each libFuzzer target (tests/fuzz/), and every
    regression input they saved.

Run alone: tests/host_check.py [BUILD]; tests/run.py calls each.
"""
import io
import os
import pathlib
import random
import re
import struct
import sys
import tempfile

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


# One line of kocheck --explain per relocation (tools/kocheck/explain.c).
EXPLAIN_LINE = re.compile(
    r'^(?P<where>\S+)\+0x(?P<off>[0-9a-f]+): (?P<type>R_X86_64_\w+) (?P<sym>\S+)  '
    r'S=0x(?P<S>[0-9a-f]+) A=(?P<A>[+-]0x[0-9a-f]+) P=0x(?P<P>[0-9a-f]+)  '
    r'(?P<formula>S\+A(?:-P)?) = 0x(?P<value>[0-9a-f]+)(?: \([+-]0x[0-9a-f]+\))?  '
    r'stored 0x(?P<stored>[0-9a-f]+)(?P<rest>.*)$', re.M)
M64 = (1 << 64) - 1


def explain_parse(out):
    """(sections {name: (addr, size)}, undefined {name: value}, rows)."""
    sections = {m[1]: (int(m[2], 16), int(m[3]))
                for m in re.finditer(r'^section (\S+) 0x([0-9a-f]+) (\d+)$', out, re.M)}
    undefined = {m[1]: int(m[2], 16)
                 for m in re.finditer(r'^symbol (\S+) 0x([0-9a-f]+) \S+$', out, re.M)}
    rows = []
    for m in EXPLAIN_LINE.finditer(out):
        r = {k: m[k] for k in ('where', 'type', 'sym', 'formula', 'rest')}
        r.update({k: int(m[k], 16) for k in ('off', 'S', 'P', 'value', 'stored')})
        r['A'] = int(m['A'], 16)
        rows.append(r)
    return sections, undefined, rows


def explain_arithmetic(r):
    """What the psABI says row r must store, worked out again here:
    (stored, fits), or None when the row's own numbers disagree."""
    pc = r['type'] in ('R_X86_64_PC32', 'R_X86_64_PLT32', 'R_X86_64_PC64')
    value = (r['S'] + r['A'] - (r['P'] if pc else 0)) & M64
    if value != r['value'] or r['formula'] != ('S+A-P' if pc else 'S+A') or \
            r['P'] != r['section_addr'] + r['off']:
        return None
    if r['type'] in ('R_X86_64_64', 'R_X86_64_PC64'):
        return value, True
    low = value & 0xffffffff
    if r['type'] == 'R_X86_64_32':
        return low, value == low
    signed = value - (1 << 64) if value >> 63 else value
    return low, -(1 << 31) <= signed < (1 << 31)


def ld_link(build, ko, sections, undefined, out_dir):
    """GNU ld links ko with every loaded section at kocheck's address and
    the undefined symbols at kocheck's values: (ELFFile bytes, error)."""
    script = ['SECTIONS {']
    script += [f'  {name} 0x{addr:x} : {{ *({name}) }}' for name, (addr, _) in sections.items()]
    script += ['  /DISCARD/ : { *(*) }', '}']
    lds = out_dir / f'{ko.stem}.ld'
    elf = out_dir / f'{ko.stem}.ld.elf'
    lds.write_text('\n'.join(script) + '\n')
    rc, out, _ = run(['ld', '-static', '-nostdlib', '--no-check-sections', '-e', '0',
                      '-T', str(lds), '-o', str(elf), str(ko)] +
                     [f'--defsym={n}=0x{v:x}' for n, v in undefined.items()], 60)
    return (elf.read_bytes(), None) if rc == 0 else (None, out.strip()[:200])


def c_string_at(elf, addr):
    """The NUL-terminated bytes at addr in one of elf's sections, or None."""
    for s in elf.iter_sections():
        if s['sh_type'] == 'SHT_PROGBITS' and s['sh_addr'] <= addr < s['sh_addr'] + s['sh_size']:
            data = s.data()[addr - s['sh_addr']:]
            return data[:data.find(b'\0')] if b'\0' in data else None
    return None


def explain_vs_ld(ko, rows, ld_bytes):
    """Problems where GNU ld stored something else at a hole.  ld merges
    SHF_MERGE string sections (a duplicate string or a tail goes), which
    the loader does not: a reference into one is compared by the string
    it reaches, the rest byte for byte."""
    from elftools.elf.elffile import ELFFile
    linked = ELFFile(io.BytesIO(ld_bytes))
    module = ELFFile(ko.open('rb'))
    merged = {s.name: s['sh_addr'] for s in linked.iter_sections() if s['sh_flags'] & 0x10}
    problems, by_string = [], 0
    for r in rows:
        out = linked.get_section_by_name(r['where'])
        if out is None:
            problems.append(f'{r["where"]}: not in ld\'s output')
            continue
        width = 8 if r['type'] in ('R_X86_64_64', 'R_X86_64_PC64') else 4
        raw = out.data()[r['off']:r['off'] + width]
        got = int.from_bytes(raw, 'little')
        if r['sym'] in merged:
            pc = r['type'] in ('R_X86_64_PC32', 'R_X86_64_PLT32', 'R_X86_64_PC64')

            def reach(v):
                if width == 4:
                    v = v - (1 << 32) if v >> 31 else v
                return ((v + r['P']) if pc else v) & M64
            mine = reach(r['stored']) - r['S'] + module.get_section_by_name(r['sym'])['sh_offset']
            ko_bytes = ko.read_bytes()
            want = ko_bytes[mine:ko_bytes.index(b'\0', mine)]
            if c_string_at(linked, reach(got)) != want:
                problems.append(f'{r["where"]}+{r["off"]:#x}: ld reaches {c_string_at(linked, reach(got))}, '
                                f'the loader {want}')
            by_string += 1
        elif got != r['stored']:
            problems.append(f'{r["where"]}+{r["off"]:#x} {r["type"]}: ld stored {got:#x}, '
                            f'kocheck {r["stored"]:#x}')
    return problems, by_string


def applied_relocations(ko):
    """How many relocations the loader applies in ko: those of every RELA
    section whose target is SHF_ALLOC (read with pyelftools)."""
    from elftools.elf.elffile import ELFFile
    elf = ELFFile(ko.open('rb'))
    return sum(s.num_relocations() for s in elf.iter_sections()
               if s['sh_type'] == 'SHT_RELA' and elf.get_section(s['sh_info'])['sh_flags'] & 2)


def kocheck_explain_tests(build, report):
    """kocheck --explain on every built module, with the kernel's real
    layout (--kernel) and kocheck's stand-ins: three opinions of every
    hole agree (kocheck's arithmetic, redone here; the loader's, which
    kocheck compares itself; GNU ld's), and none is left out."""
    kocheck = build / 'host' / 'kocheck'
    kernel = build / 'kernel.elf'
    kos = sorted((build / 'modules').glob('*.ko'))
    if not kocheck.exists() or not kernel.exists() or not kos:
        report.add('kocheck --explain: built modules', False,
                   f'{kocheck}, {kernel} or {build}/modules/*.ko not built (make kernel modules)')
        return
    out_dir = build / 'test' / 'explain'
    out_dir.mkdir(parents=True, exist_ok=True)
    for ko in kos:
        for layout, opts in (('kernel', ['--kernel', str(kernel)]), ('stand-in', [])):
            name = f'kocheck --explain {ko.name} ({layout} layout)'
            rc, out, _ = run([str(kocheck), '--explain', '--resolve-any'] + opts + [str(ko)], 60)
            sections, undefined, rows = explain_parse(out)
            for r in rows:
                r['section_addr'] = sections.get(r['where'], (0, 0))[0]
            wrong = [r for r in rows if explain_arithmetic(r) != (r['stored'], 'fits' in r['rest'] or
                                                                   r['rest'].endswith('(8 bytes)'))]
            want = applied_relocations(ko)
            agrees = out.rstrip().endswith("the loader's apply_relocate_add() stored the same values")
            report.add(f'{name}: {len(rows)} relocations, the arithmetic redone, the loader stored the same',
                       rc == 0 and agrees and len(rows) == want and rows and not wrong,
                       f'status {rc}, {len(rows)} rows of {want}, wrong {wrong[:1]}: {out.strip()[-200:]}')
            ld_bytes, err = ld_link(build, ko, sections, undefined, out_dir)
            problems, by_string = explain_vs_ld(ko, rows, ld_bytes) if ld_bytes else ([err], 0)
            report.add(f'{name}: GNU ld linking it at the same addresses stores the same '
                       f'({by_string} into merged strings compared by the string)',
                       ld_bytes and rows and not problems, '; '.join(problems[:3]))
    explain_percpu_ptr(build, report, kocheck, kernel)
    explain_overflow(build, report, kocheck)
    explain_docs(build, report)


def explain_percpu_ptr(build, report, kocheck, kernel):
    """The relocation inside .data..percpu (Linux skipped these until
    570db4b39f53): percpu_ptr_self = &percpu_ptr_target, 8 bytes into the
    module's per-CPU area; asked for by either section name."""
    ko = build / 'modules' / 'percpu_ptr.ko'
    for section in ('.data..percpu', '.rela.data..percpu'):
        rc, out, _ = run([str(kocheck), '--explain', '--kernel', str(kernel), str(ko), section], 60)
        sections, _, rows = explain_parse(out)
        base = sections.get('.data..percpu', (None,))[0]
        report.add(f'kocheck --explain percpu_ptr.ko {section}: one R_X86_64_64 in the per-CPU '
                   'template, the per-CPU base + 8, applied by the loader',
                   rc == 0 and len(rows) == 1 and base is not None and
                   (rows[0]['where'], rows[0]['off'], rows[0]['type'], rows[0]['stored']) ==
                   ('.data..percpu', 0, 'R_X86_64_64', base + 8) and 'stored the same values' in out,
                   f'status {rc}: {out.strip()[-300:]}')
    rc, out, _ = run([str(kocheck), '--explain', '--kernel', str(kernel), str(ko), '.nosuch'], 60)
    report.add('kocheck --explain FILE .nosuch: refused, status 1',
               rc == 1 and 'no relocations the loader applies in section .nosuch' in out, out[-200:])


def explain_overflow(build, report, kocheck):
    """A 32S hole that cannot hold its value: explain says so, and so
    does the loader."""
    ko = build / 'hostile' / 'reloc-32s-overflow.ko'
    rc, out, _ = run([str(kocheck), '--explain', '--resolve-any', str(ko)], 60)
    report.add('kocheck --explain reloc-32s-overflow.ko: DOES NOT FIT, and the loader refuses it too',
               rc == 1 and re.search(r'R_X86_64_32S .*stored 0x20001000: DOES NOT FIT '
                                     r'\(sign-extends to 0x20001000, not the value\)', out) and
               'the loader refuses it too: valid: overflow in relocation type R_X86_64_32S' in out,
               out.strip()[-300:])


def explain_docs(build, report):
    """docs/modules.md's worked example: each command quoted after a
    `$ build/host/kocheck --explain` prompt is run again, and the lines
    quoted under it must be lines it prints today."""
    text = (ROOT / 'docs' / 'modules.md').read_text()
    blocks = re.findall(r'^```\n\$ (build/host/kocheck --explain[^\n]*)\n(.*?)^```', text, re.M | re.S)
    # Run as quoted, from the top of the tree, with BUILD for build/.
    rel = os.path.relpath(build, ROOT) + '/'
    bad = []
    for cmd, quoted in blocks:
        argv = [a.replace('build/', rel, 1) if a.startswith('build/') else a
                for a in cmd.split('|')[0].split()]
        _, out, _ = run(argv, 60, cwd=ROOT)
        have = set(out.splitlines())
        bad += [f'{cmd}: "{ln}"' for ln in quoted.splitlines()
                if ln and ln.replace('build/', rel) not in have]
    report.add(f'docs/modules.md: the {len(blocks)} quoted kocheck --explain outputs are what it prints now',
               len(blocks) >= 2 and not bad, '; '.join(bad[:2]) or 'no quoted example')


# ---- acpicheck: the kernel's ACPI parsers over real and hostile tables --

def acpi_table(sig, body, revision=1):
    """A table: the ACPI header (5.2.6) before body, checksum made good."""
    t = bytearray(sig + struct.pack('<IBB6s8sI4sI', 36 + len(body), revision, 0,
                                    b'MKERNL', b'ACPICHK', 1, b'MKRN', 1) + body)
    t[9] = (-sum(t)) & 0xff
    return t


def madt_body(entries):
    return struct.pack('<II', 0xfee00000, 1) + b''.join(entries)


# Two CPUs, one I/O APIC, IRQ 0 on GSI 2.
GOOD_MADT = [struct.pack('<BBBBI', 0, 8, 0, 0, 1), struct.pack('<BBBBI', 0, 8, 1, 1, 1),
             struct.pack('<BBBBII', 1, 12, 2, 0, 0xfec00000, 0),
             struct.pack('<BBBBIH', 2, 10, 0, 0, 2, 0)]
# Name (_S5, Package (0x04) { 0x05, 0x05, Zero, Zero }) as AML.
S5_AML = bytes([0x08]) + b'_S5_' + bytes([0x12, 0x08, 0x04, 0x0a, 0x05, 0x0a, 0x05, 0x00, 0x00])


def good_fadt():
    """A revision 3 FADT of 244 bytes: PM1a control at port 0x804,
    8042 present."""
    f = bytearray(244 - 36)
    struct.pack_into('<I', f, 64 - 36, 0x804)
    f[89 - 36] = 2
    struct.pack_into('<H', f, 109 - 36, 2)
    return acpi_table(b'FACP', bytes(f), revision=3)


def acpi_folder(path, apic=None, facp=None, dsdt=None, extra=None):
    """A machine folder as acpixtract writes one; None leaves a file out."""
    path.mkdir(parents=True, exist_ok=True)
    for name, data in (('apic.dat', apic), ('facp.dat', facp), ('dsdt.dat', dsdt)):
        if data is not None:
            (path / name).write_bytes(data)
    for name, data in (extra or {}).items():
        (path / name).write_bytes(data)
    return path


def sanitizer_quiet(out):
    """No ASan or UBSan report in a run's output (ASan's exit status is
    1, the same as an error line's, so the status alone cannot tell)."""
    return 'Sanitizer' not in out and 'runtime error' not in out


def acpicheck_hostile(acpicheck, report):
    """Damaged folders made here: each gets an error line naming what is
    wrong and status 1, or an ok line, and never a sanitizer report."""
    import acpi_check
    madt = acpi_table(b'APIC', madt_body(GOOD_MADT), revision=3)
    fadt, dsdt = good_fadt(), acpi_table(b'DSDT', S5_AML, revision=2)
    past_end = bytearray(madt)
    struct.pack_into('<I', past_end, 4, len(madt) + 100)
    huge = bytearray(madt)
    struct.pack_into('<I', huge, 4, 0xffffffff)
    long_entry = acpi_table(b'APIC', madt_body(GOOD_MADT[:1] + [bytes([1, 40, 2, 0])]))
    zero_entry = acpi_table(b'APIC', madt_body(GOOD_MADT[:1] + [bytes([0, 0, 0, 0])]))
    bad_sum = bytearray(madt)
    bad_sum[9] ^= 0x55
    # A PkgLength past the end of the table: no _S5, still a machine.
    bad_s5 = acpi_table(b'DSDT', S5_AML[:6] + bytes([0x3f]) + S5_AML[7:])
    cases = [
        # name, files, the error it must give (None: an ok line with this)
        ('empty folder', {}, 'apic.dat: No such file', None),
        ('truncated apic.dat', {'apic': madt[:len(madt) // 2]}, 'apic.dat: truncated', None),
        ('apic.dat of 3 bytes', {'apic': madt[:3]}, 'shorter than a table header', None),
        ('MADT length past the end of the file', {'apic': past_end}, 'apic.dat: truncated', None),
        ('MADT length 0xffffffff', {'apic': huge}, 'length out of range', None),
        ('MADT checksum wrong', {'apic': bad_sum}, 'bad checksum', None),
        ('MADT entry past the end of the table', {'apic': long_entry, 'facp': fadt, 'dsdt': dsdt},
         'entry runs past the end of the table at offset 52', None),
        ('MADT entry of length 0', {'apic': zero_entry, 'facp': fadt, 'dsdt': dsdt},
         'entry of length 0 at offset 52', None),
        ('FADT of 60 bytes', {'apic': madt, 'facp': acpi_table(b'FACP', bytes(24)), 'dsdt': dsdt},
         'facp.dat: FADT shorter than the ACPI 1.0 layout', None),
        ('no DSDT', {'apic': madt, 'facp': fadt}, 'dsdt.dat: No such file', None),
        ('DSDT signature in facp.dat', {'apic': madt, 'facp': dsdt, 'dsdt': dsdt},
         'facp.dat: unexpected signature', None),
        ('broken _S5, garbage SSDT', {'apic': madt, 'facp': fadt, 'dsdt': bad_s5,
                                      'extra': {'ssdt1.dat': bytes(range(256)) * 3}},
         None, ' s5=none s5_from=none rejected=ssdt1.dat:signature_is_not_printable'),
        ('good folder', {'apic': madt, 'facp': fadt, 'dsdt': dsdt}, None,
         ' lapic_ids=0,1 x2apic_ids= cpus=0,1 ioapics=2@0xfec00000/0 overrides=0>2 '
         'hw_reduced=0 ps2=1 pm1a_cnt=0x804 sleep_control=none s5=5,5 s5_from=dsdt'),
    ]
    with tempfile.TemporaryDirectory(prefix='acpicheck-') as tmp:
        tmp = pathlib.Path(tmp)
        for n, (name, files, error, ok_has) in enumerate(cases):
            folder = acpi_folder(tmp / str(n), files.get('apic'), files.get('facp'),
                                 files.get('dsdt'), files.get('extra'))
            rc, out, _ = run([str(acpicheck), str(folder)], 60)
            out = out.strip()
            if error:
                good = rc == 1 and out.startswith(f'{folder}: error: ') and error in out
            else:
                good = rc == 0 and out.startswith(f'{folder}: ok ') and ok_has in out and \
                    bool(acpi_check.parse_line(out))
            good = good and len(out.splitlines()) == 1 and sanitizer_quiet(out)
            report.add(f'acpicheck: hostile: {name}: {"error" if error else "ok"} line, '
                       f'status {1 if error else 0}', good, f'status {rc}: {out[:300]}')
        # Larger than any table (ACPI_TABLE_MAX_LEN): refused unread.
        big = acpi_folder(tmp / 'big')
        with open(big / 'apic.dat', 'wb') as f:
            f.truncate((16 << 20) + 1)
        rc, out, _ = run([str(acpicheck), str(big)], 60)
        report.add('acpicheck: hostile: apic.dat over 16 MiB: refused', rc == 1 and
                   out.strip() == f'{big}: error: apic.dat: larger than {16 << 20} bytes',
                   f'status {rc}: {out[:300]}')
        # Random damage with the checksum made good again, so that it
        # reaches the parsers: one line per folder, no sanitizer report.
        rng = random.Random(1)
        folders = []
        for n in range(300):
            t = bytearray(madt if n % 2 else fadt)
            for _ in range(rng.randint(1, 6)):
                t[rng.randrange(4, len(t))] = rng.randrange(256)
            t[9] = 0
            t[9] = (-sum(t[:struct.unpack_from('<I', t, 4)[0]])) & 0xff
            files = {'apic': t, 'facp': fadt} if n % 2 else {'apic': madt, 'facp': t}
            folders.append(acpi_folder(tmp / f'r{n}', dsdt=dsdt, **files))
        rc, out, _ = run([str(acpicheck)] + [str(f) for f in folders], 120)
        lines = out.strip().splitlines()
        shapes = all(re.match(r'^\S+: (ok|error: .+)', ln) for ln in lines)
        report.add(f'acpicheck: {len(folders)} randomly damaged MADTs and FADTs: one line each, '
                   'no sanitizer report', rc in (0, 1) and len(lines) == len(folders) and shapes and sanitizer_quiet(out),
                   f'status {rc}, {len(lines)} lines: {" | ".join(lines[-3:])[:300]}')


def acpicheck_tests(build, report):
    """acpicheck (under ASan and UBSan) over every machine of the corpus,
    one result each and a summary with the corpus's figures; then the
    hostile folders, which need no corpus."""
    import acpi_check
    acpicheck = build / 'host' / 'acpicheck'
    if not acpicheck.exists():
        report.add('acpicheck: built', False, f'{acpicheck} not built')
        return
    corpus = acpi_check.CORPUS
    if not corpus.is_dir():
        report.skip('acpicheck: real machines\' tables',
                    f'{corpus} not found (the corpus lies beside the repository)')
    else:
        acpicheck_corpus(acpicheck, corpus, report)
    acpicheck_hostile(acpicheck, report)


def acpicheck_corpus(acpicheck, corpus, report):
    import acpi_check
    folders = acpi_check.machines(corpus)
    rows = []
    for folder in folders:
        name = acpi_check.machine_name(folder, corpus)
        rc, out, _ = run([str(acpicheck), str(folder)], 60)
        parsed = acpi_check.parse_line(out.strip()) if len(out.strip().splitlines()) == 1 else None
        good = rc == 0 and parsed is not None and parsed[1] is not None and sanitizer_quiet(out)
        report.add(f'acpicheck: {name}: ok, no sanitizer report', good,
                   f'status {rc}: {out.strip()[:300]}')
        if good:
            rows.append(parsed[1])
    cpus = sum(len(acpi_check.id_list(r['cpus'])) for r in rows)
    multi_ioapic = sum(len(r['ioapics'].split(',')) > 1 for r in rows)
    x2apic = sum(bool(r['x2apic_ids']) for r in rows)
    reduced = sum(r['hw_reduced'] == '1' for r in rows)
    in_dsdt = sum(r['s5_from'] == 'dsdt' for r in rows)
    in_ssdt = sum(r['s5_from'].startswith('ssdt') for r in rows)
    report.add(f'acpicheck: {len(rows)} machines, {cpus} CPUs, {multi_ioapic} with >1 I/O APIC, '
               f'{x2apic} with x2APIC entries, {reduced} hw-reduced, _S5 in DSDT {in_dsdt}, '
               f'in SSDT {in_ssdt}', len(rows) == len(folders) > 0,
               f'{len(folders) - len(rows)} of {len(folders)} machines failed')


def fuzz_tests(build, report, seconds=3):
    """Each libFuzzer target of tests/fuzz/ (tests/fuzz/fuzz.py) for a
    few seconds from its seeds, fresh (make fuzz-long runs them for ten
    million executions each), and every input saved in
    tests/fuzz/regressions/ once: a sanitizer report, a failed check, a
    hang, an out-of-memory or a leak fails it.  Crashers found here are
    left in BUILD/fuzz/artifacts/, not saved in the tree."""
    sys.path.insert(0, str(ROOT / 'tests' / 'fuzz'))
    import fuzz
    for target in fuzz.targets():
        res = fuzz.fuzz(build, target, seconds=seconds, fresh=True, save=False,
                        corpus=build / 'fuzz' / 'test-corpus' / target)
        detail = res.failed or '; '.join(f'{kind} {path}: {why}' for kind, path, why in res.crashes)
        report.add(f'fuzz: {target}: {seconds} s from {res.seeds} seeds, {res.runs} runs, '
                   f'cov {res.cov}, no crash', not res.failed and not res.crashes and res.runs > 0,
                   detail or 'no runs')
        for path, ok, why in fuzz.replay(build, target):
            report.add(f'fuzz: {target}: regression {path.name}: runs clean', ok, why)


# ---- stack depth: tools/stackcheck.py over the kernel's .su files --------

def stack_tests(build, report):
    """No kernel function's frame over 1 KiB (the compiler refuses one
    already: -Wframe-larger-than=1024), the deepest chains of the module
    loader named with their totals, and the deepest thread chain plus the
    deepest interrupt on top of it inside the 16 KiB thread stack.  And
    that the check fails on a frame too large (a made-up .su file)."""
    tool = str(ROOT / 'tools/stackcheck.py')
    rc, out, _ = run([sys.executable, tool, str(build)], 120)
    report.add('stack: no kernel function has a frame over 1024 bytes (tools/stackcheck.py)',
               rc == 0 and 'FAIL' not in out, out.strip()[-400:])
    totals = {m.group(1): int(m.group(2)) for m in
              re.finditer(r'^stack: deepest chain from (\w+).*?: (\d+) bytes of', out, re.M)}
    threads = [totals.get(r, 0) for r in ('storm_worker', 'monitor_thread', 'load_module')]
    irq = totals.get('trap_dispatch', 0)
    report.add(f'stack: the deepest loader chain ({max(threads)} bytes) and an interrupt on top '
               f'({irq} bytes) fit the 16384-byte thread stack',
               all(threads) and irq and max(threads) + irq < 16384, out.strip()[-600:])
    with tempfile.TemporaryDirectory(prefix='stackcheck-') as tmp:
        fake = pathlib.Path(tmp)
        (fake / 'kernel.elf').symlink_to(build / 'kernel.elf')
        (fake / 'big.su').write_text('kernel/big.c:1:6:big_frame\t2048\tstatic\n'
                                     'kernel/big.c:9:6:alloca_user\t64\tdynamic\n')
        rc, out, _ = run([sys.executable, tool, tmp], 120)
        report.add('stack: stackcheck fails on a 2048-byte frame and an unbounded dynamic one',
                   rc == 1 and 'big_frame (kernel/big.c:1) has a frame of 2048 bytes' in out and
                   'alloca_user (kernel/big.c:9) has an unbounded dynamic frame' in out,
                   out.strip()[-300:])


if __name__ == '__main__':
    r = Report()
    build = (ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve()
    host_tests(build, r)
    kocheck_tests(build, r)
    kocheck_explain_tests(build, r)
    acpicheck_tests(build, r)
    stack_tests(build, r)
    fuzz_tests(build, r)
    sys.exit(r.summary())
