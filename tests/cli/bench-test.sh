#!/usr/bin/env bash
# bench-test.sh ARMVM OS_ELF: tests of `armvm bench` (OS_ELF: the built bench/os image).
#  1. bad options exit with 2 and a two-line message; --help works; a missing guest OS
#     image exits with 1 and says so;
#  2. a small timed run of the three workloads (--counter none, no qemu) under jit and
#     native prints the table, and its CSV has one row per workload and engine, with the
#     checksums bench/os/reference.py computes, equal guest instruction counts between
#     the engines (-icount is not used: only the user-mode counts are compared, which do
#     not depend on when the timer fires), and the JSON and SVG outputs are well formed;
#  3. a small counted run (valgrind; skipped, with a note, for a sanitizer build) gives
#     host instruction counts and an instruction ratio.
set -uo pipefail

armvm=${1:?usage: bench-test.sh ARMVM OS_ELF}
os=${2:?usage: bench-test.sh ARMVM OS_ELF}
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
reference=$here/../../bench/os/reference.py
cli_command=bench
# shellcheck source=lib.sh
source "$here/lib.sh"
cli_setup bench

# ---- 1. options ------------------------------------------------------------------------
expect_usage "unknown option '--bogus'" --bogus
expect_usage "--workload: unknown workload 'foo'" --workload primes,foo
expect_usage "--size foo=1: expected W=ARGS" --size foo=1
expect_usage "--size primes=: no arguments" --size primes=
expect_usage "--size primes=1,2: the arguments are words" --size primes=1,2
expect_usage "--count-size pingpong=-1: the arguments are words" --count-size pingpong=-1
expect_usage "--engine turbo: unknown engine" --engine turbo
expect_usage "--engine: jit given twice" --engine jit,jit
expect_usage "--counter hw: expected auto, perf, valgrind or none" --counter hw
expect_usage "--jobs 0: expected a number" --jobs 0
expect_usage "--qemu and --no-qemu contradict" --qemu qemu-system-arm --no-qemu
expect_usage "--csv: missing argument" --csv
expect_usage "--repeat 0: expected a number" --repeat 0

run bench --help
[[ $status == 0 && $out == *"usage: armvm bench"* && $out == *"pingpong"* &&
    $out == *"I_r(QEMU)"* && -z $err ]] || fail "armvm bench --help: status $status: $err"

run bench --os "$tmp/nonexistent.elf" --no-qemu --counter none
[[ $status == 1 && $err == *"guest OS image $tmp/nonexistent.elf is missing"* ]] ||
    fail "missing OS image: status $status: $err"

# ---- 2. a small timed run ------------------------------------------------------------------
sizes=(--size primes=20000 --size pingpong=300 --size "fractal=40 30 64")
run bench --os "$os" --no-qemu --counter none --repeat 2 "${sizes[@]}" --json "$tmp/b.json" \
    --svg "$tmp/b.svg" --csv "$tmp/b.csv"
if [[ $status != 0 ]]; then
    fail "timed run: status $status: $err"
else
    [[ $out == *"timed runs"* && $out == *"no counted runs"* ]] || fail "timed run: table: $out"
    python3 - "$tmp/b.csv" "$tmp/b.json" "$tmp/b.svg" "$reference" <<'EOF' || fail "timed run: outputs"
import csv, json, subprocess, sys
import xml.etree.ElementTree as ET
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 6, rows
want = {"primes": ["20000"], "pingpong": ["300"], "fractal": ["40", "30", "64"]}
for w, args in want.items():
    ref = subprocess.run([sys.executable, sys.argv[4], w] + args, capture_output=True,
                         text=True, check=True).stdout.split("checksum=")[1].split()[0]
    rs = [r for r in rows if r["workload"] == w]
    assert sorted(r["column"] for r in rs) == ["jit", "native"], rs
    for r in rs:
        assert r["checksum"] == ref, (w, r["checksum"], ref)
        assert int(r["guest_insns"]) > 0 and float(r["wall_s"]) > 0, r
    assert rs[0]["guest_user"] == rs[1]["guest_user"], rs
j = json.load(open(sys.argv[2]))
assert [w["id"] for w in j["workloads"]] == ["primes", "pingpong", "fractal"], j
ET.parse(sys.argv[3])
EOF
fi

# ---- 3. a small counted run ------------------------------------------------------------------
run bench --os "$os" --no-qemu --counter valgrind --repeat 1 --workload pingpong --size pingpong=50 \
    --count-size pingpong=200 --csv -
if [[ $status == 1 && $err == *"sanitizer (AddressSanitizer) build"* ]]; then
    echo "note: counted run skipped (sanitizer build: valgrind cannot run it)"
elif [[ $status != 0 ]]; then
    fail "counted run: status $status: $err"
else
    python3 - "$tmp/out" <<'EOF' || fail "counted run: CSV: $out"
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1])))
assert len(rows) == 2, rows
for r in rows:
    assert int(r["host_insns"]) > 0 and int(r["count_guest_insns"]) > 0, r
    assert float(r["host_per_guest"]) > 0, r
assert float(rows[0]["ir_fast_path"]) > 0, rows
EOF
fi

cli_finish "armvm bench"
