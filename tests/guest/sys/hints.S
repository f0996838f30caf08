/*
 * Barriers and hints: DMB/DSB/ISB (all options used in practice), the
 * CP15 barrier operations, NOP, YIELD, SEV followed by WFE (returns at
 * once: the event register is set), DBG, PLD/PLDW/PLI (including preloads
 * of an unmapped address, which must not fault), CLREX, and cache / TLB
 * maintenance operations (no-ops with the MMU and caches off).
 * None of them may change registers or flags.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    ldr     r4, =0x12345678
    mov     r5, r4
    ldr     r6, =0x50000000             @ unmapped
    ldr     r7, =data
    msr     cpsr_f, #(PSR_N | PSR_Z | PSR_C | PSR_V | PSR_Q)
    dmb     sy
    dmb     ish
    dmb     ishst
    dmb     nsh
    dmb     osh
    dmb     st
    dsb     sy
    dsb     ish
    dsb     nshst
    isb     sy
    isb
    nop
    yield
    sev
    wfe
    sev
    wfe
    dbg     #0
    dbg     #15
    pld     [r7]
    pld     [r7, #64]
    pld     [r7, -r5]
    pld     [r6]
    pldw    [r7, #-4]
    pldw    [r6, #32]
    pli     [r7]
    pli     [r6, #-4]
    pli     [pc, #128]
    clrex
    mov     r0, #0
    mcr     p15, 0, r0, c7, c10, 5      @ CP15DMB
    mcr     p15, 0, r0, c7, c10, 4      @ CP15DSB
    mcr     p15, 0, r0, c7, c5, 4       @ CP15ISB
    mcr     p15, 0, r0, c7, c5, 0       @ ICIALLU
    mcr     p15, 0, r0, c7, c1, 0       @ ICIALLUIS
    mcr     p15, 0, r7, c7, c5, 1       @ ICIMVAU
    mcr     p15, 0, r7, c7, c14, 1      @ DCCIMVAC
    mcr     p15, 0, r7, c7, c10, 1      @ DCCMVAC
    mcr     p15, 0, r7, c7, c11, 1      @ DCCMVAU
    mcr     p15, 0, r7, c7, c6, 1       @ DCIMVAC
    mcr     p15, 0, r0, c7, c5, 6       @ BPIALL
    mcr     p15, 0, r0, c8, c7, 0       @ TLBIALL
    mcr     p15, 0, r0, c8, c3, 0       @ TLBIALLIS
    mcr     p15, 0, r7, c8, c7, 1       @ TLBIMVA
    mcr     p15, 0, r0, c8, c7, 2       @ TLBIASID
    mrs     r8, cpsr
    CHECKR  "regs-kept", r5, 0x12345678
    CHECKRR "regs-kept-r4", r4, r5
    and     r0, r8, #0xf8000000
    CHECK   "flags-kept", 0xf8000000
    ldr     r0, =gt_trap
    ldr     r0, [r0]
    CHECK   "no-exceptions", 0
    @ a loop with WFE after SEV each time (spin-lock style)
    mov     r4, #0
1:  sev
    wfe
    add     r4, r4, #1
    cmp     r4, #100
    blo     1b
    CHECKR  "sev-wfe-loop", r4, 100
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
data: .space 128
