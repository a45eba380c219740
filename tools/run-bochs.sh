#!/bin/sh
# tools/run-bochs.sh - boot the image in bochs, with an x2APIC.
#
# QEMU 7.2 without KVM offers no x2APIC, so this is where the kernel's
# x2APIC mode really runs.  Debian's bochs (2.7) is built with its
# debugger and without a headless display, hence: the "term" display, a
# debugger script holding the single command "c" (continue), a
# pseudo-terminal from script(1) around it, and SIGKILL for the time
# limit (bochs ignores SIGTERM).  The serial port goes to a file, which
# this script prints when bochs has stopped.
#
#   --iso FILE --smp N (default 2) --mem MiB (default 256)
#   --timeout SECONDS (default 300)
set -eu
iso= smp=2 mem=256 limit=300
while [ $# -gt 0 ]; do
	case $1 in
	--iso) iso=$2; shift 2 ;;
	--smp) smp=$2; shift 2 ;;
	--mem) mem=$2; shift 2 ;;
	--timeout) limit=$2; shift 2 ;;
	*) echo "run-bochs: unknown option $1" >&2; exit 2 ;;
	esac
done
[ -f "$iso" ] || { echo "run-bochs: no image '$iso'" >&2; exit 2; }
command -v bochs >/dev/null || { echo "run-bochs: bochs missing (apt-get install bochs bochsbios vgabios bochs-term)" >&2; exit 2; }

dir=$(mktemp -d /tmp/bochs.XXXXXX)
trap 'rm -rf "$dir"' EXIT
cp "$iso" "$dir/boot.iso"
cat > "$dir/rc" <<EOF_RC
megs: $mem
cpu: count=$smp, ips=200000000
cpuid: apic=x2apic
romimage: file=/usr/share/bochs/BIOS-bochs-latest
vgaromimage: file=/usr/share/vgabios/vgabios.bin
ata0-master: type=cdrom, path=boot.iso, status=inserted
boot: cdrom
com1: enabled=1, mode=file, dev=serial.txt
display_library: term
log: bochs.log
panic: action=fatal
EOF_RC
echo c > "$dir/cmds"
(cd "$dir" && timeout -s KILL "$limit" script -qc "bochs -q -f rc -rc cmds" /dev/null \
	> /dev/null 2>&1) || true
tr -d '\r' < "$dir/serial.txt" 2>/dev/null || echo "run-bochs: no serial output"
