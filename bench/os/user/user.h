/*
 * user.h - what the user programs see: the system call stubs (syscall.S)
 * and a few helpers (ulib.c).
 */
#ifndef USER_H
#define USER_H

#include "lib.h"
#include "os.h"

/* An IPC message: four words, carried in r1-r4. */
struct msg {
    u32 w[4];
};

/* A task's function: its three arguments come from spawn(); its result is
 * the task's exit status. */
typedef int (*task_fn)(u32 a0, u32 a1, u32 a2);

/* ---- system calls (syscall.S) ------------------------------------------------- */
__attribute__((noreturn)) void exit(int status);
void yield(void);
int send(int dest, const struct msg *m);    /* 0 | E_* */
int recv(int from, struct msg *m);          /* sender | E_*; from may be TID_ANY */
int call(int dest, struct msg *m);          /* 0 | E_*; *m = the reply */
int reply(int dest, const struct msg *m);   /* 0 | E_* */
int reply_wait(int dest, struct msg *m);    /* reply (dest != TID_NONE), recv(TID_ANY) */
int spawn(task_fn fn, u32 a0, u32 a1, u32 a2);  /* tid | E_* */
int join(int tid, u32 *status);             /* 0 | E_* */
int sys_write(const char *buf, u32 len);
int sys_cmdline(char *buf, u32 size);
u32 info(u32 what);
int syscall_raw(u32 number, u32 r0);

/* ---- helpers (ulib.c) ------------------------------------------------------------- */
void printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int parse_u32(const char *s, u32 *v);       /* decimal or 0x hex; 1 if valid */
void *heap_alloc(u32 size);                 /* from this task's heap window */
static inline int my_tid(void) { return (int)info(INFO_TID); }

/* The shared window (os.h): every task sees the same pages there. */
#define SHARED ((volatile u32 *)USER_SHARED_BASE)

/* ---- the workloads ------------------------------------------------------------- */
int run_primes(u32 n);
int run_pingpong(u32 rounds);
int run_fractal(u32 width, u32 height, u32 iterations);
int run_selftest(void);

#endif
