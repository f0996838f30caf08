/*
 * dbt: the engine core.
 *
 * The armvm IR, its builder and interpreter, translation blocks and their cache, and
 * the execution loop with exact guest instruction counting.
 *
 * The IR is a linear list of instructions over numbered temporaries (typed I32 or I64),
 * one list per translation block. Guest state is only touched by explicit operations
 * (register get/set, flag get/set, memory, helper calls), so a backend can keep guest
 * registers in host registers between them. Arithmetic that the guest uses for flags
 * carries a mask of the guest flags it writes (IrInsn.fl); a liveness pass clears the
 * bits no later instruction can read. Each guest instruction starts with IR_INSN_START,
 * which is what makes state at a fault precise and counting exact.
 */
#ifndef ARMVM_DBT_H
#define ARMVM_DBT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct ArmCpu;

typedef uint16_t IrTemp; /* 0 means "no temporary" */

typedef enum IrType { IR_I32 = 0, IR_I64 = 1 } IrType;

/* Guest flags as IR sees them (bits of IrInsn.fl, and the imm of GET/SET_FLAG). */
enum {
    IR_FLAG_N = 1,
    IR_FLAG_Z = 2,
    IR_FLAG_C = 4,
    IR_FLAG_V = 8,
    IR_FLAG_NZCV = 15,
    IR_FLAG_NZ = 3,
    IR_FLAG_Q = 16,
};

/* Memory access flags in IrInsn.imm of IR_LOAD / IR_STORE (same values as ARM_MEM_*). */
#define IR_MEM_SIZE_MASK 0x0fu
#define IR_MEM_SIGNED 0x10u
#define IR_MEM_USER 0x20u
#define IR_MEM_ALIGN 0x40u

/* Helper call flags (IrInsn.fl of IR_CALL). */
#define IR_CALL_MAY_RAISE 1u    /* may set cpu->pending_exc: check after the call */
#define IR_CALL_READS_FLAGS 2u  /* reads guest NZCV from the cpu state */
#define IR_CALL_WRITES_FLAGS 4u /* writes guest NZCV/Q/GE in the cpu state */
#define IR_CALL_WRITES_REGS 8u  /* may write guest registers (mode switches) */

/* IrInsn.fl of IR_EXIT_INDIRECT. */
#define IR_EXIT_NEW_MODE 1u

/* A helper: called with the cpu and up to three operands. */
typedef uint64_t (*IrHelperFn)(struct ArmCpu *cpu, uint64_t a, uint64_t b, uint64_t c);

typedef enum IrOp {
    IR_NOP,
    IR_INSN_START,  /* imm = guest PC of the instruction that follows */
    IR_CONST,       /* dst = imm */
    IR_MOV,         /* dst = a */
    IR_GET_REG,     /* dst = guest register imm (0..15, current bank) */
    IR_SET_REG,     /* guest register imm = a */
    IR_GET_FLAG,    /* dst = guest flag imm (one IR_FLAG_* bit), 0 or 1 */
    IR_SET_FLAG,    /* guest flag imm = a & 1 */
    IR_COND,        /* dst = 1 if ARM condition code imm (0..14) holds, else 0 */

    /* 32-bit arithmetic. `fl` = guest flags written (ARM ARM A2.2.1 rules: N, Z from the
     * result, C = carry out (ADD/ADC) or NOT borrow (SUB/SBC), V = signed overflow). */
    IR_ADD,  /* dst = a + b */
    IR_SUB,  /* dst = a - b */
    IR_ADC,  /* dst = a + b + c (c is 0 or 1) */
    IR_SBC,  /* dst = a - b - (1 - c), i.e. a + ~b + c */
    /* Logical ops; `fl` may hold N and Z only. */
    IR_AND, IR_OR, IR_XOR,
    IR_ANDN, /* dst = a & ~b */
    IR_NOT,  /* dst = ~a */
    IR_SETNZ,   /* N, Z flags from a (I32 or I64 per type) */
    /* Shifts with ARM semantics for any amount b (ARM ARM A8.4.3): LSL/LSR by >= 32 give 0,
     * ASR by >= 32 gives the sign, ROR uses b mod 32. */
    IR_LSL, IR_LSR, IR_ASR, IR_ROR,
    /* Carry out of the shift above, c = carry in (returned when b == 0). */
    IR_LSL_C, IR_LSR_C, IR_ASR_C, IR_ROR_C,
    IR_RRX,    /* dst = (c << 31) | (a >> 1) */
    IR_FSHR,   /* dst = (a >> n) | (b << (32 - n)), n = constant temp c, 1..31: the low
                  word of the 64-bit b:a shifted right (ir_pass_regs.c) */
    /* Multiply and divide. */
    IR_MUL,    /* dst = a * b (low 32 bits) */
    IR_UMULL,  /* I64 dst = (u64)a * (u64)b */
    IR_SMULL,  /* I64 dst = (s64)a * (s64)b */
    IR_UDIV,   /* dst = b ? a / b : 0 */
    IR_SDIV,   /* dst = b ? a / b : 0, INT32_MIN / -1 = INT32_MIN (ARM ARM A8.8.165) */
    IR_UREM,   /* dst = b ? a % b : a, i.e. a - UDIV(a, b) * b (ir_pass_registers) */
    /* 64-bit. */
    IR_ADD64, IR_SUB64,
    IR_PAIR64, /* I64 dst = ((u64)b << 32) | a */
    IR_LO32,   /* dst = (u32)a */
    IR_HI32,   /* dst = (u32)(a >> 32) */
    /* Extensions and bit ops. */
    IR_SEXT8, IR_SEXT16, IR_ZEXT8, IR_ZEXT16,
    IR_CLZ,
    IR_BSWAP,  /* byte-reverse a 32-bit word */
    /* Comparisons giving 0 or 1. */
    IR_SETEQ, IR_SETNE, IR_SETLTU, IR_SETLTS,
    IR_SELECT, /* dst = a ? b : c */
    /* Memory. imm = IR_MEM_* flags. A fault raises a data abort at this instruction. */
    IR_LOAD,   /* dst = mem[a] (zero- or sign-extended to 32 bits) */
    IR_STORE,  /* mem[a] = b */
    /* Helper call: dst = ((IrHelperFn)imm)(cpu, a, b, c); fl = IR_CALL_* */
    IR_CALL,
    /* Control flow inside a block (forward only). */
    IR_LABEL,  /* imm = label number */
    IR_BR,     /* goto label imm */
    IR_BRZ,    /* if a == 0 goto label imm */
    IR_BRNZ,   /* if a != 0 goto label imm */
    /* Block exits. */
    IR_EXIT_DIRECT,   /* continue at guest PC imm (same mode key): chainable */
    IR_EXIT_INDIRECT, /* continue at guest PC a; fl = IR_EXIT_NEW_MODE if the mode key
                         may have changed (interworking to Thumb, exception return) */
    IR_EXIT_SYNC,     /* continue at guest PC imm, but return to the loop first (the mode key
                         or the system state may have changed) */
    IR_RAISE,         /* take exception imm (ArmException: SVC, UNDEF, BKPT) for the
                         current instruction, which counts as executed */
    IR_OP_COUNT
} IrOp;

typedef struct IrInsn {
    uint8_t op;    /* IrOp */
    uint8_t type;  /* IrType of dst */
    uint8_t fl;    /* flags written (arith), IR_CALL_* (calls) */
    uint8_t pad;
    IrTemp dst, a, b, c;
    uint64_t imm;
} IrInsn;

typedef struct IrBlock {
    IrInsn *insns;
    uint32_t n, cap;
    uint32_t n_temps;   /* temps are 1..n_temps-1 */
    uint32_t n_labels;
    uint32_t guest_pc;      /* first guest instruction */
    uint32_t guest_insns;   /* number of guest instructions in the block */
    uint32_t guest_end;     /* address after the last guest instruction */
} IrBlock;

/* --- ir.c: building --- */
void ir_block_init(IrBlock *b);
void ir_block_reset(IrBlock *b);
void ir_block_free(IrBlock *b);
IrInsn *ir_emit(IrBlock *b, IrOp op);
IrTemp ir_new_temp(IrBlock *b);
uint32_t ir_new_label(IrBlock *b);

IrTemp ir_const(IrBlock *b, uint32_t v);
IrTemp ir_const64(IrBlock *b, uint64_t v);
IrTemp ir_get_reg(IrBlock *b, unsigned reg);
void ir_set_reg(IrBlock *b, unsigned reg, IrTemp v);
IrTemp ir_get_flag(IrBlock *b, unsigned flag);
void ir_set_flag(IrBlock *b, unsigned flag, IrTemp v);
IrTemp ir_cond(IrBlock *b, unsigned cc);
/* dst = op(a) / op(a, b) / op(a, b, c) with flag mask fl (I32 result). */
IrTemp ir_op1(IrBlock *b, IrOp op, IrTemp a);
IrTemp ir_op2(IrBlock *b, IrOp op, IrTemp a, IrTemp x);
IrTemp ir_op3(IrBlock *b, IrOp op, IrTemp a, IrTemp x, IrTemp y);
IrTemp ir_op2f(IrBlock *b, IrOp op, IrTemp a, IrTemp x, unsigned fl);
IrTemp ir_op3f(IrBlock *b, IrOp op, IrTemp a, IrTemp x, IrTemp y, unsigned fl);
/* Same with an I64 result. */
IrTemp ir_op1_64(IrBlock *b, IrOp op, IrTemp a);
IrTemp ir_op2_64(IrBlock *b, IrOp op, IrTemp a, IrTemp x);
void ir_setnz(IrBlock *b, IrTemp v);
void ir_setnz64(IrBlock *b, IrTemp v);
IrTemp ir_load(IrBlock *b, IrTemp addr, unsigned memflags);
void ir_store(IrBlock *b, IrTemp addr, IrTemp v, unsigned memflags);
IrTemp ir_call(IrBlock *b, IrHelperFn fn, unsigned callflags, IrTemp a, IrTemp x, IrTemp y);
IrTemp ir_call64(IrBlock *b, IrHelperFn fn, unsigned callflags, IrTemp a, IrTemp x, IrTemp y);
void ir_label(IrBlock *b, uint32_t label);
void ir_br(IrBlock *b, uint32_t label);
void ir_brz(IrBlock *b, IrTemp a, uint32_t label);
void ir_brnz(IrBlock *b, IrTemp a, uint32_t label);
void ir_exit_direct(IrBlock *b, uint32_t pc);
void ir_exit_indirect(IrBlock *b, IrTemp pc);
/* An indirect exit after which the mode key may differ from the block's. */
void ir_exit_indirect_new_mode(IrBlock *b, IrTemp pc);
void ir_exit_sync(IrBlock *b, uint32_t pc);
void ir_raise(IrBlock *b, unsigned exc);

/* Operations at which guest registers must hold their values: control flow (an exit, a
 * branch or label) and anything that may fault or read them (a memory access, a call). */
static inline bool ir_sees_registers(IrOp op)
{
    switch (op) {
    case IR_LOAD: case IR_STORE: case IR_CALL: case IR_LABEL: case IR_BR: case IR_BRZ:
    case IR_BRNZ: case IR_EXIT_DIRECT: case IR_EXIT_INDIRECT: case IR_EXIT_SYNC: case IR_RAISE:
        return true;
    default:
        return false;
    }
}

/* Operations with no effect but their result (no flags written, no state touched). */
static inline bool ir_is_pure(const IrInsn *i)
{
    switch ((IrOp)i->op) {
    case IR_NOP: case IR_INSN_START: case IR_SET_REG: case IR_SET_FLAG: case IR_SETNZ:
        return false;
    default:
        return !ir_sees_registers((IrOp)i->op) && i->fl == 0;
    }
}

/* --- ir_pass.c: optimisation --- */
/* Clear flag-write bits that no later IR instruction (before an exit) can read. */
void ir_pass_dead_flags(IrBlock *b);
/* The guest flags live just before each IR instruction (live_in[b->n]); false if out of
 * memory. */
bool ir_flags_live_in(const IrBlock *b, uint8_t *live_in);

/* --- ir_pass_regs.c --- */
/* Reuse guest register reads within an instruction, fuse UDIV+MLS into UREM, drop
 * overwritten register writes and unused pure operations. */
void ir_pass_registers(IrBlock *b);

/* --- ir_dump.c --- */
const char *ir_op_name(IrOp op);
void ir_dump(const IrBlock *b, FILE *out);

/* --- translation blocks, cache and execution --- */
typedef enum DbtEngine { DBT_ENGINE_INTERP = 0, DBT_ENGINE_JIT, DBT_ENGINE_NATIVE } DbtEngine;
const char *dbt_engine_name(DbtEngine e);
/* Parse "interp" / "jit" / "native"; returns -1 if unknown. */
int dbt_engine_parse(const char *name);

typedef enum DbtExit {
    DBT_EXIT_HALTED = 0,   /* the guest asked to stop (cpu->halted, cpu->exit_status) */
    DBT_EXIT_MAX_INSNS,    /* the instruction budget ran out */
    DBT_EXIT_REQUEST,      /* exit requested from outside (cpu->exit_request) */
    DBT_EXIT_YIELD,        /* cpu->yield_request: the caller has something to update */
    DBT_EXIT_WFI,          /* the CPU waits for an interrupt (cpu->wfi) and none is
                              pending: the caller advances time, then runs again */
} DbtExit;

typedef struct DbtStats {
    uint64_t blocks_translated;
    uint64_t blocks_executed;
    uint64_t block_flushes;
    uint64_t blocks_invalidated;
    uint64_t ir_insns_translated;
    uint64_t jit_fallbacks;      /* blocks the backend could not compile (interpreted) */
    uint64_t chains;             /* direct exits patched to jump straight to a block */
    uint64_t unchain_all;        /* every chain undone: the guest changed translation */
    uint64_t unchain_range;      /* chains into one mapping undone (TLB invalidate by MVA) */
    uint64_t retries;            /* instructions that wrote translated code, rerun by the
                                    interpreter (jit) */
    /* user mode (all engines) */
    uint64_t insns_user;         /* guest instructions executed in user mode */
    uint64_t user_entries;       /* privileged -> user transitions (exception returns) */
    uint64_t user_exits;         /* user -> privileged (exceptions taken in user mode) */
    /* the native engine's sandboxes (native/) */
    uint64_t native_shadow_faults;   /* user accesses that mapped a page and went on */
    uint64_t native_logical_faults;  /* user accesses the guest forbids: guest aborts */
    uint64_t native_device_accesses; /* user accesses to devices (emulated) */
    uint64_t native_code_writes;     /* user stores to pages holding translated code */
    uint64_t sandbox_maps, sandbox_unmaps, sandbox_flushes, sandbox_recycles;
    uint64_t sandbox_protects;       /* writable pages made read-only: they got code */
} DbtStats;

/* Debug output selection (-d). */
#define DBT_LOG_IN_ASM 1u
#define DBT_LOG_IR 2u
#define DBT_LOG_EXEC 4u
#define DBT_LOG_INT 8u
#define DBT_LOG_CPU 16u
#define DBT_LOG_GUEST_ERRORS 32u /* accesses to unmodelled device registers and the like */
#define DBT_LOG_OUT_ASM 64u

typedef struct Dbt Dbt;
Dbt *dbt_create(struct ArmCpu *cpu, DbtEngine engine);
/* The same with a given size of the jit code buffer (tests use a tiny one to exercise
 * flushing). */
Dbt *dbt_create_sized(struct ArmCpu *cpu, DbtEngine engine, size_t jit_code_bytes);
void dbt_destroy(Dbt *d);
void dbt_set_log(Dbt *d, unsigned log_mask, FILE *out);
/* Run until the guest halts, the budget of guest instructions runs out (0 = none), or an
 * exit is requested. Guest state is precise on return. */
DbtExit dbt_run(Dbt *d, uint64_t max_insns);
/* With a soft budget, dbt_run may run past max_insns to the end of the block the budget
 * ends in (fine for the real-time clock's polling slices, whose length is arbitrary):
 * no shorter copy of that block is translated to stop exactly. The count stays exact;
 * only where the run stops moves. Off by default (-icount and --max-insns need it). */
void dbt_set_soft_budget(Dbt *d, bool soft);
/* Execute a hand-built IR block once with the interpreter (unit tests, differential
 * testing of backends). The block must end with an exit, as translated blocks do. */
void dbt_exec_ir(Dbt *d, const IrBlock *b);
/* Forget all translations (e.g. on a mapping change). */
void dbt_flush(Dbt *d);
/* The statistics so far (a snapshot, valid until the next call). */
const DbtStats *dbt_stats(Dbt *d);

#endif
