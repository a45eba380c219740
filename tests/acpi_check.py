#!/usr/bin/python3
"""tests/acpi_check.py - tools/acpicheck (the kernel's own ACPI parsers)
against ACPICA's disassembler, iasl, over real machines' tables.

For each machine of ../shared/acpi-corpus (a folder holding apic.dat,
facp.dat, dsdt.dat, ssdt*.dat as acpixtract writes them), iasl -d
decodes copies of the tables in a temporary folder (never in the
corpus), and this file reads the decoded text for what acpicheck's line
says:

  * MADT: the enabled local APIC (type 0) and x2APIC (type 9) IDs, the
    I/O APICs (ID, address, GSI base), the interrupt source overrides
    (source IRQ, GSI);
  * FADT: HW_REDUCED_ACPI, the IA-PC "8042" flag (FADT revision 3 on, as
    the kernel and Linux's FADT2_REVISION_ID read it; iasl decodes the
    bytes whatever the revision), the PM1a control block (the X_ GAS
    when it is in I/O space and non-zero, else the 32-bit field, as
    acpi_fadt_parse() chooses), the sleep control register;
  * \\_S5: the first Name (_S5, Package ...) in the DSDT, else in the
    SSDTs in order, and which table it came from.

Every key that differs is its own failed result, named by machine and
key.  cpus= is the kernel's choice, not a raw list: it must be a subset
of the enabled IDs, with no ID twice and no invalid one (0xff, ~0).

Run alone: tests/acpi_check.py [BUILD]; tests/run.py calls check().
Without the corpus, one skip says so.
"""
import pathlib
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests'))
from harness import Report, run  # noqa: E402

# Beside the repository, never inside it (its README: the tables are not
# ours to copy).
CORPUS = ROOT.parent / 'shared' / 'acpi-corpus'


def machines(corpus=CORPUS):
    """Every machine folder (one holding apic.dat), sorted."""
    return sorted(p.parent for p in corpus.rglob('apic.dat'))


def machine_name(folder, corpus=CORPUS):
    return str(folder.relative_to(corpus))


LINE = re.compile(r'^(?P<folder>.*?): (?:ok(?P<keys>( \S+=\S*)*)|error: (?P<error>.+))$')


def parse_line(line):
    """acpicheck's line: (folder, {key: value}, None) or (folder, None,
    error); None when the line has neither form."""
    m = LINE.match(line)
    if not m:
        return None
    if m['error'] is not None:
        return m['folder'], None, m['error']
    keys = dict(kv.split('=', 1) for kv in m['keys'].split())
    return m['folder'], keys, None


def id_list(value):
    return [int(x) for x in value.split(',')] if value else []


# ---- iasl's text --------------------------------------------------------

# "[02Fh 0047   1]                Local Apic ID : 00", or a decoded flag
# "                           Processor Enabled : 1".
FIELD = re.compile(r'^(?:\[[0-9A-Fa-f]+h [0-9]+ +[0-9]+\])?\s*(?P<name>[^:\[][^:]*?)\s*:\s*(?P<value>.*)$')


def dsl_fields(text):
    """iasl -d's data-table text as a list of blocks, one per subtable or
    Generic Address Structure (a blank line or the next "Subtable Type"
    ends one), each a dict of the first value of each field name; the
    first block is the table's own fields.  Hex dumps and comments are
    left out."""
    blocks = [{}]
    for line in text.splitlines():
        if line.startswith(('/*', ' *', 'Raw Table Data')) or re.match(r'^\s+[0-9A-F]{4}: ', line):
            continue
        if not line.strip():
            if blocks[-1]:
                blocks.append({})
            continue
        m = FIELD.match(line)
        if not m:
            continue
        name, value = m['name'], m['value'].strip()
        starts = name == 'Subtable Type' or value == '[Generic Address Structure]'
        if starts and blocks[-1]:
            blocks.append({})
        blocks[-1].setdefault(name, value)
        if value == '[Generic Address Structure]':
            blocks[-1]['GAS'] = name
    return [b for b in blocks if b]


def hexval(s):
    return int(s.split()[0], 16)


def madt_from_dsl(text):
    """The raw enabled IDs, the I/O APICs and the overrides iasl decoded."""
    want = {'lapic_ids': [], 'x2apic_ids': [], 'ioapics': [], 'overrides': []}
    for b in dsl_fields(text):
        kind = b.get('Subtable Type', '')[:2]
        enabled = b.get('Processor Enabled') == '1'
        if kind == '00' and enabled:
            want['lapic_ids'].append(hexval(b['Local Apic ID']))
        elif kind == '09' and enabled:
            want['x2apic_ids'].append(hexval(b['Processor x2Apic ID']))
        elif kind == '01':
            gsi = b.get('Interrupt', b.get('Interrupt Base', b.get('Global Irq Base')))
            want['ioapics'].append(f"{hexval(b['I/O Apic ID'])}@{hexval(b['Address']):#x}/{hexval(gsi)}")
        elif kind == '02':
            want['overrides'].append(f"{hexval(b['Source'])}>{hexval(b['Interrupt'])}")
    return {'lapic_ids': ','.join(map(str, want['lapic_ids'])),
            'x2apic_ids': ','.join(map(str, want['x2apic_ids'])),
            'ioapics': ','.join(want['ioapics']),
            'overrides': ','.join(want['overrides'])}


def fadt_from_dsl(text):
    """hw_reduced, ps2, pm1a_cnt, sleep_control from iasl's FADT text."""
    blocks = dsl_fields(text)
    top = {}
    for b in blocks:
        if 'GAS' not in b:
            for k, v in b.items():
                top.setdefault(k, v)
    gas = {b['GAS']: b for b in blocks if 'GAS' in b}
    revision = hexval(top['Revision'])
    want = {'hw_reduced': top.get('Hardware Reduced (V5)', '0')}
    flag = next((v for k, v in top.items() if k.startswith('8042 Present')), None)
    want['ps2'] = flag if revision >= 3 and flag is not None else 'none'
    # acpi_fadt_parse(): the X_ block when non-zero and in I/O space.
    port = hexval(top['PM1A Control Block Address'])
    x = gas.get('PM1A Control Block')
    if x and hexval(x['Address']) and x.get('Space ID', '').startswith('01'):
        port = hexval(x['Address'])
    want['pm1a_cnt'] = f'{port:#x}' if port else 'none'
    sleep = gas.get('Sleep Control Register')
    addr = hexval(sleep['Address']) if sleep else 0
    want['sleep_control'] = f'{addr:#x}' if addr else 'none'
    return want


# Name (_S5, Package (0x04) { 0x05, Zero, ... }), or \_S5, _S5_.
S5_NAME = re.compile(r'Name\s*\(\s*\\?_S5_?\s*,\s*Package\s*\([^)]*\)\s*(?://[^\n]*)?\s*\{(?P<body>[^}]*)\}')
AML_INT = {'Zero': 0, 'One': 1}


def s5_from_dsl(text):
    """(a, b) of the first _S5 package whose first elements are literal
    integers, or None."""
    for m in S5_NAME.finditer(text):
        body = re.sub(r'//[^\n]*|/\*.*?\*/', '', m['body'], flags=re.S)
        elems = [e.strip() for e in body.split(',') if e.strip()]
        try:
            vals = [AML_INT[e] if e in AML_INT else int(e, 0) for e in elems[:2]]
        except ValueError:
            continue
        if len(vals) == 1:	# the old one-integer form: a in 0-7, b in 8-15
            vals = [vals[0] & 0xff, (vals[0] >> 8) & 0xff]
        if vals and max(vals) <= 7:
            return tuple(vals[:2])
    return None


def iasl_decode(tables, tmp):
    """iasl -d on copies of tables (paths) in tmp: {stem: text}; a table
    iasl could not decode maps to None."""
    out = {}
    for t in tables:
        copy = tmp / t.name
        shutil.copyfile(t, copy)
        subprocess.run(['iasl', '-d', copy.name], cwd=tmp, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, timeout=120)
        dsl = copy.with_suffix('.dsl')
        out[t.stem] = dsl.read_text(errors='replace') if dsl.exists() else None
    return out


def ssdt_order(folder):
    """acpixtract's SSDT files in number order (ssdt.dat is the only one)."""
    def number(p):
        m = re.fullmatch(r'ssdt(\d*)', p.stem)
        return int(m[1] or 0) if m else None
    found = [p for p in folder.glob('ssdt*.dat') if number(p) is not None]
    return sorted(found, key=number)


def oracle(folder, tmp):
    """What iasl says for one machine, in acpicheck's keys."""
    text = iasl_decode([folder / 'apic.dat', folder / 'facp.dat', folder / 'dsdt.dat'], tmp)
    want = madt_from_dsl(text['apic'])
    want.update(fadt_from_dsl(text['facp']))
    s5, where = s5_from_dsl(text['dsdt'] or ''), 'dsdt'
    for ssdt in ([] if s5 else ssdt_order(folder)):
        s5 = s5_from_dsl(iasl_decode([ssdt], tmp)[ssdt.stem] or '')
        if s5:
            where = ssdt.stem
            break
    want['s5'] = f'{s5[0]},{s5[1]}' if s5 else 'none'
    want['s5_from'] = where if s5 else 'none'
    return want


KEYS = ('lapic_ids', 'x2apic_ids', 'ioapics', 'overrides', 'hw_reduced', 'ps2',
        'pm1a_cnt', 'sleep_control', 's5', 's5_from')


def cpus_sound(got):
    """cpus= is the kernel's rule over the raw lists: IDs from the enabled
    entries, each once, none of the invalid ones (0xff in a type 0 entry,
    0xffffffff in a type 9), and at least one when there is a valid one."""
    cpus = id_list(got['cpus'])
    valid = (set(id_list(got['lapic_ids'])) - {0xff}) | \
        (set(id_list(got['x2apic_ids'])) - {0xffffffff})
    return len(cpus) == len(set(cpus)) and set(cpus) <= valid and bool(cpus) == bool(valid)


def check(build, report, corpus=CORPUS):
    acpicheck = build / 'host' / 'acpicheck'
    if not corpus.is_dir():
        report.skip('acpi: acpicheck against iasl over real machines\' tables',
                    f'{corpus} not found (the corpus lies beside the repository)')
        return
    if not shutil.which('iasl'):
        report.add('acpi: iasl (acpica-tools) installed', False, 'iasl not found (tools/deps.sh)')
        return
    if not acpicheck.exists():
        report.add('acpi: acpicheck built', False, f'{acpicheck} not built (make test-host)')
        return
    folders = machines(corpus)
    if not folders:
        report.add('acpi: corpus machines', False, f'no */apic.dat under {corpus}')
        return
    compared = differences = 0
    with tempfile.TemporaryDirectory(prefix='acpi-check-') as tmpdir:
        for n, folder in enumerate(folders):
            name = machine_name(folder, corpus)
            rc, out, _ = run([str(acpicheck), str(folder)], 60)
            parsed = parse_line(out.strip()) if len(out.strip().splitlines()) == 1 else None
            if rc != 0 or not parsed or parsed[1] is None:
                report.add(f'acpi: {name}', False, f'acpicheck status {rc}: {out.strip()[:300]}')
                continue
            got = parsed[1]
            tmp = pathlib.Path(tmpdir) / str(n)
            tmp.mkdir()
            want = oracle(folder, tmp)
            bad = [k for k in KEYS if got.get(k) != want[k]]
            for k in bad:
                report.add(f'acpi: {name}: {k}', False, f'acpicheck {got.get(k)!r}, iasl {want[k]!r}')
            if not cpus_sound(got):
                bad.append('cpus')
                report.add(f'acpi: {name}: cpus', False,
                           f'cpus={got["cpus"]} is not a sound choice from the enabled entries')
            if not bad:
                report.add(f'acpi: {name}: {len(KEYS)} keys as iasl decodes them, cpus= sound', True)
            compared += 1
            differences += len(bad)
    report.add(f'acpi: {compared} of {len(folders)} machines compared with iasl, '
               f'{differences} differences', compared == len(folders) and not differences,
               f'{differences} differences, {len(folders) - compared} not compared')


if __name__ == '__main__':
    r = Report()
    check((ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve(), r)
    sys.exit(r.summary())
