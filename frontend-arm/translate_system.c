/*
 * System instructions: PSR access (MRS/MSR, banked forms), CPS, SETEND, SRS/RFE, hints
 * and barriers, preload hints, coprocessor access (MRC/MCR/MRRC/MCRR), SVC, BKPT, HLT,
 * UDF, CLREX, and semihosting traps. ARM ARM A5.2.12 (miscellaneous), A5.7
 * (unconditional), A5.6 (coprocessor), B9.3 (system instruction pages).
 */
#include "frontend-arm/helpers.h"
#include "frontend-arm/translate.h"

#define SEMIHOST_SVC_ARM 0x123456u
#define SEMIHOST_HLT_ARM 0xf000u

/* MSR field mask (A8.8.109): c = [7:0], x = [15:8], s = [23:16], f = [31:24]. */
static uint32_t msr_byte_mask(uint32_t fields)
{
    uint32_t m = 0;
    for (unsigned k = 0; k < 4; k++)
        if (fields & (1u << k))
            m |= 0xffu << (8 * k);
    return m;
}

/* MRS (A8.8.109 / B9.3.9): Rd = CPSR or SPSR. Reading SPSR in User mode: UNDEFINED
 * (UNPREDICTABLE in the ARM ARM; QEMU's choice). */
static bool trans_mrs(ArmTrans *t, uint32_t insn)
{
    unsigned rd = bits(insn, 15, 12);
    bool spsr = bit(insn, 22);
    if (rd == 15 || (spsr && tr_is_user(t)))
        return false;
    IrTemp v = spsr ? tr_call(t, helper_mrs_spsr, 0, 0, 0, 0)
                    : tr_call(t, helper_mrs_cpsr, IR_CALL_READS_FLAGS, 0, 0, 0);
    ir_set_reg(t->b, rd, v);
    return true;
}

/* MSR to the CPSR or SPSR. Writes that can change the mode key end the block. */
static bool msr_common(ArmTrans *t, bool spsr, uint32_t fields, IrTemp v)
{
    uint32_t mask = msr_byte_mask(fields);
    IrTemp m = ir_const(t->b, mask);
    if (spsr) {
        tr_call(t, helper_msr_spsr, 0, v, m, 0);
        return true;
    }
    tr_call(t, helper_msr_cpsr, IR_CALL_READS_FLAGS | IR_CALL_WRITES_FLAGS | IR_CALL_WRITES_REGS, v, m, 0);
    /* A change of mode, masks or state ends the block; so does one of CPSR.E, which user
     * mode may write too: the data endianness is part of the mode key, which the
     * accesses after it were translated for. */
    if ((mask & 0x00ffffffu) && (!tr_is_user(t) || (mask & CPSR_E)))
        tr_sync_next(t);
    return true;
}

static bool trans_msr_reg(ArmTrans *t, uint32_t insn)
{
    unsigned rn = bits(insn, 3, 0), fields = bits(insn, 19, 16);
    bool spsr = bit(insn, 22);
    if (rn == 15 || fields == 0 || (spsr && tr_is_user(t)))
        return false;
    return msr_common(t, spsr, fields, tr_reg(t, rn));
}

static bool trans_msr_imm(ArmTrans *t, uint32_t insn)
{
    unsigned fields = bits(insn, 19, 16);
    bool spsr = bit(insn, 22);
    if (fields == 0 || (spsr && tr_is_user(t)))
        return false;
    return msr_common(t, spsr, fields, ir_const(t->b, tr_expand_imm(bits(insn, 11, 0))));
}

/* Banked register access (B9.3.10 MRS (Banked register), B9.3.12 MSR (Banked register)),
 * part of the Virtualization Extensions: UNDEFINED without them, and in User mode; the
 * run-time helper rejects the accesses that the current mode makes UNPREDICTABLE. */
static unsigned banked_sysm(uint32_t insn)
{
    return (bit(insn, 22) << 5) | (bit(insn, 8) << 4) | bits(insn, 19, 16);
}

static bool trans_mrs_banked(ArmTrans *t, uint32_t insn)
{
    unsigned rd = bits(insn, 15, 12);
    if (!t->cpu->env.has_virtualization || rd == 15 || tr_is_user(t))
        return false;
    IrTemp v = tr_call(t, helper_mrs_banked, IR_CALL_MAY_RAISE, ir_const(t->b, banked_sysm(insn)), 0, 0);
    ir_set_reg(t->b, rd, v);
    return true;
}

static bool trans_msr_banked(ArmTrans *t, uint32_t insn)
{
    unsigned rn = bits(insn, 3, 0);
    if (!t->cpu->env.has_virtualization || rn == 15 || tr_is_user(t))
        return false;
    tr_call(t, helper_msr_banked, IR_CALL_MAY_RAISE | IR_CALL_WRITES_REGS,
            ir_const(t->b, banked_sysm(insn)), tr_reg(t, rn), 0);
    return true;
}

/* CPS (B9.3.2): imod 10 enables (clears) and 11 disables (sets) the selected A/I/F
 * masks; M changes the mode. A NOP in User mode. */
static bool trans_cps(ArmTrans *t, uint32_t insn)
{
    unsigned imod = bits(insn, 19, 18), m = bit(insn, 17), mode = bits(insn, 4, 0);
    uint32_t aif = (bit(insn, 8) ? CPSR_A : 0) | (bit(insn, 7) ? CPSR_I : 0) | (bit(insn, 6) ? CPSR_F : 0);
    if ((imod == 0 && !m) || imod == 1)
        return false; /* UNPREDICTABLE encodings */
    if (tr_is_user(t))
        return true;
    uint32_t set = imod == 3 ? aif : 0, clear = imod == 2 ? aif : 0;
    IrBlock *b = t->b;
    tr_call(t, helper_cps, IR_CALL_READS_FLAGS | IR_CALL_WRITES_REGS, ir_const(b, set), ir_const(b, clear),
            ir_const(b, m ? (0x100u | mode) : 0));
    tr_sync_next(t);
    return true;
}

/* SETEND (A8.8.141): data endianness is part of the mode key. */
static bool trans_setend(ArmTrans *t, uint32_t insn)
{
    tr_call(t, helper_setend, 0, ir_const(t->b, bit(insn, 9)), 0, 0);
    tr_sync_next(t);
    return true;
}

/* SRS (B9.3.16) and RFE (B9.3.13): UNDEFINED in User mode (UNPREDICTABLE, QEMU's choice). */
static bool trans_srs(ArmTrans *t, uint32_t insn)
{
    if (tr_is_user(t))
        return false;
    tr_call(t, helper_srs, IR_CALL_MAY_RAISE | IR_CALL_WRITES_REGS, ir_const(t->b, insn), 0, 0);
    return true;
}

static bool trans_rfe(ArmTrans *t, uint32_t insn)
{
    if (tr_is_user(t) || bits(insn, 19, 16) == 15)
        return false;
    IrTemp pc = tr_call(t, helper_rfe, IR_CALL_MAY_RAISE | IR_CALL_WRITES_REGS | IR_CALL_WRITES_FLAGS,
                        ir_const(t->b, insn), 0, 0);
    ir_exit_indirect_new_mode(t->b, pc);
    t->end_block = true;
    return true;
}

/* Hints (A5.2.11): NOP, YIELD, WFE, WFI, SEV, DBG. WFI (B1.8.13) completes, then the
 * CPU waits for an interrupt: the helper marks it waiting and the block ends, so the
 * execution loop sees it. WFE consumes the event register. */
static bool trans_hint(ArmTrans *t, uint32_t insn)
{
    unsigned op = bits(insn, 7, 0);
    switch (op) {
    case 0: /* NOP */
    case 1: /* YIELD */
        return true;
    case 3: /* WFI */
        tr_call(t, helper_wfi, 0, 0, 0, 0);
        tr_sync_next(t);
        return true;
    case 2: /* WFE */
        tr_call(t, helper_wfe, 0, 0, 0, 0);
        return true;
    case 4: /* SEV */
        tr_call(t, helper_sev, 0, 0, 0, 0);
        return true;
    default:
        return true; /* DBG and the unallocated hints execute as NOPs (A5.2.11) */
    }
}

static bool trans_nop(ArmTrans *t, uint32_t insn)
{
    (void)t; (void)insn;
    return true;
}

/* DSB, DMB: a single CPU with no reordering needs nothing. ISB: a context
 * synchronisation, so later instructions are fetched anew: end the block. The next
 * block is found by the loop (and chained): a store that rewrote code has already
 * invalidated it, and a changed mapping has already unchained what it made stale. */
static bool trans_isb(ArmTrans *t, uint32_t insn)
{
    (void)insn;
    tr_end_next(t);
    return true;
}

static bool trans_clrex(ArmTrans *t, uint32_t insn)
{
    (void)insn;
    tr_call(t, helper_clrex, 0, 0, 0, 0);
    return true;
}

/* SVC (A8.8.228); SVC 0x123456 from a privileged mode is a semihosting call when
 * semihosting is enabled (as QEMU does without userspace semihosting). */
static bool trans_svc(ArmTrans *t, uint32_t insn)
{
    if (t->cpu->env.semihosting && bits(insn, 23, 0) == SEMIHOST_SVC_ARM && !tr_is_user(t)) {
        tr_call(t, helper_semihost, IR_CALL_WRITES_REGS, 0, 0, 0);
        tr_sync_next(t);
        return true;
    }
    tr_raise(t, ARM_EXC_SVC);
    return true;
}

/* HLT (ARMv8 A32, UNDEFINED on ARMv7) is only recognised as the semihosting trap. */
static bool trans_hlt(ArmTrans *t, uint32_t insn)
{
    uint32_t imm = (bits(insn, 19, 8) << 4) | bits(insn, 3, 0);
    if (!t->cpu->env.semihosting || imm != SEMIHOST_HLT_ARM || tr_is_user(t))
        return false;
    tr_call(t, helper_semihost, IR_CALL_WRITES_REGS, 0, 0, 0);
    tr_sync_next(t);
    return true;
}

/* BKPT (A8.8.24): a debug event, taken as a prefetch abort (no external debugger). */
static bool trans_bkpt(ArmTrans *t, uint32_t insn)
{
    if (bits(insn, 31, 28) != 14)
        return false; /* UNPREDICTABLE if conditional */
    tr_raise(t, ARM_EXC_BKPT);
    return true;
}

/* UDF (A8.8.247), and HVC, SMC and ERET (B9.3.4, B9.3.14, B9.3.3), which are UNDEFINED
 * because the Virtualization and Security Extensions are not exposed (QEMU's virt
 * default). They get patterns of their own so that they are never mistaken for the
 * data-processing encodings they sit inside. */
static bool trans_undefined(ArmTrans *t, uint32_t insn)
{
    (void)t; (void)insn;
    return false;
}

/* HVC (B9.3.4): UNDEFINED without the Virtualization Extensions, except that the board
 * may handle it from PL1 as a firmware call (PSCI over HVC, QEMU's virt). The immediate
 * is ignored, as QEMU does. */
static bool trans_hvc(ArmTrans *t, uint32_t insn)
{
    if (!t->cpu->env.hvc_fn || tr_is_user(t) || bits(insn, 31, 28) != 14)
        return false;
    tr_call(t, helper_hvc, IR_CALL_WRITES_REGS, 0, 0, 0);
    tr_sync_next(t);
    return true;
}

/* Coprocessors 10 and 11 are VFP/Advanced SIMD, not implemented yet: UNDEFINED like the
 * rest of the unimplemented coprocessor space. */
static bool cp_is_vfp(uint32_t insn)
{
    return (bits(insn, 11, 8) & 0xe) == 0xa;
}

/* MCR/MRC (A8.8.98, A8.8.107). MRC with Rt = PC writes the N, Z, C, V flags. */
static bool trans_mrc(ArmTrans *t, uint32_t insn)
{
    if (cp_is_vfp(insn))
        return false;
    IrBlock *b = t->b;
    unsigned rt = bits(insn, 15, 12);
    IrTemp v = tr_call(t, helper_cp_read, IR_CALL_MAY_RAISE, ir_const(b, insn), 0, 0);
    if (rt == 15) {
        static const unsigned flags[4] = { IR_FLAG_V, IR_FLAG_C, IR_FLAG_Z, IR_FLAG_N };
        for (unsigned k = 0; k < 4; k++)
            ir_set_flag(b, flags[k], ir_op2(b, IR_LSR, v, ir_const(b, 28 + k)));
    } else {
        ir_set_reg(b, rt, v);
    }
    return true;
}

/* MCR p15, 0, Rt, c2, c0, {0,1} (TTBR0/1), c3, c0, 0 (DACR), c13, c0, 1 (CONTEXTIDR). */
static bool mcr_is_context_switch(uint32_t insn)
{
    if (bits(insn, 11, 8) != 15 || bits(insn, 23, 21) != 0 || bits(insn, 3, 0) != 0)
        return false;
    unsigned crn = bits(insn, 19, 16), opc2 = bits(insn, 7, 5);
    return (crn == 2 && opc2 <= 1) || (crn == 3 && opc2 == 0) || (crn == 13 && opc2 == 1);
}

static bool trans_mcr(ArmTrans *t, uint32_t insn)
{
    unsigned rt = bits(insn, 15, 12);
    if (cp_is_vfp(insn) || rt == 15)
        return false;
    tr_call(t, helper_cp_write, IR_CALL_MAY_RAISE | IR_CALL_WRITES_REGS, ir_const(t->b, insn), tr_reg(t, rt), 0);
    /* System control writes (SCTLR, VBAR, ...) take effect for the next instruction: back
     * to the loop. A context switch's registers (TTBR0/1, DACR, CONTEXTIDR) only end the
     * block, chainably: what they make stale is unchained when they are written. */
    if (mcr_is_context_switch(insn))
        tr_end_next(t);
    else
        tr_sync_next(t);
    return true;
}

/* MCRR/MRRC (A8.8.99, A8.8.108): Rt = low word, Rt2 = high word. */
static bool trans_mrrc(ArmTrans *t, uint32_t insn)
{
    unsigned rt = bits(insn, 15, 12), rt2 = bits(insn, 19, 16);
    if (cp_is_vfp(insn) || rt == 15 || rt2 == 15 || rt == rt2)
        return false;
    IrBlock *b = t->b;
    IrTemp v = ir_call64(b, helper_cp_read64, IR_CALL_MAY_RAISE, ir_const(b, insn), 0, 0);
    ir_set_reg(b, rt, ir_op1(b, IR_LO32, v));
    ir_set_reg(b, rt2, ir_op1(b, IR_HI32, v));
    return true;
}

static bool trans_mcrr(ArmTrans *t, uint32_t insn)
{
    unsigned rt = bits(insn, 15, 12), rt2 = bits(insn, 19, 16);
    if (cp_is_vfp(insn) || rt == 15 || rt2 == 15)
        return false;
    IrBlock *b = t->b;
    IrTemp v = ir_op2_64(b, IR_PAIR64, tr_reg(t, rt), tr_reg(t, rt2));
    tr_call(t, helper_cp_write64, IR_CALL_MAY_RAISE | IR_CALL_WRITES_REGS, ir_const(b, insn), v, 0);
    tr_sync_next(t);
    return true;
}

const A32Pattern a32_system_patterns[] = {
    { "cccc00010R00zzzzddddzz0z0000zzzz", trans_mrs, "mrs" },
    { "cccc00010R10ffffzzzzzz0z0000nnnn", trans_msr_reg, "msr-reg" },
    { "cccc00110R10ffffzzzziiiiiiiiiiii", trans_msr_imm, "msr-imm" },
    { "cccc00010R00mmmmddddzz1M0000zzzz", trans_mrs_banked, "mrs-banked" },
    { "cccc00010R10mmmmzzzzzz1M0000nnnn", trans_msr_banked, "msr-banked" },
    { "cccc001100100000zzzzzzzzoooooooo", trans_hint, "hint" },
    { "111100010000iiM0zzzzzzzAIF0ooooo", trans_cps, "cps" },
    { "1111000100000001zzzzzzEz0000zzzz", trans_setend, "setend" },
    { "1111100PU1W01101zzzz0101zzzooooo", trans_srs, "srs" },
    { "1111100PU0W1nnnnzzzz1010zzzzzzzz", trans_rfe, "rfe" },
    { "1111010101111111111100000100oooo", trans_nop, "dsb" },
    { "1111010101111111111100000101oooo", trans_nop, "dmb" },
    { "1111010101111111111100000110oooo", trans_isb, "isb" },
    { "11110101011111111111000000011111", trans_clrex, "clrex" },
    { "11110101UR01nnnn1111iiiiiiiiiiii", trans_nop, "pld-imm" },
    { "11110100U101nnnn1111iiiiiiiiiiii", trans_nop, "pli-imm" },
    { "11110111UR01nnnn1111iiiiitt0mmmm", trans_nop, "pld-reg" },
    { "11110110U101nnnn1111iiiiitt0mmmm", trans_nop, "pli-reg" },
    { "cccc1111iiiiiiiiiiiiiiiiiiiiiiii", trans_svc, "svc" },
    { "cccc00010010iiiiiiiiiiii0111iiii", trans_bkpt, "bkpt" },
    { "cccc00010000iiiiiiiiiiii0111iiii", trans_hlt, "hlt" },
    { "cccc01111111iiiiiiiiiiii1111iiii", trans_undefined, "udf" },
    { "cccc00010100iiiiiiiiiiii0111iiii", trans_hvc, "hvc" },
    { "cccc000101100000000000000111iiii", trans_undefined, "smc" },
    { "cccc0001011000000000000001101110", trans_undefined, "eret" },
    { "cccc1110ooo1nnnnttttppppooo1mmmm", trans_mrc, "mrc" },
    { "cccc1110ooo0nnnnttttppppooo1mmmm", trans_mcr, "mcr" },
    { "cccc11000101uuuuttttppppoooommmm", trans_mrrc, "mrrc" },
    { "cccc11000100uuuuttttppppoooommmm", trans_mcrr, "mcrr" },
    { NULL, NULL, NULL },
};
