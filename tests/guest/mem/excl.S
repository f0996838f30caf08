/*
 * Exclusive access: LDREX/STREX, LDREXB/STREXB, LDREXH/STREXH,
 * LDREXD/STREXD, CLREX; STREX fails (status 1, memory unchanged) without a
 * preceding LDREX and after CLREX; an exclusive pair succeeds (status 0).
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    ldr     r4, =mem
    clrex
    @ STREX without a preceding LDREX fails
    ldr     r5, =0x12345678
    strex   r6, r5, [r4]
    CHECKR  "strex-no-ldrex-status", r6, 1
    ldr     r0, [r4]
    CHECK   "strex-no-ldrex-mem", 0xa5a5a5a5
    @ LDREX / STREX pair
    ldrex   r7, [r4]
    ldr     r5, =0x12345678
    strex   r6, r5, [r4]
    CHECKR  "ldrex-value", r7, 0xa5a5a5a5
    CHECKR  "strex-status", r6, 0
    ldr     r0, [r4]
    CHECK   "strex-mem", 0x12345678
    @ a second STREX after a successful one fails (monitor now open)
    ldr     r5, =0x55555555
    strex   r6, r5, [r4]
    CHECKR  "strex-twice-status", r6, 1
    ldr     r0, [r4]
    CHECK   "strex-twice-mem", 0x12345678
    @ CLREX between LDREX and STREX
    ldrex   r7, [r4]
    clrex
    strex   r6, r5, [r4]
    CHECKR  "strex-after-clrex", r6, 1
    ldr     r0, [r4]
    CHECK   "strex-after-clrex-mem", 0x12345678
    @ byte
    add     r8, r4, #5
    ldrexb  r7, [r8]
    mov     r5, #0xee
    strexb  r6, r5, [r8]
    CHECKR  "ldrexb-value", r7, 0x66
    CHECKR  "strexb-status", r6, 0
    ldr     r0, [r4, #4]
    CHECK   "strexb-mem", 0x7788ee55
    @ halfword
    add     r8, r4, #6
    ldrexh  r7, [r8]
    ldr     r5, =0xfffff00f
    strexh  r6, r5, [r8]
    CHECKR  "ldrexh-value", r7, 0x7788
    CHECKR  "strexh-status", r6, 0
    ldr     r0, [r4, #4]
    CHECK   "strexh-mem", 0xf00fee55
    @ doubleword
    add     r8, r4, #8
    ldrexd  r6, r7, [r8]
    CHECKR  "ldrexd-lo", r6, 0x01020304
    CHECKR  "ldrexd-hi", r7, 0x05060708
    ldrexd  r6, r7, [r8]
    ldr     r10, =0xcafef00d
    ldr     r11, =0xdeadbeef
    strexd  r9, r10, r11, [r8]
    CHECKR  "strexd-status", r9, 0
    ldr     r0, [r4, #8]
    CHECK   "strexd-lo", 0xcafef00d
    ldr     r0, [r4, #12]
    CHECK   "strexd-hi", 0xdeadbeef
    strexd  r9, r6, r7, [r8]
    CHECKR  "strexd-again-fails", r9, 1
    @ an atomic increment loop
    mov     r9, #0
1:  ldrex   r7, [r4]
    add     r7, r7, #1
    strex   r6, r7, [r4]
    cmp     r6, #0
    bne     1b
    add     r9, r9, #1
    cmp     r9, #10
    blo     1b
    ldr     r0, [r4]
    CHECK   "atomic-inc-loop", 0x12345678 + 10
    @ LDREX then plain STR to the location, then STREX (local monitor may
    @ stay open: the architecture does not require failure; just run it)
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
    .balign 8
mem: .word 0xa5a5a5a5, 0x77886655, 0x01020304, 0x05060708
