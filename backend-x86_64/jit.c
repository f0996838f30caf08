/*
 * The IR compiler: one IrBlock to x86-64 code, with a local register allocator.
 *
 * Register conventions inside translated code:
 *   RBP       the ArmCpu pointer
 *   RSP       16-byte aligned; [rsp + 8*i] are the spill slots of the block
 *   R15       cpu->budget (JIT_BUDGET_REG), written back when leaving
 *   RAX, RCX, RDX   scratch (shift counts need CL, MUL/DIV need RAX:RDX, helper calls
 *             return in RAX and take arguments in RDI, RSI, RDX, RCX); but a remainder
 *             stays in RDX, where DIV left it, while only operations that leave RDX
 *             alone come (jit_keep_rdx): `udiv; mls; cmp #0; beq` moves it nowhere
 *   the rest  allocated to IR temporaries and to cached guest registers
 *
 * Allocation is linear over the block. A host register holds at most one temporary and
 * at most one guest register (a temporary read from a guest register shares its host
 * register until one of them changes). Dirty guest registers are written back at exits,
 * before helper calls and memory accesses (so the state is exact if they fault), and
 * at the branch points of conditional execution, where the allocator state is reset.
 * Temporaries are single-assignment, so a spill slot stays valid once written.
 */
#include "backend-x86_64/jit_internal.h"

#include <stddef.h>
#include <stdlib.h>
#include <string.h>

/* Allocation order: callee-saved first (they survive helper calls). RDX, last, is never
 * handed out: only a remainder is put there (jit_keep_rdx), but the bookkeeping loops
 * over all of them see it. */
static const X86Reg alloc_order[] = { X86_RBX, X86_R12, X86_R13, X86_R14, X86_RSI,
                                      X86_RDI, X86_R8,  X86_R9,  X86_R10, X86_R11, X86_RDX };
#define N_ALLOC (sizeof(alloc_order) / sizeof(alloc_order[0]))

static bool caller_saved(X86Reg r)
{
    return r == X86_RSI || r == X86_RDI || (r >= X86_R8 && r <= X86_R11) || r == X86_RAX ||
           r == X86_RCX || r == X86_RDX;
}

X86Mem jit_cpu_field(size_t offset) { return x86_mem(X86_RBP, (int32_t)offset); }
X86Mem jit_guest_reg_mem(unsigned r) { return jit_cpu_field(offsetof(ArmCpu, r) + 4 * r); }
static X86Mem slot_mem(int slot) { return x86_mem(X86_RSP, 8 * slot); }

/* ---- host register bookkeeping ---- */

static bool reg_free(const JitCtx *c, X86Reg h)
{
    return c->temp_of[h] == 0 && c->guest_of[h] < 0;
}

static void unbind_guest(JitCtx *c, X86Reg h)
{
    int g = c->guest_of[h];
    if (g >= 0) {
        c->host_of_guest[g] = -1;
        c->guest_of[h] = -1;
        c->dirty[h] = false;
    }
}

static void write_back(JitCtx *c, X86Reg h)
{
    if (c->guest_of[h] >= 0 && c->dirty[h]) {
        x86_mov_mr(c->cb, jit_guest_reg_mem((unsigned)c->guest_of[h]), h, 32);
        c->dirty[h] = false;
    }
}

/* Write every dirty guest register back to the cpu state (they stay cached, clean). */
void jit_write_back_all(JitCtx *c)
{
    for (unsigned k = 0; k < N_ALLOC; k++)
        write_back(c, alloc_order[k]);
}

/* The same stores, for a side exit: the allocator state (dirty bits) is left as it is
 * for the path that does not exit. */
void jit_emit_write_back_copy(JitCtx *c)
{
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        if (c->guest_of[h] >= 0 && c->dirty[h])
            x86_mov_mr(c->cb, jit_guest_reg_mem((unsigned)c->guest_of[h]), h, 32);
    }
}

void jit_note_dirty(const JitCtx *c, JitDirty *d)
{
    d->n = 0;
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        if (c->guest_of[h] >= 0 && c->dirty[h]) {
            d->guest[d->n] = (uint8_t)c->guest_of[h];
            d->host[d->n] = h;
            d->n++;
        }
    }
}

void jit_emit_dirty(JitCtx *c, const JitDirty *d)
{
    for (unsigned k = 0; k < d->n; k++)
        x86_mov_mr(c->cb, jit_guest_reg_mem(d->guest[k]), d->host[k], 32);
}

static int alloc_slot(JitCtx *c)
{
    for (int s = 0; s < JIT_SLOTS; s++)
        if (!c->slot_used[s]) {
            c->slot_used[s] = true;
            return s;
        }
    c->failed = true; /* the block is too complicated: the engine interprets it */
    return 0;
}

/* Make sure temporary t has a copy in its spill slot. */
static void spill_temp(JitCtx *c, IrTemp t)
{
    if (c->slot_of[t] >= 0)
        return;
    int s = alloc_slot(c);
    c->slot_of[t] = (int8_t)s;
    if (c->is_const[t])
        return; /* constants are rematerialised, the slot only reserves nothing */
    x86_mov_mr(c->cb, slot_mem(s), (X86Reg)c->reg_of[t], 64);
}

#define NEVER UINT32_MAX

/* Whether the block overwrites guest register g before anything could see its value
 * (ir_sees_registers) or read it: a dirty copy need not be stored then. The scan starts
 * at the instruction being compiled: a load whose destination evicts g may fault. */
static bool overwritten_unseen(const JitCtx *c, unsigned g)
{
    const IrBlock *b = c->b;
    for (uint32_t ip = c->ip; ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        if (ir_sees_registers((IrOp)i->op))
            return false;
        if ((i->op == IR_GET_REG || i->op == IR_SET_REG) && (i->imm & 15) == g)
            return i->op == IR_SET_REG;
    }
    return false;
}

/* Whether guest flags may yet be recomputed from guest register g (jit_flags.c): from
 * its memory, once it is evicted, so that memory must then be current. */
static bool flags_read_from(const JitCtx *c, int g)
{
    return (c->remat_fl && (c->remat.reg == g || c->remat.reg_b == g)) ||
           (c->recipe.valid && (c->recipe.reg == g || c->recipe.reg_b == g));
}

/* Take host register h away from whatever holds it. */
static void evict(JitCtx *c, X86Reg h)
{
    IrTemp t = c->temp_of[h];
    if (t) {
        spill_temp(c, t);
        c->reg_of[t] = -1;
        c->temp_of[h] = 0;
    }
    int g = c->guest_of[h];
    if (g >= 0 && c->dirty[h] && !flags_read_from(c, g) && overwritten_unseen(c, (unsigned)g))
        c->dirty[h] = false;
    write_back(c, h);
    unbind_guest(c, h);
}

/* Where guest register g is read next (a GET_REG before any SET_REG of it), counting on
 * into the next iteration of a self-loop; NEVER if it is overwritten first or not read
 * again. */
static uint32_t next_read(const JitCtx *c, unsigned g)
{
    const IrBlock *b = c->b;
    for (uint32_t ip = c->ip + 1; ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        if ((i->op == IR_GET_REG || i->op == IR_SET_REG) && (i->imm & 15) == g)
            return i->op == IR_GET_REG ? ip : NEVER;
    }
    for (uint32_t ip = 0; c->loop_ok && ip <= c->ip && ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        if ((i->op == IR_GET_REG || i->op == IR_SET_REG) && (i->imm & 15) == g)
            return i->op == IR_GET_REG ? b->n + ip : NEVER;
    }
    return NEVER;
}

/* Where temporary t is used next. */
static uint32_t next_use(const JitCtx *c, IrTemp t)
{
    for (uint32_t ip = c->ip + 1; ip < c->b->n && ip <= c->last_use[t]; ip++) {
        const IrInsn *i = &c->b->insns[ip];
        if (i->a == t || i->b == t || i->c == t)
            return ip;
    }
    return NEVER;
}

/* A free host register, evicting if needed; never one in `locked` (a bit mask). The
 * victim is the one needed furthest ahead (Belady): a cached guest register rather than
 * a temporary (which needs a spill slot), a clean one rather than a dirty one (a store)
 * when they are needed equally far ahead. */
X86Reg jit_alloc_reg(JitCtx *c, uint32_t locked)
{
    locked |= 1u << X86_RDX;
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        if (!(locked & (1u << h)) && reg_free(c, h))
            return h;
    }
    int best = -1;
    uint64_t best_score = 0;
    for (int pass = 0; pass < 2 && best < 0; pass++) {
        for (unsigned k = 0; k < N_ALLOC; k++) {
            X86Reg h = alloc_order[k];
            if (locked & (1u << h))
                continue;
            uint64_t score;
            if (pass == 0) {
                if (c->temp_of[h] != 0)
                    continue;
                score = 2 * (uint64_t)next_read(c, (unsigned)c->guest_of[h]) + !c->dirty[h];
            } else {
                score = next_use(c, c->temp_of[h]);
            }
            if (best < 0 || score > best_score) {
                best = h;
                best_score = score;
            }
        }
    }
    if (best < 0) {
        c->failed = true;
        return X86_RBX;
    }
    evict(c, (X86Reg)best);
    return (X86Reg)best;
}

void jit_set_temp_reg(JitCtx *c, IrTemp t, X86Reg h)
{
    c->reg_of[t] = (int8_t)h;
    c->temp_of[h] = t;
}

/* The register holding temporary t, loading it from its slot or materialising the
 * constant if needed. */
X86Reg jit_use(JitCtx *c, IrTemp t, uint32_t locked)
{
    if (c->reg_of[t] >= 0)
        return (X86Reg)c->reg_of[t];
    X86Reg h = jit_alloc_reg(c, locked);
    if (c->is_const[t])
        x86_mov_ri(c->cb, h, c->const_val[t]);
    else if (c->mem_of[t] >= 0) {
        x86_mov_rm(c->cb, h, jit_guest_reg_mem((unsigned)c->mem_of[t]), 32);
        c->mem_of[t] = -1;
    }
    else if (c->slot_of[t] >= 0)
        x86_mov_rm(c->cb, h, slot_mem(c->slot_of[t]), 64);
    else
        c->failed = true; /* use of an undefined temporary: a frontend bug */
    jit_set_temp_reg(c, t, h);
    return h;
}

/* Forget temporaries whose last use is the instruction at ip. */
void jit_release_dead(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    IrTemp ts[3] = { i->a, i->b, i->c };
    for (int k = 0; k < 3; k++) {
        IrTemp t = ts[k];
        if (!t || c->last_use[t] != ip)
            continue;
        if (c->reg_of[t] >= 0) {
            c->temp_of[c->reg_of[t]] = 0;
            c->reg_of[t] = -1;
        }
        if (c->slot_of[t] >= 0) {
            c->slot_used[c->slot_of[t]] = false;
            c->slot_of[t] = -1;
        }
    }
}

/* Whether dst may take over the register of operand a (held in a register): a dies here
 * and no guest register needs its value any more. If so, it does. */
static bool take_over(JitCtx *c, IrTemp dst, IrTemp a, uint32_t ip)
{
    X86Reg ha = (X86Reg)c->reg_of[a];
    int g = c->guest_of[ha];
    bool guest_dead = g < 0;
    if (!guest_dead) {
        /* The guest register is about to be overwritten by this very result. */
        const IrInsn *next = ip + 1 < c->b->n ? &c->b->insns[ip + 1] : NULL;
        guest_dead = next && next->op == IR_SET_REG && next->imm == (uint64_t)g && next->a == dst;
    }
    if (c->last_use[a] != ip || !guest_dead || c->is_const[a])
        return false;
    if (g >= 0) {
        c->host_of_guest[g] = -1;
        c->guest_of[ha] = -1;
        c->dirty[ha] = false;
    }
    c->temp_of[ha] = 0;
    c->reg_of[a] = -1;
    if (c->slot_of[a] >= 0) {
        c->slot_used[c->slot_of[a]] = false;
        c->slot_of[a] = -1;
    }
    jit_set_temp_reg(c, dst, ha);
    return true;
}

/* A destination register for `dst = op(a, ...)` computed in place: a's register when a
 * dies here and no guest register needs its value any more, else a fresh copy of a. */
X86Reg jit_dest_from(JitCtx *c, IrTemp dst, IrTemp a, uint32_t ip, uint32_t locked)
{
    X86Reg ha = jit_use(c, a, locked);
    if (take_over(c, dst, a, ip))
        return ha;
    X86Reg h = jit_alloc_reg(c, locked | (1u << ha));
    x86_mov_rr(c->cb, h, ha, 64);
    jit_set_temp_reg(c, dst, h);
    return h;
}

X86Reg jit_dest_3op(JitCtx *c, IrTemp dst, IrTemp a, IrTemp b, uint32_t ip, uint32_t locked)
{
    if (a && c->reg_of[a] >= 0) {
        X86Reg ha = (X86Reg)c->reg_of[a];
        if (take_over(c, dst, a, ip))
            return ha;
    }
    if (b && b != a && c->reg_of[b] >= 0) {
        X86Reg hb = (X86Reg)c->reg_of[b];
        if (take_over(c, dst, b, ip))
            return hb;
    }
    return jit_dest_new(c, dst, locked);
}

/* A fresh register for a result that does not start from an operand. */
X86Reg jit_dest_new(JitCtx *c, IrTemp dst, uint32_t locked)
{
    X86Reg h = jit_alloc_reg(c, locked);
    jit_set_temp_reg(c, dst, h);
    return h;
}

uint32_t jit_lock_of(const JitCtx *c, IrTemp a, IrTemp b, IrTemp d)
{
    uint32_t m = 0;
    if (a && c->reg_of[a] >= 0) m |= 1u << c->reg_of[a];
    if (b && c->reg_of[b] >= 0) m |= 1u << c->reg_of[b];
    if (d && c->reg_of[d] >= 0) m |= 1u << c->reg_of[d];
    return m;
}

/* Operations compiled without touching RDX (nor needing it free). */
static bool leaves_rdx(const JitCtx *c, const IrInsn *i)
{
    switch ((IrOp)i->op) {
    case IR_NOP: case IR_CONST: case IR_MOV: case IR_GET_REG: case IR_SET_REG: case IR_GET_FLAG:
    case IR_COND: case IR_ADD: case IR_SUB: case IR_ADC: case IR_SBC: case IR_AND: case IR_OR:
    case IR_XOR: case IR_MUL: case IR_LABEL: case IR_BR: case IR_BRZ: case IR_BRNZ:
    case IR_EXIT_DIRECT:
        return true;
    case IR_INSN_START:
        return !c->insn_may_write; /* else the code-written check */
    default:
        return false;
    }
}

void jit_keep_rdx(JitCtx *c, const IrInsn *i)
{
    if ((c->temp_of[X86_RDX] == 0 && c->guest_of[X86_RDX] < 0) || leaves_rdx(c, i))
        return;
    /* Move whatever RDX holds (a temporary, a guest register or both) elsewhere. */
    X86Reg h = jit_alloc_reg(c, 0);
    x86_mov_rr(c->cb, h, X86_RDX, 64);
    IrTemp t = c->temp_of[X86_RDX];
    if (t) {
        c->temp_of[X86_RDX] = 0;
        jit_set_temp_reg(c, t, h);
    }
    int g = c->guest_of[X86_RDX];
    if (g >= 0) {
        c->guest_of[h] = (int8_t)g;
        c->host_of_guest[g] = (int8_t)h;
        c->dirty[h] = c->dirty[X86_RDX];
        c->guest_of[X86_RDX] = -1;
        c->dirty[X86_RDX] = false;
    }
}

/* ---- guest registers ---- */

bool jit_in_guest_mem(const JitCtx *c, IrTemp t, X86Mem *m)
{
    if (!t || c->mem_of[t] < 0) /* jit_use clears mem_of when it loads the value */
        return false;
    *m = jit_guest_reg_mem((unsigned)c->mem_of[t]);
    return true;
}

/* Whether GET_REG of guest register g (not cached) into dst may leave the value where it
 * is, in the register's memory: dst has one use, by an operation that can take an
 * operand from memory (ALU, CMP, IMUL), and nothing before it can change that memory
 * (a SET_REG of g: only a dirty g is ever stored) or needs registers settled. */
static bool read_in_place(const JitCtx *c, IrTemp dst, unsigned g)
{
    uint32_t u = c->last_use[dst];
    if (g == 15 || u <= c->ip)
        return false;
    for (uint32_t ip = c->ip + 1; ip < u; ip++) {
        const IrInsn *i = &c->b->insns[ip];
        if (i->a == dst || i->b == dst || i->c == dst || ir_sees_registers((IrOp)i->op) ||
            (i->op == IR_SET_REG && (i->imm & 15) == g))
            return false;
    }
    const IrInsn *i = &c->b->insns[u];
    if (i->type != IR_I32 || i->a == i->b || i->c == dst)
        return false;
    switch ((IrOp)i->op) {
    case IR_ADD: case IR_SUB: case IR_ADC: case IR_SBC: case IR_AND: case IR_OR: case IR_XOR:
    case IR_MUL:
        return true;
    default:
        return false;
    }
}

void jit_get_reg(JitCtx *c, IrTemp dst, unsigned g)
{
    int h = c->host_of_guest[g];
    if (h < 0 && read_in_place(c, dst, g)) {
        c->mem_of[dst] = (int8_t)g;
        return;
    }
    if (h >= 0 && c->temp_of[h] == 0) {
        jit_set_temp_reg(c, dst, (X86Reg)h);
        return;
    }
    if (h >= 0) {
        /* The register already holds another temporary: copy. */
        X86Reg n = jit_alloc_reg(c, 1u << h);
        x86_mov_rr(c->cb, n, (X86Reg)h, 32);
        jit_set_temp_reg(c, dst, n);
        return;
    }
    X86Reg n = jit_alloc_reg(c, 0);
    x86_mov_rm(c->cb, n, jit_guest_reg_mem(g), 32);
    jit_set_temp_reg(c, dst, n);
    c->guest_of[n] = (int8_t)g;
    c->host_of_guest[g] = (int8_t)n;
    c->dirty[n] = false;
}

void jit_set_reg(JitCtx *c, unsigned g, IrTemp t)
{
    if (c->is_const[t] && c->reg_of[t] < 0) {
        if (c->host_of_guest[g] >= 0)
            unbind_guest(c, (X86Reg)c->host_of_guest[g]);
        x86_mov_mi(c->cb, jit_guest_reg_mem(g), (int32_t)(uint32_t)c->const_val[t], 32);
        return;
    }
    X86Reg h = jit_use(c, t, 0);
    /* Only now: jit_use may have evicted g's old register to make room. */
    int old = c->host_of_guest[g];
    if (old == (int)h) {
        c->dirty[h] = true;
        return;
    }
    if (old >= 0)
        unbind_guest(c, (X86Reg)old);
    if (c->guest_of[h] >= 0) {
        /* h caches another guest register: g gets a copy. */
        X86Reg n = jit_alloc_reg(c, 1u << h);
        x86_mov_rr(c->cb, n, h, 32);
        h = n;
    }
    c->guest_of[h] = (int8_t)g;
    c->host_of_guest[g] = (int8_t)h;
    c->dirty[h] = true;
}

/* ---- calls ---- */

/* Prepare for a call: dirty guest registers written back; temporaries live after the
 * call moved out of caller-saved registers; caller-saved guest bindings dropped (all of
 * them if the callee may write guest registers). */
void jit_before_call(JitCtx *c, uint32_t ip, bool writes_regs)
{
    jit_write_back_all(c);
    /* The exact instruction count for helpers that read the time (the generic timer
     * with -icount): cpu->budget as if the block had been charged only up to and
     * including this instruction (see arm_cpu_insns_now). */
    x86_lea(c->cb, X86_RAX, x86_mem(JIT_BUDGET_REG, (int32_t)jit_rest(c)), 64);
    x86_mov_mr(c->cb, jit_cpu_field(offsetof(ArmCpu, budget)), X86_RAX, 64);
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        if (caller_saved(h) || writes_regs)
            unbind_guest(c, h);
        IrTemp t = c->temp_of[h];
        if (t && caller_saved(h) && c->last_use[t] > ip) {
            spill_temp(c, t);
        }
    }
}

/* Load the arguments (cpu, a, b, c) and call fn; afterwards the caller-saved registers
 * are free. Operand temps are read before their registers are overwritten: RDX and RCX
 * are never allocated, RSI is loaded before RDI. */
void jit_emit_call(JitCtx *c, const void *fn, IrTemp a, IrTemp b, IrTemp cc, uint64_t ia, bool a_imm)
{
    c->edx_valid = false;
    CodeBuffer *cb = c->cb;
    const IrTemp args[2] = { b, cc };
    const X86Reg arg_regs[2] = { X86_RDX, X86_RCX };
    for (int k = 0; k < 2; k++) {
        IrTemp t = args[k];
        if (!t)
            continue;
        if (c->reg_of[t] >= 0)
            x86_mov_rr(cb, arg_regs[k], (X86Reg)c->reg_of[t], 64);
        else if (c->is_const[t])
            x86_mov_ri(cb, arg_regs[k], c->const_val[t]);
        else if (c->slot_of[t] >= 0)
            x86_mov_rm(cb, arg_regs[k], slot_mem(c->slot_of[t]), 64);
    }
    if (a_imm) {
        x86_mov_ri(cb, X86_RSI, ia);
    } else if (a) {
        if (c->reg_of[a] >= 0)
            x86_mov_rr(cb, X86_RSI, (X86Reg)c->reg_of[a], 64);
        else if (c->is_const[a])
            x86_mov_ri(cb, X86_RSI, c->const_val[a]);
        else if (c->slot_of[a] >= 0)
            x86_mov_rm(cb, X86_RSI, slot_mem(c->slot_of[a]), 64);
    }
    x86_mov_rr(cb, X86_RDI, X86_RBP, 64);
    x86_call_abs(cb, fn, X86_RAX);
    /* Caller-saved registers are clobbered: forget what they held. Temporaries that live
     * on were spilled by jit_before_call. */
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        if (!caller_saved(h))
            continue;
        IrTemp t = c->temp_of[h];
        if (t) {
            c->reg_of[t] = -1;
            c->temp_of[h] = 0;
        }
        c->guest_of[h] = -1;
        c->dirty[h] = false;
    }
    for (unsigned g = 0; g < 16; g++)
        if (c->host_of_guest[g] >= 0 && caller_saved((X86Reg)c->host_of_guest[g]))
            c->host_of_guest[g] = -1;
}

void jit_drop_all_guest(JitCtx *c)
{
    for (unsigned k = 0; k < N_ALLOC; k++)
        unbind_guest(c, alloc_order[k]);
}

void jit_bind_guest(JitCtx *c, unsigned g, X86Reg h, bool dirty)
{
    x86_mov_rm(c->cb, h, jit_guest_reg_mem(g), 32);
    c->guest_of[h] = (int8_t)g;
    c->host_of_guest[g] = (int8_t)h;
    c->dirty[h] = dirty;
}

void jit_emit_to_pinned(JitCtx *c, JitDirty *deferred)
{
    /* Stores first (every dirty guest register not already where the top wants it,
     * nor on its way there by a move), then moves of pinned registers held elsewhere
     * into their places, then loads of those held nowhere: a move or a load can then
     * clobber nothing unsaved. Registers dead at the top in host registers no pinned
     * one wants are not stored but listed in `deferred`. */
    uint32_t pin_regs = 0;
    for (unsigned g = 0; g < 16; g++)
        if ((c->pinned >> g) & 1)
            pin_regs |= 1u << c->pin_host[g];
    deferred->n = 0;
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        int g = c->guest_of[h];
        if (g < 0 || !c->dirty[h])
            continue;
        /* where the top wants it, or moved there below (the top has it dirty) */
        if ((c->pinned >> g) & 1 && (c->pin_dirty >> g) & 1)
            continue;
        if ((c->dead_at_top >> g) & 1 && !((pin_regs >> h) & 1)) {
            deferred->guest[deferred->n] = (uint8_t)g;
            deferred->host[deferred->n] = h;
            deferred->n++;
            continue;
        }
        x86_mov_mr(c->cb, jit_guest_reg_mem((unsigned)g), h, 32);
    }
    X86Reg dst[16], src[16];
    unsigned n = 0;
    for (unsigned g = 0; g < 16; g++)
        if ((c->pinned >> g) & 1 && c->host_of_guest[g] >= 0 &&
            c->host_of_guest[g] != c->pin_host[g]) {
            dst[n] = (X86Reg)c->pin_host[g];
            src[n] = (X86Reg)c->host_of_guest[g];
            n++;
        }
    x86_mov_parallel(c->cb, dst, src, n, X86_RAX, 32);
    for (unsigned g = 0; g < 16; g++)
        if ((c->pinned >> g) & 1 && c->host_of_guest[g] < 0)
            x86_mov_rm(c->cb, (X86Reg)c->pin_host[g], jit_guest_reg_mem(g), 32);
}

/* At a branch or label of conditional code: the two paths must agree on where things
 * are, so nothing stays cached: guest registers in memory, live temporaries in slots. */
void jit_sync_point(JitCtx *c, uint32_t ip, bool at_label)
{
    jit_write_back_all(c);
    jit_drop_all_guest(c);
    for (unsigned k = 0; k < N_ALLOC; k++) {
        X86Reg h = alloc_order[k];
        IrTemp t = c->temp_of[h];
        if (!t)
            continue;
        if (c->last_use[t] > ip || (at_label && c->last_use[t] >= ip)) {
            spill_temp(c, t);
            if (at_label) {
                c->reg_of[t] = -1;
                c->temp_of[h] = 0;
            }
        }
    }
}

/* ---- exits ---- */

uint32_t jit_rest(const JitCtx *c)
{
    return c->charged - c->insn_index - 1;
}

/* LEA, not ADD: the guest flags may still be in EFLAGS. */
void jit_give_back(JitCtx *c, uint32_t n)
{
    if (n)
        x86_lea(c->cb, JIT_BUDGET_REG, x86_mem(JIT_BUDGET_REG, (int32_t)n), 64);
}

JitExit *jit_new_exit(JitCtx *c, JitExitKind kind, uint32_t pc, uint32_t uncount)
{
    if (c->n_exits == c->cap_exits) {
        unsigned cap = c->cap_exits ? 2 * c->cap_exits : 8;
        JitExit *p = realloc(c->exits, cap * sizeof(*p));
        if (!p)
            abort();
        c->exits = p;
        c->cap_exits = cap;
    }
    JitExit *e = &c->exits[c->n_exits++];
    memset(e, 0, sizeof(*e));
    e->kind = kind;
    e->pc = pc;
    e->uncount = uncount;
    return e;
}

/* Leave translated code with exit record number `idx` (its address is only known once
 * the block is done, so it is patched in afterwards). */
void jit_emit_leave(JitCtx *c, unsigned idx)
{
    /* movabs rax, <record>: 10 bytes, the immediate at offset 2. */
    uint8_t *at = code_buffer_ptr(c->cb);
    x86_mov_ri(c->cb, X86_RAX, 0x1122334455667788ull); /* forces the movabs form */
    if (c->n_fixups < JIT_MAX_FIXUPS) {
        c->fixups[c->n_fixups].at = at + 2;
        c->fixups[c->n_fixups].exit = idx;
        c->n_fixups++;
    } else {
        c->failed = true;
    }
    x86_jmp(c->cb, c->jit->epilogue);
}
