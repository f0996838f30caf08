/*
 * Execution tests of the core A32 groups (data processing, branches, system) through the
 * IR interpreter, plus decoder table sanity checks.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "a32_harness.h"

static A32Run run;
static void setup(void) { a32_run_init(&run); }
static void teardown(void) { a32_run_free(&run); }

START_TEST(test_dp_basic)
{
    /* mov r0,#5; add r1,r0,#3; subs r2,r1,#8; movs r3,r0,lsl #31; adc r4,r0,r0; mrs r5,cpsr */
    static const uint32_t code[] = { 0xe3a00005, 0xe2801003, 0xe2512008, 0xe1b03f80, 0xe0a04000, 0xe10f5000 };
    ck_assert_int_eq(a32_run_code(&run, code, 6), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.r[0], 5);
    ck_assert_uint_eq(run.cpu.r[1], 8);
    ck_assert_uint_eq(run.cpu.r[2], 0);
    ck_assert_uint_eq(run.cpu.r[3], 0x80000000u);
    /* subs 8-8: Z=1 C=1; movs lsl #31 of 5: N=1 Z=0, C = bit 1 of 5 = 0 */
    ck_assert_uint_eq(run.cpu.nf, 1);
    ck_assert_uint_eq(run.cpu.zf, 0);
    ck_assert_uint_eq(run.cpu.cf, 0);
    ck_assert_uint_eq(run.cpu.r[4], 10);
    ck_assert_uint_eq(run.cpu.r[5] >> 28, 0x8);
    ck_assert_uint_eq(run.cpu.r[5] & 0x1f, ARM_MODE_SVC);
    ck_assert_uint_eq(run.cpu.icount, 6);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 24);
}
END_TEST

START_TEST(test_budget_is_exact)
{
    /* A loop: subs r0,r0,#1; bne .-4 ; r0 = 10 -> 20 instructions until it falls through. */
    static const uint32_t code[] = { 0xe2500001, 0x1afffffd, 0xe1a00000 };
    run.cpu.r[0] = 10;
    ck_assert_int_eq(a32_run_code_ex(&run, code, 3, 7), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.icount, 7);
    ck_assert_uint_eq(run.cpu.r[0], 6);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 4); /* at the bne of iteration 4 */
    ck_assert_int_eq(dbt_run(run.dbt, 13), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.icount, 20);
    ck_assert_uint_eq(run.cpu.r[0], 0);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 8);
}
END_TEST

START_TEST(test_undef_and_svc)
{
    /* VBAR = RAM base + 0x100; udf #0; then at the UND vector (0x104): svc #5 */
    run.cpu.cp15.vbar = A32_RAM_BASE + 0x100;
    static const uint32_t code[] = { 0xe7f000f0 };
    physmem_copy_to_guest(&run.mem, A32_RAM_BASE + 0x104, &(uint32_t){ 0xef000005 }, 4);
    ck_assert_int_eq(a32_run_code(&run, code, 1), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.cpsr & CPSR_M, ARM_MODE_UND);
    ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 4);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 0x104);
    ck_assert_uint_eq(run.cpu.bank_spsr[ARM_BANK_UND] & CPSR_M, ARM_MODE_SVC);
    ck_assert_int_eq(dbt_run(run.dbt, 1), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.cpsr & CPSR_M, ARM_MODE_SVC);
    ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 0x108);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 0x108);
    ck_assert_uint_eq(run.cpu.icount, 2);
}
END_TEST

START_TEST(test_decoder_names)
{
    ck_assert_str_eq(arm_decode_name(0xe3a00005), "dp-imm");
    ck_assert_str_eq(arm_decode_name(0xe1b03f80), "dp-reg");
    ck_assert_str_eq(arm_decode_name(0xe10f5000), "mrs");
    ck_assert_str_eq(arm_decode_name(0xeafffffe), "b");
    ck_assert_str_eq(arm_decode_name(0xe12fff1e), "bx");
    ck_assert_str_eq(arm_decode_name(0xef123456), "svc");
    ck_assert_str_eq(arm_decode_name(0xe320f000), "hint");
    ck_assert_str_eq(arm_decode_name(0xf57ff04f), "dsb");
    ck_assert_str_eq(arm_decode_name(0xe7f000f0), "udf");
    ck_assert_ptr_null(arm_decode_name(0xf7f000f0)); /* unallocated unconditional space */
}
END_TEST

START_TEST(test_banked_access)
{
    /* mrs r0, sp_usr; msr lr_irq, r1; mrs r2, spsr_fiq; mrs r3, r8_fiq */
    static const uint32_t code[] = { 0xe1050200, 0xe120f301, 0xe14e2200, 0xe1083200 };
    run.cpu.bank_r13[ARM_BANK_USR] = 0x1111;
    run.cpu.bank_spsr[ARM_BANK_FIQ] = 0x2222;
    run.cpu.fiq_r8_12[0] = 0x3333;
    run.cpu.r[1] = 0x4444;
    /* Without the Virtualization Extensions (QEMU's virt default) these are UNDEFINED. */
    ck_assert_int_eq(a32_run_code(&run, code, 1), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.cpsr & CPSR_M, ARM_MODE_UND);
    arm_cpu_reset(&run.cpu);
    run.cpu.env.has_virtualization = true;
    dbt_flush(run.dbt);
    run.cpu.bank_r13[ARM_BANK_USR] = 0x1111;
    run.cpu.bank_spsr[ARM_BANK_FIQ] = 0x2222;
    run.cpu.fiq_r8_12[0] = 0x3333;
    run.cpu.r[1] = 0x4444;
    ck_assert_int_eq(a32_run_code(&run, code, 4), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.cpsr & CPSR_M, ARM_MODE_SVC);
    ck_assert_uint_eq(run.cpu.r[0], 0x1111);
    ck_assert_uint_eq(run.cpu.bank_r14[ARM_BANK_IRQ], 0x4444);
    ck_assert_uint_eq(run.cpu.r[2], 0x2222);
    ck_assert_uint_eq(run.cpu.r[3], 0x3333);
}
END_TEST

/* Encodings of the system and branch groups (from arm-none-eabi-as), and encodings that
 * no pattern claims: VFP (not implemented), CDP/LDC (no such coprocessor). HVC, SMC and
 * ERET decode to patterns that translate to UNDEFINED (test_undefined_executes). */
START_TEST(test_decoder_system_and_branch)
{
    static const struct { uint32_t insn; const char *name; } cases[] = {
        { 0xe129f000, "msr-reg" },   { 0xe368f20f, "msr-imm" },   { 0xf10c00c0, "cps" },
        { 0xf10a0113, "cps" },       { 0xf1010200, "setend" },    { 0xf96d0513, "srs" },
        { 0xf8b00a00, "rfe" },       { 0xf57ff05b, "dmb" },       { 0xf57ff06f, "isb" },
        { 0xf57ff01f, "clrex" },     { 0xf5d0f004, "pld-imm" },   { 0xf651f102, "pli-reg" },
        { 0xe1200172, "bkpt" },      { 0xee110f10, "mrc" },       { 0xee0c0f10, "mcr" },
        { 0xec510f0e, "mrrc" },      { 0xec410f02, "mcrr" },      { 0xe320f003, "hint" },
        { 0xe320f004, "hint" },      { 0xe320f001, "hint" },      { 0xe12fff33, "blx-reg" },
        { 0xe12fff22, "bxj" },       { 0xfafffffe, "blx-imm" },   { 0xebfffffe, "bl" },
        { 0xe3010234, "movw" },      { 0xe3450678, "movt" },      { 0xe0810312, "dp-rsr" },
        { 0xe1050200, "mrs-banked" }, { 0xe120f301, "msr-banked" },
        { 0xe1400071, "hvc" },       { 0xe1600070, "smc" },       { 0xe160006e, "eret" },
        { 0xee300a81, NULL },        { 0xee010502, NULL },        { 0xed900500, NULL },
    };
    for (size_t k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        const char *got = arm_decode_name(cases[k].insn);
        if (cases[k].name)
            ck_assert_msg(got && strcmp(got, cases[k].name) == 0, "%08x: got %s want %s", cases[k].insn,
                          got ? got : "(undefined)", cases[k].name);
        else
            ck_assert_msg(got == NULL, "%08x: got %s want undefined", cases[k].insn, got);
    }
}
END_TEST

START_TEST(test_undefined_executes)
{
    /* hvc #1, smc #0, eret, vadd.f32, udf: each takes the undefined-instruction exception
     * with LR = its address + 4, and counts as executed. */
    static const uint32_t insns[] = { 0xe1400071, 0xe1600070, 0xe160006e, 0xee300a81, 0xe7f000f0 };
    for (unsigned k = 0; k < 5; k++) {
        arm_cpu_reset(&run.cpu);
        dbt_flush(run.dbt);
        ck_assert_int_eq(a32_run_code(&run, &insns[k], 1), DBT_EXIT_MAX_INSNS);
        ck_assert_msg((run.cpu.cpsr & CPSR_M) == ARM_MODE_UND, "insn %08x", insns[k]);
        ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 4);
        ck_assert_uint_eq(run.cpu.icount, 1);
    }
}
END_TEST

START_TEST(test_msr_reserved_bits)
{
    /* msr APSR_g, r5; mrs r10, APSR: only GE changes; CPSR bits 23:20 are reserved
     * (found by the random differential test against QEMU). */
    static const uint32_t code[] = { 0xe124f005, 0xe10fa000 };
    run.cpu.r[5] = 0x00ff00ff;
    ck_assert_int_eq(a32_run_code(&run, code, 2), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(run.cpu.r[10] & 0x00ff0000, 0x000f0000);
}
END_TEST

START_TEST(test_decoder_tables_unambiguous)
{
    char report[4096];
    int bad = arm_decode_selfcheck(report, sizeof(report));
    ck_assert_msg(bad == 0, "ambiguous decode patterns: %s", report);
}
END_TEST

/* The bucket index (built by enumerating each pattern's buckets) must find what a plain
 * scan in specificity order finds, for any word. */
START_TEST(test_decoder_index_matches_linear_scan)
{
    uint64_t x = 0x9e3779b97f4a7c15ull;
    for (unsigned k = 0; k < 400000; k++) {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        uint32_t w = (uint32_t)x;
        if (k & 1) /* the bucket bits from one draw, the rest from another: every bucket */
            w = (w & 0xfff000f0u) | ((uint32_t)(x >> 32) & 0x000fff0fu);
        const char *a = arm_decode_name(w), *b = arm_decode_name_linear(w);
        ck_assert_msg(a == b, "%08x: index %s, scan %s", w, a ? a : "UNDEFINED", b ? b : "UNDEFINED");
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a32-core");
    TCase *tc = tcase_create("core");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_dp_basic);
    tcase_add_test(tc, test_decoder_index_matches_linear_scan);
    tcase_add_test(tc, test_budget_is_exact);
    tcase_add_test(tc, test_undef_and_svc);
    tcase_add_test(tc, test_decoder_names);
    tcase_add_test(tc, test_decoder_tables_unambiguous);
    tcase_add_test(tc, test_banked_access);
    tcase_add_test(tc, test_decoder_system_and_branch);
    tcase_add_test(tc, test_undefined_executes);
    tcase_add_test(tc, test_msr_reserved_bits);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
