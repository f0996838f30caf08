/*
 * The unprivileged ("T") loads and stores executed from SVC mode with the
 * MMU off: LDRT STRT LDRBT STRBT LDRHT LDRSBT LDRSHT STRHT, with immediate,
 * register and scaled-register post-indexed offsets and base writeback.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    ldr     r4, =buf
    ldrt    r7, [r4], #4
    CHECKR  "ldrt-imm", r7, 0x83828180
    CHECKR  "ldrt-imm-base", r4, buf + 4
    mov     r5, #2
    ldrt    r7, [r4], r5, lsl #2
    CHECKR  "ldrt-scaled", r7, 0x87868584
    CHECKR  "ldrt-scaled-base", r4, buf + 12
    ldrbt   r7, [r4], #-1
    CHECKR  "ldrbt", r7, 0x8c
    CHECKR  "ldrbt-base", r4, buf + 11
    mov     r5, #3
    ldrbt   r7, [r4], -r5
    CHECKR  "ldrbt-reg", r7, 0x8b
    CHECKR  "ldrbt-reg-base", r4, buf + 8
    ldrht   r7, [r4], #2
    CHECKR  "ldrht", r7, 0x8988
    ldrsht  r7, [r4], #-2
    CHECKR  "ldrsht", r7, 0xffff8b8a
    CHECKR  "ldrsht-base", r4, buf + 8
    ldrsbt  r7, [r4], #1
    CHECKR  "ldrsbt-neg", r7, 0xffffff88
    ldr     r4, =buf + 16
    ldrsbt  r7, [r4], #0
    CHECKR  "ldrsbt-pos", r7, 0x7f
    mov     r5, #4
    ldrsht  r7, [r4], r5
    CHECKR  "ldrsht-pos", r7, 0x7e7f
    CHECKR  "ldrsht-reg-base", r4, buf + 20
    mov     r5, #2
    ldrht   r7, [r4], -r5
    CHECKR  "ldrht-reg", r7, 0x7a7b
    CHECKR  "ldrht-reg-base", r4, buf + 18

    @ stores
    ldr     r4, =scratch
    ldr     r7, =0x11223344
    strt    r7, [r4], #4
    ldr     r7, =0x55667788
    mov     r5, #1
    strt    r7, [r4], r5, lsl #1
    mov     r7, #0x99
    strbt   r7, [r4], #1
    mov     r7, #0xaa
    mov     r5, #1
    strbt   r7, [r4], -r5
    ldr     r7, =0xccbb
    strht   r7, [r4], #2
    ldr     r7, =0xeedd
    mov     r5, #3
    strht   r7, [r4], r5
    CHECKR  "stores-base", r4, scratch + 11
    ldr     r6, =scratch
    ldr     r0, [r6]
    CHECK   "strt-imm", 0x11223344
    ldr     r0, [r6, #4]
    CHECK   "strt-scaled-strbt-strht", 0xccbb7788
    ldr     r0, [r6, #8]
    CHECK   "strht-reg", 0x0000eedd
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
buf:     .byte 0x80, 0x81, 0x82, 0x83, 0x84, 0x85, 0x86, 0x87, 0x88, 0x89, 0x8a, 0x8b, 0x8c, 0x8d, 0x8e, 0x8f
         .byte 0x7f, 0x7e, 0x7d, 0x7c, 0x7b, 0x7a, 0x79, 0x78
    .balign 4
scratch: .word 0, 0, 0, 0
