#!/usr/bin/env bash
# Builds a bootable ISO of Debian's own arm64 installer for the aarch64 guest test (issue 21):
# Debian's debian-installer-12-netboot-arm64 package gives the kernel, the initrd and the signed
# GRUB (grubaa64.efi); fetched with `apt-get download` (the package is arch "all", so any Debian
# can fetch it), unpacked with `dpkg -x`, no root. The ISO is made offline with mtools and
# xorriso: GRUB as \EFI\BOOT\BOOTAA64.EFI on a small FAT image, which is the ISO's El Torito EFI
# boot image; the kernel and initrd sit in the ISO9660 tree where GRUB finds them. The installer
# talks to the serial console (ttyAMA0, the virt board's PL011), so a test reads its first
# question from the serial log.
# Cached under ${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}/installer-arm64-<hash>/,
# like installer-iso.sh, so the QEMU 10 chroot run (which shares ~/.cache) reuses it.
# Prints the ISO's path as the last line on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}
hash=$(sha256sum "$here/installer-iso-arm64.sh" | cut -c1-16)
out=$cache_root/installer-arm64-$hash
if [ -f "$out/installer.iso" ]; then
  echo "$out/installer.iso"
  exit 0
fi
log() { echo "installer-iso-arm64.sh: $*" >&2; }
for tool in xorriso mcopy mmd mkfs.vfat; do
  command -v $tool >/dev/null || { log "$tool is missing: install xorriso mtools dosfstools (scripts/setup.sh --test)"; exit 1; }
done

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.installer-arm64.XXXXXX")
trap 'rm -rf "$work"' EXIT
pkg=debian-installer-12-netboot-arm64
(cd "$work" && { apt-get download "$pkg" >&2 || { apt-get update >&2 && apt-get download "$pkg" >&2; }; })
dpkg -x "$work"/"$pkg"_*.deb "$work/pkg"
img=$(find "$work/pkg" -path '*/text/debian-installer/arm64' -type d | head -n1)
[ -n "$img" ] && [ -f "$img/linux" ] && [ -f "$img/grubaa64.efi" ] || { log "no arm64 installer kernel or GRUB in $pkg"; exit 1; }

iso=$work/iso
d=$iso/debian-installer/arm64
mkdir -p "$d/grub" "$iso/boot"
cp "$img/linux" "$img/initrd.gz" "$d/"
# Debian's GRUB reads $prefix/grub.cfg, its prefix /debian-installer/arm64/grub on the device it
# was started from: the ISO9660 tree, or the FAT image. The same file is in both, and it finds the
# kernel by a file search, so either way works. No menu wait: the test boots straight through.
cat >"$work/grub.cfg" <<'CFG'
set timeout=0
set default=0
search --no-floppy --file --set=root /debian-installer/arm64/linux
menuentry "Guestbay aarch64 test: Debian installer" {
  linux /debian-installer/arm64/linux console=ttyAMA0,115200 ---
  initrd /debian-installer/arm64/initrd.gz
}
CFG
cp "$work/grub.cfg" "$d/grub/grub.cfg"
efi=$iso/boot/efi.img
mkfs.vfat -C -n GBEFI "$efi" 8192 >/dev/null
mmd -i "$efi" ::/EFI ::/EFI/BOOT ::/debian-installer ::/debian-installer/arm64 ::/debian-installer/arm64/grub
mcopy -i "$efi" "$img/grubaa64.efi" ::/EFI/BOOT/BOOTAA64.EFI
mcopy -i "$efi" "$work/grub.cfg" ::/debian-installer/arm64/grub/grub.cfg
# -e: the El Torito boot image for the EFI platform (xorriso sets platform id 0xEF).
xorriso -as mkisofs -r -J -V GBARM64 -o "$work/installer.iso" -e boot/efi.img -no-emul-boot "$iso" 2>"$work/xorriso.log" || { cat "$work/xorriso.log" >&2; exit 1; }
mkdir -p "$work/out"
mv "$work/installer.iso" "$work/out/installer.iso"
chmod 0755 "$work/out"
mv -T "$work/out" "$out" 2>/dev/null || [ -f "$out/installer.iso" ] || { log "could not move the ISO to $out"; exit 1; }
log "built $out/installer.iso ($(du -h "$out/installer.iso" | cut -f1))"
echo "$out/installer.iso"
