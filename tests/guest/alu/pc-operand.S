/*
 * PC as an operand of data-processing instructions (reads as the
 * instruction's address + 8), ADR, PC as a destination (a branch, no flags
 * change for the non-S forms), and computed branches through ADD pc.
 * Register-shifted-register forms with PC are UNPREDICTABLE and not used.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}

1:  mov     r0, pc
    ldr     r1, =1b + 8
    sub     r0, r0, r1
    CHECK   "mov-pc", 0

2:  add     r0, pc, #4
    ldr     r1, =2b + 12
    sub     r0, r0, r1
    CHECK   "add-pc-imm", 0

    mov     r4, #3
3:  add     r0, pc, r4, lsl #2
    ldr     r1, =3b + 8 + 12
    sub     r0, r0, r1
    CHECK   "add-pc-reg-lsl", 0

4:  sub     r0, pc, #8
    ldr     r1, =4b
    sub     r0, r0, r1
    CHECK   "sub-pc-self", 0

    mov     r4, #0x40000000
5:  rsb     r0, r4, pc                 @ pc as the shifted operand
    ldr     r1, =5b + 8 - 0x40000000
    sub     r0, r0, r1
    CHECK   "rsb-pc-operand2", 0

6:  adr     r0, 6b
    ldr     r1, =6b
    sub     r0, r0, r1
    CHECK   "adr-back", 0
    adr     r0, 7f
    ldr     r1, =7f
    sub     r0, r0, r1
    CHECK   "adr-fwd", 0
7:
    @ flags from an S op with PC as operand: pc - pc == 0
8:  subs    r0, pc, pc
    mrs     r1, cpsr
    and     r0, r1, #0xf0000000
    CHECK   "subs-pc-pc-flags", PSR_Z | PSR_C

    @ CMP against pc
    ldr     r4, =9f + 8
9:  cmp     r4, pc
    moveq   r0, #1
    movne   r0, #0
    CHECK   "cmp-pc", 1

    @ ADD pc, pc, #imm skips the next instruction(s); flags unchanged
    SETPSR  PSR_N | PSR_V
    mov     r0, #0
    add     pc, pc, #4                 @ target = here + 8 + 4
    mov     r0, #1
    mov     r0, #2
    add     r0, r0, #0x10              @ landed here
    mrs     r1, cpsr
    and     r1, r1, #0xf0000000
    orr     r0, r0, r1
    CHECK   "add-pc-branch", 0x90000010

    @ computed branch: jump table with add pc, pc, rN, lsl #2
    mov     r5, #0
    mov     r6, #0
10: cmp     r6, #4
    bhs     12f
    add     pc, pc, r6, lsl #2
    nop                                 @ pc reads point past this slot
    b       11f + 0
    b       11f + 4
    b       11f + 8
    b       11f + 12
11: add     r5, r5, #1
    add     r5, r5, #10
    add     r5, r5, #100
    add     r5, r5, #1000
    add     r6, r6, #1
    b       10b
12: mov     r0, r5
    CHECK   "jump-table", 1 + 2*10 + 3*100 + 4*1000

    @ MOV pc, rN and SUB pc: branches to ARM code (bit 0 clear)
    ldr     r4, =13f
    mov     r0, #0
    mov     pc, r4
    mov     r0, #0xbad
13: add     r0, r0, #1
    ldr     r4, =14f + 8
    sub     pc, r4, #8
    mov     r0, #0xbad
14: add     r0, r0, #1
    CHECK   "mov-pc-branch", 2

    @ MVN pc-relative, EOR with pc
15: eor     r0, pc, pc
    CHECK   "eor-pc-pc", 0
16: bic     r0, pc, #0xff
    ldr     r1, =16b + 8
    bic     r1, r1, #0xff
    sub     r0, r0, r1
    CHECK   "bic-pc", 0

    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
