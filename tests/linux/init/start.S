/*
 * start.S - entry point and raw system calls of the test /init (ARM state, EABI).
 *
 * Linux ARM EABI system call convention (arch/arm/kernel/entry-common.S and the
 * syscall(2) man page, "Architecture calling conventions"): the call number is in r7,
 * arguments in r0-r6, `svc #0` traps, the result (or -errno) comes back in r0.
 * At process entry sp points at argc, followed by argv and envp (the initial process
 * stack that fs/binfmt_elf.c create_elf_tables builds); /init uses none of them.
 */
    .syntax unified
    .arm
    .text

    .global _start
    .type _start, %function
_start:
    mov     fp, #0
    bic     sp, sp, #7          @ AAPCS: 8-byte aligned stack at public interfaces
    bl      init_main
    /* init_main does not return (it powers the machine off); if it does, exit. */
    mov     r7, #1              @ __NR_exit
    svc     #0
    b       .
    .size _start, . - _start

/* long sys_call6(long nr, long a, long b, long c, long d, long e): the number comes
 * first (r0), the five arguments in r1-r3 and on the stack; the kernel wants the
 * number in r7 and the arguments in r0-r4. */
    .global sys_call6
    .type sys_call6, %function
sys_call6:
    push    {r4, r7}
    mov     r7, r0
    mov     r0, r1
    mov     r1, r2
    mov     r2, r3
    ldr     r3, [sp, #8]        @ d (after the two pushed registers)
    ldr     r4, [sp, #12]       @ e
    svc     #0
    pop     {r4, r7}
    bx      lr
    .size sys_call6, . - sys_call6

    .section .note.GNU-stack, "", %progbits
