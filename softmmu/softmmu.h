/*
 * softmmu: the guest physical address space.
 *
 * Guest RAM is one contiguous region backed by a memfd (so that the native fast path
 * can later map the same pages into sandboxes); device registers are MMIO regions with
 * read/write callbacks. Every guest-supplied physical address is checked here: an
 * access that is not entirely inside RAM or a device region is a bus error.
 *
 * Also here: code-page tracking for self-modifying code. The translator marks the RAM
 * pages it has translated code from; a write to such a page calls back into the
 * translator (softmmu does not know what a translation block is).
 */
#ifndef ARMVM_SOFTMMU_H
#define ARMVM_SOFTMMU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PHYS_PAGE_BITS 12
#define PHYS_PAGE_SIZE (1u << PHYS_PAGE_BITS)
#define PHYSMEM_MAX_MMIO 32

typedef uint64_t PhysAddr;

/* Result of a physical access. */
typedef enum MemStatus {
    MEM_OK = 0,
    MEM_BUS_ERROR = 1, /* nothing at this address, or a device refused the access */
} MemStatus;

/* Device callbacks. `offset` is relative to the region base; size is 1, 2 or 4 bytes.
 * Values are little-endian register values (the CPU handles big-endian data itself). */
typedef struct MmioOps {
    MemStatus (*read)(void *opaque, uint32_t offset, unsigned size, uint32_t *value);
    MemStatus (*write)(void *opaque, uint32_t offset, unsigned size, uint32_t value);
} MmioOps;

typedef struct MmioRegion {
    PhysAddr base;
    uint64_t size;
    const MmioOps *ops;
    void *opaque;
    const char *name;
} MmioRegion;

/* Called when the guest writes to a RAM page that holds translated code. */
typedef void (*CodeWriteFn)(void *opaque, PhysAddr page_addr);

typedef struct PhysMem {
    uint8_t *ram;       /* host mapping of guest RAM */
    PhysAddr ram_base;  /* guest physical address of ram[0] */
    uint64_t ram_size;  /* bytes, a multiple of PHYS_PAGE_SIZE */
    int ram_fd;         /* memfd backing the RAM */
    MmioRegion mmio[PHYSMEM_MAX_MMIO];
    int n_mmio;
    uint8_t *code_pages;        /* one byte per RAM page: nonzero if it holds translated code */
    CodeWriteFn code_write_fn;
    void *code_write_opaque;
    uint64_t bus_errors;        /* statistics */
} PhysMem;

/* Create RAM of ram_size bytes at ram_base. Returns 0, or -1 with a message in err. */
int physmem_init(PhysMem *pm, PhysAddr ram_base, uint64_t ram_size, char *err, size_t errlen);
void physmem_destroy(PhysMem *pm);

/* Map a device. Returns 0, or -1 if it overlaps RAM or another region or the table is full. */
int physmem_add_mmio(PhysMem *pm, PhysAddr base, uint64_t size, const MmioOps *ops, void *opaque,
                     const char *name);

/* Find the device region containing pa (NULL if none). */
const MmioRegion *physmem_find_mmio(const PhysMem *pm, PhysAddr pa);

/* Host pointer to [pa, pa+len) if the whole range is guest RAM, else NULL. This is the one
 * place where guest physical addresses become host pointers. */
uint8_t *physmem_ram_ptr(PhysMem *pm, PhysAddr pa, uint64_t len);

/* Little-endian accesses of 1, 2, 4 or 8 bytes (8 only for RAM). The access must not
 * cross a page boundary (callers split). Writes to code pages invoke code_write_fn first. */
MemStatus physmem_read(PhysMem *pm, PhysAddr pa, unsigned size, uint64_t *value);
MemStatus physmem_write(PhysMem *pm, PhysAddr pa, unsigned size, uint64_t value);

/* Copy between guest RAM and host buffers (loaders, semihosting). Fails (returns -1) unless
 * the whole range is RAM. Writes honour code-page tracking. */
int physmem_copy_to_guest(PhysMem *pm, PhysAddr pa, const void *src, uint64_t len);
int physmem_copy_from_guest(PhysMem *pm, void *dst, PhysAddr pa, uint64_t len);

/* Code-page tracking. */
void physmem_set_code_write_fn(PhysMem *pm, CodeWriteFn fn, void *opaque);
void physmem_mark_code_page(PhysMem *pm, PhysAddr pa);
void physmem_clear_code_page(PhysMem *pm, PhysAddr pa);
static inline bool physmem_is_code_page(const PhysMem *pm, PhysAddr pa)
{
    uint64_t off = pa - pm->ram_base;
    return pa >= pm->ram_base && off < pm->ram_size && pm->code_pages[off >> PHYS_PAGE_BITS];
}

#endif
