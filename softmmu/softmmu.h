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

/* --- MMU (mmu*.c) --- */
/*
 * The ARMv7-A VMSA translation of the PL1&0 regime (ARM ARM B3): translation table walks
 * in the short-descriptor (B3.5) and long-descriptor (LPAE, B3.6) formats, domains,
 * access permissions, memory type, and the fault status values the CPU reports. Pure
 * functions of the system registers and guest RAM: no TLB and no CPU state here (the
 * caller caches results; one result says what both privilege levels may do).
 * Translation tables are read from guest RAM only: a descriptor outside RAM (a device or
 * nothing) is a synchronous external abort on the walk, never a crash.
 */

/* The system registers a walk depends on (CP15 values as the guest wrote them). */
typedef struct MmuRegs {
    uint32_t sctlr, ttbcr, dacr;
    uint64_t ttbr0, ttbr1;  /* 64-bit forms; the short format uses bits [31:0] */
    uint32_t prrr, nmrr;    /* MAIR0 and MAIR1 when TTBCR.EAE is 1 */
} MmuRegs;

/* SCTLR and TTBCR bits the walker reads (ARM ARM B4.1.130, B4.1.153). */
#define MMU_SCTLR_M (1u << 0)
#define MMU_SCTLR_WXN (1u << 19)
#define MMU_SCTLR_UWXN (1u << 20)
#define MMU_SCTLR_EE (1u << 25)
#define MMU_SCTLR_TRE (1u << 28)
#define MMU_SCTLR_AFE (1u << 29)
#define MMU_TTBCR_N 0x7u          /* short format */
#define MMU_TTBCR_PD0 (1u << 4)
#define MMU_TTBCR_PD1 (1u << 5)
#define MMU_TTBCR_T0SZ 0x7u       /* long format */
#define MMU_TTBCR_EPD0 (1u << 7)
#define MMU_TTBCR_T1SZ_SHIFT 16
#define MMU_TTBCR_A1 (1u << 22)
#define MMU_TTBCR_EPD1 (1u << 23)
#define MMU_TTBCR_EAE (1u << 31)

typedef enum MmuAccess { MMU_READ, MMU_WRITE, MMU_FETCH } MmuAccess;

/* What a mapping allows, per privilege level. X implies R. */
#define MMU_PERM_PRIV_R 0x01u
#define MMU_PERM_PRIV_W 0x02u
#define MMU_PERM_PRIV_X 0x04u
#define MMU_PERM_USER_R 0x08u
#define MMU_PERM_USER_W 0x10u
#define MMU_PERM_USER_X 0x20u
#define MMU_PERM_ALL 0x3fu

typedef struct MmuResult {
    PhysAddr pa;         /* physical address of va (may be above 4 GiB: the caller bus-errors) */
    unsigned page_shift; /* size of the mapping: 12, 16, 20, 24 (short); 12, 21, 30 (LPAE) */
    uint8_t perms;       /* MMU_PERM_*: AP/APTable, domain, XN/PXN(Table), SCTLR.WXN/UWXN */
    bool global;         /* nG == 0 (always with the MMU off) */
    bool device;         /* Device or Strongly-ordered (TEX/C/B, TEX remap, or MAIR) */
    uint8_t level;       /* lookup level of the mapping or of the fault (1-3; 0: MMU off) */
    uint8_t domain;      /* short format: the domain (0 for supersections) */
    uint8_t attr;        /* long format: the MAIR attribute byte (PAR.ATTR) */
    uint8_t sh;          /* long format: SH[1:0] of the descriptor */
    uint32_t fsr;        /* on failure: DFSR/IFSR value in the current format, WnR clear */
} MmuResult;

/* Walk the translation tables for va (ARM ARM B3.5 / B3.6, selected by TTBCR.EAE; the
 * identity with SCTLR.M == 0). Fails on faults that do not depend on the access: the
 * translation, access flag and domain faults and external aborts on the walk. */
bool mmu_walk(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuResult *res);
bool mmu_walk_short(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuResult *res);
bool mmu_walk_lpae(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuResult *res);
/* Check one access against a successful walk; on failure res->fsr is the permission
 * fault (ARM ARM B3.7.1 access permissions, B3.7.2 execute-never). */
bool mmu_check_access(const MmuRegs *regs, MmuResult *res, MmuAccess access, bool privileged);
/* mmu_walk followed by mmu_check_access. */
bool mmu_translate(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuAccess access,
                   bool privileged, MmuResult *res);
/* Permissions from the read/write rights of both levels plus XN, PXN and SCTLR.WXN/UWXN
 * (used by the walkers; ARM ARM B3.7.2, B3.7.3). rw holds only MMU_PERM_*_R/W bits. */
uint8_t mmu_perms_exec(uint32_t sctlr, uint8_t rw, bool xn, bool pxn);

/* Fault status values (ARM ARM B3.13.3 short format, B3.13.4 long format). */
typedef enum MmuFault {
    MMU_FAULT_ALIGNMENT,
    MMU_FAULT_DEBUG,
    MMU_FAULT_TRANSLATION,
    MMU_FAULT_ACCESS_FLAG,
    MMU_FAULT_DOMAIN,      /* short format only */
    MMU_FAULT_PERMISSION,
    MMU_FAULT_EXTERNAL,    /* synchronous external abort (not on a walk) */
    MMU_FAULT_EXTERNAL_WALK,
} MmuFault;
#define MMU_FSR_LPAE (1u << 9) /* the long-descriptor format bit of DFSR/IFSR */
/* Short format: FS[4] in bit 10, FS[3:0], domain in bits 7:4. level 1 is a "section"
 * fault, level 2 a "page" fault. */
uint32_t mmu_fsr_short(MmuFault f, unsigned level, unsigned domain);
/* Long format: bit 9 set, STATUS[5:0] with the level in the translation-related codes. */
uint32_t mmu_fsr_long(MmuFault f, unsigned level);
/* A short-format FSR (alignment, debug, external abort, ...) converted to the long format;
 * a value that already has bit 9 set is returned unchanged. WnR/ExT/CM are kept. */
uint32_t mmu_fsr_to_long(uint32_t short_fsr);
/* The PAR value of an address translation operation (ARM ARM B4.2.6, B4.1.112): 32-bit
 * (short) or 64-bit (long, TTBCR.EAE) format, from a translation that succeeded (ok) or
 * failed (res->fsr). */
uint64_t mmu_par_encode(const MmuRegs *regs, bool ok, const MmuResult *res);

#endif
