/*
 * CP14 debug registers readable from PL1 (DBGDIDR, DBGDSCRint, DBGDRAR,
 * DBGDSAR, DBGOSLSR) with QEMU 7.2's Cortex-A15 values, and accesses to
 * coprocessors that do not exist (p0-p9 except the VFP ones, p12, p13),
 * plus LDC/STC/CDP to them, which are UNDEFINED.
 */
#include "test.inc"

    .macro RD14 name, op1, crn, crm, op2, want
    mrc     p14, \op1, r0, \crn, \crm, \op2
    CHECK   "\name", \want
    .endm

    @ UNDEF name, insn...: expect an undefined-instruction trap
    .macro UNDEF name:req, insn:req
    ldr     r8, =gt_trap
    mov     r0, #0
    str     r0, [r8]
    str     r0, [r8, #4]
    mov     r5, #0x5a
1:  \insn
    ldr     r0, [r8]
    ldr     r1, [r8, #4]
    orr     r0, r1, r0, lsl #4          @ count << 4 | vector
    CHECK   "\name", 0x11
    ldr     r0, [r8, #8]
    ldr     r1, =1b + 4
    sub     r0, r0, r1
    CHECK   "\name-lr", 0
    CHECKR  "\name-rt-kept", r5, 0x5a
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    RD14 "DBGDIDR",    0, c0, c0, 0, 0x3515f021
    RD14 "DBGDSCRint", 0, c0, c1, 0, 0
    RD14 "DBGDRAR",    0, c1, c0, 0, 0
    RD14 "DBGDSAR",    0, c2, c0, 0, 0
    RD14 "DBGOSLSR",   0, c1, c1, 4, 0x0000000a
    ldr     r0, =gt_trap
    ldr     r0, [r0]
    CHECK   "cp14-reads-no-trap", 0

    UNDEF "mrc-p0",  "mrc p0, 0, r5, c0, c0, 0"
    UNDEF "mrc-p6",  "mrc p6, 0, r5, c0, c0, 0"
    UNDEF "mrc-p7",  "mrc p7, 1, r5, c1, c2, 3"
    UNDEF "mcr-p8",  "mcr p8, 0, r5, c0, c0, 0"
    UNDEF "mrc-p9",  "mrc p9, 0, r5, c0, c0, 0"
    UNDEF "mrc-p12", "mrc p12, 0, r5, c0, c0, 0"
    UNDEF "mcr-p13", "mcr p13, 0, r5, c0, c0, 0"
    UNDEF "mrrc-p7", "mrrc p7, 0, r5, r6, c0"
    UNDEF "cdp-p5",  "cdp p5, 0, c0, c0, c0, 0"
    ldr     r4, =buf
    UNDEF "ldc-p5",  "ldc p5, c0, [r4]"
    UNDEF "stc-p4",  "stc p4, c1, [r4, #4]"
    UNDEF "ldc-p14", "ldc p14, c5, [r4]"
    UNDEF "mrc-p14-bad", "mrc p14, 1, r5, c0, c0, 0"
    UNDEF "mrc-p15-bad", "mrc p15, 0, r5, c1, c1, 0"     @ SCR: no EL3
    UNDEF "mcr-midr",    "mcr p15, 0, r5, c0, c0, 0"     @ read-only
    UNDEF "mrrc-p15-bad", "mrrc p15, 3, r5, r6, c9"
    ldr     r0, =buf
    ldr     r0, [r0]
    CHECK   "ldc-no-load", 0x77
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
buf: .word 0x77, 0x88
