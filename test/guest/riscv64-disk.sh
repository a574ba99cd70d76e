#!/usr/bin/env bash
# Builds (or finds cached) a disk a riscv64 guest boots through U-Boot's distro boot (issue 21):
# an MBR with one bootable FAT partition holding extlinux/extlinux.conf, the riscv64 kernel and
# the one-line initramfs of riscv64-kernel.sh (its /init prints GB:RISCV64-UP). Rootless: the
# file system is made with mkfs.fat and filled with mtools, the partition table written here.
# The kernel line carries `gb.disk-boot`, so the serial log shows the kernel came from the disk.
# With `efi`, the partition is an EFI system partition holding the kernel (an EFI application
# through its EFI stub) as \EFI\BOOT\BOOTRISCV64.EFI instead, for a UEFI (EDK2) to start.
#   riscv64-disk.sh KERNEL_DIR [extlinux|efi]    (KERNEL_DIR: what riscv64-kernel.sh printed)
# Cached under ${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}/riscv64-disk-<hash>/,
# keyed on this script, the mode and the kernel; prints the directory (holding disk.img) last.
set -euo pipefail

kdir=${1:?usage: riscv64-disk.sh KERNEL_DIR [extlinux|efi]}
mode=${2:-extlinux}
case $mode in extlinux|efi) ;; *) echo "riscv64-disk.sh: unknown mode $mode" >&2; exit 2 ;; esac
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}
hash=$( (cat "$here/riscv64-disk.sh" "$kdir/vmlinux" "$kdir/initrd.cpio.gz"; echo "$mode") | sha256sum | cut -c1-16)
out=$cache_root/riscv64-disk-$hash
if [ -f "$out/disk.img" ]; then
  echo "$out"
  exit 0
fi
log() { echo "riscv64-disk.sh: $*" >&2; }
for t in mkfs.fat mmd mcopy; do command -v "$t" >/dev/null || { log "$t is missing (dosfstools, mtools: scripts/setup.sh --test)"; exit 1; }; done

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.riscv64-disk.XXXXXX")
trap 'rm -rf "$work"' EXIT

# The kernel (~30 MiB) and the initramfs, with room to spare; FAT16 at this size.
fat_mib=48
cat >"$work/extlinux.conf" <<'CONF'
default gb
timeout 1
label gb
  menu label Guestbay riscv64 disk boot test
  linux /vmlinux
  initrd /initrd.gz
  append console=ttyS0 panic=-1 gb.disk-boot
CONF
mkfs.fat -C -n GBRISCV "$work/fat.img" $((fat_mib * 1024)) >/dev/null
export MTOOLS_SKIP_CHECK=1
if [ "$mode" = efi ]; then
  mmd -i "$work/fat.img" ::/EFI ::/EFI/BOOT
  mcopy -i "$work/fat.img" "$kdir/vmlinux" ::/EFI/BOOT/BOOTRISCV64.EFI
else
  mmd -i "$work/fat.img" ::/extlinux
  mcopy -i "$work/fat.img" "$work/extlinux.conf" ::/extlinux/extlinux.conf
  mcopy -i "$work/fat.img" "$kdir/vmlinux" ::/vmlinux
  mcopy -i "$work/fat.img" "$kdir/initrd.cpio.gz" ::/initrd.gz
fi

# An MBR: one bootable partition from sector 2048 (1 MiB) to the end: type 0x0e (FAT16 LBA), or
# 0xef (EFI system partition), which a UEFI looks in.
le32() { printf "$(printf '\\%03o\\%03o\\%03o\\%03o' $(($1 & 255)) $((($1 >> 8) & 255)) $((($1 >> 16) & 255)) $((($1 >> 24) & 255)))"; }
{
  head -c 446 /dev/zero
  if [ "$mode" = efi ]; then printf '\200\376\377\377\357\376\377\377'; else printf '\200\376\377\377\016\376\377\377'; fi
  le32 2048
  le32 $((fat_mib * 2048))
  head -c 48 /dev/zero
  printf '\125\252'
} >"$work/mbr.bin"
[ "$(stat -c %s "$work/mbr.bin")" = 512 ] || { log "the MBR is not 512 bytes"; exit 1; }
mkdir -p "$work/out"
cp "$work/mbr.bin" "$work/out/disk.img"
truncate -s 1M "$work/out/disk.img"
cat "$work/fat.img" >>"$work/out/disk.img"
chmod 0755 "$work/out"
mv -T "$work/out" "$out" 2>/dev/null || [ -f "$out/disk.img" ] || { log "could not move the disk to $out"; exit 1; }
log "built $out"
echo "$out"
