/*
 * Internal to frontend-arm: the A32 translator's context, decode-table format and shared
 * code-generation helpers. Each translate_<group>.c file owns one instruction group and
 * exports one pattern table; decode.c merges the tables.
 */
#ifndef ARMVM_FRONTEND_ARM_TRANSLATE_H
#define ARMVM_FRONTEND_ARM_TRANSLATE_H

#include "frontend-arm/frontend-arm.h"

/* Translation state for one guest instruction. */
typedef struct ArmTrans {
    ArmCpu *cpu;
    IrBlock *b;
    uint32_t pc;      /* address of the instruction being translated */
    uint32_t insn;    /* its encoding */
    uint32_t key;     /* mode key of the block (arm_mode_key) */
    bool end_block;   /* set when the instruction emitted a block exit on every path it
                         controls (the driver adds the condition-failed path) */
    bool direct_branch; /* ... and that exit is a direct branch (tr_branch_direct) */
    bool can_continue;  /* the driver may go on after a conditional direct branch */
    bool continued;     /* it did (the block goes on with the next instruction) */
} ArmTrans;

/* A translate function returns false if the encoding is UNDEFINED (the driver then
 * emits the undefined-instruction exception). It must not emit anything before deciding
 * that. */
typedef bool (*ArmTransFn)(ArmTrans *t, uint32_t insn);

/* One decoder pattern: 32 characters, most significant bit first. '0' and '1' are fixed
 * bits; any other character is a field (by convention: c = condition, n = Rn, d = Rd,
 * m = Rm, s = Rs, t = Rt, i = immediate, S = set flags, ...). '(0)' and '(1)' "should be"
 * bits are written as plain letters 'z' / 'o' and are not checked, as the architecture
 * says they are UNPREDICTABLE, not UNDEFINED, and QEMU ignores them too.
 * mask/value are computed at start-up from the string. */
typedef struct A32Pattern {
    const char *bits;
    ArmTransFn fn;
    const char *name;
} A32Pattern;

/* Tables, each terminated by an entry with bits == NULL. Patterns for the unconditional
 * space (cond = 1111) start with "1111"; all others never match cond = 1111. */
extern const A32Pattern a32_dp_patterns[];      /* translate_dp.c: data processing, MOVW/MOVT */
extern const A32Pattern a32_mul_patterns[];     /* translate_mul.c: multiplies, divides */
extern const A32Pattern a32_media_patterns[];   /* translate_media.c: parallel, saturating,
                                                   packing, extend, reverse, bitfield, CLZ */
extern const A32Pattern a32_mem_patterns[];     /* translate_mem.c: loads/stores, LDM/STM,
                                                   exclusives, SWP */
extern const A32Pattern a32_branch_patterns[];  /* translate_branch.c: B, BL, BX, BLX */
extern const A32Pattern a32_system_patterns[];  /* translate_system.c: MRS/MSR, CPS, SRS/RFE,
                                                   SETEND, hints, barriers, coprocessors,
                                                   SVC, BKPT, UDF, semihosting */

/* Field extraction: bits hi..lo of x. */
static inline uint32_t bits(uint32_t x, unsigned hi, unsigned lo)
{
    return (x >> lo) & ((hi - lo == 31) ? 0xffffffffu : ((1u << (hi - lo + 1)) - 1));
}
static inline uint32_t bit(uint32_t x, unsigned n) { return (x >> n) & 1; }

/* --- code generation helpers (translate.c) --- */

/* Value of register r as an operand: r15 reads as the instruction address + 8. */
IrTemp tr_reg(ArmTrans *t, unsigned r);
/* Write a register. Writing r15 is a branch with interworking (ARMv7 BXWritePC, used for
 * ALUWritePC and LoadWritePC in ARM state, ARM ARM A2.3.1): ends the block. */
void tr_set_reg(ArmTrans *t, unsigned r, IrTemp v);
/* Branch to v with interworking (bit 0 selects Thumb). Ends the block. */
void tr_bx(ArmTrans *t, IrTemp v);
/* Branch to a known ARM-state address. Ends the block (chainable exit). */
void tr_branch_direct(ArmTrans *t, uint32_t target);
/* Exception return: CPSR <- SPSR, then branch to new_pc (ARM ARM B1.8.10). Ends the block.
 * In User or System mode this is UNPREDICTABLE; like QEMU we do the same as the other
 * modes would do with a missing SPSR: the CPSR is left alone. */
void tr_exception_return(ArmTrans *t, IrTemp new_pc);
/* Raise an exception for this instruction (SVC, UNDEF, BKPT). Ends the block. */
void tr_raise(ArmTrans *t, ArmException exc);
/* After a helper that changed the mode key or system state: continue at the next
 * instruction, returning to the execution loop. Ends the block. */
void tr_sync_next(ArmTrans *t);
/* End the block after this instruction with a direct (chainable) exit to the next one. */
void tr_end_next(ArmTrans *t);

/* Shifter operands (ARM ARM A8.4.1 Shift_C). `type` is bits 6:5 (0 LSL, 1 LSR, 2 ASR,
 * 3 ROR/RRX). If carry != NULL, *carry receives a temp with the shifter carry out
 * (the current C flag where the shift leaves it unchanged). */
IrTemp tr_shift_imm(ArmTrans *t, IrTemp v, unsigned type, unsigned imm5, IrTemp *carry);
IrTemp tr_shift_reg(ArmTrans *t, IrTemp v, unsigned type, IrTemp amount, IrTemp *carry);
/* ARMExpandImm_C (A5.2.4): the rotated 12-bit immediate; carry as above. */
uint32_t tr_expand_imm(uint32_t imm12);
IrTemp tr_expand_imm_c(ArmTrans *t, uint32_t imm12, IrTemp *carry);

/* True if the block runs in User mode (known at translation time from the mode key). */
bool tr_is_user(const ArmTrans *t);

/* Emit a helper call. */
IrTemp tr_call(ArmTrans *t, IrHelperFn fn, unsigned flags, IrTemp a, IrTemp b, IrTemp c);

#endif
