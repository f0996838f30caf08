/*
 * Branches (ARM ARM A5.5 and A8.8.18 B, A8.8.25 BL/BLX (immediate), A8.8.26 BLX
 * (register), A8.8.27 BX, A8.8.28 BXJ).
 */
#include "frontend-arm/helpers.h"
#include "frontend-arm/translate.h"

static uint32_t branch_target(ArmTrans *t, uint32_t insn)
{
    int32_t off = (int32_t)(bits(insn, 23, 0) << 8) >> 6; /* SignExtend(imm24:'00') */
    return t->pc + 8 + (uint32_t)off;
}

static bool trans_b(ArmTrans *t, uint32_t insn)
{
    tr_branch_direct(t, branch_target(t, insn));
    return true;
}

static bool trans_bl(ArmTrans *t, uint32_t insn)
{
    ir_set_reg(t->b, 14, ir_const(t->b, t->pc + 4));
    tr_branch_direct(t, branch_target(t, insn));
    return true;
}

/* BLX (immediate): always switches to Thumb; H supplies bit 1 of the target. */
static bool trans_blx_imm(ArmTrans *t, uint32_t insn)
{
    uint32_t target = branch_target(t, insn) | (bit(insn, 24) << 1);
    ir_set_reg(t->b, 14, ir_const(t->b, t->pc + 4));
    tr_call(t, helper_enter_thumb, IR_CALL_WRITES_REGS, 0, 0, 0);
    ir_exit_sync(t->b, target);
    t->end_block = true;
    return true;
}

/* BX and BXJ (no Jazelle: BXJ behaves as BX, ARM ARM A8.8.28). */
static bool trans_bx(ArmTrans *t, uint32_t insn)
{
    tr_bx(t, tr_reg(t, bits(insn, 3, 0)));
    return true;
}

static bool trans_blx_reg(ArmTrans *t, uint32_t insn)
{
    unsigned rm = bits(insn, 3, 0);
    if (rm == 15)
        return false; /* UNPREDICTABLE */
    IrTemp target = tr_reg(t, rm);
    ir_set_reg(t->b, 14, ir_const(t->b, t->pc + 4));
    tr_bx(t, target);
    return true;
}

const A32Pattern a32_branch_patterns[] = {
    { "cccc1010iiiiiiiiiiiiiiiiiiiiiiii", trans_b, "b" },
    { "cccc1011iiiiiiiiiiiiiiiiiiiiiiii", trans_bl, "bl" },
    { "1111101Hiiiiiiiiiiiiiiiiiiiiiiii", trans_blx_imm, "blx-imm" },
    { "cccc000100101111111111110001mmmm", trans_bx, "bx" },
    { "cccc000100101111111111110010mmmm", trans_bx, "bxj" },
    { "cccc000100101111111111110011mmmm", trans_blx_reg, "blx-reg" },
    { NULL, NULL, NULL },
};
