/*
 * syscall.c - the system calls (numbers and conventions in os.h).  The
 * arguments are the caller's saved registers; results are written back
 * into them and appear in the registers when the task next runs.
 */
#include "kernel.h"

static char cmdline[256];
static int cmdline_len;

void syscall_init(void)
{
    cmdline_len = semihost_cmdline(cmdline, sizeof cmdline);
    if (cmdline_len < 0) {
        cmdline_len = 0;
        cmdline[0] = 0;
    }
}

static u32 info(struct task *t, u32 what)
{
    switch (what) {
    case INFO_TID: return t->tid;
    case INFO_FAULTS: return t->faults;
    case INFO_PAGES: return t->pages;
    case INFO_FREE: return frames_free();
    case INFO_TICKS: return ticks;
    default: return (u32)E_INVAL;
    }
}

void syscall(struct task *t)
{
    u32 *r = t->ctx.r;
    switch (r[7]) {
    case SYS_EXIT:
        task_exit(t, r[0]);
        break;
    case SYS_YIELD:
        yield();
        break;
    case SYS_SEND:
        ipc_send(t, r[0], 0);
        break;
    case SYS_RECV:
        ipc_recv(t, r[0]);
        break;
    case SYS_CALL:
        ipc_send(t, r[0], 1);
        break;
    case SYS_REPLY:
        r[0] = ipc_reply(t, r[0]);
        break;
    case SYS_REPLY_WAIT: {
        int err = (int)r[0] == TID_NONE ? 0 : ipc_reply(t, r[0]);
        if (err)
            r[0] = err;
        else
            ipc_recv(t, TID_ANY);
        break;
    }
    case SYS_SPAWN: {
        struct task *n = task_create(user_image_entry(), r);
        r[0] = n ? (u32)n->tid : (u32)E_NOMEM;
        break;
    }
    case SYS_JOIN:
        task_join(t, r[0]);
        break;
    case SYS_WRITE:
        if (!user_buffer_ok(t, r[0], r[1], 0)) {
            r[0] = E_FAULT;
        } else {
            console_write((const char *)r[0], r[1]);
            r[0] = r[1];
        }
        break;
    case SYS_CMDLINE:
        if (r[1] < (u32)cmdline_len + 1) {
            r[0] = E_INVAL;             /* too small */
        } else if (!user_buffer_ok(t, r[0], cmdline_len + 1, 1)) {
            r[0] = E_FAULT;
        } else {
            memcpy((void *)r[0], cmdline, cmdline_len + 1);
            r[0] = cmdline_len;
        }
        break;
    case SYS_INFO:
        r[0] = info(t, r[0]);
        break;
    default:
        r[0] = E_INVAL;
    }
}
