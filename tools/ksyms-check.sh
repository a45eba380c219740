#!/bin/sh
# tools/ksyms-check.sh NM FIRST SECOND - the two links must agree on every
# text address and every per-CPU variable's offset, or the symbol tables
# built from the first would lie.
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
# The per-CPU table holds offsets into .data..percpu: those must agree.
"$nm" -n -S "$2" | "$(dirname "$0")/ksyms.sh" - | sed -n '/kpcpu_count/,$p' > "$a"
"$nm" -n -S "$3" | "$(dirname "$0")/ksyms.sh" - | sed -n '/kpcpu_count/,$p' > "$b"
if ! cmp -s "$a" "$b"; then
	echo "ksyms: per-CPU variables moved inside .data..percpu between the two links" >&2
	diff "$a" "$b" | head -5 >&2
	exit 1
fi
