/*
 * Instruction-count program 1: a counted loop.
 *
 * Counting rule: every executed instruction counts once, including those
 * whose condition fails and the semihosting SVCs (the final exit SVC too).
 *
 *   _start: mov r4, #0                  1
 *           mov r5, #10                 1
 *   loop:   add r4, r4, r5              10  (r5 = 10..1)
 *           subs r5, r5, #1             10
 *           bne loop                    10  (9 taken, 1 not taken)
 *           cmp r4, #55                 1   (sum 10+9+...+1 = 55: Z set)
 *           adreq r1, msg_ok            1   (executes)
 *           adrne r1, msg_fail          1   (condition fails: still counts)
 *           mov r0, #4                  1   SYS_WRITE0
 *           svc 0x123456                1
 *           cmp r4, #55                 1   (flags recomputed after the call)
 *           adreq r1, blk_ok            1
 *           adrne r1, blk_fail          1
 *           mov r0, #0x20               1   SYS_EXIT_EXTENDED
 *           svc 0x123456                1
 *                                     ----
 *                                       42  (2 + 30 + 10)
 */
    .syntax unified
    .arch armv7-a
    .arm
    .section .text.start, "ax", %progbits
    .global _start
_start:
    mov     r4, #0
    mov     r5, #10
loop:
    add     r4, r4, r5
    subs    r5, r5, #1
    bne     loop
    cmp     r4, #55
    adreq   r1, msg_ok
    adrne   r1, msg_fail
    mov     r0, #4
    svc     0x123456
    cmp     r4, #55
    adreq   r1, blk_ok
    adrne   r1, blk_fail
    mov     r0, #0x20
    svc     0x123456
    b       .
msg_ok:   .asciz "icount-loop: ok sum=55\n"
msg_fail: .asciz "icount-loop: FAIL sum!=55\n"
    .balign 4
blk_ok:   .word 0x20026, 0
blk_fail: .word 0x20026, 1
