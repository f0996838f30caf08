/*
 * The A32 translator driver and the code-generation helpers shared by the instruction
 * groups (translate_*.c).
 */
#include "frontend-arm/translate.h"

#include "frontend-arm/decode.h"
#include "frontend-arm/helpers.h"

/* What the IR of a block depends on besides its address: the mode (privilege, banking,
 * semihosting), the instruction set state and the data endianness; user-mode blocks
 * also carry the ASID they were translated under (their pages are usually not global:
 * keyed so, they survive address-space switches without being unchained). */
uint32_t arm_mode_key(const ArmCpu *cpu)
{
    return (cpu->cpsr & (CPSR_M | CPSR_T | CPSR_E)) | cpu->key_extra[cpu->cpsr & 15];
}

IrTemp tr_reg(ArmTrans *t, unsigned r)
{
    if (r == 15)
        return ir_const(t->b, t->pc + 8);
    return ir_get_reg(t->b, r);
}

void tr_set_reg(ArmTrans *t, unsigned r, IrTemp v)
{
    if (r == 15)
        tr_bx(t, v);
    else
        ir_set_reg(t->b, r, v);
}

/* BXWritePC (ARM ARM A2.3.2): bit 0 selects the instruction set. An ARM-state target
 * with bit 1 set is UNPREDICTABLE; the fetch then takes a PC alignment fault. */
void tr_bx(ArmTrans *t, IrTemp v)
{
    IrBlock *b = t->b;
    uint32_t thumb = ir_new_label(b);
    IrTemp low = ir_op2(b, IR_AND, v, ir_const(b, 1));
    ir_brnz(b, low, thumb);
    ir_exit_indirect(b, v);
    ir_label(b, thumb);
    tr_call(t, helper_enter_thumb, IR_CALL_WRITES_REGS, 0, 0, 0);
    ir_exit_indirect_new_mode(b, ir_op2(b, IR_ANDN, v, ir_const(b, 1)));
    t->end_block = true;
}

void tr_branch_direct(ArmTrans *t, uint32_t target)
{
    ir_exit_direct(t->b, target);
    t->end_block = true;
    t->direct_branch = true;
}

void tr_exception_return(ArmTrans *t, IrTemp new_pc)
{
    IrTemp pc = tr_call(t, helper_exception_return,
                        IR_CALL_READS_FLAGS | IR_CALL_WRITES_FLAGS | IR_CALL_WRITES_REGS, new_pc, 0, 0);
    ir_exit_indirect_new_mode(t->b, pc);
    t->end_block = true;
}

void tr_raise(ArmTrans *t, ArmException exc)
{
    ir_raise(t->b, exc);
    t->end_block = true;
}

void tr_end_next(ArmTrans *t)
{
    ir_exit_direct(t->b, t->pc + 4);
    t->end_block = true;
}

void tr_sync_next(ArmTrans *t)
{
    ir_exit_sync(t->b, t->pc + 4);
    t->end_block = true;
}

bool tr_is_user(const ArmTrans *t)
{
    return (t->key & CPSR_M) == ARM_MODE_USR;
}

IrTemp tr_call(ArmTrans *t, IrHelperFn fn, unsigned flags, IrTemp a, IrTemp b, IrTemp c)
{
    return ir_call(t->b, fn, flags, a, b, c);
}

/* Shift_C with an immediate amount (ARM ARM A8.4.3, DecodeImmShift A8.4.1). */
IrTemp tr_shift_imm(ArmTrans *t, IrTemp v, unsigned type, unsigned imm5, IrTemp *carry)
{
    IrBlock *b = t->b;
    static const IrOp ops[4] = { IR_LSL, IR_LSR, IR_ASR, IR_ROR };
    static const IrOp carry_ops[4] = { IR_LSL_C, IR_LSR_C, IR_ASR_C, IR_ROR_C };
    type &= 3;
    if (type == 0 && imm5 == 0) {
        if (carry)
            *carry = ir_get_flag(b, IR_FLAG_C);
        return v;
    }
    if (type == 3 && imm5 == 0) { /* RRX */
        IrTemp c = ir_get_flag(b, IR_FLAG_C);
        if (carry)
            *carry = ir_op2(b, IR_AND, v, ir_const(b, 1));
        return ir_op3(b, IR_RRX, v, 0, c);
    }
    unsigned n = imm5 ? imm5 : 32; /* LSR/ASR #0 encode a shift by 32 */
    IrTemp amount = ir_const(b, n);
    if (carry)
        *carry = ir_op3(b, carry_ops[type], v, amount, ir_const(b, 0));
    return ir_op2(b, ops[type], v, amount);
}

/* Shift_C by the bottom byte of a register (the caller masks it). */
IrTemp tr_shift_reg(ArmTrans *t, IrTemp v, unsigned type, IrTemp amount, IrTemp *carry)
{
    IrBlock *b = t->b;
    static const IrOp ops[4] = { IR_LSL, IR_LSR, IR_ASR, IR_ROR };
    static const IrOp carry_ops[4] = { IR_LSL_C, IR_LSR_C, IR_ASR_C, IR_ROR_C };
    type &= 3;
    if (carry)
        *carry = ir_op3(b, carry_ops[type], v, amount, ir_get_flag(b, IR_FLAG_C));
    return ir_op2(b, ops[type], v, amount);
}

/* ARMExpandImm (A5.2.4). */
uint32_t tr_expand_imm(uint32_t imm12)
{
    uint32_t v = imm12 & 0xff, rot = 2 * ((imm12 >> 8) & 0xf);
    return rot ? (v >> rot) | (v << (32 - rot)) : v;
}

IrTemp tr_expand_imm_c(ArmTrans *t, uint32_t imm12, IrTemp *carry)
{
    uint32_t v = tr_expand_imm(imm12);
    if (carry)
        *carry = (imm12 & 0xf00) ? ir_const(t->b, v >> 31) : ir_get_flag(t->b, IR_FLAG_C);
    return ir_const(t->b, v);
}

/* Translate one instruction: condition check, decode, the group's translate function.
 * ARM ARM A8.3: an instruction whose condition fails does nothing but is still
 * executed (and counted). */
static void translate_one(ArmTrans *t)
{
    IrBlock *b = t->b;
    uint32_t insn = t->insn;
    unsigned cond = insn >> 28;
    const A32Pattern *p = a32_decode(insn);
    uint32_t skip = 0;
    if (cond < 14) {
        skip = ir_new_label(b);
        ir_brz(b, ir_cond(b, cond), skip);
    }
    uint32_t mark = b->n, temps = b->n_temps;
    if (!p || !p->fn(t, insn)) {
        /* UNDEFINED: drop anything the group emitted before it decided so. */
        b->n = mark;
        b->n_temps = temps;
        tr_raise(t, ARM_EXC_UNDEF);
    }
    if (cond < 14) {
        ir_label(b, skip);
        if (t->end_block && t->direct_branch && t->can_continue) {
            /* A conditional direct branch: the block goes on with the next instruction
             * so a branch not taken costs no block change. */
            t->end_block = false;
            t->continued = true;
        } else if (t->end_block) {
            ir_exit_direct(b, t->pc + 4);
        }
    }
}

/* A block may go on past this many conditional direct branches
 * (in practice the block's length, TB_MAX_INSNS, is the limit). */
#define TR_MAX_COND_EXITS 64

/* A short loop (a conditional B back to the block's first instruction, at most this many
 * instructions) is unrolled once: the block holds two iterations, the first leaving to
 * the instruction after the branch when it is not taken, so that the backend's self-loop
 * (jit_loop.c) checks the budget and jumps back once per two iterations. */
#define TR_UNROLL_MAX 12

/* Whether insn, at pc, is a conditional B (not BL) to `target` (ARM ARM A8.8.18). */
static bool is_cond_branch_to(uint32_t insn, uint32_t pc, uint32_t target)
{
    if ((insn >> 28) >= 14 || ((insn >> 24) & 15) != 0xa)
        return false;
    int32_t off = (int32_t)(insn << 8) >> 6; /* imm24:'00', sign-extended */
    return pc + 8 + (uint32_t)off == target;
}

/* The first iteration's back branch: taken, the translation goes on at the loop's start;
 * not taken, the block leaves to the next instruction. */
static void unroll_branch(ArmTrans *t)
{
    IrBlock *b = t->b;
    uint32_t taken = ir_new_label(b);
    ir_brz(b, ir_cond(b, (t->insn >> 28) ^ 1), taken);
    ir_exit_direct(b, t->pc + 4);
    ir_label(b, taken);
}

/* ARM ARM A2.5 (instruction fetch) and the block rules in DESIGN.md: a block ends at an
 * unconditional branch or any instruction that changes the mode key, at the end of a
 * guest page, or after max_insns; it goes on past a conditional direct branch (up to
 * TR_MAX_COND_EXITS of them): translated code charges the whole block on entry and gives
 * back the instructions after an exit taken early. */
void arm_translate_block(ArmCpu *cpu, IrBlock *b, uint32_t pc, unsigned max_insns)
{
    ArmTrans t = { .cpu = cpu, .b = b, .pc = pc, .key = arm_mode_key(cpu) };
    b->guest_pc = pc;
    if (t.key & CPSR_T) {
        /* Thumb is not implemented yet: every Thumb instruction is UNDEFINED, as on a CPU
         * without it. The handler sees LR = address + 2. */
        ir_emit(b, IR_INSN_START)->imm = pc;
        ir_raise(b, ARM_EXC_UNDEF);
        b->guest_insns = 1;
        b->guest_end = pc + 2;
        return;
    }
    if (max_insns == 0)
        max_insns = 1;
    unsigned n = 0, cond_exits = 0;
    bool unrolled = false;
    uint32_t end = pc;
    for (;;) {
        uint32_t insn;
        if (!arm_mem_fetch32(cpu, t.pc, &insn)) {
            /* Only the first fetch of a block may fault here (the caller checked it);
             * a later one ends the block so that the fault is taken precisely. */
            cpu->pending_exc = ARM_EXC_NONE;
            ir_exit_direct(b, t.pc);
            break;
        }
        t.insn = insn;
        t.direct_branch = t.continued = false;
        t.can_continue = cond_exits < TR_MAX_COND_EXITS && n + 1 < max_insns &&
                         ((t.pc + 4) & (PHYS_PAGE_SIZE - 1)) != 0;
        ir_emit(b, IR_INSN_START)->imm = t.pc;
        if (!unrolled && n + 1 <= TR_UNROLL_MAX && 2 * (n + 1) <= max_insns &&
            cond_exits < TR_MAX_COND_EXITS && is_cond_branch_to(insn, t.pc, pc)) {
            unroll_branch(&t);
            unrolled = true;
            cond_exits++;
            n++;
            end = t.pc + 4 > end ? t.pc + 4 : end;
            t.pc = pc;
            continue;
        }
        translate_one(&t);
        n++;
        t.pc += 4;
        end = t.pc > end ? t.pc : end;
        if (t.end_block)
            break;
        if (t.continued)
            cond_exits++;
        if ((t.pc & (PHYS_PAGE_SIZE - 1)) == 0 || n >= max_insns) {
            ir_exit_direct(b, t.pc);
            break;
        }
    }
    b->guest_insns = n;
    b->guest_end = end;
}
