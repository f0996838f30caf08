/* A long integer loop for comparing guest MIPS with another emulator (run-mips.sh):
 * `subs r0, r0, #1; bne` 2,000,000,000 times (4 G guest instructions), then exit 0
 * through semihosting (SYS_EXIT_EXTENDED). */
    .syntax unified
    .arch armv7-a
    .arm
    .global _start
_start:
    ldr     r0, =2000000000
1:  subs    r0, r0, #1
    bne     1b
    ldr     r1, =exit_block
    mov     r0, #0x20
    svc     0x123456
    .ltorg
    .align  2
exit_block:
    .word   0x20026, 0
