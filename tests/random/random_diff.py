#!/usr/bin/env python3
"""Random differential tester for armvm (see README.md); run-random.sh is
the entry point.

For each program (seeds S, S+1, ... S+P-1): generate a guest program with
gen_random.py, build it with arm-none-eabi-gcc, run it under every requested
armvm engine and, when asked, under qemu-system-arm, and compare the
outputs case by case (plus exit status, and the guest instruction count of
--stats between armvm engines).  On a mismatch: print the first differing
case with its listing and both states, then shrink it (drop units while the
mismatch persists) and print the minimal reproducer.

--user (or --mode user) runs the cases in User mode (gen_random.py --user and
the harness built with -DRT_USER=1); --mode alternate runs every other
program (the 2nd, 4th, ...) in User mode.
"""

import argparse
import concurrent.futures
import os
import re
import shutil
import subprocess
import sys
import tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.dont_write_bytecode = True   # no __pycache__ in the source tree
import gen_random  # noqa: E402

MACHINE = ["-M", "virt", "-cpu", "cortex-a15", "-m", "256M", "-nographic", "-semihosting"]
GCC = os.environ.get("ARMVM_GUEST_CC", "arm-none-eabi-gcc")
ARCH = ["-marm", "-mcpu=cortex-a15", "-mfloat-abi=soft"]
CFLAGS = ARCH + ["-mgeneral-regs-only", "-ffreestanding", "-fno-builtin", "-O2", "-Wall",
                 "-Wextra", "-Werror", "-fno-tree-loop-distribute-patterns",
                 "-fno-unwind-tables", "-fno-asynchronous-unwind-tables", "-I" + HERE]
# -mno-warn-deprecated: SWP/SWPB are deprecated in ARMv7 but still tested.
ASFLAGS = ARCH + ["-I" + HERE, "-Wa,--fatal-warnings", "-Wa,-mno-warn-deprecated"]
LDFLAGS = ["-marm", "-mfloat-abi=soft", "-nostdlib", "-nostartfiles",
           "-T" + os.path.join(HERE, "link.ld"), "-Wl,--no-warn-rwx-segments"]
TIMEOUT = int(os.environ.get("ARMVM_TEST_TIMEOUT", "60"))
NAMES = ["r%d" % i for i in range(13)]


class Fail(Exception):
    pass


def sh(cmd, **kw):
    p = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, **kw)
    if p.returncode != 0:
        raise Fail("command failed: %s\n%s%s" % (" ".join(cmd), p.stdout, p.stderr))
    return p


def build_common(workdir, modes):
    """entry.o and harness.o, shared by every program: {user: [objects]}
    for each mode in modes (False: privileged, True: User mode)."""
    common = {}
    for user in modes:
        objs = []
        for src in ("entry.S", "harness.c"):
            obj = os.path.join(workdir, src.split(".")[0] + ("-user" if user else "") + ".o")
            flags = (ASFLAGS if src.endswith(".S") else CFLAGS) + ["-DRT_USER=%d" % user]
            sh([GCC] + flags + ["-c", os.path.join(HERE, src), "-o", obj])
            objs.append(obj)
        common[user] = objs
    return common


def build_program(workdir, common, name, seed, cases, max_len, only=None, drop=(), avoid=(),
                  user=False):
    asm, lst = gen_random.generate(seed, cases, max_len, only, set(drop), avoid, user)
    base = os.path.join(workdir, name)
    with open(base + ".S", "w") as f:
        f.write(asm)
    with open(base + ".lst", "w") as f:
        f.write(lst)
    sh([GCC] + ASFLAGS + ["-c", base + ".S", "-o", base + ".o"])
    sh([GCC] + LDFLAGS + common[user] + [base + ".o", "-o", base + ".elf"])
    return base


class Run:
    def __init__(self, who, status, lines, insns, err, user_insns=None):
        self.who, self.status, self.lines, self.insns, self.err = who, status, lines, insns, err
        self.user_insns = user_insns     # --stats "in user mode" (armvm only)


def run_to_files(cmd, cwd, out_path, err_path):
    """Runs cmd with stdout/stderr in files (err_path None: merged into
    out_path).  Files, not pipes: QEMU makes its stdio non-blocking, and its
    semihosting writes to a full pipe are lost (EAGAIN) on a busy machine."""
    with open(out_path, "wb") as fo:
        fe = open(err_path, "wb") if err_path else None
        try:
            p = subprocess.run(cmd, stdout=fo, stderr=fe if fe else subprocess.STDOUT,
                               stdin=subprocess.DEVNULL, timeout=TIMEOUT, cwd=cwd)
            status = p.returncode
        except subprocess.TimeoutExpired:
            status = "timeout"
        finally:
            if fe:
                fe.close()
    with open(out_path, "rb") as f:
        out = f.read().decode("utf-8", "replace")
    err = ""
    if err_path:
        with open(err_path, "rb") as f:
            err = f.read().decode("utf-8", "replace")
    return status, out, err


def run_armvm(armvm, engine, elf, cwd):
    cmd = [armvm, "--engine", engine, "--stats"] + MACHINE + ["-kernel", elf]
    base = os.path.splitext(elf)[0] + "." + engine
    status, out, err = run_to_files(cmd, cwd, base + ".out", base + ".err")
    m = re.search(r"guest instructions\s+(\d+)", err)
    u = re.search(r"in user mode\s+(\d+)", err)
    return Run("armvm-" + engine, status, out.splitlines(), m.group(1) if m else None, err,
               u.group(1) if u else None)


def run_qemu(elf, cwd):
    # QEMU 7.2 writes semihosting output to stderr and the UART to stdout:
    # merge both, drop its own diagnostics, normalise CRLF (as
    # tests/guest/run-guest-test.sh does).
    cmd = ["qemu-system-arm"] + MACHINE + ["-kernel", elf]
    status, out, _ = run_to_files(cmd, cwd, os.path.splitext(elf)[0] + ".qemu.out", None)
    lines = [ln.rstrip("\r") for ln in out.replace("\r\n", "\n").split("\n")
             if not ln.startswith("qemu-system-arm: ")]
    if lines and lines[-1] == "":
        lines.pop()
    return Run("qemu", status, lines, None, "")


def run_all(opts, elf, cwd):
    runs = [run_armvm(opts.armvm, e, elf, cwd) for e in opts.engines]
    if opts.qemu:
        runs.append(run_qemu(elf, cwd))
    return runs


def case_of(line):
    m = re.match(r"(\d+) ", line)
    return int(m.group(1)) if m else None


def first_diff(a, b):
    """Index of the first differing line, or None."""
    for i in range(max(len(a.lines), len(b.lines))):
        la = a.lines[i] if i < len(a.lines) else "<missing>"
        lb = b.lines[i] if i < len(b.lines) else "<missing>"
        if la != lb:
            return i
    return None


def check_runs(runs, ncases, user=False):
    """Problems as a list of (message, run_a, run_b, line index or None)."""
    probs = []
    ref = runs[0]
    for x in runs:
        done = "done %d" % ncases
        if x.status == "timeout":
            probs.append(("%s timed out after %ds" % (x.who, TIMEOUT), x, None, None))
        if not x.lines or x.lines[-1] != done:
            tail = x.lines[-1] if x.lines else "<no output>"
            probs.append(("%s did not finish (status %s, last line: %s)" % (x.who, x.status, tail),
                          x, None, None))
        elif x.user_insns is not None and (int(x.user_insns) > 0) != user:
            probs.append(("%s ran %s instructions in User mode in a %s program" % (
                x.who, x.user_insns, "user-mode" if user else "privileged"), x, None, None))
    for x in runs[1:]:
        i = first_diff(ref, x)
        if i is not None:
            probs.append(("output differs between %s and %s" % (ref.who, x.who), ref, x, i))
        elif x.status != ref.status:
            probs.append(("exit status differs: %s %s, %s %s" % (ref.who, ref.status, x.who, x.status),
                          ref, x, None))
        if x.who.startswith("armvm") and x.insns != ref.insns:
            probs.append(("guest instruction count differs: %s %s, %s %s" % (
                ref.who, ref.insns, x.who, x.insns), ref, x, None))
        elif x.who.startswith("armvm") and x.user_insns != ref.user_insns:
            probs.append(("user-mode instruction count differs: %s %s, %s %s" % (
                ref.who, ref.user_insns, x.who, x.user_insns), ref, x, None))
    return probs


def listing_block(lst_path, k):
    out, on = [], False
    with open(lst_path) as f:
        for ln in f:
            ln = ln.rstrip("\n")
            if ln.startswith("case "):
                on = ln == "case %d" % k
            if on:
                out.append(ln)
    return out


PSR_FIELDS = "NZCVQ 31:27, GE 19:16"
PSR_FIELDS_USER = PSR_FIELDS + "; user mode: E 9, A 8, I 7, F 6, T 5, M 4:0"


def explain(la, lb, wa, wb, user=False):
    """Side-by-side description of two result lines."""
    out = []
    pa, pb = [x.strip() for x in la.split("|")], [x.strip() for x in lb.split("|")]
    if len(pa) != 3 or len(pb) != 3:
        return ["  %-10s %s" % (wa, la), "  %-10s %s" % (wb, lb)]
    ra, rb = pa[0].split()[1:], pb[0].split()[1:]
    for i, (x, y) in enumerate(zip(ra, rb)):
        if x != y:
            out.append("  %-4s %s %s  %s %s" % (NAMES[i], wa, x, wb, y))
    if pa[1] != pb[1]:
        out.append("  psr  %s %s  %s %s   (%s)" % (wa, pa[1], wb, pb[1],
                                                  PSR_FIELDS_USER if user else PSR_FIELDS))
    if pa[2] != pb[2]:
        out.append("  mem  %s: %s" % (wa, pa[2] or "(unchanged)"))
        out.append("  mem  %s: %s" % (wb, pb[2] or "(unchanged)"))
    out.append("  full %-8s %s" % (wa, la))
    out.append("  full %-8s %s" % (wb, lb))
    return out


def mismatch_at(runs, who_a, who_b, k):
    """For a one-case program: do who_a and who_b disagree on case k?"""
    ra = next(x for x in runs if x.who == who_a)
    rb = next(x for x in runs if x.who == who_b)
    return ra.lines != rb.lines or ra.status != rb.status or \
        (who_b.startswith("armvm") and (ra.insns, ra.user_insns) != (rb.insns, rb.user_insns))


def unit_count(seed, k, max_len, avoid, user):
    _, _, units = gen_random.make_case(seed, k, max_len, avoid, user)
    return sum(1 for kind, _ in units if kind != "label")


def shrink(opts, workdir, common, seed, k, who_a, who_b, user):
    """Greedy unit removal: returns the list of dropped units (or None when
    case k alone does not reproduce the mismatch)."""
    sub = opts.__class__(**vars(opts))
    sub.engines = [w[len("armvm-"):] for w in (who_a, who_b) if w.startswith("armvm-")]
    sub.qemu = "qemu" in (who_a, who_b)
    cnt = [0]

    def fails(drop):
        cnt[0] += 1
        base = build_program(workdir, common, "shrink", seed, 1, opts.max_len, [k], drop,
                             opts.avoid, user)
        runs = run_all(sub, base + ".elf", workdir)
        return mismatch_at(runs, who_a, who_b, k)

    if not fails([]):
        return None
    n = unit_count(seed, k, opts.max_len, opts.avoid, user)
    drop = []
    changed = True
    while changed:
        changed = False
        for u in range(n):
            if u in drop:
                continue
            if fails(drop + [u]):
                drop.append(u)
                changed = True
    return sorted(drop)


def report(opts, workdir, common, seed, base, runs, probs, user):
    print("FAILED: random seed %s%s (%s)" % (seed, " in User mode" if user else "",
                                             base + ".elf"))
    for msg, a, b, idx in probs:
        print("  - " + msg)
    msg, a, b, idx = probs[0]
    if b is None or idx is None:
        x = a
        print("--- %s: last lines ---" % x.who)
        for ln in x.lines[-5:]:
            print("  " + ln)
        m = re.search(r"in case (\d+)", x.lines[-1] if x.lines else "")
        if m:
            for ln in listing_block(base + ".lst", int(m.group(1))):
                print(ln)
        if x.err:
            print("--- %s: stderr ---" % x.who)
            print(x.err[-2000:])
        return
    la = a.lines[idx] if idx < len(a.lines) else "<missing>"
    lb = b.lines[idx] if idx < len(b.lines) else "<missing>"
    k = case_of(la) if case_of(la) is not None else case_of(lb)
    if k is None:
        print("  line %d: %s: %s" % (idx + 1, a.who, la))
        print("  line %d: %s: %s" % (idx + 1, b.who, lb))
        return
    print("--- first differing case: %d ---" % k)
    for ln in listing_block(base + ".lst", k):
        print(ln)
    for ln in explain(la, lb, a.who, b.who, user):
        print(ln)
    if opts.no_shrink:
        return
    drop = shrink(opts, workdir, common, seed, k, a.who, b.who, user)
    if drop is None:
        print("--- case %d alone does not reproduce it (depends on the case order?) ---" % k)
        return
    sbase = build_program(workdir, common, "shrink", seed, 1, opts.max_len, [k], drop,
                          opts.avoid, user)
    sub = opts.__class__(**vars(opts))
    sub.engines = [w[len("armvm-"):] for w in (a.who, b.who) if w.startswith("armvm-")]
    sub.qemu = "qemu" in (a.who, b.who)
    sruns = run_all(sub, sbase + ".elf", workdir)
    ra = next(x for x in sruns if x.who == a.who)
    rb = next(x for x in sruns if x.who == b.who)
    print("--- minimal reproducer (case %d, units %s dropped) ---" % (k, ",".join(map(str, drop)) or "none"))
    for ln in listing_block(sbase + ".lst", k):
        print(ln)
    if ra.lines and rb.lines:
        for ln in explain(ra.lines[0], rb.lines[0], a.who, b.who, user):
            print(ln)
    if ra.insns != rb.insns and b.who.startswith("armvm"):
        print("  insns %s %s  %s %s" % (a.who, ra.insns, b.who, rb.insns))
    if ra.user_insns != rb.user_insns and b.who.startswith("armvm"):
        print("  user-mode insns %s %s  %s %s" % (a.who, ra.user_insns, b.who, rb.user_insns))
    print("  reproduce: %s %s%s --seed %s --max-len %d --only %d%s%s --keep DIR" % (
        os.path.join(HERE, "run-random.sh"), opts.armvm, " --user" if user else "",
        seed, opts.max_len, k,
        (" --drop " + ",".join(map(str, drop))) if drop else "",
        "".join(" --avoid '%s'" % a for a in opts.avoid)))


def one_program(opts, workdir, common, seed, user):
    d = os.path.join(workdir, "seed-%s%s" % (seed, "-user" if user else ""))
    os.makedirs(d, exist_ok=True)
    only = gen_random.parse_list(opts.only) if opts.only else None
    drop = gen_random.parse_list(opts.drop) if opts.drop else []
    base = build_program(d, common, "prog", seed, opts.cases, opts.max_len, only, drop,
                         opts.avoid, user)
    runs = run_all(opts, base + ".elf", d)
    ncases = len(only) if only is not None else opts.cases
    probs = check_runs(runs, ncases, user)
    return seed, user, d, base, runs, probs, ncases


def main(argv=None):
    ap = argparse.ArgumentParser(prog="run-random.sh", description=__doc__.split("\n")[0])
    ap.add_argument("armvm")
    ap.add_argument("--seed", default="1", help="first seed (default 1)")
    ap.add_argument("--programs", type=int, default=1, help="programs, seeds S, S+1, ... (default 1)")
    ap.add_argument("--cases", type=int, default=1000, help="cases per program (default 1000)")
    ap.add_argument("--max-len", type=int, default=20, help="max units per case (default 20)")
    ap.add_argument("--engines", default=None,
                    help='armvm engines (default $ARMVM_ENGINES or "interp")')
    q = ap.add_mutually_exclusive_group()
    q.add_argument("--qemu", dest="qemu", action="store_true", default=None,
                   help="also run qemu-system-arm (default when installed, unless $ARMVM_NO_QEMU)")
    q.add_argument("--no-qemu", dest="qemu", action="store_false")
    m = ap.add_mutually_exclusive_group()
    m.add_argument("--mode", choices=["privileged", "user", "alternate"], default="privileged",
                   help="run the cases in SVC mode (default), in User mode, or alternate "
                        "(every other program in User mode)")
    m.add_argument("--user", dest="mode", action="store_const", const="user",
                   help="same as --mode user")
    ap.add_argument("--only", help="only these case numbers (reproducing a failure)")
    ap.add_argument("--drop", help="leave these units out (with --only)")
    ap.add_argument("--avoid", action="append", default=[], metavar="REGEX",
                    help="redraw units with a line matching REGEX (skip a known bug; repeatable)")
    ap.add_argument("--no-shrink", action="store_true", help="do not minimise a failing case")
    ap.add_argument("--keep-going", action="store_true", help="report every failing program")
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--keep", metavar="DIR", help="work in DIR and keep it (default: a temporary one)")
    opts = ap.parse_args(argv)

    opts.armvm = os.path.abspath(opts.armvm) if "/" in opts.armvm else \
        (shutil.which(opts.armvm) or opts.armvm)
    if not os.access(opts.armvm, os.X_OK):
        print("FAILED: armvm not executable: %s" % opts.armvm)
        return 1
    engines = opts.engines if opts.engines is not None else os.environ.get("ARMVM_ENGINES", "")
    opts.engines = engines.split() or ["interp"]
    have_qemu = shutil.which("qemu-system-arm") is not None
    if opts.qemu is None:
        opts.qemu = have_qemu and not os.environ.get("ARMVM_NO_QEMU")
    elif opts.qemu and not have_qemu:
        print("FAILED: --qemu given but qemu-system-arm is not installed")
        return 1
    if shutil.which(GCC) is None:
        print("FAILED: %s not found" % GCC)
        return 1
    try:
        first = int(opts.seed)
        seeds = [str(first + i) for i in range(opts.programs)]
    except ValueError:
        seeds = [opts.seed] if opts.programs == 1 else \
            ["%s.%d" % (opts.seed, i) for i in range(opts.programs)]

    if opts.keep:
        workdir = os.path.abspath(opts.keep)
        os.makedirs(workdir, exist_ok=True)
    else:
        workdir = tempfile.mkdtemp(prefix="armvm-random.")
    failed = 0
    total = 0
    try:
        users = [opts.mode == "user" or (opts.mode == "alternate" and i % 2 == 1)
                 for i in range(len(seeds))]
        common = build_common(workdir, sorted(set(users)))
        compared = [("armvm-" + e) for e in opts.engines] + (["qemu"] if opts.qemu else [])
        with concurrent.futures.ThreadPoolExecutor(max(1, opts.jobs)) as pool:
            futs = [pool.submit(one_program, opts, workdir, common, s, u)
                    for s, u in zip(seeds, users)]
            for fut in futs:
                seed, user, d, base, runs, probs, ncases = fut.result()
                if probs:
                    failed += 1
                    if failed == 1 or opts.keep_going:
                        report(opts, d, common, seed, base, runs, probs, user)
                        if not opts.keep_going:
                            for f in futs:
                                f.cancel()
                            break
                else:
                    total += ncases
        if failed:
            if not opts.keep:
                print("(re-run with --keep DIR to keep the programs and listings)")
            return 1
        note = "" if len(compared) > 1 else \
            " (only one executor: nothing compared, checked that every case completes)"
        insns = ", ".join("%s" % r.insns for r in runs if r.insns)  # last program
        where = {"privileged": "", "user": " in User mode",
                 "alternate": " (every other program in User mode)"}[opts.mode]
        print("ok: random seeds %s%s: %d cases identical under %s%s (last program: %s guest insns)" % (
            seeds[0] if len(seeds) == 1 else "%s..%s" % (seeds[0], seeds[-1]), where,
            total, ", ".join(compared), note, insns))
        return 0
    except Fail as e:
        print("FAILED: %s" % e)
        return 1
    finally:
        if not opts.keep:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
