/*
 * The IR interpreter: the reference semantics of every IR operation.
 *
 * Guest state is updated as the IR says, so at every IR_INSN_START the cpu is exactly at
 * a guest instruction boundary; this is what makes budgets and faults precise here.
 */
#include "dbt/dbt_internal.h"

#include <stdlib.h>

/* ARM ARM A8.3, ConditionPassed(). */
bool dbt_cond_holds(const ArmCpu *cpu, unsigned cc)
{
    bool r;
    switch (cc >> 1) {
    case 0: r = cpu->zf; break;                              /* EQ / NE */
    case 1: r = cpu->cf; break;                              /* CS / CC */
    case 2: r = cpu->nf; break;                              /* MI / PL */
    case 3: r = cpu->vf; break;                              /* VS / VC */
    case 4: r = cpu->cf && !cpu->zf; break;                  /* HI / LS */
    case 5: r = cpu->nf == cpu->vf; break;                   /* GE / LT */
    case 6: r = cpu->nf == cpu->vf && !cpu->zf; break;       /* GT / LE */
    default: return true;                                    /* AL (and 1111) */
    }
    return (cc & 1) ? !r : r;
}

static inline void set_nz(ArmCpu *cpu, unsigned fl, uint32_t r)
{
    if (fl & IR_FLAG_N)
        cpu->nf = r >> 31;
    if (fl & IR_FLAG_Z)
        cpu->zf = r == 0;
}

static inline uint32_t lsl32(uint32_t a, uint32_t n) { return n >= 32 ? 0 : a << n; }
static inline uint32_t lsr32(uint32_t a, uint32_t n) { return n >= 32 ? 0 : a >> n; }
static inline uint32_t asr32(uint32_t a, uint32_t n) { return (uint32_t)((int32_t)a >> (n >= 32 ? 31 : n)); }
static inline uint32_t ror32(uint32_t a, uint32_t n)
{
    n &= 31;
    return n ? (a >> n) | (a << (32 - n)) : a;
}

static void grow_temps(Dbt *d, uint32_t n)
{
    if (n <= d->temps_cap)
        return;
    uint64_t *p = realloc(d->temps, n * sizeof(*p));
    if (!p)
        abort();
    d->temps = p;
    d->temps_cap = n;
}

/* A synchronous exception raised by a helper or a memory access in the middle of the
 * instruction at insn_pc. Aborts do not count the instruction (it did not complete). */
static void take_pending(ArmCpu *cpu, uint32_t insn_pc)
{
    ArmException exc = cpu->pending_exc;
    cpu->pending_exc = ARM_EXC_NONE;
    if (exc == ARM_EXC_DATA_ABORT || exc == ARM_EXC_PREFETCH_ABORT)
        cpu->icount--;
    arm_take_exception(cpu, exc, insn_pc);
}

void interp_exec_block(Dbt *d, Tb *tb)
{
    ArmCpu *cpu = d->cpu;
    const IrBlock *b = &tb->ir;
    grow_temps(d, b->n_temps > 1 ? b->n_temps : 1);
    uint64_t *t = d->temps;
    t[0] = 0; /* "no temporary" reads as zero */
    uint32_t insn_pc = tb->pc;
    tb->exec_count++;
    d->stats.blocks_executed++;

    for (uint32_t ip = 0; ip < b->n; ip++) {
        const IrInsn *i = &b->insns[ip];
        uint32_t a = (uint32_t)t[i->a], x = (uint32_t)t[i->b], y = (uint32_t)t[i->c];
        uint32_t r;
        switch ((IrOp)i->op) {
        case IR_NOP:
        case IR_LABEL:
            break;
        case IR_INSN_START:
            if (cpu->code_written) {
                /* The previous instruction rewrote translated code (maybe this very
                 * block): continue through the loop, which translates afresh. */
                cpu->r[15] = (uint32_t)i->imm;
                return;
            }
            insn_pc = (uint32_t)i->imm;
            cpu->icount++;
            if (d->log_mask & DBT_LOG_EXEC)
                fprintf(d->log, "exec %08x\n", insn_pc);
            break;
        case IR_CONST: t[i->dst] = i->imm; break;
        case IR_MOV: t[i->dst] = t[i->a]; break;
        case IR_GET_REG: t[i->dst] = cpu->r[i->imm & 15]; break;
        case IR_SET_REG: cpu->r[i->imm & 15] = a; break;
        case IR_GET_FLAG:
            switch (i->imm) {
            case IR_FLAG_N: r = cpu->nf; break;
            case IR_FLAG_Z: r = cpu->zf; break;
            case IR_FLAG_C: r = cpu->cf; break;
            case IR_FLAG_V: r = cpu->vf; break;
            default: r = cpu->qf; break;
            }
            t[i->dst] = r;
            break;
        case IR_SET_FLAG:
            switch (i->imm) {
            case IR_FLAG_N: cpu->nf = a & 1; break;
            case IR_FLAG_Z: cpu->zf = a & 1; break;
            case IR_FLAG_C: cpu->cf = a & 1; break;
            case IR_FLAG_V: cpu->vf = a & 1; break;
            default: cpu->qf = a & 1; break;
            }
            break;
        case IR_COND: t[i->dst] = dbt_cond_holds(cpu, (unsigned)i->imm); break;
        case IR_ADD:
            r = a + x;
            if (i->fl) {
                set_nz(cpu, i->fl, r);
                if (i->fl & IR_FLAG_C) cpu->cf = r < a;
                if (i->fl & IR_FLAG_V) cpu->vf = ((a ^ r) & (x ^ r)) >> 31;
            }
            t[i->dst] = r;
            break;
        case IR_SUB:
            r = a - x;
            if (i->fl) {
                set_nz(cpu, i->fl, r);
                if (i->fl & IR_FLAG_C) cpu->cf = a >= x;
                if (i->fl & IR_FLAG_V) cpu->vf = ((a ^ x) & (a ^ r)) >> 31;
            }
            t[i->dst] = r;
            break;
        case IR_ADC:
        case IR_SBC: {
            uint32_t xx = i->op == IR_SBC ? ~x : x;
            uint64_t wide = (uint64_t)a + xx + (y & 1);
            r = (uint32_t)wide;
            if (i->fl) {
                set_nz(cpu, i->fl, r);
                if (i->fl & IR_FLAG_C) cpu->cf = (uint8_t)(wide >> 32);
                if (i->fl & IR_FLAG_V) cpu->vf = ((a ^ r) & (xx ^ r)) >> 31;
            }
            t[i->dst] = r;
            break;
        }
        case IR_AND: r = a & x; set_nz(cpu, i->fl, r); t[i->dst] = r; break;
        case IR_OR: r = a | x; set_nz(cpu, i->fl, r); t[i->dst] = r; break;
        case IR_XOR: r = a ^ x; set_nz(cpu, i->fl, r); t[i->dst] = r; break;
        case IR_ANDN: r = a & ~x; set_nz(cpu, i->fl, r); t[i->dst] = r; break;
        case IR_NOT: r = ~a; set_nz(cpu, i->fl, r); t[i->dst] = r; break;
        case IR_SETNZ:
            if (i->type == IR_I64) {
                uint64_t v = t[i->a];
                if (i->fl & IR_FLAG_N) cpu->nf = v >> 63;
                if (i->fl & IR_FLAG_Z) cpu->zf = v == 0;
            } else {
                set_nz(cpu, i->fl, a);
            }
            break;
        case IR_LSL: t[i->dst] = lsl32(a, x); break;
        case IR_LSR: t[i->dst] = lsr32(a, x); break;
        case IR_ASR: t[i->dst] = asr32(a, x); break;
        case IR_ROR: t[i->dst] = ror32(a, x); break;
        case IR_LSL_C: t[i->dst] = x == 0 ? (y & 1) : x > 32 ? 0 : (a >> (32 - x)) & 1; break;
        case IR_LSR_C: t[i->dst] = x == 0 ? (y & 1) : x > 32 ? 0 : (a >> (x - 1)) & 1; break;
        case IR_ASR_C: t[i->dst] = x == 0 ? (y & 1) : x >= 32 ? a >> 31 : (a >> (x - 1)) & 1; break;
        case IR_ROR_C: t[i->dst] = x == 0 ? (y & 1) : ror32(a, x) >> 31; break;
        case IR_RRX: t[i->dst] = ((y & 1) << 31) | (a >> 1); break;
        case IR_FSHR: t[i->dst] = (a >> (y & 31)) | (x << ((32 - y) & 31)); break;
        case IR_MUL: t[i->dst] = a * x; break;
        case IR_UMULL: t[i->dst] = (uint64_t)a * x; break;
        case IR_SMULL: t[i->dst] = (uint64_t)((int64_t)(int32_t)a * (int32_t)x); break;
        case IR_UDIV: t[i->dst] = x ? a / x : 0; break;
        case IR_UREM: t[i->dst] = x ? a % x : a; break;
        case IR_SDIV:
            if (x == 0)
                r = 0;
            else if (a == 0x80000000u && x == 0xffffffffu)
                r = 0x80000000u;
            else
                r = (uint32_t)((int32_t)a / (int32_t)x);
            t[i->dst] = r;
            break;
        case IR_ADD64: t[i->dst] = t[i->a] + t[i->b]; break;
        case IR_SUB64: t[i->dst] = t[i->a] - t[i->b]; break;
        case IR_PAIR64: t[i->dst] = ((uint64_t)x << 32) | a; break;
        case IR_LO32: t[i->dst] = (uint32_t)t[i->a]; break;
        case IR_HI32: t[i->dst] = (uint32_t)(t[i->a] >> 32); break;
        case IR_SEXT8: t[i->dst] = (uint32_t)(int32_t)(int8_t)a; break;
        case IR_SEXT16: t[i->dst] = (uint32_t)(int32_t)(int16_t)a; break;
        case IR_ZEXT8: t[i->dst] = a & 0xff; break;
        case IR_ZEXT16: t[i->dst] = a & 0xffff; break;
        case IR_CLZ: t[i->dst] = a ? (uint32_t)__builtin_clz(a) : 32; break;
        case IR_BSWAP: t[i->dst] = __builtin_bswap32(a); break;
        case IR_SETEQ: t[i->dst] = a == x; break;
        case IR_SETNE: t[i->dst] = a != x; break;
        case IR_SETLTU: t[i->dst] = a < x; break;
        case IR_SETLTS: t[i->dst] = (int32_t)a < (int32_t)x; break;
        case IR_SELECT: t[i->dst] = a ? t[i->b] : t[i->c]; break;
        case IR_LOAD: {
            uint32_t v;
            if (!arm_mem_read(cpu, a, (unsigned)i->imm, &v)) {
                take_pending(cpu, insn_pc);
                return;
            }
            t[i->dst] = v;
            break;
        }
        case IR_STORE:
            if (!arm_mem_write(cpu, a, (unsigned)i->imm, x)) {
                take_pending(cpu, insn_pc);
                return;
            }
            break;
        case IR_CALL: {
            IrHelperFn fn = (IrHelperFn)(uintptr_t)i->imm;
            uint64_t v = fn(cpu, t[i->a], t[i->b], t[i->c]);
            if (i->dst)
                t[i->dst] = i->type == IR_I64 ? v : (uint32_t)v;
            if ((i->fl & IR_CALL_MAY_RAISE) && cpu->pending_exc != ARM_EXC_NONE) {
                take_pending(cpu, insn_pc);
                return;
            }
            break;
        }
        case IR_BR:
            ip = tb->label_pos[i->imm] - 1;
            break;
        case IR_BRZ:
            if (a == 0)
                ip = tb->label_pos[i->imm] - 1;
            break;
        case IR_BRNZ:
            if (a != 0)
                ip = tb->label_pos[i->imm] - 1;
            break;
        case IR_EXIT_DIRECT:
        case IR_EXIT_SYNC:
            cpu->r[15] = (uint32_t)i->imm;
            return;
        case IR_EXIT_INDIRECT:
            cpu->r[15] = a;
            return;
        case IR_RAISE:
            arm_take_exception(cpu, (ArmException)i->imm, insn_pc);
            return;
        case IR_OP_COUNT:
            abort();
        }
    }
    /* Blocks always end with an exit; falling off the end is a translator bug. */
    abort();
}
