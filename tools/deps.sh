#!/bin/sh
# tools/deps.sh [bochs] - install the host tools the build, `make run`, the
# tests and the storm's pictures (make trace, make compare) need, when any
# is missing; with "bochs", those of the bochs boots (make test-bochs,
# make test-long) instead.  Debian and Ubuntu: apt-get (through sudo when
# not root).  Elsewhere: say what to install, and stop.
set -eu

# command-or-file  Debian package
need='
make			make
gcc			gcc
ld			binutils
nasm			nasm
qemu-system-x86_64	qemu-system-x86
grub-mkrescue		grub-common
/usr/lib/grub/i386-pc/multiboot2.mod	grub-pc-bin
/usr/lib/grub/x86_64-efi/multiboot2.mod	grub-efi-amd64-bin
xorriso			xorriso
mformat			mtools
/usr/share/OVMF/OVMF_CODE_4M.fd	ovmf
cpio			cpio
script			bsdutils
/usr/include/cmocka.h	libcmocka-dev
/usr/bin/python3	python3
/usr/lib/python3/dist-packages/matplotlib/__init__.py	python3-matplotlib
/usr/lib/python3/dist-packages/elftools/__init__.py	python3-pyelftools
clang			clang
iasl			acpica-tools
/usr/lib/llvm-14/lib/clang/14.0.6/lib/linux/libclang_rt.fuzzer-x86_64.a	libclang-rt-14-dev
'

need_bochs='
bochs			bochs
/usr/share/bochs/BIOS-bochs-latest	bochsbios
/usr/share/vgabios/vgabios.bin	vgabios
/usr/lib/x86_64-linux-gnu/bochs/plugins/libbx_term_gui.so.0.0.0	bochs-term
script			bsdutils
'
[ "${1:-}" = bochs ] && need=$need_bochs

missing=
pkgs=
have() {
	case $1 in
	/*) [ -e "$1" ] ;;
	*) command -v "$1" >/dev/null 2>&1 ;;
	esac
}
while read -r what pkg; do
	[ -n "$what" ] || continue
	if ! have "$what"; then
		missing="$missing $what"
		case " $pkgs " in *" $pkg "*) ;; *) pkgs="$pkgs $pkg" ;; esac
	fi
done <<EOF_LIST
$need
EOF_LIST

[ -z "$pkgs" ] && exit 0

echo "deps: missing:$missing" >&2
if ! command -v apt-get >/dev/null 2>&1; then
	echo "deps: not a Debian/Ubuntu system; please install the packages:$pkgs" >&2
	exit 1
fi
sudo=
if [ "$(id -u)" != 0 ]; then
	if ! command -v sudo >/dev/null 2>&1; then
		echo "deps: need root to install:$pkgs (no sudo found)" >&2
		exit 1
	fi
	sudo=sudo
fi
echo "deps: installing:$pkgs" >&2
$sudo apt-get update -q
# shellcheck disable=SC2086
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -q --no-install-recommends $pkgs
