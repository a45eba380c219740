#!/usr/bin/python3
"""tests/hostile/mkhostile.py VALID.o OUTDIR [LOADER.o...] - make hostile
modules.

From one valid module (tests/hostile/valid.c, a real module built with the
kernel's module flags) write damaged copies into OUTDIR, one per check the
loader makes (kernel/module/elf.c, reloc.c); copy each LOADER.o (the other
tests/hostile/*.c: sound ELF that only the kernel's loader can refuse) as
OUTDIR/<stem>.ko; and write OUTDIR/MANIFEST: one line per file,
tab-separated:

    file  kocheck-options  kocheck-says  kernel-says

kocheck-says is the text kocheck's refusal must contain ("ok" when it
must accept the file: it cannot know the kernel's exports or run init);
kernel-says is the text of the kernel's one-line refusal when the file is
loaded from the initrd ("ok": it loads, and is named <module>.ko).  Used
by tests/host/test_module_elf.c, the kocheck test in tests/host_check.py
and the in-kernel suite module_hostile (kernel/module/hostile_test.c).

Standard library only.  Every field is patched in place with struct, so
each variant differs from the valid file in as few bytes as possible and
exercises one check.
"""
import pathlib
import struct
import sys

EHDR = struct.Struct('<16sHHIQQQIHHHHHH')
SHDR = struct.Struct('<IIQQQQIIQQ')
SYM = struct.Struct('<IBBHQQ')
RELA = struct.Struct('<QQq')
SHT_SYMTAB, SHT_STRTAB, SHT_RELA, SHT_REL = 2, 3, 4, 9
SHF_WRITE = 1
# kocheck's descriptor size defaults to sizeof(struct module), as the
# kernel's; undefined symbols get dummy addresses.
OPTS = '--resolve-any'

# The loader-level modules: (kocheck options, kocheck says, kernel says).
LOADER_CASES = {
    'unknown_symbol': ('', 'unknown_symbol: Unknown symbol hostile_no_such_symbol',
                       'unknown_symbol: Unknown symbol hostile_no_such_symbol'),
    'export_printk': (OPTS, 'ok',
                      'export_printk: exports duplicate symbol printk (owned by kernel)'),
    'init_enodev': (OPTS, 'ok', 'init_enodev: init failed (error -19)'),
    'percpu_16k': (OPTS, 'ok', 'percpu_16k: Could not allocate 16384 bytes percpu data'),
}


class Elf:
    def __init__(self, data):
        self.data = bytearray(data)
        f = EHDR.unpack_from(self.data, 0)
        self.shoff, self.shnum, self.shstrndx = f[6], f[12], f[13]
        self.sh = [list(SHDR.unpack_from(self.data, self.shoff + i * 64))
                   for i in range(self.shnum)]
        stro = self.sh[self.shstrndx][4]
        self.names = [self.cstr(stro + s[0]) for s in self.sh]
        self.symtab = self.find_type(SHT_SYMTAB)
        st = self.sh[self.symtab]
        self.strtab = st[6]
        self.syms = [list(SYM.unpack_from(self.data, st[4] + i * 24))
                     for i in range(st[5] // 24)]
        so = self.sh[self.strtab][4]
        self.symnames = [self.cstr(so + s[0]) for s in self.syms]

    def cstr(self, off):
        end = self.data.index(b'\0', off)
        return self.data[off:end].decode()

    def find(self, name):
        return self.names.index(name)

    def find_type(self, t):
        return next(i for i, s in enumerate(self.sh) if s[1] == t)

    def copy(self):
        return Elf(bytes(self.data))

    # field numbers: 0 name 1 type 2 flags 3 addr 4 offset 5 size
    # 6 link 7 info 8 addralign 9 entsize
    def set_sh(self, i, field, value):
        self.sh[i][field] = value
        SHDR.pack_into(self.data, self.shoff + i * 64, *self.sh[i])
        return self

    def set_eh(self, fmt, off, value):
        struct.pack_into(fmt, self.data, off, value)
        return self

    def set_sym(self, i, field, value):
        self.syms[i][field] = value
        SYM.pack_into(self.data, self.sh[self.symtab][4] + i * 24, *self.syms[i])
        return self

    def sym(self, name):
        return self.symnames.index(name)

    def rela(self, relsec, pred):
        """Offset in the file of the first entry of relsec matching pred."""
        s = self.sh[relsec]
        for off in range(s[4], s[4] + s[5], 24):
            r = RELA.unpack_from(self.data, off)
            if pred(r):
                return off, r
        raise LookupError(f'no matching relocation in {self.names[relsec]}')

    def patch_bytes(self, off, old, new):
        assert self.data[off:off + len(old)] == old, (off, old)
        self.data[off:off + len(new)] = new
        return self

    def replace_in_section(self, name, old, new):
        s = self.sh[self.find(name)]
        base = s[4]
        i = self.data.index(old, base, base + s[5])
        return self.patch_bytes(i, old, new)

    def replace_name(self, old, new):
        return self.replace_in_section('.shstrtab', old, new)


def variants(v):
    """(name, options, kocheck says, kernel says, bytes) for every
    damaged copy; the kernel says what kocheck does unless noted."""
    out = [('valid.ko', OPTS, 'ok', 'ok', v.data)]
    n = len(v.data)
    for cut in sorted({0, 1, 4, 16, 63, 64, 65, 200, n // 2, v.shoff,
                       v.shoff + 64, n - 64, n - 1}):
        want = ('smaller than the 64-byte header' if cut < 64 else
                'section header table')
        # An empty file never reaches the ELF checks in the kernel.
        kernel = 'empty file' if cut == 0 else want
        out.append((f'truncated-{cut}.ko', OPTS, want, kernel, v.data[:cut]))

    def add(name, want, e, opts=OPTS):
        out.append((name + '.ko', opts, want, want, e.data))

    text = v.find('.text')
    rtext = v.find('.rela.text')
    add('bad-magic', 'bad magic', v.copy().set_eh('<B', 1, ord('X')))
    add('class32', 'class 1 is not ELFCLASS64', v.copy().set_eh('<B', 4, 1))
    add('big-endian', 'data encoding 2 is not ELFDATA2LSB', v.copy().set_eh('<B', 5, 2))
    add('bad-version', 'is not EV_CURRENT', v.copy().set_eh('<I', 20, 7))
    add('type-exec', 'type 2 is not ET_REL', v.copy().set_eh('<H', 16, 2))
    add('machine-i386', 'machine 3 is not EM_X86_64', v.copy().set_eh('<H', 18, 3))
    add('shentsize', 'e_shentsize 40 is not 64', v.copy().set_eh('<H', 58, 40))
    add('no-sections', 'no section headers', v.copy().set_eh('<H', 60, 0))
    add('shoff-misaligned', 'not 8-byte aligned', v.copy().set_eh('<Q', 40, v.shoff + 4))
    add('shoff-overflow', 'section header table',
        v.copy().set_eh('<Q', 40, 0xfffffffffffffff8))
    add('shoff-past-end', 'section header table', v.copy().set_eh('<Q', 40, n))
    add('section0-not-null', 'section 0: not an empty SHT_NULL',
        v.copy().set_sh(0, 1, 1))
    add('section-past-end', f'section {text}: offset {n:#x}',
        v.copy().set_sh(text, 4, n))
    add('section-size-overflow', f'section {text}: offset 0x40 size 0xffffffffffffffc8',
        v.copy().set_sh(text, 4, 0x40).set_sh(text, 5, 0xffffffffffffffc8))
    add('align-not-pow2', f'section {text}: alignment 3 is not a power of two',
        v.copy().set_sh(text, 8, 3))
    add('writable-text', f'section {text}: both writable and executable',
        v.copy().set_sh(text, 2, v.sh[text][2] | SHF_WRITE))
    add('shstrndx-range', 'e_shstrndx 99 out of range', v.copy().set_eh('<H', 62, 99))
    add('shstrndx-zero', 'e_shstrndx 0 out of range', v.copy().set_eh('<H', 62, 0))
    add('shstrtab-type', f'section name table (section {v.symtab}): type 2 is not SHT_STRTAB',
        v.copy().set_eh('<H', 62, v.symtab))
    shs = v.sh[v.shstrndx]
    add('shstrtab-unterminated', f'section name table (section {v.shstrndx}): not NUL-terminated',
        v.copy().patch_bytes(shs[4] + shs[5] - 1, b'\0', b'x'))
    add('section-name-range', f'section {text}: name offset 65535 past the name table',
        v.copy().set_sh(text, 0, 0xffff))
    sts = v.sh[v.strtab]
    add('strtab-unterminated', f'symbol string table (section {v.strtab}): not NUL-terminated',
        v.copy().patch_bytes(sts[4] + sts[5] - 1, b'\0', b'x'))
    add('no-symtab', 'no symbol table', v.copy().set_sh(v.symtab, 1, 1))
    comment = v.find('.comment')
    add('two-symtabs', 'more than one symbol table', v.copy().set_sh(comment, 1, SHT_SYMTAB))
    add('symtab-entsize', 'entry size 16 is not 24', v.copy().set_sh(v.symtab, 9, 16))
    add('symtab-link', 'string table link 99 out of range', v.copy().set_sh(v.symtab, 6, 99))
    add('symtab-link-not-strtab', f'symbol string table (section {text}): type 1 is not SHT_STRTAB',
        v.copy().set_sh(v.symtab, 6, text))
    use = v.sym('valid_use')
    add('sym-name-range', f'symbol {use}: name offset 16777215 past the string table',
        v.copy().set_sym(use, 0, 0xffffff))
    add('sym-shndx-range', f'symbol {use} (valid_use): section index 200 out of range',
        v.copy().set_sym(use, 3, 200))
    add('sym-shndx-reserved', f'symbol {use} (valid_use): reserved section index 0xff10',
        v.copy().set_sym(use, 3, 0xff10))
    add('shn-common', 'valid: please compile with -fno-common (symbol valid_bss',
        v.copy().set_sym(v.sym('valid_bss'), 3, 0xfff2))
    add('rel-not-rela', f'section {rtext} (.rela.text): SHT_REL relocations are not used on x86-64',
        v.copy().set_sh(rtext, 1, SHT_REL))
    add('rela-entsize', f'section {rtext} (.rela.text): relocation entry size 16 is not 24',
        v.copy().set_sh(rtext, 9, 16))
    add('rela-link', f'section {rtext} (.rela.text): relocations link to section {text}',
        v.copy().set_sh(rtext, 6, text))
    add('rela-info-range', f'section {rtext} (.rela.text): relocated section 99 out of range',
        v.copy().set_sh(rtext, 7, 99))
    tsize = v.sh[text][5]
    e = v.copy()
    off, r = e.rela(rtext, lambda r: (r[1] & 0xffffffff) == 2)    # a PC32
    RELA.pack_into(e.data, off, tsize - 2, r[1], r[2])
    idx = (off - v.sh[rtext][4]) // RELA.size
    add('reloc-outside-section',
        f'R_X86_64_PC32 relocation {idx} at offset {tsize - 2:#x} outside section {text}', e)
    e = v.copy()
    off, r = e.rela(rtext, lambda r: True)
    RELA.pack_into(e.data, off, r[0], (r[1] & ~0xffffffff) | 9, r[2])
    add('reloc-type-unknown', f'valid: Unknown rela relocation type 9 in section {rtext} (.rela.text)', e)
    e = v.copy()
    off, r = e.rela(rtext, lambda r: (r[1] & 0xffffffff) == 11)   # a 32S
    # S + A lands 2 GiB below S: below -2 GiB wherever module memory is.
    RELA.pack_into(e.data, off, r[0], r[1], r[2] - 0x80000000)
    add('reloc-32s-overflow', 'valid: overflow in relocation type R_X86_64_32S', e)
    e = v.copy()
    off, r = e.rela(rtext, lambda r: True)
    RELA.pack_into(e.data, off, r[0], (9999 << 32) | (r[1] & 0xffffffff), r[2])
    add('reloc-symbol-range', 'symbol index 9999 out of range', e)
    add('no-descriptor', 'no .gnu.linkonce.this_module section',
        v.copy().replace_name(b'.gnu.linkonce.this_module', b'.gnu.linkonce.that_module'))
    # valid.c's descriptor is a real struct module: its size is the one
    # the kernel (and kocheck, by default) expects.
    desc = v.find('.gnu.linkonce.this_module')
    size = v.sh[desc][5]
    add('descriptor-size', f'.gnu.linkonce.this_module (section {desc}): {size - 8} bytes, expected {size}',
        v.copy().set_sh(desc, 5, size - 8))
    add('no-modinfo', 'no .modinfo section', v.copy().replace_name(b'.modinfo', b'.modinfX'))
    mi = v.sh[v.find('.modinfo')]
    add('modinfo-unterminated', f'.modinfo (section {v.find(".modinfo")}): not NUL-terminated',
        v.copy().patch_bytes(mi[4] + mi[5] - 1, b'\0', b'x'))
    lic = v.data.index(b'license=', mi[4], mi[4] + mi[5]) - mi[4]
    add('modinfo-not-key-value', f'.modinfo: entry at offset {lic} is not key=value',
        v.copy().replace_in_section('.modinfo', b'license=', b'license_'))
    add('modinfo-no-name', '.modinfo: no name= entry',
        v.copy().replace_in_section('.modinfo', b'name=', b'nome='))
    return out


def loader_cases(paths):
    """The loader-level modules, copied as they are."""
    out = []
    for path in map(pathlib.Path, paths):
        opts, kocheck, kernel = LOADER_CASES[path.stem]
        out.append((path.stem + '.ko', opts, kocheck, kernel, path.read_bytes()))
    missing = set(LOADER_CASES) - {pathlib.Path(p).stem for p in paths}
    if missing:
        sys.exit(f'mkhostile: no object for {", ".join(sorted(missing))}')
    return out


def main():
    if len(sys.argv) < 3:
        sys.exit('usage: mkhostile.py VALID.o OUTDIR [LOADER.o...]')
    valid, outdir = pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    outdir.mkdir(parents=True, exist_ok=True)
    manifest = []
    for name, opts, kocheck, kernel, data in (variants(Elf(valid.read_bytes())) +
                                              loader_cases(sys.argv[3:])):
        (outdir / name).write_bytes(bytes(data))
        manifest.append(f'{name}\t{opts}\t{kocheck}\t{kernel}\n')
    (outdir / 'MANIFEST').write_text(''.join(manifest))


if __name__ == '__main__':
    main()
