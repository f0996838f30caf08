/*
 * Data-processing instructions (ARM ARM A5.2.1-A5.2.3, A5.2.9/10 for MOVW/MOVT), with
 * every shifter operand form (A5.1.2, A8.4) and the flag rules of A2.2/A8.8.
 */
#include "frontend-arm/translate.h"

enum { OP_AND, OP_EOR, OP_SUB, OP_RSB, OP_ADD, OP_ADC, OP_SBC, OP_RSC,
       OP_TST, OP_TEQ, OP_CMP, OP_CMN, OP_ORR, OP_MOV, OP_BIC, OP_MVN };

static bool is_logical(unsigned op)
{
    return op == OP_AND || op == OP_EOR || op == OP_TST || op == OP_TEQ || op == OP_ORR ||
           op == OP_MOV || op == OP_BIC || op == OP_MVN;
}

static bool is_test(unsigned op) { return op >= OP_TST && op <= OP_CMN; }

/* Checks that must happen before any IR is emitted. The test opcodes without S are other
 * instructions (A5.2); any of those that no more specific pattern claimed is UNDEFINED.
 * "S with Rd = PC" is an exception return (B9.3.20), UNPREDICTABLE in User mode, where
 * QEMU makes it UNDEFINED; so do we. */
static bool dp_valid(ArmTrans *t, unsigned op, bool s, unsigned rd)
{
    if (is_test(op) && !s)
        return false;
    if (!is_test(op) && s && rd == 15 && tr_is_user(t))
        return false;
    return true;
}

/* The operation itself, given the second operand and the shifter carry (for logical
 * operations with S). */
static void dp_emit(ArmTrans *t, unsigned op, bool s, unsigned rn, unsigned rd, IrTemp op2, IrTemp shc)
{
    IrBlock *b = t->b;
    bool exc_return = s && rd == 15 && !is_test(op);
    unsigned fl = (s && !exc_return) ? (is_logical(op) ? IR_FLAG_NZ : IR_FLAG_NZCV) : 0;
    IrTemp a = (op == OP_MOV || op == OP_MVN) ? 0 : tr_reg(t, rn);
    IrTemp r;
    switch (op) {
    case OP_AND: case OP_TST: r = ir_op2f(b, IR_AND, a, op2, fl); break;
    case OP_EOR: case OP_TEQ: r = ir_op2f(b, IR_XOR, a, op2, fl); break;
    case OP_SUB: case OP_CMP: r = ir_op2f(b, IR_SUB, a, op2, fl); break;
    case OP_RSB: r = ir_op2f(b, IR_SUB, op2, a, fl); break;
    case OP_ADD: case OP_CMN: r = ir_op2f(b, IR_ADD, a, op2, fl); break;
    case OP_ADC: r = ir_op3f(b, IR_ADC, a, op2, ir_get_flag(b, IR_FLAG_C), fl); break;
    case OP_SBC: r = ir_op3f(b, IR_SBC, a, op2, ir_get_flag(b, IR_FLAG_C), fl); break;
    case OP_RSC: r = ir_op3f(b, IR_SBC, op2, a, ir_get_flag(b, IR_FLAG_C), fl); break;
    case OP_ORR: r = ir_op2f(b, IR_OR, a, op2, fl); break;
    case OP_BIC: r = ir_op2f(b, IR_ANDN, a, op2, fl); break;
    case OP_MVN: r = ir_op2f(b, IR_NOT, op2, 0, fl); break;
    default: /* MOV */
        r = op2;
        if (fl)
            ir_setnz(b, r);
        break;
    }
    if (fl && is_logical(op) && shc)
        ir_set_flag(b, IR_FLAG_C, shc);
    if (is_test(op))
        return;
    if (exc_return)
        tr_exception_return(t, r);
    else
        tr_set_reg(t, rd, r);
}

/* Data-processing (register): op2 = Rm shifted by an immediate (A5.2.1, A8.4.1). */
static bool trans_dp_reg(ArmTrans *t, uint32_t insn)
{
    unsigned op = bits(insn, 24, 21), rd = bits(insn, 15, 12);
    bool s = bit(insn, 20);
    if (!dp_valid(t, op, s, rd))
        return false;
    IrTemp shc = 0;
    bool want_c = s && is_logical(op);
    IrTemp op2 = tr_shift_imm(t, tr_reg(t, bits(insn, 3, 0)), bits(insn, 6, 5), bits(insn, 11, 7),
                              want_c ? &shc : NULL);
    dp_emit(t, op, s, bits(insn, 19, 16), rd, op2, shc);
    return true;
}

/* Data-processing (register-shifted register): op2 = Rm shifted by Rs[7:0] (A5.2.2).
 * Any of the four registers being PC is UNPREDICTABLE; we treat it as UNDEFINED. */
static bool trans_dp_rsr(ArmTrans *t, uint32_t insn)
{
    unsigned op = bits(insn, 24, 21), rd = bits(insn, 15, 12), rn = bits(insn, 19, 16);
    unsigned rs = bits(insn, 11, 8), rm = bits(insn, 3, 0);
    bool s = bit(insn, 20);
    if (!dp_valid(t, op, s, rd) || rd == 15 || rs == 15 || rm == 15 ||
        (rn == 15 && op != OP_MOV && op != OP_MVN))
        return false;
    IrBlock *b = t->b;
    IrTemp amount = ir_op2(b, IR_AND, tr_reg(t, rs), ir_const(b, 0xff));
    IrTemp shc = 0;
    bool want_c = s && is_logical(op);
    IrTemp op2 = tr_shift_reg(t, tr_reg(t, rm), bits(insn, 6, 5), amount, want_c ? &shc : NULL);
    dp_emit(t, op, s, rn, rd, op2, shc);
    return true;
}

/* Data-processing (immediate): op2 = ARMExpandImm_C(imm12) (A5.2.3). */
static bool trans_dp_imm(ArmTrans *t, uint32_t insn)
{
    unsigned op = bits(insn, 24, 21), rd = bits(insn, 15, 12);
    bool s = bit(insn, 20);
    if (!dp_valid(t, op, s, rd))
        return false;
    IrTemp shc = 0;
    bool want_c = s && is_logical(op);
    IrTemp op2 = tr_expand_imm_c(t, bits(insn, 11, 0), want_c ? &shc : NULL);
    dp_emit(t, op, s, bits(insn, 19, 16), rd, op2, shc);
    return true;
}

/* MOVW (A8.8.102, encoding A2) and MOVT (A8.8.106). Rd = PC is UNPREDICTABLE. */
static bool trans_movw(ArmTrans *t, uint32_t insn)
{
    unsigned rd = bits(insn, 15, 12);
    if (rd == 15)
        return false;
    ir_set_reg(t->b, rd, ir_const(t->b, (bits(insn, 19, 16) << 12) | bits(insn, 11, 0)));
    return true;
}

static bool trans_movt(ArmTrans *t, uint32_t insn)
{
    unsigned rd = bits(insn, 15, 12);
    if (rd == 15)
        return false;
    IrBlock *b = t->b;
    uint32_t hi = ((bits(insn, 19, 16) << 12) | bits(insn, 11, 0)) << 16;
    IrTemp low = ir_op2(b, IR_AND, ir_get_reg(b, rd), ir_const(b, 0xffff));
    ir_set_reg(b, rd, ir_op2(b, IR_OR, low, ir_const(b, hi)));
    return true;
}

const A32Pattern a32_dp_patterns[] = {
    { "cccc000ooooSnnnnddddiiiiitt0mmmm", trans_dp_reg, "dp-reg" },
    { "cccc000ooooSnnnnddddssss0tt1mmmm", trans_dp_rsr, "dp-rsr" },
    { "cccc001ooooSnnnnddddiiiiiiiiiiii", trans_dp_imm, "dp-imm" },
    { "cccc00110000iiiiddddiiiiiiiiiiii", trans_movw, "movw" },
    { "cccc00110100iiiiddddiiiiiiiiiiii", trans_movt, "movt" },
    { NULL, NULL, NULL },
};
