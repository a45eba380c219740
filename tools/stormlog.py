#!/usr/bin/python3
"""tools/stormlog.py - read the storm's lines out of a serial log.

Shared by tools/trace2svg.py, tools/compare.py and the tests' storm boots
(tests/storm_checks.py), and tested on its own by tests/tools_check.py.
Standard library only: parsing needs no matplotlib.

The kernel prints, at the end of the storm (a stable line: scripts read it):

  storm: loader=MODE cpus=N requests=R loaded=L eexist=E ebusy=B failed=F
         reserved_peak=BYTES reserved_size=BYTES modmem_peak=BYTES
         dup_bytes=BYTES elapsed_us=US merged=M
         reserved_demand=BYTES                            (one line)

and, with trace=1, what every CPU did (kernel/module/trace.c):

  trace: begin loader=unformed cpus=8 reserved_size=8192 events=412
  trace: <ns> <cpu> <event> <module> <arg> <reserved_used>
  trace: end events=412 dropped=0

Keys may be added to the key=value lines at any time, so they are read
generically.  Lines are found anywhere in the log and may carry a prefix
(a timestamp, another console's debris) or a trailing carriage return:
the serial port ends lines with CR LF.
"""
import re
import sys
from dataclasses import dataclass, field

import klog

# The steps a CPU's load goes through: each lasts until that CPU's next
# step.  "idle" is a step too, but one with nothing to draw.
STEPS = ('reading', 'allocating', 'waiting', 'relocating', 'init', 'done',
         'eexist', 'ebusy', 'failed', 'idle')
# Points in time, not steps.
EVENTS = ('request', 'outcome', 'listed', 'state', 'wait_end',
          'modmem_alloc', 'percpu_alloc', 'percpu_free')
STATES = ('UNFORMED', 'COMING', 'LIVE', 'GOING')

# The loader generations, oldest first (kernel/module/main.c).
MODES = ('legacy', 'seed', 'unformed', 'idempotent')

# The storm line's keys, in the order of the output contract.
STORM_KEYS = ('loader', 'cpus', 'requests', 'loaded', 'eexist', 'ebusy',
              'failed', 'reserved_peak', 'reserved_size', 'modmem_peak',
              'dup_bytes', 'elapsed_us', 'merged', 'reserved_demand')
# The storm line in full, as a regex for re.search(STORM_LINE, log, re.M):
# every key above, in that order, the loader's name a word and the rest
# numbers; keys added later may follow.  parse_storm() reads any storm
# line; this is for a test that wants a whole one.  Anchored at the
# start of the line, as the tests' other patterns are: match it against
# a log with its timestamps taken off (klog.untimed()).
STORM_LINE = '^storm: ' + ' '.join(
    rf'{key}=\w+' if key == 'loader' else rf'{key}=\d+' for key in STORM_KEYS)

_STORM = re.compile(r'(?:^|\s)storm: (loader=\S+(?: \S+=\S*)*)\s*$')
_BEGIN = re.compile(r'(?:^|\s)trace: begin((?: \S+=\S*)*)\s*$')
_END = re.compile(r'(?:^|\s)trace: end((?: \S+=\S*)*)\s*$')
_EVENT = re.compile(r'(?:^|\s)trace: (\d+) (\d+) ([a-z_]+) (\S+) (-?\w+) (\d+)\s*$')


def value(text):
    """An int when it looks like one, else the text as is."""
    return int(text) if re.fullmatch(r'-?\d+', text) else text


def parse_kv(text):
    """{'key': value} from 'key=value key=value ...'."""
    out = {}
    for word in text.split():
        key, _, val = word.partition('=')
        out[key] = value(val)
    return out


def lines(text):
    return klog.untimed(text.replace('\r', '')).splitlines()


def parse_storm(text):
    """The storm line's figures as a dict, or None when the log has none
    (the boot failed before the end of the storm).  The last one wins:
    a log holds one storm, but a kernel that repeated it reports last."""
    storm = None
    for line in lines(text):
        m = _STORM.search(line)
        if m:
            storm = parse_kv(m.group(1))
    return storm


def whole(storm):
    """Whether parse_storm()'s figures hold every key of STORM_KEYS, with
    a number for each but the loader: what a test can do sums with."""
    return (storm is not None and isinstance(storm.get('loader'), str) and
            all(isinstance(storm.get(key), int) for key in STORM_KEYS[1:]))


@dataclass
class Event:
    ns: int
    cpu: int
    event: str
    module: str
    arg: object     # bytes or errno (int), or a state's name
    reserved_used: int


@dataclass
class Segment:
    """One CPU in one step, from start_ns until end_ns."""
    cpu: int
    step: str
    module: str
    start_ns: int
    end_ns: int


@dataclass
class Trace:
    begin: dict
    end: dict = None        # None: the log stops before the end line
    events: list = field(default_factory=list)
    unknown: int = 0        # event lines with a name not listed above

    @property
    def mode(self):
        return self.begin.get('loader', '?')

    @property
    def cpus(self):
        """Lanes to draw: as many as the kernel said were online, or as
        the highest CPU seen."""
        seen = max((e.cpu for e in self.events), default=-1) + 1
        n = self.begin.get('cpus', 0)
        return max(n if isinstance(n, int) else 0, seen)

    @property
    def reserved_size(self):
        return self.begin.get('reserved_size')

    @property
    def end_ns(self):
        return max((e.ns for e in self.events), default=0)

    @property
    def reserved_peak(self):
        return max((e.reserved_used for e in self.events), default=0)

    def problems(self):
        """What says the trace is not whole, one phrase each."""
        out = []
        if self.end is None:
            out.append('no "trace: end" line (log cut short?)')
        want = self.begin.get('events')
        if isinstance(want, int) and want != len(self.events):
            out.append(f'begin says {want} events, log has {len(self.events)}')
        if self.end and self.end.get('dropped', 0):
            out.append(f'{self.end["dropped"]} events dropped (buffers full)')
        if self.unknown:
            out.append(f'{self.unknown} events of unknown kind ignored')
        return out


def parse_trace(text):
    """The trace between "trace: begin" and "trace: end", or None when
    the log has no trace (booted without trace=1).  With several, the
    last one."""
    trace = None
    for line in lines(text):
        m = _BEGIN.search(line)
        if m:
            trace = Trace(begin=parse_kv(m.group(1)))
            continue
        if trace is None or trace.end is not None:
            continue
        m = _END.search(line)
        if m:
            trace.end = parse_kv(m.group(1))
            continue
        m = _EVENT.search(line)
        if not m:
            continue
        ns, cpu, event, module, arg, used = m.groups()
        if event not in STEPS and event not in EVENTS:
            trace.unknown += 1
            continue
        trace.events.append(Event(int(ns), int(cpu), event, module,
                                  value(arg), int(used)))
    if trace:
        # Printed merged in time order already; sort anyway (stable)
        # so a hand-edited or concatenated log still draws right.
        trace.events.sort(key=lambda e: e.ns)
    return trace


def segments(trace):
    """Each CPU's steps as Segments: a step lasts until the same CPU's
    next step, and the last one until the trace's last event.  Idle
    steps are left out: they are the gaps between loads."""
    out = []
    current = {}        # cpu -> (step, module, start)
    end = trace.end_ns
    for e in trace.events:
        if e.event not in STEPS:
            continue
        prev = current.get(e.cpu)
        if prev and prev[0] != 'idle':
            out.append(Segment(e.cpu, prev[0], prev[1], prev[2], e.ns))
        current[e.cpu] = (e.event, e.module, e.ns)
    for cpu, (step, module, start) in sorted(current.items()):
        if step != 'idle':
            out.append(Segment(cpu, step, module, start, end))
    return out


def failures(trace):
    """The events to mark as failures: every "failed" step."""
    return [e for e in trace.events if e.event == 'failed']


def reserved_curve(trace):
    """[(ns, bytes)] of the reserved chunk's use: a step function, each
    value holding until the next point."""
    curve = []
    for e in trace.events:
        if curve and curve[-1][0] == e.ns:
            curve[-1] = (e.ns, e.reserved_used)
        elif not curve or curve[-1][1] != e.reserved_used:
            curve.append((e.ns, e.reserved_used))
    return curve


def save_figure(fig, prefix):
    """PREFIX.svg (reproducible: no date inside) and PREFIX.png; closes
    the figure.  Returns the two paths."""
    import pathlib
    import matplotlib.pyplot as plt
    prefix = pathlib.Path(prefix)
    prefix.parent.mkdir(parents=True, exist_ok=True)
    svg = prefix.with_name(prefix.name + '.svg')
    png = prefix.with_name(prefix.name + '.png')
    fig.savefig(svg, metadata={'Date': None})
    fig.savefig(png, dpi=100)
    plt.close(fig)
    return svg, png


def draw_or_say(prog, draw, *args):
    """draw(*args), which writes pictures; when it cannot (no matplotlib,
    a file that cannot be written), one line on standard error naming
    prog, and None."""
    try:
        return draw(*args)
    except ImportError as e:
        print(f'{prog}: {e}: install python3-matplotlib (make deps)', file=sys.stderr)
    except OSError as e:
        print(f'{prog}: {e}', file=sys.stderr)
    return None


def read_trace_args(prog, description, argv):
    """The command line of the trace pictures, LOG OUT_PREFIX: (args, the
    log's text, its trace), the trace's problems said as warnings; None
    after one line on standard error when there is no trace to draw."""
    import argparse
    import pathlib
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument('log', help='the serial log of a boot with trace=1')
    ap.add_argument('out_prefix', help='writes OUT_PREFIX.svg and OUT_PREFIX.png')
    args = ap.parse_args(argv)
    try:
        text = pathlib.Path(args.log).read_text(errors='replace')
    except OSError as e:
        print(f'{prog}: {e}', file=sys.stderr)
        return None
    trace = parse_trace(text)
    if trace is None or not trace.events:
        print(f'{prog}: {args.log}: no trace events (boot with trace=1)', file=sys.stderr)
        return None
    for problem in trace.problems():
        print(f'{prog}: {args.log}: warning: {problem}', file=sys.stderr)
    return args, text, trace


def human_bytes(n):
    """4096 -> '4 KiB', 1536 -> '1.5 KiB', 300 -> '300 B'."""
    if not isinstance(n, int):
        return str(n)
    for unit, size in (('GiB', 1 << 30), ('MiB', 1 << 20), ('KiB', 1 << 10)):
        if abs(n) >= size:
            return f'{n / size:.4g} {unit}'
    return f'{n} B'
