#!/usr/bin/python3
"""tests/docs_check.py - the teaching text checked against the code.

For README.md and every docs/*.md, five results, one per kind of claim:

  docs/FILE: paths           every file path it names exists
  docs/FILE: symbols         every function or symbol it names exists
  docs/FILE: make            every `make` target and variable exists
  docs/FILE: cmdline keys    every command-line key is declared
  docs/FILE: kernel output   every quoted output line is one the code prints

and a self-test ("docs check: catches ..."): a deliberately broken
chapter, one bad line of each kind, must give each failure.

Run alone: /usr/bin/python3 tests/docs_check.py [BUILD] (a second or
two); tests/run.py calls check().  Standard library only.

The rules (what counts as what):

Where claims are read.  Inline code spans (`...`) and link targets in the
prose and tables; fenced blocks (```) and indented blocks (4 spaces after
a blank line, not inside a list) for commands and quoted output.  ```c
blocks are code excerpts and are not read.  HTML comments are skipped,
except one: a chapter with exercises declares what they have the reader
make, `<!-- docs-check: made by the reader: modules/hello_user/ ... -->`,
and a finding that names one of those words is no finding.

The code.  C, headers and NASM under kernel/ mm/ include/ modules/ tools/
tests/ boot/ (comments stripped), the Python and shell programs there,
and the Makefile.  The strings of tests/boots.py and storm_checks.py
(command lines, and the patterns a log must match) are not formats of
output.

Paths.  A span (or link target) is a path when it has a '/' and its first
folder is one of the repository's top-level folders (boot/, docs/,
kernel/ ...), starts with ./ or ../, or when it is one word ending in a
file extension of ours (.c .h .asm .py .sh .md .ko .cpio ...).
  * A repository path must exist; `*` and `<placeholder>` are wildcards
    and must match at least one file.  Links resolve from the chapter.
  * build/... is a build output: it must match a $(O)/... path the
    Makefile writes, or one of BUILD_OUTPUTS below (written by tools/ and
    tests/, each with the file that writes it).
  * A bare file name (`vga.c`, `kvm.ko`) must be the name of some file in
    the repository, of a build output, or appear in the code's strings.
  * Other relative paths (`etc/storm.conf`, `lib/modules/`: the initrd's
    tree; `swapper/N`) must start with a folder the code's strings name.
  * Absolute paths (`/dev/kvm`, `/tmp/...`) are the host's: not checked.

Functions and symbols.
  * `name()` or `name(args)`: name must be defined or declared: at the
    start of a line of C (a definition or prototype, kernel style), a
    #define, a function pointer member `(*name)(`, a NASM label or global,
    a Python def or a shell function.
  * `struct name`: a `struct name {` exists.
  * A bare identifier that looks like a symbol (it has an underscore, as
    `module_mutex`, `MODULE_STATE_UNFORMED`, `__per_cpu_start`; optionally
    with [index] or a * wildcard) must occur in the code (strings count:
    `reserved_peak` is a key the storm line prints).  Single words without
    an underscore (`kvm`, `legacy`, `APIC`) are English or acronyms: not
    checked.
  * Linux's own names, which the text names beside ours, are accepted
    when the chapter attributes them to Linux: the name is in
    tests/docs_linux_names.txt (short, each justified) or in
    docs/linux-commits.md, or its sentence says "Linux".
Make.  In a span or a command line (`make TARGET... VAR=value...`):
  each target is a Makefile target (explicit or .PHONY) or a build/ path
  a pattern rule makes; each VAR is assigned (= := ?= +=) or read
  ($(VAR)) by the Makefile.  A span `VAR=...` with VAR in capitals is a
  make variable too.
Command-line keys.  Each key in CMDLINE="..." (in a make command or a
  span), each span `key=value`/`key=` and each span `a.b` that is no file
  name: a BOOT_PARAM_FLAG/UINT/STRING key, or `<module>.<param>` with
  module_param(param, ...) in modules/<module>/.  A span `key=` whose key
  is no parameter is accepted only when the code writes `key=` (a key of
  the storm line, of .modinfo, a monitor argument): a misspelt parameter
  is caught.
Kernel output.  In a block, the lines are sorted thus:
  * a block that draws (box characters: +--, |, ─, │, ►, -->) or a
    block with no output line in it is a picture or a listing: skipped.
    A block has output when a line starts with "mkernel> " or "$ ", or
    with a timestamp, or with a prefix the code prints ("smp: ",
    "ACPI: ", ...), or matches a format;
  * "...", blank lines and lines of foreign programs (qemu-system-x86_64:,
    lsblk ...) are skipped;
  * "mkernel> CMD": CMD must be a monitor command (MONITOR_COMMAND);
  * "$ CMD" and the lines of ```sh blocks are shell commands: the make
    words in them are checked as above;
  * any other line is output: after its timestamp "[    1.234567] " and
    dmesg's "<N>" are taken off and runs of spaces squeezed, it must
    match a format string of the code (C printk/pr_*/mon_printf/snprintf
    ... strings split at \\n, with %d %u %lu %llu %zu %x %lx %s %c %p and
    their flags and widths as wildcards; Python strings with {...} and %;
    shell strings with $var), or be a line of a real log the tests wrote
    (BUILD/test/*.log, when present).  A "..." inside a line stands for
    anything.
"""
import ast
import fnmatch
import glob
import os
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
import klog  # noqa: E402

SOURCE_DIRS = ('kernel', 'mm', 'include', 'modules', 'tools', 'tests', 'boot')
LINUX_NAMES = ROOT / 'tests' / 'docs_linux_names.txt'
KINDS = ('paths', 'symbols', 'make', 'cmdline keys', 'kernel output')

# Build outputs that programs other than the Makefile write, and the file
# that writes each (checked: the file must exist).
BOOT_DECLARATIONS = ('boots.py', 'storm_checks.py')
BUILD_OUTPUTS = {
    r'build/test(/[^/]+)?': 'tests/harness.py',
    r'build/clang(/.*)?': 'tests/clang_check.py',
    r'build/compare/.*': 'tools/compare.py',
    r'build/compare-linux(/.*)?': 'tools/compare-linux.py',
    r'build/reloc-oracle(/.*)?': 'tools/ldoracle.py',
    r'build/fuzz/(corpus|test-corpus|artifacts)(/.*)?': 'tests/fuzz/fuzz.py',
    r'build/fuzz/[a-z0-9_]+\.log': 'tests/fuzz/fuzz.py',
}
EXTENSIONS = ('c', 'h', 'asm', 'inc', 'py', 'sh', 'md', 'ld', 'cfg', 'conf',
              'ko', 'o', 'elf', 'cpio', 'iso', 'svg', 'png', 'log', 'txt',
              'pf2', 'EFI', 'bin', 'json', 'mod.c')
FOREIGN = ('qemu-system-x86_64:', 'qemu-system-x86_64 ', 'lsblk', 'sudo ')
C_KEYWORDS = {'sizeof', 'if', 'for', 'while', 'switch', 'return', 'typeof',
              '__attribute__', 'asm', '__asm__', 'defined', 'offsetof'}
SHELL_WORDS = {'make', 'sudo', 'timeout', 'head', 'find', 'mkdir', 'cpio',
               'sync', 'lsblk', 'dd', 'echo', 'gdb', 'objdump', 'readelf',
               'nm', 'od', 'grep', 'cat', 'python3', '/usr/bin/python3',
               'env', 'cd', 'git', 'ls', 'cp', 'rm', 'apt-get', 'tee',
               'qemu-system-x86_64', 'bochs', 'script', 'xxd', 'CMOCKA_MESSAGE_OUTPUT=TAP'}
PICTURE = re.compile(r'\+--|--\+|─|│|►|◄|▼|-->|<--|\|\s|\s\|')
# A format that matches one of these would print any sentence: it proves
# nothing about a quoted line, and is left out.
PROBES = ('the quick brown fox jumps over the lazy dog',
          'smp: all CPUs went to lunch after 12 ms', 'smp: all CPUs went',
          'Lorem ipsum dolor sit amet', 'ab cd ef gh', 'ab: cd', 'a b',
          'the answer is 42')


# ---- reading the code -------------------------------------------------

C_TOKEN = re.compile(r'//[^\n]*|/\*.*?\*/|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'',
                     re.S)


def strip_c_comments(text):
    """The C text without comments (newlines kept, so lines stay lines)."""
    def repl(m):
        s = m.group(0)
        if s.startswith('/'):
            return '\n' * s.count('\n') if s.startswith('/*') else ''
        return s
    return C_TOKEN.sub(repl, text)


def c_unescape(body):
    out, i = [], 0
    while i < len(body):
        ch = body[i]
        if ch == '\\' and i + 1 < len(body):
            nxt = body[i + 1]
            i += 2
            if nxt == 'n':
                out.append('\n')
            elif nxt == 't':
                out.append('\t')
            elif nxt in 'x':
                m = re.match(r'[0-9a-fA-F]{1,2}', body[i:])
                if m:
                    i += len(m.group(0))
            elif nxt in '01234567':
                m = re.match(r'[0-7]{0,2}', body[i:])
                i += len(m.group(0))
            else:
                out.append(nxt)
            continue
        out.append(ch)
        i += 1
    return ''.join(out)


C_STRING_RUN = re.compile(r'"(?:\\.|[^"\\\n])*"(?:(?:\s|\b[A-Z][A-Z0-9_]*\b)*"(?:\\.|[^"\\\n])*")*')


def c_strings(code):
    """The string literals of comment-stripped C, adjacent ones (and those
    with a KERN_* style macro between them) joined; a format whose
    arguments are all literals also with them put in (a table's header)."""
    for m in C_STRING_RUN.finditer(code):
        parts = re.findall(r'"((?:\\.|[^"\\\n])*)"', m.group(0))
        fmt = c_unescape(''.join(parts))
        yield fmt
        args = re.match(r'((?:\s*,\s*"(?:\\.|[^"\\\n])*")+)\s*\)', code[m.end():])
        if args:
            lits = [c_unescape(a) for a in re.findall(r'"((?:\\.|[^"\\\n])*)"', args.group(1))]
            convs = list(C_CONV.finditer(fmt))
            if [c.group(5) for c in convs if c.group(5) != '%'] == ['s'] * len(lits):
                it = iter(lits)
                yield C_CONV.sub(lambda c: '%' if c.group(5) == '%' else
                                 ('%-' if c.group(1) == '-' else '%') + (c.group(2) or '') + 's'
                                 and next(it), fmt)


C_CONV = re.compile(r'%([-+ #0]*)(\d+|\*)?(?:\.(\d+|\*))?(hh|h|ll|l|z|j|t|L|q)?([diouxXcsp%])')
PY_FIELD = re.compile(r'\{[^{}]*\}')
SH_VAR = re.compile(r'\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_0-9@*#?]+')
WILD = '\x00'  # stands for a conversion while a format is turned to a regex


def format_regex(text, kind):
    """A format piece (one line of it) as a regex over squeezed text."""
    if kind == 'py':
        text = PY_FIELD.sub(WILD, text.replace('{{', '{').replace('}}', '}'))
    elif kind == 'sh':
        text = SH_VAR.sub(WILD, text)
    pieces, pos = [], 0
    for m in C_CONV.finditer(text):
        pieces.append(re.escape(text[pos:m.start()]) if m.start() > pos else '')
        conv = m.group(5)
        if conv == '%':
            pieces.append('%')
        elif conv == 's':
            pieces.append(' ?.*? ?')
        elif conv == 'c':
            pieces.append(' ?.? ?')
        elif conv in 'xXp':
            pieces.append(' ?(?<![0-9a-fA-F])(?:0x)?[0-9a-fA-F]+(?![0-9a-fA-F]) ?|(?:\\(null\\))')
            pieces[-1] = '(?:' + pieces[-1] + ')'
        else:
            pieces.append(' ?(?<!\\d)[-+]?\\d+(?!\\d) ?')
        pos = m.end()
    pieces.append(re.escape(text[pos:]))
    rx = ''.join(pieces)
    rx = rx.replace(re.escape(WILD), ' ?.*? ?').replace(WILD, ' ?.*? ?')
    # Runs of blanks in the format: any run (the doc's are squeezed).
    rx = re.sub(r'(?:\\ |\\\t|\s)+', ' ?', rx)
    return rx


def squeeze(line):
    return re.sub(r'\s+', ' ', line).strip()


class Code:
    """What the code declares, read once."""

    def __init__(self, root=ROOT, build=None):
        self.root = root
        self.funcs, self.words, self.structs = set(), set(), set()
        self.params, self.module_params = set(), {}
        self.commands = set()
        self.strings = []           # (text, kind)
        self.files, self.basenames = set(), set()
        self.blob = []              # the code's text, for `key=` and `a.b`
        self._read_files()
        self._read_sources()
        self._read_makefile()
        self._formats()
        self.blob = '\n'.join(self.blob)
        self.pasted = set(re.findall(r'(\w+_)\s*##', self.blob))
        self.log_lines = set()
        if build is not None:
            for log in sorted(pathlib.Path(build).glob('test/*.log')) + \
                    sorted(pathlib.Path(build).glob('hostile/MANIFEST')):
                for line in log.read_text(errors='replace').splitlines():
                    self.log_lines.add(squeeze(clean_output(line)))
        self.linux_names = set()
        for f in (LINUX_NAMES, root / 'docs' / 'linux-commits.md'):
            if f.exists():
                text = f.read_text()
                if f.suffix == '.txt':
                    text = '\n'.join(l.split('#')[0] for l in text.splitlines())
                self.linux_names |= set(re.findall(r'[A-Za-z_]\w*', text))

    def _read_files(self):
        for dirpath, dirnames, filenames in os.walk(self.root):
            rel = os.path.relpath(dirpath, self.root)
            if rel == '.':
                dirnames[:] = [d for d in dirnames if d not in ('build', '.git')]
            for d in dirnames:
                self.files.add(os.path.normpath(os.path.join(rel, d)) + '/')
            for f in filenames:
                self.files.add(os.path.normpath(os.path.join(rel, f)))
                self.basenames.add(f)
        self.top = {f.split('/')[0] for f in self.files}

    def _read_sources(self):
        for d in SOURCE_DIRS:
            for path in sorted((self.root / d).rglob('*')):
                if not path.is_file() or path == pathlib.Path(__file__).resolve():
                    continue
                try:
                    text = path.read_text()
                except (UnicodeDecodeError, OSError):
                    continue
                suffix = path.suffix
                if suffix in ('.c', '.h'):
                    self._read_c(text, path)
                elif suffix in ('.asm', '.inc'):
                    self._read_asm(text)
                elif suffix == '.py':
                    # tests/boots.py and storm_checks.py declare boots:
                    # their strings are command lines and the patterns
                    # expected of the log, not output (" loader=%s"
                    # would "print" any storm line).
                    self._read_py(text, formats=path.name not in BOOT_DECLARATIONS)
                elif suffix == '.sh' or text.startswith('#!/bin/sh') or text.startswith('#!/bin/bash'):
                    self._read_sh(text)
                elif suffix in ('.conf', '.cfg', '.ld'):
                    self.blob.append(text)
                    self.words |= set(re.findall(r'[A-Za-z_]\w*', text))

    def _read_c(self, text, path):
        code = strip_c_comments(text)
        self.words |= set(re.findall(r'[A-Za-z_]\w*', code))
        # Defined, declared or called: under -Werror (implicit declarations
        # are errors) a call compiles only when the name is declared.
        bare = re.sub(r'"(?:\\.|[^"\\\n])*"', '""', code)
        self.funcs |= set(re.findall(r'([A-Za-z_]\w*)\s*\(', bare)) - C_KEYWORDS
        self.blob.append(code)
        self.funcs |= set(re.findall(r'#\s*define\s+([A-Za-z_]\w*)', code))
        self.funcs |= set(re.findall(r'\(\s*\*\s*([A-Za-z_]\w*)\s*\)\s*\(', code))
        self.structs |= set(re.findall(r'\bstruct\s+([A-Za-z_]\w*)\s*\{', code))
        for s in c_strings(code):
            self.strings.append((s, 'c'))
        for m in re.finditer(r'BOOT_PARAM_(?:FLAG|UINT|STRING)\s*\(\s*\w+\s*,\s*"([^"]+)"', code):
            self.params.add(m.group(1))
        rel = path.relative_to(self.root).parts
        if rel[0] == 'modules' and len(rel) > 2:
            for m in re.finditer(r'^\s*module_param\s*\(\s*(\w+)', code, re.M):
                self.module_params.setdefault(rel[1], set()).add(m.group(1))
        for m in re.finditer(r'MONITOR_COMMAND\s*\(\s*\w+\s*,\s*"([^"]+)"', code):
            self.commands.add(m.group(1))

    def _read_asm(self, text):
        code = re.sub(r';[^\n]*', '', text)
        self.words |= set(re.findall(r'[A-Za-z_.]\w*', code))
        self.funcs |= set(re.findall(r'^\s*([A-Za-z_]\w*):', code, re.M))
        self.funcs |= set(re.findall(r'^\s*global\s+([A-Za-z_]\w*)', code, re.M))

    def _read_py(self, text, formats=True):
        self.words |= set(re.findall(r'[A-Za-z_]\w*', re.sub(r'#[^\n]*', '', text)))
        try:
            tree = ast.parse(text)
        except SyntaxError:
            return
        for node in ast.walk(tree):
            if isinstance(node, (ast.FunctionDef, ast.ClassDef)):
                self.funcs.add(node.name)
                self.words.add(node.name)
            elif isinstance(node, ast.Name):
                self.words.add(node.id)
            elif isinstance(node, ast.Attribute):
                self.words.add(node.attr)
            elif not formats:
                continue
            elif isinstance(node, ast.JoinedStr):
                self.strings.append((''.join(
                    v.value if isinstance(v, ast.Constant) else WILD
                    for v in node.values), 'py'))
            elif isinstance(node, ast.Constant) and isinstance(node.value, str):
                self.strings.append((node.value, 'py'))
        self.blob.append(text)

    def _read_sh(self, text):
        code = '\n'.join(l for l in text.splitlines() if not l.lstrip().startswith('#'))
        self.blob.append(code)
        self.words |= set(re.findall(r'[A-Za-z_]\w*', code))
        self.funcs |= set(re.findall(r'^\s*([A-Za-z_]\w*)\s*\(\)', code, re.M))
        for m in re.finditer(r'"((?:\\.|[^"\\])*)"|\'([^\']*)\'', code):
            self.strings.append((m.group(1) if m.group(1) is not None else m.group(2), 'sh'))

    def _read_makefile(self):
        text = (self.root / 'Makefile').read_text()
        joined = re.sub(r'\\\n', ' ', text)
        code = '\n'.join(l for l in joined.splitlines() if not l.startswith('#'))
        self.words |= set(re.findall(r'[A-Za-z_]\w*', code))
        self.make_vars = set(re.findall(r'^\s*([A-Za-z_]\w*)\s*(?:\?=|:=|\+=|=)', code, re.M))
        self.make_vars |= set(re.findall(r'\$\((?:origin\s+)?([A-Za-z_]\w*)\)', code))
        m = re.search(r'^O\s*\?=\s*(\S+)', code, re.M)
        self.make_default_o = m and m.group(1)
        self.make_targets = set()
        for m in re.finditer(r'^([^\s#:=][^:=]*?)\s*::?(?!=)(.*)$', code, re.M):
            names, rest = m.group(1).split(), m.group(2)
            if names and names[0] == '.PHONY':
                self.make_targets |= set(rest.split())
            if 'define' in names:
                continue
            self.make_targets |= {n for n in names if '$' not in n and '%' not in n}
        # The paths under $(O) it writes, as regexes over build/...
        variables = dict(re.findall(r'^([A-Z_]+)\s*:?=\s*(\$\(O\)/\S+)\s*$', code, re.M))
        self.build_patterns = []
        for tok in re.findall(r'\$\((?:O|[A-Z_]+)\)(?:[^\s$()]|\$\([^()]*\)|\$\$\([^()]*\))*', code):
            head = re.match(r'\$\(([A-Z_]+)\)', tok).group(1)
            if head != 'O':
                if head not in variables:
                    continue
                tok = variables[head] + tok[len(head) + 3:]
            if not tok.startswith('$(O)/'):
                continue
            tok = re.sub(r'\$\$?\([^()]*\)', WILD, tok[5:]).replace('%', '\x01')
            rx = re.escape('build/' + tok).replace(WILD, '.*').replace('\x01', '[^/]+')
            self.build_patterns.append(rx)
        for rx, writer in BUILD_OUTPUTS.items():
            if (self.root / writer).exists():
                self.build_patterns.append(rx)
        self.strings += [(s, 'sh') for s in re.findall(r"'([^']*)'|\"([^\"]*)\"", code)
                         for s in s if s]

    def _formats(self):
        """Every line of every string, as a regex, by its first two
        characters of literal text ('' when it starts with a wildcard)."""
        self.by_prefix, self.prefixes, self.worded = {}, set(), set()
        seen = set()
        for text, kind in self.strings:
            text = text.replace('\x01', '')
            for piece in text.split('\n'):
                piece = re.sub(r'^\x01?\d?', '', piece) if kind == 'c' and piece[:1] == '\x01' else piece
                if not piece.strip() or (piece, kind) in seen:
                    continue
                seen.add((piece, kind))
                literal = SH_VAR.sub('', PY_FIELD.sub('', C_CONV.sub('', piece)))
                numeric = any(c.group(5) in 'diouxXp' for c in C_CONV.finditer(piece))
                if len(re.findall(r'[A-Za-z0-9]', literal)) < 2 and not numeric:
                    continue        # "%s/%s": any two words
                rx = format_regex(piece, kind)
                try:
                    compiled = re.compile(rx)
                except re.error:
                    continue
                if any(compiled.fullmatch(p) for p in PROBES):
                    continue        # "%s: %s" would print anything
                lead = squeeze(piece)
                m = re.match(r'[A-Za-z0-9_ #<>()\[\]./=:-]{2}', lead)
                key = lead[:2] if m and '%' not in lead[:2] else ''
                self.by_prefix.setdefault(key, []).append(compiled)
                if re.search(r'[A-Za-z]{3}', literal):
                    self.worded.add(compiled)
                p = re.match(r'([A-Za-z][\w.\[\]-]*(?: [A-Za-z]+)?): ', lead)
                if p and '%' not in p.group(1):
                    self.prefixes.add(p.group(1))

    # ---- questions ----

    def prints(self, line, worded=False):
        """Whether some format string of the code prints this line (with
        worded, one with a word of its own, not just numbers)."""
        cands = self.by_prefix.get(line[:2], []) + self.by_prefix.get('', [])
        for rx in cands:
            if rx.fullmatch(line) and (not worded or rx in self.worded):
                return True
        if worded:
            return False
        # A line printed by two calls (one without a newline, one with).
        for cut in range(2, len(line) - 1):
            head, tail = line[:cut], line[cut:].lstrip()
            if tail and any(rx.fullmatch(head.rstrip()) for rx in
                            self.by_prefix.get(head[:2], [])):
                if any(rx.fullmatch(tail) for rx in self.by_prefix.get(tail[:2], [])):
                    return True
        return False

    def logged(self, line):
        if line in self.log_lines:
            return True
        if '...' in line and self.log_lines:
            rx = re.compile('.*'.join(re.escape(p) for p in line.split('...')))
            return any(rx.fullmatch(l) for l in self.log_lines)
        return False

    def has_prefix(self, line):
        m = re.match(r'([A-Za-z][\w.\[\]-]*(?: [A-Za-z]+)?): ', line)
        return bool(m and m.group(1) in self.prefixes)

    def build_output(self, path):
        return any(re.fullmatch(rx + r'(?:[./].*)?', path) for rx in self.build_patterns)

    def param(self, key):
        if key in self.params:
            return True
        mod, _, name = key.partition('.')
        return bool(name) and name in self.module_params.get(mod, ())


def clean_output(line):
    line = klog.untimed(line.rstrip('\r'))
    return re.sub(r'^<\d>', '', line)


# ---- reading a chapter ---------------------------------------------------

class Chapter:
    """A chapter's claims: (line number, text) for spans, links, blocks."""

    def __init__(self, name, text):
        self.name = name
        self.spans, self.links, self.blocks = [], [], []
        self.sentences = []     # (first line, last line, text)
        lines = text.splitlines()
        i, para, para_start = 0, [], 0
        in_comment = False

        def flush():
            if para:
                self._prose(para_start, para)
            para.clear()

        while i < len(lines):
            line = lines[i]
            if in_comment or line.lstrip().startswith('<!--'):
                in_comment = '-->' not in line
                i += 1
                continue
            fence = re.match(r'^\s*```(\w*)', line)
            if fence:
                flush()
                info, start, body = fence.group(1), i + 1, []
                i += 1
                while i < len(lines) and not re.match(r'^\s*```', lines[i]):
                    body.append(lines[i])
                    i += 1
                self.blocks.append((start + 1, info, body))
                i += 1
                continue
            if (re.match(r'^( {4,}|\t)\S', line) and i > 0 and not lines[i - 1].strip()
                    and not self._in_list(lines, i)):
                flush()
                start, body = i, []
                while i < len(lines) and (re.match(r'^( {4,}|\t)', lines[i]) or
                                          (not lines[i].strip() and i + 1 < len(lines) and
                                           re.match(r'^( {4,}|\t)\S', lines[i + 1]))):
                    body.append(lines[i].strip() and lines[i][4:] or '')
                    i += 1
                self.blocks.append((start + 1, '', body))
                continue
            if not line.strip():
                flush()
            else:
                if not para:
                    para_start = i + 1
                para.append(line)
            i += 1
        flush()

    @staticmethod
    def _in_list(lines, i):
        j = i - 1
        while j >= 0 and not lines[j].strip():
            j -= 1
        while j >= 0 and lines[j].strip():
            if re.match(r'^\s*([*+-]|\d+\.)\s', lines[j]):
                return True
            if not lines[j].startswith(' '):
                return False
            j -= 1
        return False

    def _prose(self, start, para):
        text = '\n'.join(para)
        text_nocode = text
        for m in re.finditer(r'(`+)(.+?)\1', text, re.S):
            lineno = start + text.count('\n', 0, m.start())
            span = re.sub(r'\s+', ' ', m.group(2)).strip()
            self.spans.append((lineno, span, self._sentence(text, m.start(), m.end())))
            text_nocode = text_nocode.replace(m.group(0), 'X' * len(m.group(0)), 1)
        for m in re.finditer(r'\]\(([^)\s]+)\)', text_nocode):
            lineno = start + text.count('\n', 0, m.start())
            self.links.append((lineno, m.group(1)))

    @staticmethod
    def _sentence(text, a, b):
        left = max(text.rfind('. ', 0, a), text.rfind('.\n', 0, a), text.rfind('|', 0, a))
        rights = [x for x in (text.find('. ', b), text.find('.\n', b), text.find('|', b)) if x >= 0]
        return text[left + 1:min(rights) if rights else len(text)]


# ---- the checks -------------------------------------------------------------

IDENT = r'[A-Za-z_]\w*'


class Findings:
    def __init__(self, reader_made=()):
        self.bad = {k: [] for k in KINDS}
        self.count = {k: 0 for k in KINDS}
        self.reader_made = reader_made

    def claim(self, kind, ok, lineno, what):
        self.count[kind] += 1
        # What an exercise has the reader write does not exist yet.
        # (A word ending in / is a folder: what is under it, too.)
        if not ok and any(re.search(rf'(?<![\w/.]){re.escape(w)}' +
                                    ('' if w.endswith('/') else r'(?!\w)'), what)
                          for w in self.reader_made):
            ok = True
        if not ok:
            self.bad[kind].append(f'line {lineno}: {what}')


def looks_like_file(word):
    return any(word.endswith('.' + e) and len(word) > len(e) + 1 and word[0] != '.'
               for e in EXTENSIONS)


def check_path(code, f, lineno, path, chapter, link=False, sentence=''):
    path = path.split('#')[0].rstrip(',;:.').replace('$(O)/', 'build/')
    if not path or path.startswith(('http://', 'https://', 'mailto:')):
        return
    if path.startswith('/'):
        return                      # the host's
    if link or path.startswith(('./', '../')):
        base = os.path.dirname(chapter) if link or path.startswith('../') else ''
        path = os.path.normpath(os.path.join(base, path)) + ('/' if path.endswith('/') else '')
        if path.startswith('..'):
            f.claim('paths', False, lineno, f'`{path}` is outside the repository')
            return
    pattern = re.sub(r'<[^>]*>', '*', path)
    if path == 'build/':
        f.claim('paths', 'build' == code.make_default_o, lineno, '`build/` is not the default O=')
        return
    if path.startswith('build/'):
        concrete = pattern.replace('*', 'X')
        f.claim('paths', code.build_output(concrete.rstrip('/')), lineno,
                f'`{path}`: no rule of the Makefile or tools writes it')
        return
    first = path.split('/')[0]
    if '/' in path and first in code.top:
        want = pattern.rstrip('/')
        ok = any(fnmatch.fnmatchcase(p.rstrip('/'), want) for p in code.files) \
            if '*' in pattern else (want in code.files or want + '/' in code.files)
        f.claim('paths', ok or linux_exempt(code, path, sentence), lineno, f'`{path}` does not exist')
        return
    if '/' not in path:
        ok = (any(fnmatch.fnmatchcase(b, pattern) for b in code.basenames)
              or code.build_output('build/' + pattern.replace('*', 'X'))
              or any(code.build_output(f'build/{d}/{pattern.replace("*", "X")}')
                     for d in ('modules', 'hostile', 'host', 'boot'))
              or any(path in s for s, _ in code.strings))
        f.claim('paths', ok, lineno, f'`{path}`: no such file')
        return
    ok = any(s.startswith(first + '/') or ('/' + first + '/') in s or s == first
             for s, _ in code.strings)
    ok = ok or linux_exempt(code, path, sentence)
    f.claim('paths', ok, lineno, f'`{path}`: neither in the repository nor named by the code')


def linux_exempt(code, name, sentence):
    return name in code.linux_names or re.search(r'\bLinux', sentence) is not None


def check_symbol_span(code, f, lineno, span, sentence):
    m = re.fullmatch(r'(?:struct\s+)?(' + IDENT + r')\s*\((.*)\)', span)
    if m and m.group(1) not in C_KEYWORDS and not span.startswith('struct'):
        name = m.group(1)
        ok = (name in code.funcs or any(name + '(' in s for s, _ in code.strings)
              or linux_exempt(code, name, sentence))
        f.claim('symbols', ok, lineno, f'`{span}`: no function or macro {name}() in the code')
        return
    m = re.fullmatch(r'struct (' + IDENT + r')', span)
    if m:
        ok = m.group(1) in code.structs or linux_exempt(code, m.group(1), sentence)
        f.claim('symbols', ok, lineno, f'`{span}`: no such struct')
        return
    m = re.fullmatch(r'&?([A-Za-z_*][\w*]*)(\[[^\]]*\])?', span)
    if m and '_' in m.group(1) and re.search(r'[A-Za-z]', m.group(1)):
        name = m.group(1)
        if '*' in name:
            ok = any(fnmatch.fnmatchcase(w, name) for w in code.words)
        else:
            # As written, or the tail of a longer name (`fetch_add` of
            # __atomic_fetch_add), or made by pasting (`__ksymtab_sym`
            # from __ksymtab_##sym).
            tail = name if name.startswith('_') else '_' + name
            ok = (name in code.words or any(w.endswith(tail) for w in code.words)
                  or any(name.startswith(p) for p in code.pasted))
        ok = ok or linux_exempt(code, name.rstrip('*'), sentence)
        f.claim('symbols', ok, lineno, f'`{span}`: {name} occurs nowhere in the code')


def check_cmdline(code, f, lineno, value):
    for word in value.split():
        key = word.split('=')[0]
        if not key:
            continue
        f.claim('cmdline keys', code.param(key), lineno,
                f'CMDLINE key `{key}` is no declared parameter')


def check_make_words(code, f, lineno, words):
    """The words after `make`."""
    for w in words:
        if w in ('&&', '||', ';', '|', '#') or w.startswith('#') or w.startswith('>'):
            break
        if w.startswith('-') or not w:
            continue
        m = re.fullmatch(r'([A-Za-z_]\w*)=(.*)', w)
        if m:
            var, val = m.groups()
            f.claim('make', var in code.make_vars, lineno, f'make variable `{var}` is not in the Makefile')
            if var == 'CMDLINE':
                check_cmdline(code, f, lineno, val.strip('"\''))
            continue
        target = w.strip('"\'`,.')
        if target.startswith('build/'):
            ok = code.build_output(target)
        else:
            ok = target in code.make_targets
        f.claim('make', ok, lineno, f'`make {target}`: no such target')


def shell_words(line):
    """A command line split as the shell would, quotes kept together."""
    return re.findall(r'(?:[^\s"\']+|"[^"]*"|\'[^\']*\')+', line)


def check_command(code, f, lineno, line):
    line = line.split(' # ')[0]
    words = shell_words(line)
    for i, w in enumerate(words):
        if w == 'make' and (i == 0 or words[i - 1] in ('&&', '||', ';', '|', 'sudo', '$')):
            check_make_words(code, f, lineno, words[i + 1:])
        m = re.match(r'CMDLINE=(.*)', w)
        if m and (i == 0 or words[i - 1] != 'make') and 'make' not in words[:i]:
            check_cmdline(code, f, lineno, m.group(1).strip('"\''))


def check_span(code, f, chapter, lineno, span, sentence):
    if span.startswith('make ') or span == 'make':
        check_command(code, f, lineno, span)
        return
    if re.search(r'\bCMDLINE=', span):
        check_command(code, f, lineno, span)
        return
    if span.startswith('$(O)/'):
        check_path(code, f, lineno, span, chapter, sentence=sentence)
        return
    if ' ' not in span and '=' not in span and ':' not in span and '+' not in span and (
            ('/' in span and (span.split('/')[0] in code.top or span.startswith(('./', '../', '/', 'build/'))
                              or re.fullmatch(r'[a-z0-9_.<>*-]+(/[\w.<>*-]*)+', span)))
            or looks_like_file(span)):
        check_path(code, f, lineno, span, chapter, sentence=sentence)
        return
    if re.fullmatch(r'[A-Za-z_][\w.]*=\S*', span) and re.search(r'\b(module|name|mod)\.(param|name)\b|=value\b|<', span):
        return                      # a template: `module.param=value`
    m = re.fullmatch(r'([A-Za-z_][\w.]*)=(\S*)', span)
    if m:
        key = m.group(1)
        if re.fullmatch(r'[A-Z][A-Z0-9_]*', key):
            f.claim('make', key in code.make_vars, lineno, f'make variable `{key}` is not in the Makefile')
            return
        ok = code.param(key) or ('.' not in key and (key + '=' in code.blob or key in code.words))
        f.claim('cmdline keys', ok, lineno, f'`{span}`: `{key}` is no declared parameter')
        return
    if re.fullmatch(r'[a-z][a-z0-9_]*\.[a-z_][a-z0-9_]*', span) and not looks_like_file(span):
        a, b = span.split('.')
        ok = code.param(span) or re.search(rf'\b{a}(\.|->){b}\b', code.blob) is not None
        f.claim('cmdline keys', ok, lineno, f'`{span}` is no declared parameter (nor a struct member the code uses)')
        return
    check_symbol_span(code, f, lineno, span, sentence)


def check_block(code, f, start, info, body):
    if info == 'c':
        return
    lines = [l.rstrip() for l in body]
    if info in ('sh', 'bash', 'shell'):
        for n, line in enumerate(lines):
            if line.strip() and not line.lstrip().startswith('#'):
                check_command(code, f, start + n, line.lstrip('$ '))
        return
    if any(PICTURE.search(l) for l in lines) and not any(l.startswith('mkernel> ') for l in lines):
        return
    outputs = []
    for n, raw in enumerate(lines):
        lineno = start + n
        line = raw.strip()
        if not line or line == '...' or line.startswith(FOREIGN):
            continue
        if line.startswith('mkernel> ') or line == 'mkernel>':
            typed = line[len('mkernel>'):]
            while re.search(r'[^^]\^H', typed):      # the editor's backspaces
                typed = re.sub(r'[^^]\^H', '', typed, count=1)
            cmd = typed.split()
            reply = lines[n + 1] if n + 1 < len(lines) else ''
            if cmd and not cmd[0].startswith('^'):
                # An unknown command shown with the monitor's refusal.
                refused = f"unknown command '{cmd[0]}'" in reply or 'line too long' in reply
                f.claim('kernel output', cmd[0] in code.commands or refused, lineno,
                        f'`mkernel> {cmd[0]}`: no monitor command {cmd[0]}')
            continue
        if line.startswith('$ '):
            check_command(code, f, lineno, line[2:])
            continue
        first = shell_words(line)[0] if shell_words(line) else ''
        if (first in SHELL_WORDS or first.split('/')[0] in ('tools', 'tests', 'build')
                or re.fullmatch(r'[A-Z_]+=\S*', first)):
            check_command(code, f, lineno, line)
            continue
        outputs.append((lineno, raw))
    if not outputs:
        return
    cleaned = [(n, squeeze(clean_output(l.strip()))) for n, l in outputs]
    # Output, not a listing: a prompt or a timestamp, or at least half
    # of its lines look like the kernel's (a prefix it prints, a format).
    looks = [l for _, l in cleaned if code.has_prefix(l) or code.prints(l, worded=True) or code.logged(l)]
    is_log = any(klog.TIMESTAMP.match(l.strip()) for _, l in outputs) or \
        any(l.startswith(('mkernel> ', '$ ')) for l in lines) or \
        2 * len(looks) >= len(cleaned)
    if not is_log:
        return
    for (lineno, line), (_, raw) in zip(cleaned, outputs):
        ok = code.prints(line) or code.logged(line)
        note = re.match(r'(.*?\S) {3,}\S', clean_output(raw.strip()))
        if not ok and note:         # a note beside the line, after 3 spaces
            ok = code.prints(squeeze(note.group(1))) or code.logged(squeeze(note.group(1)))
        if not ok and '...' in line:
            parts = [p.strip() for p in line.split('...') if p.strip()]
            ok = all(any(code.prints(p + '$') or part_printed(code, p) for _ in (0,)) for p in parts)
        f.claim('kernel output', ok, lineno, f'"{line}": no format string prints it')


def part_printed(code, part):
    """A piece of a line cut with "...": some format line contains it."""
    for rx_list in code.by_prefix.values():
        for rx in rx_list:
            if rx.search(part) and rx.pattern.replace('\\', '')[:len(part) // 2] in part:
                return True
    return any(part in l for l in code.log_lines) or any(
        part in s for s, _ in code.strings)


# <!-- docs-check: made by the reader: NAME ... -->: the files, modules
# and parameters a chapter's exercises have the reader make.  A finding
# that names one of them is no finding.
READER_MADE = re.compile(r'<!--\s*docs-check: made by the reader:([^>]*?)-->')


def check_chapter(code, name, text):
    """The findings for one chapter's text: a Findings."""
    ch = Chapter(name, text)
    f = Findings([w for m in READER_MADE.finditer(text) for w in m.group(1).split()])
    for lineno, span, sentence in ch.spans:
        check_span(code, f, name, lineno, span, sentence)
    for lineno, target in ch.links:
        check_path(code, f, lineno, target, name, link=True)
    for start, info, body in ch.blocks:
        check_block(code, f, start, info, body)
    return f


def chapters(root=ROOT):
    return [root / 'README.md'] + sorted((root / 'docs').glob('*.md'))


# A chapter that names, on one line each: a file that does not exist, a
# function nobody wrote, a make target and a boot parameter that are not
# declared, and a kernel line that no format string prints.
BROKEN = """\
# A broken chapter

The code is in `kernel/no_such_file.c`; it calls `frobnicate_percpu()`.
Try `make frobnicate`, or boot with `make run CMDLINE="lodaer=legacy"`.

```
smp: 4 CPUs online
smp: all CPUs went to lunch after 12 ms
```
"""
BROKEN_WANT = {
    'paths': 'kernel/no_such_file.c',
    'symbols': 'frobnicate_percpu',
    'make': 'make frobnicate',
    'cmdline keys': 'lodaer',
    'kernel output': 'went to lunch',
}


# A storm line one key short of what storm_print_line() prints: a quote
# from an older kernel (the key added at the end) is caught too.
SHORT_STORM = """\
```
smp: 8 CPUs online
storm: loader=unformed cpus=8 requests=32 loaded=3 eexist=29 ebusy=0 failed=0 reserved_peak=8048 reserved_size=8192 modmem_peak=199627 dup_bytes=315256 elapsed_us=508359 merged=0
```
"""


def selftest(code, report):
    f = check_chapter(code, 'docs/short.md', SHORT_STORM)
    report.add('docs check: catches a quoted storm line one key short',
               len(f.bad['kernel output']) == 1 and 'merged=0"' in f.bad['kernel output'][0],
               f'findings: {f.bad["kernel output"]}')
    f = check_chapter(code, 'docs/broken.md', BROKEN)
    for kind, want in BROKEN_WANT.items():
        hits = [b for b in f.bad[kind] if want in b]
        report.add(f'docs check: catches a broken doc line ({kind}: {want})',
                   len(hits) == 1 and len(f.bad[kind]) == 1,
                   f'findings: {f.bad[kind]}')


def check(build, report):
    code = Code(ROOT, build)
    selftest(code, report)
    for path in chapters():
        rel = path.relative_to(ROOT).as_posix()
        f = check_chapter(code, rel, path.read_text())
        for kind in KINDS:
            report.add(f'{rel}: {kind}', not f.bad[kind],
                       '; '.join(f.bad[kind]))


class PrintReport:
    def __init__(self):
        self.passed = self.failed = 0

    def add(self, name, ok, detail=''):
        if ok:
            self.passed += 1
            print(f'ok - {name}')
        else:
            self.failed += 1
            print(f'not ok - {name}: {detail}')

    def summary(self):
        print(f'{self.passed} passed, {self.failed} failed')
        return 1 if self.failed else 0


if __name__ == '__main__':
    r = PrintReport()
    check((ROOT / (sys.argv[1] if len(sys.argv) > 1 else 'build')).resolve(), r)
    sys.exit(r.summary())
