#!/usr/bin/python3
"""tools/trace2svg.py LOG OUT_PREFIX - draw what every CPU did in the storm.

Reads the "trace:" lines a kernel booted with trace=1 prints on serial
(kernel/module/trace.c; format in tools/stormlog.py) and the "storm:" line,
and writes OUT_PREFIX.svg and OUT_PREFIX.png:

  * above, a lane per CPU over time (ms since the storm's barrier
    release), coloured by the step that CPU's load is at (reading,
    allocating, waiting, ...), a red X where a load failed;
  * below, on the same time axis, the reserved per-CPU chunk's bytes in
    use, with a dashed line at its size: what legacy and seed exhaust
    and unformed keeps flat;
  * the title: the loader mode, the CPUs and the storm line's figures.

`make trace SMP=8 LOADER=legacy` boots the kernel and runs this.  Needs
Debian's python3-matplotlib (tools/deps.sh installs it).
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import stormlog  # noqa: E402

# One colour per step: cold for the work of a load, grey for sleeping,
# warm for the ways a duplicate ends.  Failures are red.
STEP_COLOURS = {
    'reading': '#4e79a7',
    'allocating': '#f28e2b',
    'waiting': '#bab0ac',
    'relocating': '#76b7b2',
    'init': '#59a14f',
    'done': '#8cd17d',
    'eexist': '#9c755f',
    'ebusy': '#ff9da7',
    'failed': '#e15759',
}
FAILURE_COLOUR = '#d00000'
USE_COLOUR = '#4e79a7'
MAX_LANE_LABELS = 16


def summary(storm):
    """The storm line as two lines of a title."""
    if storm is None:
        return ['(no "storm:" line in the log: the storm did not finish)']
    counts = ' '.join(f'{k}={storm[k]}' for k in
                      ('requests', 'loaded', 'eexist', 'ebusy', 'failed')
                      if k in storm)
    sizes = []
    if 'reserved_peak' in storm:
        sizes.append(f'reserved_peak={stormlog.human_bytes(storm["reserved_peak"])}'
                     f' of {stormlog.human_bytes(storm.get("reserved_size", "?"))}')
    for k in ('modmem_peak', 'dup_bytes'):
        if k in storm:
            sizes.append(f'{k}={stormlog.human_bytes(storm[k])}')
    if isinstance(storm.get('elapsed_us'), int):
        sizes.append(f'elapsed={storm["elapsed_us"] / 1000:.3f} ms')
    extra = [f'{k}={v}' for k, v in storm.items()
             if k not in stormlog.STORM_KEYS]
    return [counts + ('  ' + ' '.join(extra) if extra else ''), '  '.join(sizes)]


def lane_ticks(cpus):
    """At most MAX_LANE_LABELS CPU numbers on the lane axis."""
    step = 1
    while cpus > step * MAX_LANE_LABELS:
        step *= 2
    return list(range(0, cpus, step))


def draw(trace, storm, prefix):
    """Write prefix.svg and prefix.png; returns their paths."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    # The same input gives the same SVG, byte for byte.
    matplotlib.rcParams['svg.hashsalt'] = 'mkernel'

    cpus = max(trace.cpus, 1)
    end_ms = max(trace.end_ns, 1) / 1e6
    lanes_height = min(max(0.28 * cpus, 1.6), 12)
    fig, (lanes, chunk) = plt.subplots(
        2, 1, sharex=True, figsize=(12, lanes_height + 3.6),
        gridspec_kw={'height_ratios': [lanes_height, 2]})

    segs = stormlog.segments(trace)
    lanes.barh([s.cpu for s in segs],
               [(s.end_ns - s.start_ns) / 1e6 for s in segs],
               left=[s.start_ns / 1e6 for s in segs],
               color=[STEP_COLOURS.get(s.step, 'black') for s in segs],
               height=0.8, linewidth=0)
    handles = [Patch(color=STEP_COLOURS[step], label=step)
               for step in STEP_COLOURS if any(s.step == step for s in segs)]
    failed = stormlog.failures(trace)
    if failed:
        lanes.plot([e.ns / 1e6 for e in failed], [e.cpu for e in failed],
                   linestyle='none', marker='X', markersize=10,
                   color=FAILURE_COLOUR, markeredgecolor='white')
        handles.append(Line2D([], [], linestyle='none', marker='X',
                              markersize=10, color=FAILURE_COLOUR,
                              markeredgecolor='white', label='load failed'))
    lanes.set_ylim(cpus - 0.5, -0.5)        # CPU 0 on top
    lanes.set_yticks(lane_ticks(cpus))
    lanes.set_ylabel('CPU')

    curve = stormlog.reserved_curve(trace)
    if curve:
        xs = [t / 1e6 for t, _ in curve] + [end_ms]
        ys = [b for _, b in curve] + [curve[-1][1]]
        chunk.step(xs, ys, where='post', color=USE_COLOUR)
        chunk.fill_between(xs, ys, step='post', color=USE_COLOUR, alpha=0.25)
        handles.append(Line2D([], [], color=USE_COLOUR,
                              label='reserved chunk in use'))
    size = trace.reserved_size
    if not isinstance(size, int) and storm:
        size = storm.get('reserved_size')
    top = max(trace.reserved_peak, 1)
    if isinstance(size, int) and size > 0:
        chunk.axhline(size, linestyle='--', color=FAILURE_COLOUR)
        handles.append(Line2D([], [], linestyle='--', color=FAILURE_COLOUR,
                              label=f'reserved_size {stormlog.human_bytes(size)}'))
        top = max(top, size)
        # Ticks at quarters of the chunk: 2 KiB, 4 KiB, ... not 2000.
        chunk.yaxis.set_major_locator(MultipleLocator(max(size // 4, 1)))
    chunk.yaxis.set_major_formatter(
        FuncFormatter(lambda v, _: stormlog.human_bytes(int(v))))
    chunk.set_ylim(0, top * 1.15)
    chunk.set_ylabel('reserved\nper-CPU chunk')
    chunk.set_xlabel('time since the storm began (ms)')
    chunk.set_xlim(0, end_ms)

    # One legend for both panels, to their right.
    fig.legend(handles=handles, loc='center right', fontsize='small')

    title = [f'storm trace: loader={trace.mode}, {trace.cpus} CPUs'] + summary(storm)
    problems = trace.problems()
    if problems:
        title.append('warning: ' + '; '.join(problems))
    # The upper panel's title, not the figure's: tight_layout leaves room
    # for an axes' title exactly, for a suptitle not (matplotlib 3.6).
    lanes.set_title('\n'.join(title), fontsize='medium')
    fig.tight_layout(rect=(0, 0, 0.84, 1))      # the legend to the right

    return stormlog.save_figure(fig, prefix)


def main(argv=None):
    got = stormlog.read_trace_args('trace2svg', __doc__.split('\n')[0], argv)
    if got is None:
        return 1
    args, text, trace = got
    storm = stormlog.parse_storm(text)
    if storm is None:
        print(f'trace2svg: {args.log}: warning: no storm line', file=sys.stderr)
    drawn = stormlog.draw_or_say('trace2svg', draw, trace, storm, args.out_prefix)
    if drawn is None:
        return 1
    print(f'trace2svg: {drawn[0]}, {drawn[1]}: loader={trace.mode}, {trace.cpus} CPUs, '
          f'{len(trace.events)} events')
    return 0

if __name__ == '__main__':
    sys.exit(main())
