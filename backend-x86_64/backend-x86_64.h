/*
 * backend-x86_64: armvm IR to x86-64 machine code.
 *
 * jit_compile() turns one IR block into host code in the code buffer. Translated code
 * runs with the guest CPU state pointer in RBP; guest registers are cached in host
 * registers inside a block and written back at every exit, helper call and possible
 * fault, so the state in ArmCpu is exact whenever control leaves translated code.
 *
 * Leaving translated code returns a JitExit record to the caller of jit_enter(). A direct
 * exit (known target, same mode key) ends in a patchable jump: the engine chains it
 * straight to the next block's entry with jit_chain() and undoes that with jit_unchain().
 *
 * Instruction counting: each block subtracts its guest instruction count from
 * cpu->budget on entry and leaves through a JIT_EXIT_BUDGET record (without running
 * anything) if that would make the budget negative. Exits from the middle of a block
 * (faults, exceptions) carry the number of instructions that did not run (`uncount`);
 * a chained exit taken early (a conditional branch) adds them back to the budget
 * register itself before it leaves.
 *
 * code_buffer.h and x86_emit.h are the lower layers (also usable on their own).
 */
#ifndef ARMVM_BACKEND_X86_64_H
#define ARMVM_BACKEND_X86_64_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "backend-x86_64/code_buffer.h"
#include "backend-x86_64/x86_emit.h"
#include "dbt/dbt.h"
#include "frontend-arm/frontend-arm.h"

typedef enum JitExitKind {
    JIT_EXIT_DIRECT,   /* to `pc`, chainable; cpu->r[15] = pc */
    JIT_EXIT_SYNC,     /* to `pc`, back through the loop; cpu->r[15] = pc */
    JIT_EXIT_INDIRECT, /* cpu->r[15] holds the target */
    JIT_EXIT_RAISE,    /* exception `exc` raised by the instruction at `pc` (it counts) */
    JIT_EXIT_PENDING,  /* cpu->pending_exc raised by a helper or memory access of the
                          instruction at `pc` */
    JIT_EXIT_BUDGET,   /* not enough budget to run the block at `pc`; nothing ran */
    JIT_EXIT_RETRY,    /* the instruction at `pc` writes a page holding translated code
                          or accesses a device: nothing of it ran; the engine runs it in
                          the interpreter and goes on */
} JitExitKind;

typedef struct JitExit {
    JitExitKind kind;
    uint32_t pc;
    uint32_t uncount;   /* instructions of the block that did not run, the faulting or
                           raising one included */
    uint32_t exc;       /* JIT_EXIT_RAISE: the ArmException */
    uint8_t *jmp_site;  /* JIT_EXIT_DIRECT: the patchable jump */
    uint8_t *stub;      /* JIT_EXIT_DIRECT: where the jump goes when not chained */
    /* Owned by the engine (chaining bookkeeping). */
    void *owner;
    void *chained_to;
    struct JitExit *next_incoming;
} JitExit;

typedef struct JitBlock {
    void *entry;
    JitExit *exits; /* heap array, freed with jit_block_free */
    unsigned n_exits;
    size_t code_size;
} JitBlock;

typedef struct Jit Jit;

/* A JIT with a code buffer of code_size bytes. NULL if the memory cannot be had. */
Jit *jit_create(size_t code_size);
void jit_destroy(Jit *j);
/* Forget all code (every JitBlock becomes invalid). */
void jit_reset(Jit *j);
/* jit_compile options. */
#define JIT_OPT_NATIVE_MEM 1u   /* the native fast path (user mode): guest memory is at
                                   cpu->native_base + va, a sandbox (native/), not behind
                                   the soft TLB; see jit_native_slow_path */
#define JIT_OPT_NATIVE_ALIGN 2u /* with it: every multi-byte access must be aligned
                                   (SCTLR.A), checked before the access */
/* Compile b, translated in mode key `key` (arm_mode_key), with JIT_OPT_* options.
 * Returns false if the code buffer is full (reset and retry) or the block uses something
 * this backend cannot compile (then interpret it). */
bool jit_compile(Jit *j, const IrBlock *b, uint32_t key, unsigned opts, JitBlock *out,
                 bool *buffer_full);
/* A host fault at `pc` in translated code of the native fast path: if pc is one of its
 * guest memory accesses, the address of that access's slow path (which performs it
 * through the soft MMU: an abort, a device, a store to translated code, all with exact
 * guest state), else NULL. Safe to call from a signal handler. */
void *jit_native_slow_path(const Jit *j, uintptr_t pc);
void jit_block_free(JitBlock *jb);
/* Run translated code from `entry` until it returns to the engine. */
JitExit *jit_enter(Jit *j, ArmCpu *cpu, void *entry);
/* The indirect-branch cache: translated code looks up (guest PC, mode key) here and
 * jumps straight to the entry on a hit. The engine fills it and removes blocks that
 * go away. */
#define JIT_JC_BITS 12
/* The entry of (pc, key): the PC's word index, mixed with the key's ASID bits (user-mode
 * keys, see arm_mode_key) so that processes running the same code at the same address
 * do not evict each other. Translated code computes the same (jit_ops.c, the dispatcher
 * in jit_block.c). */
#define JIT_JC_KEY_SHIFT 12
static inline uint32_t jit_jc_index(uint32_t pc, uint32_t key)
{
    return ((pc >> 2) ^ (key >> JIT_JC_KEY_SHIFT)) & ((1u << JIT_JC_BITS) - 1);
}
void jit_jc_set(Jit *j, uint32_t pc, uint32_t key, void *entry);
void jit_jc_remove(Jit *j, uint32_t pc, uint32_t key, void *entry);
void jit_jc_flush(Jit *j);

/* Disassemble host code to out, one instruction per line (-d out_asm). */
void jit_disas(const void *code, size_t size, FILE *out);

/* Point a direct exit at another block's entry, or back at its stub. */
void jit_chain(JitExit *e, void *entry);
void jit_unchain(JitExit *e);

#endif
