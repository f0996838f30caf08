/*
 * A32 multiplies and divides (ARM ARM A5.2.5 multiply and multiply-accumulate, A5.2.7
 * halfword multiply and multiply-accumulate, A5.4.4 signed multiplies and divides).
 *
 * Plain IR where the operation is cheap (MUL, UMULL/SMULL, 64-bit add/sub, DIV); the
 * helpers of helpers_media.c where an accumulation sets the sticky Q flag.
 *
 * UNPREDICTABLE cases (ARM ARM pseudocode): a destination of R15 is treated as UNDEFINED,
 * which keeps the translation simple and memory-safe; R15 as a source operand reads as
 * the instruction address + 8 (tr_reg), as QEMU does; RdHi == RdLo writes RdLo, then
 * RdHi (so RdHi wins), as QEMU does.
 */
#include "frontend-arm/helpers_media.h"
#include "frontend-arm/translate.h"

/* Register fields of the multiply encodings: Rd/RdHi at 19:16, Ra/RdLo at 15:12,
 * Rm at 11:8, Rn at 3:0. */
#define MUL_RD(i) bits(i, 19, 16)
#define MUL_RA(i) bits(i, 15, 12)
#define MUL_RM(i) bits(i, 11, 8)
#define MUL_RN(i) bits(i, 3, 0)

static IrTemp k32(ArmTrans *t, uint32_t v) { return ir_const(t->b, v); }

/* Signed halfword of v: bits 31:16 if high, else bits 15:0, sign-extended. */
static IrTemp half_s(ArmTrans *t, IrTemp v, bool high)
{
    return high ? ir_op2(t->b, IR_ASR, v, k32(t, 16)) : ir_op1(t->b, IR_SEXT16, v);
}

/* Zero-extend a 32-bit temp to 64 bits. */
static IrTemp zext64(ArmTrans *t, IrTemp v) { return ir_op2_64(t->b, IR_PAIR64, v, k32(t, 0)); }

/* The 64-bit value RdHi:RdLo. */
static IrTemp reg_pair(ArmTrans *t, unsigned lo, unsigned hi)
{
    return ir_op2_64(t->b, IR_PAIR64, tr_reg(t, lo), tr_reg(t, hi));
}

/* Write a 64-bit result to RdHi:RdLo, optionally setting N and Z from it. */
static void set_pair(ArmTrans *t, unsigned lo, unsigned hi, IrTemp v, bool setflags)
{
    if (setflags)
        ir_setnz64(t->b, v);
    tr_set_reg(t, lo, ir_op1(t->b, IR_LO32, v));
    tr_set_reg(t, hi, ir_op1(t->b, IR_HI32, v));
}

/* Rm, swapped halfwords if the M/X bit (5) is set (SMUAD/SMLAD/SMUSD/... "X"). */
static IrTemp dual_rm(ArmTrans *t, uint32_t insn)
{
    IrTemp m = tr_reg(t, MUL_RM(insn));
    return bit(insn, 5) ? ir_op2(t->b, IR_ROR, m, k32(t, 16)) : m;
}

/* A8.8.114 MUL: Rd = (Rn * Rm)<31:0>; with S, N and Z from the result (C, V unchanged). */
static bool trans_mul(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrTemp r = ir_op2(t->b, IR_MUL, tr_reg(t, MUL_RN(insn)), tr_reg(t, MUL_RM(insn)));
    if (bit(insn, 20))
        ir_setnz(t->b, r);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.100 MLA: Rd = Rn * Rm + Ra; A8.8.101 MLS: Rd = Ra - Rn * Rm (no S form). */
static bool trans_mla_mls(ArmTrans *t, uint32_t insn, bool sub)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrTemp p = ir_op2(t->b, IR_MUL, tr_reg(t, MUL_RN(insn)), tr_reg(t, MUL_RM(insn)));
    IrTemp a = tr_reg(t, MUL_RA(insn));
    IrTemp r = sub ? ir_op2(t->b, IR_SUB, a, p) : ir_op2(t->b, IR_ADD, p, a);
    if (!sub && bit(insn, 20))
        ir_setnz(t->b, r);
    tr_set_reg(t, d, r);
    return true;
}

static bool trans_mla(ArmTrans *t, uint32_t insn) { return trans_mla_mls(t, insn, false); }
static bool trans_mls(ArmTrans *t, uint32_t insn) { return trans_mla_mls(t, insn, true); }

/* A8.8.257 UMULL, A8.8.256 UMLAL, A8.8.189 SMULL, A8.8.178 SMLAL:
 * RdHi:RdLo = Rn * Rm (+ RdHi:RdLo), unsigned (bit 22 = 0) or signed; with S, N and Z
 * from the 64-bit result. */
static bool trans_long_mul(ArmTrans *t, uint32_t insn)
{
    unsigned hi = MUL_RD(insn), lo = MUL_RA(insn);
    bool accumulate = bit(insn, 21), is_signed = bit(insn, 22);
    if (hi == 15 || lo == 15)
        return false;
    IrTemp p = ir_op2_64(t->b, is_signed ? IR_SMULL : IR_UMULL, tr_reg(t, MUL_RN(insn)),
                         tr_reg(t, MUL_RM(insn)));
    if (accumulate)
        p = ir_op2_64(t->b, IR_ADD64, p, reg_pair(t, lo, hi));
    set_pair(t, lo, hi, p, bit(insn, 20));
    return true;
}

/* A8.8.255 UMAAL: RdHi:RdLo = Rn * Rm + RdHi + RdLo (unsigned; cannot overflow). */
static bool trans_umaal(ArmTrans *t, uint32_t insn)
{
    unsigned hi = MUL_RD(insn), lo = MUL_RA(insn);
    if (hi == 15 || lo == 15)
        return false;
    IrTemp p = ir_op2_64(t->b, IR_UMULL, tr_reg(t, MUL_RN(insn)), tr_reg(t, MUL_RM(insn)));
    p = ir_op2_64(t->b, IR_ADD64, p, zext64(t, tr_reg(t, lo)));
    p = ir_op2_64(t->b, IR_ADD64, p, zext64(t, tr_reg(t, hi)));
    set_pair(t, lo, hi, p, false);
    return true;
}

/* Signed 16 x 16 product of the halfwords of Rn and Rm selected by N (bit 5) and
 * M (bit 6): as a 32-bit value (exact: it fits). */
static IrTemp half_product(ArmTrans *t, uint32_t insn)
{
    IrTemp n = half_s(t, tr_reg(t, MUL_RN(insn)), bit(insn, 5));
    IrTemp m = half_s(t, tr_reg(t, MUL_RM(insn)), bit(insn, 6));
    return ir_op2(t->b, IR_MUL, n, m);
}

/* A8.8.188 SMULBB/BT/TB/TT: Rd = product. */
static bool trans_smulxy(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    tr_set_reg(t, d, half_product(t, insn));
    return true;
}

/* A8.8.176 SMLABB/BT/TB/TT: Rd = product + Ra; Q set if the addition overflows. */
static bool trans_smlaxy(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrTemp p = half_product(t, insn);
    IrTemp r = tr_call(t, media_add_setq, IR_CALL_WRITES_FLAGS, p, tr_reg(t, MUL_RA(insn)), 0);
    tr_set_reg(t, d, r);
    return true;
}

/* (SInt(Rn) * SInt(Rm.half[M]))<47:16>: the product of SMULWy/SMLAWy. */
static IrTemp word_half_product(ArmTrans *t, uint32_t insn)
{
    IrTemp m = half_s(t, tr_reg(t, MUL_RM(insn)), bit(insn, 6));
    IrTemp p = ir_op2_64(t->b, IR_SMULL, tr_reg(t, MUL_RN(insn)), m);
    IrTemp lo = ir_op2(t->b, IR_LSR, ir_op1(t->b, IR_LO32, p), k32(t, 16));
    IrTemp hi = ir_op2(t->b, IR_LSL, ir_op1(t->b, IR_HI32, p), k32(t, 16));
    return ir_op2(t->b, IR_OR, lo, hi);
}

/* A8.8.190 SMULWB/WT: Rd = (Rn * Rm.half)<47:16>. */
static bool trans_smulwy(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    tr_set_reg(t, d, word_half_product(t, insn));
    return true;
}

/* A8.8.181 SMLAWB/WT: Rd = (Rn * Rm.half)<47:16> + Ra; Q set if the addition overflows. */
static bool trans_smlawy(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrTemp p = word_half_product(t, insn);
    IrTemp r = tr_call(t, media_add_setq, IR_CALL_WRITES_FLAGS, p, tr_reg(t, MUL_RA(insn)), 0);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.179 SMLALBB/BT/TB/TT: RdHi:RdLo += SInt(Rn.half[N]) * SInt(Rm.half[M]) (64-bit). */
static bool trans_smlalxy(ArmTrans *t, uint32_t insn)
{
    unsigned hi = MUL_RD(insn), lo = MUL_RA(insn);
    if (hi == 15 || lo == 15)
        return false;
    IrTemp n = half_s(t, tr_reg(t, MUL_RN(insn)), bit(insn, 5));
    IrTemp m = half_s(t, tr_reg(t, MUL_RM(insn)), bit(insn, 6));
    IrTemp p = ir_op2_64(t->b, IR_SMULL, n, m);
    p = ir_op2_64(t->b, IR_ADD64, p, reg_pair(t, lo, hi));
    set_pair(t, lo, hi, p, false);
    return true;
}

/* A8.8.187 SMUAD{X}: Rd = Rn.lo * Rm'.lo + Rn.hi * Rm'.hi (Rm' = Rm, halves swapped for X);
 * A8.8.177 SMLAD{X}: the same + Ra. Q set if the exact sum does not fit 32 bits. */
static bool trans_smlad(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn), a = MUL_RA(insn);
    if (d == 15)
        return false;
    IrTemp m = dual_rm(t, insn);
    IrTemp acc = a == 15 ? k32(t, 0) : tr_reg(t, a); /* a == 15 is the SMUAD pattern */
    IrTemp r = tr_call(t, media_smlad, IR_CALL_WRITES_FLAGS, tr_reg(t, MUL_RN(insn)), m, acc);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.182 SMLSD{X}: Rd = Rn.lo * Rm'.lo - Rn.hi * Rm'.hi + Ra; Q set on overflow. */
static bool trans_smlsd(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrTemp m = dual_rm(t, insn);
    IrTemp r = tr_call(t, media_smlsd, IR_CALL_WRITES_FLAGS, tr_reg(t, MUL_RN(insn)), m,
                       tr_reg(t, MUL_RA(insn)));
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.191 SMUSD{X}: Rd = Rn.lo * Rm'.lo - Rn.hi * Rm'.hi (cannot overflow; no Q). */
static bool trans_smusd(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrTemp n = tr_reg(t, MUL_RN(insn)), m = dual_rm(t, insn);
    IrTemp p0 = ir_op2(t->b, IR_MUL, half_s(t, n, false), half_s(t, m, false));
    IrTemp p1 = ir_op2(t->b, IR_MUL, half_s(t, n, true), half_s(t, m, true));
    tr_set_reg(t, d, ir_op2(t->b, IR_SUB, p0, p1));
    return true;
}

/* A8.8.180 SMLALD{X} / A8.8.183 SMLSLD{X}:
 * RdHi:RdLo += Rn.lo * Rm'.lo +/- Rn.hi * Rm'.hi, in 64 bits (no flags). */
static bool trans_smlald_smlsld(ArmTrans *t, uint32_t insn, bool sub)
{
    unsigned hi = MUL_RD(insn), lo = MUL_RA(insn);
    if (hi == 15 || lo == 15)
        return false;
    IrTemp n = tr_reg(t, MUL_RN(insn)), m = dual_rm(t, insn);
    IrTemp p0 = ir_op2_64(t->b, IR_SMULL, half_s(t, n, false), half_s(t, m, false));
    IrTemp p1 = ir_op2_64(t->b, IR_SMULL, half_s(t, n, true), half_s(t, m, true));
    IrTemp r = ir_op2_64(t->b, sub ? IR_SUB64 : IR_ADD64, p0, p1);
    r = ir_op2_64(t->b, IR_ADD64, r, reg_pair(t, lo, hi));
    set_pair(t, lo, hi, r, false);
    return true;
}

static bool trans_smlald(ArmTrans *t, uint32_t insn) { return trans_smlald_smlsld(t, insn, false); }
static bool trans_smlsld(ArmTrans *t, uint32_t insn) { return trans_smlald_smlsld(t, insn, true); }

/* A8.8.186 SMMUL{R}, A8.8.184 SMMLA{R}, A8.8.185 SMMLS{R}:
 * Rd = ((Ra << 32) +/- SInt(Rn) * SInt(Rm) (+ 0x80000000 if R))<63:32>.
 * SMMLS with Ra = 15 is UNPREDICTABLE; like QEMU we then leave out the accumulator (the
 * result is that of SMMUL). */
static bool trans_smmla_smmls(ArmTrans *t, uint32_t insn, bool sub)
{
    unsigned d = MUL_RD(insn), a = MUL_RA(insn);
    if (d == 15)
        return false;
    IrTemp p = ir_op2_64(t->b, IR_SMULL, tr_reg(t, MUL_RN(insn)), tr_reg(t, MUL_RM(insn)));
    if (a != 15) {
        IrTemp acc = ir_op2_64(t->b, IR_PAIR64, k32(t, 0), tr_reg(t, a));
        p = sub ? ir_op2_64(t->b, IR_SUB64, acc, p) : ir_op2_64(t->b, IR_ADD64, acc, p);
    }
    if (bit(insn, 5))
        p = ir_op2_64(t->b, IR_ADD64, p, ir_const64(t->b, 0x80000000u));
    tr_set_reg(t, d, ir_op1(t->b, IR_HI32, p));
    return true;
}

static bool trans_smmla(ArmTrans *t, uint32_t insn) { return trans_smmla_smmls(t, insn, false); }
static bool trans_smmls(ArmTrans *t, uint32_t insn) { return trans_smmla_smmls(t, insn, true); }

/* A8.8.165 SDIV / A8.8.248 UDIV: Rd = Rn / Rm, rounding towards zero. Division by zero
 * gives 0 (the Cortex-A15 does not trap: SCTLR.DZ does not exist in ARMv7-A) and
 * 0x80000000 / -1 = 0x80000000; the IR ops implement both. */
static bool trans_div(ArmTrans *t, uint32_t insn)
{
    unsigned d = MUL_RD(insn);
    if (d == 15)
        return false;
    IrOp op = bit(insn, 21) ? IR_UDIV : IR_SDIV;
    tr_set_reg(t, d, ir_op2(t->b, op, tr_reg(t, MUL_RN(insn)), tr_reg(t, MUL_RM(insn))));
    return true;
}

/* Field letters: c cond, S set flags, d Rd/RdHi, a Ra/RdLo, m Rm, n Rn, y/x/M/R the
 * operand-select bits, z "should be zero" and o "should be one" (not checked). */
const A32Pattern a32_mul_patterns[] = {
    /* A5.2.5 multiply and multiply accumulate */
    { "cccc0000000Sddddzzzzmmmm1001nnnn", trans_mul, "MUL" },
    { "cccc0000001Sddddaaaammmm1001nnnn", trans_mla, "MLA" },
    { "cccc00000100ddddaaaammmm1001nnnn", trans_umaal, "UMAAL" },
    { "cccc00000110ddddaaaammmm1001nnnn", trans_mls, "MLS" },
    { "cccc0000100Sddddaaaammmm1001nnnn", trans_long_mul, "UMULL" },
    { "cccc0000101Sddddaaaammmm1001nnnn", trans_long_mul, "UMLAL" },
    { "cccc0000110Sddddaaaammmm1001nnnn", trans_long_mul, "SMULL" },
    { "cccc0000111Sddddaaaammmm1001nnnn", trans_long_mul, "SMLAL" },
    /* A5.2.7 halfword multiply and multiply accumulate */
    { "cccc00010000ddddaaaammmm1yx0nnnn", trans_smlaxy, "SMLAxy" },
    { "cccc00010010ddddaaaammmm1y00nnnn", trans_smlawy, "SMLAWy" },
    { "cccc00010010ddddzzzzmmmm1y10nnnn", trans_smulwy, "SMULWy" },
    { "cccc00010100ddddaaaammmm1yx0nnnn", trans_smlalxy, "SMLALxy" },
    { "cccc00010110ddddzzzzmmmm1yx0nnnn", trans_smulxy, "SMULxy" },
    /* A5.4.4 signed multiply, signed and unsigned divide */
    { "cccc01110000ddddaaaammmm00M1nnnn", trans_smlad, "SMLAD" },
    { "cccc01110000dddd1111mmmm00M1nnnn", trans_smlad, "SMUAD" },
    { "cccc01110000ddddaaaammmm01M1nnnn", trans_smlsd, "SMLSD" },
    { "cccc01110000dddd1111mmmm01M1nnnn", trans_smusd, "SMUSD" },
    { "cccc01110001ddddoooommmm0001nnnn", trans_div, "SDIV" },
    { "cccc01110011ddddoooommmm0001nnnn", trans_div, "UDIV" },
    { "cccc01110100ddddaaaammmm00M1nnnn", trans_smlald, "SMLALD" },
    { "cccc01110100ddddaaaammmm01M1nnnn", trans_smlsld, "SMLSLD" },
    { "cccc01110101ddddaaaammmm00R1nnnn", trans_smmla, "SMMLA" },
    { "cccc01110101dddd1111mmmm00R1nnnn", trans_smmla, "SMMUL" },
    { "cccc01110101ddddaaaammmm11R1nnnn", trans_smmls, "SMMLS" },
    { NULL, NULL, NULL },
};
