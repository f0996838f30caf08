# lib.sh: what the tests of armvm's commands share. Set $armvm (the executable) and
# $cli_command (the command under test: "bench", "profile", or "" for armvm itself),
# then source this file and call cli_setup NAME. It provides:
#   $tmp                       a temporary directory, removed on exit
#   fail MESSAGE               count a failure and print it
#   run ARGS...                run armvm ARGS: sets $status, $out (stdout), $err (stderr)
#   expect_usage NEEDLE ARGS...  `armvm [$cli_command] ARGS` exits with 2, prints nothing
#                              on stdout and two stderr lines: "armvm[ command]: ...NEEDLE..."
#                              and the --help hint
#   cli_finish NAME            exit 1 with a summary if anything failed, else say ok

cli_setup() {
    tmp=$(mktemp -d "${TMPDIR:-/tmp}/armvm-$1-test.XXXXXX") || exit 1
    trap 'rm -rf "$tmp"' EXIT
    failures=0
}

fail() {
    echo "FAIL: $*"
    failures=$((failures + 1))
}

run() {
    "$armvm" "$@" </dev/null >"$tmp/out" 2>"$tmp/err"
    status=$?
    out=$(<"$tmp/out")
    err=$(<"$tmp/err")
}

expect_usage() {
    local needle=$1 name="armvm${cli_command:+ $cli_command}"
    shift
    run ${cli_command:+"$cli_command"} "$@"
    [[ $status == 2 ]] || fail "$name $*: status $status, expected 2 ($err)"
    [[ -z $out ]] || fail "$name $*: unexpected stdout: $out"
    local lines
    lines=$(wc -l <"$tmp/err")
    [[ $lines == 2 ]] || fail "$name $*: $lines stderr lines, expected 2: $err"
    [[ $(head -n 1 "$tmp/err") == "$name: "*"$needle"* ]] ||
        fail "$name $*: first stderr line lacks '$name: ...$needle': $err"
    [[ $(tail -n 1 "$tmp/err") == *"try '$name --help'"* ]] ||
        fail "$name $*: no --help hint: $err"
}

cli_finish() {
    if [[ $failures -ne 0 ]]; then
        echo "FAILED: $1 ($failures failures)"
        exit 1
    fi
    echo "ok: $1"
}
