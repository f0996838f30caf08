#!/usr/bin/env bash
# profile-test.sh ARMVM PROGRAMS: tests of `armvm profile` and of its benchmark programs
# (PROGRAMS: the directory of the built bench/profile ELFs).
#  1. bad options exit with 2 and a two-line message; --help works;
#  2. every benchmark ELF runs under armvm (each available engine) and, when it is
#     installed, under qemu-system-arm, with the same exit status (0) and the same output;
#  3. a small profile run (--engine interp --only ADD,B --iterations 200,400) prints a table
#     with those rows and positive numbers, and a CSV that parses;
#  4. a failing run (a benchmark that reports the wrong name) exits with 1 and says which.
# Step 3 needs valgrind (or a CPU instruction counter); it is skipped, with a note, for a
# sanitizer build, which valgrind cannot run.
set -uo pipefail

armvm=${1:?usage: profile-test.sh ARMVM PROGRAMS}
programs=${2:?usage: profile-test.sh ARMVM PROGRAMS}
cli_command=profile
# shellcheck source=lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"
cli_setup profile

# ---- 1. options --------------------------------------------------------------------------
expect_usage "unknown option '--bogus'" --bogus
expect_usage "unexpected argument 'add'" add
expect_usage "--iterations 400,200: expected N1,N2" --iterations 400,200
expect_usage "--iterations 5: expected N1,N2" --iterations 5
expect_usage "--iterations 0,5: expected N1,N2" --iterations=0,5
expect_usage "--iterations 1,2000000000: expected N1,N2" --iterations 1,2000000000
expect_usage "--only FOO: unknown row (rows: add, mov" --only ADD,FOO
expect_usage "--engine foo: unknown engine" --engine foo
expect_usage "--engine: 'interp' given twice" --engine interp,interp
expect_usage "--counter hw: expected auto, perf or valgrind" --counter hw
expect_usage "--jobs 0: expected a number" --jobs 0
expect_usage "--compare: the command must contain {elf}" --compare 'qemu-system-arm -kernel x.elf'
expect_usage "--compare: unterminated ' quote" --compare "emu 'x {elf} {arg}"
expect_usage "--compare-name needs --compare" --compare-name foo
expect_usage "--csv: missing argument" --csv
for engine in jit native; do
    # only the engines that are not built yet are refused
    if ! "$armvm" --version | grep -q "$engine (not available yet)"; then
        continue
    fi
    expect_usage "--engine $engine: engine '$engine' is not available yet" --engine $engine
done

run profile --help
[[ $status == 0 && $out == *"usage: armvm profile"* &&
    $out == *"(iter(row) - iter(row with half the body)) / (K / 2)"* &&
    -z $err ]] || fail "armvm profile --help: status $status: $err"

run profile --compare 'no-such-emulator-xyz -kernel {elf} {arg}' --only add
[[ $status == 1 && $err == *"program 'no-such-emulator-xyz' not found in PATH"* ]] ||
    fail "missing --compare program: status $status: $err"

# ---- 2. the benchmark programs under armvm and QEMU -------------------------------------
rows=(add mov mul subs ldrb strb ldr str b bne-taken bne-not-taken bl-bx indirect svc loop)
# the engines armvm --version lists without "(not available yet)"
read -r -a engines < <("$armvm" --version |
    sed -n -e 's/ [a-z]* (not available yet)//g' -e 's/^engines: *//p')
[[ ${#engines[@]} -gt 0 ]] || fail "armvm --version lists no available engine"
qemu=$(command -v qemu-system-arm || true)
[[ -n $qemu ]] || echo "note: qemu-system-arm not installed, the programs run under armvm only"
machine=(-M virt -cpu cortex-a15 -m 256M -nographic -semihosting-config 'enable=on,arg=5')
for row in "${rows[@]}"; do
    elf=$programs/$row.elf
    if [[ ! -f $elf ]]; then
        fail "$elf is missing"
        continue
    fi
    # the guest's report, with n=5 (0x5) and its registers
    for engine in "${engines[@]}"; do
        "$armvm" --engine "$engine" "${machine[@]}" -kernel "$elf" </dev/null >"$tmp/a.out" 2>&1
        st=$?
        [[ $st == 0 ]] || fail "$row.elf under armvm --engine $engine: status $st: $(<"$tmp/a.out")"
        grep -q "^$row: n=00000005 r1=" "$tmp/a.out" ||
            fail "$row.elf under armvm --engine $engine: no report: $(<"$tmp/a.out")"
        if [[ $engine == "${engines[0]}" ]]; then
            cp "$tmp/a.out" "$tmp/ref.out"
        elif ! cmp -s "$tmp/ref.out" "$tmp/a.out"; then
            fail "$row.elf: ${engines[0]} and $engine differ: $(<"$tmp/ref.out") / $(<"$tmp/a.out")"
        fi
    done
    if [[ -n $qemu ]]; then
        timeout 60 "$qemu" "${machine[@]}" -kernel "$elf" </dev/null >"$tmp/q.out" 2>&1
        st=$?
        [[ $st == 0 ]] || fail "$row.elf under qemu-system-arm: status $st: $(<"$tmp/q.out")"
        cmp -s "$tmp/ref.out" "$tmp/q.out" ||
            fail "$row.elf: armvm and qemu-system-arm differ: $(<"$tmp/ref.out") / $(<"$tmp/q.out")"
    fi
done
# a bad iteration count is refused by the guest itself (status 3, both emulators)
"$armvm" -M virt -m 256M -semihosting-config enable=on,arg=12x -kernel "$programs/add.elf" \
    </dev/null >"$tmp/a.out" 2>&1
st=$?
if [[ $st != 3 ]] || ! grep -q "must be the iteration count" "$tmp/a.out"; then
    fail "add.elf with arg=12x under armvm: status $st: $(<"$tmp/a.out")"
fi
if [[ -n $qemu ]]; then
    timeout 60 "$qemu" -M virt -m 256M -nographic -semihosting-config enable=on,arg=12x \
        -kernel "$programs/add.elf" </dev/null >"$tmp/q.out" 2>&1
    st=$?
    [[ $st == 3 ]] || fail "add.elf with arg=12x under qemu-system-arm: status $st"
fi

# ---- 3. a small profile run ----------------------------------------------------------------
# (the counter is chosen before the programs are looked for)
run profile --programs "$tmp/nowhere" --only add
skip_profile=
if [[ $status == 1 && $err == *"sanitizer (AddressSanitizer) build"* ]]; then
    skip_profile="this armvm is a sanitizer build, which valgrind cannot run"
elif [[ $status == 1 && $err == *"valgrind not found"* ]]; then
    skip_profile="neither valgrind nor a CPU instruction counter"
fi
if [[ -n $skip_profile ]]; then
    echo "note: profile run skipped: $skip_profile"
else
    [[ $status == 1 && $err == *"$tmp/nowhere/add.elf"* ]] ||
        fail "missing benchmark programs: status $status: $err"

    run profile --engine interp --only ADD,B --iterations 200,400 --csv "$tmp/p.csv"
    if [[ $status != 0 ]]; then
        fail "armvm profile --engine interp --only ADD,B: status $status: $err"
    else
        # the table: a title, a header "benchmark K guest insns/iter interp", rows ADD and B
        grep -q "^benchmark  *K  *guest insns/iter  *interp$" <<<"$out" ||
            fail "profile table: no header line: $out"
        for label in ADD B; do
            line=$(grep "^$label  " <<<"$out")
            read -r -a f <<<"$line"
            [[ ${#f[@]} == 4 && ${f[1]} == 32 && ${f[2]} == 34 ]] ||
                fail "profile table: bad row '$label': '$line'"
            awk -v v="${f[3]:-x}" 'BEGIN { exit !(v ~ /^[0-9.]+$/ && v + 0 > 0) }' ||
                fail "profile table: row '$label' has no positive number: '$line'"
        done
        [[ $(grep -c "^[A-Z]" <<<"$out") == 2 ]] || fail "profile table: extra rows: $out"
        # one progress line per pair of runs on stderr (ADD and B, each with the whole
        # and with half the body)
        [[ $(grep -c "^armvm profile: \[[0-9]/4\] interp " <<<"$err") == 4 &&
            $(grep -c "(half body)" <<<"$err") == 2 ]] ||
            fail "profile: expected 4 progress lines: $err"
        # the CSV: a header and two rows of 6 fields, numbers where numbers belong
        awk -F, '
            NR == 1 { ok = ($0 == "benchmark,label,k,guest_insns_per_iter,interp,interp host_insns_per_iter"); next }
            NF != 6 || $3 != 32 || $4 != 34 || !($5 + 0 > 0) || !($6 + 0 > 0) { ok = 0 }
            { rows = rows " " $1 }
            END { exit !(ok && NR == 3 && rows == " add b") }' "$tmp/p.csv" ||
            fail "profile CSV does not parse: $(<"$tmp/p.csv")"
        # --csv - writes the CSV instead of the table
        run profile --engine interp --only b --iterations 200,400 --csv -
        [[ $status == 0 && $(head -n 1 <<<"$out") == benchmark,label,* &&
            $(wc -l <<<"$out") == 2 ]] || fail "profile --csv -: status $status: $out"
    fi

    # ---- 4. a failing run ------------------------------------------------------------------
    mkdir -p "$tmp/bad"
    cp "$programs/loop.elf" "$tmp/bad/loop.elf"
    cp "$programs/add-half.elf" "$tmp/bad/add-half.elf"
    cp "$programs/b.elf" "$tmp/bad/add.elf" # reports "b: n=..." instead of "add: n=..."
    run profile --engine interp --only add --iterations 200,400 --jobs 1 --programs "$tmp/bad"
    [[ $status == 1 && $err == *"interp add (n=200) failed: the benchmark did not report"* &&
        $err == *"b: n=000000c8"* ]] || fail "failing run: status $status: $err"
fi

cli_finish "armvm profile"
