/*
 * The native fast path's fault metadata: for every guest memory access compiled to
 * address the sandbox directly (jit_mem.c, JIT_OPT_NATIVE_MEM), the host address of the
 * access instruction and of its out-of-line slow path. When that instruction faults, the
 * engine's fault handler continues at the slow path, which has exactly the register
 * state the faulting instruction had and performs the access through the soft MMU:
 * the guest abort, device access or store to translated code then happens with the
 * precise guest state the soft-MMU path keeps (registers written back there, the
 * instruction count from the exit record).
 *
 * An open-addressing hash table, only written while compiling and read by the signal
 * handler (no locks, no allocation there); emptied with the code buffer.
 */
#include "backend-x86_64/jit_internal.h"

#include <stdlib.h>
#include <string.h>

static size_t site_hash(uintptr_t site, size_t cap)
{
    return (size_t)((site * 0x9e3779b97f4a7c15ull) >> 20) & (cap - 1);
}

static void insert(JitNativeSite *t, size_t cap, uintptr_t site, uintptr_t slow)
{
    size_t h = site_hash(site, cap);
    while (t[h].site && t[h].site != site)
        h = (h + 1) & (cap - 1);
    t[h].site = site;
    t[h].slow = slow;
}

static void grow(Jit *j)
{
    size_t cap = j->sites_cap ? 2 * j->sites_cap : 4096;
    JitNativeSite *t = calloc(cap, sizeof(*t));
    if (!t)
        abort();
    for (size_t k = 0; k < j->sites_cap; k++)
        if (j->sites[k].site)
            insert(t, cap, j->sites[k].site, j->sites[k].slow);
    free(j->sites);
    j->sites = t;
    j->sites_cap = cap;
}

void jit_native_sites_add(JitCtx *c)
{
    Jit *j = c->jit;
    for (unsigned k = 0; k < c->n_slow; k++) {
        const JitSlowPath *sp = &c->slow[k];
        if (!sp->site)
            continue;
        if (2 * (j->sites_n + 1) > j->sites_cap) /* at most half full */
            grow(j);
        insert(j->sites, j->sites_cap, (uintptr_t)sp->site,
               (uintptr_t)(c->cb->base + sp->label.pos));
        j->sites_n++;
    }
}

void jit_native_sites_clear(Jit *j)
{
    if (j->sites)
        memset(j->sites, 0, j->sites_cap * sizeof(*j->sites));
    j->sites_n = 0;
}

void *jit_native_slow_path(const Jit *j, uintptr_t pc)
{
    if (!j->sites_cap)
        return NULL;
    for (size_t h = site_hash(pc, j->sites_cap);; h = (h + 1) & (j->sites_cap - 1)) {
        if (j->sites[h].site == pc)
            return (void *)j->sites[h].slow;
        if (!j->sites[h].site)
            return NULL;
    }
}
