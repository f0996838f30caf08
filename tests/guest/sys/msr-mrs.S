/*
 * MRS/MSR of CPSR and SPSR: register and immediate forms and the field
 * masks (f = 31:24, s = 23:16, x = 15:8, c = 7:0), APSR_nzcvq / APSR_g /
 * APSR_nzcvqg, mode changes through CPSR_c, the A bit through CPSR_x, and
 * partial SPSR writes.
 */
#include "test.inc"
    .text
    .global main
main:
    push    {r4-r11, lr}

    mrs     r0, cpsr
    and     r0, r0, #0x1f
    CHECK   "mrs-mode-svc", MODE_SVC
    mrs     r0, cpsr
    and     r0, r0, #0xe0
    CHECK   "mrs-i-f-t", PSR_I | PSR_F

    @ MSR CPSR_f, #imm and register
    msr     cpsr_f, #0xf0000000
    mrs     r4, cpsr
    and     r0, r4, #0xf8000000
    CHECK   "msr-f-imm-nzcv", 0xf0000000
    msr     APSR_nzcvq, #PSR_Q
    mrs     r4, cpsr
    and     r0, r4, #0xf8000000
    CHECK   "msr-nzcvq-imm-q", PSR_Q
    ldr     r5, =0x50000000 | 0x000f0000
    msr     APSR_nzcvqg, r5
    mrs     r4, cpsr
    ldr     r1, =FLAG_MASK
    and     r0, r4, r1
    CHECK   "msr-nzcvqg-reg", 0x500f0000
    msr     APSR_nzcvq, #0x50000000     @ (CHECK clobbered the flags)
    ldr     r5, =0xf80a0000
    msr     APSR_g, r5                  @ only GE changes
    mrs     r4, cpsr
    ldr     r1, =FLAG_MASK
    and     r0, r4, r1
    CHECK   "msr-g-only", 0x500a0000
    msr     APSR_nzcvq, #0x50000000
    ldr     r5, =0x00050000
    msr     cpsr_s, r5                  @ s field = APSR_g
    mrs     r4, cpsr
    ldr     r1, =FLAG_MASK
    and     r0, r4, r1
    CHECK   "msr-cpsr-s", 0x50050000
    msr     cpsr_f, #0
    msr     APSR_g, #0
    mrs     r4, cpsr
    ldr     r1, =FLAG_MASK
    and     r0, r4, r1
    CHECK   "msr-clear-all", 0

    @ mode changes through CPSR_c (register and immediate)
    mrs     r4, cpsr
    bic     r5, r4, #0x1f
    orr     r5, r5, #MODE_SYS
    msr     cpsr_c, r5
    mrs     r6, cpsr
    msr     cpsr_c, #(PSR_I | PSR_F | MODE_UND)
    mrs     r7, cpsr
    msr     cpsr_c, r4                  @ back to SVC
    mrs     r8, cpsr
    and     r0, r6, #0xff
    CHECK   "msr-c-sys", 0xc0 | MODE_SYS
    and     r0, r7, #0xff
    CHECK   "msr-c-imm-und", 0xc0 | MODE_UND
    CHECKRR "msr-c-back", r8, r4
    @ CPSR_c write leaves the flags alone; CPSR_f leaves the mode alone
    msr     cpsr_f, #PSR_Z
    msr     cpsr_c, #(PSR_I | PSR_F | MODE_SVC)
    mrs     r0, cpsr
    ldr     r1, =0xf00000ff
    and     r0, r0, r1
    CHECK   "msr-fields-independent", PSR_Z | 0xd3

    @ A bit through CPSR_x
    mrs     r4, cpsr
    bic     r5, r4, #PSR_A
    msr     cpsr_x, r5
    mrs     r6, cpsr
    orr     r5, r4, #PSR_A
    msr     cpsr_x, r5
    mrs     r7, cpsr
    and     r0, r6, #PSR_A
    CHECK   "msr-x-a-clear", 0
    and     r0, r7, #PSR_A
    CHECK   "msr-x-a-set", PSR_A
    @ fsxc write of everything sensible at once
    ldr     r5, =0x980f01d3             @ N V Q, GE=f, A I F, SVC
    msr     cpsr_fsxc, r5
    mrs     r0, cpsr
    CHECK   "msr-fsxc", 0x980f01d3
    msr     cpsr_f, #0
    msr     APSR_g, #0

    @ SPSR (of SVC mode)
    ldr     r5, =0xf80f0110             @ all flags, GE, A, usr
    msr     spsr_fsxc, r5
    mrs     r0, spsr
    CHECK   "spsr-fsxc", 0xf80f0110
    ldr     r5, =0x10000000
    msr     spsr_f, r5
    mrs     r0, spsr
    CHECK   "spsr-f", 0x100f0110
    ldr     r5, =0xffff00d3
    msr     spsr_c, r5
    mrs     r0, spsr
    CHECK   "spsr-c", 0x100f01d3
    ldr     r5, =0x00030000
    msr     spsr_s, r5
    mrs     r0, spsr
    CHECK   "spsr-s", 0x100301d3
    ldr     r5, =0x00000200
    msr     spsr_x, r5
    mrs     r0, spsr
    CHECK   "spsr-x", 0x100302d3
    msr     spsr_fc, #0xd1
    mrs     r0, spsr
    CHECK   "spsr-fc-imm", 0x000302d1
    msr     spsr_fsxc, #0x1f
    mrs     r0, spsr
    CHECK   "spsr-fsxc-imm", 0x0000001f
    @ SPSR is banked: UND's SPSR is separate from SVC's
    ldr     r5, =0x600001db
    cps     #MODE_UND
    msr     spsr_fsxc, r5
    cps     #MODE_SVC
    mrs     r0, spsr
    CHECK   "spsr-banked-svc", 0x0000001f
    cps     #MODE_UND
    mrs     r4, spsr
    cps     #MODE_SVC
    CHECKR  "spsr-banked-und", r4, 0x600001db
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
