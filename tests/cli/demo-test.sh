#!/usr/bin/env bash
# demo-test.sh ARMVM DEMO_ELF EXPECTED: runs the bundled demo guest (bench/demo) the way
# scripts/demo does and checks its exit status (0), its output (EXPECTED, taken from
# qemu-system-arm) and that --stats reports a guest instruction count.
set -uo pipefail

armvm=${1:?usage: demo-test.sh ARMVM DEMO_ELF EXPECTED}
elf=${2:?usage: demo-test.sh ARMVM DEMO_ELF EXPECTED}
expected=${3:?usage: demo-test.sh ARMVM DEMO_ELF EXPECTED}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/armvm-demo.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

timeout -k 5 "${ARMVM_TEST_TIMEOUT:-120}" "$armvm" --stats -M virt -cpu cortex-a15 -m 256M \
    -nographic -semihosting -kernel "$elf" </dev/null >"$tmp/out" 2>"$tmp/err"
status=$?

failures=0
if [[ $status != 0 ]]; then
    echo "FAIL: exit status $status, expected 0"
    failures=1
fi
if ! diff -u --label expected --label armvm "$expected" "$tmp/out"; then
    echo "FAIL: output differs from $expected"
    failures=1
fi
insns=$(sed -nE 's/.*guest instructions[[:space:]]+([0-9]+).*/\1/p' "$tmp/err" | head -n 1)
if [[ -z $insns ]]; then
    echo "FAIL: no 'guest instructions N' line in the --stats output"
    failures=1
fi
if [[ $failures -ne 0 ]]; then
    echo "--- stderr ---"
    head -n 40 "$tmp/err"
    echo "FAILED: demo"
    exit 1
fi
echo "ok: demo (guest instructions: $insns)"
