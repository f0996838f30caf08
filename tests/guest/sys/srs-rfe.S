/*
 * SRS (store LR and SPSR of the current mode to the stack of a given mode)
 * in the IA/IB/DA/DB forms with and without writeback, and RFE (load PC
 * and CPSR from memory) in all four forms, including a return to another
 * mode with different flags.
 */
#include "test.inc"

    @ SET_ABT_SP addr: set ABT-mode SP (from SVC)
    .macro SET_ABT_SP addr
    ldr     r0, =\addr
    cps     #MODE_ABT
    mov     sp, r0
    cps     #MODE_SVC
    .endm
    @ GET_ABT_SP reg
    .macro GET_ABT_SP reg
    cps     #MODE_ABT
    mov     \reg, sp
    cps     #MODE_SVC
    .endm
    .macro CLEARBUF
    ldr     r0, =buf
    mov     r1, #0
    mov     r2, #0
100: str    r1, [r0, r2]
    add     r2, r2, #4
    cmp     r2, #32
    blo     100b
    .endm
    @ BUFW name, index, want
    .macro BUFW name, idx, want
    ldr     r0, =buf
    ldr     r0, [r0, #(\idx * 4)]
    CHECK   "\name", \want
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    cps     #MODE_ABT
    mov     r11, sp                     @ real ABT SP
    cps     #MODE_SVC
    mrs     r10, spsr
    mov     r9, lr
    ldr     r8, =0x900001d7             @ SPSR value used for SRS

    CLEARBUF
    SET_ABT_SP buf + 16
    msr     spsr_fsxc, r8
    ldr     lr, =0x11110000
    srsdb   sp!, #MODE_ABT
    GET_ABT_SP r4
    BUFW    "srsdb-lr", 2, 0x11110000
    BUFW    "srsdb-spsr", 3, 0x900001d7
    ldr     r0, =buf + 8
    sub     r0, r4, r0
    CHECK   "srsdb-wb", 0

    CLEARBUF
    SET_ABT_SP buf + 16
    msr     spsr_fsxc, r8
    ldr     lr, =0x22220000
    srsia   sp, #MODE_ABT
    GET_ABT_SP r4
    BUFW    "srsia-lr", 4, 0x22220000
    BUFW    "srsia-spsr", 5, 0x900001d7
    ldr     r0, =buf + 16
    sub     r0, r4, r0
    CHECK   "srsia-nowb", 0

    CLEARBUF
    SET_ABT_SP buf + 16
    msr     spsr_fsxc, r8
    ldr     lr, =0x33330000
    srsib   sp!, #MODE_ABT
    GET_ABT_SP r4
    BUFW    "srsib-lr", 5, 0x33330000
    BUFW    "srsib-spsr", 6, 0x900001d7
    ldr     r0, =buf + 24
    sub     r0, r4, r0
    CHECK   "srsib-wb", 0

    CLEARBUF
    SET_ABT_SP buf + 16
    msr     spsr_fsxc, r8
    ldr     lr, =0x44440000
    srsda   sp, #MODE_ABT
    GET_ABT_SP r4
    BUFW    "srsda-lr", 3, 0x44440000
    BUFW    "srsda-spsr", 4, 0x900001d7
    ldr     r0, =buf + 16
    sub     r0, r4, r0
    CHECK   "srsda-nowb", 0

    @ SRS to the current mode's own stack
    msr     spsr_fsxc, r8
    ldr     lr, =0x55550000
    mov     r5, sp
    srsdb   sp!, #MODE_SVC
    mov     r6, sp
    ldr     r7, [sp]
    ldr     r4, [sp, #4]
    add     sp, sp, #8
    sub     r0, r5, r6
    CHECK   "srsdb-svc-wb", 8
    CHECKR  "srsdb-svc-lr", r7, 0x55550000
    CHECKR  "srsdb-svc-spsr", r4, 0x900001d7

    @ RFE: IA with writeback, back to SVC with flags N Z
    ldr     r4, =rfe_tab
    rfeia   r4!
    b       .
1:  mrs     r5, cpsr
    ldr     r0, =rfe_tab + 8
    sub     r0, r4, r0
    CHECK   "rfeia-wb", 0
    CHECKR  "rfeia-cpsr", r5, 0xc00001d3
    @ RFEIB without writeback
    ldr     r4, =rfe_tab + 4
    rfeib   r4
    b       .
2:  mrs     r5, cpsr
    ldr     r0, =rfe_tab + 4
    sub     r0, r4, r0
    CHECK   "rfeib-nowb", 0
    CHECKR  "rfeib-cpsr", r5, 0x200001d3
    @ RFEDB with writeback, into SYS mode
    ldr     r4, =rfe_tab + 24
    rfedb   r4!
    b       .
3:  mrs     r5, cpsr
    cps     #MODE_SVC
    ldr     r0, =rfe_tab + 16
    sub     r0, r4, r0
    CHECK   "rfedb-wb", 0
    CHECKR  "rfedb-cpsr-sys", r5, 0x180000df
    @ RFEDA without writeback
    ldr     r4, =rfe_tab + 28
    rfeda   r4
    b       .
4:  mrs     r5, cpsr
    ldr     r0, =rfe_tab + 28
    sub     r0, r4, r0
    CHECK   "rfeda-nowb", 0
    CHECKR  "rfeda-cpsr", r5, 0x000f01d3

    @ SRS then RFE round trip (the usual exception entry/exit pair)
    ldr     r0, =0x300001d3
    msr     spsr_fsxc, r0
    adr     lr, 5f
    srsdb   sp!, #MODE_SVC
    rfeia   sp!
    b       .
5:  mrs     r5, cpsr
    CHECKR  "srs-rfe-roundtrip", r5, 0x300001d3

    cps     #MODE_ABT
    mov     sp, r11
    cps     #MODE_SVC
    msr     spsr_fsxc, r10
    mov     lr, r9
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 8
buf:     .space 32
rfe_tab: .word 1b, 0xc00001d3, 2b, 0x200001d3, 3b, 0x180000df, 4b, 0x000f01d3
