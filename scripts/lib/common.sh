# shellcheck shell=bash
# Helpers shared by scripts/demo and scripts/test (sourced, not run).

# Debian 12 packages needed to build and test armvm.
# ipxe-qemu: qemu-system-arm (installed without recommends) needs its efi-virtio.rom for virt.
ARMVM_PACKAGES=(
    cmake make gcc pkg-config check libelf-dev libfdt-dev libcapstone-dev
    gcc-arm-none-eabi libnewlib-arm-none-eabi binutils-arm-none-eabi
    qemu-system-arm ipxe-qemu valgrind python3
)

# The repository root (the parent of scripts/), used by the scripts that source this.
# shellcheck disable=SC2034
ARMVM_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)

die() {
    echo "${0##*/}: error: $*" >&2
    exit 1
}

note() {
    echo "==> $*"
}

# Number of parallel build jobs ($JOBS, default: all CPUs).
build_jobs() {
    if [[ -n ${JOBS:-} ]]; then
        echo "$JOBS"
    else
        nproc 2>/dev/null || echo 2
    fi
}

# Install the missing packages of ARMVM_PACKAGES with apt-get (root only); fail clearly
# when some are missing and we are not root.
ensure_packages() {
    local missing=() p
    if ! command -v dpkg >/dev/null 2>&1; then
        echo "${0##*/}: warning: dpkg not found (not Debian?); make sure these are installed:" \
            "${ARMVM_PACKAGES[*]}" >&2
        return 0
    fi
    for p in "${ARMVM_PACKAGES[@]}"; do
        if ! dpkg -s "$p" 2>/dev/null | grep -q '^Status: install ok installed'; then
            missing+=("$p")
        fi
    done
    if [[ ${#missing[@]} -eq 0 ]]; then
        return 0
    fi
    if [[ $(id -u) -ne 0 ]]; then
        die "missing Debian packages: ${missing[*]}
  run this script as root to install them, or install them yourself:
  sudo apt-get install -y --no-install-recommends ${missing[*]}"
    fi
    note "installing missing packages: ${missing[*]}"
    apt-get update
    DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}"
}
