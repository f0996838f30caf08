/*
 * exceptions.c - aborts and undefined instructions from user mode (the
 * pager resolves translation faults in a task's regions; anything else
 * kills the task), and faults in the kernel itself (a bug: stop).
 */
#include "kernel.h"

#define DFSR()  MRC(0, c5, c0, 0)
#define DFAR()  MRC(0, c6, c0, 0)
#define IFSR()  MRC(0, c5, c0, 1)
#define IFAR()  MRC(0, c6, c0, 2)
#define FSR_STATUS(fsr)  (((fsr) >> 6 & 0x10) | ((fsr) & 0xf))     /* FS[4:0] */
#define DFSR_WNR         (1u << 11)                                 /* a write */

static const char *fault_name(u32 status)
{
    switch (status) {
    case 0x01: return "alignment fault";
    case 0x05: case 0x07: return "translation fault";
    case 0x03: case 0x06: return "access flag fault";
    case 0x09: case 0x0b: return "domain fault";
    case 0x0d: case 0x0f: return "permission fault";
    case 0x08: return "external abort";
    default: return "abort";
    }
}

static int translation_fault(u32 status) { return status == 0x05 || status == 0x07; }

/* Kills t after an abort the pager did not resolve (err: E_FAULT or E_NOMEM). */
static void abort_kill(struct task *t, const char *what, u32 status, int write, int err,
                       u32 addr, u32 killed)
{
    char why[96];
    snformat(why, sizeof why, "%s (%s%s)", what,
             err == E_NOMEM ? "out of memory" :
             translation_fault(status) ? "nothing may be mapped there" : fault_name(status),
             write ? ", write" : "");
    task_kill(t, err == E_NOMEM ? KILLED_NOMEM : killed, why, t->ctx.pc, addr);
}

void data_abort(struct task *t)
{
    u32 dfsr = DFSR(), dfar = DFAR();
    u32 status = FSR_STATUS(dfsr);
    int write = (dfsr & DFSR_WNR) != 0;
    int err = E_FAULT;
    if (translation_fault(status)) {
        err = pager_fault(t, dfar, write, 0);
        if (!err)
            return;                     /* mapped: the instruction runs again */
    }
    abort_kill(t, "data abort", status, write, err, dfar, KILLED_DABT);
}

void prefetch_abort(struct task *t)
{
    u32 ifsr = IFSR(), ifar = IFAR();
    u32 status = FSR_STATUS(ifsr);
    int err = E_FAULT;
    if (translation_fault(status)) {
        err = pager_fault(t, ifar, 0, 1);
        if (!err)
            return;
    }
    abort_kill(t, "prefetch abort", status, 0, err, ifar, KILLED_PABT);
}

void undefined_instruction(struct task *t)
{
    task_kill(t, KILLED_UNDEF, "undefined instruction", t->ctx.pc, t->ctx.pc);
}

/* From entry.S: an exception taken in a privileged mode. */
void kernel_fault(u32 kind, u32 pc, u32 spsr)
{
    static const char *const names[] = { "svc", "irq", "data abort", "prefetch abort",
                                         "undefined instruction" };
    panic("%s in the kernel at pc 0x%08x, spsr 0x%08x, dfsr 0x%x dfar 0x%08x ifsr 0x%x ifar 0x%08x",
          kind < ARRAY_SIZE(names) ? names[kind] : "unexpected exception", pc, spsr, DFSR(),
          DFAR(), IFSR(), IFAR());
}
