/*
 * entry.S - exception vectors, kernel entry and the return to user mode.
 *
 * While a task runs in user mode, SP_svc points just past its saved
 * context (struct context in kernel.h: r0-r12, sp, lr, pc, cpsr; 17 words).
 * Every exception from user mode therefore saves the task in two
 * instructions, whatever mode it arrives in:
 *     srsdb  sp!, #MODE_SVC      pc (the return address) and cpsr (SPSR)
 *                                onto SVC mode's stack, i.e. ctx.pc/ctx.cpsr
 *     stmdb  sp, {r0-r14}^       the user registers into ctx.r0 .. ctx.lr
 * then switches to the kernel stack and calls kernel_entry(kind) in C,
 * which never returns: it ends in return_to_user(&next->ctx).
 *
 * The kernel itself runs with IRQs masked and does not fault, so an
 * exception from a privileged mode is a kernel bug: kernel_exception()
 * prints it and stops the machine.
 */
#include "kernel.h"

    .syntax unified
    .arch armv7-a
    .arm
    .text

    .balign 32
    .global vectors
vectors:
    b       reset_entry                 @ 0x00 reset
    b       und_entry                   @ 0x04 undefined instruction
    b       svc_entry                   @ 0x08 supervisor call
    b       pabt_entry                  @ 0x0c prefetch abort
    b       dabt_entry                  @ 0x10 data abort
    b       hyp_entry                   @ 0x14 (not used)
    b       irq_entry                   @ 0x18 IRQ
    b       fiq_entry                   @ 0x1c FIQ

/* Save the interrupted user task and enter the kernel.  lr already holds
 * the address to return to (the faulting instruction for aborts). */
    .macro SAVE_USER kind
    srsdb   sp!, #MODE_SVC              @ ctx.pc, ctx.cpsr
    cps     #MODE_SVC
    stmdb   sp, {r0-r14}^               @ ctx.r0 .. ctx.lr (user sp, lr)
    mov     r0, #\kind
    b       enter_kernel
    .endm

/* For exceptions that may come from a privileged mode (a kernel bug):
 * check SPSR.M first, using this mode's sp as scratch. */
    .macro FROM_USER_ONLY kind
    mrs     sp, spsr
    tst     sp, #0xf                    @ User mode is 0b10000
    movne   r0, #\kind
    bne     kernel_exception
    .endm

svc_entry:
    SAVE_USER EXC_SVC                   @ (only User mode executes SVC #0)

irq_entry:
    sub     lr, lr, #4                  @ resume at the interrupted instruction
    FROM_USER_ONLY EXC_IRQ
    SAVE_USER EXC_IRQ

dabt_entry:
    sub     lr, lr, #8                  @ the faulting instruction (retried)
    FROM_USER_ONLY EXC_DABT
    SAVE_USER EXC_DABT

pabt_entry:
    sub     lr, lr, #4                  @ the instruction that could not be fetched
    FROM_USER_ONLY EXC_PABT
    SAVE_USER EXC_PABT

und_entry:
    sub     lr, lr, #4                  @ the undefined instruction (ARM state)
    FROM_USER_ONLY EXC_UND
    SAVE_USER EXC_UND

reset_entry:
hyp_entry:
fiq_entry:
    mov     r0, #99
    b       kernel_exception

enter_kernel:
    ldr     sp, =kernel_stack_top
    bl      kernel_entry                @ does not return

/* A fault in the kernel: r0 = kind, lr = where (adjusted). */
kernel_exception:
    ldr     sp, =exception_stack_top
    mov     r1, lr
    mrs     r2, spsr
    bl      kernel_fault                @ prints and stops the machine
0:  b       0b

/* return_to_user(struct context *ctx): resume a task. */
    .global return_to_user
    .type return_to_user, %function
return_to_user:
    clrex                               @ no exclusive access spans a switch
    add     sp, r0, #60                 @ sp = &ctx->pc
    ldmdb   sp, {r0-r14}^               @ user r0-r12, sp, lr
    rfeia   sp!                         @ pc, cpsr; leaves sp = ctx + 68
    .size return_to_user, . - return_to_user
