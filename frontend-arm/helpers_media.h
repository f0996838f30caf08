/*
 * Internal to frontend-arm: helpers for the A32 multiply and media instructions
 * (translate_mul.c, translate_media.c).
 *
 * Each helper is an IrHelperFn: a pure function of its operands (the low 32 bits of
 * each, unless said otherwise) plus cpu->qf / cpu->ge. Helpers that set Q or GE must be
 * called with IR_CALL_WRITES_FLAGS, helpers that read GE with IR_CALL_READS_FLAGS.
 */
#ifndef ARMVM_FRONTEND_ARM_HELPERS_MEDIA_H
#define ARMVM_FRONTEND_ARM_HELPERS_MEDIA_H

#include "frontend-arm/frontend-arm.h"

#define MEDIA_HELPER(name) uint64_t name(ArmCpu *cpu, uint64_t a, uint64_t b, uint64_t c)

/* Parallel add/subtract, ARM ARM A5.4.1 (a = Rn, b = Rm). The S and U forms set GE[3:0]
 * (A8.8.135 QADD16 ... A8.8.270 USUB8); Q, UQ, SH and UH leave all flags alone (they
 * never set Q). */
#define MEDIA_PARALLEL_DECL(pfx) \
    MEDIA_HELPER(media_##pfx##add16); MEDIA_HELPER(media_##pfx##asx); \
    MEDIA_HELPER(media_##pfx##sax); MEDIA_HELPER(media_##pfx##sub16); \
    MEDIA_HELPER(media_##pfx##add8); MEDIA_HELPER(media_##pfx##sub8);
MEDIA_PARALLEL_DECL(s)
MEDIA_PARALLEL_DECL(q)
MEDIA_PARALLEL_DECL(sh)
MEDIA_PARALLEL_DECL(u)
MEDIA_PARALLEL_DECL(uq)
MEDIA_PARALLEL_DECL(uh)
#undef MEDIA_PARALLEL_DECL

/* A8.8.166 SEL: byte i from a (Rn) if GE[i] else from b (Rm). Reads GE. */
MEDIA_HELPER(media_sel);
/* A8.8.264/265 USAD8/USADA8: c + sum of |a.byte[i] - b.byte[i]|. */
MEDIA_HELPER(media_usad8);
/* A8.8.144 RBIT: a with its bit order reversed. */
MEDIA_HELPER(media_rbit);
/* A8.8.231 SXTAB16 (SXTB16 with a = 0): per halfword a.h[i] + SignExtend(b.byte[2i]). */
MEDIA_HELPER(media_sxtab16);
/* A8.8.272 UXTAB16 (UXTB16 with a = 0): per halfword a.h[i] + ZeroExtend(b.byte[2i]). */
MEDIA_HELPER(media_uxtab16);

/* Saturation, A8.8.193 SSAT / A8.8.266 USAT: a saturated to a signed b-bit (1..32) /
 * unsigned b-bit (0..31) value; Q on saturation. */
MEDIA_HELPER(media_ssat);
MEDIA_HELPER(media_usat);
/* A8.8.194 SSAT16 / A8.8.267 USAT16: each halfword, b = 1..16 / 0..15; Q on saturation. */
MEDIA_HELPER(media_ssat16);
MEDIA_HELPER(media_usat16);
/* A8.8.134 QADD: sat(a + b); A8.8.141 QSUB: sat(a - b); A8.8.138 QDADD: sat(a + sat(2b));
 * A8.8.139 QDSUB: sat(a - sat(2b)). Here a = Rm, b = Rn; Q on saturation. */
MEDIA_HELPER(media_qadd);
MEDIA_HELPER(media_qsub);
MEDIA_HELPER(media_qdadd);
MEDIA_HELPER(media_qdsub);

/* Q-setting multiply-accumulate parts. */
/* a + b, Q on signed overflow (SMLAxy A8.8.176, SMLAWy A8.8.181). */
MEDIA_HELPER(media_add_setq);
/* A8.8.177 SMLAD / A8.8.187 SMUAD: SInt(a.h0)*SInt(b.h0) + SInt(a.h1)*SInt(b.h1) + SInt(c)
 * computed exactly; Q if the result does not fit 32 bits. b is already swapped for X. */
MEDIA_HELPER(media_smlad);
/* A8.8.182 SMLSD: the same with the products subtracted (p0 - p1 + c). */
MEDIA_HELPER(media_smlsd);

#endif
