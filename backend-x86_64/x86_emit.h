/*
 * x86_emit: an x86-64 machine-code emitter (no assembler at run time).
 *
 * Each x86_* function appends one instruction to a CodeBuffer, named after what it
 * emits: _rr register, register; _ri register, immediate; _rm register <- memory;
 * _mr memory <- register; _mi memory, immediate. `size` is the operand size in bits
 * (8, 16, 32, 64) and comes last. As on the hardware, a 32-bit result zero-extends
 * into the 64-bit register; 8- and 16-bit results merge. Byte operations on
 * RSP/RBP/RSI/RDI mean SPL/BPL/SIL/DIL (AH..BH are never used).
 *
 * A bad operand (RSP as an index, an immediate that does not fit, a size the
 * instruction does not have, a branch out of range) emits nothing and sets the sticky
 * `error` flag of the buffer; running out of space sets `overflow` (code_buffer.h).
 *
 * Encodings follow the Intel SDM Vol. 2 (cited per family in x86_emit.c).
 */
#ifndef ARMVM_BACKEND_X86_64_X86_EMIT_H
#define ARMVM_BACKEND_X86_64_X86_EMIT_H

#include <stdbool.h>
#include <stdint.h>

#include "backend-x86_64/code_buffer.h"

/* General-purpose registers by their encoding (SDM Vol. 2A 3.1.1.1, Table 3-1). */
typedef enum X86Reg {
    X86_RAX, X86_RCX, X86_RDX, X86_RBX, X86_RSP, X86_RBP, X86_RSI, X86_RDI,
    X86_R8, X86_R9, X86_R10, X86_R11, X86_R12, X86_R13, X86_R14, X86_R15,
    X86_NOREG = 16, /* no base / no index in an X86Mem */
} X86Reg;

/* Condition codes, the tttn field of Jcc/SETcc/CMOVcc (SDM Vol. 2A B.1.4.7, Table B-10).
 * The low bit negates: x86_cc_invert(cc) == cc ^ 1. */
typedef enum X86Cond {
    X86_CC_O, X86_CC_NO, X86_CC_B, X86_CC_AE, X86_CC_E, X86_CC_NE, X86_CC_BE, X86_CC_A,
    X86_CC_S, X86_CC_NS, X86_CC_P, X86_CC_NP, X86_CC_L, X86_CC_GE, X86_CC_LE, X86_CC_G,
    X86_CC_C = X86_CC_B, X86_CC_NC = X86_CC_AE, X86_CC_Z = X86_CC_E, X86_CC_NZ = X86_CC_NE,
} X86Cond;

static inline X86Cond x86_cc_invert(X86Cond cc) { return (X86Cond)(cc ^ 1); }

/* Group 1 arithmetic; the value is the ModRM /digit (SDM Vol. 2A A.4, Table A-6). */
typedef enum X86AluOp {
    X86_ALU_ADD, X86_ALU_OR, X86_ALU_ADC, X86_ALU_SBB,
    X86_ALU_AND, X86_ALU_SUB, X86_ALU_XOR, X86_ALU_CMP,
} X86AluOp;

/* Group 2 shifts and rotates; the value is the /digit (Table A-6). */
typedef enum X86ShiftOp {
    X86_SH_ROL = 0, X86_SH_ROR = 1, X86_SH_RCL = 2, X86_SH_RCR = 3,
    X86_SH_SHL = 4, X86_SH_SHR = 5, X86_SH_SAR = 7,
} X86ShiftOp;

/* A memory operand: [base + index*scale + disp]. base may be X86_NOREG (absolute
 * disp32, sign-extended), index X86_NOREG for none (RSP cannot be an index). */
typedef struct X86Mem {
    X86Reg base, index;
    uint8_t scale; /* 1, 2, 4, 8 */
    int32_t disp;
} X86Mem;

static inline X86Mem x86_mem(X86Reg base, int32_t disp)
{
    return (X86Mem){ base, X86_NOREG, 1, disp };
}

static inline X86Mem x86_mem_idx(X86Reg base, X86Reg index, unsigned scale, int32_t disp)
{
    return (X86Mem){ base, index, (uint8_t)scale, disp };
}

/* ---- moves ---- */
void x86_mov_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size);
/* dst[k] = src[k] for k < n, as if all at once (a register may be the source of one
 * move and the destination of another; no two moves share a destination): a cycle of
 * moves goes through `scratch`, which no move may use. dst and src are rewritten. */
void x86_mov_parallel(CodeBuffer *cb, X86Reg *dst, X86Reg *src, unsigned n, X86Reg scratch,
                      unsigned size);
/* reg = imm, all 64 bits: the shortest of mov r32,imm32 (zero-extends),
 * mov r64,simm32 and movabs r64,imm64. Leaves the flags alone. */
void x86_mov_ri(CodeBuffer *cb, X86Reg reg, uint64_t imm);
void x86_mov_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned size);
void x86_mov_mr(CodeBuffer *cb, X86Mem dst, X86Reg src, unsigned size);
void x86_mov_mi(CodeBuffer *cb, X86Mem dst, int64_t imm, unsigned size);
/* Extending moves from a src_size operand to dst_size: movzx/movsx for 8/16-bit
 * sources, movsxd for 32 -> 64 signed, mov r32 for 32 -> 64 unsigned. */
void x86_movzx_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned src_size, unsigned dst_size);
void x86_movsx_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned src_size, unsigned dst_size);
void x86_movzx_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned src_size, unsigned dst_size);
void x86_movsx_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned src_size, unsigned dst_size);
void x86_lea(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned size);
void x86_xchg_rr(CodeBuffer *cb, X86Reg a, X86Reg b, unsigned size);
void x86_push_r(CodeBuffer *cb, X86Reg reg);
void x86_pop_r(CodeBuffer *cb, X86Reg reg);

/* ---- arithmetic and logic ---- */
void x86_alu_rr(CodeBuffer *cb, X86AluOp op, X86Reg dst, X86Reg src, unsigned size);
/* imm is taken modulo 2^size for size < 64 and must be a sign-extended 32-bit value
 * for size 64; the imm8 form and the short RAX form are used when they fit. */
void x86_alu_ri(CodeBuffer *cb, X86AluOp op, X86Reg dst, int64_t imm, unsigned size);
void x86_alu_rm(CodeBuffer *cb, X86AluOp op, X86Reg dst, X86Mem src, unsigned size);
void x86_alu_mr(CodeBuffer *cb, X86AluOp op, X86Mem dst, X86Reg src, unsigned size);
void x86_alu_mi(CodeBuffer *cb, X86AluOp op, X86Mem dst, int64_t imm, unsigned size);
void x86_test_rr(CodeBuffer *cb, X86Reg a, X86Reg b, unsigned size);
void x86_test_ri(CodeBuffer *cb, X86Reg reg, int64_t imm, unsigned size);
void x86_test_mi(CodeBuffer *cb, X86Mem mem, int64_t imm, unsigned size);
void x86_not_r(CodeBuffer *cb, X86Reg reg, unsigned size);
void x86_neg_r(CodeBuffer *cb, X86Reg reg, unsigned size);
/* One-operand forms on rdx:rax (al/ax for 8 bits). */
void x86_mul_r(CodeBuffer *cb, X86Reg src, unsigned size);
void x86_imul_r(CodeBuffer *cb, X86Reg src, unsigned size);
void x86_div_r(CodeBuffer *cb, X86Reg src, unsigned size);
void x86_idiv_r(CodeBuffer *cb, X86Reg src, unsigned size);
void x86_imul_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size);
void x86_imul_rm(CodeBuffer *cb, X86Reg dst, X86Mem src, unsigned size);
void x86_imul_rri(CodeBuffer *cb, X86Reg dst, X86Reg src, int64_t imm, unsigned size);
/* Shift/rotate by an immediate count or by CL. The CPU masks the count to 5 bits
 * (6 for 64-bit operands); an immediate count beyond that is an error here. */
void x86_shift_ri(CodeBuffer *cb, X86ShiftOp op, X86Reg reg, unsigned count, unsigned size);
/* SHRD dst, src, count: dst = dst >> count with src's low bits shifted in (16/32/64). */
void x86_shrd_rri(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned count, unsigned size);
void x86_shift_rcl(CodeBuffer *cb, X86ShiftOp op, X86Reg reg, unsigned size);
void x86_bswap(CodeBuffer *cb, X86Reg reg, unsigned size);
/* LZCNT runs as BSR on CPUs without it: check x86_host_has_lzcnt() first. */
void x86_lzcnt_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size);
void x86_bsr_rr(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned size);
bool x86_host_has_lzcnt(void);
/* RORX (BMI2): dst = src rotated right by imm, flags untouched. Check
 * x86_host_has_bmi2() first. */
void x86_rorx_rri(CodeBuffer *cb, X86Reg dst, X86Reg src, unsigned imm, unsigned size);
bool x86_host_has_bmi2(void);
/* ANDN (BMI1): dst = ~src1 & src2 (flags set as AND). Check x86_host_has_bmi1() first. */
void x86_andn_rrr(CodeBuffer *cb, X86Reg dst, X86Reg src1, X86Reg src2, unsigned size);
bool x86_host_has_bmi1(void);
void x86_bt_ri(CodeBuffer *cb, X86Reg reg, unsigned bit, unsigned size);
void x86_bt_rr(CodeBuffer *cb, X86Reg reg, X86Reg bit, unsigned size);
void x86_setcc_r(CodeBuffer *cb, X86Cond cc, X86Reg dst);
void x86_setcc_m(CodeBuffer *cb, X86Cond cc, X86Mem dst);
void x86_cmov_rr(CodeBuffer *cb, X86Cond cc, X86Reg dst, X86Reg src, unsigned size);
void x86_cmov_rm(CodeBuffer *cb, X86Cond cc, X86Reg dst, X86Mem src, unsigned size);
void x86_cdq(CodeBuffer *cb); /* edx = sign of eax */
void x86_cqo(CodeBuffer *cb); /* rdx = sign of rax */

/* ---- flags and one-byte instructions ---- */
void x86_lahf(CodeBuffer *cb);
void x86_sahf(CodeBuffer *cb);
void x86_pushf(CodeBuffer *cb);
void x86_popf(CodeBuffer *cb);
void x86_cmc(CodeBuffer *cb);
void x86_clc(CodeBuffer *cb);
void x86_stc(CodeBuffer *cb);
void x86_popfq(CodeBuffer *cb); /* POPFQ 9D (SDM Vol. 2B 4.3, POPF) */
void x86_int3(CodeBuffer *cb);
void x86_ret(CodeBuffer *cb);
/* `n` bytes of recommended multi-byte NOPs; x86_align pads to a multiple of `align`. */
void x86_nop(CodeBuffer *cb, unsigned n);
void x86_align(CodeBuffer *cb, unsigned align);

/* ---- control transfer to known addresses ----
 * The functions returning uint8_t * return the instruction's address (NULL if nothing
 * was emitted). */
void x86_jmp(CodeBuffer *cb, const void *target);                 /* rel8 or rel32 */
uint8_t *x86_jmp_rel32(CodeBuffer *cb, const void *target);
void x86_jcc(CodeBuffer *cb, X86Cond cc, const void *target);     /* rel8 or rel32 */
uint8_t *x86_jcc_rel32(CodeBuffer *cb, X86Cond cc, const void *target);
void x86_jmp_r(CodeBuffer *cb, X86Reg reg);
void x86_jmp_m(CodeBuffer *cb, X86Mem mem);
uint8_t *x86_call_rel32(CodeBuffer *cb, const void *target);
void x86_call_r(CodeBuffer *cb, X86Reg reg);
void x86_call_m(CodeBuffer *cb, X86Mem mem);
/* call rel32 if the target is in range, else movabs scratch, target; call scratch. */
void x86_call_abs(CodeBuffer *cb, const void *target, X86Reg scratch);

/* ---- chaining: jumps re-targeted after they were emitted ----
 * The patchable forms always use rel32 and return the address of the instruction.
 * x86_patch_jump rewrites the target of such a JMP or Jcc; false, and nothing written,
 * if `site` is not one or `target` is beyond +-2 GiB. Patching is done by the thread
 * that runs the code, never concurrently with it (see x86_emit.c). */
uint8_t *x86_jmp_rel32_patchable(CodeBuffer *cb, const void *target);
uint8_t *x86_jcc_rel32_patchable(CodeBuffer *cb, X86Cond cc, const void *target);
bool x86_patch_jump(uint8_t *site, const void *target);

/* ---- labels inside one block ----
 * Uses before the bind are chained through their own rel32 fields (no allocation, no
 * limit) and patched by x86_label_bind. The plain forms use rel8 when the label is
 * already bound and near; the _short forms promise a forward distance that fits in
 * rel8 (a bind out of range sets `error`). Offsets are from cb->base, so a label is
 * valid until the buffer is reset or rewound. */
#define X86_LABEL_SHORT_MAX 4
typedef struct X86Label {
    int32_t pos;   /* bound offset, or -1 */
    int32_t chain; /* offset of the newest pending rel32 field, or -1 */
    uint8_t nshort;
    int32_t shorts[X86_LABEL_SHORT_MAX]; /* offsets of pending rel8 fields */
} X86Label;

void x86_label_init(X86Label *l);
void x86_label_bind(CodeBuffer *cb, X86Label *l);
bool x86_label_pending(const X86Label *l); /* used but not bound */
void x86_jmp_label(CodeBuffer *cb, X86Label *l);
void x86_jcc_label(CodeBuffer *cb, X86Cond cc, X86Label *l);
void x86_jmp_label_short(CodeBuffer *cb, X86Label *l);
void x86_jcc_label_short(CodeBuffer *cb, X86Cond cc, X86Label *l);

#endif
