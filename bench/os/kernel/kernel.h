/*
 * kernel.h - the kernel's internal interfaces.
 *
 * The kernel runs in SVC mode with interrupts masked, on one stack, and
 * never blocks: every entry (system call, timer interrupt, abort, undefined
 * instruction) saves the user registers of the running task into its
 * struct task, handles the event, picks the task to run next and returns
 * to user mode with that task's registers (entry.S).
 */
#ifndef KERNEL_H
#define KERNEL_H

#include "os.h"

/* ---- machine: QEMU's "virt" board --------------------------------------------- */
#define RAM_BASE        0x40000000u
#define RAM_END         0x50000000u     /* 256 MiB (-m 256M) */
#define UART0_BASE      0x09000000u     /* PL011 */
#define GICD_BASE       0x08000000u     /* GICv2 distributor */
#define GICC_BASE       0x08010000u     /* GICv2 CPU interface */
#define PPI_VTIMER      27u             /* virtual timer interrupt */
#define TICK_HZ         1000u           /* scheduler tick: 1 ms */

/* ---- processor modes and exception kinds (also used by entry.S) --------------- */
#define MODE_USR        0x10u
#define MODE_SVC        0x13u
#define EXC_SVC         0
#define EXC_IRQ         1
#define EXC_DABT        2
#define EXC_PABT        3
#define EXC_UND         4

#ifndef __ASSEMBLER__
#include "lib.h"

/* ---- CP15 and barriers -------------------------------------------------------- */
#define MRC(op1, crn, crm, op2) ({ u32 v_; \
    __asm__ volatile("mrc p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 : "=r"(v_)); v_; })
#define MCR(op1, crn, crm, op2, v) \
    __asm__ volatile("mcr p15, " #op1 ", %0, " #crn ", " #crm ", " #op2 :: "r"((u32)(v)) : "memory")
static inline void isb(void) { __asm__ volatile("isb" ::: "memory"); }
static inline void dsb(void) { __asm__ volatile("dsb" ::: "memory"); }

static inline u32 mmio_read(u32 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write(u32 addr, u32 v) { *(volatile u32 *)addr = v; }
static inline void mmio_write8(u32 addr, u8 v) { *(volatile u8 *)addr = v; }

/* ---- tasks --------------------------------------------------------------------- */
#define MAX_TASKS 16                    /* slot i has ASID i + 1 and l1_tables[i] */

/* The user registers of a task while it is not running.  entry.S relies on
 * this layout: r0-r12, sp_usr, lr_usr, then pc and cpsr as SRS stores them. */
struct context {
    u32 r[13];
    u32 sp, lr;
    u32 pc, cpsr;
};

enum task_state {
    T_FREE,         /* slot unused */
    T_READY,        /* in the ready queue */
    T_RUNNING,      /* the current task */
    T_SENDING,      /* in dest's send queue (SYS_SEND or the send half of SYS_CALL) */
    T_RECEIVING,    /* waiting for a message from wait_tid (or TID_ANY) */
    T_REPLY_WAIT,   /* SYS_CALL delivered, waiting for wait_tid's reply */
    T_JOINING,      /* waiting for task wait_tid to end */
    T_ZOMBIE,       /* ended; exit status kept until joined */
};

struct task {
    struct context ctx;         /* first: entry.S stores into it */
    int tid;                    /* slot + 1 + MAX_TASKS * generation */
    enum task_state state;
    int wait_tid;               /* partner for T_RECEIVING/T_REPLY_WAIT/T_JOINING */
    int calling;                /* T_SENDING: the send half of SYS_CALL */
    struct task *next;          /* link in the ready queue or a send queue */
    struct task *send_head, *send_tail;   /* tasks waiting to send to us */
    u32 *l1;                    /* first-level translation table (16 KiB) */
    u32 asid;
    u32 exit_status;
    u32 faults, pages;          /* page faults resolved, pages mapped */
};

extern struct task *current;    /* the task that entered the kernel / runs next */

/* task.c */
void tasks_init(void);
struct task *task_lookup(int tid);      /* NULL unless alive (not free or zombie) */
struct task *task_create(u32 entry, const u32 args[4]);
void task_exit(struct task *t, u32 status);
void task_kill(struct task *t, u32 status, const char *why, u32 pc, u32 addr);
void task_join(struct task *t, int tid);
void tasks_waiting_on(struct task *dead, void (*wake)(struct task *));
void make_ready(struct task *t);
void block(struct task *t, enum task_state state, int wait_tid);
void preempt(void);
void yield(void);
__attribute__((noreturn)) void schedule(void);
extern u32 ticks;

/* ipc.c */
void ipc_send(struct task *t, int dest, int calling);
void ipc_recv(struct task *t, int from);
int ipc_reply(struct task *t, int dest);
void ipc_partner_ended(struct task *dead);

/* syscall.c */
void syscall_init(void);                /* reads the command line */
void syscall(struct task *t);

/* mm.c: physical pages, translation tables, the pager */
void mm_init(void);
u32 frame_alloc(void);                  /* a zeroed 4 KiB page, 0 if none left */
void frame_free(u32 pa);
u32 frames_free(void);
void as_init(struct task *t, u32 slot); /* fresh address space: kernel only */
void as_destroy(struct task *t);        /* free every user page and table */
void as_activate(struct task *t);       /* TTBR0 + CONTEXTIDR, no TLB flush */
void as_forget(struct task *t);
int pager_fault(struct task *t, u32 va, int write, int exec);
int user_buffer_ok(struct task *t, u32 va, u32 len, int write);
void user_image_init(void);
u32 user_image_entry(void);

/* exceptions.c */
void data_abort(struct task *t);
void prefetch_abort(struct task *t);
void undefined_instruction(struct task *t);

/* irq.c */
void irq_init(void);
void irq_handler(void);

/* console.c */
void console_init(void);
void console_putc(char c);
void console_write(const char *s, u32 len);
void kprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
__attribute__((noreturn)) void panic(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* semihost.c */
int semihost_cmdline(char *buf, u32 size);
__attribute__((noreturn)) void semihost_exit(u32 status);

/* entry.S, and what it calls */
__attribute__((noreturn)) void return_to_user(struct context *ctx);
extern char vectors[];
void kmain(void);                                       /* main.c, from start.S */
__attribute__((noreturn)) void kernel_entry(u32 kind);  /* main.c */
__attribute__((noreturn)) void kernel_fault(u32 kind, u32 pc, u32 spsr);  /* exceptions.c */

#endif /* __ASSEMBLER__ */
#endif
