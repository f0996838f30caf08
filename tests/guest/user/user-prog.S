/*
 * A small program running entirely in user mode on its own stack: calls
 * and recursion (PUSH/POP, BL), the unprivileged loads/stores (LDRT/STRT
 * behave like LDR/STR in user mode), exclusives, divides, media and
 * saturating instructions, Q flag handling in APSR, and the kernel's
 * print service (svc #1).  The kernel regains control with svc #3.
 */
#include "test.inc"
#include "kernel.inc"

    .global main
main:
    push    {r4-r11, lr}
    bl      gt_trap_install
    SET_VECTOR VEC_SVC, kernel_svc
    ldr     r0, =user_main
    bl      enter_user
    ldr     r0, =gt_trap
    ldr     r0, [r0]
    CHECK   "no-unexpected-traps", 0
    bl      gt_finish
    pop     {r4-r11, pc}

user_main:
    ldr     r0, =hello
    svc     #1
    mov     r4, sp
    UCHECK  "usr-sp-is-usr-stack", r4, __stack_usr
    @ recursion: fib(15) = 610
    mov     r0, #15
    bl      fib
    mov     r4, r0
    UCHECK  "usr-fib15", r4, 610
    mov     r4, sp
    UCHECK  "usr-sp-balanced", r4, __stack_usr
    @ LDRT / STRT
    ldr     r5, =buf
    ldr     r6, =0xfeedface
    strt    r6, [r5], #4
    mov     r6, #0x5a
    strbt   r6, [r5], #-4
    ldrt    r4, [r5], #4
    UCHECK  "usr-strt-ldrt", r4, 0xfeedface
    ldrbt   r4, [r5]
    UCHECK  "usr-strbt-ldrbt", r4, 0x5a
    @ exclusives
    ldr     r5, =buf
    ldrex   r4, [r5]
    add     r4, r4, #1
    strex   r6, r4, [r5]
    UCHECK  "usr-strex-status", r6, 0
    ldr     r4, [r5]
    UCHECK  "usr-strex-value", r4, 0xfeedfacf
    @ divide, saturate, Q flag in user mode
    ldr     r5, =-1000
    mov     r6, #7
    sdiv    r4, r5, r6
    UCHECK  "usr-sdiv", r4, -142
    msr     APSR_nzcvq, #0
    ldr     r5, =0x7fffffff
    qadd    r4, r5, r5
    mrs     r6, APSR
    UCHECK  "usr-qadd", r4, 0x7fffffff
    and     r6, r6, #PSR_Q
    UCHECK  "usr-q-set", r6, PSR_Q
    msr     APSR_nzcvq, #0
    mrs     r6, APSR
    and     r6, r6, #PSR_Q
    UCHECK  "usr-q-cleared", r6, 0
    ldr     r5, =0x01020304
    ldr     r6, =0xff00ff00
    uqadd8  r4, r5, r6
    UCHECK  "usr-uqadd8", r4, 0xff02ff04
    @ a loop printing through the kernel
    mov     r7, #0
1:  ldr     r0, =dot
    svc     #1
    add     r7, r7, #1
    cmp     r7, #5
    blo     1b
    ldr     r0, =nl
    svc     #1
    svc     #3

fib:
    cmp     r0, #2
    bxlo    lr
    push    {r4, lr}
    sub     r4, r0, #1
    mov     r0, r4
    bl      fib
    push    {r0}
    sub     r0, r4, #1
    bl      fib
    pop     {r1}
    add     r0, r0, r1
    pop     {r4, pc}
    .ltorg
    .section .rodata
hello: .asciz "hello from user mode\n"
dot:   .asciz "."
nl:    .asciz "\n"
    .data
    .balign 4
buf:   .word 0, 0
