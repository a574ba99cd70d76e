#!/usr/bin/env bash
# Builds the tiny test guest (a Debian cloud kernel + a busybox initramfs, see README.md) and
# caches it under ${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}/<hash>/.
# The hash covers this script and the files that go into the initramfs, so editing any of
# them builds a new guest and never reuses a stale one. Prints the output directory as the
# last line on stdout; everything else goes to stderr.
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
inputs=(build.sh init udhcpc.script power-button shutdown)
cache_root=${GUESTBAY_TEST_GUEST_DIR:-$HOME/.cache/guestbay/test-guest}
hash=$(cd "$here" && cat "${inputs[@]}" | sha256sum | cut -c1-16)
out=$cache_root/$hash

if [ -d "$out" ]; then
  echo "$out"
  exit 0
fi

log() { echo "build.sh: $*" >&2; }

mkdir -p "$cache_root"
# Built next to the final directory so the last step is one rename: a dir that exists is
# always complete, and two builds racing each other cannot mix their files.
work=$(mktemp -d "$cache_root/.build.XXXXXX")
trap 'rm -rf "$work"' EXIT

# Required modules, by module name; their dependencies are added from each .ko's depends=.
# Optional ones are taken when this kernel has them (the cloud kernel has no AHCI and no 9p).
# sr_mod and isofs: a CD on virtio-scsi, read by the guest when a disc is inserted live.
required_modules=(virtio_pci virtio_blk virtio_net virtio_scsi sd_mod virtio_console
  fuse virtiofs button evdev)
optional_modules=(ahci 9pnet_virtio 9p sr_mod isofs)

apt_retry() {
  # Only refresh the package lists when they are the problem: update is slow and needs root.
  "$@" && return 0
  log "'$*' failed; running apt-get update and retrying"
  apt-get update >&2
  "$@"
}

kernel_pkg_name() {
  apt-cache depends linux-image-cloud-amd64 2>/dev/null |
    sed -n 's/^ *Depends: \(linux-image-[^ ]*-cloud-amd64\)$/\1/p' | head -n 1 | grep .
}

kpkg=$(apt_retry kernel_pkg_name)
log "kernel package: $kpkg"
mkdir -p "$work/debs" "$work/pkg" "$work/qga"
(cd "$work/debs" && apt_retry apt-get download "$kpkg" busybox-static >&2)
for deb in "$work"/debs/*.deb; do dpkg -x "$deb" "$work/pkg"; done

# The QEMU guest agent from Debian's package, with the shared libraries it loads (and theirs),
# taken from Debian's packages too: the guest starts it only when its kernel line asks (gb.qga),
# so the other tests' guests have no agent. The libraries are found by their packages'
# dependencies (lib* only), then picked by the ELF NEEDED entries, so only what is loaded goes in.
lib_deps() {
  apt-cache depends "$1" 2>/dev/null | sed -n 's/^ *\(Pre\)\{0,1\}Depends: \(lib[^ <>]*\)$/\2/p' | sed 's/:any$//'
}
declare -A seen_pkg=()
qga_pkgs=()
want_pkg() {
  local p=$1 d
  [ -n "${seen_pkg[$p]:-}" ] && return 0
  seen_pkg[$p]=1
  qga_pkgs+=("$p")
  for d in $(lib_deps "$p"); do want_pkg "$d"; done
}
want_pkg qemu-guest-agent
log "guest agent packages: ${qga_pkgs[*]}"
(cd "$work/qga" && apt_retry apt-get download "${qga_pkgs[@]}" >&2)
mkdir -p "$work/qga/x"
for deb in "$work"/qga/*.deb; do dpkg -x "$deb" "$work/qga/x"; done

# Debian moved /lib to /usr/lib in newer releases; accept either layout.
first() { for f in "$@"; do if [ -e "$f" ]; then echo "$f"; return 0; fi; done; return 1; }
bb=$(first "$work/pkg/bin/busybox" "$work/pkg/usr/bin/busybox")
vmlinuz=$(first "$work"/pkg/boot/vmlinuz-*)
kver=${vmlinuz##*/vmlinuz-}
moddir=$(first "$work/pkg/lib/modules/$kver" "$work/pkg/usr/lib/modules/$kver")
log "kernel $kver, $("$bb" | head -n 1)"

# Index the modules by name. Module names use "_" where file names may use "-".
declare -A modfile=()
while IFS= read -r -d '' f; do
  name=${f##*/}
  name=${name%%.ko*}
  modfile[${name//-/_}]=$f
done < <(find "$moddir" -name '*.ko*' -print0)
declare -A builtin=()
if [ -f "$moddir/modules.builtin" ]; then
  while IFS= read -r line; do
    name=${line##*/}
    name=${name%.ko}
    builtin[${name//-/_}]=1
  done <"$moddir/modules.builtin"
fi

module_deps() {
  local f=$1
  case $f in
  *.ko) cat "$f" ;;
  *.ko.xz) "$bb" xzcat "$f" ;;
  *.ko.gz) "$bb" zcat "$f" ;;
  *.ko.zst) zstd -dc "$f" ;;
  esac | tr '\0' '\n' | sed -n 's/^depends=//p' | head -n 1 | tr ',' ' '
}

# Depth-first: every module lands in the list after all it depends on (insmod, unlike
# modprobe, does not resolve dependencies, and there is no depmod here).
declare -A visited=()
order=()
add_module() {
  local name=$1 required=$2 dep
  [ -n "${visited[$name]:-}" ] && return 0
  visited[$name]=1
  if [ -z "${modfile[$name]:-}" ]; then
    [ -n "${builtin[$name]:-}" ] && return 0
    [ "$required" = required ] && { log "module $name not in kernel $kver"; exit 1; }
    log "optional module $name not in kernel $kver: skipped"
    return 0
  fi
  for dep in $(module_deps "${modfile[$name]}"); do add_module "$dep" required; done
  order+=("$name")
}
for m in "${required_modules[@]}"; do add_module "$m" required; done
for m in "${optional_modules[@]}"; do add_module "$m" optional; done
log "modules: ${order[*]}"

root=$work/root
mkdir -p "$root"/{bin,dev,proc,sys,mnt,tmp,run,root,var/log,lib/modules,etc/udhcpc,etc/acpi/PWRF}
ln -s bin "$root/sbin"
mkdir -p "$root/usr"
ln -s ../bin "$root/usr/bin"
ln -s ../bin "$root/usr/sbin"
cp "$bb" "$root/bin/busybox"
for applet in $("$bb" --list); do
  [ "$applet" = busybox ] || ln -s busybox "$root/bin/$applet"
done
for name in "${order[@]}"; do
  f=${modfile[$name]}
  case $f in
  *.ko) cp "$f" "$root/lib/modules/$name.ko" ;;
  *.ko.xz) "$bb" xzcat "$f" >"$root/lib/modules/$name.ko" ;;
  *.ko.gz) "$bb" zcat "$f" >"$root/lib/modules/$name.ko" ;;
  *.ko.zst) zstd -dc "$f" >"$root/lib/modules/$name.ko" ;;
  esac
done
printf '%s\n' "${order[@]}" >"$root/lib/modules/order"
install -m 0755 "$here/init" "$root/init"
install -m 0755 "$here/udhcpc.script" "$root/etc/udhcpc/default.script"
# busybox acpid maps the power key to "PWRF/00000080" and runs that path under its -c dir.
install -m 0755 "$here/power-button" "$root/etc/acpi/PWRF/00000080"
# qemu-ga runs /sbin/shutdown for guest-shutdown; busybox has no such applet.
install -m 0755 "$here/shutdown" "$root/bin/shutdown"
printf 'ID=guestbay-test\nNAME="Guestbay test guest"\nPRETTY_NAME="Guestbay test guest"\n' >"$root/etc/os-release"

qga=$(first "$work/qga/x/usr/sbin/qemu-ga" "$work/qga/x/usr/bin/qemu-ga")
install -m 0755 "$qga" "$root/bin/qemu-ga"
libdirs=("$work/qga/x/lib/x86_64-linux-gnu" "$work/qga/x/usr/lib/x86_64-linux-gnu")
declare -A have_lib=()
copy_libs() {
  local elf=$1 need f d
  for need in $(readelf -d "$elf" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
    [ -n "${have_lib[$need]:-}" ] && continue
    have_lib[$need]=1
    f=
    for d in "${libdirs[@]}"; do [ -e "$d/$need" ] && { f=$d/$need; break; }; done
    [ -n "$f" ] || { log "qemu-ga needs $need, found in none of its packages"; exit 1; }
    cp -L "$f" "$root/lib/$need"
    copy_libs "$root/lib/$need"
  done
}
copy_libs "$root/bin/qemu-ga"
interp=$(readelf -l "$root/bin/qemu-ga" | sed -n 's/.*interpreter: \(.*\)\]/\1/p')
ldso=$(first "${libdirs[@]/%//${interp##*/}}")
mkdir -p "$root/$(dirname "$interp")"
cp -L "$ldso" "$root/lib/${interp##*/}"
[ "$interp" = "/lib/${interp##*/}" ] || ln -sf "/lib/${interp##*/}" "$root$interp"
log "guest agent: $("$root/lib/${interp##*/}" --library-path "$root/lib" "$root/bin/qemu-ga" --version 2>/dev/null | head -n 1)"

mkdir -p "$work/out"
cp "$vmlinuz" "$work/out/vmlinuz"
# busybox's cpio, so the host needs neither cpio nor root (-R 0:0 sets the owner).
(cd "$root" && find . | LC_ALL=C sort | "$bb" cpio -o -H newc -R 0:0 2>/dev/null) |
  gzip -9n >"$work/out/initrd.gz"
{
  echo "kernel_package=$kpkg"
  echo "kernel_version=$kver"
  echo "busybox=$("$bb" | head -n 1)"
  echo "modules=${order[*]}"
  echo "guest_agent=${qga_pkgs[*]}"
} >"$work/out/info"

chmod 0755 "$work/out"
if ! mv -T "$work/out" "$out" 2>/dev/null; then
  [ -f "$out/initrd.gz" ] || { log "could not move the guest to $out"; exit 1; }
  log "another build finished first; using it"
fi
log "built $out"
echo "$out"
