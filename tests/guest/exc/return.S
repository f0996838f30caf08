/*
 * Exception return through SUBS pc / MOVS pc (immediate and register
 * operands, from LR and from other registers): CPSR is restored from SPSR.
 * (The architecture also defines ADDS/ANDS/EORS/... with Rd = PC as
 * exception returns, but QEMU 7.2 implements only SUBS and MOVS that way,
 * so the others are not tested.)  The handler
 * also edits the SPSR to return with other flags, another mode (SYS),
 * other A/I/F masks, and checks that the handler runs little-endian even
 * when the caller used SETEND BE (SCTLR.EE = 0), with E restored on return.
 */
#include "test.inc"

    .text
und_handler:
    push    {r0-r3}
    ldr     r2, =rec
    mrs     r3, cpsr
    str     r3, [r2, #4]                @ CPSR in the handler
    ldr     r3, [r2]                    @ requested return method
    ldr     r0, [r2, #8]                @ SPSR edit: bic mask
    ldr     r1, [r2, #12]               @ SPSR edit: orr mask
    mrs     r2, spsr
    bic     r2, r2, r0
    orr     r2, r2, r1
    msr     spsr_fsxc, r2
    add     pc, pc, r3, lsl #4
    nop
    pop     {r0-r3}                     @ 0: MOVS pc, lr
    movs    pc, lr
    nop
    nop
    pop     {r0-r3}                     @ 1: SUBS pc, lr, #0
    subs    pc, lr, #0
    nop
    nop
    pop     {r0-r3}                     @ 2: SUBS pc, lr, rN (rN = -4): skips one
    push    {r0}
    mvn     r0, #3
    b       2f
    pop     {r0-r3}                     @ 3: MOVS pc, rN
    push    {r0}
    mov     r0, lr
    b       3f
    pop     {r0-r3}                     @ 4: SUBS pc, rN, #imm
    push    {r0}
    add     r0, lr, #8
    b       4f
2:  sub     lr, lr, r0
    pop     {r0}
    subs    pc, lr, #0
3:  mov     lr, r0
    pop     {r0}
    movs    pc, lr
4:  mov     lr, r0
    pop     {r0}
    subs    pc, lr, #8

    @ RET name, method, bic, orr, want_cpsr_mask, want_cpsr
    .macro RET name, method, bicm, orrm, wmask, want
    ldr     r8, =rec
    mov     r0, #\method
    ldr     r1, =\bicm
    ldr     r2, =\orrm
    str     r0, [r8]
    str     r1, [r8, #8]
    str     r2, [r8, #12]
    mov     r5, #0
    msr     cpsr_f, #(PSR_Z | PSR_Q)
    udf     #0
    add     r5, r5, #1                  @ skipped by the ADDS #4 form
    mrs     r6, cpsr
    cps     #MODE_SVC
    cpsid   aif
    ldr     r1, =\wmask
    and     r0, r6, r1
    CHECK   "\name-cpsr", \want
    .endm

    .global main
main:
    push    {r4-r11, lr}
    SET_VECTOR VEC_UND, und_handler
    RET     "movs", 0, 0, 0, 0xf80001ff, 0x480001d3
    CHECKR  "movs-next-executed", r5, 1
    RET     "subs", 1, 0, 0, 0xf80001ff, 0x480001d3
    RET     "subs-reg-skip", 2, 0, 0, 0xf80001ff, 0x480001d3
    CHECKR  "subs-reg-skipped-one", r5, 0
    RET     "movs-other-reg", 3, 0, 0, 0xf80001ff, 0x480001d3
    RET     "subs-other-reg", 4, 0, 0, 0xf80001ff, 0x480001d3
    @ edited SPSR: new flags
    RET     "new-flags", 0, 0xf8000000, 0xa0000000, 0xf80001ff, 0xa00001d3
    @ edited SPSR: return to System mode
    RET     "to-sys", 1, 0x1f, 0x1f, 0x0000001f, 0x1f
    @ edited SPSR: unmask A, I and F on return
    RET     "unmask-aif", 0, 0x1c0, 0, 0x000001c0, 0
    @ handler CPSR: UND mode, I set, A and F unchanged, ARM, little-endian
    ldr     r8, =rec
    mov     r0, #0
    str     r0, [r8]
    str     r0, [r8, #8]
    str     r0, [r8, #12]
    cpsie   af
    udf     #0
    cpsid   af
    ldr     r0, =rec
    ldr     r0, [r0, #4]
    ldr     r1, =0x3ff
    and     r0, r0, r1
    CHECK   "handler-cpsr-from-unmasked", 0x09b   @ I set, A F clear (unchanged)
    @ big-endian caller: handler runs little-endian, E restored on return
    ldr     r8, =rec
    mov     r0, #0
    str     r0, [r8]
    str     r0, [r8, #8]
    str     r0, [r8, #12]
    setend  be
    udf     #0
    mrs     r6, cpsr
    setend  le
    ldr     r0, [r8, #4]
    and     r0, r0, #PSR_E
    CHECK   "handler-little-endian", 0
    and     r0, r6, #PSR_E
    CHECK   "caller-e-restored", PSR_E
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
rec: .word 0, 0, 0, 0
