#!/usr/bin/env bash
# run-guest-test.sh ARMVM ELF [--expect-insns N] [--arg ARGS] [--expect-exit N]
#                   [--machine-opts "OPTS"]
#
# Runs one guest test program under armvm, once per engine listed in
# $ARMVM_ENGINES (default "interp jit native"), and, when qemu-system-arm is installed
# and $ARMVM_NO_QEMU is unset, under QEMU as the reference.  Fails when:
#   - an exit status differs from the expected one (default 0),
#   - the output contains "FAIL",
#   - outputs, exit statuses or guest instruction counts differ between
#     engines,
#   - --expect-insns N was given and the count is not N,
#   - QEMU's output or exit status differs from armvm's.
# --machine-opts "OPTS" adds the (whitespace-separated) options OPTS to the
# machine options of every run, armvm and QEMU alike, e.g.
# --machine-opts "-icount shift=0,sleep=off" for programs whose instruction
# count depends on virtual time.
# When ARMVM is a qemu-system-* binary, the program runs once under it as
# the only "engine" (no --engine/--stats, no instruction counts, no second
# QEMU run): a way to check the programs against the reference alone.
# Each run has a timeout ($ARMVM_TEST_TIMEOUT seconds, default 60) and runs
# in a fresh temporary working directory (semihosting file I/O uses it).
set -uo pipefail

usage() {
    echo "usage: $0 ARMVM ELF [--expect-insns N] [--arg ARGS] [--expect-exit N] [--machine-opts OPTS]" >&2
    exit 2
}

[[ $# -ge 2 ]] || usage
armvm=$1
elf=$2
shift 2
expect_insns=""
expect_exit=0
have_arg=0
arg=""
machine_opts=()
while [[ $# -gt 0 ]]; do
    case $1 in
    --expect-insns) [[ $# -ge 2 ]] || usage; expect_insns=$2; shift 2 ;;
    --expect-exit) [[ $# -ge 2 ]] || usage; expect_exit=$2; shift 2 ;;
    --arg) [[ $# -ge 2 ]] || usage; arg=$2; have_arg=1; shift 2 ;;
    --machine-opts)
        [[ $# -ge 2 ]] || usage
        read -r -a more_opts <<<"$2"
        machine_opts+=("${more_opts[@]}")
        shift 2
        ;;
    *) usage ;;
    esac
done

[[ -f $elf ]] || { echo "FAILED: no such guest program: $elf" >&2; exit 1; }
[[ $elf == /* ]] || elf=$PWD/$elf
if [[ $armvm != */* ]]; then
    armvm_path=$(command -v "$armvm") || { echo "FAILED: armvm not found: $armvm" >&2; exit 1; }
    armvm=$armvm_path
fi
[[ $armvm == /* ]] || armvm=$PWD/$armvm
[[ -x $armvm ]] || { echo "FAILED: armvm not executable: $armvm" >&2; exit 1; }

timeout_s=${ARMVM_TEST_TIMEOUT:-60}
read -r -a engines <<<"${ARMVM_ENGINES:-interp jit native}"
[[ ${#engines[@]} -gt 0 ]] || engines=(interp)
# ARMVM may be QEMU itself (see above).
armvm_is_qemu=0
if [[ $(basename "$armvm") == qemu-system-* ]]; then
    armvm_is_qemu=1
    engines=(qemu)
fi
name=$(basename "$elf" .elf)

workdir=$(mktemp -d "${TMPDIR:-/tmp}/guest-$name.XXXXXX") || exit 1
trap 'rm -rf "$workdir"' EXIT

machine=(-M virt -cpu cortex-a15 -m 256M -nographic -semihosting "${machine_opts[@]}")
if [[ $have_arg == 1 ]]; then
    machine+=(-semihosting-config "enable=on,arg=$arg")
fi
machine+=(-kernel "$elf")

failures=()
fail() { failures+=("$1"); }

# run_one DIR CMD...: runs CMD in DIR (created fresh), stdout to DIR.out,
# stderr to DIR.err, and sets the global variable status.
status=0
run_one() {
    local dir=$1
    shift
    mkdir -p "$dir/cwd"
    (cd "$dir/cwd" && exec timeout -k 5 "$timeout_s" "$@") \
        </dev/null >"$dir/out" 2>"$dir/err"
    status=$?
}

show_diff() {
    diff -u --label "$1" --label "$3" "$2" "$4" | head -n 40
}

ref_engine=""
ref_out=""
ref_status=""
ref_insns=""
ref_user_insns=""
for engine in "${engines[@]}"; do
    dir=$workdir/armvm-$engine
    if [[ $armvm_is_qemu == 1 ]]; then
        # QEMU: semihosting output on stderr, UART on stdout: merged as below.
        mkdir -p "$dir/cwd"
        (cd "$dir/cwd" && exec timeout -k 5 "$timeout_s" "$armvm" "${machine[@]}") \
            </dev/null >"$dir/merged" 2>&1
        status=$?
        grep -v '^qemu-system-arm: ' "$dir/merged" | tr -d '\r' >"$dir/out"
        : >"$dir/err"
    else
        run_one "$dir" "$armvm" --engine "$engine" --stats "${machine[@]}"
    fi
    if [[ $status == 124 || $status == 137 ]]; then
        fail "armvm --engine $engine: timed out after ${timeout_s}s"
    elif [[ $status != "$expect_exit" ]]; then
        fail "armvm --engine $engine: exit status $status, expected $expect_exit"
    fi
    if grep -q FAIL "$dir/out"; then
        fail "armvm --engine $engine: output reports FAIL:"$'\n'"$(grep FAIL "$dir/out" | head -n 10)"
    fi
    insns=$(sed -nE 's/.*guest instructions[[:space:]]+([0-9]+).*/\1/p' "$dir/err" | head -n 1)
    user_insns=$(sed -nE 's/.*in user mode[[:space:]]+([0-9]+).*/\1/p' "$dir/err" | head -n 1)
    if [[ $armvm_is_qemu == 1 ]]; then
        insns="" # QEMU does not count instructions
    elif [[ -z $insns ]]; then
        fail "armvm --engine $engine: no 'guest instructions N' line in --stats output"
    elif [[ -n $expect_insns && $insns != "$expect_insns" ]]; then
        fail "armvm --engine $engine: executed $insns guest instructions, expected $expect_insns"
    fi
    if [[ -z $ref_engine ]]; then
        ref_engine=$engine ref_out=$dir/out ref_status=$status ref_insns=$insns
        ref_user_insns=$user_insns
        continue
    fi
    if ! cmp -s "$ref_out" "$dir/out"; then
        fail "output differs between engines $ref_engine and $engine:"$'\n'"$(show_diff "$ref_engine" "$ref_out" "$engine" "$dir/out")"
    fi
    [[ $status == "$ref_status" ]] ||
        fail "exit status differs: $ref_engine $ref_status, $engine $status"
    [[ $insns == "$ref_insns" ]] ||
        fail "guest instruction count differs: $ref_engine ${ref_insns:-?}, $engine ${insns:-?}"
    [[ $user_insns == "$ref_user_insns" ]] ||
        fail "user-mode instruction count differs: $ref_engine ${ref_user_insns:-?}, $engine ${user_insns:-?}"
done

if [[ $armvm_is_qemu == 0 && -z ${ARMVM_NO_QEMU:-} ]] && command -v qemu-system-arm >/dev/null 2>&1; then
    dir=$workdir/qemu
    mkdir -p "$dir/cwd"
    # QEMU 7.2 writes semihosting console output to stderr and the UART to
    # stdout: merge both, drop QEMU's own diagnostics, normalise CRLF.
    (cd "$dir/cwd" && exec timeout -k 5 "$timeout_s" qemu-system-arm "${machine[@]}") \
        </dev/null >"$dir/merged" 2>&1
    qemu_status=$?
    if [[ $qemu_status == 124 || $qemu_status == 137 ]]; then
        fail "qemu-system-arm: timed out after ${timeout_s}s"
    fi
    grep -v '^qemu-system-arm: ' "$dir/merged" | tr -d '\r' >"$dir/qemu.out"
    if [[ $qemu_status != "$ref_status" ]]; then
        fail "exit status differs: armvm ($ref_engine) $ref_status, qemu $qemu_status"
    fi
    if ! cmp -s "$ref_out" "$dir/qemu.out"; then
        fail "output differs between armvm ($ref_engine) and qemu:"$'\n'"$(show_diff "armvm-$ref_engine" "$ref_out" qemu "$dir/qemu.out")"
    fi
fi

if [[ ${#failures[@]} -gt 0 ]]; then
    echo "FAILED: guest/$name"
    for f in "${failures[@]}"; do
        echo "  - $f"
    done
    if [[ -n $ref_out && -s $ref_out ]]; then
        echo "--- armvm output (last 20 lines) ---"
        tail -n 20 "$ref_out"
    fi
    exit 1
fi
echo "ok: guest/$name (engines: ${engines[*]}, insns: ${ref_insns:-?})"
exit 0
