/*
 * SETEND BE / LE: CPSR.E and big-endian data accesses (LDR/STR/LDRH/
 * LDRSH/LDRD/LDM/STM); instruction fetches stay little-endian.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    ldr     r4, =data
    setend  be
    mrs     r5, cpsr
    ldr     r6, [r4]
    ldrh    r7, [r4, #2]
    ldrsh   r8, [r4, #4]
    ldrb    r9, [r4, #1]
    setend  le
    mrs     r10, cpsr
    and     r0, r5, #PSR_E
    CHECK   "setend-be-cpsr-e", PSR_E
    and     r0, r10, #PSR_E
    CHECK   "setend-le-cpsr-e", 0
    CHECKR  "be-ldr", r6, 0x00112233
    CHECKR  "be-ldrh", r7, 0x2233
    CHECKR  "be-ldrsh", r8, 0xffff8899
    CHECKR  "be-ldrb", r9, 0x11

    @ big-endian stores, read back little-endian
    ldr     r4, =scratch
    ldr     r5, =0x01020304
    ldr     r6, =0xa1b2
    setend  be
    str     r5, [r4]
    strh    r6, [r4, #4]
    setend  le
    ldr     r0, [r4]
    CHECK   "be-str", 0x04030201
    ldrh    r0, [r4, #4]
    CHECK   "be-strh", 0xb2a1

    @ LDRD / LDM / STM in big-endian
    ldr     r4, =data
    ldr     r10, =scratch               @ (literal loads would be big-endian too)
    setend  be
    ldrd    r6, r7, [r4]
    ldmia   r4, {r8, r9}
    stmia   r10, {r8, r9}
    setend  le
    CHECKR  "be-ldrd-lo", r6, 0x00112233
    CHECKR  "be-ldrd-hi", r7, 0x8899aabb
    CHECKR  "be-ldm-hi", r9, 0x8899aabb
    ldr     r0, =scratch
    ldr     r0, [r0, #4]
    CHECK   "be-stm-roundtrip", 0xbbaa9988

    @ unaligned big-endian load
    ldr     r4, =data
    setend  be
    ldr     r6, [r4, #1]
    setend  le
    CHECKR  "be-ldr-unaligned", r6, 0x11223388

    @ E bit via MSR
    mrs     r0, cpsr
    orr     r0, r0, #PSR_E
    msr     cpsr_x, r0
    ldr     r6, [r4]
    setend  le
    CHECKR  "msr-e-ldr", r6, 0x00112233
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 8
data:    .byte 0x00, 0x11, 0x22, 0x33, 0x88, 0x99, 0xaa, 0xbb
scratch: .word 0, 0
