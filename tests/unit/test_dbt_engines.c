/*
 * Engine-level behaviour that guest programs cannot pin down exactly: self-modifying
 * code inside one block (no ISB: armvm is stricter than the architecture requires),
 * chained blocks invalidated by a write from outside the CPU, and exact instruction
 * counts when translated code stops on the budget. Every test runs on every engine.
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "a32_harness.h"

static const DbtEngine engines[] = { DBT_ENGINE_INTERP, DBT_ENGINE_JIT };
#define N_ENGINES (sizeof(engines) / sizeof(engines[0]))

START_TEST(test_smc_same_block)
{
    A32Run r;
    a32_run_init_engine(&r, engines[_i]);
    /* str r2, [r1]; mov r0, #5; b .   with r1 -> the mov, r2 = mov r0, #99 */
    static const uint32_t code[] = { 0xe5812000, 0xe3a00005, 0xeafffffe };
    r.cpu.r[1] = A32_RAM_BASE + 4;
    r.cpu.r[2] = 0xe3a00063;
    ck_assert_int_eq(a32_run_code_ex(&r, code, 3, 2), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(r.cpu.r[0], 99);
    ck_assert_uint_eq(r.cpu.icount, 2);
    a32_run_free(&r);
}
END_TEST

START_TEST(test_chain_invalidated_by_external_write)
{
    A32Run r;
    a32_run_init_engine(&r, engines[_i]);
    uint32_t code[0x42];
    memset(code, 0, sizeof(code));
    code[0] = 0xe3a00000;    /* 0x00: mov r0, #0 */
    code[1] = 0xeb00003d;    /* 0x04: bl 0x100 */
    code[2] = 0xe0844000;    /* 0x08: add r4, r4, r0 */
    code[3] = 0xe2555001;    /* 0x0c: subs r5, r5, #1 */
    code[4] = 0x1afffffb;    /* 0x10: bne 0x04 */
    code[5] = 0xeafffffe;    /* 0x14: b . */
    code[0x40] = 0xe3a00001; /* 0x100: mov r0, #1 */
    code[0x41] = 0xe12fff1e; /* 0x104: bx lr */
    r.cpu.r[5] = 3;
    ck_assert_int_eq(a32_run_code_ex(&r, code, 0x42, 1 + 3 * 6), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(r.cpu.r[4], 3);
    ck_assert_uint_eq(r.cpu.r[15], A32_RAM_BASE + 0x14);
    /* A write from outside the CPU (like a loader or DMA) to the called code. */
    uint32_t patched = 0xe3a00007; /* mov r0, #7 */
    ck_assert_int_eq(physmem_copy_to_guest(&r.mem, A32_RAM_BASE + 0x100, &patched, 4), 0);
    r.cpu.r[5] = 2;
    r.cpu.r[15] = A32_RAM_BASE + 4;
    ck_assert_int_eq(dbt_run(r.dbt, 2 * 6), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(r.cpu.r[4], 3 + 14);
    ck_assert_uint_eq(r.cpu.icount, 1 + 5 * 6);
    a32_run_free(&r);
}
END_TEST

START_TEST(test_budget_ends_inside_chained_loop)
{
    /* subs r0, r0, #1; bne .-4 run for budgets that end at every position */
    static const uint32_t code[] = { 0xe2500001, 0x1afffffd, 0xe1a00000 };
    for (unsigned n = 1; n <= 40; n++) {
        A32Run r;
        a32_run_init_engine(&r, engines[_i]);
        r.cpu.r[0] = 20;
        ck_assert_int_eq(a32_run_code_ex(&r, code, 3, n), DBT_EXIT_MAX_INSNS);
        ck_assert_uint_eq(r.cpu.icount, n);
        ck_assert_uint_eq(r.cpu.r[0], 20 - (n + 1) / 2);
        ck_assert_uint_eq(r.cpu.r[15], A32_RAM_BASE + (n % 2 ? 4 : (n == 40 ? 8 : 0)));
        /* The flags are those of the last SUBS, also when translated code stopped at
         * the loop head, where the jit keeps them only in host flags (jit_loop.c). */
        ck_assert_uint_eq(r.cpu.zf, r.cpu.r[0] == 0);
        ck_assert_uint_eq(r.cpu.nf, 0);
        ck_assert_uint_eq(r.cpu.cf, 1);
        ck_assert_uint_eq(r.cpu.vf, 0);
        a32_run_free(&r);
    }
}
END_TEST

/* A block that goes on past a conditional branch not taken (a second budget segment):
 * stopping at every instruction gives the same state as counting one by one. */
START_TEST(test_budget_ends_in_later_segment)
{
    static const uint32_t code[] = {
        0xe2500001, /* 0:  subs r0, r0, #1 */
        0x0a000002, /* 4:  beq 0x14 (taken on the last iteration) */
        0xe2822001, /* 8:  add r2, r2, #1 */
        0xe2811003, /* c:  add r1, r1, #3 */
        0xeafffffa, /* 10: b 0 */
        0xe3a03007, /* 14: mov r3, #7 */
        0xeafffffe, /* 18: b . */
    };
    for (unsigned n = 1; n <= 50; n++) {
        A32Run r;
        a32_run_init_engine(&r, engines[_i]);
        r.cpu.r[0] = 10;
        ck_assert_int_eq(a32_run_code_ex(&r, code, 7, n), DBT_EXIT_MAX_INSNS);
        ck_assert_uint_eq(r.cpu.icount, n);
        /* the reference: 5 instructions per iteration, 9 full iterations, then subs,
         * beq (taken), mov, then b . */
        unsigned it = n / 5, pos = n % 5;
        uint32_t r0 = 10, r1 = 0, r2 = 0, pc;
        if (it <= 9) {
            r0 -= it;
            r2 = it;
            r1 = 3 * it;
            static const uint32_t pcs[5] = { 0, 4, 8, 0xc, 0x10 };
            pc = pcs[pos];
            if (pos >= 1)
                r0--;
            if (pos >= 3)
                r2++;
            if (pos >= 4)
                r1 += 3;
            if (it == 9 && pos >= 2) { /* the last iteration: beq taken */
                r2 = 9;
                r1 = 27;
                pc = pos == 2 ? 0x14 : 0x18;
            }
        } else {
            r0 = 0;
            r2 = 9;
            r1 = 27;
            pc = 0x18;
        }
        ck_assert_uint_eq(r.cpu.r[0], r0);
        ck_assert_uint_eq(r.cpu.r[1], r1);
        ck_assert_uint_eq(r.cpu.r[2], r2);
        ck_assert_uint_eq(r.cpu.r[15], A32_RAM_BASE + pc);
        ck_assert_uint_eq(r.cpu.zf, r0 == 0);
        a32_run_free(&r);
    }
}
END_TEST

/* Many distinct blocks through a 64 KiB code buffer: translation must start over when
 * it is full, more than once, and the result and count must not change. */
START_TEST(test_code_buffer_flush)
{
    A32Run r;
    char err[128];
    ck_assert_int_eq(physmem_init(&r.mem, A32_RAM_BASE, A32_RAM_SIZE, err, sizeof(err)), 0);
    arm_cpu_init(&r.cpu, &r.mem);
    r.dbt = dbt_create_sized(&r.cpu, engines[_i], 64 * 1024);
    ck_assert_ptr_nonnull(r.dbt);
    enum { N = 4000 };
    static uint32_t code[2 * N + 1];
    for (unsigned k = 0; k < N; k++) {
        code[2 * k] = 0xe2800001;     /* add r0, r0, #1 */
        code[2 * k + 1] = 0xeaffffff; /* b .+8 (the next pair): one block per pair */
    }
    code[2 * N] = 0xeafffffe;         /* b . */
    for (int pass = 0; pass < 2; pass++) {
        r.cpu.r[0] = 0;
        r.cpu.icount = 0;
        ck_assert_int_eq(a32_run_code_ex(&r, code, 2 * N + 1, 2 * N), DBT_EXIT_MAX_INSNS);
        ck_assert_uint_eq(r.cpu.r[0], N);
        ck_assert_uint_eq(r.cpu.icount, 2 * N);
    }
    if (engines[_i] == DBT_ENGINE_JIT)
        ck_assert_uint_gt(dbt_stats(r.dbt)->block_flushes, 1);
    a32_run_free(&r);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("dbt-engines");
    TCase *tc = tcase_create("engines");
    tcase_add_loop_test(tc, test_smc_same_block, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_chain_invalidated_by_external_write, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_budget_ends_inside_chained_loop, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_budget_ends_in_later_segment, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_code_buffer_flush, 0, N_ENGINES);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
