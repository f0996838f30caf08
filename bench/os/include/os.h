/*
 * os.h - the interface between the kernel and the user tasks: system call
 * numbers and register conventions, error codes, exit statuses and the
 * layout of a task's address space.  Included by both sides.
 *
 * A system call is "SVC #0" with its number in r7.  Arguments go in r0-r4,
 * results come back in r0-r4; every other register is preserved.  IPC
 * messages are four words carried in r1-r4; r0 names the partner task
 * (on entry: the destination or the source; on return: the sender, or a
 * status: 0 for success, a negative E_* code for an error).
 */
#ifndef OS_H
#define OS_H

/* ---- system calls (r7) ---------------------------------------------------- */
#define SYS_EXIT        0   /* r0 = status; does not return                      */
#define SYS_YIELD       1   /* go to the back of the ready queue                 */
#define SYS_SEND        2   /* r0 = dest, r1-r4 = message; blocks until the
                               destination has received it -> r0 = 0 | E_*      */
#define SYS_RECV        3   /* r0 = source tid or TID_ANY; blocks until a message
                               arrives -> r0 = sender | E_*, r1-r4 = message    */
#define SYS_CALL        4   /* r0 = dest, r1-r4 = message: send, then wait for
                               the destination's reply -> r0 = 0 | E_*,
                               r1-r4 = reply                                     */
#define SYS_REPLY       5   /* r0 = dest, r1-r4 = reply to a task blocked in
                               SYS_CALL on us (never blocks) -> r0 = 0 | E_*     */
#define SYS_REPLY_WAIT  6   /* r0 = dest or TID_NONE, r1-r4 = reply: SYS_REPLY
                               (unless TID_NONE), then SYS_RECV from TID_ANY     */
#define SYS_SPAWN       7   /* r0 = function, r1-r3 = its arguments: a new task
                               running the same program in a new address space
                               -> r0 = tid | E_*                                 */
#define SYS_JOIN        8   /* r0 = tid: wait for the task to end
                               -> r0 = 0 | E_*, r1 = its exit status             */
#define SYS_WRITE       9   /* r0 = buffer, r1 = length: console output
                               -> r0 = length | E_*                              */
#define SYS_CMDLINE    10   /* r0 = buffer, r1 = size: the semihosting command
                               line, NUL-terminated -> r0 = length | E_*         */
#define SYS_INFO       11   /* r0 = INFO_* -> r0 = value                         */
#define SYS_COUNT      12

/* SYS_INFO queries */
#define INFO_TID        0   /* the caller's task id                               */
#define INFO_FAULTS     1   /* page faults the pager resolved for the caller      */
#define INFO_PAGES      2   /* pages mapped in the caller's address space         */
#define INFO_FREE       3   /* free physical pages                                */
#define INFO_TICKS      4   /* timer ticks since boot (timing dependent!)         */

/* ---- task ids --------------------------------------------------------------- */
#define TID_NONE        0           /* no task (SYS_REPLY_WAIT: just wait)        */
#define TID_ANY         (-1)        /* SYS_RECV: from any task                    */
#define TID_INIT        1           /* the first task; the run ends when it does  */

/* ---- errors (negative r0) --------------------------------------------------- */
#define E_INVAL         (-1)        /* bad argument or unknown system call        */
#define E_NOTASK        (-2)        /* no such task                               */
#define E_DEAD          (-3)        /* the partner ended while we waited on it    */
#define E_NOTWAITING    (-4)        /* reply to a task not waiting for our reply  */
#define E_NOMEM         (-5)        /* no free task slot or physical page         */
#define E_FAULT         (-6)        /* a buffer outside the caller's memory       */

/* ---- exit statuses of tasks the kernel killed ------------------------------- */
#define KILLED          0x80000000u
#define KILLED_DABT     (KILLED | 1) /* data abort the pager could not resolve    */
#define KILLED_PABT     (KILLED | 2) /* prefetch abort the pager could not resolve*/
#define KILLED_UNDEF    (KILLED | 3) /* undefined instruction                     */
#define KILLED_NOMEM    (KILLED | 4) /* no physical page left for a page fault    */

/* ---- a task's address space (everything below USER_TOP) --------------------
 * Pages are mapped on first touch by the kernel's pager; an access anywhere
 * else kills the task.  The kernel (RAM at 0x40000000) and the devices are
 * mapped in every address space but only for privileged accesses. */
#define USER_IMAGE_BASE  0x00010000u /* program: text, rodata, data, bss (user.ld)*/
#define USER_HEAP_BASE   0x10000000u /* private zero-filled memory ...            */
#define USER_HEAP_SIZE   0x02000000u /* ... 32 MiB                                */
#define USER_SHARED_BASE 0x20000000u /* one window shared by all tasks ...        */
#define USER_SHARED_SIZE 0x00100000u /* ... 1 MiB, zero-filled on first touch     */
#define USER_STACK_TOP   0x3ff00000u /* stack, growing down ...                   */
#define USER_STACK_SIZE  0x00100000u /* ... at most 1 MiB                         */
#define USER_TOP         0x40000000u

#define PAGE_SIZE        4096u

#endif
