#!/usr/bin/python3
"""tools/timeline.py LOG OUT_PREFIX - the storm as a race timeline.

Reads the "trace:" lines of a boot with trace=1 (kernel/module/trace.c;
format in tools/stormlog.py) and writes OUT_PREFIX.svg and OUT_PREFIX.png,
drawn the other way round from tools/trace2svg.py: time runs down the
page and each CPU is a column, so that one instant is one row across all
the CPUs.

  * left margin: each module's states in the list (tools/stormlog.py's
    "listed" and "state" events): UNFORMED from the moment it is inserted
    until COMING, then COMING until LIVE.  A band across the CPU columns
    marks the first module's UNFORMED time, and the CPUs whose request
    for it reaches the name check meanwhile (they wait) are counted;
  * the columns: each CPU's steps, coloured as in trace2svg; the part of
    an "allocating" step after its module memory was obtained (the
    modmem_alloc event) is hatched: that is the wait for, and the
    request of, the per-CPU area; a red X where a load failed;
  * right margin: the reserved per-CPU chunk's bytes in use over the same
    time, with its size dashed.

It also prints where the "allocating" time went, summed over the CPUs
(allocating_phases()): before the module memory was obtained, then until
the per-CPU area was granted, or until the load was refused, or (loader=
unformed, idempotent) until the name check.

`make trace` runs it beside trace2svg (OUT_PREFIX = build/trace-<mode>-
timeline).  Needs Debian's python3-matplotlib.
"""
import pathlib
import sys

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import stormlog  # noqa: E402
from trace2svg import FAILURE_COLOUR, STEP_COLOURS, USE_COLOUR  # noqa: E402

STATE_COLOURS = {'UNFORMED': '#edc948', 'COMING': '#76b7b2',
                 'LIVE': '#8cd17d', 'GOING': '#ff9da7'}
BAND_COLOUR = '#edc948'
# The phases of an "allocating" step, in the order allocating_phases()
# reports them.
PHASES = ('module memory', 'per-CPU granted', 'per-CPU refused', 'to the name check')


def module_states(trace):
    """[(module, state, start_ns, end_ns)]: each listing of a module, from
    its "listed" event (inserted as UNFORMED) through its state events; a
    state lasts until the module's next one, the last until the trace's
    end.  Modules in the order they were first listed."""
    out, current = [], {}
    for e in trace.events:
        if e.event == 'listed':
            state = 'UNFORMED'
        elif e.event == 'state' and e.module in current:
            state = e.arg
        else:
            continue
        prev = current.get(e.module)
        if prev:
            out.append((e.module, prev[0], prev[1], e.ns))
        current[e.module] = (state, e.ns)
    for module, (state, start) in current.items():
        out.append((module, state, start, trace.end_ns))
    order = []
    for module, _, _, _ in sorted(out, key=lambda s: s[2]):
        if module not in order:
            order.append(module)
    return order, out


def first_unformed(trace):
    """(module, cpu, start_ns, end_ns, waiters) of the first module to be
    listed: the CPU that listed it, its UNFORMED time, and the other CPUs
    that reached the name check for it meanwhile (a "waiting" step for
    that module), or None when nothing was listed."""
    listed = next((e for e in trace.events if e.event == 'listed'), None)
    if listed is None:
        return None
    end = next((e.ns for e in trace.events if e.ns >= listed.ns and
                e.module == listed.module and e.event == 'state'), trace.end_ns)
    waiters = sorted({e.cpu for e in trace.events
                      if e.event == 'waiting' and e.module == listed.module and
                      listed.ns <= e.ns < end and e.cpu != listed.cpu})
    return listed.module, listed.cpu, listed.ns, end, waiters


def allocating_phases(trace):
    """Each "allocating" step cut where its CPU's events say: [(cpu,
    module, phase, start_ns, end_ns)].  Up to the step's modmem_alloc
    the CPU is getting module memory; from there (or from the step's
    start, when its module memory came in an earlier step) until a
    percpu_alloc it was requesting the per-CPU area, granted; until a
    "failed" step, refused; until a "waiting" step or a "listed" event,
    going to the name check.  A part with none of those ends is left
    out."""
    out = []
    by_cpu = {}
    for e in trace.events:
        by_cpu.setdefault(e.cpu, []).append(e)
    for seg in stormlog.segments(trace):
        if seg.step != 'allocating':
            continue
        inside = [e for e in by_cpu.get(seg.cpu, ())
                  if seg.start_ns <= e.ns <= seg.end_ns]
        t = seg.start_ns
        memory = next((e.ns for e in inside if e.event == 'modmem_alloc'), None)
        if memory is not None:
            out.append((seg.cpu, seg.module, 'module memory', t, memory))
            t = memory
        granted = next((e.ns for e in inside if e.event == 'percpu_alloc' and e.ns >= t), None)
        following = next((e for e in by_cpu.get(seg.cpu, ())
                          if e.ns >= seg.end_ns and e.event in stormlog.STEPS), None)
        listed = next((e.ns for e in inside if e.event == 'listed' and e.ns >= t), None)
        if granted is not None:
            out.append((seg.cpu, seg.module, 'per-CPU granted', t, granted))
        elif following is not None and following.event == 'failed':
            out.append((seg.cpu, seg.module, 'per-CPU refused', t, seg.end_ns))
        elif listed is not None:
            out.append((seg.cpu, seg.module, 'to the name check', t, listed))
        elif following is not None and following.event == 'waiting':
            out.append((seg.cpu, seg.module, 'to the name check', t, seg.end_ns))
    return out


def phase_totals(trace):
    """{phase: (count, total_ns, longest_ns)} over allocating_phases()."""
    totals = {}
    for _, _, phase, start, end in allocating_phases(trace):
        n, total, longest = totals.get(phase, (0, 0, 0))
        totals[phase] = (n + 1, total + end - start, max(longest, end - start))
    return totals


def phase_report(trace):
    """The phase totals as lines of text, in PHASES order."""
    lines = []
    allocating = sum(s.end_ns - s.start_ns for s in stormlog.segments(trace)
                     if s.step == 'allocating')
    lines.append(f'loader={trace.mode} cpus={trace.cpus}: allocating '
                 f'{allocating / 1e6:.1f} ms in all')
    totals = phase_totals(trace)
    for phase in PHASES:
        if phase in totals:
            n, total, longest = totals[phase]
            lines.append(f'  {phase:<18} {n:3d} x, {total / 1e6:8.1f} ms, '
                         f'longest {longest / 1e6:.1f} ms')
    return lines


def draw(trace, storm, prefix):
    """Write prefix.svg and prefix.png; returns their paths."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch
    from matplotlib.ticker import FuncFormatter, MultipleLocator

    matplotlib.rcParams['svg.hashsalt'] = 'mkernel'
    matplotlib.rcParams['hatch.linewidth'] = 0.6

    cpus = max(trace.cpus, 1)
    end_ms = max(trace.end_ns, 1) / 1e6
    order, states = module_states(trace)
    fig, (mods, lanes, chunk) = plt.subplots(
        1, 3, sharey=True, figsize=(3 + 1.1 * cpus + 0.6 * len(order), 10),
        gridspec_kw={'width_ratios': [max(len(order), 1) * 0.6, cpus, 2.2]})

    # Left: the modules' states.
    for module, state, start, end in states:
        x = order.index(module)
        mods.bar(x, (end - start) / 1e6, bottom=start / 1e6, width=0.7,
                 color=STATE_COLOURS.get(state, 'black'), linewidth=0)
    mods.set_xticks(range(len(order)))
    mods.set_xticklabels(order, rotation=60, ha='right', fontsize='small')
    mods.set_xlim(-0.6, max(len(order), 1) - 0.4)
    mods.set_title('modules\nin the list', fontsize='small')
    mods.set_ylabel('time since the storm began (ms), running down')

    # Middle: a column per CPU.
    segs = stormlog.segments(trace)
    lanes.bar([s.cpu for s in segs], [(s.end_ns - s.start_ns) / 1e6 for s in segs],
              bottom=[s.start_ns / 1e6 for s in segs], width=0.8,
              color=[STEP_COLOURS.get(s.step, 'black') for s in segs], linewidth=0)
    percpu = [p for p in allocating_phases(trace) if p[2] != 'module memory']
    if percpu:
        lanes.bar([p[0] for p in percpu], [(p[4] - p[3]) / 1e6 for p in percpu],
                  bottom=[p[3] / 1e6 for p in percpu], width=0.8, fill=False,
                  hatch='////', edgecolor='#7a3b00', linewidth=0)
    for s in segs:      # the module's name where there is room
        if (s.end_ns - s.start_ns) / 1e6 > end_ms / 40 and s.step != 'done':
            lanes.text(s.cpu, (s.start_ns + s.end_ns) / 2e6, f'{s.step}\n{s.module}',
                       ha='center', va='center', fontsize=6)
    failed = stormlog.failures(trace)
    if failed:
        lanes.plot([e.cpu for e in failed], [e.ns / 1e6 for e in failed],
                   linestyle='none', marker='X', markersize=10,
                   color=FAILURE_COLOUR, markeredgecolor='white')
    first = first_unformed(trace)
    if first:
        module, cpu, start, end, waiters = first
        for ax in (mods, lanes):
            ax.axhspan(start / 1e6, end / 1e6, color=BAND_COLOUR, alpha=0.18,
                       linewidth=0, zorder=0)
        said = (f'{module} UNFORMED (listed by CPU {cpu}):\n'
                + (f'CPU {", ".join(map(str, waiters))} arrive and wait'
                   if waiters else 'no other CPU reaches the name check'))
        lanes.annotate(said, xy=(cpu, start / 1e6), xytext=(cpus - 0.5, start / 1e6),
                       ha='right', va='bottom', fontsize=7,
                       bbox=dict(boxstyle='round', fc='white', ec=BAND_COLOUR))
    lanes.set_xticks(range(cpus))
    lanes.set_xticklabels([f'CPU {c}' for c in range(cpus)], fontsize='small')
    lanes.set_xlim(-0.6, cpus - 0.4)
    lanes.set_title('what each CPU\'s load is doing', fontsize='small')

    # Right: the reserved chunk's fill.
    curve = stormlog.reserved_curve(trace)
    if curve:
        xs, ys = [], []
        for i, (t, used) in enumerate(curve):
            until = curve[i + 1][0] if i + 1 < len(curve) else trace.end_ns
            xs += [used, used]
            ys += [t / 1e6, until / 1e6]
        chunk.fill_betweenx(ys, 0, xs, color=USE_COLOUR, alpha=0.3, linewidth=0)
        chunk.plot(xs, ys, color=USE_COLOUR)
    size = trace.reserved_size
    top = max(trace.reserved_peak, size if isinstance(size, int) else 0, 1)
    if isinstance(size, int) and size > 0:
        chunk.axvline(size, linestyle='--', color=FAILURE_COLOUR)
        chunk.xaxis.set_major_locator(MultipleLocator(max(size // 2, 1)))
    if failed and isinstance(size, int):
        chunk.plot([size] * len(failed), [e.ns / 1e6 for e in failed], linestyle='none',
                   marker='X', markersize=7, color=FAILURE_COLOUR, markeredgecolor='white')
    chunk.xaxis.set_major_formatter(FuncFormatter(lambda v, _: stormlog.human_bytes(int(v))))
    chunk.set_xlim(0, top * 1.1)
    chunk.set_title('reserved per-CPU\nchunk in use', fontsize='small')
    chunk.tick_params(axis='x', labelsize='small')

    lanes.set_ylim(end_ms * 1.01, 0)    # time runs down
    for ax in (mods, lanes, chunk):
        ax.grid(True, axis='y', alpha=0.3)

    handles = [Patch(color=STEP_COLOURS[step], label=step) for step in STEP_COLOURS
               if any(s.step == step for s in segs)]
    if percpu:
        handles.append(Patch(facecolor=STEP_COLOURS['allocating'], hatch='////',
                             edgecolor='#7a3b00', label='allocating, module memory\nalready had'))
    handles += [Patch(color=STATE_COLOURS[s], label=f'module {s}') for s in STATE_COLOURS
                if any(st == s for _, st, _, _ in states)]
    if failed:
        handles.append(Line2D([], [], linestyle='none', marker='X', markersize=10,
                              color=FAILURE_COLOUR, markeredgecolor='white', label='load failed'))
    if isinstance(size, int):
        handles.append(Line2D([], [], linestyle='--', color=FAILURE_COLOUR,
                              label=f'reserved_size {stormlog.human_bytes(size)}'))
    fig.legend(handles=handles, loc='lower center', ncol=min(len(handles), 6),
               fontsize='small')
    title = f'race timeline: loader={trace.mode}, {trace.cpus} CPUs'
    if storm:
        title += ('\n' + ' '.join(f'{k}={storm[k]}' for k in
                                  ('requests', 'loaded', 'eexist', 'failed',
                                   'reserved_peak', 'reserved_demand') if k in storm))
    problems = trace.problems()
    if problems:
        title += '\nwarning: ' + '; '.join(problems)
    fig.suptitle(title, fontsize='medium')
    fig.tight_layout(rect=(0, 0.08, 1, 1))
    return stormlog.save_figure(fig, prefix)


def main(argv=None):
    got = stormlog.read_trace_args('timeline', __doc__.split('\n')[0], argv)
    if got is None:
        return 1
    args, text, trace = got
    for line in phase_report(trace):
        print(f'timeline: {line}')
    drawn = stormlog.draw_or_say('timeline', draw, trace, stormlog.parse_storm(text),
                                 args.out_prefix)
    if drawn is None:
        return 1
    print(f'timeline: {drawn[0]}, {drawn[1]}')
    return 0

if __name__ == '__main__':
    sys.exit(main())
