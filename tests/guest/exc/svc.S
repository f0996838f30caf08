/*
 * SVC: the handler runs in SVC mode with IRQs masked, LR = insn + 4,
 * SPSR = the caller's CPSR; the SVC number is read from the instruction
 * at LR - 4 (imm24).  Taken from SVC, SYS, UND and ABT modes.  The handler
 * returns a value in r0 and can change the caller's flags through SPSR.
 * Returns use MOVS pc, lr, SUBS pc, lr, #0, LDM sp!, {..pc}^ and RFE.
 */
#include "test.inc"

    .text
    @ handler: r0 = imm24 + r1; records LR, SPSR, CPSR; sets C in SPSR if
    @ the number is odd; returns with the method selected by imm24[23:20]
svc_handler:
    push    {r2, r3}
    ldr     r2, =rec
    str     lr, [r2]
    mrs     r3, spsr
    str     r3, [r2, #4]
    mrs     r3, cpsr
    str     r3, [r2, #8]
    ldr     r3, [lr, #-4]
    bic     r3, r3, #0xff000000
    str     r3, [r2, #12]
    add     r0, r3, r1
    mrs     r2, spsr
    tst     r3, #1
    biceq   r2, r2, #PSR_C
    orrne   r2, r2, #PSR_C
    msr     spsr_f, r2
    lsr     r3, r3, #20
    pop     {r2}
    cmp     r3, #1
    beq     ret_subs
    cmp     r3, #2
    beq     ret_ldm
    cmp     r3, #3
    beq     ret_rfe
    pop     {r3}
    movs    pc, lr
ret_subs:
    pop     {r3}
    subs    pc, lr, #0
ret_ldm:
    pop     {r3}
    push    {r3, lr}
    ldm     sp!, {r3, pc}^
ret_rfe:
    pop     {r3}
    srsdb   sp!, #MODE_SVC
    rfeia   sp!

    @ CALLSVC name, num, r1val, want_r0
    .macro CALLSVC name, num, r1val
    ldr     r1, =\r1val
    msr     cpsr_f, #(PSR_N | PSR_Z)
1:  svc     #\num
    mrs     r7, cpsr
    mov     r6, r0
    ldr     r5, =1b + 4
    .endm

    .global main
main:
    push    {r4-r11, lr}
    SET_VECTOR VEC_SVC, svc_handler
    ldr     r8, =rec

    CALLSVC "svc-0", 0, 100
    CHECKR  "svc-0-result", r6, 100
    ldr     r0, [r8]
    sub     r0, r0, r5
    CHECK   "svc-0-lr", 0
    ldr     r0, [r8, #4]
    CHECK   "svc-0-spsr", 0xc00001d3
    ldr     r0, [r8, #8]
    and     r0, r0, #0xff
    CHECK   "svc-0-handler-mode", 0xd3
    and     r0, r7, #0xf0000000
    CHECK   "svc-0-flags-after", PSR_N | PSR_Z

    CALLSVC "svc-odd", 0x123, 0
    CHECKR  "svc-odd-number", r6, 0x123
    and     r0, r7, #0xf0000000
    CHECK   "svc-odd-sets-c", PSR_N | PSR_Z | PSR_C

    CALLSVC "svc-max", 0x0fffff, 1
    CHECKR  "svc-max-number", r6, 0x100000

    CALLSVC "svc-subs-return", 0x100001, 0
    CHECKR  "svc-subs-number", r6, 0x100001
    and     r0, r7, #0xf0000000
    CHECK   "svc-subs-flags", PSR_N | PSR_Z | PSR_C

    CALLSVC "svc-ldm-return", 0x200002, 0
    CHECKR  "svc-ldm-number", r6, 0x200002
    ldr     r0, [r8]
    sub     r0, r0, r5
    CHECK   "svc-ldm-lr", 0

    CALLSVC "svc-rfe-return", 0x300003, 0
    CHECKR  "svc-rfe-number", r6, 0x300003
    and     r0, r7, #0xf0000000
    CHECK   "svc-rfe-flags", PSR_N | PSR_Z | PSR_C

    @ from System mode: SPSR records SYS, we come back in SYS
    cps     #MODE_SYS
    CALLSVC "svc-from-sys", 7, 0
    mrs     r4, cpsr
    cps     #MODE_SVC
    ldr     r0, [r8, #4]
    CHECK   "svc-from-sys-spsr", 0xc00001df
    and     r0, r4, #0x1f
    CHECK   "svc-from-sys-back-in-sys", MODE_SYS
    CHECKR  "svc-from-sys-result", r6, 7

    @ from UND mode: the UND LR/SPSR are untouched
    cps     #MODE_UND
    ldr     lr, =0x0bad0bad
    CALLSVC "svc-from-und", 8, 0
    mov     r9, lr
    cps     #MODE_SVC
    ldr     r0, [r8, #4]
    and     r0, r0, #0x1f
    CHECK   "svc-from-und-spsr-mode", MODE_UND
    CHECKR  "svc-from-und-lr-kept", r9, 0x0bad0bad

    @ from ABT mode with IRQs unmasked: the handler masks them
    cps     #MODE_ABT
    cpsie   i
    CALLSVC "svc-from-abt", 9, 0
    mrs     r4, cpsr
    cpsid   i
    cps     #MODE_SVC
    ldr     r0, [r8, #4]
    CHECK   "svc-from-abt-spsr", 0xc0000157
    ldr     r0, [r8, #8]
    and     r0, r0, #0xff
    CHECK   "svc-from-abt-handler-i", 0xd3
    and     r0, r4, #0xff
    CHECK   "svc-from-abt-i-restored", 0x57

    @ conditional SVC
    mov     r0, #0x55
    msr     cpsr_f, #PSR_Z
    svcne   #1
    CHECK   "svc-cond-skipped", 0x55
    bl      gt_finish
    pop     {r4-r11, pc}
    .ltorg
    .data
rec: .word 0, 0, 0, 0
