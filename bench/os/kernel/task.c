/*
 * task.c - tasks and the scheduler.
 *
 * A fixed table of MAX_TASKS slots.  A task id is slot + 1 + MAX_TASKS *
 * generation, so a stale id never names the slot's next task.  Runnable
 * tasks wait in one FIFO ready queue; the current task is not in it.  The
 * timer tick (irq.c) moves the current task to the back of the queue:
 * round-robin with a 1 ms time slice.  Blocked tasks are in no queue but
 * the send queue of the task they send to (ipc.c).
 */
#include "kernel.h"

static struct task tasks[MAX_TASKS];
static u32 generation[MAX_TASKS];
static struct task *ready_head, *ready_tail;
struct task *current;

static const char *const state_names[] = {
    "free", "ready", "running", "sending", "receiving", "waiting for a reply",
    "joining", "zombie",
};

void tasks_init(void)
{
    for (u32 i = 0; i < MAX_TASKS; i++)
        tasks[i].state = T_FREE;
}

static struct task *task_find(int tid)       /* alive or zombie */
{
    if (tid <= 0)
        return NULL;
    struct task *t = &tasks[(tid - 1) % MAX_TASKS];
    return t->tid == tid && t->state != T_FREE ? t : NULL;
}

struct task *task_lookup(int tid)
{
    struct task *t = task_find(tid);
    return t && t->state != T_ZOMBIE ? t : NULL;
}

/* ---- the ready queue ------------------------------------------------------------- */
void make_ready(struct task *t)
{
    t->state = T_READY;
    t->next = NULL;
    if (ready_tail)
        ready_tail->next = t;
    else
        ready_head = t;
    ready_tail = t;
}

static struct task *take_ready(void)
{
    struct task *t = ready_head;
    if (t) {
        ready_head = t->next;
        if (!ready_head)
            ready_tail = NULL;
    }
    return t;
}

/* The current task stops running until someone wakes it up. */
void block(struct task *t, enum task_state state, int wait_tid)
{
    t->state = state;
    t->wait_tid = wait_tid;
}

/* Timer tick or SYS_YIELD: the current task goes behind the others. */
void preempt(void)
{
    if (current && current->state == T_RUNNING && ready_head)
        make_ready(current);
}

void yield(void) { preempt(); }

static void deadlock(void)
{
    kprintf("kernel: deadlock, no task can run:\n");
    for (u32 i = 0; i < MAX_TASKS; i++)
        if (tasks[i].state != T_FREE)
            kprintf("kernel:   task %d %s %d\n", tasks[i].tid, state_names[tasks[i].state],
                    tasks[i].wait_tid);
    semihost_exit(4);
}

/* Runs the current task if it still can, else the first ready one. */
void schedule(void)
{
    if (!current || current->state != T_RUNNING) {
        current = take_ready();
        if (!current)
            deadlock();
        current->state = T_RUNNING;
    }
    as_activate(current);
    return_to_user(&current->ctx);
}

/* ---- creation and end ------------------------------------------------------------ */
/* A new task running the user program from entry with r0-r3 = args[0..3]
 * (the user's crt0 calls args[0] with args[1..3]); NULL if every slot is
 * taken.  A zombie nobody joined gives its slot up when no slot is free. */
struct task *task_create(u32 entry, const u32 args[4])
{
    struct task *t = NULL;
    for (u32 i = 0; i < MAX_TASKS && !t; i++)
        if (tasks[i].state == T_FREE)
            t = &tasks[i];
    for (u32 i = 0; i < MAX_TASKS && !t; i++)
        if (tasks[i].state == T_ZOMBIE)
            t = &tasks[i];
    if (!t)
        return NULL;
    u32 slot = t - tasks;
    memset(t, 0, sizeof *t);
    t->tid = generation[slot]++ * MAX_TASKS + slot + 1;
    for (u32 i = 0; i < 4; i++)
        t->ctx.r[i] = args[i];
    t->ctx.sp = USER_STACK_TOP;
    t->ctx.pc = entry;
    t->ctx.cpsr = MODE_USR;             /* ARM state, interrupts enabled */
    as_init(t, slot);
    make_ready(t);
    return t;
}

static void shutdown(u32 status)
{
    if (status & KILLED)
        status = 3;
    semihost_exit(status);
}

/* The current task t ends with the given status: its memory goes back,
 * the tasks waiting on it wake up, and it stays a zombie until joined.
 * The run ends with the first task. */
void task_exit(struct task *t, u32 status)
{
    as_destroy(t);
    as_forget(t);
    t->exit_status = status;
    t->state = T_ZOMBIE;
    if (t->tid == TID_INIT)
        shutdown(status);
    ipc_partner_ended(t);
    int joined = 0;
    for (u32 i = 0; i < MAX_TASKS; i++) {
        struct task *u = &tasks[i];
        if (u->state == T_JOINING && u->wait_tid == t->tid) {
            u->ctx.r[0] = 0;
            u->ctx.r[1] = status;
            make_ready(u);
            joined = 1;
        }
    }
    if (joined)
        t->state = T_FREE;
    if (current == t)
        current = NULL;
}

void task_kill(struct task *t, u32 status, const char *why, u32 pc, u32 addr)
{
    kprintf("kernel: task %d killed: %s at pc 0x%08x, address 0x%08x\n", t->tid, why, pc, addr);
    task_exit(t, status);
}

/* SYS_JOIN: wait for task tid to end (at once if it already has). */
void task_join(struct task *t, int tid)
{
    struct task *u = task_find(tid);
    if (!u) {
        t->ctx.r[0] = E_NOTASK;
    } else if (u == t) {
        t->ctx.r[0] = E_INVAL;
    } else if (u->state == T_ZOMBIE) {
        t->ctx.r[0] = 0;
        t->ctx.r[1] = u->exit_status;
        u->state = T_FREE;
    } else {
        block(t, T_JOINING, tid);
    }
}

/* Tasks waiting on the task that ended, for ipc.c. */
void tasks_waiting_on(struct task *dead, void (*wake)(struct task *))
{
    for (u32 i = 0; i < MAX_TASKS; i++) {
        struct task *u = &tasks[i];
        if ((u->state == T_RECEIVING || u->state == T_REPLY_WAIT) && u->wait_tid == dead->tid)
            wake(u);
    }
}
