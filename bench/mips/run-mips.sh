#!/usr/bin/env bash
# run-mips.sh ARMVM [ELF]: wall time of the 4 G-instruction loop (long-loop.elf, built
# into <build>/bench/mips/) under armvm's jit engine and under qemu-system-arm, one after
# the other, each the best of three runs, and the guest MIPS of each.
set -euo pipefail
armvm=${1:?usage: run-mips.sh ARMVM [ELF]}
elf=${2:-$(dirname "$armvm")/bench/mips/long-loop.elf}
[[ -f $elf ]] || { echo "run-mips.sh: no such program: $elf" >&2; exit 2; }
insns=4000000005 # 2 G iterations of subs + bne, plus ldr before and ldr/mov/svc after
machine=(-M virt -cpu cortex-a15 -m 256M -nographic -semihosting -kernel "$elf")
tmp=$(mktemp)
trap 'rm -f "$tmp"' EXIT
best() {
    local t best_t=""
    for _ in 1 2 3; do
        /usr/bin/time -o "$tmp" -f %e "$@" >/dev/null 2>&1 </dev/null
        t=$(tail -n 1 "$tmp")
        if [[ -z $best_t ]] || awk -v a="$t" -v b="$best_t" 'BEGIN { exit !(a < b) }'; then
            best_t=$t
        fi
    done
    echo "$best_t"
}
printf '%-16s %8s %10s\n' emulator seconds MIPS
t=$(best "$armvm" --engine jit "${machine[@]}")
awk -v t="$t" -v n="$insns" 'BEGIN { printf "%-16s %8.2f %10.0f\n", "armvm jit", t, n / t / 1e6 }'
if command -v qemu-system-arm >/dev/null; then
    t=$(best qemu-system-arm "${machine[@]}")
    awk -v t="$t" -v n="$insns" 'BEGIN { printf "%-16s %8.2f %10.0f\n", "qemu-system-arm", t, n / t / 1e6 }'
else
    echo "qemu-system-arm    (not installed)"
fi
