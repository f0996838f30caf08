/*
 * ARM Generic Timer: counters, the physical and virtual PL1 timers, CNTKCTL access
 * control. ARM ARM (DDI 0406C) B8.1 (the Generic Timer), B8.1.5 (timers), B4.1.21-35
 * (register descriptions); behaviour checked against QEMU 7.2 (target/arm/helper.c,
 * gt_* functions): CNTKCTL and CNTFRQ store all 32 bits written, CTL stores
 * ENABLE|IMASK, ISTATUS is 0 while a timer is disabled, TVAL reads the low 32 bits of
 * CVAL - count whether or not the timer is enabled.
 */
#include "devices/gtimer.h"

#include <stdlib.h>

typedef struct GtimerTimer {
    uint32_t ctl;    /* ENABLE | IMASK as written */
    uint64_t cval;
    bool output;     /* level last reported */
} GtimerTimer;

struct GenericTimer {
    uint32_t reset_freq;
    uint32_t cntfrq;
    uint32_t cntkctl;
    uint64_t cntvoff;
    GtimerTimer timer[GTIMER_NUM_TIMERS];
    GtimerOutputFn out_fn;
    void *out_opaque;
};

static const unsigned gtimer_ppi[GTIMER_NUM_TIMERS] = { GTIMER_PPI_PHYS, GTIMER_PPI_VIRT };

/* The count a timer compares against: CNTPCT, or CNTVCT = CNTPCT - CNTVOFF (B8.1.2). */
static uint64_t timer_count(const GenericTimer *t, GtimerId id, uint64_t now)
{
    return id == GTIMER_VIRT ? now - t->cntvoff : now;
}

/* ISTATUS (B8.1.5): the timer condition is met when count >= CVAL (an unsigned
 * comparison, as QEMU), and is reported only while the timer is enabled. */
static bool timer_istatus(const GenericTimer *t, GtimerId id, uint64_t now)
{
    const GtimerTimer *tm = &t->timer[id];
    return (tm->ctl & GTIMER_CTL_ENABLE) && timer_count(t, id, now) >= tm->cval;
}

static bool timer_level(const GenericTimer *t, GtimerId id, uint64_t now)
{
    return timer_istatus(t, id, now) && !(t->timer[id].ctl & GTIMER_CTL_IMASK);
}

static void timer_update(GenericTimer *t, GtimerId id, uint64_t now)
{
    bool level = timer_level(t, id, now);
    if (level == t->timer[id].output)
        return;
    t->timer[id].output = level;
    if (t->out_fn)
        t->out_fn(t->out_opaque, gtimer_ppi[id], level);
}

GenericTimer *gtimer_create(uint32_t freq_hz)
{
    GenericTimer *t = calloc(1, sizeof(*t));
    if (!t)
        return NULL;
    t->reset_freq = freq_hz;
    gtimer_reset(t);
    return t;
}

void gtimer_destroy(GenericTimer *t)
{
    free(t);
}

void gtimer_reset(GenericTimer *t)
{
    t->cntfrq = t->reset_freq;
    t->cntkctl = 0;
    t->cntvoff = 0;
    for (int i = 0; i < GTIMER_NUM_TIMERS; i++) {
        t->timer[i].ctl = 0;
        t->timer[i].cval = 0;
        timer_update(t, (GtimerId)i, 0); /* disabled: the output goes low */
    }
}

void gtimer_set_output(GenericTimer *t, GtimerOutputFn fn, void *opaque)
{
    t->out_fn = fn;
    t->out_opaque = opaque;
    if (fn)
        for (int i = 0; i < GTIMER_NUM_TIMERS; i++)
            fn(opaque, gtimer_ppi[i], t->timer[i].output);
}

/* Which timer a CTL/CVAL/TVAL register belongs to, or -1. */
static int reg_timer(GtimerReg reg)
{
    switch (reg) {
    case GTIMER_CNTP_CTL: case GTIMER_CNTP_CVAL: case GTIMER_CNTP_TVAL: return GTIMER_PHYS;
    case GTIMER_CNTV_CTL: case GTIMER_CNTV_CVAL: case GTIMER_CNTV_TVAL: return GTIMER_VIRT;
    default: return -1;
    }
}

bool gtimer_read(const GenericTimer *t, GtimerReg reg, uint64_t now, uint64_t *value)
{
    int id = reg_timer(reg);
    switch (reg) {
    case GTIMER_CNTFRQ: *value = t->cntfrq; return true;
    case GTIMER_CNTPCT: *value = now; return true;
    case GTIMER_CNTVCT: *value = now - t->cntvoff; return true;
    case GTIMER_CNTKCTL: *value = t->cntkctl; return true;
    case GTIMER_CNTVOFF: *value = t->cntvoff; return true;
    case GTIMER_CNTP_CTL:
    case GTIMER_CNTV_CTL:
        *value = t->timer[id].ctl |
                 (timer_istatus(t, (GtimerId)id, now) ? GTIMER_CTL_ISTATUS : 0);
        return true;
    case GTIMER_CNTP_CVAL:
    case GTIMER_CNTV_CVAL:
        *value = t->timer[id].cval;
        return true;
    case GTIMER_CNTP_TVAL:
    case GTIMER_CNTV_TVAL:
        /* TVAL (B4.1.29): the signed 32-bit down-counter CVAL - count. */
        *value = (uint32_t)(t->timer[id].cval - timer_count(t, (GtimerId)id, now));
        return true;
    default:
        return false;
    }
}

bool gtimer_write(GenericTimer *t, GtimerReg reg, uint64_t now, uint64_t value)
{
    int id = reg_timer(reg);
    switch (reg) {
    case GTIMER_CNTFRQ: t->cntfrq = (uint32_t)value; return true;
    case GTIMER_CNTKCTL: t->cntkctl = (uint32_t)value; return true;
    case GTIMER_CNTVOFF:
        t->cntvoff = value;
        timer_update(t, GTIMER_VIRT, now);
        return true;
    case GTIMER_CNTP_CTL:
    case GTIMER_CNTV_CTL:
        t->timer[id].ctl = (uint32_t)value & (GTIMER_CTL_ENABLE | GTIMER_CTL_IMASK);
        break;
    case GTIMER_CNTP_CVAL:
    case GTIMER_CNTV_CVAL:
        t->timer[id].cval = value;
        break;
    case GTIMER_CNTP_TVAL:
    case GTIMER_CNTV_TVAL:
        /* Writing TVAL sets CVAL = count + SignExtend(TVAL) (B4.1.29). */
        t->timer[id].cval = timer_count(t, (GtimerId)id, now) +
                            (uint64_t)(int64_t)(int32_t)(uint32_t)value;
        break;
    default:
        return false; /* CNTPCT, CNTVCT are read-only */
    }
    timer_update(t, (GtimerId)id, now);
    return true;
}

/* PL0 access control (B8.1.2 "Accessing the counters and timers", B4.1.26 CNTKCTL):
 * CNTFRQ is readable when either counter is; counters and timers each have an enable
 * bit; CNTKCTL, CNTVOFF and writes to CNTFRQ are never available at PL0. */
bool gtimer_user_access_ok(const GenericTimer *t, GtimerReg reg, bool is_write)
{
    uint32_t k = t->cntkctl;
    switch (reg) {
    case GTIMER_CNTFRQ:
        return !is_write && (k & (GTIMER_KCTL_PL0PCTEN | GTIMER_KCTL_PL0VCTEN));
    case GTIMER_CNTPCT: return !is_write && (k & GTIMER_KCTL_PL0PCTEN);
    case GTIMER_CNTVCT: return !is_write && (k & GTIMER_KCTL_PL0VCTEN);
    case GTIMER_CNTP_CTL: case GTIMER_CNTP_CVAL: case GTIMER_CNTP_TVAL:
        return (k & GTIMER_KCTL_PL0PTEN) != 0;
    case GTIMER_CNTV_CTL: case GTIMER_CNTV_CVAL: case GTIMER_CNTV_TVAL:
        return (k & GTIMER_KCTL_PL0VTEN) != 0;
    default:
        return false;
    }
}

void gtimer_update(GenericTimer *t, uint64_t now)
{
    for (int i = 0; i < GTIMER_NUM_TIMERS; i++)
        timer_update(t, (GtimerId)i, now);
}

/* The next counter value at which an output changes. With the count rising one per
 * tick, an enabled, unmasked timer whose condition is not yet met fires after
 * CVAL - count ticks; past the end of the 64-bit counter is "never". */
uint64_t gtimer_next_deadline(const GenericTimer *t, uint64_t now)
{
    uint64_t best = UINT64_MAX;
    for (int i = 0; i < GTIMER_NUM_TIMERS; i++) {
        const GtimerTimer *tm = &t->timer[i];
        if (timer_level(t, (GtimerId)i, now) != tm->output)
            return now;
        if ((tm->ctl & (GTIMER_CTL_ENABLE | GTIMER_CTL_IMASK)) != GTIMER_CTL_ENABLE)
            continue;
        uint64_t count = timer_count(t, (GtimerId)i, now);
        if (count >= tm->cval)
            continue; /* already met: the output stays high until a register write */
        uint64_t delta = tm->cval - count;
        uint64_t at = delta > UINT64_MAX - now ? UINT64_MAX : now + delta;
        if (at < best)
            best = at;
    }
    return best;
}

bool gtimer_output(const GenericTimer *t, GtimerId which)
{
    return which < GTIMER_NUM_TIMERS && t->timer[which].output;
}
