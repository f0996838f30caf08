/*
 * crt0.S - where every task starts (the ELF entry point).  The kernel
 * enters with sp = USER_STACK_TOP, r0 = the task's function (0 for the
 * first task: main) and r1-r3 = its arguments (SYS_SPAWN); the function's
 * return value becomes the task's exit status.
 */
    .syntax unified
    .arch armv7-a
    .arm

    .section .text.start, "ax", %progbits
    .global _start
    .type _start, %function
_start:
    cmp     r0, #0
    ldreq   r0, =main
    mov     r12, r0
    mov     r0, r1
    mov     r1, r2
    mov     r2, r3
    blx     r12
    bl      exit                        @ r0 = the function's result
    .size _start, . - _start
    .ltorg
