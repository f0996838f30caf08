/*
 * Self-loops: a block whose conditional exit goes back to its own start (a counted loop,
 * `subs r0, r0, #1; bne 1b`) jumps back inside its own code instead of through a chained
 * exit, with the budget check out of line:
 *
 *     entry: sub r15, N ; jl budget_exit        (N: the whole block)
 *     top:   ...body... ; j<!cond> cont ; sub r15, K ; jge top ; jmp out_of_budget
 *     cont:  (not taken: the rest of the block)
 *     out_of_budget (out of line): make the flags exact, give N back, leave at the head
 *
 * (K: the instructions up to the back edge; the N-K after it are not run, so the next
 * iteration's N costs K more) and, more importantly, without storing the flags on the
 * back edge: they stay in EFLAGS, which the budget check then clobbers. That is only
 * allowed when no guest flag is live at the block's start (the block overwrites all four
 * before anything could read them or fault, so the program never sees the stale copy in
 * ArmCpu), and when the one place that can leave there — the budget running out at the
 * back edge — can recompute them exactly: from the last flag-setting ADD/SUB of a guest
 * register and a constant or another guest register, whose operands are still (or,
 * undone, again) in those registers. Precise state at every exit is kept.
 */
#include "backend-x86_64/jit_internal.h"

#include <string.h>

#define NZCV (IR_FLAG_N | IR_FLAG_Z | IR_FLAG_C | IR_FLAG_V)

/* The block may loop back to its start without storing the flags: no guest flag is live
 * on entry (ir_flags_live_in: every path overwrites it before a read, an exit or
 * anything that may fault). */
bool jit_loop_eligible(const JitCtx *c)
{
    return c->b->n && !(c->live_in[0] & NZCV);
}

static bool is_const_temp(const JitCtx *c, IrTemp t) { return t && c->is_const[t]; }

/* Temporary t is what GET_REG read from a guest register that still holds it. */
static bool reg_unchanged(const JitCtx *c, IrTemp t)
{
    return t && c->temp_src_reg[t] >= 0 && c->temp_src_ver[t] == c->reg_version[c->temp_src_reg[t]];
}

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
        if (c->recipe.valid && (int)g == c->recipe.reg_b)
            c->recipe.valid = false;
        else if (c->recipe.valid && g == c->recipe.reg) {
            if (i->a == c->recipe.result && !c->recipe.in_place && c->recipe.reg_b < 0)
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
                          reg_unchanged(c, i->a) && (is_const_temp(c, i->b) || reg_unchanged(c, i->b));
        if (c->recipe.valid) {
            c->recipe.result = i->dst;
            c->recipe.op = i->op;
            c->recipe.reg = (uint8_t)c->temp_src_reg[i->a];
            c->recipe.reg_b = is_const_temp(c, i->b) ? -1 : c->temp_src_reg[i->b];
            c->recipe.in_place = false;
            c->recipe.imm = is_const_temp(c, i->b) ? (uint32_t)c->const_val[i->b] : 0;
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

/* Before `top`: load the guest registers the loop reads before writing them into host
 * registers that stay theirs from one iteration to the next, unless the body needed them
 * for something else (the back edge then moves or reloads them). All of them for a loop
 * that uses at most PIN_MAX guest registers; in a bigger one they would be evicted and
 * reloaded on every iteration (there are 10 host registers for temporaries and guest
 * registers), so it keeps only PIN_BIG loop-carried ones, those read most (fractal's
 * loop, 15 registers: x, y and the iteration count; 4% fewer host instructions than
 * none, and the fourth made it worse). */
#define PIN_MAX 7
#define PIN_BIG 3

/* Guest registers the block writes before reading them and before anything that could
 * see them: an exit, a branch or label, a memory access or a call. */
static uint16_t dead_at_top(const IrBlock *b)
{
    uint16_t read = 0, dead = 0;
    for (uint32_t ip = 0; ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        unsigned g = (unsigned)i->imm & 15;
        if (ir_sees_registers((IrOp)i->op))
            return dead;
        if (i->op == IR_GET_REG)
            read |= (uint16_t)(1u << g);
        else if (i->op == IR_SET_REG && !((read >> g) & 1))
            dead |= (uint16_t)(1u << g);
    }
    return dead;
}

void jit_loop_preload(JitCtx *c)
{
    c->pinned = c->pin_dirty = c->dead_at_top = 0;
    memset(c->pin_host, -1, sizeof(c->pin_host));
    if (!c->loop_ok)
        return;
    const IrBlock *b = c->b;
    uint32_t back = b->n;
    for (uint32_t ip = 0; ip < b->n; ip++)
        if (b->insns[ip].op == IR_EXIT_DIRECT && (uint32_t)b->insns[ip].imm == b->guest_pc) {
            back = ip;
            break;
        }
    if (back == b->n)
        return;
    c->dead_at_top = dead_at_top(b);
    uint16_t seen = 0, want = 0;
    unsigned reads[16] = { 0 };
    for (uint32_t ip = 0; ip < back; ip++) {
        const IrInsn *i = &b->insns[ip];
        unsigned g = (unsigned)i->imm & 15;
        if (i->op == IR_GET_REG)
            reads[g]++;
        if (i->op == IR_GET_REG && g != 15 && !((seen >> g) & 1))
            want |= (uint16_t)(1u << g);
        if (i->op == IR_GET_REG || i->op == IR_SET_REG)
            seen |= (uint16_t)(1u << g);
        if (i->op == IR_SET_REG)
            c->pin_dirty |= (uint16_t)(1u << g);
    }
    if (__builtin_popcount(seen) > PIN_MAX) {
        /* Too many to keep them all: only the loop-carried ones (read, then written)
         * read more than once, at most PIN_BIG of them, the most read first. */
        uint16_t carried = want & c->pin_dirty;
        want = 0;
        for (unsigned n = 0; n < PIN_BIG; n++) {
            int best = -1;
            for (unsigned g = 0; g < 16; g++)
                if ((carried >> g) & 1 && reads[g] >= 2 && (best < 0 || reads[g] > reads[best]))
                    best = (int)g;
            if (best < 0)
                break;
            want |= (uint16_t)(1u << best);
            carried &= (uint16_t)~(1u << best);
        }
    }
    c->pin_dirty &= want;
    for (unsigned g = 0; g < 16; g++) {
        if (!((want >> g) & 1))
            continue;
        X86Reg h = jit_alloc_reg(c, 0);
        jit_bind_guest(c, g, h, (c->pin_dirty >> g) & 1);
        c->pin_host[g] = (int8_t)h;
        c->pinned |= (uint16_t)(1u << g);
    }
}

/* Whether a conditional exit to `target` can be the loop's back edge (see above): the
 * first one to the block's start, with the flags in EFLAGS (if any) recomputable. */
bool jit_loop_can_back_edge(const JitCtx *c, uint32_t target)
{
    if (!c->loop_ok || c->loop_done || target != c->b->guest_pc)
        return false;
    return !c->lazy_fl || (c->recipe.valid && c->recipe.fl == c->lazy_fl &&
                           c->recipe.borrow == c->lazy_borrow);
}

/* At that exit, with the condition `when` in EFLAGS: the back edge inline, so that the
 * loop runs straight down and jumps back once:
 *     j<!cond> cont ; (guest registers to their pinned places) ; sub r15, K ; jge top ;
 *     jmp out_of_budget ; cont:
 * The allocator state goes on unchanged at `cont`. */
void jit_loop_back_edge(JitCtx *c, X86Cond when)
{
    c->loop_recipe_fl = c->lazy_fl;
    c->loop_recipe = c->recipe;
    c->loop_done = true;
    X86Label cont;
    x86_label_init(&cont);
    x86_jcc_label(c->cb, x86_cc_invert(when), &cont);
    JitDirty deferred;
    jit_emit_to_pinned(c, &deferred);
    x86_alu_ri(c->cb, X86_ALU_SUB, JIT_BUDGET_REG, (int32_t)(c->insn_index + 1), 64);
    x86_jcc_label(c->cb, X86_CC_GE, &c->top);
    jit_emit_dirty(c, &deferred);
    x86_jmp_label(c->cb, &c->loop_back);
    x86_label_bind(c->cb, &cont);
}

/* The out-of-line back edge (after the block body). */
void jit_loop_emit_tail(JitCtx *c)
{
    if (!c->loop_done)
        return;
    CodeBuffer *cb = c->cb;
    uint32_t n = c->charged; /* the next iteration's, not run */
    x86_label_bind(cb, &c->loop_back);
    /* The budget ran out at the loop head: write back the pinned registers the loop
     * changed, recompute the flags the last iteration set from the registers they came
     * from, store them, and leave there. */
    for (unsigned g = 0; g < 16; g++)
        if ((c->pin_dirty >> g) & 1)
            x86_mov_mr(cb, jit_guest_reg_mem(g), (X86Reg)c->pin_host[g], 32);
    if (c->loop_recipe_fl) {
        jit_flags_recompute(c, &c->loop_recipe, NULL);
        jit_flags_store(cb, c->loop_recipe_fl, c->loop_recipe.borrow);
    }
    x86_alu_ri(cb, X86_ALU_ADD, JIT_BUDGET_REG, (int32_t)n, 64);
    x86_mov_mi(cb, jit_guest_reg_mem(15), (int32_t)c->b->guest_pc, 32);
    JitExit *e = jit_new_exit(c, JIT_EXIT_BUDGET, c->b->guest_pc, 0);
    jit_emit_leave(c, (unsigned)(e - c->exits));
}
