#!/usr/bin/env bash
# Builds a bootable ISO of Debian's own installer (text frontend on a framebuffer console) for
# the display tests: unlike the tiny test guest's cloud kernel, it draws on a screen, under the
# firmware's and GRUB's screens first, and answers the keyboard (a USB one included).
# Offline-friendly: Debian's debian-installer-12-netboot-amd64 package gives the kernel and
# initrd (fetched with `apt-get download`, unpacked with `dpkg -x`, no root), and grub-mkrescue
# (grub-efi-amd64-bin, grub-pc-bin, xorriso, mtools) makes an ISO that boots under BIOS and UEFI.
# Cached under ${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}/installer-<hash>/,
# like build.sh's tiny guest, so the QEMU 10 chroot run (which shares ~/.cache) reuses it.
# Prints the ISO's path as the last line on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}
hash=$(sha256sum "$here/installer-iso.sh" | cut -c1-16)
out=$cache_root/installer-$hash
if [ -f "$out/installer.iso" ]; then
  echo "$out/installer.iso"
  exit 0
fi
log() { echo "installer-iso.sh: $*" >&2; }
for tool in grub-mkrescue xorriso mformat; do
  command -v $tool >/dev/null || { log "$tool is missing: install grub-efi-amd64-bin grub-pc-bin xorriso mtools (scripts/setup.sh --test)"; exit 1; }
done
[ -d /usr/lib/grub/x86_64-efi ] || { log "grub-efi-amd64-bin is missing (scripts/setup.sh --test)"; exit 1; }
[ -d /usr/lib/grub/i386-pc ] || { log "grub-pc-bin is missing (scripts/setup.sh --test)"; exit 1; }

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.installer.XXXXXX")
trap 'rm -rf "$work"' EXIT
pkg=debian-installer-12-netboot-amd64
(cd "$work" && { apt-get download "$pkg" >&2 || { apt-get update >&2 && apt-get download "$pkg" >&2; }; })
dpkg -x "$work"/"$pkg"_*.deb "$work/pkg"
img=$(find "$work/pkg" -path '*/text/debian-installer/amd64' -type d | head -n1)
[ -n "$img" ] && [ -f "$img/linux" ] || { log "no text installer kernel in $pkg"; exit 1; }

iso=$work/iso
mkdir -p "$iso/install" "$iso/boot/grub"
cp "$img/linux" "$iso/install/vmlinuz"
cp "$img/initrd.gz" "$iso/install/initrd.gz"
# The last console= is where the installer's dialogs go: the screen. The kernel's messages go to
# both, so the serial log shows the boot (and a reboot) too. A menu that waits a few seconds:
# the tests look at GRUB's screen before it boots.
cat >"$iso/boot/grub/grub.cfg" <<'CFG'
set timeout=6
set default=0
menuentry "Guestbay display test: Debian installer" {
  linux /install/vmlinuz console=ttyS0,115200 console=tty0 vga=normal
  initrd /install/initrd.gz
}
CFG
grub-mkrescue -o "$work/installer.iso" "$iso" -- -volid GBINSTALLER >&2 2>"$work/mkrescue.log" || { cat "$work/mkrescue.log" >&2; exit 1; }
mkdir -p "$work/out"
mv "$work/installer.iso" "$work/out/installer.iso"
chmod 0755 "$work/out"
mv -T "$work/out" "$out" 2>/dev/null || [ -f "$out/installer.iso" ] || { log "could not move the ISO to $out"; exit 1; }
log "built $out/installer.iso ($(du -h "$out/installer.iso" | cut -f1))"
echo "$out/installer.iso"
