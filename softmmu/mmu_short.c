/*
 * The short-descriptor translation table walk (ARM ARM B3.5): TTBR0/TTBR1 selected by
 * TTBCR.N, first-level sections, supersections and page tables, second-level large and
 * small pages, domains (DACR), AP[2:0] with the optional access flag (SCTLR.AFE), XN and
 * PXN, the memory type from TEX/C/B (with or without TEX remap), and nG.
 */
#include "softmmu/softmmu.h"

/* Read one 32-bit descriptor: little-endian, or big-endian with SCTLR.EE (B3.5.5).
 * Only RAM holds translation tables here; anything else is an external abort. */
static bool read_desc(PhysMem *pm, const MmuRegs *regs, PhysAddr pa, uint32_t *desc)
{
    uint64_t v;
    if (!physmem_ram_ptr(pm, pa, 4) || physmem_read(pm, pa, 4, &v) != MEM_OK)
        return false;
    *desc = (regs->sctlr & MMU_SCTLR_EE) ? __builtin_bswap32((uint32_t)v) : (uint32_t)v;
    return true;
}

static bool fault(MmuResult *res, MmuFault f, unsigned level, unsigned domain)
{
    res->level = (uint8_t)level;
    res->domain = (uint8_t)domain;
    res->fsr = mmu_fsr_short(f, level, domain);
    return false;
}

/* ARM ARM B3.8.2 (TEX[2:0], C, B without TEX remap, Table B3-10) and B3.8.3 (with TEX
 * remap, SCTLR.TRE = 1: PRRR.TRn for n = TEX[0]:C:B). True for Device and
 * Strongly-ordered memory. Reserved encodings count as Normal. */
static bool memory_is_device(const MmuRegs *regs, unsigned tex, unsigned c, unsigned b)
{
    if (regs->sctlr & MMU_SCTLR_TRE) {
        unsigned n = ((tex & 1) << 2) | (c << 1) | b;
        return ((regs->prrr >> (2 * n)) & 3) < 2; /* 00 Strongly-ordered, 01 Device */
    }
    if (tex == 0)
        return c == 0;               /* CB = 00 Strongly-ordered, 01 shareable Device */
    return tex == 2 && c == 0 && b == 0; /* non-shareable Device */
}

/* ARM ARM B3.7.1, Tables B3-8 (AP[2:0]) and B3-9 (SCTLR.AFE = 1: AP[2:1], the simplified
 * model). Read/write rights of both levels; AP = 0b100 is reserved: no access. */
static uint8_t ap_rights(uint32_t sctlr, unsigned ap)
{
    if (sctlr & MMU_SCTLR_AFE)
        ap |= 1;
    switch (ap & 7) {
    case 1: return MMU_PERM_PRIV_R | MMU_PERM_PRIV_W;
    case 2: return MMU_PERM_PRIV_R | MMU_PERM_PRIV_W | MMU_PERM_USER_R;
    case 3: return MMU_PERM_PRIV_R | MMU_PERM_PRIV_W | MMU_PERM_USER_R | MMU_PERM_USER_W;
    case 5: return MMU_PERM_PRIV_R;
    case 6: case 7: return MMU_PERM_PRIV_R | MMU_PERM_USER_R;
    default: return 0;
    }
}

/* The fields of a section, supersection, large or small page descriptor that matter
 * after the address: in a common form for the checks below. */
typedef struct ShortLeaf {
    unsigned level, domain, ap, tex, c, b;
    bool xn, pxn, ng;
} ShortLeaf;

/* ARM ARM B3.5.1 (first-level descriptor, Figure B3-4), B3.5.4 (TTBR0/TTBR1 selection
 * by TTBCR.N, walks disabled by TTBCR.PD0/PD1) and B3.5.5 (the walk), then in the order
 * of the TranslationTableWalkSD() and CheckDomain() pseudocode: access flag fault (when
 * SCTLR.AFE and AP[0] == 0), domain fault (DACR 00, and the reserved 10), Manager (no
 * permission checks, XN ignored: B3.7.2) or Client (AP, XN, PXN). */
bool mmu_walk_short(PhysMem *pm, const MmuRegs *regs, uint32_t va, MmuResult *res)
{
    *res = (MmuResult){ 0 };
    unsigned n = regs->ttbcr & MMU_TTBCR_N;
    uint32_t l1_base;
    bool disabled;
    unsigned index;
    if (n == 0 || (va >> (32 - n)) == 0) {
        l1_base = (uint32_t)regs->ttbr0 & ~((0x4000u >> n) - 1);
        index = (va & (0xffffffffu >> n)) >> 20;
        disabled = (regs->ttbcr & MMU_TTBCR_PD0) != 0;
    } else {
        l1_base = (uint32_t)regs->ttbr1 & ~0x3fffu;
        index = va >> 20;
        disabled = (regs->ttbcr & MMU_TTBCR_PD1) != 0;
    }
    if (disabled)
        return fault(res, MMU_FAULT_TRANSLATION, 1, 0);
    uint32_t l1;
    if (!read_desc(pm, regs, (PhysAddr)l1_base | (index << 2), &l1))
        return fault(res, MMU_FAULT_EXTERNAL_WALK, 1, 0);

    ShortLeaf d;
    PhysAddr pa;
    switch (l1 & 3) {
    case 0: /* fault (and the reserved 0b00 encoding) */
        return fault(res, MMU_FAULT_TRANSLATION, 1, 0);
    case 1: { /* page table */
        unsigned domain = (l1 >> 5) & 0xf;
        uint32_t l2;
        PhysAddr l2_addr = (l1 & 0xfffffc00u) | (((va >> 12) & 0xffu) << 2);
        if (!read_desc(pm, regs, l2_addr, &l2))
            return fault(res, MMU_FAULT_EXTERNAL_WALK, 2, domain);
        if ((l2 & 3) == 0)
            return fault(res, MMU_FAULT_TRANSLATION, 2, domain);
        d = (ShortLeaf){ .level = 2, .domain = domain, .pxn = (l1 >> 2) & 1,
                         .ap = ((l2 >> 4) & 3) | (((l2 >> 9) & 1) << 2), .c = (l2 >> 3) & 1,
                         .b = (l2 >> 2) & 1, .ng = (l2 >> 11) & 1 };
        if (l2 & 2) { /* small page, B3.5.1 Figure B3-5 */
            d.tex = (l2 >> 6) & 7;
            d.xn = l2 & 1;
            res->page_shift = 12;
            pa = (l2 & 0xfffff000u) | (va & 0xfffu);
        } else {      /* large page */
            d.tex = (l2 >> 12) & 7;
            d.xn = (l2 >> 15) & 1;
            res->page_shift = 16;
            pa = (l2 & 0xffff0000u) | (va & 0xffffu);
        }
        break;
    }
    default: /* section or supersection; bit 0 is PXN */
        d = (ShortLeaf){ .level = 1, .pxn = l1 & 1, .b = (l1 >> 2) & 1, .c = (l1 >> 3) & 1,
                         .xn = (l1 >> 4) & 1, .ap = ((l1 >> 10) & 3) | (((l1 >> 15) & 1) << 2),
                         .tex = (l1 >> 12) & 7, .ng = (l1 >> 17) & 1 };
        if (l1 & (1u << 18)) { /* supersection: PA[39:36] in bits 8:5, PA[35:32] in 23:20 */
            d.domain = 0;
            res->page_shift = 24;
            pa = (l1 & 0xff000000u) | (va & 0x00ffffffu) | ((PhysAddr)((l1 >> 20) & 0xf) << 32) |
                 ((PhysAddr)((l1 >> 5) & 0xf) << 36);
        } else {
            d.domain = (l1 >> 5) & 0xf;
            res->page_shift = 20;
            pa = (l1 & 0xfff00000u) | (va & 0x000fffffu);
        }
        break;
    }

    if ((regs->sctlr & MMU_SCTLR_AFE) && !(d.ap & 1))
        return fault(res, MMU_FAULT_ACCESS_FLAG, d.level, d.domain);
    unsigned dom_access = (regs->dacr >> (2 * d.domain)) & 3;
    if (dom_access == 0 || dom_access == 2)
        return fault(res, MMU_FAULT_DOMAIN, d.level, d.domain);

    res->pa = pa;
    res->level = (uint8_t)d.level;
    res->domain = (uint8_t)d.domain;
    res->global = !d.ng;
    res->device = memory_is_device(regs, d.tex, d.c, d.b);
    if (dom_access == 3)
        res->perms = MMU_PERM_ALL;
    else
        res->perms = mmu_perms_exec(regs->sctlr, ap_rights(regs->sctlr, d.ap), d.xn, d.pxn);
    return true;
}
