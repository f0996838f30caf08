/*
 * crt0.S - startup code of the armvm demo guest (bench/demo).
 *
 * QEMU's "virt" board (and armvm) enter the ELF entry point in SVC mode, ARM
 * state, MMU off, interrupts masked.  Set up a stack, clear .bss, call
 * main() and exit through semihosting SYS_EXIT_EXTENDED (0x20) with
 * ADP_Stopped_ApplicationExit and main's return value as the exit status.
 */
    .syntax unified
    .arch armv7-a
    .arm

    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    ldr     sp, =__stack_top

    ldr     r0, =__bss_start__
    ldr     r1, =__bss_end__
    mov     r2, #0
1:  cmp     r0, r1
    strlo   r2, [r0], #4
    blo     1b

    bl      main

    /* SYS_EXIT_EXTENDED: r1 points at { reason, status }. */
    ldr     r1, =exit_block
    str     r0, [r1, #4]
    mov     r0, #0x20
2:  svc     0x123456
    b       2b                      @ never returns; spin if it does
    .size _start, . - _start
    .ltorg

    .data
    .balign 4
exit_block:
    .word   0x20026                 @ ADP_Stopped_ApplicationExit
    .word   0
