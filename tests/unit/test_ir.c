/*
 * The IR and its interpreter: the semantics of each operation (ARM shift rules at the
 * edges, flag rules, division corner cases), control flow inside a block, and the
 * dead-flag pass.
 */
#include <check.h>
#include <stdlib.h>

#include "a32_harness.h"

static A32Run run;
static IrBlock b;

static void setup(void)
{
    a32_run_init(&run);
    ir_block_init(&b);
}

static void teardown(void)
{
    ir_block_free(&b);
    a32_run_free(&run);
}

/* Finish the block (exit), execute it, return r0. */
static uint32_t exec_to_r0(IrTemp result)
{
    ir_set_reg(&b, 0, result);
    ir_exit_direct(&b, A32_RAM_BASE);
    dbt_exec_ir(run.dbt, &b);
    return run.cpu.r[0];
}

static uint32_t op2(IrOp op, uint32_t x, uint32_t y)
{
    ir_block_reset(&b);
    return exec_to_r0(ir_op2(&b, op, ir_const(&b, x), ir_const(&b, y)));
}

static uint32_t op3(IrOp op, uint32_t x, uint32_t y, uint32_t z)
{
    ir_block_reset(&b);
    return exec_to_r0(ir_op3(&b, op, ir_const(&b, x), ir_const(&b, y), ir_const(&b, z)));
}

START_TEST(test_shifts_arm_semantics)
{
    ck_assert_uint_eq(op2(IR_LSL, 1, 31), 0x80000000u);
    ck_assert_uint_eq(op2(IR_LSL, 1, 32), 0);
    ck_assert_uint_eq(op2(IR_LSL, 1, 255), 0);
    ck_assert_uint_eq(op2(IR_LSR, 0x80000000u, 31), 1);
    ck_assert_uint_eq(op2(IR_LSR, 0x80000000u, 32), 0);
    ck_assert_uint_eq(op2(IR_ASR, 0x80000000u, 33), 0xffffffffu);
    ck_assert_uint_eq(op2(IR_ASR, 0x40000000u, 200), 0);
    ck_assert_uint_eq(op2(IR_ROR, 0x12345678u, 36), 0x81234567u);
    ck_assert_uint_eq(op2(IR_ROR, 0x12345678u, 32), 0x12345678u);
    /* carries: amount 0 passes the carry in */
    ck_assert_uint_eq(op3(IR_LSL_C, 0x80000000u, 0, 1), 1);
    ck_assert_uint_eq(op3(IR_LSL_C, 0x80000000u, 1, 0), 1);
    ck_assert_uint_eq(op3(IR_LSL_C, 1, 32, 0), 1);
    ck_assert_uint_eq(op3(IR_LSL_C, 1, 33, 1), 0);
    ck_assert_uint_eq(op3(IR_LSR_C, 0x80000000u, 32, 0), 1);
    ck_assert_uint_eq(op3(IR_LSR_C, 0x80000000u, 33, 1), 0);
    ck_assert_uint_eq(op3(IR_ASR_C, 0x80000000u, 100, 0), 1);
    ck_assert_uint_eq(op3(IR_ROR_C, 0x80000000u, 32, 0), 1);
    ck_assert_uint_eq(op3(IR_ROR_C, 0x00000001u, 1, 0), 1);
    ck_assert_uint_eq(op3(IR_RRX, 0x00000003u, 0, 1), 0x80000001u);
}
END_TEST

static void check_flags(unsigned n, unsigned z, unsigned c, unsigned v)
{
    ck_assert_uint_eq(run.cpu.nf, n);
    ck_assert_uint_eq(run.cpu.zf, z);
    ck_assert_uint_eq(run.cpu.cf, c);
    ck_assert_uint_eq(run.cpu.vf, v);
}

static uint32_t arith(IrOp op, uint32_t x, uint32_t y, uint32_t carry_in)
{
    ir_block_reset(&b);
    IrTemp r = op == IR_ADC || op == IR_SBC
                   ? ir_op3f(&b, op, ir_const(&b, x), ir_const(&b, y), ir_const(&b, carry_in), IR_FLAG_NZCV)
                   : ir_op2f(&b, op, ir_const(&b, x), ir_const(&b, y), IR_FLAG_NZCV);
    return exec_to_r0(r);
}

START_TEST(test_arith_flags)
{
    ck_assert_uint_eq(arith(IR_ADD, 0x7fffffffu, 1, 0), 0x80000000u);
    check_flags(1, 0, 0, 1);
    ck_assert_uint_eq(arith(IR_ADD, 0xffffffffu, 1, 0), 0);
    check_flags(0, 1, 1, 0);
    ck_assert_uint_eq(arith(IR_SUB, 5, 5, 0), 0);
    check_flags(0, 1, 1, 0);
    ck_assert_uint_eq(arith(IR_SUB, 0, 1, 0), 0xffffffffu);
    check_flags(1, 0, 0, 0);
    ck_assert_uint_eq(arith(IR_SUB, 0x80000000u, 1, 0), 0x7fffffffu);
    check_flags(0, 0, 1, 1);
    ck_assert_uint_eq(arith(IR_ADC, 0xffffffffu, 0, 1), 0);
    check_flags(0, 1, 1, 0);
    ck_assert_uint_eq(arith(IR_ADC, 0x7fffffffu, 0, 1), 0x80000000u);
    check_flags(1, 0, 0, 1);
    /* SBC with carry set is a plain subtraction; with carry clear it subtracts one more */
    ck_assert_uint_eq(arith(IR_SBC, 5, 5, 1), 0);
    check_flags(0, 1, 1, 0);
    ck_assert_uint_eq(arith(IR_SBC, 5, 5, 0), 0xffffffffu);
    check_flags(1, 0, 0, 0);
    ck_assert_uint_eq(arith(IR_SBC, 0, 0xffffffffu, 0), 0);
    check_flags(0, 1, 0, 0);
}
END_TEST

START_TEST(test_division_and_misc)
{
    ck_assert_uint_eq(op2(IR_UDIV, 7, 0), 0);
    ck_assert_uint_eq(op2(IR_UREM, 7, 0), 7);
    ck_assert_uint_eq(op3(IR_FSHR, 0x12345678u, 0x9abcdef1u, 4), 0x11234567u);
    ck_assert_uint_eq(op3(IR_FSHR, 0x80000000u, 0x7fffffffu, 31), 0xffffffffu);
    ck_assert_uint_eq(op2(IR_UREM, 0xffffffffu, 10), 5);
    ck_assert_uint_eq(op2(IR_SDIV, 0x80000000u, 0xffffffffu), 0x80000000u);
    ck_assert_uint_eq(op2(IR_SDIV, (uint32_t)-7, 2), (uint32_t)-3);
    ck_assert_uint_eq(op2(IR_ANDN, 0xff, 0x0f), 0xf0);
    ck_assert_uint_eq(op2(IR_SETLTS, 0xffffffffu, 0), 1);
    ck_assert_uint_eq(op2(IR_SETLTU, 0xffffffffu, 0), 0);
    ir_block_reset(&b);
    ck_assert_uint_eq(exec_to_r0(ir_op1(&b, IR_CLZ, ir_const(&b, 0))), 32);
    ir_block_reset(&b);
    ck_assert_uint_eq(exec_to_r0(ir_op1(&b, IR_BSWAP, ir_const(&b, 0x11223344u))), 0x44332211u);
    ir_block_reset(&b);
    ck_assert_uint_eq(exec_to_r0(ir_op1(&b, IR_SEXT16, ir_const(&b, 0x8001u))), 0xffff8001u);
    ir_block_reset(&b);
    IrTemp p = ir_op2_64(&b, IR_SMULL, ir_const(&b, 0xffffffffu), ir_const(&b, 2));
    ck_assert_uint_eq(exec_to_r0(ir_op1(&b, IR_HI32, p)), 0xffffffffu);
}
END_TEST

START_TEST(test_control_flow_and_memory)
{
    /* if (r1 == 0) r0 = 1 else r0 = 2, then store r0 and load it back signed */
    ir_block_reset(&b);
    uint32_t else_l = ir_new_label(&b), end_l = ir_new_label(&b);
    run.cpu.r[1] = 0;
    IrTemp is_zero = ir_op2(&b, IR_SETEQ, ir_get_reg(&b, 1), ir_const(&b, 0));
    ir_brz(&b, is_zero, else_l);
    ir_set_reg(&b, 0, ir_const(&b, 1));
    ir_br(&b, end_l);
    ir_label(&b, else_l);
    ir_set_reg(&b, 0, ir_const(&b, 2));
    ir_label(&b, end_l);
    IrTemp addr = ir_const(&b, A32_RAM_BASE + 0x800);
    ir_store(&b, addr, ir_const(&b, 0xfffe), 2);
    ir_set_reg(&b, 2, ir_load(&b, addr, 2 | IR_MEM_SIGNED));
    ir_exit_direct(&b, A32_RAM_BASE);
    dbt_exec_ir(run.dbt, &b);
    ck_assert_uint_eq(run.cpu.r[0], 1);
    ck_assert_uint_eq(run.cpu.r[2], 0xfffffffeu);
}
END_TEST

START_TEST(test_dead_flags_pass)
{
    ir_block_reset(&b);
    IrTemp x = ir_const(&b, 1);
    ir_op2f(&b, IR_ADD, x, x, IR_FLAG_NZCV);          /* all overwritten before a read: dead */
    ir_op2f(&b, IR_SUB, x, x, IR_FLAG_NZ);            /* Z is read by the EQ below, N is not */
    IrTemp c = ir_cond(&b, 0);                         /* EQ reads Z only */
    ir_op2f(&b, IR_ADD, x, c, IR_FLAG_NZCV);
    ir_exit_direct(&b, A32_RAM_BASE);
    ir_pass_dead_flags(&b);
    ck_assert_uint_eq(b.insns[1].fl, 0);
    ck_assert_uint_eq(b.insns[2].fl, IR_FLAG_Z);
    ck_assert_uint_eq(b.insns[4].fl, IR_FLAG_NZCV);
}
END_TEST

static unsigned count_op(IrOp op)
{
    unsigned n = 0;
    for (uint32_t k = 0; k < b.n; k++)
        n += b.insns[k].op == op;
    return n;
}

/* ir_pass_registers: which register writes and reads it may drop, and which not. */
START_TEST(test_register_pass)
{
    /* udiv r10, r2, r3; mls r10, r3, r10, r2: one UREM, the quotient's write dropped */
    ir_block_reset(&b);
    ir_emit(&b, IR_INSN_START)->imm = A32_RAM_BASE;
    ir_set_reg(&b, 10, ir_op2(&b, IR_UDIV, ir_get_reg(&b, 2), ir_get_reg(&b, 3)));
    ir_emit(&b, IR_INSN_START)->imm = A32_RAM_BASE + 4;
    IrTemp m = ir_op2(&b, IR_MUL, ir_get_reg(&b, 3), ir_get_reg(&b, 10));
    ir_set_reg(&b, 10, ir_op2(&b, IR_SUB, ir_get_reg(&b, 2), m));
    ir_exit_direct(&b, A32_RAM_BASE + 8);
    ir_pass_registers(&b);
    ck_assert_uint_eq(count_op(IR_UREM), 1);
    ck_assert_uint_eq(count_op(IR_UDIV), 0);
    ck_assert_uint_eq(count_op(IR_MUL), 0);
    ck_assert_uint_eq(count_op(IR_SET_REG), 1);
    run.cpu.r[2] = 100;
    run.cpu.r[3] = 7;
    dbt_exec_ir(run.dbt, &b);
    ck_assert_uint_eq(run.cpu.r[10], 2);

    /* lsr r8, r8, #27; orr r8, r8, r7, lsl #5: one funnel shift */
    ir_block_reset(&b);
    ir_set_reg(&b, 8, ir_op2(&b, IR_LSR, ir_get_reg(&b, 8), ir_const(&b, 27)));
    ir_emit(&b, IR_INSN_START)->imm = A32_RAM_BASE + 4;
    IrTemp hi = ir_op2(&b, IR_LSL, ir_get_reg(&b, 7), ir_const(&b, 5));
    ir_set_reg(&b, 8, ir_op2(&b, IR_OR, ir_get_reg(&b, 8), hi));
    ir_exit_direct(&b, A32_RAM_BASE + 8);
    ir_pass_registers(&b);
    ck_assert_uint_eq(count_op(IR_FSHR), 1);
    ck_assert_uint_eq(count_op(IR_OR), 0);
    run.cpu.r[8] = 0xf0000000u;
    run.cpu.r[7] = 0x3u;
    dbt_exec_ir(run.dbt, &b);
    ck_assert_uint_eq(run.cpu.r[8], 0x7eu);

    /* The same with r2 changed between the two: not a remainder. */
    ir_block_reset(&b);
    ir_set_reg(&b, 10, ir_op2(&b, IR_UDIV, ir_get_reg(&b, 2), ir_get_reg(&b, 3)));
    ir_set_reg(&b, 2, ir_const(&b, 1));
    m = ir_op2(&b, IR_MUL, ir_get_reg(&b, 3), ir_get_reg(&b, 10));
    ir_set_reg(&b, 10, ir_op2(&b, IR_SUB, ir_get_reg(&b, 2), m));
    ir_exit_direct(&b, A32_RAM_BASE + 8);
    ir_pass_registers(&b);
    ck_assert_uint_eq(count_op(IR_UREM), 0);

    /* A write a memory access may see (it can fault) stays; one only a later write of
     * the same register follows does not. Two reads in one instruction become one. */
    ir_block_reset(&b);
    ir_emit(&b, IR_INSN_START)->imm = A32_RAM_BASE;
    ir_set_reg(&b, 1, ir_const(&b, 1));
    ir_set_reg(&b, 2, ir_load(&b, ir_const(&b, A32_RAM_BASE + 0x800), 4));
    ir_set_reg(&b, 1, ir_const(&b, 2));
    ir_emit(&b, IR_INSN_START)->imm = A32_RAM_BASE + 4;
    ir_set_reg(&b, 1, ir_const(&b, 3));
    IrTemp x = ir_get_reg(&b, 4);
    ir_set_reg(&b, 5, ir_op2(&b, IR_MUL, x, ir_get_reg(&b, 4)));
    ir_exit_direct(&b, A32_RAM_BASE + 8);
    ir_pass_registers(&b);
    ck_assert_uint_eq(count_op(IR_SET_REG), 4); /* r1 = 1, r2, r1 = 3, r5 */
    ck_assert_uint_eq(count_op(IR_GET_REG), 1);
    run.cpu.r[4] = 9;
    dbt_exec_ir(run.dbt, &b);
    ck_assert_uint_eq(run.cpu.r[1], 3);
    ck_assert_uint_eq(run.cpu.r[5], 81);
}
END_TEST

START_TEST(test_load_fault_is_precise)
{
    /* A load from an unmapped address raises a data abort; the instruction is not counted. */
    run.cpu.cp15.vbar = A32_RAM_BASE + 0x100;
    ir_block_reset(&b);
    ir_emit(&b, IR_INSN_START)->imm = A32_RAM_BASE;
    ir_set_reg(&b, 3, ir_load(&b, ir_const(&b, 0x20000000u), 4));
    ir_exit_direct(&b, A32_RAM_BASE + 4);
    run.cpu.r[3] = 0x1234;
    dbt_exec_ir(run.dbt, &b);
    ck_assert_uint_eq(run.cpu.r[3], 0x1234);
    ck_assert_uint_eq(run.cpu.icount, 0);
    ck_assert_uint_eq(run.cpu.cpsr & CPSR_M, ARM_MODE_ABT);
    ck_assert_uint_eq(run.cpu.r[15], A32_RAM_BASE + 0x110);
    ck_assert_uint_eq(run.cpu.r[14], A32_RAM_BASE + 8);
    ck_assert_uint_eq(run.cpu.cp15.dfar, 0x20000000u);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("ir");
    TCase *tc = tcase_create("interp");
    tcase_add_checked_fixture(tc, setup, teardown);
    tcase_add_test(tc, test_shifts_arm_semantics);
    tcase_add_test(tc, test_arith_flags);
    tcase_add_test(tc, test_division_and_misc);
    tcase_add_test(tc, test_control_flow_and_memory);
    tcase_add_test(tc, test_dead_flags_pass);
    tcase_add_test(tc, test_register_pass);
    tcase_add_test(tc, test_load_fault_is_precise);
    suite_add_tcase(s, tc);
    SRunner *sr = srunner_create(s);
    srunner_run_all(sr, CK_NORMAL);
    int failed = srunner_ntests_failed(sr);
    srunner_free(sr);
    return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
