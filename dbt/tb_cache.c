/*
 * The translation-block cache: blocks keyed by (guest PC, mode key), and indexed by
 * guest physical page so that a write to translated code invalidates exactly the
 * blocks made from that page.
 */
#include "dbt/dbt_internal.h"

#include <stdlib.h>
#include <string.h>

static unsigned tb_hash(uint32_t pc, uint32_t key)
{
    uint32_t h = (pc >> 2) ^ (key * 0x9e3779b1u);
    h ^= h >> 15;
    return h & ((1u << TB_HASH_BITS) - 1);
}

static unsigned page_hash(PhysAddr page)
{
    uint64_t h = (page >> PHYS_PAGE_BITS) * 0x9e3779b97f4a7c15ull;
    return (unsigned)(h >> (64 - TB_PAGE_HASH_BITS));
}

/* Virtual pages: a bigger table, because TLB maintenance by address looks up every
 * page of a section (256 of them) and most of those buckets must be empty. */
static unsigned vpage_hash(uint32_t page)
{
    return (page >> PHYS_PAGE_BITS) & ((1u << TB_VPAGE_HASH_BITS) - 1);
}

bool tb_fetch_phys(Dbt *d, uint32_t pc, PhysAddr *pa, bool *global)
{
    ArmCpu *cpu = d->cpu;
    uint32_t page = pc & ~(PHYS_PAGE_SIZE - 1);
    uint32_t tag = page | (arm_cpu_privileged(cpu) ? 1u : 0u);
    /* Privileged and user entries of one page sit side by side (a kernel's vectors and
     * its user code may share a page). */
    DbtFetchEntry *e = &d->fetch[(((pc >> PHYS_PAGE_BITS) << 1) | (tag & 1)) % DBT_FETCH_CACHE];
    if (e->tag == tag) {
        *pa = e->phys_page | (pc & (PHYS_PAGE_SIZE - 1));
        if (global)
            *global = e->global;
        return true;
    }
    bool g;
    if (!arm_mem_translate_fetch(cpu, pc, pa, &g))
        return false;
    if (global)
        *global = g;
    e->tag = tag;
    e->global = g;
    if (!g)
        d->fetch_ng = true;
    e->phys_page = *pa & ~(PhysAddr)(PHYS_PAGE_SIZE - 1);
    return true;
}

Tb *tb_lookup(Dbt *d, uint32_t pc, uint32_t key, PhysAddr phys_page)
{
    for (Tb *tb = d->hash[tb_hash(pc, key)]; tb; tb = tb->hash_next)
        if (tb->pc == pc && tb->key == key && tb->phys_page == phys_page)
            return tb;
    return NULL;
}

/* Record where each label sits so the interpreter can jump in O(1). */
bool tb_resolve_labels(Tb *tb)
{
    const IrBlock *b = &tb->ir;
    tb->label_pos = calloc(b->n_labels ? b->n_labels : 1, sizeof(uint32_t));
    if (!tb->label_pos)
        return false;
    for (uint32_t ip = 0; ip < b->n; ip++)
        if (b->insns[ip].op == IR_LABEL)
            tb->label_pos[b->insns[ip].imm] = ip;
    return true;
}

/* How the backend compiles a block: user-mode blocks of the native engine address the
 * sandbox directly (little-endian data only; big-endian user code, rare, keeps the
 * soft-MMU path). Their key (user mode) keeps them apart from soft-MMU blocks. */
static unsigned tb_jit_opts(const Dbt *d, const Tb *tb)
{
    if (!d->native || (tb->key & CPSR_M) != ARM_MODE_USR || (tb->key & CPSR_E))
        return 0;
    return JIT_OPT_NATIVE_MEM | (dbt_native_align(d) ? JIT_OPT_NATIVE_ALIGN : 0);
}

Tb *tb_translate(Dbt *d, uint32_t pc, uint32_t key, unsigned max_insns, bool cached)
{
    ArmCpu *cpu = d->cpu;
    uint32_t probe;
    if (!arm_mem_fetch32(cpu, pc, &probe))
        return NULL;
    PhysAddr phys;
    bool global;
    if (!tb_fetch_phys(d, pc, &phys, &global))
        return NULL;
    if (!global && cached && (key & CPSR_M) != ARM_MODE_USR)
        d->priv_ng_blocks = true; /* see on_tlb_changed */

    Tb *tb = calloc(1, sizeof(*tb));
    if (!tb)
        abort();
    tb->pc = pc;
    tb->key = key;
    tb->phys_page = phys & ~(PhysAddr)(PHYS_PAGE_SIZE - 1);
    ir_block_init(&tb->ir);
    arm_translate_block(cpu, &tb->ir, pc, max_insns);
    ir_pass_dead_flags(&tb->ir);
    if (cached) /* not for a one-off copy the interpreter runs once (dbt.c) */
        ir_pass_registers(&tb->ir);
    if (!tb_resolve_labels(tb))
        abort();

    if (d->jit && cached) {
        bool full;
        if (!jit_compile(d->jit, &tb->ir, tb->key, tb_jit_opts(d, tb), &tb->jb, &full) && full) {
            /* The code buffer is full: start it over (every block is retranslated on
             * demand) and compile this one into the empty buffer. */
            tb_flush_all(d);
            if (!jit_compile(d->jit, &tb->ir, tb->key, tb_jit_opts(d, tb), &tb->jb, &full))
                d->stats.jit_fallbacks++;
        } else if (!tb->jb.entry) {
            d->stats.jit_fallbacks++;
        }
        for (unsigned k = 0; k < tb->jb.n_exits; k++)
            tb->jb.exits[k].owner = tb;
    }

    if (d->log_mask & DBT_LOG_IR) {
        fprintf(d->log, "IR for block %08x (key %08x):\n", pc, key);
        ir_dump(&tb->ir, d->log);
    }
    if ((d->log_mask & DBT_LOG_OUT_ASM) && tb->jb.entry) {
        fprintf(d->log, "host code for block %08x (key %08x):\n", pc, key);
        jit_disas(tb->jb.entry, tb->jb.code_size, d->log);
    }

    d->stats.blocks_translated++;
    d->stats.ir_insns_translated += tb->ir.n;
    if (!cached)
        return tb;
    unsigned h = tb_hash(pc, key);
    tb->hash_next = d->hash[h];
    d->hash[h] = tb;
    unsigned ph = page_hash(tb->phys_page);
    tb->page_next = d->page_hash[ph];
    d->page_hash[ph] = tb;
    unsigned vh = vpage_hash(pc & ~(PHYS_PAGE_SIZE - 1));
    tb->vpage_next = d->vpage_hash[vh];
    d->vpage_hash[vh] = tb;
    if (!physmem_is_code_page(cpu->mem, tb->phys_page)) {
        physmem_mark_code_page(cpu->mem, tb->phys_page);
        /* Stores to this page must now take the slow path, which invalidates. */
        arm_tlb_protect_code(cpu, physmem_ram_ptr(cpu->mem, tb->phys_page, PHYS_PAGE_SIZE));
        dbt_native_protect_code(d, tb->phys_page);
    }
    return tb;
}

static void tb_unlink_hash(Dbt *d, Tb *tb)
{
    Tb **pp = &d->hash[tb_hash(tb->pc, tb->key)];
    while (*pp && *pp != tb)
        pp = &(*pp)->hash_next;
    if (*pp)
        *pp = tb->hash_next;
}

void tb_free(Tb *tb)
{
    jit_block_free(&tb->jb);
    ir_block_free(&tb->ir);
    free(tb->label_pos);
    free(tb);
}

/* Undo every chain into and out of tb, so no translated code reaches it any more. */
static void tb_unchain(Tb *tb)
{
    for (JitExit *e = tb->incoming; e; e = e->next_incoming) {
        jit_unchain(e);
        e->chained_to = NULL;
    }
    tb->incoming = NULL;
    for (unsigned k = 0; k < tb->jb.n_exits; k++) {
        JitExit *e = &tb->jb.exits[k];
        Tb *target = e->chained_to;
        if (!target)
            continue;
        JitExit **pp = &target->incoming;
        while (*pp && *pp != e)
            pp = &(*pp)->next_incoming;
        if (*pp)
            *pp = e->next_incoming;
        jit_unchain(e);
        e->chained_to = NULL;
    }
}

/* Chain the direct exit e (of a live block) to the entry of tb. */
void tb_unchain_all(Dbt *d)
{
    if (!d->jit)
        return;
    for (unsigned i = 0; i < (1u << TB_HASH_BITS); i++)
        for (Tb *tb = d->hash[i]; tb; tb = tb->hash_next)
            tb_unchain(tb);
    jit_jc_flush(d->jit);
    memset(d->linked_mib, 0, sizeof(d->linked_mib));
    d->stats.unchain_all++;
}

void tb_unchain_range(Dbt *d, uint32_t va, uint32_t size)
{
    if (!d->jit)
        return;
    uint32_t first = va & ~(PHYS_PAGE_SIZE - 1);
    uint32_t pages = size >> PHYS_PAGE_BITS;
    uint32_t pages_per_mib = 1u << (20 - PHYS_PAGE_BITS);
    for (uint32_t k = 0; k < pages;) {
        uint32_t page = first + (k << PHYS_PAGE_BITS);
        uint32_t mib = page >> 20;
        /* The pages of this range in this MiB. */
        uint32_t in_mib = pages_per_mib - ((page >> PHYS_PAGE_BITS) & (pages_per_mib - 1));
        if (in_mib > pages - k)
            in_mib = pages - k;
        if (d->linked_mib[mib]) {
            for (uint32_t j = 0; j < in_mib; j++) {
                uint32_t p = page + (j << PHYS_PAGE_BITS);
                for (Tb *tb = d->vpage_hash[vpage_hash(p)]; tb; tb = tb->vpage_next) {
                    if ((tb->pc & ~(PHYS_PAGE_SIZE - 1)) != p)
                        continue;
                    tb_unchain(tb);
                    if (tb->jb.entry)
                        jit_jc_remove(d->jit, tb->pc, tb->key, tb->jb.entry);
                }
            }
            if (in_mib == pages_per_mib)
                d->linked_mib[mib] = 0; /* searched all of it: nothing linked is left */
        }
        k += in_mib;
    }
    d->stats.unchain_range++;
}

/* A chain or a cache entry now leads to tb. */
void tb_note_linked(Dbt *d, const Tb *tb)
{
    d->linked_mib[tb->pc >> 20]++;
}

void tb_chain(Dbt *d, JitExit *e, Tb *tb)
{
    if (e->chained_to || !tb->jb.entry || tb->dead || ((Tb *)e->owner)->dead)
        return;
    d->stats.chains++;
    tb_note_linked(d, tb);
    jit_chain(e, tb->jb.entry);
    e->chained_to = tb;
    e->next_incoming = tb->incoming;
    tb->incoming = e;
}

static void tb_unlink_vpage(Dbt *d, Tb *tb)
{
    Tb **pp = &d->vpage_hash[vpage_hash(tb->pc & ~(PHYS_PAGE_SIZE - 1))];
    while (*pp && *pp != tb)
        pp = &(*pp)->vpage_next;
    if (*pp)
        *pp = tb->vpage_next;
}

static void tb_kill(Dbt *d, Tb *tb)
{
    tb_unlink_vpage(d, tb);
    tb_unchain(tb);
    if (d->jit && tb->jb.entry)
        jit_jc_remove(d->jit, tb->pc, tb->key, tb->jb.entry);
    tb->dead = true;
    tb->dead_next = d->dead;
    d->dead = tb;
}

/* The block may be running right now (a store into its own page), so it is only
 * unlinked here and freed by the loop between blocks. */
void tb_invalidate_page(Dbt *d, PhysAddr page)
{
    Tb **pp = &d->page_hash[page_hash(page)];
    while (*pp) {
        Tb *tb = *pp;
        if (tb->phys_page == page) {
            *pp = tb->page_next;
            tb_unlink_hash(d, tb);
            tb_kill(d, tb);
            d->stats.blocks_invalidated++;
        } else {
            pp = &tb->page_next;
        }
    }
    physmem_clear_code_page(d->cpu->mem, page);
}

void tb_free_dead(Dbt *d)
{
    if (d->dead)
        d->last_exit = NULL; /* it may belong to a block freed here */
    while (d->dead) {
        Tb *tb = d->dead;
        d->dead = tb->dead_next;
        tb_free(tb);
    }
}

void tb_flush_all(Dbt *d)
{
    for (unsigned i = 0; i < (1u << TB_PAGE_HASH_BITS); i++) {
        while (d->page_hash[i]) {
            Tb *tb = d->page_hash[i];
            d->page_hash[i] = tb->page_next;
            physmem_clear_code_page(d->cpu->mem, tb->phys_page);
            tb->dead = true;
            tb->incoming = NULL;
            tb->dead_next = d->dead;
            d->dead = tb;
        }
    }
    for (unsigned i = 0; i < (1u << TB_HASH_BITS); i++)
        d->hash[i] = NULL;
    for (unsigned i = 0; i < (1u << TB_VPAGE_HASH_BITS); i++)
        d->vpage_hash[i] = NULL;
    memset(d->linked_mib, 0, sizeof(d->linked_mib));
    d->priv_ng_blocks = false;
    /* Only ever called from the loop, outside translated code: the code can go. */
    tb_free_dead(d);
    if (d->jit)
        jit_reset(d->jit);
    d->stats.block_flushes++;
}
