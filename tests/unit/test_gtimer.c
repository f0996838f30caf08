/*
 * Generic timer: reset values, counters, CTL/CVAL/TVAL arithmetic (signed TVAL, wrap),
 * ENABLE/IMASK/ISTATUS, the virtual offset, the output callback, next_deadline and the
 * CNTKCTL user-access rules.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/gtimer.h"

static GenericTimer *gt;
static int calls[32];
static bool level[32];

static void on_output(void *opaque, unsigned intid, bool lvl)
{
    ck_assert_ptr_eq(opaque, &gt);
    ck_assert(intid == GTIMER_PPI_PHYS || intid == GTIMER_PPI_VIRT);
    calls[intid]++;
    level[intid] = lvl;
}

static void setup(void)
{
    gt = gtimer_create(GTIMER_QEMU_FREQ_HZ);
    ck_assert_ptr_nonnull(gt);
    for (int i = 0; i < 32; i++) {
        calls[i] = 0;
        level[i] = true;
    }
    gtimer_set_output(gt, on_output, &gt);
    ck_assert_int_eq(calls[30], 1); /* current levels reported at once */
    ck_assert_int_eq(calls[27], 1);
    ck_assert(!level[30] && !level[27]);
    calls[30] = calls[27] = 0;
}

static void teardown(void)
{
    gtimer_destroy(gt);
    gt = NULL;
}

static uint64_t rd(GtimerReg reg, uint64_t now)
{
    uint64_t v = 0xdeadbeef;
    ck_assert(gtimer_read(gt, reg, now, &v));
    return v;
}

static void wr(GtimerReg reg, uint64_t now, uint64_t v)
{
    ck_assert(gtimer_write(gt, reg, now, v));
}

START_TEST(test_reset_values)
{
    ck_assert_uint_eq(rd(GTIMER_CNTFRQ, 0), 62500000);
    ck_assert_uint_eq(rd(GTIMER_CNTKCTL, 0), 0);
    ck_assert_uint_eq(rd(GTIMER_CNTVOFF, 0), 0);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 0), 0);
    ck_assert_uint_eq(rd(GTIMER_CNTV_CTL, 0), 0);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 0);
    ck_assert_uint_eq(rd(GTIMER_CNTV_CVAL, 0), 0);
    /* TVAL = CVAL - count, low 32 bits, even while disabled (QEMU: 0xfffebe04 at 0x14200) */
    ck_assert_uint_eq(rd(GTIMER_CNTP_TVAL, 0x141fc), 0xfffebe04);
    ck_assert_uint_eq(rd(GTIMER_CNTPCT, 123456789012ull), 123456789012ull);
    ck_assert_uint_eq(rd(GTIMER_CNTVCT, 123456789012ull), 123456789012ull);
    ck_assert(!gtimer_output(gt, GTIMER_PHYS) && !gtimer_output(gt, GTIMER_VIRT));
    ck_assert_uint_eq(gtimer_next_deadline(gt, 0), UINT64_MAX);
}
END_TEST

START_TEST(test_register_masks)
{
    uint64_t v;
    /* CNTFRQ and CNTKCTL keep all 32 bits written (as QEMU) */
    wr(GTIMER_CNTFRQ, 0, 0x112345678ull);
    ck_assert_uint_eq(rd(GTIMER_CNTFRQ, 0), 0x12345678);
    wr(GTIMER_CNTKCTL, 0, 0xffffffffull);
    ck_assert_uint_eq(rd(GTIMER_CNTKCTL, 0), 0xffffffff);
    /* CTL: ENABLE and IMASK stored, ISTATUS computed */
    wr(GTIMER_CNTP_CTL, 100, 0xffffffff);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 100), 7); /* CVAL 0 <= 100: condition met */
    wr(GTIMER_CNTV_CTL, 100, 0xfffffffe);
    ck_assert_uint_eq(rd(GTIMER_CNTV_CTL, 100), 2); /* disabled: ISTATUS 0 */
    /* counters are read-only; unknown registers are refused */
    ck_assert(!gtimer_write(gt, GTIMER_CNTPCT, 0, 5));
    ck_assert(!gtimer_write(gt, GTIMER_CNTVCT, 0, 5));
    ck_assert(!gtimer_read(gt, GTIMER_NUM_REGS, 0, &v));
    ck_assert(!gtimer_write(gt, GTIMER_NUM_REGS, 0, 0));
    ck_assert(!gtimer_read(gt, (GtimerReg)-1, 0, &v));
    /* reset */
    gtimer_reset(gt);
    ck_assert_uint_eq(rd(GTIMER_CNTFRQ, 0), 62500000);
    ck_assert_uint_eq(rd(GTIMER_CNTKCTL, 0), 0);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 100), 0);
}
END_TEST

START_TEST(test_cval_istatus_imask)
{
    wr(GTIMER_CNTP_CVAL, 0, 1000);
    wr(GTIMER_CNTP_CTL, 10, 1);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 999), 1);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 1000), 5);
    ck_assert_int_eq(calls[30], 0);
    gtimer_update(gt, 999);
    ck_assert_int_eq(calls[30], 0);
    gtimer_update(gt, 1000);
    ck_assert_int_eq(calls[30], 1);
    ck_assert(level[30]);
    ck_assert(gtimer_output(gt, GTIMER_PHYS));
    gtimer_update(gt, 2000); /* no change, no call */
    ck_assert_int_eq(calls[30], 1);
    /* IMASK masks the output, not ISTATUS */
    wr(GTIMER_CNTP_CTL, 2000, 3);
    ck_assert_int_eq(calls[30], 2);
    ck_assert(!level[30]);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 2000), 7);
    wr(GTIMER_CNTP_CTL, 2000, 1);
    ck_assert(level[30]);
    /* moving CVAL into the future lowers the output at once */
    wr(GTIMER_CNTP_CVAL, 2000, 5000);
    ck_assert(!level[30]);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 2000), 1);
    /* disabling clears ISTATUS and the output */
    wr(GTIMER_CNTP_CVAL, 2000, 0);
    ck_assert(level[30]);
    wr(GTIMER_CNTP_CTL, 2000, 0);
    ck_assert(!level[30]);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CTL, 2000), 0);
    /* the virtual timer is independent and drives PPI 27 */
    ck_assert_int_eq(calls[27], 0);
    wr(GTIMER_CNTV_CVAL, 0, 10);
    wr(GTIMER_CNTV_CTL, 20, 1);
    ck_assert_int_eq(calls[27], 1);
    ck_assert(level[27]);
    ck_assert(!level[30]);
}
END_TEST

START_TEST(test_tval)
{
    /* TVAL write: CVAL = count + sign-extended value */
    wr(GTIMER_CNTP_TVAL, 1000, 500);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 1500);
    ck_assert_uint_eq(rd(GTIMER_CNTP_TVAL, 1200), 300);
    /* after the deadline TVAL goes negative */
    ck_assert_uint_eq(rd(GTIMER_CNTP_TVAL, 1600), (uint32_t)-100);
    wr(GTIMER_CNTP_TVAL, 1000, 0xffffff00u); /* -256 */
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 1000 - 256);
    wr(GTIMER_CNTP_TVAL, 1000, 0x7fffffffu);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 1000 + 0x7fffffffull);
    wr(GTIMER_CNTP_TVAL, 1000, 0x80000000u);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 1000 - 0x80000000ull);
    /* only the low 32 bits of a TVAL write count */
    wr(GTIMER_CNTP_TVAL, 1000, 0x500000010ull);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 1016);
    /* TVAL reads are the low 32 bits of a 64-bit difference */
    wr(GTIMER_CNTP_CVAL, 0, 0x100000005ull);
    ck_assert_uint_eq(rd(GTIMER_CNTP_TVAL, 0), 5);
    /* wrap of the 64-bit counter */
    uint64_t near_end = UINT64_MAX - 10;
    wr(GTIMER_CNTP_TVAL, near_end, 20);
    ck_assert_uint_eq(rd(GTIMER_CNTP_CVAL, 0), 9); /* wrapped */
    ck_assert_uint_eq(rd(GTIMER_CNTP_TVAL, near_end), 20);
    /* an enabled timer with TVAL <= 0 fires at once */
    wr(GTIMER_CNTP_TVAL, 5000, 0);
    wr(GTIMER_CNTP_CTL, 5000, 1);
    ck_assert(level[30]);
    wr(GTIMER_CNTP_TVAL, 5000, (uint32_t)-1);
    ck_assert(level[30]);
    wr(GTIMER_CNTP_TVAL, 5000, 1);
    ck_assert(!level[30]);
}
END_TEST

START_TEST(test_virtual_offset)
{
    wr(GTIMER_CNTVOFF, 0, 1000);
    ck_assert_uint_eq(rd(GTIMER_CNTVCT, 5000), 4000);
    ck_assert_uint_eq(rd(GTIMER_CNTPCT, 5000), 5000);
    wr(GTIMER_CNTV_TVAL, 5000, 100); /* virtual count 4000 + 100 */
    ck_assert_uint_eq(rd(GTIMER_CNTV_CVAL, 0), 4100);
    wr(GTIMER_CNTV_CTL, 5000, 1);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 5000), 5100);
    ck_assert_uint_eq(rd(GTIMER_CNTV_CTL, 5099), 1);
    ck_assert_uint_eq(rd(GTIMER_CNTV_CTL, 5100), 5);
    /* changing the offset moves the virtual count and updates the output */
    wr(GTIMER_CNTVOFF, 5000, 0);
    ck_assert(level[27]);
    /* the physical timer ignores CNTVOFF */
    wr(GTIMER_CNTVOFF, 5000, 1000);
    wr(GTIMER_CNTP_CVAL, 5000, 4500);
    wr(GTIMER_CNTP_CTL, 5000, 1);
    ck_assert(level[30]);
}
END_TEST

START_TEST(test_next_deadline)
{
    ck_assert_uint_eq(gtimer_next_deadline(gt, 100), UINT64_MAX);
    wr(GTIMER_CNTP_CVAL, 0, 1000);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 100), UINT64_MAX); /* disabled */
    wr(GTIMER_CNTP_CTL, 100, 1);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 100), 1000);
    wr(GTIMER_CNTV_CVAL, 0, 700);
    wr(GTIMER_CNTV_CTL, 100, 1);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 100), 700);
    wr(GTIMER_CNTV_CTL, 100, 3); /* masked: its output will not change */
    ck_assert_uint_eq(gtimer_next_deadline(gt, 100), 1000);
    /* past the deadline without an update: stale output, stop now */
    ck_assert_uint_eq(gtimer_next_deadline(gt, 1500), 1500);
    gtimer_update(gt, 1500);
    ck_assert(level[30]);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 1500), UINT64_MAX); /* met: stays high */
    /* a deadline past the end of the counter is never reached */
    wr(GTIMER_CNTVOFF, 1500, 0);
    wr(GTIMER_CNTP_CVAL, 1500, UINT64_MAX);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 1500), UINT64_MAX);
    wr(GTIMER_CNTVOFF, 1500, 100); /* virtual count = now - 100 */
    wr(GTIMER_CNTV_CTL, 1500, 1);
    wr(GTIMER_CNTV_CVAL, 1500, UINT64_MAX - 50);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 1500), UINT64_MAX);
    wr(GTIMER_CNTV_CVAL, 1500, 2000);
    ck_assert_uint_eq(gtimer_next_deadline(gt, 1500), 2100);
}
END_TEST

START_TEST(test_user_access)
{
    static const GtimerReg regs[] = { GTIMER_CNTFRQ, GTIMER_CNTPCT, GTIMER_CNTVCT,
                                      GTIMER_CNTKCTL, GTIMER_CNTVOFF, GTIMER_CNTP_CTL,
                                      GTIMER_CNTP_CVAL, GTIMER_CNTP_TVAL, GTIMER_CNTV_CTL,
                                      GTIMER_CNTV_CVAL, GTIMER_CNTV_TVAL };
    for (unsigned i = 0; i < sizeof regs / sizeof regs[0]; i++) {
        ck_assert(!gtimer_user_access_ok(gt, regs[i], false));
        ck_assert(!gtimer_user_access_ok(gt, regs[i], true));
    }
    wr(GTIMER_CNTKCTL, 0, GTIMER_KCTL_PL0PCTEN);
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTPCT, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTPCT, true));
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTFRQ, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTFRQ, true));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTVCT, false));
    wr(GTIMER_CNTKCTL, 0, GTIMER_KCTL_PL0VCTEN);
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTVCT, false));
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTFRQ, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTPCT, false));
    wr(GTIMER_CNTKCTL, 0, GTIMER_KCTL_PL0PTEN);
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTP_CTL, true));
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTP_TVAL, false));
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTP_CVAL, true));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTV_CTL, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTFRQ, false));
    wr(GTIMER_CNTKCTL, 0, GTIMER_KCTL_PL0VTEN);
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTV_CTL, true));
    ck_assert(gtimer_user_access_ok(gt, GTIMER_CNTV_CVAL, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTP_CTL, false));
    wr(GTIMER_CNTKCTL, 0, 0xffffffff);
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTKCTL, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_CNTVOFF, false));
    ck_assert(!gtimer_user_access_ok(gt, GTIMER_NUM_REGS, false));
}
END_TEST

START_TEST(test_reset_lowers_outputs)
{
    wr(GTIMER_CNTP_CTL, 10, 1);
    wr(GTIMER_CNTV_CTL, 10, 1);
    ck_assert(level[30] && level[27]);
    gtimer_reset(gt);
    ck_assert(!level[30] && !level[27]);
    ck_assert_int_eq(calls[30], 2);
    ck_assert_int_eq(calls[27], 2);
    /* without a callback the state is still kept */
    gtimer_set_output(gt, NULL, NULL);
    wr(GTIMER_CNTP_CTL, 10, 1);
    ck_assert(gtimer_output(gt, GTIMER_PHYS));
    ck_assert(!gtimer_output(gt, GTIMER_NUM_TIMERS));
}
END_TEST

int main(void)
{
    Suite *s = suite_create("gtimer");
    TCase *tc = tcase_create("generic-timer");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values);
    tcase_add_test(tc, test_register_masks);
    tcase_add_test(tc, test_cval_istatus_imask);
    tcase_add_test(tc, test_tval);
    tcase_add_test(tc, test_virtual_offset);
    tcase_add_test(tc, test_next_deadline);
    tcase_add_test(tc, test_user_access);
    tcase_add_test(tc, test_reset_lowers_outputs);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
