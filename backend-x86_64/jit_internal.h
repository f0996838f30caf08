/*
 * Internal to backend-x86_64: the compilation context shared by the IR compiler files
 * (jit.c: register allocation, calls, exits; jit_ops.c: one function per IR operation;
 * jit_block.c: the block driver, trampolines and chaining).
 */
#ifndef ARMVM_BACKEND_X86_64_JIT_INTERNAL_H
#define ARMVM_BACKEND_X86_64_JIT_INTERNAL_H

#include "backend-x86_64/backend-x86_64.h"

/* cpu->budget lives in this callee-saved register while translated code runs (so that
 * the check on block entry is a register operation, not a memory round trip). */
#define JIT_BUDGET_REG X86_R15
#define JIT_SLOTS 32        /* spill slots per block, [rsp + 8*i] */
#define JIT_MAX_FIXUPS 256  /* exit-record addresses patched after a block is emitted */
#define JIT_MAX_LABELS 128

typedef struct JitJumpEntry {
    uint32_t pc;
    uint32_t key;
    void *entry;
} JitJumpEntry;

/* A native-path memory access (host address of the instruction) and its slow path. */
typedef struct JitNativeSite {
    uintptr_t site;
    uintptr_t slow;
} JitNativeSite;

struct Jit {
    JitJumpEntry jc[1u << JIT_JC_BITS];
    /* Open-addressing hash of the native-path accesses in the code buffer (emptied with
     * it): what the fault handler of the native engine looks up. */
    JitNativeSite *sites;
    size_t sites_cap, sites_n;
    CodeBuffer *cb;
    uint8_t *enter;     /* JitExit *(*)(ArmCpu *, void *entry) */
    uint8_t *epilogue;  /* translated code jumps here with the exit record in RAX */
    /* Translated code jumps here after an exception entry or return (the mode key
     * changed): the block for cpu->r[15] in the new mode is looked up in the jump cache
     * with the key made from cpu->cpsr; a miss, a raised interrupt line or an exit
     * request leaves through dispatch_exit (an indirect exit). */
    uint8_t *dispatch;
    JitExit dispatch_exit;
    bool has_lzcnt;
    bool has_bmi2;
    bool has_bmi1;
};

typedef struct JitFixup {
    uint8_t *at;   /* 8-byte immediate to fill with the record's address */
    unsigned exit; /* index into the exit array */
} JitFixup;

typedef struct JitFault {
    X86Label label;
    unsigned exit;
} JitFault;

/* How to recompute guest flags held lazily in EFLAGS from guest registers: the last
 * flag-setting ADD/SUB of a guest register and a constant or another guest register
 * (jit_loop.c follows it; jit_flags_recompute emits it). */
typedef struct JitFlagRecipe {
    bool valid;
    IrTemp result;     /* its result temporary */
    uint8_t op;        /* IR_ADD or IR_SUB */
    uint8_t reg;       /* the guest register it read */
    int8_t reg_b;      /* the second operand's guest register, or -1: imm */
    bool in_place;     /* the result was written back to `reg` (imm operand only) */
    uint32_t imm;
    unsigned fl;
    bool borrow;
} JitFlagRecipe;

/* An out-of-line slow path of a load or store (jit_mem.c). */
typedef struct JitSlowPath {
    X86Label label, back, fault, retry;
    uint8_t *site;            /* native fast path: the host access instruction, else NULL */
    bool store, value_is_const;
    X86Reg addr, dst, value;
    uint32_t value_const;
    unsigned flags;
    unsigned exit;            /* JIT_EXIT_PENDING record for a fault */
    unsigned retry_exit;      /* JIT_EXIT_RETRY record: the interpreter must do it */
    unsigned lazy_fl;         /* guest flags only in EFLAGS at the access (native path) */
    bool lazy_borrow;
    /* Guest flags left for recomputation at the access (JitCtx.remat_fl): the slow path
     * recomputes them with `remat`, from the guest registers where they were then. */
    unsigned remat_fl;
    JitFlagRecipe remat;
    int8_t remat_host_of_guest[16];
    bool edx_valid;           /* EDX to restore before going back (see JitCtx.edx_val) */
    uint32_t edx_val;
    X86Reg saved[6];          /* caller-saved registers to preserve across the call */
    unsigned n_saved;
    uint8_t dirty_guest[16];  /* guest registers to write back (from dirty_host) */
    X86Reg dirty_host[16];
    unsigned n_dirty;
} JitSlowPath;

/* A branch that left with lazy flags (jit_flags.c). */
#define JIT_MAX_EDGES 64
typedef struct JitEdge {
    X86Label stub;  /* where the branch goes: bound at the label, or a flag-storing stub */
    uint8_t label;  /* the IR label it goes to */
    uint8_t fl;     /* lazy flags it carries */
    bool borrow;
    bool done;
} JitEdge;

/* Dirty guest registers cached in host registers, to write back on a side exit. */
typedef struct JitDirty {
    uint8_t guest[16];
    X86Reg host[16];
    unsigned n;
} JitDirty;

/* A conditional direct exit (a conditional branch out of the block): the path that
 * leaves is out of line: it writes back the dirty guest registers and stores the lazy
 * flags, then takes the exit's patchable jump (chained or to its stub). The path that
 * goes on keeps registers cached and flags lazy. */
#define JIT_MAX_FLAG_EXITS 32
typedef struct JitFlagExit {
    X86Label label;
    unsigned exit;   /* index into the exit array */
    uint8_t fl;
    bool borrow;
    uint32_t give_back;  /* instructions of the block after the exit (see jit_give_back) */
    JitDirty dirty;
} JitFlagExit;

/* Out-of-line code that reconciles the flag state of a branch with its label's. */
#define JIT_MAX_FLAG_STUBS 64
typedef struct JitFlagStub {
    X86Label *from, *join;
    uint8_t store_fl;
    bool store_borrow;
    uint8_t load_fl;
    bool load_borrow;
} JitFlagStub;

/* The out-of-line result of a division by zero (jit_ops.c): `result` (EAX for UDIV,
 * EDX for UREM) = 0 or, for UREM, the dividend; then back. */
#define JIT_MAX_DIV0 16
typedef struct JitDivZero {
    X86Label zero, back;
    X86Reg result, dividend;
    bool rem;
} JitDivZero;

typedef struct JitCtx {
    Jit *jit;
    uint32_t key;        /* mode key of the block (CPSR M, T, E) */
    unsigned opts;       /* JIT_OPT_* */
    CodeBuffer *cb;
    const IrBlock *b;
    bool failed;
    /* per temporary */
    int8_t *reg_of;      /* host register or -1 */
    int8_t *slot_of;     /* spill slot or -1 */
    /* A temporary read from guest register g (GET_REG) whose one use reads it straight
     * from the register's memory (an operand x86 may take from memory): g, else -1
     * (jit_get_reg). jit_use loads it into a register where a use needs one. */
    int8_t *mem_of;
    bool *is_const;
    uint64_t *const_val;
    uint32_t *last_use;  /* IR index of the last use, 0 if never used */
    /* per host register */
    IrTemp temp_of[16];
    int8_t guest_of[16];
    bool dirty[16];
    int8_t host_of_guest[16];
    bool slot_used[JIT_SLOTS];
    /* The budget: the whole block (its guest instructions) is charged on entry; an exit
     * taken early gives back the instructions after it. */
    uint32_t charged;
    /* guest flags live just before each IR instruction (ir_flags_live_in), and the
     * index of the one being compiled */
    uint8_t *live_in;
    uint32_t ip;
    /* EDX holds edx_val (the inverted TLB tag mask of the last probe) if edx_valid */
    bool edx_valid;
    uint32_t edx_val;
    /* guest instruction bookkeeping */
    uint32_t insn_index;  /* index of the current guest instruction in the block */
    uint32_t insn_pc;
    bool insn_may_write;  /* the current instruction stores to memory or calls a helper */
    /* control flow */
    X86Label labels[JIT_MAX_LABELS];
    JitFault *faults;
    unsigned n_faults, cap_faults;
    JitSlowPath *slow;
    unsigned n_slow, cap_slow;
    /* guest flags held in EFLAGS (jit_flags.c) */
    unsigned lazy_fl;
    bool lazy_borrow;
    /* A GET_FLAG(C) whose only use is the carry-in of an ADC/SBC with nothing but moves
     * in between (jit_lazy_carry): no code; the ADC/SBC takes the carry from EFLAGS. */
    IrTemp lazy_carry;
    bool lazy_carry_borrow;  /* the x86 carry is a borrow (see lazy_borrow) */
    bool unreachable;     /* after an unconditional jump or exit, until a label */
    JitEdge edges[JIT_MAX_EDGES];
    unsigned n_edges;
    uint16_t label_plain_edges[JIT_MAX_LABELS]; /* branches to it without lazy flags */
    X86Label label_join[JIT_MAX_LABELS];        /* where its flag stubs come back */
    JitFlagStub flag_stubs[JIT_MAX_FLAG_STUBS];
    unsigned n_flag_stubs;
    JitFlagExit flag_exits[JIT_MAX_FLAG_EXITS];
    unsigned n_flag_exits;
    JitDivZero div0[JIT_MAX_DIV0];
    unsigned n_div0;
    /* self-loops (jit_loop.c) */
    X86Label top;          /* just after the entry's budget check */
    bool loop_ok;          /* the block may jump back to `top` (see jit_loop.c) */
    bool loop_done;        /* its back edge has been emitted */
    X86Label loop_back;    /* out of line: budget check, then to `top` */
    /* Guest registers the loop keeps in host registers across iterations (loaded before
     * `top`): pinned (a mask of guest registers), each in pin_host[g]; those the loop
     * writes are marked dirty at `top` (pin_dirty). */
    uint16_t pinned, pin_dirty;
    int8_t pin_host[16];
    /* Guest registers every iteration overwrites before anything can see them (an exit,
     * a memory access, a call): the back edge need not store them, only its
     * out-of-budget path does. */
    uint16_t dead_at_top;
    int8_t *temp_src_reg;  /* per temporary: the guest register GET_REG read, or -1 */
    uint16_t *temp_src_ver;/* ... and that register's version then */
    uint16_t reg_version[16]; /* bumped by every SET_REG */
    JitFlagRecipe recipe;      /* the flags now in EFLAGS (or left for recomputation) */
    JitFlagRecipe loop_recipe; /* the one in force at the back edge */
    JitFlagRecipe remat;       /* the one that recomputes remat_fl (jit_flags.c) */
    /* Guest flags neither in EFLAGS nor stored: recomputed by `remat` (a compare of
     * guest registers whose values are still at hand) where something needs them. */
    unsigned remat_fl;
    unsigned loop_recipe_fl;  /* the flags the back edge leaves in EFLAGS (0: none) */
    /* exits */
    JitExit *exits;
    unsigned n_exits, cap_exits;
    JitFixup fixups[JIT_MAX_FIXUPS];
    unsigned n_fixups;
} JitCtx;

X86Mem jit_cpu_field(size_t offset);
X86Mem jit_guest_reg_mem(unsigned r);
X86Reg jit_alloc_reg(JitCtx *c, uint32_t locked);
void jit_set_temp_reg(JitCtx *c, IrTemp t, X86Reg h);
X86Reg jit_use(JitCtx *c, IrTemp t, uint32_t locked);
/* Temporary t is not in a register but in its guest register's memory (see mem_of): an
 * operand to take from *m. */
bool jit_in_guest_mem(const JitCtx *c, IrTemp t, X86Mem *m);
void jit_release_dead(JitCtx *c, const IrInsn *i, uint32_t ip);
X86Reg jit_dest_from(JitCtx *c, IrTemp dst, IrTemp a, uint32_t ip, uint32_t locked);
X86Reg jit_dest_new(JitCtx *c, IrTemp dst, uint32_t locked);
/* Before IR instruction i: move a value RDX holds (a remainder, see jit.c) to another
 * register unless i leaves RDX alone. */
void jit_keep_rdx(JitCtx *c, const IrInsn *i);
/* For a three-operand form (LEA) whose operands a and b are in registers: the register
 * of one that dies here (as jit_dest_from), else a fresh one; no copy. */
X86Reg jit_dest_3op(JitCtx *c, IrTemp dst, IrTemp a, IrTemp b, uint32_t ip, uint32_t locked);
uint32_t jit_lock_of(const JitCtx *c, IrTemp a, IrTemp b, IrTemp d);
void jit_get_reg(JitCtx *c, IrTemp dst, unsigned g);
void jit_set_reg(JitCtx *c, unsigned g, IrTemp t);
void jit_write_back_all(JitCtx *c);
/* The dirty guest registers now (for a side exit's out-of-line write-back), and that
 * write-back. */
void jit_note_dirty(const JitCtx *c, JitDirty *d);
void jit_emit_dirty(JitCtx *c, const JitDirty *d);
void jit_emit_write_back_copy(JitCtx *c);
void jit_drop_all_guest(JitCtx *c);
/* Load guest register g into host register h (free) and cache it there. */
void jit_bind_guest(JitCtx *c, unsigned g, X86Reg h, bool dirty);
/* Emit the moves that bring the guest registers to the pinned places of a self-loop's
 * top (jit_loop.c), leaving the allocator state as it is (a side path); the stores of
 * registers dead at the top are left to the caller (`deferred`). */
void jit_emit_to_pinned(JitCtx *c, JitDirty *deferred);
void jit_before_call(JitCtx *c, uint32_t ip, bool writes_regs);
void jit_emit_call(JitCtx *c, const void *fn, IrTemp a, IrTemp b, IrTemp cc, uint64_t ia, bool a_imm);
void jit_sync_point(JitCtx *c, uint32_t ip, bool at_label);
JitExit *jit_new_exit(JitCtx *c, JitExitKind kind, uint32_t pc, uint32_t uncount);
/* Instructions of the block after the current one: what an exit at the end of the
 * current instruction gives back to the budget (JIT_BUDGET_REG) before it leaves. */
uint32_t jit_rest(const JitCtx *c);
void jit_give_back(JitCtx *c, uint32_t n);
void jit_emit_leave(JitCtx *c, unsigned idx);

/* jit_mem.c: loads and stores through the soft TLB. */
void jit_load(JitCtx *c, const IrInsn *i, uint32_t ip);
void jit_store(JitCtx *c, const IrInsn *i, uint32_t ip);
void jit_emit_slow_paths(JitCtx *c);
/* A native-path access compiles to MOVs only: lazy flags survive it (its slow path
 * stores and reloads them). */
bool jit_mem_keeps_eflags(const JitCtx *c, const IrInsn *i);
/* Record the native-path accesses of a block just compiled (jit_native_slow_path). */
void jit_native_sites_add(JitCtx *c);
void jit_native_sites_clear(Jit *j);
/* The slow paths themselves (arm_mem_read/write; a fault leaves cpu->pending_exc set). */
uint64_t jit_slow_load(ArmCpu *cpu, uint64_t addr, uint64_t flags, uint64_t unused);
uint64_t jit_slow_store(ArmCpu *cpu, uint64_t addr, uint64_t value, uint64_t flags);
/* The slow paths of inline loads and stores: they set cpu->jit_retry, and access
 * nothing, when the access must run in the interpreter (a store to a page holding
 * translated code, any device access; see JIT_EXIT_RETRY); else as above. */
uint64_t jit_slow_load_checked(ArmCpu *cpu, uint64_t addr, uint64_t flags, uint64_t unused);
uint64_t jit_slow_store_checked(ArmCpu *cpu, uint64_t addr, uint64_t value, uint64_t flags);

/* jit_flags.c: guest flags kept in EFLAGS. */
void jit_flags_flush(JitCtx *c);
void jit_flags_set(JitCtx *c, unsigned fl, bool borrow);
bool jit_flags_cc(const JitCtx *c, unsigned cc, X86Cond *when_true);
/* Whether GET_FLAG instruction i can leave the carry in EFLAGS for the ADC/SBC that
 * consumes it (see JitCtx.lazy_carry). */
bool jit_lazy_carry(const JitCtx *c, const IrInsn *i);
void jit_flags_before(JitCtx *c, const IrInsn *i);
/* Recompute flags left for recomputation into EFLAGS (they become lazy again). */
void jit_flags_remat(JitCtx *c);
/* Recompute r's flags into EFLAGS (clobbers RAX): from the guest registers, each in the
 * host register host_of_guest[g] says or in ArmCpu (-1, or host_of_guest NULL: there it
 * must then be current). */
void jit_flags_recompute(JitCtx *c, const JitFlagRecipe *r, const int8_t *host_of_guest);
void jit_flags_jump(JitCtx *c, unsigned label, bool conditional, X86Cond cc);
/* At IR label `label`: settle the flag state; false if the stubs took over binding
 * c->labels[label] (the caller binds it otherwise). */
bool jit_flags_label(JitCtx *c, unsigned label);
void jit_flags_emit_stubs(JitCtx *c);
/* The out-of-line halves of conditional exits taken with lazy flags (before the exit
 * stubs are emitted: they create the exits' patchable jumps). */
void jit_flags_emit_exits(JitCtx *c);
/* Whether any branch of the block goes to IR label `label` (else only the fall-through
 * reaches it). */
bool jit_flags_label_has_edges(const JitCtx *c, unsigned label);
/* Store the lazy flags `fl` from EFLAGS to the flag bytes (SETcc: EFLAGS kept); load
 * EFLAGS from the flag bytes (clobbers RAX, RCX). */
void jit_flags_store(CodeBuffer *cb, unsigned fl, bool borrow);
void jit_flags_load_eflags(CodeBuffer *cb, bool borrow);

/* jit_loop.c: blocks that branch back to their own start. */
bool jit_loop_eligible(const JitCtx *c);
void jit_loop_preload(JitCtx *c);
void jit_loop_note_insn(JitCtx *c, const IrInsn *i);
bool jit_loop_can_back_edge(const JitCtx *c, uint32_t target);
void jit_loop_back_edge(JitCtx *c, X86Cond when);
void jit_loop_emit_tail(JitCtx *c);

/* jit_ops.c: compile IR instruction number ip. */
/* Whether an ADD/SUB compiles to LEA (no flags, EFLAGS untouched). */
bool jit_is_lea(const JitCtx *c, const IrInsn *i);
void jit_compile_insn(JitCtx *c, const IrInsn *i, uint32_t ip);
void jit_emit_fault_stubs(JitCtx *c);
void jit_emit_div_zero_stubs(JitCtx *c);
bool jit_fused_cond_branch(JitCtx *c, const IrInsn *i, const IrInsn *br, uint32_t ip);
bool jit_fused_cond_exit(JitCtx *c, const IrInsn *i, uint32_t ip);

#endif
