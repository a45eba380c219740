#!/bin/sh
# tools/run-qemu.sh - boot an image in QEMU the way a PC would.
#
#   --iso FILE            the hybrid image (tools/mkiso.sh)
#   --smp N --mem SIZE    CPUs and memory (default 4, 512M)
#   --firmware bios|uefi  SeaBIOS, or OVMF (UEFI) from Debian's ovmf
#   --boot cd|usb         a CD-ROM on SATA, or a USB stick on an xHCI
#                         controller (the image written raw, as `dd` would)
#   --debug-exit          add isa-debug-exit (port 0xf4) for the tests
#   --topology S,C,T      sockets, cores, threads (their product is N)
#   --tcg single|multi    one host thread for all CPUs, or one each
#                         (default: single when CPUs > 8 x host cores)
#   --                    the rest goes to QEMU as is
#
# The serial console is this script's standard output; QEMU exits when the
# kernel powers off.  A window shows the screen when a display exists.
set -eu
iso= smp=4 mem=512M firmware=bios boot=cd debug_exit= topology= tcg=
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	--boot) boot=$2; shift 2 ;;
	--debug-exit) debug_exit=1; shift ;;
	--topology) topology=$2; shift 2 ;;
	--tcg) tcg=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "run-qemu: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -f "$iso" ] || { echo "run-qemu: no image '$iso' (make iso)" >&2; exit 2; }

set -- -machine q35 -m "$mem" -no-reboot -serial stdio -monitor none "$@"
if [ -n "$topology" ]; then
	IFS=, read -r s c t <<EOF_T
$topology
EOF_T
	set -- "$@" -smp "$smp,sockets=$s,cores=$c,threads=$t"
else
	set -- "$@" -smp "$smp"
fi
# TCG by default; KVM when this machine has it (faster, same results).
# TCG gives each virtual CPU a host thread; with many more virtual CPUs
# than host cores, CPUs spinning on a lock or waiting for an IPI take the
# host cores from the ones they wait for, and a 64-CPU storm on two cores
# takes minutes instead of a second.  There, one thread runs the CPUs in
# turn (still preempting each other at any instruction boundary the
# emulator chooses): --tcg single|multi forces either.
if [ -w /dev/kvm ]; then
	set -- "$@" -accel kvm -cpu host
else
	if [ -z "$tcg" ]; then
		tcg=multi
		[ "$smp" -gt $((8 * $(nproc))) ] && tcg=single
	fi
	set -- "$@" -accel "tcg,thread=$tcg" -cpu max
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	set -- "$@" -display none
fi
[ -n "$debug_exit" ] && set -- "$@" -device isa-debug-exit,iobase=0xf4,iosize=0x04

case $firmware in
bios) ;;
uefi)
	code=/usr/share/OVMF/OVMF_CODE_4M.fd
	vars_template=/usr/share/OVMF/OVMF_VARS_4M.fd
	[ -f "$code" ] || { echo "run-qemu: $code missing (apt-get install ovmf)" >&2; exit 2; }
	vars=$(mktemp /tmp/ovmf-vars.XXXXXX)
	trap 'rm -f "$vars"' EXIT
	cp "$vars_template" "$vars"
	set -- "$@" -drive "if=pflash,format=raw,readonly=on,file=$code" \
		-drive "if=pflash,format=raw,file=$vars"
	;;
*) echo "run-qemu: --firmware bios|uefi, not '$firmware'" >&2; exit 2 ;;
esac

case $boot in
cd)
	set -- "$@" -drive "file=$iso,media=cdrom,if=none,id=cd0,readonly=on" \
		-device ide-cd,drive=cd0,bootindex=0
	;;
usb)
	set -- "$@" -device qemu-xhci,id=xhci \
		-drive "file=$iso,format=raw,if=none,id=stick,snapshot=on" \
		-device usb-storage,bus=xhci.0,drive=stick,bootindex=0
	;;
*) echo "run-qemu: --boot cd|usb, not '$boot'" >&2; exit 2 ;;
esac

# Not exec: the trap above must remove the UEFI variables copy.
qemu-system-x86_64 "$@"
