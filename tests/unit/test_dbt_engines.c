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

/* Run `code` for `first` then `second` instructions (the second run resumes where the
 * budget stopped the first) and compare the whole register state with the interpreter
 * doing the same. */
static void expect_like_interp(DbtEngine engine, const uint32_t *code, unsigned n_words,
                               const uint32_t *init_regs, unsigned first, unsigned second)
{
    A32Run r[2];
    const DbtEngine which[2] = { DBT_ENGINE_INTERP, engine };
    for (int k = 0; k < 2; k++) {
        a32_run_init_engine(&r[k], which[k]);
        memcpy(r[k].cpu.r, init_regs, 15 * sizeof(uint32_t));
        ck_assert_int_eq(a32_run_code_ex(&r[k], code, n_words, first), DBT_EXIT_MAX_INSNS);
        ck_assert_int_eq(dbt_run(r[k].dbt, second), DBT_EXIT_MAX_INSNS);
    }
    for (int g = 0; g < 16; g++)
        ck_assert_msg(r[0].cpu.r[g] == r[1].cpu.r[g], "budget %u+%u: r%d = %#x, interp %#x",
                      first, second, g, r[1].cpu.r[g], r[0].cpu.r[g]);
    ck_assert_uint_eq(r[1].cpu.icount, first + second);
    ck_assert_uint_eq(r[0].cpu.icount, first + second);
    ck_assert_msg(r[0].cpu.nf == r[1].cpu.nf && r[0].cpu.zf == r[1].cpu.zf &&
                  r[0].cpu.cf == r[1].cpu.cf && r[0].cpu.vf == r[1].cpu.vf,
                  "budget %u+%u: flags differ", first, second);
    for (int k = 0; k < 2; k++)
        a32_run_free(&r[k]);
}

/* A self-loop (jit_loop.c) with a division, an early exit and a register-register
 * compare on its back edge, whose loop-carried guest registers stay in host registers
 * from one iteration to the next: the budget stopping it anywhere, at the back edge
 * included, leaves the exact state. The inner loop of the trial division of "primes". */
START_TEST(test_budget_ends_inside_self_loop)
{
    static const uint32_t code[] = {
        0xe73af312, /* 0:  udiv r10, r2, r3 */
        0xe06a2a93, /* 4:  mls r10, r3, r10, r2 */
        0xe35a0000, /* 8:  cmp r10, #0 */
        0x0a000003, /* c:  beq 0x20 (a divisor found) */
        0xe2833002, /* 10: add r3, r3, #2 */
        0xe00a0393, /* 14: mul r10, r3, r3 */
        0xe15a0002, /* 18: cmp r10, r2 */
        0x9afffff7, /* 1c: bls 0 */
        0xe2844001, /* 20: add r4, r4, #1 */
        0xeafffffe, /* 24: b . */
    };
    uint32_t regs[15] = { 0 };
    regs[3] = 3;
    for (unsigned n = 1; n <= 460; n += n < 120 ? 1 : 7) {
        regs[2] = 10007; /* a prime: the loop runs to d * d > n, about 400 instructions */
        expect_like_interp(engines[_i], code, 10, regs, n, 13);
        regs[2] = 10011; /* 3 * 3337: the early exit on the first iteration */
        expect_like_interp(engines[_i], code, 10, regs, n, 13);
        regs[2] = 97 * 103; /* the early exit after a few dozen iterations */
        expect_like_interp(engines[_i], code, 10, regs, n, 13);
    }
}
END_TEST

/* Flags of a compare that instructions clobbering the host flags separate from their
 * readers: the jit recomputes them from the compared registers where they are read
 * (jit_flags.c), also after one of those registers changed (then it must recompute
 * before), and for a carry read by SBC. */
START_TEST(test_flags_recomputed_after_compare)
{
    static const uint32_t cmp_code[] = {
        0xe2211102, /* 0:  eor r1, r1, #0x80000000 (r1 changed: only in a host register) */
        0xe1510002, /* 4:  cmp r1, r2 */
        0xe1a03083, /* 8:  lsl r3, r3, #1 */
        0xe1a01081, /* c:  lsl r1, r1, #1 (a compared register, in place) */
        0xe1844003, /* 10: orr r4, r4, r3 */
        0xc2855001, /* 14: addgt r5, r5, #1 */
        0xb0266001, /* 18: eorlt r6, r6, r1 */
        0xe2577001, /* 1c: subs r7, r7, #1 */
        0x1afffff6, /* 20: bne 0 */
        0xeafffffe, /* 24: b . */
    };
    static const uint32_t carry_code[] = {
        0xe0503008, /* 0:  subs r3, r0, r8 */
        0xe1a03e23, /* 4:  lsr r3, r3, #28 */
        0xe0c99005, /* 8:  sbc r9, r9, r5 */
        0xe080000a, /* c:  add r0, r0, r10 */
        0xe2577001, /* 10: subs r7, r7, #1 */
        0x1afffff9, /* 14: bne 0 */
        0xeafffffe, /* 18: b . */
    };
    static const uint32_t pairs[][2] = {
        { 5, 0x100 }, { 0x100, 5 }, { 0x7fffffff, 0x80000000 }, { 0x40000000, 0xc0000001 },
    };
    uint32_t regs[15] = { 0 };
    for (unsigned p = 0; p < sizeof(pairs) / sizeof(pairs[0]); p++) {
        for (unsigned n = 1; n <= 190; n += n < 40 ? 1 : 9) {
            memset(regs, 0, sizeof(regs));
            regs[1] = pairs[p][0];
            regs[2] = pairs[p][1];
            regs[3] = 0x11;
            regs[7] = 20;
            expect_like_interp(engines[_i], cmp_code, 10, regs, n, 11);
            memset(regs, 0, sizeof(regs));
            regs[0] = pairs[p][0];
            regs[8] = pairs[p][1];
            regs[10] = 0x3fffffff;
            regs[5] = 7;
            regs[7] = 20;
            expect_like_interp(engines[_i], carry_code, 7, regs, n, 11);
        }
    }
}
END_TEST

/* Run `code` for n_insns instructions on a fresh machine whose r2, r3, ... start as
 * vals[0], vals[1], ... */
static void run_from_r2(A32Run *r, DbtEngine engine, const uint32_t *code, unsigned n_words,
                        const uint32_t *vals, unsigned n_vals, unsigned n_insns)
{
    a32_run_init_engine(r, engine);
    for (unsigned j = 0; j < n_vals; j++)
        r->cpu.r[2 + j] = vals[j];
    ck_assert_int_eq(a32_run_code_ex(r, code, n_words, n_insns), DBT_EXIT_MAX_INSNS);
}

/* What ir_pass_registers rewrites, against values computed here (the interpreter runs
 * the rewritten IR too): UDIV+MLS fused into one remainder, by zero as well (the
 * dividend); squares whose two operands are one register read; a register write that a
 * later one overwrites. */
START_TEST(test_register_pass_results)
{
    static const uint32_t code[] = {
        0xe73af312, /* 0:  udiv r10, r2, r3 */
        0xe06a2a93, /* 4:  mls r10, r3, r10, r2 */
        0xe73bf412, /* 8:  udiv r11, r2, r4 */
        0xe06b2b94, /* c:  mls r11, r4, r11, r2 */
        0xe0c10595, /* 10: smull r0, r1, r5, r5 */
        0xe0876595, /* 14: umull r6, r7, r5, r5 */
        0xe0080595, /* 18: mul r8, r5, r5 */
        0xe3a09001, /* 1c: mov r9, #1 */
        0xe3a09002, /* 20: mov r9, #2 */
        0xeafffffe, /* 24: b . */
    };
    static const uint32_t cases[][4] = { /* r2, r3, r4, r5 */
        { 10007, 3, 0, 0x8000 }, { 0xffffffff, 7, 0xfffffffe, 0xffff0001 },
        { 5, 0xffffffff, 1, 0x80000000 }, { 0, 1, 0, 0x7fffffff },
    };
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        A32Run r;
        run_from_r2(&r, engines[_i], code, 10, cases[k], 4, 12);
        uint32_t n = cases[k][0], d3 = cases[k][1], d4 = cases[k][2], x = cases[k][3];
        int64_t sq = (int64_t)(int32_t)x * (int32_t)x;
        uint64_t usq = (uint64_t)x * x;
        ck_assert_uint_eq(r.cpu.r[10], n % d3);
        ck_assert_uint_eq(r.cpu.r[11], d4 ? n % d4 : n);
        ck_assert_uint_eq(r.cpu.r[0], (uint32_t)sq);
        ck_assert_uint_eq(r.cpu.r[1], (uint32_t)((uint64_t)sq >> 32));
        ck_assert_uint_eq(r.cpu.r[6], (uint32_t)usq);
        ck_assert_uint_eq(r.cpu.r[7], (uint32_t)(usq >> 32));
        ck_assert_uint_eq(r.cpu.r[8], x * x);
        ck_assert_uint_eq(r.cpu.r[9], 2);
        a32_run_free(&r);
    }
}
END_TEST

/* Guest registers read once, by an ALU operation, a compare or a multiply, are not
 * loaded by the jit but taken as memory operands (`add r, [reg]`, `cmp [reg], r`,
 * `imul r, [reg]`); a commutative operation whose first operand is in memory and second
 * in a register swaps them, the others may not. Against values computed here, flags
 * included. */
START_TEST(test_operands_from_guest_memory)
{
    static const uint32_t code[] = {
        0xe1a0e0a3, /* 0:  lsr lr, r3, #1          (r3 now in a host register) */
        0xe0920003, /* 4:  adds r0, r2, r3         (add <r3's copy>, [r2]) */
        0xe0a41005, /* 8:  adc r1, r4, r5          (adc <r4>, [r5]) */
        0xe08ee0a7, /* c:  add lr, lr, r7, lsr #1  (r7 in a host register) */
        0xe1560007, /* 10: cmp r6, r7              (cmp [r6], <r7>) */
        0xb3a08001, /* 14: movlt r8, #1 */
        0xa3a08002, /* 18: movge r8, #2 */
        0xe0090b9a, /* 1c: mul r9, r10, r11        (imul <r10>, [r11]) */
        0xe08ee127, /* 20: add lr, lr, r7, lsr #2  (r7 in a host register again) */
        0xe0d6c007, /* 24: sbcs r12, r6, r7        ([r6] first: not swapped) */
        0xe027b00a, /* 28: eor r11, r7, r10 */
        0xeafffffe, /* 2c: b . */
    };
    static const uint32_t cases[][10] = { /* r2 .. r11 */
        { 0xffffffff, 1, 0x7fffffff, 0, 5, 7, 0, 0, 3, 0xfffffffd },
        { 0x80000000, 0x80000000, 1, 2, 0x80000000, 1, 0, 0, 0x10001, 0x10001 },
        { 12, 34, 0xfffffffe, 1, 0x7fffffff, 0xffffffff, 0, 0, 0xdeadbeef, 0 },
        { 0, 0, 0, 0, 9, 9, 0, 0, 0x80000000, 2 },
    };
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        A32Run r;
        run_from_r2(&r, engines[_i], code, 12, cases[k], 10, 12);
        const uint32_t *v = cases[k];
        uint32_t r2 = v[0], r3 = v[1], r4 = v[2], r5 = v[3], r6 = v[4], r7 = v[5];
        uint32_t r10 = v[8], r11 = v[9];
        uint64_t sum = (uint64_t)r2 + r3;
        ck_assert_uint_eq(r.cpu.r[0], (uint32_t)sum);
        ck_assert_uint_eq(r.cpu.r[1], r4 + r5 + (uint32_t)(sum >> 32));
        ck_assert_uint_eq(r.cpu.r[8], (int32_t)r6 < (int32_t)r7 ? 1 : 2);
        ck_assert_uint_eq(r.cpu.r[9], r10 * r11);
        ck_assert_uint_eq(r.cpu.r[14], (r3 >> 1) + (r7 >> 1) + (r7 >> 2));
        /* SBCS with the carry of the CMP (not borrow: r6 >= r7 unsigned) */
        uint32_t cin = r6 >= r7;
        uint64_t usum = (uint64_t)r6 + (uint32_t)~r7 + cin;
        int64_t ssum = (int64_t)(int32_t)r6 + (int32_t)~r7 + cin;
        uint32_t res = (uint32_t)usum;
        ck_assert_uint_eq(r.cpu.r[12], res);
        ck_assert_uint_eq(r.cpu.nf, res >> 31);
        ck_assert_uint_eq(r.cpu.zf, res == 0);
        ck_assert_uint_eq(r.cpu.cf, (uint32_t)(usum >> 32));
        ck_assert_uint_eq(r.cpu.vf, ssum != (int32_t)res);
        ck_assert_uint_eq(r.cpu.r[11], r7 ^ r10);
        a32_run_free(&r);
    }
}
END_TEST

/* Flags of a compare that a shift by a register then clobbers in EFLAGS are not
 * recomputed before a load: only if the load faults does its slow path recompute and
 * store them, and the data abort must then save them exactly in SPSR. Without a fault
 * the conditional instruction after the load must still see them. */
START_TEST(test_flags_exact_at_faulting_load)
{
    static const uint32_t vectors[] = {
        0, 0, 0, 0,
        0xe14f7000, /* 0x10 data abort: mrs r7, spsr */
        0xeafffffe, /* 0x14 b . */
    };
    static const uint32_t code[] = {
        0xe1500001, /* 0x40: cmp r0, r1 */
        0xe1a02413, /* 0x44: lsl r2, r3, r4 */
        0xe5965000, /* 0x48: ldr r5, [r6] */
        0xb3a08001, /* 0x4c: movlt r8, #1 */
        0xeafffffe, /* 0x50: b . */
    };
    static const uint32_t pairs[][2] = { { 1, 2 }, { 2, 1 }, { 5, 5 }, { 0x80000000, 1 },
                                         { 0x7fffffff, 0xffffffff } };
    for (unsigned k = 0; k < sizeof(pairs) / sizeof(pairs[0]); k++) {
        uint32_t a = pairs[k][0], b = pairs[k][1], d = a - b;
        uint32_t nzcv = (d >> 31) << 31 | (uint32_t)(d == 0) << 30 | (uint32_t)(a >= b) << 29 |
                        (uint32_t)((((a ^ b) & (a ^ d)) >> 31) << 28);
        bool lt = (int32_t)a < (int32_t)b;
        for (int fault = 0; fault < 2; fault++) {
            A32Run r;
            a32_run_init_engine(&r, engines[_i]);
            ck_assert_int_eq(physmem_copy_to_guest(&r.mem, A32_RAM_BASE, vectors, sizeof vectors), 0);
            ck_assert_int_eq(physmem_copy_to_guest(&r.mem, A32_RAM_BASE + 0x40, code, sizeof code), 0);
            r.cpu.cp15.vbar = A32_RAM_BASE;
            r.cpu.r[0] = a;
            r.cpu.r[1] = b;
            r.cpu.r[3] = 0x1234;
            r.cpu.r[4] = 3;
            /* nothing at 0x1000 (a data abort); the word at RAM + 0x800 is 0 */
            r.cpu.r[6] = fault ? 0x1000 : A32_RAM_BASE + 0x800;
            r.cpu.r[15] = A32_RAM_BASE + 0x40;
            /* cmp, lsl, then the handler's mrs, or the ldr and the movlt; then b . (a
             * budget that lets the whole block run translated) */
            ck_assert_int_eq(dbt_run(r.dbt, 20), DBT_EXIT_MAX_INSNS);
            ck_assert_uint_eq(r.cpu.r[2], 0x1234u << 3);
            if (fault) {
                ck_assert_uint_eq(r.cpu.exceptions[ARM_EXC_DATA_ABORT], 1);
                ck_assert_uint_eq(r.cpu.r[7] & 0xf0000000u, nzcv);
            } else {
                ck_assert_uint_eq(r.cpu.r[8], lt ? 1 : 0);
                ck_assert_uint_eq(r.cpu.r[15], A32_RAM_BASE + 0x50);
                ck_assert_uint_eq(r.cpu.exceptions[ARM_EXC_DATA_ABORT], 0);
            }
            a32_run_free(&r);
        }
    }
}
END_TEST

/* A dirty guest register that the block overwrites before anything can see it is not
 * stored when the allocator evicts it, unless flags may still be recomputed from it:
 * here r1 (dirty after the add) is the first operand of the CMP whose flags the shift
 * clobbers in EFLAGS; twelve dirty registers evict it, and `mov r1, #7` must have the
 * flags recomputed from r1's value, not from a stale copy in memory (9 < 10 would make
 * the MOVLT run). */
START_TEST(test_evicted_register_flags_come_from)
{
    static const uint32_t code[] = {
        0xe2811001, /* add r1, r1, #1 */
        0xe1510002, /* cmp r1, r2 */
        0xe1a03413, /* lsl r3, r3, r4 */
        0xe2844004, /* add r4, r4, #4 */
        0xe2855005, /* add r5, r5, #5 */
        0xe2866006, /* add r6, r6, #6 */
        0xe2877007, /* add r7, r7, #7 */
        0xe2888008, /* add r8, r8, #8 */
        0xe2899009, /* add r9, r9, #9 */
        0xe28aa00a, /* add r10, r10, #10 */
        0xe28bb00b, /* add r11, r11, #11 */
        0xe28cc00c, /* add r12, r12, #12 */
        0xe28ee00e, /* add lr, lr, #14 */
        0xe3a01007, /* mov r1, #7 */
        0xb3a00001, /* movlt r0, #1 */
        0xeafffffe, /* b . */
    };
    A32Run r;
    a32_run_init_engine(&r, engines[_i]);
    for (unsigned g = 1; g <= 14; g++)
        r.cpu.r[g] = 100 * g;
    r.cpu.r[1] = 9;
    r.cpu.r[2] = 10;
    r.cpu.r[4] = 2;
    ck_assert_int_eq(a32_run_code_ex(&r, code, 16, 30), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(r.cpu.r[0], 0); /* 10 < 10 is false: no MOVLT */
    ck_assert_uint_eq(r.cpu.r[1], 7);
    ck_assert_uint_eq(r.cpu.zf, 1);
    ck_assert_uint_eq(r.cpu.cf, 1);
    ck_assert_uint_eq(r.cpu.r[3], 300u << 2);
    for (unsigned g = 4; g <= 12; g++)
        ck_assert_uint_eq(r.cpu.r[g], (g == 4 ? 2 : 100 * g) + g);
    ck_assert_uint_eq(r.cpu.r[14], 1400 + 14);
    a32_run_free(&r);
}
END_TEST

/* The same at a load that faults: nine dirty registers and lr (clean, never read again)
 * fill the host registers; the load's address takes lr's, the loaded value r1's, which
 * the next instruction overwrites. The load sees the registers (it may fault), so r1
 * must be stored: the data abort finds r1 = 10, not 9. */
START_TEST(test_evicted_register_exact_at_faulting_load)
{
    static const uint32_t vectors[] = { 0, 0, 0, 0, 0xeafffffe /* 0x10 data abort: b . */ };
    static const uint32_t code[] = {
        0xe2811001, /* 0x40: add r1, r1, #1 */
        0xe1a0208e, /* lsl r2, lr, #1 */
        0xe2833003, /* add r3, r3, #3 */
        0xe2844004, /* add r4, r4, #4 */
        0xe2855005, /* add r5, r5, #5 */
        0xe2866006, /* add r6, r6, #6 */
        0xe2877007, /* add r7, r7, #7 */
        0xe2888008, /* add r8, r8, #8 */
        0xe2899009, /* add r9, r9, #9 */
        0xe59b0000, /* ldr r0, [r11]   (nothing there: a data abort) */
        0xe3a01007, /* mov r1, #7 */
        0xe182c003, /* orr r12, r2, r3  (r2-r9 read again: r1 is the one */
        0xe18cc004, /* orr r12, r12, r4  the allocator wants least) */
        0xe18cc005, /* orr r12, r12, r5 */
        0xe18cc006, /* orr r12, r12, r6 */
        0xe18cc007, /* orr r12, r12, r7 */
        0xe18cc008, /* orr r12, r12, r8 */
        0xe18cc009, /* orr r12, r12, r9 */
        0xeafffffe, /* b . */
    };
    A32Run r;
    a32_run_init_engine(&r, engines[_i]);
    ck_assert_int_eq(physmem_copy_to_guest(&r.mem, A32_RAM_BASE, vectors, sizeof vectors), 0);
    ck_assert_int_eq(physmem_copy_to_guest(&r.mem, A32_RAM_BASE + 0x40, code, sizeof code), 0);
    r.cpu.cp15.vbar = A32_RAM_BASE;
    for (unsigned g = 1; g <= 9; g++)
        r.cpu.r[g] = 100 * g;
    r.cpu.r[1] = 9;
    r.cpu.r[11] = 0x1000;
    r.cpu.r[14] = 0x50;
    r.cpu.r[15] = A32_RAM_BASE + 0x40;
    ck_assert_int_eq(dbt_run(r.dbt, 40), DBT_EXIT_MAX_INSNS);
    ck_assert_uint_eq(r.cpu.exceptions[ARM_EXC_DATA_ABORT], 1);
    ck_assert_uint_eq(r.cpu.r[15], A32_RAM_BASE + 0x10);
    ck_assert_uint_eq(r.cpu.r[1], 10);
    ck_assert_uint_eq(r.cpu.r[2], 0x50u << 1);
    for (unsigned g = 3; g <= 9; g++)
        ck_assert_uint_eq(r.cpu.r[g], 100 * g + g);
    a32_run_free(&r);
}
END_TEST

/* The jit leaves a remainder in RDX, where DIV put it, until an operation that needs
 * RDX (here a shift by a register) comes: it must move it away first. */
START_TEST(test_remainder_kept_in_rdx)
{
    static const uint32_t code[] = {
        0xe73af312, /* 0:  udiv r10, r2, r3 */
        0xe06a2a93, /* 4:  mls r10, r3, r10, r2 */
        0xe1a05615, /* 8:  lsl r5, r5, r6 */
        0xe28a9001, /* c:  add r9, r10, #1 */
        0xe73bf412, /* 10: udiv r11, r2, r4 */
        0xe06b2b94, /* 14: mls r11, r4, r11, r2 */
        0xe28bb002, /* 18: add r11, r11, #2 */
        0xeafffffe, /* 1c: b . */
    };
    static const uint32_t cases[][5] = { /* r2, r3, r4, r5, r6 */
        { 1000003, 97, 0, 3, 4 }, { 0xfffffff0, 0x10001, 7, 0x80000001, 31 },
        { 12, 5, 0xffffffff, 1, 33 },
    };
    for (unsigned k = 0; k < sizeof(cases) / sizeof(cases[0]); k++) {
        A32Run r;
        run_from_r2(&r, engines[_i], code, 8, cases[k], 5, 7);
        uint32_t n = cases[k][0], d3 = cases[k][1], d4 = cases[k][2];
        uint32_t x = cases[k][3], s = cases[k][4] & 0xff;
        ck_assert_uint_eq(r.cpu.r[10], n % d3);
        ck_assert_uint_eq(r.cpu.r[9], n % d3 + 1);
        ck_assert_uint_eq(r.cpu.r[5], s >= 32 ? 0 : x << s);
        ck_assert_uint_eq(r.cpu.r[11], (d4 ? n % d4 : n) + 2);
        a32_run_free(&r);
    }
}
END_TEST

/* A short loop is translated unrolled (two iterations per block, the first leaving to
 * the next instruction when its branch is not taken): stopped by the budget after every
 * number of instructions, with an odd and an even trip count, it must be where a step by
 * step model of the three instructions is. */
START_TEST(test_unrolled_loop_against_model)
{
    static const uint32_t code[] = {
        0xe2500001, /* 0: subs r0, r0, #1 */
        0xe0811000, /* 4: add r1, r1, r0 */
        0x1afffffc, /* 8: bne 0 */
        0xe2822001, /* c: add r2, r2, #1 */
        0xeafffffe, /* 10: b . */
    };
    for (uint32_t trips = 5; trips <= 6; trips++) {
        for (unsigned n = 1; n <= 3 * trips + 3; n++) {
            uint32_t r0 = trips, r1 = 0, r2 = 0, pc = 0;
            for (unsigned k = 0; k < n; k++) { /* the model */
                switch (pc) {
                case 0: r0--; pc = 4; break;
                case 4: r1 += r0; pc = 8; break;
                case 8: pc = r0 ? 0 : 0xc; break;
                case 0xc: r2++; pc = 0x10; break;
                default: break;
                }
            }
            A32Run r;
            a32_run_init_engine(&r, engines[_i]);
            r.cpu.r[0] = trips;
            ck_assert_int_eq(a32_run_code_ex(&r, code, 5, n), DBT_EXIT_MAX_INSNS);
            ck_assert_msg(r.cpu.r[0] == r0 && r.cpu.r[1] == r1 && r.cpu.r[2] == r2,
                          "%u trips, %u insns: r0 %u r1 %u r2 %u, model %u %u %u", trips, n,
                          r.cpu.r[0], r.cpu.r[1], r.cpu.r[2], r0, r1, r2);
            ck_assert_uint_eq(r.cpu.r[15] - A32_RAM_BASE, pc);
            ck_assert_uint_eq(r.cpu.icount, n);
            a32_run_free(&r);
        }
    }
}
END_TEST

/* A loop using ten guest registers keeps only its most read loop-carried ones (r1, r2,
 * r3) in host registers from one iteration to the next; at the back edge their new
 * values, which the body computed elsewhere, are moved into place as one parallel move
 * (here a rotation). Stopped by the budget after every number of instructions (the
 * out-of-budget path writes the pinned registers back), it must be where a C model is. */
START_TEST(test_big_loop_pinned_against_model)
{
    static const uint32_t code[] = {
        0xe0814002, /* 0:  add r4, r1, r2 */
        0xe0825003, /* 4:  add r5, r2, r3 */
        0xe0836001, /* 8:  add r6, r3, r1 */
        0xe0247005, /* c:  eor r7, r4, r5 */
        0xe0258006, /* 10: eor r8, r5, r6 */
        0xe1a09001, /* 14: mov r9, r1 */
        0xe0821007, /* 18: add r1, r2, r7 */
        0xe0832008, /* 1c: add r2, r3, r8 */
        0xe0893004, /* 20: add r3, r9, r4 */
        0xe2500001, /* 24: subs r0, r0, #1 */
        0x1afffff4, /* 28: bne 0 */
        0xeafffffe, /* 2c: b . */
    };
    const uint32_t trips = 7, init[4] = { trips, 0x12345678, 0x9abcdef0, 0x0f1e2d3c };
    for (unsigned n = 1; n <= 11 * trips + 3; n++) {
        uint32_t m[10] = { init[0], init[1], init[2], init[3] }, pc = 0;
        for (unsigned k = 0; k < n; k++) { /* the model, one instruction at a time */
            switch (pc) {
            case 0x00: m[4] = m[1] + m[2]; break;
            case 0x04: m[5] = m[2] + m[3]; break;
            case 0x08: m[6] = m[3] + m[1]; break;
            case 0x0c: m[7] = m[4] ^ m[5]; break;
            case 0x10: m[8] = m[5] ^ m[6]; break;
            case 0x14: m[9] = m[1]; break;
            case 0x18: m[1] = m[2] + m[7]; break;
            case 0x1c: m[2] = m[3] + m[8]; break;
            case 0x20: m[3] = m[9] + m[4]; break;
            case 0x24: m[0]--; break;
            default: break;
            }
            pc = pc == 0x28 ? (m[0] ? 0 : 0x2c) : pc == 0x2c ? 0x2c : pc + 4;
        }
        A32Run r;
        a32_run_init_engine(&r, engines[_i]);
        for (unsigned g = 0; g < 4; g++)
            r.cpu.r[g] = init[g];
        ck_assert_int_eq(a32_run_code_ex(&r, code, 12, n), DBT_EXIT_MAX_INSNS);
        for (unsigned g = 0; g < 10; g++)
            ck_assert_msg(r.cpu.r[g] == m[g], "%u insns: r%u %08x, model %08x", n, g, r.cpu.r[g], m[g]);
        ck_assert_uint_eq(r.cpu.r[15] - A32_RAM_BASE, pc);
        a32_run_free(&r);
    }
}
END_TEST

/* A soft budget (the real-time clock's slices) ends at the end of the block it falls in,
 * with the count still exact; the default stops on the instruction. */
START_TEST(test_soft_budget_ends_at_block_end)
{
    static const uint32_t code[] = {
        0xe2800001, 0xe2800001, 0xe2800001, 0xe2800001, /* add r0, r0, #1 (four times) */
        0xeafffffe,                                     /* b . */
    };
    for (int soft = 0; soft < 2; soft++) {
        A32Run r;
        a32_run_init_engine(&r, engines[_i]);
        dbt_set_soft_budget(r.dbt, soft);
        ck_assert_int_eq(a32_run_code_ex(&r, code, 5, 2), DBT_EXIT_MAX_INSNS);
        ck_assert_uint_eq(r.cpu.icount, soft ? 5 : 2);
        ck_assert_uint_eq(r.cpu.r[0], soft ? 4 : 2);
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
    tcase_add_loop_test(tc, test_budget_ends_inside_self_loop, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_flags_recomputed_after_compare, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_register_pass_results, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_soft_budget_ends_at_block_end, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_unrolled_loop_against_model, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_operands_from_guest_memory, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_flags_exact_at_faulting_load, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_big_loop_pinned_against_model, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_evicted_register_flags_come_from, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_evicted_register_exact_at_faulting_load, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_remainder_kept_in_rdx, 0, N_ENGINES);
    tcase_add_loop_test(tc, test_code_buffer_flush, 0, N_ENGINES);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
