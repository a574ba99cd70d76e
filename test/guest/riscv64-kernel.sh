#!/usr/bin/env bash
# Builds (or finds cached) a riscv64 Linux kernel and a one-line initramfs for the riscv64 guest
# test (issue 21). riscv64 is an official architecture in Debian trixie, not in Debian 12, so the
# kernel and busybox come from trixie's riscv64 packages: run this inside the QEMU 10 chroot
# (scripts/qemu10/setup.sh adds riscv64 to its dpkg architectures), or on any Debian 13 with
# `dpkg --add-architecture riscv64`. `apt-get download` and `dpkg -x` need no root.
# The initramfs's /init prints GB:RISCV64-UP with the kernel's release, then waits to be stopped
# (a power-off through the virt board's test device ends QEMU 7.2 without a SHUTDOWN event).
# Cached under ${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}/riscv64-<hash>/ (the
# chroot shares ~/.cache with the host, so QEMU 7.2's run finds what the chroot built).
# Prints the directory (holding vmlinux and initrd.cpio.gz) as the last line on stdout.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache_root=${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}
hash=$(sha256sum "$here/riscv64-kernel.sh" | cut -c1-16)
out=$cache_root/riscv64-$hash
if [ -f "$out/vmlinux" ] && [ -f "$out/initrd.cpio.gz" ]; then
  echo "$out"
  exit 0
fi
log() { echo "riscv64-kernel.sh: $*" >&2; }
command -v cpio >/dev/null || { log "cpio is missing (scripts/setup.sh --test)"; exit 1; }
dpkg --print-foreign-architectures | grep -qx riscv64 || { log "dpkg has no riscv64 architecture: run this in the QEMU 10 chroot (scripts/qemu10/run.sh)"; exit 75; }

mkdir -p "$cache_root"
work=$(mktemp -d "$cache_root/.riscv64.XXXXXX")
trap 'rm -rf "$work"' EXIT
# The metapackage names the current kernel package; fetch that one.
kpkg=$(apt-cache depends linux-image-riscv64:riscv64 | sed -n 's/^ *Depends: \(linux-image-[^ ]*\)$/\1/p' | head -n1)
[ -n "$kpkg" ] || { log "no riscv64 kernel package found (apt-get update in the chroot?)"; exit 1; }
(cd "$work" && apt-get download "$kpkg" busybox-static:riscv64 >&2)
dpkg -x "$work"/linux-image-*.deb "$work/k"
dpkg -x "$work"/busybox-static_*.deb "$work/bb"
kernel=$(find "$work/k/boot" -name 'vmlinu*' -type f | head -n1)
[ -n "$kernel" ] || { log "no kernel image in $kpkg"; exit 1; }

root=$work/root
mkdir -p "$root/bin" "$root/proc"
cp "$work/bb/usr/bin/busybox" "$root/bin/busybox"
ln -s busybox "$root/bin/sh"
cat >"$root/init" <<'INIT'
#!/bin/sh
/bin/busybox mount -t proc proc /proc
echo "GB:RISCV64-UP $(/bin/busybox uname -m) $(/bin/busybox uname -r)"
exec /bin/busybox sleep 2147483647
INIT
chmod 0755 "$root/init"
mkdir -p "$work/out"
cp "$kernel" "$work/out/vmlinux"
(cd "$root" && find . | cpio -o -H newc --quiet | gzip -9) >"$work/out/initrd.cpio.gz"
chmod 0755 "$work/out"
mv -T "$work/out" "$out" 2>/dev/null || [ -f "$out/vmlinux" ] || { log "could not move the kernel to $out"; exit 1; }
log "built $out from $kpkg"
echo "$out"
