/*
 * Sandboxes: reserved host address space in which guest virtual pages are shared
 * mappings of guest RAM pages (native.h).
 */
#include "native/native.h"

#include <errno.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <sys/mman.h>

#define SANDBOX_BYTES (NATIVE_SPACE_SIZE + NATIVE_GUARD_SIZE)

/* Make [p, p + len) inaccessible again without giving the address space back. */
static bool reserve_at(void *p, size_t len)
{
    void *r = mmap(p, len, PROT_NONE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE | (p ? MAP_FIXED : 0), -1, 0);
    return r != MAP_FAILED && (!p || r == p);
}

/* Zeroed tables of 32-bit entries, touched only where used (a sandbox's page table
 * covers 4 GiB: 4 MiB of entries, mostly never written). */
static uint32_t *table_alloc(uint64_t entries)
{
    void *p = mmap(NULL, entries * 4, PROT_READ | PROT_WRITE,
                   MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
    return p == MAP_FAILED ? NULL : p;
}

static void table_free(uint32_t *t, uint64_t entries)
{
    if (t)
        munmap(t, entries * 4);
}

/* Back to zero without touching the pages (anonymous private memory reads as zero
 * after MADV_DONTNEED). */
static void table_clear(uint32_t *t, uint64_t entries)
{
    madvise(t, entries * 4, MADV_DONTNEED);
}

static uint32_t *rmap_slot(NativeSpace *ns, const Sandbox *sb, uint64_t ram_page)
{
    return &ns->rmap[ram_page * NATIVE_MAX_SANDBOXES + (unsigned)(sb - ns->sandboxes)];
}

int native_init(NativeSpace *ns, const PhysMem *pm, unsigned n_sandboxes, char *err,
                size_t errlen)
{
    memset(ns, 0, sizeof(*ns));
    if (n_sandboxes < 1 || n_sandboxes > NATIVE_MAX_SANDBOXES) {
        snprintf(err, errlen, "native: %u sandboxes (1 to %u)", n_sandboxes,
                 NATIVE_MAX_SANDBOXES);
        return -1;
    }
    if (pm->ram_fd < 0) {
        snprintf(err, errlen, "native: guest RAM has no file descriptor to map");
        return -1;
    }
    ns->ram_fd = pm->ram_fd;
    ns->ram_base = pm->ram_base;
    ns->ram_size = pm->ram_size;
    ns->rmap = table_alloc((ns->ram_size / PHYS_PAGE_SIZE) * NATIVE_MAX_SANDBOXES);
    if (!ns->rmap) {
        snprintf(err, errlen, "native: no memory for the reverse map: %s", strerror(errno));
        return -1;
    }
    for (unsigned k = 0; k < n_sandboxes; k++) {
        void *p = mmap(NULL, SANDBOX_BYTES, PROT_NONE,
                       MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);
        if (p == MAP_FAILED) {
            snprintf(err, errlen, "native: cannot reserve a 4 GiB sandbox: %s",
                     strerror(errno));
            native_destroy(ns);
            return -1;
        }
        ns->sandboxes[k] = (Sandbox){ .base = p, .key = NATIVE_NO_KEY };
        ns->n_sandboxes++;
        ns->sandboxes[k].pte = table_alloc(NATIVE_PAGES);
        if (!ns->sandboxes[k].pte) {
            snprintf(err, errlen, "native: no memory for a sandbox page table: %s",
                     strerror(errno));
            native_destroy(ns);
            return -1;
        }
    }
    return 0;
}

void native_destroy(NativeSpace *ns)
{
    for (unsigned k = 0; k < ns->n_sandboxes; k++) {
        if (ns->sandboxes[k].base)
            munmap(ns->sandboxes[k].base, SANDBOX_BYTES);
        table_free(ns->sandboxes[k].pte, NATIVE_PAGES);
    }
    ns->n_sandboxes = 0;
    table_free(ns->rmap, (ns->ram_size / PHYS_PAGE_SIZE) * NATIVE_MAX_SANDBOXES);
    ns->rmap = NULL;
}

Sandbox *native_sandbox_for(NativeSpace *ns, uint64_t key)
{
    Sandbox *victim = NULL;
    ns->clock++;
    for (unsigned k = 0; k < ns->n_sandboxes; k++) {
        Sandbox *sb = &ns->sandboxes[k];
        if (sb->key == key) {
            sb->last_use = ns->clock;
            return sb;
        }
        if (!victim || sb->last_use < victim->last_use)
            victim = sb;
    }
    if (victim->key != NATIVE_NO_KEY) {
        native_unmap_all(ns, victim);
        ns->stats.recycles++;
    }
    victim->key = key;
    victim->last_use = ns->clock;
    return victim;
}

bool native_map_page(NativeSpace *ns, Sandbox *sb, uint32_t va, PhysAddr pa, unsigned flags)
{
    if ((va | pa) & (PHYS_PAGE_SIZE - 1))
        return false;
    if (pa < ns->ram_base || pa - ns->ram_base >= ns->ram_size)
        return false; /* only guest RAM is ever mapped: never host memory, never devices */
    uint64_t ram_page = (pa - ns->ram_base) >> PHYS_PAGE_BITS;
    uint32_t vpage = va >> PHYS_PAGE_BITS;
    uint32_t entry = (uint32_t)((ram_page + 1) << NATIVE_PTE_SHIFT) |
                     (flags & (NATIVE_MAP_WRITE | NATIVE_MAP_GLOBAL));
    uint32_t *rm = rmap_slot(ns, sb, ram_page);
    if (flags & NATIVE_MAP_WRITE) {
        uint32_t other = *rm;
        if (other && other - 1 != vpage && (sb->pte[other - 1] & ~NATIVE_MAP_GLOBAL) ==
                                               (entry & ~NATIVE_MAP_GLOBAL))
            return false; /* a second writable alias in this sandbox */
    }
    void *at = sb->base + va;
    void *r = mmap(at, PHYS_PAGE_SIZE, PROT_READ | (flags & NATIVE_MAP_WRITE ? PROT_WRITE : 0),
                   MAP_SHARED | MAP_FIXED, ns->ram_fd, (off_t)(pa - ns->ram_base));
    if (r != at) {
        native_unmap_page(ns, sb, va); /* whatever was there is gone */
        return false;
    }
    if (!sb->pte[vpage])
        sb->mapped_pages++;
    sb->pte[vpage] = entry;
    if (flags & NATIVE_MAP_WRITE)
        *rm = vpage + 1;
    ns->stats.maps++;
    return true;
}

void native_unmap_page(NativeSpace *ns, Sandbox *sb, uint32_t va)
{
    uint32_t vpage = va >> PHYS_PAGE_BITS;
    if (!sb->pte[vpage])
        return; /* nothing there: no system call */
    va &= ~(PHYS_PAGE_SIZE - 1);
    if (!reserve_at(sb->base + va, PHYS_PAGE_SIZE))
        abort(); /* the page would stay reachable: never go on */
    sb->pte[vpage] = 0;
    sb->mapped_pages--;
    ns->stats.unmaps++;
}

void native_unmap_range(NativeSpace *ns, Sandbox *sb, uint32_t va, uint64_t len,
                        bool global_only)
{
    if (!sb->mapped_pages)
        return;
    uint64_t first = va >> PHYS_PAGE_BITS;
    uint64_t n = (len + PHYS_PAGE_SIZE - 1) >> PHYS_PAGE_BITS;
    for (uint64_t p = first; p < first + n && p < NATIVE_PAGES; p++) {
        uint32_t e = sb->pte[p];
        if (e && (!global_only || (e & NATIVE_MAP_GLOBAL)))
            native_unmap_page(ns, sb, (uint32_t)(p << PHYS_PAGE_BITS));
    }
}

void native_unmap_all(NativeSpace *ns, Sandbox *sb)
{
    if (!sb->mapped_pages)
        return;
    /* One call over the whole 4 GiB: replaces every mapping with the reservation. */
    if (!reserve_at(sb->base, NATIVE_SPACE_SIZE))
        abort();
    table_clear(sb->pte, NATIVE_PAGES);
    sb->mapped_pages = 0;
    ns->stats.flushes++;
}

void native_protect_ram_page(NativeSpace *ns, PhysAddr pa)
{
    if (pa < ns->ram_base || pa - ns->ram_base >= ns->ram_size)
        return;
    uint64_t ram_page = (pa - ns->ram_base) >> PHYS_PAGE_BITS;
    uint32_t want = (uint32_t)((ram_page + 1) << NATIVE_PTE_SHIFT) | NATIVE_MAP_WRITE;
    for (unsigned k = 0; k < ns->n_sandboxes; k++) {
        Sandbox *sb = &ns->sandboxes[k];
        uint32_t *rm = rmap_slot(ns, sb, ram_page);
        if (!*rm)
            continue;
        uint32_t vpage = *rm - 1;
        *rm = 0;
        if ((sb->pte[vpage] & ~NATIVE_MAP_GLOBAL) != want)
            continue; /* stale: that mapping is gone */
        if (mprotect(sb->base + ((uint64_t)vpage << PHYS_PAGE_BITS), PHYS_PAGE_SIZE,
                     PROT_READ) != 0)
            native_unmap_page(ns, sb, vpage << PHYS_PAGE_BITS);
        else
            sb->pte[vpage] &= ~NATIVE_MAP_WRITE;
        ns->stats.protects++;
    }
}

bool native_fault_lookup(NativeSpace *ns, const void *p, Sandbox **sb, uint32_t *va,
                         bool *guard)
{
    uintptr_t a = (uintptr_t)p;
    for (unsigned k = 0; k < ns->n_sandboxes; k++) {
        uintptr_t base = (uintptr_t)ns->sandboxes[k].base;
        if (a >= base && a - base < SANDBOX_BYTES) {
            uint64_t off = a - base;
            *sb = &ns->sandboxes[k];
            *va = (uint32_t)off;
            *guard = off >= NATIVE_SPACE_SIZE;
            return true;
        }
    }
    return false;
}
