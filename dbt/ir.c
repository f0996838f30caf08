/*
 * Building IR blocks. The builder only appends; temps and labels are numbered per block.
 */
#include "dbt/dbt.h"

#include <stdlib.h>
#include <string.h>

void ir_block_init(IrBlock *b)
{
    memset(b, 0, sizeof(*b));
    b->n_temps = 1; /* temp 0 means "none" */
}

void ir_block_reset(IrBlock *b)
{
    b->n = 0;
    b->n_temps = 1;
    b->n_labels = 0;
    b->guest_pc = b->guest_insns = b->guest_end = 0;
}

void ir_block_free(IrBlock *b)
{
    free(b->insns);
    memset(b, 0, sizeof(*b));
}

IrInsn *ir_emit(IrBlock *b, IrOp op)
{
    if (b->n == b->cap) {
        uint32_t cap = b->cap ? b->cap * 2 : 256;
        IrInsn *p = realloc(b->insns, cap * sizeof(*p));
        if (!p)
            abort(); /* out of host memory: nothing sensible to do */
        b->insns = p;
        b->cap = cap;
    }
    IrInsn *i = &b->insns[b->n++];
    memset(i, 0, sizeof(*i));
    i->op = (uint8_t)op;
    return i;
}

IrTemp ir_new_temp(IrBlock *b)
{
    if (b->n_temps >= 0xffff)
        abort(); /* blocks are bounded in length long before this */
    return (IrTemp)b->n_temps++;
}

uint32_t ir_new_label(IrBlock *b) { return b->n_labels++; }

static IrTemp emit_dst(IrBlock *b, IrOp op, IrType type, IrTemp a, IrTemp x, IrTemp y, uint64_t imm, unsigned fl)
{
    IrInsn *i = ir_emit(b, op);
    IrTemp d = ir_new_temp(b);
    i->dst = d;
    i->type = (uint8_t)type;
    i->a = a;
    i->b = x;
    i->c = y;
    i->imm = imm;
    i->fl = (uint8_t)fl;
    return d;
}

IrTemp ir_const(IrBlock *b, uint32_t v) { return emit_dst(b, IR_CONST, IR_I32, 0, 0, 0, v, 0); }
IrTemp ir_const64(IrBlock *b, uint64_t v) { return emit_dst(b, IR_CONST, IR_I64, 0, 0, 0, v, 0); }
IrTemp ir_get_reg(IrBlock *b, unsigned reg) { return emit_dst(b, IR_GET_REG, IR_I32, 0, 0, 0, reg, 0); }

void ir_set_reg(IrBlock *b, unsigned reg, IrTemp v)
{
    IrInsn *i = ir_emit(b, IR_SET_REG);
    i->a = v;
    i->imm = reg;
}

IrTemp ir_get_flag(IrBlock *b, unsigned flag) { return emit_dst(b, IR_GET_FLAG, IR_I32, 0, 0, 0, flag, 0); }

void ir_set_flag(IrBlock *b, unsigned flag, IrTemp v)
{
    IrInsn *i = ir_emit(b, IR_SET_FLAG);
    i->a = v;
    i->imm = flag;
}

IrTemp ir_cond(IrBlock *b, unsigned cc) { return emit_dst(b, IR_COND, IR_I32, 0, 0, 0, cc, 0); }
IrTemp ir_op1(IrBlock *b, IrOp op, IrTemp a) { return emit_dst(b, op, IR_I32, a, 0, 0, 0, 0); }
IrTemp ir_op2(IrBlock *b, IrOp op, IrTemp a, IrTemp x) { return emit_dst(b, op, IR_I32, a, x, 0, 0, 0); }
IrTemp ir_op3(IrBlock *b, IrOp op, IrTemp a, IrTemp x, IrTemp y) { return emit_dst(b, op, IR_I32, a, x, y, 0, 0); }
IrTemp ir_op2f(IrBlock *b, IrOp op, IrTemp a, IrTemp x, unsigned fl) { return emit_dst(b, op, IR_I32, a, x, 0, 0, fl); }
IrTemp ir_op3f(IrBlock *b, IrOp op, IrTemp a, IrTemp x, IrTemp y, unsigned fl)
{
    return emit_dst(b, op, IR_I32, a, x, y, 0, fl);
}
IrTemp ir_op1_64(IrBlock *b, IrOp op, IrTemp a) { return emit_dst(b, op, IR_I64, a, 0, 0, 0, 0); }
IrTemp ir_op2_64(IrBlock *b, IrOp op, IrTemp a, IrTemp x) { return emit_dst(b, op, IR_I64, a, x, 0, 0, 0); }

void ir_setnz(IrBlock *b, IrTemp v)
{
    IrInsn *i = ir_emit(b, IR_SETNZ);
    i->a = v;
    i->type = IR_I32;
    i->fl = IR_FLAG_NZ;
}

void ir_setnz64(IrBlock *b, IrTemp v)
{
    IrInsn *i = ir_emit(b, IR_SETNZ);
    i->a = v;
    i->type = IR_I64;
    i->fl = IR_FLAG_NZ;
}

IrTemp ir_load(IrBlock *b, IrTemp addr, unsigned memflags)
{
    return emit_dst(b, IR_LOAD, IR_I32, addr, 0, 0, memflags, 0);
}

void ir_store(IrBlock *b, IrTemp addr, IrTemp v, unsigned memflags)
{
    IrInsn *i = ir_emit(b, IR_STORE);
    i->a = addr;
    i->b = v;
    i->imm = memflags;
}

IrTemp ir_call(IrBlock *b, IrHelperFn fn, unsigned callflags, IrTemp a, IrTemp x, IrTemp y)
{
    return emit_dst(b, IR_CALL, IR_I32, a, x, y, (uint64_t)(uintptr_t)fn, callflags);
}

IrTemp ir_call64(IrBlock *b, IrHelperFn fn, unsigned callflags, IrTemp a, IrTemp x, IrTemp y)
{
    return emit_dst(b, IR_CALL, IR_I64, a, x, y, (uint64_t)(uintptr_t)fn, callflags);
}

void ir_label(IrBlock *b, uint32_t label) { ir_emit(b, IR_LABEL)->imm = label; }
void ir_br(IrBlock *b, uint32_t label) { ir_emit(b, IR_BR)->imm = label; }

void ir_brz(IrBlock *b, IrTemp a, uint32_t label)
{
    IrInsn *i = ir_emit(b, IR_BRZ);
    i->a = a;
    i->imm = label;
}

void ir_brnz(IrBlock *b, IrTemp a, uint32_t label)
{
    IrInsn *i = ir_emit(b, IR_BRNZ);
    i->a = a;
    i->imm = label;
}

void ir_exit_direct(IrBlock *b, uint32_t pc) { ir_emit(b, IR_EXIT_DIRECT)->imm = pc; }
void ir_exit_indirect(IrBlock *b, IrTemp pc) { ir_emit(b, IR_EXIT_INDIRECT)->a = pc; }

void ir_exit_indirect_new_mode(IrBlock *b, IrTemp pc)
{
    IrInsn *i = ir_emit(b, IR_EXIT_INDIRECT);
    i->a = pc;
    i->fl = IR_EXIT_NEW_MODE;
}
void ir_exit_sync(IrBlock *b, uint32_t pc) { ir_emit(b, IR_EXIT_SYNC)->imm = pc; }
void ir_raise(IrBlock *b, unsigned exc) { ir_emit(b, IR_RAISE)->imm = exc; }
