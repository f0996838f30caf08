/*
 * Internal to frontend-arm: the merged A32 decode table.
 */
#ifndef ARMVM_FRONTEND_ARM_DECODE_H
#define ARMVM_FRONTEND_ARM_DECODE_H

#include "frontend-arm/translate.h"

/* The pattern that decodes insn, or NULL if none does (UNDEFINED). */
const A32Pattern *a32_decode(uint32_t insn);

#endif
