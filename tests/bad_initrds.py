#!/usr/bin/python3
"""tests/bad_initrds.py - damaged initrds for the boots: make test boots
ten of them, make test-long two hundred (tests/boots.py).

Each variant is the built initrd (build/initrd.cpio) with one kind of
damage, chosen by a seeded random generator so that a variant's name
(bad-initrd-NNN) always means the same bytes:

  truncated    cut at a random byte inside the archive proper
  bitflip      one bit of a random entry's 110-byte header flipped
  badmagic     a random entry's magic is no longer 070701
  namesize     a random entry's c_namesize made huge (ffffffff or just
               past the end of the archive)
  filesize     a random entry's c_filesize past the end of the archive
  duplicate    etc/storm.conf added again before the trailer, naming
               other modules: a repeated name, which the kernel must
               take the last of (as Linux's initramfs does)

What the kernel must say comes from GNU cpio (`cpio -t`), a reader we
did not write: where it reads the archive whole, so must the kernel
("initrd: N files, M bytes"); where it complains, the kernel must say
"initrd: corrupt archive at offset ...", on one line.  A duplicate gives
one warning line and the storm runs the last list.  Either way the boot
goes on to the end (tests/boots.py checks the rest).

As a command, `bad_initrds.py INITRD COUNT` prints each variant's kind
and GNU cpio's verdict.
"""
import random
import re
import subprocess
import sys

HEADER = 110
KINDS = ('truncated', 'bitflip', 'badmagic', 'namesize', 'filesize', 'duplicate')
# The list the duplicate etc/storm.conf gives: the storm then runs these.
DUP_STORM = 'hello\npercpu_ptr\n'


def entries(archive):
    """(offset, name) of each entry up to the trailer of a whole archive."""
    out, off = [], 0
    while off + HEADER <= len(archive):
        h = archive[off:off + HEADER]
        namesize, filesize = int(h[94:102], 16), int(h[54:62], 16)
        name = archive[off + HEADER:off + HEADER + namesize - 1].decode()
        if name == 'TRAILER!!!':
            return out, off
        out.append((off, name))
        data = (off + HEADER + namesize + 3) & ~3
        off = (data + filesize + 3) & ~3
    raise ValueError('no trailer: not a whole newc archive')


def newc_entry(name, data, ino=999):
    """One newc entry (header, name, data, each padded to 4)."""
    name_b = name.encode() + b'\0'
    hdr = ('070701' + ''.join(f'{v:08x}' for v in (
        ino, 0o100644, 0, 0, 1, 0, len(data), 0, 0, 0, 0, len(name_b), 0))).encode()
    body = hdr + name_b
    body += b'\0' * (-len(body) % 4) + data
    return body + b'\0' * (-len(body) % 4)


def put_field(archive, off, field, value):
    """Set header field number field (0 = c_ino) of the entry at off."""
    start = off + 6 + 8 * field
    archive[start:start + 8] = f'{value:08x}'.encode()


def variant(good, i, seed=14):
    """(kind, bytes) of variant number i."""
    rng = random.Random(seed * 100003 + i)
    kind = KINDS[i % len(KINDS)]
    ents, trailer = entries(good)
    off = rng.choice(ents)[0]
    bad = bytearray(good)
    if kind == 'truncated':
        bad = bad[:rng.randrange(0, trailer)]
    elif kind == 'bitflip':
        pos = off + rng.randrange(HEADER)
        bad[pos] ^= 1 << rng.randrange(8)
    elif kind == 'badmagic':
        bad[off + rng.randrange(6)] = ord(rng.choice('389ax'))
    elif kind == 'namesize':
        put_field(bad, off, 11, rng.choice((0xffffffff, len(good) - off)))
    elif kind == 'filesize':
        put_field(bad, off, 6, len(good) - off + rng.randrange(1, 4096))
    else:
        bad = bad[:trailer] + newc_entry('etc/storm.conf', DUP_STORM.encode()) + bad[trailer:]
    return kind, bytes(bad)


def gnu_cpio_whole(archive):
    """Does GNU cpio list the archive without a complaint?"""
    p = subprocess.run(['cpio', '-t', '--quiet'], input=archive, capture_output=True, timeout=60)
    return p.returncode == 0 and not p.stderr.strip()


def initrd_lines(log):
    """The kernel's initrd lines of one boot (timestamps off)."""
    return [ln for ln in log.splitlines() if re.match(r'initrd: ', ln)]


def main():
    good = open(sys.argv[1], 'rb').read()
    for i in range(int(sys.argv[2])):
        kind, bad = variant(good, i)
        print(f'{i:3d} {kind:10s} {len(bad):7d} bytes  GNU cpio: '
              f'{"whole" if gnu_cpio_whole(bad) else "complains"}')


if __name__ == '__main__':
    main()
