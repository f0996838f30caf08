/*
 * A32 multiplies and divides (frontend-arm/translate_mul.c): decoder names, the
 * Q-setting helpers, and execution through the IR interpreter. Expected values are
 * computed by hand from the ARM ARM pseudocode (A8.8.100 MLA ... A8.8.257 UMULL).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "a32_harness.h"
#include "frontend-arm/helpers_media.h"

/* --- decoder --- */

typedef struct NameCase {
    uint32_t insn;
    const char *name;
} NameCase;

/* Encodings from arm-none-eabi-as -march=armv7-a (r1, r2, r3, r4 as operands). */
static const NameCase mul_names[] = {
    { 0xe0010392, "MUL" },     /* mul r1, r2, r3 */
    { 0xe0110392, "MUL" },     /* muls */
    { 0xe0214392, "MLA" },     /* mla r1, r2, r3, r4 */
    { 0xe0314392, "MLA" },     /* mlas */
    { 0xe0614392, "MLS" },
    { 0xe0821493, "UMULL" },   /* umull r1, r2, r3, r4 */
    { 0xe0921493, "UMULL" },   /* umulls */
    { 0xe0a21493, "UMLAL" },
    { 0xe0b21493, "UMLAL" },
    { 0xe0c21493, "SMULL" },
    { 0xe0d21493, "SMULL" },
    { 0xe0e21493, "SMLAL" },
    { 0xe0f21493, "SMLAL" },
    { 0xe0421493, "UMAAL" },
    { 0xe1610382, "SMULxy" },  /* smulbb */
    { 0xe16103c2, "SMULxy" },  /* smulbt */
    { 0xe16103a2, "SMULxy" },  /* smultb */
    { 0xe16103e2, "SMULxy" },  /* smultt */
    { 0xe1014382, "SMLAxy" },  /* smlabb */
    { 0xe10143c2, "SMLAxy" },
    { 0xe10143a2, "SMLAxy" },
    { 0xe10143e2, "SMLAxy" },  /* smlatt */
    { 0xe12103a2, "SMULWy" },  /* smulwb */
    { 0xe12103e2, "SMULWy" },  /* smulwt */
    { 0xe1214382, "SMLAWy" },  /* smlawb */
    { 0xe12143c2, "SMLAWy" },  /* smlawt */
    { 0xe1421483, "SMLALxy" }, /* smlalbb */
    { 0xe14214c3, "SMLALxy" },
    { 0xe14214a3, "SMLALxy" },
    { 0xe14214e3, "SMLALxy" }, /* smlaltt */
    { 0xe701f312, "SMUAD" },
    { 0xe701f332, "SMUAD" },   /* smuadx */
    { 0xe701f352, "SMUSD" },
    { 0xe701f372, "SMUSD" },   /* smusdx */
    { 0xe7014312, "SMLAD" },
    { 0xe7014332, "SMLAD" },   /* smladx */
    { 0xe7014352, "SMLSD" },
    { 0xe7014372, "SMLSD" },   /* smlsdx */
    { 0xe7421413, "SMLALD" },
    { 0xe7421433, "SMLALD" },  /* smlaldx */
    { 0xe7421453, "SMLSLD" },
    { 0xe7421473, "SMLSLD" },  /* smlsldx */
    { 0xe751f312, "SMMUL" },
    { 0xe751f332, "SMMUL" },   /* smmulr */
    { 0xe7514312, "SMMLA" },
    { 0xe7514332, "SMMLA" },   /* smmlar */
    { 0xe75143d2, "SMMLS" },
    { 0xe75143f2, "SMMLS" },   /* smmlsr */
    { 0xe711f312, "SDIV" },
    { 0xe731f312, "UDIV" },
    { 0x0711f312, "SDIV" },    /* sdiveq */
};

START_TEST(test_decode_names)
{
    for (size_t i = 0; i < sizeof(mul_names) / sizeof(mul_names[0]); i++) {
        const char *got = arm_decode_name(mul_names[i].insn);
        ck_assert_msg(got && strcmp(got, mul_names[i].name) == 0, "%08x: want %s, got %s",
                      mul_names[i].insn, mul_names[i].name, got ? got : "NULL");
    }
}
END_TEST

/* UNDEFINED neighbours must not decode as one of our instructions. */
static bool is_mul_name(const char *name)
{
    if (!name)
        return false;
    for (size_t i = 0; i < sizeof(mul_names) / sizeof(mul_names[0]); i++)
        if (strcmp(name, mul_names[i].name) == 0)
            return true;
    return false;
}

START_TEST(test_decode_undefined)
{
    static const uint32_t undef[] = {
        0xe0521493, /* A5.2.5 op = 0101 */
        0xe0721493, /* A5.2.5 op = 0111 */
        0xe711f332, /* A5.4.4 op1 = 001, op2 = 001 (SDIV space) */
        0xe731f392, /* A5.4.4 op1 = 011, op2 = 100 (UDIV space) */
        0xe7514352, /* A5.4.4 op1 = 101, op2 = 010 (between SMMLA and SMMLS) */
        0xe7614312, /* A5.4.4 op1 = 110 */
        0xe7214312, /* A5.4.4 op1 = 010 */
        0xe7421493, /* A5.4.4 op1 = 100, op2 = 100 */
        0xf0010392, /* MUL with cond = 1111 */
    };
    for (size_t i = 0; i < sizeof(undef) / sizeof(undef[0]); i++) {
        const char *got = arm_decode_name(undef[i]);
        ck_assert_msg(!is_mul_name(got), "%08x decodes as %s", undef[i], got);
    }
}
END_TEST

/* --- helpers --- */

static ArmCpu hcpu;

START_TEST(test_helper_add_setq)
{
    memset(&hcpu, 0, sizeof(hcpu));
    ck_assert_uint_eq(media_add_setq(&hcpu, 0x7ffffffe, 1, 0), 0x7fffffff);
    ck_assert_uint_eq(hcpu.qf, 0);
    ck_assert_uint_eq(media_add_setq(&hcpu, 0xffffffff, 0x80000000, 0), 0x7fffffff);
    ck_assert_uint_eq(hcpu.qf, 1);
    /* sticky */
    ck_assert_uint_eq(media_add_setq(&hcpu, 1, 2, 0), 3);
    ck_assert_uint_eq(hcpu.qf, 1);
    hcpu.qf = 0;
    ck_assert_uint_eq(media_add_setq(&hcpu, 0x7fffffff, 1, 0), 0x80000000);
    ck_assert_uint_eq(hcpu.qf, 1);
    hcpu.qf = 0;
    ck_assert_uint_eq(media_add_setq(&hcpu, 0x80000000, 0x7fffffff, 0), 0xffffffff);
    ck_assert_uint_eq(hcpu.qf, 0);
}
END_TEST

START_TEST(test_helper_smlad_smlsd)
{
    memset(&hcpu, 0, sizeof(hcpu));
    /* (-32768)^2 * 2 = 0x80000000: overflows with no accumulator ... */
    ck_assert_uint_eq(media_smlad(&hcpu, 0x80008000, 0x80008000, 0), 0x80000000);
    ck_assert_uint_eq(hcpu.qf, 1);
    /* ... but not with -1 added: the sum is computed exactly. */
    hcpu.qf = 0;
    ck_assert_uint_eq(media_smlad(&hcpu, 0x80008000, 0x80008000, 0xffffffff), 0x7fffffff);
    ck_assert_uint_eq(hcpu.qf, 0);
    /* 2*5 + 3*7 = 31, + 100 */
    ck_assert_uint_eq(media_smlad(&hcpu, 0x00020003, 0x00050007, 100), 131);
    /* negative operands: (-1)(-1) + (-2)(3) = -5 */
    ck_assert_uint_eq(media_smlad(&hcpu, 0xfffeffff, 0x0003ffff, 0), 0xfffffffb);
    ck_assert_uint_eq(hcpu.qf, 0);
    /* SMLSD: 3*7 - 2*5 = 11; p0 - p1 + acc overflowing */
    ck_assert_uint_eq(media_smlsd(&hcpu, 0x00020003, 0x00050007, 0), 11);
    ck_assert_uint_eq(hcpu.qf, 0);
    ck_assert_uint_eq(media_smlsd(&hcpu, 0x00008000, 0x00008000, 0x40000000), 0x80000000);
    ck_assert_uint_eq(hcpu.qf, 1);
    hcpu.qf = 0;
    /* (-32768)(32767) - (-32768)(-32768) = -0x7fff8000, + (-0x8000) = -2^31: fits */
    ck_assert_uint_eq(media_smlsd(&hcpu, 0x80008000, 0x80007fff, 0xffff8000), 0x80000000);
    ck_assert_uint_eq(hcpu.qf, 0);
    /* one less does not fit */
    ck_assert_uint_eq(media_smlsd(&hcpu, 0x80008000, 0x80007fff, 0xffff7fff), 0x7fffffff);
    ck_assert_uint_eq(hcpu.qf, 1);
}
END_TEST

/* --- execution --- */

static A32Run run;
static void setup(void) { a32_run_init(&run); }
static void teardown(void) { a32_run_free(&run); }

/* Run one instruction at the start of RAM (dropping any earlier translation). */
static void exec1(uint32_t insn)
{
    dbt_flush(run.dbt);
    ck_assert_int_eq(a32_run_code(&run, &insn, 1), DBT_EXIT_MAX_INSNS);
}

static void set_regs(uint32_t r1, uint32_t r2, uint32_t r3, uint32_t r4)
{
    run.cpu.r[1] = r1;
    run.cpu.r[2] = r2;
    run.cpu.r[3] = r3;
    run.cpu.r[4] = r4;
}

static void set_nzcvq(int n, int z, int c, int v, int q)
{
    run.cpu.nf = (uint8_t)n;
    run.cpu.zf = (uint8_t)z;
    run.cpu.cf = (uint8_t)c;
    run.cpu.vf = (uint8_t)v;
    run.cpu.qf = (uint8_t)q;
}

static void check_nzcvq(int n, int z, int c, int v, int q)
{
    ck_assert_uint_eq(run.cpu.nf, n);
    ck_assert_uint_eq(run.cpu.zf, z);
    ck_assert_uint_eq(run.cpu.cf, c);
    ck_assert_uint_eq(run.cpu.vf, v);
    ck_assert_uint_eq(run.cpu.qf, q);
}

START_TEST(test_exec_mul_mla_mls)
{
    set_regs(0, 0x12345678, 0x9abcdef0, 0x11111111);
    set_nzcvq(0, 0, 1, 1, 0);
    exec1(0xe0010392); /* mul r1, r2, r3 */
    ck_assert_uint_eq(run.cpu.r[1], 0x242d2080);
    check_nzcvq(0, 0, 1, 1, 0);
    exec1(0xe0214392); /* mla r1, r2, r3, r4 */
    ck_assert_uint_eq(run.cpu.r[1], 0x353e3191);
    exec1(0xe0614392); /* mls r1, r2, r3, r4 */
    ck_assert_uint_eq(run.cpu.r[1], 0xece3f091);
    check_nzcvq(0, 0, 1, 1, 0);

    /* muls: N, Z from the result, C and V unchanged */
    set_regs(0, 0x10000, 0x10000, 0);
    exec1(0xe0110392);
    ck_assert_uint_eq(run.cpu.r[1], 0);
    check_nzcvq(0, 1, 1, 1, 0);
    set_regs(0, 0xffffffff, 1, 0);
    set_nzcvq(0, 1, 0, 0, 0);
    exec1(0xe0110392);
    ck_assert_uint_eq(run.cpu.r[1], 0xffffffff);
    check_nzcvq(1, 0, 0, 0, 0);
    /* mlas: 2 * 3 + (-6) = 0 */
    set_regs(0, 2, 3, 0xfffffffa);
    set_nzcvq(1, 0, 1, 0, 0);
    exec1(0xe0314392);
    ck_assert_uint_eq(run.cpu.r[1], 0);
    check_nzcvq(0, 1, 1, 0, 0);
}
END_TEST

START_TEST(test_exec_long)
{
    /* umull r1, r2, r3, r4: RdLo = r1, RdHi = r2 */
    set_regs(0, 0, 0xffffffff, 0xffffffff);
    exec1(0xe0821493);
    ck_assert_uint_eq(run.cpu.r[1], 0x00000001);
    ck_assert_uint_eq(run.cpu.r[2], 0xfffffffe);
    /* umulls: N from bit 63 */
    set_nzcvq(0, 1, 1, 1, 0);
    exec1(0xe0921493);
    check_nzcvq(1, 0, 1, 1, 0);
    /* umlal: 0x80000000 * 4 + 0x1_fffffffe = 0x3_fffffffe (carry into the high word) */
    set_regs(0xfffffffe, 1, 0x80000000, 4);
    exec1(0xe0a21493);
    ck_assert_uint_eq(run.cpu.r[1], 0xfffffffe);
    ck_assert_uint_eq(run.cpu.r[2], 3);
    /* smull: -1 * 0x80000000 = +0x80000000 */
    set_regs(0, 0, 0xffffffff, 0x80000000);
    exec1(0xe0c21493);
    ck_assert_uint_eq(run.cpu.r[1], 0x80000000);
    ck_assert_uint_eq(run.cpu.r[2], 0);
    /* smlals: -2 * 3 + 6 = 0 (Z set from all 64 bits) */
    set_regs(6, 0, 0xfffffffe, 3);
    set_nzcvq(1, 0, 0, 1, 0);
    exec1(0xe0f21493);
    ck_assert_uint_eq(run.cpu.r[1], 0);
    ck_assert_uint_eq(run.cpu.r[2], 0);
    check_nzcvq(0, 1, 0, 1, 0);
    /* umulls with a zero low word but nonzero high word: Z clear */
    set_regs(0, 0, 0x10000, 0x10000);
    exec1(0xe0921493);
    ck_assert_uint_eq(run.cpu.r[1], 0);
    ck_assert_uint_eq(run.cpu.r[2], 1);
    check_nzcvq(0, 0, 0, 1, 0);
    /* umaal: 0xffffffff^2 + 0xffffffff + 0xffffffff = 2^64 - 1 */
    set_regs(0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff);
    exec1(0xe0421493);
    ck_assert_uint_eq(run.cpu.r[1], 0xffffffff);
    ck_assert_uint_eq(run.cpu.r[2], 0xffffffff);
}
END_TEST

START_TEST(test_exec_halfword)
{
    /* smulxy r1, r2, r3 with r2 = 0x7fff8000, r3 = 0x80007fff */
    static const struct { uint32_t insn, want; } smul[] = {
        { 0xe1610382, 0xc0008000 }, /* smulbb: -32768 * 32767 */
        { 0xe16103c2, 0x40000000 }, /* smulbt: -32768 * -32768 */
        { 0xe16103a2, 0x3fff0001 }, /* smultb: 32767 * 32767 */
        { 0xe16103e2, 0xc0008000 }, /* smultt: 32767 * -32768 */
    };
    for (unsigned i = 0; i < 4; i++) {
        set_regs(0, 0x7fff8000, 0x80007fff, 0);
        exec1(smul[i].insn);
        ck_assert_uint_eq(run.cpu.r[1], smul[i].want);
    }
    ck_assert_uint_eq(run.cpu.qf, 0);

    /* smlabb r1, r2, r3, r4: 0x40000000 + 0x40000000 overflows: Q */
    set_regs(0, 0x8000, 0x8000, 0x40000000);
    exec1(0xe1014382);
    ck_assert_uint_eq(run.cpu.r[1], 0x80000000);
    ck_assert_uint_eq(run.cpu.qf, 1);
    /* smlatt without overflow leaves Q set (sticky) */
    set_regs(0, 0x00030000, 0xfffb0000, 100);
    exec1(0xe10143e2);
    ck_assert_uint_eq(run.cpu.r[1], 85);
    ck_assert_uint_eq(run.cpu.qf, 1);
    run.cpu.qf = 0;
    exec1(0xe10143e2);
    ck_assert_uint_eq(run.cpu.qf, 0);

    /* smulwb/wt r1, r2, r3: (r2 * half(r3)) >> 16 */
    set_regs(0, 0x12345678, 0xffff8001, 0);
    exec1(0xe12103a2);
    ck_assert_uint_eq(run.cpu.r[1], 0xf6e5e6f8);
    exec1(0xe12103e2);
    ck_assert_uint_eq(run.cpu.r[1], 0xffffedcb);
    /* smlawt r1, r2, r3, r4: (0x7fffffff * 0x7fff) >> 16 = 0x3fff7fff, + 1 */
    set_regs(0, 0x7fffffff, 0x7fff0000, 1);
    exec1(0xe12143c2);
    ck_assert_uint_eq(run.cpu.r[1], 0x3fff8000);
    ck_assert_uint_eq(run.cpu.qf, 0);
    /* smlawb: (-2^31 * 0x7fff) >> 16 + (-2^31) overflows */
    set_regs(0, 0x80000000, 0x7fff, 0x80000000);
    exec1(0xe1214382);
    ck_assert_uint_eq(run.cpu.r[1], 0x40008000);
    ck_assert_uint_eq(run.cpu.qf, 1);

    /* smlaltb r1, r2, r3, r4: RdHi:RdLo = 1:0 + (-32768 * 32767) */
    set_regs(0, 1, 0x80000000, 0x00007fff);
    exec1(0xe14214a3);
    ck_assert_uint_eq(run.cpu.r[1], 0xc0008000);
    ck_assert_uint_eq(run.cpu.r[2], 0);
    /* smlalbb: 0xffffffff:0xffffffff + 1 * 1 = 0 */
    set_regs(0xffffffff, 0xffffffff, 1, 1);
    exec1(0xe1421483);
    ck_assert_uint_eq(run.cpu.r[1], 0);
    ck_assert_uint_eq(run.cpu.r[2], 0);
}
END_TEST

START_TEST(test_exec_dual)
{
    /* smuad r1, r2, r3 overflowing: Q */
    set_regs(0, 0x80008000, 0x80008000, 0);
    exec1(0xe701f312);
    ck_assert_uint_eq(run.cpu.r[1], 0x80000000);
    ck_assert_uint_eq(run.cpu.qf, 1);
    /* smlad r1, r2, r3, r4 with r4 = -1: no overflow */
    run.cpu.qf = 0;
    set_regs(0, 0x80008000, 0x80008000, 0xffffffff);
    exec1(0xe7014312);
    ck_assert_uint_eq(run.cpu.r[1], 0x7fffffff);
    ck_assert_uint_eq(run.cpu.qf, 0);
    /* smuadx: 3*5 + 2*7 = 29 */
    set_regs(0, 0x00020003, 0x00050007, 0);
    exec1(0xe701f332);
    ck_assert_uint_eq(run.cpu.r[1], 29);
    /* smusd: 3*7 - 2*5 = 11; smusdx: 3*5 - 2*7 = 1 */
    exec1(0xe701f352);
    ck_assert_uint_eq(run.cpu.r[1], 11);
    exec1(0xe701f372);
    ck_assert_uint_eq(run.cpu.r[1], 1);
    /* smusd with extremes: 0x8000^2 - 0x8000^2 ... and (-32768)(-32768) - (32767)(-32768) */
    set_regs(0, 0x7fff8000, 0x80008000, 0);
    exec1(0xe701f352);
    ck_assert_uint_eq(run.cpu.r[1], 0x40000000u + 0x3fff8000u);
    ck_assert_uint_eq(run.cpu.qf, 0);
    /* smlsd r1, r2, r3, r4: 0x8000^2 - 0 + 0x40000000 overflows */
    set_regs(0, 0x00008000, 0x00008000, 0x40000000);
    exec1(0xe7014352);
    ck_assert_uint_eq(run.cpu.r[1], 0x80000000);
    ck_assert_uint_eq(run.cpu.qf, 1);
    /* smlsdx: 3*5 - 2*7 + 10 = 11 */
    set_regs(0, 0x00020003, 0x00050007, 10);
    exec1(0xe7014372);
    ck_assert_uint_eq(run.cpu.r[1], 11);

    /* smlald r1, r2, r3, r4: -16 + 0x80000000 = 0x7ffffff0 (64-bit, no Q) */
    run.cpu.qf = 0;
    set_regs(0xfffffff0, 0xffffffff, 0x80008000, 0x80008000);
    exec1(0xe7421413);
    ck_assert_uint_eq(run.cpu.r[1], 0x7ffffff0);
    ck_assert_uint_eq(run.cpu.r[2], 0);
    ck_assert_uint_eq(run.cpu.qf, 0);
    /* smlaldx: 0:0xffffffff + 3*5 + 2*7 */
    set_regs(0xffffffff, 0, 0x00020003, 0x00050007);
    exec1(0xe7421433);
    ck_assert_uint_eq(run.cpu.r[1], 28);
    ck_assert_uint_eq(run.cpu.r[2], 1);
    /* smlsldx: 0x100 + (2*3 - 1*4) = 0x102 */
    set_regs(0x100, 0, 0x00010002, 0x00030004);
    exec1(0xe7421473);
    ck_assert_uint_eq(run.cpu.r[1], 0x102);
    ck_assert_uint_eq(run.cpu.r[2], 0);
    /* smlsld: 0 - (1 * 0x7fff) borrows into the high word */
    set_regs(0, 0, 0x00010000, 0x7fff0000);
    exec1(0xe7421453);
    ck_assert_uint_eq(run.cpu.r[1], 0xffff8001);
    ck_assert_uint_eq(run.cpu.r[2], 0xffffffff);
}
END_TEST

START_TEST(test_exec_smmul)
{
    /* smmul/smmulr r1, r2, r3: 0x40000000 * 3 = 0x0_c0000000 */
    set_regs(0, 0x40000000, 3, 0);
    exec1(0xe751f312);
    ck_assert_uint_eq(run.cpu.r[1], 0);
    exec1(0xe751f332);
    ck_assert_uint_eq(run.cpu.r[1], 1);
    /* 0x12345678 * 0x9abcdef0 (signed) */
    set_regs(0, 0x12345678, 0x9abcdef0, 0x11111111);
    exec1(0xe751f312);
    ck_assert_uint_eq(run.cpu.r[1], 0xf8cc93d6);
    exec1(0xe7514312); /* smmla */
    ck_assert_uint_eq(run.cpu.r[1], 0x09dda4e7);
    exec1(0xe7514332); /* smmlar */
    ck_assert_uint_eq(run.cpu.r[1], 0x09dda4e7);
    exec1(0xe75143d2); /* smmls */
    ck_assert_uint_eq(run.cpu.r[1], 0x18447d3a);
    exec1(0xe75143f2); /* smmlsr */
    ck_assert_uint_eq(run.cpu.r[1], 0x18447d3b);
    /* smmls with a zero product: Ra unchanged */
    set_regs(0, 0, 5, 0x80000000);
    exec1(0xe75143d2);
    ck_assert_uint_eq(run.cpu.r[1], 0x80000000);
    /* smmls: (0 << 32) - 1 = -1: high word 0xffffffff */
    set_regs(0, 1, 1, 0);
    exec1(0xe75143d2);
    ck_assert_uint_eq(run.cpu.r[1], 0xffffffff);
}
END_TEST

START_TEST(test_exec_div)
{
    static const struct { uint32_t insn, n, m, want; } cases[] = {
        { 0xe711f312, 0x80000000, 0xffffffff, 0x80000000 }, /* sdiv INT_MIN / -1 */
        { 0xe711f312, 12345, 0, 0 },                        /* sdiv by zero */
        { 0xe711f312, (uint32_t)-7, 2, (uint32_t)-3 },      /* rounds towards zero */
        { 0xe711f312, 7, (uint32_t)-2, (uint32_t)-3 },
        { 0xe711f312, 0x80000000, 1, 0x80000000 },
        { 0xe731f312, 0xffffffff, 2, 0x7fffffff },          /* udiv */
        { 0xe731f312, 0xffffffff, 0, 0 },
        { 0xe731f312, 0x80000000, 0xffffffff, 0 },
        { 0xe731f312, 100, 7, 14 },
    };
    for (unsigned i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        set_regs(0xdeadbeef, cases[i].n, cases[i].m, 0);
        exec1(cases[i].insn);
        ck_assert_msg(run.cpu.r[1] == cases[i].want, "%08x: %08x / %08x = %08x, want %08x",
                      cases[i].insn, cases[i].n, cases[i].m, run.cpu.r[1], cases[i].want);
    }
}
END_TEST

START_TEST(test_exec_conditional)
{
    /* muleq r1, r2, r3 with Z clear: not executed */
    set_regs(0x55, 2, 3, 0);
    set_nzcvq(0, 0, 0, 0, 0);
    exec1(0x00010392);
    ck_assert_uint_eq(run.cpu.r[1], 0x55);
    run.cpu.zf = 1;
    exec1(0x00010392);
    ck_assert_uint_eq(run.cpu.r[1], 6);
}
END_TEST

START_TEST(test_exec_rd_pc_undefined)
{
    /* mul pc, r2, r3 (UNPREDICTABLE): taken as UNDEFINED */
    exec1(0xe00f0392);
    ck_assert_uint_eq(run.cpu.cpsr & CPSR_M, ARM_MODE_UND);
    ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 4);
}
END_TEST

static Suite *mul_suite(void)
{
    Suite *s = suite_create("a32_mul");
    TCase *tc = tcase_create("decode");
    tcase_add_test(tc, test_decode_names);
    tcase_add_test(tc, test_decode_undefined);
    suite_add_tcase(s, tc);
    tc = tcase_create("helpers");
    tcase_add_test(tc, test_helper_add_setq);
    tcase_add_test(tc, test_helper_smlad_smlsd);
    suite_add_tcase(s, tc);
    tc = tcase_create("exec");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_exec_mul_mla_mls);
    tcase_add_test(tc, test_exec_long);
    tcase_add_test(tc, test_exec_halfword);
    tcase_add_test(tc, test_exec_dual);
    tcase_add_test(tc, test_exec_smmul);
    tcase_add_test(tc, test_exec_div);
    tcase_add_test(tc, test_exec_conditional);
    tcase_add_test(tc, test_exec_rd_pc_undefined);
    suite_add_tcase(s, tc);
    return s;
}

int main(void)
{
    SRunner *sr = srunner_create(mul_suite());
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
