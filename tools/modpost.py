#!/usr/bin/python3
"""tools/modpost.py - the second stage of a module build, as Linux's
scripts/mod/modpost: check every module's undefined symbols against what
the kernel and the other modules export, compute depends=, and write each
module's <name>.mod.c (its struct module descriptor and the .modinfo
strings name= and depends=).

Usage: modpost.py --objdump OBJDUMP --kernel kernel.elf --out DIR M.o...
where each M.o is a module's objects already joined with `ld -r`; the
module's name is the file's stem.  Writes DIR/<name>.mod.c for each.

What is exported is read from the symbol tables: EXPORT_SYMBOL(sym)
(include/kernel/export.h) defines a symbol __ksymtab_<sym> in section
__ksymtab or __ksymtab_gpl, so `objdump -t` tells both the name and the
kind.  depends= lists, sorted, the modules that export a symbol this one
leaves undefined (depmod's rule; direct dependencies only: modprobe
follows them recursively).  Errors, one line each, in Linux's words:
  ERROR: modpost: "sym" [kvm_intel.ko] undefined!
  ERROR: modpost: GPL-incompatible module x.ko uses GPL-only symbol 'sym'
  ERROR: modpost: "sym" exported twice: a.ko and b.ko
The exit status is 1 if there was any.
"""
import argparse
import pathlib
import re
import subprocess
import sys

# Licenses Linux counts as GPL-compatible (include/linux/license.h).
GPL_COMPATIBLE = {'GPL', 'GPL v2', 'GPL and additional rights',
                  'Dual BSD/GPL', 'Dual MIT/GPL', 'Dual MPL/GPL'}
# include/kernel/module.h: struct module's name[] holds the NUL too.
MODULE_NAME_LEN = 56
# Defined by the .mod.c this script writes, not missing.
PROVIDED_BY_MOD_C = {'__this_module'}


def symbols(objdump, path):
    """[(name, section, is_global, address)] from `objdump -t`."""
    out = subprocess.run([objdump, '-t', str(path)], check=True,
                         stdout=subprocess.PIPE, text=True).stdout
    syms = []
    # "0000000000000000 l     O __ksymtab	0000000000000010 __ksymtab_x"
    pat = re.compile(r'^([0-9a-f]+) (.{7}) (\S+)\s+[0-9a-f]+\s+(.*)$')
    for line in out.splitlines():
        m = pat.match(line)
        if m:
            addr, flags, section, name = m.groups()
            syms.append((name.strip(), section,
                         flags[0] in 'gu', int(addr, 16)))
    return syms


def exports_of(syms):
    """{sym: gpl} from the __ksymtab_<sym> symbols of a module."""
    result = {}
    for name, section, _, _ in syms:
        if name.startswith('__ksymtab_') and section in ('__ksymtab',
                                                          '__ksymtab_gpl'):
            result[name[len('__ksymtab_'):]] = section == '__ksymtab_gpl'
    return result


def kernel_exports_of(syms):
    """The same for the linked kernel, where linker.ld merged the tables
    into .rodata: GPL means between __start/__stop___ksymtab_gpl."""
    addr = {name: a for name, _, _, a in syms}
    lo = addr.get('__start___ksymtab_gpl', 0)
    hi = addr.get('__stop___ksymtab_gpl', 0)
    return {name[len('__ksymtab_'):]: lo <= a < hi
            for name, sec, _, a in syms
            if name.startswith('__ksymtab_') and sec != '*UND*'}


def modinfo(objdump, path):
    """The "key=value" strings of the object's .modinfo section."""
    out = subprocess.run([objdump, '-s', '-j', '.modinfo', str(path)],
                         stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                         text=True).stdout
    data = bytearray()
    for line in out.splitlines():
        m = re.match(r'^ [0-9a-f]+ ((?:[0-9a-f]{2,8} ){1,4})', line + ' ')
        if m:
            data += bytes.fromhex(m.group(1).replace(' ', ''))
    return [s.decode() for s in bytes(data).split(b'\0') if s]


def c_string(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--objdump', default='objdump')
    ap.add_argument('--kernel', required=True)
    ap.add_argument('--out', required=True)
    ap.add_argument('modules', nargs='+')
    args = ap.parse_args()

    errors = []
    kernel_exports = kernel_exports_of(symbols(args.objdump, args.kernel))
    mods = {}
    for path in map(pathlib.Path, args.modules):
        syms = symbols(args.objdump, path)
        info = dict(s.split('=', 1) for s in modinfo(args.objdump, path)
                    if '=' in s)
        mods[path.stem] = {
            'syms': syms,
            'exports': exports_of(syms),
            'undefined': sorted({n for n, sec, _, _ in syms
                                 if sec == '*UND*'} - PROVIDED_BY_MOD_C),
            'defined': {n for n, sec, g, _ in syms
                        if sec != '*UND*' and g},
            'license': info.get('license'),
        }

    exporter = {}
    for name, m in sorted(mods.items()):
        for sym in m['exports']:
            if sym in kernel_exports:
                errors.append(f'"{sym}" exported twice: the kernel and {name}.ko')
            elif sym in exporter:
                errors.append(f'"{sym}" exported twice: {exporter[sym]}.ko and {name}.ko')
            else:
                exporter[sym] = name

    for name, m in sorted(mods.items()):
        if len(name) >= MODULE_NAME_LEN or not re.fullmatch(r'\w+', name):
            errors.append(f'module name "{name}": want letters, digits and _,'
                          f' under {MODULE_NAME_LEN} characters')
        if m['license'] is None:
            errors.append(f'missing MODULE_LICENSE() in {name}.ko')
        gpl_ok = m['license'] in GPL_COMPATIBLE
        depends = set()
        for sym in m['undefined']:
            if sym in kernel_exports:
                gpl = kernel_exports[sym]
            elif sym in exporter and exporter[sym] != name:
                gpl = mods[exporter[sym]]['exports'][sym]
                depends.add(exporter[sym])
            else:
                errors.append(f'"{sym}" [{name}.ko] undefined!')
                continue
            if gpl and not gpl_ok:
                errors.append(f"GPL-incompatible module {name}.ko uses "
                              f"GPL-only symbol '{sym}'")
        has_init = 'init_module' in m['defined']
        has_exit = 'cleanup_module' in m['defined']
        lines = [
            '/* Generated by tools/modpost.py from the module\'s objects:'
            ' do not edit. */',
            '#include <kernel/module.h>',
            '',
            f'MODULE_INFO(name, {c_string(name)});',
            f'MODULE_INFO(depends, {c_string(",".join(sorted(depends)))});',
            '',
        ]
        if has_init:
            lines.append('extern int init_module(void);')
        if has_exit:
            lines.append('extern void cleanup_module(void);')
        lines += [
            '',
            'struct module __this_module __used',
            '\t__section(".gnu.linkonce.this_module") = {',
            f'\t.name = {c_string(name)},',
        ]
        if has_init:
            lines.append('\t.init = init_module,')
        if has_exit:
            lines.append('\t.exit = cleanup_module,')
        lines.append('};')
        out = pathlib.Path(args.out) / f'{name}.mod.c'
        text = '\n'.join(lines) + '\n'
        # Rewrite only on change, so make does not rebuild for nothing.
        if not out.exists() or out.read_text() != text:
            out.write_text(text)

    for e in errors:
        print(f'ERROR: modpost: {e}', file=sys.stderr)
    return 1 if errors else 0


if __name__ == '__main__':
    sys.exit(main())
