#!/usr/bin/env bash
# get-kernel.sh [CACHE]
#
# Makes sure the Debian 12 (bookworm) armhf multiplatform kernel (the non-LPAE "armmp"
# flavour, linux-image-<abi>-armmp) is in the cache folder (default: cache/ beside this
# script) and prints the path of its zImage. Idempotent: once CACHE/vmlinuz exists,
# nothing is downloaded again (delete the folder to fetch a newer kernel).
#
# How the package is fetched (as root, on a Debian 12 host):
#   1. dpkg --add-architecture armhf          (once; lets apt see armhf packages)
#   2. apt-get update                         (only when apt knows no armhf kernel yet;
#                                              a failing extra index, e.g. a security
#                                              mirror in sync, does not stop us)
#   3. apt-cache show linux-image-armmp:armhf (the metapackage names the ABI package)
#   4. apt-get download linux-image-<abi>-armmp:armhf into CACHE
#   5. dpkg-deb -x, copy boot/vmlinuz-* and boot/config-* to CACHE (the .deb is then
#      deleted; CACHE/vmlinuz.version names the package it came from)
# Nothing is installed on the host. Exit status 77 (CTest: skipped) when the kernel
# cannot be had (not root, no apt, no network), 1 on other errors.
set -uo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${1:-$here/cache}
mkdir -p "$cache" || { echo "get-kernel: cannot create $cache" >&2; exit 1; }
cache=$(cd "$cache" && pwd)

# One download at a time (tests may run in parallel); a second caller waits here and
# then finds the kernel in the cache.
if command -v flock >/dev/null; then
    exec 9>"$cache/.lock" && flock 9
fi
if [[ -s $cache/vmlinuz ]]; then
    echo "$cache/vmlinuz"
    exit 0
fi

skip() {
    echo "get-kernel: $*" >&2
    echo "get-kernel: (set ARMVM_LINUX_KERNEL=/path/to/zImage to use a kernel you have)" >&2
    exit 77
}

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null \
    || skip "apt-get/dpkg-deb not found: cannot download the Debian armhf kernel"

meta=linux-image-armmp:armhf
find_abi_package() {
    apt-cache show "$meta" 2>/dev/null |
        sed -n 's/^Depends:.*\(linux-image-[0-9][^ ,]*-armmp\).*/\1/p' | head -n 1
}

pkg=$(find_abi_package)
if [[ -z $pkg ]]; then
    [[ $(id -u) == 0 ]] || skip "apt knows no armhf kernel and we are not root (needed for dpkg --add-architecture armhf and apt-get update)"
    if ! dpkg --print-foreign-architectures | grep -qx armhf; then
        echo "get-kernel: dpkg --add-architecture armhf" >&2
        dpkg --add-architecture armhf || skip "dpkg --add-architecture armhf failed"
    fi
    echo "get-kernel: apt-get update" >&2
    # An index that fails to download (a mirror being synced) makes apt-get update exit
    # non-zero while the others, bookworm main among them, are fine: go on and look.
    apt-get update >"$cache/apt-update.log" 2>&1 ||
        echo "get-kernel: note: apt-get update reported errors (see $cache/apt-update.log)" >&2
    pkg=$(find_abi_package)
    [[ -n $pkg ]] || skip "no $meta package found after apt-get update (see $cache/apt-update.log)"
fi

echo "get-kernel: downloading $pkg:armhf" >&2
work=$(mktemp -d "$cache/dl.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# apt-get download writes to the current folder; as root it warns that the _apt user
# cannot write there, which is harmless.
(cd "$work" && apt-get download "$pkg:armhf") >"$cache/apt-download.log" 2>&1 ||
    skip "apt-get download $pkg:armhf failed (see $cache/apt-download.log)"
deb=$(ls "$work"/*.deb 2>/dev/null | head -n 1)
[[ -n $deb ]] || skip "apt-get download produced no .deb (see $cache/apt-download.log)"
dpkg-deb -x "$deb" "$work/x" || { echo "get-kernel: dpkg-deb -x $deb failed" >&2; exit 1; }
zimage=$(ls "$work"/x/boot/vmlinuz-* 2>/dev/null | head -n 1)
[[ -n $zimage ]] || { echo "get-kernel: $deb holds no boot/vmlinuz-*" >&2; exit 1; }

cp "$work"/x/boot/config-* "$cache/" 2>/dev/null
echo "$(basename "$zimage") from $(basename "$deb")" >"$cache/vmlinuz.version"
cp "$zimage" "$cache/vmlinuz.tmp" && mv "$cache/vmlinuz.tmp" "$cache/vmlinuz" || exit 1
echo "get-kernel: $(cat "$cache/vmlinuz.version")" >&2
echo "$cache/vmlinuz"
