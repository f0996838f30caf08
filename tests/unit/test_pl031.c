/*
 * PL031 RTC: register reset values and masks (checked against qemu-system-arm 7.2),
 * the counter from a deterministic clock, RTCLR, the match interrupt (at once, in the
 * future, wrap-around), masking and clearing, access sizes.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/pl031.h"

#define RTC VIRT_RTC_BASE
enum { DR = 0x00, MR = 0x04, LR = 0x08, CR = 0x0c, IMSC = 0x10, RIS = 0x14, MIS = 0x18, ICR = 0x1c };

static PhysMem mem;
static Pl031 *rtc;
static uint64_t clock_s;
static int irq_calls;
static bool irq_last;

static uint64_t test_clock(void *opaque)
{
    ck_assert_ptr_eq(opaque, &clock_s);
    return clock_s;
}

static void on_irq(void *opaque, bool level)
{
    ck_assert_ptr_eq(opaque, &mem);
    irq_calls++;
    irq_last = level;
}

static void setup(void)
{
    char err[256];
    ck_assert_int_eq(physmem_init(&mem, 0x40000000u, 1u << 20, err, sizeof err), 0);
    clock_s = 1700000000u;
    rtc = pl031_create(test_clock, &clock_s);
    ck_assert_ptr_nonnull(rtc);
    ck_assert_int_eq(pl031_map(rtc, &mem, RTC), 0);
    irq_calls = 0;
    pl031_set_irq(rtc, on_irq, &mem);
    ck_assert_int_eq(irq_calls, 1);
    ck_assert(!irq_last);
    irq_calls = 0;
}

static void teardown(void)
{
    pl031_destroy(rtc);
    rtc = NULL;
    physmem_destroy(&mem);
}

static uint32_t rd(uint32_t off)
{
    uint64_t v = 0xdeadbeef;
    ck_assert_int_eq(physmem_read(&mem, RTC + off, 4, &v), MEM_OK);
    return (uint32_t)v;
}

static void wr(uint32_t off, uint32_t v)
{
    ck_assert_int_eq(physmem_write(&mem, RTC + off, 4, v), MEM_OK);
}

START_TEST(test_reset_values_and_ids)
{
    ck_assert_uint_eq(rd(DR), 1700000000u);
    ck_assert_uint_eq(rd(MR), 0);
    ck_assert_uint_eq(rd(LR), 0);
    ck_assert_uint_eq(rd(CR), 1); /* always enabled */
    ck_assert_uint_eq(rd(IMSC), 0);
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert_uint_eq(rd(MIS), 0);
    ck_assert_uint_eq(rd(ICR), 0); /* write-only */
    static const uint32_t ids[8] = { 0x31, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
    for (int i = 0; i < 8; i++)
        ck_assert_uint_eq(rd(0xfe0 + 4 * i), ids[i]);
    ck_assert_uint_eq(rd(0x20), 0);
    ck_assert_uint_eq(rd(0xfc0), 0);
    wr(0x20, 0xffffffff);
    ck_assert_uint_eq(rd(0x20), 0);
    uint64_t v;
    ck_assert_int_eq(physmem_read(&mem, RTC + 0x1000, 4, &v), MEM_BUS_ERROR);
    ck_assert_uint_eq(pl031_next_alarm(rtc), UINT64_MAX);
    ck_assert(!pl031_irq_level(rtc));
}
END_TEST

START_TEST(test_counter_and_load)
{
    clock_s += 5;
    ck_assert_uint_eq(rd(DR), 1700000005u);
    wr(LR, 1000);
    ck_assert_uint_eq(rd(LR), 1000);
    ck_assert_uint_eq(rd(DR), 1000);
    clock_s += 7;
    ck_assert_uint_eq(rd(DR), 1007);
    ck_assert_uint_eq(rd(LR), 1000);
    /* read-only registers and CR ignore writes */
    wr(DR, 5);
    wr(RIS, 1);
    wr(MIS, 1);
    wr(CR, 0);
    ck_assert_uint_eq(rd(DR), 1007);
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert_uint_eq(rd(CR), 1);
    /* the counter wraps at 2^32 */
    wr(LR, 0xfffffffeu);
    clock_s += 3;
    ck_assert_uint_eq(rd(DR), 1);
    /* register masks */
    wr(IMSC, 0xff);
    ck_assert_uint_eq(rd(IMSC), 1);
    wr(MR, 0x12345678);
    ck_assert_uint_eq(rd(MR), 0x12345678);
    /* reset keeps the time, clears the rest */
    pl031_reset(rtc);
    ck_assert_uint_eq(rd(DR), 1);
    ck_assert_uint_eq(rd(MR), 0);
    ck_assert_uint_eq(rd(IMSC), 0);
    ck_assert_uint_eq(rd(LR), 0);
}
END_TEST

START_TEST(test_match_now)
{
    wr(LR, 1000);
    wr(MR, 1000); /* equal: fires at once */
    ck_assert_uint_eq(rd(RIS), 1);
    ck_assert_uint_eq(rd(MIS), 0);
    ck_assert_int_eq(irq_calls, 0);
    wr(IMSC, 1);
    ck_assert_int_eq(irq_calls, 1);
    ck_assert(irq_last);
    ck_assert_uint_eq(rd(MIS), 1);
    ck_assert(pl031_irq_level(rtc));
    /* ICR clears the bits written as 1 (QEMU 7.2) */
    wr(ICR, 0);
    ck_assert_uint_eq(rd(RIS), 1);
    wr(ICR, 1);
    ck_assert_uint_eq(rd(RIS), 0);
    ck_assert(!irq_last);
    /* loading the counter with the match value fires too */
    wr(LR, 500);
    ck_assert_uint_eq(rd(RIS), 0);
    wr(LR, 1000);
    ck_assert_uint_eq(rd(RIS), 1);
    ck_assert(irq_last);
    /* masking lowers the line, RIS stays */
    wr(IMSC, 0);
    ck_assert(!irq_last);
    ck_assert_uint_eq(rd(RIS), 1);
}
END_TEST

START_TEST(test_match_later)
{
    wr(IMSC, 1);
    wr(LR, 100);
    wr(MR, 110);
    ck_assert_uint_eq(pl031_next_alarm(rtc), 1700000010u);
    clock_s += 9;
    pl031_poll(rtc);
    ck_assert(!irq_last);
    ck_assert_uint_eq(rd(RIS), 0);
    clock_s += 1;
    pl031_poll(rtc);
    ck_assert(irq_last);
    ck_assert_int_eq(irq_calls, 1);
    ck_assert_uint_eq(pl031_next_alarm(rtc), UINT64_MAX); /* one-shot */
    wr(ICR, 1);
    clock_s += 100;
    pl031_poll(rtc);
    ck_assert(!irq_last);
    /* a register read notices the match without an explicit poll */
    wr(MR, rd(DR) + 2);
    clock_s += 5; /* overslept: still fires */
    ck_assert_uint_eq(rd(RIS), 1);
    ck_assert(irq_last);
    wr(ICR, 1);
    /* a match value behind the counter fires after the wrap (2^32 s later) */
    wr(MR, rd(DR) - 1);
    ck_assert_uint_eq(pl031_next_alarm(rtc), clock_s + 0xffffffffull);
    ck_assert_uint_eq(rd(RIS), 0);
    /* rewriting MR re-arms */
    wr(MR, rd(DR) + 1);
    ck_assert_uint_eq(pl031_next_alarm(rtc), clock_s + 1);
    /* reset disarms */
    pl031_reset(rtc);
    ck_assert_uint_eq(pl031_next_alarm(rtc), UINT64_MAX);
    ck_assert(!irq_last);
}
END_TEST

START_TEST(test_access_sizes)
{
    wr(LR, 0x11223344);
    uint64_t v;
    ck_assert_int_eq(physmem_read(&mem, RTC + LR + 1, 1, &v), MEM_OK);
    ck_assert_uint_eq(v, 0x33);
    ck_assert_int_eq(physmem_read(&mem, RTC + LR + 2, 2, &v), MEM_OK);
    ck_assert_uint_eq(v, 0x1122);
    /* narrow writes are ignored */
    ck_assert_int_eq(physmem_write(&mem, RTC + MR, 1, 0x55), MEM_OK);
    ck_assert_int_eq(physmem_write(&mem, RTC + MR + 2, 2, 0x55), MEM_OK);
    ck_assert_uint_eq(rd(MR), 0);
    /* no clock: time 0 */
    Pl031 *r = pl031_create(NULL, NULL);
    ck_assert_ptr_nonnull(r);
    pl031_poll(r);
    ck_assert_uint_eq(pl031_next_alarm(r), UINT64_MAX);
    pl031_destroy(r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("pl031");
    TCase *tc = tcase_create("rtc");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_reset_values_and_ids);
    tcase_add_test(tc, test_counter_and_load);
    tcase_add_test(tc, test_match_now);
    tcase_add_test(tc, test_match_later);
    tcase_add_test(tc, test_access_sizes);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
