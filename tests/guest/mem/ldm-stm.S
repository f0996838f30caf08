/*
 * LDM/STM in all four modes (IA IB DA DB) with and without writeback,
 * the base register in the list (STM stores the original base when it is
 * the lowest register; LDM without writeback loads it), PUSH/POP (single
 * and multiple registers), LDM with the PC (a branch) and STM with the PC
 * (stores the instruction's address + 8 on this core).
 */
#include "test.inc"

    @ fill area with words 0xa0000000 + 4*i (i = 0..15)
    .macro FILL
    ldr     r0, =area
    ldr     r1, =0xa0000000
    mov     r2, #16
100: str    r1, [r0], #4
    add     r1, r1, #4
    subs    r2, r2, #1
    bne     100b
    .endm

    .macro SETREGS
    ldr     r4, =0x44444444
    ldr     r5, =0x55555555
    ldr     r6, =0x66666666
    ldr     r7, =0x77777777
    .endm

    @ CHKW name, index, want: area[index] == want
    .macro CHKW name, idx, want
    ldr     r0, =area
    ldr     r0, [r0, #(\idx * 4)]
    CHECK   "\name", \want
    .endm

    @ CHKBASE name, reg, idx: reg == &area[idx]
    .macro CHKBASE name, reg, idx
    ldr     r0, =area + (\idx * 4)
    sub     r0, \reg, r0
    CHECK   "\name", 0
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}

    @ ---- STM, base = &area[8] in r8 ----
    FILL
    SETREGS
    ldr     r8, =area + 32
    stmia   r8, {r4-r6}
    CHKW    "stmia[8]", 8, 0x44444444
    CHKW    "stmia[10]", 10, 0x66666666
    CHKW    "stmia[11]", 11, 0xa000002c
    CHKBASE "stmia-nowb", r8, 8
    FILL
    SETREGS
    stmib   r8!, {r4-r6}
    CHKW    "stmib[8]", 8, 0xa0000020
    CHKW    "stmib[9]", 9, 0x44444444
    CHKW    "stmib[11]", 11, 0x66666666
    CHKBASE "stmib-wb", r8, 11
    FILL
    SETREGS
    ldr     r8, =area + 32
    stmda   r8!, {r4-r6}
    CHKW    "stmda[6]", 6, 0x44444444
    CHKW    "stmda[8]", 8, 0x66666666
    CHKW    "stmda[9]", 9, 0xa0000024
    CHKBASE "stmda-wb", r8, 5
    FILL
    SETREGS
    ldr     r8, =area + 32
    stmdb   r8, {r4-r7}
    CHKW    "stmdb[4]", 4, 0x44444444
    CHKW    "stmdb[7]", 7, 0x77777777
    CHKW    "stmdb[8]", 8, 0xa0000020
    CHKBASE "stmdb-nowb", r8, 8
    FILL
    SETREGS
    stmdb   r8!, {r4, r7}               @ sparse list
    CHKW    "stmdb-sparse[6]", 6, 0x44444444
    CHKW    "stmdb-sparse[7]", 7, 0x77777777
    CHKBASE "stmdb-sparse-wb", r8, 6

    @ ---- LDM from area (pattern), base in r8 ----
    FILL
    ldr     r8, =area + 32
    ldmia   r8, {r4-r6}
    CHECKR  "ldmia-r4", r4, 0xa0000020
    CHECKR  "ldmia-r6", r6, 0xa0000028
    CHKBASE "ldmia-nowb", r8, 8
    ldmia   r8!, {r4-r7}
    CHECKR  "ldmia-wb-r7", r7, 0xa000002c
    CHKBASE "ldmia-wb", r8, 12
    ldmib   r8!, {r4, r5}
    CHECKR  "ldmib-r4", r4, 0xa0000034
    CHECKR  "ldmib-r5", r5, 0xa0000038
    CHKBASE "ldmib-wb", r8, 14
    ldmda   r8!, {r4-r6}
    CHECKR  "ldmda-r4", r4, 0xa0000030
    CHECKR  "ldmda-r6", r6, 0xa0000038
    CHKBASE "ldmda-wb", r8, 11
    ldmdb   r8, {r4-r7}
    CHECKR  "ldmdb-r4", r4, 0xa000001c
    CHECKR  "ldmdb-r7", r7, 0xa0000028
    CHKBASE "ldmdb-nowb", r8, 11
    ldmdb   r8!, {r5}
    CHECKR  "ldmdb-single", r5, 0xa0000028
    CHKBASE "ldmdb-single-wb", r8, 10
    ldmib   r8, {r4-r7}
    CHECKR  "ldmib-nowb-r7", r7, 0xa0000038

    @ ---- base register in the list ----
    FILL
    ldr     r4, =area + 16
    mov     r5, #5
    mov     r6, #6
    stmia   r4!, {r4-r6}                @ base is lowest: original value stored
    CHKW    "stm-base-first", 4, area + 16
    CHKW    "stm-base-first[5]", 5, 5
    CHKBASE "stm-base-first-wb", r4, 7
    FILL
    ldr     r6, =area + 16
    mov     r4, #4
    mov     r5, #5
    stmia   r6, {r4-r6}                 @ no writeback: base value stored
    CHKW    "stm-base-last", 6, area + 16
    FILL
    ldr     r5, =area + 16
    ldmia   r5, {r4-r6}                 @ no writeback: base gets loaded value
    CHECKR  "ldm-base-loaded", r5, 0xa0000014
    CHECKR  "ldm-base-loaded-r6", r6, 0xa0000018
    ldr     r4, =area + 16
    ldmia   r4, {r4}
    CHECKR  "ldm-base-only", r4, 0xa0000010

    @ ---- PUSH / POP ----
    mov     r9, sp
    SETREGS
    push    {r4}                        @ STR r4, [sp, #-4]!
    push    {r5-r7}
    sub     r0, r9, sp
    CHECK   "push-sp", 16
    ldr     r0, [sp]
    CHECK   "push-order-low", 0x55555555
    ldr     r0, [sp, #12]
    CHECK   "push-single", 0x44444444
    pop     {r4}                        @ LDR r4, [sp], #4
    CHECKR  "pop-single", r4, 0x55555555
    pop     {r5-r7}
    CHECKR  "pop-r5", r5, 0x66666666
    CHECKR  "pop-r7", r7, 0x44444444
    sub     r0, r9, sp
    CHECK   "pop-sp", 0

    @ ---- LDM with PC ----
    mov     r4, #0
    ldr     r0, =ldm_pc_tab
    ldmia   r0, {r4, pc}
    mov     r4, #0xbad
1:  CHECKR  "ldm-pc", r4, 0x1234
    SETPSR  PSR_N | PSR_Q
    ldr     r0, =ldm_pc_tab2
    ldmib   r0!, {r4, r5, pc}
2:  mrs     r6, cpsr
    sub     r0, r0, #8
    ldr     r1, =ldm_pc_tab2
    sub     r0, r0, r1
    CHECK   "ldmib-pc-wb", 4
    and     r0, r6, #0xf8000000
    CHECK   "ldm-pc-flags-kept", PSR_N | PSR_Q

    @ ---- STM with PC: stores the instruction address + 8 ----
    ldr     r8, =area
3:  stmia   r8, {r4, pc}
    ldr     r0, [r8, #4]
    ldr     r1, =3b + 8
    sub     r0, r0, r1
    CHECK   "stm-pc", 0
4:  push    {r4-r5, lr, pc}
    ldr     r0, [sp, #12]
    add     sp, sp, #16
    ldr     r1, =4b + 8
    sub     r0, r0, r1
    CHECK   "push-pc", 0

    @ ---- all 15 registers ----
    ldr     r0, =area
    mov     r9, sp
    mov     r10, lr
    stmia   r0, {r0-r12, sp, lr}
    ldr     r1, =area
    ldr     r0, [r1, #52]
    sub     r0, r0, r9
    CHECK   "stm-all-sp", 0
    ldr     r1, =area
    ldr     r0, [r1, #0]
    CHECK   "stm-all-r0-base", area

    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 4
area:        .space 64
ldm_pc_tab:  .word 0x1234, 1b
ldm_pc_tab2: .word 0, 1, 2, 2b
