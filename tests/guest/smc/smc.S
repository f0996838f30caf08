/*
 * Self-modifying code: a guest store to code that has already been translated (and
 * chained) must make the new code run.
 *  - a called function rewritten between calls (its block was chained from the caller);
 *  - the instructions right after the store (with the ISB the architecture asks for);
 *  - a loop whose body rewrites an immediate of a later iteration, many times;
 *  - code copied to a buffer and executed, then overwritten and executed again.
 * QEMU detects all of these too (it tracks writes to pages with translated code).
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}

    @ 1. rewrite a function between calls
    mov     r4, #0
    mov     r5, #0
1:  bl      patchme
    add     r4, r4, r0
    add     r5, r5, #1
    cmp     r5, #3
    blt     1b
    mov     r0, r4
    CHECK   "call-before-patch", 3
    ldr     r1, =patchme
    ldr     r2, =0xe3a00007            @ mov r0, #7
    str     r2, [r1]
    bl      patchme
    CHECK   "call-after-patch", 7
    ldr     r1, =patchme               @ (CHECK clobbers r0-r3)
    ldr     r2, =0xe3a00001            @ back to mov r0, #1
    str     r2, [r1]
    bl      patchme
    CHECK   "call-after-unpatch", 1

    @ 2. the next instructions in the same block. The architecture asks for an ISB
    @ (after cache maintenance) before rewritten code is guaranteed to be seen, and
    @ QEMU indeed runs the stale instruction without it; with it, both must see it.
    ldr     r2, =0xe3a00063            @ mov r0, #99
    adr     r1, 2f
    mov     r0, #0
    str     r2, [r1]
    dsb
    isb
2:  mov     r0, #5
    CHECK   "same-block-next-insn", 99

    @ 3. a loop that rewrites the immediate of its own add every iteration
    mov     r4, #0                     @ sum
    mov     r5, #1                     @ i
    adr     r6, 4f
    ldr     r7, =0xe2844000            @ add r4, r4, #0 (immediate in the low byte)
3:  orr     r2, r7, r5                 @ add r4, r4, #i
    str     r2, [r6]
    dsb
    isb
4:  add     r4, r4, #0
    add     r5, r5, #1
    cmp     r5, #21
    bne     3b
    mov     r0, r4
    CHECK   "loop-rewrites-itself", 210

    @ 4. copied code, run, overwritten, run again
    ldr     r6, =buffer
    ldr     r1, =0xe3a0002a            @ mov r0, #42
    ldr     r2, =0xe12fff1e            @ bx lr
    str     r1, [r6]
    str     r2, [r6, #4]
    blx     r6
    CHECK   "buffer-first", 42
    ldr     r1, =0xe3a0002b            @ mov r0, #43
    str     r1, [r6]
    blx     r6
    CHECK   "buffer-second", 43

    bl      gt_finish
    pop     {r4-r11, pc}

    .align  2
patchme:
    mov     r0, #1
    bx      lr

    .data
    .align  4
buffer:
    .space  64
