#!/usr/bin/env bash
# cli-test.sh ARMVM: command-line behaviour of the armvm executable: help texts, exit
# statuses, and the one-line error messages for bad command lines (status 2) and for
# machines that cannot be built (status 1). No guest code runs.
set -uo pipefail

armvm=${1:?usage: cli-test.sh ARMVM}
tmp=$(mktemp -d "${TMPDIR:-/tmp}/armvm-cli.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT

failures=0
fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

# run ARGS...: runs armvm, sets $status, $out (stdout) and $err (stderr).
run() {
    "$armvm" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    out=$(<"$tmp/out")
    err=$(<"$tmp/err")
}

# expect_info NEEDLE ARGS...: status 0, NEEDLE on stdout, nothing on stderr.
expect_info() {
    local needle=$1
    shift
    run "$@"
    [[ $status == 0 ]] || fail "armvm $*: status $status, expected 0"
    [[ $out == *"$needle"* ]] || fail "armvm $*: stdout lacks '$needle'"
    [[ -z $err ]] || fail "armvm $*: unexpected stderr: $err"
}

# expect_usage_error NEEDLE ARGS...: status 2, two stderr lines: "armvm: ...NEEDLE..."
# and the --help hint; nothing on stdout.
expect_usage_error() {
    local needle=$1
    shift
    run "$@"
    [[ $status == 2 ]] || fail "armvm $*: status $status, expected 2"
    [[ -z $out ]] || fail "armvm $*: unexpected stdout: $out"
    local lines
    lines=$(wc -l <"$tmp/err")
    [[ $lines == 2 ]] || fail "armvm $*: $lines stderr lines, expected 2: $err"
    [[ $(head -n 1 "$tmp/err") == "armvm: "*"$needle"* ]] ||
        fail "armvm $*: first stderr line lacks 'armvm: ...$needle': $err"
    [[ $(tail -n 1 "$tmp/err") == *"try 'armvm --help'"* ]] ||
        fail "armvm $*: no --help hint: $err"
}

# expect_failure STATUS NEEDLE ARGS...: status STATUS, one stderr line "armvm: ...NEEDLE...".
expect_failure() {
    local want=$1 needle=$2
    shift 2
    run "$@"
    [[ $status == "$want" ]] || fail "armvm $*: status $status, expected $want"
    [[ $(wc -l <"$tmp/err") == 1 && $err == "armvm: "*"$needle"* ]] ||
        fail "armvm $*: expected one stderr line 'armvm: ...$needle', got: $err"
}

expect_info "usage: armvm" --help
expect_info "usage: armvm" -h
expect_info "usage: armvm" -help
expect_info "--max-insns" --help
expect_info "armvm " --version
expect_info "in_asm" -d help
expect_info "virt" -M help

expect_usage_error "no guest image"
expect_usage_error "no guest image" run -m 64
expect_usage_error "unknown option '--bogus'" --bogus
expect_usage_error "unknown option '-hda'" -kernel k -hda disk.img
expect_usage_error "unexpected argument 'disk.img'" -kernel k disk.img
expect_usage_error "unknown command 'disk.img'" disk.img
expect_usage_error "-m: missing argument" -kernel k -m
expect_usage_error "-m 12X: invalid size" -kernel k -m 12X
expect_usage_error "-m 4G: RAM size too large" -kernel k -m 4G
expect_usage_error "-M vexpress-a9: unknown machine" -M vexpress-a9 -kernel k
expect_usage_error "gic-version=3 is not supported" -M virt,gic-version=3 -kernel k
expect_usage_error "--engine turbo: unknown engine" --engine turbo -kernel k
expect_usage_error "-s: gdb stub not supported yet" -s -kernel k
expect_usage_error "-S: gdb stub not supported yet" -kernel k -S
expect_usage_error "device 'virtio-net-device' is not supported" -device virtio-net-device -kernel k
expect_usage_error "-serial vc: not supported" -serial vc -kernel k
expect_usage_error "-d foo: unknown log item 'foo'" -d foo -kernel k
expect_usage_error "--max-insns 5Q: invalid instruction count" --max-insns 5Q -kernel k
expect_usage_error "--stats: takes no argument" --stats=yes -kernel k
expect_usage_error "-smp 4: only one CPU" -smp 4 -kernel k

expect_failure 1 "/nonexistent/image.elf" -kernel /nonexistent/image.elf
expect_failure 1 "-D /nonexistent/dir/log" -D /nonexistent/dir/log -kernel k

if [[ $failures -ne 0 ]]; then
    echo "FAILED: cli ($failures failures)"
    exit 1
fi
echo "ok: cli"
