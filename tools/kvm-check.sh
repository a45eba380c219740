#!/bin/sh
# tools/kvm-check.sh - can this host's KVM run our image?  ACCEL=auto's test.
#
#   kvm-check.sh --iso FILE [--firmware bios|uefi] [--cache DIR] [--timeout S]
#   kvm-check.sh [--firmware F] --cache DIR --record "tcg: why"
#
# Prints one line, "kvm: why" (exit status 0) or "tcg: why" (status 1).
# KVM passes when /dev/kvm is there and writable and a boot of FILE under
# KVM (tools/run-qemu.sh --accel kvm, one CPU) prints the kernel's banner
# within S seconds (default 5 under BIOS, 10 under UEFI, where OVMF
# itself must first get through; TCG takes about 1 s and 6 s).  That
# catches the broken hosts seen so far: QEMU aborting on an MSR it cannot
# set, "KVM internal error" in the firmware or in GRUB, a guest that hangs
# without a word, and nested KVM so slow that TCG is faster.
#
# KVM_DEV names another device than /dev/kvm, as for run-qemu.sh.
#
# With --cache, the verdict is kept in DIR, one file per host (its name,
# kernel release, CPU model and QEMU version) and firmware, and later
# calls answer from it; --record overwrites it (run-qemu.sh does that
# when KVM, chosen by auto, fails a real boot).  `make clean` forgets it.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iso= firmware=bios cache= limit= record=
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	--record) record=$2; shift 2 ;;
	*) echo "kvm-check: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -n "$limit" ] || { [ "$firmware" = uefi ] && limit=10 || limit=5; }

answer() {
	echo "$1"
	case $1 in kvm:*) exit 0 ;; *) exit 1 ;; esac
}

# The verdict for this host, replaced whole (a reader never sees half).
save_verdict() {
	printf '%s\n# %s\n' "$1" "$host" > "$verdict_file.tmp"
	mv "$verdict_file.tmp" "$verdict_file"
}

kvm_dev=${KVM_DEV:-/dev/kvm}
[ -e "$kvm_dev" ] || answer "tcg: this host has no $kvm_dev"
[ -w "$kvm_dev" ] || answer "tcg: $kvm_dev is not writable by you (the kvm group grants it)"

verdict_file=
if [ -n "$cache" ]; then
	host="$(uname -n) $(uname -r) $(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n 1)"
	host="$host $(qemu-system-x86_64 --version 2>/dev/null | head -n 1)"
	mkdir -p "$cache"
	# One check at a time: parallel boots asking at once wait for it.
	if command -v flock >/dev/null 2>&1; then
		exec 9>"$cache/lock"
		flock 9
	fi
	verdict_file=$cache/kvm-$(printf '%s' "$host" | cksum | cut -d' ' -f1)-$firmware
	if [ -n "$record" ]; then
		save_verdict "$record"
		exit 0
	fi
	if [ -s "$verdict_file" ]; then
		answer "$(head -n 1 "$verdict_file") (cached in $verdict_file)"
	fi
fi
[ -z "$record" ] || { echo "kvm-check: --record needs --cache" >&2; exit 2; }
[ -f "$iso" ] || { echo "kvm-check: no image '$iso'" >&2; exit 2; }

log=$(mktemp /tmp/kvm-check.XXXXXX)
env -u DISPLAY -u WAYLAND_DISPLAY "$here/run-qemu.sh" --accel kvm --iso "$iso" \
	--firmware "$firmware" --smp 1 --mem 256M > "$log" 2>&1 < /dev/null &
pid=$!
banner='^\(\[ *[0-9]*\.[0-9]*\] \)\{0,1\}mkernel version '
start=$(date +%s%N)
verdict=
while [ -z "$verdict" ]; do
	ms=$((($(date +%s%N) - start) / 1000000))
	if grep -q "$banner" "$log"; then
		verdict="kvm: KVM reached the kernel's banner in $((ms / 1000)).$((ms % 1000 / 100)) s ($firmware)"
	elif ! kill -0 "$pid" 2>/dev/null; then
		why=$(sed -n 's/^run-qemu: QEMU failed under KVM: //p' "$log" | head -n 1)
		[ -n "$why" ] || why=$(grep -v '^run-qemu: ' "$log" | tail -n 1)
		verdict="tcg: KVM failed its check boot ($firmware): ${why:-QEMU exited}"
	elif [ "$ms" -ge $((limit * 1000)) ]; then
		verdict="tcg: KVM did not reach the kernel's banner within $limit s ($firmware)"
	else
		sleep 0.1
	fi
done
kill -TERM "$pid" 2>/dev/null || true
wait "$pid" 2>/dev/null || true
rm -f "$log"
[ -z "$verdict_file" ] || save_verdict "$verdict"
answer "$verdict"
