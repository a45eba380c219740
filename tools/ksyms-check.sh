#!/bin/sh
# tools/ksyms-check.sh NM FIRST SECOND - the two links must agree on every
# text address, or the symbol table built from the first would lie.
set -eu
nm=$1
a=$(mktemp) b=$(mktemp)
trap 'rm -f "$a" "$b"' EXIT
"$nm" -n "$2" | awk '$2 ~ /^[TtWw]$/' > "$a"
"$nm" -n "$3" | awk '$2 ~ /^[TtWw]$/' > "$b"
if ! cmp -s "$a" "$b"; then
	echo "ksyms: text moved between the two links; check linker.ld" >&2
	diff "$a" "$b" | head -5 >&2
	exit 1
fi
