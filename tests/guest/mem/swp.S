/*
 * SWP / SWPB.  ARMv7 makes them optional (SCTLR.SW enables them on cores
 * with the Multiprocessing Extensions); QEMU 7.2 executes them whatever
 * SCTLR.SW says, so they are tested as working, with SW both 0 and 1.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    mrc     p15, 0, r11, c1, c0, 0      @ SCTLR
    mov     r10, #0
1:  ldr     r4, =word
    ldr     r0, =0x11223344
    str     r0, [r4]
    ldr     r5, =0xaabbccdd
    swp     r6, r5, [r4]
    CHECKR  "swp-old", r6, 0x11223344
    ldr     r0, [r4]
    CHECK   "swp-new", 0xaabbccdd
    @ Rt == Rt2: swap a register with memory
    mov     r6, #0x42
    swp     r6, r6, [r4]
    CHECKR  "swp-same-reg", r6, 0xaabbccdd
    ldr     r0, [r4]
    CHECK   "swp-same-mem", 0x42
    @ SWPB: zero-extended byte, only one byte written
    ldr     r0, =0x11223344
    str     r0, [r4]
    ldr     r5, =0xffffff99
    add     r7, r4, #1
    swpb    r6, r5, [r7]
    CHECKR  "swpb-old", r6, 0x33
    ldr     r0, [r4]
    CHECK   "swpb-new", 0x11229944
    ldr     r0, =gt_trap
    ldr     r0, [r0]
    CHECK   "swp-no-trap", 0
    @ second round with SCTLR.SW (bit 10) set
    cmp     r10, #0
    bne     2f
    mov     r10, #1
    orr     r0, r11, #(1 << 10)
    mcr     p15, 0, r0, c1, c0, 0
    isb
    PRINT   "SCTLR.SW=1\n"
    b       1b
2:  mcr     p15, 0, r11, c1, c0, 0
    isb
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
word: .word 0, 0
