/*
 * Instructions whose condition fails have no effect at all: no register or
 * memory update, no writeback, no flags, no exception (loads from an
 * unmapped address, SVC, coprocessor accesses).  Exceptions are counted
 * with the record-and-skip handlers of lib/trap.S.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    ldr     r8, =gt_trap

    ldr     r4, =0x50000000             @ unmapped on virt: would abort
    ldr     r0, =0x1234
    SETPSR  PSR_Z
    ldrne   r0, [r4]
    ldrbne  r0, [r4, #1]!
    ldrhne  r0, [r4], #2
    strne   r0, [r4]
    ldmne   r4!, {r0-r3}
    stmne   r4, {r0}
    svcne   #0x12
    mrcne   p7, 0, r0, c0, c0, 0        @ would be undefined
    CHECK   "cond-fail-no-effect", 0x1234
    CHECKR  "cond-fail-no-writeback", r4, 0x50000000
    ldr     r0, [r8]
    CHECK   "cond-fail-no-trap", 0

    @ the same with the condition passing: each traps once
    SETPSR  PSR_Z
    svceq   #0x12
    ldr     r5, [r8, #4]                @ vector
    ldreq   r0, [r4]
    ldr     r6, [r8, #4]
    mrceq   p7, 0, r0, c0, c0, 0
    ldr     r7, [r8, #4]
    ldr     r0, [r8]
    CHECK   "cond-pass-traps", 3
    CHECKR  "cond-pass-svc", r5, 2
    CHECKR  "cond-pass-dabt", r6, 4
    CHECKR  "cond-pass-und", r7, 1

    @ stores
    ldr     r4, =buf
    mov     r0, #0x55
    str     r0, [r4]
    mov     r5, #0xaa
    SETPSR  PSR_C
    strcc   r5, [r4]
    strbcc  r5, [r4, #1]
    strhcc  r5, [r4, #2]
    stmdbcc r4!, {r5}
    ldr     r0, [r4]
    CHECK   "cond-store-skipped", 0x55
    SETPSR  PSR_C                       @ (CHECK clobbers the flags)
    strcs   r5, [r4]
    ldr     r0, [r4]
    CHECK   "cond-store-done", 0xaa

    @ multiply / divide / saturate / media conditionally skipped
    SETPSR  PSR_V
    mov     r0, #5
    mov     r1, #7
    mulvc   r0, r1, r1
    sdivvc  r0, r1, r1
    qaddvc  r0, r1, r1
    uadd8vc r0, r1, r1
    revvc   r0, r1
    clzvc   r0, r1
    mrs     r4, cpsr
    CHECK   "cond-media-skipped", 5
    and     r0, r4, #0xf8000000
    CHECK   "cond-flags-kept", PSR_V
    SETPSR  PSR_V
    mov     r1, #7
    mulvs   r0, r1, r1
    CHECK   "cond-mul-done", 49

    @ conditional MSR / CPS are skipped too
    SETPSR  PSR_N
    mov     r2, #0
    msrpl   APSR_nzcvq, r2
    mrs     r0, cpsr
    and     r0, r0, #0xf8000000
    CHECK   "cond-msr-skipped", PSR_N
    SETPSR  PSR_N
    mov     r2, #0
    msrmi   APSR_nzcvq, r2
    mrs     r0, cpsr
    and     r0, r0, #0xf8000000
    CHECK   "cond-msr-done", 0

    @ condition checked against flags set by the previous instruction
    mov     r0, #0
    mov     r1, #1
    subs    r1, r1, #1
    addeq   r0, r0, #1
    subs    r1, r1, #1
    addmi   r0, r0, #2
    addcs   r0, r0, #4                  @ 0 - 1 borrows: C clear
    CHECK   "cond-chain", 3

    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
    .space  16
buf: .word 0, 0
