/*
 * Code for each IR operation (semantics: dbt/dbt.h and dbt/interp.c, the reference).
 * Guest flags live in the ArmCpu bytes nf/zf/cf/vf; the ALU operations leave the flags
 * they write in EFLAGS until something needs them in memory (jit_flags.c), the others
 * store them with SETcc right after the x86 instruction that computed them.
 */
#include "backend-x86_64/jit_internal.h"

#include <stddef.h>
#include <stdlib.h>

#define F(field) jit_cpu_field(offsetof(ArmCpu, field))

static X86Mem flag_mem(unsigned flag)
{
    switch (flag) {
    case IR_FLAG_N: return F(nf);
    case IR_FLAG_Z: return F(zf);
    case IR_FLAG_C: return F(cf);
    case IR_FLAG_V: return F(vf);
    default: return F(qf);
    }
}

/* Store the flags an x86 arithmetic instruction just computed. `borrow` means the x86
 * carry is a borrow (SUB/SBB), the inverse of ARM's C (ARM ARM A2.2.1). */
static void store_flags(JitCtx *c, unsigned fl, bool borrow)
{
    if (fl & IR_FLAG_N)
        x86_setcc_m(c->cb, X86_CC_S, F(nf));
    if (fl & IR_FLAG_Z)
        x86_setcc_m(c->cb, X86_CC_Z, F(zf));
    if (fl & IR_FLAG_C)
        x86_setcc_m(c->cb, borrow ? X86_CC_NC : X86_CC_C, F(cf));
    if (fl & IR_FLAG_V)
        x86_setcc_m(c->cb, X86_CC_O, F(vf));
}

static bool is_imm32(const JitCtx *c, IrTemp t)
{
    return c->is_const[t] && c->reg_of[t] < 0;
}

static uint32_t cval(const JitCtx *c, IrTemp t) { return (uint32_t)c->const_val[t]; }

/* Set the x86 carry flag to the guest-style carry in temp t (0/1), inverted if asked. */
static void carry_in(JitCtx *c, IrTemp t, bool invert)
{
    if (is_imm32(c, t)) {
        bool v = (cval(c, t) & 1) != invert;
        if (v)
            x86_stc(c->cb);
        else
            x86_clc(c->cb);
        return;
    }
    x86_bt_ri(c->cb, jit_use(c, t, 0), 0, 32);
    if (invert)
        x86_cmc(c->cb);
}

static bool commutes(X86AluOp op)
{
    return op == X86_ALU_ADD || op == X86_ALU_ADC || op == X86_ALU_AND || op == X86_ALU_OR ||
           op == X86_ALU_XOR;
}

/* dst = a <op> b for the two-operand ALU group, 32 bits. An operand still in its guest
 * register's memory (jit_get_reg) is taken from there: as b, or as a when op commutes. */
static X86Reg alu2(JitCtx *c, const IrInsn *i, uint32_t ip, X86AluOp op, IrTemp carry, bool invert_carry)
{
    X86Mem m;
    IrInsn sw;
    if (commutes(op) && !is_imm32(c, i->b) && jit_in_guest_mem(c, i->a, &m) &&
        !jit_in_guest_mem(c, i->b, &m)) {
        sw = *i;
        sw.a = i->b;
        sw.b = i->a;
        i = &sw;
    }
    bool eflags_carry = carry && carry == c->lazy_carry;
    uint32_t lock = jit_lock_of(c, i->a, i->b, eflags_carry ? 0 : carry);
    X86Reg hb = X86_NOREG;
    bool b_mem = jit_in_guest_mem(c, i->b, &m);
    if (!is_imm32(c, i->b) && !b_mem) {
        hb = jit_use(c, i->b, lock);
        lock |= 1u << hb;
    }
    if (carry && !eflags_carry && !is_imm32(c, carry))
        lock |= 1u << jit_use(c, carry, lock);
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
    if (eflags_carry) {
        /* The carry is still in EFLAGS (only moves since): x86 wants C for ADC, !C (a
         * borrow) for SBB. */
        if (invert_carry != c->lazy_carry_borrow)
            x86_cmc(c->cb);
        c->lazy_carry = 0;
    } else if (carry) {
        carry_in(c, carry, invert_carry);
    }
    if (b_mem)
        x86_alu_rm(c->cb, op, d, m, 32);
    else if (hb == X86_NOREG)
        x86_alu_ri(c->cb, op, d, (int32_t)cval(c, i->b), 32);
    else
        x86_alu_rr(c->cb, op, d, hb, 32);
    return d;
}

/* CMP and TST (a SUB or AND whose result nobody uses, only its flags): compare in place,
 * without copying the operand first. x86 CMP and TEST set the flags as SUB and AND do. */
static bool flags_only(JitCtx *c, const IrInsn *i)
{
    bool sub = i->op == IR_SUB;
    if (!i->fl || (i->dst && c->last_use[i->dst] != 0) || c->is_const[i->a])
        return false;
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Mem m;
    if (sub && jit_in_guest_mem(c, i->a, &m)) {
        /* CMP [a], b: the operand in memory (jit_get_reg) */
        if (is_imm32(c, i->b))
            x86_alu_mi(c->cb, X86_ALU_CMP, m, (int32_t)cval(c, i->b), 32);
        else
            x86_alu_mr(c->cb, X86_ALU_CMP, m, jit_use(c, i->b, lock), 32);
        jit_flags_set(c, i->fl, true);
        return true;
    }
    X86Reg ha = jit_use(c, i->a, lock);
    if (sub && jit_in_guest_mem(c, i->b, &m)) {
        x86_alu_rm(c->cb, X86_ALU_CMP, ha, m, 32);
        jit_flags_set(c, i->fl, true);
        return true;
    }
    if (is_imm32(c, i->b)) {
        if (sub)
            x86_alu_ri(c->cb, X86_ALU_CMP, ha, (int32_t)cval(c, i->b), 32);
        else
            x86_test_ri(c->cb, ha, cval(c, i->b), 32);
    } else {
        X86Reg hb = jit_use(c, i->b, lock | (1u << ha));
        if (sub)
            x86_alu_rr(c->cb, X86_ALU_CMP, ha, hb, 32);
        else
            x86_test_rr(c->cb, ha, hb, 32);
    }
    jit_flags_set(c, i->fl, sub);
    return true;
}

/* Whether ADD/SUB compiles to LEA (op_lea). Not when an operand is still in its guest
 * register's memory (jit_get_reg) and EFLAGS holds no lazy flags: ADD r, [mem] (alu2)
 * then saves the load that LEA would need. */
bool jit_is_lea(const JitCtx *c, const IrInsn *i)
{
    X86Mem m;
    if (!c->lazy_fl && (jit_in_guest_mem(c, i->a, &m) || jit_in_guest_mem(c, i->b, &m)))
        return false;
    return !i->fl && (i->op == IR_ADD || (i->op == IR_SUB && is_imm32(c, i->b)));
}

/* ADD, or SUB of a constant, without flags: LEA. Three operands (no copy of a first)
 * and EFLAGS untouched, so that lazy guest flags survive it (jit_flags.c). The 32-bit
 * LEA truncates the 64-bit sum of the zero-extended operands: an ARM 32-bit add. */
static void op_lea(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Reg ha = jit_use(c, i->a, lock);
    lock |= 1u << ha;
    X86Mem m;
    if (is_imm32(c, i->b)) {
        uint32_t k = cval(c, i->b);
        m = x86_mem(ha, (int32_t)(i->op == IR_SUB ? 0u - k : k));
    } else {
        X86Reg hb = jit_use(c, i->b, lock);
        lock |= 1u << hb;
        m = x86_mem_idx(ha, hb, 1, 0);
    }
    X86Reg d = jit_dest_3op(c, i->dst, i->a, is_imm32(c, i->b) ? 0 : i->b, ip, lock);
    x86_lea(c->cb, d, m, 32);
}

static void op_arith(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    if ((i->op == IR_SUB || i->op == IR_AND) && flags_only(c, i))
        return;
    if (jit_is_lea(c, i)) {
        op_lea(c, i, ip);
        return;
    }
    switch ((IrOp)i->op) {
    case IR_ADD: alu2(c, i, ip, X86_ALU_ADD, 0, false); jit_flags_set(c, i->fl, false); break;
    case IR_SUB: alu2(c, i, ip, X86_ALU_SUB, 0, false); jit_flags_set(c, i->fl, true); break;
    case IR_ADC: alu2(c, i, ip, X86_ALU_ADC, i->c, false); jit_flags_set(c, i->fl, false); break;
    case IR_SBC: alu2(c, i, ip, X86_ALU_SBB, i->c, true); jit_flags_set(c, i->fl, true); break;
    case IR_AND: alu2(c, i, ip, X86_ALU_AND, 0, false); jit_flags_set(c, i->fl, false); break;
    case IR_OR: alu2(c, i, ip, X86_ALU_OR, 0, false); jit_flags_set(c, i->fl, false); break;
    case IR_XOR: alu2(c, i, ip, X86_ALU_XOR, 0, false); jit_flags_set(c, i->fl, false); break;
    default: break;
    }
}

static void op_andn(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    if (is_imm32(c, i->b)) {
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
        x86_alu_ri(c->cb, X86_ALU_AND, d, (int32_t)~cval(c, i->b), 32);
    } else {
        X86Reg hb = jit_use(c, i->b, lock);
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock | (1u << hb));
        x86_mov_rr(c->cb, X86_RAX, hb, 32);
        x86_not_r(c->cb, X86_RAX, 32);
        x86_alu_rr(c->cb, X86_ALU_AND, d, X86_RAX, 32);
    }
    store_flags(c, i->fl, false);
}

static void op_not(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, 0);
    x86_not_r(c->cb, d, 32);
    if (i->fl) {
        x86_test_rr(c->cb, d, d, 32);
        store_flags(c, i->fl, false);
    }
}

static void op_setnz(JitCtx *c, const IrInsn *i)
{
    X86Reg h = jit_use(c, i->a, 0);
    unsigned size = i->type == IR_I64 ? 64 : 32;
    x86_test_rr(c->cb, h, h, size);
    store_flags(c, i->fl & IR_FLAG_NZ, false);
}

/* LSL/LSR/ASR/ROR with ARM semantics for any amount (ARM ARM A8.4.3). */
static void op_shift(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    static const X86ShiftOp xop[4] = { X86_SH_SHL, X86_SH_SHR, X86_SH_SAR, X86_SH_ROR };
    unsigned kind = i->op - IR_LSL;
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    if (is_imm32(c, i->b)) {
        uint32_t n = cval(c, i->b);
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
        if (kind == 3)
            n &= 31;
        else if (kind == 2 && n > 31)
            n = 31;
        if (n == 0)
            return;
        if (n >= 32)
            x86_alu_rr(c->cb, X86_ALU_XOR, d, d, 32);
        else
            x86_shift_ri(c->cb, xop[kind], d, n, 32);
        return;
    }
    X86Reg hb = jit_use(c, i->b, lock);
    x86_mov_rr(c->cb, X86_RCX, hb, 32);
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock | (1u << hb));
    switch (kind) {
    case 0:
    case 1:
        x86_shift_rcl(c->cb, xop[kind], d, 32);
        x86_alu_rr(c->cb, X86_ALU_XOR, X86_RDX, X86_RDX, 32);
        x86_alu_ri(c->cb, X86_ALU_CMP, X86_RCX, 32, 32);
        x86_cmov_rr(c->cb, X86_CC_AE, d, X86_RDX, 32);
        break;
    case 2:
        x86_mov_ri(c->cb, X86_RDX, 31);
        x86_alu_ri(c->cb, X86_ALU_CMP, X86_RCX, 31, 32);
        x86_cmov_rr(c->cb, X86_CC_A, X86_RCX, X86_RDX, 32);
        x86_shift_rcl(c->cb, X86_SH_SAR, d, 32);
        break;
    default:
        x86_shift_rcl(c->cb, X86_SH_ROR, d, 32);
        break;
    }
}

/* Shifter carry out by a register amount: rare (only for flag-setting logical ops with a
 * register-specified shift), so computed in C. */
static uint64_t shift_carry(unsigned kind, uint32_t a, uint32_t n, uint32_t cin)
{
    if (n == 0)
        return cin & 1;
    switch (kind) {
    case 0: return n > 32 ? 0 : (a >> (32 - n)) & 1;
    case 1: return n > 32 ? 0 : (a >> (n - 1)) & 1;
    case 2: return n >= 32 ? a >> 31 : (a >> (n - 1)) & 1;
    default: return (a >> ((n - 1) & 31)) & 1;
    }
}
static uint64_t lsl_c(ArmCpu *cpu, uint64_t a, uint64_t n, uint64_t cin) { (void)cpu; return shift_carry(0, (uint32_t)a, (uint32_t)n, (uint32_t)cin); }
static uint64_t lsr_c(ArmCpu *cpu, uint64_t a, uint64_t n, uint64_t cin) { (void)cpu; return shift_carry(1, (uint32_t)a, (uint32_t)n, (uint32_t)cin); }
static uint64_t asr_c(ArmCpu *cpu, uint64_t a, uint64_t n, uint64_t cin) { (void)cpu; return shift_carry(2, (uint32_t)a, (uint32_t)n, (uint32_t)cin); }
static uint64_t ror_c(ArmCpu *cpu, uint64_t a, uint64_t n, uint64_t cin) { (void)cpu; return shift_carry(3, (uint32_t)a, (uint32_t)n, (uint32_t)cin); }

static void emit_helper(JitCtx *c, const IrInsn *i, uint32_t ip, const void *fn, bool writes_regs, bool may_raise);

static void op_shift_carry(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    unsigned kind = i->op - IR_LSL_C;
    if (!is_imm32(c, i->b)) {
        static const IrHelperFn fns[4] = { lsl_c, lsr_c, asr_c, ror_c };
        emit_helper(c, i, ip, (const void *)fns[kind], false, false);
        return;
    }
    uint32_t n = cval(c, i->b);
    if (n == 0) {
        if (is_imm32(c, i->c)) {
            c->is_const[i->dst] = true;
            c->const_val[i->dst] = cval(c, i->c) & 1;
        } else {
            X86Reg d = jit_dest_from(c, i->dst, i->c, ip, jit_lock_of(c, i->a, 0, 0));
            x86_alu_ri(c->cb, X86_ALU_AND, d, 1, 32);
        }
        return;
    }
    int bitno;
    switch (kind) {
    case 0: bitno = n > 32 ? -1 : (int)(32 - n); break;
    case 1: bitno = n > 32 ? -1 : (int)(n - 1); break;
    case 2: bitno = n >= 32 ? 31 : (int)(n - 1); break;
    default: bitno = (int)((n - 1) & 31); break;
    }
    if (bitno < 0 || bitno > 31) {
        c->is_const[i->dst] = true;
        c->const_val[i->dst] = 0;
        return;
    }
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, 0);
    if (bitno)
        x86_shift_ri(c->cb, X86_SH_SHR, d, (unsigned)bitno, 32);
    x86_alu_ri(c->cb, X86_ALU_AND, d, 1, 32);
}

static void op_rrx(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    uint32_t lock = jit_lock_of(c, i->a, i->c, 0);
    if (!is_imm32(c, i->c))
        lock |= 1u << jit_use(c, i->c, lock);
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
    carry_in(c, i->c, false);
    x86_shift_ri(c->cb, X86_SH_RCR, d, 1, 32);
}

/* FSHR (ir_pass_regs.c): SHRD, the second operand's low bits shifted in. */
static void op_fshr(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Reg hb = jit_use(c, i->b, lock);
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock | (1u << hb));
    x86_shrd_rri(c->cb, d, hb, cval(c, i->c) & 31, 32);
}

static void op_mul(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Reg hb = jit_use(c, i->b, lock);
    lock |= 1u << hb;
    if (i->op == IR_SMULL) {
        X86Reg ha = jit_use(c, i->a, lock);
        X86Reg d = jit_dest_new(c, i->dst, lock | (1u << ha));
        x86_movsx_rr(c->cb, d, ha, 32, 64);
        if (i->a == i->b) { /* a square (ir_pass_regs.c reuses the register read) */
            x86_imul_rr(c->cb, d, d, 64);
            return;
        }
        x86_movsx_rr(c->cb, X86_RAX, hb, 32, 64);
        x86_imul_rr(c->cb, d, X86_RAX, 64);
        return;
    }
    X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
    /* I32 values are kept zero-extended, so a 64-bit multiply is UMULL. */
    x86_imul_rr(c->cb, d, hb, i->op == IR_UMULL ? 64 : 32);
}

/* MUL with an operand in guest register memory (jit_get_reg): IMUL r32, [mem]. */
static bool op_mul_mem(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    X86Mem m;
    IrTemp other;
    if (i->op != IR_MUL)
        return false;
    if (jit_in_guest_mem(c, i->b, &m))
        other = i->a;
    else if (jit_in_guest_mem(c, i->a, &m))
        other = i->b;
    else
        return false;
    X86Reg d = jit_dest_from(c, i->dst, other, ip, jit_lock_of(c, other, 0, 0));
    x86_imul_rm(c->cb, d, m, 32);
    return true;
}

/* UDIV/SDIV (ARM ARM A8.8.248/A8.8.165): division by zero gives 0 and
 * INT32_MIN / -1 gives INT32_MIN (where x86 IDIV would fault). UREM (UDIV then MLS,
 * see ir_pass_regs.c) is the remainder DIV leaves in EDX; by zero, the dividend. */
static void op_div(JitCtx *c, const IrInsn *i)
{
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Reg hb = jit_use(c, i->b, lock);
    X86Reg ha = jit_use(c, i->a, lock | (1u << hb));
    CodeBuffer *cb = c->cb;
    X86Label zero, done, neg;
    x86_label_init(&zero);
    x86_label_init(&done);
    x86_label_init(&neg);
    x86_test_rr(cb, hb, hb, 32);
    bool rem = i->op == IR_UREM;
    if (i->op != IR_SDIV && c->n_div0 < JIT_MAX_DIV0) {
        /* The zero case out of line: the common one runs straight through. */
        JitDivZero *z = &c->div0[c->n_div0++];
        x86_label_init(&z->zero);
        x86_label_init(&z->back);
        z->result = rem ? X86_RDX : X86_RAX;
        z->dividend = ha;
        z->rem = rem;
        x86_jcc_label(cb, X86_CC_Z, &z->zero);
        x86_mov_rr(cb, X86_RAX, ha, 32);
        x86_alu_rr(cb, X86_ALU_XOR, X86_RDX, X86_RDX, 32);
        x86_div_r(cb, hb, 32);
        x86_label_bind(cb, &z->back);
        if (rem) { /* the remainder stays where DIV put it (jit_keep_rdx) */
            jit_set_temp_reg(c, i->dst, X86_RDX);
            return;
        }
        X86Reg d = jit_dest_new(c, i->dst, lock | (1u << hb) | (1u << ha));
        x86_mov_rr(cb, d, z->result, 32);
        return;
    }
    x86_jcc_label(cb, X86_CC_Z, &zero);
    x86_mov_rr(cb, X86_RAX, ha, 32);
    if (i->op != IR_SDIV) {
        x86_alu_rr(cb, X86_ALU_XOR, X86_RDX, X86_RDX, 32);
        x86_div_r(cb, hb, 32);
        if (rem)
            x86_mov_rr(cb, X86_RAX, X86_RDX, 32);
    } else {
        x86_alu_ri(cb, X86_ALU_CMP, hb, -1, 32);
        x86_jcc_label(cb, X86_CC_E, &neg);
        x86_cdq(cb);
        x86_idiv_r(cb, hb, 32);
        x86_jmp_label(cb, &done);
        x86_label_bind(cb, &neg);
        x86_neg_r(cb, X86_RAX, 32);
    }
    x86_jmp_label(cb, &done);
    x86_label_bind(cb, &zero);
    if (rem)
        x86_mov_rr(cb, X86_RAX, ha, 32);
    else
        x86_alu_rr(cb, X86_ALU_XOR, X86_RAX, X86_RAX, 32);
    x86_label_bind(cb, &done);
    X86Reg d = jit_dest_new(c, i->dst, lock | (1u << hb) | (1u << ha));
    x86_mov_rr(cb, d, X86_RAX, 32);
}

static void op_misc(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    CodeBuffer *cb = c->cb;
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    switch ((IrOp)i->op) {
    case IR_ADD64:
    case IR_SUB64: {
        X86Reg hb = jit_use(c, i->b, lock);
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock | (1u << hb));
        x86_alu_rr(cb, i->op == IR_ADD64 ? X86_ALU_ADD : X86_ALU_SUB, d, hb, 64);
        break;
    }
    case IR_PAIR64: {
        X86Reg ha = jit_use(c, i->a, lock);
        X86Reg hb = jit_use(c, i->b, lock | (1u << ha));
        X86Reg d = jit_dest_new(c, i->dst, lock | (1u << ha) | (1u << hb));
        x86_mov_rr(cb, d, hb, 32);
        x86_shift_ri(cb, X86_SH_SHL, d, 32, 64);
        x86_mov_rr(cb, X86_RAX, ha, 32);
        x86_alu_rr(cb, X86_ALU_OR, d, X86_RAX, 64);
        break;
    }
    case IR_LO32: {
        if (c->last_use[i->a] == ip || c->is_const[i->a]) {
            X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
            x86_mov_rr(cb, d, d, 32);
        } else {
            /* The 64-bit value lives on (its high half is wanted too): one 32-bit move
             * both copies and zero-extends. */
            X86Reg ha = jit_use(c, i->a, lock);
            X86Reg d = jit_dest_new(c, i->dst, lock | (1u << ha));
            x86_mov_rr(cb, d, ha, 32);
        }
        break;
    }
    case IR_HI32: {
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
        x86_shift_ri(cb, X86_SH_SHR, d, 32, 64);
        break;
    }
    case IR_SEXT8:
    case IR_SEXT16:
    case IR_ZEXT8:
    case IR_ZEXT16: {
        X86Reg ha = jit_use(c, i->a, lock);
        X86Reg d = jit_dest_new(c, i->dst, lock | (1u << ha));
        unsigned from = (i->op == IR_SEXT8 || i->op == IR_ZEXT8) ? 8 : 16;
        if (i->op == IR_SEXT8 || i->op == IR_SEXT16)
            x86_movsx_rr(cb, d, ha, from, 32);
        else
            x86_movzx_rr(cb, d, ha, from, 32);
        break;
    }
    case IR_CLZ: {
        X86Reg ha = jit_use(c, i->a, lock);
        X86Reg d = jit_dest_new(c, i->dst, lock | (1u << ha));
        if (c->jit->has_lzcnt) {
            x86_lzcnt_rr(cb, d, ha, 32);
        } else {
            x86_mov_ri(cb, X86_RDX, 63);
            x86_bsr_rr(cb, d, ha, 32);
            x86_cmov_rr(cb, X86_CC_Z, d, X86_RDX, 32);
            x86_alu_ri(cb, X86_ALU_XOR, d, 31, 32);
        }
        break;
    }
    case IR_BSWAP: {
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, lock);
        x86_bswap(cb, d, 32);
        break;
    }
    default:
        break;
    }
}

static void op_compare(JitCtx *c, const IrInsn *i)
{
    static const X86Cond cc[4] = { X86_CC_E, X86_CC_NE, X86_CC_B, X86_CC_L };
    uint32_t lock = jit_lock_of(c, i->a, i->b, 0);
    X86Reg ha = jit_use(c, i->a, lock);
    lock |= 1u << ha;
    if (is_imm32(c, i->b)) {
        x86_alu_ri(c->cb, X86_ALU_CMP, ha, (int32_t)cval(c, i->b), 32);
    } else {
        X86Reg hb = jit_use(c, i->b, lock);
        lock |= 1u << hb;
        x86_alu_rr(c->cb, X86_ALU_CMP, ha, hb, 32);
    }
    x86_setcc_r(c->cb, cc[i->op - IR_SETEQ], X86_RAX);
    X86Reg d = jit_dest_new(c, i->dst, lock);
    x86_movzx_rr(c->cb, d, X86_RAX, 8, 32);
}

static void op_select(JitCtx *c, const IrInsn *i)
{
    uint32_t lock = jit_lock_of(c, i->a, i->b, i->c);
    X86Reg ha = jit_use(c, i->a, lock);
    lock |= 1u << ha;
    X86Reg hb = jit_use(c, i->b, lock);
    lock |= 1u << hb;
    X86Reg hc = jit_use(c, i->c, lock);
    lock |= 1u << hc;
    X86Reg d = jit_dest_new(c, i->dst, lock);
    x86_mov_rr(c->cb, d, hc, 64);
    x86_test_rr(c->cb, ha, ha, 32);
    x86_cmov_rr(c->cb, X86_CC_NE, d, hb, 64);
}

/* ConditionPassed() (ARM ARM A8.3) from the flag bytes, as 0 or 1. */
static void op_cond(JitCtx *c, const IrInsn *i)
{
    CodeBuffer *cb = c->cb;
    unsigned cc = (unsigned)i->imm & 15;
    X86Reg d = jit_dest_new(c, i->dst, 0);
    switch (cc >> 1) {
    case 0: x86_movzx_rm(cb, d, F(zf), 8, 32); break;
    case 1: x86_movzx_rm(cb, d, F(cf), 8, 32); break;
    case 2: x86_movzx_rm(cb, d, F(nf), 8, 32); break;
    case 3: x86_movzx_rm(cb, d, F(vf), 8, 32); break;
    case 4: /* C && !Z */
        x86_movzx_rm(cb, d, F(zf), 8, 32);
        x86_alu_ri(cb, X86_ALU_XOR, d, 1, 32);
        x86_alu_rm(cb, X86_ALU_AND, d, F(cf), 8);
        break;
    case 5: /* N == V */
    case 6: /* !Z && N == V */
        x86_movzx_rm(cb, d, F(nf), 8, 32);
        x86_alu_rm(cb, X86_ALU_XOR, d, F(vf), 8);
        if ((cc >> 1) == 6)
            x86_alu_rm(cb, X86_ALU_OR, d, F(zf), 8);
        x86_alu_ri(cb, X86_ALU_XOR, d, 1, 32);
        break;
    default:
        x86_mov_ri(cb, d, 1);
        return;
    }
    if (cc & 1)
        x86_alu_ri(cb, X86_ALU_XOR, d, 1, 32);
}

/* Compare the flag bytes for ARM condition cc (ARM ARM A8.3) and return the x86
 * condition under which it passes. False for AL (nothing emitted). */
static bool emit_cond_test(JitCtx *c, unsigned cc, X86Cond *when_true)
{
    CodeBuffer *cb = c->cb;
    switch (cc >> 1) {
    case 0: x86_alu_mi(cb, X86_ALU_CMP, F(zf), 0, 8); *when_true = X86_CC_NE; break;
    case 1: x86_alu_mi(cb, X86_ALU_CMP, F(cf), 0, 8); *when_true = X86_CC_NE; break;
    case 2: x86_alu_mi(cb, X86_ALU_CMP, F(nf), 0, 8); *when_true = X86_CC_NE; break;
    case 3: x86_alu_mi(cb, X86_ALU_CMP, F(vf), 0, 8); *when_true = X86_CC_NE; break;
    case 4: /* C && !Z */
        x86_movzx_rm(cb, X86_RAX, F(zf), 8, 32);
        x86_alu_ri(cb, X86_ALU_XOR, X86_RAX, 1, 32);
        x86_alu_rm(cb, X86_ALU_AND, X86_RAX, F(cf), 8);
        *when_true = X86_CC_NE;
        break;
    case 5: /* N == V */
        x86_movzx_rm(cb, X86_RAX, F(nf), 8, 32);
        x86_alu_rm(cb, X86_ALU_CMP, X86_RAX, F(vf), 8);
        *when_true = X86_CC_E;
        break;
    case 6: /* !Z && N == V */
        x86_movzx_rm(cb, X86_RAX, F(nf), 8, 32);
        x86_alu_rm(cb, X86_ALU_XOR, X86_RAX, F(vf), 8);
        x86_alu_rm(cb, X86_ALU_OR, X86_RAX, F(zf), 8);
        *when_true = X86_CC_E;
        break;
    default:
        return false;
    }
    if (cc & 1)
        *when_true = x86_cc_invert(*when_true);
    return true;
}

/* `t = COND cc; BRZ/BRNZ t, L` where t is used by nothing else (every conditional
 * instruction starts like this): compare the flag bytes and branch, without making
 * t. Returns false if the pair does not have that shape. */
bool jit_fused_cond_branch(JitCtx *c, const IrInsn *i, const IrInsn *br, uint32_t ip)
{
    if (i->op != IR_COND || (br->op != IR_BRZ && br->op != IR_BRNZ) || br->a != i->dst ||
        c->last_use[i->dst] != ip + 1 || br->imm >= JIT_MAX_LABELS)
        return false;
    jit_flags_remat(c);
    jit_sync_point(c, ip + 1, false);
    unsigned cc = (unsigned)i->imm & 15;
    X86Cond when_true;
    if (!jit_flags_cc(c, cc, &when_true)) {
        jit_flags_flush(c);
        if (!emit_cond_test(c, cc, &when_true)) {
            /* AL: the frontend never makes these conditional, but be exact */
            if (br->op == IR_BRNZ) {
                jit_flags_jump(c, (unsigned)br->imm, false, X86_CC_E);
                c->unreachable = true;
            }
            return true;
        }
    }
    jit_flags_jump(c, (unsigned)br->imm, true,
                   br->op == IR_BRNZ ? when_true : x86_cc_invert(when_true));
    return true;
}

/* `t = COND cc; BRZ/BRNZ t, L; EXIT_DIRECT A; LABEL L` (a conditional branch, or the
 * taken half of one): the conditional jump itself becomes A's patchable exit, so a
 * chained taken branch is one compare and one jump. Compilation goes on at L. */
bool jit_fused_cond_exit(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    const IrInsn *br = i + 1, *ex = i + 2, *lbl = i + 3;
    if (i->op != IR_COND || (br->op != IR_BRZ && br->op != IR_BRNZ) || br->a != i->dst ||
        c->last_use[i->dst] != ip + 1 || ex->op != IR_EXIT_DIRECT || lbl->op != IR_LABEL ||
        lbl->imm != br->imm)
        return false;
    unsigned cc = (unsigned)i->imm & 15;
    if ((cc >> 1) == 7)
        return false; /* AL: compile the general way */
    jit_flags_remat(c);
    bool self_loop = (uint32_t)ex->imm == c->b->guest_pc && c->loop_ok && !c->loop_done;
    JitDirty dirty;
    jit_note_dirty(c, &dirty);
    uint32_t rest = jit_rest(c);
    /* With nothing to write back or give back, the exit is one patchable jcc (below):
     * cheaper when it is taken, and nothing is saved on the other path anyway. */
    if (!self_loop && (dirty.n || rest) && c->n_flag_exits < JIT_MAX_FLAG_EXITS) {
        /* Only the exit needs the guest registers and flags in memory and the budget
         * given back: its path, out of line, does that; the block goes on with registers
         * and flags still in host registers (its label has no other way in). */
        X86Cond when_true;
        if (!jit_flags_cc(c, cc, &when_true)) {
            jit_flags_flush(c);
            emit_cond_test(c, cc, &when_true);
        }
        X86Cond exit_when = br->op == IR_BRZ ? when_true : x86_cc_invert(when_true);
        JitExit *e = jit_new_exit(c, JIT_EXIT_DIRECT, (uint32_t)ex->imm, 0);
        JitFlagExit *fe = &c->flag_exits[c->n_flag_exits++];
        x86_label_init(&fe->label);
        fe->exit = (unsigned)(e - c->exits);
        fe->fl = (uint8_t)c->lazy_fl;
        fe->borrow = c->lazy_borrow;
        fe->give_back = rest;
        fe->dirty = dirty;
        x86_jcc_label(c->cb, exit_when, &fe->label);
        return true;
    }
    bool back_edge = jit_loop_can_back_edge(c, (uint32_t)ex->imm);
    if (!back_edge) {
        jit_sync_point(c, ip + 1, false);
        jit_write_back_all(c);
    }
    X86Cond when_true;
    if (!jit_flags_cc(c, cc, &when_true)) {
        jit_flags_flush(c);
        emit_cond_test(c, cc, &when_true);
    }
    /* BRZ skips the exit when the condition fails: exit when it passes. */
    X86Cond exit_when = br->op == IR_BRZ ? when_true : x86_cc_invert(when_true);
    if (back_edge) {
        jit_loop_back_edge(c, exit_when); /* back to the top, flags left in EFLAGS */
        return true;
    }
    JitExit *e = jit_new_exit(c, JIT_EXIT_DIRECT, (uint32_t)ex->imm, 0);
    jit_flags_flush(c); /* the exit needs them in memory; SETcc keeps EFLAGS */
    if (rest) {
        /* j<!cond> on ; give back ; jmp exit ; on: */
        X86Label on;
        x86_label_init(&on);
        x86_jcc_label(c->cb, x86_cc_invert(exit_when), &on);
        jit_give_back(c, rest);
        e->jmp_site = x86_jmp_rel32_patchable(c->cb, code_buffer_ptr(c->cb));
        x86_label_bind(c->cb, &on);
        return true;
    }
    e->jmp_site = x86_jcc_rel32_patchable(c->cb, exit_when, code_buffer_ptr(c->cb));
    return true;
}

/* Record a possible fault at the current guest instruction: jump out if a helper left an
 * exception pending. */
static void check_pending(JitCtx *c)
{
    if (c->n_faults == c->cap_faults) {
        unsigned cap = c->cap_faults ? 2 * c->cap_faults : 8;
        JitFault *p = realloc(c->faults, cap * sizeof(*p));
        if (!p)
            abort();
        c->faults = p;
        c->cap_faults = cap;
    }
    JitFault *f = &c->faults[c->n_faults++];
    x86_label_init(&f->label);
    JitExit *e = jit_new_exit(c, JIT_EXIT_PENDING, c->insn_pc, c->charged - c->insn_index);
    f->exit = (unsigned)(e - c->exits);
    x86_alu_mi(c->cb, X86_ALU_CMP, F(pending_exc), 0, 32);
    x86_jcc_label(c->cb, X86_CC_NE, &f->label);
}

/* A call of fn(cpu, a, b, c) for instruction i, result into i->dst. */
static void emit_helper(JitCtx *c, const IrInsn *i, uint32_t ip, const void *fn, bool writes_regs, bool may_raise)
{
    jit_before_call(c, ip, writes_regs);
    jit_emit_call(c, fn, i->a, i->b, i->c, 0, false);
    if (may_raise)
        check_pending(c);
    if (i->dst) {
        X86Reg d = jit_dest_new(c, i->dst, 0);
        x86_mov_rr(c->cb, d, X86_RAX, i->type == IR_I64 ? 64 : 32);
    }
}

/* An indirect branch in the same mode: look the target up in the jump cache and jump
 * straight to its block on a hit; fall through (to leave) on a miss. */
static void jump_cache_lookup(JitCtx *c, X86Reg pc)
{
    CodeBuffer *cb = c->cb;
    X86Label miss;
    x86_label_init(&miss);
    /* The entry offset, ((pc >> 2) & mask) * 16: rotating left by 2 (RORX by 30, flags
     * untouched) brings bits 2.. to 4.. in one instruction. */
    uint32_t salt = (c->key >> JIT_JC_KEY_SHIFT) << 4; /* see jit_jc_index */
    uint32_t mask = ((1u << JIT_JC_BITS) - 1) << 4;
    if (c->jit->has_bmi2) {
        x86_rorx_rri(cb, X86_RAX, pc, 30, 32);
        if (salt & mask)
            x86_alu_ri(cb, X86_ALU_XOR, X86_RAX, (int32_t)(salt & mask), 32);
        x86_alu_ri(cb, X86_ALU_AND, X86_RAX, (int32_t)mask, 32);
    } else {
        x86_mov_rr(cb, X86_RAX, pc, 32);
        x86_alu_ri(cb, X86_ALU_AND, X86_RAX, ((1u << JIT_JC_BITS) - 1) << 2, 32);
        x86_shift_ri(cb, X86_SH_SHL, X86_RAX, 2, 32); /* 16-byte entries */
        if (salt & mask)
            x86_alu_ri(cb, X86_ALU_XOR, X86_RAX, (int32_t)(salt & mask), 32);
    }
    x86_mov_ri(cb, X86_RCX, (uint64_t)(uintptr_t)c->jit->jc);
    x86_alu_rm(cb, X86_ALU_CMP, pc, x86_mem_idx(X86_RCX, X86_RAX, 1, 0), 32);
    x86_jcc_label(cb, X86_CC_NE, &miss);
    x86_alu_mi(cb, X86_ALU_CMP, x86_mem_idx(X86_RCX, X86_RAX, 1, 4), (int32_t)c->key, 32);
    x86_jcc_label(cb, X86_CC_NE, &miss);
    x86_jmp_m(cb, x86_mem_idx(X86_RCX, X86_RAX, 1, 8));
    x86_label_bind(cb, &miss);
}

/* After an instruction that wrote memory: if it rewrote translated code, leave before
 * the next instruction (at next_pc) so that it is translated afresh. */
static void check_code_written(JitCtx *c, uint32_t next_pc)
{
    X86Label go_on;
    x86_label_init(&go_on);
    x86_alu_mi(c->cb, X86_ALU_CMP, F(code_written), 0, 8);
    x86_jcc_label(c->cb, X86_CC_E, &go_on);
    jit_emit_write_back_copy(c);
    x86_mov_mi(c->cb, jit_guest_reg_mem(15), (int32_t)next_pc, 32);
    JitExit *e = jit_new_exit(c, JIT_EXIT_SYNC, next_pc, jit_rest(c));
    jit_emit_leave(c, (unsigned)(e - c->exits));
    x86_label_bind(c->cb, &go_on);
}

void jit_compile_insn(JitCtx *c, const IrInsn *i, uint32_t ip)
{
    switch ((IrOp)i->op) {
    case IR_NOP:
        break;
    case IR_INSN_START:
        if (c->insn_may_write)
            check_code_written(c, (uint32_t)i->imm);
        c->insn_may_write = false;
        c->insn_index = c->insn_pc == UINT32_MAX ? 0 : c->insn_index + 1;
        c->insn_pc = (uint32_t)i->imm;
        break;
    case IR_CONST:
        c->is_const[i->dst] = true;
        c->const_val[i->dst] = i->type == IR_I64 ? i->imm : (uint32_t)i->imm;
        break;
    case IR_MOV: {
        X86Reg d = jit_dest_from(c, i->dst, i->a, ip, 0);
        (void)d;
        break;
    }
    case IR_GET_REG: jit_get_reg(c, i->dst, (unsigned)i->imm & 15); break;
    case IR_SET_REG: jit_set_reg(c, (unsigned)i->imm & 15, i->a); break;
    case IR_GET_FLAG: {
        if (jit_lazy_carry(c, i)) {
            c->lazy_carry = i->dst;
            c->lazy_carry_borrow = c->lazy_borrow;
            break;
        }
        X86Reg d = jit_dest_new(c, i->dst, 0);
        x86_movzx_rm(c->cb, d, flag_mem((unsigned)i->imm), 8, 32);
        break;
    }
    case IR_SET_FLAG:
        if (is_imm32(c, i->a)) {
            x86_mov_mi(c->cb, flag_mem((unsigned)i->imm), cval(c, i->a) & 1, 8);
        } else {
            x86_mov_rr(c->cb, X86_RAX, jit_use(c, i->a, 0), 32);
            x86_alu_ri(c->cb, X86_ALU_AND, X86_RAX, 1, 32);
            x86_mov_mr(c->cb, flag_mem((unsigned)i->imm), X86_RAX, 8);
        }
        break;
    case IR_COND: op_cond(c, i); break;
    case IR_ADD: case IR_SUB: case IR_ADC: case IR_SBC: case IR_AND: case IR_OR: case IR_XOR:
        op_arith(c, i, ip);
        break;
    case IR_ANDN: op_andn(c, i, ip); break;
    case IR_NOT: op_not(c, i, ip); break;
    case IR_SETNZ: op_setnz(c, i); break;
    case IR_LSL: case IR_LSR: case IR_ASR: case IR_ROR: op_shift(c, i, ip); break;
    case IR_LSL_C: case IR_LSR_C: case IR_ASR_C: case IR_ROR_C: op_shift_carry(c, i, ip); break;
    case IR_RRX: op_rrx(c, i, ip); break;
    case IR_FSHR: op_fshr(c, i, ip); break;
    case IR_MUL: case IR_UMULL: case IR_SMULL:
        if (!op_mul_mem(c, i, ip))
            op_mul(c, i, ip);
        break;
    case IR_UDIV: case IR_SDIV: case IR_UREM: op_div(c, i); break;
    case IR_ADD64: case IR_SUB64: case IR_PAIR64: case IR_LO32: case IR_HI32:
    case IR_SEXT8: case IR_SEXT16: case IR_ZEXT8: case IR_ZEXT16: case IR_CLZ: case IR_BSWAP:
        op_misc(c, i, ip);
        break;
    case IR_SETEQ: case IR_SETNE: case IR_SETLTU: case IR_SETLTS: op_compare(c, i); break;
    case IR_SELECT: op_select(c, i); break;
    case IR_LOAD: {
        if (!(c->key & CPSR_E)) {
            jit_load(c, i, ip);
            break;
        }
        /* Big-endian data (CPSR.E): always through the helper, which swaps. */
        jit_before_call(c, ip, false);
        /* jit_slow_load(cpu, addr, flags): flags as an immediate in RDX. */
        x86_mov_ri(c->cb, X86_RDX, i->imm);
        jit_emit_call(c, (const void *)jit_slow_load, i->a, 0, 0, 0, false);
        check_pending(c);
        if (i->dst) {
            X86Reg d = jit_dest_new(c, i->dst, 0);
            x86_mov_rr(c->cb, d, X86_RAX, 32);
        }
        break;
    }
    case IR_STORE:
        if (!(c->key & CPSR_E)) {
            jit_store(c, i, ip); /* writes to code leave through JIT_EXIT_RETRY */
            break;
        }
        c->insn_may_write = true;
        jit_before_call(c, ip, false);
        x86_mov_ri(c->cb, X86_RCX, i->imm);
        jit_emit_call(c, (const void *)jit_slow_store, i->a, i->b, 0, 0, false);
        check_pending(c);
        break;
    case IR_CALL:
        c->insn_may_write = true;
        emit_helper(c, i, ip, (const void *)(uintptr_t)i->imm, (i->fl & IR_CALL_WRITES_REGS) != 0,
                    (i->fl & IR_CALL_MAY_RAISE) != 0);
        break;
    case IR_LABEL:
        /* A join of paths: they must agree on where things are. A label only the
         * fall-through reaches (after a conditional exit) joins nothing. */
        if (i->imm >= JIT_MAX_LABELS || jit_flags_label_has_edges(c, (unsigned)i->imm) ||
            c->unreachable)
            jit_sync_point(c, ip, true);
        if (i->imm < JIT_MAX_LABELS) {
            if (jit_flags_label(c, (unsigned)i->imm))
                x86_label_bind(c->cb, &c->labels[i->imm]);
        } else {
            c->failed = true;
        }
        break;
    case IR_BR:
        jit_sync_point(c, ip, false);
        if (i->imm < JIT_MAX_LABELS)
            jit_flags_jump(c, (unsigned)i->imm, false, X86_CC_E);
        else
            c->failed = true;
        c->unreachable = true;
        break;
    case IR_BRZ:
    case IR_BRNZ: {
        X86Reg h = jit_use(c, i->a, 0);
        jit_sync_point(c, ip, false);
        x86_test_rr(c->cb, h, h, 32);
        if (i->imm < JIT_MAX_LABELS)
            jit_flags_jump(c, (unsigned)i->imm, true, i->op == IR_BRZ ? X86_CC_Z : X86_CC_NZ);
        else
            c->failed = true;
        break;
    }
    case IR_EXIT_DIRECT: {
        jit_write_back_all(c);
        jit_give_back(c, jit_rest(c));
        JitExit *e = jit_new_exit(c, JIT_EXIT_DIRECT, (uint32_t)i->imm, 0);
        e->jmp_site = x86_jmp_rel32_patchable(c->cb, code_buffer_ptr(c->cb));
        c->unreachable = true;
        break;
    }
    case IR_EXIT_SYNC: {
        jit_write_back_all(c);
        JitExit *e = jit_new_exit(c, JIT_EXIT_SYNC, (uint32_t)i->imm, jit_rest(c));
        x86_mov_mi(c->cb, jit_guest_reg_mem(15), (int32_t)(uint32_t)i->imm, 32);
        jit_emit_leave(c, (unsigned)(e - c->exits));
        c->unreachable = true;
        break;
    }
    case IR_EXIT_INDIRECT: {
        X86Reg h = jit_use(c, i->a, 0);
        jit_write_back_all(c);
        jit_give_back(c, jit_rest(c));
        if (!(i->fl & IR_EXIT_NEW_MODE))
            jump_cache_lookup(c, h);
        x86_mov_mr(c->cb, jit_guest_reg_mem(15), h, 32);
        if (i->fl & IR_EXIT_NEW_MODE) {
            /* An exception return or a mode change: find the next block by the new
             * mode's key without leaving translated code. */
            x86_jmp(c->cb, c->jit->dispatch);
        } else {
            JitExit *e = jit_new_exit(c, JIT_EXIT_INDIRECT, 0, 0);
            jit_emit_leave(c, (unsigned)(e - c->exits));
        }
        c->unreachable = true;
        break;
    }
    case IR_RAISE: {
        jit_write_back_all(c);
        uint32_t rest = jit_rest(c);
        ArmException exc = (ArmException)i->imm;
        if (exc == ARM_EXC_SVC || exc == ARM_EXC_UNDEF || exc == ARM_EXC_BKPT) {
            /* Take the exception here (ARM ARM B1.8.3: the instruction counts; those
             * after it in the block give their budget back) and go on to the vector's
             * block through the dispatcher, without a trip through the engine. The
             * exact count goes to cpu->budget first: the exception entry may read it
             * (user/privileged instruction counts, see arm_cpu_insns_now). */
            x86_lea(c->cb, X86_RAX, x86_mem(JIT_BUDGET_REG, (int32_t)rest), 64);
            x86_mov_mr(c->cb, jit_cpu_field(offsetof(ArmCpu, budget)), X86_RAX, 64);
            x86_mov_ri(c->cb, X86_RDX, c->insn_pc);
            x86_mov_ri(c->cb, X86_RSI, (uint64_t)exc);
            x86_mov_rr(c->cb, X86_RDI, X86_RBP, 64);
            x86_call_abs(c->cb, (const void *)arm_take_exception, X86_RAX);
            if (rest)
                x86_alu_ri(c->cb, X86_ALU_ADD, JIT_BUDGET_REG, (int32_t)rest, 64);
            x86_jmp(c->cb, c->jit->dispatch);
        } else {
            JitExit *e = jit_new_exit(c, JIT_EXIT_RAISE, c->insn_pc, rest);
            e->exc = (uint32_t)i->imm;
            jit_emit_leave(c, (unsigned)(e - c->exits));
        }
        c->unreachable = true;
        break;
    }
    case IR_OP_COUNT:
        c->failed = true;
        break;
    }
}

void jit_emit_div_zero_stubs(JitCtx *c)
{
    for (unsigned k = 0; k < c->n_div0; k++) {
        JitDivZero *z = &c->div0[k];
        x86_label_bind(c->cb, &z->zero);
        if (z->rem)
            x86_mov_rr(c->cb, z->result, z->dividend, 32);
        else
            x86_alu_rr(c->cb, X86_ALU_XOR, z->result, z->result, 32);
        x86_jmp_label(c->cb, &z->back);
    }
}

/* The fault exits collected while compiling, emitted after the block body. */
void jit_emit_fault_stubs(JitCtx *c)
{
    for (unsigned k = 0; k < c->n_faults; k++) {
        x86_label_bind(c->cb, &c->faults[k].label);
        jit_emit_leave(c, c->faults[k].exit);
    }
}
