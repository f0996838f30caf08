/*
 * Accesses to physical addresses where the "virt" board has nothing
 * (0x50000000 is just past the 256 MiB of RAM, 0xf0000000 and 0x08100000
 * are unassigned) take a synchronous external abort: data abort with
 * DFSR = 0x008 (FS = 0b01000; bit 11 WnR for writes), DFAR = the address,
 * LR = insn + 8.  The aborted instruction has no effect (no writeback, the
 * destination keeps its value).  The handler skips it (SUBS pc, lr, #4).
 */
#include "test.inc"

    @ EXT name, addr, dfsr, insn: r4 = addr, expect one data abort at addr
    .macro EXT name:req, addr:req, dfsr:req, insn:req
    ldr     r8, =gt_trap
    mov     r0, #0
    str     r0, [r8]
    ldr     r4, =\addr
    ldr     r6, =0x5e5e5e5e
    mov     r7, r6
1:  \insn
    mov     r10, r4
    mov     r11, r6
    ldr     r0, [r8]
    CHECK   "\name-count", 1
    ldr     r0, [r8, #4]
    CHECK   "\name-vector", 4
    ldr     r0, [r8, #20]
    CHECK   "\name-dfsr", \dfsr
    ldr     r0, [r8, #24]
    CHECK   "\name-dfar", \addr
    ldr     r0, [r8, #8]
    ldr     r1, =1b + 8
    sub     r0, r0, r1
    CHECK   "\name-lr", 0
    CHECKR  "\name-no-writeback", r10, \addr
    CHECKR  "\name-rt-kept", r11, 0x5e5e5e5e
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    EXT     "ldr-50000000", 0x50000000, 0x008, "ldr r6, [r4]"
    EXT     "str-50000000", 0x50000000, 0x808, "str r7, [r4], #4"
    EXT     "ldrb-50000003", 0x50000003, 0x008, "ldrb r6, [r4], #1"
    EXT     "ldrh-5ffffffe", 0x5ffffffe, 0x008, "ldrh r6, [r4]"
    EXT     "strh-f0000000", 0xf0000000, 0x808, "strh r7, [r4]"
    EXT     "ldr-08100000", 0x08100000, 0x008, "ldr r6, [r4]"
    EXT     "ldm-50001000", 0x50001000, 0x008, "ldmia r4!, {r5, r6}"
    EXT     "stmia-50001000", 0x50001000, 0x808, "stmia r4!, {r6, r7}"
    EXT     "ldrd-50000008", 0x50000008, 0x008, "ldrd r6, r7, [r4]"
    EXT     "swp-50000010", 0x50000010, 0x008, "swp r6, r7, [r4]"
    EXT     "ldrex-50000020", 0x50000020, 0x008, "ldrex r6, [r4]"
    @ last byte of RAM is fine, the next one is not
    ldr     r4, =0x4fffffff
    mov     r0, #0xa5
    strb    r0, [r4]
    ldrb    r0, [r4]
    CHECK   "last-ram-byte", 0xa5
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
