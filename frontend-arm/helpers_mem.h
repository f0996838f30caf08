/*
 * Internal to frontend-arm: helpers for the A32 load/store instructions
 * (translate_mem.c): the exclusive monitor (LDREX/STREX and their B/H/D forms) and the
 * User-mode register bank used by LDM/STM with ^.
 *
 * Each helper is an IrHelperFn. None of them reads or writes cpu->r[] (translated code
 * may keep guest registers in host registers across a call): values that live in the
 * current register file are passed in and returned through IR temps.
 */
#ifndef ARMVM_FRONTEND_ARM_HELPERS_MEM_H
#define ARMVM_FRONTEND_ARM_HELPERS_MEM_H

#include "frontend-arm/frontend-arm.h"

#define MEM_HELPER(name) uint64_t name(ArmCpu *cpu, uint64_t a, uint64_t b, uint64_t c)

/* LDREX/LDREXB/LDREXH, ARM ARM A8.8 (a = address, b = size 1/2/4): load with
 * natural alignment required, mark the address exclusive for this CPU (local monitor,
 * A3.4.1) and remember the value loaded. Returns the value (zero-extended). May raise a
 * data abort: call with IR_CALL_MAY_RAISE. */
MEM_HELPER(helper_ldrex);
/* LDREXD, A8.8 (a = address, 8-byte alignment required): returns the word at a in
 * bits 31:0 and the word at a + 4 in bits 63:32 (call with ir_call64). May raise. */
MEM_HELPER(helper_ldrexd);
/* STREX/STREXB/STREXH, A8.8 (a = address, b = value, c = size 1/2/4):
 * ExclusiveMonitorsPass(): stores b and returns 0 if the monitor holds this address,
 * else returns 1 without storing. Always clears the monitor. May raise. */
MEM_HELPER(helper_strex);
/* STREXD, A8.8 (a = address, b = Rt (stored at a), c = Rt2 (stored at a + 4)).
 * Same result as helper_strex. May raise. */
MEM_HELPER(helper_strexd);

/* User-mode registers from a privileged mode (LDM/STM (User registers), ARM ARM B9.3). Only for a register that is banked in the current mode: R8-R12 in FIQ mode,
 * R13-R14 in any privileged mode but System. a = register number. */
MEM_HELPER(helper_get_user_reg);
/* b = value to write into the User-mode copy of register a (same rule as above). */
MEM_HELPER(helper_set_user_reg);

/* True if register r of the User bank is not the current-mode register r in `mode`
 * (i.e. the ^ forms must go through the helpers above). */
bool arm_user_reg_is_banked(uint32_t mode, unsigned r);

#endif
