/*
 * PSCI (devices/psci.c): every call's result against what qemu-system-arm 7.2 returns
 * on `-M virt -cpu cortex-a15` (measured with HVC #0 from a guest program), the calls
 * that stop the machine (CPU_OFF, SYSTEM_OFF, SYSTEM_RESET: halted, exit status 0,
 * exit request, which one), CPU_SUSPEND's WFI request, and the handler shape.
 */
#include <check.h>
#include <stdlib.h>

#include "devices/devices.h"
#include "devices/psci.h"

#define RAM VIRT_RAM_BASE
#define RAM_SIZE (1u << 20)

static PhysMem mem;
static ArmCpu cpu;
static Psci psci;

static void setup(void)
{
    char err[256];
    ck_assert_int_eq(physmem_init(&mem, RAM, RAM_SIZE, err, sizeof err), 0);
    arm_cpu_init(&cpu, &mem);
    arm_cpu_reset(&cpu);
    psci_init(&psci);
}

static void teardown(void)
{
    physmem_destroy(&mem);
}

/* Call fn(a1, a2, a3); return r0. r1-r3 must be left alone. */
static uint32_t call(uint32_t fn, uint32_t a1, uint32_t a2, uint32_t a3)
{
    cpu.r[0] = fn;
    cpu.r[1] = a1;
    cpu.r[2] = a2;
    cpu.r[3] = a3;
    cpu.r[4] = 0x4444;
    psci_call(&psci, &cpu);
    ck_assert_uint_eq(cpu.r[1], a1);
    ck_assert_uint_eq(cpu.r[2], a2);
    ck_assert_uint_eq(cpu.r[3], a3);
    ck_assert_uint_eq(cpu.r[4], 0x4444);
    return cpu.r[0];
}

static void assert_running(void)
{
    ck_assert(!cpu.halted);
    ck_assert_int_eq(cpu.exit_request, 0);
    ck_assert_int_eq(psci.power, PSCI_ACTION_NONE);
}

START_TEST(test_version_and_info)
{
    ck_assert_uint_eq(call(PSCI_0_2_FN_PSCI_VERSION, 0, 0, 0), 0x00010001u);
    ck_assert_uint_eq(call(PSCI_0_2_FN_MIGRATE_INFO_TYPE, 0, 0, 0), 2);
    ck_assert_uint_eq(call(PSCI_0_2_FN_MIGRATE, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
    ck_assert_uint_eq(call(PSCI_0_1_FN_MIGRATE, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
    ck_assert_uint_eq(call(PSCI_0_2_FN_MIGRATE_INFO_UP_CPU, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
    ck_assert_int_eq(psci.last, PSCI_ACTION_NONE);
    assert_running();
    ck_assert_uint_eq(psci.calls, 5);
}
END_TEST

START_TEST(test_affinity_info)
{
    ck_assert_uint_eq(call(PSCI_0_2_FN_AFFINITY_INFO, 0, 0, 0), 0); /* CPU 0 is ON */
    ck_assert_uint_eq(call(PSCI_0_2_FN_AFFINITY_INFO, 1, 0, 0), PSCI_RET_INVALID_PARAMETERS);
    ck_assert_uint_eq(call(PSCI_0_2_FN_AFFINITY_INFO, 0x100, 0, 0), PSCI_RET_INVALID_PARAMETERS);
    /* levels above 0 are always on, whatever the MPIDR */
    ck_assert_uint_eq(call(PSCI_0_2_FN_AFFINITY_INFO, 0, 1, 0), 0);
    ck_assert_uint_eq(call(PSCI_0_2_FN_AFFINITY_INFO, 7, 2, 0), 0);
    /* the SMC64 form from AArch32 */
    ck_assert_uint_eq(call(PSCI_0_2_FN64_AFFINITY_INFO, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
    assert_running();
}
END_TEST

START_TEST(test_cpu_on)
{
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_ON, 0, RAM, 0), PSCI_RET_ALREADY_ON);
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_ON, 1, RAM, 0), PSCI_RET_INVALID_PARAMETERS);
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_ON, 0x80000000u, RAM, 0), PSCI_RET_INVALID_PARAMETERS);
    ck_assert_uint_eq(call(PSCI_0_1_FN_CPU_ON, 0, RAM, 0), PSCI_RET_ALREADY_ON);
    ck_assert_uint_eq(call(PSCI_0_1_FN_CPU_ON, 3, RAM, 0), PSCI_RET_INVALID_PARAMETERS);
    ck_assert_uint_eq(call(PSCI_0_2_FN64_CPU_ON, 0, RAM, 0), PSCI_RET_NOT_SUPPORTED);
    assert_running();
}
END_TEST

START_TEST(test_cpu_suspend)
{
    ArmCpu zero = { 0 }; /* r0 = 0: not a PSCI function */
    ck_assert_int_eq(psci_call(&psci, &zero), PSCI_ACTION_NONE);
    ck_assert_uint_eq(zero.r[0], PSCI_RET_NOT_SUPPORTED);
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_SUSPEND, 0, RAM, 0), 0);
    ck_assert_int_eq(psci.last, PSCI_ACTION_WFI);
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_SUSPEND, 0x0001ffffu, RAM, 0), 0); /* level 0 */
    ck_assert_int_eq(psci.last, PSCI_ACTION_WFI);
    ck_assert_uint_eq(call(PSCI_0_1_FN_CPU_SUSPEND, 0x10000u, 0, 0), 0);
    ck_assert_int_eq(psci.last, PSCI_ACTION_WFI);
    /* a power level above 0: refused, no wait */
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_SUSPEND, 0x00020000u, 0, 0),
                      PSCI_RET_INVALID_PARAMETERS);
    ck_assert_int_eq(psci.last, PSCI_ACTION_NONE);
    ck_assert_uint_eq(call(PSCI_0_2_FN_CPU_SUSPEND, 0x10000000u, 0, 0),
                      PSCI_RET_INVALID_PARAMETERS);
    ck_assert_uint_eq(call(PSCI_0_2_FN64_CPU_SUSPEND, 0, 0, 0), PSCI_RET_NOT_SUPPORTED);
    assert_running();
}
END_TEST

START_TEST(test_features)
{
    static const uint32_t yes[] = {
        PSCI_0_2_FN_PSCI_VERSION, PSCI_0_2_FN_CPU_SUSPEND, PSCI_0_2_FN_CPU_OFF,
        PSCI_0_2_FN_CPU_ON, PSCI_0_2_FN_AFFINITY_INFO, PSCI_0_2_FN_MIGRATE_INFO_TYPE,
        PSCI_0_2_FN_SYSTEM_OFF, PSCI_0_2_FN_SYSTEM_RESET, PSCI_1_0_FN_PSCI_FEATURES,
        PSCI_0_1_FN_CPU_SUSPEND, PSCI_0_1_FN_CPU_OFF, PSCI_0_1_FN_CPU_ON,
    };
    static const uint32_t no[] = {
        PSCI_0_2_FN_MIGRATE, PSCI_0_2_FN_MIGRATE_INFO_UP_CPU, 0x8400000bu, 0x8400000cu,
        0x8400000fu, 0x84000012u, 0x84000015u, PSCI_0_2_FN64_CPU_SUSPEND, PSCI_0_2_FN64_CPU_ON,
        PSCI_0_2_FN64_AFFINITY_INFO, PSCI_0_1_FN_MIGRATE, 0x80000000u, 0, 0xffffffffu,
    };
    for (size_t i = 0; i < sizeof yes / sizeof yes[0]; i++)
        ck_assert_msg(call(PSCI_1_0_FN_PSCI_FEATURES, yes[i], 0, 0) == 0, "0x%08x", yes[i]);
    for (size_t i = 0; i < sizeof no / sizeof no[0]; i++)
        ck_assert_msg(call(PSCI_1_0_FN_PSCI_FEATURES, no[i], 0, 0) == PSCI_RET_NOT_SUPPORTED,
                      "0x%08x", no[i]);
    assert_running();
}
END_TEST

START_TEST(test_unknown_ids)
{
    static const uint32_t ids[] = { 0x8400000bu, 0x8400001fu, 0x84000100u, 0x80000000u,
                                    0x8600ff01u, 0xc4000000u, 0xc400000au, 0x12345678u,
                                    0xffffffffu, 0x95c1ba62u };
    for (size_t i = 0; i < sizeof ids / sizeof ids[0]; i++)
        ck_assert_msg(call(ids[i], 1, 2, 3) == PSCI_RET_NOT_SUPPORTED, "0x%08x", ids[i]);
    ck_assert_int_eq(psci.last, PSCI_ACTION_NONE);
    assert_running();
}
END_TEST

/* The calls that never return: nothing but the machine state changes. */
static void check_stop(uint32_t fn, PsciAction want)
{
    cpu.r[0] = fn;
    cpu.r[1] = 0x11;
    cpu.exit_status = 99;
    ck_assert_int_eq(psci_call(&psci, &cpu), want);
    ck_assert(cpu.halted);
    ck_assert_int_eq(cpu.exit_status, 0);
    ck_assert_int_ne(cpu.exit_request, 0);
    ck_assert_int_eq(psci.power, want);
    ck_assert_int_eq(psci.last, want);
    ck_assert_uint_eq(cpu.r[0], fn); /* no result: the call does not return */
    ck_assert_uint_eq(cpu.r[1], 0x11);
}

START_TEST(test_system_off)
{
    check_stop(PSCI_0_2_FN_SYSTEM_OFF, PSCI_ACTION_SYSTEM_OFF);
    ck_assert_str_eq(psci_action_name(psci.power), "SYSTEM_OFF");
}
END_TEST

START_TEST(test_system_reset)
{
    check_stop(PSCI_0_2_FN_SYSTEM_RESET, PSCI_ACTION_SYSTEM_RESET);
    ck_assert_str_eq(psci_action_name(psci.power), "SYSTEM_RESET");
}
END_TEST

START_TEST(test_cpu_off)
{
    check_stop(PSCI_0_2_FN_CPU_OFF, PSCI_ACTION_CPU_OFF);
    teardown();
    setup();
    check_stop(PSCI_0_1_FN_CPU_OFF, PSCI_ACTION_CPU_OFF);
    ck_assert_str_eq(psci_action_name(psci.power), "CPU_OFF");
}
END_TEST

START_TEST(test_handler_shape)
{
    ArmSemihostFn fn = psci_handler; /* the CPU's callback type */
    cpu.r[0] = PSCI_0_2_FN_PSCI_VERSION;
    fn(&psci, &cpu);
    ck_assert_uint_eq(cpu.r[0], PSCI_VERSION_1_1);
    cpu.r[0] = PSCI_0_2_FN_SYSTEM_OFF;
    fn(&psci, &cpu);
    ck_assert(cpu.halted);
    ck_assert_int_eq(psci.power, PSCI_ACTION_SYSTEM_OFF);
    ck_assert_str_eq(psci_action_name(PSCI_ACTION_NONE), "none");
    ck_assert_str_eq(psci_action_name(PSCI_ACTION_WFI), "CPU_SUSPEND");
}
END_TEST

int main(void)
{
    Suite *s = suite_create("psci");
    TCase *tc = tcase_create("calls");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_version_and_info);
    tcase_add_test(tc, test_affinity_info);
    tcase_add_test(tc, test_cpu_on);
    tcase_add_test(tc, test_cpu_suspend);
    tcase_add_test(tc, test_features);
    tcase_add_test(tc, test_unknown_ids);
    tcase_add_test(tc, test_system_off);
    tcase_add_test(tc, test_system_reset);
    tcase_add_test(tc, test_cpu_off);
    tcase_add_test(tc, test_handler_shape);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
