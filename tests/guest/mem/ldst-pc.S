/*
 * PC-relative loads (the PC reads as the instruction's address + 8),
 * loads into the PC (branch to an ARM address, bit 0 clear), and STR of the
 * PC (stores the instruction's address + 8 on this core, as QEMU does).
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}

1:  ldr     r0, [pc, #-8]               @ loads its own encoding
    ldr     r1, =1b
    ldr     r1, [r1]
    sub     r0, r0, r1
    CHECK   "ldr-pc-self", 0
    ldr     r0, [pc, #4]
    b       2f
    .word   0x11111111
    .word   0x22222222
2:  CHECK   "ldr-pc-imm", 0x22222222
    mov     r4, #0
    ldr     r0, [pc, r4]
    b       3f
    .word   0x33333333
3:  CHECK   "ldr-pc-reg", 0x33333333
    ldrb    r0, [pc, #1]
    b       4f
    .word   0x44332211
4:  CHECK   "ldrb-pc", 0x22
    ldrh    r0, [pc, #2]
    b       5f
    .word   0x99887766
5:  CHECK   "ldrh-pc", 0x9988
    ldrd    r0, r1, [pc]
    b       6f
    .word   0x55555555
    .word   0x66666666
6:  add     r0, r0, r1
    CHECK   "ldrd-pc", 0xbbbbbbbb
    ldr     r0, =0x12345678             @ literal pool
    CHECK   "ldr-literal", 0x12345678

    @ loads into the PC
    mov     r0, #0
    ldr     pc, =7f
    mov     r0, #0xbad
7:  add     r0, r0, #1
    ldr     r4, =table
    ldr     pc, [r4, #4]
    mov     r0, #0xbad
8:  add     r0, r0, #2
    mov     r5, #2
    ldr     pc, [r4, r5, lsl #2]
    mov     r0, #0xbad
9:  add     r0, r0, #4
    ldr     pc, [r4], #12               @ post-indexed: loads table[0]
    mov     r0, #0xbad
10: add     r0, r0, #8
    CHECK   "ldr-pc-branches", 15
    ldr     r0, =table + 12
    sub     r0, r4, r0
    CHECK   "ldr-pc-writeback", 0
    SETPSR  PSR_Z | PSR_C
    ldr     pc, =11f
11: mrs     r0, cpsr
    and     r0, r0, #0xf0000000
    CHECK   "ldr-pc-flags-kept", PSR_Z | PSR_C

    @ STR pc stores the address of the instruction + 8
    ldr     r4, =scratch
12: str     pc, [r4]
    ldr     r0, [r4]
    ldr     r1, =12b + 8
    sub     r0, r0, r1
    CHECK   "str-pc", 0
13: str     pc, [r4, #4]!
    ldr     r0, [r4]
    ldr     r1, =13b + 8
    sub     r0, r0, r1
    CHECK   "str-pc-writeback", 0

    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
table:   .word 10b, 8b, 9b
scratch: .word 0, 0, 0
