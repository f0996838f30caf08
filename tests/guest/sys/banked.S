/*
 * Banked-register MRS/MSR (the Virtualization Extensions encoding,
 * e.g. "mrs r0, sp_usr", "msr lr_irq, r1", "mrs r0, spsr_fiq").
 * On QEMU's "virt" board with its default configuration (virtualization=off,
 * secure=off) the CPU has neither EL2 nor EL3, and QEMU 7.2 treats these
 * encodings as UNDEFINED there.  This test checks exactly that: each one
 * takes the undefined-instruction exception (LR = insn + 4, the trapping
 * word is the banked encoding) and changes no register.
 */
#include "test.inc"

    @ TRY name, insn...: execute the instruction, expect one UND trap at it
    .macro TRY name:req, insn:req
    ldr     r8, =gt_trap
    mov     r0, #0
    str     r0, [r8]
    ldr     r0, =0x0dd0dd0d
    ldr     r1, =0x0dd0dd0d
1:  \insn
    mov     r9, r0
    ldr     r0, [r8]
    CHECK   "\name-traps", 1
    ldr     r0, [r8, #4]
    CHECK   "\name-vector-und", 1
    ldr     r0, [r8, #8]
    ldr     r1, =1b + 4
    sub     r0, r0, r1
    CHECK   "\name-lr", 0
    ldr     r0, [r8, #36]
    ldr     r1, =1b
    ldr     r1, [r1]
    sub     r0, r0, r1
    CHECK   "\name-insn", 0
    CHECKR  "\name-dest-kept", r9, 0x0dd0dd0d
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    cps     #MODE_IRQ
    mov     r10, lr                     @ IRQ LR before
    cps     #MODE_SVC
    TRY     "mrs-sp_usr", "mrs r0, sp_usr"
    TRY     "mrs-lr_usr", "mrs r0, lr_usr"
    TRY     "mrs-r8_fiq", "mrs r0, r8_fiq"
    TRY     "mrs-spsr_fiq", "mrs r0, SPSR_fiq"
    TRY     "mrs-lr_irq", "mrs r0, lr_irq"
    TRY     "mrs-sp_abt", "mrs r0, sp_abt"
    TRY     "mrs-spsr_und", "mrs r0, SPSR_und"
    TRY     "msr-lr_irq", "msr lr_irq, r1"
    TRY     "msr-sp_und", "msr sp_und, r1"
    TRY     "msr-spsr_abt", "msr SPSR_abt, r1"
    TRY     "msr-r12_fiq", "msr r12_fiq, r1"
    cps     #MODE_IRQ
    mov     r4, lr
    cps     #MODE_SVC
    CHECKRR "lr_irq-unchanged", r4, r10
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
