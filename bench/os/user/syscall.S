/*
 * syscall.S - the system call stubs (conventions in include/os.h): the
 * number goes in r7, an IPC message (struct msg, four words) in r1-r4.
 * r4 and r7 are callee-saved in the AAPCS, hence the push/pop.  The kernel
 * preserves every register it does not return a result in (r12 here).
 */
#include "os.h"

    .syntax unified
    .arch armv7-a
    .arm
    .text

    .macro FUNC name
    .global \name
    .type \name, %function
\name:
    .endm

/* Plain calls: arguments already in r0-r3, result in r0. */
    .macro SIMPLE name, number
    FUNC \name
    push    {r4, r7}
    mov     r7, #\number
    svc     #0
    pop     {r4, r7}
    bx      lr
    .size \name, . - \name
    .endm

/* int name(int tid, const struct msg *m): the message goes out. */
    .macro MSG_OUT name, number
    FUNC \name
    push    {r4, r7}
    ldm     r1, {r1-r4}
    mov     r7, #\number
    svc     #0
    pop     {r4, r7}
    bx      lr
    .size \name, . - \name
    .endm

/* int name(int tid, struct msg *m): a message comes back into *m (when
 * r0 >= 0); with out = 1 *m is sent first. */
    .macro MSG_IN name, number, out
    FUNC \name
    push    {r4, r7}
    mov     r12, r1
    .if \out
    ldm     r12, {r1-r4}
    .endif
    mov     r7, #\number
    svc     #0
    cmp     r0, #0
    stmge   r12, {r1-r4}
    pop     {r4, r7}
    bx      lr
    .size \name, . - \name
    .endm

    SIMPLE  exit, SYS_EXIT              @ void exit(int status)
    SIMPLE  yield, SYS_YIELD            @ void yield(void)
    MSG_OUT send, SYS_SEND              @ int send(int dest, const struct msg *)
    MSG_IN  recv, SYS_RECV, 0           @ int recv(int from, struct msg *)
    MSG_IN  call, SYS_CALL, 1           @ int call(int dest, struct msg *)
    MSG_OUT reply, SYS_REPLY            @ int reply(int dest, const struct msg *)
    MSG_IN  reply_wait, SYS_REPLY_WAIT, 1   @ int reply_wait(int dest, struct msg *)
    SIMPLE  spawn, SYS_SPAWN            @ int spawn(task_fn, u32, u32, u32)
    SIMPLE  sys_write, SYS_WRITE        @ int sys_write(const char *, u32)
    SIMPLE  sys_cmdline, SYS_CMDLINE    @ int sys_cmdline(char *, u32)
    SIMPLE  info, SYS_INFO              @ u32 info(u32 what)

/* int join(int tid, u32 *status) */
    FUNC join
    push    {r4, r7}
    mov     r12, r1
    mov     r7, #SYS_JOIN
    svc     #0
    cmp     r0, #0
    bne     1f
    cmp     r12, #0                     @ status wanted?
    strne   r1, [r12]
1:  pop     {r4, r7}
    bx      lr
    .size join, . - join

/* int syscall_raw(u32 number, u32 r0): any system call, for the tests. */
    FUNC syscall_raw
    push    {r4, r7}
    mov     r7, r0
    mov     r0, r1
    svc     #0
    pop     {r4, r7}
    bx      lr
    .size syscall_raw, . - syscall_raw
