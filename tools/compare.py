#!/usr/bin/python3
"""tools/compare.py [--out PREFIX] LOG... - the loader generations side by
side, from the serial logs of storm boots (modes x CPU counts).

Reads each log's "storm:" line (format in tools/stormlog.py) and writes:

  * PREFIX.md: a markdown table, one row per boot, ordered by mode (oldest
    generation first) and CPUs: mode, cpus, requests, loaded, eexist,
    ebusy, failed, reserved_peak, reserved_size, modmem_peak, dup_bytes,
    elapsed_us, merged, reserved_demand, and any key a newer kernel added;
  * PREFIX.svg and PREFIX.png: three panels against the CPUs (log2
    axis), a line per mode: the failed requests; the demand on the
    reserved per-CPU chunk (reserved_demand: the bytes held plus asked
    for at once, refused requests included; log2 axis) against the
    chunk's size, dashed - it grows with the CPUs under legacy and seed
    and stays at the unique modules' sum under the others, where
    reserved_peak, capped by the size, cannot tell them apart; and
    module memory's peak.  A red X on runs where a load failed.

The mode and CPUs come from the storm line; a log without one (a boot
that crashed or timed out) is still listed, with the mode and CPUs taken
from its name (<mode>-smp<N>.log, as `make compare` writes), and makes the
exit status 1.  PREFIX defaults to build/compare.
"""
import argparse
import pathlib
import re
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import stormlog  # noqa: E402

COLUMNS = ('mode', 'cpus') + stormlog.STORM_KEYS[2:]
# Two generations often give the same figures (seed is legacy's numbers,
# "No, really!"), so each draws wider and bigger than the next: lines on
# top of each other still show, nested.
MODE_STYLES = {
    'legacy': dict(color='#4e79a7', marker='o', markersize=10, linewidth=4.5),
    'seed': dict(color='#f28e2b', marker='s', markersize=7, linewidth=3),
    'unformed': dict(color='#59a14f', marker='^', markersize=6, linewidth=1.8),
    'idempotent': dict(color='#b07aa1', marker='D', markersize=4, linewidth=1),
}
OTHER_STYLE = dict(color='black', marker='v', markersize=5, linewidth=1)
FAILURE_COLOUR = '#d00000'


def load_run(path):
    """One boot as a dict of the storm line's figures, plus 'mode' and
    'log', and 'missing' when the log has no storm line."""
    path = pathlib.Path(path)
    try:
        text = path.read_text(errors='replace')
    except OSError as e:
        text = ''
        why = e.strerror
    else:
        why = 'no storm line'
    storm = stormlog.parse_storm(text)
    if storm is None:
        m = re.search(r'([a-z]+)-smp(\d+)', path.name)
        return {'mode': m.group(1) if m else '?',
                'cpus': int(m.group(2)) if m else 0,
                'log': str(path), 'missing': why}
    run = dict(storm)
    run['mode'] = run.pop('loader')
    run['log'] = str(path)
    return run


def order(run):
    mode = run['mode']
    rank = stormlog.MODES.index(mode) if mode in stormlog.MODES else len(stormlog.MODES)
    cpus = run['cpus'] if isinstance(run['cpus'], int) else 0
    return (rank, mode, cpus)


def load_runs(paths):
    return sorted((load_run(p) for p in paths), key=order)


def extra_columns(runs):
    """Keys a newer kernel added to the storm line, in first-seen order."""
    out = []
    for run in runs:
        for key in run:
            if key not in COLUMNS and key not in ('log', 'missing') and key not in out:
                out.append(key)
    return out


def markdown(runs):
    columns = list(COLUMNS) + extra_columns(runs)
    out = ['# Module loader generations compared',
           '',
           'One storm per row: every CPU loads the modules in etc/storm.conf at',
           'the same moment (tools/compare.py; sizes in bytes, time in us).',
           '',
           '| ' + ' | '.join(columns) + ' |',
           '|' + '|'.join(':---' if c == 'mode' else '---:' for c in columns) + '|']
    for run in runs:
        if 'missing' in run:
            cells = [run['mode'], str(run['cpus']),
                     f'{run["missing"]}: see {run["log"]}'] + [''] * (len(columns) - 3)
        else:
            cells = [str(run.get(c, '')) for c in columns]
        out.append('| ' + ' | '.join(cells) + ' |')
    return '\n'.join(out) + '\n'


def byte_step(top):
    """A power of two between ticks, at most 8 ticks up to top: the axis
    reads 2 KiB, 4 KiB, ... not 1.953 KiB."""
    step = 1
    while top / step > 8:
        step *= 2
    return step


def demand(run):
    """The demand on the reserved chunk: reserved_demand (held plus asked
    for at once, refused requests included), or, from a kernel older than
    that key, reserved_peak (which cannot pass the chunk's size)."""
    value = run.get('reserved_demand')
    return value if isinstance(value, int) else run.get('reserved_peak')


def plot(runs, prefix):
    """Write prefix.svg and prefix.png; returns their paths."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.ticker import (FixedLocator, FuncFormatter,
                                   MaxNLocator, MultipleLocator, NullLocator)

    matplotlib.rcParams['svg.hashsalt'] = 'mkernel'
    good = [r for r in runs if 'missing' not in r and isinstance(r.get('cpus'), int)
            and r['cpus'] > 0]
    modes = []
    for r in good:
        if r['mode'] not in modes:
            modes.append(r['mode'])
    cpus = sorted({r['cpus'] for r in good})
    sizes = sorted({r['reserved_size'] for r in good
                    if isinstance(r.get('reserved_size'), int)})
    old = any(not isinstance(r.get('reserved_demand'), int) for r in good)

    fig, panels = plt.subplots(1, 3, figsize=(16, 5))
    byte_format = FuncFormatter(lambda v, _: stormlog.human_bytes(int(v)))
    figures = (
        (panels[0], lambda r: r.get('failed'), 'failed requests'),
        (panels[1], demand, 'demand on the reserved per-CPU chunk\n'
         '(held + asked for at once, refused included)'
         + ('\n(reserved_peak where a log has no reserved_demand)' if old else '')),
        (panels[2], lambda r: r.get('modmem_peak'), 'module memory, peak'))
    for ax, get, label in figures:
        for mode in modes:
            pts = [(r['cpus'], get(r)) for r in good
                   if r['mode'] == mode and isinstance(get(r), int)]
            if pts:
                ax.plot([x for x, _ in pts], [y for _, y in pts],
                        **MODE_STYLES.get(mode, OTHER_STYLE))
        bad = [(r['cpus'], get(r)) for r in good
               if isinstance(get(r), int) and isinstance(r.get('failed'), int)
               and r['failed'] > 0]
        if bad:
            ax.plot([x for x, _ in bad], [y for _, y in bad], linestyle='none',
                    marker='X', markersize=11, color=FAILURE_COLOUR,
                    markeredgecolor='white', zorder=5)
        ax.set_title(label, fontsize='medium')
        ax.set_xscale('log', base=2)
        ax.xaxis.set_major_locator(FixedLocator(cpus or [1]))
        ax.xaxis.set_major_formatter(FuncFormatter(lambda v, _: f'{v:g}'))
        ax.xaxis.set_minor_locator(NullLocator())
        ax.set_xlabel('CPUs (each loads every module at once)')
        ax.grid(True, alpha=0.3)

    # Failed requests: a count from 0.
    top = max([r['failed'] for r in good if isinstance(r.get('failed'), int)] + [1])
    panels[0].set_ylim(-0.04 * top, top * 1.15)
    panels[0].yaxis.set_major_locator(MaxNLocator(integer=True))

    # The demand: a log2 axis, since it goes from the unique modules' sum
    # to many times the chunk; the chunk's size dashed across.
    ax = panels[1]
    values = [demand(r) for r in good if isinstance(demand(r), int) and demand(r) > 0]
    low = min(values + sizes) if values or sizes else 1
    high = max(values + sizes) if values or sizes else 1
    ax.set_yscale('log', base=2)
    ax.set_ylim(low / 1.5, high * 1.5)
    ticks, t = [], 1
    while t <= high * 1.5:
        if t >= low / 1.5:
            ticks.append(t)
        t *= 2
    ax.yaxis.set_major_locator(FixedLocator(ticks))
    ax.yaxis.set_minor_locator(NullLocator())
    ax.yaxis.set_major_formatter(byte_format)
    for size in sizes:
        ax.axhline(size, linestyle='--', color='#555555')
        ax.text(min(cpus or [1]), size * 1.05, f'reserved_size {stormlog.human_bytes(size)}',
                fontsize='small', color='#555555', va='bottom')

    ax = panels[2]
    top = max([r['modmem_peak'] for r in good if isinstance(r.get('modmem_peak'), int)]
              + [1]) * 1.15
    ax.set_ylim(0, top)
    ax.yaxis.set_major_locator(MultipleLocator(byte_step(top)))
    ax.yaxis.set_major_formatter(byte_format)

    handles = [Line2D([], [], label=f'loader={m}', **MODE_STYLES.get(m, OTHER_STYLE))
               for m in modes]
    handles.append(Line2D([], [], linestyle='none', marker='X', markersize=11,
                          color=FAILURE_COLOUR, markeredgecolor='white',
                          label='failed > 0'))
    if sizes:
        handles.append(Line2D([], [], linestyle='--', color='#555555',
                              label='reserved_size'))
    fig.legend(handles=handles, loc='center right', fontsize='small')
    missing = len(runs) - len(good)
    fig.suptitle('Module loader generations: one load per CPU of every module'
                 + (f'\n(boots without a storm line, left out: {missing})' if missing else ''),
                 fontsize='medium')
    fig.tight_layout(rect=(0, 0, 0.88, 1))

    return stormlog.save_figure(fig, prefix)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--out', default='build/compare',
                    help='writes OUT.md, OUT.svg and OUT.png (default build/compare)')
    ap.add_argument('logs', nargs='+', help='serial logs of storm boots')
    args = ap.parse_args(argv)

    runs = load_runs(args.logs)
    out = pathlib.Path(args.out)
    md = out.with_name(out.name + '.md')

    def write():
        out.parent.mkdir(parents=True, exist_ok=True)
        md.write_text(markdown(runs))
        return plot(runs, out)
    drawn = stormlog.draw_or_say('compare', write)
    if drawn is None:
        return 1
    svg, png = drawn
    missing = [r for r in runs if 'missing' in r]
    for r in missing:
        print(f'compare: {r["log"]}: {r["missing"]} (loader={r["mode"]} cpus={r["cpus"]})',
              file=sys.stderr)
    print(f'compare: {md}, {svg}, {png}: {len(runs) - len(missing)} storms'
          + (f'; boots without one: {len(missing)}' if missing else ''))
    return 1 if missing else 0


if __name__ == '__main__':
    sys.exit(main())
