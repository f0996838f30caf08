/*
 * Alignment faults.  With SCTLR.A = 1 an unaligned LDR/STR/LDRH/STRH
 * faults; with SCTLR.A = 0 LDRD/STRD (not word aligned), LDM/STM (not word
 * aligned) and the exclusive loads (not size aligned, LDREXD: 8 bytes)
 * still fault.  (An unaligned STREX without a matching LDREX is not tested:
 * QEMU fails the monitor check before checking alignment.)  Data abort: DFSR = 0x001 (alignment; bit 11 WnR set for writes),
 * DFAR = the faulting address, LR = insn + 8, ABT mode.  An aborted
 * instruction has no effect (no base writeback).  Returns skip the
 * instruction (SUBS pc, lr, #4) or, once, retry it (SUBS pc, lr, #8) after
 * the handler cleared SCTLR.A.
 */
#include "test.inc"

    .text
dabt_handler:
    push    {r0-r3}
    ldr     r2, =rec
    str     lr, [r2]
    mrs     r3, spsr
    str     r3, [r2, #4]
    mrs     r3, cpsr
    str     r3, [r2, #8]
    mrc     p15, 0, r3, c5, c0, 0
    str     r3, [r2, #12]
    mrc     p15, 0, r3, c6, c0, 0
    str     r3, [r2, #16]
    ldr     r3, [r2, #20]
    add     r3, r3, #1
    str     r3, [r2, #20]
    ldr     r3, [r2, #24]               @ retry mode?
    cmp     r3, #0
    bne     1f
    pop     {r0-r3}
    subs    pc, lr, #4                  @ skip
1:  mrc     p15, 0, r3, c1, c0, 0
    bic     r3, r3, #2                  @ clear SCTLR.A and retry
    mcr     p15, 0, r3, c1, c0, 0
    isb
    pop     {r0-r3}
    subs    pc, lr, #8

    @ FAULT name, addr_off, dfsr, insn: expects one alignment fault
    @ (r4 = base buffer, r6 = sentinel destination)
    .macro FAULT name:req, off:req, dfsr:req, insn:req, pre=0
    ldr     r8, =rec
    mov     r0, #0
    str     r0, [r8, #20]
    ldr     r4, =buf + \pre
    ldr     r6, =0x5e5e5e5e
    mov     r7, r6
1:  \insn
    mrs     r9, cpsr
    mov     r10, r4
    bl      sctlr_a_off
    ldr     r0, [r8, #20]
    CHECK   "\name-count", 1
    ldr     r0, [r8, #12]
    CHECK   "\name-dfsr", \dfsr
    ldr     r0, [r8, #16]
    ldr     r1, =buf + \off
    sub     r0, r0, r1
    CHECK   "\name-dfar", 0
    ldr     r0, [r8]
    ldr     r1, =1b + 8
    sub     r0, r0, r1
    CHECK   "\name-lr", 0
    ldr     r0, [r8, #8]
    and     r0, r0, #0x1f
    CHECK   "\name-mode", MODE_ABT
    ldr     r0, =buf + \pre
    sub     r0, r10, r0
    CHECK   "\name-no-writeback", 0
    .endm

    .global main
main:
    push    {r4-r11, lr}
    SET_VECTOR VEC_DABT, dabt_handler

    @ SCTLR.A = 1
    bl      sctlr_a_on
    FAULT   "a1-ldr+1", 1, 0x001, "ldr r6, [r4, #1]!"
    CHECKR  "a1-ldr+1-rt-kept", r6, 0x5e5e5e5e
    bl      sctlr_a_on
    FAULT   "a1-str+2", 2, 0x801, "str r7, [r4, #2]"
    bl      sctlr_a_on
    FAULT   "a1-ldrh+1", 1, 0x001, "ldrh r6, [r4, #1]"
    bl      sctlr_a_on
    FAULT   "a1-strh-post+3", 3, 0x801, "strh r7, [r4], #2", 3
    ldr     r4, =buf
    bl      sctlr_a_on
    FAULT   "a1-ldr-post+2", 2, 0x001, "ldr r6, [r4, #2]"
    bl      sctlr_a_on
    ldrb    r6, [r4, #3]                @ bytes never fault
    mov     r10, r6
    bl      sctlr_a_off
    CHECKR  "a1-ldrb-ok", r10, 0x33
    @ SCTLR.A = 0: these still fault
    FAULT   "ldrd+1", 1, 0x001, "ldrd r6, r7, [r4, #1]"
    FAULT   "ldrd+2", 2, 0x001, "ldrd r6, r7, [r4, #2]!"
    FAULT   "strd+6", 6, 0x801, "strd r6, r7, [r4, #6]"
    FAULT   "ldm+2", 2, 0x001, "ldmia r4!, {r6, r7}", 2
    FAULT   "stmib+1", 5, 0x801, "stmib r4!, {r6, r7}", 1
    FAULT   "ldrex+2", 2, 0x001, "ldrex r6, [r4]", 2
    FAULT   "ldrexh+1", 1, 0x001, "ldrexh r6, [r4]", 1
    FAULT   "ldrexd+4", 4, 0x001, "ldrexd r6, r7, [r4]", 4
    @ word-aligned LDRD is fine with A = 0
    ldr     r4, =buf + 4
    ldrd    r6, r7, [r4]
    CHECKR  "ldrd+4-ok-lo", r6, 0x77665544
    CHECKR  "ldrd+4-ok-hi", r7, 0xbbaa9988

    @ retry: the handler clears SCTLR.A and re-executes the load
    ldr     r8, =rec
    mov     r0, #1
    str     r0, [r8, #24]
    mov     r0, #0
    str     r0, [r8, #20]
    ldr     r4, =buf
    bl      sctlr_a_on
    ldr     r6, [r4, #1]!
    mov     r10, r4
    mov     r0, #0
    str     r0, [r8, #24]
    ldr     r0, [r8, #20]
    CHECK   "retry-count", 1
    CHECKR  "retry-value", r6, 0x44332211
    ldr     r0, =buf + 1
    sub     r0, r10, r0
    CHECK   "retry-writeback", 0
    mrc     p15, 0, r0, c1, c0, 0
    and     r0, r0, #2
    CHECK   "retry-a-cleared", 0
    bl      gt_finish
    pop     {r4-r11, pc}

sctlr_a_on:
    mrc     p15, 0, r0, c1, c0, 0
    orr     r0, r0, #2
    mcr     p15, 0, r0, c1, c0, 0
    isb
    bx      lr
sctlr_a_off:
    mrc     p15, 0, r0, c1, c0, 0
    bic     r0, r0, #2
    mcr     p15, 0, r0, c1, c0, 0
    isb
    bx      lr
    .ltorg
    .data
    .balign 8
rec: .word 0, 0, 0, 0, 0, 0, 0
    .balign 8
buf: .byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff
     .space 16
