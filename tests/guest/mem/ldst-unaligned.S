/*
 * Unaligned LDR/STR/LDRH/LDRSH/STRH (and the T forms) with SCTLR.A = 0:
 * ARMv7 performs them as unaligned little-endian accesses (no rotation).
 * Every byte offset 0..3 is tried, including accesses crossing a word.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    mrc     p15, 0, r0, c1, c0, 0
    and     r0, r0, #2
    CHECK   "sctlr-a-clear", 0

    ldr     r4, =buf
    ldr     r0, [r4, #1]
    CHECK   "ldr+1", 0x44332211
    ldr     r0, [r4, #2]
    CHECK   "ldr+2", 0x55443322
    ldr     r0, [r4, #3]
    CHECK   "ldr+3", 0x66554433
    mov     r5, #7
    ldr     r0, [r4, r5]
    CHECK   "ldr-reg+7", 0x0a998877
    add     r6, r4, #5
    ldr     r7, [r6], #4
    CHECKR  "ldr-post+5", r7, 0x88776655
    CHECKR  "ldr-post+5-base", r6, buf + 9
    ldrh    r0, [r4, #1]
    CHECK   "ldrh+1", 0x00002211
    ldrh    r0, [r4, #3]
    CHECK   "ldrh+3-cross", 0x00004433
    ldrsh   r0, [r4, #7]
    CHECK   "ldrsh+7-cross", 0xffff8877
    ldrsh   r0, [r4, #5]
    CHECK   "ldrsh+5", 0x00006655
    mov     r6, r4
    ldrt    r0, [r6], #3
    CHECK   "ldrt-aligned", 0x33221100
    ldrt    r0, [r6], #1
    CHECK   "ldrt+3", 0x66554433
    ldrht   r0, [r6], #2
    CHECK   "ldrht+4", 0x00005544

    @ stores
    ldr     r5, =scratch
    mov     r0, #0
    str     r0, [r5]
    str     r0, [r5, #4]
    str     r0, [r5, #8]
    ldr     r1, =0xa1b2c3d4
    str     r1, [r5, #1]
    ldr     r0, [r5]
    CHECK   "str+1-w0", 0xb2c3d400
    ldr     r0, [r5, #4]
    CHECK   "str+1-w1", 0x000000a1
    ldr     r1, =0xa1b2c3d4
    str     r1, [r5, #7]
    ldr     r0, [r5, #4]
    CHECK   "str+7-w1", 0xd40000a1
    ldr     r0, [r5, #8]
    CHECK   "str+7-w2", 0x00a1b2c3
    ldr     r1, =0xbeef
    strh    r1, [r5, #3]
    ldr     r0, [r5]
    CHECK   "strh+3-w0", 0xefc3d400
    ldr     r0, [r5, #4]
    CHECK   "strh+3-w1", 0xd40000be
    mov     r1, #0x77
    strb    r1, [r5, #9]
    ldr     r0, [r5, #8]
    CHECK   "strb+9", 0x00a177c3
    ldr     r1, =0x01020304
    add     r6, r5, #2
    strt    r1, [r6], #-1
    ldr     r0, [r5]
    CHECK   "strt+2", 0x0304d400
    CHECKR  "strt+2-base", r6, scratch + 1
    ldr     r1, =0x5a5a
    strht   r1, [r6], #4
    ldr     r0, [r5]
    CHECK   "strht+1", 0x035a5a00
    @ unaligned accesses through the stack pointer
    sub     sp, sp, #16
    ldr     r1, =0xcafef00d
    str     r1, [sp, #5]
    ldr     r0, [sp, #5]
    add     sp, sp, #16
    CHECK   "str-ldr-sp+5", 0xcafef00d

    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
buf:     .byte 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0x0a, 0x0b
    .balign 4
scratch: .space 16
