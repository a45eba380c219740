#!/usr/bin/python3
"""tests/boots.py - the boot catalogue: every boot the tests make, in QEMU
or bochs, and what each must show.

A Boot is data: a kernel command line, a machine (firmware, medium, CPUs,
memory, emulator), the exit status QEMU must give and the regexes its
serial log (or its screen) must and must not match.  tests/harness.py
runs one; tests/run.py picks the lists each target runs.  The storm's
boots, and the checks across their logs, are in tests/storm_checks.py.

How long a boot may take is decided here, once (boot_timeout()).  The
Makefile's storm boots (make trace, make compare) ask for it too:

  tests/boots.py --timeout FIRMWARE SMP     prints the bound in seconds
"""
import argparse
import pathlib
import random
import re
import sys
from dataclasses import dataclass, field

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import params_table  # noqa: E402
import stormlog  # noqa: E402
import bad_initrds  # noqa: E402
from harness import Keys  # noqa: E402

# QEMU exit statuses (include/kernel/power.h): isa-debug-exit writes v,
# QEMU exits (v << 1) | 1.  0 means ACPI power-off really happened.
EXIT_POWEROFF = 0
EXIT_PANIC = 37

# Bochs emulates every instruction, with its debugger built in: a boot
# takes minutes, however many CPUs it has.
BOCHS_TIMEOUT = 600


def boot_timeout(firmware, smp, emulator='qemu'):
    """Seconds a boot may take before it is killed.  Firmware and TCG both
    slow down with many CPUs, so the bound grows with them; OVMF takes
    longer than SeaBIOS to reach GRUB."""
    if emulator == 'bochs':
        return BOCHS_TIMEOUT
    return (180 if firmware == 'uefi' else 90) + 3 * smp


# The monitor's prompt (kernel/monitor/monitor.c): a boot without
# poweroff ends at it, on the serial line and on the screen.
MONITOR_PROMPT = 'mkernel> '
PROMPT_LINE = r'^mkernel> ?$'


@dataclass
class Boot:
    name: str
    cmdline: str
    firmware: str = 'bios'
    boot: str = 'cd'
    smp: int = 2
    mem: str = '512M'
    initrd: pathlib.Path = None          # default: the built initrd
    expect_exit: int = EXIT_POWEROFF
    expect: list = field(default_factory=list)    # regexes the log must match
    reject: list = field(default_factory=list)    # regexes it must not match
    ktap: bool = False
    topology: str = None    # sockets,cores,threads
    timeout: int = None     # seconds; default: boot_timeout()
    emulator: str = 'qemu'  # or 'bochs' (x2APIC; BIOS only; no exit status)
    screen: list = None     # regexes the screen text must match (no poweroff)
    screen_until: str = MONITOR_PROMPT  # the serial text after which to read it
    screen_linger: int = 0  # and seconds more before reading
    session: list = None    # lines typed at the monitor's prompt, in turn
    console: str = 'serial'  # run-qemu.sh --console: serial, mon (make monitor), none
    keys: list = None       # the same on the PS/2 keyboard (tests/qemu/sendkeys.py)
    machine: str = None     # more chipset properties: i8042=off, hpet=off
    chipset: str = 'q35'    # or 'pc': i440fx/PIIX (tools/run-qemu.sh --chipset)
    cpu: str = None         # a TCG CPU model instead of max: Nehalem
    gfxpayload: str = None  # BIOS: GRUB's VBE mode instead of text (tools/mkiso.sh)
    display: str = 'std'    # the graphics card (tools/run-qemu.sh --display)
    check: object = None    # check(log, report, name): more than regexes
    stamps: bool = None     # printk's timestamps on every line (True) or none

    def time_limit(self):
        """The bound this boot runs under: its own, else boot_timeout()'s."""
        return self.timeout or boot_timeout(self.firmware, self.smp, self.emulator)


BANNER = r'^mkernel version \S+ \('
MEMORY = r'^Memory: \d+K/\d+K available \('
INITRD = r'^initrd: \d+ files, \d+ bytes$'
PERCPU = r'^percpu: Embedded \d+ pages/cpu s\d+ r\d+ d\d+ u\d+$'
POWEROFF = r'^reboot: Power down$'
# The percpu_alloc suite runs the reserved chunk dry once: Linux's line.
PERCPU_FAIL = r'^PERCPU: allocation failed, size=304 align=32, alloc from reserved chunk failed$'
# How long bring-up took, by phase (kernel/main.c, boot_phases_report()).
BRINGUP = (r'^boot: bring-up \d+\.\d ms from kmain: early \d+\.\d, memory \d+\.\d, screens \d+\.\d, '
           r'ACPI \d+\.\d, APIC \d+\.\d, TSC \d+\.\d, per-CPU \d+\.\d, timer \d+\.\d, APs \d+\.\d, initrd \d+\.\d \(ms\)$')
STANDARD = [BANNER, MEMORY, PERCPU, INITRD, BRINGUP, POWEROFF]
# Typed input arrives by interrupt: COM1's IRQ 4 routed by the I/O APIC.
SERIAL_IRQ = r'^serial: ttyS0 input by interrupt \(IRQ 4\)$'
NO_FAULTS = [r'Kernel panic', r'^Call Trace:', r'WARNING at ', r'BUG: spinlock',
             r'watchdog: BUG', r'did not run the function within']
VGA_CONSOLE = r'^console: VGA text 80x25$'
XAPIC_MODE = r'^APIC: xAPIC mode at 0xfee00000, id 0$'
X2APIC_MODE = r'^APIC: x2APIC mode, id 0$'
# The storm ran to its end and said so, every key of the contract there.
STORM_WHOLE = stormlog.STORM_LINE


def soak_line(rounds, cpus):
    """The storm soak's last line (kernel/module/storm.c,
    storm_soak_report()), every round good and none leaking."""
    return (rf'^storm: soak: {rounds} rounds at {cpus} CPUs, the 4 generations in turn, seed \d+: '
            r'\d+ fail\.init, \d+ fail\.percpu, \d+ fail\.alloc, \d+ none; \d+ requests, \d+ failed; '
            r'peaks: reserved \d+ of 8192 bytes, demand \d+, modmem \d+ bytes; \d+\.\d s, '
            r'\d+\.\d\d rounds/s; bad_rounds=0 leaked_rounds=0$')


FB_CONSOLE = r'^console: framebuffer \d+x\d+x(16|24|32) at 0x[0-9a-f]+, \d+x\d+ characters'


def crash(kind, exception, function, cmdline='', expect=(), **kw):
    """A deliberate fault: the report names it and the functions on the
    stack, and the kernel panics (QEMU status 37 through isa-debug-exit)."""
    return Boot(f'crash-{kind}', f'poweroff isa_debug_exit crash={kind}{cmdline}',
                expect_exit=EXIT_PANIC,
                expect=[exception, r'^RIP: [0-9a-f]{4}:' + function + r'\+0x[0-9a-f]+/0x[0-9a-f]+',
                        r'^Call Trace:', r'\] crash_run_requested\+', r'\] run_workloads\+', r'\] kmain\+',
                        r'CR2: [0-9a-f]{16}', r'Kernel panic - not syncing: ',
                        r'^CPU 1: stopped at RIP ', r'^smp: stopped 1 of 1 other CPUs$', *expect],
                **kw)


def params_check(log, report, name):
    """The boot params: the README's table of boot parameters is the one
    tools/params_table.py makes from what this kernel listed."""
    rows = params_table.params(log)
    have = params_table.readme_table((ROOT / 'README.md').read_text())
    want = params_table.table(rows) if rows else None
    missing, extra = params_table.differences(have or '', want or '')
    diff = missing + extra
    report.add(f'{name}: README.md lists the {len(rows)} boot parameters the kernel lists '
               '(tools/params_table.py)', bool(rows) and have == want,
               'no README table' if have is None else
               ('; '.join(diff[:3]) or 'no params: lines') +
               ' (regenerate: tools/params_table.py LOG --readme README.md)')


def monitor_outputs(log):
    """{typed line: what came back} for a monitor session: the log cut at
    each prompt that starts a line (dmesg's copies of old prompts start
    with their level, "<0>mkernel> ", and do not cut)."""
    answers = {}
    for piece in re.split(r'^mkernel> ', log, flags=re.M)[1:]:
        typed, _, out = piece.partition('\n')
        answers.setdefault(typed.strip(), out)
    return answers


def inspect_check(build):
    """The boot monitor-inspect: the figures its commands print agree with
    each other, with the boot's own lines and with the files built."""
    def check(log, report, name):
        inspect_figures(build, log, report, name)
    return check


def inspect_figures(build, log, report, name):
    out = monitor_outputs(log)
    unit = re.search(r'^percpu: Embedded \d+ pages/cpu s(\d+) r(\d+) d\d+ u(\d+)$', log, re.M)
    online = re.search(r'^smp: (\d+) CPUs online$', log, re.M)
    if not unit or not online:
        report.add(f'{name}: the percpu: Embedded and smp: lines', False, 'missing')
        return
    static, reserved, u = (int(x) for x in unit.groups())
    ncpus = int(online.group(1))

    def add(what, ok, detail):
        report.add(f'{name}: {what}', ok, detail)

    # cpus: one row per online CPU, in order; each CPU's GS base is its
    # __per_cpu_offset[], the units one unit size apart.
    rows = re.findall(r'^ *(\d+) +(\d+) +(x2APIC|xAPIC) +0x([0-9a-f]{16}) +0x([0-9a-f]{16}) +(\S+)$',
                      out.get('cpus', ''), re.M)
    offs = [int(r[3], 16) for r in rows]
    add(f'cpus lists the {ncpus} online CPUs, GS base = per-CPU offset, {u} bytes apart',
        [int(r[0]) for r in rows] == list(range(ncpus)) and len({r[1] for r in rows}) == ncpus and
        all(r[3] == r[4] for r in rows) and all(b - a == u for a, b in zip(offs, offs[1:])),
        f'rows: {rows}')

    # mem: used + free = total, both counted; the free blocks add up to
    # the free pages (the buddy allocator's own invariant).
    m = re.search(r'^mem: pages total=(\d+) free=(\d+) used=(\d+) ', out.get('mem', ''), re.M)
    blocks = re.search(r'^mem: free blocks by order \(order:blocks\):((?: \d+:\d+)+)$', out.get('mem', ''), re.M)
    if m and blocks:
        total, free, used = (int(x) for x in m.groups())
        in_blocks = sum(int(n) << int(o) for o, n in (x.split(':') for x in blocks.group(1).split()))
        add('mem: used + free = total, free blocks by order sum to free', used + free == total and
            in_blocks == free and 0 < used < total, f'total={total} free={free} used={used} in_blocks={in_blocks}')
    else:
        add('mem: pages and free blocks lines', False, 'missing')

    # cat: the file as built; the module refused with its size.
    conf = (ROOT / 'modules' / 'storm.conf').read_text()
    add('cat etc/storm.conf shows modules/storm.conf', out.get('cat etc/storm.conf', '') == conf,
        repr(out.get('cat etc/storm.conf', '')[:120]))
    ko = build / 'modules' / 'kvm.ko'
    size = re.search(r'^cat: lib/modules/kvm\.ko: binary file \(ELF\), (\d+) bytes: not shown',
                     out.get('cat lib/modules/kvm.ko', ''), re.M)
    add('cat lib/modules/kvm.ko refused in one line, with its size',
        bool(size) and len(out['cat lib/modules/kvm.ko'].splitlines()) == 1 and
        (not ko.exists() or int(size.group(1)) == ko.stat().st_size), out.get('cat lib/modules/kvm.ko', '')[:120])

    # modinfo: kvm_intel depends on kvm, and says its parameter.
    mi = out.get('modinfo kvm_intel', '')
    add('modinfo kvm_intel: depends kvm, parm nested (bool), license, 64 per-CPU bytes',
        all(re.search(p, mi, re.M) for p in (
            r'^filename: +lib/modules/kvm_intel\.ko \(\d+ bytes\)$', r'^name: +kvm_intel$',
            r'^depends: +kvm$', r'^license: +GPL$',
            r'^parm: +nested:allow nested virtualization \(recorded only\) \(bool\)$',
            r'^sections: +text=[1-9]\d* rodata=\d+ data=\d+ bss=\d+ init=\d+ \(bytes\)$',
            r'^percpu: +64 bytes, align 64 ')), mi[:300])

    # percpu: the map tiles the reserved region, kvm holds its 304 bytes,
    # and the bytes held are the allocator's reserved_used.
    pc = out.get('percpu', '')
    areas = [(int(a), int(b), int(n), who) for a, b, n, who in
             re.findall(r'^  [A-Za-z#.] +(\d+)-(\d+) +(\d+)  (\S+)$', pc, re.M)]
    used = re.search(r'^  reserved_used +: +(\d+)$', pc, re.M)
    tiles = bool(areas) and areas[0][0] == static and areas[-1][1] == static + reserved - 1 and \
        all(b[0] == a[1] + 1 for a, b in zip(areas, areas[1:])) and all(b - a + 1 == n for a, b, n, _ in areas)
    held = sum(n for _, _, n, who in areas if who != '(free)')
    add(f'percpu: the reserved map tiles {static}-{static + reserved - 1}, kvm holds 304 bytes, '
        'held bytes = reserved_used',
        tiles and any(who == 'kvm' and n == 304 for _, _, n, who in areas) and
        bool(used) and held == int(used.group(1)), f'areas={areas} reserved_used={used and used.group(1)}')

    # percpu addr: CPU c's copy is GS base + the template address, one
    # unit size from the next CPU's; cpu_number holds c there, this_cpu_off
    # holds the GS base itself.
    def addr_rows(cmd):
        text = out.get(cmd, '')
        disp = re.search(r'; %gs:0x([0-9a-f]+)$', text, re.M)
        return (int(disp.group(1), 16) if disp else None,
                [(int(c), int(g, 16), int(a, 16), int(v, 16)) for c, g, a, v in
                 re.findall(r'^ *(\d+)  0x([0-9a-f]{16}) 0x([0-9a-f]{16}) 0x([0-9a-f]+)$', text, re.M)])
    disp, rows = addr_rows('percpu addr cpu_number')
    add(f'percpu addr cpu_number: {ncpus} rows, address = GS base + offset, {u} bytes apart, value = CPU',
        disp is not None and [r[0] for r in rows] == list(range(ncpus)) and
        all((g + disp) % (1 << 64) == a and v == c for c, g, a, v in rows) and
        all(b[2] - a[2] == u for a, b in zip(rows, rows[1:])), f'disp={disp} rows={rows}')
    disp, rows = addr_rows('percpu addr this_cpu_off 2')
    add('percpu addr this_cpu_off 2: one row, its value is its GS base',
        disp is not None and len(rows) == 1 and rows[0][0] == 2 and rows[0][3] == rows[0][1] and
        (rows[0][1] + disp) % (1 << 64) == rows[0][2], f'rows={rows}')
    disp, rows = addr_rows('percpu addr kvm_cpu 3')
    off = re.search(r'at offset 0x([0-9a-f]+) of each unit', out.get('percpu addr kvm_cpu 3', ''))
    add("percpu addr kvm_cpu 3: a module's variable, in the reserved region",
        disp is not None and off is not None and static <= int(off.group(1), 16) < static + reserved and
        len(rows) == 1 and rows[0][0] == 3 and (rows[0][1] + disp) % (1 << 64) == rows[0][2],
        f'offset={off and off.group(1)} rows={rows}')


def hostile_check(build):
    """The boot module-hostile: for every line of the hostile MANIFEST
    (tests/hostile/mkhostile.py), between the two lines the suite
    module_hostile prints around its insmod, the kernel's refusal with
    the text the MANIFEST gives ("ok": the module loaded)."""
    manifest = build / 'hostile' / 'MANIFEST'

    def check(log, report, name):
        if not manifest.exists():
            report.add(f'{name}: hostile MANIFEST', False, f'{manifest} not built')
            return
        lines = [ln.split('\t') for ln in manifest.read_text().splitlines() if ln]
        bad = []
        for file, _, _, says in lines:
            path = f'test/hostile/{file}'
            m = re.search(rf'^module_hostile: insmod {re.escape(path)}\n(.*?)'
                          rf'^module_hostile: {re.escape(path)}: (\w+) \((-?\d+)\)$',
                          log, re.M | re.S)
            if not m:
                bad.append(f'{file}: no insmod of it in the log')
            elif says == 'ok':
                if m.group(2) != 'loaded':
                    bad.append(f'{file}: {m.group(2)} ({m.group(3)}), want it loaded')
            elif m.group(2) != 'refused':
                bad.append(f'{file}: loaded, want "{says}"')
            elif not any(says in ln for ln in m.group(1).splitlines()):
                bad.append(f'{file}: no line with "{says}" in: ' + ' | '.join(m.group(1).splitlines())[:200])
        report.add(f'{name}: {len(lines)} hostile modules, each refused with its own message '
                   '(the valid one loaded)', not bad and len(lines) >= 40,
                   '; '.join(bad[:3]) or 'too few lines in MANIFEST')
    return check


# Every monitor command with arguments it must refuse (the boot
# monitor-bad-input); monitor_replies_check() makes sure none is missing.
BAD_ARGS = ['help a b', 'help nosuch', 'lsmod x', 'modprobe', 'modprobe -r', 'modprobe -r a b',
            'modprobe ../etc/storm', 'insmod', 'insmod nosuch.ko', 'insmod etc/storm.conf',
            'rmmod', 'rmmod a b', 'rmmod nosuch', 'loader a b', 'loader nosuch', 'modstats x',
            'params x', 'storm x', 'storm loader=', 'storm =1', 'storm rounds=-1', 'storm cpus=0',
            'storm compare loader=legacy', 'storm jitter=99999999', 'trace', 'trace x y', 'trace x',
            'ktest nosuch', 'ktest all,', 'leaks x', 'exit x', 'poweroff x', 'reboot x',
            'cpus x', 'mem x', 'dmesg x', 'dmesg 0', 'dmesg 99999999999999999999', 'ls nosuch',
            'ls a b', 'cat', 'cat nosuch', 'cat lib/modules', 'cat lib/modules/kvm.ko', 'modinfo',
            'modinfo nosuch', 'modinfo etc/storm.conf', 'modinfo ../x', 'percpu x', 'percpu addr',
            'percpu addr nosuch', 'percpu addr cpu_number 999', 'percpu addr cpu_number x',
            'percpu addr kmain', 'inputs x']


def monitor_words(log):
    """What the session typed and what came back: (line, reply) pairs,
    cut at the prompts."""
    parts = log.replace('\r', '').split('mkernel> ')
    pairs = []
    for part in parts[1:]:
        line, _, reply = part.partition('\n')
        pairs.append((line, reply.strip()))
    return pairs


def monitor_replies_check(log, report, name):
    """The boot monitor-bad-input: each bad command got an answer (a line
    or more before the next prompt), and every command help lists was
    among them."""
    pairs = dict(monitor_words(log))
    for line in BAD_ARGS:
        report.add(f'{name}: "{line}" answered', bool(pairs.get(line)),
                   'no reply' if line in pairs else 'not typed (the session stopped?)')
    listed = re.findall(r'^  (\w+)', pairs.get('help', ''), re.M)
    tried = {line.split()[0] for line in BAD_ARGS}
    report.add(f'{name}: every command help lists ({len(listed)}) is tried with bad arguments',
               bool(listed) and set(listed) <= tried,
               'untried: ' + ' '.join(sorted(set(listed) - tried)))


def make_initrd_variants(build):
    """Damaged copies of the real initrd, for the bad-input boots."""
    good = (build / 'initrd.cpio').read_bytes()
    out = build / 'test'
    out.mkdir(parents=True, exist_ok=True)
    truncated = out / 'initrd-truncated.cpio'
    # Cut inside the archive proper, not in cpio's zero padding after
    # the trailer (which a parser must ignore).
    truncated.write_bytes(good[:good.find(b'TRAILER!!!') // 2])
    badmagic = out / 'initrd-badmagic.cpio'
    bad = bytearray(good)
    # The second entry's magic: find it after the first header.
    second = good.find(b'070701', 6)
    bad[second:second + 6] = b'07X701'
    badmagic.write_bytes(bytes(bad))
    return truncated, badmagic


CORRUPT_INITRD = (r'^initrd: corrupt archive at offset \d+: .+; '
                  r'the \d+ entries \(\d+ files\) before it stay usable$')
WHOLE_INITRD = r'^initrd: \d+ files, \d+ bytes$'
DUP_STORM_CONF = (r'^initrd: etc/storm\.conf is in the archive twice \(at offsets \d+ and \d+; '
                  r'1 names repeat in all\): the last is used, as Linux\'s initramfs does$')


def hello_storm_fault(name, param, errno, said):
    """The storm of hello at 4 CPUs with one fault armed by param: the
    failing load's lines (said), its request failing with errno, and the
    other CPUs' requests loading hello once."""
    return Boot(name, f'poweroff isa_debug_exit storm=hello {param}', smp=4,
                expect=[*said, rf'^storm: CPU \d+: modprobe hello failed \(error {errno}\)$',
                        r'^hello: 4 CPUs said hello \(count 4\)$',
                        r'^storm: loader=unformed cpus=4 requests=4 loaded=1 eexist=\d+ ebusy=\d+ failed=1 ',
                        POWEROFF],
                reject=NO_FAULTS)


def bad_initrd_boots(build, count):
    """The first count damaged initrds of tests/bad_initrds.py (ten in
    make test, 200 in make test-long), a boot each: the one line GNU cpio's verdict calls for, then a normal boot
    to the end."""
    out = build / 'test'
    out.mkdir(parents=True, exist_ok=True)
    good = (build / 'initrd.cpio').read_bytes()
    matrix = []
    for i in range(count):
        kind, bad = bad_initrds.variant(good, i)
        path = out / f'bad-initrd-{i:03d}.cpio'
        path.write_bytes(bad)
        whole = bad_initrds.gnu_cpio_whole(bad)
        if not whole:
            lines = [CORRUPT_INITRD]
        elif kind == 'duplicate':
            lines = [WHOLE_INITRD, DUP_STORM_CONF]
        else:
            lines = [WHOLE_INITRD]

        def check(log, report, name, lines=lines, kind=kind, whole=whole):
            said = bad_initrds.initrd_lines(log)
            ok = len(said) == len(lines) and all(re.match(p, ln) for p, ln in zip(lines, said))
            report.add(f'{name}: {kind}: GNU cpio reads it {"whole" if whole else "damaged"}; '
                       f'the kernel says so in {len(lines)} line(s)', ok, f'initrd lines: {said}')
        expect = [BANNER, POWEROFF]
        if kind == 'duplicate':
            # The last etc/storm.conf: hello and percpu_ptr, at 2 CPUs.
            expect.append(r'^storm: loader=unformed cpus=2 requests=4 loaded=2 eexist=2 ')
        matrix.append(Boot(f'bad-initrd-{i:03d}', 'poweroff isa_debug_exit', initrd=path,
                           expect=expect, reject=NO_FAULTS, check=check))
    return matrix


def boots(build, accel='tcg'):
    truncated, badmagic = make_initrd_variants(build)
    common = 'poweroff isa_debug_exit'
    matrix = []
    for fw in ('bios', 'uefi'):
        for medium in ('cd', 'usb'):
            console = VGA_CONSOLE if fw == 'bios' else FB_CONSOLE
            matrix.append(Boot(f'{fw}-{medium}', f'{common} ktest=all ktest_cpus=2', fw, medium,
                               expect=STANDARD + [console, PERCPU_FAIL, SERIAL_IRQ], reject=NO_FAULTS, ktap=True))
        # What a person at the machine sees: the screen, read back through
        # QEMU's monitor and decoded (tests/qemu/screen.py).
        # VGA text has 25 rows: show only notices there, so the banner
        # is still on screen at the end.  The framebuffer's 48 hold the
        # info lines, timestamped, of a boot without the storm (whose
        # screen uefi-idle-after-storm reads).
        matrix.append(Boot(f'{fw}-screen', 'loglevel=5' if fw == 'bios' else 'loglevel=6 storm=off', fw,
                           screen=[BANNER, PROMPT_LINE] if fw == 'bios' else
                           [BANNER, FB_CONSOLE, INITRD, PROMPT_LINE]))
    # What a 2-CPU storm's summary says on the screen (loglevel=5 shows it).
    storm_words = r'^storm: in words: 8 requests from 2 CPUs: 3 loaded, '
    # A PC with no serial port at all: the storm's results read off the
    # screen, as a person would.
    matrix.append(Boot('bios-no-serial', 'loglevel=5', console='none',
                       screen=[BANNER, r'^smp: 2 CPUs online$', storm_words,
                               r'^monitor: input from i8042; ', PROMPT_LINE]))

    def fb_line(w, h, bpp, pitch):
        return (rf'^console: framebuffer {w}x{h}x{bpp} at 0x[0-9a-f]+, '
                rf'{w // 8}x{h // 16} characters, pitch {pitch}$')
    # Framebuffers of 16, 24 and 32 bits per pixel (GRUB's VBE modes under
    # SeaBIOS), each through the storm to the prompt; the screen is read
    # as the card shows it (tests/qemu/screen.py).
    for bpp in (16, 24, 32):
        matrix.append(Boot(f'bios-fb-{bpp}', 'loglevel=5', gfxpayload=f'1024x768x{bpp}',
                           screen=[BANNER, fb_line(1024, 768, bpp, 1024 * bpp // 8),
                                   storm_words, PROMPT_LINE]))
    # Rows longer than their pixels, as on many real cards (a 1366-pixel
    # mode in a 1376-pixel row): the BIOSes of bochs-display and ramfb
    # offer 800x600 inside their framebuffer of 1280x800 and 1024x768, and
    # say that framebuffer's pitch.  ramfb's framebuffer is RAM the BIOS
    # took from the top of memory: the kernel must leave it alone too.
    for display, pitch in (('bochs-display', 5120), ('ramfb', 4096)):
        matrix.append(Boot(f'bios-fb-pitch-{display}', 'loglevel=5', gfxpayload='800x600x32',
                           display=display,
                           screen=[BANNER, fb_line(800, 600, 32, pitch), storm_words, PROMPT_LINE]))
    # The storm's live view (kernel/module/storm.c), read once it shows:
    # a row per CPU and the reserved chunk's bar.  Jitter keeps the storm
    # going for a few seconds, and the final state stays 2 s, so the read
    # (until two agree) lands on the view, whichever moment it catches.
    # As a real PC boots it, without poweroff: 15 s after the end (past
    # the watchdog's 10 s) no LOCKUP report has scrolled over the results,
    # and the storm's summary in words is on the screen.
    matrix.append(Boot('uefi-idle-after-storm', 'loader=legacy', 'uefi', smp=8, screen_linger=15,
                       screen=[r'^storm: in words: the legacy loader \(Linux <= 3\.7\): ',
                               r'^storm: in words: 32 requests from 8 CPUs: \d+ loaded, ',
                               r'^storm: in words: the reserved per-CPU chunk peaked at \d+ of 8192 bytes',
                               r'^monitor: input from ', PROMPT_LINE],
                       reject=NO_FAULTS))
    matrix.append(Boot('uefi-storm-view', 'loader=legacy storm.jitter=100000', 'uefi', smp=4,
                       screen_until='storm: live view',
                       screen=[r'^storm: loader=legacy +requests \d+',
                               r'^reserved chunk \[[#.]{40}\] +\d+ of 8192 bytes, peak \d+',
                               r'^CPU0 +(idle|reading|allocating|waiting|relocating|init|done|eexist|ebusy|failed) ',
                               r'CPU3 +(idle|reading|allocating|waiting|relocating|init|done|eexist|ebusy|failed) +\w+',
                               r'bytes, peak \d+$']))
    matrix += [
        Boot('bad-initrd-truncated', common, initrd=truncated,
             expect=[BANNER, r'^initrd: corrupt archive at offset \d+: ', POWEROFF],
             reject=NO_FAULTS),
        Boot('bad-initrd-magic', common, initrd=badmagic, firmware='uefi',
             expect=[BANNER, r'^initrd: corrupt archive at offset \d+: ', POWEROFF],
             reject=NO_FAULTS),
        # A bigger reserved chunk from the command line, and the
        # statistics in Linux's percpu_stats layout at the end of boot.
        Boot('percpu-reserve-stats', f'{common} ktest=percpu_alloc,percpu percpu.reserve=16384 percpu_stats',
             smp=3, expect=[r'^percpu: Embedded \d+ pages/cpu s\d+ r16384 d\d+ u\d+$',
                            r'^Percpu Memory Statistics$', r'^  reserved_size       :        16384$',
                            r'^  nr_failed           :            1$', r'^Chunk: <- Reserved Chunk$',
                            r'^Chunk: <- First Chunk$', PERCPU_FAIL, POWEROFF],
             reject=NO_FAULTS, ktap=True),
        # A typo is reported; a dotted key is a module's (the loader warns
        # when the module loads), unless its prefix is the kernel's.
        Boot('bad-cmdline-unknown-key', f'{common} lodaer=legacy percpu.reserv=1 nosuchmod.x=1',
             expect=[r"^cmdline: unknown parameter 'lodaer' ignored$",
                     r"^cmdline: unknown parameter 'percpu.reserv' ignored$", POWEROFF],
             reject=NO_FAULTS + [r"unknown parameter 'nosuchmod\.x'"]),
        # Values that do not fit: one line each naming the key, the value
        # and what is accepted, and the default kept (params lists the
        # values the kernel ended up with; the README's table is made
        # from that list).
        Boot('params', f'{common} params watchdog_thresh=9999 loader=sideways storm.rounds=0 '
             'percpu_stats=maybe fail.init=kvm crash=sideways storm=off',
             expect=[r'^cmdline: watchdog_thresh=9999: want a number in 0-3600; using 10$',
                     r'^cmdline: loader=sideways: want legacy\|seed\|unformed\|idempotent; using unformed$',
                     r'^cmdline: storm\.rounds=0: want a number in 1-10000; using 1$',
                     r'^cmdline: percpu_stats=maybe: want a flag: .*; using off$',
                     r'^cmdline: fail\.init=kvm: want <module>:<n>; using none$',
                     r'^cmdline: crash=sideways: want divide\|pagefault\|.*; using none$',
                     r'^params: key=watchdog_thresh type=uint default=10 value=10 accepts=a number in 0-3600 help=',
                     r'^params: key=loader type=string default=unformed value=unformed ',
                     r'^params: key=storm type=string default=none value=off ',
                     r'^params: key=poweroff type=flag default=off value=on ', POWEROFF],
             reject=NO_FAULTS + [r'^Percpu Memory Statistics$', r'^crash: '], check=params_check),
        # Serial input without the I/O APIC (noapic): the fallback is
        # said, and the loopback bytes still arrive, polled.
        # The monitor, typed at over the serial line (tests/harness.py's
        # run_session): modules listed, unloaded in order, loaded again,
        # the generation switched, and bad input answered.
        Boot('monitor-session', f'{common} monitor',
             session=['lsmod', 'rmmod kvm', 'rmmod kvm_intel', 'rmmod kvm', 'modprobe kvm_intel',
                      'loader', 'loader legacy', 'loader sideways', 'frobnicate', 'rmmod',
                      'help rmmod', 'x' * 300, 'modstats', 'poweroff'],
             expect=[r'^monitor: input from (.*, )?ttyS0[,;]',
                     r'^Module +Size +Ref +Used by +State +Address$',
                     r'^kvm_intel +\d+ +0 +- +Live +0x[0-9a-f]{16}$',
                     r'^kvm +\d+ +0 +kvm_intel, +Live +0x[0-9a-f]{16}$',
                     r'^coretemp +\d+ +0 +- +Live +0x[0-9a-f]{16}$',
                     r'^acpi_cpufreq +\d+ +0 +- +Live +0x[0-9a-f]{16}$',
                     r'^rmmod: kvm: EBUSY \(-16\)$', r'^rmmod: kvm_intel: done$',
                     r'^rmmod: kvm: done$', r'^modprobe: kvm_intel: done$',
                     # modprobe brings back both, kvm first (kvm_intel's depends=).
                     r'^mkernel> modprobe kvm_intel\n(.*\n)*?module: kvm loaded .*\n(.*\n)*?'
                     r'module: kvm_intel loaded .*\nmodprobe: kvm_intel: done$',
                     r'^loader: unformed \(Linux 3\.11 - 6\.4\): ',
                     r'^loader: legacy \(Linux <= 3\.7\): ',
                     r"^loader: 'sideways' is not a generation: legacy seed unformed idempotent$",
                     r"^monitor: unknown command 'frobnicate' \(help lists them\)$",
                     r'^usage: rmmod NAME$', r'^usage: rmmod NAME\n  unload NAME',
                     r'^line too long: at most 255 characters; ignored$',
                     r'^Module Statistics$', POWEROFF],
             reject=NO_FAULTS),
        # The storm again from the prompt, at 8 CPUs: legacy runs the
        # reserved chunk dry, unformed does not; compare gives a row per
        # generation; a Ctrl-C stops rounds; parameters reach a module;
        # the trace is kept and shown; bad arguments get a line each; and
        # the leak counters end where the monitor started.
        Boot('monitor-storm', f'{common} monitor', smp=8, mem='1G',
             session=['storm loader=legacy', 'storm loader=unformed', 'storm compare',
                      'storm rounds=50 jitter=2000', Keys(b'\x03', when='storm: round 2 of 50'),
                      'modprobe -r kvm_intel', 'modprobe kvm_intel nested=1 bogus=2', 'lsmod',
                      'trace on', 'storm cpus=2', 'trace show', 'trace off', 'trace show',
                      'storm loader=nope', 'storm rounds=0', 'storm cpus=99', 'storm frob',
                      'storm modules=', 'trace', 'trace sideways', 'ktest nosuch', 'ktest',
                      'ktest cmdline spinlock', 'modprobe -r', 'modprobe nosuch', 'insmod nosuch.ko',
                      'storm', 'leaks', 'poweroff'],
             expect=[r'^storm: loader=legacy cpus=8 requests=32 .* failed=[1-9]\d* ',
                     PERCPU_FAIL, r'^kvm: Could not allocate 304 bytes percpu data$',
                     r'^storm: loader=unformed cpus=8 requests=32 .* failed=0 reserved_peak=8048 ',
                     r'^storm compare: 8 CPUs, 1 round each$',
                     r'^loader +requests +loaded +eexist +ebusy +failed +reserved_peak ',
                     r'^legacy +32 +\d+ +\d+ +\d+ +[1-9]\d* +\d+ +8192 ',
                     r'^seed +32 +\d+ +\d+ +\d+ +[1-9]\d* +\d+ +8192 ',
                     # unformed and idempotent: no more asked of the reserve than it holds.
                     r'^unformed +32 +\d+ +\d+ +\d+ +0 +8048 +8192 +8048 ',
                     r'^idempotent +32 +\d+ +\d+ +\d+ +0 +8048 +8192 +8048 ',
                     r'^storm: interrupted after round [2-9]\d* of 50 \(Ctrl-C\)$',
                     r'^modprobe -r: kvm_intel: done$',
                     r"^kvm_intel: unknown parameter 'bogus' ignored$",
                     r'^kvm_intel: enabled on 8 of 8 CPUs .*, nested$',
                     r'^trace: on; the next storm records every step$',
                     r'^storm: loader=unformed cpus=2 requests=8 ',
                     r'^trace: begin loader=unformed cpus=2 reserved_size=8192 events=[1-9]\d*$',
                     r'^trace: end events=[1-9]\d* dropped=0$',
                     r'^trace: nothing recorded \(trace on, then storm\)$',
                     r'^storm: loader=nope: not a generation \(loader lists them\)$',
                     r'^storm: rounds: want a number in 1-10000$',
                     r'^storm: cpus: want a number in 1-8$',
                     r'^storm: frob: not key=value$',
                     r'^storm: modules=: want names, a,b,c$',
                     r'^usage: trace on\|off\|show$',
                     r'^trace: sideways: want on, off or show$',
                     r"^ktest: nosuch: no such suite \('ktest' lists them\)$",
                     r'^ktest: suites: .*\bcmdline\b',
                     r'^ok \d+ cmdline$', r'^ok \d+ spinlock$', r'^    ok 1 test_cmdline_ktest # SKIP run without ktest= ',
                     r'^modprobe: -r: takes one module name$',
                     r'^modprobe: nosuch: ENOENT \(-2\)$',
                     r'^insmod: nosuch\.ko: ENOENT \(-2\)$',
                     r'^leaks: none; every counter is back at the mark$', POWEROFF],
             reject=NO_FAULTS + [r'<- moved$']),
        # Bad input: 10,000 random bytes (every value, escape sequences,
        # control bytes; a fixed seed), an over-long line, every command
        # with arguments it must refuse.  No crash, an answer each, and
        # afterwards lsmod answers and the leak counters are back.
        Boot('monitor-bad-input', f'{common} monitor',
             session=['help', Keys(random.Random(11).randbytes(10000)),
                      Keys(b'\x15\r', when=''), 'inputs', 'y' * 1000] + BAD_ARGS +
                     ['lsmod', 'leaks', 'poweroff'],
             expect=[r'^line too long: at most 255 characters; ignored$',
                     # Every byte typed arrived: help, 10,000, Ctrl-U, Enter, inputs.
                     r'^ttyS0: by interrupt \(IRQ 4\), interrupts=[1-9]\d* bytes=10014 dropped=0 throttled=\d+$',
                     r'^kvm_intel +\d+ +0 +- +Live ', r'^kvm +\d+ +0 +kvm_intel, +Live ',
                     r'^leaks: none; every counter is back at the mark$', POWEROFF],
             reject=NO_FAULTS + [r'<- moved$'], check=monitor_replies_check),
        # make monitor's terminal (a pseudo-terminal): the serial line
        # shared with QEMU's monitor; Ctrl-C reaches the kernel (it stops
        # the storm, and QEMU lives on), Ctrl-A X quits QEMU.
        Boot('monitor-terminal', f'{common} monitor', console='mon',
             session=['storm rounds=30 jitter=3000', Keys(b'\x03', when='storm: round 2 of 30'),
                      'loader', Keys(b'lsm\x03'), 'help exit', Keys(b'\x01x')],
             expect=[r'^storm: interrupted after round [2-9]\d* of 30 \(Ctrl-C\)$',
                     r'^loader: unformed ', r'^mkernel> lsm\^C$', r'^usage: exit$',
                     r'QEMU: Terminated$'],
             reject=NO_FAULTS),
        # The monitor's inspection commands at 4 CPUs, each with good and
        # bad arguments; inspect_check() holds their figures against each
        # other and against the boot's own lines.
        Boot('monitor-inspect', f'{common} monitor', smp=4,
             session=['help', 'cpus', 'cpus now', 'mem', 'mem x', 'dmesg 4', 'dmesg', 'dmesg zero',
                      'ls', 'ls etc', 'ls /lib/modules/', 'ls nosuch', 'cat etc/storm.conf',
                      'cat lib/modules/kvm.ko', 'cat etc', 'cat nosuch', 'cat',
                      'modinfo kvm_intel', 'modinfo lib/modules/coretemp.ko', 'modinfo nosuch',
                      'modinfo etc/motd', 'percpu', 'percpu addr cpu_number', 'percpu addr this_cpu_off 2',
                      'percpu addr kvm_cpu 3', 'percpu addr kmain', 'percpu addr nosuch',
                      'percpu addr cpu_number 7', 'percpu addr cpu_number two', 'percpu addr',
                      'percpu frob', 'poweroff'],
             expect=[r'^  cpus +each online CPU', r'^  mem +pages, kmalloc', r'^  dmesg \[LINES\] +the kernel log',
                     r'^  ls \[DIR\] +the initrd', r'^  cat FILE +a text file', r'^  modinfo NAME\|PATH +',
                     r'^  percpu \[addr SYMBOL \[CPU\]\] +per-CPU',
                     r'^CPU +APIC ID +mode +per-CPU offset +GS base +current$',
                     r'^ +0 +0 +xAPIC +0x[0-9a-f]{16} +0x[0-9a-f]{16} +monitor$',
                     r'^usage: cpus$', r'^usage: mem$',
                     r'^mem: kmalloc objects=[1-9]\d* bytes=[1-9]\d* slab_pages=[1-9]\d*$',
                     r'^mem: vmap areas=[1-9]\d* bytes=[1-9]\d* .* range=0xffffc90000000000-0xffffe90000000000$',
                     r'^mem: modules areas=[1-9]\d* bytes=[1-9]\d* .* range=0xffffffffa0000000-0xffffffffff000000$',
                     # dmesg: the log as stored, each line behind its level.
                     r'^<6>percpu: Embedded \d+ pages/cpu s\d+ r\d+ d\d+ u\d+$', r'^<5>monitor: input from ',
                     r'^<0>mkernel> mem x$', r'^dmesg: zero: not a number of lines \(1 or more\)$',
                     r'^- +\d+  etc/storm\.conf$', r'^d +0  lib/modules$', r'^ls: \d+ entries, \d+ bytes in files$',
                     r'^- +\d+  lib/modules/kvm\.ko$', r'^- +\d+  lib/modules/percpu_ptr\.ko$',
                     rf'^ls: {len(list((build / "modules").glob("*.ko")))} entries, \d+ bytes in files$',
                     r'^ls: nosuch: no such file or directory in the initrd$',
                     r'^cat: etc: is a directory', r'^cat: nosuch: no such file in the initrd$', r'^usage: cat FILE$',
                     r'^parm: +samples:readings each CPU takes at load \(1\.\.444\) \(uint\)$',
                     r'^modinfo: ERROR: Module nosuch not found',
                     r'^modinfo: etc/motd: not a module this kernel loads: ',
                     r'^Percpu Memory Statistics$', r'^Chunk: <- Reserved Chunk$',
                     r'^  \[[A-Za-z#.]{64}\]$',
                     r'^percpu: kmain: a function of the kernel, not a per-CPU variable$',
                     r'^percpu: nosuch: no per-CPU variable of that name in the kernel or a loaded module$',
                     r'^percpu: CPU 7 is not online \(4 online\)$', r'^percpu: two: not a CPU number$',
                     r'^percpu: addr: which SYMBOL\?$', r'^percpu: frob: not a subcommand \(addr\)$',
                     r'^usage: percpu \[addr SYMBOL \[CPU\]\]$', POWEROFF],
             reject=NO_FAULTS, check=inspect_check(build)),
        # The monitor, typed at on the PS/2 keyboard through QEMU's QMP
        # send-key (tests/harness.py run_keyboard): a typo mended with
        # Backspace, capitals by either Shift, Tab completion, '_' by
        # Shift, keypad Enter, Caps Lock, Up through the history, right
        # Ctrl-C; each line's echo on the serial log, then its answer.
        Boot('keyboard-session', f'{common} monitor ktest=i8042', ktap=True,
             keys=['lsmox{backspace}d{ret}', 'help {shift_r-l}SMOD{ret}',
                   'rmm{tab}kvm_intek{backspace}l{kp_enter}',
                   '{caps_lock}modprobe{caps_lock} kvm_intel{ret}', 'modprobe kvm_intel{ret}',
                   '{up}{up}{up}{ret}', 'lsmod{ctrl_r-c}', 'inputs{ret}', 'poweroff{ret}'],
             expect=[r'^i8042: controller at 0x60/0x64: self-test passed, port 1 passed$',
                     r'^i8042: keyboard on port 1: scan code set 2, translated to set 1 by the controller, ',
                     r'^i8042: keyboard input by interrupt \(IRQ 1\), configuration 0x[0-9a-f]{2}$',
                     r'^monitor: input from i8042, ttyS0;',
                     r'^mkernel> lsmox\x08 \x08d$', r'^kvm_intel +\d+ +0 +- +Live +0x[0-9a-f]{16}$',
                     r'^mkernel> help LSMOD$', r"^help: no command 'LSMOD'$",
                     r'^mkernel> rmmod kvm_intek\x08 \x08l$', r'^rmmod: kvm_intel: done$',
                     r"^monitor: unknown command 'MODPROBE' \(help lists them\)$",
                     r'^modprobe: kvm_intel: done$',
                     # Up three times, each line erased for the older one:
                     # the rmmod again.
                     r'^mkernel> modprobe kvm_intel(\x08 \x08)+MODPROBE kvm_intel(\x08 \x08)+'
                     r'rmmod kvm_intel\n(.*\n)?rmmod: kvm_intel: done$',
                     r'^mkernel> lsmod\^C$',
                     r'^i8042: by interrupt \(IRQ 1\), scan code set 1 translated by the controller, '
                     r'interrupts=[1-9]\d* scancodes=[1-9]\d* bytes=[1-9]\d* dropped=0 unknown=\d+$',
                     POWEROFF],
             reject=NO_FAULTS),
        # Linux's i8042.direct: no translation; the keyboard itself is put
        # in scan code set 1, and typing still gives the same line.
        Boot('keyboard-direct', f'{common} monitor ktest=i8042 i8042.direct storm=off', ktap=True,
             keys=['help LSMOX{backspace}D{ret}', 'poweroff{ret}'],
             expect=[r'^i8042: keyboard on port 1: scan code set 1 \(i8042\.direct: the controller does not translate\), ',
                     r'^mkernel> help LSMOX\x08 \x08D$', r"^help: no command 'LSMOD'$", POWEROFF],
             reject=NO_FAULTS),
        # A PC without an 8042 (QEMU's q35 with i8042=off, whose FADT then
        # says so too): one line, the storm as anywhere, and the serial
        # monitor still answers.
        Boot('no-i8042', f'{common} monitor ktest=i8042', machine='i8042=off', ktap=True,
             session=['help lsmod', 'poweroff'],
             expect=[r'^i8042: no controller$', STORM_WHOLE, r'^monitor: input from ttyS0;',
                     r'^    ok \d+ test_keys_through_irq1 # SKIP no i8042$',
                     r'^usage: lsmod$', POWEROFF],
             reject=NO_FAULTS + [r'^i8042: (?!no controller$)', r'IRQ 1\b']),
        Boot('serial-polled', f'{common} ktest=serial noapic storm=off',
             expect=[r'^IOAPIC: not used \(noapic\)$',
                     r'^serial: no interrupt route for ttyS0 \(IRQ 4, error -19\); input is polled$',
                     POWEROFF],
             reject=NO_FAULTS, ktap=True),
        # Linux's module statistics after a storm whose duplicates fail.
        Boot('module-stats', f'{common} loader=legacy module_stats', smp=8, mem='1G',
             expect=[r'^Module Statistics$', r'^  modcount +: +[1-9]\d*$',
                     r'^  failed_load_modules +: +[1-9]\d*$', r'^  total_mod_size +: +[1-9]\d*$',
                     r'^  invalid_mod_bytes +: +[1-9]\d*$', r'^Duplicate failed modules:$', POWEROFF],
             reject=NO_FAULTS),
        # Every hostile module refused with its own message, nothing
        # leaked (the KTAP cases check the counters), the kernel goes on.
        Boot('module-hostile', f'{common} ktest=module_hostile',
             expect=[POWEROFF, r'^module: kvm loaded '],
             reject=NO_FAULTS + [r'WARNING', r'^BUG'], ktap=True, check=hostile_check(build)),
        # docs/write-a-module.md's example, as the chapter loads it: by
        # the storm (storm=hello: every CPU asks, one loads, three find
        # it loaded), then at the prompt (rmmod, modprobe); and its
        # exercise (c): init made to fail once, a waiter retries and loads.
        Boot('write-a-module', f'{common} monitor storm=hello', smp=4,
             session=['rmmod hello', 'modprobe hello', 'modinfo hello', 'poweroff'],
             expect=[r'^hello: 4 CPUs said hello \(count 4\)$',
                     r'^description: +Hello from every CPU \(docs/write-a-module\.md\)$',
                     r'^module: hello loaded \(\d+ bytes core, 8 bytes per-CPU\)$',
                     r'^storm: loader=unformed cpus=4 requests=4 loaded=1 eexist=3 ebusy=0 failed=0 '
                     r'reserved_peak=8 reserved_size=8192 ',
                     r'^hello: goodbye$', r'^module: hello unloaded$', r'^rmmod: hello: done$',
                     r'^mkernel> modprobe hello\nhello: 4 CPUs said hello \(count 4\)\n'
                     r'module: hello loaded .*\nmodprobe: hello: done$', POWEROFF],
             reject=NO_FAULTS + [r'^modprobe: FATAL']),
        hello_storm_fault('write-a-module-fail-init', 'fail.init=hello:1', -5,
                          [r'^hello: init made to fail \(fail\.init\)$', r'^hello: init failed \(error -5\)$']),
        # The storm soak: rounds under each generation in turn, a random
        # fault armed in each, every counter checked after each round
        # (1000 rounds in make test-long).
        Boot('storm-soak', f'{common} storm.soak storm.rounds=50 storm.jitter=200', smp=8,
             expect=[soak_line(50, 8), r'^storm: rounds=50 leaked_rounds=0$', POWEROFF],
             reject=NO_FAULTS + [r'^storm: round \d+ left ', r'^storm: soak round ']),
        # fail.alloc at boot: the storm's first load of hello fails its 5th
        # allocation (a table of the load's), with one line; the other
        # CPUs' requests load it once.
        hello_storm_fault('fail-alloc-param', 'fail.alloc=hello:5', -12,
                          [r'^lib/modules/hello\.ko: no memory for the load\'s tables \(\d+ sections, \d+ symbols\)$']),
        # Every allocation of every demo module's load failed in turn,
        # under each generation, alone and racing (kernel/module/
        # fail_alloc_test.c): a slow suite, so not in ktest=all.
        Boot('fail-alloc', f'{common} storm=off ktest=fail_alloc ktest_cpus=4', smp=4,
             expect=[r'^fail_alloc: a load of kvm_intel makes 11 allocations: load state, file copy, ',
                     r'^fail_alloc: \d+ failure points x 4 generations tried, alone and with 4 CPUs '
                     r'loading the same module at once \(\d+ of \d+ reached there\): 0 leaks$',
                     POWEROFF],
             reject=NO_FAULTS, ktap=True),
        Boot('mem-128M', f'{common} ktest=all', mem='128M',
             expect=STANDARD, reject=NO_FAULTS, ktap=True),
        Boot('mem-3G', f'{common} ktest=all', mem='3G', firmware='uefi',
             expect=STANDARD, reject=NO_FAULTS, ktap=True),
        # Four CPUs: the MADT lists them all; maxcpus=3 limits what is used.
        # 255 CPUs, TCG's limit, brought up in parallel and stormed under
        # the newest loader: about 15-25 s on the two-core development
        # machine (make bench-smp; docs/smp.md, "Many CPUs").  The 255-CPU
        # suites stay in make test-long.
        Boot('smp-255-storm', f'{common} loader=idempotent', smp=255, mem='2G',
             expect=STANDARD + [r'^smpboot: 254 of 254 APs online in \d+\.\d ms \(parallel\)$',
                                r'^smp: 255 CPUs online$',
                                r'^storm: loader=idempotent cpus=255 requests=1020 loaded=3 eexist=1017 '
                                r'ebusy=0 failed=0 reserved_peak=8048 reserved_size=8192 '],
             reject=NO_FAULTS + [r'BUG: spinlock lockup'], stamps=True),
        # PCs that differ the way real ones do (issue 14's matrix): each
        # runs the storm and reaches the end.
        Boot('pc-i440fx-bios', common, chipset='pc', smp=4,
             expect=STANDARD + [STORM_WHOLE], reject=NO_FAULTS),
        Boot('pc-i440fx-uefi', common, 'uefi', chipset='pc', smp=4,
             expect=STANDARD + [STORM_WHOLE], reject=NO_FAULTS),
        # No HPET: the TSC is calibrated by PIT channel 2, and says so.
        Boot('no-hpet', common, smp=4, machine='hpet=off',
             expect=STANDARD + [STORM_WHOLE,
                                r'^tsc: Detected \d+\.\d{3} MHz processor \(calibrated by pit\)$'],
             reject=NO_FAULTS + [r'^hpet: at ']),
        # A CPU of 2008: no x2APIC, no leaf 0xB (the trampoline takes
        # its APIC ID from leaf 1).
        Boot('cpu-nehalem', f'{common} ktest=smp,apic ktest_cpus=4', smp=4, cpu='Nehalem',
             expect=STANDARD + [STORM_WHOLE, XAPIC_MODE, r'^smp: 4 CPUs online$'],
             reject=NO_FAULTS, ktap=True),
        # A USB 2.0 stick: the image on an EHCI controller, both firmwares.
        Boot('usb-ehci-bios', common, boot='usb-ehci', smp=2,
             expect=STANDARD + [STORM_WHOLE], reject=NO_FAULTS),
        Boot('usb-ehci-uefi', common, 'uefi', boot='usb-ehci', smp=2,
             expect=STANDARD + [STORM_WHOLE], reject=NO_FAULTS),
        # Fair ticket spinlocks although QEMU says it is a hypervisor: the
        # suites that lock hardest, every CPU at once (kernel/spinlock.c).
        Boot('smp-8-ticket', f'{common} storm=off ktest=spinlock,ipi,tlb,mutex,percpu_alloc ktest_cpus=8 spinlock.ticket',
             smp=8, expect=[r'^spinlock: ticket \(fair\)$', r'^smp: 8 CPUs online$', POWEROFF],
             reject=NO_FAULTS, ktap=True),
        # Also the log without timestamps: every check reads both forms.
        Boot('smp-4', f'{common} ktest=all ktest_cpus=4 maxcpus=3 printk.time=0', smp=4, stamps=False,
             expect=STANDARD + [r'^ACPI: MADT: 4 CPUs \(APIC IDs 0-3\), 1 IOAPIC, \d+ overrides, LAPIC at 0xfee00000$',
                                r'^smp: using 3 of 4 CPUs \(maxcpus=3\)$',
                                # KVM's -cpu host has an x2APIC; TCG's CPU none.
                                X2APIC_MODE if accel == 'kvm' else XAPIC_MODE,
                                # TCG and KVM both say "hypervisor" in CPUID.
                                r'^spinlock: test-and-set, under a hypervisor \(as Linux\'s virt_spin_lock\)$',
                                r'^tsc: Detected \d+\.\d{3} MHz processor \(calibrated by (cpuid|hpet|pit)\)$'],
             reject=NO_FAULTS, ktap=True),
    ]
    # Every CPU up, at several counts, on both firmwares; sparse APIC IDs
    # from an odd topology (2 sockets x 3 cores x 2 threads: IDs 0-13).
    for n, fw, topo in [(n, fw, None) for n in (1, 3, 4, 8, 64) for fw in ('bios', 'uefi')] + \
                       [(12, 'bios', '2,3,2'), (12, 'uefi', '2,3,2')]:
        name = f'smp-{n}-{fw}' + ('-topology' if topo else '')
        matrix.append(Boot(name, f'{common} ktest=all ktest_cpus={n}', fw, smp=n, topology=topo,
                           expect=STANDARD + [rf'^smp: {n} CPUs online$', PERCPU_FAIL],
                           reject=NO_FAULTS, ktap=True, stamps=True))
    matrix += [
        # A CPU that never answers its IPIs is reported and skipped; the
        # others come up and the suites still pass.
        # Both ways of waking them: all at once (the default), and
        # smpboot=serial, one after another.
        Boot('smp-dead-cpu', f'{common} ktest=smp,madt ktest_cpus=4 smp_dead_cpu=2', smp=4,
             expect=[r'^smp: CPU 2 \(APIC ID 2\) did not start after 2 SIPIs; skipped$',
                     r'^smpboot: 2 of 3 APs online in \d+\.\d ms \(parallel\)$',
                     r'^smp: 3 CPUs online$', POWEROFF],
             reject=NO_FAULTS, ktap=True),
        Boot('smp-dead-cpu-serial', f'{common} ktest=smp,madt ktest_cpus=4 smp_dead_cpu=2 smpboot=serial',
             smp=4,
             expect=[r'^smp: CPU 2 \(APIC ID 2\) did not start after 2 SIPIs; skipped$',
                     r'^smpboot: 2 of 3 APs online in \d+\.\d ms \(serial\)$',
                     r'^smp: 3 CPUs online$', POWEROFF],
             reject=NO_FAULTS, ktap=True),
        crash('pagefault', r'^traps: page fault \(#PF\) vector 14 error 0x2 \[write, not-present\]',
              'crash_pagefault'),
        crash('divide', r'^traps: divide error \(#DE\) vector 0', 'crash_divide', firmware='uefi'),
        crash('ud', r'^traps: invalid opcode \(#UD\) vector 6', 'crash_ud'),
        # A fault in a module's function: named, with the module, in the
        # RIP line and the Call Trace (kernel/module/kallsyms.c).
        crash('module', r'^traps: page fault \(#PF\) vector 14 error 0x2 \[write, not-present\]',
              'coretemp_crash_now', cmdline=' coretemp.crash=1 storm=off',
              expect=[r'^RIP: [0-9a-f]{4}:coretemp_crash_now\+0x[0-9a-f]+/0x[0-9a-f]+ \[coretemp\] ',
                      # coretemp_init, or its alias init_module (clang)
                      r'^ \[<[0-9a-f]{16}>\] (coretemp_\w+|init_module)\+0x[0-9a-f]+/0x[0-9a-f]+ \[coretemp\]$',
                      r'\] load_module\+', r'CR2: 0000000000000000'],
              reject=[r"unknown parameter 'crash'", r"unknown parameter 'coretemp\.crash'"]),
        Boot('crash-stack-overflow', 'poweroff isa_debug_exit crash=stack', expect_exit=EXIT_PANIC,
             expect=[r'double fault \(#DF\)', r'kernel stack overflow', r'\] crash_stack_recurse(\.\w+)*\+0x',
                     r'Kernel panic - not syncing: ']),
        # A CPU spinning with interrupts off: its buddy's watchdog names
        # it and the stuck CPU's own NMI backtrace names the function;
        # then the panic stops it, and it says where.
        Boot('crash-lockup', 'poweroff isa_debug_exit crash=lockup watchdog_thresh=2', smp=3,
             expect_exit=EXIT_PANIC,
             expect=[r'^watchdog: BUG: hard LOCKUP on CPU 1 \(Watchdog detected hard LOCKUP on cpu 1',
                     r'^NMI backtrace for cpu 1$',
                     r'^RIP: [0-9a-f]{4}:crash_lockup_spin\+0x[0-9a-f]+/0x[0-9a-f]+',
                     r'^Kernel panic - not syncing: crash: hard LOCKUP on CPU 1$',
                     r'^CPU 1: stopped at RIP crash_lockup_spin\+0x',
                     r'^smp: stopped 2 of 2 other CPUs$',
                     r'^---\[ end Kernel panic - not syncing: ']),
        # A panic stops every other CPU by NMI; each reports where it was.
        Boot('crash-panic-smp', 'poweroff isa_debug_exit crash=panic-smp', smp=4, firmware='uefi',
             expect_exit=EXIT_PANIC,
             expect=[r'^Kernel panic - not syncing: crash: panic with 4 CPUs online$',
                     r'^CPU 1: stopped at RIP \w+', r'^CPU 2: stopped at RIP \w+',
                     r'^CPU 3: stopped at RIP \w+', r'^smp: stopped 3 of 3 other CPUs$',
                     r'^---\[ end Kernel panic - not syncing: crash: panic with 4 CPUs online \]---$'],
             reject=[r'watchdog: BUG']),
        # The same in a kernel thread on another CPU: its stack is in the
        # vmap area, with its own guard page.
        Boot('crash-stack-overflow-thread', 'poweroff isa_debug_exit crash=stack-thread', smp=3,
             expect_exit=EXIT_PANIC,
             expect=[r'double fault \(#DF\) vector 8 error 0 on CPU 2',
                     r'kernel stack overflow: the guard page ffffc9', r'\] crash_stack_recurse(\.\w+)*\+0x',
                     r'Kernel panic - not syncing: ']),
        Boot('crash-int3-survives', 'poweroff isa_debug_exit crash=int3',
             expect=[r'^crash: int3 returned, #BP count 0 -> 1', POWEROFF]),
    ]
    return matrix + bad_initrd_boots(build, 10)


def long_boots(build):
    """make test-long: what is too slow for make test (with the storm at
    255 CPUs and the bochs boots: tests/run.py)."""
    common = 'poweroff isa_debug_exit'
    # The suites about CPUs themselves.  The ipi storm (every CPU calling
    # every other at once) and the thread-heavy ones (sched,
    # wait, mutex, rcu, percpu_alloc: threads on every CPU contending for
    # one lock) run up to 64 CPUs in make test; at 255 emulated CPUs on
    # two host cores they take tens of minutes of lock-holder preemption.
    suites = 'smp,madt,apic,time,percpu,spinlock,tlb,mm,exports'
    matrix = [
        Boot('storm-soak-1000', f'{common} storm.soak storm.rounds=1000 storm.jitter=200', smp=8,
             timeout=1800,
             expect=[soak_line(1000, 8), r'^storm: rounds=1000 leaked_rounds=0$', POWEROFF],
             reject=NO_FAULTS + [r'^storm: round \d+ left ', r'^storm: soak round ']),
        *bad_initrd_boots(build, 200),
        # QEMU's limit without KVM.
        Boot('smp-255-bios', f'{common} ktest={suites} ktest_cpus=255', smp=255, mem='2G', timeout=600,
             expect=STANDARD + [r'^smp: 255 CPUs online$'], reject=NO_FAULTS, ktap=True),
        Boot('smp-255-uefi', f'{common} ktest={suites} ktest_cpus=255', 'uefi', smp=255, mem='2G',
             timeout=900,
             expect=STANDARD + [r'^smp: 255 CPUs online$'], reject=NO_FAULTS, ktap=True),
    ]
    return matrix


def bochs_boots():
    """x2APIC, which QEMU's TCG cannot offer: bochs with cpuid apic=x2apic.
    Bochs runs some hundred times slower than TCG, so it gets the suites
    about the APIC, SMP, IPIs and locks, and the storm at boot; all of
    ktest=all did not finish in its 600 s bound."""
    return [Boot(f'bochs-x2apic-{n}', f'poweroff ktest=apic,madt,smp,ipi,tlb,spinlock ktest_cpus={n}',
                 smp=n,
                 emulator='bochs', expect_exit=None,
                 expect=[BANNER, X2APIC_MODE, rf'^smp: {n} CPUs online$', STORM_WHOLE,
                         POWEROFF],
                 reject=NO_FAULTS, ktap=True)
            for n in (2, 4)]


def kvm_boots():
    """make test-kvm: the boots where KVM's -cpu host differs from TCG's
    CPU: an x2APIC (the kernel switches to x2APIC mode), and real CPU
    timing for SMP and the storm (whose boots tests/run.py adds)."""
    common = 'poweroff isa_debug_exit'
    matrix = []
    for n, fw in ((1, 'bios'), (2, 'uefi'), (4, 'bios'), (8, 'uefi'), (16, 'bios'), (64, 'bios')):
        matrix.append(Boot(f'kvm-smp-{n}-{fw}', f'{common} ktest=all ktest_cpus={n}', fw, smp=n,
                           mem='1G' if n > 8 else '512M',
                           expect=STANDARD + [rf'^smp: {n} CPUs online$', X2APIC_MODE, PERCPU_FAIL],
                           reject=NO_FAULTS, ktap=True))
    # nox2apic: the same CPU, held in xAPIC mode.
    matrix.append(Boot('kvm-nox2apic', f'{common} ktest=smp,apic,madt ktest_cpus=4 nox2apic', smp=4,
                       expect=[BANNER, XAPIC_MODE, r'^smp: 4 CPUs online$', POWEROFF],
                       reject=NO_FAULTS, ktap=True))
    return matrix


def main():
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--timeout', nargs=2, metavar=('FIRMWARE', 'SMP'), required=True,
                    help="print the time bound of a QEMU boot, in seconds")
    args = ap.parse_args()
    firmware, smp = args.timeout
    if firmware not in ('bios', 'uefi') or not smp.isdigit():
        ap.error(f'--timeout bios|uefi CPUS, not "{firmware} {smp}"')
    print(boot_timeout(firmware, int(smp)))
    return 0


if __name__ == '__main__':
    sys.exit(main())
