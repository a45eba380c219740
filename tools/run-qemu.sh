#!/bin/sh
# tools/run-qemu.sh - boot an image in QEMU the way a PC would.
#
#   --iso FILE            the hybrid image (tools/mkiso.sh)
#   --linux BZIMAGE --initrd FILE --append CMDLINE
#                         instead of an image: QEMU's own loader boots a
#                         Linux kernel (-kernel/-initrd/-append), on the
#                         same machine as ours (make compare-linux)
#   --smp N --mem SIZE    CPUs and memory (default 4, 512M)
#   --firmware bios|uefi  SeaBIOS, or OVMF (UEFI) from Debian's ovmf
#   --boot cd|usb|usb-ehci  a CD-ROM (SATA on q35, IDE on pc), or a USB
#                         stick on an xHCI controller, or on an EHCI one
#                         (USB 2.0; the image written raw, as `dd` would)
#   --chipset q35|pc      ICH9 (2009, the default) or i440fx/PIIX (1996)
#   --cpu MODEL           a CPU model instead of max (TCG) or host (KVM)
#                         (Nehalem: no x2APIC, older CPUID leaves)
#   --display std|bochs-display|ramfb
#                         the graphics card: QEMU's standard VGA (the
#                         default), or one without VGA text whose BIOS
#                         offers modes smaller than its framebuffer, so a
#                         row's pitch is longer than its pixels (SeaBIOS's
#                         bochs-display, 1280x800; ramfb, 1024x768 in RAM)
#   --debug-exit          add isa-debug-exit (port 0xf4) for the tests
#   --topology S,C,T      sockets, cores, threads (their product is N)
#   --machine OPTS        more of the chipset's properties, -machine q35,OPTS
#                         (i8042=off: a PC without a keyboard controller;
#                         hpet=off: one without an HPET)
#   --accel tcg|kvm|auto  the accelerator (default tcg; see below)
#   --cache DIR           where auto keeps its verdict (default build/accel)
#   --tcg single|multi    one host thread for all CPUs, or one each
#                         (default: single when CPUs > 8 x host cores)
#   --console serial|mon|none  the terminal is the serial line only
#                         (default), or shared with QEMU's monitor (make
#                         monitor): Ctrl-A X quits, Ctrl-A C switches to the
#                         monitor, Ctrl-C goes to the guest; or the PC has
#                         no serial port at all (the screen is all there is)
#   --                    the rest goes to QEMU as is
#
# KVM_DEV in the environment names another device than /dev/kvm (the
# tests point it at a file of their own, with a QEMU shim in PATH).
#
# The serial console is this script's standard output; QEMU exits when the
# kernel powers off.  A window shows the screen when a display exists.
# One line on standard error says which accelerator runs and why.
#
# The accelerator.  TCG emulates every instruction: slower than a working
# KVM, but the same on every host, so it is the default.  KVM runs the
# guest on the host's CPU (-cpu host, which gives the guest an x2APIC,
# as a real PC has), but on some hosts /dev/kvm is present and broken:
# QEMU aborts, or prints "KVM internal error" and leaves the guest paused
# for ever.  So under KVM, QEMU's standard error is watched: on such a
# line QEMU is stopped at once, and this script prints QEMU's line, the
# advice "rerun with ACCEL=tcg", and exits with status 4 (an even status,
# which isa-debug-exit, (v << 1) | 1, never gives).  auto asks
# tools/kvm-check.sh, which boots this image once under KVM and keeps the
# verdict for this host in the cache folder; a KVM failure under auto
# rewrites the verdict, so the next auto run chooses TCG.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
iso= linux= linux_initrd= linux_append= smp=4 mem=512M firmware=bios boot=cd debug_exit= topology= tcg= console=serial
machine= chipset=q35 cpu= display=std
accel=tcg cache=${here%/tools}/build/accel
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift 2 ;;
	--linux) linux=$2; shift 2 ;;
	--initrd) linux_initrd=$2; shift 2 ;;
	--append) linux_append=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--firmware) firmware=$2; shift 2 ;;
	--boot) boot=$2; shift 2 ;;
	--debug-exit) debug_exit=1; shift ;;
	--topology) topology=$2; shift 2 ;;
	--machine) machine=$2; shift 2 ;;
	--chipset) chipset=$2; shift 2 ;;
	--cpu) cpu=$2; shift 2 ;;
	--display) display=$2; shift 2 ;;
	--accel) accel=$2; shift 2 ;;
	--cache) cache=$2; shift 2 ;;
	--tcg) tcg=$2; shift 2 ;;
	--console) console=$2; shift 2 ;;
	--) shift; break ;;
	*) echo "run-qemu: unknown option $1" >&2; exit 2 ;;
	esac
done
if [ -n "$linux" ]; then
	[ -f "$linux" ] || { echo "run-qemu: no kernel '$linux'" >&2; exit 2; }
	[ -z "$linux_initrd" ] || [ -f "$linux_initrd" ] ||
		{ echo "run-qemu: no initrd '$linux_initrd'" >&2; exit 2; }
	[ "$accel" != auto ] || { echo "run-qemu: --linux wants --accel tcg|kvm" >&2; exit 2; }
else
	[ -f "$iso" ] || { echo "run-qemu: no image '$iso' (make iso)" >&2; exit 2; }
fi
case $firmware in
bios|uefi) ;;
*) echo "run-qemu: --firmware bios|uefi, not '$firmware'" >&2; exit 2 ;;
esac

case $accel in
tcg|kvm) why="ACCEL=$accel" ;;
auto)
	# kvm-check.sh prints "kvm: why" or "tcg: why".
	verdict=$("$here/kvm-check.sh" --iso "$iso" --firmware "$firmware" --cache "$cache") || true
	accel=${verdict%%:*}
	why="ACCEL=auto: ${verdict#*: }"
	;;
*) echo "run-qemu: --accel tcg|kvm|auto, not '$accel'" >&2; exit 2 ;;
esac
kvm_dev=${KVM_DEV:-/dev/kvm}
if [ "$accel" = kvm ] && [ ! -w "$kvm_dev" ]; then
	echo "run-qemu: ACCEL=kvm, but $kvm_dev is $( [ -e "$kvm_dev" ] && echo 'not writable by you' || echo missing)" >&2
	echo "run-qemu: rerun with ACCEL=tcg" >&2
	exit 4
fi
echo "run-qemu: accelerator $accel ($why)" >&2

case $console in
serial) set -- -serial stdio -monitor none "$@" ;;
none) set -- -serial none -monitor none "$@" ;;
# One terminal for both, multiplexed (QEMU's mon:stdio), and no SIGINT
# from Ctrl-C: the monitor's line editor reads it.
# The monitor first: the front end added last (the serial line) has the
# terminal when QEMU starts.
mon) set -- -chardev stdio,id=term,mux=on,signal=off -mon chardev=term,mode=readline \
	-serial chardev:term "$@" ;;
*) echo "run-qemu: --console serial|mon|none, not '$console'" >&2; exit 2 ;;
esac
case $chipset in
q35 | pc) ;;
*) echo "run-qemu: --chipset q35|pc, not '$chipset'" >&2; exit 2 ;;
esac
case $display in
std) ;;
bochs-display | ramfb) set -- -vga none -device "$display" "$@" ;;
*) echo "run-qemu: --display std|bochs-display|ramfb, not '$display'" >&2; exit 2 ;;
esac
set -- -machine "$chipset${machine:+,$machine}" -m "$mem" -no-reboot "$@"
if [ -n "$topology" ]; then
	IFS=, read -r s c t <<EOF_T
$topology
EOF_T
	set -- "$@" -smp "$smp,sockets=$s,cores=$c,threads=$t"
else
	set -- "$@" -smp "$smp"
fi
# TCG gives each virtual CPU a host thread; with many more virtual CPUs
# than host cores, CPUs spinning on a lock or waiting for an IPI take the
# host cores from the ones they wait for, and a 64-CPU storm on two cores
# takes minutes instead of a second.  There, one thread runs the CPUs in
# turn (still preempting each other at any instruction boundary the
# emulator chooses): --tcg single|multi forces either.
if [ "$accel" = kvm ]; then
	set -- "$@" -accel kvm -cpu "${cpu:-host}"
else
	if [ -z "$tcg" ]; then
		tcg=multi
		[ "$smp" -gt $((8 * $(nproc))) ] && tcg=single
	fi
	set -- "$@" -accel "tcg,thread=$tcg" -cpu "${cpu:-max}"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ]; then
	set -- "$@" -display none
fi
[ -n "$debug_exit" ] && set -- "$@" -device isa-debug-exit,iobase=0xf4,iosize=0x04

tmp=$(mktemp -d /tmp/run-qemu.XXXXXX)
qemu_pid= stopped=
trap 'rm -rf "$tmp"' EXIT
stop() {
	stopped=1
	[ -z "$qemu_pid" ] || kill -TERM "$qemu_pid" 2>/dev/null || true
}
trap stop INT TERM HUP

if [ "$firmware" = uefi ]; then
	code=/usr/share/OVMF/OVMF_CODE_4M.fd
	[ -f "$code" ] || { echo "run-qemu: $code missing (apt-get install ovmf)" >&2; exit 2; }
	cp /usr/share/OVMF/OVMF_VARS_4M.fd "$tmp/vars.fd"
	set -- "$@" -drive "if=pflash,format=raw,readonly=on,file=$code" \
		-drive "if=pflash,format=raw,file=$tmp/vars.fd"
fi

if [ -n "$linux" ]; then
	set -- "$@" -kernel "$linux" ${linux_initrd:+-initrd "$linux_initrd"} \
		-append "$linux_append"
	boot=none
fi
case $boot in
none) ;;
cd)
	set -- "$@" -drive "file=$iso,media=cdrom,if=none,id=cd0,readonly=on" \
		-device ide-cd,drive=cd0,bootindex=0
	;;
usb)
	set -- "$@" -device qemu-xhci,id=xhci \
		-drive "file=$iso,format=raw,if=none,id=stick,snapshot=on" \
		-device usb-storage,bus=xhci.0,drive=stick,bootindex=0
	;;
usb-ehci)
	set -- "$@" -device usb-ehci,id=ehci \
		-drive "file=$iso,format=raw,if=none,id=stick,snapshot=on" \
		-device usb-storage,bus=ehci.0,drive=stick,bootindex=0
	;;
*) echo "run-qemu: --boot cd|usb|usb-ehci, not '$boot'" >&2; exit 2 ;;
esac

# QEMU runs in the background so that this shell can read its standard
# error as it comes.  A background command's standard input would be
# /dev/null: hand it ours (fd 3) for the serial console's input.
mkfifo "$tmp/stderr"
[ -z "$stopped" ] || exit 130
exec 3<&0
qemu-system-x86_64 "$@" <&3 2>"$tmp/stderr" &
qemu_pid=$!
exec 3<&-
failure= kvm_blamed=
while IFS= read -r line; do
	printf '%s\n' "$line" >&2
	case $line in
	# The guest is paused for ever after these: stop QEMU now.
	*'KVM internal error'* | 'KVM: entry failed'*)
		[ -n "$failure" ] || failure=$line
		kvm_blamed=1
		kill -TERM "$qemu_pid" 2>/dev/null || true
		;;
	'qemu-system-x86_64: warning: '* | 'qemu-system-x86_64: '*': warning: '*) ;;
	'qemu-system-x86_64: terminating on signal'*) ;;
	'qemu-system-x86_64: '*)
		[ -n "$failure" ] || failure=$line
		case $line in *KVM* | *kvm_* | */kvm/*) kvm_blamed=1 ;; esac
		;;
	esac
done < "$tmp/stderr"
status=0
wait "$qemu_pid" || status=$?
qemu_pid=

# QEMU killed by a signal (an assertion's abort), or its own words naming
# KVM: under KVM that is KVM's failure, not the guest's.
[ "$status" -gt 128 ] && [ -n "$failure" ] && kvm_blamed=1
if [ "$accel" = kvm ] && [ -n "$kvm_blamed" ]; then
	echo "run-qemu: QEMU failed under KVM: ${failure:-status $status}" >&2
	echo "run-qemu: rerun with ACCEL=tcg" >&2
	case $why in
	ACCEL=auto*) "$here/kvm-check.sh" --firmware "$firmware" --cache "$cache" \
		--record "tcg: KVM failed a boot: ${failure:-status $status}" ;;
	esac
	exit 4
fi
exit "$status"
