/* MOVW/MOVT: 16-bit immediates, MOVT keeps the low half, flags untouched. */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    SETPSR  PSR_N | PSR_Z | PSR_C | PSR_V | PSR_Q | 0x000f0000
    ldr     r0, =0xdeadbeef
    movw    r0, #0
    CHECKRF "movw-0", 0, 0xf80f0000
    ldr     r0, =0xdeadbeef
    SETPSR  PSR_Z
    movw    r0, #0xffff
    CHECKRF "movw-ffff", 0x0000ffff, PSR_Z
    ldr     r0, =0xdeadbeef
    SETPSR  0
    movt    r0, #0x1234
    CHECKRF "movt-keep-low", 0x1234beef, 0
    movw    r0, #0x5678
    movt    r0, #0x1234
    CHECK   "movw-movt", 0x12345678
    movw    r0, #:lower16:0x80000001
    movt    r0, #:upper16:0x80000001
    CHECK   "movw-movt-reloc", 0x80000001
    mov     r0, #0
    movt    r0, #0xffff
    CHECK   "movt-ffff", 0xffff0000
    movw    r4, #0x8000
    movt    r4, #0x8000
    mov     r0, r4
    CHECK   "movw-movt-r4", 0x80008000
    movw    r0, #:lower16:main
    movt    r0, #:upper16:main
    ldr     r1, =main
    sub     r0, r0, r1
    CHECK   "movw-movt-symbol", 0
    @ conditional movw/movt
    SETPSR  PSR_Z
    mov     r0, #7
    movwne  r0, #0x1111
    movteq  r0, #0x2222
    CHECK   "movw-movt-cond", 0x22220007
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
