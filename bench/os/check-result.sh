#!/usr/bin/env bash
# check-result.sh ARMVM ELF "ARGS" [--expect-exit N]
#
# Runs bench/os's os.elf with the semihosting command line ARGS (e.g.
# "primes 100000") and checks:
#   1. the RESULT lines of one run (under the first engine of $ARMVM_ENGINES,
#      default native) against those reference.py computes on the host;
#   2. with tests/guest/run-guest-test.sh: every engine in $ARMVM_ENGINES
#      and qemu-system-arm give the same output and exit status (N, default
#      0), and the engines the same guest instruction counts.
# Every run uses "-icount shift=0,sleep=off": virtual time follows the
# instruction count, so the timer ticks, hence the preemption points, are
# the same on every run.  $PYTHON names the Python interpreter (python3).
set -uo pipefail

usage() {
    echo "usage: $0 ARMVM ELF \"ARGS\" [--expect-exit N]" >&2
    exit 2
}
[[ $# -ge 3 ]] || usage
armvm=$1 elf=$2 args=$3
shift 3
expect_exit=0
while [[ $# -gt 0 ]]; do
    case $1 in
    --expect-exit) [[ $# -ge 2 ]] || usage; expect_exit=$2; shift 2 ;;
    *) usage ;;
    esac
done

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
runner=$here/../../tests/guest/run-guest-test.sh
icount="-icount shift=0,sleep=off"
read -r -a words <<<"$args"
name="os ${args}"

expected=$("${PYTHON:-python3}" "$here/reference.py" "${words[@]}") || {
    echo "FAILED: $name: reference.py failed"
    exit 1
}

# 1. one run: the RESULT lines
read -r -a engines <<<"${ARMVM_ENGINES:-native}"
engine_opts=()
[[ $(basename "$armvm") == qemu-system-* ]] || engine_opts=(--engine "${engines[0]}")
read -r -a icount_opts <<<"$icount"
out=$(timeout -k 5 "${ARMVM_TEST_TIMEOUT:-60}" "$armvm" "${engine_opts[@]}" \
    -M virt -cpu cortex-a15 -m 256M -nographic "${icount_opts[@]}" \
    -semihosting-config "enable=on,arg=$args" -kernel "$elf" </dev/null 2>/dev/null)
status=$?
got=$(tr -d '\r' <<<"$out" | grep '^RESULT ')
if [[ $status != "$expect_exit" || "$got" != "$expected" ]]; then
    echo "FAILED: $name"
    echo "  exit status $status (expected $expect_exit)"
    echo "  RESULT lines:"
    printf '%s\n' "$got" | sed 's/^/    /'
    echo "  expected (reference.py):"
    printf '%s\n' "$expected" | sed 's/^/    /'
    echo "--- output (last 20 lines) ---"
    tail -n 20 <<<"$out"
    exit 1
fi
echo "ok: $name: ${got//$'\n'/, }"

# 2. every engine and QEMU agree
exec "$runner" "$armvm" "$elf" --arg "$args" --machine-opts "$icount" --expect-exit "$expect_exit"
