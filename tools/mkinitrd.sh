#!/bin/sh
# tools/mkinitrd.sh OUT STAGING [EXTRA_DIR] - build the initrd.
#
# The initrd is a cpio archive in the "newc" format, as Linux's initramfs.
# STAGING is rebuilt from scratch: etc/ from the tree, lib/modules/ from
# the built modules (MODULES_DIR=dir of *.ko), etc/storm.conf from
# STORM_CONF=file, test/hostile/ from HOSTILE_DIR=dir (the hostile
# modules and their MANIFEST: tests/hostile/mkhostile.py), then
# EXTRA_DIR's tree on top
# (INITRD_EXTRA=dir on the make command line), so anyone can add files.
set -eu
out=$1 stage=$2 extra=${3:-}

rm -rf "$stage"
mkdir -p "$stage/etc" "$stage/lib/modules"
cat > "$stage/etc/motd" <<'MOTD'
This file comes from the initrd that tools/mkinitrd.sh built.
MOTD
if [ -n "${MODULES_DIR:-}" ] && [ -d "$MODULES_DIR" ]; then
	find "$MODULES_DIR" -maxdepth 1 -name '*.ko' -exec cp {} "$stage/lib/modules/" \;
fi
# The storm's module list (modules/storm.conf).
if [ -n "${STORM_CONF:-}" ]; then
	cp "$STORM_CONF" "$stage/etc/storm.conf"
fi
# The hostile modules, for the in-kernel suite module_hostile.
if [ -n "${HOSTILE_DIR:-}" ]; then
	if [ ! -f "$HOSTILE_DIR/MANIFEST" ]; then
		echo "mkinitrd: HOSTILE_DIR=$HOSTILE_DIR has no MANIFEST" >&2
		exit 1
	fi
	mkdir -p "$stage/test/hostile"
	cp "$HOSTILE_DIR/MANIFEST" "$HOSTILE_DIR"/*.ko "$stage/test/hostile/"
fi
if [ -n "$extra" ]; then
	if [ ! -d "$extra" ]; then
		echo "mkinitrd: INITRD_EXTRA=$extra is not a directory" >&2
		exit 1
	fi
	cp -R "$extra/." "$stage/"
fi
# Sorted names and fixed owners: the same tree gives the same archive.
(cd "$stage" && find . -mindepth 1 | LC_ALL=C sort |
	cpio --quiet -o -H newc -R 0:0 --reproducible) > "$out.tmp"
mv "$out.tmp" "$out"
