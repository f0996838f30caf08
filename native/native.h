/*
 * native: sandbox address spaces for the user-mode fast path (DESIGN.md, "Data flow"
 * step 5).
 *
 * A sandbox is a reserved 4 GiB region of host address space (plus a guard region above
 * it) in which the page of a guest virtual address va lives at base + va. A page is
 * either unmapped (PROT_NONE: any access faults) or a shared mapping of one page of
 * guest RAM (the memfd that softmmu allocates), readable or readable and writable, so
 * that a guest load or store is one host instruction at base + va. Several sandboxes
 * exist at once, one per guest address space (keyed by ASID or TTBR0), recycled least
 * recently used.
 *
 * Faults: a host fault at an address inside a sandbox is a shadow or logical page fault
 * of the guest, for the engine to resolve (native_fault_lookup tells which sandbox and
 * guest address); the SIGSEGV handler (native_signals_install) passes such faults to a
 * resolver and otherwise reports a real crash of armvm. No global mutable state: the
 * handler finds the active space through thread-local state.
 *
 * Nothing here knows guest page tables: the caller decides what to map.
 */
#ifndef ARMVM_NATIVE_H
#define ARMVM_NATIVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "softmmu/softmmu.h"

#define NATIVE_SPACE_SIZE (1ull << 32)   /* the guest's 32-bit virtual address space */
#define NATIVE_GUARD_SIZE (1ull << 16)   /* above it: an access may run 64 KiB past 4 GiB */
#define NATIVE_MAX_SANDBOXES 8
#define NATIVE_NO_KEY UINT64_MAX

/* What is mapped at each guest page of a sandbox (Sandbox.pte): 0 if nothing, else the
 * RAM page (its index + 1, shifted left by NATIVE_PTE_SHIFT) and NATIVE_MAP_* flags. */
#define NATIVE_PTE_SHIFT 2
#define NATIVE_PAGES (NATIVE_SPACE_SIZE / PHYS_PAGE_SIZE)

/* native_map_page flags. */
#define NATIVE_MAP_WRITE 1u   /* writable (else read-only) */
#define NATIVE_MAP_GLOBAL 2u  /* the caller's tag: belongs to every address space (see
                                 native_unmap_range) */

typedef struct Sandbox {
    uint8_t *base;          /* host address of guest virtual address 0 */
    uint64_t key;           /* the guest address space it holds, NATIVE_NO_KEY if free */
    uint64_t last_use;      /* for least-recently-used recycling */
    uint64_t mapped_pages;  /* pages mapped now */
    uint32_t *pte;          /* NATIVE_PAGES entries (see NATIVE_PTE_SHIFT) */
} Sandbox;

typedef struct NativeStats {
    uint64_t maps, unmaps, flushes, recycles;
    uint64_t protects;      /* writable mappings made read-only (native_protect_ram_page) */
} NativeStats;

typedef struct NativeSpace {
    int ram_fd;             /* guest RAM (softmmu's memfd) */
    PhysAddr ram_base;
    uint64_t ram_size;
    /* Reverse map: for each RAM page and sandbox, the guest page + 1 of its writable
     * mapping there (0: none). Checked against Sandbox.pte before use, so unmapping
     * need not clear it. */
    uint32_t *rmap;
    Sandbox sandboxes[NATIVE_MAX_SANDBOXES];
    unsigned n_sandboxes;
    uint64_t clock;
    NativeStats stats;
} NativeSpace;

/* Reserve `n_sandboxes` sandboxes (1..NATIVE_MAX_SANDBOXES) over the RAM of pm. Returns
 * 0, or -1 with a message in err. */
int native_init(NativeSpace *ns, const PhysMem *pm, unsigned n_sandboxes, char *err,
                size_t errlen);
void native_destroy(NativeSpace *ns);

/* The sandbox of guest address space `key`: the one that has it, or the least recently
 * used one, emptied and given the key (a recycle). */
Sandbox *native_sandbox_for(NativeSpace *ns, uint64_t key);

/* Map the guest page at va (page-aligned) to the RAM page at pa with NATIVE_MAP_* flags.
 * False (nothing changed) if va or pa is not page-aligned, pa is not a page of guest
 * RAM, or the mapping is writable while the same RAM page is writable at another guest
 * address of this sandbox (one writable alias per RAM page and sandbox, so that
 * native_protect_ram_page finds it). */
bool native_map_page(NativeSpace *ns, Sandbox *sb, uint32_t va, PhysAddr pa, unsigned flags);
/* Make the guest page at va inaccessible again (whatever it was). */
void native_unmap_page(NativeSpace *ns, Sandbox *sb, uint32_t va);
/* Unmap the pages of [va, va + len) (page-aligned), or only those mapped with
 * NATIVE_MAP_GLOBAL. */
void native_unmap_range(NativeSpace *ns, Sandbox *sb, uint32_t va, uint64_t len,
                        bool global_only);
/* Unmap every page of the sandbox (a guest TLB flush of that address space). */
void native_unmap_all(NativeSpace *ns, Sandbox *sb);
/* The RAM page at pa must not be written without the caller noticing (it now holds
 * translated code): make every writable mapping of it read-only. */
void native_protect_ram_page(NativeSpace *ns, PhysAddr pa);

/* Is host address p inside a sandbox of ns? Then *sb and *va say which and where (a
 * fault in the guard region above 4 GiB reports va modulo 2^32 with *guard set). */
bool native_fault_lookup(NativeSpace *ns, const void *p, Sandbox **sb, uint32_t *va,
                         bool *guard);

/* A host fault inside a sandbox. */
typedef struct NativeFault {
    Sandbox *sb;
    uint32_t va;        /* guest virtual address (modulo 2^32 in the guard region) */
    bool guard;         /* in the guard region above 4 GiB */
    bool write;         /* the access was a write */
    uintptr_t *pc;      /* the faulting host instruction's address; the resolver may
                           change it (execution then continues there) */
} NativeFault;
/* SIGSEGV/SIGBUS: faults inside a sandbox of the thread's active space go to `resolve`,
 * which returns true if execution can go on (at *pc: the faulting instruction again, or
 * where the resolver sent it) and false if not; faults outside every sandbox, or
 * unresolved ones, end armvm with a message naming the address (a real crash, never a
 * guest's doing). */
typedef bool (*NativeResolveFn)(void *opaque, NativeFault *f);
int native_signals_install(char *err, size_t errlen);
/* The space (and resolver) that faults on this thread belong to; NULL to clear. */
void native_set_active(NativeSpace *ns, NativeResolveFn resolve, void *opaque);

#endif
