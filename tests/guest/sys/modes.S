/*
 * All seven processor modes: banked SP and LR (USR and SYS share theirs),
 * banked SPSR (FIQ IRQ ABT UND SVC), FIQ's banked R8-R12, and that the
 * other modes share R0-R12 with USR/SYS.  Modes are entered with CPS and
 * MSR CPSR_c; USR mode is checked through the SYS bank (user-mode entry is
 * tested by the user/ programs).
 */
#include "test.inc"

    @ VISIT mode: switch to mode, store SP/LR (and SPSR) into got[] at r3
    @ (r0-r7 are not banked in any mode)
    .macro VISIT mode, spsr=1
    cps     #\mode
    str     sp, [r3], #4
    str     lr, [r3], #4
    .if \spsr
    mrs     r0, spsr
    str     r0, [r3], #4
    .endif
    .endm

    .macro SETUP mode, val, spsr=1
    cps     #\mode
    str     sp, [r7], #4               @ save the real SP/LR
    str     lr, [r7], #4
    ldr     sp, =\val
    ldr     lr, =\val + 1
    .if \spsr
    ldr     r0, =0x10000010 | \mode     @ an SPSR unique to the mode
    orr     r0, r0, #(\val & 0xff0000)
    msr     spsr_fsxc, r0
    .endif
    .endm

    .macro RESTORE mode
    cps     #\mode
    ldr     sp, [r7], #4
    ldr     lr, [r7], #4
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    mrs     r11, cpsr
    mov     r9, #0
    ldr     r7, =saved
    SETUP   MODE_FIQ, 0x11010000
    mov     r8, #0xf8
    mov     r9, #0xf9
    mov     r10, #0xfa
    mov     r11, #0xfb
    mov     r12, #0xfc
    cps     #MODE_SVC
    SETUP   MODE_IRQ, 0x12020000
    SETUP   MODE_ABT, 0x17030000
    SETUP   MODE_UND, 0x1b040000
    SETUP   MODE_SYS, 0x1f050000, 0
    cps     #MODE_SVC
    mov     r4, sp                      @ keep the real SVC SP/LR in r4/r5
    mov     r5, lr
    ldr     sp, =0x13060000
    ldr     lr, =0x13060001
    mrs     r6, spsr
    ldr     r0, =0x10000013 | 0x060000
    msr     spsr_fsxc, r0
    mov     r8, #0x08                   @ non-FIQ r8-r12
    mov     r12, #0x0c

    @ read everything back
    ldr     r3, =got
    VISIT   MODE_FIQ
    str     r8, [r3], #4
    str     r12, [r3], #4
    mov     r1, r10
    cps     #MODE_SVC
    str     r1, [r3], #4                @ FIQ r10 as seen in FIQ mode
    VISIT   MODE_IRQ
    str     r8, [r3], #4                @ IRQ mode sees the usr r8
    VISIT   MODE_ABT
    VISIT   MODE_UND
    VISIT   MODE_SYS, 0
    str     r12, [r3], #4
    VISIT   MODE_SVC

    @ restore real SPs, LRs and SVC's SPSR
    msr     spsr_fsxc, r6
    mov     sp, r4
    mov     lr, r5
    ldr     r7, =saved
    RESTORE MODE_FIQ
    cps     #MODE_SVC
    RESTORE MODE_IRQ
    RESTORE MODE_ABT
    RESTORE MODE_UND
    RESTORE MODE_SYS
    msr     cpsr_c, r11                 @ back to SVC via MSR

    ldr     r3, =got
    .macro GOT name, want
    ldr     r0, [r4], #4
    CHECK   "\name", \want
    .endm
    mov     r4, r3
    GOT     "fiq-sp", 0x11010000
    GOT     "fiq-lr", 0x11010001
    GOT     "fiq-spsr", 0x10010011
    GOT     "fiq-r8", 0xf8
    GOT     "fiq-r12", 0xfc
    GOT     "fiq-r10", 0xfa
    CHECKR  "usr-r9-unchanged", r9, 0
    GOT     "irq-sp", 0x12020000
    GOT     "irq-lr", 0x12020001
    GOT     "irq-spsr", 0x10020012
    GOT     "irq-r8-shared", 0x08
    GOT     "abt-sp", 0x17030000
    GOT     "abt-lr", 0x17030001
    GOT     "abt-spsr", 0x10030017
    GOT     "und-sp", 0x1b040000
    GOT     "und-lr", 0x1b040001
    GOT     "und-spsr", 0x1004001b
    GOT     "sys-sp", 0x1f050000
    GOT     "sys-lr", 0x1f050001
    GOT     "sys-r12-shared", 0x0c
    GOT     "svc-sp", 0x13060000
    GOT     "svc-lr", 0x13060001
    GOT     "svc-spsr", 0x10060013
    mrs     r0, cpsr
    and     r0, r0, #0x1f
    CHECK   "back-in-svc", MODE_SVC
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
saved: .space 64
got:   .space 128
