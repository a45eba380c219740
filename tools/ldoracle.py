#!/usr/bin/python3
"""tools/ldoracle.py - GNU ld as an oracle for the module loader's
relocations: the same module linked twice, at the same addresses, and
the bytes compared.

For each module:

 1. `kocheck --dump DIR` (tools/kocheck/dump.c) runs the loader's own
    code on it (module_layout(), module_place_sections(),
    module_simplify_symbols(), module_apply_relocations()) and writes the
    relocated regions, the address of every loaded section, the value of
    every undefined symbol and the relocation types it met.
 2. Here, a copy of the module is made for ld in which every loaded
    section has a name of its own, `.mko.<index>` (a linker script selects
    input sections by name, and a module may have two of one name), and
    has lost SHF_MERGE, SHF_STRINGS, SHF_GROUP and SHF_EXCLUDE (ld merges
    duplicate strings and constants, keeps one of a group, drops an
    excluded section: the loader does none of these).  Nothing else
    changes: not a byte of contents, not a relocation, not a symbol.  A
    linker script puts each `.mko.<index>` at the address kocheck gave
    it, defines each undefined symbol with kocheck's value and discards
    everything else (.modinfo, which the loader reads but never loads;
    sections that are not SHF_ALLOC).  ld links it as a static executable
    with no relaxation (--no-relax), so it makes no GOT and no PLT and
    rewrites no instruction.
 3. Every loaded section's bytes in ld's output are compared with the
    loader's, byte for byte; ld's section addresses and sizes must be
    kocheck's, and ld must make no allocated section of its own.

A difference is reported with its module, section, offset, and the
relocation at that offset (type, symbol, addend) or "no relocation" for
a byte the loader merely copied.  A relocation of a type the loader does
not know is not a difference: kocheck turns it into R_X86_64_NONE in
both links and it is counted per type.  A module the loader refuses
while relocating (a value that does not fit) must be refused by ld too;
one refused earlier (a malformed image) is "not comparable", with its
reason.

    tools/ldoracle.py [--kocheck K] [--opts "..."] [--jobs N] FILE.ko...
    tools/ldoracle.py --linux [--build BUILD] [--sample] ...

--linux takes every module of Debian's linux-image package (fetched
with apt-get download into BUILD/compare-linux/debs/, tools/debfetch.py;
read from the package as a stream, .ko or compressed); --sample only a
dozen of them (make test).  The figures end in one line:

    reloc-oracle: M modules, N relocations, B bytes compared, D differences; unsupported types: none

and the exit status is 1 when anything differed (2 on an error of this
tool).  The work of each module is in BUILD/reloc-oracle/<n>/, removed
unless it differed or --keep is given.  docs/modules.md, "GNU ld as an
oracle".
"""
import argparse
import collections
import concurrent.futures
import json
import pathlib
import re
import shutil
import struct
import sys
import threading
import time

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import debfetch  # noqa: E402

# The x86-64 psABI's relocation types (table 4.9, and 41/42 of the 2015
# update), for the report.
R_X86_64 = {
    0: 'NONE', 1: '64', 2: 'PC32', 3: 'GOT32', 4: 'PLT32', 5: 'COPY',
    6: 'GLOB_DAT', 7: 'JUMP_SLOT', 8: 'RELATIVE', 9: 'GOTPCREL', 10: '32',
    11: '32S', 12: '16', 13: 'PC16', 14: '8', 15: 'PC8', 16: 'DTPMOD64',
    17: 'DTPOFF64', 18: 'TPOFF64', 19: 'TLSGD', 20: 'TLSLD', 21: 'DTPOFF32',
    22: 'GOTTPOFF', 23: 'TPOFF32', 24: 'PC64', 25: 'GOTOFF64', 26: 'GOTPC32',
    27: 'GOT64', 28: 'GOTPCREL64', 29: 'GOTPC64', 30: 'GOTPLT64',
    31: 'PLTOFF64', 32: 'SIZE32', 33: 'SIZE64', 34: 'GOTPC32_TLSDESC',
    35: 'TLSDESC_CALL', 36: 'TLSDESC', 37: 'IRELATIVE', 38: 'RELATIVE64',
    39: 'PC32_BND', 40: 'PLT32_BND', 41: 'GOTPCRELX', 42: 'REX_GOTPCRELX',
}
# Bytes of the hole, for the types the loader applies.
WIDTH = {1: 8, 2: 4, 4: 4, 10: 4, 11: 4, 24: 8}

# The dozen real modules of `make test` (--sample): the kvm pair our
# demo imitates, file systems and drivers, the largest users of
# R_X86_64_PC64 (__jump_table) and of R_X86_64_NONE (btrfs).
SAMPLE = ('kvm.ko', 'kvm-intel.ko', 'kvm-amd.ko', 'irqbypass.ko', 'ext4.ko', 'xfs.ko',
          'btrfs.ko', 'e1000e.ko', 'nvme-core.ko', 'usb-storage.ko', 'snd-hda-codec.ko',
          'nf_tables.ko')
MODULE_PATH = r'^\./lib/modules/[^/]+/kernel/.*\.ko(\.(xz|gz|zst))?$'

LD_FLAGS = ['-m', 'elf_x86_64', '-static', '-nostdlib', '--no-relax', '-z', 'norelro',
            '-z', 'noexecstack', '-z', 'noseparate-code', '--no-warn-rwx-segments',
            '--build-id=none', '--no-ld-generated-unwind-info', '-e', '0']
TIMEOUT = 300               # seconds for one kocheck or one ld

SHT_NOBITS, SHT_RELA, SHT_STRTAB, SHT_SYMTAB = 8, 4, 3, 2
SHF_ALLOC, SHF_MERGE, SHF_STRINGS, SHF_GROUP = 0x2, 0x10, 0x20, 0x200
SHF_EXCLUDE = 0x80000000
SHDR = struct.Struct('<IIQQQQIIQQ')
RELA = struct.Struct('<QQq')
SYM = struct.Struct('<IBBHQQ')


def type_name(t):
    return 'R_X86_64_' + R_X86_64.get(t, str(t)) if t in R_X86_64 else f'type {t}'


# ---- ELF64, as far as this needs it ------------------------------------

Section = collections.namedtuple('Section', 'index name type flags addr offset size link info '
                                 'align entsize name_off')


def sections(data):
    """The section table of an ELF64 little-endian file."""
    if data[:4] != b'\x7fELF' or data[4] != 2 or data[5] != 1:
        raise ValueError('not an ELF64 little-endian file')
    shoff, = struct.unpack_from('<Q', data, 0x28)
    shentsize, shnum, shstrndx = struct.unpack_from('<HHH', data, 0x3a)
    if shentsize != SHDR.size or shoff + shnum * SHDR.size > len(data) or shstrndx >= shnum:
        raise ValueError('bad section table')
    raw = [SHDR.unpack_from(data, shoff + i * SHDR.size) for i in range(shnum)]
    names = raw[shstrndx][4]

    def name(off):
        end = data.index(b'\0', names + off)
        return data[names + off:end].decode(errors='replace')
    return [Section(i, name(r[0]), *r[1:], r[0]) for i, r in enumerate(raw)]


def relocations(data, secs, targets):
    """{target index: [(offset, type, symbol, addend)]} of the RELA
    sections aimed at targets."""
    out = collections.defaultdict(list)
    for s in secs:
        if s.type == SHT_RELA and s.info in targets:
            for k in range(s.size // RELA.size):
                off, info, addend = RELA.unpack_from(data, s.offset + k * RELA.size)
                out[s.info].append((off, info & 0xffffffff, info >> 32, addend))
    return out


def symbol_names(data, secs):
    """Each symbol's name; a section symbol by its section's name."""
    symtab = next((s for s in secs if s.type == SHT_SYMTAB), None)
    if symtab is None:
        return []
    strtab = secs[symtab.link].offset
    names = []
    for k in range(symtab.size // SYM.size):
        name, info, _, shndx, _, _ = SYM.unpack_from(data, symtab.offset + k * SYM.size)
        if info & 0xf == 3 and 0 < shndx < len(secs):
            names.append(secs[shndx].name)
        else:
            names.append(data[strtab + name:data.index(b'\0', strtab + name)].decode(errors='replace'))
    return names


def ld_input(data, loaded):
    """The copy of the module ld links: the loaded sections renamed
    .mko.<index> and without the flags that make ld merge, group or drop
    them.  The new names go into a section name table of their own,
    appended with a new section table (the old name table may also be the
    symbols' string table, as clang writes it): every section keeps its
    index, so symbols and relocations stay as they were."""
    secs = sections(data)
    names = bytearray(b'\0')
    offsets = []
    for s in secs:
        offsets.append(len(names))
        names += (f'.mko.{s.index}' if s.index in loaded else s.name).encode() + b'\0'
    own = len(names)
    names += b'.mko.names\0'
    out = bytearray(data)
    out += bytes(-len(out) % 8)
    names_at = len(out)
    out += names
    out += bytes(-len(out) % 8)
    table_at = len(out)
    drop = SHF_MERGE | SHF_STRINGS | SHF_GROUP | SHF_EXCLUDE
    for s, off in zip(secs, offsets):
        flags = s.flags & ~drop if s.index in loaded else s.flags
        out += SHDR.pack(off, s.type, flags, s.addr, s.offset, s.size, s.link, s.info,
                         s.align, s.entsize)
    out += SHDR.pack(own, SHT_STRTAB, 0, 0, names_at, len(names), 0, 0, 1, 0)
    struct.pack_into('<Q', out, 0x28, table_at)
    struct.pack_into('<HH', out, 0x3c, len(secs) + 1, len(secs))
    return bytes(out)


# ---- kocheck --dump's manifest -------------------------------------------

def unescape(field):
    return re.sub(r'\\x([0-9a-f]{2})', lambda m: chr(int(m[1], 16)), field)


class Manifest:
    """What kocheck --dump wrote (tools/kocheck/dump.c)."""

    def __init__(self, text):
        self.module = None
        self.regions = {}           # name: (address, size, file)
        self.sections = []          # (index, region, address, size, sh_type, name)
        self.undefined = []         # (name, value)
        self.types = collections.Counter()         # applied, by type
        self.unsupported = collections.Counter()   # made R_X86_64_NONE, by type
        self.refused = None
        for line in text.splitlines():
            key, _, rest = line.partition(' ')
            f = rest.split(' ')
            if key == 'module':
                self.module = unescape(rest)
            elif key == 'region':
                self.regions[f[0]] = (int(f[1], 16), int(f[2]), f[3])
            elif key == 'section':
                self.sections.append((int(f[0]), f[1], int(f[2], 16), int(f[3]), int(f[4]),
                                      unescape(f[5])))
            elif key == 'undefined':
                self.undefined.append((unescape(f[1]), int(f[0], 16)))
            elif key == 'relocations':
                self.types[int(f[0])] += int(f[1])
            elif key == 'unsupported':
                self.unsupported[int(f[0])] += int(f[1])
            elif key == 'refused':
                self.refused = rest


def linker_script(man):
    lines = [f'/* {man.module}: every loaded section where kocheck --dump put it */']
    lines += [f'"{name}" = 0x{value:x};' for name, value in man.undefined]
    lines.append('SECTIONS\n{')
    for index, _, addr, _, _, name in sorted(man.sections, key=lambda s: s[2]):
        lines.append(f'  .mko.{index} 0x{addr:x} : {{ *(.mko.{index}) }}  /* {name} */')
    lines.append('  /DISCARD/ : { *(*) }\n}')
    return '\n'.join(lines) + '\n'


# ---- one module ------------------------------------------------------------

class Result:
    """One module's outcome: state is 'same', 'different', 'both refused'
    (the loader and ld refuse it), 'not comparable' (reason says why) or
    'error' (kocheck failed otherwise: a crash, a sanitizer's report)."""

    def __init__(self, label):
        self.label = label
        self.state = 'not comparable'
        self.reason = ''
        self.relocations = 0
        self.bytes = 0
        self.types = collections.Counter()
        self.unsupported = collections.Counter()
        self.differences = []
        self.where = collections.Counter()      # (type, target section): relocations

    def differ(self, what):
        self.state = 'different'
        self.differences.append(what)


def first_error(out, secs, work):
    """ld's first complaint, with the sections' own names for .mko.<n>
    and without the work folder."""
    lines = [ln for ln in out.splitlines() if ln.strip()]
    errors = [ln for ln in lines if 'error' in ln or 'truncated' in ln or 'undefined' in ln]
    line = (errors or lines or ['no output'])[0].replace(f'{work}/', '')
    line = re.sub(r'\.mko\.(\d+)', lambda m: secs[int(m[1])].name
                  if int(m[1]) < len(secs) else m[0], line)
    return line[:300]


def check_module(path, label, kocheck, opts, work, ld='ld'):
    """Dump path with kocheck into work, link it with ld, compare: a
    Result."""
    work.mkdir(parents=True, exist_ok=True)
    rc, out, _ = debfetch.run([str(kocheck), '--dump', str(work)] + opts + [str(path)], TIMEOUT)
    if rc not in (0, 1) or 'Sanitizer' in out or 'runtime error' in out:
        r = Result(label)
        r.state, r.reason = 'error', f'kocheck status {rc}: {out.strip()[-300:]}'
        return r
    if not (work / 'manifest').exists():
        r = Result(label)
        r.reason = 'the loader refuses it before relocating: ' + \
            out.strip().split(': error: ', 1)[-1][:300]
        return r
    return oracle(label, work, ld)


def oracle(label, work, ld='ld'):
    """What kocheck --dump left in work, linked by ld and compared."""
    r = Result(label)
    man = Manifest((work / 'manifest').read_text())
    r.types, r.unsupported = man.types, man.unsupported
    data = (work / 'input.ko').read_bytes()
    secs = sections(data)
    loaded = {s[0] for s in man.sections}
    values = {}
    for name, value in man.undefined:
        if values.setdefault(name, value) != value:
            r.reason = f'undefined symbol {name} given two values'
            return r
        if '"' in name:
            r.reason = f'undefined symbol {name!r}: a name a linker script cannot quote'
            return r
    (work / 'ld.o').write_bytes(ld_input(data, loaded))
    (work / 'link.ld').write_text(linker_script(man))
    rc, out, _ = debfetch.run([ld] + LD_FLAGS + ['-T', str(work / 'link.ld'), '-o',
                                                 str(work / 'ld.elf'), str(work / 'ld.o')], TIMEOUT)
    if man.refused:
        if rc != 0:
            r.state = 'both refused'
            r.reason = f'loader: {man.refused}; ld: {first_error(out, secs, work)}'
        else:
            r.differ(f'the loader refuses it ({man.refused}), ld links it')
        return r
    if rc != 0:
        r.differ(f'ld refuses it: {first_error(out, secs, work)}')
        return r
    r.state = 'same'
    rels = relocations(data, secs, loaded)
    found = sum(len(v) for v in rels.values())
    counted = sum(man.types.values()) + sum(man.unsupported.values())
    if found != counted:
        r.differ(f'kocheck counted {counted} relocations in the loaded sections, the file has {found}')
    compare(r, man, work, data, secs, rels, (work / 'ld.elf').read_bytes())
    r.relocations = sum(n for t, n in man.types.items() if t != 0)
    r.where = collections.Counter((t, secs[index].name) for index, v in rels.items()
                                  for _, t, _, _ in v)
    return r


def compare(r, man, work, data, secs, rels, linked):
    """Each loaded section of ld's output against the loader's bytes."""
    regions = {name: (addr, (work / f).read_bytes()) for name, (addr, _, f) in man.regions.items()}
    out = {s.name: s for s in sections(linked)}
    wanted = set()
    names = None
    for index, region, addr, size, sh_type, name in man.sections:
        key = f'.mko.{index}'
        wanted.add(key)
        base, image = regions[region]
        mine = image[addr - base:addr - base + size]
        if size == 0:
            continue
        if key not in out:
            r.differ(f'{name}: not in ld\'s output')
            continue
        s = out[key]
        if (s.addr, s.size) != (addr, size):
            r.differ(f'{name}: ld put {s.size} bytes at {s.addr:#x}, the loader {size} at {addr:#x}')
            continue
        if sh_type == SHT_NOBITS or s.type == SHT_NOBITS:
            theirs = bytes(size) if s.type == SHT_NOBITS else linked[s.offset:s.offset + size]
            if mine != bytes(size) or theirs != bytes(size):
                r.differ(f'{name}: SHT_NOBITS, not all zero')
            continue
        theirs = linked[s.offset:s.offset + size]
        r.bytes += size
        if mine == theirs:
            continue
        if names is None:
            names = symbol_names(data, secs)
        for what in differences(mine, theirs, rels.get(index, []), names):
            r.differ(f'{name}+{what}')
    extra = [s for s in sections(linked) if s.flags & SHF_ALLOC and s.name not in wanted and s.size]
    for s in extra:
        r.differ(f'ld made a section of its own: {s.name} ({s.size} bytes)')


def differences(mine, theirs, rels, names):
    """'0xOFF: ...' for each relocation whose hole differs, and for each
    run of differing bytes under no relocation."""
    holes = sorted((off, off + WIDTH.get(t, 0), t, sym, addend) for off, t, sym, addend in rels)
    out, covered = [], set()
    for start, end, t, sym, addend in holes:
        if end > start and mine[start:end] != theirs[start:end]:
            symbol = names[sym] if sym < len(names) else f'symbol {sym}'
            out.append(f'{start:#x}: {type_name(t)} {symbol}{addend:+#x}: loader '
                       f'{int.from_bytes(mine[start:end], "little"):#x}, '
                       f'ld {int.from_bytes(theirs[start:end], "little"):#x}')
            covered.update(range(start, end))
    i = 0
    while i < len(mine):
        if mine[i] != theirs[i] and i not in covered:
            j = i
            while j < len(mine) and mine[j] != theirs[j] and j not in covered:
                j += 1
            out.append(f'{i:#x}: no relocation, {j - i} byte{"s" if j - i > 1 else ""}: '
                       f'loader {mine[i:j][:16].hex()}, ld {theirs[i:j][:16].hex()}')
            i = j
        else:
            i += 1
    return out


# ---- many modules ------------------------------------------------------------

class Totals:
    def __init__(self):
        self.results = []
        self.lock = threading.Lock()
        self.start = time.monotonic()

    def add(self, r):
        with self.lock:
            self.results.append(r)

    def of(self, state):
        return [r for r in self.results if r.state == state]

    def figures(self):
        compared = self.of('same') + self.of('different')
        types = sum((r.types for r in compared), collections.Counter())
        unsupported = sum((r.unsupported for r in compared), collections.Counter())
        where = sum((r.where for r in compared), collections.Counter())
        with_type = collections.Counter(t for r in compared for t in r.types)
        with_unsupported = collections.Counter(t for r in compared for t in r.unsupported)
        return {
            'modules': len(compared),
            'relocations': sum(r.relocations for r in compared),
            'bytes': sum(r.bytes for r in compared),
            'differences': sum(len(r.differences) for r in self.results),
            'types': {type_name(t): n for t, n in sorted(types.items())},
            # Per type: in how many modules, and the sections it patches
            # most (unsupported types appear as R_X86_64_NONE here).
            'type_use': {type_name(t): {
                'modules': with_type[t],
                'sections': dict(sorted(((sec, n) for (u, sec), n in where.items() if u == t),
                                        key=lambda x: -x[1])[:5])} for t in sorted(types)},
            'unsupported': {type_name(t): {'relocations': n, 'modules': with_unsupported[t]}
                            for t, n in sorted(unsupported.items())},
            'both_refused': len(self.of('both refused')),
            'not_comparable': len(self.of('not comparable')),
            'errors': len(self.of('error')),
            'seconds': round(time.monotonic() - self.start, 1),
        }

    def summary(self, seconds=True):
        """The closing line; with seconds, the time the run took."""
        f = self.figures()
        unsupported = ', '.join(f'{t} {v["relocations"]} (in {v["modules"]} module'
                                f'{"s" if v["modules"] != 1 else ""})'
                                for t, v in f['unsupported'].items()) or 'none'
        line = (f'reloc-oracle: {f["modules"]} modules, {f["relocations"]} relocations, '
                f'{f["bytes"]} bytes compared, {f["differences"]} differences; '
                f'unsupported types: {unsupported}')
        if f['both_refused']:
            line += f'; refused by both: {f["both_refused"]}'
        if f['not_comparable']:
            line += f'; not comparable: {f["not_comparable"]}'
        if f['errors']:
            line += f'; errors: {f["errors"]}'
        return line + (f'; {f["seconds"]} s' if seconds else '')

    def report(self, out=sys.stdout, verbose=False):
        """Every difference, every module not compared, the figures."""
        for r in sorted(self.results, key=lambda r: r.label):
            for d in r.differences:
                print(f'reloc-oracle: DIFFERENCE {r.label} {d}', file=out)
            if r.state == 'error' or (verbose and r.state in ('not comparable', 'both refused')):
                print(f'reloc-oracle: {r.state}: {r.label}: {r.reason}', file=out)
        types = ', '.join(f'{t} {n}' for t, n in self.figures()['types'].items()) or 'none'
        print(f'reloc-oracle: relocation types: {types}', file=out)
        print(self.summary(), file=out, flush=True)


def check_all(items, kocheck, opts, work, jobs, keep=False, totals=None, ld='ld'):
    """items: (path, label) pairs, or (bytes, label) to be written first;
    jobs of them at once.  Returns the Totals."""
    totals = totals or Totals()
    slots = threading.Semaphore(2 * jobs)   # modules in memory at once

    def one(n, item, label):
        try:
            folder = work / f'{n:05d}'
            if isinstance(item, bytes):
                folder.mkdir(parents=True, exist_ok=True)
                (folder / 'module.ko').write_bytes(item)
                item = folder / 'module.ko'
            r = check_module(item, label, kocheck, opts, folder / 'dump', ld)
            totals.add(r)
            if not keep and r.state != 'different' and r.state != 'error':
                shutil.rmtree(folder, ignore_errors=True)
            else:
                (folder / 'label').write_text(label + '\n')
        finally:
            slots.release()

    with concurrent.futures.ThreadPoolExecutor(max_workers=jobs) as pool:
        futures = []
        for n, (item, label) in enumerate(items):
            slots.acquire()
            futures.append(pool.submit(one, n, item, label))
        for f in futures:
            f.result()
    return totals


def sample_modules(deb):
    """(path, name) of SAMPLE's modules, unpacked beside deb once."""
    paths = debfetch.unpacked(deb, {m: '/' + re.escape(m) + r'(\.\w+)?$' for m in SAMPLE})
    return [(paths[m], m) for m in SAMPLE]


def linux_modules(build, sample):
    """(bytes or path, label) of the linux-image package's modules: all,
    streamed from the package, or the sample, unpacked once beside it."""
    cache = build / 'compare-linux' / 'debs'
    name, version, deb = debfetch.fetch(debfetch.META_PACKAGE, cache)
    print(f'reloc-oracle: {name} {version}', flush=True)
    if sample:
        return sample_modules(deb)
    return ((data, re.sub(r'^\./lib/modules/[^/]+/kernel/', '', path))
            for path, data in debfetch.members(deb, MODULE_PATH))


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('files', nargs='*', type=pathlib.Path, help='modules (.ko)')
    ap.add_argument('--build', default='build', help='the build folder (kocheck, the cache)')
    ap.add_argument('--kocheck', help='the kocheck to run (BUILD/host/kocheck)')
    ap.add_argument('--opts', default='--resolve-any',
                    help='kocheck options (default --resolve-any; --linux: and '
                    '--this-module-size 0, any descriptor)')
    ap.add_argument('--linux', action='store_true',
                    help="every module of Debian's linux-image package (fetched)")
    ap.add_argument('--sample', action='store_true', help='with --linux: only a dozen')
    ap.add_argument('--ld', default='ld', help='the GNU ld to run (ld)')
    ap.add_argument('--jobs', type=int, default=2)
    ap.add_argument('--keep', action='store_true', help='keep every module\'s work folder')
    ap.add_argument('--json', metavar='FILE', help='write the figures as JSON')
    ap.add_argument('-v', '--verbose', action='store_true',
                    help='list the modules refused and not comparable too')
    args = ap.parse_args(argv)
    build = (ROOT / args.build).resolve()
    kocheck = pathlib.Path(args.kocheck) if args.kocheck else build / 'host' / 'kocheck'
    if not kocheck.exists():
        print(f'reloc-oracle: {kocheck} not built (make {kocheck.relative_to(ROOT)})'
              if kocheck.is_relative_to(ROOT) else f'reloc-oracle: no {kocheck}', file=sys.stderr)
        return 2
    if not shutil.which(args.ld):
        print('reloc-oracle: no GNU ld (apt-get install binutils)', file=sys.stderr)
        return 2
    opts = args.opts.split()
    if args.linux:
        opts += ['--this-module-size', '0']
    work = build / 'reloc-oracle' / ('linux' if args.linux else 'files')
    shutil.rmtree(work, ignore_errors=True)
    try:
        items = linux_modules(build, args.sample) if args.linux else \
            [(f.resolve(), str(f)) for f in args.files]
        totals = check_all(items, kocheck.resolve(), opts, work, args.jobs, args.keep, ld=args.ld)
    except debfetch.Failure as e:
        print(f'reloc-oracle: {e}', file=sys.stderr)
        return 2
    totals.report(verbose=args.verbose)
    if args.json:
        pathlib.Path(args.json).write_text(json.dumps(totals.figures(), indent=1) + '\n')
    figures = totals.figures()
    if figures['errors']:
        return 2
    return 1 if figures['differences'] else 0


if __name__ == '__main__':
    sys.exit(main())
