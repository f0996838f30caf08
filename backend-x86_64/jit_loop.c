/*
 * Self-loops: a block whose conditional exit goes back to its own start (a counted loop,
 * `subs r0, r0, #1; bne 1b`) jumps back inside its own code instead of through a chained
 * exit, with the budget check out of line:
 *
 *     entry: sub r15, N ; jl budget_exit
 *     top:   ...body... ; j<!cond> cont ; sub r15, N ; jge top ; jmp out_of_budget
 *     cont:  (not taken: the rest of the block)
 *     out_of_budget (out of line): make the flags exact, give N back, leave at the head
 *
 * and, more importantly, without storing the flags on the back edge: they stay in
 * EFLAGS, which the budget check then clobbers. That is only allowed when the block
 * overwrites all four flags before anything could read them or fault (so the program
 * never sees the stale copy in ArmCpu), and when the one place that can leave there —
 * the budget running out at the back edge — can recompute them exactly: from the last
 * flag-setting ADD/SUB of a guest register and a constant, whose operand is still (or,
 * undone, again) in that register. Precise state at every exit is kept.
 */
#include "backend-x86_64/jit_internal.h"

#include <stddef.h>

#define F(field) jit_cpu_field(offsetof(ArmCpu, field))
#define NZCV (IR_FLAG_N | IR_FLAG_Z | IR_FLAG_C | IR_FLAG_V)

/* The block may loop back to its start without storing the flags: until its first
 * flag-setting ADD/SUB (which writes all four: ADDS, SUBS, CMP, CMN) it neither reads
 * flags, nor faults, nor branches. */
bool jit_loop_eligible(const IrBlock *b)
{
    for (uint32_t ip = 0; ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        switch ((IrOp)i->op) {
        case IR_NOP: case IR_INSN_START: case IR_CONST: case IR_MOV: case IR_GET_REG:
        case IR_SET_REG: case IR_LSL: case IR_LSR: case IR_ASR: case IR_ROR: case IR_MUL:
        case IR_SEXT8: case IR_SEXT16: case IR_ZEXT8: case IR_ZEXT16: case IR_CLZ:
        case IR_BSWAP:
            break;
        case IR_AND: case IR_OR: case IR_XOR: case IR_ANDN: case IR_NOT:
            if (i->fl)
                return false;
            break;
        case IR_ADD: case IR_SUB:
            if (i->fl)
                return (i->fl & NZCV) != 0;
            break;
        default:
            return false;
        }
    }
    return false;
}

static bool is_const_temp(const JitCtx *c, IrTemp t) { return t && c->is_const[t]; }

/* Follow what the flags in EFLAGS were computed from (after insn i was compiled). */
void jit_loop_note_insn(JitCtx *c, const IrInsn *i)
{
    switch ((IrOp)i->op) {
    case IR_GET_REG:
        c->temp_src_reg[i->dst] = (int8_t)(i->imm & 15);
        c->temp_src_ver[i->dst] = c->reg_version[i->imm & 15];
        return;
    case IR_SET_REG: {
        unsigned g = (unsigned)i->imm & 15;
        if (c->recipe.valid && g == c->recipe.reg) {
            if (i->a == c->recipe.result && !c->recipe.in_place)
                c->recipe.in_place = true;
            else
                c->recipe.valid = false;
        }
        c->reg_version[g]++;
        return;
    }
    case IR_ADD:
    case IR_SUB:
        if (!i->fl)
            return;
        c->recipe.valid = c->lazy_fl == ((unsigned)i->fl & NZCV) && i->a &&
                          c->temp_src_reg[i->a] >= 0 &&
                          c->temp_src_ver[i->a] == c->reg_version[c->temp_src_reg[i->a]] &&
                          is_const_temp(c, i->b);
        if (c->recipe.valid) {
            c->recipe.result = i->dst;
            c->recipe.op = i->op;
            c->recipe.reg = (uint8_t)c->temp_src_reg[i->a];
            c->recipe.in_place = false;
            c->recipe.imm = (uint32_t)c->const_val[i->b];
            c->recipe.fl = c->lazy_fl;
            c->recipe.borrow = c->lazy_borrow;
        }
        return;
    case IR_LABEL:
        /* Flags may arrive from several paths: no single recipe. */
        c->recipe.valid = false;
        return;
    default:
        if (i->fl)
            c->recipe.valid = false; /* some other flag-setting operation */
        return;
    }
}

/* At a conditional exit to the block's own start, with the condition `when` in EFLAGS
 * and every guest register written back: emit the jump back if the loop may keep its
 * flags lazy (see above). False: the caller emits a normal exit. */
bool jit_loop_back_edge(JitCtx *c, uint32_t target, X86Cond when)
{
    if (!c->loop_ok || c->loop_done || target != c->b->guest_pc)
        return false;
    if (c->lazy_fl) {
        if (!c->recipe.valid || c->recipe.fl != c->lazy_fl || c->recipe.borrow != c->lazy_borrow)
            return false;
        c->loop_recipe_fl = c->lazy_fl;
    } else {
        c->loop_recipe_fl = 0;
    }
    c->loop_recipe = c->recipe;
    c->loop_done = true;
    /* The back edge inline, so that the loop runs straight down and jumps back once:
     *     j<!cond> cont ; sub r15, N ; jge top ; jmp out_of_budget ; cont: */
    X86Label cont;
    x86_label_init(&cont);
    x86_jcc_label(c->cb, x86_cc_invert(when), &cont);
    x86_alu_ri(c->cb, X86_ALU_SUB, JIT_BUDGET_REG, (int32_t)c->seg1, 64);
    x86_jcc_label(c->cb, X86_CC_GE, &c->top);
    x86_jmp_label(c->cb, &c->loop_back);
    x86_label_bind(c->cb, &cont);
    return true;
}

/* The out-of-line back edge (after the block body). */
void jit_loop_emit_tail(JitCtx *c)
{
    if (!c->loop_done)
        return;
    CodeBuffer *cb = c->cb;
    uint32_t n = c->seg1; /* the next iteration's first segment */
    x86_label_bind(cb, &c->loop_back);
    /* The budget ran out at the loop head: recompute the flags the last iteration set
     * from the register they came from, store them, and leave there. */
    unsigned fl = c->loop_recipe_fl;
    if (fl) {
        x86_mov_rm(cb, X86_RAX, jit_guest_reg_mem(c->loop_recipe.reg), 32);
        bool sub = c->loop_recipe.op == IR_SUB;
        int32_t imm = (int32_t)c->loop_recipe.imm;
        if (c->loop_recipe.in_place) /* undo it: the operand it had */
            x86_alu_ri(cb, sub ? X86_ALU_ADD : X86_ALU_SUB, X86_RAX, imm, 32);
        x86_alu_ri(cb, sub ? X86_ALU_SUB : X86_ALU_ADD, X86_RAX, imm, 32);
        if (fl & IR_FLAG_N)
            x86_setcc_m(cb, X86_CC_S, F(nf));
        if (fl & IR_FLAG_Z)
            x86_setcc_m(cb, X86_CC_Z, F(zf));
        if (fl & IR_FLAG_C)
            x86_setcc_m(cb, c->loop_recipe.borrow ? X86_CC_NC : X86_CC_C, F(cf));
        if (fl & IR_FLAG_V)
            x86_setcc_m(cb, X86_CC_O, F(vf));
    }
    x86_alu_ri(cb, X86_ALU_ADD, JIT_BUDGET_REG, (int32_t)n, 64);
    x86_mov_mi(cb, jit_guest_reg_mem(15), (int32_t)c->b->guest_pc, 32);
    JitExit *e = jit_new_exit(c, JIT_EXIT_BUDGET, c->b->guest_pc, 0);
    jit_emit_leave(c, (unsigned)(e - c->exits));
}
