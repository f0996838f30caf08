/*
 * Internal to dbt: translation blocks, the cache and the engine object.
 */
#ifndef ARMVM_DBT_INTERNAL_H
#define ARMVM_DBT_INTERNAL_H

#include "backend-x86_64/backend-x86_64.h"
#include "dbt/dbt.h"
#include "frontend-arm/frontend-arm.h"

#define TB_MAX_INSNS 64       /* guest instructions per block */
#define TB_HASH_BITS 14
#define TB_PAGE_HASH_BITS 12
#define TB_VPAGE_HASH_BITS 16  /* the low 16 bits of the virtual page number */

/* A translation block: guest code from pc (in mode key) up to a block end, never
 * crossing a guest page. */
typedef struct Tb {
    uint32_t pc;
    uint32_t key;
    PhysAddr phys_page;      /* guest physical page of the code, for invalidation */
    IrBlock ir;
    uint32_t *label_pos;     /* IR index of each label (interpreter) */
    struct Tb *hash_next;    /* chain in the (pc, key) hash */
    struct Tb *page_next;    /* chain of blocks from the same physical page */
    struct Tb *vpage_next;   /* chain of blocks from the same virtual page */
    struct Tb *dead_next;    /* on the list of blocks to free */
    uint64_t exec_count;
    JitBlock jb;             /* host code (jit engines); jb.entry NULL = interpret */
    JitExit *incoming;       /* direct exits of other blocks chained to this one */
    bool dead;
} Tb;

/* Instruction-fetch translations (virtual page + privilege -> physical page), cached
 * until the guest changes address translation (dbt_tlb_changed). */
#define DBT_FETCH_CACHE 64
typedef struct DbtFetchEntry {
    uint32_t tag;            /* virtual page | 1 if privileged; DBT_FETCH_INVALID: empty */
    bool global;             /* not tied to an ASID */
    PhysAddr phys_page;
} DbtFetchEntry;
#define DBT_FETCH_INVALID 0xffffffffu

#define DBT_JIT_CODE_SIZE (64u << 20)
#define DBT_JIT_SLICE (1 << 22) /* instructions between returns to the loop */

struct Dbt {
    ArmCpu *cpu;
    DbtEngine engine;
    Tb *hash[1u << TB_HASH_BITS];
    /* Physical page -> blocks. Buckets of a hash on the page number. */
    Tb *page_hash[1u << TB_PAGE_HASH_BITS];
    /* Virtual page -> blocks (for TLB maintenance by address). */
    Tb *vpage_hash[1u << TB_VPAGE_HASH_BITS];
    /* Per 1 MiB of virtual address space: how many times a chain or an indirect-branch
     * cache entry was made to a block there since it was last searched (an upper
     * bound: 0 means nothing there is linked, so TLB maintenance can skip it). */
    uint32_t linked_mib[4096];
    Tb *dead;                 /* invalidated while possibly running; freed by the loop */
    uint64_t *temps;          /* interpreter temporaries */
    uint32_t temps_cap;
    unsigned log_mask;
    FILE *log;
    DbtStats stats;
    DbtStats stats_snapshot;  /* what dbt_stats returned last */
    Jit *jit;                 /* NULL for the interpreter engine */
    JitExit *last_exit;       /* the direct exit that just left translated code */
    bool last_indirect;       /* translated code just left through an indirect exit */
    bool soft_budget;         /* see dbt_set_soft_budget */
    bool interp_next;         /* run the next instruction in the interpreter (JIT_EXIT_RETRY) */
    DbtFetchEntry fetch[DBT_FETCH_CACHE];
    bool fetch_ng;            /* fetch may hold entries of non-global pages */
    uint32_t regime_sig;      /* SCTLR.M | TTBCR.EAE at the last translation change */
    uint32_t regime_asid;     /* and the ASID */
    bool priv_ng_blocks;      /* a privileged block comes from a non-global page (user
                                 blocks are keyed by ASID; these are not) */
    struct DbtNative *native; /* the native engine's sandboxes (dbt_native.c), or NULL */
    bool in_user;             /* the CPU is in user mode ... */
    uint64_t user_since;      /* ... since this instruction count */
};

/* dbt_native.c: the user-mode fast path of the native engine. */
bool dbt_native_init(Dbt *d, char *err, size_t errlen);
void dbt_native_destroy(Dbt *d);
/* Faults in the sandboxes on the calling thread go to this engine (dbt_run). */
void dbt_native_activate(Dbt *d);
/* Empty every sandbox (the machine was reset). */
void dbt_native_flush(Dbt *d);
/* The guest's TLB maintenance (ArmCpu.env.tlb_changed_fn), for the sandboxes. */
void dbt_native_tlb_changed(Dbt *d, unsigned kind, uint32_t va, uint32_t asid);
/* A RAM page now holds translated code: user stores to it must fault. */
void dbt_native_protect_code(Dbt *d, PhysAddr page);
/* At a block boundary in the loop: retranslate everything if SCTLR.A changed. */
void dbt_native_check_align(Dbt *d);
/* Native blocks must check the alignment of every access (SCTLR.A). */
bool dbt_native_align(const Dbt *d);
/* Count user-mode instructions and transitions (all engines): installs
 * ArmCpu.env.user_mode_fn, which also selects the sandbox for the native engine. */
void dbt_user_mode_attach(Dbt *d);
/* Fill in the statistics kept outside DbtStats. */
void dbt_native_stats(const Dbt *d, DbtStats *st);

/* tb_cache.c */
/* The physical address of the code at pc for the current privilege (ARM ARM B3: the
 * MMU, fetch permissions). False with the prefetch abort pending in cpu->pending_exc. */
bool tb_fetch_phys(Dbt *d, uint32_t pc, PhysAddr *pa, bool *global);
/* The block for (pc, key) translated from physical page phys_page. */
Tb *tb_lookup(Dbt *d, uint32_t pc, uint32_t key, PhysAddr phys_page);
/* Undo every chain between blocks and empty the indirect-branch cache: translated code
 * reaches another block only through the loop, which checks the mapping again. */
void tb_unchain_all(Dbt *d);
/* The same for the blocks whose code is in the virtual range [va, va + size). */
void tb_unchain_range(Dbt *d, uint32_t va, uint32_t size);
/* Record that a chain or an indirect-branch cache entry now leads to tb. */
void tb_note_linked(Dbt *d, const Tb *tb);
/* Translate a block of at most max_insns instructions and, if `cached`, insert it.
 * Returns NULL if the first instruction cannot be fetched (the prefetch abort is then
 * pending in cpu->pending_exc). An uncached block is freed with tb_free. */
Tb *tb_translate(Dbt *d, uint32_t pc, uint32_t key, unsigned max_insns, bool cached);
void tb_free(Tb *tb);
bool tb_resolve_labels(Tb *tb);
void tb_invalidate_page(Dbt *d, PhysAddr page);
void tb_flush_all(Dbt *d);
void tb_free_dead(Dbt *d);
void tb_chain(Dbt *d, JitExit *e, Tb *tb);

/* interp.c: run one block. Leaves cpu->r[15] at the next instruction (or the exception
 * vector). */
void interp_exec_block(Dbt *d, Tb *tb);
/* ARM condition code check on the cpu's flags (ARM ARM A8.3). */
bool dbt_cond_holds(const ArmCpu *cpu, unsigned cc);

#endif
