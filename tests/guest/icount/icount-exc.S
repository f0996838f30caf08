/*
 * Instruction-count program 3: exceptions.  Counting rule: an instruction
 * that raises an exception itself (SVC, UDF, BKPT) counts once; an
 * instruction aborted by its memory access (data abort) does not count.
 * The vector entries and handler instructions count normally.
 *
 *   _start:  adr r0, vectors             1
 *            mcr p15,0,r0,c12,c0,0 VBAR  1
 *            isb                         1
 *            mov r4, #0                  1
 *            svc #1                      1  -> vectors+8: b svc_h       1
 *                                              svc_h: add r4, r4, #1    1
 *                                                     movs pc, lr       1
 *            udf #0                      1  -> vectors+4: b und_h       1
 *                                              und_h: add r4, r4, #2    1
 *                                                     movs pc, lr       1
 *            bkpt #0                     1  -> vectors+12: b pabt_h     1
 *                                              pabt_h: add r4, r4, #4   1
 *                                                      subs pc, lr, #0  1
 *            mov r1, #0x50000000         1
 *            ldr r0, [r1]                0  (aborted: not counted)
 *                                           -> vectors+16: b dabt_h     1
 *                                              dabt_h: add r4, r4, #8   1
 *                                                      subs pc, lr, #4  1
 *            cmp r4, #15                 1
 *            adreq r1, msg_ok            1
 *            adrne r1, msg_fail          1
 *            mov r0, #4                  1
 *            svc 0x123456                1  SYS_WRITE0 (semihosting, not
 *                                           an exception)
 *            cmp r4, #15                 1
 *            adreq r1, blk_ok            1
 *            adrne r1, blk_fail          1
 *            mov r0, #0x20               1
 *            svc 0x123456                1  SYS_EXIT_EXTENDED
 *
 * Main line: 4 + 1 + 1 + 1 + 1 + 0 + 10 = 18; handlers: 4 x 3 = 12.
 * Total: 30.
 */
    .syntax unified
    .arch armv7-a
    .arm
    .section .text.start, "ax", %progbits
    .global _start
_start:
    adr     r0, vectors
    mcr     p15, 0, r0, c12, c0, 0
    isb
    mov     r4, #0
    svc     #1
    udf     #0
    bkpt    #0
    mov     r1, #0x50000000
    ldr     r0, [r1]
    cmp     r4, #15
    adreq   r1, msg_ok
    adrne   r1, msg_fail
    mov     r0, #4
    svc     0x123456
    cmp     r4, #15
    adreq   r1, blk_ok
    adrne   r1, blk_fail
    mov     r0, #0x20
    svc     0x123456
    b       .

    .balign 32
vectors:
    b       .               @ reset
    b       und_h
    b       svc_h
    b       pabt_h
    b       dabt_h
    b       .
    b       .
    b       .
svc_h:
    add     r4, r4, #1
    movs    pc, lr
und_h:
    add     r4, r4, #2
    movs    pc, lr
pabt_h:
    add     r4, r4, #4
    subs    pc, lr, #0
dabt_h:
    add     r4, r4, #8
    subs    pc, lr, #4

msg_ok:   .asciz "icount-exc: ok r4=15\n"
msg_fail: .asciz "icount-exc: FAIL r4!=15\n"
    .balign 4
blk_ok:   .word 0x20026, 0
blk_fail: .word 0x20026, 1
