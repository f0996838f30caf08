#!/usr/bin/env bash
# cli-test.sh ARMVM: command-line behaviour of the armvm executable: help texts, exit
# statuses, and the one-line error messages for bad command lines (status 2) and for
# machines that cannot be built (status 1). No guest code runs.
set -uo pipefail

armvm=${1:?usage: cli-test.sh ARMVM}
cli_command=
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_setup cli

# expect_info NEEDLE ARGS...: status 0, NEEDLE on stdout, nothing on stderr.
expect_info() {
    local needle=$1
    shift
    run "$@"
    [[ $status == 0 ]] || fail "armvm $*: status $status, expected 0"
    [[ $out == *"$needle"* ]] || fail "armvm $*: stdout lacks '$needle'"
    [[ -z $err ]] || fail "armvm $*: unexpected stderr: $err"
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

expect_usage "no guest image"
expect_usage "no guest image" run -m 64
expect_usage "unknown option '--bogus'" --bogus
expect_usage "unknown option '-hda'" -kernel k -hda disk.img
expect_usage "unexpected argument 'disk.img'" -kernel k disk.img
expect_usage "unknown command 'disk.img'" disk.img
expect_usage "-m: missing argument" -kernel k -m
expect_usage "-m 12X: invalid size" -kernel k -m 12X
expect_usage "-m 4G: RAM size too large" -kernel k -m 4G
expect_usage "-M vexpress-a9: unknown machine" -M vexpress-a9 -kernel k
expect_usage "gic-version=3 is not supported" -M virt,gic-version=3 -kernel k
expect_usage "--engine turbo: unknown engine" --engine turbo -kernel k
expect_usage "-s: gdb stub not supported yet" -s -kernel k
expect_usage "-S: gdb stub not supported yet" -kernel k -S
expect_usage "device 'virtio-net-device' is not supported" -device virtio-net-device -kernel k
expect_usage "-serial vc: not supported" -serial vc -kernel k
expect_usage "-d foo: unknown log item 'foo'" -d foo -kernel k
expect_usage "--max-insns 5Q: invalid instruction count" --max-insns 5Q -kernel k
expect_usage "--stats: takes no argument" --stats=yes -kernel k
expect_usage "-smp 4: only one CPU" -smp 4 -kernel k

expect_failure 1 "/nonexistent/image.elf" -kernel /nonexistent/image.elf
expect_failure 1 "-D /nonexistent/dir/log" -D /nonexistent/dir/log -kernel k

cli_finish "armvm (command line)"
