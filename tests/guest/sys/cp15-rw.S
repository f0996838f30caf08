/*
 * Read/write CP15 registers: SCTLR (A, C, I bits), CPACR, the thread ID
 * registers TPIDRURW/TPIDRURO/TPIDRPRW, VBAR (bits 4:0 read as zero),
 * CONTEXTIDR, DACR, TTBR0/TTBR1/TTBCR, DFSR/IFSR/DFAR/IFAR, CSSELR;
 * 64-bit MCRR/MRRC of TTBR0/TTBR1 (LPAE) and reads of CNTPCT/CNTVCT
 * (values not compared, only that the count does not go backwards);
 * cache/TLB maintenance operations execute without effect.
 */
#include "test.inc"

    @ RW name, crn, op1, crm, op2, value, want: write value, read back
    .macro RW name, crn, op1, crm, op2, value, want
    ldr     r4, =\value
    mcr     p15, \op1, r4, \crn, \crm, \op2
    isb
    mrc     p15, \op1, r0, \crn, \crm, \op2
    CHECK   "\name", \want
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    mrc     p15, 0, r11, c1, c0, 0      @ SCTLR
    and     r0, r11, #0x1
    CHECK   "sctlr-mmu-off", 0
    ldr     r0, =0x40002000             @ TE, V
    and     r0, r11, r0
    CHECK   "sctlr-te-v-clear", 0
    @ A, C and I bits are writable
    orr     r4, r11, #0x2
    orr     r4, r4, #0x4
    orr     r4, r4, #0x1000
    mcr     p15, 0, r4, c1, c0, 0
    isb
    mrc     p15, 0, r5, c1, c0, 0
    mcr     p15, 0, r11, c1, c0, 0      @ restore before calling C code
    isb
    eor     r0, r5, r11
    CHECK   "sctlr-set-a-c-i", 0x1006
    mrc     p15, 0, r0, c1, c0, 0
    eor     r0, r0, r11
    CHECK   "sctlr-restored", 0

    RW "TPIDRURW", c13, 0, c0, 2, 0xdeadbeef, 0xdeadbeef
    RW "TPIDRURO", c13, 0, c0, 3, 0x12345678, 0x12345678
    RW "TPIDRPRW", c13, 0, c0, 4, 0xfedcba98, 0xfedcba98
    RW "CONTEXTIDR", c13, 0, c0, 1, 0x000012ab, 0x000012ab
    RW "DACR",     c3, 0, c0, 0, 0x55555555, 0x55555555
    RW "DACR-2",   c3, 0, c0, 0, 0x0000000d, 0x0000000d
    RW "TTBR0",    c2, 0, c0, 0, 0x40004059, 0x40004059
    RW "TTBR1",    c2, 0, c0, 1, 0x4000806a, 0x4000806a
    RW "TTBCR-N5", c2, 0, c0, 2, 0x00000005, 0x00000005
    RW "TTBCR-0",  c2, 0, c0, 2, 0x00000000, 0x00000000
    RW "DFSR",     c5, 0, c0, 0, 0x00000805, 0x00000805
    RW "IFSR",     c5, 0, c0, 1, 0x0000000d, 0x0000000d
    RW "DFAR",     c6, 0, c0, 0, 0x87654321, 0x87654321
    RW "IFAR",     c6, 0, c0, 2, 0x13572468, 0x13572468
    RW "CPACR-cp10-11", c1, 0, c0, 2, 0x00f00000, 0x00f00000
    RW "CPACR-0",  c1, 0, c0, 2, 0x00000000, 0x00000000
    RW "CSSELR",   c0, 2, c0, 0, 0x00000002, 0x00000002
    RW "CSSELR-0", c0, 2, c0, 0, 0x00000000, 0x00000000

    @ VBAR: bits 4:0 are RES0
    mrc     p15, 0, r6, c12, c0, 0
    orr     r4, r6, #0x1f
    mcr     p15, 0, r4, c12, c0, 0
    mrc     p15, 0, r5, c12, c0, 0
    mcr     p15, 0, r6, c12, c0, 0
    isb
    CHECKRR "vbar-low-bits-res0", r5, r6
    ldr     r0, =gt_vectors
    sub     r0, r6, r0
    CHECK   "vbar-is-runtime-table", 0

    @ 64-bit TTBR0 / TTBR1 through MCRR / MRRC
    ldr     r4, =0x11223340
    ldr     r5, =0x00120034             @ ASID 0x12, BADDR[39:32] 0x34
    mcrr    p15, 0, r4, r5, c2
    isb
    mrrc    p15, 0, r6, r7, c2
    CHECKR  "ttbr0-64-lo", r6, 0x11223340
    CHECKR  "ttbr0-64-hi", r7, 0x00120034
    mrc     p15, 0, r0, c2, c0, 0
    CHECK   "ttbr0-32-view", 0x11223340
    ldr     r4, =0x55667780
    ldr     r5, =0x00ab0001
    mcrr    p15, 1, r4, r5, c2
    isb
    mrrc    p15, 1, r6, r7, c2
    CHECKR  "ttbr1-64-lo", r6, 0x55667780
    CHECKR  "ttbr1-64-hi", r7, 0x00ab0001
    mov     r4, #0
    mov     r5, #0
    mcrr    p15, 0, r4, r5, c2
    mcrr    p15, 1, r4, r5, c2

    @ generic timer counters: readable, monotonic
    mrrc    p15, 0, r4, r5, c14         @ CNTPCT
    mov     r0, #0
1:  add     r0, r0, #1
    cmp     r0, #1000
    blo     1b
    mrrc    p15, 0, r6, r7, c14
    subs    r0, r6, r4
    sbcs    r1, r7, r5
    movpl   r0, #1
    movmi   r0, #0
    CHECK   "cntpct-monotonic", 1
    mrrc    p15, 1, r4, r5, c14         @ CNTVCT
    mrrc    p15, 1, r6, r7, c14
    subs    r0, r6, r4
    sbcs    r1, r7, r5
    movpl   r0, #1
    movmi   r0, #0
    CHECK   "cntvct-monotonic", 1
    mrc     p15, 0, r0, c14, c0, 0      @ CNTFRQ
    cmp     r0, #0
    movne   r0, #1
    CHECK   "cntfrq-nonzero", 1

    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
