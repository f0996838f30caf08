/*
 * Guest flags kept in the host's EFLAGS between the instruction that computes them and
 * the one that reads them (ARM ARM A2.2.1: the x86 flags of ADD/SUB/ADC/SBB/AND/OR/XOR
 * are the ARM N, Z, C, V, with C inverted after a subtraction).
 *
 * c->lazy_fl is the set of guest flags whose value is only in EFLAGS; c->lazy_borrow
 * says the x86 carry is a borrow. They are stored to the ArmCpu flag bytes (SETcc, which
 * leaves EFLAGS alone) before anything that would clobber EFLAGS or needs the flags in
 * memory: every IR operation not known to compile to MOVs only, exits, calls and memory
 * accesses (jit_flags_before). A conditional branch reads EFLAGS directly when all the
 * flags its condition needs are lazy.
 *
 * Branches inside a block go forward to labels. The state can differ between the edges
 * into a label; jit_flags_label settles it: the state of the fall-through edge wins
 * (typically a conditional instruction that computed flags) and every branch that
 * arrives differently goes through a small stub, out of line after the block, that
 * stores its lazy flags and loads EFLAGS from the flag bytes. The stubs run only when a
 * condition failed.
 *
 * Flags an ADD/SUB/CMP/CMN of guest registers (or a register and a constant) computed
 * need not be stored when EFLAGS is about to be clobbered by instructions that neither
 * read flags nor may leave the block nor change those registers (shifts, ORs, adds...):
 * they are left "for recomputation" (c->remat_fl) and recomputed from the registers,
 * usually by a single CMP, where something needs them (jit_flags_remat); not at all if
 * they are overwritten first. Compilers put a compare well before its branch.
 */
#include "backend-x86_64/jit_internal.h"

#include <stddef.h>

#define F(field) jit_cpu_field(offsetof(ArmCpu, field))

void jit_flags_store(CodeBuffer *cb, unsigned fl, bool borrow)
{
    if (fl & IR_FLAG_N)
        x86_setcc_m(cb, X86_CC_S, F(nf));
    if (fl & IR_FLAG_Z)
        x86_setcc_m(cb, X86_CC_Z, F(zf));
    if (fl & IR_FLAG_C)
        x86_setcc_m(cb, borrow ? X86_CC_NC : X86_CC_C, F(cf));
    if (fl & IR_FLAG_V)
        x86_setcc_m(cb, X86_CC_O, F(vf));
}

/* EFLAGS from the flag bytes (SF, ZF, CF, OF; CF inverted for a borrow), by POPFQ. */
void jit_flags_load_eflags(CodeBuffer *cb, bool borrow)
{
    static const struct { size_t off; unsigned bit; } part[4] = {
        { offsetof(ArmCpu, nf), 7 }, { offsetof(ArmCpu, zf), 6 },
        { offsetof(ArmCpu, cf), 0 }, { offsetof(ArmCpu, vf), 11 },
    };
    x86_mov_ri(cb, X86_RAX, 2); /* bit 1 of RFLAGS is always set */
    for (unsigned k = 0; k < 4; k++) {
        x86_movzx_rm(cb, X86_RCX, jit_cpu_field(part[k].off), 8, 32);
        if (part[k].bit == 0 && borrow)
            x86_alu_ri(cb, X86_ALU_XOR, X86_RCX, 1, 32);
        if (part[k].bit)
            x86_shift_ri(cb, X86_SH_SHL, X86_RCX, part[k].bit, 32);
        x86_alu_rr(cb, X86_ALU_OR, X86_RAX, X86_RCX, 32);
    }
    x86_push_r(cb, X86_RAX);
    x86_popfq(cb);
}

void jit_flags_flush(JitCtx *c)
{
    if (c->lazy_fl)
        jit_flags_store(c->cb, c->lazy_fl, c->lazy_borrow);
    c->lazy_fl = 0;
}

void jit_flags_emit_exits(JitCtx *c)
{
    for (unsigned k = 0; k < c->n_flag_exits; k++) {
        JitFlagExit *fe = &c->flag_exits[k];
        x86_label_bind(c->cb, &fe->label);
        jit_flags_store(c->cb, fe->fl, fe->borrow);
        jit_emit_dirty(c, &fe->dirty);
        jit_give_back(c, fe->give_back);
        c->exits[fe->exit].jmp_site = x86_jmp_rel32_patchable(c->cb, code_buffer_ptr(c->cb));
    }
}

bool jit_flags_label_has_edges(const JitCtx *c, unsigned label)
{
    if (c->label_plain_edges[label])
        return true;
    for (unsigned k = 0; k < c->n_edges; k++)
        if (!c->edges[k].done && c->edges[k].label == label)
            return true;
    return false;
}

void jit_flags_set(JitCtx *c, unsigned fl, bool borrow)
{
    c->lazy_fl = fl & (IR_FLAG_N | IR_FLAG_Z | IR_FLAG_C | IR_FLAG_V);
    c->lazy_borrow = borrow;
}

bool jit_flags_cc(const JitCtx *c, unsigned cc, X86Cond *when_true)
{
    static const unsigned need[7] = {
        IR_FLAG_Z, IR_FLAG_C, IR_FLAG_N, IR_FLAG_V, IR_FLAG_C | IR_FLAG_Z,
        IR_FLAG_N | IR_FLAG_V, IR_FLAG_Z | IR_FLAG_N | IR_FLAG_V,
    };
    unsigned k = (cc & 15) >> 1;
    if (k >= 7 || (c->lazy_fl & need[k]) != need[k])
        return false;
    X86Cond t;
    switch (k) {
    case 0: t = X86_CC_E; break;                           /* EQ */
    case 1: t = c->lazy_borrow ? X86_CC_NC : X86_CC_C; break; /* CS */
    case 2: t = X86_CC_S; break;                           /* MI */
    case 3: t = X86_CC_O; break;                           /* VS */
    case 4:                                                /* HI: C && !Z */
        if (!c->lazy_borrow)
            return false;
        t = X86_CC_A;
        break;
    case 5: t = X86_CC_GE; break;                          /* GE: N == V */
    default: t = X86_CC_G; break;                          /* GT: !Z && N == V */
    }
    *when_true = (cc & 1) ? x86_cc_invert(t) : t;
    return true;
}

bool jit_lazy_carry(const JitCtx *c, const IrInsn *i)
{
    if (i->op != IR_GET_FLAG || i->imm != IR_FLAG_C || !(c->lazy_fl & IR_FLAG_C) || !i->dst)
        return false;
    const IrInsn *end = c->b->insns + c->b->n;
    for (const IrInsn *j = i + 1; j < end; j++) {
        switch ((IrOp)j->op) {
        case IR_NOP: case IR_CONST: case IR_GET_REG:
            if (j->a == i->dst || j->b == i->dst)
                return false;
            continue;
        case IR_ADC: case IR_SBC:
            /* the carry-in only, and its last use */
            return j->c == i->dst && j->a != i->dst && j->b != i->dst &&
                   c->last_use[i->dst] == (uint32_t)(j - c->b->insns);
        default:
            return false;
        }
    }
    return false;
}

/* Operations whose code is MOVs only (register allocation included), so that lazy
 * flags survive them. */
static bool keeps_eflags(const JitCtx *c, const IrInsn *i)
{
    switch ((IrOp)i->op) {
    case IR_GET_FLAG:
        return jit_lazy_carry(c, i);
    case IR_NOP: case IR_CONST: case IR_MOV: case IR_GET_REG: case IR_SET_REG: case IR_LABEL:
        return true;
    case IR_INSN_START:
        return !c->insn_may_write; /* else the code-written check compares */
    case IR_ADD: case IR_SUB: case IR_ADC: case IR_SBC: case IR_AND: case IR_OR: case IR_XOR:
        /* They compute new flags: fine if they overwrite every flag still lazy. */
        if (jit_is_lea(c, i))
            return true;
        return i->fl && (c->lazy_fl & ~(unsigned)i->fl) == 0;
    case IR_LOAD: case IR_STORE:
        return jit_mem_keeps_eflags(c, i);
    default:
        return false;
    }
}

/* Lazy flags nobody reads any more (not live at instruction ip) need not be stored. */
static void drop_dead(JitCtx *c, uint32_t ip)
{
    c->lazy_fl &= c->live_in[ip];
    if (!(c->lazy_fl & IR_FLAG_C))
        c->lazy_borrow = false;
    c->remat_fl &= c->live_in[ip];
}

/* An operand of the recomputation: guest register g in its host register (true) or in
 * memory. */
static bool recipe_operand(const int8_t *host_of_guest, int g, X86Reg *reg, X86Mem *mem)
{
    int h = host_of_guest ? host_of_guest[g] : -1;
    if (h >= 0) {
        *reg = (X86Reg)h;
        return true;
    }
    *mem = jit_guest_reg_mem((unsigned)g);
    return false;
}

void jit_flags_recompute(JitCtx *c, const JitFlagRecipe *r, const int8_t *host_of_guest)
{
    CodeBuffer *cb = c->cb;
    bool sub = r->op == IR_SUB;
    X86Reg a;
    X86Mem am;
    bool a_in_reg = recipe_operand(host_of_guest, r->reg, &a, &am);
    if (!a_in_reg && sub && !r->in_place) {
        /* CMP [a], b / imm: no copy needed */
        X86Reg b;
        X86Mem bm;
        if (r->reg_b < 0) {
            x86_alu_mi(cb, X86_ALU_CMP, am, (int32_t)r->imm, 32);
            return;
        }
        if (recipe_operand(host_of_guest, r->reg_b, &b, &bm)) {
            x86_alu_mr(cb, X86_ALU_CMP, am, b, 32);
            return;
        }
    }
    if (!a_in_reg || !sub || r->in_place) {
        /* CMP works on a's register itself; an ADD or an undo needs a scratch copy */
        if (a_in_reg)
            x86_mov_rr(cb, X86_RAX, a, 32);
        else
            x86_mov_rm(cb, X86_RAX, am, 32);
        a = X86_RAX;
    }
    if (r->in_place) /* undo it: the operand it had */
        x86_alu_ri(cb, sub ? X86_ALU_ADD : X86_ALU_SUB, X86_RAX, (int32_t)r->imm, 32);
    X86AluOp op = sub ? X86_ALU_CMP : X86_ALU_ADD;
    if (r->reg_b < 0) {
        x86_alu_ri(cb, op, a, (int32_t)r->imm, 32);
    } else {
        X86Reg b;
        X86Mem bm;
        if (recipe_operand(host_of_guest, r->reg_b, &b, &bm))
            x86_alu_rr(cb, op, a, b, 32);
        else
            x86_alu_rm(cb, op, a, bm, 32);
    }
}

void jit_flags_remat(JitCtx *c)
{
    if (!c->remat_fl)
        return;
    jit_flags_recompute(c, &c->remat, c->host_of_guest);
    c->lazy_fl = c->remat_fl;
    c->lazy_borrow = c->remat.borrow;
    c->remat_fl = 0;
}

/* Operations that leave flags for recomputation alone: they read no flags, cannot
 * leave the block and change neither of the registers the flags are recomputed from;
 * `*overwrites`: they compute all those flags anew. */
static bool remat_survives(const JitCtx *c, const IrInsn *i, unsigned fl, bool *overwrites)
{
    *overwrites = false;
    /* An operation whose result goes to one of those registers next may compute it in
     * that register's host register in place (jit_dest_from): recompute before. */
    const IrInsn *next = c->ip + 1 < c->b->n ? i + 1 : NULL;
    if (next && next->op == IR_SET_REG &&
        ((int)(next->imm & 15) == c->remat.reg || (int)(next->imm & 15) == c->remat.reg_b))
        return false;
    switch ((IrOp)i->op) {
    case IR_NOP: case IR_CONST: case IR_MOV: case IR_GET_REG:
        return true;
    case IR_SET_REG: {
        int g = (int)(i->imm & 15);
        return g != c->remat.reg && g != c->remat.reg_b;
    }
    case IR_INSN_START:
        return !c->insn_may_write;
    case IR_LOAD: case IR_STORE:
        /* The inline access (jit_mem.c): if it faults, its slow path recomputes and
         * stores them. Not the helper call of big-endian data. */
        return !(c->key & CPSR_E);
    case IR_ADC: case IR_SBC:
        /* Its carry-in taken from EFLAGS (jit_lazy_carry), which nothing has touched
         * since: `subs r3, r0, lr; sbc ip, ip, r5` with N, Z, V still to be read. */
        return !i->fl && i->c && i->c == c->lazy_carry;
    case IR_ADD: case IR_SUB: case IR_AND: case IR_OR: case IR_XOR: case IR_ANDN: case IR_NOT:
    case IR_LSL: case IR_LSR: case IR_ASR: case IR_ROR: case IR_FSHR: case IR_MUL: case IR_UMULL:
    case IR_SMULL: case IR_UDIV: case IR_SDIV: case IR_UREM: case IR_ADD64: case IR_SUB64: case IR_PAIR64:
    case IR_LO32: case IR_HI32: case IR_SEXT8: case IR_SEXT16: case IR_ZEXT8: case IR_ZEXT16:
    case IR_CLZ: case IR_BSWAP: case IR_SETEQ: case IR_SETNE: case IR_SETLTU: case IR_SETLTS:
    case IR_SELECT:
        if (!i->fl)
            return true;
        *overwrites = (fl & ~(unsigned)i->fl) == 0;
        return *overwrites;
    default:
        return false;
    }
}

void jit_flags_before(JitCtx *c, const IrInsn *i)
{
    drop_dead(c, c->ip);
    if (c->remat_fl) {
        bool overwrites;
        if (!remat_survives(c, i, c->remat_fl, &overwrites))
            jit_flags_remat(c);
        else if (overwrites)
            c->remat_fl = 0;
    }
    if (c->lazy_fl && !keeps_eflags(c, i)) {
        bool overwrites;
        if (c->recipe.valid && !c->recipe.in_place && (c->lazy_fl & ~c->recipe.fl) == 0 &&
            (!(c->lazy_fl & IR_FLAG_C) || c->recipe.borrow == c->lazy_borrow)) {
            c->remat = c->recipe;
            if (remat_survives(c, i, c->lazy_fl, &overwrites)) {
                /* No code now: recomputed where needed, or never (overwrites). */
                c->remat_fl = overwrites ? 0 : c->lazy_fl;
                c->lazy_fl = 0;
                return;
            }
        }
        jit_flags_flush(c);
    }
}

void jit_flags_jump(JitCtx *c, unsigned label, bool conditional, X86Cond cc)
{
    X86Label *to = &c->labels[label];
    if (c->lazy_fl && c->n_edges < JIT_MAX_EDGES) {
        JitEdge *e = &c->edges[c->n_edges++];
        x86_label_init(&e->stub);
        e->label = (uint8_t)label;
        e->fl = (uint8_t)c->lazy_fl;
        e->borrow = c->lazy_borrow;
        e->done = false;
        to = &e->stub;
    } else if (c->lazy_fl) {
        jit_flags_flush(c); /* too many edges: give up keeping them lazy */
    }
    if (!c->lazy_fl)
        c->label_plain_edges[label]++;
    if (conditional)
        x86_jcc_label(c->cb, cc, to);
    else
        x86_jmp_label(c->cb, to);
}

static void add_stub(JitCtx *c, X86Label *from, unsigned store_fl, bool store_borrow,
                     unsigned load_fl, bool load_borrow, X86Label *join)
{
    if (c->n_flag_stubs == JIT_MAX_FLAG_STUBS) {
        c->failed = true; /* the block is too complicated: interpret it */
        return;
    }
    c->flag_stubs[c->n_flag_stubs++] = (JitFlagStub){ from, join, (uint8_t)store_fl,
                                                      store_borrow, (uint8_t)load_fl,
                                                      load_borrow };
}

bool jit_flags_label(JitCtx *c, unsigned label)
{
    /* Only the flags live here matter: the branches' other lazy flags are dropped. */
    unsigned live = c->live_in[c->ip];
    for (unsigned k = 0; k < c->n_edges; k++) {
        JitEdge *e = &c->edges[k];
        if (!e->done && e->label == label) {
            e->fl &= (uint8_t)live;
            if (!(e->fl & IR_FLAG_C))
                e->borrow = false;
        }
    }
    drop_dead(c, c->ip);
    /* The state at the label: the fall-through's, else the first branch's. */
    bool have = !c->unreachable;
    unsigned s_fl = have ? c->lazy_fl : 0;
    bool s_borrow = have ? c->lazy_borrow : false;
    if (!have && c->label_plain_edges[label])
        have = true; /* s_fl = 0 */
    for (unsigned k = 0; k < c->n_edges && !have; k++) {
        JitEdge *e = &c->edges[k];
        if (!e->done && e->label == label) {
            s_fl = e->fl;
            s_borrow = e->borrow;
            have = true;
        }
    }
    /* Branches that arrive in another state go through a stub placed after the block
     * (jit_flags_emit_stubs), which stores their flags and loads EFLAGS from the flag
     * bytes, then jumps back here; the fall-through pays nothing. */
    X86Label *join = &c->label_join[label];
    x86_label_init(join);
    bool stubs = false;
    for (unsigned k = 0; k < c->n_edges; k++) {
        JitEdge *e = &c->edges[k];
        if (e->done || e->label != label || (e->fl == s_fl && e->borrow == s_borrow))
            continue;
        add_stub(c, &e->stub, e->fl, e->borrow, s_fl, s_borrow, join);
        e->done = true;
        stubs = true;
    }
    bool bind_label = true;
    if (s_fl && c->label_plain_edges[label]) {
        /* Branches with their flags in memory jump to c->labels[label]: that becomes
         * the stub that loads EFLAGS. */
        add_stub(c, &c->labels[label], 0, false, s_fl, s_borrow, join);
        stubs = true;
        bind_label = false;
    }
    if (stubs)
        x86_label_bind(c->cb, join);
    for (unsigned k = 0; k < c->n_edges; k++) {
        JitEdge *e = &c->edges[k];
        if (e->done || e->label != label)
            continue;
        x86_label_bind(c->cb, &e->stub);
        e->done = true;
    }
    c->lazy_fl = s_fl;
    c->lazy_borrow = s_borrow;
    c->unreachable = false;
    return bind_label;
}

void jit_flags_emit_stubs(JitCtx *c)
{
    for (unsigned k = 0; k < c->n_flag_stubs; k++) {
        JitFlagStub *st = &c->flag_stubs[k];
        x86_label_bind(c->cb, st->from);
        if (st->store_fl)
            jit_flags_store(c->cb, st->store_fl, st->store_borrow);
        if (st->load_fl)
            jit_flags_load_eflags(c->cb, st->load_borrow);
        x86_jmp_label(c->cb, st->join);
    }
}
