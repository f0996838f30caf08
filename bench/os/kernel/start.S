/*
 * start.S - the first instructions.  QEMU (and armvm) enter here in SVC
 * mode, ARM state, interrupts masked, MMU off, at the ELF entry point.
 */
    .syntax unified
    .arch armv7-a
    .arm

    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    cpsid   aif
    /* IRQ, abort and undefined mode switch to SVC mode at once (entry.S):
     * their own stack only serves the panic path for a fault in the kernel. */
    msr     cpsr_c, #0xd2               @ IRQ
    ldr     sp, =exception_stack_top
    msr     cpsr_c, #0xd7               @ abort
    ldr     sp, =exception_stack_top
    msr     cpsr_c, #0xdb               @ undefined
    ldr     sp, =exception_stack_top
    msr     cpsr_c, #0xd1               @ FIQ
    ldr     sp, =exception_stack_top
    msr     cpsr_c, #0xd3               @ back to SVC
    ldr     sp, =kernel_stack_top

    ldr     r0, =__bss_start            @ clear .bss (8-byte aligned)
    ldr     r1, =__bss_end
    mov     r2, #0
    mov     r3, #0
1:  cmp     r0, r1
    stmlo   r0!, {r2, r3}
    blo     1b

    ldr     r0, =vectors                @ VBAR
    mcr     p15, 0, r0, c12, c0, 0
    isb
    bl      kmain                       @ does not return
0:  b       0b
    .size _start, . - _start
