#!/usr/bin/python3
"""tests/modules_check.py - what the module build promises, checked on the
built files without a loader (docs/modules.md):

  * every BUILD/modules/<name>.ko is an ELF64 little-endian relocatable
    object for x86-64 (ET_REL, EM_X86_64);
  * its .modinfo holds name=<name> and the depends= that the exports
    imply (kvm_intel needs kvm), and a license;
  * it has a .gnu.linkonce.this_module of the same size in every module
    whose name field (offset 24 of struct module) is <name>;
  * the per-CPU sizes modules/README.md's arithmetic rests on: kvm's
    .data..percpu is 304 bytes aligned to 32, and so on;
  * the initrd holds lib/modules/<name>.ko for each, byte for byte, and
    etc/storm.conf, whose every name is a built module.

Run alone: tests/modules_check.py [BUILD]; tests/run.py calls check().
The ELF files are read with pyelftools (Debian's python3-pyelftools,
tools/deps.sh), not the kernel's own reader: a second opinion.  The cpio
"newc" reader is a small one here.
"""
import io
import pathlib
import sys

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile

EXPECTED_DEPENDS = {'kvm': '', 'kvm_intel': 'kvm', 'acpi_cpufreq': '',
                    'coretemp': '', 'hello': ''}
# (size, alignment) of .data..percpu: modules/README.md's arithmetic.
EXPECTED_PERCPU = {'kvm': (304, 32), 'kvm_intel': (64, 64),
                   'acpi_cpufreq': (4096, 64), 'coretemp': (3584, 64),
                   'hello': (8, 8)}
STRUCT_MODULE_NAME_OFFSET = 24      # state (4), pad (4), list (16)
MODULE_NAME_LEN = 56


def relocatable(data):
    """The ELFFile of data when it is an ELF64 little-endian relocatable
    object for x86-64; else raises ValueError saying what it is."""
    try:
        elf = ELFFile(io.BytesIO(data))
        if elf.elfclass != 64 or not elf.little_endian:
            order = 'LSB' if elf.little_endian else 'MSB'
            raise ValueError(f'ELF{elf.elfclass} {order}: not ELF64 LSB')
        if elf['e_type'] != 'ET_REL':
            raise ValueError(f'e_type {elf["e_type"]}: not ET_REL')
        if elf['e_machine'] != 'EM_X86_64':
            raise ValueError(f'e_machine {elf["e_machine"]}: not EM_X86_64')
        end = elf['e_shoff'] + elf.num_sections() * elf['e_shentsize']
        if end > len(data):
            raise ValueError('section header table outside the file')
    except ELFError as e:
        raise ValueError(f'not a readable ELF file: {e}') from e
    return elf


def section_data(elf, name):
    """The bytes of elf's section name, or None when it has none."""
    section = elf.get_section_by_name(name)
    return None if section is None else section.data()


def cpio_files(data):
    """{path: bytes} from a newc cpio archive."""
    files, off = {}, 0
    while off + 110 <= len(data):
        hdr = data[off:off + 110]
        if hdr[:6] != b'070701':
            raise ValueError(f'bad cpio magic at {off}')
        mode = int(hdr[14:22], 16)
        size = int(hdr[54:62], 16)
        namesize = int(hdr[94:102], 16)
        name = data[off + 110:off + 110 + namesize - 1].decode()
        off = (off + 110 + namesize + 3) & ~3
        if name == 'TRAILER!!!':
            break
        if mode & 0o170000 == 0o100000:
            files[name] = data[off:off + size]
        off = (off + size + 3) & ~3
    return files


def check_module(path):
    """A list of problems with one .ko (empty when it is right)."""
    name = path.stem
    try:
        elf = relocatable(path.read_bytes())
        modinfo = section_data(elf, '.modinfo')
        this = section_data(elf, '.gnu.linkonce.this_module')
        percpu = elf.get_section_by_name('.data..percpu')
    except (ValueError, ELFError) as e:
        return [str(e)]
    problems = []
    if modinfo is None:
        return ['no .modinfo section']
    info = [s.decode() for s in modinfo.split(b'\0') if s]
    keys = dict(s.split('=', 1) for s in info if '=' in s)
    if keys.get('name') != name:
        problems.append(f'.modinfo name={keys.get("name")}, expected {name}')
    if 'depends' not in keys:
        problems.append('.modinfo has no depends=')
    elif name in EXPECTED_DEPENDS and keys['depends'] != EXPECTED_DEPENDS[name]:
        problems.append(f'depends={keys["depends"]}, expected '
                        f'{EXPECTED_DEPENDS[name]}')
    if 'license' not in keys:
        problems.append('.modinfo has no license=')
    if this is None:
        problems.append('no .gnu.linkonce.this_module section')
    else:
        field = this[STRUCT_MODULE_NAME_OFFSET:
                     STRUCT_MODULE_NAME_OFFSET + MODULE_NAME_LEN]
        got = field.split(b'\0')[0].decode(errors='replace')
        if got != name:
            problems.append(f'struct module name "{got}", expected "{name}"')
    if name in EXPECTED_PERCPU:
        want = EXPECTED_PERCPU[name]
        got = None if percpu is None else (percpu['sh_size'], percpu['sh_addralign'])
        if got != want:
            problems.append(f'.data..percpu (size, align) {got}, expected {want}')
    return problems


def check(build, report):
    """Add one result per module, and for the initrd, to report."""
    mods = sorted((build / 'modules').glob('*.ko'))
    report.add('modules: built', bool(mods) and
               {m.stem for m in mods} >= set(EXPECTED_DEPENDS),
               f'found {[m.name for m in mods]}')
    sizes = set()
    for ko in mods:
        problems = check_module(ko)
        if not problems:
            elf = relocatable(ko.read_bytes())
            sizes.add(elf.get_section_by_name('.gnu.linkonce.this_module')['sh_size'])
        report.add(f'modules: {ko.name}', not problems, '; '.join(problems))
    report.add('modules: one struct module size', len(sizes) == 1,
               f'sizes {sorted(sizes)}')

    try:
        files = cpio_files((build / 'initrd.cpio').read_bytes())
    except (OSError, ValueError) as e:
        report.add('modules: initrd', False, str(e))
        return
    missing = [m.name for m in mods
               if files.get(f'lib/modules/{m.name}') != m.read_bytes()]
    report.add('modules: initrd has lib/modules/*.ko', not missing,
               f'missing or different: {missing}')
    conf = files.get('etc/storm.conf')
    names = [] if conf is None else [
        w for line in conf.decode().splitlines()
        for w in [line.split('#')[0].strip()] if w]
    unknown = [n for n in names if n not in {m.stem for m in mods}]
    report.add('modules: initrd has etc/storm.conf naming built modules',
               conf is not None and names and not unknown,
               'no etc/storm.conf' if conf is None else f'unknown: {unknown}')


if __name__ == '__main__':
    class _Print:
        failed = 0

        def add(self, name, ok, detail=''):
            print(f'ok - {name}' if ok else f'not ok - {name}: {detail}')
            self.failed += not ok
    r = _Print()
    check(pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else 'build'), r)
    sys.exit(1 if r.failed else 0)
