/*
 * Nested exceptions and exceptions taken from every privileged mode:
 * an SVC handler that itself executes SVC (saving LR_svc/SPSR_svc first),
 * an UND handler that takes a data abort and a BKPT, and UND/SVC/DABT
 * taken from FIQ, IRQ, ABT, UND and SYS modes: each records the SPSR's mode
 * and the caller's banked LR must be unaffected.
 */
#include "test.inc"

    .text
    @ SVC: depth counter; svc #1 nests once more (svc #0) before returning
svc_handler:
    push    {r0-r3, r12, lr}
    mrs     r12, spsr
    push    {r12}
    ldr     r2, =depth
    ldr     r3, [r2]
    add     r3, r3, #1
    str     r3, [r2]
    ldr     r0, [r2, #4]
    cmp     r3, r0
    movhi   r0, r3
    strhi   r0, [r2, #4]                @ max depth
    ldr     r0, [lr, #-4]
    bic     r0, r0, #0xff000000
    cmp     r0, #0
    beq     1f
    sub     r0, r0, #1
    ldr     r1, =svc_table
    ldr     r1, [r1, r0, lsl #2]
    blx     r1                          @ issues an SVC of a smaller number
1:  ldr     r2, =depth
    ldr     r3, [r2]
    sub     r3, r3, #1
    str     r3, [r2]
    pop     {r12}
    msr     spsr_fsxc, r12
    pop     {r0-r3, r12, lr}
    movs    pc, lr
    @ (an SVC in SVC mode overwrites LR_svc: keep the return address on the stack)
call_svc0:
    push    {lr}
    svc     #0
    pop     {pc}
call_svc1:
    push    {lr}
    svc     #1
    pop     {pc}
call_svc2:
    push    {lr}
    svc     #2
    pop     {pc}

    @ UND: records SPSR mode, then takes a data abort and a BKPT itself
und_handler:
    push    {r0-r3, lr}
    mrs     r0, spsr
    ldr     r1, =rec
    str     r0, [r1]
    ldr     r2, =0x50000000
    ldr     r0, [r2]                    @ -> data abort (skipped)
    bkpt    #7                          @ -> prefetch abort (skipped)
    mrs     r0, cpsr
    str     r0, [r1, #4]                @ still UND mode after both
    pop     {r0-r3, lr}
    movs    pc, lr

    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install             @ DABT / PABT: record and skip
    SET_VECTOR VEC_SVC, svc_handler
    SET_VECTOR VEC_UND, und_handler
    ldr     r8, =depth

    @ nested SVCs: svc #3 -> svc #2 -> svc #1 -> svc #0
    mov     r0, #0
    str     r0, [r8, #4]
    msr     cpsr_f, #PSR_V
    svc     #3
    mrs     r4, cpsr
    ldr     r0, [r8, #4]
    CHECK   "svc-nest-depth", 4
    ldr     r0, [r8]
    CHECK   "svc-nest-unwound", 0
    and     r0, r4, #0xf0000000
    CHECK   "svc-nest-flags", PSR_V

    @ UND handler taking DABT and PABT
    ldr     r9, =gt_trap
    mov     r0, #0
    str     r0, [r9]
    udf     #0
    ldr     r0, [r9]
    CHECK   "und-inner-exceptions", 2
    ldr     r0, [r9, #12]               @ SPSR of the last (PABT) = UND mode
    and     r0, r0, #0x1f
    CHECK   "pabt-from-und-spsr-mode", MODE_UND
    ldr     r0, =rec
    ldr     r0, [r0, #4]
    and     r0, r0, #0x1f
    CHECK   "und-mode-after-inner", MODE_UND

    @ exceptions from each mode: the caller's LR must survive (except in
    @ ABT mode, whose LR the data abort taken inside the UND handler uses)
    .macro FROM name, mode, lrkept=1
    cps     #\mode
    ldr     lr, =0x1e1e0000 + \mode
    udf     #0
    mov     r5, lr
    cps     #MODE_SVC
    .if \lrkept
    CHECKR  "und-from-\name-lr-kept", r5, 0x1e1e0000 + \mode
    .endif
    ldr     r0, =rec
    ldr     r0, [r0]
    and     r0, r0, #0x1f
    CHECK   "und-from-\name-spsr-mode", \mode
    cps     #\mode
    ldr     lr, =0x2e2e0000 + \mode
    mov     r0, #0
    str     r0, [r9]
    ldr     r0, =0x50000000
    ldr     r0, [r0]
    mov     r5, lr
    cps     #MODE_SVC
    .if \lrkept
    CHECKR  "dabt-from-\name-lr-kept", r5, 0x2e2e0000 + \mode
    .endif
    ldr     r0, [r9, #12]
    and     r0, r0, #0x1f
    CHECK   "dabt-from-\name-spsr-mode", \mode
    .endm
    FROM    fiq, MODE_FIQ
    FROM    irq, MODE_IRQ
    FROM    sys, MODE_SYS
    FROM    abt, MODE_ABT, 0
    @ UND from UND mode: LR_und is overwritten (the handler saved it)
    cps     #MODE_UND
    ldr     lr, =0x3e3e0000
    udf     #0
    mov     r5, lr
    cps     #MODE_SVC
    ldr     r0, =0x3e3e0000
    cmp     r5, r0
    moveq   r0, #1
    movne   r0, #0
    CHECK   "und-from-und-lr-clobbered", 0
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
depth:     .word 0, 0
rec:       .word 0, 0
svc_table: .word call_svc0, call_svc1, call_svc2
