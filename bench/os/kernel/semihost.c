/*
 * semihost.c - the two ARM semihosting calls the kernel needs: the command
 * line (the run's parameters) and the exit at the end of the run.  The
 * emulator intercepts "SVC #0x123456" executed in a privileged mode.
 */
#include "kernel.h"

#define SYS_GET_CMDLINE             0x15
#define SYS_EXIT_SEMIHOSTING        0x18
#define SYS_EXIT_EXTENDED           0x20
#define ADP_Stopped_ApplicationExit 0x20026u

static u32 semihost(u32 op, void *arg)
{
    register u32 r0 __asm__("r0") = op;
    register void *r1 __asm__("r1") = arg;
    __asm__ volatile("svc 0x123456" : "+r"(r0) : "r"(r1) : "memory", "lr");
    return r0;
}

/* The command line, NUL-terminated; returns its length or -1. */
int semihost_cmdline(char *buf, u32 size)
{
    u32 block[2] = { (u32)buf, size };
    buf[0] = 0;
    if (semihost(SYS_GET_CMDLINE, block) != 0)
        return -1;
    if (block[1] >= size)
        block[1] = size - 1;
    buf[block[1]] = 0;
    return block[1];
}

/* Ends the run: status 0 as a plain successful exit, anything else through
 * SYS_EXIT_EXTENDED, which passes the status on as the emulator's own. */
void semihost_exit(u32 status)
{
    static u32 block[2];
    for (;;) {
        if (status == 0) {
            semihost(SYS_EXIT_SEMIHOSTING, (void *)ADP_Stopped_ApplicationExit);
        } else {
            block[0] = ADP_Stopped_ApplicationExit;
            block[1] = status;
            semihost(SYS_EXIT_EXTENDED, block);
        }
    }
}
