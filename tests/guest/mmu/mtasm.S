/*
 * mtasm.S - exception handlers, probes and user-mode calls for the
 * system-architecture guest tests (declarations and usage in mt.h).
 *
 * The handlers record into mt_trap:
 *   0 count, 4 vector (1 und, 2 svc, 3 pabt, 4 dabt), 8 raw LR, 12 SPSR,
 *   16 DFSR, 20 DFAR, 24 IFSR, 28 IFAR, 32 resume, 36 CPSR in the handler
 * and return to the instruction after the one that trapped (UND, SVC:
 * LR; DABT: LR - 4; PABT: LR) - or, for a prefetch abort, to mt_trap.resume
 * when it is set (the next instruction usually cannot be fetched either).
 * They never read the trapping instruction (its page may be unreadable),
 * except the SVC handler, which needs the immediate: "svc #0xfff" ends the
 * current mt_user_call.
 */
#include "test.inc"

    .data
    .balign 4
    .global mt_trap
mt_trap:
    .space 40
mt_kernel_sp:
    .word 0

    .text
    .global mt_install
    .type mt_install, %function
mt_install:
    ldr     r0, =gt_vector_handlers
    ldr     r1, =mt_h_und
    str     r1, [r0, #4]
    ldr     r1, =mt_h_svc
    str     r1, [r0, #8]
    ldr     r1, =mt_h_pabt
    str     r1, [r0, #12]
    ldr     r1, =mt_h_dabt
    str     r1, [r0, #16]
    b       mt_clear
    .size mt_install, . - mt_install

    .global mt_clear
    .type mt_clear, %function
mt_clear:
    ldr     r0, =mt_trap
    mov     r1, #0
    mov     r2, #0
1:  str     r1, [r0, r2]
    add     r2, r2, #4
    cmp     r2, #40
    blo     1b
    bx      lr
    .size mt_clear, . - mt_clear

mt_h_und:
    push    {r0-r3}
    mov     r0, #1
    mov     r3, #0
    b       mt_h_common
mt_h_svc:
    push    {r0-r3}
    ldr     r0, [lr, #-4]
    bic     r0, r0, #0xff000000
    ldr     r1, =0xfff
    cmp     r0, r1
    beq     mt_user_return
    mov     r0, #2
    mov     r3, #0
    b       mt_h_common
mt_h_pabt:
    push    {r0-r3}
    mov     r0, #3
    mov     r3, #0
    b       mt_h_common
mt_h_dabt:
    push    {r0-r3}
    mov     r0, #4
    mov     r3, #4
mt_h_common:
    ldr     r1, =mt_trap
    ldr     r2, [r1]
    add     r2, r2, #1
    str     r2, [r1]
    str     r0, [r1, #4]
    str     lr, [r1, #8]
    mrs     r2, spsr
    str     r2, [r1, #12]
    mrc     p15, 0, r2, c5, c0, 0       @ DFSR
    str     r2, [r1, #16]
    mrc     p15, 0, r2, c6, c0, 0       @ DFAR
    str     r2, [r1, #20]
    mrc     p15, 0, r2, c5, c0, 1       @ IFSR
    str     r2, [r1, #24]
    mrc     p15, 0, r2, c6, c0, 2       @ IFAR
    str     r2, [r1, #28]
    mrs     r2, cpsr
    str     r2, [r1, #36]
    sub     lr, lr, r3
    cmp     r0, #3
    bne     1f
    ldr     r2, [r1, #32]               @ prefetch abort: resume address?
    cmp     r2, #0
    movne   lr, r2
    mov     r2, #0
    str     r2, [r1, #32]
1:  pop     {r0-r3}
    movs    pc, lr
    .ltorg

/* u32 mt_call(u32 addr) */
    .global mt_call
    .type mt_call, %function
mt_call:
    push    {r4, lr}
    ldr     r2, =mt_trap
    adr     r1, 1f
    str     r1, [r2, #32]
    blx     r0
    ldr     r2, =mt_trap
    mov     r1, #0
    str     r1, [r2, #32]
    pop     {r4, pc}
1:  ldr     r0, =MT_ABORTED_VALUE
    pop     {r4, pc}
    .size mt_call, . - mt_call
    .equ MT_ABORTED_VALUE, 0xfa17fa17

/* u32 mt_user_call(fn, a0, a1): fn(a0, a1) in user mode, IRQ/FIQ masked */
    .global mt_user_call, mt_user_call_addr
    .type mt_user_call, %function
mt_user_call:
mt_user_call_addr:
    push    {r4-r11, lr}
    mrs     r4, cpsr
    push    {r4, r5}
    ldr     r3, =mt_kernel_sp
    str     sp, [r3]
    ldr     r3, =mt_trap
    ldr     r4, =mt_user_aborted
    str     r4, [r3, #32]               @ a prefetch abort ends the call
    ldr     r4, =mt_user_exit
    cps     #MODE_SYS
    ldr     sp, =__stack_usr
    mov     lr, r4
    cps     #MODE_SVC
    mov     lr, r0
    mov     r0, r1
    mov     r1, r2
    mov     r4, #(MODE_USR | PSR_I | PSR_F)
    msr     spsr_fsxc, r4
    movs    pc, lr
    .size mt_user_call, . - mt_user_call

    @ user mode: back to the kernel with r0 as the result
    .global mt_user_exit
mt_user_exit:
    svc     #0xfff
    b       .
mt_user_aborted:
    ldr     r0, =MT_ABORTED_VALUE
    svc     #0xfff
    b       .

    @ (in the SVC handler, r0-r3 pushed; SVC mode)
mt_user_return:
    pop     {r0-r3}
    ldr     r3, =mt_trap
    mov     r2, #0
    str     r2, [r3, #32]
    ldr     sp, =mt_kernel_sp
    ldr     sp, [sp]
    pop     {r4, r5}
    msr     cpsr_c, r4                  @ the caller's mode and masks
    pop     {r4-r11, pc}
    .ltorg

/* ---- probes ----------------------------------------------------------------
 * Each: r0 = address (r1 = value for stores); the access is at <name>_i. */
    .macro PROBE name, body:vararg
    .global \name, \name\()_i
    .type \name, %function
    .balign 8
\name:
    mov     r2, r0
    ldr     r0, =MT_SENT_VALUE
\name\()_i:
    \body
    bx      lr
    .ltorg
    .size \name, . - \name
    .endm
    .equ MT_SENT_VALUE, 0x5e5e5e5e

    PROBE mt_p_ldr,  ldr r0, [r2]
    PROBE mt_p_str,  str r1, [r2]
    PROBE mt_p_ldrb, ldrb r0, [r2]
    PROBE mt_p_strb, strb r1, [r2]
    PROBE mt_p_ldrh, ldrh r0, [r2]
    PROBE mt_p_strh, strh r1, [r2]
    PROBE mt_p_ldrt, ldrt r0, [r2]
    PROBE mt_p_strt, strt r1, [r2]
    PROBE mt_p_ldrex, ldrex r0, [r2]
    @ the writeback forms return the base register
    .global mt_p_ldr_post_wb, mt_p_ldr_post_wb_i
    .type mt_p_ldr_post_wb, %function
mt_p_ldr_post_wb:
mt_p_ldr_post_wb_i:
    ldr     r1, [r0], #4
    bx      lr
    .global mt_p_ldr_pre_wb, mt_p_ldr_pre_wb_i
    .type mt_p_ldr_pre_wb, %function
mt_p_ldr_pre_wb:
    sub     r0, r0, #4
mt_p_ldr_pre_wb_i:
    ldr     r1, [r0, #4]!
    bx      lr
    .global mt_p_str_pre_wb, mt_p_str_pre_wb_i
    .type mt_p_str_pre_wb, %function
mt_p_str_pre_wb:
    add     r0, r0, #8
mt_p_str_pre_wb_i:
    str     r1, [r0, #-8]!
    bx      lr
    .global mt_p_ldm_wb, mt_p_ldm_wb_i
    .type mt_p_ldm_wb, %function
mt_p_ldm_wb:
mt_p_ldm_wb_i:
    ldmia   r0!, {r2, r3}
    bx      lr
    .global mt_p_stm_wb, mt_p_stm_wb_i
    .type mt_p_stm_wb, %function
mt_p_stm_wb:
    mov     r2, #0
    mov     r3, #0
mt_p_stm_wb_i:
    stmia   r0!, {r2, r3}
    bx      lr
    .global mt_p_ldrd, mt_p_ldrd_i
    .type mt_p_ldrd, %function
    .balign 8
mt_p_ldrd:
    push    {r4, r5}
    mov     r2, r0
    ldr     r4, =MT_SENT_VALUE
    mov     r5, r4
mt_p_ldrd_i:
    ldrd    r4, r5, [r2]
    eor     r0, r4, r5                  @ hi ^ lo (SENT ^ SENT = 0 when aborted)
    pop     {r4, r5}
    bx      lr
    .ltorg

    @ user-mode probes (run with mt_user_call)
    PROBE mt_u_ldr, ldr r0, [r2]
    PROBE mt_u_str, str r1, [r2]

    .data
    .balign 8
    .global mt_stub_ret42
mt_stub_ret42:
    mov     r0, #42
    bx      lr
