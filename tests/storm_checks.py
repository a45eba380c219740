#!/usr/bin/python3
"""tests/storm_checks.py - the storm (kernel/module/storm.c, docs/story.md):
its boots, and what their storm lines must show side by side.

Every boot runs the storm: each CPU asks for etc/storm.conf's modules at
the same moment under one loader generation, and the kernel prints the
storm line.  The boots here run it under every generation at several
CPU counts (and with jitter, an init failure, a stall, a per-CPU
failure); storm_checks() then reads their logs' storm lines with
tools/stormlog.py, the parser make trace and make compare use, and
checks what must hold across the counts: outcomes that add up, a
reserved peak that grows with the CPUs for the old loaders and stays at
the modules' own per-CPU sizes for the new ones, module memory that
grows with duplicates until requests are merged.

Run alone: tests/storm_checks.py [BUILD] checks the logs a run of the
storm boots left in BUILD/test/; tests/run.py calls storm_checks().
"""
import pathlib
import sys

from elftools.elf.elffile import ELFFile

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import stormlog  # noqa: E402
from boots import Boot, NO_FAULTS, PERCPU_FAIL, POWEROFF  # noqa: E402

STORM_LINE = stormlog.STORM_LINE
STORM_MODES = stormlog.MODES
STORM_CPUS = (1, 4, 8, 64)
KVM_FAIL = r'^kvm: Could not allocate 304 bytes percpu data$'


def storm_mode_boots(counts, prefix=''):
    """The storm under every loader at each CPU count in counts."""
    common = 'poweroff isa_debug_exit'
    out = []
    for mode in STORM_MODES:
        for n in counts:
            expect = [STORM_LINE, rf'^storm: loader={mode} cpus={n} ', POWEROFF]
            reject = list(NO_FAULTS)
            if mode in ('unformed', 'idempotent'):
                reject += [r'^PERCPU: allocation failed', r'Could not allocate',
                           r'^storm: .* failed=[1-9]']
            elif n >= 8:
                expect += [PERCPU_FAIL, KVM_FAIL, r' failed=[1-9]']
            out.append(Boot(f'{prefix}storm-{mode}-{n}', f'{common} loader={mode}', smp=n,
                            mem='1G' if n > 8 else '512M', expect=expect, reject=reject))
    return out


def storm_boots():
    """Every mode at 1, 4, 8 and 64 CPUs, then rounds with jitter and an
    init failure injected; storm_checks() compares the figures."""
    common = 'poweroff isa_debug_exit'
    out = storm_mode_boots(STORM_CPUS)
    for mode in ('unformed', 'idempotent'):
        out.append(Boot(f'storm-rounds-{mode}',
                        f'{common} loader={mode} storm.rounds=20 storm.jitter=200', smp=4,
                        expect=[STORM_LINE, r'^storm: round 20 of 20$',
                                r'^storm: rounds=20 leaked_rounds=0$', POWEROFF],
                        reject=NO_FAULTS + [r'^storm: round \d+ left ', r'failed=[1-9]']))
    out.append(Boot('storm-fail-init', f'{common} fail.init=kvm:2 storm=kvm_intel,kvm_intel',
                    smp=4,
                    expect=[r'^kvm: init made to fail \(fail.init\)$', r'^kvm: init failed \(error -5\)$',
                            r'^module: kvm loaded ', r'^module: kvm_intel loaded ', STORM_LINE,
                            POWEROFF],
                    reject=NO_FAULTS))
    # A load that takes 3 s: the storm says who is stuck where, and goes on.
    out.append(Boot('storm-stall', f'{common} storm=coretemp storm.stall=1 coretemp.settle_ms=3000',
                    smp=2,
                    expect=[r'^storm: no progress for 1 s; CPUs still loading:$',
                            r'^storm:   CPU \d+ at init \(coretemp\)$',
                            r'^storm:   CPU \d+ at waiting \(coretemp\)$',
                            r'^module: coretemp loaded ', STORM_LINE, r' failed=0 ', POWEROFF],
                    reject=NO_FAULTS))
    out.append(Boot('storm-fail-percpu', f'{common} fail.percpu=1 storm=kvm', smp=4,
                    expect=[r'^kvm: per-CPU allocation failed on purpose \(fail.percpu\)$',
                            KVM_FAIL, r'^module: kvm loaded ', STORM_LINE, POWEROFF],
                    reject=NO_FAULTS))
    return out


def storm_figures(build, name):
    """The storm line of BUILD/test/NAME.log, or None when the boot left
    no log or no whole storm line in it."""
    log = build / 'test' / f'{name}.log'
    storm = stormlog.parse_storm(log.read_text()) if log.exists() else None
    return storm if stormlog.whole(storm) else None


def module_percpu_sizes(build):
    """Each demo module's .data..percpu size, from its ELF section table."""
    sizes = {}
    for ko in sorted((build / 'modules').glob('*.ko')):
        with ko.open('rb') as f:
            section = ELFFile(f).get_section_by_name('.data..percpu')
            if section is not None:
                sizes[ko.stem] = section['sh_size']
    return sizes


def storm_checks(build, report, prefix=''):
    """What the storm must show across CPU counts: the logs of the boots
    storm_mode_boots(STORM_CPUS, prefix) made."""
    fig = {(mode, n): storm_figures(build, f'{prefix}storm-{mode}-{n}')
           for mode in STORM_MODES for n in STORM_CPUS}
    for (mode, n), f in fig.items():
        if f is None:
            report.add(f'{prefix}storm/{mode}-{n}: storm line', False, 'no storm line in the log')
            continue
        total = f['loaded'] + f['eexist'] + f['ebusy'] + f['failed']
        report.add(f'{prefix}storm/{mode}-{n}: outcomes add up to requests', total == f['requests'],
                   f'{total} != {f["requests"]}')
        report.add(f'{prefix}storm/{mode}-{n}: requests = cpus x 4', f['requests'] == 4 * n,
                   f'{f["requests"]}')
    if any(f is None for f in fig.values()):
        return
    sizes = module_percpu_sizes(build)
    unique = sum(sizes.get(m, 0) for m in ('acpi_cpufreq', 'coretemp', 'kvm', 'kvm_intel'))
    for mode in ('unformed', 'idempotent'):
        for n in STORM_CPUS:
            f = fig[(mode, n)]
            report.add(f'{prefix}storm/{mode}-{n}: failed=0', f['failed'] == 0, str(f['failed']))
            report.add(f'{prefix}storm/{mode}-{n}: reserved_peak = sum of unique per-CPU areas ({unique})',
                       f['reserved_peak'] == unique, str(f['reserved_peak']))
            # Only unique modules ask the reserve for an area: nothing
            # more was ever asked of it than they hold.
            report.add(f'{prefix}storm/{mode}-{n}: reserved_demand = reserved_peak ({unique})',
                       f.get('reserved_demand') == unique, str(f.get('reserved_demand')))
    for mode in ('legacy', 'seed'):
        peaks = [fig[(mode, n)]['reserved_peak'] for n in STORM_CPUS]
        report.add(f'{prefix}storm/{mode}: failed>0 at 8 CPUs', fig[(mode, 8)]['failed'] > 0,
                   str(fig[(mode, 8)]['failed']))
        report.add(f'{prefix}storm/{mode}: reserved_peak grows with CPUs until full {peaks}',
                   peaks == sorted(peaks) and peaks[0] < peaks[2] and
                   peaks[-1] <= fig[(mode, 64)]['reserved_size'], str(peaks))
    mm = [fig[('unformed', n)]['modmem_peak'] for n in STORM_CPUS]
    dup = [fig[('unformed', n)]['dup_bytes'] for n in STORM_CPUS]
    report.add(f'{prefix}storm/unformed: modmem_peak grows with CPUs {mm}', mm[0] < mm[1] < mm[3], str(mm))
    report.add(f'{prefix}storm/unformed: dup_bytes grows with CPUs {dup}', dup[0] < dup[1] < dup[3], str(dup))
    im = [fig[('idempotent', n)]['modmem_peak'] for n in STORM_CPUS]
    idup = [fig[('idempotent', n)]['dup_bytes'] for n in STORM_CPUS]
    report.add(f'{prefix}storm/idempotent: dup_bytes=0 {idup}', idup == [0] * len(idup), str(idup))
    # Flat: at most one load per module in flight, whatever the CPUs (the
    # four modules' loads may overlap; unformed's grows 60-fold by 64).
    report.add(f'{prefix}storm/idempotent: modmem_peak flat {im}', max(im) <= 4 * im[0], str(im))


if __name__ == '__main__':
    from harness import Report  # noqa: E402
    r = Report()
    storm_checks((ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve(), r)
    sys.exit(r.summary())
