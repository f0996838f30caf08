/*
 * Time on the virt board: the clock behind the generic timer and the RTC, the device
 * deadlines that bound how long the CPU may run, and waiting in WFI.
 *
 * Two clocks, chosen by -icount:
 *  - default: the host's monotonic clock (as QEMU without -icount);
 *  - -icount shift=N: 2^N ns per guest instruction, counted exactly (also inside a
 *    helper, see arm_cpu_insns_now), plus the time skipped while the CPU waited in WFI.
 *    A run is then repeatable: every engine takes every timer interrupt after the same
 *    instruction. The run loop stops the CPU exactly at the next timer deadline
 *    (machine_slice), so the interrupt line rises at that instruction boundary.
 *
 * The generic timer's counter runs at 62.5 MHz (QEMU's CNTFRQ): one tick per 16 ns.
 */
#include "devices/machine_internal.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <time.h>

#define NS_PER_TICK 16u          /* 1e9 / GTIMER_QEMU_FREQ_HZ */
/* Without -icount, how many instructions run between looks at the clock and the UART
 * input: bounds the interrupt latency (about a millisecond at a few hundred MIPS). */
#define REALTIME_SLICE 200000u
#define IDLE_SLICE 4000000u     /* nothing armed: only the UART input to poll */

static uint64_t host_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void machine_time_init(Machine *m)
{
    m->host_t0_ns = host_ns();
    m->warp_ns = 0;
}

uint64_t machine_time_ns(Machine *m)
{
    if (m->cfg.icount)
        return (arm_cpu_insns_now(&m->cpu) << m->cfg.icount_shift) + m->warp_ns;
    return host_ns() - m->host_t0_ns;
}

static uint64_t counter_now(Machine *m) { return machine_time_ns(m) / NS_PER_TICK; }

void machine_update_devices(Machine *m)
{
    if (m->timer)
        gtimer_update(m->timer, counter_now(m));
    if (m->rtc)
        pl031_poll(m->rtc);
    if (m->uart)
        pl011_poll_input(m->uart);
}

/* The virtual time of the next timer event, or UINT64_MAX. */
static uint64_t next_deadline_ns(Machine *m)
{
    if (!m->timer)
        return UINT64_MAX;
    uint64_t d = gtimer_next_deadline(m->timer, counter_now(m));
    if (d == UINT64_MAX || d > UINT64_MAX / NS_PER_TICK)
        return UINT64_MAX;
    return d * NS_PER_TICK;
}

uint64_t machine_slice(Machine *m)
{
    uint64_t deadline = next_deadline_ns(m);
    if (!m->cfg.icount)
        return deadline == UINT64_MAX ? IDLE_SLICE : REALTIME_SLICE;
    if (deadline == UINT64_MAX)
        return IDLE_SLICE;
    /* The first instruction count at which the clock reaches the deadline. */
    uint64_t now_insns = arm_cpu_insns_now(&m->cpu);
    unsigned shift = m->cfg.icount_shift;
    if (deadline <= m->warp_ns)
        return 1;
    uint64_t at = (deadline - m->warp_ns + (1ull << shift) - 1) >> shift;
    if (at <= now_insns)
        return 1;
    uint64_t n = at - now_insns;
    return n < IDLE_SLICE ? n : IDLE_SLICE;
}

/* Wait up to timeout_ns (UINT64_MAX: for ever) for UART input. False if there is none
 * to wait for and no timeout. */
static bool wait_input(Machine *m, uint64_t timeout_ns)
{
    int fd = m->uart ? pl011_input_fd(m->uart) : -1;
    if (fd < 0 && timeout_ns == UINT64_MAX)
        return false;
    struct pollfd p = { .fd = fd, .events = POLLIN };
    int ms = timeout_ns == UINT64_MAX ? -1
             : timeout_ns / 1000000u > 1000 ? 1000
                                            : (int)((timeout_ns + 999999u) / 1000000u);
    if (fd < 0) {
        struct timespec ts = { (time_t)(timeout_ns / 1000000000u), (long)(timeout_ns % 1000000000u) };
        if (timeout_ns > 1000000000u)
            ts = (struct timespec){ 1, 0 };
        nanosleep(&ts, NULL);
        return true;
    }
    int r = poll(&p, 1, ms);
    if (r < 0 && errno != EINTR)
        return false;
    return true;
}

bool machine_wait(Machine *m)
{
    m->wfi_waits++;
    uint64_t deadline = next_deadline_ns(m);
    uint64_t now = machine_time_ns(m);
    if (m->cfg.icount) {
        if (deadline == UINT64_MAX) {
            if (!wait_input(m, UINT64_MAX))
                goto stuck;
        } else {
            if (deadline > now) {
                if (m->cfg.icount_sleep)
                    wait_input(m, deadline - now);
                m->warp_ns += deadline - now; /* the virtual clock jumps to the deadline */
            }
        }
    } else if (deadline == UINT64_MAX) {
        if (!wait_input(m, UINT64_MAX))
            goto stuck;
    } else if (deadline > now) {
        wait_input(m, deadline - now);
    }
    machine_update_devices(m);
    return true;
stuck:
    fprintf(stderr,
            "armvm: the guest waits for an interrupt (WFI) that nothing can raise (no timer "
            "armed, no console input); stopping after %llu guest instructions\n",
            (unsigned long long)m->cpu.icount);
    return false;
}

/* CP15 c14 encodings of the generic timer (ARM ARM B4.1.21-B4.1.34, Table B3-42). */
static bool gtimer_reg_of(unsigned opc1, unsigned crm, unsigned opc2, bool is64, GtimerReg *reg)
{
    if (is64) {
        switch (opc1) {
        case 0: *reg = GTIMER_CNTPCT; return true;
        case 1: *reg = GTIMER_CNTVCT; return true;
        case 2: *reg = GTIMER_CNTP_CVAL; return true;
        case 3: *reg = GTIMER_CNTV_CVAL; return true;
        default: return false; /* CNTVOFF, CNTHP_CVAL: PL2 only, no PL2 here */
        }
    }
    if (opc1 != 0)
        return false;
    switch (crm << 4 | opc2) {
    case 0x00: *reg = GTIMER_CNTFRQ; return true;
    case 0x10: *reg = GTIMER_CNTKCTL; return true;
    case 0x20: *reg = GTIMER_CNTP_TVAL; return true;
    case 0x21: *reg = GTIMER_CNTP_CTL; return true;
    case 0x30: *reg = GTIMER_CNTV_TVAL; return true;
    case 0x31: *reg = GTIMER_CNTV_CTL; return true;
    default: return false;
    }
}

bool machine_gtimer_access(void *opaque, ArmCpu *cpu, unsigned opc1, unsigned crm, unsigned opc2,
                           bool is64, bool read, uint64_t *value)
{
    Machine *m = opaque;
    GtimerReg reg;
    if (!m->timer || !gtimer_reg_of(opc1, crm, opc2, is64, &reg))
        return false;
    if (!arm_cpu_privileged(cpu)) {
        if (reg == GTIMER_CNTKCTL || !gtimer_user_access_ok(m->timer, reg, !read))
            return false;
    }
    uint64_t now = counter_now(m);
    if (read)
        return gtimer_read(m->timer, reg, now, value);
    if (reg == GTIMER_CNTPCT || reg == GTIMER_CNTVCT)
        return false; /* read-only: UNDEFINED to write */
    if (!gtimer_write(m->timer, reg, now, *value))
        return false;
    gtimer_update(m->timer, now);
    /* A new deadline: the run loop must recompute how far the CPU may run. */
    cpu->yield_request = 1;
    cpu->code_written = 1;
    return true;
}
