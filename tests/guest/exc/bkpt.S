/*
 * BKPT: with no debugger attached (no halting debug), BKPT takes the
 * prefetch-abort exception as a debug event: IFSR = 0x002 (short
 * descriptor FS = 0b00010, debug event), LR = insn + 4, ABT mode with IRQs
 * masked, SPSR = the caller's CPSR.  The handler reads the 16-bit
 * immediate from the instruction and returns to the next instruction with
 * SUBS pc, lr, #0.  Also taken from SYS mode.
 */
#include "test.inc"

    .text
pabt_handler:
    push    {r0-r3}
    ldr     r2, =rec
    str     lr, [r2]
    mrs     r3, spsr
    str     r3, [r2, #4]
    mrs     r3, cpsr
    str     r3, [r2, #8]
    mrc     p15, 0, r3, c5, c0, 1       @ IFSR
    str     r3, [r2, #12]
    ldr     r0, [lr, #-4]               @ the BKPT instruction
    and     r1, r0, #0xf
    ubfx    r0, r0, #8, #12
    orr     r0, r1, r0, lsl #4
    str     r0, [r2, #16]
    ldr     r0, [r2, #20]
    add     r0, r0, #1
    str     r0, [r2, #20]
    pop     {r0-r3}
    subs    pc, lr, #0

    .macro BK name, imm, mode
    ldr     r8, =rec
    mov     r0, #0
    str     r0, [r8, #20]
    mov     r0, #0
    mcr     p15, 0, r0, c5, c0, 1       @ clear IFSR
    cps     #\mode
    msr     cpsr_f, #(PSR_C | PSR_V)
1:  bkpt    #\imm
    mrs     r7, cpsr
    cps     #MODE_SVC
    ldr     r0, [r8, #20]
    CHECK   "\name-count", 1
    ldr     r0, [r8]
    ldr     r1, =1b + 4
    sub     r0, r0, r1
    CHECK   "\name-lr", 0
    ldr     r0, [r8, #4]
    CHECK   "\name-spsr", 0x300001c0 | \mode
    ldr     r0, [r8, #8]
    and     r0, r0, #0xff
    CHECK   "\name-handler-mode", 0xc0 | MODE_ABT
    ldr     r0, [r8, #12]
    CHECK   "\name-ifsr", 0x2
    ldr     r0, [r8, #16]
    CHECK   "\name-imm", \imm
    and     r0, r7, #0xf0000000
    CHECK   "\name-flags", PSR_C | PSR_V
    .endm

    .global main
main:
    push    {r4-r11, lr}
    SET_VECTOR VEC_PABT, pabt_handler
    BK      "bkpt-0", 0, MODE_SVC
    BK      "bkpt-ffff", 0xffff, MODE_SVC
    BK      "bkpt-1234-sys", 0x1234, MODE_SYS
    BK      "bkpt-ab", 0xab, MODE_SVC          @ not semihosting in ARM state
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
rec: .word 0, 0, 0, 0, 0, 0
