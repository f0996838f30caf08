/*
 * A32 loads and stores (translate_mem.c, helpers_mem.c): decoder names for every form,
 * decode-table sanity (no two patterns of equal specificity overlap), and execution of
 * each form through the IR interpreter, including writeback, the LDM/STM modes, the ^
 * forms, the exclusives, SWP, and precise data aborts.
 *
 * Encodings come from arm-none-eabi-as -march=armv7-a (the assembly is in the comments).
 */
#include <check.h>
#include <stdlib.h>
#include <string.h>

#include "a32_harness.h"
#include "frontend-arm/translate.h"

#define RAM_END (A32_RAM_BASE + A32_RAM_SIZE)
#define D (A32_RAM_BASE + 0x80000u) /* data area */
#define VECTORS (A32_RAM_BASE + 0x1000u)
#define NOP 0xe1a00000u

static A32Run run;

static void wr32(uint32_t a, uint32_t v) { ck_assert_int_eq(physmem_copy_to_guest(&run.mem, a, &v, 4), 0); }
static uint32_t rd32(uint32_t a)
{
    uint32_t v;
    ck_assert_int_eq(physmem_copy_from_guest(&run.mem, &v, a, 4), 0);
    return v;
}
static uint32_t rd8(uint32_t a)
{
    uint8_t v;
    ck_assert_int_eq(physmem_copy_from_guest(&run.mem, &v, a, 1), 0);
    return v;
}

static void setup(void)
{
    a32_run_init(&run);
    /* Exception vectors in RAM, each a NOP, so that a taken exception is observable. */
    run.cpu.cp15.vbar = VECTORS;
    for (unsigned k = 0; k < 8; k++)
        wr32(VECTORS + 4 * k, NOP);
}
static void teardown(void) { a32_run_free(&run); }

static uint32_t mode(void) { return run.cpu.cpsr & CPSR_M; }

#define RUN(code) ck_assert_int_eq(a32_run_code(&run, code, sizeof(code) / 4), DBT_EXIT_MAX_INSNS)
#define RUN_N(code, n) ck_assert_int_eq(a32_run_code_ex(&run, code, sizeof(code) / 4, n), DBT_EXIT_MAX_INSNS)

/* A data abort was taken for the instruction at RAM base (LR_abt = insn + 8). */
static void assert_data_abort(uint32_t fsr, uint32_t far)
{
    ck_assert_uint_eq(mode(), ARM_MODE_ABT);
    ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 8);
    ck_assert_uint_eq(run.cpu.cp15.dfsr, fsr);
    ck_assert_uint_eq(run.cpu.cp15.dfar, far);
}

/* --- decoder --- */

static const struct {
    uint32_t insn;
    const char *name;
} names[] = {
    { 0xe5921004, "ldr-imm" }, /* ldr r1, [r2, #4] */
    { 0xe5321004, "ldr-imm" }, /* ldr r1, [r2, #-4]! */
    { 0xe4921004, "ldr-imm" }, /* ldr r1, [r2], #4 */
    { 0xe59f1008, "ldr-lit" }, /* ldr r1, [pc, #8] */
    { 0xe49d1004, "pop" }, /* ldr r1, [sp], #4 */
    { 0xe4b21004, "ldrt-imm" }, /* ldrt r1, [r2], #4 */
    { 0xe5d21001, "ldrb-imm" }, /* ldrb r1, [r2, #1] */
    { 0xe4521001, "ldrb-imm" }, /* ldrb r1, [r2], #-1 */
    { 0xe55f1003, "ldrb-lit" }, /* ldrb r1, [pc, #-3] */
    { 0xe4f21001, "ldrbt-imm" }, /* ldrbt r1, [r2], #1 */
    { 0xe5821004, "str-imm" }, /* str r1, [r2, #4] */
    { 0xe4021004, "str-imm" }, /* str r1, [r2], #-4 */
    { 0xe52d1004, "push" }, /* str r1, [sp, #-4]! */
    { 0xe4a21004, "strt-imm" }, /* strt r1, [r2], #4 */
    { 0xe5e21004, "strb-imm" }, /* strb r1, [r2, #4]! */
    { 0xe4c21004, "strb-imm" }, /* strb r1, [r2], #4 */
    { 0xe4e21004, "strbt-imm" }, /* strbt r1, [r2], #4 */
    { 0xe7921103, "ldr-reg" }, /* ldr r1, [r2, r3, lsl #2] */
    { 0xe6121003, "ldr-reg" }, /* ldr r1, [r2], -r3 */
    { 0xe6b211c3, "ldrt-reg" }, /* ldrt r1, [r2], r3, asr #3 */
    { 0xe7721003, "ldrb-reg" }, /* ldrb r1, [r2, -r3]! */
    { 0xe6d210e3, "ldrb-reg" }, /* ldrb r1, [r2], r3, ror #1 */
    { 0xe6f21003, "ldrbt-reg" }, /* ldrbt r1, [r2], r3 */
    { 0xe7821063, "str-reg" }, /* str r1, [r2, r3, rrx] */
    { 0xe6821003, "str-reg" }, /* str r1, [r2], r3 */
    { 0xe6221003, "strt-reg" }, /* strt r1, [r2], -r3 */
    { 0xe7c21003, "strb-reg" }, /* strb r1, [r2, r3] */
    { 0xe6c21023, "strb-reg" }, /* strb r1, [r2], r3, lsr #32 */
    { 0xe6e21003, "strbt-reg" }, /* strbt r1, [r2], r3 */
    { 0xe1d210b2, "ldrh-imm" }, /* ldrh r1, [r2, #2] */
    { 0xe05210b2, "ldrh-imm" }, /* ldrh r1, [r2], #-2 */
    { 0xe15f10b2, "ldrh-imm" }, /* ldrh r1, [pc, #-2] */
    { 0xe0f210b2, "ldrht-imm" }, /* ldrht r1, [r2], #2 */
    { 0xe1b210b3, "ldrh-reg" }, /* ldrh r1, [r2, r3]! */
    { 0xe01210b3, "ldrh-reg" }, /* ldrh r1, [r2], -r3 */
    { 0xe0b210b3, "ldrht-reg" }, /* ldrht r1, [r2], r3 */
    { 0xe1421fbf, "strh-imm" }, /* strh r1, [r2, #-255] */
    { 0xe0c210b2, "strh-imm" }, /* strh r1, [r2], #2 */
    { 0xe0e210b2, "strht-imm" }, /* strht r1, [r2], #2 */
    { 0xe18210b3, "strh-reg" }, /* strh r1, [r2, r3] */
    { 0xe08210b3, "strh-reg" }, /* strh r1, [r2], r3 */
    { 0xe0a210b3, "strht-reg" }, /* strht r1, [r2], r3 */
    { 0xe1d210d1, "ldrsb-imm" }, /* ldrsb r1, [r2, #1] */
    { 0xe0d210d1, "ldrsb-imm" }, /* ldrsb r1, [r2], #1 */
    { 0xe0f210d1, "ldrsbt-imm" }, /* ldrsbt r1, [r2], #1 */
    { 0xe19210d3, "ldrsb-reg" }, /* ldrsb r1, [r2, r3] */
    { 0xe09210d3, "ldrsb-reg" }, /* ldrsb r1, [r2], r3 */
    { 0xe0b210d3, "ldrsbt-reg" }, /* ldrsbt r1, [r2], r3 */
    { 0xe17210f2, "ldrsh-imm" }, /* ldrsh r1, [r2, #-2]! */
    { 0xe0d210f2, "ldrsh-imm" }, /* ldrsh r1, [r2], #2 */
    { 0xe0f210f2, "ldrsht-imm" }, /* ldrsht r1, [r2], #2 */
    { 0xe19210f3, "ldrsh-reg" }, /* ldrsh r1, [r2, r3] */
    { 0xe09210f3, "ldrsh-reg" }, /* ldrsh r1, [r2], r3 */
    { 0xe0b210f3, "ldrsht-reg" }, /* ldrsht r1, [r2], r3 */
    { 0xe1c240d8, "ldrd-imm" }, /* ldrd r4, r5, [r2, #8] */
    { 0xe0c240d8, "ldrd-imm" }, /* ldrd r4, r5, [r2], #8 */
    { 0xe1cf40d8, "ldrd-imm" }, /* ldrd r4, r5, [pc, #8] */
    { 0xe1a240d3, "ldrd-reg" }, /* ldrd r4, r5, [r2, r3]! */
    { 0xe08240d3, "ldrd-reg" }, /* ldrd r4, r5, [r2], r3 */
    { 0xe14240f8, "strd-imm" }, /* strd r4, r5, [r2, #-8] */
    { 0xe0c240f8, "strd-imm" }, /* strd r4, r5, [r2], #8 */
    { 0xe10240f3, "strd-reg" }, /* strd r4, r5, [r2, -r3] */
    { 0xe08240f3, "strd-reg" }, /* strd r4, r5, [r2], r3 */
    { 0xe8920003, "ldm" }, /* ldm r2, {r0, r1} */
    { 0xe8b28003, "ldm" }, /* ldm r2!, {r0, r1, pc} */
    { 0xe8120003, "ldmda" }, /* ldmda r2, {r0, r1} */
    { 0xe9320003, "ldmdb" }, /* ldmdb r2!, {r0, r1} */
    { 0xe9920003, "ldmib" }, /* ldmib r2, {r0, r1} */
    { 0xe8bd0003, "pop" }, /* pop {r0, r1} */
    { 0xe8d20003, "ldm-user" }, /* ldm r2, {r0, r1}^ */
    { 0xe9527fff, "ldm-user" }, /* ldmdb r2, {r0-r14}^ */
    { 0xe8fd8001, "ldm-eret" }, /* ldm sp!, {r0, pc}^ */
    { 0xe9d28000, "ldm-eret" }, /* ldmib r2, {pc}^ */
    { 0xe8820003, "stm" }, /* stm r2, {r0, r1} */
    { 0xe8220003, "stmda" }, /* stmda r2!, {r0, r1} */
    { 0xe9020003, "stmdb" }, /* stmdb r2, {r0, r1} */
    { 0xe9a28001, "stmib" }, /* stmib r2!, {r0, pc} */
    { 0xe92d4003, "push" }, /* push {r0, r1, lr} */
    { 0xe8c20003, "stm-user" }, /* stm r2, {r0, r1}^ */
    { 0xe94dffff, "stm-user" }, /* stmdb sp, {r0-r15}^ */
    { 0xe1031092, "swp" }, /* swp r1, r2, [r3] */
    { 0xe1431092, "swpb" }, /* swpb r1, r2, [r3] */
    { 0xe1831f92, "strex" }, /* strex r1, r2, [r3] */
    { 0xe1a41f92, "strexd" }, /* strexd r1, r2, r3, [r4] */
    { 0xe1c31f92, "strexb" }, /* strexb r1, r2, [r3] */
    { 0xe1e31f92, "strexh" }, /* strexh r1, r2, [r3] */
    { 0xe1931f9f, "ldrex" }, /* ldrex r1, [r3] */
    { 0xe1b42f9f, "ldrexd" }, /* ldrexd r2, r3, [r4] */
    { 0xe1d31f9f, "ldrexb" }, /* ldrexb r1, [r3] */
    { 0xe1f31f9f, "ldrexh" }, /* ldrexh r1, [r3] */
    { 0x15921004, "ldr-imm" }, /* ldrne r1, [r2, #4] */
    { 0xb0c210b2, "strh-imm" }, /* strhlt r1, [r2], #2 */
};

START_TEST(test_decode_names)
{
    for (size_t k = 0; k < sizeof(names) / sizeof(names[0]); k++) {
        const char *got = arm_decode_name(names[k].insn);
        ck_assert_msg(got && strcmp(got, names[k].name) == 0, "%08x: got %s, want %s", names[k].insn,
                      got ? got : "(undefined)", names[k].name);
    }
}
END_TEST

/* Encodings no pattern may match (UNDEFINED on a cortex-a15 in QEMU too). */
START_TEST(test_decode_unallocated)
{
    static const uint32_t none[] = {
        0xe0e240d8, /* ldrd r4, r5, [r2], #8 with W = 1 (P = 0, W = 1 is UNPREDICTABLE) */
        0xe0a240f3, /* strd r4, r5, [r2], r3 with W = 1 */
        0xe1921e9f, /* ldrex r1, [r2] with bits 11:8 = 1110 (v8 ldaex) */
        0xe1921f90, /* ldrex r1, [r2] with bits 3:0 = 0000 */
        0xe1821e93, /* strex r1, r3, [r2] with bits 11:8 = 1110 (v8 stlex) */
        0xe19211b3, /* ldrh r1, [r2, r3] with bit 8 set */
        0xe1021191, /* swp r1, r1, [r2] with bit 8 set */
    };
    for (size_t k = 0; k < sizeof(none) / sizeof(none[0]); k++) {
        const char *got = arm_decode_name(none[k]);
        ck_assert_msg(got == NULL, "%08x decodes as %s", none[k], got);
    }
}
END_TEST

static void compile(const char *s, uint32_t *mask, uint32_t *value, unsigned *fixed)
{
    ck_assert_uint_eq(strlen(s), 32);
    *mask = *value = 0;
    *fixed = 0;
    for (unsigned k = 0; k < 32; k++) {
        uint32_t b = 1u << (31 - k);
        if (s[k] == '0' || s[k] == '1') {
            *mask |= b;
            (*fixed)++;
            if (s[k] == '1')
                *value |= b;
        }
    }
}

/* No two patterns with the same number of fixed bits may both match an encoding, where
 * at least one of them is ours (the other one from any group's table). */
START_TEST(test_decode_no_ambiguity)
{
    const A32Pattern *const groups[] = { a32_dp_patterns, a32_mul_patterns, a32_media_patterns,
                                         a32_mem_patterns, a32_branch_patterns, a32_system_patterns };
    for (const A32Pattern *p = a32_mem_patterns; p->bits; p++) {
        uint32_t pm, pv;
        unsigned pf;
        compile(p->bits, &pm, &pv, &pf);
        ck_assert_msg(p->bits[0] == 'c', "%s: ours are all conditional", p->name);
        for (size_t g = 0; g < sizeof(groups) / sizeof(groups[0]); g++) {
            for (const A32Pattern *q = groups[g]; q->bits; q++) {
                if (q == p)
                    continue;
                uint32_t qm, qv;
                unsigned qf;
                compile(q->bits, &qm, &qv, &qf);
                if (qf != pf)
                    continue;
                /* Both match some encoding iff they agree on their common fixed bits;
                 * the unconditional space (cond = 1111) is separate. */
                bool q_uncond = (qm >> 28) == 0xf && (qv >> 28) == 0xf;
                ck_assert_msg(q_uncond || ((pv ^ qv) & pm & qm) != 0,
                              "%s (%s) and %s (%s) overlap", p->name, p->bits, q->name, q->bits);
            }
        }
    }
}
END_TEST

/* --- execution --- */

static const uint32_t code_imm[] = {
    0xe5821004, /* str r1, [r2, #4] */
    0xe5323004, /* ldr r3, [r2, #-4]! */
    0xe4924008, /* ldr r4, [r2], #8 */
    0xe5625001, /* strb r5, [r2, #-1]! */
    0xe4d26001, /* ldrb r6, [r2], #1 */
    0xe5127008, /* ldr r7, [r2, #-8] */
};
static const uint32_t code_reg[] = {
    0xe7921103, /* ldr r1, [r2, r3, lsl #2] */
    0xe7221003, /* str r1, [r2, -r3]! */
    0xe69240a3, /* ldr r4, [r2], r3, lsr #1 */
    0xe75250c3, /* ldrb r5, [r2, -r3, asr #1] */
    0xe7c24003, /* strb r4, [r2, r3] */
    0xe7926003, /* ldr r6, [r2, r3] */
};
static const uint32_t code_lit[] = {
    0xe59f0004, /* ldr r0, [pc, #4] */
    0xe1df10b6, /* ldrh r1, [pc, #6] */
    0xe1cf20d0, /* ldrd r2, r3, [pc, #0] */
    0x11111111, /* .word 0x11111111 */
    0xbeef2222, /* .word 0xbeef2222 */
    0x33333333, /* .word 0x33333333 */
};
static const uint32_t code_half[] = {
    0xe1d210b2, /* ldrh r1, [r2, #2] */
    0xe1d230f2, /* ldrsh r3, [r2, #2] */
    0xe1f240d1, /* ldrsb r4, [r2, #1]! */
    0xe05250d1, /* ldrsb r5, [r2], #-1 */
    0xe1c260b4, /* strh r6, [r2, #4] */
    0xe1b270b8, /* ldrh r7, [r2, r8]! */
    0xe00260b8, /* strh r6, [r2], -r8 */
    0xe15290f0, /* ldrsh r9, [r2, #-0] */
};
static const uint32_t code_dual[] = {
    0xe1e240d8, /* ldrd r4, r5, [r2, #8]! */
    0xe1c241f0, /* strd r4, r5, [r2, #16] */
    0xe04240f8, /* strd r4, r5, [r2], #-8 */
    0xe18260d3, /* ldrd r6, r7, [r2, r3] */
    0xe00280d3, /* ldrd r8, r9, [r2], -r3 */
};
static const uint32_t code_ldrd_unal[] = {
    0xe1e240d2, /* ldrd r4, r5, [r2, #2]! */
};
static const uint32_t code_ldrd_4al[] = {
    0xe1e240d4, /* ldrd r4, r5, [r2, #4]! */
};
static const uint32_t code_ldr_pc[] = {
    0xe5b2f004, /* ldr pc, [r2, #4]! */
};
static const uint32_t code_ldr_unal[] = {
    0xe5921000, /* ldr r1, [r2] */
};
static const uint32_t code_stm_modes[] = {
    0xe8a00006, /* stmia r0!, {r1, r2} */
    0xe9a30006, /* stmib r3!, {r1, r2} */
    0xe8240006, /* stmda r4!, {r1, r2} */
    0xe9250006, /* stmdb r5!, {r1, r2} */
};
static const uint32_t code_ldm_modes[] = {
    0xe8b000c0, /* ldmia r0!, {r6, r7} */
    0xe9b30300, /* ldmib r3!, {r8, r9} */
    0xe8340c00, /* ldmda r4!, {r10, r11} */
    0xe9151002, /* ldmdb r5, {r1, r12} */
};
static const uint32_t code_stm_pc_base[] = {
    0xe8a28006, /* stmia r2!, {r1, r2, pc} */
};
static const uint32_t code_push_pop[] = {
    0xe92d4003, /* push {r0, r1, lr} */
    0xe8bd0070, /* pop {r4, r5, r6} */
    0xe52d0004, /* str r0, [sp, #-4]! */
    0xe49d7004, /* ldr r7, [sp], #4 */
};
static const uint32_t code_ldm_base_in_list[] = {
    0xe892000e, /* ldmia r2, {r1, r2, r3} */
};
static const uint32_t code_ldm_pc[] = {
    0xe8b28001, /* ldmia r2!, {r0, pc} */
};
static const uint32_t code_ldm_abort[] = {
    0xe8b2000b, /* ldmia r2!, {r0, r1, r3} */
};
static const uint32_t code_ldr_wb_abort[] = {
    0xe5b21008, /* ldr r1, [r2, #8]! */
};
static const uint32_t code_stm_abort[] = {
    0xe9220003, /* stmdb r2!, {r0, r1} */
};
static const uint32_t code_user_regs[] = {
    0xe8c26000, /* stmia r2, {r13, r14}^ */
    0xe8d36000, /* ldmia r3, {r13, r14}^ */
};
static const uint32_t code_user_regs_fiq[] = {
    0xe8c22300, /* stmia r2, {r8, r9, r13}^ */
    0xe8d34100, /* ldmia r3, {r8, r14}^ */
};
static const uint32_t code_user_regs_sys[] = {
    0xe8c22000, /* stmia r2, {r13}^ */
    0xe8d34000, /* ldmia r3, {r14}^ */
};
static const uint32_t code_eret[] = {
    0xe8f28001, /* ldmia r2!, {r0, pc}^ */
};
static const uint32_t code_excl[] = {
    0xe1921f9f, /* ldrex r1, [r2] */
    0xe1823f94, /* strex r3, r4, [r2] */
    0xe1825f94, /* strex r5, r4, [r2] */
    0xe1d26f9f, /* ldrexb r6, [r2] */
    0xe1c27f98, /* strexb r7, r8, [r2] */
    0xe1fa9f9f, /* ldrexh r9, [r10] */
    0xe1eabf9c, /* strexh r11, r12, [r10] */
};
static const uint32_t code_excl_d[] = {
    0xe1b64f9f, /* ldrexd r4, r5, [r6] */
    0xe1a67f98, /* strexd r7, r8, r9, [r6] */
    0xe1921f9f, /* ldrex r1, [r2] */
    0xe582a000, /* str r10, [r2] */
    0xe182bf94, /* strex r11, r4, [r2] */
    0xe1921f9f, /* ldrex r1, [r2] */
    0xf57ff01f, /* clrex */
    0xe1823f94, /* strex r3, r4, [r2] */
    0xe1921f9f, /* ldrex r1, [r2] */
    0xe180cf94, /* strex r12, r4, [r0] */
};
static const uint32_t code_ldrex_unal[] = {
    0xe1921f9f, /* ldrex r1, [r2] */
};
static const uint32_t code_ldrexd_unal[] = {
    0xe1b24f9f, /* ldrexd r4, r5, [r2] */
};
static const uint32_t code_strex_unal[] = {
    0xe1823f94, /* strex r3, r4, [r2] */
};
static const uint32_t code_swp[] = {
    0xe1031092, /* swp r1, r2, [r3] */
    0xe1464095, /* swpb r4, r5, [r6] */
    0xe1037097, /* swp r7, r7, [r3] */
};
static const uint32_t code_t_forms[] = {
    0xe4b21004, /* ldrt r1, [r2], #4 */
    0xe0f240b2, /* ldrht r4, [r2], #2 */
    0xe4e23001, /* strbt r3, [r2], #1 */
    0xe0f250d1, /* ldrsbt r5, [r2], #1 */
    0xe6226007, /* strt r6, [r2], -r7 */
    0xe0f280f2, /* ldrsht r8, [r2], #2 */
};

/* LDR/STR/LDRB/STRB (immediate): immediate offset, pre-indexed, post-indexed,
 * negative offsets. */
START_TEST(test_ldst_imm)
{
    run.cpu.r[1] = 0xcafef00d;
    run.cpu.r[2] = D + 0x10;
    run.cpu.r[5] = 0x1ab;
    wr32(D + 0xc, 0x11223344);
    RUN(code_imm);
    ck_assert_uint_eq(rd32(D + 0x14), 0xcafef00d);
    ck_assert_uint_eq(run.cpu.r[3], 0x11223344);
    ck_assert_uint_eq(run.cpu.r[4], 0x11223344);
    ck_assert_uint_eq(rd8(D + 0x13), 0xab);
    ck_assert_uint_eq(run.cpu.r[6], 0xab);
    ck_assert_uint_eq(run.cpu.r[7], 0x11223344);
    ck_assert_uint_eq(run.cpu.r[2], D + 0x14);
    ck_assert_uint_eq(run.cpu.icount, 6);
}
END_TEST

/* LDR/STR/LDRB/STRB (register): register offsets with shifts. */
START_TEST(test_ldst_reg)
{
    run.cpu.r[2] = D + 0x40;
    run.cpu.r[3] = 4;
    wr32(D + 0x50, 0x01020304);
    RUN(code_reg);
    ck_assert_uint_eq(run.cpu.r[1], 0x01020304);    /* [D+0x40 + 16] */
    ck_assert_uint_eq(rd32(D + 0x3c), 0x01020304);  /* str pre-indexed, -r3 */
    ck_assert_uint_eq(run.cpu.r[4], 0x01020304);    /* post-indexed: r2 = D+0x3c+2 */
    ck_assert_uint_eq(run.cpu.r[5], 0x04);          /* byte at D+0x3e-2 */
    ck_assert_uint_eq(rd8(D + 0x42), 0x04);         /* strb r4, [D+0x3e+4] */
    ck_assert_uint_eq(run.cpu.r[2], D + 0x3e);
    ck_assert_uint_eq(run.cpu.r[6], rd32(D + 0x42)); /* unaligned word, SCTLR.A = 0 */
}
END_TEST

/* LDR, LDRH, LDRD (literal): base = insn + 8. */
START_TEST(test_literal)
{
    RUN_N(code_lit, 3);
    ck_assert_uint_eq(run.cpu.r[0], 0x11111111);
    ck_assert_uint_eq(run.cpu.r[1], 0xbeef);
    ck_assert_uint_eq(run.cpu.r[2], 0xbeef2222);
    ck_assert_uint_eq(run.cpu.r[3], 0x33333333);
}
END_TEST

/* Halfword and signed loads, STRH. */
START_TEST(test_halfword)
{
    run.cpu.r[2] = D;
    run.cpu.r[6] = 0x12345678;
    run.cpu.r[8] = 4;
    wr32(D, 0x8081f0f1);
    RUN(code_half);
    ck_assert_uint_eq(run.cpu.r[1], 0x8081);
    ck_assert_uint_eq(run.cpu.r[3], 0xffff8081);
    ck_assert_uint_eq(run.cpu.r[4], 0xfffffff0);
    ck_assert_uint_eq(run.cpu.r[5], 0xfffffff0);
    ck_assert_uint_eq(run.cpu.r[7], 0x5678);
    ck_assert_uint_eq(rd32(D + 4) & 0xffff, 0x5678);
    ck_assert_uint_eq(run.cpu.r[2], D);
    ck_assert_uint_eq(run.cpu.r[9], 0xfffff0f1);
}
END_TEST

/* LDRD, STRD (immediate and register). */
START_TEST(test_dual)
{
    run.cpu.r[2] = D;
    run.cpu.r[3] = 24;
    wr32(D, 0xa0);
    wr32(D + 4, 0xa4);
    wr32(D + 8, 1);
    wr32(D + 12, 2);
    RUN(code_dual);
    ck_assert_uint_eq(run.cpu.r[4], 1);
    ck_assert_uint_eq(run.cpu.r[5], 2);
    ck_assert_uint_eq(rd32(D + 24), 1);
    ck_assert_uint_eq(rd32(D + 28), 2);
    ck_assert_uint_eq(rd32(D + 8), 1);
    ck_assert_uint_eq(run.cpu.r[6], 1);
    ck_assert_uint_eq(run.cpu.r[7], 2);
    ck_assert_uint_eq(run.cpu.r[8], 0xa0);
    ck_assert_uint_eq(run.cpu.r[9], 0xa4);
    ck_assert_uint_eq(run.cpu.r[2], D - 24);
}
END_TEST

/* LDRD needs word alignment even with SCTLR.A = 0 (A3.2.1); 4-byte alignment suffices. */
START_TEST(test_dual_alignment)
{
    run.cpu.r[2] = D;
    run.cpu.r[4] = 0x44;
    run.cpu.r[5] = 0x55;
    RUN_N(code_ldrd_unal, 1);
    assert_data_abort(ARM_FSR_ALIGNMENT, D + 2);
    ck_assert_uint_eq(run.cpu.r[2], D);
    ck_assert_uint_eq(run.cpu.r[4], 0x44);
    ck_assert_uint_eq(run.cpu.r[5], 0x55);
}
END_TEST

START_TEST(test_dual_word_aligned)
{
    run.cpu.r[2] = D;
    wr32(D + 4, 0x1234);
    wr32(D + 8, 0x5678);
    RUN(code_ldrd_4al);
    ck_assert_uint_eq(mode(), ARM_MODE_SVC);
    ck_assert_uint_eq(run.cpu.r[4], 0x1234);
    ck_assert_uint_eq(run.cpu.r[5], 0x5678);
    ck_assert_uint_eq(run.cpu.r[2], D + 4);
}
END_TEST

/* LDR into the PC (LoadWritePC) with writeback. */
START_TEST(test_ldr_pc)
{
    run.cpu.r[2] = D;
    wr32(D + 4, A32_RAM_BASE + 0x200);
    RUN(code_ldr_pc);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 0x200);
    ck_assert_uint_eq(run.cpu.r[2], D + 4);
}
END_TEST

/* LDR follows SCTLR.A: unaligned works with A = 0, faults with A = 1. */
START_TEST(test_ldr_unaligned)
{
    run.cpu.r[2] = D + 1;
    wr32(D, 0x44332211);
    wr32(D + 4, 0x88776655);
    RUN(code_ldr_unal);
    ck_assert_uint_eq(run.cpu.r[1], 0x55443322);
    a32_run_free(&run);
    setup();
    run.cpu.cp15.sctlr |= SCTLR_A;
    run.cpu.r[1] = 7;
    run.cpu.r[2] = D + 1;
    RUN_N(code_ldr_unal, 1);
    assert_data_abort(ARM_FSR_ALIGNMENT, D + 1);
    ck_assert_uint_eq(run.cpu.r[1], 7);
}
END_TEST

/* STM/STMIB/STMDA/STMDB with writeback. */
START_TEST(test_stm_modes)
{
    run.cpu.r[0] = D;
    run.cpu.r[3] = D + 0x20;
    run.cpu.r[4] = D + 0x4c;
    run.cpu.r[5] = D + 0x68;
    run.cpu.r[1] = 0xa1;
    run.cpu.r[2] = 0xa2;
    RUN(code_stm_modes);
    ck_assert_uint_eq(rd32(D), 0xa1);
    ck_assert_uint_eq(rd32(D + 4), 0xa2);
    ck_assert_uint_eq(run.cpu.r[0], D + 8);
    ck_assert_uint_eq(rd32(D + 0x24), 0xa1);
    ck_assert_uint_eq(rd32(D + 0x28), 0xa2);
    ck_assert_uint_eq(run.cpu.r[3], D + 0x28);
    ck_assert_uint_eq(rd32(D + 0x48), 0xa1);
    ck_assert_uint_eq(rd32(D + 0x4c), 0xa2);
    ck_assert_uint_eq(run.cpu.r[4], D + 0x44);
    ck_assert_uint_eq(rd32(D + 0x60), 0xa1);
    ck_assert_uint_eq(rd32(D + 0x64), 0xa2);
    ck_assert_uint_eq(run.cpu.r[5], D + 0x60);
}
END_TEST

static void fill_pattern(void)
{
    for (uint32_t x = 0; x < 0x100; x += 4)
        wr32(D + x, 0x1000 + x);
}

/* LDM/LDMIB/LDMDA/LDMDB. */
START_TEST(test_ldm_modes)
{
    fill_pattern();
    run.cpu.r[0] = D;
    run.cpu.r[3] = D + 0x20;
    run.cpu.r[4] = D + 0x4c;
    run.cpu.r[5] = D + 0x68;
    RUN(code_ldm_modes);
    ck_assert_uint_eq(run.cpu.r[6], 0x1000);
    ck_assert_uint_eq(run.cpu.r[7], 0x1004);
    ck_assert_uint_eq(run.cpu.r[0], D + 8);
    ck_assert_uint_eq(run.cpu.r[8], 0x1024);
    ck_assert_uint_eq(run.cpu.r[9], 0x1028);
    ck_assert_uint_eq(run.cpu.r[3], D + 0x28);
    ck_assert_uint_eq(run.cpu.r[10], 0x1048);
    ck_assert_uint_eq(run.cpu.r[11], 0x104c);
    ck_assert_uint_eq(run.cpu.r[4], D + 0x44);
    ck_assert_uint_eq(run.cpu.r[1], 0x1060);
    ck_assert_uint_eq(run.cpu.r[12], 0x1064);
    ck_assert_uint_eq(run.cpu.r[5], D + 0x68);
}
END_TEST

/* STM stores the PC as insn + 8 and, with writeback, the original base. */
START_TEST(test_stm_pc_base)
{
    run.cpu.r[1] = 5;
    run.cpu.r[2] = D;
    RUN(code_stm_pc_base);
    ck_assert_uint_eq(rd32(D), 5);
    ck_assert_uint_eq(rd32(D + 4), D);
    ck_assert_uint_eq(rd32(D + 8), A32_RAM_BASE + 8);
    ck_assert_uint_eq(run.cpu.r[2], D + 12);
}
END_TEST

/* POP, PUSH (multiple and single register). */
START_TEST(test_push_pop)
{
    run.cpu.r[13] = D + 0x100;
    run.cpu.r[0] = 1;
    run.cpu.r[1] = 2;
    run.cpu.r[14] = 3;
    RUN(code_push_pop);
    ck_assert_uint_eq(rd32(D + 0xf4), 1);
    ck_assert_uint_eq(rd32(D + 0xf8), 2);
    ck_assert_uint_eq(rd32(D + 0xfc), 1); /* overwritten by the single-register push */
    ck_assert_uint_eq(run.cpu.r[4], 1);
    ck_assert_uint_eq(run.cpu.r[5], 2);
    ck_assert_uint_eq(run.cpu.r[6], 3);
    ck_assert_uint_eq(run.cpu.r[7], 1);
    ck_assert_uint_eq(run.cpu.r[13], D + 0x100);
}
END_TEST

/* LDM without writeback may load its base. */
START_TEST(test_ldm_base_in_list)
{
    fill_pattern();
    run.cpu.r[2] = D;
    RUN(code_ldm_base_in_list);
    ck_assert_uint_eq(run.cpu.r[1], 0x1000);
    ck_assert_uint_eq(run.cpu.r[2], 0x1004);
    ck_assert_uint_eq(run.cpu.r[3], 0x1008);
}
END_TEST

/* LDM with the PC: interworking branch, after the writeback. */
START_TEST(test_ldm_pc)
{
    run.cpu.r[2] = D;
    wr32(D, 7);
    wr32(D + 4, A32_RAM_BASE + 0x201); /* bit 0: Thumb */
    RUN(code_ldm_pc);
    ck_assert_uint_eq(run.cpu.r[0], 7);
    ck_assert_uint_eq(run.cpu.r[2], D + 8);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 0x200);
    ck_assert(run.cpu.cpsr & CPSR_T);
}
END_TEST

/* Precise aborts: an unaligned LDM base, a fault on the last word of an LDM, a fault on
 * a pre-indexed LDR and on an STMDB leave every register unchanged. */
START_TEST(test_ldm_abort_unaligned)
{
    run.cpu.r[0] = 100;
    run.cpu.r[1] = 101;
    run.cpu.r[2] = D + 2;
    run.cpu.r[3] = 103;
    RUN_N(code_ldm_abort, 1);
    assert_data_abort(ARM_FSR_ALIGNMENT, D + 2);
    ck_assert_uint_eq(run.cpu.r[0], 100);
    ck_assert_uint_eq(run.cpu.r[1], 101);
    ck_assert_uint_eq(run.cpu.r[2], D + 2);
    ck_assert_uint_eq(run.cpu.r[3], 103);
}
END_TEST

START_TEST(test_ldm_abort_last_word)
{
    run.cpu.r[0] = 100;
    run.cpu.r[1] = 101;
    run.cpu.r[2] = RAM_END - 8;
    run.cpu.r[3] = 103;
    RUN_N(code_ldm_abort, 1);
    assert_data_abort(ARM_FSR_SYNC_EXTERNAL, RAM_END);
    ck_assert_uint_eq(run.cpu.r[0], 100);
    ck_assert_uint_eq(run.cpu.r[1], 101);
    ck_assert_uint_eq(run.cpu.r[2], RAM_END - 8);
    ck_assert_uint_eq(run.cpu.r[3], 103);
}
END_TEST

START_TEST(test_ldr_wb_abort)
{
    run.cpu.r[1] = 1;
    run.cpu.r[2] = RAM_END - 4;
    RUN_N(code_ldr_wb_abort, 1);
    assert_data_abort(ARM_FSR_SYNC_EXTERNAL, RAM_END + 4);
    ck_assert_uint_eq(run.cpu.r[1], 1);
    ck_assert_uint_eq(run.cpu.r[2], RAM_END - 4);
}
END_TEST

START_TEST(test_stm_abort)
{
    run.cpu.r[2] = A32_RAM_BASE;
    RUN_N(code_stm_abort, 1);
    assert_data_abort(ARM_FSR_SYNC_EXTERNAL | ARM_FSR_WNR, A32_RAM_BASE - 8);
    ck_assert_uint_eq(run.cpu.r[2], A32_RAM_BASE);
}
END_TEST

/* B9.3 LDM/STM (User registers) from SVC mode: SP/LR of User mode. */
START_TEST(test_user_regs)
{
    run.cpu.bank_r13[ARM_BANK_USR] = 0x1313;
    run.cpu.bank_r14[ARM_BANK_USR] = 0x1414;
    run.cpu.r[13] = 0xaaaa;
    run.cpu.r[14] = 0xbbbb;
    run.cpu.r[2] = D;
    run.cpu.r[3] = D + 0x10;
    wr32(D + 0x10, 0x5555);
    wr32(D + 0x14, 0x6666);
    RUN(code_user_regs);
    ck_assert_uint_eq(rd32(D), 0x1313);
    ck_assert_uint_eq(rd32(D + 4), 0x1414);
    ck_assert_uint_eq(run.cpu.bank_r13[ARM_BANK_USR], 0x5555);
    ck_assert_uint_eq(run.cpu.bank_r14[ARM_BANK_USR], 0x6666);
    ck_assert_uint_eq(run.cpu.r[13], 0xaaaa);
    ck_assert_uint_eq(run.cpu.r[14], 0xbbbb);
}
END_TEST

/* The same from FIQ mode, where R8-R12 are banked too. */
START_TEST(test_user_regs_fiq)
{
    run.cpu.r[8] = 0x88; /* User R8 */
    run.cpu.r[9] = 0x99;
    run.cpu.bank_r13[ARM_BANK_USR] = 0x1313;
    arm_switch_mode(&run.cpu, ARM_MODE_FIQ);
    run.cpu.r[8] = 0xf8;
    run.cpu.r[9] = 0xf9;
    run.cpu.r[13] = 0xf13;
    run.cpu.r[14] = 0xf14;
    run.cpu.r[2] = D;
    run.cpu.r[3] = D + 0x10;
    wr32(D + 0x10, 0x5555);
    wr32(D + 0x14, 0x6666);
    RUN(code_user_regs_fiq);
    ck_assert_uint_eq(rd32(D), 0x88);
    ck_assert_uint_eq(rd32(D + 4), 0x99);
    ck_assert_uint_eq(rd32(D + 8), 0x1313);
    ck_assert_uint_eq(run.cpu.usr_r8_12[0], 0x5555);
    ck_assert_uint_eq(run.cpu.bank_r14[ARM_BANK_USR], 0x6666);
    ck_assert_uint_eq(run.cpu.r[8], 0xf8);
    ck_assert_uint_eq(run.cpu.r[9], 0xf9);
    ck_assert_uint_eq(run.cpu.r[13], 0xf13);
    ck_assert_uint_eq(run.cpu.r[14], 0xf14);
    arm_switch_mode(&run.cpu, ARM_MODE_SVC);
    ck_assert_uint_eq(run.cpu.r[8], 0x5555);
}
END_TEST

/* In System mode the User registers are the current ones. */
START_TEST(test_user_regs_sys)
{
    arm_switch_mode(&run.cpu, ARM_MODE_SYS);
    run.cpu.r[13] = 0x1313;
    run.cpu.r[2] = D;
    run.cpu.r[3] = D + 0x10;
    wr32(D + 0x10, 0x5555);
    RUN(code_user_regs_sys);
    ck_assert_uint_eq(rd32(D), 0x1313);
    ck_assert_uint_eq(run.cpu.r[14], 0x5555);
}
END_TEST

/* B9.3 LDM (exception return): registers, writeback, then CPSR <- SPSR and branch. */
START_TEST(test_ldm_eret)
{
    run.cpu.bank_spsr[ARM_BANK_SVC] = CPSR_Z | CPSR_C | ARM_MODE_USR;
    run.cpu.r[2] = D;
    wr32(D, 7);
    wr32(D + 4, A32_RAM_BASE + 0x300);
    RUN(code_eret);
    ck_assert_uint_eq(mode(), ARM_MODE_USR);
    ck_assert_uint_eq(run.cpu.r[0], 7);
    ck_assert_uint_eq(run.cpu.r[2], D + 8);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 0x300);
    ck_assert_uint_eq(run.cpu.zf, 1);
    ck_assert_uint_eq(run.cpu.cf, 1);
    ck_assert_uint_eq(run.cpu.nf, 0);
}
END_TEST

/* The ^ forms are UNDEFINED in User mode (QEMU). */
START_TEST(test_user_forms_undef_in_user)
{
    arm_switch_mode(&run.cpu, ARM_MODE_USR);
    run.cpu.r[2] = D;
    RUN_N(code_user_regs, 1);
    ck_assert_uint_eq(mode(), ARM_MODE_UND);
    ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 4);
}
END_TEST

/* LDREX/STREX and the B/H forms. */
START_TEST(test_exclusive)
{
    run.cpu.r[2] = D;
    run.cpu.r[4] = 0x44444444;
    run.cpu.r[8] = 0x88;
    run.cpu.r[10] = D + 0x10;
    run.cpu.r[12] = 0xc1c2;
    wr32(D, 0x01020304);
    wr32(D + 0x10, 0xa0a1a2a3);
    RUN(code_excl);
    ck_assert_uint_eq(run.cpu.r[1], 0x01020304);
    ck_assert_uint_eq(run.cpu.r[3], 0);
    ck_assert_uint_eq(run.cpu.r[5], 1); /* the first STREX cleared the monitor */
    ck_assert_uint_eq(run.cpu.r[6], 0x44);
    ck_assert_uint_eq(run.cpu.r[7], 0);
    ck_assert_uint_eq(rd32(D), 0x44444488);
    ck_assert_uint_eq(run.cpu.r[9], 0xa2a3);
    ck_assert_uint_eq(run.cpu.r[11], 0);
    ck_assert_uint_eq(rd32(D + 0x10), 0xa0a1c1c2);
    ck_assert(!run.cpu.excl_valid);
}
END_TEST

/* LDREXD/STREXD; a changed value, CLREX and another address make STREX fail. */
START_TEST(test_exclusive_more)
{
    run.cpu.r[0] = D + 4;
    run.cpu.r[2] = D;
    run.cpu.r[6] = D + 8;
    run.cpu.r[8] = 0x88;
    run.cpu.r[9] = 0x99;
    run.cpu.r[10] = 0x10;
    wr32(D, 0x01020304);
    wr32(D + 4, 0x05060708);
    wr32(D + 8, 0xd0);
    wr32(D + 12, 0xd4);
    RUN(code_excl_d);
    ck_assert_uint_eq(run.cpu.r[4], 0xd0);
    ck_assert_uint_eq(run.cpu.r[5], 0xd4);
    ck_assert_uint_eq(run.cpu.r[7], 0);
    ck_assert_uint_eq(rd32(D + 8), 0x88);
    ck_assert_uint_eq(rd32(D + 12), 0x99);
    ck_assert_uint_eq(run.cpu.r[11], 1); /* memory changed since LDREX (QEMU's rule) */
    ck_assert_uint_eq(rd32(D), 0x10);
    ck_assert_uint_eq(run.cpu.r[3], 1);  /* CLREX */
    ck_assert_uint_eq(run.cpu.r[12], 1); /* other address */
    ck_assert_uint_eq(rd32(D + 4), 0x05060708);
}
END_TEST

/* Exclusives need natural alignment whatever SCTLR.A says. */
START_TEST(test_exclusive_alignment)
{
    run.cpu.r[1] = 11;
    run.cpu.r[2] = D + 2;
    RUN_N(code_ldrex_unal, 1);
    assert_data_abort(ARM_FSR_ALIGNMENT, D + 2);
    ck_assert_uint_eq(run.cpu.r[1], 11);
    ck_assert(!run.cpu.excl_valid);

    a32_run_free(&run);
    setup();
    run.cpu.r[2] = D + 4;
    run.cpu.r[4] = 44;
    run.cpu.r[5] = 55;
    RUN_N(code_ldrexd_unal, 1);
    assert_data_abort(ARM_FSR_ALIGNMENT, D + 4);
    ck_assert_uint_eq(run.cpu.r[4], 44);
    ck_assert_uint_eq(run.cpu.r[5], 55);

    a32_run_free(&run);
    setup();
    run.cpu.r[2] = D + 1;
    run.cpu.r[3] = 33;
    RUN_N(code_strex_unal, 1);
    assert_data_abort(ARM_FSR_ALIGNMENT | ARM_FSR_WNR, D + 1);
    ck_assert_uint_eq(run.cpu.r[3], 33);
}
END_TEST

/* SWP/SWPB (executed, like QEMU on cortex-a15). */
START_TEST(test_swp)
{
    run.cpu.r[2] = 0x22;
    run.cpu.r[3] = D;
    run.cpu.r[5] = 0x155;
    run.cpu.r[6] = D + 8;
    run.cpu.r[7] = 0x77;
    wr32(D, 0x11);
    wr32(D + 8, 0xa0a1a2a3);
    RUN(code_swp);
    ck_assert_uint_eq(run.cpu.r[1], 0x11);
    ck_assert_uint_eq(run.cpu.r[4], 0xa3);
    ck_assert_uint_eq(rd32(D + 8), 0xa0a1a255);
    ck_assert_uint_eq(run.cpu.r[7], 0x22);
    ck_assert_uint_eq(rd32(D), 0x77);
}
END_TEST

/* The unprivileged forms (post-indexed; with the MMU off they behave like the others). */
START_TEST(test_t_forms)
{
    run.cpu.r[2] = D;
    run.cpu.r[3] = 0xcc;
    run.cpu.r[6] = 0x66;
    run.cpu.r[7] = 8;
    wr32(D, 0x11223344);
    wr32(D + 4, 0x8899aabb);
    RUN(code_t_forms);
    ck_assert_uint_eq(run.cpu.r[1], 0x11223344);
    ck_assert_uint_eq(run.cpu.r[4], 0xaabb);
    ck_assert_uint_eq(rd8(D + 6), 0xcc);
    ck_assert_uint_eq(run.cpu.r[5], 0xffffff88);
    ck_assert_uint_eq(rd32(D + 8), 0x66);
    ck_assert_uint_eq(run.cpu.r[8], 0x3344);
    ck_assert_uint_eq(run.cpu.r[2], D + 2);
}
END_TEST

/* UNPREDICTABLE encodings we treat as UNDEFINED (see translate_mem.c). */
START_TEST(test_undefined)
{
    static const uint32_t undef[] = {
        0xe5d2f000, /* ldrb pc, [r2] */
        0xe1d2f0b0, /* ldrh pc, [r2] */
        0xe4b2f004, /* ldrt pc, [r2], #4 */
        0xe5bf0004, /* ldr r0, [pc, #4]! */
        0xe49f0004, /* ldr r0, [pc], #4 */
        0xe1c310d0, /* ldrd r1, r2, [r3] (odd Rt) */
        0xe1c3e0d0, /* ldrd lr, pc, [r3] */
        0xe1ef40f0, /* strd r4, r5, [pc, #0]! (Rn = 15 with writeback) */
        0xe8b20006, /* ldm r2!, {r1, r2} */
        0xe8920000, /* ldm r2, {} */
        0xe89f0001, /* ldm pc, {r0} */
        0xe8f20001, /* ldm r2!, {r0}^ */
        0xe1821f91, /* strex r1, r1, [r2] */
        0xe192ff9f, /* ldrex pc, [r2] */
        0xe1b21f9f, /* ldrexd r1, r2, [r2] (odd Rt) */
        0xe1a51f93, /* strexd r1, r3, r4, [r5] (odd Rt) */
        0xe102f091, /* swp pc, r1, [r2] */
    };
    for (size_t k = 0; k < sizeof(undef) / sizeof(undef[0]); k++) {
        a32_run_free(&run);
        setup();
        run.cpu.r[2] = D;
        run.cpu.r[3] = D;
        run.cpu.r[4] = D;
        run.cpu.r[5] = D;
        ck_assert_int_eq(a32_run_code(&run, &undef[k], 1), DBT_EXIT_MAX_INSNS);
        ck_assert_msg(mode() == ARM_MODE_UND, "%08x did not raise UNDEFINED", undef[k]);
        ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 4);
        ck_assert_uint_eq(run.cpu.r[2], D);
    }
}
END_TEST

int main(void)
{
    Suite *s = suite_create("a32-mem");
    TCase *dec = tcase_create("decode");
    tcase_add_test(dec, test_decode_names);
    tcase_add_test(dec, test_decode_unallocated);
    tcase_add_test(dec, test_decode_no_ambiguity);
    suite_add_tcase(s, dec);
    TCase *tc = tcase_create("exec");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_ldst_imm);
    tcase_add_test(tc, test_ldst_reg);
    tcase_add_test(tc, test_literal);
    tcase_add_test(tc, test_halfword);
    tcase_add_test(tc, test_dual);
    tcase_add_test(tc, test_dual_alignment);
    tcase_add_test(tc, test_dual_word_aligned);
    tcase_add_test(tc, test_ldr_pc);
    tcase_add_test(tc, test_ldr_unaligned);
    tcase_add_test(tc, test_stm_modes);
    tcase_add_test(tc, test_ldm_modes);
    tcase_add_test(tc, test_stm_pc_base);
    tcase_add_test(tc, test_push_pop);
    tcase_add_test(tc, test_ldm_base_in_list);
    tcase_add_test(tc, test_ldm_pc);
    tcase_add_test(tc, test_ldm_abort_unaligned);
    tcase_add_test(tc, test_ldm_abort_last_word);
    tcase_add_test(tc, test_ldr_wb_abort);
    tcase_add_test(tc, test_stm_abort);
    tcase_add_test(tc, test_user_regs);
    tcase_add_test(tc, test_user_regs_fiq);
    tcase_add_test(tc, test_user_regs_sys);
    tcase_add_test(tc, test_ldm_eret);
    tcase_add_test(tc, test_user_forms_undef_in_user);
    tcase_add_test(tc, test_exclusive);
    tcase_add_test(tc, test_exclusive_more);
    tcase_add_test(tc, test_exclusive_alignment);
    tcase_add_test(tc, test_swp);
    tcase_add_test(tc, test_t_forms);
    tcase_add_test(tc, test_undefined);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
