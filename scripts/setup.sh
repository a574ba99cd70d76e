#!/usr/bin/env bash
# Installs what Guestbay needs on this machine, then its npm dependencies.
#   scripts/setup.sh          everything to run Guestbay (QEMU, OVMF, virtiofsd, swtpm, samba, …)
#   scripts/setup.sh --test   also what the test suites need (busybox, cpio, debootstrap, …)
# Arch/Manjaro: pacman; Debian/Ubuntu: apt-get. Elsewhere it says what to install.
set -euo pipefail
cd "$(dirname "$0")/.."
TEST=0; [ "${1:-}" = --test ] && TEST=1
SUDO=; [ "$(id -u)" -eq 0 ] || SUDO=sudo
. /etc/os-release
case " ${ID:-} ${ID_LIKE:-} " in
  *" arch "*)
    pkgs=(qemu-full edk2-ovmf virtiofsd swtpm samba virt-viewer mtools)
    [ $TEST = 1 ] && pkgs+=(busybox cpio debootstrap desktop-file-utils dosfstools chromium grub xorriso wimlib)
    # Disks (issue 16): btrfs for NOCOW, ext4/NTFS/FUSE to look inside images, libvirt's schema
    # check of exported domains.
    [ $TEST = 1 ] && pkgs+=(btrfs-progs e2fsprogs fuse3 ntfs-3g libvirt libxml2)
    # Other architectures (issue 21): qemu-full has the emulators; the AArch64 UEFI is its own package.
    [ $TEST = 1 ] && pkgs+=(edk2-aarch64)
    # Windows (issue 20): mkisofs writes the UDF-only stand-in of Microsoft's newer ISOs.
    [ $TEST = 1 ] && pkgs+=(cdrtools)
    [ $TEST = 1 ] && pkgs+=(binutils)
    missing=(); for p in "${pkgs[@]}"; do pacman -Qq "$p" >/dev/null 2>&1 || missing+=("$p"); done
    [ ${#missing[@]} -eq 0 ] || $SUDO pacman -S --needed --noconfirm "${missing[@]}"
    ;;
  *" debian "*|*" ubuntu "*)
    pkgs=(qemu-system-x86 qemu-utils ovmf swtpm swtpm-tools samba mtools)
    # makepkg, and pacman-package-manager without which it stops ("unknown error"): the Arch PKGBUILD's test
    # reads it with `makepkg --printsrcinfo` (on Arch both come with pacman). grub and xorriso make
    # the installer ISO of the display tests.
    [ $TEST = 1 ] && pkgs+=(busybox-static cpio debootstrap desktop-file-utils dosfstools chromium makepkg pacman-package-manager grub-efi-amd64-bin grub-pc-bin xorriso)
    # Disks (issue 16): btrfs for NOCOW (a loop-mounted btrfs in the test), ext4/NTFS tools and
    # FUSE to look inside images, virt-xml-validate (with xmllint) for exported libvirt domains.
    [ $TEST = 1 ] && pkgs+=(btrfs-progs e2fsprogs fuse3 ntfs-3g libvirt-clients libxml2-utils)
    # Windows (issue 20): wimtools writes the stand-in install.wim whose XML names the editions;
    # genisoimage (its mkisofs) the UDF-only stand-in of Microsoft's newer ISOs.
    [ $TEST = 1 ] && pkgs+=(wimtools genisoimage)
    # Other architectures (issue 21): the ARM and RISC-V emulators and the AArch64 UEFI, for the
    # aarch64 installer boot and the riscv64 kernel boot on this QEMU; U-Boot (u-boot-qemu's
    # qemu-riscv64_smode) for the riscv64 disk boot.
    [ $TEST = 1 ] && pkgs+=(qemu-system-arm qemu-system-misc qemu-efi-aarch64 u-boot-qemu)
    # binutils: readelf picks the libraries qemu-ga loads for the test guest (test/guest/build.sh).
    [ $TEST = 1 ] && pkgs+=(binutils)
    # The guest tools disk (issue 17): its mount units checked with systemd-analyze (systemd),
    # its macOS LaunchAgent read back with Python's plistlib.
    [ $TEST = 1 ] && pkgs+=(systemd python3)
    missing=(); for p in "${pkgs[@]}"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'ok installed' || missing+=("$p"); done
    if [ ${#missing[@]} -gt 0 ]; then
      $SUDO apt-get update -qq
      DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
    fi
    ;;
  *) echo "setup: unknown distribution '${ID:-?}': install QEMU, OVMF, virtiofsd and swtpm yourself" >&2 ;;
esac
# Tests never need Electron's binary (services run under plain Node), and CI cannot download it.
if [ $TEST = 1 ]; then export ELECTRON_SKIP_BINARY_DOWNLOAD=1; fi
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
