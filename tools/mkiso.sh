#!/bin/sh
# tools/mkiso.sh OUT.iso KERNEL INITRD "CMDLINE" - the hybrid boot image.
#
# grub-mkrescue writes one image that boots four ways: as a CD (El Torito)
# and as a disk (an MBR and a GPT with an EFI system partition), each under
# BIOS (GRUB's i386-pc core) and UEFI (GRUB's x86_64-efi binary, in the
# EFI partition as \EFI\BOOT\BOOTX64.EFI).  So the same file can be burnt,
# given to QEMU, or written raw to a USB stick.
#
# GFXPAYLOAD in the environment (WxHxBPP, e.g. 1024x768x16) makes the BIOS
# boot ask GRUB for a VBE framebuffer of that mode instead of VGA text:
# the tests' way to get 16 and 24 bits per pixel (UEFI's GOP gives 32).
set -eu
out=$1 kernel=$2 initrd=$3 cmdline=${4:-}
dir=$out.d

rm -rf "$dir"
mkdir -p "$dir/boot/grub"
cp "$kernel" "$dir/boot/kernel.elf"
cp "$initrd" "$dir/boot/initrd.cpio"
sed -e "s|@CMDLINE@|$cmdline|" -e "s|@GFXPAYLOAD_BIOS@|${GFXPAYLOAD:-text}|" \
	boot/grub.cfg > "$dir/boot/grub/grub.cfg"
grub-mkrescue -o "$out.tmp" "$dir" 2> "$out.log" || {
	cat "$out.log" >&2
	exit 1
}
mv "$out.tmp" "$out"
rm -rf "$dir" "$out.log"
