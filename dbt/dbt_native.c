/*
 * The native engine's side of the user-mode fast path (DESIGN.md, "Data flow" step 5):
 * which sandbox (native/) the guest's current address space uses, the SIGSEGV resolver
 * for the accesses translated user-mode code makes there, and the coherence of the
 * sandboxes with the guest's TLB maintenance.
 *
 * A sandbox acts as a TLB of guest user mode: it holds the pages user mode has touched,
 * mapped with what user mode may do, until the guest invalidates them.
 *  - Address spaces: one sandbox per (ASID, TTBR0), chosen whenever the CPU enters user
 *    mode, so a process switch changes cpu->native_base and keeps the pages of both.
 *  - TLB maintenance (ARM ARM B3.10): TLBIALL empties every sandbox, TLBIASID those of
 *    the ASID, TLBIMVA the pages of the mapping at that address in the sandboxes of the
 *    ASID, and its global pages everywhere (TLBIMVAA: in all).
 *  - The registers that change what user mode may do (SCTLR, TTBCR, TTBR1, DACR) are
 *    compared, when user mode is entered, with the values the sandbox's pages were
 *    mapped under: a guest that changes DACR around every copy to or from user memory
 *    (Linux) and restores it before returning to user mode flushes nothing; a DACR
 *    change that matters drops the sandbox if one of its pages is in a domain whose
 *    access changed.
 *  - Translated code: a RAM page that gets translated code is made read-only in every
 *    sandbox, so user stores to it fault and are carried out by the interpreter, which
 *    invalidates the code.
 */
#include "dbt/dbt_internal.h"

#include <stdlib.h>
#include <string.h>

#include "native/native.h"

typedef struct NativeRegime {
    bool valid;          /* the values below are what the sandbox's pages were mapped under */
    uint32_t sctlr;      /* SCTLR_TRANSLATION bits */
    uint32_t ttbcr, dacr;
    uint64_t ttbr1;
    uint32_t asid;
    uint16_t domains;    /* short format: the domains of its mapped pages */
    uint8_t max_shift;   /* the largest guest mapping one of its pages came from */
} NativeRegime;

typedef struct DbtNative {
    NativeSpace ns;
    NativeRegime regime[NATIVE_MAX_SANDBOXES];
    Sandbox *cur;        /* the sandbox cpu->native_base points into */
    bool align;          /* SCTLR.A that native blocks were compiled for */
    bool stale;          /* a register that selects or shapes the sandbox changed since
                            cpu->native_base was chosen */
} DbtNative;

static NativeRegime *regime_of(DbtNative *n, const Sandbox *sb)
{
    return &n->regime[sb - n->ns.sandboxes];
}

static void current_regime(const ArmCpu *cpu, NativeRegime *r)
{
    const ArmCp15 *c = &cpu->cp15;
    *r = (NativeRegime){
        .valid = true,
        .sctlr = c->sctlr & SCTLR_TRANSLATION,
        .ttbcr = c->ttbcr,
        .dacr = c->dacr,
        .ttbr1 = ((uint64_t)c->ttbr1_hi << 32) | c->ttbr1_lo,
        .asid = arm_mmu_asid(cpu),
    };
}

/* The domains whose access field differs between two DACR values (ARM ARM B4.1.43). */
static uint16_t dacr_changed(uint32_t a, uint32_t b)
{
    uint16_t m = 0;
    for (unsigned k = 0; k < 16; k++)
        if (((a ^ b) >> (2 * k)) & 3)
            m |= (uint16_t)(1u << k);
    return m;
}

static void flush_sandbox(DbtNative *n, Sandbox *sb)
{
    native_unmap_all(&n->ns, sb);
    NativeRegime *r = regime_of(n, sb);
    r->domains = 0;
    r->max_shift = 0;
}

/* Point cpu->native_base at the sandbox of the current address space, emptied of what
 * the current registers make stale. */
static void select_sandbox(Dbt *d)
{
    DbtNative *n = d->native;
    ArmCpu *cpu = d->cpu;
    const ArmCp15 *c = &cpu->cp15;
    NativeRegime now;
    current_regime(cpu, &now);
    uint64_t ttbr0 = (((uint64_t)c->ttbr0_hi << 32) | c->ttbr0_lo) & ((1ull << 48) - 1);
    uint64_t recycles = n->ns.stats.recycles;
    Sandbox *sb = native_sandbox_for(&n->ns, ((uint64_t)now.asid << 48) | ttbr0);
    NativeRegime *r = regime_of(n, sb);
    if (n->ns.stats.recycles != recycles || !r->valid) {
        r->domains = 0;
        r->max_shift = 0;
    } else if (r->sctlr != now.sctlr || r->ttbcr != now.ttbcr || r->ttbr1 != now.ttbr1) {
        flush_sandbox(n, sb);
    } else if (r->dacr != now.dacr && !(now.ttbcr & MMU_TTBCR_EAE) &&
               (dacr_changed(r->dacr, now.dacr) & r->domains)) {
        flush_sandbox(n, sb);
    }
    now.domains = r->domains;
    now.max_shift = r->max_shift;
    *r = now;
    n->cur = sb;
    n->stale = false;
    cpu->native_base = sb->base;
}

static void on_user_mode(void *opaque, ArmCpu *cpu, bool entered)
{
    Dbt *d = opaque;
    DbtNative *n = d->native;
    uint64_t now = arm_cpu_insns_now(cpu);
    if (entered) {
        d->stats.user_entries++;
        d->user_since = now;
        d->in_user = true;
        if (n && n->stale) /* else cpu->native_base is still right */
            select_sandbox(d);
    } else {
        d->stats.user_exits++;
        if (d->in_user)
            d->stats.insns_user += now - d->user_since;
        d->in_user = false;
    }
}

/* SIGSEGV in a sandbox: a guest user-mode access of translated code faulted. */
static bool on_fault(void *opaque, NativeFault *f)
{
    Dbt *d = opaque;
    DbtNative *n = d->native;
    void *slow = d->jit ? jit_native_slow_path(d->jit, *f->pc) : NULL;
    if (!slow || f->sb != n->cur)
        return false; /* not an access of translated code: a bug of armvm */
    if (!f->guard) { /* in the guard region (wrapping past 4 GiB) the soft MMU decides */
        ArmNativeMapping m = { 0 };
        switch (arm_native_resolve(d->cpu, &n->ns, f->sb, f->va, f->write, &m)) {
        case ARM_NATIVE_MAPPED: {
            NativeRegime *r = regime_of(n, f->sb);
            r->domains |= (uint16_t)(1u << (m.domain & 15));
            if (m.page_shift > r->max_shift)
                r->max_shift = (uint8_t)m.page_shift;
            d->stats.native_shadow_faults++;
            return true; /* the access runs again */
        }
        case ARM_NATIVE_ABORT:
            /* The slow path walks again and raises it with the exact state. */
            d->cpu->pending_exc = ARM_EXC_NONE;
            d->stats.native_logical_faults++;
            break;
        case ARM_NATIVE_DEVICE:
            d->stats.native_device_accesses++;
            break;
        case ARM_NATIVE_CODE_WRITE:
            d->stats.native_code_writes++;
            break;
        }
    }
    *f->pc = (uintptr_t)slow;
    return true;
}

bool dbt_native_init(Dbt *d, char *err, size_t errlen)
{
    DbtNative *n = calloc(1, sizeof(*n));
    if (!n) {
        snprintf(err, errlen, "native: out of memory");
        return false;
    }
    if (native_init(&n->ns, d->cpu->mem, NATIVE_MAX_SANDBOXES, err, errlen) != 0) {
        free(n);
        return false;
    }
    if (native_signals_install(err, errlen) != 0) {
        native_destroy(&n->ns);
        free(n);
        return false;
    }
    d->native = n;
    n->align = (d->cpu->cp15.sctlr & SCTLR_A) != 0;
    native_set_active(&n->ns, on_fault, d);
    select_sandbox(d); /* cpu->native_base is never left pointing nowhere */
    return true;
}

void dbt_native_activate(Dbt *d)
{
    native_set_active(&d->native->ns, on_fault, d);
}

void dbt_user_mode_attach(Dbt *d)
{
    d->cpu->env.user_mode_fn = on_user_mode;
    d->cpu->env.user_mode_opaque = d;
    d->in_user = arm_cpu_mode(d->cpu) == ARM_MODE_USR;
    d->user_since = arm_cpu_insns_now(d->cpu);
}

void dbt_native_destroy(Dbt *d)
{
    DbtNative *n = d->native;
    if (!n)
        return;
    native_set_active(NULL, NULL, NULL);
    native_destroy(&n->ns);
    free(n);
    d->native = NULL;
}

void dbt_native_flush(Dbt *d)
{
    DbtNative *n = d->native;
    if (!n)
        return;
    for (unsigned k = 0; k < n->ns.n_sandboxes; k++) {
        flush_sandbox(n, &n->ns.sandboxes[k]);
        n->regime[k].valid = false;
    }
    n->stale = true;
    select_sandbox(d);
}

void dbt_native_tlb_changed(Dbt *d, unsigned kind, uint32_t va, uint32_t asid)
{
    DbtNative *n = d->native;
    ArmCpu *cpu = d->cpu;
    switch (kind) {
    case ARM_TLBCH_ALL:
        for (unsigned k = 0; k < n->ns.n_sandboxes; k++)
            flush_sandbox(n, &n->ns.sandboxes[k]);
        break;
    case ARM_TLBCH_ASID:
        for (unsigned k = 0; k < n->ns.n_sandboxes; k++)
            if (n->regime[k].valid && n->regime[k].asid == asid)
                flush_sandbox(n, &n->ns.sandboxes[k]);
        break;
    case ARM_TLBCH_MVA: {
        /* The whole guest mapping that holds va: as large as the largest mapping a page
         * of the sandbox came from, or as the tables say now if larger. */
        bool any = false;
        for (unsigned k = 0; k < n->ns.n_sandboxes; k++)
            any |= n->ns.sandboxes[k].mapped_pages != 0;
        if (!any)
            break;
        MmuRegs regs;
        MmuResult res;
        arm_mmu_regs(cpu, &regs);
        unsigned now_shift = mmu_walk(cpu->mem, &regs, va, &res) ? res.page_shift : 0;
        for (unsigned k = 0; k < n->ns.n_sandboxes; k++) {
            Sandbox *sb = &n->ns.sandboxes[k];
            NativeRegime *r = &n->regime[k];
            if (!sb->mapped_pages)
                continue;
            unsigned shift = r->max_shift > now_shift ? r->max_shift : now_shift;
            if (shift < PHYS_PAGE_BITS)
                shift = PHYS_PAGE_BITS;
            if (shift > 24) {
                flush_sandbox(n, sb); /* an LPAE 1 GiB block: not worth a search */
                continue;
            }
            uint32_t size = 1u << shift;
            bool all = asid == ARM_TLBCH_ANY_ASID || (r->valid && r->asid == asid);
            native_unmap_range(&n->ns, sb, va & ~(size - 1), size, !all);
        }
        break;
    }
    default:
        n->stale = true; /* a register: checked when user mode is entered next */
        break;
    }
}

void dbt_native_protect_code(Dbt *d, PhysAddr page)
{
    if (d->native)
        native_protect_ram_page(&d->native->ns, page);
}

void dbt_native_check_align(Dbt *d)
{
    DbtNative *n = d->native;
    bool align = (d->cpu->cp15.sctlr & SCTLR_A) != 0;
    if (align != n->align) {
        /* Native blocks check alignment only where SCTLR.A asked for it when they were
         * compiled: start over (a guest sets SCTLR.A once, if ever). */
        n->align = align;
        tb_flush_all(d);
    }
}

bool dbt_native_align(const Dbt *d)
{
    return d->native && d->native->align;
}

void dbt_native_stats(const Dbt *d, DbtStats *st)
{
    if (d->in_user)
        st->insns_user += arm_cpu_insns_now(d->cpu) - d->user_since;
    if (!d->native)
        return;
    st->sandbox_maps = d->native->ns.stats.maps;
    st->sandbox_unmaps = d->native->ns.stats.unmaps;
    st->sandbox_flushes = d->native->ns.stats.flushes;
    st->sandbox_recycles = d->native->ns.stats.recycles;
    st->sandbox_protects = d->native->ns.stats.protects;
}
