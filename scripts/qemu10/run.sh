#!/usr/bin/env bash
# Runs a command inside the QEMU 10 chroot built by scripts/qemu10/setup.sh, so the code under
# test sees that chroot's QEMU, firmware descriptors, virtiofsd and swtpm, as on Arch.
#
#   scripts/qemu10/run.sh CMD [ARG…]     e.g. scripts/qemu10/run.sh node node_modules/vitest/vitest.mjs run --project qemu
#
# - The project dir is bind-mounted at the same path (node_modules come from the host's npm ci),
#   and CMD runs in the current directory when that is inside the project, else the project root.
# - $HOME/.cache is bind-mounted too: the test guest (test/guest/build.sh) is cached there.
# - /tmp is a private tmpfs: QMP sockets, VARS copies and logs never mix with the host's.
# - All mounts live in a private mount namespace (unshare), so they vanish when CMD exits,
#   however it exits: nothing to unmount, nothing leaks into the host.
# - The environment is clean: PATH, HOME, LANG, TERM, CI and GUESTBAY_* pass through, nothing
#   else (so no host tool or setting leaks in by accident).
# Needs root (unshare, chroot); re-runs itself through sudo otherwise, and then runs CMD as the
# calling user again, so files it creates in the project and the cache stay theirs.
# env: GUESTBAY_QEMU10_ROOT  the chroot (default $HOME/.cache/guestbay/qemu10-root)
set -euo pipefail

[ $# -gt 0 ] || { echo "usage: $0 CMD [ARG…]" >&2; exit 2; }
ROOT=${GUESTBAY_QEMU10_ROOT:-$HOME/.cache/guestbay/qemu10-root}
PROJ=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd -P)
[ -f "$ROOT/.guestbay-qemu10-stamp" ] || { echo "qemu10: no chroot at $ROOT: run scripts/qemu10/setup.sh first" >&2; exit 1; }

# Passed through into the chroot (besides PATH, which is the chroot's own).
keep=(HOME="$HOME" LANG="${LANG:-C.UTF-8}" TERM="${TERM:-dumb}")
[ -z "${CI+set}" ] || keep+=(CI="$CI")
for v in $(compgen -e); do
  case $v in GUESTBAY_*) keep+=("$v=${!v}") ;; esac
done

if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "qemu10: running in the chroot needs root (unshare, chroot) and sudo is not installed" >&2; exit 1; }
  # uid:gid:supplementary groups to switch back to inside (setpriv, below).
  exec sudo -- env "${keep[@]}" _GUESTBAY_QEMU10_USER="$(id -u):$(id -g):$(id -G | tr ' ' ,)" "$0" "$@"
fi

cwd=$(pwd -P)
case $cwd/ in "$PROJ"/*) ;; *) cwd=$PROJ ;; esac

# Inside: run CMD as is (root), or as the user who called us through sudo. setpriv takes
# numeric ids, so the chroot needs no passwd entry; /dev/kvm keeps the host's group id.
as=()
if [ -n "${_GUESTBAY_QEMU10_USER:-}" ]; then
  IFS=: read -r uid gid groups <<<"$_GUESTBAY_QEMU10_USER"
  as=(/usr/bin/setpriv --reuid="$uid" --regid="$gid" --groups="$groups" --)
fi

exec unshare --mount --propagation private -- /bin/bash -euo pipefail -c '
  R=$1 P=$2 H=$3; shift 3
  # "/" must be a mount point: the Rust virtiofsd'"'"'s default --sandbox namespace pivots into
  # the shared dir and refuses a root that is a plain directory (a bare chroot).
  mount --bind "$R" "$R"
  mount -t proc proc "$R/proc"
  mount --rbind /sys "$R/sys"
  mount --rbind /dev "$R/dev"             # with /dev/kvm, /dev/net/tun, /dev/shm, /dev/pts
  mount -t tmpfs -o mode=1777,nosuid,nodev tmpfs "$R/tmp"
  # DNS as on the host (a symlink to systemd-resolved'"'"'s stub works too: same network).
  mount --bind -o ro "$(readlink -f /etc/resolv.conf)" "$R/etc/resolv.conf" 2>/dev/null || true
  # Mount points are created in the chroot itself (empty dirs, harmless); the project last, in
  # case it lives under ~/.cache.
  if [ -d "$H/.cache" ]; then mkdir -p "$R$H/.cache" && mount --bind "$H/.cache" "$R$H/.cache"; fi
  mkdir -p "$R$P" && mount --bind "$P" "$R$P"
  exec chroot "$R" "$@"
' qemu10 "$ROOT" "$PROJ" "$HOME" \
  "${as[@]}" /usr/bin/env -i -C "$cwd" PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin "${keep[@]}" "$@"
