#!/usr/bin/python3
"""tests/fuzz/mkseeds.py - write the committed seed corpora,
tests/fuzz/corpus/<target>/, for the libFuzzer targets of tests/fuzz/.

    tests/fuzz/mkseeds.py [BUILD]

Small hand-made inputs, each a few hundred bytes to a few KB, that show
the fuzzer the shape of a good input so it starts past the first checks:

  module      two of our modules: the hostile set's valid.ko (the one
              every hostile copy is damaged from) and percpu_ptr.ko
              (a relocation inside .data..percpu), from BUILD
  cpio        archives written by tools/mkinitrd.sh (our initrd's own
              builder) over a tiny tree, one with hello.ko; the same
              tree as GNU cpio's 070702 ("crc") format; and one entry
              in upper-case hex, as Linux's gen_init_cpio writes
  cmdline     every command line tests/boots.py boots with, and lines
              with quotes, module parameters and a load's own words
              (after a NUL: fuzz_cmdline.c's format)
  multiboot2  boot information as GRUB 2 gives it under BIOS (VGA text,
              an ACPI 1.0 RSDP) and UEFI (an RGB framebuffer, the EFI
              system table, an ACPI 2.0 RSDP), with the tags we skip
  madt        MADTs of each entry type the parser reads, revisions 3
              and 5 (online-capable CPUs), x2APIC entries, and a type
              it skips
  fadt        FADTs of revisions 1, 3, 5 and 6, one hardware-reduced
  acpi_walk   memory images of an RSDP and the tables behind it: ACPI 1.0
              with an RSDT, 2.0 with both roots, an XSDT alone with _S5
              in an SSDT (tests/fuzz/fuzz.py's acpi_image() lays them out)
  s5          DSDTs and an SSDT holding \\_S5 in the forms firmware
              writes it (iasl's, a root prefix, long PkgLength, word and
              dword integers, the old one-element form, inside a Scope)
  monitor     every session tests/boots.py types at the monitor, as the
              bytes that arrive (Enter as CR), and a few of escape
              sequences, Tab, Backspace, Ctrl-U and an overlong line
  storm_list  lists of module names as etc/storm.conf and storm= give
              them: comments, commas, tabs, one name too many

The runs add more at run time, never committed (tests/fuzz/fuzz.py):
every built and hostile module, our real initrd, modules/storm.conf,
the real machines' tables of ../shared/acpi-corpus.  Run this again after changing it; it
rewrites the folders whole.
"""
import os
import pathlib
import shutil
import struct
import subprocess
import sys
import tempfile

ROOT = pathlib.Path(__file__).resolve().parent.parent.parent
CORPUS = ROOT / 'tests' / 'fuzz' / 'corpus'


def write(target, name, data):
    d = CORPUS / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(bytes(data))


# ---- module -------------------------------------------------------------

def module_seeds(build):
    for ko in (build / 'hostile' / 'valid.ko', build / 'modules' / 'percpu_ptr.ko'):
        if not ko.exists():
            sys.exit(f'mkseeds: {ko} not built (make {ko})')
        write('module', ko.name, ko.read_bytes())


# ---- cpio -----------------------------------------------------------------

def newc_entry(name, data, mode=0o100644, upper=False):
    fmt = '%08X' if upper else '%08x'
    fields = (7, mode, 0, 0, 1, 1700000000, len(data), 0, 0, 0, 0, len(name) + 1, 0)
    hdr = b'070701' + b''.join((fmt % f).encode() for f in fields)
    out = bytearray(hdr + name.encode() + b'\0')
    out += bytes(-len(out) % 4) + data
    out += bytes(-len(out) % 4)
    return out


def fixed_mtimes(data):
    """A newc archive with every entry's c_mtime set to one value, so
    that the seeds do not change with the time they were made."""
    sys.path.insert(0, str(ROOT / 'tests' / 'fuzz'))
    import fuzz
    out = bytearray(data)
    for off, _, _ in fuzz.newc_entries(data):
        out[off + 46:off + 54] = b'%08x' % 1700000000
    return bytes(out)


def cpio_seeds(build):
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        mods = tmp / 'mods'
        mods.mkdir()
        env = dict(os.environ, STORM_CONF=str(ROOT / 'modules' / 'storm.conf'))
        subprocess.run([str(ROOT / 'tools' / 'mkinitrd.sh'), str(tmp / 'tiny.cpio'),
                        str(tmp / 'stage')], check=True, env=env)
        write('cpio', 'mkinitrd-tiny.cpio', fixed_mtimes((tmp / 'tiny.cpio').read_bytes()))
        hello = build / 'modules' / 'hello.ko'
        if not hello.exists():
            sys.exit(f'mkseeds: {hello} not built (make modules)')
        shutil.copy(hello, mods)
        env['MODULES_DIR'] = str(mods)
        subprocess.run([str(ROOT / 'tools' / 'mkinitrd.sh'), str(tmp / 'hello.cpio'),
                        str(tmp / 'stage')], check=True, env=env)
        write('cpio', 'mkinitrd-hello.cpio', fixed_mtimes((tmp / 'hello.cpio').read_bytes()))
        # The tiny tree again, as 070702 with its checksums.
        env.pop('MODULES_DIR')
        subprocess.run([str(ROOT / 'tools' / 'mkinitrd.sh'), str(tmp / 'unused.cpio'),
                        str(tmp / 'stage')], check=True, env=env)
        names = subprocess.run('find . -mindepth 1 | LC_ALL=C sort', shell=True, cwd=tmp / 'stage',
                               check=True, capture_output=True).stdout
        crc = subprocess.run(['cpio', '--quiet', '-o', '-H', 'crc', '-R', '0:0', '--reproducible'],
                             input=names, cwd=tmp / 'stage', check=True, capture_output=True).stdout
        write('cpio', 'gnu-cpio-crc.cpio', fixed_mtimes(crc))
    write('cpio', 'upper-hex.cpio', newc_entry('etc/storm.conf', b'kvm kvm_intel\n', upper=True) +
          newc_entry('TRAILER!!!', b'', mode=0, upper=True))


# ---- cmdline --------------------------------------------------------------

CMDLINES = [
    b'',
    b'poweroff isa_debug_exit loader=legacy maxcpus=4 nosmp',
    b'storm="kvm kvm_intel" loglevel=5 percpu.reserve=16K',
    b'kvm_intel.nested=1 kvm.halt_poll_ns=0x10 hello.who="a b" coretemp.crash',
    b'fail.init=kvm:2 fail.percpu=3 smpboot=serial storm.rounds=0 lodaer=typo',
    b'a=b=c "quoted key"=v empty= maxcpus=99999999999999999999 storm.jitter=1G',
    b'kvm_intel.nested=-1 loader=seed\0nested=0x7fffffff ept=N name=x count=4K',
    b'poweroff\0nested=2147483648 ept=maybe count=-1',
]


def cmdline_seeds(build):
    lines = list(CMDLINES)
    sys.path[:0] = [str(ROOT / 'tests'), str(ROOT / 'tests' / 'qemu'), str(ROOT / 'tools')]
    import boots
    for b in boots.boots(build):
        if b.cmdline.encode() not in lines:
            lines.append(b.cmdline.encode())
    for i, line in enumerate(lines):
        write('cmdline', f'line-{i:02d}', line)


# ---- multiboot2 -------------------------------------------------------------

def tag(kind, payload):
    t = struct.pack('<II', kind, 8 + len(payload)) + payload
    return t + bytes(-len(t) % 8)


def rsdp(revision, rsdt=0x7ffe0000, xsdt=0x7ffe1000):
    r = bytearray(b'RSD PTR ' + b'\0' + b'BOCHS ' + bytes([revision]) + struct.pack('<I', rsdt))
    r[8] = -sum(r) & 0xff
    if revision >= 2:
        r += struct.pack('<IQB3s', 36, xsdt, 0, b'\0\0\0')
        r[32] = -sum(r) & 0xff
    return bytes(r)


def mmap(entries):
    return struct.pack('<II', 24, 0) + b''.join(struct.pack('<QQII', b, l, t, 0) for b, l, t in entries)


MMAP = [(0, 0x9fc00, 1), (0x9fc00, 0x400, 2), (0xf0000, 0x10000, 2),
        (0x100000, 0x1fee0000, 1), (0x1ffe0000, 0x20000, 2), (0xfffc0000, 0x40000, 2)]


def mbi(tags):
    body = b''.join(tags) + tag(0, b'')
    return struct.pack('<II', 8 + len(body), 0) + body


def multiboot2_seeds(build):
    module = struct.pack('<II', 0x127000, 0x164000) + b'initrd.cpio\0'
    bios = [tag(1, b'poweroff isa_debug_exit\0'), tag(2, b'GRUB 2.06-13+deb12u1\0'),
            tag(3, module), tag(4, struct.pack('<II', 639, 523136)),
            tag(5, struct.pack('<III', 0xe0, 0xffffffff, 0xffffffff)), tag(6, mmap(MMAP)),
            tag(8, struct.pack('<QIIIBBH', 0xb8000, 160, 80, 25, 16, 2, 0)),
            tag(10, bytes(20)), tag(14, rsdp(0)), tag(21, struct.pack('<I', 0x100000))]
    fb_rgb = struct.pack('<QIIIBBH', 0x80000000, 4096, 1024, 768, 32, 1, 0) + bytes([16, 8, 8, 8, 0, 8])
    uefi = [tag(1, b'\0'), tag(2, b'GRUB 2.06-13+deb12u1\0'), tag(3, module), tag(6, mmap(MMAP)),
            tag(8, fb_rgb), tag(12, struct.pack('<Q', 0x7f9ee018)), tag(14, rsdp(0)),
            tag(15, rsdp(2)), tag(19, struct.pack('<Q', 0x7fa00000)), tag(20, b'')]
    write('multiboot2', 'grub-bios', mbi(bios))
    write('multiboot2', 'grub-uefi', mbi(uefi))
    write('multiboot2', 'minimal', mbi([]))
    # Two modules, named and not; the new RSDP before the old.
    two = [tag(15, rsdp(2)), tag(14, rsdp(0)), tag(3, module),
           tag(3, struct.pack('<II', 0x200000, 0x200000))]
    write('multiboot2', 'two-modules', mbi(two))


# ---- ACPI -------------------------------------------------------------------

def acpi_table(sig, body, revision=1):
    t = bytearray(sig + struct.pack('<IBB6s8sI4sI', 36 + len(body), revision, 0,
                                    b'MKERNL', b'FUZZSEED', 1, b'MKRN', 1) + body)
    t[9] = -sum(t) & 0xff
    return bytes(t)


def lapic(uid, apic, flags=1):
    return struct.pack('<BBBBI', 0, 8, uid, apic, flags)


def x2apic(apic, uid, flags=1):
    return struct.pack('<BBHIII', 9, 16, 0, apic, flags, uid)


def madt(entries, revision=3, flags=1):
    return acpi_table(b'APIC', struct.pack('<II', 0xfee00000, flags) + b''.join(entries), revision)


IOAPIC = struct.pack('<BBBBII', 1, 12, 2, 0, 0xfec00000, 0)
OVERRIDES = [struct.pack('<BBBBIH', 2, 10, 0, 0, 2, 0), struct.pack('<BBBBIH', 2, 10, 0, 9, 9, 0xd)]
NMI = struct.pack('<BBBHB', 4, 6, 0xff, 5, 1)


def madt_seeds(build):
    write('madt', 'qemu-2cpu', madt([lapic(0, 0), lapic(1, 1), IOAPIC] + OVERRIDES + [NMI]))
    write('madt', 'disabled-and-invalid', madt([lapic(0, 0), lapic(1, 1, 0), lapic(2, 0xff), lapic(3, 0)]))
    write('madt', 'online-capable-rev5',
          madt([lapic(0, 0), lapic(1, 2, 2), lapic(2, 4, 2), IOAPIC,
                struct.pack('<BBBBII', 1, 12, 3, 0, 0xfec01000, 24)], revision=5))
    write('madt', 'x2apic', madt([x2apic(0, 0), x2apic(0x100, 1), x2apic(0xffffffff, 2),
                                  struct.pack('<BBHIB3s', 10, 12, 5, 0xffffffff, 1, b'\0\0\0'), IOAPIC]))
    write('madt', 'lapic-and-x2apic', madt([lapic(0, 0), lapic(1, 1), x2apic(0, 0), x2apic(1, 1),
                                            x2apic(300, 2)]))
    write('madt', 'override-and-unknown',
          madt([struct.pack('<BBHQ', 5, 12, 0, 0xfee00000), lapic(0, 0),
                bytes([0x7f, 6, 1, 2, 3, 4]), bytes([0x0b, 4, 0, 0])]))


def fadt(length, revision, pm1a=0x604, flags=0, x_pm1a=None, sleep=None, reset=None, dsdt=0x7ffe2000):
    f = bytearray(length - 36)

    def put(fmt, off, *v):
        struct.pack_into(fmt, f, off - 36, *v)
    put('<I', 40, dsdt)
    put('<I', 48, 0xb2)
    put('<BB', 52, 0xf1, 0xf0)
    put('<I', 64, pm1a)
    f[89 - 36] = 2
    if length >= 112:
        put('<H', 109, 3)
    put('<I', 112, flags)
    if reset and length >= 129:
        put('<BBBBQ', 116, 1, 8, 0, 1, reset)
        f[128 - 36] = 6
    if length >= 148:
        put('<Q', 140, dsdt)
    if x_pm1a is not None and length >= 184:
        put('<BBBBQ', 172, 1, 16, 0, 2, x_pm1a)
    if sleep is not None and length >= 256:
        put('<BBBBQ', 244, 0, 8, 0, 1, sleep)
    return acpi_table(b'FACP', bytes(f), revision)


def fadt_seeds(build):
    write('fadt', 'rev1-116', fadt(116, 1))
    write('fadt', 'rev3-244', fadt(244, 3, flags=1 << 10, x_pm1a=0x604, reset=0xcf9))
    write('fadt', 'rev5-268', fadt(268, 5, x_pm1a=0x1804))
    write('fadt', 'rev6-276-hw-reduced', fadt(276, 6, pm1a=0, flags=1 << 20, sleep=0xfed80000))


def name_s5(values, prefix=b'', pkglen=None, count=None):
    elems = b''.join(values)
    n = len(values) if count is None else count
    if pkglen is None:
        pkg = bytes([1 + 1 + len(elems)]) + bytes([n]) + elems
    else:
        pkg = pkglen + bytes([n]) + elems
    return b'\x08' + prefix + b'_S5_' + b'\x12' + pkg


BYTE5 = b'\x0a\x05'


def s5_seeds(build):
    iasl = name_s5([BYTE5, BYTE5, b'\x00', b'\x00'])
    write('s5', 'iasl', acpi_table(b'DSDT', b'\x10\x05\\_SB_' + iasl, 2))
    write('s5', 'root-prefix', acpi_table(b'DSDT', name_s5([b'\x0a\x07', b'\x0a\x07'], b'\\'), 2))
    # PkgLength in two bytes: lead 0x40 | low nibble, then the rest.
    elems = b'\x0b\x05\x00' + b'\x0c\x05\x00\x00\x00'
    two = b'\x08_S5_\x12' + bytes([0x40 | (3 + len(elems)) & 0xf, (3 + len(elems)) >> 4, 2]) + elems
    write('s5', 'word-dword-long-pkglength', acpi_table(b'DSDT', two, 2))
    write('s5', 'old-one-element', acpi_table(b'DSDT', name_s5([b'\x0b\x07\x07']), 1))
    # A use of _S5 before its definition, and a broken one first.
    broken = b'\x08_S5_\x12\x3f\x04' + b'\x70\x5f\x53\x35\x5f'
    write('s5', 'broken-then-good', acpi_table(b'DSDT', broken + iasl + b'\xa4_S5_', 2))
    write('s5', 'ssdt-scope', acpi_table(b'SSDT', b'\x10\x0b\\_SB_PCI0' + name_s5([b'\x01', b'\x00']), 2))
    write('s5', 'no-s5', acpi_table(b'DSDT', b'\x08_S3_\x12\x06\x04' + BYTE5 + BYTE5, 2))


def acpi_walk_seeds(build):
    sys.path.insert(0, str(ROOT / 'tests' / 'fuzz'))
    import fuzz
    apic = madt([lapic(0, 0), lapic(1, 1), IOAPIC] + OVERRIDES + [NMI])
    dsdt = acpi_table(b'DSDT', b'\x10\x05\\_SB_' + name_s5([BYTE5, BYTE5, b'\x00', b'\x00']), 2)
    ssdt = acpi_table(b'SSDT', name_s5([b'\x0a\x07', b'\x0a\x07']), 2)
    write('acpi_walk', 'qemu-xsdt-rsdt', fuzz.acpi_image(fadt(244, 3, x_pm1a=0x604), dsdt, [apic]))
    write('acpi_walk', 'rsdp-v0-rsdt', fuzz.acpi_image(fadt(116, 1), dsdt, [apic], revision=0,
                                                       xsdt=False))
    write('acpi_walk', 'xsdt-only-hw-reduced-s5-in-ssdt',
          fuzz.acpi_image(fadt(276, 6, pm1a=0, flags=1 << 20, sleep=0xfed80000),
                          acpi_table(b'DSDT', b'', 2), [apic, ssdt], rsdt=False))


# ---- monitor ----------------------------------------------------------------

MONITOR = [
    b'help\rlsmod\r\x1b[A\x1b[A\r\x1b[B\x1b[OA\r',
    b'mod\t\tinfo kv\t\r',
    b'l\t\rls /lib/modules/\rls ./etc//\rls .\r',
    b'modprobe kvm_intel nested=1 ept=0\r\ninsmod lib/modules/hello.ko who=x\n',
    b'storm\x08\x08\x08xyz\x15rmmod kvm\x7f\x7fvm\r\x03',
    b'x' * 300 + b'\r' + b'a b c d e f g h i j k l m n\r',
    b'\x1b[1;5A\x1bOB\x1b\x1b[\x03\xff\xfe\x80lsmod\r',
]


def monitor_seeds(build):
    sessions = list(MONITOR)
    sys.path[:0] = [str(ROOT / 'tests'), str(ROOT / 'tests' / 'qemu'), str(ROOT / 'tools')]
    import boots
    for b in boots.boots(build):
        if b.session:
            sessions.append(b''.join(e.encode() + b'\r' if isinstance(e, str) else e.data
                                     for e in b.session))
    for i, s in enumerate(sessions):
        write('monitor', f'session-{i:02d}', s)


# ---- storm_list ---------------------------------------------------------------

STORM_LISTS = [
    b'kvm kvm_intel\n',
    b'# the storm\nkvm\tkvm_intel, coretemp,,acpi_cpufreq\n\nhello # twice\nhello\n',
    b'kvm,kvm_intel',
    b' '.join(b'm%d' % i for i in range(33)),
]


def storm_list_seeds(build):
    for i, text in enumerate(STORM_LISTS):
        write('storm_list', f'list-{i}', text)


SEEDS = {'module': module_seeds, 'cpio': cpio_seeds, 'cmdline': cmdline_seeds,
         'multiboot2': multiboot2_seeds, 'madt': madt_seeds, 'fadt': fadt_seeds,
         's5': s5_seeds, 'monitor': monitor_seeds, 'storm_list': storm_list_seeds,
         'acpi_walk': acpi_walk_seeds}


def main():
    build = (ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve()
    for target, make in SEEDS.items():
        shutil.rmtree(CORPUS / target, ignore_errors=True)
        make(build)
        files = sorted((CORPUS / target).iterdir())
        print(f'mkseeds: {target}: {len(files)} seeds, {sum(f.stat().st_size for f in files)} bytes')
    return 0


if __name__ == '__main__':
    sys.exit(main())
