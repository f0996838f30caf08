/*
 * B, BL (LR = next instruction), BX and BLX (register) to ARM code,
 * returns through BX lr / MOV pc, lr / LDR pc / POP {pc} / LDM {pc},
 * forward/backward and long branches, recursion through BL.
 * BLX (immediate) always switches to Thumb and is not tested (ARM only).
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}

    @ B forward / backward
    mov     r0, #0
    b       1f
    mov     r0, #0xbad
2:  add     r0, r0, #2
    b       3f
1:  add     r0, r0, #1
    b       2b
3:  CHECK   "b-fwd-back", 3

    @ BL sets LR to the next instruction
    bl      ret_lr
4:  ldr     r1, =4b
    sub     r0, r0, r1
    CHECK   "bl-lr", 0

    @ BX / BLX register
    ldr     r4, =ret_lr
    blx     r4
5:  ldr     r1, =5b
    sub     r0, r0, r1
    CHECK   "blx-reg-lr", 0
    ldr     r4, =6f
    mov     r0, #1
    bx      r4
    mov     r0, #0xbad
6:  CHECK   "bx-reg", 1

    @ BLX with LR as the target register: target read before LR is written
    ldr     lr, =ret_lr
    blx     lr
7:  ldr     r1, =7b
    sub     r0, r0, r1
    CHECK   "blx-lr", 0

    @ return variants
    mov     r0, #0
    bl      ret_mov
    bl      ret_pop
    bl      ret_ldr
    bl      ret_ldm
    bl      ret_ldr_post
    CHECK   "return-variants", 0x1f

    @ conditional BL / BX
    mov     r0, #0
    SETPSR  PSR_Z
    blne    inc_r0
    bleq    inc_r0
    bleq    inc_r0
    ldr     r4, =inc_r0
    blxne   r4
    CHECK   "bl-cond", 2
    SETPSR  0
    ldr     r4, =8f
    mov     r0, #5
    bxeq    r4
    mov     r0, #6
8:  CHECK   "bx-cond", 6

    @ long branch (> 1 MiB away, still within +-32 MiB)
    mov     r0, #0
    bl      far_func
    CHECK   "bl-far", 0xfa

    @ recursion: sum 1..100 through BL and the stack
    mov     r0, #100
    bl      rsum
    CHECK   "bl-recursive", 5050

    @ LR of a BL executed just before a return target
    mov     r0, #0
    bl      9f
    b       10f
9:  add     r0, r0, #1
    bx      lr
10: CHECK   "bl-local", 1

    bl      gt_finish
    pop     {r4-r11, pc}

ret_lr:
    mov     r0, lr
    bx      lr
inc_r0:
    add     r0, r0, #1
    bx      lr
ret_mov:
    orr     r0, r0, #1
    mov     pc, lr
ret_pop:
    push    {r4, lr}
    orr     r0, r0, #2
    pop     {r4, pc}
ret_ldr:
    str     lr, [sp, #-4]!
    orr     r0, r0, #4
    ldr     pc, [sp], #4
ret_ldm:
    stmdb   sp!, {r4-r6, lr}
    orr     r0, r0, #8
    ldmia   sp!, {r4-r6, pc}
ret_ldr_post:
    sub     sp, sp, #8
    str     lr, [sp, #4]
    orr     r0, r0, #16
    add     sp, sp, #8
    ldr     pc, [sp, #-4]
rsum:
    cmp     r0, #0
    bxeq    lr
    push    {r0, lr}
    sub     r0, r0, #1
    bl      rsum
    pop     {r1, lr}
    add     r0, r0, r1
    bx      lr
    .ltorg

    .section .text.far, "ax", %progbits
    .space  0x100000
far_func:
    mov     r0, #0xfa
    bx      lr
