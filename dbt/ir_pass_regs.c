/*
 * IR passes over guest register values (run by tb_cache.c after ir_pass_dead_flags):
 *
 *  - reads: a second GET_REG of a register inside one guest instruction, with no write
 *    of it in between, reuses the first read's temporary (`smull r0, r1, r3, r3` squares
 *    one value; the backend then needs one host register, not a copy);
 *  - remainders: `udiv q, n, d` followed by `mls r, q, d, n` (the only way ARMv7 code
 *    computes n % d) becomes one IR_UREM: x86 DIV gives the remainder with the quotient.
 *    Register values are followed across instructions by value numbering;
 *  - funnel shifts: `(x >> n) | (y << (32 - n))` (the low word of a 64-bit shift right,
 *    `lsr r8, r8, #27; orr r8, r8, r7, lsl #5`) becomes one IR_FSHR: x86 SHRD;
 *  - flag copies: `set_flag f, (get_flag f)` with f unchanged in between (an instruction
 *    that keeps the carry, such as TST with an immediate) is dropped;
 *  - dead register writes: a SET_REG overwritten by a later one with nothing in between
 *    that could see the register (an exit, a branch or label, a memory access or call,
 *    which may fault and must see precise state) is dropped;
 *  - dead code: pure operations whose result nobody uses become NOPs.
 *
 * Branches go forward only. Values are forgotten at a label, except at the label right
 * after a conditional exit (`brz c, L; exit; L:`), which only that one branch reaches.
 */
#include "dbt/dbt.h"

#include <stdlib.h>
#include <string.h>

static void make_nop(IrInsn *i)
{
    memset(i, 0, sizeof(*i));
    i->op = IR_NOP;
}

static bool ends_path(IrOp op)
{
    return op == IR_EXIT_DIRECT || op == IR_EXIT_INDIRECT || op == IR_EXIT_SYNC ||
           op == IR_RAISE || op == IR_BR;
}

typedef struct RegState {
    IrTemp temp[16];  /* a temporary that holds the register's value now, or 0 */
    IrTemp vn[16];    /* its value number */
    IrTemp flag[5];   /* a GET_FLAG of N, Z, C, V, Q whose flag is unchanged since */
} RegState;

/* The flags instruction i writes. */
static unsigned flags_written(const IrInsn *i)
{
    switch ((IrOp)i->op) {
    case IR_SET_FLAG:
        return (unsigned)i->imm;
    case IR_CALL:
        return i->fl & IR_CALL_WRITES_FLAGS ? ~0u : 0;
    case IR_LABEL:
        return 0;
    default:
        return i->fl;
    }
}

/* The temporaries of `udiv q, n, d` and `mul m, x, y`: rewrite `sub r, n, m` as
 * `urem r, n, d` when {x, y} are q and d, by value. */
static void fuse_remainder(IrBlock *b, IrInsn *sub, const uint32_t *def, const IrTemp *vn)
{
    if (sub->type != IR_I32 || !def[sub->b])
        return;
    const IrInsn *mul = &b->insns[def[sub->b] - 1];
    if (mul->op != IR_MUL)
        return;
    for (int k = 0; k < 2; k++) {
        IrTemp q = k ? mul->b : mul->a, d = k ? mul->a : mul->b;
        if (!def[vn[q]])
            continue;
        const IrInsn *div = &b->insns[def[vn[q]] - 1];
        if (div->op == IR_UDIV && vn[div->a] == vn[sub->a] && vn[div->b] == vn[d]) {
            sub->op = IR_UREM;
            sub->b = d;
            return;
        }
    }
}

/* The instruction that computes value v (by value number), or NULL. */
static const IrInsn *def_of(const IrBlock *b, const uint32_t *def, const IrTemp *vn, IrTemp v)
{
    return def[vn[v]] ? &b->insns[def[vn[v]] - 1] : NULL;
}

/* The constant an operand holds, if it is one. */
static bool const_of(const IrBlock *b, const uint32_t *def, IrTemp t, uint32_t *k)
{
    if (!def[t] || b->insns[def[t] - 1].op != IR_CONST)
        return false;
    *k = (uint32_t)b->insns[def[t] - 1].imm;
    return true;
}

/* `or r, p, q` with p = x >> n and q = y << (32 - n) (either way round, by value):
 * rewrite as `fshr r, x, y, n`. (If the shifted value must also stay in a guest register,
 * the shift stays too: measured on fractal, SHRD still wins.) */
static void fuse_funnel(IrBlock *b, IrInsn *or, const uint32_t *def, const IrTemp *vn)
{
    if (or->type != IR_I32)
        return;
    for (int k = 0; k < 2; k++) {
        const IrInsn *lsr = def_of(b, def, vn, k ? or->b : or->a);
        const IrInsn *lsl = def_of(b, def, vn, k ? or->a : or->b);
        uint32_t n, m;
        if (!lsr || !lsl || lsr->op != IR_LSR || lsl->op != IR_LSL ||
            !const_of(b, def, lsr->b, &n) || !const_of(b, def, lsl->b, &m) ||
            n == 0 || n >= 32 || m != 32 - n)
            continue;
        or->op = IR_FSHR;
        or->a = lsr->a;
        or->b = lsl->a;
        or->c = lsr->b;
        return;
    }
}

/* Scratch arrays of the passes, per temporary and per label, in one allocation. */
typedef struct Scratch {
    void *mem;
    IrTemp *rename, *vn;
    uint32_t *def;  /* defining instruction + 1 */
    bool *used;
    uint32_t *branches;
    RegState *at_branch;
} Scratch;

static bool scratch_alloc(Scratch *s, uint32_t nt, uint32_t nl)
{
    size_t per_temp = 2 * sizeof(IrTemp) + sizeof(uint32_t) + sizeof(bool);
    size_t per_label = sizeof(uint32_t) + sizeof(RegState);
    /* By alignment: the 4-byte arrays, then the 2-byte ones (RegState is IrTemps), then
     * the bytes. */
    _Static_assert(_Alignof(RegState) <= sizeof(IrTemp), "RegState holds IrTemps only");
    s->mem = calloc(1, nl * per_label + nt * per_temp);
    if (!s->mem)
        return false;
    char *p = s->mem;
    s->branches = (uint32_t *)p, p += nl * sizeof(uint32_t);
    s->def = (uint32_t *)p, p += nt * sizeof(uint32_t);
    s->at_branch = (RegState *)p, p += nl * sizeof(RegState);
    s->rename = (IrTemp *)p, p += nt * sizeof(IrTemp);
    s->vn = (IrTemp *)p, p += nt * sizeof(IrTemp);
    s->used = (bool *)p;
    return true;
}

static void forward_pass(IrBlock *b, const Scratch *sc)
{
    uint32_t nt = b->n_temps ? b->n_temps : 1, nl = b->n_labels ? b->n_labels : 1;
    IrTemp *rename = sc->rename, *vn = sc->vn;
    uint32_t *def = sc->def, *branches = sc->branches;
    RegState *at_branch = sc->at_branch;
    for (uint32_t k = 0; k < b->n; k++) {
        const IrInsn *i = &b->insns[k];
        if ((i->op == IR_BR || i->op == IR_BRZ || i->op == IR_BRNZ) && i->imm < nl)
            branches[i->imm]++;
    }
    RegState s;
    memset(&s, 0, sizeof(s));
    uint32_t insn_start = 0; /* index of the current guest instruction's INSN_START */
    for (uint32_t k = 0; k < b->n; k++) {
        IrInsn *i = &b->insns[k];
        if (i->a && i->a < nt && rename[i->a]) i->a = rename[i->a];
        if (i->b && i->b < nt && rename[i->b]) i->b = rename[i->b];
        if (i->c && i->c < nt && rename[i->c]) i->c = rename[i->c];
        if (i->dst && i->dst < nt) {
            def[i->dst] = k + 1;
            vn[i->dst] = i->dst;
        }
        unsigned g = (unsigned)i->imm & 15;
        if (i->op == IR_SET_FLAG && __builtin_popcount((unsigned)i->imm) == 1 &&
            i->a == s.flag[__builtin_ctz((unsigned)i->imm)]) {
            make_nop(i); /* the flag keeps its value */
            continue;
        }
        unsigned fw = flags_written(i);
        for (unsigned f = 0; f < 5; f++)
            if ((fw >> f) & 1)
                s.flag[f] = 0;
        switch ((IrOp)i->op) {
        case IR_INSN_START:
            insn_start = k;
            break;
        case IR_GET_FLAG:
            if (__builtin_popcount((unsigned)i->imm) == 1)
                s.flag[__builtin_ctz((unsigned)i->imm)] = i->dst;
            break;
        case IR_GET_REG:
            if (s.temp[g] && def[s.temp[g]] > insn_start) {
                rename[i->dst] = s.temp[g];
                make_nop(i);
            } else if (s.vn[g]) {
                vn[i->dst] = s.vn[g];
                s.temp[g] = i->dst;
            } else {
                s.temp[g] = i->dst;
                s.vn[g] = i->dst;
            }
            break;
        case IR_SET_REG:
            s.temp[g] = i->a;
            s.vn[g] = i->a < nt ? vn[i->a] : 0;
            break;
        case IR_MOV:
            vn[i->dst] = vn[i->a];
            break;
        case IR_SUB:
            if (!i->fl)
                fuse_remainder(b, i, def, vn);
            break;
        case IR_OR:
            if (!i->fl)
                fuse_funnel(b, i, def, vn);
            break;
        case IR_CALL:
            if (i->fl & IR_CALL_WRITES_REGS)
                memset(&s, 0, sizeof(s));
            break;
        case IR_BRZ:
        case IR_BRNZ:
            if (i->imm < nl)
                at_branch[i->imm] = s;
            break;
        case IR_LABEL: {
            bool only_branch = k > 0 && ends_path((IrOp)b->insns[k - 1].op) && i->imm < nl &&
                               branches[i->imm] == 1 && k >= 2 &&
                               (b->insns[k - 2].op == IR_BRZ || b->insns[k - 2].op == IR_BRNZ) &&
                               b->insns[k - 2].imm == i->imm;
            if (only_branch)
                s = at_branch[i->imm];
            else
                memset(&s, 0, sizeof(s));
            break;
        }
        default:
            break;
        }
    }
}

/* Backward: drop SET_REGs a later SET_REG of the same register overwrites unseen, and
 * pure operations nobody uses. */
static void backward_pass(IrBlock *b, const Scratch *sc)
{
    uint32_t nt = b->n_temps ? b->n_temps : 1;
    bool *used = sc->used;
    uint16_t overwritten = 0; /* registers written later with nothing seeing them between */
    for (uint32_t k = b->n; k-- > 0;) {
        IrInsn *i = &b->insns[k];
        if (ir_is_pure(i) && i->dst && i->dst < nt && !used[i->dst]) {
            make_nop(i); /* a dead read does not see its register either */
            continue;
        }
        unsigned g = (unsigned)i->imm & 15;
        if (i->op == IR_SET_REG) {
            if ((overwritten >> g) & 1) {
                make_nop(i);
                continue;
            }
            overwritten |= (uint16_t)(1u << g);
        } else if (i->op == IR_GET_REG) {
            overwritten &= (uint16_t)~(1u << g);
        } else if (ir_sees_registers((IrOp)i->op)) {
            overwritten = 0; /* the state must be precise here */
        }
        if (i->a && i->a < nt) used[i->a] = true;
        if (i->b && i->b < nt) used[i->b] = true;
        if (i->c && i->c < nt) used[i->c] = true;
    }
}

void ir_pass_registers(IrBlock *b)
{
    Scratch sc;
    /* An optimisation: skipping it when out of memory is always correct. */
    if (!scratch_alloc(&sc, b->n_temps ? b->n_temps : 1, b->n_labels ? b->n_labels : 1))
        return;
    forward_pass(b, &sc);
    backward_pass(b, &sc);
    free(sc.mem);
}
