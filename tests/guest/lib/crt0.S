/*
 * crt0.S - startup code shared by the armvm guest test programs.
 *
 * QEMU's "virt" board (and armvm) enter the ELF entry point in SVC mode,
 * ARM state, with IRQ/FIQ (and asynchronous aborts) masked and the MMU off.
 * This code gives every mode its own stack, clears .bss, points VBAR at a
 * RAM vector table whose handlers tests may replace, calls main() and exits
 * through semihosting with main's return value as the status.
 */
    .syntax unified
    .arch armv7-a
    .arm

    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    msr     cpsr_c, #0xd1           @ FIQ
    ldr     sp, =__stack_fiq
    msr     cpsr_c, #0xd2           @ IRQ
    ldr     sp, =__stack_irq
    msr     cpsr_c, #0xd7           @ ABT
    ldr     sp, =__stack_abt
    msr     cpsr_c, #0xdb           @ UND
    ldr     sp, =__stack_und
    msr     cpsr_c, #0xdf           @ SYS (shares SP/LR with USR)
    ldr     sp, =__stack_usr
    msr     cpsr_c, #0xd3           @ back to SVC
    ldr     sp, =__stack_svc

    ldr     r0, =__bss_start__
    ldr     r1, =__bss_end__
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    ldr     r0, =gt_vectors
    mcr     p15, 0, r0, c12, c0, 0  @ VBAR
    isb

    mov     r0, #0
    mov     r1, #0
    bl      main
    bl      gt_exit
0:  b       0b
    .size _start, . - _start
    .ltorg

/*
 * Vector table.  It lives in .data so that tests can replace a handler by
 * storing its address in gt_vector_handlers[n] (n = offset / 4).  Each entry
 * is "ldr pc, [pc, #0x18]", which loads the word 0x20 bytes further on.
 */
    .section .data.vectors, "aw", %progbits
    .balign 32
    .global gt_vectors
gt_vectors:
    .rept 8
    ldr     pc, [pc, #0x18]
    .endr
    .global gt_vector_handlers
gt_vector_handlers:
    .word   gt_unexp_reset, gt_unexp_und, gt_unexp_svc, gt_unexp_pabt
    .word   gt_unexp_dabt, gt_unexp_hyp, gt_unexp_irq, gt_unexp_fiq

    .text
    .macro UNEXP name, idx
    .type gt_unexp_\name, %function
gt_unexp_\name:
    mov     r0, #\idx
    b       gt_unexpected_common
    .endm
    UNEXP reset, 0
    UNEXP und, 1
    UNEXP svc, 2
    UNEXP pabt, 3
    UNEXP dabt, 4
    UNEXP hyp, 5
    UNEXP irq, 6
    UNEXP fiq, 7
gt_unexpected_common:
    mov     r1, lr
    mrs     r2, spsr
    mrs     r3, cpsr
    bic     sp, sp, #7
    bl      gt_unexpected               @ does not return
0:  b       0b
