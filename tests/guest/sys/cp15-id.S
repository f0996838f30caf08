/*
 * CP15 identification registers of the Cortex-A15 as QEMU 7.2 models it
 * on the "virt" board (default: no EL2/EL3, so ID_PFR1 reports neither the
 * Security nor the Virtualization Extensions), and CSSELR/CCSIDR.
 */
#include "test.inc"

    .macro ID name, crn, op1, crm, op2, want
    mrc     p15, \op1, r0, \crn, \crm, \op2
    CHECK   "\name", \want
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    ID "MIDR",     c0, 0, c0, 0, 0x414fc0f0
    ID "CTR",      c0, 0, c0, 1, 0x8444c004
    ID "TCMTR",    c0, 0, c0, 2, 0x00000000
    ID "TLBTR",    c0, 0, c0, 3, 0x00000000
    ID "MPIDR",    c0, 0, c0, 5, 0x80000000
    ID "ID_PFR0",  c0, 0, c1, 0, 0x00001131
    ID "ID_PFR1",  c0, 0, c1, 1, 0x00010001
    ID "ID_DFR0",  c0, 0, c1, 2, 0x02010505
    ID "ID_AFR0",  c0, 0, c1, 3, 0x00000000
    ID "ID_MMFR0", c0, 0, c1, 4, 0x10201105
    ID "ID_MMFR1", c0, 0, c1, 5, 0x20000000
    ID "ID_MMFR2", c0, 0, c1, 6, 0x01240000
    ID "ID_MMFR3", c0, 0, c1, 7, 0x02102211
    ID "ID_ISAR0", c0, 0, c2, 0, 0x02101110
    ID "ID_ISAR1", c0, 0, c2, 1, 0x13112111
    ID "ID_ISAR2", c0, 0, c2, 2, 0x21232041
    ID "ID_ISAR3", c0, 0, c2, 3, 0x11112131
    ID "ID_ISAR4", c0, 0, c2, 4, 0x10011142
    ID "ID_ISAR5", c0, 0, c2, 5, 0x00000000
    ID "CLIDR",    c0, 1, c0, 1, 0x0a200023
    ID "AIDR",     c0, 1, c0, 7, 0x00000000
    @ cache size ID for each cache selected through CSSELR
    mov     r4, #0
    mcr     p15, 2, r4, c0, c0, 0
    isb
    ID "CCSIDR-L1D", c0, 1, c0, 0, 0x701fe00a
    ID "CSSELR-0",   c0, 2, c0, 0, 0
    mov     r4, #1
    mcr     p15, 2, r4, c0, c0, 0
    isb
    ID "CCSIDR-L1I", c0, 1, c0, 0, 0x201fe00a
    ID "CSSELR-1",   c0, 2, c0, 0, 1
    mov     r4, #2
    mcr     p15, 2, r4, c0, c0, 0
    isb
    ID "CCSIDR-L2",  c0, 1, c0, 0, 0x711fe07a
    ID "CSSELR-2",   c0, 2, c0, 0, 2
    mov     r4, #0
    mcr     p15, 2, r4, c0, c0, 0
    @ fields decoded from the registers
    mrc     p15, 0, r0, c0, c0, 0
    ubfx    r0, r0, #4, #12
    CHECK   "MIDR-partnum-a15", 0xc0f
    mrc     p15, 0, r0, c0, c2, 0
    ubfx    r0, r0, #24, #4
    CHECK   "ID_ISAR0-divide", 2             @ SDIV/UDIV in ARM and Thumb
    mrc     p15, 0, r0, c0, c1, 0
    and     r0, r0, #0xf
    CHECK   "ID_PFR0-arm", 1
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
