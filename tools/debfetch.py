#!/usr/bin/python3
"""tools/debfetch.py - Debian's packages, fetched once and read in place.

What make compare-linux (tools/compare-linux.py) and the relocation
oracle (tools/ldoracle.py, make test-real) share: the package apt would
install for a name (a metapackage such as linux-image-amd64 is followed
to the package it depends on), fetched with `apt-get download` into a
cache folder (BUILD/compare-linux/debs/; nothing is committed, and a
package already there is not fetched again), and the files inside it,
read from `dpkg-deb --fsys-tarfile` without unpacking the package, and
decompressed where Debian ships a module compressed (.ko.xz, .ko.gz,
.ko.zst).

Errors are one line each, raised as Failure.
"""
import gzip
import lzma
import os
import re
import signal
import subprocess
import tarfile
import time

# Debian's own kernel: the package linux-image-amd64 depends on.
META_PACKAGE = 'linux-image-amd64'
FETCH_TIMEOUT = 600         # seconds for one apt-get download


class Failure(Exception):
    """One line for the user, and exit status 1."""


def run(cmd, timeout, **kw):
    """cmd under a time bound, in a session of its own: on expiry its
    whole process group is killed (run-qemu.sh and its QEMU).  Returns
    (status or None on timeout, output, seconds)."""
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         stdin=subprocess.DEVNULL, start_new_session=True, **kw)
    try:
        out, _ = p.communicate(timeout=timeout)
        status = p.returncode
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)
        out, _ = p.communicate()
        status = None
    return status, (out or b'').decode(errors='replace'), time.monotonic() - start


def apt_query(args):
    status, out, _ = run(['apt-cache'] + args, 60)
    return out if status == 0 else ''


def candidate(package):
    """(name, version) of what apt-get download would fetch for package;
    a metapackage is followed to the package it depends on."""
    name = package
    if package == META_PACKAGE:
        m = re.search(r'Depends: (linux-image-\S+)', apt_query(['depends', package]))
        if not m:
            raise Failure(f'no package {package} in apt\'s lists (run apt-get update)')
        name = m.group(1)
    m = re.search(r'^Version: (\S+)', apt_query(['show', '--no-all-versions', name]), re.M)
    if not m:
        raise Failure(f'no package {name} in apt\'s lists (run apt-get update)')
    return name, m.group(1)


def deb_path(cache, name, version):
    """Where apt-get download puts name=version: its own file name."""
    return cache / f'{name}_{version.replace(":", "%3a")}_amd64.deb'


def fetch(package, cache):
    """(name, version, path) of package's candidate .deb in cache,
    downloaded unless there."""
    name, version = candidate(package)
    deb = deb_path(cache, name, version)
    if deb.exists():
        return name, version, deb
    cache.mkdir(parents=True, exist_ok=True)
    print(f'  APT     {name} {version} > {deb}', flush=True)
    status, out, _ = run(['apt-get', 'download', f'{name}={version}'], FETCH_TIMEOUT, cwd=cache)
    if status != 0 or not deb.exists():
        errors = [line for line in out.splitlines() if line.startswith('E:')]
        why = (errors or out.strip().splitlines() or ['no output'])[-1]
        if status is None:
            why = f'timed out after {FETCH_TIMEOUT} s'
        raise Failure(f'apt-get download {name}={version} failed: {why}')
    return name, version, deb


def cached(package, cache):
    """(name, version, path) of a package already in cache, fetching
    nothing: apt's candidate when it is there, else (apt's lists gone, or
    a newer candidate not fetched yet) the newest file of the package's
    name, else None."""
    try:
        name, version = candidate(package)
        if deb_path(cache, name, version).exists():
            return name, version, deb_path(cache, name, version)
    except Failure:
        pass
    stem = 'linux-image-' if package == META_PACKAGE else f'{package}_'
    debs = sorted(cache.glob(f'{stem}*_amd64.deb'), key=lambda p: p.stat().st_mtime)
    if not debs:
        return None
    name, version, _ = debs[-1].name.split('_')
    return name, version.replace('%3a', ':'), debs[-1]


def decompressed(name, data):
    """A file as a reader of the uncompressed one wants it: Debian may
    ship modules as .ko.xz, .ko.zst or .ko.gz."""
    if name.endswith('.xz'):
        return lzma.decompress(data)
    if name.endswith('.gz'):
        return gzip.decompress(data)
    if name.endswith('.zst'):
        p = subprocess.run(['zstd', '-dc'], input=data, capture_output=True, timeout=60)
        if p.returncode != 0:
            raise Failure(f'zstd -d {name} failed (apt-get install zstd)')
        return p.stdout
    return data


def members(deb, pattern):
    """(path, bytes) of every regular file of deb's data whose path
    matches the regex pattern, decompressed, in the archive's order;
    read as a stream from `dpkg-deb --fsys-tarfile`."""
    p = subprocess.Popen(['dpkg-deb', '--fsys-tarfile', str(deb)], stdout=subprocess.PIPE)
    try:
        with tarfile.open(fileobj=p.stdout, mode='r|') as tar:
            for member in tar:
                if member.isfile() and re.search(pattern, member.name):
                    yield member.name, decompressed(member.name, tar.extractfile(member).read())
    finally:
        p.stdout.close()
        p.kill()
        p.wait(timeout=60)


def extract(deb, wanted):
    """{key: bytes} of the first member of deb's data whose path matches
    each of wanted's regexes ({key: regex})."""
    found = {}
    either = '|'.join(f'(?:{pattern})' for pattern in wanted.values())
    for path, data in members(deb, either):
        for key, pattern in wanted.items():
            if key not in found and re.search(pattern, path):
                found[key] = data
        if len(found) == len(wanted):
            break
    missing = sorted(set(wanted) - set(found))
    if missing:
        raise Failure(f'{deb.name} has no {", ".join(missing)}')
    return found


def unpacked(deb, wanted):
    """extract()'s files, kept beside deb in a folder of its name, so that
    the next run does not read the package again: {key: path}."""
    keep = deb.with_suffix('.files')
    paths = {key: keep / key for key in wanted}
    if not all(p.exists() for p in paths.values()):
        files = extract(deb, {k: v for k, v in wanted.items() if not paths[k].exists()})
        keep.mkdir(exist_ok=True)
        for key, data in files.items():
            (keep / f'{key}.tmp').write_bytes(data)
            (keep / f'{key}.tmp').rename(paths[key])
    return paths
