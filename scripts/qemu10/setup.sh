#!/usr/bin/env bash
# Builds (or finds cached) a Debian trixie chroot holding the QEMU generation our users run on
# Arch: QEMU 10.x, the Rust virtiofsd, a current OVMF and swtpm, plus Node to run vitest.
# The test machines run Debian 12 (QEMU 7.2, C virtiofsd); with this chroot every QEMU-facing
# test runs on both generations on the same machine (scripts/qemu10/run.sh runs a command in it).
#
#   scripts/qemu10/setup.sh [ROOT]      default ROOT: ${GUESTBAY_QEMU10_ROOT:-$HOME/.cache/guestbay/qemu10-root}
#
# Cheap when cached: ROOT holds a stamp with the hash of the recipe below (suite + packages +
# RECIPE); a matching stamp means done. Changing the package list builds a new chroot.
# Needs root (debootstrap, chroot); re-runs itself through sudo otherwise. Needs debootstrap
# (installed with apt-get if missing) and Debian's mirror (GUESTBAY_DEBIAN_MIRROR to override).
# Exit status 75 (EX_TEMPFAIL): the mirror is unreachable and there is no usable chroot, so the
# caller may decide to skip (scripts/test.sh does, except in CI).
set -euo pipefail

ROOT=${1:-${GUESTBAY_QEMU10_ROOT:-$HOME/.cache/guestbay/qemu10-root}}
MIRROR=${GUESTBAY_DEBIAN_MIRROR:-http://deb.debian.org/debian}
SUITE=trixie
# Bump when the build steps below change in a way the package list does not show.
# 2: riscv64 added to dpkg's architectures, so the tests can `apt-get download` trixie's riscv64
#    kernel inside (Debian 12 has no riscv64).
RECIPE=2
PACKAGES=(
  # What Guestbay launches (the Arch equivalents: qemu-full edk2-ovmf virtiofsd swtpm samba).
  qemu-system-x86 qemu-utils ovmf virtiofsd swtpm swtpm-tools samba
  # What the tests run inside: vitest under Node (>= 20.19; trixie has 20.19), and the tools
  # scripts/setup.sh --test installs on the host, so both tiers see the same set.
  nodejs busybox-static cpio mtools dosfstools zstd xz-utils
  # The display tests: Debian's installer on an ISO made by grub-mkrescue (test/guest/installer-iso.sh,
  # cached in ~/.cache and normally built on the host first), and Chromium for the end-to-end
  # run of QEMU 10's VNC server through the real bridge and noVNC.
  grub-efi-amd64-bin grub-pc-bin xorriso chromium fonts-dejavu-core
  # Disks: NOCOW on a loop-mounted btrfs, looking inside images (ext4, NTFS, FUSE exports of
  # qemu-storage-daemon), and libvirt's schema check of exported domains.
  btrfs-progs e2fsprogs fuse3 ntfs-3g libvirt-clients libxml2-utils
  # Other architectures (issue 21; Arch: qemu-full + edk2-aarch64 + edk2-riscv64): the ARM and
  # RISC-V emulators, the AArch64 UEFI (with its firmware descriptors), OpenSBI and U-Boot for
  # RISC-V (its disk boot), and EDK2 for RISC-V (the UEFI choice, with its descriptor).
  qemu-system-arm qemu-system-misc qemu-efi-aarch64 opensbi u-boot-qemu qemu-efi-riscv64
  # The test guest's build (test/guest/build.sh) picks qemu-ga's libraries with readelf; it is
  # normally built on the host first, but a chroot run that finds no cached guest builds it here.
  binutils
)

log() { echo "qemu10: $*" >&2; }
die() { log "$*"; exit 1; }

[ $# -le 1 ] || die "usage: $0 [ROOT]"
case $ROOT in /*) ;; *) ROOT=$PWD/$ROOT ;; esac
ROOT=${ROOT%/}
[ -n "$ROOT" ] && [ "$ROOT" != / ] || die "refusing ROOT='/'"

hash=$(printf '%s\n' "suite=$SUITE" "recipe=$RECIPE" "${PACKAGES[@]}" | sha256sum | cut -c1-16)
STAMP=$ROOT/.guestbay-qemu10-stamp
# The common case, and the only one that works without root: already built from this recipe.
if [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$hash" ]; then exit 0; fi

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || die "building the chroot needs root (debootstrap, chroot) and sudo is not installed"
  # Created as the user first: the test guest cache lives next to the chroot, and must stay
  # writable by the user when a root build creates ~/.cache/guestbay.
  mkdir -p "$(dirname "$ROOT")"
  log "building the chroot needs root: running through sudo"
  exec sudo -- env HOME="$HOME" PATH="$PATH" CI="${CI:-}" GUESTBAY_DEBIAN_MIRROR="$MIRROR" "$0" "$ROOT"
fi

mkdir -p "$(dirname "$ROOT")"
# Two runs at once (a developer and a test run) would each build and swap: one builds, the
# other waits and then finds the stamp.
exec 9>"$ROOT.lock"
flock 9
if [ -f "$STAMP" ] && [ "$(head -n1 "$STAMP")" = "$hash" ]; then exit 0; fi

# Anything already at ROOT gets deleted below, so it must be ours (an old stamp) or empty,
# and nothing may be mounted under it (rm -rf through a bound /dev or project dir would be
# a disaster; run.sh's mounts live in private namespaces, so normally there are none).
if [ -e "$ROOT" ]; then
  if [ -f "$STAMP" ]; then log "the package list or recipe changed: rebuilding $ROOT"
  elif [ -n "$(ls -A "$ROOT" 2>/dev/null)" ]; then die "$ROOT exists and is not a chroot built by this script: remove it or choose another ROOT"
  fi
fi
mounted_under() { awk -v r="$1" '$5 == r || index($5, r "/") == 1 { print $5 }' /proc/self/mountinfo; }
[ -z "$(mounted_under "$ROOT")" ] || die "something is mounted under $ROOT: $(mounted_under "$ROOT" | head -n3 | tr '\n' ' ')"

# No network to the mirror: say so with a distinct status instead of a debootstrap error page.
# apt's own downloader is on every Debian, unlike curl or wget.
probe=$(mktemp)
if ! timeout 60 /usr/lib/apt/apt-helper -o Acquire::http::Timeout=15 -o Acquire::Retries=1 \
    download-file "$MIRROR/dists/$SUITE/Release" "$probe" >/dev/null 2>&1; then
  rm -f "$probe"
  log "cannot reach $MIRROR (for Debian $SUITE): no QEMU 10 chroot can be built"
  exit 75
fi
rm -f "$probe"

if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends debootstrap >/dev/null
fi
# Debian 12's debootstrap knows trixie; an older one can still use sid's script (same layout).
script=/usr/share/debootstrap/scripts/$SUITE
[ -e "$script" ] || script=/usr/share/debootstrap/scripts/sid

# Built next to ROOT and swapped in at the end, so ROOT is never half-built: an interrupted
# build leaves the old chroot (or nothing) in place, and the stamp is written last.
started=$SECONDS
NEW=$(mktemp -d "$ROOT.build.XXXXXX")
chmod 0755 "$NEW"   # it becomes "/": mktemp's 0700 would lock out a non-root user inside
buildlog=$NEW.log
cleanup() { rm -rf --one-file-system "$NEW"; rm -f "$buildlog"; }
trap cleanup EXIT
fail() { log "$1 failed; last lines of $buildlog:"; tail -n 25 "$buildlog" >&2; trap - EXIT; rm -rf --one-file-system "$NEW"; exit 1; }

log "debootstrap $SUITE (minbase) from $MIRROR into $NEW"
# minbase: apt + essential packages only; everything else comes from apt inside, whose
# dependency resolution is better than debootstrap's --include.
debootstrap --variant=minbase "$SUITE" "$NEW" "$MIRROR" "$script" >"$buildlog" 2>&1 || fail debootstrap

# Services must not start inside the chroot while packages install (samba would try to).
printf '#!/bin/sh\nexit 101\n' >"$NEW/usr/sbin/policy-rc.d"
chmod 0755 "$NEW/usr/sbin/policy-rc.d"
# minbase has no /etc/hosts; Node resolves "localhost" through it (vitest's workers need it).
printf '127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n' >"$NEW/etc/hosts"
cp -L /etc/resolv.conf "$NEW/etc/resolv.conf"

log "apt-get install ${PACKAGES[*]}"
# A private mount namespace: /proc, /sys and /dev (for the maintainer scripts) disappear with
# it, even when the install fails, so there is never anything to unmount.
unshare --mount --propagation private -- /bin/bash -euo pipefail -c '
  R=$1; shift
  mount -t proc proc "$R/proc"
  mount --rbind /sys "$R/sys"
  mount --rbind /dev "$R/dev"
  chroot "$R" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin HOME=/root LANG=C.UTF-8 \
    DEBIAN_FRONTEND=noninteractive /bin/sh -euc "
      dpkg --add-architecture riscv64
      apt-get update -q
      apt-get install -y -q --no-install-recommends $*
      # The .debs are not needed again; the package lists stay, so apt-get download works
      # inside (test/guest/build.sh uses it when it builds the guest in here).
      apt-get clean"
' install "$NEW" "${PACKAGES[@]}" >>"$buildlog" 2>&1 || fail "apt-get install"

qemu=$(chroot "$NEW" qemu-system-x86_64 --version | head -n1)
vfsd=$(chroot "$NEW" /usr/libexec/virtiofsd --version | head -n1)
node=$(chroot "$NEW" node --version)
printf '%s\n' "$hash" "suite=$SUITE recipe=$RECIPE built=$(date -u +%FT%TZ)" "$qemu" "$vfsd" "node $node" \
  "packages=${PACKAGES[*]}" >"$NEW/.guestbay-qemu10-stamp"

# Swap: the old chroot (if any) goes aside, the new one takes its name, then the old is removed.
if [ -e "$ROOT" ]; then
  OLD=$ROOT.old.$$
  mv -T "$ROOT" "$OLD"
  mv -T "$NEW" "$ROOT"
  rm -rf --one-file-system "$OLD"
else
  mv -T "$NEW" "$ROOT"
fi
trap - EXIT
rm -f "$buildlog"
log "built $ROOT in $((SECONDS - started)) s ($(du -sh "$ROOT" 2>/dev/null | cut -f1)): $qemu; $vfsd; node $node"
