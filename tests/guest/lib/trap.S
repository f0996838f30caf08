/*
 * trap.S - "record and skip" exception handlers.
 *
 * gt_trap_install() points the undefined-instruction, SVC, prefetch-abort
 * and data-abort vectors at handlers that record what happened in gt_trap
 * and resume at the instruction after the one that trapped:
 *   UND, SVC:  LR = insn + 4      -> return to LR       (MOVS pc, lr)
 *   PABT:      LR = insn + 4      -> return to LR       (SUBS pc, lr, #0)
 *   DABT:      LR = insn + 8      -> return to LR - 4   (SUBS pc, lr, #4)
 * Layout of gt_trap (struct gt_trap_info in guest.h):
 *   0 count, 4 vector (1 und, 2 svc, 3 pabt, 4 dabt), 8 raw LR, 12 SPSR,
 *   16 CPSR in the handler, 20 DFSR, 24 DFAR, 28 IFSR, 32 IFAR,
 *   36 the trapping instruction word.
 * The handlers only touch the banked SP/LR of the exception mode and r0-r3
 * (saved on that mode's stack), so the interrupted code sees no change
 * except in gt_trap.
 */
#include "test.inc"

    .data
    .balign 4
    .global gt_trap
gt_trap:
    .space 40

    .text
    .global gt_trap_install
    .type gt_trap_install, %function
gt_trap_install:
    ldr     r0, =gt_vector_handlers
    ldr     r1, =gt_trap_und
    str     r1, [r0, #4]
    ldr     r1, =gt_trap_svc
    str     r1, [r0, #8]
    ldr     r1, =gt_trap_pabt
    str     r1, [r0, #12]
    ldr     r1, =gt_trap_dabt
    str     r1, [r0, #16]
    ldr     r0, =gt_trap
    mov     r1, #0
    mov     r2, #0
1:  str     r1, [r0, r2]
    add     r2, r2, #4
    cmp     r2, #40
    blo     1b
    bx      lr
    .size gt_trap_install, . - gt_trap_install

    .global gt_trap_und, gt_trap_svc, gt_trap_pabt, gt_trap_dabt
gt_trap_und:
    push    {r0-r3}
    mov     r0, #1
    mov     r3, #0
    sub     r2, lr, #4
    b       gt_trap_common
gt_trap_svc:
    push    {r0-r3}
    mov     r0, #2
    mov     r3, #0
    sub     r2, lr, #4
    b       gt_trap_common
gt_trap_pabt:
    push    {r0-r3}
    mov     r0, #3
    mov     r3, #0
    sub     r2, lr, #4
    b       gt_trap_common
gt_trap_dabt:
    push    {r0-r3}
    mov     r0, #4
    mov     r3, #4
    sub     r2, lr, #8
gt_trap_common:
    ldr     r1, =gt_trap
    ldr     r2, [r2]
    str     r2, [r1, #36]
    str     r0, [r1, #4]
    ldr     r0, [r1]
    add     r0, r0, #1
    str     r0, [r1]
    str     lr, [r1, #8]
    mrs     r0, spsr
    str     r0, [r1, #12]
    mrs     r0, cpsr
    str     r0, [r1, #16]
    mrc     p15, 0, r0, c5, c0, 0   @ DFSR
    str     r0, [r1, #20]
    mrc     p15, 0, r0, c6, c0, 0   @ DFAR
    str     r0, [r1, #24]
    mrc     p15, 0, r0, c5, c0, 1   @ IFSR
    str     r0, [r1, #28]
    mrc     p15, 0, r0, c6, c0, 2   @ IFAR
    str     r0, [r1, #32]
    sub     lr, lr, r3
    pop     {r0-r3}
    movs    pc, lr
    .ltorg
