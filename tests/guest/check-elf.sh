#!/usr/bin/env bash
# check-elf.sh ELF [--allow-vfp]
# Fails if the guest ELF contains Thumb code ($t mapping symbols or Thumb
# function symbols with bit 0 set), or VFP/NEON instructions (unless
# --allow-vfp is given, for tests that deliberately execute one to trap).
# Uses arm-none-eabi-readelf/objdump (override with $READELF / $OBJDUMP).
set -euo pipefail

elf=${1:?usage: check-elf.sh ELF [--allow-vfp]}
allow_vfp=0
[[ ${2:-} == --allow-vfp ]] && allow_vfp=1
readelf=${READELF:-arm-none-eabi-readelf}
objdump=${OBJDUMP:-arm-none-eabi-objdump}

syms=$("$readelf" -sW "$elf")
# shellcheck disable=SC2016  # a literal '$t' mapping symbol, not a variable
thumb_re='[[:space:]]\$t(\.[^[:space:]]*)?$'
if grep -Eq "$thumb_re" <<<"$syms"; then
    echo "check-elf: $elf contains Thumb code (\$t mapping symbols):" >&2
    grep -E "$thumb_re" <<<"$syms" | head -5 >&2 || true
    exit 1
fi
# Thumb functions have an odd symbol value.
thumb_funcs=$(awk '$4 == "FUNC" && $2 ~ /[13579bdf]$/ { print $8 }' <<<"$syms")
if [[ -n $thumb_funcs ]]; then
    echo "check-elf: $elf contains Thumb functions: $thumb_funcs" >&2
    exit 1
fi
if [[ $allow_vfp == 0 ]]; then
    # VFP/NEON mnemonics start with 'v' (vmov, vldr, vadd, vmrs, ...).
    vfp=$("$objdump" -d "$elf" | grep -E $'^[[:space:]]*[0-9a-f]+:\t[0-9a-f ]+\t(v[a-z]|f(ld|st|mrx|mxr|cpy|add|sub|mul|div|cmp))' || true)
    if [[ -n $vfp ]]; then
        echo "check-elf: $elf contains VFP/NEON instructions:" >&2
        head -5 <<<"$vfp" >&2
        exit 1
    fi
fi
exit 0
