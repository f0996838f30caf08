/*
 * User-bank LDM/STM (the "^" forms without PC) from privileged modes:
 * STM^ stores the User-mode SP/LR (and R8-R12 from FIQ mode), LDM^ loads
 * them.  LDM with PC and "^" is an exception return: it copies SPSR to
 * CPSR (mode and flags) while branching.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}

    @ give the User/System bank distinctive SP/LR (save the real ones)
    cps     #MODE_SYS
    mov     r9, sp
    mov     r10, lr
    ldr     sp, =0x5500aa01
    ldr     lr, =0x5500aa02
    cps     #MODE_SVC

    @ STM^ from SVC: stores the user SP/LR, not SVC's
    ldr     r4, =area
    mov     r5, #0x55
    stmia   r4, {r5, sp, lr}^
    ldr     r0, [r4, #4]
    CHECK   "stm-user-sp", 0x5500aa01
    ldr     r0, [r4, #8]
    CHECK   "stm-user-lr", 0x5500aa02
    ldr     r0, [r4]
    CHECK   "stm-user-r5", 0x55

    @ LDM^ from SVC: loads the user SP/LR; SVC's SP/LR unchanged
    ldr     r4, =vals
    mov     r6, sp
    ldmia   r4, {sp, lr}^
    nop
    mov     r7, sp
    cps     #MODE_SYS
    mov     r5, sp
    mov     r8, lr
    cps     #MODE_SVC
    CHECKR  "ldm-user-sp", r5, 0x11112222
    CHECKR  "ldm-user-lr", r8, 0x33334444
    CHECKRR "ldm-user-svc-sp-kept", r7, r6

    @ FIQ mode: STM^ stores the user R8-R12, LDM^ loads them
    mov     r8, #0x08
    mov     r11, #0x0b
    mov     r12, #0x0c
    cps     #MODE_FIQ
    mov     r8, #0x88
    mov     r11, #0xbb
    ldr     r4, =area
    stmia   r4, {r8, r11}^              @ user r8/r11
    stmib   r4, {r11}                   @ FIQ r11 at area[1] (overwrites)
    ldr     r0, =vals
    ldmia   r0, {r8, r11}^              @ user r8/r11 = 0x11112222/0x33334444
    nop
    mov     r5, r8                      @ FIQ r8 still 0x88
    cps     #MODE_SVC
    CHECKR  "fiq-ldm-user-r8", r8, 0x11112222
    CHECKR  "fiq-ldm-user-r11", r11, 0x33334444
    CHECKR  "fiq-own-r8", r5, 0x88
    ldr     r4, =area
    ldr     r0, [r4]
    CHECK   "fiq-stm-user-r8", 0x08
    ldr     r0, [r4, #4]
    CHECK   "fiq-stm-own-r11", 0xbb

    @ LDM {..., pc}^: exception return to System mode with new flags
    ldr     r0, =0x800000df | PSR_Z     @ N Z, IRQ/FIQ masked, SYS
    msr     spsr_fsxc, r0
    ldr     r4, =ret_tab
    mov     r5, #0
    ldmia   r4, {r5, pc}^
    b       .
1:  mrs     r6, cpsr
    mov     r7, sp                      @ System SP = the value set above
    cps     #MODE_SVC
    CHECKR  "ldm-pc-eret-cpsr", r6, 0xc00000df
    CHECKR  "ldm-pc-eret-r5", r5, 0x77
    CHECKR  "ldm-pc-eret-sp-bank", r7, 0x11112222

    @ LDMDB with writeback, PC and ^ (the classic "ldmfd sp!, {..., pc}^")
    ldr     r0, =0x20000013 | PSR_V     @ C V, SVC
    msr     spsr_fsxc, r0
    mov     r1, #0x99
    adr     r2, 2f
    push    {r1, r2}
    mov     r5, #0
    ldmfd   sp!, {r5, pc}^
    b       .
2:  mrs     r6, cpsr
    CHECKR  "ldmfd-eret-cpsr", r6, 0x30000013
    CHECKR  "ldmfd-eret-r5", r5, 0x99

    @ restore the System-mode SP/LR
    cps     #MODE_SYS
    mov     sp, r9
    mov     lr, r10
    cps     #MODE_SVC
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
area:    .space 16
vals:    .word 0x11112222, 0x33334444
ret_tab: .word 0x77, 1b
