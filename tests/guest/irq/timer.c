/*
 * ARM generic timer (ARM ARM B8) through CP15 and the GIC: CNTFRQ (QEMU's
 * "virt": 62.5 MHz), CNTPCT and CNTVCT (monotonic, advancing, CNTVOFF = 0
 * without EL2), CVAL/TVAL of the virtual and the non-secure physical timer
 * (TVAL = CVAL - count, signed), ENABLE/IMASK/ISTATUS, the timer outputs as
 * the level-sensitive PPIs 27 (virtual) and 30 (physical) in the GIC,
 * interrupts taken and handled, WFI woken by the timer interrupt (with
 * CPSR.I clear: the IRQ is taken with LR_irq = the WFI + 8; with CPSR.I set:
 * WFI returns and the IRQ is taken once unmasked), ten interrupts from a
 * handler that re-arms the timer, and CNTKCTL's control of PL0 access.
 *
 * Nothing printed depends on how fast time runs: only relations between
 * counter values are checked.  Run with "-icount shift=0,sleep=off" for a
 * deterministic instruction count (virtual time).
 */
#include "it.h"

#define WAIT 1000000u

static u64 vct(void) { mt_isb(); return it_cntvct(); }
static u64 pct(void) { mt_isb(); return it_cntpct(); }

static void counters(void)
{
    gt_check("cntfrq", it_cntfrq(), 62500000u);
    u64 p1 = pct(), v = vct(), p2 = pct();
    it_check_true("cntvct-between-cntpct", p1 <= v && v <= p2, "CNTVCT outside [CNTPCT, CNTPCT]");
    int mono = 1;
    u64 last = vct(), lastp = pct();
    for (int i = 0; i < 200; i++) {
        u64 now = vct(), nowp = pct();
        if (now < last || nowp < lastp)
            mono = 0;
        last = now;
        lastp = nowp;
    }
    it_check_true("counters-monotonic", mono, "a counter went backwards");
    u64 before = pct();
    for (volatile u32 i = 0; i < 20000; i++)
        ;
    it_check_true("cntpct-advances", pct() > before, "CNTPCT did not advance");
    it_check_true("cntvct-advances", vct() > v, "CNTVCT did not advance");
}

/* CVAL/TVAL/CTL of one timer; phys selects CNTP_* */
static void set_ctl(int phys, u32 v) { if (phys) it_set_cntp_ctl(v); else it_set_cntv_ctl(v); mt_isb(); }
static u32 ctl(int phys) { mt_isb(); return phys ? it_cntp_ctl() : it_cntv_ctl(); }
static void set_cval(int phys, u64 v) { if (phys) it_set_cntp_cval(v); else it_set_cntv_cval(v); mt_isb(); }
static u64 cval(int phys) { return phys ? it_cntp_cval() : it_cntv_cval(); }
static void set_tval(int phys, u32 v) { if (phys) it_set_cntp_tval(v); else it_set_cntv_tval(v); mt_isb(); }
static u32 tval(int phys) { mt_isb(); return phys ? it_cntp_tval() : it_cntv_tval(); }
static u64 now(int phys) { return phys ? pct() : vct(); }

static void registers(int phys)
{
    char name[48];
    const char *t = phys ? "ptimer" : "vtimer";
    u32 ppi = phys ? PPI_PTIMER : PPI_VTIMER;

#define N(s) (gt_snprintf(name, sizeof name, "%s-%s", t, s), name)
    set_ctl(phys, CNT_IMASK);
    gt_check(N("ctl-disabled-imask"), ctl(phys) & 3, CNT_IMASK);
    u64 t0 = now(phys);
    set_cval(phys, t0 + 0x40000000u);                   /* 17 s ahead */
    gt_check(N("cval-readback"), (u32)(cval(phys) - t0), 0x40000000u);
    s32 tv = (s32)tval(phys);
    it_check_true(N("tval-is-cval-minus-count"), tv > 0 && tv <= 0x40000000,
                  "TVAL out of range");
    u64 a = now(phys);
    set_tval(phys, 0x200000);
    u64 b = now(phys);
    u64 c = cval(phys);
    it_check_true(N("tval-write-sets-cval"), c >= a + 0x200000 && c <= b + 0x200000,
                  "CVAL != count + TVAL");
    set_cval(phys, now(phys) - 5000);
    it_check_true(N("tval-negative-after-cval"), (s32)tval(phys) <= -5000,
                  "TVAL not negative");
    /* condition met, masked: ISTATUS, no interrupt signalled */
    set_cval(phys, 0);
    set_ctl(phys, CNT_ENABLE | CNT_IMASK);
    gt_check(N("ctl-met-masked"), ctl(phys), CNT_ENABLE | CNT_IMASK | CNT_ISTATUS);
    gt_check(N("ppi-masked-not-pending"), it_gic_pending(ppi), 0);
    set_ctl(phys, CNT_ENABLE);
    gt_check(N("ctl-met-unmasked"), ctl(phys), CNT_ENABLE | CNT_ISTATUS);
    gt_check(N("ppi-pending"), it_gic_pending(ppi), 1);
    /* condition no longer met: ISTATUS and the PPI drop */
    set_cval(phys, now(phys) + 0x1000000000ull);         /* 18 min ahead */
    gt_check(N("ctl-not-met"), ctl(phys), CNT_ENABLE);
    gt_check(N("ppi-not-pending"), it_gic_pending(ppi), 0);
    set_cval(phys, 0);
    gt_check(N("ctl-met-again"), ctl(phys), CNT_ENABLE | CNT_ISTATUS);
    set_ctl(phys, 0);
    gt_check(N("ppi-disabled-not-pending"), it_gic_pending(ppi), 0);
#undef N
}

/* ---- interrupts ----------------------------------------------------------- */
static volatile u32 hook_istatus, hook_rearms, hook_limit, hook_period, hook_bad_delta;
static volatile u64 hook_last;

/* disable whichever timer interrupted, noting that ISTATUS was set */
static void hook_stop(u32 iar)
{
    u32 id = iar & 0x3ff;
    if (id == PPI_VTIMER) {
        hook_istatus = it_cntv_ctl();
        it_set_cntv_ctl(0);
    } else if (id == PPI_PTIMER) {
        hook_istatus = it_cntp_ctl();
        it_set_cntp_ctl(0);
    }
    mt_isb();
}

/* re-arm the virtual timer until hook_limit interrupts were taken */
static void hook_rearm(u32 iar)
{
    if ((iar & 0x3ff) != PPI_VTIMER)
        return;
    u64 t = it_cntvct();
    if (hook_rearms && t - hook_last < hook_period)
        hook_bad_delta++;
    hook_last = t;
    if (++hook_rearms < hook_limit)
        it_set_cntv_tval(hook_period);
    else
        it_set_cntv_ctl(0);
    mt_isb();
}

static void wait_irqs(u32 n)
{
    for (u32 i = 0; i < WAIT && it.count < n; i++)
        it_wfi();
}

static void interrupts(int phys)
{
    char name[48];
    const char *t = phys ? "ptimer" : "vtimer";
    u32 ppi = phys ? PPI_PTIMER : PPI_VTIMER;
#define N(s) (gt_snprintf(name, sizeof name, "%s-%s", t, s), name)
    it_reset();
    it.hook = hook_stop;
    hook_istatus = 0;
    it_gic_enable(ppi);
    set_tval(phys, 2000);
    set_ctl(phys, CNT_ENABLE);
    it_irq_on();
    wait_irqs(1);
    it_irq_off();
    gt_check(N("irq-count"), it.count, 1);
    gt_check(N("irq-id"), it.ids[0], ppi);
    gt_check(N("irq-istatus-in-handler"), hook_istatus, CNT_ENABLE | CNT_ISTATUS);
    gt_check(N("irq-spsr-svc"), it.spsr & 0x1f, M_SVC);
    gt_check(N("irq-ppi-inactive"), it_gic_active(ppi), 0);
    it_gic_disable(ppi);
#undef N
}

static void wfi_tests(void)
{
    it_gic_enable(PPI_VTIMER);
    it_gic_enable(PPI_PTIMER);

    /* CPSR.I clear: WFI, then the IRQ; LR_irq = address of the WFI + 8.
     * The virtual timer fires 20 ms after it is armed (time enough to reach
     * the WFI even on a loaded host without -icount); the physical timer is
     * a backstop 2 s later that should never fire. */
    it_reset();
    it.hook = hook_stop;
    set_tval(0, 1250000);                 /* 20 ms */
    set_ctl(0, CNT_ENABLE);
    set_tval(1, 125000000);               /* 2 s */
    set_ctl(1, CNT_ENABLE);
    it_irq_on();
    it_wfi_at_label();
    it_irq_off();
    set_ctl(1, 0);
    gt_check("wfi-unmasked-irq-count", it.count, 1);
    gt_check("wfi-unmasked-irq-id", it.ids[0], PPI_VTIMER);
    gt_check("wfi-unmasked-lr-irq", it.lr - (u32)it_wfi_insn, 8);

    /* CPSR.I set: WFI wakes up on the pending interrupt, which is taken
     * only after CPSIE */
    it_reset();
    it.hook = hook_stop;
    set_tval(0, 3000);
    set_ctl(0, CNT_ENABLE);
    for (u32 i = 0; i < WAIT && !it_gic_pending(PPI_VTIMER); i++)
        it_wfi();
    gt_check("wfi-masked-woke-pending", it_gic_pending(PPI_VTIMER), 1);
    gt_check("wfi-masked-istatus", ctl(0), CNT_ENABLE | CNT_ISTATUS);
    gt_check("wfi-masked-not-taken", it.count, 0);
    it_irq_on();
    it_wait_count(1, 100000);
    it_irq_off();
    gt_check("wfi-masked-taken-after-cpsie", it.count << 16 | it.ids[0], 0x10000 | PPI_VTIMER);

    /* ten interrupts, the handler re-arming the timer */
    it_reset();
    hook_rearms = 0;
    hook_limit = 10;
    hook_period = 4000;
    hook_bad_delta = 0;
    it.hook = hook_rearm;
    set_tval(0, hook_period);
    set_ctl(0, CNT_ENABLE);
    it_irq_on();
    wait_irqs(10);
    /* a little longer: no eleventh */
    u64 until = vct() + 5 * hook_period;
    while (vct() < until)
        ;
    it_irq_off();
    gt_check("rearm-count", it.count, 10);
    u32 all27 = 1;
    for (u32 i = 0; i < it.nids && i < 10; i++)
        if (it.ids[i] != PPI_VTIMER)
            all27 = 0;
    gt_check("rearm-all-vtimer", all27, 1);
    gt_check("rearm-period-respected", hook_bad_delta, 0);
    gt_check("rearm-timer-off", ctl(0) & CNT_ENABLE, 0);
    it_gic_disable(PPI_VTIMER);
    it_gic_disable(PPI_PTIMER);
}

/* ---- CNTKCTL: PL0 access --------------------------------------------------- */
static u32 u_cntvct(u32 a, u32 b) { (void)a; (void)b; return (u32)it_cntvct() | 1; }
static u32 u_cntpct(u32 a, u32 b) { (void)a; (void)b; return (u32)it_cntpct() | 1; }
static u32 u_cntfrq(u32 a, u32 b) { (void)a; (void)b; return it_cntfrq(); }
static u32 u_cntv_ctl(u32 a, u32 b) { (void)a; (void)b; return it_cntv_ctl() | 0x100; }

static void pl0_case(const char *name, u32 (*fn)(u32, u32), int allowed)
{
    mt_clear();
    mt_user_call(fn, 0, 0);
    gt_check(name, mt_trap.count == 1 && mt_trap.vector == 1 ? 0 : mt_trap.count == 0 ? 1 : 99,
             allowed ? 1 : 0);
}

static void pl0_access(void)
{
    it_set_cntkctl(0);
    mt_isb();
    gt_check("cntkctl-zero", it_cntkctl() & 0x303, 0);
    pl0_case("pl0-cntvct-denied", u_cntvct, 0);
    pl0_case("pl0-cntpct-denied", u_cntpct, 0);
    pl0_case("pl0-cntfrq-denied", u_cntfrq, 0);
    pl0_case("pl0-cntv-ctl-denied", u_cntv_ctl, 0);
    it_set_cntkctl(2);                    /* PL0VCTEN */
    mt_isb();
    pl0_case("pl0-cntvct-vcten", u_cntvct, 1);
    pl0_case("pl0-cntpct-vcten-denied", u_cntpct, 0);
    pl0_case("pl0-cntfrq-vcten", u_cntfrq, 1);
    gt_check("pl0-cntfrq-value", mt_user_call(u_cntfrq, 0, 0), 62500000u);
    it_set_cntkctl(1);                    /* PL0PCTEN */
    mt_isb();
    pl0_case("pl0-cntpct-pcten", u_cntpct, 1);
    pl0_case("pl0-cntvct-pcten-denied", u_cntvct, 0);
    it_set_cntkctl(0x100);                /* PL0VTEN */
    mt_isb();
    pl0_case("pl0-cntv-ctl-vten", u_cntv_ctl, 1);
    it_set_cntkctl(0);
}

int main(void)
{
    mt_install();
    it_install();
    if (!it_gic_present())
        return gt_finish();
    it_gic_init();
    it_gic_set_prio(PPI_VTIMER, 0xa0);
    it_gic_set_prio(PPI_PTIMER, 0xa0);
    counters();
    if (gt_failures)                      /* no usable counter: stop here */
        return gt_finish();
    registers(0);
    registers(1);
    interrupts(0);
    interrupts(1);
    wfi_tests();
    pl0_access();
    return gt_finish();
}
