#!/usr/bin/env python3
"""Random A32 (ARMv7-A integer) instruction-sequence generator for the
differential tester (see README.md).

It writes an assembly file with N test cases and a listing.  Each case sets
r0-r12 and NZCVQ/GE to random values (edge values included), runs a random
body of 1..max-len tested instructions ("units", see below), and ends with
"b rt_case_end"; the harness (entry.S, harness.c) then prints the registers,
the flags and the changed scratch-buffer words.

A unit is one tested instruction plus the set-up it needs, kept together so
that a unit can be dropped (--drop) without breaking the others:
  - a load/store first points its base register into the scratch buffer:
        and  Rn, Rn, #M        keep a few random low bits (alignment-safe)
        add  Rn, Rn, sp        sp = the scratch buffer while a case runs
        add/sub Rn, Rn, #K     so that every byte accessed is inside it
    and, for a register offset, "sub/add Rn, Rn, Rm{, shift}" so that the
    address is the same whatever Rm holds (Rm itself stays random);
  - LDREX ... STREX pairs are one unit (with 0-2 flag-free ALU instructions
    in between that leave the base alone);
  - a forward branch is one unit; its label follows the next 1-4 units;
  - a loop is one unit: "mov Rc, #1..6", a label, 1-3 data-processing
    instructions (or a division and its remainder) that leave Rc alone, and
    "subs Rc, Rc, #1; bne label": the translator's self-loops, unrolled
    short loops and flags kept across the back edge;
  - a division with its remainder ("udiv Rq, Rn, Rd; mls Rr, Rq, Rd, Rn",
    what compilers emit for n % d) is one unit: IR_UREM;
  - a 64-bit shift's word ("lsr Ra, Ra, #n; orr Ra, Ra, Rb, lsl #32-n", or the
    left-shift mirror, maybe with an instruction between) is one unit: IR_FSHR.

Case k of seed s depends only on (s, k, max-len): "--only k" regenerates it
alone, "--drop i,j" leaves units out (the shrinker in random_diff.py).

--user: the cases run in User mode (the harness built with -DRT_USER=1 enters
each body with an exception return and gets back through "svc" at
rt_case_end; the program says so in rt_gen_user, which the harness checks).
The random choices are the same as without --user, so a seed gives the same
cases in both modes; the only difference is that an MRS is followed by
"bfc Rd, #0, #10": in User mode the E, A, I, F and M fields an MRS reads are
UNKNOWN (ARM ARM B9.3.8; they are in the harness's user-mode CPSR output
anyway, read from SPSR_svc).  MSR CPSR_x stays: at PL0 it writes E and
ignores A (CPSRWriteByInstr, B1.3.3), which the user-mode output shows.  The
unprivileged *T forms are ordinary accesses in User mode.

Deliberately not generated (all are either UNPREDICTABLE, trap, break the
harness, or make QEMU deviate from the architecture):
  - r13/r14/r15 as any operand (sp/lr/pc belong to the harness): this also
    excludes Rd=PC data processing (ADDS pc,... exception returns, which
    QEMU 7.2 treats as plain branches), PC-relative operands and loads to PC;
  - UNPREDICTABLE register combinations: writeback with Rn==Rt (or Rt2),
    LDM with writeback and Rn in the list, STM with writeback and Rn in the
    list other than as its lowest register (UNKNOWN value), RdHi==RdLo for
    long multiplies, LDRD with odd Rt or Rm in {Rt, Rt2}, STREX with Rd in
    {Rn, Rt, Rt2}, SWP with Rn in {Rt, Rt2}, empty register lists;
  - anything that traps or changes the mode: SVC, BKPT, UDF, SMC, HVC, CPS,
    MSR to the control byte (MSR CPSR_x is generated: it writes only E and
    A), MRS/MSR of SPSR (UNKNOWN at reset), WFI/WFE, coprocessor
    instructions, Thumb (BX/BLX), BL (writes lr);
  - misaligned LDRD/STRD, LDM/STM, SWP and exclusives (alignment faults);
    LDR/STR/LDRH/STRH may be unaligned (SCTLR.A = 0);
  - IMPLEMENTATION DEFINED exclusive-monitor behaviour: a STREX always goes
    to the address and size of the LDREX just before it with no memory
    access in between, or follows a CLREX (then it must fail and return 1).
"""

import argparse
import random
import re
import sys

BUF_BYTES = 1024          # must match rt_config.h (checked by the harness)
GUARD = 64                # never targeted: catches stray stores
REGS = list(range(13))
CONDS = ["eq", "ne", "cs", "cc", "mi", "pl", "vs", "vc",
         "hi", "ls", "ge", "lt", "gt", "le"]

EDGE = [0, 1, 2, 0x7fffffff, 0x80000000, 0xffffffff, 0xfffffffe, 0x80000001,
        0x7ffffffe, 0xff, 0x80, 0x7f, 0x100, 0xffff, 0x8000, 0x7fff, 0x10000,
        0xffff8000, 0xffff7fff, 0xff80, 0x7f7f7f7f, 0x80808080, 0xffffff80,
        0x20, 0x1f, 0x21, 0x40, 0x7fff8000, 0x00ff00ff, 0xff00ff00]


def r(n):
    return "r%d" % n


class Case:
    def __init__(self, rng, idx):
        self.rng = rng
        self.idx = idx
        self.units = []        # list of (kind, [lines]); kind "label" = no insn
        self.nlabels = 0
        self.pending = []      # [label, units still to pass]


class Gen:
    """Generates the units of one case.  Every random choice goes through
    self.rng, so a case is a pure function of its seed string."""

    def __init__(self, rng, avoid=(), user=False):
        self.rng = rng
        self.avoid = [re.compile(a) for a in avoid]
        self.user = user

    # ---- values ------------------------------------------------------------
    def value(self):
        rng = self.rng
        x = rng.random()
        if x < 0.30:
            return rng.choice(EDGE)
        if x < 0.45:
            return rng.randrange(0, 65)
        if x < 0.60:
            v = 0
            for _ in range(4):
                v = (v << 8) | rng.choice([0, 1, 0x7f, 0x80, 0xff, rng.randrange(256)])
            return v
        if x < 0.65:
            return (-rng.randrange(1, 65)) & 0xffffffff
        return rng.getrandbits(32)

    def psr(self):
        rng = self.rng
        nzcvq = rng.choice([0, 0x1f, rng.getrandbits(5), rng.getrandbits(5)])
        ge = rng.choice([0, 0xf, rng.getrandbits(4), rng.getrandbits(4)])
        return (nzcvq << 27) | (ge << 16)

    def cond(self, p=0.3):
        if self.rng.random() < p:
            return self.rng.choice(CONDS)
        return ""

    def reg(self, avoid=()):
        """A register other than those in avoid: most cases draw from a
        small per-case set, so that results feed later instructions."""
        cand = [x for x in self.hot if x not in avoid]
        if not cand or self.rng.random() < 0.15:
            cand = [x for x in REGS if x not in avoid]
        return self.rng.choice(cand)

    def regs(self, n, distinct=False, avoid=()):
        out = []
        for _ in range(n):
            a = list(avoid) + (out if distinct else [])
            out.append(self.reg(a))
        return out

    def modimm(self):
        """'#imm8, rot' with the rotation written out (it decides the
        shifter carry of logical ops)."""
        rng = self.rng
        imm = rng.choice([0, 1, 0xff, 0x80, 0x7f, rng.randrange(256), rng.randrange(256)])
        rot = rng.choice([0, 0, 2, 30, 8, 16, 24, rng.randrange(0, 31, 2)])
        return "#%d, %d" % (imm, rot)

    def shift_imm(self, allow_rrx=True):
        rng = self.rng
        kind = rng.choice(["lsl", "lsr", "asr", "ror", "rrx"] if allow_rrx else
                          ["lsl", "lsr", "asr", "ror"])
        if kind == "rrx":
            return "rrx"
        if kind == "lsl":
            return "lsl #%d" % rng.choice([0, 1, 31, rng.randrange(32)])
        if kind in ("lsr", "asr"):
            return "%s #%d" % (kind, rng.choice([1, 31, 32, rng.randrange(1, 33)]))
        return "ror #%d" % rng.choice([1, 31, 16, rng.randrange(1, 32)])

    # ---- data processing -----------------------------------------------------
    DP3 = ["and", "eor", "sub", "rsb", "add", "adc", "sbc", "rsc", "orr", "bic"]
    DP2 = ["mov", "mvn"]
    CMP = ["tst", "teq", "cmp", "cmn"]

    def operand2(self):
        rng = self.rng
        form = rng.choice(["imm", "imm", "reg", "shimm", "shimm", "shreg", "shreg"])
        if form == "imm":
            return self.modimm()
        m = r(self.reg())
        if form == "reg":
            return m
        if form == "shimm":
            return "%s, %s" % (m, self.shift_imm())
        return "%s, %s %s" % (m, rng.choice(["lsl", "lsr", "asr", "ror"]), r(self.reg()))

    def dp(self, setflags=None, avoid_dest=()):
        rng = self.rng
        c = self.cond()
        kind = rng.random()
        if setflags is False:
            kind = min(kind, 0.84)
        if kind < 0.65:
            op = rng.choice(self.DP3)
            s = "s" if (setflags if setflags is not None else rng.random() < 0.5) else ""
            return ["%s%s%s %s, %s, %s" % (op, s, c, r(self.reg(avoid_dest)),
                                            r(self.reg()), self.operand2())]
        if kind < 0.85:
            op = rng.choice(self.DP2)
            s = "s" if (setflags if setflags is not None else rng.random() < 0.5) else ""
            return ["%s%s%s %s, %s" % (op, s, c, r(self.reg(avoid_dest)), self.operand2())]
        op = rng.choice(self.CMP)
        return ["%s%s %s, %s" % (op, c, r(self.reg()), self.operand2())]

    # ---- multiplies ----------------------------------------------------------
    def mul(self):
        rng = self.rng
        c = self.cond()
        k = rng.randrange(12)
        s = "s" if rng.random() < 0.4 else ""
        if k == 0:
            return ["mul%s%s %s, %s, %s" % (s, c, *map(r, self.regs(3)))]
        if k == 1:
            return ["mla%s%s %s, %s, %s, %s" % (s, c, *map(r, self.regs(4)))]
        if k == 2:
            return ["mls%s %s, %s, %s, %s" % (c, *map(r, self.regs(4)))]
        if k in (3, 4):
            op = rng.choice(["umull", "smull", "umlal", "smlal"])
            lo, hi = self.regs(2, distinct=True)
            return ["%s%s%s %s, %s, %s, %s" % (op, s, c, r(lo), r(hi), r(self.reg()), r(self.reg()))]
        if k == 5:
            lo, hi = self.regs(2, distinct=True)
            return ["umaal%s %s, %s, %s, %s" % (c, r(lo), r(hi), r(self.reg()), r(self.reg()))]
        xy = rng.choice("bt") + rng.choice("bt")
        y = rng.choice("bt")
        if k == 6:
            op = rng.choice(["smul" + xy, "smulw" + y])
            return ["%s%s %s, %s, %s" % (op, c, *map(r, self.regs(3)))]
        if k == 7:
            op = rng.choice(["smla" + xy, "smlaw" + y])
            return ["%s%s %s, %s, %s, %s" % (op, c, *map(r, self.regs(4)))]
        if k == 8:
            x = rng.choice(["", "x"])
            op = rng.choice(["smlal" + xy, "smlald" + x, "smlsld" + x])
            lo, hi = self.regs(2, distinct=True)
            return ["%s%s %s, %s, %s, %s" % (op, c, r(lo), r(hi), r(self.reg()), r(self.reg()))]
        if k == 9:
            x = rng.choice(["", "x"])
            op = rng.choice(["smuad" + x, "smusd" + x, "smmul", "smmulr"])
            return ["%s%s %s, %s, %s" % (op, c, *map(r, self.regs(3)))]
        if k == 10:
            x = rng.choice(["", "x"])
            op = rng.choice(["smlad" + x, "smlsd" + x, "smmla", "smmlar", "smmls", "smmlsr"])
            return ["%s%s %s, %s, %s, %s" % (op, c, *map(r, self.regs(4)))]
        op = rng.choice(["sdiv", "udiv"])
        return ["%s%s %s, %s, %s" % (op, c, *map(r, self.regs(3)))]

    def divmod(self, avoid=()):
        rng = self.rng
        op = rng.choice(["udiv", "udiv", "sdiv"])
        rn, rd = self.regs(2, avoid=avoid)
        rq = self.reg(tuple(avoid) + (rn, rd))
        rr = rq if rng.random() < 0.5 else self.reg(avoid)
        return ["%s %s, %s, %s" % (op, r(rq), r(rn), r(rd)),
                "mls %s, %s, %s, %s" % (r(rr), r(rq), r(rd), r(rn))]

    def shift64(self):
        rng = self.rng
        n = rng.randint(1, 31)
        a, bb = self.regs(2)
        first, second = ("lsr", "lsl") if rng.random() < 0.7 else ("lsl", "lsr")
        lines = ["%s %s, %s, #%d" % (first, r(a), r(a), n)]
        if rng.random() < 0.3:
            lines += self.dp(avoid_dest=(a,))
        lines.append("orr %s, %s, %s, %s #%d" % (r(a), r(a), r(bb), second, 32 - n))
        return lines

    def loop(self):
        rng = self.rng
        rc = self.reg()
        self.nloops += 1
        lab = ".Lbl%d" % self.nloops
        lines = ["mov %s, #%d" % (r(rc), rng.randint(1, 6)), lab + ":"]
        for _ in range(rng.randint(1, 3)):
            if rng.random() < 0.25:
                lines += self.divmod(avoid=(rc,))
            else:
                lines += self.dp(avoid_dest=(rc,))
        lines += ["subs %s, %s, #1" % (r(rc), r(rc)), "bne " + lab]
        return lines

    # ---- saturating, parallel, media -----------------------------------------
    def sat(self):
        rng = self.rng
        c = self.cond()
        k = rng.randrange(4)
        if k == 0:
            op = rng.choice(["qadd", "qsub", "qdadd", "qdsub"])
            return ["%s%s %s, %s, %s" % (op, c, *map(r, self.regs(3)))]
        if k in (1, 2):
            sh = rng.choice(["", "lsl #%d" % rng.randrange(32), "asr #%d" % rng.randrange(1, 33)])
            sh = ", " + sh if sh else ""
            if rng.random() < 0.5:
                return ["ssat%s %s, #%d, %s%s" % (c, r(self.reg()), rng.randint(1, 32), r(self.reg()), sh)]
            return ["usat%s %s, #%d, %s%s" % (c, r(self.reg()), rng.randint(0, 31), r(self.reg()), sh)]
        if rng.random() < 0.5:
            return ["ssat16%s %s, #%d, %s" % (c, r(self.reg()), rng.randint(1, 16), r(self.reg()))]
        return ["usat16%s %s, #%d, %s" % (c, r(self.reg()), rng.randint(0, 15), r(self.reg()))]

    def parallel(self):
        rng = self.rng
        op = rng.choice(["s", "q", "sh", "u", "uq", "uh"]) + \
            rng.choice(["add16", "asx", "sax", "sub16", "add8", "sub8"])
        return ["%s%s %s, %s, %s" % (op, self.cond(), *map(r, self.regs(3)))]

    def selusad(self):
        rng = self.rng
        c = self.cond()
        k = rng.randrange(3)
        if k == 0:
            return ["sel%s %s, %s, %s" % (c, *map(r, self.regs(3)))]
        if k == 1:
            return ["usad8%s %s, %s, %s" % (c, *map(r, self.regs(3)))]
        return ["usada8%s %s, %s, %s, %s" % (c, *map(r, self.regs(4)))]

    def pack_extend(self):
        rng = self.rng
        c = self.cond()
        k = rng.randrange(4)
        rot = rng.choice(["", ", ror #8", ", ror #16", ", ror #24"])
        if k == 0:
            sh = rng.choice(["", ", lsl #%d" % rng.randrange(1, 32)])
            return ["pkhbt%s %s, %s, %s%s" % (c, *map(r, self.regs(3)), sh)]
        if k == 1:
            return ["pkhtb%s %s, %s, %s, asr #%d" % (c, *map(r, self.regs(3)), rng.randint(1, 32))]
        if k == 2:
            op = rng.choice(["sxtb", "sxth", "uxtb", "uxth", "sxtb16", "uxtb16"])
            return ["%s%s %s, %s%s" % (op, c, *map(r, self.regs(2)), rot)]
        op = rng.choice(["sxtab", "sxtah", "uxtab", "uxtah", "sxtab16", "uxtab16"])
        return ["%s%s %s, %s, %s%s" % (op, c, *map(r, self.regs(3)), rot)]

    def bitops(self):
        rng = self.rng
        op = rng.choice(["rev", "rev16", "revsh", "rbit", "clz"])
        return ["%s%s %s, %s" % (op, self.cond(), *map(r, self.regs(2)))]

    def bitfield(self):
        rng = self.rng
        c = self.cond()
        lsb = rng.choice([0, 31, rng.randrange(32), rng.randrange(32)])
        width = rng.choice([1, 32 - lsb, rng.randint(1, 32 - lsb)])
        k = rng.randrange(4)
        if k == 0:
            return ["bfc%s %s, #%d, #%d" % (c, r(self.reg()), lsb, width)]
        op = ["bfi", "sbfx", "ubfx"][k - 1]
        return ["%s%s %s, %s, #%d, #%d" % (op, c, *map(r, self.regs(2)), lsb, width)]

    def movwt(self):
        rng = self.rng
        op = rng.choice(["movw", "movt"])
        v = rng.choice([0, 0xffff, 0x8000, 0x7fff, rng.randrange(65536)])
        return ["%s%s %s, #%d" % (op, self.cond(), r(self.reg()), v)]

    def psr_access(self):
        rng = self.rng
        c = self.cond()
        k = rng.randrange(7)
        if k <= 1:
            d = r(self.reg())
            if self.user:
                # E, A, I, F, M read by MRS in User mode are UNKNOWN (B9.3.8).
                return ["mrs%s %s, APSR" % (c, d), "bfc%s %s, #0, #10" % (c, d)]
            return ["mrs%s %s, APSR" % (c, d)]
        if k == 6:
            # The x byte: E (bit 9, so it changes the endianness like SETEND)
            # and A (bit 8); MSR never writes the IT bits 15:10.  The harness
            # restores E and A after each case.  In User mode the A bit is
            # not written (CPSRWriteByInstr), E is.
            if rng.random() < 0.5:
                return ["msr%s CPSR_x, %s" % (c, r(self.reg()))]
            return ["msr%s CPSR_x, #0x%x" % (c, rng.randrange(256) << 8)]
        field = rng.choice(["APSR_nzcvq", "APSR_g", "APSR_nzcvqg"])
        if k <= 3:
            return ["msr%s %s, %s" % (c, field, r(self.reg()))]
        imm = rng.randrange(256)
        rot = rng.randrange(0, 32, 2)
        val = ((imm >> rot) | (imm << (32 - rot))) & 0xffffffff if rot else imm
        if field == "APSR_g":
            val = rng.randrange(16) << 16
        elif field == "APSR_nzcvq":
            val = rng.randrange(32) << 27
        return ["msr%s %s, #0x%x" % (c, field, val)]

    def hint(self):
        rng = self.rng
        k = rng.randrange(4)
        # PLD/PLI never fault, whatever the address: the base is left random.
        if k == 0:
            return ["pld [%s, #%s%d]" % (r(self.reg()), rng.choice(["", "-"]), rng.randrange(4096))]
        if k == 1:
            return ["pli [%s, %s%s, lsl #%d]" % (r(self.reg()), rng.choice(["", "-"]),
                                                 r(self.reg()), rng.randrange(32))]
        if k == 2:
            return ["pldw [%s, #%d]" % (r(self.reg()), rng.randrange(4096))]
        return ["nop%s" % self.cond()]

    # ---- memory --------------------------------------------------------------
    def place(self, rn, align, span):
        """Chooses where an access of 'span' bytes goes: returns (M, T) such
        that the lowest byte accessed is sp + (Rn & M) + T, inside the
        buffer and away from its guard zones, with the given alignment
        (M and T are multiples of it)."""
        rng = self.rng
        mask = rng.choice([0xff, 0x7f, 0x3f, 0x0f, 0]) & ~(align - 1) & 0xff
        lo = GUARD
        hi = BUF_BYTES - GUARD - span - mask
        t = rng.randrange(lo, hi + 1)
        t -= t % align
        return mask, t

    def base_lines(self, rn, mask, const):
        out = []
        if mask:
            out.append("and %s, %s, #%d" % (r(rn), r(rn), mask))
            out.append("add %s, %s, sp" % (r(rn), r(rn)))
        else:
            out.append("mov %s, sp" % r(rn))
        op = "add" if const >= 0 else "sub"
        v = abs(const)
        assert v < 0x10000
        if v & 0xff00:
            out.append("%s %s, %s, #%d" % (op, r(rn), r(rn), v & 0xff00))
        if v & 0xff:
            out.append("%s %s, %s, #%d" % (op, r(rn), r(rn), v & 0xff))
        return out

    def ldst_word_byte(self):
        """LDR/STR/LDRB/STRB, immediate or scaled register offset, offset /
        pre-indexed / post-indexed; and the unprivileged LDRT/STRT/LDRBT/STRBT
        (post-indexed only)."""
        rng = self.rng
        c = self.cond()
        load = rng.random() < 0.5
        byte = rng.random() < 0.4
        unpriv = rng.random() < 0.12
        op = ("ldr" if load else "str") + ("b" if byte else "") + ("t" if unpriv else "")
        mode = "post" if unpriv else rng.choice(["off", "off", "pre", "post"])
        wback = mode != "off"
        rn = self.reg()
        rt = self.reg([rn] if wback else [])
        size = 1 if byte else 4
        mask, t = self.place(rn, 1, size)
        sign = rng.choice(["", "-"])
        if rng.random() < 0.5:
            imm = rng.choice([0, 4095, 1, rng.randrange(4096), rng.randrange(256)])
            off = -imm if sign else imm
            if mode == "post":
                lines = self.base_lines(rn, mask, t)
                ins = "%s%s %s, [%s], #%s%d" % (op, c, r(rt), r(rn), sign, imm)
            else:
                lines = self.base_lines(rn, mask, t - off)
                ins = "%s%s %s, [%s, #%s%d]%s" % (op, c, r(rt), r(rn), sign, imm, "!" if wback else "")
        else:
            rm = self.reg([rn])
            sh = rng.choice(["", ", " + self.shift_imm()])
            lines = self.base_lines(rn, mask, t)
            if mode == "post":
                ins = "%s%s %s, [%s], %s%s%s" % (op, c, r(rt), r(rn), sign, r(rm), sh)
            else:
                lines.append("%s %s, %s, %s%s" % ("add" if sign else "sub", r(rn), r(rn), r(rm), sh))
                ins = "%s%s %s, [%s, %s%s%s]%s" % (op, c, r(rt), r(rn), sign, r(rm), sh,
                                                   "!" if wback else "")
        return lines + [ins]

    def ldst_misc(self):
        """LDRH/STRH/LDRSB/LDRSH/LDRD/STRD (imm8 or register offset, all three
        indexing modes) and LDRHT/STRHT/LDRSBT/LDRSHT."""
        rng = self.rng
        c = self.cond()
        kind = rng.choice(["ldrh", "strh", "ldrsb", "ldrsh", "ldrd", "strd", "ldrd", "strd"])
        unpriv = kind not in ("ldrd", "strd") and rng.random() < 0.15
        mode = "post" if unpriv else rng.choice(["off", "off", "pre", "post"])
        wback = mode != "off"
        rn = self.reg()
        if kind in ("ldrd", "strd"):
            rt = rng.choice([x for x in range(0, 12, 2) if not (wback and rn in (x, x + 1))])
            rts = "%s, %s" % (r(rt), r(rt + 1))
            size, align, avoid_m = 8, 4, ([rt, rt + 1] if kind == "ldrd" else [])
        else:
            rt = self.reg([rn] if wback else [])
            rts = r(rt)
            size = 1 if kind == "ldrsb" else 2
            align, avoid_m = 1, []
        op = kind + ("t" if unpriv else "")
        mask, t = self.place(rn, align, size)
        sign = rng.choice(["", "-"])
        if rng.random() < 0.5:
            imm = rng.choice([0, 255, rng.randrange(256)])
            off = -imm if sign else imm
            if mode == "post":
                lines = self.base_lines(rn, mask, t)
                ins = "%s%s %s, [%s], #%s%d" % (op, c, rts, r(rn), sign, imm)
            else:
                lines = self.base_lines(rn, mask, t - off)
                ins = "%s%s %s, [%s, #%s%d]%s" % (op, c, rts, r(rn), sign, imm, "!" if wback else "")
        else:
            rm = self.reg([rn] + avoid_m)
            lines = self.base_lines(rn, mask, t)
            if mode == "post":
                ins = "%s%s %s, [%s], %s%s" % (op, c, rts, r(rn), sign, r(rm))
            else:
                lines.append("%s %s, %s, %s" % ("add" if sign else "sub", r(rn), r(rn), r(rm)))
                ins = "%s%s %s, [%s, %s%s]%s" % (op, c, rts, r(rn), sign, r(rm), "!" if wback else "")
        return lines + [ins]

    def ldm_stm(self):
        rng = self.rng
        c = self.cond()
        load = rng.random() < 0.5
        mode = rng.choice(["ia", "ib", "da", "db"])
        wback = rng.random() < 0.5
        rn = self.reg()
        cand = [x for x in REGS if not (wback and x == rn)]
        n = rng.choice([1, 2, 3, rng.randint(1, len(cand)), rng.randint(1, len(cand))])
        lst = sorted(rng.sample(cand, n))
        if wback and not load and rn < 12 and rng.random() < 0.2:
            # STM with writeback may store Rn when it is the lowest register
            # of the list (its original value is stored; otherwise UNKNOWN).
            lst = sorted(set([rn] + [x for x in lst if x > rn]))
            n = len(lst)
        mask, t = self.place(rn, 4, 4 * n)
        delta = {"ia": 0, "ib": -4, "da": 4 * n - 4, "db": 4 * n}[mode]
        lines = self.base_lines(rn, mask, t + delta)
        op = ("ldm" if load else "stm") + mode
        lines.append("%s%s %s%s, {%s}" % (op, c, r(rn), "!" if wback else "", ", ".join(map(r, lst))))
        return lines

    def swp(self):
        rng = self.rng
        c = self.cond()
        rn = self.reg()
        rt = self.reg([rn])
        rt2 = self.reg([rn])
        byte = rng.random() < 0.4
        mask, t = self.place(rn, 1 if byte else 4, 4)
        return self.base_lines(rn, mask, t) + \
            ["swp%s%s %s, %s, [%s]" % ("b" if byte else "", c, r(rt), r(rt2), r(rn))]

    def exclusive(self):
        rng = self.rng
        sz = rng.choice(["", "b", "h", "d"])
        size = {"": 4, "b": 1, "h": 2, "d": 8}[sz]
        rn = self.reg()
        mask, t = self.place(rn, size, size)
        lines = self.base_lines(rn, mask, t)
        # value register(s) for STREX, and the status register Rd
        if sz == "d":
            vt = rng.choice(range(0, 12, 2))
            vals = "%s, %s" % (r(vt), r(vt + 1))
            rd = self.reg([rn, vt, vt + 1])
        else:
            vt = self.reg()
            vals = r(vt)
            rd = self.reg([rn, vt])
        if rng.random() < 0.2:
            # No LDREX before: after CLREX the STREX must fail (Rd = 1) and
            # leave memory alone.
            c = self.cond()
            return lines + ["clrex", "strex%s%s %s, %s, [%s]" % (sz, c, r(rd), vals, r(rn))]
        c = self.cond(0.2)
        if sz == "d":
            lt = rng.choice([x for x in range(0, 12, 2) if rn not in (x, x + 1)])
            lvals = "%s, %s" % (r(lt), r(lt + 1))
        else:
            lvals = r(self.reg([rn]))
        lines.append("ldrex%s%s %s, [%s]" % (sz, c, lvals, r(rn)))
        if rng.random() < 0.15:
            return lines     # LDREX alone (the next case starts with CLREX)
        for _ in range(rng.choice([0, 0, 1, 2])):
            lines += self.dp(setflags=False, avoid_dest=(rn,))
        lines.append("strex%s%s %s, %s, [%s]" % (sz, c, r(rd), vals, r(rn)))
        return lines

    # ---- control -------------------------------------------------------------
    def setend(self):
        return ["setend %s" % self.rng.choice(["be", "be", "le"])]

    GROUPS = [
        ("dp", 30), ("mul", 9), ("sat", 5), ("parallel", 6), ("selusad", 2),
        ("pack_extend", 5), ("bitops", 3), ("bitfield", 4), ("movwt", 3),
        ("psr_access", 3), ("hint", 1), ("ldst_word_byte", 10), ("ldst_misc", 8),
        ("ldm_stm", 5), ("swp", 1), ("exclusive", 3), ("setend", 1.5),
        ("branch", 4), ("loop", 2), ("divmod", 1.5), ("shift64", 1.5),
    ]

    def case(self, max_len):
        rng = self.rng
        regs = [self.value() for _ in range(13)]
        psr = self.psr()
        self.hot = REGS if rng.random() < 0.4 else rng.sample(REGS, rng.randint(2, 6))
        self.nloops = 0
        n = rng.randint(1, max_len)
        units = []          # (kind, lines); "label" units hold no instruction
        pending = []        # [label, units left before it]
        names = [g for g, _ in self.GROUPS]
        weights = [w for _, w in self.GROUPS]
        nlab = 0
        for _ in range(n):
            g = rng.choices(names, weights)[0]
            if g == "branch":
                lab = ".Lb%d" % nlab
                nlab += 1
                cond = rng.choice(CONDS + ["", ""])
                units.append(("branch", ["b%s %s" % (cond, lab)]))
                pending.append([lab, rng.randint(1, 4)])
            else:
                lines = getattr(self, g)()
                while any(a.search(ln) for a in self.avoid for ln in lines):
                    lines = getattr(self, g)()
                units.append((g, lines))
                for p in pending:
                    p[1] -= 1
                for p in [p for p in pending if p[1] <= 0]:
                    units.append(("label", [p[0] + ":"]))
                    pending.remove(p)
        for p in pending:
            units.append(("label", [p[0] + ":"]))
        return regs, psr, units


def make_case(seed, idx, max_len, avoid=(), user=False):
    rng = random.Random("armvm-random:%s:%d:%d" % (seed, idx, max_len))
    return Gen(rng, avoid, user).case(max_len)


def generate(seed, cases, max_len, only=None, drop=(), avoid=(), user=False):
    """Returns (asm text, listing text)."""
    ids = list(only) if only is not None else list(range(cases))
    asm = ["@ GENERATED by gen_random.py --seed %s --cases %d --max-len %d%s%s%s" % (
        seed, cases, max_len, " --user" if user else "",
        (" --only " + ",".join(map(str, ids))) if only is not None else "",
        (" --drop " + ",".join(map(str, sorted(drop)))) if drop else "") +
        "".join(" --avoid '%s'" % a for a in avoid),
        "    .syntax unified", "    .cpu cortex-a15", "    .arm", "    .text"]
    lst = ["# armvm random differential test: seed %s, max-len %d%s" % (
               seed, max_len, ", User mode" if user else ""),
           "# case: initial r0-r12, psr (NZCVQ 31:27, GE 19:16); units [i] (set-up lines indented)"]
    recs = []
    for k in ids:
        regs, psr, units = make_case(seed, k, max_len, avoid, user)
        asm.append("    .balign 4")
        asm.append("rt_case_%d:" % k)
        lst.append("")
        lst.append("case %d" % k)
        lst.append("  init " + " ".join("r%d=%08x" % (i, v) for i, v in enumerate(regs)) +
                   " psr=%08x" % psr)
        ui = 0
        for kind, lines in units:
            if kind == "label":
                asm.append(lines[0].replace(".Lb", ".Lc%d_b" % k))
                lst.append("       " + lines[0])
                continue
            if ui not in drop:
                for ln in lines:
                    asm.append("    " + ln.replace(".Lb", ".Lc%d_b" % k))
                for j, ln in enumerate(lines):
                    lst.append(("  [%2d] " % ui if j == 0 else "       ") + ln)
            ui += 1
        asm.append("    b rt_case_end")
        recs.append((k, regs, psr))
    asm.append("")
    asm.append("    .section .rodata")
    asm.append("    .balign 4")
    asm.append("    .global rt_cases, rt_num_cases, rt_mem_seed, rt_gen_buf_bytes, rt_gen_user")
    asm.append("rt_cases:")
    for k, regs, psr in recs:
        asm.append("    .word " + ", ".join("0x%08x" % v for v in regs) +
                   ", 0x%08x, rt_case_%d, %d" % (psr, k, k))
    asm.append("rt_num_cases: .word %d" % len(recs))
    seed_word = random.Random("armvm-random-mem:%s" % seed).getrandbits(32) | 1
    asm.append("rt_mem_seed: .word 0x%08x" % seed_word)
    asm.append("rt_gen_buf_bytes: .word %d" % BUF_BYTES)
    asm.append("rt_gen_user: .word %d" % (1 if user else 0))
    asm.append("")
    return "\n".join(asm), "\n".join(lst) + "\n"


def parse_list(s):
    out = []
    for part in s.split(","):
        part = part.strip()
        if not part:
            continue
        if "-" in part:
            a, b = part.split("-")
            out.extend(range(int(a), int(b) + 1))
        else:
            out.append(int(part))
    return out


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--seed", default="1")
    ap.add_argument("--cases", type=int, default=1000)
    ap.add_argument("--max-len", type=int, default=20)
    ap.add_argument("--only", help="generate only these case numbers (e.g. 17 or 3,5-9)")
    ap.add_argument("--drop", default="", help="leave out these units (indices as in the listing)")
    ap.add_argument("--avoid", action="append", default=[], metavar="REGEX",
                    help="redraw units with a line matching REGEX (to skip a known bug)")
    ap.add_argument("--user", action="store_true",
                    help="cases run in User mode (harness built with -DRT_USER=1)")
    ap.add_argument("-o", "--output", required=True, help="assembly file to write")
    ap.add_argument("--listing", help="listing file to write")
    a = ap.parse_args(argv)
    only = parse_list(a.only) if a.only else None
    asm, lst = generate(a.seed, a.cases, a.max_len, only, set(parse_list(a.drop)), a.avoid,
                        a.user)
    with open(a.output, "w") as f:
        f.write(asm)
    if a.listing:
        with open(a.listing, "w") as f:
            f.write(lst)
    return 0


if __name__ == "__main__":
    sys.exit(main())
