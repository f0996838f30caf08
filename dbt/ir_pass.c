/*
 * IR optimisation passes.
 */
#include "dbt/dbt.h"

#include <stdlib.h>

#define ALL_FLAGS (IR_FLAG_NZCV | IR_FLAG_Q)

/* Flags an ARM condition code reads (ARM ARM A8.3). */
static unsigned cond_reads(unsigned cc)
{
    static const uint8_t reads[8] = {
        IR_FLAG_Z, IR_FLAG_C, IR_FLAG_N, IR_FLAG_V,
        IR_FLAG_C | IR_FLAG_Z, IR_FLAG_N | IR_FLAG_V, IR_FLAG_N | IR_FLAG_Z | IR_FLAG_V, 0,
    };
    return reads[(cc >> 1) & 7];
}

/* Backward liveness of the guest flags. Everything is live at a block exit and at any
 * operation that may fault (the state must be precise there); a flag write nobody can
 * read before the next write is dropped when `prune` is set. Branches are forward only,
 * so one backward sweep that records liveness at each label is exact. live_in (if not
 * NULL) gets the flags live just before each instruction. A block only stops
 * early at an exit or a fault: the budget is checked on block entry (backend-x86_64.h). */
static bool flags_sweep(IrBlock *b, bool prune, uint8_t *live_in)
{
    unsigned *at_label = calloc(b->n_labels ? b->n_labels : 1, sizeof(unsigned));
    if (!at_label)
        return false;
    unsigned live = ALL_FLAGS;
    for (uint32_t k = b->n; k-- > 0;) {
        IrInsn *i = &b->insns[k];
        switch ((IrOp)i->op) {
        case IR_EXIT_DIRECT:
        case IR_EXIT_INDIRECT:
        case IR_EXIT_SYNC:
        case IR_RAISE:
        case IR_LOAD:
        case IR_STORE:
            live = ALL_FLAGS;
            break;
        case IR_CALL:
            if (i->fl & (IR_CALL_MAY_RAISE | IR_CALL_READS_FLAGS))
                live = ALL_FLAGS;
            break;
        case IR_LABEL:
            at_label[i->imm] = live;
            break;
        case IR_BR:
            live = at_label[i->imm];
            break;
        case IR_BRZ:
        case IR_BRNZ:
            live |= at_label[i->imm];
            break;
        case IR_GET_FLAG:
            live |= (unsigned)i->imm;
            break;
        case IR_COND:
            live |= cond_reads((unsigned)i->imm);
            break;
        case IR_SET_FLAG:
            if (prune && !(live & i->imm))
                i->op = IR_NOP;
            live &= ~(unsigned)i->imm;
            break;
        case IR_SETNZ:
            if (prune) {
                i->fl &= live;
                if (!i->fl)
                    i->op = IR_NOP;
            }
            live &= ~(unsigned)IR_FLAG_NZ;
            break;
        default:
            if (i->fl) {
                unsigned written = i->fl;
                if (prune)
                    i->fl &= live;
                live &= ~written;
            }
            break;
        }
        if (live_in)
            live_in[k] = (uint8_t)live;
    }
    free(at_label);
    return true;
}

void ir_pass_dead_flags(IrBlock *b)
{
    /* An optimisation: skipping it when out of memory is always correct. */
    (void)flags_sweep(b, true, NULL);
}

bool ir_flags_live_in(const IrBlock *b, uint8_t *live_in)
{
    return flags_sweep((IrBlock *)b, false, live_in);
}
