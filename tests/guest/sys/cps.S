/*
 * CPS: change mode, CPSID/CPSIE with every combination of A, I and F, and
 * the combined form (CPSID if, #mode).  Flags are not affected.  No
 * interrupt source is enabled on the board, so unmasking IRQ/FIQ is safe.
 */
#include "test.inc"

    .macro CPSR_LOW name, want          @ check CPSR[8:0] (A I F T M)
    mrs     r0, cpsr
    ldr     r1, =0x1ff
    and     r0, r0, r1
    CHECK   "\name", \want
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    mrs     r11, cpsr
    cpsid   aif
    CPSR_LOW "cpsid-aif", 0x1d3
    cpsie   i
    CPSR_LOW "cpsie-i", 0x153
    cpsie   f
    CPSR_LOW "cpsie-f", 0x113
    cpsie   a
    CPSR_LOW "cpsie-a", 0x013
    cpsid   f
    CPSR_LOW "cpsid-f", 0x053
    cpsid   a
    CPSR_LOW "cpsid-a", 0x153
    cpsie   af
    CPSR_LOW "cpsie-af", 0x013
    cpsid   i
    CPSR_LOW "cpsid-i", 0x093
    cpsie   aif
    CPSR_LOW "cpsie-aif", 0x013
    cpsid   if
    CPSR_LOW "cpsid-if", 0x0d3

    @ mode changes with CPS; flags kept
    msr     cpsr_f, #(PSR_N | PSR_C)
    cps     #MODE_SYS
    mrs     r4, cpsr
    cps     #MODE_ABT
    mrs     r5, cpsr
    cps     #MODE_IRQ
    mrs     r6, cpsr
    cps     #MODE_FIQ
    mrs     r7, cpsr
    cps     #MODE_UND
    mrs     r8, cpsr
    cps     #MODE_SVC
    mrs     r9, cpsr
    CHECKR  "cps-sys", r4, 0xa00000df
    CHECKR  "cps-abt", r5, 0xa00000d7
    CHECKR  "cps-irq", r6, 0xa00000d2
    CHECKR  "cps-fiq", r7, 0xa00000d1
    CHECKR  "cps-und", r8, 0xa00000db
    CHECKR  "cps-svc", r9, 0xa00000d3

    @ combined: change the mode and the masks in one instruction
    msr     cpsr_f, #PSR_V
    cpsie   if, #MODE_SYS
    mrs     r4, cpsr
    cpsid   aif, #MODE_SVC
    mrs     r5, cpsr
    cpsie   a, #MODE_ABT
    mrs     r6, cpsr
    cpsid   a, #MODE_SVC
    mrs     r7, cpsr
    CHECKR  "cpsie-if-sys", r4, 0x1000001f
    CHECKR  "cpsid-aif-svc", r5, 0x100001d3
    CHECKR  "cpsie-a-abt", r6, 0x100000d7
    CHECKR  "cpsid-a-svc", r7, 0x100001d3
    msr     cpsr_c, r11
    CPSR_LOW "restored", 0x1d3
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
