/*
 * A32 loads and stores (ARM ARM A5.3 "Load/store word and unsigned byte", A5.2.8 "Extra
 * load/store instructions", A5.2.10 "Synchronization primitives", A5.5 "Branch, branch
 * with link, and block data transfer"; the instruction pages in A8.8; the system forms
 * LDM/STM with ^ in B9.3).
 *
 * Precision: a load or store that faults raises a data abort for this instruction with
 * the guest registers exactly as before it. So every translation reads all its source
 * registers and computes its addresses into temps, does all its loads into temps, and
 * only then writes destination registers and the base; a store writes back the base
 * after its stores. (A multi-register store may have written part of memory when it
 * faults; the architecture allows that, ARM ARM B1.9 "Data Abort exception".)
 *
 * Alignment: LDM/STM, LDRD/STRD, SWP and the exclusives always require word (or natural)
 * alignment (IR_MEM_ALIGN, ARM ARM A3.2.1 Table A3-1); LDR/STR/LDRH/STRH and their T
 * forms follow SCTLR.A at run time (arm_mem_read/arm_mem_write handle that).
 *
 * UNPREDICTABLE cases (we follow QEMU 7.2 for cortex-a15 where it does something simple,
 * checked against qemu-system-arm; otherwise UNDEFINED):
 *  - writeback with Rn == 15 (any form): UNDEFINED (QEMU writes the address to the PC).
 *  - load with writeback and Rn == Rt (LDR, LDRB, LDRH, LDRSB, LDRSH and T forms): the
 *    base is written back first, then the loaded value, so the loaded value wins (QEMU).
 *  - LDRD with writeback and Rn == Rt or Rt2: Rt, Rt2, then the base, so the writeback
 *    wins (QEMU's order).
 *  - store with writeback and Rn == Rt: the original Rt is stored (QEMU).
 *  - a load of a byte, halfword, doubleword or T form into the PC (LDRB/LDRH/LDRSB/LDRSH
 *    Rt = 15, LDRT pc, LDRD with Rt = 14): UNDEFINED (QEMU branches to the value).
 *  - a store of the PC where UNPREDICTABLE (STRB/STRH/STRD/STRxT/SWP Rt2): stores
 *    PC + 8 (QEMU). Register offset Rm = 15 reads PC + 8 (QEMU).
 *  - LDM with writeback and the base in the list: UNDEFINED (QEMU, ARMv7 rule).
 *  - STM with writeback and the base in the list, not lowest: the original base value
 *    is stored (QEMU).
 *  - LDM/STM with an empty list or Rn = 15: UNDEFINED (QEMU).
 *  - LDM (User registers) with writeback: UNDEFINED; STM (User registers) with writeback:
 *    writes back (both QEMU).
 *  - LDM/STM with ^ in System mode: the User registers are the current ones (QEMU uses
 *    the stale banked SP/LR there). In User and Hyp mode they are UNDEFINED (B9.3).
 *  - SWP/SWPB: executed as on ARMv6 (QEMU 7.2 ignores SCTLR.SW on cortex-a15); Rt = 15
 *    is UNDEFINED.
 *  - LDREX/STREX: UNDEFINED for Rt/Rn/Rd = 15, Rd == Rn or Rd == Rt, odd Rt or Rt = 14
 *    for the doubleword forms (QEMU). The "should be one" bits 11:8 (and 3:0 of LDREX)
 *    and the "should be zero" bits 11:8 of the register forms of A5.2.8 and of SWP are
 *    decoded as fixed bits, as QEMU's decoder does: other values are UNDEFINED there
 *    (on ARMv8 they are the load-acquire/store-release space).
 */
#include "frontend-arm/translate.h"

#include "frontend-arm/helpers_mem.h"

/* --- shared code generation --- */

/* base + off or base - off; off == 0 means a zero offset (no IR emitted). */
static IrTemp offset_addr(ArmTrans *t, IrTemp base, IrTemp off, bool add)
{
    if (!off)
        return base;
    return ir_op2(t->b, add ? IR_ADD : IR_SUB, base, off);
}

/* One load or store of a single register (A8.8 pseudocode of LDR/STR and relatives):
 *   offset_addr = Rn +/- offset; address = index ? offset_addr : Rn;
 *   load: data = Mem[address]; if wback then Rn = offset_addr; Rt = data (LoadWritePC
 *         for Rt = 15);
 *   store: Mem[address] = Rt; if wback then Rn = offset_addr.
 * The caller has only emitted the reads of Rn (`base`) and of the offset (`off`), and
 * has rejected Rn == 15 with writeback. */
static void emit_single(ArmTrans *t, bool load, unsigned memflags, unsigned rt, unsigned rn,
                        IrTemp base, IrTemp off, bool index, bool add, bool wback)
{
    IrBlock *b = t->b;
    IrTemp oaddr = offset_addr(t, base, off, add);
    IrTemp addr = index ? oaddr : base;
    if (load) {
        IrTemp v = ir_load(b, addr, memflags);
        if (wback)
            tr_set_reg(t, rn, oaddr);
        tr_set_reg(t, rt, v); /* r15: interworking branch, ends the block */
    } else {
        IrTemp v = tr_reg(t, rt);
        ir_store(b, addr, v, memflags);
        if (wback)
            tr_set_reg(t, rn, oaddr);
    }
}

/* --- A5.3: LDR, STR, LDRB, STRB and their T forms --- */

/* Field decode and UNPREDICTABLE checks shared by the immediate and register forms.
 * P = 0, W = 1 selects the unprivileged T form (always post-indexed, IR_MEM_USER). */
typedef struct WordByte {
    bool load, index, add, wback;
    unsigned rn, rt, memflags;
} WordByte;

static bool decode_word_byte(uint32_t insn, WordByte *d)
{
    bool p = bit(insn, 24), w = bit(insn, 21), byte = bit(insn, 22);
    bool unpriv = !p && w;
    d->load = bit(insn, 20);
    d->index = p;
    d->add = bit(insn, 23);
    d->wback = !p || w;
    d->rn = bits(insn, 19, 16);
    d->rt = bits(insn, 15, 12);
    d->memflags = (byte ? 1 : 4) | (unpriv ? IR_MEM_USER : 0);
    if (d->wback && d->rn == 15)
        return false;
    if (d->load && d->rt == 15 && (byte || unpriv))
        return false;
    return true;
}

/* ARM ARM A8.8: LDR (immediate, ARM), LDR (literal), LDRB (immediate, ARM), LDRB
 * (literal), STR (immediate, ARM), STRB (immediate, ARM), LDRT / LDRBT / STRT / STRBT
 * (encoding A1), POP / PUSH (single register, encoding A2).
 * For the literal forms the base reads as Align(PC, 4) = insn + 8 in ARM state. */
static bool trans_ldst_imm(ArmTrans *t, uint32_t insn)
{
    WordByte d;
    if (!decode_word_byte(insn, &d))
        return false;
    uint32_t imm = bits(insn, 11, 0);
    IrTemp base = tr_reg(t, d.rn);
    IrTemp off = imm ? ir_const(t->b, imm) : 0;
    emit_single(t, d.load, d.memflags, d.rt, d.rn, base, off, d.index, d.add, d.wback);
    return true;
}

/* ARM ARM A8.8: LDR (register, ARM), LDRB (register), STR (register), STRB (register),
 * and the T forms (encoding A2 of LDRT/LDRBT/STRT/STRBT):
 * offset = Shift(Rm, DecodeImmShift(type, imm5), C). */
static bool trans_ldst_reg(ArmTrans *t, uint32_t insn)
{
    WordByte d;
    if (!decode_word_byte(insn, &d))
        return false;
    IrTemp base = tr_reg(t, d.rn);
    IrTemp off = tr_shift_imm(t, tr_reg(t, bits(insn, 3, 0)), bits(insn, 6, 5), bits(insn, 11, 7), NULL);
    emit_single(t, d.load, d.memflags, d.rt, d.rn, base, off, d.index, d.add, d.wback);
    return true;
}

/* --- A5.2.8: extra load/store (halfword, signed byte/halfword, doubleword) --- */

typedef struct Extra {
    bool load, index, add, wback, unpriv;
    unsigned rn, rt, op2;
} Extra;

static void decode_extra(uint32_t insn, Extra *d)
{
    bool p = bit(insn, 24), w = bit(insn, 21);
    d->load = bit(insn, 20);
    d->index = p;
    d->add = bit(insn, 23);
    d->wback = !p || w;
    d->unpriv = !p && w;
    d->rn = bits(insn, 19, 16);
    d->rt = bits(insn, 15, 12);
    d->op2 = bits(insn, 6, 5);
}

/* Memory flags of a halfword / signed form (op2 = bits 6:5, L = bit 20). */
static bool extra_single_flags(const Extra *d, unsigned *memflags)
{
    unsigned f;
    if (d->op2 == 1)
        f = 2;                   /* LDRH / STRH */
    else if (d->op2 == 2 && d->load)
        f = 1 | IR_MEM_SIGNED;   /* LDRSB */
    else if (d->op2 == 3 && d->load)
        f = 2 | IR_MEM_SIGNED;   /* LDRSH */
    else
        return false;            /* LDRD / STRD: not here */
    if (d->unpriv)
        f |= IR_MEM_USER;
    if (d->wback && d->rn == 15)
        return false;
    if (d->load && d->rt == 15)
        return false;
    *memflags = f;
    return true;
}

/* ARM ARM A8.8: LDRH (immediate, ARM), LDRH (literal), LDRSB (immediate), LDRSB
 * (literal), LDRSH (immediate), LDRSH (literal), STRH (immediate, ARM), and the T forms
 * LDRHT, LDRSBT, LDRSHT, STRHT (encoding A1). imm32 = imm4H:imm4L. */
static bool trans_extra_imm(ArmTrans *t, uint32_t insn)
{
    Extra d;
    unsigned memflags;
    decode_extra(insn, &d);
    if (!extra_single_flags(&d, &memflags))
        return false;
    uint32_t imm = (bits(insn, 11, 8) << 4) | bits(insn, 3, 0);
    IrTemp base = tr_reg(t, d.rn);
    IrTemp off = imm ? ir_const(t->b, imm) : 0;
    emit_single(t, d.load, memflags, d.rt, d.rn, base, off, d.index, d.add, d.wback);
    return true;
}

/* ARM ARM A8.8: LDRH (register), LDRSB (register), LDRSH (register), STRH (register),
 * and the T forms (encoding A2 of LDRHT/LDRSBT/LDRSHT/STRHT).
 * No shift. */
static bool trans_extra_reg(ArmTrans *t, uint32_t insn)
{
    Extra d;
    unsigned memflags;
    decode_extra(insn, &d);
    if (!extra_single_flags(&d, &memflags))
        return false;
    IrTemp base = tr_reg(t, d.rn);
    IrTemp off = tr_reg(t, bits(insn, 3, 0));
    emit_single(t, d.load, memflags, d.rt, d.rn, base, off, d.index, d.add, d.wback);
    return true;
}

/* LDRD/STRD (bit 20 = 0; op2 = bits 6:5 = 10 for LDRD, 11 for STRD). Rt must be even;
 * Rt2 = Rt + 1. Both words need word alignment whatever SCTLR.A says (A3.2.1). LDRD: Rt,
 * Rt2, then the base (QEMU's order: with an overlapping base the writeback wins). */
static bool emit_dual(ArmTrans *t, const Extra *d, bool register_form, uint32_t insn)
{
    IrBlock *b = t->b;
    unsigned rt = d->rt, rn = d->rn;
    bool load = d->op2 == 2;
    if ((rt & 1) || rt == 14)
        return false;
    if (d->wback && rn == 15)
        return false;
    IrTemp base = tr_reg(t, rn), off;
    if (register_form) {
        off = tr_reg(t, bits(insn, 3, 0));
    } else {
        uint32_t imm = (bits(insn, 11, 8) << 4) | bits(insn, 3, 0);
        off = imm ? ir_const(b, imm) : 0;
    }
    IrTemp oaddr = offset_addr(t, base, off, d->add);
    IrTemp addr = d->index ? oaddr : base;
    IrTemp addr2 = ir_op2(b, IR_ADD, addr, ir_const(b, 4));
    const unsigned f = 4 | IR_MEM_ALIGN;
    if (load) {
        IrTemp lo = ir_load(b, addr, f);
        IrTemp hi = ir_load(b, addr2, f);
        tr_set_reg(t, rt, lo);
        tr_set_reg(t, rt + 1, hi);
    } else {
        IrTemp lo = tr_reg(t, rt);
        IrTemp hi = tr_reg(t, rt + 1);
        ir_store(b, addr, lo, f);
        ir_store(b, addr2, hi, f);
    }
    if (d->wback)
        tr_set_reg(t, rn, oaddr);
    return true;
}

/* ARM ARM A8.8: LDRD (immediate), LDRD (literal), STRD (immediate).
 * P = 0, W = 1 is UNPREDICTABLE and has no pattern (UNDEFINED, as in QEMU). */
static bool trans_dual_imm(ArmTrans *t, uint32_t insn)
{
    Extra d;
    decode_extra(insn, &d);
    return emit_dual(t, &d, false, insn);
}

/* ARM ARM A8.8: LDRD (register), STRD (register). */
static bool trans_dual_reg(ArmTrans *t, uint32_t insn)
{
    Extra d;
    decode_extra(insn, &d);
    return emit_dual(t, &d, true, insn);
}

/* --- A5.5: LDM/STM --- */

/* The lowest address of the block: IA Rn, IB Rn + 4, DA Rn - 4n + 4, DB Rn - 4n
 * (A8.8 LDM, LDMIB, LDMDA, LDMDB and the STM pages). */
static IrTemp block_start(ArmTrans *t, IrTemp base, bool p, bool u, unsigned n)
{
    int32_t delta = u ? (p ? 4 : 0) : (p ? -4 * (int32_t)n : -4 * (int32_t)n + 4);
    if (delta == 0)
        return base;
    return ir_op2(t->b, IR_ADD, base, ir_const(t->b, (uint32_t)delta));
}

static IrTemp block_writeback(ArmTrans *t, IrTemp base, bool u, unsigned n)
{
    return ir_op2(t->b, u ? IR_ADD : IR_SUB, base, ir_const(t->b, 4 * n));
}

static IrTemp block_addr(ArmTrans *t, IrTemp start, unsigned k)
{
    return k ? ir_op2(t->b, IR_ADD, start, ir_const(t->b, 4 * k)) : start;
}

/* The ^ forms: UNDEFINED in User mode (QEMU; UNPREDICTABLE in the ARM ARM) and in Hyp
 * mode (B9.3 LDM (exception return), LDM/STM (User registers)). */
static bool user_forms_allowed(const ArmTrans *t)
{
    uint32_t mode = t->key & CPSR_M;
    return mode != ARM_MODE_USR && mode != ARM_MODE_HYP;
}

/* ARM ARM A8.8: LDM/LDMIA/LDMFD (ARM), LDMDA/LDMFA, LDMDB/LDMEA, LDMIB/LDMED, POP (ARM,
 * encoding A1); B9.3: LDM (User registers), LDM (exception return).
 * The loaded registers are written after all the loads, then the base, then the PC
 * (LoadWritePC, i.e. an interworking branch; or the exception return, which copies SPSR
 * to CPSR after the registers of the current mode were written). */
static bool trans_ldm(ArmTrans *t, uint32_t insn)
{
    IrBlock *b = t->b;
    bool p = bit(insn, 24), u = bit(insn, 23), s = bit(insn, 22), w = bit(insn, 21);
    unsigned rn = bits(insn, 19, 16);
    uint32_t list = bits(insn, 15, 0);
    unsigned n = (unsigned)__builtin_popcount(list);
    bool pc = bit(list, 15);
    bool user = s && !pc, eret = s && pc;
    uint32_t mode = t->key & CPSR_M;
    if (n == 0 || rn == 15)
        return false;
    if (w && bit(list, rn))
        return false;
    if (s && !user_forms_allowed(t))
        return false;
    if (user && w)
        return false;

    IrTemp base = tr_reg(t, rn);
    IrTemp start = block_start(t, base, p, u, n);
    IrTemp v[16] = { 0 };
    unsigned k = 0;
    for (unsigned r = 0; r < 16; r++)
        if (bit(list, r))
            v[r] = ir_load(b, block_addr(t, start, k++), 4 | IR_MEM_ALIGN);
    for (unsigned r = 0; r < 15; r++) {
        if (!bit(list, r))
            continue;
        if (user && arm_user_reg_is_banked(mode, r))
            tr_call(t, helper_set_user_reg, 0, ir_const(b, r), v[r], 0);
        else
            tr_set_reg(t, r, v[r]);
    }
    if (w)
        tr_set_reg(t, rn, block_writeback(t, base, u, n));
    if (eret)
        tr_exception_return(t, v[15]);
    else if (pc)
        tr_bx(t, v[15]);
    return true;
}

/* ARM ARM A8.8: STM/STMIA/STMEA, STMDA/STMED, STMDB/STMFD, STMIB/STMFA, PUSH (encoding
 * A1); B9.3: STM (User registers). The PC is stored as insn + 8
 * (PCStoreValue). All values, including the base, are read before any store. */
static bool trans_stm(ArmTrans *t, uint32_t insn)
{
    IrBlock *b = t->b;
    bool p = bit(insn, 24), u = bit(insn, 23), user = bit(insn, 22), w = bit(insn, 21);
    unsigned rn = bits(insn, 19, 16);
    uint32_t list = bits(insn, 15, 0);
    unsigned n = (unsigned)__builtin_popcount(list);
    uint32_t mode = t->key & CPSR_M;
    if (n == 0 || rn == 15)
        return false;
    if (user && !user_forms_allowed(t))
        return false;

    IrTemp base = tr_reg(t, rn);
    IrTemp v[16] = { 0 };
    for (unsigned r = 0; r < 16; r++) {
        if (!bit(list, r))
            continue;
        if (user && arm_user_reg_is_banked(mode, r))
            v[r] = tr_call(t, helper_get_user_reg, 0, ir_const(b, r), 0, 0);
        else
            v[r] = r == rn ? base : tr_reg(t, r);
    }
    IrTemp start = block_start(t, base, p, u, n);
    unsigned k = 0;
    for (unsigned r = 0; r < 16; r++)
        if (bit(list, r))
            ir_store(b, block_addr(t, start, k++), v[r], 4 | IR_MEM_ALIGN);
    if (w)
        tr_set_reg(t, rn, block_writeback(t, base, u, n));
    return true;
}

/* --- A5.2.10: synchronization primitives --- */

/* ARM ARM A8.8 SWP, SWPB: Rt = Mem[Rn]; Mem[Rn] = Rt2, as one atomic access (trivially so
 * with one CPU). A faulting store leaves Rt unchanged. SWP needs word alignment. */
static bool trans_swp(ArmTrans *t, uint32_t insn)
{
    IrBlock *b = t->b;
    unsigned rn = bits(insn, 19, 16), rt = bits(insn, 15, 12), rt2 = bits(insn, 3, 0);
    unsigned f = bit(insn, 22) ? 1 : (4 | IR_MEM_ALIGN);
    if (rt == 15)
        return false;
    IrTemp addr = tr_reg(t, rn);
    IrTemp nv = tr_reg(t, rt2);
    IrTemp old = ir_load(b, addr, f);
    ir_store(b, addr, nv, f);
    tr_set_reg(t, rt, old);
    return true;
}

/* Access size of an exclusive from bits 22:21 (A5.2.10): 00 word, 01 doubleword,
 * 10 byte, 11 halfword. */
static unsigned excl_size(uint32_t insn)
{
    static const unsigned sizes[4] = { 4, 8, 1, 2 };
    return sizes[bits(insn, 22, 21)];
}

/* ARM ARM A8.8: LDREX, LDREXB, LDREXD, LDREXH. */
static bool trans_ldrex(ArmTrans *t, uint32_t insn)
{
    IrBlock *b = t->b;
    unsigned rn = bits(insn, 19, 16), rt = bits(insn, 15, 12);
    unsigned size = excl_size(insn);
    if (rn == 15 || rt == 15)
        return false;
    if (size == 8 && ((rt & 1) || rt == 14))
        return false;
    IrTemp addr = tr_reg(t, rn);
    if (size == 8) {
        IrTemp v = ir_call64(b, helper_ldrexd, IR_CALL_MAY_RAISE, addr, 0, 0);
        IrTemp lo = ir_op1(b, IR_LO32, v);
        IrTemp hi = ir_op1(b, IR_HI32, v);
        tr_set_reg(t, rt, lo);
        tr_set_reg(t, rt + 1, hi);
    } else {
        IrTemp v = tr_call(t, helper_ldrex, IR_CALL_MAY_RAISE, addr, ir_const(b, size), 0);
        tr_set_reg(t, rt, v);
    }
    return true;
}

/* ARM ARM A8.8: STREX, STREXB, STREXD, STREXH:
 * Rd = 0 if the store happened, 1 if the exclusive monitor check failed. */
static bool trans_strex(ArmTrans *t, uint32_t insn)
{
    IrBlock *b = t->b;
    unsigned rn = bits(insn, 19, 16), rd = bits(insn, 15, 12), rt = bits(insn, 3, 0);
    unsigned size = excl_size(insn);
    if (rd == 15 || rn == 15 || rt == 15 || rd == rn || rd == rt)
        return false;
    if (size == 8 && ((rt & 1) || rt == 14 || rd == rt + 1))
        return false;
    IrTemp addr = tr_reg(t, rn);
    IrTemp status;
    if (size == 8)
        status = tr_call(t, helper_strexd, IR_CALL_MAY_RAISE, addr, tr_reg(t, rt), tr_reg(t, rt + 1));
    else
        status = tr_call(t, helper_strex, IR_CALL_MAY_RAISE, addr, tr_reg(t, rt), ir_const(b, size));
    tr_set_reg(t, rd, status);
    return true;
}

/* The decode table. Letters: c cond, P U B W L the addressing bits, n Rn, t Rt, d Rd,
 * m Rm, i immediate, y shift type, r register list. Patterns that differ only in the
 * name (pre-indexed vs post-indexed, PUSH/POP aliases) share a translate function.
 * Which pattern wins: more fixed bits first (decode.c); patterns here with the same
 * number of fixed bits never match the same encoding (tests/unit/test_a32_mem.c). */
const A32Pattern a32_mem_patterns[] = {
    /* A5.3, immediate offset (A = 0). P = 1: offset/pre-indexed; P = 0, W = 0:
     * post-indexed; P = 0, W = 1: unprivileged. */
    { "cccc0101U0W1nnnnttttiiiiiiiiiiii", trans_ldst_imm, "ldr-imm" },
    { "cccc0100U001nnnnttttiiiiiiiiiiii", trans_ldst_imm, "ldr-imm" },
    { "cccc0101U0011111ttttiiiiiiiiiiii", trans_ldst_imm, "ldr-lit" },
    { "cccc010010011101tttt000000000100", trans_ldst_imm, "pop" },
    { "cccc0100U011nnnnttttiiiiiiiiiiii", trans_ldst_imm, "ldrt-imm" },
    { "cccc0101U1W1nnnnttttiiiiiiiiiiii", trans_ldst_imm, "ldrb-imm" },
    { "cccc0100U101nnnnttttiiiiiiiiiiii", trans_ldst_imm, "ldrb-imm" },
    { "cccc0101U1011111ttttiiiiiiiiiiii", trans_ldst_imm, "ldrb-lit" },
    { "cccc0100U111nnnnttttiiiiiiiiiiii", trans_ldst_imm, "ldrbt-imm" },
    { "cccc0101U0W0nnnnttttiiiiiiiiiiii", trans_ldst_imm, "str-imm" },
    { "cccc0100U000nnnnttttiiiiiiiiiiii", trans_ldst_imm, "str-imm" },
    { "cccc010100101101tttt000000000100", trans_ldst_imm, "push" },
    { "cccc0100U010nnnnttttiiiiiiiiiiii", trans_ldst_imm, "strt-imm" },
    { "cccc0101U1W0nnnnttttiiiiiiiiiiii", trans_ldst_imm, "strb-imm" },
    { "cccc0100U100nnnnttttiiiiiiiiiiii", trans_ldst_imm, "strb-imm" },
    { "cccc0100U110nnnnttttiiiiiiiiiiii", trans_ldst_imm, "strbt-imm" },
    /* A5.3, register offset (A = 1, bit 4 = 0; bit 4 = 1 is the media space). */
    { "cccc0111U0W1nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "ldr-reg" },
    { "cccc0110U001nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "ldr-reg" },
    { "cccc0110U011nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "ldrt-reg" },
    { "cccc0111U1W1nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "ldrb-reg" },
    { "cccc0110U101nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "ldrb-reg" },
    { "cccc0110U111nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "ldrbt-reg" },
    { "cccc0111U0W0nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "str-reg" },
    { "cccc0110U000nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "str-reg" },
    { "cccc0110U010nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "strt-reg" },
    { "cccc0111U1W0nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "strb-reg" },
    { "cccc0110U100nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "strb-reg" },
    { "cccc0110U110nnnnttttiiiiiyy0mmmm", trans_ldst_reg, "strbt-reg" },

    /* A5.2.8 extra load/store: bits 7:4 = 1011 (H), 1101 (D / SB), 1111 (D / SH); bit 22
     * selects the immediate form. The fixed bit 7 = 1 and bit 4 = 1 set these apart from
     * data processing (bit 4 = 0, or bit 7 = 0 with a register shift) and 1001 from the
     * multiplies and synchronization primitives. */
    { "cccc0001U1W1nnnnttttiiii1011iiii", trans_extra_imm, "ldrh-imm" },
    { "cccc0000U101nnnnttttiiii1011iiii", trans_extra_imm, "ldrh-imm" },
    { "cccc0000U111nnnnttttiiii1011iiii", trans_extra_imm, "ldrht-imm" },
    { "cccc0001U0W1nnnntttt00001011mmmm", trans_extra_reg, "ldrh-reg" },
    { "cccc0000U001nnnntttt00001011mmmm", trans_extra_reg, "ldrh-reg" },
    { "cccc0000U011nnnntttt00001011mmmm", trans_extra_reg, "ldrht-reg" },
    { "cccc0001U1W0nnnnttttiiii1011iiii", trans_extra_imm, "strh-imm" },
    { "cccc0000U100nnnnttttiiii1011iiii", trans_extra_imm, "strh-imm" },
    { "cccc0000U110nnnnttttiiii1011iiii", trans_extra_imm, "strht-imm" },
    { "cccc0001U0W0nnnntttt00001011mmmm", trans_extra_reg, "strh-reg" },
    { "cccc0000U000nnnntttt00001011mmmm", trans_extra_reg, "strh-reg" },
    { "cccc0000U010nnnntttt00001011mmmm", trans_extra_reg, "strht-reg" },
    { "cccc0001U1W1nnnnttttiiii1101iiii", trans_extra_imm, "ldrsb-imm" },
    { "cccc0000U101nnnnttttiiii1101iiii", trans_extra_imm, "ldrsb-imm" },
    { "cccc0000U111nnnnttttiiii1101iiii", trans_extra_imm, "ldrsbt-imm" },
    { "cccc0001U0W1nnnntttt00001101mmmm", trans_extra_reg, "ldrsb-reg" },
    { "cccc0000U001nnnntttt00001101mmmm", trans_extra_reg, "ldrsb-reg" },
    { "cccc0000U011nnnntttt00001101mmmm", trans_extra_reg, "ldrsbt-reg" },
    { "cccc0001U1W1nnnnttttiiii1111iiii", trans_extra_imm, "ldrsh-imm" },
    { "cccc0000U101nnnnttttiiii1111iiii", trans_extra_imm, "ldrsh-imm" },
    { "cccc0000U111nnnnttttiiii1111iiii", trans_extra_imm, "ldrsht-imm" },
    { "cccc0001U0W1nnnntttt00001111mmmm", trans_extra_reg, "ldrsh-reg" },
    { "cccc0000U001nnnntttt00001111mmmm", trans_extra_reg, "ldrsh-reg" },
    { "cccc0000U011nnnntttt00001111mmmm", trans_extra_reg, "ldrsht-reg" },
    { "cccc0001U1W0nnnnttttiiii1101iiii", trans_dual_imm, "ldrd-imm" },
    { "cccc0000U100nnnnttttiiii1101iiii", trans_dual_imm, "ldrd-imm" },
    { "cccc0001U0W0nnnntttt00001101mmmm", trans_dual_reg, "ldrd-reg" },
    { "cccc0000U000nnnntttt00001101mmmm", trans_dual_reg, "ldrd-reg" },
    { "cccc0001U1W0nnnnttttiiii1111iiii", trans_dual_imm, "strd-imm" },
    { "cccc0000U100nnnnttttiiii1111iiii", trans_dual_imm, "strd-imm" },
    { "cccc0001U0W0nnnntttt00001111mmmm", trans_dual_reg, "strd-reg" },
    { "cccc0000U000nnnntttt00001111mmmm", trans_dual_reg, "strd-reg" },

    /* A5.5 block transfers. */
    { "cccc100010W1nnnnrrrrrrrrrrrrrrrr", trans_ldm, "ldm" },
    { "cccc100000W1nnnnrrrrrrrrrrrrrrrr", trans_ldm, "ldmda" },
    { "cccc100100W1nnnnrrrrrrrrrrrrrrrr", trans_ldm, "ldmdb" },
    { "cccc100110W1nnnnrrrrrrrrrrrrrrrr", trans_ldm, "ldmib" },
    { "cccc100010111101rrrrrrrrrrrrrrrr", trans_ldm, "pop" },
    { "cccc100PU1W1nnnn0rrrrrrrrrrrrrrr", trans_ldm, "ldm-user" },
    { "cccc100PU1W1nnnn1rrrrrrrrrrrrrrr", trans_ldm, "ldm-eret" },
    { "cccc100010W0nnnnrrrrrrrrrrrrrrrr", trans_stm, "stm" },
    { "cccc100000W0nnnnrrrrrrrrrrrrrrrr", trans_stm, "stmda" },
    { "cccc100100W0nnnnrrrrrrrrrrrrrrrr", trans_stm, "stmdb" },
    { "cccc100110W0nnnnrrrrrrrrrrrrrrrr", trans_stm, "stmib" },
    { "cccc100100101101rrrrrrrrrrrrrrrr", trans_stm, "push" },
    { "cccc100PU1W0nnnnrrrrrrrrrrrrrrrr", trans_stm, "stm-user" },

    /* A5.2.10 synchronization primitives. */
    { "cccc00010000nnnntttt00001001mmmm", trans_swp, "swp" },
    { "cccc00010100nnnntttt00001001mmmm", trans_swp, "swpb" },
    { "cccc00011000nnnndddd11111001tttt", trans_strex, "strex" },
    { "cccc00011010nnnndddd11111001tttt", trans_strex, "strexd" },
    { "cccc00011100nnnndddd11111001tttt", trans_strex, "strexb" },
    { "cccc00011110nnnndddd11111001tttt", trans_strex, "strexh" },
    { "cccc00011001nnnntttt111110011111", trans_ldrex, "ldrex" },
    { "cccc00011011nnnntttt111110011111", trans_ldrex, "ldrexd" },
    { "cccc00011101nnnntttt111110011111", trans_ldrex, "ldrexb" },
    { "cccc00011111nnnntttt111110011111", trans_ldrex, "ldrexh" },
    { NULL, NULL, NULL },
};
