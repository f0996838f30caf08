/*
 * A32 media instructions (ARM ARM A5.4: parallel add/subtract; packing, unpacking,
 * saturation and reversal; USAD8; bitfield operations), the saturating add/subtract of
 * A5.2.6 (QADD, QSUB, QDADD, QDSUB) and CLZ (A5.2.12).
 *
 * Plain IR for extensions, byte reversal, bitfields, packing and CLZ; helpers
 * (helpers_media.c) for the SIMD-within-a-register arithmetic, saturation, SEL, USAD8
 * and RBIT.
 *
 * UNPREDICTABLE cases (ARM ARM pseudocode): Rd = R15 is treated as UNDEFINED; R15 as a
 * source operand reads as the instruction address + 8 (tr_reg), as QEMU does. For the
 * bitfield instructions, msb < lsb (BFC/BFI) and lsb + width > 32 (SBFX/UBFX) are
 * UNDEFINED, as in QEMU.
 */
#include "frontend-arm/helpers_media.h"
#include "frontend-arm/translate.h"

#define F_RN(i) bits(i, 19, 16)
#define F_RD(i) bits(i, 15, 12)
#define F_RM(i) bits(i, 3, 0)

static IrTemp k32(ArmTrans *t, uint32_t v) { return ir_const(t->b, v); }

/* --- A5.4.1 parallel addition and subtraction --- */

/* [U (bit 22)][op1 (bits 21:20) - 1][op2 (bits 7:5)]; NULL = UNDEFINED op2. */
static const IrHelperFn parallel_helpers[2][3][8] = {
    {
        { media_sadd16, media_sasx, media_ssax, media_ssub16, media_sadd8, NULL, NULL, media_ssub8 },
        { media_qadd16, media_qasx, media_qsax, media_qsub16, media_qadd8, NULL, NULL, media_qsub8 },
        { media_shadd16, media_shasx, media_shsax, media_shsub16, media_shadd8, NULL, NULL,
          media_shsub8 },
    },
    {
        { media_uadd16, media_uasx, media_usax, media_usub16, media_uadd8, NULL, NULL, media_usub8 },
        { media_uqadd16, media_uqasx, media_uqsax, media_uqsub16, media_uqadd8, NULL, NULL,
          media_uqsub8 },
        { media_uhadd16, media_uhasx, media_uhsax, media_uhsub16, media_uhadd8, NULL, NULL,
          media_uhsub8 },
    },
};

/* A8.8.158 SADD16 ... A8.8.270 USUB8 (every {S,Q,SH,U,UQ,UH}{ADD16,ASX,SAX,SUB16,ADD8,
 * SUB8}): Rd = op(Rn, Rm). The S and U forms set GE[3:0]. */
static bool trans_parallel(ArmTrans *t, uint32_t insn)
{
    unsigned op1 = bits(insn, 21, 20), op2 = bits(insn, 7, 5);
    unsigned d = F_RD(insn);
    if (op1 == 0 || d == 15)
        return false;
    IrHelperFn fn = parallel_helpers[bit(insn, 22)][op1 - 1][op2];
    if (!fn)
        return false;
    unsigned flags = op1 == 1 ? IR_CALL_WRITES_FLAGS : 0;
    tr_set_reg(t, d, tr_call(t, fn, flags, tr_reg(t, F_RN(insn)), tr_reg(t, F_RM(insn)), 0));
    return true;
}

/* --- A5.4.3 packing, unpacking, saturation and reversal --- */

/* A8.8.166 SEL: Rd.byte[i] = GE[i] ? Rn.byte[i] : Rm.byte[i]. */
static bool trans_sel(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn);
    if (d == 15)
        return false;
    tr_set_reg(t, d, tr_call(t, media_sel, IR_CALL_READS_FLAGS, tr_reg(t, F_RN(insn)),
                             tr_reg(t, F_RM(insn)), 0));
    return true;
}

/* A8.8.125 PKHBT, PKHTB: PKHBT Rd = Rn<15:0> | (Rm LSL imm)<31:16>;
 * PKHTB Rd = Rn<31:16> | (Rm ASR imm)<15:0>, where ASR #0 encodes ASR #32. */
static bool trans_pkh(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn), imm5 = bits(insn, 11, 7);
    bool tb = bit(insn, 6);
    if (d == 15)
        return false;
    IrBlock *b = t->b;
    IrTemp n = tr_reg(t, F_RN(insn)), m = tr_reg(t, F_RM(insn));
    IrTemp r;
    if (tb) {
        m = ir_op2(b, IR_ASR, m, k32(t, imm5 ? imm5 : 32));
        r = ir_op2(b, IR_OR, ir_op2(b, IR_AND, n, k32(t, 0xffff0000u)), ir_op1(b, IR_ZEXT16, m));
    } else {
        if (imm5)
            m = ir_op2(b, IR_LSL, m, k32(t, imm5));
        r = ir_op2(b, IR_OR, ir_op1(b, IR_ZEXT16, n), ir_op2(b, IR_AND, m, k32(t, 0xffff0000u)));
    }
    tr_set_reg(t, d, r);
    return true;
}

/* The shifted operand of SSAT/USAT: Rn LSL imm5 (sh = 0) or Rn ASR imm5 (sh = 1, ASR #0
 * encodes ASR #32). */
static IrTemp sat_operand(ArmTrans *t, uint32_t insn)
{
    IrTemp n = tr_reg(t, F_RM(insn));
    unsigned imm5 = bits(insn, 11, 7);
    if (bit(insn, 6))
        return ir_op2(t->b, IR_ASR, n, k32(t, imm5 ? imm5 : 32));
    return imm5 ? ir_op2(t->b, IR_LSL, n, k32(t, imm5)) : n;
}

/* A8.8.193 SSAT: Rd = SignedSat(shifted Rn, sat_imm + 1); Q on saturation. */
static bool trans_ssat(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn);
    if (d == 15)
        return false;
    IrTemp r = tr_call(t, media_ssat, IR_CALL_WRITES_FLAGS, sat_operand(t, insn),
                       k32(t, bits(insn, 20, 16) + 1), 0);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.266 USAT: Rd = UnsignedSat(shifted Rn, sat_imm); Q on saturation. */
static bool trans_usat(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn);
    if (d == 15)
        return false;
    IrTemp r = tr_call(t, media_usat, IR_CALL_WRITES_FLAGS, sat_operand(t, insn),
                       k32(t, bits(insn, 20, 16)), 0);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.194 SSAT16 (to sat_imm + 1 bits) / A8.8.267 USAT16 (to sat_imm bits): each
 * halfword of Rn saturated; Q on saturation. */
static bool trans_sat16(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn);
    bool is_unsigned = bit(insn, 22);
    if (d == 15)
        return false;
    unsigned sat = bits(insn, 19, 16) + (is_unsigned ? 0 : 1);
    IrTemp r = tr_call(t, is_unsigned ? media_usat16 : media_ssat16, IR_CALL_WRITES_FLAGS,
                       tr_reg(t, F_RM(insn)), k32(t, sat), 0);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.230-235 SXTAB, SXTAB16, SXTAH, SXTB, SXTB16, SXTH and A8.8.271-276 UXTAB,
 * UXTAB16, UXTAH, UXTB, UXTB16, UXTH: Rd = [Rn +] Extend(ROR(Rm, 8 * rotate)).
 * Bits 22:20 select the operation (000 x16 signed, 010 byte signed, 011 halfword signed,
 * 100 x16 unsigned, 110 byte unsigned, 111 halfword unsigned); Rn = 1111 is the form
 * without addition. */
static bool trans_extend(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn), n = F_RN(insn), rot = bits(insn, 11, 10) * 8;
    unsigned op = bits(insn, 22, 20);
    static const IrOp ext[8] = { IR_NOP, IR_NOP, IR_SEXT8, IR_SEXT16,
                                 IR_NOP, IR_NOP, IR_ZEXT8, IR_ZEXT16 };
    if (d == 15 || op == 1 || op == 5) /* op 1 / 5: not reached, no pattern gives them */
        return false;
    IrBlock *b = t->b;
    IrTemp m = tr_reg(t, F_RM(insn));
    if (rot)
        m = ir_op2(b, IR_ROR, m, k32(t, rot));
    IrTemp r;
    switch (op) {
    case 0: /* SXTAB16 / SXTB16 */
    case 4: /* UXTAB16 / UXTB16 */
        if (op == 4 && n == 15) {
            r = ir_op2(b, IR_AND, m, k32(t, 0x00ff00ffu));
            break;
        }
        r = tr_call(t, op == 0 ? media_sxtab16 : media_uxtab16, 0,
                    n == 15 ? k32(t, 0) : tr_reg(t, n), m, 0);
        break;
    default:
        r = ir_op1(b, ext[op], m);
        if (n != 15)
            r = ir_op2(b, IR_ADD, tr_reg(t, n), r);
        break;
    }
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.145 REV, A8.8.146 REV16, A8.8.147 REVSH, A8.8.144 RBIT. Bits 22 and 7 select. */
static bool trans_rev(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn);
    if (d == 15)
        return false;
    IrBlock *b = t->b;
    IrTemp m = tr_reg(t, F_RM(insn));
    IrTemp r;
    switch (bit(insn, 22) << 1 | bit(insn, 7)) {
    case 0: /* REV */
        r = ir_op1(b, IR_BSWAP, m);
        break;
    case 1: /* REV16: bytes swapped within each halfword */
        r = ir_op2(b, IR_ROR, ir_op1(b, IR_BSWAP, m), k32(t, 16));
        break;
    case 2: /* RBIT */
        r = tr_call(t, media_rbit, 0, m, 0, 0);
        break;
    default: /* REVSH: SignExtend(Rm<7:0> : Rm<15:8>) */
        r = ir_op1(b, IR_SEXT16, ir_op2(b, IR_LSR, ir_op1(b, IR_BSWAP, m), k32(t, 16)));
        break;
    }
    tr_set_reg(t, d, r);
    return true;
}

/* --- A5.4 other media instructions --- */

/* A8.8.264 USAD8 / A8.8.265 USADA8: Rd = sum |Rn.byte[i] - Rm.byte[i]| (+ Ra). */
static bool trans_usad8(ArmTrans *t, uint32_t insn)
{
    unsigned d = bits(insn, 19, 16), a = bits(insn, 15, 12);
    if (d == 15)
        return false;
    IrTemp acc = a == 15 ? k32(t, 0) : tr_reg(t, a); /* a == 15 is the USAD8 pattern */
    IrTemp r = tr_call(t, media_usad8, 0, tr_reg(t, F_RM(insn)), tr_reg(t, bits(insn, 11, 8)), acc);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.164 SBFX / A8.8.246 UBFX: Rd = Extend(Rn<lsb + width - 1 : lsb>). */
static bool trans_bfx(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn), lsb = bits(insn, 11, 7), width = bits(insn, 20, 16) + 1;
    bool is_unsigned = bit(insn, 22);
    if (d == 15 || lsb + width > 32)
        return false;
    IrBlock *b = t->b;
    IrTemp v = tr_reg(t, F_RM(insn));
    unsigned up = 32 - lsb - width;
    if (up)
        v = ir_op2(b, IR_LSL, v, k32(t, up));
    if (32 - width)
        v = ir_op2(b, is_unsigned ? IR_LSR : IR_ASR, v, k32(t, 32 - width));
    tr_set_reg(t, d, v);
    return true;
}

/* A8.8.20 BFI: Rd<msb:lsb> = Rn<msb-lsb:0>; A8.8.19 BFC (Rn = 1111): Rd<msb:lsb> = 0. */
static bool trans_bfi(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn), n = F_RM(insn), lsb = bits(insn, 11, 7), msb = bits(insn, 20, 16);
    if (d == 15 || msb < lsb)
        return false;
    IrBlock *b = t->b;
    unsigned width = msb - lsb + 1;
    uint32_t mask = (width == 32 ? 0xffffffffu : ((1u << width) - 1)) << lsb;
    IrTemp r = ir_op2(b, IR_AND, tr_reg(t, d), k32(t, ~mask));
    if (n != 15) {
        IrTemp v = tr_reg(t, n);
        if (lsb)
            v = ir_op2(b, IR_LSL, v, k32(t, lsb));
        r = ir_op2(b, IR_OR, r, ir_op2(b, IR_AND, v, k32(t, mask)));
    }
    tr_set_reg(t, d, r);
    return true;
}

/* --- A5.2.6 saturating addition and subtraction, A5.2.12 CLZ --- */

/* A8.8.134 QADD, A8.8.141 QSUB, A8.8.138 QDADD, A8.8.139 QDSUB (bits 22:21 select):
 * Rd = sat(Rm +/- [sat(2 *)] Rn); Q on saturation. */
static bool trans_qaddsub(ArmTrans *t, uint32_t insn)
{
    static const IrHelperFn fns[4] = { media_qadd, media_qsub, media_qdadd, media_qdsub };
    unsigned d = F_RD(insn);
    if (d == 15)
        return false;
    IrTemp r = tr_call(t, fns[bits(insn, 22, 21)], IR_CALL_WRITES_FLAGS, tr_reg(t, F_RM(insn)),
                       tr_reg(t, F_RN(insn)), 0);
    tr_set_reg(t, d, r);
    return true;
}

/* A8.8.33 CLZ: Rd = number of leading zero bits of Rm (32 for 0). */
static bool trans_clz(ArmTrans *t, uint32_t insn)
{
    unsigned d = F_RD(insn);
    if (d == 15)
        return false;
    tr_set_reg(t, d, ir_op1(t->b, IR_CLZ, tr_reg(t, F_RM(insn))));
    return true;
}

/* Parallel add/subtract: bits 23:20 = 0 U op1, bits 7:5 = op2. */
#define PAR(u_op1, op2, name) { "cccc0110" u_op1 "nnnnddddoooo" op2 "1mmmm", trans_parallel, name }
#define PAR_ROW(u_op1, pfx) \
    PAR(u_op1, "000", pfx "ADD16"), PAR(u_op1, "001", pfx "ASX"), \
    PAR(u_op1, "010", pfx "SAX"), PAR(u_op1, "011", pfx "SUB16"), \
    PAR(u_op1, "100", pfx "ADD8"), PAR(u_op1, "111", pfx "SUB8")

/* Field letters: c cond, n Rn, d Rd, m Rm, a Ra, i immediate, r rotation, s saturate
 * bits, l lsb, w width - 1, h msb, T tb/sh bits; z "should be zero" and o "should be
 * one" bits are not checked. */
const A32Pattern a32_media_patterns[] = {
    /* A5.4.1 parallel addition and subtraction */
    PAR_ROW("0001", "S"),
    PAR_ROW("0010", "Q"),
    PAR_ROW("0011", "SH"),
    PAR_ROW("0101", "U"),
    PAR_ROW("0110", "UQ"),
    PAR_ROW("0111", "UH"),
    /* A5.4.3 packing, unpacking, saturation and reversal */
    { "cccc01101000nnnnddddiiiiiT01mmmm", trans_pkh, "PKH" },
    { "cccc01101000nnnnddddrrzz0111mmmm", trans_extend, "SXTAB16" },
    { "cccc011010001111ddddrrzz0111mmmm", trans_extend, "SXTB16" },
    { "cccc01101000nnnnddddoooo1011mmmm", trans_sel, "SEL" },
    { "cccc0110101sssssddddiiiiiT01mmmm", trans_ssat, "SSAT" },
    { "cccc01101010ssssddddoooo0011mmmm", trans_sat16, "SSAT16" },
    { "cccc01101010nnnnddddrrzz0111mmmm", trans_extend, "SXTAB" },
    { "cccc011010101111ddddrrzz0111mmmm", trans_extend, "SXTB" },
    { "cccc01101011ooooddddoooo0011mmmm", trans_rev, "REV" },
    { "cccc01101011nnnnddddrrzz0111mmmm", trans_extend, "SXTAH" },
    { "cccc011010111111ddddrrzz0111mmmm", trans_extend, "SXTH" },
    { "cccc01101011ooooddddoooo1011mmmm", trans_rev, "REV16" },
    { "cccc01101100nnnnddddrrzz0111mmmm", trans_extend, "UXTAB16" },
    { "cccc011011001111ddddrrzz0111mmmm", trans_extend, "UXTB16" },
    { "cccc0110111sssssddddiiiiiT01mmmm", trans_usat, "USAT" },
    { "cccc01101110ssssddddoooo0011mmmm", trans_sat16, "USAT16" },
    { "cccc01101110nnnnddddrrzz0111mmmm", trans_extend, "UXTAB" },
    { "cccc011011101111ddddrrzz0111mmmm", trans_extend, "UXTB" },
    { "cccc01101111ooooddddoooo0011mmmm", trans_rev, "RBIT" },
    { "cccc01101111nnnnddddrrzz0111mmmm", trans_extend, "UXTAH" },
    { "cccc011011111111ddddrrzz0111mmmm", trans_extend, "UXTH" },
    { "cccc01101111ooooddddoooo1011mmmm", trans_rev, "REVSH" },
    /* A5.4 other media instructions (A5.4.2 USAD8, A5.4.5 bitfields) */
    { "cccc01111000dddd1111mmmm0001nnnn", trans_usad8, "USAD8" },
    { "cccc01111000ddddaaaammmm0001nnnn", trans_usad8, "USADA8" },
    { "cccc0111101wwwwwddddlllll101nnnn", trans_bfx, "SBFX" },
    { "cccc0111110hhhhhddddlllll0011111", trans_bfi, "BFC" },
    { "cccc0111110hhhhhddddlllll001nnnn", trans_bfi, "BFI" },
    { "cccc0111111wwwwwddddlllll101nnnn", trans_bfx, "UBFX" },
    /* A5.2.6 saturating addition and subtraction */
    { "cccc00010000nnnnddddzzzz0101mmmm", trans_qaddsub, "QADD" },
    { "cccc00010010nnnnddddzzzz0101mmmm", trans_qaddsub, "QSUB" },
    { "cccc00010100nnnnddddzzzz0101mmmm", trans_qaddsub, "QDADD" },
    { "cccc00010110nnnnddddzzzz0101mmmm", trans_qaddsub, "QDSUB" },
    /* A5.2.12 miscellaneous: CLZ */
    { "cccc00010110ooooddddoooo0001mmmm", trans_clz, "CLZ" },
    { NULL, NULL, NULL },
};
