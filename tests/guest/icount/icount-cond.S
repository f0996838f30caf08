/*
 * Instruction-count program 2: conditional execution and calls.
 * Conditional instructions count whether or not their condition passes;
 * a conditional load from an unmapped address whose condition fails does
 * not fault (and counts once).  BL and BX count one each.
 *
 *   _start: msr APSR_nzcvq, #0          1   (flags are UNKNOWN at reset)
 *           mov r4, #0                  1
 *           mov r6, #3                  1
 *           ldr r7, =0x50000000         1   (literal load)
 *   outer:  bl sub                      3   (r6 = 3, 2, 1)
 *           subs r6, r6, #1             3
 *           bne outer                   3   (2 taken, 1 not taken)
 *   sub:    tst r6, #1                  3
 *           addne r4, r4, #10           3   (passes for r6 = 3 and 1)
 *           addeq r4, r4, #100          3   (passes for r6 = 2)
 *           ldrlt r0, [r7]              3   (never passes: TST leaves V = 0
 *                                            and N = 0, so N == V; the
 *                                            unmapped address is not read)
 *           bx lr                       3
 *   After the loop r4 = 10 + 100 + 10 = 120.
 *           cmp r4, #120                1
 *           movne r8, #1                1   (fails)
 *           moveq r8, #0                1
 *           adreq r1, msg_ok            1
 *           adrne r1, msg_fail          1   (fails)
 *           mov r0, #4                  1
 *           svc 0x123456                1   SYS_WRITE0
 *           ldr r1, =blk                1
 *           str r8, [r1, #4]            1   (exit status)
 *           mov r0, #0x20               1
 *           svc 0x123456                1   SYS_EXIT_EXTENDED
 *
 * Total: 4 + 9 (outer loop) + 15 (sub: 5 instructions x 3 calls) + 11 = 39.
 * (V is cleared by the MSR and nothing sets it: SUBS 3-1, 2-1, 1-1 do not
 * overflow.)
 */
    .syntax unified
    .arch armv7-a
    .arm
    .section .text.start, "ax", %progbits
    .global _start
_start:
    msr     APSR_nzcvq, #0
    mov     r4, #0
    mov     r6, #3
    ldr     r7, =0x50000000
outer:
    bl      sub
    subs    r6, r6, #1
    bne     outer
    cmp     r4, #120
    movne   r8, #1
    moveq   r8, #0
    adreq   r1, msg_ok
    adrne   r1, msg_fail
    mov     r0, #4
    svc     0x123456
    ldr     r1, =blk
    str     r8, [r1, #4]
    mov     r0, #0x20
    svc     0x123456
    b       .
sub:
    tst     r6, #1
    addne   r4, r4, #10
    addeq   r4, r4, #100
    ldrlt   r0, [r7]
    bx      lr
    .ltorg
msg_ok:   .asciz "icount-cond: ok r4=120\n"
msg_fail: .asciz "icount-cond: FAIL r4!=120\n"
    .data
    .balign 4
blk:      .word 0x20026, 0
