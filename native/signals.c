/*
 * The SIGSEGV/SIGBUS handler of the fast path: a fault inside a sandbox of the thread's
 * active space is a guest page fault, handed to the engine's resolver; anything else is
 * a real crash of armvm, reported as such and then left to the previous handler (or the
 * default action: a core dump).
 */
#include "native/native.h"

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <ucontext.h>
#include <unistd.h>

static __thread NativeSpace *active_space;
static __thread NativeResolveFn active_resolve;
static __thread void *active_opaque;

/* Set once by native_signals_install, before any fault can reach the handler. */
static struct sigaction previous[2];

void native_set_active(NativeSpace *ns, NativeResolveFn resolve, void *opaque)
{
    active_space = ns;
    active_resolve = resolve;
    active_opaque = opaque;
}

/* write(2) only: this runs in a signal handler. */
static void say(const char *s)
{
    ssize_t r = write(STDERR_FILENO, s, strlen(s));
    (void)r;
}

static void say_hex(uintptr_t v)
{
    char buf[2 + 16 + 1];
    buf[0] = '0';
    buf[1] = 'x';
    for (int k = 0; k < 16; k++)
        buf[2 + k] = "0123456789abcdef"[(v >> (60 - 4 * k)) & 15];
    buf[18] = 0;
    say(buf);
}

static void on_fault(int sig, siginfo_t *info, void *ucv)
{
    ucontext_t *uc = ucv;
    NativeFault f;
    if (active_space &&
        native_fault_lookup(active_space, info->si_addr, &f.sb, &f.va, &f.guard)) {
        /* x86-64 page-fault error code, bit 1: the access was a write. */
        f.write = (uc->uc_mcontext.gregs[REG_ERR] & 2) != 0;
        f.pc = (uintptr_t *)&uc->uc_mcontext.gregs[REG_RIP];
        if (active_resolve && active_resolve(active_opaque, &f))
            return; /* retried, or continued where the resolver said */
    }
    say("armvm: internal error: ");
    say(sig == SIGBUS ? "bus error" : "segmentation fault");
    say(" at host address ");
    say_hex((uintptr_t)info->si_addr);
    say(" (not a guest access: a bug in armvm)\n");
    /* Let the previous handler (or the default action) deal with it when the faulting
     * instruction runs again. */
    sigaction(sig, &previous[sig == SIGBUS], NULL);
}

int native_signals_install(char *err, size_t errlen)
{
    static bool installed; /* once per process: `previous` must stay the one before us */
    if (installed)
        return 0;
    struct sigaction sa;
    memset(&sa, 0, sizeof sa);
    sa.sa_sigaction = on_fault;
    sa.sa_flags = SA_SIGINFO | SA_NODEFER;
    sigemptyset(&sa.sa_mask);
    if (sigaction(SIGSEGV, &sa, &previous[0]) != 0 || sigaction(SIGBUS, &sa, &previous[1]) != 0) {
        snprintf(err, errlen, "native: cannot install the fault handler");
        return -1;
    }
    installed = true;
    return 0;
}
