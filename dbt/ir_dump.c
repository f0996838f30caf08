/*
 * Human-readable IR (-d op).
 */
#include "dbt/dbt.h"

static const char *const op_names[IR_OP_COUNT] = {
    [IR_NOP] = "nop", [IR_INSN_START] = "insn_start", [IR_CONST] = "const", [IR_MOV] = "mov",
    [IR_GET_REG] = "get_reg", [IR_SET_REG] = "set_reg", [IR_GET_FLAG] = "get_flag",
    [IR_SET_FLAG] = "set_flag", [IR_COND] = "cond", [IR_ADD] = "add", [IR_SUB] = "sub",
    [IR_ADC] = "adc", [IR_SBC] = "sbc", [IR_AND] = "and", [IR_OR] = "or", [IR_XOR] = "xor",
    [IR_ANDN] = "andn", [IR_NOT] = "not", [IR_SETNZ] = "setnz", [IR_LSL] = "lsl", [IR_LSR] = "lsr",
    [IR_ASR] = "asr", [IR_ROR] = "ror", [IR_LSL_C] = "lsl_c", [IR_LSR_C] = "lsr_c",
    [IR_ASR_C] = "asr_c", [IR_ROR_C] = "ror_c", [IR_RRX] = "rrx", [IR_FSHR] = "fshr", [IR_MUL] = "mul",
    [IR_UMULL] = "umull", [IR_SMULL] = "smull", [IR_UDIV] = "udiv", [IR_SDIV] = "sdiv", [IR_UREM] = "urem",
    [IR_ADD64] = "add64", [IR_SUB64] = "sub64", [IR_PAIR64] = "pair64", [IR_LO32] = "lo32",
    [IR_HI32] = "hi32", [IR_SEXT8] = "sext8", [IR_SEXT16] = "sext16", [IR_ZEXT8] = "zext8",
    [IR_ZEXT16] = "zext16", [IR_CLZ] = "clz", [IR_BSWAP] = "bswap", [IR_SETEQ] = "seteq",
    [IR_SETNE] = "setne", [IR_SETLTU] = "setltu", [IR_SETLTS] = "setlts", [IR_SELECT] = "select",
    [IR_LOAD] = "load", [IR_STORE] = "store", [IR_CALL] = "call", [IR_LABEL] = "label",
    [IR_BR] = "br", [IR_BRZ] = "brz", [IR_BRNZ] = "brnz", [IR_EXIT_DIRECT] = "exit_direct",
    [IR_EXIT_INDIRECT] = "exit_indirect", [IR_EXIT_SYNC] = "exit_sync", [IR_RAISE] = "raise",
};

const char *ir_op_name(IrOp op)
{
    return (unsigned)op < IR_OP_COUNT && op_names[op] ? op_names[op] : "?";
}

void ir_dump(const IrBlock *b, FILE *out)
{
    for (uint32_t k = 0; k < b->n; k++) {
        const IrInsn *i = &b->insns[k];
        if (i->op == IR_INSN_START) {
            fprintf(out, " ---- %08llx\n", (unsigned long long)i->imm);
            continue;
        }
        fprintf(out, "  ");
        if (i->dst)
            fprintf(out, "t%u%s = ", i->dst, i->type == IR_I64 ? ":64" : "");
        fprintf(out, "%s", ir_op_name((IrOp)i->op));
        if (i->a)
            fprintf(out, " t%u", i->a);
        if (i->b)
            fprintf(out, ", t%u", i->b);
        if (i->c)
            fprintf(out, ", t%u", i->c);
        switch ((IrOp)i->op) {
        case IR_CONST: case IR_GET_REG: case IR_SET_REG: case IR_GET_FLAG: case IR_SET_FLAG:
        case IR_COND: case IR_LOAD: case IR_STORE: case IR_LABEL: case IR_BR: case IR_BRZ:
        case IR_BRNZ: case IR_EXIT_DIRECT: case IR_EXIT_SYNC: case IR_RAISE:
            fprintf(out, " #0x%llx", (unsigned long long)i->imm);
            break;
        case IR_CALL:
            fprintf(out, " helper %p", (void *)(uintptr_t)i->imm);
            break;
        default:
            break;
        }
        if (i->fl && i->op != IR_CALL)
            fprintf(out, " [flags %s%s%s%s]", (i->fl & IR_FLAG_N) ? "N" : "", (i->fl & IR_FLAG_Z) ? "Z" : "",
                    (i->fl & IR_FLAG_C) ? "C" : "", (i->fl & IR_FLAG_V) ? "V" : "");
        fprintf(out, "\n");
    }
}
