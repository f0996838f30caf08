/*
 * itasm.S - IRQ vector entry for the interrupt guest tests (see it.h).
 * Saves the caller-saved registers on the IRQ stack, calls
 * it_irq_c(raw LR_irq, SPSR) and returns with SUBS pc, lr, #4.
 */
#include "test.inc"

    .text
    .global it_irq_entry
    .type it_irq_entry, %function
it_irq_entry:
    push    {r0-r5, r12, lr}            @ 8 words: keeps sp 8-byte aligned
    mov     r0, lr
    mrs     r1, spsr
    mrs     r2, cpsr
    bl      it_irq_c
    pop     {r0-r5, r12, lr}
    subs    pc, lr, #4
    .size it_irq_entry, . - it_irq_entry

    .global it_wfi_at_label, it_wfi_insn
    .type it_wfi_at_label, %function
it_wfi_at_label:
    dsb
it_wfi_insn:
    wfi
    bx      lr
    .size it_wfi_at_label, . - it_wfi_at_label
