/*
 * Sandboxes: reserved host address space in which guest virtual pages are shared
 * mappings of guest RAM pages (native.h).
 */
#include "native/native.h"

#include <errno.h>
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
    }
    return 0;
}

void native_destroy(NativeSpace *ns)
{
    for (unsigned k = 0; k < ns->n_sandboxes; k++)
        if (ns->sandboxes[k].base)
            munmap(ns->sandboxes[k].base, SANDBOX_BYTES);
    ns->n_sandboxes = 0;
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

bool native_map_page(NativeSpace *ns, Sandbox *sb, uint32_t va, PhysAddr pa, bool writable)
{
    if ((va | pa) & (PHYS_PAGE_SIZE - 1))
        return false;
    if (pa < ns->ram_base || pa - ns->ram_base >= ns->ram_size)
        return false; /* only guest RAM is ever mapped: never host memory, never devices */
    void *at = sb->base + va;
    void *r = mmap(at, PHYS_PAGE_SIZE, PROT_READ | (writable ? PROT_WRITE : 0),
                   MAP_SHARED | MAP_FIXED, ns->ram_fd, (off_t)(pa - ns->ram_base));
    if (r != at)
        return false;
    sb->mapped_pages++;
    ns->stats.maps++;
    return true;
}

void native_unmap_page(NativeSpace *ns, Sandbox *sb, uint32_t va)
{
    va &= ~(PHYS_PAGE_SIZE - 1);
    if (reserve_at(sb->base + va, PHYS_PAGE_SIZE)) {
        ns->stats.unmaps++;
        if (sb->mapped_pages)
            sb->mapped_pages--;
    }
}

void native_unmap_all(NativeSpace *ns, Sandbox *sb)
{
    /* One call over the whole 4 GiB: replaces every mapping with the reservation. */
    reserve_at(sb->base, NATIVE_SPACE_SIZE);
    sb->mapped_pages = 0;
    ns->stats.flushes++;
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
