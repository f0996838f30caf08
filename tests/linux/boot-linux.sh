#!/usr/bin/env bash
# boot-linux.sh EMULATOR [ENGINE]
#
# Boots the unmodified Debian 12 armhf kernel (linux-image-*-armmp, a zImage) on the
# `virt` board with a tiny initramfs whose /init (init/, no C library) prints a marker
# line, mounts /proc, prints /proc/cpuinfo and /proc/interrupts and powers off. Checks:
#   - the marker line "ARMVM-LINUX-MARKER: init running" appears;
#   - the emulator exits by itself (the guest powers off through PSCI) with status 0
#     before the timeout;
#   - the kernel found the arch timer and uses it, the GIC delivers its interrupt
#     (/proc/interrupts: arch_timer on GIC-0 hwirq 27 with a non-zero count), the PL011
#     became ttyAMA0 and the console;
#   - the log holds none of "WARNING:", "Oops", "BUG:", "Kernel panic".
# Prints the seconds from the emulator's start to the marker line.
#
# EMULATOR is armvm (ENGINE, if given, is passed as --engine ENGINE) or a
# qemu-system-arm binary (the reference: ENGINE is ignored). The command line is
#   EMULATOR -M virt -cpu cortex-a15 -m 256M -nographic -no-reboot -kernel vmlinuz
#            -initrd initrd.cpio -append "console=ttyAMA0 panic=-1" [--engine ENGINE]
# (-no-reboot: a kernel panic, which reboots at once with panic=-1, ends the run).
#
# Environment:
#   ARMVM_LINUX_KERNEL   a zImage to boot instead of the Debian one (no download)
#   ARMVM_LINUX_CACHE    the cache folder (default: cache/ beside this script)
#   ARMVM_LINUX_TIMEOUT  seconds before the run is stopped (default 900)
#   ARMVM_LINUX_LOG      also keep the console log in this file
#   ARMVM_LINUX_EXTRA    more emulator options, split at spaces (e.g. "-dtb board.dtb")
# Exit status: 0 pass, 1 fail, 2 usage, 77 skipped (no kernel to be had, no
# arm-none-eabi-gcc or python3).
set -uo pipefail

usage() {
    echo "usage: $0 EMULATOR [ENGINE]" >&2
    exit 2
}
[[ $# -ge 1 && $# -le 2 ]] || usage
emu=$1
engine=${2:-}

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cache=${ARMVM_LINUX_CACHE:-$here/cache}
timeout_s=${ARMVM_LINUX_TIMEOUT:-900}
marker="ARMVM-LINUX-MARKER: init running"

if [[ $emu != */* ]]; then
    emu_path=$(command -v "$emu") || { echo "boot-linux: FAILED: emulator not found: $emu" >&2; exit 1; }
    emu=$emu_path
fi
[[ -x $emu ]] || { echo "boot-linux: FAILED: not an executable: $emu" >&2; exit 1; }

# ---- the kernel ---------------------------------------------------------------------
if [[ -n ${ARMVM_LINUX_KERNEL:-} ]]; then
    kernel=$ARMVM_LINUX_KERNEL
    [[ -f $kernel ]] || { echo "boot-linux: FAILED: ARMVM_LINUX_KERNEL=$kernel: no such file" >&2; exit 1; }
else
    kernel=$("$here/get-kernel.sh" "$cache")
    rc=$?
    [[ $rc == 0 ]] || { [[ $rc == 77 ]] && echo "boot-linux: SKIPPED: no kernel" >&2; exit "$rc"; }
fi

# ---- the initramfs ------------------------------------------------------------------
command -v arm-none-eabi-gcc >/dev/null || { echo "boot-linux: SKIPPED: arm-none-eabi-gcc not found" >&2; exit 77; }
command -v python3 >/dev/null || { echo "boot-linux: SKIPPED: python3 not found" >&2; exit 77; }
mkdir -p "$cache" || exit 1
work=$(mktemp -d "${TMPDIR:-/tmp}/armvm-linux.XXXXXX") || exit 1
trap 'rm -rf "$work"' EXIT
# ARM state, soft float, no C library; a static Linux ELF executable (init/init.ld).
arm-none-eabi-gcc -marm -mcpu=cortex-a15 -mfloat-abi=soft -mgeneral-regs-only \
    -ffreestanding -fno-builtin -fno-stack-protector -Os -Wall -Wextra -Werror \
    -nostdlib -static -Wl,-T,"$here/init/init.ld" -Wl,-z,noexecstack \
    -o "$work/init" "$here/init/start.S" "$here/init/init.c" -lgcc ||
    { echo "boot-linux: FAILED: cannot build init" >&2; exit 1; }
python3 "$here/mkcpio.py" "$work/initrd.cpio" "$work/init" ||
    { echo "boot-linux: FAILED: cannot build the initramfs" >&2; exit 1; }
cp "$work/initrd.cpio" "$cache/initrd.cpio" 2>/dev/null # for running by hand

# ---- the run --------------------------------------------------------------------------
cmd=("$emu" -M virt -cpu cortex-a15 -m 256M -nographic -no-reboot
     -kernel "$kernel" -initrd "$work/initrd.cpio" -append "console=ttyAMA0 panic=-1")
if [[ -n ${ARMVM_LINUX_EXTRA:-} ]]; then
    read -r -a extra <<<"$ARMVM_LINUX_EXTRA"
    cmd+=("${extra[@]}")
fi
case $(basename "$emu") in
qemu-system-*) ;;
*) [[ -n $engine ]] && cmd+=(--engine "$engine") ;;
esac
echo "boot-linux: ${cmd[*]}"

log=$work/console.log
: >"$log"
start_ns=$(date +%s%N)
# The emulator's output goes through a loop that stamps the time the marker appears
# (and shows the console as it comes). Its exit status is written to a file, since it
# runs in a pipeline.
{
    timeout -k 10 "$timeout_s" "${cmd[@]}" </dev/null 2>&1
    echo $? >"$work/status"
} | while IFS= read -r line || [[ -n $line ]]; do
    line=${line%$'\r'}
    printf '%s\n' "$line" >>"$log"
    printf '%s\n' "$line"
    if [[ ! -e $work/marker && $line == *"$marker"* ]]; then
        date +%s%N >"$work/marker"
    fi
done
end_ns=$(date +%s%N)
status=$(cat "$work/status" 2>/dev/null || echo 255)
[[ -n ${ARMVM_LINUX_LOG:-} ]] && cp "$log" "$ARMVM_LINUX_LOG"

# ---- the checks -----------------------------------------------------------------------
failures=0
fail() {
    echo "boot-linux: FAIL: $*"
    failures=$((failures + 1))
}
# need DESCRIPTION ERE: the first log line matching ERE, or a failure.
need() {
    local what=$1 re=$2 line
    line=$(grep -m 1 -E -- "$re" "$log")
    if [[ -n $line ]]; then
        echo "boot-linux: ok: $what: $line"
    else
        fail "$what: no line matches /$re/"
    fi
}
seconds() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", (b - a) / 1e9 }'; }

echo "boot-linux: ---- checks ----"
if [[ $status == 124 || $status == 137 ]]; then
    fail "the emulator did not exit within ${timeout_s} s (stopped)"
elif [[ $status != 0 ]]; then
    fail "the emulator exited with status $status (want 0)"
else
    echo "boot-linux: ok: the emulator exited by itself with status 0 after $(seconds "$start_ns" "$end_ns") s"
fi
if [[ -e $work/marker ]]; then
    echo "boot-linux: ok: marker after $(seconds "$start_ns" "$(cat "$work/marker")") s"
else
    fail "no marker line \"$marker\""
fi
need "arch timer found" 'arch_timer: cp15 timer\(s\) running at'
need "arch timer used" 'clocksource: Switched to clocksource arch_sys_counter'
need "PL011 found" 'ttyAMA0 at MMIO 0x9000000 .* is a PL011'
need "console on the PL011" 'printk: console \[ttyAMA0\] enabled'
need "init started" 'Run /init as init process'
# /proc/interrupts, as init printed it: "<irq>: <count> GIC-0 27 Level arch_timer"
timer_line=$(sed -n '/ARMVM-LINUX: begin \/proc\/interrupts/,/ARMVM-LINUX: end/p' "$log" |
    grep -m 1 -E '^ *[0-9]+: +[0-9]+ +GIC-0 +27 +Level +arch_timer')
if [[ -z $timer_line ]]; then
    fail "GIC: /proc/interrupts has no 'GIC-0 27 Level arch_timer' line"
elif [[ $(awk '{ print $2 }' <<<"$timer_line") -gt 0 ]]; then
    echo "boot-linux: ok: GIC delivers the timer interrupt: $timer_line"
else
    fail "GIC: the arch timer interrupt never arrived: $timer_line"
fi
need "PL011 interrupt on the GIC" '^ *[0-9]+: +[0-9]+ +GIC-0 +33 +Level +uart-pl011'
need "init powered off" 'ARMVM-LINUX: powering off'
need "kernel powered down" 'reboot: Power down'
for bad in "WARNING:" "Oops" "BUG:" "Kernel panic"; do
    line=$(grep -m 1 -F -- "$bad" "$log")
    [[ -z $line ]] || fail "the log contains \"$bad\": $line"
done
# Informational: what else the kernel found (not checked).
for info in 'psci: PSCIv[0-9.]+ detected' 'rtc-pl031 .*registered as rtc0'; do
    line=$(grep -m 1 -E -- "$info" "$log")
    echo "boot-linux: info: ${line:-(no line matches /$info/)}"
done

if [[ $failures -gt 0 ]]; then
    echo "boot-linux: FAILED ($failures problems) with $(basename "$emu")${engine:+ --engine $engine}"
    exit 1
fi
echo "boot-linux: PASSED with $(basename "$emu")${engine:+ --engine $engine}"
exit 0
