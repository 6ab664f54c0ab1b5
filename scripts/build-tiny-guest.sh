#!/usr/bin/env bash
# Builds the tiny real Linux guest of docs tiny-guest.md from Debian's packages (nothing is installed):
# a Debian kernel, a busybox initramfs running the host's own qemu-ga, and a 64 MiB ext4 data disk.
#
# Usage: scripts/build-tiny-guest.sh [--force]
#   Output folder: $VIRTFLOW_GUEST_DIR, default <repo>/.cache/tiny-guest. It receives
#     vmlinuz      the kernel (from the package linux-image-amd64 depends on)
#     initrd.gz    busybox-static userland, virtio/ext4 modules, qemu-ga and its libraries, /init
#     disk.qcow2   the base data disk (ext4, 64 MiB); copy it, never boot it in place
#     stamp        kernel package + hash of this script + hash of qemu-ga; a matching stamp means "done"
#   Cached: with outputs present and a matching stamp it exits at once. --force rebuilds.
#   $VIRTFLOW_GUEST_KERNEL_PKG overrides the kernel package (default: asked from apt-cache).
#
# The guest's /init mounts /dev/vda on /mnt, starts qemu-ga on the virtio port org.qemu.guest_agent.0,
# prints VIRTFLOW-GUEST-READY on the serial console, then loops forever: write a data file with
# dd conv=fsync, write the counter to /mnt/counter with dd conv=fsync, print "counter=N", sleep 100 ms.
# Progress lines "virtflow-init: ..." come before the marker; on a failure it prints
# "VIRTFLOW-GUEST-FAILED: reason" and powers off.
set -euo pipefail

# depmod, mkfs.ext4 and qemu-ga live in sbin, which a non-root user's PATH often lacks.
export PATH="$PATH:/usr/sbin:/sbin"
SCRIPT=$(readlink -f "${BASH_SOURCE[0]}")
REPO_ROOT=$(cd "$(dirname "$SCRIPT")/.." && pwd)
OUT=${VIRTFLOW_GUEST_DIR:-$REPO_ROOT/.cache/tiny-guest}
FORCE=0
case "${1:-}" in
  --force) FORCE=1 ;;
  "") ;;
  -h|--help) sed -n '2,19p' "$SCRIPT" | sed 's/^# \{0,1\}//'; exit 0 ;;
  *) echo "build-tiny-guest: unknown argument '$1' (try --help)" >&2; exit 2 ;;
esac

# Load order that works (tiny-guest.md); crc32c_generic is ext4's soft dependency, absent from modules.dep.
MODULES="crc32c_generic virtio_pci_legacy_dev virtio_pci_modern_dev virtio_ring virtio virtio_pci virtio_blk virtio_console crc16 mbcache jbd2 ext4"
DISK_SIZE=64M
MARKER=VIRTFLOW-GUEST-READY

die() { echo "build-tiny-guest: $*" >&2; exit 1; }
log() { echo "build-tiny-guest: $*" >&2; }

# --- tools, each with the Debian package that provides it ---------------------------------------------
missing=()
need() { command -v "$1" >/dev/null 2>&1 || missing+=("$1 (package $2)"); }
need apt-get apt
need apt-cache apt
need dpkg dpkg
need dpkg-query dpkg
need depmod kmod
need cpio cpio
need gzip gzip
need ldd libc-bin
need mkfs.ext4 e2fsprogs
need qemu-img qemu-utils
need sha256sum coreutils
need flock util-linux
QEMU_GA=$(command -v qemu-ga || true)
[ -n "$QEMU_GA" ] || missing+=("qemu-ga (package qemu-guest-agent)")
BUSYBOX=$(dpkg-query -L busybox-static 2>/dev/null | grep -E '/busybox$' | head -n1 || true)
[ -n "$BUSYBOX" ] && [ -x "$BUSYBOX" ] || missing+=("a static busybox (package busybox-static)")
if [ ${#missing[@]} -gt 0 ]; then
  printf 'build-tiny-guest: missing on this host:\n' >&2
  printf '  - %s\n' "${missing[@]}" >&2
  die "install them, e.g.: apt-get install qemu-utils qemu-guest-agent busybox-static cpio kmod e2fsprogs"
fi
if ldd "$BUSYBOX" >/dev/null 2>&1; then
  die "$BUSYBOX is dynamically linked; the initramfs needs busybox-static"
fi

# --- what the cache must match ------------------------------------------------------------------------
SCRIPT_HASH=$(sha256sum "$SCRIPT" | cut -c1-16)
GA_HASH=$(sha256sum "$QEMU_GA" | cut -c1-16)
outputs_present() { [ -s "$OUT/vmlinuz" ] && [ -s "$OUT/initrd.gz" ] && [ -s "$OUT/disk.qcow2" ] && [ -s "$OUT/stamp" ]; }
# Fast path (asking apt-cache takes ~2 s): same script and qemu-ga, and apt's lists unchanged since the build.
if [ $FORCE = 0 ] && [ -z "${VIRTFLOW_GUEST_KERNEL_PKG:-}" ] && outputs_present \
  && grep -q "script=$SCRIPT_HASH qemu-ga=$GA_HASH\$" "$OUT/stamp" \
  && [ -d /var/lib/apt/lists ] && [ "$OUT/stamp" -nt /var/lib/apt/lists ]; then
  log "up to date in $OUT ($(cut -d' ' -f1 "$OUT/stamp"))"
  exit 0
fi
KPKG=${VIRTFLOW_GUEST_KERNEL_PKG:-}
if [ -z "$KPKG" ]; then
  KPKG=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/^ *Depends: *\(linux-image-[0-9][^ ]*\).*/\1/p' | head -n1 || true)
fi
if [ -z "$KPKG" ]; then
  # No apt lists (offline, or never updated): a cache built by this very script is still good.
  if [ $FORCE = 0 ] && outputs_present && grep -q "script=$SCRIPT_HASH qemu-ga=$GA_HASH\$" "$OUT/stamp"; then
    log "apt-cache knows no linux-image-amd64; using the cached guest in $OUT"
    exit 0
  fi
  die "apt-cache cannot resolve linux-image-amd64 (run 'apt-get update' first, or set VIRTFLOW_GUEST_KERNEL_PKG)"
fi
STAMP="kernel=$KPKG script=$SCRIPT_HASH qemu-ga=$GA_HASH"
is_current() { outputs_present && [ "$(cat "$OUT/stamp")" = "$STAMP" ]; }
if [ $FORCE = 0 ] && is_current; then
  log "up to date in $OUT ($KPKG)"
  exit 0
fi

# --- build, one builder at a time ----------------------------------------------------------------------
mkdir -p "$OUT"
exec 9>"$OUT/.lock"
flock 9
if [ $FORCE = 0 ] && is_current; then
  log "built meanwhile by another process, up to date in $OUT"
  exit 0
fi
START=$SECONDS
WORK=$(mktemp -d "$OUT/.build.XXXXXX")
trap 'rm -rf "$WORK"' EXIT

# Kernel: apt-get download (kept in $OUT/debs so a rebuild for a script change downloads nothing).
DEBS="$OUT/debs"
mkdir -p "$DEBS"
DEB=$(ls "$DEBS"/"${KPKG}"_*.deb 2>/dev/null | head -n1 || true)
if [ -z "$DEB" ]; then
  log "downloading $KPKG"
  find "$DEBS" -name '*.deb' -delete
  APT_OPTS=()
  [ "$(id -u)" = 0 ] && APT_OPTS=(-o APT::Sandbox::User=root)
  (cd "$DEBS" && apt-get download -q "${APT_OPTS[@]}" "$KPKG" >&2) || die "apt-get download $KPKG failed"
  DEB=$(ls "$DEBS"/"${KPKG}"_*.deb 2>/dev/null | head -n1 || true)
  [ -n "$DEB" ] || die "apt-get download $KPKG left no .deb in $DEBS"
fi
log "unpacking $(basename "$DEB")"
dpkg -x "$DEB" "$WORK/kernel"
KVER=$(ls "$WORK/kernel/lib/modules" | head -n1)
[ -n "$KVER" ] || die "no lib/modules/<version> in $DEB"
[ -f "$WORK/kernel/boot/vmlinuz-$KVER" ] || die "no boot/vmlinuz-$KVER in $DEB"
depmod -b "$WORK/kernel" "$KVER"
MODDIR="$WORK/kernel/lib/modules/$KVER"

# Modules, checked against modules.dep: every dependency must come earlier in $MODULES.
ROOT="$WORK/root"
mkdir -p "$ROOT"/{bin,dev,proc,sys,run,tmp,mnt,etc,lib/modules,usr/bin,usr/sbin}
ln -s bin "$ROOT/sbin"
loaded=" "
for m in $MODULES; do
  rel=$(grep -E "(^|/)$m\.ko(\.[a-z]+)?:" "$MODDIR/modules.dep" | head -n1 | cut -d: -f1 || true)
  [ -n "$rel" ] || die "module $m is not in $KVER (kernel packaging changed? edit MODULES)"
  case "$rel" in *.ko) ;; *) die "module $m is compressed ($rel); busybox insmod needs plain .ko" ;; esac
  for dep in $(grep -E "^$rel:" "$MODDIR/modules.dep" | cut -d: -f2); do
    d=$(basename "$dep"); d=${d%%.ko*}
    case "$loaded" in *" $d "*) ;; *) die "module $m needs $d first (edit MODULES in $SCRIPT)" ;; esac
  done
  cp "$MODDIR/$rel" "$ROOT/lib/modules/$m.ko"
  loaded="$loaded$m "
done

# Userland: static busybox with one link per applet.
cp "$BUSYBOX" "$ROOT/bin/busybox"
for applet in $("$BUSYBOX" --list); do
  [ -e "$ROOT/bin/$applet" ] || ln -s busybox "$ROOT/bin/$applet"
done

# qemu-ga and every library ldd lists, at the host's paths.
install -D -m 0755 "$QEMU_GA" "$ROOT/usr/sbin/qemu-ga"
for lib in $(ldd "$QEMU_GA" | grep -oE '/[^ ]+'); do
  [ -e "$lib" ] || die "ldd lists $lib for qemu-ga, but it does not exist"
  mkdir -p "$ROOT$(dirname "$lib")"
  cp -L "$lib" "$ROOT$lib"
done

cat >"$ROOT/init" <<EOF
#!/bin/sh
# VirtFlow tiny guest init, generated by scripts/build-tiny-guest.sh.
export PATH=/bin:/usr/bin:/usr/sbin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
fail() { echo "VIRTFLOW-GUEST-FAILED: \$*"; sync; poweroff -f; sleep 5; exit 1; }
# wait_for PATH: up to 200 polls of 50 ms (10 s, longer on a starved host) for a device to appear.
wait_for() { i=0; while [ ! -e "\$1" ]; do i=\$((i+1)); [ \$i -gt 200 ] && return 1; usleep 50000; done; }
echo "virtflow-init: loading modules"
for m in $MODULES; do insmod /lib/modules/\$m.ko || fail "insmod \$m"; done
wait_for /dev/vda || fail "no /dev/vda"
mount -t ext4 /dev/vda /mnt || fail "cannot mount /dev/vda"
echo "virtflow-init: /dev/vda mounted on /mnt"
port=
i=0
while [ -z "\$port" ]; do
  for p in /sys/class/virtio-ports/*; do
    [ "\$(cat "\$p/name" 2>/dev/null)" = org.qemu.guest_agent.0 ] && port=/dev/\${p##*/}
  done
  i=\$((i+1)); [ -n "\$port" ] || [ \$i -le 100 ] || fail "no virtio port org.qemu.guest_agent.0"
  [ -n "\$port" ] || usleep 50000
done
wait_for "\$port" || fail "no \$port"
qemu-ga -m virtio-serial -p "\$port" -t /run -f /run/qemu-ga.pid -d || fail "qemu-ga did not start"
echo "virtflow-init: qemu-ga started on \$port"
# Ready means: the daemon holds the port open.
i=0
until [ -s /run/qemu-ga.pid ] && ls -l /proc/\$(cat /run/qemu-ga.pid)/fd 2>/dev/null | grep -q "\$port"; do
  i=\$((i+1)); [ \$i -le 200 ] || fail "qemu-ga did not open \$port"
  usleep 50000
done
echo "$MARKER port=\$port"
n=0
while :; do
  n=\$((n+1))
  dd if=/dev/zero of=/mnt/data\$((n % 4)) bs=64k count=4 conv=fsync 2>/dev/null
  echo \$n | dd of=/mnt/counter conv=fsync 2>/dev/null
  echo "counter=\$n"
  usleep 100000
done
EOF
chmod 0755 "$ROOT/init"

(cd "$ROOT" && find . | cpio -o -H newc -R 0:0 --quiet | gzip -6) >"$WORK/initrd.gz"
cp "$WORK/kernel/boot/vmlinuz-$KVER" "$WORK/vmlinuz"

# Base data disk.
truncate -s "$DISK_SIZE" "$WORK/disk.raw"
mkfs.ext4 -q -F -L virtflow "$WORK/disk.raw"
qemu-img convert -O qcow2 "$WORK/disk.raw" "$WORK/disk.qcow2"

rm -f "$OUT/stamp"
mv -f "$WORK/vmlinuz" "$WORK/initrd.gz" "$WORK/disk.qcow2" "$OUT/"
echo "$STAMP" >"$WORK/stamp"
mv -f "$WORK/stamp" "$OUT/stamp"
log "built in $((SECONDS - START)) s into $OUT: kernel $KVER, initrd $(du -h "$OUT/initrd.gz" | cut -f1), disk $DISK_SIZE"
