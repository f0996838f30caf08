/*
 * Internal to frontend-arm: run-time helpers called from translated code for the
 * system-level instructions (helpers_system.c). All have the IrHelperFn signature.
 */
#ifndef ARMVM_FRONTEND_ARM_HELPERS_H
#define ARMVM_FRONTEND_ARM_HELPERS_H

#include "frontend-arm/frontend-arm.h"

#define HELPER(name) uint64_t name(ArmCpu *cpu, uint64_t a, uint64_t b, uint64_t c)

HELPER(helper_enter_thumb);          /* CPSR.T = 1 */
HELPER(helper_exception_return);     /* a = new PC; returns the PC to continue at */
HELPER(helper_mrs_cpsr);             /* returns the CPSR */
HELPER(helper_mrs_spsr);             /* returns the current mode's SPSR */
HELPER(helper_msr_cpsr);             /* a = value, b = byte mask */
HELPER(helper_msr_spsr);             /* a = value, b = byte mask */
HELPER(helper_mrs_banked);           /* a = banked register index (see helpers_system.c) */
HELPER(helper_msr_banked);           /* a = index, b = value */
HELPER(helper_cps);                  /* a = AIF bits to set, b = AIF bits to clear, c = mode | 0x100 to change */
HELPER(helper_setend);               /* a = 1 for big-endian */
HELPER(helper_srs);                  /* a = instruction encoding; may raise */
HELPER(helper_rfe);                  /* a = instruction encoding; returns new PC; may raise */
HELPER(helper_cp_read);              /* a = MRC encoding; returns value; may raise UNDEF */
HELPER(helper_cp_write);             /* a = MCR encoding, b = value; may raise UNDEF */
HELPER(helper_cp_read64);            /* a = MRRC encoding; returns 64-bit value; may raise */
HELPER(helper_cp_write64);           /* a = MCRR encoding, b = 64-bit value; may raise */
HELPER(helper_semihost);             /* performs a semihosting call */
HELPER(helper_hvc);                 /* firmware call through cpu->env.hvc_fn (PSCI) */
HELPER(helper_wfi);                 /* the CPU waits for an interrupt (cpu->wfi) */
HELPER(helper_clrex);                /* clears the local exclusive monitor */
HELPER(helper_sev);                  /* sets the event register */
HELPER(helper_wfe);                  /* clears the event register */

#endif
