/*
 * VBAR: exceptions go to VBAR + offset (UND 0x04, SVC 0x08, PABT 0x0c,
 * DABT 0x10) while SCTLR.V = 0; switching VBAR between two tables takes
 * effect for the next exception.  SCTLR.TE = 0: handlers run in ARM state
 * (CPSR.T = 0, and the SPSR of an ARM caller has T = 0).
 */
#include "test.inc"

    .text
    @ vector tables; each handler records (table id << 8 | offset) in r11
    .balign 32
table_b:
    b       .                           @ reset: not used
    b       b_und
    b       b_svc
    .balign 32
b_und:
    mov     r11, #0x104
    b       common_skip
b_svc:
    mov     r11, #0x108
    b       common_skip
    .balign 32
    @ a table in which each vector is a single branch to its own stub
table_c:
    b       .
    b       c_und
    b       c_svc
    b       c_pabt
    b       c_dabt
    b       .
    b       .
    b       .
c_und:
    mov     r11, #0x204
    b       common_skip
c_svc:
    mov     r11, #0x208
    b       common_skip
c_pabt:
    mov     r11, #0x20c
    b       common_skip
c_dabt:
    mov     r11, #0x210
    mrs     r10, cpsr
    mrs     r9, spsr
    subs    pc, lr, #4
common_skip:
    mrs     r10, cpsr
    mrs     r9, spsr
    movs    pc, lr

    .macro SETVBAR tab
    ldr     r0, =\tab
    mcr     p15, 0, r0, c12, c0, 0
    isb
    .endm

    .global main
main:
    push    {r4-r11, lr}
    mrc     p15, 0, r0, c1, c0, 0
    ldr     r1, =0x40002000             @ TE and V
    and     r0, r0, r1
    CHECK   "sctlr-te-v-zero", 0

    SETVBAR table_c
    mov     r11, #0
    udf     #0
    mov     r4, r11
    mov     r5, r10
    svc     #0
    mov     r6, r11
    bkpt    #0
    mov     r7, r11
    ldr     r0, =0x50000000
    ldr     r0, [r0]
    mov     r8, r11
    SETVBAR gt_vectors
    CHECKR  "vbar-c-und", r4, 0x204
    CHECKR  "vbar-c-svc", r6, 0x208
    CHECKR  "vbar-c-pabt", r7, 0x20c
    CHECKR  "vbar-c-dabt", r8, 0x210
    and     r0, r5, #0x3f
    CHECK   "und-handler-arm-state", MODE_UND
    and     r0, r10, #0x3f
    CHECK   "dabt-handler-arm-state", MODE_ABT
    and     r0, r9, #0x20
    CHECK   "dabt-spsr-t-clear", 0

    @ table B: only UND and SVC entries, different code
    SETVBAR table_b
    mov     r11, #0
    udf     #1
    mov     r4, r11
    svc     #1
    mov     r6, r11
    @ switch back to C and take one more
    SETVBAR table_c
    udf     #2
    mov     r7, r11
    SETVBAR gt_vectors
    CHECKR  "vbar-b-und", r4, 0x104
    CHECKR  "vbar-b-svc", r6, 0x108
    CHECKR  "vbar-switch-back", r7, 0x204
    mrc     p15, 0, r0, c12, c0, 0
    ldr     r1, =gt_vectors
    sub     r0, r0, r1
    CHECK   "vbar-restored", 0
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
