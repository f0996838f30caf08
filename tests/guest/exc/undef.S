/*
 * Undefined-instruction exceptions: UDF, a VFP instruction while CP10/CP11
 * are disabled in CPACR (and again with CPACR enabled but FPEXC.EN = 0),
 * an MRC to a coprocessor that does not exist, and SMC (UNDEFINED: this
 * configuration has no Security Extensions).  Checked: vector, LR = insn+4,
 * SPSR = CPSR at the instruction (flags included), handler runs in UND mode
 * with IRQs masked and in ARM state, the trapping word can be read at
 * LR - 4, and MOVS pc, lr resumes after it.  Also taken from SYS mode.
 */
#include "test.inc"

    @ UND name, insn...: run insn, check the recorded trap
    .macro UND name:req, insn:req
    ldr     r8, =gt_trap
    mov     r0, #0
    str     r0, [r8]
    msr     cpsr_f, #(PSR_Z | PSR_V)
1:  \insn
    mrs     r9, cpsr
    ldr     r0, [r8]
    CHECK   "\name-count", 1
    ldr     r0, [r8, #4]
    CHECK   "\name-vector", 1
    ldr     r0, [r8, #8]
    ldr     r1, =1b + 4
    sub     r0, r0, r1
    CHECK   "\name-lr", 0
    ldr     r0, [r8, #12]
    mrs     r1, cpsr
    and     r1, r1, #0x1f
    orr     r1, r1, #0x50000000
    orr     r1, r1, #0x1c0
    sub     r0, r0, r1
    CHECK   "\name-spsr", 0
    ldr     r0, [r8, #16]
    and     r0, r0, #0xff
    CHECK   "\name-handler-cpsr", 0x80 | 0x40 | MODE_UND
    ldr     r0, [r8, #36]
    ldr     r1, =1b
    ldr     r1, [r1]
    sub     r0, r0, r1
    CHECK   "\name-insn-at-lr-4", 0
    and     r0, r9, #0xf0000000
    CHECK   "\name-flags-restored", PSR_Z | PSR_V
    .endm

    .text
    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    UND     "udf-0", "udf #0"
    UND     "udf-ffff", "udf #0xffff"
    mov     r4, #0
    mcr     p15, 0, r4, c1, c0, 2       @ CPACR: no CP10/CP11 access
    isb
    UND     "vfp-cpacr-off", ".inst 0xeeb00a40"   @ vmov.f32 s0, s0
    UND     "vfp-vmrs-cpacr-off", ".inst 0xeef10a10"   @ vmrs r0, fpscr
    mov     r4, #0x00f00000
    mcr     p15, 0, r4, c1, c0, 2       @ CPACR: full access to CP10/CP11
    isb
    UND     "vfp-fpexc-off", ".inst 0xee300a00"   @ vadd.f32 s0, s0, s0
    mov     r4, #0
    mcr     p15, 0, r4, c1, c0, 2
    isb
    UND     "mrc-p7", "mrc p7, 0, r0, c0, c0, 0"
    UND     "smc", "smc #0"
    @ the same from System mode (the handler runs in UND mode regardless)
    cps     #MODE_SYS
    UND     "sys-udf", "udf #1"
    cps     #MODE_SVC
    @ undefined instruction with a failing condition code does nothing
    ldr     r8, =gt_trap
    mov     r0, #0
    str     r0, [r8]
    msr     cpsr_f, #PSR_Z
    mrcne   p7, 0, r0, c0, c0, 0
    ldr     r0, [r8]
    CHECK   "cond-fail-no-und", 0
    @ UDF's immediate, decoded from the trapping instruction
    udf     #0xbeef
    ldr     r0, [r8, #36]
    and     r1, r0, #0xf
    ubfx    r0, r0, #8, #12
    orr     r0, r1, r0, lsl #4
    CHECK   "udf-imm16", 0xbeef
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
